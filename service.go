package pendopo

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

// Service is one public service of a region: its identity, the content of
// its published version and the times citizens need to judge it.
type Service struct {
	ID         int64  `json:"id"`
	RegionCode string `json:"region"`
	ServiceContent
	// Version is the published version shown to the public; 0 while the
	// service has never been published.
	Version int `json:"version"`
	// LatestVersion is the newest version, which may be an unpublished draft.
	LatestVersion int       `json:"latest_version"`
	CreatedAt     time.Time `json:"created_at"`
	// UpdatedAt is when the published version was published.
	UpdatedAt time.Time `json:"updated_at"`
	// ReviewedAt is when the standard was last confirmed or changed.
	ReviewedAt time.Time `json:"reviewed_at"`
}

// ReviewInterval is how long a standard may go without review before the
// portal flags it (PermenPAN-RB 15/2014 asks for periodic evaluation).
const ReviewIntervalMonths = 12

// NeedsReview reports whether the standard was last reviewed more than 12
// months before now.
func (s Service) NeedsReview(now time.Time) bool {
	return s.ReviewedAt.AddDate(0, ReviewIntervalMonths, 0).Before(now)
}

// Published reports whether the service has a public version.
func (s Service) Published() bool { return s.Version > 0 }

// ServiceContent is everything an admin edits about a service; each change
// of it is kept as a Version.
type ServiceContent struct {
	Slug       string    `json:"slug"`
	Kind       string    `json:"kind"`
	Name       string    `json:"name"`
	Summary    string    `json:"summary"`
	AgencySlug string    `json:"agency"`
	Category   string    `json:"category"`
	LifeEvents []string  `json:"life_events"`
	Channels   []Channel `json:"channels"`
	OnlineURL  string    `json:"online_url,omitempty"`
	// Points lists the slugs of the service points that deliver it.
	Points   []string `json:"points"`
	Standard Standard `json:"standard"`
	// Apply, when set, lets citizens apply for the service in Pendopo.
	Apply *Online `json:"apply,omitempty"`
}

// Channel is how a service is delivered.
type Channel string

// Channels.
const (
	ChannelOnline  Channel = "online"
	ChannelOffline Channel = "offline"
)

// Standard is the standar pelayanan of a service: the 14 components of
// UU 25/2009 Pasal 21 as structured data.
type Standard struct {
	// Service-delivery components (shown to the public, PermenPAN-RB 15/2014).
	Requirements []string `json:"requirements"` // b. persyaratan
	Procedure    []string `json:"procedure"`    // c. sistem, mekanisme, dan prosedur
	Duration     Duration `json:"duration"`     // d. jangka waktu penyelesaian
	Fee          Fee      `json:"fee"`          // e. biaya/tarif
	Product      string   `json:"product"`      // f. produk pelayanan
	Complaints   []string `json:"complaints"`   // j. penanganan pengaduan, saran, dan masukan
	// Management components (internal to the organisation).
	LegalBasis       []string `json:"legal_basis"`       // a. dasar hukum
	Facilities       []string `json:"facilities"`        // g. sarana, prasarana, dan/atau fasilitas
	Competence       []string `json:"competence"`        // h. kompetensi pelaksana
	Supervision      string   `json:"supervision"`       // i. pengawasan internal
	Staff            string   `json:"staff"`             // k. jumlah pelaksana
	ServiceGuarantee string   `json:"service_guarantee"` // l. jaminan pelayanan
	SafetyGuarantee  string   `json:"safety_guarantee"`  // m. jaminan keamanan dan keselamatan
	Evaluation       string   `json:"evaluation"`        // n. evaluasi kinerja pelaksana
}

// Duration is the jangka waktu: a number of working days after a complete
// application, or the same day.
type Duration struct {
	WorkingDays int    `json:"working_days"`
	SameDay     bool   `json:"same_day"`
	Note        string `json:"note,omitempty"`
}

// Days is the duration in working days, 0 for same-day services; it is the
// sort key of comparisons.
func (d Duration) Days() int {
	if d.SameDay {
		return 0
	}
	return d.WorkingDays
}

