package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
)

// Snapshot is a consistent copy of a whole database in a directory, as a
// backup keeps it. On SQLite it is one database file made by VACUUM INTO;
// on PostgreSQL every table in the text format of COPY, all read in one
// repeatable-read transaction, so that no pg_dump of a matching version
// is needed and the copy loads back through the migrations.
type Snapshot struct {
	Dialect string `json:"dialect"`
	// Migrations are the migrations applied to the copied database.
	Migrations []string `json:"migrations"`
	// Files are the snapshot's files in its directory.
	Files []string `json:"files"`
	// Tables are PostgreSQL's tables in the order they load (referenced
	// tables first), with their columns and rows.
	Tables []SnapshotTable `json:"tables,omitempty"`
	// Blobs are the file store addresses the copy refers to.
	Blobs []string `json:"-"`
}

// SnapshotTable is one PostgreSQL table of a snapshot.
type SnapshotTable struct {
	Name    string   `json:"name"`
	Columns []string `json:"columns"`
	File    string   `json:"file"`
	Rows    int64    `json:"rows"`
}

// SQLiteSnapshotFile is the file of a SQLite snapshot.
const SQLiteSnapshotFile = "pendopo.db"

// blobColumns hold file store addresses. A table that starts to keep
// files adds its column here, so that backups check that its files are
// there.
var blobColumns = []struct{ table, column string }{
	{"uploads", "addr"},
	{"documents", "blob"},
	{"report_photos", "addr"},
	{"brand_updates", "photo"},
}

func blobQuery() string {
	var parts []string
	for _, c := range blobColumns {
		parts = append(parts, fmt.Sprintf("SELECT %s AS addr FROM %s WHERE %s <> ''", c.column, c.table, c.column))
	}
	return "SELECT DISTINCT addr FROM (" + strings.Join(parts, " UNION ") + ") AS refs ORDER BY addr"
}

// BlobAddrs lists the file store addresses the database refers to.
func (db *DB) BlobAddrs(ctx context.Context) ([]string, error) {
	return scanStrings(db.r.QueryContext(ctx, blobQuery()))
}

func scanStrings(rows *sql.Rows, err error) ([]string, error) {
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, rows.Err()
}

// Applied names the migrations applied to the database, in order.
func (db *DB) Applied(ctx context.Context) ([]string, error) {
	return scanStrings(db.r.QueryContext(ctx, "SELECT name FROM schema_migrations ORDER BY version"))
}

// Snapshot writes a consistent copy of the database into the empty
// directory dir while others go on reading and writing it.
func (db *DB) Snapshot(ctx context.Context, dir string) (Snapshot, error) {
	if db.d.name() == "sqlite" {
		return db.snapshotSQLite(ctx, dir)
	}
	return db.snapshotPostgres(ctx, dir)
}

func (db *DB) snapshotSQLite(ctx context.Context, dir string) (Snapshot, error) {
	s := Snapshot{Dialect: "sqlite", Files: []string{SQLiteSnapshotFile}}
	out := filepath.Join(dir, SQLiteSnapshotFile)
	// VACUUM INTO reads in one transaction, which in WAL mode holds up no
	// writer, and writes a compact copy.
	if _, err := db.w.ExecContext(ctx, "VACUUM INTO ?", out); err != nil {
		return s, fmt.Errorf("copy %s: %w", db.path, err)
	}
	snap, err := openSQLiteReadOnly(out)
	if err != nil {
		return s, err
	}
	defer snap.Close()
	if s.Migrations, err = snap.Applied(ctx); err != nil {
		return s, fmt.Errorf("read the copy's migrations: %w", err)
	}
	if s.Blobs, err = snap.BlobAddrs(ctx); err != nil {
		return s, fmt.Errorf("read the copy's files: %w", err)
	}
	return s, nil
}

// openSQLiteReadOnly opens a SQLite file only to read it.
func openSQLiteReadOnly(path string) (*DB, error) {
	raw, err := sql.Open("sqlite", "file:"+path+"?mode=ro&_pragma=busy_timeout(10000)&_time_format=sqlite")
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	return &DB{d: sqliteDialect{}, w: raw, r: raw, queries: new(sync.Map), path: path, health: new(writeHealth)}, nil
}

