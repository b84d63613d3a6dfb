package app

import (
	"bytes"
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/pendopo/pendopo"
	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"
)

// The audit trail as a transparency log. Its entries are the leaves of a
// Merkle tree (RFC 6962, as golang.org/x/mod/sumdb/tlog builds it) kept in
// the database; the instance signs checkpoints of the tree (its size and
// root hash, as a golang.org/x/mod/sumdb/note note in the C2SP
// tlog-checkpoint form) with an Ed25519 key of its own, and publishes
// them with inclusion and consistency proofs. The proofs carry hashes and
// sizes only: entries stay private. Whoever keeps a checkpoint (the
// province, the Ministry, a journalist, a cron job) can later prove that
// today's log still begins with exactly the entries it signed, so that an
// insider who edits, removes or inserts entries, even recomputing every
// hash in the database, is caught.

// CheckpointEvery is how long a published checkpoint is served before a
// newer one is signed: the log grows with every write, and signing (and
// reading the tree) once a minute at most keeps the public endpoint cheap.
const CheckpointEvery = time.Minute

// auditKeySeal is the context the checkpoint key is sealed under, with the
// key's id after it ("audit-key:1"). Rotating the secret key re-seals it
// like every other sealed value (sealedKinds).
const auditKeySeal = "audit-key:"

func auditKeyContext(id int64) string { return auditKeySeal + strconv.FormatInt(id, 10) }

// auditLog caches the checkpoint key and the latest checkpoint.
type auditLog struct {
	mu     sync.Mutex
	signer note.Signer
	key    pendopo.AuditKey
	// the latest signed checkpoint, its tree size and when it was signed
	note []byte
	size int64
	at   time.Time
}

var errNoBaseURL = errors.New("the audit log's key is named after the portal's address: set --base-url (PENDOPO_BASE_URL) the first time")

// AuditKeyName is the name of the checkpoint key an instance at baseURL
// makes: its host and path, then /audit, such as
// "pendopo.semarangkota.go.id/audit". It is also the checkpoints' origin
// line, as C2SP's checkpoint format asks.
func AuditKeyName(baseURL string) (string, error) {
	u, err := url.Parse(strings.TrimSpace(baseURL))
	if err != nil || u.Host == "" {
		return "", errNoBaseURL
	}
	name := u.Host + strings.TrimRight(u.EscapedPath(), "/") + "/audit"
	if strings.ContainsAny(name, "+ \t\n") {
		return "", fmt.Errorf("the audit key's name %q may not hold spaces or +", name)
	}
	return name, nil
}

// auditSigner returns the checkpoint key, making it the first time: an
// Ed25519 key named after the base URL, its signer sealed with the secret
// key. Instances sharing a database agree on one key: the first to store
// it wins and the others read it.
func (a *App) auditSigner(ctx context.Context) (note.Signer, pendopo.AuditKey, error) {
	l := &a.auditLog
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.signer != nil {
		return l.signer, l.key, nil
	}
	k, err := a.store.AuditKey(ctx)
	if errors.Is(err, pendopo.ErrNotFound) {
		k, err = a.newAuditKey(ctx)
	}
	if err != nil {
		return nil, k, err
	}
	skey, err := a.sealer.open(k.Sealed, auditKeyContext(k.ID))
	if err != nil {
		return nil, k, fmt.Errorf("audit key %s: %w", k.Name, err)
	}
	s, err := note.NewSigner(skey)
	if err != nil {
		return nil, k, fmt.Errorf("audit key %s: %w", k.Name, err)
	}
	l.signer, l.key = s, k
	return s, k, nil
}

