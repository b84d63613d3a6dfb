// Package data ships the national reference data that Pendopo loads on
// first start: the Kemendagri region codes and the national list of
// service kinds. See README.md in this directory for sources and licences.
package data

import (
	"bytes"
	"embed"
	"encoding/csv"
	"fmt"
	"io"
	"io/fs"
	"slices"
	"strconv"
	"strings"

	"github.com/pendopo/pendopo"
)

//go:embed wilayah-kabkota.csv
var regionsCSV []byte

//go:embed jenis-layanan.csv
var kindsCSV []byte

//go:embed libur-nasional-*.csv
var holidayFiles embed.FS

//go:embed batas/*.bin
var boundaryFiles embed.FS

// Boundaries holds the administrative boundaries, one file per province
// named after its code ("33.bin"), in the format internal/geo reads.
func Boundaries() fs.FS {
	sub, err := fs.Sub(boundaryFiles, "batas")
	if err != nil {
		panic(err) // the directory is embedded above
	}
	return sub
}

// Regions returns the 38 provinces and 514 kabupaten/kota, provinces first
// within each code range as in the source file.
func Regions() ([]pendopo.Region, error) {
	recs, err := readCSV(regionsCSV, "code,name,level,parent_code")
	if err != nil {
		return nil, fmt.Errorf("wilayah-kabkota.csv: %w", err)
	}
	out := make([]pendopo.Region, 0, len(recs))
	for i, r := range recs {
		reg := pendopo.Region{Code: r[0], Name: r[1], Level: pendopo.RegionLevel(r[2]), ParentCode: r[3]}
		if lvl, ok := pendopo.LevelFromCode(reg.Code); !ok || lvl != reg.Level {
			return nil, fmt.Errorf("wilayah-kabkota.csv line %d: code %q does not match level %q", i+2, reg.Code, reg.Level)
		}
		out = append(out, reg)
	}
	return out, nil
}

// ServiceKinds returns the national list of service kinds.
func ServiceKinds() ([]pendopo.ServiceKind, error) {
	recs, err := readCSV(kindsCSV, "code,name_id,name_en,category,weight")
	if err != nil {
		return nil, fmt.Errorf("jenis-layanan.csv: %w", err)
	}
	out := make([]pendopo.ServiceKind, 0, len(recs))
	for i, r := range recs {
		w, err := strconv.ParseFloat(r[4], 64)
		if err != nil || w < 0 || w > 1 {
			return nil, fmt.Errorf("jenis-layanan.csv line %d: weight %q is not a number in [0,1]", i+2, r[4])
		}
		if !pendopo.ValidSlug(r[0]) {
			return nil, fmt.Errorf("jenis-layanan.csv line %d: bad code %q", i+2, r[0])
		}
		if _, ok := pendopo.CategoryByCode(r[3]); !ok {
			return nil, fmt.Errorf("jenis-layanan.csv line %d: unknown category %q", i+2, r[3])
		}
		out = append(out, pendopo.ServiceKind{Code: r[0], Name: pendopo.T(r[1], r[2]), Category: r[3], Weight: w})
	}
	return out, nil
}

// Holidays returns the national holidays and cuti bersama of every year
// shipped (libur-nasional-YYYY.csv).
func Holidays() ([]pendopo.Holiday, error) {
	names, err := fs.Glob(holidayFiles, "libur-nasional-*.csv")
	if err != nil {
		return nil, err
	}
	var out []pendopo.Holiday
	for _, name := range names {
		b, err := holidayFiles.ReadFile(name)
		if err != nil {
			return nil, err
		}
		hs, err := ReadHolidays(b)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		out = append(out, hs...)
	}
	return out, nil
}

// ReadHolidays reads a holiday table with the columns date,name,kind, the
// format of the shipped files and of later years an admin imports.
func ReadHolidays(b []byte) ([]pendopo.Holiday, error) {
	recs, err := readCSV(b, "date,name,kind")
	if err != nil {
		return nil, err
	}
	out := make([]pendopo.Holiday, 0, len(recs))
	for i, r := range recs {
		d, err := pendopo.ParseDay(r[0])
		if err != nil {
			return nil, fmt.Errorf("line %d: date %q is not written 2026-03-21", i+2, r[0])
		}
		k := pendopo.HolidayKind(r[2])
		if k != pendopo.HolidayNational && k != pendopo.HolidayLeave {
			return nil, fmt.Errorf("line %d: kind %q is neither libur_nasional nor cuti_bersama", i+2, r[2])
		}
		if strings.TrimSpace(r[1]) == "" {
			return nil, fmt.Errorf("line %d: the holiday has no name", i+2)
		}
		out = append(out, pendopo.Holiday{Date: d, Name: r[1], Kind: k})
	}
	return out, nil
}

