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
// removing any entry breaks every hash after it.
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

// AuditStore keeps the audit trail.
type AuditStore interface {
	// AppendAudit adds an entry at the end of the chain, setting its Seq,
	// PrevHash and Hash. Call it in the transaction of the write it records.
	AppendAudit(ctx context.Context, e AuditEntry) (AuditEntry, error)
	// AuditLog lists entries, newest first.
	AuditLog(ctx context.Context, f AuditFilter) ([]AuditEntry, int, error)
	// AuditChain returns up to limit entries after sequence number after,
	// in order, for verification.
	AuditChain(ctx context.Context, after int64, limit int) ([]AuditEntry, error)
	// AuditHead is the sequence number of the last entry ever appended, kept
	// apart from the entries so that cutting off the end is detected too.
	AuditHead(ctx context.Context) (int64, error)
}
