package web

import (
	"bytes"
	"compress/flate"
	"compress/gzip"
	"context"
	"encoding/binary"
	"hash/crc32"
	"hash/fnv"
	"io"
	"log/slog"
	"net/http"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/pendopo/pendopo"
	"github.com/pendopo/pendopo/internal/httpx"
)

// publicCache keeps the responses of public pages, API lists and open
// data as they were sent to visitors who are not signed in, so that a
// region's busy pages are assembled a few times a second at most instead
// of once per visit. It holds only what is the same for every anonymous
// visitor:
//
//   - only GET and HEAD requests without a session cookie, an
//     Authorization header or an api_key, on routes that opt in;
//   - only 200 responses that set no cookie other than the remembered
//     region (which the key then includes) and that the handler did not
//     mark private or no-store;
//   - keyed by language, path and query, plus what a route says it varies
//     by (the remembered region on the landing page).
//
// A kept response is out of date, and assembled again, when:
//
//   - this instance handled a request that may change what the public
//     sees (any write but a citizen's own; see route.quiet), counted in
//     gen;
//   - the app applied a change from the database (App.DataVersion), which
//     is how changes made on other instances arrive, within the sync
//     interval: the catalog's changes, and any other write another
//     process made that pages read straight from the database (reports,
//     figures, branding; see store.DB.ChangeStamp);
//   - it is older than ttl (a minute), by the wall clock or by the app's
//     clock, for what a page shows of the time: overdue reports, this
//     month's figures.
//
// A response older than three quarters of the ttl is made again in the
// background when a request finds it, while that request and the others
// get the kept one; only a response that
// is missing or out of date makes requests wait, for the one that
// assembles it (and only for that one).
//
// Bodies are kept gzipped, what browsers ask for, and unpacked for the
// few clients that do not; the total is bounded by maxBytes. Every kept
// response carries an ETag, so a browser's conditional request gets 304.
type publicCache struct {
	ttl      time.Duration
	maxBytes int
	// maxEntry bounds one kept response, gzipped; maxCapture the page
	// as made (a national open-data list is megabytes, its gzip a tenth).
	maxEntry, maxCapture int
	// clock is the app's clock; version the app's data version.
	clock   func() time.Time
	version func() uint64
	gen     atomic.Uint64

	// makers bounds how many responses are made at once: in a surge of
	// visitors to pages not kept, a few are made at a time, each at full
	// speed, instead of a thousand sharing the cores and the memory.
	makers chan struct{}

	mu     sync.Mutex
	m      map[string]*kept
	bytes  int
	flight map[string]*flight
}

// kept is one kept response.
type kept struct {
	stamp
	header http.Header
	gz     []byte
	etag   string
	size   int // unpacked
	// visit is what each visit does beyond the page (see onEveryVisit).
	visit func()
	// parts, when set, are the page split where each visit gets a key of
	// its own (see formKey); deflated, each part compressed on its own, so
	// that a visit's gzipped page is the parts with its keys between them
	// (see spliceGzip). Such a page has no ETag.
	parts, deflated [][]byte
}

// stamp is what a response was assembled from: the local writes, the
// app's data version and the time by both clocks.
type stamp struct {
	gen, version uint64
	wall, app    time.Time
}

// flight is a response being assembled; those who wait for it read e
// after done is closed (nil when it could not be kept).
type flight struct {
	done    chan struct{}
	e       *kept
	waiters int // for tests
}

func newPublicCache(ttl time.Duration, maxBytes int, clock func() time.Time, version func() uint64) *publicCache {
	return &publicCache{ttl: ttl, maxBytes: maxBytes, maxEntry: max(maxBytes/16, 1), maxCapture: 16 << 20, clock: clock, version: version,
		makers: make(chan struct{}, max(2, runtime.GOMAXPROCS(0))),
		m:      make(map[string]*kept), flight: make(map[string]*flight)}
}

// changed retires every kept response: a write may have changed any page.
func (c *publicCache) changed() { c.gen.Add(1) }

