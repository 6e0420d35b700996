package main

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/twmb/franz-go/pkg/kfake"
	"github.com/twmb/franz-go/pkg/kgo"
	"google.golang.org/protobuf/proto"

	commonv1 "github.com/kafka-polyglot/kafka-polyglot/services/order-service/internal/gen/polyglot/common/v1"
	eventsv1 "github.com/kafka-polyglot/kafka-polyglot/services/order-service/internal/gen/polyglot/events/v1"
	"github.com/kafka-polyglot/kafka-polyglot/services/order-service/internal/store"
)

// TestKillNineMidBurst builds the real binary, kills it with SIGKILL while it works through a
// burst of sign-ups, starts it again on the same database, and checks that every sign-up got
// exactly one welcome order: one distinct event per order id, whatever was redelivered.
func TestKillNineMidBurst(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	bin := filepath.Join(t.TempDir(), "order-service")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	cluster, err := kfake.NewCluster(kfake.NumBrokers(1),
		kfake.SeedTopics(3, "user-events", "user-events.dlq", "order-events", "order-events.dlq"))
	if err != nil {
		t.Fatal(err)
	}
	defer cluster.Close()
	dataDir := t.TempDir()
	start := func() *exec.Cmd {
		cmd := exec.Command(bin)
		cmd.Env = append(os.Environ(),
			"KAFKA_BOOTSTRAP_SERVERS="+strings.Join(cluster.ListenAddrs(), ","),
			fmt.Sprintf("HTTP_PORT=%d", freePort(t)),
			"DATA_DIR="+dataDir,
			"LOG_LEVEL=warn",
			"ZIPKIN_ENDPOINT=none",
		)
		cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		return cmd
	}

	feed, err := kgo.NewClient(kgo.SeedBrokers(cluster.ListenAddrs()...))
	if err != nil {
		t.Fatal(err)
	}
	defer feed.Close()
	const burst = 400
	for i := range burst {
		id := uuid.NewString()
		value, _ := proto.Marshal(&eventsv1.UserSignupEvent{
			UserId: fmt.Sprintf("user-%04d", i), EventMetadata: &commonv1.EventMetadata{EventId: id},
		})
		feed.Produce(context.Background(), &kgo.Record{Topic: "user-events", Key: fmt.Appendf(nil, "user-%04d", i), Value: value,
			Headers: []kgo.RecordHeader{{Key: "ce_type", Value: []byte("polyglot.events.v1.UserSignupEvent")}, {Key: "ce_id", Value: []byte(id)}}}, nil)
	}
	if err := feed.Flush(context.Background()); err != nil {
		t.Fatal(err)
	}

	reader, err := kgo.NewClient(kgo.SeedBrokers(cluster.ListenAddrs()...), kgo.ConsumeTopics("order-events"),
		kgo.ConsumeResetOffset(kgo.NewOffset().AtStart()))
	if err != nil {
		t.Fatal(err)
	}
	defer reader.Close()
	// Each order's OrderCreatedEvent and (the saga runs by default) OrderShippedEvent, by ce_id.
	eventOfOrder := map[string]string{}    // order id -> ce_id of its OrderCreatedEvent
	shipmentOfOrder := map[string]string{} // order id -> ce_id of its OrderShippedEvent
	records := 0
	announce := func(seen map[string]string, kind, orderID, eventID string) {
		if prev, ok := seen[orderID]; ok && prev != eventID {
			t.Fatalf("order %s: two %s, %s and %s", orderID, kind, prev, eventID)
		}
		seen[orderID] = eventID
	}
	readUntil := func(what string, done func() bool) {
		t.Helper()
		ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
		defer cancel()
		for !done() {
			fetches := reader.PollFetches(ctx)
			if ctx.Err() != nil {
				t.Fatalf("timed out waiting for %s: %d records, %d orders, %d shipped", what, records, len(eventOfOrder), len(shipmentOfOrder))
			}
			fetches.EachRecord(func(r *kgo.Record) {
				records++
				switch typ := headerValue(r, "ce_type"); typ {
				case "polyglot.events.v1.OrderCreatedEvent":
					var ev eventsv1.OrderCreatedEvent
					if err := proto.Unmarshal(r.Value, &ev); err != nil {
						t.Fatal(err)
					}
					announce(eventOfOrder, "OrderCreatedEvents", ev.GetOrderId(), ev.GetEventMetadata().GetEventId())
				case "polyglot.events.v1.OrderShippedEvent":
					var ev eventsv1.OrderShippedEvent
					if err := proto.Unmarshal(r.Value, &ev); err != nil {
						t.Fatal(err)
					}
					announce(shipmentOfOrder, "OrderShippedEvents", ev.GetOrderId(), ev.GetEventMetadata().GetEventId())
				default:
					t.Fatalf("unexpected %s on order-events for a welcome order", typ)
				}
			})
		}
	}
	first := start()
	readUntil("the first welcome orders", func() bool { return len(eventOfOrder) >= 50 })
	if err := first.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	_ = first.Wait()
	killedAt := len(eventOfOrder)

	second := start()
	readUntil("a welcome order, shipped, for every sign-up", func() bool {
		return len(eventOfOrder) >= burst && len(shipmentOfOrder) >= burst
	})
	if err := second.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	if err := second.Wait(); err != nil {
		t.Fatalf("second run did not stop cleanly: %v", err)
	}
	if len(eventOfOrder) != burst || len(shipmentOfOrder) != burst {
		t.Fatalf("%d welcome orders, %d shipped, for %d sign-ups", len(eventOfOrder), len(shipmentOfOrder), burst)
	}

	// The database agrees with the topic: every announced order is stored, and no stored
	// order waits for its announcement.
	st, err := store.Open(context.Background(), filepath.Join(dataDir, "orders.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	for orderID, eventID := range eventOfOrder {
		o, err := st.Order(context.Background(), orderID)
		if err != nil || o.Event.EventID != eventID || !o.Published || o.Status != "SHIPPED" {
			t.Fatalf("order %s: %+v, %v; want it stored, published, announced by %s, SHIPPED", orderID, o, err, eventID)
		}
	}
	if pending, err := st.UnpublishedOrders(context.Background(), time.Now().Add(time.Hour)); err != nil || len(pending) != 0 {
		t.Fatalf("unpublished orders after the restart: %v, %v", pending, err)
	}
	t.Logf("killed after %d orders; %d records for %d orders and their shipments (%d redelivered with the same id)",
		killedAt, records, burst, records-2*burst)
}

func headerValue(r *kgo.Record, key string) string {
	for _, h := range r.Headers {
		if h.Key == key {
			return string(h.Value)
		}
	}
	return ""
}
