package app

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"

	"github.com/pendopo/pendopo"
	"github.com/pendopo/pendopo/internal/figures"
)

// City branding: a region admin (pendopo.ActEditRegion) keeps the
// region's priority sectors, their programs with progress updates, and
// the mapping of report and service categories to sectors. Everything
// here is public, so reads need no actor.

// Branding is a region's branding as its public page and its console
// show it.
type Branding struct {
	Region   pendopo.Region
	Sectors  []pendopo.Sector
	Programs []pendopo.Program
	// Updates are those of every program, newest first.
	Updates []pendopo.ProgramUpdate
	Links   []pendopo.SectorLink
}

// Sector finds a sector by id; nil when the region has none such.
func (b Branding) Sector(id int64) *pendopo.Sector {
	for i := range b.Sectors {
		if b.Sectors[i].ID == id {
			return &b.Sectors[i]
		}
	}
	return nil
}

// Link is the sector a category is mapped to, 0 for none.
func (b Branding) Link(kind pendopo.CategoryKind, category string) int64 {
	for _, l := range b.Links {
		if l.Kind == kind && l.Category == category {
			return l.SectorID
		}
	}
	return 0
}

// Branding reads a region's branding: one query per kind of row.
func (a *App) Branding(ctx context.Context, region string) (Branding, error) {
	reg, err := a.Region(ctx, region)
	if err != nil {
		return Branding{}, err
	}
	b := Branding{Region: reg}
	if b.Sectors, err = a.store.Sectors(ctx, reg.Code); err != nil {
		return b, err
	}
	if b.Programs, err = a.store.Programs(ctx, reg.Code); err != nil {
		return b, err
	}
	if b.Updates, err = a.store.ProgramUpdates(ctx, reg.Code, 0); err != nil {
		return b, err
	}
	b.Links, err = a.store.SectorLinks(ctx, reg.Code)
	return b, err
}

// CategoryCount is how many reports or applications one category had.
type CategoryCount struct {
	Kind pendopo.CategoryKind
	Code string
	N    int64
}

// SectorNeed is what people asked of one sector over a period: reports
// (complaints, aspirations and information requests) in the report
// categories mapped to it, and applications received for services in
// the service categories mapped to it. Sector nil gathers the
// categories mapped to no sector.
type SectorNeed struct {
	Sector       *pendopo.Sector
	Reports      int64
	Applications int64
	// Categories are the categories counted here that had any, most
	// first.
	Categories []CategoryCount
}

// SectorNeeds sums a region's monthly figures per sector through its
// mapping: one entry per sector in order, then the unmapped ones. It
// reads the figures, never the reports and applications themselves.
func (a *App) SectorNeeds(ctx context.Context, b Branding, p figures.Period) ([]SectorNeed, error) {
	// The region's dashboard figures (kept a minute) hold both counts.
	d, err := a.figs.RegionDashboard(ctx, b.Region.Code, p)
	if err != nil {
		return nil, err
	}
	out := make([]SectorNeed, len(b.Sectors)+1)
	at := map[int64]int{}
	for i := range b.Sectors {
		out[i].Sector, at[b.Sectors[i].ID] = &b.Sectors[i], i
	}
	unmapped := len(b.Sectors)
	counts := map[CategoryCount]int64{} // keyed without N
	for code, n := range d.Categories {
		counts[CategoryCount{Kind: pendopo.KindReportCategory, Code: code}] += n
	}
	category := map[int64]string{}
	for _, sv := range a.RegionServiceList(b.Region.Code, "") {
		category[sv.ID] = sv.Category
	}
	for id, n := range d.ServiceDemand {
		counts[CategoryCount{Kind: pendopo.KindServiceCategory, Code: category[id]}] += n
	}
	for k, n := range counts {
		i, ok := at[b.Link(k.Kind, k.Code)]
		if !ok {
			i = unmapped
		}
		if k.Kind == pendopo.KindReportCategory {
			out[i].Reports += n
		} else {
			out[i].Applications += n
		}
		out[i].Categories = append(out[i].Categories, CategoryCount{Kind: k.Kind, Code: k.Code, N: n})
	}
	for i := range out {
		slices.SortFunc(out[i].Categories, func(x, y CategoryCount) int {
			return cmp.Or(cmp.Compare(y.N, x.N), cmp.Compare(x.Kind, y.Kind), cmp.Compare(x.Code, y.Code))
		})
	}
	return out, nil
}

// brandingRole authorizes a change to a region's branding.
func (a *App) brandingRole(ctx context.Context, who pendopo.Actor, region string) (string, error) {
	if _, err := a.Region(ctx, region); err != nil {
		return "", err
	}
	return who.Authorize(pendopo.ActEditRegion, pendopo.Scope{Region: region})
}

