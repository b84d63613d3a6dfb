package app

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/pendopo/pendopo"
	"github.com/pendopo/pendopo/internal/ratelimit"
)

// Account timings.
const (
	SessionIdle     = 7 * 24 * time.Hour  // a session unused this long ends
	SessionMax      = 30 * 24 * time.Hour // and no session lasts longer
	sessionTouch    = 10 * time.Minute    // how often last use is recorded
	codeLifetime    = 15 * time.Minute
	resetLifetime   = 30 * time.Minute
	InviteLifetime  = 7 * 24 * time.Hour
	throttleWindow  = 15 * time.Minute
	pairAttempts    = 5  // failed sign-ins per account from one address per window
	ipAttempts      = 30 // failed sign-ins per address per window, whatever the accounts
	ipRegistrations = 10 // registrations and code requests per address per hour
	// An account that failed accountAlarm times in a window, from
	// anywhere, is under attack: each address then gets alarmAttempts
	// tries at it per window instead of pairAttempts. An address that
	// has not failed at it still gets its try, so nobody can lock the
	// owner out from elsewhere, while many addresses guess slowly.
	accountAlarm  = 20
	alarmAttempts = 1
	// recheckAttempts bounds wrong passwords per account per window when a
	// signed-in person confirms a serious change.
	recheckAttempts = 5
)

// Errors people see when signing in. Unknown accounts and wrong passwords
// get the same answer, so that nobody can learn who has an account.
var (
	errBadLogin      = pendopo.Errorf(pendopo.KindUnauthorized, pendopo.M("app.wrong_email_phone_number_password"))
	errLocked        = &pendopo.Error{Kind: pendopo.KindRateLimited, RetryAfter: throttleWindow, Msg: pendopo.M("app.too_many_failed_sign_ins")}
	errTooMany       = &pendopo.Error{Kind: pendopo.KindRateLimited, RetryAfter: time.Hour, Msg: pendopo.M("app.too_many_requests_from_your")}
	errRecheckLocked = &pendopo.Error{Kind: pendopo.KindRateLimited, RetryAfter: throttleWindow, Msg: pendopo.M("app.too_many_wrong_passwords_for")}
	errBadCode       = pendopo.Errorf(pendopo.KindInvalid, pendopo.M("app.the_code_wrong_expired_ask"))
	errNotConfirmed  = pendopo.Errorf(pendopo.KindForbidden, pendopo.M("app.your_account_not_confirmed_yet"))
)

// Registration is what the sign-up form asks.
type Registration struct {
	Name     string
	Login    string // email or Indonesian mobile number
	Password string
}

// Register creates an unconfirmed account and sends a confirmation code to
// its email or phone. When the login is taken, the owner is told instead
// and the answer is the same, so that registering reveals no accounts: the
// password is hashed either way, and the message goes out after the
// answer (see notify.Outbox.Detach), so neither shows in the time taken.
// It returns the normalised contact.
func (a *App) Register(ctx context.Context, r Registration, ip string) (string, error) {
	var p pendopo.Problems
	r.Name = strings.TrimSpace(r.Name)
	if n := len([]rune(r.Name)); n < 2 || n > 100 || !pendopo.ValidText(r.Name) {
		p.Add("name", pendopo.M("app.write_your_name_2_100"))
	}
	email, phone, ok := pendopo.NormalizeLogin(r.Login)
	if !ok {
		p.Add("login", pendopo.M("app.write_email_address_indonesian_mobile"))
	}
	if err := pendopo.CheckPassword(r.Password, r.Login, r.Name); err != nil {
		p = append(p, err.(*pendopo.Error).Fields...)
	}
	if err := p.Err(); err != nil {
		return "", err
	}
	if a.hashes.full() {
		return "", errHashBusy
	}
	if err := a.throttleIP(ctx, "reg:", ip, ipRegistrations, time.Hour); err != nil {
		return "", err
	}
	contact := email + phone
	// The hash comes first, whether or not the login is taken.
	hash, err := a.hashPassword(ctx, r.Password)
	if err != nil {
		return "", err
	}
	if _, err := a.store.Credentials(ctx, email, phone); err == nil {
		a.out.SendLater(ctx, contact, pendopo.M("app.your_pendopo_account"), pendopo.M("app.someone_tried_register_with_this"))
		return contact, nil
	} else if !errors.Is(err, pendopo.ErrNotFound) {
		return "", err
	}
	var (
		u    pendopo.User
		code string
	)
	e := pendopo.AuditEntry{Action: "user.register", Entity: "user"}
	err = a.audited(ctx, pendopo.Actor{Name: "warga (mendaftar)", IP: ip}, "citizen", &e, func(tx pendopo.Store) error {
		var err error
		u, err = tx.CreateUser(ctx, pendopo.User{Name: r.Name, Email: email, Phone: phone}, hash, a.now())
		e.EntityID, e.ActorUser = strconv.FormatInt(u.ID, 10), u.ID
		if err != nil {
			return err
		}
		code, err = a.newCode(ctx, tx, u.ID, pendopo.CodeConfirm, ip)
		return err
	})
	if errors.Is(err, pendopo.ErrConflict) {
		// Registered meanwhile by someone else: answer as above.
		return contact, nil
	}
	if err != nil {
		return "", err
	}
	subject, body := codeMessage(pendopo.CodeConfirm, code)
	a.out.SendLater(ctx, contact, subject, body)
	return contact, nil
}

