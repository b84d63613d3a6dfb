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

const reportColumns = `id, number, region_code, kind, category, title, description, service_id, component, lat, lng,
	address, privacy, status, extended, agency, reporter_id, reporter_key, sealed, received, disposed, due, answer,
	answered_at, rating, closed_at, merged_into, flagged, flag_reason, escalated_at, rev, idem_key, created_at, updated_at,
	secret_hash`

func scanReport(row scanner) (pendopo.Report, error) {
	var (
		r                           pendopo.Report
		service, reporter, merged   sql.NullInt64
		lat, lng                    sql.NullFloat64
		answered, closed, escalated sql.NullTime
		received, disposed, due     int64
	)
	err := row.Scan(&r.ID, &r.Number, &r.Region, &r.Kind, &r.Category, &r.Title, &r.Description, &service, &r.Component,
		&lat, &lng, &r.Location.Address, &r.Privacy, &r.Status, &r.Extended, &r.Agency, &reporter, &r.ReporterKey, &r.Sealed,
		&received, &disposed, &due, &r.Answer, &answered, &r.Rating, &closed, &merged, &r.Flagged, &r.FlagReason, &escalated,
		&r.Rev, &r.Key, &r.CreatedAt, &r.UpdatedAt, &r.SecretHash)
	if err != nil {
		return r, err
	}
	r.ServiceID, r.ReporterID, r.MergedInto = service.Int64, reporter.Int64, merged.Int64
	if lat.Valid && lng.Valid {
		r.Location.Lat, r.Location.Lng = &lat.Float64, &lng.Float64
	}
	r.Received, r.Disposed, r.Due = pendopo.Day(received), pendopo.Day(disposed), pendopo.Day(due)
	r.AnsweredAt, r.ClosedAt, r.EscalatedAt = timeOf(answered), timeOf(closed), timeOf(escalated)
	r.CreatedAt, r.UpdatedAt = r.CreatedAt.UTC(), r.UpdatedAt.UTC()
	return r, nil
}

func timeOf(t sql.NullTime) time.Time {
	if !t.Valid {
		return time.Time{}
	}
	return t.Time.UTC()
}

func nullFloat(p *float64) sql.NullFloat64 {
	if p == nil {
		return sql.NullFloat64{}
	}
	return sql.NullFloat64{Float64: *p, Valid: true}
}

// CreateReport stores a new report, or returns the reporter's report made
// with the same key.
func (db *DB) CreateReport(ctx context.Context, r pendopo.Report) (pendopo.Report, error) {
	var id int64
	err := db.write().QueryRowContext(ctx, db.q(`INSERT INTO reports (number, region_code, kind, category, title,
		description, service_id, component, lat, lng, address, privacy, status, extended, agency, reporter_id,
		reporter_key, sealed, received, disposed, due, flagged, flag_reason, rev, idem_key, created_at, updated_at, secret_hash)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?, ?, ?)
		ON CONFLICT (reporter_key, idem_key) WHERE idem_key <> '' DO NOTHING RETURNING id`),
		r.Number, r.Region, r.Kind, r.Category, r.Title, r.Description, nullInt(r.ServiceID), r.Component,
		nullFloat(r.Location.Lat), nullFloat(r.Location.Lng), r.Location.Address, r.Privacy, r.Status, r.Extended, r.Agency,
		nullInt(r.ReporterID), r.ReporterKey, r.Sealed, int64(r.Received), int64(r.Disposed), int64(r.Due), r.Flagged,
		r.FlagReason, r.Key, r.CreatedAt.UTC(), r.CreatedAt.UTC(), r.SecretHash).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		got, err := scanReport(db.write().QueryRowContext(ctx, db.q(`SELECT `+reportColumns+` FROM reports
			WHERE reporter_key = ? AND idem_key = ?`), r.ReporterKey, r.Key))
		if err != nil {
			return got, fmt.Errorf("create report again: %w", err)
		}
		return got, nil
	}
	if err != nil {
		return r, fmt.Errorf("create report: %w", db.d.mapErr(err))
	}
	return db.report(ctx, db.write(), `id = ?`, id)
}

