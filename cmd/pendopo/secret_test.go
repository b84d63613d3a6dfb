package main

import (
	"bytes"
	"context"
	"encoding/base64"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/pendopo/pendopo/internal/app"
	"github.com/pendopo/pendopo/internal/store"
)

// TestSecretKeyRefused: a database restored without its key file, or a
// second instance with a key of its own, is refused at start with the
// file named, instead of a new key and 500s wherever sealed data is read.
func TestSecretKeyRefused(t *testing.T) {
	env := dbEnv(t)
	if _, _, err := cli(t, env, "", "keys", "create", "--region", "33.74"); err != nil {
		t.Fatal(err)
	}
	keyFile := filepath.Join(env["PENDOPO_DATA"], "secret.key")
	key, err := os.ReadFile(keyFile)
	if err != nil {
		t.Fatal(err)
	}

	// The key file is gone: no new key, and the file is named.
	os.Remove(keyFile)
	for _, args := range [][]string{{"keys", "list", "--region", "33.74"}, {"serve", "--addr", "127.0.0.1:0"}} {
		_, _, err := cli(t, env, "", args...)
		if err == nil || !strings.Contains(err.Error(), "secret key file "+keyFile+" is missing") || !strings.Contains(err.Error(), "does not make a new key") {
			t.Errorf("%s without the key file: %v", args[0], err)
		}
	}
	if _, err := os.Stat(keyFile); err == nil {
		t.Fatal("a new key was made")
	}

	// Another key: refused, naming the file, or the variable.
	os.WriteFile(keyFile, []byte(base64.StdEncoding.EncodeToString(bytes.Repeat([]byte{7}, 32))+"\n"), 0o600)
	for _, args := range [][]string{{"keys", "list", "--region", "33.74"}, {"serve", "--addr", "127.0.0.1:0"}} {
		_, _, err := cli(t, env, "", args...)
		if err == nil || !strings.Contains(err.Error(), "the key file "+keyFile+" is not the secret key of the database") {
			t.Errorf("%s with another key: %v", args[0], err)
		}
	}
	env["PENDOPO_SECRET_KEY"] = base64.StdEncoding.EncodeToString(bytes.Repeat([]byte{8}, 32))
	if _, _, err := cli(t, env, "", "keys", "list", "--region", "33.74"); err == nil || !strings.Contains(err.Error(), "PENDOPO_SECRET_KEY is not the secret key") {
		t.Errorf("another key in the variable: %v", err)
	}
	delete(env, "PENDOPO_SECRET_KEY")

	// A second instance on the same PostgreSQL database with a key of its
	// own, made at its first start.
	if env["PENDOPO_DB"] != "" {
		second := map[string]string{"PENDOPO_DB": env["PENDOPO_DB"], "PENDOPO_DATA": t.TempDir()}
		if _, _, err := cli(t, second, "", "keys", "list", "--region", "33.74"); err == nil || !strings.Contains(err.Error(), "is missing, but the database holds") {
			t.Errorf("a second instance without the key: %v", err)
		}
	}

	os.WriteFile(keyFile, key, 0o600)
	if _, _, err := cli(t, env, "", "keys", "list", "--region", "33.74"); err != nil {
		t.Errorf("with the right key again: %v", err)
	}
}

var oldKeyRE = regexp.MustCompile(`OLD KEY IS KEPT in (\S+):`)

