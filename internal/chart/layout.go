package chart

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"unicode"
)

// The canvas, in SVG units. It is narrow so that text keeps its size on a
// phone, where the chart is shown at about the canvas's width.
const (
	width    = 360.0
	fontSize = 14.0
	lineStep = 17.0 // from one line of text to the next
	padLeft  = 4.0
	padRight = 8.0
	plotH    = 180.0 // height of the plot of Bars and Lines
	barH     = 18.0  // thickness of HBars
	shareH   = 22.0  // thickness of Shares
)

// geometry is what the SVG template draws, back to front: patterns, grid,
// rectangles (bars and swatches), lines (axes, references), paths (data
// lines, then markers) and texts.
type geometry struct {
	ID, Class, Title, Desc string
	W, H                   float64
	Patterns               []pattern
	Grid                   []segment
	Rects                  []rect
	Lines                  []segment
	Paths                  []path
	Texts                  []text
}

// pattern is the fill of a series other than the first: Shape is
// "stripes", "dots" or "grid", drawn in the series' colour class.
type pattern struct{ ID, Shape, Class string }

type segment struct {
	X1, Y1, X2, Y2     float64
	Class, Dash, Title string
}

type rect struct {
	X, Y, W, H float64
	// Fill is a pattern's url(#id); empty for a fill from the class.
	Class, Fill, Title string
}

type path struct{ D, Class, Dash, Title string }

type text struct {
	X, Y float64
	// Anchor is the text-anchor: "start", "middle" or "end".
	Anchor, Class, Title string
	// Lines are the lines of a wrapped label, lineStep apart.
	Lines []string
}

// seriesStyle is how series i is told apart besides colour.
type seriesStyle struct {
	shape string // pattern; "" for solid
	dash  string // stroke-dasharray of its line
	mark  func(x, y float64) string
}

var styles = [MaxSeries]seriesStyle{
	{"", "", circle},
	{"stripes", "7 4", square},
	{"dots", "2 3", triangle},
	{"grid", "9 3 2 3", diamond},
}

func circle(x, y float64) string {
	return fmt.Sprintf("M%s %sa4.5 4.5 0 1 0 9 0a4.5 4.5 0 1 0 -9 0Z", num(x-4.5), num(y))
}
func square(x, y float64) string { return fmt.Sprintf("M%s %sh8v8h-8Z", num(x-4), num(y-4)) }
func triangle(x, y float64) string {
	return fmt.Sprintf("M%s %sl5.5 9.5h-11Z", num(x), num(y-6))
}
func diamond(x, y float64) string {
	return fmt.Sprintf("M%s %sl5.5 5.5l-5.5 5.5l-5.5 -5.5Z", num(x), num(y-5.5))
}

// num writes a coordinate to a tenth of a unit, finer than any screen.
func num(v float64) string { return strconv.FormatFloat(r1(v), 'f', -1, 64) }

// r1 rounds v to a tenth, without a negative zero.
func r1(v float64) float64 {
	v = math.Round(v*10) / 10
	if v == 0 {
		return 0
	}
	return v
}

// fill gives the class and fill of a bar of series i: solid in its
// colour, or its pattern with an outline in its colour, so that the
// bar's edge has the colour's contrast whatever the pattern.
func (c *Chart) fill(i int) (class, fill string) {
	if styles[i].shape == "" {
		return fmt.Sprintf("bar f%d k%d", i, i), ""
	}
	return fmt.Sprintf("bar k%d", i), fmt.Sprintf("url(#%s-p%d)", c.spec.ID, i)
}

func (c *Chart) layout() {
	s := c.spec
	c.g = geometry{ID: s.ID, Title: s.Title, Desc: s.Description, W: width,
		Class: "chart chart-" + [...]string{"bars", "lines", "hbars", "shares"}[s.Kind]}
	if c.empty {
		// The description also says there is nothing yet: the visible
		// text is inside role="img" and is not read.
		c.g.Desc = strings.TrimSpace(c.g.Desc + " " + c.text.NoData + ".")
		c.g.Class += " chart-empty"
		c.g.H = 96
		c.g.Rects = append(c.g.Rects, rect{X: padLeft, Y: 4, W: width - padLeft - padRight, H: 88, Class: "frame"})
		c.g.Texts = append(c.g.Texts, text{X: width / 2, Y: 53, Anchor: "middle", Class: "none", Lines: []string{c.text.NoData}})
		return
	}
	// The description ends by saying what kind of chart this is and that
	// its data is in the table, which the page renders beside it.
	c.g.Desc = strings.TrimSpace(c.g.Desc + " " + c.text.Outline(c.text.Kinds[s.Kind], len(s.Categories), len(s.Series)))
	if s.Kind != Lines {
		for i := range s.Series {
			if sh := styles[i].shape; sh != "" {
				c.g.Patterns = append(c.g.Patterns, pattern{ID: fmt.Sprintf("%s-p%d", s.ID, i), Shape: sh, Class: fmt.Sprintf("f%d", i)})
			}
		}
	}
	switch s.Kind {
	case Bars, Lines:
		c.layoutColumns()
	case HBars, Shares:
		c.layoutRows()
	}
}