// SaveSector creates a sector (ID 0) or changes one; a slug the region
// already uses is a field error.
func (a *App) SaveSector(ctx context.Context, who pendopo.Actor, s pendopo.Sector) (pendopo.Sector, error) {
	role, err := a.brandingRole(ctx, who, s.Region)
	if err != nil {
		return s, err
	}
	if err := s.Validate(); err != nil {
		return s, err
	}
	var before *pendopo.Sector
	if s.ID != 0 {
		list, err := a.store.Sectors(ctx, s.Region)
		if err != nil {
			return s, err
		}
		if before = (Branding{Sectors: list}).Sector(s.ID); before == nil {
			return s, fmt.Errorf("sector %d of %s: %w", s.ID, s.Region, pendopo.ErrNotFound)
		}
	}
	var out pendopo.Sector
	e := pendopo.AuditEntry{Action: "branding.sector", Entity: "brand_sector", Region: s.Region}
	err = a.audited(ctx, who, role, &e, func(tx pendopo.Store) error {
		var err error
		if out, err = tx.SaveSector(ctx, s, a.now()); err != nil {
			return err
		}
		e.EntityID, e.Diff = strconv.FormatInt(out.ID, 10), pendopo.Diff(sectorAudit(before), sectorAudit(&out))
		return nil
	})
	if errors.Is(err, pendopo.ErrConflict) {
		return s, invalidParam("slug", pendopo.M("app.this_region_already_has_sector"))
	}
	return out, err
}

// sectorAudit is what the audit trail compares of a sector: its
// content, not its times.
func sectorAudit(s *pendopo.Sector) any {
	if s == nil {
		return nil
	}
	return map[string]any{"slug": s.Slug, "name": s.Name, "rationale": s.Rationale, "position": s.Position}
}

// SaveProgram creates a program (ID 0) or changes one; its sector must be
// one of the region's.
func (a *App) SaveProgram(ctx context.Context, who pendopo.Actor, p pendopo.Program) (pendopo.Program, error) {
	role, err := a.brandingRole(ctx, who, p.Region)
	if err != nil {
		return p, err
	}
	var before *pendopo.Program
	if p.ID != 0 {
		old, err := a.store.Program(ctx, p.Region, p.ID)
		if err != nil {
			return p, err
		}
		before = &old
	}
	probs := pendopo.Problems{}
	if err := p.Validate(); err != nil {
		probs = append(probs, err.(*pendopo.Error).Fields...)
	}
	if p.SectorID != 0 {
		list, err := a.store.Sectors(ctx, p.Region)
		if err != nil {
			return p, err
		}
		if (Branding{Sectors: list}).Sector(p.SectorID) == nil {
			probs.Add("sector", pendopo.M("app.that_sector_not_one_this"))
		}
	}
	if err := probs.Err(); err != nil {
		return p, err
	}
	var out pendopo.Program
	e := pendopo.AuditEntry{Action: "branding.program", Entity: "brand_program", Region: p.Region}
	err = a.audited(ctx, who, role, &e, func(tx pendopo.Store) error {
		var err error
		if out, err = tx.SaveProgram(ctx, p, a.now()); err != nil {
			return err
		}
		e.EntityID, e.Diff = strconv.FormatInt(out.ID, 10), pendopo.Diff(programAudit(before), programAudit(&out))
		return nil
	})
	return out, err
}

// programAudit is a program without its times, for the audit trail.
func programAudit(p *pendopo.Program) any {
	if p == nil {
		return nil
	}
	return map[string]any{"sector_id": p.SectorID, "name": p.Name, "description": p.Description, "target": p.Target,
		"indicator": p.Indicator, "unit": p.Unit, "target_value": p.TargetValue, "current_value": p.CurrentValue,
		"budget": p.Budget, "start": p.Start, "end": p.End, "status": p.Status}
}

// Program photos: one per update, at most 5 MB, JPEG or PNG by content,
// stored without their metadata.
const MaxProgramPhotoBytes = 5 << 20

