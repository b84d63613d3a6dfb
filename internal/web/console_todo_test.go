package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/pendopo/pendopo"
	"github.com/pendopo/pendopo/internal/app"
	"github.com/pendopo/pendopo/internal/portaltest"
)

// todoSection is the "Perlu tindakan" section of a console page.
func todoSection(t *testing.T, body string) string {
	t.Helper()
	start := strings.Index(body, `<section aria-labelledby="h-todo"`)
	if start < 0 {
		t.Fatal("no Perlu tindakan section")
	}
	end := strings.Index(body[start:], "</section>")
	return body[start : start+end]
}

// TestConsoleTodo: a region's console opens on "Perlu tindakan": what is
// overdue, then due today, then new, each a link to the queue or page
// where it is done, for the person's own agency only; when nothing
// waits, it says so. The list of services follows it.
func TestConsoleTodo(t *testing.T) {
	ctx := context.Background()
	clock := portaltest.Now // Friday 27 November 2026, 17:00 WIB
	p := portaltest.NewPortal(t, func(c *app.Config) { c.Now = func() time.Time { return clock } })
	svc := p.OnlineService(t, "33.74", "penerbitan-ktp-el")
	five := svc.ServiceContent
	five.Standard.Duration = pendopo.Duration{WorkingDays: 5}
	svc, err := p.App.UpdateService(ctx, pendopo.System, svc.ID, app.ServiceWrite{Content: five, Publish: true, Note: "lima hari kerja"})
	if err != nil {
		t.Fatal(err)
	}
	officer := p.Officer(t, "Petugas", "petugas@todo.test", pendopo.Role{Kind: pendopo.RoleOfficer, Region: "33.74", Agency: "disdukcapil"})
	p.Officer(t, "Kepala", "kepala@todo.test", pendopo.Role{Kind: pendopo.RoleSupervisor, Region: "33.74", Agency: "disdukcapil"}) // signs in later
	dinkes := p.Officer(t, "Petugas Dinkes", "dinkes@todo.test", pendopo.Role{Kind: pendopo.RoleOfficer, Region: "33.74", Agency: "dinkes"})
	surakarta := p.Officer(t, "Petugas Surakarta", "solo@todo.test", pendopo.Role{Kind: pendopo.RoleOfficer, Region: "33.72", Agency: "disdukcapil"})
	citizen, err := p.App.AddUser(ctx, "Budi Santoso", "budi@todo.test", portaltest.Password, nil)
	if err != nil {
		t.Fatal(err)
	}
	// signIn signs in again when the clock has moved past a session's life.
	signIn := func(login string) string {
		t.Helper()
		secret, _, err := p.App.Login(ctx, login, portaltest.Password, "192.0.2.1", "todo")
		if err != nil {
			t.Fatal(err)
		}
		return secret
	}
	console := func(session string) (string, string) {
		t.Helper()
		res := p.GetAs(t, "/admin/daerah/33.74", session)
		if res.StatusCode != http.StatusOK {
			t.Fatalf("console: %d", res.StatusCode)
		}
		return res.Body, todoSection(t, res.Body)
	}
	const none = "Tidak ada yang perlu Anda tindak lanjuti saat ini"

	page, todo := console(officer)
	if !strings.Contains(todo, "<h2 id=\"h-todo\">Perlu tindakan</h2>") || !strings.Contains(todo, none) {
		t.Errorf("empty Perlu tindakan:\n%s", todo)
	}
	if strings.Index(page, `id="h-todo"`) > strings.Index(page, `id="h-services"`) {
		t.Error("the service list comes before Perlu tindakan")
	}

	// The first application is submitted now; the second on its deadline.
	first := p.Apply(t, citizen.ID, svc.ID, true)
	a, err := p.App.Store().ApplicationByNumber(ctx, first)
	if err != nil {
		t.Fatal(err)
	}
	queue := `href="/admin/daerah/33.74/permohonan?opd=disdukcapil"`
	_, todo = console(officer)
	if !strings.Contains(todo, "Baru") || !strings.Contains(todo, queue+">1 permohonan baru belum ditangani") ||
		!strings.Contains(todo, `href="/admin/permohonan/`+first+`"`) || strings.Contains(todo, none) {
		t.Errorf("a new application:\n%s", todo)
	}
	for name, session := range map[string]string{"another agency's officer": dinkes} {
		if _, todo := console(session); !strings.Contains(todo, none) || strings.Contains(todo, first) {
			t.Errorf("%s sees the application:\n%s", name, todo)
		}
	}
	// The queue the lines lead to opens on the officer's own agency.
	for session, agency := range map[string]string{officer: "disdukcapil", dinkes: "dinkes"} {
		res := p.GetAs(t, "/admin/daerah/33.74/permohonan", session)
		if !strings.Contains(res.Body, `<option value="`+agency+`" selected>`) || strings.Contains(res.Body, first) != (agency == "disdukcapil") {
			t.Errorf("the queue of %s's officer does not open on their agency", agency)
		}
	}
	// A citizen and another region's officer may not open the console.
	for name, session := range map[string]string{"citizen": p.Citizen(t, "Sari", "sari@todo.test"), "Surakarta's officer": surakarta} {
		if res := p.GetAs(t, "/admin/daerah/33.74", session); res.StatusCode != http.StatusForbidden || strings.Contains(res.Body, first) {
			t.Errorf("%s: %d", name, res.StatusCode)
		}
	}

	clock = a.Deadline.Time(time.UTC).Add(3 * time.Hour) // 10:00 WIB on the deadline
	second := p.Apply(t, citizen.ID, svc.ID, true)
	_, todo = console(officer)
	today, fresh := strings.Index(todo, "Jatuh tempo hari ini"), strings.Index(todo, "Baru")
	if today < 0 || fresh < today || !strings.Contains(todo, queue+">1 permohonan jatuh tempo hari ini") ||
		strings.Index(todo, first) > fresh || strings.Index(todo, second) < fresh {
		t.Errorf("due today before new:\n%s", todo)
	}

	clock = (a.Deadline + 1).Time(time.UTC).Add(3 * time.Hour)
	officer, head, coordinator := signIn("petugas@todo.test"), signIn("kepala@todo.test"), signIn("admin@semarangkota.test")
	_, todo = console(head)
	late, fresh := strings.Index(todo, "Terlambat"), strings.Index(todo, "Baru")
	if late < 0 || fresh < late || !strings.Contains(todo, `href="/admin/daerah/33.74/permohonan?opd=disdukcapil&amp;terlambat=1">1 permohonan melewati batas waktu`) ||
		!strings.Contains(todo, `class="todo-overdue"`) {
		t.Errorf("overdue first:\n%s", todo)
	}
	if res := p.GetAs(t, "/admin/daerah/33.74/permohonan?opd=disdukcapil&terlambat=1", head); !strings.Contains(res.Body, first) || strings.Contains(res.Body, second) {
		t.Error("the overdue link's queue does not list the overdue application alone")
	}

	// A change submitted for approval waits for the head, not its author.
	c := svc.ServiceContent
	c.Summary = "Ringkasan yang diperbarui untuk ditinjau."
	draft, err := p.App.UpdateService(ctx, pendopo.System, svc.ID, app.ServiceWrite{Content: c, Note: "ringkasan"})
	if err != nil {
		t.Fatal(err)
	}
	if err := p.App.SubmitService(ctx, pendopo.System, svc.ID, draft.LatestVersion, "mohon ditinjau"); err != nil {
		t.Fatal(err)
	}
	review := `href="/admin/layanan/` + strconv.FormatInt(svc.ID, 10) + `/beda?ke=` + strconv.Itoa(draft.LatestVersion) + `"`
	if _, todo := console(head); !strings.Contains(todo, review+">1 perubahan layanan menunggu persetujuan Anda") {
		t.Errorf("the head's review:\n%s", todo)
	}
	if _, todo := console(officer); strings.Contains(todo, "menunggu persetujuan Anda") {
		t.Errorf("the officer is asked to approve:\n%s", todo)
	}

	// The coordinator hears of a new report; the officer does not.
	lat, lng := -6.99, 110.42
	if _, err := p.App.SubmitReport(ctx, pendopo.Actor{Name: "Budi", UserID: citizen.ID}, "33.74", pendopo.ReportInput{Kind: pendopo.ReportComplaint,
		Title: "Lampu jalan mati di Jl. Pandanaran", Description: "Tiga lampu jalan di depan SD Pandanaran mati sejak seminggu.",
		Category: "penerangan-jalan", Location: pendopo.ReportLocation{Lat: &lat, Lng: &lng}, Privacy: pendopo.PrivacyPublic}, ""); err != nil {
		t.Fatal(err)
	}
	if _, todo := console(coordinator); !strings.Contains(todo, `href="/admin/daerah/33.74/laporan">1 laporan baru belum ditanggapi · verifikasi dan disposisi`) {
		t.Errorf("the coordinator's report:\n%s", todo)
	}
	if _, todo := console(officer); strings.Contains(todo, "laporan") {
		t.Errorf("the officer sees the coordinator's report:\n%s", todo)
	}

	// In English too.
	r, _ := http.NewRequest(http.MethodGet, "/admin/daerah/33.74?lang=en", nil)
	r.AddCookie(&http.Cookie{Name: portaltest.SessionCookie, Value: head})
	r.Header.Set("Accept-Language", "en")
	if res := p.Do(t, r); !strings.Contains(res.Body, "Needs action") || !strings.Contains(res.Body, "application past its deadline") {
		t.Errorf("English console:\n%s", excerpt(res.Body, "h-todo"))
	}
}

