package main

import (
	"encoding/json"
	"fmt"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
	"github.com/pendopo/pendopo/internal/pendopotest"
)

// EnvAxe names axe-core's axe.min.js (npm package axe-core); the browser
// suite checks pages against WCAG 2.1 A and AA with it. .ci/run installs it.
const EnvAxe = "PENDOPO_TEST_AXE"

// axeRun runs every axe-core rule of WCAG 2.0 and 2.1, A and AA, and
// axe's best practices (landmarks, heading order, one main, regions…);
// a violation of any impact, minor included, fails the scan.
const axeRun = `axe.run(document, {runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]}, resultTypes: ["violations"]}).then(r => ({violations: r.violations}))`

type axeResult struct {
	Violations []struct {
		ID     string `json:"id"`
		Impact string `json:"impact"`
		Help   string `json:"help"`
		Nodes  []struct {
			Target []any  `json:"target"`
			HTML   string `json:"html"`
		} `json:"nodes"`
	} `json:"violations"`
}

// TestAccessibility runs axe-core's WCAG 2.1 A and AA rules and its best
// practices on the pages a citizen and an admin use, on a phone-sized and a desktop-sized window, in
// both languages.
func TestAccessibility(t *testing.T) {
	ctx := browser(t)
	axePath := os.Getenv(EnvAxe)
	if axePath == "" {
		if os.Getenv(EnvBrowser) != "" {
			t.Fatalf("%s is set but %s is not: the accessibility check must run with the browser suite", EnvBrowser, EnvAxe)
		}
		t.Skipf("accessibility checks need %s", EnvAxe)
	}
	if os.Getenv(pendopotest.EnvBackend) == "postgres" {
		// The pages' HTML does not depend on the database; the SQLite run
		// scans them, and CI's second run, on PostgreSQL, saves two minutes.
		t.Skip("the accessibility scan runs with the SQLite suite; the pages are the same on PostgreSQL")
	}
	axe, err := os.ReadFile(axePath)
	if err != nil {
		t.Fatal(err)
	}
	env := dbEnv(t)
	url, banner := startServerBanner(t, env, "--demo")
	public := []string{
		"/", "/daerah", "/daerah/33.74", "/daerah/33", "/daerah/33.74/layanan", "/daerah/33.74/peristiwa/kelahiran",
		"/daerah/33.74/opd", "/daerah/33.74/unit-layanan", "/layanan/20", "/layanan/20/riwayat", "/cari?q=bikin+ktp",
		"/cari?q=xyzzy", "/cari?q=lampu+jalan+mati&daerah=33.74", "/cari?q=perpanjang+sim", "/cari?q=rusunawa&daerah=33.22", "/bandingkan", "/bandingkan/ktp-el", "/tentang", "/tidak-ada",
		"/masuk", "/daftar", "/konfirmasi?login=warga%40pendopo.test&dikirim=1", "/lupa-sandi", "/atur-ulang-sandi?login=warga%40pendopo.test", "/privasi",
		"/daerah/33.74/online", "/verifikasi", "/verifikasi/ABCD-EFGH-JKMN", "/daerah/33.74/laporan", "/daerah/33.74/lapor",
		"/daerah/33.74/kinerja", "/daerah/33.72/kinerja?opd=disdukcapil", "/daerah/33.01/kinerja", "/daerah/33.74/opd/disdukcapil/rapor",
		"/indeks", "/indeks/33", "/daerah/33.74/survei", "/daerah/33.74/survei?unit=mpp", "/daerah/33.74/branding", "/daerah/33.72/branding",
		"/daerah/33.01/branding", "/akun/dihapus?draf=1&dicabut=1&dibersihkan=1&arsip=1&laporan=2&berkas=2", "/laporan/kunci", "/laporan/kunci?pesan=dikirim",
		"/daerah/33.01/lapor", "/daerah/33.01/lapor?lang=en", "/daerah/33.74/opd?lang=en", "/bandingkan/ktp-el?lang=en",
		"/daerah/33.74/kategori/kependudukan", "/daerah/33.74/opd/disdukcapil", "/daerah/33.74/laporan?status=selesai", "/undangan/tidak-ada",
		"/lacak", "/lacak?nomor=12345", "/daerah/33.74/layanan?saring=akta", "/daerah/33.74/layanan?saring=xyzzy",
	}
	admin := []string{"/admin/daerah/33.74/unit-layanan/baru", "/admin/daerah/33.74/branding/program/baru", "/admin/layanan/20/online", "/akun", "/akun/hapus", "/admin/daerah/33.74/pengguna", "/admin/daerah/33.74/audit", "/admin/token", "/admin/layanan/20/beda", "/admin/daerah/33.74", "/admin/layanan/20", "/admin/daerah/33.74/layanan/baru", "/admin/daerah/33.74/opd/disdukcapil",
		"/admin/daerah/33.74/survei", "/admin/daerah/33.74/survei/cetak?unit=mpp", "/admin/daerah/33.74/pencarian", "/admin/pencarian"}
	desktop := false
	check := func(path string) {
		t.Helper()
		if err := chromedp.Do(ctx, chromedp.Navigate(url+path), chromedp.WaitReady(chromedp.CSS("main"))); err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		// Nothing pushes the page sideways, on a phone either; a table may
		// scroll inside its own box on a phone, but fits on a desktop.
		wide, err := chromedp.Run(ctx, chromedp.Evaluate[string](`(() => {
			if (document.documentElement.scrollWidth > window.innerWidth + 1) return "the page is " + document.documentElement.scrollWidth + " px wide";
			if (`+strconv.FormatBool(desktop)+`) for (const w of document.querySelectorAll(".table-wrap")) {
				if (w.scrollWidth > w.clientWidth + 1) return "a table is " + w.scrollWidth + " px in a " + w.clientWidth + " px box";
			}
			return "" })()`))
		if err != nil || wide != "" {
			t.Errorf("%s at %s: %s %v", path, map[bool]string{true: "1280 px", false: "390 px"}[desktop], wide, err)
		}
		if _, err := chromedp.Run(ctx, chromedp.Evaluate[chromedp.Void](string(axe))); err != nil {
			t.Fatalf("load axe: %v", err)
		}
		raw, err := chromedp.Run(ctx, chromedp.Evaluate[[]byte](axeRun, chromedp.EvalAwaitPromise))
		if err != nil {
			t.Fatalf("%s: axe: %v", path, err)
		}
		var res axeResult
		if err := json.Unmarshal(raw, &res); err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		for _, v := range res.Violations {
			var where []string
			for _, n := range v.Nodes[:min(3, len(v.Nodes))] {
				where = append(where, fmt.Sprint(n.Target))
			}
			t.Errorf("%s: %s (%s): %s at %s", path, v.ID, v.Impact, v.Help, strings.Join(where, ", "))
		}
	}
	for _, size := range [][2]int64{{390, 844}, {1280, 900}} {
		if _, err := chromedp.Call(ctx, emulation.SetDeviceMetricsOverride, emulation.SetDeviceMetricsOverrideParams{Width: size[0], Height: size[1], DeviceScaleFactor: 1, Mobile: size[0] < 500}); err != nil {
			t.Fatal(err)
		}
		desktop = size[0] > 1000
		for _, lang := range []string{"id", "en"} {
			if err := chromedp.Do(ctx, chromedp.Navigate(url+"/bahasa/"+lang+"?kembali=/")); err != nil {
				t.Fatal(err)
			}
			for _, p := range public {
				check(p)
			}
		}
	}
	// Sign in, then check the admin pages (with a form showing errors too).
	signIn(t, ctx, url, "admin.3374@pendopo.test", demoPassword(t, banner))
	if err := chromedp.Do(ctx, chromedp.WaitVisible(chromedp.CSS("#h-services"))); err != nil {
		t.Fatal(err)
	}
	for _, p := range admin {
		check(p)
	}
	if err := chromedp.Do(ctx, chromedp.Navigate(url+"/admin/daerah/33.74/layanan/baru"), chromedp.WaitVisible(chromedp.CSS("#f-name")),
		chromedp.Click(chromedp.CSS(`button[value=terbit]`)), chromedp.WaitVisible(chromedp.CSS(".alert-error"))); err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[chromedp.Void](string(axe))); err != nil {
		t.Fatal(err)
	}
	raw, err := chromedp.Run(ctx, chromedp.Evaluate[[]byte](axeRun, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatal(err)
	}
	var res axeResult
	json.Unmarshal(raw, &res)
	for _, v := range res.Violations {
		t.Errorf("editor with errors: %s: %s", v.ID, v.Help)
	}
	// The national admin's pages.
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`form[action="/keluar"] button`)), chromedp.WaitVisible(chromedp.CSS(`a[href="/masuk"]`))); err != nil {
		t.Fatal(err)
	}
	signIn(t, ctx, url, "nasional@pendopo.test", demoPassword(t, banner))
	for _, p := range []string{"/admin", "/admin/sinonim", "/admin/audit", "/admin/pemantauan", "/admin/pemantauan?provinsi=33"} {
		check(p)
	}
	signOut := func() {
		if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`form[action="/keluar"] button`)), chromedp.WaitVisible(chromedp.CSS(`a[href="/masuk"]`))); err != nil {
			t.Fatal(err)
		}
	}
	// The demo citizen's applications: list, a draft's form and review,
	// a completed one, a returned one, the inbox, starting an application.
	signOut()
	signIn(t, ctx, url, "warga@pendopo.test", demoPassword(t, banner))
	check("/permohonan")
	link := func(status string) string {
		href, err := chromedp.Run(ctx, chromedp.Evaluate[string](`"/permohonan/" + [...document.querySelectorAll(".app-cards li")].find(li => li.querySelector(".status-`+status+`")).querySelector(".tracking").textContent`))
		if err != nil {
			t.Fatalf("no %s application in the list: %v", status, err)
		}
		return href
	}
	draft, completed, returned := link("draft"), link("completed"), link("returned")
	for _, p := range []string{draft + "/isi", draft + "/periksa", completed, returned, "/akun/pemberitahuan", "/akun/laporan", "/akun/akses",
		"/survei/permohonan/" + strings.TrimPrefix(completed, "/permohonan/"), "/daerah/33.74/online"} { // the start link below is read from the last
		check(p)
	}
	if start, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector("ul.cards a.button").getAttribute("href")`)); err == nil {
		check(start)
	} else {
		t.Error(err)
	}
	// The officer's queue and an application in it; the holidays page.
	signOut()
	signIn(t, ctx, url, "petugas.3374@pendopo.test", demoPassword(t, banner))
	check("/admin/daerah/33.74") // the console's start: Perlu tindakan of the officer's agency
	check("/admin/daerah/33.74/permohonan")
	first, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector("table.queue tbody a").getAttribute("href")`))
	if err != nil {
		t.Fatal(err)
	}
	check(first)
	signOut()
	signIn(t, ctx, url, "admin.3374@pendopo.test", demoPassword(t, banner))
	check("/admin/daerah/33.74") // Perlu tindakan of the region: reports to verify, held surveys
	check("/admin/daerah/33.74/libur")
	check("/admin/daerah/33.74/laporan/rute")
	check("/admin/daerah/33.74/branding")
	check("/admin/daerah/33.74/branding/sektor/baru")
	check("/admin/daerah/33.74/branding/pemetaan")
	check("/admin/daerah/33.74/laporan")
	report, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector("table.queue tbody a").getAttribute("href")`))
	if err != nil {
		t.Fatal(err)
	}
	check(report)
	check(strings.Replace(report, "/admin", "", 1)) // its public page
	signOut()
	check(strings.Replace(report, "/admin", "", 1)) // as the public sees it
}

// TestJourneyWithoutJavaScript searches and opens a service with scripts
// turned off: every page is plain HTML with links and forms.
func TestJourneyWithoutJavaScript(t *testing.T) {
	t.Parallel()
	ctx := browser(t)
	url := startServer(t, dbEnv(t), "--demo")
	if err := chromedp.Do(ctx, chromedp.Navigate("about:blank")); err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Call(ctx, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true}); err != nil {
		t.Fatal(err)
	}
	do(t, ctx, "search", chromedp.Navigate(url+"/"), chromedp.WaitVisible(chromedp.CSS("#q-home")),
		chromedp.SendKeys(chromedp.CSS("#q-home"), "akte lahir"), chromedp.Submit(chromedp.CSS("#q-home")),
		chromedp.WaitVisible(chromedp.CSS("ul.cards li")))
	if first := text(t, ctx, "ul.cards li h3 a"); !strings.Contains(first, "Akta Kelahiran") {
		t.Errorf("first result %q", first)
	}
	do(t, ctx, "open", chromedp.Click(chromedp.CSS("ul.cards li h3 a")), chromedp.WaitVisible(chromedp.CSS("#h-req")))
	// Without scripts the print hint shows instead of the print button.
	hint, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`getComputedStyle(document.querySelector(".nojs")).display !== "none"`))
	if err != nil || !hint {
		t.Errorf("print hint hidden without JavaScript (%v)", err)
	}
	do(t, ctx, "compare", chromedp.Click(chromedp.CSS(`.service-foot a.button`)), chromedp.WaitVisible(chromedp.CSS("table.compare")))
	// A report without scripts: the map cannot be tapped and the location
	// button stays hidden, so the reporter chooses the kecamatan.
	do(t, ctx, "report form", chromedp.Navigate(url+"/daerah/33.74/lapor"), chromedp.WaitVisible(chromedp.CSS("#f-district")))
	if shown, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`getComputedStyle(document.querySelector("#b-locate")).display !== "none" && document.querySelector("#b-locate").offsetParent !== null`)); err != nil || shown {
		t.Errorf("the location button shows without JavaScript (%v)", err)
	}
	do(t, ctx, "report by kecamatan",
		chromedp.SetValue(chromedp.CSS("#f-category"), "jalan"),
		chromedp.SendKeys(chromedp.CSS("#f-title"), "Jalan berlubang di Mijen"),
		chromedp.SendKeys(chromedp.CSS("#f-description"), "Lubang besar di jalan kampung dekat balai desa, sudah dua minggu."),
		chromedp.SetValue(chromedp.CSS("#f-district"), "33.74.14"),
		chromedp.SendKeys(chromedp.CSS("#f-contact"), "warga.mijen@contoh.id"),
		chromedp.Submit(chromedp.CSS("#f-title")))
	// A similar open report may be offered first; filing anyway is one
	// button more.
	do(t, ctx, "receipt or similar", chromedp.WaitVisible(chromedp.CSS(".receipt, #h-similar")))
	if similar, _ := chromedp.Run(ctx, chromedp.Evaluate[bool](`!!document.querySelector("#h-similar")`)); similar {
		do(t, ctx, "file anyway", chromedp.Submit(chromedp.CSS("#f-title")), chromedp.WaitVisible(chromedp.CSS(".receipt")))
	}
	if body := text(t, ctx, "main"); !strings.Contains(body, "Mijen") {
		t.Errorf("the receipt does not name the kecamatan chosen:\n%s", body)
	}
}
