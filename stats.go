package pendopo

import (
	"context"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"
)

// Service-level figures. Each change that matters to them (an application
// submitted or closed, a report received, verified, disposed, answered,
// reopened) adds small counts to monthly rows keyed by region, agency and
// service, in the same transaction as the change. Dashboards then sum a
// few hundred rows instead of reading every application and report. Times
// are kept as histograms of whole working days, from which the median and
// the 90th percentile are exact.

// Metric names one monthly count.
type Metric string

// The counted metrics. Histogram metrics carry the number of working days
// after a colon, such as "app_days:4"; MaxStatDays and more are counted
// in the last bucket.
const (
	MetricAppReceived  Metric = "app_received"  // applications submitted complete
	MetricAppCompleted Metric = "app_completed" // completed, with a product
	MetricAppRejected  Metric = "app_rejected"
	MetricAppOnTime    Metric = "app_on_time" // completed by the deadline
	MetricAppDays      Metric = "app_days"    // histogram: working days to completion

	MetricRepReceived     Metric = "rep_received"
	MetricRepVerified     Metric = "rep_verified"       // first decision on a received report
	MetricRepVerifyOnTime Metric = "rep_verify_on_time" // within its 3 working days
	MetricRepVerifyDays   Metric = "rep_verify_days"    // histogram
	MetricRepDisposed     Metric = "rep_disposed"       // sent to an agency
	MetricRepAnswered     Metric = "rep_answered"       // followed up by the agency
	MetricRepAnswerOnTime Metric = "rep_answer_on_time"
	MetricRepAnswerDays   Metric = "rep_answer_days" // histogram
	MetricRepDone         Metric = "rep_done"
	MetricRepReopened     Metric = "rep_reopened"
	// Reports received by category and by kind, counted per value with
	// Of, such as "rep_category:jalan".
	MetricRepCategory Metric = "rep_category"
	MetricRepKind     Metric = "rep_kind"
	// Survey answers: respondents, and per unsur (with Of) the sum of the
	// answers and how many answered it, from which the IKM follows.
	MetricSurveyRespondents Metric = "ikm_respondents"
	MetricSurveySum         Metric = "ikm_sum"
	MetricSurveyCount       Metric = "ikm_count"
	// MetricSurveyChannel counts respondents per channel (with Of), so
	// that figures say how many were invited and how many walked in.
	MetricSurveyChannel Metric = "ikm_channel"
)

// SurveyStats counts a survey response in the month it was given, for its
// region, agency and service.
func SurveyStats(r SurveyResponse) []StatDelta {
	s := StatScope{Region: r.Region, Agency: r.Agency, ServiceID: r.ServiceID}
	m := MonthOf(DayOf(r.CreatedAt, RegionZone(r.Region)))
	var t IKMTally
	t.Add(r)
	if t.Respondents == 0 {
		return nil
	}
	out := []StatDelta{{StatScope: s, Month: m, Metric: MetricSurveyRespondents, N: 1},
		{StatScope: s, Month: m, Metric: MetricSurveyChannel.Of(string(r.Channel)), N: 1}}
	for i, u := range Unsurs {
		if t.Count[i] > 0 {
			out = append(out, StatDelta{StatScope: s, Month: m, Metric: MetricSurveySum.Of(string(u.ID)), N: int64(t.Sum[i])},
				StatDelta{StatScope: s, Month: m, Metric: MetricSurveyCount.Of(string(u.ID)), N: int64(t.Count[i])})
		}
	}
	return out
}

// Negate turns deltas into the ones that take them back, as when counted
// survey responses are held for review.
func Negate(deltas []StatDelta) []StatDelta {
	out := make([]StatDelta, len(deltas))
	for i, d := range deltas {
		d.N = -d.N
		out[i] = d
	}
	return out
}

