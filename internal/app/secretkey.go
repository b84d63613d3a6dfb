package app

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/pendopo/pendopo"
)

// KeyCheckSetting is the setting that holds the secret key's check value.
const KeyCheckSetting = "secret_key_check"

// KeyCheck is the check value of a secret key: a keyed hash of a fixed
// text, stored in the database at the first start, so that a start with
// another key (a restore without its key file, a second instance with a
// key of its own) is refused before anything is sealed under it. It
// reveals nothing of the key.
func KeyCheck(key []byte) string {
	h := hmac.New(sha256.New, key)
	h.Write([]byte("pendopo key check v1"))
	return base64.StdEncoding.EncodeToString(h.Sum(nil))
}

// ErrWrongSecretKey is a secret key that is not the one the database's
// personal data were sealed with. The command line names the key file.
var ErrWrongSecretKey = errors.New("the secret key is not the one this database's personal data were sealed with")

// sealedKind is one kind of value kept in the database sealed with the
// secret key.
type sealedKind struct {
	name   string
	column pendopo.SealedColumn
	// context is the sealing context of the row whose key column is key.
	context func(key string) string
	// derive computes the column's Derived values again with s from the
	// opened value, when a value is sealed under a new key.
	derive func(s *sealer, key, plain string) ([]string, error)
}

// sealedKinds are all the kinds of sealed values the database keeps:
// the key checks try them, and rotating the key re-seals them. A new kind
// is one line here. Transient sealed values (single sign-on cookies,
// reporters' passes) are not kept and simply stop working after a
// rotation.
var sealedKinds = []sealedKind{
	{"NIK", pendopo.SealedColumn{Table: "users", Key: "id", Value: "nik_enc"}, func(k string) string { return "nik:" + k }, nil},
	{"application", pendopo.SealedColumn{Table: "applications", Key: "number", Value: "answers"}, func(k string) string { return "application:" + k }, nil},
	{"signing key", pendopo.SealedColumn{Table: "signing_keys", Key: "id", Value: "sealed"}, func(k string) string { return "signing-key:" + k }, nil},
	{"reporter", pendopo.SealedColumn{Table: "reports", Key: "number", Value: "sealed", Derived: []string{"reporter_key"}}, func(k string) string { return "report:" + k }, deriveReporterKey},
	{"audit key", pendopo.SealedColumn{Table: "audit_keys", Key: "id", Value: "sealed"}, func(k string) string { return auditKeySeal + k }, nil},
}

// deriveReporterKey is the keyed hash a report's reporter is found by,
// computed as SubmitReport does.
func deriveReporterKey(s *sealer, _ string, plain string) ([]string, error) {
	var rp reporter
	if err := json.Unmarshal([]byte(plain), &rp); err != nil {
		return nil, err
	}
	return []string{(&App{sealer: s}).reporterKey(rp.UserID, rp.Contact)}, nil
}

// errStop ends a walk over sealed values early.
var errStop = errors.New("stop")

// firstSealed returns the first sealed value of kind k, or ok false.
func firstSealed(ctx context.Context, s pendopo.Store, k sealedKind) (key string, sealed []byte, ok bool, err error) {
	err = s.EachSealed(ctx, k.column, func(kk string, v []byte) (pendopo.Resealed, error) {
		key, sealed, ok = kk, v, true
		return pendopo.Resealed{}, errStop
	})
	if errors.Is(err, errStop) {
		err = nil
	}
	return key, sealed, ok, err
}

// HoldsSealedData says whether the database already depends on a secret
// key: it has a key check value, or a value sealed with some key. A
// missing key file must then not be replaced by a new key.
func HoldsSealedData(ctx context.Context, s pendopo.Store) (bool, error) {
	if _, err := s.Setting(ctx, KeyCheckSetting); err == nil {
		return true, nil
	} else if !errors.Is(err, pendopo.ErrNotFound) {
		return false, err
	}
	for _, k := range sealedKinds {
		_, _, ok, err := firstSealed(ctx, s, k)
		if err != nil || ok {
			return ok, err
		}
	}
	return false, nil
}

