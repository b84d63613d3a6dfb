// Package storetest is the contract every pendopo.Store implementation
// must meet. Both the SQLite and the PostgreSQL backends run it.
package storetest

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/pendopo/pendopo"
	"github.com/pendopo/pendopo/internal/pendopotest"
)

// Run runs the contract suite; open returns a fresh, empty, migrated store.
func Run(t *testing.T, open func(t *testing.T) pendopo.Store) {
	tests := []struct {
		name string
		fn   func(t *testing.T, s pendopo.Store)
	}{
		{"Regions", testRegions},
		{"RegionProfile", testRegionProfile},
		{"Agencies", testAgencies},
		{"ServicePoints", testServicePoints},
		{"ServiceLifecycle", testServiceLifecycle},
		{"ListedDrafts", testListedDrafts},
		{"ServiceRefs", testServiceRefs},
		{"ServiceConflicts", testServiceConflicts},
		{"ServiceReview", testServiceReview},
		{"ServiceList", testServiceList},
		{"Changes", testChanges},
		{"Transactions", testTransactions},
		{"Tokens", testTokens},
		{"Settings", testSettings},
		{"Stats", testStats},
		{"Users", testUsers},
		{"Sessions", testSessions},
		{"Codes", testCodes},
		{"Invitations", testInvitations},
		{"RegionScope", testRegionScope},
		{"JoinedRegions", testJoinedRegions},
		{"LoginFailures", testLoginFailures},
		{"CountAttempt", testCountAttempt},
		{"CountAttemptBurst", testCountAttemptBurst},
		{"Audit", testAudit},
		{"AuditTree", testAuditTree},
		{"AuditSubject", testAuditSubject},
		{"Erasure", testErasure},
		{"Applications", testApplications},
		{"ApplicationRace", testApplicationRace},
		{"ApplicationFiles", testApplicationFiles},
		{"ApplicationWork", testApplicationWork},
		{"Batch", testBatch},
		{"Reports", testReports},
		{"ReportAreaRoutes", testReportAreaRoutes},
		{"ReportWork", testReportWork},
		{"ReportFeed", testReportFeed},
		{"Surveys", testSurveys},
		{"SurveyHolds", testSurveyHolds},
		{"PhotoRefs", testPhotoRefs},
		{"Outbox", testOutbox},
		{"OutboxConcurrentClaims", testOutboxConcurrentClaims},
		{"Notifications", testNotifications},
		{"Figures", testFigures},
		{"Branding", testBranding},
		{"SearchLog", testSearchLog},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s := open(t)
			pendopotest.SeedNational(t, s)
			tt.fn(t, s)
		})
	}
}

var ctx = context.Background()

// must fails the test on err, else returns v: must(s.Region(ctx, c))(t).
func must[T any](v T, err error) func(t *testing.T) T {
	return func(t *testing.T) T {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
}

func wantKind(t *testing.T, err error, kind pendopo.ErrorKind) {
	t.Helper()
	if got := pendopo.KindOf(err); got != kind {
		t.Fatalf("error kind = %q (%v), want %q", got, err, kind)
	}
}

func testRegions(t *testing.T, s pendopo.Store) {
	first, total := must2(t)(s.Regions(ctx, pendopo.RegionFilter{Page: pendopo.Page{PerPage: 100000}}))
	if total != 552 || len(first) != min(552, pendopo.MaxPerPage) {
		t.Fatalf("regions: got %d of total %d, want %d of 552", len(first), total, min(552, pendopo.MaxPerPage))
	}
	all := allRegions(t, s)
	if len(all) != 552 || all[0].Code != "11" || all[551].Code != "96.71" {
		t.Fatalf("all regions: %d, from %s to %s", len(all), all[0].Code, all[len(all)-1].Code)
	}
	provs, total := must2(t)(s.Regions(ctx, pendopo.RegionFilter{Level: pendopo.LevelProvinsi}))
	if total != 38 || len(provs) != 38 {
		t.Errorf("provinces: got %d/%d, want 38", len(provs), total)
	}
	kotas, total := must2(t)(s.Regions(ctx, pendopo.RegionFilter{Level: pendopo.LevelKota}))
	if total != 98 || len(kotas) != 98 {
		t.Errorf("kota: got %d/%d, want 98", len(kotas), total)
	}
	jateng, total := must2(t)(s.Regions(ctx, pendopo.RegionFilter{Parent: "33"}))
	if total != 35 {
		t.Errorf("Jawa Tengah has %d kab/kota, want 35", total)
	}
	for _, r := range jateng {
		if r.ParentCode != "33" {
			t.Errorf("region %s has parent %q", r.Code, r.ParentCode)
		}
	}
	// Pages are ordered by code and report the total.
	p2, total := must2(t)(s.Regions(ctx, pendopo.RegionFilter{Page: pendopo.Page{Page: 2, PerPage: 10}}))
	if total != 552 || len(p2) != 10 || p2[0].Code != all[10].Code {
		t.Errorf("page 2: %d rows, total %d, first %v", len(p2), total, p2[0].Code)
	}
	past, total := must2(t)(s.Regions(ctx, pendopo.RegionFilter{Page: pendopo.Page{Page: 99, PerPage: 10}}))
	if len(past) != 0 || total != 552 {
		t.Errorf("page past the end: %d rows, total %d", len(past), total)
	}
	smg := must(s.Region(ctx, "33.74"))(t)
	if smg.Name != "Kota Semarang" || smg.Level != pendopo.LevelKota || smg.ParentCode != "33" {
		t.Errorf("33.74 = %+v", smg)
	}
	_, err := s.Region(ctx, "99.99")
	wantKind(t, err, pendopo.KindNotFound)
	// Seeding again adds nothing.
	regions := slices.Clone(all)
	if n := must(s.SeedRegions(ctx, regions, pendopotest.T0))(t); n != 0 {
		t.Errorf("second seed added %d regions", n)
	}
}

func allRegions(t *testing.T, s pendopo.Store) []pendopo.Region {
	var all []pendopo.Region
	for page := 1; ; page++ {
		l, total := must2(t)(s.Regions(ctx, pendopo.RegionFilter{Page: pendopo.Page{Page: page, PerPage: 200}}))
		all = append(all, l...)
		if len(all) >= total || len(l) == 0 {
			return all
		}
	}
}

func must2(t *testing.T) func([]pendopo.Region, int, error) ([]pendopo.Region, int) {
	return func(r []pendopo.Region, n int, err error) ([]pendopo.Region, int) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return r, n
	}
}

func testRegionProfile(t *testing.T, s pendopo.Store) {
	p := pendopo.RegionProfile{Tagline: "Kota Lumpia", Color: "#0b5d5b", Website: "https://semarangkota.go.id"}
	at := pendopotest.T0.Add(time.Hour)
	logo := &pendopo.Logo{ContentType: "image/svg+xml", Data: []byte("<svg/>")}
	if changed := must(s.RegionsChangedAt(ctx))(t); !changed.Equal(pendopotest.T0) {
		t.Errorf("regions changed at %v, want %v", changed, pendopotest.T0)
	}
	r := must(s.UpdateRegion(ctx, "33.74", "Kota Semarang", p, logo, at))(t)
	if changed := must(s.RegionsChangedAt(ctx))(t); !changed.Equal(at) {
		t.Errorf("after update, regions changed at %v, want %v", changed, at)
	}
	if r.Profile.Tagline != "Kota Lumpia" || r.Profile.LogoHash == "" || !r.UpdatedAt.Equal(at) {
		t.Fatalf("after update: %+v", r)
	}
	l := must(s.RegionLogo(ctx, "33.74"))(t)
	if string(l.Data) != "<svg/>" || l.ContentType != "image/svg+xml" || l.Hash != r.Profile.LogoHash {
		t.Errorf("logo = %+v", l)
	}
	// A nil logo keeps the logo; seeding keeps the profile.
	r = must(s.UpdateRegion(ctx, "33.74", "Kota Semarang", pendopo.RegionProfile{Tagline: "Baru"}, nil, at))(t)
	if r.Profile.LogoHash != l.Hash {
		t.Errorf("logo lost on update without logo")
	}
	must(s.SeedRegions(ctx, allRegions(t, s), at))(t)
	if r := must(s.Region(ctx, "33.74"))(t); r.Profile.Tagline != "Baru" {
		t.Errorf("seeding overwrote the profile: %+v", r.Profile)
	}
	// An empty logo removes it.
	must(s.UpdateRegion(ctx, "33.74", "Kota Semarang", pendopo.RegionProfile{}, &pendopo.Logo{}, at))(t)
	_, err := s.RegionLogo(ctx, "33.74")
	wantKind(t, err, pendopo.KindNotFound)
	_, err = s.UpdateRegion(ctx, "99.98", "X", p, nil, at)
	wantKind(t, err, pendopo.KindNotFound)
}

