package app

import (
	"bytes"
	"context"
	"encoding/xml"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/pendopo/pendopo"
	"github.com/pendopo/pendopo/internal/search"
)

// regionCache is the list of all 552 regions, kept in memory: region pages,
// choosers and service pages read it on every request, and it changes
// only when an admin edits a profile. Service counts come from the search
// index, which always matches what the public can see.
type regionCache struct {
	list    []pendopo.Region // by code
	words   [][]string       // folded words of each name, for finding regions
	byCode  map[string]int
	changed time.Time
}

// loadRegions reads the regions from the store when they changed since
// the last load (or force is set).
func (a *App) loadRegions(ctx context.Context, force bool) error {
	changed, err := a.store.RegionsChangedAt(ctx)
	if err != nil {
		return err
	}
	if old := a.regions.Load(); old != nil && !force && old.changed.Equal(changed) {
		return nil
	}
	list, total, err := a.store.Regions(ctx, pendopo.RegionFilter{Page: pendopo.Page{PerPage: pendopo.MaxPerPage}})
	if err != nil {
		return err
	}
	if total > len(list) {
		return fmt.Errorf("load regions: %d regions do not fit one page of %d", total, pendopo.MaxPerPage)
	}
	c := &regionCache{list: list, byCode: make(map[string]int, len(list)), words: make([][]string, len(list)), changed: changed}
	for i, r := range list {
		c.byCode[r.Code] = i
		c.words[i] = search.Words(r.Name)
	}
	a.regions.Store(c)
	a.dataVersion.Add(1)
	return nil
}

// withCounts returns copies of regions with their published service counts.
func (a *App) withCounts(l []pendopo.Region) []pendopo.Region {
	counts := a.index.RegionCounts()
	out := make([]pendopo.Region, len(l))
	for i, r := range l {
		r.ServiceCount = counts[r.Code]
		out[i] = r
	}
	return out
}

// Region returns a region; an invalid code is not found.
func (a *App) Region(ctx context.Context, code string) (pendopo.Region, error) {
	c := a.regions.Load()
	i, ok := c.byCode[code]
	if !ok {
		return pendopo.Region{}, fmt.Errorf("region %q: %w", code, pendopo.ErrNotFound)
	}
	return a.withCounts(c.list[i : i+1])[0], nil
}

// Regions lists regions by code, filtered and paged.
func (a *App) Regions(ctx context.Context, f pendopo.RegionFilter) ([]pendopo.Region, int, error) {
	if f.Level != "" && !f.Level.Valid() {
		return nil, 0, invalidParam("level", pendopo.M("app.level_must_be_provinsi_kabupaten"))
	}
	if f.Parent != "" && !pendopo.ValidRegionCode(f.Parent) {
		return nil, 0, invalidParam("parent", pendopo.M("app.invalid_parent_code"))
	}
	var sel []pendopo.Region
	for _, r := range a.regions.Load().list {
		if (f.Level == "" || r.Level == f.Level) && (f.Parent == "" || r.ParentCode == f.Parent) {
			sel = append(sel, r)
		}
	}
	p := f.Page.Normalize()
	total := len(sel)
	from := min(p.Offset(), total)
	return a.withCounts(sel[from:min(total, from+p.PerPage)]), total, nil
}

// LiveRegions lists the regions that have published services, by code.
func (a *App) LiveRegions() []pendopo.Region {
	counts := a.index.RegionCounts()
	var out []pendopo.Region
	for _, r := range a.regions.Load().list {
		if n := counts[r.Code]; n > 0 {
			r.ServiceCount = n
			out = append(out, r)
		}
	}
	return out
}

// LiveRegionCount is the number of regions with published services.
func (a *App) LiveRegionCount() int { return a.index.RegionCount() }

// ForwardRegions are the regions a report of region may be forwarded
// to on Pendopo: for a kabupaten or kota its province and the province's
// other kabupaten and kota; for a province its kabupaten and kota.
func (a *App) ForwardRegions(region string) []pendopo.Region {
	c := a.regions.Load()
	i, ok := c.byCode[region]
	if !ok {
		return nil
	}
	reg := c.list[i]
	if reg.ParentCode == "" {
		return a.children(reg.Code)
	}
	var out []pendopo.Region
	if j, ok := c.byCode[reg.ParentCode]; ok {
		out = append(out, c.list[j])
	}
	for _, r := range a.children(reg.ParentCode) {
		if r.Code != reg.Code {
			out = append(out, r)
		}
	}
	return out
}

