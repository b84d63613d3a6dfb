package main

import (
	"bufio"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"hash"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/pendopo/pendopo"
	"github.com/pendopo/pendopo/internal/app"
	"github.com/pendopo/pendopo/internal/backup"
	"github.com/pendopo/pendopo/internal/blob"
	"github.com/pendopo/pendopo/internal/store"
)

// keyReminder is printed by every backup made without the secret key.
const keyReminder = `
!!! THE SECRET KEY IS NOT IN THIS BACKUP.
!!! Without %s the personal data in it (NIKs, application answers,
!!! reporters, the regions' signing keys) can never be read again. Keep a copy of
!!! the key apart from the backups (a password manager, a safe, another site), or
!!! make backups with --with-key, which seals it in under a passphrase.
`

var addrRE = regexp.MustCompile(`^[0-9a-f]{64}$`)

func (e env) backupCmd(ctx context.Context, args []string) error {
	const summary = "Write a backup of the whole portal to one file, also while it serves: a consistent copy of the\n" +
		"database (SQLite: VACUUM INTO; PostgreSQL: every table read in one repeatable-read transaction,\n" +
		"so no pg_dump is needed), every file of the file store (for S3, the list of their addresses only:\n" +
		"keep the bucket with its own versioning or replication), and a manifest with the SHA-256 of\n" +
		"everything. The secret key is left out unless --with-key seals it in under a passphrase, read from\n" +
		"PENDOPO_BACKUP_PASSPHRASE or with --passphrase-stdin (never a flag). pendopo restore reads it back."
	f := e.flags("backup", summary)
	dbf := f.dbFlags()
	out := f.string("out", "PENDOPO_OUT", "", "the backup file to write, such as pendopo-20261207.tar.gz; it must not exist yet")
	withKey := f.bool("with-key", "PENDOPO_BACKUP_WITH_KEY", false, "seal the secret key into the backup under a passphrase of at least 12 characters (argon2id, AES-256-GCM)")
	passStdin := f.bool("passphrase-stdin", "PENDOPO_PASSPHRASE_STDIN", false, "read the passphrase from the first line of standard input instead of PENDOPO_BACKUP_PASSPHRASE")
	if err := f.parse(args); err != nil {
		return err
	}
	if *out == "" {
		return usageError{"backup needs --out FILE"}
	}
	if _, err := os.Stat(*out); err == nil {
		return fmt.Errorf("%s exists: write each backup to a new file", *out)
	}
	blobs, err := dbf.blobs()
	if err != nil {
		return err
	}
	start := e.now()
	// The database is read as it is: never migrated by a backup, never
	// made where there is none.
	db, err := dbf.openWith(ctx, store.Options{NoMigrate: true, MustExist: true})
	if err != nil {
		return err
	}
	defer db.Close()
	check, err := db.Setting(ctx, app.KeyCheckSetting)
	if err != nil && !errors.Is(err, pendopo.ErrNotFound) {
		return err
	}
	var sealedKey *backup.SealedKey
	if *withKey {
		pass, err := e.passphrase(*passStdin)
		if err != nil {
			return err
		}
		key, err := dbf.readKey()
		if err != nil {
			return err
		}
		if check != "" && app.KeyCheck(key) != check {
			return dbf.keyProblem(app.ErrWrongSecretKey, db.Describe())
		}
		sk, err := backup.SealKey(key, pass)
		if err != nil {
			return err
		}
		sealedKey = &sk
	}

	tmp, err := os.MkdirTemp(filepath.Dir(*out), ".pendopo-backup-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	snap, err := db.Snapshot(ctx, tmp)
	if err != nil {
		return err
	}
	h := backup.Header{Pendopo: version(), CreatedAt: e.now().UTC(), Database: snap, KeyCheck: check, KeyIncluded: sealedKey != nil}
	// The files: those of a directory go in; those in object storage are
	// listed. Files are written before the database refers to them and
	// never change, so every file the snapshot refers to is there now.
	var present []string
	dir, isDir := blobs.(blob.Dir)
	if isDir {
		h.Files = backup.FilesIncluded
		if present, err = dirFiles(dir.Path); err != nil {
			return err
		}
		h.FileCount = len(present)
	} else {
		h.Files, h.FileCount = backup.FilesListed, len(snap.Blobs)
	}

	partial := *out + ".partial"
	file, err := os.OpenFile(partial, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	defer os.Remove(partial) // after the rename, nothing
	sum := sha256.New()
	w, err := backup.NewWriter(io.MultiWriter(file, sum), h)
	if err != nil {
		file.Close()
		return err
	}
	if sealedKey != nil {
		err = w.AddJSON(backup.KeyName, sealedKey)
	}
	var missing missingFiles
	if err == nil {
		missing, err = writeBackup(w, tmp, snap, dir, isDir, present)
	}
	if err == nil {
		err = w.Close()
	}
	if err == nil {
		err = file.Sync()
	}
	if cerr := file.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(partial, *out)
	}
	if err == nil {
		err = syncDir(filepath.Dir(*out))
	}
	if err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	st, _ := os.Stat(*out)
	files := fmt.Sprintf("%d files", len(present)-len(missing.damaged))
	if !isDir {
		files = fmt.Sprintf("the addresses of %d files in S3 (the files stay in the bucket)", len(snap.Blobs))
	}
	fmt.Fprintf(e.stdout, "backup written: %s (%.1f MB, SHA-256 %s)\n  database: %s, schema %s; %s; took %s\n",
		*out, float64(st.Size())/1e6, hex.EncodeToString(sum.Sum(nil)), snap.Dialect, last(snap.Migrations), files, time.Since(start).Round(time.Millisecond)) // wallclock: measures how long the backup took
	if sealedKey != nil {
		fmt.Fprintln(e.stdout, "  the secret key is in it, sealed under the passphrase: keep the passphrase apart from the backups")
	} else {
		fmt.Fprintf(e.stderr, keyReminder, dbf.keySource())
	}
	if n := len(missing.list()); n > 0 {
		fmt.Fprintf(e.stderr, "The database refers to %d files that are missing or damaged in the file store: %s\n", n, strings.Join(first(missing.list(), 5), ", "))
		return fmt.Errorf("backup written, but without %d files the database refers to; run pendopo doctor", n)
	}
	return nil
}

// missingFiles are files a backup could not take.
type missingFiles struct{ absent, damaged []string }

func (m missingFiles) list() []string { return append(slices.Clone(m.absent), m.damaged...) }

// writeBackup writes the snapshot's files, the file store's files (or
// their list) and what is missing.
func writeBackup(w *backup.Writer, tmp string, snap store.Snapshot, dir blob.Dir, isDir bool, present []string) (missingFiles, error) {
	var m missingFiles
	snapFile := func(name string) error { return w.AddFile(backup.DBDir+name, filepath.Join(tmp, name)) }
	for _, name := range snap.Files {
		if err := snapFile(name); err != nil {
			return m, err
		}
		os.Remove(filepath.Join(tmp, name)) // room for the rest
	}
	if isDir {
		have := map[string]bool{}
		for _, addr := range present {
			ok, err := addDirFile(w, dir, addr)
			if err != nil {
				return m, err
			}
			if ok {
				have[addr] = true
			} else {
				m.damaged = append(m.damaged, addr)
			}
		}
		for _, addr := range snap.Blobs {
			if !have[addr] && !slices.Contains(m.damaged, addr) {
				m.absent = append(m.absent, addr)
			}
		}
	} else {
		list := strings.Join(snap.Blobs, "\n")
		if list != "" {
			list += "\n"
		}
		if err := w.Add(backup.FileListName, int64(len(list)), strings.NewReader(list)); err != nil {
			return m, err
		}
	}
	if l := m.list(); len(l) > 0 {
		s := strings.Join(l, "\n") + "\n"
		if err := w.Add(backup.MissingName, int64(len(s)), strings.NewReader(s)); err != nil {
			return m, err
		}
	}
	return m, nil
}

// addDirFile adds one file of a file store directory, whose content must
// hash to its address; a damaged one is left out (false).
func addDirFile(w *backup.Writer, dir blob.Dir, addr string) (bool, error) {
	p := dirFilePath(dir.Path, addr)
	got, err := hashFile(p)
	if err != nil {
		return false, err
	}
	if got != addr {
		return false, nil
	}
	return true, w.AddFile(backup.FileMember(addr), p)
}

func hashFile(p string) (string, error) {
	f, err := os.Open(p)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// dirFilePath is where blob.Dir keeps a file.
func dirFilePath(dir, addr string) string { return filepath.Join(dir, addr[:2], addr[2:4], addr) }

// dirFiles lists the addresses of the files in a file store directory.
func dirFiles(dir string) ([]string, error) {
	var out []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if errors.Is(err, fs.ErrNotExist) && p == dir {
			return filepath.SkipDir
		}
		if err != nil {
			return err
		}
		if !d.IsDir() && addrRE.MatchString(d.Name()) && p == dirFilePath(dir, d.Name()) {
			out = append(out, d.Name())
		}
		return nil
	})
	slices.Sort(out)
	return out, err
}

