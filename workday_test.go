package pendopo_test

import (
	"testing"
	"time"

	"github.com/pendopo/pendopo"
	"github.com/pendopo/pendopo/data"
)

func day(t *testing.T, s string) pendopo.Day {
	t.Helper()
	d, err := pendopo.ParseDay(s)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func calendar2026(t *testing.T, region string, extra ...pendopo.Holiday) *pendopo.Calendar {
	t.Helper()
	hs, err := data.Holidays()
	if err != nil {
		t.Fatal(err)
	}
	return pendopo.NewCalendar(append(hs, extra...), region)
}

// TestWorkingDays2026 checks the calendar against the 2026 decree: 240
// working days when cuti bersama close offices, 248 when they do not.
func TestWorkingDays2026(t *testing.T) {
	c := calendar2026(t, "33.74")
	for _, tt := range []struct {
		leaveWorks bool
		want       int
	}{{false, 240}, {true, 248}} {
		if got := c.WorkingDaysBetween(day(t, "2025-12-31"), day(t, "2026-12-31"), tt.leaveWorks); got != tt.want {
			t.Errorf("working days in 2026 (cuti bersama working: %v) = %d, want %d", tt.leaveWorks, got, tt.want)
		}
	}
}

func TestDeadline(t *testing.T) {
	regional := pendopo.Holiday{Date: day(t, "2026-04-06"), Name: "Hari jadi (contoh)", Kind: pendopo.HolidayRegional, Region: "33.74"}
	province := pendopo.Holiday{Date: day(t, "2026-04-07"), Name: "Libur provinsi (contoh)", Kind: pendopo.HolidayRegional, Region: "33"}
	semarang := calendar2026(t, "33.74", regional, province)
	solo := calendar2026(t, "33.72", regional, province)
	tests := []struct {
		name       string
		cal        *pendopo.Calendar
		received   string
		days       int
		leaveWorks bool
		want       string
	}{
		{"ordinary week", semarang, "2026-11-23", 3, false, "2026-11-26"},
		{"over a weekend", semarang, "2026-11-26", 3, false, "2026-12-01"},
		{"received on Saturday waits for Monday", semarang, "2026-11-28", 1, false, "2026-12-01"},
		{"same day on a working day", semarang, "2026-11-27", 0, false, "2026-11-27"},
		{"same day on Sunday is Monday", semarang, "2026-11-29", 0, false, "2026-11-30"},
		// Idulfitri 1447 H: Nyepi 19 March, cuti bersama 18, 20, 23, 24
		// March, Idulfitri on the weekend of 21-22 March.
		{"across Idulfitri, cuti bersama closed", semarang, "2026-03-17", 5, false, "2026-03-31"},
		{"across Idulfitri, cuti bersama open", semarang, "2026-03-17", 5, true, "2026-03-25"},
		{"received on a cuti bersama day", semarang, "2026-03-20", 1, false, "2026-03-26"},
		{"Christmas and New Year", semarang, "2026-12-23", 2, false, "2026-12-29"},
		{"regional and provincial holidays", semarang, "2026-04-02", 2, false, "2026-04-09"},
		{"another kota of the province skips only the provincial one", solo, "2026-04-02", 2, false, "2026-04-08"},
		{"Iduladha with its cuti bersama", semarang, "2026-05-26", 1, false, "2026-05-29"},
		{"Iduladha, cuti bersama open", semarang, "2026-05-26", 1, true, "2026-05-28"},
	}
	for _, tt := range tests {
		if got := tt.cal.Deadline(day(t, tt.received), tt.days, tt.leaveWorks); got.String() != tt.want {
			t.Errorf("%s: deadline %s, want %s", tt.name, got, tt.want)
		}
	}
}

func TestDay(t *testing.T) {
	d := day(t, "2026-03-21")
	if d.Weekday() != time.Saturday || d.String() != "2026-03-21" {
		t.Errorf("%s is a %s", d, d.Weekday())
	}
	// A moment late at night in Jakarta is already the next day in Jayapura.
	late := time.Date(2026, 3, 20, 16, 30, 0, 0, time.UTC) // 23.30 WIB, 01.30 WIT
	if pendopo.DayOf(late, pendopo.RegionZone("33.74")).String() != "2026-03-20" || pendopo.DayOf(late, pendopo.RegionZone("91.71")).String() != "2026-03-21" {
		t.Error("days do not follow the region's zone")
	}
	for code, want := range map[string]*time.Location{"33.74": pendopo.WIB, "51.71": pendopo.WITA, "73.71": pendopo.WITA, "62.71": pendopo.WIB, "64.72": pendopo.WITA, "81.71": pendopo.WIT, "94": pendopo.WIT} {
		if got := pendopo.RegionZone(code); got != want {
			t.Errorf("zone of %s = %s, want %s", code, got, want)
		}
	}
	var back pendopo.Day
	if b, _ := d.MarshalText(); back.UnmarshalText(b) != nil || back != d {
		t.Errorf("text round trip: %s", back)
	}
}
