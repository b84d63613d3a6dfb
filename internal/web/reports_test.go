package web_test

import (
	"context"
	"encoding/json"
	"encoding/xml"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/pendopo/pendopo"
	"github.com/pendopo/pendopo/internal/app"
	"github.com/pendopo/pendopo/internal/photo/phototest"
	"github.com/pendopo/pendopo/internal/portaltest"
	"github.com/pendopo/pendopo/internal/web"
)

// cookieOf returns the value of a cookie a response set.
func cookieOf(res portaltest.Response, name string) string {
	for _, c := range res.Cookies() {
		if c.Name == name {
			return c.Value
		}
	}
	return ""
}

func TestReportPages(t *testing.T) {
	p := portaltest.NewPortal(t)
	ctx := context.Background()
	if err := p.App.SetRegionBounds(ctx, pendopo.System, "33.74", &pendopo.Bounds{South: -7.12, West: 110.26, North: -6.93, East: 110.51}); err != nil {
		t.Fatal(err)
	}
	if form := p.Get(t, "/daerah/33.74/lapor"); form.StatusCode != http.StatusOK || !strings.Contains(form.Body, `name="website"`) {
		t.Fatalf("report form: %d", form.StatusCode)
	}
	base := url.Values{"kind": {"pengaduan"}, "category": {"penerangan-jalan"}, "title": {"Lampu jalan mati"},
		"description": {"Tiga lampu jalan di depan SD Pandanaran mati sejak seminggu."}, "lat": {"-6.99"}, "lng": {"110,42"},
		"privacy": {"anonim"}, "contact": {"sari@contoh.id"}, "name": {"Sari Rahasia"}}
	// Mistakes come back with the form filled in; nothing is filed.
	bad := url.Values{}
	for k, v := range base {
		bad[k] = v
	}
	bad.Set("lat", "-7.56")
	res := p.PostMultipart(t, "/daerah/33.74/lapor", bad, nil, "")
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(res.Body, "di luar wilayah") || !strings.Contains(res.Body, `value="Lampu jalan mati"`) {
		t.Fatalf("pin outside the region: %d", res.StatusCode)
	}
	// Inside the box but outside the city's boundary: the sea north of
	// Genuk, Kabupaten Demak, Kabupaten Kendal. The form keeps the
	// coordinates as typed, with a minus sign or a hemisphere.
	for _, pin := range [][2]string{{"-6.94", "110.47"}, {"-7,10", "110,50"}, {"7.11 LS", "110.30 BT"}} {
		bad.Set("lat", pin[0])
		bad.Set("lng", pin[1])
		res := p.PostMultipart(t, "/daerah/33.74/lapor", bad, nil, "")
		if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(res.Body, "di luar wilayah Kota Semarang menurut batas") ||
			!strings.Contains(res.Body, `value="`+pin[0]+`"`) {
			t.Errorf("pin %v outside the city's boundary: %d", pin, res.StatusCode)
		}
	}
	for _, pin := range [][2]string{{"-6.99x", "110.42"}, {"-6.99", ""}, {"selatan", "110.42"}} {
		bad.Set("lat", pin[0])
		bad.Set("lng", pin[1])
		if res := p.PostMultipart(t, "/daerah/33.74/lapor", bad, nil, ""); res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(res.Body, "lintang") {
			t.Errorf("coordinates %v: %d", pin, res.StatusCode)
		}
	}
	// A bot filling the hidden field gets a receipt for nothing.
	bot := url.Values{}
	for k, v := range base {
		bot[k] = v
	}
	bot.Set("website", "http://spam.example")
	if res := p.PostMultipart(t, "/daerah/33.74/lapor", bot, nil, ""); res.StatusCode != http.StatusSeeOther {
		t.Errorf("honeypot: %d", res.StatusCode)
	}
	if _, total, _ := p.App.Store().Reports(ctx, pendopo.ReportFilter{}); total != 0 {
		t.Fatalf("the bot's report was stored")
	}
	jpeg := string(phototest.JPEGWithEXIF(40, 20, 6))
	res = p.PostMultipart(t, "/daerah/33.74/lapor", base, map[string][2]string{"photo": {"lampu.jpg", jpeg}}, "")
	if res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(res.Header.Get("Location"), "/laporan/") {
		t.Fatalf("file a report: %d %s\n%s", res.StatusCode, res.Header.Get("Location"), excerpt(res.Body, "masalah"))
	}
	where := res.Header.Get("Location")
	number := strings.TrimSuffix(strings.TrimPrefix(where, "/laporan/"), "?pesan=terkirim")
	pass := cookieOf(res, "pendopo_pelapor")
	if pass == "" || strings.Contains(where, "sari") {
		t.Fatalf("the reporter's pass: %q, link %s", pass, where)
	}
	// The reporter (by the pass) sees their receipt and name; the public
	// sees the report without either.
	req, _ := http.NewRequest(http.MethodGet, where, nil)
	req.AddCookie(&http.Cookie{Name: "pendopo_pelapor", Value: pass})
	own := p.Do(t, req)
	if !strings.Contains(own.Body, "Laporan terkirim") || !strings.Contains(own.Body, "Tanggapan Anda") || !strings.Contains(own.Body, "/foto/") {
		t.Errorf("the reporter's page lacks the receipt, the reply form or the photo")
	}
	// The receipt shows the reporter's key once, with a link that opens
	// the report; the same key went to the contact.
	key := regexp.MustCompile(`class="tracking big reporter-key">([0-9A-Z-]{29})<`).FindStringSubmatch(own.Body)
	if key == nil || !strings.Contains(own.Body, "?kunci="+key[1]) || own.Header.Get("Cache-Control") != "private, no-store" {
		t.Fatalf("the receipt lacks the reporter's key")
	}
	p.App.Outbox().WaitDetached()
	if m, ok := p.Mail.Last("sari@contoh.id"); !ok || !strings.Contains(m.Body, key[1]) {
		t.Errorf("the key was not sent to the contact")
	}
	// The photo is served without the EXIF the phone wrote.
	photo := regexp.MustCompile(`href="(/laporan/[^"]+/foto/[0-9a-f]+)"`).FindStringSubmatch(own.Body)
	if photo == nil {
		t.Fatal("no photo link")
	}
	if img := p.Get(t, photo[1]); img.StatusCode != http.StatusOK || strings.Contains(img.Body, "Exif") || strings.Contains(img.Body, phototest.PhotoOwner) {
		t.Errorf("the photo: %d, with its EXIF", img.StatusCode)
	}
	public := p.Get(t, "/laporan/"+number)
	if public.StatusCode != http.StatusOK || strings.Contains(public.Body, "Sari") || strings.Contains(public.Body, "sari@contoh.id") || strings.Contains(public.Body, "Tanggapan Anda") {
		t.Errorf("the public page shows the anonymous reporter or their form")
	}
	if list := p.Get(t, "/daerah/33.74/laporan"); !strings.Contains(list.Body, "/laporan/"+number) {
		t.Error("the public list lacks the report")
	}
	// The report page names the kecamatan the pin lies in, with the
	// coordinates after it as a link for the phone's map app.
	if !strings.Contains(public.Body, "<dt>Kecamatan</dt><dd>Semarang Selatan</dd>") || !strings.Contains(public.Body, `href="geo:-6.99000,110.42000"`) {
		t.Errorf("the report page does not name the kecamatan:\n%s", excerpt(public.Body, "Titik peta"))
	}
	// Without a map or a script, the reporter chooses the kecamatan: the
	// report is placed in it, and its officers see which.
	chosen := url.Values{}
	for k, v := range base {
		chosen[k] = v
	}
	chosen.Del("lat")
	chosen.Del("lng")
	chosen.Set("district", "33.74.14")
	chosen.Set("key", "kecamatan-saja")
	chosen.Set("tetap", "1") // not the similar report filed above
	chosen.Set("title", "Jalan desa rusak di Mijen")
	res = p.PostMultipart(t, "/daerah/33.74/lapor", chosen, nil, "")
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("a report placed by kecamatan: %d\n%s", res.StatusCode, excerpt(res.Body, "field-error"))
	}
	byDistrict := strings.TrimSuffix(strings.TrimPrefix(res.Header.Get("Location"), "/laporan/"), "?pesan=terkirim")
	if page := p.Get(t, "/laporan/"+byDistrict); !strings.Contains(page.Body, "<dt>Kecamatan</dt><dd>Mijen</dd>") {
		t.Errorf("the report placed by kecamatan:\n%s", excerpt(page.Body, "Titik peta"))
	}
	if page := p.GetAs(t, "/admin/laporan/"+byDistrict, p.RegionAdmin); page.StatusCode != http.StatusOK || !strings.Contains(page.Body, "<dd>Mijen</dd>") {
		t.Errorf("the officer's page does not name the kecamatan")
	}
	chosen.Set("district", "33.22.01")
	chosen.Set("key", "kecamatan-lain")
	if res := p.PostMultipart(t, "/daerah/33.74/lapor", chosen, nil, ""); res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(res.Body, "Pilih kecamatan dari daftar") {
		t.Errorf("another region's kecamatan: %d", res.StatusCode)
	}
	// The form offers the map, the kecamatan and fields that take a minus
	// sign on every phone's keyboard.
	form := p.Get(t, "/daerah/33.74/lapor")
	for _, want := range []string{`data-pick`, `<option value="33.74.14">Mijen</option>`, `id="f-lat" name="lat" value="" type="text" inputmode="text"`, `peta.`, `id="b-locate"`} {
		if !strings.Contains(form.Body, want) {
			t.Errorf("the report form lacks %s", want)
		}
	}
	if strings.Contains(form.Body, `inputmode="decimal"`) {
		t.Error("a coordinate field asks for the decimal keypad, which may lack a minus sign")
	}
	// The number and key open it again on another device.
	chk := p.PostForm(t, "/laporan/cek", url.Values{"number": {strings.ToLower(number)}, "kunci": {strings.ToLower(key[1])}}, "")
	if chk.StatusCode != http.StatusSeeOther || chk.Header.Get("Location") != "/laporan/"+number+"?pesan=cek" || cookieOf(chk, "pendopo_pelapor") == "" {
		t.Errorf("check by number and key: %d %s", chk.StatusCode, chk.Header.Get("Location"))
	}
	req, _ = http.NewRequest(http.MethodGet, chk.Header.Get("Location"), nil)
	req.AddCookie(&http.Cookie{Name: "pendopo_pelapor", Value: cookieOf(chk, "pendopo_pelapor")})
	if again := p.Do(t, req); !strings.Contains(again.Body, "Tanggapan Anda") || !strings.Contains(again.Body, "terbuka di perangkat ini") {
		t.Error("the key does not open the report on another device")
	}
	// A confidential report is not public at all.
	conf := url.Values{}
	for k, v := range base {
		conf[k] = v
	}
	conf.Set("privacy", "rahasia")
	conf.Set("key", "lain")
	conf.Set("tetap", "1") // the first report is nearby: file anyway
	res = p.PostMultipart(t, "/daerah/33.74/lapor", conf, nil, "")
	secret := strings.TrimSuffix(strings.TrimPrefix(res.Header.Get("Location"), "/laporan/"), "?pesan=terkirim")
	if got := p.Get(t, "/laporan/"+secret); got.StatusCode != http.StatusNotFound {
		t.Errorf("a confidential report to the public: %d", got.StatusCode)
	}
	if list := p.Get(t, "/daerah/33.74/laporan"); strings.Contains(list.Body, secret) {
		t.Error("the public list shows a confidential report")
	}
	// The reporter replies through the pass; someone else cannot.
	reply := url.Values{"action": {"reply"}, "note": {"Lampu ketiga juga mati."}}
	r2, _ := http.NewRequest(http.MethodPost, "/laporan/"+number, strings.NewReader(reply.Encode()))
	r2.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	r2.Header.Set("Sec-Fetch-Site", "same-origin")
	r2.AddCookie(&http.Cookie{Name: "pendopo_pelapor", Value: pass})
	if res := p.Do(t, r2); res.StatusCode != http.StatusSeeOther {
		t.Errorf("reply: %d", res.StatusCode)
	}
	if res := p.PostForm(t, "/laporan/"+number, reply, ""); res.StatusCode != http.StatusForbidden {
		t.Errorf("a stranger's reply: %d", res.StatusCode)
	}
}

