package pendopo

import (
	"context"
	"math"
	"strings"
	"time"
	"unicode/utf8"
)

// Citizen reports: complaints (pengaduan), aspirations (aspirasi) and
// public information requests (permintaan informasi, UU 14/2008). The
// flow follows SP4N-LAPOR!: a region coordinator verifies a report and
// disposes it to an agency, which follows up and answers; deadlines are
// counted in working days.

// ReportKind is what a report asks for.
type ReportKind string

// Report kinds.
const (
	ReportComplaint   ReportKind = "pengaduan"
	ReportAspiration  ReportKind = "aspirasi"
	ReportInfoRequest ReportKind = "informasi"
)

// ReportKinds lists the kinds with their names.
var ReportKinds = []struct {
	Kind  ReportKind
	Title Text
}{
	{ReportComplaint, M("rule.complaint")},
	{ReportAspiration, M("rule.aspiration")},
	{ReportInfoRequest, M("rule.public_information_request")},
}

// Privacy is what a reporter lets others see; the system enforces it.
type Privacy string

// Privacy options, as on SP4N-LAPOR!.
const (
	// PrivacyPublic: the report and its answer are public, without the
	// reporter's contact details.
	PrivacyPublic Privacy = "publik"
	// PrivacyAnonymous: the reporter's identity is hidden from officers
	// and the public; only the reporter sees it.
	PrivacyAnonymous Privacy = "anonim"
	// PrivacyConfidential: the report's content is hidden from the
	// public; officers handling it see it.
	PrivacyConfidential Privacy = "rahasia"
)

// JoiningRole is the role that makes a region one that has joined
// Pendopo, and so one that takes reports. A report filed with a region
// waits for the region's coordinator to verify it and dispose it to an
// agency within 3 working days: routing by area or category only
// suggests the agency, someone must still dispose. The coordinator is
// the region's admin, the only role scoped to a region that Allows
// ActCoordinateReports there. Agency staff alone do not make a region
// joined (they act only on what was disposed to them), nor does a
// national admin (they may act anywhere, but are nobody's coordinator and
// are not told of a region's reports). A region where no account holds
// this role for exactly its code has not joined: a report there would
// wait for nobody, so Pendopo sends the citizen to SP4N-LAPOR! instead.
const JoiningRole = RoleRegionAdmin

// LaporURL is SP4N-LAPOR!, the national complaints service, where a
// citizen of a region that has not joined Pendopo files a report by
// choosing that region's government.
const LaporURL = "https://www.lapor.go.id"

// ReportCategory is a subject of reports, routed per region to an agency
// and offered as an Open311 service.
type ReportCategory struct {
	Code  string `json:"code"`
	Title Text   `json:"title"`
	// Located categories are about a place (a pothole, a street light):
	// the form asks for the location first.
	Located bool `json:"located"`
}

// ReportCategories are the national report categories; a region routes
// each to one of its agencies.
var ReportCategories = []ReportCategory{
	{"jalan", M("rule.damaged_roads_bridges"), true},
	{"penerangan-jalan", M("rule.street_lighting"), true},
	{"drainase-banjir", M("rule.drainage_flooding"), true},
	{"sampah", M("rule.waste_cleanliness"), true},
	{"air-bersih", M("rule.clean_water"), true},
	{"lalu-lintas", M("rule.traffic_public_transport"), true},
	{"taman-fasum", M("rule.parks_public_facilities"), true},
	{"lingkungan", M("rule.pollution"), true},
	{"ketertiban", M("rule.public_order"), true},
	{"pelayanan-publik", M("rule.public_service_below_its_standard"), false},
	{"pungli", M("rule.illegal_fees_corruption"), false},
	{"kesehatan", M("rule.health"), false},
	{"pendidikan", M("rule.education"), false},
	{"sosial", M("rule.social_assistance"), false},
	{"kependudukan", M("rule.civil_registration"), false},
	{"informasi-publik", M("rule.public_information"), false},
	{"lainnya", M("rule.other"), false},
}

// ReportCategoryByCode finds a category.
func ReportCategoryByCode(code string) (ReportCategory, bool) {
	for _, c := range ReportCategories {
		if c.Code == code {
			return c, true
		}
	}
	return ReportCategory{}, false
}

// ReportStatus is where a report stands.
type ReportStatus string