func (db *DB) report(ctx context.Context, q querier, where string, arg any) (pendopo.Report, error) {
	r, err := scanReport(q.QueryRowContext(ctx, db.q(`SELECT `+reportColumns+` FROM reports WHERE `+where), arg))
	if errors.Is(err, sql.ErrNoRows) {
		return r, fmt.Errorf("report %v: %w", arg, pendopo.ErrNotFound)
	}
	if err != nil {
		return r, fmt.Errorf("report %v: %w", arg, err)
	}
	return r, nil
}

// Report returns one report.
func (db *DB) Report(ctx context.Context, id int64) (pendopo.Report, error) {
	return db.report(ctx, db.read(), `id = ?`, id)
}

// ReportByNumber returns the report with a tracking number.
func (db *DB) ReportByNumber(ctx context.Context, number string) (pendopo.Report, error) {
	return db.report(ctx, db.read(), `number = ?`, number)
}

// UpdateReport writes r when nobody changed it since revision r.Rev.
func (db *DB) UpdateReport(ctx context.Context, r pendopo.Report) (pendopo.Report, error) {
	res, err := db.write().ExecContext(ctx, db.q(`UPDATE reports SET category = ?, title = ?, description = ?, status = ?,
		extended = ?, agency = ?, disposed = ?, due = ?, answer = ?, answered_at = ?, rating = ?, closed_at = ?,
		merged_into = ?, flagged = ?, flag_reason = ?, escalated_at = ?, sealed = ?, secret_hash = ?, updated_at = ?, rev = rev + 1
		WHERE id = ? AND rev = ?`),
		r.Category, r.Title, r.Description, r.Status, r.Extended, r.Agency, int64(r.Disposed), int64(r.Due), r.Answer,
		nullTime(r.AnsweredAt), r.Rating, nullTime(r.ClosedAt), nullInt(r.MergedInto), r.Flagged, r.FlagReason,
		nullTime(r.EscalatedAt), r.Sealed, r.SecretHash, r.UpdatedAt.UTC(), r.ID, r.Rev)
	if err != nil {
		return r, fmt.Errorf("update report %s: %w", r.Number, db.d.mapErr(err))
	}
	if n, err := res.RowsAffected(); err != nil {
		return r, fmt.Errorf("update report %s: %w", r.Number, err)
	} else if n == 0 {
		if _, err := db.report(ctx, db.write(), `id = ?`, r.ID); err != nil {
			return r, err
		}
		return r, fmt.Errorf("update report %s at revision %d: %w", r.Number, r.Rev, pendopo.ErrConflict)
	}
	r.Rev++
	return r, nil
}

// ReportWork counts a region's reports in some statuses per agency in one
// grouped query: overdue, due today, and new (in the fresh status, due
// later).
func (db *DB) ReportWork(ctx context.Context, f pendopo.WorkFilter) ([]pendopo.WorkCount, error) {
	if len(f.Statuses) == 0 {
		return nil, nil
	}
	today := int64(f.Today)
	args := []any{today, today, today, f.Fresh, f.Region}
	args = append(args, anys(f.Statuses)...)
	cond := ""
	if len(f.Agencies) > 0 {
		cond, args = " AND agency IN ("+placeholders(len(f.Agencies))+")", append(args, anys(f.Agencies)...)
	}
	return db.workCounts(ctx, "reports", db.q(`SELECT agency,
			SUM(CASE WHEN due <> 0 AND due < ? THEN 1 ELSE 0 END),
			SUM(CASE WHEN due = ? THEN 1 ELSE 0 END),
			SUM(CASE WHEN (due = 0 OR due > ?) AND status = ? THEN 1 ELSE 0 END)
		FROM reports WHERE region_code = ? AND status IN (`+placeholders(len(f.Statuses))+`)`+cond+` GROUP BY agency ORDER BY agency`), args)
}

