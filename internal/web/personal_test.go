package web_test

import (
	"archive/zip"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"image"
	"image/png"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/pendopo/pendopo"
	"github.com/pendopo/pendopo/internal/app"
	"github.com/pendopo/pendopo/internal/blob"
	"github.com/pendopo/pendopo/internal/pendopotest"
	"github.com/pendopo/pendopo/internal/portaltest"
	"github.com/pendopo/pendopo/internal/store"
)

// signedIn returns the actor and account of a session.
func signedIn(t *testing.T, p *portaltest.Portal, secret string) (pendopo.Actor, pendopo.User) {
	t.Helper()
	who, u, err := p.App.SessionActor(context.Background(), secret, "192.0.2.9")
	if err != nil {
		t.Fatal(err)
	}
	return who, u
}

// unzip reads a zip response into its files by path.
func unzip(t *testing.T, res portaltest.Response) map[string][]byte {
	t.Helper()
	if res.StatusCode != http.StatusOK || res.Header.Get("Content-Type") != "application/zip" {
		t.Fatalf("not a zip: %d %s", res.StatusCode, res.Header.Get("Content-Type"))
	}
	zr, err := zip.NewReader(bytes.NewReader([]byte(res.Body)), int64(len(res.Body)))
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]byte{}
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatalf("%s: %v", f.Name, err)
		}
		out[f.Name] = b
	}
	return out
}

// TestWhoReadMyData: officers open a citizen's application, download its
// file and read his identity on a report and his account; he sees each
// reading with the position and office (not the officer's name), and
// another citizen sees none of it.
func TestWhoReadMyData(t *testing.T) {
	p := portaltest.NewPortal(t)
	ctx := context.Background()
	svc := p.OnlineService(t, "33.74", "penerbitan-ktp-el")
	budiS := p.Citizen(t, "Budi Santoso", "budi@contoh.test")
	sariS := p.Citizen(t, "Sari Wulandari", "sari@contoh.test")
	budi, budiU := signedIn(t, p, budiS)
	number := p.Apply(t, budiU.ID, svc.ID, true)
	v, err := p.App.Application(ctx, budi, number)
	if err != nil {
		t.Fatal(err)
	}
	file := "/permohonan/" + number + "/berkas/" + v.Uploads[0].Addr
	lat, lng := -6.99, 110.42
	rep, err := p.App.SubmitReport(ctx, budi, "33.74", pendopo.ReportInput{Kind: pendopo.ReportComplaint, Category: "jalan",
		Title: "Jalan berlubang di Jl. Pemuda", Description: "Lubang besar di depan toko roti.", Privacy: pendopo.PrivacyPublic,
		Location: pendopo.ReportLocation{Lat: &lat, Lng: &lng, Address: "Jl. Pemuda"}}, "")
	if err != nil {
		t.Fatal(err)
	}

	// Before anyone reads: nothing, and Budi's own download is not listed.
	if res := p.GetAs(t, file, budiS); res.StatusCode != http.StatusOK {
		t.Fatalf("Budi's own file: %d", res.StatusCode)
	}
	if res := p.GetAs(t, "/akun/akses", budiS); res.StatusCode != http.StatusOK || !strings.Contains(res.Body, "Belum ada petugas") {
		t.Fatalf("before: %d", res.StatusCode)
	}

	officer := p.Officer(t, "Wahyu Pratama", "wahyu@dukcapil.test", pendopo.Role{Kind: pendopo.RoleOfficer, Region: "33.74", Agency: "disdukcapil"})
	for _, path := range []string{"/admin/permohonan/" + number, file} {
		if res := p.GetAs(t, path, officer); res.StatusCode != http.StatusOK {
			t.Fatalf("officer %s: %d", path, res.StatusCode)
		}
	}
	if res := p.GetAs(t, "/admin/laporan/"+rep.Number, p.RegionAdmin); res.StatusCode != http.StatusOK {
		t.Fatalf("coordinator's report page: %d", res.StatusCode)
	}
	admin, _ := signedIn(t, p, p.Admin)
	if _, err := p.App.ReadPersonalData(ctx, admin, budiU.ID); err != nil {
		t.Fatal(err)
	}

	res := p.GetAs(t, "/akun/akses", budiS)
	if res.StatusCode != http.StatusOK {
		t.Fatalf("/akun/akses: %d", res.StatusCode)
	}
	checkHTML(t, "/akun/akses", res)
	for _, want := range []string{
		"Membuka permohonan " + number, "Mengunduh berkas lampiran.pdf dari permohonan " + number,
		"Membaca identitas Anda pada laporan " + rep.Number, "Membaca data akun Anda",
		"Petugas", "Dinas Kependudukan dan Pencatatan Sipil", "Kota Semarang", "Admin daerah", "Admin nasional",
		`href="/permohonan/` + number + `"`, `href="/laporan/` + rep.Number + `"`,
	} {
		if !strings.Contains(res.Body, want) {
			t.Errorf("/akun/akses lacks %q", want)
		}
	}
	if n := strings.Count(res.Body, "<tr><td><time"); n != 4 {
		t.Errorf("%d readings listed, want 4 (Budi's own download is not one)", n)
	}
	// The office, not the officer: no officer's name.
	for _, name := range []string{"Wahyu", "Admin Semarang", "Admin Nasional"} {
		if strings.Contains(res.Body, name) {
			t.Errorf("/akun/akses names %q", name)
		}
	}
	// Newest first: the national admin's reading tops the list.
	if strings.Index(res.Body, "Membaca data akun Anda") > strings.Index(res.Body, "Membuka permohonan") {
		t.Error("not newest first")
	}
	if en := p.GetAs(t, "/akun/akses?lang=en", budiS); !strings.Contains(en.Body, "Downloaded the file lampiran.pdf of application "+number) {
		t.Error("no English")
	}
	if acc := p.GetAs(t, "/akun", budiS); !strings.Contains(acc.Body, `href="/akun/akses"`) {
		t.Error("/akun does not link to /akun/akses")
	}

	// Another citizen sees none of Budi's readings; nobody signed out at all.
	other := p.GetAs(t, "/akun/akses", sariS)
	if !strings.Contains(other.Body, "Belum ada petugas") || strings.Contains(other.Body, number) || strings.Contains(other.Body, rep.Number) {
		t.Errorf("Sari sees Budi's readings")
	}
	if res := p.Get(t, "/akun/akses"); res.StatusCode != http.StatusSeeOther {
		t.Errorf("signed out: %d", res.StatusCode)
	}
}

