package pendopo

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"strconv"
	"time"
)

// AuditEntry records one write by a person or a token, or an officer's
// reading of a citizen's personal data. Entries form a hash chain: each
// Hash covers the entry and the previous entry's hash, so changing or
// removing any entry breaks every hash after it. They are also the leaves
// of a Merkle tree (RFC 6962) whose signed checkpoints are published, so
// that a rewrite is caught by anyone who kept an earlier checkpoint, even
// when the chain and the tree were recomputed: see Record.
type AuditEntry struct {
	Seq        int64     `json:"seq"`
	At         time.Time `json:"at"`
	Actor      string    `json:"actor"`
	ActorUser  int64     `json:"actor_user,omitempty"`
	ActorToken int64     `json:"actor_token,omitempty"`
	Role       string    `json:"role,omitempty"`
	IP         string    `json:"ip,omitempty"`
	// Action says what happened: "service.update", "user.read_personal", …
	Action   string `json:"action"`
	Entity   string `json:"entity"`
	EntityID string `json:"entity_id"`
	Region   string `json:"region,omitempty"`
	// Diff is a JSON object of changed fields: {"path": [before, after]}.
	Diff     string `json:"diff,omitempty"`
	PrevHash string `json:"prev_hash"`
	Hash     string `json:"hash"`
	// Salt is random text the store gives each entry (empty on entries
	// older than the tree). It is part of the entry's Record, so that a
	// leaf hash in a public proof cannot be used to confirm a guess of
	// what the entry says. It is never shown.
	Salt string `json:"-"`
	// Redacted is set on entries shown to someone who may not see the
	// record they are about: their diff, and the actor when that is a
	// citizen, are left out. It is never stored.
	Redacted bool `json:"redacted,omitempty"`
}

// GenesisHash is the previous hash of the first entry.
const GenesisHash = "0000000000000000000000000000000000000000000000000000000000000000"

// ComputeHash returns the hash the entry must carry given its PrevHash: a
// SHA-256 over every field but Hash, each length-prefixed so that no two
// entries encode the same.
func (e AuditEntry) ComputeHash() string {
	h := sha256.New()
	for _, f := range []string{
		strconv.FormatInt(e.Seq, 10), e.At.UTC().Format(time.RFC3339Nano), e.Actor,
		strconv.FormatInt(e.ActorUser, 10), strconv.FormatInt(e.ActorToken, 10), e.Role, e.IP,
		e.Action, e.Entity, e.EntityID, e.Region, e.Diff, e.PrevHash,
	} {
		h.Write([]byte(strconv.Itoa(len(f))))
		h.Write([]byte{':'})
		h.Write([]byte(f))
	}
	return hex.EncodeToString(h.Sum(nil))
}

// auditRecordV1 starts every leaf record, so that the encoding can change
// later without two versions ever encoding alike.
const auditRecordV1 = "pendopo audit entry v1\n"

// Record is the entry as a leaf of the audit log's Merkle tree: every
// field the entry was written with but the hash chain's, each
// length-prefixed so that no two entries encode the same, and its Salt.
// Leaf hashes (RFC 6962: SHA-256 of 0x00 and the record) are what public
// proofs carry; the entries themselves are never published.
func (e AuditEntry) Record() []byte {
	b := make([]byte, 0, len(auditRecordV1)+len(e.Diff)+256)
	b = append(b, auditRecordV1...)
	for _, f := range [...]string{
		strconv.FormatInt(e.Seq, 10), e.At.UTC().Format(time.RFC3339Nano), e.Actor,
		strconv.FormatInt(e.ActorUser, 10), strconv.FormatInt(e.ActorToken, 10), e.Role, e.IP,
		e.Action, e.Entity, e.EntityID, e.Region, e.Diff, e.Salt,
	} {
		b = strconv.AppendInt(b, int64(len(f)), 10)
		b = append(b, ':')
		b = append(b, f...)
	}
	return b
}

// ChainBreak describes the first entry where the chain does not hold.
type ChainBreak struct {
	Seq    int64
	Reason string
}

// VerifyChain checks entries in order, continuing from prev (the hash of
// the entry before the first, GenesisHash at the start) and wantSeq (the
// sequence number the first must have). It returns the hash and sequence
// number to continue from, or the first break.
func VerifyChain(entries []AuditEntry, prev string, wantSeq int64) (string, int64, *ChainBreak) {
	for _, e := range entries {
		switch {
		case e.Seq != wantSeq:
			return prev, wantSeq, &ChainBreak{Seq: wantSeq, Reason: "entry " + strconv.FormatInt(wantSeq, 10) + " is missing (next is " + strconv.FormatInt(e.Seq, 10) + ")"}
		case e.PrevHash != prev:
			return prev, wantSeq, &ChainBreak{Seq: e.Seq, Reason: "its previous hash does not match the entry before it"}
		case e.ComputeHash() != e.Hash:
			return prev, wantSeq, &ChainBreak{Seq: e.Seq, Reason: "its content does not match its hash (edited)"}
		}
		prev, wantSeq = e.Hash, wantSeq+1
	}
	return prev, wantSeq, nil
}

