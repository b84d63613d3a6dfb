package store

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/pendopo/pendopo"
)

// stamp is how outbox and notification times are stored: UTC, to the
// microsecond that PostgreSQL keeps, so that both engines compare the same.
func stamp(t time.Time) time.Time { return t.UTC().Truncate(time.Microsecond) }

// EnqueueMessage queues a message unless one with its key exists.
func (db *DB) EnqueueMessage(ctx context.Context, m pendopo.OutboxMessage) (int64, bool, error) {
	if m.NextAt.IsZero() {
		m.NextAt = m.CreatedAt
	}
	var id int64
	err := db.write().QueryRowContext(ctx, db.q(`INSERT INTO outbox (channel, recipient, subject, body, key, user_id, next_at, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (key) DO NOTHING RETURNING id`),
		m.Channel, m.To, m.Subject, m.Body, m.Key, nullInt(m.UserID), stamp(m.NextAt), stamp(m.CreatedAt)).Scan(&id)
	if err == nil {
		return id, true, nil
	}
	if !errors.Is(err, sql.ErrNoRows) {
		return 0, false, fmt.Errorf("enqueue message %q: %w", m.Key, db.d.mapErr(err))
	}
	// The key was taken; the row that took it is committed (or in this
	// transaction), since the insert waited for it.
	if err := db.write().QueryRowContext(ctx, db.q(`SELECT id FROM outbox WHERE key = ?`), m.Key).Scan(&id); err != nil {
		return 0, false, fmt.Errorf("enqueue message %q: %w", m.Key, err)
	}
	return id, false, nil
}

const outboxCols = `id, channel, recipient, subject, body, key, user_id, attempts, next_at, created_at, sent_at, last_error, dead`

func scanOutbox(row scanner) (pendopo.OutboxMessage, error) {
	var (
		m    pendopo.OutboxMessage
		user sql.NullInt64
		sent sql.NullTime
	)
	err := row.Scan(&m.ID, &m.Channel, &m.To, &m.Subject, &m.Body, &m.Key, &user, &m.Attempts, &m.NextAt, &m.CreatedAt, &sent, &m.LastError, &m.Dead)
	m.UserID, m.NextAt, m.CreatedAt = user.Int64, m.NextAt.UTC(), m.CreatedAt.UTC()
	if sent.Valid {
		m.SentAt = sent.Time.UTC()
	}
	return m, err
}

// ClaimMessages leases due messages in one statement. On PostgreSQL, SKIP
// LOCKED lets a second worker pass over rows a first one is claiming
// instead of waiting for them, and the lease condition, checked again on
// the locked row, keeps it from taking a row claimed meanwhile. The due
// rows are chosen once, in a materialized CTE: as an IN subquery the
// planner may run the LIMIT more than once and claim too many. SQLite has
// one writer at a time, so the statement alone is atomic.
func (db *DB) ClaimMessages(ctx context.Context, now time.Time, limit int, lease time.Duration) ([]pendopo.OutboxMessage, error) {
	if limit <= 0 {
		return nil, nil
	}
	now = stamp(now)
	lock := ""
	if db.d.name() == "postgres" {
		lock = " FOR UPDATE SKIP LOCKED"
	}
	const free = `sent_at IS NULL AND NOT dead AND (claimed_until IS NULL OR claimed_until <= ?)`
	rows, err := db.write().QueryContext(ctx, db.q(`WITH due AS MATERIALIZED (
			SELECT id FROM outbox WHERE next_at <= ? AND `+free+` ORDER BY next_at, id LIMIT ?`+lock+`)
		UPDATE outbox SET claimed_until = ? WHERE id IN (SELECT id FROM due) AND `+free+`
		RETURNING `+outboxCols),
		now, now, limit, stamp(now.Add(lease)), now)
	if err != nil {
		return nil, fmt.Errorf("claim messages: %w", err)
	}
	defer rows.Close()
	var out []pendopo.OutboxMessage
	for rows.Next() {
		m, err := scanOutbox(rows)
		if err != nil {
			return nil, fmt.Errorf("claim messages: %w", err)
		}
		out = append(out, m)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("claim messages: %w", err)
	}
	slices.SortFunc(out, func(a, b pendopo.OutboxMessage) int {
		return cmp.Or(a.NextAt.Compare(b.NextAt), cmp.Compare(a.ID, b.ID))
	})
	return out, nil
}

