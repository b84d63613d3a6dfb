package pendopo

import (
	"time"
)

// HolidayKind says why an office is closed on a weekday.
type HolidayKind string

// Holiday kinds. Cuti bersama are collective leave days of civil servants;
// each service decides whether they stop its clock, because offices that
// serve the public directly often stay open.
const (
	HolidayNational HolidayKind = "libur_nasional"
	HolidayLeave    HolidayKind = "cuti_bersama"
	HolidayRegional HolidayKind = "libur_daerah"
)

// Holiday is one closed day: national (Region empty) or of a region (a
// province's applies to its kabupaten/kota).
type Holiday struct {
	Date   Day         `json:"date"`
	Name   string      `json:"name"`
	Kind   HolidayKind `json:"kind"`
	Region string      `json:"region,omitempty"`
}

// Day is a calendar date without a time or zone, as days since 1970-01-01.
// Working-day arithmetic happens on Days in the office's time zone.
type Day int32

// DayOf is the date of t in loc.
func DayOf(t time.Time, loc *time.Location) Day {
	y, m, d := t.In(loc).Date()
	return DateDay(y, m, d)
}

// DateDay is the Day of a year, month and day.
func DateDay(y int, m time.Month, d int) Day {
	return Day(time.Date(y, m, d, 0, 0, 0, 0, time.UTC).Unix() / 86400)
}

// ParseDay reads a date written 2006-01-02.
func ParseDay(s string) (Day, error) {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return 0, err
	}
	return DayOf(t, time.UTC), nil
}

// Time is the start of the day in loc.
func (d Day) Time(loc *time.Location) time.Time {
	y, m, dd := time.Unix(int64(d)*86400, 0).UTC().Date()
	return time.Date(y, m, dd, 0, 0, 0, 0, loc)
}

// Weekday is the day of the week.
func (d Day) Weekday() time.Weekday { return time.Weekday((int(d)%7 + 7 + 4) % 7) } // 1970-01-01 was a Thursday

func (d Day) String() string { return d.Time(time.UTC).Format(time.DateOnly) }

// MarshalText writes the date as 2006-01-02.
func (d Day) MarshalText() ([]byte, error) { return []byte(d.String()), nil }

// UnmarshalText reads a date written 2006-01-02.
func (d *Day) UnmarshalText(b []byte) error {
	v, err := ParseDay(string(b))
	*d = v
	return err
}

// Zones of Indonesian time.
var (
	WIB  = time.FixedZone("WIB", 7*3600)
	WITA = time.FixedZone("WITA", 8*3600)
	WIT  = time.FixedZone("WIT", 9*3600)
)

// RegionZone is the time zone of a region's offices, by its province
// code: WITA for Bali, Nusa Tenggara, the three eastern and northern
// Kalimantan provinces and Sulawesi; WIT for Maluku and Papua; WIB
// elsewhere.
func RegionZone(code string) *time.Location {
	if len(code) < 2 {
		return WIB
	}
	switch code[:2] {
	case "51", "52", "53", "63", "64", "65", "71", "72", "73", "74", "75", "76":
		return WITA
	case "81", "82", "91", "92", "93", "94", "95", "96", "97":
		return WIT
	}
	return WIB
}

// Calendar tells working days of one region's offices: Monday to Friday,
// without national holidays, the region's own holidays and, unless a
// service counts them as working days, cuti bersama.
type Calendar struct {
	closed map[Day]HolidayKind
}

// NewCalendar keeps the holidays that apply in region: the national ones
// and those of the region and of its province.
func NewCalendar(holidays []Holiday, region string) *Calendar {
	c := &Calendar{closed: map[Day]HolidayKind{}}
	for _, h := range holidays {
		if !Covers(h.Region, region) {
			continue
		}
		// A national holiday outweighs cuti bersama on the same day.
		if k, ok := c.closed[h.Date]; ok && k != HolidayLeave {
			continue
		}
		c.closed[h.Date] = h.Kind
	}
	return c
}

// Working reports whether offices work on d; leaveWorks counts cuti
// bersama as working days.
func (c *Calendar) Working(d Day, leaveWorks bool) bool {
	switch d.Weekday() {
	case time.Saturday, time.Sunday:
		return false
	}
	k, closed := c.closed[d]
	return !closed || k == HolidayLeave && leaveWorks
}

// AddWorkingDays returns the n-th working day after from (n ≥ 1); with
// n = 0 it returns from itself when from is a working day, else the next
// one, for same-day services.
func (c *Calendar) AddWorkingDays(from Day, n int, leaveWorks bool) Day {
	d := from
	if n <= 0 {
		for !c.Working(d, leaveWorks) {
			d++
		}
		return d
	}
	for n > 0 {
		d++
		if c.Working(d, leaveWorks) {
			n--
		}
	}
	return d
}

// Deadline is the last day to finish a service of n working days for an
// application that became complete on day received: counting starts on
// the first working day on or after it (a Saturday submission waits for
// Monday), so the deadline is the n-th working day after that.
func (c *Calendar) Deadline(received Day, n int, leaveWorks bool) Day {
	return c.AddWorkingDays(c.AddWorkingDays(received, 0, leaveWorks), n, leaveWorks)
}

// WorkingDaysBetween counts the working days after from up to and
// including to; it is negative when to is before from.
func (c *Calendar) WorkingDaysBetween(from, to Day, leaveWorks bool) int {
	if to < from {
		return -c.WorkingDaysBetween(to, from, leaveWorks)
	}
	n := 0
	for d := from + 1; d <= to; d++ {
		if c.Working(d, leaveWorks) {
			n++
		}
	}
	return n
}
