package httpx

import (
	"compress/gzip"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/pendopo/pendopo"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"
)

func quiet() Options {
	return Options{Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), CSP: "default-src 'self'"}
}

func TestStatus(t *testing.T) {
	for kind, want := range map[pendopo.ErrorKind]int{
		pendopo.KindInvalid: 422, pendopo.KindBadRequest: 400, pendopo.KindNotFound: 404, pendopo.KindConflict: 409,
		pendopo.KindTooLarge: 413, pendopo.KindUnauthorized: 401, pendopo.KindForbidden: 403, pendopo.KindUnsupported: 415, pendopo.KindRateLimited: 429,
		pendopo.KindInternal: 500, "something-new": 500,
	} {
		if got := Status(kind); got != want {
			t.Errorf("Status(%s) = %d, want %d", kind, got, want)
		}
	}
	if e := UserError(fmt.Errorf("wrapped: %w", pendopo.ErrNotFound)); e.Kind != pendopo.KindNotFound {
		t.Errorf("wrapped not-found: %v", e.Kind)
	}
	if e := UserError(io.ErrUnexpectedEOF); e.Kind != pendopo.KindInternal || strings.Contains(e.Msg.English, "EOF") {
		t.Errorf("internal error leaks: %+v", e)
	}
	if e := UserError(&http.MaxBytesError{Limit: 10}); e.Kind != pendopo.KindTooLarge {
		t.Errorf("body limit: %v", e.Kind)
	}
}

func TestLanguage(t *testing.T) {
	h := Chain(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, Lang(r.Context())) }), quiet())
	tests := []struct {
		path, cookie, accept, want string
	}{
		{"/", "", "", "id"},
		{"/", "", "en-US,en;q=0.9", "id"}, // pages are Indonesian first
		{"/?lang=en", "", "", "en"},
		{"/", "en", "", "en"},
		{"/?lang=id", "en", "", "id"},
		{"/?lang=fr", "", "", "id"},
		{"/api/v1/regions", "", "en-GB,en;q=0.8", "en"},
		{"/api/v1/regions", "", "id-ID,en;q=0.5", "id"},
		{"/api/v1/regions", "", "fr", "id"},
	}
	for _, tt := range tests {
		r := httptest.NewRequest("GET", tt.path, nil)
		if tt.cookie != "" {
			r.AddCookie(&http.Cookie{Name: LangCookie, Value: tt.cookie})
		}
		if tt.accept != "" {
			r.Header.Set("Accept-Language", tt.accept)
		}
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		if w.Body.String() != tt.want {
			t.Errorf("%s cookie=%q accept=%q: %s, want %s", tt.path, tt.cookie, tt.accept, w.Body.String(), tt.want)
		}
	}
}

func TestPanicBecomesCleanError(t *testing.T) {
	h := Chain(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		io.WriteString(w, "<p>half a page")
		panic("boom")
	}), quiet())
	r := httptest.NewRequest("GET", "/", nil)
	r.Header.Set("Accept-Encoding", "gzip")
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	id := w.Header().Get("X-Request-Id")
	if w.Code != 500 || strings.Contains(w.Body.String(), "half a page") || strings.Contains(w.Body.String(), "boom") || !strings.Contains(w.Body.String(), id) {
		t.Errorf("panic: %d %q", w.Code, w.Body.String())
	}
}

func TestCompression(t *testing.T) {
	big := strings.Repeat("layanan publik ", 200)
	h := Chain(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/big":
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			io.WriteString(w, big)
		case "/small":
			io.WriteString(w, "ok")
		case "/png":
			w.Header().Set("Content-Type", "image/png")
			io.WriteString(w, big)
		case "/status":
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusCreated)
			io.WriteString(w, big)
		}
	}), quiet())
	get := func(path string, gz bool) *httptest.ResponseRecorder {
		r := httptest.NewRequest("GET", path, nil)
		if gz {
			r.Header.Set("Accept-Encoding", "br, gzip;q=0.8")
		}
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		return w
	}
	w := get("/big", true)
	if w.Header().Get("Content-Encoding") != "gzip" || w.Body.Len() >= len(big) {
		t.Fatalf("big page not compressed: %v, %d bytes", w.Header(), w.Body.Len())
	}
	zr, _ := gzip.NewReader(w.Body)
	if b, _ := io.ReadAll(zr); string(b) != big {
		t.Error("compressed body differs")
	}
	if w := get("/big", false); w.Header().Get("Content-Encoding") != "" || w.Body.String() != big {
		t.Error("compressed for a client that did not ask")
	}
	if w := get("/small", true); w.Header().Get("Content-Encoding") != "" || w.Body.String() != "ok" {
		t.Error("tiny body compressed")
	}
	if w := get("/png", true); w.Header().Get("Content-Encoding") != "" {
		t.Error("image compressed")
	}
	if w := get("/status", true); w.Code != http.StatusCreated || w.Header().Get("Content-Encoding") != "gzip" {
		t.Errorf("status lost: %d %v", w.Code, w.Header())
	}
	for _, h := range []string{"Content-Security-Policy", "X-Content-Type-Options", "X-Frame-Options", "Referrer-Policy"} {
		if w.Header().Get(h) == "" {
			t.Errorf("%s missing", h)
		}
	}
}

