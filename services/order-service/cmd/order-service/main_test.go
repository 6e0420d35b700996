package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kfake"
	"github.com/twmb/franz-go/pkg/kgo"
	"google.golang.org/protobuf/proto"

	commonv1 "github.com/kafka-polyglot/kafka-polyglot/services/order-service/internal/gen/polyglot/common/v1"
	eventsv1 "github.com/kafka-polyglot/kafka-polyglot/services/order-service/internal/gen/polyglot/events/v1"
)

// syncBuffer collects the service's log lines from its goroutines.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

func freePort(t *testing.T) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// TestRunServesTheFlow wires the whole service against an in-process broker: a sign-up on
// user-events, then an order for that user over HTTP that the saga ships, then a clean stop.
func TestRunServesTheFlow(t *testing.T) {
	cluster, err := kfake.NewCluster(kfake.NumBrokers(1),
		kfake.SeedTopics(3, "user-events", "user-events.dlq", "order-events", "order-events.dlq"))
	if err != nil {
		t.Fatal(err)
	}
	defer cluster.Close()
	port := freePort(t)
	env := map[string]string{
		"KAFKA_BOOTSTRAP_SERVERS": strings.Join(cluster.ListenAddrs(), ","),
		"HTTP_PORT":               fmt.Sprint(port),
		"DATA_DIR":                filepath.Join(t.TempDir(), "data"),
		"ZIPKIN_ENDPOINT":         "none",
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	logs := &syncBuffer{}
	done := make(chan error, 1)
	go func() { done <- run(ctx, []string{"order-service"}, func(k string) string { return env[k] }, logs) }()

	base := fmt.Sprintf("http://127.0.0.1:%d", port)
	deadline := time.Now().Add(20 * time.Second)
	for {
		resp, err := http.Get(base + "/health")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				break
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("not healthy within 20 s; logs:\n%s", logs)
		}
		time.Sleep(50 * time.Millisecond)
	}

	feed, err := kgo.NewClient(kgo.SeedBrokers(cluster.ListenAddrs()...))
	if err != nil {
		t.Fatal(err)
	}
	defer feed.Close()
	value, _ := proto.Marshal(&eventsv1.UserSignupEvent{
		UserId: "user-1", Email: "demo@example.com", Name: "Demo User",
		EventMetadata: &commonv1.EventMetadata{EventId: "11111111-1111-4111-8111-111111111111", CorrelationId: "corr-1"},
	})
	rec := &kgo.Record{Topic: "user-events", Key: []byte("user-1"), Value: value, Headers: []kgo.RecordHeader{
		{Key: "ce_type", Value: []byte("polyglot.events.v1.UserSignupEvent")},
		{Key: "ce_id", Value: []byte("11111111-1111-4111-8111-111111111111")},
		{Key: "ce_correlationid", Value: []byte("corr-1")},
	}}
	if err := feed.ProduceSync(ctx, rec).FirstErr(); err != nil {
		t.Fatal(err)
	}

	// Posted right after the sign-up: the service waits for the event instead of answering 422.
	body := `{"user_id":"user-1","items":[{"product_id":"prod_1","quantity":2,"price":29.99},{"product_id":"prod_2","quantity":1,"price":49.99}]}`
	resp, err := http.Post(base+"/api/orders", "application/json", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	answer, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusCreated || !strings.Contains(string(answer), `"total":109.97`) {
		t.Fatalf("POST /api/orders = %d %s; logs:\n%s", resp.StatusCode, answer, logs)
	}

	// The saga runs by default: the order is paid, then shipped, each step in its history.
	location := resp.Header.Get("Location")
	var order struct {
		Status  string `json:"status"`
		History []struct {
			Status string `json:"status"`
		} `json:"history"`
	}
	deadline = time.Now().Add(20 * time.Second)
	for order.Status != "SHIPPED" {
		if time.Now().After(deadline) {
			t.Fatalf("GET %s: %+v, not SHIPPED within 20 s; logs:\n%s", location, order, logs)
		}
		time.Sleep(50 * time.Millisecond)
		resp, err := http.Get(base + location)
		if err != nil {
			t.Fatal(err)
		}
		err = json.NewDecoder(resp.Body).Decode(&order)
		resp.Body.Close()
		if err != nil {
			t.Fatal(err)
		}
	}
	var steps []string
	for _, h := range order.History {
		steps = append(steps, h.Status)
	}
	if got := strings.Join(steps, " -> "); got != "PENDING -> CONFIRMED -> SHIPPED" {
		t.Errorf("history = %s, want PENDING -> CONFIRMED -> SHIPPED", got)
	}

	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("run: %v", err)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("run did not stop within 20 s of cancellation")
	}
	for _, want := range []string{`"msg":"order created"`, `"msg":"order-service stopped"`, `"service":"order-service"`} {
		if !strings.Contains(logs.String(), want) {
			t.Errorf("logs lack %s", want)
		}
	}
}
