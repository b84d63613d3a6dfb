// Command gen turns the boundary SQL of cahyadsn/wilayah_boundaries
// into the compact files the binary ships in data/batas: one file per
// province holding the province, its kabupaten/kota and their kecamatan.
// It is run once, by hand, when the source changes:
//
//	go run ./internal/geo/gen -src /path/to/wilayah_boundaries/db -out data/batas
//
// Each shape is put on a 1e-5 degree grid, simplified with
// Douglas–Peucker (a tolerance per level, chosen so that outlines still
// look right on a map some 640 px wide), and written by geo.Encode.
// Rings that simplify to less than a triangle are dropped; the point a
// name is written at is the source's centroid when it lies inside the
// simplified shape, else a point found inside it.
package main

import (
	"bufio"
	"encoding/json"
	"flag"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/pendopo/pendopo/internal/geo"
)

// tolerance per level, in degrees: a province is drawn small, a
// kabupaten/kota fills the map and its kecamatan are drawn inside it.
var tolerance = map[int]float64{0: 0.001, 1: 0.0001, 2: 0.0001}

func main() {
	src := flag.String("src", "", "the source's db directory (holding prov, kab, kec)")
	out := flag.String("out", "data/batas", "directory to write NN.bin into")
	flag.Parse()
	if err := run(*src, *out); err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
}

// row is one line of the source's INSERT statements.
var row = regexp.MustCompile(`^\s*\(\s*'([0-9.]+)'\s*,\s*'((?:[^']|'')*)'\s*,\s*(-?[0-9.]+)\s*,\s*(-?[0-9.]+)\s*,\s*'(\[.*\])'\s*\)\s*[,;]\s*$`)

func run(src, out string) error {
	byProv := map[string][]geo.QArea{}
	for _, level := range []string{"prov", "kab", "kec"} {
		files, err := filepath.Glob(filepath.Join(src, level, "*.sql"))
		if err != nil || len(files) == 0 {
			return fmt.Errorf("no SQL files in %s/%s", src, level)
		}
		for _, f := range files {
			areas, err := readFile(f)
			if err != nil {
				return fmt.Errorf("%s: %w", f, err)
			}
			for _, a := range areas {
				pc := a.Code[:2]
				byProv[pc] = append(byProv[pc], a)
			}
		}
	}
	if err := os.MkdirAll(out, 0o755); err != nil {
		return err
	}
	total := 0
	for pc, areas := range byProv {
		sort.Slice(areas, func(i, j int) bool { return areas[i].Code < areas[j].Code })
		f, err := os.Create(filepath.Join(out, pc+".bin"))
		if err != nil {
			return err
		}
		w := bufio.NewWriter(f)
		if err := geo.Encode(w, areas); err != nil {
			return err
		}
		if err := w.Flush(); err != nil {
			return err
		}
		if err := f.Close(); err != nil {
			return err
		}
		st, _ := os.Stat(f.Name())
		total += int(st.Size())
	}
	fmt.Printf("%d provinces, %d bytes\n", len(byProv), total)
	return nil
}

func readFile(name string) ([]geo.QArea, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<28)
	var out []geo.QArea
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		m := row.FindStringSubmatch(line)
		if m == nil {
			if strings.HasPrefix(line, "('") {
				return nil, fmt.Errorf("a row not understood: %.60s", line)
			}
			continue
		}
		lat, err1 := strconv.ParseFloat(m[3], 64)
		lng, err2 := strconv.ParseFloat(m[4], 64)
		var path any
		if err := json.Unmarshal([]byte(m[5]), &path); err != nil || err1 != nil || err2 != nil {
			return nil, fmt.Errorf("%s: bad row", m[1])
		}
		a, err := convert(m[1], strings.ReplaceAll(m[2], "''", "'"), geo.Point{Lat: lat, Lng: lng}, path)
		if err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, sc.Err()
}

// convert simplifies one area's shape and finds where its name goes.
func convert(code, name string, centroid geo.Point, path any) (geo.QArea, error) {
	a := geo.QArea{Code: code, Name: name}
	// A small island region may vanish at its level's tolerance: keep it
	// at finer ones.
	for tol := tolerance[strings.Count(code, ".")]; len(a.Polys) == 0 && tol > 1e-6; tol /= 10 {
		a.Polys = shapes(path, tol)
	}
	if len(a.Polys) == 0 {
		return a, fmt.Errorf("%s %s: no shape left", code, name)
	}
	a.Label = geo.Quantize(centroid)
	if !inside(a, a.Label) {
		a.Label = innerPoint(a)
	}
	return a, nil
}

func shapes(path any, tol float64) [][][]geo.Q {
	var out [][][]geo.Q
	for _, poly := range polygons(path) {
		var qp [][]geo.Q
		for _, ring := range poly {
			if r := simplify(ring, tol); len(r) >= 3 {
				qp = append(qp, r)
			} else if len(qp) == 0 {
				break // an outer ring gone: drop its holes too
			}
		}
		if len(qp) > 0 {
			out = append(out, qp)
		}
	}
	return out
}

// polygons reads the source's nesting: rings of [lat, lng] pairs, one
// level deeper for a multipolygon.
func polygons(v any) [][][]geo.Point {
	depth := 0
	for x := v; ; depth++ {
		l, ok := x.([]any)
		if !ok || len(l) == 0 {
			break
		}
		x = l[0]
	}
	ring := func(v any) []geo.Point {
		var out []geo.Point
		for _, p := range v.([]any) {
			xy := p.([]any)
			out = append(out, geo.Point{Lat: xy[0].(float64), Lng: xy[1].(float64)})
		}
		return out
	}
	poly := func(v any) [][]geo.Point {
		var out [][]geo.Point
		for _, r := range v.([]any) {
			out = append(out, ring(r))
		}
		return out
	}
	switch depth {
	case 3: // [ring][point][coord]
		return [][][]geo.Point{poly(v)}
	case 4: // [polygon][ring][point][coord]
		var out [][][]geo.Point
		for _, p := range v.([]any) {
			out = append(out, poly(p))
		}
		return out
	}
	return nil
}

