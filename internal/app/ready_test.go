package app_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/pendopo/pendopo"
	"github.com/pendopo/pendopo/internal/app"
	"github.com/pendopo/pendopo/internal/apptest"
	"github.com/pendopo/pendopo/internal/pendopotest"
	"github.com/pendopo/pendopo/internal/store"
)

// behind is a database that lacks a migration this build knows, as after
// a restore of an older backup.
type behind struct{ *store.DB }

func (behind) PendingMigrations(context.Context) ([]string, error) {
	return []string{"0099_future"}, nil
}

func TestReady(t *testing.T) {
	db := pendopotest.DB(t)
	cfg, _ := apptest.Config(db, now)
	a, err := app.New(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if err := a.Ready(ctx); err != nil {
		t.Fatalf("a fresh app: %v", err)
	}
	cfg.Store = behind{db}
	lagging, err := app.New(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if err := lagging.Ready(ctx); kind(err) != pendopo.KindUnavailable || !strings.Contains(err.Error(), "0099_future") {
		t.Errorf("a database behind the build: %v", err)
	}
	db.Close()
	if err := a.Ready(ctx); kind(err) != pendopo.KindUnavailable || !strings.Contains(err.Error(), "closed") {
		t.Errorf("a closed database: %v", err)
	}
}

// refusing is a database that refuses writes while *fail is set, as on
// a full disk: reads and pings go on working. Like internal/store, it
// remembers a refused write until a transaction commits again.
type refusing struct {
	*store.DB
	fail, seen *error
}

func (r refusing) InTx(ctx context.Context, fn func(pendopo.Store) error) error {
	if *r.fail != nil {
		*r.seen = *r.fail
		return *r.fail
	}
	err := r.DB.InTx(ctx, fn)
	if err == nil {
		*r.seen = nil
	}
	return err
}

func (r refusing) WriteError() error { return *r.seen }

// TestReadyRefusesWrites: readiness fails while the database refuses
// writes, whether a request's write or the probe found out, and recovers
// once a write commits again; the probe writes the heartbeat at most
// every 30 s while all is well.
func TestReadyRefusesWrites(t *testing.T) {
	db := pendopotest.DB(t)
	var fail, seen error
	s := refusing{db, &fail, &seen}
	cfg, _ := apptest.Config(s, now)
	clock := now
	cfg.Now = func() time.Time { return clock }
	a, err := app.New(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if err := a.Ready(ctx); err != nil {
		t.Fatalf("a fresh app: %v", err)
	}
	if at, err := app.LastHeartbeat(ctx, db); err != nil || !at.Equal(now) {
		t.Errorf("heartbeat: %v %v", at, err)
	}
	// A request's write is refused for lack of space.
	fail = errors.New("database or disk is full (13)")
	if err := s.InTx(ctx, func(pendopo.Store) error { return nil }); err == nil {
		t.Fatal("the write went through")
	}
	err = a.Ready(ctx)
	if kind(err) != pendopo.KindUnavailable || !strings.Contains(err.Error(), "database refuses writes") || !strings.Contains(err.Error(), "disk is full") {
		t.Errorf("a full disk: %v", err)
	}
	// Space again: the next probe, 10 s later, commits and clears it.
	fail = nil
	if err := a.Ready(ctx); err == nil {
		t.Error("ready again before the probe tried")
	}
	clock = clock.Add(10 * time.Second)
	if err := a.Ready(ctx); err != nil {
		t.Errorf("after the disk was freed: %v", err)
	}
	// The probe alone finds a database that refuses writes.
	clock = clock.Add(29 * time.Second)
	if err := a.Heartbeat(ctx); err != nil {
		t.Fatal(err)
	}
	if at, _ := app.LastHeartbeat(ctx, db); !at.Equal(now.Add(10 * time.Second)) {
		t.Errorf("the heartbeat was written again within 30 s: %v", at)
	}
	clock = clock.Add(time.Second)
	probeOnly := errors.New("attempt to write a readonly database (8)")
	fail = probeOnly
	if err := a.Heartbeat(ctx); err == nil || !strings.Contains(err.Error(), "readonly") {
		t.Errorf("a read-only database: %v", err)
	}
}