// Reports lists reports.
func (db *DB) Reports(ctx context.Context, f pendopo.ReportFilter) ([]pendopo.Report, int, error) {
	var (
		where []string
		args  []any
	)
	add := func(cond string, a ...any) { where, args = append(where, cond), append(args, a...) }
	if f.Region != "" {
		add("region_code = ?", f.Region)
	}
	if f.Agency != "" {
		add("agency = ?", f.Agency)
	}
	if len(f.Agencies) > 0 {
		add("agency IN ("+placeholders(len(f.Agencies))+")", anys(f.Agencies)...)
	}
	if len(f.Statuses) > 0 {
		in := make([]any, len(f.Statuses))
		for i, s := range f.Statuses {
			in[i] = s
		}
		add("status IN (?"+strings.Repeat(", ?", len(in)-1)+")", in...)
	}
	if f.Kind != "" {
		add("kind = ?", f.Kind)
	}
	if f.Category != "" {
		add("category = ?", f.Category)
	}
	if f.Public {
		add("privacy <> ? AND flagged = ? AND merged_into IS NULL", pendopo.PrivacyConfidential, false)
	}
	if f.Flagged {
		add("flagged = ?", true)
	}
	if f.ReporterKey != "" {
		add("reporter_key = ?", f.ReporterKey)
	}
	if f.DueBy != 0 {
		add("due <> 0 AND due <= ?", int64(f.DueBy))
	}
	if !f.Since.IsZero() {
		add("created_at >= ?", f.Since.UTC())
	}
	if !f.Until.IsZero() {
		add("created_at < ?", f.Until.UTC())
	}
	if b := f.Box; b != nil {
		add("lat BETWEEN ? AND ? AND lng BETWEEN ? AND ?", b.South, b.North, b.West, b.East)
	}
	if len(f.IDs) > 0 {
		in := make([]any, len(f.IDs))
		for i, id := range f.IDs {
			in[i] = id
		}
		add("id IN (?"+strings.Repeat(", ?", len(in)-1)+")", in...)
	}
	if len(f.Numbers) > 0 {
		add("number IN ("+placeholders(len(f.Numbers))+")", anys(f.Numbers)...)
	}
	if len(f.Categories) == 1 {
		add("category = ?", f.Categories[0]) // so that the category index also gives the order
	} else if len(f.Categories) > 0 {
		add("category IN ("+placeholders(len(f.Categories))+")", anys(f.Categories)...)
	}
	if f.ByID && f.AfterID != 0 {
		add("id > ?", f.AfterID)
	}
	cond := ""
	if len(where) > 0 {
		cond = " WHERE " + strings.Join(where, " AND ")
	}
	var total int
	if !f.NoTotal {
		if err := db.read().QueryRowContext(ctx, db.q(`SELECT COUNT(*) FROM reports`+cond), args...).Scan(&total); err != nil {
			return nil, 0, fmt.Errorf("count reports: %w", err)
		}
	}
	order := " ORDER BY created_at DESC, id DESC"
	switch {
	case f.ByDue:
		order = " ORDER BY CASE WHEN due = 0 THEN 1 ELSE 0 END, due, created_at, id"
	case f.ByID:
		order = " ORDER BY id"
	}
	pg := f.Page.Normalize()
	limit := pg.PerPage
	if f.NoTotal {
		limit++ // one more tells whether another page follows
	}
	rows, err := db.read().QueryContext(ctx, db.q(`SELECT `+reportColumns+` FROM reports`+cond+order+` LIMIT ? OFFSET ?`),
		append(args, limit, pg.Offset())...)
	if err != nil {
		return nil, 0, fmt.Errorf("list reports: %w", err)
	}
	defer rows.Close()
	var out []pendopo.Report
	for rows.Next() {
		r, err := scanReport(rows)
		if err != nil {
			return nil, 0, fmt.Errorf("list reports: %w", err)
		}
		out = append(out, r)
	}
	if f.NoTotal {
		total = pg.Offset() + len(out)
		out = out[:min(len(out), pg.PerPage)]
	}
	return out, total, rows.Err()
}

