package app_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/pendopo/pendopo"
	"github.com/pendopo/pendopo/internal/app"
	"github.com/pendopo/pendopo/internal/portaltest"
)

// BenchmarkSubmit measures sustained application submissions that are
// durable when acknowledged (SQLite synchronous=FULL in WAL mode;
// PostgreSQL synchronous_commit=on): 64 citizens submit at once, each
// waiting for its answer before the next. "one-commit-each" gives every
// submission its own transaction and fsync, the baseline; "group-commit"
// lets submissions that arrive during a commit share the next one. Run
// with PENDOPO_TEST_DB=postgres for PostgreSQL. It reports submits/s.
func BenchmarkSubmit(b *testing.B) {
	for _, mode := range []struct {
		name  string
		group bool
	}{{"one-commit-each", false}, {"group-commit", true}} {
		b.Run(mode.name, func(b *testing.B) {
			benchSubmit(b, mode.group)
		})
	}
}

func benchSubmit(b *testing.B, group bool) {
	const perRound, workers = 2000, 64
	ctx := context.Background()
	p := portaltest.NewPortal(b)
	svc := p.OnlineService(b, "33.74", "penerbitan-ktp-el")
	u, err := p.App.AddUser(ctx, "Pemohon", "pemohon@bench.test", portaltest.Password, nil)
	if err != nil {
		b.Fatal(err)
	}
	who := pendopo.Actor{Name: "pemohon", UserID: u.ID}
	// One officer hears of each new application, as in a real agency.
	if _, err := p.App.AddUser(ctx, "Petugas", "petugas@bench.test", portaltest.Password,
		&pendopo.Role{Kind: pendopo.RoleOfficer, Region: "33.74", Agency: "disdukcapil"}); err != nil {
		b.Fatal(err)
	}
	// parallel runs fn for 0..n-1 on the workers.
	parallel := func(n int, fn func(i int) error) {
		var wg sync.WaitGroup
		next := make(chan int)
		for range workers {
			wg.Go(func() {
				for i := range next {
					if err := fn(i); err != nil {
						b.Error(err)
					}
				}
			})
		}
		for i := range n {
			next <- i
		}
		close(next)
		wg.Wait()
	}
	var (
		elapsed time.Duration
		total   int
	)
	for range b.N {
		b.StopTimer()
		p.App.SetGroupCommit(true) // drafts are made fast either way
		numbers := make([]string, perRound)
		parallel(perRound, func(i int) error {
			a, err := p.App.StartApplication(ctx, who, svc.ID, "", "")
			if err != nil {
				return err
			}
			numbers[i] = a.Number
			_, err = p.App.SaveAnswers(ctx, who, a.Number, map[string][]string{"nama": {"Budi Santoso"}, "setuju": {"1"}})
			return err
		})
		p.App.SetGroupCommit(group)
		b.StartTimer()
		start := time.Now() // wallclock: measures a duration
		parallel(perRound, func(i int) error {
			a, err := p.App.Act(ctx, who, numbers[i], app.ApplicationAct{Action: pendopo.ActSubmit})
			if err == nil && a.Status != pendopo.StatusInProgress {
				b.Errorf("%s: %s", a.Number, a.Status)
			}
			return err
		})
		elapsed += time.Since(start) // wallclock: measures a duration
		total += perRound
	}
	b.ReportMetric(float64(total)/elapsed.Seconds(), "submits/s")
	b.ReportMetric(0, "ns/op")
}
