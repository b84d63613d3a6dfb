package store

import (
	"context"
	"fmt"
	"time"

	"github.com/pendopo/pendopo"
)

// uploadAddrs lists the file addresses of an application's uploads.
func (db *DB) uploadAddrs(ctx context.Context, id int64) ([]string, error) {
	rows, err := db.write().QueryContext(ctx, db.q(`SELECT DISTINCT addr FROM uploads WHERE application_id = ?`), id)
	if err != nil {
		return nil, fmt.Errorf("uploads of application %d: %w", id, err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var a string
		if err := rows.Scan(&a); err != nil {
			return nil, fmt.Errorf("uploads of application %d: %w", id, err)
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

// exec runs statements with the same arguments, in order.
func (db *DB) exec(ctx context.Context, what string, queries []string, args ...any) error {
	for _, q := range queries {
		if _, err := db.write().ExecContext(ctx, db.q(q), args...); err != nil {
			return fmt.Errorf("%s: %w", what, err)
		}
	}
	return nil
}

// DeleteApplication removes a draft with its timeline and uploads.
func (db *DB) DeleteApplication(ctx context.Context, id int64) ([]string, error) {
	var addrs []string
	err := db.inTx(ctx, func(db *DB) error {
		var err error
		if addrs, err = db.uploadAddrs(ctx, id); err != nil {
			return err
		}
		if err := db.exec(ctx, fmt.Sprintf("delete application %d", id), []string{
			`DELETE FROM uploads WHERE application_id = ?`,
			`DELETE FROM application_events WHERE application_id = ?`,
			`DELETE FROM documents WHERE application_id = ?`,
		}, id); err != nil {
			return err
		}
		res, err := db.write().ExecContext(ctx, db.q(`DELETE FROM applications WHERE id = ?`), id)
		if err != nil {
			return fmt.Errorf("delete application %d: %w", id, err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return fmt.Errorf("delete application %d: %w", id, pendopo.ErrNotFound)
		}
		return nil
	})
	return addrs, err
}

// ClearApplication removes an application's personal data and keeps its
// bare record.
func (db *DB) ClearApplication(ctx context.Context, id int64, at time.Time) ([]string, error) {
	var addrs []string
	err := db.inTx(ctx, func(db *DB) error {
		var err error
		if addrs, err = db.uploadAddrs(ctx, id); err != nil {
			return err
		}
		res, err := db.write().ExecContext(ctx, db.q(`UPDATE applications SET applicant_name = '', answers = NULL, idem_key = '',
			updated_at = ?, rev = rev + 1 WHERE id = ?`), at.UTC(), id)
		if err != nil {
			return fmt.Errorf("clear application %d: %w", id, err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return fmt.Errorf("clear application %d: %w", id, pendopo.ErrNotFound)
		}
		return db.exec(ctx, fmt.Sprintf("clear application %d", id), []string{
			`DELETE FROM uploads WHERE application_id = ?`,
			`UPDATE application_events SET note = '' WHERE application_id = ?`,
		}, id)
	})
	return addrs, err
}

// ArchiveApplication keeps a decided application without the applicant's
// identity in the clear.
func (db *DB) ArchiveApplication(ctx context.Context, id int64, applicant string, at time.Time) error {
	return db.inTx(ctx, func(db *DB) error {
		res, err := db.write().ExecContext(ctx, db.q(`UPDATE applications SET applicant_name = ?, updated_at = ?, rev = rev + 1
			WHERE id = ?`), applicant, at.UTC(), id)
		if err != nil {
			return fmt.Errorf("archive application %d: %w", id, err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return fmt.Errorf("archive application %d: %w", id, pendopo.ErrNotFound)
		}
		_, err = db.write().ExecContext(ctx, db.q(`UPDATE uploads SET name = field || CASE media
			WHEN 'application/pdf' THEN '.pdf' WHEN 'image/jpeg' THEN '.jpg' WHEN 'image/png' THEN '.png' ELSE '' END
			WHERE application_id = ?`), id)
		if err != nil {
			return fmt.Errorf("archive application %d: %w", id, err)
		}
		return nil
	})
}

// AnonymizeReport unlinks a report from its reporter.
func (db *DB) AnonymizeReport(ctx context.Context, id int64, sealed []byte, privacy pendopo.Privacy, at time.Time) error {
	res, err := db.write().ExecContext(ctx, db.q(`UPDATE reports SET reporter_id = NULL, reporter_key = '', idem_key = '',
		sealed = ?, privacy = ?, updated_at = ?, rev = rev + 1 WHERE id = ?`), sealed, privacy, at.UTC(), id)
	if err != nil {
		return fmt.Errorf("anonymize report %d: %w", id, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("anonymize report %d: %w", id, pendopo.ErrNotFound)
	}
	return nil
}

// FileInUse reports whether a record refers to the file at addr. Each
// table is looked up by its address index.
func (db *DB) FileInUse(ctx context.Context, addr string) (bool, error) {
	n, err := db.count(ctx, `SELECT
		(SELECT count(*) FROM uploads WHERE addr = ?) +
		(SELECT count(*) FROM documents WHERE blob = ?) +
		(SELECT count(*) FROM report_photos WHERE addr = ?) +
		(SELECT count(*) FROM brand_updates WHERE photo = ?)`, addr, addr, addr, addr)
	if err != nil {
		return false, fmt.Errorf("file %s in use: %w", addr, err)
	}
	return n > 0, nil
}
