package kafka

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/twmb/franz-go/pkg/kgo"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/propagation"
	"go.opentelemetry.io/otel/trace"
	"google.golang.org/protobuf/proto"

	eventsv1 "github.com/kafka-polyglot/kafka-polyglot/services/order-service/internal/gen/polyglot/events/v1"
	"github.com/kafka-polyglot/kafka-polyglot/services/order-service/internal/metrics"
	"github.com/kafka-polyglot/kafka-polyglot/services/order-service/internal/orders"
	"github.com/kafka-polyglot/kafka-polyglot/services/order-service/internal/tracing"
)

// Handler is what the consumer feeds with the events of user-events. The ctx of each call
// carries the record's event ids (EventFrom), which HandleUserUpdate is not otherwise given.
type Handler interface {
	HandleUserSignup(ctx context.Context, su orders.Signup) (duplicate bool, err error)
	HandleUserUpdate(ctx context.Context, u orders.User) error
}

// SagaHandler takes the saga's next step after this service's own events on order-events.
type SagaHandler interface {
	OnOrderCreated(ctx context.Context, orderID string, created orders.Status, cause orders.EventMeta) error
	OnPaymentProcessed(ctx context.Context, orderID string, approved bool, cause orders.EventMeta) error
}

// Retry bounds how often a failing handler is tried on one record before the record goes to
// the dead-letter topic as retries-exhausted.
type Retry struct {
	Attempts int
	// Backoff is the first pause; each next pause doubles, up to MaxBackoff.
	Backoff    time.Duration
	MaxBackoff time.Duration
}

// DefaultRetry rides out a short database or broker hiccup (about 6 s in all).
var DefaultRetry = Retry{Attempts: 5, Backoff: 200 * time.Millisecond, MaxBackoff: 3 * time.Second}

var (
	typeUserSignup       = typeName(&eventsv1.UserSignupEvent{})
	typeUserUpdated      = typeName(&eventsv1.UserUpdatedEvent{})
	typeOrderCreated     = typeName(&eventsv1.OrderCreatedEvent{})
	typePaymentProcessed = typeName(&eventsv1.PaymentProcessedEvent{})
	typeOrderShipped     = typeName(&eventsv1.OrderShippedEvent{})
	typeOrderCancelled   = typeName(&eventsv1.OrderCancelledEvent{})
)

func typeName(m proto.Message) string { return string(m.ProtoReflect().Descriptor().FullName()) }

// Consumer is the loop over user-events (and, with the saga, order-events): it routes each record by its ce_type header, hands
// it to the Handler, and marks it for commit only once the handler's effects are stored and
// its events acknowledged (or the record is safely in the dead-letter topic).
type Consumer struct {
	client  *kgo.Client
	dlq     *DeadLetters
	handler Handler
	saga    SagaHandler
	log     *slog.Logger
	retry   Retry
	metrics *metrics.Metrics
	tracer  trace.Tracer
}

// NewConsumer builds the loop on a client from NewConsumerClient; saga may be nil when the
// client does not consume order-events.
func NewConsumer(client *kgo.Client, dlq *DeadLetters, handler Handler, saga SagaHandler, log *slog.Logger, retry Retry, m *metrics.Metrics, tp trace.TracerProvider) *Consumer {
	return &Consumer{client: client, dlq: dlq, handler: handler, saga: saga, log: log, retry: retry, metrics: m,
		tracer: tp.Tracer("order-service/kafka")}
}

// maxPollRecords bounds one poll: a rebalance waits for the records of the last poll to be
// handled (BlockRebalanceOnPoll), so a small batch lets partitions move promptly.
const maxPollRecords = 100

// Run consumes until ctx is done or the client is closed, then commits what it marked.
func (c *Consumer) Run(ctx context.Context) error {
	defer c.commit()
	for {
		fetches := c.client.PollRecords(ctx, maxPollRecords)
		if fetches.IsClientClosed() || ctx.Err() != nil {
			c.client.AllowRebalance()
			return nil
		}
		fetches.EachError(func(topic string, partition int32, err error) {
			c.log.Error("fetch failed", "topic", topic, "partition", partition, "err", err)
		})
		fetches.EachPartition(func(p kgo.FetchTopicPartition) {
			if n := len(p.Records); n > 0 {
				c.metrics.Lag(c.dlq.group, p.Topic, p.Partition, p.HighWatermark-(p.Records[n-1].Offset+1))
			}
		})
		var stopped error
		for _, r := range fetches.Records() {
			// On shutdown the records not yet started stay unmarked, to be consumed again.
			if stopped = ctx.Err(); stopped != nil {
				break
			}
			if stopped = c.process(ctx, r); stopped != nil {
				break
			}
			c.client.MarkCommitRecords(r)
		}
		// Polls block rebalances (BlockRebalanceOnPoll) so that no partition moves while
		// its records are being handled; now that they are, let a rebalance through.
		c.client.AllowRebalance()
		if stopped != nil {
			if ctx.Err() != nil {
				return nil
			}
			return stopped
		}
	}
}

