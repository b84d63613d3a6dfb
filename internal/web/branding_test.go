package web_test

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/pendopo/pendopo"
	"github.com/pendopo/pendopo/internal/app"
	"github.com/pendopo/pendopo/internal/demo"
	"github.com/pendopo/pendopo/internal/photo/phototest"
	"github.com/pendopo/pendopo/internal/portaltest"
)

func wantIn(t *testing.T, what, body string, wants ...string) {
	t.Helper()
	for _, w := range wants {
		if !strings.Contains(body, w) {
			t.Errorf("%s lacks %q", what, w)
		}
	}
}

// The branding page works before a region set anything: it says so, the
// needs panel shows an empty chart and everything as not mapped, and the
// open data file has its header only.
func TestBrandingPageEmpty(t *testing.T) {
	p := portaltest.NewPortal(t)
	for _, lang := range []string{"", "?lang=en"} {
		page := p.Get(t, "/daerah/33.74/branding"+lang)
		if page.StatusCode != http.StatusOK || wellFormedSVGs(t, page.Body) != 2 {
			t.Fatalf("empty branding page%s: %d", lang, page.StatusCode)
		}
		if lang == "" {
			wantIn(t, "empty page", page.Body, "Daerah ini belum menetapkan sektor prioritas.", "Kebutuhan warga", "Tidak terpetakan",
				"Belum ada data", `href="/data/daerah/33.74/program.csv"`, "Kota Semarang")
		} else {
			wantIn(t, "empty page (en)", page.Body, "This region has not set its priority sectors yet.", "Citizens&#39; needs", "Not mapped", "No data yet")
		}
		if strings.Contains(page.Body, "<script") && !strings.Contains(page.Body, `<script src="/static/`) {
			t.Error("the branding page has inline script")
		}
	}
	if region := p.Get(t, "/daerah/33.74"); !strings.Contains(region.Body, `href="/daerah/33.74/branding"`) {
		t.Error("the region page does not link to its branding")
	}
	if res := p.Get(t, "/daerah/99.99/branding"); res.StatusCode != http.StatusNotFound {
		t.Errorf("unknown region: %d", res.StatusCode)
	}
	res := p.Get(t, "/data/daerah/33.74/program.csv")
	rows, err := csv.NewReader(strings.NewReader(res.Body)).ReadAll()
	if res.StatusCode != http.StatusOK || err != nil || len(rows) != 1 || rows[0][0] != "kode_daerah" {
		t.Errorf("empty program.csv: %d %v %v", res.StatusCode, rows, err)
	}
	if res := p.Get(t, "/data/daerah/33.74/program.json"); res.StatusCode != http.StatusOK || strings.TrimSpace(res.Body) != "[\n]" && strings.TrimSpace(res.Body) != "[]" {
		t.Errorf("empty program.json: %d %q", res.StatusCode, res.Body)
	}
	if cat := p.Get(t, "/data/catalog.json"); !strings.Contains(cat.Body, "/data/daerah/33.74/program.csv") {
		t.Error("the catalog lacks the program dataset")
	}
}