// newCode makes a one-time code for a user in tx and returns it; the
// code's making (not the code) is in the audit trail, asked for from ip.
func (a *App) newCode(ctx context.Context, tx pendopo.Store, userID int64, purpose, ip string) (string, error) {
	code := randomDigits(6)
	life := codeLifetime
	if purpose == pendopo.CodeReset {
		life = resetLifetime
	}
	now := a.now()
	if err := tx.CreateCode(ctx, pendopo.AuthCode{UserID: userID, Purpose: purpose, Hash: sha256Hex(code), ExpiresAt: now.Add(life), CreatedAt: now}); err != nil {
		return "", err
	}
	e := pendopo.AuditEntry{Action: "user.code", Entity: "user", EntityID: strconv.FormatInt(userID, 10), Diff: pendopo.Diff(nil, map[string]string{"purpose": purpose})}
	return code, a.audit(ctx, tx, pendopo.Actor{UserID: userID, IP: ip}, roleCitizen, e)
}

// codeMessage is the message that carries a one-time code.
func codeMessage(purpose, code string) (subject, body pendopo.Text) {
	if purpose == pendopo.CodeReset {
		return pendopo.M("app.reset_your_pendopo_password"),
			pendopo.M("app.your_password_reset_code_it", code)
	}
	return pendopo.M("app.your_pendopo_confirmation_code"),
		pendopo.M("app.your_confirmation_code_it_valid", code)
}

// sendCodeLater makes a one-time code for the account of login and sends
// it, after the answer; nothing happens for an unknown login, or, with
// unconfirmed set, for an account already confirmed. The answer is
// therefore the same, and as quick, whatever the account.
func (a *App) sendCodeLater(ctx context.Context, login, purpose string, unconfirmed bool, ip string) {
	a.out.Detach(ctx, "send one-time code", func(ctx context.Context) error {
		c, contact, err := a.userByLogin(ctx, login)
		if errors.Is(err, pendopo.ErrNotFound) {
			return nil
		}
		if err != nil {
			return err
		}
		if unconfirmed {
			u, err := a.store.User(ctx, c.UserID)
			if err != nil || u.Confirmed() {
				return err
			}
		}
		var code string
		if err := a.store.InTx(ctx, func(tx pendopo.Store) error {
			code, err = a.newCode(ctx, tx, c.UserID, purpose, ip)
			return err
		}); err != nil {
			return err
		}
		subject, body := codeMessage(purpose, code)
		return a.out.Send(ctx, contact, subject, body)
	})
}

// throttleIP counts one request of a kind (prefix) from the address ip
// and refuses it when limit were counted in window already.
func (a *App) throttleIP(ctx context.Context, prefix, ip string, limit int, window time.Duration) error {
	now := a.now()
	_, ok, err := a.store.CountAttempt(ctx, []string{prefix + ratelimit.AddrKey(ip)}, now.Add(-window), now,
		func(c []int) bool { return c[0] < limit })
	if err != nil {
		return err
	}
	if !ok {
		return errTooMany
	}
	return nil
}