// writes serves next and then retires every kept response when the
// request may have written.
func (c *publicCache) writes(next http.Handler) http.Handler {
	if c == nil {
		return next
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodGet || r.Method == http.MethodHead {
			next.ServeHTTP(w, r)
			return
		}
		// Before, so that a response sent early cannot be followed by
		// a kept page; after, so that none assembled meanwhile stays.
		c.changed()
		next.ServeHTTP(w, r)
		c.changed()
	})
}

func (c *publicCache) now() stamp {
	return stamp{gen: c.gen.Load(), version: c.version(), wall: time.Now(), app: c.clock()} // wallclock: the age of a kept response
}

// age is how old e is, by whichever clock says older; a clock that went
// back makes it too old to use.
func (c *publicCache) age(e *kept, now stamp) time.Duration {
	w, a := now.wall.Sub(e.wall), now.app.Sub(e.app)
	if w < 0 || a < 0 {
		return c.ttl
	}
	return max(w, a)
}

// anonymous reports whether r may be answered from the cache: a read by
// someone who shows no sign of being signed in.
func anonymous(r *http.Request) bool {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		return false
	}
	if r.Header.Get("Authorization") != "" || r.URL.Query().Has("api_key") {
		return false
	}
	if c, err := r.Cookie(sessionCookie); err == nil && c.Value != "" {
		return false
	}
	return true
}

// rememberedCode is the region code in the visitor's cookie when it is a
// valid one, for the key of pages that depend on it.
func rememberedCode(r *http.Request) string {
	if c, err := r.Cookie(regionCookie); err == nil && pendopo.ValidRegionCode(c.Value) {
		return c.Value
	}
	return ""
}

// requestKey names what a request asks for: its language, path and query,
// then the words in more, each after a space.
func requestKey(r *http.Request, more ...string) string {
	var b strings.Builder
	b.WriteString(httpx.Lang(r.Context()))
	b.WriteByte(' ')
	b.WriteString(r.URL.Path)
	b.WriteByte('?')
	b.WriteString(r.URL.RawQuery)
	for _, m := range more {
		b.WriteByte(' ')
		b.WriteString(m)
	}
	return b.String()
}

func cacheKey(r *http.Request, byRegion bool) string {
	if byRegion {
		return requestKey(r, rememberedCode(r))
	}
	return requestKey(r)
}

// handler serves next through the cache. byRegion adds the remembered
// region to the key, for pages that show it or set it.
func (c *publicCache) handler(next http.Handler, byRegion bool) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if c == nil || !anonymous(r) {
			next.ServeHTTP(w, r)
			return
		}
		key := cacheKey(r, byRegion)
		now := c.now()
		c.mu.Lock()
		e := c.m[key]
		f := c.flight[key]
		current := e != nil && e.gen == now.gen && e.version == now.version
		age := time.Duration(0)
		if e != nil {
			age = c.age(e, now)
		}
		switch {
		case current && age < c.ttl*3/4:
			c.mu.Unlock()
			e.write(w, r)
			return
		case e != nil && age < c.ttl && f != nil:
			// Someone is assembling it again: until then, the kept one.
			c.mu.Unlock()
			e.write(w, r)
			return
		case current && age < c.ttl && r.Method == http.MethodGet:
			// Old but current: made again in the background, and until
			// then this visitor and others get the kept one.
			f = &flight{done: make(chan struct{})}
			c.flight[key] = f
			c.mu.Unlock()
			e.write(w, r)
			go c.refresh(r.Clone(context.WithoutCancel(r.Context())), key, f, now, next)
			return
		case f != nil:
			f.waiters++
			c.mu.Unlock()
			select {
			case <-f.done:
			case <-r.Context().Done():
				w.WriteHeader(statusAbandoned)
				return
			}
			if f.e != nil {
				f.e.write(w, r)
				return
			}
			// It could not be kept (an error, a page too large):
			// assemble this one alone.
			next.ServeHTTP(w, r)
			return
		}
		f = &flight{done: make(chan struct{})}
		c.flight[key] = f
		c.mu.Unlock()
		c.assemble(w, r, key, f, now, next)
	})
}

