// Formatting for templates: numbers, money, sizes, dates and figures in
// the page's language. Methods that name one feature's states (report
// kinds, program statuses) stay with that feature.

package web

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/pendopo/pendopo"
	"github.com/pendopo/pendopo/internal/chart"
)

// Date formats a time as "27 November 2026" (or English month names).
func (p Page) Date(t time.Time) string {
	if t.IsZero() {
		return "—"
	}
	t = t.In(wib)
	months := monthsID
	if p.Lang == "en" {
		months = monthsEN
	}
	return fmt.Sprintf("%d %s %d", t.Day(), months[t.Month()-1], t.Year())
}

// DateTime formats a time as "27 November 2026 10.40 WIB".
func (p Page) DateTime(t time.Time) string {
	if t.IsZero() {
		return "—"
	}
	sep := "."
	if p.Lang == "en" {
		sep = ":"
	}
	return p.Date(t) + " " + t.In(wib).Format("15"+sep+"04") + " WIB"
}

// ISODate formats a time for <time datetime>.
func (p Page) ISODate(t time.Time) string { return t.In(wib).Format(time.DateOnly) }

// Number formats an integer with Indonesian thousands separators.
func (p Page) Number(n int) string {
	s := fmt.Sprint(n)
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			if p.Lang == "en" {
				b.WriteByte(',')
			} else {
				b.WriteByte('.')
			}
		}
		b.WriteRune(c)
	}
	return b.String()
}

// Size writes a file size for people.
func (p Page) Size(n int64) string {
	switch {
	case n >= 1<<20:
		return strconv.FormatFloat(float64(n)/(1<<20), 'f', 1, 64) + " MB"
	case n >= 1<<10:
		return strconv.FormatInt(n>>10, 10) + " KB"
	}
	return strconv.FormatInt(n, 10) + " B"
}

// DayLabel writes a working day's date.
func (p Page) DayLabel(d pendopo.Day) string {
	if d == 0 {
		return "—"
	}
	return p.Date(d.Time(wib).Add(12 * 3600e9))
}

// Value formats an indicator value in the page's language.
func (p Page) Value(v float64) string {
	for d := range 2 {
		if x := v * math.Pow10(d); x == math.Trunc(x) {
			return chart.Number(v, d, p.Lang)
		}
	}
	return chart.Number(v, 2, p.Lang)
}

// Rupiah formats an amount of rupiah, such as "Rp1.500.000".
func (p Page) Rupiah(n int64) string { return "Rp" + p.Number(int(n)) }

// DayText formats a day as "5 Januari 2026".
func (p Page) DayText(d pendopo.Day) string {
	if d == 0 {
		return "—"
	}
	return p.Date(d.Time(wib))
}

// PctText formats a share (0–1, or -1 for none) for the page.
func (p Page) PctText(share float64) string {
	if share < 0 {
		return "–"
	}
	return chart.Percent.Format(share*100, p.Lang)
}

// DaysText formats working days (or -1 for none).
func (p Page) DaysText(n int) string {
	if n < 0 {
		return "–"
	}
	return chart.Count.Format(float64(n), p.Lang)
}

// ScoreText formats an IKM or index score (0 for none).
func (p Page) ScoreText(v float64, respondents int) string {
	if respondents == 0 {
		return "–"
	}
	return chart.Score.Format(v, p.Lang)
}

// ComponentText formats an index component's value (-1 for no data).
func (p Page) ComponentText(v float64) string {
	if v < 0 {
		return p.T("dash.no_data")
	}
	return chart.Number(v, 1, p.Lang)
}

// MonthLabel names a month briefly, such as "Nov 2026".
func (p Page) MonthLabel(m pendopo.Month) string {
	t, err := time.Parse("2006-01", string(m))
	if err != nil {
		return string(m)
	}
	if p.Lang == "en" {
		return t.Format("Jan 2006")
	}
	return []string{"Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des"}[t.Month()-1] + " " + t.Format("2006")
}

// Short cuts a label to 60 characters for a list of errors: a consent
// statement can run to a paragraph.
func (p Page) Short(label string) string {
	if r := []rune(label); len(r) > 60 {
		label = string(r[:57]) + "…"
	}
	return strings.TrimRight(label, ".")
}

// Score formats an index score with one decimal in the page's language:
// "78,8" in Indonesian, "78.8" in English, as every other figure.
func (p Page) Score(v float64) string { return chart.Number(v, 1, p.Lang) }