// tinyPNG is a 1×1 PNG, a photo by its content.
func tinyPNG(t *testing.T, c uint8) []byte {
	t.Helper()
	img := image.NewGray(image.Rect(0, 0, 1, 1))
	img.Pix[0] = c
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// person is a citizen with an application worked to its document (with
// answers, an upload and a survey response), a draft and a report with a
// photo.
type person struct {
	secret, name, email, nik string
	who                      pendopo.Actor
	user                     pendopo.User
	done, draft, report      string
}

func newPerson(t *testing.T, p *portaltest.Portal, svc pendopo.Service, name, email, nik string, shade uint8) person {
	t.Helper()
	ctx := context.Background()
	x := person{name: name, email: email, nik: nik}
	x.secret = p.Citizen(t, name, email)
	x.who, x.user = signedIn(t, p, x.secret)
	if _, err := p.App.SetNIK(ctx, x.who, nik); err != nil {
		t.Fatal(err)
	}
	x.done = p.Apply(t, x.user.ID, svc.ID, true)
	// p.Apply answers "Budi Santoso"; the person's own name instead.
	x.draft = p.Apply(t, x.user.ID, svc.ID, false)
	if _, err := p.App.SaveAnswers(ctx, x.who, x.draft, map[string][]string{"nama": {name}, "setuju": {"1"}}); err != nil {
		t.Fatal(err)
	}
	v, err := p.App.Application(ctx, x.who, x.done)
	if err != nil {
		t.Fatal(err)
	}
	rev := v.Rev
	for range v.Content.Apply.Workflow.Steps {
		a, err := p.App.Act(ctx, pendopo.System, x.done, app.ApplicationAct{Action: pendopo.ActApprove, Rev: rev})
		if err != nil {
			t.Fatal(err)
		}
		rev = a.Rev
	}
	subject, err := p.App.SurveyForApplication(ctx, x.who, x.done)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.App.SubmitSurvey(ctx, subject, map[pendopo.UnsurID]int{pendopo.UnsurTime: 4}, "Cepat sekali, "+name, ""); err != nil {
		t.Fatal(err)
	}
	lat, lng := -6.99, 110.42
	r, err := p.App.SubmitReport(ctx, x.who, "33.74", pendopo.ReportInput{Kind: pendopo.ReportComplaint, Category: "jalan",
		Title: "Jalan berlubang dekat rumah " + name, Description: "Lubang besar di depan toko roti.", Privacy: pendopo.PrivacyAnonymous,
		Location: pendopo.ReportLocation{Lat: &lat, Lng: &lng, Address: "Jl. Pemuda"}}, "")
	if err != nil {
		t.Fatal(err)
	}
	x.report = r.Number
	if _, err := p.App.AddReportPhoto(ctx, x.who, r.Number, "", bytes.NewReader(tinyPNG(t, shade))); err != nil {
		t.Fatal(err)
	}
	return x
}

// TestMyDataDownload downloads a person's data and finds all of it, the
// files included, and nothing of anyone else.
func TestMyDataDownload(t *testing.T) {
	p := portaltest.NewPortal(t)
	ctx := context.Background()
	svc := p.OnlineService(t, "33.74", "penerbitan-ktp-el")
	budi := newPerson(t, p, svc, "Budi Santoso", "budi@contoh.test", "3374010101900001", 10)
	sari := newPerson(t, p, svc, "Sari Wulandari", "sari@contoh.test", "3374015708900003", 200)
	officer := p.Officer(t, "Wahyu Pratama", "wahyu@dukcapil.test", pendopo.Role{Kind: pendopo.RoleOfficer, Region: "33.74", Agency: "disdukcapil"})
	if res := p.GetAs(t, "/admin/permohonan/"+budi.done, officer); res.StatusCode != http.StatusOK {
		t.Fatalf("officer: %d", res.StatusCode)
	}

	res := p.GetAs(t, "/akun/data", budi.secret)
	files := unzip(t, res)
	if cd := res.Header.Get("Content-Disposition"); cd != `attachment; filename=pendopo-data-`+strconv.FormatInt(budi.user.ID, 10)+`-2026-11-27.zip` {
		t.Errorf("Content-Disposition: %s", cd)
	}
	if cc := res.Header.Get("Cache-Control"); !strings.Contains(cc, "no-store") {
		t.Errorf("Cache-Control: %s", cc)
	}
	if r := string(files["README.txt"]); !strings.Contains(r, "DATA PRIBADI ANDA") || !strings.Contains(r, "YOUR PERSONAL DATA") {
		t.Errorf("README.txt: %q", r)
	}
	var d app.MyData
	if err := json.Unmarshal(files["index.json"], &d); err != nil {
		t.Fatal(err)
	}
	if d.Format != app.MyDataFormat || d.NIK != budi.nik || d.Account.Email != budi.email || d.Account.Name != budi.name || len(d.Sessions) != 1 {
		t.Errorf("account: %s %q %+v", d.Format, d.NIK, d.Account)
	}
	// Applications: the completed one with its answers, timeline, upload
	// and document, and the draft.
	apps := map[string]app.MyApplication{}
	for _, a := range d.Applications {
		apps[a.Number] = a
	}
	done, ok := apps[budi.done]
	if len(apps) != 2 || !ok || apps[budi.draft].Status != pendopo.StatusDraft {
		t.Fatalf("applications: %v", apps)
	}
	if done.Status != pendopo.StatusCompleted || done.Answers["nama"][0] != "Budi Santoso" || len(done.Events) != 6 || done.Events[5].Status != pendopo.StatusCompleted {
		t.Errorf("completed application: %+v", done)
	}
	if len(done.Uploads) != 1 || done.Uploads[0].Name != "lampiran.pdf" || string(files[done.Uploads[0].Path]) != portaltest.MinimalPDF {
		t.Errorf("upload: %+v, %q in the zip", done.Uploads, files[done.Uploads[0].Path])
	}
	if done.Issued == nil || done.Issued.Code != done.Document {
		t.Fatalf("issued document: %+v", done.Issued)
	}
	pdf := files[done.Issued.Path]
	if !bytes.HasPrefix(pdf, []byte("%PDF-")) || !hasSHA256(pdf, done.Issued.SHA256) {
		t.Errorf("document %s: %d bytes", done.Issued.Path, len(pdf))
	}
	if v, err := p.App.VerifyPDF(ctx, bytes.NewReader(pdf)); err != nil || !v.Authentic {
		t.Errorf("the downloaded document does not verify: %+v %v", v, err)
	}
	// The report, anonymous but his, with its photo.
	if len(d.Reports) != 1 || d.Reports[0].Number != budi.report || d.Reports[0].ReporterName != budi.name || len(d.Reports[0].Events) == 0 {
		t.Fatalf("reports: %+v", d.Reports)
	}
	photo := d.Reports[0].Photos
	if len(photo) != 1 || !bytes.Equal(files[photo[0].Path], tinyPNG(t, 10)) {
		t.Errorf("photo: %+v", photo)
	}
	// The survey on the application, the officer's reading, his activity.
	if len(d.Surveys) != 1 || d.Surveys[0].About != budi.done || d.Surveys[0].Comment != "Cepat sekali, Budi Santoso" {
		t.Errorf("surveys: %+v", d.Surveys)
	}
	if len(d.ReadBy) != 1 || d.ReadBy[0].Role != pendopo.RoleOfficer || !strings.Contains(d.ReadBy[0].What.Indonesian, budi.done) {
		t.Errorf("read by: %+v", d.ReadBy)
	}
	actions := map[string]bool{}
	for _, e := range d.Activity {
		actions[e.Action] = true
	}
	if !actions["user.set_nik"] || len(d.Notifications) == 0 || len(d.Notes) == 0 {
		t.Errorf("activity %v, %d notifications", actions, len(d.Notifications))
	}
	// Every file the index names is in the zip, and nothing else.
	named := map[string]bool{"README.txt": true, "index.json": true}
	for _, a := range d.Applications {
		for _, u := range a.Uploads {
			named[u.Path] = true
		}
		if a.Issued != nil {
			named[a.Issued.Path] = true
		}
	}
	for _, r := range d.Reports {
		for _, f := range r.Photos {
			named[f.Path] = true
		}
	}
	for name := range files {
		if !named[name] {
			t.Errorf("%s is in the zip but not in the index", name)
		}
		delete(named, name)
	}
	if len(named) > 0 {
		t.Errorf("named in the index but not in the zip: %v", named)
	}
	// Nothing of Sari's.
	for name, b := range files {
		for _, s := range []string{sari.name, "Wulandari", sari.email, sari.nik, sari.done, sari.draft, sari.report} {
			if bytes.Contains(b, []byte(s)) {
				t.Errorf("%s holds Sari's %q", name, s)
			}
		}
		if bytes.Equal(b, tinyPNG(t, 200)) {
			t.Errorf("%s is Sari's photo", name)
		}
	}
	// The download itself is in the audit trail.
	log, _, err := p.App.AuditLog(ctx, pendopo.System, pendopo.AuditFilter{Action: "user.export", ActorUser: budi.user.ID})
	if err != nil || len(log) != 1 {
		t.Errorf("the download is not recorded: %v %v", log, err)
	}
}

func hasSHA256(b []byte, want string) bool {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:]) == want
}

