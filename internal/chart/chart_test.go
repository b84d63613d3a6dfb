package chart

import (
	"bytes"
	"encoding/xml"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden SVG files in testdata")

var gap = math.NaN()

var months = []string{"Jul 2025", "Agu 2025", "Sep 2025", "Okt 2025", "Nov 2025", "Des 2025",
	"Jan 2026", "Feb 2026", "Mar 2026", "Apr 2026", "Mei 2026", "Jun 2026"}

// samples are one chart of each kind as a dashboard would show it, with a
// gap, a zero and long names among the data.
var samples = map[string]Spec{
	"bars": {
		Kind: Bars, ID: "laporan-bulanan", Title: "Laporan masuk dan selesai per bulan",
		Description:   "Laporan selesai mengikuti laporan masuk; data April belum direkap.",
		CategoryLabel: "Bulan", ValueLabel: "Jumlah laporan", Unit: Count,
		Categories: months[6:],
		Series: []Series{
			{Name: "Masuk", Values: []float64{1250, 980, 1432, gap, 1105, 0}},
			{Name: "Selesai", Values: []float64{1190, 1010, 1300, gap, 1004, 0}},
		},
	},
	"lines": {
		Kind: Lines, ID: "ikm", Title: "Indeks Kepuasan Masyarakat per bulan",
		Description:   "IKM kedua layanan di atas target sejak Januari 2026.",
		CategoryLabel: "Bulan", ValueLabel: "Nilai IKM", Unit: Score,
		Categories: months,
		Series: []Series{
			{Name: "Akta kelahiran", Values: []float64{86.2, 86.9, 87.4, gap, 88.1, 88.0, 88.9, 89.3, 89.1, 89.6, 90.2, 90.05}},
			{Name: "Izin usaha", Values: []float64{84.1, 84.9, 85.5, 86.0, 86.8, 87.9, 88.4, 88.6, gap, gap, 89.0, 89.4}},
		},
		Refs: []Ref{{Label: "Target 88,31", Value: 88.31}},
	},
	"hbars": {
		Kind: HBars, ID: "waktu-opd", Title: "Rata-rata waktu penyelesaian permohonan per perangkat daerah",
		ValueLabel: "Hari kerja", CategoryLabel: "Perangkat daerah", Unit: Days,
		Categories: []string{
			"Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu",
			"Dinas Kependudukan dan Pencatatan Sipil",
			"Dinas Pekerjaan Umum, Penataan Ruang, Perumahan dan Kawasan Permukiman serta Pertanahan Kabupaten",
			"Badan Pendapatan Daerah",
			"Kecamatan Semarang Tengah",
			"Dinas Sosial",
		},
		Series: []Series{{Name: "Rata-rata hari kerja", Values: []float64{7.4, 3.2, 12.75, gap, 0, 0.4}}},
		Refs:   []Ref{{Label: "Standar 5 hari kerja", Value: 5}},
	},
	"shares": {
		Kind: Shares, ID: "tepat-waktu", Title: "Permohonan selesai tepat waktu per layanan",
		Description: "Sebagian besar permohonan selesai dalam standar waktu layanan.",
		Unit:        Count, CategoryLabel: "Layanan",
		Categories: []string{"Akta kelahiran", "Kartu keluarga", "Izin mendirikan bangunan (PBG)", "Surat keterangan domisili", "Legalisir"},
		Series: []Series{
			{Name: "Tepat waktu", Values: []float64{412, 380, 21, 96, 0}},
			{Name: "Terlambat", Values: []float64{18, 41, 35, gap, 0}},
		},
		Refs: []Ref{{Label: "Target 90%", Value: 90}},
	},
	"empty": {
		Kind: Lines, ID: "kosong", Title: "IKM per bulan", Unit: Score,
		Categories: months[:3],
		Series:     []Series{{Name: "IKM", Values: []float64{gap, gap, gap}}},
	},
}

func render(t *testing.T, s Spec) (*Chart, string) {
	t.Helper()
	c, err := New(s)
	if err != nil {
		t.Fatal(err)
	}
	svg, err := c.SVG()
	if err != nil {
		t.Fatal(err)
	}
	wellFormed(t, string(svg))
	return c, string(svg)
}

// TestGolden keeps each kind of chart under review: a change to the
// layout or the markup shows up as a diff of testdata/*.svg. Run
// `go test ./internal/chart -update` after an intended change, and look
// at the files in a browser.
func TestGolden(t *testing.T) {
	for name, s := range samples {
		t.Run(name, func(t *testing.T) {
			_, svg := render(t, s)
			golden := filepath.Join("testdata", name+".svg")
			if *update {
				if err := os.WriteFile(golden, []byte(svg), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test ./internal/chart -update)", err)
			}
			if svg != string(want) {
				t.Errorf("%s differs; review the change and run go test ./internal/chart -update\n%s", golden, firstDiff(svg, string(want)))
			}
		})
	}
}

func firstDiff(got, want string) string {
	g, w := strings.Split(got, "\n"), strings.Split(want, "\n")
	for i := range min(len(g), len(w)) {
		if g[i] != w[i] {
			return fmt.Sprintf("line %d:\n got: %s\nwant: %s", i+1, g[i], w[i])
		}
	}
	return fmt.Sprintf("got %d lines, want %d", len(g), len(w))
}

// node is an element of a parsed SVG, enough to check what the markup
// says.
type node struct {
	Name     string
	Attr     map[string]string
	Text     string
	Children []*node
}

// parse reads svg with encoding/xml in strict mode: a chart must be
// well-formed XML, whatever its texts.
func parse(t *testing.T, svg string) *node {
	t.Helper()
	d := xml.NewDecoder(strings.NewReader(svg))
	d.Strict = true
	var stack []*node
	var root *node
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("not well-formed XML: %v\n%s", err, svg)
		}
		switch tok := tok.(type) {
		case xml.StartElement:
			n := &node{Name: tok.Name.Local, Attr: map[string]string{}}
			for _, a := range tok.Attr {
				n.Attr[a.Name.Local] = a.Value
			}
			if len(stack) > 0 {
				p := stack[len(stack)-1]
				p.Children = append(p.Children, n)
			} else if root != nil {
				t.Fatal("more than one root element")
			} else {
				root = n
			}
			stack = append(stack, n)
		case xml.EndElement:
			stack = stack[:len(stack)-1]
		case xml.CharData:
			if len(stack) > 0 {
				stack[len(stack)-1].Text += string(tok)
			}
		}
	}
	if root == nil || root.Name != "svg" {
		t.Fatalf("no <svg> root:\n%s", svg)
	}
	return root
}

