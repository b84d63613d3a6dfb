package store

import (
	"context"
	"fmt"

	"github.com/pendopo/pendopo"
)

// PhotoAddrs lists the distinct addresses of report and program update
// photos after after, in order.
func (db *DB) PhotoAddrs(ctx context.Context, after string, limit int) ([]string, error) {
	rows, err := db.read().QueryContext(ctx, db.q(`SELECT addr FROM report_photos WHERE addr > ?
		UNION SELECT photo FROM brand_updates WHERE photo <> '' AND photo > ?
		ORDER BY 1 LIMIT ?`), after, after, limit)
	if err != nil {
		return nil, fmt.Errorf("list photos: %w", err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var a string
		if err := rows.Scan(&a); err != nil {
			return nil, fmt.Errorf("list photos: %w", err)
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

// ReplacePhoto points the photos at old to a cleaned file, or removes
// them when addr is "".
func (db *DB) ReplacePhoto(ctx context.Context, old, addr, media string, size int64) (int64, error) {
	var n int64
	err := db.InTx(ctx, func(s pendopo.Store) error {
		tx := s.(*DB)
		q1 := `UPDATE report_photos SET addr = ?, media = ?, size = ? WHERE addr = ?`
		a1 := []any{addr, media, size, old}
		q2 := `UPDATE brand_updates SET photo = ?, photo_media = ?, photo_size = ? WHERE photo = ?`
		a2 := []any{addr, media, size, old}
		if addr == "" {
			q1, a1 = `DELETE FROM report_photos WHERE addr = ?`, []any{old}
			q2, a2 = `UPDATE brand_updates SET photo = '', photo_media = '', photo_size = 0, photo_alt = '' WHERE photo = ?`, []any{old}
		}
		for _, st := range []struct {
			q    string
			args []any
		}{{q1, a1}, {q2, a2}} {
			res, err := tx.write().ExecContext(ctx, tx.q(st.q), st.args...)
			if err != nil {
				return db.d.mapErr(err)
			}
			k, err := res.RowsAffected()
			if err != nil {
				return err
			}
			n += k
		}
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("replace photo %s: %w", old, err)
	}
	return n, nil
}
