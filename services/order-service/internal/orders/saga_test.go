package orders_test

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"reflect"
	"sync"
	"testing"

	"github.com/kafka-polyglot/kafka-polyglot/services/order-service/internal/orders"
	"github.com/kafka-polyglot/kafka-polyglot/services/order-service/internal/store"
)

func TestLocalPayments(t *testing.T) {
	tests := []struct {
		name     string
		total    orders.Amount
		approved bool
	}{
		{name: "free", total: 0, approved: true},
		{name: "below the limit", total: 109_97, approved: true},
		{name: "at the limit", total: 1000_00, approved: true},
		{name: "above the limit", total: 1000_01, approved: false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o := orders.Order{ID: "o1", Total: tt.total, Currency: "USD"}
			pay, err := orders.LocalPayments{Limit: 1000_00}.Charge(context.Background(), o)
			if err != nil {
				t.Fatal(err)
			}
			if pay.Approved != tt.approved || (pay.DeclineReason == "") != tt.approved || pay.ID == "" || pay.Provider != "local" {
				t.Fatalf("payment = %+v", pay)
			}
			again, _ := orders.LocalPayments{Limit: 1000_00}.Charge(context.Background(), o)
			if again != pay {
				t.Fatalf("a second charge answered %+v, want the same %+v", again, pay)
			}
		})
	}
}

type sagaRecorder struct {
	mu     sync.Mutex
	events []orders.SagaEvent
	tried  []orders.SagaEvent // every attempt, the failed ones too
	fail   bool
}

func (r *sagaRecorder) PublishSagaEvent(_ context.Context, ev orders.SagaEvent) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.tried = append(r.tried, ev)
	if r.fail {
		return errors.New("broker unavailable")
	}
	r.events = append(r.events, ev)
	return nil
}

func kind(ev orders.SagaEvent) string {
	switch {
	case ev.Payment != nil && ev.Payment.Approved:
		return "payment-approved"
	case ev.Payment != nil:
		return "payment-declined"
	case ev.Shipment != nil:
		return "shipped"
	default:
		return "cancelled"
	}
}

// sagaFixture stores one placed order and runs the saga on it as the consumer would.
func sagaFixture(t *testing.T, items []orders.DraftItem) (*orders.Saga, *store.Store, *sagaRecorder, orders.Order) {
	t.Helper()
	svc, st, _ := newService(t, 0)
	ctx := context.Background()
	if _, err := svc.HandleUserSignup(ctx, signup("u1", "ev-1")); err != nil {
		t.Fatal(err)
	}
	o, err := svc.PlaceOrder(ctx, orders.Draft{UserID: "u1", Items: items}, orders.Origin{CorrelationID: "corr-order"})
	if err != nil {
		t.Fatal(err)
	}
	rec := &sagaRecorder{}
	log := slog.New(slog.NewJSONHandler(io.Discard, nil))
	return orders.NewSaga(st, rec, orders.LocalPayments{Limit: 1000_00}, log), st, rec, o
}

// feed hands each published event back to the saga, as the consumer of order-events does.
func feed(t *testing.T, saga *orders.Saga, ev orders.SagaEvent) {
	t.Helper()
	if ev.Payment != nil {
		if err := saga.OnPaymentProcessed(context.Background(), ev.Order.ID, ev.Payment.Approved, ev.Meta); err != nil {
			t.Fatal(err)
		}
	}
}

