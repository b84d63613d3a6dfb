package web

import (
	"encoding/csv"
	"encoding/json"
	"net/http"
	"strconv"
	"time"
)

// Open data: a region's public reports as CSV and GeoJSON. Confidential
// and flagged reports are never listed, and no report carries its
// reporter (PublicReports strips them).

var reportCSVHeader = []string{"nomor", "jenis", "kategori", "judul", "uraian", "status", "perangkat_daerah", "dilaporkan", "diperbarui",
	"jawaban", "lintang", "bujur", "alamat", "penilaian"}

func (s *Server) reportsCSV(w http.ResponseWriter, r *http.Request) error {
	list, err := s.app.ExportReports(r.Context(), r.PathValue("code"))
	if err != nil {
		return err
	}
	h := w.Header()
	h.Set("Content-Type", "text/csv; charset=utf-8")
	h.Set("Content-Disposition", `attachment; filename="laporan-`+r.PathValue("code")+`.csv"`)
	h.Set("Cache-Control", "public, max-age=300")
	cw := csv.NewWriter(w)
	cw.Write(reportCSVHeader)
	for _, rep := range list {
		lat, lng := "", ""
		if rep.Location.Has() {
			lat, lng = strconv.FormatFloat(*rep.Location.Lat, 'f', 6, 64), strconv.FormatFloat(*rep.Location.Lng, 'f', 6, 64)
		}
		rating := ""
		if rep.Rating > 0 {
			rating = strconv.Itoa(rep.Rating)
		}
		cw.Write([]string{rep.Number, string(rep.Kind), rep.Category, csvSafe(rep.Title), csvSafe(rep.Description), string(rep.Status), rep.Agency,
			rep.CreatedAt.Format(time.RFC3339), rep.UpdatedAt.Format(time.RFC3339), csvSafe(rep.Answer), lat, lng, csvSafe(rep.Location.Address), rating})
	}
	cw.Flush()
	return cw.Error()
}

// csvSafe keeps a cell from being read as a formula by spreadsheets.
func csvSafe(s string) string {
	if s != "" && (s[0] == '=' || s[0] == '+' || s[0] == '-' || s[0] == '@') {
		return "'" + s
	}
	return s
}

type geoJSON struct {
	Type     string       `json:"type"`
	Features []geoFeature `json:"features"`
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
	list, err := s.app.ExportReports(r.Context(), r.PathValue("code"))
	if err != nil {
		return err
	}
	fc := geoJSON{Type: "FeatureCollection", Features: []geoFeature{}}
	for _, rep := range list {
		if !rep.Location.Has() {
			continue
		}
		fc.Features = append(fc.Features, geoFeature{Type: "Feature",
			Geometry: &geoPoint{Type: "Point", Coordinates: [2]float64{*rep.Location.Lng, *rep.Location.Lat}},
			Properties: map[string]any{"nomor": rep.Number, "jenis": rep.Kind, "kategori": rep.Category, "judul": rep.Title,
				"status": rep.Status, "perangkat_daerah": rep.Agency, "dilaporkan": rep.CreatedAt.Format(time.RFC3339),
				"jawaban": rep.Answer, "url": "/laporan/" + rep.Number, "terbuka": rep.Status.Open()}})
	}
	h := w.Header()
	h.Set("Content-Type", "application/geo+json")
	h.Set("Cache-Control", "public, max-age=300")
	return json.NewEncoder(w).Encode(fc)
}