// title is a bar's or point's tooltip: "Jan 2026: 87,5%", with the series
// when there are several.
func (c *Chart) title(cat string, series int, value string) string {
	if len(c.spec.Series) > 1 {
		cat += ", " + c.spec.Series[series].Name
	}
	return cat + ": " + value
}

// legend lays out the series' names with their swatches from y down,
// wrapping to new rows, and returns the y below it.
func (c *Chart) legend(y float64) float64 {
	x := padLeft
	for i, ser := range c.spec.Series {
		name, cut := truncate(ser.Name, width-padLeft-padRight-26)
		w := 26 + textWidth(name)
		if x > padLeft && x+w > width-padRight {
			x, y = padLeft, y+22
		}
		if c.spec.Kind == Lines {
			c.g.Lines = append(c.g.Lines, segment{X1: x, Y1: y + 10, X2: x + 20, Y2: y + 10, Class: fmt.Sprintf("line k%d", i), Dash: styles[i].dash})
			c.g.Paths = append(c.g.Paths, path{D: styles[i].mark(x+10, y+10), Class: fmt.Sprintf("mark f%d", i)})
		} else {
			class, fill := c.fill(i)
			c.g.Rects = append(c.g.Rects, rect{X: x + 1, Y: y + 3, W: 18, H: 14, Class: class, Fill: fill})
		}
		t := text{X: x + 26, Y: y + 15, Anchor: "start", Class: "legend", Lines: []string{name}}
		if cut {
			t.Title = ser.Name
		}
		c.g.Texts = append(c.g.Texts, t)
		x += w + 14
	}
	return y + 26
}

// valueRange is the smallest and largest value and reference.
func (c *Chart) valueRange() (lo, hi float64) {
	lo, hi = math.Inf(1), 0
	for _, ser := range c.spec.Series {
		for _, v := range ser.Values {
			if !math.IsNaN(v) {
				lo, hi = math.Min(lo, v), math.Max(hi, v)
			}
		}
	}
	for _, r := range c.spec.Refs {
		lo, hi = math.Min(lo, r.Value), math.Max(hi, r.Value)
	}
	return lo, hi
}

