package web_test

import (
	"context"
	"encoding/xml"
	"io"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/pendopo/pendopo"
	"github.com/pendopo/pendopo/internal/app"
	"github.com/pendopo/pendopo/internal/demo"
	"github.com/pendopo/pendopo/internal/portaltest"
)

// wellFormedSVGs parses every inline SVG of a page.
func wellFormedSVGs(t *testing.T, body string) int {
	t.Helper()
	svgs := regexp.MustCompile(`(?s)<svg.*?</svg>`).FindAllString(body, -1)
	for _, s := range svgs {
		d := xml.NewDecoder(strings.NewReader(s))
		for {
			if _, err := d.Token(); err == io.EOF {
				break
			} else if err != nil {
				t.Errorf("SVG not well formed: %v\n%s", err, s[:min(300, len(s))])
				break
			}
		}
	}
	return len(svgs)
}

// The dashboard renders with no data at all (every chart says so) and
// with activity, in both languages, each chart followed by its table.
func TestDashboard(t *testing.T) {
	p := portaltest.NewPortal(t)
	ctx := context.Background()
	empty := p.Get(t, "/daerah/33.72/kinerja")
	if empty.StatusCode != http.StatusOK || !strings.Contains(empty.Body, "Belum ada data") || wellFormedSVGs(t, empty.Body) < 4 {
		t.Fatalf("empty dashboard: %d", empty.StatusCode)
	}
	lat, lng := -7.0, 110.4
	for i, cat := range []string{"jalan", "jalan", "sampah"} {
		r, err := p.App.SubmitReport(ctx, pendopo.Actor{}, "33.74", pendopo.ReportInput{Kind: pendopo.ReportComplaint, Title: "Masalah " + cat,
			Description: "Uraian masalah di jalan.", Category: cat, Privacy: pendopo.PrivacyPublic, Contact: "w@contoh.id",
			Location: pendopo.ReportLocation{Lat: &lat, Lng: &lng}}, "")
		if err != nil {
			t.Fatal(err)
		}
		if i == 0 {
			for _, act := range []app.ReportAct{{Action: pendopo.ActReportDispose, Agency: "disperkim"}, {Action: pendopo.ActReportAnswer, Note: "Sudah."}} {
				if _, err := p.App.ActOnReport(ctx, pendopo.System, r.Number, act); err != nil {
					t.Fatal(err)
				}
			}
		}
	}
	subj, err := p.App.SurveyForVisit(ctx, "33.74", "", 0)
	if err != nil {
		t.Fatal(err)
	}
	code, err := p.App.SurveyCode(ctx, pendopo.System, "33.74", "")
	if err != nil {
		t.Fatal(err)
	}
	subj.Code = code.Code // as the QR code at the counter gives it
	if _, err := p.App.SubmitSurvey(ctx, subj, map[pendopo.UnsurID]int{pendopo.UnsurRequirements: 4, pendopo.UnsurConduct: 3}, "", "kiosk-1"); err != nil {
		t.Fatal(err)
	}
	for _, lang := range []string{"", "?lang=en"} {
		page := p.Get(t, "/daerah/33.74/kinerja"+lang)
		if page.StatusCode != http.StatusOK || wellFormedSVGs(t, page.Body) != 5 || strings.Count(page.Body, `<details class="chart-data">`) != 5 {
			t.Fatalf("dashboard%s: %d, %d charts", lang, page.StatusCode, wellFormedSVGs(t, page.Body))
		}
		title := "Permohonan per bulan"
		if lang != "" {
			title = "Applications per month"
		}
		for _, want := range []string{title, `href="/daerah/33.74/kinerja?opd=disperkim"`, "/data/daerah/33.74/kinerja.csv?dari=2025-12&amp;sampai=2026-11", `role="img"`} {
			if !strings.Contains(page.Body, want) {
				t.Errorf("dashboard%s lacks %s", lang, want)
			}
		}
	}
	page := p.Get(t, "/daerah/33.74/kinerja")
	for _, want := range []string{"<strong>3</strong> laporan warga masuk", "Jalan", "87,50 (B)", "Indeks e-gov Pendopo"} {
		if !strings.Contains(page.Body, want) {
			t.Errorf("dashboard lacks %q", want)
		}
	}
	agency := p.Get(t, "/daerah/33.74/kinerja?opd=disperkim&dari=2026-11&sampai=2026-11")
	if agency.StatusCode != http.StatusOK || !strings.Contains(agency.Body, "<strong>100,0%</strong> ditindaklanjuti tepat waktu") {
		t.Errorf("agency dashboard: %d", agency.StatusCode)
	}
	rapor := p.Get(t, "/daerah/33.74/opd/disperkim/rapor")
	if rapor.StatusCode != http.StatusOK || !strings.Contains(rapor.Body, "Rapor pelayanan") {
		t.Errorf("rapor: %d %s", rapor.StatusCode, rapor.Body[:min(len(rapor.Body), 3000)])
	}
	for _, tt := range []struct {
		path   string
		status int
	}{
		{"/daerah/33.74/kinerja?opd=tidak-ada", http.StatusNotFound},
		{"/daerah/33.74/opd/tidak-ada/rapor", http.StatusNotFound},
		{"/daerah/33.74/kinerja?dari=kemarin", http.StatusUnprocessableEntity},
		{"/daerah/99.99/kinerja", http.StatusNotFound},
	} {
		if res := p.Get(t, tt.path); res.StatusCode != tt.status {
			t.Errorf("%s: %d, want %d", tt.path, res.StatusCode, tt.status)
		}
	}
}

// With the demo's year of activity every chart of Kota Semarang's
// dashboard has data in every month, and the ranking puts it first.
func TestDashboardWithAYear(t *testing.T) {
	p := portaltest.NewPortal(t)
	ctx := context.Background()
	if _, err := demo.AddAccounts(ctx, p.App, "kata sandi demo yang panjang"); err != nil {
		t.Fatal(err)
	}
	if _, err := demo.SeedReports(ctx, p.App); err != nil {
		t.Fatal(err)
	}
	if _, err := demo.SeedYear(ctx, p.App); err != nil {
		t.Fatal(err)
	}
	page := p.Get(t, "/daerah/33.74/kinerja")
	if page.StatusCode != http.StatusOK || wellFormedSVGs(t, page.Body) != 5 || strings.Contains(page.Body, "Belum ada data") {
		t.Fatalf("a year's dashboard: %d", page.StatusCode)
	}
	// Each month's bars: 12 months × 2 series of applications and of
	// reports, and 9 unsur.
	if n := strings.Count(page.Body, `class="bar`); n < 12*2*2+9 {
		t.Errorf("%d bars", n)
	}
	rank := p.Get(t, "/indeks/33")
	first := strings.Index(rank.Body, "<tbody>")
	if first < 0 || !strings.Contains(rank.Body[first:first+300], "Kota Semarang") {
		t.Errorf("Kota Semarang does not lead Jawa Tengah's ranking")
	}
}
