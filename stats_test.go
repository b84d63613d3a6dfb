package pendopo

import (
	"slices"
	"testing"
	"time"
)

func TestPercentile(t *testing.T) {
	h := func(counts ...int64) []int64 { return counts }
	for _, tt := range []struct {
		hist []int64
		q    float64
		want int
		why  string
	}{
		{h(), 0.5, -1, "empty"},
		{h(0, 0, 0), 0.9, -1, "all zero"},
		{h(0, 1), 0.5, 1, "one value"},
		// Values 0,1,1,2,5 (n=5): the median is the 3rd value, 1; the
		// 90th percentile the 5th (rank ceil(4.5)=5), 5.
		{h(1, 2, 1, 0, 0, 1), 0.5, 1, "median of five"},
		{h(1, 2, 1, 0, 0, 1), 0.9, 5, "p90 of five"},
		// Ten values 0..9: the median is the 5th (4), p90 the 9th (8).
		{h(1, 1, 1, 1, 1, 1, 1, 1, 1, 1), 0.5, 4, "median of ten"},
		{h(1, 1, 1, 1, 1, 1, 1, 1, 1, 1), 0.9, 8, "p90 of ten"},
		{h(1, 1, 1, 1, 1, 1, 1, 1, 1, 1), 1, 9, "maximum"},
	} {
		if got := Percentile(tt.hist, tt.q); got != tt.want {
			t.Errorf("%s: Percentile(%v, %v) = %d, want %d", tt.why, tt.hist, tt.q, got, tt.want)
		}
	}
}

func TestApplicationStats(t *testing.T) {
	cal := NewCalendar(nil, "33.74")
	wib := RegionZone("33.74")
	at := func(d Day, hour int) time.Time { return d.Time(wib).Add(time.Duration(hour) * time.Hour) }
	// Submitted on Saturday 7 November 2026: the clock starts on Monday 9.
	sat := DateDay(2026, 11, 7)
	app := Application{Region: "33.74", Agency: "disdukcapil", ServiceID: 7, SubmittedAt: at(sat, 20),
		Deadline: cal.Deadline(sat, 5, false)} // Monday 16 November
	if app.Deadline != DateDay(2026, 11, 16) {
		t.Fatalf("deadline %s", app.Deadline)
	}
	scope := StatScope{Region: "33.74", Agency: "disdukcapil", ServiceID: 7}
	if got := ApplicationReceivedStats(app); !slices.Equal(got, []StatDelta{{StatScope: scope, Month: "2026-11", Metric: MetricAppReceived, N: 1}}) {
		t.Errorf("received: %+v", got)
	}
	for _, tt := range []struct {
		closed Day
		paused int
		status ApplicationStatus
		want   []Metric
	}{
		// Thursday 12 November: 3 working days after Monday 9.
		{DateDay(2026, 11, 12), 0, StatusCompleted, []Metric{MetricAppCompleted, "app_days:3", MetricAppOnTime}},
		// Wednesday 18 November: 7 working days, late...
		{DateDay(2026, 11, 18), 0, StatusCompleted, []Metric{MetricAppCompleted, "app_days:7"}},
		// ...unless 2 of them were spent waiting on the applicant (the
		// deadline moved with them).
		{DateDay(2026, 11, 18), 2, StatusCompleted, []Metric{MetricAppCompleted, "app_days:5", MetricAppOnTime}},
		{DateDay(2026, 11, 10), 0, StatusRejected, []Metric{MetricAppRejected}},
		{DateDay(2026, 11, 10), 0, StatusWithdrawn, nil},
	} {
		a := app
		a.Status, a.ClosedAt, a.PausedDays = tt.status, at(tt.closed, 3), tt.paused
		if tt.paused > 0 {
			a.Deadline = cal.AddWorkingDays(a.Deadline, tt.paused, false)
		}
		var got []Metric
		for _, d := range ApplicationClosedStats(a, cal, false) {
			if d.StatScope != scope || d.Month != "2026-11" || d.N != 1 {
				t.Errorf("delta %+v", d)
			}
			got = append(got, d.Metric)
		}
		if !slices.Equal(got, tt.want) {
			t.Errorf("closed %s (%s, paused %d): %v, want %v", tt.closed, tt.status, tt.paused, got, tt.want)
		}
	}
}

