package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/pendopo/pendopo"
	"github.com/pendopo/pendopo/internal/app"
	"github.com/pendopo/pendopo/internal/portaltest"
	"github.com/pendopo/pendopo/internal/web"
)

// The actors of the authorization matrix. Their roles are in Kota
// Semarang (33.74), in its civil registry (disdukcapil) unless named
// otherwise; admin3372 manages Kota Surakarta, the "other" region.
const (
	anonymous     = "anonymous"
	citizen       = "citizen"
	national      = "national_admin"
	overseerNat   = "national_overseer"
	overseer33    = "overseer_33"
	admin3374     = "region_admin_3374"
	admin3372     = "region_admin_3372"
	agencyAdmin   = "agency_admin"
	supervisor    = "supervisor"
	officer       = "officer"
	officerDinkes = "officer_dinkes"
)

var matrixActors = []string{anonymous, citizen, national, overseerNat, overseer33, admin3374, admin3372, agencyAdmin, supervisor, officer, officerDinkes}

// allowed says, independently of the code under test, who may do what on
// an object of Kota Semarang's civil registry ("own") and on one of Kota
// Surakarta's ("other", where only its admin and those above it may act).
// It is the written policy: change it only with the policy.
var allowed = map[string]struct{ own, other []string }{
	"officer":   {[]string{national, overseerNat, overseer33, admin3374, admin3372, agencyAdmin, supervisor, officer, officerDinkes}, nil},
	"console":   {[]string{national, overseerNat, overseer33, admin3374, agencyAdmin, supervisor, officer, officerDinkes}, []string{national, overseerNat, overseer33, admin3372}},
	"draft":     {[]string{national, admin3374, agencyAdmin, supervisor, officer}, []string{national, admin3372}},
	"new":       {[]string{national, admin3374, agencyAdmin, supervisor, officer, officerDinkes}, []string{national, admin3372}},
	"publish":   {[]string{national, admin3374, agencyAdmin, supervisor}, []string{national, admin3372}},
	"region":    {[]string{national, admin3374}, []string{national, admin3372}},
	"agencyNew": {[]string{national, admin3374}, []string{national, admin3372}},
	"agency":    {[]string{national, admin3374, agencyAdmin}, []string{national, admin3372}},
	"points":    {[]string{national, admin3374}, []string{national, admin3372}},
	"users":     {[]string{national, admin3374, agencyAdmin}, []string{national, admin3372}},
	"audit":     {[]string{national, overseerNat, overseer33, admin3374}, []string{national, overseerNat, overseer33, admin3372}},
	"tokens":    {[]string{national, admin3374}, []string{national, admin3372}},
	"tokenPage": {[]string{national, admin3374, admin3372}, nil},
	"synonyms":  {[]string{national}, nil},
	"searchLog": {[]string{national, admin3374}, []string{national, admin3372}},
	"natAudit":  {[]string{national, overseerNat}, nil},
	// Applications carry personal data: overseers see figures, not files.
	"queue":    {[]string{national, admin3374, agencyAdmin, supervisor, officer, officerDinkes}, []string{national, admin3372}},
	"appView":  {[]string{national, admin3374, agencyAdmin, supervisor, officer}, []string{national, admin3372}},
	"appAct":   {[]string{national, agencyAdmin, supervisor, officer}, []string{national}},
	"holidays": {[]string{national, admin3374}, []string{national, admin3372}},
	// Reports: the coordinator (region admin) and the agency the report
	// was disposed to; overseers see no reporter's data.
	"reportAct": {[]string{national, admin3374, agencyAdmin, supervisor, officer}, []string{national, admin3372}},
	// Oversight of the e-gov index: the Ministry and the province.
	"oversee": {[]string{national, overseerNat, overseer33}, nil},
}

// matrix holds the portal and the objects the probes point at.
type matrix struct {
	p        *portaltest.Portal
	sessions map[string]string
	service  map[bool]int64  // own → a disdukcapil service
	victim   map[bool]int64  // own → an officer whose role can be revoked
	code     map[bool]string // own → region code
	number   map[bool]string // own → a submitted application to the service
	report   map[bool]string // own → a report disposed to the civil registry
	sector   map[bool]int64  // own → a branding sector
	program  map[bool]int64  // own → a program of that sector
}