// TestRotateSecret rotates the secret key from the command line: refused
// while an instance serves (which then stops being ready), done with
// --force, the old key kept in a dated file, an interrupted rotation
// finished by running it again.
func TestRotateSecret(t *testing.T) {
	env := dbEnv(t)
	if _, _, err := cli(t, env, "", "keys", "create", "--region", "33.74"); err != nil {
		t.Fatal(err)
	}
	url := startServer(t, env)
	if code, body := get(t, url+"/readyz"); code != 200 {
		t.Fatalf("readyz: %d %s", code, body)
	}
	if _, _, err := cli(t, env, "", "keys", "rotate-secret"); err == nil || !strings.Contains(err.Error(), "an instance was serving") {
		t.Fatalf("rotation while serving: %v", err)
	}
	keyFile := filepath.Join(env["PENDOPO_DATA"], "secret.key")
	before, _ := os.ReadFile(keyFile)
	out, _, err := cli(t, env, "", "keys", "rotate-secret", "--force")
	if err != nil || !strings.Contains(out, "1 signing key") {
		t.Fatalf("rotate: %v\n%s", err, out)
	}
	m := oldKeyRE.FindStringSubmatch(out)
	if m == nil {
		t.Fatalf("no old key file named:\n%s", out)
	}
	if old, _ := os.ReadFile(m[1]); !bytes.Equal(old, before) {
		t.Errorf("the old key file %s does not hold the old key", m[1])
	}
	if after, _ := os.ReadFile(keyFile); bytes.Equal(after, before) || len(after) != len(before) {
		t.Errorf("the key file was not replaced: %q", after)
	}
	// The instance that kept the old key stops being ready.
	if code, body := get(t, url+"/readyz"); code != 503 || !strings.Contains(body, "secret key changed") {
		t.Errorf("readyz of the instance with the old key: %d %s", code, body)
	}
	if out, _, err := cli(t, env, "", "keys", "list", "--region", "33.74"); err != nil || !strings.Contains(out, "3374-") {
		t.Errorf("with the new key: %v %s", err, out)
	}
	if _, _, err := cli(t, env, "", "keys", "create", "--region", "33.74"); err != nil {
		t.Errorf("a signing key under the new key: %v", err)
	}
	if out, _, err := cli(t, env, "", "keys", "reseal", "--old-key-file", m[1]); err != nil || !strings.Contains(out, "0 signing key") {
		t.Errorf("reseal with nothing to do: %v %s", err, out)
	}

	// An interrupted rotation: the transaction committed, the key file
	// was not replaced yet. Commands refuse and say how to finish.
	cur, _ := readKeyFile(keyFile)
	next := bytes.Repeat([]byte{9}, 32)
	db, err := store.Open(context.Background(), env["PENDOPO_DB"], env["PENDOPO_DATA"])
	if err != nil {
		t.Fatal(err)
	}
	if _, err := app.Reseal(context.Background(), db, time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC), next, cur); err != nil {
		t.Fatal(err)
	}
	db.Close()
	if err := writeKeyFile(keyFile+".new", next); err != nil {
		t.Fatal(err)
	}
	if _, _, err := cli(t, env, "", "keys", "list", "--region", "33.74"); err == nil || !strings.Contains(err.Error(), "rotation of the secret key was interrupted") {
		t.Errorf("after an interrupted rotation: %v", err)
	}
	if out, _, err := cli(t, env, "", "keys", "rotate-secret"); err != nil || !strings.Contains(out, "finished an interrupted rotation") {
		t.Fatalf("finishing it: %v %s", err, out)
	}
	if got, _ := readKeyFile(keyFile); !bytes.Equal(got, next) {
		t.Error("the pending key is not in place")
	}
	if out, _, err := cli(t, env, "", "keys", "list", "--region", "33.74"); err != nil || strings.Count(out, "3374-") != 2 {
		t.Errorf("after finishing: %v %s", err, out)
	}
	env["PENDOPO_SECRET_KEY"] = base64.StdEncoding.EncodeToString(next)
	if _, _, err := cli(t, env, "", "keys", "rotate-secret"); exitCode(err) != 2 {
		t.Errorf("rotating a key from the variable: %v", err)
	}
}

