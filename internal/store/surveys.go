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

// unsurColumns are the answer columns of survey_responses, in
// pendopo.Unsurs order: "u_" and the unsur's id.
var unsurColumns = func() []string {
	cols := make([]string, len(pendopo.Unsurs))
	for i, u := range pendopo.Unsurs {
		cols[i] = "u_" + string(u.ID)
	}
	return cols
}()

var surveyColumns = `id, region_code, agency, service_id, service_point_id, channel, subject, ` +
	strings.Join(unsurColumns, ", ") + `, comment, device_key, addr_key, status, created_at`

// surveySums adds up every answer column: the respondents, then the sum
// and the count of each unsur.
var surveySums = func() string {
	var b strings.Builder
	b.WriteString("COUNT(*)")
	for _, c := range unsurColumns {
		fmt.Fprintf(&b, ", COALESCE(SUM(%s), 0), COUNT(%s)", c, c)
	}
	return b.String()
}()

func scanSurvey(row scanner, extra ...any) (pendopo.SurveyResponse, error) {
	var (
		r              pendopo.SurveyResponse
		service, point sql.NullInt64
		answers        [pendopo.NumUnsur]sql.NullInt64
	)
	dest := []any{&r.ID, &r.Region, &r.Agency, &service, &point, &r.Channel, &r.Subject}
	for i := range answers {
		dest = append(dest, &answers[i])
	}
	dest = append(dest, &r.Comment, &r.DeviceKey, &r.AddrKey, &r.Status, &r.CreatedAt)
	if err := row.Scan(append(dest, extra...)...); err != nil {
		return r, err
	}
	r.ServiceID, r.ServicePointID, r.CreatedAt = service.Int64, point.Int64, r.CreatedAt.UTC()
	r.Answers = map[pendopo.UnsurID]int{}
	for i, a := range answers {
		if a.Valid {
			r.Answers[pendopo.Unsurs[i].ID] = int(a.Int64)
		}
	}
	return r, nil
}

// AddSurveyResponse stores a valid response. The unique indexes enforce
// one response per subject and, without a subject, one per device key,
// region, service point and local day; which one a conflict broke follows
// from whether the response has a subject, because the device index
// leaves responses with one out.
func (db *DB) AddSurveyResponse(ctx context.Context, r pendopo.SurveyResponse) (pendopo.SurveyResponse, error) {
	if err := r.Validate(); err != nil {
		return r, fmt.Errorf("add survey response: %w", err)
	}
	loc := pendopo.RegionZone(r.Region)
	local := r.CreatedAt.In(loc)
	args := []any{r.Region, r.Agency, nullInt(r.ServiceID), nullInt(r.ServicePointID), r.Channel, r.Subject}
	for _, u := range pendopo.Unsurs {
		if v, ok := r.Answers[u.ID]; ok {
			args = append(args, v)
		} else {
			args = append(args, nil)
		}
	}
	if r.Status == "" {
		r.Status = pendopo.SurveyCounted
	}
	args = append(args, r.Comment, r.DeviceKey, r.AddrKey, r.Status, int64(pendopo.DayOf(r.CreatedAt, loc)), local.Year()*100+int(local.Month()), r.CreatedAt.UTC())
	var id int64
	err := db.write().QueryRowContext(ctx, db.q(`INSERT INTO survey_responses (region_code, agency, service_id,
		service_point_id, channel, subject, `+strings.Join(unsurColumns, ", ")+`, comment, device_key, addr_key, status, day, month, created_at)
		VALUES (`+placeholders(len(args))+`) RETURNING id`), args...).Scan(&id)
	if err != nil {
		err = db.d.mapErr(err)
		var e *pendopo.Error
		if errors.As(err, &e) && e == pendopo.ErrConflict {
			if r.Subject != "" {
				return r, fmt.Errorf("add survey response for %s: %w", r.Subject, pendopo.ErrSurveyAnswered)
			}
			return r, fmt.Errorf("add survey response at point %d: %w", r.ServicePointID, pendopo.ErrSurveyRepeated)
		}
		return r, fmt.Errorf("add survey response: %w", err)
	}
	r.ID, r.CreatedAt = id, r.CreatedAt.UTC()
	return r, nil
}

// surveyWhere turns a filter into a WHERE clause and its arguments.
func surveyWhere(f pendopo.SurveyFilter) (string, []any) {
	var (
		where []string
		args  []any
	)
	add := func(cond string, a any) { where, args = append(where, cond), append(args, a) }
	if f.Region != "" {
		add("region_code = ?", f.Region)
	}
	if f.Agency != "" {
		add("agency = ?", f.Agency)
	}
	if f.ServiceID != 0 {
		add("service_id = ?", f.ServiceID)
	}
	if f.ServicePointID != 0 {
		add("service_point_id = ?", f.ServicePointID)
	}
	if f.Channel != "" {
		add("channel = ?", f.Channel)
	}
	if f.Subject != "" {
		add("subject = ?", f.Subject)
	}
	if f.Status != "" {
		add("status = ?", f.Status)
	}
	if !f.Since.IsZero() {
		add("created_at >= ?", f.Since.UTC())
	}
	if !f.Until.IsZero() {
		add("created_at < ?", f.Until.UTC())
	}
	return whereSQL(where), args
}