// AddReportEvent appends to a report's history.
func (db *DB) AddReportEvent(ctx context.Context, e pendopo.ReportEvent) error {
	_, err := db.write().ExecContext(ctx, db.q(`INSERT INTO report_events (report_id, at, actor_id, actor_role, action,
		status, note, agency, target, public) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`),
		e.ReportID, e.At.UTC(), nullInt(e.ActorID), e.ActorRole, e.Action, e.Status, e.Note, e.Agency, e.Target, e.Public)
	if err != nil {
		return fmt.Errorf("add report event: %w", db.d.mapErr(err))
	}
	return nil
}

// ReportEvents returns a report's history, oldest first.
func (db *DB) ReportEvents(ctx context.Context, reportID int64) ([]pendopo.ReportEvent, error) {
	rows, err := db.read().QueryContext(ctx, db.q(`SELECT id, report_id, at, actor_id, actor_role, action, status, note,
		agency, target, public FROM report_events WHERE report_id = ? ORDER BY id`), reportID)
	if err != nil {
		return nil, fmt.Errorf("report events: %w", err)
	}
	defer rows.Close()
	var out []pendopo.ReportEvent
	for rows.Next() {
		var (
			e     pendopo.ReportEvent
			actor sql.NullInt64
		)
		if err := rows.Scan(&e.ID, &e.ReportID, &e.At, &actor, &e.ActorRole, &e.Action, &e.Status, &e.Note, &e.Agency, &e.Target, &e.Public); err != nil {
			return nil, fmt.Errorf("report events: %w", err)
		}
		e.ActorID, e.At = actor.Int64, e.At.UTC()
		out = append(out, e)
	}
	return out, rows.Err()
}

// AddReportPhoto attaches a photo to a report; the same photo twice is
// one photo.
func (db *DB) AddReportPhoto(ctx context.Context, p pendopo.ReportPhoto) error {
	_, err := db.write().ExecContext(ctx, db.q(`INSERT INTO report_photos (report_id, addr, media, size, created_at)
		VALUES (?, ?, ?, ?, ?) ON CONFLICT (report_id, addr) DO NOTHING`), p.ReportID, p.Addr, p.Media, p.Size, p.CreatedAt.UTC())
	if err != nil {
		return fmt.Errorf("add report photo: %w", db.d.mapErr(err))
	}
	return nil
}

