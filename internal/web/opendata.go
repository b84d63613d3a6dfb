package web

import (
	"bufio"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/pendopo/pendopo"
	"github.com/pendopo/pendopo/internal/figures"
)

// Open data: every public aggregate as CSV and JSON under stable URLs,
// listed in a DCAT-style catalog at /data/catalog.json, under CC BY 4.0.
// No dataset holds personal data: the figures are counts, and the report
// exports leave reporters out.

const (
	licenceURL  = "https://creativecommons.org/licenses/by/4.0/"
	licenceName = "CC BY 4.0"
)

// table is a dataset ready to write: its columns and rows, each value a
// string, a number or a bool.
type table struct {
	columns []string
	rows    [][]any
}

// writeTable sends t as CSV or JSON (an array of objects in column order)
// by the file name's extension.
func writeTable(w http.ResponseWriter, name, ext string, t table) error {
	h := w.Header()
	h.Set("Cache-Control", "public, max-age=300")
	h.Set("Link", "<"+licenceURL+`>; rel="license"`)
	bw := bufio.NewWriter(w)
	switch ext {
	case "csv":
		h.Set("Content-Type", "text/csv; charset=utf-8")
		h.Set("Content-Disposition", `attachment; filename="`+name+`.csv"`)
		cw := csv.NewWriter(bw)
		cw.Write(t.columns)
		rec := make([]string, len(t.columns))
		for _, row := range t.rows {
			for i, v := range row {
				rec[i] = cellText(v)
			}
			cw.Write(rec)
		}
		cw.Flush()
		if err := cw.Error(); err != nil {
			return err
		}
	default:
		h.Set("Content-Type", "application/json; charset=utf-8")
		bw.WriteByte('[')
		for i, row := range t.rows {
			if i > 0 {
				bw.WriteByte(',')
			}
			bw.WriteString("\n{")
			for j, v := range row {
				if j > 0 {
					bw.WriteByte(',')
				}
				k, _ := json.Marshal(t.columns[j])
				val, err := json.Marshal(v)
				if err != nil {
					return err
				}
				bw.Write(k)
				bw.WriteByte(':')
				bw.Write(val)
			}
			bw.WriteByte('}')
		}
		bw.WriteString("\n]\n")
	}
	return bw.Flush()
}

// cellText writes a value for CSV: numbers with a dot for decimals, and
// text guarded against being read as a spreadsheet formula.
func cellText(v any) string {
	switch x := v.(type) {
	case string:
		return csvSafe(x)
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	case nil:
		return ""
	}
	return fmt.Sprint(v)
}

// dataExt splits "kinerja.csv" into its name and a supported extension.
func dataExt(file string) (string, string, error) {
	name, ext, _ := strings.Cut(file, ".")
	if ext != "csv" && ext != "json" {
		return "", "", pendopo.Errorf(pendopo.KindNotFound, pendopo.M("web.data_comes_as_csv_json"))
	}
	return name, ext, nil
}

// period reads a period from ?dari=YYYY-MM&sampai=YYYY-MM, by default the
// last 12 months of the region's calendar; at most 60 months.
func (s *Server) period(r *http.Request, region string) (figures.Period, error) {
	p := s.app.Figures().LastMonths(region, 12)
	q := r.URL.Query()
	bad := pendopo.Errorf(pendopo.KindInvalid, pendopo.M("web.a_period_written_as_months"))
	if v := q.Get("sampai"); v != "" {
		m, err := pendopo.ParseMonth(v)
		if err != nil {
			return p, bad
		}
		p.To = m
		if q.Get("dari") == "" {
			p.From = m.Add(-11)
		}
	}
	if v := q.Get("dari"); v != "" {
		m, err := pendopo.ParseMonth(v)
		if err != nil {
			return p, bad
		}
		p.From = m
	}
	if p.From > p.To || p.From < p.To.Add(-59) {
		return p, bad
	}
	return p, nil
}

// pct is a share as a percentage with one decimal, or nil without data.
func pct(share float64) any {
	if share < 0 {
		return nil
	}
	return float64(int64(share*1000+0.5)) / 10
}

// days is a number of working days, or nil without data.
func days(n int) any {
	if n < 0 {
		return nil
	}
	return n
}

