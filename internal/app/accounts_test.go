package app_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pendopo/pendopo"
	"github.com/pendopo/pendopo/internal/app"
	"github.com/pendopo/pendopo/internal/apptest"
	"github.com/pendopo/pendopo/internal/blob"
	"github.com/pendopo/pendopo/internal/notify"
	"github.com/pendopo/pendopo/internal/pendopotest"
)

// accounts is an app with a movable clock and the messages it sent.
type accounts struct {
	*app.App
	store pendopo.Store
	mail  *notify.MemorySender
	clock *time.Time
	blobs blob.Dir
}

func newAccounts(t *testing.T) accounts {
	t.Helper()
	db := pendopotest.DB(t)
	cfg, mem := apptest.Config(db, now)
	clock := now
	cfg.Now = func() time.Time { return clock }
	blobs := blob.Dir{Path: t.TempDir()}
	cfg.Blobs = blobs
	a, err := app.New(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	return accounts{App: a, store: db, mail: mem, clock: &clock, blobs: blobs}
}

// actor is u acting signed in.
func (x accounts) actor(u pendopo.User) pendopo.Actor {
	return pendopo.Actor{Name: u.Name, UserID: u.ID, IP: "10.0.0.9"}
}

var codeRE = regexp.MustCompile(`\b(\d{6})\b`)

// code returns the last one-time code sent to to.
func (x accounts) code(t *testing.T, to string) string {
	t.Helper()
	x.Outbox().WaitDetached() // codes are sent after the answer
	m, ok := x.mail.Last(to)
	if !ok {
		t.Fatalf("nothing sent to %s", to)
	}
	c := codeRE.FindStringSubmatch(m.Body)
	if c == nil {
		t.Fatalf("no code in %q", m.Body)
	}
	return c[1]
}

// citizen registers and confirms an account.
func (x accounts) citizen(t *testing.T, name, login, password string) pendopo.User {
	t.Helper()
	contact, err := x.Register(ctx, app.Registration{Name: name, Login: login, Password: password}, "10.0.0.9")
	if err != nil {
		t.Fatal(err)
	}
	u, err := x.Confirm(ctx, login, x.code(t, contact), "10.0.0.9")
	if err != nil {
		t.Fatal(err)
	}
	return u
}

func TestRegisterConfirmLogin(t *testing.T) {
	x := newAccounts(t)
	contact, err := x.Register(ctx, app.Registration{Name: "Sari Wulandari", Login: "0812-3456-7890", Password: "kopi tubruk pagi"}, "10.0.0.1")
	if err != nil || contact != "+6281234567890" {
		t.Fatalf("register: %q %v", contact, err)
	}
	// Not confirmed yet: signing in with the right password says so.
	if _, _, err := x.Login(ctx, "081234567890", "kopi tubruk pagi", "10.0.0.1", "uji"); kind(err) != pendopo.KindForbidden {
		t.Errorf("unconfirmed sign-in: %v", err)
	}
	if _, err := x.Confirm(ctx, "081234567890", "000000", "10.0.0.1"); kind(err) != pendopo.KindInvalid {
		t.Errorf("wrong code: %v", err)
	}
	u, err := x.Confirm(ctx, "+62 812 3456 7890", x.code(t, contact), "10.0.0.1")
	if err != nil || !u.Confirmed() || u.Phone != "+6281234567890" {
		t.Fatalf("confirm: %+v %v", u, err)
	}
	secret, got, err := x.Login(ctx, "081234567890", "kopi tubruk pagi", "10.0.0.1", "uji")
	if err != nil || got.ID != u.ID || secret == "" {
		t.Fatalf("login: %v", err)
	}
	who, _, err := x.SessionActor(ctx, secret, "10.0.0.1")
	if err != nil || who.UserID != u.ID || who.Officer() {
		t.Fatalf("session: %+v %v", who, err)
	}
	if err := x.Logout(ctx, secret, "10.0.0.9"); err != nil {
		t.Fatal(err)
	}
	if _, _, err := x.SessionActor(ctx, secret, ""); kind(err) != pendopo.KindUnauthorized {
		t.Errorf("after logout: %v", err)
	}
	// Bad input is reported per field, in both languages.
	_, err = x.Register(ctx, app.Registration{Name: "S", Login: "0212345", Password: "password1"}, "10.0.0.1")
	if paths := app.FieldPaths(err); len(paths) != 3 {
		t.Errorf("invalid registration fields: %v", paths)
	}
}

// TestNoEnumeration checks that registering, resetting and signing in say
// the same for an existing account as for one that does not exist.
func TestNoEnumeration(t *testing.T) {
	x := newAccounts(t)
	x.citizen(t, "Budi", "budi@contoh.id", "sate ayam madura")
	c1, err1 := x.Register(ctx, app.Registration{Name: "Palsu", Login: "budi@contoh.id", Password: "sate kambing muda"}, "10.0.0.2")
	c2, err2 := x.Register(ctx, app.Registration{Name: "Baru", Login: "baru@contoh.id", Password: "sate kambing muda"}, "10.0.0.2")
	if err1 != nil || err2 != nil || c1 != "budi@contoh.id" || c2 != "baru@contoh.id" {
		t.Errorf("register answers differ: %v %v", err1, err2)
	}
	x.Outbox().WaitDetached()
	if m, _ := x.mail.Last("budi@contoh.id"); !strings.Contains(m.Body, "sudah ada") {
		t.Errorf("owner not told of the attempt: %q", m.Body)
	}
	// The existing account's password did not change.
	if _, _, err := x.Login(ctx, "budi@contoh.id", "sate ayam madura", "10.0.0.3", ""); err != nil {
		t.Errorf("existing account hijacked: %v", err)
	}
	_, _, e1 := x.Login(ctx, "budi@contoh.id", "salah sekali", "10.0.0.3", "")
	_, _, e2 := x.Login(ctx, "siapa@contoh.id", "salah sekali", "10.0.0.3", "")
	if e1 == nil || e2 == nil || e1.Error() != e2.Error() {
		t.Errorf("sign-in errors differ: %v / %v", e1, e2)
	}
	if err1, err2 := x.RequestPasswordReset(ctx, "budi@contoh.id", "10.0.0.3"), x.RequestPasswordReset(ctx, "siapa@contoh.id", "10.0.0.3"); err1 != nil || err2 != nil {
		t.Errorf("reset answers: %v %v", err1, err2)
	}
}

func TestLoginThrottle(t *testing.T) {
	x := newAccounts(t)
	x.citizen(t, "Budi", "budi@contoh.id", "sate ayam madura")
	for range 5 {
		if _, _, err := x.Login(ctx, "budi@contoh.id", "tebakan salah", "10.0.0.4", ""); kind(err) != pendopo.KindUnauthorized {
			t.Fatalf("wrong password: %v", err)
		}
	}
	// Locked from that address: even the right password is refused there,
	// with a clear message and when to come back.
	_, _, err := x.Login(ctx, "budi@contoh.id", "sate ayam madura", "10.0.0.4", "")
	var pe *pendopo.Error
	if kind(err) != pendopo.KindRateLimited || !strings.Contains(err.Error(), "15 minutes") || !errors.As(err, &pe) || pe.RetryAfter != 15*time.Minute {
		t.Fatalf("locked account: %v", err)
	}
	// Unknown accounts lock the same way, so locking reveals nothing.
	for range 5 {
		x.Login(ctx, "siapa@contoh.id", "tebakan", "10.0.0.6", "")
	}
	if _, _, err := x.Login(ctx, "siapa@contoh.id", "tebakan", "10.0.0.6", ""); kind(err) != pendopo.KindRateLimited {
		t.Errorf("unknown account not locked: %v", err)
	}
	*x.clock = x.clock.Add(16 * time.Minute)
	if _, _, err := x.Login(ctx, "budi@contoh.id", "sate ayam madura", "10.0.0.4", ""); err != nil {
		t.Errorf("after the window: %v", err)
	}
	// Many accounts from one address lock the address.
	for i := range 30 {
		x.Login(ctx, "orang"+string(rune('a'+i%26))+"@contoh.id", "tebakan", "10.9.9.9", "")
	}
	if _, _, err := x.Login(ctx, "budi@contoh.id", "sate ayam madura", "10.9.9.9", ""); kind(err) != pendopo.KindRateLimited {
		t.Errorf("address not locked: %v", err)
	}
	// An IPv6 subscriber cannot get round it by moving within its /64.
	for i := range 30 {
		x.Login(ctx, "budi@contoh.id", "tebakan", fmt.Sprintf("2001:db8:5:6::%x", i+1), "")
	}
	if _, _, err := x.Login(ctx, "budi@contoh.id", "sate ayam madura", "2001:db8:5:6::ffff", ""); kind(err) != pendopo.KindRateLimited {
		t.Errorf("IPv6 /64 not locked: %v", err)
	}
}

// TestNoLockout: an attacker who guesses an admin's password from one
// address, or from many, cannot keep the admin out; from an address that
// has not failed, the right password works.
func TestNoLockout(t *testing.T) {
	x := newAccounts(t)
	x.citizen(t, "Admin", "admin@contoh.id", "sate ayam madura")
	for range 50 {
		x.Login(ctx, "admin@contoh.id", "tebakan salah", "203.0.113.66", "")
	}
	if _, _, err := x.Login(ctx, "admin@contoh.id", "sate ayam madura", "198.51.100.10", ""); err != nil {
		t.Fatalf("admin locked out by an attacker elsewhere: %v", err)
	}
	// The owner's own typos before the right password are forgiven.
	for range 4 {
		x.Login(ctx, "admin@contoh.id", "sate ayam", "198.51.100.12", "")
	}
	if _, _, err := x.Login(ctx, "admin@contoh.id", "sate ayam madura", "198.51.100.12", ""); err != nil {
		t.Fatalf("after four typos: %v", err)
	}
	for range 4 {
		x.Login(ctx, "admin@contoh.id", "sate ayam", "198.51.100.12", "")
	}
	if _, _, err := x.Login(ctx, "admin@contoh.id", "sate ayam madura", "198.51.100.12", ""); err != nil {
		t.Errorf("four more typos after signing in: %v", err)
	}
	// A guesser with many addresses puts the account under attack: each
	// address then gets one try per window, not five.
	for i := range 30 {
		for range 5 {
			x.Login(ctx, "admin@contoh.id", "tebakan salah", fmt.Sprintf("192.0.2.%d", i+1), "")
		}
	}
	if _, _, err := x.Login(ctx, "admin@contoh.id", "tebakan", "192.0.2.200", ""); kind(err) != pendopo.KindUnauthorized {
		t.Errorf("a fresh address's first try: %v", err)
	}
	if _, _, err := x.Login(ctx, "admin@contoh.id", "sate ayam madura", "192.0.2.200", ""); kind(err) != pendopo.KindRateLimited {
		t.Errorf("a second try at an account under attack: %v", err)
	}
	if _, _, err := x.Login(ctx, "admin@contoh.id", "sate ayam madura", "198.51.100.11", ""); err != nil {
		t.Errorf("admin locked out by a distributed attack: %v", err)
	}
	// Under attack, a typo costs that address its try: the price of the
	// slow-down, paid only where someone failed.
	x.Login(ctx, "admin@contoh.id", "sate ayam", "198.51.100.12", "")
	if _, _, err := x.Login(ctx, "admin@contoh.id", "sate ayam madura", "198.51.100.12", ""); kind(err) != pendopo.KindRateLimited {
		t.Errorf("after a typo under attack: %v", err)
	}
}

// TestLoginBurst: parallel guesses are counted before they are hashed, so
// a burst gets no more guesses than the limits allow (5 per account from
// an address, 30 per address), however it is timed.
func TestLoginBurst(t *testing.T) {
	x := newAccounts(t)
	x.citizen(t, "Budi", "budi@contoh.id", "sate ayam madura")
	// Guesses the hash gate turns away (busy) are neither hashed nor
	// counted; every other one is hashed or locked out.
	burst := func(n int, login func(i int) string, ip string) (hashed int64, lockedOrBusy int) {
		before := app.PasswordHashes(x.App)
		var (
			wg sync.WaitGroup
			mu sync.Mutex
		)
		for i := range n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, _, err := x.Login(ctx, login(i), "tebakan salah", ip, "")
				switch kind(err) {
				case pendopo.KindRateLimited, pendopo.KindUnavailable:
					mu.Lock()
					lockedOrBusy++
					mu.Unlock()
				case pendopo.KindUnauthorized:
				default:
					t.Errorf("guess %d: %v", i, err)
				}
			}()
		}
		wg.Wait()
		return app.PasswordHashes(x.App) - before, lockedOrBusy
	}
	if hashed, refused := burst(40, func(int) string { return "budi@contoh.id" }, "10.1.1.1"); hashed > 5 || refused < 35 {
		t.Errorf("40 parallel guesses at one account: %d hashed, %d refused", hashed, refused)
	}
	if hashed, refused := burst(150, func(i int) string { return fmt.Sprintf("orang%d@contoh.id", i) }, "10.2.2.2"); hashed > 30 || refused < 120 {
		t.Errorf("150 parallel guesses from one address: %d hashed, %d refused", hashed, refused)
	}
}