func testAgencies(t *testing.T, s pendopo.Store) {
	at := pendopotest.T0
	b := must(s.SaveAgency(ctx, pendopotest.Agency("33.74", "dukcapil", "Dinas Kependudukan"), at))(t)
	must(s.SaveAgency(ctx, pendopotest.Agency("33.74", "bapenda", "Badan Pendapatan Daerah"), at))(t)
	must(s.SaveAgency(ctx, pendopotest.Agency("33.72", "dukcapil", "Dinas Kependudukan Surakarta"), at))(t)
	if b.ID == 0 {
		t.Fatal("no id")
	}
	// Saving the same slug updates.
	u := pendopotest.Agency("33.74", "dukcapil", "Dinas Kependudukan dan Pencatatan Sipil")
	u.Email = "dukcapil@demo.pendopo.id"
	got := must(s.SaveAgency(ctx, u, at))(t)
	if got.ID != b.ID || got.Email != u.Email || got.Name != u.Name {
		t.Errorf("update: %+v", got)
	}
	list, total, err := s.Agencies(ctx, "33.74", pendopo.Page{})
	if err != nil || total != 2 || len(list) != 2 {
		t.Fatalf("agencies of 33.74: %v %d %v", list, total, err)
	}
	if list[0].Slug != "bapenda" || list[1].Slug != "dukcapil" {
		t.Errorf("not ordered by name: %s, %s", list[0].Slug, list[1].Slug)
	}
	_, err = s.Agency(ctx, "33.74", "nope")
	wantKind(t, err, pendopo.KindNotFound)
	_, err = s.SaveAgency(ctx, pendopotest.Agency("99.97", "x", "X"), at)
	wantKind(t, err, pendopo.KindConflict)
}

func testServicePoints(t *testing.T, s pendopo.Store) {
	at := pendopotest.T0
	must(s.SaveAgency(ctx, pendopotest.Agency("33.74", "dpmptsp", "DPMPTSP"), at))(t)
	lat, lng := -6.98, 110.41
	p := must(s.SaveServicePoint(ctx, pendopo.ServicePoint{RegionCode: "33.74", Slug: "mpp", Name: "Mal Pelayanan Publik", AgencySlug: "dpmptsp", Hours: "Senin–Jumat 08.00–15.00", Lat: &lat, Lng: &lng}, at))(t)
	must(s.SaveServicePoint(ctx, pendopo.ServicePoint{RegionCode: "33.74", Slug: "kantor", Name: "Kantor Dinas"}, at))(t)
	p2 := must(s.SaveServicePoint(ctx, pendopo.ServicePoint{RegionCode: "33.74", Slug: "mpp", Name: "MPP Kota Semarang", AgencySlug: "dpmptsp", Lat: &lat, Lng: &lng}, at))(t)
	if p2.ID != p.ID {
		t.Errorf("upsert changed id %d → %d", p.ID, p2.ID)
	}
	list := must(s.ServicePoints(ctx, "33.74"))(t)
	if len(list) != 2 || list[0].Slug != "kantor" || list[1].Name != "MPP Kota Semarang" || list[1].AgencySlug != "dpmptsp" {
		t.Fatalf("points: %+v", list)
	}
	if list[1].Lat == nil || *list[1].Lat != lat || list[0].Lat != nil {
		t.Errorf("coordinates not kept: %+v / %+v", list[1], list[0])
	}
	_, err := s.SaveServicePoint(ctx, pendopo.ServicePoint{RegionCode: "33.74", Slug: "x", Name: "X", AgencySlug: "none"}, at)
	wantKind(t, err, pendopo.KindNotFound)
}

// setupRegion gives 33.74 and 33.72 an agency "dukcapil" and a point "mpp".
func setupRegion(t *testing.T, s pendopo.Store) {
	for _, r := range []string{"33.74", "33.72"} {
		must(s.SaveAgency(ctx, pendopotest.Agency(r, "dukcapil", "Disdukcapil "+r), pendopotest.T0))(t)
		must(s.SaveServicePoint(ctx, pendopo.ServicePoint{RegionCode: r, Slug: "mpp", Name: "MPP"}, pendopotest.T0))(t)
	}
}

// testServiceReview puts drafts forward for review, sends one back, and
// lists what waits for a publisher.
func testServiceReview(t *testing.T, s pendopo.Store) {
	setupRegion(t, s)
	t1 := pendopotest.T0.Add(time.Hour)
	a := must(s.CreateService(ctx, "33.74", pendopotest.Content("a", "ktp-el", "dukcapil"), pendopotest.Change(t1, ""), true))(t)
	must(s.UpdateService(ctx, a.ID, pendopotest.Content("a", "ktp-el", "dukcapil"), pendopotest.Change(t1, "draf"), false, 1))(t)
	b := must(s.CreateService(ctx, "33.72", pendopotest.Content("b", "ktp-el", "dukcapil"), pendopotest.Change(t1, ""), false))(t)
	wantKind(t, s.SubmitVersion(ctx, a.ID, 1, "budi", t1), pendopo.KindConflict) // already public
	wantKind(t, s.SubmitVersion(ctx, a.ID, 9, "budi", t1), pendopo.KindNotFound)
	if err := s.SubmitVersion(ctx, a.ID, 2, "budi", t1.Add(time.Minute)); err != nil {
		t.Fatal(err)
	}
	if err := s.SubmitVersion(ctx, b.ID, 1, "sri", t1.Add(2*time.Minute)); err != nil {
		t.Fatal(err)
	}
	v := must(s.Version(ctx, a.ID, 2))(t)
	if v.SubmittedBy != "budi" || !v.SubmittedAt.Equal(t1.Add(time.Minute)) {
		t.Errorf("submitted version: %+v", v)
	}
	if vs := must(s.Versions(ctx, a.ID))(t); vs[0].SubmittedBy != "budi" || !vs[1].SubmittedAt.IsZero() {
		t.Errorf("versions: %+v", vs)
	}
	p := must(s.PendingVersions(ctx, "33.74"))(t)
	if len(p) != 1 || p[0].ServiceID != a.ID || p[0].Number != 2 || p[0].Agency != "dukcapil" || p[0].PublishedVersion != 1 || p[0].Region != "33.74" {
		t.Fatalf("pending in 33.74: %+v", p)
	}
	if p := must(s.PendingVersions(ctx, "33"))(t); len(p) != 2 || p[0].ServiceID != a.ID {
		t.Errorf("pending in province 33: %+v", p)
	}
	// Sent back, it waits no more; published, neither.
	if err := s.ReturnVersion(ctx, a.ID, 2); err != nil {
		t.Fatal(err)
	}
	wantKind(t, s.ReturnVersion(ctx, a.ID, 2), pendopo.KindNotFound)
	if p := must(s.PendingVersions(ctx, "33.74"))(t); len(p) != 0 {
		t.Errorf("returned version still pending: %+v", p)
	}
	must(s.PublishService(ctx, b.ID, 1, pendopotest.Change(t1.Add(time.Hour), "")))(t)
	if p := must(s.PendingVersions(ctx, "33.72"))(t); len(p) != 0 {
		t.Errorf("published version still pending: %+v", p)
	}
}

