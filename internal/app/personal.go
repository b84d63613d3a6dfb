package app

import (
	"context"
	"maps"

	"github.com/pendopo/pendopo"
)

// Personal-data rights (UU 27/2022): people see who read their data, take
// all of it with them, and have it erased with their account.

// auditRead records that who read personal data held in a record: e names
// the action and the record. The entry carries the role who read it under
// and where that role is held (its agency in the diff as "agency", its
// region as "role_region"), so that the person whose data it is can see
// which office read it (/akun/akses). details are added to the diff; they
// must hold no personal data, since the trail outlives the record's.
func (a *App) auditRead(ctx context.Context, who Actor, act pendopo.Action, s pendopo.Scope, e pendopo.AuditEntry, details map[string]string) error {
	role, info := "", map[string]string{}
	switch {
	case who.system:
		role = "system"
	case who.TokenID != 0:
		role = "token"
	default:
		if r, ok := who.roleFor(act, s); ok {
			role = string(r.Kind)
			if r.Agency != "" {
				info["agency"] = r.Agency
			}
			if r.Region != "" {
				info["role_region"] = r.Region
			}
		}
	}
	maps.Copy(info, details)
	if len(info) > 0 {
		e.Diff = pendopo.Diff(map[string]string{}, info) // {"agency": [null, "…"], …}
	}
	return a.audited(ctx, who, role, &e, func(pendopo.Store) error { return nil })
}
