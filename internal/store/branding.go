package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/pendopo/pendopo"
)

const sectorColumns = `id, region_code, slug, name, rationale, position, created_at, updated_at`

func scanSector(row scanner) (pendopo.Sector, error) {
	var s pendopo.Sector
	err := row.Scan(&s.ID, &s.Region, &s.Slug, &s.Name, &s.Rationale, &s.Position, &s.CreatedAt, &s.UpdatedAt)
	s.CreatedAt, s.UpdatedAt = s.CreatedAt.UTC(), s.UpdatedAt.UTC()
	return s, err
}

// Sectors lists a region's sectors in one query.
func (db *DB) Sectors(ctx context.Context, region string) ([]pendopo.Sector, error) {
	out, err := all(ctx, db.read(), scanSector, db.q(`SELECT `+sectorColumns+` FROM brand_sectors WHERE region_code = ?
		ORDER BY position, `+db.d.textOrder("name")+`, id`), region)
	if err != nil {
		return nil, fmt.Errorf("sectors of %s: %w", region, err)
	}
	return out, nil
}

// SaveSector inserts or updates a sector; the region and slug pair is
// unique, so a taken slug is ErrConflict.
func (db *DB) SaveSector(ctx context.Context, s pendopo.Sector, at time.Time) (pendopo.Sector, error) {
	at = at.UTC()
	var err error
	if s.ID == 0 {
		s.CreatedAt = at
		err = db.write().QueryRowContext(ctx, db.q(`INSERT INTO brand_sectors (region_code, slug, name, rationale, position,
			created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id`),
			s.Region, s.Slug, s.Name, s.Rationale, s.Position, at, at).Scan(&s.ID)
	} else {
		err = db.write().QueryRowContext(ctx, db.q(`UPDATE brand_sectors SET slug = ?, name = ?, rationale = ?, position = ?,
			updated_at = ? WHERE id = ? AND region_code = ? RETURNING created_at`),
			s.Slug, s.Name, s.Rationale, s.Position, at, s.ID, s.Region).Scan(&s.CreatedAt)
		s.CreatedAt = s.CreatedAt.UTC()
	}
	if errors.Is(err, sql.ErrNoRows) {
		return s, fmt.Errorf("sector %d of %s: %w", s.ID, s.Region, pendopo.ErrNotFound)
	}
	if err != nil {
		return s, fmt.Errorf("save sector %s of %s: %w", s.Slug, s.Region, db.d.mapErr(err))
	}
	s.UpdatedAt = at
	return s, nil
}

const programColumns = `p.id, p.region_code, p.sector_id, p.name, p.description, p.target, p.indicator, p.unit,
	p.target_value, p.current_value, p.budget, p.start_day, p.end_day, p.status, p.created_at, p.updated_at`

func scanProgram(row scanner) (pendopo.Program, error) {
	var (
		p          pendopo.Program
		start, end int64
	)
	err := row.Scan(&p.ID, &p.Region, &p.SectorID, &p.Name, &p.Description, &p.Target, &p.Indicator, &p.Unit,
		&p.TargetValue, &p.CurrentValue, &p.Budget, &start, &end, &p.Status, &p.CreatedAt, &p.UpdatedAt)
	p.Start, p.End = pendopo.Day(start), pendopo.Day(end)
	p.CreatedAt, p.UpdatedAt = p.CreatedAt.UTC(), p.UpdatedAt.UTC()
	return p, err
}

// Programs lists a region's programs in one query, in the order of
// their sectors.
func (db *DB) Programs(ctx context.Context, region string) ([]pendopo.Program, error) {
	out, err := all(ctx, db.read(), scanProgram, db.q(`SELECT `+programColumns+` FROM brand_programs p
		JOIN brand_sectors s ON s.id = p.sector_id WHERE p.region_code = ?
		ORDER BY s.position, `+db.d.textOrder("s.name")+`, s.id, p.start_day, `+db.d.textOrder("p.name")+`, p.id`), region)
	if err != nil {
		return nil, fmt.Errorf("programs of %s: %w", region, err)
	}
	return out, nil
}

// Program returns one program of a region.
func (db *DB) Program(ctx context.Context, region string, id int64) (pendopo.Program, error) {
	p, err := scanProgram(db.read().QueryRowContext(ctx, db.q(`SELECT `+programColumns+` FROM brand_programs p
		WHERE p.id = ? AND p.region_code = ?`), id, region))
	if errors.Is(err, sql.ErrNoRows) {
		return p, fmt.Errorf("program %d of %s: %w", id, region, pendopo.ErrNotFound)
	}
	if err != nil {
		return p, fmt.Errorf("program %d of %s: %w", id, region, err)
	}
	return p, nil
}

