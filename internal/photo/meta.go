package photo

import "encoding/binary"

// What a photo carries besides its pixels. A camera writes its position
// (GPS), its owner and serial number, the time and often a thumbnail into
// EXIF (a TIFF structure in a JPEG's APP1 segment or a PNG's eXIf chunk),
// and editors add XMP, IPTC and comments. Only one of these matters for
// the picture itself: the orientation tag, which says how the camera was
// held. These parsers read only what they need and trust nothing: every
// offset is checked against the bytes at hand.

// orientationTag is EXIF's Orientation, in IFD0.
const orientationTag = 0x0112

// Orientation returns the EXIF orientation (1 to 8) of a JPEG or PNG, or
// 1 (as stored) when it has none or the metadata cannot be read.
func Orientation(b []byte) int {
	switch {
	case isJPEG(b):
		o := 1
		jpegSegments(b, func(marker byte, payload []byte) bool {
			if marker == 0xE1 && len(payload) >= 6 && string(payload[:6]) == "Exif\x00\x00" {
				o = tiffOrientation(payload[6:])
				return false
			}
			return true
		})
		return o
	case isPNG(b):
		o := 1
		pngChunks(b, func(typ string, data []byte) bool {
			if typ == "eXIf" {
				o = tiffOrientation(data)
				return false
			}
			return typ != "IDAT" // eXIf must come before the image data
		})
		return o
	}
	return 1
}

// tiffOrientation reads the Orientation tag of IFD0 of a TIFF structure.
func tiffOrientation(t []byte) int {
	if len(t) < 8 {
		return 1
	}
	var bo binary.ByteOrder
	switch string(t[:2]) {
	case "II":
		bo = binary.LittleEndian
	case "MM":
		bo = binary.BigEndian
	default:
		return 1
	}
	if bo.Uint16(t[2:]) != 42 {
		return 1
	}
	ifd := int64(bo.Uint32(t[4:]))
	if ifd < 8 || ifd+2 > int64(len(t)) {
		return 1
	}
	n := int64(bo.Uint16(t[ifd:]))
	for i := range n {
		e := ifd + 2 + 12*i
		if e+12 > int64(len(t)) {
			return 1
		}
		if bo.Uint16(t[e:]) != orientationTag {
			continue
		}
		// A SHORT (type 3), one of them, held in the entry itself.
		if bo.Uint16(t[e+2:]) != 3 || bo.Uint32(t[e+4:]) != 1 {
			return 1
		}
		if o := int(bo.Uint16(t[e+8:])); o >= 1 && o <= 8 {
			return o
		}
		return 1
	}
	return 1
}

// HasMetadata reports whether a JPEG or PNG carries anything besides its
// image: application segments (APP0–APP15: JFIF, EXIF, XMP, ICC, IPTC,
// makers' notes) or comments in a JPEG, ancillary chunks (text, time,
// eXIf, ICC) in a PNG, or bytes after the image's end. What Clean writes
// has none, so a photo without metadata needs no cleaning. A file that
// cannot be parsed is treated as carrying metadata.
func HasMetadata(b []byte) bool {
	switch {
	case isJPEG(b):
		meta := false
		end := jpegSegments(b, func(marker byte, payload []byte) bool {
			if marker >= 0xE0 && marker <= 0xEF || marker == 0xFE {
				meta = true
				return false
			}
			return true
		})
		return meta || end != len(b)
	case isPNG(b):
		meta := false
		end := pngChunks(b, func(typ string, data []byte) bool {
			switch typ {
			case "IHDR", "PLTE", "IDAT", "IEND", "tRNS":
				return true
			}
			meta = true
			return false
		})
		return meta || end != len(b)
	}
	return true
}

func isJPEG(b []byte) bool { return len(b) >= 3 && b[0] == 0xFF && b[1] == 0xD8 && b[2] == 0xFF }

func isPNG(b []byte) bool { return len(b) >= 8 && string(b[:8]) == "\x89PNG\r\n\x1a\n" }

// jpegSegments calls fn with each marker segment of a JPEG (its marker
// byte and its payload), in order, scans included, until fn returns false.
// It returns the offset just after the EOI marker, or -1 when fn stopped
// the walk or the file is cut short or malformed.
func jpegSegments(b []byte, fn func(marker byte, payload []byte) bool) int {
	i := 2 // after SOI
	for {
		// Markers may be preceded by any number of 0xFF fill bytes.
		if i >= len(b) || b[i] != 0xFF {
			return -1
		}
		for i < len(b) && b[i] == 0xFF {
			i++
		}
		if i >= len(b) {
			return -1
		}
		marker := b[i]
		i++
		switch {
		case marker == 0xD9: // EOI
			return i
		case marker == 0x01 || marker >= 0xD0 && marker <= 0xD7 || marker == 0x00:
			continue // no length
		}
		if i+2 > len(b) {
			return -1
		}
		n := int(binary.BigEndian.Uint16(b[i:]))
		if n < 2 || i+n > len(b) {
			return -1
		}
		if !fn(marker, b[i+2:i+n]) {
			return -1
		}
		i += n
		if marker != 0xDA { // SOS: entropy-coded data follows
			continue
		}
		// Skip the scan's data: a 0xFF in it is followed by 0x00 (a
		// stuffed byte) or a restart marker; anything else is the next
		// marker.
		for {
			if i+1 >= len(b) {
				return -1
			}
			if b[i] == 0xFF && b[i+1] != 0x00 && (b[i+1] < 0xD0 || b[i+1] > 0xD7) {
				break
			}
			i++
		}
	}
}

// pngChunks calls fn with each chunk of a PNG (its type and data) until
// fn returns false; it returns the offset just after IEND, or -1 when fn
// stopped the walk or the file is cut short.
func pngChunks(b []byte, fn func(typ string, data []byte) bool) int {
	i := 8
	for {
		if i+8 > len(b) {
			return -1
		}
		n := int64(binary.BigEndian.Uint32(b[i:]))
		typ := string(b[i+4 : i+8])
		end := int64(i) + 8 + n + 4
		if n > 1<<31 || end > int64(len(b)) {
			return -1
		}
		if !fn(typ, b[i+8:int64(i)+8+n]) {
			return -1
		}
		i = int(end)
		if typ == "IEND" {
			return i
		}
	}
}
