package main

import (
	"bytes"
	"context"
	"encoding/json"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kadm"
	"github.com/twmb/franz-go/pkg/kfake"
	"github.com/twmb/franz-go/pkg/kgo"
	"google.golang.org/protobuf/proto"

	commonv1 "github.com/kafka-polyglot/kafka-polyglot/services/order-service/internal/gen/polyglot/common/v1"
	eventsv1 "github.com/kafka-polyglot/kafka-polyglot/services/order-service/internal/gen/polyglot/events/v1"
	"github.com/kafka-polyglot/kafka-polyglot/services/order-service/internal/kafka"
	"github.com/kafka-polyglot/kafka-polyglot/services/order-service/internal/kafkatest"
)

// waitFor bounds every wait on the fake broker.
const waitFor = 20 * time.Second

const traceParent = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"

// lines is a stdout that the test reads while the probe writes it.
type lines struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (l *lines) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.Write(p)
}

func (l *lines) all() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return strings.Split(strings.TrimSuffix(l.buf.String(), "\n"), "\n")
}

func record(t *testing.T, topic string, m proto.Message, headers map[string]string) *kgo.Record {
	t.Helper()
	value, err := proto.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	r := &kgo.Record{Topic: topic, Partition: 0, Value: value}
	for _, k := range []string{kafka.HeaderSpecVersion, kafka.HeaderID, kafka.HeaderType, kafka.HeaderCorrelationID, kafka.HeaderTraceParent} {
		if v, ok := headers[k]; ok {
			r.Headers = append(r.Headers, kgo.RecordHeader{Key: k, Value: []byte(v)})
		}
	}
	return r
}

func ce(id, typ, correlationID string) map[string]string {
	h := map[string]string{kafka.HeaderSpecVersion: "1.0", kafka.HeaderID: id, kafka.HeaderType: typ, kafka.HeaderTraceParent: traceParent}
	if correlationID != "" {
		h[kafka.HeaderCorrelationID] = correlationID
	}
	return h
}