// TestHashingBusy: when every password check is taken and the queue is
// full, sign-in, registration and password changes answer at once that
// the server is busy, with when to retry, and a refused sign-in does not
// count as a guess.
func TestHashingBusy(t *testing.T) {
	x := newAccounts(t)
	u := x.citizen(t, "Budi", "budi@contoh.id", "sate ayam madura")
	release := app.FillHashGate(x.App)
	busy := func(what string, err error) {
		t.Helper()
		var pe *pendopo.Error
		if !errors.As(err, &pe) || pe.Kind != pendopo.KindUnavailable || pe.RetryAfter <= 0 {
			t.Errorf("%s while busy: %v", what, err)
		}
	}
	for range 10 {
		_, _, err := x.Login(ctx, "budi@contoh.id", "sate ayam madura", "10.0.0.7", "")
		busy("sign-in", err)
	}
	_, err := x.Register(ctx, app.Registration{Name: "Sari", Login: "sari@contoh.id", Password: "kopi tubruk pagi"}, "10.0.0.7")
	busy("registration", err)
	busy("password change", x.ChangePassword(ctx, x.actor(u), "sate ayam madura", "es teh manis sekali", ""))
	release()
	if _, _, err := x.Login(ctx, "budi@contoh.id", "sate ayam madura", "10.0.0.7", ""); err != nil {
		t.Errorf("refused sign-ins were counted as guesses: %v", err)
	}
}

