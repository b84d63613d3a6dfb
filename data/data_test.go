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
