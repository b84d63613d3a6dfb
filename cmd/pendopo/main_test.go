package main

import (
	"bufio"
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"flag"
	"io"
	"net/http"
	neturl "net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/pendopo/pendopo/internal/pendopotest"
)

// cli runs the command line with the given environment and returns its
// output.
func cli(t *testing.T, environ map[string]string, stdin string, args ...string) (stdout, stderr string, err error) {
	t.Helper()
	var out, errb bytes.Buffer
	getenv := func(k string) string { return environ[k] }
	err = run(context.Background(), args, getenv, strings.NewReader(stdin), &out, &errb)
	return out.String(), errb.String(), err
}

// dbEnv points commands at a fresh database: SQLite in a temporary
// directory, or a PostgreSQL schema when the suite runs on PostgreSQL.
func dbEnv(t *testing.T) map[string]string {
	t.Helper()
	env := map[string]string{"PENDOPO_DATA": t.TempDir()}
	if os.Getenv(pendopotest.EnvBackend) == "postgres" {
		env["PENDOPO_DB"] = pendopotest.PostgresURL(t)
	}
	return env
}

func TestUsage(t *testing.T) {
	if _, errs, err := cli(t, nil, ""); exitCode(err) != 2 || !strings.Contains(errs, "Commands:") {
		t.Errorf("no command: %v %q", err, errs)
	}
	if _, _, err := cli(t, nil, "", "frobnicate"); exitCode(err) != 2 {
		t.Errorf("unknown command: %v", err)
	}
	if out, _, err := cli(t, nil, "", "version"); err != nil || !strings.HasPrefix(out, "pendopo ") {
		t.Errorf("version: %q %v", out, err)
	}
	// Every command documents its flags with their environment variable.
	for _, cmd := range []string{"serve", "migrate", "import", "export", "gen", "audit verify", "token create", "user add", "keys list", "holidays list", "backup", "restore", "doctor", "keys rotate-secret", "keys reseal"} {
		_, errs, err := cli(t, nil, "", append(strings.Fields(cmd), "--help")...)
		if !errors.Is(err, flag.ErrHelp) || !strings.Contains(errs, "PENDOPO_DATA") || !strings.Contains(errs, "--db") && !strings.Contains(errs, "-db") {
			t.Errorf("%s --help: %v\n%s", cmd, err, errs)
		}
	}
	if _, errs, _ := cli(t, nil, "", "serve", "--help"); !strings.Contains(errs, "PENDOPO_ADDR") || !strings.Contains(errs, "PENDOPO_DEMO") {
		t.Errorf("serve --help lacks its variables:\n%s", errs)
	}
	// A bad environment value is a usage error, not ignored.
	if _, _, err := cli(t, map[string]string{"PENDOPO_DEMO": "kadang"}, "", "serve"); exitCode(err) != 2 || !strings.Contains(err.Error(), "PENDOPO_DEMO") {
		t.Errorf("bad PENDOPO_DEMO: %v", err)
	}
	// Object storage needs a bucket and keys, and the keys are never flags.
	s3 := dbEnv(t)
	s3["PENDOPO_FILES_S3_ENDPOINT"], s3["PENDOPO_FILES_S3_BUCKET"] = "https://s3.example.test", "berkas"
	if _, _, err := cli(t, s3, "", "audit", "verify"); exitCode(err) != 2 || !strings.Contains(err.Error(), "PENDOPO_FILES_S3_SECRET_KEY") {
		t.Errorf("S3 without keys: %v", err)
	}
	s3["PENDOPO_FILES_S3_ENDPOINT"] = "s3.example.test"
	if _, _, err := cli(t, s3, "", "serve"); exitCode(err) != 2 || !strings.Contains(err.Error(), "endpoint") {
		t.Errorf("S3 endpoint without a scheme: %v", err)
	}
	if _, errs, _ := cli(t, nil, "", "serve", "--help"); !strings.Contains(errs, "PENDOPO_FILES_S3_ENDPOINT") || strings.Contains(errs, "s3-secret") {
		t.Errorf("serve --help and the S3 flags:\n%s", errs)
	}
}

