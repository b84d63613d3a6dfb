// Package photo cleans uploaded photos before they are stored: a JPEG or
// PNG is decoded, turned the way the camera's orientation tag says, and
// encoded again, so that what is kept and served is the picture and
// nothing else. A phone's photo carries where it was taken (EXIF GPS),
// whose camera took it and when; a report's photo, an anonymous one's
// too, must not hand that to whoever opens it.
package photo

import (
	"bytes"
	"context"
	"errors"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"io"

	"github.com/pendopo/pendopo"
	"github.com/pendopo/pendopo/internal/blob"
)

// Limits on what a photo may cost to decode. The pixels are checked from
// the file's header before anything is decoded, so that a small file
// claiming a huge picture (a decompression bomb) is refused cheaply.
const (
	// MaxPixels is the largest picture accepted: 24 megapixels, such as
	// 6000 × 4000, more than a report needs.
	MaxPixels = 24_000_000
	// maxDecodeBytes bounds the memory of one decode: the decoded picture
	// and, when it must be turned, the turned copy.
	maxDecodeBytes = 160 << 20
	// Quality is the JPEG quality photos are encoded at again.
	Quality = 85
)

// Errors Clean reports besides blob.ErrEmpty, blob.ErrTooLarge and
// blob.ErrType.
var (
	ErrUnreadable    = pendopo.Errorf(pendopo.KindUnsupported, pendopo.M("photo.the_photo_cannot_be_read"))
	ErrTooManyPixels = pendopo.Errorf(pendopo.KindTooLarge, pendopo.M("photo.the_picture_too_large_at"))
)

// decoding lets one photo be decoded at a time in the process, so that
// concurrent uploads cannot add up to more memory than one decode's.
var decoding = make(chan struct{}, 1)

// Photo is a cleaned photo.
type Photo struct {
	Data          []byte
	Media         string // pendopo.MediaJPEG or pendopo.MediaPNG
	Width, Height int
}

// Clean reads a JPEG or PNG of at most limit bytes (judged by content) and
// returns it without metadata: decoded, turned upright as its EXIF
// orientation says, and encoded again (JPEG at Quality, PNG losslessly).
// Nothing of the original is returned. Errors are blob.ErrEmpty,
// blob.ErrTooLarge and blob.ErrType for the upload itself, ErrTooManyPixels
// for a picture too large to decode and ErrUnreadable for a damaged one,
// or ctx's error while waiting for another decode.
func Clean(ctx context.Context, r io.Reader, limit int64) (Photo, error) {
	b, err := io.ReadAll(io.LimitReader(r, limit+1))
	if err != nil {
		return Photo{}, err
	}
	switch {
	case len(b) == 0:
		return Photo{}, blob.ErrEmpty
	case int64(len(b)) > limit:
		return Photo{}, blob.ErrTooLarge
	}
	return CleanBytes(ctx, b)
}

// CleanBytes is Clean for a photo already in memory.
func CleanBytes(ctx context.Context, b []byte) (Photo, error) {
	media := blob.Sniff(b[:min(len(b), 512)])
	var (
		cfg image.Config
		err error
	)
	switch media {
	case pendopo.MediaJPEG:
		cfg, err = jpeg.DecodeConfig(bytes.NewReader(b))
	case pendopo.MediaPNG:
		cfg, err = png.DecodeConfig(bytes.NewReader(b))
	default:
		return Photo{}, blob.ErrType
	}
	if err != nil || cfg.Width <= 0 || cfg.Height <= 0 {
		return Photo{}, ErrUnreadable
	}
	orient := Orientation(b)
	px := int64(cfg.Width) * int64(cfg.Height)
	cost := px * bytesPerPixel(cfg.ColorModel)
	if orient != 1 {
		cost += px * 4
	}
	if px > MaxPixels || cost > maxDecodeBytes {
		return Photo{}, ErrTooManyPixels
	}
	select {
	case decoding <- struct{}{}:
		defer func() { <-decoding }()
	case <-ctx.Done():
		return Photo{}, ctx.Err()
	}
	var img image.Image
	if media == pendopo.MediaJPEG {
		img, err = jpeg.Decode(bytes.NewReader(b))
	} else {
		img, err = png.Decode(bytes.NewReader(b))
	}
	if err != nil {
		return Photo{}, ErrUnreadable
	}
	img = Orient(img, orient)
	var out bytes.Buffer
	if media == pendopo.MediaJPEG {
		err = jpeg.Encode(&out, img, &jpeg.Options{Quality: Quality})
	} else {
		err = (&png.Encoder{CompressionLevel: png.DefaultCompression}).Encode(&out, img)
	}
	if err != nil {
		return Photo{}, errors.Join(ErrUnreadable, err)
	}
	bounds := img.Bounds()
	return Photo{Data: out.Bytes(), Media: media, Width: bounds.Dx(), Height: bounds.Dy()}, nil
}

// bytesPerPixel is, at most, what a decoded pixel of the model takes.
func bytesPerPixel(m color.Model) int64 {
	switch m {
	case color.GrayModel, color.AlphaModel:
		return 1
	case color.Gray16Model, color.Alpha16Model:
		return 2
	case color.YCbCrModel:
		return 3
	case color.RGBA64Model, color.NRGBA64Model:
		return 8
	}
	if _, ok := m.(color.Palette); ok {
		return 1
	}
	return 4
}

// Orient turns img upright from the way it was stored with EXIF
// orientation o (1 to 8: as stored, mirrored, turned 180°, flipped,
// transposed, turned 90° clockwise, transversed, turned 90° anticlockwise).
func Orient(img image.Image, o int) image.Image {
	if o <= 1 || o > 8 {
		return img
	}
	b := img.Bounds()
	w, h := b.Dx(), b.Dy()
	dw, dh := w, h
	if o >= 5 {
		dw, dh = h, w
	}
	// src gives the stored pixel shown at (x, y) of the upright picture.
	src := func(x, y int) (int, int) {
		switch o {
		case 2:
			return w - 1 - x, y
		case 3:
			return w - 1 - x, h - 1 - y
		case 4:
			return x, h - 1 - y
		case 5:
			return y, x
		case 6:
			return y, h - 1 - x
		case 7:
			return w - 1 - y, h - 1 - x
		default: // 8
			return w - 1 - y, x
		}
	}
	switch s := img.(type) {
	case *image.YCbCr:
		d := image.NewYCbCr(image.Rect(0, 0, dw, dh), image.YCbCrSubsampleRatio444)
		for y := range dh {
			for x := range dw {
				sx, sy := src(x, y)
				sx, sy = sx+b.Min.X, sy+b.Min.Y
				i := y*d.YStride + x
				d.Y[i] = s.Y[s.YOffset(sx, sy)]
				c := s.COffset(sx, sy)
				d.Cb[i], d.Cr[i] = s.Cb[c], s.Cr[c]
			}
		}
		return d
	case *image.Gray:
		d := image.NewGray(image.Rect(0, 0, dw, dh))
		for y := range dh {
			for x := range dw {
				sx, sy := src(x, y)
				d.Pix[y*d.Stride+x] = s.Pix[s.PixOffset(sx+b.Min.X, sy+b.Min.Y)]
			}
		}
		return d
	}
	d := image.NewNRGBA(image.Rect(0, 0, dw, dh))
	for y := range dh {
		for x := range dw {
			sx, sy := src(x, y)
			d.Set(x, y, img.At(sx+b.Min.X, sy+b.Min.Y))
		}
	}
	return d
}
