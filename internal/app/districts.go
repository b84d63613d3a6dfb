package app

import (
	"strings"

	"github.com/pendopo/pendopo"
	"github.com/pendopo/pendopo/internal/geo"
)

// The boundaries of the regions (internal/geo): report pins are checked
// against a region's outline, placed in a kecamatan, and routed by it.

// District is a kecamatan of a region, by code and name.
type District struct {
	Code, Name string
	// Lat and Lng are the point its name is written at, where a report
	// placed by kecamatan alone is pinned.
	Lat, Lng float64
}

// Districts lists the kecamatan of a kabupaten/kota in code order; none
// for a province, or when the region's boundaries are not shipped.
func (a *App) Districts(region string) []District {
	if strings.Count(region, ".") != 1 {
		return nil
	}
	parts := geo.Default().Parts(region)
	out := make([]District, 0, len(parts))
	for _, p := range parts {
		out = append(out, District{Code: p.Code, Name: p.Name, Lat: p.Label.Lat, Lng: p.Label.Lng})
	}
	return out
}

// LocateDistrict returns the kecamatan of region, a kabupaten/kota, that
// holds a pin, or false when the region has no boundaries or the pin
// lies outside.
func (a *App) LocateDistrict(region string, lat, lng float64) (District, bool) {
	if strings.Count(region, ".") != 1 {
		return District{}, false
	}
	p, ok := geo.Default().Locate(region, lat, lng)
	if !ok {
		return District{}, false
	}
	return District{Code: p.Code, Name: p.Name, Lat: p.Label.Lat, Lng: p.Label.Lng}, true
}

// ReportDistrict is the kecamatan a report's pin lies in; false without
// a pin or boundaries.
func (a *App) ReportDistrict(region string, l pendopo.ReportLocation) (District, bool) {
	if !l.Has() {
		return District{}, false
	}
	return a.LocateDistrict(region, *l.Lat, *l.Lng)
}

// placeReport checks a report's pin against the region's outline when
// the boundaries know the region, and pins a report placed by kecamatan
// alone at the kecamatan's name point. It returns the box Validate is
// to check the pin against instead (the admin's box, for a region
// without boundaries) and the problems it found.
func placeReport(region string, in *pendopo.ReportInput, box *pendopo.Bounds) (*pendopo.Bounds, pendopo.Problems) {
	var p pendopo.Problems
	atlas := geo.Default()
	reg, known := atlas.Area(region)
	if !known {
		if in.District != "" && !in.Location.Has() {
			p.Add("location", pendopo.M("app.unknown_kecamatan"))
		}
		return box, p
	}
	l := &in.Location
	switch {
	case l.Has():
		// Validate says what is wrong with a pin outside Indonesia.
		if lat, lng := *l.Lat, *l.Lng; lat == lat && lng == lng && !reg.Contains(geo.Point{Lat: lat, Lng: lng}) &&
			lat >= -11.5 && lat <= 6.5 && lng >= 94.5 && lng <= 141.5 {
			p.Add("location", pendopo.M("app.the_pin_lies_outside_region", reg.Name))
		}
	case in.District != "":
		d, ok := atlas.Part(region, in.District)
		if !ok || !pendopo.IsDistrictOf(in.District, region) {
			p.Add("location", pendopo.M("app.unknown_kecamatan"))
			break
		}
		lat, lng := d.Label.Lat, d.Label.Lng
		l.Lat, l.Lng = &lat, &lng
	}
	return nil, p
}