// passphrase reads the passphrase of a backup's key: the first line of
// standard input, or PENDOPO_BACKUP_PASSPHRASE. Never a flag, which
// every user of the machine could read in the process list.
func (e env) passphrase(fromStdin bool) (string, error) {
	if fromStdin {
		line, err := bufio.NewReader(e.stdin).ReadString('\n')
		if err != nil && !errors.Is(err, io.EOF) {
			return "", err
		}
		if p := strings.TrimRight(line, "\r\n"); p != "" {
			return p, nil
		}
		return "", usageError{"--passphrase-stdin: standard input holds no passphrase"}
	}
	if p := e.getenv("PENDOPO_BACKUP_PASSPHRASE"); p != "" {
		return p, nil
	}
	return "", usageError{"the passphrase comes from PENDOPO_BACKUP_PASSPHRASE or, with --passphrase-stdin, standard input"}
}

func last(s []string) string {
	if len(s) == 0 {
		return "(none)"
	}
	return s[len(s)-1]
}

func first(s []string, n int) []string { return s[:min(n, len(s))] }

func (e env) restoreCmd(ctx context.Context, args []string) error {
	const summary = "Restore a backup made by pendopo backup into an empty place: a data directory that is empty\n" +
		"or missing (it may hold only the secret key file), and with --db a PostgreSQL database without\n" +
		"tables. Every member is checked against the backup's manifest; then the database is loaded,\n" +
		"checked (SQLite integrity_check), its audit trail verified, every sealed value opened with the\n" +
		"secret key, and every file it refers to found, before anything is put in place. A backup's\n" +
		"secret key is used when the key file (or PENDOPO_SECRET_KEY) is missing; its passphrase comes\n" +
		"from PENDOPO_BACKUP_PASSPHRASE or --passphrase-stdin.\n\n" +
		"  pendopo restore [flags] FILE"
	f := e.flags("restore", summary)
	dbf := f.dbFlags()
	passStdin := f.bool("passphrase-stdin", "PENDOPO_PASSPHRASE_STDIN", false, "read the passphrase of the backup's secret key from the first line of standard input instead of PENDOPO_BACKUP_PASSPHRASE")
	checkOnly := f.bool("check", "PENDOPO_RESTORE_CHECK", false, "only check the backup file against its manifest (for copies kept elsewhere); write nothing")
	if err := f.parse(args); err != nil {
		return err
	}
	if f.NArg() != 1 {
		f.Usage()
		return usageError{"restore needs one FILE"}
	}
	file, err := os.Open(f.Arg(0))
	if err != nil {
		return err
	}
	defer file.Close()
	if *checkOnly {
		n := 0
		h, err := backup.Read(file, nil, func(string, int64, io.Reader) error { n++; return nil })
		if err != nil {
			return fmt.Errorf("%s: %w", f.Arg(0), err)
		}
		fmt.Fprintf(e.stdout, "%s is intact: %d members match the manifest; made %s by Pendopo %s; %s database, schema %s; secret key included: %v\n",
			f.Arg(0), n+1, h.CreatedAt.Format(time.RFC3339), h.Pendopo, h.Database.Dialect, last(h.Database.Migrations), h.KeyIncluded)
		return nil
	}
	r := restorer{e: e, dbf: dbf, passStdin: *passStdin, name: f.Arg(0)}
	return r.run(ctx, file)
}