// SurveyTallyOf rebuilds the IKM tally from summed rows.
func SurveyTallyOf(rows []StatRow) IKMTally {
	var t IKMTally
	sums, counts := Counts(rows, MetricSurveySum), Counts(rows, MetricSurveyCount)
	for i, u := range Unsurs {
		t.Sum[i] += int(sums[string(u.ID)])
		t.Count[i] += int(counts[string(u.ID)])
	}
	for _, r := range rows {
		if r.Metric == MetricSurveyRespondents {
			t.Respondents += int(r.N)
		}
	}
	return t
}

// MaxStatDays is the last histogram bucket: anything slower counts there.
const MaxStatDays = 60

// Bucket is the histogram metric for n working days.
func (m Metric) Bucket(n int) Metric {
	return m + Metric(":"+strconv.Itoa(min(max(n, 0), MaxStatDays)))
}

// splitBucket returns a histogram metric's base and its days.
func (m Metric) splitBucket() (Metric, int, bool) {
	base, days, ok := strings.Cut(string(m), ":")
	if !ok {
		return m, 0, false
	}
	n, err := strconv.Atoi(days)
	return Metric(base), n, err == nil
}

// StatScope is what a figure is about: a region, and within it
// optionally an agency and a service ("" and 0 when not).
type StatScope struct {
	Region    string `json:"region"`
	Agency    string `json:"agency,omitempty"`
	ServiceID int64  `json:"service_id,omitempty"`
}

// Month is a calendar month as "2006-01".
type Month string

// MonthOf is the month of a day.
func MonthOf(d Day) Month { return Month(d.Time(time.UTC).Format("2006-01")) }

// ParseMonth reads "2006-01".
func ParseMonth(s string) (Month, error) {
	if _, err := time.Parse("2006-01", s); err != nil || len(s) != 7 {
		return "", fmt.Errorf("month %q: want YYYY-MM", s)
	}
	return Month(s), nil
}

// Add is the month n months later (earlier for negative n).
func (m Month) Add(n int) Month {
	t, _ := time.Parse("2006-01", string(m))
	return Month(t.AddDate(0, n, 0).Format("2006-01"))
}

// StatDelta adds N to a metric of a scope in a month.
type StatDelta struct {
	StatScope
	Month  Month
	Metric Metric
	N      int64
}

// StatRow is a summed metric, by month and by whatever the filter
// grouped on (the other scope fields are empty).
type StatRow struct {
	StatScope
	Month  Month
	Metric Metric
	N      int64
}

// StatFilter selects figures. Figures are kept at three levels: each
// region's own (agency "" and service 0), each agency's (service 0), and
// each service's, every delta counted at its own level and rolled up to
// the levels above it (see Rollup). The filter reads one level, so that
// nothing is counted twice: a region's figures (Agency "" and ServiceID
// 0), one agency's (Agency set), or one service's (ServiceID set).
// GroupBy "region" reads every region's own figures (Region "" for all);
// "agency" each agency's of a region; "service" each service's of a region
// (of one agency when Agency is set). From and To bound the months
// (inclusive). Totals sums over the months (rows with Month ""); Metrics
// keeps only those metrics.
type StatFilter struct {
	Region    string
	Agency    string
	ServiceID int64
	From, To  Month
	GroupBy   string
	Totals    bool
	Metrics   []Metric
}

// StatStore keeps the monthly figures.
type StatStore interface {
	// AddStats adds the deltas, rolled up to the agency and region
	// levels, creating rows as needed.
	AddStats(ctx context.Context, deltas []StatDelta) error
	// StatRows sums the figures a filter selects.
	StatRows(ctx context.Context, f StatFilter) ([]StatRow, error)
	// ResetStats removes every figure, before they are counted again
	// from the applications and reports.
	ResetStats(ctx context.Context) error
}

// Rollup returns the deltas with each also counted at the levels above
// its own: a service's at its agency and its region, an agency's at its
// region.
func Rollup(deltas []StatDelta) []StatDelta {
	out := make([]StatDelta, 0, 3*len(deltas))
	for _, d := range deltas {
		out = append(out, d)
		if d.ServiceID != 0 && d.Agency != "" {
			up := d
			up.ServiceID = 0
			out = append(out, up)
		}
		if d.Agency != "" || d.ServiceID != 0 {
			up := d
			up.Agency, up.ServiceID = "", 0
			out = append(out, up)
		}
	}
	return out
}

