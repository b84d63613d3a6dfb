package httpx

import (
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
)

func TestParseProxies(t *testing.T) {
	p, err := ParseProxies(" 127.0.0.1, 10.0.0.0/8 ,fd00::/8,::ffff:192.0.2.9,")
	if err != nil {
		t.Fatal(err)
	}
	if got := p.String(); got != "127.0.0.1/32,10.0.0.0/8,fd00::/8,192.0.2.9/32" {
		t.Errorf("parsed %s", got)
	}
	if p, err := ParseProxies(""); err != nil || len(p.nets) != 0 {
		t.Errorf("empty list: %v %v", p, err)
	}
	for _, bad := range []string{"localhost", "10.0.0.0/33", "1.2.3", "fe80::1%eth0"} {
		if _, err := ParseProxies(bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}

// TestClientIP: the client is the socket's peer unless that peer is a
// trusted proxy; then X-Forwarded-For is read from the right, and
// whatever the client wrote into it itself is never believed.
func TestClientIP(t *testing.T) {
	nginx, _ := ParseProxies("127.0.0.1")
	chain, _ := ParseProxies("127.0.0.1, 10.0.0.0/8")
	tests := []struct {
		name    string
		proxies Proxies
		remote  string
		xff     []string
		want    string
	}{
		{"no proxies: the header is ignored", Proxies{}, "203.0.113.7:5000", []string{"1.1.1.1"}, "203.0.113.7"},
		{"no proxies: loopback is not trusted either", Proxies{}, "127.0.0.1:5000", []string{"1.1.1.1"}, "127.0.0.1"},
		{"untrusted peer sends the header", nginx, "203.0.113.7:5000", []string{"1.1.1.1"}, "203.0.113.7"},
		{"nginx appends the visitor", nginx, "127.0.0.1:5000", []string{"198.51.100.4"}, "198.51.100.4"},
		// $proxy_add_x_forwarded_for keeps what the client sent, on the left.
		{"forged entry on the left is skipped", nginx, "127.0.0.1:5000", []string{"1.1.1.1, 2.2.2.2, 198.51.100.4"}, "198.51.100.4"},
		{"several header lines", nginx, "127.0.0.1:5000", []string{"1.1.1.1", "198.51.100.4"}, "198.51.100.4"},
		{"chain of trusted proxies", chain, "127.0.0.1:5000", []string{"1.1.1.1, 198.51.100.4, 10.1.2.3"}, "198.51.100.4"},
		{"trusted peer without the header", nginx, "127.0.0.1:5000", nil, "127.0.0.1"},
		{"every hop trusted", chain, "127.0.0.1:5000", []string{"10.9.9.9, 10.1.2.3"}, "10.9.9.9"},
		{"garbage stops at the last trusted hop", chain, "127.0.0.1:5000", []string{"198.51.100.4, evil, 10.1.2.3"}, "10.1.2.3"},
		{"garbage right behind the proxy", nginx, "127.0.0.1:5000", []string{"<script>"}, "127.0.0.1"},
		{"address with a port", nginx, "127.0.0.1:5000", []string{"198.51.100.4:6000"}, "198.51.100.4"},
		{"IPv6 in brackets", nginx, "127.0.0.1:5000", []string{"[2001:db8::5]:443"}, "2001:db8::5"},
		{"IPv6 peer", Proxies{}, "[2001:db8::7]:5000", nil, "2001:db8::7"},
		{"IPv4-mapped peer is the IPv4 proxy", nginx, "[::ffff:127.0.0.1]:5000", []string{"198.51.100.4"}, "198.51.100.4"},
		{"empty entries are skipped", nginx, "127.0.0.1:5000", []string{"198.51.100.4, ,"}, "198.51.100.4"},
	}
	for _, tt := range tests {
		r := httptest.NewRequest("GET", "/", nil)
		r.RemoteAddr = tt.remote
		for _, v := range tt.xff {
			r.Header.Add("X-Forwarded-For", v)
		}
		if got := tt.proxies.Client(r); got != tt.want {
			t.Errorf("%s: %s, want %s", tt.name, got, tt.want)
		}
	}
}

// TestChainKnowsTheClient: handlers read the address Chain found with its
// proxies, and a request outside Chain gets its socket's peer.
func TestChainKnowsTheClient(t *testing.T) {
	o := quiet()
	o.Proxies, _ = ParseProxies("127.0.0.1")
	h := Chain(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, ClientIP(r)) }), o)
	r := httptest.NewRequest("GET", "/", nil)
	r.RemoteAddr = "127.0.0.1:1234"
	r.Header.Set("X-Forwarded-For", "9.9.9.9, 198.51.100.4")
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	if w.Body.String() != "198.51.100.4" {
		t.Errorf("through Chain: %s", w.Body.String())
	}
	if got := ClientIP(r); got != "127.0.0.1" {
		t.Errorf("outside Chain: %s", got)
	}
}
