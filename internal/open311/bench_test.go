package open311_test

import (
	"math/rand/v2"
	"os"
	"slices"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/pendopo/pendopo"
	"github.com/pendopo/pendopo/internal/portaltest"
)

// benchReports is how many reports BenchmarkRequestsJSON puts in the
// database: PENDOPO_BENCH_REPORTS, 100,000 by default (1,000,000 for the
// figure in BENCHMARKS.md).
func benchReports() int {
	if n, err := strconv.Atoi(os.Getenv("PENDOPO_BENCH_REPORTS")); err == nil && n > 0 {
		return n
	}
	return 100_000
}

// fillReports writes n public reports spread over Kota Semarang's box,
// the last 300 days and the categories, a thousand per transaction.
func fillReports(b *testing.B, p *portaltest.Portal, n int) []string {
	start := time.Now() // wallclock: measures a duration
	seen := make(map[string]bool, n)
	var numbers []string
	rng := rand.New(rand.NewPCG(1, 2))
	now := p.App.Now()
	statuses := []pendopo.ReportStatus{pendopo.ReportReceived, pendopo.ReportDisposed, pendopo.ReportFollowed, pendopo.ReportDone, pendopo.ReportDone}
	const chunk = 1000
	for done := 0; done < n; done += chunk {
		units := make([]func(pendopo.Store) error, 0, chunk)
		for i := done; i < min(done+chunk, n); i++ {
			lat := semarangBox.South + rng.Float64()*(semarangBox.North-semarangBox.South)
			lng := semarangBox.West + rng.Float64()*(semarangBox.East-semarangBox.West)
			at := now.Add(-time.Duration(rng.Int64N(int64(300 * 24 * time.Hour))))
			cat := pendopo.ReportCategories[rng.IntN(len(pendopo.ReportCategories))].Code
			number := pendopo.NewTrackingNumber("33.74", at)
			for seen[number] {
				number = pendopo.NewTrackingNumber("33.74", at)
			}
			seen[number] = true
			if len(numbers) < 2 {
				numbers = append(numbers, number)
			}
			r := pendopo.Report{Number: number, Region: "33.74", Kind: pendopo.ReportComplaint,
				Category: cat, Title: "Laporan uji " + strconv.Itoa(i), Description: "Uraian laporan uji untuk mengukur kecepatan daftar permintaan.",
				Privacy: pendopo.PrivacyPublic, Location: pendopo.ReportLocation{Lat: &lat, Lng: &lng, Address: "Jl. Uji"},
				ReportState: pendopo.ReportState{Status: statuses[rng.IntN(len(statuses))]}, ReporterKey: "bench",
				Received: pendopo.DayOf(at, time.UTC), CreatedAt: at}
			units = append(units, func(tx pendopo.Store) error { _, err := tx.CreateReport(ctx, r); return err })
		}
		if _, err := p.App.Store().Batch(ctx, units); err != nil {
			b.Fatal(err)
		}
	}
	b.Logf("%d reports written in %s", n, time.Since(start).Round(time.Second)) // wallclock: measures a duration
	return numbers
}

// BenchmarkRequestsJSON measures GET /open311/v2/requests.json over a
// region with many reports, for each of five typical queries: the
// default (last 90 days, page 1), by category and status, twenty pages
// deep, a fortnight, and two ids. It runs them first over 10,000 reports
// (the baseline) and then over benchReports(), three rounds each, and
// reports each round's p50 and p99 latency.
func BenchmarkRequestsJSON(b *testing.B) {
	for _, n := range []int{10_000, benchReports()} {
		b.Run("reports="+strconv.Itoa(n), func(b *testing.B) {
			p := portaltest.NewPortal(b)
			ids := fillReports(b, p, n)
			queries := []struct{ name, q string }{
				{"default", "requests.json?jurisdiction_id=33.74"},
				{"category+status", "requests.json?jurisdiction_id=33.74&service_code=penerangan-jalan&status=open"},
				{"page20", "requests.json?jurisdiction_id=33.74&page=20&page_size=50"},
				{"fortnight", "requests.json?jurisdiction_id=33.74&start_date=2026-10-01T00:00:00%2B07:00&end_date=2026-10-15T00:00:00%2B07:00"},
				{"ids", "requests.json?service_request_id=" + ids[0] + "," + ids[1]},
			}
			for round := 1; round <= 3; round++ {
				for _, q := range queries {
					b.Run(q.name+"/round="+strconv.Itoa(round), func(b *testing.B) {
						var lat []time.Duration
						for b.Loop() {
							start := time.Now() // wallclock: measures a duration
							res := p.Get(b, "/open311/v2/"+q.q)
							lat = append(lat, time.Since(start)) // wallclock: measures a duration
							if res.StatusCode != 200 {
								b.Fatalf("%s: %d %s", q.q, res.StatusCode, res.Body)
							}
						}
						slices.Sort(lat)
						b.ReportMetric(float64(lat[len(lat)/2].Microseconds()), "p50-µs")
						b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds()), "p99-µs")
					})
				}
			}
			// Filing with the reports in place, after the reads.
			for _, group := range []bool{false, true} {
				b.Run("intake/"+commitName(group), func(b *testing.B) { intake(b, p, group) })
			}
		})
	}
}

// BenchmarkReportIntake measures reports filed per second into an empty
// region (BenchmarkRequestsJSON measures it again with its reports in
// place): with group commit (the default) and, as the baseline, one
// commit per report.
func BenchmarkReportIntake(b *testing.B) {
	for _, group := range []bool{false, true} {
		b.Run(commitName(group), func(b *testing.B) {
			p := portaltest.NewPortal(b)
			if err := p.App.SetRegionBounds(ctx, pendopo.System, "33.74", semarangBox); err != nil {
				b.Fatal(err)
			}
			intake(b, p, group)
		})
	}
}

func commitName(group bool) string {
	if group {
		return "commit=group"
	}
	return "commit=each"
}

// intake files reports as 64 reporters at once, 2,000 a round, each
// acknowledged only after a durable commit, and reports the rate.
func intake(b *testing.B, p *portaltest.Portal, group bool) {
	p.App.SetGroupCommit(group)
	defer p.App.SetGroupCommit(true)
	const perRound, workers = 2000, 64
	var (
		elapsed time.Duration
		total   int
	)
	for range 3 {
		start := time.Now() // wallclock: measures a duration
		var wg sync.WaitGroup
		next := make(chan int)
		for range workers {
			wg.Go(func() {
				for i := range next {
					lat, lng := -7.0+float64(i%100)/10000, 110.4
					_, err := p.App.SubmitReport(ctx, pendopo.Actor{}, "33.74", pendopo.ReportInput{Kind: pendopo.ReportComplaint,
						Title: "Lampu jalan mati", Description: "Lampu jalan mati di depan rumah nomor " + strconv.Itoa(i) + ".",
						Category: "penerangan-jalan", Privacy: pendopo.PrivacyPublic, Contact: "warga" + strconv.Itoa(i) + "@contoh.id",
						Location: pendopo.ReportLocation{Lat: &lat, Lng: &lng}}, "")
					if err != nil {
						b.Error(err)
					}
				}
			})
		}
		for i := range perRound {
			next <- total + i
		}
		close(next)
		wg.Wait()
		elapsed += time.Since(start) // wallclock: measures a duration
		total += perRound
	}
	b.ReportMetric(float64(total)/elapsed.Seconds(), "reports/s")
	b.ReportMetric(0, "ns/op")
}
