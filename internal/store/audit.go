package store

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"maps"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/pendopo/pendopo"
	"golang.org/x/mod/sumdb/tlog"
)

// auditQueue holds the audit entries appended in a transaction until it
// commits, and then the end of the trail they make.
type auditQueue struct {
	entries []pendopo.AuditEntry
	tail    *auditTail
}

// auditTail is the end of the trail: the last entry's number and hash,
// and the tree's frontier there (the roots of the complete subtrees the
// tree of Seq leaves is made of, by stored-hash index), which are all the
// earlier hashes the next entries' tree hashes need.
type auditTail struct {
	seq      int64
	hash     string
	frontier map[int64]tlog.Hash
}

// auditTailCache keeps the end of the trail as this process last
// committed it, so that the next append reads none of it back. It is used
// only when the counter shows that nobody appended since; entries and
// tree hashes never change once written, so it cannot be stale then.
type auditTailCache struct {
	mu sync.Mutex
	t  *auditTail
}

func (c *auditTailCache) set(t *auditTail) {
	c.mu.Lock()
	if c.t == nil || t.seq > c.t.seq {
		c.t = t
	}
	c.mu.Unlock()
}

// at returns the cached end when it is after entry seq.
func (c *auditTailCache) at(seq int64) *auditTail {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.t != nil && c.t.seq == seq {
		return c.t
	}
	return nil
}

// frontier lists the stored-hash indexes of the roots of the complete
// subtrees that make up the tree of n leaves.
func frontier(n int64) []int64 {
	var out []int64
	for level := 0; n>>level > 0; level++ {
		if n>>level&1 == 1 {
			out = append(out, tlog.StoredHashIndex(level, n>>level-1))
		}
	}
	return out
}

// AppendAudit adds an entry at the end of the hash chain and the Merkle
// tree. In a transaction the entry waits for the commit (see flushAudit);
// outside one it is appended in a transaction of its own.
func (db *DB) AppendAudit(ctx context.Context, e pendopo.AuditEntry) (pendopo.AuditEntry, error) {
	if db.tx != nil {
		db.audit.entries = append(db.audit.entries, e)
		return e, nil
	}
	err := db.inTx(ctx, func(tx *DB) error {
		out, err := tx.appendAudit(ctx, []pendopo.AuditEntry{e})
		if err == nil {
			e = out[0]
		}
		return err
	})
	return e, err
}

// flushAudit appends the entries queued in the transaction, just before
// it commits. The audit counter row stays locked from here until the
// commit, so entries are numbered and chained in commit order even with
// several writers; taking it last keeps that lock short (the rest of a
// batch of submissions runs without it) and means nothing is locked after
// it, so it can be in no lock cycle.
func (db *DB) flushAudit(ctx context.Context) error {
	if db.audit == nil || len(db.audit.entries) == 0 {
		return nil
	}
	_, err := db.appendAudit(ctx, db.audit.entries)
	db.audit.entries = nil
	return err
}