func (c *Consumer) commit() {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := c.client.CommitMarkedOffsets(ctx); err != nil {
		c.log.Error("commit marked offsets", "err", err)
	}
}

// errDuplicate tells the loop that a handler recognised its record as handled before; it is
// counted, not retried.
var errDuplicate = errors.New("handled before")

// poison is a record that no retry can fix.
type poison struct {
	reason string
	err    error
}

func (p *poison) Error() string { return p.reason + ": " + p.err.Error() }

// process handles one record, sending it to the dead-letter topic when it cannot be handled.
// It returns an error only when ctx ended before the record was dealt with, so that the
// record stays unmarked and is consumed again.
func (c *Consumer) process(ctx context.Context, r *kgo.Record) error {
	// A CONSUMER span, child of the record's traceparent, so the chain stays one trace.
	traceParent, _ := header(r, HeaderTraceParent)
	ctx = tracing.Propagator.Extract(ctx, propagation.MapCarrier{HeaderTraceParent: traceParent})
	ctx, span := c.tracer.Start(ctx, r.Topic+" process", trace.WithSpanKind(trace.SpanKindConsumer),
		trace.WithAttributes(attribute.String("messaging.system", "kafka"), attribute.String("messaging.destination.name", r.Topic),
			attribute.String("messaging.kafka.message.key", string(r.Key)), attribute.Int64("messaging.kafka.offset", r.Offset),
			attribute.String("messaging.consumer.group.name", c.dlq.group)))
	defer span.End()
	log := c.log.With("topic", r.Topic, "partition", r.Partition, "offset", r.Offset)
	typ, _ := header(r, HeaderType)
	handle, err := c.route(r)
	if err == nil {
		err = c.handleWithRetry(ctx, log, handle)
	}
	if errors.Is(err, errDuplicate) {
		c.metrics.Consumed(r.Topic, typ, metrics.OutcomeDuplicate, time.Time{})
		return nil
	}
	if err == nil {
		c.metrics.Consumed(r.Topic, typ, metrics.OutcomeOK, eventTime(r))
		return nil
	}
	if ctx.Err() != nil {
		return ctx.Err()
	}

	reason := ReasonRetriesExhausted
	var p *poison
	if errors.As(err, &p) {
		reason, err = p.reason, p.err
	}
	span.SetStatus(codes.Error, reason)
	log.ErrorContext(ctx, "record sent to dead-letter topic", "reason", reason, "err", err)
	if err := c.sendDeadLetter(ctx, log, r, reason, err); err != nil {
		return err
	}
	c.metrics.Consumed(r.Topic, typ, metrics.OutcomeDLQ, time.Time{})
	return nil
}

// route picks the record's handler from its ce_type header, never by trying parsers.
func (c *Consumer) route(r *kgo.Record) (func(context.Context, *slog.Logger) error, error) {
	typ, _ := header(r, HeaderType)
	id, _ := header(r, HeaderID)
	switch {
	case typ == "":
		return nil, &poison{ReasonMissingHeader, errors.New("no " + HeaderType + " header")}
	case id == "":
		return nil, &poison{ReasonMissingHeader, errors.New("no " + HeaderID + " header")}
	}
	meta := orders.EventMeta{EventID: id}
	meta.CorrelationID, _ = header(r, HeaderCorrelationID)
	meta.TraceParent, _ = header(r, HeaderTraceParent)

	if r.Topic == TopicOrderEvents && c.saga != nil {
		return c.routeSaga(r, typ, meta)
	}
	switch typ {
	case typeUserSignup:
		var ev eventsv1.UserSignupEvent
		if err := proto.Unmarshal(r.Value, &ev); err != nil {
			return nil, &poison{ReasonDecodeError, fmt.Errorf("decode %s: %w", typ, err)}
		}
		if ev.GetUserId() == "" {
			return nil, &poison{ReasonDecodeError, fmt.Errorf("%s without user_id", typ)}
		}
		if meta.CorrelationID == "" {
			meta.CorrelationID = ev.GetEventMetadata().GetCorrelationId()
		}
		if meta.CorrelationID == "" {
			meta.CorrelationID = id
		}
		su := orders.Signup{User: userOf(ev.GetUserId(), ev.GetEmail(), ev.GetName()), Event: meta}
		return func(ctx context.Context, log *slog.Logger) error {
			log.InfoContext(ctx, "user signed up", "event_id", id, "correlation_id", meta.CorrelationID, "user_id", su.User.ID)
			duplicate, err := c.handler.HandleUserSignup(withEvent(ctx, su.Event), su)
			if duplicate {
				err = errDuplicate
			}
			return err
		}, nil
	case typeUserUpdated:
		var ev eventsv1.UserUpdatedEvent
		if err := proto.Unmarshal(r.Value, &ev); err != nil {
			return nil, &poison{ReasonDecodeError, fmt.Errorf("decode %s: %w", typ, err)}
		}
		if ev.GetUserId() == "" {
			return nil, &poison{ReasonDecodeError, fmt.Errorf("%s without user_id", typ)}
		}
		u := userOf(ev.GetUserId(), ev.GetEmail(), ev.GetName())
		return func(ctx context.Context, log *slog.Logger) error {
			log.InfoContext(ctx, "user updated", "event_id", id, "correlation_id", meta.CorrelationID, "user_id", u.ID)
			return c.handler.HandleUserUpdate(withEvent(ctx, meta), u)
		}, nil
	default:
		return nil, &poison{ReasonUnknownType, fmt.Errorf("unknown %s %q", HeaderType, typ)}
	}
}

