package app_test

import (
	"os"
	"runtime"
	"strconv"
	"testing"
	"time"

	"github.com/pendopo/pendopo"
	"github.com/pendopo/pendopo/internal/app"
	"github.com/pendopo/pendopo/internal/apptest"
	"github.com/pendopo/pendopo/internal/pendopotest"
)

// BenchmarkAuditLog measures the audit log at size: appending one entry
// in a transaction of its own (the cost must not grow with the log), and
// verifying the whole log, which must stream. The log has
// PENDOPO_BENCH_AUDIT entries (100,000 by default; a million for the
// figures in BENCHMARKS.md). Run with PENDOPO_TEST_DB=postgres for
// PostgreSQL.
//
//	PENDOPO_BENCH_AUDIT=1000000 go test ./internal/app -run '^$' -bench AuditLog -benchtime 1x -timeout 60m
func BenchmarkAuditLog(b *testing.B) {
	n := 100_000
	if v := os.Getenv("PENDOPO_BENCH_AUDIT"); v != "" {
		var err error
		if n, err = strconv.Atoi(v); err != nil {
			b.Fatal(err)
		}
	}
	db := pendopotest.DB(b)
	cfg, _ := apptest.Config(db, now)
	a, err := app.New(ctx, cfg)
	if err != nil {
		b.Fatal(err)
	}
	entry := pendopo.AuditEntry{At: now, Actor: "Budi Petugas", ActorUser: 7, Role: "officer", IP: "10.0.0.1", Action: "application.approve",
		Entity: "application", EntityID: "3374-2611-K7Q2M9-X", Region: "33.74", Diff: `{"status":["in_progress","in_progress"],"step":[0,1]}`}
	start := time.Now() // wallclock: measures how long filling took
	for done := 0; done < n; {
		k := min(2000, n-done)
		if err := db.InTx(ctx, func(tx pendopo.Store) error {
			for range k {
				if _, err := tx.AppendAudit(ctx, entry); err != nil {
					return err
				}
			}
			return nil
		}); err != nil {
			b.Fatal(err)
		}
		done += k
	}
	b.Logf("filled %d entries in %s", n, time.Since(start).Round(time.Millisecond)) // wallclock: a duration

	b.Run("append", func(b *testing.B) {
		for b.Loop() {
			if _, err := db.AppendAudit(ctx, entry); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("checkpoint", func(b *testing.B) {
		for b.Loop() {
			if _, err := a.SignAuditCheckpoint(ctx); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("verify", func(b *testing.B) {
		var peak uint64
		stop, stopped := make(chan bool), make(chan bool)
		go func() {
			defer close(stopped)
			var m runtime.MemStats
			for {
				select {
				case <-stop:
					return
				case <-time.After(50 * time.Millisecond):
					runtime.ReadMemStats(&m)
					peak = max(peak, m.HeapInuse)
				}
			}
		}()
		var r app.AuditReport
		for b.Loop() {
			if r, err = a.VerifyAudit(ctx); err != nil || r.Break != nil {
				b.Fatalf("%+v %v", r.Break, err)
			}
		}
		close(stop)
		<-stopped
		b.ReportMetric(float64(r.Entries)/b.Elapsed().Seconds()*float64(b.N), "entries/s")
		b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MiB")
	})
}