// testListedDrafts: a list shows the latest draft of a service never
// published, however often it was listed before.
func testListedDrafts(t *testing.T, s pendopo.Store) {
	setupRegion(t, s)
	t1 := pendopotest.T0.Add(time.Hour)
	c := pendopotest.Content("akta", "akta-kelahiran", "dukcapil")
	draft := must(s.CreateService(ctx, "33.74", c, pendopotest.Change(t1, "awal"), false))(t)
	for n := 2; n <= 3; n++ {
		if l, _, _ := s.Services(ctx, pendopo.ServiceFilter{Region: "33.74", Drafts: true}); len(l) != 1 || l[0].Duration.WorkingDays != c.Standard.Duration.WorkingDays {
			t.Fatalf("draft %d: %+v", n-1, l)
		}
		c.Standard.Duration = pendopo.Duration{WorkingDays: 10 + n}
		must(s.UpdateService(ctx, draft.ID, c, pendopotest.Change(t1, "lagi"), false, n-1))(t)
	}
	if l, _, _ := s.Services(ctx, pendopo.ServiceFilter{Region: "33.74", Drafts: true}); len(l) != 1 || l[0].Duration.WorkingDays != 13 {
		t.Errorf("the list shows an older draft: %+v", l)
	}
}

func testServiceLifecycle(t *testing.T, s pendopo.Store) {
	setupRegion(t, s)
	t1 := pendopotest.T0.Add(time.Hour)
	c := pendopotest.Content("akta", "akta-kelahiran", "dukcapil")
	c.Points = []string{"mpp"}
	draft := must(s.CreateService(ctx, "33.74", c, pendopotest.Change(t1, "awal"), false))(t)
	if draft.Published() || draft.LatestVersion != 1 || draft.Name != c.Name {
		t.Fatalf("draft: %+v", draft)
	}
	if l, _, _ := s.Services(ctx, pendopo.ServiceFilter{Region: "33.74"}); len(l) != 0 {
		t.Errorf("draft listed publicly: %v", l)
	}
	if l, _, _ := s.Services(ctx, pendopo.ServiceFilter{Region: "33.74", Drafts: true}); len(l) != 1 {
		t.Errorf("draft not listed for admins: %v", l)
	}
	t2 := t1.Add(time.Hour)
	pub := must(s.PublishService(ctx, draft.ID, 1, pendopotest.Change(t2, "terbit")))(t)
	if !pub.Published() || pub.Version != 1 || !pub.UpdatedAt.Equal(t2) || !pub.ReviewedAt.Equal(t2) {
		t.Fatalf("published: %+v", pub)
	}
	// A new draft leaves the public version alone.
	c2 := c
	c2.Name = "Penerbitan Akta Kelahiran"
	c2.Standard.Duration = pendopo.Duration{SameDay: true}
	t3 := t2.Add(time.Hour)
	d2 := must(s.UpdateService(ctx, pub.ID, c2, pendopotest.Change(t3, "nama baru"), false, 1))(t)
	if d2.Version != 1 || d2.LatestVersion != 2 || d2.Name != c.Name {
		t.Fatalf("after draft: %+v", d2)
	}
	listed := func(drafts bool) pendopo.ServiceSummary {
		t.Helper()
		l, _, err := s.Services(ctx, pendopo.ServiceFilter{Region: "33.74", Drafts: drafts})
		if err != nil || len(l) != 1 {
			t.Fatalf("list: %v %v", l, err)
		}
		return l[0]
	}
	if l := listed(false); l.Duration.SameDay || l.Duration != c.Standard.Duration {
		t.Errorf("a draft's duration is listed as the public one: %+v", l.Duration)
	}
	// Publishing it changes the public content and times.
	t4 := t3.Add(time.Hour)
	p2 := must(s.PublishService(ctx, pub.ID, 2, pendopotest.Change(t4, "")))(t)
	if p2.Version != 2 || p2.Name != c2.Name || !p2.Standard.Duration.SameDay || !p2.UpdatedAt.Equal(t4) {
		t.Fatalf("after publish 2: %+v", p2)
	}
	// Lists show what was published, not what they showed before.
	if l := listed(false); !l.Duration.SameDay {
		t.Errorf("the list still shows the old duration: %+v", l.Duration)
	}
	// Update with publish creates and publishes version 3 at once.
	c3 := c2
	c3.Standard.Requirements = append(c3.Standard.Requirements, "Buku nikah")
	p3 := must(s.UpdateService(ctx, pub.ID, c3, pendopotest.Change(t4.Add(time.Hour), "syarat"), true, 0))(t)
	if p3.Version != 3 || len(p3.Standard.Requirements) != 3 {
		t.Fatalf("after update+publish: %+v", p3)
	}
	vs := must(s.Versions(ctx, pub.ID))(t)
	if len(vs) != 3 || vs[0].Number != 3 || vs[2].Number != 1 || vs[2].Note != "awal" || vs[1].Note != "nama baru" || !vs[0].Published || vs[2].Author != "penguji" {
		t.Fatalf("versions: %+v", vs)
	}
	if !vs[2].CreatedAt.Equal(t1) {
		t.Errorf("version 1 created at %v, want %v", vs[2].CreatedAt, t1)
	}
	v1 := must(s.Version(ctx, pub.ID, 1))(t)
	if v1.Content.Name != c.Name || v1.Content.Standard.Duration.WorkingDays != 3 {
		t.Errorf("version 1 content: %+v", v1.Content)
	}
	_, err := s.Version(ctx, pub.ID, 9)
	wantKind(t, err, pendopo.KindNotFound)
	// Publishing an older version rolls back the public content.
	back := must(s.PublishService(ctx, pub.ID, 1, pendopotest.Change(t4.Add(2*time.Hour), "kembali")))(t)
	if back.Version != 1 || back.Name != c.Name || back.LatestVersion != 3 {
		t.Errorf("rollback: %+v", back)
	}
	// Review moves only the review time.
	t5 := t4.Add(24 * time.Hour)
	r := must(s.MarkReviewed(ctx, pub.ID, pendopotest.Change(t5, "")))(t)
	if !r.ReviewedAt.Equal(t5) || r.UpdatedAt.Equal(t5) {
		t.Errorf("review: %+v", r)
	}
	bySlug := must(s.ServiceBySlug(ctx, "33.74", "akta"))(t)
	if bySlug.ID != pub.ID {
		t.Errorf("by slug: %d", bySlug.ID)
	}
	_, err = s.Service(ctx, 424242)
	wantKind(t, err, pendopo.KindNotFound)
	_, err = s.Versions(ctx, 424242)
	wantKind(t, err, pendopo.KindNotFound)
	other := must(s.CreateService(ctx, "33.74", pendopotest.Content("x", "ktp-el", "dukcapil"), pendopotest.Change(t1, ""), false))(t)
	_, err = s.MarkReviewed(ctx, other.ID, pendopotest.Change(t5, ""))
	wantKind(t, err, pendopo.KindInvalid)
}