var figureColumns = []string{"bulan", "permohonan_masuk", "permohonan_selesai", "permohonan_ditolak", "persen_selesai_tepat_waktu",
	"median_hari_kerja_selesai", "p90_hari_kerja_selesai", "laporan_masuk", "laporan_diverifikasi", "persen_verifikasi_tepat_waktu",
	"median_hari_kerja_verifikasi", "laporan_didisposisikan", "laporan_ditindaklanjuti", "persen_tindak_lanjut_tepat_waktu",
	"median_hari_kerja_tindak_lanjut", "laporan_selesai", "laporan_dibuka_kembali", "persen_dibuka_kembali"}

func figureRow(label string, f pendopo.Figures) []any {
	return []any{label, f.AppReceived, f.AppCompleted, f.AppRejected, pct(f.AppOnTimeShare), days(f.AppDaysMedian), days(f.AppDaysP90),
		f.RepReceived, f.RepVerified, pct(f.RepVerifyOnTime), days(f.RepVerifyMedian), f.RepDisposed, f.RepAnswered,
		pct(f.RepAnswerOnTime), days(f.RepAnswerMedian), f.RepDone, f.RepReopened, pct(f.RepReopenedShare)}
}

// dataFigures is a region's (or, with ?opd=, an agency's) monthly
// service-level figures.
func (s *Server) dataFigures(w http.ResponseWriter, r *http.Request) error {
	_, ext, err := dataExt(r.PathValue("file"))
	if err != nil {
		return err
	}
	code := r.PathValue("code")
	p, err := s.period(r, code)
	if err != nil {
		return err
	}
	agency := r.URL.Query().Get("opd")
	months, _, err := s.app.Figures().Figures(r.Context(), code, agency, 0, p)
	if err != nil {
		return err
	}
	t := table{columns: figureColumns}
	for _, f := range months {
		t.rows = append(t.rows, figureRow(string(f.Month), f))
	}
	name := "kinerja-" + code
	if agency != "" {
		name += "-" + agency
	}
	return writeTable(w, name, ext, t)
}

// dataReportCategories is a region's reports by category and month.
func (s *Server) dataReportCategories(w http.ResponseWriter, r *http.Request) error {
	_, ext, err := dataExt(r.PathValue("file"))
	if err != nil {
		return err
	}
	code := r.PathValue("code")
	p, err := s.period(r, code)
	if err != nil {
		return err
	}
	list, err := s.app.Figures().ReportCategories(r.Context(), code, p)
	if err != nil {
		return err
	}
	t := table{columns: []string{"bulan", "kategori", "nama_kategori", "laporan_masuk"}}
	for _, c := range list {
		name := c.Category
		if cat, ok := pendopo.ReportCategoryByCode(c.Category); ok {
			name = cat.Title.Indonesian
		}
		t.rows = append(t.rows, []any{string(c.Month), c.Category, name, c.N})
	}
	return writeTable(w, "laporan-kategori-"+code, ext, t)
}

// dataPrograms is a region's branding: each sector and its programs,
// one row per program (a sector without programs gets one row of its
// own), with the latest update's date. Programs hold no personal data.
func (s *Server) dataPrograms(w http.ResponseWriter, r *http.Request) error {
	_, ext, err := dataExt(r.PathValue("file"))
	if err != nil {
		return err
	}
	b, err := s.app.Branding(r.Context(), r.PathValue("code"))
	if err != nil {
		return err
	}
	t := table{columns: []string{"kode_daerah", "sektor", "nama_sektor", "urutan_sektor", "alasan_sektor", "program_id", "program",
		"uraian", "target", "indikator", "satuan", "nilai_target", "nilai_capaian", "persen_capaian", "anggaran_rupiah",
		"mulai", "selesai", "status", "kabar_terakhir"}}
	for _, sv := range programViews(b, 1) {
		sector := []any{b.Region.Code, sv.Slug, sv.Name, sv.Position, sv.Rationale}
		if len(sv.Programs) == 0 {
			t.rows = append(t.rows, append(sector, nil, nil, nil, nil, nil, nil, nil, nil, nil, nil, nil, nil, nil, nil))
		}
		for _, p := range sv.Programs {
			var share, latest any
			if pr := p.Progress(); pr >= 0 {
				share = pct(pr)
			}
			if len(p.Updates) > 0 {
				latest = p.Updates[0].Day.String()
			}
			t.rows = append(t.rows, append(append([]any{}, sector...), p.ID, p.Name, p.Description, p.Target, p.Indicator, p.Unit,
				p.TargetValue, p.CurrentValue, share, p.Budget, p.Start.String(), p.End.String(), string(p.Status), latest))
		}
	}
	return writeTable(w, "program-"+b.Region.Code, ext, t)
}