func (a *App) newAuditKey(ctx context.Context) (pendopo.AuditKey, error) {
	name, err := AuditKeyName(a.baseURL)
	if err != nil {
		return pendopo.AuditKey{}, err
	}
	skey, vkey, err := note.GenerateKey(rand.Reader, name)
	if err != nil {
		return pendopo.AuditKey{}, err
	}
	k := pendopo.AuditKey{ID: 1, Name: name, Verifier: vkey, Sealed: a.sealer.seal(skey, auditKeyContext(1)), CreatedAt: a.now()}
	if k, err = a.store.SaveAuditKey(ctx, k); errors.Is(err, pendopo.ErrConflict) {
		return a.store.AuditKey(ctx) // another instance made it meanwhile
	} else if err != nil {
		return k, err
	}
	a.log.Info("created the audit log's checkpoint key", "name", name, "verifier", vkey)
	return k, nil
}

// AuditVerifierKey is the public key that checks this instance's
// checkpoints, in the form note.NewVerifier reads ("name+hash+key"), for
// people to pin.
func (a *App) AuditVerifierKey(ctx context.Context) (string, error) {
	_, k, err := a.auditSigner(ctx)
	return k.Verifier, err
}

// treeReader reads the store's audit tree for tlog.
func treeReader(ctx context.Context, s pendopo.Store) tlog.HashReaderFunc {
	return func(indexes []int64) ([]tlog.Hash, error) {
		hs, err := s.AuditHashes(ctx, indexes)
		if err != nil {
			return nil, err
		}
		out := make([]tlog.Hash, len(hs))
		for i, h := range hs {
			out[i] = h
		}
		return out, nil
	}
}

// AuditCheckpoint returns the latest signed checkpoint of the audit log:
// a note whose text is the origin (the key's name), the number of entries
// and the tree's root hash in base64, then the signature. A checkpoint is
// signed when the log grew and the last one is CheckpointEvery old, so it
// may lag the log by that much.
func (a *App) AuditCheckpoint(ctx context.Context) ([]byte, error) {
	l := &a.auditLog
	l.mu.Lock()
	cached, size, at := l.note, l.size, l.at
	l.mu.Unlock()
	if cached != nil && a.now().Sub(at) < CheckpointEvery {
		return cached, nil
	}
	head, err := a.store.AuditHead(ctx)
	if err != nil {
		return nil, err
	}
	if cached != nil && head == size {
		return cached, nil
	}
	return a.SignAuditCheckpoint(ctx)
}

// SignAuditCheckpoint signs a checkpoint of the log as it is now, for
// "pendopo audit checkpoint" and the cache of AuditCheckpoint.
func (a *App) SignAuditCheckpoint(ctx context.Context) ([]byte, error) {
	signer, _, err := a.auditSigner(ctx)
	if err != nil {
		return nil, err
	}
	head, err := a.store.AuditHead(ctx)
	if err != nil {
		return nil, err
	}
	root, err := tlog.TreeHash(head, treeReader(ctx, a.store))
	if err != nil {
		return nil, fmt.Errorf("audit tree of %d entries: %w", head, err)
	}
	msg, err := note.Sign(&note.Note{Text: formatCheckpoint(Checkpoint{Origin: signer.Name(), Size: head, Root: root})}, signer)
	if err != nil {
		return nil, err
	}
	l := &a.auditLog
	l.mu.Lock()
	if head >= l.size {
		l.note, l.size, l.at = msg, head, a.now()
	}
	l.mu.Unlock()
	return msg, nil
}

// Checkpoint is what a checkpoint says: the log named Origin had Size
// entries, and its tree had root hash Root.
type Checkpoint struct {
	Origin string
	Size   int64
	Root   tlog.Hash
}

func formatCheckpoint(c Checkpoint) string {
	return c.Origin + "\n" + strconv.FormatInt(c.Size, 10) + "\n" + c.Root.String() + "\n"
}

var errBadCheckpoint = pendopo.Errorf(pendopo.KindBadRequest, pendopo.M("app.not_pendopo_audit_checkpoint_origin"))

