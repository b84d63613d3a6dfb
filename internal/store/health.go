package store

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"

	"github.com/jackc/pgx/v5/pgconn"
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// writeHealth remembers the last time the database refused a write for
// a reason of its own (a full disk, a read-only file system or server,
// an I/O error), until a transaction commits again. A full disk is
// otherwise invisible to readiness: reads and pings go on working.
type writeHealth struct {
	mu  sync.Mutex
	err error
}

// note records the outcome of a transaction: a commit clears what was
// remembered, a refusal by the storage replaces it, and other errors
// (a conflict, a cancelled request) say nothing about the storage.
func (h *writeHealth) note(err error) {
	switch {
	case err == nil:
		h.mu.Lock()
		h.err = nil
		h.mu.Unlock()
	case refusesWrites(err):
		h.mu.Lock()
		h.err = err
		h.mu.Unlock()
	}
}

// WriteError is the error with which the database last refused a write,
// or nil when the last transaction since then committed.
func (db *DB) WriteError() error {
	db.health.mu.Lock()
	defer db.health.mu.Unlock()
	return db.health.err
}

// refusesWrites says whether err means the database cannot take writes
// now, whoever asks: out of space, read-only, failing I/O or damaged.
func refusesWrites(err error) bool {
	var se *sqlite.Error
	if errors.As(err, &se) {
		switch se.Code() & 0xff {
		case sqlite3.SQLITE_FULL, sqlite3.SQLITE_IOERR, sqlite3.SQLITE_READONLY, sqlite3.SQLITE_CORRUPT,
			sqlite3.SQLITE_NOTADB, sqlite3.SQLITE_CANTOPEN, sqlite3.SQLITE_PERM:
			return true
		}
		return false
	}
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		switch {
		case pe.Code == "53100", // disk_full
			pe.Code == "25006",                     // read_only_sql_transaction (a standby, or set read-only)
			strings.HasPrefix(pe.Code, "58"),       // system_error, io_error
			pe.Code == "XX001", pe.Code == "XX002": // data_corrupted, index_corrupted
			return true
		}
	}
	return false
}

// DamagedError is a SQLite file that failed its integrity check.
type DamagedError struct {
	Path     string
	Check    string   // quick_check or integrity_check
	Problems []string // as SQLite words them, at most a few
}

func (e *DamagedError) Error() string {
	return fmt.Sprintf("the database file %s is damaged (SQLite %s: %s)", e.Path, e.Check, strings.Join(e.Problems, "; "))
}

// QuickCheck runs SQLite's quick_check, which reads every page but skips
// comparing indexes with their tables; a damaged file is *DamagedError.
// PostgreSQL checks its own pages as it reads them; there it does nothing.
func (db *DB) QuickCheck(ctx context.Context) error { return db.check(ctx, "quick_check") }

// IntegrityCheck runs SQLite's full integrity_check, indexes included,
// for pendopo doctor; it takes longer than QuickCheck.
func (db *DB) IntegrityCheck(ctx context.Context) error { return db.check(ctx, "integrity_check") }

func (db *DB) check(ctx context.Context, pragma string) error {
	if db.d.name() != "sqlite" {
		return nil
	}
	rows, err := db.r.QueryContext(ctx, "PRAGMA "+pragma+"(5)")
	if err != nil {
		if refusesWrites(err) {
			return &DamagedError{Path: db.path, Check: pragma, Problems: []string{err.Error()}}
		}
		return fmt.Errorf("%s of %s: %w", pragma, db.path, err)
	}
	defer rows.Close()
	var problems []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return err
		}
		if s != "ok" {
			problems = append(problems, s)
		}
	}
	if err := rows.Err(); err != nil {
		problems = append(problems, err.Error())
	}
	if len(problems) > 0 {
		return &DamagedError{Path: db.path, Check: pragma, Problems: problems}
	}
	return nil
}

// Describe names the database for messages: the SQLite file, or the
// PostgreSQL URL without its password.
func (db *DB) Describe() string {
	if db.d.name() == "sqlite" {
		return "SQLite file " + db.path
	}
	return "PostgreSQL " + redact(db.url)
}

// Path is the SQLite file, or "" on PostgreSQL.
func (db *DB) Path() string { return db.path }