// children returns the kabupaten/kota of a province.
func (a *App) children(code string) []pendopo.Region {
	var out []pendopo.Region
	for _, r := range a.regions.Load().list {
		if r.ParentCode == code {
			out = append(out, r)
		}
	}
	return a.withCounts(out)
}

// UpdateRegion changes a region's display name and profile; logo nil keeps
// the logo, an empty logo removes it.
func (a *App) UpdateRegion(ctx context.Context, who pendopo.Actor, code, name string, p pendopo.RegionProfile, logo *pendopo.Logo) (pendopo.Region, error) {
	r, err := a.Region(ctx, code)
	if err != nil {
		return r, err
	}
	role, err := who.Authorize(pendopo.ActEditRegion, pendopo.Scope{Region: code})
	if err != nil {
		return r, err
	}
	var probs pendopo.Problems
	name = strings.TrimSpace(name)
	if name == "" {
		name = r.Name
	}
	if !pendopo.ValidText(name) {
		probs.Add("name", pendopo.M("app.contains_invalid_characters"))
	} else if len([]rune(name)) > 120 {
		probs.Add("name", pendopo.M("app.name_too_long_at_most"))
	}
	if err := p.Validate(); err != nil {
		probs = append(probs, err.(*pendopo.Error).Fields...)
	}
	if logo != nil && len(logo.Data) > 0 {
		if err := checkLogo(logo); err != nil {
			probs = append(probs, err.(*pendopo.Error).Fields...)
		}
	}
	if err := probs.Err(); err != nil {
		return r, err
	}
	var out pendopo.Region
	e := pendopo.AuditEntry{Action: "region.update", Entity: "region", EntityID: code, Region: code}
	err = a.audited(ctx, who, role, &e, func(tx pendopo.Store) error {
		before := struct {
			Name    string
			Profile pendopo.RegionProfile
		}{r.Name, r.Profile}
		var err error
		if out, err = tx.UpdateRegion(ctx, code, name, p, logo, a.now()); err != nil {
			return err
		}
		e.Diff = pendopo.Diff(before, struct {
			Name    string
			Profile pendopo.RegionProfile
		}{out.Name, out.Profile})
		return nil
	})
	if err != nil {
		return out, err
	}
	if err := a.loadRegions(ctx, true); err != nil {
		return out, err
	}
	return out, a.Sync(ctx)
}

// MaxLogoBytes bounds a region logo.
const MaxLogoBytes = 256 << 10

// checkLogo accepts PNG, JPEG, WebP and SVG images, judged by content, and
// sets the content type.
func checkLogo(l *pendopo.Logo) error {
	var p pendopo.Problems
	if len(l.Data) > MaxLogoBytes {
		p.Add("logo", pendopo.M("app.logo_too_large_kb_at", len(l.Data)>>10, MaxLogoBytes>>10))
		return p.Err()
	}
	switch ct := http.DetectContentType(l.Data); ct {
	case "image/png", "image/jpeg", "image/webp":
		l.ContentType = ct
		return nil
	}
	if isSVG(l.Data) {
		l.ContentType = "image/svg+xml"
		return nil
	}
	p.Add("logo", pendopo.M("app.the_logo_must_be_png"))
	return p.Err()
}

// isSVG reports whether b is an XML document whose root is <svg>. SVG logos
// are shown through <img> and served with a sandboxing policy, so scripts
// inside them never run.
func isSVG(b []byte) bool {
	d := xml.NewDecoder(bytes.NewReader(b))
	for {
		tok, err := d.Token()
		if err != nil {
			return false
		}
		if se, ok := tok.(xml.StartElement); ok {
			return se.Name.Local == "svg"
		}
	}
}

// RegionLogo returns a region's logo.
func (a *App) RegionLogo(ctx context.Context, code string) (pendopo.Logo, error) {
	if !pendopo.ValidRegionCode(code) {
		return pendopo.Logo{}, fmt.Errorf("logo %q: %w", code, pendopo.ErrNotFound)
	}
	return a.store.RegionLogo(ctx, code)
}

// regionBook gives the figures the app's regions.
type regionBook struct{ a *App }

func (r regionBook) Region(ctx context.Context, code string) (pendopo.Region, error) {
	return r.a.Region(ctx, code)
}
func (r regionBook) All() []pendopo.Region                 { return r.a.regions.Load().list }
func (r regionBook) Children(code string) []pendopo.Region { return r.a.children(code) }
