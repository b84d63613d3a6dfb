package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
)

// phoneFit is a script that says what does not fit a phone's screen, or
// "" when all fits: nothing pushes the page sideways, the elements
// matched by the selector "inside" (if any) lie within the window's
// width, and no two buttons, or links drawn as buttons, touch: their
// boxes keep at least 4 px between them, so a thumb meant for one does
// not press the other (WCAG 2.5.8's spacing, with room to spare).
const phoneFit = `((inside) => {
	const W = window.innerWidth, de = document.documentElement;
	if (de.scrollWidth > W) return "the page is " + de.scrollWidth + " px wide in a " + W + " px window";
	const shown = e => { const r = e.getBoundingClientRect(), s = getComputedStyle(e);
		return r.width > 0 && r.height > 0 && s.visibility !== "hidden" && !e.closest(".vh,[hidden],[aria-hidden=true]") };
	const name = e => e.outerHTML.slice(0, 90);
	// What scrolls sideways inside its own box (a wide table, the map, whose
	// names would be unreadable shrunk to a phone) fits when the box does.
	const box = e => { for (let p = e.parentElement; p; p = p.parentElement) {
		const o = getComputedStyle(p).overflowX; if (o === "auto" || o === "scroll") return p; } return e; };
	for (const e of inside ? document.querySelectorAll(inside) : []) {
		if (!shown(e)) continue;
		const r = box(e).getBoundingClientRect();
		if (r.left < 0 || r.right > W + 0.5) return name(e) + " runs from " + Math.round(r.left) + " to " + Math.round(r.right) + " px in a " + W + " px window";
	}
	const buttons = [...document.querySelectorAll("button, a.button, input[type=submit], input[type=button]")].filter(shown);
	for (let i = 0; i < buttons.length; i++) for (let j = i + 1; j < buttons.length; j++) {
		const a = buttons[i].getBoundingClientRect(), b = buttons[j].getBoundingClientRect();
		const gap = Math.max(b.left - a.right, a.left - b.right, b.top - a.bottom, a.top - b.bottom);
		if (gap < 4) return name(buttons[i]) + " and " + name(buttons[j]) + " are " + gap.toFixed(1) + " px apart";
	}
	return "";
})`

// fits fails the test when something on the page shown does not fit a
// phone (see phoneFit).
func fits(t *testing.T, ctx context.Context, page, inside string) {
	t.Helper()
	sel := "null"
	if inside != "" {
		sel = "`" + inside + "`"
	}
	if bad, err := chromedp.Run(ctx, chromedp.Evaluate[string](phoneFit+"("+sel+")")); err != nil || bad != "" {
		t.Errorf("%s at 390 px: %s %v", page, bad, err)
	}
}

