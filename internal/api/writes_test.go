package api_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/pendopo/pendopo"
	"github.com/pendopo/pendopo/internal/api"
	"github.com/pendopo/pendopo/internal/app"
)

// TestServiceLifecycle creates a draft, publishes it, updates it with and
// without a stale base version, and reads its versions as the public and
// as its region's editor.
func TestServiceLifecycle(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	body := newService("layanan-uji")

	res := e.do(t, request{method: "POST", path: "/api/v1/regions/33.74/services", body: mustJSON(t, body), token: e.semarang})
	want(t, res, http.StatusCreated)
	var created api.ServiceDetail
	res.decode(t, &created)
	if created.ID == 0 || created.Version != 0 || created.LatestVersion != 1 || created.Published || created.RegionName != "Kota Semarang" ||
		created.AgencyName == "" || created.KindName.Indonesian != "Penerbitan KTP-el" || created.Name != body.Name {
		t.Fatalf("created %+v", created)
	}
	self := fmt.Sprintf("/api/v1/services/%d", created.ID)
	if loc := res.header.Get("Location"); loc != self {
		t.Errorf("Location %q, want %q", loc, self)
	}
	if cc := res.header.Get("Cache-Control"); cc != "no-store" {
		t.Errorf("write Cache-Control %q", cc)
	}

	// A draft is not public.
	want(t, e.do(t, request{method: "GET", path: self}), http.StatusNotFound)
	want(t, e.do(t, request{method: "GET", path: self + "/versions"}), http.StatusNotFound)
	want(t, e.do(t, request{method: "GET", path: self + "/versions/1"}), http.StatusNotFound)
	want(t, e.do(t, request{method: "GET", path: self + "/versions/1", token: e.semarang}), http.StatusOK)
	// Another region's token sees what the public sees.
	want(t, e.do(t, request{method: "GET", path: self + "/versions/1", token: e.solo}), http.StatusNotFound)

	res = e.do(t, request{method: "POST", path: self + "/publish", token: e.semarang})
	want(t, res, http.StatusOK)
	var pub api.ServiceDetail
	res.decode(t, &pub)
	if pub.Version != 1 || !pub.Published || pub.NeedsReview || !pub.ReviewedAt.Equal(now) {
		t.Fatalf("published %+v", pub)
	}
	res = e.do(t, request{method: "GET", path: self})
	want(t, res, http.StatusOK)

	// An update from version 1 lands as a draft; the public still sees 1.
	upd := api.ServiceUpdateRequest{ServiceRequest: body, BaseVersion: 1}
	upd.Name = "Layanan Uji Versi Dua"
	upd.Note = "ganti nama"
	res = e.do(t, request{method: "PUT", path: self, body: mustJSON(t, upd), token: e.semarang})
	want(t, res, http.StatusOK)
	var v2 api.ServiceDetail
	res.decode(t, &v2)
	if v2.LatestVersion != 2 || v2.Version != 1 {
		t.Fatalf("after update: version %d latest %d", v2.Version, v2.LatestVersion)
	}
	// Someone else started from version 1 too: refused.
	upd.Name = "Perubahan yang kalah"
	res = e.do(t, request{method: "PUT", path: self, body: mustJSON(t, upd), token: e.semarang})
	want(t, res, http.StatusConflict)
	if res.errorBody(t).Code != pendopo.KindConflict {
		t.Errorf("stale update: %s", res)
	}
	var public api.ServiceDetail
	e.do(t, request{method: "GET", path: self}).decode(t, &public)
	if public.Name != body.Name {
		t.Errorf("public sees %q before publishing", public.Name)
	}

	var versions api.List[api.VersionInfo]
	e.do(t, request{method: "GET", path: self + "/versions"}).decode(t, &versions)
	if versions.Total != 1 || versions.Items[0].Version != 1 {
		t.Errorf("public versions %+v", versions.Items)
	}
	res = e.do(t, request{method: "GET", path: self + "/versions", token: e.semarang})
	want(t, res, http.StatusOK)
	if cc := res.header.Get("Cache-Control"); cc != "no-store" || !slices.Contains(res.header.Values("Vary"), "Authorization") {
		t.Errorf("editor's versions are cacheable: %q, Vary %q", cc, res.header.Values("Vary"))
	}
	res.decode(t, &versions)
	if versions.Total != 2 || versions.Items[0].Version != 2 || versions.Items[0].Published || versions.Items[0].Note != "ganti nama" ||
		versions.Items[0].Author != "token:semarang" {
		t.Errorf("editor's versions %+v", versions.Items)
	}
	// The province may edit its kota; another kota may not, and sees the public list.
	e.do(t, request{method: "GET", path: self + "/versions", token: e.jateng}).decode(t, &versions)
	if versions.Total != 2 {
		t.Errorf("province sees %d versions", versions.Total)
	}
	e.do(t, request{method: "GET", path: self + "/versions", token: e.solo}).decode(t, &versions)
	if versions.Total != 1 {
		t.Errorf("other region sees %d versions", versions.Total)
	}
	var draft pendopo.Version
	res = e.do(t, request{method: "GET", path: self + "/versions/2", token: e.semarang})
	want(t, res, http.StatusOK)
	res.decode(t, &draft)
	if draft.Published || draft.Content.Name != "Layanan Uji Versi Dua" {
		t.Errorf("draft %+v", draft)
	}
	want(t, e.do(t, request{method: "GET", path: self + "/versions/2"}), http.StatusNotFound)
	want(t, e.do(t, request{method: "GET", path: self + "/versions/3", token: e.semarang}), http.StatusNotFound)

	// Publishing version 2 explicitly, then reviewing.
	res = e.do(t, request{method: "POST", path: self + "/publish", body: `{"version": 2, "note": "terbit"}`, token: e.semarang})
	want(t, res, http.StatusOK)
	e.do(t, request{method: "GET", path: self}).decode(t, &public)
	if public.Name != "Layanan Uji Versi Dua" || public.Version != 2 {
		t.Errorf("after publishing 2: %q v%d", public.Name, public.Version)
	}
	res = e.do(t, request{method: "POST", path: self + "/publish", body: `{"version": 9}`, token: e.semarang})
	if res.status != http.StatusUnprocessableEntity || !slices.Contains(fields(t, res), "version") {
		t.Errorf("publish unknown version: %s", res)
	}
	res = e.do(t, request{method: "POST", path: self + "/review", token: e.semarang})
	want(t, res, http.StatusOK)

	// An update with publish and the right base version is public at once
	// and searchable.
	upd = api.ServiceUpdateRequest{ServiceRequest: body, BaseVersion: 2}
	upd.Name = "Layanan Uji Kilat"
	upd.Publish = true
	want(t, e.do(t, request{method: "PUT", path: self, body: mustJSON(t, upd), token: e.semarang}), http.StatusOK)
	var found api.SearchResults
	e.do(t, request{method: "GET", path: "/api/v1/search?q=uji+kilat&region=33.74"}).decode(t, &found)
	if len(found.Items) == 0 || found.Items[0].ID != created.ID {
		t.Errorf("search after publish: %+v", found.Items)
	}
}

