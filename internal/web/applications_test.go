package web_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/pendopo/pendopo"
	"github.com/pendopo/pendopo/internal/portaltest"
)

var numberRE = regexp.MustCompile(`/permohonan/(\d{4}-\d{4}-[0-9A-Z]{6}-[0-9A-Z])/isi`)

// TestApplyPages walks the citizen's pages without JavaScript: start,
// a form with an upload and mistakes, review, submit (twice), the officer
// returns it, the citizen fixes it, officers approve every step, the
// citizen downloads the document and checks it on the verification page.
func TestApplyPages(t *testing.T) {
	p := portaltest.NewPortal(t)
	svc := p.OnlineService(t, "33.74", "penerbitan-ktp-el")
	budi := p.Citizen(t, "Budi Santoso", "budi@warga.test")
	officer := p.Officer(t, "Petugas", "petugas@dukcapil.test", pendopo.Role{Kind: pendopo.RoleOfficer, Region: "33.74", Agency: "disdukcapil"})
	head := p.Officer(t, "Kepala", "kepala@dukcapil.test", pendopo.Role{Kind: pendopo.RoleSupervisor, Region: "33.74", Agency: "disdukcapil"})

	page := p.GetAs(t, "/layanan/"+itoa64(svc.ID), budi)
	if !strings.Contains(page.Body, `href="/layanan/`+itoa64(svc.ID)+`/ajukan"`) {
		t.Fatal("the service page has no apply button")
	}
	start := p.GetAs(t, "/layanan/"+itoa64(svc.ID)+"/ajukan", budi)
	key := regexp.MustCompile(`name="key" value="([0-9a-f]+)"`).FindStringSubmatch(start.Body)
	if start.StatusCode != http.StatusOK || key == nil {
		t.Fatalf("start page: %d", start.StatusCode)
	}
	res := p.PostForm(t, "/layanan/"+itoa64(svc.ID)+"/ajukan", url.Values{"key": {key[1]}}, budi)
	m := numberRE.FindStringSubmatch(res.Header.Get("Location"))
	if res.StatusCode != http.StatusSeeOther || m == nil {
		t.Fatalf("start: %d %s", res.StatusCode, res.Header.Get("Location"))
	}
	number := m[1]
	// The same key (a double click) leads to the same draft.
	if again := p.PostForm(t, "/layanan/"+itoa64(svc.ID)+"/ajukan", url.Values{"key": {key[1]}}, budi); again.Header.Get("Location") != res.Header.Get("Location") {
		t.Errorf("second click went to %s", again.Header.Get("Location"))
	}
	// Coming back another day (a fresh start page, a new key) resumes the
	// draft: the start page offers it, and starting again returns it.
	back := p.GetAs(t, "/layanan/"+itoa64(svc.ID)+"/ajukan", budi)
	if !strings.Contains(back.Body, `href="/permohonan/`+number+`/isi"`) || !strings.Contains(back.Body, "Lanjutkan") {
		t.Error("the start page does not offer the draft to continue")
	}
	key2 := regexp.MustCompile(`name="key" value="([0-9a-f]+)"`).FindStringSubmatch(back.Body)
	if again := p.PostForm(t, "/layanan/"+itoa64(svc.ID)+"/ajukan", url.Values{"key": {key2[1]}}, budi); again.Header.Get("Location") != res.Header.Get("Location") {
		t.Errorf("starting again made another draft: %s", again.Header.Get("Location"))
	}
	// For someone else, a draft of its own.
	if other := p.PostForm(t, "/layanan/"+itoa64(svc.ID)+"/ajukan", url.Values{"key": {key2[1] + "x"}, "for_name": {"Siti Santoso"}}, budi); other.Header.Get("Location") == res.Header.Get("Location") {
		t.Error("an application for a family member resumed one's own draft")
	}
	if list := p.GetAs(t, "/permohonan", budi); !strings.Contains(list.Body, `href="/permohonan/`+number+`/isi">Lanjutkan mengisi`) {
		t.Error("the list of applications offers no way to continue the draft")
	}
	form := "/permohonan/" + number + "/isi"
	if f := p.GetAs(t, form, budi); !strings.Contains(f.Body, `enctype="multipart/form-data"`) || !strings.Contains(f.Body, `type="file"`) {
		t.Fatalf("form page: %d", f.StatusCode)
	}
	// A disguised file and no consent: both named, nothing lost.
	bad := p.PostMultipart(t, form, url.Values{"nama": {"Budi Santoso"}, "lanjut": {"1"}},
		map[string][2]string{"lampiran": {"ktp.pdf", "MZ this is an exe"}}, budi)
	if bad.StatusCode != http.StatusUnsupportedMediaType && bad.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("disguised upload: %d", bad.StatusCode)
	}
	if !strings.Contains(bad.Body, `id="e-lampiran"`) || !strings.Contains(bad.Body, `value="Budi Santoso"`) {
		t.Errorf("the form lost the typed name or did not mark the file:\n%s", excerpt(bad.Body, "masalah"))
	}
	ok := p.PostMultipart(t, form, url.Values{"nama": {"Budi Santoso"}, "setuju": {"1"}, "lanjut": {"1"}},
		map[string][2]string{"lampiran": {"ktp.pdf", portaltest.MinimalPDF}}, budi)
	if ok.StatusCode != http.StatusSeeOther || ok.Header.Get("Location") != "/permohonan/"+number+"/periksa" {
		t.Fatalf("save: %d %s\n%s", ok.StatusCode, ok.Header.Get("Location"), excerpt(ok.Body, "masalah"))
	}
	review := p.GetAs(t, "/permohonan/"+number+"/periksa", budi)
	if !strings.Contains(review.Body, `class="change" href="/permohonan/`+number+`/isi#f-answers.nama"`) {
		t.Error("the check-your-answers page has no link to change an answer")
	}
	if f := p.GetAs(t, "/permohonan/"+number+"/isi", budi); !strings.Contains(f.Body, `<span class="req">(wajib)</span>`) {
		t.Error("required fields are not marked")
	}
	if !strings.Contains(review.Body, "ktp.pdf") || !strings.Contains(review.Body, `action="/permohonan/`+number+`/kirim"`) {
		t.Fatalf("review page lacks the file or the send button")
	}
	for range 2 { // submitting twice is harmless
		sent := p.PostForm(t, "/permohonan/"+number+"/kirim", nil, budi)
		if sent.StatusCode != http.StatusSeeOther || !strings.HasSuffix(sent.Header.Get("Location"), "?pesan=terkirim") {
			t.Fatalf("submit: %d %s", sent.StatusCode, sent.Header.Get("Location"))
		}
	}
	receipt := p.GetAs(t, "/permohonan/"+number+"?pesan=terkirim", budi)
	if !strings.Contains(receipt.Body, number) || !strings.Contains(receipt.Body, "Batas waktu penyelesaian: 27 November 2026") {
		t.Errorf("receipt lacks the number or the deadline:\n%s", excerpt(receipt.Body, "receipt"))
	}
	// The officer sees it first in the queue and returns it with a note.
	queue := p.GetAs(t, "/admin/daerah/33.74/permohonan", officer)
	if !strings.Contains(queue.Body, number) {
		t.Fatal("not in the officer's queue")
	}
	v, err := p.App.Application(context.Background(), officerActor(t, p), number)
	if err != nil {
		t.Fatal(err)
	}
	rev := itoa64(int64(v.Rev))
	noNote := p.PostForm(t, "/admin/permohonan/"+number+"/tindak", url.Values{"action": {"return"}, "rev": {rev}}, officer)
	if noNote.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(noNote.Body, `id="e-note_return"`) {
		t.Errorf("return without a note: %d", noNote.StatusCode)
	}
	ret := p.PostForm(t, "/admin/permohonan/"+number+"/tindak", url.Values{"action": {"return"}, "rev": {rev}, "note_return": {"Lampiran kurang jelas."}}, officer)
	if ret.StatusCode != http.StatusSeeOther {
		t.Fatalf("return: %d", ret.StatusCode)
	}
	// The same form again (a second officer with a stale page) is refused.
	if stale := p.PostForm(t, "/admin/permohonan/"+number+"/tindak", url.Values{"action": {"return"}, "rev": {rev}, "note_return": {"x"}}, head); stale.StatusCode != http.StatusConflict {
		t.Errorf("stale action: %d", stale.StatusCode)
	}
	status := p.GetAs(t, "/permohonan/"+number, budi)
	if !strings.Contains(status.Body, "Lampiran kurang jelas.") || strings.Contains(status.Body, "Petugas (") {
		t.Errorf("the applicant should see the note and the role, not the officer's name")
	}
	if fix := p.PostMultipart(t, form, url.Values{"nama": {"Budi Santoso"}, "setuju": {"1"}}, map[string][2]string{"lampiran": {"ktp2.pdf", portaltest.MinimalPDF + "\n"}}, budi); fix.StatusCode != http.StatusSeeOther {
		t.Fatalf("fix: %d", fix.StatusCode)
	}
	if re := p.PostForm(t, "/permohonan/"+number+"/kirim-ulang", nil, budi); re.StatusCode != http.StatusSeeOther {
		t.Fatalf("resubmit: %d", re.StatusCode)
	}
	for _, who := range []string{officer, officer, head, officer} {
		v, err := p.App.Application(context.Background(), officerActor(t, p), number)
		if err != nil {
			t.Fatal(err)
		}
		res := p.PostForm(t, "/admin/permohonan/"+number+"/tindak", url.Values{"action": {"approve"}, "rev": {itoa64(int64(v.Rev))}}, who)
		if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("approve step %d: %d\n%s", v.Step, res.StatusCode, excerpt(res.Body, "masalah"))
		}
	}
	done := p.GetAs(t, "/permohonan/"+number, budi)
	code := regexp.MustCompile(`/verifikasi/([0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4})`).FindStringSubmatch(done.Body)
	if code == nil || !strings.Contains(done.Body, "/dokumen.pdf") {
		t.Fatal("the completed page has no document or code")
	}
	pdf := p.GetAs(t, "/permohonan/"+number+"/dokumen.pdf", budi)
	if pdf.StatusCode != http.StatusOK || pdf.Header.Get("Content-Type") != pendopo.MediaPDF || !strings.HasPrefix(pdf.Body, "%PDF-") ||
		pdf.Header.Get("Cache-Control") != "private, no-store" {
		t.Fatalf("document: %d %s %s", pdf.StatusCode, pdf.Header.Get("Content-Type"), pdf.Header.Get("Cache-Control"))
	}
	// Anyone can check it, by code (signed out) and by the file.
	byCode := p.Get(t, "/verifikasi/"+code[1])
	if byCode.StatusCode != http.StatusOK || !strings.Contains(byCode.Body, "Dokumen asli") || strings.Contains(byCode.Body, "Budi Santoso") {
		t.Errorf("verify by code: %d", byCode.StatusCode)
	}
	if lower := p.Get(t, "/verifikasi?kode="+strings.ToLower(code[1])); lower.StatusCode != http.StatusSeeOther {
		t.Errorf("the code form should redirect: %d", lower.StatusCode)
	}
	byFile := p.PostMultipart(t, "/verifikasi", nil, map[string][2]string{"berkas": {"dok.pdf", pdf.Body}}, "")
	if !strings.Contains(byFile.Body, "Dokumen asli") {
		t.Errorf("verify the file: %d", byFile.StatusCode)
	}
	// A demo portal's document is said to be an example.
	if !strings.Contains(byFile.Body, "Dokumen contoh.") {
		t.Error("the demo portal's verification does not say the document is an example")
	}
	tampered := []byte(pdf.Body)
	tampered[len(tampered)/2] ^= 1
	if alt := p.PostMultipart(t, "/verifikasi", nil, map[string][2]string{"berkas": {"dok.pdf", string(tampered)}}, ""); !strings.Contains(alt.Body, "Dokumen telah diubah") {
		t.Errorf("tampered file: %d", alt.StatusCode)
	}
	if unknown := p.Get(t, "/verifikasi/ABCD-EFGH-JKMN"); unknown.StatusCode != http.StatusNotFound || !strings.Contains(unknown.Body, "Dokumen tidak dikenal") {
		t.Errorf("unknown code: %d", unknown.StatusCode)
	}
	if junk := p.Get(t, "/verifikasi/%3Cscript%3E"); junk.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("junk code: %d", junk.StatusCode)
	}
	if none := p.PostMultipart(t, "/verifikasi", nil, nil, ""); none.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("no file: %d", none.StatusCode)
	}
	inbox := p.GetAs(t, "/akun/pemberitahuan", budi)
	if !strings.Contains(inbox.Body, "Permohonan "+number+" selesai") || !strings.Contains(inbox.Body, "perlu diperbaiki") {
		t.Errorf("inbox lacks the completion and the return")
	}
	if read := p.PostForm(t, "/akun/pemberitahuan/dibaca", url.Values{"seen": {"2030-01-01T00:00:00Z"}}, budi); read.StatusCode != http.StatusSeeOther {
		t.Errorf("mark read: %d", read.StatusCode)
	}
	if again := p.GetAs(t, "/akun/pemberitahuan", budi); strings.Contains(again.Body, "belum dibaca") {
		t.Errorf("still unread after marking")
	}
	mine := p.GetAs(t, "/permohonan", budi)
	if !strings.Contains(mine.Body, number) || !strings.Contains(mine.Body, "Selesai") {
		t.Errorf("my applications list")
	}
}