// appendAudit numbers, chains and salts entries, adds their leaves to the
// tree, and writes both, in the transaction db is bound to. Its cost does
// not grow with the log: one counter update and multi-row inserts, and
// unless this process wrote the entry before, one read of its hash and at
// most log n reads of earlier tree hashes.
func (db *DB) appendAudit(ctx context.Context, es []pendopo.AuditEntry) ([]pendopo.AuditEntry, error) {
	var last int64
	if err := db.write().QueryRowContext(ctx, db.q(`UPDATE counters SET value = value + ? WHERE name = 'audit' RETURNING value`), len(es)).Scan(&last); err != nil {
		return nil, fmt.Errorf("audit sequence: %w", err)
	}
	first := last - int64(len(es)) + 1
	prev := pendopo.GenesisHash
	tree := &treeWriter{db: db, ctx: ctx, fresh: map[int64]tlog.Hash{}, known: map[int64]tlog.Hash{}}
	if t := db.auditTail.at(first - 1); t != nil {
		prev = t.hash
		maps.Copy(tree.known, t.frontier)
	} else if first > 1 {
		if err := db.write().QueryRowContext(ctx, db.q(`SELECT hash FROM audit_log WHERE seq = ?`), first-1).Scan(&prev); err != nil {
			return nil, fmt.Errorf("previous audit entry %d: %w", first-1, err)
		}
	}
	out := make([]pendopo.AuditEntry, len(es))
	for i, e := range es {
		e.Seq, e.PrevHash = first+int64(i), prev
		e.At = e.At.UTC().Truncate(0)
		e.Salt = newSalt()
		e.Hash = e.ComputeHash()
		prev = e.Hash
		if err := tree.add(e); err != nil {
			return nil, err
		}
		out[i] = e
	}
	if err := db.insertAudit(ctx, out); err != nil {
		return nil, err
	}
	if err := db.insertTreeHashes(ctx, tree.order, tree.fresh); err != nil {
		return nil, err
	}
	if db.audit != nil {
		db.audit.tail = tree.tail(last, prev)
	}
	return out, nil
}

// newSalt is 16 random bytes as hex.
func newSalt() string {
	b := make([]byte, 16)
	if _, err := rand.Read(b); err != nil {
		panic(err) // the system's randomness failing is not recoverable
	}
	return hex.EncodeToString(b)
}

// treeWriter computes the tree hashes of new leaves, reading the hashes
// they complete subtrees with from those computed here first, then from
// those known already (the cached frontier, earlier reads), then from
// the database.
type treeWriter struct {
	db    *DB
	ctx   context.Context
	fresh map[int64]tlog.Hash
	known map[int64]tlog.Hash
	order []int64 // indexes of fresh, in the order written
}

// tail is the end of the trail after the entries written, nil when a
// hash of the frontier is not at hand.
func (w *treeWriter) tail(seq int64, hash string) *auditTail {
	t := &auditTail{seq: seq, hash: hash, frontier: map[int64]tlog.Hash{}}
	for _, i := range frontier(seq) {
		h, ok := w.fresh[i]
		if !ok {
			h, ok = w.known[i]
		}
		if !ok {
			return nil
		}
		t.frontier[i] = h
	}
	return t
}

func (w *treeWriter) add(e pendopo.AuditEntry) error {
	n := e.Seq - 1
	hashes, err := tlog.StoredHashes(n, e.Record(), w)
	if err != nil {
		return fmt.Errorf("audit tree at entry %d: %w", e.Seq, err)
	}
	base := tlog.StoredHashIndex(0, n)
	for i, h := range hashes {
		w.fresh[base+int64(i)] = h
		w.order = append(w.order, base+int64(i))
	}
	return nil
}

// ReadHashes implements tlog.HashReader.
func (w *treeWriter) ReadHashes(indexes []int64) ([]tlog.Hash, error) {
	out := make([]tlog.Hash, len(indexes))
	var missing []int64
	for _, i := range indexes {
		_, fresh := w.fresh[i]
		_, known := w.known[i]
		if !fresh && !known {
			missing = append(missing, i)
		}
	}
	old, err := w.db.AuditHashes(w.ctx, missing)
	if err != nil {
		return nil, err
	}
	for k, i := range missing {
		w.known[i] = old[k]
	}
	for k, i := range indexes {
		if h, ok := w.fresh[i]; ok {
			out[k] = h
		} else {
			out[k] = w.known[i]
		}
	}
	return out, nil
}

