package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"github.com/pendopo/pendopo"
)

// placeholders is "?, ?, …" for n values of an IN list.
func placeholders(n int) string {
	return strings.TrimSuffix(strings.Repeat("?, ", n), ", ")
}

// anys turns values into query arguments.
func anys[T any](values []T) []any {
	out := make([]any, len(values))
	for i, v := range values {
		out[i] = v
	}
	return out
}

// ReportEventsIn lists events across reports, oldest first, with their
// total. The public filter joins the reports, so that the page holds only
// what the public may see and the total counts the same.
func (db *DB) ReportEventsIn(ctx context.Context, f pendopo.ReportEventFilter) ([]pendopo.ReportEvent, int, error) {
	var (
		where []string
		args  []any
	)
	add := func(cond string, a ...any) { where, args = append(where, cond), append(args, a...) }
	if f.Region != "" {
		add("r.region_code = ?", f.Region)
	}
	if !f.Since.IsZero() {
		add("e.at >= ?", f.Since.UTC())
	}
	if !f.Until.IsZero() {
		add("e.at < ?", f.Until.UTC())
	}
	if len(f.ReportIDs) > 0 {
		add("e.report_id IN ("+placeholders(len(f.ReportIDs))+")", anys(f.ReportIDs)...)
	}
	if len(f.Actions) > 0 {
		add("e.action IN ("+placeholders(len(f.Actions))+")", anys(f.Actions)...)
	}
	if f.Public {
		add("e.public = ? AND r.privacy <> ? AND r.flagged = ? AND r.merged_into IS NULL", true, pendopo.PrivacyConfidential, false)
	}
	from := ` FROM report_events e JOIN reports r ON r.id = e.report_id`
	if len(where) > 0 {
		from += " WHERE " + strings.Join(where, " AND ")
	}
	var total int
	if !f.NoTotal {
		if err := db.read().QueryRowContext(ctx, db.q(`SELECT COUNT(*)`+from), args...).Scan(&total); err != nil {
			return nil, 0, fmt.Errorf("count report events: %w", err)
		}
	}
	pg := f.Page.Normalize()
	limit := pg.PerPage
	if f.NoTotal {
		limit++
	}
	rows, err := db.read().QueryContext(ctx, db.q(`SELECT e.id, e.report_id, e.at, e.actor_id, e.actor_role, e.action,
		e.status, e.note, e.agency, e.target, e.public`+from+` ORDER BY e.at, e.id LIMIT ? OFFSET ?`),
		append(args, limit, pg.Offset())...)
	if err != nil {
		return nil, 0, fmt.Errorf("list report events: %w", err)
	}
	defer rows.Close()
	var out []pendopo.ReportEvent
	for rows.Next() {
		var (
			e     pendopo.ReportEvent
			actor sql.NullInt64
		)
		if err := rows.Scan(&e.ID, &e.ReportID, &e.At, &actor, &e.ActorRole, &e.Action, &e.Status, &e.Note, &e.Agency, &e.Target, &e.Public); err != nil {
			return nil, 0, fmt.Errorf("list report events: %w", err)
		}
		e.ActorID, e.At = actor.Int64, e.At.UTC()
		out = append(out, e)
	}
	if f.NoTotal {
		total = pg.Offset() + len(out)
		out = out[:min(len(out), pg.PerPage)]
	}
	return out, total, rows.Err()
}