// TestReviewService clears the "needs review" flag of a stale service.
func TestReviewService(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	var l api.List[api.ServiceItem]
	e.do(t, request{method: "GET", path: "/api/v1/regions/33.74/services?sort=updated&order=asc&per_page=1"}).decode(t, &l)
	stale := l.Items[0]
	if !stale.NeedsReview {
		t.Fatalf("oldest service %s does not need review", stale.Slug)
	}
	path := fmt.Sprintf("/api/v1/services/%d", stale.ID)
	want(t, e.do(t, request{method: "POST", path: path + "/review", token: e.solo}), http.StatusForbidden)
	res := e.do(t, request{method: "POST", path: path + "/review", token: e.semarang})
	want(t, res, http.StatusOK)
	var s api.ServiceDetail
	e.do(t, request{method: "GET", path: path}).decode(t, &s)
	if s.NeedsReview || !s.ReviewedAt.Equal(now) {
		t.Errorf("after review: needs_review %v, reviewed_at %v", s.NeedsReview, s.ReviewedAt)
	}
}

// TestAuth checks tokens: none, malformed, unknown, revoked, and of the
// wrong region.
func TestAuth(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	revoked, secret, err := e.app.CreateToken(ctx, pendopo.System, "lama", "33.74")
	if err != nil {
		t.Fatal(err)
	}
	if err := e.app.RevokeToken(ctx, pendopo.System, revoked.ID); err != nil {
		t.Fatal(err)
	}
	ktp := fmt.Sprintf("/api/v1/services/%d", e.serviceID(t, "33.74", "penerbitan-ktp-el"))
	agency := `{"name": "Dinas Uji"}`

	for _, tt := range []struct {
		name   string
		header string
	}{
		{"no token", ""},
		{"unknown token", "Bearer pdp_tidakadatokenseperti_ini"},
		{"revoked token", "Bearer " + secret},
		{"basic auth", "Basic dXNlcjpwYXNz"},
		{"bearer without token", "Bearer "},
	} {
		req := request{method: "PUT", path: "/api/v1/regions/33.74/agencies/dinas-uji", body: agency}
		res := e.doHeader(t, req, tt.header)
		if res.status != http.StatusUnauthorized || res.errorBody(t).Code != pendopo.KindUnauthorized {
			t.Errorf("%s: %s", tt.name, res)
		}
		if h := res.header.Get("WWW-Authenticate"); !strings.HasPrefix(h, "Bearer") {
			t.Errorf("%s: WWW-Authenticate %q", tt.name, h)
		}
	}
	// An invalid token is refused on reads that take one, too.
	res := e.doHeader(t, request{method: "GET", path: ktp + "/versions"}, "Bearer pdp_salah")
	want(t, res, http.StatusUnauthorized)

	// Every write needs a token.
	for _, rt := range api.RouteTable() {
		if rt.Method == http.MethodGet && !rt.Auth {
			continue
		}
		path := strings.NewReplacer("{code}", "33.74", "{slug}", "x", "{id}", "1", "{n}", "1").Replace(rt.Pattern)
		if res := e.do(t, request{method: rt.Method, path: path, body: "{}"}); res.status != http.StatusUnauthorized {
			t.Errorf("%s %s without a token: %s", rt.Method, path, res)
		}
	}

	forbidden := []request{
		{method: "PUT", path: "/api/v1/regions/33.74/agencies/dinas-uji", body: agency},
		{method: "PUT", path: "/api/v1/regions/33.74/service-points/titik-uji", body: `{"name": "Titik Uji"}`},
		{method: "PUT", path: "/api/v1/regions/33.74", body: `{"profile": {}}`},
		{method: "DELETE", path: "/api/v1/regions/33.74/logo"},
		{method: "POST", path: "/api/v1/regions/33.74/services", body: mustJSON(t, newService("layanan-uji"))},
		{method: "PUT", path: ktp, body: mustJSON(t, newService("penerbitan-ktp-el"))},
		{method: "POST", path: ktp + "/publish"},
		{method: "POST", path: ktp + "/review"},
	}
	for _, rq := range forbidden {
		rq.token = e.solo
		if res := e.do(t, rq); res.status != http.StatusForbidden || res.errorBody(t).Code != pendopo.KindForbidden {
			t.Errorf("33.72 token: %s %s: %s", rq.method, rq.path, res)
		}
	}
	res = e.do(t, request{method: "PUT", path: "/api/v1/synonyms", body: `{"rules": "a, b"}`, token: e.semarang})
	want(t, res, http.StatusForbidden)

	// The province's token writes its kota; the national token everything.
	want(t, e.do(t, request{method: "PUT", path: "/api/v1/regions/33.74/agencies/dinas-uji", body: agency, token: e.jateng}), http.StatusOK)
	want(t, e.do(t, request{method: "PUT", path: "/api/v1/regions/33.72/agencies/dinas-uji", body: agency, token: e.national}), http.StatusOK)
}