// TestConsoleHomeLeads: someone with a role in one region goes straight
// to its console; a national admin chooses a region.
func TestConsoleHomeLeads(t *testing.T) {
	p := portaltest.NewPortal(t)
	officer := p.Officer(t, "Petugas", "petugas@lead.test", pendopo.Role{Kind: pendopo.RoleOfficer, Region: "33.74", Agency: "disdukcapil"})
	if res := p.GetAs(t, "/admin", officer); res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/admin/daerah/33.74" {
		t.Errorf("one region: %d %s", res.StatusCode, res.Header.Get("Location"))
	}
	if res := p.GetAs(t, "/admin", p.Admin); res.StatusCode != http.StatusOK || !strings.Contains(res.Body, `action="/admin"`) {
		t.Errorf("national admin: %d", res.StatusCode)
	}
}

// TestConsoleApplicationWaiting: an officer who may not act on the
// current step is told who must ("Menunggu Kepala OPD") instead of
// finding no buttons.
func TestConsoleApplicationWaiting(t *testing.T) {
	ctx := context.Background()
	p := portaltest.NewPortal(t)
	svc := p.OnlineService(t, "33.74", "penerbitan-ktp-el")
	officer := p.Officer(t, "Petugas", "petugas@tunggu.test", pendopo.Role{Kind: pendopo.RoleOfficer, Region: "33.74", Agency: "disdukcapil"})
	head := p.Officer(t, "Kepala", "kepala@tunggu.test", pendopo.Role{Kind: pendopo.RoleSupervisor, Region: "33.74", Agency: "disdukcapil"})
	citizen, err := p.App.AddUser(ctx, "Budi Santoso", "budi@tunggu.test", portaltest.Password, nil)
	if err != nil {
		t.Fatal(err)
	}
	number := p.Apply(t, citizen.ID, svc.ID, true)
	page := "/admin/permohonan/" + number
	if res := p.GetAs(t, page, officer); strings.Contains(res.Body, "Menunggu") || !strings.Contains(res.Body, `name="action" value="approve"`) {
		t.Errorf("the officer's own step: %d", res.StatusCode)
	}
	// The officer checks and processes; the head approves.
	for range 2 {
		a, err := p.App.Store().ApplicationByNumber(ctx, number)
		if err != nil {
			t.Fatal(err)
		}
		if res := p.PostForm(t, page+"/tindak", url.Values{"action": {"approve"}, "rev": {strconv.Itoa(a.Rev)}}, officer); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("approve: %d", res.StatusCode)
		}
	}
	for name, session := range map[string]string{"officer": officer, "region admin": p.RegionAdmin} {
		res := p.GetAs(t, page, session)
		if !strings.Contains(res.Body, "<strong>Menunggu Kepala OPD</strong>") || strings.Contains(res.Body, `name="action" value="approve"`) {
			t.Errorf("%s on the head's step:\n%s", name, excerpt(res.Body, "alert-warn"))
		}
	}
	if res := p.GetAs(t, page, head); strings.Contains(res.Body, "Menunggu Kepala OPD") || !strings.Contains(res.Body, `name="action" value="approve"`) {
		t.Errorf("the head on their own step: %d", res.StatusCode)
	}
}
