package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/pendopo/pendopo"
)

// nextSeq takes the next catalog change number. The counter row stays
// locked until the transaction ends, so sequence order is commit order and
// a reader of Changes never skips a change that commits late.
func (db *DB) nextSeq(ctx context.Context) (int64, error) {
	var n int64
	err := db.write().QueryRowContext(ctx, `UPDATE counters SET value = value + 1 WHERE name = 'catalog' RETURNING value`).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("next change number: %w", err)
	}
	return n, nil
}

// touchServices gives the services matching where one new change number,
// so that search indexes reload them (after a region or agency rename).
func (db *DB) touchServices(ctx context.Context, where string, args ...any) error {
	seq, err := db.nextSeq(ctx)
	if err != nil {
		return err
	}
	_, err = db.write().ExecContext(ctx, db.q("UPDATE services SET seq = ? WHERE "+where), append([]any{seq}, args...)...)
	if err != nil {
		return fmt.Errorf("mark services changed: %w", err)
	}
	return nil
}

func joinCodes[T ~string](l []T) string {
	if len(l) == 0 {
		return "|"
	}
	var b strings.Builder
	b.WriteByte('|')
	for _, s := range l {
		b.WriteString(string(s))
		b.WriteByte('|')
	}
	return b.String()
}

func splitCodes[T ~string](s string) []T {
	var out []T
	for _, p := range strings.Split(strings.Trim(s, "|"), "|") {
		if p != "" {
			out = append(out, T(p))
		}
	}
	return out
}

// checkRefs verifies that the content's kind, agency and points exist in
// region and returns the agency id.
func (db *DB) checkRefs(ctx context.Context, region string, c pendopo.ServiceContent) (int64, error) {
	var probs pendopo.Problems
	var one int
	err := db.read().QueryRowContext(ctx, db.q("SELECT 1 FROM service_kinds WHERE code = ?"), c.Kind).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		probs.Add("kind", pendopo.M("store.service_kind_not_national_list", quoted(c.Kind)))
	} else if err != nil {
		return 0, err
	}
	var agencyID int64
	err = db.read().QueryRowContext(ctx, db.q("SELECT id FROM agencies WHERE region_code = ? AND slug = ?"), region, c.AgencySlug).Scan(&agencyID)
	if errors.Is(err, sql.ErrNoRows) {
		probs.Add("agency", pendopo.M("store.agency_does_not_exist_this", quoted(c.AgencySlug)))
	} else if err != nil {
		return 0, err
	}
	if len(c.Points) > 0 {
		points, err := db.ServicePoints(ctx, region)
		if err != nil {
			return 0, err
		}
		known := make(map[string]bool, len(points))
		for _, p := range points {
			known[p.Slug] = true
		}
		for i, s := range c.Points {
			if !known[s] {
				probs.Add(fmt.Sprintf("points[%d]", i), pendopo.M("store.service_point_does_not_exist", quoted(s)))
			}
		}
	}
	return agencyID, probs.Err()
}

func quoted(s string) string { return "\"" + s + "\"" }

// writeColumns stores content in the denormalised columns of a service.
func (db *DB) writeColumns(ctx context.Context, id, agencyID int64, c pendopo.ServiceContent, extra string, args ...any) error {
	body, err := json.Marshal(c)
	if err != nil {
		return err
	}
	s := c.Standard
	_, err = db.write().ExecContext(ctx, db.q(`UPDATE services SET slug = ?, agency_id = ?, kind = ?, name = ?, summary = ?,
		category = ?, life_events = ?, channels = ?, duration_days = ?, fee_type = ?, fee_amount = ?,
		requirements_count = ?, content = ?`+extra+` WHERE id = ?`),
		append(append([]any{c.Slug, agencyID, c.Kind, c.Name, c.Summary, c.Category, joinCodes(c.LifeEvents), joinCodes(c.Channels),
			s.Duration.Days(), s.Fee.Type, s.Fee.Amount, len(s.Requirements), string(body)}, args...), id)...)
	return db.d.mapErr(err)
}

