package app

import (
	"context"
	"errors"
	"slices"
	"strconv"
	"strings"

	"github.com/pendopo/pendopo"
	"github.com/pendopo/pendopo/internal/document"
)

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
		p.Add("note", pendopo.M("app.the_change_note_has_at"))
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
func (a *App) CreateService(ctx context.Context, who pendopo.Actor, region string, w ServiceWrite) (pendopo.Service, error) {
	if _, err := a.Region(ctx, region); err != nil {
		return pendopo.Service{}, err
	}
	role, err := who.Authorize(serviceAction(w.Publish), pendopo.Scope{Region: region, Agency: strings.TrimSpace(w.Content.AgencySlug)})
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

func (a *App) change(who pendopo.Actor, note string) pendopo.Change {
	return pendopo.Change{Author: who.Name, Note: note, At: a.now()}
}

// ServiceForEdit returns a service with the content of its latest version,
// draft or not, for an actor who may see the region's console.
func (a *App) ServiceForEdit(ctx context.Context, who pendopo.Actor, id int64) (pendopo.Service, error) {
	s, err := a.store.Service(ctx, id)
	if err != nil {
		return s, err
	}
	if _, err := who.Authorize(pendopo.ActViewConsole, pendopo.Scope{Region: s.RegionCode, Agency: s.AgencySlug}); err != nil {
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
func (a *App) UpdateService(ctx context.Context, who pendopo.Actor, id int64, w ServiceWrite) (pendopo.Service, error) {
	cur, err := a.store.Service(ctx, id)
	if err != nil {
		return cur, err
	}
	act := serviceAction(w.Publish)
	role, err := who.Authorize(act, pendopo.Scope{Region: cur.RegionCode, Agency: cur.AgencySlug})
	if err != nil {
		return cur, err
	}
	if _, err := who.Authorize(act, pendopo.Scope{Region: cur.RegionCode, Agency: strings.TrimSpace(w.Content.AgencySlug)}); err != nil {
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
func (a *App) PublishService(ctx context.Context, who pendopo.Actor, id int64, n int, note string) (pendopo.Service, error) {
	cur, err := a.store.Service(ctx, id)
	if err != nil {
		return cur, err
	}
	role, err := who.Authorize(pendopo.ActPublishService, pendopo.Scope{Region: cur.RegionCode, Agency: cur.AgencySlug})
	if err != nil {
		return cur, err
	}
	if n == 0 {
		n = cur.LatestVersion
	}
	v, err := a.store.Version(ctx, id, n)
	if errors.Is(err, pendopo.ErrNotFound) {
		return cur, invalidParam("version", pendopo.M("app.no_such_version"))
	}
	if err != nil {
		return cur, err
	}
	if _, err := who.Authorize(pendopo.ActPublishService, pendopo.Scope{Region: cur.RegionCode, Agency: v.Content.AgencySlug}); err != nil {
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
func (a *App) ReviewService(ctx context.Context, who pendopo.Actor, id int64) (pendopo.Service, error) {
	cur, err := a.store.Service(ctx, id)
	if err != nil {
		return cur, err
	}
	role, err := who.Authorize(pendopo.ActPublishService, pendopo.Scope{Region: cur.RegionCode, Agency: cur.AgencySlug})
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
func (a *App) Versions(ctx context.Context, who pendopo.Actor, id int64) ([]pendopo.Version, error) {
	s, err := a.store.Service(ctx, id)
	if err != nil {
		return nil, err
	}
	if _, err := who.Authorize(pendopo.ActViewConsole, pendopo.Scope{Region: s.RegionCode, Agency: s.AgencySlug}); err != nil {
		return nil, err
	}
	return a.store.Versions(ctx, id)
}

// Version returns one version of a service, drafts included, for an actor
// who may see the console; anyone else gets KindForbidden, and a number
// the service never had pendopo.ErrNotFound.
func (a *App) Version(ctx context.Context, who pendopo.Actor, id int64, n int) (pendopo.Version, error) {
	if _, err := a.Versions(ctx, who, id); err != nil {
		return pendopo.Version{}, err
	}
	return a.store.Version(ctx, id, n)
}

// AdminServices lists a region's services including drafts, or one
// agency's when agency is not empty.
func (a *App) AdminServices(ctx context.Context, who pendopo.Actor, region, agency string, p pendopo.Page) ([]pendopo.ServiceSummary, int, error) {
	if _, err := a.Region(ctx, region); err != nil {
		return nil, 0, err
	}
	if _, err := who.Authorize(pendopo.ActViewConsole, pendopo.Scope{Region: region}); err != nil {
		return nil, 0, err
	}
	return a.store.Services(ctx, pendopo.ServiceFilter{Region: region, Agency: agency, Drafts: true, Page: p})
}