func readCSV(b []byte, header string) ([][]string, error) {
	r := csv.NewReader(bytes.NewReader(b))
	head, err := r.Read()
	if err != nil {
		return nil, err
	}
	if got := strings.Join(head, ","); got != header {
		return nil, fmt.Errorf("header is %q, want %q", got, header)
	}
	var out [][]string
	for {
		rec, err := r.Read()
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return nil, err
		}
		out = append(out, rec)
	}
}

//go:embed leksikon-layanan.csv
var serviceLexiconCSV []byte

//go:embed leksikon-laporan.csv
var reportLexiconCSV []byte

//go:embed layanan-instansi-lain.csv
var otherServicesCSV []byte

// ServiceLexicon returns the bilingual lexicon of the national service
// kinds: the names, colloquial names, documents, life events and problems
// by which people look for each kind.
func ServiceLexicon() ([]pendopo.LexiconTerm, error) {
	kinds, err := ServiceKinds()
	if err != nil {
		return nil, err
	}
	known := map[string]bool{}
	for _, k := range kinds {
		known[k.Code] = true
	}
	recs, err := readCSV(serviceLexiconCSV, "kind,lang,type,term,source")
	if err != nil {
		return nil, fmt.Errorf("leksikon-layanan.csv: %w", err)
	}
	out := make([]pendopo.LexiconTerm, 0, len(recs))
	for i, r := range recs {
		t := pendopo.LexiconTerm{Code: r[0], Lang: r[1], Type: pendopo.LexiconType(r[2]), Term: strings.TrimSpace(r[3])}
		switch {
		case !known[t.Code]:
			return nil, fmt.Errorf("leksikon-layanan.csv line %d: unknown service kind %q", i+2, t.Code)
		case t.Lang != "id" && t.Lang != "en":
			return nil, fmt.Errorf("leksikon-layanan.csv line %d: language %q is neither id nor en", i+2, t.Lang)
		case !t.Type.Valid():
			return nil, fmt.Errorf("leksikon-layanan.csv line %d: unknown type %q", i+2, t.Type)
		case t.Term == "":
			return nil, fmt.Errorf("leksikon-layanan.csv line %d: empty term", i+2)
		}
		out = append(out, t)
	}
	return out, nil
}

// ReportLexicon returns the problem words of each report category, in
// both languages, with the type "problem".
func ReportLexicon() ([]pendopo.LexiconTerm, error) {
	recs, err := readCSV(reportLexiconCSV, "category,lang,term,source")
	if err != nil {
		return nil, fmt.Errorf("leksikon-laporan.csv: %w", err)
	}
	out := make([]pendopo.LexiconTerm, 0, len(recs))
	for i, r := range recs {
		t := pendopo.LexiconTerm{Code: r[0], Lang: r[1], Type: pendopo.TermProblem, Term: strings.TrimSpace(r[2])}
		if _, ok := pendopo.ReportCategoryByCode(t.Code); !ok {
			return nil, fmt.Errorf("leksikon-laporan.csv line %d: unknown report category %q", i+2, t.Code)
		}
		if t.Lang != "id" && t.Lang != "en" || t.Term == "" {
			return nil, fmt.Errorf("leksikon-laporan.csv line %d: want a language (id or en) and a term", i+2)
		}
		out = append(out, t)
	}
	return out, nil
}

// OtherServices returns the well-known services of other institutions.
func OtherServices() ([]pendopo.OtherService, error) {
	recs, err := readCSV(otherServicesCSV, "code,name_id,name_en,provider_id,provider_en,url,terms_id,terms_en")
	if err != nil {
		return nil, fmt.Errorf("layanan-instansi-lain.csv: %w", err)
	}
	out := make([]pendopo.OtherService, 0, len(recs))
	for i, r := range recs {
		o := pendopo.OtherService{Code: r[0], Name: pendopo.T(r[1], r[2]), Provider: pendopo.T(r[3], r[4]), URL: r[5]}
		for _, t := range strings.Split(r[6]+";"+r[7], ";") {
			if t = strings.TrimSpace(t); t != "" {
				o.Terms = append(o.Terms, t)
			}
		}
		if !pendopo.ValidSlug(o.Code) || !strings.HasPrefix(o.URL, "https://") || len(o.Terms) == 0 || slices.Contains(r[1:5], "") {
			return nil, fmt.Errorf("layanan-instansi-lain.csv line %d: want a code, both names and providers, an https address and terms", i+2)
		}
		out = append(out, o)
	}
	return out, nil
}