// doHeader sends a request with a raw Authorization header.
func (e *env) doHeader(t *testing.T, rq request, auth string) *response {
	t.Helper()
	if auth == "" {
		return e.do(t, rq)
	}
	h := e.h
	defer func() { e.h = h }()
	e.h = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r.Header.Set("Authorization", auth)
		h.ServeHTTP(w, r)
	})
	return e.do(t, rq)
}

// TestBodies checks how request bodies are refused: 400, 413, 415, 422.
func TestBodies(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	create := "/api/v1/regions/33.74/services"
	good := mustJSON(t, newService("layanan-uji"))
	tests := []struct {
		name   string
		rq     request
		status int
		field  string
	}{
		{"malformed", request{body: `{"slug": "a",}`}, 400, "body"},
		{"cut short", request{body: `{"slug": "a"`}, 400, "body"},
		{"empty", request{body: " ", ctype: "application/json"}, 400, "body"},
		{"wrong type", request{body: `{"slug": 5}`}, 400, "slug"},
		{"wrong nested type", request{body: `{"standard": {"fee": {"amount": "gratis"}}}`}, 400, "standard.fee.amount"},
		{"wrong list type", request{body: `{"standard": {"requirements": "KTP"}}`}, 400, "standard.requirements"},
		{"unknown field", request{body: `{"slug": "a", "biaya": 0}`}, 400, "biaya"},
		{"unknown nested field", request{body: `{"standard": {"durasi": 3}}`}, 400, "durasi"},
		{"trailing data", request{body: good + ` {}`}, 400, "body"},
		{"trailing garbage", request{body: good + `x`}, 400, "body"},
		{"array", request{body: `[]`}, 400, "body"},
		{"text/plain", request{body: good, ctype: "text/plain"}, 415, ""},
		{"form", request{body: "slug=a", ctype: "application/x-www-form-urlencoded"}, 415, ""},
		{"latin-1", request{body: good, ctype: "application/json; charset=iso-8859-1"}, 415, ""},
		{"oversize", request{body: `{"summary": "` + strings.Repeat("a", 1<<20) + `"}`}, 413, ""},
		{"invalid content", request{body: `{"slug": "Bukan Slug", "kind": "ktp-el", "name": "", "agency": "disdukcapil", "category": "x",
			"channels": ["pos"], "standard": {"fee": {"type": "fixed", "amount": -1}}}`}, 422, "standard.fee.amount"},
		{"unknown agency", request{body: strings.Replace(good, `"agency":"disdukcapil"`, `"agency":"tidak-ada"`, 1)}, 422, "agency"},
		{"unknown point", request{body: strings.Replace(good, `"points":["mpp"]`, `"points":["mpp","tidak-ada"]`, 1)}, 422, "points[1]"},
		// PostgreSQL cannot store NUL characters; they must not become a 500.
		{"NUL in a name", request{body: strings.Replace(good, `"name":"Layanan layanan-uji"`, `"name":"Layanan\u0000uji"`, 1)}, 422, "name"},
		{"NUL in a list", request{body: strings.Replace(good, `"Kartu Keluarga"`, `"Kartu\u0000Keluarga"`, 1)}, 422, "standard.requirements[0]"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rq := tt.rq
			rq.method, rq.path, rq.token = "POST", create, e.semarang
			res := e.do(t, rq)
			if res.status != tt.status {
				t.Fatalf("status %s, want %d", res, tt.status)
			}
			if tt.field != "" && !slices.Contains(fields(t, res), tt.field) {
				t.Errorf("fields %v, want %s", fields(t, res), tt.field)
			}
		})
	}
	// Every problem of invalid content is reported at once, with its path.
	res := e.do(t, request{method: "POST", path: create, token: e.semarang, body: `{"slug": "Bukan Slug", "kind": "ktp-el", "name": "",
		"agency": "disdukcapil", "category": "x", "channels": ["pos"], "standard": {"fee": {"type": "fixed", "amount": -1}}}`})
	got := fields(t, res)
	for _, f := range []string{"slug", "name", "category", "channels[0]", "standard.requirements", "standard.duration.working_days", "standard.fee.legal_basis"} {
		if !slices.Contains(got, f) {
			t.Errorf("fields %v lack %s", got, f)
		}
	}
	// Syntax errors name their line.
	res = e.do(t, request{method: "POST", path: create, token: e.semarang, body: "{\n\"slug\": \"a\",\n\"name\" \"b\"\n}"})
	if f := res.errorBody(t).Fields; len(f) != 1 || f[0].Line != 3 {
		t.Errorf("syntax error at line 3: %+v", f)
	}
	// Nothing was created by any of these.
	var l api.List[api.ServiceItem]
	e.do(t, request{method: "GET", path: "/api/v1/search?q=layanan+uji&region=33.74"}).decode(t, &l)
	if _, err := e.app.Store().ServiceBySlug(ctx, "33.74", "layanan-uji"); pendopo.KindOf(err) != pendopo.KindNotFound {
		t.Errorf("a refused request created a service: %v", err)
	}
	// An empty body is fine where the body is optional, but not a wrong one.
	ktp := fmt.Sprintf("/api/v1/services/%d", e.serviceID(t, "33.74", "penerbitan-ktp-el"))
	want(t, e.do(t, request{method: "POST", path: ktp + "/publish", token: e.semarang}), http.StatusOK)
	want(t, e.do(t, request{method: "POST", path: ktp + "/publish", token: e.semarang, body: `{"versi": 1}`}), http.StatusBadRequest)
	want(t, e.do(t, request{method: "POST", path: ktp + "/publish", token: e.semarang, body: `{}`, ctype: "text/plain"}), http.StatusUnsupportedMediaType)
	// Messages follow the language.
	res = e.do(t, request{method: "POST", path: create, token: e.semarang, body: `{"slug": 5}`, lang: "en"})
	if f := res.errorBody(t).Fields; len(f) != 1 || !strings.HasPrefix(f[0].Message, "Wrong type: expected text") {
		t.Errorf("English type error: %+v", f)
	}
}

