package web

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// cacheRig is a public cache in front of a handler that counts its calls
// and says which call made the page.
type cacheRig struct {
	c       *publicCache
	h       http.Handler
	calls   atomic.Int64
	clock   time.Time
	version atomic.Uint64
	mu      sync.Mutex
	// respond, when set, writes the response instead.
	respond func(w http.ResponseWriter, r *http.Request, n int64)
}

func newCacheRig(t *testing.T, maxBytes int) *cacheRig {
	t.Helper()
	g := &cacheRig{clock: time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC)}
	g.c = newPublicCache(4*time.Second, maxBytes, g.now, g.version.Load)
	g.h = g.c.handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := g.calls.Add(1)
		if g.respond != nil {
			g.respond(w, r, n)
			return
		}
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		io.WriteString(w, "page "+r.URL.RequestURI()+" call "+itoa(n))
	}), false)
	return g
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// idle reports whether no page is being made.
func (c *publicCache) idle() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.flight) == 0
}

// waiting is how many visitors wait for the page at path to be made.
func (c *publicCache) waiting(path string) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	for k, f := range c.flight {
		if strings.Contains(k, " "+path+"?") {
			return f.waiters
		}
	}
	return 0
}

func (g *cacheRig) now() time.Time {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.clock
}

func (g *cacheRig) advance(d time.Duration) {
	g.mu.Lock()
	g.clock = g.clock.Add(d)
	g.mu.Unlock()
}

func (g *cacheRig) get(t *testing.T, path string, header ...string) *httptest.ResponseRecorder {
	t.Helper()
	r := httptest.NewRequest(http.MethodGet, path, nil)
	for i := 0; i+1 < len(header); i += 2 {
		r.Header.Add(header[i], header[i+1])
	}
	w := httptest.NewRecorder()
	g.h.ServeHTTP(w, r)
	return w
}

func TestPublicCacheKeepsAndRetires(t *testing.T) {
	g := newCacheRig(t, 1<<20)
	first := g.get(t, "/a").Body.String()
	if got := g.get(t, "/a").Body.String(); got != first || g.calls.Load() != 1 {
		t.Fatalf("second visit: %q after %q, %d calls; want the kept page", got, first, g.calls.Load())
	}
	// Another query, a session, a token or an api_key are other pages.
	g.get(t, "/a?x=1")
	g.get(t, "/a", "Cookie", sessionCookie+"=secret")
	g.get(t, "/a", "Authorization", "Bearer x")
	g.get(t, "/a?api_key=k")
	if n := g.calls.Load(); n != 5 {
		t.Fatalf("%d calls, want 5: a different query, a session, a token and an api_key each reach the handler", n)
	}
	if got := g.get(t, "/a", "Cookie", sessionCookie+"=secret"); g.calls.Load() != 6 || got.Header().Get("ETag") != "" {
		t.Fatal("a signed-in visit was answered from the cache")
	}

	// A local write retires it at once.
	g.c.changed()
	if got := g.get(t, "/a").Body.String(); got == first {
		t.Fatal("a write did not retire the kept page")
	}
	// So does a change of the app's data version (another instance).
	before := g.calls.Load()
	g.version.Add(1)
	g.get(t, "/a")
	if g.calls.Load() != before+1 {
		t.Fatal("a new data version did not retire the kept page")
	}
	// And age by the app's clock: three quarters of the ttl refreshes it
	// in the background of one visit, the whole ttl makes it unusable.
	g.advance(2 * time.Second)
	g.get(t, "/a")
	if g.calls.Load() != before+1 {
		t.Fatal("a fresh page was made again")
	}
	g.advance(time.Second)
	g.get(t, "/a")
	waitFor(t, func() bool { return g.calls.Load() == before+2 && g.c.idle() })
	g.advance(-time.Second)
	g.get(t, "/a")
	if g.calls.Load() != before+3 {
		t.Fatal("a page from the future (the clock went back) was served")
	}
	g.advance(10 * time.Second)
	g.get(t, "/a")
	if g.calls.Load() != before+4 {
		t.Fatal("an expired page was served")
	}
}

