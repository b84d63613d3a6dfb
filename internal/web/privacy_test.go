package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/pendopo/pendopo"
	"github.com/pendopo/pendopo/internal/app"
	"github.com/pendopo/pendopo/internal/portaltest"
)

// TestReportPrivacyNeverLeaks reads every public way out of the portal
// (pages, search, the similar-report suggestions, exports, Open311 in JSON
// and XML, the updates feed) after an anonymous and a confidential report
// were disposed and answered, and looks for the anonymous reporter's
// name and contact and for the confidential report's words. Officers see
// the confidential report but never the anonymous reporter.
func TestReportPrivacyNeverLeaks(t *testing.T) {
	p := portaltest.NewPortal(t)
	ctx := context.Background()
	if err := p.App.SetRegionBounds(ctx, pendopo.System, "33.74", &pendopo.Bounds{South: -7.12, West: 110.26, North: -6.93, East: 110.51}); err != nil {
		t.Fatal(err)
	}
	lat, lng := -6.99, 110.42
	file := func(privacy pendopo.Privacy, title, description, name, contact string) string {
		r, err := p.App.SubmitReport(ctx, pendopo.Actor{}, "33.74", pendopo.ReportInput{Kind: pendopo.ReportComplaint, Title: title,
			Description: description, Category: "jalan", Privacy: privacy, Name: name, Contact: contact,
			Location: pendopo.ReportLocation{Lat: &lat, Lng: &lng, Address: "Jl. Pemuda"}}, "")
		if err != nil {
			t.Fatal(err)
		}
		for _, act := range []app.ReportAct{{Action: pendopo.ActReportDispose, Agency: "disperkim"}, {Action: pendopo.ActReportAnswer, Note: "Sudah ditambal."}} {
			if _, err := p.App.ActOnReport(ctx, pendopo.System, r.Number, act); err != nil {
				t.Fatalf("%s: %v", act.Action, err)
			}
		}
		return r.Number
	}
	anon := file(pendopo.PrivacyAnonymous, "Jalan berlubang di Jl. Pemuda", "Lubang besar di depan toko roti, berbahaya bagi motor.",
		"Wulan Penyamar", "wulan.penyamar@contoh.id")
	secret := file(pendopo.PrivacyConfidential, "Pungutan zorblax di loket", "Petugas meminta uang zorblax untuk mempercepat urusan jalan.",
		"Pak Rahasia Sekali", "0812-3456-7890")
	identity := []string{"Wulan Penyamar", "wulan.penyamar", "Penyamar"}
	content := []string{"zorblax", "Pak Rahasia", "81234567890", secret}

	similar := url.Values{"kind": {"pengaduan"}, "category": {"jalan"}, "title": {"Jalan berlubang di Jl. Pemuda"},
		"description": {"Lubang besar dekat toko roti."}, "lat": {"-6.99"}, "lng": {"110.42"}, "privacy": {"publik"}, "contact": {"lain@contoh.id"}}
	offered := p.PostMultipart(t, "/daerah/33.74/lapor", similar, nil, "")
	if !strings.Contains(offered.Body, anon) {
		t.Fatalf("the anonymous report is not offered as similar (%d): the test would prove nothing", offered.StatusCode)
	}
	reads := map[string]portaltest.Response{
		"similar reports": offered,
		"public list":     p.Get(t, "/daerah/33.74/laporan"),
		"public page":     p.Get(t, "/laporan/"+anon),
		"search":          p.Get(t, "/cari?q=zorblax+penyamar+jalan"),
		"CSV":             p.Get(t, "/daerah/33.74/laporan.csv"),
		"GeoJSON":         p.Get(t, "/daerah/33.74/laporan.geojson"),
	}
	for _, ext := range []string{"json", "xml"} {
		reads["Open311 list "+ext] = p.Get(t, "/open311/v2/requests."+ext+"?jurisdiction_id=33.74")
		reads["Open311 one "+ext] = p.Get(t, "/open311/v2/requests/"+anon+"."+ext)
		reads["Open311 updates "+ext] = p.Get(t, "/open311/v2/servicerequestupdates."+ext+"?jurisdiction_id=33.74")
	}
	for name, res := range reads {
		if res.StatusCode != http.StatusOK {
			t.Errorf("%s: %d", name, res.StatusCode)
		}
		if !strings.Contains(res.Body, anon) && name != "search" {
			t.Errorf("%s does not list the anonymous report: the check below would prove nothing", name)
		}
		words := append(identity, content...)
		if name == "search" {
			// The page repeats the query; what matters is that no report
			// is found by its words.
			words = []string{"/laporan/", "Pak Rahasia", "Wulan"}
		}
		for _, s := range words {
			if strings.Contains(res.Body, s) {
				t.Errorf("%s shows %q", name, s)
			}
		}
	}
	for _, path := range []string{"/laporan/" + secret, "/open311/v2/requests/" + secret + ".json", "/open311/v2/requests/" + secret + ".xml"} {
		if res := p.Get(t, path); res.StatusCode != http.StatusNotFound || strings.Contains(res.Body, "zorblax") {
			t.Errorf("%s: %d", path, res.StatusCode)
		}
	}
	// The coordinator works the confidential report with its reporter,
	// and the anonymous one without.
	if page := p.GetAs(t, "/admin/laporan/"+secret, p.RegionAdmin); !strings.Contains(page.Body, "zorblax") || !strings.Contains(page.Body, "Pak Rahasia Sekali") {
		t.Errorf("the coordinator cannot see the confidential report: %d", page.StatusCode)
	}
	for _, path := range []string{"/admin/laporan/" + anon, "/admin/daerah/33.74/laporan?semua=1"} {
		page := p.GetAs(t, path, p.RegionAdmin)
		for _, s := range identity {
			if strings.Contains(page.Body, s) {
				t.Errorf("the coordinator's %s shows %q", path, s)
			}
		}
	}
}