// TestRegionProfile updates a region's name and profile.
func TestRegionProfile(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	var before pendopo.Region
	e.do(t, request{method: "GET", path: "/api/v1/regions/33.74"}).decode(t, &before)
	p := before.Profile
	p.Tagline = "Kota lumpia"
	p.Color = "#1D4ED8"
	res := e.do(t, request{method: "PUT", path: "/api/v1/regions/33.74", body: mustJSON(t, api.RegionRequest{Profile: &p}), token: e.semarang})
	want(t, res, http.StatusOK)
	var after pendopo.Region
	e.do(t, request{method: "GET", path: "/api/v1/regions/33.74"}).decode(t, &after)
	if after.Name != before.Name || after.Profile.Tagline != "Kota lumpia" || after.Profile.Color != "#1d4ed8" || after.Profile.LogoHash != before.Profile.LogoHash {
		t.Errorf("after update: %+v", after)
	}
	res = e.do(t, request{method: "PUT", path: "/api/v1/regions/33.74", body: `{"name": "Kota Semarang (Uji)", "profile": {"color": "#0b5d5b"}}`, token: e.semarang})
	want(t, res, http.StatusOK)
	res.decode(t, &after)
	if after.Name != "Kota Semarang (Uji)" || after.Profile.Tagline != "" {
		t.Errorf("after replacing: %+v", after)
	}

	for _, tt := range []struct {
		name, body, field string
	}{
		{"too light", `{"profile": {"color": "#ffee99"}}`, "profile.color"},
		{"bad email", `{"profile": {"email": "bukan email"}}`, "profile.email"},
		{"no profile", `{"name": "X"}`, "profile"},
		{"long name", `{"name": "` + strings.Repeat("x", 130) + `", "profile": {}}`, "name"},
	} {
		res := e.do(t, request{method: "PUT", path: "/api/v1/regions/33.74", body: tt.body, token: e.semarang, lang: "en"})
		if res.status != http.StatusUnprocessableEntity || !slices.Contains(fields(t, res), tt.field) {
			t.Errorf("%s: %s", tt.name, res)
		}
	}
	res = e.do(t, request{method: "PUT", path: "/api/v1/regions/33.74", body: `{"profile": {"color": "#ffee99"}}`, token: e.semarang, lang: "en"})
	if f := res.errorBody(t).Fields; len(f) != 1 || !strings.HasPrefix(f[0].Message, "Colour is too light") {
		t.Errorf("English colour error: %+v", f)
	}
	want(t, e.do(t, request{method: "PUT", path: "/api/v1/regions/99.99", body: `{"profile": {}}`, token: e.national}), http.StatusNotFound)
}

