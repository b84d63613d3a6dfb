package store_test

import (
	"context"
	"database/sql"
	"fmt"
	"maps"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/pendopo/pendopo"
	"github.com/pendopo/pendopo/internal/pendopotest"
	"github.com/pendopo/pendopo/internal/store"
	"github.com/pendopo/pendopo/internal/store/storetest"
	"golang.org/x/mod/sumdb/tlog"
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

// TestAuditTreeOfOlderEntries: a database whose audit entries were written
// before the Merkle tree existed (migration 0013) gets them as leaves when
// it is opened, once, so that the whole trail is in the tree.
func TestAuditTreeOfOlderEntries(t *testing.T) {
	for _, backend := range []string{"sqlite", "postgres"} {
		t.Run(backend, func(t *testing.T) {
			ctx := context.Background()
			url, driver, dsn := "", "sqlite", ""
			dir := t.TempDir()
			if backend == "postgres" {
				url = pendopotest.PostgresURL(t)
				driver, dsn = "pgx", url
			} else {
				dsn = "file:" + filepath.Join(dir, "pendopo.db")
			}
			db, err := store.Open(ctx, url, dir)
			if err != nil {
				t.Fatal(err)
			}
			for i := range 6 {
				if _, err := db.AppendAudit(ctx, pendopo.AuditEntry{At: pendopotest.T0, Actor: "budi", Action: "service.update", Entity: "service", EntityID: fmt.Sprint(i)}); err != nil {
					t.Fatal(err)
				}
			}
			want, err := db.AuditHashRange(ctx, 0, tlog.StoredHashCount(6))
			if err != nil {
				t.Fatal(err)
			}
			db.Close()
			// As an older version left it: entries without a tree.
			raw, err := sql.Open(driver, dsn)
			if err != nil {
				t.Fatal(err)
			}
			defer raw.Close()
			if _, err := raw.Exec("DELETE FROM audit_tree"); err != nil {
				t.Fatal(err)
			}
			db, err = store.Open(ctx, url, dir)
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			got, err := db.AuditHashRange(ctx, 0, tlog.StoredHashCount(6))
			if err != nil || !slices.Equal(got, want) {
				t.Errorf("tree after reopening: %v (%d hashes, want %d)", err, len(got), len(want))
			}
			// Later entries continue the same tree.
			if _, err := db.AppendAudit(ctx, pendopo.AuditEntry{At: pendopotest.T0, Actor: "budi", Action: "a", Entity: "e", EntityID: "7"}); err != nil {
				t.Fatal(err)
			}
			if _, err := db.AuditHashRange(ctx, 0, tlog.StoredHashCount(7)); err != nil {
				t.Errorf("tree after the next entry: %v", err)
			}
		})
	}
}

// TestAuditTwoInstances: two instances append to one trail, in turn and
// at once; each remembers the end of the trail it wrote last, and must
// notice when the other wrote since. The tree stays the tree of the
// entries.
func TestAuditTwoInstances(t *testing.T) {
	for _, backend := range []string{"sqlite", "postgres"} {
		t.Run(backend, func(t *testing.T) {
			ctx := context.Background()
			url, dir := "", t.TempDir()
			if backend == "postgres" {
				url = pendopotest.PostgresURL(t)
			}
			var dbs [2]*store.DB
			for i := range dbs {
				db, err := store.Open(ctx, url, dir)
				if err != nil {
					t.Fatal(err)
				}
				defer db.Close()
				dbs[i] = db
			}
			appendOn := func(db *store.DB, n int) {
				if err := db.InTx(ctx, func(tx pendopo.Store) error {
					for range n {
						if _, err := tx.AppendAudit(ctx, pendopo.AuditEntry{At: pendopotest.T0, Actor: "budi", Action: "a", Entity: "e", EntityID: "1"}); err != nil {
							return err
						}
					}
					return nil
				}); err != nil {
					t.Error(err)
				}
			}
			for i, n := range []int{3, 1, 4, 1, 5, 9, 2, 6} {
				appendOn(dbs[i%2], n)
			}
			done := make(chan bool)
			for i := range 6 {
				go func() { appendOn(dbs[i%2], 1+i); done <- true }()
			}
			for range 6 {
				<-done
			}
			head, err := dbs[0].AuditHead(ctx)
			if err != nil || head != 31+21 {
				t.Fatalf("head %d %v", head, err)
			}
			chain, err := dbs[1].AuditChain(ctx, 0, 1000)
			if err != nil {
				t.Fatal(err)
			}
			if _, _, brk := pendopo.VerifyChain(chain, pendopo.GenesisHash, 1); brk != nil {
				t.Fatalf("chain: %+v", brk)
			}
			mem := map[int64]tlog.Hash{}
			r := tlog.HashReaderFunc(func(ix []int64) ([]tlog.Hash, error) {
				out := make([]tlog.Hash, len(ix))
				for i, x := range ix {
					out[i] = mem[x]
				}
				return out, nil
			})
			for _, e := range chain {
				hs, err := tlog.StoredHashes(e.Seq-1, e.Record(), r)
				if err != nil {
					t.Fatal(err)
				}
				for i, h := range hs {
					mem[tlog.StoredHashIndex(0, e.Seq-1)+int64(i)] = h
				}
			}
			stored, err := dbs[0].AuditHashRange(ctx, 0, tlog.StoredHashCount(head))
			if err != nil {
				t.Fatal(err)
			}
			for i, h := range stored {
				if tlog.Hash(h) != mem[int64(i)] {
					t.Fatalf("stored hash %d is not the tree of the entries", i)
				}
			}
		})
	}
}

// TestChangeStamp: what another process writes moves the stamp that
// retires kept pages; reading does not, nor (on SQLite) this handle's own
// writes, which it counts itself. On PostgreSQL, what is written on every
// read (sign-in failures, search counts, the audit counter here) is left
// out: the stamp moves by exactly the one setting written with them.
func TestChangeStamp(t *testing.T) {
	for _, backend := range []string{"sqlite", "postgres"} {
		t.Run(backend, func(t *testing.T) {
			ctx := context.Background()
			url, dir := "", t.TempDir()
			driver, dsn := "sqlite", filepath.Join(dir, "pendopo.db")
			if backend == "postgres" {
				url = pendopotest.PostgresURL(t)
				driver, dsn = "pgx", url
			}
			here, err := store.Open(ctx, url, dir)
			if err != nil {
				t.Fatal(err)
			}
			defer here.Close()
			// The other process: one connection of its own.
			raw, err := sql.Open(driver, dsn)
			if err != nil {
				t.Fatal(err)
			}
			defer raw.Close()
			conn, err := raw.Conn(ctx)
			if err != nil {
				t.Fatal(err)
			}
			defer conn.Close()
			other := func(qs ...string) {
				t.Helper()
				if backend == "postgres" {
					// PostgreSQL publishes a session's row counts when it
					// goes idle, but may hold them up to ten seconds when it
					// published less than a second before; not here.
					qs = append(qs, "SELECT pg_stat_force_next_flush()")
				}
				for _, q := range qs {
					if _, err := conn.ExecContext(ctx, q); err != nil {
						t.Fatalf("%s: %v", q, err)
					}
				}
			}
			stamp := func() uint64 {
				t.Helper()
				s, err := here.ChangeStamp(ctx)
				if err != nil {
					t.Fatal(err)
				}
				return s
			}
			// changed waits for the stamp to leave was: PostgreSQL
			// publishes row counts a moment after the session is idle.
			changed := func(was uint64) uint64 {
				t.Helper()
				deadline := time.Now().Add(15 * time.Second) // wallclock: how long the server may take to publish counts
				for {
					if s := stamp(); s != was {
						return s
					}
					if time.Now().After(deadline) { // wallclock: see above
						t.Fatalf("stamp still %d", was)
					}
					time.Sleep(10 * time.Millisecond)
				}
			}
			s0 := stamp()
			if _, err := here.Setting(ctx, "x"); err == nil || stamp() != s0 {
				t.Fatalf("reading moved the stamp (or found a setting: %v)", err)
			}
			other("INSERT INTO settings (key, value) VALUES ('a', '1')")
			s1 := changed(s0)
			if backend == "sqlite" {
				if err := here.PutSetting(ctx, "mine", "1"); err != nil {
					t.Fatal(err)
				}
				if s := stamp(); s != s1 {
					t.Errorf("own write moved the stamp: %d, was %d", s, s1)
				}
				return
			}
			other("INSERT INTO login_failures (key, at) VALUES ('k', '2026-01-01 00:00:00+00')",
				"INSERT INTO search_counts (day, region_code, query) VALUES (1, '', 'ktp')",
				"UPDATE counters SET value = value + 1 WHERE name = 'audit'",
				"INSERT INTO settings (key, value) VALUES ('b', '1')")
			if s2 := changed(s1); s2 != s1+1 {
				t.Errorf("stamp moved by %d, want 1 (the setting, not what is written on reads)", s2-s1)
			}
		})
	}
}
