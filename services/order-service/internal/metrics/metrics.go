// Package metrics holds order-service's Prometheus metrics (client_golang), named and labelled
// as the project's metrics contract says (infra/prometheus/README.md), and the handler that
// serves them at /metrics. Every method is safe on a nil *Metrics, which is what unit tests
// pass when they do not look at metrics.
package metrics

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Outcomes of a consumed record (label outcome of polyglot_events_consumed_total).
const (
	OutcomeOK        = "ok"
	OutcomeDuplicate = "duplicate"
	OutcomeDLQ       = "dlq"
)

// OutboxStats reports the events stored but not yet acknowledged by the broker: how many,
// and when the oldest was stored (zero when there is none).
type OutboxStats func(ctx context.Context) (pending int, oldest time.Time, err error)

// Metrics are the service's counters, gauges and histograms.
type Metrics struct {
	registry *prometheus.Registry
	requests *prometheus.HistogramVec
	produced *prometheus.CounterVec
	consumed *prometheus.CounterVec
	dlq      *prometheus.CounterVec
	lag      *prometheus.GaugeVec
	latency  *prometheus.HistogramVec
}

var buckets = []float64{0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10}

// New registers the metrics, with the Go runtime's and the process's, on a registry of their
// own; outbox (may be nil) feeds the outbox gauges at each scrape.
func New(outbox OutboxStats) *Metrics {
	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	m := &Metrics{
		registry: reg,
		requests: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "http_server_requests_seconds", Help: "HTTP requests: seconds until the answer, by method, route template and status.", Buckets: buckets,
		}, []string{"method", "uri", "status"}),
		produced: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "polyglot_events_produced_total", Help: "Records the broker acknowledged, by topic and ce_type.",
		}, []string{"topic", "type"}),
		consumed: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "polyglot_events_consumed_total", Help: "Records taken from a topic, by topic, ce_type and outcome (ok, duplicate, dlq).",
		}, []string{"topic", "type", "outcome"}),
		dlq: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "polyglot_dlq_records_total", Help: "Records sent to a dead-letter topic, by source topic and dlq.reason.",
		}, []string{"topic", "reason"}),
		lag: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "polyglot_consumer_lag_records", Help: "Per assigned partition: high watermark minus the next offset to read.",
		}, []string{"group", "topic", "partition"}),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "polyglot_event_latency_seconds", Help: "From a record's ce_time to the end of its handling (for order-events: a saga step).", Buckets: buckets,
		}, []string{"topic", "type"}),
	}
	reg.MustRegister(m.requests, m.produced, m.consumed, m.dlq, m.lag, m.latency)
	if outbox != nil {
		reg.MustRegister(outboxCollector{stats: outbox,
			pending: prometheus.NewDesc("polyglot_outbox_pending_records", "Events stored but not yet acknowledged by the broker.", nil, nil),
			age:     prometheus.NewDesc("polyglot_outbox_backlog_age_seconds", "Age of the oldest unacknowledged event; 0 when there is none.", nil, nil),
		})
	}
	return m
}

// Handler serves the metrics in the Prometheus text format.
func (m *Metrics) Handler() http.Handler {
	if m == nil {
		return http.NotFoundHandler()
	}
	return promhttp.HandlerFor(m.registry, promhttp.HandlerOpts{})
}

// Request observes one HTTP request; pattern is the mux pattern, e.g. "GET /api/orders/{id}".
func (m *Metrics) Request(pattern string, status int, took time.Duration) {
	if m == nil || pattern == "" {
		return
	}
	method, uri, ok := strings.Cut(pattern, " ")
	if !ok {
		method, uri = "", pattern
	}
	m.requests.WithLabelValues(method, uri, strconv.Itoa(status)).Observe(took.Seconds())
}

// Consumed counts one record taken from topic and observes its latency since eventTime.
func (m *Metrics) Consumed(topic, typ, outcome string, eventTime time.Time) {
	if m == nil {
		return
	}
	if typ == "" {
		typ = "unknown"
	}
	m.consumed.WithLabelValues(topic, typ, outcome).Inc()
	if !eventTime.IsZero() && outcome == OutcomeOK {
		m.latency.WithLabelValues(topic, typ).Observe(time.Since(eventTime).Seconds())
	}
}

// Produced counts one acknowledged record.
func (m *Metrics) Produced(topic, typ string) {
	if m != nil {
		m.produced.WithLabelValues(topic, typ).Inc()
	}
}

// DeadLettered counts one record sent to the dead-letter topic of topic.
func (m *Metrics) DeadLettered(topic, reason string) {
	if m != nil {
		m.dlq.WithLabelValues(topic, reason).Inc()
	}
}

// Lag sets the lag of one assigned partition.
func (m *Metrics) Lag(group, topic string, partition int32, records int64) {
	if m != nil {
		m.lag.WithLabelValues(group, topic, strconv.Itoa(int(partition))).Set(float64(max(records, 0)))
	}
}

// outboxCollector reads the outbox at each scrape, so the gauges are never stale.
type outboxCollector struct {
	stats        OutboxStats
	pending, age *prometheus.Desc
}

func (c outboxCollector) Describe(ch chan<- *prometheus.Desc) { ch <- c.pending; ch <- c.age }

func (c outboxCollector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	pending, oldest, err := c.stats(ctx)
	if err != nil {
		ch <- prometheus.NewInvalidMetric(c.pending, err)
		return
	}
	age := 0.0
	if pending > 0 && !oldest.IsZero() {
		age = time.Since(oldest).Seconds()
	}
	ch <- prometheus.MustNewConstMetric(c.pending, prometheus.GaugeValue, float64(pending))
	ch <- prometheus.MustNewConstMetric(c.age, prometheus.GaugeValue, age)
}