// Label says the duration for people.
func (d Duration) Label() Text {
	if d.SameDay {
		return M("rule.same_day")
	}
	if d.WorkingDays == 1 {
		return M("rule.1_working_day")
	}
	return M("rule.working_days", d.WorkingDays)
}

// FeeType says whether a fee is free, a fixed amount or computed by a rule
// (such as a regional tax rate).
type FeeType string

// Fee types.
const (
	FeeFree     FeeType = "free"
	FeeFixed    FeeType = "fixed"
	FeeVariable FeeType = "variable"
)

// Fee is the biaya/tarif of a service with the rule that sets it.
type Fee struct {
	Type FeeType `json:"type"`
	// Amount is in rupiah; set only for a fixed fee.
	Amount int64 `json:"amount"`
	// LegalBasis is the rule that sets the fee or makes the service free.
	LegalBasis string `json:"legal_basis"`
	// Note explains a variable fee or exceptions.
	Note string `json:"note,omitempty"`
}

// Label says the fee for people.
func (f Fee) Label() Text {
	switch f.Type {
	case FeeFree:
		return M("rule.free")
	case FeeFixed:
		return T(Rupiah(f.Amount), Rupiah(f.Amount))
	}
	return M("rule.as_set_by_regulation")
}

// Rupiah formats an amount the Indonesian way: "Rp150.000".
func Rupiah(n int64) string {
	s := fmt.Sprint(n)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte('.')
		}
		b.WriteRune(c)
	}
	if neg {
		return "-Rp" + b.String()
	}
	return "Rp" + b.String()
}

// Component describes one of the 14 components for display and the API.
type Component struct {
	Key string // JSON field of Standard
	// Letter is the item of UU 25/2009 Pasal 21 ("a" to "n").
	Letter string
	Title  Text
	// Delivery marks the six service-delivery components that must be
	// published (PermenPAN-RB 15/2014); the other eight are internal.
	Delivery bool
}

// Components lists the 14 components in the order a citizen reads them:
// the six service-delivery components first, then the eight internal ones.
var Components = []Component{
	{"requirements", "b", M("rule.requirements"), true},
	{"procedure", "c", M("rule.procedure"), true},
	{"duration", "d", M("rule.time_complete"), true},
	{"fee", "e", M("rule.fee"), true},
	{"product", "f", M("rule.what_you_receive"), true},
	{"complaints", "j", M("rule.complaints_suggestions_feedback"), true},
	{"legal_basis", "a", M("rule.legal_basis"), false},
	{"facilities", "g", M("rule.facilities_2"), false},
	{"competence", "h", M("rule.staff_competence"), false},
	{"supervision", "i", M("rule.internal_supervision"), false},
	{"staff", "k", M("rule.number_staff"), false},
	{"service_guarantee", "l", M("rule.service_guarantee"), false},
	{"safety_guarantee", "m", M("rule.security_safety_guarantee"), false},
	{"evaluation", "n", M("rule.staff_performance_evaluation"), false},
}

// DeliveryComponents returns the keys of the six service-delivery components.
func DeliveryComponents() []string {
	var keys []string
	for _, c := range Components {
		if c.Delivery {
			keys = append(keys, c.Key)
		}
	}
	return keys
}

// Limits on service content; they keep pages small and imports sane.
const (
	maxListItems = 60
	maxItemLen   = 1000
	maxTextLen   = 4000
	// MaxWorkingDays bounds a duration; no regional service promises more
	// than a year of working days.
	MaxWorkingDays = 260
)