// CreateService stores version 1 of a new service.
func (db *DB) CreateService(ctx context.Context, region string, c pendopo.ServiceContent, ch pendopo.Change, publish bool) (pendopo.Service, error) {
	var out pendopo.Service
	err := db.inTx(ctx, func(db *DB) error {
		agencyID, err := db.checkRefs(ctx, region, c)
		if err != nil {
			return err
		}
		seq, err := db.nextSeq(ctx)
		if err != nil {
			return err
		}
		version := 0
		var published sql.NullTime
		if publish {
			version = 1
			published = sql.NullTime{Time: ch.At.UTC(), Valid: true}
		}
		at := ch.At.UTC()
		var id int64
		// The content columns are filled by writeColumns below.
		err = db.write().QueryRowContext(ctx, db.q(`INSERT INTO services (region_code, slug, agency_id, kind, name, summary,
			category, life_events, channels, duration_days, fee_type, fee_amount, requirements_count, content,
			version, latest_version, seq, created_at, updated_at, reviewed_at)
			VALUES (?, ?, ?, ?, '', '', '', '', '', 0, '', 0, 0, '', ?, 1, ?, ?, ?, ?) RETURNING id`),
			region, c.Slug, agencyID, c.Kind, version, seq, at, at, at).Scan(&id)
		if err != nil {
			return db.d.mapErr(err)
		}
		if err := db.writeColumns(ctx, id, agencyID, c, ""); err != nil {
			return err
		}
		if err := db.insertVersion(ctx, id, 1, c, ch, published); err != nil {
			return err
		}
		out, err = db.Service(ctx, id)
		return err
	})
	if err != nil {
		return out, fmt.Errorf("create service %s/%s: %w", region, c.Slug, err)
	}
	return out, nil
}

func (db *DB) insertVersion(ctx context.Context, id int64, n int, c pendopo.ServiceContent, ch pendopo.Change, published sql.NullTime) error {
	body, err := json.Marshal(c)
	if err != nil {
		return err
	}
	_, err = db.write().ExecContext(ctx, db.q(`INSERT INTO service_versions (service_id, number, content, author, note, created_at, published_at)
		VALUES (?, ?, ?, ?, ?, ?, ?)`), id, n, string(body), ch.Author, ch.Note, ch.At.UTC(), published)
	return db.d.mapErr(err)
}

// UpdateService stores content as a new version of service id.
func (db *DB) UpdateService(ctx context.Context, id int64, c pendopo.ServiceContent, ch pendopo.Change, publish bool, baseVersion int) (pendopo.Service, error) {
	var out pendopo.Service
	err := db.inTx(ctx, func(db *DB) error {
		cur, err := db.Service(ctx, id)
		if err != nil {
			return err
		}
		if baseVersion != 0 && baseVersion != cur.LatestVersion {
			return &pendopo.Error{Kind: pendopo.KindConflict, Msg: pendopo.M("store.someone_else_changed_this_service", cur.LatestVersion, baseVersion)}
		}
		agencyID, err := db.checkRefs(ctx, cur.RegionCode, c)
		if err != nil {
			return err
		}
		n := cur.LatestVersion + 1
		var published sql.NullTime
		if publish {
			published = sql.NullTime{Time: ch.At.UTC(), Valid: true}
		}
		if err := db.insertVersion(ctx, id, n, c, ch, published); err != nil {
			return err
		}
		switch {
		case publish:
			seq, err := db.nextSeq(ctx)
			if err != nil {
				return err
			}
			at := ch.At.UTC()
			err = db.writeColumns(ctx, id, agencyID, c, ", version = ?, latest_version = ?, seq = ?, updated_at = ?, reviewed_at = ?", n, n, seq, at, at)
			if err != nil {
				return err
			}
		case cur.Version == 0:
			// Never published: the row shows the latest draft.
			if err := db.writeColumns(ctx, id, agencyID, c, ", latest_version = ?", n); err != nil {
				return err
			}
		default:
			if _, err := db.write().ExecContext(ctx, db.q("UPDATE services SET latest_version = ?, slug = ? WHERE id = ?"), n, c.Slug, id); err != nil {
				return db.d.mapErr(err)
			}
		}
		out, err = db.Service(ctx, id)
		return err
	})
	if err != nil {
		return out, fmt.Errorf("update service %d: %w", id, err)
	}
	return out, nil
}

