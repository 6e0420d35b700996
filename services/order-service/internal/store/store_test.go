package store

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/kafka-polyglot/kafka-polyglot/services/order-service/internal/orders"
)

func sampleOrder(id string) orders.Order {
	now := time.Date(2026, 11, 25, 9, 30, 0, 123456789, time.UTC)
	return orders.Order{
		ID: id, UserID: "u1", Status: orders.StatusPending, Currency: "USD",
		Items: []orders.Item{
			{ProductID: "prod_1", ProductName: "Mug ☕", Quantity: 2, UnitPrice: 2999},
			{ProductID: "prod_2", Quantity: 1, UnitPrice: 4999},
		},
		Total:     10997,
		CreatedAt: now,
		Event:     orders.EventMeta{EventID: "ev", CorrelationID: "corr", CausationID: "cause", TraceParent: "tp", Time: now},
	}
}

func TestOrderRoundTrip(t *testing.T) {
	tests := []struct {
		name string
		path func(t *testing.T) string
	}{
		{name: "memory", path: func(*testing.T) string { return ":memory:" }},
		{name: "file", path: func(t *testing.T) string { return filepath.Join(t.TempDir(), "nested", "orders.db") }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx := context.Background()
			st, err := Open(ctx, tt.path(t))
			if err != nil {
				t.Fatal(err)
			}
			defer st.Close()

			want := sampleOrder("o1")
			created, err := st.CreateOrder(ctx, want)
			if err != nil || !created {
				t.Fatalf("CreateOrder = %v, %v", created, err)
			}
			got, err := st.Order(ctx, "o1")
			if err != nil {
				t.Fatal(err)
			}
			want.History = []orders.Step{{Status: orders.StatusPending, At: want.CreatedAt, EventID: "ev"}}
			if !reflect.DeepEqual(got, want) {
				t.Fatalf("got  %+v\nwant %+v", got, want)
			}

			if err := st.MarkPublished(ctx, "o1"); err != nil {
				t.Fatal(err)
			}
			if got, _ := st.Order(ctx, "o1"); !got.Published {
				t.Fatal("order not marked published")
			}
		})
	}
}

func TestCreateOrderKeepsTheFirst(t *testing.T) {
	ctx := context.Background()
	st, err := Open(ctx, ":memory:")
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	first := sampleOrder("o1")
	if _, err := st.CreateOrder(ctx, first); err != nil {
		t.Fatal(err)
	}
	second := sampleOrder("o1")
	second.Total, second.Items = 1, second.Items[:1]
	created, err := st.CreateOrder(ctx, second)
	if err != nil || created {
		t.Fatalf("second CreateOrder = %v, %v; want not created", created, err)
	}
	got, _ := st.Order(ctx, "o1")
	if got.Total != first.Total || len(got.Items) != 2 {
		t.Fatalf("the second insert changed the order: %+v", got)
	}
}

func TestOrderNotFound(t *testing.T) {
	st, err := Open(context.Background(), ":memory:")
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if _, err := st.Order(context.Background(), "missing"); !errors.Is(err, orders.ErrNotFound) {
		t.Fatalf("err = %v, want ErrNotFound", err)
	}
}

func TestUsers(t *testing.T) {
	ctx := context.Background()
	st, err := Open(ctx, ":memory:")
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if ok, err := st.UserExists(ctx, "u1"); err != nil || ok {
		t.Fatalf("UserExists before save = %v, %v", ok, err)
	}
	for _, name := range []string{"First", "Renamed"} {
		if err := st.SaveUser(ctx, orders.User{ID: "u1", Email: "a@example.com", Name: name}); err != nil {
			t.Fatal(err)
		}
	}
	if ok, err := st.UserExists(ctx, "u1"); err != nil || !ok {
		t.Fatalf("UserExists after save = %v, %v", ok, err)
	}
}

func TestSaveUserLeavesAnUnchangedUserAlone(t *testing.T) {
	ctx := context.Background()
	st, err := Open(ctx, ":memory:")
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	updatedAt := func() string {
		var at string
		if err := st.db.QueryRowContext(ctx, `SELECT updated_at FROM users WHERE user_id = 'u1'`).Scan(&at); err != nil {
			t.Fatal(err)
		}
		return at
	}
	if err := st.SaveUser(ctx, orders.User{ID: "u1", Email: "a@example.com", Name: "First"}); err != nil {
		t.Fatal(err)
	}
	first := updatedAt()
	time.Sleep(2 * time.Millisecond)
	if err := st.SaveUser(ctx, orders.User{ID: "u1", Email: "a@example.com", Name: "First"}); err != nil {
		t.Fatal(err)
	}
	if got := updatedAt(); got != first {
		t.Fatalf("updated_at after saving the same user = %s, want %s (unchanged)", got, first)
	}
	time.Sleep(2 * time.Millisecond)
	if err := st.SaveUser(ctx, orders.User{ID: "u1", Email: "a@example.com", Name: "Renamed"}); err != nil {
		t.Fatal(err)
	}
	var name string
	if err := st.db.QueryRowContext(ctx, `SELECT name FROM users WHERE user_id = 'u1'`).Scan(&name); err != nil || name != "Renamed" {
		t.Fatalf("name after a rename = %q, %v", name, err)
	}
	if got := updatedAt(); got == first {
		t.Fatalf("updated_at after a rename is still %s", got)
	}
}

