package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/pendopo/pendopo"
)

const agencyCols = `a.id, a.region_code, a.slug, a.name, a.short_name, a.description, a.address, a.phone, a.email, a.website`

func scanAgency(row scanner, extra ...any) (pendopo.Agency, error) {
	var a pendopo.Agency
	err := row.Scan(append([]any{&a.ID, &a.RegionCode, &a.Slug, &a.Name, &a.ShortName, &a.Description, &a.Address, &a.Phone, &a.Email, &a.Website}, extra...)...)
	return a, err
}

// Agencies lists a region's agencies by name with their published service counts.
func (db *DB) Agencies(ctx context.Context, region string, p pendopo.Page) ([]pendopo.Agency, int, error) {
	p = p.Normalize()
	rows, err := db.read().QueryContext(ctx, db.q(`SELECT `+agencyCols+`,
		(SELECT count(*) FROM services s WHERE s.agency_id = a.id AND s.version > 0), count(*) OVER ()
		FROM agencies a WHERE a.region_code = ? ORDER BY `+db.d.textOrder("a.name")+`, a.id LIMIT ? OFFSET ?`), region, p.PerPage, p.Offset())
	if err != nil {
		return nil, 0, fmt.Errorf("list agencies of %s: %w", region, err)
	}
	defer rows.Close()
	var (
		out   []pendopo.Agency
		total int
	)
	for rows.Next() {
		var n int
		a, err := scanAgency(rows, &n, &total)
		if err != nil {
			return nil, 0, fmt.Errorf("list agencies of %s: %w", region, err)
		}
		a.ServiceCount = n
		out = append(out, a)
	}
	if err := rows.Err(); err != nil {
		return nil, 0, fmt.Errorf("list agencies of %s: %w", region, err)
	}
	if len(out) == 0 && p.Page > 1 {
		total, err = db.count(ctx, "SELECT count(*) FROM agencies WHERE region_code = ?", region)
	}
	return out, total, err
}

// Agency returns one agency of a region by slug.
func (db *DB) Agency(ctx context.Context, region, slug string) (pendopo.Agency, error) {
	var n int
	a, err := scanAgency(db.read().QueryRowContext(ctx, db.q(`SELECT `+agencyCols+`,
		(SELECT count(*) FROM services s WHERE s.agency_id = a.id AND s.version > 0)
		FROM agencies a WHERE a.region_code = ? AND a.slug = ?`), region, slug), &n)
	if errors.Is(err, sql.ErrNoRows) {
		return a, fmt.Errorf("agency %s/%s: %w", region, slug, pendopo.ErrNotFound)
	}
	if err != nil {
		return a, fmt.Errorf("agency %s/%s: %w", region, slug, err)
	}
	a.ServiceCount = n
	return a, nil
}

// SaveAgency inserts or updates an agency by region and slug. A new name
// gets the agency's services a new change sequence for search.
func (db *DB) SaveAgency(ctx context.Context, a pendopo.Agency, at time.Time) (pendopo.Agency, error) {
	var out pendopo.Agency
	err := db.inTx(ctx, func(db *DB) error {
		old, err := db.Agency(ctx, a.RegionCode, a.Slug)
		switch {
		case errors.Is(err, pendopo.ErrNotFound):
			err = db.write().QueryRowContext(ctx, db.q(`INSERT INTO agencies
				(region_code, slug, name, short_name, description, address, phone, email, website, created_at, updated_at)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`),
				a.RegionCode, a.Slug, a.Name, a.ShortName, a.Description, a.Address, a.Phone, a.Email, a.Website, at.UTC(), at.UTC()).Scan(&a.ID)
			if err != nil {
				return db.d.mapErr(err)
			}
		case err != nil:
			return err
		default:
			a.ID = old.ID
			if _, err := db.write().ExecContext(ctx, db.q(`UPDATE agencies SET name = ?, short_name = ?, description = ?,
				address = ?, phone = ?, email = ?, website = ?, updated_at = ? WHERE id = ?`),
				a.Name, a.ShortName, a.Description, a.Address, a.Phone, a.Email, a.Website, at.UTC(), a.ID); err != nil {
				return db.d.mapErr(err)
			}
			if old.Name != a.Name || old.ShortName != a.ShortName {
				if err := db.touchServices(ctx, "agency_id = ?", a.ID); err != nil {
					return err
				}
			}
		}
		out, err = db.Agency(ctx, a.RegionCode, a.Slug)
		return err
	})
	if err != nil {
		return out, fmt.Errorf("save agency %s/%s: %w", a.RegionCode, a.Slug, err)
	}
	return out, nil
}

// ServicePoints lists a region's service points by name.
func (db *DB) ServicePoints(ctx context.Context, region string) ([]pendopo.ServicePoint, error) {
	rows, err := db.read().QueryContext(ctx, db.q(`SELECT p.id, p.region_code, p.slug, p.name, coalesce(a.slug, ''),
		p.address, p.hours, p.phone, p.email, p.lat, p.lng
		FROM service_points p LEFT JOIN agencies a ON a.id = p.agency_id
		WHERE p.region_code = ? ORDER BY `+db.d.textOrder("p.name")+`, p.id`), region)
	if err != nil {
		return nil, fmt.Errorf("list service points of %s: %w", region, err)
	}
	defer rows.Close()
	var out []pendopo.ServicePoint
	for rows.Next() {
		var (
			p        pendopo.ServicePoint
			lat, lng sql.NullFloat64
		)
		if err := rows.Scan(&p.ID, &p.RegionCode, &p.Slug, &p.Name, &p.AgencySlug, &p.Address, &p.Hours, &p.Phone, &p.Email, &lat, &lng); err != nil {
			return nil, fmt.Errorf("list service points of %s: %w", region, err)
		}
		if lat.Valid && lng.Valid {
			p.Lat, p.Lng = &lat.Float64, &lng.Float64
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

// SaveServicePoint inserts or updates a service point by region and slug.
func (db *DB) SaveServicePoint(ctx context.Context, p pendopo.ServicePoint, at time.Time) (pendopo.ServicePoint, error) {
	err := db.inTx(ctx, func(db *DB) error {
		var agencyID sql.NullInt64
		if p.AgencySlug != "" {
			a, err := db.Agency(ctx, p.RegionCode, p.AgencySlug)
			if err != nil {
				return err
			}
			agencyID = sql.NullInt64{Int64: a.ID, Valid: true}
		}
		var lat, lng sql.NullFloat64
		if p.Lat != nil && p.Lng != nil {
			lat, lng = sql.NullFloat64{Float64: *p.Lat, Valid: true}, sql.NullFloat64{Float64: *p.Lng, Valid: true}
		}
		err := db.write().QueryRowContext(ctx, db.q(`INSERT INTO service_points
			(region_code, slug, agency_id, name, address, hours, phone, email, lat, lng, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (region_code, slug) DO UPDATE SET agency_id = excluded.agency_id, name = excluded.name,
				address = excluded.address, hours = excluded.hours, phone = excluded.phone, email = excluded.email,
				lat = excluded.lat, lng = excluded.lng, updated_at = excluded.updated_at
			RETURNING id`),
			p.RegionCode, p.Slug, agencyID, p.Name, p.Address, p.Hours, p.Phone, p.Email, lat, lng, at.UTC(), at.UTC()).Scan(&p.ID)
		return db.d.mapErr(err)
	})
	if err != nil {
		return p, fmt.Errorf("save service point %s/%s: %w", p.RegionCode, p.Slug, err)
	}
	return p, nil
}