// TestPhoneJourneys walks the main journeys on a 390 px phone (issue 14
// §4): from the landing page through search and the service to an
// application sent, the citizen's applications as cards whose status and
// deadline are on screen, the officer's queue as cards that name the
// service and the step, and the report form and map; on every page
// nothing is wider than the phone and no two buttons touch.
func TestPhoneJourneys(t *testing.T) {
	t.Parallel()
	ctx := browser(t)
	url, banner := startServerBanner(t, dbEnv(t), "--demo")
	password := demoPassword(t, banner)
	if _, err := chromedp.Call(ctx, emulation.SetDeviceMetricsOverride, emulation.SetDeviceMetricsOverrideParams{Width: 390, Height: 844, DeviceScaleFactor: 1, Mobile: true}); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	kk := filepath.Join(dir, "kk.pdf")
	os.WriteFile(kk, []byte(samplePDF), 0o644)

	// Apply: landing → search → service → start → form → check → send.
	signIn(t, ctx, url, "warga@pendopo.test", password)
	do(t, ctx, "landing page", chromedp.Navigate(url+"/"), chromedp.WaitVisible(chromedp.CSS("#q-home")))
	fits(t, ctx, "landing", "main form, main input, main select")
	do(t, ctx, "search", chromedp.SendKeys(chromedp.CSS("#q-home"), "surat pindah"), chromedp.SetValue(chromedp.CSS("#daerah-home"), "33.74"),
		chromedp.Submit(chromedp.CSS("#q-home")), chromedp.WaitVisible(chromedp.CSS("ul.cards li h3 a")))
	fits(t, ctx, "search results", "ul.cards li")
	result, err := chromedp.Run(ctx, chromedp.Evaluate[string](`[...document.querySelectorAll("ul.cards li h3 a")].find(a => a.textContent.includes("Pindah")).getAttribute("href")`))
	if err != nil {
		t.Fatalf("no moving-out letter among the results: %v", err)
	}
	do(t, ctx, "service page", chromedp.Navigate(url+result), chromedp.WaitVisible(chromedp.CSS(`a.button[href$="/ajukan"]`)))
	fits(t, ctx, "service", "main section, .keyfacts")
	do(t, ctx, "start", chromedp.Click(chromedp.CSS(`a.button[href$="/ajukan"]`)), chromedp.WaitVisible(chromedp.CSS(`form[action$="/ajukan"] button`)))
	fits(t, ctx, "apply start", "")
	do(t, ctx, "form", chromedp.Click(chromedp.CSS(`form[action$="/ajukan"] button`)), chromedp.WaitVisible(chromedp.CSS("#f-answers\\.nama")))
	fits(t, ctx, "apply form", "main input:not([type=hidden]), main select, main textarea, main fieldset")
	do(t, ctx, "fill and check",
		chromedp.SendKeys(chromedp.CSS("#f-answers\\.nama"), "Warga Demo"), chromedp.SendKeys(chromedp.CSS("#f-answers\\.nik"), "3374011508900001"),
		chromedp.Click(chromedp.CSS(`input[name=alasan][value=Pekerjaan]`)),
		chromedp.SendKeys(chromedp.CSS("#f-answers\\.jumlah_pindah"), "2"),
		chromedp.SetUploadFiles(chromedp.CSS(`input[name=dokumen_1]`), []string{kk}),
		chromedp.SetUploadFiles(chromedp.CSS(`input[name=dokumen_2]`), []string{kk}),
		chromedp.SendKeys(chromedp.CSS("#f-alamat_tujuan__jalan"), "Jl. Slamet Riyadi No. 7, RT 01/RW 04"),
		chromedp.SetValue(chromedp.CSS("#f-alamat_tujuan__wilayah"), "33.72"),
		chromedp.Click(chromedp.CSS(`input[name=persetujuan]`)),
		chromedp.Click(chromedp.CSS(`button[name=lanjut]`)), chromedp.WaitVisible(chromedp.CSS(`form[action$="/kirim"] button`)))
	fits(t, ctx, "check answers", "main dl, main dd, main table")
	do(t, ctx, "send", chromedp.Click(chromedp.CSS(`form[action$="/kirim"] button`)), chromedp.WaitVisible(chromedp.CSS(".receipt")))
	fits(t, ctx, "receipt", ".receipt")
	number := strings.TrimSpace(text(t, ctx, ".receipt .tracking"))

	// The citizen's applications: cards, each status and deadline on screen.
	do(t, ctx, "my applications", chromedp.Navigate(url+"/permohonan"), chromedp.WaitVisible(chromedp.CSS(".app-cards li")))
	fits(t, ctx, "/permohonan", ".app-cards li, .app-cards .status, .app-cards .chip")
	cards, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`[...document.querySelectorAll(".app-cards li")].map(li => {
		const on = e => { const r = e.getBoundingClientRect(); return r.width > 0 && r.left >= 0 && r.right <= innerWidth };
		const status = li.querySelector(".status"), deadline = status && status.parentElement.querySelector(".chip");
		return li.querySelector(".tracking").textContent.trim() + (status && on(status) ? "" : " status off screen") +
			(deadline ? (on(deadline) ? " deadline" : " deadline off screen") : "") })`))
	if err != nil || len(cards) < 4 {
		t.Fatalf("application cards: %v %v", cards, err)
	}
	sent := false
	for _, c := range cards {
		if strings.Contains(c, "off screen") {
			t.Errorf("card %s", c)
		}
		sent = sent || c == number+" deadline"
	}
	if !sent {
		t.Errorf("the application just sent, %s, is not among the cards with its deadline: %v", number, cards)
	}
	do(t, ctx, "one application", chromedp.Navigate(url+"/permohonan/"+number), chromedp.WaitVisible(chromedp.CSS("main h1")))
	fits(t, ctx, "application", "main section, main ol, main table")

	// The report form and the public map.
	do(t, ctx, "report form", chromedp.Navigate(url+"/daerah/33.74/lapor"), chromedp.WaitVisible(chromedp.CSS("#f-category")))
	fits(t, ctx, "report form", "main input:not([type=hidden]), main select, main textarea, main fieldset, main svg, main img")
	do(t, ctx, "report map", chromedp.Navigate(url+"/daerah/33.74/laporan"), chromedp.WaitVisible(chromedp.CSS(".report-map")))
	fits(t, ctx, "report map", ".report-map, .report-map svg, main select, main li")
	do(t, ctx, "sign out", chromedp.Click(chromedp.CSS(`form[action="/keluar"] button`)), chromedp.WaitVisible(chromedp.CSS(`a[href="/masuk"]`)))

	// The officer's queue: a card per application naming the service and
	// the step, with the column's name before each value.
	signIn(t, ctx, url, "petugas.3374@pendopo.test", password)
	do(t, ctx, "queue", chromedp.Navigate(url+"/admin/daerah/33.74/permohonan"), chromedp.WaitVisible(chromedp.CSS("table.queue tbody tr")))
	fits(t, ctx, "queue", "table.queue tr, table.queue td")
	rows := queueCards(t, ctx, "application queue")
	mine := false
	for _, r := range rows {
		if !strings.Contains(r, "Layanan: ") || !strings.Contains(r, "Tahap: ") {
			t.Errorf("queue card %q lacks the service or the step", r)
		}
		mine = mine || strings.Contains(r, number) && strings.Contains(r, "Pindah")
	}
	if !mine {
		t.Errorf("the application sent, %s, is not in the queue: %q", number, rows)
	}
	do(t, ctx, "officer's application", chromedp.Click(chromedp.CSS(`a[href="/admin/permohonan/`+number+`"]`)), chromedp.WaitVisible(chromedp.CSS("#f-note_return")))
	fits(t, ctx, "officer's application", "main form, main textarea")
	do(t, ctx, "console home", chromedp.Navigate(url+"/admin/daerah/33.74"), chromedp.WaitVisible(chromedp.CSS("main h1")))
	fits(t, ctx, "console home", "")
	do(t, ctx, "sign out", chromedp.Click(chromedp.CSS(`form[action="/keluar"] button`)), chromedp.WaitVisible(chromedp.CSS(`a[href="/masuk"]`)))

	// The coordinator's report queue: cards too.
	signIn(t, ctx, url, "admin.3374@pendopo.test", password)
	do(t, ctx, "report queue", chromedp.Navigate(url+"/admin/daerah/33.74/laporan"), chromedp.WaitVisible(chromedp.CSS("table.queue tbody tr")))
	fits(t, ctx, "report queue", "table.queue tr, table.queue td")
	for _, r := range queueCards(t, ctx, "report queue") {
		if !strings.Contains(r, "Judul: ") || !strings.Contains(r, "Status: ") {
			t.Errorf("report queue card %q lacks the title or the status", r)
		}
	}
}

