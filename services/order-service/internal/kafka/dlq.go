package kafka

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/kafka-polyglot/kafka-polyglot/services/order-service/internal/metrics"
)

// Reasons a record goes to a dead-letter topic (dlq.reason).
const (
	ReasonDecodeError      = "decode-error"
	ReasonUnknownType      = "unknown-type"
	ReasonMissingHeader    = "missing-header"
	ReasonHandlerError     = "handler-error"
	ReasonRetriesExhausted = "retries-exhausted"
)

// DeadLetters sends records that the consumer gave up on to <topic>.dlq, with their key,
// value and headers as received plus the contract's dlq.* headers.
type DeadLetters struct {
	client  *kgo.Client
	group   string
	now     func() time.Time
	metrics *metrics.Metrics
}

// NewDeadLetters writes dead letters through client on behalf of the consumer group.
func NewDeadLetters(client *kgo.Client, group string, m *metrics.Metrics) *DeadLetters {
	return &DeadLetters{client: client, group: group, now: time.Now, metrics: m}
}

// Send produces the dead letter of r and waits for the broker's acknowledgement.
func (d *DeadLetters) Send(ctx context.Context, r *kgo.Record, reason string, cause error) error {
	headers := make([]kgo.RecordHeader, 0, len(r.Headers)+7)
	headers = append(headers, r.Headers...)
	for _, kv := range [][2]string{
		{"dlq.reason", reason},
		{"dlq.error", oneLine(cause.Error())},
		{"dlq.topic", r.Topic},
		{"dlq.partition", strconv.FormatInt(int64(r.Partition), 10)},
		{"dlq.offset", strconv.FormatInt(r.Offset, 10)},
		{"dlq.group", d.group},
		{"dlq.time", d.now().UTC().Format(time.RFC3339Nano)},
	} {
		headers = append(headers, kgo.RecordHeader{Key: kv[0], Value: []byte(kv[1])})
	}
	dead := &kgo.Record{Topic: r.Topic + ".dlq", Key: r.Key, Value: r.Value, Headers: headers}
	if err := d.client.ProduceSync(ctx, dead).FirstErr(); err != nil {
		return fmt.Errorf("produce dead letter of %s/%d@%d to %s: %w", r.Topic, r.Partition, r.Offset, dead.Topic, err)
	}
	d.metrics.DeadLettered(r.Topic, reason)
	return nil
}

func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}
