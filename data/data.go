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