// Validate checks service content against the taxonomy and normalises it:
// trims text, drops empty list items and sorts channels. It reports every
// problem at once, each with the JSON path of its field.
func (c *ServiceContent) Validate() error {
	var p Problems
	trim(&c.Slug, &c.Kind, &c.Name, &c.Summary, &c.AgencySlug, &c.Category, &c.OnlineURL)
	validSlug(&p, "slug", c.Slug)
	if c.Kind == "" {
		p.Add("kind", M("rule.required_national_service_kind_for"))
	} else if !ValidSlug(c.Kind) {
		p.Add("kind", M("rule.the_service_kind_lowercase_with"))
	}
	required(&p, "name", c.Name)
	maxLen(&p, "name", c.Name, 200)
	maxLen(&p, "summary", c.Summary, 1000)
	validSlug(&p, "agency", c.AgencySlug)
	if _, ok := CategoryByCode(c.Category); !ok {
		p.Add("category", M("rule.unknown_category_2", quote(c.Category)))
	}
	c.LifeEvents = cleanList(c.LifeEvents)
	for i, e := range c.LifeEvents {
		if _, ok := LifeEventByCode(e); !ok {
			p.Add(fmt.Sprintf("life_events[%d]", i), M("rule.unknown_life_event", quote(e)))
		}
	}
	c.LifeEvents = dedupe(c.LifeEvents)
	if len(c.Channels) == 0 {
		p.Add("channels", M("rule.choose_at_least_one_channel"))
	}
	for i, ch := range c.Channels {
		if ch != ChannelOnline && ch != ChannelOffline {
			p.Add(fmt.Sprintf("channels[%d]", i), M("rule.channel_must_be_online_offline"))
		}
	}
	slices.Sort(c.Channels)
	c.Channels = slices.Compact(c.Channels)
	validURL(&p, "online_url", c.OnlineURL)
	c.Points = dedupe(cleanList(c.Points))
	for i, s := range c.Points {
		if !ValidSlug(s) {
			p.Add(fmt.Sprintf("points[%d]", i), M("rule.invalid_service_point_slug"))
		}
	}
	c.Standard.validate(&p)
	if c.Apply != nil {
		if !c.HasChannel(ChannelOnline) {
			p.Add("apply", M("rule.a_service_people_can_apply"))
		}
		if err := c.Apply.Validate(); err != nil {
			for _, f := range problemsOf(err) {
				f.Field = "apply." + f.Field
				p = append(p, f)
			}
		}
	}
	return p.Err()
}

// HasChannel reports whether the service is delivered through ch.
func (c ServiceContent) HasChannel(ch Channel) bool { return slices.Contains(c.Channels, ch) }

func (s *Standard) validate(p *Problems) {
	list := func(field string, l *[]string, need bool) {
		*l = cleanList(*l)
		if need && len(*l) == 0 {
			p.Add("standard."+field, M("rule.required_at_least_one_item"))
		}
		if len(*l) > maxListItems {
			p.Add("standard."+field, M("rule.too_many_items_at_most", len(*l), maxListItems))
		}
		for i, item := range *l {
			maxLen(p, fmt.Sprintf("standard.%s[%d]", field, i), item, maxItemLen)
		}
	}
	text := func(field string, v *string, need bool) {
		*v = strings.TrimSpace(*v)
		if need {
			required(p, "standard."+field, *v)
		}
		maxLen(p, "standard."+field, *v, maxTextLen)
	}
	list("requirements", &s.Requirements, true)
	list("procedure", &s.Procedure, true)
	d := &s.Duration
	d.Note = strings.TrimSpace(d.Note)
	switch {
	case d.SameDay && d.WorkingDays != 0:
		p.Add("standard.duration", M("rule.choose_one_same_day_number"))
	case !d.SameDay && (d.WorkingDays < 1 || d.WorkingDays > MaxWorkingDays):
		p.Add("standard.duration.working_days", M("rule.duration_must_be_1_working", MaxWorkingDays))
	}
	maxLen(p, "standard.duration.note", d.Note, maxItemLen)
	f := &s.Fee
	trim(&f.LegalBasis, &f.Note)
	switch f.Type {
	case FeeFree:
		if f.Amount != 0 {
			p.Add("standard.fee.amount", M("rule.a_free_service_cannot_have"))
		}
		required(p, "standard.fee.legal_basis", f.LegalBasis)
	case FeeFixed:
		if f.Amount <= 0 || f.Amount > 1_000_000_000_000 {
			p.Add("standard.fee.amount", M("rule.the_fee_must_be_more"))
		}
		required(p, "standard.fee.legal_basis", f.LegalBasis)
	case FeeVariable:
		if f.Amount != 0 {
			p.Add("standard.fee.amount", M("rule.a_variable_fee_explained_note"))
		}
		required(p, "standard.fee.legal_basis", f.LegalBasis)
		required(p, "standard.fee.note", f.Note)
	default:
		p.Add("standard.fee.type", M("rule.fee_type_must_be_free"))
	}
	maxLen(p, "standard.fee.legal_basis", f.LegalBasis, maxItemLen)
	maxLen(p, "standard.fee.note", f.Note, maxItemLen)
	text("product", &s.Product, true)
	list("complaints", &s.Complaints, true)
	list("legal_basis", &s.LegalBasis, true)
	list("facilities", &s.Facilities, false)
	list("competence", &s.Competence, false)
	text("supervision", &s.Supervision, false)
	text("staff", &s.Staff, false)
	text("service_guarantee", &s.ServiceGuarantee, false)
	text("safety_guarantee", &s.SafetyGuarantee, false)
	text("evaluation", &s.Evaluation, false)
}

