// Package pendopotest holds helpers for Pendopo's tests: fresh databases
// on both backends, fixtures, a scan of every table and a mailpit server.
// It imports the domain and the store, never the use cases, so that the
// store's contract suite compiles without them; building an *app.App is
// internal/apptest's.
package pendopotest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"testing"

	"github.com/pendopo/pendopo/internal/store"

	_ "github.com/jackc/pgx/v5/stdlib"
)

// Environment variables that select test databases.
const (
	// EnvPostgres is a PostgreSQL URL; when set, PostgreSQL tests run and
	// fail if the server cannot be reached. CI always sets it.
	EnvPostgres = "PENDOPO_TEST_POSTGRES"
	// EnvBackend set to "postgres" makes DB return PostgreSQL databases, so
	// that the whole suite runs on PostgreSQL.
	EnvBackend = "PENDOPO_TEST_DB"
)

// DB returns a fresh, migrated database for one test: SQLite in a temporary
// directory, or PostgreSQL when PENDOPO_TEST_DB=postgres.
func DB(t testing.TB) *store.DB {
	t.Helper()
	if os.Getenv(EnvBackend) == "postgres" {
		return Postgres(t)
	}
	return SQLite(t)
}

// SQLite returns a fresh SQLite database in t.TempDir().
func SQLite(t testing.TB) *store.DB {
	t.Helper()
	db, err := store.Open(context.Background(), "", t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// PostgresURL returns the URL of a fresh, empty PostgreSQL schema that is
// dropped when the test ends. It skips the test when PENDOPO_TEST_POSTGRES
// is unset and fails it when the server cannot be reached.
func PostgresURL(t testing.TB) string {
	t.Helper()
	base := os.Getenv(EnvPostgres)
	if base == "" {
		if os.Getenv(EnvBackend) == "postgres" {
			t.Fatalf("%s=postgres needs %s", EnvBackend, EnvPostgres)
		}
		t.Skipf("PostgreSQL tests need %s (for example postgres://postgres@127.0.0.1:5432/test?sslmode=disable)", EnvPostgres)
	}
	admin, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatalf("open %s: %v", EnvPostgres, err)
	}
	defer admin.Close()
	b := make([]byte, 6)
	rand.Read(b)
	schema := "t_" + hex.EncodeToString(b)
	if _, err := admin.Exec("CREATE SCHEMA " + schema); err != nil {
		t.Fatalf("PostgreSQL at %s is required but failed: %v", EnvPostgres, err)
	}
	t.Cleanup(func() {
		admin, err := sql.Open("pgx", base)
		if err != nil {
			return
		}
		defer admin.Close()
		admin.Exec("DROP SCHEMA " + schema + " CASCADE")
	})
	u, err := url.Parse(base)
	if err != nil {
		t.Fatalf("parse %s: %v", EnvPostgres, err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}

// Postgres returns a fresh PostgreSQL database (a schema of its own).
func Postgres(t testing.TB) *store.DB {
	t.Helper()
	db, err := store.Open(context.Background(), PostgresURL(t), "")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}