// register signs a citizen up through the pages, as people do, and
// returns a session.
func register(t *testing.T, p *portaltest.Portal, name, email, password string) string {
	t.Helper()
	res := p.PostForm(t, "/daftar", url.Values{"name": {name}, "login": {email}, "password": {password}, "setuju": {"1"}}, "")
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("register: %d", res.StatusCode)
	}
	if res := p.PostForm(t, "/konfirmasi", url.Values{"login": {email}, "code": {mailedCode(t, p, email)}}, ""); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("confirm: %d", res.StatusCode)
	}
	return cookie(t, p.PostForm(t, "/masuk", url.Values{"login": {email}, "password": {password}}, ""))
}

// applyAs makes an application by who with their name and a file of its
// own, named by them, and submits it when asked.
func applyAs(t *testing.T, p *portaltest.Portal, who pendopo.Actor, svc pendopo.Service, name, file string, submit bool) (string, string) {
	t.Helper()
	ctx := context.Background()
	a, err := p.App.StartApplication(ctx, who, svc.ID, "", "")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.App.SaveAnswers(ctx, who, a.Number, map[string][]string{"nama": {name}, "setuju": {"1"}}); err != nil {
		t.Fatal(err)
	}
	up, err := p.App.Upload(ctx, who, a.Number, "lampiran", file, strings.NewReader(portaltest.MinimalPDF+"% "+a.Number+"\n"))
	if err != nil {
		t.Fatal(err)
	}
	if submit {
		if _, err := p.App.Act(ctx, who, a.Number, app.ApplicationAct{Action: pendopo.ActSubmit}); err != nil {
			t.Fatal(err)
		}
	}
	return a.Number, up.Addr
}