// TestMetrics labels requests with the pattern that served them, also one
// of a nested mux, and never with the path.
func TestMetrics(t *testing.T) {
	reg := prometheus.NewRegistry()
	m, err := NewMetrics(reg)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := NewMetrics(reg); err == nil {
		t.Error("registering the request metrics twice did not fail")
	}
	api := http.NewServeMux()
	api.HandleFunc("GET /api/v1/regions/{code}", func(w http.ResponseWriter, r *http.Request) {})
	mux := http.NewServeMux()
	mux.HandleFunc("GET /laporan/{number}", func(w http.ResponseWriter, r *http.Request) {})
	mux.HandleFunc("GET /rusak", func(w http.ResponseWriter, r *http.Request) { panic("rusak") })
	mux.Handle("/api/v1/", api)
	mux.HandleFunc("/", http.NotFound)
	o := quiet()
	o.Metrics = m
	h := Chain(mux, o)
	for _, req := range []struct{ method, path string }{
		{"GET", "/laporan/LPR-3374-ABC123"}, {"GET", "/laporan/LPR-3374-XYZ789"}, {"HEAD", "/laporan/LPR-3374-XYZ789"},
		{"GET", "/api/v1/regions/33.74"}, {"GET", "/tidak-ada"}, {"POST", "/laporan/LPR-3374-ABC123"}, {"BREW", "/laporan/x"},
		{"GET", "/rusak"},
	} {
		h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest(req.method, req.path, nil))
	}
	for _, c := range []struct {
		route, method, code string
		want                float64
	}{
		{"GET /laporan/{number}", "GET", "200", 2},
		{"GET /laporan/{number}", "HEAD", "200", 1},
		{"GET /api/v1/regions/{code}", "GET", "200", 1},
		{UnmatchedRoute, "GET", "404", 1},
		{UnmatchedRoute, "POST", "404", 1}, // the catch-all takes every method
		{UnmatchedRoute, "other", "404", 1},
		{"GET /rusak", "GET", "500", 1},
	} {
		if got := testutil.ToFloat64(m.requests.WithLabelValues(c.route, c.method, c.code)); got != c.want {
			t.Errorf("%s %s %s: %v requests, want %v", c.route, c.method, c.code, got, c.want)
		}
	}
	if n := testutil.CollectAndCount(m.requests); n != 7 {
		t.Errorf("%d request series, want 7", n)
	}
	if n := testutil.CollectAndCount(m.duration); n != 4 {
		t.Errorf("%d latency series, want 4 (one per route)", n)
	}
	if problems, err := testutil.CollectAndLint(m.requests, "pendopo_http_requests_total"); err != nil || len(problems) > 0 {
		t.Errorf("lint: %v %v", problems, err)
	}
}

// TestHSTS: browsers are told to keep to HTTPS only when the portal is
// served over it, and never for the region's other subdomains.
func TestHSTS(t *testing.T) {
	ok := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {})
	for _, on := range []bool{false, true} {
		o := quiet()
		o.HSTS = on
		w := httptest.NewRecorder()
		Chain(ok, o).ServeHTTP(w, httptest.NewRequest("GET", "/", nil))
		got := w.Header().Get("Strict-Transport-Security")
		if on && got != "max-age=31536000" || !on && got != "" {
			t.Errorf("HSTS %v: header %q", on, got)
		}
	}
}
