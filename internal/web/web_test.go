package web_test

import (
	"compress/gzip"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/pendopo/pendopo"
	"github.com/pendopo/pendopo/internal/portaltest"
)

// serviceID finds the id of a demo service by region and slug.
func serviceID(t *testing.T, p *portaltest.Portal, region, slug string) int64 {
	t.Helper()
	s, err := p.App.Store().ServiceBySlug(context.Background(), region, slug)
	if err != nil {
		t.Fatal(err)
	}
	return s.ID
}

// TestPages opens every public page in both languages and checks status,
// some content, and that no message key is left untranslated.
func TestPages(t *testing.T) {
	p := portaltest.NewPortal(t)
	akta := serviceID(t, p, "33.74", "penerbitan-akta-kelahiran")
	pages := []struct {
		path   string
		status int
		want   []string // in Indonesian
		wantEN []string
	}{
		{"/", 200, []string{"Temukan cara mengurus", "Kota Semarang", "552"}, []string{"Find out how", "Compare across regions"}},
		{"/daerah", 200, []string{"Jawa Tengah", "Kota Surakarta", "Kabupaten Aceh Selatan", `<a href="#p-33">`, "Lompat ke provinsi"}, []string{"All regions"}},
		{"/daerah?q=semarang", 200, []string{"Kota Semarang", "Kabupaten Semarang"}, nil},
		{"/daerah/33.74", 200, []string{"Kota Semarang", "Kelahiran anak", "Dinas Kependudukan", "perlu ditinjau", "/daerah/33.74/tema.css"}, []string{"Having a baby", "Services by life event"}},
		{"/daerah/33", 200, []string{"Jawa Tengah", "Kabupaten dan kota", "Kota Surakarta"}, []string{"Regencies and cities"}},
		{"/daerah/33.01", 200, []string{"Kabupaten Cilacap", "belum menerbitkan"}, []string{"has not published"}},
		{"/daerah/33.74/layanan", 200, []string{"Semua layanan", "Penerbitan Akta Kelahiran"}, []string{"All services"}},
		{"/daerah/33.74/layanan?urut=durasi&hal=2", 200, []string{"Halaman 2 dari"}, []string{"Page 2 of"}},
		{"/daerah/33.74/kategori/kependudukan", 200, []string{"Administrasi kependudukan", "KTP-el"}, []string{"Civil registration"}},
		{"/daerah/33.74/peristiwa/kelahiran", 200, []string{"Kelahiran anak", "Akta Kelahiran"}, []string{"Having a baby"}},
		{"/daerah/33.74/opd", 200, []string{"Perangkat daerah", "Disdukcapil"}, []string{"Agencies"}},
		{"/daerah/33.74/opd/disdukcapil", 200, []string{"Dinas Kependudukan dan Pencatatan Sipil", "Penerbitan KTP-el Baru"}, nil},
		{"/daerah/33.74/unit-layanan", 200, []string{"Mal Pelayanan Publik", "geo:"}, []string{"Service points"}},
		{fmt.Sprintf("/layanan/%d", akta), 200, []string{"Penerbitan Akta Kelahiran", "Persyaratan", "Alur pelayanan", "Jangka waktu", "Biaya", "Gratis", "Terakhir diperbarui", "Dasar hukum", `type="checkbox"`, "Bandingkan"},
			[]string{"Requirements", "Steps", "Time to complete", "Free", "Last updated", "Legal basis"}},
		{fmt.Sprintf("/layanan/%d/riwayat", akta), 200, []string{"Riwayat perubahan", "berlaku"}, []string{"Change history", "current"}},
		{fmt.Sprintf("/layanan/%d/versi/1", akta), 200, []string{"versi lama"}, []string{"old version"}},
		{"/cari?q=bikin+ktp&daerah=33.74", 200, []string{"Penerbitan KTP-el Baru", "layanan ditemukan"}, []string{"services found"}},
		{"/cari?q=kelahrian", 200, []string{"kelahiran", "ejaan yang mirip"}, []string{"similar spellings"}},
		{"/cari?q=xyzzyqwerty", 200, []string{"Tidak ada layanan yang cocok"}, []string{"No service matches"}},
		{"/cari", 200, []string{"kata-kata sehari-hari"}, []string{"everyday words"}},
		{"/cari?q=" + strings.Repeat("ktp+", 300), 200, []string{"KTP-el"}, nil},
		{"/bandingkan", 200, []string{"Bandingkan layanan antardaerah", "Penerbitan KTP-el"}, []string{"Compare services across regions"}},
		{"/bandingkan/ktp-el", 200, []string{"Kota Semarang", "Kota Surakarta", "Kabupaten Semarang", `aria-sort="ascending"`}, []string{"Comparison", "working day"}},
		{"/bandingkan/ktp-el?urut=biaya&arah=turun", 200, []string{`aria-sort="descending"`}, nil},
		{"/tentang", 200, []string{"Pasal 21", "Persyaratan"}, []string{"Requirements"}},
		{"/masuk", 200, []string{"Masuk", `type="password"`, `autocomplete="current-password"`, `href="/daftar"`}, []string{"Sign in", "Forgot your password?"}},
		{"/daftar", 200, []string{"Daftar akun", `autocomplete="new-password"`, `href="/privasi"`}, []string{"Create an account"}},
		{"/konfirmasi?login=warga%40contoh.test&dikirim=1", 200, []string{"Kode konfirmasi sudah dikirim ke warga@contoh.test", `autocomplete="one-time-code"`, "Kirim kode baru"}, []string{"A confirmation code was sent"}},
		{"/lupa-sandi", 200, []string{"Lupa kata sandi"}, []string{"Forgot password"}},
		{"/atur-ulang-sandi?login=warga%40contoh.test", 200, []string{"Jika akun itu terdaftar"}, []string{"If that account exists"}},
		{"/privasi", 200, []string{"Pelindungan Data Pribadi", "argon2id"}, []string{"Personal Data Protection"}},
		{"/undangan/tidak-ada", 404, nil, nil},
		{"/daerah/99.99", 404, []string{"Halaman tidak ditemukan"}, []string{"Page not found"}},
		{"/daerah/abc", 404, nil, nil},
		{"/daerah/33.74/kategori/tidak-ada", 404, nil, nil},
		{"/daerah/33.74/peristiwa/tidak-ada", 404, nil, nil},
		{"/daerah/33.74/opd/tidak-ada", 404, nil, nil},
		{"/layanan/abc", 404, nil, nil},
		{"/layanan/0", 404, nil, nil},
		{"/layanan/99999999", 404, nil, nil},
		{"/layanan/99999999999999999999999", 404, nil, nil},
		{fmt.Sprintf("/layanan/%d/versi/999", akta), 404, nil, nil},
		{fmt.Sprintf("/layanan/%d/versi/x", akta), 404, nil, nil},
		{"/bandingkan/tidak-ada", 404, nil, nil},
		{"/cari?q=ktp&daerah=99.99", 404, nil, nil},
		{"/tidak/ada", 404, []string{"Kode kejadian"}, []string{"Reference"}},
	}
	for _, pg := range pages {
		for _, lang := range []string{"id", "en"} {
			path := pg.path
			if lang == "en" {
				path += map[bool]string{true: "&", false: "?"}[strings.Contains(path, "?")] + "lang=en"
			}
			res := p.Get(t, path)
			if res.StatusCode != pg.status {
				t.Errorf("%s: status %d, want %d", path, res.StatusCode, pg.status)
				continue
			}
			want := pg.want
			if lang == "en" {
				want = pg.wantEN
			}
			for _, w := range want {
				if !strings.Contains(res.Body, w) {
					t.Errorf("%s: missing %q", path, w)
				}
			}
			if i := strings.Index(res.Body, "⟦"); i >= 0 {
				t.Errorf("%s: untranslated message %s", path, res.Body[i:min(len(res.Body), i+40)])
			}
			if m := metaDescription.FindStringSubmatch(res.Body); m == nil || len(m[1]) < 30 {
				t.Errorf("%s: no meta description", path)
			}
			checkHTML(t, path, res)
		}
	}
}

