package web

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"rcm/api"
	"rcm/operations"
)

// Metrics is the Prometheus registry rcm exposes at /metrics, with the HTTP
// request metrics. Other parts of rcm (submissions, notifications, waves)
// register theirs on Registry.
type Metrics struct {
	// Registry holds every metric /metrics exposes; no global registry is used.
	Registry *prometheus.Registry
	requests *prometheus.CounterVec
	latency  *prometheus.HistogramVec
}

// NewMetrics makes a registry with the Go runtime and process collectors and
// the HTTP request metrics.
func NewMetrics() *Metrics {
	m := &Metrics{
		Registry: prometheus.NewRegistry(),
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "rcm_http_requests_total",
			Help: "HTTP requests answered, by route pattern, method and status.",
		}, []string{"route", "status"}),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "rcm_http_request_duration_seconds",
			Help:    "Time to answer HTTP requests, by route pattern.",
			Buckets: []float64{.005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10, 30},
		}, []string{"route"}),
	}
	m.Registry.MustRegister(
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
		m.requests, m.latency,
	)
	return m
}

func (m *Metrics) observe(route string, status int, elapsed time.Duration) {
	m.requests.WithLabelValues(route, strconv.Itoa(status)).Inc()
	m.latency.WithLabelValues(route).Observe(elapsed.Seconds())
}

func (s *Server) systemRoutes() []Route {
	return []Route{
		{Method: "GET", Path: "/healthz", Op: public, Handle: s.healthz},
		{Method: "GET", Path: "/readyz", Op: public, Handle: s.readyz},
		{Method: "GET", Path: "/metrics", Op: operations.OpReadMetrics, Handle: s.serveMetrics},
		{Method: "GET", Path: "/api/openapi.json", Op: public, Handle: s.openAPI},
	}
}

// healthz answers while the process runs.
func (s *Server) healthz(w http.ResponseWriter, _ *http.Request) error {
	writeJSON(w, http.StatusOK, api.Health{Status: "ok"})
	return nil
}

// readyz answers whether the services rcm needs answer: the database and
// the ReadyChecks of Deps.
func (s *Server) readyz(w http.ResponseWriter, r *http.Request) error {
	ctx, cancel := context.WithTimeout(r.Context(), 3*time.Second)
	defer cancel()
	checks := map[string]ReadyCheck{"database": func(ctx context.Context) error {
		if s.ops == nil {
			return errors.New("no database configured")
		}
		return s.ops.Ping(ctx)
	}}
	for name, c := range s.ready {
		checks[name] = c
	}
	out := api.Ready{Status: "ready", Checks: map[string]string{}}
	status := http.StatusOK
	for name, check := range checks {
		if err := check(ctx); err != nil {
			s.log.Warn("not ready", "check", name, "error", err)
			out.Checks[name] = "unavailable"
			out.Status, status = "unavailable", http.StatusServiceUnavailable
			continue
		}
		out.Checks[name] = "ok"
	}
	writeJSON(w, status, out)
	return nil
}

func (s *Server) serveMetrics(w http.ResponseWriter, r *http.Request) error {
	promhttp.HandlerFor(s.metrics.Registry, promhttp.HandlerOpts{}).ServeHTTP(w, r)
	return nil
}
