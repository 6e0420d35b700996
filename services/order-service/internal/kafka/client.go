package kafka

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/twmb/franz-go/pkg/kgo"
)

// Topics and the consumer group of the contract.
const (
	TopicUserEvents  = "user-events"
	TopicOrderEvents = "order-events"
	Group            = "order-service"
)

// NewProducerClient builds the client that publishes order events and dead letters. Acks
// from all in-sync replicas and idempotent writes are franz-go's defaults; the default
// partitioner hashes keys with Kafka's murmur2, so a user's events land on the same
// partition number as the Java producer puts them.
func NewProducerClient(brokers []string, log *slog.Logger) (*kgo.Client, error) {
	cl, err := kgo.NewClient(
		kgo.SeedBrokers(brokers...),
		kgo.ClientID("order-service"),
		kgo.RequiredAcks(kgo.AllISRAcks()),
		// The contract topics take records up to 2 MiB (max.message.bytes, set by up); a dead
		// letter copies a record of any such size, so the batch limit must not be lower
		// than the 1 MB client default.
		kgo.ProducerBatchMaxBytes(2<<20),
		// Linger, the trade-off: franz-go's default 10 ms lets a partition's batch wait for
		// more records, which saves the broker requests only when records come faster than
		// the linger. Here every event is published with ProduceSync, from the one consumer
		// loop or an HTTP request, so nothing joins a lingering batch from the loop: the
		// default only added 10 ms to each saga hop (sign-up -> order created -> shipped, 20 ms
		// of the chain's 30 ms p50 target at 5/s). Without linger, records produced
		// concurrently (HTTP orders under load) still share a request: franz-go gathers
		// whatever is buffered while a request to the broker is in flight.
		kgo.ProducerLinger(0),
		kgo.WithLogger(newLogger(log)),
	)
	if err != nil {
		return nil, fmt.Errorf("producer client: %w", err)
	}
	return cl, nil
}

// NewConsumerClient builds the consumer of topics (user-events, and order-events for the saga)
// in group (Group in production). Offsets
// are committed only for records the loop marked after handling them (AutoCommitMarks), and a
// rebalance waits until the loop has finished the records of its last poll
// (BlockRebalanceOnPoll), so a partition is never handed over with a record half handled.
// Extra options override the defaults (tests start a throw-away group at a point in time).
func NewConsumerClient(brokers []string, group string, topics []string, log *slog.Logger, extra ...kgo.Opt) (*kgo.Client, error) {
	opts := []kgo.Opt{
		kgo.SeedBrokers(brokers...),
		kgo.ClientID("order-service"),
		kgo.ConsumerGroup(group),
		kgo.ConsumeTopics(topics...),
		kgo.ConsumeResetOffset(kgo.NewOffset().AtStart()),
		kgo.AutoCommitMarks(),
		kgo.BlockRebalanceOnPoll(),
		// A member that died without leaving (kill -9) holds its partitions until this runs
		// out; Kafka's 45 s default is long for a development stack that restarts often.
		kgo.SessionTimeout(10 * time.Second),
		// Fetches answer as soon as one byte is there (FetchMinBytes 1, the default), so the
		// 5 s FetchMaxWait only bounds an idle long poll and adds no latency to a hop. Raising
		// the minimum would batch fetches under load but make every record at low rates wait
		// out the max wait. Offsets are committed every 5 s (AutoCommitMarks with the default
		// interval), not per record, plus once on shutdown.
		kgo.WithLogger(newLogger(log)),
	}
	cl, err := kgo.NewClient(append(opts, extra...)...)
	if err != nil {
		return nil, fmt.Errorf("consumer client: %w", err)
	}
	return cl, nil
}

// newLogger passes franz-go's own messages, warnings and up, to slog.
func newLogger(log *slog.Logger) kgo.Logger { return slogLogger{log} }

type slogLogger struct{ log *slog.Logger }

func (l slogLogger) Level() kgo.LogLevel { return kgo.LogLevelWarn }

func (l slogLogger) Log(level kgo.LogLevel, msg string, keyvals ...any) {
	lvl := slog.LevelWarn
	if level == kgo.LogLevelError {
		lvl = slog.LevelError
	}
	l.log.Log(context.Background(), lvl, "kafka client: "+msg, keyvals...)
}
