package web_test

import (
	"context"
	"strings"
	"testing"

	"github.com/pendopo/pendopo"
	"github.com/pendopo/pendopo/internal/app"
	"github.com/pendopo/pendopo/internal/demo"
	"github.com/pendopo/pendopo/internal/portaltest"
)

// TestContentLanguagePages: in English the interface is English and what
// regions wrote stays Indonesian. Every page that shows a region's words
// marks them lang="id" (WCAG 2.1 SC 3.1.2) and says once that official
// information is in Indonesian; service lists add the kind's English
// name. Citizens' words (a report's title) are left unmarked: they may be
// in any language. In Indonesian nothing is marked but the page itself.
func TestContentLanguagePages(t *testing.T) {
	p := portaltest.NewPortal(t)
	ctx := context.Background()
	if _, err := demo.SeedBranding(ctx, p.App); err != nil {
		t.Fatal(err)
	}
	lat, lng := -6.99, 110.42
	rep, err := p.App.SubmitReport(ctx, pendopo.Actor{}, "33.74", pendopo.ReportInput{Kind: pendopo.ReportComplaint,
		Title: "Street light broken", Description: "Three street lights in front of the school have been out for a week.",
		Category: "penerangan-jalan", Privacy: pendopo.PrivacyPublic, Contact: "warga@contoh.id",
		Location: pendopo.ReportLocation{Lat: &lat, Lng: &lng}}, "")
	if err != nil {
		t.Fatal(err)
	}
	for _, act := range []app.ReportAct{{Action: pendopo.ActReportDispose, Agency: "dishub"},
		{Action: pendopo.ActReportAnswer, Note: "Lampu sudah diganti oleh petugas."}} {
		if _, err := p.App.ActOnReport(ctx, pendopo.System, rep.Number, act); err != nil {
			t.Fatal(err)
		}
	}
	const note = "Official service information is written in Indonesian."
	pages := []struct {
		path string
		// marks are what must carry lang="id" in English.
		marks []string
	}{
		{"/daerah/33.74", []string{`<p class="lead" lang="id">Kota pelabuhan`, `<a href="/daerah/33.74/opd/disdukcapil" lang="id">`, `<p lang="id">Ibu kota Provinsi`}},
		{"/daerah/33.74/opd", []string{`<h2 class="h3" lang="id"><a href="/daerah/33.74/opd/disdukcapil">`, `<p lang="id">Menerbitkan dokumen`}},
		{"/daerah/33.74/opd/disdukcapil", []string{`<h1 lang="id">`, `<p lang="id">Menerbitkan dokumen`, `" lang="id">Penerbitan`}},
		{"/daerah/33.74/unit-layanan", []string{`<h2 class="h3" lang="id">`}},
		{"/daerah/33.74/peristiwa/kelahiran", []string{`" lang="id">Penerbitan Akta Kelahiran</a> <span class="kind">Birth certificate</span>`}},
		{"/daerah/33.74/layanan", []string{`" lang="id">Penerbitan`, `<span class="kind">`}},
		{"/daerah/33.74/layanan?urut=durasi", []string{`<h3 lang="id">`}},
		{"/bandingkan/ktp-el", []string{`<small lang="id">`}},
		{"/daerah/33.74/branding", []string{`<p class="lead" lang="id">`, `<h3 id="h-sector-`, `" lang="id">`}},
		{"/daerah/33.74/laporan", []string{`<span lang="id">Lampu sudah diganti`}},
		{"/laporan/" + rep.Number, []string{`<p class="note" lang="id">Lampu sudah diganti`, `<dd lang="id">`}},
		{"/cari?q=akta+kelahiran&daerah=33.74", []string{`<h3 lang="id">`, `<p class="meta">Birth certificate</p>`}},
	}
	for _, pg := range pages {
		sep := "?"
		if strings.Contains(pg.path, "?") {
			sep = "&"
		}
		en := p.Get(t, pg.path+sep+"lang=en")
		if en.StatusCode != 200 {
			t.Errorf("%s in English: %d", pg.path, en.StatusCode)
			continue
		}
		for _, m := range pg.marks {
			if !strings.Contains(en.Body, m) {
				t.Errorf("%s in English: no %s", pg.path, m)
			}
		}
		if n := strings.Count(en.Body, note); n != 1 {
			t.Errorf("%s in English says %d times that content is in Indonesian, want once", pg.path, n)
		}
		id := p.Get(t, pg.path).Body
		if n := strings.Count(id, ` lang="id"`); n != 1 {
			t.Errorf("%s in Indonesian has %d lang=\"id\" (the page's own is the only one wanted)", pg.path, n)
		}
		if strings.Contains(id, "Birth certificate") {
			t.Errorf("%s in Indonesian shows the English kind name", pg.path)
		}
	}
	// A citizen's title stays unmarked: it may be in any language.
	if b := p.Get(t, "/laporan/"+rep.Number+"?lang=en").Body; !strings.Contains(b, "<h1>Street light broken</h1>") {
		t.Error("a report's title, a citizen's words, is marked as Indonesian")
	}
	// A page without a region's words has no note.
	if b := p.Get(t, "/tentang?lang=en").Body; strings.Contains(b, note) {
		t.Error("the about page says official content is in Indonesian")
	}
}