// insertAudit writes entries, many to a statement.
func (db *DB) insertAudit(ctx context.Context, es []pendopo.AuditEntry) error {
	const cols, perStatement = 15, 200
	for len(es) > 0 {
		n := min(len(es), perStatement)
		args := make([]any, 0, n*cols)
		for _, e := range es[:n] {
			args = append(args, e.Seq, e.At.Format(auditTime), e.Actor, nullInt(e.ActorUser), nullInt(e.ActorToken), e.Role, e.IP,
				e.Action, e.Entity, e.EntityID, e.Region, e.Diff, e.PrevHash, e.Hash, e.Salt)
		}
		query := `INSERT INTO audit_log (` + auditCols + `) VALUES ` + valueRows(n, cols)
		if _, err := db.write().ExecContext(ctx, db.q(query), args...); err != nil {
			return fmt.Errorf("append audit entry: %w", db.d.mapErr(err))
		}
		es = es[n:]
	}
	return nil
}

// insertTreeHashes writes the tree hashes at indexes, many to a statement.
func (db *DB) insertTreeHashes(ctx context.Context, indexes []int64, hashes map[int64]tlog.Hash) error {
	const perStatement = 1000
	for len(indexes) > 0 {
		n := min(len(indexes), perStatement)
		args := make([]any, 0, 2*n)
		for _, i := range indexes[:n] {
			h := hashes[i]
			args = append(args, i, h[:])
		}
		if _, err := db.write().ExecContext(ctx, db.q(`INSERT INTO audit_tree (idx, hash) VALUES `+valueRows(n, 2)), args...); err != nil {
			return fmt.Errorf("append audit tree hashes: %w", db.d.mapErr(err))
		}
		indexes = indexes[n:]
	}
	return nil
}

// valueRows is rows groups of cols parameters: (?, ?), (?, ?).
func valueRows(rows, cols int) string {
	group := "(" + strings.Repeat("?, ", cols-1) + "?)"
	var b strings.Builder
	b.Grow(rows * (len(group) + 2))
	for i := range rows {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(group)
	}
	return b.String()
}

// AuditTail reads the head and what lies beyond it in one transaction
// that holds the audit counter's row (SQLite's writer transactions lock
// the whole database), so that no entry is appended in between.
func (db *DB) AuditTail(ctx context.Context) (pendopo.AuditTail, error) {
	var t pendopo.AuditTail
	err := db.inTx(ctx, func(tx *DB) error {
		q := `SELECT value FROM counters WHERE name = 'audit'`
		if db.d.name() == "postgres" {
			q += ` FOR UPDATE`
		}
		if err := tx.write().QueryRowContext(ctx, q).Scan(&t.Head); err != nil {
			return fmt.Errorf("audit head: %w", err)
		}
		var beyond sql.NullInt64
		if err := tx.write().QueryRowContext(ctx, db.q(`SELECT min(seq) FROM audit_log WHERE seq > ?`), t.Head).Scan(&beyond); err != nil {
			return fmt.Errorf("audit tail: %w", err)
		}
		t.Beyond = beyond.Int64
		var hashes int
		if err := tx.write().QueryRowContext(ctx, db.q(`SELECT count(*) FROM (SELECT 1 FROM audit_tree WHERE idx >= ? LIMIT 1) AS t`), tlog.StoredHashCount(t.Head)).Scan(&hashes); err != nil {
			return fmt.Errorf("audit tail: %w", err)
		}
		t.BeyondHashes = hashes > 0
		return nil
	})
	return t, err
}

// AuditHashes reads stored tree hashes by index.
func (db *DB) AuditHashes(ctx context.Context, indexes []int64) ([][32]byte, error) {
	out := make([][32]byte, len(indexes))
	if len(indexes) == 0 {
		return out, nil
	}
	got := make(map[int64][32]byte, len(indexes))
	const perStatement = 500
	for rest := indexes; len(rest) > 0; {
		n := min(len(rest), perStatement)
		rows, err := db.read().QueryContext(ctx, db.q(`SELECT idx, hash FROM audit_tree WHERE idx IN (`+placeholders(n)+`)`), anys(rest[:n])...)
		if err != nil {
			return nil, fmt.Errorf("audit tree hashes: %w", err)
		}
		err = scanTreeHashes(rows, func(i int64, h [32]byte) { got[i] = h })
		if err != nil {
			return nil, err
		}
		rest = rest[n:]
	}
	for k, i := range indexes {
		h, ok := got[i]
		if !ok {
			return nil, fmt.Errorf("audit tree hash %d: %w", i, pendopo.ErrNotFound)
		}
		out[k] = h
	}
	return out, nil
}

