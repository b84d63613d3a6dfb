package web_test

import (
	"context"
	"net/http"
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