// refresh makes a kept response again for nobody in particular.
func (c *publicCache) refresh(r *http.Request, key string, f *flight, now stamp, next http.Handler) {
	defer func() {
		if p := recover(); p != nil {
			slog.Error("refreshing a kept page", "path", r.URL.Path, "panic", p, "request_id", httpx.RequestID(r.Context()))
		}
	}()
	c.assemble(&discard{header: http.Header{}}, r, key, f, now, next)
}

// discard is the response writer of a refresh: what counts is what is kept.
type discard struct{ header http.Header }

func (d *discard) Header() http.Header         { return d.header }
func (d *discard) Write(b []byte) (int, error) { return len(b), nil }
func (d *discard) WriteHeader(int)             {}

// assemble runs next for r, keeps the response when it may and sends it.
func (c *publicCache) assemble(w http.ResponseWriter, r *http.Request, key string, f *flight, now stamp, next http.Handler) {
	var e *kept
	defer func() {
		c.mu.Lock()
		delete(c.flight, key)
		if e != nil {
			c.put(key, e)
		} else if old := c.m[key]; old != nil && (old.gen != now.gen || old.version != now.version) {
			c.drop(key, old)
		}
		c.mu.Unlock()
		f.e = e
		close(f.done)
	}()
	select {
	case c.makers <- struct{}{}:
	case <-r.Context().Done():
		w.WriteHeader(statusAbandoned)
		return
	}
	_, quiet := w.(*discard)
	cw := &capture{w: w, header: http.Header{}, limit: c.maxCapture, quiet: quiet}
	func() {
		defer func() { <-c.makers }()
		next.ServeHTTP(cw, r)
	}()
	if cw.passed {
		return
	}
	if r.Method == http.MethodGet && keepable(cw.status(), cw.header) {
		e = newKept(now, cw.header, cw.buf.Bytes(), cw.keyed)
		e.visit = cw.visit
		e.send(w, r)
		return
	}
	cw.flush()
}

// onEveryVisit runs visit now and, when the response is kept, again on
// every visit it serves: for what a handler counts per visit, such as the
// search log.
func onEveryVisit(w http.ResponseWriter, visit func()) {
	c, ok := w.(*capture)
	if !ok || !c.quiet {
		visit()
	}
	if ok {
		c.visit = visit
	}
}

// keyMarker stands for a form's one-time key in a kept page; each visit
// gets a new key in its place. It is random per process, so no page can
// be written to contain it.
var keyMarker = newKey()

// formKey is the one-time key of a form on the page w renders (which makes
// a second submission of the same form harmless): a new one, or, for a page
// that may be kept, the marker that each visit's new key replaces.
func formKey(w http.ResponseWriter) string {
	if c, ok := w.(*capture); ok && !c.passed {
		c.keyed = true
		return keyMarker
	}
	return newKey()
}

// keepable reports whether a response is the same for every anonymous
// visitor with the same key.
func keepable(status int, h http.Header) bool {
	if status != http.StatusOK {
		return false
	}
	cc := h.Get("Cache-Control")
	if strings.Contains(cc, "private") || strings.Contains(cc, "no-store") {
		return false
	}
	for _, sc := range h.Values("Set-Cookie") {
		if !strings.HasPrefix(sc, regionCookie+"=") {
			return false
		}
	}
	return true
}

var gzipWriters = sync.Pool{New: func() any { w, _ := gzip.NewWriterLevel(io.Discard, gzip.DefaultCompression); return w }}

