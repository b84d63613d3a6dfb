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

const applicationColumns = `id, number, region_code, service_id, service_version, service_name, agency,
	applicant_id, applicant_name, assisted_by, status, step, answers, assignee, deadline, paused_since,
	paused_days, rev, document, idem_key, created_at, submitted_at, updated_at, closed_at`

func scanApplication(row scanner) (pendopo.Application, error) {
	var (
		a                           pendopo.Application
		assisted, assignee          sql.NullInt64
		submitted, closed           sql.NullTime
		deadline, pausedSince, step int64
	)
	err := row.Scan(&a.ID, &a.Number, &a.Region, &a.ServiceID, &a.ServiceVersion, &a.ServiceName, &a.Agency,
		&a.ApplicantID, &a.ApplicantName, &assisted, &a.Status, &step, &a.Sealed, &assignee, &deadline, &pausedSince,
		&a.PausedDays, &a.Rev, &a.Document, &a.Key, &a.CreatedAt, &submitted, &a.UpdatedAt, &closed)
	if err != nil {
		return a, err
	}
	a.AssistedBy, a.Assignee = assisted.Int64, assignee.Int64
	a.Step, a.Deadline, a.PausedSince = int(step), pendopo.Day(deadline), pendopo.Day(pausedSince)
	a.CreatedAt, a.UpdatedAt = a.CreatedAt.UTC(), a.UpdatedAt.UTC()
	if submitted.Valid {
		a.SubmittedAt = submitted.Time.UTC()
	}
	if closed.Valid {
		a.ClosedAt = closed.Time.UTC()
	}
	return a, nil
}

func nullTime(t time.Time) sql.NullTime { return sql.NullTime{Time: t.UTC(), Valid: !t.IsZero()} }

// CreateApplication stores a new draft, or returns the applicant's draft
// made with the same key.
func (db *DB) CreateApplication(ctx context.Context, a pendopo.Application) (pendopo.Application, error) {
	var id int64
	err := db.write().QueryRowContext(ctx, db.q(`INSERT INTO applications (number, region_code, service_id,
		service_version, service_name, agency, applicant_id, applicant_name, assisted_by, status, step, answers,
		deadline, rev, idem_key, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?, ?)
		ON CONFLICT (applicant_id, idem_key) WHERE idem_key <> '' DO NOTHING RETURNING id`),
		a.Number, a.Region, a.ServiceID, a.ServiceVersion, a.ServiceName, a.Agency, a.ApplicantID, a.ApplicantName,
		nullInt(a.AssistedBy), a.Status, a.Step, a.Sealed, int64(a.Deadline), a.Key, a.CreatedAt.UTC(), a.CreatedAt.UTC()).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		row := db.write().QueryRowContext(ctx, db.q(`SELECT `+applicationColumns+` FROM applications
			WHERE applicant_id = ? AND idem_key = ?`), a.ApplicantID, a.Key)
		got, err := scanApplication(row)
		if err != nil {
			return got, fmt.Errorf("create application again: %w", err)
		}
		return got, nil
	}
	if err != nil {
		return a, fmt.Errorf("create application: %w", db.d.mapErr(err))
	}
	return db.application(ctx, db.write(), `id = ?`, id)
}

func (db *DB) application(ctx context.Context, q querier, where string, arg any) (pendopo.Application, error) {
	a, err := scanApplication(q.QueryRowContext(ctx, db.q(`SELECT `+applicationColumns+` FROM applications WHERE `+where), arg))
	if errors.Is(err, sql.ErrNoRows) {
		return a, fmt.Errorf("application %v: %w", arg, pendopo.ErrNotFound)
	}
	if err != nil {
		return a, fmt.Errorf("application %v: %w", arg, err)
	}
	return a, nil
}

// Application returns one application.
func (db *DB) Application(ctx context.Context, id int64) (pendopo.Application, error) {
	return db.application(ctx, db.read(), `id = ?`, id)
}