// PublishService makes version n public.
func (db *DB) PublishService(ctx context.Context, id int64, n int, ch pendopo.Change) (pendopo.Service, error) {
	var out pendopo.Service
	err := db.inTx(ctx, func(db *DB) error {
		cur, err := db.Service(ctx, id)
		if err != nil {
			return err
		}
		v, err := db.Version(ctx, id, n)
		if err != nil {
			return err
		}
		agencyID, err := db.checkRefs(ctx, cur.RegionCode, v.Content)
		if err != nil {
			return err
		}
		seq, err := db.nextSeq(ctx)
		if err != nil {
			return err
		}
		at := ch.At.UTC()
		if err := db.writeColumns(ctx, id, agencyID, v.Content, ", version = ?, seq = ?, updated_at = ?, reviewed_at = ?", n, seq, at, at); err != nil {
			return err
		}
		if _, err := db.write().ExecContext(ctx, db.q(`UPDATE service_versions SET published_at = ? WHERE service_id = ? AND number = ? AND published_at IS NULL`), at, id, n); err != nil {
			return err
		}
		out, err = db.Service(ctx, id)
		return err
	})
	if err != nil {
		return out, fmt.Errorf("publish service %d version %d: %w", id, n, err)
	}
	return out, nil
}

// MarkReviewed records that the published standard of id is still right.
func (db *DB) MarkReviewed(ctx context.Context, id int64, ch pendopo.Change) (pendopo.Service, error) {
	var out pendopo.Service
	err := db.inTx(ctx, func(db *DB) error {
		cur, err := db.Service(ctx, id)
		if err != nil {
			return err
		}
		if !cur.Published() {
			return pendopo.Errorf(pendopo.KindInvalid, pendopo.M("store.the_service_was_never_published"))
		}
		if _, err := db.write().ExecContext(ctx, db.q("UPDATE services SET reviewed_at = ? WHERE id = ?"), ch.At.UTC(), id); err != nil {
			return err
		}
		out, err = db.Service(ctx, id)
		return err
	})
	if err != nil {
		return out, fmt.Errorf("mark service %d reviewed: %w", id, err)
	}
	return out, nil
}

const serviceCols = `s.id, s.region_code, s.content, s.version, s.latest_version, s.created_at, s.updated_at, s.reviewed_at`

func scanService(row scanner) (pendopo.Service, error) {
	var (
		s    pendopo.Service
		body string
	)
	if err := row.Scan(&s.ID, &s.RegionCode, &body, &s.Version, &s.LatestVersion, &s.CreatedAt, &s.UpdatedAt, &s.ReviewedAt); err != nil {
		return s, err
	}
	s.CreatedAt, s.UpdatedAt, s.ReviewedAt = s.CreatedAt.UTC(), s.UpdatedAt.UTC(), s.ReviewedAt.UTC()
	if err := json.Unmarshal([]byte(body), &s.ServiceContent); err != nil {
		return s, fmt.Errorf("decode content: %w", err)
	}
	return s, nil
}

// Service returns one service.
func (db *DB) Service(ctx context.Context, id int64) (pendopo.Service, error) {
	s, err := scanService(db.read().QueryRowContext(ctx, db.q(`SELECT `+serviceCols+` FROM services s WHERE s.id = ?`), id))
	if errors.Is(err, sql.ErrNoRows) {
		return s, fmt.Errorf("service %d: %w", id, pendopo.ErrNotFound)
	}
	if err != nil {
		return s, fmt.Errorf("service %d: %w", id, err)
	}
	return s, nil
}

// ServiceBySlug returns one service of a region by slug.
func (db *DB) ServiceBySlug(ctx context.Context, region, slug string) (pendopo.Service, error) {
	s, err := scanService(db.read().QueryRowContext(ctx, db.q(`SELECT `+serviceCols+` FROM services s WHERE s.region_code = ? AND s.slug = ?`), region, slug))
	if errors.Is(err, sql.ErrNoRows) {
		return s, fmt.Errorf("service %s/%s: %w", region, slug, pendopo.ErrNotFound)
	}
	if err != nil {
		return s, fmt.Errorf("service %s/%s: %w", region, slug, err)
	}
	return s, nil
}