func TestReportConsole(t *testing.T) {
	p := portaltest.NewPortal(t)
	ctx := context.Background()
	dukcapil := p.Officer(t, "Petugas Dukcapil", "petugas@dukcapil.test", pendopo.Role{Kind: pendopo.RoleOfficer, Region: "33.74", Agency: "disdukcapil"})
	// The coordinator routes a category and sets the region's box.
	routes := url.Values{"route_kependudukan": {"disdukcapil"}, "south": {"-7.12"}, "west": {"110.26"}, "north": {"-6.93"}, "east": {"110.51"}}
	if res := p.PostForm(t, "/admin/daerah/33.74/laporan/rute", routes, p.RegionAdmin); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("routes: %d", res.StatusCode)
	}
	if b, _ := p.App.RegionBounds(ctx, "33.74"); b == nil || b.North != -6.93 {
		t.Errorf("bounds: %+v", b)
	}
	// A box outside Indonesia is refused with the form, and the routing
	// sent with it is not saved either.
	bad := url.Values{"route_kependudukan": {"dinkes"}, "south": {"40"}, "west": {"110.26"}, "north": {"41"}, "east": {"110.51"}}
	if res := p.PostForm(t, "/admin/daerah/33.74/laporan/rute", bad, p.RegionAdmin); res.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("a box outside Indonesia: %d", res.StatusCode)
	}
	if routes, _ := p.App.ReportRoutes(ctx, "33.74"); routes["kependudukan"] != "disdukcapil" {
		t.Errorf("a refused save changed the routing: %v", routes)
	}
	lat, lng := -7.0, 110.4
	r, err := p.App.SubmitReport(ctx, pendopo.Actor{}, "33.74", pendopo.ReportInput{Kind: pendopo.ReportComplaint, Title: "Antrean KTP-el panjang",
		Description: "Antrean di loket KTP-el lebih dari tiga jam.", Category: "kependudukan", Privacy: pendopo.PrivacyConfidential,
		Contact: "pelapor@contoh.id", Name: "Pak Joko", Location: pendopo.ReportLocation{Lat: &lat, Lng: &lng}}, "")
	if err != nil {
		t.Fatal(err)
	}
	queue := p.GetAs(t, "/admin/daerah/33.74/laporan", p.RegionAdmin)
	if !strings.Contains(queue.Body, r.Number) {
		t.Fatal("the coordinator's queue lacks the report")
	}
	page := p.GetAs(t, "/admin/laporan/"+r.Number, p.RegionAdmin)
	if !strings.Contains(page.Body, "Pak Joko") || !strings.Contains(page.Body, `<option value="disdukcapil" selected>`) {
		t.Errorf("the coordinator's page lacks the reporter of a confidential report or the suggested agency")
	}
	if res := p.PostForm(t, "/admin/laporan/"+r.Number, url.Values{"action": {"dispose"}, "agency": {"disdukcapil"}}, p.RegionAdmin); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("dispose: %d", res.StatusCode)
	}
	if q := p.GetAs(t, "/admin/daerah/33.74/laporan?opd=disdukcapil", dukcapil); !strings.Contains(q.Body, r.Number) {
		t.Error("the agency's queue lacks the disposed report")
	}
	if res := p.PostForm(t, "/admin/laporan/"+r.Number, url.Values{"action": {"answer"}}, dukcapil); res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(res.Body, `id="e-note_answer"`) {
		t.Errorf("an empty answer: %d", res.StatusCode)
	}
	if res := p.PostForm(t, "/admin/laporan/"+r.Number, url.Values{"action": {"answer"}, "note_answer": {"Loket tambahan dibuka mulai Senin."}}, dukcapil); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("answer: %d", res.StatusCode)
	}
	got, _ := p.App.Store().ReportByNumber(ctx, r.Number)
	if got.Status != pendopo.ReportFollowed || got.Answer == "" {
		t.Errorf("after the answer: %s %q", got.Status, got.Answer)
	}
	// Forwarding to another region on Pendopo: the coordinator chooses it
	// from the province and its kabupaten and kota; the officer cannot.
	if page := p.GetAs(t, "/admin/laporan/"+r.Number, dukcapil); strings.Contains(page.Body, `name="region"`) {
		t.Error("an agency officer is offered forwarding to another region")
	}
	page = p.GetAs(t, "/admin/laporan/"+r.Number, p.RegionAdmin)
	if !strings.Contains(page.Body, `<option value="33">Provinsi Jawa Tengah</option>`) || !strings.Contains(page.Body, `<option value="33.22">`) {
		t.Errorf("the forwarding choices lack the province or a neighbour")
	}
	if res := p.PostForm(t, "/admin/laporan/"+r.Number, url.Values{"action": {"forward"}, "region": {"33.74"}, "note_forward": {"Salah daerah."}}, p.RegionAdmin); res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(res.Body, `id="e-region"`) {
		t.Errorf("forwarding to itself: %d", res.StatusCode)
	}
	// A region that has not joined has nobody to take it up.
	if res := p.PostForm(t, "/admin/laporan/"+r.Number, url.Values{"action": {"forward"}, "region": {"33.22"}, "note_forward": {"Wilayah kabupaten."}}, p.RegionAdmin); res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(res.Body, "belum bergabung") {
		t.Errorf("forwarding to a region that has not joined: %d", res.StatusCode)
	}
	prov := p.Officer(t, "Koordinator Jateng", "koordinator@jatengprov.test", pendopo.Role{Kind: pendopo.RoleRegionAdmin, Region: "33"})
	if res := p.PostForm(t, "/admin/laporan/"+r.Number, url.Values{"action": {"forward"}, "region": {"33"}, "note_forward": {"Kewenangan provinsi."}}, p.RegionAdmin); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("forward to the province: %d", res.StatusCode)
	}
	page = p.GetAs(t, "/admin/laporan/"+r.Number, p.RegionAdmin)
	m := regexp.MustCompile(`<a href="/admin/laporan/(33-[0-9A-Z-]+)">`).FindStringSubmatch(page.Body)
	if m == nil {
		t.Fatalf("the history does not link the province's report")
	}
	// The report is confidential: the province's coordinator sees it with
	// its reporter, the public does not see it at all.
	if page := p.GetAs(t, "/admin/laporan/"+m[1], prov); page.StatusCode != http.StatusOK || !strings.Contains(page.Body, "Pak Joko") || !strings.Contains(page.Body, r.Number) {
		t.Errorf("the province's view: %d", page.StatusCode)
	}
	if res := p.Get(t, "/laporan/"+m[1]); res.StatusCode != http.StatusNotFound {
		t.Errorf("a confidential forwarded report is public: %d", res.StatusCode)
	}
}