// TestProbePrintsWhatTheHandlersReceive runs the probe on an in-process broker and checks the
// line of every handler call: the views the contract's expectations (order-service.ts) are
// written against, including the consumer's correlation id fallbacks and the saga's records
// that reach no handler.
func TestProbePrintsWhatTheHandlersReceive(t *testing.T) {
	cluster, err := kfake.NewCluster(kfake.NumBrokers(1), kfake.SeedTopics(1,
		kafka.TopicUserEvents, kafka.TopicUserEvents+".dlq", kafka.TopicOrderEvents, kafka.TopicOrderEvents+".dlq"))
	if err != nil {
		t.Fatal(err)
	}
	defer cluster.Close()

	records := []*kgo.Record{
		record(t, kafka.TopicUserEvents, &eventsv1.UserSignupEvent{UserId: "u1", Email: "zoe@example.com", Name: "Zoë 注文",
			EventMetadata: &commonv1.EventMetadata{CorrelationId: "corr-meta"}}, ce("ev-1", typeUserSignup, "corr-1")),
		// Without ce_correlationid a sign-up's chain goes on under its metadata's correlation id...
		record(t, kafka.TopicUserEvents, &eventsv1.UserSignupEvent{UserId: "u2", Email: "u2@example.com", Name: "U2",
			EventMetadata: &commonv1.EventMetadata{CorrelationId: "corr-meta"}}, ce("ev-2", typeUserSignup, "")),
		// ...and without that under its own id.
		record(t, kafka.TopicUserEvents, &eventsv1.UserSignupEvent{UserId: "u3", Email: "u3@example.com", Name: "U3"}, ce("ev-3", typeUserSignup, "")),
		record(t, kafka.TopicUserEvents, &eventsv1.UserUpdatedEvent{UserId: "u1", Email: "new@example.com", Name: "Zoë",
			PreviousEmail: "zoe@example.com", UpdatedFields: []string{"email", "name"}}, ce("ev-4", typeUserUpdated, "corr-4")),
		record(t, kafka.TopicOrderEvents, &eventsv1.OrderCreatedEvent{OrderId: "o1", UserId: "u1", Status: eventsv1.OrderStatus_ORDER_STATUS_PENDING},
			ce("ev-5", typeOrderCreated, "corr-5")),
		// The end of a saga: no handler, no line, no dead letter.
		record(t, kafka.TopicOrderEvents, &eventsv1.OrderShippedEvent{OrderId: "o0", UserId: "u1"},
			ce("ev-6", typeName(&eventsv1.OrderShippedEvent{}), "corr-6")),
		record(t, kafka.TopicOrderEvents, &eventsv1.PaymentProcessedEvent{OrderId: "o1", UserId: "u1", Status: eventsv1.PaymentStatus_PAYMENT_STATUS_APPROVED},
			ce("ev-7", typePaymentProcessed, "corr-5")),
		record(t, kafka.TopicOrderEvents, &eventsv1.PaymentProcessedEvent{OrderId: "o2", UserId: "u1", Status: eventsv1.PaymentStatus_PAYMENT_STATUS_DECLINED},
			ce("ev-8", typePaymentProcessed, "corr-8")),
	}
	want := []string{
		`{"type":"polyglot.events.v1.UserSignupEvent","view":{"user_id":"u1","email":"zoe@example.com","name":"Zoë 注文","event_id":"ev-1","correlation_id":"corr-1","traceparent":"` + traceParent + `"}}`,
		`{"type":"polyglot.events.v1.UserSignupEvent","view":{"user_id":"u2","email":"u2@example.com","name":"U2","event_id":"ev-2","correlation_id":"corr-meta","traceparent":"` + traceParent + `"}}`,
		`{"type":"polyglot.events.v1.UserSignupEvent","view":{"user_id":"u3","email":"u3@example.com","name":"U3","event_id":"ev-3","correlation_id":"ev-3","traceparent":"` + traceParent + `"}}`,
		`{"type":"polyglot.events.v1.UserUpdatedEvent","view":{"user_id":"u1","email":"new@example.com","name":"Zoë","event_id":"ev-4","correlation_id":"corr-4","traceparent":"` + traceParent + `"}}`,
		`{"type":"polyglot.events.v1.OrderCreatedEvent","view":{"order_id":"o1","status":"PENDING","event_id":"ev-5","correlation_id":"corr-5","traceparent":"` + traceParent + `"}}`,
		`{"type":"polyglot.events.v1.PaymentProcessedEvent","view":{"order_id":"o1","approved":true,"event_id":"ev-7","correlation_id":"corr-5","traceparent":"` + traceParent + `"}}`,
		`{"type":"polyglot.events.v1.PaymentProcessedEvent","view":{"order_id":"o2","approved":false,"event_id":"ev-8","correlation_id":"corr-8","traceparent":"` + traceParent + `"}}`,
	}

	feed, err := kgo.NewClient(kgo.SeedBrokers(cluster.ListenAddrs()...), kgo.RecordPartitioner(kgo.ManualPartitioner()))
	if err != nil {
		t.Fatal(err)
	}
	defer feed.Close()
	if err := feed.ProduceSync(context.Background(), records...).FirstErr(); err != nil {
		t.Fatal(err)
	}

	var stdout lines
	var stderr bytes.Buffer
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"contract-probe", "--bootstrap", strings.Join(cluster.ListenAddrs(), ","), "--group", "probe-test"}, &stdout, &stderr)
	}()
	// The probe commits a record's offset only once it handled (or skipped) it, so once its group
	// has committed every record of both topics, every line it will print is printed: a line
	// too many (a record handled twice, a saga record given a line) is counted, not missed, as
	// it would be by stopping at the first len(want) lines.
	admin := kadm.NewClient(feed)
	deadline := time.Now().Add(waitFor)
	for {
		lag, err := lagOf(admin, "probe-test", kafka.TopicUserEvents, kafka.TopicOrderEvents)
		if err == nil && lag == 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the probe has not committed every record within %s: lag %d, last error %v; lines:\n%s\nstderr:\n%s",
				waitFor, lag, err, strings.Join(stdout.all(), "\n"), stderr.String())
		}
		select {
		case err := <-done:
			t.Fatalf("probe ended early: %v\n%s", err, stderr.String())
		case <-time.After(50 * time.Millisecond):
		}
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatalf("probe: %v", err)
	}

	got := stdout.all()
	if len(got) != len(want) {
		t.Fatalf("got %d lines, want %d:\n%s\nstderr:\n%s", len(got), len(want), strings.Join(got, "\n"), stderr.String())
	}
	if g, w := canonical(t, got), canonical(t, want); !slices.Equal(g, w) {
		t.Errorf("lines:\n%s\nwant:\n%s", strings.Join(g, "\n"), strings.Join(w, "\n"))
	}
	ends, err := admin.ListEndOffsets(context.Background(), kafka.TopicUserEvents+".dlq", kafka.TopicOrderEvents+".dlq")
	if err != nil {
		t.Fatal(err)
	}
	ends.Each(func(o kadm.ListedOffset) {
		if o.Offset != 0 {
			t.Errorf("%d dead letters in %s/%d", o.Offset, o.Topic, o.Partition)
		}
	})
}

// lagOf is how many records of topics group has not committed yet (kafkatest.Lag), bounded by waitFor.
func lagOf(admin *kadm.Client, group string, topics ...string) (int64, error) {
	ctx, cancel := context.WithTimeout(context.Background(), waitFor)
	defer cancel()
	return kafkatest.Lag(ctx, admin, group, topics...)
}

// canonical re-encodes JSON lines with sorted keys and sorts them, so two sets of lines compare
// regardless of key order and of the order in which the two topics were read.
func canonical(t *testing.T, ls []string) []string {
	t.Helper()
	out := make([]string, len(ls))
	for i, l := range ls {
		var v any
		if err := json.Unmarshal([]byte(l), &v); err != nil {
			t.Fatalf("line %q: %v", l, err)
		}
		b, err := json.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		out[i] = string(b)
	}
	sort.Strings(out)
	return out
}