var (
	inlineScript = regexp.MustCompile(`<script(?:\s[^>]*)?>\s*[^<\s]`)
	styleAttr    = regexp.MustCompile(`\sstyle=`)
	externalRef  = regexp.MustCompile(`(?:src|href)="(?:https?:)?//`)
)

// checkHTML applies rules every page must follow: a language, a title, a
// main landmark, the security headers, no inline script or style (the CSP
// forbids them) and no resource from another origin.
func checkHTML(t *testing.T, path string, res portaltest.Response) {
	t.Helper()
	b := res.Body
	if !strings.HasPrefix(b, "<!doctype html>") || !strings.Contains(b, `<html lang="`) || !strings.Contains(b, "<title>") || !strings.Contains(b, `<main id="isi"`) {
		t.Errorf("%s: not a complete page", path)
	}
	if inlineScript.MatchString(b) || styleAttr.MatchString(b) {
		t.Errorf("%s: inline script or style", path)
	}
	for _, m := range externalRef.FindAllString(b, -1) {
		// Links a person follows are fine; resources are not.
		if strings.HasPrefix(m, "src") {
			t.Errorf("%s: external resource %s", path, m)
		}
	}
	if !strings.Contains(b, `rel="stylesheet" href="/static/`) {
		t.Errorf("%s: stylesheet not served from /static", path)
	}
	for _, h := range []string{"Content-Security-Policy", "X-Content-Type-Options", "Referrer-Policy", "X-Request-Id"} {
		if res.Header.Get(h) == "" {
			t.Errorf("%s: header %s missing", path, h)
		}
	}
	if !strings.Contains(res.Header.Get("Content-Security-Policy"), "frame-ancestors 'none'") {
		t.Errorf("%s: CSP allows framing", path)
	}
	// Every form control has a label (by id) or is hidden.
	ids := regexp.MustCompile(`<(?:input|select|textarea)\s[^>]*id="([^"]+)"`).FindAllStringSubmatch(b, -1)
	for _, m := range ids {
		if !strings.Contains(b, `for="`+m[1]+`"`) {
			t.Errorf("%s: control #%s has no label", path, m[1])
		}
	}
	if n := regexp.MustCompile(`<input(?:\s[^>]*)?>`).FindAllString(b, -1); len(n) > 0 {
		for _, in := range n {
			if !strings.Contains(in, `type="hidden"`) && !strings.Contains(in, ` id="`) && !strings.Contains(in, "check-inline") {
				// Inputs inside a <label> need no id; the admin checkboxes are such.
				if !strings.Contains(in, `type="checkbox"`) && !strings.Contains(in, `type="radio"`) {
					t.Errorf("%s: input without id or label: %s", path, in)
				}
			}
		}
	}
}

