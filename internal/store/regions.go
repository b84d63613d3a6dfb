package store

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/pendopo/pendopo"
)

const regionCols = `r.code, r.name, r.level, coalesce(r.parent_code, ''), r.tagline, r.description, r.color,
	r.phone, r.email, r.address, r.website, r.logo_hash, r.updated_at`

func scanRegion(row scanner, extra ...any) (pendopo.Region, error) {
	var r pendopo.Region
	p := &r.Profile
	dest := append([]any{&r.Code, &r.Name, &r.Level, &r.ParentCode, &p.Tagline, &p.Description, &p.Color,
		&p.Phone, &p.Email, &p.Address, &p.Website, &p.LogoHash, &r.UpdatedAt}, extra...)
	err := row.Scan(dest...)
	r.UpdatedAt = r.UpdatedAt.UTC()
	return r, err
}

// Regions lists regions ordered by code, with their published service counts.
func (db *DB) Regions(ctx context.Context, f pendopo.RegionFilter) ([]pendopo.Region, int, error) {
	var (
		where []string
		args  []any
	)
	if f.Level != "" {
		where = append(where, "r.level = ?")
		args = append(args, f.Level)
	}
	if f.Parent != "" {
		where = append(where, "r.parent_code = ?")
		args = append(args, f.Parent)
	}
	q := `SELECT ` + regionCols + `, coalesce(c.n, 0), count(*) OVER ()
		FROM regions r
		LEFT JOIN (SELECT region_code, count(*) AS n FROM services WHERE version > 0 GROUP BY region_code) c ON c.region_code = r.code`
	if len(where) > 0 {
		q += " WHERE " + strings.Join(where, " AND ")
	}
	pg := f.Page.Normalize()
	q += " ORDER BY r.code LIMIT ? OFFSET ?"
	args = append(args, pg.PerPage, pg.Offset())
	rows, err := db.read().QueryContext(ctx, db.q(q), args...)
	if err != nil {
		return nil, 0, fmt.Errorf("list regions: %w", err)
	}
	defer rows.Close()
	var (
		out   []pendopo.Region
		total int
	)
	for rows.Next() {
		var n int
		r, err := scanRegion(rows, &n, &total)
		if err != nil {
			return nil, 0, fmt.Errorf("list regions: %w", err)
		}
		r.ServiceCount = n
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, 0, fmt.Errorf("list regions: %w", err)
	}
	if len(out) == 0 && pg.Page > 1 {
		total, err = db.count(ctx, "SELECT count(*) FROM regions r"+whereSQL(where), args[:len(args)-2]...)
	}
	return out, total, err
}

func whereSQL(where []string) string {
	if len(where) == 0 {
		return ""
	}
	return " WHERE " + strings.Join(where, " AND ")
}

func (db *DB) count(ctx context.Context, q string, args ...any) (int, error) {
	var n int
	if err := db.read().QueryRowContext(ctx, db.q(q), args...).Scan(&n); err != nil {
		return 0, fmt.Errorf("count: %w", err)
	}
	return n, nil
}

// Region returns one region with its published service count.
func (db *DB) Region(ctx context.Context, code string) (pendopo.Region, error) {
	var n int
	r, err := scanRegion(db.read().QueryRowContext(ctx, db.q(`SELECT `+regionCols+`,
		(SELECT count(*) FROM services s WHERE s.region_code = r.code AND s.version > 0)
		FROM regions r WHERE r.code = ?`), code), &n)
	if errors.Is(err, sql.ErrNoRows) {
		return r, fmt.Errorf("region %q: %w", code, pendopo.ErrNotFound)
	}
	if err != nil {
		return r, fmt.Errorf("region %q: %w", code, err)
	}
	r.ServiceCount = n
	return r, nil
}

