package httpapi

import (
	"log/slog"
	"net/http"
)

// addRoutes is the whole API surface in one place.
func addRoutes(mux *http.ServeMux, svc OrderService, health map[string]Pinger, log *slog.Logger) {
	mux.Handle("POST /api/orders", handleCreateOrder(svc, log))
	mux.Handle("GET /api/orders", handleListOrders(svc, log))
	mux.Handle("GET /api/orders/{id}", handleGetOrder(svc, log))
	mux.Handle("GET /health", handleHealth(health))
	mux.Handle("/", handleNotFound())
}
