package open311

import (
	"context"
	"encoding/json"
	"math"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/pendopo/pendopo"
	"github.com/pendopo/pendopo/internal/app"
)

// Limits of GET requests and servicerequestupdates.
const (
	// MaxWindow is the longest time span one query may cover, and the
	// span of the default window ending now.
	MaxWindow = 90 * 24 * time.Hour
	// DefaultPageSize and MaxPageSize bound page_size; the specification
	// answers up to 1000 requests at once.
	DefaultPageSize = 50
	MaxPageSize     = pendopo.MaxPerPage
	// MaxRequestIDs is how many service_request_id one query may name.
	MaxRequestIDs = 100
	maxPage       = 1_000_000
)

// opt is an optional text: null in JSON and an empty element in XML
// when empty, as in the specification's examples.
type opt string

// MarshalJSON writes null for an empty text.
func (o opt) MarshalJSON() ([]byte, error) {
	if o == "" {
		return []byte("null"), nil
	}
	return json.Marshal(string(o))
}

// coord is an optional coordinate: a number or null in JSON, its digits
// or an empty element in XML.
type coord struct {
	v  float64
	ok bool
}

func coordOf(p *float64) coord {
	if p == nil || math.IsNaN(*p) || math.IsInf(*p, 0) {
		return coord{}
	}
	// Six decimals are about 11 cm: what a pin means, without the
	// float's noise (110.33500000000001).
	return coord{math.Round(*p*1e6) / 1e6, true}
}

// MarshalText writes the number, or nothing.
func (c coord) MarshalText() ([]byte, error) {
	if !c.ok {
		return nil, nil
	}
	return strconv.AppendFloat(nil, c.v, 'f', -1, 64), nil
}

// MarshalJSON writes the number, or null.
func (c coord) MarshalJSON() ([]byte, error) {
	if !c.ok {
		return []byte("null"), nil
	}
	return c.MarshalText()
}

type requestOut struct {
	ID          string `json:"service_request_id" xml:"service_request_id"`
	Status      string `json:"status" xml:"status"`
	StatusNotes opt    `json:"status_notes" xml:"status_notes"`
	ServiceName string `json:"service_name" xml:"service_name"`
	ServiceCode string `json:"service_code" xml:"service_code"`
	Description string `json:"description" xml:"description"`
	Agency      opt    `json:"agency_responsible" xml:"agency_responsible"`
	Notice      opt    `json:"service_notice" xml:"service_notice"`
	Requested   string `json:"requested_datetime" xml:"requested_datetime"`
	Updated     string `json:"updated_datetime" xml:"updated_datetime"`
	Expected    opt    `json:"expected_datetime" xml:"expected_datetime"`
	Address     opt    `json:"address" xml:"address"`
	AddressID   opt    `json:"address_id" xml:"address_id"`
	Zipcode     opt    `json:"zipcode" xml:"zipcode"`
	Lat         coord  `json:"lat" xml:"lat"`
	Long        coord  `json:"long" xml:"long"`
	MediaURL    opt    `json:"media_url" xml:"media_url"`
}

// openStatus is a report's status as Open311 has it: open while work
// goes on (received, verified, disposed, followed up), closed when done,
// rejected or archived.
func openStatus(s pendopo.ReportStatus) string {
	if s.Open() {
		return "open"
	}
	return "closed"
}

// stamp writes a time in the region's zone, such as 2026-11-27T17:00:00+07:00.
func stamp(t time.Time, region string) string {
	return t.In(pendopo.RegionZone(region)).Format(time.RFC3339)
}

// agencyNames finds the names of the agencies reports were disposed to,
// reading each region's agencies once.
type agencyNames struct {
	s        *server
	byRegion map[string]map[string]string
}

func (n *agencyNames) name(ctx context.Context, region, slug string) (string, error) {
	if slug == "" {
		return "", nil
	}
	names, ok := n.byRegion[region]
	if !ok {
		list, _, err := n.s.app.Agencies(ctx, region, pendopo.Page{PerPage: pendopo.MaxPerPage})
		if err != nil && !isNotFound(err) {
			return "", err
		}
		names = make(map[string]string, len(list))
		for _, a := range list {
			names[a.Slug] = a.Name
		}
		if n.byRegion == nil {
			n.byRegion = map[string]map[string]string{}
		}
		n.byRegion[region] = names
	}
	if name := names[slug]; name != "" {
		return name, nil
	}
	return slug, nil
}