// simplify puts a ring on the grid and keeps the points Douglas–Peucker
// keeps at tol, without repeating the first point at the end.
func simplify(ring []geo.Point, tol float64) []geo.Q {
	var q []geo.Q
	for _, p := range ring {
		g := geo.Quantize(p)
		if len(q) == 0 || q[len(q)-1] != g {
			q = append(q, g)
		}
	}
	for len(q) > 1 && q[0] == q[len(q)-1] {
		q = q[:len(q)-1]
	}
	if len(q) < 3 {
		return nil
	}
	// Split the ring at the point farthest from the first, and simplify
	// both halves as lines.
	far, fd := 0, -1.0
	for i, p := range q {
		if d := dist2(p, q[0]); d > fd {
			far, fd = i, d
		}
	}
	keep := make([]bool, len(q)+1)
	keep[0], keep[far], keep[len(q)] = true, true, true
	closed := append(q[:len(q):len(q)], q[0])
	t := tol * geo.Scale
	dp(closed, 0, far, t*t, keep)
	dp(closed, far, len(q), t*t, keep)
	var out []geo.Q
	for i, k := range keep[:len(q)] {
		if k {
			out = append(out, q[i])
		}
	}
	if len(out) < 3 || math.Abs(area2(out)) < t*t {
		return nil
	}
	return out
}

func dp(q []geo.Q, i, j int, t2 float64, keep []bool) {
	stack := [][2]int{{i, j}}
	for len(stack) > 0 {
		s := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		best, bd := -1, t2
		for k := s[0] + 1; k < s[1]; k++ {
			if d := segDist2(q[k], q[s[0]], q[s[1]]); d > bd {
				best, bd = k, d
			}
		}
		if best >= 0 {
			keep[best] = true
			stack = append(stack, [2]int{s[0], best}, [2]int{best, s[1]})
		}
	}
}

func dist2(a, b geo.Q) float64 {
	dx, dy := float64(a.Lng-b.Lng), float64(a.Lat-b.Lat)
	return dx*dx + dy*dy
}

func segDist2(p, a, b geo.Q) float64 {
	dx, dy := float64(b.Lng-a.Lng), float64(b.Lat-a.Lat)
	t := 0.0
	if l := dx*dx + dy*dy; l > 0 {
		t = max(0, min(1, (float64(p.Lng-a.Lng)*dx+float64(p.Lat-a.Lat)*dy)/l))
	}
	ex, ey := float64(a.Lng)+t*dx-float64(p.Lng), float64(a.Lat)+t*dy-float64(p.Lat)
	return ex*ex + ey*ey
}

// area2 is twice the ring's signed area, in grid steps.
func area2(r []geo.Q) float64 {
	s := 0.0
	for i := range r {
		j := (i + 1) % len(r)
		s += float64(r[i].Lng)*float64(r[j].Lat) - float64(r[j].Lng)*float64(r[i].Lat)
	}
	return s
}

func toArea(a geo.QArea) *geo.Area {
	ar := &geo.Area{Code: a.Code, Polys: nil, Box: geo.Box{South: -90, West: -180, North: 90, East: 180}}
	for _, poly := range a.Polys {
		var p geo.Polygon
		for _, r := range poly {
			p = append(p, geo.Ring(r))
		}
		ar.Polys = append(ar.Polys, p)
	}
	return ar
}

func inside(a geo.QArea, q geo.Q) bool { return toArea(a).Contains(q.Point()) }

// innerPoint finds a grid point inside the largest polygon: along the
// row through the middle of its outer ring, the middle of the widest
// stretch that lies inside.
func innerPoint(a geo.QArea) geo.Q {
	big, ba := 0, -1.0
	for i, p := range a.Polys {
		if ar := math.Abs(area2(p[0])); ar > ba {
			big, ba = i, ar
		}
	}
	poly := a.Polys[big]
	lo, hi := poly[0][0].Lat, poly[0][0].Lat
	for _, q := range poly[0] {
		lo, hi = min(lo, q.Lat), max(hi, q.Lat)
	}
	one := geo.QArea{Polys: [][][]geo.Q{poly}}
	// Try rows from the middle outwards until one crosses the inside.
	for step := int32(0); step <= (hi-lo)/2; step += max(1, (hi-lo)/40) {
		for _, lat := range []int32{(lo+hi)/2 + step, (lo+hi)/2 - step} {
			var xs []float64
			y := float64(lat) + 0.5 // off the grid, so no vertex lies on the row
			for _, r := range poly {
				for i := range r {
					p, q := r[i], r[(i+1)%len(r)]
					if (float64(p.Lat) > y) != (float64(q.Lat) > y) {
						xs = append(xs, float64(p.Lng)+(y-float64(p.Lat))*float64(q.Lng-p.Lng)/float64(q.Lat-p.Lat))
					}
				}
			}
			sort.Float64s(xs)
			bw, bx := 0.0, 0.0
			for i := 0; i+1 < len(xs); i += 2 {
				if w := xs[i+1] - xs[i]; w > bw {
					bw, bx = w, (xs[i]+xs[i+1])/2
				}
			}
			if bw > 0 {
				c := geo.Q{Lat: lat, Lng: int32(math.Round(bx))}
				if inside(one, c) {
					return c
				}
			}
		}
	}
	return poly[0][0]
}
