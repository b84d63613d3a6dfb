package app

import (
	"bytes"
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/pendopo/pendopo"
	"github.com/pendopo/pendopo/internal/document"
	"github.com/pendopo/pendopo/internal/search"
)

// UpdateRegion changes a region's display name and profile; logo nil keeps
// the logo, an empty logo removes it.
func (a *App) UpdateRegion(ctx context.Context, who Actor, code, name string, p pendopo.RegionProfile, logo *pendopo.Logo) (pendopo.Region, error) {
	r, err := a.Region(ctx, code)
	if err != nil {
		return r, err
	}
	role, err := who.authorize(pendopo.ActEditRegion, pendopo.Scope{Region: code})
	if err != nil {
		return r, err
	}
	var probs pendopo.Problems
	name = strings.TrimSpace(name)
	if name == "" {
		name = r.Name
	}
	if !pendopo.ValidText(name) {
		probs.Add("name", pendopo.T("Berisi karakter yang tidak valid.", "Contains invalid characters."))
	} else if len([]rune(name)) > 120 {
		probs.Add("name", pendopo.T("Nama terlalu panjang (maksimal 120 karakter).", "Name too long (at most 120 characters)."))
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
		p.Add("logo", pendopo.T(fmt.Sprintf("Logo terlalu besar: %d KB, maksimal %d KB.", len(l.Data)>>10, MaxLogoBytes>>10),
			fmt.Sprintf("Logo too large: %d KB, at most %d KB.", len(l.Data)>>10, MaxLogoBytes>>10)))
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
	p.Add("logo", pendopo.T("Logo harus berupa gambar PNG, JPEG, WebP atau SVG.", "The logo must be a PNG, JPEG, WebP or SVG image."))
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

// SaveAgency creates an agency (region admins) or updates one (also its
// own agency admins).
func (a *App) SaveAgency(ctx context.Context, who Actor, ag pendopo.Agency) (pendopo.Agency, error) {
	if _, err := a.Region(ctx, ag.RegionCode); err != nil {
		return ag, err
	}
	before, err := a.store.Agency(ctx, ag.RegionCode, strings.TrimSpace(ag.Slug))
	exists := err == nil
	if err != nil && !errors.Is(err, pendopo.ErrNotFound) {
		return ag, err
	}
	act := pendopo.ActCreateAgency
	if exists {
		act = pendopo.ActEditAgency
	}
	role, err := who.authorize(act, pendopo.Scope{Region: ag.RegionCode, Agency: ag.Slug})
	if err != nil {
		return ag, err
	}
	if err := ag.Validate(); err != nil {
		return ag, err
	}
	var out pendopo.Agency
	e := pendopo.AuditEntry{Action: "agency.save", Entity: "agency", Region: ag.RegionCode}
	err = a.audited(ctx, who, role, &e, func(tx pendopo.Store) error {
		var err error
		if out, err = tx.SaveAgency(ctx, ag, a.now()); err != nil {
			return err
		}
		out.ServiceCount, before.ServiceCount = 0, 0
		e.EntityID = strconv.FormatInt(out.ID, 10)
		if exists {
			e.Diff = pendopo.Diff(before, out)
		} else {
			e.Action, e.Diff = "agency.create", pendopo.Diff(nil, out)
		}
		return nil
	})
	if err != nil {
		return out, err
	}
	a.stats.Store(nil) // the agency count changed
	return out, a.Sync(ctx)
}

// Agencies lists a region's agencies.
func (a *App) Agencies(ctx context.Context, region string, p pendopo.Page) ([]pendopo.Agency, int, error) {
	if _, err := a.Region(ctx, region); err != nil {
		return nil, 0, err
	}
	return a.store.Agencies(ctx, region, p)
}

// Agency returns an agency of a region.
func (a *App) Agency(ctx context.Context, region, slug string) (pendopo.Agency, error) {
	return a.store.Agency(ctx, region, slug)
}

// ServicePoints lists a region's service points.
func (a *App) ServicePoints(ctx context.Context, region string) ([]pendopo.ServicePoint, error) {
	if _, err := a.Region(ctx, region); err != nil {
		return nil, err
	}
	return a.store.ServicePoints(ctx, region)
}

// SaveServicePoint creates or updates a service point.
func (a *App) SaveServicePoint(ctx context.Context, who Actor, p pendopo.ServicePoint) (pendopo.ServicePoint, error) {
	if _, err := a.Region(ctx, p.RegionCode); err != nil {
		return p, err
	}
	role, err := who.authorize(pendopo.ActEditPoints, pendopo.Scope{Region: p.RegionCode})
	if err != nil {
		return p, err
	}
	if err := p.Validate(); err != nil {
		return p, err
	}
	var out pendopo.ServicePoint
	e := pendopo.AuditEntry{Action: "service_point.save", Entity: "service_point", Region: p.RegionCode}
	err = a.audited(ctx, who, role, &e, func(tx pendopo.Store) error {
		var err error
		if out, err = tx.SaveServicePoint(ctx, p, a.now()); err != nil {
			return err
		}
		e.EntityID, e.Diff = strconv.FormatInt(out.ID, 10), pendopo.Diff(nil, out)
		return nil
	})
	if errors.Is(err, pendopo.ErrNotFound) {
		return out, invalidParam("agency", "Perangkat daerah tidak ada di daerah ini.", "No such agency in this region.")
	}
	if err != nil {
		return out, err
	}
	return out, a.Sync(ctx)
}

// ServiceWrite is a requested change of a service's content.
type ServiceWrite struct {
	Content pendopo.ServiceContent
	Note    string
	// Publish makes the new version public at once; otherwise it is a draft.
	Publish bool
	// BaseVersion is the version the editor started from; when it is not 0
	// and another version was saved meanwhile, the write is refused.
	BaseVersion int
}

func (w *ServiceWrite) validate() error {
	w.Note = strings.TrimSpace(w.Note)
	var p pendopo.Problems
	if err := w.Content.Validate(); err != nil {
		p = err.(*pendopo.Error).Fields
	}
	if len([]rune(w.Note)) > 500 || !pendopo.ValidText(w.Note) {
		p.Add("note", pendopo.T("Catatan perubahan maksimal 500 karakter.", "The change note has at most 500 characters."))
	}
	if on := w.Content.Apply; on != nil {
		// The output document may name the form's answers and the
		// built-in values, nothing else.
		known := map[string]bool{}
		for _, k := range document.BuiltinPlaceholders {
			known[k] = true
		}
		for _, fd := range on.Form.Fields {
			known[fd.Key] = true
		}
		t := document.Template{Title: on.Output.Title, Body: on.Output.Body}
		if err := t.Validate(func(k string) bool { return known[k] }); err != nil {
			for _, f := range err.(*pendopo.Error).Fields {
				f.Field = "apply." + f.Field
				if !slices.Contains(p, f) {
					p = append(p, f)
				}
			}
		}
	}
	return p.Err()
}

// serviceAction is what a write needs: drafting, or publishing too.
func serviceAction(publish bool) pendopo.Action {
	if publish {
		return pendopo.ActPublishService
	}
	return pendopo.ActDraftService
}

// CreateService adds a service to a region.
func (a *App) CreateService(ctx context.Context, who Actor, region string, w ServiceWrite) (pendopo.Service, error) {
	if _, err := a.Region(ctx, region); err != nil {
		return pendopo.Service{}, err
	}
	role, err := who.authorize(serviceAction(w.Publish), pendopo.Scope{Region: region, Agency: strings.TrimSpace(w.Content.AgencySlug)})
	if err != nil {
		return pendopo.Service{}, err
	}
	if err := w.validate(); err != nil {
		return pendopo.Service{}, err
	}
	var s pendopo.Service
	e := pendopo.AuditEntry{Action: "service.create", Entity: "service", Region: region}
	err = a.audited(ctx, who, role, &e, func(tx pendopo.Store) error {
		var err error
		if s, err = tx.CreateService(ctx, region, w.Content, a.change(who, w.Note), w.Publish); err != nil {
			return err
		}
		e.EntityID, e.Diff = strconv.FormatInt(s.ID, 10), pendopo.Diff(nil, s.ServiceContent)
		if w.Publish {
			e.Action = "service.create_publish"
		}
		return nil
	})
	if err != nil {
		return s, err
	}
	return s, a.Sync(ctx)
}

func (a *App) change(who Actor, note string) pendopo.Change {
	return pendopo.Change{Author: who.Name, Note: note, At: a.now()}
}

// ServiceForEdit returns a service with the content of its latest version,
// draft or not, for an actor who may see the region's console.
func (a *App) ServiceForEdit(ctx context.Context, who Actor, id int64) (pendopo.Service, error) {
	s, err := a.store.Service(ctx, id)
	if err != nil {
		return s, err
	}
	if _, err := who.authorize(pendopo.ActViewConsole, pendopo.Scope{Region: s.RegionCode, Agency: s.AgencySlug}); err != nil {
		return s, err
	}
	if s.LatestVersion != s.Version && s.Version != 0 {
		v, err := a.store.Version(ctx, id, s.LatestVersion)
		if err != nil {
			return s, err
		}
		s.ServiceContent = v.Content
	}
	return s, nil
}

// UpdateService stores a new version of a service. Moving a service to
// another agency needs the right on both.
func (a *App) UpdateService(ctx context.Context, who Actor, id int64, w ServiceWrite) (pendopo.Service, error) {
	cur, err := a.store.Service(ctx, id)
	if err != nil {
		return cur, err
	}
	act := serviceAction(w.Publish)
	role, err := who.authorize(act, pendopo.Scope{Region: cur.RegionCode, Agency: cur.AgencySlug})
	if err != nil {
		return cur, err
	}
	if _, err := who.authorize(act, pendopo.Scope{Region: cur.RegionCode, Agency: strings.TrimSpace(w.Content.AgencySlug)}); err != nil {
		return cur, err
	}
	if err := w.validate(); err != nil {
		return cur, err
	}
	latest := cur.ServiceContent
	if cur.LatestVersion != cur.Version && cur.Version != 0 {
		if v, err := a.store.Version(ctx, id, cur.LatestVersion); err == nil {
			latest = v.Content
		}
	}
	var s pendopo.Service
	e := pendopo.AuditEntry{Action: "service.draft", Entity: "service", EntityID: strconv.FormatInt(id, 10), Region: cur.RegionCode}
	if w.Publish {
		e.Action = "service.update_publish"
	}
	err = a.audited(ctx, who, role, &e, func(tx pendopo.Store) error {
		var err error
		if s, err = tx.UpdateService(ctx, id, w.Content, a.change(who, w.Note), w.Publish, w.BaseVersion); err != nil {
			return err
		}
		e.Diff = pendopo.Diff(latest, w.Content)
		return nil
	})
	if err != nil {
		return s, err
	}
	return s, a.Sync(ctx)
}

// PublishService makes version n of a service public; n 0 means the latest.
func (a *App) PublishService(ctx context.Context, who Actor, id int64, n int, note string) (pendopo.Service, error) {
	cur, err := a.store.Service(ctx, id)
	if err != nil {
		return cur, err
	}
	role, err := who.authorize(pendopo.ActPublishService, pendopo.Scope{Region: cur.RegionCode, Agency: cur.AgencySlug})
	if err != nil {
		return cur, err
	}
	if n == 0 {
		n = cur.LatestVersion
	}
	v, err := a.store.Version(ctx, id, n)
	if errors.Is(err, pendopo.ErrNotFound) {
		return cur, invalidParam("version", "Versi itu tidak ada.", "No such version.")
	}
	if err != nil {
		return cur, err
	}
	if _, err := who.authorize(pendopo.ActPublishService, pendopo.Scope{Region: cur.RegionCode, Agency: v.Content.AgencySlug}); err != nil {
		return cur, err
	}
	var s pendopo.Service
	e := pendopo.AuditEntry{Action: "service.publish", Entity: "service", EntityID: strconv.FormatInt(id, 10), Region: cur.RegionCode}
	err = a.audited(ctx, who, role, &e, func(tx pendopo.Store) error {
		var err error
		if s, err = tx.PublishService(ctx, id, n, a.change(who, note)); err != nil {
			return err
		}
		e.Diff = pendopo.Diff(map[string]any{"version": cur.Version, "content": cur.ServiceContent}, map[string]any{"version": n, "content": v.Content})
		return nil
	})
	if err != nil {
		return s, err
	}
	return s, a.Sync(ctx)
}

// ReviewService records that a service's published standard was checked
// and is still right, which clears the "needs review" flag.
func (a *App) ReviewService(ctx context.Context, who Actor, id int64) (pendopo.Service, error) {
	cur, err := a.store.Service(ctx, id)
	if err != nil {
		return cur, err
	}
	role, err := who.authorize(pendopo.ActPublishService, pendopo.Scope{Region: cur.RegionCode, Agency: cur.AgencySlug})
	if err != nil {
		return cur, err
	}
	var s pendopo.Service
	e := pendopo.AuditEntry{Action: "service.review", Entity: "service", EntityID: strconv.FormatInt(id, 10), Region: cur.RegionCode}
	err = a.audited(ctx, who, role, &e, func(tx pendopo.Store) error {
		var err error
		s, err = tx.MarkReviewed(ctx, id, a.change(who, ""))
		e.Diff = pendopo.Diff(map[string]any{"reviewed_at": cur.ReviewedAt}, map[string]any{"reviewed_at": s.ReviewedAt})
		return err
	})
	if err != nil {
		return s, err
	}
	a.views.drop(id)
	return s, a.Sync(ctx)
}

// Versions lists a service's versions for an actor who may see the console.
func (a *App) Versions(ctx context.Context, who Actor, id int64) ([]pendopo.Version, error) {
	s, err := a.store.Service(ctx, id)
	if err != nil {
		return nil, err
	}
	if _, err := who.authorize(pendopo.ActViewConsole, pendopo.Scope{Region: s.RegionCode, Agency: s.AgencySlug}); err != nil {
		return nil, err
	}
	return a.store.Versions(ctx, id)
}

// Version returns one version of a service, drafts included, for an actor
// who may see the console; anyone else gets KindForbidden, and a number
// the service never had pendopo.ErrNotFound.
func (a *App) Version(ctx context.Context, who Actor, id int64, n int) (pendopo.Version, error) {
	if _, err := a.Versions(ctx, who, id); err != nil {
		return pendopo.Version{}, err
	}
	return a.store.Version(ctx, id, n)
}

// AdminServices lists a region's services including drafts, or one
// agency's when agency is not empty.
func (a *App) AdminServices(ctx context.Context, who Actor, region, agency string, p pendopo.Page) ([]pendopo.ServiceSummary, int, error) {
	if _, err := a.Region(ctx, region); err != nil {
		return nil, 0, err
	}
	if _, err := who.authorize(pendopo.ActViewConsole, pendopo.Scope{Region: region}); err != nil {
		return nil, 0, err
	}
	return a.store.Services(ctx, pendopo.ServiceFilter{Region: region, Agency: agency, Drafts: true, Page: p})
}

// Synonyms returns the admins' synonym rules (the national defaults are
// search.DefaultSynonyms).
func (a *App) Synonyms(ctx context.Context) (string, error) {
	s, err := a.store.Setting(ctx, SynonymsSetting)
	if errors.Is(err, pendopo.ErrNotFound) {
		return "", nil
	}
	return s, err
}

// SetSynonyms replaces the admins' synonym rules; only national admins may,
// because search is national. Errors name the line.
func (a *App) SetSynonyms(ctx context.Context, who Actor, rules string) error {
	role, err := who.authorize(pendopo.ActEditSynonyms, pendopo.Scope{})
	if err != nil {
		return err
	}
	rules = strings.ReplaceAll(rules, "\r\n", "\n")
	if !pendopo.ValidText(rules) {
		return invalidParam("synonyms", "Daftar sinonim berisi karakter yang tidak valid.", "The synonym list contains invalid characters.")
	}
	if len(rules) > 64<<10 {
		return invalidParam("synonyms", "Daftar sinonim maksimal 64 KB.", "The synonym list is at most 64 KB.")
	}
	if _, err := search.ParseSynonyms(rules); err != nil {
		return err
	}
	old, err := a.Synonyms(ctx)
	if err != nil {
		return err
	}
	e := pendopo.AuditEntry{Action: "synonyms.update", Entity: "setting", EntityID: SynonymsSetting, Diff: pendopo.Diff(old, rules)}
	if err := a.audited(ctx, who, role, &e, func(tx pendopo.Store) error { return tx.PutSetting(ctx, SynonymsSetting, rules) }); err != nil {
		return err
	}
	return a.Sync(ctx)
}
