// Package backup writes and reads Pendopo's backup files: one
// gzip-compressed tar that holds, in this order, a header (BACKUP.json:
// what the backup is), a consistent copy of the database, the file
// store's files (or, for object storage, the list of their addresses),
// optionally the secret key sealed under a passphrase, and last a
// manifest (MANIFEST.json) with the size and SHA-256 of every member
// before it. A reader checks every member against the manifest, so a
// damaged or changed backup is refused before anything of it is trusted.
package backup

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path"
	"regexp"
	"strings"
	"time"

	"github.com/pendopo/pendopo/internal/store"
)

// Format names this layout; a reader refuses others.
const Format = "pendopo-backup/1"

// Names of the members.
const (
	HeaderName   = "BACKUP.json"
	ManifestName = "MANIFEST.json"
	// KeyName holds the secret key sealed under a passphrase, when the
	// backup was made with one.
	KeyName = "secret-key.json"
	// DBDir holds the database snapshot's files.
	DBDir = "db/"
	// FilesDir holds the file store's files, each named by its address.
	FilesDir = "files/"
	// FileListName lists, one per line, the addresses of the files a
	// backup of object storage leaves where they are.
	FileListName = "files.txt"
	// MissingName lists, one per line, the addresses of files the
	// database refers to that were missing or damaged in the file store
	// when the backup was made, so that a restore can tell them apart
	// from files lost since.
	MissingName = "files-missing.txt"
)

// Files says where a backup's files are.
const (
	FilesIncluded = "included" // every file is a member under files/
	FilesListed   = "listed"   // only their addresses, in files.txt (object storage)
)

// Header is the first member: what the backup holds, so that a restore
// can refuse a backup it cannot load before it reads the rest.
type Header struct {
	Format    string    `json:"format"`
	Pendopo   string    `json:"pendopo_version"`
	CreatedAt time.Time `json:"created_at"`
	// Database is the snapshot: its engine, migrations and files.
	Database store.Snapshot `json:"database"`
	// Files is FilesIncluded or FilesListed; FileCount how many.
	Files     string `json:"files"`
	FileCount int    `json:"file_count"`
	// KeyCheck is the secret key's check value stored in the database
	// (empty when it had none): a restore tells from it whether the key
	// it was given is the right one before loading anything.
	KeyCheck string `json:"key_check,omitempty"`
	// KeyIncluded says that KeyName holds the sealed key.
	KeyIncluded bool `json:"key_included"`
}

// Member is one entry of the manifest.
type Member struct {
	Name   string `json:"name"`
	Size   int64  `json:"size"`
	SHA256 string `json:"sha256"`
}

// Manifest is the last member.
type Manifest struct {
	Format  string   `json:"format"`
	Members []Member `json:"members"`
}

// Writer writes a backup. Add members after the header; Close writes the
// manifest.
type Writer struct {
	gz      *gzip.Writer
	tw      *tar.Writer
	members []Member
	at      time.Time
}

// NewWriter starts a backup on w with its header.
func NewWriter(w io.Writer, h Header) (*Writer, error) {
	gz, err := gzip.NewWriterLevel(w, gzip.BestSpeed)
	if err != nil {
		return nil, err
	}
	bw := &Writer{gz: gz, tw: tar.NewWriter(gz), at: h.CreatedAt}
	h.Format = Format
	if err := bw.AddJSON(HeaderName, h); err != nil {
		return nil, err
	}
	return bw, nil
}

// Add writes a member of size bytes read from r, hashing it on the way.
func (w *Writer) Add(name string, size int64, r io.Reader) error {
	if err := checkName(name); err != nil {
		return err
	}
	if err := w.tw.WriteHeader(&tar.Header{Name: name, Size: size, Mode: 0o600, ModTime: w.at, Typeflag: tar.TypeReg, Format: tar.FormatPAX}); err != nil {
		return err
	}
	h := sha256.New()
	n, err := io.Copy(io.MultiWriter(w.tw, h), io.LimitReader(r, size))
	if err != nil {
		return fmt.Errorf("add %s: %w", name, err)
	}
	if n != size {
		return fmt.Errorf("add %s: %d bytes, expected %d", name, n, size)
	}
	w.members = append(w.members, Member{Name: name, Size: size, SHA256: hex.EncodeToString(h.Sum(nil))})
	return nil
}

// AddFile writes the file at p as member name.
func (w *Writer) AddFile(name, p string) error {
	f, err := os.Open(p)
	if err != nil {
		return err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return err
	}
	return w.Add(name, st.Size(), f)
}

// AddJSON writes v as an indented JSON member.
func (w *Writer) AddJSON(name string, v any) error {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return err
	}
	b = append(b, '\n')
	return w.Add(name, int64(len(b)), bytes.NewReader(b))
}

// Members lists what was written so far.
func (w *Writer) Members() []Member { return w.members }

