package kafka

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http/httptest"
	"os"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/twmb/franz-go/pkg/kadm"
	"github.com/twmb/franz-go/pkg/kfake"
	"github.com/twmb/franz-go/pkg/kgo"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
	"go.opentelemetry.io/otel/trace"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/known/timestamppb"

	commonv1 "github.com/kafka-polyglot/kafka-polyglot/services/order-service/internal/gen/polyglot/common/v1"
	eventsv1 "github.com/kafka-polyglot/kafka-polyglot/services/order-service/internal/gen/polyglot/events/v1"
	"github.com/kafka-polyglot/kafka-polyglot/services/order-service/internal/kafkatest"
	"github.com/kafka-polyglot/kafka-polyglot/services/order-service/internal/metrics"
	"github.com/kafka-polyglot/kafka-polyglot/services/order-service/internal/orders"
	"github.com/kafka-polyglot/kafka-polyglot/services/order-service/internal/store"
)

// waitFor bounds every wait on the fake broker.
const waitFor = 20 * time.Second

// testTracing makes real span ids and exports nothing.
var testTracing = sdktrace.NewTracerProvider()

var traceParentPattern = regexp.MustCompile(`^00-[0-9a-f]{32}-[0-9a-f]{16}-01$`)

var quietLog = slog.New(slog.NewJSONHandler(os.Stderr, nil))

// harness is an in-process broker (kfake) with the contract's topics, and the service's
// store; start runs the real consumer and producer against them.
type harness struct {
	t     *testing.T
	addrs []string
	store *store.Store
	admin *kadm.Client
	feed  *kgo.Client // writes test records to user-events, all on partition 0 to keep their order
	// metrics are what the consumers started by the harness count.
	metrics *metrics.Metrics
	// tracing makes the spans of the consumers started afterwards.
	tracing *sdktrace.TracerProvider
}

