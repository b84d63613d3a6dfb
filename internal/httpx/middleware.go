// Package httpx is the HTTP core that the pages (internal/web), the JSON
// API and Open311 share: the one table that maps error kinds to HTTP
// statuses, the user-safe error and Retry-After, the chain every response
// passes through (request ids, the user's language, the client's address
// behind trusted proxies, security headers, compression, access logs,
// panic recovery, metrics) and the check that refuses NUL and invalid
// UTF-8. It imports the domain and no other package of Pendopo; the use
// cases never import it.
package httpx

import (
	"bufio"
	"compress/gzip"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/pendopo/pendopo"
	"golang.org/x/text/language"
)

// Status maps an error kind to its HTTP status; this is the only such table.
func Status(kind pendopo.ErrorKind) int {
	switch kind {
	case pendopo.KindInvalid:
		return http.StatusUnprocessableEntity
	case pendopo.KindBadRequest:
		return http.StatusBadRequest
	case pendopo.KindNotFound:
		return http.StatusNotFound
	case pendopo.KindConflict:
		return http.StatusConflict
	case pendopo.KindTooLarge:
		return http.StatusRequestEntityTooLarge
	case pendopo.KindUnauthorized:
		return http.StatusUnauthorized
	case pendopo.KindForbidden:
		return http.StatusForbidden
	case pendopo.KindUnsupported:
		return http.StatusUnsupportedMediaType
	case pendopo.KindRateLimited:
		return http.StatusTooManyRequests
	case pendopo.KindUnavailable:
		return http.StatusServiceUnavailable
	}
	return http.StatusInternalServerError
}

// UserError returns the user-safe error inside err: a *pendopo.Error, or a
// generic internal error whose details stay in the log. A body over its
// limit becomes KindTooLarge.
func UserError(err error) *pendopo.Error {
	var e *pendopo.Error
	if errors.As(err, &e) {
		return e
	}
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		return pendopo.Errorf(pendopo.KindTooLarge, pendopo.M("httpx.the_request_body_too_large"))
	}
	return pendopo.Errorf(pendopo.KindInternal, pendopo.M("httpx.something_went_wrong_on_our"))
}

type ctxKey int

const (
	keyRequestID ctxKey = iota
	keyLang
)

// RequestID returns the id of the request, set by Chain.
func RequestID(ctx context.Context) string {
	id, _ := ctx.Value(keyRequestID).(string)
	return id
}

// Lang returns the user's language, one of the portal's (see
// Options.Languages), set by Chain; Indonesian outside a request.
func Lang(ctx context.Context) string {
	if l, _ := ctx.Value(keyLang).(string); l != "" {
		return l
	}
	return "id"
}

// LangCookie is the cookie that remembers the chosen language.
const LangCookie = "bahasa"

// languages are the portal's languages, the first the default when a
// client accepts none of them.
type languages struct {
	tags    []string
	matcher language.Matcher
}

// defaultLanguages are Indonesian, then English.
var defaultLanguages = newLanguages([]string{"id", "en"})

func newLanguages(tags []string) *languages {
	ts := make([]language.Tag, len(tags))
	for i, t := range tags {
		ts[i] = language.Make(t)
	}
	return &languages{tags: tags, matcher: language.NewMatcher(ts)}
}

func (ls *languages) has(tag string) bool { return slices.Contains(ls.tags, tag) }

// of picks the language of r: ?lang= first, then the cookie, then for API
// clients (the JSON API and Open311) the Accept-Language header; the first
// language (Indonesian) by default.
func (ls *languages) of(r *http.Request) string {
	if l := r.URL.Query().Get("lang"); ls.has(l) {
		return l
	}
	if c, err := r.Cookie(LangCookie); err == nil && ls.has(c.Value) {
		return c.Value
	}
	if strings.HasPrefix(r.URL.Path, "/api/") || strings.HasPrefix(r.URL.Path, "/open311/") {
		return ls.accept(r.Header.Get("Accept-Language"))
	}
	return ls.tags[0]
}

var wildcard = language.MustParse("mul") // what "*" parses to