func wellFormed(t *testing.T, svg string) { t.Helper(); parse(t, svg) }

// all lists n and its descendants, depth first.
func (n *node) all() []*node {
	out := []*node{n}
	for _, c := range n.Children {
		out = append(out, c.all()...)
	}
	return out
}

// title is the text of n's <title> child, if any.
func (n *node) title() string {
	for _, c := range n.Children {
		if c.Name == "title" {
			return c.Text
		}
	}
	return ""
}

// text is the visible text of a <text>, its lines joined by spaces.
func (n *node) text() string {
	if len(n.Children) == 0 || n.Children[0].Name == "title" && len(n.Children) == 1 {
		return n.Text
	}
	var lines []string
	for _, c := range n.Children {
		if c.Name == "tspan" {
			lines = append(lines, c.Text)
		}
	}
	if len(lines) == 0 {
		return n.Text
	}
	return strings.Join(lines, " ")
}

func (n *node) class(c string) bool { return strings.Contains(" "+n.Attr["class"]+" ", " "+c+" ") }

func (n *node) num(t *testing.T, attr string) float64 {
	t.Helper()
	v, err := strconv.ParseFloat(n.Attr[attr], 64)
	if err != nil {
		t.Fatalf("<%s %s=%q>: %v", n.Name, attr, n.Attr[attr], err)
	}
	return v
}

