package web_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/pendopo/pendopo/internal/portaltest"
	"github.com/pendopo/pendopo/internal/web"
)

// BenchmarkPagesNational renders pages of the national catalog through the
// whole handler (middleware, routing, templates), without a network.
func BenchmarkPagesNational(b *testing.B) {
	a := portaltest.National(b)
	h, err := web.New(a, web.Config{Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		b.Fatal(err)
	}
	queries := []string{"bikin+ktp", "akta+kelahiran", "kk+hilang", "imb&daerah=33.74", "izin+usaha&daerah=11.01", "pbb&daerah=35.78"}
	for _, bb := range []struct {
		name string
		path func(i int) string
	}{
		{"service-hot", func(i int) string { return fmt.Sprintf("/layanan/%d", 1+(i*7919)%1000) }},
		{"search", func(i int) string { return "/cari?q=" + queries[i%len(queries)] }},
		{"region", func(i int) string { return "/daerah/33.74" }},
		{"landing", func(i int) string { return "/" }},
	} {
		b.Run(bb.name, func(b *testing.B) {
			b.ReportAllocs()
			for i := range 1000 { // warm the caches
				w := httptest.NewRecorder()
				h.ServeHTTP(w, httptest.NewRequest(http.MethodGet, bb.path(i), nil))
			}
			i := 0
			for b.Loop() {
				w := httptest.NewRecorder()
				h.ServeHTTP(w, httptest.NewRequest(http.MethodGet, bb.path(i), nil))
				if w.Code != 200 {
					b.Fatalf("%s: %d", bb.path(i), w.Code)
				}
				i++
			}
		})
	}
}

// BenchmarkSignedIn measures what a session costs: the same service page
// for a visitor (from the page cache) and for a signed-in person (session
// and account read from the database, page rendered), and the console's
// region page and the account page.
func BenchmarkSignedIn(b *testing.B) {
	p := portaltest.NewPortal(b)
	svc, err := p.App.Store().ServiceBySlug(context.Background(), "33.74", "penerbitan-ktp-el")
	if err != nil {
		b.Fatal(err)
	}
	page := fmt.Sprintf("/layanan/%d", svc.ID)
	for _, bb := range []struct{ name, path, session string }{
		{"service-visitor", page, ""},
		{"service-signed-in", page, p.RegionAdmin},
		{"console-region", "/admin/daerah/33.74", p.RegionAdmin},
		{"account", "/akun", p.RegionAdmin},
	} {
		b.Run(bb.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				r := httptest.NewRequest(http.MethodGet, bb.path, nil)
				if bb.session != "" {
					r.AddCookie(&http.Cookie{Name: portaltest.SessionCookie, Value: bb.session})
				}
				w := httptest.NewRecorder()
				p.Handler.ServeHTTP(w, r)
				if w.Code != 200 {
					b.Fatalf("%s: %d", bb.path, w.Code)
				}
			}
		})
	}
}
