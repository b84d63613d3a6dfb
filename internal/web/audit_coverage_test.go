package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/pendopo/pendopo"
	"github.com/pendopo/pendopo/internal/app"
	"github.com/pendopo/pendopo/internal/portaltest"
	"github.com/pendopo/pendopo/internal/web"
)

// auditFixture is the portal and what the probes of
// TestEveryWriteIsAudited act on. Each probe makes what it destroys.
type auditFixture struct {
	p               *portaltest.Portal
	svc             pendopo.Service // online, in Kota Semarang's civil registry
	edited          int64           // another of its services, for the editor's probes
	officer, head   string          // sessions of its officer and supervisor
	n               int             // for unique names
	sector, program int64
	citizenID       int64
	citizen         string // a citizen's session
	citizenLogin    string
	completedApp    string // the citizen's completed application
	answeredReport  string // the citizen's answered report
}

func (f *auditFixture) next() int { f.n++; return f.n }

// newCitizen adds a confirmed citizen and returns their id, login and session.
func (f *auditFixture) newCitizen(t *testing.T) (int64, string, string) {
	t.Helper()
	login := fmt.Sprintf("warga%d@jejak.test", f.next())
	u, err := f.p.App.AddUser(context.Background(), "Warga Jejak", login, portaltest.Password, nil)
	if err != nil {
		t.Fatal(err)
	}
	secret, _, err := f.p.App.Login(context.Background(), login, portaltest.Password, "192.0.2.3", "jejak")
	if err != nil {
		t.Fatal(err)
	}
	return u.ID, login, secret
}

// report files a public report by the fixture's citizen and returns it.
func (f *auditFixture) report(t *testing.T) pendopo.Report {
	t.Helper()
	lat, lng := -7.0, 110.4
	r, err := f.p.App.SubmitReport(context.Background(), pendopo.Actor{Name: "Warga Jejak", UserID: f.citizenID}, "33.74", pendopo.ReportInput{
		Kind: pendopo.ReportComplaint, Title: "Antrean KTP-el panjang", Description: "Antrean di loket KTP-el lebih dari tiga jam.",
		Category: "kependudukan", Privacy: pendopo.PrivacyPublic, Location: pendopo.ReportLocation{Lat: &lat, Lng: &lng}}, "")
	if err != nil {
		t.Fatal(err)
	}
	return r.Report
}

// walkIn answers the walk-in survey of a service point with today's
// presence code.
func (f *auditFixture) walkIn(t *testing.T, point string) portaltest.Response {
	t.Helper()
	code, err := f.p.App.SurveyCode(context.Background(), pendopo.System, "33.74", point)
	if err != nil {
		t.Fatal(err)
	}
	form := allAnswers("4")
	form.Set("unit", point)
	form.Set("kode", code.Code)
	return f.p.PostForm(t, "/daerah/33.74/survei", form, "")
}

func (f *auditFixture) rev(t *testing.T, number string) string {
	t.Helper()
	v, err := f.p.App.Application(context.Background(), pendopo.System, number)
	if err != nil {
		t.Fatal(err)
	}
	return strconv.Itoa(v.Rev)
}

// auditProbe is how TestEveryWriteIsAudited exercises one route: a
// request that must succeed and the audit action it must leave.
type auditProbe struct {
	action string
	do     func(t *testing.T, f *auditFixture) portaltest.Response
}

func post(path string, form url.Values, session func(f *auditFixture) string) func(*testing.T, *auditFixture) portaltest.Response {
	return func(t *testing.T, f *auditFixture) portaltest.Response {
		return f.p.PostForm(t, path, form, session(f))
	}
}

func asRegionAdmin(f *auditFixture) string { return f.p.RegionAdmin }
func asAdmin(f *auditFixture) string       { return f.p.Admin }
func asCitizen(f *auditFixture) string     { return f.citizen }

// readOnlyRoutes are the POST routes that change nothing that is kept,
// with the reason; every other state-changing route needs an auditProbe.
var readOnlyRoutes = map[string]string{
	"POST /verifikasi":  "checks an uploaded PDF against the issued documents; stores nothing",
	"POST /laporan/cek": "opens one's own report with its key; only a sealed cookie is set, nothing is stored",
}

