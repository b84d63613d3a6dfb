package storetest

import (
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/pendopo/pendopo"
	"github.com/pendopo/pendopo/internal/pendopotest"
	"golang.org/x/mod/sumdb/tlog"
)

// hashReader reads a store's audit tree for tlog.
func hashReader(s pendopo.Store) tlog.HashReaderFunc {
	return func(indexes []int64) ([]tlog.Hash, error) {
		hs, err := s.AuditHashes(ctx, indexes)
		out := make([]tlog.Hash, len(hs))
		for i, h := range hs {
			out[i] = h
		}
		return out, err
	}
}

// testAuditTree: entries appended alone, several in one transaction, and
// from concurrent batches all become leaves of one Merkle tree, in Seq
// order, whose hashes are stored so that proofs can be made; a failed
// transaction leaves neither an entry nor a hash.
func testAuditTree(t *testing.T, s pendopo.Store) {
	at := pendopotest.T0
	entry := func(i int) pendopo.AuditEntry {
		return pendopo.AuditEntry{At: at.Add(time.Duration(i) * time.Second), Actor: "budi", Role: "officer", Action: "application.approve",
			Entity: "application", EntityID: fmt.Sprint(i), Region: "33.74", Diff: `{"status":["a","b"]}`}
	}
	must(s.AppendAudit(ctx, entry(0)))(t)
	// Several in one transaction are appended at its commit, in order.
	if err := s.InTx(ctx, func(tx pendopo.Store) error {
		for i := 1; i <= 4; i++ {
			if _, err := tx.AppendAudit(ctx, entry(i)); err != nil {
				return err
			}
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	// Concurrent batches, as group commit makes them.
	var wg sync.WaitGroup
	for g := range 4 {
		wg.Go(func() {
			fns := make([]func(pendopo.Store) error, 5)
			for k := range fns {
				fns[k] = func(tx pendopo.Store) error {
					_, err := tx.AppendAudit(ctx, entry(100+10*g+k))
					return err
				}
			}
			if _, err := s.Batch(ctx, fns); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	// A failed transaction leaves nothing.
	boom := errors.New("boom")
	if err := s.InTx(ctx, func(tx pendopo.Store) error {
		tx.AppendAudit(ctx, entry(999))
		return boom
	}); !errors.Is(err, boom) {
		t.Fatal(err)
	}
	const n = 25
	if head := must(s.AuditHead(ctx))(t); head != n {
		t.Fatalf("audit head = %d, want %d", head, n)
	}
	chain := must(s.AuditChain(ctx, 0, 100))(t)
	if len(chain) != n {
		t.Fatalf("%d entries, want %d", len(chain), n)
	}
	if _, _, brk := pendopo.VerifyChain(chain, pendopo.GenesisHash, 1); brk != nil {
		t.Fatalf("chain: %+v", brk)
	}
	salts := map[string]bool{}
	for _, e := range chain {
		if len(e.Salt) != 32 || salts[e.Salt] {
			t.Errorf("entry %d salt %q: want 16 random bytes, each entry its own", e.Seq, e.Salt)
		}
		salts[e.Salt] = true
	}
	if tail := must(s.AuditTail(ctx))(t); tail != (pendopo.AuditTail{Head: n}) {
		t.Errorf("tail = %+v, want the head and nothing beyond", tail)
	}
	// The stored hashes are exactly those of a tree built from the
	// entries' records, and nothing beyond.
	r := hashReader(s)
	mem := map[int64]tlog.Hash{}
	memReader := tlog.HashReaderFunc(func(ix []int64) ([]tlog.Hash, error) {
		out := make([]tlog.Hash, len(ix))
		for i, x := range ix {
			out[i] = mem[x]
		}
		return out, nil
	})
	for _, e := range chain {
		hs, err := tlog.StoredHashes(e.Seq-1, e.Record(), memReader)
		if err != nil {
			t.Fatal(err)
		}
		for i, h := range hs {
			mem[tlog.StoredHashIndex(0, e.Seq-1)+int64(i)] = h
		}
	}
	stored := must(s.AuditHashRange(ctx, 0, tlog.StoredHashCount(n)))(t)
	for i, h := range stored {
		if tlog.Hash(h) != mem[int64(i)] {
			t.Fatalf("stored hash %d differs from the tree of the entries", i)
		}
	}
	if _, err := s.AuditHashRange(ctx, 0, tlog.StoredHashCount(n)+1); !errors.Is(err, pendopo.ErrNotFound) {
		t.Errorf("range past the end: %v, want not found", err)
	}
	if _, err := s.AuditHashes(ctx, []int64{3, tlog.StoredHashCount(n)}); !errors.Is(err, pendopo.ErrNotFound) {
		t.Errorf("missing hash: %v, want not found", err)
	}
	// Proofs from the stored hashes check out.
	root := must(tlog.TreeHash(n, r))(t)
	for _, e := range []pendopo.AuditEntry{chain[0], chain[12], chain[n-1]} {
		p := must(tlog.ProveRecord(n, e.Seq-1, r))(t)
		if err := tlog.CheckRecord(p, n, root, e.Seq-1, tlog.RecordHash(e.Record())); err != nil {
			t.Errorf("inclusion of %d: %v", e.Seq, err)
		}
	}
	old := must(tlog.TreeHash(7, r))(t)
	if err := tlog.CheckTree(must(tlog.ProveTree(n, 7, r))(t), n, root, 7, old); err != nil {
		t.Errorf("consistency 7 → %d: %v", n, err)
	}

	// The checkpoint key: one per ID.
	if _, err := s.AuditKey(ctx); !errors.Is(err, pendopo.ErrNotFound) {
		t.Errorf("key before any: %v", err)
	}
	k := pendopo.AuditKey{ID: 1, Name: "pendopo.test/audit", Verifier: "pendopo.test/audit+00000000+AQ==", Sealed: []byte{1, 2, 3}, CreatedAt: at}
	must(s.SaveAuditKey(ctx, k))(t)
	if _, err := s.SaveAuditKey(ctx, k); !errors.Is(err, pendopo.ErrConflict) {
		t.Errorf("second key with the same ID: %v, want a conflict", err)
	}
	got := must(s.AuditKey(ctx))(t)
	if got.Name != k.Name || got.Verifier != k.Verifier || string(got.Sealed) != string(k.Sealed) || !got.CreatedAt.Equal(at) {
		t.Errorf("key = %+v, want %+v", got, k)
	}
}