// RegionServices returns all services of a region, ordered by slug.
func (db *DB) RegionServices(ctx context.Context, region string) ([]pendopo.Service, error) {
	out, err := all(ctx, db.read(), scanService, db.q(`SELECT `+serviceCols+` FROM services s WHERE s.region_code = ? ORDER BY s.slug`), region)
	if err != nil {
		return nil, fmt.Errorf("services of %s: %w", region, err)
	}
	return out, nil
}

// Services lists service summaries matching f.
func (db *DB) Services(ctx context.Context, f pendopo.ServiceFilter) ([]pendopo.ServiceSummary, int, error) {
	var (
		where []string
		args  []any
	)
	if !f.Drafts {
		where = append(where, "s.version > 0")
	}
	if f.Region != "" {
		where = append(where, "s.region_code = ?")
		args = append(args, f.Region)
	}
	if f.Agency != "" {
		where = append(where, "a.slug = ?")
		args = append(args, f.Agency)
	}
	if f.Category != "" {
		where = append(where, "s.category = ?")
		args = append(args, f.Category)
	}
	if f.LifeEvent != "" {
		where = append(where, "s.life_events LIKE ?")
		args = append(args, "%|"+f.LifeEvent+"|%")
	}
	if f.Kind != "" {
		where = append(where, "s.kind = ?")
		args = append(args, f.Kind)
	}
	dir := " ASC"
	if f.Desc {
		dir = " DESC"
	}
	name := db.d.textOrder("s.name")
	var order string
	switch f.Sort {
	case pendopo.SortRegion:
		order = db.d.textOrder("r.name") + dir + ", s.region_code, " + name
	case pendopo.SortDuration:
		order = "s.duration_days" + dir + ", " + name
	case pendopo.SortFee:
		// Free first, then fixed amounts, then variable fees.
		order = "CASE s.fee_type WHEN 'free' THEN 0 WHEN 'fixed' THEN 1 ELSE 2 END" + dir + ", s.fee_amount" + dir + ", " + name
	case pendopo.SortRequirements:
		order = "s.requirements_count" + dir + ", " + name
	case pendopo.SortUpdated:
		order = "s.updated_at" + dir + ", " + name
	default:
		order = name + dir
	}
	p := f.Page.Normalize()
	q := `SELECT s.id, s.region_code, r.name, s.slug, s.kind, s.name, s.summary, a.slug, a.name, s.category, s.life_events,
		s.channels, s.seq, s.latest_version, s.version, s.updated_at, s.reviewed_at, count(*) OVER ()
		FROM services s JOIN regions r ON r.code = s.region_code JOIN agencies a ON a.id = s.agency_id` + whereSQL(where) +
		` ORDER BY ` + order + `, s.id LIMIT ? OFFSET ?`
	rows, err := db.read().QueryContext(ctx, db.q(q), append(args, p.PerPage, p.Offset())...)
	if err != nil {
		return nil, 0, fmt.Errorf("list services: %w", err)
	}
	defer rows.Close()
	var (
		out   []pendopo.ServiceSummary
		seqs  [][2]int64
		total int
	)
	for rows.Next() {
		var (
			s                pendopo.ServiceSummary
			events, channels string
			seq              [2]int64
		)
		if err := rows.Scan(&s.ID, &s.RegionCode, &s.RegionName, &s.Slug, &s.Kind, &s.Name, &s.Summary, &s.AgencySlug, &s.AgencyName,
			&s.Category, &events, &channels, &seq[0], &seq[1], &s.Version, &s.UpdatedAt, &s.ReviewedAt, &total); err != nil {
			return nil, 0, fmt.Errorf("list services: %w", err)
		}
		s.LifeEvents = splitCodes[string](events)
		s.Channels = splitCodes[pendopo.Channel](channels)
		s.UpdatedAt, s.ReviewedAt = s.UpdatedAt.UTC(), s.ReviewedAt.UTC()
		out = append(out, s)
		seqs = append(seqs, seq)
	}
	if err := rows.Err(); err != nil {
		return nil, 0, fmt.Errorf("list services: %w", err)
	}
	rows.Close()
	if err := db.standardsOf(ctx, out, seqs); err != nil {
		return nil, 0, err
	}
	if len(out) == 0 && p.Page > 1 {
		total, err = db.count(ctx, `SELECT count(*) FROM services s JOIN agencies a ON a.id = s.agency_id`+whereSQL(where), args...)
	}
	return out, total, err
}

