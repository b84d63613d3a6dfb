package web_test

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/pendopo/pendopo/internal/portaltest"
	"github.com/pendopo/pendopo/internal/web"
)

// redirectCases are return addresses that lead off the site once a
// browser reads them, and ones that stay.
var redirectCases = []struct{ back, want string }{
	{"/daerah/33.74?x=1", "/daerah/33.74?x=1"},
	{"/cari?q=akte+lahir", "/cari?q=akte+lahir"},
	{"//evil.example/", ""},
	{"/\\evil.example", ""},
	{"\\/evil.example", ""},
	{"/\t/evil.example/", ""},
	{"/\n/evil.example/", ""},
	{"/\r\n/evil.example/", ""},
	{"\t//evil.example/", ""},
	{" /evil", ""},
	{"/%2F%2Fevil.example", ""},
	{"/%2F/evil.example", ""},
	{"/%5Cevil.example", ""},
	{"/%09/evil.example/", ""},
	{"/%252F%252Fevil.example", ""},
	{"/\u3000/evil.example", ""},
	{"/\u00a0/evil.example", ""},
	{"/\u2028/evil.example", ""},
	{"https://evil.example/", ""},
	{"javascript:alert(1)", ""},
	{"evil.example", ""},
	{"", ""},
}

// TestOpenRedirect follows every return address the portal takes, from
// the language switch, the sign-in form and the sign-in page of someone
// already signed in, and wants only paths on this site.
func TestOpenRedirect(t *testing.T) {
	p := portaltest.NewPortal(t)
	for _, tt := range redirectCases {
		want := tt.want
		if want == "" {
			want = "/"
		}
		res := p.Get(t, "/bahasa/en?kembali="+url.QueryEscape(tt.back))
		if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != want {
			t.Errorf("language switch back to %q: %d to %q, want %q", tt.back, res.StatusCode, res.Header.Get("Location"), want)
		}
		res = p.GetAs(t, "/masuk?kembali="+url.QueryEscape(tt.back), p.RegionAdmin)
		if want := or(tt.want, "/akun"); res.Header.Get("Location") != want {
			t.Errorf("signed in, back to %q: to %q, want %q", tt.back, res.Header.Get("Location"), want)
		}
	}
	// The sign-in form, once per case: each is a fresh sign-in.
	for i, tt := range redirectCases {
		res := p.PostForm(t, "/masuk", url.Values{"login": {"admin@semarangkota.test"}, "password": {portaltest.Password}, "kembali": {tt.back}}, "")
		if want := or(tt.want, "/admin"); res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != want {
			t.Errorf("%d: sign in back to %q: %d to %q, want %q", i, tt.back, res.StatusCode, res.Header.Get("Location"), want)
		}
	}
}

func or(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// FuzzLocalPath: whatever it accepts, a browser resolves on this site,
// read as it is or with its percent-escapes decoded.
func FuzzLocalPath(f *testing.F) {
	for _, tt := range redirectCases {
		f.Add(tt.back)
	}
	base, _ := url.Parse("https://pendopo.test/a/b")
	f.Fuzz(func(t *testing.T, s string) {
		if !web.LocalPath(s) {
			return
		}
		for _, v := range []string{s, web.AsBrowser(s)} {
			u, err := url.Parse(v)
			if err != nil {
				continue
			}
			if got := base.ResolveReference(u); got.Host != "pendopo.test" || got.Scheme != "https" {
				t.Fatalf("%q leads to %s", s, got)
			}
		}
		if b := web.AsBrowser(s); !strings.HasPrefix(b, "/") || strings.HasPrefix(b, "//") {
			t.Fatalf("%q reads as %q", s, b)
		}
		if d, err := url.PathUnescape(s); err == nil {
			if b := web.AsBrowser(d); strings.HasPrefix(b, "//") {
				t.Fatalf("%q decodes to %q", s, d)
			}
		}
		// http.Redirect keeps it on the site too.
		w := httptest.NewRecorder()
		http.Redirect(w, httptest.NewRequest("GET", "/masuk", nil), s, http.StatusSeeOther)
		loc, err := url.Parse(web.AsBrowser(w.Header().Get("Location")))
		if err != nil || loc.Host != "" || loc.Scheme != "" {
			t.Fatalf("%q redirects to %q", s, w.Header().Get("Location"))
		}
	})
}
