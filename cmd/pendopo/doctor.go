package main

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/pendopo/pendopo"
	"github.com/pendopo/pendopo/internal/app"
	"github.com/pendopo/pendopo/internal/blob"
	"github.com/pendopo/pendopo/internal/store"
)

// finding is one line of the doctor's report.
type finding struct {
	state, what, detail, todo string
}

func (e env) doctor(ctx context.Context, args []string) error {
	const summary = "Check an installation and say what to do about every problem: the database (SQLite's full\n" +
		"integrity_check), its migrations, the secret key (its check value, and that every sealed value\n" +
		"opens with it), the audit trail, the file store (reachable, every file the database refers to\n" +
		"there, a sample read back and hashed) and free disk space. Exits 1 when a check failed. It can\n" +
		"run while the portal serves; it never migrates or repairs anything."
	f := e.flags("doctor", summary)
	dbf := f.dbFlags()
	sample := f.int("sample", "PENDOPO_DOCTOR_SAMPLE", 50, "how many stored files to read back and hash (0 for all)")
	if err := f.parse(args); err != nil {
		return err
	}
	var out []finding
	add := func(state, what, detail, todo string) { out = append(out, finding{state, what, detail, todo}) }
	defer func() { e.printFindings(out) }()

	db, err := dbf.openWith(ctx, store.Options{NoMigrate: true, MustExist: true})
	if err != nil {
		add("FAIL", "database", err.Error(), "check --data / --db (PENDOPO_DATA, PENDOPO_DB): is this the portal's database, and does it answer?")
		return errors.New("doctor: the database does not open")
	}
	defer db.Close()
	start := e.now()
	if err := db.IntegrityCheck(ctx); err != nil {
		add("FAIL", "database", err.Error(), "stop every instance, keep the damaged file for inspection, and restore the last backup into a new place (pendopo restore)")
	} else if db.Dialect() == "sqlite" {
		add("ok", "database", fmt.Sprintf("%s: integrity_check found nothing wrong (%s)", db.Describe(), time.Since(start).Round(time.Millisecond)), "") // wallclock: measures how long the check took
	} else {
		add("ok", "database", db.Describe()+" answers (PostgreSQL checks its pages as it reads them; use amcheck or pg_checksums for more)", "")
	}
	e.diskSpace(db, add)

	migrated := e.checkMigrations(ctx, db, add)
	key, keyOK := e.checkKey(ctx, dbf, db, add)
	blobs, err := dbf.blobs()
	if err != nil {
		add("FAIL", "file store", err.Error(), "fix the --files / --files-s3-* settings")
	} else {
		e.checkFiles(ctx, db, blobs, *sample, add)
	}
	if !migrated || !keyOK {
		add("skip", "sealed data", "not checked: the migrations or the secret key above need attention first", "")
		add("skip", "audit trail", "not checked: the migrations or the secret key above need attention first", "")
	} else {
		log, _ := e.logger("text", "error")
		a, err := app.New(ctx, app.Config{Store: db, Logger: log, SecretKey: key, Blobs: blobs})
		if err != nil {
			add("FAIL", "application", dbf.keyProblem(err, db.Describe()).Error(), "fix what the message says, then run pendopo doctor again")
		} else {
			e.checkSealed(ctx, a, dbf, add)
			e.checkAudit(ctx, a, add)
		}
	}
	failed := 0
	for _, f := range out {
		if f.state == "FAIL" {
			failed++
		}
	}
	if failed > 0 {
		return fmt.Errorf("doctor: %d checks failed", failed)
	}
	return nil
}

func (e env) printFindings(out []finding) {
	for _, f := range out {
		fmt.Fprintf(e.stdout, "%-5s %-12s %s\n", f.state, f.what, f.detail)
		if f.todo != "" {
			fmt.Fprintf(e.stdout, "      %-12s → %s\n", "", f.todo)
		}
	}
}

func (e env) checkMigrations(ctx context.Context, db *store.DB, add func(state, what, detail, todo string)) bool {
	applied, err := db.Applied(ctx)
	if err != nil {
		add("FAIL", "migrations", err.Error(), "this is not a Pendopo database, or it is damaged: check --data / --db")
		return false
	}
	known, err := store.KnownMigrations(db.Dialect())
	if err != nil {
		add("FAIL", "migrations", err.Error(), "")
		return false
	}
	var unknown, pending []string
	for _, m := range applied {
		if !slices.Contains(known, m) {
			unknown = append(unknown, m)
		}
	}
	for _, m := range known {
		if !slices.Contains(applied, m) {
			pending = append(pending, m)
		}
	}
	switch {
	case len(unknown) > 0:
		add("FAIL", "migrations", "the database has migrations this build does not know: "+strings.Join(unknown, ", "),
			"this pendopo is older than the database: run the version that migrated it, or a newer one")
		return false
	case len(pending) > 0:
		add("FAIL", "migrations", "pending: "+strings.Join(pending, ", "), "run pendopo migrate (serve also applies them at start)")
		return false
	}
	add("ok", "migrations", fmt.Sprintf("all %d applied (%s)", len(applied), last(applied)), "")
	return true
}