// TestAccessible checks what every chart owes a reader who cannot see
// it or cannot tell colours apart.
func TestAccessible(t *testing.T) {
	for name, s := range samples {
		t.Run(name, func(t *testing.T) {
			_, svg := render(t, s)
			root := parse(t, svg)
			if root.Attr["role"] != "img" {
				t.Errorf("role = %q, want img", root.Attr["role"])
			}
			if root.Attr["width"] != "100%" || !regexp.MustCompile(`^0 0 [0-9.]+ [0-9.]+$`).MatchString(root.Attr["viewBox"]) {
				t.Errorf("the chart does not scale: width=%q viewBox=%q", root.Attr["width"], root.Attr["viewBox"])
			}
			if size, _ := strconv.ParseFloat(root.Attr["font-size"], 64); size < 14 {
				t.Errorf("font-size %q: under 12 px on a 360 px phone", root.Attr["font-size"])
			}
			ids := map[string]*node{}
			for _, n := range root.all() {
				if id := n.Attr["id"]; id != "" {
					if ids[id] != nil {
						t.Errorf("id %q twice", id)
					}
					ids[id] = n
				}
			}
			labelledBy := strings.Fields(root.Attr["aria-labelledby"])
			if len(labelledBy) == 0 {
				t.Fatal("no aria-labelledby")
			}
			var names []string
			for _, id := range labelledBy {
				n := ids[id]
				if n == nil {
					t.Fatalf("aria-labelledby points at no element %q", id)
				}
				names = append(names, n.Name)
				if strings.TrimSpace(n.Text) == "" {
					t.Errorf("<%s id=%q> is empty", n.Name, id)
				}
			}
			if names[0] != "title" || ids[labelledBy[0]].Text != s.Title {
				t.Errorf("labelled by %v, want the <title> with the chart's title first", names)
			}
			if len(names) != 2 || names[1] != "desc" {
				t.Errorf("labelled by %v, want a <title> and a <desc>", names)
			}
			bars, points := 0, 0
			for _, n := range root.all() {
				switch {
				case n.Name == "rect" && n.class("bar") && n.title() == "":
					// Legend swatches have no title; they have no value.
					continue
				case n.Name == "rect" && n.class("bar"):
					bars++
					if !strings.Contains(n.title(), ": ") {
						t.Errorf("bar title %q has no label and value", n.title())
					}
				case n.Name == "path" && n.class("mark") && n.title() != "":
					points++
				}
				if n.Name == "pattern" && n.Attr["patternUnits"] != "userSpaceOnUse" {
					t.Errorf("pattern %s scales with its bar", n.Attr["id"])
				}
				if c := n.Attr["fill"]; c != "" && !strings.HasPrefix(c, "url(#") {
					t.Errorf("<%s> has fill %q: colours belong in the stylesheet", n.Name, c)
				}
			}
			present := 0
			for _, ser := range s.Series {
				for _, v := range ser.Values {
					if !math.IsNaN(v) && (s.Kind != Shares || v > 0) {
						present++
					}
				}
			}
			switch s.Kind {
			case Lines:
				if points != present {
					t.Errorf("%d points with a title, want %d", points, present)
				}
			case Bars, HBars:
				if bars != present {
					t.Errorf("%d bars with a title, want %d", bars, present)
				}
			}
		})
	}
}

// TestSeriesApartWithoutColour checks that two series never differ by
// colour alone: each has its own fill pattern or marker and dash.
func TestSeriesApartWithoutColour(t *testing.T) {
	seen := map[string]bool{}
	for i, st := range styles {
		key := st.shape + "|" + st.dash + "|" + st.mark(0, 0)
		if seen[key] {
			t.Errorf("series %d looks like an earlier one", i)
		}
		seen[key] = true
	}
	_, svg := render(t, samples["bars"])
	root := parse(t, svg)
	fills := map[string]bool{}
	for _, n := range root.all() {
		if n.Name == "rect" && n.class("bar") && n.title() != "" {
			fills[n.Attr["class"]+" "+n.Attr["fill"]] = true
		}
	}
	if len(fills) != 2 {
		t.Errorf("the two series' bars look alike: %v", fills)
	}
}

