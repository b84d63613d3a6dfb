package ratelimit

import (
	"testing"
	"time"
)

func TestLimiter(t *testing.T) {
	l := &Limiter{N: 3, Window: time.Minute}
	t0 := time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC)
	for i := range 5 {
		if got, want := l.Allow("a", t0.Add(time.Duration(i)*time.Second)), i < 3; got != want {
			t.Errorf("event %d allowed = %v, want %v", i, got, want)
		}
	}
	if !l.Allow("b", t0) {
		t.Error("another key shares the limit")
	}
	if !l.Allow("a", t0.Add(time.Minute)) {
		t.Error("a new window is still limited")
	}
}

func TestAddrKey(t *testing.T) {
	for in, want := range map[string]string{
		"198.51.100.4":         "198.51.100.4",
		"2001:db8:1:2:3:4:5:6": "2001:db8:1:2::/64",
		"2001:db8:1:2::ffff":   "2001:db8:1:2::/64",
		"::ffff:192.0.2.1":     "::ffff:192.0.2.1",
		"not an address":       "not an address",
	} {
		if got := AddrKey(in); got != want {
			t.Errorf("AddrKey(%q) = %q, want %q", in, got, want)
		}
	}
}
