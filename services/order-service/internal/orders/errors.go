package orders

import (
	"errors"
	"strings"
)

// ErrNotFound is returned when no order has the requested id.
var ErrNotFound = errors.New("order not found")

// ErrUnknownUser is returned when an order names a user that never signed up, or whose
// sign-up did not arrive within the bounded wait.
var ErrUnknownUser = errors.New("unknown user")

// ErrIdempotencyMismatch is returned when an idempotency key comes back with another order.
var ErrIdempotencyMismatch = errors.New("idempotency key reused for a different order")

// ErrNotPublished is returned when an order was stored but the broker did not acknowledge
// its OrderCreatedEvent.
var ErrNotPublished = errors.New("order event not published")

// FieldError names one bad field of a request, e.g. "items[1].quantity".
type FieldError struct {
	Field   string `json:"field"`
	Message string `json:"message"`
}

// ValidationError lists every bad field of a new order.
type ValidationError struct {
	Errors []FieldError
}

func (e *ValidationError) Error() string {
	parts := make([]string, len(e.Errors))
	for i, fe := range e.Errors {
		parts[i] = fe.Field + " " + fe.Message
	}
	return "invalid order: " + strings.Join(parts, "; ")
}
