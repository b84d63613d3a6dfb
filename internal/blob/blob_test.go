package blob_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pendopo/pendopo"
	"github.com/pendopo/pendopo/internal/blob"
)

var (
	pdf = []byte("%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n")
	png = append([]byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"), make([]byte, 40)...)
	jpg = append([]byte("\xff\xd8\xff\xe0\x00\x10JFIF\x00"), make([]byte, 40)...)
	all = []string{pendopo.MediaPDF, pendopo.MediaJPEG, pendopo.MediaPNG}
)

func TestDir(t *testing.T) {
	d := blob.Dir{Path: t.TempDir()}
	testStore(t, d)
	// Refused uploads leave nothing behind.
	var stray []string
	filepath.WalkDir(d.Path, func(p string, e os.DirEntry, err error) error {
		if e != nil && !e.IsDir() && strings.HasPrefix(e.Name(), ".upload-") {
			stray = append(stray, p)
		}
		return nil
	})
	if len(stray) > 0 {
		t.Errorf("temporary files left: %v", stray)
	}
}

// testStore checks what every blob.Store promises: content comes back
// as it went in, under its SHA-256; the same content twice is one
// address; files are judged by content and size; unknown and malformed
// addresses are not found.
func testStore(t *testing.T, d blob.Store) {
	ctx := context.Background()
	for name, content := range map[string][]byte{"pdf": pdf, "png": png, "jpeg": jpg} {
		b, err := d.Put(ctx, bytes.NewReader(content), 1<<20, all)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		sum := sha256.Sum256(content)
		if b.Addr != hex.EncodeToString(sum[:]) || b.Size != int64(len(content)) || !strings.Contains(b.Media, name) && !(name == "jpeg" && b.Media == pendopo.MediaJPEG) {
			t.Errorf("%s: %+v", name, b)
		}
		r, err := d.Open(ctx, b.Addr)
		if err != nil {
			t.Fatal(err)
		}
		got, _ := io.ReadAll(r)
		r.Close()
		if !bytes.Equal(got, content) {
			t.Errorf("%s: read back differs", name)
		}
		// The same content again is the same address.
		if again, err := d.Put(ctx, bytes.NewReader(content), 1<<20, all); err != nil || again.Addr != b.Addr {
			t.Errorf("%s again: %+v %v", name, again, err)
		}
	}
	tests := []struct {
		name    string
		content []byte
		limit   int64
		accept  []string
		kind    pendopo.ErrorKind
	}{
		{"executable named .pdf", []byte("MZ\x90\x00 this is a program"), 1 << 20, all, pendopo.KindUnsupported},
		{"html", []byte("<html><script>alert(1)</script>"), 1 << 20, all, pendopo.KindUnsupported},
		{"png where only PDF is accepted", png, 1 << 20, []string{pendopo.MediaPDF}, pendopo.KindUnsupported},
		{"over the limit", append(bytes.Clone(pdf), make([]byte, 2000)...), 1000, all, pendopo.KindTooLarge},
		{"empty", nil, 1 << 20, all, pendopo.KindInvalid},
	}
	for _, tt := range tests {
		if _, err := d.Put(ctx, bytes.NewReader(tt.content), tt.limit, tt.accept); pendopo.KindOf(err) != tt.kind {
			t.Errorf("%s: %v, want %s", tt.name, err, tt.kind)
		}
	}
	for _, addr := range []string{"../../etc/passwd", strings.Repeat("0", 64), "ABC"} {
		if _, err := d.Open(ctx, addr); pendopo.KindOf(err) != pendopo.KindNotFound {
			t.Errorf("open %q: %v", addr, err)
		}
		// Deleting what is not there is no error, and touches nothing.
		if err := d.Delete(ctx, addr); err != nil {
			t.Errorf("delete %q: %v", addr, err)
		}
	}
	// A deleted file is gone; the others stay.
	b, err := d.Put(ctx, bytes.NewReader(append(bytes.Clone(pdf), "% dihapus\n"...)), 1<<20, all)
	if err != nil {
		t.Fatal(err)
	}
	if err := d.Delete(ctx, b.Addr); err != nil {
		t.Fatal(err)
	}
	if _, err := d.Open(ctx, b.Addr); pendopo.KindOf(err) != pendopo.KindNotFound {
		t.Errorf("open a deleted file: %v", err)
	}
	if err := d.Delete(ctx, b.Addr); err != nil {
		t.Errorf("delete twice: %v", err)
	}
	sum := sha256.Sum256(png)
	if r, err := d.Open(ctx, hex.EncodeToString(sum[:])); err != nil {
		t.Errorf("another file went too: %v", err)
	} else {
		r.Close()
	}
	// A malformed address names nothing to delete, and is no error.
	if err := d.Delete(ctx, "../x"); err != nil {
		t.Errorf("delete a bad address: %v", err)
	}
}
