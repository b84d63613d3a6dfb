// Package geo knows the administrative boundaries of Indonesia's
// provinces, kabupaten/kota and kecamatan, shipped in the binary (see
// data/README.md): a region's outline, its parts (the kecamatan of a
// kabupaten or kota, the kabupaten/kota of a province), whether a point
// lies inside it and which part holds a point.
//
// The data is decoded one province at a time, the first time a region
// of the province is asked for, and kept.
package geo

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math"
	"sort"
	"strings"
	"sync"

	"github.com/pendopo/pendopo/data"
)

// Scale is how many steps of the stored grid make a degree: coordinates
// are kept to 1e-5 degree, about a metre.
const Scale = 1e5

// Point is a place in degrees.
type Point struct{ Lat, Lng float64 }

// Q is a point on the stored grid, in 1e-5 degree.
type Q struct{ Lat, Lng int32 }

// Point returns the grid point in degrees.
func (q Q) Point() Point { return Point{float64(q.Lat) / Scale, float64(q.Lng) / Scale} }

// Quantize puts a point on the stored grid.
func Quantize(p Point) Q {
	return Q{int32(math.Round(p.Lat * Scale)), int32(math.Round(p.Lng * Scale))}
}

// Box is a rectangle in degrees.
type Box struct{ South, West, North, East float64 }

// Contains reports whether p lies in the box, edges included.
func (b Box) Contains(p Point) bool {
	return p.Lat >= b.South && p.Lat <= b.North && p.Lng >= b.West && p.Lng <= b.East
}

func (b *Box) extend(p Point) {
	b.South, b.North = min(b.South, p.Lat), max(b.North, p.Lat)
	b.West, b.East = min(b.West, p.Lng), max(b.East, p.Lng)
}

func emptyBox() Box { return Box{math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)} }

// Ring is a closed line of points; the last point joins the first
// without being repeated. Points stay on the grid they are stored on
// (Q): half the memory of float pairs, which for every kecamatan of
// the country was 13 MB.
type Ring []Q

// Polygon is an outer ring followed by its holes.
type Polygon []Ring

// Area is one region's shape: a province, a kabupaten/kota or a
// kecamatan, with the point where its name is written (always inside
// it).
type Area struct {
	Code  string
	Name  string
	Label Point
	Polys []Polygon
	Box   Box
}

// Contains reports whether p lies inside the area: inside an outer ring
// of one of its polygons and outside that polygon's holes.
func (a *Area) Contains(p Point) bool {
	if !a.Box.Contains(p) {
		return false
	}
	for _, poly := range a.Polys {
		in := false
		for _, r := range poly {
			if inRing(r, p) {
				in = !in
			}
		}
		if in {
			return true
		}
	}
	return false
}

// inRing is the even-odd test of a point against one ring.
func inRing(r Ring, p Point) bool {
	in := false
	j := len(r) - 1
	for i := range r {
		a, b := r[i].Point(), r[j].Point()
		if (a.Lat > p.Lat) != (b.Lat > p.Lat) &&
			p.Lng < (b.Lng-a.Lng)*(p.Lat-a.Lat)/(b.Lat-a.Lat)+a.Lng {
			in = !in
		}
		j = i
	}
	return in
}

// distance2 is the squared distance, in degrees, from p to the area's
// nearest edge.
func (a *Area) distance2(p Point) float64 {
	best := math.Inf(1)
	for _, poly := range a.Polys {
		for _, r := range poly {
			j := len(r) - 1
			for i := range r {
				best = min(best, segDist2(p, r[j].Point(), r[i].Point()))
				j = i
			}
		}
	}
	return best
}

func segDist2(p, a, b Point) float64 {
	dx, dy := b.Lng-a.Lng, b.Lat-a.Lat
	t := 0.0
	if l := dx*dx + dy*dy; l > 0 {
		t = max(0, min(1, ((p.Lng-a.Lng)*dx+(p.Lat-a.Lat)*dy)/l))
	}
	ex, ey := a.Lng+t*dx-p.Lng, a.Lat+t*dy-p.Lat
	return ex*ex + ey*ey
}

// Atlas reads the boundaries from a directory of province files named
// after the province code ("33.bin"), decoding each when first needed.
type Atlas struct {
	fsys fs.FS
	mu   sync.Mutex
	prov map[string]*province
}

// province is one decoded file: its areas by code, and each area's
// parts in code order.
type province struct {
	areas map[string]*Area
	parts map[string][]*Area
	err   error
}

// New returns an atlas over fsys, which holds one file per province.
func New(fsys fs.FS) *Atlas { return &Atlas{fsys: fsys, prov: map[string]*province{}} }