// requestOf writes a public report as a service request. Open311's
// personal fields (email, names, phone, account) are never written.
func requestOf(r app.PublicReport, base, agency string) requestOut {
	out := requestOut{
		ID: r.Number, Status: openStatus(r.Status), StatusNotes: opt(r.Answer), ServiceCode: r.Category,
		Description: r.Description, Agency: opt(agency), Requested: stamp(r.CreatedAt, r.Region),
		Updated: stamp(r.UpdatedAt, r.Region), Address: opt(r.Location.Address),
		Lat: coordOf(r.Location.Lat), Long: coordOf(r.Location.Lng),
	}
	if cat, ok := pendopo.ReportCategoryByCode(r.Category); ok {
		out.ServiceName = cat.Title.Indonesian
	}
	if !r.Status.Open() && !r.ClosedAt.IsZero() {
		out.Updated = stamp(r.ClosedAt, r.Region) // the specification's updated time of a closed request
	}
	due := r.Due
	if due == 0 && r.Status == pendopo.ReportFollowed {
		// Followed up, the report waits to be settled or confirmed: the
		// step's limit is the settlement period from receipt.
		due = r.Received + pendopo.SettlementDays
	}
	if due != 0 && r.Status.Open() {
		// The deadline is a day; the report is due by its end.
		zone := pendopo.RegionZone(r.Region)
		out.Expected = opt(due.Time(zone).Add(24*time.Hour - time.Second).Format(time.RFC3339))
	}
	if len(r.Photos) > 0 {
		out.MediaURL = opt(base + "/laporan/" + url.PathEscape(r.Number) + "/foto/" + url.PathEscape(r.Photos[0].Addr))
	}
	return out
}

// requestList writes public reports as service requests.
func (s *server) requestList(ctx context.Context, base string, reports []app.PublicReport) ([]any, error) {
	names := &agencyNames{s: s}
	list := make([]any, len(reports))
	for i, r := range reports {
		agency, err := names.name(ctx, r.Region, r.Agency)
		if err != nil {
			return nil, err
		}
		list[i] = requestOf(r, base, agency)
	}
	return list, nil
}

// requestsQuery is what GET requests asks for.
type requestsQuery struct {
	// numbers, when set, are all that is asked: the specification lets
	// service_request_id override every other argument.
	numbers      []string
	region       string
	categories   []string
	statuses     []pendopo.ReportStatus
	since, until time.Time
	page         pendopo.Page
}

// values gathers a parameter given several times or comma-separated.
func values(q url.Values, name string) []string {
	var out []string
	for _, v := range q[name] {
		for _, part := range strings.Split(v, ",") {
			if part = strings.TrimSpace(part); part != "" {
				out = append(out, part)
			}
		}
	}
	return out
}

var (
	openStatuses   = []pendopo.ReportStatus{pendopo.ReportReceived, pendopo.ReportVerified, pendopo.ReportDisposed, pendopo.ReportFollowed}
	closedStatuses = []pendopo.ReportStatus{pendopo.ReportDone, pendopo.ReportRejected, pendopo.ReportArchived}
)

// parseRequestsQuery reads the arguments of GET requests; now ends the
// default window. Every error names its argument; unknown service codes
// are not found.
func parseRequestsQuery(q url.Values, now time.Time) (requestsQuery, error) {
	var rq requestsQuery
	if ids := values(q, "service_request_id"); len(ids) > 0 {
		if len(ids) > MaxRequestIDs {
			return rq, problem("service_request_id", pendopo.M("open311.at_most_ids_at_once", strconv.Itoa(MaxRequestIDs)))
		}
		for _, id := range ids {
			n, err := pendopo.ParseTrackingNumber(id)
			if err != nil {
				return rq, problem("service_request_id", pendopo.M("open311.is_not_report_number_such", strconv.Quote(id)))
			}
			rq.numbers = append(rq.numbers, n)
		}
		rq.page = pendopo.Page{Page: 1, PerPage: len(rq.numbers)}
		return rq, nil
	}
	rq.region = strings.TrimSpace(q.Get("jurisdiction_id"))
	for _, code := range values(q, "service_code") {
		if _, ok := pendopo.ReportCategoryByCode(code); !ok {
			return rq, errUnknownService(code)
		}
		rq.categories = append(rq.categories, code)
	}
	var open, closed bool
	for _, st := range values(q, "status") {
		switch strings.ToLower(st) {
		case "open":
			open = true
		case "closed":
			closed = true
		default:
			return rq, problem("status", pendopo.M("open311.the_status_open_closed"))
		}
	}
	switch {
	case open && !closed:
		rq.statuses = openStatuses
	case closed && !open:
		rq.statuses = closedStatuses
	}
	var err error
	if rq.since, rq.until, err = parseWindow(q, now); err != nil {
		return rq, err
	}
	rq.page, err = parsePage(q)
	return rq, err
}

// parseTime reads a date and time in the W3C subset of ISO 8601 with a
// zone. A + in a query string that was not escaped arrives as a space,
// so a space before the offset is read as +.
func parseTime(q url.Values, name string) (time.Time, error) {
	v := strings.TrimSpace(q.Get(name))
	if v == "" {
		return time.Time{}, nil
	}
	t, err := time.Parse(time.RFC3339, strings.ReplaceAll(v, " ", "+"))
	if err != nil {
		return t, problem(name, pendopo.M("open311.write_iso_8601_time_with"))
	}
	return t, nil
}

