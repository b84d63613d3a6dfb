package app

import (
	"context"
	"errors"
	"strconv"
	"strings"

	"github.com/pendopo/pendopo"
)

// SubmitService puts draft version n (0 for the latest) forward for review
// by someone who may publish, and tells them by message.
func (a *App) SubmitService(ctx context.Context, who pendopo.Actor, id int64, n int, note string) error {
	cur, err := a.store.Service(ctx, id)
	if err != nil {
		return err
	}
	role, err := who.Authorize(pendopo.ActDraftService, pendopo.Scope{Region: cur.RegionCode, Agency: cur.AgencySlug})
	if err != nil {
		return err
	}
	if n == 0 {
		n = cur.LatestVersion
	}
	if n <= cur.Version {
		return invalidParam("version", pendopo.M("app.this_version_was_published_submit"))
	}
	note = strings.TrimSpace(note)
	if len(note) > 500 || !pendopo.ValidText(note) {
		return invalidParam("note", pendopo.M("app.the_note_has_at_most"))
	}
	e := pendopo.AuditEntry{Action: "service.submit", Entity: "service", EntityID: strconv.FormatInt(id, 10), Region: cur.RegionCode,
		Diff: pendopo.Diff(map[string]any{}, map[string]any{"version": n, "note": note})}
	if v, err := a.store.Version(ctx, id, n); err == nil && !v.SubmittedAt.IsZero() {
		return invalidParam("version", pendopo.M("app.this_version_already_waiting_for"))
	}
	err = a.audited(ctx, who, role, &e, func(tx pendopo.Store) error { return tx.SubmitVersion(ctx, id, n, who.Name, a.now()) })
	if errors.Is(err, pendopo.ErrNotFound) {
		return invalidParam("version", pendopo.M("app.no_such_version"))
	}
	if err != nil {
		return err
	}
	a.tellPublishers(ctx, cur, n, who.Name, note)
	return nil
}

// tellPublishers sends a message to the people who may publish the
// service. Failing to send does not undo the submission; it is logged.
func (a *App) tellPublishers(ctx context.Context, s pendopo.Service, n int, by, note string) {
	users, err := a.store.Users(ctx, pendopo.UserFilter{Region: s.RegionCode})
	if err != nil {
		a.log.Warn("find publishers", "service", s.ID, "err", err)
		return
	}
	link := a.baseURL + "/admin/layanan/" + strconv.FormatInt(s.ID, 10) + "/beda?ke=" + strconv.Itoa(n)
	for _, u := range users {
		if (pendopo.Actor{Roles: u.Roles}).National() {
			continue // national admins are not every region's reviewers
		}
		if _, ok := (pendopo.Actor{Roles: u.Roles}).Can(pendopo.ActPublishService, pendopo.Scope{Region: s.RegionCode, Agency: s.AgencySlug}); !ok || u.Contact() == "" {
			continue
		}
		body := pendopo.M("app.submitted_version_service_for_review", by, strconv.Itoa(n), s.Name, note, link)
		if err := a.out.Send(ctx, u.Contact(), pendopo.M("app.a_service_change_awaits_approval"), body); err != nil {
			a.log.Warn("tell publisher", "service", s.ID, "user", u.ID, "err", err)
		}
	}
}

// ReturnService sends a submitted version back to its authors with a note
// saying what to fix; it stays a draft.
func (a *App) ReturnService(ctx context.Context, who pendopo.Actor, id int64, n int, note string) error {
	cur, err := a.store.Service(ctx, id)
	if err != nil {
		return err
	}
	role, err := who.Authorize(pendopo.ActPublishService, pendopo.Scope{Region: cur.RegionCode, Agency: cur.AgencySlug})
	if err != nil {
		return err
	}
	note = strings.TrimSpace(note)
	if note == "" || len(note) > 500 || !pendopo.ValidText(note) {
		return invalidParam("note", pendopo.M("app.write_what_needs_fixing_at"))
	}
	e := pendopo.AuditEntry{Action: "service.return", Entity: "service", EntityID: strconv.FormatInt(id, 10), Region: cur.RegionCode,
		Diff: pendopo.Diff(map[string]any{}, map[string]any{"version": n, "note": note})}
	err = a.audited(ctx, who, role, &e, func(tx pendopo.Store) error { return tx.ReturnVersion(ctx, id, n) })
	if errors.Is(err, pendopo.ErrNotFound) {
		return invalidParam("version", pendopo.M("app.that_version_not_waiting_for"))
	}
	return err
}

// PendingReviews lists the submitted versions of a region that wait for a
// publisher, for who may see its console.
func (a *App) PendingReviews(ctx context.Context, who pendopo.Actor, region string) ([]pendopo.PendingVersion, error) {
	if _, err := who.Authorize(pendopo.ActViewConsole, pendopo.Scope{Region: region}); err != nil {
		return nil, err
	}
	return a.store.PendingVersions(ctx, region)
}

// ServiceActivity lists the latest entries of a service's audit trail
// (drafts, submissions, returns with their notes, publications), newest
// first, for who may see its console: the officers who write a service
// see why it was sent back.
func (a *App) ServiceActivity(ctx context.Context, who pendopo.Actor, id int64, limit int) ([]pendopo.AuditEntry, error) {
	s, err := a.store.Service(ctx, id)
	if err != nil {
		return nil, err
	}
	if _, err := who.Authorize(pendopo.ActViewConsole, pendopo.Scope{Region: s.RegionCode, Agency: s.AgencySlug}); err != nil {
		return nil, err
	}
	l, _, err := a.store.AuditLog(ctx, pendopo.AuditFilter{Entity: "service", EntityID: strconv.FormatInt(id, 10), Page: pendopo.Page{PerPage: limit}})
	return l, err
}
