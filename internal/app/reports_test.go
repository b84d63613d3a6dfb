package app_test

import (
	"bytes"
	"maps"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/pendopo/pendopo"
	"github.com/pendopo/pendopo/internal/app"
	"github.com/pendopo/pendopo/internal/demo"
	"github.com/pendopo/pendopo/internal/photo/phototest"
)

type reportFixture struct {
	accounts
	budi, sari, coordinator, dishub, dinkes, head pendopo.Actor
}

var semarangBox = &pendopo.Bounds{South: -7.12, West: 110.26, North: -6.93, East: 110.51}

func newReportFixture(t *testing.T) reportFixture {
	x := newAccounts(t)
	if _, err := demo.Load(ctx, x.App); err != nil {
		t.Fatal(err)
	}
	f := reportFixture{accounts: x}
	f.budi = citizenActor(t, x, "Budi Santoso", "budi@contoh.id")
	f.sari = citizenActor(t, x, "Sari Wulandari", "sari@contoh.id")
	f.coordinator = staff(t, x, "Koordinator", pendopo.RoleRegionAdmin, "")
	f.dishub = staff(t, x, "Petugas Dishub", pendopo.RoleOfficer, "dishub")
	f.head = staff(t, x, "Kepala Dishub", pendopo.RoleSupervisor, "dishub")
	f.dinkes = staff(t, x, "Petugas Dinkes", pendopo.RoleOfficer, "dinkes")
	if err := f.SetRegionBounds(ctx, f.coordinator, "33.74", semarangBox); err != nil {
		t.Fatal(err)
	}
	if err := f.SetReportRoute(ctx, f.coordinator, "33.74", "penerangan-jalan", "dishub"); err != nil {
		t.Fatal(err)
	}
	return f
}

