package store_test

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/pendopo/pendopo"
	"github.com/pendopo/pendopo/internal/pendopotest"
	"github.com/pendopo/pendopo/internal/store"
)

var t0 = time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC)

// TestQuickCheckRefusesDamage: a SQLite file with damaged pages opens
// and migrates as if nothing were wrong, which is why serve starts with
// quick_check; the check refuses it, naming the file.
func TestQuickCheckRefusesDamage(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	db, err := store.Open(ctx, "", dir)
	if err != nil {
		t.Fatal(err)
	}
	pendopotest.SeedNational(t, db)
	if err := db.QuickCheck(ctx); err != nil {
		t.Fatalf("a sound file: %v", err)
	}
	db.Close()
	path := filepath.Join(dir, "pendopo.db")
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	// Overwrite the headers of pages near the end of the file, where the
	// regions' rows went after the migrations made every table.
	const page = 4096
	for p := len(b)/page - 10; p < len(b)/page-2; p++ {
		copy(b[p*page:], bytes.Repeat([]byte{0xee}, 16))
	}
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
	plain, err := store.Open(ctx, "", dir)
	if err != nil {
		t.Fatalf("the damage was not even subtle: %v", err)
	}
	plain.Close()
	_, err = store.OpenWith(ctx, "", dir, store.Options{QuickCheck: true})
	var damaged *store.DamagedError
	if !errors.As(err, &damaged) || damaged.Path != path || !strings.Contains(err.Error(), path) || len(damaged.Problems) == 0 {
		t.Fatalf("open with quick_check: %v", err)
	}
	raw, err := store.OpenWith(ctx, "", dir, store.Options{NoMigrate: true, MustExist: true})
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	if err := raw.IntegrityCheck(ctx); !errors.As(err, &damaged) || damaged.Check != "integrity_check" {
		t.Errorf("integrity_check: %v", err)
	}
	if _, err := store.OpenWith(ctx, "", t.TempDir(), store.Options{MustExist: true}); err == nil {
		t.Error("MustExist made a new database")
	}
}

// TestWriteError: a transaction refused for lack of space is remembered
// until one commits again; a conflict says nothing about the storage.
func TestWriteError(t *testing.T) {
	ctx := context.Background()
	db := pendopotest.SQLite(t)
	var pages int
	if err := db.Writer().QueryRow("PRAGMA page_count").Scan(&pages); err != nil {
		t.Fatal(err)
	}
	// The file may not grow: as on a full disk.
	if _, err := db.Writer().Exec("PRAGMA max_page_count = " + itoa(pages)); err != nil {
		t.Fatal(err)
	}
	big := strings.Repeat("x", 1<<20)
	err := db.InTx(ctx, func(s pendopo.Store) error { return s.PutSetting(ctx, "besar", big) })
	if err == nil || db.WriteError() == nil || !strings.Contains(db.WriteError().Error(), "full") {
		t.Fatalf("a write past the end of the disk: %v, remembered %v", err, db.WriteError())
	}
	if err := db.InTx(ctx, func(s pendopo.Store) error { return s.AddSetting(ctx, "a", "1") }); err != nil {
		t.Fatal(err)
	}
	if db.WriteError() != nil {
		t.Errorf("a commit did not clear it: %v", db.WriteError())
	}
	if err := db.InTx(ctx, func(s pendopo.Store) error { return s.AddSetting(ctx, "a", "2") }); !errors.Is(err, pendopo.ErrConflict) || db.WriteError() != nil {
		t.Errorf("a conflict: %v, remembered %v", err, db.WriteError())
	}
}

func itoa(n int) string { return strconv.Itoa(n) }

func fmtInt(n int) string { return strconv.Itoa(n) }

// TestReadOnlyPostgres: a PostgreSQL server that takes no writes (a
// standby, or one set read-only) is remembered as refusing them.
func TestReadOnlyPostgres(t *testing.T) {
	ctx := context.Background()
	url := pendopotest.PostgresURL(t)
	db, err := store.Open(ctx, url, "")
	if err != nil {
		t.Fatal(err)
	}
	db.Close()
	ro, err := store.OpenWith(ctx, url+"&default_transaction_read_only=on", "", store.Options{NoMigrate: true})
	if err != nil {
		t.Fatal(err)
	}
	defer ro.Close()
	if err := ro.InTx(ctx, func(s pendopo.Store) error { return s.PutSetting(ctx, "a", "1") }); err == nil || ro.WriteError() == nil {
		t.Errorf("a write to a read-only server: %v, remembered %v", err, ro.WriteError())
	}
}

