package orders

import (
	"context"
	"fmt"
	"log/slog"
	"slices"
	"time"

	"github.com/google/uuid"
)

// Store keeps users and orders. CreateOrder inserts only when no order has that id yet and
// says whether it did, which makes the welcome order idempotent.
type Store interface {
	SaveUser(ctx context.Context, u User) error
	UserExists(ctx context.Context, userID string) (bool, error)
	CreateOrder(ctx context.Context, o Order) (created bool, err error)
	Order(ctx context.Context, orderID string) (Order, error)
	OrdersOfUser(ctx context.Context, userID string) ([]Order, error)
	UnpublishedOrders(ctx context.Context, before time.Time) ([]string, error)
	MarkPublished(ctx context.Context, orderID string) error
}

// Publisher sends an order's OrderCreatedEvent and returns once the broker acknowledged it.
type Publisher interface {
	PublishOrderCreated(ctx context.Context, o Order) error
}

// Origin is where a request comes from: its chain's correlation id and trace context, and
// the client's idempotency key, if it sent one.
type Origin struct {
	CorrelationID  string
	TraceParent    string
	IdempotencyKey string
}

// Options tunes a Service.
type Options struct {
	// UserWait bounds how long PlaceOrder waits for an unknown user's sign-up to arrive.
	UserWait time.Duration
	// PublishTimeout bounds how long PlaceOrder waits for the broker's acknowledgement.
	PublishTimeout time.Duration
	// Now is the clock; time.Now when nil.
	Now func() time.Time
}

// Service places orders and turns sign-ups into welcome orders.
type Service struct {
	store     Store
	publisher Publisher
	log       *slog.Logger
	userWait  time.Duration
	publishTO time.Duration
	now       func() time.Time
	arrivals  *arrivals
}

// NewService builds a Service on its store and publisher.
func NewService(store Store, publisher Publisher, log *slog.Logger, opts Options) *Service {
	now := opts.Now
	if now == nil {
		now = time.Now
	}
	return &Service{
		store:     store,
		publisher: publisher,
		log:       log,
		userWait:  opts.UserWait,
		publishTO: opts.PublishTimeout,
		now:       now,
		arrivals:  newArrivals(),
	}
}

// idNamespace scopes the name-based (v5) UUIDs this service derives: the same sign-up event
// (or the same idempotency key of a user) always yields the same order id and event id, so a
// redelivered sign-up or a retried request creates nothing new.
// markTimeout bounds recording that an acknowledged event was published.
const markTimeout = 5 * time.Second

var idNamespace = uuid.MustParse("4f8a3c2e-6d1b-5e7a-9c0d-2b3e4f5a6b7c")

// WelcomeOrderID is the id of the welcome order caused by the sign-up event signupEventID.
func WelcomeOrderID(signupEventID string) string {
	return uuid.NewSHA1(idNamespace, []byte("welcome-order/"+signupEventID)).String()
}

func orderCreatedEventID(orderID string) string {
	return uuid.NewSHA1(idNamespace, []byte("order-created/"+orderID)).String()
}

