package httpapi

import (
	"context"
	"log/slog"
	"net/http"
	"time"

	"github.com/google/uuid"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/propagation"
	"go.opentelemetry.io/otel/trace"

	"github.com/kafka-polyglot/kafka-polyglot/services/order-service/internal/metrics"
	"github.com/kafka-polyglot/kafka-polyglot/services/order-service/internal/tracing"
)

type correlationKey struct{}

// correlationID returns the request's correlation id set by withCorrelation.
func correlationID(ctx context.Context) string {
	id, _ := ctx.Value(correlationKey{}).(string)
	return id
}

// withCorrelation keeps the X-Correlation-ID of the request as the chain's correlation id (a
// new UUID when absent), echoes it in the answer, continues the request's traceparent in a
// SERVER span, and logs and measures each request.
func withCorrelation(next http.Handler, m *metrics.Metrics, tracer trace.Tracer, log *slog.Logger) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id := r.Header.Get("X-Correlation-ID")
		if id == "" || len(id) > 128 {
			id = uuid.NewString()
		}
		w.Header().Set("X-Correlation-ID", id)
		rec := &statusRecorder{ResponseWriter: w, status: http.StatusOK}
		start := time.Now()
		ctx := tracing.Propagator.Extract(r.Context(), propagation.HeaderCarrier(r.Header))
		ctx, span := tracer.Start(ctx, r.Method+" "+r.URL.Path, trace.WithSpanKind(trace.SpanKindServer))
		defer span.End()
		req := r.WithContext(context.WithValue(ctx, correlationKey{}, id))
		next.ServeHTTP(rec, req)
		// The mux sets the matched pattern ("POST /api/orders") on the request it was handed.
		if req.Pattern != "" {
			span.SetName(req.Pattern)
		}
		span.SetAttributes(attribute.Int("http.response.status_code", rec.status), attribute.String("correlation_id", id))
		m.Request(req.Pattern, rec.status, time.Since(start))
		if r.URL.Path != "/health" && r.URL.Path != "/metrics" {
			log.InfoContext(ctx, "http request", "method", r.Method, "path", r.URL.Path,
				"status", rec.status, "duration_ms", time.Since(start).Milliseconds(), "correlation_id", id)
		}
	})
}

type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (s *statusRecorder) WriteHeader(code int) {
	s.status = code
	s.ResponseWriter.WriteHeader(code)
}
