package web

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"strings"

	"github.com/pendopo/pendopo/internal/httpx"
	"github.com/pendopo/pendopo/ui"
)

// asset is one static file, kept in memory with its gzipped form.
type asset struct {
	name  string
	hash  string
	ctype string
	body  []byte
	gz    []byte
}

// assets serves the embedded static files under /static/{hash}/{name},
// cached for a year: a changed file gets a new URL.
type assets struct {
	byName map[string]*asset
}

func loadAssets() (*assets, error) {
	a := &assets{byName: map[string]*asset{}}
	err := fs.WalkDir(ui.Static, "static", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		body, err := fs.ReadFile(ui.Static, p)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(body)
		name := strings.TrimPrefix(p, "static/")
		as := &asset{name: name, hash: hex.EncodeToString(sum[:6]), body: body, ctype: mime.TypeByExtension(path.Ext(p))}
		if as.ctype == "" {
			as.ctype = http.DetectContentType(body)
		}
		if strings.HasPrefix(as.ctype, "text/") || strings.Contains(as.ctype, "javascript") || strings.Contains(as.ctype, "svg") {
			var buf bytes.Buffer
			zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
			zw.Write(body)
			zw.Close()
			if buf.Len() < len(body) {
				as.gz = buf.Bytes()
			}
		}
		a.byName[name] = as
		return nil
	})
	return a, err
}

// url returns the cache-busting URL of a static file; it panics on an
// unknown name so that a typo fails at start-up, when templates run in tests.
func (a *assets) url(name string) string {
	as, ok := a.byName[name]
	if !ok {
		panic(fmt.Sprintf("unknown asset %q", name))
	}
	return "/static/" + as.hash + "/" + name
}

func (a *assets) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	as, ok := a.byName[r.PathValue("name")]
	if !ok || as.hash != r.PathValue("hash") {
		http.NotFound(w, r)
		return
	}
	h := w.Header()
	h.Set("Content-Type", as.ctype)
	h.Set("Cache-Control", "public, max-age=31536000, immutable")
	h.Set("ETag", `"`+as.hash+`"`)
	if as.gz != nil {
		h.Add("Vary", "Accept-Encoding")
		if httpx.AcceptsGzip(r) {
			h.Set("Content-Encoding", "gzip")
			w.Write(as.gz)
			return
		}
	}
	w.Write(as.body)
}
