package app

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"strconv"

	"github.com/pendopo/pendopo"
)

// ImportResult counts what an import changed.
type ImportResult struct {
	Agencies      int `json:"agencies"`
	ServicePoints int `json:"service_points"`
	Created       int `json:"services_created"`
	Updated       int `json:"services_updated"`
	Unchanged     int `json:"services_unchanged"`
}

// CheckImport tells whether who may import into region, before anything
// is read.
func (a *App) CheckImport(who pendopo.Actor, region string) error {
	_, err := who.Authorize(pendopo.ActImport, pendopo.Scope{Region: region})
	return err
}

// Import applies a region bundle in one transaction: agencies and service
// points are inserted or updated by slug; each service whose content
// differs from its latest version gets a new version (published unless
// asDraft). Any error leaves the database as it was. Field paths in errors
// are bundle paths ("services[3].agency"), which the caller can turn into
// line numbers.
func (a *App) Import(ctx context.Context, who pendopo.Actor, b pendopo.Bundle, asDraft bool) (ImportResult, error) {
	var res ImportResult
	// Who may not import here learns nothing about the bundle's problems.
	if err := a.CheckImport(who, b.Region); err != nil {
		return res, err
	}
	if err := b.Validate(); err != nil {
		return res, err
	}
	r, err := a.Region(ctx, b.Region)
	if errors.Is(err, pendopo.ErrNotFound) {
		return res, invalidParam("region", pendopo.M("app.unknown_region_code"))
	}
	if err != nil {
		return res, err
	}
	role, err := who.Authorize(pendopo.ActImport, pendopo.Scope{Region: b.Region})
	if err != nil {
		return res, err
	}
	now := a.now()
	// Every item gets its own audit entry, written in the same transaction.
	audit := func(tx pendopo.Store, action, entity string, id int64, diff string) error {
		_, err := tx.AppendAudit(ctx, pendopo.AuditEntry{At: now, Actor: who.Name, ActorUser: who.UserID, ActorToken: who.TokenID, Role: role, IP: who.IP,
			Action: action, Entity: entity, EntityID: strconv.FormatInt(id, 10), Region: b.Region, Diff: diff})
		return err
	}
	err = a.store.InTx(ctx, func(tx pendopo.Store) error {
		if b.Profile != nil {
			if _, err := tx.UpdateRegion(ctx, b.Region, r.Name, *b.Profile, nil, now); err != nil {
				return err
			}
			if _, err := tx.AppendAudit(ctx, pendopo.AuditEntry{At: now, Actor: who.Name, ActorUser: who.UserID, ActorToken: who.TokenID, Role: role, IP: who.IP,
				Action: "import.region", Entity: "region", EntityID: b.Region, Region: b.Region, Diff: pendopo.Diff(r.Profile, *b.Profile)}); err != nil {
				return err
			}
		}
		for i, ag := range b.Agencies {
			ag.RegionCode = b.Region
			saved, err := tx.SaveAgency(ctx, ag, now)
			if err != nil {
				return atPath(fmt.Sprintf("agencies[%d]", i), err)
			}
			if err := audit(tx, "import.agency", "agency", saved.ID, pendopo.Diff(nil, ag)); err != nil {
				return err
			}
			res.Agencies++
		}
		for i, p := range b.ServicePoints {
			p.RegionCode = b.Region
			saved, err := tx.SaveServicePoint(ctx, p, now)
			if err != nil {
				if errors.Is(err, pendopo.ErrNotFound) {
					err = invalidParam("agency", pendopo.M("app.no_such_agency_this_region"))
				}
				return atPath(fmt.Sprintf("service_points[%d]", i), err)
			}
			if err := audit(tx, "import.service_point", "service_point", saved.ID, pendopo.Diff(nil, p)); err != nil {
				return err
			}
			res.ServicePoints++
		}
		for i, s := range b.Services {
			ch := pendopo.Change{Author: who.Name, Note: s.Note, At: now}
			if ch.Note == "" {
				ch.Note = "Impor"
			}
			cur, err := tx.ServiceBySlug(ctx, b.Region, s.Slug)
			switch {
			case errors.Is(err, pendopo.ErrNotFound):
				var created pendopo.Service
				created, err = tx.CreateService(ctx, b.Region, s.ServiceContent, ch, !asDraft)
				if err == nil {
					err = audit(tx, "import.service_create", "service", created.ID, pendopo.Diff(nil, s.ServiceContent))
				}
				res.Created++
			case err != nil:
			default:
				latest := cur.ServiceContent
				if cur.LatestVersion != cur.Version && cur.Version != 0 {
					v, verr := tx.Version(ctx, cur.ID, cur.LatestVersion)
					if verr != nil {
						return verr
					}
					latest = v.Content
				}
				if reflect.DeepEqual(normalized(latest), normalized(s.ServiceContent)) && (asDraft || cur.Version == cur.LatestVersion) {
					res.Unchanged++
					continue
				}
				_, err = tx.UpdateService(ctx, cur.ID, s.ServiceContent, ch, !asDraft, 0)
				if err == nil {
					err = audit(tx, "import.service_update", "service", cur.ID, pendopo.Diff(latest, s.ServiceContent))
				}
				res.Updated++
			}
			if err != nil {
				return atPath(fmt.Sprintf("services[%d]", i), err)
			}
		}
		return nil
	})
	if err != nil {
		return ImportResult{}, err
	}
	a.stats.Store(nil) // agencies may have been added
	if b.Profile != nil {
		if err := a.loadRegions(ctx, true); err != nil {
			return res, err
		}
	}
	return res, a.Sync(ctx)
}

