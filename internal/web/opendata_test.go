package web_test

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/pendopo/pendopo"
	"github.com/pendopo/pendopo/internal/app"
	"github.com/pendopo/pendopo/internal/portaltest"
)

func TestOpenData(t *testing.T) {
	p := portaltest.NewPortal(t)
	ctx := context.Background()
	lat, lng := -7.0, 110.4
	for _, cat := range []string{"jalan", "jalan", "sampah"} {
		r, err := p.App.SubmitReport(ctx, pendopo.Actor{}, "33.74", pendopo.ReportInput{Kind: pendopo.ReportComplaint, Title: "Masalah " + cat,
			Description: "Uraian masalah untuk data terbuka.", Category: cat, Privacy: pendopo.PrivacyPublic, Contact: "pribadi@contoh.id",
			Name: "Nama Pribadi", Location: pendopo.ReportLocation{Lat: &lat, Lng: &lng}}, "")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := p.App.ActOnReport(ctx, pendopo.System, r.Number, app.ReportAct{Action: pendopo.ActReportDispose, Agency: "disperkim"}); err != nil {
			t.Fatal(err)
		}
	}
	subj, err := p.App.SurveyForVisit(ctx, "33.74", "", 0)
	if err != nil {
		t.Fatal(err)
	}
	code, err := p.App.SurveyCode(ctx, pendopo.System, "33.74", "")
	if err != nil {
		t.Fatal(err)
	}
	subj.Code = code.Code // as the QR code at the counter gives it
	all4 := map[pendopo.UnsurID]int{}
	for _, u := range pendopo.Unsurs {
		all4[u.ID] = 4
	}
	all4[pendopo.UnsurFee] = 2
	if _, err := p.App.SubmitSurvey(ctx, subj, all4, "", "kios"); err != nil {
		t.Fatal(err)
	}
	// The catalog lists the national and regional datasets with the licence.
	res := p.Get(t, "/data/catalog.json")
	var cat struct {
		License string
		Dataset []struct {
			Identifier, License string
			Distribution        []struct{ DownloadURL, MediaType string }
		}
	}
	if err := json.Unmarshal([]byte(res.Body), &cat); err != nil || cat.License != "https://creativecommons.org/licenses/by/4.0/" {
		t.Fatalf("catalog: %v %s", err, res.Body[:min(200, len(res.Body))])
	}
	var urls []string
	for _, d := range cat.Dataset {
		if d.License == "" || len(d.Distribution) == 0 {
			t.Errorf("dataset %s lacks a licence or a distribution", d.Identifier)
		}
		for _, dist := range d.Distribution {
			urls = append(urls, strings.TrimPrefix(dist.DownloadURL, "http://pendopo.test"))
		}
	}
	if !strings.Contains(strings.Join(urls, " "), "/data/daerah/33.74/kinerja.csv") {
		t.Fatalf("the catalog lacks Kota Semarang's figures: %v", urls[:min(10, len(urls))])
	}
	// Every listed file answers, and none holds personal data.
	for _, u := range urls {
		res := p.Get(t, u)
		if res.StatusCode != http.StatusOK {
			t.Errorf("%s: %d", u, res.StatusCode)
		}
		if strings.Contains(res.Body, "pribadi@contoh.id") || strings.Contains(res.Body, "Nama Pribadi") {
			t.Errorf("%s holds personal data", u)
		}
		if !strings.Contains(res.Header.Get("Link"), "creativecommons.org") && !strings.HasSuffix(u, ".geojson") && !strings.Contains(u, "/laporan.") {
			t.Errorf("%s has no licence link", u)
		}
	}
	rows, err := csv.NewReader(strings.NewReader(p.Get(t, "/data/daerah/33.74/kinerja.csv").Body)).ReadAll()
	if err != nil || len(rows) != 13 || rows[0][0] != "bulan" || rows[12][0] != "2026-11" {
		t.Fatalf("figures CSV: %v %v", err, rows)
	}
	col := map[string]int{}
	for i, c := range rows[0] {
		col[c] = i
	}
	if last := rows[12]; last[col["laporan_masuk"]] != "3" || last[col["laporan_diverifikasi"]] != "3" || last[col["persen_verifikasi_tepat_waktu"]] != "100" ||
		last[col["persen_selesai_tepat_waktu"]] != "" {
		t.Errorf("November: %v", last)
	}
	var agency []map[string]any
	if err := json.Unmarshal([]byte(p.Get(t, "/data/daerah/33.74/kinerja.json?opd=disperkim&dari=2026-11&sampai=2026-11").Body), &agency); err != nil ||
		len(agency) != 1 || agency[0]["laporan_didisposisikan"] != 3.0 || agency[0]["laporan_masuk"] != 0.0 {
		t.Errorf("Disperkim's month: %v %v", err, agency)
	}
	var cats []map[string]any
	if err := json.Unmarshal([]byte(p.Get(t, "/data/daerah/33.74/laporan-kategori.json").Body), &cats); err != nil || len(cats) != 2 {
		t.Fatalf("categories: %v %v", err, cats)
	}
	for _, c := range cats {
		if c["kategori"] == "jalan" && c["laporan_masuk"] != 2.0 || c["kategori"] == "sampah" && c["laporan_masuk"] != 1.0 {
			t.Errorf("category row %v", c)
		}
	}
	// The survey's report table: per unsur, then the IKM.
	// (8·4 + 2)/9 = 3.778 on 1–4, ×25 = 94.44, grade A.
	unsur, err := csv.NewReader(strings.NewReader(p.Get(t, "/data/daerah/33.74/ikm-unsur.csv").Body)).ReadAll()
	if err != nil || len(unsur) != 12 || unsur[1][0] != "persyaratan" || unsur[1][4] != "4" || unsur[4][4] != "2" || unsur[11][4] != "94.44" ||
		!strings.Contains(unsur[11][1], "mutu A") {
		t.Errorf("IKM per unsur: %v %v", err, unsur)
	}
	ikm, err := csv.NewReader(strings.NewReader(p.Get(t, "/data/daerah/33.74/ikm.csv").Body)).ReadAll()
	if err != nil || len(ikm) < 2 || ikm[1][0] != "daerah" || ikm[1][3] != "1" || ikm[1][len(ikm[1])-3] != "94.44" || ikm[1][len(ikm[1])-2] != "A" {
		t.Errorf("IKM: %v %v", err, ikm)
	}
	var index []map[string]any
	if err := json.Unmarshal([]byte(p.Get(t, "/data/indeks.json").Body), &index); err != nil || len(index) < 500 || index[0]["peringkat"] != 1.0 {
		t.Errorf("index: %v %d", err, len(index))
	}
	services, err := csv.NewReader(strings.NewReader(p.Get(t, "/data/layanan.csv").Body)).ReadAll()
	if err != nil || len(services) < 100 || services[0][0] != "id" {
		t.Errorf("services: %v %d", err, len(services))
	}
	for _, tt := range []struct {
		path   string
		status int
	}{
		{"/data/daerah/33.74/kinerja.xml", http.StatusNotFound},
		{"/data/daerah/33.74/rahasia.csv", http.StatusNotFound},
		{"/data/daerah/99.99/kinerja.csv", http.StatusNotFound},
		{"/data/daerah/33.74/kinerja.csv?dari=2026-13", http.StatusUnprocessableEntity},
		{"/data/daerah/33.74/kinerja.csv?dari=2026-11&sampai=2026-01", http.StatusUnprocessableEntity},
		{"/data/daerah/33.74/kinerja.csv?dari=2020-01&sampai=2026-11", http.StatusUnprocessableEntity},
		{"/data/lain.json", http.StatusNotFound},
	} {
		if res := p.Get(t, tt.path); res.StatusCode != tt.status {
			t.Errorf("%s: %d, want %d", tt.path, res.StatusCode, tt.status)
		}
	}
}
