// Package chart draws the charts of the public performance dashboards on
// the server, as accessible SVG that needs no script, each with a data
// table made from the same input (issue 6, item 3).
//
// New checks a Spec and lays the chart out once; a page template writes
// {{.Chart.SVG}} where the chart goes and renders .Chart.Table as a
// <table> beside it. As for the report map (internal/web/reportmap.go),
// the geometry is computed in Go, where tests can hold it to the numbers.
// Unlike the map, the markup comes from this package's own html/template
// and not from ui/templates: it is bound to that geometry (pattern ids,
// the order of layers, the legend), four kinds of chart would otherwise
// be four partials to keep in step, and the golden files under testdata
// then show exactly what a page gets. Every text still goes through
// html/template's contextual escaping; nothing is written into the markup
// by hand.
//
// Accessibility: the <svg> has role="img" and is labelled by its <title>
// and <desc>. Inside role="img" a screen reader does not read the parts,
// so each bar and point carries a <title> for pointer users, and the data
// table is the alternative for everyone else. Series differ by more than
// colour: bars by fill pattern (solid, stripes, dots, grid), lines by dash
// and marker shape, and every chart with more than one series has a
// legend. The colours come from the .chart rules of ui/static/pendopo.css,
// each at least 3:1 against the white background. The canvas is 360 units
// wide with 14-unit text and scales to the width of the page: on a 360 px
// phone, where the chart is about 328 px wide, text is 12.8 px.
//
// Values: a missing value is math.NaN(); it leaves a gap (no bar, a break
// in the line, "tidak ada data" in the table) and is never drawn as zero.
// Negative values are refused: the dashboards count, time and score, and
// none of these goes below zero, so every bar starts at zero. A line's axis
// may start higher when every value sits near the top (an IKM between 85
// and 90), which its tick labels show. Values above 10¹⁵ are refused too,
// as a float64 no longer holds them exactly.
package chart