// MarkSent records a delivery.
func (db *DB) MarkSent(ctx context.Context, id int64, at time.Time) error {
	res, err := db.write().ExecContext(ctx, db.q(`UPDATE outbox SET sent_at = coalesce(sent_at, ?), attempts = attempts + 1, claimed_until = NULL, last_error = '',
		recipient = '', body = '', user_id = NULL
		WHERE id = ?`), stamp(at), id)
	if err != nil {
		return fmt.Errorf("mark message %d sent: %w", id, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("mark message %d sent: %w", id, pendopo.ErrNotFound)
	}
	return nil
}

// MarkFailed records a failed attempt.
func (db *DB) MarkFailed(ctx context.Context, id int64, errText string, nextAt time.Time, dead bool) error {
	res, err := db.write().ExecContext(ctx, db.q(`UPDATE outbox SET attempts = attempts + 1, last_error = ?, next_at = ?, dead = ?, claimed_until = NULL,
		recipient = CASE WHEN ? THEN '' ELSE recipient END, body = CASE WHEN ? THEN '' ELSE body END,
		user_id = CASE WHEN ? THEN NULL ELSE user_id END
		WHERE id = ? AND sent_at IS NULL`), errText, stamp(nextAt), dead, dead, dead, dead, id)
	if err != nil {
		return fmt.Errorf("mark message %d failed: %w", id, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("mark unsent message %d failed: %w", id, pendopo.ErrNotFound)
	}
	return nil
}

// OutboxMessage finds a message by key.
func (db *DB) OutboxMessage(ctx context.Context, key string) (pendopo.OutboxMessage, error) {
	m, err := scanOutbox(db.read().QueryRowContext(ctx, db.q(`SELECT `+outboxCols+` FROM outbox WHERE key = ?`), key))
	if errors.Is(err, sql.ErrNoRows) {
		return m, fmt.Errorf("outbox message %q: %w", key, pendopo.ErrNotFound)
	}
	if err != nil {
		return m, fmt.Errorf("outbox message %q: %w", key, err)
	}
	return m, nil
}

// OutboxStats counts pending and dead messages.
func (db *DB) OutboxStats(ctx context.Context) (pending, dead int, err error) {
	err = db.read().QueryRowContext(ctx, `SELECT
		coalesce(sum(CASE WHEN NOT dead THEN 1 ELSE 0 END), 0), coalesce(sum(CASE WHEN dead THEN 1 ELSE 0 END), 0)
		FROM outbox WHERE sent_at IS NULL`).Scan(&pending, &dead)
	if err != nil {
		return 0, 0, fmt.Errorf("outbox stats: %w", err)
	}
	return pending, dead, nil
}

// AddNotification stores an in-app notification.
func (db *DB) AddNotification(ctx context.Context, n pendopo.Notification) (pendopo.Notification, error) {
	n.CreatedAt, n.ReadAt = stamp(n.CreatedAt), time.Time{}
	err := db.write().QueryRowContext(ctx, db.q(`INSERT INTO notifications (user_id, title_id, title_en, body_id, body_en, link, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id`),
		n.UserID, n.Title.Indonesian, n.Title.English, n.Body.Indonesian, n.Body.English, n.Link, n.CreatedAt).Scan(&n.ID)
	if err != nil {
		return n, fmt.Errorf("add notification for user %d: %w", n.UserID, db.d.mapErr(err))
	}
	return n, nil
}

// Notifications lists a page of a person's notifications, newest first.
func (db *DB) Notifications(ctx context.Context, userID int64, p pendopo.Page) ([]pendopo.Notification, int, int, error) {
	p = p.Normalize()
	rows, err := db.read().QueryContext(ctx, db.q(`SELECT id, user_id, title_id, title_en, body_id, body_en, link, created_at, read_at,
		count(*) OVER (), sum(CASE WHEN read_at IS NULL THEN 1 ELSE 0 END) OVER ()
		FROM notifications WHERE user_id = ? ORDER BY created_at DESC, id DESC LIMIT ? OFFSET ?`), userID, p.PerPage, p.Offset())
	if err != nil {
		return nil, 0, 0, fmt.Errorf("notifications of user %d: %w", userID, err)
	}
	defer rows.Close()
	var (
		out           []pendopo.Notification
		total, unread int
	)
	for rows.Next() {
		var (
			n    pendopo.Notification
			read sql.NullTime
		)
		if err := rows.Scan(&n.ID, &n.UserID, &n.Title.Indonesian, &n.Title.English, &n.Body.Indonesian, &n.Body.English, &n.Link, &n.CreatedAt, &read, &total, &unread); err != nil {
			return nil, 0, 0, fmt.Errorf("notifications of user %d: %w", userID, err)
		}
		n.CreatedAt = n.CreatedAt.UTC()
		if read.Valid {
			n.ReadAt = read.Time.UTC()
		}
		out = append(out, n)
	}
	if err := rows.Err(); err != nil {
		return nil, 0, 0, fmt.Errorf("notifications of user %d: %w", userID, err)
	}
	if len(out) == 0 && p.Page > 1 {
		// Past the last page the window counts nothing; count apart.
		err = db.read().QueryRowContext(ctx, db.q(`SELECT count(*), coalesce(sum(CASE WHEN read_at IS NULL THEN 1 ELSE 0 END), 0)
			FROM notifications WHERE user_id = ?`), userID).Scan(&total, &unread)
		if err != nil {
			return nil, 0, 0, fmt.Errorf("count notifications of user %d: %w", userID, err)
		}
	}
	return out, total, unread, nil
}

// MarkNotificationsRead marks what the person has seen as read.
func (db *DB) MarkNotificationsRead(ctx context.Context, userID int64, upTo time.Time) error {
	upTo = stamp(upTo)
	_, err := db.write().ExecContext(ctx, db.q(`UPDATE notifications SET read_at = ? WHERE user_id = ? AND read_at IS NULL AND created_at <= ?`),
		upTo, userID, upTo)
	if err != nil {
		return fmt.Errorf("mark notifications of user %d read: %w", userID, err)
	}
	return nil
}
