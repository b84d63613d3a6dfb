package web

import (
	"bytes"
	"compress/gzip"
	"net/http"
	"sync"
	"time"

	"github.com/pendopo/pendopo/internal/app"
	"github.com/pendopo/pendopo/internal/httpx"
)

// pageCache keeps rendered service pages for visitors who are not signed
// in: the page of a popular service is then rendered once a minute instead
// of on every visit. An entry belongs to one assembled ServiceView, so a
// change of the service (which makes app drop its view) retires the page
// at once; the minute bounds how stale the parts that age on their own
// are (the "needs review" flag, the number of regions to compare with).
// Pages are kept as they are and gzipped, which is what browsers ask for.
type pageCache struct {
	mu  sync.Mutex
	max int
	ttl time.Duration
	m   map[pageKey]*cachedPage
}

type pageKey struct {
	id   int64
	lang string
}

type cachedPage struct {
	view *app.ServiceView
	at   time.Time
	html []byte
	gz   []byte
}

func newPageCache(max int, ttl time.Duration) *pageCache {
	return &pageCache{max: max, ttl: ttl, m: make(map[pageKey]*cachedPage)}
}

func (c *pageCache) get(k pageKey, v *app.ServiceView, now time.Time) *cachedPage {
	c.mu.Lock()
	defer c.mu.Unlock()
	p := c.m[k]
	if p == nil || p.view != v || now.Sub(p.at) > c.ttl {
		return nil
	}
	return p
}

func (c *pageCache) put(k pageKey, v *app.ServiceView, now time.Time, html []byte) {
	var buf bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&buf, gzip.DefaultCompression)
	zw.Write(html)
	zw.Close()
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.m) >= c.max {
		for key := range c.m {
			delete(c.m, key)
			if len(c.m) < c.max*3/4 {
				break
			}
		}
	}
	c.m[k] = &cachedPage{view: v, at: now, html: html, gz: buf.Bytes()}
}

// write sends a cached page, compressed when the client accepts it.
func (p *cachedPage) write(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "no-cache")
	h.Add("Vary", "Accept-Encoding")
	if httpx.AcceptsGzip(r) {
		h.Set("Content-Encoding", "gzip")
		w.Write(p.gz)
		return
	}
	w.Write(p.html)
}

// captureWriter passes a response through and keeps the rendered page, so
// that the service handler can cache what it sent.
type captureWriter struct {
	http.ResponseWriter
	body []byte
}