// TestEscaping feeds markup and control characters through every text
// of a chart: they come out as text, and the SVG stays well-formed.
func TestEscaping(t *testing.T) {
	const evil = `<script>&"'</script>`
	for _, kind := range []Kind{Bars, Lines, HBars, Shares} {
		s := Spec{
			Kind: kind, ID: `x" onload="alert(1)`, Title: evil + "\x01", Description: evil,
			CategoryLabel: evil, ValueLabel: evil, Categories: []string{evil, "b\x00c"},
			Series: []Series{{Name: evil, Values: []float64{1, 2}}}, Refs: []Ref{{Label: evil, Value: 1}},
		}
		c, svg := render(t, s)
		if strings.Contains(svg, "<script") || strings.Contains(svg, "onload=") {
			t.Errorf("kind %d: markup got through:\n%s", kind, svg)
		}
		if !strings.Contains(svg, "&lt;script&gt;&amp;&#34;&#39;&lt;/script&gt;") {
			t.Errorf("kind %d: the label is not escaped as expected:\n%s", kind, svg)
		}
		root := parse(t, svg)
		var found bool
		for _, n := range root.all() {
			if n.Name == "title" && n.Text == evil {
				found = true
			}
		}
		if !found {
			t.Errorf("kind %d: no <title> reads %q after parsing", kind, evil)
		}
		if tb := c.Table(); tb.Rows[1].Label != "b c" || tb.Caption != evil {
			t.Errorf("kind %d: table texts %q, %q", kind, tb.Rows[1].Label, tb.Caption)
		}
	}
}

// TestBarGeometry checks that bars stand on the axis, inside the canvas,
// with heights in proportion to their values.
func TestBarGeometry(t *testing.T) {
	cases := map[string][]float64{
		"counts": {10, 20, 40, 5},
		"large":  {2e12, 1e12, 4.5e11, 1.2e14},
		"small":  {0.002, 0.001, 0.0035, 0.0005},
		"single": {42},
	}
	for name, vals := range cases {
		t.Run(name, func(t *testing.T) {
			cats := make([]string, len(vals))
			for i := range cats {
				cats[i] = fmt.Sprintf("Kategori %d", i+1)
			}
			c, svg := render(t, Spec{Kind: Bars, Title: name, Categories: cats, Unit: Score,
				Series: []Series{{Name: "Nilai", Values: vals}}})
			var bars []*node
			for _, n := range parse(t, svg).all() {
				if n.Name == "rect" && n.class("bar") {
					bars = append(bars, n)
				}
			}
			if len(bars) != len(vals) {
				t.Fatalf("%d bars for %d values", len(bars), len(vals))
			}
			bottom := bars[0].num(t, "y") + bars[0].num(t, "height")
			for i, b := range bars {
				x, y, w, h := b.num(t, "x"), b.num(t, "y"), b.num(t, "width"), b.num(t, "height")
				if x < 0 || y < 0 || x+w > c.g.W || y+h > c.g.H || w <= 0 {
					t.Errorf("bar %d (%v,%v %v×%v) leaves the %v×%v canvas", i, x, y, w, h, c.g.W, c.g.H)
				}
				if math.Abs(y+h-bottom) > 0.11 {
					t.Errorf("bar %d ends at %v, not on the axis at %v", i, y+h, bottom)
				}
				// Heights are rounded to a tenth of a unit.
				// A bar too short to see is a hairline.
				want := math.Max(bars[0].num(t, "height")*vals[i]/vals[0], 1)
				if math.Abs(h-want) > 0.2 {
					t.Errorf("bar %d is %v high, want %v (%v against %v)", i, h, want, vals[i], vals[0])
				}
				if !strings.HasPrefix(b.title(), cats[i]+": ") {
					t.Errorf("bar %d title %q", i, b.title())
				}
			}
			if len(vals) == 1 && bars[0].num(t, "width") > 40 {
				t.Errorf("a single bar is %v wide", bars[0].num(t, "width"))
			}
		})
	}
}

