package web_test

import (
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/pendopo/pendopo"
	"github.com/pendopo/pendopo/internal/portaltest"
)

func TestRankingAndOversight(t *testing.T) {
	p := portaltest.NewPortal(t)
	page := p.Get(t, "/indeks")
	if page.StatusCode != http.StatusOK || !strings.Contains(page.Body, `<a href="/daerah/33.74/kinerja">Kota Semarang</a>`) ||
		!strings.Contains(page.Body, "daerah belum memulai") {
		t.Fatalf("national ranking: %d", page.StatusCode)
	}
	// Scores are written as every other figure of the page: a decimal
	// comma in Indonesian, a point in English.
	if !regexp.MustCompile(`<td><strong>\d+,\d</strong></td>`).MatchString(page.Body) {
		t.Error("Indonesian scores are not written with a decimal comma")
	}
	if en := p.Get(t, "/indeks?lang=en"); !regexp.MustCompile(`<td><strong>\d+\.\d</strong></td>`).MatchString(en.Body) {
		t.Error("English scores are not written with a decimal point")
	}
	prov := p.Get(t, "/indeks/33")
	if prov.StatusCode != http.StatusOK || strings.Contains(prov.Body, "Kota Surabaya") || !strings.Contains(prov.Body, "Kota Surakarta") {
		t.Errorf("Jawa Tengah's ranking: %d", prov.StatusCode)
	}
	for path, status := range map[string]int{"/indeks/33.74": http.StatusUnprocessableEntity, "/indeks/99": http.StatusNotFound} {
		if res := p.Get(t, path); res.StatusCode != status {
			t.Errorf("%s: %d, want %d", path, res.StatusCode, status)
		}
	}
	over := p.GetAs(t, "/admin/pemantauan", p.Admin)
	if over.StatusCode != http.StatusOK || !strings.Contains(over.Body, "Belum memakai Pendopo") || !strings.Contains(over.Body, "Jawa Tengah") {
		t.Fatalf("national oversight: %d", over.StatusCode)
	}
	jateng := p.Officer(t, "Pengawas Jateng", "pengawas@jatengprov.test", pendopo.Role{Kind: pendopo.RoleOverseer, Region: "33"})
	own := p.GetAs(t, "/admin/pemantauan", jateng)
	if own.StatusCode != http.StatusOK || !strings.Contains(own.Body, "Pemantauan e-gov Jawa Tengah") || strings.Contains(own.Body, "Kota Surabaya") {
		t.Errorf("the province's overseer: %d", own.StatusCode)
	}
	if res := p.GetAs(t, "/admin/pemantauan?provinsi=35", jateng); res.StatusCode != http.StatusForbidden {
		t.Errorf("another province: %d", res.StatusCode)
	}
}