// normalized makes nil and empty lists equal, for change detection.
func normalized(c pendopo.ServiceContent) pendopo.ServiceContent {
	c.Validate()
	fix := func(l *[]string) {
		if len(*l) == 0 {
			*l = nil
		}
	}
	fix(&c.LifeEvents)
	fix(&c.Points)
	s := &c.Standard
	for _, l := range []*[]string{&s.Requirements, &s.Procedure, &s.Complaints, &s.LegalBasis, &s.Facilities, &s.Competence} {
		fix(l)
	}
	if len(c.Channels) == 0 {
		c.Channels = nil
	}
	return c
}

// atPath prefixes the field paths of a validation error with path, and
// gives other user errors the path as their field.
func atPath(path string, err error) error {
	var e *pendopo.Error
	if !errors.As(err, &e) || e.Kind == pendopo.KindInternal {
		return err
	}
	out := &pendopo.Error{Kind: e.Kind, Msg: e.Msg}
	if e.Kind == pendopo.KindConflict {
		out.Kind = pendopo.KindInvalid
		out.Msg = pendopo.M("app.please_check_marked_fields")
		out.Fields = []pendopo.FieldError{{Field: path + ".slug", Msg: pendopo.M("app.this_slug_clashes_with_other")}}
		return out
	}
	if len(e.Fields) == 0 {
		out.Fields = []pendopo.FieldError{{Field: path, Msg: e.Msg}}
		out.Kind = pendopo.KindInvalid
		return out
	}
	for _, f := range e.Fields {
		f.Field = path + "." + f.Field
		out.Fields = append(out.Fields, f)
	}
	return out
}

// Export returns a region's profile, agencies, service points and the
// current content of its services as a bundle.
func (a *App) Export(ctx context.Context, region string) (pendopo.Bundle, error) {
	r, err := a.Region(ctx, region)
	if err != nil {
		return pendopo.Bundle{}, err
	}
	b := pendopo.Bundle{Format: pendopo.BundleFormat, Region: region, Agencies: []pendopo.Agency{}, ServicePoints: []pendopo.ServicePoint{}, Services: []pendopo.BundleService{}}
	p := r.Profile
	p.LogoHash = ""
	if p != (pendopo.RegionProfile{}) {
		b.Profile = &p
	}
	agencies, _, err := a.store.Agencies(ctx, region, pendopo.Page{PerPage: pendopo.MaxPerPage})
	if err != nil {
		return b, err
	}
	for _, ag := range agencies {
		ag.ID, ag.RegionCode, ag.ServiceCount = 0, "", 0
		b.Agencies = append(b.Agencies, ag)
	}
	points, err := a.store.ServicePoints(ctx, region)
	if err != nil {
		return b, err
	}
	for _, pt := range points {
		pt.ID, pt.RegionCode = 0, ""
		b.ServicePoints = append(b.ServicePoints, pt)
	}
	services, err := a.store.RegionServices(ctx, region)
	if err != nil {
		return b, err
	}
	for _, s := range services {
		b.Services = append(b.Services, pendopo.BundleService{ServiceContent: s.ServiceContent})
	}
	return b, nil
}

// FieldPaths lists the field paths of err, for tests and messages.
func FieldPaths(err error) []string {
	var e *pendopo.Error
	if !errors.As(err, &e) {
		return nil
	}
	var out []string
	for _, f := range e.Fields {
		out = append(out, f.Field)
	}
	return out
}
