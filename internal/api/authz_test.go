package api_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/pendopo/pendopo/internal/api"
)

// apiProbe is how the token matrix calls one route that needs a token.
type apiProbe struct {
	body, ctype string
	// national routes are for national tokens only; any route for any
	// valid token.
	national, any bool
	// person routes are for people's sessions: every integration token
	// is refused.
	person bool
}

const svgLogo = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><circle cx="5" cy="5" r="4"/></svg>`

// apiProbes has an entry for every route that needs a token; a route
// without one fails TestTokenMatrix.
var apiProbes = map[string]apiProbe{
	"PUT /api/v1/regions/{code}":                       {body: `{"profile": {}}`},
	"PUT /api/v1/regions/{code}/logo":                  {body: svgLogo, ctype: "image/svg+xml"},
	"DELETE /api/v1/regions/{code}/logo":               {},
	"PUT /api/v1/regions/{code}/agencies/{slug}":       {body: `{"name": "Dinas Uji"}`},
	"PUT /api/v1/regions/{code}/service-points/{slug}": {body: `{"name": "Titik Uji"}`},
	"POST /api/v1/regions/{code}/services":             {body: "SERVICE"},
	"POST /api/v1/regions/{code}/import":               {body: `{"format": "pendopo.bundle/1", "region": "{code}"}`},
	"PUT /api/v1/services/{id}":                        {body: "SERVICE"},
	"POST /api/v1/services/{id}/publish":               {},
	"POST /api/v1/services/{id}/review":                {},
	"GET /api/v1/synonyms":                             {any: true},
	"PUT /api/v1/synonyms":                             {body: `{"rules": "a, b"}`, national: true},
	"DELETE /api/v1/sessions/current":                  {person: true},
	"POST /api/v1/services/{id}/applications":          {body: `{"key": "k"}`, person: true},
	"GET /api/v1/applications":                         {person: true},
	"GET /api/v1/applications/{number}":                {person: true},
	"PUT /api/v1/applications/{number}/answers":        {body: `{"answers": {}}`, person: true},
	"PUT /api/v1/applications/{number}/files/{field}":  {body: "%PDF-1.4\n", ctype: "application/pdf", person: true},
	"POST /api/v1/applications/{number}/actions":       {body: `{"action": "submit"}`, person: true},
	"GET /api/v1/regions/{code}/applications":          {person: true},
}

// TestTokenMatrix calls every route that needs a token with each kind of
// token, on an object of Kota Semarang (33.74) and of Kota Surakarta
// (33.72): a national token may do everything; a province token (33) its
// kabupaten/kota; a kota token only its own region; national routes only
// national tokens.
func TestTokenMatrix(t *testing.T) {
	e := newEnv(t)
	ids := map[string]int64{"33.74": e.serviceID(t, "33.74", "penerbitan-ktp-el"), "33.72": e.serviceID(t, "33.72", "pembuatan-ktp-el")}
	tokens := map[string]string{"national": e.national, "province 33": e.jateng, "33.74": e.semarang, "33.72": e.solo}
	for _, rt := range api.RouteTable() {
		if !rt.Auth {
			continue
		}
		key := rt.Method + " " + rt.Pattern
		pr, ok := apiProbes[key]
		if !ok {
			t.Errorf("%s has no entry in the token matrix", key)
			continue
		}
		for _, region := range []string{"33.74", "33.72"} {
			path := strings.NewReplacer("{code}", region, "{slug}", "uji-matriks", "{id}", fmt.Sprint(ids[region]),
				"{number}", "3374-2611-K7Q2M9-X", "{field}", "ktp").Replace(rt.Pattern)
			body := strings.ReplaceAll(pr.body, "{code}", region)
			if body == "SERVICE" {
				body = mustJSON(t, newService("uji-matriks"))
			}
			for name, tok := range tokens {
				may := !pr.person && (pr.any || name == "national" || !pr.national && (name == "province 33" || name == region))
				res := e.do(t, request{method: rt.Method, path: path, body: body, ctype: pr.ctype, token: tok})
				refused := res.status == http.StatusForbidden || res.status == http.StatusUnauthorized
				if may == refused {
					t.Errorf("%s on %s with the %s token: %d, want allowed=%v", key, region, name, res.status, may)
				}
			}
		}
	}
	for key := range apiProbes {
		found := false
		for _, rt := range api.RouteTable() {
			found = found || rt.Auth && rt.Method+" "+rt.Pattern == key
		}
		if !found {
			t.Errorf("the token matrix names %q, which is not a route that needs a token", key)
		}
	}
}
