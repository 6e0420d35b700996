package orders

import "time"

// Status is where an order stands; the names match the OrderStatus enum without its prefix.
type Status string

// The statuses this service sets today. The saga's later steps add to them.
const (
	StatusPending   Status = "PENDING"
	StatusConfirmed Status = "CONFIRMED"
)

// Currency is the only currency orders are taken in.
const Currency = "USD"

// WelcomeProductID is the product of the free order every new user gets.
const WelcomeProductID = "welcome-package"

// Order is a placed order together with the metadata of the OrderCreatedEvent that announces
// it. The event's ids are stored with the order so that a retried publication sends the very
// same event (same ce_id), which consumers can then recognise as a duplicate.
type Order struct {
	ID        string
	UserID    string
	Status    Status
	Currency  string
	Items     []Item
	Total     Amount
	CreatedAt time.Time
	Event     EventMeta
	// Published says whether the broker acknowledged the OrderCreatedEvent.
	Published bool
	// History lists the order's statuses, oldest first (filled when loaded from the store).
	History []Step
}

// Item is one line of an order.
type Item struct {
	ProductID   string
	ProductName string
	Quantity    int64
	UnitPrice   Amount
}

// EventMeta identifies an event and its place in a chain: CorrelationID is shared by the
// whole chain, CausationID is the event id of its cause (empty on a root event) and
// TraceParent is the W3C trace context of the cause, which the produced record continues.
type EventMeta struct {
	EventID       string
	CorrelationID string
	CausationID   string
	TraceParent   string
	Time          time.Time
}

// User is an entry of the service's own directory of users, filled from user-events.
type User struct {
	ID    string
	Email string
	Name  string
}

// Signup is a user's sign-up as read from a UserSignupEvent, with that event's metadata.
type Signup struct {
	User  User
	Event EventMeta
}

// total sums quantity x unit price over the items, exactly.
func total(items []Item) Amount {
	var sum Amount
	for _, it := range items {
		sum += Amount(it.Quantity) * it.UnitPrice
	}
	return sum
}