// ApplicationByNumber returns the application with a tracking number.
func (db *DB) ApplicationByNumber(ctx context.Context, number string) (pendopo.Application, error) {
	return db.application(ctx, db.read(), `number = ?`, number)
}

// UpdateApplication writes a when nobody changed it since revision a.Rev.
func (db *DB) UpdateApplication(ctx context.Context, a pendopo.Application) (pendopo.Application, error) {
	res, err := db.write().ExecContext(ctx, db.q(`UPDATE applications SET applicant_name = ?, status = ?, step = ?,
		answers = ?, assignee = ?, deadline = ?, paused_since = ?, paused_days = ?, document = ?, submitted_at = ?,
		closed_at = ?, updated_at = ?, rev = rev + 1
		WHERE id = ? AND rev = ?`),
		a.ApplicantName, a.Status, a.Step, a.Sealed, nullInt(a.Assignee), int64(a.Deadline), int64(a.PausedSince),
		a.PausedDays, a.Document, nullTime(a.SubmittedAt), nullTime(a.ClosedAt), a.UpdatedAt.UTC(), a.ID, a.Rev)
	if err != nil {
		return a, fmt.Errorf("update application %s: %w", a.Number, db.d.mapErr(err))
	}
	if n, err := res.RowsAffected(); err != nil {
		return a, fmt.Errorf("update application %s: %w", a.Number, err)
	} else if n == 0 {
		if _, err := db.application(ctx, db.write(), `id = ?`, a.ID); err != nil {
			return a, err
		}
		return a, fmt.Errorf("update application %s at revision %d: %w", a.Number, a.Rev, pendopo.ErrConflict)
	}
	a.Rev++
	return a, nil
}

// Applications lists applications.
func (db *DB) Applications(ctx context.Context, f pendopo.ApplicationFilter) ([]pendopo.Application, int, error) {
	var (
		where []string
		args  []any
	)
	if f.ApplicantID != 0 {
		where, args = append(where, "applicant_id = ?"), append(args, f.ApplicantID)
	}
	if f.Region != "" {
		where, args = append(where, "region_code = ?"), append(args, f.Region)
	}
	if f.Agency != "" {
		where, args = append(where, "agency = ?"), append(args, f.Agency)
	}
	if len(f.Agencies) > 0 {
		where, args = append(where, "agency IN ("+placeholders(len(f.Agencies))+")"), append(args, anys(f.Agencies)...)
	}
	if len(f.Statuses) > 0 {
		where = append(where, "status IN (?"+strings.Repeat(", ?", len(f.Statuses)-1)+")")
		for _, s := range f.Statuses {
			args = append(args, s)
		}
	}
	if f.DueBy != 0 {
		where, args = append(where, "deadline <> 0 AND deadline <= ?"), append(args, int64(f.DueBy))
	}
	if f.NewAfter != 0 {
		where, args = append(where, "step = 0 AND assignee IS NULL AND deadline > ?"), append(args, int64(f.NewAfter))
	}
	if f.ByID && f.AfterID != 0 {
		where, args = append(where, "id > ?"), append(args, f.AfterID)
	}
	cond := ""
	if len(where) > 0 {
		cond = " WHERE " + strings.Join(where, " AND ")
	}
	var total int
	if !f.ByID {
		if err := db.read().QueryRowContext(ctx, db.q(`SELECT COUNT(*) FROM applications`+cond), args...).Scan(&total); err != nil {
			return nil, 0, fmt.Errorf("count applications: %w", err)
		}
	}
	order := " ORDER BY created_at DESC, id DESC"
	switch {
	case f.ByDeadline:
		order = " ORDER BY CASE WHEN deadline = 0 THEN 1 ELSE 0 END, deadline, submitted_at, id"
	case f.ByID:
		order = " ORDER BY id"
	}
	pg := f.Page.Normalize()
	limit, offset := pg.PerPage, pg.Offset()
	out, err := all(ctx, db.read(), scanApplication, db.q(`SELECT `+applicationColumns+` FROM applications`+cond+order+` LIMIT ? OFFSET ?`),
		append(args, limit, offset)...)
	if err != nil {
		return nil, 0, fmt.Errorf("list applications: %w", err)
	}
	return out, total, nil
}

