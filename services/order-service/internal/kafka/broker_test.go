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
	"maps"
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

// liveService runs the service's consumer (with the saga, as the service runs by default) and
// HTTP API against the real broker.
type liveService struct {
	group string
	ends  kadm.ListedOffsets // of the topics the test reads, before it produced anything
	http  *httptest.Server
	store *store.Store
}

func startLiveService(t *testing.T) *liveService {
	t.Helper()
	group := "order-service-it-" + uuid.NewString()[:8]
	ends := listEnds(t)
	commitStart(t, group, ends)
	st, err := store.Open(context.Background(), ":memory:")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	svc := &liveService{group: group, ends: ends, store: st}
	handler := svc.runConsumer(t, group)
	srv := httptest.NewServer(httpapi.NewServer(handler, nil, nil, testTracing, quietLog))
	t.Cleanup(srv.Close)
	svc.http = srv
	return svc
}

// runConsumer runs the consumer loop and the saga in group on the service's store, until the
// test ends, and returns the orders.Service it feeds.
func (s *liveService) runConsumer(t *testing.T, group string) *orders.Service {
	t.Helper()
	addrs := brokers(t)
	producer, err := NewProducerClient(addrs, quietLog)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(producer.Close)
	consumer, err := NewConsumerClient(addrs, group, []string{TopicUserEvents, TopicOrderEvents}, quietLog)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(consumer.Close)
	out := NewProducer(producer, "it", nil, testTracing)
	svc := orders.NewService(s.store, out, quietLog, orders.Options{UserWait: 10 * time.Second})
	saga := orders.NewSaga(s.store, out, orders.LocalPayments{Limit: 1000_00}, quietLog)
	loop := NewConsumer(consumer, NewDeadLetters(producer, group, nil), svc, saga, quietLog, DefaultRetry, nil, testTracing)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- loop.Run(ctx) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("consumer: %v", err)
		}
	})
	return svc
}

func admin(t *testing.T) *kadm.Client {
	t.Helper()
	cl, err := kgo.NewClient(kgo.SeedBrokers(brokers(t)...))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(cl.Close)
	return kadm.NewClient(cl)
}

// listEnds returns the end offsets of every topic the tests read.
func listEnds(t *testing.T) kadm.ListedOffsets {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), brokerWait)
	defer cancel()
	ends, err := admin(t).ListEndOffsets(ctx, TopicUserEvents, TopicUserEvents+".dlq", TopicOrderEvents)
	if err == nil {
		err = ends.Error()
	}
	if err != nil {
		t.Fatalf("list end offsets: %v", err)
	}
	return ends
}

// commitStart commits, for group, the offsets in from of the topics the service consumes.
func commitStart(t *testing.T, group string, from kadm.ListedOffsets) {
	t.Helper()
	start := kadm.Offsets{}
	from.Each(func(o kadm.ListedOffset) {
		if o.Topic == TopicUserEvents || o.Topic == TopicOrderEvents {
			start.Add(kadm.Offset{Topic: o.Topic, Partition: o.Partition, At: o.Offset, LeaderEpoch: -1})
		}
	})
	ctx, cancel := context.WithTimeout(context.Background(), brokerWait)
	defer cancel()
	if err := admin(t).CommitAllOffsets(ctx, group, start); err != nil {
		t.Fatalf("commit start offsets of %s: %v", group, err)
	}
}

// awaitCommitted waits until group has committed past every record in rs.
func awaitCommitted(t *testing.T, group string, rs ...*kgo.Record) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), brokerWait)
	defer cancel()
	for {
		committed, err := admin(t).FetchOffsets(ctx, group)
		past := err == nil
		for _, r := range rs {
			o, ok := committed.Lookup(r.Topic, r.Partition)
			past = past && ok && o.At > r.Offset
		}
		if past {
			return
		}
		select {
		case <-ctx.Done():
			t.Fatalf("group %s did not commit past %d records within %s (last error: %v)", group, len(rs), brokerWait, err)
		case <-time.After(200 * time.Millisecond):
		}
	}
}