func TestReportMapAndExports(t *testing.T) {
	p := portaltest.NewPortal(t)
	ctx := context.Background()
	if err := p.App.SetRegionBounds(ctx, pendopo.System, "33.74", &pendopo.Bounds{South: -7.12, West: 110.26, North: -6.93, East: 110.51}); err != nil {
		t.Fatal(err)
	}
	file := func(privacy pendopo.Privacy, lat float64) string {
		lng := 110.4
		r, err := p.App.SubmitReport(ctx, pendopo.Actor{}, "33.74", pendopo.ReportInput{Kind: pendopo.ReportComplaint, Title: "Jalan berlubang",
			Description: "=HYPERLINK(\"x\") lubang besar di depan pasar.", Category: "jalan", Privacy: privacy,
			Contact: "rahasia@contoh.id", Name: "Nama Rahasia", Location: pendopo.ReportLocation{Lat: &lat, Lng: &lng}}, "")
		if err != nil {
			t.Fatal(err)
		}
		return r.Number
	}
	open, anon, secret := file(pendopo.PrivacyPublic, -7.0), file(pendopo.PrivacyAnonymous, -7.05), file(pendopo.PrivacyConfidential, -7.02)
	list := p.Get(t, "/daerah/33.74/laporan")
	pins := regexp.MustCompile(`<use href="#pin-[od]" x=`).FindAllString(list.Body, -1)
	if len(pins) != 2 || !strings.Contains(list.Body, `<a href="/laporan/`+open+`"><title>Jalan berlubang</title><use href="#pin-o"`) || strings.Contains(list.Body, secret) {
		t.Errorf("map pins: %d", len(pins))
	}
	// The map is a map: the city's outline, its kecamatan with names, a
	// legend that tells the pins apart by shape; well-formed SVG with
	// one decimal, small enough for every list page.
	svg := regexp.MustCompile(`(?s)<svg viewBox.*?</svg>`).FindString(list.Body)
	for _, want := range []string{`class="map-region"`, `class="map-kec"`, `<title>Tembalang</title>`, `>Mijen</text>`, `<g id="pin-o">`, `<g id="pin-d">`} {
		if !strings.Contains(svg, want) {
			t.Errorf("the map lacks %s", want)
		}
	}
	if !strings.Contains(list.Body, `class="map-legend"`) || !strings.Contains(list.Body, "lingkaran bertanda seru") || !strings.Contains(list.Body, "kotak bercentang") {
		t.Error("the map has no legend")
	}
	if !strings.Contains(list.Body, "batas kecamatan") {
		t.Error("a kota's legend does not name its kecamatan")
	}
	// A province's dashed lines are its kabupaten and kota.
	if prov := p.Get(t, "/daerah/33/laporan").Body; !strings.Contains(prov, "batas kabupaten dan kota") || strings.Contains(prov, "batas kecamatan") {
		t.Error("a province's legend names kecamatan")
	}
	if regexp.MustCompile(`\d\.\d\d`).MatchString(regexp.MustCompile(`data-projection="[^"]*"`).ReplaceAllString(svg, "")) {
		t.Error("map numbers with more than one decimal")
	}
	for d := xml.NewDecoder(strings.NewReader(svg)); ; {
		if _, err := d.Token(); err == io.EOF {
			break
		} else if err != nil {
			t.Fatalf("the map is not well-formed: %v", err)
		}
	}
	t.Logf("SVG for 33.74 with 2 pins: %d bytes", len(svg))
	if len(svg) > 8000 {
		t.Errorf("SVG of %d bytes", len(svg))
	}
	if strings.Contains(list.Body, "<image") {
		t.Error("tiles without a tile server")
	}
	csvRes := p.Get(t, "/daerah/33.74/laporan.csv")
	if !strings.HasPrefix(csvRes.Body, "nomor,jenis,") || !strings.Contains(csvRes.Body, open) || !strings.Contains(csvRes.Body, anon) ||
		strings.Contains(csvRes.Body, secret) || strings.Contains(csvRes.Body, "rahasia@contoh.id") || strings.Contains(csvRes.Body, "Nama Rahasia") ||
		strings.Contains(csvRes.Body, ",=HYPERLINK") {
		t.Errorf("CSV export:\n%s", csvRes.Body)
	}
	geo := p.Get(t, "/daerah/33.74/laporan.geojson")
	var fc struct {
		Features []struct {
			Geometry   struct{ Coordinates [2]float64 }
			Properties map[string]any
		}
	}
	if err := json.Unmarshal([]byte(geo.Body), &fc); err != nil || len(fc.Features) != 2 || fc.Features[0].Geometry.Coordinates[0] != 110.4 ||
		strings.Contains(geo.Body, "rahasia@") || strings.Contains(geo.Body, secret) {
		t.Errorf("GeoJSON: %v %s", err, geo.Body)
	}
	if strings.Contains(geo.Body, "0000000") {
		t.Errorf("GeoJSON coordinates carry float noise: %s", geo.Body)
	}
	// Both name the kecamatan a pin lies in, as the report's page does.
	if len(fc.Features) > 0 {
		code, _ := fc.Features[0].Properties["kode_kecamatan"].(string)
		name, _ := fc.Features[0].Properties["kecamatan"].(string)
		if !strings.HasPrefix(code, "33.74.") || name == "" || !strings.Contains(csvRes.Body, ","+code+","+name+"\n") ||
			!strings.Contains(csvRes.Body, ",penilaian,kode_kecamatan,kecamatan\n") {
			t.Errorf("the exports do not name the kecamatan: %q %q", code, name)
		}
	}
	// A public report merged into another: its page is the other one's, the
	// one the merge notice links to; a confidential one stays not found.
	if _, err := p.App.ActOnReport(ctx, pendopo.System, anon, app.ReportAct{Action: pendopo.ActReportMerge, Target: open}); err != nil {
		t.Fatal(err)
	}
	if res := p.Get(t, "/laporan/"+anon); res.StatusCode != http.StatusMovedPermanently || res.Header.Get("Location") != "/laporan/"+open {
		t.Errorf("merged report: %d %s", res.StatusCode, res.Header.Get("Location"))
	}
	if _, err := p.App.ActOnReport(ctx, pendopo.System, secret, app.ReportAct{Action: pendopo.ActReportMerge, Target: open}); err != nil {
		t.Fatal(err)
	}
	if res := p.Get(t, "/laporan/"+secret); res.StatusCode != http.StatusNotFound {
		t.Errorf("merged confidential report: %d", res.StatusCode)
	}
	// With a tile server configured, tiles are drawn and allowed by the CSP.
	h, err := web.New(p.App, web.Config{Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), MapTiles: "https://tiles.example.go.id/{z}/{x}/{y}.png"})
	if err != nil {
		t.Fatal(err)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/daerah/33.74/laporan", nil))
	if !strings.Contains(rec.Body.String(), `<image href="https://tiles.example.go.id/`) || !strings.Contains(rec.Header().Get("Content-Security-Policy"), "img-src 'self' data: https://tiles.example.go.id") {
		t.Errorf("tiles: CSP %q", rec.Header().Get("Content-Security-Policy"))
	}
}

