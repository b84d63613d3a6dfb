package app_test

import (
	"context"
	"os"
	"runtime"
	"slices"
	"testing"
	"time"

	"github.com/pendopo/pendopo"
	"github.com/pendopo/pendopo/internal/app"
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
func BenchmarkSearchNational(b *testing.B) {
	a, kab := national(b)
	ctx := context.Background()
	var lat []time.Duration
	i := 0
	b.ReportAllocs()
	for b.Loop() {
		q := benchQueries[i%len(benchQueries)]
		region := ""
		if i%2 == 0 {
			region = kab[(i*7919)%len(kab)]
		}
		start := time.Now()
		res, err := a.Search(ctx, q, region, pendopo.Page{PerPage: 20})
		lat = append(lat, time.Since(start))
		if err != nil || region != "" && q == "bikin ktp" && len(res.Hits) == 0 {
			b.Fatalf("search %q in %q: %v (%d hits)", q, region, err, len(res.Hits))
		}
		i++
	}
	reportPercentiles(b, lat)
}

// BenchmarkServiceViewNational measures assembling a service page's data:
// "cold" reads random services (mostly cache misses), "hot" a set that
// fits the cache.
func BenchmarkServiceViewNational(b *testing.B) {
	a, _ := national(b)
	ctx := context.Background()
	st, _ := a.Stats(ctx)
	for _, set := range []struct {
		name string
		n    int
	}{{"cold", st.Services}, {"hot", 1000}} {
		b.Run(set.name, func(b *testing.B) {
			i := 0
			for b.Loop() {
				id := int64(1 + (i*7919)%set.n)
				if _, err := a.ServiceView(ctx, id); err != nil && pendopo.KindOf(err) != pendopo.KindNotFound {
					b.Fatal(err)
				}
				i++
			}
		})
	}
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
		a, err := app.New(ctx, app.Config{Store: db})
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
