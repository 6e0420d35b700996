//go:build integration

package kafka

// Tests against the real broker that ./polyglot starts (suite go-integration, which sets
// KAFKA_BOOTSTRAP_SERVERS). They run the service's own consumer, producer and HTTP handler
// in-process, in a throw-away consumer group, and read back the exact records written to the
// contract's topics. Everything starts at the end offsets listed before the test produces
// anything (committed for the group, assigned to the readers): a start by timestamp races
// with the first record of an empty partition, and a start at the earliest offset would
// replay every sign-up the broker holds. Each test uses its own user id,
// so records of other runs (or a running order-service, which handles the same sign-up and,
// by design, emits the very same event ids) are told apart by key and group.

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/twmb/franz-go/pkg/kadm"
	"github.com/twmb/franz-go/pkg/kgo"
	"google.golang.org/protobuf/proto"

	eventsv1 "github.com/kafka-polyglot/kafka-polyglot/services/order-service/internal/gen/polyglot/events/v1"
	"github.com/kafka-polyglot/kafka-polyglot/services/order-service/internal/httpapi"
	"github.com/kafka-polyglot/kafka-polyglot/services/order-service/internal/orders"
	"github.com/kafka-polyglot/kafka-polyglot/services/order-service/internal/store"
)

const brokerWait = 60 * time.Second

func brokers(t *testing.T) []string {
	t.Helper()
	v := os.Getenv("KAFKA_BOOTSTRAP_SERVERS")
	if v == "" {
		t.Fatal("KAFKA_BOOTSTRAP_SERVERS is not set: run ./polyglot test --suite go-integration")
	}
	return strings.Split(v, ",")
}

// liveService runs the service's consumer and HTTP API against the real broker.
type liveService struct {
	group string
	ends  kadm.ListedOffsets // of the topics the test reads, before it produced anything
	http  *httptest.Server
}

func startLiveService(t *testing.T) *liveService {
	t.Helper()
	addrs := brokers(t)
	group := "order-service-it-" + uuid.NewString()[:8]
	ends := startGroupAtEnd(t, group)
	st, err := store.Open(context.Background(), ":memory:")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	producer, err := NewProducerClient(addrs, quietLog)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(producer.Close)
	consumer, err := NewConsumerClient(addrs, group, []string{TopicUserEvents}, quietLog)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(consumer.Close)
	svc := orders.NewService(st, NewProducer(producer, "it", nil, testTracing), quietLog, orders.Options{UserWait: 10 * time.Second})
	loop := NewConsumer(consumer, NewDeadLetters(producer, group, nil), svc, nil, quietLog, DefaultRetry, nil, testTracing)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- loop.Run(ctx) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("consumer: %v", err)
		}
	})
	srv := httptest.NewServer(httpapi.NewServer(svc, nil, nil, testTracing, quietLog))
	t.Cleanup(srv.Close)
	return &liveService{group: group, ends: ends, http: srv}
}

// startGroupAtEnd commits the current end offsets of user-events for group and returns the
// end offsets of every topic the tests read.
func startGroupAtEnd(t *testing.T, group string) kadm.ListedOffsets {
	t.Helper()
	cl, err := kgo.NewClient(kgo.SeedBrokers(brokers(t)...))
	if err != nil {
		t.Fatal(err)
	}
	defer cl.Close()
	admin := kadm.NewClient(cl)
	ctx, cancel := context.WithTimeout(context.Background(), brokerWait)
	defer cancel()
	ends, err := admin.ListEndOffsets(ctx, TopicUserEvents, TopicUserEvents+".dlq", TopicOrderEvents)
	if err == nil {
		err = ends.Error()
	}
	if err != nil {
		t.Fatalf("list end offsets: %v", err)
	}
	start := kadm.Offsets{}
	ends.Each(func(o kadm.ListedOffset) {
		if o.Topic == TopicUserEvents {
			start.Add(kadm.Offset{Topic: o.Topic, Partition: o.Partition, At: o.Offset, LeaderEpoch: -1})
		}
	})
	if err := admin.CommitAllOffsets(ctx, group, start); err != nil {
		t.Fatalf("commit start offsets of %s: %v", group, err)
	}
	return ends
}

func produceReal(t *testing.T, r *kgo.Record) *kgo.Record {
	t.Helper()
	cl, err := kgo.NewClient(kgo.SeedBrokers(brokers(t)...))
	if err != nil {
		t.Fatal(err)
	}
	defer cl.Close()
	r.Topic = TopicUserEvents
	ctx, cancel := context.WithTimeout(context.Background(), brokerWait)
	defer cancel()
	if err := cl.ProduceSync(ctx, r).FirstErr(); err != nil {
		t.Fatal(err)
	}
	return r
}