// Diff compares two values as JSON and returns the changed fields as a
// JSON object {"path": [before, after]}, or "" when nothing changed.
func Diff(before, after any) string {
	var b, a any
	if before != nil {
		raw, _ := json.Marshal(before)
		json.Unmarshal(raw, &b)
	}
	if after != nil {
		raw, _ := json.Marshal(after)
		json.Unmarshal(raw, &a)
	}
	changes := map[string][2]any{}
	diffInto(changes, "", b, a)
	if len(changes) == 0 {
		return ""
	}
	out, _ := json.Marshal(changes)
	return string(out)
}

func diffInto(out map[string][2]any, path string, b, a any) {
	bm, bok := b.(map[string]any)
	am, aok := a.(map[string]any)
	if bok && aok {
		for k, bv := range bm {
			diffInto(out, join(path, k), bv, am[k])
		}
		for k, av := range am {
			if _, seen := bm[k]; !seen {
				diffInto(out, join(path, k), nil, av)
			}
		}
		return
	}
	bj, _ := json.Marshal(b)
	aj, _ := json.Marshal(a)
	if string(bj) != string(aj) {
		if path == "" {
			path = "."
		}
		out[path] = [2]any{b, a}
	}
}

func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

// AuditFilter selects audit entries; empty fields do not filter.
type AuditFilter struct {
	Region   string
	Entity   string
	EntityID string
	// Actor matches part of the actor's name, ignoring case.
	Actor string
	// ActorRoles, when set, limits Actor to entries whose actor held one
	// of these roles, for viewers who may not see whom citizens' entries
	// name.
	ActorRoles []string
	// ActorUser keeps the entries written by one person.
	ActorUser int64
	// Action is an action ("service.publish") or its first part ("service").
	Action string
	Since  time.Time
	Until  time.Time
	// Actions keeps the entries whose action is exactly one of these.
	Actions []string
	// Subject keeps the entries that others wrote about one person's
	// records, for the person's own list of who read their data.
	Subject *AuditSubject
	Page    Page
}

// AuditSubject names a person's records for AuditFilter.Subject: their
// account (entity "user"), the applications their account follows
// (entity "application", except those an officer filed at a counter for
// someone else) and the reports they filed with it (entity "report",
// found by ReporterKey, anonymous ones too). Entries the person wrote
// themselves are left out.
type AuditSubject struct {
	UserID      int64
	ReporterKey string
}

// AuditTail is the end of the audit trail as verification sees it.
type AuditTail struct {
	// Head is the number of entries appended (AuditHead).
	Head int64
	// Beyond is the first entry numbered after Head, 0 when there is none
	// (as there should be none).
	Beyond int64
	// BeyondHashes is true when the tree holds hashes of entries after Head
	// (it should not).
	BeyondHashes bool
}

// AuditKey is the instance's key that signs the audit log's checkpoints:
// an Ed25519 key in the form of golang.org/x/mod/sumdb/note. Name
// identifies the instance (such as "semarangkota.go.id/audit"); Verifier
// is the public key as note.NewVerifier reads it, for people to pin;
// Sealed is the signer key, encrypted with the instance's secret key.
type AuditKey struct {
	ID        int64
	Name      string
	Verifier  string
	Sealed    []byte
	CreatedAt time.Time
}

// AuditStore keeps the audit trail and the Merkle tree over it.
//
// The tree's hashes are kept as golang.org/x/mod/sumdb/tlog stores them:
// by stored-hash index (tlog.StoredHashIndex), the hashes of entry n (its
// Seq minus one) written with it, so that appending and proving read
// O(log n) of them.
type AuditStore interface {
	// AppendAudit adds an entry at the end of the chain and the tree,
	// setting its Seq, PrevHash, Hash and Salt. Call it in the transaction
	// of the write it records: there the entry is queued and appended when
	// the transaction commits (so that the trail's one lock is held only
	// for the commit), and the returned entry has no Seq yet. Outside a
	// transaction it is appended at once.
	AppendAudit(ctx context.Context, e AuditEntry) (AuditEntry, error)
	// AuditLog lists entries, newest first.
	AuditLog(ctx context.Context, f AuditFilter) ([]AuditEntry, int, error)
	// AuditChain returns up to limit entries after sequence number after,
	// in order, for verification.
	AuditChain(ctx context.Context, after int64, limit int) ([]AuditEntry, error)
	// AuditHead is the sequence number of the last entry ever appended, kept
	// apart from the entries so that cutting off the end is detected too.
	// It is also the size of the tree.
	AuditHead(ctx context.Context) (int64, error)
	// AuditTail reads the head and what lies beyond it together, under the
	// trail's lock, so that an entry being appended meanwhile is not taken
	// for one inserted behind the counter's back.
	AuditTail(ctx context.Context) (AuditTail, error)
	// AuditHashes reads the tree's stored hashes by index, in the order
	// asked; a missing one is ErrNotFound.
	AuditHashes(ctx context.Context, indexes []int64) ([][32]byte, error)
	// AuditHashRange reads the stored hashes from index from up to (not
	// including) to, in order; a missing one is ErrNotFound.
	AuditHashRange(ctx context.Context, from, to int64) ([][32]byte, error)
	// AuditKey returns the newest checkpoint key; ErrNotFound before the
	// first was made.
	AuditKey(ctx context.Context) (AuditKey, error)
	// SaveAuditKey stores a new checkpoint key; ErrConflict when another
	// instance stored one with the same name first.
	SaveAuditKey(ctx context.Context, k AuditKey) (AuditKey, error)
}
