package store

import (
	"context"
	"fmt"
	"strings"

	"github.com/pendopo/pendopo"
)

// AddStats adds deltas to the monthly figures in one statement, after
// folding deltas of the same row together (PostgreSQL refuses to update
// a row twice in one upsert).
func (db *DB) AddStats(ctx context.Context, deltas []pendopo.StatDelta) error {
	type key struct {
		pendopo.StatScope
		month  pendopo.Month
		metric pendopo.Metric
	}
	sums := map[key]int64{}
	var order []key
	for _, d := range deltas {
		k := key{d.StatScope, d.Month, d.Metric}
		if _, ok := sums[k]; !ok {
			order = append(order, k)
		}
		sums[k] += d.N
	}
	if len(order) == 0 {
		return nil
	}
	var (
		sb   strings.Builder
		args []any
	)
	sb.WriteString(`INSERT INTO stats_monthly (region_code, month, agency, service_id, metric, n) VALUES `)
	for i, k := range order {
		if i > 0 {
			sb.WriteString(", ")
		}
		sb.WriteString("(?, ?, ?, ?, ?, ?)")
		args = append(args, k.Region, string(k.month), k.Agency, k.ServiceID, string(k.metric), sums[k])
	}
	sb.WriteString(` ON CONFLICT (region_code, month, agency, service_id, metric) DO UPDATE SET n = stats_monthly.n + excluded.n`)
	if _, err := db.write().ExecContext(ctx, db.q(sb.String()), args...); err != nil {
		return fmt.Errorf("add stats: %w", db.d.mapErr(err))
	}
	return nil
}

// StatRows sums the monthly figures a filter selects, by month and by the
// scope column the filter groups on.
func (db *DB) StatRows(ctx context.Context, f pendopo.StatFilter) ([]pendopo.StatRow, error) {
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
	if f.ServiceID != 0 {
		add("service_id = ?", f.ServiceID)
	}
	if f.From != "" {
		add("month >= ?", string(f.From))
	}
	if f.To != "" {
		add("month <= ?", string(f.To))
	}
	group := ""
	switch f.GroupBy {
	case "":
	case "region":
		group = "region_code"
	case "agency":
		group = "region_code, agency"
	case "service":
		group = "region_code, agency, service_id"
	default:
		return nil, fmt.Errorf("stats grouped by %q: unknown grouping", f.GroupBy)
	}
	cols := "month, metric"
	if group != "" {
		cols = group + ", " + cols
	}
	cond := ""
	if len(where) > 0 {
		cond = " WHERE " + strings.Join(where, " AND ")
	}
	rows, err := db.read().QueryContext(ctx, db.q(`SELECT `+cols+`, SUM(n) FROM stats_monthly`+cond+` GROUP BY `+cols+` ORDER BY `+cols), args...)
	if err != nil {
		return nil, fmt.Errorf("stats: %w", err)
	}
	defer rows.Close()
	var out []pendopo.StatRow
	for rows.Next() {
		var (
			r    pendopo.StatRow
			dest []any
		)
		switch f.GroupBy {
		case "region":
			dest = append(dest, &r.Region)
		case "agency":
			dest = append(dest, &r.Region, &r.Agency)
		case "service":
			dest = append(dest, &r.Region, &r.Agency, &r.ServiceID)
		}
		if err := rows.Scan(append(dest, &r.Month, &r.Metric, &r.N)...); err != nil {
			return nil, fmt.Errorf("stats: %w", err)
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// ResetStats removes every figure.
func (db *DB) ResetStats(ctx context.Context) error {
	if _, err := db.write().ExecContext(ctx, `DELETE FROM stats_monthly`); err != nil {
		return fmt.Errorf("reset stats: %w", err)
	}
	return nil
}