func TestUnpublishedLookupsUseAnIndex(t *testing.T) {
	ctx := context.Background()
	st, err := Open(ctx, ":memory:")
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	for _, query := range []string{
		`SELECT order_id FROM orders WHERE published_at IS NULL AND created_at < '2026' ORDER BY created_at`,
		`SELECT COUNT(*), MIN(at) FROM order_history WHERE published_at IS NULL`,
	} {
		rows, err := st.db.QueryContext(ctx, "EXPLAIN QUERY PLAN "+query)
		if err != nil {
			t.Fatal(err)
		}
		var plan []string
		for rows.Next() {
			var id, parent, unused int
			var detail string
			if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
				t.Fatal(err)
			}
			plan = append(plan, detail)
		}
		rows.Close()
		joined := strings.Join(plan, "; ")
		if !strings.Contains(joined, "_unpublished") {
			t.Errorf("plan of %q = %q, want a partial index on the unpublished rows, not a scan of the table", query, joined)
		}
	}
}

func TestTransition(t *testing.T) {
	ctx := context.Background()
	st, err := Open(ctx, ":memory:")
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if _, err := st.CreateOrder(ctx, sampleOrder("o1")); err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC)
	tests := []struct {
		name          string
		from, to      orders.Status
		eventID       string
		wantErr       error
		wantStatus    orders.Status
		wantPublished bool
	}{
		{name: "pending to confirmed", from: orders.StatusPending, to: orders.StatusConfirmed, eventID: "pay", wantStatus: orders.StatusConfirmed},
		{name: "the same step again", from: orders.StatusPending, to: orders.StatusConfirmed, eventID: "pay", wantStatus: orders.StatusConfirmed},
		{name: "a stale step", from: orders.StatusPending, to: orders.StatusCancelled, eventID: "cancel", wantErr: orders.ErrStaleTransition},
		{name: "confirmed to shipped", from: orders.StatusConfirmed, to: orders.StatusShipped, eventID: "ship", wantStatus: orders.StatusShipped},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			step, err := st.Transition(ctx, "o1", tt.from, tt.to, tt.eventID, at)
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("err = %v, want %v", err, tt.wantErr)
			}
			if err != nil {
				return
			}
			if step.Status != tt.wantStatus || step.EventID != tt.eventID || step.Published != tt.wantPublished {
				t.Fatalf("step = %+v", step)
			}
		})
	}
	if err := st.MarkStepPublished(ctx, "pay"); err != nil {
		t.Fatal(err)
	}
	if step, _ := st.Transition(ctx, "o1", orders.StatusPending, orders.StatusConfirmed, "pay", at); !step.Published {
		t.Fatal("a published step reads as unpublished")
	}
	o, err := st.Order(ctx, "o1")
	if err != nil {
		t.Fatal(err)
	}
	var got []orders.Status
	for _, s := range o.History {
		got = append(got, s.Status)
	}
	want := []orders.Status{orders.StatusPending, orders.StatusConfirmed, orders.StatusShipped}
	if o.Status != orders.StatusShipped || !reflect.DeepEqual(got, want) {
		t.Fatalf("status %s, history %v; want SHIPPED after %v", o.Status, got, want)
	}
}

// Two instances share one database file: an order one of them stored is seen by the other,
// and when both race the same saga step, exactly one moves the order and the other gets the
// step as stored (no SQLITE_BUSY, no second move).
func TestTwoInstancesShareOneFile(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "shared", "orders.db")
	var stores [2]*Store
	for i := range stores {
		st, err := Open(ctx, path)
		if err != nil {
			t.Fatal(err)
		}
		defer st.Close()
		stores[i] = st
	}
	const n = 40
	for i := range n {
		id := fmt.Sprintf("o%d", i)
		o := sampleOrder(id)
		o.Event.EventID = "created-" + id
		if created, err := stores[i%2].CreateOrder(ctx, o); err != nil || !created {
			t.Fatalf("CreateOrder %s = %v, %v", id, created, err)
		}
	}
	type result struct {
		step orders.Step
		err  error
	}
	results := make(chan result, 2*n)
	at := time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC)
	for _, st := range stores {
		go func() {
			for i := range n {
				id := fmt.Sprintf("o%d", i)
				step, err := st.Transition(ctx, id, orders.StatusPending, orders.StatusConfirmed, "paid-"+id, at)
				results <- result{step, err}
			}
		}()
	}
	for range 2 * n {
		r := <-results
		if r.err != nil {
			t.Fatalf("Transition: %v", r.err)
		}
		if r.step.Status != orders.StatusConfirmed {
			t.Fatalf("step = %+v", r.step)
		}
	}
	for i := range n {
		got, err := stores[(i+1)%2].Order(ctx, fmt.Sprintf("o%d", i))
		if err != nil {
			t.Fatal(err)
		}
		if got.Status != orders.StatusConfirmed || len(got.History) != 2 {
			t.Fatalf("order %s: status %s, %d steps, want CONFIRMED after 2", got.ID, got.Status, len(got.History))
		}
	}
}

// Instances started together open a new shared file at the same moment (up --scale): each must
// get the schema, none may fail with SQLITE_BUSY (seen in the readme suite: "apply schema ...
// database is locked"). Each Store has its own connection, as separate processes have.
func TestInstancesOpeningANewFileTogether(t *testing.T) {
	for round := range 100 {
		path := filepath.Join(t.TempDir(), fmt.Sprintf("orders-%d.db", round))
		const instances = 8
		errs := make(chan error, instances)
		stores := make(chan *Store, instances)
		start := make(chan struct{})
		for range instances {
			go func() {
				<-start
				s, err := Open(context.Background(), path)
				if err != nil {
					errs <- err
					return
				}
				stores <- s
				errs <- nil
			}()
		}
		close(start)
		for range instances {
			if err := <-errs; err != nil {
				t.Fatalf("round %d: %v", round, err)
			}
		}
		close(stores)
		for s := range stores {
			if err := s.SaveUser(context.Background(), orders.User{ID: "u", Email: "u@example.com"}); err != nil {
				t.Fatalf("round %d: write after open: %v", round, err)
			}
			s.Close()
		}
	}
}
