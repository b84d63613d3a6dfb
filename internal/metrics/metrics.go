// Package metrics gathers what Pendopo reports to Prometheus in a registry
// of its own, never the global one that any imported package may fill:
// the Go runtime and the process, the outbox queue and the database's
// connection pools. internal/httpx counts requests into the same
// registry.
package metrics

import (
	"context"
	"database/sql"
	"log/slog"
	"net/http"
	"time"

	"github.com/pendopo/pendopo"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// New returns a registry with the Go runtime and process collectors, the
// outbox queue of s and the statistics of pools, by name as
// store.DB.Pools gives them (the go_sql_* metrics, labelled db_name).
func New(s pendopo.OutboxStore, pools map[string]*sql.DB) *prometheus.Registry {
	reg := prometheus.NewRegistry()
	reg.MustRegister(
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
		newOutboxCollector(s),
	)
	for name, pool := range pools {
		reg.MustRegister(collectors.NewDBStatsCollector(pool, name))
	}
	return reg
}

// Handler serves reg in the Prometheus text format. A collector that
// fails, as the outbox's does while the database is down, is logged and
// left out, and the rest is still served.
func Handler(reg *prometheus.Registry, log *slog.Logger) http.Handler {
	if log == nil {
		log = slog.Default()
	}
	return promhttp.HandlerFor(reg, promhttp.HandlerOpts{
		ErrorLog:      slog.NewLogLogger(log.Handler(), slog.LevelError),
		ErrorHandling: promhttp.ContinueOnError,
	})
}

// outboxTimeout bounds the count of the outbox at a scrape.
const outboxTimeout = 5 * time.Second

// outboxCollector counts the messages not yet sent when Prometheus
// scrapes: one query per scrape, however busy the portal is, over an
// index of the unsent rows only.
type outboxCollector struct {
	s     pendopo.OutboxStore
	depth *prometheus.Desc
}

func newOutboxCollector(s pendopo.OutboxStore) outboxCollector {
	return outboxCollector{s: s, depth: prometheus.NewDesc("pendopo_outbox_messages",
		"Email and SMS messages not sent yet: pending ones (waiting, being sent or to be retried) and dead ones (given up after every retry).",
		[]string{"state"}, nil)}
}

func (c outboxCollector) Describe(ch chan<- *prometheus.Desc) { ch <- c.depth }

func (c outboxCollector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), outboxTimeout)
	defer cancel()
	pending, dead, err := c.s.OutboxStats(ctx)
	if err != nil {
		ch <- prometheus.NewInvalidMetric(c.depth, err)
		return
	}
	ch <- prometheus.MustNewConstMetric(c.depth, prometheus.GaugeValue, float64(pending), "pending")
	ch <- prometheus.MustNewConstMetric(c.depth, prometheus.GaugeValue, float64(dead), "dead")
}