// ApplicationReceivedStats counts an application submitted complete.
func ApplicationReceivedStats(app Application) []StatDelta {
	if app.SubmittedAt.IsZero() {
		return nil
	}
	scope := StatScope{Region: app.Region, Agency: app.Agency, ServiceID: app.ServiceID}
	day := DayOf(app.SubmittedAt, RegionZone(app.Region))
	return []StatDelta{{StatScope: scope, Month: MonthOf(day), Metric: MetricAppReceived, N: 1}}
}

// ApplicationClosedStats counts an application that reached a final
// status: completed ones with the working days they took (the days spent
// waiting on the applicant not counted) and whether that was by the
// deadline.
func ApplicationClosedStats(app Application, cal *Calendar, leaveWorks bool) []StatDelta {
	if app.ClosedAt.IsZero() || app.SubmittedAt.IsZero() {
		return nil
	}
	zone := RegionZone(app.Region)
	scope := StatScope{Region: app.Region, Agency: app.Agency, ServiceID: app.ServiceID}
	closed := DayOf(app.ClosedAt, zone)
	month := MonthOf(closed)
	switch app.Status {
	case StatusRejected:
		return []StatDelta{{StatScope: scope, Month: month, Metric: MetricAppRejected, N: 1}}
	case StatusCompleted:
	default:
		return nil
	}
	days := cal.WorkingDaysBetween(cal.AddWorkingDays(DayOf(app.SubmittedAt, zone), 0, leaveWorks), closed, leaveWorks) - app.PausedDays
	out := []StatDelta{
		{StatScope: scope, Month: month, Metric: MetricAppCompleted, N: 1},
		{StatScope: scope, Month: month, Metric: MetricAppDays.Bucket(days), N: 1},
	}
	if app.Deadline == 0 || closed <= app.Deadline {
		out = append(out, StatDelta{StatScope: scope, Month: month, Metric: MetricAppOnTime, N: 1})
	}
	return out
}

// ReportReceivedStats counts a report received, also by its kind and
// category (what people ask for, for the community needs panel).
func ReportReceivedStats(r Report) []StatDelta {
	s, m := StatScope{Region: r.Region}, MonthOf(r.Received)
	return []StatDelta{
		{StatScope: s, Month: m, Metric: MetricRepReceived, N: 1},
		{StatScope: s, Month: m, Metric: MetricRepCategory.Of(r.Category), N: 1},
		{StatScope: s, Month: m, Metric: MetricRepKind.Of(string(r.Kind)), N: 1},
	}
}

// Of is a metric counted per value, such as "rep_category:jalan".
func (m Metric) Of(value string) Metric { return m + Metric(":"+value) }

// Counts sums the per-value metric m (MetricRepCategory, MetricRepKind)
// of rows by value.
func Counts(rows []StatRow, m Metric) map[string]int64 {
	out := map[string]int64{}
	prefix := string(m) + ":"
	for _, r := range rows {
		if v, ok := strings.CutPrefix(string(r.Metric), prefix); ok {
			out[v] += r.N
		}
	}
	return out
}