// parseCheckpoint reads a checkpoint's text (the note without its
// signatures).
func parseCheckpoint(text string) (Checkpoint, error) {
	lines := strings.SplitN(text, "\n", 4)
	if len(lines) < 4 || lines[0] == "" {
		return Checkpoint{}, errBadCheckpoint
	}
	n, err := strconv.ParseInt(lines[1], 10, 64)
	if err != nil || n < 0 || lines[1] != strconv.FormatInt(n, 10) {
		return Checkpoint{}, errBadCheckpoint
	}
	h, err := tlog.ParseHash(lines[2])
	if err != nil {
		return Checkpoint{}, errBadCheckpoint
	}
	return Checkpoint{Origin: lines[0], Size: n, Root: h}, nil
}

// OpenCheckpoint checks a signed checkpoint with the verifier key vkey
// and returns what it says. It fails when the note is malformed, when
// vkey did not sign it, or when its origin is not the key's name.
func OpenCheckpoint(msg []byte, vkey string) (Checkpoint, *note.Note, error) {
	v, err := note.NewVerifier(strings.TrimSpace(vkey))
	if err != nil {
		return Checkpoint{}, nil, fmt.Errorf("verifier key %q: %w", vkey, err)
	}
	n, err := note.Open(msg, note.VerifierList(v))
	if err != nil {
		var unverified *note.UnverifiedNoteError
		var invalid *note.InvalidSignatureError
		switch {
		case errors.As(err, &unverified):
			return Checkpoint{}, nil, fmt.Errorf("the checkpoint is not signed by %s (key %08x)", v.Name(), v.KeyHash())
		case errors.As(err, &invalid):
			return Checkpoint{}, nil, fmt.Errorf("the checkpoint's signature by %s does not verify: it was altered after signing", v.Name())
		}
		return Checkpoint{}, nil, fmt.Errorf("read the checkpoint: %w", err)
	}
	c, err := parseCheckpoint(n.Text)
	if err != nil {
		return c, nil, err
	}
	if c.Origin != v.Name() {
		return c, nil, fmt.Errorf("the checkpoint is of the log %q, not of %q", c.Origin, v.Name())
	}
	return c, n, nil
}

// errNoEntry is a proof about an entry or a tree size the log does not have.
func errNoEntry(what string, n, head int64) error {
	return pendopo.Errorf(pendopo.KindNotFound, pendopo.M("app.the_audit_log_has_entries", head, what, n))
}

var errBadProof = pendopo.Errorf(pendopo.KindBadRequest, pendopo.M("app.entry_numbers_tree_sizes_are"))

// AuditLeaf is the leaf hash of entry n (its Seq; leaf index n-1): what
// anyone may know of an entry.
func (a *App) AuditLeaf(ctx context.Context, n int64) (tlog.Hash, error) {
	if n < 1 {
		return tlog.Hash{}, errBadProof
	}
	head, err := a.store.AuditHead(ctx)
	if err != nil {
		return tlog.Hash{}, err
	}
	if n > head {
		return tlog.Hash{}, errNoEntry("entry", n, head)
	}
	hs, err := treeReader(ctx, a.store)([]int64{tlog.StoredHashIndex(0, n-1)})
	if err != nil {
		return tlog.Hash{}, err
	}
	return hs[0], nil
}

// InclusionProof proves that entry n is in the tree of size entries.
type InclusionProof struct {
	Entry    int64            `json:"entry"`
	TreeSize int64            `json:"tree_size"`
	LeafHash tlog.Hash        `json:"leaf_hash"`
	RootHash tlog.Hash        `json:"root_hash"`
	Proof    tlog.RecordProof `json:"proof"`
}

// AuditInclusion proves that entry n (from 1) is in the tree of the first
// size entries.
func (a *App) AuditInclusion(ctx context.Context, n, size int64) (InclusionProof, error) {
	p := InclusionProof{Entry: n, TreeSize: size}
	if n < 1 || size < n {
		return p, errBadProof
	}
	head, err := a.store.AuditHead(ctx)
	if err != nil {
		return p, err
	}
	if size > head {
		return p, errNoEntry("tree size", size, head)
	}
	r := treeReader(ctx, a.store)
	if p.Proof, err = tlog.ProveRecord(size, n-1, r); err != nil {
		return p, err
	}
	if p.RootHash, err = tlog.TreeHash(size, r); err != nil {
		return p, err
	}
	p.LeafHash, err = a.AuditLeaf(ctx, n)
	return p, err
}

