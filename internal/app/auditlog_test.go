package app_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/pendopo/pendopo"
	"github.com/pendopo/pendopo/internal/app"
	"github.com/pendopo/pendopo/internal/apptest"
	"github.com/pendopo/pendopo/internal/pendopotest"
	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"
)

// logApp is an app with a movable clock at base URL, for the audit log.
func logApp(t *testing.T, base string) (*app.App, *time.Time) {
	t.Helper()
	cfg, _ := apptest.Config(pendopotest.DB(t), now)
	clock := now
	cfg.Now = func() time.Time { return clock }
	cfg.BaseURL = base
	a, err := app.New(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	return a, &clock
}

// writes adds n audit entries through a use case that records them.
func writes(t *testing.T, a *app.App, n int) {
	t.Helper()
	for i := range n {
		if _, _, err := a.CreateToken(ctx, pendopo.System, fmt.Sprintf("integrasi %d", i), "33.74"); err != nil {
			t.Fatal(err)
		}
	}
}

// TestAuditCheckpoint: the instance signs checkpoints of its log with a
// key named after its address, at most once a minute while the log
// grows, and the proofs it gives check against them.
func TestAuditCheckpoint(t *testing.T) {
	a, clock := logApp(t, "https://pendopo.semarangkota.go.id/")
	vkey, err := a.AuditVerifierKey(ctx)
	if err != nil || !strings.HasPrefix(vkey, "pendopo.semarangkota.go.id/audit+") {
		t.Fatalf("verifier key %q: %v", vkey, err)
	}
	if again, _ := a.AuditVerifierKey(ctx); again != vkey {
		t.Errorf("the key changed: %s then %s", vkey, again)
	}
	writes(t, a, 5)
	first, err := a.AuditCheckpoint(ctx)
	if err != nil {
		t.Fatal(err)
	}
	c, _, err := app.OpenCheckpoint(first, vkey)
	if err != nil || c.Size != 5 || c.Origin != "pendopo.semarangkota.go.id/audit" {
		t.Fatalf("checkpoint %+v: %v\n%s", c, err, first)
	}
	// The log grows; within the minute the same checkpoint is served.
	writes(t, a, 3)
	if again, _ := a.AuditCheckpoint(ctx); string(again) != string(first) {
		t.Errorf("a new checkpoint within the minute:\n%s", again)
	}
	*clock = clock.Add(app.CheckpointEvery)
	second, err := a.AuditCheckpoint(ctx)
	if err != nil {
		t.Fatal(err)
	}
	c2, _, err := app.OpenCheckpoint(second, vkey)
	if err != nil || c2.Size != 8 {
		t.Fatalf("checkpoint after a minute: %+v %v", c2, err)
	}
	// Unchanged log, same checkpoint, however late.
	*clock = clock.Add(time.Hour)
	if again, _ := a.AuditCheckpoint(ctx); string(again) != string(second) {
		t.Errorf("the unchanged log was signed again")
	}

	// Proofs check against the checkpoints' roots.
	for n := int64(1); n <= 8; n++ {
		p, err := a.AuditInclusion(ctx, n, 8)
		if err != nil {
			t.Fatal(err)
		}
		leaf, err := a.AuditLeaf(ctx, n)
		if err != nil || leaf != p.LeafHash || p.RootHash != c2.Root {
			t.Fatalf("entry %d: leaf %v %v, root %v", n, leaf, err, p.RootHash)
		}
		if err := tlog.CheckRecord(p.Proof, 8, c2.Root, n-1, leaf); err != nil {
			t.Errorf("inclusion of %d: %v", n, err)
		}
	}
	cp, err := a.AuditConsistency(ctx, 5, 8)
	if err != nil || cp.OldRoot != c.Root || cp.NewRoot != c2.Root {
		t.Fatalf("consistency: %+v %v", cp, err)
	}
	if err := tlog.CheckTree(cp.Proof, 8, c2.Root, 5, c.Root); err != nil {
		t.Errorf("consistency 5 → 8: %v", err)
	}
	// Numbers outside the log are the caller's mistake, never a failure.
	for _, bad := range [][2]int64{{0, 8}, {9, 8}, {-1, 3}} {
		if _, err := a.AuditInclusion(ctx, bad[0], bad[1]); kind(err) != pendopo.KindBadRequest {
			t.Errorf("inclusion %v: %v, want a bad request", bad, err)
		}
		if _, err := a.AuditConsistency(ctx, bad[0], bad[1]); kind(err) != pendopo.KindBadRequest {
			t.Errorf("consistency %v: %v, want a bad request", bad, err)
		}
	}
	if _, err := a.AuditInclusion(ctx, 1, 9); kind(err) != pendopo.KindNotFound {
		t.Errorf("inclusion in a tree larger than the log: %v", err)
	}
	if _, err := a.AuditConsistency(ctx, 1, 99); kind(err) != pendopo.KindNotFound {
		t.Errorf("consistency with a tree larger than the log: %v", err)
	}
	if _, err := a.AuditLeaf(ctx, 9); kind(err) != pendopo.KindNotFound {
		t.Errorf("leaf past the end: %v", err)
	}

	// The kept first checkpoint is consistent with today's log.
	r, err := a.VerifyAuditCheckpoint(ctx, first, vkey)
	if err != nil || r.Break != nil || r.Kept != 5 || r.Entries != 8 {
		t.Errorf("verify against the kept checkpoint: %+v %v", r, err)
	}
	// Another log's key, or an altered checkpoint, is refused.
	_, otherKey, _ := note.GenerateKey(nil, "pendopo.semarangkota.go.id/audit")
	if r, _ := a.VerifyAuditCheckpoint(ctx, first, otherKey); r.Break == nil || !strings.Contains(r.Break.Reason, "not signed") {
		t.Errorf("checkpoint checked with another key: %+v", r.Break)
	}
	altered := strings.Replace(string(first), "\n5\n", "\n4\n", 1)
	if r, _ := a.VerifyAuditCheckpoint(ctx, []byte(altered), vkey); r.Break == nil || !strings.Contains(r.Break.Reason, "altered") {
		t.Errorf("altered checkpoint: %+v", r.Break)
	}
}

// TestAuditKeyNeedsAnAddress: the key is named after the portal, so it is
// not made without one.
func TestAuditKeyNeedsAnAddress(t *testing.T) {
	a, _ := logApp(t, "")
	if _, err := a.AuditCheckpoint(ctx); err == nil || !strings.Contains(err.Error(), "--base-url") {
		t.Errorf("checkpoint without an address: %v", err)
	}
	for base, want := range map[string]string{
		"http://127.0.0.1:8080":               "127.0.0.1:8080/audit",
		"https://layanan.jatengprov.go.id/p/": "layanan.jatengprov.go.id/p/audit",
	} {
		if got, err := app.AuditKeyName(base); err != nil || got != want {
			t.Errorf("AuditKeyName(%q) = %q, %v; want %q", base, got, err, want)
		}
	}
}

// TestAuditWitness: a hub instance co-signs a region's checkpoints after
// checking each against the last it co-signed, and refuses a log that
// shrank or cannot prove it extends the old one.
func TestAuditWitness(t *testing.T) {
	region, clock := logApp(t, "https://pendopo.semarangkota.go.id")
	hub, _ := logApp(t, "https://pendopo.jatengprov.go.id")
	regionKey, _ := region.AuditVerifierKey(ctx)
	hubKey, _ := hub.AuditVerifierKey(ctx)
	proofs := func(o, n int64) (tlog.TreeProof, error) {
		p, err := region.AuditConsistency(ctx, o, n)
		return p.Proof, err
	}
	writes(t, region, 3)
	c1, _ := region.AuditCheckpoint(ctx)
	cosigned1, cp, err := hub.WitnessCheckpoint(ctx, regionKey, c1, nil, proofs)
	if err != nil || cp.Size != 3 {
		t.Fatalf("first witness: %+v %v", cp, err)
	}
	// Both signatures verify, and the region's key alone still opens it.
	rv, _ := note.NewVerifier(regionKey)
	hv, _ := note.NewVerifier(hubKey)
	n, err := note.Open(cosigned1, note.VerifierList(rv, hv))
	if err != nil || len(n.Sigs) != 2 {
		t.Fatalf("co-signed checkpoint: %v\n%s", err, cosigned1)
	}
	if _, _, err := app.OpenCheckpoint(cosigned1, regionKey); err != nil {
		t.Errorf("the co-signed checkpoint no longer opens with the region's key: %v", err)
	}

	writes(t, region, 4)
	*clock = clock.Add(app.CheckpointEvery)
	c2, _ := region.AuditCheckpoint(ctx)
	cosigned2, cp, err := hub.WitnessCheckpoint(ctx, regionKey, c2, cosigned1, proofs)
	if err != nil || cp.Size != 7 {
		t.Fatalf("second witness: %+v %v", cp, err)
	}
	// A checkpoint older than the last co-signed one: the log shrank.
	if _, _, err := hub.WitnessCheckpoint(ctx, regionKey, c1, cosigned2, proofs); err == nil || !strings.Contains(err.Error(), "shrank") {
		t.Errorf("shrunk log: %v", err)
	}
	// A proof that does not hold: the log was rewritten.
	lying := func(o, n int64) (tlog.TreeProof, error) { return tlog.TreeProof{{1}, {2}}, nil }
	if _, _, err := hub.WitnessCheckpoint(ctx, regionKey, c2, cosigned1, lying); err == nil || !strings.Contains(err.Error(), "rewritten") {
		t.Errorf("inconsistent log: %v", err)
	}
	if _, _, err := hub.WitnessCheckpoint(ctx, regionKey, c2, cosigned1, func(int64, int64) (tlog.TreeProof, error) {
		return nil, errors.New("unreachable")
	}); err == nil {
		t.Error("co-signed without a consistency proof")
	}
	// A checkpoint of another key is not witnessed.
	if _, _, err := hub.WitnessCheckpoint(ctx, hubKey, c2, nil, proofs); err == nil {
		t.Error("witnessed a checkpoint with the wrong key")
	}
}
