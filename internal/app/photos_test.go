package app_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"image/jpeg"
	"io"
	"testing"

	"github.com/pendopo/pendopo"
	"github.com/pendopo/pendopo/internal/app"
	"github.com/pendopo/pendopo/internal/blob"
	"github.com/pendopo/pendopo/internal/photo"
	"github.com/pendopo/pendopo/internal/photo/phototest"
)

// served reads a report's photo as the public gets it.
func served(t *testing.T, f reportFixture, number, addr string) []byte {
	t.Helper()
	rc, _, err := f.ReportPhoto(ctx, pendopo.Actor{}, number, "", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer rc.Close()
	b, err := io.ReadAll(rc)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// carriesEXIF reports whether b holds any of what the phone wrote.
func carriesEXIF(b []byte) bool {
	return bytes.Contains(b, []byte("Exif")) || bytes.Contains(b, []byte(phototest.PhotoOwner)) || photo.HasMetadata(b)
}

// A phone's photo of an anonymous report is kept and served without its
// EXIF (GPS position, owner), turned as the camera was held; the
// original is not kept.
func TestReportPhotoCleaned(t *testing.T) {
	f := newReportFixture(t)
	r, err := f.SubmitReport(ctx, pendopo.Actor{}, "33.74", streetLight(pendopo.PrivacyAnonymous, "warga@contoh.id"), "")
	if err != nil {
		t.Fatal(err)
	}
	raw := phototest.JPEGWithEXIF(40, 20, 6)
	p, err := f.AddReportPhoto(ctx, pendopo.Actor{}, r.Number, r.Secret, bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	got := served(t, f, r.Number, p.Addr)
	if carriesEXIF(got) || p.Size != int64(len(got)) {
		t.Fatal("the photo is served with its EXIF")
	}
	img, err := jpeg.Decode(bytes.NewReader(got))
	if err != nil || img.Bounds().Dx() != 20 || img.Bounds().Dy() != 40 {
		t.Fatalf("served photo: %v %v, want 20×40 (turned)", err, img.Bounds())
	}
	// Nothing of the original is in the file store.
	sum := sha256.Sum256(raw)
	orig := hex.EncodeToString(sum[:])
	if _, err := f.blobs.Open(ctx, orig); pendopo.KindOf(err) != pendopo.KindNotFound {
		t.Errorf("the original photo is kept: %v", err)
	}
	// A picture too large to decode is refused with a clear error.
	if _, err := f.AddReportPhoto(ctx, pendopo.Actor{}, r.Number, r.Secret, bytes.NewReader([]byte("\xFF\xD8\xFF\xE0\x00\x10JFIF\x00"))); pendopo.KindOf(err) != pendopo.KindUnsupported {
		t.Errorf("a broken JPEG: %v", err)
	}
}

// Photos stored before cleaning are cleaned once: their records point at
// the cleaned file and the original leaves the file store; a photo that
// cannot be decoded is withdrawn; a second run finds nothing to do.
func TestCleanStoredPhotos(t *testing.T) {
	f := newReportFixture(t)
	r, err := f.SubmitReport(ctx, f.budi, "33.74", streetLight(pendopo.PrivacyAnonymous, ""), "")
	if err != nil {
		t.Fatal(err)
	}
	// As an older Pendopo stored them: byte for byte.
	put := func(b []byte) blob.Blob {
		bl, err := f.blobs.Put(ctx, bytes.NewReader(b), 1<<20, []string{pendopo.MediaJPEG, pendopo.MediaPNG})
		if err != nil {
			t.Fatal(err)
		}
		if err := f.Store().AddReportPhoto(ctx, pendopo.ReportPhoto{ReportID: r.ID, Addr: bl.Addr, Media: bl.Media, Size: bl.Size, CreatedAt: r.CreatedAt}); err != nil {
			t.Fatal(err)
		}
		return bl
	}
	exif, broken, clean := put(phototest.JPEGWithEXIF(40, 20, 6)), put([]byte("\xFF\xD8\xFF\xE0\x00\x10JFIF\x00")), put(phototest.JPEG(8, 8))
	if !carriesEXIF(served(t, f, r.Number, exif.Addr)) {
		t.Fatal("the old photo carries no EXIF to clean")
	}
	n, err := f.CleanStoredPhotos(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if n != (app.PhotoCounts{Checked: 3, Cleaned: 1, Withdrawn: 1, Deleted: 2}) {
		t.Errorf("counts: %+v", n)
	}
	photos, _ := f.Store().ReportPhotos(ctx, []int64{r.ID})
	var addrs []string
	for _, p := range photos[r.ID] {
		addrs = append(addrs, p.Addr)
		if carriesEXIF(served(t, f, r.Number, p.Addr)) {
			t.Errorf("photo %s still carries EXIF", p.Addr)
		}
	}
	if len(addrs) != 2 || addrs[0] == exif.Addr || addrs[1] == exif.Addr {
		t.Errorf("photos after cleaning: %v (a clean one and the cleaned one)", addrs)
	}
	for _, gone := range []string{exif.Addr, broken.Addr} {
		if _, err := f.blobs.Open(ctx, gone); pendopo.KindOf(err) != pendopo.KindNotFound {
			t.Errorf("the original %s is still stored: %v", gone, err)
		}
	}
	if _, err := f.blobs.Open(ctx, clean.Addr); err != nil {
		t.Errorf("a photo without metadata was touched: %v", err)
	}
	log, _, err := f.AuditLog(ctx, pendopo.System, pendopo.AuditFilter{Action: "photo.clean"})
	if err != nil || len(log) != 2 {
		t.Errorf("audit of the cleaning: %d %v", len(log), err)
	}
	if again, err := f.CleanStoredPhotos(ctx); err != nil || again.Cleaned+again.Withdrawn+again.Deleted != 0 {
		t.Errorf("a second run: %+v %v", again, err)
	}
	if _, done, err := f.CleanStoredPhotosOnce(ctx); err != nil || !done {
		t.Errorf("once: %v %v", done, err)
	}
	if _, done, _ := f.CleanStoredPhotosOnce(ctx); done {
		t.Error("once ran twice")
	}
}
