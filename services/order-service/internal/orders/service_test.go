package orders_test

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"sync"
	"testing"
	"time"

	"github.com/kafka-polyglot/kafka-polyglot/services/order-service/internal/orders"
	"github.com/kafka-polyglot/kafka-polyglot/services/order-service/internal/store"
)

// recordingPublisher is a fake Publisher that keeps what it was asked to publish and fails
// while failing is set.
type recordingPublisher struct {
	mu        sync.Mutex
	published []orders.Order
	failing   bool
	// lateAck makes the broker's acknowledgement arrive only as the publish deadline passes.
	lateAck bool
}

func (p *recordingPublisher) PublishOrderCreated(ctx context.Context, o orders.Order) error {
	if p.lateAck {
		<-ctx.Done()
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.failing {
		return errors.New("broker unavailable")
	}
	p.published = append(p.published, o)
	return nil
}

func (p *recordingPublisher) orders() []orders.Order {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]orders.Order(nil), p.published...)
}

func newService(t *testing.T, userWait time.Duration) (*orders.Service, *store.Store, *recordingPublisher) {
	t.Helper()
	st, err := store.Open(context.Background(), ":memory:")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	pub := &recordingPublisher{}
	log := slog.New(slog.NewJSONHandler(io.Discard, nil))
	return orders.NewService(st, pub, log, orders.Options{UserWait: userWait}), st, pub
}

func signup(userID, eventID string) orders.Signup {
	return orders.Signup{
		User:  orders.User{ID: userID, Email: userID + "@example.com", Name: "Demo"},
		Event: orders.EventMeta{EventID: eventID, CorrelationID: "corr-" + eventID},
	}
}

func demoDraft(userID string) orders.Draft {
	return orders.Draft{UserID: userID, Items: []orders.DraftItem{
		{ProductID: "prod_1", Quantity: "2", Price: "29.99"},
		{ProductID: "prod_2", Quantity: "1", Price: "49.99"},
	}}
}

func TestPlaceOrderPublishesExactTotal(t *testing.T) {
	svc, _, pub := newService(t, 0)
	ctx := context.Background()
	if _, err := svc.HandleUserSignup(ctx, signup("u1", "ev-1")); err != nil {
		t.Fatal(err)
	}
	o, err := svc.PlaceOrder(ctx, demoDraft("u1"), orders.Origin{CorrelationID: "corr-http"})
	if err != nil {
		t.Fatal(err)
	}
	if o.Total.String() != "109.97" || o.Status != orders.StatusPending || o.Currency != "USD" || !o.Published {
		t.Fatalf("order = %+v", o)
	}
	got := pub.orders()
	if len(got) != 2 || got[1].ID != o.ID {
		t.Fatalf("published %d events, want the welcome order then %s", len(got), o.ID)
	}
	ev := got[1].Event
	if ev.CorrelationID != "corr-http" || ev.CausationID != "" || ev.EventID == "" {
		t.Fatalf("event metadata = %+v, want the request's correlation id and no causation", ev)
	}
	stored, err := svc.Order(ctx, o.ID)
	if err != nil {
		t.Fatal(err)
	}
	if stored.Total != o.Total || len(stored.Items) != 2 || stored.Items[0].UnitPrice != 2999 || !stored.Published {
		t.Fatalf("stored = %+v", stored)
	}
}

func TestPlaceOrderUnknownUser(t *testing.T) {
	svc, _, pub := newService(t, 50*time.Millisecond)
	_, err := svc.PlaceOrder(context.Background(), demoDraft("nobody"), orders.Origin{})
	if !errors.Is(err, orders.ErrUnknownUser) {
		t.Fatalf("err = %v, want ErrUnknownUser", err)
	}
	if len(pub.orders()) != 0 {
		t.Fatal("published an order for an unknown user")
	}
}

// missTelling is the store, telling on missed each lookup of a user that found nobody: the
// signal that a PlaceOrder has passed the point where it must wait for the sign-up.
type missTelling struct {
	*store.Store
	missed chan string
}

func newMissTelling(st *store.Store) *missTelling {
	return &missTelling{Store: st, missed: make(chan string, 1)}
}

func (m *missTelling) UserExists(ctx context.Context, userID string) (bool, error) {
	known, err := m.Store.UserExists(ctx, userID)
	if err == nil && !known {
		select {
		case m.missed <- userID:
		default:
		}
	}
	return known, err
}

// awaitMiss waits until PlaceOrder looked its user up and found nobody; done must not have
// answered before.
func awaitMiss[R any](t *testing.T, m *missTelling, done <-chan R) {
	t.Helper()
	select {
	case <-m.missed:
	case r := <-done:
		t.Fatalf("PlaceOrder returned before it looked its user up: %+v", r)
	case <-time.After(5 * time.Second):
		t.Fatal("PlaceOrder did not look its user up within 5 s")
	}
}