// parseWindow reads start_date and end_date: both given, they may span at
// most 90 days; one given, the window runs 90 days from or to it; none,
// it is the last 90 days. until is exclusive: end_date is included.
func parseWindow(q url.Values, now time.Time) (since, until time.Time, err error) {
	start, err := parseTime(q, "start_date")
	if err != nil {
		return since, until, err
	}
	end, err := parseTime(q, "end_date")
	if err != nil {
		return since, until, err
	}
	switch {
	case start.IsZero() && end.IsZero():
		end = now
		start = end.Add(-MaxWindow)
	case start.IsZero():
		start = end.Add(-MaxWindow)
	case end.IsZero():
		end = start.Add(MaxWindow)
	}
	if end.Before(start) {
		return since, until, problem("end_date", pendopo.M("open311.end_date_must_come_after"))
	}
	if end.Sub(start) > MaxWindow {
		return since, until, problem("end_date", pendopo.M("open311.from_start_date_end_date"))
	}
	return start, end.Add(time.Microsecond), nil
}

// nextPage is the page after page when total (as a NoTotal list
// returns it) says one follows, or 0.
func nextPage(page pendopo.Page, total int) int {
	if total > page.Offset()+page.PerPage {
		return page.Page + 1
	}
	return 0
}

// parsePage reads the paging extension's page and page_size.
func parsePage(q url.Values) (pendopo.Page, error) {
	p := pendopo.Page{Page: 1, PerPage: DefaultPageSize}
	if v := strings.TrimSpace(q.Get("page")); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > maxPage {
			return p, problem("page", pendopo.M("open311.the_page_whole_number_from"))
		}
		p.Page = n
	}
	if v := strings.TrimSpace(q.Get("page_size")); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > MaxPageSize {
			return p, problem("page_size", pendopo.M("open311.page_size_1", strconv.Itoa(MaxPageSize)))
		}
		p.PerPage = n
	}
	return p, nil
}

// requests lists the public reports asked for, newest first.
func (s *server) requests(c *call) (reply, error) {
	ctx := c.r.Context()
	q, err := parseRequestsQuery(c.r.URL.Query(), s.app.Now())
	if err != nil {
		return reply{}, err
	}
	if err := s.jurisdiction(ctx, q.region); err != nil {
		return reply{}, err
	}
	f := pendopo.ReportFilter{Region: q.region, Numbers: q.numbers, Categories: q.categories, Statuses: q.statuses,
		Since: q.since, Until: q.until, Page: q.page, NoTotal: true}
	reports, total, err := s.app.PublicReports(ctx, f)
	if err != nil {
		return reply{}, err
	}
	list, err := s.requestList(ctx, s.base(c.r), reports)
	if err != nil {
		return reply{}, err
	}
	return reply{root: "service_requests", item: "request", list: list, next: nextPage(q.page, total)}, nil
}

// publicReport finds the public report with a tracking number, or a 404
// that does not tell a confidential report from none.
func (s *server) publicReport(ctx context.Context, number string) (app.PublicReport, error) {
	none := notFound(pendopo.M("open311.no_public_report_has_number", strconv.Quote(number)))
	n, err := pendopo.ParseTrackingNumber(number)
	if err != nil {
		return app.PublicReport{}, none
	}
	list, _, err := s.app.PublicReports(ctx, pendopo.ReportFilter{Numbers: []string{n}, Page: pendopo.Page{PerPage: 1}})
	if err != nil {
		return app.PublicReport{}, err
	}
	if len(list) == 0 {
		return app.PublicReport{}, none
	}
	return list[0], nil
}

// request answers one public report.
func (s *server) request(c *call) (reply, error) {
	ctx := c.r.Context()
	region := strings.TrimSpace(c.r.FormValue("jurisdiction_id"))
	if err := s.jurisdiction(ctx, region); err != nil {
		return reply{}, err
	}
	r, err := s.publicReport(ctx, c.arg)
	if err != nil {
		return reply{}, err
	}
	if region != "" && r.Region != region {
		return reply{}, notFound(pendopo.M("open311.that_report_not_one_region", region))
	}
	list, err := s.requestList(ctx, s.base(c.r), []app.PublicReport{r})
	if err != nil {
		return reply{}, err
	}
	return reply{root: "service_requests", item: "request", list: list}, nil
}

type tokenOut struct {
	ID    string `json:"service_request_id" xml:"service_request_id"`
	Token string `json:"token" xml:"token"`
}

// token answers the request id of a token. Requests get their id at once
// (type realtime), so a token is the tracking number itself; it resolves
// for the reports the public may see.
func (s *server) token(c *call) (reply, error) {
	if err := s.jurisdiction(c.r.Context(), strings.TrimSpace(c.r.FormValue("jurisdiction_id"))); err != nil {
		return reply{}, err
	}
	r, err := s.publicReport(c.r.Context(), c.arg)
	if err != nil {
		return reply{}, err
	}
	return reply{root: "service_requests", item: "request", list: []any{tokenOut{ID: r.Number, Token: c.arg}}}, nil
}