func TestMigrateAndTokens(t *testing.T) {
	env := dbEnv(t)
	out, _, err := cli(t, env, "", "migrate")
	if err != nil || !strings.Contains(out, "0001") || !strings.Contains(out, "up to date") {
		t.Fatalf("migrate: %v\n%s", err, out)
	}
	secret, _, err := cli(t, env, "", "token", "create", "--name", "ci semarang", "--region", "33.74")
	if err != nil || !strings.HasPrefix(secret, "pdp_") {
		t.Fatalf("token create: %q %v", secret, err)
	}
	list, _, err := cli(t, env, "", "token", "list")
	if err != nil || !strings.Contains(list, "ci semarang") || !strings.Contains(list, "33.74") || strings.Contains(list, strings.TrimSpace(secret)) {
		t.Errorf("token list: %v\n%s", err, list)
	}
	if _, _, err := cli(t, env, "", "token", "revoke", "1"); err != nil {
		t.Errorf("revoke: %v", err)
	}
	if _, _, err := cli(t, env, "", "token", "revoke", "99"); err == nil {
		t.Error("revoking an unknown token succeeded")
	}
	if _, _, err := cli(t, env, "", "token", "create", "--name", "x", "--region", "99.99"); err == nil {
		t.Error("token for an unknown region was created")
	}
}

func TestImportExport(t *testing.T) {
	env := dbEnv(t)
	dir := t.TempDir()
	bundle := filepath.Join(dir, "33.72.json")
	src, err := os.ReadFile("../../internal/demo/data/33.72.json")
	if err != nil {
		t.Fatal(err)
	}
	// The demo file carries loader-only fields; import refuses unknown fields.
	_, errs, err := cli(t, env, string(src), "import", "--format", "json", "-")
	if err == nil || !strings.Contains(errs, "demo_") || !strings.Contains(errs, "-:") {
		t.Fatalf("import with unknown fields: %v\n%s", err, errs)
	}
	clean := strings.NewReplacer(`"demo_reviewed_at"`, `"note"`).Replace(string(src))
	var b map[string]any
	if err := json.Unmarshal([]byte(clean), &b); err != nil {
		t.Fatal(err)
	}
	for _, s := range b["services"].([]any) {
		delete(s.(map[string]any), "demo_history")
	}
	data, _ := json.MarshalIndent(b, "", "  ")
	os.WriteFile(bundle, data, 0o600)
	out, errs, err := cli(t, env, "", "import", bundle)
	if err != nil || !strings.Contains(out, "new") {
		t.Fatalf("import: %v\n%s%s", err, out, errs)
	}
	// Export, then import the export: nothing changes.
	exported := filepath.Join(dir, "out.json")
	if _, _, err := cli(t, env, "", "export", "--region", "33.72", "--out", exported); err != nil {
		t.Fatal(err)
	}
	out, _, err = cli(t, env, "", "import", exported)
	if err != nil || !strings.Contains(out, "0 new, 0 changed") {
		t.Errorf("re-import: %v %s", err, out)
	}
	// CSV round trip of the services.
	csvOut, _, err := cli(t, env, "", "export", "--region", "33.72", "--format", "csv")
	if err != nil || !strings.HasPrefix(csvOut, "slug,kind,name") {
		t.Fatalf("csv export: %v", err)
	}
	out, errs, err = cli(t, env, csvOut, "import", "--region", "33.72", "--format", "csv", "-")
	if err != nil || !strings.Contains(out, "0 new, 0 changed") {
		t.Errorf("csv re-import: %v %s %s", err, out, errs)
	}
	// A bad value is reported with its line, and nothing is imported.
	lines := strings.Split(string(data), "\n")
	for i, l := range lines {
		if strings.Contains(l, `"working_days": 1,`) {
			lines[i] = strings.Replace(l, `"working_days": 1,`, `"working_days": 999,`, 1)
			want := filepath.Base(bundle) + ":" + itoa(i+1) + ":"
			os.WriteFile(bundle, []byte(strings.Join(lines, "\n")), 0o600)
			_, errs, err := cli(t, env, "", "import", bundle)
			if err == nil || !strings.Contains(errs, want) || !strings.Contains(errs, "working_days") {
				t.Errorf("bad duration: %v, want %q in\n%s", err, want, errs)
			}
			break
		}
	}
	if _, _, err := cli(t, env, "", "import", "--region", "33.72", filepath.Join(dir, "nope.csv")); err == nil {
		t.Error("missing file imported")
	}
	if _, _, err := cli(t, env, "", "export"); exitCode(err) != 2 {
		t.Errorf("export without region: %v", err)
	}
}