// ApplicationWork counts a region's applications in progress per agency
// in one grouped query: overdue, due today, and new (at the first step,
// handed to no one, due later).
func (db *DB) ApplicationWork(ctx context.Context, f pendopo.WorkFilter) ([]pendopo.WorkCount, error) {
	today := int64(f.Today)
	args := []any{today, today, today, f.Region, pendopo.StatusInProgress}
	cond := ""
	if len(f.Agencies) > 0 {
		cond, args = " AND agency IN ("+placeholders(len(f.Agencies))+")", append(args, anys(f.Agencies)...)
	}
	return db.workCounts(ctx, "applications", db.q(`SELECT agency,
			SUM(CASE WHEN deadline <> 0 AND deadline < ? THEN 1 ELSE 0 END),
			SUM(CASE WHEN deadline = ? THEN 1 ELSE 0 END),
			SUM(CASE WHEN deadline > ? AND step = 0 AND assignee IS NULL THEN 1 ELSE 0 END)
		FROM applications WHERE region_code = ? AND status = ?`+cond+` GROUP BY agency ORDER BY agency`), args)
}

// workCounts reads the rows of a grouped count: agency, overdue, due
// today, new; rows that count nothing are left out.
func (db *DB) workCounts(ctx context.Context, what, query string, args []any) ([]pendopo.WorkCount, error) {
	rows, err := db.read().QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("count work of %s: %w", what, err)
	}
	defer rows.Close()
	var out []pendopo.WorkCount
	for rows.Next() {
		var w pendopo.WorkCount
		if err := rows.Scan(&w.Agency, &w.Overdue, &w.DueToday, &w.New); err != nil {
			return nil, fmt.Errorf("count work of %s: %w", what, err)
		}
		if w.Total() > 0 {
			out = append(out, w)
		}
	}
	return out, rows.Err()
}

// AddApplicationEvent appends to an application's timeline.
func (db *DB) AddApplicationEvent(ctx context.Context, e pendopo.ApplicationEvent) error {
	_, err := db.write().ExecContext(ctx, db.q(`INSERT INTO application_events (application_id, at, actor_id, actor_role,
		action, step, status, note) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`),
		e.ApplicationID, e.At.UTC(), nullInt(e.ActorID), e.ActorRole, e.Action, e.Step, e.Status, e.Note)
	if err != nil {
		return fmt.Errorf("add application event: %w", db.d.mapErr(err))
	}
	return nil
}

// ApplicationEvents returns an application's timeline, oldest first, with
// the actors' names.
func (db *DB) ApplicationEvents(ctx context.Context, applicationID int64) ([]pendopo.ApplicationEvent, error) {
	rows, err := db.read().QueryContext(ctx, db.q(`SELECT e.id, e.application_id, e.at, e.actor_id, COALESCE(u.name, ''),
		e.actor_role, e.action, e.step, e.status, e.note
		FROM application_events e LEFT JOIN users u ON u.id = e.actor_id
		WHERE e.application_id = ? ORDER BY e.id`), applicationID)
	if err != nil {
		return nil, fmt.Errorf("application events: %w", err)
	}
	defer rows.Close()
	var out []pendopo.ApplicationEvent
	for rows.Next() {
		var (
			e     pendopo.ApplicationEvent
			actor sql.NullInt64
		)
		if err := rows.Scan(&e.ID, &e.ApplicationID, &e.At, &actor, &e.ActorName, &e.ActorRole, &e.Action, &e.Step, &e.Status, &e.Note); err != nil {
			return nil, fmt.Errorf("application events: %w", err)
		}
		e.ActorID, e.At = actor.Int64, e.At.UTC()
		out = append(out, e)
	}
	return out, rows.Err()
}