func TestSimilarReportsOffered(t *testing.T) {
	p := portaltest.NewPortal(t)
	ctx := context.Background()
	lat, lng := -6.99, 110.42
	first, err := p.App.SubmitReport(ctx, pendopo.Actor{}, "33.74", pendopo.ReportInput{Kind: pendopo.ReportComplaint, Title: "Lampu jalan mati",
		Description: "Lampu penerangan jalan depan SD Pandanaran mati.", Category: "penerangan-jalan", Privacy: pendopo.PrivacyPublic,
		Contact: "a@contoh.id", Location: pendopo.ReportLocation{Lat: &lat, Lng: &lng}}, "")
	if err != nil {
		t.Fatal(err)
	}
	form := url.Values{"kind": {"pengaduan"}, "category": {"penerangan-jalan"}, "title": {"Lampu mati di Pandanaran"},
		"description": {"Beberapa lampu jalan dekat SD Pandanaran padam tiap malam."}, "lat": {"-6.9905"}, "lng": {"110.4203"},
		"privacy": {"publik"}, "contact": {"b@contoh.id"}, "key": {"k1"}}
	res := p.PostMultipart(t, "/daerah/33.74/lapor", form, nil, "")
	if res.StatusCode != http.StatusOK || !strings.Contains(res.Body, "/laporan/"+first.Number) || !strings.Contains(res.Body, `name="tetap" value="1"`) {
		t.Fatalf("similar report not offered: %d", res.StatusCode)
	}
	if _, total, _ := p.App.Store().Reports(ctx, pendopo.ReportFilter{}); total != 1 {
		t.Errorf("a report was filed before the reporter chose")
	}
	form.Set("tetap", "1")
	if res := p.PostMultipart(t, "/daerah/33.74/lapor", form, nil, ""); res.StatusCode != http.StatusSeeOther {
		t.Errorf("send anyway: %d", res.StatusCode)
	}
	// Elsewhere in town it is a different problem: filed at once.
	far := url.Values{}
	for k, v := range form {
		far[k] = v
	}
	far.Del("tetap")
	far.Set("key", "k2")
	far.Set("lat", "-7.05")
	if res := p.PostMultipart(t, "/daerah/33.74/lapor", far, nil, ""); res.StatusCode != http.StatusSeeOther {
		t.Errorf("a far report: %d", res.StatusCode)
	}
}