// ReportPhotos returns the photos of several reports in one query.
func (db *DB) ReportPhotos(ctx context.Context, ids []int64) (map[int64][]pendopo.ReportPhoto, error) {
	out := map[int64][]pendopo.ReportPhoto{}
	if len(ids) == 0 {
		return out, nil
	}
	args := make([]any, len(ids))
	for i, id := range ids {
		args[i] = id
	}
	rows, err := db.read().QueryContext(ctx, db.q(`SELECT report_id, addr, media, size, created_at FROM report_photos
		WHERE report_id IN (?`+strings.Repeat(", ?", len(ids)-1)+`) ORDER BY report_id, created_at, addr`), args...)
	if err != nil {
		return nil, fmt.Errorf("report photos: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var p pendopo.ReportPhoto
		if err := rows.Scan(&p.ReportID, &p.Addr, &p.Media, &p.Size, &p.CreatedAt); err != nil {
			return nil, fmt.Errorf("report photos: %w", err)
		}
		p.CreatedAt = p.CreatedAt.UTC()
		out[p.ReportID] = append(out[p.ReportID], p)
	}
	return out, rows.Err()
}

// SetReportRoute routes a category of a region to an agency, or removes
// the route when agency is empty.
func (db *DB) SetReportRoute(ctx context.Context, region, category, agency string) error {
	var err error
	if agency == "" {
		_, err = db.write().ExecContext(ctx, db.q(`DELETE FROM report_routes WHERE region_code = ? AND category = ?`), region, category)
	} else {
		_, err = db.write().ExecContext(ctx, db.q(`INSERT INTO report_routes (region_code, category, agency) VALUES (?, ?, ?)
			ON CONFLICT (region_code, category) DO UPDATE SET agency = excluded.agency`), region, category, agency)
	}
	if err != nil {
		return fmt.Errorf("set report route: %w", db.d.mapErr(err))
	}
	return nil
}

// ReportRoutes maps a region's categories to agencies.
func (db *DB) ReportRoutes(ctx context.Context, region string) (map[string]string, error) {
	rows, err := db.read().QueryContext(ctx, db.q(`SELECT category, agency FROM report_routes WHERE region_code = ?`), region)
	if err != nil {
		return nil, fmt.Errorf("report routes: %w", err)
	}
	defer rows.Close()
	out := map[string]string{}
	for rows.Next() {
		var c, a string
		if err := rows.Scan(&c, &a); err != nil {
			return nil, fmt.Errorf("report routes: %w", err)
		}
		out[c] = a
	}
	return out, rows.Err()
}

// AddReportAreaRoute stores an area rule and returns it with its id.
func (db *DB) AddReportAreaRoute(ctx context.Context, r pendopo.ReportAreaRoute) (pendopo.ReportAreaRoute, error) {
	err := db.write().QueryRowContext(ctx, db.q(`INSERT INTO report_area_routes (region_code, name, category, south, west, north, east, agency, district)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`), r.Region, r.Name, r.Category, r.Area.South, r.Area.West, r.Area.North, r.Area.East,
		r.Agency, r.District).Scan(&r.ID)
	if err != nil {
		return r, fmt.Errorf("add report area route: %w", db.d.mapErr(err))
	}
	return r, nil
}

// ReportAreaRoutes lists a region's area rules in the order they apply.
func (db *DB) ReportAreaRoutes(ctx context.Context, region string) ([]pendopo.ReportAreaRoute, error) {
	rows, err := db.read().QueryContext(ctx, db.q(`SELECT id, region_code, name, category, south, west, north, east, agency, district
		FROM report_area_routes WHERE region_code = ? ORDER BY id`), region)
	if err != nil {
		return nil, fmt.Errorf("report area routes: %w", err)
	}
	defer rows.Close()
	var out []pendopo.ReportAreaRoute
	for rows.Next() {
		var r pendopo.ReportAreaRoute
		if err := rows.Scan(&r.ID, &r.Region, &r.Name, &r.Category, &r.Area.South, &r.Area.West, &r.Area.North, &r.Area.East, &r.Agency, &r.District); err != nil {
			return nil, fmt.Errorf("report area routes: %w", err)
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// DeleteReportAreaRoute removes one of a region's area rules.
func (db *DB) DeleteReportAreaRoute(ctx context.Context, region string, id int64) error {
	res, err := db.write().ExecContext(ctx, db.q(`DELETE FROM report_area_routes WHERE region_code = ? AND id = ?`), region, id)
	if err != nil {
		return fmt.Errorf("delete report area route: %w", err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return err
	} else if n == 0 {
		return fmt.Errorf("report area route %d of %s: %w", id, region, pendopo.ErrNotFound)
	}
	return nil
}

// SetRegionBounds sets or removes a region's map box.
func (db *DB) SetRegionBounds(ctx context.Context, region string, b *pendopo.Bounds) error {
	var err error
	if b == nil {
		_, err = db.write().ExecContext(ctx, db.q(`DELETE FROM region_bounds WHERE region_code = ?`), region)
	} else {
		_, err = db.write().ExecContext(ctx, db.q(`INSERT INTO region_bounds (region_code, south, west, north, east)
			VALUES (?, ?, ?, ?, ?) ON CONFLICT (region_code) DO UPDATE SET south = excluded.south, west = excluded.west,
			north = excluded.north, east = excluded.east`), region, b.South, b.West, b.North, b.East)
	}
	if err != nil {
		return fmt.Errorf("set region bounds: %w", db.d.mapErr(err))
	}
	return nil
}

// RegionBounds returns a region's map box, nil when it has none.
func (db *DB) RegionBounds(ctx context.Context, region string) (*pendopo.Bounds, error) {
	var b pendopo.Bounds
	err := db.read().QueryRowContext(ctx, db.q(`SELECT south, west, north, east FROM region_bounds WHERE region_code = ?`), region).
		Scan(&b.South, &b.West, &b.North, &b.East)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("region bounds: %w", err)
	}
	return &b, nil
}
