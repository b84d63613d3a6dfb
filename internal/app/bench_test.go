package app_test

import (
	"context"
	"crypto/sha256"
	"os"
	"runtime"
	"slices"
	"testing"
	"time"

	"github.com/pendopo/pendopo"
	"github.com/pendopo/pendopo/internal/app"
	"github.com/pendopo/pendopo/internal/apptest"
	"github.com/pendopo/pendopo/internal/portaltest"
	"github.com/pendopo/pendopo/internal/store"
)

// benchQueries are what citizens type, as in the quality table.
var benchQueries = []string{
	"bikin ktp", "akta kelahiran", "akte lahir anak", "kk hilang", "imb", "izin usaha", "surat pindah", "pbb",
	"skck", "kartu kuning", "sktm", "kelahrian", "pajak motor", "surat keterangan domisili", "legalisir ijazah",
	"pemakaman", "ktp rusak", "cerai", "sertifkat laik fungsi", "daftar sekolah",
}

// national is the national catalog with the codes of its kabupaten/kota.
func national(b *testing.B) (*app.App, []string) {
	a := portaltest.National(b)
	regions, _, _ := a.Regions(context.Background(), pendopo.RegionFilter{Page: pendopo.Page{PerPage: pendopo.MaxPerPage}})
	var kab []string
	for _, r := range regions {
		if r.Level != pendopo.LevelProvinsi {
			kab = append(kab, r.Code)
		}
	}
	return a, kab
}

// BenchmarkSearchNational measures search over the national catalog with
// the query mix, half of the searches within one kabupaten/kota (as from a
// region page) and half nationwide. It reports p50 and p99 latency.
func BenchmarkSearchNational(b *testing.B) { benchSearch(b, benchQueries) }

// BenchmarkSearchEvalNational measures search over the national catalog
// with the 377 queries of the evaluation set (English, problems and other
// institutions' services among them), half within one kabupaten/kota and
// half nationwide: the lexicon's work included.
func BenchmarkSearchEvalNational(b *testing.B) {
	var qs []string
	for _, q := range readEval(b) {
		qs = append(qs, q.query)
	}
	benchSearch(b, qs)
}

// benchSearch searches the national catalog for queries in turn, every
// other one within a kabupaten/kota, and reports p50 and p99 latency.
func benchSearch(b *testing.B, queries []string) {
	a, kab := national(b)
	ctx := context.Background()
	var lat []time.Duration
	i := 0
	b.ReportAllocs()
	for b.Loop() {
		q := queries[i%len(queries)]
		region := ""
		if i%2 == 0 {
			region = kab[(i*7919)%len(kab)]
		}
		start := time.Now() // wallclock: measures a duration
		res, err := a.Search(ctx, q, region, pendopo.Page{PerPage: 20})
		lat = append(lat, time.Since(start)) // wallclock: measures a duration
		if err != nil || region != "" && q == "bikin ktp" && len(res.Hits) == 0 {
			b.Fatalf("search %q in %q: %v (%d hits)", q, region, err, len(res.Hits))
		}
		i++
	}
	reportPercentiles(b, lat)
}

// coldNext continues the walk of BenchmarkServiceViewNational/cold across
// runs, so that every run reads services it has not read before.
var coldNext int

// BenchmarkServiceViewNational measures assembling a service page's data:
// "cold" reads services not read before (cache misses: the database), "hot"
// a set of 1,000 that fits the cache, warmed up first.
func BenchmarkServiceViewNational(b *testing.B) {
	a, _ := national(b)
	ctx := context.Background()
	st, _ := a.Stats(ctx)
	view := func(b *testing.B, id int64) {
		if _, err := a.ServiceView(ctx, id); err != nil && pendopo.KindOf(err) != pendopo.KindNotFound {
			b.Fatal(err)
		}
	}
	b.Run("cold", func(b *testing.B) {
		for b.Loop() {
			view(b, int64(1+(coldNext*7919)%st.Services))
			coldNext++
		}
	})
	b.Run("hot", func(b *testing.B) {
		// Twice: the cache evicts at random when the cold walk filled it.
		for i := range 2000 {
			view(b, int64(1+i%1000))
		}
		i := 0
		for b.Loop() {
			view(b, int64(1+(i*7919)%1000))
			i++
		}
	})
}

// BenchmarkIndexBuildNational measures how long an instance needs to build
// its search index from the database at start, and the heap it holds.
func BenchmarkIndexBuildNational(b *testing.B) {
	national(b) // make sure the catalog exists
	dir := os.Getenv("PENDOPO_BENCH_DATA")
	if dir == "" {
		b.Skip("set PENDOPO_BENCH_DATA to a generated data directory to measure start-up")
	}
	ctx := context.Background()
	for b.Loop() {
		db, err := store.Open(ctx, "", dir)
		if err != nil {
			b.Fatal(err)
		}
		runtime.GC()
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		cfg, _ := apptest.Config(db, now)
		a, err := app.New(ctx, cfg)
		if err != nil {
			b.Fatal(err)
		}
		runtime.GC()
		runtime.ReadMemStats(&after)
		b.ReportMetric(float64(after.HeapAlloc-before.HeapAlloc)/(1<<20), "MB-heap")
		runtime.KeepAlive(a)
		db.Close()
	}
}

func reportPercentiles(b *testing.B, lat []time.Duration) {
	if len(lat) == 0 {
		return
	}
	slices.Sort(lat)
	p := func(q float64) float64 { return float64(lat[min(len(lat)-1, int(q*float64(len(lat))))].Microseconds()) }
	b.ReportMetric(p(0.50), "p50-µs")
	b.ReportMetric(p(0.99), "p99-µs")
}

// BenchmarkBaselineSHA256 hashes 64 KiB: it measures nothing of Pendopo,
// only how fast this machine is at the moment, so that numbers from a
// shared, noisy machine can be read against it.
func BenchmarkBaselineSHA256(b *testing.B) {
	buf := make([]byte, 64<<10)
	b.SetBytes(int64(len(buf)))
	for b.Loop() {
		sha256.Sum256(buf)
	}
}
