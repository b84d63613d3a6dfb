package main

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/pendopo/pendopo"
	"github.com/pendopo/pendopo/internal/app"
)

// keyPath is where the secret key is kept: --secret-key-file, or
// DIR/secret.key.
func (d dbFlags) keyPath() string {
	if *d.keyFile != "" {
		return *d.keyFile
	}
	return filepath.Join(*d.data, "secret.key")
}

// keyFromEnv says that the key comes from PENDOPO_SECRET_KEY.
func (d dbFlags) keyFromEnv() bool { return d.e.getenv("PENDOPO_SECRET_KEY") != "" }

// keySource names the key for messages.
func (d dbFlags) keySource() string {
	if d.keyFromEnv() {
		return "the key in PENDOPO_SECRET_KEY"
	}
	return "the key file " + d.keyPath()
}

// readKey reads the key from PENDOPO_SECRET_KEY or the key file, and
// never makes one; a missing file is fs.ErrNotExist.
func (d dbFlags) readKey() ([]byte, error) {
	if v := d.e.getenv("PENDOPO_SECRET_KEY"); v != "" {
		key, err := base64.StdEncoding.DecodeString(strings.TrimSpace(v))
		if err != nil || len(key) != 32 {
			return nil, usageError{"PENDOPO_SECRET_KEY must be 32 bytes in base64 (openssl rand -base64 32)"}
		}
		return key, nil
	}
	return readKeyFile(d.keyPath())
}

// readKeyFile reads a key file: 32 bytes in base64.
func readKeyFile(path string) ([]byte, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, err
		}
		return nil, fmt.Errorf("read secret key: %w", err)
	}
	key, err := base64.StdEncoding.DecodeString(strings.TrimSpace(string(b)))
	if err != nil || len(key) != 32 {
		return nil, fmt.Errorf("secret key file %s must hold 32 bytes in base64", path)
	}
	return key, nil
}

// writeKeyFile writes key to path so that a crash leaves either the old
// file or the whole new one: a synced temporary file renamed into place.
func writeKeyFile(path string, key []byte) error {
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(dir, ".secret-key-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if err := tmp.Chmod(0o600); err != nil {
		tmp.Close()
		return err
	}
	if _, err := tmp.WriteString(base64.StdEncoding.EncodeToString(key) + "\n"); err != nil {
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
	if err := os.Rename(tmp.Name(), path); err != nil {
		return err
	}
	return syncDir(dir)
}

func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}

// secretKey reads the key that encrypts personal data. A missing key
// file is made with a new random key only while the database depends on
// no key yet: once it holds a key check value or sealed data, a new key
// would make those data unreadable and seal new ones under a key nobody
// else has, so it refuses, naming the file it expected.
func (d dbFlags) secretKey(ctx context.Context, s pendopo.Store) ([]byte, error) {
	key, err := d.readKey()
	if err == nil || !errors.Is(err, fs.ErrNotExist) {
		return key, err
	}
	path := d.keyPath()
	held, err := app.HoldsSealedData(ctx, s)
	if err != nil {
		return nil, err
	}
	if held {
		return nil, fmt.Errorf("the secret key file %s is missing, but the database holds personal data sealed with a secret key.\n"+
			"Put that key back at %s (copy it from where you keep it apart from the backups, or restore it with the backup it was sealed into), "+
			"or point --secret-key-file or PENDOPO_SECRET_KEY at it. "+
			"Pendopo does not make a new key here: NIKs, application answers, reporters and signing keys would become unreadable%s",
			path, path, pendingHint(path))
	}
	key = make([]byte, 32)
	if _, err := rand.Read(key); err != nil {
		return nil, err
	}
	if err := writeKeyFile(path, key); err != nil {
		return nil, fmt.Errorf("create secret key: %w", err)
	}
	return key, nil
}

// pendingKey is where a rotation keeps the new key until the database
// is sealed under it.
func pendingKey(path string) string { return path + ".new" }

func pendingHint(path string) string {
	if _, err := os.Stat(pendingKey(path)); err == nil {
		return fmt.Sprintf(".\nA rotation of the secret key was interrupted (%s exists): run \"pendopo keys rotate-secret\" again to finish it", pendingKey(path))
	}
	return ""
}

// keyProblem explains app.ErrWrongSecretKey: which key, which database,
// and what to do.
func (d dbFlags) keyProblem(err error, where string) error {
	if !errors.Is(err, app.ErrWrongSecretKey) {
		return err
	}
	hint := ""
	if !d.keyFromEnv() {
		hint = pendingHint(d.keyPath())
	}
	return fmt.Errorf("%s is not the secret key of the database (%s): its personal data were sealed with another one (%v).\n"+
		"Use the key that belongs to this database: after a restore, the key kept with that backup; for a second instance, the first one's key%s",
		d.keySource(), where, err, hint)
}