// TestRecheckThrottle: a stolen session cannot guess the password through
// the forms that ask for it again.
func TestRecheckThrottle(t *testing.T) {
	x := newAccounts(t)
	u := x.citizen(t, "Budi", "budi@contoh.id", "sate ayam madura")
	for range 5 {
		if err := x.ChangePassword(ctx, x.actor(u), "tebakan", "es teh manis sekali", ""); kind(err) != pendopo.KindInvalid {
			t.Fatalf("wrong current password: %v", err)
		}
	}
	if _, err := x.DeleteAccount(ctx, x.actor(u), "sate ayam madura"); kind(err) != pendopo.KindRateLimited {
		t.Errorf("sixth try: %v", err)
	}
}

// TestRegistrationTiming: registering a taken login does the same work as
// a new one (a password hash each), and neither registration nor a reset
// request waits for the message to be sent.
func TestRegistrationTiming(t *testing.T) {
	x := newAccounts(t)
	x.citizen(t, "Budi", "budi@contoh.id", "sate ayam madura")
	slow := &blockingSender{release: make(chan struct{})}
	x.SetMail(slow)
	for _, login := range []string{"budi@contoh.id", "baru@contoh.id"} {
		before := app.PasswordHashes(x.App)
		if _, err := x.Register(ctx, app.Registration{Name: "Siapa", Login: login, Password: "sate kambing muda"}, "10.0.0.2"); err != nil {
			t.Fatalf("register %s: %v", login, err)
		}
		if n := app.PasswordHashes(x.App) - before; n != 1 {
			t.Errorf("register %s hashed %d times, want 1", login, n)
		}
	}
	for _, login := range []string{"budi@contoh.id", "siapa@contoh.id"} {
		if err := x.RequestPasswordReset(ctx, login, "10.0.0.3"); err != nil {
			t.Errorf("reset %s: %v", login, err)
		}
	}
	if err := x.ResendCode(ctx, "baru@contoh.id", "10.0.0.3"); err != nil {
		t.Errorf("resend: %v", err)
	}
	// Every answer came while the mail server still held the messages.
	close(slow.release)
	x.Outbox().WaitDetached()
	want := map[string]int{"budi@contoh.id": 2, "baru@contoh.id": 2}
	if got := slow.counts(); !maps.Equal(got, want) {
		t.Errorf("sent %v, want %v", got, want)
	}
}

