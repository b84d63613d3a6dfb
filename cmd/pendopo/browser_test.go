package main

import (
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// EnvBrowser names the Chromium binary for the browser journeys. When it
// is set the journeys must run; CI sets it.
const EnvBrowser = "PENDOPO_TEST_BROWSER"

// browser starts headless Chromium for one test.
//
// The journeys call t.Parallel: each has its own server, data directory
// and browser, and a journey spends much of its time waiting on page
// loads, so two at once (GOMAXPROCS on the CI machine) shorten the
// package's run, the longest of the suite. TestAccessibility stays serial:
// its scan of every page in two sizes and languages is the heaviest and
// has the tightest deadline.
func browser(t *testing.T) context.Context {
	t.Helper()
	bin := os.Getenv(EnvBrowser)
	if bin == "" {
		t.Skipf("browser journeys need %s=/usr/bin/chromium", EnvBrowser)
	}
	if _, err := os.Stat(bin); err != nil {
		t.Fatalf("%s=%s: %v", EnvBrowser, bin, err)
	}
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(bin), chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU, chromedp.NoFirstRun,
		chromedp.Flag("disable-background-networking", true), chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-component-update", true), chromedp.Flag("disable-sync", true),
		chromedp.UserDataDir(t.TempDir()), chromedp.WindowSize(390, 844),
	}
	actx, cancelA := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelC := chromedp.NewContext(actx)
	// A deadline against a hung browser; the accessibility scan of every
	// page in two sizes and languages needs minutes on a busy machine.
	ctx, cancelT := context.WithTimeout(ctx, 5*time.Minute)
	t.Cleanup(func() { cancelT(); cancelC(); cancelA() })
	return ctx
}

// screenshot keeps a picture of the page in PENDOPO_SCREENSHOTS, if set, as PNG
// for people reviewing a change.
func screenshot(t *testing.T, ctx context.Context, name string) {
	dir := os.Getenv("PENDOPO_SCREENSHOTS")
	if dir == "" {
		return
	}
	buf, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Errorf("screenshot %s: %v", name, err)
		return
	}
	os.MkdirAll(dir, 0o755)
	os.WriteFile(filepath.Join(dir, name+".png"), buf, 0o644)
}

func text(t *testing.T, ctx context.Context, sel string) string {
	t.Helper()
	s, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(sel)))
	if err != nil {
		t.Fatalf("text of %s: %v", sel, err)
	}
	return s
}

// until waits until the JavaScript expression js is true in the page the
// browser shows, across a navigation that is still under way (chromedp's
// own waits and Poll end with an error when the page they watch goes).
// It asks again on every answer, at most a minute.
func until(t *testing.T, ctx context.Context, step, js string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	var last error
	for ctx.Err() == nil {
		ok, err := chromedp.Run(ctx, chromedp.Evaluate[bool](js))
		if err == nil && ok {
			return
		}
		last = err
		tick := time.NewTimer(50 * time.Millisecond)
		select {
		case <-ctx.Done():
		case <-tick.C:
		}
	}
	t.Fatalf("%s: not so after a minute (last error: %v)", step, last)
}

func do(t *testing.T, ctx context.Context, step string, actions ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	if err := chromedp.Do(ctx, actions...); err != nil {
		t.Fatalf("%s: %v", step, err)
	}
}

