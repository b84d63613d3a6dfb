package app

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/pendopo/pendopo"
)

// migrationChecker is the store of internal/store, which knows its
// migrations; stores without it skip that check.
type migrationChecker interface {
	PendingMigrations(ctx context.Context) ([]string, error)
}

// writeRefusals is the store of internal/store, which remembers whether
// the database last refused a write for a reason of its own (a full disk,
// a read-only file system or server).
type writeRefusals interface {
	WriteError() error
}

var (
	errDatabaseDown  = pendopo.Errorf(pendopo.KindUnavailable, pendopo.M("app.database_unreachable"))
	errNotMigrated   = pendopo.Errorf(pendopo.KindUnavailable, pendopo.M("app.database_migrations_pending"))
	errRefusesWrites = pendopo.Errorf(pendopo.KindUnavailable, pendopo.M("app.database_refuses_writes"))
	errKeyChanged    = pendopo.Errorf(pendopo.KindUnavailable, pendopo.M("app.secret_key_changed"))
)

// HeartbeatSetting holds when an instance last proved that the database
// takes its writes; rotating the secret key refuses to run while it is
// recent, since a serving instance would go on sealing under the old key.
const HeartbeatSetting = "heartbeat"

const (
	// probeEvery is how often readiness writes the heartbeat when all is
	// well, and probeRetry how often while writes are refused.
	probeEvery = 30 * time.Second
	probeRetry = 10 * time.Second
)

// health is what readiness remembers between checks.
type health struct {
	keyCheck string // of the key this instance seals with

	mu       sync.Mutex
	probedAt time.Time // by the app's clock
	probeErr error
}

// Ready reports whether the app can take requests: the database answers
// before ctx ends, holds every migration this build knows, still has the
// secret key this instance seals with, and takes writes. The search index
// needs no check, since New builds it before it returns. The error is
// KindUnavailable with a reason safe to show anyone; its text adds the
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
	check, err := a.store.Setting(ctx, KeyCheckSetting)
	if err != nil && !errors.Is(err, pendopo.ErrNotFound) {
		return fmt.Errorf("%w (%v)", errDatabaseDown, err)
	}
	if check != a.health.keyCheck {
		// Someone rotated the key while this instance runs: what it seals
		// now, nobody could open. Restart it with the new key.
		return fmt.Errorf("%w: restart with the new key file", errKeyChanged)
	}
	return a.Heartbeat(ctx)
}

// Heartbeat proves that the database takes writes by writing the
// heartbeat setting in a transaction, at most every probeEvery by the
// app's clock, and every probeRetry while writes fail. A write the store
// saw refused for lack of space or a read-only database also counts as a
// failure until a transaction commits again. serve calls it on a timer,
// so that the heartbeat is fresh while an instance runs; Ready calls it
// on every check.
func (a *App) Heartbeat(ctx context.Context) error {
	var refused error
	if w, ok := a.store.(writeRefusals); ok {
		refused = w.WriteError()
	}
	h := &a.health
	h.mu.Lock()
	defer h.mu.Unlock()
	now := a.now()
	every := probeEvery
	if h.probeErr != nil || refused != nil {
		every = probeRetry
	}
	if h.probedAt.IsZero() || now.Sub(h.probedAt) >= every {
		h.probedAt = now
		h.probeErr = a.store.InTx(ctx, func(tx pendopo.Store) error {
			return tx.PutSetting(ctx, HeartbeatSetting, now.UTC().Format(time.RFC3339))
		})
		if h.probeErr == nil {
			refused = nil // the commit cleared what the store remembered
		}
	}
	if h.probeErr != nil {
		return fmt.Errorf("%w (%v)", errRefusesWrites, h.probeErr)
	}
	if refused != nil {
		return fmt.Errorf("%w (%v)", errRefusesWrites, refused)
	}
	return nil
}

// RunHeartbeat calls Heartbeat every interval until ctx ends.
func (a *App) RunHeartbeat(ctx context.Context, interval time.Duration) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if err := a.Heartbeat(ctx); err != nil && ctx.Err() == nil {
				a.log.Error("the database refuses writes", "err", err)
			}
		}
	}
}

// LastHeartbeat is when an instance last wrote the heartbeat, or zero.
func LastHeartbeat(ctx context.Context, s pendopo.Store) (time.Time, error) {
	v, err := s.Setting(ctx, HeartbeatSetting)
	if errors.Is(err, pendopo.ErrNotFound) {
		return time.Time{}, nil
	}
	if err != nil {
		return time.Time{}, err
	}
	return time.Parse(time.RFC3339, v)
}
