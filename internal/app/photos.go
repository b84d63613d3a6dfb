package app

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/pendopo/pendopo"
	"github.com/pendopo/pendopo/internal/blob"
	"github.com/pendopo/pendopo/internal/photo"
)

// Photos the public and reporters see (a report's, a program update's)
// are cleaned before they are stored: turned upright and encoded again
// without their metadata (the camera's GPS position, its owner), so that
// only the cleaned file is kept. Applications' uploads are documents
// seen by their own officers only, and are kept as given.

var errNoFileStore = pendopo.Errorf(pendopo.KindUnavailable, pendopo.M("app.file_storage_not_set_up"))

// putPhoto cleans a photo of at most limit bytes and stores the cleaned
// file only.
func (a *App) putPhoto(ctx context.Context, r io.Reader, limit int64) (blob.Blob, error) {
	if a.blobs == nil {
		return blob.Blob{}, errNoFileStore
	}
	p, err := photo.Clean(ctx, r, limit)
	if err != nil {
		return blob.Blob{}, err
	}
	return a.blobs.Put(ctx, bytes.NewReader(p.Data), int64(len(p.Data)), []string{p.Media})
}

// PhotoCounts says what CleanStoredPhotos did.
type PhotoCounts struct {
	// Checked photos were read; Cleaned ones carried metadata and were
	// replaced by their cleaned file; Withdrawn ones could not be decoded
	// (or were too large to) and were taken off their report or update;
	// Deleted originals were removed from the file store; Missing files
	// were not in it.
	Checked, Cleaned, Withdrawn, Deleted, Missing int
}

// photosCleanedSetting marks a database whose stored photos were cleaned.
const photosCleanedSetting = "photos.cleaned"

// CleanStoredPhotosOnce runs CleanStoredPhotos unless a run already
// finished on this database; done reports whether it ran. serve calls it
// in the background at start, so that photos uploaded before cleaning are
// cleaned without anyone remembering to.
func (a *App) CleanStoredPhotosOnce(ctx context.Context) (n PhotoCounts, done bool, err error) {
	if _, err := a.store.Setting(ctx, photosCleanedSetting); err == nil {
		return n, false, nil
	} else if !errors.Is(err, pendopo.ErrNotFound) {
		return n, false, err
	}
	if a.blobs == nil {
		return n, false, nil
	}
	if n, err = a.CleanStoredPhotos(ctx); err != nil {
		return n, false, err
	}
	return n, true, a.store.PutSetting(ctx, photosCleanedSetting, a.now().UTC().Format(time.RFC3339))
}

// CleanStoredPhotos cleans the report and program update photos stored
// before photos were cleaned on upload: each one that still carries
// metadata is encoded again and its records point at the cleaned file,
// and the original is deleted from the file store when the store can
// delete and nothing else refers to it. A photo that cannot be decoded
// is taken off its records, since it would otherwise be served as it
// is. Each replacement is in the audit trail. Running it again finds
// nothing to do; it is safe while the portal serves, and on several
// instances at once.
func (a *App) CleanStoredPhotos(ctx context.Context) (PhotoCounts, error) {
	var n PhotoCounts
	if a.blobs == nil {
		return n, errNoFileStore
	}
	for after := ""; ; {
		addrs, err := a.store.PhotoAddrs(ctx, after, 100)
		if err != nil || len(addrs) == 0 {
			return n, err
		}
		for _, addr := range addrs {
			after = addr
			n.Checked++
			rc, err := a.blobs.Open(ctx, addr)
			if errors.Is(err, pendopo.ErrNotFound) {
				n.Missing++
				a.log.Warn("a photo's file is missing from the file store", "addr", addr)
				continue
			}
			if err != nil {
				return n, err
			}
			b, err := io.ReadAll(io.LimitReader(rc, 64<<20))
			rc.Close()
			if err != nil {
				return n, fmt.Errorf("read photo %s: %w", addr, err)
			}
			if !photo.HasMetadata(b) {
				continue
			}
			var to blob.Blob
			p, err := photo.CleanBytes(ctx, b)
			switch {
			case err == nil:
				if to, err = a.blobs.Put(ctx, bytes.NewReader(p.Data), int64(len(p.Data)), []string{p.Media}); err != nil {
					return n, fmt.Errorf("store cleaned photo of %s: %w", addr, err)
				}
			case ctx.Err() != nil:
				return n, ctx.Err()
			default:
				a.log.Warn("a stored photo cannot be cleaned and is withdrawn", "addr", addr, "err", err)
			}
			e := pendopo.AuditEntry{Action: "photo.clean", Entity: "photo", EntityID: addr,
				Diff: pendopo.Diff(map[string]string{"addr": addr}, map[string]string{"addr": to.Addr})}
			var changed int64
			if err := a.audited(ctx, pendopo.System, "system", &e, func(tx pendopo.Store) error {
				var err error
				changed, err = tx.ReplacePhoto(ctx, addr, to.Addr, to.Media, to.Size)
				return err
			}); err != nil {
				return n, err
			}
			if changed == 0 {
				continue // cleaned meanwhile by another instance
			}
			if to.Addr == "" {
				n.Withdrawn++
			} else {
				n.Cleaned++
			}
			if used, err := a.store.FileInUse(ctx, addr); err != nil {
				return n, err
			} else if used {
				continue
			}
			if err := a.blobs.Delete(ctx, addr); err != nil {
				return n, err
			}
			n.Deleted++
		}
	}
}
