package main

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/base64"
	"io"
	"log/slog"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/johannesboyne/gofakes3"
	"github.com/johannesboyne/gofakes3/backend/s3mem"

	"github.com/pendopo/pendopo"
	"github.com/pendopo/pendopo/internal/app"
	"github.com/pendopo/pendopo/internal/apptest"
	"github.com/pendopo/pendopo/internal/blob"
	"github.com/pendopo/pendopo/internal/demo"
	"github.com/pendopo/pendopo/internal/store"
)

// openEnv opens the database and app of a command-line environment
// whose key exists, as the commands would, with cheap password hashing.
func openEnv(t *testing.T, env map[string]string) (*app.App, *store.DB) {
	t.Helper()
	ctx := context.Background()
	db, err := store.Open(ctx, env["PENDOPO_DB"], env["PENDOPO_DATA"])
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	key := readTestKey(t, env)
	var files blob.Store = blob.Dir{Path: filepath.Join(env["PENDOPO_DATA"], "berkas")}
	if env["PENDOPO_FILES_S3_ENDPOINT"] != "" {
		files = blob.S3{Endpoint: env["PENDOPO_FILES_S3_ENDPOINT"], Bucket: env["PENDOPO_FILES_S3_BUCKET"], Region: "us-east-1", PathStyle: true,
			AccessKey: env["PENDOPO_FILES_S3_ACCESS_KEY"], SecretKey: env["PENDOPO_FILES_S3_SECRET_KEY"], Prefix: env["PENDOPO_FILES_S3_PREFIX"]}
	}
	a, err := app.New(ctx, app.Config{Store: db, SecretKey: key, Passwords: apptest.CheapPasswords,
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), BaseURL: "http://pendopo.test", Blobs: files})
	if err != nil {
		t.Fatal(err)
	}
	return a, db
}

func readTestKey(t *testing.T, env map[string]string) []byte {
	t.Helper()
	path := env["PENDOPO_SECRET_KEY_FILE"]
	if path == "" {
		path = filepath.Join(env["PENDOPO_DATA"], "secret.key")
	}
	key, err := readKeyFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return key
}

// seeded is a portal with the demo's content, accounts, applications
// (uploads, issued documents) and reports (photos); extra settings go
// into its environment.
func seeded(t *testing.T, extra ...string) map[string]string {
	t.Helper()
	env := dbEnv(t)
	for i := 0; i+1 < len(extra); i += 2 {
		env[extra[i]] = extra[i+1]
	}
	if _, _, err := cli(t, env, "", "token", "create", "--name", "awal"); err != nil {
		t.Fatal(err)
	}
	a, db := openEnv(t, env)
	ctx := context.Background()
	for _, step := range []func() error{
		func() error { _, err := demo.Load(ctx, a); return err },
		func() error { _, err := demo.AddAccounts(ctx, a, "sandi-demo-uji"); return err },
		func() error { _, err := demo.SeedApplications(ctx, a); return err },
		func() error { _, err := demo.SeedReports(ctx, a); return err },
	} {
		if err := step(); err != nil {
			t.Fatal(err)
		}
	}
	db.Close()
	return env
}

// counts are figures that a restore must give back unchanged.
func counts(t *testing.T, env map[string]string) (apps, reports int, audit int64, files []string, doc string) {
	t.Helper()
	a, db := openEnv(t, env)
	ctx := context.Background()
	list, n, err := db.Applications(ctx, pendopo.ApplicationFilter{Region: "33.74"})
	if err != nil {
		t.Fatal(err)
	}
	for _, x := range list {
		if x.Document != "" {
			doc = x.Document
		}
	}
	_, r, err := db.Reports(ctx, pendopo.ReportFilter{Region: "33.74"})
	if err != nil {
		t.Fatal(err)
	}
	v, err := a.VerifyAudit(ctx)
	if err != nil || v.Break != nil {
		t.Fatalf("audit: %+v %v", v, err)
	}
	if files, err = db.BlobAddrs(ctx); err != nil {
		t.Fatal(err)
	}
	if doc != "" {
		if ver, err := a.VerifyCode(ctx, doc); err != nil || !ver.Authentic {
			t.Errorf("document %s: %+v %v", doc, ver, err)
		}
	}
	db.Close()
	return n, r, v.Entries, files, doc
}

