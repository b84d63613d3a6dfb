package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/pendopo/pendopo"
)

// CreateUser stores a new user.
func (db *DB) CreateUser(ctx context.Context, u pendopo.User, hash string, at time.Time) (pendopo.User, error) {
	var confirmed sql.NullTime
	if !u.ConfirmedAt.IsZero() {
		confirmed = sql.NullTime{Time: u.ConfirmedAt.UTC(), Valid: true}
	}
	err := db.write().QueryRowContext(ctx, db.q(`INSERT INTO users (name, email, phone, password_hash, confirmed_at, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id`),
		u.Name, nullString(u.Email), nullString(u.Phone), hash, confirmed, at.UTC(), at.UTC()).Scan(&u.ID)
	if err != nil {
		return u, fmt.Errorf("create user: %w", db.d.mapErr(err))
	}
	u.CreatedAt = at.UTC()
	return u, nil
}

// User returns a live user with roles.
func (db *DB) User(ctx context.Context, id int64) (pendopo.User, error) {
	var (
		u            pendopo.User
		email, phone sql.NullString
		confirmed    sql.NullTime
	)
	err := db.read().QueryRowContext(ctx, db.q(`SELECT id, name, email, phone, confirmed_at, created_at FROM users
		WHERE id = ? AND deleted_at IS NULL`), id).Scan(&u.ID, &u.Name, &email, &phone, &confirmed, &u.CreatedAt)
	if errors.Is(err, sql.ErrNoRows) {
		return u, fmt.Errorf("user %d: %w", id, pendopo.ErrNotFound)
	}
	if err != nil {
		return u, fmt.Errorf("user %d: %w", id, err)
	}
	u.Email, u.Phone = email.String, phone.String
	u.CreatedAt = u.CreatedAt.UTC()
	if confirmed.Valid {
		u.ConfirmedAt = confirmed.Time.UTC()
	}
	roles, err := db.roles(ctx, []int64{id})
	if err != nil {
		return u, err
	}
	u.Roles = roles[id]
	return u, nil
}

// roles loads the roles of several users in one query.
func (db *DB) roles(ctx context.Context, ids []int64) (map[int64][]pendopo.Role, error) {
	out := map[int64][]pendopo.Role{}
	if len(ids) == 0 {
		return out, nil
	}
	args := make([]any, len(ids))
	for i, id := range ids {
		args[i] = id
	}
	rows, err := db.read().QueryContext(ctx, db.q(`SELECT user_id, kind, region, agency FROM user_roles
		WHERE user_id IN (?`+strings.Repeat(", ?", len(ids)-1)+`) ORDER BY user_id, kind, region, agency`), args...)
	if err != nil {
		return nil, fmt.Errorf("roles: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var (
			id int64
			r  pendopo.Role
		)
		if err := rows.Scan(&id, &r.Kind, &r.Region, &r.Agency); err != nil {
			return nil, fmt.Errorf("roles: %w", err)
		}
		out[id] = append(out[id], r)
	}
	return out, rows.Err()
}

// Credentials finds sign-in data by email or phone.
func (db *DB) Credentials(ctx context.Context, email, phone string) (pendopo.Credentials, error) {
	var c pendopo.Credentials
	col, v := "email", email
	if email == "" {
		col, v = "phone", phone
	}
	if v == "" {
		return c, fmt.Errorf("credentials: %w", pendopo.ErrNotFound)
	}
	err := db.read().QueryRowContext(ctx, db.q(`SELECT id, password_hash FROM users WHERE `+col+` = ? AND deleted_at IS NULL`), v).
		Scan(&c.UserID, &c.PasswordHash)
	if errors.Is(err, sql.ErrNoRows) {
		return c, fmt.Errorf("credentials: %w", pendopo.ErrNotFound)
	}
	if err != nil {
		return c, fmt.Errorf("credentials: %w", err)
	}
	return c, nil
}

