package store_test

import (
	"context"
	"database/sql"
	"maps"
	"path/filepath"
	"slices"
	"testing"

	"github.com/pendopo/pendopo"
	"github.com/pendopo/pendopo/internal/pendopotest"
	"github.com/pendopo/pendopo/internal/store"
	"github.com/pendopo/pendopo/internal/store/storetest"
)

func TestSQLite(t *testing.T) {
	storetest.Run(t, func(t *testing.T) pendopo.Store { return pendopotest.SQLite(t) })
}

func TestPostgres(t *testing.T) {
	storetest.Run(t, func(t *testing.T) pendopo.Store { return pendopotest.Postgres(t) })
}

// TestPendingMigrations is what readiness checks: none after Open, and the
// missing one when the database lost a migration underneath, as a restore
// of an older backup would.
func TestPendingMigrations(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	db, err := store.Open(ctx, "", dir)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if pending, err := db.PendingMigrations(ctx); err != nil || len(pending) != 0 {
		t.Fatalf("after Open: %v %v", pending, err)
	}
	raw, err := sql.Open("sqlite", "file:"+filepath.Join(dir, "pendopo.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	if _, err := raw.Exec("DELETE FROM schema_migrations WHERE version = 10"); err != nil {
		t.Fatal(err)
	}
	if pending, err := db.PendingMigrations(ctx); err != nil || !slices.Equal(pending, []string{"0010_outbox_unsent"}) {
		t.Errorf("after losing 0010: %v %v", pending, err)
	}
	if got := slices.Sorted(maps.Keys(db.Pools())); !slices.Equal(got, []string{"reader", "writer"}) {
		t.Errorf("SQLite pools: %v", got)
	}
	db.Close()
	if _, err := db.PendingMigrations(ctx); err == nil {
		t.Error("a closed database has no pending migrations and no error")
	}
}