// TestLogo uploads, refuses and deletes region logos.
func TestLogo(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	var buf bytes.Buffer
	img := image.NewRGBA(image.Rect(0, 0, 4, 4))
	img.Set(1, 1, color.RGBA{200, 0, 0, 255})
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	logo := "/api/v1/regions/33.74/logo"
	var r pendopo.Region
	e.do(t, request{method: "GET", path: "/api/v1/regions/33.74"}).decode(t, &r)
	hashes := []string{r.Profile.LogoHash}
	for _, tt := range []struct{ name, body, ctype string }{
		{"png", buf.String(), "image/png"},
		{"svg", `<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><circle cx="5" cy="5" r="4"/></svg>`, "image/svg+xml"},
	} {
		res := e.do(t, request{method: "PUT", path: logo, body: tt.body, ctype: tt.ctype, token: e.semarang})
		want(t, res, http.StatusOK)
		res.decode(t, &r)
		if r.Profile.LogoHash == "" || slices.Contains(hashes, r.Profile.LogoHash) {
			t.Errorf("%s: logo hash %q after %v", tt.name, r.Profile.LogoHash, hashes)
		}
		hashes = append(hashes, r.Profile.LogoHash)
		if got, _ := e.app.RegionLogo(ctx, "33.74"); got.ContentType != tt.ctype {
			t.Errorf("%s stored as %q", tt.name, got.ContentType)
		}
	}
	for _, tt := range []struct {
		name, body, ctype string
		status            int
	}{
		{"text as png", "Ini bukan gambar.", "image/png", 422},
		{"empty", "", "image/png", 422},
		{"text/plain", "Ini bukan gambar.", "text/plain", 415},
		{"json", "{}", "application/json", 415},
		{"too big", strings.Repeat("x", app.MaxLogoBytes+2), "image/png", 413},
	} {
		res := e.do(t, request{method: "PUT", path: logo, body: tt.body, ctype: tt.ctype, token: e.semarang})
		if res.status != tt.status {
			t.Errorf("%s: %s, want %d", tt.name, res, tt.status)
		}
	}
	res := e.do(t, request{method: "DELETE", path: logo, token: e.semarang})
	want(t, res, http.StatusOK)
	r = pendopo.Region{}
	res.decode(t, &r)
	if r.Profile.LogoHash != "" || r.Profile.Color == "" {
		t.Errorf("after delete: %+v", r.Profile)
	}
	if _, err := e.app.RegionLogo(ctx, "33.74"); pendopo.KindOf(err) != pendopo.KindNotFound {
		t.Errorf("logo still there: %v", err)
	}
}