func TestSagaTransitions(t *testing.T) {
	tests := []struct {
		name        string
		price       string
		wantEvents  []string
		wantHistory []orders.Status
	}{
		{
			name: "approved and shipped", price: "29.99",
			wantEvents:  []string{"payment-approved", "shipped"},
			wantHistory: []orders.Status{orders.StatusPending, orders.StatusConfirmed, orders.StatusShipped},
		},
		{
			name: "declined and cancelled", price: "1000.01",
			wantEvents:  []string{"payment-declined", "cancelled"},
			wantHistory: []orders.Status{orders.StatusPending, orders.StatusCancelled},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			saga, st, rec, o := sagaFixture(t, []orders.DraftItem{{ProductID: "p", Quantity: "1", Price: tt.price}})
			ctx := context.Background()
			for range 2 { // the second delivery of each event changes nothing
				if err := saga.OnOrderCreated(ctx, o.ID, orders.StatusPending, o.Event); err != nil {
					t.Fatal(err)
				}
			}
			for i := 0; i < len(rec.events); i++ {
				feed(t, saga, rec.events[i])
				feed(t, saga, rec.events[i])
			}
			var got []string
			for _, ev := range rec.events {
				got = append(got, kind(ev))
			}
			if !reflect.DeepEqual(got, tt.wantEvents) {
				t.Fatalf("events = %v, want %v", got, tt.wantEvents)
			}
			// Each event is caused by the one before, in one correlation.
			cause := o.Event.EventID
			for _, ev := range rec.events {
				if ev.Meta.CausationID != cause || ev.Meta.CorrelationID != "corr-order" || ev.Meta.EventID == "" {
					t.Fatalf("%s: meta %+v, want caused by %s", kind(ev), ev.Meta, cause)
				}
				cause = ev.Meta.EventID
			}
			stored, err := st.Order(ctx, o.ID)
			if err != nil {
				t.Fatal(err)
			}
			var history []orders.Status
			for _, s := range stored.History {
				history = append(history, s.Status)
			}
			if !reflect.DeepEqual(history, tt.wantHistory) || stored.Status != tt.wantHistory[len(tt.wantHistory)-1] {
				t.Fatalf("status %s, history %v; want %v", stored.Status, history, tt.wantHistory)
			}
		})
	}
}

func TestSagaShipsTheWelcomeOrder(t *testing.T) {
	saga, st, rec, _ := sagaFixture(t, []orders.DraftItem{{ProductID: "p", Quantity: "1", Price: "1"}})
	ctx := context.Background()
	welcome, err := st.Order(ctx, orders.WelcomeOrderID("ev-1"))
	if err != nil {
		t.Fatal(err)
	}
	if err := saga.OnOrderCreated(ctx, welcome.ID, orders.StatusConfirmed, welcome.Event); err != nil {
		t.Fatal(err)
	}
	if len(rec.events) != 1 || kind(rec.events[0]) != "shipped" || rec.events[0].Meta.CausationID != welcome.Event.EventID ||
		rec.events[0].Shipment.TrackingNumber == "" {
		t.Fatalf("events = %+v", rec.events)
	}
	if got, _ := st.Order(ctx, welcome.ID); got.Status != orders.StatusShipped {
		t.Fatalf("status = %s, want SHIPPED", got.Status)
	}
}

func TestSagaRepublishesAfterAFailedPublish(t *testing.T) {
	saga, _, rec, o := sagaFixture(t, []orders.DraftItem{{ProductID: "p", Quantity: "1", Price: "1"}})
	ctx := context.Background()
	rec.fail = true
	if err := saga.OnOrderCreated(ctx, o.ID, orders.StatusPending, o.Event); err == nil {
		t.Fatal("no error while the broker is down")
	}
	rec.fail = false
	if err := saga.OnOrderCreated(ctx, o.ID, orders.StatusPending, o.Event); err != nil {
		t.Fatal(err)
	}
	if len(rec.events) != 1 || kind(rec.events[0]) != "payment-approved" {
		t.Fatalf("events = %+v, want the payment once", rec.events)
	}
	// The retry re-sends the step as recorded: same id and same time, not a rebuilt event.
	if first, again := rec.tried[0].Meta, rec.events[0].Meta; again != first {
		t.Fatalf("retried event meta = %+v, first attempt %+v", again, first)
	}
}

func TestSagaSkipsUnknownOrders(t *testing.T) {
	saga, _, rec, _ := sagaFixture(t, []orders.DraftItem{{ProductID: "p", Quantity: "1", Price: "1"}})
	if err := saga.OnOrderCreated(context.Background(), "not-here", orders.StatusPending, orders.EventMeta{EventID: "x"}); err != nil {
		t.Fatal(err)
	}
	if len(rec.events) != 0 {
		t.Fatalf("published %d events for an unknown order", len(rec.events))
	}
}
