package web_test

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/pendopo/pendopo/internal/portaltest"
)

// TestBadText: NUL characters and invalid UTF-8 in a path, a query or a
// form are refused with a clear 400 in the user's language, never a 500
// from the database (PostgreSQL cannot store NUL).
func TestBadText(t *testing.T) {
	p := portaltest.NewPortal(t)
	for _, path := range []string{
		"/daerah/33.74/opd/%00",
		"/daerah/33.74/kinerja?opd=%00",
		"/daerah/33.74/kinerja?opd=%ff",
		"/cari?q=ktp%00",
		"/layanan/%00",
		"/open311/v2/requests/%00.json",
		"/api/v1/regions/33.74%00",
	} {
		res := p.Get(t, path)
		if res.StatusCode != http.StatusBadRequest {
			t.Errorf("%s: %d", path, res.StatusCode)
		}
	}
	for _, path := range []string{"/admin/daerah/33.74/audit?oleh=%00", "/admin/daerah/33.74/audit?aksi=a%00", "/admin/audit?entitas=%00", "/admin/audit?id=%ff"} {
		if res := p.GetAs(t, path, p.Admin); res.StatusCode != http.StatusBadRequest || !strings.Contains(res.Body, "NUL") {
			t.Errorf("%s: %d", path, res.StatusCode)
		}
	}
	res := p.PostForm(t, "/masuk", url.Values{"login": {"admin@semarangkota.test\x00"}, "password": {"x"}}, "")
	if res.StatusCode != http.StatusBadRequest || !strings.Contains(res.Body, "tidak diizinkan") {
		t.Errorf("NUL in a login: %d", res.StatusCode)
	}
	r := httptest.NewRequest("GET", "/daerah/33.74/opd/%00", nil)
	r.AddCookie(&http.Cookie{Name: "bahasa", Value: "en"})
	if res := p.Do(t, r); res.StatusCode != http.StatusBadRequest || !strings.Contains(res.Body, "not allowed") {
		t.Errorf("in English: %d", res.StatusCode)
	}
	res = p.PostForm(t, "/daftar", url.Values{"name": {"Sari\x00"}, "login": {"sari@contoh.test"}, "password": {"lumpia enak sekali"}, "setuju": {"1"}}, "")
	if res.StatusCode != http.StatusBadRequest {
		t.Errorf("NUL in a registration: %d", res.StatusCode)
	}
	// The JSON API's session too.
	r = httptest.NewRequest("POST", "/api/v1/sessions", strings.NewReader(`{"login":"a\u0000b@contoh.test","password":"x"}`))
	r.Header.Set("Content-Type", "application/json")
	if res := p.Do(t, r); res.StatusCode >= 500 {
		t.Errorf("API sign-in with NUL: %d", res.StatusCode)
	}
}