// pgSession fixes how COPY writes dates and numbers, so that a copy
// reads back the same on a server configured otherwise.
var pgSession = []string{
	"SET LOCAL DateStyle = 'ISO, YMD'",
	"SET LOCAL IntervalStyle = 'postgres'",
	"SET LOCAL extra_float_digits = 3",
	"SET LOCAL client_encoding = 'UTF8'",
}

// withPgx runs fn on one connection of the pool as pgx's own connection,
// for COPY.
func (db *DB) withPgx(ctx context.Context, fn func(*pgx.Conn) error) error {
	conn, err := db.w.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	return conn.Raw(func(dc any) error {
		c, ok := dc.(*stdlib.Conn)
		if !ok {
			return fmt.Errorf("postgres connection of type %T", dc)
		}
		return fn(c.Conn())
	})
}

func (db *DB) snapshotPostgres(ctx context.Context, dir string) (Snapshot, error) {
	s := Snapshot{Dialect: "postgres"}
	err := db.withPgx(ctx, func(c *pgx.Conn) error {
		tx, err := c.BeginTx(ctx, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly})
		if err != nil {
			return err
		}
		defer tx.Rollback(context.WithoutCancel(ctx))
		for _, q := range pgSession {
			if _, err := tx.Exec(ctx, q); err != nil {
				return err
			}
		}
		if s.Tables, err = pgTables(ctx, tx); err != nil {
			return err
		}
		for i := range s.Tables {
			t := &s.Tables[i]
			t.File = fmt.Sprintf("%03d-%s.copy", i+1, t.Name)
			f, err := os.Create(filepath.Join(dir, t.File))
			if err != nil {
				return err
			}
			tag, err := tx.Conn().PgConn().CopyTo(ctx, f, "COPY "+pgx.Identifier{t.Name}.Sanitize()+" ("+pgColumns(t.Columns)+") TO STDOUT")
			if err == nil {
				err = f.Sync()
			}
			if cerr := f.Close(); err == nil {
				err = cerr
			}
			if err != nil {
				return fmt.Errorf("copy table %s: %w", t.Name, err)
			}
			t.Rows = tag.RowsAffected()
			s.Files = append(s.Files, t.File)
		}
		if s.Migrations, err = pgStrings(ctx, tx, "SELECT name FROM schema_migrations ORDER BY version"); err != nil {
			return fmt.Errorf("read migrations: %w", err)
		}
		if s.Blobs, err = pgStrings(ctx, tx, blobQuery()); err != nil {
			return fmt.Errorf("read files: %w", err)
		}
		return nil
	})
	if err != nil {
		return s, fmt.Errorf("snapshot of %s: %w", redact(db.url), err)
	}
	return s, nil
}

func pgColumns(cols []string) string {
	q := make([]string, len(cols))
	for i, c := range cols {
		q[i] = pgx.Identifier{c}.Sanitize()
	}
	return strings.Join(q, ", ")
}

func pgStrings(ctx context.Context, tx pgx.Tx, q string, args ...any) ([]string, error) {
	rows, err := tx.Query(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, pgx.RowTo[string])
}

