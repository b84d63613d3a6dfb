package store

import "database/sql"

// Writer is the writer pool, for tests that set a pragma on its one
// connection.
func (db *DB) Writer() *sql.DB { return db.w }