func (m *matrix) path(own bool, format string) string {
	return strings.NewReplacer("{code}", m.code[own], "{id}", fmt.Sprint(m.service[own]), "{uid}", fmt.Sprint(m.victim[own]),
		"{number}", m.number[own], "{report}", m.report[own], "{sector}", fmt.Sprint(m.sector[own]),
		"{program}", fmt.Sprint(m.program[own])).Replace(format)
}

// invitation makes a fresh invitation to cancel.
func (m *matrix) invitation(t *testing.T, own bool) string {
	inv, _, err := m.p.App.Invite(context.Background(), pendopo.System, "calon@contoh.test", "",
		pendopo.Role{Kind: pendopo.RoleOfficer, Region: m.code[own], Agency: "disdukcapil"})
	if err != nil {
		t.Fatal(err)
	}
	return fmt.Sprint(inv.ID)
}

// token makes a fresh API token of the region to revoke.
func (m *matrix) token(t *testing.T, own bool) string {
	tok, _, err := m.p.App.CreateToken(context.Background(), pendopo.System, "uji", m.code[own])
	if err != nil {
		t.Fatal(err)
	}
	return fmt.Sprint(tok.ID)
}

// probe is how the matrix exercises one route: the rule it follows and
// the request to send for an own or other object.
type probe struct {
	rule string
	// path is the path with {code}, {id} and {uid}, or built by pathFn.
	path   string
	pathFn func(t *testing.T, m *matrix, own bool) string
	form   url.Values
	// ownOnly routes have no "other" object (national pages).
	ownOnly bool
	// hidden routes answer 404 to those who may not see the object at
	// all, so that its existence does not leak, and 403 to those who
	// see it but may not act.
	hidden bool
}

