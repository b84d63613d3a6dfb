// Package store implements pendopo.Store for SQLite (the default, embedded
// in the binary through a pure-Go driver) and PostgreSQL. The SQL is
// written once with "?" for parameters; dialect.go holds what differs.
package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/pendopo/pendopo"

	_ "github.com/jackc/pgx/v5/stdlib" // registers driver "pgx"
	_ "modernc.org/sqlite"             // registers driver "sqlite"
)

// DB is a Pendopo database. Use Open; a DB is safe for concurrent use.
type DB struct {
	d dialect
	// w takes writes and transactions; for SQLite it has one connection so
	// that writers queue in Go instead of failing with "database is locked".
	w *sql.DB
	// r takes reads outside transactions.
	r *sql.DB
	// tx is set on the DB handed to an InTx callback.
	tx *sql.Tx
	// audit queues the audit entries appended in tx, for the commit.
	audit *auditQueue
	// auditTail is the end of the audit trail as this process last
	// committed it.
	auditTail *auditTailCache

	queries *sync.Map // rebound query text by source text
	// writes counts writes begun or committed through this handle (see
	// Writes); shared by its transactions.
	writes *atomic.Uint64
	// standards keeps what service lists need from each service's
	// content (see standardsOf); nil keeps nothing.
	standards *standardCache

	path string // the SQLite file
	url  string // the PostgreSQL URL
	// health remembers whether the database last refused a write.
	health *writeHealth
}

// querier is what *sql.DB and *sql.Tx share.
type querier interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// Open connects to the database named by url, or to the SQLite file
// dataDir/pendopo.db when url is empty, and applies pending migrations.
// URLs starting with postgres:// or postgresql:// select PostgreSQL;
// sqlite:PATH selects a SQLite file elsewhere.
func Open(ctx context.Context, url, dataDir string) (*DB, error) {
	return OpenWith(ctx, url, dataDir, Options{})
}

// Options change how OpenWith opens a database; the zero value opens it
// as Open does.
type Options struct {
	// NoMigrate leaves the schema as it is, for commands that only read
	// (backup, doctor) and must not change a database another version
	// serves.
	NoMigrate bool
	// MustExist refuses to create a SQLite file that is not there.
	MustExist bool
	// QuickCheck runs SQLite's quick_check before anything is written and
	// refuses a damaged file with an *DamagedError.
	QuickCheck bool
}

// OpenWith opens a database as Open does, with options.
func OpenWith(ctx context.Context, url, dataDir string, o Options) (*DB, error) {
	path, pg, err := Locate(url, dataDir)
	if err != nil {
		return nil, err
	}
	var db *DB
	if pg {
		db, err = openPostgres(url)
	} else {
		if o.MustExist {
			if _, err := os.Stat(path); err != nil {
				return nil, fmt.Errorf("open database: %w", err)
			}
		}
		db, err = openSQLite(path)
	}
	if err != nil {
		return nil, err
	}
	if o.QuickCheck {
		if err := db.QuickCheck(ctx); err != nil {
			db.Close()
			return nil, err
		}
	}
	if !o.NoMigrate {
		if err := db.Migrate(ctx); err != nil {
			db.Close()
			return nil, err
		}
		// Migration 0013 made the tree; entries older than it join it now.
		if err := db.syncAuditTree(ctx); err != nil {
			db.Close()
			return nil, err
		}
	}
	return db, nil
}

// Locate says where url (or, when it is empty, dataDir) keeps its
// database: the SQLite file's path, or pg for PostgreSQL.
func Locate(url, dataDir string) (path string, pg bool, err error) {
	switch {
	case strings.HasPrefix(url, "postgres://"), strings.HasPrefix(url, "postgresql://"):
		return "", true, nil
	case url == "":
		if dataDir == "" {
			return "", false, errors.New("open database: neither a database URL nor a data directory was given")
		}
		return filepath.Join(dataDir, "pendopo.db"), false, nil
	case strings.HasPrefix(url, "sqlite:"):
		return strings.TrimPrefix(url, "sqlite:"), false, nil
	}
	return "", false, fmt.Errorf("open database: unsupported URL %q (use postgres://… or sqlite:PATH)", redact(url))
}