// userByLogin finds an account by what someone typed as their login.
func (a *App) userByLogin(ctx context.Context, login string) (pendopo.Credentials, string, error) {
	email, phone, ok := pendopo.NormalizeLogin(login)
	if !ok {
		return pendopo.Credentials{}, "", pendopo.ErrNotFound
	}
	c, err := a.store.Credentials(ctx, email, phone)
	return c, email + phone, err
}

// HasAccount reports whether an account exists for an invitation's
// address, so that its page asks for the existing password. It is used
// only behind an invitation secret, never on open forms, so it does not
// let strangers probe for accounts.
func (a *App) HasAccount(ctx context.Context, login string) bool {
	_, _, err := a.userByLogin(ctx, login)
	return err == nil
}

// SessionID is the identifier under which a session's secret is stored; it
// marks "this device" in the list of sessions.
func SessionID(secret string) string { return sha256Hex(secret) }

// Confirm checks the code sent at registration and confirms the account.
func (a *App) Confirm(ctx context.Context, login, code, ip string) (pendopo.User, error) {
	c, _, err := a.userByLogin(ctx, login)
	if errors.Is(err, pendopo.ErrNotFound) {
		return pendopo.User{}, errBadCode
	}
	if err != nil {
		return pendopo.User{}, err
	}
	if err := a.store.ConsumeCode(ctx, c.UserID, pendopo.CodeConfirm, sha256Hex(strings.TrimSpace(code)), a.now()); err != nil {
		if errors.Is(err, pendopo.ErrNotFound) {
			return pendopo.User{}, errBadCode
		}
		return pendopo.User{}, err
	}
	e := pendopo.AuditEntry{Action: "user.confirm", Entity: "user", EntityID: strconv.FormatInt(c.UserID, 10)}
	if err := a.audited(ctx, pendopo.Actor{Name: "warga #" + strconv.FormatInt(c.UserID, 10), UserID: c.UserID, IP: ip}, "citizen", &e, func(tx pendopo.Store) error {
		return tx.ConfirmUser(ctx, c.UserID, a.now())
	}); err != nil {
		return pendopo.User{}, err
	}
	return a.store.User(ctx, c.UserID)
}

// ResendCode sends a new confirmation code to an unconfirmed account. The
// answer is the same whatever the account, so it reveals none.
func (a *App) ResendCode(ctx context.Context, login, ip string) error {
	if err := a.throttleIP(ctx, "reg:", ip, ipRegistrations, time.Hour); err != nil {
		return err
	}
	a.sendCodeLater(ctx, login, pendopo.CodeConfirm, true, ip)
	return nil
}

// Login checks a login and password and starts a session, returning its
// secret for the cookie. Each try is counted before the password is
// hashed (see countGuess); past the limits sign-in is refused for a while
// with a clear message, even with the right password, but only from the
// addresses that failed.
func (a *App) Login(ctx context.Context, login, password, ip, userAgent string) (string, pendopo.User, error) {
	if a.hashes.full() {
		// Turned away before it is counted: a flood costs no writes.
		return "", pendopo.User{}, errHashBusy
	}
	g, err := a.countGuess(ctx, login, ip)
	if err != nil {
		return "", pendopo.User{}, err
	}
	c, _, err := a.userByLogin(ctx, login)
	found := err == nil
	if err != nil && !errors.Is(err, pendopo.ErrNotFound) {
		a.guessVoid(ctx, g)
		return "", pendopo.User{}, err
	}
	// An unknown account is checked against a dummy hash, so that timing
	// tells nothing either.
	hash := a.dummyHash
	if found {
		hash = c.PasswordHash
	}
	ok, err := a.checkPassword(ctx, password, hash)
	if err != nil {
		a.guessVoid(ctx, g) // not checked: it was no guess
		return "", pendopo.User{}, err
	}
	if !found || !ok {
		return "", pendopo.User{}, errBadLogin
	}
	a.guessRight(ctx, g)
	u, err := a.store.User(ctx, c.UserID)
	if err != nil {
		return "", pendopo.User{}, err
	}
	if !u.Confirmed() {
		return "", u, errNotConfirmed
	}
	secret, err := a.startSession(ctx, u.ID, ip, userAgent)
	return secret, u, err
}