// restoreEnv is a new, empty place to restore into, on the same backend.
func restoreEnv(t *testing.T, src map[string]string) map[string]string {
	env := dbEnv(t)
	env["PENDOPO_DATA"] = filepath.Join(env["PENDOPO_DATA"], "pulih")
	return env
}

// TestBackupRestore backs a portal with applications, documents and
// photos up, restores it elsewhere and finds everything again; then the
// ways a restore must refuse.
func TestBackupRestore(t *testing.T) {
	src := seeded(t)
	apps, reports, audit, files, doc := counts(t, src)
	if apps == 0 || reports == 0 || len(files) == 0 || doc == "" {
		t.Fatalf("the seed made %d applications, %d reports, %d files, document %q", apps, reports, len(files), doc)
	}
	out := filepath.Join(t.TempDir(), "cadangan.tar.gz")
	stdout, stderr, err := cli(t, src, "", "backup", "--out", out)
	if err != nil || !strings.Contains(stdout, "backup written") || !strings.Contains(stderr, "SECRET KEY IS NOT IN THIS BACKUP") {
		t.Fatalf("backup: %v\n%s%s", err, stdout, stderr)
	}
	if _, _, err := cli(t, src, "", "backup", "--out", out); err == nil {
		t.Error("a backup overwrote another")
	}
	if stdout, _, err := cli(t, nil, "", "restore", "--check", out); err != nil || !strings.Contains(stdout, "is intact") {
		t.Errorf("restore --check: %v %s", err, stdout)
	}

	// Without the key, the restore refuses before it writes anything.
	dst := restoreEnv(t, src)
	if _, _, err := cli(t, dst, "", "restore", out); err == nil || !strings.Contains(err.Error(), "does not hold the secret key") {
		t.Fatalf("restore without a key: %v", err)
	}
	// Another key: refused, naming it.
	os.MkdirAll(dst["PENDOPO_DATA"], 0o750)
	dst["PENDOPO_SECRET_KEY"] = base64.StdEncoding.EncodeToString(bytes.Repeat([]byte{1}, 32))
	if _, _, err := cli(t, dst, "", "restore", out); err == nil || !strings.Contains(err.Error(), "PENDOPO_SECRET_KEY is not the secret key of this backup") {
		t.Fatalf("restore with another key: %v", err)
	}
	delete(dst, "PENDOPO_SECRET_KEY")
	key, _ := os.ReadFile(filepath.Join(src["PENDOPO_DATA"], "secret.key"))
	os.WriteFile(filepath.Join(dst["PENDOPO_DATA"], "secret.key"), key, 0o600)
	stdout, stderr, err = cli(t, dst, "", "restore", out)
	if err != nil || !strings.Contains(stdout, "Done.") || !strings.Contains(stdout, "audit trail") {
		t.Fatalf("restore: %v\n%s%s", err, stdout, stderr)
	}
	a2, r2, audit2, files2, _ := counts(t, dst)
	if a2 != apps || r2 != reports || audit2 < audit || len(files2) != len(files) {
		t.Errorf("restored %d applications, %d reports, %d audit entries, %d files; the source had %d, %d, %d, %d", a2, r2, audit2, len(files2), apps, reports, audit, len(files))
	}
	for _, f := range files {
		if _, err := os.Stat(dirFilePath(filepath.Join(dst["PENDOPO_DATA"], "berkas"), f)); err != nil {
			t.Errorf("file %s not restored", f)
		}
	}
	if stdout, _, err := cli(t, dst, "", "doctor"); err != nil || strings.Contains(stdout, "FAIL") {
		t.Errorf("doctor on the restored portal: %v\n%s", err, stdout)
	}
	// Not into a place that holds something.
	if _, _, err := cli(t, dst, "", "restore", out); err == nil || !strings.Contains(err.Error(), "not empty") {
		t.Errorf("restore over a restored portal: %v", err)
	}

	// With the key sealed in under a passphrase.
	withKey := filepath.Join(t.TempDir(), "dengan-kunci.tar.gz")
	if _, _, err := cli(t, src, "kopi\n", "backup", "--out", withKey, "--with-key", "--passphrase-stdin"); err == nil || !strings.Contains(err.Error(), "12 characters") {
		t.Errorf("a short passphrase: %v", err)
	}
	if stdout, stderr, err := cli(t, src, "kopi tubruk pagi hari\n", "backup", "--out", withKey, "--with-key", "--passphrase-stdin"); err != nil || strings.Contains(stderr, "NOT IN THIS BACKUP") {
		t.Fatalf("backup with the key: %v\n%s%s", err, stdout, stderr)
	}
	dst2 := restoreEnv(t, src)
	dst2["PENDOPO_BACKUP_PASSPHRASE"] = "kopi tubruk sore hari"
	if _, _, err := cli(t, dst2, "", "restore", withKey); err == nil || !strings.Contains(err.Error(), "passphrase does not open") {
		t.Fatalf("a wrong passphrase: %v", err)
	}
	if entries, _ := os.ReadDir(dst2["PENDOPO_DATA"]); len(entries) != 0 {
		t.Errorf("a refused restore left %d entries", len(entries))
	}
	dst2["PENDOPO_BACKUP_PASSPHRASE"] = "kopi tubruk pagi hari"
	if stdout, stderr, err := cli(t, dst2, "", "restore", withKey); err != nil || !strings.Contains(stdout, "secret key from the backup was written") {
		t.Fatalf("restore with the key in the backup: %v\n%s%s", err, stdout, stderr)
	}
	if got, _ := os.ReadFile(filepath.Join(dst2["PENDOPO_DATA"], "secret.key")); !bytes.Equal(got, key) {
		t.Error("the restored key differs")
	}

	// A damaged copy is refused, and nothing is left behind.
	b, _ := os.ReadFile(out)
	b[len(b)/2] ^= 0xff
	bad := filepath.Join(t.TempDir(), "rusak.tar.gz")
	os.WriteFile(bad, b, 0o600)
	dst3 := restoreEnv(t, src)
	os.MkdirAll(dst3["PENDOPO_DATA"], 0o750)
	os.WriteFile(filepath.Join(dst3["PENDOPO_DATA"], "secret.key"), key, 0o600)
	if _, _, err := cli(t, dst3, "", "restore", bad); err == nil {
		t.Fatal("a damaged backup was restored")
	}
	if entries, _ := os.ReadDir(dst3["PENDOPO_DATA"]); len(entries) != 1 {
		t.Errorf("a refused restore left %d entries", len(entries))
	}
	if _, _, err := cli(t, dst3, "", "restore", "--check", bad); err == nil {
		t.Error("restore --check passed a damaged backup")
	}
}

