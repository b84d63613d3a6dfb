package app

import (
	"context"

	"github.com/pendopo/pendopo"
	"github.com/pendopo/pendopo/internal/figures"
)

// RebuildFigures counts the monthly figures again (see
// figures.Board.Rebuild) with the app's calendars and service versions,
// and records it in the audit trail.
func (a *App) RebuildFigures(ctx context.Context) (figures.Counts, error) {
	return a.figs.Rebuild(ctx, a.store, figures.Rules{
		Calendar: func(ctx context.Context, region string) (*pendopo.Calendar, error) {
			return a.calendar(ctx, a.store, region)
		},
		LeaveWorks: func(ctx context.Context, service int64, n int) (bool, error) {
			v, err := a.version(ctx, a.store, service, n)
			return v.Content.Apply != nil && v.Content.Apply.LeaveWorks, err
		},
		Record: func(ctx context.Context, tx pendopo.Store) error {
			return a.audit(ctx, tx, pendopo.System, "system", pendopo.AuditEntry{Action: "figures.rebuild", Entity: "figures", EntityID: "national"})
		},
	})
}