// The coordinator adds and deletes area rules on the routes page; a bad
// rule comes back with its fields marked.
func TestReportAreaRoutesPage(t *testing.T) {
	p := portaltest.NewPortal(t)
	form := url.Values{"area_name": {"Pasar Johar dan sekitarnya"}, "area_category": {"penerangan-jalan"}, "area_south": {"-6,975"},
		"area_west": {"110.42"}, "area_north": {"-6.965"}, "area_east": {"110.435"}, "area_agency": {"disperkim"}}
	bad := url.Values{"area_name": {""}, "area_south": {"utara"}, "area_agency": {""}}
	res := p.PostForm(t, "/admin/daerah/33.74/laporan/rute/area", bad, p.RegionAdmin)
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(res.Body, `id="e-area_bounds"`) {
		t.Fatalf("a bad rule: %d", res.StatusCode)
	}
	inverted := url.Values{}
	for k, v := range form {
		inverted[k] = v
	}
	inverted.Set("area_north", "-7.5")
	if res := p.PostForm(t, "/admin/daerah/33.74/laporan/rute/area", inverted, p.RegionAdmin); res.StatusCode != http.StatusUnprocessableEntity ||
		!strings.Contains(res.Body, `value="Pasar Johar dan sekitarnya"`) {
		t.Errorf("an inverted box: %d", res.StatusCode)
	}
	if res := p.PostForm(t, "/admin/daerah/33.74/laporan/rute/area", form, p.RegionAdmin); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("add: %d %s", res.StatusCode, res.Body)
	}
	page := p.GetAs(t, "/admin/daerah/33.74/laporan/rute", p.RegionAdmin)
	m := regexp.MustCompile(`action="/admin/daerah/33.74/laporan/rute/area/(\d+)/hapus"`).FindStringSubmatch(page.Body)
	if m == nil || !strings.Contains(page.Body, "Pasar Johar dan sekitarnya") || !strings.Contains(page.Body, "-6.975, 110.42") {
		t.Fatalf("the rule is not listed")
	}
	if res := p.PostForm(t, "/admin/daerah/33.74/laporan/rute/area/"+m[1]+"/hapus", url.Values{}, p.RegionAdmin); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("delete: %d", res.StatusCode)
	}
	if page := p.GetAs(t, "/admin/daerah/33.74/laporan/rute", p.RegionAdmin); strings.Contains(page.Body, "Pasar Johar dan sekitarnya") {
		t.Error("the deleted rule is still listed")
	}
	if res := p.PostForm(t, "/admin/daerah/33.74/laporan/rute/area/"+m[1]+"/hapus", url.Values{}, p.RegionAdmin); res.StatusCode != http.StatusNotFound {
		t.Errorf("deleting it again: %d", res.StatusCode)
	}
	// A rule by kecamatan: chosen from the list, no box, named after it.
	if page := p.GetAs(t, "/admin/daerah/33.74/laporan/rute", p.RegionAdmin); !strings.Contains(page.Body, `<option value="33.74.10">Tembalang</option>`) {
		t.Error("the rules' form offers no kecamatan")
	}
	byKec := url.Values{"area_name": {""}, "area_district": {"33.74.10"}, "area_agency": {"disperkim"}}
	if res := p.PostForm(t, "/admin/daerah/33.74/laporan/rute/area", byKec, p.RegionAdmin); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("a rule by kecamatan: %d\n%s", res.StatusCode, excerpt(res.Body, "field-error"))
	}
	if page := p.GetAs(t, "/admin/daerah/33.74/laporan/rute", p.RegionAdmin); !strings.Contains(page.Body, `<th scope="row">Tembalang</th>`) || !strings.Contains(page.Body, "Kecamatan Tembalang") {
		t.Errorf("the rule by kecamatan is not listed:\n%s", excerpt(page.Body, "Tembalang"))
	}
	byKec.Set("area_district", "33.22.01")
	if res := p.PostForm(t, "/admin/daerah/33.74/laporan/rute/area", byKec, p.RegionAdmin); res.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("another region's kecamatan: %d", res.StatusCode)
	}
}

