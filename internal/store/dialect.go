package store

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/pendopo/pendopo"
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// dialect is what differs between SQLite and PostgreSQL.
type dialect interface {
	name() string
	// rebind turns "?" parameters into the engine's form.
	rebind(query string) string
	// mapErr turns constraint violations into pendopo errors.
	mapErr(err error) error
	// textOrder is an ORDER BY expression that sorts text the same way on
	// both engines: case-insensitively, byte-wise.
	textOrder(col string) string
}

type sqliteDialect struct{}

func (sqliteDialect) name() string                { return "sqlite" }
func (sqliteDialect) rebind(q string) string      { return q }
func (sqliteDialect) textOrder(col string) string { return "lower(" + col + ")" }

func (sqliteDialect) mapErr(err error) error {
	var e *sqlite.Error
	if errors.As(err, &e) {
		switch e.Code() {
		case sqlite3.SQLITE_CONSTRAINT_UNIQUE, sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY:
			return fmt.Errorf("%w: %v", pendopo.ErrConflict, err)
		case sqlite3.SQLITE_CONSTRAINT_FOREIGNKEY:
			return fmt.Errorf("%w: %v", errReference, err)
		}
	}
	return err
}

type postgresDialect struct{}

func (postgresDialect) name() string                { return "postgres" }
func (postgresDialect) textOrder(col string) string { return "lower(" + col + ") COLLATE \"C\"" }

func (postgresDialect) rebind(q string) string {
	var b strings.Builder
	b.Grow(len(q) + 16)
	n := 0
	inString := false
	for i := 0; i < len(q); i++ {
		c := q[i]
		switch {
		case c == '\'':
			inString = !inString
		case c == '?' && !inString:
			n++
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(n))
			continue
		}
		b.WriteByte(c)
	}
	return b.String()
}

func (postgresDialect) mapErr(err error) error {
	var e *pgconn.PgError
	if errors.As(err, &e) {
		switch e.Code {
		case "23505":
			return fmt.Errorf("%w: %v", pendopo.ErrConflict, err)
		case "23503":
			return fmt.Errorf("%w: %v", errReference, err)
		case "22021", "22P05":
			// Text PostgreSQL cannot store (NUL, bad encoding) is bad input.
			return fmt.Errorf("%w: %v", errBadText, err)
		}
	}
	return err
}

// errBadText is text the database cannot store; validation rejects it
// first, so this is a last line of defence.
var errBadText = &pendopo.Error{Kind: pendopo.KindInvalid, Msg: pendopo.T("Isian berisi karakter yang tidak valid.", "The input contains invalid characters.")}

// errReference is a foreign key violation: a row names another that does
// not exist. Callers check references first, so reaching it is a bug or a
// race, reported as a conflict.
var errReference = &pendopo.Error{Kind: pendopo.KindConflict, Msg: pendopo.T("Data yang dirujuk tidak ada atau masih dipakai.", "A referenced item does not exist or is still in use.")}