// dataServices is the national catalog of published services.
func (s *Server) dataServices(w http.ResponseWriter, r *http.Request) error {
	_, ext, err := dataExt(r.PathValue("file"))
	if err != nil {
		return err
	}
	t := table{columns: []string{"id", "kode_daerah", "daerah", "nama", "jenis", "perangkat_daerah", "kategori", "hari_kerja",
		"jenis_biaya", "biaya_rupiah", "standar_lengkap", "daring", "perlu_ditinjau", "ditinjau", "url"}}
	base := s.baseURL(r)
	s.app.EachService(func(v *pendopo.ServiceSummary) {
		t.rows = append(t.rows, []any{v.ID, v.RegionCode, v.RegionName, v.Name, v.Kind, v.AgencyName, v.Category, v.Duration.WorkingDays,
			string(v.Fee.Type), v.Fee.Amount, v.Complete, v.Online, v.NeedsReview, v.ReviewedAt.Format(time.DateOnly),
			base + "/layanan/" + strconv.FormatInt(v.ID, 10)})
	})
	return writeTable(w, "layanan", ext, t)
}

// dataIndex is the e-gov index of every region, with its components.
func (s *Server) dataIndex(w http.ResponseWriter, r *http.Request) error {
	_, ext, err := dataExt(r.PathValue("file"))
	if err != nil {
		return err
	}
	p, err := s.period(r, "11")
	if err != nil {
		return err
	}
	list, err := s.app.Figures().EgovRanking(r.Context(), r.URL.Query().Get("provinsi"), p)
	if err != nil {
		return err
	}
	t := table{columns: []string{"peringkat", "kode_daerah", "daerah", "kode_provinsi", "indeks", "sudah_memulai"}}
	for _, c := range pendopo.EgovComponents {
		t.columns = append(t.columns, "komponen_"+c.Code)
	}
	for _, x := range list {
		row := []any{x.Rank, x.Region.Code, x.Region.Name, x.Region.ParentCode, x.Score, x.Started}
		for _, c := range x.Components {
			if c.Value < 0 {
				row = append(row, nil)
			} else {
				row = append(row, float64(int64(c.Value*10+0.5))/10)
			}
		}
		t.rows = append(t.rows, row)
	}
	return writeTable(w, "indeks-egov", ext, t)
}

// dcatDataset is one dataset of the catalog.
type dcatDataset struct {
	Type         string         `json:"@type"`
	Identifier   string         `json:"identifier"`
	Title        string         `json:"title"`
	Description  string         `json:"description"`
	Keyword      []string       `json:"keyword,omitempty"`
	Spatial      string         `json:"spatial,omitempty"`
	License      string         `json:"license"`
	Publisher    map[string]any `json:"publisher"`
	Periodicity  string         `json:"accrualPeriodicity,omitempty"`
	Modified     string         `json:"modified"`
	Distribution []dcatDist     `json:"distribution"`
}

type dcatDist struct {
	Type        string `json:"@type"`
	Title       string `json:"title,omitempty"`
	AccessURL   string `json:"accessURL"`
	DownloadURL string `json:"downloadURL"`
	MediaType   string `json:"mediaType"`
	Format      string `json:"format"`
}