// The attack of issue 11 through the pages: someone named in an
// anonymous report knows its public number and guesses the reporter's
// contact. Every attempt (the old contact form, a wrong key, the right
// key) gets the same answer, and only the right key, which the guesser
// does not have, opens the reporter's view or lets anyone reply as the
// reporter. Asking for a new key answers alike too, and never shows one.
func TestReportReporterKeyAttack(t *testing.T) {
	p := portaltest.NewPortal(t)
	ctx := context.Background()
	lat, lng := -7.0, 110.4
	r, err := p.App.SubmitReport(ctx, pendopo.Actor{}, "33.74", pendopo.ReportInput{Kind: pendopo.ReportComplaint, Title: "Pungutan di loket KTP",
		Description: "Petugas loket meminta uang Rp50.000 agar KTP-el cepat jadi.", Category: "pungli", Privacy: pendopo.PrivacyAnonymous,
		Contact: "pelapor.rahasia@contoh.id", Name: "Nama Rahasia", Location: pendopo.ReportLocation{Lat: &lat, Lng: &lng}}, "")
	if err != nil {
		t.Fatal(err)
	}
	answer := func(form url.Values) (portaltest.Response, string) {
		res := p.PostForm(t, "/laporan/cek", form, "")
		return res, cookieOf(res, "pendopo_pelapor")
	}
	guess, guessPass := answer(url.Values{"number": {r.Number}, "contact": {"pelapor.rahasia@contoh.id"}})
	wrong, wrongPass := answer(url.Values{"number": {r.Number}, "kunci": {"AAAAA-AAAAA-AAAAA-AAAAA-AAAAA"}})
	right, rightPass := answer(url.Values{"number": {r.Number}, "kunci": {r.Secret}})
	for name, res := range map[string]portaltest.Response{"guessed contact": guess, "wrong key": wrong, "right key": right} {
		if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/laporan/"+r.Number+"?pesan=cek" || cookieOf(res, "pendopo_pelapor") == "" {
			t.Errorf("%s: %d %s, want the same 303 and pass as every other", name, res.StatusCode, res.Header.Get("Location"))
		}
	}
	if guess.Body != right.Body || wrong.Body != right.Body || len(wrongPass) != len(rightPass) {
		t.Error("a guess is answered differently from the right key")
	}
	view := func(pass string) portaltest.Response {
		req, _ := http.NewRequest(http.MethodGet, "/laporan/"+r.Number+"?pesan=cek", nil)
		req.AddCookie(&http.Cookie{Name: "pendopo_pelapor", Value: pass})
		return p.Do(t, req)
	}
	for name, pass := range map[string]string{"guessed contact": guessPass, "wrong key": wrongPass} {
		page := view(pass)
		if strings.Contains(page.Body, "Nama Rahasia") || strings.Contains(page.Body, "pelapor.rahasia@") || strings.Contains(page.Body, "Tanggapan Anda") ||
			!strings.Contains(page.Body, "Bila nomor dan kunci cocok") {
			t.Errorf("%s: the reporter's view, or no uniform notice", name)
		}
	}
	if page := view(rightPass); !strings.Contains(page.Body, "Tanggapan Anda") {
		t.Error("the right key does not open the reporter's view")
	}
	// A pass from before keys (number and contact, under /laporan/) comes
	// first from the browser; it opens nothing and hides no other pass.
	req, _ := http.NewRequest(http.MethodGet, "/laporan/"+r.Number, nil)
	req.AddCookie(&http.Cookie{Name: "pendopo_pelapor", Value: p.App.ReporterPass(r.Number, "pelapor.rahasia@contoh.id")})
	req.AddCookie(&http.Cookie{Name: "pendopo_pelapor", Value: rightPass})
	if page := p.Do(t, req); !strings.Contains(page.Body, "Tanggapan Anda") {
		t.Error("an old pass hides the reporter's key")
	}
	if !strings.Contains(right.Header.Values("Set-Cookie")[1], "Path=/laporan/; Max-Age=0") {
		t.Errorf("the old pass is not removed: %v", right.Header.Values("Set-Cookie"))
	}
	// No reply as the reporter without the key; nobody is told of nothing.
	p.App.Store().ClaimMessages(ctx, time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC), 1000, time.Hour)
	reply := func(pass string) portaltest.Response {
		f := url.Values{"action": {"reply"}, "note": {"Saya pelapornya, laporan ini saya cabut."}}
		req, _ := http.NewRequest(http.MethodPost, "/laporan/"+r.Number, strings.NewReader(f.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Sec-Fetch-Site", "same-origin")
		req.AddCookie(&http.Cookie{Name: "pendopo_pelapor", Value: pass})
		return p.Do(t, req)
	}
	if res := reply(guessPass); res.StatusCode != http.StatusForbidden {
		t.Errorf("a reply with a guessed contact: %d", res.StatusCode)
	}
	if res := reply(rightPass); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("the reporter's reply: %d", res.StatusCode)
	}
	// The reporter hears of every action taken with their key.
	told, _ := p.App.Store().ClaimMessages(ctx, time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC), 1000, time.Hour)
	if len(told) != 1 || told[0].To != "pelapor.rahasia@contoh.id" || !strings.Contains(told[0].Body, "memegang kunci laporan") {
		t.Errorf("the reporter was not told of the reply: %+v", told)
	}

	// A new key: the same answer for a wrong and the right contact; the
	// key goes to the stored contact only, never onto the page.
	ask := func(contact string) portaltest.Response {
		return p.PostForm(t, "/laporan/kunci", url.Values{"number": {r.Number}, "contact": {contact}}, "")
	}
	miss, hit := ask("tersangka@contoh.id"), ask("pelapor.rahasia@contoh.id")
	if miss.StatusCode != http.StatusSeeOther || miss.StatusCode != hit.StatusCode || miss.Header.Get("Location") != hit.Header.Get("Location") ||
		miss.Body != hit.Body || len(miss.Cookies()) != len(hit.Cookies()) {
		t.Errorf("a new key: %d %s for a wrong contact, %d %s for the right one", miss.StatusCode, miss.Header.Get("Location"), hit.StatusCode, hit.Header.Get("Location"))
	}
	done := p.Get(t, hit.Header.Get("Location"))
	p.App.Outbox().WaitDetached()
	m, ok := p.Mail.Last("pelapor.rahasia@contoh.id")
	fresh := regexp.MustCompile(`[0-9A-Z]{5}(-[0-9A-Z]{5}){4}`).FindString(m.Body)
	if !ok || fresh == "" || fresh == r.Secret || strings.Contains(done.Body, fresh) || !strings.Contains(done.Body, "Bila nomor dan kontak itu cocok") {
		t.Errorf("the new key: sent %v, shown on the page %v", ok, strings.Contains(done.Body, fresh))
	}
	if _, ok := p.Mail.Last("tersangka@contoh.id"); ok {
		t.Error("a key went to the guessed contact")
	}
	if page := view(rightPass); strings.Contains(page.Body, "Tanggapan Anda") {
		t.Error("the old key still opens the report")
	}
	// The link in the message opens the report without keeping the key in
	// the address.
	link := p.Get(t, "/laporan/"+r.Number+"?kunci="+url.QueryEscape(fresh))
	if link.StatusCode != http.StatusSeeOther || strings.Contains(link.Header.Get("Location"), "kunci") {
		t.Fatalf("the key link: %d %s", link.StatusCode, link.Header.Get("Location"))
	}
	if page := view(cookieOf(link, "pendopo_pelapor")); !strings.Contains(page.Body, "Tanggapan Anda") {
		t.Error("the key link does not open the report")
	}
	if form := p.Get(t, "/laporan/kunci?nomor="+r.Number); form.StatusCode != http.StatusOK || !strings.Contains(form.Body, `value="`+r.Number+`"`) {
		t.Errorf("the key page: %d", form.StatusCode)
	}
	if res := ask("bukan kontak"); res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(res.Body, `id="e-contact"`) {
		t.Errorf("a malformed contact: %d", res.StatusCode)
	}
}