// TestJourneyFindCompare is what a citizen does: open the portal, search
// "bikin ktp", open the result, tick a requirement, switch to English and
// compare the service across regions.
func TestJourneyFindCompare(t *testing.T) {
	t.Parallel()
	ctx := browser(t)
	url := startServer(t, dbEnv(t), "--demo")

	do(t, ctx, "open landing page", chromedp.Navigate(url+"/"), chromedp.WaitVisible(chromedp.CSS("#q-home")))
	screenshot(t, ctx, "1-landing")
	if h := text(t, ctx, "h1"); !strings.Contains(h, "layanan publik") {
		t.Errorf("landing heading %q", h)
	}
	do(t, ctx, "search", chromedp.SendKeys(chromedp.CSS("#q-home"), "bikin ktp"), chromedp.Submit(chromedp.CSS("#q-home")),
		chromedp.WaitVisible(chromedp.CSS("ul.cards li")))
	screenshot(t, ctx, "2-search")
	first := text(t, ctx, "ul.cards li h3 a")
	if !strings.Contains(first, "KTP-el") {
		t.Fatalf("first result %q, want a KTP-el service", first)
	}
	do(t, ctx, "open result", chromedp.Click(chromedp.CSS("ul.cards li h3 a")), chromedp.WaitVisible(chromedp.CSS("#h-req")))
	if h := text(t, ctx, "h1"); !strings.Contains(h, "KTP-el") {
		t.Errorf("service heading %q", h)
	}
	// The checklist remembers ticks on this device.
	do(t, ctx, "tick requirement", chromedp.Click(chromedp.CSS("#req-0")), chromedp.Reload(), chromedp.WaitVisible(chromedp.CSS("#req-0")))
	checked, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.getElementById("req-0").checked`))
	if err != nil || !checked {
		t.Errorf("tick not kept after reload: %v", err)
	}
	screenshot(t, ctx, "3-service")
	do(t, ctx, "switch to English", chromedp.Click(chromedp.CSS(`a[hreflang="en"]`)), chromedp.WaitVisible(chromedp.CSS("#h-req")))
	if h := text(t, ctx, "#h-req"); h != "Requirements" {
		t.Errorf("English heading %q", h)
	}
	lang, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`document.documentElement.lang`))
	if lang != "en" {
		t.Errorf("html lang %q", lang)
	}
	do(t, ctx, "compare", chromedp.Click(chromedp.CSS(`.service-foot a.button`)), chromedp.WaitVisible(chromedp.CSS("table.compare")))
	rows, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll("table.compare tbody tr").length`))
	if err != nil || rows < 3 {
		t.Errorf("comparison has %d rows (%v), want ≥ 3", rows, err)
	}
	do(t, ctx, "sort by fee", chromedp.Click(chromedp.CSS(`.compare-sort a:nth-of-type(3)`)), chromedp.WaitVisible(chromedp.CSS(`thead th:nth-child(3)[aria-sort]`)))
	sorted, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector("th[aria-sort]").textContent`))
	if !strings.Contains(sorted, "Fee") {
		t.Errorf("sorted column %q, want Fee", sorted)
	}
	screenshot(t, ctx, "4-compare")
}

// TestJourneySearchAnswers: on a phone, a resident of Kota Semarang types
// a problem into the region's search box and is led to the report form
// with the category chosen; an English query for a driving licence says
// who provides it and links to its site.
func TestJourneySearchAnswers(t *testing.T) {
	t.Parallel()
	ctx := browser(t)
	url := startServer(t, dbEnv(t), "--demo")

	do(t, ctx, "open the region page", chromedp.Navigate(url+"/daerah/33.74"), chromedp.WaitVisible(chromedp.CSS("#q-region-home")))
	do(t, ctx, "search a problem", chromedp.SendKeys(chromedp.CSS("#q-region-home"), "lampu jalan mati"), chromedp.Submit(chromedp.CSS("#q-region-home")),
		chromedp.WaitVisible(chromedp.CSS(".answer-report")))
	screenshot(t, ctx, "search-1-problem")
	first, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`(() => { const a = document.querySelector(".answer-report"), s = document.querySelector("ul.cards");
		return !s || (a.compareDocumentPosition(s) & Node.DOCUMENT_POSITION_FOLLOWING) !== 0 })()`))
	if err != nil || !first {
		t.Errorf("the report answer is not above the services (%v)", err)
	}
	do(t, ctx, "report it", chromedp.Click(chromedp.CSS(".answer-report a.button")), chromedp.WaitVisible(chromedp.CSS("#f-category")))
	if cat, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`document.getElementById("f-category").value`)); cat != "penerangan-jalan" {
		t.Errorf("report form category %q, want penerangan-jalan", cat)
	}
	screenshot(t, ctx, "search-2-report-form")

	do(t, ctx, "search in English", chromedp.Navigate(url+"/cari?daerah=33.74&q=renew+driving+licence"), chromedp.WaitVisible(chromedp.CSS(".answer")))
	if a := text(t, ctx, ".answer"); !strings.Contains(a, "Kepolisian") {
		t.Errorf("driving licence answer %q, want the police", a)
	}
	href, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector(".answer a").href`))
	if !strings.HasPrefix(href, "https://www.korlantas.polri.go.id") {
		t.Errorf("driving licence link %q", href)
	}
	screenshot(t, ctx, "search-3-elsewhere")
}

