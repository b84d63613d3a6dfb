package web_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/pendopo/pendopo"
	"github.com/pendopo/pendopo/internal/pendopotest"
	"github.com/pendopo/pendopo/internal/portaltest"
	"github.com/pendopo/pendopo/internal/web"
)

// scrape reads /metrics as Prometheus on the same machine would.
func scrape(t *testing.T, p *portaltest.Portal) string {
	t.Helper()
	r := httptest.NewRequest(http.MethodGet, "/metrics", nil)
	r.RemoteAddr = "127.0.0.1:40123"
	res := p.Do(t, r)
	if res.StatusCode != http.StatusOK || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/plain") {
		t.Fatalf("scrape: %d %s\n%s", res.StatusCode, res.Header.Get("Content-Type"), res.Body)
	}
	return res.Body
}

// sample is the value of one sample in an exposition, or -1 when it is not
// there; series is the name with its labels, as exposed.
func sample(exposition, series string) float64 {
	m := regexp.MustCompile(`(?m)^` + regexp.QuoteMeta(series) + ` (\S+)$`).FindStringSubmatch(exposition)
	if m == nil {
		return -1
	}
	v, _ := strconv.ParseFloat(m[1], 64)
	return v
}

// TestMetrics scrapes the portal after a few requests: requests are
// labelled by route pattern and never by path, the outbox gauge follows
// the queue, and the pools, the runtime and the process are there.
func TestMetrics(t *testing.T) {
	p := portaltest.NewPortal(t)
	ctx := context.Background()
	lat, lng := -7.0, 110.4
	rep, err := p.App.SubmitReport(ctx, pendopo.Actor{}, "33.74", pendopo.ReportInput{Kind: pendopo.ReportComplaint, Title: "Lampu jalan mati",
		Description: "Lampu jalan di depan pasar mati sejak seminggu.", Category: "kependudukan", Privacy: pendopo.PrivacyPublic, Contact: "pelapor@contoh.id",
		Location: pendopo.ReportLocation{Lat: &lat, Lng: &lng}}, "")
	if err != nil {
		t.Fatal(err)
	}
	for _, path := range []string{"/laporan/" + rep.Number, "/laporan/" + rep.Number, "/laporan/3374-0000-XXXXXX-X",
		"/daerah/33.74", "/api/v1/regions/33.74", "/tidak/ada/halaman-rahasia"} {
		p.Get(t, path)
	}
	p.PostForm(t, "/laporan/cek", nil, "")

	out := scrape(t, p)
	for series, want := range map[string]float64{
		`pendopo_http_requests_total{code="200",method="GET",route="GET /laporan/{number}"}`:      2,
		`pendopo_http_requests_total{code="404",method="GET",route="GET /laporan/{number}"}`:      1,
		`pendopo_http_requests_total{code="200",method="GET",route="GET /daerah/{code}"}`:         1,
		`pendopo_http_requests_total{code="200",method="GET",route="GET /api/v1/regions/{code}"}`: 1,
		`pendopo_http_requests_total{code="404",method="GET",route="unmatched"}`:                  1,
		`pendopo_http_request_duration_seconds_count{route="GET /laporan/{number}"}`:              3,
		`pendopo_http_request_duration_seconds_bucket{route="GET /laporan/{number}",le="+Inf"}`:   3,
	} {
		if got := sample(out, series); got != want {
			t.Errorf("%s = %v, want %v", series, got, want)
		}
	}
	if !strings.Contains(out, `route="POST /laporan/cek"`) {
		t.Error("a form post is not counted by its route")
	}
	for _, leak := range []string{rep.Number, "3374-0000", "rahasia", "/tidak/ada"} {
		if strings.Contains(out, leak) {
			t.Errorf("the exposition holds a path: %q", leak)
		}
	}
	for _, name := range []string{"go_goroutines", "go_memstats_heap_alloc_bytes", "process_resident_memory_bytes", "process_start_time_seconds"} {
		if !regexp.MustCompile(`(?m)^` + name + ` `).MatchString(out) {
			t.Errorf("no %s", name)
		}
	}
	pools := []string{"reader", "writer"}
	if os.Getenv(pendopotest.EnvBackend) == "postgres" {
		pools = []string{"main"}
	}
	for _, pool := range pools {
		for _, name := range []string{"go_sql_open_connections", "go_sql_in_use_connections", "go_sql_idle_connections",
			"go_sql_max_open_connections", "go_sql_wait_count_total", "go_sql_wait_duration_seconds_total"} {
			if sample(out, name+`{db_name="`+pool+`"}`) < 0 {
				t.Errorf("no %s of the %s pool", name, pool)
			}
		}
	}
	if problems, err := testutil.GatherAndLint(p.Metrics); err != nil || len(problems) > 0 {
		t.Errorf("lint: %v %v", problems, err)
	}

	// The outbox gauges follow the queue: two more messages, then one of
	// them given up.
	pending := sample(out, `pendopo_outbox_messages{state="pending"}`)
	dead := sample(out, `pendopo_outbox_messages{state="dead"}`)
	if pending < 0 || dead != 0 {
		t.Fatalf("outbox before: pending %v, dead %v", pending, dead)
	}
	for _, key := range []string{"metrik:1", "metrik:2"} {
		if err := p.App.Outbox().Enqueue(ctx, nil, pendopo.OutboxMessage{Channel: pendopo.OutboxEmail, To: "warga@contoh.id", Subject: "Uji", Body: "Uji metrik", Key: key}); err != nil {
			t.Fatal(err)
		}
	}
	out = scrape(t, p)
	if got := sample(out, `pendopo_outbox_messages{state="pending"}`); got != pending+2 {
		t.Errorf("pending after queuing two: %v, want %v", got, pending+2)
	}
	m, err := p.App.Store().OutboxMessage(ctx, "metrik:1")
	if err != nil {
		t.Fatal(err)
	}
	if err := p.App.Store().MarkFailed(ctx, m.ID, "ditolak", portaltest.Now.Add(time.Hour), true); err != nil {
		t.Fatal(err)
	}
	out = scrape(t, p)
	if got, gotDead := sample(out, `pendopo_outbox_messages{state="pending"}`), sample(out, `pendopo_outbox_messages{state="dead"}`); got != pending+1 || gotDead != 1 {
		t.Errorf("after one was given up: pending %v, dead %v, want %v and 1", got, gotDead, pending+1)
	}
}

