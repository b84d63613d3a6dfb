package storetest

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/pendopo/pendopo"
	"github.com/pendopo/pendopo/internal/pendopotest"
)

func newReport(number, key string, privacy pendopo.Privacy, lat, lng float64, at time.Time) pendopo.Report {
	return pendopo.Report{Number: number, Region: "33.74", Kind: pendopo.ReportComplaint, Category: "penerangan-jalan",
		Title: "Lampu jalan mati", Description: "Lampu di depan sekolah mati sejak seminggu.", Privacy: privacy,
		Location: pendopo.ReportLocation{Lat: &lat, Lng: &lng, Address: "Jl. Pandanaran"}, ReporterKey: key,
		ReportState: pendopo.ReportState{Status: pendopo.ReportReceived}, Received: pendopo.DayOf(at, time.UTC),
		Due: pendopo.DateDay(2026, 3, 5), Sealed: []byte("identitas"), CreatedAt: at}
}

// testReports stores reports idempotently, updates them only at the
// revision read, and filters what the public, a reporter and an agency see.
func testReports(t *testing.T, s pendopo.Store) {
	setupRegion(t, s)
	t1 := pendopotest.T0
	pub := must(s.CreateReport(ctx, newReport("3374-2603-AAAAAA-1", "budi", pendopo.PrivacyPublic, -6.99, 110.42, t1)))(t)
	if pub.ID == 0 || pub.Rev != 1 || *pub.Location.Lat != -6.99 || string(pub.Sealed) != "identitas" || pub.Received != pendopo.DateDay(2026, 3, 2) {
		t.Fatalf("created: %+v", pub)
	}
	k := newReport("3374-2603-BBBBBB-2", "budi", pendopo.PrivacyAnonymous, -7.0, 110.4, t1.Add(time.Minute))
	k.Key = "kirim-1"
	anon := must(s.CreateReport(ctx, k))(t)
	k.Number = "3374-2603-CCCCCC-3"
	if again := must(s.CreateReport(ctx, k))(t); again.ID != anon.ID {
		t.Errorf("the same key made a second report")
	}
	secret := must(s.CreateReport(ctx, newReport("3374-2603-DDDDDD-4", "sari", pendopo.PrivacyConfidential, -6.98, 110.41, t1.Add(2*time.Minute))))(t)
	far := must(s.CreateReport(ctx, newReport("3374-2603-EEEEEE-5", "sari", pendopo.PrivacyPublic, -6.5, 111.0, t1.Add(3*time.Minute))))(t)
	_, err := s.CreateReport(ctx, newReport("3374-2603-EEEEEE-5", "x", pendopo.PrivacyPublic, -6.5, 111.0, t1))
	wantKind(t, err, pendopo.KindConflict)

	// Disposing at revision 1 wins once.
	pub.Status, pub.Agency, pub.Disposed, pub.Due, pub.UpdatedAt = pendopo.ReportDisposed, "dukcapil", pendopo.DateDay(2026, 3, 3), pendopo.DateDay(2026, 3, 10), t1
	up := must(s.UpdateReport(ctx, pub))(t)
	_, err = s.UpdateReport(ctx, pub)
	wantKind(t, err, pendopo.KindConflict)
	if got := must(s.ReportByNumber(ctx, pub.Number))(t); got.Rev != up.Rev || got.Agency != "dukcapil" || got.Status != pendopo.ReportDisposed {
		t.Fatalf("read back: %+v", got)
	}
	// A flagged report waits for moderation; a merged one is not listed.
	far.Flagged, far.FlagReason = true, "kata kasar"
	must(s.UpdateReport(ctx, far))(t)

	ids := func(l []pendopo.Report) map[int64]bool {
		m := map[int64]bool{}
		for _, r := range l {
			m[r.ID] = true
		}
		return m
	}
	list := func(f pendopo.ReportFilter) map[int64]bool {
		l, total, err := s.Reports(ctx, f)
		if err != nil {
			t.Fatal(err)
		}
		if total != len(l) {
			t.Fatalf("total %d for %d listed", total, len(l))
		}
		return ids(l)
	}
	if got := list(pendopo.ReportFilter{Region: "33.74", Public: true}); len(got) != 2 || !got[pub.ID] || !got[anon.ID] {
		t.Errorf("public list: %v", got)
	}
	if got := list(pendopo.ReportFilter{ReporterKey: "sari"}); len(got) != 2 || !got[secret.ID] || !got[far.ID] {
		t.Errorf("Sari's reports: %v", got)
	}
	if got := list(pendopo.ReportFilter{Flagged: true}); len(got) != 1 || !got[far.ID] {
		t.Errorf("moderation queue: %v", got)
	}
	if got := list(pendopo.ReportFilter{Agency: "dukcapil", Statuses: []pendopo.ReportStatus{pendopo.ReportDisposed}}); len(got) != 1 || !got[pub.ID] {
		t.Errorf("the agency's work: %v", got)
	}
	if got := list(pendopo.ReportFilter{Box: &pendopo.Bounds{South: -7.05, West: 110.3, North: -6.95, East: 110.5}}); len(got) != 3 || got[far.ID] {
		t.Errorf("in the box: %v", got)
	}
	if got := list(pendopo.ReportFilter{DueBy: pendopo.DateDay(2026, 3, 5)}); len(got) != 3 || got[pub.ID] {
		t.Errorf("due by 5 March: %v", got)
	}
	if got := list(pendopo.ReportFilter{Since: t1.Add(time.Minute), Until: t1.Add(3 * time.Minute)}); len(got) != 2 || !got[anon.ID] || !got[secret.ID] {
		t.Errorf("created in a window: %v", got)
	}
	// Paging without a count: the total tells only whether a page follows.
	numbers := func(l []pendopo.Report) []string {
		var out []string
		for _, r := range l {
			out = append(out, r.Number)
		}
		return out
	}
	for _, tt := range []struct {
		f     pendopo.ReportFilter
		want  []string
		total int
	}{
		{pendopo.ReportFilter{Region: "33.74", NoTotal: true, Page: pendopo.Page{Page: 1, PerPage: 2}}, []string{far.Number, secret.Number}, 3},
		{pendopo.ReportFilter{Region: "33.74", NoTotal: true, Page: pendopo.Page{Page: 2, PerPage: 2}}, []string{anon.Number, pub.Number}, 4},
		{pendopo.ReportFilter{Region: "33.74", NoTotal: true, Page: pendopo.Page{Page: 1, PerPage: 4}}, []string{far.Number, secret.Number, anon.Number, pub.Number}, 4},
		// Walking by id, oldest first, after a given id.
		{pendopo.ReportFilter{Region: "33.74", ByID: true, NoTotal: true, Page: pendopo.Page{PerPage: 2}}, []string{pub.Number, anon.Number}, 3},
		{pendopo.ReportFilter{Region: "33.74", ByID: true, AfterID: anon.ID, NoTotal: true, Page: pendopo.Page{PerPage: 2}}, []string{secret.Number, far.Number}, 2},
		{pendopo.ReportFilter{Region: "33.74", ByID: true, AfterID: far.ID, NoTotal: true}, nil, 0},
		// One category uses the category index; several an IN list.
		{pendopo.ReportFilter{Region: "33.74", Categories: []string{"jalan"}}, nil, 0},
		{pendopo.ReportFilter{Region: "33.74", Categories: []string{"penerangan-jalan"}, Public: true}, []string{anon.Number, pub.Number}, 2},
		{pendopo.ReportFilter{Region: "33.74", Categories: []string{"jalan", "penerangan-jalan"}, Public: true}, []string{anon.Number, pub.Number}, 2},
	} {
		l, total, err := s.Reports(ctx, tt.f)
		if err != nil {
			t.Fatal(err)
		}
		if got := numbers(l); !slices.Equal(got, tt.want) || total != tt.total {
			t.Errorf("%+v: %v (total %d), want %v (total %d)", tt.f, got, total, tt.want, tt.total)
		}
	}
	byDue, _, _ := s.Reports(ctx, pendopo.ReportFilter{Region: "33.74", ByDue: true})
	if byDue[len(byDue)-1].ID != pub.ID {
		t.Errorf("by deadline, the latest deadline comes last: %v", byDue[len(byDue)-1].Number)
	}

	// History and photos.
	for i, e := range []pendopo.ReportEvent{{Action: pendopo.ActReportVerify, Status: pendopo.ReportVerified, Public: true},
		{Action: pendopo.ActReportDispose, Status: pendopo.ReportDisposed, Agency: "dukcapil", Note: "catatan internal"}} {
		e.ReportID, e.At = pub.ID, t1.Add(time.Duration(i)*time.Minute)
		if err := s.AddReportEvent(ctx, e); err != nil {
			t.Fatal(err)
		}
	}
	if ev := must(s.ReportEvents(ctx, pub.ID))(t); len(ev) != 2 || !ev[0].Public || ev[1].Public || ev[1].Agency != "dukcapil" {
		t.Errorf("events: %+v", ev)
	}
	for _, id := range []int64{pub.ID, pub.ID, anon.ID} {
		if err := s.AddReportPhoto(ctx, pendopo.ReportPhoto{ReportID: id, Addr: "abc", Media: pendopo.MediaJPEG, Size: 3, CreatedAt: t1}); err != nil {
			t.Fatal(err)
		}
	}
	if ph := must(s.ReportPhotos(ctx, []int64{pub.ID, anon.ID, secret.ID}))(t); len(ph[pub.ID]) != 1 || len(ph[anon.ID]) != 1 || len(ph[secret.ID]) != 0 {
		t.Errorf("photos: %+v", ph)
	}

	// Routing and the region's box.
	if err := s.SetReportRoute(ctx, "33.74", "penerangan-jalan", "dukcapil"); err != nil {
		t.Fatal(err)
	}
	if err := s.SetReportRoute(ctx, "33.74", "sampah", "dukcapil"); err != nil {
		t.Fatal(err)
	}
	if err := s.SetReportRoute(ctx, "33.74", "sampah", ""); err != nil {
		t.Fatal(err)
	}
	if r := must(s.ReportRoutes(ctx, "33.74"))(t); len(r) != 1 || r["penerangan-jalan"] != "dukcapil" {
		t.Errorf("routes: %v", r)
	}
	if b := must(s.RegionBounds(ctx, "33.74"))(t); b != nil {
		t.Errorf("bounds before any: %+v", b)
	}
	box := pendopo.Bounds{South: -7.12, West: 110.26, North: -6.93, East: 110.51}
	if err := s.SetRegionBounds(ctx, "33.74", &box); err != nil {
		t.Fatal(err)
	}
	if b := must(s.RegionBounds(ctx, "33.74"))(t); b == nil || *b != box {
		t.Errorf("bounds: %+v", b)
	}
}