import (
	"embed"
	"errors"
	"fmt"
	"hash/fnv"
	"html/template"
	"math"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Kind is the shape of a chart.
type Kind int

const (
	// Bars are vertical bars, one per category, grouped side by side
	// when there are several series: counts per month, per channel.
	Bars Kind = iota
	// Lines are one line per series over the categories, usually months:
	// an IKM score or the share of applications finished on time.
	Lines
	// HBars are horizontal bars of one series, each under its label, for
	// rankings and counts per category, whose Indonesian names are long.
	// The bars keep the order of Categories: a ranking is sorted by the
	// caller, who knows which way is better and how to break ties.
	HBars
	// Shares are horizontal bars of 100%, one per category, split into
	// the series' shares of the category's total: on time and late, say.
	Shares
)

// MaxSeries is the number of series a chart can tell apart by pattern,
// marker and colour.
const MaxSeries = 4

// maxValue is the largest value a float64 holds to the unit.
const maxValue = 1e15

// Spec is what a chart shows.
type Spec struct {
	Kind Kind
	// ID starts the ids of the chart's elements and must be unique in the
	// page; when empty it is made from the kind and the title.
	ID string
	// Title names the chart for screen readers and the table's caption;
	// it is required. The page shows its own heading.
	Title string
	// Description says in a sentence what the chart shows or what stands
	// out; screen readers read it after the title, followed by the kind of
	// chart and a pointer to the data table.
	Description string
	// CategoryLabel names what the categories are ("Bulan", "Perangkat
	// daerah"): under the axis of Bars and Lines, and the table's first
	// column header.
	CategoryLabel string
	// ValueLabel names what the values are ("Jumlah laporan", "Hari
	// kerja"); it is written above the chart.
	ValueLabel string
	Categories []string
	Series     []Series
	Unit       Unit
	// Refs are reference lines, such as a target or a legal limit. For
	// Shares their values are percentages of a category's total.
	Refs []Ref
	// Lang is "en" for English; anything else is Indonesian.
	Lang string
}

// Series is one named row of values, one value per category; math.NaN()
// marks a missing value.
type Series struct {
	Name   string
	Values []float64
}

// Ref is a reference line: a target IKM of 88,31, or a service standard
// of 5 working days.
type Ref struct {
	// Label is written beside the line ("Target 88,31").
	Label string
	Value float64
}

// Chart is a checked and laid-out Spec, ready to render as SVG and as a
// table.
type Chart struct {
	spec  Spec
	text  words
	empty bool
	g     geometry
}

// New checks s and lays it out. It fails on a chart that cannot be drawn
// truthfully: no title, an unknown kind, more than MaxSeries series (or
// more than one for HBars), a series whose values do not match the
// categories one to one, an unnamed series where a legend needs its
// name, or a negative, infinite or too large value, or a reference
// without a label. A chart without any value is not an error: it says so.
func New(s Spec) (*Chart, error) {
	s = cleanSpec(s)
	if err := check(s); err != nil {
		return nil, err
	}
	c := &Chart{spec: s, text: wordsFor(s.Lang), empty: true}
	for _, ser := range s.Series {
		for _, v := range ser.Values {
			if !math.IsNaN(v) {
				c.empty = false
			}
		}
	}
	c.layout()
	return c, nil
}

func check(s Spec) error {
	if s.Title == "" {
		return errors.New("chart: a chart needs a title")
	}
	fail := func(format string, args ...any) error {
		return fmt.Errorf("chart %q: "+format, append([]any{s.Title}, args...)...)
	}
	if s.Kind < Bars || s.Kind > Shares {
		return fail("unknown kind %d", s.Kind)
	}
	if s.Unit < Count || s.Unit > Score {
		return fail("unknown unit %d", s.Unit)
	}
	if len(s.Series) > MaxSeries {
		return fail("%d series, at most %d can be told apart", len(s.Series), MaxSeries)
	}
	if s.Kind == HBars && len(s.Series) > 1 {
		return fail("horizontal bars show one series, not %d", len(s.Series))
	}
	valid := func(v float64) bool { return v >= 0 && v <= maxValue }
	for _, ser := range s.Series {
		if len(ser.Values) != len(s.Categories) {
			return fail("series %q has %d values for %d categories", ser.Name, len(ser.Values), len(s.Categories))
		}
		if ser.Name == "" && (len(s.Series) > 1 || s.Kind == Shares) {
			return fail("a series without a name cannot be told apart in the legend")
		}
		for i, v := range ser.Values {
			if !math.IsNaN(v) && !valid(v) {
				return fail("series %q, %q: %v is not a value from 0 to 10¹⁵", ser.Name, s.Categories[i], v)
			}
		}
	}
	for _, r := range s.Refs {
		if r.Label == "" {
			return fail("a reference line without a label says nothing")
		}
		if !valid(r.Value) {
			return fail("reference %q: %v is not a value from 0 to 10¹⁵", r.Label, r.Value)
		}
	}
	return nil
}

// cleanSpec copies s with its texts made safe for XML (valid UTF-8,
// no control characters, single spaces) and its ID made a valid id.
func cleanSpec(s Spec) Spec {
	s.Title, s.Description = clean(s.Title), clean(s.Description)
	s.CategoryLabel, s.ValueLabel = clean(s.CategoryLabel), clean(s.ValueLabel)
	s.Categories = append([]string(nil), s.Categories...)
	for i := range s.Categories {
		s.Categories[i] = clean(s.Categories[i])
	}
	s.Series = append([]Series(nil), s.Series...)
	for i := range s.Series {
		s.Series[i].Name = clean(s.Series[i].Name)
	}
	s.Refs = append([]Ref(nil), s.Refs...)
	for i := range s.Refs {
		s.Refs[i].Label = clean(s.Refs[i].Label)
	}
	s.ID = cleanID(s.ID)
	if s.ID == "" {
		h := fnv.New32a()
		fmt.Fprintf(h, "%d %s", s.Kind, s.Title)
		s.ID = fmt.Sprintf("chart-%08x", h.Sum32())
	}
	if s.Lang != "en" {
		s.Lang = "id"
	}
	return s
}

// clean makes s fit for an XML text: XML 1.0 has no place for control
// characters or U+FFFE and U+FFFF, which html/template lets through.
func clean(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	s = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || r == '\uFFFE' || r == '\uFFFF' {
			return ' '
		}
		return r
	}, s)
	return strings.Join(strings.Fields(s), " ")
}

// cleanID keeps the letters, digits, "-" and "_" of id, and starts it
// with a letter.
func cleanID(id string) string {
	id = strings.Map(func(r rune) rune {
		if r < utf8.RuneSelf && (r == '-' || r == '_' || r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z') {
			return r
		}
		return -1
	}, id)
	if id != "" && !(id[0] >= 'a' && id[0] <= 'z' || id[0] >= 'A' && id[0] <= 'Z') {
		id = "chart-" + id
	}
	return id
}

// words are the chart's own texts in one language.
type words struct {
	NoData, Missing, Total, Category string
	// Kinds names each Kind; Outline is the sentence after the
	// description, with the kind, the numbers of categories and series.
	Kinds   [4]string
	Outline func(kind string, categories, series int) string
}

