package backup_test

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/pendopo/pendopo/internal/backup"
	"github.com/pendopo/pendopo/internal/store"
)

var t0 = time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC)

func addr(content string) string {
	s := sha256.Sum256([]byte(content))
	return hex.EncodeToString(s[:])
}

// sample makes a small backup.
func sample(t *testing.T) []byte {
	t.Helper()
	var buf bytes.Buffer
	w, err := backup.NewWriter(&buf, backup.Header{Pendopo: "test", CreatedAt: t0, Files: backup.FilesIncluded, FileCount: 1,
		Database: store.Snapshot{Dialect: "sqlite", Files: []string{"pendopo.db"}}})
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Add("db/pendopo.db", 12, strings.NewReader("SQLite bytes")); err != nil {
		t.Fatal(err)
	}
	if err := w.Add(backup.FileMember(addr("%PDF-1.4 isi")), 12, strings.NewReader("%PDF-1.4 isi")); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func readAll(b []byte) (backup.Header, map[string]string, error) {
	got := map[string]string{}
	h, err := backup.Read(bytes.NewReader(b), nil, func(name string, size int64, r io.Reader) error {
		c, err := io.ReadAll(r)
		got[name] = string(c)
		return err
	})
	return h, got, err
}

func TestRoundTrip(t *testing.T) {
	h, got, err := readAll(sample(t))
	if err != nil {
		t.Fatal(err)
	}
	if h.Format != backup.Format || h.Database.Dialect != "sqlite" || !h.CreatedAt.Equal(t0) || len(got) != 2 || got["db/pendopo.db"] != "SQLite bytes" {
		t.Errorf("read back: %+v %v", h, got)
	}
	// A reader that reads nothing of a member still gets it checked.
	if _, err := backup.Read(bytes.NewReader(sample(t)), nil, func(string, int64, io.Reader) error { return nil }); err != nil {
		t.Errorf("skipping the content: %v", err)
	}
	// The header comes first, so a restore can refuse before reading more.
	stop := errors.New("not this one")
	if _, err := backup.Read(bytes.NewReader(sample(t)), func(backup.Header) error { return stop }, nil); !errors.Is(err, stop) {
		t.Errorf("refusing at the header: %v", err)
	}
	if err := (&backup.Writer{}).Add("../../etc/passwd", 1, strings.NewReader("x")); err == nil {
		t.Error("a member outside the backup was written")
	}
}

// rewrite passes a backup's tar stream through edit and compresses it
// again, as someone changing a backup by hand would.
func rewrite(t *testing.T, b []byte, edit func(tw *tar.Writer, h *tar.Header, content []byte) bool) []byte {
	t.Helper()
	gz, err := gzip.NewReader(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	tr := tar.NewReader(gz)
	var out bytes.Buffer
	zw := gzip.NewWriter(&out)
	tw := tar.NewWriter(zw)
	for {
		h, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		c, _ := io.ReadAll(tr)
		if !edit(tw, h, c) {
			continue
		}
		h.Size = int64(len(c))
		tw.WriteHeader(h)
		tw.Write(c)
	}
	tw.Close()
	zw.Close()
	return out.Bytes()
}

// TestTampering: any change to a backup is found, and named.
func TestTampering(t *testing.T) {
	for name, tc := range map[string]struct {
		edit func(tw *tar.Writer, h *tar.Header, c []byte) bool
		want string
	}{
		"a changed byte": {func(_ *tar.Writer, h *tar.Header, c []byte) bool {
			if h.Name == "db/pendopo.db" {
				c[0] = 's'
			}
			return true
		}, "db/pendopo.db does not match"},
		"a removed member": {func(_ *tar.Writer, h *tar.Header, c []byte) bool { return h.Name != "db/pendopo.db" }, "db/pendopo.db of the manifest is missing"},
		"no manifest":      {func(_ *tar.Writer, h *tar.Header, c []byte) bool { return h.Name != backup.ManifestName }, "no manifest"},
		"an added member": {func(tw *tar.Writer, h *tar.Header, c []byte) bool {
			if h.Name == backup.ManifestName {
				extra := "%PDF-1.4 lain"
				tw.WriteHeader(&tar.Header{Name: backup.FileMember(addr(extra)), Size: int64(len(extra)), Mode: 0o600, Typeflag: tar.TypeReg})
				tw.Write([]byte(extra))
			}
			return true
		}, "is not in the manifest"},
		"a path outside": {func(tw *tar.Writer, h *tar.Header, c []byte) bool {
			if h.Name == "db/pendopo.db" {
				h.Name = "db/../../pendopo.db"
			}
			return true
		}, "not a name"},
	} {
		if _, _, err := readAll(rewrite(t, sample(t), tc.edit)); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: %v, want %q", name, err, tc.want)
		}
	}
	b := sample(t)
	if _, _, err := readAll(b[:len(b)/2]); err == nil {
		t.Error("half a backup was read")
	}
	if _, _, err := readAll([]byte("not gzip at all")); !errors.Is(err, backup.ErrNotBackup) {
		t.Errorf("some other file: %v", err)
	}
}

func TestSealedKey(t *testing.T) {
	key := []byte("pendopo-test-key-32-bytes-long!!")
	if _, err := backup.SealKey(key, "pendek"); err == nil {
		t.Error("a short passphrase was taken")
	}
	s, err := backup.SealKey(key, "kopi tubruk pagi hari")
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(s.Sealed, key) {
		t.Fatal("the key is in the clear")
	}
	if got, err := s.Open("kopi tubruk pagi hari"); err != nil || !bytes.Equal(got, key) {
		t.Errorf("open: %q %v", got, err)
	}
	if _, err := s.Open("kopi tubruk sore hari"); !errors.Is(err, backup.ErrPassphrase) {
		t.Errorf("a wrong passphrase: %v", err)
	}
}