// AuditHashRange reads the stored tree hashes with indexes in [from, to).
func (db *DB) AuditHashRange(ctx context.Context, from, to int64) ([][32]byte, error) {
	rows, err := db.read().QueryContext(ctx, db.q(`SELECT idx, hash FROM audit_tree WHERE idx >= ? AND idx < ? ORDER BY idx`), from, to)
	if err != nil {
		return nil, fmt.Errorf("audit tree hashes: %w", err)
	}
	out := make([][32]byte, 0, max(0, to-from))
	next := from
	var gap error
	err = scanTreeHashes(rows, func(i int64, h [32]byte) {
		if i != next && gap == nil {
			gap = fmt.Errorf("audit tree hash %d: %w", next, pendopo.ErrNotFound)
		}
		out = append(out, h)
		next = i + 1
	})
	if err == nil {
		err = gap
	}
	if err == nil && next < to {
		err = fmt.Errorf("audit tree hash %d: %w", next, pendopo.ErrNotFound)
	}
	return out, err
}

func scanTreeHashes(rows *sql.Rows, each func(int64, [32]byte)) error {
	defer rows.Close()
	for rows.Next() {
		var (
			i int64
			b []byte
		)
		if err := rows.Scan(&i, &b); err != nil {
			return fmt.Errorf("audit tree hashes: %w", err)
		}
		if len(b) != 32 {
			return fmt.Errorf("audit tree hash %d has %d bytes, not 32", i, len(b))
		}
		each(i, [32]byte(b))
	}
	return rows.Err()
}

// syncAuditTree adds to the tree the entries written before it existed
// (by versions of Pendopo without it), once, when the database is opened
// after migration 0013. Later entries join the tree as they are appended.
// It holds the audit counter's lock, so that instances starting together
// do it once and nothing is appended meanwhile.
func (db *DB) syncAuditTree(ctx context.Context) error {
	var head int64
	if err := db.r.QueryRowContext(ctx, `SELECT value FROM counters WHERE name = 'audit'`).Scan(&head); err != nil {
		return fmt.Errorf("audit head: %w", err)
	}
	if head == 0 {
		return nil
	}
	if _, err := db.AuditHashRange(ctx, 0, 1); err == nil {
		return nil // the tree exists
	}
	return db.inTx(ctx, func(tx *DB) error {
		if err := tx.write().QueryRowContext(ctx, `UPDATE counters SET value = value WHERE name = 'audit' RETURNING value`).Scan(&head); err != nil {
			return fmt.Errorf("audit head: %w", err)
		}
		if _, err := tx.AuditHashRange(ctx, 0, 1); err == nil {
			return nil // another instance built it meanwhile
		}
		for after := int64(0); after < head; {
			batch, err := tx.AuditChain(ctx, after, 1000)
			if err != nil {
				return err
			}
			if len(batch) == 0 {
				break // entries are missing: audit verify will say where
			}
			tree := &treeWriter{db: tx, ctx: ctx, fresh: map[int64]tlog.Hash{}, known: map[int64]tlog.Hash{}}
			for _, e := range batch {
				if e.Seq != after+1 {
					return fmt.Errorf("build the audit tree: entry %d is missing; run pendopo audit verify", after+1)
				}
				if err := tree.add(e); err != nil {
					return err
				}
				after = e.Seq
			}
			if err := tx.insertTreeHashes(ctx, tree.order, tree.fresh); err != nil {
				return err
			}
		}
		return nil
	})
}

