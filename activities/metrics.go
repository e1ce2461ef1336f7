package activities

import (
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"rcm/reporting"
)

// Metrics counts what the activities do, for Prometheus: waves by kind and
// their duration, and messages by kind and outcome.
type Metrics struct {
	waves         *prometheus.CounterVec
	waveDuration  *prometheus.HistogramVec
	notifications *prometheus.CounterVec
}

// NewMetrics creates the activities' metrics and registers them on reg.
func NewMetrics(reg prometheus.Registerer) *Metrics {
	m := &Metrics{
		waves: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "rcm_waves_total", Help: "Waves run to the end, by event (deadline_notice, reminder, overdue, escalation, close, deadline_extended, cycle_summary).",
		}, []string{"kind"}),
		waveDuration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "rcm_wave_duration_seconds", Help: "How long a wave attempt took, by kind.",
			Buckets: prometheus.ExponentialBuckets(0.05, 4, 9),
		}, []string{"kind"}),
		notifications: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "rcm_notifications_total", Help: "Messages handled, by kind and result (sent, failed, skipped, deferred).",
		}, []string{"kind", "result"}),
	}
	reg.MustRegister(m.waves, m.waveDuration, m.notifications)
	return m
}

func (m *Metrics) waveDone(kind reporting.Event, started time.Time, err error) {
	if m == nil {
		return
	}
	m.waveDuration.WithLabelValues(string(kind)).Observe(time.Since(started).Seconds())
	if err == nil {
		m.waves.WithLabelValues(string(kind)).Inc()
	}
}

func (m *Metrics) message(kind, result string) {
	if m == nil {
		return
	}
	m.notifications.WithLabelValues(kind, result).Inc()
}
