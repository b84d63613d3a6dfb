package web

import (
	"net/url"
	"strings"
)

// safeBack is back when it is a path on this site (see localPath), else
// fallback. Every return address a request carries ("kembali", after
// sign-in, single sign-on and a change of language) goes through it
// before it becomes a Location.
func safeBack(back, fallback string) string {
	if !localPath(back) {
		return fallback
	}
	return back
}

// localPath reports whether s, sent as a Location, leads a browser to a
// path on this site. Browsers are lenient: they drop tabs and line breaks
// anywhere in a URL, trim control characters and spaces at its ends, and
// read "\" as "/", so "/\t/evil.example/" and "/\evil.example" both mean
// "//evil.example", another site. So s must start with a single "/" and
// hold only printable ASCII other than "\" (pages link here with their
// paths escaped, so nothing else is needed); and, for proxies and servers
// that decode percent-escapes before they follow a path, it must still
// start that way, as a browser reads it, once decoded.
func localPath(s string) bool {
	if len(s) == 0 || len(s) > 4096 || !strings.HasPrefix(s, "/") || strings.HasPrefix(s, "//") {
		return false
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; c <= ' ' || c >= 0x7f || c == '\\' {
			return false
		}
	}
	for range 3 {
		d, err := url.PathUnescape(s)
		if err != nil {
			return false
		}
		if d == s {
			return true
		}
		if b := asBrowser(d); !strings.HasPrefix(b, "/") || strings.HasPrefix(b, "//") {
			return false
		}
		s = d
	}
	return false
}

// asBrowser is s as a browser's URL parser sees it: tabs and line breaks
// removed, control characters and spaces trimmed at the ends, and "\"
// read as "/".
func asBrowser(s string) string {
	s = strings.NewReplacer("\t", "", "\n", "", "\r", "").Replace(s)
	s = strings.TrimFunc(s, func(r rune) bool { return r <= ' ' })
	return strings.ReplaceAll(s, `\`, "/")
}