// AuditKey returns the newest checkpoint key.
func (db *DB) AuditKey(ctx context.Context) (pendopo.AuditKey, error) {
	var (
		k  pendopo.AuditKey
		at string
	)
	err := db.read().QueryRowContext(ctx, `SELECT id, name, verifier, sealed, created_at FROM audit_keys ORDER BY id DESC LIMIT 1`).
		Scan(&k.ID, &k.Name, &k.Verifier, &k.Sealed, &at)
	if errors.Is(err, sql.ErrNoRows) {
		return k, fmt.Errorf("audit key: %w", pendopo.ErrNotFound)
	}
	if err != nil {
		return k, fmt.Errorf("audit key: %w", err)
	}
	k.CreatedAt = parseAuditTime(at)
	return k, nil
}

// SaveAuditKey stores a checkpoint key under its ID.
func (db *DB) SaveAuditKey(ctx context.Context, k pendopo.AuditKey) (pendopo.AuditKey, error) {
	k.CreatedAt = k.CreatedAt.UTC().Truncate(0)
	_, err := db.write().ExecContext(ctx, db.q(`INSERT INTO audit_keys (id, name, verifier, sealed, created_at) VALUES (?, ?, ?, ?, ?)`),
		k.ID, k.Name, k.Verifier, k.Sealed, k.CreatedAt.Format(auditTime))
	if err != nil {
		return k, fmt.Errorf("save audit key: %w", db.d.mapErr(err))
	}
	return k, nil
}

// auditTime is how audit times are stored: as text, so that both engines
// give back exactly the time that was hashed.
const auditTime = "2006-01-02T15:04:05.000000000Z"

func nullInt(n int64) sql.NullInt64 { return sql.NullInt64{Int64: n, Valid: n != 0} }

const auditCols = `seq, at, actor, actor_user, actor_token, role, ip, action, entity, entity_id, region, diff, prev_hash, hash, salt`

func scanAudit(row scanner) (pendopo.AuditEntry, error) {
	var (
		e         pendopo.AuditEntry
		at        any
		user, tok sql.NullInt64
	)
	if err := row.Scan(&e.Seq, &at, &e.Actor, &user, &tok, &e.Role, &e.IP, &e.Action, &e.Entity, &e.EntityID, &e.Region, &e.Diff, &e.PrevHash, &e.Hash, &e.Salt); err != nil {
		return e, err
	}
	e.ActorUser, e.ActorToken = user.Int64, tok.Int64
	e.At = parseAuditTime(at)
	return e, nil
}

// parseAuditTime reads a stored audit time whatever type the driver gives.
func parseAuditTime(v any) (t time.Time) {
	switch v := v.(type) {
	case string:
		t, _ = time.Parse(auditTime, v)
	case []byte:
		t, _ = time.Parse(auditTime, string(v))
	case time.Time:
		t = v
	}
	return t.UTC()
}