// restorer restores one backup.
type restorer struct {
	e         env
	dbf       dbFlags
	passStdin bool
	name      string

	dbPath  string // SQLite: where the database goes
	pg      bool
	blobs   blob.Store
	staging string
	key     []byte // given, or from the backup
	keyNew  bool   // key must be written to the key file
	sealed  *backup.SealedKey
	listed  []string // addresses of an S3 backup's files
	missing []string // files missing when the backup was made
	files   int
}

func (r *restorer) run(ctx context.Context, file io.Reader) (err error) {
	start := r.e.now()
	e, dbf := r.e, r.dbf
	var perr error
	if r.dbPath, r.pg, perr = store.Locate(*dbf.db, *dbf.data); perr != nil {
		return perr
	}
	if r.blobs, err = dbf.blobs(); err != nil {
		return err
	}
	if err := r.checkEmpty(ctx); err != nil {
		return err
	}
	if r.key, err = dbf.readKey(); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	if err := os.MkdirAll(*dbf.data, 0o750); err != nil {
		return err
	}
	if r.staging, err = os.MkdirTemp(*dbf.data, ".restore-"); err != nil {
		return err
	}
	defer os.RemoveAll(r.staging)
	for _, d := range []string{"db", "files"} {
		if err := os.MkdirAll(filepath.Join(r.staging, d), 0o750); err != nil {
			return err
		}
	}
	h, err := backup.Read(file, r.header, r.member)
	if err != nil {
		return fmt.Errorf("%s: %w; nothing was restored", r.name, err)
	}
	if err := r.resolveKey(h); err != nil {
		return err
	}

	// Load, then check before anything goes in place.
	var db *store.DB
	if r.pg {
		if db, err = dbf.openWith(ctx, store.Options{NoMigrate: true}); err != nil {
			return err
		}
		defer db.Close()
		if err := db.LoadSnapshot(ctx, filepath.Join(r.staging, "db"), h.Database); err != nil {
			return err
		}
		defer func() {
			if err != nil {
				if derr := db.DropAll(context.WithoutCancel(ctx)); derr != nil {
					err = fmt.Errorf("%w (and the tables loaded could not be dropped: %v; drop them before you retry)", err, derr)
				} else {
					err = fmt.Errorf("%w; the tables loaded were dropped again", err)
				}
			}
		}()
	} else {
		staged := filepath.Join(r.staging, "db", store.SQLiteSnapshotFile)
		if db, err = store.Open(ctx, "sqlite:"+staged, ""); err != nil {
			return err
		}
		defer db.Close()
		if err := db.IntegrityCheck(ctx); err != nil {
			return err
		}
	}
	report, err := r.verify(ctx, db, h)
	if err != nil {
		return fmt.Errorf("the restored database failed its checks: %w; nothing was put in place", err)
	}
	if err := r.place(ctx, db); err != nil {
		return err
	}
	where := "into " + *dbf.data
	if r.pg {
		where = "into " + db.Describe() + " (data directory " + *dbf.data + ")"
	}
	fmt.Fprintf(e.stdout, "restored %s %s in %s\n  made %s by Pendopo %s; %s database, schema %s\n  %s\n",
		r.name, where, time.Since(start).Round(time.Millisecond), h.CreatedAt.Format(time.RFC3339), h.Pendopo, h.Database.Dialect, last(h.Database.Migrations), report) // wallclock: measures how long the restore took
	if len(r.missing) > 0 {
		fmt.Fprintf(e.stderr, "%d files were already missing or damaged when the backup was made: %s\n", len(r.missing), strings.Join(first(r.missing, 5), ", "))
	}
	if r.keyNew {
		fmt.Fprintf(e.stdout, "  the secret key from the backup was written to %s\n", dbf.keyPath())
	}
	fmt.Fprintf(e.stdout, "Done. Start it with: pendopo serve --data %s", *dbf.data)
	if *dbf.db != "" {
		fmt.Fprintf(e.stdout, " --db '%s'", redactURL(*dbf.db))
	}
	fmt.Fprintln(e.stdout)
	return nil
}