// listedStandard is what a service list shows of a service's standard.
type listedStandard struct {
	seq          [2]int64 // the service's seq and latest version
	duration     pendopo.Duration
	fee          pendopo.Fee
	requirements int
}

// standardCache keeps listedStandard by service id. An entry is right
// while the service's seq and latest version are those it was read at:
// publishing takes a new seq (Changes depends on it), and a draft of a
// service never published, which the row shows, a new latest version.
type standardCache struct {
	mu sync.Mutex
	m  map[int64]listedStandard
}

// maxStandards bounds the cache: the national catalog (51,400 services)
// fits, at some 150 bytes each.
const maxStandards = 200_000

func newStandardCache() *standardCache { return &standardCache{m: make(map[int64]listedStandard)} }

// standardsOf fills in the duration, fee and number of requirements of
// listed services, read at seqs, from the cache or, for those it lacks,
// from their content in one query. Decoding each content on every list
// was most of the cost of a list. Only reads outside a transaction fill
// the cache: a transaction that rolls back could give its seq to other
// content later.
func (db *DB) standardsOf(ctx context.Context, out []pendopo.ServiceSummary, seqs [][2]int64) error {
	var missing []any
	if c := db.standards; c != nil {
		c.mu.Lock()
		for i := range out {
			if e, ok := c.m[out[i].ID]; ok && e.seq == seqs[i] {
				out[i].Duration, out[i].Fee, out[i].Requirements = e.duration, e.fee, e.requirements
			} else {
				missing = append(missing, out[i].ID)
			}
		}
		c.mu.Unlock()
	} else {
		for i := range out {
			missing = append(missing, out[i].ID)
		}
	}
	if len(missing) == 0 {
		return nil
	}
	rows, err := db.read().QueryContext(ctx, db.q(`SELECT id, seq, latest_version, content FROM services WHERE id IN (`+placeholders(len(missing))+`)`), missing...)
	if err != nil {
		return fmt.Errorf("list services: %w", err)
	}
	defer rows.Close()
	read := make(map[int64]listedStandard, len(missing))
	for rows.Next() {
		var (
			id   int64
			body []byte
			e    listedStandard
		)
		if err := rows.Scan(&id, &e.seq[0], &e.seq[1], &body); err != nil {
			return fmt.Errorf("list services: %w", err)
		}
		var c struct {
			Standard struct {
				Requirements []string         `json:"requirements"`
				Duration     pendopo.Duration `json:"duration"`
				Fee          pendopo.Fee      `json:"fee"`
			} `json:"standard"`
		}
		if err := json.Unmarshal(body, &c); err != nil {
			return fmt.Errorf("list services: decode %d: %w", id, err)
		}
		e.duration, e.fee, e.requirements = c.Standard.Duration, c.Standard.Fee, len(c.Standard.Requirements)
		read[id] = e
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("list services: %w", err)
	}
	for i := range out {
		if e, ok := read[out[i].ID]; ok {
			out[i].Duration, out[i].Fee, out[i].Requirements = e.duration, e.fee, e.requirements
		}
	}
	if c := db.standards; c != nil && db.tx == nil {
		c.mu.Lock()
		if len(c.m)+len(read) > maxStandards {
			clear(c.m)
		}
		for id, e := range read {
			c.m[id] = e
		}
		c.mu.Unlock()
	}
	return nil
}

