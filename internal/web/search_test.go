package web_test

import (
	"context"
	"encoding/json"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/pendopo/pendopo"
	"github.com/pendopo/pendopo/internal/portaltest"
)

// TestSearchAnswers: a problem leads to the region's report form with its
// category chosen; another institution's service says who provides it and
// links to its site; an English query finds the region's service by the
// national lexicon.
func TestSearchAnswers(t *testing.T) {
	p := portaltest.NewPortal(t)
	get := func(q, region string) string {
		t.Helper()
		v := url.Values{"q": {q}}
		if region != "" {
			v.Set("daerah", region)
		}
		res := p.Get(t, "/cari?"+v.Encode())
		if res.StatusCode != 200 {
			t.Fatalf("%q: %d", q, res.StatusCode)
		}
		return res.Body
	}
	body := get("lampu jalan mati", "33.74")
	if !strings.Contains(body, `href="/daerah/33.74/lapor?kategori=penerangan-jalan"`) || !strings.Contains(body, "Laporkan masalah:") {
		t.Error("a broken street light does not lead to the report form")
	}
	if i, j := strings.Index(body, "Laporkan masalah:"), strings.Index(body, `class="service-list`); j >= 0 && i > j {
		t.Error("the report answer comes after the services")
	}
	if body := get("lampu jalan mati", ""); !strings.Contains(body, "pilih daerahnya dahulu") {
		t.Error("a national search does not ask for the region of the problem")
	}
	body = get("perpanjang sim", "33.74")
	if !strings.Contains(body, `href="https://www.korlantas.polri.go.id" rel="noopener noreferrer"`) || !strings.Contains(body, "bukan oleh pemerintah daerah") {
		t.Error("a driving licence does not point to the police")
	}
	if body := get("birth certificate", "33.74"); !strings.Contains(body, "Akta Kelahiran") || strings.Contains(body, "Laporkan masalah") {
		t.Error("an English query does not find the birth certificate, or offers to report a problem")
	}
	// A region's search shows its own services first; other regions'
	// services of kinds it lacks come after, labelled.
	body = get("rusunawa", "33.22")
	if i, j := strings.Index(body, "Di daerah lain"), strings.Index(body, "Rusunawa"); i < 0 || j < i || !strings.Contains(body, "Kota Semarang") {
		t.Error("Kabupaten Semarang has no rusunawa, and other regions' are not offered, labelled")
	}
	// The search log counts a query searched twice that found nothing, and
	// one searched again from its results page.
	get("zzkeurx qqwvz", "33.74")
	get("zzkeurx qqwvz", "33.74")
	p.Get(t, "/cari?q=surat+sehat&daerah=33.74&sebelum=zzkeurx+qqwvz")
	if err := p.App.FlushSearchLog(context.Background()); err != nil {
		t.Fatal(err)
	}
	log, err := p.App.SearchLog(context.Background(), pendopo.System, "33.74", 50)
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, c := range log {
		if c.Query == "zzkeurx qqwvz" && c.Searches == 2 && c.Empty == 2 && c.Refined == 1 {
			found = true
		}
	}
	if !found {
		t.Errorf("search log: %+v", log)
	}
}

// TestSearchLogConsole: a region admin sees what was searched in the
// region without result and makes a query find one of the region's
// services; the rule holds only in that region. Another region's admin,
// an officer and a visitor cannot read the log or add to it.
func TestSearchLogConsole(t *testing.T) {
	p := portaltest.NewPortal(t)
	ctx := context.Background()
	for range 2 {
		p.Get(t, "/cari?q=qwkeur&daerah=33.74")
	}
	p.Get(t, "/cari?q=qwkeur&daerah=33.72")
	p.Get(t, "/cari?q=qwkeur&daerah=33.72")
	p.Get(t, "/cari?q=bukan+personal+0812345678&daerah=33.74")
	p.Get(t, "/cari?q=bukan+personal+0812345678&daerah=33.74")
	if err := p.App.FlushSearchLog(ctx); err != nil {
		t.Fatal(err)
	}
	page := p.GetAs(t, "/admin/daerah/33.74/pencarian", p.RegionAdmin)
	if page.StatusCode != 200 || !strings.Contains(page.Body, "qwkeur") || strings.Contains(page.Body, "0812345678") {
		t.Fatalf("region log: %d, has the query: %v", page.StatusCode, strings.Contains(page.Body, "qwkeur"))
	}
	other := p.Officer(t, "Admin Salatiga", "admin@salatiga.test", pendopo.Role{Kind: pendopo.RoleRegionAdmin, Region: "33.73"})
	for _, who := range []string{other, ""} {
		if res := p.GetAs(t, "/admin/daerah/33.74/pencarian", who); res.StatusCode == 200 {
			t.Errorf("%q reads Semarang's search log", who)
		}
	}
	if res := p.GetAs(t, "/admin/pencarian", p.RegionAdmin); res.StatusCode == 200 {
		t.Error("a region admin reads the national search log")
	}
	sehat, err := p.App.Search(ctx, "surat keterangan sehat", "33.74", pendopo.Page{PerPage: 1})
	if err != nil || len(sehat.Hits) == 0 {
		t.Fatal("no health certificate in Semarang")
	}
	id := strconv.FormatInt(sehat.Hits[0].ID, 10)
	// Salatiga's admin cannot point the query at Semarang's service, not
	// even through Salatiga's own console.
	if res := p.PostForm(t, "/admin/daerah/33.73/pencarian/sinonim", url.Values{"q": {"qwkeur"}, "layanan": {id}}, other); res.StatusCode != 422 {
		t.Errorf("a service of another region through one's own console: %d", res.StatusCode)
	}
	if res := p.PostForm(t, "/admin/daerah/33.74/pencarian/sinonim", url.Values{"q": {"qwkeur"}, "layanan": {id}}, other); res.StatusCode != 403 {
		t.Errorf("another region's admin adds a synonym: %d", res.StatusCode)
	}
	res := p.PostForm(t, "/admin/daerah/33.74/pencarian/sinonim", url.Values{"q": {"qwkeur"}, "layanan": {id}}, p.RegionAdmin)
	if res.StatusCode != 303 {
		t.Fatalf("add synonym: %d %s", res.StatusCode, res.Body)
	}
	found, _ := p.App.Search(ctx, "qwkeur", "33.74", pendopo.Page{PerPage: 3})
	if len(found.Hits) == 0 || found.Hits[0].ID != sehat.Hits[0].ID {
		t.Errorf("qwkeur does not find the service: %+v", found.Hits)
	}
	if elsewhere, _ := p.App.Search(ctx, "qwkeur", "33.72", pendopo.Page{PerPage: 3}); len(elsewhere.Hits) != 0 {
		t.Errorf("Semarang's synonym applies in Magelang: %+v", elsewhere.Hits)
	}
	// The change is in the audit trail.
	if audit := p.GetAs(t, "/admin/audit?aksi=synonyms.learn", p.Admin); !strings.Contains(audit.Body, "synonyms.learn") {
		t.Error("the synonym is not in the audit trail")
	}
	// A query that cannot be a synonym is refused with the form again.
	if res := p.PostForm(t, "/admin/daerah/33.74/pencarian/sinonim", url.Values{"q": {"yang"}, "layanan": {id}}, p.RegionAdmin); res.StatusCode != 422 {
		t.Errorf("a stop word as a synonym: %d", res.StatusCode)
	}
}