func TestPlaceOrderWaitsForTheSignup(t *testing.T) {
	_, st, _ := newService(t, 0)
	lookups := newMissTelling(st)
	svc := orders.NewService(lookups, &recordingPublisher{}, slog.New(slog.NewJSONHandler(io.Discard, nil)), orders.Options{UserWait: 10 * time.Second})
	ctx := context.Background()
	type result struct {
		o   orders.Order
		err error
	}
	done := make(chan result, 1)
	go func() {
		o, err := svc.PlaceOrder(ctx, demoDraft("late"), orders.Origin{})
		done <- result{o, err}
	}()
	// Not a pause: PlaceOrder has found the user unknown, so the sign-up below arrives while it
	// waits (an answer without waiting, ErrUnknownUser, is caught here or below).
	awaitMiss(t, lookups, done)
	select {
	case r := <-done:
		t.Fatalf("PlaceOrder returned before the sign-up arrived: %+v, %v", r.o, r.err)
	default:
	}
	if _, err := svc.HandleUserSignup(ctx, signup("late", "ev-late")); err != nil {
		t.Fatal(err)
	}
	select {
	case r := <-done:
		if r.err != nil {
			t.Fatalf("PlaceOrder after the sign-up: %v", r.err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("PlaceOrder still waiting 5 s after the sign-up arrived")
	}
}

func TestPlaceOrderRejectsInvalidDraft(t *testing.T) {
	svc, _, _ := newService(t, 0)
	_, err := svc.PlaceOrder(context.Background(), orders.Draft{UserID: "u1"}, orders.Origin{})
	var verr *orders.ValidationError
	if !errors.As(err, &verr) || verr.Errors[0].Field != "items" {
		t.Fatalf("err = %v, want a validation error on items", err)
	}
}

func TestWelcomeOrderExactlyOncePerSignup(t *testing.T) {
	svc, _, pub := newService(t, 0)
	ctx := context.Background()
	su := signup("u1", "ev-1")
	for i := range 3 {
		duplicate, err := svc.HandleUserSignup(ctx, su)
		if err != nil {
			t.Fatal(err)
		}
		if duplicate != (i > 0) {
			t.Fatalf("delivery %d: duplicate = %v", i+1, duplicate)
		}
	}
	got := pub.orders()
	if len(got) != 1 {
		t.Fatalf("published %d welcome orders for one sign-up, want 1", len(got))
	}
	o := got[0]
	if o.ID != orders.WelcomeOrderID("ev-1") || o.Status != orders.StatusConfirmed || o.Total != 0 ||
		len(o.Items) != 1 || o.Items[0].ProductID != orders.WelcomeProductID {
		t.Fatalf("welcome order = %+v", o)
	}
	if o.Event.CorrelationID != "corr-ev-1" || o.Event.CausationID != "ev-1" {
		t.Fatalf("welcome event = %+v, want the sign-up's correlation id and its event id as cause", o.Event)
	}

	// A second sign-up event (another user) gets its own welcome order.
	if _, err := svc.HandleUserSignup(ctx, signup("u2", "ev-2")); err != nil {
		t.Fatal(err)
	}
	if n := len(pub.orders()); n != 2 {
		t.Fatalf("published %d orders after two sign-ups, want 2", n)
	}
}

func TestWelcomeOrderRepublishedWhenFirstPublishFailed(t *testing.T) {
	svc, st, pub := newService(t, 0)
	ctx := context.Background()
	su := signup("u1", "ev-1")
	pub.failing = true
	if _, err := svc.HandleUserSignup(ctx, su); !errors.Is(err, orders.ErrNotPublished) {
		t.Fatalf("err = %v, want ErrNotPublished", err)
	}
	stored, err := st.Order(ctx, orders.WelcomeOrderID("ev-1"))
	if err != nil || stored.Published {
		t.Fatalf("stored = %+v, %v; want an unpublished welcome order", stored, err)
	}
	pub.failing = false
	if _, err := svc.HandleUserSignup(ctx, su); err != nil {
		t.Fatal(err)
	}
	got := pub.orders()
	if len(got) != 1 || got[0].Event.EventID != stored.Event.EventID {
		t.Fatalf("published %+v, want the stored event once", got)
	}
}

func TestRelayPublishesWhatTheBrokerMissed(t *testing.T) {
	svc, _, pub := newService(t, 0)
	ctx := context.Background()
	if _, err := svc.HandleUserSignup(ctx, signup("u1", "ev-1")); err != nil {
		t.Fatal(err)
	}
	pub.failing = true
	o, err := svc.PlaceOrder(ctx, demoDraft("u1"), orders.Origin{})
	if !errors.Is(err, orders.ErrNotPublished) || o.ID == "" {
		t.Fatalf("PlaceOrder = %+v, %v; want the stored order and ErrNotPublished", o, err)
	}
	if n, err := svc.RepublishPending(ctx, 0); err == nil || n != 0 {
		t.Fatalf("relay while the broker is down = %d, %v; want an error", n, err)
	}
	pub.failing = false
	if n, err := svc.RepublishPending(ctx, time.Hour); err != nil || n != 0 {
		t.Fatalf("relay of orders older than an hour = %d, %v; want none", n, err)
	}
	if n, err := svc.RepublishPending(ctx, 0); err != nil || n != 1 {
		t.Fatalf("relay = %d, %v; want 1", n, err)
	}
	if n, err := svc.RepublishPending(ctx, 0); err != nil || n != 0 {
		t.Fatalf("second relay = %d, %v; want 0", n, err)
	}
	got := pub.orders()
	if last := got[len(got)-1]; last.ID != o.ID || last.Event.EventID != o.Event.EventID {
		t.Fatalf("relayed %+v, want order %s with its stored event id", last, o.ID)
	}
}

func TestPlaceOrderSeesASignupStoredByAnotherService(t *testing.T) {
	_, st, _ := newService(t, 0)
	lookups := newMissTelling(st)
	waiting := orders.NewService(lookups, &recordingPublisher{}, slog.New(slog.NewJSONHandler(io.Discard, nil)), orders.Options{UserWait: 10 * time.Second})
	other := orders.NewService(st, &recordingPublisher{}, slog.New(slog.NewJSONHandler(io.Discard, nil)), orders.Options{})
	done := make(chan error, 1)
	go func() {
		_, err := waiting.PlaceOrder(context.Background(), demoDraft("shared"), orders.Origin{})
		done <- err
	}()
	// The user is stored only once PlaceOrder found them unknown: it must see them by its own
	// lookups, the other Service's arrival reaching no waiter of its own.
	awaitMiss(t, lookups, done)
	if _, err := other.HandleUserSignup(context.Background(), signup("shared", "ev-shared")); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("PlaceOrder: %v", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("PlaceOrder did not see the user another Service stored within 5 s")
	}
}

// A kill between the broker's ack and the mark leaves an announced order unmarked; by the
// time the relay (maybe another instance's) sends it again, the saga has moved the order on.
// The copy must still announce the status the order was created with.
func TestRelayAnnouncesTheCreatedStatus(t *testing.T) {
	svc, st, pub := newService(t, 0)
	ctx := context.Background()
	pub.failing = true
	if _, err := svc.HandleUserSignup(ctx, signup("u1", "ev-1")); !errors.Is(err, orders.ErrNotPublished) {
		t.Fatalf("err = %v, want ErrNotPublished", err)
	}
	pub.failing = false
	id := orders.WelcomeOrderID("ev-1")
	if _, err := st.Transition(ctx, id, orders.StatusConfirmed, orders.StatusShipped, "shipped-1", time.Now()); err != nil {
		t.Fatal(err)
	}
	if n, err := svc.RepublishPending(ctx, 0); err != nil || n != 1 {
		t.Fatalf("relay = %d, %v; want 1", n, err)
	}
	got := pub.orders()
	if len(got) != 1 || got[0].ID != id || got[0].Status != orders.StatusConfirmed {
		t.Fatalf("relayed %+v, want the welcome order as CONFIRMED", got)
	}
}

// An acknowledgement that comes as the publish deadline passes still announced the order: the
// request must not fail on marking it (it once answered 500 while the broker was being killed).
func TestPlaceOrderAcknowledgedAtTheDeadlineIsCreated(t *testing.T) {
	st, err := store.Open(context.Background(), ":memory:")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	pub := &recordingPublisher{}
	svc := orders.NewService(st, pub, slog.New(slog.NewJSONHandler(io.Discard, nil)), orders.Options{PublishTimeout: 20 * time.Millisecond})
	ctx := context.Background()
	if _, err := svc.HandleUserSignup(ctx, signup("u1", "ev-1")); err != nil {
		t.Fatal(err)
	}
	pub.lateAck = true
	o, err := svc.PlaceOrder(ctx, demoDraft("u1"), orders.Origin{})
	if err != nil || !o.Published {
		t.Fatalf("PlaceOrder = %+v, %v; want the order created and marked published", o, err)
	}
	if stored, err := st.Order(ctx, o.ID); err != nil || !stored.Published {
		t.Fatalf("stored = %+v, %v; want it marked published", stored, err)
	}
	if n, err := svc.RepublishPending(ctx, 0); err != nil || n != 0 {
		t.Fatalf("relay = %d, %v; want nothing left to announce", n, err)
	}
}