func TestServicePageReviewFlag(t *testing.T) {
	p := portaltest.NewPortal(t)
	stale, _, err := p.App.Store().Services(context.Background(), pendopo.ServiceFilter{Region: "33.74", Sort: pendopo.SortUpdated})
	if err != nil {
		t.Fatal(err)
	}
	old := stale[0] // oldest first: a demo service reviewed in 2025
	res := p.Get(t, fmt.Sprintf("/layanan/%d", old.ID))
	if !strings.Contains(res.Body, "belum ditinjau lebih dari 12 bulan") {
		t.Errorf("stale service %s not flagged", old.Slug)
	}
	fresh := stale[len(stale)-1]
	if res := p.Get(t, fmt.Sprintf("/layanan/%d", fresh.ID)); strings.Contains(res.Body, "belum ditinjau lebih dari 12 bulan") {
		t.Errorf("fresh service %s flagged", fresh.Slug)
	}
}

func TestLanguageSwitch(t *testing.T) {
	p := portaltest.NewPortal(t)
	tests := []struct{ back, want string }{
		{"/daerah/33.74?x=1", "/daerah/33.74?x=1"},
		{"/cari?q=ktp&lang=id", "/cari?q=ktp"},
		{"//evil.example/", "/"},
		{"/\\evil.example", "/"},
		{"https://evil.example/", "/"},
		{"", "/"},
	}
	for _, tt := range tests {
		res := p.Get(t, "/bahasa/en?kembali="+url.QueryEscape(tt.back))
		if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != tt.want {
			t.Errorf("back %q: %d to %q, want %q", tt.back, res.StatusCode, res.Header.Get("Location"), tt.want)
		}
		c := res.Cookies()
		if len(c) != 1 || c[0].Value != "en" || !c[0].HttpOnly {
			t.Errorf("cookie: %+v", c)
		}
	}
	r := httptest.NewRequest("GET", "/", nil)
	r.AddCookie(&http.Cookie{Name: "bahasa", Value: "en"})
	if res := p.Do(t, r); !strings.Contains(res.Body, `<html lang="en"`) {
		t.Error("language cookie not applied")
	}
	if res := p.Get(t, "/bahasa/fr"); res.StatusCode != 404 {
		t.Errorf("unknown language: %d", res.StatusCode)
	}
}

