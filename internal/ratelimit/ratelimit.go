// Package ratelimit counts events per key in memory, for the limits the
// use cases and the pages put on anonymous and expensive requests. It
// knows nothing of HTTP: callers pass the client's address as a string.
package ratelimit

import (
	"net/netip"
	"sync"
	"time"
)

// Limiter allows each key (a client address, an account) at most N events
// per window, counted in fixed windows. It is in memory, per instance: it
// blunts floods of expensive anonymous requests; sign-in throttling, which
// must hold across instances, lives in the database.
type Limiter struct {
	N      int
	Window time.Duration

	mu     sync.Mutex
	counts map[string]*window
	swept  time.Time
}

type window struct {
	start time.Time
	n     int
}

// Allow records an event for key at now and reports whether it is within
// the limit.
func (l *Limiter) Allow(key string, now time.Time) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.counts == nil {
		l.counts = map[string]*window{}
	}
	if now.Sub(l.swept) > l.Window {
		for k, w := range l.counts {
			if now.Sub(w.start) >= l.Window {
				delete(l.counts, k)
			}
		}
		l.swept = now
	}
	w, ok := l.counts[key]
	if !ok || now.Sub(w.start) >= l.Window {
		w = &window{start: now}
		l.counts[key] = w
	}
	w.n++
	return w.n <= l.N
}

// AddrKey is the part of a client address that per-address limits count:
// the address itself for IPv4, its /64 network for IPv6, since one
// subscriber usually holds a whole /64 and could otherwise rotate through
// it.
func AddrKey(ip string) string {
	a, err := netip.ParseAddr(ip)
	if err != nil || !a.Is6() || a.Is4In6() {
		return ip
	}
	return netip.PrefixFrom(a.WithZone(""), 64).Masked().String()
}