func testServiceRefs(t *testing.T, s pendopo.Store) {
	setupRegion(t, s)
	c := pendopotest.Content("a", "no-such-kind", "nobody")
	c.Points = []string{"mpp", "ghost"}
	_, err := s.CreateService(ctx, "33.74", c, pendopotest.Change(pendopotest.T0, ""), true)
	wantKind(t, err, pendopo.KindInvalid)
	var e *pendopo.Error
	if !errors.As(err, &e) {
		t.Fatal(err)
	}
	fields := map[string]bool{}
	for _, f := range e.Fields {
		fields[f.Field] = true
	}
	if !fields["kind"] || !fields["agency"] || !fields["points[1]"] || fields["points[0]"] {
		t.Errorf("fields = %v", fields)
	}
	// Agencies and points of another region do not count.
	c = pendopotest.Content("a", "ktp-el", "dukcapil")
	_, err = s.CreateService(ctx, "33.01", c, pendopotest.Change(pendopotest.T0, ""), true)
	wantKind(t, err, pendopo.KindInvalid)
}

func testServiceConflicts(t *testing.T, s pendopo.Store) {
	setupRegion(t, s)
	ch := pendopotest.Change(pendopotest.T0, "")
	a := must(s.CreateService(ctx, "33.74", pendopotest.Content("a", "ktp-el", "dukcapil"), ch, true))(t)
	_, err := s.CreateService(ctx, "33.74", pendopotest.Content("a", "ktp-el", "dukcapil"), ch, true)
	wantKind(t, err, pendopo.KindConflict)
	// The same slug in another region is fine.
	must(s.CreateService(ctx, "33.72", pendopotest.Content("a", "ktp-el", "dukcapil"), ch, true))(t)
	// Editing from a stale version is refused and changes nothing.
	must(s.UpdateService(ctx, a.ID, pendopotest.Content("a", "ktp-el", "dukcapil"), ch, false, 1))(t)
	_, err = s.UpdateService(ctx, a.ID, pendopotest.Content("a", "ktp-el", "dukcapil"), ch, false, 1)
	wantKind(t, err, pendopo.KindConflict)
	if vs := must(s.Versions(ctx, a.ID))(t); len(vs) != 2 {
		t.Errorf("refused edit left a version: %d versions", len(vs))
	}
	// Renaming the slug onto another service's slug is a conflict.
	must(s.CreateService(ctx, "33.74", pendopotest.Content("b", "ktp-el", "dukcapil"), ch, true))(t)
	_, err = s.UpdateService(ctx, a.ID, pendopotest.Content("b", "ktp-el", "dukcapil"), ch, true, 0)
	wantKind(t, err, pendopo.KindConflict)
}

func testServiceList(t *testing.T, s pendopo.Store) {
	setupRegion(t, s)
	must(s.SaveAgency(ctx, pendopotest.Agency("33.74", "dpmptsp", "DPMPTSP"), pendopotest.T0))(t)
	ch := pendopotest.Change(pendopotest.T0, "")
	mk := func(region, slug, kind, agency string, days int, fee int64, reqs int, events ...string) int64 {
		c := pendopotest.Content(slug, kind, agency)
		c.Name = "Layanan " + slug
		c.LifeEvents = events
		if days == 0 {
			c.Standard.Duration = pendopo.Duration{SameDay: true}
		} else {
			c.Standard.Duration = pendopo.Duration{WorkingDays: days}
		}
		if fee > 0 {
			c.Standard.Fee = pendopo.Fee{Type: pendopo.FeeFixed, Amount: fee, LegalBasis: "Perda"}
		}
		c.Standard.Requirements = make([]string, reqs)
		for i := range c.Standard.Requirements {
			c.Standard.Requirements[i] = "syarat"
		}
		if kind == "pbg" {
			c.Category = "perizinan"
		}
		return must(s.CreateService(ctx, region, c, ch, true))(t).ID
	}
	mk("33.74", "b-ktp", "ktp-el", "dukcapil", 1, 0, 2, "menginjak-dewasa")
	mk("33.74", "a-akta", "akta-kelahiran", "dukcapil", 3, 0, 4, "kelahiran")
	mk("33.74", "c-pbg", "pbg", "dpmptsp", 28, 500000, 6, "membangun-rumah")
	mk("33.72", "ktp", "ktp-el", "dukcapil", 0, 0, 3, "menginjak-dewasa")
	must(s.CreateService(ctx, "33.74", pendopotest.Content("draft", "ktp-el", "dukcapil"), ch, false))(t)

	names := func(l []pendopo.ServiceSummary) []string {
		var out []string
		for _, s := range l {
			out = append(out, s.Slug)
		}
		return out
	}
	cases := []struct {
		name  string
		f     pendopo.ServiceFilter
		want  []string
		total int
	}{
		{"region by name", pendopo.ServiceFilter{Region: "33.74"}, []string{"a-akta", "b-ktp", "c-pbg"}, 3},
		{"agency", pendopo.ServiceFilter{Region: "33.74", Agency: "dpmptsp"}, []string{"c-pbg"}, 1},
		{"category", pendopo.ServiceFilter{Region: "33.74", Category: "perizinan"}, []string{"c-pbg"}, 1},
		{"life event", pendopo.ServiceFilter{Region: "33.74", LifeEvent: "kelahiran"}, []string{"a-akta"}, 1},
		{"kind across regions by duration", pendopo.ServiceFilter{Kind: "ktp-el", Sort: pendopo.SortDuration}, []string{"ktp", "b-ktp"}, 2},
		{"duration desc", pendopo.ServiceFilter{Region: "33.74", Sort: pendopo.SortDuration, Desc: true}, []string{"c-pbg", "a-akta", "b-ktp"}, 3},
		{"fee", pendopo.ServiceFilter{Region: "33.74", Sort: pendopo.SortFee, Desc: true}, []string{"c-pbg", "a-akta", "b-ktp"}, 3},
		{"requirements", pendopo.ServiceFilter{Region: "33.74", Sort: pendopo.SortRequirements}, []string{"b-ktp", "a-akta", "c-pbg"}, 3},
		{"region sort", pendopo.ServiceFilter{Kind: "ktp-el", Sort: pendopo.SortRegion}, []string{"b-ktp", "ktp"}, 2},
		{"page 2", pendopo.ServiceFilter{Region: "33.74", Page: pendopo.Page{Page: 2, PerPage: 2}}, []string{"c-pbg"}, 3},
		{"past the end", pendopo.ServiceFilter{Region: "33.74", Page: pendopo.Page{Page: 5, PerPage: 2}}, nil, 3},
		{"drafts", pendopo.ServiceFilter{Region: "33.74", Drafts: true, Kind: "ktp-el"}, []string{"b-ktp", "draft"}, 2},
	}
	for _, c := range cases {
		l, total, err := s.Services(ctx, c.f)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if got := names(l); !slices.Equal(got, c.want) || total != c.total {
			t.Errorf("%s: got %v (total %d), want %v (total %d)", c.name, got, total, c.want, c.total)
		}
	}
	l, _, _ := s.Services(ctx, pendopo.ServiceFilter{Region: "33.74", Agency: "dpmptsp"})
	got := l[0]
	if got.RegionName != "Kota Semarang" || got.AgencyName != "DPMPTSP" || got.Requirements != 6 || got.Fee.Amount != 500000 ||
		got.Duration.WorkingDays != 28 || got.Version != 1 || !slices.Equal(got.LifeEvents, []string{"membangun-rumah"}) ||
		!slices.Equal(got.Channels, []pendopo.Channel{pendopo.ChannelOffline}) {
		t.Errorf("summary: %+v", got)
	}
	full := must(s.RegionServices(ctx, "33.74"))(t)
	if len(full) != 4 || full[0].Slug != "a-akta" || full[3].Slug != "draft" || full[0].Standard.Duration.WorkingDays != 3 {
		t.Errorf("region services: %d, first %+v", len(full), full[0].ServiceContent)
	}
	r := must(s.Region(ctx, "33.74"))(t)
	if r.ServiceCount != 3 {
		t.Errorf("region service count = %d, want 3", r.ServiceCount)
	}
	a := must(s.Agency(ctx, "33.74", "dukcapil"))(t)
	if a.ServiceCount != 2 {
		t.Errorf("agency service count = %d, want 2", a.ServiceCount)
	}
}

