package httpapi

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/kafka-polyglot/kafka-polyglot/services/order-service/internal/orders"
)

// maxBodyBytes bounds a request body.
const maxBodyBytes = 64 << 10

// createOrderRequest is the body of POST /api/orders. Quantity and price stay raw JSON so
// that their literal digits reach the exact decimal parser and their JSON type can be checked.
type createOrderRequest struct {
	UserID string            `json:"user_id"`
	Items  []createOrderItem `json:"items"`
}

type createOrderItem struct {
	ProductID   string          `json:"product_id"`
	ProductName string          `json:"product_name"`
	Quantity    json.RawMessage `json:"quantity"`
	Price       json.RawMessage `json:"price"`
}

type createOrderResponse struct {
	OrderID string        `json:"order_id"`
	Status  string        `json:"status"`
	Total   orders.Amount `json:"total"`
}

type orderItemResponse struct {
	ProductID   string        `json:"product_id"`
	ProductName string        `json:"product_name"`
	Quantity    int64         `json:"quantity"`
	Price       orders.Amount `json:"price"`
}

type stepResponse struct {
	Status string    `json:"status"`
	At     time.Time `json:"at"`
}

type orderResponse struct {
	OrderID       string              `json:"order_id"`
	UserID        string              `json:"user_id"`
	Status        string              `json:"status"`
	Currency      string              `json:"currency"`
	Total         orders.Amount       `json:"total"`
	Items         []orderItemResponse `json:"items"`
	CreatedAt     time.Time           `json:"created_at"`
	CorrelationID string              `json:"correlation_id"`
	History       []stepResponse      `json:"history"`
}

func handleCreateOrder(svc OrderService, log *slog.Logger) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		draft, fieldErrs := decodeDraft(w, r)
		if len(fieldErrs) > 0 {
			writeValidationProblem(w, r, fieldErrs)
			return
		}
		origin := orders.Origin{
			CorrelationID:  correlationID(r.Context()),
			TraceParent:    r.Header.Get("traceparent"),
			IdempotencyKey: r.Header.Get("Idempotency-Key"),
		}
		o, err := svc.PlaceOrder(r.Context(), draft, origin)
		var invalid *orders.ValidationError
		switch {
		case errors.As(err, &invalid):
			writeValidationProblem(w, r, invalid.Errors)
		case errors.Is(err, orders.ErrUnknownUser):
			writeProblem(w, r, http.StatusUnprocessableEntity, "unknown-user", "Unknown user",
				fmt.Sprintf("no user %q has signed up", draft.UserID),
				[]orders.FieldError{{Field: "user_id", Message: "is not a known user"}})
		case errors.Is(err, orders.ErrIdempotencyMismatch):
			writeProblem(w, r, http.StatusUnprocessableEntity, "idempotency-key-reused", "Idempotency-Key reused",
				"this Idempotency-Key was first sent with a different order", nil)
		case errors.Is(err, orders.ErrNotPublished) && o.ID != "":
			// Stored but not yet acknowledged: the relay announces it once the broker is back.
			log.WarnContext(r.Context(), "order stored, event not yet published", "order_id", o.ID, "correlation_id", origin.CorrelationID, "err", err)
			w.Header().Set("Location", "/api/orders/"+o.ID)
			writeJSON(w, http.StatusAccepted, createOrderResponse{OrderID: o.ID, Status: string(o.Status), Total: o.Total})
		case err != nil:
			log.ErrorContext(r.Context(), "place order", "correlation_id", origin.CorrelationID, "err", err)
			writeProblem(w, r, http.StatusInternalServerError, "internal", "Internal Server Error", "the order could not be placed", nil)
		default:
			w.Header().Set("Location", "/api/orders/"+o.ID)
			writeJSON(w, http.StatusCreated, createOrderResponse{OrderID: o.ID, Status: string(o.Status), Total: o.Total})
		}
	})
}

func handleGetOrder(svc OrderService, log *slog.Logger) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id := r.PathValue("id")
		o, err := svc.Order(r.Context(), id)
		switch {
		case errors.Is(err, orders.ErrNotFound):
			writeProblem(w, r, http.StatusNotFound, "order-not-found", "Order not found", fmt.Sprintf("no order %q", id), nil)
		case err != nil:
			log.ErrorContext(r.Context(), "load order", "order_id", id, "correlation_id", correlationID(r.Context()), "err", err)
			writeProblem(w, r, http.StatusInternalServerError, "internal", "Internal Server Error", "the order could not be loaded", nil)
		default:
			writeJSON(w, http.StatusOK, toOrderResponse(o))
		}
	})
}