// signIn signs in on the sign-in page.
func signIn(t *testing.T, ctx context.Context, url, login, password string) {
	t.Helper()
	do(t, ctx, "sign in as "+login, chromedp.Navigate(url+"/masuk"), chromedp.WaitVisible(chromedp.CSS("#f-login")),
		chromedp.SendKeys(chromedp.CSS("#f-login"), login), chromedp.SendKeys(chromedp.CSS("#f-password"), password),
		chromedp.Submit(chromedp.CSS("#f-password")), chromedp.WaitVisible(chromedp.CSS(`form[action="/keluar"] button`)))
}

// TestJourneyInviteOfficer: a region admin invites the civil registry's
// admin, who accepts, edits a service's time, publishes it and finds it on
// the public page with its version history.
func TestJourneyInviteOfficer(t *testing.T) {
	t.Parallel()
	ctx := browser(t)
	env := dbEnv(t)
	url, banner := startServerBanner(t, env, "--demo")
	signIn(t, ctx, url, "admin.3374@pendopo.test", demoPassword(t, banner))
	do(t, ctx, "console", chromedp.WaitVisible(chromedp.CSS("#h-services")))
	do(t, ctx, "users page", chromedp.Click(chromedp.CSS(`.console-nav a[href$="/pengguna"]`)), chromedp.WaitVisible(chromedp.CSS("#f-email")))
	do(t, ctx, "invite", chromedp.SendKeys(chromedp.CSS("#f-email"), "rina@semarangkota.test"), chromedp.SendKeys(chromedp.CSS("#f-name"), "Rina"),
		chromedp.SetValue(chromedp.CSS("#f-kind"), "agency_admin"), chromedp.SetValue(chromedp.CSS("#f-agency"), "disdukcapil"),
		chromedp.Submit(chromedp.CSS("#f-email")), chromedp.WaitVisible(chromedp.CSS("code.copy")))
	screenshot(t, ctx, "6-invite")
	link := text(t, ctx, "code.copy")
	if !strings.HasPrefix(link, url+"/undangan/") {
		t.Fatalf("invitation link %q", link)
	}
	do(t, ctx, "sign out", chromedp.Click(chromedp.CSS(`form[action="/keluar"] button`)), chromedp.WaitVisible(chromedp.CSS(`a[href="/masuk"]`)))

	// The invited officer accepts and lands in the console.
	do(t, ctx, "open invitation", chromedp.Navigate(link), chromedp.WaitVisible(chromedp.CSS("#f-password")))
	if lead := text(t, ctx, "main p"); !strings.Contains(lead, "Admin perangkat daerah") {
		t.Errorf("invitation page says %q", lead)
	}
	do(t, ctx, "accept", chromedp.SendKeys(chromedp.CSS("#f-password"), "lumpia gang lombok"), chromedp.Submit(chromedp.CSS("#f-password")),
		chromedp.WaitVisible(chromedp.CSS("#h-services")))
	ktp, err := chromedp.Run(ctx, chromedp.Evaluate[string](`[...document.querySelectorAll('#h-services ~ .table-wrap a')].find(a => a.textContent.includes('KTP-el')).getAttribute('href')`))
	if err != nil || ktp == "" {
		t.Fatalf("no KTP-el service in the console: %v", err)
	}
	do(t, ctx, "open editor", chromedp.Navigate(url+ktp), chromedp.WaitVisible(chromedp.CSS("#f-working_days")))
	do(t, ctx, "edit", chromedp.Click(chromedp.CSS(`input[name=duration_kind][value=days]`)), chromedp.SetValue(chromedp.CSS("#f-working_days"), "2"),
		chromedp.SetValue(chromedp.CSS("#f-note"), "Uji peramban: waktu dipersingkat"), chromedp.Click(chromedp.CSS(`button[value=terbit]`)),
		chromedp.WaitVisible(chromedp.CSS(".alert-ok")))
	screenshot(t, ctx, "7-published")
	do(t, ctx, "view public", chromedp.Click(chromedp.CSS(`.meta a[href^="/layanan/"]`)), chromedp.WaitVisible(chromedp.CSS(".keyfacts")))
	if d := text(t, ctx, ".keyfacts div:first-child dd"); !strings.Contains(d, "2 hari kerja") {
		t.Errorf("public duration %q after publishing", d)
	}
	do(t, ctx, "history", chromedp.Click(chromedp.CSS(`a[href$="/riwayat"]`)), chromedp.WaitVisible(chromedp.CSS("table tbody tr")))
	if h := text(t, ctx, "table tbody tr:first-child"); !strings.Contains(h, "waktu dipersingkat") {
		t.Errorf("history's newest version %q", h)
	}
}