// layoutColumns lays out Bars and Lines: categories along the bottom,
// values up a round-stepped axis.
func (c *Chart) layoutColumns() {
	s, g := c.spec, &c.g
	y := 4.0
	if len(s.Series) > 1 {
		y = c.legend(y)
	}
	if s.ValueLabel != "" {
		c.label(padLeft, y+14, "start", "axis", s.ValueLabel, width-padLeft-padRight)
		y += 22
	}
	lo, hi := c.valueRange()
	// Bars start at zero, or their lengths would lie. A line may start
	// higher when all its values sit near the top, as spreadsheets do:
	// an IKM between 85 and 90 would otherwise be a flat line.
	if s.Kind == Bars || lo <= hi*5/6 {
		lo = 0
	}
	sc := niceScale(lo, hi, s.Unit.whole())
	ticks := sc.Ticks()
	left := 0.0
	var tickLabels []string
	for _, t := range ticks {
		l := s.Unit.tickLabel(t, sc, s.Lang)
		tickLabels = append(tickLabels, l)
		left = math.Max(left, textWidth(l))
	}
	left += padLeft + 6
	right := width - padRight
	top := y + 8
	bottom := top + plotH
	yOf := func(v float64) float64 { return bottom - (v-sc.Min)/(sc.Max-sc.Min)*plotH }
	for i, t := range ticks {
		ty := r1(yOf(t))
		if i > 0 {
			g.Grid = append(g.Grid, segment{X1: left, Y1: ty, X2: right, Y2: ty, Class: "grid"})
		}
		g.Texts = append(g.Texts, text{X: left - 6, Y: r1(ty + 5), Anchor: "end", Class: "tick", Lines: []string{tickLabels[i]}})
	}
	g.Lines = append(g.Lines, segment{X1: left, Y1: bottom, X2: right, Y2: bottom, Class: "base"})

	n := len(s.Categories)
	slot := (right - left) / float64(n)
	catY := c.categoryLabels(left, slot, bottom)

	if s.Kind == Bars {
		ns := float64(len(s.Series))
		groupW := math.Min(slot*0.8, ns*32)
		barW := groupW / ns
		for i, cat := range s.Categories {
			for si, ser := range s.Series {
				v := ser.Values[i]
				x := left + slot*float64(i) + (slot-groupW)/2 + barW*float64(si)
				w := barW
				if ns > 1 {
					// A gap between a group's bars, so that two solid
					// neighbours do not merge.
					x, w = x+1, w-2
				}
				if math.IsNaN(v) {
					g.Texts = append(g.Texts, text{X: r1(x + w/2), Y: bottom - 5, Anchor: "middle", Class: "none",
						Title: c.title(cat, si, c.text.Missing), Lines: []string{"–"}})
					continue
				}
				h := bottom - yOf(v)
				// A zero is a hairline, so that it reads as zero and not
				// as missing.
				h = math.Max(h, 1)
				class, fill := c.fill(si)
				g.Rects = append(g.Rects, rect{X: r1(x), Y: r1(bottom - h), W: r1(w), H: r1(h), Class: class, Fill: fill,
					Title: c.title(cat, si, s.Unit.Format(v, s.Lang))})
			}
		}
	} else {
		var marks []path
		for si, ser := range s.Series {
			var d strings.Builder
			joined := false
			for i, v := range ser.Values {
				if math.IsNaN(v) {
					// A missing month breaks the line.
					joined = false
					continue
				}
				x, py := left+slot*(float64(i)+0.5), yOf(v)
				if joined {
					fmt.Fprintf(&d, "L%s %s", num(x), num(py))
				} else {
					fmt.Fprintf(&d, "M%s %s", num(x), num(py))
				}
				joined = true
				marks = append(marks, path{D: styles[si].mark(x, py), Class: fmt.Sprintf("mark f%d", si),
					Title: c.title(s.Categories[i], si, s.Unit.Format(v, s.Lang))})
			}
			if d.Len() > 0 {
				g.Paths = append(g.Paths, path{D: d.String(), Class: fmt.Sprintf("line k%d", si), Dash: styles[si].dash})
			}
		}
		// Markers go over every line, so that no line hides a point.
		g.Paths = append(g.Paths, marks...)
	}

	for _, r := range s.Refs {
		ry := r1(yOf(r.Value))
		title := r.Label + ": " + s.Unit.Format(r.Value, s.Lang)
		g.Lines = append(g.Lines, segment{X1: left, Y1: ry, X2: right, Y2: ry, Class: "ref", Dash: "5 3", Title: title})
		label, _ := truncate(r.Label, right-left-4)
		g.Texts = append(g.Texts, text{X: right, Y: ry - 4, Anchor: "end", Class: "ref-label", Title: title, Lines: []string{label}})
	}

	y = catY
	if s.CategoryLabel != "" {
		c.label((left+right)/2, y+16, "middle", "axis", s.CategoryLabel, width-padLeft-padRight)
		y += 22
	}
	g.H = y + 6
}