// guess is a password try counted by countGuess.
type guess struct {
	ids  []int64
	pair string // the key of the account from this address
}

// countGuess counts a try at the password of login from ip before the
// password is checked, atomically with checking the limits, so that a
// burst of parallel tries cannot all pass: per account and address
// (pairAttempts, or alarmAttempts while the account is under attack), and
// per address (ipAttempts). The try counts as a failure until guessRight
// or guessVoid takes it back. Unknown logins are counted the same way, so
// that being locked reveals no account.
func (a *App) countGuess(ctx context.Context, login, ip string) (guess, error) {
	now := a.now()
	acct := "acct:" + loginKey(login)
	addr := "ip:" + ratelimit.AddrKey(ip)
	pair := acct + "|" + addr
	ids, ok, err := a.store.CountAttempt(ctx, []string{acct, pair, addr}, now.Add(-throttleWindow), now, func(c []int) bool {
		perAddress := pairAttempts
		if c[0] >= accountAlarm {
			perAddress = alarmAttempts
		}
		return c[1] < perAddress && c[2] < ipAttempts
	})
	if err != nil {
		return guess{}, err
	}
	if !ok {
		return guess{}, errLocked
	}
	return guess{ids: ids, pair: pair}, nil
}

// guessRight takes back a try whose password was right, and forgets the
// earlier failures of that account from that address: its owner typed
// it.
func (a *App) guessRight(ctx context.Context, g guess) {
	a.guessVoid(ctx, g)
	if err := a.store.ClearLoginFailures(ctx, g.pair); err != nil {
		a.log.Warn("clear sign-in failures", "err", err)
	}
}

// guessVoid takes back a try that was never checked.
func (a *App) guessVoid(ctx context.Context, g guess) {
	if err := a.store.ForgetAttempts(context.WithoutCancel(ctx), g.ids); err != nil {
		a.log.Warn("forget sign-in attempt", "err", err)
	}
}

// loginKey is how the throttle names the account someone typed: its
// normalised contact, or for anything else a hash of it, so that a long
// or odd login does not become a long key.
func loginKey(login string) string {
	if email, phone, ok := pendopo.NormalizeLogin(login); ok {
		return email + phone
	}
	return "?" + sha256Hex(strings.ToLower(strings.TrimSpace(login)))[:32]
}

// startSession signs userID in: a new session, in the audit trail.
func (a *App) startSession(ctx context.Context, userID int64, ip, userAgent string) (string, error) {
	now := a.now()
	secret := randomSecret(32)
	if len(userAgent) > 200 {
		userAgent = userAgent[:200]
	}
	u, err := a.store.User(ctx, userID)
	if err != nil {
		return "", err
	}
	s := pendopo.Session{Hash: sha256Hex(secret), UserID: userID, CreatedAt: now, LastSeenAt: now, ExpiresAt: now.Add(SessionIdle), IP: ip, UserAgent: strings.ToValidUTF8(userAgent, "")}
	e := pendopo.AuditEntry{Action: "user.login", Entity: "user", EntityID: strconv.FormatInt(userID, 10)}
	if err := a.audited(ctx, a.actorFor(u, ip), roleCitizen, &e, func(tx pendopo.Store) error { return tx.CreateSession(ctx, s) }); err != nil {
		return "", err
	}
	return secret, nil
}

var errNoSession = pendopo.Errorf(pendopo.KindUnauthorized, pendopo.M("app.your_session_has_ended_please"))