func redactURL(u string) string {
	if i, j := strings.Index(u, "://"), strings.LastIndex(u, "@"); i >= 0 && j > i {
		if k := strings.Index(u[i+3:j], ":"); k >= 0 {
			return u[:i+3+k] + ":***" + u[j:]
		}
	}
	return u
}

// checkEmpty refuses a target that holds anything already.
func (r *restorer) checkEmpty(ctx context.Context) error {
	data := *r.dbf.data
	entries, err := os.ReadDir(data)
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	for _, en := range entries {
		if filepath.Join(data, en.Name()) == r.dbf.keyPath() && !en.IsDir() {
			continue // the key, put there for the restore
		}
		if strings.HasPrefix(en.Name(), ".restore-") {
			return fmt.Errorf("a restore into %s was interrupted: remove %s and run this again", data, filepath.Join(data, en.Name()))
		}
		return fmt.Errorf("%s is not empty (it holds %s): restore into an empty or new directory", data, en.Name())
	}
	if !r.pg {
		if _, err := os.Stat(r.dbPath); err == nil {
			return fmt.Errorf("%s exists: restore into an empty place", r.dbPath)
		}
	} else {
		db, err := r.dbf.openWith(ctx, store.Options{NoMigrate: true})
		if err != nil {
			return err
		}
		defer db.Close()
		if empty, err := db.Empty(ctx); err != nil {
			return err
		} else if !empty {
			return fmt.Errorf("%s has tables already: restore into a new, empty database", db.Describe())
		}
	}
	if d, ok := r.blobs.(blob.Dir); ok {
		if entries, err := os.ReadDir(d.Path); err == nil && len(entries) > 0 {
			return fmt.Errorf("the file store %s is not empty: restore into an empty place", d.Path)
		}
	}
	return nil
}