// TestHBarGeometry checks that horizontal bars start at the left edge
// with lengths in proportion, long names are wrapped or shortened with
// the whole name kept, and no text leaves the canvas.
func TestHBarGeometry(t *testing.T) {
	s := samples["hbars"]
	c, svg := render(t, s)
	root := parse(t, svg)
	vals := s.Series[0].Values
	var bars []*node
	for _, n := range root.all() {
		if n.Name == "rect" && n.class("bar") {
			bars = append(bars, n)
		}
	}
	if len(bars) != 5 { // one value is missing
		t.Fatalf("%d bars", len(bars))
	}
	first := bars[0].num(t, "width")
	j := 0
	for i, v := range vals {
		if math.IsNaN(v) {
			continue
		}
		b := bars[j]
		j++
		if b.num(t, "x") != padLeft || b.num(t, "x")+b.num(t, "width") > c.g.W {
			t.Errorf("bar %d at x=%v, %v wide", i, b.num(t, "x"), b.num(t, "width"))
		}
		want := math.Max(first*v/vals[0], 1)
		if math.Abs(b.num(t, "width")-want) > 0.2 {
			t.Errorf("bar %d is %v long, want %v", i, b.num(t, "width"), want)
		}
	}
	var shortened bool
	for _, n := range root.all() {
		if n.Name != "text" {
			continue
		}
		w := 0.0
		for _, line := range strings.Split(n.text(), "\n") {
			w = math.Max(w, textWidth(line))
		}
		x := n.num(t, "x")
		lo, hi := x, x+w
		switch n.Attr["text-anchor"] {
		case "middle":
			lo, hi = x-w/2, x+w/2
		case "end":
			lo, hi = x-w, x
		}
		for _, c := range n.Children {
			if c.Name == "tspan" {
				lo, hi = x, x+textWidth(c.Text)
			}
		}
		if lo < 0 || hi > c.g.W {
			t.Errorf("text %q spans %v..%v on a canvas %v wide", n.text(), lo, hi, c.g.W)
		}
		if strings.HasSuffix(n.text(), "…") {
			shortened = true
			if n.title() != s.Categories[2] {
				t.Errorf("shortened label %q has title %q, want the whole name", n.text(), n.title())
			}
		}
	}
	if !shortened {
		t.Error("the longest name was neither shortened nor given a title")
	}
	var wrapped bool
	for _, n := range root.all() {
		if n.Name == "text" && n.class("cat") && n.text() == s.Categories[0] && len(n.Children) == 2 {
			wrapped = true
		}
	}
	if !wrapped {
		t.Errorf("%q is not on two whole lines", s.Categories[0])
	}
}

// TestZeroData checks that a chart without any value says so, in the
// picture, to screen readers and instead of the table.
func TestZeroData(t *testing.T) {
	cases := map[string]Spec{
		"no categories": {Kind: Bars, Title: "Laporan"},
		"no series":     {Kind: Lines, Title: "IKM", Categories: months},
		"all missing":   samples["empty"],
		"english":       {Kind: Shares, Title: "On time", Categories: []string{"A"}, Lang: "en", Series: []Series{{Name: "x", Values: []float64{gap}}}},
	}
	for name, s := range cases {
		t.Run(name, func(t *testing.T) {
			c, svg := render(t, s)
			want := "Belum ada data"
			if s.Lang == "en" {
				want = "No data yet"
			}
			if !c.Empty() {
				t.Error("not empty")
			}
			root := parse(t, svg)
			var visible, described bool
			for _, n := range root.all() {
				if n.Name == "text" && n.text() == want {
					visible = true
				}
				if n.Name == "desc" && strings.Contains(n.Text, want) {
					described = true
				}
				if n.Name == "line" || n.class("bar") {
					t.Errorf("an empty chart draws <%s class=%q>", n.Name, n.Attr["class"])
				}
			}
			if !visible || !described {
				t.Errorf("%q shown: %v, in the description: %v\n%s", want, visible, described, svg)
			}
			if tb := c.Table(); len(tb.Rows) != 0 || tb.NoData != want {
				t.Errorf("table of an empty chart: %+v", tb)
			}
		})
	}
}