func TestPublicCacheKeepsOnlyWhatIsEveryones(t *testing.T) {
	cases := []struct {
		name    string
		respond func(w http.ResponseWriter)
		keep    bool
	}{
		{"plain", func(w http.ResponseWriter) { io.WriteString(w, "x") }, true},
		{"public cache-control", func(w http.ResponseWriter) {
			w.Header().Set("Cache-Control", "public, max-age=60")
			io.WriteString(w, "x")
		}, true},
		{"private", func(w http.ResponseWriter) {
			w.Header().Set("Cache-Control", "private, no-cache")
			io.WriteString(w, "x")
		}, false},
		{"no-store", func(w http.ResponseWriter) { w.Header().Set("Cache-Control", "no-store"); io.WriteString(w, "x") }, false},
		{"not found", func(w http.ResponseWriter) { w.WriteHeader(http.StatusNotFound); io.WriteString(w, "x") }, false},
		{"redirect", func(w http.ResponseWriter) { w.Header().Set("Location", "/b"); w.WriteHeader(http.StatusSeeOther) }, false},
		{"another cookie", func(w http.ResponseWriter) {
			http.SetCookie(w, &http.Cookie{Name: "other", Value: "1"})
			io.WriteString(w, "x")
		}, false},
		{"the region cookie", func(w http.ResponseWriter) {
			http.SetCookie(w, &http.Cookie{Name: regionCookie, Value: "33.74"})
			io.WriteString(w, "x")
		}, true},
		{"too large gzipped", func(w http.ResponseWriter) { w.Write(noise(70 << 10)) }, false},
		{"too large to make", func(w http.ResponseWriter) { w.Write(bytes.Repeat([]byte("x"), 300<<10)) }, false},
		{"large but small gzipped", func(w http.ResponseWriter) { w.Write(bytes.Repeat([]byte("x"), 200<<10)) }, true},
		{"flushed", func(w http.ResponseWriter) { io.WriteString(w, "x"); w.(http.Flusher).Flush() }, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			g := newCacheRig(t, 1<<20)
			g.c.maxCapture = 256 << 10
			g.respond = func(w http.ResponseWriter, r *http.Request, n int64) { tc.respond(w) }
			a, b := g.get(t, "/a"), g.get(t, "/a")
			if kept := g.calls.Load() == 1; kept != tc.keep {
				t.Fatalf("kept %v, want %v", kept, tc.keep)
			}
			if a.Code != b.Code || a.Body.String() != b.Body.String() {
				t.Fatalf("second response %d %q differs from the first %d %q", b.Code, b.Body, a.Code, a.Body)
			}
			if b.Body.Len() != a.Body.Len() {
				t.Fatal("a response was cut")
			}
		})
	}
}

func TestPublicCacheEncodingsAndConditional(t *testing.T) {
	g := newCacheRig(t, 1<<20)
	page := strings.Repeat("Pelayanan publik yang mudah, cepat dan tepat. ", 100)
	g.respond = func(w http.ResponseWriter, r *http.Request, n int64) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		io.WriteString(w, page)
	}
	first := g.get(t, "/a") // made and sent plain
	if first.Body.String() != page {
		t.Fatal("the first response is not the page")
	}
	plain := g.get(t, "/a")
	if plain.Body.String() != page || plain.Header().Get("Content-Encoding") != "" || plain.Header().Get("Content-Length") != strconv.Itoa(len(page)) {
		t.Fatalf("plain: %d bytes, encoding %q, length %q", plain.Body.Len(), plain.Header().Get("Content-Encoding"), plain.Header().Get("Content-Length"))
	}
	gz := g.get(t, "/a", "Accept-Encoding", "gzip, deflate, br")
	if gz.Header().Get("Content-Encoding") != "gzip" || !strings.Contains(gz.Header().Get("Vary"), "Accept-Encoding") {
		t.Fatalf("gzip: headers %v", gz.Header())
	}
	zr, err := gzip.NewReader(gz.Body)
	if err != nil {
		t.Fatal(err)
	}
	if b, _ := io.ReadAll(zr); string(b) != page {
		t.Fatal("the gzipped page is not the page")
	}
	etag := plain.Header().Get("ETag")
	if etag == "" || etag != gz.Header().Get("ETag") {
		t.Fatalf("ETags %q and %q", etag, gz.Header().Get("ETag"))
	}
	nm := g.get(t, "/a", "If-None-Match", `"other", `+etag)
	if nm.Code != http.StatusNotModified || nm.Body.Len() != 0 {
		t.Fatalf("If-None-Match: %d with %d bytes, want 304", nm.Code, nm.Body.Len())
	}
	if g.get(t, "/a", "If-None-Match", `"other"`).Code != http.StatusOK {
		t.Fatal("another ETag got 304")
	}
	if g.calls.Load() != 1 {
		t.Fatalf("%d calls, want 1", g.calls.Load())
	}
}