// TestManifest: the portal is installable, with icons that are served.
func TestManifest(t *testing.T) {
	p := portaltest.NewPortal(t)
	res := p.Get(t, "/manifest.webmanifest")
	var m struct {
		Name     string `json:"name"`
		StartURL string `json:"start_url"`
		Display  string `json:"display"`
		Icons    []struct{ Src, Sizes, Type string }
	}
	if res.StatusCode != 200 || res.Header.Get("Content-Type") != "application/manifest+json" || json.Unmarshal([]byte(res.Body), &m) != nil ||
		len(m.Icons) < 2 || m.Name != "Pendopo" || m.StartURL != "/" || m.Display != "standalone" {
		t.Fatalf("manifest: %d %s", res.StatusCode, res.Body)
	}
	for _, ic := range m.Icons {
		if got := p.Get(t, ic.Src); got.StatusCode != 200 || !strings.HasPrefix(got.Header.Get("Content-Type"), ic.Type) {
			t.Errorf("icon %s: %d %s", ic.Src, got.StatusCode, got.Header.Get("Content-Type"))
		}
	}
	if home := p.Get(t, "/"); !strings.Contains(home.Body, `<link rel="manifest" href="/manifest.webmanifest">`) {
		t.Error("pages do not link the manifest")
	}
}

// TestQueueOpensWhereWorkIs: a region admin's queue opens on the agency
// whose application is due soonest, not on the first agency by name.
func TestQueueOpensWhereWorkIs(t *testing.T) {
	p := portaltest.NewPortal(t)
	svc := p.OnlineService(t, "33.74", "penerbitan-ktp-el")
	u, err := p.App.AddUser(context.Background(), "Budi Santoso", "budi@warga.test", portaltest.Password, nil)
	if err != nil {
		t.Fatal(err)
	}
	p.Apply(t, u.ID, svc.ID, true)
	res := p.GetAs(t, "/admin/daerah/33.74/permohonan", p.RegionAdmin)
	if !strings.Contains(res.Body, `<option value="disdukcapil" selected>`) || !strings.Contains(res.Body, "/admin/permohonan/") {
		t.Errorf("the region admin's queue does not open on the civil registry's application")
	}
}

// TestContentLanguage: in English, what regions wrote stays Indonesian and
// is marked so (WCAG 3.1.2), with one note on the page; the kind's English
// name is shown.
func TestContentLanguage(t *testing.T) {
	p := portaltest.NewPortal(t)
	res, err := p.App.Search(context.Background(), "akta kelahiran", "33.74", pendopo.Page{PerPage: 1})
	if err != nil || len(res.Hits) == 0 {
		t.Fatal("no birth certificate")
	}
	path := "/layanan/" + strconv.FormatInt(res.Hits[0].ID, 10)
	en := p.Get(t, path+"?lang=en").Body
	if !strings.Contains(en, `<h1 lang="id">`) || !strings.Contains(en, `<ol class="steps" lang="id">`) ||
		!strings.Contains(en, "Official service information is written in Indonesian.") || !strings.Contains(en, "Birth certificate") {
		t.Error("English service page: content not marked Indonesian, no note, or no English kind name")
	}
	if id := p.Get(t, path).Body; strings.Contains(id, `lang="id">`) && strings.Contains(id, `<h1 lang="id">`) {
		t.Error("an Indonesian page marks its content as a language change")
	}
	if list := p.Get(t, "/daerah/33.74/layanan?lang=en").Body; !strings.Contains(list, `" lang="id">Penerbitan`) {
		t.Error("English service list: names not marked Indonesian")
	}
}
