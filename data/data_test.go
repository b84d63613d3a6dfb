package data_test

import (
	"strings"
	"testing"

	"github.com/pendopo/pendopo"
	"github.com/pendopo/pendopo/data"
)

func TestHolidays(t *testing.T) {
	hs, err := data.Holidays()
	if err != nil {
		t.Fatal(err)
	}
	kinds := map[pendopo.HolidayKind]int{}
	for _, h := range hs {
		if strings.HasPrefix(h.Date.String(), "2026-") {
			kinds[h.Kind]++
		}
	}
	if kinds[pendopo.HolidayNational] != 17 || kinds[pendopo.HolidayLeave] != 8 {
		t.Errorf("2026: %v, want 17 libur nasional and 8 cuti bersama", kinds)
	}
	for _, bad := range []string{
		"date,name\n2026-01-01,x\n",
		"date,name,kind\n01-01-2026,Tahun Baru,libur_nasional\n",
		"date,name,kind\n2026-01-01,Tahun Baru,libur\n",
		"date,name,kind\n2026-01-01,,libur_nasional\n",
	} {
		if _, err := data.ReadHolidays([]byte(bad)); err == nil {
			t.Errorf("accepted %q", bad)
		}
	}
}

// TestLexicon: every service kind has English and Indonesian terms, every
// report category problem words, and every other institution an https
// address; the loaders refuse what they cannot use.
func TestLexicon(t *testing.T) {
	kinds, err := data.ServiceKinds()
	if err != nil {
		t.Fatal(err)
	}
	lex, err := data.ServiceLexicon()
	if err != nil {
		t.Fatal(err)
	}
	langs := map[string]map[string]int{}
	for _, l := range lex {
		if langs[l.Code] == nil {
			langs[l.Code] = map[string]int{}
		}
		langs[l.Code][l.Lang]++
	}
	for _, k := range kinds {
		if langs[k.Code]["en"] < 3 || langs[k.Code]["id"] < 3 {
			t.Errorf("%s: %d English and %d Indonesian terms, want 3 of each at least", k.Code, langs[k.Code]["en"], langs[k.Code]["id"])
		}
	}
	problems, err := data.ReportLexicon()
	if err != nil {
		t.Fatal(err)
	}
	cats := map[string]int{}
	for _, p := range problems {
		cats[p.Code]++
	}
	for _, c := range pendopo.ReportCategories {
		if c.Code != "lainnya" && cats[c.Code] < 5 {
			t.Errorf("report category %s has %d problem terms", c.Code, cats[c.Code])
		}
	}
	others, err := data.OtherServices()
	if err != nil {
		t.Fatal(err)
	}
	if len(others) < 15 {
		t.Errorf("%d other institutions' services", len(others))
	}
	for _, o := range others {
		if !strings.HasPrefix(o.URL, "https://") || o.Provider.Indonesian == "" || o.Provider.English == "" {
			t.Errorf("%s: %+v", o.Code, o)
		}
	}
}
