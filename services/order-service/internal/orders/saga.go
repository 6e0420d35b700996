package orders

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/google/uuid"
)

// The statuses the saga moves an order through after PENDING and CONFIRMED.
const (
	StatusShipped   Status = "SHIPPED"
	StatusCancelled Status = "CANCELLED"
)

// Payment is a payment provider's answer for one order.
type Payment struct {
	ID            string
	Approved      bool
	DeclineReason string
	Provider      string
}

// PaymentProvider charges an order. Its answer must be the same when asked twice for the same
// order, since a redelivered event asks again.
type PaymentProvider interface {
	Charge(ctx context.Context, o Order) (Payment, error)
}

// LocalPayments is the payment provider that runs inside the service. Its rule, documented in
// the README: every order up to Limit is approved, every order above it is declined.
type LocalPayments struct {
	Limit Amount
}

// Charge approves o when its total is at most the limit.
func (p LocalPayments) Charge(_ context.Context, o Order) (Payment, error) {
	pay := Payment{ID: derivedID("payment/" + o.ID), Approved: o.Total <= p.Limit, Provider: "local"}
	if !pay.Approved {
		pay.DeclineReason = fmt.Sprintf("total %s %s exceeds the limit of %s", o.Total, o.Currency, p.Limit)
	}
	return pay, nil
}

// Shipment says how an order left the warehouse.
type Shipment struct {
	TrackingNumber string
	Carrier        string
}

// SagaEvent is one event a saga step publishes; exactly one of its payloads is set.
type SagaEvent struct {
	Order     Order
	Meta      EventMeta
	Payment   *Payment
	Shipment  *Shipment
	Cancelled string // the reason, on an OrderCancelledEvent
}

// SagaPublisher sends saga events and returns once the broker acknowledged them.
type SagaPublisher interface {
	PublishSagaEvent(ctx context.Context, ev SagaEvent) error
}

// SagaStore is what the saga needs from storage: a conditional status change recorded in the
// order's history together with the id of the event announcing it.
type SagaStore interface {
	Order(ctx context.Context, orderID string) (Order, error)
	// Transition moves the order from one status to the next and records the step under
	// eventID, unless that step was recorded before; it returns the step as stored, or
	// ErrStaleTransition when the order is in neither state.
	Transition(ctx context.Context, orderID string, from, to Status, eventID string, at time.Time) (Step, error)
	MarkStepPublished(ctx context.Context, eventID string) error
}

// Step is one entry of an order's history.
type Step struct {
	Status    Status
	At        time.Time
	EventID   string
	Published bool
}

// ErrStaleTransition means an event asked for a transition that no longer fits the order.
var ErrStaleTransition = errors.New("order is not in the expected status")

// Saga moves each order on after its OrderCreatedEvent: PENDING -> payment -> CONFIRMED ->
// shipped -> SHIPPED, or CANCELLED when the payment is declined. Every step is caused by the
// previous step's event, and its event ids derive from that cause, so a redelivered event
// republishes (at most) the very same events and never moves an order twice.
type Saga struct {
	store     SagaStore
	publisher SagaPublisher
	payments  PaymentProvider
	log       *slog.Logger
	now       func() time.Time
}

// NewSaga builds the saga on its store, publisher and payment provider.
func NewSaga(store SagaStore, publisher SagaPublisher, payments PaymentProvider, log *slog.Logger) *Saga {
	return &Saga{store: store, publisher: publisher, payments: payments, log: log, now: time.Now}
}

// OnOrderCreated takes the next step for an order that cause announced with status created:
// a PENDING order is charged, a CONFIRMED one (the welcome order) is shipped.
func (s *Saga) OnOrderCreated(ctx context.Context, orderID string, created Status, cause EventMeta) error {
	o, ok, err := s.load(ctx, orderID)
	if !ok {
		return err
	}
	switch created {
	case StatusPending:
		return s.pay(ctx, o, cause)
	case StatusConfirmed:
		return s.ship(ctx, o, cause)
	default:
		return nil
	}
}

