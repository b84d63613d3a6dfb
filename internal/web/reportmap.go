package web

import (
	"fmt"
	"html/template"
	"math"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/pendopo/pendopo"
	"github.com/pendopo/pendopo/internal/app"
	"github.com/pendopo/pendopo/internal/geo"
)

// A report map drawn on the server as SVG: the region's outline and its
// kecamatan with their names (from the shipped boundaries, internal/geo),
// and the pins of public reports, each a link to its report, told apart
// by shape as well as colour. It needs no script and no tiles; when the
// portal is configured with a tile server (none by default), its tiles
// are drawn underneath. A region the boundaries do not know is drawn in
// its admin's box, pins only.

// The map's frame: the region fills at most mapWidth × mapHeight, inside
// a margin of mapPad so that pins and labels at its edge are not cut.
const (
	mapWidth, mapHeight = 640.0, 420.0
	mapPad              = 14.0
	// labelSize is the font size of kecamatan names, in map units.
	labelSize = 11.0
	// mapTolerance is how far, in map units, a simplified outline may
	// stray from the shipped one: less than a pixel at full width.
	mapTolerance = 0.6
)

type mapPin struct {
	X, Y   float64
	Number string
	Title  string
	Done   bool
}

type mapTile struct {
	X, Y, Size float64
	URL        string
}

type mapLabel struct {
	X, Y float64
	Text string
}

// mapDistrict is one kecamatan: its outline's path and its name.
type mapDistrict struct {
	Name string
	Path template.HTML // path data, numbers only
}

type reportMap struct {
	Pins    []mapPin
	Tiles   []mapTile
	W, H    float64
	Outline template.HTML // the region's outline, path data
	// Near is the land of the neighbouring regions inside the frame, so
	// that the sea shows as sea.
	Near      template.HTML
	Districts []mapDistrict
	Labels    []mapLabel
	// Done and Open count the pins of each kind, for the legend.
	Done, Open int
	// Projection is what the report form's script needs to turn a tap
	// into degrees: "x0 y0 scale pad", Web Mercator at zoom 0.
	Projection string
	// Province tells that the dashed lines are kabupaten and kota, not
	// kecamatan.
	Province bool
}

// mercator projects a point to Web Mercator at zoom 0 in [0,1]².
func mercator(lat, lng float64) (float64, float64) {
	x := (lng + 180) / 360
	s := math.Sin(lat * math.Pi / 180)
	y := 0.5 - math.Log((1+s)/(1-s))/(4*math.Pi)
	return x, y
}

// projection maps degrees to map units.
type projection struct{ x0, y0, scale float64 }

func (p projection) xy(lat, lng float64) (float64, float64) {
	x, y := mercator(lat, lng)
	return (x-p.x0)*p.scale + mapPad, (y-p.y0)*p.scale + mapPad
}

// round1 keeps one decimal: a tenth of a map unit is finer than a pixel.
func round1(v float64) float64 { return math.Round(v*10) / 10 }

// newReportMap lays out a region's map: its outline and kecamatan when
// area is not nil, else the box b alone; the neighbouring regions (near)
// where they show in the frame; the pins of the reports inside; and
// tiles, when tileURL is set, such as
// "https://tiles.example/{z}/{x}/{y}.png".
func newReportMap(area *geo.Area, parts, near []*geo.Area, b pendopo.Bounds, reports []app.PublicReport, tileURL string) *reportMap {
	return newMapFrame(area, parts, near, b, tileURL).with(reports)
}

// mapFrame is a region's map before its pins: the frame, the projection,
// the shapes and tiles, the same on every visit, so kept (Server.frames).
type mapFrame struct {
	base  reportMap
	pr    projection
	box   pendopo.Bounds
	parts []*geo.Area // whose names to write, largest first
}