func TestAssetsAndCompression(t *testing.T) {
	p := portaltest.NewPortal(t)
	home := p.Get(t, "/")
	css := regexp.MustCompile(`href="(/static/[0-9a-f]+/pendopo\.css)"`).FindStringSubmatch(home.Body)
	if css == nil {
		t.Fatal("no stylesheet link")
	}
	res := p.Get(t, css[1], "Accept-Encoding", "gzip")
	if res.StatusCode != 200 || !strings.Contains(res.Header.Get("Cache-Control"), "immutable") || res.Header.Get("Content-Encoding") != "gzip" {
		t.Errorf("asset: %d %v", res.StatusCode, res.Header)
	}
	if res := p.Get(t, "/static/000000000000/pendopo.css"); res.StatusCode != 404 {
		t.Errorf("wrong hash served: %d", res.StatusCode)
	}
	page := p.Get(t, "/daerah/33.74/layanan", "Accept-Encoding", "gzip")
	if page.Header.Get("Content-Encoding") != "gzip" {
		t.Fatal("HTML not compressed")
	}
	zr, err := gzip.NewReader(strings.NewReader(page.Body))
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(zr)
	if !strings.Contains(string(body), "Semua layanan") {
		t.Error("compressed page does not decode")
	}
	// Small pages for slow networks: a service page with its CSS and JS.
	svc := p.Get(t, fmt.Sprintf("/layanan/%d", serviceID(t, p, "33.74", "penerbitan-ktp-el")), "Accept-Encoding", "gzip")
	total := len(svc.Body)
	for _, m := range regexp.MustCompile(`(?:href|src)="(/static/[^"]+)"`).FindAllStringSubmatch(home.Body, -1) {
		total += len(p.Get(t, m[1], "Accept-Encoding", "gzip").Body)
	}
	if total > 30<<10 {
		t.Errorf("service page with assets is %d bytes compressed, want under 30 KB", total)
	}
	// A client that refuses gzip gets the cached page and the stylesheet as
	// they are; either way they vary by Accept-Encoding, once.
	svcPath := fmt.Sprintf("/layanan/%d", serviceID(t, p, "33.74", "penerbitan-ktp-el"))
	for _, path := range []string{svcPath, svcPath, css[1]} { // the second visit comes from the page cache
		for _, accept := range []string{"gzip;q=0", "br, GZIP;q=0.5", ""} {
			res := p.Get(t, path, "Accept-Encoding", accept)
			if gz := res.Header.Get("Content-Encoding") == "gzip"; gz != (accept == "br, GZIP;q=0.5") {
				t.Errorf("%s with Accept-Encoding %q: Content-Encoding %q", path, accept, res.Header.Get("Content-Encoding"))
			}
			if vary := res.Header.Values("Vary"); strings.Count(strings.Join(vary, ","), "Accept-Encoding") != 1 {
				t.Errorf("%s with Accept-Encoding %q: Vary %q", path, accept, vary)
			}
		}
	}
	logo := p.Get(t, "/daerah/33.74/logo")
	if logo.StatusCode != 200 || logo.Header.Get("Content-Type") != "image/svg+xml" || !strings.Contains(logo.Header.Get("Content-Security-Policy"), "sandbox") {
		t.Errorf("logo: %d %v", logo.StatusCode, logo.Header)
	}
	if res := p.Get(t, "/daerah/33.01/logo"); res.StatusCode != 404 {
		t.Errorf("missing logo: %d", res.StatusCode)
	}
	theme := p.Get(t, "/daerah/33.74/tema.css")
	if !regexp.MustCompile(`^:root\{--brand:#[0-9a-f]{6}\}`).MatchString(theme.Body) {
		t.Errorf("theme: %q", theme.Body)
	}
}