// Report statuses; rejected and archived reports carry a reason.
const (
	ReportReceived ReportStatus = "diterima"
	ReportVerified ReportStatus = "diverifikasi"
	ReportDisposed ReportStatus = "didisposisikan"
	ReportFollowed ReportStatus = "ditindaklanjuti"
	ReportDone     ReportStatus = "selesai"
	ReportRejected ReportStatus = "ditolak"
	ReportArchived ReportStatus = "diarsipkan"
)

// Open reports whether work on the report goes on.
func (s ReportStatus) Open() bool {
	return s != ReportDone && s != ReportRejected && s != ReportArchived
}

// ReportAction is something done to a report.
type ReportAction string

// Report actions. The coordinator verifies, rejects or archives, disposes
// to an agency and may forward elsewhere; the agency answers (follows up)
// and completes; for information requests it may extend the deadline
// once. The reporter replies, rates a completed report and may reopen it.
const (
	ActReportVerify   ReportAction = "verify"
	ActReportReject   ReportAction = "reject"
	ActReportArchive  ReportAction = "archive"
	ActReportDispose  ReportAction = "dispose"
	ActReportForward  ReportAction = "forward"
	ActReportAnswer   ReportAction = "answer"
	ActReportComplete ReportAction = "complete"
	ActReportExtend   ReportAction = "extend"
	ActReportReply    ReportAction = "reply"
	ActReportRate     ReportAction = "rate"
	ActReportReopen   ReportAction = "reopen"
	ActReportMerge    ReportAction = "merge"
	// ActReportRelease lets a report the moderation rules flagged go
	// public; a coordinator hides one by archiving it.
	ActReportRelease ReportAction = "release"
)

// Time limits, from SP4N-LAPOR! and UU 14/2008 (REFERENCE.md §3).
const (
	// VerifyDays is the coordinator's time to verify and dispose.
	VerifyDays = 3
	// FollowUpDays is the agency's time for a first follow-up after
	// disposition.
	FollowUpDays = 5
	// InfoRequestDays is the time to answer an information request,
	// extendable once by InfoExtensionDays.
	InfoRequestDays   = 10
	InfoExtensionDays = 7
	// ReopenDays is how long after completion a reporter may reopen.
	ReopenDays = 10
	// SettlementDays is how long, in calendar days from receipt, a
	// complaint may take to settle once followed up (UU 25/2009 Pasal 50).
	SettlementDays = 60
	// MaxReportDescription is Open311's limit on a description.
	MaxReportDescription = 4000
)

// ReportState is what a transition changes.
type ReportState struct {
	Status ReportStatus `json:"status"`
	// Extended is true once an information request's deadline was
	// extended; it can be extended only once.
	Extended bool `json:"extended,omitempty"`
}

var errReportTransition = Errorf(KindConflict, M("rule.that_action_not_possible_report"))

// NextReport is the state after action a on a report of kind in state s,
// or an error when a is not allowed now. Rejecting, archiving,
// forwarding, answering and extending need a note (the reason or the
// answer); closedAt and now decide whether a reopen is still in time.
func NextReport(kind ReportKind, s ReportState, a ReportAction, note string, closedAt, now time.Time) (ReportState, error) {
	needNote := map[ReportAction]Text{
		ActReportReject:  M("rule.write_reason_for_rejecting"),
		ActReportArchive: M("rule.write_reason_for_archiving"),
		ActReportForward: M("rule.write_reason_for_forwarding"),
		ActReportAnswer:  M("rule.write_answer_follow_up"),
		ActReportExtend:  M("rule.write_reason_for_extension"),
		ActReportReply:   M("rule.write_your_reply"),
		ActReportReopen:  M("rule.write_why_report_should_be"),
	}
	if msg, ok := needNote[a]; ok && strings.TrimSpace(note) == "" {
		var p Problems
		p.Add("note", msg)
		return s, p.Err()
	}
	next := s
	switch {
	case a == ActReportVerify && s.Status == ReportReceived:
		next.Status = ReportVerified
	case (a == ActReportReject || a == ActReportArchive) && (s.Status == ReportReceived || s.Status == ReportVerified):
		next.Status = ReportRejected
		if a == ActReportArchive {
			next.Status = ReportArchived
		}
	case a == ActReportDispose && (s.Status == ReportReceived || s.Status == ReportVerified):
		next.Status = ReportDisposed
	case a == ActReportForward && (s.Status == ReportVerified || s.Status == ReportDisposed || s.Status == ReportFollowed):
		// Handed to another agency, the province or another region: the
		// report waits on its new handler.
		next.Status = ReportDisposed
	case a == ActReportAnswer && (s.Status == ReportDisposed || s.Status == ReportFollowed):
		next.Status = ReportFollowed
	case a == ActReportComplete && s.Status == ReportFollowed:
		next.Status = ReportDone
	case a == ActReportExtend && kind == ReportInfoRequest && !s.Extended && (s.Status == ReportVerified || s.Status == ReportDisposed || s.Status == ReportReceived):
		next.Extended = true
	case a == ActReportReply && s.Status != ReportRejected && s.Status != ReportArchived:
	case a == ActReportRate && s.Status == ReportDone:
	case a == ActReportReopen && s.Status == ReportDone:
		if now.Sub(closedAt) > ReopenDays*24*time.Hour {
			return s, Errorf(KindConflict, M("rule.a_report_can_be_reopened"))
		}
		next.Status = ReportDisposed
	case a == ActReportMerge && s.Status.Open():
		next.Status = ReportDone
	case a == ActReportRelease:
	default:
		return s, errReportTransition
	}
	return next, nil
}

