// Package metrics holds order-service's Prometheus metrics (client_golang) and the handler
// that serves them at /metrics. Every method is safe on a nil *Metrics, which is what unit
// tests pass when they do not look at metrics.
package metrics

import (
	"net/http"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Metrics are the service's counters and histograms.
type Metrics struct {
	registry    *prometheus.Registry
	requests    *prometheus.CounterVec
	eventsIn    *prometheus.CounterVec
	eventsOut   *prometheus.CounterVec
	deadLetters *prometheus.CounterVec
	handling    *prometheus.HistogramVec
}

// New registers the metrics, with the Go runtime's and the process's, on a registry of their own.
func New() *Metrics {
	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	m := &Metrics{
		registry: reg,
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "order_service_http_requests_total", Help: "HTTP requests by route and status code.",
		}, []string{"route", "code"}),
		eventsIn: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "order_service_events_consumed_total", Help: "Records consumed, by topic, ce_type and outcome (handled, dead-lettered).",
		}, []string{"topic", "type", "outcome"}),
		eventsOut: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "order_service_events_produced_total", Help: "Events acknowledged by the broker, by ce_type.",
		}, []string{"type"}),
		deadLetters: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "order_service_dead_letters_total", Help: "Records sent to a dead-letter topic, by source topic and dlq.reason.",
		}, []string{"topic", "reason"}),
		handling: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "order_service_event_handling_seconds", Help: "Time to handle one consumed event (a saga step for order-events), by ce_type.",
			Buckets: prometheus.ExponentialBuckets(0.001, 2, 14),
		}, []string{"type"}),
	}
	reg.MustRegister(m.requests, m.eventsIn, m.eventsOut, m.deadLetters, m.handling)
	return m
}

// Handler serves the metrics in the Prometheus text format.
func (m *Metrics) Handler() http.Handler {
	if m == nil {
		return http.NotFoundHandler()
	}
	return promhttp.HandlerFor(m.registry, promhttp.HandlerOpts{})
}

// Request counts one HTTP request; route is the mux pattern, e.g. "POST /api/orders".
func (m *Metrics) Request(route string, code int) {
	if m != nil {
		m.requests.WithLabelValues(route, strconv.Itoa(code)).Inc()
	}
}

// Consumed counts one consumed record and how long its handling took.
func (m *Metrics) Consumed(topic, typ, outcome string, took time.Duration) {
	if m != nil {
		m.eventsIn.WithLabelValues(topic, typ, outcome).Inc()
		m.handling.WithLabelValues(typ).Observe(took.Seconds())
	}
}

// Produced counts one acknowledged event.
func (m *Metrics) Produced(typ string) {
	if m != nil {
		m.eventsOut.WithLabelValues(typ).Inc()
	}
}

// DeadLettered counts one record sent to a dead-letter topic.
func (m *Metrics) DeadLettered(topic, reason string) {
	if m != nil {
		m.deadLetters.WithLabelValues(topic, reason).Inc()
	}
}
