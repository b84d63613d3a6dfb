package web_test

import (
	"compress/gzip"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pendopo/pendopo"
	"github.com/pendopo/pendopo/internal/app"
	"github.com/pendopo/pendopo/internal/apptest"
	"github.com/pendopo/pendopo/internal/pendopotest"
	"github.com/pendopo/pendopo/internal/portaltest"
	"github.com/pendopo/pendopo/internal/store"
	"github.com/pendopo/pendopo/internal/web"
)

// movingClock is an app clock that a test moves forward.
type movingClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *movingClock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *movingClock) advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// twoHandles opens one database twice, as two instances sharing it would,
// on the backend the tests run on.
func twoHandles(t *testing.T) (*store.DB, *store.DB) {
	t.Helper()
	url, dir := "", t.TempDir()
	if os.Getenv(pendopotest.EnvBackend) == "postgres" {
		url = pendopotest.PostgresURL(t)
	}
	var dbs [2]*store.DB
	for i := range dbs {
		db, err := store.Open(context.Background(), url, dir)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		dbs[i] = db
	}
	return dbs[0], dbs[1]
}

func getWith(t *testing.T, p *portaltest.Portal, path string, cookies ...*http.Cookie) portaltest.Response {
	t.Helper()
	r := httptest.NewRequest(http.MethodGet, path, nil)
	for _, c := range cookies {
		r.AddCookie(c)
	}
	return p.Do(t, r)
}

// TestPublicCachePages: the pages kept for anonymous visitors never reach
// a signed-in person, or the other way round; they differ by language
// and by remembered region where the page does; a change made here shows
// at once, and one made elsewhere within the sync interval.
func TestPublicCachePages(t *testing.T) {
	clock := &movingClock{t: portaltest.Now}
	here, there := twoHandles(t)
	p := portaltest.NewPortal(t, func(c *app.Config) { c.Now = clock.now; c.Store = here })
	ctx := context.Background()

	// Signed in and anonymous, in both orders.
	p.Get(t, "/daerah/33.74")
	if anon := p.Get(t, "/daerah/33.74"); anon.Header.Get("ETag") == "" {
		t.Fatal("the second anonymous visit was not kept")
	}
	signed := p.GetAs(t, "/daerah/33.74", p.RegionAdmin)
	if !strings.Contains(signed.Body, `action="/keluar"`) || signed.Header.Get("ETag") != "" {
		t.Fatal("a signed-in person got the anonymous page")
	}
	if strings.Contains(signed.Header.Get("Cache-Control"), "public") {
		t.Fatalf("a signed-in page is %q", signed.Header.Get("Cache-Control"))
	}
	if again := p.Get(t, "/daerah/33.74"); strings.Contains(again.Body, `action="/keluar"`) {
		t.Fatal("an anonymous visitor got a signed-in person's page")
	}

	// Language: by query and by cookie.
	if en := getWith(t, p, "/daerah/33.74", &http.Cookie{Name: "bahasa", Value: "en"}); !strings.Contains(en.Body, `<html lang="en"`) {
		t.Fatal("the English visitor got the Indonesian page")
	}
	if id := p.Get(t, "/daerah/33.74"); !strings.Contains(id.Body, `<html lang="id"`) {
		t.Fatal("the Indonesian visitor got the English page")
	}

	// The remembered region: the landing page leads with it, and the
	// region page sets it only for those who do not have it.
	mine := &http.Cookie{Name: "daerah", Value: "33.74"}
	for range 2 {
		if home := getWith(t, p, "/", mine); !strings.Contains(home.Body, "Layanan di Kota Semarang") {
			t.Fatal("the landing page does not lead with the remembered region")
		}
		if home := p.Get(t, "/"); strings.Contains(home.Body, "Layanan di Kota Semarang") {
			t.Fatal("a first visit got someone else's remembered region")
		}
		if reg := p.Get(t, "/daerah/33.74"); !strings.Contains(reg.Header.Get("Set-Cookie"), "daerah=33.74") {
			t.Fatal("a kept region page does not remember the region")
		}
		if reg := getWith(t, p, "/daerah/33.74", mine); reg.Header.Get("Set-Cookie") != "" {
			t.Fatalf("a visitor who has the region got Set-Cookie %q", reg.Header.Get("Set-Cookie"))
		}
	}

	// A change made here, through the console: at once.
	branding := p.Get(t, "/daerah/33.74/branding")
	p.Get(t, "/daerah/33.74/branding")
	if strings.Contains(branding.Body, "Kuliner Malam") {
		t.Fatal("the sector is there before it was made")
	}
	res := p.PostForm(t, "/admin/daerah/33.74/branding/sektor/baru", url.Values{"slug": {"kuliner"}, "name": {"Kuliner Malam"}, "position": {"5"}}, p.RegionAdmin)
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("saving a sector: %d", res.StatusCode)
	}
	if b := p.Get(t, "/daerah/33.74/branding"); !strings.Contains(b.Body, "Kuliner Malam") {
		t.Fatal("a change made on this instance did not show at once")
	}

	// A change made on another instance sharing the database: at this
	// instance's next sync, with no time passing. (PostgreSQL publishes
	// the row counts that tell a moment after the commit: sync until then.)
	cfg, _ := apptest.Config(there, portaltest.Now)
	cfg.Now = clock.now
	other, err := app.New(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := other.SaveSector(ctx, pendopo.System, pendopo.Sector{Region: "33.74", Slug: "bahari", Name: "Wisata Bahari", Position: 6}); err != nil {
		t.Fatal(err)
	}
	if b := p.Get(t, "/daerah/33.74/branding"); strings.Contains(b.Body, "Wisata Bahari") {
		t.Fatal("a change made elsewhere showed before this instance synced: the page was not kept")
	}
	deadline := time.Now().Add(15 * time.Second) // wallclock: how long PostgreSQL may take to publish row counts
	for {
		if err := p.App.Sync(ctx); err != nil {
			t.Fatal(err)
		}
		if b := p.Get(t, "/daerah/33.74/branding"); strings.Contains(b.Body, "Wisata Bahari") {
			break
		}
		if time.Now().After(deadline) { // wallclock: see above
			t.Fatal("a change made on another instance did not show after a sync")
		}
		time.Sleep(10 * time.Millisecond)
	}
	// Without a sync, a kept page is served until it is a public ttl old
	// (so that what it shows of the time is never older), then made again.
	if _, err := other.SaveSector(ctx, pendopo.System, pendopo.Sector{Region: "33.74", Slug: "pantai", Name: "Wisata Pantai", Position: 7}); err != nil {
		t.Fatal(err)
	}
	clock.advance(web.DefaultPublicTTL - time.Second)
	if b := p.Get(t, "/daerah/33.74/branding"); strings.Contains(b.Body, "Wisata Pantai") {
		t.Fatal("the kept page was made again before its ttl")
	}
	clock.advance(time.Second)
	if b := p.Get(t, "/daerah/33.74/branding"); !strings.Contains(b.Body, "Wisata Pantai") {
		t.Fatal("a kept page was served past its ttl")
	}

	// A browser that has the page is told so.
	kept := p.Get(t, "/daerah/33.74/branding")
	if nm := p.Get(t, "/daerah/33.74/branding", "If-None-Match", kept.Header.Get("ETag")); nm.StatusCode != http.StatusNotModified || nm.Body != "" {
		t.Fatalf("conditional request: %d", nm.StatusCode)
	}
}