// With the demo branding and a few reports, the page shows each sector
// with its rationale, programs with progress bars and updates, and the
// reports summed by sector, unmapped ones apart; the open data match.
func TestBrandingPageDemo(t *testing.T) {
	p := portaltest.NewPortal(t)
	ctx := context.Background()
	if seeded, err := demo.SeedBranding(ctx, p.App); err != nil || !seeded {
		t.Fatalf("seed: %v %v", seeded, err)
	}
	if again, err := demo.SeedBranding(ctx, p.App); err != nil || again {
		t.Fatalf("second seed: %v %v", again, err)
	}
	lat, lng := -6.97, 110.42
	for _, cat := range []string{"drainase-banjir", "drainase-banjir", "jalan"} {
		if _, err := p.App.SubmitReport(ctx, pendopo.Actor{}, "33.74", pendopo.ReportInput{Kind: pendopo.ReportComplaint, Title: "Genangan " + cat,
			Description: "Air menggenang setiap sore.", Category: cat, Privacy: pendopo.PrivacyPublic, Contact: "w@contoh.id",
			Location: pendopo.ReportLocation{Lat: &lat, Lng: &lng}}, ""); err != nil {
			t.Fatal(err)
		}
	}
	page := p.Get(t, "/daerah/33.74/branding")
	if page.StatusCode != http.StatusOK || wellFormedSVGs(t, page.Body) != 2 {
		t.Fatalf("branding page: %d", page.StatusCode)
	}
	wantIn(t, "Semarang's page", page.Body, "Perdagangan dan Kemaritiman", "Pariwisata Warisan Kota Lama", "Kota Tangguh Air",
		"Banjir dan rob", `<progress max="100" value="34"`, "Normalisasi saluran kawasan pesisir", "Dua pompa baru beroperasi",
		"Rp27.000.000.000", "Berjalan", "Rencana", `<details class="chart-data">`, "Drainase dan banjir (laporan: 2)",
		"Jalan dan jembatan rusak (laporan: 1)", "Tidak terpetakan")
	// The needs table: Kota Tangguh Air has the two flood reports.
	if !regexp.MustCompile(`<th scope="row">Kota Tangguh Air</th><td>2</td><td>0</td>`).MatchString(page.Body) {
		t.Error("the needs table does not count the flood reports under Kota Tangguh Air")
	}
	if !regexp.MustCompile(`<th scope="row">Tidak terpetakan</th><td>1</td>`).MatchString(page.Body) {
		t.Error("the needs table does not count the road report as not mapped")
	}
	en := p.Get(t, "/daerah/33.72/branding?lang=en")
	wantIn(t, "Surakarta's page (en)", en.Body, "Batik dan Kriya", "On hold", "Progress updates", "Reached 64 of the target 150 UMKM (43%)")

	res := p.Get(t, "/data/daerah/33.74/program.json")
	var list []map[string]any
	if err := json.Unmarshal([]byte(res.Body), &list); err != nil || len(list) != 6 {
		t.Fatalf("program.json: %d rows, %v", len(list), err)
	}
	first := list[0]
	if first["sektor"] != "perdagangan-maritim" || first["anggaran_rupiah"] != float64(18_500_000_000) || first["status"] != "berjalan" || first["kabar_terakhir"] == nil {
		t.Errorf("first program row: %v", first)
	}
	for _, k := range []string{"email", "pelapor", "nama_petugas"} {
		if _, ok := first[k]; ok {
			t.Errorf("program.json has %s", k)
		}
	}
	csvRes := p.Get(t, "/data/daerah/33.72/program.csv")
	rows, err := csv.NewReader(strings.NewReader(csvRes.Body)).ReadAll()
	if err != nil || len(rows) != 7 || rows[1][1] != "batik-kriya" {
		t.Errorf("program.csv of 33.72: %d rows %v", len(rows), err)
	}
}