// ConsistencyProof proves that the tree of NewSize entries begins with
// the tree of OldSize entries.
type ConsistencyProof struct {
	OldSize int64          `json:"old_size"`
	NewSize int64          `json:"new_size"`
	OldRoot tlog.Hash      `json:"old_root"`
	NewRoot tlog.Hash      `json:"new_root"`
	Proof   tlog.TreeProof `json:"proof"`
}

// AuditConsistency proves that the log of newSize entries begins with
// the log of oldSize entries (1 ≤ oldSize ≤ newSize).
func (a *App) AuditConsistency(ctx context.Context, oldSize, newSize int64) (ConsistencyProof, error) {
	p := ConsistencyProof{OldSize: oldSize, NewSize: newSize}
	if oldSize < 1 || newSize < oldSize {
		return p, errBadProof
	}
	head, err := a.store.AuditHead(ctx)
	if err != nil {
		return p, err
	}
	if newSize > head {
		return p, errNoEntry("tree size", newSize, head)
	}
	r := treeReader(ctx, a.store)
	if p.Proof, err = tlog.ProveTree(newSize, oldSize, r); err != nil {
		return p, err
	}
	if p.OldRoot, err = tlog.TreeHash(oldSize, r); err != nil {
		return p, err
	}
	p.NewRoot, err = tlog.TreeHash(newSize, r)
	return p, err
}

// AuditReport is the result of checking the audit log.
type AuditReport struct {
	// Entries is how many entries were checked.
	Entries int64
	// Root is the tree's root hash over them.
	Root tlog.Hash
	// Kept is the size of the kept checkpoint checked against, if any.
	Kept int64
	// Break is the first place where the log does not hold, or nil. Its
	// Seq is 0 when the problem is not at one entry.
	Break *pendopo.ChainBreak
}

// VerifyAudit walks the whole audit log, a thousand entries at a time,
// and reports the first entry that was changed, removed or inserted: each
// entry must link to the one before (the hash chain), and its leaf and
// every tree hash it completes must be what the database keeps.
// Someone with write access to the database can still recompute all of
// that; VerifyAuditCheckpoint also catches them.
func (a *App) VerifyAudit(ctx context.Context) (AuditReport, error) {
	return a.verifyAudit(ctx)
}

// VerifyAuditCheckpoint verifies the log as VerifyAudit does, and then
// that a checkpoint kept earlier (signed by vkey, or by this instance's
// key when vkey is empty) is consistent with it: the log still has at
// least its entries, and its first entries hash to the root the
// checkpoint signed. An edited, removed or inserted entry, or entries cut
// off the end with the counter lowered, are caught however thoroughly
// the database was rewritten.
func (a *App) VerifyAuditCheckpoint(ctx context.Context, checkpoint []byte, vkey string) (AuditReport, error) {
	if vkey == "" {
		var err error
		if vkey, err = a.instanceVerifier(ctx); err != nil {
			return AuditReport{}, err
		}
	}
	kept, _, err := OpenCheckpoint(checkpoint, vkey)
	if err != nil {
		return AuditReport{Break: &pendopo.ChainBreak{Reason: err.Error()}}, nil
	}
	r, err := a.verifyAudit(ctx)
	if err != nil || r.Break != nil {
		return r, err
	}
	r.Kept = kept.Size
	if kept.Size > r.Entries {
		r.Break = &pendopo.ChainBreak{Seq: r.Entries + 1, Reason: fmt.Sprintf(
			"the kept checkpoint covers %d entries but the log has only %d: entries were removed from the end", kept.Size, r.Entries)}
		return r, nil
	}
	if kept.Size == 0 {
		return r, nil
	}
	tr := treeReader(ctx, a.store)
	old, err := tlog.TreeHash(kept.Size, tr)
	if err != nil {
		return r, err
	}
	proof, err := tlog.ProveTree(r.Entries, kept.Size, tr)
	if err != nil {
		return r, err
	}
	if old != kept.Root || tlog.CheckTree(proof, r.Entries, r.Root, kept.Size, kept.Root) != nil {
		r.Break = &pendopo.ChainBreak{Reason: fmt.Sprintf(
			"the log's first %d entries are not the ones the kept checkpoint signed: entries among them were changed, removed or inserted, and the hashes recomputed", kept.Size)}
	}
	return r, nil
}

