package store

import (
	"context"
	"fmt"
	"strings"

	"github.com/pendopo/pendopo"
)

// AddStats adds deltas to the monthly figures, rolled up to the agency
// and region levels, in one statement, after folding deltas of the same
// row together (PostgreSQL refuses to update
// a row twice in one upsert).
func (db *DB) AddStats(ctx context.Context, deltas []pendopo.StatDelta) error {
	type key struct {
		pendopo.StatScope
		month  pendopo.Month
		metric pendopo.Metric
	}
	sums := map[key]int64{}
	var order []key
	for _, d := range pendopo.Rollup(deltas) {
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
	sb.WriteString(` ON CONFLICT (region_code, agency, service_id, month, metric) DO UPDATE SET n = stats_monthly.n + excluded.n`)
	if _, err := db.write().ExecContext(ctx, db.q(sb.String()), args...); err != nil {
		return fmt.Errorf("add stats: %w", db.d.mapErr(err))
	}
	return nil
}

// StatRows sums the monthly figures a filter selects, at the level it
// reads (see pendopo.StatFilter).
func (db *DB) StatRows(ctx context.Context, f pendopo.StatFilter) ([]pendopo.StatRow, error) {
	var (
		where []string
		args  []any
	)
	add := func(cond string, a ...any) { where, args = append(where, cond), append(args, a...) }
	if f.Region != "" {
		add("region_code = ?", f.Region)
	}
	var group []string
	switch f.GroupBy {
	case "":
		switch {
		case f.ServiceID != 0:
			add("service_id = ?", f.ServiceID)
		case f.Agency != "":
			add("agency = ? AND service_id = 0", f.Agency)
		default:
			add("agency = '' AND service_id = 0")
		}
	case "region":
		add("agency = '' AND service_id = 0")
		group = []string{"region_code"}
	case "agency":
		add("agency <> '' AND service_id = 0")
		group = []string{"region_code", "agency"}
	case "service":
		add("service_id <> 0")
		if f.Agency != "" {
			add("agency = ?", f.Agency)
		}
		group = []string{"region_code", "agency", "service_id"}
	default:
		return nil, fmt.Errorf("stats grouped by %q: unknown grouping", f.GroupBy)
	}
	if f.From != "" {
		add("month >= ?", string(f.From))
	}
	if f.To != "" {
		add("month <= ?", string(f.To))
	}
	if len(f.Metrics) > 0 {
		add("metric IN ("+placeholders(len(f.Metrics))+")", anys(f.Metrics)...)
	}
	keys := append(group, "month", "metric")
	if f.Totals {
		keys = append(group, "metric")
	}
	cols := strings.Join(keys, ", ")
	// Sums of 0 are left out: counts taken back (survey responses held for
	// review) leave rows at 0, which are no figure at all.
	rows, err := db.read().QueryContext(ctx, db.q(`SELECT `+cols+`, SUM(n) FROM stats_monthly WHERE `+strings.Join(where, " AND ")+
		` GROUP BY `+cols+` HAVING SUM(n) <> 0 ORDER BY `+cols), args...)
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
		if !f.Totals {
			dest = append(dest, &r.Month)
		}
		if err := rows.Scan(append(dest, &r.Metric, &r.N)...); err != nil {
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
