package storetest

import (
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/pendopo/pendopo"
	"github.com/pendopo/pendopo/internal/pendopotest"
)

// testAuditSubject lists the entries others wrote about one person's
// records: their account, the applications they follow and the reports
// they filed, newest first, and nothing about anyone else's.
func testAuditSubject(t *testing.T, s pendopo.Store) {
	svc, budi, sari := applicationFixture(t, s)
	t1 := pendopotest.T0.Add(time.Hour)
	mine := must(s.CreateApplication(ctx, newApplication(svc, budi, "3374-2611-AAAAAA-1", "", t1)))(t)
	theirs := must(s.CreateApplication(ctx, newApplication(svc, sari, "3374-2611-BBBBBB-2", "", t1)))(t)
	// An application an officer (Budi, here) files at a counter for
	// someone else is that person's, not his.
	counter := newApplication(svc, budi, "3374-2611-CCCCCC-3", "", t1)
	counter.ApplicantName, counter.AssistedBy = "Warga Loket", budi.ID
	counter = must(s.CreateApplication(ctx, counter))(t)
	report := must(s.CreateReport(ctx, newReport("3374-2611-DDDDDD-4", "key-budi", pendopo.PrivacyAnonymous, -6.99, 110.42, t1)))(t)
	must(s.CreateReport(ctx, newReport("3374-2611-EEEEEE-5", "key-sari", pendopo.PrivacyPublic, -6.99, 110.42, t1)))(t)
	must(s.CreateReport(ctx, newReport("3374-2611-FFFFFF-6", "", pendopo.PrivacyPublic, -6.99, 110.42, t1)))(t)

	const officer = 99
	entries := []struct {
		actor          int64
		action, entity string
		id             string
		about          bool
	}{
		{officer, "user.read_personal", "user", strconv.FormatInt(budi.ID, 10), true},
		{officer, "user.read_personal", "user", strconv.FormatInt(sari.ID, 10), false},
		{officer, "application.read", "application", mine.Number, true},
		{officer, "upload.download", "application", mine.Number, true},
		{budi.ID, "upload.download", "application", mine.Number, false}, // his own download
		{officer, "application.read", "application", theirs.Number, false},
		{officer, "application.read", "application", counter.Number, false},
		{officer, "report.read_personal", "report", report.Number, true},
		{officer, "report.read_personal", "report", "3374-2611-EEEEEE-5", false},
		{officer, "report.read_personal", "report", "3374-2611-FFFFFF-6", false},
		{officer, "service.update", "service", mine.Number, false}, // another entity with the same id
		{0, "application.read", "application", mine.Number, true},  // the system
	}
	var want []int64
	for i, e := range entries {
		got := must(s.AppendAudit(ctx, pendopo.AuditEntry{At: t1.Add(time.Duration(i) * time.Minute), Actor: "x", ActorUser: e.actor,
			Action: e.action, Entity: e.entity, EntityID: e.id, Region: "33.74"}))(t)
		if e.about {
			want = append([]int64{got.Seq}, want...)
		}
	}
	subject := &pendopo.AuditSubject{UserID: budi.ID, ReporterKey: "key-budi"}
	log, total := must2a(t)(s.AuditLog(ctx, pendopo.AuditFilter{Subject: subject}))
	var got []int64
	for _, e := range log {
		got = append(got, e.Seq)
	}
	if total != len(want) || !slices.Equal(got, want) {
		t.Errorf("about Budi: %v (total %d), want %v", got, total, want)
	}
	// With actions, and page by page.
	reads := []string{"application.read", "user.read_personal"}
	if log, total := must2a(t)(s.AuditLog(ctx, pendopo.AuditFilter{Subject: subject, Actions: reads, Page: pendopo.Page{Page: 2, PerPage: 2}})); total != 3 || len(log) != 1 || log[0].Action != "user.read_personal" {
		t.Errorf("reads, page 2: %d %+v", total, log)
	}
	if _, total := must2a(t)(s.AuditLog(ctx, pendopo.AuditFilter{Actions: []string{"report.read_personal"}})); total != 3 {
		t.Errorf("actions alone: %d", total)
	}
	// Someone without records sees nothing, even with an empty reporter key.
	if _, total := must2a(t)(s.AuditLog(ctx, pendopo.AuditFilter{Subject: &pendopo.AuditSubject{UserID: 12345}})); total != 0 {
		t.Errorf("nobody's records: %d", total)
	}
}

