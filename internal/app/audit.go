package app

import (
	"context"
	"slices"

	"github.com/pendopo/pendopo"
)

// AuditLog lists audit entries for an actor allowed to see them: national
// admins and national overseers see everything, others their region's
// entries (a province's include its kabupaten/kota). An entry follows the
// rules of the record it points to: who may not see that record (an
// overseer, an application) gets the entry without its changes and
// without the citizen who acted, and cannot find entries by a citizen's
// name either.
func (a *App) AuditLog(ctx context.Context, who Actor, f pendopo.AuditFilter) ([]pendopo.AuditEntry, int, error) {
	if f.Region == "" && !who.National() {
		return nil, 0, errForbidden
	}
	if f.Region != "" {
		if _, err := who.authorize(pendopo.ActViewAudit, pendopo.Scope{Region: f.Region}); err != nil {
			return nil, 0, err
		}
	} else if _, err := who.authorize(pendopo.ActViewAudit, pendopo.Scope{}); err != nil {
		return nil, 0, err
	}
	if f.Actor != "" && !who.seesAllPersonal(f.Region) {
		f.ActorRoles = officialRoles
	}
	entries, total, err := a.store.AuditLog(ctx, f)
	for i, e := range entries {
		e.Salt = ""
		if !who.mayViewAuditRecord(e) {
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
func (who Actor) mayViewAuditRecord(e pendopo.AuditEntry) bool {
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
func (who Actor) seesAllPersonal(region string) bool {
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
