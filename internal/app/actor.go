package app

import (
	"context"
	"fmt"
	"strconv"

	"github.com/pendopo/pendopo"
)

// Actor is who asks for something: a signed-in person with their roles, an
// API token, or the system itself (command line, demo loader).
type Actor struct {
	// Name is recorded as the author of versions and in the audit trail.
	Name    string
	UserID  int64
	TokenID int64
	// Region limits a token to a region (a province includes its
	// kabupaten/kota); empty means a national token.
	Region string
	Roles  []pendopo.Role
	// IP is the address the request came from, for the audit trail.
	IP     string
	system bool
}

// System is the actor of the command line and the demo loader.
var System = Actor{Name: "sistem", system: true}

// Anonymous reports whether a is nobody: neither a person, a token nor the system.
func (a Actor) Anonymous() bool { return !a.system && a.UserID == 0 && a.TokenID == 0 }

// tokenActions are what API tokens, used by integrations, may do: the
// catalog's writes. People's accounts, tokens and the audit trail are for
// people.
var tokenActions = map[pendopo.Action]bool{
	pendopo.ActEditRegion: true, pendopo.ActEditAgency: true, pendopo.ActCreateAgency: true, pendopo.ActEditPoints: true,
	pendopo.ActDraftService: true, pendopo.ActPublishService: true, pendopo.ActImport: true, pendopo.ActViewConsole: true,
	pendopo.ActEditSynonyms: true,
}

// Can reports whether a may do act on s, and under which role (for the
// audit trail). This is the one place where authorization is decided.
func (a Actor) Can(act pendopo.Action, s pendopo.Scope) (role string, ok bool) {
	switch {
	case a.system:
		return "system", true
	case a.TokenID != 0:
		if !tokenActions[act] {
			return "", false
		}
		if act == pendopo.ActEditSynonyms || s.Region == "" {
			return "token", a.Region == ""
		}
		return "token", pendopo.Token{Region: a.Region}.CanWrite(s.Region)
	}
	for _, r := range a.Roles {
		if r.Allows(act, s) {
			return string(r.Kind), true
		}
	}
	return "", false
}

// auditName is how the audit trail names a: officers by name, since they
// answer for what they do in office, but a citizen only as "warga #id".
// The trail is kept after a citizen's account is deleted and no entry
// can be edited, so it must not hold their name in the first place.
func (a Actor) auditName() string {
	if !a.system && a.TokenID == 0 && a.UserID != 0 && len(a.Roles) == 0 {
		return "warga #" + strconv.FormatInt(a.UserID, 10)
	}
	return a.Name
}

// roleFor returns the role under which a may do act on s: the first of
// a's roles that allows it. The system and tokens hold none.
func (a Actor) roleFor(act pendopo.Action, s pendopo.Scope) (pendopo.Role, bool) {
	for _, r := range a.Roles {
		if r.Allows(act, s) {
			return r, true
		}
	}
	return pendopo.Role{}, false
}

// Officer reports whether a holds any role, or is a token or the system:
// someone who may open the console at all.
func (a Actor) Officer() bool { return a.system || a.TokenID != 0 || len(a.Roles) > 0 }

// National reports whether a may act on every region.
func (a Actor) National() bool {
	if a.system {
		return true
	}
	if a.TokenID != 0 {
		return a.Region == ""
	}
	for _, r := range a.Roles {
		if r.Kind == pendopo.RoleNationalAdmin || r.Kind == pendopo.RoleOverseer && r.Region == "" {
			return true
		}
	}
	return false
}

// Regions lists the regions where a holds a role, for the console's start
// page; nil with National.
func (a Actor) Regions() []string {
	seen := map[string]bool{}
	var out []string
	for _, r := range a.Roles {
		if r.Region != "" && !seen[r.Region] {
			seen[r.Region] = true
			out = append(out, r.Region)
		}
	}
	if a.TokenID != 0 && a.Region != "" {
		out = append(out, a.Region)
	}
	return out
}

var errForbidden = pendopo.Errorf(pendopo.KindForbidden, pendopo.T("Anda tidak berhak melakukan ini.", "You may not do this."))

// authorize returns a Forbidden error unless a may do act on s, and the
// role to record in the audit trail.
func (a Actor) authorize(act pendopo.Action, s pendopo.Scope) (string, error) {
	role, ok := a.Can(act, s)
	if !ok {
		return "", fmt.Errorf("%s %s on %s/%s: %w", a.Name, act, s.Region, s.Agency, errForbidden)
	}
	return role, nil
}

// audited runs fn in a transaction and appends e to the audit trail in the
// same transaction, so that a write and its record land together or not
// at all. fn may fill e.Diff and e.EntityID.
func (a *App) audited(ctx context.Context, who Actor, role string, e *pendopo.AuditEntry, fn func(tx pendopo.Store) error) error {
	defer a.WakeOutbox() // after the commit, send what fn may have queued
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
// number only (see auditName).
func (a *App) audit(ctx context.Context, tx pendopo.Store, who Actor, role string, e pendopo.AuditEntry) error {
	name := who.auditName()
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
var anonymousActor = Actor{Name: "anonim"}