func itoa(n int) string {
	b, _ := json.Marshal(n)
	return string(b)
}

func TestGen(t *testing.T) {
	env := dbEnv(t)
	out, _, err := cli(t, env, "", "gen", "--regions", "3", "--services", "60")
	if err != nil || !strings.Contains(out, "generated 180 services") {
		t.Fatalf("gen: %v %s", err, out)
	}
}

// startServer runs "pendopo serve" on a free port and returns its URL.
func startServer(t *testing.T, env map[string]string, args ...string) string {
	t.Helper()
	url, _ := startServerBanner(t, env, args...)
	return url
}

// startServerBanner starts the server like startServer and also returns
// what it printed before it was ready.
func startServerBanner(t *testing.T, env map[string]string, args ...string) (url, banner string) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	done := make(chan error, 1)
	getenv := func(k string) string { return env[k] }
	go func() {
		done <- run(ctx, append([]string{"serve", "--addr", "127.0.0.1:0", "--log-level", "error"}, args...), getenv, strings.NewReader(""), pw, io.Discard)
		pw.Close()
	}()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("serve: %v", err)
		}
	})
	sc := bufio.NewScanner(pr)
	var b strings.Builder
	for sc.Scan() {
		if _, url, ok := strings.Cut(sc.Text(), "running at "); ok {
			go io.Copy(io.Discard, pr)
			return url, b.String()
		}
		b.WriteString(sc.Text() + "\n")
	}
	t.Fatal("server did not start")
	return "", ""
}

var demoPasswordRE = regexp.MustCompile(`password: (\S+)`)

// demoPassword is the password of the demo accounts in a server's banner.
func demoPassword(t *testing.T, banner string) string {
	t.Helper()
	m := demoPasswordRE.FindStringSubmatch(banner)
	if m == nil {
		t.Fatalf("no demo password in %q", banner)
	}
	return m[1]
}

// TestServeDemo is the README's first command: the portal with demo
// content on an empty data directory.
func TestServeDemo(t *testing.T) {
	env := dbEnv(t)
	url, banner := startServerBanner(t, env, "--demo")
	for path, want := range map[string]string{
		"/":                          "Kota Semarang",
		"/daerah/33.72":              "Kota Surakarta",
		"/bandingkan/akta-kelahiran": "Kabupaten Semarang",
		"/api/v1/regions/33.74":      `"code":"33.74"`,
		"/healthz":                   "ok",
	} {
		res, err := http.Get(url + path)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode != 200 || !strings.Contains(string(body), want) {
			t.Errorf("%s: %d, want %q", path, res.StatusCode, want)
		}
	}
	// Every demo role can be tried with the printed password.
	password := demoPassword(t, banner)
	for _, login := range []string{"nasional@pendopo.test", "pengawas.33@pendopo.test", "admin.3374@pendopo.test", "opd.3372@pendopo.test",
		"kepala.3322@pendopo.test", "petugas.3374@pendopo.test", "warga@pendopo.test"} {
		if !strings.Contains(banner, login) {
			t.Errorf("banner lacks %s:\n%s", login, banner)
		}
	}
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	res, err := client.PostForm(url+"/masuk", neturl.Values{"login": {"admin.3374@pendopo.test"}, "password": {password}})
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/admin" {
		t.Errorf("demo region admin sign-in: %d %s", res.StatusCode, res.Header.Get("Location"))
	}
	if env["PENDOPO_DB"] == "" {
		// On SQLite the password is kept, so a restart prints it again.
		if b, err := os.ReadFile(filepath.Join(env["PENDOPO_DATA"], "demo-accounts.txt")); err != nil || strings.TrimSpace(string(b)) != password {
			t.Errorf("demo password file: %v %q", err, b)
		}
	}
}

