package kafka

import (
	"context"
	"fmt"

	"github.com/twmb/franz-go/pkg/kgo"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/propagation"
	"go.opentelemetry.io/otel/trace"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/known/timestamppb"

	commonv1 "github.com/kafka-polyglot/kafka-polyglot/services/order-service/internal/gen/polyglot/common/v1"
	eventsv1 "github.com/kafka-polyglot/kafka-polyglot/services/order-service/internal/gen/polyglot/events/v1"
	"github.com/kafka-polyglot/kafka-polyglot/services/order-service/internal/metrics"
	"github.com/kafka-polyglot/kafka-polyglot/services/order-service/internal/orders"
	"github.com/kafka-polyglot/kafka-polyglot/services/order-service/internal/tracing"
)

// Producer publishes order-service's events on order-events, keyed by user_id, with the
// contract's headers, and returns once the broker acknowledged each record.
type Producer struct {
	client  *kgo.Client
	version string
	metrics *metrics.Metrics
	tracer  trace.Tracer
}

// NewProducer wraps a producer client; version goes into EventMetadata.source_version.
func NewProducer(client *kgo.Client, version string, m *metrics.Metrics, tp trace.TracerProvider) *Producer {
	return &Producer{client: client, version: version, metrics: m, tracer: tp.Tracer("order-service/kafka")}
}

// PublishOrderCreated sends the order's OrderCreatedEvent.
func (p *Producer) PublishOrderCreated(ctx context.Context, o orders.Order) error {
	return p.publish(ctx, o.UserID, o.Event, OrderCreatedEvent(o, p.version))
}

// OrderCreatedEvent builds the event announcing o: the exact Money amounts, and beside them
// the schema's double fields for older readers.
func OrderCreatedEvent(o orders.Order, version string) *eventsv1.OrderCreatedEvent {
	items := make([]*eventsv1.OrderItem, len(o.Items))
	for i, it := range o.Items {
		items[i] = &eventsv1.OrderItem{
			ProductId:      it.ProductID,
			ProductName:    it.ProductName,
			Quantity:       int32(it.Quantity),
			UnitPrice:      it.UnitPrice.Float64(),
			UnitPriceMoney: money(o.Currency, it.UnitPrice),
		}
	}
	return &eventsv1.OrderCreatedEvent{
		OrderId:          o.ID,
		UserId:           o.UserID,
		TotalAmount:      o.Total.Float64(),
		Currency:         o.Currency,
		Status:           orderStatus(o.Status),
		Items:            items,
		CreatedTimestamp: timestamppb.New(o.CreatedAt),
		EventMetadata:    metadata(o.Event, version),
		TotalMoney:       money(o.Currency, o.Total),
	}
}

func money(currency string, a orders.Amount) *commonv1.Money {
	return &commonv1.Money{CurrencyCode: currency, Units: a.Units(), Nanos: a.Nanos()}
}

func orderStatus(s orders.Status) eventsv1.OrderStatus {
	if v, ok := eventsv1.OrderStatus_value["ORDER_STATUS_"+string(s)]; ok {
		return eventsv1.OrderStatus(v)
	}
	return eventsv1.OrderStatus_ORDER_STATUS_UNSPECIFIED
}

// PublishSagaEvent sends one saga step's event: PaymentProcessedEvent, OrderShippedEvent or
// OrderCancelledEvent.
func (p *Producer) PublishSagaEvent(ctx context.Context, ev orders.SagaEvent) error {
	msg, err := sagaMessage(ev, p.version)
	if err != nil {
		return err
	}
	return p.publish(ctx, ev.Order.UserID, ev.Meta, msg)
}

func sagaMessage(ev orders.SagaEvent, version string) (proto.Message, error) {
	o, md := ev.Order, metadata(ev.Meta, version)
	at := timestamppb.New(ev.Meta.Time)
	switch {
	case ev.Payment != nil:
		status := eventsv1.PaymentStatus_PAYMENT_STATUS_APPROVED
		if !ev.Payment.Approved {
			status = eventsv1.PaymentStatus_PAYMENT_STATUS_DECLINED
		}
		return &eventsv1.PaymentProcessedEvent{
			OrderId: o.ID, UserId: o.UserID, PaymentId: ev.Payment.ID, Amount: money(o.Currency, o.Total),
			Status: status, DeclineReason: ev.Payment.DeclineReason, Provider: ev.Payment.Provider,
			ProcessedTimestamp: at, EventMetadata: md,
		}, nil
	case ev.Shipment != nil:
		return &eventsv1.OrderShippedEvent{
			OrderId: o.ID, UserId: o.UserID, TrackingNumber: ev.Shipment.TrackingNumber, Carrier: ev.Shipment.Carrier,
			ShippedTimestamp: at, EventMetadata: md,
		}, nil
	case ev.Cancelled != "":
		return &eventsv1.OrderCancelledEvent{
			OrderId: o.ID, UserId: o.UserID, Reason: ev.Cancelled, CancelledTimestamp: at, EventMetadata: md,
		}, nil
	default:
		return nil, fmt.Errorf("saga event %s of order %s has no payload", ev.Meta.EventID, o.ID)
	}
}

// publish sends msg on order-events keyed by userID, with the contract's headers from meta.
func (p *Producer) publish(ctx context.Context, userID string, meta orders.EventMeta, msg proto.Message) error {
	typ := string(msg.ProtoReflect().Descriptor().FullName())
	value, err := proto.Marshal(msg)
	if err != nil {
		return fmt.Errorf("encode %s %s: %w", typ, meta.EventID, err)
	}
	// The PRODUCER span is a child of the current span (the HTTP request's, or the consumed
	// record's); without one (the relay) it continues the trace stored with the event.
	parent := ctx
	if !trace.SpanContextFromContext(ctx).IsValid() {
		parent = tracing.Propagator.Extract(ctx, propagation.MapCarrier{HeaderTraceParent: meta.TraceParent})
	}
	spanCtx, span := p.tracer.Start(parent, TopicOrderEvents+" publish", trace.WithSpanKind(trace.SpanKindProducer),
		trace.WithAttributes(attribute.String("messaging.system", "kafka"), attribute.String("messaging.destination.name", TopicOrderEvents),
			attribute.String("messaging.kafka.message.key", userID), attribute.String("messaging.message.id", meta.EventID)))
	defer span.End()
	carrier := propagation.MapCarrier{}
	tracing.Propagator.Inject(spanCtx, carrier)
	rec := &kgo.Record{
		Topic: TopicOrderEvents,
		Key:   []byte(userID),
		Value: value,
		Headers: ceHeaders{
			id:            meta.EventID,
			typ:           typ,
			correlationID: meta.CorrelationID,
			causationID:   meta.CausationID,
			traceParent:   carrier.Get(HeaderTraceParent),
			time:          meta.Time,
		}.records(),
	}
	if err := p.client.ProduceSync(ctx, rec).FirstErr(); err != nil {
		span.SetStatus(codes.Error, err.Error())
		return fmt.Errorf("produce %s %s to %s: %w", typ, meta.EventID, TopicOrderEvents, err)
	}
	p.metrics.Produced(TopicOrderEvents, typ)
	return nil
}

func metadata(meta orders.EventMeta, version string) *commonv1.EventMetadata {
	return &commonv1.EventMetadata{
		EventId:       meta.EventID,
		CorrelationId: meta.CorrelationID,
		CausationId:   meta.CausationID,
		SourceService: ServiceName,
		SourceVersion: version,
		Timestamp:     timestamppb.New(meta.Time),
	}
}
