package store

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/pendopo/pendopo"
)

// AppendAudit adds an entry at the end of the hash chain. The audit counter
// row stays locked until the transaction ends, so entries are chained in
// commit order even with several writers.
func (db *DB) AppendAudit(ctx context.Context, e pendopo.AuditEntry) (pendopo.AuditEntry, error) {
	err := db.inTx(ctx, func(db *DB) error {
		if err := db.write().QueryRowContext(ctx, `UPDATE counters SET value = value + 1 WHERE name = 'audit' RETURNING value`).Scan(&e.Seq); err != nil {
			return fmt.Errorf("audit sequence: %w", err)
		}
		e.PrevHash = pendopo.GenesisHash
		if e.Seq > 1 {
			err := db.write().QueryRowContext(ctx, db.q(`SELECT hash FROM audit_log WHERE seq = ?`), e.Seq-1).Scan(&e.PrevHash)
			if err != nil {
				return fmt.Errorf("previous audit entry %d: %w", e.Seq-1, err)
			}
		}
		e.At = e.At.UTC().Truncate(0)
		e.Hash = e.ComputeHash()
		_, err := db.write().ExecContext(ctx, db.q(`INSERT INTO audit_log (seq, at, actor, actor_user, actor_token, role, ip, action, entity, entity_id, region, diff, prev_hash, hash)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`),
			e.Seq, e.At.Format(auditTime), e.Actor, nullInt(e.ActorUser), nullInt(e.ActorToken), e.Role, e.IP, e.Action, e.Entity, e.EntityID, e.Region, e.Diff, e.PrevHash, e.Hash)
		if err != nil {
			return fmt.Errorf("append audit entry: %w", db.d.mapErr(err))
		}
		return nil
	})
	return e, err
}

// auditTime is how audit times are stored: as text, so that both engines
// give back exactly the time that was hashed.
const auditTime = "2006-01-02T15:04:05.000000000Z"

func nullInt(n int64) sql.NullInt64 { return sql.NullInt64{Int64: n, Valid: n != 0} }

const auditCols = `seq, at, actor, actor_user, actor_token, role, ip, action, entity, entity_id, region, diff, prev_hash, hash`

func scanAudit(row interface{ Scan(...any) error }) (pendopo.AuditEntry, error) {
	var (
		e         pendopo.AuditEntry
		at        any
		user, tok sql.NullInt64
	)
	if err := row.Scan(&e.Seq, &at, &e.Actor, &user, &tok, &e.Role, &e.IP, &e.Action, &e.Entity, &e.EntityID, &e.Region, &e.Diff, &e.PrevHash, &e.Hash); err != nil {
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
		if err := rows.Scan(&e.Seq, &at, &e.Actor, &user, &tok, &e.Role, &e.IP, &e.Action, &e.Entity, &e.EntityID, &e.Region, &e.Diff, &e.PrevHash, &e.Hash, &total); err != nil {
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
	rows, err := db.read().QueryContext(ctx, db.q(`SELECT `+auditCols+` FROM audit_log WHERE seq > ? ORDER BY seq LIMIT ?`), after, limit)
	if err != nil {
		return nil, fmt.Errorf("audit chain: %w", err)
	}
	defer rows.Close()
	var out []pendopo.AuditEntry
	for rows.Next() {
		e, err := scanAudit(rows)
		if err != nil {
			return nil, fmt.Errorf("audit chain: %w", err)
		}
		out = append(out, e)
	}
	return out, rows.Err()
}