// categoryLabels writes the category names under the plot, centred on
// their slots: wrapped to two lines as narrow as a slot when that keeps
// them whole ("Jan" over "2026"). When they do not fit side by side even
// so, they are wrapped wider and only every k-th is written, evenly; the
// others are in each bar's or point's title and in the table. It returns
// the y below the labels.
func (c *Chart) categoryLabels(left, slot, bottom float64) float64 {
	type label struct {
		lines []string
		cut   bool
		w     float64
	}
	layout := func(most float64) (labels []label, widest float64, cut bool) {
		for _, cat := range c.spec.Categories {
			lines, lcut := wrap(cat, most, 2)
			l := label{lines: lines, cut: lcut}
			for _, line := range lines {
				l.w = math.Max(l.w, textWidth(line))
			}
			labels = append(labels, l)
			widest = math.Max(widest, l.w)
			cut = cut || lcut
		}
		return labels, widest, cut
	}
	labels, widest, cut := layout(slot - 6)
	if cut {
		// 96 units: about "Des 2025" or two short words on a line.
		labels, widest, _ = layout(96)
	}
	every := max(1, int(math.Ceil((widest+6)/slot)))
	lines := 1
	for i, l := range labels {
		if i%every != 0 {
			continue
		}
		x := left + slot*(float64(i)+0.5)
		// Keep the first and last labels on the canvas.
		x = math.Max(x, l.w/2+2)
		x = math.Min(x, width-l.w/2-2)
		t := text{X: r1(x), Y: bottom + 18, Anchor: "middle", Class: "cat", Lines: l.lines}
		if l.cut {
			t.Title = c.spec.Categories[i]
		}
		c.g.Texts = append(c.g.Texts, t)
		lines = max(lines, len(l.lines))
	}
	return bottom + 6 + float64(lines)*lineStep
}

// label writes s at x, y, shortened with "…" to most wide; the full text
// is then its title.
func (c *Chart) label(x, y float64, anchor, class, s string, most float64) {
	short, cut := truncate(s, most)
	t := text{X: r1(x), Y: r1(y), Anchor: anchor, Class: class, Lines: []string{short}}
	if cut {
		t.Title = s
	}
	c.g.Texts = append(c.g.Texts, t)
}

// layoutRows lays out HBars and Shares: one row per category, its name
// over its bar across the whole width, so that long names need no room
// beside the bars.
func (c *Chart) layoutRows() {
	s, g := c.spec, &c.g
	y := 4.0
	if s.Kind == Shares {
		y = c.legend(y)
	}
	if s.ValueLabel != "" {
		c.label(padLeft, y+14, "start", "axis", s.ValueLabel, width-padLeft-padRight)
		y += 22
	}
	left, right := padLeft, width-padRight
	plotW := right - left
	top := 0.0
	if s.Kind == HBars {
		_, top = c.valueRange()
		if top == 0 {
			top = 1
		}
	} else {
		top = 100 // Shares and their references are percentages.
	}
	xOf := func(v float64) float64 { return left + v/top*plotW }

	// Each reference's label gets a row of its own above the bars.
	var refX []float64
	for _, r := range s.Refs {
		x := r1(xOf(r.Value))
		title := r.Label + ": " + c.format(r.Value, s.Kind == Shares)
		label, _ := truncate(r.Label, plotW)
		w := textWidth(label)
		anchor := "middle"
		if x-w/2 < left {
			anchor = "start"
		} else if x+w/2 > right {
			anchor = "end"
		}
		g.Texts = append(g.Texts, text{X: x, Y: y + 14, Anchor: anchor, Class: "ref-label", Title: title, Lines: []string{label}})
		refX = append(refX, x)
		y += 20
	}
	// A reference is drawn across each bar rather than over the names.
	type span struct{ top, bottom float64 }
	var rows []span
	for i, cat := range s.Categories {
		lines, cut := wrap(cat, plotW, 2)
		t := text{X: left, Y: y + 14, Anchor: "start", Class: "cat", Lines: lines}
		if cut {
			t.Title = cat
		}
		g.Texts = append(g.Texts, t)
		y += float64(len(lines))*lineStep + 4
		h := barH
		if s.Kind == HBars {
			c.hbar(i, y, xOf)
		} else {
			h = shareH
			c.shares(i, y, left, plotW)
		}
		rows = append(rows, span{y - 4, y + h + 4})
		y += h + 12
	}
	for i, r := range s.Refs {
		title := r.Label + ": " + c.format(r.Value, s.Kind == Shares)
		for _, row := range rows {
			g.Lines = append(g.Lines, segment{X1: refX[i], Y1: r1(row.top), X2: refX[i], Y2: r1(row.bottom), Class: "ref", Dash: "5 3", Title: title})
		}
	}
	g.H = y
}

