package web_test

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/pendopo/pendopo/internal/httpx"
	"github.com/pendopo/pendopo/internal/portaltest"
	"github.com/pendopo/pendopo/internal/web"
)

// TestForgedForwardedFor: without trusted proxies a client cannot pose as
// another address by sending X-Forwarded-For, so the per-address limit of
// sign-ins holds; behind a trusted proxy the visitor the proxy names is
// the one counted, not what the visitor wrote into the header itself.
func TestForgedForwardedFor(t *testing.T) {
	p := portaltest.NewPortal(t)
	guess := func(h http.Handler, i int, remote, xff string) int {
		r := httptest.NewRequest("POST", "/masuk", strings.NewReader(url.Values{"login": {"orang" + strconv.Itoa(i) + "@contoh.test"}, "password": {"tebakan"}}.Encode()))
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		r.Header.Set("Sec-Fetch-Site", "same-origin")
		r.RemoteAddr = remote
		if xff != "" {
			r.Header.Set("X-Forwarded-For", xff)
		}
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		return w.Code
	}
	// Not even from a proxy on this machine that nobody said to trust.
	for _, remote := range []string{"203.0.113.5:4000", "127.0.0.1:4000"} {
		for i := range 30 {
			guess(p.Handler, i, remote, "10.0.0."+strconv.Itoa(i))
		}
		if code := guess(p.Handler, 99, remote, "10.9.9.9"); code != http.StatusTooManyRequests {
			t.Errorf("forged addresses from %s got past the per-address limit: %d", remote, code)
		}
	}
	// Behind nginx on this machine.
	proxies, err := httpx.ParseProxies("127.0.0.1")
	if err != nil {
		t.Fatal(err)
	}
	h, err := web.New(p.App, web.Config{Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), TrustedProxies: proxies})
	if err != nil {
		t.Fatal(err)
	}
	for i := range 30 {
		// $proxy_add_x_forwarded_for: what the visitor sent, then the visitor.
		guess(h, i, "127.0.0.1:4000", "10.0.0."+strconv.Itoa(i)+", 198.51.100.7")
	}
	if code := guess(h, 99, "127.0.0.1:4000", "10.9.9.9, 198.51.100.7"); code != http.StatusTooManyRequests {
		t.Errorf("visitor behind the proxy not limited: %d", code)
	}
	if code := guess(h, 100, "127.0.0.1:4000", "198.51.100.8"); code != http.StatusUnauthorized {
		t.Errorf("another visitor behind the proxy: %d", code)
	}
}