// queueCards reads a console queue shown on a phone, one string per row
// ("label: value | …"), and fails the test unless every row is a card
// and every value is shown after its column's name (data-label), the
// column heads being hidden.
func queueCards(t *testing.T, ctx context.Context, queue string) []string {
	t.Helper()
	rows, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`[...document.querySelectorAll("table.queue tbody tr")].map(tr => {
		if (getComputedStyle(tr).display !== "block") return "a table row, not a card";
		const cells = [...tr.querySelectorAll("td")];
		const bad = cells.filter(td => !td.dataset.label || getComputedStyle(td, "::before").content.indexOf(td.dataset.label) < 0);
		if (bad.length) return "a value without its column's name: " + bad[0].textContent.trim();
		return cells.map(td => td.dataset.label + ": " + td.textContent.trim().replace(/\s+/g, " ")).join(" | ") })`))
	if err != nil || len(rows) == 0 {
		t.Fatalf("%s cards: %v %v", queue, rows, err)
	}
	for _, r := range rows {
		if strings.HasPrefix(r, "a ") {
			t.Errorf("%s on a phone: %s", queue, r)
		}
	}
	if head, _ := chromedp.Run(ctx, chromedp.Evaluate[float64](`document.querySelector("table.queue thead").getBoundingClientRect().height`)); head > 1 {
		t.Errorf("the %s's column heads take %v px on a phone; each card names its values", queue, head)
	}
	return rows
}
