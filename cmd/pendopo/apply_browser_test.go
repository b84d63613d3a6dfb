package main

import (
	"encoding/base64"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// samplePDF is an uploaded document for the journeys.
const samplePDF = "%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"

// TestJourneyApplyOnline is the whole life of an online application in a
// real browser: a citizen applies with uploads, the officer returns it,
// the citizen fixes and resends it, the officers and their head approve
// every step, the citizen gets the signed PDF, and the verification page
// confirms it and rejects a tampered copy.
func TestJourneyApplyOnline(t *testing.T) {
	t.Parallel()
	ctx := browser(t)
	env := dbEnv(t)
	url, banner := startServerBanner(t, env, "--demo")
	password := demoPassword(t, banner)
	dir := t.TempDir()
	kk, ktp := filepath.Join(dir, "kk.pdf"), filepath.Join(dir, "ktp.pdf")
	os.WriteFile(kk, []byte(samplePDF), 0o644)
	os.WriteFile(ktp, []byte(samplePDF+"\n"), 0o644)
	signOut := func() {
		do(t, ctx, "sign out", chromedp.Click(chromedp.CSS(`form[action="/keluar"] button`)), chromedp.WaitVisible(chromedp.CSS(`a[href="/masuk"]`)))
	}

	signIn(t, ctx, url, "warga@pendopo.test", password)
	do(t, ctx, "online services", chromedp.Navigate(url+"/daerah/33.74/online"), chromedp.WaitVisible(chromedp.CSS("ul.cards")))
	screenshot(t, ctx, "10-online")
	start, err := chromedp.Run(ctx, chromedp.Evaluate[string](`[...document.querySelectorAll('ul.cards li')].find(li => li.textContent.includes('Pindah')).querySelector('a.button').getAttribute('href')`))
	if err != nil || !strings.HasSuffix(start, "/ajukan") {
		t.Fatalf("no apply button for the moving-out letter: %q %v", start, err)
	}
	do(t, ctx, "start", chromedp.Navigate(url+start), chromedp.WaitVisible(chromedp.CSS(`form[action$="/ajukan"] button`)))
	screenshot(t, ctx, "11-apply-start")
	do(t, ctx, "begin the form", chromedp.Click(chromedp.CSS(`form[action$="/ajukan"] button`)), chromedp.WaitVisible(chromedp.CSS("#f-answers\\.nama")))
	// Half done, the draft is kept and the review lists what is missing,
	// each item a link back to its field.
	do(t, ctx, "fill part", chromedp.SendKeys(chromedp.CSS("#f-answers\\.nama"), "Warga Demo"), chromedp.SendKeys(chromedp.CSS("#f-answers\\.nik"), "3374011508900001"),
		chromedp.Click(chromedp.CSS(`button[name=lanjut]`)), chromedp.WaitVisible(chromedp.CSS("#masalah")))
	screenshot(t, ctx, "12-apply-missing")
	if missing := text(t, ctx, "#masalah"); !strings.Contains(missing, "KK asli") || strings.Contains(missing, "Nama lengkap") {
		t.Errorf("missing list: %q", missing)
	}
	do(t, ctx, "back to the field", chromedp.Click(chromedp.CSS(`#masalah a[href$="#f-answers.dokumen_1"]`)), chromedp.WaitVisible(chromedp.CSS(`input[name=dokumen_1]`)))
	if v, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`document.getElementById("f-answers.nama").value`)); v != "Warga Demo" {
		t.Errorf("typed name lost: %q", v)
	}
	do(t, ctx, "fill the rest",
		chromedp.Click(chromedp.CSS(`input[name=alasan][value=Pekerjaan]`)),
		chromedp.SendKeys(chromedp.CSS("#f-answers\\.jumlah_pindah"), "2"),
		chromedp.SetUploadFiles(chromedp.CSS(`input[name=dokumen_1]`), []string{kk}),
		chromedp.SetUploadFiles(chromedp.CSS(`input[name=dokumen_2]`), []string{ktp}),
		chromedp.SendKeys(chromedp.CSS("#f-alamat_tujuan__jalan"), "Jl. Slamet Riyadi No. 7, RT 01/RW 04"),
		chromedp.SetValue(chromedp.CSS("#f-alamat_tujuan__wilayah"), "33.72"),
		chromedp.Click(chromedp.CSS(`input[name=persetujuan]`)),
		chromedp.Click(chromedp.CSS(`button[name=lanjut]`)), chromedp.WaitVisible(chromedp.CSS(`form[action$="/kirim"] button`)))
	screenshot(t, ctx, "13-apply-review")
	do(t, ctx, "send", chromedp.Click(chromedp.CSS(`form[action$="/kirim"] button`)), chromedp.WaitVisible(chromedp.CSS(".receipt")))
	screenshot(t, ctx, "14-receipt")
	number := strings.TrimSpace(text(t, ctx, ".receipt .tracking"))
	if !strings.HasPrefix(number, "3374-") {
		t.Fatalf("receipt number %q", number)
	}
	signOut()

	// The officer finds it in the queue and returns it for correction.
	signIn(t, ctx, url, "petugas.3374@pendopo.test", password)
	do(t, ctx, "queue", chromedp.Navigate(url+"/admin/daerah/33.74/permohonan"), chromedp.WaitVisible(chromedp.CSS("table.queue")))
	screenshot(t, ctx, "15-queue")
	do(t, ctx, "open it", chromedp.Click(chromedp.CSS(`a[href="/admin/permohonan/`+number+`"]`)), chromedp.WaitVisible(chromedp.CSS("#f-note_return")))
	screenshot(t, ctx, "16-officer")
	do(t, ctx, "return", chromedp.SendKeys(chromedp.CSS("#f-note_return"), "Foto KK terpotong; unggah ulang halaman lengkap."),
		chromedp.Submit(chromedp.CSS("#f-note_return")), chromedp.WaitVisible(chromedp.CSS(".alert-ok")))
	signOut()

	// The citizen reads the note, replaces the file and sends it again.
	signIn(t, ctx, url, "warga@pendopo.test", password)
	do(t, ctx, "status", chromedp.Navigate(url+"/permohonan/"+number), chromedp.WaitVisible(chromedp.CSS(".alert-warn")))
	if note := text(t, ctx, ".alert-warn"); !strings.Contains(note, "Foto KK terpotong") {
		t.Errorf("the return note is not shown: %q", note)
	}
	screenshot(t, ctx, "17-returned")
	do(t, ctx, "fix", chromedp.Click(chromedp.CSS(`a[href$="/isi"]`)), chromedp.WaitVisible(chromedp.CSS(`input[name=dokumen_1]`)),
		chromedp.SetUploadFiles(chromedp.CSS(`input[name=dokumen_1]`), []string{ktp}),
		chromedp.Click(chromedp.CSS(`button[name=lanjut]`)), chromedp.WaitVisible(chromedp.CSS(`form[action$="/kirim-ulang"] button`)),
		chromedp.Click(chromedp.CSS(`form[action$="/kirim-ulang"] button`)), chromedp.WaitVisible(chromedp.CSS(".alert-ok")))
	signOut()

	// Every step: officer, officer, the head, officer.
	for _, login := range []string{"petugas.3374", "petugas.3374", "kepala.3374", "petugas.3374"} {
		signIn(t, ctx, url, login+"@pendopo.test", password)
		do(t, ctx, "approve as "+login, chromedp.Navigate(url+"/admin/permohonan/"+number),
			chromedp.WaitVisible(chromedp.CSS(`form:has(input[value=approve]) button`)),
			chromedp.Click(chromedp.CSS(`form:has(input[value=approve]) button`)), chromedp.WaitVisible(chromedp.CSS(".alert-ok")))
		signOut()
	}

	signIn(t, ctx, url, "warga@pendopo.test", password)
	do(t, ctx, "completed", chromedp.Navigate(url+"/permohonan/"+number), chromedp.WaitVisible(chromedp.CSS(`a[href$="/dokumen.pdf"]`)))
	screenshot(t, ctx, "18-completed")
	pdf64, err := chromedp.Run(ctx, chromedp.Evaluate[string](`fetch("/permohonan/`+number+`/dokumen.pdf").then(r => r.arrayBuffer()).then(b => btoa(String.fromCharCode(...new Uint8Array(b))))`,
		chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatal(err)
	}
	pdf, _ := base64.StdEncoding.DecodeString(pdf64)
	if !strings.HasPrefix(string(pdf), "%PDF-") {
		t.Fatalf("document is not a PDF: %q", pdf[:min(len(pdf), 8)])
	}
	if dir := os.Getenv("PENDOPO_SCREENSHOTS"); dir != "" {
		os.WriteFile(filepath.Join(dir, "18-document.pdf"), pdf, 0o644)
	}
	code := text(t, ctx, `a[href^="/verifikasi/"]`)
	signOut()

	// Anyone checks it: by the code, by the file, and a tampered copy.
	do(t, ctx, "verify by code", chromedp.Navigate(url+"/verifikasi"), chromedp.WaitVisible(chromedp.CSS("#f-kode")),
		chromedp.SendKeys(chromedp.CSS("#f-kode"), strings.ToLower(code)), chromedp.Submit(chromedp.CSS("#f-kode")), chromedp.WaitVisible(chromedp.CSS(".verdict")))
	screenshot(t, ctx, "19-verified")
	if v := text(t, ctx, ".verdict h2"); v != "Dokumen asli" {
		t.Errorf("verdict by code %q", v)
	}
	good, bad := filepath.Join(dir, "dokumen.pdf"), filepath.Join(dir, "diubah.pdf")
	os.WriteFile(good, pdf, 0o644)
	tampered := []byte(strings.Replace(string(pdf), "Warga Demo", "Warga Lain", 1))
	if string(tampered) == string(pdf) {
		tampered[len(tampered)/2] ^= 1 // the name sits in a compressed stream
	}
	os.WriteFile(bad, tampered, 0o644)
	for file, want := range map[string]string{good: "Dokumen asli", bad: "Dokumen telah diubah"} {
		do(t, ctx, "verify "+filepath.Base(file), chromedp.Navigate(url+"/verifikasi"), chromedp.WaitVisible(chromedp.CSS("#f-berkas")),
			chromedp.SetUploadFiles(chromedp.CSS("#f-berkas"), []string{file}), chromedp.Submit(chromedp.CSS("#f-berkas")), chromedp.WaitVisible(chromedp.CSS(".verdict")))
		if v := text(t, ctx, ".verdict h2"); v != want {
			t.Errorf("verdict for %s: %q, want %q", filepath.Base(file), v, want)
		}
	}
	screenshot(t, ctx, "20-altered")
}
