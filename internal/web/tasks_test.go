package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/pendopo/pendopo"
	"github.com/pendopo/pendopo/internal/portaltest"
)

// The landing page leads with what people come to do. A first visit
// offers the most needed services nationally and the tasks; once a region
// has been opened, a cookie brings its most-used services, its report
// form and its life events to the top, and its name is chosen in the
// search box. Statistics come after.
func TestTaskFirstLanding(t *testing.T) {
	p := portaltest.NewPortal(t)
	first := p.Get(t, "/")
	for _, want := range []string{`href="/lacak"`, "Lacak permohonan atau laporan", "Yang bisa Anda lakukan", "Layanan yang paling sering diurus",
		`href="/bandingkan/ktp-el"`} {
		if !strings.Contains(first.Body, want) {
			t.Errorf("first visit: no %q", want)
		}
	}
	if strings.Contains(first.Body, `id="h-mine"`) {
		t.Error("a first visit shows a remembered region")
	}
	if i, j := strings.Index(first.Body, `id="h-do"`), strings.Index(first.Body, `id="h-stats"`); i < 0 || j < i {
		t.Errorf("the statistics (at %d) come before the tasks (at %d)", j, i)
	}

	// Opening a region with services remembers it; one without does not.
	res := p.Get(t, "/daerah/33.74")
	var remembered *http.Cookie
	for _, c := range res.Cookies() {
		if c.Name == "daerah" {
			remembered = c
		}
	}
	if remembered == nil || remembered.Value != "33.74" || !remembered.HttpOnly || remembered.SameSite != http.SameSiteLaxMode {
		t.Fatalf("region page: cookie %+v, want daerah=33.74, HttpOnly, SameSite=Lax", remembered)
	}
	again := p.Do(t, withCookie(httptestGet("/daerah/33.74"), "daerah", "33.74"))
	if again.Header.Get("Set-Cookie") != "" {
		t.Errorf("the cookie is set again although it holds the region: %q", again.Header.Get("Set-Cookie"))
	}
	if empty := p.Get(t, "/daerah/33.01"); strings.Contains(empty.Header.Get("Set-Cookie"), "daerah=") {
		t.Error("a region without services is remembered")
	}

	home := p.Do(t, withCookie(httptestGet("/"), "daerah", "33.74"))
	for _, want := range []string{`id="h-mine"`, "Layanan di Kota Semarang", `href="/daerah/33.74/lapor"`, `href="/daerah/33.74/peristiwa/kelahiran"`,
		`<option value="33.74" selected>`, "Penerbitan KTP-el"} {
		if !strings.Contains(home.Body, want) {
			t.Errorf("remembered region: no %q", want)
		}
	}
	if i, j := strings.Index(home.Body, `id="h-mine"`), strings.Index(home.Body, `id="h-do"`); i < 0 || j < i {
		t.Error("the remembered region does not lead the page")
	}
	// In English, the note that official content is Indonesian comes with
	// the region's services, not on the bare landing page.
	const note = "Official service information is written in Indonesian."
	if en := p.Get(t, "/?lang=en"); strings.Contains(en.Body, note) {
		t.Error("the landing page without a region says its content is Indonesian")
	}
	if en := p.Do(t, withCookie(httptestGet("/?lang=en"), "daerah", "33.74")); strings.Count(en.Body, note) != 1 {
		t.Error("the landing page with a region's services does not say once that they are in Indonesian")
	}
	// A forged or stale cookie is ignored, never an error.
	for _, v := range []string{"99.99", "<script>", "33.01", strings.Repeat("3", 300)} {
		res := p.Do(t, withCookie(httptestGet("/"), "daerah", v))
		if res.StatusCode != 200 || strings.Contains(res.Body, `id="h-mine"`) {
			t.Errorf("cookie %q: status %d, remembered %v", v, res.StatusCode, strings.Contains(res.Body, `id="h-mine"`))
		}
	}
}

// The region page leads with its most-used services and the tasks; the
// long lists follow.
func TestTaskFirstRegion(t *testing.T) {
	p := portaltest.NewPortal(t)
	body := p.Get(t, "/daerah/33.74").Body
	order := []string{`id="h-popular"`, `id="h-do"`, `id="h-events"`, `id="h-agencies"`}
	at := -1
	for _, id := range order {
		i := strings.Index(body, id)
		if i < at {
			t.Errorf("%s is out of order (at %d, after %d)", id, i, at)
		}
		at = i
	}
	for _, want := range []string{"Layanan yang paling sering diurus", `href="/lacak"`, `href="/daerah/33.74/lapor"`, "Lihat semua 55 layanan"} {
		if !strings.Contains(body, want) {
			t.Errorf("region page: no %q", want)
		}
	}
}

