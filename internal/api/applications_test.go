package api_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/pendopo/pendopo"
	"github.com/pendopo/pendopo/internal/api"
)

const pdf = "%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"

// session adds a person (role may be nil) and signs them in through the API.
func (e *env) session(t *testing.T, name, login string, role *pendopo.Role) string {
	t.Helper()
	if _, err := e.app.AddUser(ctx, name, login, "kata sandi yang cukup panjang", role); err != nil {
		t.Fatal(err)
	}
	res := e.do(t, request{method: "POST", path: "/api/v1/sessions", body: `{"login": "` + login + `", "password": "kata sandi yang cukup panjang"}`})
	var s api.SessionResponse
	res.decode(t, &s)
	if res.status != http.StatusCreated || s.Token == "" || s.Name != name {
		t.Fatalf("sign in %s: %s", login, res)
	}
	return s.Token
}

func TestApplicationsAPI(t *testing.T) {
	e := newEnv(t)
	if res := e.do(t, request{method: "POST", path: "/api/v1/sessions", body: `{"login": "tidak@ada.test", "password": "salah sekali"}`}); res.status != http.StatusUnauthorized {
		t.Errorf("wrong password: %s", res)
	}
	budi := e.session(t, "Budi Santoso", "budi@api.test", nil)
	sari := e.session(t, "Sari", "sari@api.test", nil)
	officer := e.session(t, "Petugas", "petugas@api.test", &pendopo.Role{Kind: pendopo.RoleOfficer, Region: "33.74", Agency: "disdukcapil"})
	id := e.serviceID(t, "33.74", "penerbitan-kk-baru")

	start := request{method: "POST", path: fmt.Sprintf("/api/v1/services/%d/applications", id), body: `{"key": "klik-1"}`, token: budi}
	res := e.do(t, start)
	var d api.ApplicationDetail
	res.decode(t, &d)
	if res.status != http.StatusCreated || d.Status != pendopo.StatusDraft || res.header.Get("Location") != "/api/v1/applications/"+d.Number || d.Steps != 4 {
		t.Fatalf("start: %s", res)
	}
	var again api.ApplicationDetail
	e.do(t, start).decode(t, &again)
	if again.Number != d.Number {
		t.Errorf("the same key made %s and %s", d.Number, again.Number)
	}
	app := "/api/v1/applications/" + d.Number
	if res := e.do(t, request{method: "PUT", path: app + "/answers", body: `{"answers": {"nik": ["12"]}}`, token: budi}); res.status != http.StatusUnprocessableEntity ||
		!strings.Contains(string(res.body), `"field":"answers.nik"`) {
		t.Errorf("bad NIK: %s", res)
	}
	answers := `{"answers": {"nama": ["Budi Santoso"], "nik": ["3374011508900001"], "alasan": ["Pisah KK"], "jumlah_anggota": ["3"], "persetujuan": ["1"]}}`
	if res := e.do(t, request{method: "PUT", path: app + "/answers", body: answers, token: budi}); res.status != http.StatusOK {
		t.Fatalf("answers: %s", res)
	}
	if res := e.do(t, request{method: "PUT", path: app + "/files/dokumen_1?name=kk.pdf", body: "MZ not a pdf", ctype: "application/pdf", token: budi}); res.status != http.StatusUnsupportedMediaType {
		t.Errorf("disguised file: %s", res)
	}
	if res := e.do(t, request{method: "PUT", path: app + "/files/tidak_ada", body: pdf, ctype: "application/pdf", token: budi}); res.status != http.StatusUnprocessableEntity {
		t.Errorf("unknown field: %s", res)
	}
	for _, f := range []string{"dokumen_1", "dokumen_2", "dokumen_3"} {
		res := e.do(t, request{method: "PUT", path: app + "/files/" + f + "?name=" + f + ".pdf", body: pdf, ctype: "application/pdf", token: budi})
		var u pendopo.Upload
		res.decode(t, &u)
		if res.status != http.StatusOK || u.Media != pendopo.MediaPDF || u.Name != f+".pdf" {
			t.Fatalf("upload %s: %s", f, res)
		}
	}
	for range 2 { // submitting twice is harmless
		res := e.do(t, request{method: "POST", path: app + "/actions", body: `{"action": "submit"}`, token: budi})
		var s api.ApplicationDetail
		res.decode(t, &s)
		if res.status != http.StatusOK || s.Status != pendopo.StatusInProgress || s.Clock.Deadline == 0 || len(s.Events) != 2 {
			t.Fatalf("submit: %s", res)
		}
		d = s
	}
	// Others: another citizen and an integration token cannot see it.
	if res := e.do(t, request{method: "GET", path: app, token: sari}); res.status != http.StatusNotFound {
		t.Errorf("another citizen: %s", res)
	}
	if res := e.do(t, request{method: "GET", path: app, token: e.semarang}); res.status != http.StatusForbidden {
		t.Errorf("integration token: %s", res)
	}
	// The officer's queue, then acting: a stale revision loses.
	res = e.do(t, request{method: "GET", path: "/api/v1/regions/33.74/applications", token: officer})
	var q api.List[api.ApplicationItem]
	res.decode(t, &q)
	if res.status != http.StatusOK || q.Total != 1 || q.Items[0].Number != d.Number || !q.Items[0].Mine || q.Items[0].Clock == nil {
		t.Fatalf("queue: %s", res)
	}
	if res := e.do(t, request{method: "POST", path: app + "/actions", body: `{"action": "return", "rev": ` + fmt.Sprint(d.Rev) + `}`, token: officer}); res.status != http.StatusUnprocessableEntity {
		t.Errorf("return without a note: %s", res)
	}
	if res := e.do(t, request{method: "POST", path: app + "/actions", body: `{"action": "approve", "rev": 1}`, token: officer}); res.status != http.StatusConflict {
		t.Errorf("stale revision: %s", res)
	}
	if res := e.do(t, request{method: "POST", path: app + "/actions", body: `{"action": "approve"}`, token: budi}); res.status != http.StatusForbidden {
		t.Errorf("the applicant approved: %s", res)
	}
	res = e.do(t, request{method: "POST", path: app + "/actions", body: `{"action": "approve", "rev": ` + fmt.Sprint(d.Rev) + `}`, token: officer})
	var after api.ApplicationDetail
	res.decode(t, &after)
	if res.status != http.StatusOK || after.Step != 1 || after.Events[2].ActorName != "Petugas" {
		t.Fatalf("approve: %s", res)
	}
	// The applicant sees the role, not the officer's name.
	var mine api.ApplicationDetail
	e.do(t, request{method: "GET", path: app, token: budi}).decode(t, &mine)
	if ev := mine.Events[2]; ev.ActorName != "" || ev.ActorRole != pendopo.RoleOfficer {
		t.Errorf("applicant's timeline: %+v", ev)
	}
	var list api.List[api.ApplicationItem]
	e.do(t, request{method: "GET", path: "/api/v1/applications", token: budi}).decode(t, &list)
	if list.Total != 1 || list.Items[0].Number != d.Number {
		t.Errorf("my applications: %+v", list)
	}
	res = e.do(t, request{method: "GET", path: "/api/v1/verify/ABCD-EFGH-JKMN"})
	var v api.VerificationResult
	if res.decode(t, &v); res.status != http.StatusOK || v.Found {
		t.Errorf("unknown document: %s", res)
	}
	if res := e.do(t, request{method: "DELETE", path: "/api/v1/sessions/current", token: budi}); res.status != http.StatusOK {
		t.Errorf("sign out: %s", res)
	}
	if res := e.do(t, request{method: "GET", path: app, token: budi}); res.status != http.StatusUnauthorized {
		t.Errorf("after signing out: %s", res)
	}
}