// SessionActor turns a session cookie into the signed-in person, extending
// the session while it is used (but never past SessionMax).
func (a *App) SessionActor(ctx context.Context, secret, ip string) (pendopo.Actor, pendopo.User, error) {
	if secret == "" || len(secret) > 100 {
		return pendopo.Actor{}, pendopo.User{}, errNoSession
	}
	now := a.now()
	hash := sha256Hex(secret)
	s, err := a.store.Session(ctx, hash, now)
	if errors.Is(err, pendopo.ErrNotFound) {
		return pendopo.Actor{}, pendopo.User{}, errNoSession
	}
	if err != nil {
		return pendopo.Actor{}, pendopo.User{}, err
	}
	u, err := a.store.User(ctx, s.UserID)
	if errors.Is(err, pendopo.ErrNotFound) {
		return pendopo.Actor{}, pendopo.User{}, errNoSession
	}
	if err != nil {
		return pendopo.Actor{}, pendopo.User{}, err
	}
	if now.Sub(s.LastSeenAt) > sessionTouch {
		expires := now.Add(SessionIdle)
		if limit := s.CreatedAt.Add(SessionMax); expires.After(limit) {
			expires = limit
		}
		if err := a.store.TouchSession(ctx, hash, now, expires); err != nil {
			a.log.Warn("extend session", "err", err)
		}
	}
	return a.actorFor(u, ip), u, nil
}

// actorFor is the actor of a signed-in person.
func (a *App) actorFor(u pendopo.User, ip string) pendopo.Actor {
	name := u.Name
	if name == "" {
		name = u.Contact()
	}
	return pendopo.Actor{Name: name + " (#" + strconv.FormatInt(u.ID, 10) + ")", UserID: u.ID, Roles: u.Roles, IP: ip}
}

// Logout ends one session, from address ip; ending a live one is in the
// audit trail.
func (a *App) Logout(ctx context.Context, secret, ip string) error {
	hash := sha256Hex(secret)
	s, err := a.store.Session(ctx, hash, a.now())
	if errors.Is(err, pendopo.ErrNotFound) {
		return a.store.DeleteSession(ctx, hash) // ended already
	}
	if err != nil {
		return err
	}
	u, err := a.store.User(ctx, s.UserID)
	if err != nil {
		return err
	}
	e := pendopo.AuditEntry{Action: "user.logout", Entity: "user", EntityID: strconv.FormatInt(u.ID, 10)}
	return a.audited(ctx, a.actorFor(u, ip), roleCitizen, &e, func(tx pendopo.Store) error { return tx.DeleteSession(ctx, hash) })
}

// LogoutElsewhere ends every session of the user but the current one.
func (a *App) LogoutElsewhere(ctx context.Context, who pendopo.Actor, currentSecret string) error {
	e := pendopo.AuditEntry{Action: "user.logout_all", Entity: "user", EntityID: strconv.FormatInt(who.UserID, 10)}
	return a.audited(ctx, who, "citizen", &e, func(tx pendopo.Store) error {
		return tx.DeleteSessions(ctx, who.UserID, sha256Hex(currentSecret))
	})
}

// Sessions lists the signed-in devices of the user.
func (a *App) Sessions(ctx context.Context, who pendopo.Actor) ([]pendopo.Session, error) {
	return a.store.Sessions(ctx, who.UserID)
}

// RequestPasswordReset sends a reset code to the account's email or phone,
// after the answer, which is therefore the same, and as quick, for unknown
// accounts.
func (a *App) RequestPasswordReset(ctx context.Context, login, ip string) error {
	if _, _, ok := pendopo.NormalizeLogin(login); !ok {
		var p pendopo.Problems
		p.Add("login", pendopo.M("app.write_email_address_indonesian_mobile_2"))
		return p.Err()
	}
	if err := a.throttleIP(ctx, "reg:", ip, ipRegistrations, time.Hour); err != nil {
		return err
	}
	a.sendCodeLater(ctx, login, pendopo.CodeReset, false, ip)
	return nil
}