// OnPaymentProcessed ships an order whose payment was approved.
func (s *Saga) OnPaymentProcessed(ctx context.Context, orderID string, approved bool, cause EventMeta) error {
	if !approved {
		return nil // the cancellation went out with the declined payment
	}
	o, ok, err := s.load(ctx, orderID)
	if !ok {
		return err
	}
	return s.ship(ctx, o, cause)
}

// load finds the order; one this database never stored (its events replayed from a broker
// that outlived the database) is skipped rather than dead-lettered.
func (s *Saga) load(ctx context.Context, orderID string) (Order, bool, error) {
	o, err := s.store.Order(ctx, orderID)
	if errors.Is(err, ErrNotFound) {
		s.log.WarnContext(ctx, "saga: order unknown here, skipped", "order_id", orderID)
		return Order{}, false, nil
	}
	if err != nil {
		return Order{}, false, fmt.Errorf("saga: %w", err)
	}
	return o, true, nil
}

func (s *Saga) pay(ctx context.Context, o Order, cause EventMeta) error {
	pay, err := s.payments.Charge(ctx, o)
	if err != nil {
		return fmt.Errorf("charge order %s: %w", o.ID, err)
	}
	paid := s.next(cause, "payment-processed/")
	events := []SagaEvent{{Order: o, Meta: paid, Payment: &pay}}
	to, stepID := StatusConfirmed, paid.EventID
	if !pay.Approved {
		cancelled := s.next(paid, "order-cancelled/")
		events = append(events, SagaEvent{Order: o, Meta: cancelled, Cancelled: "payment declined: " + pay.DeclineReason})
		to, stepID = StatusCancelled, cancelled.EventID
	}
	return s.step(ctx, o, StatusPending, to, stepID, events)
}

func (s *Saga) ship(ctx context.Context, o Order, cause EventMeta) error {
	shipped := s.next(cause, "order-shipped/")
	id := strings.ToUpper(strings.ReplaceAll(derivedID("tracking/"+o.ID), "-", ""))
	shipment := &Shipment{TrackingNumber: "PP" + id[:12], Carrier: "polyglot-post"}
	return s.step(ctx, o, StatusConfirmed, StatusShipped, shipped.EventID, []SagaEvent{{Order: o, Meta: shipped, Shipment: shipment}})
}

// step records the transition, then publishes its events unless a previous delivery already
// did; a crash between the two leaves the step unpublished, and the redelivered cause
// publishes it with the same ids and the same time.
func (s *Saga) step(ctx context.Context, o Order, from, to Status, stepID string, events []SagaEvent) error {
	st, err := s.store.Transition(ctx, o.ID, from, to, stepID, s.now().UTC())
	if errors.Is(err, ErrStaleTransition) {
		s.log.WarnContext(ctx, "saga step skipped", "order_id", o.ID, "from", string(from), "to", string(to), "err", err)
		return nil
	}
	if err != nil {
		return fmt.Errorf("order %s %s -> %s: %w", o.ID, from, to, err)
	}
	if st.Published {
		return nil
	}
	// A step recorded by an earlier delivery (cut short by a crash or a broker outage) goes
	// out as it was first built: its ids derive from the cause, its time is the stored one.
	for i := range events {
		events[i].Meta.Time = st.At
	}
	for _, ev := range events {
		if err := s.publisher.PublishSagaEvent(ctx, ev); err != nil {
			return fmt.Errorf("publish saga event %s of order %s: %w", ev.Meta.EventID, o.ID, err)
		}
	}
	if err := s.store.MarkStepPublished(ctx, stepID); err != nil {
		return err
	}
	s.log.InfoContext(ctx, "saga step", "order_id", o.ID, "user_id", o.UserID, "status", string(to),
		"event_id", stepID, "correlation_id", o.Event.CorrelationID)
	return nil
}

// next is the metadata of the event caused by cause, its id derived from the cause's id.
func (s *Saga) next(cause EventMeta, kind string) EventMeta {
	return EventMeta{
		EventID:       derivedID(kind + cause.EventID),
		CorrelationID: cause.CorrelationID,
		CausationID:   cause.EventID,
		TraceParent:   cause.TraceParent,
		Time:          s.now().UTC(),
	}
}

func derivedID(name string) string {
	return uuid.NewSHA1(idNamespace, []byte(name)).String()
}
