package httpx

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"strings"
)

// Proxies are the reverse proxies whose X-Forwarded-For is believed. The
// zero value trusts none: every client is the socket's peer.
type Proxies struct {
	nets []netip.Prefix
}

// ParseProxies reads a comma-separated list of addresses and CIDR ranges
// ("127.0.0.1, 10.0.0.0/8, fd00::/8"); an empty list trusts none.
func ParseProxies(list string) (Proxies, error) {
	var p Proxies
	for _, item := range strings.Split(list, ",") {
		item = strings.TrimSpace(item)
		if item == "" {
			continue
		}
		if pre, err := netip.ParsePrefix(item); err == nil {
			p.nets = append(p.nets, pre.Masked())
			continue
		}
		addr, err := netip.ParseAddr(item)
		if err != nil || addr.Zone() != "" {
			return Proxies{}, fmt.Errorf("%q is neither an IP address nor a CIDR range such as 10.0.0.0/8", item)
		}
		addr = addr.Unmap()
		p.nets = append(p.nets, netip.PrefixFrom(addr, addr.BitLen()))
	}
	return p, nil
}

// String lists the trusted ranges, for messages.
func (p Proxies) String() string {
	s := make([]string, len(p.nets))
	for i, n := range p.nets {
		s[i] = n.String()
	}
	return strings.Join(s, ",")
}

func (p Proxies) trusted(a netip.Addr) bool {
	a = a.Unmap()
	for _, n := range p.nets {
		if n.Contains(a) {
			return true
		}
	}
	return false
}

// Client is the address of the client that made r. Without trusted
// proxies it is the socket's peer, whatever the request's headers say.
// When the peer is a trusted proxy, X-Forwarded-For is read from the right
// (the entry the nearest proxy appended) and the first address that is
// not a trusted proxy is the client; entries to its left were written by
// the client or by proxies nobody vouches for, so they are never used. An
// entry that is not an address ends the walk at the last trusted hop.
func (p Proxies) Client(r *http.Request) string {
	peer, ok := parseHost(r.RemoteAddr)
	if !ok {
		host, _, err := net.SplitHostPort(r.RemoteAddr)
		if err != nil {
			return r.RemoteAddr
		}
		return host
	}
	if len(p.nets) == 0 || !p.trusted(peer) {
		return peer.String()
	}
	client := peer
	hops := r.Header.Values("X-Forwarded-For")
	for i := len(hops) - 1; i >= 0; i-- {
		entries := strings.Split(hops[i], ",")
		for j := len(entries) - 1; j >= 0; j-- {
			e := strings.TrimSpace(entries[j])
			if e == "" {
				continue
			}
			a, ok := parseHost(e)
			if !ok {
				return client.String()
			}
			client = a
			if !p.trusted(a) {
				return a.String()
			}
		}
	}
	return client.String()
}

// parseHost reads an address as sockets and proxies write it: "1.2.3.4",
// "1.2.3.4:5678", "2001:db8::1" or "[2001:db8::1]:443", without a zone.
func parseHost(s string) (netip.Addr, bool) {
	a, err := netip.ParseAddr(s)
	if err != nil {
		ap, err2 := netip.ParseAddrPort(s)
		if err2 != nil {
			return netip.Addr{}, false
		}
		a = ap.Addr()
	}
	if a.Zone() != "" {
		a = a.WithZone("")
	}
	return a.Unmap(), true
}

type clientKey struct{}

// ClientIP is the address of the request's client, as Chain found it with
// its trusted proxies; a request that did not pass Chain gets the
// socket's peer.
func ClientIP(r *http.Request) string {
	if ip, ok := r.Context().Value(clientKey{}).(string); ok {
		return ip
	}
	return Proxies{}.Client(r)
}

// withClientIP records the client's address in the request's context.
func withClientIP(ctx context.Context, ip string) context.Context {
	return context.WithValue(ctx, clientKey{}, ip)
}