func TestSignIn(t *testing.T) {
	p := portaltest.NewPortal(t)
	if res := p.Get(t, "/admin/daerah/33.74"); res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/masuk?kembali=%2Fadmin%2Fdaerah%2F33.74" {
		t.Fatalf("anonymous admin page: %d %s", res.StatusCode, res.Header.Get("Location"))
	}
	if res := p.Get(t, "/admin/masuk?kembali=/admin/daerah/33.74"); res.StatusCode != http.StatusMovedPermanently || res.Header.Get("Location") != "/masuk?kembali=%2Fadmin%2Fdaerah%2F33.74" {
		t.Errorf("old sign-in address: %d %s", res.StatusCode, res.Header.Get("Location"))
	}
	bad := p.PostForm(t, "/masuk", url.Values{"login": {"admin@semarangkota.test"}, "password": {"salah sekali"}}, "")
	if bad.StatusCode != http.StatusUnauthorized || !strings.Contains(bad.Body, "salah") || strings.Contains(bad.Body, "salah sekali") {
		t.Errorf("wrong password: %d", bad.StatusCode)
	}
	if !strings.Contains(bad.Body, `value="admin@semarangkota.test"`) {
		t.Error("the login is not kept after a failed sign-in")
	}
	good := p.PostForm(t, "/masuk", url.Values{"login": {"admin@semarangkota.test"}, "password": {portaltest.Password}, "kembali": {"/admin/daerah/33.74"}}, "")
	if good.StatusCode != http.StatusSeeOther || good.Header.Get("Location") != "/admin/daerah/33.74" {
		t.Fatalf("sign in: %d %s", good.StatusCode, good.Header.Get("Location"))
	}
	c := good.Cookies()[0]
	if c.Name != portaltest.SessionCookie || !c.HttpOnly || c.SameSite != http.SameSiteLaxMode {
		t.Errorf("session cookie not protected: %+v", c)
	}
	if res := p.GetAs(t, "/admin/daerah/33.74", c.Value); res.StatusCode != 200 {
		t.Errorf("signed-in admin page: %d", res.StatusCode)
	}
	// An officer goes to the console, off-site return addresses are refused.
	if res := p.PostForm(t, "/masuk", url.Values{"login": {"admin@semarangkota.test"}, "password": {portaltest.Password}, "kembali": {"//evil.example/"}}, ""); res.Header.Get("Location") != "/admin" {
		t.Errorf("redirected to %s", res.Header.Get("Location"))
	}
	// Signing out ends the session on the server, not only in the browser.
	out := p.PostForm(t, "/keluar", nil, c.Value)
	if out.StatusCode != http.StatusSeeOther || out.Cookies()[0].MaxAge >= 0 {
		t.Errorf("sign out: %d %+v", out.StatusCode, out.Cookies())
	}
	if res := p.GetAs(t, "/admin/daerah/33.74", c.Value); res.StatusCode != http.StatusSeeOther {
		t.Errorf("session still works after signing out: %d", res.StatusCode)
	}
	// A cross-site form post is refused before it reaches the handler.
	r := httptest.NewRequest("POST", "/masuk", strings.NewReader("login=admin%40semarangkota.test&password="+portaltest.Password))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	r.Header.Set("Sec-Fetch-Site", "cross-site")
	if res := p.Do(t, r); res.StatusCode != http.StatusForbidden || len(res.Cookies()) != 0 {
		t.Errorf("cross-site post: %d", res.StatusCode)
	}
	// Guessing is stopped per account, with a clear message, and the
	// right password does not get through the lock either.
	var last portaltest.Response
	for range 6 {
		last = p.PostForm(t, "/masuk", url.Values{"login": {"nasional@pendopo.test"}, "password": {"tebak-tebakan"}}, "")
	}
	if last.StatusCode != http.StatusTooManyRequests || !strings.Contains(last.Body, "menit") {
		t.Errorf("after 6 wrong passwords: %d", last.StatusCode)
	}
	if res := p.PostForm(t, "/masuk", url.Values{"login": {"nasional@pendopo.test"}, "password": {portaltest.Password}}, ""); res.StatusCode != http.StatusTooManyRequests {
		t.Errorf("locked account signed in: %d", res.StatusCode)
	}
	// A citizen without a role is told the console is for officers.
	if _, err := p.App.AddUser(context.Background(), "Warga", "warga@contoh.test", portaltest.Password, nil); err != nil {
		t.Fatal(err)
	}
	cit := p.PostForm(t, "/masuk", url.Values{"login": {"warga@contoh.test"}, "password": {portaltest.Password}}, "")
	if cit.Header.Get("Location") != "/akun" {
		t.Errorf("citizen goes to %s", cit.Header.Get("Location"))
	}
	if res := p.GetAs(t, "/admin", cit.Cookies()[0].Value); res.StatusCode != http.StatusForbidden || !strings.Contains(res.Body, "untuk petugas") {
		t.Errorf("citizen on the console: %d", res.StatusCode)
	}
}