func TestReportActionStats(t *testing.T) {
	cal := NewCalendar(nil, "33.74")
	mon := DateDay(2026, 11, 2)
	r := Report{Region: "33.74", Kind: ReportComplaint, Received: mon, ReportState: ReportState{Status: ReportReceived}}
	r.Due = ReportDue(r.Kind, r.ReportState, r.Received, 0, cal) // Thursday 5 November
	metrics := func(ds []StatDelta) []Metric {
		var out []Metric
		for _, d := range ds {
			out = append(out, d.Metric)
		}
		return out
	}
	// Disposed on Thursday (3 working days, on time) to Dishub.
	got := ReportActionStats(r, ActReportDispose, ReportState{Status: ReportDisposed}, "dishub", DateDay(2026, 11, 5), cal)
	if want := []Metric{MetricRepVerified, "rep_verify_days:3", MetricRepVerifyOnTime, MetricRepDisposed}; !slices.Equal(metrics(got), want) {
		t.Errorf("dispose on time: %v", metrics(got))
	}
	if got[3].Agency != "dishub" || got[0].Agency != "" {
		t.Errorf("scopes: %+v", got)
	}
	// Verified the next Monday: late, and no disposition yet.
	got = ReportActionStats(r, ActReportVerify, ReportState{Status: ReportVerified}, "", DateDay(2026, 11, 9), cal)
	if want := []Metric{MetricRepVerified, "rep_verify_days:5"}; !slices.Equal(metrics(got), want) {
		t.Errorf("late verification: %v", metrics(got))
	}
	// The agency answers 6 working days after disposition: late.
	d := r
	d.Status, d.Agency, d.Disposed = ReportDisposed, "dishub", DateDay(2026, 11, 5)
	d.Due = ReportDue(d.Kind, d.ReportState, d.Received, d.Disposed, cal) // Thursday 12 November
	got = ReportActionStats(d, ActReportAnswer, ReportState{Status: ReportFollowed}, "", DateDay(2026, 11, 13), cal)
	if want := []Metric{MetricRepAnswered, "rep_answer_days:6"}; !slices.Equal(metrics(got), want) || got[0].Agency != "dishub" {
		t.Errorf("late answer: %+v", got)
	}
	// An information request is timed from its receipt (10 working days).
	info := d
	info.Kind = ReportInfoRequest
	info.Due = ReportDue(info.Kind, info.ReportState, info.Received, info.Disposed, cal) // Monday 16 November
	got = ReportActionStats(info, ActReportAnswer, ReportState{Status: ReportFollowed}, "", DateDay(2026, 11, 13), cal)
	if want := []Metric{MetricRepAnswered, "rep_answer_days:9", MetricRepAnswerOnTime}; !slices.Equal(metrics(got), want) {
		t.Errorf("information request answered: %v", metrics(got))
	}
	// A reply changes no figure.
	if got := ReportActionStats(d, ActReportReply, d.ReportState, "", DateDay(2026, 11, 13), cal); len(got) != 0 {
		t.Errorf("reply: %v", got)
	}
}

func TestMonthlyFigures(t *testing.T) {
	rows := []StatRow{
		{Month: "2026-09", Metric: MetricAppCompleted, N: 4}, {Month: "2026-09", Metric: MetricAppOnTime, N: 3},
		{Month: "2026-09", Metric: "app_days:2", N: 2}, {Month: "2026-09", Metric: "app_days:9", N: 2},
		{Month: "2026-11", Metric: MetricRepDone, N: 10}, {Month: "2026-11", Metric: MetricRepReopened, N: 1},
		{Month: "2026-11", Metric: "app_days:99", N: 1}, // beyond the last bucket: counted there
	}
	months, total := MonthlyFigures(rows, "2026-09", "2026-11")
	if len(months) != 3 || months[1].Month != "2026-10" || months[1].AppOnTimeShare != -1 || months[1].AppDaysMedian != -1 {
		t.Fatalf("months: %+v", months)
	}
	if m := months[0]; m.AppOnTimeShare != 0.75 || m.AppDaysMedian != 2 || m.AppDaysP90 != 9 {
		t.Errorf("September: %+v", m)
	}
	if total.AppDaysP90 != MaxStatDays || total.RepReopenedShare != 0.1 || total.AppCompleted != 4 {
		t.Errorf("total: %+v", total)
	}
	cats := []StatRow{{Month: "2026-10", Metric: MetricRepCategory.Of("jalan"), N: 2}, {Month: "2026-11", Metric: MetricRepCategory.Of("jalan"), N: 3},
		{Month: "2026-11", Metric: MetricRepCategory.Of("sampah"), N: 1}, {Month: "2026-11", Metric: MetricRepKind.Of("aspirasi"), N: 1}}
	if got := Counts(cats, MetricRepCategory); len(got) != 2 || got["jalan"] != 5 || got["sampah"] != 1 {
		t.Errorf("categories: %v", got)
	}
	if _, total := MonthlyFigures(cats, "2026-10", "2026-11"); total.RepReceived != 0 {
		t.Errorf("category counts leak into the figures: %+v", total)
	}
	if m, err := ParseMonth("2026-13"); err == nil {
		t.Errorf("month 13: %s", m)
	}
	if Month("2026-12").Add(1) != "2027-01" || MonthOf(DateDay(2026, 2, 28)) != "2026-02" {
		t.Error("month arithmetic")
	}
}

// Survey answers kept as monthly figures give the same IKM as the
// responses themselves.
func TestSurveyFigures(t *testing.T) {
	at := time.Date(2026, 10, 31, 18, 0, 0, 0, time.UTC) // 1 November in WIB
	responses := []SurveyResponse{
		{Region: "33.74", Agency: "disdukcapil", ServiceID: 3, CreatedAt: at, Answers: map[UnsurID]int{UnsurRequirements: 4, UnsurFacilities: 3}},
		{Region: "33.74", Agency: "disdukcapil", ServiceID: 3, CreatedAt: at, Answers: map[UnsurID]int{UnsurRequirements: 2}},
		{Region: "33.74", CreatedAt: at, Answers: map[UnsurID]int{}},
	}
	var rows []StatRow
	for _, r := range responses {
		for _, d := range SurveyStats(r) {
			if d.Month != "2026-11" {
				t.Errorf("month %s", d.Month)
			}
			rows = append(rows, StatRow{Month: d.Month, Metric: d.Metric, N: d.N})
		}
	}
	want := ComputeIKM(responses)
	if got := SurveyTallyOf(rows).Result(); got != want || got.Respondents != 2 {
		t.Errorf("from figures %+v\nfrom responses %+v", got, want)
	}
	if _, total := MonthlyFigures(rows, "2026-11", "2026-11"); total.IKM != want {
		t.Errorf("figures' IKM %+v", total.IKM)
	}
}
