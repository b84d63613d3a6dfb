package main

import (
	"io"
	"math"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
	"github.com/pendopo/pendopo/internal/photo/phototest"
)

// TestJourneyReport: a citizen reports a broken street light with a pin
// and a photo, anonymously; the coordinator disposes it to the transport
// agency, whose officer answers and closes it; the citizen rates it; the
// public sees it on the region's map and page without the reporter's name.
func TestJourneyReport(t *testing.T) {
	t.Parallel()
	ctx := browser(t)
	url, banner := startServerBanner(t, dbEnv(t), "--demo")
	password := demoPassword(t, banner)
	// A phone's photo, with its position and owner in EXIF.
	photo := filepath.Join(t.TempDir(), "lampu.jpg")
	os.WriteFile(photo, phototest.JPEGWithEXIF(64, 32, 6), 0o644)
	signOut := func() {
		do(t, ctx, "sign out", chromedp.Click(chromedp.CSS(`form[action="/keluar"] button`)), chromedp.WaitVisible(chromedp.CSS(`a[href="/masuk"]`)))
	}

	signIn(t, ctx, url, "warga@pendopo.test", password)
	do(t, ctx, "region page", chromedp.Navigate(url+"/daerah/33.74"), chromedp.WaitVisible(chromedp.CSS(`a[href="/daerah/33.74/lapor"]`)),
		chromedp.Click(chromedp.CSS(`a[href="/daerah/33.74/lapor"]`)), chromedp.WaitVisible(chromedp.CSS("#f-category")))
	do(t, ctx, "fill the report",
		chromedp.SetValue(chromedp.CSS("#f-category"), "penerangan-jalan"),
		chromedp.SendKeys(chromedp.CSS("#f-title"), "Lampu jalan mati di Jl. Pemuda"),
		chromedp.SendKeys(chromedp.CSS("#f-description"), "Empat lampu jalan di depan gedung nomor 148 mati sejak Senin; jalan gelap."),
		chromedp.SendKeys(chromedp.CSS("#f-address"), "Jl. Pemuda 148"),
		chromedp.SetUploadFiles(chromedp.CSS("#f-photo"), []string{photo}),
		chromedp.Click(chromedp.CSS(`input[name=privacy][value=anonim]`)))
	// The pin is placed by tapping the map where the problem is: in
	// Tembalang, near the university (the script turns the tap into
	// degrees and draws a marker).
	at, err := chromedp.Run(ctx, chromedp.Evaluate[[]float64](`(() => {
		const svg = document.querySelector("[data-pick] svg.map");
		svg.scrollIntoView({block: "center", inline: "center"});
		const p = svg.dataset.projection.split(" ").map(Number);
		const lat = -7.05, lng = 110.44, s = Math.sin(lat * Math.PI / 180);
		const pt = svg.createSVGPoint();
		pt.x = ((lng + 180) / 360 - p[0]) * p[2] + p[3];
		pt.y = (0.5 - Math.log((1 + s) / (1 - s)) / (4 * Math.PI) - p[1]) * p[2] + p[3];
		const q = pt.matrixTransform(svg.getScreenCTM());
		return [q.x, q.y];
	})()`))
	if err != nil || len(at) != 2 {
		t.Fatalf("where to tap: %v %v", at, err)
	}
	do(t, ctx, "tap the map", chromedp.MouseClickXY(at[0], at[1]), chromedp.WaitVisible(chromedp.CSS("[data-pick] [data-marker]")))
	pin, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`[document.querySelector("#f-lat").value, document.querySelector("#f-lng").value]`))
	if err != nil || len(pin) != 2 {
		t.Fatalf("the pin's fields: %v %v", pin, err)
	}
	lat, lng := pin[0], pin[1]
	if la, _ := strconv.ParseFloat(lat, 64); math.Abs(la+7.05) > 0.002 {
		t.Errorf("the tap set latitude %q, want about -7.05", lat)
	}
	if ln, _ := strconv.ParseFloat(lng, 64); math.Abs(ln-110.44) > 0.002 {
		t.Errorf("the tap set longitude %q, want about 110.44", lng)
	}
	if shown, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`!document.querySelector("[data-pick] [data-js]").hidden`)); err != nil || !shown {
		t.Errorf("the location button is hidden with scripts on (%v)", err)
	}
	screenshot(t, ctx, "21-report-form")
	do(t, ctx, "send", chromedp.Submit(chromedp.CSS("#f-title")), chromedp.WaitVisible(chromedp.CSS(".receipt")))
	screenshot(t, ctx, "22-report-receipt")
	number := strings.TrimSpace(text(t, ctx, ".receipt .tracking"))
	if !strings.HasPrefix(number, "3374-") {
		t.Fatalf("report number %q", number)
	}
	// The photo is kept turned upright and without its EXIF.
	photoURL, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector('.photos a').href`))
	if err != nil {
		t.Fatalf("photo link: %v", err)
	}
	if got := fetch(t, photoURL); strings.Contains(got, "Exif") || strings.Contains(got, phototest.PhotoOwner) {
		t.Error("the report's photo is served with its EXIF")
	}
	signOut()

	// The coordinator disposes along the routing (street lights → Dishub).
	signIn(t, ctx, url, "admin.3374@pendopo.test", password)
	do(t, ctx, "coordinator's page", chromedp.Navigate(url+"/admin/laporan/"+number), chromedp.WaitVisible(chromedp.CSS("#f-agency")))
	if who := text(t, ctx, ".facts-list"); strings.Contains(who, "Warga Demo") {
		t.Error("the coordinator sees the anonymous reporter's name")
	}
	screenshot(t, ctx, "23-report-coordinator")
	do(t, ctx, "dispose", chromedp.Click(chromedp.CSS(`form:has(input[value=dispose]) button`)), chromedp.WaitVisible(chromedp.CSS(".rstatus-didisposisikan")))
	signOut()

	// The transport agency's officer answers and closes it.
	signIn(t, ctx, url, "dishub.3374@pendopo.test", password)
	do(t, ctx, "agency's page", chromedp.Navigate(url+"/admin/laporan/"+number), chromedp.WaitVisible(chromedp.CSS("#f-note_answer")),
		chromedp.SendKeys(chromedp.CSS("#f-note_answer"), "Empat lampu sudah diganti LED pada Rabu malam."),
		chromedp.Submit(chromedp.CSS("#f-note_answer")), chromedp.WaitVisible(chromedp.CSS(".rstatus-ditindaklanjuti")),
		// Each step waits for its own result, not for a notice the page
		// before already showed.
		chromedp.Click(chromedp.CSS(`form:has(input[value=complete]) button`)), chromedp.WaitVisible(chromedp.CSS(".rstatus-selesai")))
	signOut()

	// The citizen rates the answer.
	signIn(t, ctx, url, "warga@pendopo.test", password)
	do(t, ctx, "rate", chromedp.Navigate(url+"/laporan/"+number), chromedp.WaitVisible(chromedp.CSS(`input[name=rating][value="5"]`)),
		chromedp.Click(chromedp.CSS(`input[name=rating][value="5"]`)), chromedp.Click(chromedp.CSS(`form:has(input[value=rate]) button`)),
		chromedp.WaitVisible(chromedp.CSS(".alert-ok")))
	signOut()

	// The public: on the map, with the answer, without the name.
	do(t, ctx, "public map", chromedp.Navigate(url+"/daerah/33.74/laporan"), chromedp.WaitVisible(chromedp.CSS(".report-map svg")))
	pins, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll('.report-map a[href="/laporan/`+number+`"]').length`))
	if err != nil || pins != 1 {
		t.Errorf("pins for the report on the map: %d %v", pins, err)
	}
	screenshot(t, ctx, "24-report-map")
	do(t, ctx, "public page", chromedp.Navigate(url+"/laporan/"+number), chromedp.WaitVisible(chromedp.CSS(".answer")))
	body := text(t, ctx, "main")
	if !strings.Contains(body, "Tembalang") {
		t.Errorf("the public page does not name the kecamatan of the tapped pin:\n%s", body)
	}
	if !strings.Contains(body, "diganti LED") || !strings.Contains(body, "5/5") || strings.Contains(body, "Warga Demo") || strings.Contains(body, "warga@pendopo.test") {
		t.Errorf("public page:\n%s", body)
	}
	screenshot(t, ctx, "25-report-public")
}