// SeedRegions inserts the regions that are missing, parents first.
func (db *DB) SeedRegions(ctx context.Context, regions []pendopo.Region, at time.Time) (int, error) {
	added := 0
	err := db.inTx(ctx, func(db *DB) error {
		existing := map[string]bool{}
		rows, err := db.read().QueryContext(ctx, "SELECT code FROM regions")
		if err != nil {
			return err
		}
		for rows.Next() {
			var c string
			if err := rows.Scan(&c); err != nil {
				rows.Close()
				return err
			}
			existing[c] = true
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		stmt := db.q(`INSERT INTO regions (code, name, level, parent_code, updated_at) VALUES (?, ?, ?, ?, ?)`)
		// Provinces sort before their kabupaten/kota, so parents come first.
		for _, pass := range []bool{true, false} {
			for _, r := range regions {
				if existing[r.Code] || (r.ParentCode == "") != pass {
					continue
				}
				if _, err := db.write().ExecContext(ctx, stmt, r.Code, r.Name, r.Level, nullString(r.ParentCode), at.UTC()); err != nil {
					return fmt.Errorf("insert region %s: %w", r.Code, db.d.mapErr(err))
				}
				existing[r.Code] = true
				added++
			}
		}
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("seed regions: %w", err)
	}
	return added, nil
}

// UpdateRegion changes a region's name, profile and optionally its logo.
// Services of the region get a new change number so that search results
// and cached pages show the new profile.
func (db *DB) UpdateRegion(ctx context.Context, code, name string, p pendopo.RegionProfile, logo *pendopo.Logo, at time.Time) (pendopo.Region, error) {
	var out pendopo.Region
	err := db.inTx(ctx, func(db *DB) error {
		if _, err := db.Region(ctx, code); err != nil {
			return err
		}
		q := `UPDATE regions SET name = ?, tagline = ?, description = ?, color = ?, phone = ?, email = ?, address = ?, website = ?, updated_at = ?`
		args := []any{name, p.Tagline, p.Description, p.Color, p.Phone, p.Email, p.Address, p.Website, at.UTC()}
		if logo != nil {
			hash := ""
			if len(logo.Data) > 0 {
				sum := sha256.Sum256(logo.Data)
				hash = hex.EncodeToString(sum[:8])
			}
			q += `, logo_type = ?, logo = ?, logo_hash = ?`
			args = append(args, logo.ContentType, logo.Data, hash)
		}
		q += ` WHERE code = ?`
		args = append(args, code)
		if _, err := db.write().ExecContext(ctx, db.q(q), args...); err != nil {
			return db.d.mapErr(err)
		}
		// Service pages show the region's name, colour and logo.
		if err := db.touchServices(ctx, "region_code = ?", code); err != nil {
			return err
		}
		var err error
		out, err = db.Region(ctx, code)
		return err
	})
	if err != nil {
		return out, fmt.Errorf("update region %s: %w", code, err)
	}
	return out, nil
}

// RegionsChangedAt is the latest update time of any region.
func (db *DB) RegionsChangedAt(ctx context.Context) (time.Time, error) {
	// Selecting the column keeps its type on SQLite, where max() would not.
	var t time.Time
	err := db.read().QueryRowContext(ctx, "SELECT updated_at FROM regions ORDER BY updated_at DESC LIMIT 1").Scan(&t)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return time.Time{}, fmt.Errorf("regions changed at: %w", err)
	}
	return t.UTC(), nil
}

// RegionLogo returns a region's logo image.
func (db *DB) RegionLogo(ctx context.Context, code string) (pendopo.Logo, error) {
	var l pendopo.Logo
	err := db.read().QueryRowContext(ctx, db.q(`SELECT logo_type, logo, logo_hash FROM regions WHERE code = ? AND logo_hash <> ''`), code).
		Scan(&l.ContentType, &l.Data, &l.Hash)
	if errors.Is(err, sql.ErrNoRows) {
		return l, fmt.Errorf("logo of %q: %w", code, pendopo.ErrNotFound)
	}
	if err != nil {
		return l, fmt.Errorf("logo of %q: %w", code, err)
	}
	return l, nil
}

func nullString(s string) sql.NullString { return sql.NullString{String: s, Valid: s != ""} }
