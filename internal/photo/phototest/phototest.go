// Package phototest builds photos for tests, byte by byte the way a phone
// writes them: a picture whose left half is red and right half blue (so
// that a test can tell which way it was turned), with EXIF naming where
// it was taken and whose it is.
package phototest

import (
	"bytes"
	"encoding/binary"
	"hash/crc32"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
)

// PhotoOwner is the camera owner PhotoEXIF writes, for tests to look for
// in what is served.
const PhotoOwner = "Budi Santoso"

// Picture is a w × h image, red on its left half and blue on its right.
func Picture(w, h int) *image.NRGBA {
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			c := color.NRGBA{R: 220, G: 20, B: 20, A: 255}
			if x >= w/2 {
				c = color.NRGBA{R: 20, G: 20, B: 220, A: 255}
			}
			img.SetNRGBA(x, y, c)
		}
	}
	return img
}

// JPEG is Picture(w, h) as a JPEG without metadata.
func JPEG(w, h int) []byte {
	var b bytes.Buffer
	if err := jpeg.Encode(&b, Picture(w, h), &jpeg.Options{Quality: 90}); err != nil {
		panic(err)
	}
	return b.Bytes()
}

// PhotoEXIF is a TIFF structure as EXIF holds it (big-endian): IFD0 with
// the orientation (1–8; 0 leaves it out), the Artist PhotoOwner and a GPS
// IFD placing the photo at 6°59'24" S 110°25'12" E (Semarang).
func PhotoEXIF(orientation int) []byte {
	be := binary.BigEndian
	var t bytes.Buffer
	w16 := func(v uint16) { binary.Write(&t, be, v) }
	w32 := func(v uint32) { binary.Write(&t, be, v) }
	entry := func(tag, typ uint16, count, value uint32) { w16(tag); w16(typ); w32(count); w32(value) }
	t.WriteString("MM")
	w16(42)
	w32(8)
	n := uint16(2)
	if orientation != 0 {
		n = 3
	}
	ifd0End := 8 + 2 + 12*uint32(n) + 4
	artistAt := ifd0End
	gpsAt := artistAt + 16
	w16(n)
	if orientation != 0 {
		entry(0x0112, 3, 1, uint32(orientation)<<16) // SHORT, left-justified
	}
	entry(0x013B, 2, uint32(len(PhotoOwner)+1), artistAt)
	entry(0x8825, 4, 1, gpsAt)
	w32(0)
	t.WriteString(PhotoOwner + "\x00")
	for t.Len() < int(gpsAt) {
		t.WriteByte(0)
	}
	latAt := gpsAt + 2 + 4*12 + 4
	lngAt := latAt + 24
	w16(4)
	entry(1, 2, 2, uint32('S')<<24)
	entry(2, 5, 3, latAt)
	entry(3, 2, 2, uint32('E')<<24)
	entry(4, 5, 3, lngAt)
	w32(0)
	for _, r := range [][2]uint32{{6, 1}, {59, 1}, {24, 1}, {110, 1}, {25, 1}, {12, 1}} {
		w32(r[0])
		w32(r[1])
	}
	return t.Bytes()
}

// JPEGWithEXIF is a phone's photo: Picture(w, h) stored as it lay in the
// camera, with an APP1 EXIF segment (PhotoEXIF) and a comment naming its
// owner. With orientation 6 (turned 90° clockwise to view) the stored
// picture is w × h and the upright one h × w, red on top.
func JPEGWithEXIF(w, h, orientation int) []byte {
	plain := JPEG(w, h)
	exif := append([]byte("Exif\x00\x00"), PhotoEXIF(orientation)...)
	var b bytes.Buffer
	b.Write(plain[:2]) // SOI
	b.Write([]byte{0xFF, 0xE1})
	binary.Write(&b, binary.BigEndian, uint16(len(exif)+2))
	b.Write(exif)
	com := []byte("Foto milik " + PhotoOwner)
	b.Write([]byte{0xFF, 0xFE})
	binary.Write(&b, binary.BigEndian, uint16(len(com)+2))
	b.Write(com)
	b.Write(plain[2:])
	return b.Bytes()
}

// PNGWithText is Picture(w, h) as a PNG with a tEXt chunk naming its
// author and an eXIf chunk (PhotoEXIF with orientation).
func PNGWithText(w, h, orientation int) []byte {
	var plain bytes.Buffer
	if err := png.Encode(&plain, Picture(w, h)); err != nil {
		panic(err)
	}
	p := plain.Bytes()
	ihdrEnd := 8 + 8 + 13 + 4
	chunk := func(typ string, data []byte) []byte {
		var c bytes.Buffer
		binary.Write(&c, binary.BigEndian, uint32(len(data)))
		c.WriteString(typ)
		c.Write(data)
		binary.Write(&c, binary.BigEndian, crc32.ChecksumIEEE(append([]byte(typ), data...)))
		return c.Bytes()
	}
	var b bytes.Buffer
	b.Write(p[:ihdrEnd])
	b.Write(chunk("tEXt", []byte("Author\x00"+PhotoOwner)))
	b.Write(chunk("eXIf", PhotoEXIF(orientation)))
	b.Write(p[ihdrEnd:])
	return b.Bytes()
}