// instanceVerifier is the verifier key stored in the database. A kept
// checkpoint is best checked against a key pinned elsewhere: someone who
// rewrote the database may have replaced this one too (and is then caught
// because the kept checkpoint does not verify with it).
func (a *App) instanceVerifier(ctx context.Context) (string, error) {
	k, err := a.store.AuditKey(ctx)
	if errors.Is(err, pendopo.ErrNotFound) {
		return "", errors.New("this instance has no audit key yet, so it signed no checkpoint: pass the key with --key")
	}
	return k.Verifier, err
}

// verifyBatch is how many entries verification reads at a time, so that
// a log of millions streams through in little memory.
const verifyBatch = 1000

func (a *App) verifyAudit(ctx context.Context) (AuditReport, error) {
	var r AuditReport
	// The log as it ends now; what is appended while the walk goes on
	// is left for the next verification.
	tail, err := a.store.AuditTail(ctx)
	if err != nil {
		return r, err
	}
	head := tail.Head
	prev, next := pendopo.GenesisHash, int64(1)
	for {
		batch, err := a.store.AuditChain(ctx, next-1, verifyBatch)
		if err != nil {
			return r, err
		}
		if len(batch) == 0 {
			break
		}
		beyond := slices.IndexFunc(batch, func(e pendopo.AuditEntry) bool { return e.Seq > head })
		if beyond >= 0 {
			batch = batch[:beyond]
		}
		if len(batch) > 0 {
			var brk *pendopo.ChainBreak
			prev, next, brk = pendopo.VerifyChain(batch, prev, next)
			if brk == nil {
				if brk, err = a.verifyLeaves(ctx, batch); err != nil {
					return r, err
				}
			}
			if brk != nil {
				r.Entries, r.Break = brk.Seq-1, brk
				return r, nil
			}
			r.Entries = next - 1
		}
		if beyond >= 0 {
			break
		}
	}
	switch {
	case r.Entries < head:
		r.Break = &pendopo.ChainBreak{Seq: r.Entries + 1, Reason: "the entries from here to the last one appended were removed"}
		return r, nil
	case tail.Beyond != 0:
		// Entries numbered beyond the counter were never appended.
		r.Break = &pendopo.ChainBreak{Seq: tail.Beyond, Reason: fmt.Sprintf(
			"it exists although only %d entries were appended: it was inserted", head)}
		return r, nil
	case tail.BeyondHashes:
		// Hashes beyond the last entry belong to entries that were cut off.
		r.Break = &pendopo.ChainBreak{Seq: head + 1, Reason: fmt.Sprintf(
			"the tree holds hashes of entries after %d: entries were removed from the end and the counter lowered", head)}
		return r, nil
	}
	if r.Root, err = tlog.TreeHash(head, treeReader(ctx, a.store)); err != nil {
		return r, err
	}
	return r, nil
}

