package pendopo

import (
	"strings"
	"testing"
	"time"
)

func TestTrackingNumber(t *testing.T) {
	at := time.Date(2026, 11, 30, 16, 0, 0, 0, time.UTC) // 23.00 WIB, already December in WIT
	n := NewTrackingNumber("33.74", at)
	if len(n) != len("3374-2611-K7Q2M9-X") || !strings.HasPrefix(n, "3374-2611-") || TrackingRegion(n) != "33.74" {
		t.Fatalf("number %q", n)
	}
	if p := NewTrackingNumber("91.71", at); !strings.HasPrefix(p, "9171-2612-") {
		t.Errorf("Jayapura's number %q should carry its own month", p)
	}
	if p := NewTrackingNumber("33", at); !strings.HasPrefix(p, "33-2611-") || TrackingRegion(p) != "33" {
		t.Errorf("province number %q", p)
	}
	// As typed by people: lower case, spaces, look-alikes.
	typed := strings.ToLower(strings.ReplaceAll(n, "-", " "))
	typed = typed[:10] + strings.NewReplacer("0", "o", "1", "l").Replace(typed[10:])
	if got, err := ParseTrackingNumber(strings.ReplaceAll(n, "-", " ")); err != nil || got != n {
		t.Errorf("with spaces: %q %v", got, err)
	}
	if got, err := ParseTrackingNumber(strings.ToLower(n)); err != nil || got != n {
		t.Errorf("lower case: %q %v", got, err)
	}
	if got, err := ParseTrackingNumber(typed); err != nil || got != n {
		t.Errorf("typed %q: %q %v", typed, got, err)
	}
	for _, bad := range []string{"", "3374", "3374-2611-K7Q2M9", "33.74-2611-K7Q2M9-X", "3374-26AB-K7Q2M9-X", "3374-2611-K7Q2MU-X", "3374-2611-K7Q2M9-XX", "3374-2611-K7Q2M9-é"} {
		if _, err := ParseTrackingNumber(bad); err == nil {
			t.Errorf("accepted %q", bad)
		}
	}
}

// TestTrackingCheckCatchesTypos: every single wrong character and every
// swap of two different neighbours in a number is refused.
func TestTrackingCheckCatchesTypos(t *testing.T) {
	at := time.Date(2026, 11, 27, 0, 0, 0, 0, time.UTC)
	for range 200 {
		n := NewTrackingNumber("33.74", at)
		b := []byte(n)
		for i := range b {
			if b[i] == '-' {
				continue
			}
			orig := b[i]
			for _, c := range []byte(checkAlphabet) {
				if c == orig || lookAlike(c) == lookAlike(orig) || i < len(n)-2 && (c == 'U' || c == 'O' || c == 'I' || c == 'L') {
					continue
				}
				b[i] = c
				if got, err := ParseTrackingNumber(string(b)); err == nil {
					t.Fatalf("%s with %c at %d accepted as %s", n, c, i, got)
				}
			}
			b[i] = orig
		}
		digits := strings.ReplaceAll(n, "-", "")
		for i := 0; i+1 < len(digits); i++ {
			if digits[i] == digits[i+1] {
				continue
			}
			s := []byte(digits)
			s[i], s[i+1] = s[i+1], s[i]
			if got, err := ParseTrackingNumber(string(s)); err == nil {
				t.Fatalf("%s with %d and %d swapped accepted as %s", n, i, i+1, got)
			}
		}
	}
}

func FuzzParseTrackingNumber(f *testing.F) {
	at := time.Date(2026, 11, 27, 0, 0, 0, 0, time.UTC)
	for _, s := range []string{NewTrackingNumber("33.74", at), NewTrackingNumber("33", at), "3374-2611-K7Q2M9-X", "", "----", "3374 2611 k7q2m9 x"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n, err := ParseTrackingNumber(s)
		if err != nil {
			return
		}
		again, err := ParseTrackingNumber(n)
		if err != nil || again != n {
			t.Fatalf("%q → %q → %q %v", s, n, again, err)
		}
	})
}