// TestReportFormAnonymityHint: a signed-in person choosing anonymity is
// told that the report's news still reaches their account, and how to
// report without one; a visitor without an account is not.
func TestReportFormAnonymityHint(t *testing.T) {
	p := portaltest.NewPortal(t)
	const hint = "Untuk anonimitas terkuat, keluar dulu"
	if form := p.Get(t, "/daerah/33.74/lapor"); form.StatusCode != http.StatusOK || strings.Contains(form.Body, hint) {
		t.Errorf("the form without an account: %d, hint shown: %v", form.StatusCode, strings.Contains(form.Body, hint))
	}
	budi := p.Citizen(t, "Budi", "budi@contoh.id")
	if form := p.GetAs(t, "/daerah/33.74/lapor", budi); form.StatusCode != http.StatusOK || !strings.Contains(form.Body, hint) {
		t.Errorf("the form signed in: %d, hint shown: %v", form.StatusCode, strings.Contains(form.Body, hint))
	}
}

// TestReportNotJoined: a region that has not joined Pendopo (nobody
// coordinates its reports) shows no report form but where to report
// instead: SP4N-LAPOR!, naming the region, and the province's own form
// once the province has joined. A post is refused with that page and
// files nothing; the region's buttons say "how to report".
func TestReportNotJoined(t *testing.T) {
	p := portaltest.NewPortal(t)
	ctx := context.Background()
	page := p.Get(t, "/daerah/33.72/lapor")
	if page.StatusCode != http.StatusOK || !strings.Contains(page.Body, `href="`+pendopo.LaporURL+`"`) ||
		!strings.Contains(page.Body, "pilih Kota Surakarta sebagai instansi tujuan") || strings.Contains(page.Body, `name="website"`) {
		t.Fatalf("the page of a region that has not joined: %d\n%s", page.StatusCode, page.Body)
	}
	if strings.Contains(page.Body, `href="/daerah/33/lapor"`) {
		t.Error("points to the form of a province that has not joined either")
	}
	if en := p.Get(t, "/daerah/33.72/lapor?lang=en"); !strings.Contains(en.Body, "choose Kota Surakarta as the institution") {
		t.Error("the English page does not say which region to choose")
	}
	form := url.Values{"kind": {"pengaduan"}, "category": {"jalan"}, "title": {"Jalan berlubang"}, "privacy": {"publik"},
		"description": {"Lubang besar di tengah jalan sejak sebulan."}, "address": {"Jl. Slamet Riyadi 1"}, "contact": {"warga@contoh.id"}}
	res := p.PostForm(t, "/daerah/33.72/lapor", form, "")
	if res.StatusCode != http.StatusConflict || !strings.Contains(res.Body, pendopo.LaporURL) {
		t.Fatalf("a report to a region that has not joined: %d\n%s", res.StatusCode, res.Body)
	}
	if l, _, err := p.App.Store().Reports(ctx, pendopo.ReportFilter{Region: "33.72"}); err != nil || len(l) != 0 {
		t.Fatalf("refused, yet filed: %v %v", l, err)
	}
	for _, path := range []string{"/daerah/33.72", "/daerah/33.72/laporan"} {
		if b := p.Get(t, path).Body; !strings.Contains(b, `href="/daerah/33.72/lapor">Cara melapor</a>`) {
			t.Errorf("%s: the report button does not lead to how to report", path)
		}
	}
	if b := p.Get(t, "/daerah/33.74").Body; !strings.Contains(b, `href="/daerah/33.74/lapor">Buat laporan</a>`) {
		t.Error("a joined region's page has no report button")
	}

	p.Officer(t, "Koordinator Jateng", "koordinator@jatengprov.test", pendopo.Role{Kind: pendopo.RoleRegionAdmin, Region: "33"})
	if b := p.Get(t, "/daerah/33.72/lapor").Body; !strings.Contains(b, `href="/daerah/33/lapor"`) {
		t.Error("does not point to the form of the province, which has joined")
	}
	if prov := p.Get(t, "/daerah/33/lapor"); prov.StatusCode != http.StatusOK || !strings.Contains(prov.Body, `name="website"`) {
		t.Errorf("the province's form: %d", prov.StatusCode)
	}
}