func officerActor(*testing.T, *portaltest.Portal) pendopo.Actor { return pendopo.System }

func itoa64(n int64) string { return strconv.FormatInt(n, 10) }

// excerpt returns the part of body around marker, for failure messages.
func excerpt(body, marker string) string {
	i := strings.Index(body, marker)
	if i < 0 {
		return ""
	}
	return body[max(0, i-200):min(len(body), i+800)]
}

// onlineEditorForm is what the online editor posts: three fields, two
// steps, an output template.
func onlineEditorForm(aksi string) url.Values {
	return url.Values{
		"enabled": {"1"}, "aksi": {aksi}, "note": {"Bisa diajukan online"},
		"apply.form.fields[0].key": {"nama"}, "apply.form.fields[0].label": {"Nama lengkap"}, "apply.form.fields[0].type": {"text"},
		"apply.form.fields[0].required": {"1"}, "apply.form.fields[0].order": {"1"},
		"apply.form.fields[1].key": {"ktp"}, "apply.form.fields[1].label": {"Foto KTP-el"}, "apply.form.fields[1].type": {"file"},
		"apply.form.fields[1].accept": {"image/jpeg", "application/pdf"}, "apply.form.fields[1].max_mb": {"2"}, "apply.form.fields[1].order": {"2"},
		"apply.form.fields[2].key": {"setuju"}, "apply.form.fields[2].label": {"Data saya benar."}, "apply.form.fields[2].type": {"consent"},
		"apply.form.fields[2].required": {"1"}, "apply.form.fields[2].order": {"3"},
		"apply.form.fields[3].key": {""}, "apply.form.fields[3].type": {"text"},
		"apply.workflow.steps[0].key": {"verifikasi"}, "apply.workflow.steps[0].name": {"Verifikasi"}, "apply.workflow.steps[0].role": {"officer"},
		"apply.workflow.steps[1].key": {"terbit"}, "apply.workflow.steps[1].name": {"Tanda tangan kepala"}, "apply.workflow.steps[1].role": {"supervisor"},
		"apply.workflow.steps[2].key": {""}, "apply.workflow.steps[2].role": {"officer"},
		"output_title": {"SURAT KETERANGAN KTP-EL"}, "output_body": {"Diterangkan bahwa {nama} telah mengajukan {layanan}."},
	}
}