// TestAdminAuthorization opens every admin page as a region admin: its own
// region works, another region is refused.
func TestAdminAuthorization(t *testing.T) {
	p := portaltest.NewPortal(t)
	soloList, _, _ := p.App.Store().Services(context.Background(), pendopo.ServiceFilter{Region: "33.72"})
	solo := soloList[0].ID
	mine := serviceID(t, p, "33.74", "penerbitan-ktp-el")
	tests := []struct {
		path   string
		status int
	}{
		{"/admin", http.StatusSeeOther},
		{"/admin/daerah/33.74", 200},
		{"/admin/daerah/33.74/layanan/baru", 200},
		{fmt.Sprintf("/admin/layanan/%d", mine), 200},
		{"/admin/daerah/33.74/opd/baru", 200},
		{"/admin/daerah/33.74/opd/disdukcapil", 200},
		{"/admin/daerah/33.74/unit-layanan/baru", 200},
		{"/admin/daerah/33.74/unit-layanan/mpp", 200},
		{"/admin/daerah/33.72", 403},
		{"/admin/daerah/33.72/layanan/baru", 403},
		{fmt.Sprintf("/admin/layanan/%d", solo), 403},
		{"/admin/daerah/33.72/opd/disdukcapil", 403},
		{"/admin/daerah/33.72/unit-layanan/baru", 403},
		{"/admin/daerah/99.99", 404},
		{"/admin/layanan/abc", 404},
	}
	for _, tt := range tests {
		if res := p.GetAs(t, tt.path, p.RegionAdmin); res.StatusCode != tt.status {
			t.Errorf("%s: %d, want %d", tt.path, res.StatusCode, tt.status)
		}
	}
	posts := []string{
		fmt.Sprintf("/admin/layanan/%d", solo), fmt.Sprintf("/admin/layanan/%d/terbitkan", solo), fmt.Sprintf("/admin/layanan/%d/tinjau", solo),
		"/admin/daerah/33.72/profil", "/admin/daerah/33.72/opd/baru", "/admin/daerah/33.72/unit-layanan/baru", "/admin/sinonim",
	}
	for _, path := range posts {
		if res := p.PostForm(t, path, url.Values{"name": {"x"}, "rules": {"a, b"}}, p.RegionAdmin); res.StatusCode != 403 {
			t.Errorf("POST %s: %d, want 403", path, res.StatusCode)
		}
	}
	// National admins may open any region and the national pages.
	for _, path := range []string{"/admin", "/admin/daerah/33.72", "/admin/sinonim"} {
		if res := p.GetAs(t, path, p.Admin); res.StatusCode != 200 {
			t.Errorf("national %s: %d", path, res.StatusCode)
		}
	}
}

// serviceForm is the editor's form for a valid new service.
func serviceForm() url.Values {
	return url.Values{
		"name": {"Penerbitan Surat Keterangan Belum Menikah"}, "slug": {"sk-belum-menikah"}, "kind": {"sk-domisili"},
		"summary": {"Untuk syarat melamar kerja."}, "agency": {"disdukcapil"}, "category": {"administrasi-umum"},
		"life_events": {"mencari-kerja"}, "channels": {"offline", "online"}, "points": {"mpp"},
		"requirements": {"KTP-el\r\nKartu Keluarga\r\n\r\n"}, "procedure": {"Datang ke kelurahan\nTerima surat"},
		"duration_kind": {"days"}, "working_days": {"2"}, "fee_type": {"fixed"}, "fee_amount": {"Rp10.000"},
		"fee_legal_basis": {"Perda Retribusi"}, "product": {"Surat keterangan"}, "complaints": {"SP4N-LAPOR!"},
		"legal_basis": {"UU 23/2014"}, "note": {"Layanan baru"}, "aksi": {"terbit"},
	}
}