// awaitRecord reads topic from the offsets in from until match accepts a record, for at most
// brokerWait.
func awaitRecord(t *testing.T, topic string, from kadm.ListedOffsets, match func(*kgo.Record) bool) *kgo.Record {
	t.Helper()
	partitions := map[int32]kgo.Offset{}
	from.Each(func(o kadm.ListedOffset) {
		if o.Topic == topic {
			partitions[o.Partition] = kgo.NewOffset().At(o.Offset)
		}
	})
	cl, err := kgo.NewClient(kgo.SeedBrokers(brokers(t)...),
		kgo.ConsumePartitions(map[string]map[int32]kgo.Offset{topic: partitions}))
	if err != nil {
		t.Fatal(err)
	}
	defer cl.Close()
	ctx, cancel := context.WithTimeout(context.Background(), brokerWait)
	defer cancel()
	for {
		fetches := cl.PollFetches(ctx)
		if ctx.Err() != nil {
			t.Fatalf("no matching record on %s within %s", topic, brokerWait)
		}
		for _, r := range fetches.Records() {
			if match(r) {
				return r
			}
		}
	}
}

func TestBrokerSignupThenOrder(t *testing.T) {
	svc := startLiveService(t)
	userID := "it-go-" + uuid.NewString()
	signupID := uuid.NewString()
	produceReal(t, signupRecord(t, signupOpts{userID: userID, eventID: signupID, correlationID: "it-corr-" + signupID}))

	// The welcome order, caused by the sign-up.
	welcome := awaitRecord(t, TopicOrderEvents, svc.ends, func(r *kgo.Record) bool { return string(r.Key) == userID })
	hd := headerMap(welcome)
	if hd[HeaderType] != "polyglot.events.v1.OrderCreatedEvent" || hd[HeaderCausationID] != signupID ||
		hd[HeaderCorrelationID] != "it-corr-"+signupID || hd[HeaderSource] != Source || hd[HeaderSpecVersion] != "1.0" ||
		hd[HeaderContentType] != "application/protobuf" || !traceParentPattern.MatchString(hd[HeaderTraceParent]) {
		t.Fatalf("welcome order headers = %v", hd)
	}
	var ev eventsv1.OrderCreatedEvent
	if err := proto.Unmarshal(welcome.Value, &ev); err != nil {
		t.Fatal(err)
	}
	if ev.GetOrderId() != orders.WelcomeOrderID(signupID) || ev.GetStatus() != eventsv1.OrderStatus_ORDER_STATUS_CONFIRMED ||
		ev.GetEventMetadata().GetEventId() != hd[HeaderID] || ev.GetEventMetadata().GetCausationId() != signupID {
		t.Fatalf("welcome order = %v", &ev)
	}

	// An order over HTTP, with the request's correlation id, as a root event.
	body := fmt.Sprintf(`{"user_id":%q,"items":[{"product_id":"prod_1","quantity":2,"price":29.99},{"product_id":"prod_2","quantity":1,"price":49.99}]}`, userID)
	req, _ := http.NewRequest(http.MethodPost, svc.http.URL+"/api/orders", strings.NewReader(body))
	req.Header.Set("X-Correlation-ID", "it-http-"+signupID)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusCreated {
		t.Fatalf("POST /api/orders = %d", resp.StatusCode)
	}
	orderID := strings.TrimPrefix(resp.Header.Get("Location"), "/api/orders/")
	placed := awaitRecord(t, TopicOrderEvents, svc.ends, func(r *kgo.Record) bool {
		return string(r.Key) == userID && headerMap(r)[HeaderCorrelationID] == "it-http-"+signupID
	})
	hd = headerMap(placed)
	if hd[HeaderCausationID] != "" || hd[HeaderType] != "polyglot.events.v1.OrderCreatedEvent" {
		t.Fatalf("order headers = %v", hd)
	}
	ev.Reset()
	if err := proto.Unmarshal(placed.Value, &ev); err != nil {
		t.Fatal(err)
	}
	m := ev.GetTotalMoney()
	if ev.GetOrderId() != orderID || ev.GetStatus() != eventsv1.OrderStatus_ORDER_STATUS_PENDING ||
		m.GetCurrencyCode() != "USD" || m.GetUnits() != 109 || m.GetNanos() != 970_000_000 || ev.GetTotalAmount() != 109.97 {
		t.Fatalf("order event = %v", &ev)
	}
}

func TestBrokerPoisonRecordToDLQ(t *testing.T) {
	svc := startLiveService(t)
	key := "it-go-poison-" + uuid.NewString()
	rec := signupRecord(t, signupOpts{userID: key, eventID: uuid.NewString(), correlationID: "c"})
	for i := range rec.Headers {
		if rec.Headers[i].Key == HeaderType {
			rec.Headers[i].Value = []byte("polyglot.events.v1.NoSuchEvent")
		}
	}
	sent := produceReal(t, rec)
	dead := awaitRecord(t, TopicUserEvents+".dlq", svc.ends, func(r *kgo.Record) bool {
		return string(r.Key) == key && headerMap(r)["dlq.group"] == svc.group
	})
	hd := headerMap(dead)
	if hd["dlq.reason"] != ReasonUnknownType || hd["dlq.topic"] != TopicUserEvents ||
		hd["dlq.partition"] != fmt.Sprint(sent.Partition) || hd["dlq.offset"] != fmt.Sprint(sent.Offset) ||
		string(dead.Value) != string(sent.Value) || hd[HeaderType] != "polyglot.events.v1.NoSuchEvent" {
		t.Fatalf("dead letter headers = %v", hd)
	}
}
