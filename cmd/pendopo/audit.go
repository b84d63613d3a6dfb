package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/pendopo/pendopo/internal/app"
	"golang.org/x/mod/sumdb/tlog"
)

const auditSummary = `Check the audit trail and publish it as a transparency log.

The trail's entries are the leaves of a Merkle tree; the instance signs
checkpoints of it (GET /audit/checkpoint) with its own key (GET /audit/key).
Whoever keeps a checkpoint can later prove that the log still begins with
exactly the entries it signed: a rewrite, even with every hash in the
database recomputed, or entries cut off the end, is caught.

  pendopo audit verify [--checkpoint FILE] [--key KEY]
        check every entry against the one before and against the tree; with
        --checkpoint, also that a checkpoint kept earlier (signed by KEY, by
        default the key in the database) is consistent with today's log.
        Exit 1 naming what does not hold.
  pendopo audit checkpoint [--out FILE]
        sign and print a checkpoint of the log as it is now, for a cron job
        to keep elsewhere
  pendopo audit key
        print the key that checks this instance's checkpoints, to pin
  pendopo audit witness --url URL --key KEY --state DIR
        as a witness (such as the province's instance), fetch the checkpoint
        of the Pendopo at URL, check it is signed by KEY and consistent with
        the last one kept in DIR, co-sign it with this instance's key, keep
        it as DIR/checkpoint and print it`

func (e env) audit(ctx context.Context, args []string) error {
	if len(args) == 0 {
		fmt.Fprintln(e.stderr, auditSummary)
		return usageError{"audit needs a subcommand: verify, checkpoint, key or witness"}
	}
	sub := args[0]
	f := e.flags("audit "+sub, auditSummary)
	dbf := f.dbFlags()
	baseURL := f.string("base-url", "PENDOPO_BASE_URL", "", "the portal's public address; the audit key is named after it when it is made (checkpoint, key, witness)")
	var checkpoint, key, out, url, state *string
	switch sub {
	case "verify":
		checkpoint = f.string("checkpoint", "PENDOPO_AUDIT_CHECKPOINT", "", "a signed checkpoint kept earlier, to check today's log against")
		key = f.string("key", "PENDOPO_AUDIT_KEY", "", "the verifier key that signed the checkpoint (name+hash+key, as printed by pendopo audit key); default the key in the database")
	case "checkpoint":
		out = f.string("out", "PENDOPO_OUT", "", "write the checkpoint to this file (replacing it whole) instead of printing it")
	case "key":
	case "witness":
		url = f.string("url", "PENDOPO_WITNESS_URL", "", "the public address of the Pendopo whose log to witness, such as https://pendopo.semarangkota.go.id")
		key = f.string("key", "PENDOPO_WITNESS_KEY", "", "that instance's verifier key (from its GET /audit/key), pinned")
		state = f.string("state", "PENDOPO_WITNESS_STATE", "", "directory that keeps the last checkpoint co-signed for that instance")
	default:
		fmt.Fprintln(e.stderr, auditSummary)
		return usageError{fmt.Sprintf("unknown audit subcommand %q", sub)}
	}
	if err := f.parse(args[1:]); err != nil {
		return err
	}
	if sub == "witness" && (*url == "" || *key == "" || *state == "") {
		return usageError{"audit witness needs --url, --key and --state"}
	}
	a, db, err := dbf.openAppAt(ctx, e, *baseURL)
	if err != nil {
		return err
	}
	defer db.Close()
	switch sub {
	case "verify":
		return e.auditVerify(ctx, a, *checkpoint, *key)
	case "checkpoint":
		msg, err := a.SignAuditCheckpoint(ctx)
		if err != nil {
			return err
		}
		if *out != "" {
			return writeFileAtomic(*out, msg)
		}
		_, err = e.stdout.Write(msg)
		return err
	case "key":
		k, err := a.AuditVerifierKey(ctx)
		if err != nil {
			return err
		}
		fmt.Fprintln(e.stdout, k)
		return nil
	}
	return e.auditWitness(ctx, a, strings.TrimRight(*url, "/"), *key, *state)
}

