package geo_test

import (
	"bytes"
	"io/fs"
	"testing"
	"testing/fstest"

	"github.com/pendopo/pendopo/data"
	"github.com/pendopo/pendopo/internal/geo"
)

func TestContainsAndLocate(t *testing.T) {
	a := geo.Default()
	tests := []struct {
		name     string
		region   string
		lat, lng float64
		in       bool
		district string // the kecamatan Locate gives, "" for none
	}{
		{"Simpang Lima", "33.74", -6.990, 110.423, true, "33.74.01"},
		{"Ahmad Yani airport", "33.74", -6.977, 110.375, true, "33.74.13"},
		{"Undip Tembalang", "33.74", -7.050, 110.440, true, "33.74.10"},
		{"sea north of Genuk, inside the box", "33.74", -6.940, 110.470, false, ""},
		{"Kendal, inside the box", "33.74", -7.110, 110.300, false, ""},
		{"Demak, inside the box", "33.74", -7.100, 110.500, false, ""},
		{"Ungaran is in Kabupaten Semarang", "33.22", -7.140, 110.405, true, "33.22.18"},
		{"Ungaran is not in Kota Semarang", "33.74", -7.140, 110.405, false, ""},
		{"Jakarta is not in Semarang", "33.74", -6.175, 106.827, false, ""},
		{"Semarang is in Jawa Tengah", "33", -6.990, 110.423, true, "33.74"},
		{"a region with no shape", "99.99", -6.990, 110.423, false, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := a.Contains(tt.region, tt.lat, tt.lng); got != tt.in {
				t.Errorf("Contains(%s, %v, %v) = %v, want %v", tt.region, tt.lat, tt.lng, got, tt.in)
			}
			if !tt.in {
				return
			}
			got, ok := a.Locate(tt.region, tt.lat, tt.lng)
			if !ok || got.Code != tt.district {
				t.Errorf("Locate(%s, %v, %v) = %v, %v; want %s", tt.region, tt.lat, tt.lng, got, ok, tt.district)
			}
		})
	}
}

func TestParts(t *testing.T) {
	a := geo.Default()
	parts := a.Parts("33.74")
	if len(parts) != 16 {
		t.Fatalf("Kota Semarang has %d kecamatan, want 16", len(parts))
	}
	box, ok := a.Bounds("33.74")
	if !ok || box.South > -7.1 || box.North < -6.95 || box.West > 110.3 || box.East < 110.5 {
		t.Errorf("Bounds(33.74) = %+v, %v", box, ok)
	}
	for i, p := range parts {
		if i > 0 && parts[i-1].Code >= p.Code {
			t.Errorf("parts out of order: %s before %s", parts[i-1].Code, p.Code)
		}
		// The label point is where a report placed by kecamatan alone is
		// pinned: it must lie in the kecamatan and the city.
		if !p.Contains(p.Label) || !a.Contains("33.74", p.Label.Lat, p.Label.Lng) {
			t.Errorf("%s %s: label %v lies outside", p.Code, p.Name, p.Label)
		}
		if got, ok := a.Locate("33.74", p.Label.Lat, p.Label.Lng); !ok || got.Code != p.Code {
			t.Errorf("Locate(label of %s) = %v", p.Code, got)
		}
	}
	if p, ok := a.Part("33.74", "33.74.07"); !ok || p.Name != "Semarang Selatan" {
		t.Errorf("Part(33.74, 33.74.07) = %v, %v", p, ok)
	}
	for _, code := range []string{"33.22.01", "33.74", "33.74.07.1001", ""} {
		if _, ok := a.Part("33.74", code); ok {
			t.Errorf("Part(33.74, %q) found one", code)
		}
	}
}

