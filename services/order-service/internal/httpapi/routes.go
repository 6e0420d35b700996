package httpapi

import (
	"log/slog"
	"net/http"

	"github.com/kafka-polyglot/kafka-polyglot/services/order-service/internal/metrics"
)

// addRoutes is the whole API surface in one place.
func addRoutes(mux *http.ServeMux, svc OrderService, health map[string]Pinger, m *metrics.Metrics, log *slog.Logger) {
	mux.Handle("POST /api/orders", handleCreateOrder(svc, log))
	mux.Handle("GET /api/orders", handleListOrders(svc, log))
	mux.Handle("GET /api/orders/{id}", handleGetOrder(svc, log))
	mux.Handle("GET /health", handleHealth(health))
	mux.Handle("GET /metrics", m.Handler())
	mux.Handle("/", handleNotFound())
}