// Complete reports whether all 14 components are filled in; the portal and
// later the e-gov index count incomplete standards.
func (s Standard) Complete() bool {
	return len(s.Requirements) > 0 && len(s.Procedure) > 0 && (s.Duration.SameDay || s.Duration.WorkingDays > 0) &&
		s.Fee.Type != "" && s.Product != "" && len(s.Complaints) > 0 && len(s.LegalBasis) > 0 &&
		len(s.Facilities) > 0 && len(s.Competence) > 0 && s.Supervision != "" && s.Staff != "" &&
		s.ServiceGuarantee != "" && s.SafetyGuarantee != "" && s.Evaluation != ""
}

// cleanList trims items and drops empty ones; the result is never nil, so
// that JSON shows an empty list as [].
func cleanList(l []string) []string {
	out := make([]string, 0, len(l))
	for _, s := range l {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	return out
}

func dedupe(l []string) []string {
	seen := make(map[string]bool, len(l))
	out := make([]string, 0, len(l))
	for _, s := range l {
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out
}

func quote(s string) string { return "\"" + s + "\"" }

// Version is an immutable snapshot of a service's content.
type Version struct {
	ServiceID int64     `json:"service_id"`
	Number    int       `json:"version"`
	Author    string    `json:"author"`
	Note      string    `json:"note"`
	CreatedAt time.Time `json:"created_at"`
	Published bool      `json:"published"`
	// SubmittedAt is when the version was put forward for review; it stays
	// zero for versions that were not, or were sent back.
	SubmittedAt time.Time      `json:"submitted_at,omitzero"`
	SubmittedBy string         `json:"submitted_by,omitempty"`
	Content     ServiceContent `json:"content"`
}

// PendingVersion is a submitted version waiting for a publisher, with its
// service's name and agency for the console.
type PendingVersion struct {
	Version
	Region, Agency, Name string
	// PublishedVersion is the service's public version (0 for none).
	PublishedVersion int
}

// ServiceSummary is the part of a service that lists, search results and
// comparisons show.
type ServiceSummary struct {
	ID           int64     `json:"id"`
	RegionCode   string    `json:"region"`
	RegionName   string    `json:"region_name"`
	Slug         string    `json:"slug"`
	Kind         string    `json:"kind"`
	Name         string    `json:"name"`
	Summary      string    `json:"summary"`
	AgencySlug   string    `json:"agency"`
	AgencyName   string    `json:"agency_name"`
	Category     string    `json:"category"`
	LifeEvents   []string  `json:"life_events"`
	Channels     []Channel `json:"channels"`
	Duration     Duration  `json:"duration"`
	Fee          Fee       `json:"fee"`
	Requirements int       `json:"requirements_count"`
	Version      int       `json:"version"`
	UpdatedAt    time.Time `json:"updated_at"`
	ReviewedAt   time.Time `json:"reviewed_at"`
	NeedsReview  bool      `json:"needs_review"`
	// Complete is true when all 14 components of the standard are filled
	// in; Online when the service takes applications in Pendopo.
	Complete bool `json:"complete"`
	Online   bool `json:"online"`
}