// noise is n bytes that do not compress.
func noise(n int) []byte {
	b := make([]byte, n)
	x := uint32(7)
	for i := range b {
		x = x*1664525 + 1013904223
		b[i] = byte(x >> 24)
	}
	return b
}

// TestPublicCacheOneAssembles: many visitors at once to a page that is
// not kept make it once; while it is refreshed, the others get the kept
// one without waiting.
func TestPublicCacheOneAssembles(t *testing.T) {
	g := newCacheRig(t, 1<<20)
	release := make(chan struct{})
	started := make(chan struct{}, 100)
	g.respond = func(w http.ResponseWriter, r *http.Request, n int64) {
		started <- struct{}{}
		<-release
		io.WriteString(w, "page "+itoa(n))
	}
	const visitors = 20
	var wg sync.WaitGroup
	bodies := make([]string, visitors)
	for i := range visitors {
		wg.Go(func() { bodies[i] = g.get(t, "/a").Body.String() })
	}
	<-started
	// The others are waiting for the one; let it finish.
	waitFor(t, func() bool { return g.c.waiting("/a") == visitors-1 })
	close(release)
	wg.Wait()
	if n := g.calls.Load(); n != 1 {
		t.Fatalf("%d calls for %d visitors at once, want 1", n, visitors)
	}
	for _, b := range bodies {
		if b != "page 1" {
			t.Fatalf("a visitor got %q", b)
		}
	}

	// Three quarters of the ttl later, it is made again in the background
	// while every visitor gets the kept page at once.
	g.advance(3 * time.Second)
	release = make(chan struct{})
	for range 5 {
		if got := g.get(t, "/a").Body.String(); got != "page 1" {
			t.Fatalf("during the refresh a visitor got %q", got)
		}
	}
	<-started
	close(release)
	waitFor(t, g.c.idle)
	if got := g.get(t, "/a").Body.String(); got != "page 2" || g.calls.Load() != 2 {
		t.Fatalf("after the refresh: %q after %d calls", got, g.calls.Load())
	}
}

// waitFor polls cond, which another goroutine makes true, without sleeping
// for a fixed time.
func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second) // wallclock: a test's patience
	for !cond() {
		if time.Now().After(deadline) { // wallclock: a test's patience
			t.Fatal("gave up waiting")
		}
		time.Sleep(time.Millisecond)
	}
}

func TestPublicCacheBoundsMemory(t *testing.T) {
	g := newCacheRig(t, 64<<10)
	g.respond = func(w http.ResponseWriter, r *http.Request, n int64) {
		// Incompressible enough: every page its own bytes.
		b := make([]byte, 2000)
		for i := range b {
			b[i] = byte((int64(i)*7919 + n*104729) % 251)
		}
		w.Write(b)
	}
	for i := range 200 {
		g.get(t, "/p"+strconv.Itoa(i))
	}
	g.c.mu.Lock()
	defer g.c.mu.Unlock()
	if g.c.bytes > g.c.maxBytes || len(g.c.m) == 0 || len(g.c.m) >= 200 {
		t.Fatalf("%d pages in %d bytes, bound %d", len(g.c.m), g.c.bytes, g.c.maxBytes)
	}
	total := 0
	for k, e := range g.c.m {
		total += len(e.gz) + len(k) + 256
	}
	if total != g.c.bytes {
		t.Fatalf("counted %d bytes, kept %d", g.c.bytes, total)
	}
}