// TestUserAdd adds the first admin from the command line.
func TestUserAdd(t *testing.T) {
	env := dbEnv(t)
	out, errs, err := cli(t, env, "", "user", "add", "--login", "Kominfo@SemarangKota.go.id", "--name", "Admin Kominfo", "--role", "region_admin", "--region", "33.74")
	if err != nil || len(strings.TrimSpace(out)) < 20 || !strings.Contains(errs, "kominfo@semarangkota.go.id") || !strings.Contains(errs, "Region admin of 33.74") {
		t.Fatalf("user add: %v %q %q", err, out, errs)
	}
	// The same address twice, a weak password, an unknown role or region:
	// a clear message and nothing added.
	for _, args := range [][]string{
		{"--login", "kominfo@semarangkota.go.id", "--name", "Lagi"},
		{"--login", "0812-3456-7890", "--name", "Budi", "--password-stdin"},
		{"--login", "budi@contoh.test", "--name", "Budi", "--role", "raja"},
		{"--login", "budi@contoh.test", "--name", "Budi", "--role", "region_admin", "--region", "99.99"},
	} {
		_, errs, err := cli(t, env, "password\n", append([]string{"user", "add"}, args...)...)
		if err == nil || !strings.Contains(errs, "user add:") {
			t.Errorf("%v: %v %q", args, err, errs)
		}
	}
	if _, _, err := cli(t, env, "", "user", "add", "--name", "x"); exitCode(err) != 2 {
		t.Errorf("missing --login: %v", err)
	}
	if _, errs, err := cli(t, env, "gedung lawang sewu\n", "user", "add", "--login", "0812-3456-7890", "--name", "Budi", "--password-stdin"); err != nil || !strings.Contains(errs, "+6281234567890") {
		t.Errorf("citizen with a password from stdin: %v %q", err, errs)
	}
	out, _, err = cli(t, env, "", "audit", "verify")
	if err != nil || !strings.Contains(out, "intact") {
		t.Errorf("audit after user add: %v %q", err, out)
	}
}

