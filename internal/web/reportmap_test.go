package web

import (
	"regexp"
	"strings"
	"testing"

	"github.com/pendopo/pendopo"
	"github.com/pendopo/pendopo/internal/app"
	"github.com/pendopo/pendopo/internal/geo"
)

func publicAt(number string, lat, lng float64, status pendopo.ReportStatus) app.PublicReport {
	var r app.PublicReport
	r.Number, r.Title, r.Status = number, "Laporan "+number, status
	r.Location = pendopo.ReportLocation{Lat: &lat, Lng: &lng}
	return r
}

// The map of Kota Semarang: the outline and 16 kecamatan, every pin
// inside the frame with room for its symbol (the city's corners too),
// pins outside the box left out, names that neither leave the map nor
// cover each other or a pin.
func TestReportMapLayout(t *testing.T) {
	area, ok := geo.Default().Area("33.74")
	if !ok {
		t.Fatal("no boundary for 33.74")
	}
	box := area.Box
	reports := []app.PublicReport{
		publicAt("A", -6.990, 110.423, pendopo.ReportReceived),
		publicAt("B", -7.050, 110.440, pendopo.ReportDone),
		// The corners of the box: the pins stay whole.
		publicAt("NW", box.North, box.West, pendopo.ReportReceived),
		publicAt("SE", box.South, box.East, pendopo.ReportDone),
		publicAt("far", -6.2, 106.8, pendopo.ReportReceived),
	}
	m := newReportMap(area, geo.Default().Parts("33.74"), geo.Default().Parts("33"), pendopo.Bounds{}, reports, "")
	if m.W > mapWidth+2*mapPad || m.H > mapHeight+2*mapPad || m.W < 300 || m.H < 200 {
		t.Errorf("map %v × %v", m.W, m.H)
	}
	if len(m.Pins) != 4 || m.Open != 2 || m.Done != 2 {
		t.Fatalf("pins %d (open %d, done %d), want 4", len(m.Pins), m.Open, m.Done)
	}
	const r = 9 // a pin's symbol reaches 8 units from its point
	for _, p := range m.Pins {
		if p.X-r < 0 || p.Y-r < 0 || p.X+r > m.W || p.Y+r > m.H {
			t.Errorf("pin %s at %v,%v is cut by the frame %v × %v", p.Number, p.X, p.Y, m.W, m.H)
		}
		if p.X*10 != float64(int(p.X*10)) {
			t.Errorf("pin %s at %v: more than one decimal", p.Number, p.X)
		}
	}
	// Kabupaten Semarang, Kendal and Demak show around the city; the
	// rest of the province does not.
	if !strings.HasPrefix(string(m.Near), "M") || strings.Count(string(m.Near), "M") != 1 || len(m.Near) > 3000 {
		t.Errorf("neighbours: %d bytes", len(m.Near))
	}
	if !strings.HasPrefix(string(m.Outline), "M") || len(m.Districts) != 16 {
		t.Errorf("outline %.20q, %d kecamatan", m.Outline, len(m.Districts))
	}
	for _, d := range m.Districts {
		if !regexp.MustCompile(`^M[-0-9. ]+l[-0-9. ]+z`).MatchString(string(d.Path)) {
			t.Errorf("%s: path %.40q", d.Name, d.Path)
		}
	}
	if len(m.Labels) < 10 {
		t.Errorf("only %d of 16 names placed", len(m.Labels))
	}
	names := map[string]bool{}
	for _, l := range m.Labels {
		names[l.Text] = true
		half := 0.55 * labelSize * float64(len([]rune(l.Text))) / 2
		if l.X-half < 0 || l.X+half > m.W || l.Y-labelSize < 0 || l.Y > m.H {
			t.Errorf("name %s at %v,%v leaves the map", l.Text, l.X, l.Y)
		}
		for _, p := range m.Pins {
			if p.X+r > l.X-half && p.X-r < l.X+half && p.Y+r > l.Y-labelSize*0.8 && p.Y-r < l.Y+labelSize*0.3 {
				t.Errorf("name %s covers pin %s", l.Text, p.Number)
			}
		}
	}
	for _, big := range []string{"Mijen", "Gunungpati", "Tembalang"} {
		if !names[big] {
			t.Errorf("the name of %s, a large kecamatan, is missing", big)
		}
	}
}

// A region the boundaries do not know is drawn in its admin's box, with
// its pins and no outline; tiles, when configured, cover the frame.
func TestReportMapWithoutBoundary(t *testing.T) {
	b := pendopo.Bounds{South: -7.12, West: 110.26, North: -6.93, East: 110.51}
	m := newReportMap(nil, nil, nil, b, []app.PublicReport{publicAt("A", -7.0, 110.4, pendopo.ReportReceived)}, "https://tiles.example/{z}/{x}/{y}.png")
	if m.Outline != "" || len(m.Districts) != 0 || len(m.Pins) != 1 || len(m.Tiles) == 0 {
		t.Fatalf("map: outline %q, %d kecamatan, %d pins, %d tiles", m.Outline, len(m.Districts), len(m.Pins), len(m.Tiles))
	}
	minX, minY := 1e9, 1e9
	for _, tl := range m.Tiles {
		minX, minY = min(minX, tl.X), min(minY, tl.Y)
		if !strings.HasPrefix(tl.URL, "https://tiles.example/") || strings.ContainsAny(tl.URL, "{}") {
			t.Errorf("tile %s", tl.URL)
		}
	}
	if minX > 0 || minY > 0 {
		t.Errorf("tiles leave the margin bare: first at %v,%v", minX, minY)
	}
}
