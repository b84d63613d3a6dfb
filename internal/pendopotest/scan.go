package pendopotest

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"strings"
	"testing"

	"github.com/pendopo/pendopo/internal/store"
)

// FindText looks through every column of every row of every table of db
// for each of words (ignoring case) and returns where it found them, as
// "table.column: word". Tests of erasure use it to prove that nothing of
// a person is left. Encrypted values do not match, by design.
func FindText(t testing.TB, db *store.DB, words ...string) []string {
	t.Helper()
	ctx := context.Background()
	pools := db.Pools()
	pool := pools["main"]
	if pool == nil {
		pool = pools["writer"] // SQLite: the writer sees every commit
	}
	list := `SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`
	if db.Dialect() == "postgres" {
		list = `SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY table_name`
	}
	tables, err := strings1(ctx, pool, list)
	if err != nil {
		t.Fatal(err)
	}
	if len(tables) == 0 {
		t.Fatal("no tables found: the scan would prove nothing")
	}
	var found []string
	for _, table := range tables {
		rows, err := pool.QueryContext(ctx, `SELECT * FROM `+table)
		if err != nil {
			t.Fatalf("%s: %v", table, err)
		}
		cols, _ := rows.Columns()
		for rows.Next() {
			vals := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			if err := rows.Scan(ptrs...); err != nil {
				rows.Close()
				t.Fatalf("%s: %v", table, err)
			}
			for i, v := range vals {
				var b []byte
				switch v := v.(type) {
				case string:
					b = []byte(v)
				case []byte:
					b = v
				default:
					continue
				}
				b = bytes.ToLower(b)
				for _, w := range words {
					if bytes.Contains(b, []byte(strings.ToLower(w))) {
						found = append(found, fmt.Sprintf("%s.%s: %s", table, cols[i], w))
					}
				}
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			t.Fatalf("%s: %v", table, err)
		}
	}
	return found
}

func strings1(ctx context.Context, db *sql.DB, q string) ([]string, error) {
	rows, err := db.QueryContext(ctx, q)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, rows.Err()
}
