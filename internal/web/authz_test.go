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
	"natAudit":  {[]string{national, overseerNat}, nil},
}

// matrix holds the portal and the objects the probes point at.
type matrix struct {
	p        *portaltest.Portal
	sessions map[string]string
	service  map[bool]int64  // own → a disdukcapil service
	victim   map[bool]int64  // own → an officer whose role can be revoked
	code     map[bool]string // own → region code
}

func (m *matrix) path(own bool, format string) string {
	return strings.NewReplacer("{code}", m.code[own], "{id}", fmt.Sprint(m.service[own]), "{uid}", fmt.Sprint(m.victim[own])).Replace(format)
}

// invitation makes a fresh invitation to cancel.
func (m *matrix) invitation(t *testing.T, own bool) string {
	inv, _, err := m.p.App.Invite(context.Background(), app.System, "calon@contoh.test", "",
		pendopo.Role{Kind: pendopo.RoleOfficer, Region: m.code[own], Agency: "disdukcapil"})
	if err != nil {
		t.Fatal(err)
	}
	return fmt.Sprint(inv.ID)
}

// token makes a fresh API token of the region to revoke.
func (m *matrix) token(t *testing.T, own bool) string {
	tok, _, err := m.p.App.CreateToken(context.Background(), app.System, "uji", m.code[own])
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
	"POST /admin/sinonim":                            {rule: "synonyms", path: "/admin/sinonim", form: url.Values{"rules": {"a, b"}}, ownOnly: true},
	"POST /admin/daerah/{code}/pengguna/undangan/{id}/batal": {rule: "users", pathFn: func(t *testing.T, m *matrix, own bool) string {
		return m.path(own, "/admin/daerah/{code}/pengguna/undangan/") + m.invitation(t, own) + "/batal"
	}},
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
		if strings.Contains(rt.Pattern, "{") {
			t.Errorf("account route %q takes a parameter; it must act on the signed-in person only", rt.Pattern)
		}
		method, path, _ := strings.Cut(rt.Pattern, " ")
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
