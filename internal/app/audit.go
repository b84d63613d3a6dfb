package app

import (
	"context"
	"slices"
	"strconv"

	"github.com/pendopo/pendopo"
)

// AuditLog lists audit entries for an actor allowed to see them: national
// admins and national overseers see everything, others their region's
// entries (a province's include its kabupaten/kota). An entry follows the
// rules of the record it points to: who may not see that record (an
// overseer, an application) gets the entry without its changes and
// without the citizen who acted, and cannot find entries by a citizen's
// name either.
func (a *App) AuditLog(ctx context.Context, who pendopo.Actor, f pendopo.AuditFilter) ([]pendopo.AuditEntry, int, error) {
	if f.Region == "" && !who.National() {
		return nil, 0, pendopo.ErrForbidden
	}
	if f.Region != "" {
		if _, err := who.Authorize(pendopo.ActViewAudit, pendopo.Scope{Region: f.Region}); err != nil {
			return nil, 0, err
		}
	} else if _, err := who.Authorize(pendopo.ActViewAudit, pendopo.Scope{}); err != nil {
		return nil, 0, err
	}
	if f.Actor != "" && !seesAllPersonal(who, f.Region) {
		f.ActorRoles = officialRoles
	}
	entries, total, err := a.store.AuditLog(ctx, f)
	for i, e := range entries {
		e.Salt = ""
		if !mayViewAuditRecord(who, e) {
			e = redactAudit(e)
		}
		entries[i] = e
	}
	return entries, total, err
}

// mayViewAuditRecord reports whether who may see the record e is about,
// and so what e says of it. Only national admins, overseers and region
// admins see the trail, for whom a region-wide rule is the same as the
// record's own (a region admin sees all its agencies' applications).
func mayViewAuditRecord(who pendopo.Actor, e pendopo.AuditEntry) bool {
	scope := pendopo.Scope{Region: e.Region}
	var act pendopo.Action
	switch e.Entity {
	case "application":
		act = pendopo.ActViewApplications
	case "report":
		act = pendopo.ActCoordinateReports
	case "invitation":
		act = pendopo.ActManageUsers
	case "user":
		// A region's officers are on its users page; people without a
		// region are citizens, whose accounts only national admins manage.
		act = pendopo.ActViewConsole
		if e.Region == "" {
			act = pendopo.ActManageUsers
		}
	default:
		return true // the catalog, tokens, routing, surveys (anonymous): no one's personal data
	}
	_, ok := who.Can(act, scope)
	return ok
}

// seesAllPersonal reports whether who may see every record that entries
// of region (and, for a province, its kabupaten/kota) point to.
func seesAllPersonal(who pendopo.Actor, region string) bool {
	if len(region) != 5 {
		_, ok := who.Can(pendopo.ActManageUsers, pendopo.Scope{})
		return ok && who.National()
	}
	for _, act := range []pendopo.Action{pendopo.ActViewApplications, pendopo.ActCoordinateReports, pendopo.ActManageUsers} {
		if _, ok := who.Can(act, pendopo.Scope{Region: region}); !ok {
			return false
		}
	}
	return true
}

// officialRoles are the roles an entry's actor holds when acting in
// office; others are citizens acting for themselves.
var officialRoles = func() []string {
	out := []string{"", "system", "token"} // "" is an officer reading, in older entries
	for _, k := range pendopo.RoleKinds {
		out = append(out, string(k.Kind))
	}
	return out
}()

// redactAudit is e as shown to someone who may not see its record: what
// changed is left out, and so is the citizen who acted; an officer's name
// and role stay, since what officers do is what the trail is for.
func redactAudit(e pendopo.AuditEntry) pendopo.AuditEntry {
	e.Diff, e.Redacted = "", true
	if !slices.Contains(officialRoles, e.Role) {
		e.Actor, e.ActorUser, e.IP = "", 0, ""
	}
	return e
}

// audited runs fn in a transaction and appends e to the audit trail in the
// same transaction, so that a write and its record land together or not
// at all. fn may fill e.Diff and e.EntityID.
func (a *App) audited(ctx context.Context, who pendopo.Actor, role string, e *pendopo.AuditEntry, fn func(tx pendopo.Store) error) error {
	defer a.out.Wake() // after the commit, send what fn may have queued
	return a.store.InTx(ctx, func(tx pendopo.Store) error {
		if err := fn(tx); err != nil {
			return err
		}
		return a.audit(ctx, tx, who, role, *e)
	})
}

// audit appends e to the audit trail in tx, the transaction of the write
// it records (a group commit's too), as done by who under role. People
// acting for themselves, officers too, are named by their account's
// number only (see pendopo.Actor.AuditName).
func (a *App) audit(ctx context.Context, tx pendopo.Store, who pendopo.Actor, role string, e pendopo.AuditEntry) error {
	name := who.AuditName()
	if role == roleCitizen && who.UserID != 0 {
		name = "warga #" + strconv.FormatInt(who.UserID, 10)
	}
	e.At, e.Actor, e.ActorUser, e.ActorToken, e.Role, e.IP = a.now(), name, who.UserID, who.TokenID, role, who.IP
	_, err := tx.AppendAudit(ctx, e)
	return err
}

// Roles recorded in the audit trail for what people do on their own
// behalf, as opposed to an officer's role kind, "token" or "system".
// Entries by citizens name them only to those who may see the record the
// entry is about; anonymous ones name nobody at all.
const (
	roleCitizen   = "citizen"
	roleAnonymous = "anonymous"
)

// anonymousActor stands in the audit trail for someone whose identity
// must not be recorded: an anonymous reporter, a survey respondent.
var anonymousActor = pendopo.Actor{Name: "anonim"}