func openSQLite(path string) (*DB, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o750); err != nil {
		return nil, fmt.Errorf("create database directory: %w", err)
	}
	dsn := "file:" + path + "?_pragma=journal_mode(WAL)&_pragma=busy_timeout(10000)&_pragma=foreign_keys(1)&_pragma=synchronous(FULL)&_time_format=sqlite"
	w, err := sql.Open("sqlite", dsn+"&_txlock=immediate")
	if err != nil {
		return nil, fmt.Errorf("open sqlite %s: %w", path, err)
	}
	w.SetMaxOpenConns(1)
	w.SetMaxIdleConns(1)
	w.SetConnMaxLifetime(0)
	w.SetConnMaxIdleTime(0)
	// Create the file and switch it to WAL before readers open it.
	if err := w.Ping(); err != nil {
		w.Close()
		return nil, fmt.Errorf("open sqlite %s: %w", path, err)
	}
	r, err := sql.Open("sqlite", dsn+"&_pragma=query_only(1)")
	if err != nil {
		w.Close()
		return nil, fmt.Errorf("open sqlite %s: %w", path, err)
	}
	n := max(4, 2*runtime.GOMAXPROCS(0))
	r.SetMaxOpenConns(n)
	r.SetMaxIdleConns(n)
	r.SetConnMaxIdleTime(0)
	r.SetConnMaxLifetime(0)
	return &DB{d: sqliteDialect{}, w: w, r: r, queries: new(sync.Map), path: path, health: new(writeHealth), auditTail: &auditTailCache{}, standards: newStandardCache(), writes: new(atomic.Uint64)}, nil
}

func openPostgres(url string) (*DB, error) {
	db, err := sql.Open("pgx", url)
	if err != nil {
		return nil, fmt.Errorf("open postgres %s: %w", redact(url), err)
	}
	db.SetMaxOpenConns(max(8, 4*runtime.GOMAXPROCS(0)))
	db.SetMaxIdleConns(max(8, 4*runtime.GOMAXPROCS(0)))
	if err := db.Ping(); err != nil {
		db.Close()
		return nil, fmt.Errorf("connect to postgres %s: %w", redact(url), err)
	}
	return &DB{d: postgresDialect{}, w: db, r: db, queries: new(sync.Map), url: url, health: new(writeHealth), auditTail: &auditTailCache{}, standards: newStandardCache(), writes: new(atomic.Uint64)}, nil
}

// redact hides a password in a database URL for messages.
func redact(url string) string {
	at := strings.LastIndex(url, "@")
	scheme := strings.Index(url, "://")
	if at < 0 || scheme < 0 {
		return url
	}
	userinfo := url[scheme+3 : at]
	if i := strings.Index(userinfo, ":"); i >= 0 {
		return url[:scheme+3] + userinfo[:i] + ":***" + url[at:]
	}
	return url
}

// Dialect names the database engine: "sqlite" or "postgres".
func (db *DB) Dialect() string { return db.d.name() }

// Close closes the connections.
func (db *DB) Close() error {
	if db.tx != nil {
		return errors.New("close: called inside a transaction")
	}
	err := db.w.Close()
	if db.r != db.w {
		err = errors.Join(err, db.r.Close())
	}
	return err
}

// Ping checks that the database answers.
func (db *DB) Ping(ctx context.Context) error { return db.r.PingContext(ctx) }

// Pools returns the connection pools by name, for monitoring their use:
// "writer" and "reader" on SQLite, and "main" on PostgreSQL, where one
// pool takes both. Callers read their Stats; they must not query through
// them or close them.
func (db *DB) Pools() map[string]*sql.DB {
	if db.r == db.w {
		return map[string]*sql.DB{"main": db.w}
	}
	return map[string]*sql.DB{"writer": db.w, "reader": db.r}
}

// InTx runs fn with a DB bound to one transaction; fn's error or a panic
// rolls everything back. Nested calls join the outer transaction.
func (db *DB) InTx(ctx context.Context, fn func(pendopo.Store) error) (err error) {
	if db.tx != nil {
		return fn(db)
	}
	defer func() { db.health.note(err) }()
	tx, err := db.w.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin transaction: %w", err)
	}
	defer func() {
		if p := recover(); p != nil {
			tx.Rollback()
			panic(p)
		}
		if err != nil {
			tx.Rollback()
		}
	}()
	inner := *db
	inner.tx, inner.audit = tx, &auditQueue{}
	if err := fn(&inner); err != nil {
		return err
	}
	if err := inner.flushAudit(ctx); err != nil {
		return err
	}
	err = tx.Commit()
	db.wrote()
	if err != nil {
		return fmt.Errorf("commit: %w", db.d.mapErr(err))
	}
	if t := inner.audit.tail; t != nil {
		db.auditTail.set(t)
	}
	return nil
}