// auditProbes has an entry for every POST route of the pages. A route
// without one fails TestEveryWriteIsAudited, so that nobody adds a write
// that leaves no trace.
var auditProbes = map[string]auditProbe{
	"POST /masuk": {"user.login", post("/masuk", url.Values{"login": {"admin@semarangkota.test"}, "password": {portaltest.Password}}, func(*auditFixture) string { return "" })},
	"POST /keluar": {"user.logout", func(t *testing.T, f *auditFixture) portaltest.Response {
		_, _, s := f.newCitizen(t)
		return f.p.PostForm(t, "/keluar", nil, s)
	}},
	"POST /daftar": {"user.register", func(t *testing.T, f *auditFixture) portaltest.Response {
		return f.p.PostForm(t, "/daftar", url.Values{"name": {"Sari Wulandari"}, "login": {fmt.Sprintf("sari%d@jejak.test", f.next())},
			"password": {"nasi goreng kambing"}, "setuju": {"1"}}, "")
	}},
	"POST /konfirmasi": {"user.confirm", func(t *testing.T, f *auditFixture) portaltest.Response {
		login := fmt.Sprintf("konfirmasi%d@jejak.test", f.next())
		if _, err := f.p.App.Register(context.Background(), app.Registration{Name: "Sari", Login: login, Password: "nasi goreng kambing"}, "192.0.2.4"); err != nil {
			t.Fatal(err)
		}
		return f.p.PostForm(t, "/konfirmasi", url.Values{"login": {login}, "code": {mailedCode(t, f.p, login)}}, "")
	}},
	"POST /konfirmasi/kirim-ulang": {"user.code", func(t *testing.T, f *auditFixture) portaltest.Response {
		login := fmt.Sprintf("ulang%d@jejak.test", f.next())
		if _, err := f.p.App.Register(context.Background(), app.Registration{Name: "Sari", Login: login, Password: "nasi goreng kambing"}, "192.0.2.5"); err != nil {
			t.Fatal(err)
		}
		return f.p.PostForm(t, "/konfirmasi/kirim-ulang", url.Values{"login": {login}}, "")
	}},
	"POST /lupa-sandi": {"user.code", func(t *testing.T, f *auditFixture) portaltest.Response {
		return f.p.PostForm(t, "/lupa-sandi", url.Values{"login": {f.citizenLogin}}, "")
	}},
	"POST /atur-ulang-sandi": {"user.reset_password", func(t *testing.T, f *auditFixture) portaltest.Response {
		_, login, _ := f.newCitizen(t)
		if err := f.p.App.RequestPasswordReset(context.Background(), login, "192.0.2.6"); err != nil {
			t.Fatal(err)
		}
		return f.p.PostForm(t, "/atur-ulang-sandi", url.Values{"login": {login}, "code": {mailedCode(t, f.p, login)}, "password": {"soto bangkong pagi"}}, "")
	}},
	"POST /undangan/{secret}": {"invitation.accept", func(t *testing.T, f *auditFixture) portaltest.Response {
		_, link, err := f.p.App.Invite(context.Background(), pendopo.System, fmt.Sprintf("undangan%d@jejak.test", f.next()), "Budi",
			pendopo.Role{Kind: pendopo.RoleOfficer, Region: "33.74", Agency: "disdukcapil"})
		if err != nil {
			t.Fatal(err)
		}
		_, secret, _ := strings.Cut(link, "/undangan/")
		return f.p.PostForm(t, "/undangan/"+secret, url.Values{"name": {"Budi Santoso"}, "password": {"gedung lawang sewu"}}, "")
	}},
	"POST /survei/permohonan/{number}": {"survey.submit", func(t *testing.T, f *auditFixture) portaltest.Response {
		return f.p.PostForm(t, "/survei/permohonan/"+f.completedApp, allAnswers("4"), f.citizen)
	}},
	"POST /survei/laporan/{number}": {"survey.submit", func(t *testing.T, f *auditFixture) portaltest.Response {
		return f.p.PostForm(t, "/survei/laporan/"+f.answeredReport, allAnswers("3"), f.citizen)
	}},
	"POST /daerah/{code}/survei": {"survey.submit", func(t *testing.T, f *auditFixture) portaltest.Response {
		return f.walkIn(t, "kantor-disdukcapil")
	}},
	"POST /admin/daerah/{code}/survei/tertahan": {"survey.accept", func(t *testing.T, f *auditFixture) portaltest.Response {
		// One address answers more often than a day allows: the rest is held.
		for range pendopo.WalkInsPerAddressDay + 1 {
			f.walkIn(t, "kantor-disdukcapil")
		}
		points, _ := f.p.App.ServicePoints(context.Background(), "33.74")
		var id int64
		for _, pt := range points {
			if pt.Slug == "kantor-disdukcapil" {
				id = pt.ID
			}
		}
		return f.p.PostForm(t, "/admin/daerah/33.74/survei/tertahan", url.Values{"point": {strconv.FormatInt(id, 10)}, "day": {"2026-11-27"}, "action": {"terima"}}, f.p.RegionAdmin)
	}},
	"POST /laporan/kunci": {"report.key", func(t *testing.T, f *auditFixture) portaltest.Response {
		lat, lng := -7.0, 110.4
		r, err := f.p.App.SubmitReport(context.Background(), pendopo.Actor{IP: "192.0.2.8"}, "33.74", pendopo.ReportInput{
			Kind: pendopo.ReportComplaint, Title: "Lampu jalan mati", Description: "Tiga lampu jalan mati sejak seminggu.", Category: "penerangan-jalan",
			Privacy: pendopo.PrivacyPublic, Contact: "pelapor@jejak.test", Location: pendopo.ReportLocation{Lat: &lat, Lng: &lng}}, "")
		if err != nil {
			t.Fatal(err)
		}
		return f.p.PostForm(t, "/laporan/kunci", url.Values{"number": {r.Number}, "contact": {"pelapor@jejak.test"}}, "")
	}},
	"POST /daerah/{code}/lapor": {"report.submit", func(t *testing.T, f *auditFixture) portaltest.Response {
		return f.p.PostMultipart(t, "/daerah/33.74/lapor", url.Values{"kind": {"pengaduan"}, "category": {"penerangan-jalan"}, "title": {"Lampu jalan mati"},
			"description": {"Tiga lampu jalan di depan SD Pandanaran mati sejak seminggu."}, "lat": {"-6.99"}, "lng": {"110.42"},
			"privacy": {"anonim"}, "contact": {"sari@contoh.id"}}, nil, "")
	}},
	"POST /laporan/{number}": {"report.reply", func(t *testing.T, f *auditFixture) portaltest.Response {
		r := f.report(t)
		return f.p.PostForm(t, "/laporan/"+r.Number, url.Values{"action": {"reply"}, "note": {"Antrean masih panjang hari ini."}}, f.citizen)
	}},
	"POST /layanan/{id}/ajukan": {"application.create", func(t *testing.T, f *auditFixture) portaltest.Response {
		return f.p.PostForm(t, fmt.Sprintf("/layanan/%d/ajukan", f.svc.ID), url.Values{"key": {fmt.Sprint("k", f.next())}}, f.citizen)
	}},
	"POST /permohonan/{number}/isi": {"application.upload", func(t *testing.T, f *auditFixture) portaltest.Response {
		number := f.p.Apply(t, f.citizenID, f.svc.ID, false)
		return f.p.PostMultipart(t, "/permohonan/"+number+"/isi", url.Values{"nama": {"Budi Santoso Wibowo"}, "setuju": {"1"}},
			map[string][2]string{"lampiran": {"ktp.pdf", portaltest.MinimalPDF + "\n%baru\n"}}, f.citizen)
	}},
	"POST /permohonan/{number}/kirim": {"application.submit", func(t *testing.T, f *auditFixture) portaltest.Response {
		return f.p.PostForm(t, "/permohonan/"+f.p.Apply(t, f.citizenID, f.svc.ID, false)+"/kirim", nil, f.citizen)
	}},
	"POST /permohonan/{number}/kirim-ulang": {"application.resubmit", func(t *testing.T, f *auditFixture) portaltest.Response {
		number := f.p.Apply(t, f.citizenID, f.svc.ID, true)
		if _, err := f.p.App.Act(context.Background(), pendopo.System, number, app.ApplicationAct{Action: pendopo.ActReturn, Note: "Lampiran kurang jelas."}); err != nil {
			t.Fatal(err)
		}
		return f.p.PostForm(t, "/permohonan/"+number+"/kirim-ulang", nil, f.citizen)
	}},
	"POST /permohonan/{number}/batal": {"application.withdraw", func(t *testing.T, f *auditFixture) portaltest.Response {
		return f.p.PostForm(t, "/permohonan/"+f.p.Apply(t, f.citizenID, f.svc.ID, false)+"/batal", nil, f.citizen)
	}},
	"POST /akun/nama":      {"user.update", post("/akun/nama", url.Values{"name": {"Warga Jejak Baru"}}, asCitizen)},
	"POST /akun/nik":       {"user.set_nik", post("/akun/nik", url.Values{"nik": {"3374015708900003"}}, asCitizen)},
	"POST /akun/nik/hapus": {"user.remove_nik", post("/akun/nik/hapus", nil, asCitizen)},
	"POST /akun/sandi": {"user.change_password", func(t *testing.T, f *auditFixture) portaltest.Response {
		_, _, s := f.newCitizen(t)
		return f.p.PostForm(t, "/akun/sandi", url.Values{"current": {portaltest.Password}, "password": {"pecel lele malam hari"}}, s)
	}},
	"POST /akun/keluar-semua":         {"user.logout_all", post("/akun/keluar-semua", nil, asCitizen)},
	"POST /akun/pemberitahuan/dibaca": {"notification.mark_read", post("/akun/pemberitahuan/dibaca", url.Values{"seen": {"2026-11-27T10:00:00Z"}}, asCitizen)},
	"POST /akun/hapus": {"user.erase", func(t *testing.T, f *auditFixture) portaltest.Response {
		_, _, s := f.newCitizen(t)
		return f.p.PostForm(t, "/akun/hapus", url.Values{"password": {portaltest.Password}}, s)
	}},

	"POST /admin/daerah/{code}/profil": {"region.update", post("/admin/daerah/33.74/profil",
		url.Values{"name": {"Kota Semarang"}, "color": {"#1e3a8a"}, "tagline": {"Kota Lumpia"}}, asRegionAdmin)},
	"POST /admin/daerah/{code}/layanan/baru": {"service.create_publish", func(t *testing.T, f *auditFixture) portaltest.Response {
		form := serviceForm()
		form.Set("slug", fmt.Sprint("layanan-jejak-", f.next()))
		return f.p.PostForm(t, "/admin/daerah/33.74/layanan/baru", form, f.p.RegionAdmin)
	}},
	"POST /admin/layanan/{id}": {"service.draft", func(t *testing.T, f *auditFixture) portaltest.Response {
		form := serviceForm()
		form.Set("slug", "penerbitan-kk-baru")
		form.Set("aksi", "draf")
		return f.p.PostForm(t, fmt.Sprintf("/admin/layanan/%d", f.edited), form, f.p.RegionAdmin)
	}},
	"POST /admin/layanan/{id}/terbitkan": {"service.publish", func(t *testing.T, f *auditFixture) portaltest.Response {
		return f.p.PostForm(t, fmt.Sprintf("/admin/layanan/%d/terbitkan", f.edited), url.Values{"version": {"1"}}, f.p.RegionAdmin)
	}},
	"POST /admin/layanan/{id}/tinjau": {"service.review", func(t *testing.T, f *auditFixture) portaltest.Response {
		return f.p.PostForm(t, fmt.Sprintf("/admin/layanan/%d/tinjau", f.edited), nil, f.p.RegionAdmin)
	}},
	"POST /admin/layanan/{id}/online": {"service.draft", func(t *testing.T, f *auditFixture) portaltest.Response {
		return f.p.PostForm(t, fmt.Sprintf("/admin/layanan/%d/online", f.edited), onlineEditorForm("draf"), f.officer)
	}},
	"POST /admin/layanan/{id}/ajukan": {"service.submit", func(t *testing.T, f *auditFixture) portaltest.Response {
		s, err := f.p.App.ServiceForEdit(context.Background(), pendopo.System, f.edited)
		if err != nil {
			t.Fatal(err)
		}
		return f.p.PostForm(t, fmt.Sprintf("/admin/layanan/%d/ajukan", f.edited), url.Values{"version": {strconv.Itoa(s.LatestVersion)}, "note": {"Perwal 12/2026"}}, f.officer)
	}},
	"POST /admin/layanan/{id}/kembalikan": {"service.return", func(t *testing.T, f *auditFixture) portaltest.Response {
		s, err := f.p.App.ServiceForEdit(context.Background(), pendopo.System, f.edited)
		if err != nil {
			t.Fatal(err)
		}
		// Waiting for review already, or now.
		f.p.App.SubmitService(context.Background(), pendopo.System, f.edited, s.LatestVersion, "Mohon diperiksa")
		return f.p.PostForm(t, fmt.Sprintf("/admin/layanan/%d/kembalikan", f.edited), url.Values{"version": {strconv.Itoa(s.LatestVersion)}, "note": {"Lampirkan nomor Perwal"}}, f.head)
	}},
	"POST /admin/daerah/{code}/opd/baru": {"agency.create", func(t *testing.T, f *auditFixture) portaltest.Response {
		return f.p.PostForm(t, "/admin/daerah/33.74/opd/baru", url.Values{"slug": {fmt.Sprint("dinas-jejak-", f.next())}, "name": {"Dinas Jejak"}}, f.p.RegionAdmin)
	}},
	"POST /admin/daerah/{code}/opd/{slug}": {"agency.save", post("/admin/daerah/33.74/opd/disdukcapil",
		url.Values{"name": {"Dinas Kependudukan dan Pencatatan Sipil"}}, asRegionAdmin)},
	"POST /admin/daerah/{code}/unit-layanan/baru": {"service_point.save", func(t *testing.T, f *auditFixture) portaltest.Response {
		return f.p.PostForm(t, "/admin/daerah/33.74/unit-layanan/baru", url.Values{"slug": {fmt.Sprint("kantor-", f.next())}, "name": {"Kantor"},
			"lat": {"-6.99"}, "lng": {"110.42"}}, f.p.RegionAdmin)
	}},
	"POST /admin/daerah/{code}/unit-layanan/{slug}": {"service_point.save", func(t *testing.T, f *auditFixture) portaltest.Response {
		points, _ := f.p.App.ServicePoints(context.Background(), "33.74")
		return f.p.PostForm(t, "/admin/daerah/33.74/unit-layanan/"+points[0].Slug, url.Values{"name": {points[0].Name}}, f.p.RegionAdmin)
	}},
	"POST /admin/daerah/{code}/pengguna/undang": {"invitation.create", func(t *testing.T, f *auditFixture) portaltest.Response {
		return f.p.PostForm(t, "/admin/daerah/33.74/pengguna/undang", url.Values{"email": {fmt.Sprintf("rina%d@jejak.test", f.next())}, "name": {"Rina"},
			"kind": {"officer"}, "agency": {"disdukcapil"}}, f.p.RegionAdmin)
	}},
	"POST /admin/daerah/{code}/pengguna/undangan/{id}/batal": {"invitation.cancel", func(t *testing.T, f *auditFixture) portaltest.Response {
		inv, _, err := f.p.App.Invite(context.Background(), pendopo.System, fmt.Sprintf("batal%d@jejak.test", f.next()), "",
			pendopo.Role{Kind: pendopo.RoleOfficer, Region: "33.74", Agency: "disdukcapil"})
		if err != nil {
			t.Fatal(err)
		}
		return f.p.PostForm(t, fmt.Sprintf("/admin/daerah/33.74/pengguna/undangan/%d/batal", inv.ID), nil, f.p.RegionAdmin)
	}},
	"POST /admin/daerah/{code}/pengguna/{uid}/cabut": {"role.revoke", func(t *testing.T, f *auditFixture) portaltest.Response {
		u, err := f.p.App.AddUser(context.Background(), "Korban", fmt.Sprintf("korban%d@jejak.test", f.next()), portaltest.Password,
			&pendopo.Role{Kind: pendopo.RoleOfficer, Region: "33.74", Agency: "disdukcapil"})
		if err != nil {
			t.Fatal(err)
		}
		return f.p.PostForm(t, fmt.Sprintf("/admin/daerah/33.74/pengguna/%d/cabut", u.ID),
			url.Values{"kind": {"officer"}, "region": {"33.74"}, "agency": {"disdukcapil"}}, f.p.RegionAdmin)
	}},
	"POST /admin/token": {"token.create", post("/admin/token", url.Values{"name": {"SIMPEL Dukcapil"}, "region": {"33.74"}}, asRegionAdmin)},
	"POST /admin/token/{id}/cabut": {"token.revoke", func(t *testing.T, f *auditFixture) portaltest.Response {
		tok, _, err := f.p.App.CreateToken(context.Background(), pendopo.System, "cabut", "33.74")
		if err != nil {
			t.Fatal(err)
		}
		return f.p.PostForm(t, fmt.Sprintf("/admin/token/%d/cabut", tok.ID), nil, f.p.RegionAdmin)
	}},
	"POST /admin/permohonan/{number}/tindak": {"application.approve", func(t *testing.T, f *auditFixture) portaltest.Response {
		number := f.p.Apply(t, f.citizenID, f.svc.ID, true)
		return f.p.PostForm(t, "/admin/permohonan/"+number+"/tindak", url.Values{"action": {"approve"}, "rev": {f.rev(t, number)}}, f.officer)
	}},
	"POST /admin/daerah/{code}/libur": {"holiday.add", post("/admin/daerah/33.74/libur", url.Values{"date": {"2026-12-02"}, "name": {"HUT Kota"}}, asRegionAdmin)},
	"POST /admin/daerah/{code}/libur/{date}/hapus": {"holiday.delete", func(t *testing.T, f *auditFixture) portaltest.Response {
		if err := f.p.App.AddRegionHoliday(context.Background(), pendopo.System, pendopo.Holiday{Region: "33.74", Date: pendopo.DateDay(2026, 12, 3), Name: "Cuti"}); err != nil {
			t.Fatal(err)
		}
		return f.p.PostForm(t, "/admin/daerah/33.74/libur/2026-12-03/hapus", nil, f.p.RegionAdmin)
	}},
	"POST /admin/daerah/{code}/laporan/rute": {"report.route", post("/admin/daerah/33.74/laporan/rute", url.Values{"route_kependudukan": {"disdukcapil"}}, asRegionAdmin)},
	"POST /admin/daerah/{code}/laporan/rute/area": {"report.area_route", post("/admin/daerah/33.74/laporan/rute/area", url.Values{
		"area_name": {"Pasar Johar"}, "area_category": {"penerangan-jalan"}, "area_south": {"-6.975"}, "area_west": {"110.42"}, "area_north": {"-6.965"},
		"area_east": {"110.435"}, "area_agency": {"disperkim"}}, asRegionAdmin)},
	"POST /admin/daerah/{code}/laporan/rute/area/{id}/hapus": {"report.area_route_delete", func(t *testing.T, f *auditFixture) portaltest.Response {
		r, err := f.p.App.AddReportAreaRoute(context.Background(), pendopo.System, pendopo.ReportAreaRoute{Region: "33.74", Name: "Simpang Lima",
			Area: pendopo.Bounds{South: -6.995, West: 110.40, North: -6.985, East: 110.41}, Agency: "disperkim"})
		if err != nil {
			t.Fatal(err)
		}
		return f.p.PostForm(t, fmt.Sprintf("/admin/daerah/33.74/laporan/rute/area/%d/hapus", r.ID), nil, f.p.RegionAdmin)
	}},
	"POST /admin/laporan/{number}": {"report.dispose", func(t *testing.T, f *auditFixture) portaltest.Response {
		return f.p.PostForm(t, "/admin/laporan/"+f.report(t).Number, url.Values{"action": {"dispose"}, "agency": {"disdukcapil"}}, f.p.RegionAdmin)
	}},
	"POST /admin/daerah/{code}/branding/sektor/baru": {"branding.sector", func(t *testing.T, f *auditFixture) portaltest.Response {
		return f.p.PostForm(t, "/admin/daerah/33.74/branding/sektor/baru", url.Values{"slug": {fmt.Sprint("sektor-", f.next())}, "name": {"Kuliner"}, "position": {"5"}}, f.p.RegionAdmin)
	}},
	"POST /admin/daerah/{code}/branding/sektor/{id}": {"branding.sector", func(t *testing.T, f *auditFixture) portaltest.Response {
		return f.p.PostForm(t, fmt.Sprintf("/admin/daerah/33.74/branding/sektor/%d", f.sector), url.Values{"slug": {"pariwisata"}, "name": {"Pariwisata"}, "position": {"1"}}, f.p.RegionAdmin)
	}},
	"POST /admin/daerah/{code}/branding/program/baru": {"branding.program", func(t *testing.T, f *auditFixture) portaltest.Response {
		return f.p.PostForm(t, "/admin/daerah/33.74/branding/program/baru", url.Values{"sector": {strconv.FormatInt(f.sector, 10)}, "name": {"Festival Kota Lama"},
			"indicator": {"Pengunjung"}, "unit": {"orang"}, "target_value": {"1.000.000"}, "start": {"2026-03-01"}, "end": {"2026-12-31"}, "status": {"berjalan"}}, f.p.RegionAdmin)
	}},
	"POST /admin/daerah/{code}/branding/program/{id}": {"branding.program", func(t *testing.T, f *auditFixture) portaltest.Response {
		return f.p.PostForm(t, fmt.Sprintf("/admin/daerah/33.74/branding/program/%d", f.program), url.Values{"sector": {strconv.FormatInt(f.sector, 10)},
			"name": {"Festival"}, "indicator": {"Pengunjung"}, "start": {"2026-01-01"}, "end": {"2026-12-31"}, "status": {"berjalan"}}, f.p.RegionAdmin)
	}},
	"POST /admin/daerah/{code}/branding/program/{id}/kabar": {"branding.update", func(t *testing.T, f *auditFixture) portaltest.Response {
		return f.p.PostForm(t, fmt.Sprintf("/admin/daerah/33.74/branding/program/%d/kabar", f.program), url.Values{"day": {"2026-11-20"}, "text": {"Panggung berdiri."}}, f.p.RegionAdmin)
	}},
	"POST /admin/daerah/{code}/branding/pemetaan": {"branding.map", func(t *testing.T, f *auditFixture) portaltest.Response {
		return f.p.PostForm(t, "/admin/daerah/33.74/branding/pemetaan", url.Values{"laporan_taman-fasum": {strconv.FormatInt(f.sector, 10)}}, f.p.RegionAdmin)
	}},
	"POST /admin/sinonim": {"synonyms.update", post("/admin/sinonim", url.Values{"rules": {"keur, surat keterangan sehat"}}, asAdmin)},
	"POST /admin/pencarian/sinonim": {"synonyms.learn", func(t *testing.T, f *auditFixture) portaltest.Response {
		logged(t, f.p, "", "qwkeur")
		return f.p.PostForm(t, "/admin/pencarian/sinonim", url.Values{"q": {"qwkeur"}, "jenis": {"surat-sehat"}}, f.p.Admin)
	}},
	"POST /admin/daerah/{code}/pencarian/sinonim": {"synonyms.learn", func(t *testing.T, f *auditFixture) portaltest.Response {
		res, err := f.p.App.Search(context.Background(), "surat keterangan sehat", "33.74", pendopo.Page{PerPage: 1})
		if err != nil || len(res.Hits) == 0 {
			t.Fatal("no health certificate in Semarang")
		}
		q := fmt.Sprint("qwkeur", f.next())
		logged(t, f.p, "33.74", q)
		return f.p.PostForm(t, "/admin/daerah/33.74/pencarian/sinonim", url.Values{"q": {q}, "layanan": {strconv.FormatInt(res.Hits[0].ID, 10)}}, f.p.RegionAdmin)
	}},
}