// TestRestoreChecksAudit: a backup whose audit trail was changed is not
// restored, although its manifest is right (made after the change).
func TestRestoreChecksAudit(t *testing.T) {
	src := dbEnv(t)
	for _, name := range []string{"a", "b", "c"} {
		if _, _, err := cli(t, src, "", "token", "create", "--name", name); err != nil {
			t.Fatal(err)
		}
	}
	tamperAudit(t, src, `UPDATE audit_log SET actor = 'orang lain' WHERE seq = 2`)
	out := filepath.Join(t.TempDir(), "cadangan.tar.gz")
	if _, _, err := cli(t, src, "", "backup", "--out", out); err != nil {
		t.Fatal(err)
	}
	dst := restoreEnv(t, src)
	dst["PENDOPO_SECRET_KEY_FILE"] = filepath.Join(src["PENDOPO_DATA"], "secret.key")
	_, _, err := cli(t, dst, "", "restore", out)
	if err == nil || !strings.Contains(err.Error(), "audit trail is broken at entry 2") {
		t.Fatalf("restore of a changed trail: %v", err)
	}
	if dst["PENDOPO_DB"] == "" {
		if _, err := os.Stat(filepath.Join(dst["PENDOPO_DATA"], "pendopo.db")); err == nil {
			t.Error("the database was put in place")
		}
	} else {
		db, err := store.OpenWith(context.Background(), dst["PENDOPO_DB"], "", store.Options{NoMigrate: true})
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		if empty, err := db.Empty(context.Background()); err != nil || !empty {
			t.Errorf("the loaded tables were left: %v %v", empty, err)
		}
	}
}

