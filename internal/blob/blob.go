// Package blob keeps uploaded files outside the database, addressed by
// the SHA-256 of their content: the same file stored twice takes room
// once, and an address names exactly one content, so a file cannot be
// swapped behind an application's back.
package blob

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"

	"github.com/pendopo/pendopo"
)

// Blob describes a stored file.
type Blob struct {
	// Addr is the hex SHA-256 of the content.
	Addr  string
	Size  int64
	Media string
}

// Store keeps files. Dir is the local implementation; an object store
// for several instances implements the same methods.
type Store interface {
	// Put reads a file of at most limit bytes whose content must be one
	// of accept (media types judged by content, not by name), stores it
	// and returns its address.
	Put(ctx context.Context, r io.Reader, limit int64, accept []string) (Blob, error)
	// Open returns a stored file; an unknown address is pendopo.ErrNotFound.
	Open(ctx context.Context, addr string) (io.ReadCloser, error)
	// Delete removes a stored file, for erasing personal data. An
	// unknown or malformed address is not an error. Content is shared by
	// address: delete only what no record refers to any more.
	Delete(ctx context.Context, addr string) error
}

var addrRE = regexp.MustCompile(`^[0-9a-f]{64}$`)

// Sniff names the media type of a file's first bytes, as far as uploads
// care: PDF, JPEG, PNG, or application/octet-stream.
func Sniff(head []byte) string {
	switch {
	case bytes.HasPrefix(head, []byte("%PDF-")):
		return pendopo.MediaPDF
	}
	switch t := http.DetectContentType(head); t {
	case pendopo.MediaJPEG, pendopo.MediaPNG:
		return t
	}
	return "application/octet-stream"
}

// ErrType and ErrTooLarge are the user's mistakes Put reports.
var (
	ErrType     = pendopo.Errorf(pendopo.KindUnsupported, pendopo.M("blob.this_kind_file_not_accepted"))
	ErrTooLarge = pendopo.Errorf(pendopo.KindTooLarge, pendopo.M("blob.the_file_too_large"))
	ErrEmpty    = pendopo.Errorf(pendopo.KindInvalid, pendopo.M("blob.the_file_empty"))
)

// Dir keeps files in a local directory, two levels of subdirectories by
// address. Writes go to a temporary file that is synced and then renamed,
// so a crash never leaves half a file under an address.
type Dir struct{ Path string }

func (d Dir) path(addr string) string {
	return filepath.Join(d.Path, addr[:2], addr[2:4], addr)
}

// Put stores a file.
func (d Dir) Put(ctx context.Context, r io.Reader, limit int64, accept []string) (Blob, error) {
	if err := os.MkdirAll(d.Path, 0o750); err != nil {
		return Blob{}, err
	}
	tmp, err := os.CreateTemp(d.Path, ".upload-*")
	if err != nil {
		return Blob{}, err
	}
	defer os.Remove(tmp.Name()) // after the rename this removes nothing
	defer tmp.Close()
	b, err := receive(r, tmp, limit, accept)
	if err != nil {
		return Blob{}, err
	}
	if err := tmp.Sync(); err != nil {
		return Blob{}, err
	}
	final := d.path(b.Addr)
	if err := os.MkdirAll(filepath.Dir(final), 0o750); err != nil {
		return Blob{}, err
	}
	if err := tmp.Close(); err != nil {
		return Blob{}, err
	}
	if err := os.Rename(tmp.Name(), final); err != nil {
		return Blob{}, fmt.Errorf("store upload: %w", err)
	}
	return b, nil
}

// Open returns a stored file.
func (d Dir) Open(ctx context.Context, addr string) (io.ReadCloser, error) {
	if !addrRE.MatchString(addr) {
		return nil, pendopo.ErrNotFound
	}
	f, err := os.Open(d.path(addr))
	if errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("file %s: %w", addr, pendopo.ErrNotFound)
	}
	return f, err
}

// Delete removes a stored file.
func (d Dir) Delete(ctx context.Context, addr string) error {
	if !addrRE.MatchString(addr) {
		return nil
	}
	if err := os.Remove(d.path(addr)); err != nil && !errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("delete file %s: %w", addr, err)
	}
	return nil
}

// receive copies an upload to w and describes it: at most limit bytes,
// not empty, and of a media type in accept as Sniff judges its first
// bytes. A refused upload is ErrEmpty, ErrTooLarge or ErrType; nothing is
// written to w when the first bytes already refuse it. Every Store puts
// uploads through it, so all of them accept and refuse the same files.
func receive(r io.Reader, w io.Writer, limit int64, accept []string) (Blob, error) {
	h := sha256.New()
	head := make([]byte, 512)
	n, err := io.ReadFull(r, head)
	if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) && !errors.Is(err, io.EOF) {
		return Blob{}, fmt.Errorf("read upload: %w", err)
	}
	head = head[:n]
	if n == 0 {
		return Blob{}, ErrEmpty
	}
	if int64(n) > limit {
		return Blob{}, ErrTooLarge
	}
	media := Sniff(head)
	ok := false
	for _, a := range accept {
		ok = ok || a == media
	}
	if !ok {
		return Blob{}, ErrType
	}
	w = io.MultiWriter(w, h)
	if _, err := w.Write(head); err != nil {
		return Blob{}, err
	}
	size, err := io.Copy(w, io.LimitReader(r, limit-int64(n)+1))
	if err != nil {
		return Blob{}, fmt.Errorf("store upload: %w", err)
	}
	size += int64(n)
	if size > limit {
		return Blob{}, ErrTooLarge
	}
	return Blob{Addr: hex.EncodeToString(h.Sum(nil)), Size: size, Media: media}, nil
}