// logged puts a query that found nothing into region's search log.
func logged(t *testing.T, p *portaltest.Portal, region, q string) {
	t.Helper()
	p.App.LogSearch(region, q, false, "")
	p.App.LogSearch(region, q, false, "")
	if err := p.App.FlushSearchLog(context.Background()); err != nil {
		t.Fatal(err)
	}
}

// TestEveryWriteIsAudited sends a request to every POST route of the
// pages, generated from the route table, and checks that it succeeded
// and left its entry in the audit trail. A new write route fails here
// until it has a probe (and an entry) or is shown to keep nothing.
func TestEveryWriteIsAudited(t *testing.T) {
	ctx := context.Background()
	p := portaltest.NewPortal(t)
	f := &auditFixture{p: p, svc: p.OnlineService(t, "33.74", "penerbitan-ktp-el"), edited: serviceID(t, p, "33.74", "penerbitan-kk-baru")}
	f.officer = p.Officer(t, "Budi Petugas", "petugas@jejak.test", pendopo.Role{Kind: pendopo.RoleOfficer, Region: "33.74", Agency: "disdukcapil"})
	f.head = p.Officer(t, "Sri Kepala", "kepala@jejak.test", pendopo.Role{Kind: pendopo.RoleSupervisor, Region: "33.74", Agency: "disdukcapil"})
	f.citizenID, f.citizenLogin, f.citizen = f.newCitizen(t)
	f.completedApp = p.Apply(t, f.citizenID, f.svc.ID, true)
	for range 4 {
		if _, err := p.App.Act(ctx, pendopo.System, f.completedApp, app.ApplicationAct{Action: pendopo.ActApprove}); err != nil {
			t.Fatal(err)
		}
	}
	rep := f.report(t)
	for _, act := range []app.ReportAct{{Action: pendopo.ActReportDispose, Agency: "disdukcapil"}, {Action: pendopo.ActReportAnswer, Note: "Loket tambahan dibuka."}} {
		if _, err := p.App.ActOnReport(ctx, pendopo.System, rep.Number, act); err != nil {
			t.Fatal(err)
		}
	}
	f.answeredReport = rep.Number
	sec, err := p.App.SaveSector(ctx, pendopo.System, pendopo.Sector{Region: "33.74", Slug: "pariwisata", Name: "Pariwisata"})
	if err != nil {
		t.Fatal(err)
	}
	prog, err := p.App.SaveProgram(ctx, pendopo.System, pendopo.Program{Region: "33.74", SectorID: sec.ID, Name: "Festival", Indicator: "Pengunjung",
		Start: pendopo.DateDay(2026, 1, 1), End: pendopo.DateDay(2026, 12, 31), Status: pendopo.ProgramRunning})
	if err != nil {
		t.Fatal(err)
	}
	f.sector, f.program = sec.ID, prog.ID

	routes := web.RouteTable()
	for _, rt := range routes {
		method, _, _ := strings.Cut(rt.Pattern, " ")
		if method == http.MethodGet || method == http.MethodHead {
			continue
		}
		if _, ok := readOnlyRoutes[rt.Pattern]; ok {
			continue
		}
		pr, ok := auditProbes[rt.Pattern]
		if !ok {
			t.Errorf("%s changes state but has no entry in auditProbes: exercise it there (it must leave an audit entry), or list it in readOnlyRoutes with why it keeps nothing", rt.Pattern)
			continue
		}
		t.Run(rt.Pattern, func(t *testing.T) {
			head, err := p.App.Store().AuditHead(ctx)
			if err != nil {
				t.Fatal(err)
			}
			res := pr.do(t, f)
			p.App.Outbox().WaitDetached() // some writes (one-time codes) are done after the answer
			if res.StatusCode >= 400 || strings.HasPrefix(res.Header.Get("Location"), "/masuk?kembali=") {
				t.Fatalf("the probe did not succeed: %d %s\n%s", res.StatusCode, res.Header.Get("Location"), excerpt(res.Body, "alert"))
			}
			entries, err := p.App.Store().AuditChain(ctx, head, 100)
			if err != nil {
				t.Fatal(err)
			}
			var actions []string
			for _, e := range entries {
				actions = append(actions, e.Action)
			}
			if !slices.Contains(actions, pr.action) {
				t.Errorf("left %v in the audit trail, want %s", actions, pr.action)
			}
		})
	}
	for pattern := range auditProbes {
		if !slices.ContainsFunc(routes, func(r web.RouteInfo) bool { return r.Pattern == pattern }) {
			t.Errorf("auditProbes names %q, which is not a route", pattern)
		}
	}
	for pattern := range readOnlyRoutes {
		if !slices.ContainsFunc(routes, func(r web.RouteInfo) bool { return r.Pattern == pattern }) {
			t.Errorf("readOnlyRoutes names %q, which is not a route", pattern)
		}
	}
	// The trail still verifies after all of that.
	if r, err := p.App.VerifyAudit(ctx); err != nil || r.Break != nil {
		t.Errorf("audit log: %+v %v", r.Break, err)
	}
}