// TestSaveReportRoutingAllOrNothing: the routing form's categories and
// map box are saved in one transaction, so a part refused midway (an
// unknown agency for a later category, after an earlier one was written;
// a box outside Indonesia; an unknown category) leaves every route, the
// box and the audit trail as they were; a good save writes an audit
// entry for each part.
func TestSaveReportRoutingAllOrNothing(t *testing.T) {
	f := newReportFixture(t)
	state := func() (map[string]string, *pendopo.Bounds, int64) {
		t.Helper()
		routes, err := f.ReportRoutes(ctx, "33.74")
		if err != nil {
			t.Fatal(err)
		}
		box, err := f.RegionBounds(ctx, "33.74")
		if err != nil {
			t.Fatal(err)
		}
		head, err := f.Store().AuditHead(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return routes, box, head
	}
	routes, box, head := state()
	outside := &pendopo.Bounds{South: 40, West: 110.26, North: 41, East: 110.51}
	for name, r := range map[string]app.ReportRouting{
		"unknown agency for a later category": {Routes: map[string]string{"penerangan-jalan": "dinkes", "sampah": "tidak-ada"},
			SetBounds: true, Bounds: nil},
		"box outside Indonesia": {Routes: map[string]string{"penerangan-jalan": "dinkes"}, SetBounds: true, Bounds: outside},
		"unknown category":      {Routes: map[string]string{"penerangan-jalan": "dinkes", "tidak-ada": "dishub"}},
	} {
		if err := f.SaveReportRouting(ctx, f.coordinator, "33.74", r); kind(err) != pendopo.KindInvalid {
			t.Errorf("%s: %v, want invalid", name, err)
		}
		gotRoutes, gotBox, gotHead := state()
		if !maps.Equal(gotRoutes, routes) || !reflect.DeepEqual(gotBox, box) || gotHead != head {
			t.Errorf("%s changed something: routes %v (were %v), box %v (was %v), audit head %d (was %d)",
				name, gotRoutes, routes, gotBox, box, gotHead, head)
		}
	}
	good := app.ReportRouting{Routes: map[string]string{"penerangan-jalan": "dinkes", "sampah": "dishub"}, SetBounds: true}
	if err := f.SaveReportRouting(ctx, f.coordinator, "33.74", good); err != nil {
		t.Fatal(err)
	}
	gotRoutes, gotBox, gotHead := state()
	if gotRoutes["penerangan-jalan"] != "dinkes" || gotRoutes["sampah"] != "dishub" || gotBox != nil || gotHead != head+3 {
		t.Errorf("after a good save: routes %v, box %v, %d audit entries (want 3)", gotRoutes, gotBox, gotHead-head)
	}
}

func streetLight(privacy pendopo.Privacy, contact string) pendopo.ReportInput {
	lat, lng := -6.99, 110.42
	return pendopo.ReportInput{Kind: pendopo.ReportComplaint, Title: "Lampu jalan mati di Jl. Pandanaran",
		Description: "Tiga lampu jalan di depan SD Pandanaran mati sejak seminggu; jalan gelap malam hari.",
		Category:    "penerangan-jalan", Location: pendopo.ReportLocation{Lat: &lat, Lng: &lng}, Privacy: privacy, Contact: contact}
}

func TestReportFlowAndPrivacy(t *testing.T) {
	f := newReportFixture(t)
	if err := f.SetReportRoute(ctx, f.dishub, "33.74", "sampah", "dishub"); kind(err) != pendopo.KindForbidden {
		t.Errorf("an officer changed the routing: %v", err)
	}
	// Anonymous, by a signed-in citizen; a double click makes one report.
	r, err := f.SubmitReport(ctx, f.budi, "33.74", streetLight(pendopo.PrivacyAnonymous, ""), "klik-1")
	if err != nil {
		t.Fatal(err)
	}
	if again, err := f.SubmitReport(ctx, f.budi, "33.74", streetLight(pendopo.PrivacyAnonymous, ""), "klik-1"); err != nil || again.ID != r.ID {
		t.Fatalf("double submit: %v", err)
	}
	if r.ReporterID != 0 || r.Due != pendopo.DateDay(2026, 12, 2) || r.Status != pendopo.ReportReceived {
		t.Fatalf("anonymous report: reporter %d, due %s, %s", r.ReporterID, r.Due, r.Status)
	}
	// Who sees the reporter: Budi himself, and nobody else.
	for name, who := range map[string]pendopo.Actor{"coordinator": f.coordinator, "public": {}, "another citizen": f.sari} {
		v, err := f.ReportFor(ctx, who, r.Number, "")
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if v.ReporterName != "" || v.ReporterContact != "" || v.ReporterID != 0 || v.Mine {
			t.Errorf("%s sees the anonymous reporter: %q %q %d", name, v.ReporterName, v.ReporterContact, v.ReporterID)
		}
	}
	mine, err := f.ReportFor(ctx, f.budi, r.Number, "")
	if err != nil || !mine.Mine || mine.ReporterName != "Budi Santoso" {
		t.Fatalf("Budi's own view: %+v %v", mine, err)
	}
	// The coordinator disposes along the routing; only then may Dishub act.
	if _, err := f.ActOnReport(ctx, f.dishub, r.Number, app.ReportAct{Action: pendopo.ActReportAnswer, Note: "x"}); kind(err) != pendopo.KindForbidden {
		t.Errorf("Dishub answered before disposition: %v", err)
	}
	v, _ := f.ReportFor(ctx, f.coordinator, r.Number, "")
	if v.Suggested != "dishub" {
		t.Errorf("suggested agency %q", v.Suggested)
	}
	d, err := f.ActOnReport(ctx, f.coordinator, r.Number, app.ReportAct{Action: pendopo.ActReportDispose, Rev: v.Rev})
	if err != nil || d.Agency != "dishub" || d.Status != pendopo.ReportDisposed || d.Due != pendopo.DateDay(2026, 12, 4) {
		t.Fatalf("dispose: %+v %v", d, err)
	}
	if _, err := f.ActOnReport(ctx, f.dinkes, r.Number, app.ReportAct{Action: pendopo.ActReportAnswer, Note: "x"}); kind(err) != pendopo.KindForbidden {
		t.Errorf("another agency answered: %v", err)
	}
	if _, err := f.ActOnReport(ctx, f.dishub, r.Number, app.ReportAct{Action: pendopo.ActReportAnswer, Note: " "}); kind(err) != pendopo.KindInvalid {
		t.Errorf("an empty answer: %v", err)
	}
	ans, err := f.ActOnReport(ctx, f.dishub, r.Number, app.ReportAct{Action: pendopo.ActReportAnswer, Note: "Tiga lampu sudah diganti pada 28 November."})
	if err != nil || ans.Status != pendopo.ReportFollowed || ans.Answer == "" || ans.Due != 0 {
		t.Fatalf("answer: %+v %v", ans, err)
	}
	if _, err := f.ActOnReport(ctx, f.dishub, r.Number, app.ReportAct{Action: pendopo.ActReportComplete}); err != nil {
		t.Fatal(err)
	}
	if _, err := f.ActOnReport(ctx, f.sari, r.Number, app.ReportAct{Action: pendopo.ActReportRate, Rating: 1}); kind(err) != pendopo.KindForbidden {
		t.Errorf("another citizen rated: %v", err)
	}
	if _, err := f.ActOnReport(ctx, f.budi, r.Number, app.ReportAct{Action: pendopo.ActReportRate, Rating: 6}); kind(err) != pendopo.KindInvalid {
		t.Errorf("rating 6: %v", err)
	}
	rated, err := f.ActOnReport(ctx, f.budi, r.Number, app.ReportAct{Action: pendopo.ActReportRate, Rating: 5})
	if err != nil || rated.Rating != 5 || rated.ClosedAt.IsZero() {
		t.Fatalf("rate: %+v %v", rated, err)
	}
	// The public page shows the answer and the steps, but no internal
	// actor and no identity.
	pub, err := f.ReportFor(ctx, pendopo.Actor{}, r.Number, "")
	if err != nil || pub.Answer == "" || len(pub.Events) < 4 {
		t.Fatalf("public view: %+v %v", pub, err)
	}
	for _, e := range pub.Events {
		if e.ActorID != 0 {
			t.Errorf("public event names an actor: %+v", e)
		}
	}
	// Reopening: within 10 days yes, after that no.
	*f.clock = now.AddDate(0, 0, 11)
	if _, err := f.ActOnReport(ctx, f.budi, r.Number, app.ReportAct{Action: pendopo.ActReportReopen, Note: "Mati lagi."}); kind(err) != pendopo.KindConflict {
		t.Errorf("reopened after 11 days: %v", err)
	}
	*f.clock = now.AddDate(0, 0, 3)
	re, err := f.ActOnReport(ctx, f.budi, r.Number, app.ReportAct{Action: pendopo.ActReportReopen, Note: "Satu lampu mati lagi."})
	if err != nil || re.Status != pendopo.ReportDisposed || re.Agency != "dishub" || !re.ClosedAt.IsZero() || re.Rating != 0 {
		t.Fatalf("reopen: %+v %v", re, err)
	}
}

func TestConfidentialAndFlaggedReports(t *testing.T) {
	f := newReportFixture(t)
	// Confidential, without an account: a contact is needed.
	in := streetLight(pendopo.PrivacyConfidential, "")
	if _, err := f.SubmitReport(ctx, pendopo.Actor{}, "33.74", in, ""); kind(err) != pendopo.KindInvalid {
		t.Errorf("no contact without an account: %v", err)
	}
	in.Contact, in.Name = "0812 3456 7890", "Sari"
	secret, err := f.SubmitReport(ctx, pendopo.Actor{}, "33.74", in, "")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.ReportFor(ctx, pendopo.Actor{}, secret.Number, ""); kind(err) != pendopo.KindNotFound {
		t.Errorf("the public sees a confidential report: %v", err)
	}
	// The contact does not prove the reporter (anyone may guess it); the
	// key given at filing does.
	if _, err := f.ReportFor(ctx, pendopo.Actor{}, secret.Number, "+6281234567890"); kind(err) != pendopo.KindNotFound {
		t.Errorf("the contact opens a confidential report: %v", err)
	}
	if v, err := f.ReportFor(ctx, pendopo.Actor{}, secret.Number, secret.Secret); err != nil || !v.Mine || !v.ByKey || v.ReporterName != "Sari" {
		t.Errorf("the reporter by key: %v", err)
	}
	v, err := f.ReportFor(ctx, f.coordinator, secret.Number, "")
	if err != nil || v.ReporterContact != "0812 3456 7890" {
		t.Fatalf("coordinator: %+v %v", v, err)
	}
	log, _, err := f.AuditLog(ctx, pendopo.System, pendopo.AuditFilter{Region: "33.74", Action: "report.read_personal"})
	if err != nil || len(log) != 1 {
		t.Errorf("reading the reporter's identity is not audited: %d %v", len(log), err)
	}
	// Rude words wait for moderation; a pin outside the region is refused.
	rude := streetLight(pendopo.PrivacyPublic, "")
	rude.Description = "Lampu mati terus, dasar goblok semua petugasnya."
	flagged, err := f.SubmitReport(ctx, f.budi, "33.74", rude, "")
	if err != nil || !flagged.Flagged {
		t.Fatalf("rude report: %+v %v", flagged, err)
	}
	if _, err := f.ReportFor(ctx, pendopo.Actor{}, flagged.Number, ""); kind(err) != pendopo.KindNotFound {
		t.Errorf("the public sees a report waiting for moderation: %v", err)
	}
	if pub, _, _ := f.PublicReports(ctx, pendopo.ReportFilter{Region: "33.74"}); len(pub) != 0 {
		t.Errorf("the public list has a report waiting for moderation: %+v", pub)
	}
	if q, total, err := f.ReportQueue(ctx, f.coordinator, "33.74", "", false, true, pendopo.Page{}); err != nil || total != 1 || q[0].ID != flagged.ID {
		t.Errorf("moderation queue: %d %v", total, err)
	}
	if _, err := f.ActOnReport(ctx, f.dishub, flagged.Number, app.ReportAct{Action: pendopo.ActReportRelease}); err == nil {
		t.Error("an officer of an agency released a flagged report")
	}
	if _, err := f.ActOnReport(ctx, f.coordinator, flagged.Number, app.ReportAct{Action: pendopo.ActReportRelease}); err != nil {
		t.Fatal(err)
	}
	if v, err := f.ReportFor(ctx, pendopo.Actor{}, flagged.Number, ""); err != nil || v.Flagged {
		t.Errorf("released report for the public: %v", err)
	}
	if _, err := f.ActOnReport(ctx, f.coordinator, flagged.Number, app.ReportAct{Action: pendopo.ActReportRelease}); kind(err) != pendopo.KindConflict {
		t.Errorf("releasing twice: %v", err)
	}
	list, _, _ := f.Store().Reports(ctx, pendopo.ReportFilter{Region: "33.74", Public: true})
	for _, r := range list {
		if r.ID == secret.ID {
			t.Errorf("public list has %s", r.Number)
		}
	}
	outside := streetLight(pendopo.PrivacyPublic, "")
	lat := -7.56 // Surakarta
	outside.Location.Lat = &lat
	if _, err := f.SubmitReport(ctx, f.budi, "33.74", outside, ""); kind(err) != pendopo.KindInvalid || !strings.Contains(err.Error(), "location") {
		t.Errorf("a pin outside the region: %v", err)
	}
	// Merging a duplicate into the first report.
	first, _ := f.SubmitReport(ctx, f.sari, "33.74", streetLight(pendopo.PrivacyPublic, ""), "")
	dup, _ := f.SubmitReport(ctx, f.budi, "33.74", streetLight(pendopo.PrivacyPublic, ""), "")
	m, err := f.ActOnReport(ctx, f.coordinator, dup.Number, app.ReportAct{Action: pendopo.ActReportMerge, Target: first.Number})
	if err != nil || m.MergedInto != first.ID || m.Status != pendopo.ReportDone {
		t.Fatalf("merge: %+v %v", m, err)
	}
}

func TestReportEscalation(t *testing.T) {
	f := newReportFixture(t)
	r, err := f.SubmitReport(ctx, f.budi, "33.74", streetLight(pendopo.PrivacyPublic, ""), "")
	if err != nil {
		t.Fatal(err)
	}
	pending(t, appFixture{accounts: f.accounts})
	if n, err := f.EscalateReports(ctx); err != nil || n != 0 {
		t.Fatalf("nothing is late yet: %d %v", n, err)
	}
	// Not verified by Wednesday 2 December: on Thursday it escalates, once.
	*f.clock = time.Date(2026, 12, 3, 2, 0, 0, 0, time.UTC)
	for i, want := range []int{1, 0} {
		if n, err := f.EscalateReports(ctx); err != nil || n != want {
			t.Fatalf("escalation run %d: %d %v", i, n, err)
		}
	}
	msgs := pending(t, appFixture{accounts: f.accounts})
	if m := msgs["koordinator@semarang.test"]; len(m) != 1 || !strings.Contains(m[0].Subject, r.Number) {
		t.Errorf("coordinator's escalation: %v", keys(msgs))
	}
	// Disposed and not followed up within 5 working days: the agency's
	// head hears too.
	got, _ := f.Store().Report(ctx, r.ID)
	if _, err := f.ActOnReport(ctx, f.coordinator, r.Number, app.ReportAct{Action: pendopo.ActReportDispose, Rev: got.Rev}); err != nil {
		t.Fatal(err)
	}
	*f.clock = time.Date(2026, 12, 11, 2, 0, 0, 0, time.UTC)
	if n, err := f.EscalateReports(ctx); err != nil || n != 1 {
		t.Fatalf("follow-up escalation: %d %v", n, err)
	}
	if m := pending(t, appFixture{accounts: f.accounts}); len(m["kepala.dishub@semarang.test"]) != 1 {
		t.Errorf("the head of Dishub was not told: %v", keys(m))
	}
}

func TestReportListsAndPhotos(t *testing.T) {
	f := newReportFixture(t)
	anon, _ := f.SubmitReport(ctx, f.budi, "33.74", streetLight(pendopo.PrivacyAnonymous, ""), "")
	secret, _ := f.SubmitReport(ctx, f.budi, "33.74", streetLight(pendopo.PrivacyConfidential, ""), "")
	other, _ := f.SubmitReport(ctx, f.sari, "33.74", streetLight(pendopo.PrivacyPublic, ""), "")
	pub, total, err := f.PublicReports(ctx, pendopo.ReportFilter{Region: "33.74"})
	if err != nil || total != 2 {
		t.Fatalf("public list: %d %v", total, err)
	}
	for _, r := range pub {
		if r.ID == secret.ID || r.ReporterID != 0 || r.Sealed != nil || r.ReporterKey != "" {
			t.Errorf("public list leaks: %+v", r.Report)
		}
	}
	mine, total, err := f.MyReports(ctx, f.budi, pendopo.Page{})
	if err != nil || total != 2 || mine[0].ID != secret.ID || mine[1].ID != anon.ID {
		t.Errorf("Budi's reports: %d %v", total, err)
	}
	// The coordinator's queue has all three; Dishub's none until disposed.
	if q, total, err := f.ReportQueue(ctx, f.coordinator, "33.74", "", false, false, pendopo.Page{}); err != nil || total != 3 || q[0].ReporterID != 0 && q[0].Privacy == pendopo.PrivacyAnonymous {
		t.Errorf("coordinator's queue: %d %v", total, err)
	}
	if _, _, err := f.ReportQueue(ctx, f.dishub, "33.74", "", false, false, pendopo.Page{}); kind(err) != pendopo.KindForbidden {
		t.Errorf("an officer opened the coordinator's queue: %v", err)
	}
	if _, total, err := f.ReportQueue(ctx, f.dishub, "33.74", "dishub", false, false, pendopo.Page{}); err != nil || total != 0 {
		t.Errorf("Dishub's queue before disposition: %d %v", total, err)
	}
	// Photos: JPEG or PNG by content, only by the reporter, shown with the report.
	jpeg := phototest.JPEGWithEXIF(40, 20, 6)
	if _, err := f.AddReportPhoto(ctx, f.sari, anon.Number, "", bytes.NewReader(jpeg)); kind(err) != pendopo.KindForbidden {
		t.Errorf("someone else added a photo: %v", err)
	}
	if _, err := f.AddReportPhoto(ctx, f.budi, anon.Number, "", strings.NewReader("%PDF-1.4 not a photo")); kind(err) != pendopo.KindUnsupported {
		t.Errorf("a PDF as a photo: %v", err)
	}
	p, err := f.AddReportPhoto(ctx, f.budi, anon.Number, "", bytes.NewReader(jpeg))
	if err != nil || p.Media != pendopo.MediaJPEG {
		t.Fatalf("photo: %+v %v", p, err)
	}
	rc, _, err := f.ReportPhoto(ctx, pendopo.Actor{}, anon.Number, "", p.Addr)
	if err != nil {
		t.Fatalf("the public sees a public report's photo: %v", err)
	}
	rc.Close()
	if _, _, err := f.ReportPhoto(ctx, pendopo.Actor{}, other.Number, "", p.Addr); kind(err) != pendopo.KindNotFound {
		t.Errorf("a photo through another report: %v", err)
	}
}

func TestDemoReports(t *testing.T) {
	x := newAccounts(t)
	if _, err := demo.Load(ctx, x.App); err != nil {
		t.Fatal(err)
	}
	if _, err := demo.AddAccounts(ctx, x.App, "kata sandi demo yang panjang"); err != nil {
		t.Fatal(err)
	}
	if seeded, err := demo.SeedReports(ctx, x.App); err != nil || !seeded {
		t.Fatalf("seed: %v %v", seeded, err)
	}
	if again, err := demo.SeedReports(ctx, x.App); err != nil || again {
		t.Fatalf("second seed: %v %v", again, err)
	}
	for _, region := range []string{"33.74", "33.72", "33.22"} {
		all, _, err := x.Store().Reports(ctx, pendopo.ReportFilter{Region: region, Page: pendopo.Page{PerPage: 100}})
		if err != nil {
			t.Fatal(err)
		}
		states, privacy, rated := map[pendopo.ReportStatus]bool{}, map[pendopo.Privacy]bool{}, false
		for _, r := range all {
			states[r.Status], privacy[r.Privacy] = true, true
			rated = rated || r.Rating > 0
		}
		for _, st := range []pendopo.ReportStatus{pendopo.ReportReceived, pendopo.ReportVerified, pendopo.ReportDisposed,
			pendopo.ReportFollowed, pendopo.ReportDone, pendopo.ReportRejected} {
			if !states[st] {
				t.Errorf("%s: no %s report", region, st)
			}
		}
		if len(privacy) != 3 || !rated {
			t.Errorf("%s: privacy kinds %v, rated %v", region, privacy, rated)
		}
		routes, _ := x.ReportRoutes(ctx, region)
		if len(routes) != len(pendopo.ReportCategories) {
			t.Errorf("%s: %d routes", region, len(routes))
		}
	}
	// The history is in the inboxes but sends no email.
	if ms, err := x.Store().ClaimMessages(ctx, now.AddDate(1, 0, 0), 100, time.Hour); err != nil || len(ms) != 0 {
		t.Errorf("the seed queued %d messages (%v)", len(ms), err)
	}
}

// TestReporterIsTold: a reporter without an account hears by email at the
// contact they gave; an anonymous reporter with an account in their
// inbox; officers never see either address.
func TestReporterIsTold(t *testing.T) {
	f := newReportFixture(t)
	af := appFixture{accounts: f.accounts}
	pending(t, af)
	in := streetLight(pendopo.PrivacyAnonymous, "tetangga@contoh.id")
	r, err := f.SubmitReport(ctx, pendopo.Actor{}, "33.74", in, "")
	if err != nil {
		t.Fatal(err)
	}
	mine, err := f.SubmitReport(ctx, f.budi, "33.74", streetLight(pendopo.PrivacyAnonymous, ""), "")
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range []string{r.Number, mine.Number} {
		if _, err := f.ActOnReport(ctx, f.coordinator, n, app.ReportAct{Action: pendopo.ActReportDispose}); err != nil {
			t.Fatal(err)
		}
	}
	msgs := pending(t, af)
	if m := msgs["tetangga@contoh.id"]; len(m) != 2 || !strings.Contains(m[1].Body, r.Number) || !strings.Contains(m[1].Body, "2026-12-04") {
		t.Errorf("the contact's messages: %+v", m)
	}
	if len(msgs["budi@contoh.id"]) != 2 {
		t.Errorf("Budi's messages: %d", len(msgs["budi@contoh.id"]))
	}
	in2, _ := f.Inbox(ctx, f.budi, pendopo.Page{})
	if in2.Total != 2 || !strings.Contains(in2.Notifications[0].Body.Indonesian, mine.Number) {
		t.Errorf("Budi's inbox: %+v", in2)
	}
}

// A coordinator forwards a report to its province on Pendopo: it goes on
// there as a new report with a new number and the same privacy, its
// photos and its reporter (who is told, and still anonymous), while the
// original closes pointing at it.
func TestReportForwardedToAnotherRegion(t *testing.T) {
	f := newReportFixture(t)
	af := appFixture{accounts: f.accounts}
	// The province has joined: its coordinator takes forwarded reports up.
	role := pendopo.Role{Kind: pendopo.RoleRegionAdmin, Region: "33"}
	u, err := f.AddUser(ctx, "Koordinator Provinsi", "koordinator@jatengprov.test", "lumpia gang lombok", &role)
	if err != nil {
		t.Fatal(err)
	}
	province := pendopo.Actor{Name: u.Name, UserID: u.ID, Roles: []pendopo.Role{role}}
	r, err := f.SubmitReport(ctx, f.budi, "33.74", streetLight(pendopo.PrivacyAnonymous, ""), "")
	if err != nil {
		t.Fatal(err)
	}
	jpeg := phototest.JPEGWithEXIF(40, 20, 6)
	photo, err := f.AddReportPhoto(ctx, f.budi, r.Number, "", bytes.NewReader(jpeg))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.ActOnReport(ctx, f.coordinator, r.Number, app.ReportAct{Action: pendopo.ActReportDispose}); err != nil {
		t.Fatal(err)
	}
	pending(t, af)
	for _, tt := range []struct {
		who    pendopo.Actor
		act    app.ReportAct
		reject pendopo.ErrorKind
	}{
		{f.dishub, app.ReportAct{Action: pendopo.ActReportForward, Region: "33", Note: "Jalan provinsi."}, pendopo.KindForbidden},
		{f.coordinator, app.ReportAct{Action: pendopo.ActReportForward, Region: "33", Note: " "}, pendopo.KindInvalid},
		{f.coordinator, app.ReportAct{Action: pendopo.ActReportForward, Region: "33.74", Note: "Jalan provinsi."}, pendopo.KindInvalid},
		{f.coordinator, app.ReportAct{Action: pendopo.ActReportForward, Region: "99", Note: "Jalan provinsi."}, pendopo.KindInvalid},
		// Kabupaten Cilacap has not joined: nobody would take it up.
		{f.coordinator, app.ReportAct{Action: pendopo.ActReportForward, Region: "33.01", Note: "Jalan kabupaten."}, pendopo.KindInvalid},
	} {
		if _, err := f.ActOnReport(ctx, tt.who, r.Number, tt.act); kind(err) != tt.reject {
			t.Errorf("%s forwarding to %q: %v, want %s", tt.who.Name, tt.act.Region, err, tt.reject)
		}
	}
	old, err := f.ActOnReport(ctx, f.coordinator, r.Number, app.ReportAct{Action: pendopo.ActReportForward, Region: "33",
		Note: "Jl. Pandanaran ruas jalan provinsi."})
	if err != nil || old.Status != pendopo.ReportDone || old.ClosedAt.IsZero() || old.MergedInto == 0 {
		t.Fatalf("forwarded: %+v %v", old, err)
	}
	ov, err := f.ReportFor(ctx, f.budi, r.Number, "")
	if err != nil {
		t.Fatal(err)
	}
	last := ov.Events[len(ov.Events)-1]
	moved := last.Target
	if last.Action != pendopo.ActReportForward || !last.Public || !strings.HasPrefix(moved, "33-") {
		t.Fatalf("the forwarding line: %+v", last)
	}
	// The new report waits for the province's coordinator, on its clock.
	nv, err := f.ReportFor(ctx, province, moved, "")
	if err != nil || !nv.Coordinator || nv.Region != "33" || nv.Status != pendopo.ReportReceived || nv.Due != pendopo.DateDay(2026, 12, 2) ||
		nv.Title != r.Title || nv.Privacy != pendopo.PrivacyAnonymous || len(nv.Photos) != 1 || nv.Photos[0].Addr != photo.Addr {
		t.Fatalf("the province's report: %+v %v", nv, err)
	}
	if nv.ReporterName != "" || nv.ReporterContact != "" || nv.ReporterID != 0 || nv.Events[0].Action != "forwarded" || nv.Events[0].Target != r.Number {
		t.Errorf("the province sees: %q %q %d %+v", nv.ReporterName, nv.ReporterContact, nv.ReporterID, nv.Events[0])
	}
	// Budi still owns both; the old one takes no more rating or reopening.
	mine, err := f.ReportFor(ctx, f.budi, moved, "")
	if err != nil || !mine.Mine || mine.ReporterName != "Budi Santoso" {
		t.Fatalf("Budi's view of the new report: %+v %v", mine, err)
	}
	if list, total, _ := f.MyReports(ctx, f.budi, pendopo.Page{}); total != 2 || len(list) != 2 {
		t.Errorf("Budi's reports: %d", total)
	}
	for _, a := range []pendopo.ReportAction{pendopo.ActReportRate, pendopo.ActReportReopen} {
		if _, err := f.ActOnReport(ctx, f.budi, r.Number, app.ReportAct{Action: a, Rating: 5, Note: "Belum."}); kind(err) != pendopo.KindConflict {
			t.Errorf("%s on the forwarded report: %v", a, err)
		}
	}
	if msgs := pending(t, af)["budi@contoh.id"]; len(msgs) != 1 || !strings.Contains(msgs[0].Body, moved) {
		t.Errorf("Budi is told the new number: %+v", msgs)
	}
	// The public sees the new report, not the old one twice.
	if _, err := f.ReportFor(ctx, pendopo.Actor{}, r.Number, ""); kind(err) != pendopo.KindNotFound {
		t.Errorf("the old report is public: %v", err)
	}
	if _, err := f.ReportFor(ctx, pendopo.Actor{}, moved, ""); err != nil {
		t.Errorf("the new report is not public: %v", err)
	}
	// The province may hand it back to a kota of its own.
	if got := f.ForwardRegions("33"); len(got) != 35 {
		t.Errorf("a province forwards to its %d kabupaten and kota", len(got))
	}
	if got := f.ForwardRegions("33.74"); len(got) != 35 || got[0].Code != "33" {
		t.Errorf("a kota forwards to its province and 34 neighbours: %d", len(got))
	}
}

// One reporter files at most ReportsPerHour reports from the network, by
// account or by contact, whatever their address; others are not held up.
func TestReportRateLimitPerReporter(t *testing.T) {
	f := newReportFixture(t)
	budi := f.budi
	for i := range app.ReportsPerHour + 1 {
		budi.IP = "10.0.0." + strconv.Itoa(i) // a new address each time
		_, err := f.SubmitReport(ctx, budi, "33.74", streetLight(pendopo.PrivacyPublic, ""), "")
		if i < app.ReportsPerHour && err != nil {
			t.Fatalf("report %d: %v", i+1, err)
		}
		if i == app.ReportsPerHour && kind(err) != pendopo.KindRateLimited {
			t.Fatalf("report %d in an hour: %v", i+1, err)
		}
	}
	sari := f.sari
	sari.IP = "10.0.0.1"
	if _, err := f.SubmitReport(ctx, sari, "33.74", streetLight(pendopo.PrivacyPublic, ""), ""); err != nil {
		t.Errorf("Sari is held up by Budi's limit: %v", err)
	}
	// Without an account the contact counts, however it is written.
	for i := range app.ReportsPerHour + 1 {
		contact := "Tetangga@Contoh.id"
		if i%2 == 1 {
			contact = "tetangga@contoh.id"
		}
		_, err := f.SubmitReport(ctx, pendopo.Actor{IP: "10.1.0." + strconv.Itoa(i)}, "33.74", streetLight(pendopo.PrivacyAnonymous, contact), "")
		if i == app.ReportsPerHour && kind(err) != pendopo.KindRateLimited || i < app.ReportsPerHour && err != nil {
			t.Fatalf("contact's report %d: %v", i+1, err)
		}
	}
	*f.clock = now.Add(time.Hour)
	budi.IP = "10.0.0.1"
	if _, err := f.SubmitReport(ctx, budi, "33.74", streetLight(pendopo.PrivacyPublic, ""), ""); err != nil {
		t.Errorf("an hour later: %v", err)
	}
}

// Tracking numbers are random; when a new one is taken already, the
// report and the application get another instead of an error.
func TestTrackingNumberCollision(t *testing.T) {
	f := newReportFixture(t)
	first, err := f.SubmitReport(ctx, f.budi, "33.74", streetLight(pendopo.PrivacyAnonymous, ""), "")
	if err != nil {
		t.Fatal(err)
	}
	taken := first.Number
	calls := 0
	restore := f.SetTrackingNumbers(func(region string, at time.Time) string {
		calls++
		if calls <= 2 {
			return taken
		}
		return pendopo.NewTrackingNumber(region, at)
	})
	defer restore()
	second, err := f.SubmitReport(ctx, f.budi, "33.74", streetLight(pendopo.PrivacyAnonymous, ""), "")
	if err != nil || second.Number == taken || calls != 3 {
		t.Fatalf("second report: %v %s after %d numbers", err, second.Number, calls)
	}
	// The reporter's sealed identity follows the new number.
	if v, err := f.ReportFor(ctx, f.budi, second.Number, ""); err != nil || v.ReporterName != "Budi Santoso" {
		t.Errorf("Budi's view of the renumbered report: %+v %v", v, err)
	}
}

// A rule may name a kecamatan as its area: reports pinned in it (by
// the kecamatan's boundary, not a box) go to the rule's agency, and a
// report placed by choosing the kecamatan, with no pin, too.
func TestReportAreaRouteByKecamatan(t *testing.T) {
	f := newReportFixture(t)
	for _, bad := range []pendopo.ReportAreaRoute{
		{Region: "33.74", District: "33.22.01", Agency: "disperkim"}, // another region's
		{Region: "33.74", District: "33.74.99", Agency: "disperkim"}, // no such kecamatan
		{Region: "33.74", District: "33.74", Agency: "disperkim"},
	} {
		if _, err := f.AddReportAreaRoute(ctx, f.coordinator, bad); kind(err) != pendopo.KindInvalid {
			t.Errorf("%s: %v", bad.District, err)
		}
	}
	rule, err := f.AddReportAreaRoute(ctx, f.coordinator, pendopo.ReportAreaRoute{Region: "33.74", District: "33.74.10", Agency: "disperkim"})
	if err != nil || rule.Name != "Tembalang" || rule.Area != (pendopo.Bounds{}) {
		t.Fatalf("rule by kecamatan: %+v %v", rule, err)
	}
	file := func(in pendopo.ReportInput) string {
		r, err := f.SubmitReport(ctx, f.budi, "33.74", in, "")
		if err != nil {
			t.Fatal(err)
		}
		return r.Number
	}
	pinned := func(lat, lng float64) pendopo.ReportInput {
		in := streetLight(pendopo.PrivacyPublic, "")
		in.Location.Lat, in.Location.Lng = &lat, &lng
		return in
	}
	chosen := streetLight(pendopo.PrivacyPublic, "")
	chosen.Location, chosen.District = pendopo.ReportLocation{}, "33.74.10"
	for _, tt := range []struct {
		name, number, want string
	}{
		{"pinned in Tembalang", file(pinned(-7.050, 110.440)), "disperkim"},
		{"Tembalang chosen", file(chosen), "disperkim"},
		{"pinned in Semarang Tengah", file(pinned(-6.990, 110.423)), "dishub"},
	} {
		v, err := f.ReportFor(ctx, f.coordinator, tt.number, "")
		if err != nil || v.Suggested != tt.want {
			t.Errorf("%s: suggested %q, want %q (%v)", tt.name, v.Suggested, tt.want, err)
		}
		if d, ok := f.ReportDistrict("33.74", v.Location); tt.want == "disperkim" && (!ok || d.Code != "33.74.10") {
			t.Errorf("%s: pinned in %+v", tt.name, d)
		}
	}
	// A pin inside the city's box but outside its boundary is refused,
	// and so is a kecamatan not of the region.
	for name, in := range map[string]pendopo.ReportInput{"the sea": pinned(-6.940, 110.470), "Demak": pinned(-7.100, 110.500)} {
		if _, err := f.SubmitReport(ctx, f.budi, "33.74", in, ""); kind(err) != pendopo.KindInvalid {
			t.Errorf("%s: %v", name, err)
		}
	}
	chosen.District = "33.22.01"
	if _, err := f.SubmitReport(ctx, f.budi, "33.74", chosen, ""); kind(err) != pendopo.KindInvalid {
		t.Errorf("another region's kecamatan: %v", err)
	}
}

// Area rules send the reports pinned in an area to that area's agency
// before the category's routing; only the coordinator keeps them.
func TestReportAreaRoutes(t *testing.T) {
	f := newReportFixture(t)
	kotaLama := pendopo.Bounds{South: -6.975, West: 110.42, North: -6.965, East: 110.435}
	rule := pendopo.ReportAreaRoute{Region: "33.74", Name: "Kawasan Kota Lama", Category: "penerangan-jalan", Area: kotaLama, Agency: "disperkim"}
	if _, err := f.AddReportAreaRoute(ctx, f.dishub, rule); kind(err) != pendopo.KindForbidden {
		t.Errorf("an officer made a rule: %v", err)
	}
	for _, bad := range []pendopo.ReportAreaRoute{
		{Region: "33.74", Name: "", Area: kotaLama, Agency: "disperkim"},
		{Region: "33.74", Name: "Terbalik", Area: pendopo.Bounds{South: -6.9, West: 110.42, North: -6.97, East: 110.435}, Agency: "disperkim"},
		{Region: "33.74", Name: "Luar negeri", Area: pendopo.Bounds{South: 10, West: 110, North: 11, East: 111}, Agency: "disperkim"},
		{Region: "33.74", Name: "Kategori asing", Category: "parkir-liar", Area: kotaLama, Agency: "disperkim"},
		{Region: "33.74", Name: "Tanpa OPD", Area: kotaLama, Agency: "tidak-ada"},
	} {
		if _, err := f.AddReportAreaRoute(ctx, f.coordinator, bad); kind(err) != pendopo.KindInvalid {
			t.Errorf("%s: %v", bad.Name, err)
		}
	}
	added, err := f.AddReportAreaRoute(ctx, f.coordinator, rule)
	if err != nil {
		t.Fatal(err)
	}
	file := func(lat, lng float64, category string) string {
		in := streetLight(pendopo.PrivacyPublic, "")
		in.Location.Lat, in.Location.Lng, in.Category = &lat, &lng, category
		r, err := f.SubmitReport(ctx, f.budi, "33.74", in, "")
		if err != nil {
			t.Fatal(err)
		}
		return r.Number
	}
	for _, tt := range []struct {
		number, want string
	}{
		{file(-6.97, 110.43, "penerangan-jalan"), "disperkim"}, // in Kota Lama
		{file(-6.99, 110.42, "penerangan-jalan"), "dishub"},    // elsewhere: the category's route
		{file(-6.97, 110.43, "jalan"), ""},                     // another category, which has no route
	} {
		v, err := f.ReportFor(ctx, f.coordinator, tt.number, "")
		if err != nil || v.Suggested != tt.want {
			t.Errorf("%s suggested %q, want %q (%v)", tt.number, v.Suggested, tt.want, err)
		}
		if tt.want == "" {
			continue
		}
		d, err := f.ActOnReport(ctx, f.coordinator, tt.number, app.ReportAct{Action: pendopo.ActReportDispose})
		if err != nil || d.Agency != tt.want {
			t.Errorf("%s disposed to %q, want %q (%v)", tt.number, d.Agency, tt.want, err)
		}
	}
	if list, err := f.ReportAreaRoutes(ctx, f.coordinator, "33.74"); err != nil || len(list) != 1 || list[0].ID != added.ID {
		t.Errorf("rules: %+v %v", list, err)
	}
	if err := f.DeleteReportAreaRoute(ctx, f.dishub, "33.74", added.ID); kind(err) != pendopo.KindForbidden {
		t.Errorf("an officer deleted a rule: %v", err)
	}
	if err := f.DeleteReportAreaRoute(ctx, f.coordinator, "33.74", added.ID); err != nil {
		t.Fatal(err)
	}
	if v, _ := f.ReportFor(ctx, f.coordinator, file(-6.97, 110.43, "penerangan-jalan"), ""); v.Suggested != "dishub" {
		t.Errorf("after deleting the rule: %q", v.Suggested)
	}
}

// TestJoined: a region takes reports only once someone holds its
// coordinator's role (pendopo.JoiningRole). Agency staff do not make it
// joined; a grant counts at once, and so does a revocation. A report to
// a region that has not joined is refused with a conflict naming the
// region and SP4N-LAPOR!, and nothing is filed.
func TestJoined(t *testing.T) {
	f := newReportFixture(t)
	joined := func(code string) bool {
		t.Helper()
		ok, err := f.Joined(ctx, code)
		if err != nil {
			t.Fatal(err)
		}
		return ok
	}
	if !joined("33.74") || joined("33.72") || joined("33") {
		t.Fatalf("joined: 33.74 %v, 33.72 %v, 33 %v", joined("33.74"), joined("33.72"), joined("33"))
	}
	if _, err := f.Joined(ctx, "99.99"); kind(err) != pendopo.KindNotFound {
		t.Errorf("an unknown region: %v", err)
	}
	officer := pendopo.Role{Kind: pendopo.RoleOfficer, Region: "33.72", Agency: "disdukcapil"}
	if _, err := f.AddUser(ctx, "Petugas Surakarta", "petugas@surakarta.test", "lumpia gang lombok", &officer); err != nil {
		t.Fatal(err)
	}
	if joined("33.72") {
		t.Error("an agency officer made a region joined")
	}
	in := streetLight(pendopo.PrivacyPublic, "warga@contoh.id")
	in.Location = pendopo.ReportLocation{Address: "Jl. Slamet Riyadi 1"}
	_, err := f.SubmitReport(ctx, f.budi, "33.72", in, "")
	if kind(err) != pendopo.KindConflict || !strings.Contains(err.Error(), "Kota Surakarta") || !strings.Contains(err.Error(), pendopo.LaporURL) {
		t.Fatalf("a report to a region that has not joined: %v", err)
	}
	if l, _, err := f.Store().Reports(ctx, pendopo.ReportFilter{Region: "33.72"}); err != nil || len(l) != 0 {
		t.Fatalf("refused, yet filed: %v %v", l, err)
	}
	u, err := f.AddUser(ctx, "Koordinator Surakarta", "koordinator@surakarta.test", "lumpia gang lombok", nil)
	if err != nil {
		t.Fatal(err)
	}
	coordinator := pendopo.Role{Kind: pendopo.JoiningRole, Region: "33.72"}
	if err := f.GrantRole(ctx, pendopo.System, u.ID, coordinator); err != nil {
		t.Fatal(err)
	}
	if !joined("33.72") {
		t.Fatal("a granted coordinator did not make the region joined at once")
	}
	if _, err := f.SubmitReport(ctx, f.budi, "33.72", in, ""); err != nil {
		t.Fatalf("a report to a region that joined: %v", err)
	}
	if err := f.RevokeRole(ctx, pendopo.System, u.ID, coordinator); err != nil {
		t.Fatal(err)
	}
	if joined("33.72") {
		t.Error("a revoked coordinator still makes the region joined")
	}
}