// ReportLocation is where a report is about: a map pin, an address, or
// both.
type ReportLocation struct {
	Lat     *float64 `json:"lat,omitempty"`
	Lng     *float64 `json:"long,omitempty"`
	Address string   `json:"address,omitempty"`
}

// Has reports whether the location has a pin.
func (l ReportLocation) Has() bool { return l.Lat != nil && l.Lng != nil }

// Bounds is a region's box on the map, set by its admin, that pins of its
// reports must fall in.
type Bounds struct {
	South float64 `json:"south"`
	West  float64 `json:"west"`
	North float64 `json:"north"`
	East  float64 `json:"east"`
}

// Contains reports whether a point lies in the box.
func (b Bounds) Contains(lat, lng float64) bool {
	return lat >= b.South && lat <= b.North && lng >= b.West && lng <= b.East
}

// indonesia roughly bounds the country, for regions without their own box.
var indonesia = Bounds{South: -11.5, West: 94.5, North: 6.5, East: 141.5}

// ReportInput is what a reporter sends.
type ReportInput struct {
	Kind        ReportKind `json:"kind"`
	Title       string     `json:"title"`
	Description string     `json:"description"`
	Category    string     `json:"category"`
	ServiceID   int64      `json:"service_id,omitempty"`
	// Component names the part of the service's standard that was not
	// kept, such as "fee" (possible pungli) or "duration".
	Component string         `json:"component,omitempty"`
	Location  ReportLocation `json:"location"`
	// District is the code of a kecamatan of the region ("33.74.07"),
	// for a reporter who names the kecamatan instead of placing a pin:
	// the report is then pinned at the kecamatan's name point. It is
	// ignored when the location has a pin.
	District string  `json:"district,omitempty"`
	Privacy  Privacy `json:"privacy"`
	// Contact is an email or mobile number for updates when the reporter
	// has no account (or prefers another address); Name is optional.
	Contact string `json:"contact,omitempty"`
	Name    string `json:"name,omitempty"`
}