// load decodes the province of code once; a code of no province, or a
// file that does not decode, gives an empty province.
func (a *Atlas) load(code string) *province {
	pc, _, _ := strings.Cut(code, ".")
	a.mu.Lock()
	defer a.mu.Unlock()
	if p, ok := a.prov[pc]; ok {
		return p
	}
	p := &province{areas: map[string]*Area{}, parts: map[string][]*Area{}}
	if len(pc) == 2 && a.fsys != nil {
		b, err := fs.ReadFile(a.fsys, pc+".bin")
		if err == nil {
			var areas []*Area
			areas, err = Decode(b)
			for _, ar := range areas {
				p.areas[ar.Code] = ar
			}
		}
		if err != nil && !errors.Is(err, fs.ErrNotExist) {
			p.err = fmt.Errorf("geo: province %s: %w", pc, err)
		}
		for c, ar := range p.areas {
			if i := strings.LastIndexByte(c, '.'); i > 0 {
				p.parts[c[:i]] = append(p.parts[c[:i]], ar)
			}
		}
		for _, list := range p.parts {
			sort.Slice(list, func(i, j int) bool { return list[i].Code < list[j].Code })
		}
	}
	a.prov[pc] = p
	return p
}

// Err reports why the province of code could not be read, if it could
// not; a province with no file is not an error.
func (a *Atlas) Err(code string) error { return a.load(code).err }

// Area returns the shape of a province, kabupaten/kota or kecamatan.
func (a *Atlas) Area(code string) (*Area, bool) {
	ar, ok := a.load(code).areas[code]
	return ar, ok
}

// Parts returns the areas one level below code, in code order: the
// kecamatan of a kabupaten/kota, the kabupaten/kota of a province.
func (a *Atlas) Parts(code string) []*Area { return a.load(code).parts[code] }

// Part returns one of the parts of code by its own code.
func (a *Atlas) Part(code, part string) (*Area, bool) {
	if !strings.HasPrefix(part, code+".") || strings.Count(part, ".") != strings.Count(code, ".")+1 {
		return nil, false
	}
	return a.Area(part)
}

// Bounds returns the box around a region's shape.
func (a *Atlas) Bounds(code string) (Box, bool) {
	ar, ok := a.Area(code)
	if !ok {
		return Box{}, false
	}
	return ar.Box, true
}

// Known reports whether the atlas has a shape for code.
func (a *Atlas) Known(code string) bool {
	_, ok := a.Area(code)
	return ok
}

// Contains reports whether the point lies inside the region's shape;
// false also when the region has none (ask Known).
func (a *Atlas) Contains(code string, lat, lng float64) bool {
	ar, ok := a.Area(code)
	return ok && ar.Contains(Point{lat, lng})
}

// nearSlack is how far, in degrees (about 1 km), a point may lie from
// every part and still be given the nearest: the source's kecamatan are
// coarse, so a few percent of a kabupaten's ground falls between them.
const nearSlack = 0.01

// Locate returns the part of region that holds the point: the kecamatan
// of a kabupaten/kota. A point in a gap between parts gets the nearest
// one within about a kilometre; a point farther from them all gets
// false. Where parts overlap, the first in code order wins.
func (a *Atlas) Locate(region string, lat, lng float64) (*Area, bool) {
	p := Point{lat, lng}
	parts := a.Parts(region)
	for _, ar := range parts {
		if ar.Contains(p) {
			return ar, true
		}
	}
	var best *Area
	bd := nearSlack * nearSlack
	for _, ar := range parts {
		b := ar.Box
		if p.Lat < b.South-nearSlack || p.Lat > b.North+nearSlack || p.Lng < b.West-nearSlack || p.Lng > b.East+nearSlack {
			continue
		}
		if d := ar.distance2(p); d <= bd {
			best, bd = ar, d
		}
	}
	return best, best != nil
}

// The file format, written by Encode and read by Decode, is gzip over:
//
//	"PBW1" uvarint(areas)
//	per area: string(code) string(name) varint(label lat) varint(label lng)
//	          uvarint(polygons), per polygon uvarint(rings),
//	          per ring uvarint(points) and each point as varint deltas
//	          (lat, lng) from the one before, the first from the label
//
// where a string is uvarint(length) and its bytes, and every coordinate
// is on the 1e-5 degree grid.
const magic = "PBW1"

// QArea is an area on the stored grid, as the converter writes it.
type QArea struct {
	Code, Name string
	Label      Q
	Polys      [][][]Q
}

