package httpx

import (
	"net/http"
	"strconv"
	"strings"
)

// AcceptsGzip reports whether r's client takes a gzip-coded body and
// prefers it to none. The pages and static files Pendopo keeps compressed
// ask it too, so there is one answer to the question.
func AcceptsGzip(r *http.Request) bool {
	return gzipAccepted(strings.Join(r.Header.Values("Accept-Encoding"), ","))
}

// gzipAccepted negotiates an Accept-Encoding header (RFC 9110 §12.5.3):
// codings are case-insensitive and x-gzip is gzip; q=0 refuses; "*" gives
// its weight to every coding not named, identity included; gzip is used
// when its weight is above zero and not below identity's (a tie is ours to
// choose). Identity is acceptable unless refused, but a client that names
// no weight for it gets gzip. An entry whose weight does not parse is
// skipped. No header or an empty one asks for no coding; a client that
// refuses identity and accepts no gzip gets the body as is all the same.
func gzipAccepted(header string) bool {
	const notNamed = -1
	gzip, identity, others := float64(notNamed), float64(notNamed), float64(notNamed)
	for entry := range strings.SplitSeq(header, ",") {
		coding, params, _ := strings.Cut(entry, ";")
		q, ok := weight(params)
		if !ok {
			continue
		}
		switch coding = strings.TrimSpace(coding); {
		case strings.EqualFold(coding, "gzip"), strings.EqualFold(coding, "x-gzip"):
			gzip = max(gzip, q)
		case strings.EqualFold(coding, "identity"):
			identity = max(identity, q)
		case coding == "*":
			others = max(others, q)
		}
	}
	if gzip == notNamed {
		gzip = others
	}
	if identity == notNamed {
		identity = max(others, 0)
	}
	return gzip > 0 && gzip >= identity
}

// weight returns the q parameter among an entry's parameters, 1 without
// one; ok is false when it is not a qvalue: "0" or "1", then at most
// three decimals, at most 1.
func weight(params string) (q float64, ok bool) {
	q = 1
	for p := range strings.SplitSeq(params, ";") {
		name, v, _ := strings.Cut(p, "=")
		if !strings.EqualFold(strings.TrimSpace(name), "q") {
			continue
		}
		v = strings.TrimSpace(v)
		if v == "" || len(v) > 5 || v[0] != '0' && v[0] != '1' || len(v) > 1 && v[1] != '.' {
			return 0, false
		}
		for _, c := range v[min(2, len(v)):] {
			if c < '0' || c > '9' {
				return 0, false
			}
		}
		q, _ = strconv.ParseFloat(v, 64)
		if q > 1 {
			return 0, false
		}
	}
	return q, true
}

// varyAcceptEncoding says, once, that a response depends on the client's
// Accept-Encoding, so that a shared cache keeps one copy per encoding.
func varyAcceptEncoding(h http.Header) { VaryAcceptEncoding(h) }

// VaryAcceptEncoding adds Accept-Encoding to the Vary header of a response
// that is compressed for some clients, unless it is there.
func VaryAcceptEncoding(h http.Header) {
	for _, v := range h.Values("Vary") {
		for f := range strings.SplitSeq(v, ",") {
			if f = strings.TrimSpace(f); f == "*" || strings.EqualFold(f, "Accept-Encoding") {
				return
			}
		}
	}
	h.Add("Vary", "Accept-Encoding")
}
