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
	"github.com/twmb/franz-go/pkg/kadm"
	"github.com/twmb/franz-go/pkg/kfake"
	"github.com/twmb/franz-go/pkg/kgo"
	"google.golang.org/protobuf/proto"

	commonv1 "github.com/kafka-polyglot/kafka-polyglot/services/order-service/internal/gen/polyglot/common/v1"
	eventsv1 "github.com/kafka-polyglot/kafka-polyglot/services/order-service/internal/gen/polyglot/events/v1"
	"github.com/kafka-polyglot/kafka-polyglot/services/order-service/internal/kafka"
	"github.com/kafka-polyglot/kafka-polyglot/services/order-service/internal/kafkatest"
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
	next := map[int32]int64{} // partition of order-events -> the offset after the last record read
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
				next[r.Partition] = r.Offset + 1
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
	// Every order is announced and shipped; a redelivered record may still be in hand. Once the
	// group has committed past every record of both topics, each was handled (its events are
	// out before its offset is committed), so after the stop the topic holds all there will be:
	// read it to its end, so that a late second event of an order is seen, not missed.
	awaitDrained(t, cluster.ListenAddrs(), kafka.Group, 90*time.Second, "user-events", "order-events")
	if err := second.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	if err := second.Wait(); err != nil {
		t.Fatalf("second run did not stop cleanly: %v", err)
	}
	ends := endOffsets(t, cluster.ListenAddrs(), "order-events")
	readUntil("every record on order-events", func() bool {
		done := true
		ends.Each(func(o kadm.ListedOffset) { done = done && next[o.Partition] >= o.Offset })
		return done
	})
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

// endOffsets lists the end offsets of topic.
func endOffsets(t *testing.T, addrs []string, topic string) kadm.ListedOffsets {
	t.Helper()
	cl, err := kgo.NewClient(kgo.SeedBrokers(addrs...))
	if err != nil {
		t.Fatal(err)
	}
	defer cl.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	ends, err := kadm.NewClient(cl).ListEndOffsets(ctx, topic)
	if err == nil {
		err = ends.Error()
	}
	if err != nil {
		t.Fatalf("end offsets of %s: %v", topic, err)
	}
	return ends
}

// awaitDrained waits, for at most bound, until group has committed every record of topics
// (its consumer lag is 0). The committed offsets are fetched before the end offsets, so at
// that moment every record on the topics had been handled.
func awaitDrained(t *testing.T, addrs []string, group string, bound time.Duration, topics ...string) {
	t.Helper()
	cl, err := kgo.NewClient(kgo.SeedBrokers(addrs...))
	if err != nil {
		t.Fatal(err)
	}
	defer cl.Close()
	adm := kadm.NewClient(cl)
	deadline := time.Now().Add(bound)
	for {
		lag, err := func() (int64, error) {
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			return kafkatest.Lag(ctx, adm, group, topics...)
		}()
		if err == nil && lag == 0 {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("group %s has not committed every record of %v within %s: lag %d, last error %v", group, topics, bound, lag, err)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

func headerValue(r *kgo.Record, key string) string {
	for _, h := range r.Headers {
		if h.Key == key {
			return string(h.Value)
		}
	}
	return ""
}
