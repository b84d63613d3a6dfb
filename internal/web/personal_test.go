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
	"strconv"
	"strings"
	"testing"

	"github.com/pendopo/pendopo"
	"github.com/pendopo/pendopo/internal/app"
	"github.com/pendopo/pendopo/internal/portaltest"
)

// signedIn returns the actor and account of a session.
func signedIn(t *testing.T, p *portaltest.Portal, secret string) (app.Actor, pendopo.User) {
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
	who                      app.Actor
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
		a, err := p.App.Act(ctx, app.System, x.done, pendopo.ActApprove, "", rev, 0)
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
	if len(d.ReadBy) != 1 || d.ReadBy[0].Role != pendopo.RoleOfficer || !strings.Contains(d.ReadBy[0].What.ID, budi.done) {
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
	log, _, err := p.App.AuditLog(ctx, app.System, pendopo.AuditFilter{Action: "user.export", ActorUser: budi.user.ID})
	if err != nil || len(log) != 1 {
		t.Errorf("the download is not recorded: %v %v", log, err)
	}
}

func hasSHA256(b []byte, want string) bool {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:]) == want
}