// readAll returns every record of topic from the offsets in from up to the current end.
func readAll(t *testing.T, topic string, from kadm.ListedOffsets) []*kgo.Record {
	t.Helper()
	ends := listEnds(t)
	partitions := map[int32]kgo.Offset{}
	remaining := 0
	from.Each(func(o kadm.ListedOffset) {
		if o.Topic != topic {
			return
		}
		end, _ := ends.Lookup(topic, o.Partition)
		if end.Offset > o.Offset {
			partitions[o.Partition] = kgo.NewOffset().At(o.Offset)
			remaining += int(end.Offset - o.Offset)
		}
	})
	if remaining == 0 {
		return nil
	}
	cl, err := kgo.NewClient(kgo.SeedBrokers(brokers(t)...),
		kgo.ConsumePartitions(map[string]map[int32]kgo.Offset{topic: partitions}))
	if err != nil {
		t.Fatal(err)
	}
	defer cl.Close()
	ctx, cancel := context.WithTimeout(context.Background(), brokerWait)
	defer cancel()
	var out []*kgo.Record
	for {
		fetches := cl.PollFetches(ctx)
		if ctx.Err() != nil {
			t.Fatalf("read %d of the records of %s within %s", len(out), topic, brokerWait)
		}
		fetches.EachRecord(func(r *kgo.Record) {
			if end, _ := ends.Lookup(topic, r.Partition); r.Offset < end.Offset {
				out = append(out, r)
				remaining--
			}
		})
		if remaining <= 0 {
			return out
		}
	}
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

// TestBrokerSagaShipsAnOrder: a posted order walks PENDING -> PaymentProcessedEvent ->
// OrderShippedEvent on the real broker, each step caused by the one before.
func TestBrokerSagaShipsAnOrder(t *testing.T) {
	svc := startLiveService(t)
	userID := "it-go-saga-" + uuid.NewString()
	signupID := uuid.NewString()
	produceReal(t, signupRecord(t, signupOpts{userID: userID, eventID: signupID, correlationID: "it-corr-" + signupID}))
	body := fmt.Sprintf(`{"user_id":%q,"items":[{"product_id":"prod_1","quantity":2,"price":29.99}]}`, userID)
	req, _ := http.NewRequest(http.MethodPost, svc.http.URL+"/api/orders", strings.NewReader(body))
	req.Header.Set("X-Correlation-ID", "it-saga-"+signupID)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusCreated {
		t.Fatalf("POST /api/orders = %d", resp.StatusCode)
	}
	ofOrder := func(typ string) func(*kgo.Record) bool {
		return func(r *kgo.Record) bool {
			hd := headerMap(r)
			return string(r.Key) == userID && hd[HeaderCorrelationID] == "it-saga-"+signupID && hd[HeaderType] == "polyglot.events.v1."+typ
		}
	}
	created := awaitRecord(t, TopicOrderEvents, svc.ends, ofOrder("OrderCreatedEvent"))
	paid := awaitRecord(t, TopicOrderEvents, svc.ends, ofOrder("PaymentProcessedEvent"))
	shipped := awaitRecord(t, TopicOrderEvents, svc.ends, ofOrder("OrderShippedEvent"))
	if c, p := headerMap(created)[HeaderID], headerMap(paid); p[HeaderCausationID] != c || p[HeaderSource] != Source {
		t.Fatalf("PaymentProcessedEvent headers = %v, want caused by %s", p, c)
	}
	if p, s := headerMap(paid)[HeaderID], headerMap(shipped); s[HeaderCausationID] != p {
		t.Fatalf("OrderShippedEvent headers = %v, want caused by %s", s, p)
	}
	var payment eventsv1.PaymentProcessedEvent
	if err := proto.Unmarshal(paid.Value, &payment); err != nil {
		t.Fatal(err)
	}
	if payment.GetStatus() != eventsv1.PaymentStatus_PAYMENT_STATUS_APPROVED || payment.GetAmount().GetUnits() != 59 || payment.GetAmount().GetNanos() != 980_000_000 {
		t.Fatalf("payment = %v", &payment)
	}
}

// TestBrokerReplayCreatesNothing replays user-events and order-events from before a sign-up
// (a second consumer group, started at the offsets the first one started from, on the same
// database) and shows that nothing new is produced: no second welcome order, no second shipment.
func TestBrokerReplayCreatesNothing(t *testing.T) {
	svc := startLiveService(t)
	userID := "it-go-replay-" + uuid.NewString()
	signupID := uuid.NewString()
	signup := produceReal(t, signupRecord(t, signupOpts{userID: userID, eventID: signupID, correlationID: "it-corr-" + signupID}))
	ofUser := func(typ string) func(*kgo.Record) bool {
		return func(r *kgo.Record) bool {
			return string(r.Key) == userID && headerMap(r)[HeaderType] == "polyglot.events.v1."+typ
		}
	}
	awaitRecord(t, TopicOrderEvents, svc.ends, ofUser("OrderCreatedEvent"))
	shipped := awaitRecord(t, TopicOrderEvents, svc.ends, ofUser("OrderShippedEvent"))
	awaitCommitted(t, svc.group, signup, shipped)
	// The user's events by ce_id: a running order-service on the same broker handles the same
	// sign-up too and, by design, writes the very same ids, so records are counted by id.
	idsOfUser := func() map[string]string {
		ids := map[string]string{}
		for _, r := range readAll(t, TopicOrderEvents, svc.ends) {
			if string(r.Key) == userID {
				ids[headerMap(r)[HeaderID]] = headerMap(r)[HeaderType]
			}
		}
		return ids
	}
	before := idsOfUser()
	if len(before) != 2 {
		t.Fatalf("before the replay: %v; want the welcome order and its shipment", before)
	}

	replay := svc.group + "-replay"
	commitStart(t, replay, svc.ends)
	svc.runConsumer(t, replay)
	awaitCommitted(t, replay, signup, shipped)

	if after := idsOfUser(); !maps.Equal(after, before) {
		t.Fatalf("the replay produced new events: before %v, after %v", before, after)
	}
	orders, err := svc.store.OrdersOfUser(context.Background(), userID)
	if err != nil || len(orders) != 1 || orders[0].Status != "SHIPPED" {
		t.Fatalf("orders of the user after the replay: %+v, %v; want one, SHIPPED", orders, err)
	}
}