func TestPublicCacheVisitsCount(t *testing.T) {
	g := newCacheRig(t, 1<<20)
	var visits atomic.Int64
	g.respond = func(w http.ResponseWriter, r *http.Request, n int64) {
		onEveryVisit(w, func() { visits.Add(1) })
		io.WriteString(w, "x")
	}
	for range 3 {
		g.get(t, "/a")
	}
	g.get(t, "/a", "If-None-Match", "*")
	if g.calls.Load() != 1 || visits.Load() != 4 {
		t.Fatalf("%d calls, %d visits; want 1 and 4", g.calls.Load(), visits.Load())
	}
	// A refresh in the background is nobody's visit.
	g.advance(3 * time.Second)
	g.get(t, "/a")
	waitFor(t, func() bool { return g.calls.Load() == 2 && g.c.idle() })
	if visits.Load() != 5 {
		t.Fatalf("%d visits after a refresh, want 5", visits.Load())
	}
}

func TestPublicCacheFormKeyPerVisit(t *testing.T) {
	g := newCacheRig(t, 1<<20)
	g.respond = func(w http.ResponseWriter, r *http.Request, n int64) {
		io.WriteString(w, "<input name=key value="+formKey(w)+"> and again "+formKey(w))
	}
	seen := map[string]bool{}
	for range 3 {
		body := g.get(t, "/a").Body.String()
		if strings.Contains(body, keyMarker) {
			t.Fatal("the marker reached a visitor")
		}
		var k1, k2 string
		if _, err := fmt.Sscanf(body, "<input name=key value=%s and again %s", &k1, &k2); err != nil || len(k2) != 24 {
			t.Fatalf("%q: %v", body, err)
		}
		k1 = strings.TrimSuffix(k1, ">")
		if seen[k1] {
			t.Fatal("a key was given twice")
		}
		seen[k1] = true
	}
	if g.calls.Load() != 1 {
		t.Fatalf("%d calls, want the page kept", g.calls.Load())
	}
	// Not kept (a 422 here): the marker is replaced all the same.
	g2 := newCacheRig(t, 1<<20)
	g2.respond = func(w http.ResponseWriter, r *http.Request, n int64) {
		w.WriteHeader(http.StatusUnprocessableEntity)
		io.WriteString(w, formKey(w))
	}
	if body := g2.get(t, "/a").Body.String(); body == keyMarker || len(body) != 24 {
		t.Fatalf("an unkept form got %q", body)
	}
}

// TestSpliceGzip: a page spliced from deflated parts and keys unpacks,
// checksum and length included, to the parts with the keys between them.
func TestSpliceGzip(t *testing.T) {
	page := strings.Repeat("<p>Persyaratan: KTP-el, KK, surat pengantar RT/RW.</p>\n", 400)
	for _, n := range []int{1, 2, 3, 5} {
		var parts [][]byte
		for i := range n {
			parts = append(parts, []byte(page[i*len(page)/n:(i+1)*len(page)/n]))
		}
		parts = append(parts, []byte{}) // a key at the very end
		keys := make([][]byte, len(parts)-1)
		want := string(parts[0])
		for i := range keys {
			keys[i] = []byte(newKey())
			want += string(keys[i]) + string(parts[i+1])
		}
		zr, err := gzip.NewReader(bytes.NewReader(spliceGzip(parts, deflateParts(parts), keys)))
		if err != nil {
			t.Fatal(err)
		}
		got, err := io.ReadAll(zr)
		if err != nil || string(got) != want {
			t.Fatalf("%d parts: %v; %d bytes, want %d", n, err, len(got), len(want))
		}
	}
}
