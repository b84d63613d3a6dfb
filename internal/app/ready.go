package app

import (
	"context"
	"fmt"
	"strings"

	"github.com/pendopo/pendopo"
)

// migrationChecker is the store of internal/store, which knows its
// migrations; stores without it skip that check.
type migrationChecker interface {
	PendingMigrations(ctx context.Context) ([]string, error)
}

var (
	errDatabaseDown = pendopo.Errorf(pendopo.KindUnavailable, pendopo.T("basis data tidak menjawab", "database unreachable"))
	errNotMigrated  = pendopo.Errorf(pendopo.KindUnavailable, pendopo.T("migrasi basis data belum dijalankan", "database migrations pending"))
)

// Ready reports whether the app can take requests: the database answers
// before ctx ends and holds every migration this build knows. The search
// index needs no check, since New builds it before it returns. The error
// is KindUnavailable with a reason safe to show anyone; its text adds the
// cause, for the log.
func (a *App) Ready(ctx context.Context) error {
	if err := a.store.Ping(ctx); err != nil {
		return fmt.Errorf("%w (%v)", errDatabaseDown, err)
	}
	if m, ok := a.store.(migrationChecker); ok {
		pending, err := m.PendingMigrations(ctx)
		if err != nil {
			return fmt.Errorf("%w (%v)", errDatabaseDown, err)
		}
		if len(pending) > 0 {
			return fmt.Errorf("%w: %s", errNotMigrated, strings.Join(pending, ", "))
		}
	}
	return nil
}
