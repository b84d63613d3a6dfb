package web_test

import (
	"context"
	"math/rand/v2"
	"os"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/pendopo/pendopo"
	"github.com/pendopo/pendopo/internal/portaltest"
)

// fillFigures writes the monthly figures that n applications and n
// reports over the last twelve months of Kota Semarang produce, item by
// item through the same functions the use cases call (the dashboards read
// only these figures, never the applications and reports themselves), and
// a survey response for every fifth of them. It returns the number of
// figure rows.
func fillFigures(b *testing.B, p *portaltest.Portal, n int) int {
	ctx := context.Background()
	start := time.Now() // wallclock: measures a duration
	region := "33.74"
	cal, err := p.App.Calendar(ctx, region)
	if err != nil {
		b.Fatal(err)
	}
	services := p.App.RegionServiceList(region, "")
	rng := rand.New(rand.NewPCG(7, 11))
	now := p.App.Now()
	zone := pendopo.RegionZone(region)
	type key struct {
		pendopo.StatScope
		month  pendopo.Month
		metric pendopo.Metric
	}
	sums := map[key]int64{}
	add := func(ds []pendopo.StatDelta) {
		for _, d := range ds {
			sums[key{d.StatScope, d.Month, d.Metric}] += d.N
		}
	}
	dayAgo := func() pendopo.Day {
		return pendopo.DayOf(now.Add(-time.Duration(rng.Int64N(int64(360*24*time.Hour)))), zone)
	}
	for i := range n {
		svc := services[rng.IntN(len(services))]
		submitted := dayAgo()
		took := rng.IntN(12)
		app := pendopo.Application{Region: region, Agency: svc.AgencySlug, ServiceID: svc.ID, SubmittedAt: submitted.Time(zone),
			ClosedAt: cal.AddWorkingDays(submitted, took, false).Time(zone), Deadline: cal.Deadline(submitted, 7, false),
			ApplicationState: pendopo.ApplicationState{Status: pendopo.StatusCompleted}}
		add(pendopo.ApplicationReceivedStats(app))
		add(pendopo.ApplicationClosedStats(app, cal, false))
		r := pendopo.Report{Region: region, Kind: pendopo.ReportComplaint, Category: pendopo.ReportCategories[rng.IntN(len(pendopo.ReportCategories))].Code,
			Received: dayAgo(), ReportState: pendopo.ReportState{Status: pendopo.ReportReceived}}
		r.Due = pendopo.ReportDue(r.Kind, r.ReportState, r.Received, 0, cal)
		add(pendopo.ReportReceivedStats(r))
		disposed := cal.AddWorkingDays(r.Received, rng.IntN(5), false)
		add(pendopo.ReportActionStats(r, pendopo.ActReportDispose, pendopo.ReportState{Status: pendopo.ReportDisposed}, svc.AgencySlug, disposed, cal))
		r.Status, r.Agency, r.Disposed = pendopo.ReportDisposed, svc.AgencySlug, disposed
		r.Due = pendopo.ReportDue(r.Kind, r.ReportState, r.Received, r.Disposed, cal)
		add(pendopo.ReportActionStats(r, pendopo.ActReportAnswer, pendopo.ReportState{Status: pendopo.ReportFollowed}, "", cal.AddWorkingDays(disposed, rng.IntN(9), false), cal))
		if i%5 == 0 {
			answers := map[pendopo.UnsurID]int{}
			for _, u := range pendopo.Unsurs {
				answers[u.ID] = 2 + rng.IntN(3)
			}
			add(pendopo.SurveyStats(pendopo.SurveyResponse{Region: region, Agency: svc.AgencySlug, ServiceID: svc.ID, CreatedAt: app.ClosedAt, Answers: answers}))
		}
	}
	deltas := make([]pendopo.StatDelta, 0, len(sums))
	for k, v := range sums {
		deltas = append(deltas, pendopo.StatDelta{StatScope: k.StatScope, Month: k.month, Metric: k.metric, N: v})
	}
	for from := 0; from < len(deltas); from += 500 {
		if err := p.App.Store().AddStats(ctx, deltas[from:min(from+500, len(deltas))]); err != nil {
			b.Fatal(err)
		}
	}
	b.Logf("figures of %d applications and %d reports: %d rows in %s", n, n, len(deltas), time.Since(start).Round(time.Millisecond)) // wallclock: measures a duration
	return len(deltas)
}

// BenchmarkDashboard measures the public dashboard of a region with a
// million applications and reports (PENDOPO_BENCH_ITEMS each half;
// 500,000 by default), of one of its agencies, and the national ranking,
// against the dashboard of a region with no data at all (the baseline),
// three rounds each, with the p50 and p99 latency of each round.
func BenchmarkDashboard(b *testing.B) {
	n := 500_000
	if v, err := strconv.Atoi(os.Getenv("PENDOPO_BENCH_ITEMS")); err == nil && v > 0 {
		n = v
	}
	p := portaltest.NewPortal(b)
	fillFigures(b, p, n)
	// "cold" moves the clock on by two minutes before each request, so
	// that neither the dashboard's figures nor the national ranking are
	// kept from the request before: the cost of the first view after the
	// figures were kept a minute.
	pages := []struct {
		name, path string
		cold       bool
	}{
		{"empty-region", "/daerah/33.01/kinerja", false},
		{"region", "/daerah/33.74/kinerja", false},
		{"region-cold", "/daerah/33.74/kinerja", true},
		{"agency", "/daerah/33.74/kinerja?opd=disdukcapil", false},
		{"rapor", "/daerah/33.74/opd/disdukcapil/rapor", false},
		{"ranking", "/indeks", false},
	}
	at := portaltest.Now
	for round := 1; round <= 3; round++ {
		for _, pg := range pages {
			b.Run(pg.name+"/round="+strconv.Itoa(round), func(b *testing.B) {
				var lat []time.Duration
				for b.Loop() {
					if pg.cold {
						at = at.Add(2 * time.Minute)
						t := at
						p.App.SetClock(func() time.Time { return t })
					}
					start := time.Now() // wallclock: measures a duration
					res := p.Get(b, pg.path)
					lat = append(lat, time.Since(start)) // wallclock: measures a duration
					if res.StatusCode != 200 {
						b.Fatalf("%s: %d", pg.path, res.StatusCode)
					}
				}
				slices.Sort(lat)
				b.ReportMetric(float64(lat[len(lat)/2].Microseconds()), "p50-µs")
				b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds()), "p99-µs")
			})
		}
	}
}