// TestAllZeros checks that zeros are data: an axis from zero, hairline
// bars with their titles, and no "no data" message.
func TestAllZeros(t *testing.T) {
	c, svg := render(t, Spec{Kind: Bars, Title: "Pengaduan", Unit: Count, Categories: months[:3],
		Series: []Series{{Name: "Pengaduan", Values: []float64{0, 0, 0}}}})
	if c.Empty() || strings.Contains(svg, "Belum ada data") {
		t.Fatal("zeros shown as no data")
	}
	root := parse(t, svg)
	var ticks []string
	bars := 0
	for _, n := range root.all() {
		if n.Name == "text" && n.class("tick") {
			ticks = append(ticks, n.text())
		}
		if n.Name == "rect" && n.class("bar") {
			bars++
			if h := n.num(t, "height"); h <= 0 || h > 1 {
				t.Errorf("a zero bar is %v high", h)
			}
			if !strings.HasSuffix(n.title(), ": 0") {
				t.Errorf("zero bar title %q", n.title())
			}
		}
	}
	if bars != 3 {
		t.Errorf("%d bars", bars)
	}
	if strings.Join(ticks, " ") != "0 1 2 3 4 5" {
		t.Errorf("ticks %q", ticks)
	}
}

// TestGaps checks that a missing value is a gap, not a zero: no bar, a
// broken line, "tidak ada data" in the table.
func TestGaps(t *testing.T) {
	t.Run("line", func(t *testing.T) {
		c, svg := render(t, Spec{Kind: Lines, Title: "IKM", Unit: Score, Categories: months[:6],
			Series: []Series{{Name: "IKM", Values: []float64{80, 82, gap, 84, gap, 85}}}})
		root := parse(t, svg)
		var d string
		points := 0
		for _, n := range root.all() {
			if n.Name == "path" && n.class("line") {
				d = n.Attr["d"]
			}
			if n.Name == "path" && n.class("mark") {
				points++
			}
		}
		// Three runs: Jul–Agu, Okt alone, Des alone.
		if got := strings.Count(d, "M"); got != 3 || strings.Count(d, "L") != 1 {
			t.Errorf("line %q: want 3 runs and 1 joined segment", d)
		}
		if points != 4 {
			t.Errorf("%d points, want 4", points)
		}
		rows := c.Table().Rows
		if rows[2].Cells[0] != "tidak ada data" || rows[3].Cells[0] != "84,00" {
			t.Errorf("table rows %v", rows)
		}
	})
	t.Run("bars", func(t *testing.T) {
		s := samples["bars"]
		c, svg := render(t, s)
		root := parse(t, svg)
		var missing []string
		for _, n := range root.all() {
			if n.class("bar") && strings.HasPrefix(n.title(), "Apr") {
				t.Errorf("a bar for a missing value: %q", n.title())
			}
			if n.Name == "text" && n.class("none") {
				missing = append(missing, n.title())
			}
		}
		want := []string{"Apr 2026, Masuk: tidak ada data", "Apr 2026, Selesai: tidak ada data"}
		if strings.Join(missing, "|") != strings.Join(want, "|") {
			t.Errorf("missing marks %q, want %q", missing, want)
		}
		if got := c.Table().Rows[3].Cells; got[0] != "tidak ada data" || got[1] != "tidak ada data" {
			t.Errorf("table row %v", got)
		}
	})
	t.Run("shares", func(t *testing.T) {
		c, _ := render(t, samples["shares"])
		tb := c.Table()
		if got := strings.Join(tb.Rows[3].Cells, "|"); got != "96|tidak ada data|tidak ada data" {
			t.Errorf("a row with a missing share: %q", got)
		}
		if got := strings.Join(tb.Rows[0].Cells, "|"); got != "412 (95,8%)|18 (4,2%)|430" {
			t.Errorf("a complete row: %q", got)
		}
	})
}