// TestEveryProvince decodes every shipped file and checks that every
// label point lies in its area.
func TestEveryProvince(t *testing.T) {
	files, err := fs.Glob(data.Boundaries(), "*.bin")
	if err != nil || len(files) != 38 {
		t.Fatalf("%d province files, want 38 (%v)", len(files), err)
	}
	a := geo.Default()
	kab, kec := 0, 0
	for _, f := range files {
		code := f[:2]
		if err := a.Err(code); err != nil {
			t.Fatal(err)
		}
		if !a.Known(code) {
			t.Errorf("province %s has no shape", code)
		}
		for _, k := range a.Parts(code) {
			kab++
			if !k.Contains(k.Label) {
				t.Errorf("%s %s: label outside", k.Code, k.Name)
			}
			kec += len(a.Parts(k.Code))
		}
	}
	if kab < 500 || kec < 7000 {
		t.Errorf("%d kabupaten/kota and %d kecamatan", kab, kec)
	}
}

func TestHoles(t *testing.T) {
	ring := func(s, w, n, e int32) []geo.Q { return []geo.Q{{s, w}, {s, e}, {n, e}, {n, w}} }
	var buf bytes.Buffer
	err := geo.Encode(&buf, []geo.QArea{
		{Code: "99", Name: "Uji", Label: geo.Q{Lat: 50, Lng: 50}},
		// A square with a square hole, and an island in the hole.
		{Code: "99.01", Name: "Donat", Label: geo.Q{Lat: 10, Lng: 10}, Polys: [][][]geo.Q{
			{ring(0, 0, 100, 100), ring(30, 30, 70, 70)},
			{ring(45, 45, 55, 55)},
		}},
	})
	if err != nil {
		t.Fatal(err)
	}
	a := geo.New(fstest.MapFS{"99.bin": {Data: buf.Bytes()}})
	for _, tt := range []struct {
		lat, lng float64 // in grid steps
		in       bool
	}{{10, 10, true}, {40, 40, false}, {50, 50, true}, {150, 50, false}, {-1, 50, false}} {
		if got := a.Contains("99.01", tt.lat/geo.Scale, tt.lng/geo.Scale); got != tt.in {
			t.Errorf("Contains(%v, %v) = %v, want %v", tt.lat, tt.lng, got, tt.in)
		}
	}
	if got, ok := a.Locate("99", 10/geo.Scale, 10/geo.Scale); !ok || got.Code != "99.01" {
		t.Errorf("Locate = %v, %v", got, ok)
	}
}

func TestDecodeRefusesDamage(t *testing.T) {
	b, err := fs.ReadFile(data.Boundaries(), "33.bin")
	if err != nil {
		t.Fatal(err)
	}
	for _, bad := range [][]byte{nil, []byte("PBW1"), b[:len(b)/2], append(bytes.Clone(b[:20]), make([]byte, 40)...)} {
		if _, err := geo.Decode(bad); err == nil {
			t.Errorf("Decode(%d bytes) gave no error", len(bad))
		}
	}
}

func FuzzDecode(f *testing.F) {
	var buf bytes.Buffer
	_ = geo.Encode(&buf, []geo.QArea{{Code: "11", Name: "A", Label: geo.Q{Lat: 1, Lng: 2},
		Polys: [][][]geo.Q{{{{0, 0}, {0, 5}, {5, 5}}}}}})
	f.Add(buf.Bytes())
	if b, err := fs.ReadFile(data.Boundaries(), "31.bin"); err == nil {
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		areas, err := geo.Decode(b)
		if err != nil {
			return
		}
		for _, a := range areas {
			for _, p := range a.Polys {
				for _, r := range p {
					if len(r) < 3 {
						t.Fatalf("%s: a ring of %d points", a.Code, len(r))
					}
				}
			}
			a.Contains(a.Label)
		}
	})
}

func BenchmarkLocate(b *testing.B) {
	a := geo.Default()
	a.Locate("33.74", 0, 0) // decode outside the loop
	pts := []geo.Point{{-6.990, 110.423}, {-7.050, 110.440}, {-7.000, 110.330}, {-6.940, 110.470}}
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		p := pts[i%len(pts)]
		a.Locate("33.74", p.Lat, p.Lng)
	}
}
