package main

import (
	"context"
	"database/sql"
	"encoding/base64"
	"fmt"
	"io"
	"log/slog"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/pendopo/pendopo"
	"github.com/pendopo/pendopo/internal/app"
	"github.com/pendopo/pendopo/internal/apptest"
	"github.com/pendopo/pendopo/internal/pendopotest"
	"github.com/pendopo/pendopo/internal/store"
	"github.com/pendopo/pendopo/internal/web"
	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"
)

// backends are the databases the tamper tests run on: SQLite always,
// PostgreSQL when PENDOPO_TEST_POSTGRES names a server.
func backends(t *testing.T) map[string]func(t *testing.T) map[string]string {
	out := map[string]func(t *testing.T) map[string]string{
		"sqlite": func(t *testing.T) map[string]string { return map[string]string{"PENDOPO_DATA": t.TempDir()} },
	}
	if os.Getenv(pendopotest.EnvPostgres) != "" {
		out["postgres"] = func(t *testing.T) map[string]string {
			return map[string]string{"PENDOPO_DATA": t.TempDir(), "PENDOPO_DB": pendopotest.PostgresURL(t)}
		}
	}
	return out
}

// insider is someone with write access to the database and the wits to
// recompute every hash in it: the chain, and the tree.
type insider struct {
	t   *testing.T
	raw *sql.DB
	pg  bool
}

func newInsider(t *testing.T, env map[string]string) *insider {
	driver, dsn := "sqlite", "file:"+filepath.Join(env["PENDOPO_DATA"], "pendopo.db")
	if env["PENDOPO_DB"] != "" {
		driver, dsn = "pgx", env["PENDOPO_DB"]
	}
	raw, err := sql.Open(driver, dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { raw.Close() })
	return &insider{t: t, raw: raw, pg: driver == "pgx"}
}

func (x *insider) exec(q string, args ...any) {
	x.t.Helper()
	if x.pg {
		for i := 1; strings.Contains(q, "?"); i++ {
			q = strings.Replace(q, "?", fmt.Sprintf("$%d", i), 1)
		}
	}
	if _, err := x.raw.Exec(q, args...); err != nil {
		x.t.Fatal(err)
	}
}

// entries reads the whole trail.
func (x *insider) entries() []pendopo.AuditEntry {
	x.t.Helper()
	rows, err := x.raw.Query(`SELECT seq, at, actor, COALESCE(actor_user, 0), COALESCE(actor_token, 0), role, ip, action, entity, entity_id, region, diff, salt FROM audit_log ORDER BY seq`)
	if err != nil {
		x.t.Fatal(err)
	}
	defer rows.Close()
	var out []pendopo.AuditEntry
	for rows.Next() {
		var (
			e  pendopo.AuditEntry
			at string
		)
		if err := rows.Scan(&e.Seq, &at, &e.Actor, &e.ActorUser, &e.ActorToken, &e.Role, &e.IP, &e.Action, &e.Entity, &e.EntityID, &e.Region, &e.Diff, &e.Salt); err != nil {
			x.t.Fatal(err)
		}
		e.At, _ = time.Parse("2006-01-02T15:04:05.000000000Z", at)
		out = append(out, e)
	}
	return out
}