// testReportAreaRoutes: area rules keep their order and region, and go.
func testReportAreaRoutes(t *testing.T, s pendopo.Store) {
	setupRegion(t, s)
	box := pendopo.Bounds{South: -7.0, West: 110.40, North: -6.95, East: 110.45}
	first := must(s.AddReportAreaRoute(ctx, pendopo.ReportAreaRoute{Region: "33.74", Name: "Kota Lama", Category: "sampah", Area: box, Agency: "dukcapil"}))(t)
	second := must(s.AddReportAreaRoute(ctx, pendopo.ReportAreaRoute{Region: "33.74", Name: "Pesisir", Area: box, Agency: "dukcapil"}))(t)
	// A rule by kecamatan keeps its code and no box.
	third := must(s.AddReportAreaRoute(ctx, pendopo.ReportAreaRoute{Region: "33.74", Name: "Tembalang", District: "33.74.10", Agency: "dukcapil"}))(t)
	if first.ID == 0 || second.ID <= first.ID || third.ID <= second.ID {
		t.Fatalf("ids %d, %d, %d", first.ID, second.ID, third.ID)
	}
	got := must(s.ReportAreaRoutes(ctx, "33.74"))(t)
	if len(got) != 3 || got[0] != first || got[1] != second || got[2] != third || got[2].District != "33.74.10" || got[0].District != "" {
		t.Errorf("listed: %+v", got)
	}
	wantKind(t, s.DeleteReportAreaRoute(ctx, "33.72", first.ID), pendopo.KindNotFound)
	if err := s.DeleteReportAreaRoute(ctx, "33.74", first.ID); err != nil {
		t.Fatal(err)
	}
	wantKind(t, s.DeleteReportAreaRoute(ctx, "33.74", first.ID), pendopo.KindNotFound)
	if got := must(s.ReportAreaRoutes(ctx, "33.74"))(t); len(got) != 2 || got[0].Name != "Pesisir" {
		t.Errorf("after deleting: %+v", got)
	}
}