// testErasure removes a draft whole, clears another application's
// personal data down to its bare record, unlinks a report from its
// reporter, tells which files are still used, and erases an account's
// traces that are keyed by its contact.
func testErasure(t *testing.T, s pendopo.Store) {
	svc, budi, sari := applicationFixture(t, s)
	t1 := pendopotest.T0.Add(time.Hour)
	upload := func(a pendopo.Application, addr string) {
		t.Helper()
		must(s.SaveUpload(ctx, pendopo.Upload{ApplicationID: a.ID, Field: "ktp", Addr: addr, Media: pendopo.MediaPDF, Size: 10,
			Name: "ktp budi.pdf", UploadedBy: budi.ID, CreatedAt: t1}))(t)
		if err := s.AddApplicationEvent(ctx, pendopo.ApplicationEvent{ApplicationID: a.ID, At: t1, ActorID: budi.ID, Action: pendopo.ActSubmit,
			Status: pendopo.StatusInProgress, Note: "Catatan Budi"}); err != nil {
			t.Fatal(err)
		}
	}
	draft := must(s.CreateApplication(ctx, newApplication(svc, budi, "3374-2611-AAAAAA-1", "k1", t1)))(t)
	upload(draft, "draft-file")
	open := must(s.CreateApplication(ctx, newApplication(svc, budi, "3374-2611-BBBBBB-2", "k2", t1)))(t)
	upload(open, "open-file")
	upload(open, "shared-file")
	kept := must(s.CreateApplication(ctx, newApplication(svc, sari, "3374-2611-CCCCCC-3", "k3", t1)))(t)
	upload(kept, "shared-file")

	addrs := must(s.DeleteApplication(ctx, draft.ID))(t)
	if !slices.Equal(addrs, []string{"draft-file"}) {
		t.Errorf("draft's files: %v", addrs)
	}
	_, err := s.ApplicationByNumber(ctx, draft.Number)
	wantKind(t, err, pendopo.KindNotFound)
	if evs := must(s.ApplicationEvents(ctx, draft.ID))(t); len(evs) != 0 {
		t.Errorf("draft's timeline left: %+v", evs)
	}
	_, err = s.DeleteApplication(ctx, draft.ID)
	wantKind(t, err, pendopo.KindNotFound)

	addrs = must(s.ClearApplication(ctx, open.ID, t1.Add(time.Hour)))(t)
	slices.Sort(addrs)
	if !slices.Equal(addrs, []string{"open-file", "shared-file"}) {
		t.Errorf("cleared application's files: %v", addrs)
	}
	got := must(s.Application(ctx, open.ID))(t)
	if got.ApplicantName != "" || len(got.Sealed) != 0 || got.Key != "" || got.Number != open.Number || got.ServiceID != svc.ID ||
		got.Rev != open.Rev+1 || !got.UpdatedAt.Equal(t1.Add(time.Hour)) {
		t.Errorf("cleared: %+v", got)
	}
	if ups := must(s.Uploads(ctx, open.ID))(t); len(ups) != 0 {
		t.Errorf("cleared application keeps uploads: %+v", ups)
	}
	if evs := must(s.ApplicationEvents(ctx, open.ID))(t); len(evs) != 2 || evs[0].Note != "" || evs[0].Action != pendopo.ActSubmit {
		t.Errorf("cleared timeline: %+v", evs)
	}
	if ups := must(s.Uploads(ctx, kept.ID))(t); len(ups) != 1 {
		t.Errorf("another application lost its uploads: %+v", ups)
	}
	_, err = s.ClearApplication(ctx, 99999, t1)
	wantKind(t, err, pendopo.KindNotFound)

	// A decided application is kept with initials and neutral file names.
	if err := s.ArchiveApplication(ctx, kept.ID, "S*** W***", t1.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	if got := must(s.Application(ctx, kept.ID))(t); got.ApplicantName != "S*** W***" || string(got.Sealed) != "sealed" || got.Rev != kept.Rev+1 {
		t.Errorf("archived: %+v", got)
	}
	if ups := must(s.Uploads(ctx, kept.ID))(t); len(ups) != 1 || ups[0].Name != "ktp.pdf" || ups[0].Addr != "shared-file" {
		t.Errorf("archived uploads: %+v", ups)
	}
	if evs := must(s.ApplicationEvents(ctx, kept.ID))(t); len(evs) != 1 || evs[0].Note != "Catatan Budi" {
		t.Errorf("archived timeline: %+v", evs)
	}
	wantKind(t, s.ArchiveApplication(ctx, 99999, "", t1), pendopo.KindNotFound)

	for addr, want := range map[string]bool{"draft-file": false, "open-file": false, "shared-file": true, "nothing": false} {
		if got := must(s.FileInUse(ctx, addr))(t); got != want {
			t.Errorf("file %s in use: %v", addr, got)
		}
	}
	rep := newReport("3374-2611-DDDDDD-4", "key-budi", pendopo.PrivacyPublic, -6.99, 110.42, t1)
	rep.ReporterID, rep.Key = budi.ID, "klik"
	r := must(s.CreateReport(ctx, rep))(t)
	if err := s.AddReportPhoto(ctx, pendopo.ReportPhoto{ReportID: r.ID, Addr: "photo-file", Media: pendopo.MediaJPEG, Size: 3, CreatedAt: t1}); err != nil {
		t.Fatal(err)
	}
	if !must(s.FileInUse(ctx, "photo-file"))(t) {
		t.Error("a report's photo is not in use")
	}
	if err := s.AnonymizeReport(ctx, r.ID, []byte("nobody"), pendopo.PrivacyAnonymous, t1); err != nil {
		t.Fatal(err)
	}
	gotR := must(s.Report(ctx, r.ID))(t)
	if gotR.ReporterID != 0 || gotR.ReporterKey != "" || gotR.Key != "" || string(gotR.Sealed) != "nobody" || gotR.Privacy != pendopo.PrivacyAnonymous ||
		gotR.Title != rep.Title || gotR.Rev != r.Rev+1 {
		t.Errorf("anonymized: %+v", gotR)
	}
	if l, _, err := s.Reports(ctx, pendopo.ReportFilter{ReporterKey: "key-budi"}); err != nil || len(l) != 0 {
		t.Errorf("still found by the reporter's key: %+v", l)
	}
	wantKind(t, s.AnonymizeReport(ctx, 99999, nil, pendopo.PrivacyAnonymous, t1), pendopo.KindNotFound)

	// Erasing the account forgets what is keyed by its contact.
	always := func([]int) bool { return true }
	for _, key := range []string{"acct:budi@contoh.id", "acct:budi@contoh.id|ip:192.0.2.7", "acct:sari@contoh.id", "acct:sari@contoh.id|ip:192.0.2.7", "acct:budi_contoh.id|ip:192.0.2.7"} {
		mustPair(s.CountAttempt(ctx, []string{key}, t1.Add(-time.Hour), t1, always))(t)
	}
	inv := must(s.CreateInvitation(ctx, pendopo.Invitation{Hash: "h1", Email: "budi@contoh.id", Name: "Budi", Role: pendopo.Role{Kind: pendopo.RoleOfficer, Region: "33.74", Agency: "dukcapil"},
		CreatedBy: "admin", CreatedAt: t1, ExpiresAt: t1.Add(time.Hour)}))(t)
	if err := s.EraseUser(ctx, budi.ID, t1); err != nil {
		t.Fatal(err)
	}
	for key, want := range map[string]int{
		"acct:budi@contoh.id": 0, "acct:budi@contoh.id|ip:192.0.2.7": 0, // the erased contact, alone and per address
		"acct:sari@contoh.id": 1, "acct:sari@contoh.id|ip:192.0.2.7": 1, // someone else's
		"acct:budi_contoh.id|ip:192.0.2.7": 1, // a look-alike contact
	} {
		if n := must(s.LoginFailures(ctx, key, t1.Add(-time.Hour)))(t); n != want {
			t.Errorf("sign-in attempts under %s after erasing Budi: %d, want %d", key, n, want)
		}
	}
	if got := must(s.InvitationByHash(ctx, inv.Hash))(t); got.Email != "" || got.Name != "" {
		t.Errorf("invitation keeps %q %q", got.Email, got.Name)
	}
	wantKind(t, s.EraseUser(ctx, budi.ID, t1), pendopo.KindNotFound)
}