// TestPublicCacheAPI: public lists of the API and Open311 are kept for
// callers without a token, and a write through the API shows at once.
func TestPublicCacheAPI(t *testing.T) {
	p := portaltest.NewPortal(t)
	path := "/api/v1/regions/33.74/agencies"
	p.Get(t, path)
	if p.Get(t, path).Header.Get("ETag") == "" {
		t.Fatal("the public list was not kept")
	}
	if p.Get(t, path, "Authorization", "Bearer "+p.RegionToken).Header.Get("ETag") != "" {
		t.Fatal("a caller with a token was answered from the cache")
	}
	r := httptest.NewRequest(http.MethodPut, "/api/v1/regions/33.74/agencies/dinas-baru", strings.NewReader(`{"name":"Dinas Baru Sekali","short_name":"DBS"}`))
	r.Header.Set("Authorization", "Bearer "+p.RegionToken)
	r.Header.Set("Content-Type", "application/json")
	if res := p.Do(t, r); res.StatusCode >= 300 {
		t.Fatalf("put agency: %d %s", res.StatusCode, res.Body)
	}
	if got := p.Get(t, path); !strings.Contains(got.Body, "Dinas Baru Sekali") {
		t.Fatal("an agency made through the API does not show in the kept list")
	}
	o := "/open311/v2/services.json?jurisdiction_id=33.74"
	p.Get(t, o)
	if p.Get(t, o).Header.Get("ETag") == "" {
		t.Fatal("Open311's public list was not kept")
	}
}

var formKeyRE = regexp.MustCompile(`name="key" value="([0-9a-f]+)"`)

// TestPublicCacheFormKeys: the report form is kept, but every visitor
// gets a one-time key of their own, so that two people's reports are
// never taken for one sent twice.
func TestPublicCacheFormKeys(t *testing.T) {
	p := portaltest.NewPortal(t)
	seen := map[string]bool{}
	for i := range 4 {
		res := p.Get(t, "/daerah/33.74/lapor", "Accept-Encoding", map[bool]string{true: "gzip", false: ""}[i%2 == 0])
		body := res.Body
		if res.Header.Get("Content-Encoding") == "gzip" {
			zr, err := gzip.NewReader(strings.NewReader(res.Body))
			if err != nil {
				t.Fatal(err)
			}
			b, err := io.ReadAll(zr)
			if err != nil {
				t.Fatalf("visit %d: the gzipped form: %v", i, err)
			}
			body = string(b)
		}
		m := formKeyRE.FindStringSubmatch(body)
		if res.StatusCode != 200 || m == nil || !strings.HasSuffix(strings.TrimSpace(body), "</html>") {
			t.Fatalf("visit %d: %d, key %v", i, res.StatusCode, m)
		}
		if seen[m[1]] {
			t.Fatalf("visit %d got a key another visit had", i)
		}
		seen[m[1]] = true
		if res.Header.Get("ETag") != "" {
			t.Fatal("a page with a one-time key has an ETag")
		}
	}
}

// TestAbandonedRequest: a visitor who leaves before the page is made is no
// server error (it was logged as one, and counted as a 500).
func TestAbandonedRequest(t *testing.T) {
	p := portaltest.NewPortal(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	r := httptest.NewRequest(http.MethodGet, "/daerah/33.74/layanan?urut=durasi", nil).WithContext(ctx)
	if res := p.Do(t, r); res.StatusCode != 499 {
		t.Fatalf("abandoned request: %d, want 499", res.StatusCode)
	}
}
