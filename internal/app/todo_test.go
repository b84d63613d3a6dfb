package app_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/pendopo/pendopo"
	"github.com/pendopo/pendopo/internal/app"
)

// todo returns who's Todo of Kota Semarang, failing the test on an error.
func todo(t *testing.T, a *app.App, who pendopo.Actor) pendopo.Todo {
	t.Helper()
	td, err := a.Todo(ctx, who, "33.74")
	if err != nil {
		t.Fatalf("todo of %s: %v", who.Name, err)
	}
	return td
}

// TestTodoApplications: the console's start counts applications by their
// working-day deadline on the region's calendar and the app's clock, each
// once (overdue, due today, new), for the staff of their own agency and
// the region admin only; drafts submitted for approval wait for who may
// publish them.
func TestTodoApplications(t *testing.T) {
	f := newAppFixture(t)
	admin := staff(t, f.accounts, "Admin Kota", pendopo.RoleRegionAdmin, "")
	// A regional holiday on Wednesday 2 December pushes the deadline of an
	// application submitted on Friday 27 November from Friday 4 to Monday 7.
	if err := f.AddRegionHoliday(ctx, admin, pendopo.Holiday{Region: "33.74", Date: pendopo.DateDay(2026, 12, 2), Name: "Libur daerah"}); err != nil {
		t.Fatal(err)
	}
	submit := func(key string) pendopo.Application {
		t.Helper()
		a, err := f.Act(ctx, f.budi, f.filled(t, key).Number, app.ApplicationAct{Action: pendopo.ActSubmit})
		if err != nil || a.Deadline != pendopo.DateDay(2026, 12, 7) {
			t.Fatalf("submit: %s %v", a.Deadline, err)
		}
		return a
	}
	fresh, worked := submit("a"), submit("b")
	if _, err := f.Act(ctx, f.petugas, worked.Number, app.ApplicationAct{Action: pendopo.ActApprove, Rev: worked.Rev}); err != nil {
		t.Fatal(err)
	}
	want := func(who pendopo.Actor, counts string, urgent, news int) {
		t.Helper()
		td := todo(t, f.App, who)
		if got := fmt.Sprint(td.Applications); got != counts || len(td.Urgent) != urgent || len(td.Fresh) != news {
			t.Errorf("%s on %s: %s, %d urgent, %d new; want %s, %d, %d", who.Name, td.Today, got, len(td.Urgent), len(td.Fresh), counts, urgent, news)
		}
	}
	// Friday 27 November: the untouched one is new, the other waits.
	want(f.petugas, "[{disdukcapil 0 0 1}]", 0, 1)
	want(admin, "[{disdukcapil 0 0 1}]", 0, 1)
	if td := todo(t, f.App, f.petugas); td.Fresh[0].Number != fresh.Number || td.Fresh[0].Sealed != nil {
		t.Errorf("new: %+v", td.Fresh[0])
	}
	// Another agency's officer and an overseer see none of it.
	want(f.other, "[]", 0, 0)
	overseer := pendopo.Actor{Name: "Pengawas", UserID: 999, Roles: []pendopo.Role{{Kind: pendopo.RoleOverseer, Region: "33"}}}
	if td := todo(t, f.App, overseer); !td.Empty() {
		t.Errorf("an overseer has something to do: %+v", td)
	}
	// Another region's officer and a citizen are refused.
	elsewhere := pendopo.Actor{Name: "Petugas Kendal", UserID: 998, Roles: []pendopo.Role{{Kind: pendopo.RoleOfficer, Region: "33.24", Agency: "disdukcapil"}}}
	for _, who := range []pendopo.Actor{elsewhere, f.budi, {}} {
		if _, err := f.Todo(ctx, who, "33.74"); kind(err) != pendopo.KindForbidden {
			t.Errorf("%q: %v", who.Name, err)
		}
	}
	if _, err := f.Todo(ctx, admin, "99.99"); kind(err) != pendopo.KindNotFound {
		t.Errorf("an unknown region: %v", err)
	}

	// Friday 4 December, 10:00 WIB: without the holiday both would be due.
	*f.clock = time.Date(2026, 12, 4, 3, 0, 0, 0, time.UTC)
	want(f.petugas, "[{disdukcapil 0 0 1}]", 0, 1)
	// Monday 7 December: both are due today, the new one counted once.
	*f.clock = time.Date(2026, 12, 7, 3, 0, 0, 0, time.UTC)
	want(f.petugas, "[{disdukcapil 0 2 0}]", 2, 0)
	// Monday 23:30 WIB is still Monday in Semarang.
	*f.clock = time.Date(2026, 12, 7, 16, 30, 0, 0, time.UTC)
	want(f.kepala, "[{disdukcapil 0 2 0}]", 2, 0)
	// Tuesday: both are late.
	*f.clock = time.Date(2026, 12, 8, 3, 0, 0, 0, time.UTC)
	want(f.petugas, "[{disdukcapil 2 0 0}]", 2, 0)
	want(admin, "[{disdukcapil 2 0 0}]", 2, 0)
	want(f.other, "[]", 0, 0)
	if td := todo(t, f.App, f.petugas); td.Overdue() != 2 || td.DueToday() != 0 || td.Empty() {
		t.Errorf("totals: %d overdue, %d due today", td.Overdue(), td.DueToday())
	}

	// A draft submitted for approval waits for the agency's head and the
	// region admin, not for its author nor another agency.
	draft := f.svc.ServiceContent
	draft.Summary = "Ringkasan baru untuk ditinjau."
	svc, err := f.UpdateService(ctx, f.petugas, f.svc.ID, app.ServiceWrite{Content: draft, Note: "ringkasan"})
	if err != nil {
		t.Fatal(err)
	}
	if err := f.SubmitService(ctx, f.petugas, svc.ID, svc.LatestVersion, "mohon ditinjau"); err != nil {
		t.Fatal(err)
	}
	headOfHealth := staff(t, f.accounts, "Kepala Dinkes", pendopo.RoleSupervisor, "dinkes")
	for who, n := range map[*pendopo.Actor]int{&f.kepala: 1, &admin: 1, &f.petugas: 0, &headOfHealth: 0} {
		if d := todo(t, f.App, *who).Drafts; len(d) != n || n == 1 && d[0].ServiceID != svc.ID {
			t.Errorf("%s: drafts %+v, want %d", who.Name, d, n)
		}
	}
}

