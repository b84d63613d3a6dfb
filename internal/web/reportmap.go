package web

import (
	"fmt"
	"math"
	"strings"

	"github.com/pendopo/pendopo"
	"github.com/pendopo/pendopo/internal/app"
)

// A report map drawn on the server as SVG: pins of public reports in the
// region's box, each a link to its report. It needs no script and no
// tiles; when the portal is configured with a tile server (none by
// default), its tiles are drawn underneath.

const mapWidth, mapHeight = 640.0, 420.0

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

type reportMap struct {
	Pins  []mapPin
	Tiles []mapTile
	W, H  float64
}

// mercator projects a point to Web Mercator at zoom 0 in [0,1]².
func mercator(lat, lng float64) (float64, float64) {
	x := (lng + 180) / 360
	s := math.Sin(lat * math.Pi / 180)
	y := 0.5 - math.Log((1+s)/(1-s))/(4*math.Pi)
	return x, y
}

// newReportMap lays out pins (and tiles, when tileURL is set, such as
// "https://tiles.example/{z}/{x}/{y}.png") for a region's box.
func newReportMap(b pendopo.Bounds, reports []app.PublicReport, tileURL string) *reportMap {
	x0, y0 := mercator(b.North, b.West)
	x1, y1 := mercator(b.South, b.East)
	scale := math.Min(mapWidth/(x1-x0), mapHeight/(y1-y0))
	m := &reportMap{W: math.Round((x1 - x0) * scale), H: math.Round((y1 - y0) * scale)}
	for _, r := range reports {
		if !r.Location.Has() || !b.Contains(*r.Location.Lat, *r.Location.Lng) {
			continue
		}
		x, y := mercator(*r.Location.Lat, *r.Location.Lng)
		m.Pins = append(m.Pins, mapPin{X: math.Round((x-x0)*scale*10) / 10, Y: math.Round((y-y0)*scale*10) / 10,
			Number: r.Number, Title: r.Title, Done: !r.Status.Open()})
	}
	if tileURL != "" {
		// The zoom where a tile is at least 128 px on this map.
		z := int(math.Floor(math.Log2(scale / 256)))
		z = max(0, min(z+1, 18))
		n := math.Exp2(float64(z))
		size := scale / n
		for tx := int(math.Floor(x0 * n)); float64(tx) < x1*n; tx++ {
			for ty := int(math.Floor(y0 * n)); float64(ty) < y1*n; ty++ {
				u := strings.NewReplacer("{z}", fmt.Sprint(z), "{x}", fmt.Sprint(tx), "{y}", fmt.Sprint(ty)).Replace(tileURL)
				m.Tiles = append(m.Tiles, mapTile{X: (float64(tx)/n - x0) * scale, Y: (float64(ty)/n - y0) * scale, Size: size, URL: u})
			}
		}
	}
	return m
}
