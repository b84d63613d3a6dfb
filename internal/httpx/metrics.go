package httpx

import (
	"net/http"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// Metrics counts requests by route, method and status, and times them by
// route, for Prometheus. A route is the ServeMux pattern that matched,
// such as "GET /laporan/{number}", never the path: paths hold tracking
// numbers and search terms, and every distinct label value is a new time
// series kept for good.
type Metrics struct {
	requests *prometheus.CounterVec
	duration *prometheus.HistogramVec
}

// durationBuckets run from a page served from memory (about a millisecond)
// to an upload or a PDF that takes seconds.
var durationBuckets = []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10}

// NewMetrics registers the request metrics in reg; it fails when reg
// already holds them.
func NewMetrics(reg prometheus.Registerer) (*Metrics, error) {
	m := &Metrics{
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "pendopo_http_requests_total",
			Help: "HTTP requests answered, by route pattern, method and status code.",
		}, []string{"route", "method", "code"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "pendopo_http_request_duration_seconds",
			Help:    "Time to answer an HTTP request, by route pattern, compression included.",
			Buckets: durationBuckets,
		}, []string{"route"}),
	}
	for _, c := range []prometheus.Collector{m.requests, m.duration} {
		if err := reg.Register(c); err != nil {
			return nil, err
		}
	}
	return m, nil
}

// UnmatchedRoute is the route label of requests that no pattern served:
// unknown paths, which Pendopo's catch-all "/" answers with its not-found
// page, wrong methods and the mux's redirects.
const UnmatchedRoute = "unmatched"

// observe records a request answered with status after d.
func (m *Metrics) observe(r *http.Request, status int, d time.Duration) {
	route := routeOf(r)
	m.requests.WithLabelValues(route, methodOf(r), strconv.Itoa(status)).Inc()
	m.duration.WithLabelValues(route).Observe(d.Seconds())
}

// routeOf is the pattern that served r. ServeMux sets it on the request
// it was handed, which is the one Chain passed on; a mux nested under a
// prefix (the API's) overwrites it with its own, longer pattern.
func routeOf(r *http.Request) string {
	if r.Pattern == "" || r.Pattern == "/" {
		return UnmatchedRoute
	}
	return r.Pattern
}

// methodOf is the request's method, or "other" for one that HTTP does not
// define, which anyone may send.
func methodOf(r *http.Request) string {
	switch r.Method {
	case http.MethodGet, http.MethodHead, http.MethodPost, http.MethodPut, http.MethodPatch,
		http.MethodDelete, http.MethodOptions, http.MethodConnect, http.MethodTrace:
		return r.Method
	}
	return "other"
}