// PlaceOrder validates a draft, waits (bounded) for its user to be known, stores the order as
// PENDING and publishes its OrderCreatedEvent. The order is returned only after the broker's
// acknowledgement; when that does not come within the publish timeout, the stored order is
// returned with ErrNotPublished, and RepublishPending announces it later.
//
// With an idempotency key the order id (and its event id) derive from the user and the key,
// so a retried request finds the order of its first attempt: it gets that order back (and
// publishes it, if the first attempt could not), never a second one.
func (s *Service) PlaceOrder(ctx context.Context, d Draft, origin Origin) (Order, error) {
	items, err := d.Validate()
	if err != nil {
		return Order{}, err
	}
	known, err := s.awaitUser(ctx, d.UserID)
	if err != nil {
		return Order{}, err
	}
	if !known {
		return Order{}, fmt.Errorf("user %s: %w", d.UserID, ErrUnknownUser)
	}
	now := s.now().UTC()
	o := Order{
		ID:        uuid.NewString(),
		UserID:    d.UserID,
		Status:    StatusPending,
		Currency:  Currency,
		Items:     items,
		Total:     total(items),
		CreatedAt: now,
		Event: EventMeta{
			EventID:       uuid.NewString(),
			CorrelationID: origin.CorrelationID,
			TraceParent:   origin.TraceParent,
			Time:          now,
		},
	}
	if origin.IdempotencyKey != "" {
		o.ID = uuid.NewSHA1(idNamespace, []byte("idempotency/"+d.UserID+"/"+origin.IdempotencyKey)).String()
		o.Event.EventID = orderCreatedEventID(o.ID)
	}
	created, err := s.store.CreateOrder(ctx, o)
	if err != nil {
		return Order{}, fmt.Errorf("store order %s: %w", o.ID, err)
	}
	if !created {
		first, err := s.store.Order(ctx, o.ID)
		if err != nil {
			return Order{}, fmt.Errorf("load order %s: %w", o.ID, err)
		}
		if !slices.Equal(first.Items, o.Items) {
			return Order{}, fmt.Errorf("idempotency key %q: %w", origin.IdempotencyKey, ErrIdempotencyMismatch)
		}
		if first.Published {
			return first, nil
		}
		o = first
	}
	publishCtx, cancel := ctx, context.CancelFunc(func() {})
	if s.publishTO > 0 {
		publishCtx, cancel = context.WithTimeout(ctx, s.publishTO)
	}
	defer cancel()
	if err := s.publish(publishCtx, &o); err != nil {
		return o, err
	}
	return o, nil
}

// RepublishPending publishes the OrderCreatedEvent of every order stored before the given
// age that was never acknowledged: an order whose request hit a broker outage, or whose
// process was killed between the insert and the ack. The event keeps its stored id, so
// consumers that saw an earlier attempt recognise it.
func (s *Service) RepublishPending(ctx context.Context, age time.Duration) (int, error) {
	ids, err := s.store.UnpublishedOrders(ctx, s.now().Add(-age))
	if err != nil {
		return 0, err
	}
	for i, id := range ids {
		o, err := s.store.Order(ctx, id)
		if err != nil {
			return i, err
		}
		if err := s.publish(ctx, &o); err != nil {
			return i, err
		}
	}
	return len(ids), nil
}

