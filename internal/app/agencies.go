package app

import (
	"context"
	"errors"
	"strconv"
	"strings"

	"github.com/pendopo/pendopo"
)

// SaveAgency creates an agency (region admins) or updates one (also its
// own agency admins).
func (a *App) SaveAgency(ctx context.Context, who pendopo.Actor, ag pendopo.Agency) (pendopo.Agency, error) {
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
	role, err := who.Authorize(act, pendopo.Scope{Region: ag.RegionCode, Agency: ag.Slug})
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
func (a *App) SaveServicePoint(ctx context.Context, who pendopo.Actor, p pendopo.ServicePoint) (pendopo.ServicePoint, error) {
	if _, err := a.Region(ctx, p.RegionCode); err != nil {
		return p, err
	}
	role, err := who.Authorize(pendopo.ActEditPoints, pendopo.Scope{Region: p.RegionCode})
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
		return out, invalidParam("agency", pendopo.M("app.no_such_agency_this_region"))
	}
	if err != nil {
		return out, err
	}
	return out, a.Sync(ctx)
}