func newKept(now stamp, h http.Header, body []byte, keyed bool) *kept {
	h.Del("Content-Length")
	if keyed {
		parts := bytes.Split(bytes.Clone(body), []byte(keyMarker))
		httpx.VaryAcceptEncoding(h)
		return &kept{stamp: now, header: h, parts: parts, deflated: deflateParts(parts), size: len(body)}
	}
	var buf bytes.Buffer
	zw := gzipWriters.Get().(*gzip.Writer)
	zw.Reset(&buf)
	zw.Write(body)
	zw.Close()
	gzipWriters.Put(zw)
	sum := fnv.New64a()
	sum.Write(body)
	h.Del("Content-Length")
	h.Set("ETag", `W/"`+strconv.FormatUint(sum.Sum64(), 36)+`"`)
	httpx.VaryAcceptEncoding(h)
	for k, v := range h {
		h[k] = slices.Clip(v) // those who add to a sent header copy it
	}
	return &kept{stamp: now, header: h, gz: bytes.Clone(buf.Bytes()), size: len(body), etag: h.Get("ETag")}
}

// put keeps e under key, making room within maxBytes first: out-of-date
// responses go before current ones. The caller holds c.mu.
func (c *publicCache) put(key string, e *kept) {
	if old := c.m[key]; old != nil {
		c.drop(key, old)
	}
	cost := e.cost(key)
	if cost > c.maxEntry {
		return
	}
	if c.bytes+cost > c.maxBytes {
		now := c.now()
		for k, o := range c.m {
			if o.gen != now.gen || o.version != now.version || c.age(o, now) >= c.ttl {
				c.drop(k, o)
			}
		}
		for k, o := range c.m { // map order: random enough
			if c.bytes+cost <= c.maxBytes*3/4 {
				break
			}
			c.drop(k, o)
		}
	}
	c.m[key] = e
	c.bytes += cost
}

func (c *publicCache) drop(key string, e *kept) {
	delete(c.m, key)
	c.bytes -= e.cost(key)
}

// cost is what e takes in memory under key, roughly.
func (e *kept) cost(key string) int {
	n := len(e.gz) + len(key) + 256
	for i := range e.parts {
		n += len(e.parts[i]) + len(e.deflated[i])
	}
	return n
}

// write serves a kept response to another visitor.
func (e *kept) write(w http.ResponseWriter, r *http.Request) {
	if e.visit != nil {
		e.visit()
	}
	e.send(w, r)
}

// send sends a kept response: 304 to a client that has it, gzipped to
// one that accepts it, unpacked to others.
func (e *kept) send(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	for k, v := range e.header {
		h[k] = v
	}
	if e.parts != nil {
		keys := make([][]byte, len(e.parts)-1)
		for i := range keys {
			keys[i] = []byte(newKey())
		}
		if httpx.AcceptsGzip(r) {
			body := spliceGzip(e.parts, e.deflated, keys)
			h.Set("Content-Encoding", "gzip")
			h.Set("Content-Length", strconv.Itoa(len(body)))
			w.WriteHeader(http.StatusOK)
			w.Write(body)
			return
		}
		h.Set("Content-Length", strconv.Itoa(e.size-len(keyMarker)*len(keys)+len(newKey())*len(keys)))
		w.WriteHeader(http.StatusOK)
		for i, p := range e.parts {
			if i > 0 {
				w.Write(keys[i-1])
			}
			w.Write(p)
		}
		return
	}
	if inm := r.Header.Get("If-None-Match"); inm != "" && etagMatch(inm, e.etag) {
		h.Del("Content-Type")
		w.WriteHeader(http.StatusNotModified)
		return
	}
	if httpx.AcceptsGzip(r) {
		h.Set("Content-Encoding", "gzip")
		h.Set("Content-Length", strconv.Itoa(len(e.gz)))
		w.WriteHeader(http.StatusOK)
		w.Write(e.gz)
		return
	}
	h.Set("Content-Length", strconv.Itoa(e.size))
	w.WriteHeader(http.StatusOK)
	if r.Method == http.MethodHead {
		return
	}
	zr, err := gzip.NewReader(bytes.NewReader(e.gz))
	if err == nil {
		io.Copy(w, zr)
	}
}