// SaveUpload records an uploaded file of an application.
func (db *DB) SaveUpload(ctx context.Context, u pendopo.Upload) (pendopo.Upload, error) {
	err := db.write().QueryRowContext(ctx, db.q(`INSERT INTO uploads (application_id, field, addr, media, size, name,
		uploaded_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`),
		u.ApplicationID, u.Field, u.Addr, u.Media, u.Size, u.Name, nullInt(u.UploadedBy), u.CreatedAt.UTC()).Scan(&u.ID)
	if err != nil {
		return u, fmt.Errorf("save upload: %w", db.d.mapErr(err))
	}
	return u, nil
}

// Uploads lists an application's uploads, oldest first.
func (db *DB) Uploads(ctx context.Context, applicationID int64) ([]pendopo.Upload, error) {
	rows, err := db.read().QueryContext(ctx, db.q(`SELECT id, application_id, field, addr, media, size, name,
		uploaded_by, created_at FROM uploads WHERE application_id = ? ORDER BY id`), applicationID)
	if err != nil {
		return nil, fmt.Errorf("uploads: %w", err)
	}
	defer rows.Close()
	var out []pendopo.Upload
	for rows.Next() {
		var (
			u  pendopo.Upload
			by sql.NullInt64
		)
		if err := rows.Scan(&u.ID, &u.ApplicationID, &u.Field, &u.Addr, &u.Media, &u.Size, &u.Name, &by, &u.CreatedAt); err != nil {
			return nil, fmt.Errorf("uploads: %w", err)
		}
		u.UploadedBy, u.CreatedAt = by.Int64, u.CreatedAt.UTC()
		out = append(out, u)
	}
	return out, rows.Err()
}

// SaveDocument records an issued document.
func (db *DB) SaveDocument(ctx context.Context, d pendopo.IssuedDocument) error {
	_, err := db.write().ExecContext(ctx, db.q(`INSERT INTO documents (code, application_id, region_code, title, digest,
		signature, key_id, blob, issued_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`),
		d.Code, d.ApplicationID, d.Region, d.Title, d.Digest, d.Signature, d.KeyID, d.Blob, d.IssuedAt.UTC())
	if err != nil {
		return fmt.Errorf("save document: %w", db.d.mapErr(err))
	}
	return nil
}

func (db *DB) document(ctx context.Context, where string, arg any) (pendopo.IssuedDocument, error) {
	var d pendopo.IssuedDocument
	err := db.read().QueryRowContext(ctx, db.q(`SELECT code, application_id, region_code, title, digest, signature,
		key_id, blob, issued_at FROM documents WHERE `+where), arg).Scan(&d.Code, &d.ApplicationID, &d.Region, &d.Title,
		&d.Digest, &d.Signature, &d.KeyID, &d.Blob, &d.IssuedAt)
	if errors.Is(err, sql.ErrNoRows) {
		return d, fmt.Errorf("document: %w", pendopo.ErrNotFound)
	}
	if err != nil {
		return d, fmt.Errorf("document: %w", err)
	}
	d.IssuedAt = d.IssuedAt.UTC()
	return d, nil
}

// Document returns an issued document by its verification code.
func (db *DB) Document(ctx context.Context, code string) (pendopo.IssuedDocument, error) {
	return db.document(ctx, `code = ?`, code)
}

// DocumentByDigest returns the issued document whose PDF has this SHA-256.
func (db *DB) DocumentByDigest(ctx context.Context, digest []byte) (pendopo.IssuedDocument, error) {
	return db.document(ctx, `digest = ?`, digest)
}

// SaveSigningKey stores a new key.
func (db *DB) SaveSigningKey(ctx context.Context, k pendopo.SigningKey) error {
	_, err := db.write().ExecContext(ctx, db.q(`INSERT INTO signing_keys (id, region_code, public_key, sealed, created_at)
		VALUES (?, ?, ?, ?, ?)`), k.ID, k.Region, k.Public, k.Sealed, k.CreatedAt.UTC())
	if err != nil {
		return fmt.Errorf("save signing key: %w", db.d.mapErr(err))
	}
	return nil
}