// Validate checks and tidies a report. bounds, when not nil, is the
// region's box for pins; signedIn tells whether an account receives
// updates, else a contact is needed.
func (in *ReportInput) Validate(bounds *Bounds, signedIn bool) error {
	var p Problems
	in.Title, in.Description, in.Contact, in.Name = strings.TrimSpace(in.Title), strings.TrimSpace(in.Description), strings.TrimSpace(in.Contact), strings.TrimSpace(in.Name)
	in.Location.Address = strings.TrimSpace(in.Location.Address)
	known := false
	for _, k := range ReportKinds {
		known = known || k.Kind == in.Kind
	}
	if !known {
		p.Add("kind", M("rule.choose_kind_complaint_aspiration_information"))
	}
	if n := utf8.RuneCountInString(in.Title); n < 5 || n > 150 || !ValidText(in.Title) {
		p.Add("title", M("rule.a_title_5_150_characters"))
	}
	if n := utf8.RuneCountInString(in.Description); n < 10 || n > MaxReportDescription || !ValidText(in.Description) {
		p.Add("description", M("rule.a_description_10_4_000"))
	}
	if _, ok := ReportCategoryByCode(in.Category); !ok {
		p.Add("category", M("rule.choose_category"))
	}
	if in.Component != "" {
		ok := false
		for _, c := range Components {
			ok = ok || c.Key == in.Component && c.Delivery
		}
		if !ok || in.ServiceID == 0 {
			p.Add("component", M("rule.a_part_standard_goes_with"))
		}
	}
	switch in.Privacy {
	case PrivacyPublic, PrivacyAnonymous, PrivacyConfidential:
	default:
		p.Add("privacy", M("rule.choose_who_may_see_report"))
	}
	l := in.Location
	switch {
	case (l.Lat == nil) != (l.Lng == nil):
		p.Add("location", M("rule.a_map_pin_needs_latitude"))
	case l.Has() && (math.IsNaN(*l.Lat) || math.IsNaN(*l.Lng) || !indonesia.Contains(*l.Lat, *l.Lng)):
		p.Add("location", M("rule.the_pin_lies_outside_indonesia"))
	case l.Has() && bounds != nil && !bounds.Contains(*l.Lat, *l.Lng):
		p.Add("location", M("rule.the_pin_lies_outside_this"))
	}
	if utf8.RuneCountInString(l.Address) > 300 || !ValidText(l.Address) {
		p.Add("location.address", M("rule.an_address_at_most_300"))
	}
	if c, ok := ReportCategoryByCode(in.Category); ok && c.Located && !l.Has() && l.Address == "" {
		p.Add("location", M("rule.mark_place_on_map_write"))
	}
	if in.Contact != "" {
		if _, _, ok := NormalizeLogin(in.Contact); !ok {
			p.Add("contact", M("rule.write_email_address_indonesian_mobile"))
		}
	} else if !signedIn {
		p.Add("contact", M("rule.without_account_write_email_mobile"))
	}
	if utf8.RuneCountInString(in.Name) > 100 || !ValidText(in.Name) {
		p.Add("name", M("rule.a_name_at_most_100"))
	}
	return p.Err()
}

// PossiblePungli reports whether a report says a fee above the published
// tariff was asked: the standard's fee component was breached, or the
// category is illegal fees.
func (in ReportInput) PossiblePungli() bool {
	return in.Component == "fee" || in.Category == "pungli"
}

// ReportDue is the last working day for the report's next step: the
// coordinator's verification and disposition while it is received or
// verified, the agency's first follow-up once disposed; an information
// request must be answered within 10 working days of receipt (17 when
// extended). It is 0 when nothing is due (answered or closed).
func ReportDue(kind ReportKind, s ReportState, received, disposed Day, cal *Calendar) Day {
	switch s.Status {
	case ReportReceived, ReportVerified:
		return cal.Deadline(received, VerifyDays, false)
	case ReportDisposed:
		if kind == ReportInfoRequest {
			n := InfoRequestDays
			if s.Extended {
				n += InfoExtensionDays
			}
			return cal.Deadline(received, n, false)
		}
		return cal.Deadline(disposed, FollowUpDays, false)
	}
	return 0
}

