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
