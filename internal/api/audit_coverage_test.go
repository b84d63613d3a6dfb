package api_test

import (
	"fmt"
	"net/http"
	"slices"
	"testing"

	"github.com/pendopo/pendopo"
	"github.com/pendopo/pendopo/internal/api"
)

// apiAuditFixture is what the probes of TestEveryAPIWriteIsAudited act on.
type apiAuditFixture struct {
	e       *env
	citizen string // a citizen's session token
	service int64  // an online service of Kota Semarang
	n       int
}

func (f *apiAuditFixture) next() int { f.n++; return f.n }

// draft starts a filled-in application and returns its path.
func (f *apiAuditFixture) draft(t *testing.T) string {
	t.Helper()
	res := f.e.do(t, request{method: "POST", path: fmt.Sprintf("/api/v1/services/%d/applications", f.service), body: fmt.Sprintf(`{"key": "k%d"}`, f.next()), token: f.citizen})
	var d api.ApplicationDetail
	res.decode(t, &d)
	path := "/api/v1/applications/" + d.Number
	answers := `{"answers": {"nama": ["Budi Santoso"], "nik": ["3374011508900001"], "alasan": ["Pisah KK"], "jumlah_anggota": ["3"], "persetujuan": ["1"]}}`
	if res := f.e.do(t, request{method: "PUT", path: path + "/answers", body: answers, token: f.citizen}); res.status != http.StatusOK {
		t.Fatalf("answers: %s", res)
	}
	for _, field := range []string{"dokumen_1", "dokumen_2", "dokumen_3"} {
		if res := f.e.do(t, request{method: "PUT", path: path + "/files/" + field, body: pdf, ctype: "application/pdf", token: f.citizen}); res.status != http.StatusOK {
			t.Fatalf("upload: %s", res)
		}
	}
	return path
}

// apiAuditProbe is a request that must succeed and the audit action it
// must leave.
type apiAuditProbe struct {
	action string
	req    func(t *testing.T, f *apiAuditFixture) request
}