// Tracking: a report's number opens the report; any other valid number
// the application page (which asks its applicant to sign in); a typo is
// told, with the field marked, and nothing is looked up.
func TestTrackByNumber(t *testing.T) {
	p := portaltest.NewPortal(t)
	if res := p.Get(t, "/lacak"); res.StatusCode != 200 || !strings.Contains(res.Body, `name="nomor"`) {
		t.Fatalf("track form: %d", res.StatusCode)
	}
	form := url.Values{"kind": {"pengaduan"}, "category": {"penerangan-jalan"}, "title": {"Lampu jalan mati"},
		"description": {"Tiga lampu jalan di depan SD Pandanaran mati sejak seminggu."}, "privacy": {"publik"}, "contact": {"warga@contoh.id"}, "address": {"Jalan Pandanaran 10, Semarang"}}
	res := p.PostMultipart(t, "/daerah/33.74/lapor", form, nil, "")
	loc := res.Header.Get("Location")
	number, _, _ := strings.Cut(strings.TrimPrefix(loc, "/laporan/"), "?")
	if res.StatusCode != http.StatusSeeOther || number == "" {
		t.Fatalf("report: %d %s %s", res.StatusCode, loc, res.Body)
	}
	cases := []struct {
		typed, to string
		status    int
	}{
		{strings.ToLower(number), "/laporan/" + number, http.StatusSeeOther},
		{" " + strings.ReplaceAll(number, "-", " ") + " ", "/laporan/" + number, http.StatusSeeOther},
	}
	app := pendopo.NewTrackingNumber("33.74", p.App.Now())
	cases = append(cases, struct {
		typed, to string
		status    int
	}{app, "/permohonan/" + app, http.StatusSeeOther})
	for _, c := range cases {
		res := p.Get(t, "/lacak?nomor="+url.QueryEscape(c.typed))
		if res.StatusCode != c.status || res.Header.Get("Location") != c.to {
			t.Errorf("%q: %d → %q, want %d → %q", c.typed, res.StatusCode, res.Header.Get("Location"), c.status, c.to)
		}
	}
	// A wrong check character: any other than the number's own.
	wrong := app[:len(app)-1] + map[bool]string{true: "Y", false: "Z"}[strings.HasSuffix(app, "Z")]
	for typed, want := range map[string]string{"12345": "ditulis seperti", wrong: "tidak ada"} {
		res := p.Get(t, "/lacak?nomor="+url.QueryEscape(typed))
		if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(res.Body, want) || !strings.Contains(res.Body, `aria-invalid="true"`) {
			t.Errorf("%q: %d, want 422 with %q and the field marked", typed, res.StatusCode, want)
		}
	}
}

func httptestGet(path string) *http.Request {
	r, _ := http.NewRequest(http.MethodGet, path, nil)
	r.RequestURI = path
	return r
}

func withCookie(r *http.Request, name, value string) *http.Request {
	r.AddCookie(&http.Cookie{Name: name, Value: value})
	return r
}

// A region's services in name order are shown at once: grouped by category,
// with the groups to jump to, and a filter that works without script.
func TestServicesIndex(t *testing.T) {
	p := portaltest.NewPortal(t)
	body := p.Get(t, "/daerah/33.74/layanan").Body
	for _, want := range []string{`<nav class="jump"`, `href="#kel-kependudukan"`, `<h2 id="kel-kependudukan">Administrasi kependudukan</h2>`, `name="saring"`, "Penerbitan Akta Kelahiran"} {
		if !strings.Contains(body, want) {
			t.Errorf("index: no %q", want)
		}
	}
	if strings.Contains(body, `rel="next"`) {
		t.Error("the index is paged")
	}
	res := p.Get(t, "/daerah/33.74/layanan?saring=AKTA+lahir")
	if !strings.Contains(res.Body, "Penerbitan Akta Kelahiran") || strings.Contains(res.Body, "KTP-el") || !strings.Contains(res.Body, "dengan kata") {
		t.Errorf("filter akta lahir: %d", res.StatusCode)
	}
	if res := p.Get(t, "/daerah/33.74/layanan?saring=%3Cscript%3Exyz"); res.StatusCode != 200 || strings.Contains(res.Body, "<script>xyz") || !strings.Contains(res.Body, "Tidak ada layanan dengan kata") {
		t.Errorf("filter with no match: %d", res.StatusCode)
	}
	// Other orders stay paged cards.
	if body := p.Get(t, "/daerah/33.74/layanan?urut=durasi").Body; strings.Contains(body, `<nav class="jump"`) || !strings.Contains(body, `class="cards"`) {
		t.Error("the order by duration is an index")
	}
}

// Public pages may be indexed (Lighthouse's SEO audit fails a page that
// says noindex); pages that are someone's, or search results, are not.
func TestIndexablePages(t *testing.T) {
	p := portaltest.NewPortal(t)
	for path, noindex := range map[string]bool{
		"/masuk": false, "/daftar": false, "/lupa-sandi": false, "/daerah/33.74/survei": false, "/lacak": false,
		"/masuk?login=warga%40pendopo.test": true, "/masuk?kembali=/permohonan": true, "/daerah/33.74/survei?unit=mpp": true,
		"/cari?q=ktp": true, "/lacak?nomor=12345": true, "/laporan/kunci": true,
	} {
		res := p.Get(t, path)
		if got := strings.Contains(res.Body, `content="noindex`); got != noindex {
			t.Errorf("%s: noindex %v, want %v", path, got, noindex)
		}
	}
}

// Tracking look-ups are limited per address, so that report numbers
// cannot be probed in bulk; other addresses are not held back.
func TestTrackLimited(t *testing.T) {
	p := portaltest.NewPortal(t)
	number := pendopo.NewTrackingNumber("33.74", p.App.Now())
	get := func(ip string) int {
		r := httptestGet("/lacak?nomor=" + url.QueryEscape(number))
		r.RemoteAddr = ip + ":1234"
		return p.Do(t, r).StatusCode
	}
	for i := range 30 {
		if code := get("198.51.100.7"); code != http.StatusSeeOther {
			t.Fatalf("look-up %d: %d", i+1, code)
		}
	}
	if code := get("198.51.100.7"); code != http.StatusTooManyRequests {
		t.Errorf("look-up 31 from one address: %d, want 429", code)
	}
	if code := get("198.51.100.8"); code != http.StatusSeeOther {
		t.Errorf("another address: %d", code)
	}
	// A long filter is cut to what the form allows, never an error.
	if res := p.Get(t, "/daerah/33.74/layanan?saring="+strings.Repeat("akta+", 500)); res.StatusCode != 200 || strings.Count(res.Body, "akta akta akta akta akta akta akta akta akta akta akta akta akta akta akta akta akta") > 0 {
		t.Errorf("a long filter: %d", res.StatusCode)
	}
}