// probes has an entry for every console route. A route without one fails
// TestAuthorizationMatrix, so that nobody adds a page without deciding
// who may use it.
var probes = map[string]probe{
	"GET /admin":                                     {rule: "officer", path: "/admin", ownOnly: true},
	"GET /admin/daerah/{code}":                       {rule: "console", path: "/admin/daerah/{code}"},
	"POST /admin/daerah/{code}/profil":               {rule: "region", path: "/admin/daerah/{code}/profil", form: url.Values{"name": {""}, "color": {"#ffff00"}}},
	"GET /admin/daerah/{code}/layanan/baru":          {rule: "new", path: "/admin/daerah/{code}/layanan/baru"},
	"POST /admin/daerah/{code}/layanan/baru":         {rule: "draft", path: "/admin/daerah/{code}/layanan/baru", form: url.Values{"agency": {"disdukcapil"}, "name": {""}, "aksi": {"draf"}}},
	"GET /admin/layanan/{id}":                        {rule: "console", path: "/admin/layanan/{id}"},
	"POST /admin/layanan/{id}":                       {rule: "draft", path: "/admin/layanan/{id}", form: url.Values{"agency": {"disdukcapil"}, "name": {""}, "aksi": {"draf"}}},
	"POST /admin/layanan/{id}/terbitkan":             {rule: "publish", path: "/admin/layanan/{id}/terbitkan", form: url.Values{"version": {"1"}}},
	"POST /admin/layanan/{id}/tinjau":                {rule: "publish", path: "/admin/layanan/{id}/tinjau"},
	"GET /admin/layanan/{id}/beda":                   {rule: "console", path: "/admin/layanan/{id}/beda?ke=1"},
	"POST /admin/layanan/{id}/ajukan":                {rule: "draft", path: "/admin/layanan/{id}/ajukan", form: url.Values{"version": {"1"}}},
	"POST /admin/layanan/{id}/kembalikan":            {rule: "publish", path: "/admin/layanan/{id}/kembalikan", form: url.Values{"version": {"1"}}},
	"GET /admin/daerah/{code}/opd/baru":              {rule: "agencyNew", path: "/admin/daerah/{code}/opd/baru"},
	"POST /admin/daerah/{code}/opd/baru":             {rule: "agencyNew", path: "/admin/daerah/{code}/opd/baru", form: url.Values{"slug": {"disdukcapil"}, "name": {"x"}}},
	"GET /admin/daerah/{code}/opd/{slug}":            {rule: "console", path: "/admin/daerah/{code}/opd/disdukcapil"},
	"POST /admin/daerah/{code}/opd/{slug}":           {rule: "agency", path: "/admin/daerah/{code}/opd/disdukcapil", form: url.Values{"name": {""}}},
	"GET /admin/daerah/{code}/unit-layanan/baru":     {rule: "points", path: "/admin/daerah/{code}/unit-layanan/baru"},
	"POST /admin/daerah/{code}/unit-layanan/baru":    {rule: "points", path: "/admin/daerah/{code}/unit-layanan/baru", form: url.Values{"slug": {"mpp"}, "name": {""}}},
	"GET /admin/daerah/{code}/unit-layanan/{slug}":   {rule: "console", path: "/admin/daerah/{code}/unit-layanan/mpp"},
	"POST /admin/daerah/{code}/unit-layanan/{slug}":  {rule: "points", path: "/admin/daerah/{code}/unit-layanan/mpp", form: url.Values{"name": {""}}},
	"GET /admin/daerah/{code}/pengguna":              {rule: "console", path: "/admin/daerah/{code}/pengguna"},
	"POST /admin/daerah/{code}/pengguna/undang":      {rule: "users", path: "/admin/daerah/{code}/pengguna/undang", form: url.Values{"email": {"baru@contoh.test"}, "kind": {"officer"}, "agency": {"disdukcapil"}}},
	"POST /admin/daerah/{code}/pengguna/{uid}/cabut": {rule: "users", path: "/admin/daerah/{code}/pengguna/{uid}/cabut"},
	"GET /admin/daerah/{code}/audit":                 {rule: "audit", path: "/admin/daerah/{code}/audit"},
	"GET /admin/audit":                               {rule: "natAudit", path: "/admin/audit", ownOnly: true},
	"GET /admin/token":                               {rule: "tokenPage", path: "/admin/token", ownOnly: true},
	"POST /admin/token":                              {rule: "tokens", path: "/admin/token", form: url.Values{"name": {"uji"}}},
	"GET /admin/sinonim":                             {rule: "synonyms", path: "/admin/sinonim", ownOnly: true},
	"GET /admin/pencarian":                           {rule: "synonyms", path: "/admin/pencarian", ownOnly: true},
	"POST /admin/pencarian/sinonim":                  {rule: "synonyms", path: "/admin/pencarian/sinonim", form: url.Values{"q": {"qwkeur"}, "jenis": {"surat-sehat"}}, ownOnly: true},
	"GET /admin/daerah/{code}/pencarian":             {rule: "searchLog", path: "/admin/daerah/{code}/pencarian"},
	"POST /admin/daerah/{code}/pencarian/sinonim":    {rule: "searchLog", path: "/admin/daerah/{code}/pencarian/sinonim", form: url.Values{"q": {"qwkeur"}, "layanan": {"{id}"}}},
	"POST /admin/sinonim":                            {rule: "synonyms", path: "/admin/sinonim", form: url.Values{"rules": {"a, b"}}, ownOnly: true},
	"POST /admin/daerah/{code}/pengguna/undangan/{id}/batal": {rule: "users", pathFn: func(t *testing.T, m *matrix, own bool) string {
		return m.path(own, "/admin/daerah/{code}/pengguna/undangan/") + m.invitation(t, own) + "/batal"
	}},
	"GET /admin/daerah/{code}/laporan": {rule: "queue", path: "/admin/daerah/{code}/laporan"},
	// Surveys: a point's presence code is its agency's and the region
	// admin's; held responses are the region admin's to decide.
	"GET /admin/daerah/{code}/survei":                        {rule: "queue", path: "/admin/daerah/{code}/survei"},
	"GET /admin/daerah/{code}/survei/cetak":                  {rule: "draft", path: "/admin/daerah/{code}/survei/cetak?unit=kantor-disdukcapil"},
	"GET /daerah/{code}/survei/qr.png":                       {rule: "draft", path: "/daerah/{code}/survei/qr.png?unit=kantor-disdukcapil"},
	"POST /admin/daerah/{code}/survei/tertahan":              {rule: "region", path: "/admin/daerah/{code}/survei/tertahan", form: url.Values{"point": {"0"}, "day": {"2026-11-27"}, "action": {"terima"}}},
	"GET /admin/pemantauan":                                  {rule: "oversee", path: "/admin/pemantauan", ownOnly: true},
	"GET /admin/daerah/{code}/laporan/rute":                  {rule: "region", path: "/admin/daerah/{code}/laporan/rute"},
	"POST /admin/daerah/{code}/laporan/rute":                 {rule: "region", path: "/admin/daerah/{code}/laporan/rute", form: url.Values{}},
	"POST /admin/daerah/{code}/laporan/rute/area":            {rule: "region", path: "/admin/daerah/{code}/laporan/rute/area", form: url.Values{"area_name": {""}}},
	"POST /admin/daerah/{code}/laporan/rute/area/{id}/hapus": {rule: "region", path: "/admin/daerah/{code}/laporan/rute/area/999999/hapus", form: url.Values{}},
	"GET /admin/laporan/{number}":                            {rule: "reportAct", path: "/admin/laporan/{report}", hidden: true},
	"POST /admin/laporan/{number}":                           {rule: "reportAct", path: "/admin/laporan/{report}", form: url.Values{"action": {"answer"}}, hidden: true},
	"GET /admin/layanan/{id}/online":                         {rule: "console", path: "/admin/layanan/{id}/online"},
	"POST /admin/layanan/{id}/online":                        {rule: "draft", path: "/admin/layanan/{id}/online", form: url.Values{"enabled": {"1"}, "output_title": {""}}},
	"GET /admin/daerah/{code}/permohonan":                    {rule: "queue", path: "/admin/daerah/{code}/permohonan"},
	"GET /admin/permohonan/{number}":                         {rule: "appView", path: "/admin/permohonan/{number}", hidden: true},
	"POST /admin/permohonan/{number}/tindak":                 {rule: "appAct", path: "/admin/permohonan/{number}/tindak", form: url.Values{"action": {"return"}}, hidden: true},
	"GET /admin/daerah/{code}/libur":                         {rule: "holidays", path: "/admin/daerah/{code}/libur"},
	"POST /admin/daerah/{code}/libur":                        {rule: "holidays", path: "/admin/daerah/{code}/libur", form: url.Values{"date": {"2026-12-02"}, "name": {""}}},
	"POST /admin/daerah/{code}/libur/{date}/hapus":           {rule: "holidays", path: "/admin/daerah/{code}/libur/2026-12-03/hapus"},
	"GET /admin/daerah/{code}/branding":                      {rule: "region", path: "/admin/daerah/{code}/branding"},
	"GET /admin/daerah/{code}/branding/sektor/baru":          {rule: "region", path: "/admin/daerah/{code}/branding/sektor/baru"},
	"POST /admin/daerah/{code}/branding/sektor/baru":         {rule: "region", path: "/admin/daerah/{code}/branding/sektor/baru", form: url.Values{"slug": {"Bukan Slug"}, "name": {""}, "position": {"1"}}},
	"GET /admin/daerah/{code}/branding/sektor/{id}":          {rule: "region", path: "/admin/daerah/{code}/branding/sektor/{sector}"},
	"POST /admin/daerah/{code}/branding/sektor/{id}":         {rule: "region", path: "/admin/daerah/{code}/branding/sektor/{sector}", form: url.Values{"slug": {"uji"}, "name": {""}, "position": {"1"}}},
	"GET /admin/daerah/{code}/branding/program/baru":         {rule: "region", path: "/admin/daerah/{code}/branding/program/baru"},
	"POST /admin/daerah/{code}/branding/program/baru":        {rule: "region", path: "/admin/daerah/{code}/branding/program/baru", form: url.Values{"name": {""}}},
	"GET /admin/daerah/{code}/branding/program/{id}":         {rule: "region", path: "/admin/daerah/{code}/branding/program/{program}"},
	"POST /admin/daerah/{code}/branding/program/{id}":        {rule: "region", path: "/admin/daerah/{code}/branding/program/{program}", form: url.Values{"name": {""}}},
	"POST /admin/daerah/{code}/branding/program/{id}/kabar":  {rule: "region", path: "/admin/daerah/{code}/branding/program/{program}/kabar", form: url.Values{"day": {"2026-11-02"}, "text": {""}}},
	"GET /admin/daerah/{code}/branding/pemetaan":             {rule: "region", path: "/admin/daerah/{code}/branding/pemetaan"},
	"POST /admin/daerah/{code}/branding/pemetaan":            {rule: "region", path: "/admin/daerah/{code}/branding/pemetaan", form: url.Values{"laporan_jalan": {"0"}}},
	"POST /admin/token/{id}/cabut": {rule: "tokens", pathFn: func(t *testing.T, m *matrix, own bool) string {
		return "/admin/token/" + m.token(t, own) + "/cabut"
	}},
}