func TestOnlineEditor(t *testing.T) {
	p := portaltest.NewPortal(t)
	officer := p.Officer(t, "Petugas", "petugas@editor.test", pendopo.Role{Kind: pendopo.RoleOfficer, Region: "33.74", Agency: "disdukcapil"})
	head := p.Officer(t, "Kepala", "kepala@editor.test", pendopo.Role{Kind: pendopo.RoleSupervisor, Region: "33.74", Agency: "disdukcapil"})
	id := serviceID(t, p, "33.74", "penerbitan-ktp-el")
	path := "/admin/layanan/" + itoa64(id) + "/online"
	// Not online yet: the editor starts from the requirements.
	page := p.GetAs(t, path, officer)
	if page.StatusCode != http.StatusOK || !strings.Contains(page.Body, `value="syarat_1"`) || strings.Contains(page.Body, `name="enabled" value="1" checked`) {
		t.Fatalf("editor of a service not yet online: %d %s", page.StatusCode, page.Body[:min(len(page.Body), 300)])
	}
	// Mistakes are shown at their inputs, nothing is saved.
	bad := onlineEditorForm("draf")
	bad.Set("apply.form.fields[0].key", "Nama Lengkap")
	bad.Set("output_body", "Untuk {tidak_ada}.")
	res := p.PostForm(t, path, bad, officer)
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(res.Body, `id="e-apply.form.fields[0].key"`) ||
		!strings.Contains(res.Body, `id="e-output_body"`) || !strings.Contains(res.Body, `value="Foto KTP-el"`) {
		t.Fatalf("bad editor input: %d\n%s", res.StatusCode, excerpt(res.Body, "masalah"))
	}
	// The officer saves a draft; the public sees no apply button yet.
	if res := p.PostForm(t, path, onlineEditorForm("draf"), officer); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("save draft: %d\n%s", res.StatusCode, excerpt(res.Body, "masalah"))
	}
	if res := p.PostForm(t, path, onlineEditorForm("terbit"), officer); res.StatusCode != http.StatusForbidden {
		t.Errorf("an officer published: %d", res.StatusCode)
	}
	if pub := p.Get(t, "/layanan/"+itoa64(id)); strings.Contains(pub.Body, "/ajukan") {
		t.Error("a draft form is offered to the public")
	}
	before := p.Get(t, "/daerah/33.74/online")
	// The head publishes; the service takes applications with that form.
	if res := p.PostForm(t, path, onlineEditorForm("terbit"), head); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("publish: %d", res.StatusCode)
	}
	after := p.Get(t, "/daerah/33.74/online")
	if strings.Count(after.Body, "/ajukan\"") != strings.Count(before.Body, "/ajukan\"")+1 {
		t.Error("the region's list of online services did not pick up the newly published one")
	}
	if home := p.Get(t, "/daerah/33.74"); !strings.Contains(home.Body, `href="/daerah/33.74/online"`) {
		t.Error("the region page does not lead to its online services")
	}
	svc, err := p.App.Store().Service(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	on := svc.Apply
	if on == nil || len(on.Form.Fields) != 3 || on.Form.Fields[1].MaxBytes != 2<<20 || len(on.Form.Fields[1].Accept) != 2 ||
		len(on.Workflow.Steps) != 2 || on.Workflow.Steps[1].Role != pendopo.RoleSupervisor || !svc.HasChannel(pendopo.ChannelOnline) {
		t.Fatalf("published online config: %+v", on)
	}
	if pub := p.Get(t, "/layanan/"+itoa64(id)); !strings.Contains(pub.Body, "/layanan/"+itoa64(id)+"/ajukan") {
		t.Error("the published form is not offered")
	}
	// Editing the standard in the main editor keeps the online form.
	form := serviceForm()
	form.Set("slug", svc.Slug)
	form.Set("kind", svc.Kind)
	if res := p.PostForm(t, "/admin/layanan/"+itoa64(id), form, head); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("main editor: %d", res.StatusCode)
	}
	if again, _ := p.App.Store().Service(context.Background(), id); again.Apply == nil || len(again.Apply.Form.Fields) != 3 {
		t.Error("the main editor dropped the online form")
	}
	// Turning it off removes the form in the next version.
	off := onlineEditorForm("terbit")
	off.Del("enabled")
	if res := p.PostForm(t, path, off, head); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("turn off: %d", res.StatusCode)
	}
	if again, _ := p.App.Store().Service(context.Background(), id); again.Apply != nil {
		t.Error("still online after turning it off")
	}
}

