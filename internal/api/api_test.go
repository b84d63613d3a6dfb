package api_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"math"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pendopo/pendopo"
	"github.com/pendopo/pendopo/internal/api"
	"github.com/pendopo/pendopo/internal/app"
	"github.com/pendopo/pendopo/internal/apptest"
	"github.com/pendopo/pendopo/internal/blob"
	"github.com/pendopo/pendopo/internal/demo"
	"github.com/pendopo/pendopo/internal/httpx"
	"github.com/pendopo/pendopo/internal/pendopotest"
)

var ctx = context.Background()

// now is the fixed clock of the tests.
var now = time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC)

// env is the API over a fresh database with the demo content, wrapped in
// the same middleware as the real server, with API tokens at hand.
type env struct {
	app *app.App
	api http.Handler   // the handler from api.New
	h   http.Handler   // api wrapped in the middleware
	doc map[string]any // the OpenAPI document, for checking responses
	log *logBuffer     // warnings and errors logged

	national, semarang, solo, jateng string // token secrets
}

func newEnv(t *testing.T) *env {
	t.Helper()
	logs := &logBuffer{}
	log := slog.New(slog.NewTextHandler(io.MultiWriter(t.Output(), logs), &slog.HandlerOptions{Level: slog.LevelWarn}))
	cfg, _ := apptest.Config(pendopotest.DB(t), now)
	cfg.Logger = log
	cfg.Blobs = blob.Dir{Path: t.TempDir()}
	a, err := app.New(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := demo.Load(ctx, a); err != nil {
		t.Fatal(err)
	}
	e := &env{app: a, api: api.New(a, log), log: logs}
	e.h = httpx.Chain(e.api, httpx.Options{Logger: log})
	if err := json.Unmarshal(api.ServedDocument(e.api), &e.doc); err != nil {
		t.Fatal(err)
	}
	for _, tok := range []struct {
		secret *string
		name   string
		region string
	}{{&e.national, "nasional", ""}, {&e.semarang, "semarang", "33.74"}, {&e.solo, "solo", "33.72"}, {&e.jateng, "jateng", "33"}} {
		_, *tok.secret, err = a.CreateToken(ctx, pendopo.System, tok.name, tok.region)
		if err != nil {
			t.Fatal(err)
		}
	}
	return e
}

// logBuffer collects log output; handlers may log from several goroutines.
type logBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *logBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *logBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// request is one request to the API; a body is sent as application/json
// unless ctype says otherwise.
type request struct {
	method, path string
	body         string
	ctype        string
	token        string
	lang         string // Accept-Language
}

type response struct {
	status int
	header http.Header
	body   []byte
}

// json decodes the body into a generic value.
func (r *response) json(t *testing.T) map[string]any {
	t.Helper()
	var v map[string]any
	if err := json.Unmarshal(r.body, &v); err != nil {
		t.Fatalf("decode %s: %v", r.body, err)
	}
	return v
}

// decode decodes the body into v.
func (r *response) decode(t *testing.T, v any) {
	t.Helper()
	if err := json.Unmarshal(r.body, v); err != nil {
		t.Fatalf("decode %s: %v", r.body, err)
	}
}

// errorBody decodes an error response.
func (r *response) errorBody(t *testing.T) api.ErrorDetail {
	t.Helper()
	var e api.ErrorResponse
	r.decode(t, &e)
	return e.Error
}

func (r *response) String() string { return fmt.Sprintf("%d %s", r.status, r.body) }

// do sends a request through the middleware and the API, and checks what
// every response must be: JSON, never a 500, and true to the OpenAPI
// document (every key declared, required keys present, types right).
func (e *env) do(t *testing.T, rq request) *response {
	t.Helper()
	body := strings.NewReader(rq.body)
	req := httptest.NewRequest(rq.method, rq.path, body)
	if rq.body != "" || rq.ctype != "" {
		ct := rq.ctype
		if ct == "" {
			ct = "application/json"
		}
		req.Header.Set("Content-Type", ct)
	}
	if rq.token != "" {
		req.Header.Set("Authorization", "Bearer "+rq.token)
	}
	if rq.lang != "" {
		req.Header.Set("Accept-Language", rq.lang)
	}
	rec := httptest.NewRecorder()
	e.h.ServeHTTP(rec, req)
	res := &response{status: rec.Code, header: rec.Header(), body: rec.Body.Bytes()}
	if res.status >= 500 {
		t.Errorf("%s %s: %s", rq.method, rq.path, res)
	}
	if ct := res.header.Get("Content-Type"); ct != "application/json; charset=utf-8" {
		t.Errorf("%s %s: Content-Type %q", rq.method, rq.path, ct)
	}
	e.conform(t, rq.method, rq.path, res)
	return res
}

// conform checks a response against the schema the document declares for
// its route and status.
func (e *env) conform(t *testing.T, method, path string, res *response) {
	t.Helper()
	probe := httptest.NewRequest(method, path, nil)
	var sch map[string]any
	if pattern := api.PatternOf(e.api, probe); pattern != "" && method != http.MethodHead {
		p := pattern[strings.IndexByte(pattern, ' ')+1:]
		op := dig(e.doc, "paths", p, strings.ToLower(method))
		if op == nil {
			t.Errorf("%s %s: route %q not in the document", method, path, pattern)
			return
		}
		r := dig(op.(map[string]any), "responses", fmt.Sprint(res.status))
		if r == nil {
			r = dig(op.(map[string]any), "responses", fmt.Sprintf("%dXX", res.status/100))
		}
		if r == nil {
			t.Errorf("%s %s: status %d not documented", method, path, res.status)
			return
		}
		sch, _ = dig(e.resolve(r.(map[string]any)), "content", "application/json", "schema").(map[string]any)
	} else {
		sch = e.resolve(map[string]any{"$ref": "#/components/schemas/ErrorResponse"})
	}
	if sch == nil {
		t.Errorf("%s %s: no schema for %d", method, path, res.status)
		return
	}
	var v any
	if err := json.Unmarshal(res.body, &v); err != nil {
		t.Errorf("%s %s: body is not JSON: %v", method, path, err)
		return
	}
	for _, p := range e.check(sch, v, "$") {
		t.Errorf("%s %s: %s", method, path, p)
	}
	if res.status >= 400 {
		if id := res.header.Get("X-Request-Id"); id == "" || !bytes.Contains(res.body, []byte(`"request_id":"`+id+`"`)) {
			t.Errorf("%s %s: error without the request id %q: %s", method, path, id, res.body)
		}
	}
}

func dig(v any, keys ...string) any {
	for _, k := range keys {
		m, ok := v.(map[string]any)
		if !ok {
			return nil
		}
		v = m[k]
	}
	return v
}

// resolve follows a $ref within the document.
func (e *env) resolve(s map[string]any) map[string]any {
	for {
		ref, ok := s["$ref"].(string)
		if !ok {
			return s
		}
		parts := strings.Split(strings.TrimPrefix(ref, "#/"), "/")
		s, _ = dig(e.doc, parts...).(map[string]any)
		if s == nil {
			return map[string]any{"not": "resolvable " + ref}
		}
	}
}

// check walks a JSON value and its schema and lists where they disagree.
func (e *env) check(s map[string]any, v any, at string) []string {
	s = e.resolve(s)
	if alts, ok := s["anyOf"].([]any); ok {
		for _, a := range alts {
			if len(e.check(a.(map[string]any), v, at)) == 0 {
				return nil
			}
		}
		return []string{at + ": matches no anyOf alternative"}
	}
	if _, bad := s["not"]; bad {
		return []string{at + ": " + s["not"].(string)}
	}
	typ, _ := s["type"].(string)
	if typ == "" {
		return nil // any JSON
	}
	var probs []string
	wrong := func() []string { return []string{fmt.Sprintf("%s: %v is not of type %s", at, v, typ)} }
	switch typ {
	case "object":
		m, ok := v.(map[string]any)
		if !ok {
			return wrong()
		}
		props, _ := s["properties"].(map[string]any)
		extra, _ := s["additionalProperties"].(map[string]any)
		for k, kv := range m {
			switch ps, ok := props[k].(map[string]any); {
			case ok:
				probs = append(probs, e.check(ps, kv, at+"."+k)...)
			case extra != nil:
				probs = append(probs, e.check(extra, kv, at+"."+k)...)
			default:
				probs = append(probs, at+": key "+k+" is not declared")
			}
		}
		req, _ := s["required"].([]any)
		for _, r := range req {
			if _, ok := m[r.(string)]; !ok {
				probs = append(probs, at+": required key "+r.(string)+" missing")
			}
		}
	case "array":
		l, ok := v.([]any)
		if !ok {
			return wrong()
		}
		items, _ := s["items"].(map[string]any)
		for i, x := range l {
			probs = append(probs, e.check(items, x, fmt.Sprintf("%s[%d]", at, i))...)
		}
	case "string":
		str, ok := v.(string)
		if !ok {
			return wrong()
		}
		if s["format"] == "date-time" {
			if tm, err := time.Parse(time.RFC3339, str); err != nil || tm.Location() != time.UTC {
				probs = append(probs, at+": "+str+" is not an RFC 3339 UTC time")
			}
		}
		if enum, ok := s["enum"].([]any); ok && !slices.Contains(enum, any(str)) {
			probs = append(probs, at+": "+str+" is not in the enum")
		}
	case "integer":
		if n, ok := v.(float64); !ok || n != math.Trunc(n) {
			return wrong()
		}
	case "number":
		if _, ok := v.(float64); !ok {
			return wrong()
		}
	case "boolean":
		if _, ok := v.(bool); !ok {
			return wrong()
		}
	case "null":
		if v != nil {
			return wrong()
		}
	default:
		probs = append(probs, at+": unknown schema type "+typ)
	}
	return probs
}

// serviceID returns the id of a demo service.
func (e *env) serviceID(t *testing.T, region, slug string) int64 {
	t.Helper()
	s, err := e.app.Store().ServiceBySlug(ctx, region, slug)
	if err != nil {
		t.Fatalf("service %s/%s: %v", region, slug, err)
	}
	return s.ID
}

// want fails the test when the response's status is not status.
func want(t *testing.T, res *response, status int) {
	t.Helper()
	if res.status != status {
		t.Fatalf("status %d, want %d: %s", res.status, status, res.body)
	}
}

// fields returns the field paths of an error response.
func fields(t *testing.T, res *response) []string {
	t.Helper()
	var out []string
	for _, f := range res.errorBody(t).Fields {
		out = append(out, f.Field)
	}
	return out
}

// mustJSON marshals v.
func mustJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// newService is valid content for a new service of Kota Semarang.
func newService(slug string) api.ServiceRequest {
	c := pendopotest.Content(slug, "ktp-el", "disdukcapil")
	c.Points = []string{"mpp"}
	return api.ServiceRequest{ServiceContent: c, Note: "Layanan baru"}
}
