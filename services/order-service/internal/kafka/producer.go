package kafka

import (
	"context"
	"fmt"

	"github.com/twmb/franz-go/pkg/kgo"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/known/timestamppb"

	commonv1 "github.com/kafka-polyglot/kafka-polyglot/services/order-service/internal/gen/polyglot/common/v1"
	eventsv1 "github.com/kafka-polyglot/kafka-polyglot/services/order-service/internal/gen/polyglot/events/v1"
	"github.com/kafka-polyglot/kafka-polyglot/services/order-service/internal/orders"
)

// Producer publishes order-service's events on order-events, keyed by user_id, with the
// contract's headers, and returns once the broker acknowledged each record.
type Producer struct {
	client  *kgo.Client
	version string
}

// NewProducer wraps a producer client; version goes into EventMetadata.source_version.
func NewProducer(client *kgo.Client, version string) *Producer {
	return &Producer{client: client, version: version}
}

// PublishOrderCreated sends the order's OrderCreatedEvent.
func (p *Producer) PublishOrderCreated(ctx context.Context, o orders.Order) error {
	msg := OrderCreatedEvent(o, p.version)
	value, err := proto.Marshal(msg)
	if err != nil {
		return fmt.Errorf("encode OrderCreatedEvent %s: %w", o.Event.EventID, err)
	}
	rec := &kgo.Record{
		Topic: TopicOrderEvents,
		Key:   []byte(o.UserID),
		Value: value,
		Headers: ceHeaders{
			id:            o.Event.EventID,
			typ:           string(msg.ProtoReflect().Descriptor().FullName()),
			correlationID: o.Event.CorrelationID,
			causationID:   o.Event.CausationID,
			traceParent:   childTraceParent(o.Event.TraceParent),
			time:          o.Event.Time,
		}.records(),
	}
	if err := p.client.ProduceSync(ctx, rec).FirstErr(); err != nil {
		return fmt.Errorf("produce OrderCreatedEvent %s to %s: %w", o.Event.EventID, TopicOrderEvents, err)
	}
	return nil
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
		EventMetadata: &commonv1.EventMetadata{
			EventId:       o.Event.EventID,
			CorrelationId: o.Event.CorrelationID,
			CausationId:   o.Event.CausationID,
			SourceService: ServiceName,
			SourceVersion: version,
			Timestamp:     timestamppb.New(o.Event.Time),
		},
		TotalMoney: money(o.Currency, o.Total),
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