// TestVerifyUploadLimit: anonymous PDF checks are bounded per address.
func TestVerifyUploadLimit(t *testing.T) {
	p := portaltest.NewPortal(t)
	for i := range 31 {
		res := p.PostMultipart(t, "/verifikasi", nil, nil, "")
		if want := http.StatusUnprocessableEntity; i == 30 {
			if res.StatusCode != http.StatusTooManyRequests || !strings.Contains(res.Body, "Terlalu banyak permintaan") {
				t.Errorf("check %d: %d, want 429 with a message", i+1, res.StatusCode)
			}
		} else if res.StatusCode != want {
			t.Fatalf("check %d: %d", i+1, res.StatusCode)
		}
	}
}

// TestDateAnswerInWords: a date answered on the form reads "17 Mei 2020"
// on the application's page, not 2020-05-17.
func TestDateAnswerInWords(t *testing.T) {
	p := portaltest.NewPortal(t)
	ctx := context.Background()
	u, err := p.App.AddUser(ctx, "Sari Wulandari", "sari@warga.test", portaltest.Password, nil)
	if err != nil {
		t.Fatal(err)
	}
	session, _, err := p.App.Login(ctx, "sari@warga.test", portaltest.Password, "192.0.2.3", "test")
	if err != nil {
		t.Fatal(err)
	}
	found, err := p.App.Search(ctx, "akta kelahiran", "33.74", pendopo.Page{PerPage: 5})
	if err != nil {
		t.Fatal(err)
	}
	var id int64
	for _, h := range found.Hits {
		if h.Kind == "akta-kelahiran" && h.Online {
			id = h.ID
		}
	}
	if id == 0 {
		t.Fatal("no online birth certificate in Semarang")
	}
	who := pendopo.Actor{Name: u.Name, UserID: u.ID}
	a, err := p.App.StartApplication(ctx, who, id, "", "")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.App.SaveAnswers(ctx, who, a.Number, map[string][]string{"tanggal_lahir": {"2020-05-17"}}); err != nil && pendopo.KindOf(err) != pendopo.KindInvalid {
		t.Fatal(err)
	}
	page := p.GetAs(t, "/permohonan/"+a.Number+"/periksa", session)
	if !strings.Contains(page.Body, "17 Mei 2020") || strings.Contains(page.Body, "2020-05-17") {
		t.Errorf("the date answer is not written in words (%d)", page.StatusCode)
	}
}
