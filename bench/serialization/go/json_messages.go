package serialization

// Plain structs for the JSON benchmark, shaped like the protobuf JSON mapping of each message
// (lowerCamelCase names; int64 and timestamps as strings; enums by name), which is what the
// vectors' .json twins hold. omitempty leaves out what protobuf JSON leaves out.

type jsonMoney struct {
	CurrencyCode string `json:"currencyCode,omitempty"`
	Units        string `json:"units,omitempty"`
	Nanos        int32  `json:"nanos,omitempty"`
}

type jsonEventMetadata struct {
	EventID       string            `json:"eventId,omitempty"`
	CorrelationID string            `json:"correlationId,omitempty"`
	CausationID   string            `json:"causationId,omitempty"`
	SourceService string            `json:"sourceService,omitempty"`
	SourceVersion string            `json:"sourceVersion,omitempty"`
	Timestamp     string            `json:"timestamp,omitempty"`
	Headers       map[string]string `json:"headers,omitempty"`
}

type jsonUserSignupEvent struct {
	UserID          string             `json:"userId,omitempty"`
	Email           string             `json:"email,omitempty"`
	Name            string             `json:"name,omitempty"`
	SignupTimestamp string             `json:"signupTimestamp,omitempty"`
	Source          string             `json:"source,omitempty"`
	Metadata        map[string]string  `json:"metadata,omitempty"`
	EventMetadata   *jsonEventMetadata `json:"eventMetadata,omitempty"`
	PhoneNumber     string             `json:"phoneNumber,omitempty"`
}

type jsonUserUpdatedEvent struct {
	UserID           string             `json:"userId,omitempty"`
	Email            string             `json:"email,omitempty"`
	Name             string             `json:"name,omitempty"`
	UpdatedTimestamp string             `json:"updatedTimestamp,omitempty"`
	UpdatedFields    []string           `json:"updatedFields,omitempty"`
	EventMetadata    *jsonEventMetadata `json:"eventMetadata,omitempty"`
	PhoneNumber      string             `json:"phoneNumber,omitempty"`
	PreviousEmail    string             `json:"previousEmail,omitempty"`
}

type jsonOrderItem struct {
	ProductID      string     `json:"productId,omitempty"`
	ProductName    string     `json:"productName,omitempty"`
	Quantity       int32      `json:"quantity,omitempty"`
	UnitPrice      float64    `json:"unitPrice,omitempty"`
	UnitPriceMoney *jsonMoney `json:"unitPriceMoney,omitempty"`
}

type jsonOrderCreatedEvent struct {
	OrderID          string             `json:"orderId,omitempty"`
	UserID           string             `json:"userId,omitempty"`
	TotalAmount      float64            `json:"totalAmount,omitempty"`
	Currency         string             `json:"currency,omitempty"`
	Status           string             `json:"status,omitempty"`
	Items            []jsonOrderItem    `json:"items,omitempty"`
	CreatedTimestamp string             `json:"createdTimestamp,omitempty"`
	EventMetadata    *jsonEventMetadata `json:"eventMetadata,omitempty"`
	TotalMoney       *jsonMoney         `json:"totalMoney,omitempty"`
}

type jsonOrderShippedEvent struct {
	OrderID          string             `json:"orderId,omitempty"`
	UserID           string             `json:"userId,omitempty"`
	TrackingNumber   string             `json:"trackingNumber,omitempty"`
	Carrier          string             `json:"carrier,omitempty"`
	ShippedTimestamp string             `json:"shippedTimestamp,omitempty"`
	EventMetadata    *jsonEventMetadata `json:"eventMetadata,omitempty"`
}

type jsonPaymentProcessedEvent struct {
	OrderID            string             `json:"orderId,omitempty"`
	UserID             string             `json:"userId,omitempty"`
	PaymentID          string             `json:"paymentId,omitempty"`
	Amount             *jsonMoney         `json:"amount,omitempty"`
	Status             string             `json:"status,omitempty"`
	DeclineReason      string             `json:"declineReason,omitempty"`
	Provider           string             `json:"provider,omitempty"`
	ProcessedTimestamp string             `json:"processedTimestamp,omitempty"`
	EventMetadata      *jsonEventMetadata `json:"eventMetadata,omitempty"`
}

type jsonOrderCancelledEvent struct {
	OrderID            string             `json:"orderId,omitempty"`
	UserID             string             `json:"userId,omitempty"`
	Reason             string             `json:"reason,omitempty"`
	CancelledTimestamp string             `json:"cancelledTimestamp,omitempty"`
	EventMetadata      *jsonEventMetadata `json:"eventMetadata,omitempty"`
}

type jsonEmailSentEvent struct {
	UserID            string             `json:"userId,omitempty"`
	EmailAddress      string             `json:"emailAddress,omitempty"`
	TemplateID        string             `json:"templateId,omitempty"`
	EmailType         string             `json:"emailType,omitempty"`
	TemplateVariables map[string]string  `json:"templateVariables,omitempty"`
	SentTimestamp     string             `json:"sentTimestamp,omitempty"`
	EventMetadata     *jsonEventMetadata `json:"eventMetadata,omitempty"`
	Subject           string             `json:"subject,omitempty"`
	OrderID           string             `json:"orderId,omitempty"`
}

type jsonSMSSentEvent struct {
	UserID         string             `json:"userId,omitempty"`
	PhoneNumber    string             `json:"phoneNumber,omitempty"`
	MessageContent string             `json:"messageContent,omitempty"`
	SMSType        string             `json:"smsType,omitempty"`
	SentTimestamp  string             `json:"sentTimestamp,omitempty"`
	EventMetadata  *jsonEventMetadata `json:"eventMetadata,omitempty"`
	OrderID        string             `json:"orderId,omitempty"`
}

type jsonAnalyticsUpdate struct {
	MetricName       string             `json:"metricName,omitempty"`
	Value            float64            `json:"value,omitempty"`
	PreviousValue    float64            `json:"previousValue,omitempty"`
	Labels           map[string]string  `json:"labels,omitempty"`
	UpdatedTimestamp string             `json:"updatedTimestamp,omitempty"`
	EventMetadata    *jsonEventMetadata `json:"eventMetadata,omitempty"`
	TriggerEventID   string             `json:"triggerEventId,omitempty"`
}

type jsonMetricsCollected struct {
	CollectedTimestamp string             `json:"collectedTimestamp,omitempty"`
	UserSignups        string             `json:"userSignups,omitempty"`
	OrdersCreated      string             `json:"ordersCreated,omitempty"`
	EmailsSent         string             `json:"emailsSent,omitempty"`
	SMSSent            string             `json:"smsSent,omitempty"`
	PaymentsDeclined   string             `json:"paymentsDeclined,omitempty"`
	TotalRevenue       *jsonMoney         `json:"totalRevenue,omitempty"`
	SignupsBySource    map[string]string  `json:"signupsBySource,omitempty"`
	OrdersByStatus     map[string]string  `json:"ordersByStatus,omitempty"`
	EventsByType       map[string]string  `json:"eventsByType,omitempty"`
	IntervalSeconds    int32              `json:"intervalSeconds,omitempty"`
	EventMetadata      *jsonEventMetadata `json:"eventMetadata,omitempty"`
}