// dataCatalog lists every dataset: the national ones, and each live
// region's figures, report categories and public reports.
func (s *Server) dataCatalog(w http.ResponseWriter, r *http.Request) error {
	base := s.baseURL(r)
	today := s.app.Now().Format(time.DateOnly)
	publisher := map[string]any{"@type": "org:Organization", "name": "Pendopo"}
	both := func(path, title string) []dcatDist {
		return []dcatDist{
			{Type: "dcat:Distribution", Title: title + " (CSV)", AccessURL: base + path + ".csv", DownloadURL: base + path + ".csv", MediaType: "text/csv", Format: "CSV"},
			{Type: "dcat:Distribution", Title: title + " (JSON)", AccessURL: base + path + ".json", DownloadURL: base + path + ".json", MediaType: "application/json", Format: "JSON"},
		}
	}
	ds := []dcatDataset{
		{Identifier: base + "/data/layanan", Title: "Katalog layanan publik daerah",
			Description: "Setiap layanan yang diterbitkan di Pendopo: daerah, perangkat daerah, waktu, biaya, kelengkapan standar, layanan daring.",
			Keyword:     []string{"standar pelayanan", "layanan publik"}, Periodicity: "daily", Distribution: both("/data/layanan", "Katalog layanan")},
		{Identifier: base + "/data/indeks", Title: "Indeks e-gov Pendopo per daerah",
			Description: "Peringkat daerah menurut indeks e-gov Pendopo (12 bulan terakhir) dan enam komponennya; rumusnya di halaman indeks.",
			Keyword:     []string{"e-government", "SPBE", "indeks"}, Periodicity: "daily", Distribution: both("/data/indeks", "Indeks e-gov")},
	}
	for _, reg := range s.app.LiveRegions() {
		p := "/data/daerah/" + reg.Code
		ds = append(ds,
			dcatDataset{Identifier: base + p + "/kinerja", Title: "Kinerja pelayanan " + reg.Name,
				Description: "Permohonan dan laporan per bulan: jumlah, waktu penyelesaian (hari kerja) dan ketepatan waktu.",
				Spatial:     reg.Code, Keyword: []string{"kinerja", "SLA"}, Periodicity: "monthly", Distribution: both(p+"/kinerja", "Kinerja")},
			dcatDataset{Identifier: base + p + "/ikm", Title: "Indeks kepuasan masyarakat " + reg.Name,
				Description: "IKM (PermenPAN-RB 14/2017) daerah, tiap perangkat daerah dan tiap layanan, dengan jumlah responden (diundang setelah permohonan atau laporan, dan langsung di unit layanan), sampel minimal, dan tanggapan langsung yang tertahan untuk diperiksa (tidak dihitung).",
				Spatial:     reg.Code, Keyword: []string{"IKM", "SKM", "kepuasan"}, Periodicity: "monthly", Distribution: both(p+"/ikm", "IKM")},
			dcatDataset{Identifier: base + p + "/ikm-unsur", Title: "Tabel survei kepuasan per unsur " + reg.Name,
				Description: "Nilai, NRR dan NRR tertimbang tiap unsur survei, lalu IKM dan mutu pelayanan (tabel laporan SKM).",
				Spatial:     reg.Code, Keyword: []string{"IKM", "SKM", "unsur"}, Periodicity: "monthly", Distribution: both(p+"/ikm-unsur", "IKM per unsur")},
			dcatDataset{Identifier: base + p + "/laporan-kategori", Title: "Laporan warga per kategori " + reg.Name,
				Description: "Jumlah pengaduan, aspirasi dan permintaan informasi per kategori dan bulan.",
				Spatial:     reg.Code, Keyword: []string{"pengaduan", "aspirasi"}, Periodicity: "monthly", Distribution: both(p+"/laporan-kategori", "Laporan per kategori")},
			dcatDataset{Identifier: base + p + "/program", Title: "Sektor prioritas dan program branding " + reg.Name,
				Description: "Sektor unggulan daerah dengan alasannya, dan program di tiap sektor: indikator, target, capaian, anggaran, jadwal, status.",
				Spatial:     reg.Code, Keyword: []string{"branding daerah", "program", "sektor unggulan"}, Periodicity: "continuous", Distribution: both(p+"/program", "Program")},
			dcatDataset{Identifier: base + "/daerah/" + reg.Code + "/laporan", Title: "Laporan warga publik " + reg.Name,
				Description: "Laporan yang terbuka untuk publik dengan status, perangkat daerah dan jawabannya, tanpa data pelapor.",
				Spatial:     reg.Code, Keyword: []string{"pengaduan", "peta"}, Periodicity: "continuous", Distribution: []dcatDist{
					{Type: "dcat:Distribution", Title: "CSV", AccessURL: base + "/daerah/" + reg.Code + "/laporan.csv", DownloadURL: base + "/daerah/" + reg.Code + "/laporan.csv", MediaType: "text/csv", Format: "CSV"},
					{Type: "dcat:Distribution", Title: "GeoJSON", AccessURL: base + "/daerah/" + reg.Code + "/laporan.geojson", DownloadURL: base + "/daerah/" + reg.Code + "/laporan.geojson", MediaType: "application/geo+json", Format: "GeoJSON"},
				}})
	}
	for i := range ds {
		ds[i].Type, ds[i].License, ds[i].Publisher, ds[i].Modified = "dcat:Dataset", licenceURL, publisher, today
	}
	doc := map[string]any{
		"@context":    "https://www.w3.org/ns/dcat.jsonld",
		"@type":       "dcat:Catalog",
		"title":       "Data terbuka Pendopo",
		"description": "Angka agregat pelayanan publik daerah tanpa data pribadi, dengan lisensi " + licenceName + ".",
		"license":     licenceURL,
		"homepage":    base + "/data",
		"dataset":     ds,
	}
	h := w.Header()
	h.Set("Content-Type", "application/json; charset=utf-8")
	h.Set("Cache-Control", "public, max-age=300")
	enc := json.NewEncoder(w)
	enc.SetIndent("", " ")
	return enc.Encode(doc)
}