// SurveyResponses lists responses, newest first, counting them in the
// same query.
func (db *DB) SurveyResponses(ctx context.Context, f pendopo.SurveyFilter) ([]pendopo.SurveyResponse, int, error) {
	cond, args := surveyWhere(f)
	p := f.Page.Normalize()
	var total int // every row carries it: count(*) OVER ()
	out, err := all(ctx, db.read(), func(r scanner) (pendopo.SurveyResponse, error) { return scanSurvey(r, &total) },
		db.q(`SELECT `+surveyColumns+`, count(*) OVER () FROM survey_responses`+cond+
			` ORDER BY created_at DESC, id DESC LIMIT ? OFFSET ?`), append(args, p.PerPage, p.Offset())...)
	if err != nil {
		return nil, 0, fmt.Errorf("list survey responses: %w", err)
	}
	if len(out) == 0 && p.Page > 1 {
		total, err = db.count(ctx, `SELECT count(*) FROM survey_responses`+cond, args...)
	}
	return out, total, err
}

// SurveyTally adds up the selected responses in one aggregate query.
func (db *DB) SurveyTally(ctx context.Context, f pendopo.SurveyFilter) (pendopo.IKMTally, error) {
	groups, err := db.SurveyTallies(ctx, f, 0)
	if err != nil || len(groups) == 0 {
		return pendopo.IKMTally{}, err
	}
	return groups[0].Tally, nil
}

// SurveyTallies adds up the selected responses per group in one aggregate
// query; the database returns a row per group, never the responses.
func (db *DB) SurveyTallies(ctx context.Context, f pendopo.SurveyFilter, by pendopo.SurveyGroupBy) ([]pendopo.SurveyGroupTally, error) {
	var group, order []string
	if by&pendopo.SurveyByRegion != 0 {
		group, order = append(group, "region_code"), append(order, db.d.textOrder("region_code"))
	}
	if by&pendopo.SurveyByAgency != 0 {
		group, order = append(group, "agency"), append(order, db.d.textOrder("agency"))
	}
	if by&pendopo.SurveyByService != 0 {
		group, order = append(group, "COALESCE(service_id, 0)"), append(order, "COALESCE(service_id, 0)")
	}
	if by&pendopo.SurveyByMonth != 0 {
		group, order = append(group, "month"), append(order, "month")
	}
	cond, args := surveyWhere(f)
	q := `SELECT ` + surveySums + ` FROM survey_responses` + cond
	if len(group) > 0 {
		q = `SELECT ` + strings.Join(group, ", ") + `, ` + surveySums + ` FROM survey_responses` + cond +
			` GROUP BY ` + strings.Join(group, ", ") + ` ORDER BY ` + strings.Join(order, ", ")
	}
	rows, err := db.read().QueryContext(ctx, db.q(q), args...)
	if err != nil {
		return nil, fmt.Errorf("tally survey responses: %w", err)
	}
	defer rows.Close()
	var out []pendopo.SurveyGroupTally
	for rows.Next() {
		var (
			g     pendopo.SurveyGroupTally
			month int
			dest  []any
		)
		if by&pendopo.SurveyByRegion != 0 {
			dest = append(dest, &g.Region)
		}
		if by&pendopo.SurveyByAgency != 0 {
			dest = append(dest, &g.Agency)
		}
		if by&pendopo.SurveyByService != 0 {
			dest = append(dest, &g.ServiceID)
		}
		if by&pendopo.SurveyByMonth != 0 {
			dest = append(dest, &month)
		}
		dest = append(dest, &g.Tally.Respondents)
		for i := range g.Tally.Sum {
			dest = append(dest, &g.Tally.Sum[i], &g.Tally.Count[i])
		}
		if err := rows.Scan(dest...); err != nil {
			return nil, fmt.Errorf("tally survey responses: %w", err)
		}
		if month != 0 {
			g.Year, g.Month = month/100, time.Month(month%100)
		}
		out = append(out, g)
	}
	return out, rows.Err()
}

// BumpSurveyCounter adds to a counter in one upsert, which locks its row
// until the transaction ends, so that concurrent bumps are counted one
// after another.
func (db *DB) BumpSurveyCounter(ctx context.Context, key string, period, by int64) (int64, error) {
	var n int64
	err := db.write().QueryRowContext(ctx, db.q(`INSERT INTO survey_counters (key, period, n) VALUES (?, ?, ?)
		ON CONFLICT (key, period) DO UPDATE SET n = survey_counters.n + excluded.n RETURNING n`), key, period, by).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("count %s: %w", key, db.d.mapErr(err))
	}
	return n, nil
}

