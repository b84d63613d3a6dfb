package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/pendopo/pendopo"
)

// CreateToken stores a token; its Hash must be set and unique.
func (db *DB) CreateToken(ctx context.Context, t pendopo.Token) (pendopo.Token, error) {
	err := db.write().QueryRowContext(ctx, db.q(`INSERT INTO api_tokens (name, region_code, hash, created_at, created_by) VALUES (?, ?, ?, ?, ?) RETURNING id`),
		t.Name, nullString(t.Region), t.Hash, t.CreatedAt.UTC(), t.CreatedBy).Scan(&t.ID)
	if err != nil {
		return t, fmt.Errorf("create token %q: %w", t.Name, db.d.mapErr(err))
	}
	return t, nil
}

const tokenCols = `id, name, coalesce(region_code, ''), hash, created_at, last_used_at, revoked_at, created_by`

func scanToken(row scanner) (pendopo.Token, error) {
	var (
		t          pendopo.Token
		used, revd sql.NullTime
	)
	err := row.Scan(&t.ID, &t.Name, &t.Region, &t.Hash, &t.CreatedAt, &used, &revd, &t.CreatedBy)
	t.CreatedAt = t.CreatedAt.UTC()
	if used.Valid {
		t.LastUsedAt = used.Time.UTC()
	}
	if revd.Valid {
		t.RevokedAt = revd.Time.UTC()
	}
	return t, err
}

// TokenByHash finds a token by the hash of its secret.
func (db *DB) TokenByHash(ctx context.Context, hash string) (pendopo.Token, error) {
	t, err := scanToken(db.read().QueryRowContext(ctx, db.q(`SELECT `+tokenCols+` FROM api_tokens WHERE hash = ?`), hash))
	if errors.Is(err, sql.ErrNoRows) {
		return t, fmt.Errorf("token: %w", pendopo.ErrNotFound)
	}
	if err != nil {
		return t, fmt.Errorf("token: %w", err)
	}
	return t, nil
}

// Tokens lists all tokens, newest first.
func (db *DB) Tokens(ctx context.Context) ([]pendopo.Token, error) {
	out, err := all(ctx, db.read(), scanToken, `SELECT `+tokenCols+` FROM api_tokens ORDER BY id DESC`)
	if err != nil {
		return nil, fmt.Errorf("list tokens: %w", err)
	}
	return out, nil
}

// RevokeToken revokes token id; revoking twice keeps the first time.
func (db *DB) RevokeToken(ctx context.Context, id int64, at time.Time) error {
	res, err := db.write().ExecContext(ctx, db.q(`UPDATE api_tokens SET revoked_at = coalesce(revoked_at, ?) WHERE id = ?`), at.UTC(), id)
	if err != nil {
		return fmt.Errorf("revoke token %d: %w", id, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("revoke token %d: %w", id, pendopo.ErrNotFound)
	}
	return nil
}

// TouchToken records that token id was used.
func (db *DB) TouchToken(ctx context.Context, id int64, at time.Time) error {
	_, err := db.write().ExecContext(ctx, db.q(`UPDATE api_tokens SET last_used_at = ? WHERE id = ?`), at.UTC(), id)
	if err != nil {
		return fmt.Errorf("touch token %d: %w", id, err)
	}
	return nil
}

// Setting reads a named setting.
func (db *DB) Setting(ctx context.Context, key string) (string, error) {
	var v string
	err := db.read().QueryRowContext(ctx, db.q(`SELECT value FROM settings WHERE key = ?`), key).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return "", fmt.Errorf("setting %q: %w", key, pendopo.ErrNotFound)
	}
	if err != nil {
		return "", fmt.Errorf("setting %q: %w", key, err)
	}
	return v, nil
}

// PutSetting stores a named setting.
func (db *DB) PutSetting(ctx context.Context, key, value string) error {
	_, err := db.write().ExecContext(ctx, db.q(`INSERT INTO settings (key, value) VALUES (?, ?)
		ON CONFLICT (key) DO UPDATE SET value = excluded.value`), key, value)
	if err != nil {
		return fmt.Errorf("put setting %q: %w", key, err)
	}
	return nil
}

// SwapSetting replaces a named setting only if it still holds old ("" for
// a setting not made yet), and reports whether it did.
func (db *DB) SwapSetting(ctx context.Context, key, old, value string) (bool, error) {
	var res sql.Result
	var err error
	if old == "" {
		res, err = db.write().ExecContext(ctx, db.q(`INSERT INTO settings (key, value) VALUES (?, ?)
			ON CONFLICT (key) DO UPDATE SET value = excluded.value WHERE settings.value = ''`), key, value)
	} else {
		res, err = db.write().ExecContext(ctx, db.q(`UPDATE settings SET value = ? WHERE key = ? AND value = ?`), value, key, old)
	}
	if err != nil {
		return false, fmt.Errorf("swap setting %q: %w", key, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return false, fmt.Errorf("swap setting %q: %w", key, err)
	}
	return n == 1, nil
}

// Stats counts regions, agencies and published services.
func (db *DB) Stats(ctx context.Context) (pendopo.Stats, error) {
	var s pendopo.Stats
	err := db.read().QueryRowContext(ctx, `SELECT
		(SELECT count(*) FROM regions),
		(SELECT count(DISTINCT region_code) FROM services WHERE version > 0),
		(SELECT count(*) FROM agencies),
		(SELECT count(*) FROM services WHERE version > 0),
		(SELECT count(DISTINCT kind) FROM services WHERE version > 0)`).
		Scan(&s.Regions, &s.RegionsWithCatalog, &s.Agencies, &s.Services, &s.Kinds)
	if err != nil {
		return s, fmt.Errorf("stats: %w", err)
	}
	return s, nil
}