func TestAdminServiceEditor(t *testing.T) {
	p := portaltest.NewPortal(t)
	// Invalid input: field errors, kept values, nothing saved.
	f := serviceForm()
	f.Set("name", "")
	f.Set("working_days", "dua")
	f.Set("fee_type", "fixed")
	f.Set("fee_amount", "")
	res := p.PostForm(t, "/admin/daerah/33.74/layanan/baru", f, p.RegionAdmin)
	if res.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("invalid service: %d", res.StatusCode)
	}
	for _, want := range []string{`id="e-name"`, "Tulis jumlah hari kerja dengan angka", "sk-belum-menikah", "KTP-el\nKartu Keluarga", `role="alert"`} {
		if !strings.Contains(res.Body, want) {
			t.Errorf("invalid form: missing %q", want)
		}
	}
	if _, err := p.App.Store().ServiceBySlug(context.Background(), "33.74", "sk-belum-menikah"); pendopo.KindOf(err) != pendopo.KindNotFound {
		t.Error("invalid service was saved")
	}
	// Valid: published at once, shown publicly and searchable.
	res = p.PostForm(t, "/admin/daerah/33.74/layanan/baru", serviceForm(), p.RegionAdmin)
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("create: %d %s", res.StatusCode, res.Body[:min(300, len(res.Body))])
	}
	id := serviceID(t, p, "33.74", "sk-belum-menikah")
	pub := p.Get(t, fmt.Sprintf("/layanan/%d", id))
	if pub.StatusCode != 200 || !strings.Contains(pub.Body, "Rp10.000") || !strings.Contains(pub.Body, "2 hari kerja") {
		t.Errorf("published page: %d", pub.StatusCode)
	}
	if s := p.Get(t, "/cari?q=belum+menikah&daerah=33.74"); !strings.Contains(s.Body, "Surat Keterangan Belum Menikah") {
		t.Error("new service not searchable")
	}
	// A draft leaves the public page alone until it is published.
	f = serviceForm()
	f.Set("name", "Surat Keterangan Belum Pernah Menikah")
	f.Set("aksi", "draf")
	f.Set("base_version", "1")
	if res := p.PostForm(t, fmt.Sprintf("/admin/layanan/%d", id), f, p.RegionAdmin); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("draft: %d", res.StatusCode)
	}
	if pub := p.Get(t, fmt.Sprintf("/layanan/%d", id)); strings.Contains(pub.Body, "Belum Pernah Menikah") {
		t.Error("draft is public")
	}
	// An edit from a stale version is refused with a clear message.
	f.Set("base_version", "1")
	res = p.PostForm(t, fmt.Sprintf("/admin/layanan/%d", id), f, p.RegionAdmin)
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(res.Body, "sudah diubah orang lain") {
		t.Errorf("stale edit: %d", res.StatusCode)
	}
	if res := p.PostForm(t, fmt.Sprintf("/admin/layanan/%d/terbitkan", id), url.Values{"version": {"2"}}, p.RegionAdmin); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("publish: %d", res.StatusCode)
	}
	if pub := p.Get(t, fmt.Sprintf("/layanan/%d", id)); !strings.Contains(pub.Body, "Belum Pernah Menikah") {
		t.Error("published draft not public")
	}
	if res := p.PostForm(t, fmt.Sprintf("/admin/layanan/%d/tinjau", id), nil, p.RegionAdmin); res.StatusCode != http.StatusSeeOther {
		t.Errorf("review: %d", res.StatusCode)
	}
	hist := p.Get(t, fmt.Sprintf("/layanan/%d/riwayat", id))
	if !strings.Contains(hist.Body, "Layanan baru") {
		t.Error("change note not in public history")
	}
}