// header refuses a backup this target cannot take before it is read.
func (r *restorer) header(h backup.Header) error {
	if want := map[bool]string{true: "postgres", false: "sqlite"}[r.pg]; h.Database.Dialect != want {
		return fmt.Errorf("the backup is of a %s database; restore it into %s (with --db postgres://… for PostgreSQL, without for SQLite)", h.Database.Dialect, h.Database.Dialect)
	}
	if err := h.Database.CheckMigrations(); err != nil {
		return err
	}
	if r.key != nil && h.KeyCheck != "" && app.KeyCheck(r.key) != h.KeyCheck {
		return fmt.Errorf("%s is not the secret key of this backup: use the key kept with it (or none, if the backup holds it)", r.dbf.keySource())
	}
	if r.key == nil && h.KeyCheck != "" && !h.KeyIncluded {
		return fmt.Errorf("the backup does not hold the secret key, and %s is missing: copy the key kept apart from the backups to %s "+
			"(or point --secret-key-file or PENDOPO_SECRET_KEY at it) and run this again", r.dbf.keySource(), r.dbf.keyPath())
	}
	if h.Files == backup.FilesListed {
		if _, ok := r.blobs.(blob.Dir); ok {
			return errors.New("the backup's files are in S3 and it holds only their addresses: restore with the --files-s3-* flags of that bucket")
		}
	}
	return nil
}