func wordsFor(lang string) words {
	if lang == "en" {
		return words{NoData: "No data yet", Missing: "no data", Total: "Total", Category: "Category",
			Kinds: [...]string{"Bar chart", "Line chart", "Horizontal bar chart", "Stacked bar chart of shares"},
			Outline: func(kind string, cats, series int) string {
				s := fmt.Sprintf("%s of %d categories", kind, cats)
				if series > 1 {
					s += fmt.Sprintf(" and %d series", series)
				}
				return s + "; the data is also in a table."
			}}
	}
	return words{NoData: "Belum ada data", Missing: "tidak ada data", Total: "Jumlah", Category: "Kategori",
		Kinds: [...]string{"Diagram batang", "Diagram garis", "Diagram batang mendatar", "Diagram batang bertumpuk persentase"},
		Outline: func(kind string, cats, series int) string {
			s := fmt.Sprintf("%s, %d kategori", kind, cats)
			if series > 1 {
				s += fmt.Sprintf(", %d seri", series)
			}
			return s + "; datanya juga tersedia dalam tabel."
		}}
}

// Empty reports whether the chart has no value at all, and so shows
// "Belum ada data" instead of an axis.
func (c *Chart) Empty() bool { return c.empty }

//go:embed chart.tmpl
var files embed.FS

// svgTemplate is parsed once, when the program starts: a broken template
// stops the portal before it serves a page.
var svgTemplate = template.Must(template.New("chart.tmpl").Funcs(template.FuncMap{
	"n": num,
}).ParseFS(files, "chart.tmpl"))

// SVG renders the chart as inline SVG for a page. Its error comes from
// executing the template, which only a bug in this package can cause; a
// page template that calls it fails cleanly.
func (c *Chart) SVG() (template.HTML, error) {
	var b strings.Builder
	if err := svgTemplate.Execute(&b, &c.g); err != nil {
		return "", fmt.Errorf("chart %q: %w", c.spec.Title, err)
	}
	return template.HTML(strings.TrimSuffix(b.String(), "\n")), nil
}

// Table is the chart's data as text: a caption, a header row and one row
// per category, every value formatted as in the chart. Pages render it
// as a <table> with <th scope="col"> for Corner and Columns and
// <th scope="row"> for each row's Label.
type Table struct {
	Caption string
	// Corner heads the column of row labels.
	Corner  string
	Columns []string
	Rows    []Row
	// Notes are the reference lines with their values ("Target: 88,31"),
	// for a line under the table.
	Notes []string
	// NoData is the text to show instead of the table when Rows is empty.
	NoData string
}

// Row is one category of a Table.
type Row struct {
	Label string
	Cells []string
}

// Table gives the chart's data table. It has no rows when the chart is
// empty; a missing value reads "tidak ada data". For Shares each cell
// holds the value and its share ("120 (80,0%)"), and a last column the
// category's total.
func (c *Chart) Table() Table {
	s := c.spec
	t := Table{Caption: s.Title, Corner: s.CategoryLabel, NoData: c.text.NoData}
	if t.Corner == "" {
		t.Corner = c.text.Category
	}
	for _, ser := range s.Series {
		name := ser.Name
		if name == "" {
			name = s.ValueLabel
		}
		if name == "" {
			name = s.Title
		}
		t.Columns = append(t.Columns, name)
	}
	if s.Kind == Shares {
		t.Columns = append(t.Columns, c.text.Total)
	}
	for _, r := range s.Refs {
		t.Notes = append(t.Notes, r.Label+": "+c.format(r.Value, s.Kind == Shares))
	}
	if c.empty {
		return t
	}
	for i, cat := range s.Categories {
		row := Row{Label: cat}
		total, complete := c.total(i)
		for _, ser := range s.Series {
			v := ser.Values[i]
			cell := c.format(v, false)
			if s.Kind == Shares && complete && total > 0 {
				cell += " (" + Percent.Format(v/total*100, s.Lang) + ")"
			}
			row.Cells = append(row.Cells, cell)
		}
		if s.Kind == Shares {
			if complete {
				row.Cells = append(row.Cells, c.format(total, false))
			} else {
				row.Cells = append(row.Cells, c.text.Missing)
			}
		}
		t.Rows = append(t.Rows, row)
	}
	return t
}

// format writes a value, or "tidak ada data" for a missing one; share
// writes it as a percentage whatever the unit.
func (c *Chart) format(v float64, share bool) string {
	switch {
	case math.IsNaN(v):
		return c.text.Missing
	case share:
		return Percent.Format(v, c.spec.Lang)
	}
	return c.spec.Unit.Format(v, c.spec.Lang)
}

// total is the sum of category i's values across the series; complete
// is false when one of them is missing, since shares of an unknown whole
// would mislead.
func (c *Chart) total(i int) (total float64, complete bool) {
	for _, ser := range c.spec.Series {
		v := ser.Values[i]
		if math.IsNaN(v) {
			return 0, false
		}
		total += v
	}
	return total, true
}