// TestJourneyReportKey: someone without an account reports anonymously
// and gets the report's key, once, on the receipt; on another device the
// number alone, or a guessed key, opens nothing, while the number and the
// key open the reporter's view, where they reply.
func TestJourneyReportKey(t *testing.T) {
	t.Parallel()
	ctx := browser(t)
	url := startServer(t, dbEnv(t), "--demo")
	newDevice := func() {
		if _, err := chromedp.Call(ctx, network.ClearBrowserCookies, cdp.Empty{}); err != nil {
			t.Fatalf("another device: %v", err)
		}
	}
	do(t, ctx, "report form", chromedp.Navigate(url+"/daerah/33.74/lapor"), chromedp.WaitVisible(chromedp.CSS("#f-contact")),
		chromedp.SetValue(chromedp.CSS("#f-category"), "pungli"),
		chromedp.SendKeys(chromedp.CSS("#f-title"), "Pungutan di loket KTP-el"),
		chromedp.SendKeys(chromedp.CSS("#f-description"), "Petugas loket meminta Rp50.000 agar KTP-el cepat jadi, tanpa kuitansi."),
		chromedp.Click(chromedp.CSS(`input[name=privacy][value=anonim]`)),
		chromedp.SendKeys(chromedp.CSS("#f-contact"), "saksi@contoh.id"),
		chromedp.Submit(chromedp.CSS("#f-title")), chromedp.WaitVisible(chromedp.CSS(".receipt .reporter-key")))
	screenshot(t, ctx, "26-report-key-receipt")
	number := strings.TrimSpace(text(t, ctx, ".receipt .tracking"))
	key := strings.TrimSpace(text(t, ctx, ".receipt .reporter-key"))
	if !regexp.MustCompile(`^[0-9A-Z]{5}(-[0-9A-Z]{5}){4}$`).MatchString(key) {
		t.Fatalf("reporter's key %q", key)
	}
	// Another device: a guessed key opens the page, not the reporter's view.
	newDevice()
	open := func(k string) {
		do(t, ctx, "open with a key", chromedp.Navigate(url+"/laporan/kunci?nomor="+number), chromedp.WaitVisible(chromedp.CSS("#f-kunci")),
			chromedp.SendKeys(chromedp.CSS("#f-kunci"), k), chromedp.Submit(chromedp.CSS("#f-kunci")),
			// The key's form is gone once the report's page has come: reading
			// the page before that raced with the navigation.
			chromedp.WaitNotPresent(chromedp.CSS("#f-kunci")), chromedp.WaitVisible(chromedp.CSS("main h1")))
	}
	open("AAAAA-AAAAA-AAAAA-AAAAA-AAAAA")
	if body := text(t, ctx, "main"); strings.Contains(body, "Tanggapan Anda") || !strings.Contains(body, "Bila nomor dan kunci cocok") {
		t.Errorf("a wrong key:\n%s", body)
	}
	newDevice()
	open(strings.ToLower(key))
	do(t, ctx, "reply as the reporter", chromedp.WaitVisible(chromedp.CSS("#f-note")),
		chromedp.SendKeys(chromedp.CSS("#f-note"), "Kejadiannya Senin pagi sekitar pukul 09.00."),
		chromedp.Submit(chromedp.CSS("#f-note")))
	// The page before the reply may show a notice too, so wait for the
	// reply itself in the history of the page that comes after it.
	until(t, ctx, "the reply in the history", `document.querySelector(".alert-ok") !== null && (document.querySelector(".timeline")?.innerText ?? "").includes("Senin pagi")`)
	screenshot(t, ctx, "27-report-key-reply")
}

// fetch reads a URL's body outside the browser.
func fetch(t *testing.T, u string) string {
	t.Helper()
	res, err := http.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
