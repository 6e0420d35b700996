package httpapi

import (
	"context"
	"net/http"
	"time"
)

// handleHealth answers UP when every dependency answers within a second, else 503 DOWN.
func handleHealth(deps map[string]Pinger) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := context.WithTimeout(r.Context(), time.Second)
		defer cancel()
		status, code := "UP", http.StatusOK
		components := make(map[string]string, len(deps))
		for name, dep := range deps {
			if err := dep.Ping(ctx); err != nil {
				components[name] = "DOWN"
				status, code = "DOWN", http.StatusServiceUnavailable
				continue
			}
			components[name] = "UP"
		}
		writeJSON(w, code, map[string]any{"status": status, "components": components})
	})
}