// ResetPassword sets a new password with a reset code and ends every
// session of the account, since someone else may have known the old one.
func (a *App) ResetPassword(ctx context.Context, login, code, password, ip string) error {
	c, contact, err := a.userByLogin(ctx, login)
	if errors.Is(err, pendopo.ErrNotFound) {
		return errBadCode
	}
	if err != nil {
		return err
	}
	u, err := a.store.User(ctx, c.UserID)
	if err != nil {
		return err
	}
	if err := pendopo.CheckPassword(password, contact, u.Name); err != nil {
		return err
	}
	if err := a.store.ConsumeCode(ctx, c.UserID, pendopo.CodeReset, sha256Hex(strings.TrimSpace(code)), a.now()); err != nil {
		if errors.Is(err, pendopo.ErrNotFound) {
			return errBadCode
		}
		return err
	}
	hash, err := a.hashPassword(ctx, password)
	if err != nil {
		return err
	}
	e := pendopo.AuditEntry{Action: "user.reset_password", Entity: "user", EntityID: strconv.FormatInt(u.ID, 10)}
	return a.audited(ctx, a.actorFor(u, ip), "citizen", &e, func(tx pendopo.Store) error {
		if err := tx.SetPassword(ctx, u.ID, hash, a.now()); err != nil {
			return err
		}
		// The code proved the contact, so the account is confirmed too.
		if err := tx.ConfirmUser(ctx, u.ID, a.now()); err != nil {
			return err
		}
		return tx.DeleteSessions(ctx, u.ID, "")
	})
}

// recheck asks a signed-in person for their password again before a
// serious change; a wrong one is a problem of field. Wrong ones are
// counted per account like sign-ins, so that a stolen session cannot
// guess the password.
func (a *App) recheck(ctx context.Context, who pendopo.Actor, password, field string) (pendopo.User, error) {
	u, err := a.store.User(ctx, who.UserID)
	if err != nil {
		return u, err
	}
	c, err := a.store.Credentials(ctx, u.Email, u.Phone)
	if err != nil {
		return u, err
	}
	now := a.now()
	key := "recheck:" + strconv.FormatInt(u.ID, 10)
	ids, allowed, err := a.store.CountAttempt(ctx, []string{key}, now.Add(-throttleWindow), now, func(c []int) bool { return c[0] < recheckAttempts })
	if err != nil {
		return u, err
	}
	if !allowed {
		return u, errRecheckLocked
	}
	ok, err := a.checkPassword(ctx, password, c.PasswordHash)
	if err != nil || ok {
		a.guessVoid(ctx, guess{ids: ids})
	}
	if err != nil {
		return u, err
	}
	if !ok {
		var p pendopo.Problems
		p.Add(field, pendopo.M("app.wrong_password"))
		return u, p.Err()
	}
	return u, nil
}

// ChangePassword changes the password of the signed-in user, who proves it
// with the current one; other sessions end.
func (a *App) ChangePassword(ctx context.Context, who pendopo.Actor, current, next, currentSecret string) error {
	u, err := a.recheck(ctx, who, current, "current")
	if err != nil {
		return err
	}
	if err := pendopo.CheckPassword(next, u.Contact(), u.Name); err != nil {
		return err
	}
	hash, err := a.hashPassword(ctx, next)
	if err != nil {
		return err
	}
	e := pendopo.AuditEntry{Action: "user.change_password", Entity: "user", EntityID: strconv.FormatInt(u.ID, 10)}
	return a.audited(ctx, who, "citizen", &e, func(tx pendopo.Store) error {
		if err := tx.SetPassword(ctx, u.ID, hash, a.now()); err != nil {
			return err
		}
		return tx.DeleteSessions(ctx, u.ID, sha256Hex(currentSecret))
	})
}

// UpdateName changes the signed-in user's name.
func (a *App) UpdateName(ctx context.Context, who pendopo.Actor, name string) error {
	name = strings.TrimSpace(name)
	if n := len([]rune(name)); n < 2 || n > 100 || !pendopo.ValidText(name) {
		var p pendopo.Problems
		p.Add("name", pendopo.M("app.write_your_name_2_100"))
		return p.Err()
	}
	u, err := a.store.User(ctx, who.UserID)
	if err != nil {
		return err
	}
	// The trail says that the name changed, not what it was or became:
	// it outlives the account (see pendopo.Actor.AuditName).
	e := pendopo.AuditEntry{Action: "user.update", Entity: "user", EntityID: strconv.FormatInt(u.ID, 10), Diff: pendopo.Diff(map[string]string{}, map[string]string{"name": "diubah"})}
	return a.audited(ctx, who, "citizen", &e, func(tx pendopo.Store) error { return tx.UpdateUserName(ctx, u.ID, name, a.now()) })
}