// baseURL is the portal's address for absolute links: the configured one,
// or the one the request came to.
func (s *Server) baseURL(r *http.Request) string {
	if b := s.app.BaseURL(); b != "" {
		return b
	}
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}

// dataNational routes /data/layanan.csv and /data/indeks.json.
func (s *Server) dataNational(w http.ResponseWriter, r *http.Request) error {
	name, _, err := dataExt(r.PathValue("file"))
	if err != nil {
		return err
	}
	switch name {
	case "layanan":
		return s.dataServices(w, r)
	case "indeks":
		return s.dataIndex(w, r)
	}
	return errNoDataset
}

// dataRegional routes a region's datasets, such as kinerja.csv.
func (s *Server) dataRegional(w http.ResponseWriter, r *http.Request) error {
	name, _, err := dataExt(r.PathValue("file"))
	if err != nil {
		return err
	}
	switch name {
	case "kinerja":
		return s.dataFigures(w, r)
	case "laporan-kategori":
		return s.dataReportCategories(w, r)
	case "ikm":
		return s.dataIKM(w, r)
	case "ikm-unsur":
		return s.dataIKMUnsur(w, r)
	case "program":
		return s.dataPrograms(w, r)
	}
	return errNoDataset
}

var errNoDataset = pendopo.Errorf(pendopo.KindNotFound, pendopo.M("web.no_such_dataset_see_list"))