// CheckSecretKey makes sure key is the database's: it must match the
// stored check value. A database without one (new, or from before key
// checks) gets it, once the first value of every sealed kind opened with
// key. A mismatch is ErrWrongSecretKey.
func CheckSecretKey(ctx context.Context, s pendopo.Store, key []byte) error {
	want := KeyCheck(key)
	for try := 0; ; try++ {
		got, err := s.Setting(ctx, KeyCheckSetting)
		if err == nil {
			if !hmac.Equal([]byte(got), []byte(want)) {
				return ErrWrongSecretKey
			}
			return nil
		}
		if !errors.Is(err, pendopo.ErrNotFound) {
			return fmt.Errorf("read the secret key's check value: %w", err)
		}
		sl, err := newSealer(key)
		if err != nil {
			return err
		}
		for _, k := range sealedKinds {
			id, v, ok, err := firstSealed(ctx, s, k)
			if err != nil {
				return err
			}
			if ok {
				if _, err := sl.open(v, k.context(id)); err != nil {
					return fmt.Errorf("%w (the %s of %s does not open)", ErrWrongSecretKey, k.name, id)
				}
			}
		}
		err = s.AddSetting(ctx, KeyCheckSetting, want)
		if errors.Is(err, pendopo.ErrConflict) && try == 0 {
			continue // another instance stored its check value first: compare with it
		}
		return err
	}
}

// ResealCount is what Reseal did to one kind of sealed value.
type ResealCount struct {
	Kind string
	// Resealed values were sealed again under the new key; Kept ones
	// already were under it.
	Resealed, Kept int
}

// Reseal puts every sealed value in the database under the key to: a
// value that opens with to stays, one that opens with a key of from is
// sealed again under to (with its keyed hashes computed again), and to's
// check value replaces the stored one, all in one transaction. A value
// that opens with none of the keys stops it and nothing changes. This is
// both rotation (to is the new key, from the current one) and its repair
// (to is the current key, from an older one that a stale instance kept
// using), and running it again after a crash is harmless: either all of
// it landed or none. The audit trail records it, at time at, in the same
// transaction.
func Reseal(ctx context.Context, s pendopo.Store, at time.Time, to []byte, from ...[]byte) ([]ResealCount, error) {
	toS, err := newSealer(to)
	if err != nil {
		return nil, err
	}
	var fromS []*sealer
	for _, k := range from {
		sl, err := newSealer(k)
		if err != nil {
			return nil, err
		}
		fromS = append(fromS, sl)
	}
	var out []ResealCount
	err = s.InTx(ctx, func(tx pendopo.Store) error {
		out = out[:0]
		for _, k := range sealedKinds {
			c := ResealCount{Kind: k.name}
			err := tx.EachSealed(ctx, k.column, func(id string, v []byte) (pendopo.Resealed, error) {
				cx := k.context(id)
				if _, err := toS.open(v, cx); err == nil {
					c.Kept++
					return pendopo.Resealed{}, nil
				}
				for _, fs := range fromS {
					plain, err := fs.open(v, cx)
					if err != nil {
						continue
					}
					r := pendopo.Resealed{Value: toS.seal(plain, cx)}
					if k.derive != nil {
						if r.Derived, err = k.derive(toS, id, plain); err != nil {
							return r, fmt.Errorf("%s %s: %w", k.name, id, err)
						}
					}
					c.Resealed++
					return r, nil
				}
				return pendopo.Resealed{}, fmt.Errorf("the %s of %s opens with none of the keys; nothing was changed", k.name, id)
			})
			if err != nil {
				return err
			}
			out = append(out, c)
		}
		if err := tx.PutSetting(ctx, KeyCheckSetting, KeyCheck(to)); err != nil {
			return err
		}
		diff := map[string]int{}
		for _, c := range out {
			diff[c.Kind] = c.Resealed
		}
		b, _ := json.Marshal(map[string]any{"resealed": diff})
		_, err := tx.AppendAudit(ctx, pendopo.AuditEntry{At: at, Actor: pendopo.System.Name, Action: "secret_key.reseal", Entity: "secret_key", Diff: string(b)})
		return err
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// SealedReport is what CheckSealed found.
type SealedReport struct {
	Checked, Bad int
	// Sample names some of the values that do not open: kind and row.
	Sample []string
}

// CheckSealed opens every sealed value in the database with the app's
// key and counts those that do not open, naming up to sample of them.
// pendopo doctor runs it.
func (a *App) CheckSealed(ctx context.Context, sample int) (SealedReport, error) {
	var r SealedReport
	for _, k := range sealedKinds {
		err := a.store.EachSealed(ctx, k.column, func(id string, v []byte) (pendopo.Resealed, error) {
			r.Checked++
			if _, err := a.sealer.open(v, k.context(id)); err != nil {
				r.Bad++
				if len(r.Sample) < sample {
					r.Sample = append(r.Sample, k.name+" "+id)
				}
			}
			return pendopo.Resealed{}, nil
		})
		if err != nil {
			return r, err
		}
	}
	return r, nil
}