// TestAgencyAndServicePoint creates and updates an agency and a point.
func TestAgencyAndServicePoint(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	path := "/api/v1/regions/33.74/agencies/dinas-uji"
	res := e.do(t, request{method: "PUT", path: path, body: `{"name": "Dinas Uji", "short_name": "DU", "email": "du@demo.pendopo.id"}`, token: e.semarang})
	want(t, res, http.StatusOK)
	var a pendopo.Agency
	res.decode(t, &a)
	if a.ID == 0 || a.Slug != "dinas-uji" || a.RegionCode != "33.74" || a.ShortName != "DU" {
		t.Errorf("created %+v", a)
	}
	res = e.do(t, request{method: "PUT", path: path, body: `{"name": "Dinas Uji Coba"}`, token: e.semarang})
	want(t, res, http.StatusOK)
	var b pendopo.Agency
	res.decode(t, &b)
	if b.ID != a.ID || b.Name != "Dinas Uji Coba" || b.ShortName != "" {
		t.Errorf("updated %+v", b)
	}
	var l api.List[pendopo.Agency]
	e.do(t, request{method: "GET", path: "/api/v1/regions/33.74/agencies"}).decode(t, &l)
	if l.Total != 16 || !slices.ContainsFunc(l.Items, func(x pendopo.Agency) bool { return x.Slug == "dinas-uji" && x.Name == "Dinas Uji Coba" }) {
		t.Errorf("agencies: %d", l.Total)
	}
	res = e.do(t, request{method: "PUT", path: "/api/v1/regions/33.74/agencies/Bukan_Slug", body: `{"name": ""}`, token: e.semarang})
	if got := fields(t, res); res.status != 422 || !slices.Contains(got, "slug") || !slices.Contains(got, "name") {
		t.Errorf("invalid agency: %s", res)
	}
	res = e.do(t, request{method: "PUT", path: path, body: `{"name": "Dinas\u0000Uji"}`, token: e.semarang})
	if res.status != 422 || !slices.Contains(fields(t, res), "name") {
		t.Errorf("NUL in a name: %s", res)
	}
	res = e.do(t, request{method: "PUT", path: path, body: `{"name": "X", "id": 5}`, token: e.semarang})
	if res.status != 400 || !slices.Contains(fields(t, res), "id") {
		t.Errorf("read-only field: %s", res)
	}

	point := "/api/v1/regions/33.74/service-points/loket-uji"
	res = e.do(t, request{method: "PUT", path: point, body: `{"name": "Loket Uji", "agency": "dinas-uji", "hours": "Senin–Jumat 08.00–15.00", "lat": -6.99, "lng": 110.42}`, token: e.semarang})
	want(t, res, http.StatusOK)
	var sp pendopo.ServicePoint
	res.decode(t, &sp)
	if sp.ID == 0 || sp.AgencySlug != "dinas-uji" || sp.Lat == nil || *sp.Lat != -6.99 {
		t.Errorf("point %+v", sp)
	}
	want(t, e.do(t, request{method: "PUT", path: point, body: `{"name": "Loket Uji 2"}`, token: e.semarang}), http.StatusOK)
	var points api.List[pendopo.ServicePoint]
	e.do(t, request{method: "GET", path: "/api/v1/regions/33.74/service-points"}).decode(t, &points)
	i := slices.IndexFunc(points.Items, func(p pendopo.ServicePoint) bool { return p.Slug == "loket-uji" })
	if i < 0 || points.Items[i].Name != "Loket Uji 2" || points.Items[i].Lat != nil {
		t.Errorf("points after update: %+v", points.Items)
	}
	for _, tt := range []struct{ body, field string }{
		{`{"name": "Loket", "agency": "tidak-ada"}`, "agency"},
		{`{"name": "Loket", "lat": 40, "lng": 110}`, "lat"},
		{`{"name": "Loket", "lat": -7}`, "lat"},
	} {
		res := e.do(t, request{method: "PUT", path: point, body: tt.body, token: e.semarang})
		if res.status != 422 || !slices.Contains(fields(t, res), tt.field) {
			t.Errorf("%s: %s", tt.body, res)
		}
	}
	want(t, e.do(t, request{method: "PUT", path: "/api/v1/regions/99.99/service-points/x", body: `{"name": "X"}`, token: e.national}), http.StatusNotFound)
}