// ReportActionStats counts what action a did to report r (as it was
// before) on day: the first decision on a received report against its 3
// working days, a disposition to an agency, the agency's follow-up against
// its deadline, completion and reopening. r.Due must be the deadline that
// applied before the action.
func ReportActionStats(r Report, a ReportAction, next ReportState, agency string, day Day, cal *Calendar) []StatDelta {
	region := StatScope{Region: r.Region}
	month := MonthOf(day)
	var out []StatDelta
	add := func(s StatScope, m Metric) { out = append(out, StatDelta{StatScope: s, Month: month, Metric: m, N: 1}) }
	if r.Status == ReportReceived && next.Status != ReportReceived {
		add(region, MetricRepVerified)
		add(region, MetricRepVerifyDays.Bucket(cal.WorkingDaysBetween(cal.AddWorkingDays(r.Received, 0, false), day, false)))
		if r.Due == 0 || day <= r.Due {
			add(region, MetricRepVerifyOnTime)
		}
	}
	switch {
	case (a == ActReportDispose || a == ActReportForward) && agency != "":
		add(StatScope{Region: r.Region, Agency: agency}, MetricRepDisposed)
	case a == ActReportAnswer && r.Status == ReportDisposed:
		s := StatScope{Region: r.Region, Agency: r.Agency}
		from := r.Disposed
		if r.Kind == ReportInfoRequest || from == 0 {
			from = r.Received
		}
		add(s, MetricRepAnswered)
		add(s, MetricRepAnswerDays.Bucket(cal.WorkingDaysBetween(cal.AddWorkingDays(from, 0, false), day, false)))
		if r.Due == 0 || day <= r.Due {
			add(s, MetricRepAnswerOnTime)
		}
	case a == ActReportComplete:
		add(StatScope{Region: r.Region, Agency: r.Agency}, MetricRepDone)
	case a == ActReportReopen:
		add(StatScope{Region: r.Region, Agency: r.Agency}, MetricRepReopened)
	}
	return out
}

// Figures are the service-level figures of one month (or of a whole
// period, Month ""), as dashboards show them.
type Figures struct {
	Month Month `json:"month,omitempty"`

	AppReceived  int64 `json:"applications_received"`
	AppCompleted int64 `json:"applications_completed"`
	AppRejected  int64 `json:"applications_rejected"`
	AppOnTime    int64 `json:"applications_on_time"`
	// AppOnTimeShare is the share of completed applications completed
	// within the standard's time, 0–1; -1 when none was completed.
	AppOnTimeShare float64 `json:"applications_on_time_share"`
	// AppDaysMedian and AppDaysP90 are working days to completion; -1
	// when none was completed.
	AppDaysMedian int `json:"applications_days_median"`
	AppDaysP90    int `json:"applications_days_p90"`

	RepReceived      int64   `json:"reports_received"`
	RepVerified      int64   `json:"reports_verified"`
	RepVerifyOnTime  float64 `json:"reports_verified_on_time_share"`
	RepVerifyMedian  int     `json:"reports_verify_days_median"`
	RepDisposed      int64   `json:"reports_disposed"`
	RepAnswered      int64   `json:"reports_answered"`
	RepAnswerOnTime  float64 `json:"reports_answered_on_time_share"`
	RepAnswerMedian  int     `json:"reports_answer_days_median"`
	RepAnswerP90     int     `json:"reports_answer_days_p90"`
	RepDone          int64   `json:"reports_done"`
	RepReopened      int64   `json:"reports_reopened"`
	RepReopenedShare float64 `json:"reports_reopened_share"`

	// IKM is the satisfaction index from the survey responses counted.
	IKM IKMResult `json:"ikm"`
	// IKMInvited and IKMWalkIn split its respondents: invited after an
	// application or a report, or walked in at a service point.
	IKMInvited int64 `json:"ikm_invited"`
	IKMWalkIn  int64 `json:"ikm_walk_in"`
}

// figureCounts gathers one month's counts and histograms.
type figureCounts struct {
	n     map[Metric]int64
	hists map[Metric][]int64
	ikm   []StatRow
}

func (c *figureCounts) add(m Metric, n int64) {
	if strings.HasPrefix(string(m), "ikm_") {
		c.ikm = append(c.ikm, StatRow{Metric: m, N: n})
		return
	}
	if base, days, ok := m.splitBucket(); ok {
		if c.hists == nil {
			c.hists = map[Metric][]int64{}
		}
		h := c.hists[base]
		if h == nil {
			h = make([]int64, MaxStatDays+1)
			c.hists[base] = h
		}
		h[min(max(days, 0), MaxStatDays)] += n
		return
	}
	if c.n == nil {
		c.n = map[Metric]int64{}
	}
	c.n[m] += n
}