// Report is a citizen's report as stored.
type Report struct {
	ID          int64          `json:"-"`
	Number      string         `json:"number"`
	Region      string         `json:"region"`
	Kind        ReportKind     `json:"kind"`
	Category    string         `json:"category"`
	Title       string         `json:"title"`
	Description string         `json:"description"`
	ServiceID   int64          `json:"service_id,omitempty"`
	Component   string         `json:"component,omitempty"`
	Location    ReportLocation `json:"location"`
	Privacy     Privacy        `json:"privacy"`
	ReportState
	// Agency is the slug of the agency the report was disposed to.
	Agency string `json:"agency,omitempty"`
	// ReporterID is the reporter's account for public and confidential
	// reports; 0 for anonymous reports and reporters without an account.
	ReporterID int64 `json:"-"`
	// ReporterKey is a keyed hash of the reporter (account or contact),
	// so that reporters find their own reports, anonymous ones too,
	// without their identity being stored in the clear.
	ReporterKey string `json:"-"`
	// Sealed is the reporter's identity (account, name, contact),
	// encrypted with the instance key; only the reporter's own requests
	// and the delivery of updates open it.
	Sealed []byte `json:"-"`
	// SecretHash is a keyed hash of the reporter's key: the secret,
	// given to the reporter alone when they file without an account,
	// that lets them act as the reporter. Neither the tracking number
	// nor the contact they gave proves who they are. "" when the report
	// was filed with an account (or before keys, until one is asked for).
	SecretHash string `json:"-"`
	// Received, Disposed and Due are working days in the region's zone;
	// Due is the deadline of the next step, 0 when none.
	Received Day `json:"received"`
	Disposed Day `json:"disposed,omitzero"`
	Due      Day `json:"due,omitzero"`
	// Answer is the agency's latest public answer.
	Answer     string    `json:"answer,omitempty"`
	AnsweredAt time.Time `json:"answered_at,omitzero"`
	Rating     int       `json:"rating,omitempty"`
	ClosedAt   time.Time `json:"closed_at,omitzero"`
	// MergedInto names the report a duplicate was merged into.
	MergedInto int64 `json:"-"`
	// Flagged reports wait in the moderation queue before the public
	// sees them; FlagReason says which rule flagged them.
	Flagged     bool      `json:"-"`
	FlagReason  string    `json:"-"`
	EscalatedAt time.Time `json:"-"`
	Rev         int       `json:"-"`
	// Key makes a submission idempotent per reporter.
	Key       string    `json:"-"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

// ReportEvent is one line of a report's history. Public events (answers,
// status changes) show on the public page; internal notes do not.
type ReportEvent struct {
	ID        int64        `json:"-"`
	ReportID  int64        `json:"-"`
	At        time.Time    `json:"at"`
	ActorID   int64        `json:"-"`
	ActorRole RoleKind     `json:"actor_role,omitempty"`
	Action    ReportAction `json:"action"`
	Status    ReportStatus `json:"status"`
	Note      string       `json:"note,omitempty"`
	// Agency is where a disposition or forwarding sent the report;
	// Target names another region or instansi when it left Pendopo's
	// region.
	Agency string `json:"agency,omitempty"`
	Target string `json:"target,omitempty"`
	Public bool   `json:"-"`
}

// ReportPhoto is a photo attached to a report; the bytes are in the blob
// store.
type ReportPhoto struct {
	ReportID  int64     `json:"-"`
	Addr      string    `json:"addr"`
	Media     string    `json:"media"`
	Size      int64     `json:"size"`
	CreatedAt time.Time `json:"created_at"`
}

// ReportFilter selects reports; zero fields do not filter.
type ReportFilter struct {
	Region string
	Agency string
	// Agencies keeps reports disposed to any of these agencies.
	Agencies []string
	Statuses []ReportStatus
	Kind     ReportKind
	Category string
	// Public keeps what the public may see: not confidential, not
	// flagged for moderation, not merged away.
	Public      bool
	ReporterKey string
	// DueBy keeps open reports whose deadline is on or before the day.
	DueBy Day
	// Flagged keeps the moderation queue.
	Flagged bool
	// Since and Until bound the creation time (Until exclusive).
	Since, Until time.Time
	// Box keeps reports with a pin inside it.
	Box  *Bounds
	IDs  []int64
	Page Page
	// Numbers and Categories keep reports with any of these tracking
	// numbers or categories.
	Numbers, Categories []string
	// ByDue orders by deadline, soonest first, instead of newest first.
	ByDue bool
	// ByID orders by id, oldest first, and keeps reports after AfterID:
	// a way to walk a whole region a page at a time without counting or
	// skipping rows.
	ByID    bool
	AfterID int64
	// NoTotal skips counting every match, which costs a scan of a busy
	// region: the total returned is then the rows before this page plus
	// those found, one more than the page holds when another page follows.
	NoTotal bool
}

// ReportStore keeps reports, their history and photos, the regions'
// routing of categories to agencies and their map boxes.
type ReportStore interface {
	// CreateReport stores a new report; the same reporter key and Key
	// again returns the first one.
	CreateReport(ctx context.Context, r Report) (Report, error)
	Report(ctx context.Context, id int64) (Report, error)
	ReportByNumber(ctx context.Context, number string) (Report, error)
	// UpdateReport writes r when the stored revision is still r.Rev and
	// returns it with Rev+1; otherwise ErrConflict.
	UpdateReport(ctx context.Context, r Report) (Report, error)
	Reports(ctx context.Context, f ReportFilter) ([]Report, int, error)
	// ReportWork counts a region's reports in f.Statuses per agency as
	// WorkCount says, on day f.Today; new ones are those in status
	// f.Fresh. Agencies with nothing are left out.
	ReportWork(ctx context.Context, f WorkFilter) ([]WorkCount, error)
	AddReportEvent(ctx context.Context, e ReportEvent) error
	ReportEvents(ctx context.Context, reportID int64) ([]ReportEvent, error)
	// ReportEventsIn lists events across reports, oldest first, with
	// their total.
	ReportEventsIn(ctx context.Context, f ReportEventFilter) ([]ReportEvent, int, error)
	AddReportPhoto(ctx context.Context, p ReportPhoto) error
	// ReportPhotos returns the photos of several reports, by report.
	ReportPhotos(ctx context.Context, ids []int64) (map[int64][]ReportPhoto, error)

	// SetReportRoute sends a category's reports in region to an agency;
	// an empty agency removes the route.
	SetReportRoute(ctx context.Context, region, category, agency string) error
	// ReportRoutes maps a region's categories to agency slugs.
	ReportRoutes(ctx context.Context, region string) (map[string]string, error)
	// AddReportAreaRoute stores a rule that sends the reports pinned in an
	// area (of one category, or any) to an agency; ReportAreaRoutes lists
	// a region's in the order they were made, the order they apply in;
	// DeleteReportAreaRoute removes one (ErrNotFound if the region has no
	// such rule).
	AddReportAreaRoute(ctx context.Context, r ReportAreaRoute) (ReportAreaRoute, error)
	ReportAreaRoutes(ctx context.Context, region string) ([]ReportAreaRoute, error)
	DeleteReportAreaRoute(ctx context.Context, region string, id int64) error
	// SetRegionBounds sets (nil: removes) a region's map box.
	SetRegionBounds(ctx context.Context, region string, b *Bounds) error
	RegionBounds(ctx context.Context, region string) (*Bounds, error)
}

// ReportAreaRoute sends the reports pinned inside an area of a region (a
// kecamatan, a market, a stretch of coast) to an agency other than the
// one the category's routing names: the area's own UPT or kecamatan
// office, say. The area is a kecamatan by its code (District) or, when
// District is "", a box on the map. Category "" applies to every
// category.
type ReportAreaRoute struct {
	ID       int64  `json:"id"`
	Region   string `json:"region"`
	Name     string `json:"name"`
	Category string `json:"category,omitempty"`
	District string `json:"district,omitempty"`
	Area     Bounds `json:"area"`
	Agency   string `json:"agency"`
}

// Validate checks a rule's name, category, area (a kecamatan code of the
// region, or a box inside Indonesia, south below north and west of east)
// and agency slug. Whether the kecamatan exists is for the caller, who
// has the boundaries.
func (r *ReportAreaRoute) Validate() error {
	var p Problems
	r.Name = strings.TrimSpace(r.Name)
	if r.Name == "" || len([]rune(r.Name)) > 100 || !ValidText(r.Name) {
		p.Add("area_name", M("rule.name_area_this_rule_at"))
	}
	if _, ok := ReportCategoryByCode(r.Category); r.Category != "" && !ok {
		p.Add("area_category", M("rule.unknown_category"))
	}
	b := r.Area
	switch {
	case r.District != "":
		if !IsDistrictOf(r.District, r.Region) {
			p.Add("area_district", M("rule.choose_kecamatan_of_region"))
		}
		r.Area = Bounds{}
	case b.South >= b.North || b.West >= b.East || !indonesia.Contains(b.South, b.West) || !indonesia.Contains(b.North, b.East):
		p.Add("area_bounds", M("rule.the_area_must_lie_indonesia"))
	}
	if !ValidSlug(r.Agency) {
		p.Add("area_agency", M("rule.choose_agency_send_them"))
	}
	return p.Err()
}

// IsDistrictOf reports whether code has the form of a kecamatan code of
// region, a kabupaten/kota: "33.74.07" of "33.74".
func IsDistrictOf(code, region string) bool {
	rest, ok := strings.CutPrefix(code, region+".")
	if !ok || len(rest) != 2 || strings.Count(region, ".") != 1 {
		return false
	}
	return rest[0] >= '0' && rest[0] <= '9' && rest[1] >= '0' && rest[1] <= '9'
}

// RouteReport is the agency a report goes to: the first area rule whose
// area holds its pin (a rule by kecamatan: whose kecamatan is district,
// the code of the kecamatan the pin lies in, "" when unknown) and whose
// category is its own (or any), else the category's routing ("" when
// neither names one).
func RouteReport(r Report, district string, areas []ReportAreaRoute, routes map[string]string) string {
	if r.Location.Has() {
		for _, a := range areas {
			if a.Category != "" && a.Category != r.Category {
				continue
			}
			if a.District != "" && a.District == district || a.District == "" && a.Area.Contains(*r.Location.Lat, *r.Location.Lng) {
				return a.Agency
			}
		}
	}
	return routes[r.Category]
}
