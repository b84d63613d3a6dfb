package storetest

import (
	"testing"
	"time"

	"github.com/pendopo/pendopo"
	"github.com/pendopo/pendopo/internal/pendopotest"
)

// testReportFeed lists reports by tracking numbers and categories, and
// the events of a region's reports in a time window: for the public only
// public events of reports the public may see, with a total that counts
// the same.
func testReportFeed(t *testing.T, s pendopo.Store) {
	setupRegion(t, s)
	t1 := pendopotest.T0
	pub := must(s.CreateReport(ctx, newReport("3374-2603-AAAAAA-1", "budi", pendopo.PrivacyPublic, -6.99, 110.42, t1)))(t)
	anon := must(s.CreateReport(ctx, newReport("3374-2603-BBBBBB-2", "budi", pendopo.PrivacyAnonymous, -7.0, 110.4, t1)))(t)
	secret := must(s.CreateReport(ctx, newReport("3374-2603-CCCCCC-3", "sari", pendopo.PrivacyConfidential, -6.98, 110.41, t1)))(t)
	flagged := newReport("3374-2603-DDDDDD-4", "sari", pendopo.PrivacyPublic, -6.98, 110.41, t1)
	flagged.Flagged, flagged.Category = true, "sampah"
	flaggedR := must(s.CreateReport(ctx, flagged))(t)
	solo := newReport("3372-2603-EEEEEE-5", "sari", pendopo.PrivacyPublic, -7.56, 110.82, t1)
	solo.Region, solo.Category = "33.72", "sampah"
	soloR := must(s.CreateReport(ctx, solo))(t)

	// Several numbers and categories at once.
	byNumber, total, err := s.Reports(ctx, pendopo.ReportFilter{Numbers: []string{pub.Number, secret.Number, "3374-2603-ZZZZZZ-9"}})
	if err != nil || total != 2 || len(byNumber) != 2 {
		t.Fatalf("by numbers: %d %v", total, err)
	}
	if _, total, _ := s.Reports(ctx, pendopo.ReportFilter{Categories: []string{"sampah", "jalan"}}); total != 2 {
		t.Errorf("by categories: %d", total)
	}
	if _, total, _ := s.Reports(ctx, pendopo.ReportFilter{Categories: []string{"sampah"}, Public: true, Region: "33.74"}); total != 0 {
		t.Errorf("by category, public, in 33.74: %d", total)
	}

	at := func(m int) time.Time { return t1.Add(time.Duration(m) * time.Minute) }
	events := []pendopo.ReportEvent{
		{ReportID: pub.ID, At: at(0), Action: "submit", Status: pendopo.ReportReceived, Public: true},
		{ReportID: pub.ID, At: at(10), Action: pendopo.ActReportVerify, Status: pendopo.ReportVerified, Public: true},
		{ReportID: pub.ID, At: at(20), Action: pendopo.ActReportForward, Status: pendopo.ReportDisposed, Note: "internal"},
		{ReportID: anon.ID, At: at(30), Action: pendopo.ActReportAnswer, Status: pendopo.ReportFollowed, Note: "Sudah diperbaiki.", Public: true},
		{ReportID: secret.ID, At: at(30), Action: pendopo.ActReportVerify, Status: pendopo.ReportVerified, Public: true},
		{ReportID: flaggedR.ID, At: at(30), Action: pendopo.ActReportVerify, Status: pendopo.ReportVerified, Public: true},
		{ReportID: soloR.ID, At: at(30), Action: pendopo.ActReportVerify, Status: pendopo.ReportVerified, Public: true},
		{ReportID: pub.ID, At: at(40), Action: pendopo.ActReportComplete, Status: pendopo.ReportDone, Public: true},
	}
	for _, e := range events {
		if err := s.AddReportEvent(ctx, e); err != nil {
			t.Fatal(err)
		}
	}
	list := func(f pendopo.ReportEventFilter) ([]pendopo.ReportEvent, int) {
		t.Helper()
		l, total, err := s.ReportEventsIn(ctx, f)
		if err != nil {
			t.Fatal(err)
		}
		return l, total
	}
	if _, total := list(pendopo.ReportEventFilter{}); total != len(events) {
		t.Errorf("all events: %d", total)
	}
	// The public sees public lines of public and anonymous reports of
	// the region, in the window, oldest first.
	got, total := list(pendopo.ReportEventFilter{Region: "33.74", Public: true, Since: at(5), Until: at(40)})
	if total != 2 || len(got) != 2 || got[0].ReportID != pub.ID || got[0].Action != pendopo.ActReportVerify ||
		got[1].ReportID != anon.ID || got[1].Note != "Sudah diperbaiki." || !got[1].At.Equal(at(30)) {
		t.Errorf("public window: %d %+v", total, got)
	}
	got, total = list(pendopo.ReportEventFilter{Public: true, Actions: []pendopo.ReportAction{pendopo.ActReportVerify, pendopo.ActReportComplete}})
	if total != 3 || len(got) != 3 || got[2].Action != pendopo.ActReportComplete {
		t.Errorf("by actions across regions: %d %+v", total, got)
	}
	for _, e := range got {
		if e.ReportID == secret.ID || e.ReportID == flaggedR.ID {
			t.Errorf("a hidden report's event is public: %+v", e)
		}
	}
	// Pages keep the total.
	page, total := list(pendopo.ReportEventFilter{Public: true, Page: pendopo.Page{Page: 2, PerPage: 2}})
	if total != 5 || len(page) != 2 || page[0].ReportID != anon.ID {
		t.Errorf("second page: %d %+v", total, page)
	}
}