// Percentile is the nearest-rank q-quantile (0 < q ≤ 1) of a histogram
// of whole days, or -1 for an empty one.
func Percentile(hist []int64, q float64) int {
	var total int64
	for _, n := range hist {
		total += n
	}
	if total == 0 {
		return -1
	}
	rank := int64(q*float64(total) + 0.999999999) // the smallest rank covering q of the values
	rank = min(max(rank, 1), total)
	var seen int64
	for d, n := range hist {
		seen += n
		if seen >= rank {
			return d
		}
	}
	return len(hist) - 1
}

func share(part, whole int64) float64 {
	if whole == 0 {
		return -1
	}
	return float64(part) / float64(whole)
}

func (c *figureCounts) figures(m Month) Figures {
	f := Figures{Month: m,
		AppReceived: c.n[MetricAppReceived], AppCompleted: c.n[MetricAppCompleted], AppRejected: c.n[MetricAppRejected],
		AppOnTime:   c.n[MetricAppOnTime],
		RepReceived: c.n[MetricRepReceived], RepVerified: c.n[MetricRepVerified], RepDisposed: c.n[MetricRepDisposed],
		RepAnswered: c.n[MetricRepAnswered], RepDone: c.n[MetricRepDone], RepReopened: c.n[MetricRepReopened],
	}
	f.AppOnTimeShare = share(f.AppOnTime, f.AppCompleted)
	f.AppDaysMedian, f.AppDaysP90 = Percentile(c.hists[MetricAppDays], 0.5), Percentile(c.hists[MetricAppDays], 0.9)
	f.RepVerifyOnTime = share(c.n[MetricRepVerifyOnTime], f.RepVerified)
	f.RepVerifyMedian = Percentile(c.hists[MetricRepVerifyDays], 0.5)
	f.RepAnswerOnTime = share(c.n[MetricRepAnswerOnTime], f.RepAnswered)
	f.RepAnswerMedian, f.RepAnswerP90 = Percentile(c.hists[MetricRepAnswerDays], 0.5), Percentile(c.hists[MetricRepAnswerDays], 0.9)
	f.RepReopenedShare = share(f.RepReopened, f.RepDone)
	f.IKM = SurveyTallyOf(c.ikm).Result()
	for ch, n := range Counts(c.ikm, MetricSurveyChannel) {
		if SurveyChannel(ch).Invited() {
			f.IKMInvited += n
		} else {
			f.IKMWalkIn += n
		}
	}
	return f
}

// MonthlyFigures turns summed rows into one Figures per month from from
// to to (months without rows included, with zero counts), and the total
// of the period.
func MonthlyFigures(rows []StatRow, from, to Month) (months []Figures, total Figures) {
	by := map[Month]*figureCounts{}
	var all figureCounts
	for _, r := range rows {
		c := by[r.Month]
		if c == nil {
			c = &figureCounts{}
			by[r.Month] = c
		}
		c.add(r.Metric, r.N)
		all.add(r.Metric, r.N)
	}
	for m := from; m <= to && len(months) < 1200; m = m.Add(1) {
		c := by[m]
		if c == nil {
			c = &figureCounts{}
		}
		months = append(months, c.figures(m))
	}
	return months, all.figures("")
}

// FiguresBy turns rows grouped by region, agency or service into one
// total Figures per scope, in the order of the scopes' keys.
func FiguresBy(rows []StatRow) ([]StatScope, []Figures) {
	by := map[StatScope]*figureCounts{}
	for _, r := range rows {
		c := by[r.StatScope]
		if c == nil {
			c = &figureCounts{}
			by[r.StatScope] = c
		}
		c.add(r.Metric, r.N)
	}
	scopes := make([]StatScope, 0, len(by))
	for s := range by {
		scopes = append(scopes, s)
	}
	sort.Slice(scopes, func(i, j int) bool {
		a, b := scopes[i], scopes[j]
		if a.Region != b.Region {
			return a.Region < b.Region
		}
		if a.Agency != b.Agency {
			return a.Agency < b.Agency
		}
		return a.ServiceID < b.ServiceID
	})
	out := make([]Figures, len(scopes))
	for i, s := range scopes {
		out[i] = by[s].figures("")
	}
	return scopes, out
}
