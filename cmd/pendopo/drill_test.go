package main

import (
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// writeLoad is workers writing to a portal until stopped: public reports
// through Open311 and applications (draft, answers, upload, submit)
// through the API, one citizen per application worker. It records every
// write the portal acknowledged.
type writeLoad struct {
	mu      sync.Mutex
	reports []string
	apps    map[int][]string // by citizen
	errs    int
	lastErr error

	stop chan struct{}
	wg   sync.WaitGroup
}

func startLoad(base string, o online, clients []*apiClient, reportWorkers int, tag string) *writeLoad {
	l := &writeLoad{apps: map[int][]string{}, stop: make(chan struct{})}
	hc := newClient()
	for w := range reportWorkers {
		l.wg.Add(1)
		go func() {
			defer l.wg.Done()
			for i := 0; ; i++ {
				select {
				case <-l.stop:
					return
				default:
				}
				n, err := fileReport(hc, base, o.token, fmt.Sprintf("%s%02d-%05d", tag, w, i))
				l.note(func() { l.reports = append(l.reports, n) }, err)
			}
		}()
	}
	for c, cl := range clients {
		l.wg.Add(1)
		go func() {
			defer l.wg.Done()
			for i := 0; ; i++ {
				select {
				case <-l.stop:
					return
				default:
				}
				n, err := cl.apply(o.service, fmt.Sprintf("%s%02d-%05d", tag, c, i))
				l.note(func() { l.apps[c] = append(l.apps[c], n) }, err)
			}
		}()
	}
	return l
}

func (l *writeLoad) note(ack func(), err error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if err != nil {
		l.errs++
		l.lastErr = err
		return
	}
	ack()
}

// acknowledged counts the reports and applications acknowledged so far.
func (l *writeLoad) acknowledged() (reports, apps int) {
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, a := range l.apps {
		apps += len(a)
	}
	return len(l.reports), apps
}

// waitFor polls until at least reports and apps were acknowledged, or
// fails at the deadline.
func (l *writeLoad) waitFor(t *testing.T, reports, apps int, within time.Duration) {
	t.Helper()
	deadline := time.Now().Add(within) // wallclock: a deadline while a real process starts
	for {
		r, a := l.acknowledged()
		if r >= reports && a >= apps {
			return
		}
		if time.Now().After(deadline) { // wallclock: a deadline while a real process starts
			l.mu.Lock()
			defer l.mu.Unlock()
			t.Fatalf("after %s only %d reports and %d applications were acknowledged (%d errors, last %v)", within, r, a, l.errs, l.lastErr)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func (l *writeLoad) halt() {
	close(l.stop)
	l.wg.Wait()
}

// snapshot copies what was acknowledged so far.
func (l *writeLoad) snapshot() ([]string, map[int][]string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	apps := map[int][]string{}
	for c, a := range l.apps {
		apps[c] = append([]string(nil), a...)
	}
	return append([]string(nil), l.reports...), apps
}

// signInAll signs every citizen in.
func signInAll(t *testing.T, base string, logins []string) []*apiClient {
	t.Helper()
	var out []*apiClient
	for _, l := range logins {
		c, err := apiSignIn(base, l)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, c)
	}
	return out
}

// findAll checks that every acknowledged report and application is on
// the portal at base; sessions live in the database, so the citizens'
// tokens still work there.
func findAll(t *testing.T, base string, reports []string, apps map[int][]string, clients []*apiClient) {
	t.Helper()
	hc := newClient()
	lost := 0
	for _, n := range reports {
		if _, err := getReport(hc, base, n); err != nil {
			lost++
			t.Errorf("acknowledged report lost: %v", err)
		}
	}
	for c, list := range apps {
		cl := &apiClient{base: base, token: clients[c].token, hc: hc}
		for _, n := range list {
			a, err := cl.application(n)
			if err != nil || a.Status == "draft" || len(a.Uploads) == 0 {
				lost++
				t.Errorf("acknowledged application %s lost or not submitted: %+v %v", n, a, err)
			}
		}
	}
	if lost > 0 {
		t.Fatalf("%d acknowledged writes lost", lost)
	}
}

// TestDurability is the durability proof: the server is killed with
// SIGKILL while 32 workers write (16 filing reports through Open311, 16
// submitting applications with uploads through the API, whose commits are
// shared), restarted, and every write it acknowledged must be there. It
// builds and runs the real binary; set PENDOPO_TEST_DURABILITY=1 (CI runs
// it on SQLite and, with PENDOPO_TEST_DB=postgres, on PostgreSQL).
func TestDurability(t *testing.T) {
	if os.Getenv("PENDOPO_TEST_DURABILITY") == "" {
		t.Skip("set PENDOPO_TEST_DURABILITY=1 to kill the server under load")
	}
	start := time.Now() // wallclock: measures a duration
	env := dbEnv(t)
	o := prepareOnline(t, env, 16)
	p := startPortal(t, env)
	clients := signInAll(t, p.url, o.citizens)
	ready := time.Now() // wallclock: measures a duration
	load := startLoad(p.url, o, clients, 16, "k")
	// Kill in the middle of the load, once it is well under way.
	load.waitFor(t, 150, 60, 90*time.Second)
	p.kill()
	load.halt()
	reports, apps := load.snapshot()
	r, a := load.acknowledged()
	killed := time.Now() // wallclock: measures a duration

	p2 := startPortal(t, env)
	findAll(t, p2.url, reports, apps, clients)
	t.Logf("%s: %d reports and %d applications acknowledged in %s of load before SIGKILL; all found after a restart (%s); whole test %s",
		backendName(env), r, a, killed.Sub(ready).Round(time.Millisecond), time.Since(killed).Round(time.Millisecond), time.Since(start).Round(time.Millisecond)) // wallclock: measures a duration
}

func backendName(env map[string]string) string {
	if env["PENDOPO_DB"] != "" {
		return "PostgreSQL"
	}
	return "SQLite"
}

// TestBackupDrill is the README's restore drill, run by CI: write
// applications (with uploads, two of them issued as signed documents)
// and reports (some with photos), back up while more writes arrive,
// restore into a new place, start a second server on it, and find every
// write acknowledged before the backup started, verify a document at
// /verifikasi and the audit trail. It builds and runs the real binary;
// set PENDOPO_TEST_DRILL=1 (CI runs it on SQLite and PostgreSQL).
func TestBackupDrill(t *testing.T) {
	if os.Getenv("PENDOPO_TEST_DRILL") == "" {
		t.Skip("set PENDOPO_TEST_DRILL=1 to run the backup and restore drill")
	}
	start := time.Now() // wallclock: measures a duration
	env := dbEnv(t)
	o := prepareOnline(t, env, 8)
	p := startPortal(t, env)
	clients := signInAll(t, p.url, o.citizens)
	officers := signInAll(t, p.url, []string{o.officer, o.head})
	hc := newClient()

	// Before the backup: applications, two of them completed.
	apps := map[int][]string{}
	for c, cl := range clients {
		n, err := cl.apply(o.service, fmt.Sprintf("awal-%d", c))
		if err != nil {
			t.Fatal(err)
		}
		apps[c] = append(apps[c], n)
	}
	var documents []string
	for c := range 2 {
		n := apps[c][0]
		for _, who := range []*apiClient{officers[0], officers[0], officers[1], officers[0]} {
			a, err := who.application(n)
			if err != nil {
				t.Fatal(err)
			}
			if err := who.do(http.MethodPost, "/api/v1/applications/"+n+"/actions", map[string]any{"action": "approve", "rev": a.Rev}, nil); err != nil {
				t.Fatal(err)
			}
		}
		a, err := clients[c].application(n)
		if err != nil || a.Document == "" {
			t.Fatalf("application %s completed without a document: %+v %v", n, a, err)
		}
		documents = append(documents, a.Document)
	}
	var reports, withPhoto []string
	for i := range 10 {
		n, err := fileReport(hc, p.url, o.token, fmt.Sprintf("awal-%02d", i))
		if err != nil {
			t.Fatal(err)
		}
		reports = append(reports, n)
	}
	for i := range 3 {
		n, err := reportWithPhoto(hc, p.url, fmt.Sprintf("foto-%d", i))
		if err != nil {
			t.Fatal(err)
		}
		withPhoto = append(withPhoto, n)
	}

	// The backup runs while writes keep coming.
	load := startLoad(p.url, o, clients[:4], 4, "b")
	load.waitFor(t, 10, 4, 60*time.Second)
	before, beforeApps := load.snapshot()
	reports = append(reports, before...)
	for c, l := range beforeApps {
		apps[c] = append(apps[c], l...)
	}
	out := filepath.Join(t.TempDir(), "pendopo-cadangan.tar.gz")
	backupStart := time.Now() // wallclock: measures a duration
	msg, err := runBinary(t, env, "", "backup", "--out", out)
	backupTook := time.Since(backupStart) // wallclock: measures a duration
	load.halt()
	if err != nil || !strings.Contains(msg, "backup written") || !strings.Contains(msg, "SECRET KEY IS NOT IN THIS BACKUP") {
		t.Fatalf("backup under load: %v\n%s", err, msg)
	}
	afterR, afterA := load.acknowledged()

	// Restore elsewhere, with the key kept apart from the backup.
	dst := dbEnv(t)
	dst["PENDOPO_DATA"] = filepath.Join(dst["PENDOPO_DATA"], "pulih")
	os.MkdirAll(dst["PENDOPO_DATA"], 0o750)
	key, err := os.ReadFile(filepath.Join(env["PENDOPO_DATA"], "secret.key"))
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(dst["PENDOPO_DATA"], "secret.key"), key, 0o600)
	restoreStart := time.Now() // wallclock: measures a duration
	if msg, err := runBinary(t, dst, "", "restore", out); err != nil || !strings.Contains(msg, "Done.") {
		t.Fatalf("restore: %v\n%s", err, msg)
	}
	restoreTook := time.Since(restoreStart) // wallclock: measures a duration
	p2 := startPortal(t, dst)

	// Every write acknowledged before the backup started is there.
	findAll(t, p2.url, append(reports, withPhoto...), apps, clients)
	for _, n := range withPhoto {
		r, err := getReport(hc, p2.url, n)
		if err != nil || r.MediaURL == "" {
			t.Errorf("report %s lost its photo: %+v %v", n, r, err)
			continue
		}
		res, err := hc.Get(r.MediaURL)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != 200 || !strings.HasPrefix(res.Header.Get("Content-Type"), "image/") {
			t.Errorf("photo of %s: %d %s", n, res.StatusCode, res.Header.Get("Content-Type"))
		}
	}
	for _, code := range documents {
		res, err := hc.Get(p2.url + "/verifikasi/" + code)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode != 200 || !strings.Contains(string(body), "Dokumen asli") {
			t.Errorf("document %s on the restored portal: %d", code, res.StatusCode)
		}
	}
	if msg, err := runBinary(t, dst, "", "audit", "verify"); err != nil || !strings.Contains(msg, "intact") {
		t.Errorf("audit verify on the restored portal: %v %s", err, msg)
	}
	if msg, err := runBinary(t, dst, "", "doctor"); err != nil || strings.Contains(msg, "FAIL") {
		t.Errorf("doctor on the restored portal: %v\n%s", err, msg)
	}
	nApps := 0
	for _, l := range apps {
		nApps += len(l)
	}
	t.Logf("%s: %d reports (%d with photos), %d applications, %d documents acknowledged before the backup; backup took %s while the load went on (%d reports and %d applications acknowledged after the backup started); restore took %s; whole drill %s",
		backendName(env), len(reports)+len(withPhoto), len(withPhoto), nApps, len(documents), backupTook.Round(time.Millisecond),
		afterR-len(before), afterA-countApps(beforeApps), restoreTook.Round(time.Millisecond), time.Since(start).Round(time.Millisecond)) // wallclock: measures a duration
}

func countApps(m map[int][]string) int {
	n := 0
	for _, l := range m {
		n += len(l)
	}
	return n
}
