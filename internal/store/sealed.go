package store

import (
	"context"
	"encoding/base64"
	"fmt"
	"regexp"
	"strings"

	"github.com/pendopo/pendopo"
)

// identRE is what a table or column name given to EachSealed may be.
var identRE = regexp.MustCompile(`^[a-z_][a-z0-9_]*$`)

// sealedPage is how many rows EachSealed reads at a time.
const sealedPage = 500

// EachSealed visits every sealed value of c and stores what fn returns.
func (db *DB) EachSealed(ctx context.Context, c pendopo.SealedColumn, fn func(key string, sealed []byte) (pendopo.Resealed, error)) error {
	for _, id := range append([]string{c.Table, c.Key, c.Value}, c.Derived...) {
		if !identRE.MatchString(id) {
			return fmt.Errorf("sealed column %s.%s: bad name %q", c.Table, c.Value, id)
		}
	}
	where := c.Value + " IS NOT NULL"
	if c.Where != "" {
		where += " AND (" + c.Where + ")"
	}
	set := c.Value + " = ?"
	for _, d := range c.Derived {
		set += ", " + d + " = ?"
	}
	update := db.q("UPDATE " + c.Table + " SET " + set + " WHERE " + c.Key + " = ?")
	type row struct {
		key    any // as the driver returned it, to be given back unchanged
		sealed []byte
	}
	var after any
	for {
		q, args := "SELECT "+c.Key+", "+c.Value+" FROM "+c.Table+" WHERE "+where, []any(nil)
		if after != nil {
			q += " AND " + c.Key + " > ?"
			args = append(args, after)
		}
		q += fmt.Sprintf(" ORDER BY %s LIMIT %d", c.Key, sealedPage)
		rows, err := db.read().QueryContext(ctx, db.q(q), args...)
		if err != nil {
			return fmt.Errorf("read %s.%s: %w", c.Table, c.Value, err)
		}
		var page []row
		for rows.Next() {
			var (
				r   row
				raw any
			)
			if err := rows.Scan(&r.key, &raw); err != nil {
				rows.Close()
				return fmt.Errorf("read %s.%s: %w", c.Table, c.Value, err)
			}
			switch v := raw.(type) {
			case []byte:
				r.sealed = append([]byte(nil), v...)
			case string:
				r.sealed = []byte(v)
			}
			if c.Text && len(r.sealed) > 0 {
				dec, err := base64.StdEncoding.DecodeString(strings.TrimSpace(string(r.sealed)))
				if err != nil {
					rows.Close()
					return fmt.Errorf("read %s.%s of %v: not base64: %w", c.Table, c.Value, r.key, err)
				}
				r.sealed = dec
			}
			if b, ok := r.key.([]byte); ok {
				r.key = string(b)
			}
			page = append(page, r)
		}
		err = rows.Err()
		rows.Close()
		if err != nil {
			return fmt.Errorf("read %s.%s: %w", c.Table, c.Value, err)
		}
		for _, r := range page {
			after = r.key
			if len(r.sealed) == 0 {
				continue
			}
			out, err := fn(fmt.Sprint(r.key), r.sealed)
			if err != nil {
				return err
			}
			if out.Value == nil {
				continue
			}
			if len(out.Derived) != len(c.Derived) {
				return fmt.Errorf("reseal %s.%s: %d derived values for %d columns", c.Table, c.Value, len(out.Derived), len(c.Derived))
			}
			var v any = out.Value
			if c.Text {
				v = base64.StdEncoding.EncodeToString(out.Value)
			}
			args := []any{v}
			for _, d := range out.Derived {
				args = append(args, d)
			}
			if _, err := db.write().ExecContext(ctx, update, append(args, r.key)...); err != nil {
				return fmt.Errorf("reseal %s.%s of %v: %w", c.Table, c.Value, r.key, db.d.mapErr(err))
			}
		}
		if len(page) < sealedPage {
			return nil
		}
	}
}

// AddSetting stores a new setting; an existing key is ErrConflict.
func (db *DB) AddSetting(ctx context.Context, key, value string) error {
	_, err := db.write().ExecContext(ctx, db.q(`INSERT INTO settings (key, value) VALUES (?, ?)`), key, value)
	if err != nil {
		return fmt.Errorf("add setting %q: %w", key, db.d.mapErr(err))
	}
	return nil
}