// TestSinglePoint checks that a line over one month still shows its
// point, in the middle.
func TestSinglePoint(t *testing.T) {
	c, svg := render(t, Spec{Kind: Lines, Title: "IKM", Unit: Score, Categories: months[:1],
		Series: []Series{{Name: "IKM", Values: []float64{88.31}}}})
	var marks []*node
	for _, n := range parse(t, svg).all() {
		if n.Name == "path" && n.class("mark") {
			marks = append(marks, n)
		}
	}
	if len(marks) != 1 || marks[0].title() != "Jul 2025: 88,31" {
		t.Fatalf("points %v", marks)
	}
	var x float64
	fmt.Sscanf(marks[0].Attr["d"], "M%f", &x)
	if x += 4.5; x < c.g.W*0.4 || x > c.g.W*0.7 {
		t.Errorf("the point is at x=%v", x)
	}
}

func TestTable(t *testing.T) {
	c, _ := render(t, samples["lines"])
	tb := c.Table()
	if tb.Caption != samples["lines"].Title || tb.Corner != "Bulan" {
		t.Errorf("caption %q, corner %q", tb.Caption, tb.Corner)
	}
	if strings.Join(tb.Columns, "|") != "Akta kelahiran|Izin usaha" {
		t.Errorf("columns %q", tb.Columns)
	}
	if len(tb.Rows) != 12 || tb.Rows[11].Label != "Jun 2026" || strings.Join(tb.Rows[11].Cells, "|") != "90,05|89,40" {
		t.Errorf("last row %+v of %d", tb.Rows[len(tb.Rows)-1], len(tb.Rows))
	}
	if strings.Join(tb.Notes, "|") != "Target 88,31: 88,31" {
		t.Errorf("notes %q", tb.Notes)
	}
	en := samples["shares"]
	en.Lang = "en"
	c, _ = render(t, en)
	tb = c.Table()
	if tb.Columns[2] != "Total" || tb.Rows[0].Cells[0] != "412 (95.8%)" || tb.Notes[0] != "Target 90%: 90.0%" {
		t.Errorf("English shares table %+v", tb)
	}
}