// Encode writes areas in the format Decode reads.
func Encode(w io.Writer, areas []QArea) error {
	zw, err := gzip.NewWriterLevel(w, gzip.BestCompression)
	if err != nil {
		return err
	}
	var b []byte
	b = append(b, magic...)
	b = binary.AppendUvarint(b, uint64(len(areas)))
	for _, ar := range areas {
		b = appendString(b, ar.Code)
		b = appendString(b, ar.Name)
		b = binary.AppendVarint(b, int64(ar.Label.Lat))
		b = binary.AppendVarint(b, int64(ar.Label.Lng))
		prev := ar.Label
		b = binary.AppendUvarint(b, uint64(len(ar.Polys)))
		for _, poly := range ar.Polys {
			b = binary.AppendUvarint(b, uint64(len(poly)))
			for _, ring := range poly {
				b = binary.AppendUvarint(b, uint64(len(ring)))
				for _, q := range ring {
					b = binary.AppendVarint(b, int64(q.Lat)-int64(prev.Lat))
					b = binary.AppendVarint(b, int64(q.Lng)-int64(prev.Lng))
					prev = q
				}
			}
		}
	}
	if _, err := zw.Write(b); err != nil {
		return err
	}
	return zw.Close()
}

func appendString(b []byte, s string) []byte {
	return append(binary.AppendUvarint(b, uint64(len(s))), s...)
}

// maxDecoded bounds the size of a decompressed file, so that a corrupt
// or hostile file cannot fill the memory.
const maxDecoded = 64 << 20

var errCorrupt = errors.New("corrupt boundary data")

// Decode reads a file that Encode wrote; any damage gives an error.
func Decode(data []byte) ([]*Area, error) {
	zr, err := gzip.NewReader(bytes.NewReader(data))
	if err != nil {
		return nil, err
	}
	raw, err := io.ReadAll(io.LimitReader(bufio.NewReader(zr), maxDecoded+1))
	if err != nil {
		return nil, err
	}
	if len(raw) > maxDecoded {
		return nil, errCorrupt
	}
	d := decoder{b: raw}
	if !bytes.HasPrefix(d.b, []byte(magic)) {
		return nil, errCorrupt
	}
	d.b = d.b[len(magic):]
	// Every count is checked against the bytes left, so no count can
	// ask for more memory than the file could fill.
	n := d.count(4)
	out := make([]*Area, 0, n)
	for range n {
		ar := &Area{Code: d.str(), Name: d.str(), Box: emptyBox()}
		prev := Q{d.coord(0), 0}
		prev.Lng = d.coord(0)
		ar.Label = prev.Point()
		np := d.count(1)
		for range np {
			nr := d.count(1)
			poly := make(Polygon, 0, nr)
			for range nr {
				npt := d.count(2)
				ring := make(Ring, 0, npt)
				for range npt {
					prev.Lat = d.coord(prev.Lat)
					prev.Lng = d.coord(prev.Lng)
					ring = append(ring, prev)
					ar.Box.extend(prev.Point())
				}
				if d.err == nil && len(ring) < 3 {
					d.err = errCorrupt
				}
				poly = append(poly, ring)
			}
			ar.Polys = append(ar.Polys, poly)
		}
		if d.err != nil {
			return nil, d.err
		}
		if len(ar.Polys) == 0 {
			ar.Box = Box{ar.Label.Lat, ar.Label.Lng, ar.Label.Lat, ar.Label.Lng}
		}
		out = append(out, ar)
	}
	if d.err == nil && len(d.b) != 0 {
		d.err = errCorrupt
	}
	if d.err != nil {
		return nil, d.err
	}
	return out, nil
}

type decoder struct {
	b   []byte
	err error
}

func (d *decoder) uvarint() uint64 {
	if d.err != nil {
		return 0
	}
	v, n := binary.Uvarint(d.b)
	if n <= 0 {
		d.err = errCorrupt
		return 0
	}
	d.b = d.b[n:]
	return v
}

// count reads a count of items that take at least size bytes each.
func (d *decoder) count(size int) int {
	v := d.uvarint()
	if v > uint64(len(d.b)/size) {
		d.err = errCorrupt
		return 0
	}
	return int(v)
}

func (d *decoder) str() string {
	n := d.count(1)
	if d.err != nil {
		return ""
	}
	s := string(d.b[:n])
	d.b = d.b[n:]
	return s
}

// coord reads a delta from prev and checks the result is a latitude or
// longitude.
func (d *decoder) coord(prev int32) int32 {
	if d.err != nil {
		return 0
	}
	v, n := binary.Varint(d.b)
	if n <= 0 {
		d.err = errCorrupt
		return 0
	}
	d.b = d.b[n:]
	c := int64(prev) + v
	if c < -180*Scale || c > 180*Scale {
		d.err = errCorrupt
		return 0
	}
	return int32(c)
}

// Default is the atlas of the boundaries shipped in the binary.
var Default = sync.OnceValue(func() *Atlas { return New(data.Boundaries()) })
