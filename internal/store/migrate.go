package store

import (
	"context"
	"embed"
	"fmt"
	"io/fs"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Migrations are forward-only SQL files named NNNN_name.sql, written once
// for both engines with {{type}} names where the column types differ (see
// columnTypes), or NNNN_name.sqlite.sql and NNNN_name.postgres.sql where
// the SQL itself differs.
//
//go:embed migrations/*.sql
var migrationFS embed.FS

type migration struct {
	version int
	name    string
	sql     string
}

// migrations lists the migrations for dialect in order.
func migrations(dialect string) ([]migration, error) { return readMigrations(migrationFS, dialect) }

// readMigrations lists the migrations in fsys's directory migrations.
func readMigrations(fsys fs.FS, dialect string) ([]migration, error) {
	entries, err := fs.ReadDir(fsys, "migrations")
	if err != nil {
		return nil, err
	}
	var out []migration
	for _, e := range entries {
		name := strings.TrimSuffix(e.Name(), ".sql")
		if d, ok := strings.CutSuffix(name, ".sqlite"); ok {
			if dialect != "sqlite" {
				continue
			}
			name = d
		} else if d, ok := strings.CutSuffix(name, ".postgres"); ok {
			if dialect != "postgres" {
				continue
			}
			name = d
		}
		num, _, _ := strings.Cut(name, "_")
		v, err := strconv.Atoi(num)
		if err != nil {
			return nil, fmt.Errorf("migration %s: name must start with a number", e.Name())
		}
		body, err := fs.ReadFile(fsys, "migrations/"+e.Name())
		if err != nil {
			return nil, err
		}
		types, ok := columnTypes[dialect]
		if !ok {
			return nil, fmt.Errorf("migrations: unknown dialect %q", dialect)
		}
		sql := types.Replace(string(body))
		if i := strings.Index(sql, "{{"); i >= 0 {
			end, _, _ := strings.Cut(sql[i:], "}}")
			return nil, fmt.Errorf("migration %s: unknown type %s}}", e.Name(), end)
		}
		out = append(out, migration{version: v, name: name, sql: sql})
	}
	slices.SortFunc(out, func(a, b migration) int { return a.version - b.version })
	for i := 1; i < len(out); i++ {
		if out[i].version == out[i-1].version {
			return nil, fmt.Errorf("migrations %s and %s share a number", out[i-1].name, out[i].name)
		}
	}
	return out, nil
}

// MigrationStatus is one migration and whether it was applied.
type MigrationStatus struct {
	Version   int
	Name      string
	AppliedAt time.Time // zero when pending
}

// Migrate applies pending migrations, each in its own transaction. On
// PostgreSQL an advisory lock keeps instances starting together from
// migrating twice.
func (db *DB) Migrate(ctx context.Context) error { return db.MigrateTo(ctx, math.MaxInt) }

// MigrateTo applies the pending migrations numbered up to version, as a
// restore does to build the schema a backup was taken with before it
// loads the rows.
func (db *DB) MigrateTo(ctx context.Context, version int) error {
	conn, err := db.w.Conn(ctx)
	if err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	defer conn.Close()
	if db.d.name() == "postgres" {
		// The lock key spells "pendopo" in ASCII.
		if _, err := conn.ExecContext(ctx, "SELECT pg_advisory_lock(31636722197426287)"); err != nil {
			return fmt.Errorf("migrate: take lock: %w", err)
		}
		defer conn.ExecContext(context.WithoutCancel(ctx), "SELECT pg_advisory_unlock(31636722197426287)")
	}
	if _, err := conn.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)`); err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	all, err := migrations(db.d.name())
	if err != nil {
		return err
	}
	applied := map[int]bool{}
	rows, err := conn.QueryContext(ctx, "SELECT version FROM schema_migrations")
	if err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	for rows.Next() {
		var v int
		if err := rows.Scan(&v); err != nil {
			rows.Close()
			return err
		}
		applied[v] = true
	}
	rows.Close()
	for _, m := range all {
		if applied[m.version] || m.version > version {
			continue
		}
		tx, err := conn.BeginTx(ctx, nil)
		if err != nil {
			return fmt.Errorf("migrate %s: %w", m.name, err)
		}
		if _, err := tx.ExecContext(ctx, m.sql); err != nil {
			tx.Rollback()
			return fmt.Errorf("migrate %s: %w", m.name, err)
		}
		if _, err := tx.ExecContext(ctx, db.d.rebind("INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)"),
			m.version, m.name, time.Now().UTC().Format(time.RFC3339)); err != nil { // wallclock: an operator's record of when this binary applied it
			tx.Rollback()
			return fmt.Errorf("migrate %s: %w", m.name, err)
		}
		if err := tx.Commit(); err != nil {
			return fmt.Errorf("migrate %s: %w", m.name, err)
		}
	}
	return nil
}

// Migrations reports every known migration and when it was applied.
func (db *DB) Migrations(ctx context.Context) ([]MigrationStatus, error) {
	all, err := migrations(db.d.name())
	if err != nil {
		return nil, err
	}
	at := map[int]time.Time{}
	rows, err := db.r.QueryContext(ctx, "SELECT version, applied_at FROM schema_migrations")
	if err != nil {
		return nil, fmt.Errorf("read migrations: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var (
			v int
			s string
		)
		if err := rows.Scan(&v, &s); err != nil {
			return nil, err
		}
		at[v], _ = time.Parse(time.RFC3339, s)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	out := make([]MigrationStatus, len(all))
	for i, m := range all {
		out[i] = MigrationStatus{Version: m.version, Name: m.name, AppliedAt: at[m.version]}
	}
	return out, nil
}

// PendingMigrations names the migrations this build knows that the
// database lacks, for readiness checks. Open applies them all, so a
// pending one means the database changed underneath, such as a restore
// of an older backup.
func (db *DB) PendingMigrations(ctx context.Context) ([]string, error) {
	all, err := db.Migrations(ctx)
	if err != nil {
		return nil, err
	}
	var pending []string
	for _, m := range all {
		if m.AppliedAt.IsZero() {
			pending = append(pending, m.Name)
		}
	}
	return pending, nil
}

// KnownMigrations names the migrations this build knows for dialect
// ("sqlite" or "postgres"), in order.
func KnownMigrations(dialect string) ([]string, error) {
	all, err := migrations(dialect)
	if err != nil {
		return nil, err
	}
	names := make([]string, len(all))
	for i, m := range all {
		names[i] = m.name
	}
	return names, nil
}
