package main

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/pendopo/pendopo"
	"github.com/pendopo/pendopo/internal/app"
)

// serveQuiet is how long after an instance's last heartbeat the secret
// key may be rotated: instances write it every 30 s.
const serveQuiet = 90 * time.Second

func (e env) rotateSecret(ctx context.Context, args []string) error {
	const summary = "Replace the secret key that seals personal data (NIKs, application answers, reporters,\n" +
		"the regions' signing keys). Every sealed value is opened with the current key and sealed again\n" +
		"under a new random key, in one transaction that also stores the new key's check value; then the\n" +
		"new key replaces the key file, and the old file is kept beside it with the date in its name.\n" +
		"If it is interrupted, run it again: it finishes or starts over, and never leaves values sealed\n" +
		"under two keys. Stop every instance first: one still running would go on sealing under the old\n" +
		"key. Backups made before the rotation need the old key to be restored."
	f := e.flags("keys rotate-secret", summary)
	dbf := f.dbFlags()
	force := f.bool("force", "PENDOPO_FORCE", false, "rotate although an instance wrote its heartbeat in the last 90 s, when you know that none runs")
	if err := f.parse(args); err != nil {
		return err
	}
	if dbf.keyFromEnv() {
		return usageError{"keys rotate-secret works on a key file: write the current key to a file, rotate with --secret-key-file FILE " +
			"and without PENDOPO_SECRET_KEY, then give the instances the new file's content"}
	}
	db, err := dbf.open(ctx)
	if err != nil {
		return err
	}
	defer db.Close()
	path := dbf.keyPath()
	stored, err := db.Setting(ctx, app.KeyCheckSetting)
	if err != nil && !errors.Is(err, pendopo.ErrNotFound) {
		return err
	}
	cur, curErr := readKeyFile(path)
	if next, err := readKeyFile(pendingKey(path)); err == nil && stored == app.KeyCheck(next) {
		// The transaction committed but the key file was not replaced.
		old, err := e.swapKeyFiles(path, curErr == nil)
		if err != nil {
			return err
		}
		fmt.Fprintln(e.stdout, "finished an interrupted rotation: the database was already sealed under the new key")
		e.tellRotated(path, old)
		return nil
	}
	if curErr != nil {
		if errors.Is(curErr, fs.ErrNotExist) {
			return fmt.Errorf("the secret key file %s is missing: nothing to rotate from", path)
		}
		return curErr
	}
	if err := app.CheckSecretKey(ctx, db, cur); err != nil {
		return dbf.keyProblem(err, db.Describe())
	}
	if at, err := app.LastHeartbeat(ctx, db); err != nil {
		return err
	} else if ago := e.now().Sub(at); !at.IsZero() && ago < serveQuiet && !*force {
		return fmt.Errorf("an instance was serving %s ago (its heartbeat): stop every instance using %s first, "+
			"since one still running would go on sealing under the old key; then run this again once %s have passed since, "+
			"or at once with --force if you know none runs", ago.Round(time.Second), db.Describe(), serveQuiet)
	}
	next := make([]byte, 32)
	if _, err := rand.Read(next); err != nil {
		return err
	}
	if err := writeKeyFile(pendingKey(path), next); err != nil {
		return fmt.Errorf("write the new key: %w", err)
	}
	counts, err := app.Reseal(ctx, db, e.now(), next, cur)
	if err != nil {
		os.Remove(pendingKey(path))
		return fmt.Errorf("the secret key was not rotated, nothing changed: %w", err)
	}
	old, err := e.swapKeyFiles(path, true)
	if err != nil {
		return err
	}
	var parts []string
	for _, c := range counts {
		parts = append(parts, fmt.Sprintf("%d %s", c.Resealed, c.Kind))
	}
	fmt.Fprintf(e.stdout, "secret key rotated: sealed again under the new key: %s\n", strings.Join(parts, ", "))
	e.tellRotated(path, old)
	return nil
}

// swapKeyFiles keeps the current key file as a dated .old file (a hard
// link, so that the key file never goes missing) and renames the pending
// new key over it. It returns the old file's name, or "" when there was
// no current file.
func (e env) swapKeyFiles(path string, hasCurrent bool) (string, error) {
	old := ""
	if hasCurrent {
		// Two rotations within a second must not share a name: the second
		// would fail, or overwrite an old key that backups still need.
		stamp := path + "." + e.now().UTC().Format("20060102-150405")
		old = stamp + ".old"
		for n := 2; ; n++ {
			if _, err := os.Lstat(old); errors.Is(err, fs.ErrNotExist) {
				break
			}
			old = fmt.Sprintf("%s-%d.old", stamp, n)
		}
		if err := os.Link(path, old); err != nil {
			if err := copyKeyFile(path, old); err != nil {
				return "", fmt.Errorf("keep the old key as %s: %w", old, err)
			}
		}
	}
	if err := os.Rename(pendingKey(path), path); err != nil {
		return "", fmt.Errorf("put the new key in place (it is in %s): %w", pendingKey(path), err)
	}
	return old, syncDir(filepath.Dir(path))
}

func (e env) tellRotated(path, old string) {
	fmt.Fprintf(e.stdout, "The new secret key is in %s. Copy it to where you keep the key apart from the backups; every instance sharing the database needs it.\n", path)
	if old != "" {
		fmt.Fprintf(e.stdout, "The OLD KEY IS KEPT in %s: keep it (apart from the backups) as long as you keep backups made before now, since restoring them needs it.\n", old)
	}
}

func copyKeyFile(from, to string) error {
	in, err := os.Open(from)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(to, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	if err := out.Sync(); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

func (e env) reseal(ctx context.Context, args []string) error {
	const summary = "Seal again under the current secret key every value still sealed under an older one, such\n" +
		"as what an instance that kept running through a rotation sealed with the old key (pendopo\n" +
		"doctor counts values that do not open). Values already under the current key stay as they are."
	f := e.flags("keys reseal", summary)
	dbf := f.dbFlags()
	oldFile := f.string("old-key-file", "PENDOPO_OLD_KEY_FILE", "", "the older key file, such as secret.key.20261207-101500.old")
	if err := f.parse(args); err != nil {
		return err
	}
	if *oldFile == "" {
		return usageError{"keys reseal needs --old-key-file"}
	}
	old, err := readKeyFile(*oldFile)
	if err != nil {
		return err
	}
	db, err := dbf.open(ctx)
	if err != nil {
		return err
	}
	defer db.Close()
	cur, err := dbf.readKey()
	if err != nil {
		return err
	}
	if err := app.CheckSecretKey(ctx, db, cur); err != nil {
		return dbf.keyProblem(err, db.Describe())
	}
	counts, err := app.Reseal(ctx, db, e.now(), cur, old)
	if err != nil {
		return fmt.Errorf("nothing changed: %w", err)
	}
	var parts []string
	for _, c := range counts {
		parts = append(parts, fmt.Sprintf("%d %s", c.Resealed, c.Kind))
	}
	fmt.Fprintf(e.stdout, "sealed again under the current key: %s\n", strings.Join(parts, ", "))
	return nil
}