// pgTables lists the tables of the current schema with their columns,
// tables that others refer to before those that refer to them.
func pgTables(ctx context.Context, tx pgx.Tx) ([]SnapshotTable, error) {
	names, err := pgStrings(ctx, tx, `SELECT table_name FROM information_schema.tables
		WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY table_name`)
	if err != nil {
		return nil, fmt.Errorf("list tables: %w", err)
	}
	rows, err := tx.Query(ctx, `SELECT cl.relname, ref.relname FROM pg_constraint k
		JOIN pg_class cl ON cl.oid = k.conrelid JOIN pg_class ref ON ref.oid = k.confrelid
		JOIN pg_namespace n ON n.oid = k.connamespace
		WHERE k.contype = 'f' AND n.nspname = current_schema()`)
	if err != nil {
		return nil, fmt.Errorf("list foreign keys: %w", err)
	}
	deps := map[string][]string{}
	for rows.Next() {
		var from, to string
		if err := rows.Scan(&from, &to); err != nil {
			rows.Close()
			return nil, err
		}
		if from != to {
			deps[from] = append(deps[from], to)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	order, err := dependencyOrder(names, deps)
	if err != nil {
		return nil, err
	}
	out := make([]SnapshotTable, len(order))
	for i, name := range order {
		cols, err := pgStrings(ctx, tx, `SELECT column_name FROM information_schema.columns
			WHERE table_schema = current_schema() AND table_name = $1 AND is_generated = 'NEVER' ORDER BY ordinal_position`, name)
		if err != nil {
			return nil, fmt.Errorf("columns of %s: %w", name, err)
		}
		out[i] = SnapshotTable{Name: name, Columns: cols}
	}
	return out, nil
}

// dependencyOrder sorts names so that every table comes after the tables
// it refers to (deps), alphabetically where the references leave a choice.
func dependencyOrder(names []string, deps map[string][]string) ([]string, error) {
	done := map[string]bool{}
	var out []string
	for len(out) < len(names) {
		progress := false
		for _, n := range names {
			if done[n] {
				continue
			}
			ready := true
			for _, d := range deps[n] {
				if !done[d] && slices.Contains(names, d) {
					ready = false
				}
			}
			if ready {
				done[n] = true
				out = append(out, n)
				progress = true
			}
		}
		if !progress {
			return nil, fmt.Errorf("tables refer to each other in a cycle: %v", deps)
		}
	}
	return out, nil
}

// Empty says whether the database holds nothing yet: on PostgreSQL no
// table in its schema, on SQLite no table at all. A restore goes only
// into an empty database.
func (db *DB) Empty(ctx context.Context) (bool, error) {
	q := `SELECT count(*) FROM sqlite_master WHERE type = 'table'`
	if db.d.name() == "postgres" {
		q = `SELECT count(*) FROM information_schema.tables WHERE table_schema = current_schema()`
	}
	var n int
	if err := db.r.QueryRowContext(ctx, q).Scan(&n); err != nil {
		return false, err
	}
	return n == 0, nil
}

// migrationNumber is the number a migration's name starts with.
func migrationNumber(name string) (int, error) {
	num, _, _ := strings.Cut(name, "_")
	return strconv.Atoi(num)
}

// CheckMigrations refuses a snapshot with a migration this build does
// not know, such as one taken by a newer version of Pendopo.
func (s Snapshot) CheckMigrations() error {
	known, err := KnownMigrations(s.Dialect)
	if err != nil {
		return err
	}
	for _, m := range s.Migrations {
		if !slices.Contains(known, m) {
			return fmt.Errorf("the backup's database has migration %s, which this build of Pendopo does not know: restore it with the version that made it, or a newer one", m)
		}
	}
	return nil
}

// LoadSnapshot fills this empty PostgreSQL database with the snapshot in
// dir: the migrations build the schema the snapshot was taken with, the
// rows of every table are copied in one transaction (so that a failure
// leaves no half-loaded database), the identity sequences are moved past
// the loaded ids, and then the later migrations run.
func (db *DB) LoadSnapshot(ctx context.Context, dir string, s Snapshot) error {
	if db.d.name() != "postgres" || s.Dialect != "postgres" {
		return fmt.Errorf("load a %s snapshot into %s: only PostgreSQL loads table by table", s.Dialect, db.d.name())
	}
	if err := s.CheckMigrations(); err != nil {
		return err
	}
	empty, err := db.Empty(ctx)
	if err != nil {
		return err
	}
	if !empty {
		return fmt.Errorf("%s is not empty: restore into a new database", db.Describe())
	}
	version := 0
	if n := len(s.Migrations); n > 0 {
		if version, err = migrationNumber(s.Migrations[n-1]); err != nil {
			return err
		}
	}
	if err := db.MigrateTo(ctx, version); err != nil {
		return err
	}
	err = db.withPgx(ctx, func(c *pgx.Conn) error {
		tx, err := c.Begin(ctx)
		if err != nil {
			return err
		}
		defer tx.Rollback(context.WithoutCancel(ctx))
		for _, q := range pgSession {
			if _, err := tx.Exec(ctx, q); err != nil {
				return err
			}
		}
		for i := len(s.Tables) - 1; i >= 0; i-- {
			if _, err := tx.Exec(ctx, "DELETE FROM "+pgx.Identifier{s.Tables[i].Name}.Sanitize()); err != nil {
				return fmt.Errorf("empty table %s: %w", s.Tables[i].Name, err)
			}
		}
		for _, t := range s.Tables {
			if err := copyIn(ctx, tx, dir, t); err != nil {
				return err
			}
		}
		seqs, err := tx.Query(ctx, `SELECT table_name, column_name,
				pg_get_serial_sequence(quote_ident(current_schema()) || '.' || quote_ident(table_name), column_name)
			FROM information_schema.columns
			WHERE table_schema = current_schema() AND (is_identity = 'YES' OR column_default LIKE 'nextval%')`)
		if err != nil {
			return err
		}
		type seq struct{ table, column, name string }
		var list []seq
		for seqs.Next() {
			var s seq
			var name *string
			if err := seqs.Scan(&s.table, &s.column, &name); err != nil {
				seqs.Close()
				return err
			}
			if name != nil {
				s.name = *name
				list = append(list, s)
			}
		}
		seqs.Close()
		if err := seqs.Err(); err != nil {
			return err
		}
		for _, s := range list {
			q := fmt.Sprintf("SELECT setval($1, COALESCE((SELECT max(%s) FROM %s), 0) + 1, false)",
				pgx.Identifier{s.column}.Sanitize(), pgx.Identifier{s.table}.Sanitize())
			if _, err := tx.Exec(ctx, q, s.name); err != nil {
				return fmt.Errorf("move sequence of %s.%s: %w", s.table, s.column, err)
			}
		}
		return tx.Commit(ctx)
	})
	if err != nil {
		return fmt.Errorf("load the backup into %s: %w", db.Describe(), err)
	}
	return db.Migrate(ctx)
}

func copyIn(ctx context.Context, tx pgx.Tx, dir string, t SnapshotTable) error {
	if !identRE.MatchString(t.Name) || filepath.Base(t.File) != t.File {
		return fmt.Errorf("snapshot table %q in %q: bad name", t.Name, t.File)
	}
	f, err := os.Open(filepath.Join(dir, t.File))
	if err != nil {
		return err
	}
	defer f.Close()
	tag, err := tx.Conn().PgConn().CopyFrom(ctx, f, "COPY "+pgx.Identifier{t.Name}.Sanitize()+" ("+pgColumns(t.Columns)+") FROM STDIN")
	if err != nil {
		return fmt.Errorf("load table %s: %w", t.Name, err)
	}
	if tag.RowsAffected() != t.Rows {
		return fmt.Errorf("load table %s: %d rows, the backup says %d", t.Name, tag.RowsAffected(), t.Rows)
	}
	return nil
}

// PlaceSQLite moves a closed SQLite database file, with its write-ahead
// log if it has one, to path, where no database may be yet, and makes
// the move durable.
func PlaceSQLite(snapshot, path string) error {
	for _, p := range []string{path, path + "-wal", path + "-journal"} {
		if _, err := os.Stat(p); err == nil {
			return fmt.Errorf("%s exists: restore into an empty place", p)
		} else if !errors.Is(err, os.ErrNotExist) {
			return err
		}
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o750); err != nil {
		return err
	}
	os.Remove(snapshot + "-shm") // rebuilt from the log when opened
	for _, sfx := range []string{"-wal", ""} {
		if _, err := os.Stat(snapshot + sfx); errors.Is(err, os.ErrNotExist) && sfx != "" {
			continue
		}
		if err := os.Rename(snapshot+sfx, path+sfx); err != nil {
			// Another file system: copy, then sync.
			if err := copyFile(snapshot+sfx, path+sfx); err != nil {
				return err
			}
		}
	}
	return syncDir(filepath.Dir(path))
}

func copyFile(from, to string) error {
	in, err := os.Open(from)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(to, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o640)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	if err := out.Sync(); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

// syncDir makes the creation and renaming of files in dir durable.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}

// DropAll drops every table of the current PostgreSQL schema. Only a
// restore whose checks failed calls it, on a database it found empty
// before it loaded the backup, so that nothing unchecked is left where an
// instance could serve it.
func (db *DB) DropAll(ctx context.Context) error {
	if db.d.name() != "postgres" {
		return errors.New("drop all: only on PostgreSQL")
	}
	names, err := scanStrings(db.r.QueryContext(ctx, `SELECT table_name FROM information_schema.tables
		WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'`))
	if err != nil || len(names) == 0 {
		return err
	}
	for i, n := range names {
		names[i] = pgx.Identifier{n}.Sanitize()
	}
	_, err = db.w.ExecContext(ctx, "DROP TABLE "+strings.Join(names, ", ")+" CASCADE")
	return err
}