// RunRelay calls RepublishPending every interval until ctx ends.
func (s *Service) RunRelay(ctx context.Context, interval, age time.Duration) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		if n, err := s.RepublishPending(ctx, age); err != nil && ctx.Err() == nil {
			s.log.WarnContext(ctx, "relay of unpublished orders failed", "err", err)
		} else if n > 0 {
			s.log.InfoContext(ctx, "relayed unpublished orders", "count", n)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// Order returns the order with that id, or ErrNotFound.
func (s *Service) Order(ctx context.Context, orderID string) (Order, error) {
	return s.store.Order(ctx, orderID)
}

// OrdersOfUser returns every order of userID, oldest first.
func (s *Service) OrdersOfUser(ctx context.Context, userID string) ([]Order, error) {
	return s.store.OrdersOfUser(ctx, userID)
}

// HandleUserSignup records the user in the directory, wakes the requests waiting for them and
// creates their free welcome order exactly once: its id derives from the sign-up's event id,
// so a redelivered sign-up finds the order already there and only publishes it again if the
// first attempt was never acknowledged. duplicate says that the sign-up had been handled
// before (its welcome order existed and was announced).
func (s *Service) HandleUserSignup(ctx context.Context, su Signup) (duplicate bool, err error) {
	if err := s.store.SaveUser(ctx, su.User); err != nil {
		return false, fmt.Errorf("save user %s: %w", su.User.ID, err)
	}
	s.arrivals.announce(su.User.ID)

	now := s.now().UTC()
	id := WelcomeOrderID(su.Event.EventID)
	items := []Item{{ProductID: WelcomeProductID, ProductName: "Welcome package", Quantity: 1, UnitPrice: 0}}
	o := Order{
		ID:        id,
		UserID:    su.User.ID,
		Status:    StatusConfirmed,
		Currency:  Currency,
		Items:     items,
		Total:     total(items),
		CreatedAt: now,
		Event: EventMeta{
			EventID:       orderCreatedEventID(id),
			CorrelationID: su.Event.CorrelationID,
			CausationID:   su.Event.EventID,
			TraceParent:   su.Event.TraceParent,
			Time:          now,
		},
	}
	created, err := s.store.CreateOrder(ctx, o)
	if err != nil {
		return false, fmt.Errorf("store welcome order %s: %w", id, err)
	}
	if !created {
		if o, err = s.store.Order(ctx, id); err != nil {
			return false, fmt.Errorf("load welcome order %s: %w", id, err)
		}
		if o.Published {
			s.log.InfoContext(ctx, "welcome order already created", "order_id", id, "user_id", o.UserID,
				"correlation_id", o.Event.CorrelationID)
			return true, nil
		}
	}
	return false, s.publish(ctx, &o)
}

// RememberUser records a user in the directory and wakes the requests waiting for them.
func (s *Service) RememberUser(ctx context.Context, u User) error {
	return s.HandleUserUpdate(ctx, u)
}

// HandleUserUpdate keeps the directory's copy of a user current.
func (s *Service) HandleUserUpdate(ctx context.Context, u User) error {
	if err := s.store.SaveUser(ctx, u); err != nil {
		return fmt.Errorf("save user %s: %w", u.ID, err)
	}
	s.arrivals.announce(u.ID)
	return nil
}

func (s *Service) publish(ctx context.Context, o *Order) error {
	if err := s.publisher.PublishOrderCreated(ctx, asCreated(*o)); err != nil {
		return fmt.Errorf("publish order %s: %w: %w", o.ID, ErrNotPublished, err)
	}
	// The broker has the event now, so the order is announced whatever follows: marking it is
	// bookkeeping, done on its own deadline rather than what the acknowledgement left of the
	// publish timeout. Left unmarked, RepublishPending announces it again under the same event
	// id, which consumers recognise.
	markCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), markTimeout)
	defer cancel()
	if err := s.store.MarkPublished(markCtx, o.ID); err != nil {
		s.log.WarnContext(ctx, "order published, not marked yet: it will be announced again", "order_id", o.ID,
			"event_id", o.Event.EventID, "correlation_id", o.Event.CorrelationID, "err", err)
	} else {
		o.Published = true
	}
	s.log.InfoContext(ctx, "order created", "order_id", o.ID, "user_id", o.UserID, "status", string(o.Status),
		"total", o.Total.String(), "event_id", o.Event.EventID, "correlation_id", o.Event.CorrelationID)
	return nil
}

// awaitUser reports whether userID is known, waiting up to the configured bound for its
// sign-up to arrive. Subscribing before the lookup closes the gap in which the sign-up could
// land between a negative lookup and the start of the wait; the periodic lookup also sees a
// sign-up stored by another Service on the same database.
func (s *Service) awaitUser(ctx context.Context, userID string) (bool, error) {
	arrived, cancel := s.arrivals.subscribe(userID)
	defer cancel()
	known, err := s.store.UserExists(ctx, userID)
	if err != nil || known || s.userWait <= 0 {
		return known, err
	}
	timer := time.NewTimer(s.userWait)
	defer timer.Stop()
	recheck := time.NewTicker(250 * time.Millisecond)
	defer recheck.Stop()
	for {
		select {
		case <-arrived:
			return true, nil
		case <-recheck.C:
			if known, err := s.store.UserExists(ctx, userID); err != nil || known {
				return known, err
			}
		case <-timer.C:
			return s.store.UserExists(ctx, userID)
		case <-ctx.Done():
			return false, ctx.Err()
		}
	}
}

// asCreated is the order as its OrderCreatedEvent announced it first. An announcement sent
// again (the relay, a redelivered sign-up, a retried request) may find an order the saga has
// moved on since, on this or another instance; it still says the status the order was
// created with, so every copy of the event is the same event.
func asCreated(o Order) Order {
	for _, st := range o.History {
		if st.EventID == o.Event.EventID {
			o.Status = st.Status
			break
		}
	}
	return o
}
