package app

import (
	"context"

	"github.com/pendopo/pendopo"
)

// AuditLog lists audit entries for an actor allowed to see them: national
// admins and national overseers see everything, others their region's
// entries (a province's include its kabupaten/kota).
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
	return a.store.AuditLog(ctx, f)
}
