package main

import (
	"errors"
	"flag"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
)

// get fetches url with headers (name, value, …) and returns the status
// and the body.
func get(t *testing.T, url string, header ...string) (int, string) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(b)
}

var metricsURLRE = regexp.MustCompile(`metrics: (http://\S+)`)

// TestServeMetrics starts the server both ways: with /metrics on the
// portal's address for this machine only, and on an address of its own.
func TestServeMetrics(t *testing.T) {
	url := startServer(t, dbEnv(t))
	if code, body := get(t, url+"/readyz"); code != http.StatusOK || body != "ready\n" {
		t.Errorf("/readyz: %d %q", code, body)
	}
	code, body := get(t, url+"/metrics")
	if code != http.StatusOK || !strings.Contains(body, `pendopo_http_requests_total{code="200",method="GET",route="GET /readyz"} 1`) ||
		!strings.Contains(body, `go_sql_open_connections{db_name=`) || !strings.Contains(body, `pendopo_outbox_messages{state="pending"} 0`) {
		t.Errorf("/metrics from this machine: %d\n%s", code, body)
	}
	if code, _ := get(t, url+"/metrics", "X-Forwarded-For", "203.0.113.9"); code != http.StatusNotFound {
		t.Errorf("/metrics through a proxy: %d, want 404", code)
	}

	env := dbEnv(t)
	env["PENDOPO_METRICS_ADDR"] = "127.0.0.1:0"
	url, banner := startServerBanner(t, env)
	m := metricsURLRE.FindStringSubmatch(banner)
	if m == nil || strings.HasPrefix(m[1], url) {
		t.Fatalf("the banner names no metrics address of their own:\n%s", banner)
	}
	get(t, url+"/healthz")
	if code, body := get(t, m[1]); code != http.StatusOK || !strings.Contains(body, `route="GET /healthz"`) {
		t.Errorf("%s: %d\n%s", m[1], code, body)
	}
	if code, _ := get(t, url+"/metrics"); code != http.StatusNotFound {
		t.Errorf("/metrics on the portal's address with --metrics-addr set: %d, want 404", code)
	}

	env = dbEnv(t)
	env["PENDOPO_METRICS_ADDR"] = "nirgatra"
	if _, _, err := cli(t, env, "", "serve", "--addr", "127.0.0.1:0"); err == nil || !strings.Contains(err.Error(), "--metrics-addr") {
		t.Errorf("a bad metrics address: %v", err)
	}
}

// TestServeStartingHealth: while the portal is being built, the process
// is alive but not ready, and pages ask to come back; then the portal
// answers everything.
func TestServeStartingHealth(t *testing.T) {
	s := &starting{}
	for path, want := range map[string]struct {
		code int
		body string
	}{
		"/healthz":    {200, "ok\n"},
		"/readyz":     {503, "not ready: starting\n"},
		"/daerah/33":  {503, "Pendopo is starting"},
		"/api/v1/foo": {503, "Pendopo is starting"},
	} {
		w := httptest.NewRecorder()
		s.ServeHTTP(w, httptest.NewRequest(http.MethodGet, path, nil))
		if w.Code != want.code || !strings.Contains(w.Body.String(), want.body) || w.Header().Get("Cache-Control") != "no-store" {
			t.Errorf("%s while starting: %d %q", path, w.Code, w.Body)
		}
		if w.Code == 503 && w.Header().Get("Retry-After") == "" {
			t.Errorf("%s while starting: no Retry-After", path)
		}
	}
	var portal http.Handler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "portal") })
	s.portal.Store(&portal)
	for _, path := range []string{"/healthz", "/readyz", "/daerah/33"} {
		w := httptest.NewRecorder()
		s.ServeHTTP(w, httptest.NewRequest(http.MethodGet, path, nil))
		if w.Code != 200 || w.Body.String() != "portal" {
			t.Errorf("%s once started: %d %q", path, w.Code, w.Body)
		}
	}
}

// TestServeHelp: the help names the probes and the metrics address with
// its variable and who may scrape.
func TestServeHelp(t *testing.T) {
	_, errs, err := cli(t, nil, "", "serve", "--help")
	if !errors.Is(err, flag.ErrHelp) {
		t.Fatal(err)
	}
	for _, want := range []string{"-metrics-addr", "PENDOPO_METRICS_ADDR", "GET /metrics", "this machine only", "/healthz", "/readyz"} {
		if !strings.Contains(errs, want) {
			t.Errorf("serve --help lacks %q", want)
		}
	}
}