func newHarness(t *testing.T) *harness {
	t.Helper()
	cluster, err := kfake.NewCluster(kfake.NumBrokers(1),
		kfake.SeedTopics(3, TopicUserEvents, TopicUserEvents+".dlq", TopicOrderEvents, TopicOrderEvents+".dlq"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(cluster.Close)
	st, err := store.Open(context.Background(), ":memory:")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	h := &harness{t: t, addrs: cluster.ListenAddrs(), store: st, metrics: metrics.New(nil), tracing: testTracing}
	h.feed = h.client(kgo.RecordPartitioner(kgo.ManualPartitioner()), kgo.ProducerBatchMaxBytes(2<<20))
	admin := h.client()
	h.admin = kadm.NewClient(admin)
	return h
}

func (h *harness) client(opts ...kgo.Opt) *kgo.Client {
	h.t.Helper()
	cl, err := kgo.NewClient(append([]kgo.Opt{kgo.SeedBrokers(h.addrs...)}, opts...)...)
	if err != nil {
		h.t.Fatal(err)
	}
	h.t.Cleanup(cl.Close)
	return cl
}

// start runs a consumer in group with handler (the real Service when nil) until the returned
// stop is called; stop waits for the loop to end and its offsets to be committed.
func (h *harness) start(group string, handler Handler, retry Retry) (stop func()) {
	return h.startWith(group, handler, false, retry)
}

// startWith runs the consumer like start; withSaga adds order-events and the real Saga.
func (h *harness) startWith(group string, handler Handler, withSaga bool, retry Retry) (stop func()) {
	h.t.Helper()
	producer, err := NewProducerClient(h.addrs, quietLog)
	if err != nil {
		h.t.Fatal(err)
	}
	topics := []string{TopicUserEvents}
	var saga SagaHandler
	if withSaga {
		topics = append(topics, TopicOrderEvents)
		saga = orders.NewSaga(h.store, NewProducer(producer, "test", nil, h.tracing), orders.LocalPayments{Limit: 100_00}, quietLog)
	}
	consumer, err := NewConsumerClient(h.addrs, group, topics, quietLog)
	if err != nil {
		h.t.Fatal(err)
	}
	if handler == nil {
		handler = orders.NewService(h.store, NewProducer(producer, "test", h.metrics, h.tracing), quietLog, orders.Options{})
	}
	loop := NewConsumer(consumer, NewDeadLetters(producer, group, h.metrics), handler, saga, quietLog, retry, h.metrics, h.tracing)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- loop.Run(ctx) }()
	var once sync.Once
	stop = func() {
		once.Do(func() {
			cancel()
			if err := <-done; err != nil {
				h.t.Errorf("consumer: %v", err)
			}
			consumer.Close()
			producer.Close()
		})
	}
	h.t.Cleanup(stop)
	return stop
}

// produce writes a record to user-events partition 0 and waits for the ack.
func (h *harness) produce(r *kgo.Record) *kgo.Record {
	h.t.Helper()
	r.Topic, r.Partition = TopicUserEvents, 0
	if err := h.feed.ProduceSync(context.Background(), r).FirstErr(); err != nil {
		h.t.Fatal(err)
	}
	return r
}

// read returns the first n records of topic (all partitions), failing after waitFor.
func (h *harness) read(topic string, n int) []*kgo.Record {
	h.t.Helper()
	cl := h.client(kgo.ConsumeTopics(topic), kgo.ConsumeResetOffset(kgo.NewOffset().AtStart()))
	defer cl.Close()
	ctx, cancel := context.WithTimeout(context.Background(), waitFor)
	defer cancel()
	var out []*kgo.Record
	for len(out) < n {
		fetches := cl.PollFetches(ctx)
		if ctx.Err() != nil {
			h.t.Fatalf("read %d of %d records from %s within %s", len(out), n, topic, waitFor)
		}
		out = append(out, fetches.Records()...)
	}
	return out
}

// count is the number of records in topic (its end offsets; no transactions, no compaction).
func (h *harness) count(topic string) int64 {
	h.t.Helper()
	ends, err := h.admin.ListEndOffsets(context.Background(), topic)
	if err != nil {
		h.t.Fatal(err)
	}
	var n int64
	ends.Each(func(o kadm.ListedOffset) { n += o.Offset })
	return n
}

// lag is how many records of topics group has not committed yet (kafkatest.Lag), bounded by waitFor.
func (h *harness) lag(group string, topics ...string) (int64, error) {
	ctx, cancel := context.WithTimeout(context.Background(), waitFor)
	defer cancel()
	return kafkatest.Lag(ctx, h.admin, group, topics...)
}

// awaitDrained waits, for at most waitFor, until group has committed every record of topics
// (its consumer lag is 0): the pipeline's own signal that nothing it still holds can publish
// anything more. A count taken after it is final, so a late duplicate is counted, not missed.
func (h *harness) awaitDrained(group string, topics ...string) {
	h.t.Helper()
	deadline := time.Now().Add(waitFor)
	for {
		lag, err := h.lag(group, topics...)
		if err == nil && lag == 0 {
			return
		}
		if time.Now().After(deadline) {
			h.t.Fatalf("group %s has not committed every record of %v within %s: lag %d, last error %v", group, topics, waitFor, lag, err)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

type signupOpts struct {
	userID, eventID, correlationID string
}

func signupRecord(t *testing.T, o signupOpts) *kgo.Record {
	t.Helper()
	ev := &eventsv1.UserSignupEvent{
		UserId:          o.userID,
		Email:           o.userID + "@example.com",
		Name:            "Zoë 注文",
		SignupTimestamp: timestamppb.Now(),
		Source:          eventsv1.SignupSource_SIGNUP_SOURCE_WEB,
		EventMetadata: &commonv1.EventMetadata{
			EventId: o.eventID, CorrelationId: o.correlationID, SourceService: "user-service",
		},
	}
	value, err := proto.Marshal(ev)
	if err != nil {
		t.Fatal(err)
	}
	return &kgo.Record{
		Key:   []byte(o.userID),
		Value: value,
		Headers: ceHeaders{
			id: o.eventID, typ: typeUserSignup, correlationID: o.correlationID,
			traceParent: "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01", time: time.Now(),
		}.records(),
	}
}

func headerMap(r *kgo.Record) map[string]string {
	m := make(map[string]string, len(r.Headers))
	for _, h := range r.Headers {
		m[h.Key] = string(h.Value)
	}
	return m
}

func TestSignupPublishesWelcomeOrder(t *testing.T) {
	h := newHarness(t)
	h.start(Group, nil, DefaultRetry)
	signupID := uuid.NewString()
	h.produce(signupRecord(t, signupOpts{userID: "user-1", eventID: signupID, correlationID: "corr-1"}))

	rec := h.read(TopicOrderEvents, 1)[0]
	if string(rec.Key) != "user-1" {
		t.Fatalf("key = %q, want the user id", rec.Key)
	}
	hd := headerMap(rec)
	wantHeaders := map[string]string{
		HeaderSpecVersion:   "1.0",
		HeaderSource:        "/order-service",
		HeaderType:          "polyglot.events.v1.OrderCreatedEvent",
		HeaderContentType:   "application/protobuf",
		HeaderCorrelationID: "corr-1",
		HeaderCausationID:   signupID,
	}
	for k, want := range wantHeaders {
		if hd[k] != want {
			t.Errorf("header %s = %q, want %q", k, hd[k], want)
		}
	}
	if _, err := uuid.Parse(hd[HeaderID]); err != nil {
		t.Errorf("ce_id %q is not a UUID", hd[HeaderID])
	}
	if _, err := time.Parse(time.RFC3339, hd[HeaderTime]); err != nil {
		t.Errorf("ce_time %q is not RFC 3339", hd[HeaderTime])
	}
	if tp := hd[HeaderTraceParent]; !traceParentPattern.MatchString(tp) || !strings.Contains(tp, "0af7651916cd43dd8448eb211c80319c") ||
		strings.Contains(tp, "b7ad6b7169203331") {
		t.Errorf("traceparent %q does not continue the sign-up's trace with a new span", tp)
	}

	var ev eventsv1.OrderCreatedEvent
	if err := proto.Unmarshal(rec.Value, &ev); err != nil {
		t.Fatal(err)
	}
	md := ev.GetEventMetadata()
	if md.GetEventId() != hd[HeaderID] || md.GetCorrelationId() != "corr-1" || md.GetCausationId() != signupID ||
		md.GetSourceService() != "order-service" || md.GetTimestamp() == nil {
		t.Errorf("event_metadata = %v, want the headers' ids", md)
	}
	if ev.GetOrderId() != orders.WelcomeOrderID(signupID) || ev.GetUserId() != "user-1" ||
		ev.GetStatus() != eventsv1.OrderStatus_ORDER_STATUS_CONFIRMED || ev.GetCurrency() != "USD" ||
		ev.GetTotalAmount() != 0 || ev.GetTotalMoney().GetUnits() != 0 || ev.GetTotalMoney().GetNanos() != 0 ||
		ev.GetTotalMoney().GetCurrencyCode() != "USD" ||
		len(ev.GetItems()) != 1 || ev.GetItems()[0].GetProductId() != "welcome-package" {
		t.Errorf("welcome order event = %v", &ev)
	}
}

// TestSpansContinueTheTrace: consuming a sign-up is a CONSUMER span under the record's
// traceparent, publishing the welcome order a PRODUCER span under it, and the produced
// record's traceparent names that PRODUCER span.
func TestSpansContinueTheTrace(t *testing.T) {
	h := newHarness(t)
	spans := tracetest.NewInMemoryExporter()
	h.tracing = sdktrace.NewTracerProvider(sdktrace.WithSyncer(spans))
	stop := h.start(Group, nil, DefaultRetry)
	h.produce(signupRecord(t, signupOpts{userID: "user-1", eventID: uuid.NewString(), correlationID: "c"}))
	rec := h.read(TopicOrderEvents, 1)[0]
	stop()

	byName := map[string]tracetest.SpanStub{}
	for _, s := range spans.GetSpans() {
		byName[s.Name] = s
	}
	consume, produce := byName[TopicUserEvents+" process"], byName[TopicOrderEvents+" publish"]
	const signupTrace, signupSpan = "0af7651916cd43dd8448eb211c80319c", "b7ad6b7169203331"
	if consume.SpanKind != trace.SpanKindConsumer || consume.SpanContext.TraceID().String() != signupTrace ||
		consume.Parent.SpanID().String() != signupSpan {
		t.Fatalf("consumer span %+v, want a CONSUMER child of %s-%s", consume, signupTrace, signupSpan)
	}
	if produce.SpanKind != trace.SpanKindProducer || produce.Parent.SpanID() != consume.SpanContext.SpanID() {
		t.Fatalf("producer span %+v, want a PRODUCER child of the consumer span", produce)
	}
	want := "00-" + signupTrace + "-" + produce.SpanContext.SpanID().String() + "-01"
	if got := headerMap(rec)[HeaderTraceParent]; got != want {
		t.Fatalf("traceparent = %s, want %s", got, want)
	}
}

func TestOrderCreatedEventMoney(t *testing.T) {
	o := orders.Order{
		ID: "o1", UserID: "u1", Status: orders.StatusPending, Currency: "USD", Total: 10997,
		Items: []orders.Item{{ProductID: "prod_1", Quantity: 2, UnitPrice: 2999}, {ProductID: "prod_2", Quantity: 1, UnitPrice: 4999}},
	}
	ev := OrderCreatedEvent(o, "v")
	if m := ev.GetTotalMoney(); m.GetUnits() != 109 || m.GetNanos() != 970_000_000 || m.GetCurrencyCode() != "USD" {
		t.Fatalf("total_money = %v, want USD 109 + 0.97", m)
	}
	if ev.GetTotalAmount() != 109.97 || ev.GetStatus() != eventsv1.OrderStatus_ORDER_STATUS_PENDING {
		t.Fatalf("total_amount %v status %v", ev.GetTotalAmount(), ev.GetStatus())
	}
	if it := ev.GetItems()[0]; it.GetQuantity() != 2 || it.GetUnitPrice() != 29.99 ||
		it.GetUnitPriceMoney().GetUnits() != 29 || it.GetUnitPriceMoney().GetNanos() != 990_000_000 {
		t.Fatalf("item = %v", it)
	}
}

func TestRedeliveredAndReplayedSignupsCreateNothingNew(t *testing.T) {
	h := newHarness(t)
	stop := h.start(Group, nil, DefaultRetry)
	dup := signupOpts{userID: "user-1", eventID: uuid.NewString(), correlationID: "corr-1"}
	h.produce(signupRecord(t, dup))
	h.produce(signupRecord(t, dup)) // the same event delivered twice
	sentinel := signupOpts{userID: "user-2", eventID: uuid.NewString(), correlationID: "corr-2"}
	h.produce(signupRecord(t, sentinel))

	// Records of one partition are handled in order, so once the sentinel's order is out,
	// the duplicate has been handled too.
	waitForOrderOf(t, h, sentinel.userID, 2)
	if n := h.count(TopicOrderEvents); n != 2 {
		t.Fatalf("%d records on %s after a duplicate sign-up, want 2", n, TopicOrderEvents)
	}

	stop()
	if want := `polyglot_events_consumed_total{outcome="duplicate",topic="user-events",type="polyglot.events.v1.UserSignupEvent"} 1`; !strings.Contains(scrape(t, h.metrics), want) {
		t.Errorf("/metrics lacks %s", want)
	}

	// Replaying user-events from the start (a new group, same database) creates nothing new.
	h.start("order-service-replay", nil, DefaultRetry)
	third := signupOpts{userID: "user-3", eventID: uuid.NewString(), correlationID: "corr-3"}
	h.produce(signupRecord(t, third))
	waitForOrderOf(t, h, third.userID, 3)
	if n := h.count(TopicOrderEvents); n != 3 {
		t.Fatalf("%d records on %s after a replay, want 3", n, TopicOrderEvents)
	}
}

// waitForOrderOf reads order-events until an event for userID is among the first n.
func waitForOrderOf(t *testing.T, h *harness, userID string, n int) {
	t.Helper()
	for _, r := range h.read(TopicOrderEvents, n) {
		if string(r.Key) == userID {
			return
		}
	}
	t.Fatalf("no order event for %s among the first %d", userID, n)
}

func TestPoisonRecordsGoToTheDLQ(t *testing.T) {
	h := newHarness(t)
	stop := h.start(Group, nil, DefaultRetry)
	valid := signupRecord(t, signupOpts{userID: "user-1", eventID: uuid.NewString(), correlationID: "corr-1"})
	without := func(key string) *kgo.Record {
		r := signupRecord(t, signupOpts{userID: "user-x", eventID: uuid.NewString(), correlationID: "c"})
		kept := r.Headers[:0]
		for _, hd := range r.Headers {
			if hd.Key != key {
				kept = append(kept, hd)
			}
		}
		r.Headers = kept
		return r
	}
	withType := func(typ string, value []byte) *kgo.Record {
		r := signupRecord(t, signupOpts{userID: "user-x", eventID: uuid.NewString(), correlationID: "c"})
		for i := range r.Headers {
			if r.Headers[i].Key == HeaderType {
				r.Headers[i].Value = []byte(typ)
			}
		}
		if value != nil {
			r.Value = value
		}
		return r
	}
	tests := []struct {
		name       string
		record     *kgo.Record
		wantReason string
	}{
		{name: "no ce_type", record: without(HeaderType), wantReason: ReasonMissingHeader},
		{name: "no ce_id", record: without(HeaderID), wantReason: ReasonMissingHeader},
		{name: "unknown type", record: withType("polyglot.events.v1.Nonsense", nil), wantReason: ReasonUnknownType},
		{name: "undecodable value", record: withType(typeUserSignup, []byte{0xff, 0xff, 0xff}), wantReason: ReasonDecodeError},
		{name: "sign-up without user", record: withType(typeUserSignup, []byte{}), wantReason: ReasonDecodeError},
		// The contract topics take records up to 2 MiB, so a 1 MiB poison record must fit in the DLQ too.
		{name: "1 MiB of garbage", record: withType(typeUserSignup, bytes.Repeat([]byte{0xff}, 1<<20)), wantReason: ReasonDecodeError},
	}
	for _, tt := range tests {
		h.produce(tt.record)
	}
	h.produce(valid)

	dead := h.read(TopicUserEvents+".dlq", len(tests))
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, sent := dead[i], tt.record
			hd := headerMap(d)
			want := map[string]string{
				"dlq.reason":    tt.wantReason,
				"dlq.topic":     TopicUserEvents,
				"dlq.partition": "0",
				"dlq.offset":    strconv.FormatInt(sent.Offset, 10),
				"dlq.group":     Group,
			}
			for k, v := range want {
				if hd[k] != v {
					t.Errorf("%s = %q, want %q", k, hd[k], v)
				}
			}
			if hd["dlq.error"] == "" || strings.Contains(hd["dlq.error"], "\n") {
				t.Errorf("dlq.error = %q, want one non-empty line", hd["dlq.error"])
			}
			if _, err := time.Parse(time.RFC3339, hd["dlq.time"]); err != nil {
				t.Errorf("dlq.time = %q: %v", hd["dlq.time"], err)
			}
			if string(d.Key) != string(sent.Key) || string(d.Value) != string(sent.Value) {
				t.Errorf("key/value not kept")
			}
			for _, orig := range sent.Headers {
				if hd[orig.Key] != string(orig.Value) {
					t.Errorf("original header %s not kept", orig.Key)
				}
			}
		})
	}
	// The consumer went on past the poison records.
	waitForOrderOf(t, h, "user-1", 1)

	stop() // the last record's metrics are counted once its handling returned
	exposition := scrape(t, h.metrics)
	for _, want := range []string{
		`polyglot_dlq_records_total{reason="missing-header",topic="user-events"} 2`,
		`polyglot_dlq_records_total{reason="unknown-type",topic="user-events"} 1`,
		`polyglot_dlq_records_total{reason="decode-error",topic="user-events"} 3`,
		`polyglot_events_consumed_total{outcome="dlq",topic="user-events",type="unknown"} 1`,
		`polyglot_events_consumed_total{outcome="dlq",topic="user-events",type="polyglot.events.v1.UserSignupEvent"} 4`,
		`polyglot_events_consumed_total{outcome="ok",topic="user-events",type="polyglot.events.v1.UserSignupEvent"} 1`,
		`polyglot_events_produced_total{topic="order-events",type="polyglot.events.v1.OrderCreatedEvent"} 1`,
		`polyglot_event_latency_seconds_count{topic="user-events",type="polyglot.events.v1.UserSignupEvent"} 1`,
		`polyglot_consumer_lag_records{group="order-service",partition="0",topic="user-events"} 0`,
	} {
		if !strings.Contains(exposition, want) {
			t.Errorf("/metrics lacks %s", want)
		}
	}
}

func scrape(t *testing.T, m *metrics.Metrics) string {
	t.Helper()
	rec := httptest.NewRecorder()
	m.Handler().ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
	return rec.Body.String()
}

// failingHandler fails every sign-up; it counts the attempts.
type failingHandler struct {
	mu       sync.Mutex
	attempts int
}

func (f *failingHandler) HandleUserSignup(context.Context, orders.Signup) (bool, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.attempts++
	return false, errors.New("database is locked")
}

func (f *failingHandler) HandleUserUpdate(context.Context, orders.User) error { return nil }

func TestHandlerFailuresAreRetriedThenDeadLettered(t *testing.T) {
	h := newHarness(t)
	handler := &failingHandler{}
	stop := h.start(Group, handler, Retry{Attempts: 3, Backoff: time.Millisecond, MaxBackoff: time.Millisecond})
	h.produce(signupRecord(t, signupOpts{userID: "user-1", eventID: uuid.NewString(), correlationID: "c"}))
	d := h.read(TopicUserEvents+".dlq", 1)[0]
	if got := headerMap(d)["dlq.reason"]; got != ReasonRetriesExhausted {
		t.Fatalf("dlq.reason = %q, want %s", got, ReasonRetriesExhausted)
	}
	// The dead letter says the retries reached 3, not that they stopped there: only once the
	// loop committed past the record, and stopped, is the count of attempts final.
	h.awaitDrained(Group, TopicUserEvents)
	stop()
	if n := h.count(TopicUserEvents + ".dlq"); n != 1 {
		t.Fatalf("%d dead letters for one record, want 1", n)
	}
	handler.mu.Lock()
	defer handler.mu.Unlock()
	if handler.attempts != 3 {
		t.Fatalf("%d attempts, want 3", handler.attempts)
	}
}

func TestOffsetsCommittedAfterHandling(t *testing.T) {
	h := newHarness(t)
	stop := h.start(Group, nil, DefaultRetry)
	first := h.produce(signupRecord(t, signupOpts{userID: "user-1", eventID: uuid.NewString(), correlationID: "c1"}))
	h.read(TopicOrderEvents, 1)
	stop()

	committed, err := h.admin.FetchOffsets(context.Background(), Group)
	if err != nil {
		t.Fatal(err)
	}
	got, ok := committed.Lookup(TopicUserEvents, 0)
	if !ok || got.At != first.Offset+1 {
		t.Fatalf("committed offset of %s/0 = %+v (found %v), want %d", TopicUserEvents, got.Offset, ok, first.Offset+1)
	}
}

func TestSagaOnOrderEvents(t *testing.T) {
	h := newHarness(t)
	h.startWith(Group, nil, true, DefaultRetry)
	signupID := uuid.NewString()
	h.produce(signupRecord(t, signupOpts{userID: "user-1", eventID: signupID, correlationID: "corr-1"}))

	// An order placed over the service's own path once the user is known: 150.00 is above
	// the harness's payment limit of 100.00, 30.00 below it.
	producer := h.client()
	svc := orders.NewService(h.store, NewProducer(producer, "test", nil, testTracing), quietLog, orders.Options{UserWait: waitFor})
	var placed []orders.Order
	for _, price := range []string{"30.00", "150.00"} {
		o, err := svc.PlaceOrder(context.Background(), orders.Draft{UserID: "user-1", Items: []orders.DraftItem{
			{ProductID: "p", Quantity: "1", Price: price},
		}}, orders.Origin{CorrelationID: "corr-" + price})
		if err != nil {
			t.Fatal(err)
		}
		placed = append(placed, o)
	}

	// welcome: created + shipped; approved: created + payment + shipped; declined: created + payment + cancelled.
	records := h.read(TopicOrderEvents, 8)
	// 8 records are there; once the saga has committed past every record (its effects are
	// published before), no ninth can come: the chains below are all there is.
	h.awaitDrained(Group, TopicUserEvents, TopicOrderEvents)
	if n := h.count(TopicOrderEvents); n != 8 {
		t.Fatalf("%d records on %s, want 8 (the three chains, each step once)", n, TopicOrderEvents)
	}
	byCorrelation := map[string][]string{}
	causeOf := map[string]string{}
	for _, r := range records {
		hd := headerMap(r)
		if string(r.Key) != "user-1" {
			t.Fatalf("key %q, want user-1", r.Key)
		}
		byCorrelation[hd[HeaderCorrelationID]] = append(byCorrelation[hd[HeaderCorrelationID]], strings.TrimPrefix(hd[HeaderType], "polyglot.events.v1."))
		causeOf[hd[HeaderID]] = hd[HeaderCausationID]
	}
	want := map[string][]string{
		"corr-1":      {"OrderCreatedEvent", "OrderShippedEvent"},
		"corr-30.00":  {"OrderCreatedEvent", "PaymentProcessedEvent", "OrderShippedEvent"},
		"corr-150.00": {"OrderCreatedEvent", "PaymentProcessedEvent", "OrderCancelledEvent"},
	}
	for corr, types := range want {
		if !reflect.DeepEqual(byCorrelation[corr], types) {
			t.Errorf("chain %s = %v, want %v", corr, byCorrelation[corr], types)
		}
	}
	// Every event but the chains' first is caused by an event of the same topic.
	for id, cause := range causeOf {
		if cause != "" && cause != signupID {
			if _, ok := causeOf[cause]; !ok {
				t.Errorf("event %s is caused by %s, which is not on %s", id, cause, TopicOrderEvents)
			}
		}
	}
	// A step's status is committed before its event is published, so it is final by now.
	for i, status := range []orders.Status{orders.StatusShipped, orders.StatusCancelled} {
		if o, err := h.store.Order(context.Background(), placed[i].ID); err != nil || o.Status != status {
			t.Errorf("order %s is %s (%v), want %s", placed[i].ID, o.Status, err, status)
		}
	}
}

// countingHandler is the real Service, slowed down so that a burst takes long enough for a
// rebalance to land in its middle, counting the sign-ups this instance handled.
type countingHandler struct {
	*orders.Service
	mu      sync.Mutex
	handled int
}

func (c *countingHandler) HandleUserSignup(ctx context.Context, su orders.Signup) (bool, error) {
	time.Sleep(10 * time.Millisecond)
	c.mu.Lock()
	c.handled++
	c.mu.Unlock()
	return c.Service.HandleUserSignup(ctx, su)
}

func (c *countingHandler) count() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.handled
}

