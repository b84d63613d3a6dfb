package app_test

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/pendopo/pendopo"
	"github.com/pendopo/pendopo/internal/app"
	"github.com/pendopo/pendopo/internal/apptest"
	"github.com/pendopo/pendopo/internal/blob"
	"github.com/pendopo/pendopo/internal/pendopotest"
	"github.com/pendopo/pendopo/internal/store"
)

// otherKey is a secret key that is not the tests' own.
var otherKey = []byte("another-key-of-thirty-two-bytes!")

// TestSecretKeyCheck: the first start stores the key's check value, and a
// start with another key is refused before anything is written.
func TestSecretKeyCheck(t *testing.T) {
	db := pendopotest.DB(t)
	cfg, _ := apptest.Config(db, now)
	if held, err := app.HoldsSealedData(ctx, db); err != nil || held {
		t.Fatalf("a new database holds sealed data: %v %v", held, err)
	}
	a, err := app.New(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if v, err := db.Setting(ctx, app.KeyCheckSetting); err != nil || v != app.KeyCheck(apptest.SecretKey) {
		t.Fatalf("check value after the first start: %q %v", v, err)
	}
	if held, err := app.HoldsSealedData(ctx, db); err != nil || !held {
		t.Errorf("the check value alone does not count as sealed data: %v %v", held, err)
	}
	if err := a.Ready(ctx); err != nil {
		t.Fatalf("ready: %v", err)
	}
	cfg.SecretKey = otherKey
	if _, err := app.New(ctx, cfg); !errors.Is(err, app.ErrWrongSecretKey) {
		t.Fatalf("a second start with another key: %v", err)
	}
	if v, _ := db.Setting(ctx, app.KeyCheckSetting); v != app.KeyCheck(apptest.SecretKey) {
		t.Error("the refused start changed the check value")
	}
	// Someone rotated the key under a running instance: it is no longer
	// ready, since what it seals now nobody could open.
	if _, err := app.Reseal(ctx, db, now, otherKey, apptest.SecretKey); err != nil {
		t.Fatal(err)
	}
	if err := a.Ready(ctx); kind(err) != pendopo.KindUnavailable || !strings.Contains(err.Error(), "secret key changed") {
		t.Errorf("ready after the key changed underneath: %v", err)
	}
}

// legacy is a database from before key checks: it has no check value.
type legacy struct{ *store.DB }

func (l legacy) Setting(ctx context.Context, key string) (string, error) {
	if key == app.KeyCheckSetting {
		return "", pendopo.ErrNotFound
	}
	return l.DB.Setting(ctx, key)
}

func (l legacy) AddSetting(ctx context.Context, key, value string) error {
	if key == app.KeyCheckSetting {
		return nil
	}
	return l.DB.AddSetting(ctx, key, value)
}

// TestSecretKeyCheckLegacy: without a check value, the key must open the
// sealed data already there.
func TestSecretKeyCheckLegacy(t *testing.T) {
	x := newAccounts(t)
	u := x.citizen(t, "Budi", "budi@contoh.id", "sate ayam madura")
	if _, err := x.SetNIK(ctx, pendopo.Actor{Name: "Budi", UserID: u.ID}, "3374011708450001"); err != nil {
		t.Fatal(err)
	}
	old := legacy{x.store.(*store.DB)}
	if err := app.CheckSecretKey(ctx, old, otherKey); !errors.Is(err, app.ErrWrongSecretKey) || !strings.Contains(err.Error(), "NIK of") {
		t.Errorf("another key on a database with a NIK: %v", err)
	}
	if err := app.CheckSecretKey(ctx, old, apptest.SecretKey); err != nil {
		t.Errorf("the right key: %v", err)
	}
	if held, err := app.HoldsSealedData(ctx, old); err != nil || !held {
		t.Errorf("a NIK is sealed data: %v %v", held, err)
	}
}

// TestSecretKeyRotation re-seals every kind of sealed value under a new
// key: afterwards the old key is refused, the new one reads everything
// (NIK, application answers, signing keys, reporters, the keyed hash a
// reporter's reports are found by), running it again changes nothing,
// and a failure midway leaves everything under the key it was under.
func TestSecretKeyRotation(t *testing.T) {
	f := newAppFixture(t)
	if _, err := f.SetNIK(ctx, f.budi, "3374011708450001"); err != nil {
		t.Fatal(err)
	}
	doc := f.completed(t)
	draft := f.filled(t, "draf")
	// 33.74 takes reports only with a coordinator.
	staff(t, f.accounts, "Koordinator", pendopo.RoleRegionAdmin, "")
	rf := reportFixture{accounts: f.accounts, budi: f.budi}
	anon, err := rf.SubmitReport(ctx, f.budi, "33.74", streetLight(pendopo.PrivacyAnonymous, ""), "")
	if err != nil {
		t.Fatal(err)
	}
	byContact, err := rf.SubmitReport(ctx, pendopo.Actor{}, "33.74", streetLight(pendopo.PrivacyPublic, "warga@contoh.id"), "")
	if err != nil {
		t.Fatal(err)
	}

	// The audit log's checkpoint key.
	vkey, err := f.AuditVerifierKey(ctx)
	if err != nil {
		t.Fatal(err)
	}

	counts, err := app.Reseal(ctx, f.store, now, otherKey, apptest.SecretKey)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range counts {
		if c.Resealed == 0 || c.Kept != 0 {
			t.Errorf("%s: %d resealed, %d kept", c.Kind, c.Resealed, c.Kept)
		}
	}
	cfg, _ := apptest.Config(f.store, now)
	cfg.Blobs = blob.Dir{Path: t.TempDir()}
	if _, err := app.New(ctx, cfg); !errors.Is(err, app.ErrWrongSecretKey) {
		t.Fatalf("the old key after rotation: %v", err)
	}
	b := newAppWithKey(t, f, otherKey)
	// The rotation is in the audit trail, which still verifies.
	if log, _, err := f.store.AuditLog(ctx, pendopo.AuditFilter{Action: "secret_key.reseal"}); err != nil || len(log) != 1 || !strings.Contains(log[0].Diff, `"reporter":2`) {
		t.Errorf("audit of the rotation: %+v %v", log, err)
	}
	if v, err := b.VerifyAudit(ctx); err != nil || v.Break != nil {
		t.Errorf("audit trail after the rotation: %+v %v", v, err)
	}
	if m, err := b.MaskedNIK(ctx, f.budi.UserID); err != nil || m != "3374********0001" {
		t.Errorf("NIK under the new key: %q %v", m, err)
	}
	if v, err := b.Application(ctx, f.budi, draft.Number); err != nil || v.Answers["nama"][0] != "Budi Santoso" {
		t.Errorf("answers under the new key: %v", err)
	}
	if v, err := b.VerifyCode(ctx, doc.Document); err != nil || !v.Authentic {
		t.Errorf("the document issued before: %+v %v", v, err)
	}
	mine, _, err := b.MyReports(ctx, f.budi, pendopo.Page{})
	if err != nil || len(mine) != 1 || mine[0].Number != anon.Number {
		t.Errorf("Budi's reports found by the new keyed hash: %v %v", mine, err)
	}
	// A reporter's key is kept hashed without the instance key, so it still
	// opens the report, and the sealed contact opens under the new key.
	if v, err := b.ReportFor(ctx, pendopo.Actor{}, byContact.Number, byContact.Secret); err != nil || !v.Mine || v.ReporterContact != "warga@contoh.id" {
		t.Errorf("a reporter by key after the rotation: %+v %v", v, err)
	}
	// The checkpoint key opens and is the same key.
	if cp, err := b.SignAuditCheckpoint(ctx); err != nil {
		t.Errorf("checkpoint under the new key: %v", err)
	} else if _, _, err := app.OpenCheckpoint(cp, vkey); err != nil {
		t.Errorf("the checkpoint key changed with the secret key: %v", err)
	}
	// The region's signing key opens: the next document is signed.
	g := f
	g.accounts.App = b
	if next := g.completed(t); next.Document == "" {
		t.Error("no document signed after rotation")
	}

	// Again, as after a crash once the transaction committed: nothing to do.
	counts, err = app.Reseal(ctx, f.store, now, otherKey, apptest.SecretKey)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range counts {
		if c.Resealed != 0 {
			t.Errorf("second run re-sealed %d %s values", c.Resealed, c.Kind)
		}
	}

	// A value that opens with neither key stops a rotation midway (after
	// NIKs were re-sealed in the transaction): nothing changes.
	if err := f.store.SetUserNIK(ctx, f.sari.UserID, bytes.Repeat([]byte{7}, 40), now); err != nil {
		t.Fatal(err)
	}
	third := []byte("a-third-key-of-thirty-two-bytes!")
	if _, err := app.Reseal(ctx, f.store, now, third, otherKey); err == nil || !strings.Contains(err.Error(), "none of the keys") {
		t.Fatalf("a value no key opens: %v", err)
	}
	if m, err := b.MaskedNIK(ctx, f.budi.UserID); err != nil || m != "3374********0001" {
		t.Errorf("NIK after the failed rotation: %q %v", m, err)
	}
	if err := app.CheckSecretKey(ctx, f.store, otherKey); err != nil {
		t.Errorf("check value after the failed rotation: %v", err)
	}
	r, err := b.CheckSealed(ctx, 5)
	if err != nil || r.Bad != 1 || len(r.Sample) != 1 || !strings.HasPrefix(r.Sample[0], "NIK ") || r.Checked < 5 {
		t.Errorf("doctor's count of values that do not open: %+v %v", r, err)
	}
}

func newAppWithKey(t *testing.T, f appFixture, key []byte) *app.App {
	t.Helper()
	cfg, _ := apptest.Config(f.store, now)
	cfg.SecretKey = key
	cfg.Blobs = blob.Dir{Path: t.TempDir()}
	b, err := app.New(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