// deflateParts compresses each part as deflate blocks of its own, byte
// aligned and without reference to what comes before, the last one final:
// blocks that spliceGzip can put around other text.
func deflateParts(parts [][]byte) [][]byte {
	out := make([][]byte, len(parts))
	for i, p := range parts {
		var buf bytes.Buffer
		fw, _ := flate.NewWriter(&buf, flate.DefaultCompression)
		fw.Write(p)
		if i == len(parts)-1 {
			fw.Close()
		} else {
			fw.Flush() // ends byte-aligned, not final
		}
		out[i] = buf.Bytes()
	}
	return out
}

// spliceGzip makes the gzip file (RFC 1952) of the parts with keys between
// them: the parts' own deflate blocks, each key as a stored block (RFC
// 1951 §3.2.4), then the checksum and length of the whole.
func spliceGzip(parts, deflated, keys [][]byte) []byte {
	size := 18
	for _, d := range deflated {
		size += len(d)
	}
	for _, k := range keys {
		size += 5 + len(k)
	}
	out := make([]byte, 0, size)
	out = append(out, 0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff) // no name, no time, unknown OS
	crc := crc32.NewIEEE()
	n := 0
	for i, d := range deflated {
		if i > 0 {
			k := keys[i-1]
			out = append(out, 0) // not final, stored, padded to the byte
			out = binary.LittleEndian.AppendUint16(out, uint16(len(k)))
			out = binary.LittleEndian.AppendUint16(out, ^uint16(len(k)))
			out = append(out, k...)
			crc.Write(k)
			n += len(k)
		}
		out = append(out, d...)
		crc.Write(parts[i])
		n += len(parts[i])
	}
	out = binary.LittleEndian.AppendUint32(out, crc.Sum32())
	return binary.LittleEndian.AppendUint32(out, uint32(n))
}

// etagMatch is the weak comparison of If-None-Match (RFC 9110 §13.1.2).
func etagMatch(header, etag string) bool {
	want := strings.TrimPrefix(etag, "W/")
	for t := range strings.SplitSeq(header, ",") {
		t = strings.TrimSpace(t)
		if t == "*" || strings.TrimPrefix(t, "W/") == want {
			return true
		}
	}
	return false
}

// capture keeps a response instead of sending it, up to limit bytes; a
// larger one (or one that is flushed) is passed on as it comes.
type capture struct {
	w      http.ResponseWriter
	header http.Header
	code   int
	buf    bytes.Buffer
	limit  int
	passed bool
	visit  func()
	// keyed is set when the page holds keyMarker (see formKey); it is
	// then kept whole, however large.
	keyed bool
	// quiet is set when nobody visits: a refresh in the background.
	quiet bool
}

func (c *capture) Header() http.Header {
	if c.passed {
		return c.w.Header()
	}
	return c.header
}

func (c *capture) WriteHeader(code int) {
	if c.code == 0 {
		c.code = code
	}
	if c.passed {
		c.w.WriteHeader(code)
	}
}

func (c *capture) status() int {
	if c.code == 0 {
		return http.StatusOK
	}
	return c.code
}

func (c *capture) Write(b []byte) (int, error) {
	if c.passed {
		return c.w.Write(b)
	}
	if c.buf.Len()+len(b) > c.limit && !c.keyed {
		c.flush()
		return c.w.Write(b)
	}
	return c.buf.Write(b)
}

// flush sends what was kept and passes the rest through.
func (c *capture) flush() {
	if c.passed {
		return
	}
	c.passed = true
	h := c.w.Header()
	for k, v := range c.header {
		h[k] = v
	}
	c.w.WriteHeader(c.status())
	body := c.buf.Bytes()
	if c.keyed {
		body = bytes.ReplaceAll(body, []byte(keyMarker), []byte(newKey()))
	}
	c.w.Write(body)
	c.buf = bytes.Buffer{}
}

// Flush passes the response on: a handler that flushes streams.
func (c *capture) Flush() {
	if c.keyed {
		return // a form is sent whole
	}
	c.flush()
	if f, ok := c.w.(http.Flusher); ok {
		f.Flush()
	}
}

// Unwrap lets http.ResponseController reach the connection.
func (c *capture) Unwrap() http.ResponseWriter { return c.w }