// dataIKM is the satisfaction index of a region, each of its agencies and
// each of its services over a period, with the respondents against the
// Krejcie–Morgan minimum for the users served.
func (s *Server) dataIKM(w http.ResponseWriter, r *http.Request) error {
	_, ext, err := dataExt(r.PathValue("file"))
	if err != nil {
		return err
	}
	ctx := r.Context()
	code := r.PathValue("code")
	p, err := s.period(r, code)
	if err != nil {
		return err
	}
	reg, err := s.app.Region(ctx, code)
	if err != nil {
		return err
	}
	held, err := s.app.Figures().HeldSurveys(ctx, code, p)
	if err != nil {
		return err
	}
	// Respondents, then how many were invited (after an application or a
	// report) and walked in, and how many walk-in responses are held for
	// review and not counted.
	t := table{columns: []string{"tingkat", "kode", "nama", "responden", "sampel_minimal", "responden_diundang", "responden_langsung", "tertahan"}}
	for _, u := range pendopo.Unsurs {
		t.columns = append(t.columns, "nrr_"+string(u.ID))
	}
	t.columns = append(t.columns, "ikm_1_4", "ikm", "mutu", "kinerja")
	row := func(level, code, name string, f pendopo.Figures, held int) {
		ikm := f.IKM
		out := []any{level, code, name, ikm.Respondents, pendopo.KrejcieMorgan(int(f.AppReceived + f.RepAnswered)), f.IKMInvited, f.IKMWalkIn, held}
		for _, u := range ikm.Unsurs {
			if u.Count == 0 {
				out = append(out, nil)
			} else {
				out = append(out, float64(int64(u.NRR*1000+0.5))/1000)
			}
		}
		if ikm.Respondents == 0 {
			out = append(out, nil, nil, nil, nil)
		} else {
			out = append(out, float64(int64(ikm.Interval*1000+0.5))/1000, ikm.Score, string(ikm.Category), ikm.Performance.Indonesian)
		}
		t.rows = append(t.rows, out)
	}
	_, total, err := s.app.Figures().Figures(ctx, code, "", 0, p)
	if err != nil {
		return err
	}
	row("daerah", reg.Code, reg.Name, total, held.Region)
	agencies, _, err := s.app.Agencies(ctx, code, pendopo.Page{PerPage: pendopo.MaxPerPage})
	if err != nil {
		return err
	}
	names := map[string]string{}
	for _, a := range agencies {
		names[a.Slug] = a.Name
	}
	byAgency, err := s.app.Figures().FiguresBy(ctx, code, "", "agency", p)
	if err != nil {
		return err
	}
	for _, f := range byAgency {
		row("perangkat_daerah", f.Agency, names[f.Agency], f.Figures, held.Agency[f.Agency])
	}
	services := map[int64]string{}
	for _, sv := range s.app.RegionServiceList(code, "") {
		services[sv.ID] = sv.Name
	}
	byService, err := s.app.Figures().FiguresBy(ctx, code, "", "service", p)
	if err != nil {
		return err
	}
	for _, f := range byService {
		if f.IKM.Respondents > 0 || held.Service[f.ServiceID] > 0 {
			row("layanan", strconv.FormatInt(f.ServiceID, 10), services[f.ServiceID], f.Figures, held.Service[f.ServiceID])
		}
	}
	return writeTable(w, "ikm-"+code, ext, t)
}

// dataIKMUnsur is the survey's report table of a region (or, with ?opd=,
// of an agency) as PermenPAN-RB 14/2017 sets it out: per unsur the total
// of the answers, the respondents who answered it, its NRR and weighted
// NRR; then the IKM on 1–4 and 25–100 and its grade.
func (s *Server) dataIKMUnsur(w http.ResponseWriter, r *http.Request) error {
	_, ext, err := dataExt(r.PathValue("file"))
	if err != nil {
		return err
	}
	code := r.PathValue("code")
	p, err := s.period(r, code)
	if err != nil {
		return err
	}
	agency := r.URL.Query().Get("opd")
	_, total, err := s.app.Figures().Figures(r.Context(), code, agency, 0, p)
	if err != nil {
		return err
	}
	ikm := total.IKM
	t := table{columns: []string{"unsur", "nama_unsur", "jumlah_nilai", "responden", "nrr", "bobot", "nrr_tertimbang"}}
	for i, u := range ikm.Unsurs {
		row := []any{string(u.Unsur), pendopo.Unsurs[i].Name.Indonesian, u.Sum, u.Count, nil, nil, nil}
		if u.Count > 0 {
			row[4], row[5], row[6] = float64(int64(u.NRR*1000+0.5))/1000, float64(int64(ikm.Weight*10000+0.5))/10000, float64(int64(u.Weighted*1000+0.5))/1000
		}
		t.rows = append(t.rows, row)
	}
	if ikm.Respondents > 0 {
		t.rows = append(t.rows, []any{"ikm", "IKM (skala 1–4)", nil, ikm.Respondents, float64(int64(ikm.Interval*1000+0.5)) / 1000, nil, nil},
			[]any{"ikm_konversi", "IKM unit pelayanan (skala 25–100), mutu " + string(ikm.Category) + " (" + ikm.Performance.Indonesian + ")", nil, ikm.Respondents, ikm.Score, nil, nil})
	}
	name := "ikm-unsur-" + code
	if agency != "" {
		name += "-" + agency
	}
	return writeTable(w, name, ext, t)
}