// verifyLeaves recomputes the tree hashes that entries (in order, the
// ones before them verified) add, and compares them with the stored ones.
// Earlier hashes it needs were verified when their entries were.
func (a *App) verifyLeaves(ctx context.Context, batch []pendopo.AuditEntry) (*pendopo.ChainBreak, error) {
	first, last := batch[0].Seq, batch[len(batch)-1].Seq
	from, to := tlog.StoredHashIndex(0, first-1), tlog.StoredHashCount(last)
	stored, err := a.store.AuditHashRange(ctx, from, to)
	if errors.Is(err, pendopo.ErrNotFound) {
		// Find the first entry whose hashes are missing.
		for _, e := range batch {
			if _, err := a.store.AuditHashRange(ctx, tlog.StoredHashIndex(0, e.Seq-1), tlog.StoredHashCount(e.Seq)); err != nil {
				return &pendopo.ChainBreak{Seq: e.Seq, Reason: "the tree lacks its hashes: it was inserted, or the tree was cut"}, nil
			}
		}
	}
	if err != nil {
		return nil, err
	}
	db := treeReader(ctx, a.store)
	r := tlog.HashReaderFunc(func(indexes []int64) ([]tlog.Hash, error) {
		out := make([]tlog.Hash, len(indexes))
		var before []int64
		for _, i := range indexes {
			if i < from {
				before = append(before, i)
			}
		}
		old, err := db(before)
		if err != nil {
			return nil, err
		}
		for k, i := range indexes {
			if i >= from {
				out[k] = stored[i-from]
			} else {
				out[k], old = old[0], old[1:]
			}
		}
		return out, nil
	})
	for _, e := range batch {
		hs, err := tlog.StoredHashes(e.Seq-1, e.Record(), r)
		if err != nil {
			return nil, err
		}
		base := tlog.StoredHashIndex(0, e.Seq-1) - from
		for i, h := range hs {
			if tlog.Hash(stored[base+int64(i)]) == h {
				continue
			}
			if i == 0 {
				return &pendopo.ChainBreak{Seq: e.Seq, Reason: "its content does not match its leaf in the tree (edited)"}, nil
			}
			return &pendopo.ChainBreak{Seq: e.Seq, Reason: "a tree hash it completes does not match the entries (the tree was edited)"}, nil
		}
	}
	return nil, nil
}

// WitnessCheckpoint is what a witness (another Pendopo, such as the
// province's) does with a checkpoint of a region's log: it checks that
// vkey signed it and that it is consistent with prev, the last one the
// witness co-signed (nil the first time, which is trusted as it comes),
// asking consistency for the proof between their sizes; then it adds its
// own signature with this instance's audit key. A log that shrank, forked
// or cannot prove consistency is refused.
func (a *App) WitnessCheckpoint(ctx context.Context, vkey string, checkpoint, prev []byte,
	consistency func(oldSize, newSize int64) (tlog.TreeProof, error)) ([]byte, Checkpoint, error) {
	c, n, err := OpenCheckpoint(checkpoint, vkey)
	if err != nil {
		return nil, c, err
	}
	if prev != nil {
		old, _, err := OpenCheckpoint(prev, vkey)
		if err != nil {
			return nil, c, fmt.Errorf("the last co-signed checkpoint: %w", err)
		}
		switch {
		case c.Size < old.Size:
			return nil, c, fmt.Errorf("the log shrank from %d to %d entries since the last checkpoint: refused", old.Size, c.Size)
		case c.Size == old.Size && c.Root != old.Root:
			return nil, c, fmt.Errorf("the log of %d entries now has another root hash than before: it was rewritten; refused", c.Size)
		case c.Size > old.Size && old.Size > 0:
			proof, err := consistency(old.Size, c.Size)
			if err != nil {
				return nil, c, fmt.Errorf("consistency proof %d → %d: %w", old.Size, c.Size, err)
			}
			if err := tlog.CheckTree(proof, c.Size, c.Root, old.Size, old.Root); err != nil {
				return nil, c, fmt.Errorf("the log of %d entries is not an extension of the one of %d entries co-signed before: it was rewritten; refused", c.Size, old.Size)
			}
		}
	}
	signer, _, err := a.auditSigner(ctx)
	if err != nil {
		return nil, c, err
	}
	if signer.Name() == c.Origin {
		return nil, c, errors.New("a log cannot witness itself")
	}
	out, err := note.Sign(n, signer)
	if err != nil {
		return nil, c, err
	}
	if !bytes.HasPrefix(out, []byte(n.Text)) {
		return nil, c, errors.New("co-signing changed the checkpoint's text")
	}
	return out, c, nil
}
