// Package httpapi is order-service's HTTP surface: the routes (routes.go), one file per
// handler group, RFC 9457 problem answers and the correlation-id middleware.
package httpapi

import (
	"context"
	"log/slog"
	"net/http"

	"go.opentelemetry.io/otel/trace"

	"github.com/kafka-polyglot/kafka-polyglot/services/order-service/internal/metrics"
	"github.com/kafka-polyglot/kafka-polyglot/services/order-service/internal/orders"
)

// OrderService is what the handlers need from the domain.
type OrderService interface {
	PlaceOrder(ctx context.Context, d orders.Draft, origin orders.Origin) (orders.Order, error)
	Order(ctx context.Context, orderID string) (orders.Order, error)
	OrdersOfUser(ctx context.Context, userID string) ([]orders.Order, error)
}

// Pinger is one dependency that /health checks.
type Pinger interface {
	Ping(ctx context.Context) error
}

// NewServer builds the service's whole HTTP handler.
func NewServer(svc OrderService, health map[string]Pinger, m *metrics.Metrics, tp trace.TracerProvider, log *slog.Logger) http.Handler {
	mux := http.NewServeMux()
	addRoutes(mux, svc, health, m, log)
	return withCorrelation(mux, m, tp.Tracer("order-service/http"), log)
}