// The console: forms refuse bad input field by field in both languages,
// save good input with an audit entry, take JPEG and PNG photos by
// content up to 5 MB and show them publicly with their alt text.
func TestBrandingConsole(t *testing.T) {
	p := portaltest.NewPortal(t)
	ctx := context.Background()
	admin := p.RegionAdmin
	base := "/admin/daerah/33.74/branding"
	if res := p.GetAs(t, base, admin); res.StatusCode != http.StatusOK || !strings.Contains(res.Body, "Belum ada sektor") {
		t.Fatalf("console: %d", res.StatusCode)
	}
	if res := p.GetAs(t, "/admin/daerah/33.74", admin); !strings.Contains(res.Body, `href="/admin/daerah/33.74/branding"`) {
		t.Error("the console's navigation lacks the branding page")
	}

	// A sector: errors in Indonesian and English, then saved.
	bad := url.Values{"slug": {"Pariwisata Kota"}, "name": {""}, "position": {"pertama"}}
	res := p.PostForm(t, base+"/sektor/baru", bad, admin)
	if res.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("invalid sector: %d", res.StatusCode)
	}
	wantIn(t, "sector errors", res.Body, "Tulis urutan sebagai bilangan bulat", `aria-invalid="true"`)
	bad.Set("position", "1")
	res = p.PostForm(t, base+"/sektor/baru?lang=en", bad, admin)
	wantIn(t, "sector errors (en)", res.Body, "Use lowercase letters, digits and hyphens", "Required.")
	res = p.PostForm(t, base+"/sektor/baru", url.Values{"slug": {"pariwisata"}, "name": {"Pariwisata"}, "rationale": {"Kota Lama."}, "position": {"10"}}, admin)
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != base+"?pesan=tersimpan" {
		t.Fatalf("save sector: %d %s", res.StatusCode, res.Header.Get("Location"))
	}
	res = p.PostForm(t, base+"/sektor/baru", url.Values{"slug": {"pariwisata"}, "name": {"Lagi"}, "position": {"10"}}, admin)
	wantIn(t, "taken slug", res.Body, "sudah punya sektor dengan slug itu")
	b, err := p.App.Branding(ctx, "33.74")
	if err != nil || len(b.Sectors) != 1 {
		t.Fatalf("sectors: %+v %v", b.Sectors, err)
	}
	sector := b.Sectors[0]

	// A program: numbers and dates that do not parse, an end before the
	// start, then saved.
	prog := url.Values{"sector": {"0"}, "name": {"Festival Kota Lama"}, "indicator": {"Pengunjung"}, "unit": {"orang"},
		"target_value": {"1.000.000"}, "current_value": {"banyak"}, "budget": {"Rp 2,5 M"}, "start": {"2026-03-01"}, "end": {"2026-02-01"}, "status": {"berjalan"}}
	res = p.PostForm(t, base+"/program/baru", prog, admin)
	if res.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("invalid program: %d", res.StatusCode)
	}
	wantIn(t, "program errors", res.Body, "Pilih sektornya.", "Tulis sebagai angka", "Tulis anggaran dalam rupiah", "Tanggal selesai tidak boleh sebelum",
		`value="banyak"`)
	prog.Set("sector", itoa(sector.ID))
	prog.Set("current_value", "250.000")
	prog.Set("budget", "2.500.000.000")
	prog.Set("end", "2026-12-31")
	res = p.PostForm(t, base+"/program/baru", prog, admin)
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("save program: %d %s", res.StatusCode, res.Body[:min(2000, len(res.Body))])
	}
	progPath := strings.TrimSuffix(res.Header.Get("Location"), "?pesan=tersimpan")
	b, _ = p.App.Branding(ctx, "33.74")
	if len(b.Programs) != 1 || b.Programs[0].TargetValue != 1e6 || b.Programs[0].CurrentValue != 250000 || b.Programs[0].Budget != 2_500_000_000 {
		t.Fatalf("saved program: %+v", b.Programs)
	}

	// Updates: a PDF and an oversized photo are refused with the form shown
	// again; a JPEG with alt text is stored and served publicly.
	jpeg := string(phototest.JPEGWithEXIF(40, 20, 6))
	upd := url.Values{"day": {"2026-11-20"}, "text": {"Panggung berdiri di taman."}, "value": {"400.000"}, "photo_alt": {"Panggung di taman kota."}}
	res = p.PostMultipart(t, progPath+"/kabar", upd, map[string][2]string{"photo": {"foto.jpg", "%PDF-1.4 bukan foto"}}, admin)
	if res.StatusCode != http.StatusUnsupportedMediaType {
		t.Errorf("a PDF as a photo: %d", res.StatusCode)
	}
	wantIn(t, "PDF refused", res.Body, "Jenis berkas tidak diterima", `id="e-photo"`)
	res = p.PostMultipart(t, progPath+"/kabar", upd, map[string][2]string{"photo": {"besar.jpg", jpeg + strings.Repeat("x", app.MaxProgramPhotoBytes)}}, admin)
	if res.StatusCode != http.StatusRequestEntityTooLarge {
		t.Errorf("a photo over 5 MB: %d", res.StatusCode)
	}
	wantIn(t, "large photo refused", res.Body, `id="e-photo"`)
	// Far over the limit, the upload is cut off while it is read.
	res = p.PostMultipart(t, progPath+"/kabar", upd, map[string][2]string{"photo": {"besar.jpg", jpeg + strings.Repeat("x", 6<<20)}}, admin)
	if res.StatusCode != http.StatusRequestEntityTooLarge || !strings.Contains(res.Body, "Foto terlalu besar") {
		t.Errorf("a 6 MB upload: %d", res.StatusCode)
	}
	noAlt := url.Values{"day": {"2026-11-20"}, "text": {"Foto."}}
	res = p.PostMultipart(t, progPath+"/kabar?lang=en", noAlt, map[string][2]string{"photo": {"foto.jpg", jpeg}}, admin)
	wantIn(t, "photo without alt (en)", res.Body, "Describe the photo for readers who cannot see it.")
	res = p.PostMultipart(t, progPath+"/kabar", upd, map[string][2]string{"photo": {"foto.jpg", jpeg}}, admin)
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("add update: %d", res.StatusCode)
	}
	b, _ = p.App.Branding(ctx, "33.74")
	if len(b.Updates) != 1 || b.Updates[0].Photo == "" || b.Programs[0].CurrentValue != 400000 {
		t.Fatalf("after the update: %+v %+v", b.Updates, b.Programs)
	}
	public := p.Get(t, "/daerah/33.74/branding")
	photo := "/daerah/33.74/branding/foto/" + b.Updates[0].Photo
	wantIn(t, "public page with the update", public.Body, `<img src="`+photo+`" alt="Panggung di taman kota."`, "Panggung berdiri di taman.", `value="40"`)
	// Served without the EXIF the camera wrote (its position, its owner).
	if img := p.Get(t, photo); img.StatusCode != http.StatusOK || img.Header.Get("Content-Type") != pendopo.MediaJPEG ||
		strings.Contains(img.Body, "Exif") || strings.Contains(img.Body, phototest.PhotoOwner) || !strings.HasPrefix(img.Body, "\xFF\xD8") {
		t.Errorf("photo: %d %s", img.StatusCode, img.Header.Get("Content-Type"))
	}
	if img := p.Get(t, "/daerah/33.72/branding/foto/"+b.Updates[0].Photo); img.StatusCode != http.StatusNotFound {
		t.Errorf("the photo through another region: %d", img.StatusCode)
	}

	// The mapping: an unknown sector is a field error; a good one is kept.
	res = p.PostForm(t, base+"/pemetaan", url.Values{"laporan_jalan": {"999999"}}, admin)
	if res.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("a mapping to an unknown sector: %d", res.StatusCode)
	}
	wantIn(t, "mapping error", res.Body, `id="e-laporan_jalan"`, "Sektor itu bukan sektor daerah ini.")
	res = p.PostForm(t, base+"/pemetaan", url.Values{"laporan_taman-fasum": {itoa(sector.ID)}, "layanan_kebudayaan-pariwisata": {itoa(sector.ID)}, "laporan_jalan": {""}}, admin)
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("save mapping: %d", res.StatusCode)
	}
	if page := p.GetAs(t, base+"/pemetaan", admin); strings.Count(page.Body, `value="`+itoa(sector.ID)+`" selected`) != 2 {
		t.Error("the mapping form does not show the saved mapping")
	}

	log, _, err := p.App.Store().AuditLog(ctx, pendopo.AuditFilter{Region: "33.74", Action: "branding"})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]int{}
	for _, e := range log {
		got[e.Action]++
		if !strings.HasPrefix(e.Actor, "Admin Semarang") {
			t.Errorf("audit entry by %q", e.Actor)
		}
	}
	if got["branding.sector"] != 1 || got["branding.program"] != 1 || got["branding.update"] != 1 || got["branding.map"] != 1 {
		t.Errorf("audit entries: %v", got)
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