func TestAdminProfileAgencyPointSynonyms(t *testing.T) {
	p := portaltest.NewPortal(t)
	res := p.PostForm(t, "/admin/daerah/33.74/profil", url.Values{"name": {"Kota Semarang"}, "color": {"#ffff00"}, "tagline": {"Baru"}}, p.RegionAdmin)
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(res.Body, "terlalu terang") || !strings.Contains(res.Body, `value="Baru"`) {
		t.Errorf("light colour: %d", res.StatusCode)
	}
	res = p.PostForm(t, "/admin/daerah/33.74/profil", url.Values{"name": {"Kota Semarang"}, "color": {"#1e3a8a"}, "tagline": {"Kota Lumpia"}}, p.RegionAdmin)
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("profile: %d", res.StatusCode)
	}
	if home := p.Get(t, "/daerah/33.74"); !strings.Contains(home.Body, "Kota Lumpia") || !strings.Contains(home.Body, "tema.css?v=1e3a8a") {
		t.Error("profile change not shown")
	}
	// Agency: a taken slug and a bad email are field errors.
	res = p.PostForm(t, "/admin/daerah/33.74/opd/baru", url.Values{"slug": {"disdukcapil"}, "name": {"X"}}, p.RegionAdmin)
	if res.StatusCode != 422 || !strings.Contains(res.Body, "sudah dipakai") {
		t.Errorf("taken slug: %d", res.StatusCode)
	}
	res = p.PostForm(t, "/admin/daerah/33.74/opd/baru", url.Values{"slug": {"dinas-baru"}, "name": {"Dinas Baru"}, "email": {"bukan email"}}, p.RegionAdmin)
	if res.StatusCode != 422 || !strings.Contains(res.Body, "Alamat email tidak valid") {
		t.Errorf("bad email: %d", res.StatusCode)
	}
	if res := p.PostForm(t, "/admin/daerah/33.74/opd/baru", url.Values{"slug": {"dinas-baru"}, "name": {"Dinas Baru"}}, p.RegionAdmin); res.StatusCode != 303 {
		t.Errorf("new agency: %d", res.StatusCode)
	}
	// Service point with coordinates outside Indonesia.
	res = p.PostForm(t, "/admin/daerah/33.74/unit-layanan/baru", url.Values{"slug": {"kantor-baru"}, "name": {"Kantor"}, "lat": {"51.5"}, "lng": {"-0.1"}}, p.RegionAdmin)
	if res.StatusCode != 422 || !strings.Contains(res.Body, "wilayah Indonesia") {
		t.Errorf("foreign coordinates: %d", res.StatusCode)
	}
	if res := p.PostForm(t, "/admin/daerah/33.74/unit-layanan/baru", url.Values{"slug": {"kantor-baru"}, "name": {"Kantor"}, "lat": {"-6,99"}, "lng": {"110.42"}}, p.RegionAdmin); res.StatusCode != 303 {
		t.Errorf("new point: %d", res.StatusCode)
	}
	// Synonyms: errors name the line; saved rules change search at once.
	res = p.PostForm(t, "/admin/sinonim", url.Values{"rules": {"lumpia, makanan khas\nsendirian"}}, p.Admin)
	if res.StatusCode != 422 || !strings.Contains(res.Body, "Baris 2") {
		t.Errorf("bad synonyms: %d", res.StatusCode)
	}
	if res := p.PostForm(t, "/admin/sinonim", url.Values{"rules": {"keur, surat keterangan sehat"}}, p.Admin); res.StatusCode != 303 {
		t.Fatalf("synonyms: %d", res.StatusCode)
	}
	if res := p.Get(t, "/cari?q=keur&daerah=33.74"); !strings.Contains(res.Body, "Surat Keterangan Sehat") {
		t.Error("admin synonym not applied to search")
	}
}

// TestTemplatesUsed fails when a template is never rendered by these
// tests: it is dead code. (Unused message keys: TestCatalogs at the root.)
// metaDescription finds a page's description for search engines.
var metaDescription = regexp.MustCompile(`<meta name="description" content="([^"]*)">`)

func TestTemplatesUsed(t *testing.T) {
	entries, err := os.ReadDir("../../ui/templates")
	if err != nil {
		t.Fatal(err)
	}
	var src strings.Builder
	for _, e := range entries {
		b, _ := os.ReadFile("../../ui/templates/" + e.Name())
		src.Write(b)
	}
	goFiles, _ := os.ReadDir(".")
	for _, e := range goFiles {
		if strings.HasSuffix(e.Name(), ".go") && !strings.HasSuffix(e.Name(), "_test.go") {
			b, _ := os.ReadFile(e.Name())
			src.Write(b)
		}
	}
	all := src.String()
	// Every page template is rendered by some handler, and every partial
	// is called from a template.
	for _, e := range entries {
		name := strings.TrimSuffix(e.Name(), ".html")
		if name == "layout" || name == "partials" {
			continue
		}
		if !regexp.MustCompile(`(render\(w, r, [^,]+, |shareContent\()"` + name + `"`).MatchString(all) {
			t.Errorf("template %s.html is never rendered", name)
		}
	}
	for _, m := range regexp.MustCompile(`\{\{define "([^"]+)"\}\}`).FindAllStringSubmatch(all, -1) {
		if m[1] != "content" && !strings.Contains(all, `{{template "`+m[1]+`"`) && !strings.Contains(all, `{{- template "`+m[1]+`"`) {
			t.Errorf("partial %q is never used", m[1])
		}
	}
}