func TestNewRefuses(t *testing.T) {
	ok := func() Spec {
		return Spec{Kind: Bars, Title: "Laporan", Categories: []string{"A", "B"},
			Series: []Series{{Name: "x", Values: []float64{1, 2}}}}
	}
	cases := map[string]func(*Spec){
		"no title":          func(s *Spec) { s.Title = " \x00 " },
		"unknown kind":      func(s *Spec) { s.Kind = 9 },
		"unknown unit":      func(s *Spec) { s.Unit = -1 },
		"negative":          func(s *Spec) { s.Series[0].Values[1] = -1 },
		"infinite":          func(s *Spec) { s.Series[0].Values[0] = math.Inf(1) },
		"too large":         func(s *Spec) { s.Series[0].Values[0] = 2e15 },
		"short series":      func(s *Spec) { s.Series[0].Values = s.Series[0].Values[:1] },
		"negative ref":      func(s *Spec) { s.Refs = []Ref{{Label: "x", Value: -2}} },
		"NaN ref":           func(s *Spec) { s.Refs = []Ref{{Label: "x", Value: gap}} },
		"unlabelled ref":    func(s *Spec) { s.Refs = []Ref{{Value: 1}} },
		"too many series":   func(s *Spec) { s.Series = make([]Series, MaxSeries+1) },
		"unnamed series":    func(s *Spec) { s.Series = append(s.Series, Series{Values: []float64{1, 1}}) },
		"two series, hbars": func(s *Spec) { s.Kind = HBars; s.Series = append(s.Series, Series{Name: "y", Values: []float64{1, 1}}) },
	}
	if _, err := New(ok()); err != nil {
		t.Fatal(err)
	}
	for name, change := range cases {
		s := ok()
		change(&s)
		if _, err := New(s); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
}

// TestNewKeepsInput checks that New copies what it cleans: the caller's
// slices are not changed behind its back.
func TestNewKeepsInput(t *testing.T) {
	cats := []string{"a\x01b"}
	if _, err := New(Spec{Title: "x", Categories: cats, Series: []Series{{Name: "n", Values: []float64{1}}}}); err != nil {
		t.Fatal(err)
	}
	if cats[0] != "a\x01b" {
		t.Errorf("categories changed to %q", cats)
	}
}

func TestIDs(t *testing.T) {
	for in, want := range map[string]string{"ikm-2026": "ikm-2026", "2026": "chart-2026", `a"b<c`: "abc"} {
		if got := cleanID(in); got != want {
			t.Errorf("cleanID(%q) = %q, want %q", in, got, want)
		}
	}
	a, _ := New(Spec{Title: "IKM"})
	b, _ := New(Spec{Title: "Laporan"})
	if a.g.ID == b.g.ID || !strings.HasPrefix(a.g.ID, "chart-") {
		t.Errorf("ids %q and %q", a.g.ID, b.g.ID)
	}
}

func TestWrap(t *testing.T) {
	lines, cut := wrap("Dinas Kependudukan dan Pencatatan Sipil", 200, 2)
	if cut || len(lines) != 2 || strings.Join(lines, " ") != "Dinas Kependudukan dan Pencatatan Sipil" {
		t.Errorf("wrap = %q, %v", lines, cut)
	}
	lines, cut = wrap("Dinas Pekerjaan Umum, Penataan Ruang, Perumahan dan Kawasan Permukiman serta Pertanahan", 200, 2)
	if !cut || len(lines) != 2 || !strings.HasSuffix(lines[1], "…") {
		t.Errorf("wrap = %q, %v", lines, cut)
	}
	for _, l := range lines {
		if textWidth(l) > 200 {
			t.Errorf("line %q is wider than 200", l)
		}
	}
	if lines, cut := wrap("Jan 2026", 96, 2); cut || strings.Join(lines, "|") != "Jan 2026" {
		t.Errorf("wrap = %q, %v", lines, cut)
	}
}

// TestManyCategories checks that labels that cannot all fit are thinned
// evenly rather than drawn over one another.
func TestManyCategories(t *testing.T) {
	cats := make([]string, 36)
	vals := make([]float64, 36)
	for i := range cats {
		cats[i] = months[i%12]
		vals[i] = float64(i)
	}
	_, svg := render(t, Spec{Kind: Lines, Title: "x", Categories: cats, Series: []Series{{Name: "x", Values: vals}}})
	var xs []float64
	for _, n := range parse(t, svg).all() {
		if n.Name == "text" && n.class("cat") {
			xs = append(xs, n.num(t, "x"))
		}
	}
	if len(xs) < 3 || len(xs) >= 36 {
		t.Fatalf("%d labels for 36 months", len(xs))
	}
	for i := 1; i < len(xs); i++ {
		if xs[i]-xs[i-1] < textWidth("Agu 2025") {
			t.Errorf("labels %d and %d are %v apart", i-1, i, xs[i]-xs[i-1])
		}
	}
}

// TestReproducible renders the same chart twice: pages are cached by
// content, so the same data must give the same bytes.
func TestReproducible(t *testing.T) {
	_, a := render(t, samples["shares"])
	_, b := render(t, samples["shares"])
	if !bytes.Equal([]byte(a), []byte(b)) {
		t.Error("two renderings differ")
	}
}

// TestMissingSeries checks that a series with no value at all among
// others draws no line, only its legend entry and "tidak ada data" cells.
func TestMissingSeries(t *testing.T) {
	c, svg := render(t, Spec{Kind: Lines, Title: "IKM", Unit: Score, Categories: months[:2], Series: []Series{
		{Name: "A", Values: []float64{80, 81}}, {Name: "B", Values: []float64{gap, gap}}}})
	if strings.Contains(svg, `d=""`) || strings.Count(svg, `class="line k1"`) != 1 { // the legend's
		t.Errorf("a line for a series without values:\n%s", svg)
	}
	if got := c.Table().Rows[0].Cells[1]; got != "tidak ada data" {
		t.Errorf("cell %q", got)
	}
}