func (e env) auditVerify(ctx context.Context, a *app.App, checkpoint, key string) error {
	var (
		r   app.AuditReport
		err error
	)
	if checkpoint != "" {
		msg, rerr := os.ReadFile(checkpoint)
		if rerr != nil {
			return fmt.Errorf("read the kept checkpoint: %w", rerr)
		}
		r, err = a.VerifyAuditCheckpoint(ctx, msg, key)
	} else {
		r, err = a.VerifyAudit(ctx)
	}
	if err != nil {
		return err
	}
	if b := r.Break; b != nil {
		if b.Seq == 0 {
			fmt.Fprintf(e.stdout, "audit trail BROKEN: %s\n", b.Reason)
			return errors.New("audit trail broken")
		}
		fmt.Fprintf(e.stdout, "audit trail BROKEN at entry %d: %s (%d entries before it verified)\n", b.Seq, b.Reason, b.Seq-1)
		return fmt.Errorf("audit trail broken at entry %d", b.Seq)
	}
	fmt.Fprintf(e.stdout, "audit trail intact: %d entries verified, tree root %s\n", r.Entries, r.Root)
	if checkpoint != "" {
		fmt.Fprintf(e.stdout, "consistent with the kept checkpoint of %d entries\n", r.Kept)
	}
	return nil
}

// witnessClient fetches other instances' checkpoints and proofs.
var witnessClient = &http.Client{Timeout: 30 * time.Second}

// auditWitness fetches a region instance's checkpoint, checks it against
// the last one this witness co-signed, co-signs it and keeps it.
func (e env) auditWitness(ctx context.Context, a *app.App, base, key, state string) error {
	if err := os.MkdirAll(state, 0o750); err != nil {
		return err
	}
	kept := filepath.Join(state, "checkpoint")
	prev, err := os.ReadFile(kept)
	if errors.Is(err, fs.ErrNotExist) {
		prev = nil
	} else if err != nil {
		return err
	}
	msg, err := fetchText(ctx, base+"/audit/checkpoint")
	if err != nil {
		return err
	}
	consistency := func(oldSize, newSize int64) (tlog.TreeProof, error) {
		body, err := fetchText(ctx, base+"/audit/proof/consistency/"+strconv.FormatInt(oldSize, 10)+"/"+strconv.FormatInt(newSize, 10))
		if err != nil {
			return nil, err
		}
		var p app.ConsistencyProof
		if err := json.Unmarshal(body, &p); err != nil {
			return nil, fmt.Errorf("read the consistency proof: %w", err)
		}
		return p.Proof, nil
	}
	cosigned, c, err := a.WitnessCheckpoint(ctx, key, msg, prev, consistency)
	if err != nil {
		return fmt.Errorf("witness %s: %w", base, err)
	}
	if err := writeFileAtomic(kept, cosigned); err != nil {
		return err
	}
	fmt.Fprintf(e.stderr, "co-signed %s at %d entries; kept in %s\n", c.Origin, c.Size, kept)
	_, err = e.stdout.Write(cosigned)
	return err
}

// fetchText GETs a small text document.
func fetchText(ctx context.Context, url string) ([]byte, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return nil, err
	}
	res, err := witnessClient.Do(req)
	if err != nil {
		return nil, err
	}
	defer res.Body.Close()
	body, err := io.ReadAll(io.LimitReader(res.Body, 1<<20))
	if err != nil {
		return nil, err
	}
	if res.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("GET %s: %s: %s", url, res.Status, strings.TrimSpace(string(body)))
	}
	return body, nil
}

// writeFileAtomic replaces path with data whole: a reader (or a crash)
// sees the old file or the new one, never half of one.
func writeFileAtomic(path string, data []byte) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}