func (e env) checkKey(ctx context.Context, dbf dbFlags, db *store.DB, add func(state, what, detail, todo string)) ([]byte, bool) {
	key, err := dbf.readKey()
	if errors.Is(err, fs.ErrNotExist) {
		held, herr := app.HoldsSealedData(ctx, db)
		if herr == nil && !held {
			add("ok", "secret key", dbf.keySource()+" does not exist yet; serve makes it at the first start", "keep a copy of it apart from the backups once it exists")
			return nil, false
		}
		add("FAIL", "secret key", dbf.keySource()+" is missing, but the database holds data sealed with a secret key",
			"put the key back (from where you keep it apart from the backups, or from a backup made with --with-key); without it those data cannot be read"+pendingHint(dbf.keyPath()))
		return nil, false
	}
	if err != nil {
		add("FAIL", "secret key", err.Error(), "the key file must hold 32 bytes in base64, as Pendopo wrote it")
		return nil, false
	}
	check, err := db.Setting(ctx, app.KeyCheckSetting)
	switch {
	case errors.Is(err, pendopo.ErrNotFound):
		add("ok", "secret key", dbf.keySource()+" is read; the database has no check value yet (it gets one at the next start)", "")
	case err != nil:
		add("FAIL", "secret key", err.Error(), "")
		return nil, false
	case check != app.KeyCheck(key):
		add("FAIL", "secret key", dbf.keySource()+" is not the key of this database", "use the key that belongs to this database (after a restore: the one kept with that backup)"+pendingHint(dbf.keyPath()))
		return nil, false
	default:
		add("ok", "secret key", dbf.keySource()+" is the database's key (its check value matches)", "")
	}
	return key, true
}

func (e env) checkSealed(ctx context.Context, a *app.App, dbf dbFlags, add func(state, what, detail, todo string)) {
	r, err := a.CheckSealed(ctx, 5)
	switch {
	case err != nil:
		add("FAIL", "sealed data", err.Error(), "")
	case r.Bad > 0:
		todo := "these values were sealed under another key: if an instance kept running through a rotation of the key, run pendopo keys reseal --old-key-file with the old key"
		if old, _ := filepath.Glob(dbf.keyPath() + ".*.old"); len(old) > 0 {
			todo += " (such as " + old[len(old)-1] + ")"
		}
		add("FAIL", "sealed data", fmt.Sprintf("%d of %d sealed values do not open with the key: %s", r.Bad, r.Checked, strings.Join(r.Sample, ", ")), todo)
	default:
		add("ok", "sealed data", fmt.Sprintf("all %d sealed values open with the key", r.Checked), "")
	}
}

func (e env) checkAudit(ctx context.Context, a *app.App, add func(state, what, detail, todo string)) {
	r, err := a.VerifyAudit(ctx)
	switch {
	case err != nil:
		add("FAIL", "audit trail", err.Error(), "")
	case r.Break != nil:
		add("FAIL", "audit trail", fmt.Sprintf("broken at entry %d: %s", r.Break.Seq, r.Break.Reason),
			"someone changed the trail behind the application: keep the database as it is for investigation, and compare with a backup")
	default:
		add("ok", "audit trail", fmt.Sprintf("intact: %d entries verified", r.Entries), "")
	}
}

func (e env) checkFiles(ctx context.Context, db *store.DB, blobs blob.Store, sample int, add func(state, what, detail, todo string)) {
	refs, err := db.BlobAddrs(ctx)
	if err != nil {
		add("FAIL", "file store", err.Error(), "")
		return
	}
	where := "S3"
	if d, ok := blobs.(blob.Dir); ok {
		where = d.Path
		if err := writable(d.Path); err != nil && len(refs) > 0 {
			add("FAIL", "file store", fmt.Sprintf("%s takes no new files: %v", d.Path, err), "check that the directory exists, is writable by the portal's user, and its disk has room")
			return
		}
		var missing []string
		for _, addr := range refs {
			if _, err := os.Stat(dirFilePath(d.Path, addr)); err != nil {
				missing = append(missing, addr)
			}
		}
		if len(missing) > 0 {
			add("FAIL", "file store", fmt.Sprintf("%d of %d files the database refers to are missing from %s: %s", len(missing), len(refs), d.Path, strings.Join(first(missing, 5), ", ")),
				"copy them back from the last backup (its files/ members), or restore it into a new place")
			return
		}
	}
	// Read back a sample spread over all files, or all of them.
	step := 1
	if sample > 0 && len(refs) > sample {
		step = len(refs) / sample
	}
	var bad []string
	read := 0
	for i := 0; i < len(refs); i += step {
		read++
		if err := checkBlob(ctx, blobs, refs[i]); err != nil {
			bad = append(bad, refs[i]+" ("+err.Error()+")")
		}
	}
	if len(bad) > 0 {
		add("FAIL", "file store", fmt.Sprintf("%d of %d files read back from %s are missing or damaged: %s", len(bad), read, where, strings.Join(first(bad, 5), ", ")),
			"for S3, check the endpoint, bucket and keys (they need s3:GetObject); copy damaged files back from the last backup")
		return
	}
	add("ok", "file store", fmt.Sprintf("%s: %d files referred to are there; %d read back and hashed", where, len(refs), read), "")
}

// writable tries to create and remove a file in dir.
func writable(dir string) error {
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return err
	}
	f, err := os.CreateTemp(dir, ".doctor-*")
	if err != nil {
		return err
	}
	f.Close()
	return os.Remove(f.Name())
}

func (e env) diskSpace(db *store.DB, add func(state, what, detail, todo string)) {
	if db.Path() == "" {
		return
	}
	free, total, err := diskFree(filepath.Dir(db.Path()))
	if err != nil || total == 0 {
		return
	}
	const low = 1 << 30
	detail := fmt.Sprintf("%.1f GB free of %.1f GB where the database is", float64(free)/1e9, float64(total)/1e9)
	if free < low || free < total/20 {
		add("warn", "disk", detail, "make room: when the disk is full every write fails and /readyz answers 503 (database refuses writes)")
		return
	}
	add("ok", "disk", detail, "")
}
