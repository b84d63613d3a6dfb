package httpx

import (
	"compress/gzip"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
)

// TestGzipAccepted checks Accept-Encoding negotiation (RFC 9110 §12.5.3).
func TestGzipAccepted(t *testing.T) {
	for _, tt := range []struct {
		header string
		want   bool
	}{
		{"", false}, // no header, or an empty one: no coding
		{"gzip", true},
		{"gzip, deflate, br, zstd", true},
		{"br, gzip;q=0.8", true},
		{"GZip", true}, // codings are case-insensitive
		{"x-gzip", true},
		{"deflate, br", false},
		{"identity", false},

		// q=0 refuses.
		{"gzip;q=0", false},
		{"gzip; q=0", false},
		{"gzip;Q=0", false},
		{"gzip;q=0.000", false},
		{"gzip;q=0, br", false},
		{"br, gzip;q=0, *", false}, // named beats the wildcard
		{"gzip;q=0.001", true},
		{"gzip;q=1.000", true},

		// The wildcard stands for every coding not named.
		{"*", true},
		{"*;q=0", false},
		{"*;q=0.5, br", true},
		{"*;q=0, gzip", true},
		{"br, *;q=0", false},

		// The client may prefer no coding.
		{"gzip;q=0.5, identity", false},
		{"gzip;q=0.5, identity;q=0.5", true}, // a tie: ours to choose
		{"gzip, identity;q=0", true},
		{"identity;q=0", false}, // nothing acceptable: sent as is
		{"*;q=0.5, gzip;q=0.2", false},
		{"identity;q=0, *", true},

		// Malformed weights drop their entry, not the header.
		{"gzip;q=2", false},
		{"gzip;q=1.5", false},
		{"gzip;q=-1", false},
		{"gzip;q=abc", false},
		{"gzip;q=NaN", false},
		{"gzip;q=0.0001", false},
		{"gzip;q=0x1p-1", false},
		{"gzip;q=", false},
		{"gzip;q=abc, br, gzip;q=0.5", true},
		{"gzipx", false},
		{"gzip2;q=1", false},
		{"g zip", false},
		{"gzip;q=0.5;foo=bar", true},
		{",,gzip,,", true},
		{" gzip ; q=0.7 ", true},
	} {
		if got := gzipAccepted(tt.header); got != tt.want {
			t.Errorf("gzipAccepted(%q) = %v, want %v", tt.header, got, tt.want)
		}
	}
}

// FuzzGzipAccepted checks that no header panics, that gzip is only used
// when the header names gzip or "*", and that refusing gzip after a header
// that did not name it leaves it refused.
func FuzzGzipAccepted(f *testing.F) {
	for _, s := range []string{"", "gzip", "br, gzip;q=0.8", "gzip;q=0", "*;q=0, gzip", "identity;q=0, *", "gzip;q=0.5, identity"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, header string) {
		got := gzipAccepted(header)
		lower := strings.ToLower(header)
		if got && !strings.Contains(lower, "gzip") && !strings.Contains(header, "*") {
			t.Fatalf("gzipAccepted(%q): gzip without gzip or *", header)
		}
		if !strings.Contains(lower, "gzip") && gzipAccepted(header+",gzip;q=0") {
			t.Fatalf("gzipAccepted(%q + \",gzip;q=0\"): refused gzip used", header)
		}
	})
}

// TestCompressionNegotiated runs the negotiation through Chain: a client
// that refuses gzip gets the page as is, and every response whose body
// could be compressed says that it varies by Accept-Encoding, so that a
// shared cache does not hand one client's encoding to another.
func TestCompressionNegotiated(t *testing.T) {
	big := strings.Repeat("layanan publik ", 200)
	h := Chain(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/big":
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			io.WriteString(w, big)
		case "/small":
			io.WriteString(w, "ok")
		case "/png":
			w.Header().Set("Content-Type", "image/png")
			io.WriteString(w, big)
		case "/vary":
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			w.Header().Add("Vary", "Accept-Encoding")
			io.WriteString(w, big)
		}
	}), quiet())
	for _, tt := range []struct {
		path, accept string
		gzip, vary   bool
	}{
		{"/big", "gzip", true, true},
		{"/big", "gzip;q=0", false, true},
		{"/big", "GZIP, identity;q=0.1", true, true},
		{"/big", "", false, true},
		{"/big", "*", true, true},
		{"/big", "gzip;q=0.3, identity", false, true},
		{"/vary", "", false, true},
		{"/vary", "gzip", true, true},
		{"/small", "gzip", false, false},
		{"/png", "gzip", false, false},
	} {
		r := httptest.NewRequest("GET", tt.path, nil)
		if tt.accept != "" {
			r.Header.Set("Accept-Encoding", tt.accept)
		}
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		body := w.Body.String()
		if gz := w.Header().Get("Content-Encoding") == "gzip"; gz != tt.gzip {
			t.Errorf("%s %q: Content-Encoding %q", tt.path, tt.accept, w.Header().Get("Content-Encoding"))
		} else if gz {
			zr, err := gzip.NewReader(w.Body)
			if err != nil {
				t.Fatal(err)
			}
			b, _ := io.ReadAll(zr)
			body = string(b)
		}
		if tt.path != "/small" && body != big {
			t.Errorf("%s %q: body differs", tt.path, tt.accept)
		}
		vary := w.Header().Values("Vary")
		if n := len(slices.DeleteFunc(slices.Clone(vary), func(v string) bool { return v != "Accept-Encoding" })); n != map[bool]int{true: 1}[tt.vary] {
			t.Errorf("%s %q: Vary %q", tt.path, tt.accept, vary)
		}
	}
}
