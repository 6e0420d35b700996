package serialization

// Plain structs for the Avro benchmark, tagged with the field names of the schemas in
// bench/serialization/avro/ (the .proto names). A pointer is a ["null", record] union; an
// enum is its symbol.

type avroTimestamp struct {
	Seconds int64 `avro:"seconds"`
	Nanos   int32 `avro:"nanos"`
}

type avroMoney struct {
	CurrencyCode string `avro:"currency_code"`
	Units        int64  `avro:"units"`
	Nanos        int32  `avro:"nanos"`
}

type avroEventMetadata struct {
	EventID       string            `avro:"event_id"`
	CorrelationID string            `avro:"correlation_id"`
	CausationID   string            `avro:"causation_id"`
	SourceService string            `avro:"source_service"`
	SourceVersion string            `avro:"source_version"`
	Timestamp     *avroTimestamp    `avro:"timestamp"`
	Headers       map[string]string `avro:"headers"`
}

type avroUserSignupEvent struct {
	UserID          string             `avro:"user_id"`
	Email           string             `avro:"email"`
	Name            string             `avro:"name"`
	SignupTimestamp *avroTimestamp     `avro:"signup_timestamp"`
	Source          string             `avro:"source"`
	Metadata        map[string]string  `avro:"metadata"`
	EventMetadata   *avroEventMetadata `avro:"event_metadata"`
	PhoneNumber     string             `avro:"phone_number"`
}

type avroUserUpdatedEvent struct {
	UserID           string             `avro:"user_id"`
	Email            string             `avro:"email"`
	Name             string             `avro:"name"`
	UpdatedTimestamp *avroTimestamp     `avro:"updated_timestamp"`
	UpdatedFields    []string           `avro:"updated_fields"`
	EventMetadata    *avroEventMetadata `avro:"event_metadata"`
	PhoneNumber      string             `avro:"phone_number"`
	PreviousEmail    string             `avro:"previous_email"`
}

type avroOrderItem struct {
	ProductID      string     `avro:"product_id"`
	ProductName    string     `avro:"product_name"`
	Quantity       int32      `avro:"quantity"`
	UnitPrice      float64    `avro:"unit_price"`
	UnitPriceMoney *avroMoney `avro:"unit_price_money"`
}

type avroOrderCreatedEvent struct {
	OrderID          string             `avro:"order_id"`
	UserID           string             `avro:"user_id"`
	TotalAmount      float64            `avro:"total_amount"`
	Currency         string             `avro:"currency"`
	Status           string             `avro:"status"`
	Items            []avroOrderItem    `avro:"items"`
	CreatedTimestamp *avroTimestamp     `avro:"created_timestamp"`
	EventMetadata    *avroEventMetadata `avro:"event_metadata"`
	TotalMoney       *avroMoney         `avro:"total_money"`
}

type avroOrderShippedEvent struct {
	OrderID          string             `avro:"order_id"`
	UserID           string             `avro:"user_id"`
	TrackingNumber   string             `avro:"tracking_number"`
	Carrier          string             `avro:"carrier"`
	ShippedTimestamp *avroTimestamp     `avro:"shipped_timestamp"`
	EventMetadata    *avroEventMetadata `avro:"event_metadata"`
}

type avroPaymentProcessedEvent struct {
	OrderID            string             `avro:"order_id"`
	UserID             string             `avro:"user_id"`
	PaymentID          string             `avro:"payment_id"`
	Amount             *avroMoney         `avro:"amount"`
	Status             string             `avro:"status"`
	DeclineReason      string             `avro:"decline_reason"`
	Provider           string             `avro:"provider"`
	ProcessedTimestamp *avroTimestamp     `avro:"processed_timestamp"`
	EventMetadata      *avroEventMetadata `avro:"event_metadata"`
}

type avroOrderCancelledEvent struct {
	OrderID            string             `avro:"order_id"`
	UserID             string             `avro:"user_id"`
	Reason             string             `avro:"reason"`
	CancelledTimestamp *avroTimestamp     `avro:"cancelled_timestamp"`
	EventMetadata      *avroEventMetadata `avro:"event_metadata"`
}

type avroEmailSentEvent struct {
	UserID            string             `avro:"user_id"`
	EmailAddress      string             `avro:"email_address"`
	TemplateID        string             `avro:"template_id"`
	EmailType         string             `avro:"email_type"`
	TemplateVariables map[string]string  `avro:"template_variables"`
	SentTimestamp     *avroTimestamp     `avro:"sent_timestamp"`
	EventMetadata     *avroEventMetadata `avro:"event_metadata"`
	Subject           string             `avro:"subject"`
	OrderID           string             `avro:"order_id"`
}

type avroSMSSentEvent struct {
	UserID         string             `avro:"user_id"`
	PhoneNumber    string             `avro:"phone_number"`
	MessageContent string             `avro:"message_content"`
	SMSType        string             `avro:"sms_type"`
	SentTimestamp  *avroTimestamp     `avro:"sent_timestamp"`
	EventMetadata  *avroEventMetadata `avro:"event_metadata"`
	OrderID        string             `avro:"order_id"`
}

type avroAnalyticsUpdate struct {
	MetricName       string             `avro:"metric_name"`
	Value            float64            `avro:"value"`
	PreviousValue    float64            `avro:"previous_value"`
	Labels           map[string]string  `avro:"labels"`
	UpdatedTimestamp *avroTimestamp     `avro:"updated_timestamp"`
	EventMetadata    *avroEventMetadata `avro:"event_metadata"`
	TriggerEventID   string             `avro:"trigger_event_id"`
}

type avroMetricsCollected struct {
	CollectedTimestamp *avroTimestamp     `avro:"collected_timestamp"`
	UserSignups        int64              `avro:"user_signups"`
	OrdersCreated      int64              `avro:"orders_created"`
	EmailsSent         int64              `avro:"emails_sent"`
	SMSSent            int64              `avro:"sms_sent"`
	PaymentsDeclined   int64              `avro:"payments_declined"`
	TotalRevenue       *avroMoney         `avro:"total_revenue"`
	SignupsBySource    map[string]int64   `avro:"signups_by_source"`
	OrdersByStatus     map[string]int64   `avro:"orders_by_status"`
	EventsByType       map[string]int64   `avro:"events_by_type"`
	IntervalSeconds    int32              `avro:"interval_seconds"`
	EventMetadata      *avroEventMetadata `avro:"event_metadata"`
}