// tamperAudit changes the database behind the application's back.
func tamperAudit(t *testing.T, env map[string]string, q string) {
	t.Helper()
	driver, dsn := "sqlite", "file:"+filepath.Join(env["PENDOPO_DATA"], "pendopo.db")
	if env["PENDOPO_DB"] != "" {
		driver, dsn = "pgx", env["PENDOPO_DB"]
	}
	raw, err := sql.Open(driver, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	if _, err := raw.Exec(q); err != nil {
		t.Fatal(err)
	}
}

// TestBackupRestoreS3: with the files in S3, a backup lists their
// addresses and a restore checks that each is in the bucket, whole; a
// directory's backup restored into S3 uploads its files.
func TestBackupRestoreS3(t *testing.T) {
	backend := s3mem.New()
	for _, b := range []string{"berkas", "berkas-baru"} {
		if err := backend.CreateBucket(b); err != nil {
			t.Fatal(err)
		}
	}
	srv := httptest.NewServer(gofakes3.New(backend).Server())
	defer srv.Close()
	s3 := func(bucket string) []string {
		return []string{"PENDOPO_FILES_S3_ENDPOINT", srv.URL, "PENDOPO_FILES_S3_BUCKET", bucket, "PENDOPO_FILES_S3_PATH_STYLE", "true",
			"PENDOPO_FILES_S3_ACCESS_KEY", "kunci", "PENDOPO_FILES_S3_SECRET_KEY", "rahasia", "PENDOPO_FILES_S3_PREFIX", "p/"}
	}
	src := seeded(t, s3("berkas")...)
	_, _, _, files, _ := counts(t, src)
	out := filepath.Join(t.TempDir(), "cadangan.tar.gz")
	if stdout, stderr, err := cli(t, src, "", "backup", "--out", out); err != nil || !strings.Contains(stdout, "the addresses of "+strconv.Itoa(len(files))+" files in S3") {
		t.Fatalf("backup: %v\n%s%s", err, stdout, stderr)
	}
	withEnv := func(env map[string]string, kv ...string) map[string]string {
		for i := 0; i+1 < len(kv); i += 2 {
			env[kv[i]] = kv[i+1]
		}
		env["PENDOPO_SECRET_KEY_FILE"] = filepath.Join(src["PENDOPO_DATA"], "secret.key")
		return env
	}
	// Without the bucket, the files cannot be found: refused.
	if _, _, err := cli(t, withEnv(restoreEnv(t, src)), "", "restore", out); err == nil || !strings.Contains(err.Error(), "files are in S3") {
		t.Errorf("an S3 backup restored without S3: %v", err)
	}
	// A file lost from the bucket is found missing.
	if _, err := backend.DeleteObject("berkas", "p/"+files[0][:2]+"/"+files[0]); err != nil {
		t.Fatal(err)
	}
	if _, _, err := cli(t, withEnv(restoreEnv(t, src), s3("berkas")...), "", "restore", out); err == nil || !strings.Contains(err.Error(), files[0]) {
		t.Errorf("a file missing from the bucket: %v", err)
	}
	backend.PutObject("berkas", "p/"+files[0][:2]+"/"+files[0], nil, strings.NewReader("rusak"), 5, nil)
	// An object that is there but not whole is found too.
	if _, _, err := cli(t, withEnv(restoreEnv(t, src), s3("berkas")...), "", "restore", out); err == nil || !strings.Contains(err.Error(), "damaged") {
		t.Errorf("a damaged file in the bucket: %v", err)
	}

	// A directory's backup restored into a new bucket uploads the files.
	dirSrc := seeded(t)
	_, _, _, dirFiles, _ := counts(t, dirSrc)
	dirOut := filepath.Join(t.TempDir(), "direktori.tar.gz")
	if _, _, err := cli(t, dirSrc, "", "backup", "--out", dirOut); err != nil {
		t.Fatal(err)
	}
	dst := restoreEnv(t, dirSrc)
	for i, kv := 0, s3("berkas-baru"); i < len(kv); i += 2 {
		dst[kv[i]] = kv[i+1]
	}
	dst["PENDOPO_SECRET_KEY_FILE"] = filepath.Join(dirSrc["PENDOPO_DATA"], "secret.key")
	if stdout, stderr, err := cli(t, dst, "", "restore", dirOut); err != nil {
		t.Fatalf("a directory's backup into S3: %v\n%s%s", err, stdout, stderr)
	}
	if stdout, _, err := cli(t, dst, "", "doctor", "--sample", "0"); err != nil || !strings.Contains(stdout, strconv.Itoa(len(dirFiles))+" read back and hashed") {
		t.Errorf("doctor on the restored portal in S3: %v\n%s", err, stdout)
	}
}