// AuditLog lists entries, newest first.
func (db *DB) AuditLog(ctx context.Context, f pendopo.AuditFilter) ([]pendopo.AuditEntry, int, error) {
	var (
		where []string
		args  []any
	)
	if f.Region != "" {
		// pendopo.Covers in SQL; storetest's RegionScope checks they agree.
		where = append(where, "(region = ? OR region LIKE ?)")
		args = append(args, f.Region, f.Region+".%")
	}
	if f.Entity != "" {
		where = append(where, "entity = ?")
		args = append(args, f.Entity)
	}
	if f.Actor != "" {
		where = append(where, "lower(actor) LIKE ?")
		args = append(args, "%"+strings.ToLower(f.Actor)+"%")
		if len(f.ActorRoles) > 0 {
			where = append(where, "role IN ("+placeholders(len(f.ActorRoles))+")")
			args = append(args, anys(f.ActorRoles)...)
		}
	}
	if f.ActorUser != 0 {
		where = append(where, "actor_user = ?")
		args = append(args, f.ActorUser)
	}
	if f.EntityID != "" {
		where = append(where, "entity_id = ?")
		args = append(args, f.EntityID)
	}
	if f.Action != "" {
		// "service" keeps every service.* action.
		where = append(where, "(action = ? OR action LIKE ?)")
		args = append(args, f.Action, f.Action+".%")
	}
	if len(f.Actions) > 0 {
		where = append(where, "action IN (?"+strings.Repeat(", ?", len(f.Actions)-1)+")")
		for _, a := range f.Actions {
			args = append(args, a)
		}
	}
	if s := f.Subject; s != nil {
		// The person's records, by entity; the entity_id lookups use the
		// audit_log_entity index, so the list costs what the person's
		// records cost, not the size of the trail.
		where = append(where, `(actor_user IS NULL OR actor_user <> ?) AND (
			(entity = 'user' AND entity_id = ?)
			OR (entity = 'application' AND entity_id IN (SELECT number FROM applications
				WHERE applicant_id = ? AND (assisted_by IS NULL OR assisted_by <> applicant_id)))
			OR (entity = 'report' AND entity_id IN (SELECT number FROM reports WHERE reporter_key = ? AND reporter_key <> '')))`)
		args = append(args, s.UserID, strconv.FormatInt(s.UserID, 10), s.UserID, s.ReporterKey)
	}
	if !f.Since.IsZero() {
		where = append(where, "at >= ?")
		args = append(args, f.Since.UTC().Format(auditTime))
	}
	if !f.Until.IsZero() {
		where = append(where, "at < ?")
		args = append(args, f.Until.UTC().Format(auditTime))
	}
	p := f.Page.Normalize()
	rows, err := db.read().QueryContext(ctx, db.q(`SELECT `+auditCols+`, count(*) OVER () FROM audit_log`+whereSQL(where)+` ORDER BY seq DESC LIMIT ? OFFSET ?`),
		append(args, p.PerPage, p.Offset())...)
	if err != nil {
		return nil, 0, fmt.Errorf("audit log: %w", err)
	}
	defer rows.Close()
	var (
		out   []pendopo.AuditEntry
		total int
	)
	for rows.Next() {
		var (
			e         pendopo.AuditEntry
			at        any
			user, tok sql.NullInt64
		)
		if err := rows.Scan(&e.Seq, &at, &e.Actor, &user, &tok, &e.Role, &e.IP, &e.Action, &e.Entity, &e.EntityID, &e.Region, &e.Diff, &e.PrevHash, &e.Hash, &e.Salt, &total); err != nil {
			return nil, 0, fmt.Errorf("audit log: %w", err)
		}
		e.ActorUser, e.ActorToken, e.At = user.Int64, tok.Int64, parseAuditTime(at)
		out = append(out, e)
	}
	if err := rows.Err(); err != nil {
		return nil, 0, err
	}
	if len(out) == 0 && p.Page > 1 {
		total, err = db.count(ctx, `SELECT count(*) FROM audit_log`+whereSQL(where), args...)
	}
	return out, total, err
}

// AuditHead is the last sequence number handed out.
func (db *DB) AuditHead(ctx context.Context) (int64, error) {
	var n int64
	if err := db.read().QueryRowContext(ctx, `SELECT value FROM counters WHERE name = 'audit'`).Scan(&n); err != nil {
		return 0, fmt.Errorf("audit head: %w", err)
	}
	return n, nil
}

// AuditChain returns entries after a sequence number, in order.
func (db *DB) AuditChain(ctx context.Context, after int64, limit int) ([]pendopo.AuditEntry, error) {
	out, err := all(ctx, db.read(), scanAudit, db.q(`SELECT `+auditCols+` FROM audit_log WHERE seq > ? ORDER BY seq LIMIT ?`), after, limit)
	if err != nil {
		return nil, fmt.Errorf("audit chain: %w", err)
	}
	return out, nil
}