// TestImportExport round-trips a bundle and refuses a bad one without
// changing anything.
func TestImportExport(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	res := e.do(t, request{method: "GET", path: "/api/v1/regions/33.74/export"})
	want(t, res, http.StatusOK)
	exported := string(res.body)
	var b pendopo.Bundle
	res.decode(t, &b)
	if !strings.Contains(exported, "\n  \"format\": \"pendopo.region/v1\"") {
		t.Errorf("export is not the indented bundle format: %.80s", exported)
	}

	imp := "/api/v1/regions/33.74/import"
	res = e.do(t, request{method: "POST", path: imp, body: exported, token: e.semarang})
	want(t, res, http.StatusOK)
	var counts app.ImportResult
	res.decode(t, &counts)
	if counts.Unchanged != len(b.Services) || counts.Created+counts.Updated != 0 || counts.Agencies != len(b.Agencies) {
		t.Errorf("re-import: %+v", counts)
	}

	// A bad bundle: an unknown agency in the last service, a fee that is
	// not valid in the second one, and a changed name in the first.
	bad := b
	bad.Services = slices.Clone(b.Services)
	bad.Services[0].Name = "Nama yang tidak boleh tersimpan"
	bad.Services[1].Standard.Fee.Amount = -5
	last := len(bad.Services) - 1
	bad.Services[last].AgencySlug = "tidak-ada"
	var text bytes.Buffer
	enc := json.NewEncoder(&text)
	enc.SetIndent("", "  ")
	enc.Encode(bad)
	res = e.do(t, request{method: "POST", path: imp, body: text.String(), token: e.semarang})
	want(t, res, http.StatusUnprocessableEntity)
	fs := res.errorBody(t).Fields
	if len(fs) == 0 {
		t.Fatalf("no field errors: %s", res)
	}
	lines := strings.Split(text.String(), "\n")
	for _, f := range fs {
		if f.Line < 1 || f.Line > len(lines) {
			t.Errorf("%s: line %d", f.Field, f.Line)
			continue
		}
		if key := f.Field[strings.LastIndexAny(f.Field, ".]")+1:]; key != "" && !strings.Contains(lines[f.Line-1], `"`+key+`"`) {
			t.Errorf("%s: line %d is %q", f.Field, f.Line, lines[f.Line-1])
		}
	}
	if !slices.ContainsFunc(fs, func(f api.FieldError) bool { return f.Field == "services[1].standard.fee.amount" }) {
		t.Errorf("fields %+v lack services[1].standard.fee.amount", fs)
	}
	// Fix the fee: the unknown agency is found on import, also with its line.
	bad.Services[1].Standard.Fee.Amount = 0
	text.Reset()
	enc.Encode(bad)
	res = e.do(t, request{method: "POST", path: imp, body: text.String(), token: e.semarang})
	want(t, res, http.StatusUnprocessableEntity)
	fs = res.errorBody(t).Fields
	wantField := fmt.Sprintf("services[%d].agency", last)
	if len(fs) != 1 || fs[0].Field != wantField || fs[0].Line == 0 || !strings.Contains(strings.Split(text.String(), "\n")[fs[0].Line-1], `"agency": "tidak-ada"`) {
		t.Errorf("reference error %+v, want %s with its line", fs, wantField)
	}
	res = e.do(t, request{method: "GET", path: "/api/v1/regions/33.74/export"})
	if string(res.body) != exported {
		t.Error("a failed import changed the region")
	}

	// Other refusals.
	for _, tt := range []struct {
		name   string
		rq     request
		status int
		field  string
	}{
		{"other region's bundle", request{path: "/api/v1/regions/33.72/import", body: exported, token: e.national}, 422, "region"},
		{"other region's token", request{path: imp, body: exported, token: e.solo}, 403, ""},
		{"syntax error", request{path: imp, body: "{\n  \"format\": \"pendopo.region/v1\",\n  \"region\" \"33.74\"\n}", token: e.semarang}, 400, "file"},
		{"unknown field", request{path: imp, body: "{\n  \"format\": \"pendopo.region/v1\",\n  \"region\": \"33.74\",\n  \"layanan\": []\n}", token: e.semarang}, 422, "layanan"},
		{"unknown region", request{path: "/api/v1/regions/99.99/import", body: exported, token: e.national}, 404, ""},
		{"bad draft flag", request{path: imp + "?draft=kadang", body: exported, token: e.semarang}, 400, "draft"},
		{"not json", request{path: imp, body: exported, ctype: "text/csv", token: e.semarang}, 415, ""},
		{"NUL character", request{path: imp, body: strings.Replace(exported, `"name": "`+b.Agencies[0].Name, `"name": "\u0000`+b.Agencies[0].Name, 1), token: e.semarang}, 422, "agencies[0].name"},
	} {
		rq := tt.rq
		rq.method = "POST"
		res := e.do(t, rq)
		if res.status != tt.status || tt.field != "" && !slices.Contains(fields(t, res), tt.field) {
			t.Errorf("%s: %s", tt.name, res)
		}
		if tt.field != "" && tt.field != "draft" {
			for _, f := range res.errorBody(t).Fields {
				if f.Line == 0 {
					t.Errorf("%s: %s without a line", tt.name, f.Field)
				}
			}
		}
	}

	// As drafts: the public keeps the old name until it is published.
	b.Services[0].Name = "Nama Baru Sebagai Draf"
	res = e.do(t, request{method: "POST", path: imp + "?draft=true", body: mustJSON(t, b), token: e.semarang})
	want(t, res, http.StatusOK)
	res.decode(t, &counts)
	if counts.Updated != 1 {
		t.Errorf("draft import: %+v", counts)
	}
	id := e.serviceID(t, "33.74", b.Services[0].Slug)
	var s api.ServiceDetail
	e.do(t, request{method: "GET", path: fmt.Sprintf("/api/v1/services/%d", id)}).decode(t, &s)
	if s.Name == "Nama Baru Sebagai Draf" || s.LatestVersion != s.Version+1 {
		t.Errorf("draft import is public: %q v%d/%d", s.Name, s.Version, s.LatestVersion)
	}
}