// Versions lists the versions of service id, newest first.
func (db *DB) Versions(ctx context.Context, id int64) ([]pendopo.Version, error) {
	if _, err := db.Service(ctx, id); err != nil {
		return nil, err
	}
	rows, err := db.read().QueryContext(ctx, db.q(`SELECT number, author, note, created_at, published_at IS NOT NULL, submitted_at, submitted_by
		FROM service_versions WHERE service_id = ? ORDER BY number DESC`), id)
	if err != nil {
		return nil, fmt.Errorf("versions of service %d: %w", id, err)
	}
	defer rows.Close()
	var out []pendopo.Version
	for rows.Next() {
		v := pendopo.Version{ServiceID: id}
		var sub sql.NullTime
		if err := rows.Scan(&v.Number, &v.Author, &v.Note, &v.CreatedAt, &v.Published, &sub, &v.SubmittedBy); err != nil {
			return nil, fmt.Errorf("versions of service %d: %w", id, err)
		}
		v.CreatedAt = v.CreatedAt.UTC()
		if sub.Valid {
			v.SubmittedAt = sub.Time.UTC()
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

// SubmitVersion puts a draft version forward for review.
func (db *DB) SubmitVersion(ctx context.Context, id int64, n int, by string, at time.Time) error {
	res, err := db.write().ExecContext(ctx, db.q(`UPDATE service_versions SET submitted_at = ?, submitted_by = ?
		WHERE service_id = ? AND number = ? AND published_at IS NULL`), at.UTC(), by, id, n)
	if err != nil {
		return fmt.Errorf("submit service %d version %d: %w", id, n, err)
	}
	if k, _ := res.RowsAffected(); k == 0 {
		if _, err := db.Version(ctx, id, n); err != nil {
			return err
		}
		return fmt.Errorf("submit service %d version %d: already published: %w", id, n, pendopo.ErrConflict)
	}
	return nil
}

// ReturnVersion takes a version out of review.
func (db *DB) ReturnVersion(ctx context.Context, id int64, n int) error {
	res, err := db.write().ExecContext(ctx, db.q(`UPDATE service_versions SET submitted_at = NULL, submitted_by = ''
		WHERE service_id = ? AND number = ? AND submitted_at IS NOT NULL`), id, n)
	if err != nil {
		return fmt.Errorf("return service %d version %d: %w", id, n, err)
	}
	if k, _ := res.RowsAffected(); k == 0 {
		return fmt.Errorf("return service %d version %d: not submitted: %w", id, n, pendopo.ErrNotFound)
	}
	return nil
}

// PendingVersions lists the submitted versions waiting for a publisher in
// region and, for a province, its kabupaten/kota: pendopo.Covers in SQL,
// for a region that is not empty.
func (db *DB) PendingVersions(ctx context.Context, region string) ([]pendopo.PendingVersion, error) {
	rows, err := db.read().QueryContext(ctx, db.q(`SELECT v.service_id, v.number, v.author, v.note, v.created_at, v.submitted_at, v.submitted_by,
			s.region_code, a.slug, s.name, s.version
		FROM service_versions v JOIN services s ON s.id = v.service_id JOIN agencies a ON a.id = s.agency_id
		WHERE v.submitted_at IS NOT NULL AND v.number > s.version AND (s.region_code = ? OR s.region_code LIKE ?)
		ORDER BY v.submitted_at, v.service_id`), region, region+".%")
	if err != nil {
		return nil, fmt.Errorf("pending versions of %s: %w", region, err)
	}
	defer rows.Close()
	var out []pendopo.PendingVersion
	for rows.Next() {
		var p pendopo.PendingVersion
		if err := rows.Scan(&p.ServiceID, &p.Number, &p.Author, &p.Note, &p.CreatedAt, &p.SubmittedAt, &p.SubmittedBy,
			&p.Region, &p.Agency, &p.Name, &p.PublishedVersion); err != nil {
			return nil, fmt.Errorf("pending versions of %s: %w", region, err)
		}
		p.CreatedAt, p.SubmittedAt = p.CreatedAt.UTC(), p.SubmittedAt.UTC()
		out = append(out, p)
	}
	return out, rows.Err()
}

// Version returns version n of service id with its content.
func (db *DB) Version(ctx context.Context, id int64, n int) (pendopo.Version, error) {
	v := pendopo.Version{ServiceID: id, Number: n}
	var body string
	var sub sql.NullTime
	err := db.read().QueryRowContext(ctx, db.q(`SELECT author, note, created_at, published_at IS NOT NULL, content, submitted_at, submitted_by
		FROM service_versions WHERE service_id = ? AND number = ?`), id, n).Scan(&v.Author, &v.Note, &v.CreatedAt, &v.Published, &body, &sub, &v.SubmittedBy)
	if errors.Is(err, sql.ErrNoRows) {
		return v, fmt.Errorf("service %d version %d: %w", id, n, pendopo.ErrNotFound)
	}
	if err != nil {
		return v, fmt.Errorf("service %d version %d: %w", id, n, err)
	}
	v.CreatedAt = v.CreatedAt.UTC()
	if sub.Valid {
		v.SubmittedAt = sub.Time.UTC()
	}
	if err := json.Unmarshal([]byte(body), &v.Content); err != nil {
		return v, fmt.Errorf("service %d version %d: decode: %w", id, n, err)
	}
	return v, nil
}

// ServiceKinds lists the national service kinds by code.
func (db *DB) ServiceKinds(ctx context.Context) ([]pendopo.ServiceKind, error) {
	rows, err := db.read().QueryContext(ctx, `SELECT code, name_id, name_en, category, weight FROM service_kinds ORDER BY code`)
	if err != nil {
		return nil, fmt.Errorf("list service kinds: %w", err)
	}
	defer rows.Close()
	var out []pendopo.ServiceKind
	for rows.Next() {
		var k pendopo.ServiceKind
		if err := rows.Scan(&k.Code, &k.Name.Indonesian, &k.Name.English, &k.Category, &k.Weight); err != nil {
			return nil, fmt.Errorf("list service kinds: %w", err)
		}
		out = append(out, k)
	}
	return out, rows.Err()
}

// SeedServiceKinds inserts or updates the national kinds.
func (db *DB) SeedServiceKinds(ctx context.Context, kinds []pendopo.ServiceKind) error {
	return db.inTx(ctx, func(db *DB) error {
		stmt := db.q(`INSERT INTO service_kinds (code, name_id, name_en, category, weight) VALUES (?, ?, ?, ?, ?)
			ON CONFLICT (code) DO UPDATE SET name_id = excluded.name_id, name_en = excluded.name_en,
				category = excluded.category, weight = excluded.weight`)
		for _, k := range kinds {
			if _, err := db.write().ExecContext(ctx, stmt, k.Code, k.Name.Indonesian, k.Name.English, k.Category, k.Weight); err != nil {
				return fmt.Errorf("seed service kind %s: %w", k.Code, err)
			}
		}
		return nil
	})
}

// Changes returns services whose public content changed after sequence
// number after. A batch never splits services that share a number.
func (db *DB) Changes(ctx context.Context, after int64, limit int) ([]pendopo.ServiceDoc, error) {
	rows, err := db.read().QueryContext(ctx, db.q(`SELECT s.seq, s.id, s.region_code, r.name, a.slug, a.name, a.short_name, s.version, s.updated_at, s.reviewed_at, s.content
		FROM services s JOIN regions r ON r.code = s.region_code JOIN agencies a ON a.id = s.agency_id
		WHERE s.seq > ? AND s.seq <= (SELECT max(seq) FROM (SELECT seq FROM services WHERE seq > ? ORDER BY seq LIMIT ?) AS b)
		ORDER BY s.seq, s.id`), after, after, limit)
	if err != nil {
		return nil, fmt.Errorf("catalog changes after %d: %w", after, err)
	}
	defer rows.Close()
	var out []pendopo.ServiceDoc
	for rows.Next() {
		var (
			d    pendopo.ServiceDoc
			body []byte
		)
		if err := rows.Scan(&d.Seq, &d.ID, &d.RegionCode, &d.RegionName, &d.AgencySlug, &d.AgencyName, &d.AgencyShort, &d.Version, &d.UpdatedAt, &d.ReviewedAt, &body); err != nil {
			return nil, fmt.Errorf("catalog changes after %d: %w", after, err)
		}
		d.Published = d.Version > 0
		d.UpdatedAt, d.ReviewedAt = d.UpdatedAt.UTC(), d.ReviewedAt.UTC()
		if err := json.Unmarshal(body, &d.Content); err != nil {
			return nil, fmt.Errorf("catalog changes: decode service %d: %w", d.ID, err)
		}
		out = append(out, d)
	}
	return out, rows.Err()
}