// TestJourneyCitizenAccount: a citizen registers with email, confirms with
// the code that arrives, signs in and sees the account page.
func TestJourneyCitizenAccount(t *testing.T) {
	t.Parallel()
	ctx := browser(t)
	env := dbEnv(t)
	outbox := t.TempDir()
	url := startServer(t, env, "--demo", "--outbox", outbox)
	do(t, ctx, "register page", chromedp.Navigate(url+"/"), chromedp.Click(chromedp.CSS(`a[href="/masuk"]`)), chromedp.WaitVisible(chromedp.CSS("#f-login")),
		chromedp.Click(chromedp.CSS(`a[href="/daftar"]`)), chromedp.WaitVisible(chromedp.CSS("#f-setuju")))
	do(t, ctx, "register without consent", chromedp.SendKeys(chromedp.CSS("#f-name"), "Sari Wulandari"), chromedp.SendKeys(chromedp.CSS("#f-login"), "sari@contoh.test"),
		chromedp.SendKeys(chromedp.CSS("#f-password"), "nasi goreng kambing"), chromedp.Submit(chromedp.CSS("#f-password")), chromedp.WaitVisible(chromedp.CSS("#e-setuju")))
	if v, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`document.getElementById("f-name").value`)); v != "Sari Wulandari" {
		t.Errorf("name not kept: %q", v)
	}
	do(t, ctx, "register", chromedp.SendKeys(chromedp.CSS("#f-password"), "nasi goreng kambing"), chromedp.Click(chromedp.CSS("#f-setuju")),
		chromedp.Submit(chromedp.CSS("#f-password")), chromedp.WaitVisible(chromedp.CSS("#f-code")))
	screenshot(t, ctx, "8-confirm")
	code := outboxCode(t, outbox, "sari@contoh.test")
	do(t, ctx, "confirm", chromedp.SendKeys(chromedp.CSS("#f-code"), code), chromedp.Submit(chromedp.CSS("#f-code")), chromedp.WaitVisible(chromedp.CSS(".alert-ok")))
	do(t, ctx, "sign in", chromedp.SendKeys(chromedp.CSS("#f-password"), "nasi goreng kambing"), chromedp.Submit(chromedp.CSS("#f-password")),
		chromedp.WaitVisible(chromedp.CSS("#h-nik")))
	screenshot(t, ctx, "9-account")
	if p := text(t, ctx, "main p"); !strings.Contains(p, "sari@contoh.test") {
		t.Errorf("account page says %q", p)
	}
}

// outboxCode is the one-time code in the newest message to "to" in a
// --outbox directory. Codes are sent after the answer, by the server in
// this process, so the message may land a moment after the page: it is
// looked for until it comes, for at most 10 s.
func outboxCode(t *testing.T, outbox, to string) string {
	t.Helper()
	for try := 0; ; try++ {
		files, _ := os.ReadDir(outbox)
		code := ""
		for _, f := range files {
			if b, _ := os.ReadFile(filepath.Join(outbox, f.Name())); strings.Contains(string(b), "To: "+to) {
				code = regexp.MustCompile(`\b\d{6}\b`).FindString(string(b))
			}
		}
		if code != "" {
			return code
		}
		if try == 200 {
			t.Fatalf("no code for %s in the outbox (%d files)", to, len(files))
		}
		time.Sleep(50 * time.Millisecond)
	}
}
