package store

import (
	"context"
	"fmt"

	"github.com/pendopo/pendopo"
)

// AddSearchCounts adds each count to its day's row.
func (db *DB) AddSearchCounts(ctx context.Context, counts []pendopo.SearchCount) error {
	stmt := db.q(`INSERT INTO search_counts (day, region_code, query, searches, empty, refined) VALUES (?, ?, ?, ?, ?, ?)
		ON CONFLICT (day, region_code, query) DO UPDATE SET searches = search_counts.searches + excluded.searches,
		empty = search_counts.empty + excluded.empty, refined = search_counts.refined + excluded.refined`)
	for _, c := range counts {
		if _, err := db.write().ExecContext(ctx, stmt, int64(c.Day), c.Region, c.Query, c.Searches, c.Empty, c.Refined); err != nil {
			return fmt.Errorf("add search count: %w", db.d.mapErr(err))
		}
	}
	return nil
}

// SearchCounts sums the counts of from..to per region and query.
func (db *DB) SearchCounts(ctx context.Context, scope string, from, to pendopo.Day, limit int) ([]pendopo.SearchCount, error) {
	where, args := "day BETWEEN ? AND ?", []any{int64(from), int64(to)}
	if scope != "" {
		// The same rule as pendopo.Covers: a province covers its kabupaten/kota.
		where += " AND (region_code = ? OR region_code LIKE ?)"
		args = append(args, scope, scope+".%")
	}
	args = append(args, limit)
	out, err := all(ctx, db.read(), func(r scanner) (pendopo.SearchCount, error) {
		var c pendopo.SearchCount
		err := r.Scan(&c.Region, &c.Query, &c.Searches, &c.Empty, &c.Refined)
		return c, err
	}, db.q(`SELECT region_code, query, SUM(searches), SUM(empty), SUM(refined) FROM search_counts
		WHERE `+where+` GROUP BY region_code, query
		ORDER BY SUM(empty) + SUM(refined) DESC, SUM(searches) DESC, query, region_code LIMIT ?`), args...)
	if err != nil {
		return nil, fmt.Errorf("search counts: %w", err)
	}
	return out, nil
}

// DeleteSearchCountsBefore forgets the days before day.
func (db *DB) DeleteSearchCountsBefore(ctx context.Context, day pendopo.Day) error {
	if _, err := db.write().ExecContext(ctx, db.q("DELETE FROM search_counts WHERE day < ?"), int64(day)); err != nil {
		return fmt.Errorf("forget search counts: %w", err)
	}
	return nil
}