// TestServeRefusesDamagedDatabase: serve runs quick_check and refuses a
// damaged SQLite file, naming it and what to do; doctor finds it too.
func TestServeRefusesDamagedDatabase(t *testing.T) {
	if os.Getenv("PENDOPO_TEST_DB") == "postgres" {
		t.Skip("a SQLite file")
	}
	env := dbEnv(t)
	if _, _, err := cli(t, env, "", "doctor"); err == nil {
		t.Error("doctor found a portal where there is none")
	}
	if _, _, err := cli(t, env, "", "token", "create", "--name", "awal"); err != nil {
		t.Fatal(err)
	}
	if out, errs, err := cli(t, env, "", "doctor"); err != nil || strings.Contains(out, "FAIL") {
		t.Fatalf("doctor on a new portal: %v\n%s%s", err, out, errs)
	}
	path := filepath.Join(env["PENDOPO_DATA"], "pendopo.db")
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	const page = 4096
	for p := len(b)/page - 10; p < len(b)/page-2; p++ {
		copy(b[p*page:], bytes.Repeat([]byte{0xee}, 16))
	}
	os.WriteFile(path, b, 0o600)
	_, _, err = cli(t, env, "", "serve", "--addr", "127.0.0.1:0")
	if err == nil || !strings.Contains(err.Error(), "the database file "+path+" is damaged") || !strings.Contains(err.Error(), "pendopo restore") {
		t.Errorf("serve on a damaged file: %v", err)
	}
	out, _, err := cli(t, env, "", "doctor")
	if err == nil || !strings.Contains(out, "FAIL  database") || !strings.Contains(out, "restore the last backup") {
		t.Errorf("doctor on a damaged file: %v\n%s", err, out)
	}
}

// TestDoctor names what is wrong and what to do: a missing file, a
// changed audit trail, another key.
func TestDoctor(t *testing.T) {
	env := seeded(t)
	out, _, err := cli(t, env, "", "doctor")
	for _, want := range []string{"ok    database", "ok    migrations", "ok    secret key", "ok    sealed data", "ok    audit trail", "ok    file store"} {
		if !strings.Contains(out, want) {
			t.Errorf("healthy portal: no %q in\n%s", want, out)
		}
	}
	if err != nil {
		t.Fatalf("doctor: %v\n%s", err, out)
	}
	_, db := openEnv(t, env)
	files, _ := db.BlobAddrs(context.Background())
	db.Close()
	os.Remove(dirFilePath(filepath.Join(env["PENDOPO_DATA"], "berkas"), files[0]))
	tamperAudit(t, env, `UPDATE audit_log SET actor = 'orang lain' WHERE seq = 3`)
	out, _, err = cli(t, env, "", "doctor")
	if err == nil || !strings.Contains(out, "FAIL  file store") || !strings.Contains(out, files[0]) || !strings.Contains(out, "FAIL  audit trail") || !strings.Contains(out, "broken at entry 3") {
		t.Errorf("doctor after losing a file and changing the trail: %v\n%s", err, out)
	}
	env["PENDOPO_SECRET_KEY"] = base64.StdEncoding.EncodeToString(bytes.Repeat([]byte{7}, 32))
	out, _, err = cli(t, env, "", "doctor")
	if err == nil || !strings.Contains(out, "FAIL  secret key") || !strings.Contains(out, "PENDOPO_SECRET_KEY is not the key of this database") {
		t.Errorf("doctor with another key: %v\n%s", err, out)
	}
}

// TestOldKeysKeptApart: two rotations within one second keep both old
// keys, each under a name of its own; neither overwrites the other.
func TestOldKeysKeptApart(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "secret.key")
	at := time.Date(2026, 11, 27, 10, 15, 0, 0, time.UTC)
	e := env{now: func() time.Time { return at }}
	keys := []string{"first key", "second key", "third key"}
	if err := os.WriteFile(path, []byte(keys[0]), 0o600); err != nil {
		t.Fatal(err)
	}
	var olds []string
	for _, next := range keys[1:] {
		if err := os.WriteFile(pendingKey(path), []byte(next), 0o600); err != nil {
			t.Fatal(err)
		}
		old, err := e.swapKeyFiles(path, true)
		if err != nil {
			t.Fatal(err)
		}
		olds = append(olds, old)
	}
	if olds[0] == olds[1] {
		t.Fatalf("both old keys named %s", olds[0])
	}
	for i, old := range olds {
		if b, err := os.ReadFile(old); err != nil || string(b) != keys[i] {
			t.Errorf("%s holds %q (%v), want %q", old, b, err, keys[i])
		}
	}
	if b, _ := os.ReadFile(path); string(b) != keys[2] {
		t.Errorf("the key file holds %q", b)
	}
}
