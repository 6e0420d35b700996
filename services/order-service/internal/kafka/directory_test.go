package kafka

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/kafka-polyglot/kafka-polyglot/services/order-service/internal/orders"
	"github.com/kafka-polyglot/kafka-polyglot/services/order-service/internal/store"
)

// TestDirectoryKnowsEveryUser: an instance's directory learns the users of every partition,
// not only of those the group gave it, and skips what it cannot read.
func TestDirectoryKnowsEveryUser(t *testing.T) {
	h := newHarness(t)
	feed := h.client() // the default partitioner spreads the users over the 3 partitions
	const users = 12
	for i := range users {
		r := signupRecord(t, signupOpts{userID: fmt.Sprintf("user-%02d", i), eventID: uuid.NewString(), correlationID: "c"})
		r.Topic = TopicUserEvents
		if err := feed.ProduceSync(context.Background(), r).FirstErr(); err != nil {
			t.Fatal(err)
		}
	}
	poison := &kgo.Record{Topic: TopicUserEvents, Key: []byte("x"), Value: []byte{0xff},
		Headers: []kgo.RecordHeader{{Key: HeaderType, Value: []byte(typeUserSignup)}, {Key: HeaderID, Value: []byte("x")}}}
	if err := feed.ProduceSync(context.Background(), poison).FirstErr(); err != nil {
		t.Fatal(err)
	}

	st, err := store.Open(context.Background(), ":memory:")
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	client, err := NewDirectoryClient(h.addrs, quietLog)
	if err != nil {
		t.Fatal(err)
	}
	defer client.Close()
	svc := orders.NewService(st, nil, quietLog, orders.Options{})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); NewDirectory(client, svc, quietLog).Run(ctx) }()
	defer func() { cancel(); <-done }()

	deadline := time.Now().Add(waitFor)
	for i := range users {
		id := fmt.Sprintf("user-%02d", i)
		for {
			known, err := st.UserExists(context.Background(), id)
			if err != nil {
				t.Fatal(err)
			}
			if known {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("the directory does not know %s after %s", id, waitFor)
			}
			time.Sleep(10 * time.Millisecond)
		}
	}
}