// TestEachSealed walks a sealed column in pages and replaces values and
// their derived columns.
func TestEachSealed(t *testing.T) {
	ctx := context.Background()
	db := pendopotest.DB(t)
	pendopotest.SeedNational(t, db)
	var ids []int64
	for i := range 1203 {
		u, err := db.CreateUser(ctx, pendopo.User{Name: "Warga", Email: "w" + fmtInt(i) + "@contoh.id"}, "", t0)
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, u.ID)
		if i%3 != 0 {
			if err := db.SetUserNIK(ctx, u.ID, []byte("nik-"+fmtInt(int(u.ID))), t0); err != nil {
				t.Fatal(err)
			}
		}
	}
	col := pendopo.SealedColumn{Table: "users", Key: "id", Value: "nik_enc"}
	var seen []string
	err := db.InTx(ctx, func(s pendopo.Store) error {
		return s.EachSealed(ctx, col, func(key string, v []byte) (pendopo.Resealed, error) {
			if string(v) != "nik-"+key {
				t.Errorf("row %s holds %q", key, v)
			}
			seen = append(seen, key)
			return pendopo.Resealed{Value: append([]byte("new-"), v...)}, nil
		})
	})
	if err != nil || len(seen) != 802 {
		t.Fatalf("visited %d of 802: %v", len(seen), err)
	}
	if v, _ := db.UserNIK(ctx, ids[1]); string(v) != "new-nik-"+fmtInt(int(ids[1])) {
		t.Errorf("replaced value: %q", v)
	}
	stop := errors.New("stop")
	n := 0
	err = db.EachSealed(ctx, col, func(string, []byte) (pendopo.Resealed, error) { n++; return pendopo.Resealed{}, stop })
	if !errors.Is(err, stop) || n != 1 {
		t.Errorf("stopping: %d %v", n, err)
	}
	if err := db.EachSealed(ctx, pendopo.SealedColumn{Table: "users; DROP TABLE users", Key: "id", Value: "nik_enc"}, nil); err == nil {
		t.Error("a bad table name was used")
	}
	if err := db.AddSetting(ctx, "k", "1"); err != nil {
		t.Fatal(err)
	}
	if err := db.AddSetting(ctx, "k", "2"); !errors.Is(err, pendopo.ErrConflict) {
		t.Errorf("the same setting twice: %v", err)
	}
}

// TestSnapshotRoundTrip copies a database with Snapshot and loads the
// copy into a new, empty place: every row is there, ids go on from where
// they were, and a non-empty target is refused.
func TestSnapshotRoundTrip(t *testing.T) {
	ctx := context.Background()
	src := pendopotest.DB(t)
	pendopotest.SeedNational(t, src)
	tok, err := src.CreateToken(ctx, pendopo.Token{Name: "integrasi", Hash: "h1", CreatedAt: t0})
	if err != nil {
		t.Fatal(err)
	}
	u, err := src.CreateUser(ctx, pendopo.User{Name: "Warga", Email: "warga@contoh.id"}, "", t0)
	if err != nil {
		t.Fatal(err)
	}
	if err := src.SetUserNIK(ctx, u.ID, []byte{0, 1, 2, 255}, t0); err != nil {
		t.Fatal(err)
	}
	if err := src.PutSetting(ctx, "synonyms", "ktp, kartu tanda penduduk\n'quoted'\ttab\\backslash"); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	snap, err := src.Snapshot(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	known, _ := store.KnownMigrations(src.Dialect())
	if snap.Dialect != src.Dialect() || !slices.Equal(snap.Migrations, known) || len(snap.Files) == 0 {
		t.Fatalf("snapshot: %+v", snap)
	}
	var dst *store.DB
	if src.Dialect() == "sqlite" {
		target := filepath.Join(t.TempDir(), "pulih", "pendopo.db")
		if err := store.PlaceSQLite(filepath.Join(dir, snap.Files[0]), target); err != nil {
			t.Fatal(err)
		}
		if err := store.PlaceSQLite(filepath.Join(dir, snap.Files[0]), target); err == nil {
			t.Error("placed over an existing database")
		}
		if dst, err = store.Open(ctx, "sqlite:"+target, ""); err != nil {
			t.Fatal(err)
		}
	} else {
		url := pendopotest.PostgresURL(t)
		if dst, err = store.OpenWith(ctx, url, "", store.Options{NoMigrate: true}); err != nil {
			t.Fatal(err)
		}
		if err := dst.LoadSnapshot(ctx, dir, snap); err != nil {
			t.Fatal(err)
		}
		if err := dst.LoadSnapshot(ctx, dir, snap); err == nil || !strings.Contains(err.Error(), "not empty") {
			t.Errorf("a second load into the same database: %v", err)
		}
		newer := snap
		newer.Migrations = append(slices.Clone(snap.Migrations), "9999_from_the_future")
		empty, _ := store.OpenWith(ctx, pendopotest.PostgresURL(t), "", store.Options{NoMigrate: true})
		defer empty.Close()
		if err := empty.LoadSnapshot(ctx, dir, newer); err == nil || !strings.Contains(err.Error(), "9999_from_the_future") {
			t.Errorf("a snapshot from a newer Pendopo: %v", err)
		}
	}
	defer dst.Close()
	if pending, err := dst.PendingMigrations(ctx); err != nil || len(pending) != 0 {
		t.Errorf("pending after the load: %v %v", pending, err)
	}
	if toks, err := dst.Tokens(ctx); err != nil || len(toks) != 1 || toks[0].ID != tok.ID || !toks[0].CreatedAt.Equal(t0) {
		t.Errorf("tokens: %+v %v", toks, err)
	}
	if v, err := dst.UserNIK(ctx, u.ID); err != nil || !bytes.Equal(v, []byte{0, 1, 2, 255}) {
		t.Errorf("bytes: %v %v", v, err)
	}
	if v, _ := dst.Setting(ctx, "synonyms"); v != "ktp, kartu tanda penduduk\n'quoted'\ttab\\backslash" {
		t.Errorf("text: %q", v)
	}
	if st, err := dst.Stats(ctx); err != nil || st.Regions < 500 {
		t.Errorf("regions: %+v %v", st, err)
	}
	// Ids go on after the loaded ones.
	next, err := dst.CreateToken(ctx, pendopo.Token{Name: "lagi", Hash: "h2", CreatedAt: t0})
	if err != nil || next.ID <= tok.ID {
		t.Errorf("the next token: %+v %v", next, err)
	}
	if addrs, err := dst.BlobAddrs(ctx); err != nil || len(addrs) != 0 {
		t.Errorf("files: %v %v", addrs, err)
	}
}
