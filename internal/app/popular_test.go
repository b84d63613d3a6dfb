package app_test

import (
	"strings"
	"testing"

	"github.com/pendopo/pendopo"
)

// The region's home leads with the services people come for: first what
// the region's own figures say they applied for, then the kinds needed
// most nationally, one service per kind.
func TestPopularServices(t *testing.T) {
	a := demoApp(t)
	h, err := a.RegionHome(ctx, "33.74")
	if err != nil {
		t.Fatal(err)
	}
	if len(h.Popular) == 0 || len(h.Popular) > 6 {
		t.Fatalf("%d popular services, want 1–6", len(h.Popular))
	}
	kinds := map[string]bool{}
	for _, s := range h.Popular {
		if s.Kind != "" && kinds[s.Kind] {
			t.Errorf("kind %s twice in %v", s.Kind, h.Popular)
		}
		kinds[s.Kind] = true
	}
	if h.Popular[0].Kind != "ktp-el" {
		t.Errorf("without figures the first is %q (%s), want the most needed kind, ktp-el", h.Popular[0].Kind, h.Popular[0].Name)
	}

	// Applications received this year lift a rarely needed service first.
	var rare pendopo.ServiceSummary
	all, _, err := a.Services(ctx, pendopo.ServiceFilter{Region: "33.74", Page: pendopo.Page{PerPage: pendopo.MaxPerPage}})
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range all {
		if s.Kind == "anggota-perpustakaan" || s.Kind == "pemakaman" || (rare.ID == 0 && s.Kind == "") {
			rare = s
		}
	}
	if rare.ID == 0 {
		t.Fatal("no rarely needed service in the demo")
	}
	month := pendopo.MonthOf(pendopo.DayOf(a.Now(), pendopo.RegionZone("33.74")))
	old := pendopo.StatDelta{StatScope: pendopo.StatScope{Region: "33.74", Agency: rare.AgencySlug, ServiceID: rare.ID}, Month: month.Add(-13),
		Metric: pendopo.MetricAppReceived, N: 500}
	if err := a.Store().AddStats(ctx, pendopo.Rollup([]pendopo.StatDelta{old})); err != nil {
		t.Fatal(err)
	}
	if h, _ = a.RegionHome(ctx, "33.74"); h.Popular[0].ID == rare.ID {
		t.Errorf("applications of more than a year ago still count")
	}
	recent := old
	recent.Month, recent.N = month.Add(-2), 3
	if err := a.Store().AddStats(ctx, pendopo.Rollup([]pendopo.StatDelta{recent})); err != nil {
		t.Fatal(err)
	}
	if h, _ = a.RegionHome(ctx, "33.74"); h.Popular[0].ID != rare.ID {
		t.Errorf("first is %s, want %s, which had applications this year", h.Popular[0].Name, rare.Name)
	}
}

// A typed tracking number names a report or, failing that, an
// application; a mistyped one is refused with the reason.
func TestTrack(t *testing.T) {
	f := newReportFixture(t)
	a := f.App
	r, err := f.SubmitReport(ctx, f.budi, "33.74", streetLight(pendopo.PrivacyPublic, ""), "lacak")
	if err != nil {
		t.Fatal(err)
	}
	n := r.Number
	if got, report, err := a.Track(ctx, " "+strings.ToLower(n)+" "); err != nil || !report || got != n {
		t.Errorf("Track(%s) = %q %v %v, want the report", n, got, report, err)
	}
	other := pendopo.NewTrackingNumber("33.74", a.Now())
	if got, report, err := a.Track(ctx, other); err != nil || report || got != other {
		t.Errorf("Track(%s) = %q %v %v, want an application", other, got, report, err)
	}
	for _, bad := range []string{"12345", n[:len(n)-1] + flip(n[len(n)-1])} {
		if _, _, err := a.Track(ctx, bad); pendopo.KindOf(err) != pendopo.KindInvalid {
			t.Errorf("Track(%q) = %v, want invalid", bad, err)
		}
	}
}

func flip(c byte) string {
	if c == 'A' {
		return "B"
	}
	return "A"
}