// accept picks one of the languages for an Accept-Language header (RFC
// 9110 §12.5.4). golang.org/x/text/language parses each entry and matches
// it to ours, so en-GB is English, id-ID and the old "in" are Indonesian
// and a close language without a catalog, such as Malay, counts as
// Indonesian. Around it: the highest weight wins and a tie goes to the
// entry named first; q=0 refuses a language; "*" stands for every language
// not named; an entry that does not parse is skipped rather than spoiling
// the rest (ParseAcceptLanguage rejects a whole header for one bad entry).
// When nothing fits, the first language not refused, Indonesian by default.
func (ls *languages) accept(header string) string {
	const maxEntries = 32 // browsers send a handful; a huge header costs no more
	n := len(ls.tags)
	var (
		weight  = make([]float32, n) // per tag: the best weight an entry gave it
		order   = make([]int, n)     // per tag: where that entry stood, for ties
		refused = make([]bool, n)
		others  float32 // the wildcard's weight
	)
	rest := header
	for e := 0; e < maxEntries && rest != ""; e++ {
		var entry string
		entry, rest, _ = strings.Cut(rest, ",")
		tags, qs, err := language.ParseAcceptLanguage(entry)
		if err != nil {
			continue
		}
		var tag language.Tag
		var q float32
		if len(tags) > 0 {
			tag, q = tags[0], qs[0]
		} else {
			// ParseAcceptLanguage drops an entry of weight 0: a refusal.
			name, _, _ := strings.Cut(entry, ";")
			if tag, err = language.Parse(strings.TrimSpace(name)); err != nil {
				continue
			}
		}
		if tag == wildcard {
			others = q
			continue
		}
		_, i, conf := ls.matcher.Match(tag)
		switch {
		case conf == language.No:
		case q == 0:
			// Refusing en-GB is not refusing en.
			refused[i] = refused[i] || conf == language.Exact
		case q > weight[i]:
			weight[i], order[i] = q, e
		}
	}
	best, bestQ, bestOrder := -1, float32(0), 0
	for i := range ls.tags {
		if refused[i] {
			continue
		}
		q, o := weight[i], order[i]
		if q == 0 { // not named: the wildcard's weight, after every named one
			q, o = others, maxEntries+i
		}
		if q > bestQ || q > 0 && q == bestQ && o < bestOrder {
			best, bestQ, bestOrder = i, q, o
		}
	}
	if best >= 0 {
		return ls.tags[best]
	}
	for i := range ls.tags {
		if !refused[i] {
			return ls.tags[i]
		}
	}
	return ls.tags[0]
}

// Options configure Chain.
type Options struct {
	Logger *slog.Logger
	// Languages are the portal's language tags, the default first;
	// Indonesian and English when empty.
	Languages []string
	// CSP is the Content-Security-Policy of HTML responses.
	CSP string
	// Metrics, when set, counts and times every request.
	Metrics *Metrics
	// HSTS tells browsers to come back only over HTTPS, for a year; set it
	// when the portal is served over HTTPS (it is with --secure-cookies).
	// Subdomains are left out: a Pemda's other sites are not ours to bind.
	HSTS bool
	// Proxies are the reverse proxies whose X-Forwarded-For names the
	// client (see ClientIP); none by default.
	Proxies Proxies
}

// Chain wraps h with recovery, request ids, language, the client's
// address, security headers, compression, access logging and metrics, in
// that order from the outside in.
func Chain(h http.Handler, o Options) http.Handler {
	log := o.Logger
	if log == nil {
		log = slog.Default()
	}
	langs := defaultLanguages
	if len(o.Languages) > 0 {
		langs = newLanguages(o.Languages)
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now() // wallclock: measures the request's latency
		id := newID()
		ctx := context.WithValue(r.Context(), keyRequestID, id)
		ctx = context.WithValue(ctx, keyLang, langs.of(r))
		ctx = withClientIP(ctx, o.Proxies.Client(r))
		r = r.WithContext(ctx)
		hdr := w.Header()
		hdr.Set("X-Request-Id", id)
		hdr.Set("X-Content-Type-Options", "nosniff")
		hdr.Set("Referrer-Policy", "strict-origin-when-cross-origin")
		hdr.Set("X-Frame-Options", "DENY")
		hdr.Set("Cross-Origin-Opener-Policy", "same-origin")
		hdr.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=(self), interest-cohort=()")
		if o.CSP != "" {
			hdr.Set("Content-Security-Policy", o.CSP)
		}
		if o.HSTS {
			hdr.Set("Strict-Transport-Security", "max-age=31536000")
		}
		rec := &recorder{ResponseWriter: w, status: 200}
		gz := &gzipWriter{recorder: rec, accept: AcceptsGzip(r)}
		defer func() {
			if p := recover(); p != nil {
				if p == http.ErrAbortHandler {
					panic(p)
				}
				log.Error("panic", "request_id", id, "method", r.Method, "path", r.URL.Path, "panic", p)
				if !gz.decided {
					// Drop the half-rendered page.
					gz.buf, gz.decided = nil, true
				}
				if !rec.wrote {
					hdr.Del("Content-Encoding")
					http.Error(rec, "Terjadi kesalahan pada sistem (kode "+id+"). / Internal error (id "+id+").", http.StatusInternalServerError)
				}
			}
			gz.close()
			if o.Metrics != nil {
				o.Metrics.observe(r, rec.status, time.Since(start)) // wallclock: measures a duration
			}
			lvl := slog.LevelInfo
			if rec.status >= 500 {
				lvl = slog.LevelError
			}
			log.Log(r.Context(), lvl, "request", "method", r.Method, "path", r.URL.Path, "status", rec.status,
				"bytes", rec.bytes, "ms", float64(time.Since(start).Microseconds())/1000, "request_id", id) // wallclock: measures a duration
		}()
		h.ServeHTTP(gz, r)
	})
}