// PruneSurveyCounters removes counters of periods before before.
func (db *DB) PruneSurveyCounters(ctx context.Context, before int64) error {
	if _, err := db.write().ExecContext(ctx, db.q(`DELETE FROM survey_counters WHERE period < ?`), before); err != nil {
		return fmt.Errorf("prune survey counters: %w", err)
	}
	return nil
}

// setSurveyStatus moves the responses a condition selects to status to
// and returns them, with their new status.
func (db *DB) setSurveyStatus(ctx context.Context, to pendopo.SurveyStatus, cond string, args ...any) ([]pendopo.SurveyResponse, error) {
	out, err := all(ctx, db.write(), func(r scanner) (pendopo.SurveyResponse, error) { return scanSurvey(r) },
		db.q(`UPDATE survey_responses SET status = ? WHERE `+cond+` RETURNING `+surveyColumns), append([]any{to}, args...)...)
	if err != nil {
		return nil, fmt.Errorf("set survey status: %w", db.d.mapErr(err))
	}
	return out, nil
}

// HoldWalkIns holds a service point's counted walk-in responses since a
// time.
func (db *DB) HoldWalkIns(ctx context.Context, region string, point int64, since time.Time) ([]pendopo.SurveyResponse, error) {
	return db.setSurveyStatus(ctx, pendopo.SurveyHeld, `region_code = ? AND COALESCE(service_point_id, 0) = ? AND channel = ?
		AND status = ? AND created_at >= ?`, region, point, pendopo.SurveyWalkIn, pendopo.SurveyCounted, since.UTC())
}

// DecideHeldSurveys counts or rejects a point's held responses of a day.
func (db *DB) DecideHeldSurveys(ctx context.Context, region string, point int64, day pendopo.Day, to pendopo.SurveyStatus) ([]pendopo.SurveyResponse, error) {
	if to != pendopo.SurveyCounted && to != pendopo.SurveyRejected {
		return nil, fmt.Errorf("decide held surveys: status %q is neither counted nor rejected", to)
	}
	out, err := db.setSurveyStatus(ctx, to, `region_code = ? AND COALESCE(service_point_id, 0) = ? AND day = ? AND status = ?`,
		region, point, int64(day), pendopo.SurveyHeld)
	if err == nil && len(out) == 0 {
		err = fmt.Errorf("held surveys of point %d on %s: %w", point, day, pendopo.ErrNotFound)
	}
	return out, err
}

// HeldSurveys sums a region's held responses per service point and day.
func (db *DB) HeldSurveys(ctx context.Context, region string) ([]pendopo.HeldSurveyGroup, error) {
	rows, err := db.read().QueryContext(ctx, db.q(`SELECT COALESCE(service_point_id, 0), day, COUNT(DISTINCT NULLIF(addr_key, '')),
		MIN(created_at), MAX(created_at), `+surveySums+` FROM survey_responses WHERE region_code = ? AND status = ?
		GROUP BY COALESCE(service_point_id, 0), day ORDER BY day, COALESCE(service_point_id, 0)`), region, pendopo.SurveyHeld)
	if err != nil {
		return nil, fmt.Errorf("held surveys: %w", err)
	}
	defer rows.Close()
	var out []pendopo.HeldSurveyGroup
	for rows.Next() {
		g := pendopo.HeldSurveyGroup{Region: region}
		var day int64
		var first, last anyTime
		dest := []any{&g.ServicePointID, &day, &g.Addresses, &first, &last, &g.Tally.Respondents}
		for i := range g.Tally.Sum {
			dest = append(dest, &g.Tally.Sum[i], &g.Tally.Count[i])
		}
		if err := rows.Scan(dest...); err != nil {
			return nil, fmt.Errorf("held surveys: %w", err)
		}
		g.Day, g.First, g.Last = pendopo.Day(day), first.t, last.t
		out = append(out, g)
	}
	return out, rows.Err()
}

// anyTime scans a timestamp that may come back as text: SQLite forgets a
// column's type in an aggregate such as MIN, and returns what it stored
// (UTC, so that text order is time order).
type anyTime struct{ t time.Time }

func (a *anyTime) Scan(v any) error {
	switch v := v.(type) {
	case time.Time:
		a.t = v.UTC()
		return nil
	case []byte:
		return a.parse(string(v))
	case string:
		return a.parse(v)
	case nil:
		a.t = time.Time{}
		return nil
	}
	return fmt.Errorf("scan a time from %T", v)
}

func (a *anyTime) parse(s string) error {
	for _, layout := range []string{"2006-01-02 15:04:05.999999999-07:00", time.RFC3339Nano, "2006-01-02 15:04:05"} {
		if t, err := time.Parse(layout, s); err == nil {
			a.t = t.UTC()
			return nil
		}
	}
	return fmt.Errorf("scan a time from %q", s)
}