func (db *DB) updateUser(ctx context.Context, id int64, set string, args ...any) error {
	res, err := db.write().ExecContext(ctx, db.q(`UPDATE users SET `+set+` WHERE id = ? AND deleted_at IS NULL`), append(args, id)...)
	if err != nil {
		return fmt.Errorf("update user %d: %w", id, db.d.mapErr(err))
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("update user %d: %w", id, pendopo.ErrNotFound)
	}
	return nil
}

// UpdateUserName changes a user's name.
func (db *DB) UpdateUserName(ctx context.Context, id int64, name string, at time.Time) error {
	return db.updateUser(ctx, id, "name = ?, updated_at = ?", name, at.UTC())
}

// UserNIK returns the encrypted NIK.
func (db *DB) UserNIK(ctx context.Context, id int64) ([]byte, error) {
	var enc []byte
	err := db.read().QueryRowContext(ctx, db.q(`SELECT nik_enc FROM users WHERE id = ? AND deleted_at IS NULL`), id).Scan(&enc)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("nik of user %d: %w", id, pendopo.ErrNotFound)
	}
	return enc, err
}

// SetUserNIK stores or removes an encrypted NIK.
func (db *DB) SetUserNIK(ctx context.Context, id int64, enc []byte, at time.Time) error {
	return db.updateUser(ctx, id, "nik_enc = ?, updated_at = ?", enc, at.UTC())
}

// SetPassword changes the password hash.
func (db *DB) SetPassword(ctx context.Context, id int64, hash string, at time.Time) error {
	return db.updateUser(ctx, id, "password_hash = ?, updated_at = ?", hash, at.UTC())
}

// ConfirmUser marks the contact confirmed.
func (db *DB) ConfirmUser(ctx context.Context, id int64, at time.Time) error {
	return db.updateUser(ctx, id, "confirmed_at = coalesce(confirmed_at, ?), updated_at = ?", at.UTC(), at.UTC())
}

// EraseUser removes personal data, everything that signs the user in, and
// the notices and messages addressed to them.
func (db *DB) EraseUser(ctx context.Context, id int64, at time.Time) error {
	return db.inTx(ctx, func(db *DB) error {
		var email, phone sql.NullString
		err := db.write().QueryRowContext(ctx, db.q(`SELECT email, phone FROM users WHERE id = ? AND deleted_at IS NULL`), id).Scan(&email, &phone)
		if errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("erase user %d: %w", id, pendopo.ErrNotFound)
		}
		if err != nil {
			return fmt.Errorf("erase user %d: %w", id, err)
		}
		if err := db.updateUser(ctx, id, `name = '', email = NULL, phone = NULL, password_hash = '', nik_enc = NULL,
			confirmed_at = NULL, deleted_at = ?, updated_at = ?`, at.UTC(), at.UTC()); err != nil {
			return err
		}
		if err := db.exec(ctx, fmt.Sprintf("erase user %d", id), []string{
			"DELETE FROM user_roles WHERE user_id = ?", "DELETE FROM sessions WHERE user_id = ?",
			"DELETE FROM auth_codes WHERE user_id = ?", "DELETE FROM user_identities WHERE user_id = ?",
			"DELETE FROM notifications WHERE user_id = ?", "DELETE FROM outbox WHERE user_id = ?",
			"UPDATE invitations SET email = '', name = '' WHERE accepted_by = ?",
		}, id); err != nil {
			return err
		}
		// What is keyed by the contact rather than the account: failed
		// sign-ins counted against it, invitations sent to it.
		for _, c := range []sql.NullString{email, phone} {
			if c.String == "" {
				continue
			}
			// The account's own key and its (account, address) pairs,
			// "acct:CONTACT|ip:…", matched by prefix without LIKE, whose
			// wildcards an address such as a_b@x.id would carry.
			acct := "acct:" + c.String
			pair := acct + "|"
			if _, err := db.write().ExecContext(ctx, db.q(`DELETE FROM login_failures WHERE key = ? OR substr(key, 1, ?) = ?`),
				acct, utf8.RuneCountInString(pair), pair); err != nil {
				return fmt.Errorf("erase user %d: sign-in attempts: %w", id, err)
			}
			if err := db.exec(ctx, fmt.Sprintf("erase user %d", id), []string{
				"UPDATE invitations SET email = '', name = '' WHERE email = ?",
			}, c.String); err != nil {
				return err
			}
		}
		return nil
	})
}

