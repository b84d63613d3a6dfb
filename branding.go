package pendopo

import (
	"context"
	"math"
	"time"
)

// City branding: a region names the sectors it stakes its character on
// (tourism, farming, the creative economy…), says why each fits its
// people, and runs programs under them whose progress it reports in
// public. Report and service categories are mapped to the sectors, so
// that the branding page can set what people ask for beside what the
// region promises.

// Sector is a priority sector of a region's branding.
type Sector struct {
	ID     int64  `json:"id"`
	Region string `json:"region"`
	Slug   string `json:"slug"`
	Name   string `json:"name"`
	// Rationale says why the sector fits the region's character and its
	// people's needs.
	Rationale string `json:"rationale"`
	// Position orders the sectors on the page, smallest first.
	Position  int       `json:"position"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

// Validate checks a sector and normalises its fields.
func (s *Sector) Validate() error {
	var probs Problems
	trim(&s.Slug, &s.Name, &s.Rationale)
	validSlug(&probs, "slug", s.Slug)
	required(&probs, "name", s.Name)
	maxLen(&probs, "name", s.Name, 120)
	maxLen(&probs, "rationale", s.Rationale, 3000)
	if s.Position < 0 || s.Position > 999 {
		probs.Add("position", M("rule.order_between_0_999"))
	}
	return probs.Err()
}

// ProgramStatus is where a branding program stands.
type ProgramStatus string

// Program statuses.
const (
	ProgramPlanned ProgramStatus = "rencana"
	ProgramRunning ProgramStatus = "berjalan"
	ProgramDone    ProgramStatus = "selesai"
	ProgramOnHold  ProgramStatus = "tertunda"
)

// ProgramStatuses lists the statuses with their names, in the order a
// program usually goes through them.
var ProgramStatuses = []struct {
	Status ProgramStatus
	Title  Text
}{
	{ProgramPlanned, M("rule.planned")},
	{ProgramRunning, M("rule.under_way")},
	{ProgramDone, M("rule.completed")},
	{ProgramOnHold, M("rule.on_hold")},
}

// Title names the status for people.
func (s ProgramStatus) Title() Text {
	for _, x := range ProgramStatuses {
		if x.Status == s {
			return x.Title
		}
	}
	return T(string(s), string(s))
}

// Valid reports whether s is a known status.
func (s ProgramStatus) Valid() bool {
	for _, x := range ProgramStatuses {
		if x.Status == s {
			return true
		}
	}
	return false
}

// Program is a region's program under one of its sectors, with what it
// aims at, how that is measured and how far it got.
type Program struct {
	ID          int64  `json:"id"`
	Region      string `json:"region"`
	SectorID    int64  `json:"sector_id"`
	Name        string `json:"name"`
	Description string `json:"description"`
	// Target is the aim in words; Indicator and Unit say what is
	// measured, TargetValue and CurrentValue how much.
	Target       string        `json:"target"`
	Indicator    string        `json:"indicator"`
	Unit         string        `json:"unit"`
	TargetValue  float64       `json:"target_value"`
	CurrentValue float64       `json:"current_value"`
	Budget       int64         `json:"budget"` // rupiah
	Start        Day           `json:"start"`
	End          Day           `json:"end"`
	Status       ProgramStatus `json:"status"`
	CreatedAt    time.Time     `json:"created_at"`
	UpdatedAt    time.Time     `json:"updated_at"`
}

// MaxIndicatorValue bounds indicator values, which people type in; a
// trillion covers rupiah and visitor counts alike.
const MaxIndicatorValue = 1e12

// Validate checks a program and normalises its fields.
func (p *Program) Validate() error {
	var probs Problems
	trim(&p.Name, &p.Description, &p.Target, &p.Indicator, &p.Unit)
	required(&probs, "name", p.Name)
	maxLen(&probs, "name", p.Name, 200)
	maxLen(&probs, "description", p.Description, 3000)
	maxLen(&probs, "target", p.Target, 500)
	required(&probs, "indicator", p.Indicator)
	maxLen(&probs, "indicator", p.Indicator, 200)
	maxLen(&probs, "unit", p.Unit, 40)
	if p.SectorID == 0 {
		probs.Add("sector", M("rule.choose_sector"))
	}
	indicatorValue(&probs, "target_value", p.TargetValue)
	indicatorValue(&probs, "current_value", p.CurrentValue)
	if p.Budget < 0 || p.Budget > 1e15 {
		probs.Add("budget", M("rule.the_budget_rupiah_whole_number"))
	}
	if p.Start == 0 {
		probs.Add("start", M("rule.required"))
	}
	if p.End == 0 {
		probs.Add("end", M("rule.required"))
	} else if p.Start != 0 && p.End < p.Start {
		probs.Add("end", M("rule.the_end_date_may_not"))
	}
	if !p.Status.Valid() {
		probs.Add("status", M("rule.choose_program_status"))
	}
	return probs.Err()
}

func indicatorValue(p *Problems, field string, v float64) {
	if math.IsNaN(v) || math.IsInf(v, 0) || v < 0 || v > MaxIndicatorValue {
		p.Add(field, M("rule.a_value_between_0", MaxIndicatorValue))
	}
}

// Progress is the share of the target reached, 0–1, or -1 when the
// program has no target value to measure against.
func (p Program) Progress() float64 {
	if p.TargetValue <= 0 {
		return -1
	}
	return min(max(p.CurrentValue/p.TargetValue, 0), 1)
}

// ProgramUpdate is a dated note on a program's progress, optionally with
// the indicator's value then and a photo (its bytes in the blob store).
type ProgramUpdate struct {
	ID        int64    `json:"id"`
	ProgramID int64    `json:"program_id"`
	Day       Day      `json:"day"`
	Text      string   `json:"text"`
	Value     *float64 `json:"value,omitempty"`
	// Photo is the blob address of the photo, "" for none; PhotoAlt
	// describes it for those who cannot see it.
	Photo      string    `json:"photo,omitempty"`
	PhotoMedia string    `json:"photo_media,omitempty"`
	PhotoSize  int64     `json:"photo_size,omitempty"`
	PhotoAlt   string    `json:"photo_alt,omitempty"`
	CreatedAt  time.Time `json:"created_at"`
}

// Validate checks an update and normalises its fields.
func (u *ProgramUpdate) Validate() error {
	var probs Problems
	trim(&u.Text, &u.PhotoAlt)
	if u.Day == 0 {
		probs.Add("day", M("rule.required"))
	}
	required(&probs, "text", u.Text)
	maxLen(&probs, "text", u.Text, 2000)
	maxLen(&probs, "photo_alt", u.PhotoAlt, 300)
	if u.Value != nil {
		indicatorValue(&probs, "value", *u.Value)
	}
	if u.Photo != "" && u.PhotoAlt == "" {
		probs.Add("photo_alt", M("rule.describe_photo_for_readers_who"))
	}
	return probs.Err()
}

// CategoryKind tells which list a mapped category comes from.
type CategoryKind string

// Category kinds of the sector mapping.
const (
	KindReportCategory  CategoryKind = "laporan" // ReportCategories
	KindServiceCategory CategoryKind = "layanan" // Categories
)

// SectorLink maps one report or service category of a region to one of
// its sectors.
type SectorLink struct {
	Kind     CategoryKind `json:"kind"`
	Category string       `json:"category"`
	SectorID int64        `json:"sector_id"`
}

// BrandingStore keeps the regions' sectors, programs, updates and the
// mapping of categories to sectors. Lists read a region's rows of one
// kind in one query.
type BrandingStore interface {
	// Sectors lists a region's sectors by position, then name.
	Sectors(ctx context.Context, region string) ([]Sector, error)
	// SaveSector inserts a sector (ID 0) or updates one of region; a slug
	// taken in the region is ErrConflict.
	SaveSector(ctx context.Context, s Sector, at time.Time) (Sector, error)
	// Programs lists a region's programs by sector position, start, name.
	Programs(ctx context.Context, region string) ([]Program, error)
	// Program returns a program of region.
	Program(ctx context.Context, region string, id int64) (Program, error)
	// SaveProgram inserts a program (ID 0) or updates one of region; its
	// sector must be one of region's.
	SaveProgram(ctx context.Context, p Program, at time.Time) (Program, error)
	// ProgramUpdates lists the updates of a region's programs (of one
	// when program is not 0), newest first.
	ProgramUpdates(ctx context.Context, region string, program int64) ([]ProgramUpdate, error)
	// AddProgramUpdate stores an update of a program.
	AddProgramUpdate(ctx context.Context, u ProgramUpdate) (ProgramUpdate, error)
	// SectorLinks lists a region's category mapping.
	SectorLinks(ctx context.Context, region string) ([]SectorLink, error)
	// SetSectorLinks replaces a region's category mapping with links.
	SetSectorLinks(ctx context.Context, region string, links []SectorLink) error
}
