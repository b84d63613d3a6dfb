package pendopo

import (
	"time"
)

// NIK is a Nomor Induk Kependudukan: 16 digits PP KK CC DDMMYY SSSS, where
// PPKKCC is the kecamatan where it was first issued (it never changes when
// the person moves), DD the day of birth plus 40 for women, MM the month,
// YY the year and SSSS a serial from 0001.
type NIK string

// NIKInfo is what a valid NIK says about its holder.
type NIKInfo struct {
	Province string // "33"
	Regency  string // "33.74"
	Female   bool
	// Birth is the date of birth; the century is guessed (see CheckNIK).
	Birth time.Time
	// Warning is set when the region prefix is not a current Kemendagri
	// code; NIKs issued before a region was split keep the old code, so
	// this is not an error.
	Warning Text
}

// CheckNIK validates a NIK. known reports whether a region code ("33" or
// "33.74") is in the current list; it may be nil. now decides the century
// of the birth year: a two-digit year that would be in the future belongs
// to the previous century.
func CheckNIK(s string, known func(code string) bool, now time.Time) (NIKInfo, error) {
	var info NIKInfo
	bad := func(msg Text) (NIKInfo, error) {
		var p Problems
		p.Add("nik", msg)
		return info, p.Err()
	}
	if len(s) != 16 {
		return bad(M("rule.a_nik_has_16_digits", len([]rune(s))))
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return bad(M("rule.a_nik_has_digits_only"))
		}
	}
	num := func(i int) int { return int(s[i]-'0')*10 + int(s[i+1]-'0') }
	day, month, yy := num(6), num(8), num(10)
	if day > 40 {
		info.Female = true
		day -= 40
	}
	if day < 1 || day > 31 || month < 1 || month > 12 {
		return bad(M("rule.the_date_birth_nik_digits"))
	}
	year := 2000 + yy
	if year > now.Year() {
		year -= 100
	}
	birth := time.Date(year, time.Month(month), day, 0, 0, 0, 0, time.UTC)
	if birth.Day() != day {
		// 29 February of a year that is not a leap year in this century
		// may be one in the other.
		alt := time.Date(year-100, time.Month(month), day, 0, 0, 0, 0, time.UTC)
		if alt.Day() != day {
			return bad(M("rule.the_date_birth_nik_does"))
		}
		birth = alt
	}
	if s[12:] == "0000" {
		return bad(M("rule.the_serial_nik_last_4"))
	}
	info.Birth = birth
	info.Province = s[0:2]
	info.Regency = s[0:2] + "." + s[2:4]
	if known != nil && (!known(info.Province) || !known(info.Regency)) {
		info.Warning = M("rule.the_region_code_this_nik")
	}
	return info, nil
}

// MaskNIK shows only the first four and last four digits of a NIK, as
// personal data rules ask: 3374********0001.
func MaskNIK(s string) string {
	if len(s) != 16 {
		return "****************"[:min(16, max(len(s), 0))]
	}
	return s[:4] + "********" + s[12:]
}