// TestTodoReportsAndSurveys: the coordinator is told of reports to verify
// and of held walk-in surveys; once disposed, a report is the agency's
// to answer, and no other agency's.
func TestTodoReportsAndSurveys(t *testing.T) {
	f := newReportFixture(t)
	// One address answering four times: the fourth is held.
	for i := range pendopo.WalkInsPerAddressDay + 1 {
		f.walkIn(t, "mpp", 4, fmt.Sprint("hp-", i), "192.0.2.50")
	}
	r, err := f.SubmitReport(ctx, f.budi, "33.74", streetLight(pendopo.PrivacyPublic, ""), "")
	if err != nil {
		t.Fatal(err)
	}
	td := todo(t, f.App, f.coordinator)
	if fmt.Sprint(td.Reports) != "[{ 0 0 1}]" || len(td.Surveys) != 1 || td.Surveys[0].Tally.Respondents != 1 || td.Flagged != 0 {
		t.Errorf("coordinator: reports %v, surveys %+v, flagged %d", td.Reports, td.Surveys, td.Flagged)
	}
	if td := todo(t, f.App, f.dishub); len(td.Reports) != 0 || len(td.Surveys) != 0 {
		t.Errorf("Dishub before disposition: %+v", td)
	}
	v, err := f.ReportFor(ctx, f.coordinator, r.Number, "")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.ActOnReport(ctx, f.coordinator, r.Number, app.ReportAct{Action: pendopo.ActReportDispose, Rev: v.Rev}); err != nil {
		t.Fatal(err)
	}
	if td := todo(t, f.App, f.dishub); fmt.Sprint(td.Reports) != "[{dishub 0 0 1}]" {
		t.Errorf("Dishub after disposition: %v", td.Reports)
	}
	if td := todo(t, f.App, f.coordinator); len(td.Reports) != 0 {
		t.Errorf("the coordinator still counts a disposed report: %v", td.Reports)
	}
	// Its first follow-up is due Friday 4 December; on Monday it is late.
	*f.clock = time.Date(2026, 12, 4, 3, 0, 0, 0, time.UTC)
	if td := todo(t, f.App, f.head); fmt.Sprint(td.Reports) != "[{dishub 0 1 0}]" || len(td.UrgentReports) != 1 {
		t.Errorf("head of Dishub on the deadline: %v", td.Reports)
	}
	*f.clock = time.Date(2026, 12, 7, 3, 0, 0, 0, time.UTC)
	td = todo(t, f.App, f.dishub)
	if fmt.Sprint(td.Reports) != "[{dishub 1 0 0}]" || len(td.UrgentReports) != 1 || td.UrgentReports[0].Number != r.Number {
		t.Fatalf("Dishub late: %v %+v", td.Reports, td.UrgentReports)
	}
	if u := td.UrgentReports[0]; u.Sealed != nil || u.ReporterKey != "" || u.ReporterID != 0 {
		t.Errorf("the list carries the reporter: %+v", u)
	}
	if td := todo(t, f.App, f.dinkes); !td.Empty() {
		t.Errorf("Dinkes has something to do: %+v", td)
	}
}