// TestAuthorizationMatrix sends every console route, for an object of
// the actor's own region and agency and for one of another region, as
// every kind of actor, and compares the answer with the written policy.
func TestAuthorizationMatrix(t *testing.T) {
	p := portaltest.NewPortal(t)
	ctx := context.Background()
	m := &matrix{p: p, sessions: map[string]string{}, code: map[bool]string{true: "33.74", false: "33.72"},
		service: map[bool]int64{true: serviceID(t, p, "33.74", "penerbitan-ktp-el"), false: serviceID(t, p, "33.72", "pembuatan-ktp-el")},
		victim:  map[bool]int64{}}
	roles := map[string]*pendopo.Role{
		citizen:       nil,
		national:      {Kind: pendopo.RoleNationalAdmin},
		overseerNat:   {Kind: pendopo.RoleOverseer},
		overseer33:    {Kind: pendopo.RoleOverseer, Region: "33"},
		admin3374:     {Kind: pendopo.RoleRegionAdmin, Region: "33.74"},
		admin3372:     {Kind: pendopo.RoleRegionAdmin, Region: "33.72"},
		agencyAdmin:   {Kind: pendopo.RoleAgencyAdmin, Region: "33.74", Agency: "disdukcapil"},
		supervisor:    {Kind: pendopo.RoleSupervisor, Region: "33.74", Agency: "disdukcapil"},
		officer:       {Kind: pendopo.RoleOfficer, Region: "33.74", Agency: "disdukcapil"},
		officerDinkes: {Kind: pendopo.RoleOfficer, Region: "33.74", Agency: "dinkes"},
	}
	for name, role := range roles {
		login := strings.ReplaceAll(name, "_", ".") + "@matriks.test"
		if _, err := p.App.AddUser(ctx, name, login, portaltest.Password, role); err != nil {
			t.Fatal(err)
		}
		secret, _, err := p.App.Login(ctx, login, portaltest.Password, "192.0.2.9", "matrix")
		if err != nil {
			t.Fatal(err)
		}
		m.sessions[name] = secret
	}
	for _, own := range []bool{true, false} {
		u, err := p.App.AddUser(ctx, "Korban", fmt.Sprintf("korban.%v@matriks.test", own), portaltest.Password,
			&pendopo.Role{Kind: pendopo.RoleOfficer, Region: m.code[own], Agency: "disdukcapil"})
		if err != nil {
			t.Fatal(err)
		}
		m.victim[own] = u.ID
	}
	m.number = map[bool]string{}
	citizenUser, err := p.App.Store().Credentials(ctx, "citizen@matriks.test", "")
	if err != nil {
		t.Fatal(err)
	}
	for own, slug := range map[bool]string{true: "penerbitan-ktp-el", false: "pembuatan-ktp-el"} {
		svc := p.OnlineService(t, m.code[own], slug)
		m.number[own] = p.Apply(t, citizenUser.UserID, svc.ID, true)
	}
	m.report = map[bool]string{}
	for own, region := range m.code {
		lat, lng := -7.0, 110.4
		if !own {
			lat, lng = -7.56, 110.82
		}
		r, err := p.App.SubmitReport(ctx, pendopo.Actor{}, region, pendopo.ReportInput{Kind: pendopo.ReportComplaint, Title: "Antrean KTP-el panjang",
			Description: "Antrean di loket KTP-el lebih dari tiga jam.", Category: "kependudukan", Privacy: pendopo.PrivacyPublic,
			Contact: "pelapor@matriks.test", Location: pendopo.ReportLocation{Lat: &lat, Lng: &lng}}, "")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := p.App.ActOnReport(ctx, pendopo.System, r.Number, app.ReportAct{Action: pendopo.ActReportDispose, Agency: "disdukcapil"}); err != nil {
			t.Fatal(err)
		}
		m.report[own] = r.Number
	}
	m.sector, m.program = map[bool]int64{}, map[bool]int64{}
	for own, region := range m.code {
		sec, err := p.App.SaveSector(ctx, pendopo.System, pendopo.Sector{Region: region, Slug: "pariwisata", Name: "Pariwisata"})
		if err != nil {
			t.Fatal(err)
		}
		prog, err := p.App.SaveProgram(ctx, pendopo.System, pendopo.Program{Region: region, SectorID: sec.ID, Name: "Festival",
			Indicator: "Pengunjung", Start: pendopo.DateDay(2026, 1, 1), End: pendopo.DateDay(2026, 12, 31), Status: pendopo.ProgramRunning})
		if err != nil {
			t.Fatal(err)
		}
		m.sector[own], m.program[own] = sec.ID, prog.ID
	}
	// The console's start lists by the same rights, before the probes
	// below act on the objects: the civil registry's new application
	// shows in "Perlu tindakan" to who may read it and to nobody else,
	// another region's to nobody.
	for _, actor := range allowed["console"].own {
		res := p.GetAs(t, "/admin/daerah/"+m.code[true], m.sessions[actor])
		if res.StatusCode != http.StatusOK {
			t.Errorf("console start as %s: %d", actor, res.StatusCode)
			continue
		}
		if want := slices.Contains(allowed["appView"].own, actor); strings.Contains(todoSection(t, res.Body), m.number[true]) != want {
			t.Errorf("console start as %s lists the application: %v, want %v", actor, !want, want)
		}
		if strings.Contains(res.Body, m.number[false]) {
			t.Errorf("console start as %s lists another region's application", actor)
		}
	}
	revokeForm := func(own bool) url.Values {
		return url.Values{"kind": {"officer"}, "region": {m.code[own]}, "agency": {"disdukcapil"}}
	}

	for _, rt := range web.RouteTable() {
		if !rt.Admin {
			continue
		}
		pr, ok := probes[rt.Pattern]
		if !ok {
			t.Errorf("route %q has no entry in the authorization matrix", rt.Pattern)
			continue
		}
		rule, ok := allowed[pr.rule]
		if !ok {
			t.Fatalf("%s: unknown rule %q", rt.Pattern, pr.rule)
		}
		method, _, _ := strings.Cut(rt.Pattern, " ")
		for _, own := range []bool{true, false} {
			if !own && pr.ownOnly {
				continue
			}
			who := rule.own
			if !own {
				who = rule.other
			}
			// The refused go first, so that the allowed ones' changes do
			// not hide a wrong answer.
			order := slices.Clone(matrixActors)
			slices.SortStableFunc(order, func(a, b string) int {
				return boolInt(slices.Contains(who, a)) - boolInt(slices.Contains(who, b))
			})
			for _, actor := range order {
				path := m.path(own, pr.path)
				if pr.pathFn != nil {
					path = pr.pathFn(t, m, own)
				}
				form := pr.form
				if form != nil {
					// Form values may name the objects too ("{id}").
					form = url.Values{}
					for k, vs := range pr.form {
						for _, v := range vs {
							form.Add(k, m.path(own, v))
						}
					}
				}
				if strings.HasSuffix(rt.Pattern, "/cabut") && strings.Contains(rt.Pattern, "pengguna") {
					form = revokeForm(own)
				}
				if form != nil && rt.Pattern == "POST /admin/token" {
					form = url.Values{"name": {"uji"}, "region": {m.code[own]}}
				}
				var res portaltest.Response
				if method == http.MethodPost {
					res = p.PostForm(t, path, form, m.sessions[actor])
				} else {
					res = p.GetAs(t, path, m.sessions[actor])
				}
				where := map[bool]string{true: "own", false: "other"}[own]
				switch {
				case actor == anonymous:
					if res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(res.Header.Get("Location"), "/masuk") {
						t.Errorf("%s (%s) as %s: %d %s, want the sign-in page", rt.Pattern, where, actor, res.StatusCode, res.Header.Get("Location"))
					}
				case slices.Contains(who, actor):
					if res.StatusCode == http.StatusForbidden || res.StatusCode == http.StatusUnauthorized || strings.HasPrefix(res.Header.Get("Location"), "/masuk") {
						t.Errorf("%s (%s) as %s: %d, want allowed", rt.Pattern, where, actor, res.StatusCode)
					}
				case pr.hidden:
					if res.StatusCode != http.StatusForbidden && res.StatusCode != http.StatusNotFound {
						t.Errorf("%s (%s) as %s: %d, want 403 or 404", rt.Pattern, where, actor, res.StatusCode)
					}
				default:
					if res.StatusCode != http.StatusForbidden {
						t.Errorf("%s (%s) as %s: %d, want 403", rt.Pattern, where, actor, res.StatusCode)
					}
				}
			}
		}
	}
	for pattern := range probes {
		if !slices.ContainsFunc(web.RouteTable(), func(r web.RouteInfo) bool { return r.Pattern == pattern && r.Admin }) {
			t.Errorf("the matrix names %q, which is not a console route", pattern)
		}
	}
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// TestAccountRoutesNeedSignIn: every account route sends visitors to the
// sign-in page and acts only on the signed-in person's own account (no
// route names another person).
func TestAccountRoutesNeedSignIn(t *testing.T) {
	p := portaltest.NewPortal(t)
	for _, rt := range web.RouteTable() {
		if !rt.User {
			continue
		}
		if _, ok := applicantRoutes[rt.Pattern]; strings.Contains(rt.Pattern, "{") && !ok {
			t.Errorf("account route %q takes a parameter: it must act on the signed-in person only, or be in applicantRoutes", rt.Pattern)
		}
		method, path, _ := strings.Cut(rt.Pattern, " ")
		path = strings.NewReplacer("{id}", "1", "{number}", "3374-2611-K7Q2M9-X", "{addr}", strings.Repeat("a", 64)).Replace(path)
		var res portaltest.Response
		if method == http.MethodPost {
			res = p.PostForm(t, path, url.Values{}, "")
		} else {
			res = p.Get(t, path)
		}
		if res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(res.Header.Get("Location"), "/masuk?kembali=") {
			t.Errorf("%s without signing in: %d %s", rt.Pattern, res.StatusCode, res.Header.Get("Location"))
		}
	}
}

// applicantRoutes are the signed-in routes that name an object: starting
// an application for a service (any signed-in person may) and one's own
// applications. For those, read says whether the agency's staff may use
// it too (to read files and documents).
var applicantRoutes = map[string]struct{ read, public bool }{
	"GET /layanan/{id}/ajukan":               {public: true},
	"POST /layanan/{id}/ajukan":              {public: true},
	"GET /permohonan/{number}":               {read: true},
	"GET /permohonan/{number}/isi":           {read: true},
	"POST /permohonan/{number}/isi":          {},
	"GET /permohonan/{number}/periksa":       {read: true},
	"POST /permohonan/{number}/kirim":        {},
	"POST /permohonan/{number}/kirim-ulang":  {},
	"POST /permohonan/{number}/batal":        {},
	"GET /permohonan/{number}/berkas/{addr}": {read: true},
	"GET /permohonan/{number}/dokumen.pdf":   {read: true},
	"GET /survei/permohonan/{number}":        {},
	"POST /survei/permohonan/{number}":       {},
}

// TestApplicationRoutesMatrix sends every route of one person's
// application as its applicant, as another citizen, as staff of the
// agency, of another agency and of another region: only the applicant
// and (for reading) the agency's staff get anything but "not found".
func TestApplicationRoutesMatrix(t *testing.T) {
	p := portaltest.NewPortal(t)
	ctx := context.Background()
	svc := p.OnlineService(t, "33.74", "penerbitan-ktp-el")
	sessions := map[string]string{}
	ids := map[string]int64{}
	for name, role := range map[string]*pendopo.Role{
		"applicant": nil, "stranger": nil,
		"officer":        {Kind: pendopo.RoleOfficer, Region: "33.74", Agency: "disdukcapil"},
		"officer_dinkes": {Kind: pendopo.RoleOfficer, Region: "33.74", Agency: "dinkes"},
		"admin_3372":     {Kind: pendopo.RoleRegionAdmin, Region: "33.72"},
		"overseer":       {Kind: pendopo.RoleOverseer},
	} {
		login := strings.ReplaceAll(name, "_", ".") + "@pemohon.test"
		u, err := p.App.AddUser(ctx, name, login, portaltest.Password, role)
		if err != nil {
			t.Fatal(err)
		}
		ids[name] = u.ID
		if sessions[name], _, err = p.App.Login(ctx, login, portaltest.Password, "192.0.2.7", "matrix"); err != nil {
			t.Fatal(err)
		}
	}
	// A completed application (with a document and a file) for reading,
	// a draft for writing.
	done := p.Apply(t, ids["applicant"], svc.ID, true)
	for range 4 { // every step of the default workflow
		if _, err := p.App.Act(ctx, pendopo.System, done, app.ApplicationAct{Action: pendopo.ActApprove}); err != nil {
			t.Fatal(err)
		}
	}
	draft := p.Apply(t, ids["applicant"], svc.ID, false)
	v, err := p.App.Application(ctx, pendopo.Actor{UserID: ids["applicant"]}, done)
	if err != nil || v.Document == "" {
		t.Fatalf("completed application: %v", err)
	}
	addr := v.Answers["lampiran"][0]
	for _, rt := range web.RouteTable() {
		pr, ok := applicantRoutes[rt.Pattern]
		if !ok || pr.public {
			continue
		}
		method, path, _ := strings.Cut(rt.Pattern, " ")
		number := done
		if method == http.MethodPost {
			number = draft
		}
		path = strings.NewReplacer("{number}", number, "{addr}", addr).Replace(path)
		for _, who := range []string{"stranger", "officer_dinkes", "admin_3372", "overseer", "officer", "applicant"} {
			var res portaltest.Response
			if method == http.MethodPost {
				res = p.PostForm(t, path, url.Values{}, sessions[who])
			} else {
				res = p.GetAs(t, path, sessions[who])
			}
			switch {
			case who == "applicant" && method == http.MethodGet, who == "officer" && pr.read:
				if res.StatusCode >= 400 {
					t.Errorf("%s as %s: %d, want it allowed", rt.Pattern, who, res.StatusCode)
				}
			case who == "officer":
				if res.StatusCode != http.StatusForbidden && res.StatusCode != http.StatusConflict {
					t.Errorf("%s as %s: %d, want 403 or 409", rt.Pattern, who, res.StatusCode)
				}
			case who == "applicant":
			default:
				if res.StatusCode != http.StatusNotFound {
					t.Errorf("%s as %s: %d, want 404", rt.Pattern, who, res.StatusCode)
				}
			}
		}
	}
	for pattern := range applicantRoutes {
		if !slices.ContainsFunc(web.RouteTable(), func(r web.RouteInfo) bool { return r.Pattern == pattern && r.User }) {
			t.Errorf("applicantRoutes names %q, which is not a signed-in route", pattern)
		}
	}
}