// rewrite replaces the trail with entries, recomputing the chain, the
// tree and the counter, as a careful insider would.
func (x *insider) rewrite(entries []pendopo.AuditEntry) {
	x.t.Helper()
	x.exec(`DELETE FROM audit_log`)
	x.exec(`DELETE FROM audit_tree`)
	prev := pendopo.GenesisHash
	mem := map[int64]tlog.Hash{}
	r := tlog.HashReaderFunc(func(ix []int64) ([]tlog.Hash, error) {
		out := make([]tlog.Hash, len(ix))
		for i, n := range ix {
			out[i] = mem[n]
		}
		return out, nil
	})
	for i, e := range entries {
		e.Seq, e.PrevHash = int64(i+1), prev
		e.Hash = e.ComputeHash()
		prev = e.Hash
		x.exec(`INSERT INTO audit_log (seq, at, actor, actor_user, actor_token, role, ip, action, entity, entity_id, region, diff, prev_hash, hash, salt)
			VALUES (?, ?, ?, NULL, NULL, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, e.Seq, e.At.UTC().Format("2006-01-02T15:04:05.000000000Z"), e.Actor,
			e.Role, e.IP, e.Action, e.Entity, e.EntityID, e.Region, e.Diff, e.PrevHash, e.Hash, e.Salt)
		// The entries the tests rewrite have no actor ids.
		hs, err := tlog.StoredHashes(e.Seq-1, e.Record(), r)
		if err != nil {
			x.t.Fatal(err)
		}
		for k, h := range hs {
			idx := tlog.StoredHashIndex(0, e.Seq-1) + int64(k)
			mem[idx] = h
			x.exec(`INSERT INTO audit_tree (idx, hash) VALUES (?, ?)`, idx, h[:])
		}
	}
	x.exec(`UPDATE counters SET value = ? WHERE name = 'audit'`, len(entries))
}

// TestAuditRewriteCaughtByCheckpoint: an insider edits an entry, removes
// the last three or inserts one, each time recomputing the hash chain,
// the tree and the counter. Verification of the database alone cannot
// tell; verification against a checkpoint kept before can, and says so.
func TestAuditRewriteCaughtByCheckpoint(t *testing.T) {
	for name, newEnv := range backends(t) {
		t.Run(name, func(t *testing.T) {
			env := newEnv(t)
			env["PENDOPO_BASE_URL"] = "https://pendopo.semarangkota.go.id"
			a, _ := openTestApp(t, env)
			for i := range 8 {
				if _, _, err := a.CreateToken(context.Background(), pendopo.System, fmt.Sprintf("integrasi-%d", i), ""); err != nil {
					t.Fatal(err)
				}
			}
			vkey, _, err := cli(t, env, "", "audit", "key")
			if err != nil || !strings.HasPrefix(vkey, "pendopo.semarangkota.go.id/audit+") {
				t.Fatalf("audit key: %q %v", vkey, err)
			}
			kept := filepath.Join(t.TempDir(), "checkpoint")
			if _, _, err := cli(t, env, "", "audit", "checkpoint", "--out", kept); err != nil {
				t.Fatal(err)
			}
			out, _, err := cli(t, env, "", "audit", "verify", "--checkpoint", kept, "--key", strings.TrimSpace(vkey))
			if err != nil || !strings.Contains(out, "intact: 8 entries") || !strings.Contains(out, "consistent with the kept checkpoint of 8 entries") {
				t.Fatalf("untouched log: %v\n%s", err, out)
			}
			x := newInsider(t, env)
			original := x.entries()

			// 0. The last 3 entries removed and the counter lowered, the
			// tree left: the tree tells.
			x.exec(`DELETE FROM audit_log WHERE seq > 5`)
			x.exec(`UPDATE counters SET value = 5 WHERE name = 'audit'`)
			out, _, err = cli(t, env, "", "audit", "verify")
			if err == nil || !strings.Contains(out, "BROKEN at entry 6") || !strings.Contains(out, "counter lowered") {
				t.Errorf("cut-off tail, counter lowered: %v\n%s", err, out)
			}
			x.rewrite(original)
			// An entry added after the last one without raising the counter.
			x.exec(`INSERT INTO audit_log (seq, at, actor, role, ip, action, entity, entity_id, region, diff, prev_hash, hash)
				VALUES (9, '2026-11-27T10:00:00.000000000Z', 'sistem', 'system', '', 'token.create', 'api_token', '99', '', '', 'x', 'x')`)
			out, _, err = cli(t, env, "", "audit", "verify")
			if err == nil || !strings.Contains(out, "BROKEN at entry 9") || !strings.Contains(out, "inserted") {
				t.Errorf("entry beyond the counter: %v\n%s", err, out)
			}
			x.exec(`DELETE FROM audit_log WHERE seq = 9`)

			// 1. An entry edited, the chain alone recomputed: the tree tells.
			x.exec(`UPDATE audit_log SET actor = 'orang lain' WHERE seq = 3`)
			edited := x.entries()
			prev := pendopo.GenesisHash
			for _, e := range edited {
				e.PrevHash = prev
				prev = e.ComputeHash()
				x.exec(`UPDATE audit_log SET prev_hash = ?, hash = ? WHERE seq = ?`, e.PrevHash, prev, e.Seq)
			}
			out, _, err = cli(t, env, "", "audit", "verify")
			if err == nil || !strings.Contains(out, "BROKEN at entry 3") || !strings.Contains(out, "leaf") {
				t.Errorf("edited entry, chain recomputed: %v\n%s", err, out)
			}

			cases := []struct {
				name    string
				entries []pendopo.AuditEntry
				want    string
			}{
				{"an entry edited, chain and tree recomputed", edited, "not the ones the kept checkpoint signed"},
				{"the last 3 removed and the counter lowered", original[:5], "covers 8 entries but the log has only 5"},
				{"an entry inserted", append(append(append([]pendopo.AuditEntry{}, original[:4]...), pendopo.AuditEntry{
					At: original[3].At, Actor: "sistem", Role: "system", Action: "token.create", Entity: "api_token", EntityID: "99"}), original[4:]...),
					"not the ones the kept checkpoint signed"},
			}
			for _, c := range cases {
				x.rewrite(c.entries)
				// The database is consistent with itself...
				out, _, err := cli(t, env, "", "audit", "verify")
				if err != nil || !strings.Contains(out, "intact") {
					t.Errorf("%s: the rewrite is not self-consistent, so this test proves nothing: %v\n%s", c.name, err, out)
				}
				// ...but not with what was kept.
				out, _, err = cli(t, env, "", "audit", "verify", "--checkpoint", kept, "--key", strings.TrimSpace(vkey))
				if err == nil || !strings.Contains(out, "BROKEN") || !strings.Contains(out, c.want) {
					t.Errorf("%s: %v\n%s", c.name, err, out)
				}
			}
			// With the key from the database, or one put in its place.
			if _, _, err := cli(t, env, "", "audit", "verify", "--checkpoint", kept); err == nil {
				t.Error("verify with the database's key passed")
			}
			x.exec(`UPDATE audit_keys SET verifier = ?`, "pendopo.semarangkota.go.id/audit+00000000+AQ==")
			out, _, err = cli(t, env, "", "audit", "verify", "--checkpoint", kept)
			if err == nil || !strings.Contains(out, "BROKEN") {
				t.Errorf("kept checkpoint against a replaced key: %v\n%s", err, out)
			}
			// And the original log, restored, verifies again.
			x.exec(`UPDATE audit_keys SET verifier = ?`, strings.TrimSpace(vkey))
			x.rewrite(original)
			out, _, err = cli(t, env, "", "audit", "verify", "--checkpoint", kept)
			if err != nil || !strings.Contains(out, "consistent") {
				t.Errorf("original log restored: %v\n%s", err, out)
			}
		})
	}
}

// openTestApp opens the app of env's database with the test secret key
// (also given to the commands through env) and a movable clock.
func openTestApp(t *testing.T, env map[string]string) (*app.App, *time.Time) {
	t.Helper()
	ctx := context.Background()
	db, err := store.Open(ctx, env["PENDOPO_DB"], env["PENDOPO_DATA"])
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	clock := time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC)
	cfg, _ := apptest.Config(db, clock)
	cfg.Now = func() time.Time { return clock }
	cfg.BaseURL = env["PENDOPO_BASE_URL"]
	env["PENDOPO_SECRET_KEY"] = base64.StdEncoding.EncodeToString(apptest.SecretKey)
	a, err := app.New(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	return a, &clock
}

// TestAuditWitnessCommand: the province's instance witnesses a region's
// log over HTTP, keeping the last co-signed checkpoint, and refuses once
// the region's log was rewritten.
func TestAuditWitnessCommand(t *testing.T) {
	ctx := context.Background()
	region := dbEnv(t)
	region["PENDOPO_BASE_URL"] = "https://pendopo.semarangkota.go.id"
	a, clock := openTestApp(t, region)
	h, err := web.New(a, web.Config{Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	defer srv.Close()
	grow := func(n int) {
		for i := range n {
			if _, _, err := a.CreateToken(ctx, pendopo.System, fmt.Sprint("t", i), "33.74"); err != nil {
				t.Fatal(err)
			}
		}
		*clock = clock.Add(app.CheckpointEvery)
	}
	regionKey, err := a.AuditVerifierKey(ctx)
	if err != nil {
		t.Fatal(err)
	}
	hub := dbEnv(t)
	hub["PENDOPO_BASE_URL"] = "https://pendopo.jatengprov.go.id"
	state := t.TempDir()
	witness := func() (string, string, error) {
		return cli(t, hub, "", "audit", "witness", "--url", srv.URL, "--key", regionKey, "--state", state)
	}
	grow(3)
	out, errs, err := witness()
	if err != nil || !strings.Contains(errs, "at 3 entries") {
		t.Fatalf("first witness: %v %s\n%s", err, errs, out)
	}
	hubKey, _, err := cli(t, hub, "", "audit", "key")
	if err != nil {
		t.Fatal(err)
	}
	grow(5)
	out, _, err = witness()
	if err != nil {
		t.Fatalf("second witness: %v", err)
	}
	rv, _ := note.NewVerifier(regionKey)
	hv, _ := note.NewVerifier(strings.TrimSpace(hubKey))
	kept, _ := os.ReadFile(filepath.Join(state, "checkpoint"))
	if n, err := note.Open(kept, note.VerifierList(rv, hv)); err != nil || len(n.Sigs) != 2 || !strings.Contains(n.Text, "\n8\n") || string(kept) != out {
		t.Fatalf("kept co-signed checkpoint: %v\n%s", err, kept)
	}
	// The co-signed checkpoint is what anyone verifies the region with.
	if out, _, err := cli(t, region, "", "audit", "verify", "--checkpoint", filepath.Join(state, "checkpoint"), "--key", regionKey); err != nil {
		t.Errorf("verify the region against the witness's copy: %v\n%s", err, out)
	}
	// The region's last entries are cut off (chain, tree and counter
	// made consistent); the witness refuses and keeps what it had.
	x := newInsider(t, region)
	x.rewrite(x.entries()[:6])
	*clock = clock.Add(app.CheckpointEvery)
	if _, _, err := witness(); err == nil || !strings.Contains(err.Error(), "shrank") {
		t.Errorf("witness of a shrunk log: %v", err)
	}
	if after, _ := os.ReadFile(filepath.Join(state, "checkpoint")); string(after) != string(kept) {
		t.Error("the witness replaced its checkpoint with a refused one")
	}
	if _, _, err := cli(t, hub, "", "audit", "witness", "--url", srv.URL); exitCode(err) != 2 {
		t.Errorf("witness without --key and --state: %v", err)
	}
}
