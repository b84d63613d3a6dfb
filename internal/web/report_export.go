package web

import (
	"bufio"
	"encoding/csv"
	"encoding/json"
	"math"
	"net/http"
	"strconv"
	"time"

	"github.com/pendopo/pendopo/internal/app"
)

// Open data: a region's public reports as CSV and GeoJSON. Confidential
// and flagged reports are never listed, and no report carries its
// reporter (PublicReports strips them).

var reportCSVHeader = []string{"nomor", "jenis", "kategori", "judul", "uraian", "status", "perangkat_daerah", "dilaporkan", "diperbarui",
	"jawaban", "lintang", "bujur", "alamat", "penilaian", "kode_kecamatan", "kecamatan"}

func (s *Server) reportsCSV(w http.ResponseWriter, r *http.Request) error {
	code := r.PathValue("code")
	if _, err := s.app.Region(r.Context(), code); err != nil {
		return err
	}
	h := w.Header()
	h.Set("Content-Type", "text/csv; charset=utf-8")
	h.Set("Content-Disposition", `attachment; filename="laporan-`+code+`.csv"`)
	h.Set("Cache-Control", "public, max-age=300")
	cw := csv.NewWriter(w)
	cw.Write(reportCSVHeader)
	err := s.app.ExportReports(r.Context(), code, func(list []app.PublicReport) error {
		for _, rep := range list {
			lat, lng := "", ""
			if rep.Location.Has() {
				lat, lng = strconv.FormatFloat(*rep.Location.Lat, 'f', 6, 64), strconv.FormatFloat(*rep.Location.Lng, 'f', 6, 64)
			}
			rating := ""
			if rep.Rating > 0 {
				rating = strconv.Itoa(rep.Rating)
			}
			d, _ := s.app.ReportDistrict(code, rep.Location)
			cw.Write([]string{rep.Number, string(rep.Kind), rep.Category, csvSafe(rep.Title), csvSafe(rep.Description), string(rep.Status), rep.Agency,
				rep.CreatedAt.Format(time.RFC3339), rep.UpdatedAt.Format(time.RFC3339), csvSafe(rep.Answer), lat, lng, csvSafe(rep.Location.Address), rating,
				d.Code, d.Name})
		}
		cw.Flush()
		return cw.Error()
	})
	return s.streamed(r, err)
}

// streamed ends an export that failed after it began: the status and
// part of the body are sent already, so the error is logged and the
// connection cut, which tells the client the file is incomplete.
func (s *Server) streamed(r *http.Request, err error) error {
	if err != nil {
		s.log.ErrorContext(r.Context(), "export cut short", "path", r.URL.Path, "err", err)
		panic(http.ErrAbortHandler)
	}
	return nil
}

// csvSafe keeps a cell from being read as a formula by spreadsheets.
func csvSafe(s string) string {
	if s != "" && (s[0] == '=' || s[0] == '+' || s[0] == '-' || s[0] == '@') {
		return "'" + s
	}
	return s
}

type geoFeature struct {
	Type       string         `json:"type"`
	Geometry   *geoPoint      `json:"geometry"`
	Properties map[string]any `json:"properties"`
}

type geoPoint struct {
	Type        string     `json:"type"`
	Coordinates [2]float64 `json:"coordinates"`
}

func (s *Server) reportsGeoJSON(w http.ResponseWriter, r *http.Request) error {
	code := r.PathValue("code")
	if _, err := s.app.Region(r.Context(), code); err != nil {
		return err
	}
	h := w.Header()
	h.Set("Content-Type", "application/geo+json")
	h.Set("Cache-Control", "public, max-age=300")
	bw := bufio.NewWriter(w)
	bw.WriteString(`{"type":"FeatureCollection","features":[`)
	first := true
	err := s.app.ExportReports(r.Context(), code, func(list []app.PublicReport) error {
		for _, rep := range list {
			if !rep.Location.Has() {
				continue
			}
			props := map[string]any{"nomor": rep.Number, "jenis": rep.Kind, "kategori": rep.Category, "judul": rep.Title,
				"status": rep.Status, "perangkat_daerah": rep.Agency, "dilaporkan": rep.CreatedAt.Format(time.RFC3339),
				"jawaban": rep.Answer, "url": "/laporan/" + rep.Number, "terbuka": rep.Status.Open()}
			if d, ok := s.app.ReportDistrict(code, rep.Location); ok {
				props["kode_kecamatan"], props["kecamatan"] = d.Code, d.Name
			}
			b, err := json.Marshal(geoFeature{Type: "Feature",
				Geometry:   &geoPoint{Type: "Point", Coordinates: [2]float64{round6(*rep.Location.Lng), round6(*rep.Location.Lat)}},
				Properties: props})
			if err != nil {
				return err
			}
			if !first {
				bw.WriteByte(',')
			}
			first = false
			bw.Write(b)
		}
		return bw.Flush()
	})
	if err != nil {
		return s.streamed(r, err)
	}
	bw.WriteString("]}\n")
	return bw.Flush()
}

// round6 rounds a coordinate to six decimals, about 11 cm: what a pin
// means, without the float's noise (110.33500000000001).
func round6(v float64) float64 { return math.Round(v*1e6) / 1e6 }