func newMapFrame(area *geo.Area, parts, near []*geo.Area, b pendopo.Bounds, tileURL string) *mapFrame {
	if area != nil {
		b = pendopo.Bounds{South: area.Box.South, West: area.Box.West, North: area.Box.North, East: area.Box.East}
	}
	x0, y0 := mercator(b.North, b.West)
	x1, y1 := mercator(b.South, b.East)
	scale := math.Min(mapWidth/(x1-x0), mapHeight/(y1-y0))
	f := &mapFrame{pr: projection{x0, y0, scale}, box: b}
	m := &f.base
	m.W, m.H = math.Round((x1-x0)*scale+2*mapPad), math.Round((y1-y0)*scale+2*mapPad)
	m.Projection = fmt.Sprintf("%.10g %.10g %.10g %g", x0, y0, scale, mapPad)
	if area != nil {
		var polys []geo.Polygon
		for _, n := range near {
			if n.Code != area.Code && n.Box.South <= b.North+0.1 && n.Box.North >= b.South-0.1 && n.Box.West <= b.East+0.1 && n.Box.East >= b.West-0.1 {
				polys = append(polys, n.Polys...)
			}
		}
		m.Near = clippedPath(f.pr, polys, m.W, m.H)
		m.Outline = pathData(f.pr, area.Polys)
		for _, d := range parts {
			m.Districts = append(m.Districts, mapDistrict{Name: d.Name, Path: pathData(f.pr, d.Polys)})
		}
		f.parts = slices.Clone(parts)
		size := func(a *geo.Area) float64 { return (a.Box.North - a.Box.South) * (a.Box.East - a.Box.West) }
		sort.SliceStable(f.parts, func(i, j int) bool { return size(f.parts[i]) > size(f.parts[j]) })
	}
	if tileURL != "" {
		// The zoom where a tile is at least 128 px on this map.
		z := int(math.Floor(math.Log2(scale / 256)))
		z = max(0, min(z+1, 18))
		n := math.Exp2(float64(z))
		size := scale / n
		// Tiles cover the padding too, which shows the map around.
		px0, py0 := x0-mapPad/scale, y0-mapPad/scale
		px1, py1 := x1+mapPad/scale, y1+mapPad/scale
		for tx := int(math.Floor(px0 * n)); float64(tx) < px1*n; tx++ {
			for ty := int(math.Floor(py0 * n)); float64(ty) < py1*n; ty++ {
				u := strings.NewReplacer("{z}", fmt.Sprint(z), "{x}", fmt.Sprint(tx), "{y}", fmt.Sprint(ty)).Replace(tileURL)
				m.Tiles = append(m.Tiles, mapTile{X: round1((float64(tx)/n-x0)*scale + mapPad), Y: round1((float64(ty)/n-y0)*scale + mapPad),
					Size: round1(size), URL: u})
			}
		}
	}
	return f
}

// with is the map with the pins of the reports inside its box, and the
// names written where they leave the pins free.
func (f *mapFrame) with(reports []app.PublicReport) *reportMap {
	m := f.base
	for _, r := range reports {
		if !r.Location.Has() || !f.box.Contains(*r.Location.Lat, *r.Location.Lng) {
			continue
		}
		x, y := f.pr.xy(*r.Location.Lat, *r.Location.Lng)
		pin := mapPin{X: round1(x), Y: round1(y), Number: r.Number, Title: r.Title, Done: !r.Status.Open()}
		m.Pins = append(m.Pins, pin)
		if pin.Done {
			m.Done++
		} else {
			m.Open++
		}
	}
	m.Labels = placeLabels(f.pr, f.parts, m.Pins, m.W, m.H)
	return &m
}

// pathData is SVG path data for polygons: each ring projected,
// simplified to mapTolerance, with one decimal and relative moves, which
// keep the numbers short.
func pathData(pr projection, polys []geo.Polygon) template.HTML {
	return writePath(projectRings(pr, polys), nil)
}

// clippedPath is pathData for shapes that reach beyond the frame: each
// ring is cut to the frame (with a margin) before it is simplified.
func clippedPath(pr projection, polys []geo.Polygon, w, h float64) template.HTML {
	return writePath(projectRings(pr, polys), &[4]float64{-20, -20, w*10 + 20, h*10 + 20})
}

// projectRings puts rings on the map, in tenths of a map unit.
func projectRings(pr projection, polys []geo.Polygon) [][][2]float64 {
	var out [][][2]float64
	for _, poly := range polys {
		for _, ring := range poly {
			pts := make([][2]float64, 0, len(ring)+1)
			for _, q := range ring {
				p := q.Point()
				x, y := pr.xy(p.Lat, p.Lng)
				pts = append(pts, [2]float64{math.Round(x * 10), math.Round(y * 10)})
			}
			out = append(out, pts)
		}
	}
	return out
}

// clipRing cuts a closed ring to a rectangle (x0, y0, x1, y1), one side
// after the other (Sutherland–Hodgman): enough for filled shapes.
func clipRing(pts [][2]float64, r [4]float64) [][2]float64 {
	for side := range 4 {
		axis := side % 2 // 0: x, 1: y
		inside := func(p [2]float64) bool {
			if side < 2 {
				return p[axis] >= r[side]
			}
			return p[axis] <= r[side]
		}
		cross := func(a, b [2]float64) [2]float64 {
			t := (r[side] - a[axis]) / (b[axis] - a[axis])
			return [2]float64{math.Round(a[0] + t*(b[0]-a[0])), math.Round(a[1] + t*(b[1]-a[1]))}
		}
		var out [][2]float64
		for i, cur := range pts {
			prev := pts[(i+len(pts)-1)%len(pts)]
			switch {
			case inside(cur) && !inside(prev):
				out = append(out, cross(prev, cur), cur)
			case inside(cur):
				out = append(out, cur)
			case inside(prev):
				out = append(out, cross(prev, cur))
			}
		}
		if pts = out; len(pts) < 3 {
			return nil
		}
	}
	return pts
}