// Close writes the manifest and ends the archive. The underlying writer
// is left open.
func (w *Writer) Close() error {
	m := Manifest{Format: Format, Members: w.members}
	b, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return err
	}
	b = append(b, '\n')
	if err := w.tw.WriteHeader(&tar.Header{Name: ManifestName, Size: int64(len(b)), Mode: 0o600, ModTime: w.at, Typeflag: tar.TypeReg, Format: tar.FormatPAX}); err != nil {
		return err
	}
	if _, err := w.tw.Write(b); err != nil {
		return err
	}
	if err := w.tw.Close(); err != nil {
		return err
	}
	return w.gz.Close()
}

var (
	addrRE = regexp.MustCompile(`^[0-9a-f]{64}$`)
	dbRE   = regexp.MustCompile(`^[0-9A-Za-z_.-]+$`)
)

// checkName accepts only the names this format uses, so that a crafted
// backup cannot write outside where a restore unpacks it.
func checkName(name string) error {
	switch {
	case name == HeaderName, name == ManifestName, name == KeyName, name == FileListName, name == MissingName:
		return nil
	case strings.HasPrefix(name, DBDir) && dbRE.MatchString(strings.TrimPrefix(name, DBDir)) && !strings.Contains(name, ".."):
		return nil
	case strings.HasPrefix(name, FilesDir) && addrRE.MatchString(strings.TrimPrefix(name, FilesDir)):
		return nil
	}
	return fmt.Errorf("backup member %q: not a name a Pendopo backup has", name)
}

// ErrNotBackup is a file that is not a Pendopo backup at all.
var ErrNotBackup = errors.New("not a Pendopo backup (a .tar.gz made by pendopo backup)")

// Read reads a backup from r. It calls header with the header, then each
// member with a reader of its content (fn may read it all, part or none),
// and at the end checks every member against the manifest: same names,
// sizes and SHA-256, nothing missing, nothing added. Only when Read
// returns nil was the whole backup what its maker wrote.
func Read(r io.Reader, header func(Header) error, fn func(name string, size int64, r io.Reader) error) (Header, error) {
	var h Header
	gz, err := gzip.NewReader(r)
	if err != nil {
		return h, ErrNotBackup
	}
	defer gz.Close()
	tr := tar.NewReader(gz)
	var (
		got      []Member
		manifest *Manifest
	)
	for i := 0; ; i++ {
		th, err := tr.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			if i == 0 {
				return h, ErrNotBackup
			}
			return h, fmt.Errorf("the backup is damaged or cut short after %d members: %w", i, err)
		}
		if manifest != nil {
			return h, fmt.Errorf("member %q after the manifest", th.Name)
		}
		if th.Typeflag != tar.TypeReg {
			return h, fmt.Errorf("member %q is not a plain file", th.Name)
		}
		if err := checkName(th.Name); err != nil {
			return h, err
		}
		if i == 0 && th.Name != HeaderName {
			return h, ErrNotBackup
		}
		if th.Name == ManifestName {
			var m Manifest
			if err := json.NewDecoder(io.LimitReader(tr, 64<<20)).Decode(&m); err != nil || m.Format != Format {
				return h, fmt.Errorf("the manifest does not read: %v", err)
			}
			manifest = &m
			continue
		}
		hash := sha256.New()
		body := io.TeeReader(tr, hash)
		if th.Name == HeaderName {
			if i != 0 {
				return h, fmt.Errorf("a second header")
			}
			if err := json.NewDecoder(io.LimitReader(body, 1<<20)).Decode(&h); err != nil {
				return h, ErrNotBackup
			}
			if h.Format != Format {
				return h, fmt.Errorf("backup format %q; this Pendopo reads %q", h.Format, Format)
			}
			if _, err := io.Copy(io.Discard, body); err != nil {
				return h, err
			}
			if header != nil {
				if err := header(h); err != nil {
					return h, err
				}
			}
		} else if err := fn(th.Name, th.Size, body); err != nil {
			return h, err
		}
		if _, err := io.Copy(io.Discard, body); err != nil { // what fn left unread
			return h, fmt.Errorf("read %s: %w", th.Name, err)
		}
		got = append(got, Member{Name: th.Name, Size: th.Size, SHA256: hex.EncodeToString(hash.Sum(nil))})
	}
	if manifest == nil {
		return h, errors.New("the backup has no manifest: it was cut short, or its making did not finish")
	}
	want := map[string]Member{}
	for _, m := range manifest.Members {
		want[m.Name] = m
	}
	for _, m := range got {
		w, ok := want[m.Name]
		switch {
		case !ok:
			return h, fmt.Errorf("member %s is not in the manifest", m.Name)
		case w.Size != m.Size || w.SHA256 != m.SHA256:
			return h, fmt.Errorf("member %s does not match the manifest (SHA-256 %s, expected %s)", m.Name, m.SHA256, w.SHA256)
		}
		delete(want, m.Name)
	}
	for name := range want {
		return h, fmt.Errorf("member %s of the manifest is missing", name)
	}
	return h, nil
}

// FileMember is the member name of a file store address.
func FileMember(addr string) string { return path.Join(FilesDir, addr) }