// TestDeleteAccountLeavesNoTrace deletes the account of a citizen with a
// draft, an application in progress, a completed one, two reports and a
// survey response: the page said beforehand and says afterwards what
// happens to each, and afterwards no table of the database holds her
// name, NIK or contact. What the policy keeps (the decided application,
// as the agency's archive) is sealed: initials, encrypted answers, its
// document still verifying. The application in progress is withdrawn and
// its officers told; the files of what was erased are gone.
func TestDeleteAccountLeavesNoTrace(t *testing.T) {
	var files blob.Dir
	p := portaltest.NewPortal(t, func(c *app.Config) { files = c.Blobs.(blob.Dir) })
	ctx := context.Background()
	svc := p.OnlineService(t, "33.74", "penerbitan-ktp-el")
	officerS := p.Officer(t, "Wahyu Pratama", "wahyu@dukcapil.test", pendopo.Role{Kind: pendopo.RoleOfficer, Region: "33.74", Agency: "disdukcapil"})
	officer, _ := signedIn(t, p, officerS)

	const (
		name, email, nik, pass = "Sulastri Wibowo", "sulastri.wibowo@contoh.test", "3374015708900003", "gudeg manggar pagi"
	)
	traces := []string{name, "Sulastri", "Wibowo", email, "sulastri.wibowo", nik}
	sess := register(t, p, name, email, pass)
	if res := p.PostForm(t, "/akun/nik", url.Values{"nik": {nik}}, sess); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("NIK: %d", res.StatusCode)
	}
	who, user := signedIn(t, p, sess)
	file := "KTP " + name + ".pdf"
	done, doneFile := applyAs(t, p, who, svc, name, file, true)
	open, openFile := applyAs(t, p, who, svc, name, file, true)
	draft, draftFile := applyAs(t, p, who, svc, name, file, false)
	v, err := p.App.Application(ctx, who, done)
	if err != nil {
		t.Fatal(err)
	}
	rev := v.Rev
	for range v.Content.Apply.Workflow.Steps {
		a, err := p.App.Act(ctx, pendopo.System, done, app.ApplicationAct{Action: pendopo.ActApprove, Rev: rev})
		if err != nil {
			t.Fatal(err)
		}
		rev = a.Rev
	}
	subject, err := p.App.SurveyForApplication(ctx, who, done)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.App.SubmitSurvey(ctx, subject, map[pendopo.UnsurID]int{pendopo.UnsurTime: 4}, "Pelayanan cepat.", ""); err != nil {
		t.Fatal(err)
	}
	// The officer works the application in progress, opening its file
	// from the console's link.
	page := p.GetAs(t, "/admin/permohonan/"+open, officerS)
	link := `href="/permohonan/` + open + `/berkas/` + openFile + `"`
	if !strings.Contains(page.Body, link) {
		t.Fatalf("the console does not link the file as %s", link)
	}
	if res := p.GetAs(t, "/permohonan/"+open+"/berkas/"+openFile, officerS); res.StatusCode != http.StatusOK {
		t.Fatalf("officer's download: %d", res.StatusCode)
	}
	lat, lng := -6.99, 110.42
	var reports []string
	for _, privacy := range []pendopo.Privacy{pendopo.PrivacyPublic, pendopo.PrivacyAnonymous} {
		r, err := p.App.SubmitReport(ctx, who, "33.74", pendopo.ReportInput{Kind: pendopo.ReportComplaint, Category: "jalan",
			Title: "Jalan berlubang di Jl. Pemuda", Description: "Lubang besar di depan toko roti.", Privacy: privacy,
			Location: pendopo.ReportLocation{Lat: &lat, Lng: &lng, Address: "Jl. Pemuda"}}, "")
		if err != nil {
			t.Fatal(err)
		}
		reports = append(reports, r.Number)
	}
	if _, err := p.App.AddReportPhoto(ctx, who, reports[0], "", bytes.NewReader(tinyPNG(t, 77))); err != nil {
		t.Fatal(err)
	}
	// A wrong password is counted against her address.
	p.PostForm(t, "/masuk", url.Values{"login": {email}, "password": {"salah sekali"}}, "")
	// Someone else's application, which must stay as it is.
	sari := p.Citizen(t, "Sari Wulandari", "sari@contoh.test")
	sariWho, _ := signedIn(t, p, sari)
	sariApp, _ := applyAs(t, p, sariWho, svc, "Sari Wulandari", "ktp-sari.pdf", true)
	if len(pendopotest.FindText(t, p.App.Store().(*store.DB), traces...)) == 0 {
		t.Fatal("her data is not in the database before: the scan would prove nothing")
	}

	// The page says what will happen to each of her records.
	form := p.GetAs(t, "/akun/hapus", sess)
	checkHTML(t, "/akun/hapus", form)
	for _, want := range []string{"Draf permohonan (Anda punya 1)", "dikembalikan (Anda punya 1): dicabut", "ditolak (Anda punya 1)",
		"Jadwal Retensi Arsip", "termasuk yang anonim (Anda punya 2)", "warga #nomor", `href="/akun/data"`} {
		if !strings.Contains(form.Body, want) {
			t.Errorf("deletion page lacks %q", want)
		}
	}
	if res := p.PostForm(t, "/akun/hapus", url.Values{"password": {"salah"}}, sess); res.StatusCode != http.StatusUnprocessableEntity ||
		!strings.Contains(res.Body, "Anda punya 1") {
		t.Fatalf("wrong password: %d", res.StatusCode)
	}
	res := p.PostForm(t, "/akun/hapus", url.Values{"password": {pass}}, sess)
	if res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(res.Header.Get("Location"), "/akun/dihapus?") {
		t.Fatalf("delete: %d %s", res.StatusCode, res.Header.Get("Location"))
	}
	after := p.Get(t, res.Header.Get("Location"))
	checkHTML(t, "/akun/dihapus", after)
	for _, want := range []string{"Akun Anda sudah dihapus", "1 draf permohonan dihapus", "1 permohonan yang sedang berjalan dicabut",
		"1 permohonan yang sudah diputus disimpan tertutup", "2 laporan kini anonim", "2 berkas dihapus"} {
		if !strings.Contains(after.Body, want) {
			t.Errorf("after deletion the page lacks %q", want)
		}
	}
	if res := p.GetAs(t, "/akun", sess); res.StatusCode != http.StatusSeeOther {
		t.Errorf("her session lives: %d", res.StatusCode)
	}
	// The privacy notice states the same policy.
	notice := p.Get(t, "/privasi")
	for _, want := range []string{"Bila Anda menghapus akun", "dicabut, dan petugas instansinya diberi tahu", "Jadwal Retensi Arsip", "menjadi anonim"} {
		if !strings.Contains(notice.Body, want) {
			t.Errorf("/privasi lacks %q", want)
		}
	}

	// No table holds her name, NIK or contact.
	for _, f := range pendopotest.FindText(t, p.App.Store().(*store.DB), traces...) {
		t.Errorf("left behind: %s", f)
	}
	// (Trying her address now is counted against it anew, so after the scan.)
	if res := p.PostForm(t, "/masuk", url.Values{"login": {email}, "password": {pass}}, ""); res.StatusCode != http.StatusUnauthorized {
		t.Errorf("she signs in: %d", res.StatusCode)
	}
	st := p.App.Store()
	// The draft is gone; the application in progress is withdrawn and
	// bare, and its officer was told.
	if _, err := st.ApplicationByNumber(ctx, draft); pendopo.KindOf(err) != pendopo.KindNotFound {
		t.Errorf("the draft remains: %v", err)
	}
	w, err := st.ApplicationByNumber(ctx, open)
	if err != nil {
		t.Fatal(err)
	}
	evs, _ := st.ApplicationEvents(ctx, w.ID)
	ups, _ := st.Uploads(ctx, w.ID)
	if w.Status != pendopo.StatusWithdrawn || w.ClosedAt.IsZero() || len(w.Sealed) != 0 || len(ups) != 0 ||
		evs[len(evs)-1].Action != pendopo.ActWithdraw || !strings.Contains(evs[len(evs)-1].Note, "menghapus akunnya") {
		t.Errorf("withdrawn: %+v, %d uploads, last event %+v", w, len(ups), evs[len(evs)-1])
	}
	told, _, _, _ := st.Notifications(ctx, officer.UserID, pendopo.Page{})
	if len(told) == 0 || !strings.Contains(told[0].Title.Indonesian, open) || !strings.Contains(told[0].Title.Indonesian, "dicabut") {
		t.Errorf("the officer was not told: %+v", told)
	}
	// The decided application is the agency's archive, sealed: initials,
	// answers encrypted and whole for its officers, its document verifies.
	kept, err := p.App.Application(ctx, officer, done)
	if err != nil {
		t.Fatal(err)
	}
	if kept.ApplicantName != "S*** W***" || kept.Answers["nama"][0] != name || kept.Uploads[0].Name != "lampiran.pdf" {
		t.Errorf("archived: %q %v %+v", kept.ApplicantName, kept.Answers, kept.Uploads)
	}
	if vr, err := p.App.VerifyCode(ctx, kept.Document); err != nil || !vr.Authentic || vr.Applicant != "S*** W***" {
		t.Errorf("the document no longer verifies: %+v %v", vr, err)
	}
	// The reports name nobody and no longer reach her.
	for i, n := range reports {
		r, err := st.ReportByNumber(ctx, n)
		if err != nil {
			t.Fatal(err)
		}
		if r.ReporterKey != "" || r.ReporterID != 0 || r.Privacy != pendopo.PrivacyAnonymous {
			t.Errorf("report %d: key %q, reporter %d, %s", i, r.ReporterKey, r.ReporterID, r.Privacy)
		}
		if res := p.Get(t, "/laporan/"+n); res.StatusCode != http.StatusOK {
			t.Errorf("report %s is no longer public: %d", n, res.StatusCode)
		}
	}
	// The files of what was erased are gone; the archive's stay.
	for addr, want := range map[string]bool{draftFile: false, openFile: false, doneFile: true} {
		rc, err := files.Open(ctx, addr)
		if err == nil {
			rc.Close()
		}
		if (err == nil) != want {
			t.Errorf("file %s: kept %v, want %v", addr, err == nil, want)
		}
	}
	// Nobody else's data moved, and the audit trail still verifies.
	if other, err := p.App.Application(ctx, sariWho, sariApp); err != nil || other.ApplicantName != "Sari Wulandari" || len(other.Uploads) != 1 {
		t.Errorf("Sari's application changed: %+v %v", other, err)
	}
	if r, err := p.App.VerifyAudit(ctx); err != nil || r.Break != nil {
		t.Errorf("audit after deletion: %+v %v", r, err)
	}
	log, _, err := p.App.AuditLog(ctx, pendopo.System, pendopo.AuditFilter{Action: "user.erase", EntityID: strconv.FormatInt(user.ID, 10)})
	if err != nil || len(log) != 1 {
		t.Errorf("the deletion is not recorded: %v %v", log, err)
	}
}