// SigningKeys lists a region's keys, newest first.
func (db *DB) SigningKeys(ctx context.Context, region string) ([]pendopo.SigningKey, error) {
	rows, err := db.read().QueryContext(ctx, db.q(`SELECT id, region_code, public_key, sealed, created_at, retired_at
		FROM signing_keys WHERE region_code = ? ORDER BY created_at DESC, id DESC`), region)
	if err != nil {
		return nil, fmt.Errorf("signing keys: %w", err)
	}
	defer rows.Close()
	var out []pendopo.SigningKey
	for rows.Next() {
		var (
			k       pendopo.SigningKey
			retired sql.NullTime
		)
		if err := rows.Scan(&k.ID, &k.Region, &k.Public, &k.Sealed, &k.CreatedAt, &retired); err != nil {
			return nil, fmt.Errorf("signing keys: %w", err)
		}
		k.CreatedAt = k.CreatedAt.UTC()
		if retired.Valid {
			k.RetiredAt = retired.Time.UTC()
		}
		out = append(out, k)
	}
	return out, rows.Err()
}

// RetireSigningKey stops a key from signing; it still verifies.
func (db *DB) RetireSigningKey(ctx context.Context, id string, at time.Time) error {
	_, err := db.write().ExecContext(ctx, db.q(`UPDATE signing_keys SET retired_at = ? WHERE id = ? AND retired_at IS NULL`), at.UTC(), id)
	if err != nil {
		return fmt.Errorf("retire signing key: %w", err)
	}
	return nil
}

func (db *DB) holidays(ctx context.Context, where string, args ...any) ([]pendopo.Holiday, error) {
	rows, err := db.read().QueryContext(ctx, db.q(`SELECT region_code, day, name, kind FROM region_holidays`+where+` ORDER BY day, region_code`), args...)
	if err != nil {
		return nil, fmt.Errorf("region holidays: %w", err)
	}
	defer rows.Close()
	var out []pendopo.Holiday
	for rows.Next() {
		var (
			h   pendopo.Holiday
			day int64
		)
		if err := rows.Scan(&h.Region, &day, &h.Name, &h.Kind); err != nil {
			return nil, fmt.Errorf("region holidays: %w", err)
		}
		h.Date = pendopo.Day(day)
		out = append(out, h)
	}
	return out, rows.Err()
}

// RegionHolidays lists the holidays added for one region.
func (db *DB) RegionHolidays(ctx context.Context, region string) ([]pendopo.Holiday, error) {
	return db.holidays(ctx, ` WHERE region_code = ?`, region)
}

// AllRegionHolidays lists every added holiday: the regions' and the
// national ones of imported years.
func (db *DB) AllRegionHolidays(ctx context.Context) ([]pendopo.Holiday, error) {
	return db.holidays(ctx, "")
}

// AddRegionHoliday adds (or renames) a region's holiday.
func (db *DB) AddRegionHoliday(ctx context.Context, h pendopo.Holiday) error {
	kind := h.Kind
	if kind == "" {
		kind = pendopo.HolidayRegional
	}
	_, err := db.write().ExecContext(ctx, db.q(`INSERT INTO region_holidays (region_code, day, name, kind) VALUES (?, ?, ?, ?)
		ON CONFLICT (region_code, day) DO UPDATE SET name = excluded.name, kind = excluded.kind`), h.Region, int64(h.Date), h.Name, kind)
	if err != nil {
		return fmt.Errorf("add region holiday: %w", db.d.mapErr(err))
	}
	return nil
}

// DeleteRegionHoliday removes a region's holiday.
func (db *DB) DeleteRegionHoliday(ctx context.Context, region string, d pendopo.Day) error {
	res, err := db.write().ExecContext(ctx, db.q(`DELETE FROM region_holidays WHERE region_code = ? AND day = ?`), region, int64(d))
	if err != nil {
		return fmt.Errorf("delete region holiday: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("region holiday %s %s: %w", region, d, pendopo.ErrNotFound)
	}
	return nil
}
