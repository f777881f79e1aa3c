package web

import (
	"net/http"
	"regexp"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/errs"
)

// metrics are the server's Prometheus metrics, in a registry of its own so
// that several servers can run in one test process.
type metrics struct {
	reg      *prometheus.Registry
	requests *prometheus.CounterVec
	duration *prometheus.HistogramVec
}

func newMetrics(d *db.DB) *metrics {
	m := &metrics{
		reg: prometheus.NewRegistry(),
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "lontara_http_requests_total", Help: "HTTP requests by route pattern and status code.",
		}, []string{"route", "code"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "lontara_http_request_duration_seconds", Help: "HTTP request latency by route pattern.",
			Buckets: []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5},
		}, []string{"route"}),
	}
	m.reg.MustRegister(m.requests, m.duration,
		// Beside the defaults, go_gc_heap_live_bytes: the heap the last
		// collection kept. With GOGC at 400 (internal/cli/serve.go) the heap
		// in use swings fivefold between collections; what stays is the
		// figure a leak grows, the one scripts/soak.sh bounds.
		collectors.NewGoCollector(collectors.WithGoCollectorRuntimeMetrics(
			collectors.GoRuntimeMetricsRule{Matcher: regexp.MustCompile(`^/gc/heap/live:bytes$`)})),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
		collectors.NewDBStatsCollector(d.W, "writer"))
	if d.R != d.W {
		m.reg.MustRegister(collectors.NewDBStatsCollector(d.R, "reader"))
	}
	if d.Engine() == db.Postgres {
		m.reg.MustRegister(prometheus.NewGaugeFunc(prometheus.GaugeOpts{
			Name: "lontara_changes_listening",
			Help: "1 while this node listens for the other nodes' change events, 0 while its listener reconnects (its caches then age out only by their time limits).",
		}, func() float64 {
			if d.Changes.Connected() {
				return 1
			}
			return 0
		}))
	}
	if d.HasReplica() {
		m.reg.MustRegister(prometheus.NewGaugeFunc(prometheus.GaugeOpts{
			Name: "lontara_replica_reads",
			Help: "1 while dashboards and reports read the replica (--db-read), 0 while they read the primary because it is unreachable or lagging.",
		}, func() float64 {
			if why, _ := d.Replica.OnPrimary(); why != "" {
				return 0
			}
			return 1
		}), prometheus.NewGaugeFunc(prometheus.GaugeOpts{
			Name: "lontara_replica_lag_seconds",
			Help: "How far the replica's replay trailed the primary's WAL at the last check that reached it (every 2 s, as coarse).",
		}, func() float64 {
			_, lag := d.Replica.OnPrimary()
			return lag.Seconds()
		}))
	}
	return m
}

// Collect registers a capability's own metrics (read at each scrape) on
// the server's registry.
func (rt *Router) Collect(cs ...prometheus.Collector) { rt.s.metrics.reg.MustRegister(cs...) }

// instrument counts and times the requests of one route. Labels are route
// patterns, never raw paths, so their number stays bounded.
func (s *Server) instrument(pattern string, h http.Handler) http.Handler {
	requests := s.metrics.requests.MustCurryWith(prometheus.Labels{"route": pattern})
	duration := s.metrics.duration.WithLabelValues(pattern)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		sw := &statusWriter{ResponseWriter: w}
		h.ServeHTTP(sw, r)
		duration.Observe(time.Since(start).Seconds())
		requests.WithLabelValues(strconv.Itoa(sw.status)).Inc()
	})
}

// serveMetrics answers /metrics for the addresses in the allow list.
func (s *Server) serveMetrics() http.Handler {
	h := promhttp.HandlerFor(s.metrics.reg, promhttp.HandlerOpts{})
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if len(s.metricOK) > 0 && !s.metricOK.contains(ClientIP(r)) {
			s.fail(w, r, errs.New(errs.Forbidden, "forbidden"))
			return
		}
		h.ServeHTTP(w, r)
	})
}