// writePath writes rings (in tenths of a map unit) as path data, each
// cut to clip first when clip is not nil.
func writePath(rings [][][2]float64, clip *[4]float64) template.HTML {
	var sb strings.Builder
	var cx, cy float64 // the pen, in tenths, as the reader of the path has it
	sep := false       // a number was written last: the next needs a space, or its minus sign
	num := func(v float64) {
		s := strconv.FormatFloat(v/10, 'f', -1, 64)
		if sep && s[0] != '-' {
			sb.WriteByte(' ')
		}
		sb.WriteString(s)
		sep = true
	}
	cmd := func(c byte) {
		sb.WriteByte(c)
		sep = false
	}
	for _, pts := range rings {
		if clip != nil {
			if pts = clipRing(pts, *clip); pts == nil {
				continue
			}
		}
		pts = append(pts[:len(pts):len(pts)], pts[0])
		pts = simplifyXY(pts, mapTolerance*10)
		if len(pts) < 4 {
			continue // a ring smaller than the tolerance
		}
		pts = pts[:len(pts)-1]
		if sb.Len() == 0 {
			cmd('M')
			num(pts[0][0])
			num(pts[0][1])
		} else {
			cmd('m')
			num(pts[0][0] - cx)
			num(pts[0][1] - cy)
		}
		cx, cy = pts[0][0], pts[0][1]
		cmd('l')
		px, py := cx, cy
		for _, p := range pts[1:] {
			num(p[0] - px)
			num(p[1] - py)
			px, py = p[0], p[1]
		}
		cmd('z')
		// After z the pen is back at the ring's first point.
	}
	return template.HTML(sb.String())
}

// simplifyXY is Douglas–Peucker on a line in map units.
func simplifyXY(pts [][2]float64, tol float64) [][2]float64 {
	if len(pts) < 3 {
		return pts
	}
	keep := make([]bool, len(pts))
	keep[0], keep[len(pts)-1] = true, true
	// A closed ring starts and ends at one point: split it at the point
	// farthest from there first.
	far, fd := 0, -1.0
	for i, p := range pts {
		if d := math.Hypot(p[0]-pts[0][0], p[1]-pts[0][1]); d > fd {
			far, fd = i, d
		}
	}
	keep[far] = true
	stack := [][2]int{{0, far}, {far, len(pts) - 1}}
	for len(stack) > 0 {
		s := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		best, bd := -1, tol
		a, b := pts[s[0]], pts[s[1]]
		for k := s[0] + 1; k < s[1]; k++ {
			if d := segDist(pts[k], a, b); d > bd {
				best, bd = k, d
			}
		}
		if best >= 0 {
			keep[best] = true
			stack = append(stack, [2]int{s[0], best}, [2]int{best, s[1]})
		}
	}
	out := pts[:0:0]
	for i, k := range keep {
		if k {
			out = append(out, pts[i])
		}
	}
	return out
}

func segDist(p, a, b [2]float64) float64 {
	dx, dy := b[0]-a[0], b[1]-a[1]
	t := 0.0
	if l := dx*dx + dy*dy; l > 0 {
		t = max(0, min(1, ((p[0]-a[0])*dx+(p[1]-a[1])*dy)/l))
	}
	return math.Hypot(a[0]+t*dx-p[0], a[1]+t*dy-p[1])
}

// placeLabels writes the names of the kecamatan, in the order given (the
// largest first), at
// their name points or just above or below them, leaving out a name that
// would cover another name or a pin, or leave the map (its outline keeps
// the name as a tooltip, and the kecamatan list of the report form has
// them all).
func placeLabels(pr projection, parts []*geo.Area, pins []mapPin, w, h float64) []mapLabel {
	type rect struct{ x0, y0, x1, y1 float64 }
	placed := make([]rect, 0, len(pins)+len(parts))
	for _, p := range pins {
		placed = append(placed, rect{p.X - 9, p.Y - 9, p.X + 9, p.Y + 9})
	}
	var out []mapLabel
	for _, a := range parts {
		x, y := pr.xy(a.Label.Lat, a.Label.Lng)
		// An estimate of the text's width: a sans-serif letter is about
		// 0.55 em wide on average.
		half := 0.55 * labelSize * float64(len([]rune(a.Name))) / 2
		for _, dy := range []float64{0, -labelSize, labelSize, -2 * labelSize, 2 * labelSize} {
			r := rect{x - half - 2, y + dy - labelSize*0.8, x + half + 2, y + dy + labelSize*0.3}
			if r.x0 < 1 || r.x1 > w-1 || r.y0 < 1 || r.y1 > h-1 {
				continue
			}
			free := true
			for _, o := range placed {
				if r.x0 < o.x1 && o.x0 < r.x1 && r.y0 < o.y1 && o.y0 < r.y1 {
					free = false
					break
				}
			}
			if free {
				placed = append(placed, r)
				out = append(out, mapLabel{X: round1(x), Y: round1(y + dy), Text: a.Name})
				break
			}
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Text < out[j].Text })
	return out
}
