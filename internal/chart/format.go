package chart

import (
	"math"
	"strconv"
	"strings"
)

// Unit says what a chart's values measure, and so how they are written in
// titles, value labels and the data table.
type Unit int

const (
	// Count is a number of things, written whole: "1.234".
	Count Unit = iota
	// Percent is a share on a scale of 0 to 100 (not 0 to 1), written with
	// one decimal: "87,5%".
	Percent
	// Days is a duration, written with one decimal: "4,5 hari".
	Days
	// Score is an index such as the IKM (Indeks Kepuasan Masyarakat),
	// written with two decimals: "88,31".
	Score
)

// decimals is how many decimals the unit's values are written with.
func (u Unit) decimals() int {
	switch u {
	case Percent, Days:
		return 1
	case Score:
		return 2
	}
	return 0
}

// whole reports whether the unit's axis steps must be whole numbers: half
// a report makes no sense on a tick.
func (u Unit) whole() bool { return u == Count }

// Format writes v in unit u for language lang ("en" for English, anything
// else Indonesian), so that dashboard tiles beside a chart read like it.
func (u Unit) Format(v float64, lang string) string {
	s := Number(v, u.decimals(), lang)
	switch u {
	case Percent:
		return s + "%"
	case Days:
		if lang == "en" {
			return s + " days"
		}
		return s + " hari"
	}
	return s
}

// Number writes v rounded to decimals places with the separators of lang:
// Indonesian groups thousands with "." and marks decimals with ","
// ("1.234,5"); English ("en") uses "," and "." ("1,234.5").
func Number(v float64, decimals int, lang string) string {
	group, point := ".", ","
	if lang == "en" {
		group, point = ",", "."
	}
	decimals = max(decimals, 0)
	// Halves round away from zero, as people round by hand: 4,25 is 4,3.
	// strconv alone would round the binary value half to even.
	p := math.Pow(10, float64(decimals))
	if r := math.Round(v*p) / p; !math.IsInf(r, 0) {
		v = r
	}
	s := strconv.FormatFloat(v, 'f', decimals, 64)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	intPart, frac, _ := strings.Cut(s, ".")
	var b strings.Builder
	// A value that rounds to zero is written without a sign: "-0,0" would
	// read as a negative share.
	if neg && strings.Trim(s, "0.") != "" {
		b.WriteByte('-')
	}
	for i, c := range intPart {
		if i > 0 && (len(intPart)-i)%3 == 0 {
			b.WriteString(group)
		}
		b.WriteRune(c)
	}
	if frac != "" {
		b.WriteString(point)
		b.WriteString(frac)
	}
	return b.String()
}

// tickLabel writes an axis tick: as few decimals as the step needs, a "%"
// for percentages, and millions and above shortened ("1,5 jt", "2 M") so
// that the axis fits a phone. Titles and the table keep the full number.
func (u Unit) tickLabel(v float64, s scale, lang string) string {
	suffix := ""
	if u == Percent {
		suffix = "%"
	}
	if v == 0 {
		return "0" + suffix
	}
	top := math.Max(math.Abs(s.Min), math.Abs(s.Max))
	for _, b := range bigNumbers {
		if top < b.size {
			continue
		}
		d := max(0, decimalsOf(s.Step/b.size))
		name := b.id
		if lang == "en" {
			name = b.en
		}
		return Number(v/b.size, d, lang) + name + suffix
	}
	return Number(v, s.Decimals, lang) + suffix
}

// bigNumbers are the short names of large numbers, largest first: in
// Indonesian "M" is miliar (10⁹), in English it is million.
var bigNumbers = []struct {
	size   float64
	id, en string
}{
	{1e12, " T", "T"},
	{1e9, " M", "B"},
	{1e6, " jt", "M"},
}