// nikContext binds an encrypted NIK to its owner: a ciphertext copied to
// another account does not decrypt.
func nikContext(userID int64) string { return "nik:" + strconv.FormatInt(userID, 10) }

// SetNIK stores the signed-in user's NIK, encrypted. A NIK whose region
// code is not in today's list is stored with a warning, which is returned.
func (a *App) SetNIK(ctx context.Context, who pendopo.Actor, nik string) (pendopo.Text, error) {
	nik = strings.Join(strings.Fields(nik), "")
	info, err := pendopo.CheckNIK(nik, a.knownRegion, a.now())
	if err != nil {
		return pendopo.Text{}, err
	}
	enc := a.sealer.seal(nik, nikContext(who.UserID))
	// The audit trail never holds the NIK, not even masked: it outlives
	// the account (see pendopo.Actor.AuditName).
	e := pendopo.AuditEntry{Action: "user.set_nik", Entity: "user", EntityID: strconv.FormatInt(who.UserID, 10)}
	err = a.audited(ctx, who, "citizen", &e, func(tx pendopo.Store) error { return tx.SetUserNIK(ctx, who.UserID, enc, a.now()) })
	return info.Warning, err
}

// RemoveNIK deletes the signed-in user's NIK.
func (a *App) RemoveNIK(ctx context.Context, who pendopo.Actor) error {
	e := pendopo.AuditEntry{Action: "user.remove_nik", Entity: "user", EntityID: strconv.FormatInt(who.UserID, 10)}
	return a.audited(ctx, who, "citizen", &e, func(tx pendopo.Store) error { return tx.SetUserNIK(ctx, who.UserID, nil, a.now()) })
}

// MaskedNIK is the user's NIK as pages show it (3374********0001), or "".
func (a *App) MaskedNIK(ctx context.Context, userID int64) (string, error) {
	nik, err := a.nik(ctx, userID)
	if err != nil || nik == "" {
		return "", err
	}
	return pendopo.MaskNIK(nik), nil
}

func (a *App) nik(ctx context.Context, userID int64) (string, error) {
	enc, err := a.store.UserNIK(ctx, userID)
	if err != nil || enc == nil {
		return "", err
	}
	return a.sealer.open(enc, nikContext(userID))
}

func (a *App) knownRegion(code string) bool {
	_, ok := a.regions.Load().byCode[code]
	return ok
}

// PersonalData is what an officer may see of a person: contact and NIK.
type PersonalData struct {
	User pendopo.User
	NIK  string
}

// ReadPersonalData shows a person's contact and NIK to an officer who
// manages users where the person holds a role, and records the reading in
// the audit trail, as UU 27/2022 asks.
func (a *App) ReadPersonalData(ctx context.Context, who pendopo.Actor, userID int64) (PersonalData, error) {
	u, err := a.store.User(ctx, userID)
	if err != nil {
		return PersonalData{}, err
	}
	ok, scope := false, pendopo.Scope{}
	for _, r := range u.Roles {
		scope = pendopo.Scope{Region: r.Region, Agency: r.Agency}
		if _, ok = who.Can(pendopo.ActManageUsers, scope); ok {
			break
		}
	}
	if !ok && len(u.Roles) == 0 && who.National() {
		scope = pendopo.Scope{}
		_, ok = who.Can(pendopo.ActManageUsers, scope)
	}
	if !ok {
		return PersonalData{}, pendopo.ErrForbidden
	}
	nik, err := a.nik(ctx, userID)
	if err != nil {
		return PersonalData{}, err
	}
	e := pendopo.AuditEntry{Action: "user.read_personal", Entity: "user", EntityID: strconv.FormatInt(userID, 10), Region: scope.Region}
	if err := a.auditRead(ctx, who, pendopo.ActManageUsers, scope, e, nil); err != nil {
		return PersonalData{}, err
	}
	return PersonalData{User: u, NIK: nik}, nil
}
