package api_test

import (
	"bytes"
	"flag"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/pendopo/pendopo/internal/api"
)

var update = flag.Bool("update", false, "rewrite testdata/openapi.golden.json")

// TestOpenAPIGolden keeps the OpenAPI document under review: any change
// to a route or a type shows up as a diff of the golden file. Run
// `go test ./internal/api -update` after an intended change.
func TestOpenAPIGolden(t *testing.T) {
	doc, err := api.Document()
	if err != nil {
		t.Fatal(err)
	}
	golden := filepath.Join("testdata", "openapi.golden.json")
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(golden, doc, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run go test ./internal/api -update)", err)
	}
	if !bytes.Equal(doc, want) {
		t.Errorf("the OpenAPI document differs from %s; review the change and run go test ./internal/api -update\n%s", golden, firstDiff(doc, want))
	}
	// Building it twice gives the same bytes: maps are sorted.
	again, _ := api.Document()
	if !bytes.Equal(doc, again) {
		t.Error("the document is not deterministic")
	}
}

func firstDiff(got, want []byte) string {
	g, w := strings.Split(string(got), "\n"), strings.Split(string(want), "\n")
	for i := range min(len(g), len(w)) {
		if g[i] != w[i] {
			return fmt.Sprintf("line %d:\n got: %s\nwant: %s", i+1, g[i], w[i])
		}
	}
	return fmt.Sprintf("got %d lines, want %d", len(g), len(w))
}

// TestOpenAPIMatchesRoutes checks that the document and the router agree:
// each route of the table is in the document and vice versa, the served
// document is the golden one, and the real handler answers every
// documented operation, with valid parameters, with something other than
// 404 or 405.
func TestOpenAPIMatchesRoutes(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	fromDoc := map[string]bool{}
	for path, item := range e.doc["paths"].(map[string]any) {
		for method := range item.(map[string]any) {
			fromDoc[strings.ToUpper(method)+" "+path] = true
		}
	}
	fromTable := map[string]bool{}
	for _, rt := range api.RouteTable() {
		fromTable[rt.Method+" "+rt.Pattern] = true
		if !fromDoc[rt.Method+" "+rt.Pattern] {
			t.Errorf("route %s %s is not documented", rt.Method, rt.Pattern)
		}
		if !strings.HasPrefix(rt.Pattern, "/api/v1/") {
			t.Errorf("route %s outside /api/v1/", rt.Pattern)
		}
	}
	for op := range fromDoc {
		if !fromTable[op] {
			t.Errorf("documented %s has no route", op)
		}
	}
	res := e.do(t, request{method: "GET", path: "/api/v1/openapi.json"})
	if golden, _ := os.ReadFile(filepath.Join("testdata", "openapi.golden.json")); !bytes.Equal(res.body, golden) {
		t.Error("served document differs from the golden file")
	}

	id := fmt.Sprint(e.serviceID(t, "33.74", "penerbitan-ktp-el"))
	params := strings.NewReplacer("{code}", "33.74", "{slug}", "disdukcapil", "{id}", id, "{n}", "1",
		"{number}", "3374-2611-K7Q2M9-X", "{field}", "ktp", "{document}", "ABCD-EFGH-JKMN")
	needsAuth := map[string]bool{}
	for _, rt := range api.RouteTable() {
		needsAuth[rt.Method+" "+params.Replace(rt.Pattern)] = rt.Auth
	}
	for op := range fromDoc {
		method, path, _ := strings.Cut(op, " ")
		path = params.Replace(path)
		if method == http.MethodGet && strings.HasSuffix(path, "/compare") {
			path += "?kind=ktp-el"
		}
		// Without a token, reads answer 200 and writes 401: both prove
		// that the router has the route.
		res := e.do(t, request{method: method, path: path})
		if res.status == http.StatusNotFound || res.status == http.StatusMethodNotAllowed {
			t.Errorf("%s %s: %d", method, path, res.status)
		}
		if method == http.MethodGet && !needsAuth[method+" "+path] && res.status != http.StatusOK {
			t.Errorf("%s %s: %s", method, path, res)
		}
	}
}

// TestOpenAPIShape spot-checks what integrators rely on.
func TestOpenAPIShape(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	d := e.doc
	if dig(d, "info", "title") != "Pendopo API" || dig(d, "info", "version") != "1" || dig(d, "openapi") != "3.1.0" {
		t.Errorf("info %v", d["info"])
	}
	if s := fmt.Sprint(d["servers"]); s != "[map[url:/]]" {
		t.Errorf("servers %s", s)
	}
	if dig(d, "components", "securitySchemes", "token", "scheme") != "bearer" {
		t.Error("no bearer scheme")
	}
	op := dig(d, "paths", "/api/v1/services/{id}", "put").(map[string]any)
	if fmt.Sprint(op["security"]) != "[map[token:[]]]" {
		t.Errorf("PUT service security %v", op["security"])
	}
	if dig(d, "paths", "/api/v1/services/{id}", "get", "security") != nil {
		t.Error("public read with security")
	}
	if dig(op, "responses", "4XX", "$ref") != "#/components/responses/Error" {
		t.Errorf("PUT service errors %v", dig(op, "responses"))
	}
	params := dig(d, "paths", "/api/v1/services/{id}/versions/{n}", "get", "parameters").([]any)
	var names []string
	for _, p := range params {
		names = append(names, fmt.Sprint(dig(p, "in"), ":", dig(p, "name"), ":", dig(p, "schema", "type")))
	}
	if !slices.Equal(names, []string{"path:id:integer", "path:n:integer"}) {
		t.Errorf("version parameters %v", names)
	}
	// Embedded structs are flattened, omitempty is optional, times are date-times.
	svc := e.resolve(map[string]any{"$ref": "#/components/schemas/ServiceDetail"})
	for _, k := range []string{"id", "slug", "standard", "kind_name", "updated_at", "online_url"} {
		if dig(svc, "properties", k) == nil {
			t.Errorf("ServiceDetail lacks %s", k)
		}
	}
	req := fmt.Sprint(svc["required"])
	if !strings.Contains(req, "standard") || strings.Contains(req, "online_url") {
		t.Errorf("ServiceDetail required %s", req)
	}
	if dig(svc, "properties", "updated_at", "format") != "date-time" {
		t.Error("updated_at is not a date-time")
	}
	if dig(d, "components", "schemas", "SearchHitList") != nil || dig(d, "components", "schemas", "RegionList") == nil {
		t.Error("generic list names")
	}
	if dig(d, "paths", "/api/v1/regions/{code}/services", "post", "responses", "201", "headers", "Location") == nil {
		t.Error("201 without Location")
	}
	if dig(d, "paths", "/api/v1/regions/{code}/logo", "put", "requestBody", "content", "image/svg+xml") == nil {
		t.Error("logo body media types")
	}
}