func handleListOrders(svc OrderService, log *slog.Logger) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		userID := r.URL.Query().Get("user_id")
		if userID == "" {
			writeValidationProblem(w, r, []orders.FieldError{{Field: "user_id", Message: "is required (query parameter)"}})
			return
		}
		list, err := svc.OrdersOfUser(r.Context(), userID)
		if err != nil {
			log.ErrorContext(r.Context(), "list orders", "user_id", userID, "correlation_id", correlationID(r.Context()), "err", err)
			writeProblem(w, r, http.StatusInternalServerError, "internal", "Internal Server Error", "the orders could not be loaded", nil)
			return
		}
		out := make([]orderResponse, len(list))
		for i, o := range list {
			out[i] = toOrderResponse(o)
		}
		writeJSON(w, http.StatusOK, map[string]any{"orders": out})
	})
}

func toOrderResponse(o orders.Order) orderResponse {
	items := make([]orderItemResponse, len(o.Items))
	for i, it := range o.Items {
		items[i] = orderItemResponse{ProductID: it.ProductID, ProductName: it.ProductName, Quantity: it.Quantity, Price: it.UnitPrice}
	}
	history := make([]stepResponse, len(o.History))
	for i, st := range o.History {
		history[i] = stepResponse{Status: string(st.Status), At: st.At}
	}
	return orderResponse{
		History:       history,
		OrderID:       o.ID,
		UserID:        o.UserID,
		Status:        string(o.Status),
		Currency:      o.Currency,
		Total:         o.Total,
		Items:         items,
		CreatedAt:     o.CreatedAt,
		CorrelationID: o.Event.CorrelationID,
	}
}

func writeValidationProblem(w http.ResponseWriter, r *http.Request, errs []orders.FieldError) {
	names := make([]string, len(errs))
	for i, fe := range errs {
		names[i] = fe.Field
	}
	writeProblem(w, r, http.StatusBadRequest, "validation", "Invalid request",
		"invalid field(s): "+strings.Join(names, ", "), errs)
}

// decodeDraft reads the body strictly (unknown fields, trailing data and wrong JSON types are
// errors) and names the field at fault; the domain then validates the values.
func decodeDraft(w http.ResponseWriter, r *http.Request) (orders.Draft, []orders.FieldError) {
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, maxBodyBytes))
	dec.DisallowUnknownFields()
	var req createOrderRequest
	if err := dec.Decode(&req); err != nil {
		return orders.Draft{}, []orders.FieldError{decodeError(err)}
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return orders.Draft{}, []orders.FieldError{{Field: "body", Message: "must hold a single JSON object"}}
	}

	var errs []orders.FieldError
	d := orders.Draft{UserID: req.UserID, Items: make([]orders.DraftItem, len(req.Items))}
	for i, it := range req.Items {
		d.Items[i] = orders.DraftItem{ProductID: it.ProductID, ProductName: it.ProductName}
		var err *orders.FieldError
		if d.Items[i].Quantity, err = numberLiteral(it.Quantity, fmt.Sprintf("items[%d].quantity", i)); err != nil {
			errs = append(errs, *err)
		}
		if d.Items[i].Price, err = numberLiteral(it.Price, fmt.Sprintf("items[%d].price", i)); err != nil {
			errs = append(errs, *err)
		}
	}
	return d, errs
}

// numberLiteral returns raw's digits when raw is a JSON number, "" when it is absent or null
// (the domain reports the missing field), and an error for any other JSON type.
func numberLiteral(raw json.RawMessage, field string) (string, *orders.FieldError) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || string(raw) == "null" {
		return "", nil
	}
	if c := raw[0]; c == '-' || (c >= '0' && c <= '9') {
		return string(raw), nil
	}
	return "", &orders.FieldError{Field: field, Message: "must be a number"}
}

func decodeError(err error) orders.FieldError {
	var (
		syntax *json.SyntaxError
		typ    *json.UnmarshalTypeError
		tooBig *http.MaxBytesError
	)
	switch {
	case errors.As(err, &tooBig):
		return orders.FieldError{Field: "body", Message: fmt.Sprintf("must not exceed %d bytes", tooBig.Limit)}
	case errors.Is(err, io.EOF):
		return orders.FieldError{Field: "body", Message: "is required"}
	case errors.As(err, &syntax), errors.Is(err, io.ErrUnexpectedEOF):
		return orders.FieldError{Field: "body", Message: "is not well-formed JSON"}
	case errors.As(err, &typ):
		if typ.Field == "" {
			return orders.FieldError{Field: "body", Message: "must be a JSON object"}
		}
		return orders.FieldError{Field: typ.Field, Message: "must be a JSON " + jsonTypeName(typ.Type.Kind().String())}
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		// encoding/json has no typed error for an unknown field; its message is stable.
		name := strings.TrimPrefix(err.Error(), "json: unknown field ")
		if unquoted, uerr := strconv.Unquote(name); uerr == nil && unquoted != "" {
			name = unquoted
		}
		return orders.FieldError{Field: name, Message: "is not a known field"}
	default:
		return orders.FieldError{Field: "body", Message: "cannot be read: " + err.Error()}
	}
}

func jsonTypeName(kind string) string {
	switch kind {
	case "slice":
		return "array"
	case "struct":
		return "object"
	default:
		return kind
	}
}