// SaveProgram inserts or updates a program. Its sector is referenced
// together with the region, so a sector of another region fails.
func (db *DB) SaveProgram(ctx context.Context, p pendopo.Program, at time.Time) (pendopo.Program, error) {
	at = at.UTC()
	var err error
	if p.ID == 0 {
		p.CreatedAt = at
		err = db.write().QueryRowContext(ctx, db.q(`INSERT INTO brand_programs (region_code, sector_id, name, description,
			target, indicator, unit, target_value, current_value, budget, start_day, end_day, status, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`),
			p.Region, p.SectorID, p.Name, p.Description, p.Target, p.Indicator, p.Unit, p.TargetValue, p.CurrentValue,
			p.Budget, int64(p.Start), int64(p.End), p.Status, at, at).Scan(&p.ID)
	} else {
		err = db.write().QueryRowContext(ctx, db.q(`UPDATE brand_programs SET sector_id = ?, name = ?, description = ?,
			target = ?, indicator = ?, unit = ?, target_value = ?, current_value = ?, budget = ?, start_day = ?, end_day = ?,
			status = ?, updated_at = ? WHERE id = ? AND region_code = ? RETURNING created_at`),
			p.SectorID, p.Name, p.Description, p.Target, p.Indicator, p.Unit, p.TargetValue, p.CurrentValue, p.Budget,
			int64(p.Start), int64(p.End), p.Status, at, p.ID, p.Region).Scan(&p.CreatedAt)
		p.CreatedAt = p.CreatedAt.UTC()
	}
	if errors.Is(err, sql.ErrNoRows) {
		return p, fmt.Errorf("program %d of %s: %w", p.ID, p.Region, pendopo.ErrNotFound)
	}
	if err != nil {
		return p, fmt.Errorf("save program %q of %s: %w", p.Name, p.Region, db.d.mapErr(err))
	}
	p.UpdatedAt = at
	return p, nil
}

// ProgramUpdates lists the updates of a region's programs in one query.
func (db *DB) ProgramUpdates(ctx context.Context, region string, program int64) ([]pendopo.ProgramUpdate, error) {
	where, args := `p.region_code = ?`, []any{region}
	if program != 0 {
		where, args = where+` AND u.program_id = ?`, append(args, program)
	}
	rows, err := db.read().QueryContext(ctx, db.q(`SELECT u.id, u.program_id, u.day, u.body, u.value, u.photo, u.photo_media,
		u.photo_size, u.photo_alt, u.created_at FROM brand_updates u JOIN brand_programs p ON p.id = u.program_id
		WHERE `+where+` ORDER BY u.day DESC, u.id DESC`), args...)
	if err != nil {
		return nil, fmt.Errorf("program updates of %s: %w", region, err)
	}
	defer rows.Close()
	var out []pendopo.ProgramUpdate
	for rows.Next() {
		var (
			u     pendopo.ProgramUpdate
			day   int64
			value sql.NullFloat64
		)
		if err := rows.Scan(&u.ID, &u.ProgramID, &day, &u.Text, &value, &u.Photo, &u.PhotoMedia, &u.PhotoSize, &u.PhotoAlt, &u.CreatedAt); err != nil {
			return nil, fmt.Errorf("program updates of %s: %w", region, err)
		}
		u.Day, u.CreatedAt = pendopo.Day(day), u.CreatedAt.UTC()
		if value.Valid {
			u.Value = &value.Float64
		}
		out = append(out, u)
	}
	return out, rows.Err()
}

// AddProgramUpdate stores an update.
func (db *DB) AddProgramUpdate(ctx context.Context, u pendopo.ProgramUpdate) (pendopo.ProgramUpdate, error) {
	u.CreatedAt = u.CreatedAt.UTC()
	err := db.write().QueryRowContext(ctx, db.q(`INSERT INTO brand_updates (program_id, day, body, value, photo, photo_media,
		photo_size, photo_alt, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`),
		u.ProgramID, int64(u.Day), u.Text, nullFloat(u.Value), u.Photo, u.PhotoMedia, u.PhotoSize, u.PhotoAlt, u.CreatedAt).Scan(&u.ID)
	if err != nil {
		return u, fmt.Errorf("add update of program %d: %w", u.ProgramID, db.d.mapErr(err))
	}
	return u, nil
}

// SectorLinks lists a region's category mapping in one query.
func (db *DB) SectorLinks(ctx context.Context, region string) ([]pendopo.SectorLink, error) {
	rows, err := db.read().QueryContext(ctx, db.q(`SELECT kind, category, sector_id FROM brand_links WHERE region_code = ?
		ORDER BY kind, category`), region)
	if err != nil {
		return nil, fmt.Errorf("sector links of %s: %w", region, err)
	}
	defer rows.Close()
	var out []pendopo.SectorLink
	for rows.Next() {
		var l pendopo.SectorLink
		if err := rows.Scan(&l.Kind, &l.Category, &l.SectorID); err != nil {
			return nil, fmt.Errorf("sector links of %s: %w", region, err)
		}
		out = append(out, l)
	}
	return out, rows.Err()
}

// SetSectorLinks replaces a region's mapping in one transaction: one
// delete and one insert of every link.
func (db *DB) SetSectorLinks(ctx context.Context, region string, links []pendopo.SectorLink) error {
	return db.inTx(ctx, func(db *DB) error {
		if _, err := db.write().ExecContext(ctx, db.q(`DELETE FROM brand_links WHERE region_code = ?`), region); err != nil {
			return fmt.Errorf("set sector links of %s: %w", region, err)
		}
		if len(links) == 0 {
			return nil
		}
		args := make([]any, 0, 4*len(links))
		for _, l := range links {
			args = append(args, region, string(l.Kind), l.Category, l.SectorID)
		}
		_, err := db.write().ExecContext(ctx, db.q(`INSERT INTO brand_links (region_code, kind, category, sector_id) VALUES `+
			strings.TrimSuffix(strings.Repeat("(?, ?, ?, ?), ", len(links)), ", ")), args...)
		if err != nil {
			return fmt.Errorf("set sector links of %s: %w", region, db.d.mapErr(err))
		}
		return nil
	})
}