// TestRebalanceMidBurstCreatesNoDuplicate runs two instances in one group on one database:
// the second joins while the first is working through a burst of sign-ups, so partitions
// move mid-burst. Every sign-up must still give exactly one welcome order event.
func TestRebalanceMidBurstCreatesNoDuplicate(t *testing.T) {
	h := newHarness(t)
	feed := h.client() // the default partitioner spreads the users over the 3 partitions
	const burst = 300
	for i := range burst {
		r := signupRecord(t, signupOpts{userID: fmt.Sprintf("user-%02d", i), eventID: uuid.NewString(), correlationID: "c"})
		r.Topic = TopicUserEvents
		feed.Produce(context.Background(), r, func(_ *kgo.Record, err error) {
			if err != nil {
				t.Errorf("produce: %v", err)
			}
		})
	}
	if err := feed.Flush(context.Background()); err != nil {
		t.Fatal(err)
	}

	instance := func() *countingHandler {
		return &countingHandler{Service: orders.NewService(h.store, NewProducer(h.client(), "test", nil, testTracing), quietLog, orders.Options{})}
	}
	first, second := instance(), instance()
	stopFirst := h.start(Group, first, DefaultRetry)
	h.read(TopicOrderEvents, 5) // the first instance is in the middle of the burst
	stopSecond := h.start(Group, second, DefaultRetry)

	records := h.read(TopicOrderEvents, burst)
	// A redelivered sign-up may still be in hand when the last first order is read: stopping now
	// would cut off the duplicate it could make. Once the group has committed past every
	// sign-up, each was handled (redeliveries included), and the count below is final.
	h.awaitDrained(Group, TopicUserEvents)
	stopFirst()
	stopSecond()
	seen := map[string]bool{}
	for _, r := range records {
		id := headerMap(r)[HeaderID]
		if seen[id] {
			t.Fatalf("event %s published twice", id)
		}
		seen[id] = true
	}
	if n := h.count(TopicOrderEvents); n != burst {
		t.Fatalf("%d welcome order events for %d sign-ups", n, burst)
	}
	if first.count() == 0 || second.count() == 0 || first.count() >= burst {
		t.Fatalf("handled %d and %d sign-ups: the second instance never took over partitions mid-burst", first.count(), second.count())
	}
	t.Logf("first instance handled %d sign-ups, second %d (redeliveries included)", first.count(), second.count())
}