// Batch runs several independent units of work in one transaction with
// one durable commit. A unit that fails is left out: the transaction is
// rolled back and the others run again in a new one (so a failure costs a
// retry, while the common case pays nothing extra). Units that failed
// then run once more, each alone, after the batch committed, so that a
// unit that failed only because of another that was left out too gets
// its chance; its error is the one it got alone. Units must therefore be
// pure database work that may run more than once. When a commit fails,
// err says so and nothing of that attempt landed.
func (db *DB) Batch(ctx context.Context, fns []func(pendopo.Store) error) (errs []error, err error) {
	errs = make([]error, len(fns))
	todo := make([]int, len(fns))
	for i := range todo {
		todo[i] = i
	}
	var failed []int
	for len(todo) > 0 {
		bad := -1
		err := db.InTx(ctx, func(s pendopo.Store) error {
			for k, i := range todo {
				if errs[i] = fns[i](s); errs[i] != nil {
					bad = k
					return errs[i]
				}
			}
			return nil
		})
		if err == nil {
			break
		}
		if bad < 0 {
			return errs, err // the commit (or the transaction) failed
		}
		failed = append(failed, todo[bad])
		todo = append(todo[:bad:bad], todo[bad+1:]...)
	}
	for _, i := range failed {
		errs[i] = db.InTx(ctx, fns[i])
	}
	return errs, nil
}

// WriteConcurrency is how many write transactions are worth running at
// once: SQLite has one writer; PostgreSQL commits several in parallel.
func (db *DB) WriteConcurrency() int {
	if db.d.name() == "sqlite" {
		return 1
	}
	return 4
}

// read returns where reads go: the transaction, or the reader pool.
func (db *DB) read() querier {
	if db.tx != nil {
		return db.tx
	}
	return db.r
}

// write returns where single writes go: the transaction, or the writer.
// A single write is counted as it starts; a transaction as it commits.
func (db *DB) write() querier {
	if db.tx != nil {
		return db.tx
	}
	db.wrote()
	return db.w
}

func (db *DB) wrote() {
	if db.writes != nil {
		db.writes.Add(1)
	}
}

// Writes counts the writes made through this handle: a read cached under
// one count may be out of date under another. Another process's writes
// are not counted.
func (db *DB) Writes() uint64 {
	if db.writes == nil {
		return 0
	}
	return db.writes.Load()
}

// ChangeStamp is a number that moves when another process writes to the
// database something a visitor's page may show: another instance sharing
// a PostgreSQL database, or a command run beside the server on the SQLite
// file. Writes through this handle are counted by Writes instead, and
// what is written on every read (sessions, the audit trail, sign-in
// failures, search counts, the outbox) is left out, so that a stamp that
// has not moved means pages read from the database are still as they
// were. Only changes matter: the number itself means nothing.
//
// SQLite tells each connection whether others committed since it last
// asked (PRAGMA data_version); the writer's connection is asked, so that
// this process's own writes, all made on it, do not count. PostgreSQL
// counts the rows each table gained, changed and lost; a server publishes
// a session's counts when it next goes idle, usually within a second of a
// commit but at worst ten seconds after, so the stamp may lag that much.
func (db *DB) ChangeStamp(ctx context.Context) (uint64, error) {
	var n int64
	var err error
	if db.d.name() == "sqlite" {
		err = db.w.QueryRowContext(ctx, "PRAGMA data_version").Scan(&n)
	} else {
		err = db.r.QueryRowContext(ctx, `SELECT COALESCE(SUM(n_tup_ins + n_tup_upd + n_tup_del), 0)::bigint
FROM pg_stat_user_tables WHERE schemaname = current_schema() AND relname <> ALL($1)`, quietTables).Scan(&n)
	}
	if err != nil {
		return 0, fmt.Errorf("read change stamp: %w", err)
	}
	return uint64(n), nil
}

// quietTables are written on every read, or hold nothing a page shows
// (see ChangeStamp). The catalog's counter moves with the catalog's
// changes, which Sync follows on its own, and the audit trail's with it.
var quietTables = []string{"sessions", "audit_log", "audit_tree", "audit_keys", "counters", "login_failures",
	"login_failures_new", "search_counts", "auth_codes", "outbox", "schema_migrations"}

// q rewrites the "?" parameters of a query for the dialect, once.
func (db *DB) q(query string) string {
	if v, ok := db.queries.Load(query); ok {
		return v.(string)
	}
	out := db.d.rebind(query)
	db.queries.Store(query, out)
	return out
}

// tx runs fn in a transaction unless db is already in one.
func (db *DB) inTx(ctx context.Context, fn func(db *DB) error) error {
	return db.InTx(ctx, func(s pendopo.Store) error { return fn(s.(*DB)) })
}

// scanner is a row of a query: *sql.Row or *sql.Rows.
type scanner interface{ Scan(dest ...any) error }

// all runs query on q and turns every row into a T with scan: the loop
// over rows that every list would otherwise write out.
func all[T any](ctx context.Context, q querier, scan func(scanner) (T, error), query string, args ...any) ([]T, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []T
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}