func testChanges(t *testing.T, s pendopo.Store) {
	setupRegion(t, s)
	ch := pendopotest.Change(pendopotest.T0, "")
	a := must(s.CreateService(ctx, "33.74", pendopotest.Content("a", "ktp-el", "dukcapil"), ch, true))(t)
	b := must(s.CreateService(ctx, "33.74", pendopotest.Content("b", "ktp-el", "dukcapil"), ch, false))(t)
	c := must(s.CreateService(ctx, "33.72", pendopotest.Content("c", "ktp-el", "dukcapil"), ch, true))(t)
	all := must(s.Changes(ctx, 0, 100))(t)
	if len(all) != 3 || all[0].ID != a.ID || all[1].ID != b.ID || all[2].ID != c.ID {
		t.Fatalf("changes: %+v", all)
	}
	if !all[0].Published || all[1].Published || all[0].RegionName != "Kota Semarang" || all[0].AgencyName != "Disdukcapil 33.74" || all[0].Content.Slug != "a" {
		t.Errorf("docs: %+v", all)
	}
	last := all[2].Seq
	if rest := must(s.Changes(ctx, last, 100))(t); len(rest) != 0 {
		t.Errorf("changes after last: %v", rest)
	}
	// Limits page through changes.
	first := must(s.Changes(ctx, 0, 2))(t)
	if len(first) != 2 {
		t.Fatalf("limit 2 gave %d", len(first))
	}
	// A rename of the agency marks its services changed, in one batch.
	must(s.SaveAgency(ctx, pendopotest.Agency("33.74", "dukcapil", "Dinas Dukcapil"), pendopotest.T0))(t)
	renamed := must(s.Changes(ctx, last, 1))(t)
	if len(renamed) != 2 || renamed[0].AgencyName != "Dinas Dukcapil" || renamed[0].Seq != renamed[1].Seq {
		t.Errorf("after agency rename: %+v", renamed)
	}
	// Publishing a draft is a change.
	must(s.PublishService(ctx, b.ID, 1, ch))(t)
	pub := must(s.Changes(ctx, renamed[0].Seq, 100))(t)
	if len(pub) != 1 || pub[0].ID != b.ID || !pub[0].Published {
		t.Errorf("after publish: %+v", pub)
	}
	// A region rename is a change too.
	must(s.UpdateRegion(ctx, "33.72", "Kota Surakarta (Solo)", pendopo.RegionProfile{}, nil, pendopotest.T0))(t)
	rr := must(s.Changes(ctx, pub[0].Seq, 100))(t)
	if len(rr) != 1 || rr[0].RegionName != "Kota Surakarta (Solo)" {
		t.Errorf("after region rename: %+v", rr)
	}
}