// member unpacks one member into the staging directory.
func (r *restorer) member(name string, size int64, rd io.Reader) error {
	switch {
	case strings.HasPrefix(name, backup.DBDir):
		return writeStaged(filepath.Join(r.staging, "db", strings.TrimPrefix(name, backup.DBDir)), rd, nil)
	case strings.HasPrefix(name, backup.FilesDir):
		addr := strings.TrimPrefix(name, backup.FilesDir)
		h := sha256.New()
		if err := writeStaged(dirFilePath(filepath.Join(r.staging, "files"), addr), rd, h); err != nil {
			return err
		}
		if hex.EncodeToString(h.Sum(nil)) != addr {
			return fmt.Errorf("file %s does not hash to its address", addr)
		}
		r.files++
	case name == backup.FileListName:
		b, err := io.ReadAll(io.LimitReader(rd, 1<<30))
		if err != nil {
			return err
		}
		r.listed = strings.Fields(string(b))
	case name == backup.MissingName:
		b, err := io.ReadAll(io.LimitReader(rd, 1<<30))
		if err != nil {
			return err
		}
		r.missing = strings.Fields(string(b))
	case name == backup.KeyName:
		var sk backup.SealedKey
		b, err := io.ReadAll(io.LimitReader(rd, 1<<20))
		if err == nil {
			err = json.Unmarshal(b, &sk)
		}
		if err != nil {
			return fmt.Errorf("the sealed secret key does not read: %w", err)
		}
		r.sealed = &sk
	}
	return nil
}