// TestMetricsAccess: on the portal's own address /metrics answers only
// clients on this machine that did not come through a proxy; everyone
// else gets the not-found page, as for any unknown path.
func TestMetricsAccess(t *testing.T) {
	p := portaltest.NewPortal(t)
	for _, c := range []struct {
		remote string
		header []string
		want   int
	}{
		{"127.0.0.1:5000", nil, http.StatusOK},
		{"[::1]:5000", nil, http.StatusOK},
		{"192.0.2.1:5000", nil, http.StatusNotFound},
		{"10.0.0.7:5000", nil, http.StatusNotFound},
		{"127.0.0.1:5000", []string{"X-Forwarded-For", "203.0.113.9"}, http.StatusNotFound},
		{"127.0.0.1:5000", []string{"X-Real-Ip", "203.0.113.9"}, http.StatusNotFound},
		{"127.0.0.1:5000", []string{"Forwarded", "for=203.0.113.9"}, http.StatusNotFound},
	} {
		r := httptest.NewRequest(http.MethodGet, "/metrics", nil)
		r.RemoteAddr = c.remote
		if c.header != nil {
			r.Header.Set(c.header[0], c.header[1])
		}
		res := p.Do(t, r)
		if res.StatusCode != c.want {
			t.Errorf("/metrics from %s %v: %d, want %d", c.remote, c.header, res.StatusCode, c.want)
		}
		if c.want == http.StatusNotFound && strings.Contains(res.Body, "pendopo_") {
			t.Errorf("/metrics from %s %v leaks the metrics", c.remote, c.header)
		}
	}
	// With metrics on an address of their own, the portal has no /metrics.
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	if _, err := web.New(p.App, web.Config{Logger: log, Metrics: p.Metrics}); err == nil {
		t.Fatal("counting requests twice into one registry did not fail")
	}
	h, err := web.New(p.App, web.Config{Logger: log})
	if err != nil {
		t.Fatal(err)
	}
	r := httptest.NewRequest(http.MethodGet, "/metrics", nil)
	r.RemoteAddr = "127.0.0.1:5000"
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	if w.Code != http.StatusNotFound {
		t.Errorf("/metrics without a metrics handler: %d", w.Code)
	}
}

// TestHealthAndReady: /healthz answers while the process runs, /readyz
// only while the database does.
func TestHealthAndReady(t *testing.T) {
	p := portaltest.NewPortal(t)
	for path, want := range map[string]string{"/healthz": "ok\n", "/readyz": "ready\n"} {
		res := p.Get(t, path)
		if res.StatusCode != http.StatusOK || res.Body != want || res.Header.Get("Cache-Control") != "no-store" {
			t.Errorf("%s: %d %q %q", path, res.StatusCode, res.Body, res.Header.Get("Cache-Control"))
		}
	}
	p.App.Store().Close()
	if res := p.Get(t, "/readyz"); res.StatusCode != http.StatusServiceUnavailable || res.Body != "not ready: database unreachable\n" {
		t.Errorf("/readyz with the database closed: %d %q", res.StatusCode, res.Body)
	}
	if res := p.Get(t, "/healthz"); res.StatusCode != http.StatusOK {
		t.Errorf("/healthz with the database closed: %d, want 200: restarting would not help", res.StatusCode)
	}
	// The scrape goes on without the outbox, which cannot be counted.
	out := scrape(t, p)
	if strings.Contains(out, "pendopo_outbox_messages{") || !strings.Contains(out, "go_goroutines ") {
		t.Errorf("scrape with the database closed:\n%s", out)
	}
}
