package pendopo

import (
	"fmt"
	"strconv"
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
	Roles  []Role
	// IP is the address the request came from, for the audit trail.
	IP     string
	system bool
}

// System is the actor of the command line and the demo loader.
var System = Actor{Name: "sistem", system: true}

// IsSystem reports whether a is the system itself: the command line,
// the demo loader, the background jobs.
func (a Actor) IsSystem() bool { return a.system }

// Anonymous reports whether a is nobody: neither a person, a token nor the system.
func (a Actor) Anonymous() bool { return !a.system && a.UserID == 0 && a.TokenID == 0 }

// tokenActions are what API tokens, used by integrations, may do: the
// catalog's writes. People's accounts, tokens and the audit trail are for
// people.
var tokenActions = map[Action]bool{
	ActEditRegion: true, ActEditAgency: true, ActCreateAgency: true, ActEditPoints: true,
	ActDraftService: true, ActPublishService: true, ActImport: true, ActViewConsole: true,
	ActEditSynonyms: true,
}

// Can reports whether a may do act on s, and under which role (for the
// audit trail). This is the one place where authorization is decided.
func (a Actor) Can(act Action, s Scope) (role string, ok bool) {
	switch {
	case a.system:
		return "system", true
	case a.TokenID != 0:
		if !tokenActions[act] {
			return "", false
		}
		if act == ActEditSynonyms || s.Region == "" {
			return "token", a.Region == ""
		}
		return "token", Token{Region: a.Region}.CanWrite(s.Region)
	}
	for _, r := range a.Roles {
		if r.Allows(act, s) {
			return string(r.Kind), true
		}
	}
	return "", false
}

// AuditName is how the audit trail names a: officers by name, since they
// answer for what they do in office, but a citizen only as "warga #id".
// The trail is kept after a citizen's account is deleted and no entry
// can be edited, so it must not hold their name in the first place.
func (a Actor) AuditName() string {
	if !a.system && a.TokenID == 0 && a.UserID != 0 && len(a.Roles) == 0 {
		return "warga #" + strconv.FormatInt(a.UserID, 10)
	}
	return a.Name
}

// RoleFor returns the role under which a may do act on s: the first of
// a's roles that allows it. The system and tokens hold none.
func (a Actor) RoleFor(act Action, s Scope) (Role, bool) {
	for _, r := range a.Roles {
		if r.Allows(act, s) {
			return r, true
		}
	}
	return Role{}, false
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
		if r.Kind == RoleNationalAdmin || r.Kind == RoleOverseer && r.Region == "" {
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

// ErrForbidden is the error of an actor who may not do what they ask.
var ErrForbidden = Errorf(KindForbidden, M("rule.you_may_not_do_this"))

// Authorize returns a Forbidden error unless a may do act on s, and the
// role to record in the audit trail.
func (a Actor) Authorize(act Action, s Scope) (string, error) {
	role, ok := a.Can(act, s)
	if !ok {
		return "", fmt.Errorf("%s %s on %s/%s: %w", a.Name, act, s.Region, s.Agency, ErrForbidden)
	}
	return role, nil
}

// AuthorizeGrant returns ErrForbidden unless a may give role r to
// someone, and otherwise the role to record: they must
// manage users where the role applies, and only national admins hand out
// national roles and overseers.
func (a Actor) AuthorizeGrant(r Role) (string, error) {
	if r.Kind == RoleNationalAdmin || r.Kind == RoleOverseer {
		role, ok := a.Can(ActManageUsers, Scope{})
		if !ok || !a.National() {
			return "", ErrForbidden
		}
		return role, nil
	}
	return a.Authorize(ActManageUsers, Scope{Region: r.Region, Agency: r.Agency})
}

// MayGrant reports whether a may give or take away role r, for the
// console to offer only what will be allowed.
func (a Actor) MayGrant(r Role) bool {
	_, err := a.AuthorizeGrant(r)
	return err == nil
}