// TestAuditVerify changes, then removes, entries of the audit trail behind
// the application's back: verify must name the first broken entry.
func TestAuditVerify(t *testing.T) {
	env := dbEnv(t)
	for _, name := range []string{"a", "b", "c", "d"} {
		if _, _, err := cli(t, env, "", "token", "create", "--name", name); err != nil {
			t.Fatal(err)
		}
	}
	out, _, err := cli(t, env, "", "audit", "verify")
	if err != nil || !strings.Contains(out, "intact: 4 entries") {
		t.Fatalf("fresh trail: %v %s", err, out)
	}
	driver, dsn := "sqlite", "file:"+filepath.Join(env["PENDOPO_DATA"], "pendopo.db")
	if env["PENDOPO_DB"] != "" {
		driver, dsn = "pgx", env["PENDOPO_DB"]
	}
	raw, err := sql.Open(driver, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	tamper := func(q string) {
		t.Helper()
		if _, err := raw.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	tamper(`UPDATE audit_log SET actor = 'orang lain' WHERE seq = 3`)
	out, _, err = cli(t, env, "", "audit", "verify")
	if err == nil || !strings.Contains(out, "BROKEN at entry 3") || !strings.Contains(out, "edited") {
		t.Errorf("edited entry: %v %s", err, out)
	}
	tamper(`DELETE FROM audit_log WHERE seq = 3`)
	out, _, err = cli(t, env, "", "audit", "verify")
	if err == nil || !strings.Contains(out, "BROKEN at entry 3") || !strings.Contains(out, "missing") {
		t.Errorf("deleted entry: %v %s", err, out)
	}
	tamper(`DELETE FROM audit_log WHERE seq >= 3`)
	out, _, err = cli(t, env, "", "audit", "verify")
	if err == nil || !strings.Contains(out, "BROKEN at entry 3") || !strings.Contains(out, "removed") {
		t.Errorf("cut-off tail: %v %s", err, out)
	}
}

func TestKeys(t *testing.T) {
	env := dbEnv(t)
	if _, _, err := cli(t, env, "", "keys", "create"); exitCode(err) != 2 {
		t.Errorf("create without a region: %v", err)
	}
	if _, _, err := cli(t, env, "", "keys", "create", "--region", "99.99"); err == nil {
		t.Error("a key for an unknown region")
	}
	first, _, err := cli(t, env, "", "keys", "create", "--region", "33.74")
	if err != nil || !strings.HasPrefix(first, "key 3374-") {
		t.Fatalf("create: %v %s", err, first)
	}
	if _, _, err := cli(t, env, "", "keys", "rotate", "--region", "33.74"); err != nil {
		t.Fatal(err)
	}
	out, _, err := cli(t, env, "", "keys", "list", "--region", "33.74")
	lines := strings.Split(strings.TrimSpace(out), "\n")
	// Newest first: the new key is current, the first one retired.
	if err != nil || len(lines) != 3 || strings.Fields(lines[1])[2] != "-" || strings.Fields(lines[2])[2] == "-" {
		t.Fatalf("list: %v\n%s", err, out)
	}
}

func TestHolidays(t *testing.T) {
	env := dbEnv(t)
	csv := filepath.Join(t.TempDir(), "libur-2027.csv")
	os.WriteFile(csv, []byte("date,name,kind\n2027-01-01,Tahun Baru 2027 Masehi,libur_nasional\n2027-03-10,Cuti bersama Nyepi,cuti_bersama\n"), 0o644)
	bad := filepath.Join(t.TempDir(), "rusak.csv")
	os.WriteFile(bad, []byte("date,name,kind\n2027-02-30,Tanggal salah,libur_nasional\n"), 0o644)
	if _, _, err := cli(t, env, "", "holidays", "import", bad); err == nil {
		t.Error("an impossible date was imported")
	}
	if out, _, err := cli(t, env, "", "holidays", "import", csv); err != nil || !strings.Contains(out, "2 holidays imported") {
		t.Fatalf("import: %v %s", err, out)
	}
	out, _, err := cli(t, env, "", "holidays", "list", "--year", "2027")
	if err != nil || !strings.Contains(out, "2027-01-01  libur_nasional") || !strings.Contains(out, "cuti_bersama") {
		t.Errorf("list 2027: %v\n%s", err, out)
	}
	if out, _, _ := cli(t, env, "", "holidays", "list", "--year", "2026"); strings.Count(out, "\n") < 20 {
		t.Errorf("the shipped 2026 holidays are missing:\n%s", out)
	}
}

func TestPhotosClean(t *testing.T) {
	env := dbEnv(t)
	if out, _, err := cli(t, env, "", "photos", "clean"); err != nil || !strings.Contains(out, "0 photos checked: 0 cleaned") {
		t.Fatalf("clean: %v %s", err, out)
	}
	if _, _, err := cli(t, env, "", "photos", "hapus"); err == nil {
		t.Error("an unknown subcommand was accepted")
	}
}

func TestFiguresRebuild(t *testing.T) {
	env := dbEnv(t)
	if out, _, err := cli(t, env, "", "figures", "rebuild"); err != nil || !strings.Contains(out, "figures counted again from 0 applications, 0 reports and 0 survey responses") {
		t.Fatalf("rebuild: %v %s", err, out)
	}
	if _, _, err := cli(t, env, "", "figures", "hitung"); err == nil {
		t.Error("an unknown subcommand was accepted")
	}
}
