package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"sync"
	"time"

	"google.golang.org/protobuf/proto"

	eventsv1 "github.com/kafka-polyglot/kafka-polyglot/services/order-service/internal/gen/polyglot/events/v1"
	"github.com/kafka-polyglot/kafka-polyglot/services/order-service/internal/kafka"
	"github.com/kafka-polyglot/kafka-polyglot/services/order-service/internal/orders"
)

// recorder stands in for the service's kafka.Handler and kafka.SagaHandler: it prints what
// each call received and succeeds.
type recorder struct {
	mu  sync.Mutex
	out io.Writer
}

func newRecorder(out io.Writer) *recorder { return &recorder{out: out} }

// line is one handler call on stdout.
type line struct {
	Type string `json:"type"`
	View any    `json:"view"`
}

// eventView is the event ids a handler receives. The consumer leaves causation id and time
// unset today; they appear as soon as it starts passing them, which the contract then shows.
type eventView struct {
	EventID       string `json:"event_id"`
	CorrelationID string `json:"correlation_id"`
	CausationID   string `json:"causation_id,omitempty"`
	TraceParent   string `json:"traceparent"`
	Time          string `json:"time,omitempty"`
}

func viewOfEvent(ev orders.EventMeta) eventView {
	v := eventView{EventID: ev.EventID, CorrelationID: ev.CorrelationID, CausationID: ev.CausationID, TraceParent: ev.TraceParent}
	if !ev.Time.IsZero() {
		v.Time = ev.Time.UTC().Format(time.RFC3339Nano)
	}
	return v
}

type userView struct {
	UserID string `json:"user_id"`
	Email  string `json:"email"`
	Name   string `json:"name"`
	eventView
}

type orderCreatedView struct {
	OrderID string `json:"order_id"`
	Status  string `json:"status"`
	eventView
}

type paymentView struct {
	OrderID  string `json:"order_id"`
	Approved bool   `json:"approved"`
	eventView
}

var (
	typeUserSignup       = typeName(&eventsv1.UserSignupEvent{})
	typeUserUpdated      = typeName(&eventsv1.UserUpdatedEvent{})
	typeOrderCreated     = typeName(&eventsv1.OrderCreatedEvent{})
	typePaymentProcessed = typeName(&eventsv1.PaymentProcessedEvent{})
)

func typeName(m proto.Message) string { return string(m.ProtoReflect().Descriptor().FullName()) }

func (r *recorder) print(typ string, view any) error {
	b, err := json.Marshal(line{Type: typ, View: view})
	if err != nil {
		return fmt.Errorf("print %s: %w", typ, err)
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if _, err := r.out.Write(append(b, '\n')); err != nil {
		return fmt.Errorf("print %s: %w", typ, err)
	}
	return nil
}

func (r *recorder) HandleUserSignup(_ context.Context, su orders.Signup) (bool, error) {
	return false, r.print(typeUserSignup, userView{su.User.ID, su.User.Email, su.User.Name, viewOfEvent(su.Event)})
}

func (r *recorder) HandleUserUpdate(ctx context.Context, u orders.User) error {
	ev, ok := kafka.EventFrom(ctx)
	if !ok {
		return fmt.Errorf("user update of %s without its event ids", u.ID)
	}
	return r.print(typeUserUpdated, userView{u.ID, u.Email, u.Name, viewOfEvent(ev)})
}

func (r *recorder) OnOrderCreated(_ context.Context, orderID string, created orders.Status, cause orders.EventMeta) error {
	return r.print(typeOrderCreated, orderCreatedView{orderID, string(created), viewOfEvent(cause)})
}

func (r *recorder) OnPaymentProcessed(_ context.Context, orderID string, approved bool, cause orders.EventMeta) error {
	return r.print(typePaymentProcessed, paymentView{orderID, approved, viewOfEvent(cause)})
}