// routeSaga picks the saga's step for one of this service's own events on order-events.
func (c *Consumer) routeSaga(r *kgo.Record, typ string, meta orders.EventMeta) (func(context.Context, *slog.Logger) error, error) {
	switch typ {
	case typeOrderCreated:
		var ev eventsv1.OrderCreatedEvent
		if err := proto.Unmarshal(r.Value, &ev); err != nil {
			return nil, &poison{ReasonDecodeError, fmt.Errorf("decode %s: %w", typ, err)}
		}
		status := orders.Status(strings.TrimPrefix(ev.GetStatus().String(), "ORDER_STATUS_"))
		return func(ctx context.Context, _ *slog.Logger) error {
			return c.saga.OnOrderCreated(ctx, ev.GetOrderId(), status, meta)
		}, nil
	case typePaymentProcessed:
		var ev eventsv1.PaymentProcessedEvent
		if err := proto.Unmarshal(r.Value, &ev); err != nil {
			return nil, &poison{ReasonDecodeError, fmt.Errorf("decode %s: %w", typ, err)}
		}
		approved := ev.GetStatus() == eventsv1.PaymentStatus_PAYMENT_STATUS_APPROVED
		return func(ctx context.Context, _ *slog.Logger) error {
			return c.saga.OnPaymentProcessed(ctx, ev.GetOrderId(), approved, meta)
		}, nil
	case typeOrderShipped, typeOrderCancelled:
		return func(context.Context, *slog.Logger) error { return nil }, nil // the end of a saga
	default:
		return nil, &poison{ReasonUnknownType, fmt.Errorf("unknown %s %q", HeaderType, typ)}
	}
}

// eventKey is the context key of the record's event ids in a Handler call.
type eventKey struct{}

func withEvent(ctx context.Context, ev orders.EventMeta) context.Context {
	return context.WithValue(ctx, eventKey{}, ev)
}

// EventFrom returns the ids of the event that a Handler method is called for, as the consumer
// read them from the record (the same as Signup.Event for a sign-up); ok is false outside
// such a call.
func EventFrom(ctx context.Context) (ev orders.EventMeta, ok bool) {
	ev, ok = ctx.Value(eventKey{}).(orders.EventMeta)
	return ev, ok
}

// eventTime is the record's ce_time, or the zero time when it has none that parses.
func eventTime(r *kgo.Record) time.Time {
	v, _ := header(r, HeaderTime)
	t, err := time.Parse(time.RFC3339Nano, v)
	if err != nil {
		return time.Time{}
	}
	return t
}

func userOf(id, email, name string) orders.User {
	return orders.User{ID: id, Email: email, Name: name}
}

// handleTimeout bounds one attempt. An attempt runs on a context that shutdown does not
// cancel, so that a record being handled when SIGTERM arrives is finished (its order stored,
// its event acknowledged and marked) rather than cut between the two.
const handleTimeout = 30 * time.Second

func (c *Consumer) handleWithRetry(ctx context.Context, log *slog.Logger, handle func(context.Context, *slog.Logger) error) error {
	pause := c.retry.Backoff
	for attempt := 1; ; attempt++ {
		attemptCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), handleTimeout)
		err := handle(attemptCtx, log)
		cancel()
		if err == nil || errors.Is(err, errDuplicate) || attempt >= c.retry.Attempts || ctx.Err() != nil {
			return err
		}
		log.WarnContext(ctx, "handler failed, retrying", "attempt", attempt, "err", err)
		if err := sleep(ctx, pause); err != nil {
			return err
		}
		pause = min(2*pause, c.retry.MaxBackoff)
	}
}

// sendDeadLetter insists until the dead letter is acknowledged or ctx ends: dropping the
// record here would lose it, since it is marked for commit right after.
func (c *Consumer) sendDeadLetter(ctx context.Context, log *slog.Logger, r *kgo.Record, reason string, cause error) error {
	pause := c.retry.Backoff
	for {
		err := c.dlq.Send(ctx, r, reason, cause)
		if err == nil {
			return nil
		}
		log.ErrorContext(ctx, "dead letter not written, retrying", "err", err)
		if err := sleep(ctx, pause); err != nil {
			return err
		}
		pause = min(2*pause, c.retry.MaxBackoff)
	}
}

func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