// blockingSender holds every message until release is closed.
type blockingSender struct {
	release chan struct{}
	mu      sync.Mutex
	to      []string
}

func (s *blockingSender) Send(ctx context.Context, m notify.Message) error {
	select {
	case <-s.release:
	case <-ctx.Done():
		return ctx.Err()
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.to = append(s.to, m.To)
	return nil
}

func (s *blockingSender) counts() map[string]int {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := map[string]int{}
	for _, to := range s.to {
		out[to]++
	}
	return out
}

func TestPasswordResetAndSessions(t *testing.T) {
	x := newAccounts(t)
	u := x.citizen(t, "Budi", "budi@contoh.id", "sate ayam madura")
	s1, _, _ := x.Login(ctx, "budi@contoh.id", "sate ayam madura", "10.0.0.1", "ponsel")
	s2, _, _ := x.Login(ctx, "budi@contoh.id", "sate ayam madura", "10.0.0.2", "laptop")
	who, _, _ := x.SessionActor(ctx, s1, "10.0.0.1")
	if l, _ := x.Sessions(ctx, who); len(l) != 2 {
		t.Fatalf("sessions: %d", len(l))
	}
	if err := x.LogoutElsewhere(ctx, who, s1); err != nil {
		t.Fatal(err)
	}
	if _, _, err := x.SessionActor(ctx, s2, ""); err == nil {
		t.Error("other session survived logging out elsewhere")
	}
	if _, _, err := x.SessionActor(ctx, s1, ""); err != nil {
		t.Errorf("current session ended: %v", err)
	}
	if err := x.ChangePassword(ctx, who, "salah", "es teh manis sekali", s1); kind(err) != pendopo.KindInvalid {
		t.Errorf("change with a wrong password: %v", err)
	}
	if err := x.ChangePassword(ctx, who, "sate ayam madura", "es teh manis sekali", s1); err != nil {
		t.Fatal(err)
	}
	if err := x.RequestPasswordReset(ctx, "budi@contoh.id", "10.0.0.1"); err != nil {
		t.Fatal(err)
	}
	code := x.code(t, "budi@contoh.id")
	if err := x.ResetPassword(ctx, "budi@contoh.id", code, "123", "10.0.0.1"); kind(err) != pendopo.KindInvalid {
		t.Errorf("weak new password: %v", err)
	}
	if err := x.ResetPassword(ctx, "budi@contoh.id", "999999", "gado gado enak", "10.0.0.1"); kind(err) != pendopo.KindInvalid {
		t.Errorf("wrong reset code: %v", err)
	}
	if err := x.ResetPassword(ctx, "budi@contoh.id", code, "gado gado enak", "10.0.0.1"); err != nil {
		t.Fatal(err)
	}
	if _, _, err := x.SessionActor(ctx, s1, ""); err == nil {
		t.Error("sessions survive a password reset")
	}
	if _, _, err := x.Login(ctx, "budi@contoh.id", "gado gado enak", "10.0.0.1", ""); err != nil {
		t.Errorf("new password: %v", err)
	}
	// Sessions end after SessionIdle without use.
	s3, _, _ := x.Login(ctx, "budi@contoh.id", "gado gado enak", "10.0.0.1", "")
	*x.clock = x.clock.Add(app.SessionIdle + time.Minute)
	if _, _, err := x.SessionActor(ctx, s3, ""); err == nil {
		t.Error("idle session still valid")
	}
	_ = u
}

func TestNIKAndPersonalData(t *testing.T) {
	x := newAccounts(t)
	u := x.citizen(t, "Budi", "budi@contoh.id", "sate ayam madura")
	secret, _, _ := x.Login(ctx, "budi@contoh.id", "sate ayam madura", "10.0.0.1", "")
	who, _, _ := x.SessionActor(ctx, secret, "10.0.0.1")
	if _, err := x.SetNIK(ctx, who, "3374011708450000"); kind(err) != pendopo.KindInvalid {
		t.Errorf("serial 0000 accepted: %v", err)
	}
	warn, err := x.SetNIK(ctx, who, "3374 0117 0845 0001")
	if err != nil || warn != (pendopo.Text{}) {
		t.Fatalf("set NIK: %v %v", warn, err)
	}
	// Stored encrypted: the database never holds the digits.
	enc, _ := x.store.UserNIK(ctx, u.ID)
	if len(enc) == 0 || strings.Contains(string(enc), "3374011708450001") {
		t.Errorf("NIK not encrypted at rest: %q", enc)
	}
	if m, _ := x.MaskedNIK(ctx, u.ID); m != "3374********0001" {
		t.Errorf("masked = %q", m)
	}
	// Nor does the audit trail.
	log, _, _ := x.store.AuditLog(ctx, pendopo.AuditFilter{ActorUser: u.ID})
	for _, e := range log {
		if strings.Contains(e.Diff, "17084500") {
			t.Errorf("audit holds the NIK: %s", e.Diff)
		}
	}
	if warn, err := x.SetNIK(ctx, who, "9101011708450001"); err != nil || warn == (pendopo.Text{}) {
		t.Errorf("old Papua code: warning %v, err %v", warn, err)
	}
	exp, err := x.ExportMyData(ctx, who)
	if err != nil {
		t.Fatal(err)
	}
	data, _ := json.Marshal(exp.Index)
	var d app.MyData
	if err := json.Unmarshal(data, &d); err != nil || d.Account.Email != "budi@contoh.id" || d.NIK != "9101011708450001" || len(d.Sessions) != 1 || len(d.Activity) < 2 {
		t.Errorf("export: %s", data)
	}
	if len(d.Sessions) > 0 && d.Sessions[0].Hash != "" {
		t.Error("export leaks session hashes")
	}
	if _, err := x.DeleteAccount(ctx, who, "salah"); kind(err) != pendopo.KindInvalid {
		t.Errorf("delete with a wrong password: %v", err)
	}
	if _, err := x.DeleteAccount(ctx, who, "sate ayam madura"); err != nil {
		t.Fatal(err)
	}
	if _, _, err := x.Login(ctx, "budi@contoh.id", "sate ayam madura", "10.0.0.1", ""); kind(err) != pendopo.KindUnauthorized {
		t.Errorf("erased account signs in: %v", err)
	}
	if _, _, err := x.SessionActor(ctx, secret, ""); err == nil {
		t.Error("erased account's session lives")
	}
	// The address can be used again; the audit trail still verifies.
	x.citizen(t, "Budi Baru", "budi@contoh.id", "sate ayam madura")
	if r, err := x.VerifyAudit(ctx); err != nil || r.Break != nil {
		t.Errorf("audit after erasure: %+v %v", r, err)
	}
}

func TestDirSender(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "kotak")
	s := notify.DirSender{Dir: dir}
	for _, to := range []string{"a@contoh.test", "+6281234567890", "../jahat"} {
		if err := s.Send(context.Background(), notify.Message{To: to, Subject: "Kode", Body: "Kode Anda 123456"}); err != nil {
			t.Fatal(err)
		}
	}
	files, err := os.ReadDir(dir)
	if err != nil || len(files) != 3 {
		t.Fatalf("%v %v", err, files)
	}
	for _, f := range files {
		b, _ := os.ReadFile(filepath.Join(dir, f.Name()))
		if !strings.Contains(string(b), "Kode Anda 123456") || strings.Contains(f.Name(), "/") {
			t.Errorf("%s: %q", f.Name(), b)
		}
	}
}

// TestCitizensCannotReadEachOther: a citizen's actor gets nothing of
// another citizen's data, and their export holds only their own.
func TestCitizensCannotReadEachOther(t *testing.T) {
	x := newAccounts(t)
	a := x.citizen(t, "Ani", "ani@contoh.id", "sate ayam madura")
	b := x.citizen(t, "Budi", "budi@contoh.id", "soto kudus enak")
	if _, err := x.SetNIK(ctx, pendopo.Actor{Name: "Budi", UserID: b.ID}, "3374011708450001"); err != nil {
		t.Fatal(err)
	}
	ani := pendopo.Actor{Name: "Ani", UserID: a.ID}
	if _, err := x.ReadPersonalData(ctx, ani, b.ID); kind(err) != pendopo.KindForbidden {
		t.Errorf("citizen reads another citizen: %v", err)
	}
	exp, err := x.ExportMyData(ctx, ani)
	if err != nil {
		t.Fatal(err)
	}
	data, _ := json.Marshal(exp.Index)
	if strings.Contains(string(data), "budi@contoh.id") || strings.Contains(string(data), "3374011708450001") {
		t.Errorf("Ani's export holds Budi's data: %s", data)
	}
}
