package photo_test

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"image"
	"image/jpeg"
	"image/png"
	"strings"
	"testing"

	"github.com/pendopo/pendopo"
	"github.com/pendopo/pendopo/internal/blob"
	"github.com/pendopo/pendopo/internal/photo"
	"github.com/pendopo/pendopo/internal/photo/phototest"
)

// leaks lists what a cleaned photo must not contain: the EXIF header, the
// owner's name, the GPS reference letters' tags and the comment.
func leaks(b []byte) []string {
	var out []string
	for _, s := range []string{"Exif", phototest.PhotoOwner, "Foto milik", "Author", "eXIf", "tEXt"} {
		if bytes.Contains(b, []byte(s)) {
			out = append(out, s)
		}
	}
	return out
}

// redOnTop reports whether the picture's top edge is red and its bottom
// edge blue, as Picture turned 90° clockwise looks.
func redOnTop(img image.Image) bool {
	b := img.Bounds()
	r1, _, b1, _ := img.At(b.Dx()/2, 1).RGBA()
	r2, _, b2, _ := img.At(b.Dx()/2, b.Dy()-2).RGBA()
	return r1 > b1 && b2 > r2
}

func TestOrientation(t *testing.T) {
	for o := range 9 {
		if got := photo.Orientation(phototest.JPEGWithEXIF(8, 4, o)); got != max(o, 1) {
			t.Errorf("JPEG orientation %d: read %d", o, got)
		}
	}
	if got := photo.Orientation(phototest.PNGWithText(8, 4, 6)); got != 6 {
		t.Errorf("PNG eXIf orientation: %d", got)
	}
	// A little-endian EXIF, as most phones write.
	le := []byte("II*\x00\x08\x00\x00\x00\x01\x00\x12\x01\x03\x00\x01\x00\x00\x00\x08\x00\x00\x00\x00\x00\x00\x00")
	if got := photo.Orientation(append([]byte("\xFF\xD8\xFF\xE1\x00\x22Exif\x00\x00"), le...)); got != 8 {
		t.Errorf("little-endian orientation: %d", got)
	}
	for _, bad := range [][]byte{nil, []byte("\xFF\xD8\xFF"), []byte("\xFF\xD8\xFF\xE1\xFF\xFFExif"), []byte("plain text"),
		append([]byte("\xFF\xD8\xFF\xE1\x00\x10Exif\x00\x00MM\x00\x2a"), 0xFF, 0xFF, 0xFF, 0xFF)} {
		if got := photo.Orientation(bad); got != 1 {
			t.Errorf("Orientation(%q) = %d, want 1", bad, got)
		}
	}
}

// A phone's photo (EXIF with GPS position, owner and orientation, and a
// comment) comes out upright without any of it, and cleaning what came
// out changes nothing more.
func TestCleanJPEG(t *testing.T) {
	ctx := context.Background()
	in := phototest.JPEGWithEXIF(40, 20, 6)
	if !photo.HasMetadata(in) || len(leaks(in)) == 0 {
		t.Fatal("the test photo carries no metadata")
	}
	p, err := photo.Clean(ctx, bytes.NewReader(in), 1<<20)
	if err != nil {
		t.Fatal(err)
	}
	if l := leaks(p.Data); len(l) > 0 || photo.HasMetadata(p.Data) {
		t.Errorf("the cleaned photo still carries %v", l)
	}
	if p.Media != pendopo.MediaJPEG || p.Width != 20 || p.Height != 40 {
		t.Errorf("cleaned: %s %d×%d, want a JPEG of 20×40", p.Media, p.Width, p.Height)
	}
	img, err := jpeg.Decode(bytes.NewReader(p.Data))
	if err != nil {
		t.Fatal(err)
	}
	if !redOnTop(img) {
		t.Error("the photo was not turned as its orientation says")
	}
	if photo.Orientation(p.Data) != 1 {
		t.Error("the cleaned photo still asks to be turned")
	}
	// Every orientation ends upright: red on top for 6, as stored for 1.
	for o := 1; o <= 8; o++ {
		p, err := photo.Clean(ctx, bytes.NewReader(phototest.JPEGWithEXIF(40, 20, o)), 1<<20)
		if err != nil {
			t.Fatal(err)
		}
		if want := map[bool][2]int{true: {20, 40}, false: {40, 20}}[o >= 5]; p.Width != want[0] || p.Height != want[1] {
			t.Errorf("orientation %d: %d×%d", o, p.Width, p.Height)
		}
	}
}