// TestExportLeavesOutDrafts checks that a service that was never
// published is exported only for its region's editors.
func TestExportLeavesOutDrafts(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	want(t, e.do(t, request{method: "POST", path: "/api/v1/regions/33.74/services", body: mustJSON(t, newService("draf-rahasia")), token: e.semarang}), http.StatusCreated)
	has := func(token string) bool {
		var b pendopo.Bundle
		res := e.do(t, request{method: "GET", path: "/api/v1/regions/33.74/export", token: token})
		want(t, res, http.StatusOK)
		res.decode(t, &b)
		return slices.ContainsFunc(b.Services, func(s pendopo.BundleService) bool { return s.Slug == "draf-rahasia" })
	}
	if has("") || has(e.solo) {
		t.Error("public export shows a never-published draft")
	}
	if !has(e.semarang) {
		t.Error("editor's export lacks the draft")
	}
}

// TestSynonyms reads and replaces the synonym rules.
func TestSynonyms(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	want(t, e.do(t, request{method: "GET", path: "/api/v1/synonyms"}), http.StatusUnauthorized)
	var s api.Synonyms
	res := e.do(t, request{method: "GET", path: "/api/v1/synonyms", token: e.semarang})
	want(t, res, http.StatusOK)
	res.decode(t, &s)
	if s.Rules != "" || s.Defaults == "" || res.header.Get("Cache-Control") != "no-store" {
		t.Errorf("synonyms %+v, Cache-Control %q", s, res.header.Get("Cache-Control"))
	}
	res = e.do(t, request{method: "PUT", path: "/api/v1/synonyms", body: `{"rules": "lumpia, loenpia"}`, token: e.national})
	want(t, res, http.StatusOK)
	res.decode(t, &s)
	if s.Rules != "lumpia, loenpia" {
		t.Errorf("after put: %+v", s)
	}
	res = e.do(t, request{method: "PUT", path: "/api/v1/synonyms", body: `{"rules": "ktp, kartu\nsendiri\n"}`, token: e.national})
	if f := res.errorBody(t).Fields; res.status != 422 || len(f) != 1 || f[0].Line != 2 {
		t.Errorf("bad rules: %s", res)
	}
}