func writeStaged(p string, rd io.Reader, h hash.Hash) error {
	if err := os.MkdirAll(filepath.Dir(p), 0o750); err != nil {
		return err
	}
	f, err := os.OpenFile(p, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o640)
	if err != nil {
		return err
	}
	w := io.Writer(f)
	if h != nil {
		w = io.MultiWriter(f, h)
	}
	if _, err := io.Copy(w, rd); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// resolveKey settles the key: the one given, or the backup's.
func (r *restorer) resolveKey(h backup.Header) error {
	if r.key != nil {
		return nil
	}
	if r.sealed != nil {
		pass, err := r.e.passphrase(r.passStdin)
		if err != nil {
			return fmt.Errorf("the backup holds the secret key sealed under a passphrase: %w", err)
		}
		if r.key, err = r.sealed.Open(pass); err != nil {
			return err
		}
		if h.KeyCheck != "" && app.KeyCheck(r.key) != h.KeyCheck {
			return errors.New("the secret key sealed in the backup is not the key of its database")
		}
		r.keyNew = true
		return nil
	}
	if h.KeyCheck != "" {
		return errors.New("no secret key for this backup")
	}
	// The database never had a key: this one will be its first.
	r.key = make([]byte, 32)
	if _, err := rand.Read(r.key); err != nil {
		return err
	}
	r.keyNew = true
	return nil
}

// verify checks the loaded database: the key opens every sealed value,
// the audit trail holds, every file it refers to is there.
func (r *restorer) verify(ctx context.Context, db *store.DB, h backup.Header) (string, error) {
	// The backup's own files are checked where they were unpacked; those
	// it only lists, in the bucket.
	files := r.blobs
	if h.Files == backup.FilesIncluded {
		files = blob.Dir{Path: filepath.Join(r.staging, "files")}
	}
	log, _ := r.e.logger("text", "error")
	a, err := app.New(ctx, app.Config{Store: db, Logger: log, SecretKey: r.key, Blobs: files})
	if err != nil {
		return "", r.dbf.keyProblem(err, "the backup's")
	}
	audit, err := a.VerifyAudit(ctx)
	if err != nil {
		return "", err
	}
	if audit.Break != nil {
		return "", fmt.Errorf("the audit trail is broken at entry %d: %s", audit.Break.Seq, audit.Break.Reason)
	}
	sealed, err := a.CheckSealed(ctx, 5)
	if err != nil {
		return "", err
	}
	if sealed.Bad > 0 {
		return "", fmt.Errorf("%d of %d sealed values do not open with the secret key (%s)", sealed.Bad, sealed.Checked, strings.Join(sealed.Sample, ", "))
	}
	refs, err := db.BlobAddrs(ctx)
	if err != nil {
		return "", err
	}
	var lost []string
	for _, addr := range refs {
		if slices.Contains(r.missing, addr) {
			continue
		}
		if d, ok := files.(blob.Dir); ok {
			if _, err := os.Stat(dirFilePath(d.Path, addr)); err != nil {
				lost = append(lost, addr)
			}
			continue
		}
		// Object storage: the file must be in the bucket, whole.
		if err := checkBlob(ctx, files, addr); err != nil {
			lost = append(lost, addr+" ("+err.Error()+")")
		}
	}
	if len(lost) > 0 {
		return "", fmt.Errorf("%d files the database refers to are not in the backup or the file store: %s", len(lost), strings.Join(first(lost, 5), ", "))
	}
	where := fmt.Sprintf("%d files", r.files)
	if h.Files == backup.FilesListed {
		where = fmt.Sprintf("%d files found in S3", len(refs))
	}
	return fmt.Sprintf("checked: the audit trail (%d entries) holds; %d sealed values open with the key; %s; every file the database refers to is there",
		audit.Entries, sealed.Checked, where), nil
}

// checkBlob reads a stored file and checks its hash.
func checkBlob(ctx context.Context, s blob.Store, addr string) error {
	rc, err := s.Open(ctx, addr)
	if err != nil {
		return err
	}
	defer rc.Close()
	h := sha256.New()
	if _, err := io.Copy(h, rc); err != nil {
		return err
	}
	if hex.EncodeToString(h.Sum(nil)) != addr {
		return errors.New("damaged")
	}
	return nil
}

// place puts the checked database, files and key where they belong.
func (r *restorer) place(ctx context.Context, db *store.DB) error {
	staged := filepath.Join(r.staging, "files")
	switch s := r.blobs.(type) {
	case blob.Dir:
		if err := moveDir(staged, s.Path); err != nil {
			return fmt.Errorf("put the files in place: %w", err)
		}
	default:
		// Files from a directory's backup go into the bucket.
		accept := []string{pendopo.MediaPDF, pendopo.MediaJPEG, pendopo.MediaPNG, "application/octet-stream", "image/svg+xml", "image/webp"}
		list, err := dirFiles(staged)
		if err != nil {
			return err
		}
		for _, addr := range list {
			f, err := os.Open(dirFilePath(staged, addr))
			if err != nil {
				return err
			}
			b, err := s.Put(ctx, f, 1<<40, accept)
			f.Close()
			if err != nil {
				return fmt.Errorf("upload %s: %w", addr, err)
			}
			if b.Addr != addr {
				return fmt.Errorf("upload %s: stored as %s", addr, b.Addr)
			}
		}
	}
	if r.keyNew {
		if err := writeKeyFile(r.dbf.keyPath(), r.key); err != nil {
			return err
		}
	}
	if !r.pg {
		if err := db.Close(); err != nil {
			return err
		}
		staged := filepath.Join(r.staging, "db", store.SQLiteSnapshotFile)
		if err := store.PlaceSQLite(staged, r.dbPath); err != nil {
			return err
		}
	}
	return nil
}

// moveDir moves the files of from into to, which may not exist yet.
func moveDir(from, to string) error {
	if err := os.MkdirAll(filepath.Dir(to), 0o750); err != nil {
		return err
	}
	if entries, err := os.ReadDir(to); err == nil && len(entries) == 0 {
		os.Remove(to)
	}
	if err := os.Rename(from, to); err == nil {
		return syncDir(filepath.Dir(to))
	}
	// Another file system: copy each file.
	return filepath.WalkDir(from, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(from, p)
		dst := filepath.Join(to, rel)
		in, err := os.Open(p)
		if err != nil {
			return err
		}
		defer in.Close()
		return writeStaged(dst, in, nil)
	})
}