func testTransactions(t *testing.T, s pendopo.Store) {
	setupRegion(t, s)
	boom := errors.New("boom")
	err := s.InTx(ctx, func(tx pendopo.Store) error {
		if _, err := tx.SaveAgency(ctx, pendopotest.Agency("33.74", "dlh", "Dinas Lingkungan Hidup"), pendopotest.T0); err != nil {
			return err
		}
		if _, err := tx.CreateService(ctx, "33.74", pendopotest.Content("sampah", "ktp-el", "dlh"), pendopotest.Change(pendopotest.T0, ""), true); err != nil {
			return err
		}
		// Reads inside the transaction see its writes.
		if _, err := tx.Agency(ctx, "33.74", "dlh"); err != nil {
			return err
		}
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("InTx = %v", err)
	}
	_, err = s.Agency(ctx, "33.74", "dlh")
	wantKind(t, err, pendopo.KindNotFound)
	if _, err := s.ServiceBySlug(ctx, "33.74", "sampah"); pendopo.KindOf(err) != pendopo.KindNotFound {
		t.Errorf("rolled-back service exists: %v", err)
	}
	// A failed nested step inside a transaction rolls back everything.
	err = s.InTx(ctx, func(tx pendopo.Store) error {
		if _, err := tx.SaveAgency(ctx, pendopotest.Agency("33.74", "dlh", "DLH"), pendopotest.T0); err != nil {
			return err
		}
		_, err := tx.CreateService(ctx, "33.74", pendopotest.Content("x", "no-kind", "dlh"), pendopotest.Change(pendopotest.T0, ""), true)
		return err
	})
	wantKind(t, err, pendopo.KindInvalid)
	_, err = s.Agency(ctx, "33.74", "dlh")
	wantKind(t, err, pendopo.KindNotFound)
}

func testTokens(t *testing.T, s pendopo.Store) {
	tok := must(s.CreateToken(ctx, pendopo.Token{Name: "ci", Region: "33.74", Hash: "h1", CreatedAt: pendopotest.T0, CreatedBy: "Admin (#1)"}))(t)
	must(s.CreateToken(ctx, pendopo.Token{Name: "nasional", Hash: "h2", CreatedAt: pendopotest.T0}))(t)
	_, err := s.CreateToken(ctx, pendopo.Token{Name: "dup", Hash: "h1", CreatedAt: pendopotest.T0})
	wantKind(t, err, pendopo.KindConflict)
	got := must(s.TokenByHash(ctx, "h1"))(t)
	if got.ID != tok.ID || got.Region != "33.74" || got.CreatedBy != "Admin (#1)" || !got.LastUsedAt.IsZero() || !got.RevokedAt.IsZero() {
		t.Errorf("token: %+v", got)
	}
	at := pendopotest.T0.Add(time.Minute)
	if err := s.TouchToken(ctx, tok.ID, at); err != nil {
		t.Fatal(err)
	}
	if err := s.RevokeToken(ctx, tok.ID, at); err != nil {
		t.Fatal(err)
	}
	if err := s.RevokeToken(ctx, tok.ID, at.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	got = must(s.TokenByHash(ctx, "h1"))(t)
	if !got.RevokedAt.Equal(at) || !got.LastUsedAt.Equal(at) {
		t.Errorf("after revoke: %+v", got)
	}
	if l := must(s.Tokens(ctx))(t); len(l) != 2 || l[0].Name != "nasional" {
		t.Errorf("tokens: %+v", l)
	}
	wantKind(t, s.RevokeToken(ctx, 999, at), pendopo.KindNotFound)
	_, err = s.TokenByHash(ctx, "nope")
	wantKind(t, err, pendopo.KindNotFound)
}

func testSettings(t *testing.T, s pendopo.Store) {
	_, err := s.Setting(ctx, "synonyms")
	wantKind(t, err, pendopo.KindNotFound)
	for _, v := range []string{"a => b", "ktp, kartu tanda penduduk"} {
		if err := s.PutSetting(ctx, "synonyms", v); err != nil {
			t.Fatal(err)
		}
		if got := must(s.Setting(ctx, "synonyms"))(t); got != v {
			t.Errorf("setting = %q, want %q", got, v)
		}
	}
	// A swap lands only over the value it was made from; of two made from
	// the same value at once, exactly one lands.
	if ok := must(s.SwapSetting(ctx, "synonyms", "stale", "x => y"))(t); ok {
		t.Error("a swap over a stale value landed")
	}
	if ok := must(s.SwapSetting(ctx, "fresh", "", "a => b"))(t); !ok {
		t.Error("a swap making a new setting did not land")
	}
	if ok := must(s.SwapSetting(ctx, "fresh", "", "c => d"))(t); ok {
		t.Error("a second swap making the same setting landed")
	}
	won := make(chan bool, 2)
	for _, v := range []string{"a => b\ne => f", "a => b\ng => h"} {
		go func() {
			ok, err := s.SwapSetting(ctx, "fresh", "a => b", v)
			won <- ok && err == nil
		}()
	}
	if a, b := <-won, <-won; a == b {
		t.Errorf("two swaps from one value: %v and %v, want one to land", a, b)
	}
}

func testStats(t *testing.T, s pendopo.Store) {
	setupRegion(t, s)
	ch := pendopotest.Change(pendopotest.T0, "")
	must(s.CreateService(ctx, "33.74", pendopotest.Content("a", "ktp-el", "dukcapil"), ch, true))(t)
	must(s.CreateService(ctx, "33.74", pendopotest.Content("b", "akta-kelahiran", "dukcapil"), ch, true))(t)
	must(s.CreateService(ctx, "33.72", pendopotest.Content("c", "ktp-el", "dukcapil"), ch, false))(t)
	st := must(s.Stats(ctx))(t)
	want := pendopo.Stats{Regions: 552, RegionsWithCatalog: 1, Agencies: 2, Services: 2, Kinds: 2}
	if st != want {
		t.Errorf("stats = %+v, want %+v", st, want)
	}
}

func testUsers(t *testing.T, s pendopo.Store) {
	at := pendopotest.T0
	u := must(s.CreateUser(ctx, pendopo.User{Name: "Budi", Email: "budi@contoh.id"}, "hash1", at))(t)
	v := must(s.CreateUser(ctx, pendopo.User{Name: "Sari", Phone: "+6281234567890"}, "hash2", at))(t)
	_, err := s.CreateUser(ctx, pendopo.User{Email: "budi@contoh.id"}, "x", at)
	wantKind(t, err, pendopo.KindConflict)
	_, err = s.CreateUser(ctx, pendopo.User{Phone: "+6281234567890"}, "x", at)
	wantKind(t, err, pendopo.KindConflict)
	c := must(s.Credentials(ctx, "budi@contoh.id", ""))(t)
	if c.UserID != u.ID || c.PasswordHash != "hash1" {
		t.Errorf("credentials by email: %+v", c)
	}
	if c := must(s.Credentials(ctx, "", "+6281234567890"))(t); c.UserID != v.ID {
		t.Errorf("credentials by phone: %+v", c)
	}
	_, err = s.Credentials(ctx, "nobody@contoh.id", "")
	wantKind(t, err, pendopo.KindNotFound)
	_, err = s.Credentials(ctx, "", "")
	wantKind(t, err, pendopo.KindNotFound)

	later := at.Add(time.Hour)
	if err := s.ConfirmUser(ctx, u.ID, later); err != nil {
		t.Fatal(err)
	}
	if err := s.UpdateUserName(ctx, u.ID, "Budi Santoso", later); err != nil {
		t.Fatal(err)
	}
	if err := s.SetPassword(ctx, u.ID, "hash3", later); err != nil {
		t.Fatal(err)
	}
	if err := s.SetUserNIK(ctx, u.ID, []byte{1, 2, 3}, later); err != nil {
		t.Fatal(err)
	}
	if nik := must(s.UserNIK(ctx, u.ID))(t); string(nik) != "\x01\x02\x03" {
		t.Errorf("nik = %v", nik)
	}
	if nik := must(s.UserNIK(ctx, v.ID))(t); nik != nil {
		t.Errorf("nik of a user without one = %v", nik)
	}
	got := must(s.User(ctx, u.ID))(t)
	if got.Name != "Budi Santoso" || !got.ConfirmedAt.Equal(later) || got.Email != "budi@contoh.id" || len(got.Roles) != 0 {
		t.Errorf("user: %+v", got)
	}
	if c := must(s.Credentials(ctx, "budi@contoh.id", ""))(t); c.PasswordHash != "hash3" {
		t.Errorf("password not changed: %+v", c)
	}

	// Roles.
	must(s.SaveAgency(ctx, pendopotest.Agency("33.74", "dukcapil", "Disdukcapil"), at))(t)
	roles := []pendopo.Role{{Kind: pendopo.RoleRegionAdmin, Region: "33.74"}, {Kind: pendopo.RoleOfficer, Region: "33.74", Agency: "dukcapil"}}
	for _, r := range roles {
		if err := s.GrantRole(ctx, u.ID, r, "penguji", at); err != nil {
			t.Fatal(err)
		}
	}
	wantKind(t, s.GrantRole(ctx, u.ID, roles[0], "penguji", at), pendopo.KindConflict)
	if err := s.GrantRole(ctx, v.ID, pendopo.Role{Kind: pendopo.RoleRegionAdmin, Region: "33.72"}, "penguji", at); err != nil {
		t.Fatal(err)
	}
	if got := must(s.User(ctx, u.ID))(t); len(got.Roles) != 2 {
		t.Errorf("roles: %+v", got.Roles)
	}
	smg := must(s.Users(ctx, pendopo.UserFilter{Region: "33.74"}))(t)
	if len(smg) != 1 || smg[0].ID != u.ID || len(smg[0].Roles) != 2 {
		t.Errorf("users of 33.74: %+v", smg)
	}
	if jateng := must(s.Users(ctx, pendopo.UserFilter{Region: "33"}))(t); len(jateng) != 2 {
		t.Errorf("users of province 33: %d", len(jateng))
	}
	if err := s.RevokeRole(ctx, u.ID, roles[1]); err != nil {
		t.Fatal(err)
	}
	wantKind(t, s.RevokeRole(ctx, u.ID, roles[1]), pendopo.KindNotFound)

	// Identities.
	if err := s.LinkIdentity(ctx, "sso", "sub-1", u.ID); err != nil {
		t.Fatal(err)
	}
	wantKind(t, s.LinkIdentity(ctx, "sso", "sub-1", v.ID), pendopo.KindConflict)
	if id := must(s.Identity(ctx, "sso", "sub-1"))(t); id != u.ID {
		t.Errorf("identity = %d", id)
	}

	// Erasing keeps the row but no personal data, roles or sign-in.
	must(0, s.CreateSession(ctx, pendopo.Session{Hash: "sess", UserID: u.ID, CreatedAt: at, LastSeenAt: at, ExpiresAt: at.Add(time.Hour)}))(t)
	if err := s.EraseUser(ctx, u.ID, later); err != nil {
		t.Fatal(err)
	}
	_, err = s.User(ctx, u.ID)
	wantKind(t, err, pendopo.KindNotFound)
	_, err = s.Credentials(ctx, "budi@contoh.id", "")
	wantKind(t, err, pendopo.KindNotFound)
	_, err = s.Session(ctx, "sess", at)
	wantKind(t, err, pendopo.KindNotFound)
	_, err = s.Identity(ctx, "sso", "sub-1")
	wantKind(t, err, pendopo.KindNotFound)
	// The email is free again.
	must(s.CreateUser(ctx, pendopo.User{Email: "budi@contoh.id"}, "x", later))(t)
	wantKind(t, s.EraseUser(ctx, u.ID, later), pendopo.KindNotFound)
}

func testSessions(t *testing.T, s pendopo.Store) {
	at := pendopotest.T0
	u := must(s.CreateUser(ctx, pendopo.User{Email: "a@contoh.id"}, "h", at))(t)
	for _, h := range []string{"s1", "s2", "s3"} {
		if err := s.CreateSession(ctx, pendopo.Session{Hash: h, UserID: u.ID, CreatedAt: at, LastSeenAt: at, ExpiresAt: at.Add(time.Hour), IP: "10.0.0.1", UserAgent: "uji"}); err != nil {
			t.Fatal(err)
		}
	}
	got := must(s.Session(ctx, "s1", at))(t)
	if got.UserID != u.ID || got.IP != "10.0.0.1" || !got.ExpiresAt.Equal(at.Add(time.Hour)) {
		t.Errorf("session: %+v", got)
	}
	_, err := s.Session(ctx, "s1", at.Add(2*time.Hour))
	wantKind(t, err, pendopo.KindNotFound)
	if err := s.TouchSession(ctx, "s1", at.Add(time.Hour), at.Add(3*time.Hour)); err != nil {
		t.Fatal(err)
	}
	must(s.Session(ctx, "s1", at.Add(2*time.Hour)))(t)
	if err := s.DeleteSession(ctx, "s2"); err != nil {
		t.Fatal(err)
	}
	if l := must(s.Sessions(ctx, u.ID))(t); len(l) != 2 {
		t.Errorf("sessions: %d", len(l))
	}
	if err := s.DeleteSessions(ctx, u.ID, "s1"); err != nil {
		t.Fatal(err)
	}
	if l := must(s.Sessions(ctx, u.ID))(t); len(l) != 1 || l[0].Hash != "s1" {
		t.Errorf("after logging out elsewhere: %+v", l)
	}
}

func testCodes(t *testing.T, s pendopo.Store) {
	at := pendopotest.T0
	u := must(s.CreateUser(ctx, pendopo.User{Email: "a@contoh.id"}, "h", at))(t)
	code := func(hash string) pendopo.AuthCode {
		return pendopo.AuthCode{UserID: u.ID, Purpose: pendopo.CodeConfirm, Hash: hash, ExpiresAt: at.Add(time.Hour), CreatedAt: at}
	}
	if err := s.CreateCode(ctx, code("c1")); err != nil {
		t.Fatal(err)
	}
	// A new code voids the old one.
	if err := s.CreateCode(ctx, code("c2")); err != nil {
		t.Fatal(err)
	}
	wantKind(t, s.ConsumeCode(ctx, u.ID, pendopo.CodeConfirm, "c1", at), pendopo.KindNotFound)
	wantKind(t, s.ConsumeCode(ctx, u.ID, pendopo.CodeReset, "c2", at), pendopo.KindNotFound)
	if err := s.ConsumeCode(ctx, u.ID, pendopo.CodeConfirm, "c2", at); err != nil {
		t.Fatal(err)
	}
	wantKind(t, s.ConsumeCode(ctx, u.ID, pendopo.CodeConfirm, "c2", at), pendopo.KindNotFound)
	// Expired codes do not work.
	if err := s.CreateCode(ctx, code("c3")); err != nil {
		t.Fatal(err)
	}
	wantKind(t, s.ConsumeCode(ctx, u.ID, pendopo.CodeConfirm, "c3", at.Add(2*time.Hour)), pendopo.KindNotFound)
	// Wrong guesses are counted and void the code.
	if err := s.CreateCode(ctx, code("c4")); err != nil {
		t.Fatal(err)
	}
	for range pendopo.MaxCodeAttempts {
		wantKind(t, s.ConsumeCode(ctx, u.ID, pendopo.CodeConfirm, "salah", at), pendopo.KindNotFound)
	}
	wantKind(t, s.ConsumeCode(ctx, u.ID, pendopo.CodeConfirm, "c4", at), pendopo.KindNotFound)
}

func testInvitations(t *testing.T, s pendopo.Store) {
	at := pendopotest.T0
	r := pendopo.Role{Kind: pendopo.RoleOfficer, Region: "33.74", Agency: "dukcapil"}
	inv := must(s.CreateInvitation(ctx, pendopo.Invitation{Hash: "i1", Email: "petugas@contoh.id", Name: "Petugas", Role: r, CreatedBy: "admin", CreatedAt: at, ExpiresAt: at.Add(72 * time.Hour)}))(t)
	must(s.CreateInvitation(ctx, pendopo.Invitation{Hash: "i2", Email: "x@contoh.id", Role: pendopo.Role{Kind: pendopo.RoleRegionAdmin, Region: "33.72"}, CreatedBy: "admin", CreatedAt: at, ExpiresAt: at}))(t)
	_, err := s.CreateInvitation(ctx, pendopo.Invitation{Hash: "i1", Email: "y@contoh.id", Role: r, CreatedAt: at, ExpiresAt: at})
	wantKind(t, err, pendopo.KindConflict)
	got := must(s.InvitationByHash(ctx, "i1"))(t)
	if got.ID != inv.ID || got.Role != r || got.Email != "petugas@contoh.id" || !got.AcceptedAt.IsZero() {
		t.Errorf("invitation: %+v", got)
	}
	u := must(s.CreateUser(ctx, pendopo.User{Email: "petugas@contoh.id"}, "h", at))(t)
	if err := s.AcceptInvitation(ctx, inv.ID, u.ID, at); err != nil {
		t.Fatal(err)
	}
	wantKind(t, s.AcceptInvitation(ctx, inv.ID, u.ID, at), pendopo.KindConflict)
	if got := must(s.InvitationByHash(ctx, "i1"))(t); got.AcceptedBy != u.ID || !got.AcceptedAt.Equal(at) {
		t.Errorf("accepted: %+v", got)
	}
	if l := must(s.Invitations(ctx, "33.74"))(t); len(l) != 1 {
		t.Errorf("invitations of 33.74: %d", len(l))
	}
	if l := must(s.Invitations(ctx, "33"))(t); len(l) != 2 {
		t.Errorf("invitations of province 33: %d", len(l))
	}
	_, err = s.InvitationByHash(ctx, "nope")
	wantKind(t, err, pendopo.KindNotFound)
	// Only a pending invitation can be cancelled.
	third := must(s.CreateInvitation(ctx, pendopo.Invitation{Hash: "i3", Email: "z@contoh.id", Role: r, CreatedBy: "admin", CreatedAt: at, ExpiresAt: at.Add(time.Hour)}))(t)
	if err := s.CancelInvitation(ctx, third.ID, at.Add(time.Minute)); err != nil {
		t.Fatal(err)
	}
	if got := must(s.InvitationByHash(ctx, "i3"))(t); !got.ExpiresAt.Equal(at.Add(time.Minute)) {
		t.Errorf("cancelled invitation expires %v", got.ExpiresAt)
	}
	wantKind(t, s.CancelInvitation(ctx, third.ID, at.Add(2*time.Minute)), pendopo.KindNotFound)
	wantKind(t, s.CancelInvitation(ctx, inv.ID, at), pendopo.KindNotFound)
}

func testLoginFailures(t *testing.T, s pendopo.Store) {
	at := pendopotest.T0
	always := func([]int) bool { return true }
	for i := range 3 {
		mustPair(s.CountAttempt(ctx, []string{"ip:10.0.0.1"}, at.Add(-time.Hour), at.Add(time.Duration(i)*time.Minute), always))(t)
	}
	mustPair(s.CountAttempt(ctx, []string{"acct:1"}, at.Add(-time.Hour), at, always))(t)
	if n := must(s.LoginFailures(ctx, "ip:10.0.0.1", at.Add(-time.Minute)))(t); n != 3 {
		t.Errorf("failures = %d", n)
	}
	if n := must(s.LoginFailures(ctx, "ip:10.0.0.1", at.Add(30*time.Second)))(t); n != 2 {
		t.Errorf("failures in window = %d", n)
	}
	if err := s.ClearLoginFailures(ctx, "ip:10.0.0.1"); err != nil {
		t.Fatal(err)
	}
	if n := must(s.LoginFailures(ctx, "ip:10.0.0.1", at.Add(-time.Hour)))(t); n != 0 {
		t.Errorf("after clearing = %d", n)
	}
	if n := must(s.LoginFailures(ctx, "acct:1", at.Add(-time.Hour)))(t); n != 1 {
		t.Errorf("other key cleared too: %d", n)
	}
}

// testCountAttempt: attempts are counted per key within the window,
// recorded only when allowed, and can be taken back.
func testCountAttempt(t *testing.T, s pendopo.Store) {
	at := pendopotest.T0
	since := at.Add(-15 * time.Minute)
	below := func(limit int) func([]int) bool {
		return func(c []int) bool { return c[0] < limit }
	}
	var seen [][]int
	record := func(c []int) bool { seen = append(seen, slices.Clone(c)); return true }
	if _, ok := mustPair(s.CountAttempt(ctx, []string{"ip:a", "acct:b"}, since, at, record))(t); !ok {
		t.Fatal("first attempt refused")
	}
	ids, _ := mustPair(s.CountAttempt(ctx, []string{"ip:a", "acct:c"}, since, at, record))(t)
	if len(ids) != 2 || ids[0] == ids[1] {
		t.Errorf("ids %v", ids)
	}
	if !slices.Equal(seen[0], []int{0, 0}) || !slices.Equal(seen[1], []int{1, 0}) {
		t.Errorf("counts %v", seen)
	}
	// Refused attempts are not recorded.
	for range 3 {
		mustPair(s.CountAttempt(ctx, []string{"ip:a"}, since, at, below(2)))(t)
	}
	if n := must(s.LoginFailures(ctx, "ip:a", since))(t); n != 2 {
		t.Errorf("after refusals: %d", n)
	}
	// Taking back an attempt frees its place, under every key it had.
	must(0, s.ForgetAttempts(ctx, ids))(t)
	if n := must(s.LoginFailures(ctx, "ip:a", since))(t); n != 1 {
		t.Errorf("after forgetting: %d", n)
	}
	if n := must(s.LoginFailures(ctx, "acct:c", since))(t); n != 0 {
		t.Errorf("acct:c after forgetting: %d", n)
	}
	must(0, s.ForgetAttempts(ctx, nil))(t)
	// Attempts leave the window, and are pruned when the key is counted.
	later := at.Add(20 * time.Minute)
	_, ok := mustPair(s.CountAttempt(ctx, []string{"ip:a"}, later.Add(-15*time.Minute), later, below(1)))(t)
	if !ok {
		t.Error("an old attempt still counts")
	}
	if n := must(s.LoginFailures(ctx, "ip:a", at.Add(-time.Hour)))(t); n != 1 {
		t.Errorf("old attempts kept: %d", n)
	}
}

// testCountAttemptBurst: of many parallel attempts under one key, exactly
// the limit get through, on every backend.
func testCountAttemptBurst(t *testing.T, s pendopo.Store) {
	at := pendopotest.T0
	const n, limit = 40, 5
	var (
		wg     sync.WaitGroup
		mu     sync.Mutex
		passed int
	)
	errs := make(chan error, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			// Each attempt also carries a key of its own, as a sign-in
			// carries its account and its address.
			keys := []string{fmt.Sprintf("acct:%d", i), "ip:burst"}
			_, ok, err := s.CountAttempt(ctx, keys, at.Add(-time.Hour), at, func(c []int) bool { return c[1] < limit })
			if err != nil {
				errs <- err
				return
			}
			if ok {
				mu.Lock()
				passed++
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	if passed != limit {
		t.Errorf("%d of %d parallel attempts passed a limit of %d", passed, n, limit)
	}
}

// mustPair is must for two results.
func mustPair[A, B any](a A, b B, err error) func(t *testing.T) (A, B) {
	return func(t *testing.T) (A, B) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return a, b
	}
}

func testAudit(t *testing.T, s pendopo.Store) {
	at := pendopotest.T0.Add(123456789 * time.Nanosecond)
	var entries []pendopo.AuditEntry
	for i, region := range []string{"33.74", "33.72", "33.74"} {
		e := must(s.AppendAudit(ctx, pendopo.AuditEntry{At: at.Add(time.Duration(i) * time.Minute), Actor: "budi", ActorUser: 7, Role: "region_admin",
			IP: "10.0.0.1", Action: "service.update", Entity: "service", EntityID: "42", Region: region, Diff: `{"name":["a","b"]}`}))(t)
		entries = append(entries, e)
	}
	if entries[0].Seq != 1 || entries[0].PrevHash != pendopo.GenesisHash || entries[1].PrevHash != entries[0].Hash || entries[2].Seq != 3 {
		t.Fatalf("chain: %+v", entries)
	}
	// A failed transaction leaves no entry and no gap.
	boom := errors.New("boom")
	err := s.InTx(ctx, func(tx pendopo.Store) error {
		if _, err := tx.AppendAudit(ctx, pendopo.AuditEntry{At: at, Actor: "x", Action: "a", Entity: "e", EntityID: "1"}); err != nil {
			return err
		}
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatal(err)
	}
	if head := must(s.AuditHead(ctx))(t); head != 3 {
		t.Errorf("audit head = %d, want 3", head)
	}
	chain := must(s.AuditChain(ctx, 0, 100))(t)
	if len(chain) != 3 {
		t.Fatalf("chain has %d entries", len(chain))
	}
	if _, _, brk := pendopo.VerifyChain(chain, pendopo.GenesisHash, 1); brk != nil {
		t.Errorf("stored chain does not verify: %+v", brk)
	}
	if !chain[0].At.Equal(entries[0].At) || chain[0].ActorUser != 7 || chain[0].Diff != entries[0].Diff {
		t.Errorf("stored entry differs: %+v vs %+v", chain[0], entries[0])
	}
	log, total := must2a(t)(s.AuditLog(ctx, pendopo.AuditFilter{Region: "33.74"}))
	if total != 2 || log[0].Seq != 3 {
		t.Errorf("region log: %d, first %d", total, log[0].Seq)
	}
	if _, total := must2a(t)(s.AuditLog(ctx, pendopo.AuditFilter{Region: "33"})); total != 3 {
		t.Errorf("province log: %d", total)
	}
	if _, total := must2a(t)(s.AuditLog(ctx, pendopo.AuditFilter{Actor: "BUD", Since: at.Add(time.Minute)})); total != 2 {
		t.Errorf("filtered log: %d", total)
	}
	// Finding by actor can be limited to actors in some roles.
	if _, total := must2a(t)(s.AuditLog(ctx, pendopo.AuditFilter{Actor: "bud", ActorRoles: []string{"citizen", "anonymous"}})); total != 0 {
		t.Errorf("actor in other roles: %d", total)
	}
	if _, total := must2a(t)(s.AuditLog(ctx, pendopo.AuditFilter{Actor: "bud", ActorRoles: []string{"system", "region_admin"}})); total != 3 {
		t.Errorf("actor in its role: %d", total)
	}
	for _, f := range []pendopo.AuditFilter{{Action: "service"}, {Action: "service.update"}, {EntityID: "42", Entity: "service"}} {
		if _, total := must2a(t)(s.AuditLog(ctx, f)); total != 3 {
			t.Errorf("%+v: %d", f, total)
		}
	}
	for _, f := range []pendopo.AuditFilter{{Action: "serv"}, {Action: "service.up"}, {EntityID: "4"}} {
		if _, total := must2a(t)(s.AuditLog(ctx, f)); total != 0 {
			t.Errorf("%+v: %d, want none", f, total)
		}
	}
	if l, total := must2a(t)(s.AuditLog(ctx, pendopo.AuditFilter{Page: pendopo.Page{Page: 9, PerPage: 1}})); len(l) != 0 || total != 3 {
		t.Errorf("past the end: %d %d", len(l), total)
	}
}

func must2a(t *testing.T) func([]pendopo.AuditEntry, int, error) ([]pendopo.AuditEntry, int) {
	return func(l []pendopo.AuditEntry, n int, err error) ([]pendopo.AuditEntry, int) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return l, n
	}
}
