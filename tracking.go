package pendopo

import (
	"crypto/rand"
	"fmt"
	"strings"
	"time"
)

// A tracking number names an application for the citizen who reads it
// over the phone or types it from a receipt:
//
//	3374-2611-K7Q2M9-X
//
// the region's code without the dot, the year and month of submission,
// six random characters and a check character. The random part uses
// Crockford's alphabet, without I, L, O and U, so that nothing looks like
// 1 or 0; reading a number back forgives lower case and those look-alikes.
// The check character (ISO 7064 MOD 37-2 over every character) catches
// every single wrong character and every swap of two characters.

const (
	trackingAlphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ" // Crockford base 32
	checkAlphabet    = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	trackingRandom   = 6
)

// NewTrackingNumber makes a tracking number for an application to region,
// submitted at t.
func NewTrackingNumber(region string, t time.Time) string {
	b := make([]byte, trackingRandom)
	for {
		if _, err := rand.Read(b); err != nil {
			panic(err) // the system's randomness failing is not recoverable
		}
		for i := range b {
			b[i] = trackingAlphabet[int(b[i])%len(trackingAlphabet)] // 256 is a multiple of 32: uniform
		}
		body := strings.ReplaceAll(region, ".", "") + "-" + t.In(RegionZone(region)).Format("0601") + "-" + string(b)
		// Numbers whose check character would look like 0 or 1 (or be U)
		// are not handed out, so a typed O, I or L can only mean 0 or 1.
		if c := checkChar(body); strings.IndexByte(trackingAlphabet, c) >= 0 {
			return body + "-" + string(c)
		}
	}
}

// checkChar computes the ISO 7064 MOD 37-2 check character of s's letters
// and digits. Its weights are powers of 2 modulo the prime 37, all
// different, so any one wrong character and any swap of two different
// characters changes it. Its 37th value has no letter; it is returned as
// '*', which numbers are never given (see NewTrackingNumber).
func checkChar(s string) byte {
	p := 0
	for i := 0; i < len(s); i++ {
		v := strings.IndexByte(checkAlphabet, s[i])
		if v < 0 {
			continue // separators
		}
		p = (p + v) * 2 % 37
	}
	c := (38 - p) % 37
	if c == 36 {
		return '*'
	}
	return checkAlphabet[c]
}

// ParseTrackingNumber reads a tracking number as a person typed it: any
// case, spaces or dashes anywhere, O for 0 and I or L for 1 in the random
// part. It returns the number in its printed form, or an error that says
// whether the number is malformed or mistyped.
func ParseTrackingNumber(s string) (string, error) {
	var raw []byte
	for _, r := range strings.ToUpper(s) {
		switch {
		case r == '-' || r == ' ' || r == '\t':
		case r < 128 && strings.IndexByte(checkAlphabet, byte(r)) >= 0:
			raw = append(raw, byte(r))
		default:
			return "", errTrackingForm
		}
	}
	// region (2 or 4 digits) + yymm (4) + random (6) + check (1)
	n := len(raw)
	if n != 2+4+trackingRandom+1 && n != 4+4+trackingRandom+1 {
		return "", errTrackingForm
	}
	region, rest := raw[:n-4-trackingRandom-1], raw[n-4-trackingRandom-1:]
	for _, c := range append(region, rest[:4]...) {
		if c < '0' || c > '9' {
			return "", errTrackingForm
		}
	}
	random := rest[4 : 4+trackingRandom]
	for i, c := range random {
		switch c {
		case 'O':
			random[i] = '0'
		case 'I', 'L':
			random[i] = '1'
		case 'U':
			return "", errTrackingForm
		}
	}
	body := fmt.Sprintf("%s-%s-%s", region, rest[:4], random)
	// Printed check characters are never O, I, L or U (see
	// NewTrackingNumber), so a typed O, I or L there means 0 or 1.
	if got := lookAlike(rest[len(rest)-1]); got == 'U' || checkChar(body) != got {
		return "", errTrackingCheck
	}
	return body + "-" + string(lookAlike(rest[len(rest)-1])), nil
}

func lookAlike(c byte) byte {
	switch c {
	case 'O':
		return '0'
	case 'I', 'L':
		return '1'
	}
	return c
}

// TrackingRegion is the region code a tracking number starts with, such
// as 33.74.
func TrackingRegion(number string) string {
	code, _, _ := strings.Cut(number, "-")
	if len(code) == 4 {
		return code[:2] + "." + code[2:]
	}
	return code
}

var (
	errTrackingForm  = Errorf(KindInvalid, M("rule.an_application_number_looks_like"))
	errTrackingCheck = Errorf(KindInvalid, M("rule.no_application_has_that_number"))
)