// apiAuditProbes has an entry for every API route that is not a GET; a
// route without one fails TestEveryAPIWriteIsAudited.
var apiAuditProbes = map[string]apiAuditProbe{
	"PUT /api/v1/regions/{code}": {"region.update", func(t *testing.T, f *apiAuditFixture) request {
		return request{method: "PUT", path: "/api/v1/regions/33.74", body: `{"profile": {"tagline": "Kota Lumpia"}}`, token: f.e.semarang}
	}},
	"PUT /api/v1/regions/{code}/logo": {"region.update", func(t *testing.T, f *apiAuditFixture) request {
		return request{method: "PUT", path: "/api/v1/regions/33.74/logo", body: svgLogo, ctype: "image/svg+xml", token: f.e.semarang}
	}},
	"DELETE /api/v1/regions/{code}/logo": {"region.update", func(t *testing.T, f *apiAuditFixture) request {
		return request{method: "DELETE", path: "/api/v1/regions/33.74/logo", token: f.e.semarang}
	}},
	"PUT /api/v1/regions/{code}/agencies/{slug}": {"agency.create", func(t *testing.T, f *apiAuditFixture) request {
		return request{method: "PUT", path: fmt.Sprintf("/api/v1/regions/33.74/agencies/dinas-jejak-%d", f.next()), body: `{"name": "Dinas Jejak"}`, token: f.e.semarang}
	}},
	"PUT /api/v1/regions/{code}/service-points/{slug}": {"service_point.save", func(t *testing.T, f *apiAuditFixture) request {
		return request{method: "PUT", path: "/api/v1/regions/33.74/service-points/titik-jejak", body: `{"name": "Titik Jejak"}`, token: f.e.semarang}
	}},
	"POST /api/v1/regions/{code}/services": {"service.create", func(t *testing.T, f *apiAuditFixture) request {
		return request{method: "POST", path: "/api/v1/regions/33.74/services", body: mustJSON(t, newService(fmt.Sprint("layanan-jejak-", f.next()))), token: f.e.semarang}
	}},
	"POST /api/v1/regions/{code}/import": {"import.service_update", func(t *testing.T, f *apiAuditFixture) request {
		res := f.e.do(t, request{method: "GET", path: "/api/v1/regions/33.74/export"})
		var b pendopo.Bundle
		res.decode(t, &b)
		b.Services[0].Summary += " Diperbarui."
		return request{method: "POST", path: "/api/v1/regions/33.74/import", body: mustJSON(t, b), token: f.e.semarang}
	}},
	"PUT /api/v1/services/{id}": {"service.draft", func(t *testing.T, f *apiAuditFixture) request {
		id := f.e.serviceID(t, "33.74", "penerbitan-ktp-el")
		s := newService("penerbitan-ktp-el")
		return request{method: "PUT", path: fmt.Sprintf("/api/v1/services/%d", id), body: mustJSON(t, s), token: f.e.semarang}
	}},
	"POST /api/v1/services/{id}/publish": {"service.publish", func(t *testing.T, f *apiAuditFixture) request {
		return request{method: "POST", path: fmt.Sprintf("/api/v1/services/%d/publish", f.e.serviceID(t, "33.74", "penerbitan-ktp-el")), token: f.e.semarang}
	}},
	"POST /api/v1/services/{id}/review": {"service.review", func(t *testing.T, f *apiAuditFixture) request {
		return request{method: "POST", path: fmt.Sprintf("/api/v1/services/%d/review", f.e.serviceID(t, "33.74", "penerbitan-ktp-el")), token: f.e.semarang}
	}},
	"PUT /api/v1/synonyms": {"synonyms.update", func(t *testing.T, f *apiAuditFixture) request {
		return request{method: "PUT", path: "/api/v1/synonyms", body: `{"rules": "keur, surat keterangan sehat"}`, token: f.e.national}
	}},
	"POST /api/v1/sessions": {"user.login", func(t *testing.T, f *apiAuditFixture) request {
		return request{method: "POST", path: "/api/v1/sessions", body: `{"login": "warga@jejak.test", "password": "kata sandi yang cukup panjang"}`}
	}},
	"DELETE /api/v1/sessions/current": {"user.logout", func(t *testing.T, f *apiAuditFixture) request {
		return request{method: "DELETE", path: "/api/v1/sessions/current", token: f.e.session(t, "Keluar", fmt.Sprintf("keluar%d@jejak.test", f.next()), nil)}
	}},
	"POST /api/v1/services/{id}/applications": {"application.create", func(t *testing.T, f *apiAuditFixture) request {
		return request{method: "POST", path: fmt.Sprintf("/api/v1/services/%d/applications", f.service), body: fmt.Sprintf(`{"key": "baru-%d"}`, f.next()), token: f.citizen}
	}},
	"PUT /api/v1/applications/{number}/answers": {"application.answers", func(t *testing.T, f *apiAuditFixture) request {
		return request{method: "PUT", path: f.draft(t) + "/answers", body: `{"answers": {"nama": ["Budi Santoso Wibowo"]}}`, token: f.citizen}
	}},
	"PUT /api/v1/applications/{number}/files/{field}": {"application.upload", func(t *testing.T, f *apiAuditFixture) request {
		return request{method: "PUT", path: f.draft(t) + "/files/dokumen_1", body: pdf + "%baru\n", ctype: "application/pdf", token: f.citizen}
	}},
	"POST /api/v1/applications/{number}/actions": {"application.submit", func(t *testing.T, f *apiAuditFixture) request {
		return request{method: "POST", path: f.draft(t) + "/actions", body: `{"action": "submit"}`, token: f.citizen}
	}},
}

// TestEveryAPIWriteIsAudited calls every API route that is not a GET,
// generated from the route table, and checks that it succeeded and left
// its entry in the audit trail.
func TestEveryAPIWriteIsAudited(t *testing.T) {
	e := newEnv(t)
	f := &apiAuditFixture{e: e, service: e.serviceID(t, "33.74", "penerbitan-kk-baru")}
	f.citizen = e.session(t, "Warga Jejak", "warga@jejak.test", nil)
	routes := api.RouteTable()
	for _, rt := range routes {
		if rt.Method == http.MethodGet || rt.Method == http.MethodHead {
			continue
		}
		key := rt.Method + " " + rt.Pattern
		pr, ok := apiAuditProbes[key]
		if !ok {
			t.Errorf("%s changes state but has no entry in apiAuditProbes: exercise it there; it must leave an audit entry", key)
			continue
		}
		t.Run(key, func(t *testing.T) {
			rq := pr.req(t, f)
			head, err := e.app.Store().AuditHead(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if res := e.do(t, rq); res.status >= 400 {
				t.Fatalf("the probe did not succeed: %s", res)
			}
			entries, err := e.app.Store().AuditChain(ctx, head, 100)
			if err != nil {
				t.Fatal(err)
			}
			var actions []string
			for _, en := range entries {
				actions = append(actions, en.Action)
			}
			if !slices.Contains(actions, pr.action) {
				t.Errorf("left %v in the audit trail, want %s", actions, pr.action)
			}
		})
	}
	for key := range apiAuditProbes {
		if !slices.ContainsFunc(routes, func(r api.RouteInfo) bool { return r.Method+" "+r.Pattern == key }) {
			t.Errorf("apiAuditProbes names %q, which is not a route", key)
		}
	}
}