// Users lists users with roles matching f, by name.
func (db *DB) Users(ctx context.Context, f pendopo.UserFilter) ([]pendopo.User, error) {
	q := `SELECT DISTINCT u.id, u.name, u.email, u.phone, u.confirmed_at, u.created_at FROM users u
		JOIN user_roles r ON r.user_id = u.id WHERE u.deleted_at IS NULL`
	var args []any
	if f.Region != "" {
		// pendopo.Covers in SQL; storetest's RegionScope checks they agree.
		q += ` AND (r.region = ? OR r.region LIKE ?)`
		args = append(args, f.Region, f.Region+".%")
	}
	rows, err := db.read().QueryContext(ctx, db.q(q+` ORDER BY u.id`), args...)
	if err != nil {
		return nil, fmt.Errorf("list users: %w", err)
	}
	var (
		out []pendopo.User
		ids []int64
	)
	for rows.Next() {
		var (
			u            pendopo.User
			email, phone sql.NullString
			confirmed    sql.NullTime
		)
		if err := rows.Scan(&u.ID, &u.Name, &email, &phone, &confirmed, &u.CreatedAt); err != nil {
			rows.Close()
			return nil, fmt.Errorf("list users: %w", err)
		}
		u.Email, u.Phone, u.CreatedAt = email.String, phone.String, u.CreatedAt.UTC()
		if confirmed.Valid {
			u.ConfirmedAt = confirmed.Time.UTC()
		}
		out = append(out, u)
		ids = append(ids, u.ID)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	roles, err := db.roles(ctx, ids)
	if err != nil {
		return nil, err
	}
	for i := range out {
		out[i].Roles = roles[out[i].ID]
	}
	return out, nil
}

// GrantRole gives a user a role; granting one they hold is ErrConflict.
func (db *DB) GrantRole(ctx context.Context, userID int64, r pendopo.Role, by string, at time.Time) error {
	_, err := db.write().ExecContext(ctx, db.q(`INSERT INTO user_roles (user_id, kind, region, agency, granted_by, granted_at) VALUES (?, ?, ?, ?, ?, ?)`),
		userID, r.Kind, r.Region, r.Agency, by, at.UTC())
	if err != nil {
		return fmt.Errorf("grant %s to user %d: %w", r.Kind, userID, db.d.mapErr(err))
	}
	return nil
}

// RevokeRole takes a role away.
func (db *DB) RevokeRole(ctx context.Context, userID int64, r pendopo.Role) error {
	res, err := db.write().ExecContext(ctx, db.q(`DELETE FROM user_roles WHERE user_id = ? AND kind = ? AND region = ? AND agency = ?`),
		userID, r.Kind, r.Region, r.Agency)
	if err != nil {
		return fmt.Errorf("revoke %s from user %d: %w", r.Kind, userID, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("revoke %s from user %d: %w", r.Kind, userID, pendopo.ErrNotFound)
	}
	return nil
}

// JoinedRegions lists the regions where a live account holds
// pendopo.JoiningRole, in one query.
func (db *DB) JoinedRegions(ctx context.Context) ([]string, error) {
	rows, err := db.read().QueryContext(ctx, db.q(`SELECT DISTINCT r.region FROM user_roles r JOIN users u ON u.id = r.user_id
		WHERE r.kind = ? AND r.region <> '' AND u.deleted_at IS NULL ORDER BY r.region`), pendopo.JoiningRole)
	if err != nil {
		return nil, fmt.Errorf("joined regions: %w", err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var code string
		if err := rows.Scan(&code); err != nil {
			return nil, fmt.Errorf("joined regions: %w", err)
		}
		out = append(out, code)
	}
	return out, rows.Err()
}

// CreateSession stores a session.
func (db *DB) CreateSession(ctx context.Context, s pendopo.Session) error {
	_, err := db.write().ExecContext(ctx, db.q(`INSERT INTO sessions (hash, user_id, created_at, last_seen_at, expires_at, ip, user_agent)
		VALUES (?, ?, ?, ?, ?, ?, ?)`), s.Hash, s.UserID, s.CreatedAt.UTC(), s.LastSeenAt.UTC(), s.ExpiresAt.UTC(), s.IP, s.UserAgent)
	if err != nil {
		return fmt.Errorf("create session: %w", db.d.mapErr(err))
	}
	return nil
}

const sessionCols = `hash, user_id, created_at, last_seen_at, expires_at, ip, user_agent`

func scanSession(row scanner) (pendopo.Session, error) {
	var s pendopo.Session
	err := row.Scan(&s.Hash, &s.UserID, &s.CreatedAt, &s.LastSeenAt, &s.ExpiresAt, &s.IP, &s.UserAgent)
	s.CreatedAt, s.LastSeenAt, s.ExpiresAt = s.CreatedAt.UTC(), s.LastSeenAt.UTC(), s.ExpiresAt.UTC()
	return s, err
}

// Session returns a live session.
func (db *DB) Session(ctx context.Context, hash string, now time.Time) (pendopo.Session, error) {
	s, err := scanSession(db.read().QueryRowContext(ctx, db.q(`SELECT `+sessionCols+` FROM sessions WHERE hash = ? AND expires_at > ?`), hash, now.UTC()))
	if errors.Is(err, sql.ErrNoRows) {
		return s, fmt.Errorf("session: %w", pendopo.ErrNotFound)
	}
	if err != nil {
		return s, fmt.Errorf("session: %w", err)
	}
	return s, nil
}

// TouchSession extends a session.
func (db *DB) TouchSession(ctx context.Context, hash string, seen, expires time.Time) error {
	_, err := db.write().ExecContext(ctx, db.q(`UPDATE sessions SET last_seen_at = ?, expires_at = ? WHERE hash = ?`), seen.UTC(), expires.UTC(), hash)
	if err != nil {
		return fmt.Errorf("touch session: %w", err)
	}
	return nil
}

// DeleteSession ends one session.
func (db *DB) DeleteSession(ctx context.Context, hash string) error {
	if _, err := db.write().ExecContext(ctx, db.q(`DELETE FROM sessions WHERE hash = ?`), hash); err != nil {
		return fmt.Errorf("delete session: %w", err)
	}
	return nil
}

// DeleteSessions ends a user's sessions but keep.
func (db *DB) DeleteSessions(ctx context.Context, userID int64, keep string) error {
	if _, err := db.write().ExecContext(ctx, db.q(`DELETE FROM sessions WHERE user_id = ? AND hash <> ?`), userID, keep); err != nil {
		return fmt.Errorf("delete sessions of user %d: %w", userID, err)
	}
	return nil
}

// Sessions lists a user's sessions, newest first.
func (db *DB) Sessions(ctx context.Context, userID int64) ([]pendopo.Session, error) {
	out, err := all(ctx, db.read(), scanSession, db.q(`SELECT `+sessionCols+` FROM sessions WHERE user_id = ? ORDER BY created_at DESC`), userID)
	if err != nil {
		return nil, fmt.Errorf("sessions of user %d: %w", userID, err)
	}
	return out, nil
}

// CreateCode stores a one-time code; older codes of the purpose are voided.
func (db *DB) CreateCode(ctx context.Context, c pendopo.AuthCode) error {
	return db.inTx(ctx, func(db *DB) error {
		if _, err := db.write().ExecContext(ctx, db.q(`UPDATE auth_codes SET used_at = ? WHERE user_id = ? AND purpose = ? AND used_at IS NULL`),
			c.CreatedAt.UTC(), c.UserID, c.Purpose); err != nil {
			return err
		}
		_, err := db.write().ExecContext(ctx, db.q(`INSERT INTO auth_codes (user_id, purpose, hash, expires_at, created_at) VALUES (?, ?, ?, ?, ?)`),
			c.UserID, c.Purpose, c.Hash, c.ExpiresAt.UTC(), c.CreatedAt.UTC())
		if err != nil {
			return fmt.Errorf("create code: %w", db.d.mapErr(err))
		}
		return nil
	})
}

// ConsumeCode uses a one-time code.
func (db *DB) ConsumeCode(ctx context.Context, userID int64, purpose, hash string, now time.Time) error {
	// A wrong guess must be counted, so the transaction commits and the
	// error comes after it.
	wrong := false
	err := db.inTx(ctx, func(db *DB) error {
		var (
			id       int64
			want     string
			attempts int
		)
		err := db.write().QueryRowContext(ctx, db.q(`SELECT id, hash, attempts FROM auth_codes
			WHERE user_id = ? AND purpose = ? AND used_at IS NULL AND expires_at > ? ORDER BY id DESC LIMIT 1`), userID, purpose, now.UTC()).
			Scan(&id, &want, &attempts)
		if errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("code: %w", pendopo.ErrNotFound)
		}
		if err != nil {
			return fmt.Errorf("code: %w", err)
		}
		if want != hash {
			attempts++
			q := `UPDATE auth_codes SET attempts = ? WHERE id = ?`
			args := []any{attempts, id}
			if attempts >= pendopo.MaxCodeAttempts {
				q = `UPDATE auth_codes SET attempts = ?, used_at = ? WHERE id = ?`
				args = []any{attempts, now.UTC(), id}
			}
			wrong = true
			_, err := db.write().ExecContext(ctx, db.q(q), args...)
			return err
		}
		_, err = db.write().ExecContext(ctx, db.q(`UPDATE auth_codes SET used_at = ? WHERE id = ?`), now.UTC(), id)
		return err
	})
	if err == nil && wrong {
		err = fmt.Errorf("wrong code: %w", pendopo.ErrNotFound)
	}
	return err
}

// CreateInvitation stores an invitation.
func (db *DB) CreateInvitation(ctx context.Context, inv pendopo.Invitation) (pendopo.Invitation, error) {
	err := db.write().QueryRowContext(ctx, db.q(`INSERT INTO invitations (hash, email, name, kind, region, agency, created_by, created_at, expires_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`),
		inv.Hash, inv.Email, inv.Name, inv.Role.Kind, inv.Role.Region, inv.Role.Agency, inv.CreatedBy, inv.CreatedAt.UTC(), inv.ExpiresAt.UTC()).Scan(&inv.ID)
	if err != nil {
		return inv, fmt.Errorf("create invitation: %w", db.d.mapErr(err))
	}
	return inv, nil
}

const invitationCols = `id, hash, email, name, kind, region, agency, created_by, created_at, expires_at, accepted_at, accepted_by`

func scanInvitation(row scanner) (pendopo.Invitation, error) {
	var (
		inv pendopo.Invitation
		at  sql.NullTime
		by  sql.NullInt64
	)
	err := row.Scan(&inv.ID, &inv.Hash, &inv.Email, &inv.Name, &inv.Role.Kind, &inv.Role.Region, &inv.Role.Agency, &inv.CreatedBy, &inv.CreatedAt, &inv.ExpiresAt, &at, &by)
	inv.CreatedAt, inv.ExpiresAt = inv.CreatedAt.UTC(), inv.ExpiresAt.UTC()
	if at.Valid {
		inv.AcceptedAt = at.Time.UTC()
	}
	inv.AcceptedBy = by.Int64
	return inv, err
}

// InvitationByHash finds an invitation by the hash of its secret.
func (db *DB) InvitationByHash(ctx context.Context, hash string) (pendopo.Invitation, error) {
	inv, err := scanInvitation(db.read().QueryRowContext(ctx, db.q(`SELECT `+invitationCols+` FROM invitations WHERE hash = ?`), hash))
	if errors.Is(err, sql.ErrNoRows) {
		return inv, fmt.Errorf("invitation: %w", pendopo.ErrNotFound)
	}
	if err != nil {
		return inv, fmt.Errorf("invitation: %w", err)
	}
	return inv, nil
}

// AcceptInvitation marks an invitation used; accepting twice is ErrConflict.
func (db *DB) AcceptInvitation(ctx context.Context, id, userID int64, at time.Time) error {
	res, err := db.write().ExecContext(ctx, db.q(`UPDATE invitations SET accepted_at = ?, accepted_by = ? WHERE id = ? AND accepted_at IS NULL`), at.UTC(), userID, id)
	if err != nil {
		return fmt.Errorf("accept invitation %d: %w", id, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("accept invitation %d: %w", id, pendopo.ErrConflict)
	}
	return nil
}

// CancelInvitation makes a pending invitation expire now.
func (db *DB) CancelInvitation(ctx context.Context, id int64, at time.Time) error {
	res, err := db.write().ExecContext(ctx, db.q(`UPDATE invitations SET expires_at = ? WHERE id = ? AND accepted_at IS NULL AND expires_at > ?`), at.UTC(), id, at.UTC())
	if err != nil {
		return fmt.Errorf("cancel invitation %d: %w", id, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("cancel invitation %d: %w", id, pendopo.ErrNotFound)
	}
	return nil
}

// Invitations lists a region's invitations (a province's include its
// kabupaten/kota; empty lists all), newest first.
func (db *DB) Invitations(ctx context.Context, region string) ([]pendopo.Invitation, error) {
	q := `SELECT ` + invitationCols + ` FROM invitations`
	var args []any
	if region != "" {
		// pendopo.Covers in SQL; storetest's RegionScope checks they agree.
		q += ` WHERE region = ? OR region LIKE ?`
		args = append(args, region, region+".%")
	}
	out, err := all(ctx, db.read(), scanInvitation, db.q(q+` ORDER BY id DESC`), args...)
	if err != nil {
		return nil, fmt.Errorf("list invitations: %w", err)
	}
	return out, nil
}

// LoginFailures counts failures of key since a time.
func (db *DB) LoginFailures(ctx context.Context, key string, since time.Time) (int, error) {
	return db.count(ctx, `SELECT count(*) FROM login_failures WHERE key = ? AND at > ?`, key, since.UTC())
}

// attemptLockClass is the first key of the PostgreSQL advisory locks that
// serialise CountAttempt per key ("pdp" in ASCII); the second is a hash of
// the key. Two-key locks never meet the migrations' one-key lock.
const attemptLockClass = 0x706470

// CountAttempt records an attempt under each of keys at at, atomically
// with counting them. counts[i] is how many attempts keys[i] holds after
// since, before this one; when allow(counts) is false nothing is recorded.
// Concurrent calls that share a key run one after another (SQLite has one
// writer; PostgreSQL takes an advisory lock per key, in sorted order so
// that callers never deadlock), so each sees the attempts of the others
// and a burst cannot get past a limit. Attempts at or before since are
// deleted on the way: a key must always be counted over the same window.
// It returns the ids of the recorded attempts, for ForgetAttempts.
func (db *DB) CountAttempt(ctx context.Context, keys []string, since, at time.Time, allow func(counts []int) bool) (ids []int64, ok bool, err error) {
	if len(keys) == 0 {
		return nil, allow(nil), nil
	}
	err = db.inTx(ctx, func(tx *DB) error {
		ids, ok = nil, false // a retried transaction starts over
		if tx.d.name() == "postgres" {
			sorted := slices.Clone(keys)
			slices.Sort(sorted)
			for _, k := range slices.Compact(sorted) {
				if _, err := tx.write().ExecContext(ctx, `SELECT pg_advisory_xact_lock($1, hashtext($2))`, attemptLockClass, k); err != nil {
					return fmt.Errorf("lock attempts: %w", err)
				}
			}
		}
		in := "?" + strings.Repeat(", ?", len(keys)-1)
		args := make([]any, 0, len(keys)+1)
		for _, k := range keys {
			args = append(args, k)
		}
		args = append(args, since.UTC())
		if _, err := tx.write().ExecContext(ctx, tx.q(`DELETE FROM login_failures WHERE key IN (`+in+`) AND at <= ?`), args...); err != nil {
			return fmt.Errorf("prune attempts: %w", err)
		}
		rows, err := tx.read().QueryContext(ctx, tx.q(`SELECT key, count(*) FROM login_failures WHERE key IN (`+in+`) AND at > ? GROUP BY key`), args...)
		if err != nil {
			return fmt.Errorf("count attempts: %w", err)
		}
		byKey := map[string]int{}
		for rows.Next() {
			var (
				k string
				n int
			)
			if err := rows.Scan(&k, &n); err != nil {
				rows.Close()
				return fmt.Errorf("count attempts: %w", err)
			}
			byKey[k] = n
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return fmt.Errorf("count attempts: %w", err)
		}
		counts := make([]int, len(keys))
		for i, k := range keys {
			counts[i] = byKey[k]
		}
		if !allow(counts) {
			return nil
		}
		for _, k := range keys {
			var id int64
			if err := tx.write().QueryRowContext(ctx, tx.q(`INSERT INTO login_failures (key, at) VALUES (?, ?) RETURNING id`), k, at.UTC()).Scan(&id); err != nil {
				return fmt.Errorf("record attempt: %w", err)
			}
			ids = append(ids, id)
		}
		ok = true
		return nil
	})
	if err != nil {
		return nil, false, err
	}
	return ids, ok, nil
}

// ForgetAttempts deletes attempts that CountAttempt recorded, such as a
// sign-in whose password turned out right.
func (db *DB) ForgetAttempts(ctx context.Context, ids []int64) error {
	if len(ids) == 0 {
		return nil
	}
	args := make([]any, len(ids))
	for i, id := range ids {
		args[i] = id
	}
	if _, err := db.write().ExecContext(ctx, db.q(`DELETE FROM login_failures WHERE id IN (?`+strings.Repeat(", ?", len(ids)-1)+`)`), args...); err != nil {
		return fmt.Errorf("forget attempts: %w", err)
	}
	return nil
}

// ClearLoginFailures forgets a key's failures after a successful sign-in.
func (db *DB) ClearLoginFailures(ctx context.Context, key string) error {
	if _, err := db.write().ExecContext(ctx, db.q(`DELETE FROM login_failures WHERE key = ?`), key); err != nil {
		return fmt.Errorf("clear login failures: %w", err)
	}
	return nil
}

// Identity finds a user by single-sign-on subject.
func (db *DB) Identity(ctx context.Context, provider, subject string) (int64, error) {
	var id int64
	err := db.read().QueryRowContext(ctx, db.q(`SELECT user_id FROM user_identities WHERE provider = ? AND subject = ?`), provider, subject).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, fmt.Errorf("identity: %w", pendopo.ErrNotFound)
	}
	return id, err
}

// LinkIdentity links a single-sign-on subject to a user.
func (db *DB) LinkIdentity(ctx context.Context, provider, subject string, userID int64) error {
	_, err := db.write().ExecContext(ctx, db.q(`INSERT INTO user_identities (provider, subject, user_id) VALUES (?, ?, ?)`), provider, subject, userID)
	if err != nil {
		return fmt.Errorf("link identity: %w", db.d.mapErr(err))
	}
	return nil
}