// testReportWork counts a region's open reports per agency by their
// deadline: the coordinator's (received, verified) and an agency's
// (disposed, followed up), and lists an agency's with the filter.
func testReportWork(t *testing.T, s pendopo.Store) {
	setupRegion(t, s)
	today := pendopo.DateDay(2026, 3, 10)
	n := 0
	add := func(region, agency string, status pendopo.ReportStatus, due pendopo.Day) pendopo.Report {
		t.Helper()
		n++
		r := newReport(fmt.Sprintf("3374-2603-WORK%02d-%d", n, n%10), "k", pendopo.PrivacyPublic, -6.99, 110.42, pendopotest.T0.Add(time.Duration(n)*time.Minute))
		r.Region = region
		r = must(s.CreateReport(ctx, r))(t)
		r.Status, r.Agency, r.Due = status, agency, due
		return must(s.UpdateReport(ctx, r))(t)
	}
	add("33.74", "", pendopo.ReportReceived, today-1)
	add("33.74", "", pendopo.ReportVerified, today)
	add("33.74", "", pendopo.ReportReceived, today+2)
	add("33.74", "", pendopo.ReportVerified, today+2) // verified: no longer new
	late := add("33.74", "dukcapil", pendopo.ReportDisposed, today-2)
	add("33.74", "dukcapil", pendopo.ReportDisposed, today+3)
	add("33.74", "dukcapil", pendopo.ReportFollowed, today+3) // answered once: not new
	add("33.74", "dinkes", pendopo.ReportFollowed, today)
	add("33.74", "dinkes", pendopo.ReportDone, today-5)
	add("33.72", "", pendopo.ReportReceived, today-1)

	coord := must(s.ReportWork(ctx, pendopo.WorkFilter{Region: "33.74", Today: today,
		Statuses: []pendopo.ReportStatus{pendopo.ReportReceived, pendopo.ReportVerified}, Fresh: pendopo.ReportReceived}))(t)
	if want := []pendopo.WorkCount{{Overdue: 1, DueToday: 1, New: 1}}; fmt.Sprint(coord) != fmt.Sprint(want) {
		t.Errorf("coordinator's work = %+v, want %+v", coord, want)
	}
	agencies := must(s.ReportWork(ctx, pendopo.WorkFilter{Region: "33.74", Agencies: []string{"dukcapil", "dinkes"}, Today: today,
		Statuses: []pendopo.ReportStatus{pendopo.ReportDisposed, pendopo.ReportFollowed}, Fresh: pendopo.ReportDisposed}))(t)
	if want := []pendopo.WorkCount{{Agency: "dinkes", DueToday: 1}, {Agency: "dukcapil", Overdue: 1, New: 1}}; fmt.Sprint(agencies) != fmt.Sprint(want) {
		t.Errorf("agencies' work = %+v, want %+v", agencies, want)
	}
	if none := must(s.ReportWork(ctx, pendopo.WorkFilter{Region: "33.74", Today: today}))(t); len(none) != 0 {
		t.Errorf("no statuses counted %+v", none)
	}
	l, total, err := s.Reports(ctx, pendopo.ReportFilter{Region: "33.74", Agencies: []string{"dukcapil"}, ByDue: true, DueBy: today,
		Statuses: []pendopo.ReportStatus{pendopo.ReportDisposed, pendopo.ReportFollowed}})
	if err != nil || total != 1 || l[0].ID != late.ID {
		t.Errorf("the agency's urgent reports: %d %+v %v", total, l, err)
	}
}