// hbar draws category i's bar at y, with its value after the bar's end,
// or inside it in white when there is no room after.
func (c *Chart) hbar(i int, y float64, xOf func(float64) float64) {
	s, g := c.spec, &c.g
	cat, v := s.Categories[i], s.Series[0].Values[i]
	if math.IsNaN(v) {
		g.Texts = append(g.Texts, text{X: padLeft, Y: y + 13, Anchor: "start", Class: "none", Lines: []string{c.text.Missing}})
		return
	}
	end := math.Max(xOf(v), padLeft+1) // a zero is a hairline
	value := s.Unit.Format(v, s.Lang)
	g.Rects = append(g.Rects, rect{X: padLeft, Y: r1(y), W: r1(end - padLeft), H: barH, Class: "bar f0 k0", Title: cat + ": " + value})
	t := text{X: r1(end + 5), Y: r1(y + 13), Anchor: "start", Class: "value halo", Lines: []string{value}}
	if end+5+textWidth(value) > width-padRight {
		t.X, t.Anchor, t.Class = r1(end-5), "end", "value in"
	}
	g.Texts = append(g.Texts, t)
}

// shares draws category i's bar of 100% at y, split into the series'
// shares, each labelled with its percentage where the label fits.
func (c *Chart) shares(i int, y, left, plotW float64) {
	s, g := c.spec, &c.g
	cat := s.Categories[i]
	total, complete := c.total(i)
	if !complete || total == 0 {
		// Nothing to split: an outline says why.
		note := c.text.Missing
		if complete {
			note = strings.ToLower(c.text.Total) + " " + s.Unit.Format(0, s.Lang)
		}
		g.Rects = append(g.Rects, rect{X: left, Y: r1(y), W: plotW, H: shareH, Class: "frame", Title: cat + ": " + note})
		g.Texts = append(g.Texts, text{X: left + 6, Y: r1(y + 16), Anchor: "start", Class: "none", Lines: []string{note}})
		return
	}
	x := left
	for si, ser := range s.Series {
		v := ser.Values[i]
		if v == 0 {
			continue
		}
		w := v / total * plotW
		share := Percent.Format(v/total*100, s.Lang)
		class, fill := c.fill(si)
		g.Rects = append(g.Rects, rect{X: r1(x), Y: r1(y), W: r1(w), H: shareH, Class: class, Fill: fill,
			Title: c.title(cat, si, s.Unit.Format(v, s.Lang)+" ("+share+")")})
		if w >= textWidth(share)+8 {
			// White on the solid first series; on a pattern, dark text
			// with a white halo.
			class := "value in"
			if styles[si].shape != "" {
				class = "value halo"
			}
			g.Texts = append(g.Texts, text{X: r1(x + w/2), Y: r1(y + 16), Anchor: "middle", Class: class, Lines: []string{share}})
		}
		x += w
	}
}

// textWidth estimates how wide s is at fontSize in a system sans-serif
// font, from rough widths of narrow, wide, capital and other letters. It
// errs on the wide side: a label that is thought too long is wrapped or
// shortened, one that is thought too short would be cut off by the edge.
func textWidth(s string) float64 {
	em := 0.0
	for _, r := range s {
		switch {
		case strings.ContainsRune("iljtfrI.,:;!|'()[] ", r):
			em += 0.34
		case strings.ContainsRune("mwMW%", r):
			em += 0.92
		case unicode.IsDigit(r):
			em += 0.58
		case unicode.IsUpper(r):
			em += 0.7
		default:
			em += 0.58
		}
	}
	return em * fontSize * 1.05
}

// wrap breaks s into lines at most width wide, at spaces, and keeps at
// most maxLines; cut reports whether text was dropped, the last line then
// ending in "…".
func wrap(s string, width float64, maxLines int) (lines []string, cut bool) {
	var line string
	for _, w := range strings.Fields(s) {
		switch {
		case line == "":
			line = w
		case textWidth(line+" "+w) <= width:
			line += " " + w
		default:
			lines = append(lines, line)
			line = w
		}
	}
	if line != "" {
		lines = append(lines, line)
	}
	if len(lines) > maxLines {
		lines[maxLines-1] = strings.Join(lines[maxLines-1:], " ")
		lines = lines[:maxLines]
	}
	for i, l := range lines {
		var c bool
		lines[i], c = truncate(l, width)
		cut = cut || c
	}
	return lines, cut
}

// truncate shortens s to at most width, ending it in "…".
func truncate(s string, width float64) (string, bool) {
	if textWidth(s) <= width {
		return s, false
	}
	r := []rune(s)
	for len(r) > 0 && textWidth(string(r)+"…") > width {
		r = r[:len(r)-1]
	}
	return strings.TrimRight(string(r), " ") + "…", true
}