func newID() string {
	b := make([]byte, 8)
	rand.Read(b)
	return hex.EncodeToString(b)
}

type recorder struct {
	http.ResponseWriter
	status int
	bytes  int
	wrote  bool
}

func (r *recorder) WriteHeader(code int) {
	if !r.wrote {
		r.status, r.wrote = code, true
		r.ResponseWriter.WriteHeader(code)
	}
}

func (r *recorder) Write(b []byte) (int, error) {
	if !r.wrote {
		r.WriteHeader(http.StatusOK)
	}
	n, err := r.ResponseWriter.Write(b)
	r.bytes += n
	return n, err
}

func (r *recorder) Unwrap() http.ResponseWriter { return r.ResponseWriter }

func (r *recorder) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	if h, ok := r.ResponseWriter.(http.Hijacker); ok {
		return h.Hijack()
	}
	return nil, nil, errors.New("hijack not supported")
}

var gzPool = sync.Pool{New: func() any { w, _ := gzip.NewWriterLevel(io.Discard, gzip.BestSpeed); return w }}

// gzipWriter compresses text responses larger than a packet for clients
// that accept it; images and responses already encoded pass through. A
// response it would compress for one client varies by Accept-Encoding for
// all of them.
type gzipWriter struct {
	*recorder
	accept        bool
	gz            *gzip.Writer
	decided       bool
	buf           []byte
	pendingStatus int
}

const gzipMin = 1024

func (g *gzipWriter) WriteHeader(code int) {
	if g.decided {
		return
	}
	g.pendingStatus = code
}

func (g *gzipWriter) Write(b []byte) (int, error) {
	if g.decided {
		if g.gz != nil {
			return g.gz.Write(b)
		}
		return g.recorder.Write(b)
	}
	if len(g.buf) == 0 && len(b) >= gzipMin {
		// Enough to decide on without keeping a copy: decide writes it.
		g.buf = b
		g.decide()
		return len(b), nil
	}
	g.buf = append(g.buf, b...)
	if len(g.buf) >= gzipMin {
		g.decide()
	}
	return len(b), nil
}

func (g *gzipWriter) decide() {
	g.decided = true
	hdr := g.Header()
	ct := hdr.Get("Content-Type")
	if ct == "" {
		ct = http.DetectContentType(g.buf)
		hdr.Set("Content-Type", ct)
	}
	compressible := strings.HasPrefix(ct, "text/") || strings.Contains(ct, "json") || strings.Contains(ct, "xml") || strings.Contains(ct, "javascript") || strings.Contains(ct, "svg")
	if len(g.buf) >= gzipMin && compressible && hdr.Get("Content-Encoding") == "" && g.status() != http.StatusNoContent {
		varyAcceptEncoding(hdr)
		if g.accept {
			hdr.Set("Content-Encoding", "gzip")
			hdr.Del("Content-Length")
			g.gz = gzPool.Get().(*gzip.Writer)
			g.gz.Reset(g.recorder)
		}
	}
	g.recorder.WriteHeader(g.status())
	if len(g.buf) > 0 {
		if g.gz != nil {
			g.gz.Write(g.buf)
		} else {
			g.recorder.Write(g.buf)
		}
	}
	g.buf = nil
}

func (g *gzipWriter) status() int {
	if g.pendingStatus == 0 {
		return http.StatusOK
	}
	return g.pendingStatus
}

func (g *gzipWriter) close() {
	if !g.decided {
		g.decide()
	}
	if g.gz != nil {
		g.gz.Close()
		gzPool.Put(g.gz)
		g.gz = nil
	}
}

// Flush sends what is buffered.
func (g *gzipWriter) Flush() {
	if !g.decided {
		g.decide()
	}
	if g.gz != nil {
		g.gz.Flush()
	}
	if f, ok := g.recorder.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}