func TestCleanPNG(t *testing.T) {
	in := phototest.PNGWithText(40, 20, 6)
	p, err := photo.Clean(context.Background(), bytes.NewReader(in), 1<<20)
	if err != nil {
		t.Fatal(err)
	}
	if l := leaks(p.Data); len(l) > 0 || photo.HasMetadata(p.Data) || p.Media != pendopo.MediaPNG {
		t.Errorf("cleaned PNG: %s, still carries %v", p.Media, l)
	}
	img, err := png.Decode(bytes.NewReader(p.Data))
	if err != nil || img.Bounds().Dx() != 20 || !redOnTop(img) {
		t.Errorf("cleaned PNG: %v, %v", err, img.Bounds())
	}
}

// What cannot be a photo, or would cost too much to decode, is refused
// with a clear error, before anything is decoded.
func TestCleanRefuses(t *testing.T) {
	ctx := context.Background()
	// A JPEG header claiming 60000 × 60000 pixels: refused from the header.
	bomb := phototest.JPEG(8, 8)
	sof := bytes.Index(bomb, []byte{0xFF, 0xC0})
	binary.BigEndian.PutUint16(bomb[sof+5:], 60000)
	binary.BigEndian.PutUint16(bomb[sof+7:], 60000)
	cases := []struct {
		name string
		in   []byte
		want error
	}{
		{"empty", nil, blob.ErrEmpty},
		{"too large", bytes.Repeat([]byte{0xFF}, 2000), blob.ErrTooLarge},
		{"a PDF", []byte("%PDF-1.4 not a photo"), blob.ErrType},
		{"a cut JPEG", phototest.JPEG(8, 8)[:300], photo.ErrUnreadable},
		{"a header only", []byte("\xFF\xD8\xFF\xE0\x00\x10JFIF\x00"), photo.ErrUnreadable},
		{"a huge picture", bomb, photo.ErrTooManyPixels},
	}
	for _, c := range cases {
		_, err := photo.Clean(ctx, bytes.NewReader(c.in), 1000)
		if !errors.Is(err, c.want) {
			t.Errorf("%s: %v, want %v", c.name, err, c.want)
		}
	}
	if pendopo.KindOf(photo.ErrTooManyPixels) != pendopo.KindTooLarge || !strings.Contains(photo.ErrTooManyPixels.Error(), "24") {
		t.Errorf("the size error: %v", photo.ErrTooManyPixels)
	}
}

func TestHasMetadata(t *testing.T) {
	if photo.HasMetadata(phototest.JPEG(8, 8)) {
		t.Error("a plain encoded JPEG has metadata")
	}
	if !photo.HasMetadata(append(phototest.JPEG(8, 8), "trailer"...)) {
		t.Error("bytes after the end of the image are not metadata")
	}
	if !photo.HasMetadata([]byte("\xFF\xD8\xFF\xE0\x00\x10JFIF\x00")) {
		t.Error("a JFIF segment (and a cut file) is not metadata")
	}
	var b bytes.Buffer
	png.Encode(&b, phototest.Picture(4, 4))
	if photo.HasMetadata(b.Bytes()) || !photo.HasMetadata(phototest.PNGWithText(4, 4, 0)) {
		t.Error("PNG metadata misjudged")
	}
}

// FuzzOrientation feeds the EXIF and segment parsers anything: they must
// not panic or run away, and must answer 1 to 8.
func FuzzOrientation(f *testing.F) {
	f.Add(phototest.JPEGWithEXIF(4, 4, 6))
	f.Add(phototest.PNGWithText(4, 4, 3))
	f.Add([]byte("\xFF\xD8\xFF\xE1\x00\x22Exif\x00\x00II*\x00\x08\x00\x00\x00\x01\x00\x12\x01\x03\x00\x01\x00\x00\x00\x08\x00\x00\x00\x00\x00\x00\x00"))
	f.Add([]byte("\x89PNG\r\n\x1a\n\x00\x00\x00\x04eXIfMM\x00*"))
	f.Fuzz(func(t *testing.T, b []byte) {
		if o := photo.Orientation(b); o < 1 || o > 8 {
			t.Fatalf("orientation %d", o)
		}
		photo.HasMetadata(b)
	})
}