// AddProgramUpdate records progress on a program of region, with an
// optional photo (nil for none) that must be a JPEG or PNG of at most
// MaxProgramPhotoBytes. An update with a value that is not older than
// the program's other valued updates becomes the program's current
// value, in the same transaction.
func (a *App) AddProgramUpdate(ctx context.Context, who pendopo.Actor, region string, u pendopo.ProgramUpdate, photo io.Reader) (pendopo.ProgramUpdate, error) {
	role, err := a.brandingRole(ctx, who, region)
	if err != nil {
		return u, err
	}
	prog, err := a.store.Program(ctx, region, u.ProgramID)
	if err != nil {
		return u, err
	}
	// Check the text first (with a stand-in photo, so that a missing alt
	// text shows), so that a refused form stores no file.
	check := u
	if photo != nil {
		check.Photo = "-"
	}
	if err := check.Validate(); err != nil {
		return u, err
	}
	u.Text, u.PhotoAlt = check.Text, check.PhotoAlt
	if photo != nil {
		b, err := a.putPhoto(ctx, photo, MaxProgramPhotoBytes) // cleaned of its metadata
		if err != nil {
			return u, fieldError("photo", err)
		}
		u.Photo, u.PhotoMedia, u.PhotoSize = b.Addr, b.Media, b.Size
	} else {
		u.Photo, u.PhotoMedia, u.PhotoSize, u.PhotoAlt = "", "", 0, ""
	}
	u.CreatedAt = a.now()
	var out pendopo.ProgramUpdate
	e := pendopo.AuditEntry{Action: "branding.update", Entity: "brand_program", EntityID: strconv.FormatInt(prog.ID, 10), Region: region}
	err = a.audited(ctx, who, role, &e, func(tx pendopo.Store) error {
		var err error
		if out, err = tx.AddProgramUpdate(ctx, u); err != nil {
			return err
		}
		diff := map[string]any{"update": out.ID, "day": out.Day, "text": out.Text, "photo": out.Photo}
		if u.Value != nil {
			others, err := tx.ProgramUpdates(ctx, region, prog.ID)
			if err != nil {
				return err
			}
			latest := !slices.ContainsFunc(others, func(o pendopo.ProgramUpdate) bool { return o.Value != nil && o.Day > u.Day })
			if latest && prog.CurrentValue != *u.Value {
				diff["current_value"] = []float64{prog.CurrentValue, *u.Value}
				prog.CurrentValue = *u.Value
				if _, err := tx.SaveProgram(ctx, prog, a.now()); err != nil {
					return err
				}
			}
		}
		e.Diff = pendopo.Diff(nil, diff)
		return nil
	})
	return out, err
}

// SetSectorLinks replaces a region's mapping of categories to sectors.
// Each category must be a national report or service category, and each
// sector one of the region's.
func (a *App) SetSectorLinks(ctx context.Context, who pendopo.Actor, region string, links []pendopo.SectorLink) error {
	role, err := a.brandingRole(ctx, who, region)
	if err != nil {
		return err
	}
	before, err := a.Branding(ctx, region)
	if err != nil {
		return err
	}
	var probs pendopo.Problems
	seen := map[string]bool{}
	for _, l := range links {
		field := string(l.Kind) + "_" + l.Category
		known := false
		switch l.Kind {
		case pendopo.KindReportCategory:
			_, known = pendopo.ReportCategoryByCode(l.Category)
		case pendopo.KindServiceCategory:
			_, known = pendopo.CategoryByCode(l.Category)
		}
		switch {
		case !known:
			probs.Add(field, pendopo.M("app.unknown_category"))
		case seen[field]:
			probs.Add(field, pendopo.M("app.this_category_mapped_twice"))
		case before.Sector(l.SectorID) == nil:
			probs.Add(field, pendopo.M("app.that_sector_not_one_this"))
		}
		seen[field] = true
	}
	if err := probs.Err(); err != nil {
		return err
	}
	e := pendopo.AuditEntry{Action: "branding.map", Entity: "region", EntityID: region, Region: region,
		Diff: pendopo.Diff(linkAudit(before.Links), linkAudit(links))}
	return a.audited(ctx, who, role, &e, func(tx pendopo.Store) error { return tx.SetSectorLinks(ctx, region, links) })
}

// linkAudit writes a mapping as "laporan/jalan" → sector id.
func linkAudit(links []pendopo.SectorLink) map[string]int64 {
	out := map[string]int64{}
	for _, l := range links {
		out[string(l.Kind)+"/"+l.Category] = l.SectorID
	}
	return out
}

// BrandingPhoto opens the photo of a region's program update; the
// branding page is public, and so are its photos.
func (a *App) BrandingPhoto(ctx context.Context, region, addr string) (io.ReadCloser, pendopo.ProgramUpdate, error) {
	if _, err := a.Region(ctx, region); err != nil {
		return nil, pendopo.ProgramUpdate{}, err
	}
	updates, err := a.store.ProgramUpdates(ctx, region, 0)
	if err != nil {
		return nil, pendopo.ProgramUpdate{}, err
	}
	for _, u := range updates {
		if u.Photo != "" && u.Photo == addr && a.blobs != nil {
			rc, err := a.blobs.Open(ctx, addr)
			return rc, u, err
		}
	}
	return nil, pendopo.ProgramUpdate{}, fmt.Errorf("branding photo %s of %s: %w", addr, region, pendopo.ErrNotFound)
}

// Program returns a program of a region.
func (a *App) Program(ctx context.Context, region string, id int64) (pendopo.Program, error) {
	if _, err := a.Region(ctx, region); err != nil {
		return pendopo.Program{}, err
	}
	return a.store.Program(ctx, region, id)
}
