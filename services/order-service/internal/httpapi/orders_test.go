package httpapi

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"testing"
	"time"

	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
	"go.opentelemetry.io/otel/trace"

	"github.com/kafka-polyglot/kafka-polyglot/services/order-service/internal/metrics"
	"github.com/kafka-polyglot/kafka-polyglot/services/order-service/internal/orders"
	"github.com/kafka-polyglot/kafka-polyglot/services/order-service/internal/store"
)

type fakePublisher struct {
	err  error
	sent []orders.Order
}

func (p *fakePublisher) PublishOrderCreated(_ context.Context, o orders.Order) error {
	if p.err != nil {
		return p.err
	}
	p.sent = append(p.sent, o)
	return nil
}

type pingFunc func(context.Context) error

func (f pingFunc) Ping(ctx context.Context) error { return f(ctx) }

// newTestServer serves a real Service on an in-memory store that knows user "u1".
func newTestServer(t *testing.T, pub *fakePublisher, health map[string]Pinger) http.Handler {
	t.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, ":memory:")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	if err := st.SaveUser(ctx, orders.User{ID: "u1", Email: "u1@example.com", Name: "U One"}); err != nil {
		t.Fatal(err)
	}
	log := slog.New(slog.NewJSONHandler(io.Discard, nil))
	svc := orders.NewService(st, pub, log, orders.Options{})
	return NewServer(svc, health, metrics.New(st.OutboxStats), sdktrace.NewTracerProvider(), log)
}

func do(t *testing.T, h http.Handler, method, path, body string, headers map[string]string) *httptest.ResponseRecorder {
	t.Helper()
	req := httptest.NewRequest(method, path, strings.NewReader(body))
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

const demoBody = `{"user_id":"u1","items":[{"product_id":"prod_1","quantity":2,"price":29.99},{"product_id":"prod_2","quantity":1,"price":49.99}]}`

func TestCreateOrder(t *testing.T) {
	pub := &fakePublisher{}
	h := newTestServer(t, pub, nil)
	rec := do(t, h, "POST", "/api/orders", demoBody, map[string]string{"X-Correlation-ID": "corr-42"})
	if rec.Code != http.StatusCreated {
		t.Fatalf("status = %d, body %s", rec.Code, rec.Body)
	}
	if got := rec.Header().Get("X-Correlation-ID"); got != "corr-42" {
		t.Fatalf("X-Correlation-ID = %q, want it echoed", got)
	}
	// The total must be the exact decimal in the document itself.
	if !strings.Contains(rec.Body.String(), `"total":109.97`) {
		t.Fatalf("body %s has no exact total 109.97", rec.Body)
	}
	var resp struct {
		OrderID string `json:"order_id"`
		Status  string `json:"status"`
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &resp); err != nil {
		t.Fatal(err)
	}
	if resp.Status != "PENDING" || resp.OrderID == "" {
		t.Fatalf("response = %+v", resp)
	}
	if len(pub.sent) != 1 || pub.sent[0].Event.CorrelationID != "corr-42" || pub.sent[0].ID != resp.OrderID {
		t.Fatalf("published %+v", pub.sent)
	}

	get := do(t, h, "GET", "/api/orders/"+resp.OrderID, "", nil)
	if get.Code != http.StatusOK {
		t.Fatalf("GET status = %d, body %s", get.Code, get.Body)
	}
	var order struct {
		OrderID       string      `json:"order_id"`
		UserID        string      `json:"user_id"`
		Status        string      `json:"status"`
		Total         json.Number `json:"total"`
		CorrelationID string      `json:"correlation_id"`
		Items         []struct {
			Price json.Number `json:"price"`
		} `json:"items"`
		History []struct {
			Status string    `json:"status"`
			At     time.Time `json:"at"`
		} `json:"history"`
	}
	if err := json.Unmarshal(get.Body.Bytes(), &order); err != nil {
		t.Fatal(err)
	}
	if order.OrderID != resp.OrderID || order.UserID != "u1" || order.Total != "109.97" || len(order.Items) != 2 ||
		order.Items[0].Price != "29.99" || order.CorrelationID != "corr-42" || order.Status != "PENDING" ||
		len(order.History) != 1 || order.History[0].Status != "PENDING" || order.History[0].At.IsZero() {
		t.Fatalf("GET order = %+v", order)
	}
}

func TestCreateOrderNewCorrelationID(t *testing.T) {
	h := newTestServer(t, &fakePublisher{}, nil)
	rec := do(t, h, "POST", "/api/orders", demoBody, nil)
	if rec.Code != http.StatusCreated || len(rec.Header().Get("X-Correlation-ID")) != 36 {
		t.Fatalf("status %d, X-Correlation-ID %q; want 201 and a new UUID", rec.Code, rec.Header().Get("X-Correlation-ID"))
	}
}

func TestCreateOrderBadRequests(t *testing.T) {
	tests := []struct {
		name       string
		body       string
		wantFields []string
	}{
		{name: "empty body", body: ``, wantFields: []string{"body"}},
		{name: "malformed json", body: `{"user_id":"u1",`, wantFields: []string{"body"}},
		{name: "not an object", body: `[1,2]`, wantFields: []string{"body"}},
		{name: "two documents", body: demoBody + demoBody, wantFields: []string{"body"}},
		{name: "unknown field", body: `{"user_id":"u1","coupon":"X","items":[]}`, wantFields: []string{"coupon"}},
		{name: "unknown item field", body: `{"user_id":"u1","items":[{"product_id":"p","quantity":1,"price":1,"color":"red"}]}`, wantFields: []string{"color"}},
		{name: "user id of wrong type", body: `{"user_id":7,"items":[]}`, wantFields: []string{"user_id"}},
		{name: "items of wrong type", body: `{"user_id":"u1","items":{}}`, wantFields: []string{"items"}},
		{name: "quantity as string", body: `{"user_id":"u1","items":[{"product_id":"p","quantity":"2","price":1}]}`, wantFields: []string{"items[0].quantity"}},
		{name: "price as string", body: `{"user_id":"u1","items":[{"product_id":"p","quantity":2,"price":"1.00"}]}`, wantFields: []string{"items[0].price"}},
		{name: "price as bool", body: `{"user_id":"u1","items":[{"product_id":"p","quantity":2,"price":true}]}`, wantFields: []string{"items[0].price"}},
		{name: "no items", body: `{"user_id":"u1","items":[]}`, wantFields: []string{"items"}},
		{name: "quantity zero", body: `{"user_id":"u1","items":[{"product_id":"p","quantity":0,"price":1}]}`, wantFields: []string{"items[0].quantity"}},
		{name: "quantity fraction", body: `{"user_id":"u1","items":[{"product_id":"p","quantity":1.5,"price":1}]}`, wantFields: []string{"items[0].quantity"}},
		{name: "negative price", body: `{"user_id":"u1","items":[{"product_id":"p","quantity":1,"price":-1}]}`, wantFields: []string{"items[0].price"}},
		{name: "price with three decimals", body: `{"user_id":"u1","items":[{"product_id":"p","quantity":1,"price":1.001}]}`, wantFields: []string{"items[0].price"}},
		{name: "missing price", body: `{"user_id":"u1","items":[{"product_id":"p","quantity":1}]}`, wantFields: []string{"items[0].price"}},
		{name: "null price", body: `{"user_id":"u1","items":[{"product_id":"p","quantity":1,"price":null}]}`, wantFields: []string{"items[0].price"}},
		{name: "body over 64 KiB", body: `{"user_id":"` + strings.Repeat("x", 70_000) + `"}`, wantFields: []string{"body"}},
		{
			name:       "every field named",
			body:       `{"items":[{"quantity":0,"price":1.234}]}`,
			wantFields: []string{"user_id", "items[0].product_id", "items[0].quantity", "items[0].price"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			pub := &fakePublisher{}
			rec := do(t, newTestServer(t, pub, nil), "POST", "/api/orders", tt.body, nil)
			if rec.Code != http.StatusBadRequest {
				t.Fatalf("status = %d, want 400; body %s", rec.Code, rec.Body)
			}
			p := decodeProblem(t, rec)
			var got []string
			for _, fe := range p.Errors {
				got = append(got, fe.Field)
			}
			if !reflect.DeepEqual(got, tt.wantFields) {
				t.Fatalf("fields = %v, want %v (problem %+v)", got, tt.wantFields, p)
			}
			if len(pub.sent) != 0 {
				t.Fatal("published an event for a bad request")
			}
		})
	}
}

func decodeProblem(t *testing.T, rec *httptest.ResponseRecorder) problem {
	t.Helper()
	if ct := rec.Header().Get("Content-Type"); ct != "application/problem+json" {
		t.Fatalf("Content-Type = %q, want application/problem+json", ct)
	}
	var p problem
	if err := json.Unmarshal(rec.Body.Bytes(), &p); err != nil {
		t.Fatal(err)
	}
	if p.Status != rec.Code || p.Type == "" || p.Title == "" || p.Detail == "" {
		t.Fatalf("incomplete problem %+v", p)
	}
	return p
}

func TestCreateOrderErrors(t *testing.T) {
	tests := []struct {
		name       string
		body       string
		wantStatus int
	}{
		{name: "unknown user", body: strings.Replace(demoBody, `"u1"`, `"stranger"`, 1), wantStatus: http.StatusUnprocessableEntity},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := do(t, newTestServer(t, &fakePublisher{}, nil), "POST", "/api/orders", tt.body, nil)
			if rec.Code != tt.wantStatus {
				t.Fatalf("status = %d, want %d; body %s", rec.Code, tt.wantStatus, rec.Body)
			}
			decodeProblem(t, rec)
		})
	}
}

func TestListOrdersOfUser(t *testing.T) {
	h := newTestServer(t, &fakePublisher{}, nil)
	for range 2 {
		if rec := do(t, h, "POST", "/api/orders", demoBody, nil); rec.Code != http.StatusCreated {
			t.Fatalf("POST = %d", rec.Code)
		}
	}
	tests := []struct {
		name       string
		query      string
		wantStatus int
		wantOrders int
	}{
		{name: "two orders", query: "?user_id=u1", wantStatus: http.StatusOK, wantOrders: 2},
		{name: "no orders", query: "?user_id=other", wantStatus: http.StatusOK, wantOrders: 0},
		{name: "no user", query: "", wantStatus: http.StatusBadRequest},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := do(t, h, "GET", "/api/orders"+tt.query, "", nil)
			if rec.Code != tt.wantStatus {
				t.Fatalf("status = %d, want %d", rec.Code, tt.wantStatus)
			}
			if tt.wantStatus != http.StatusOK {
				decodeProblem(t, rec)
				return
			}
			var body struct {
				Orders []struct {
					Total json.Number `json:"total"`
				} `json:"orders"`
			}
			if err := json.Unmarshal(rec.Body.Bytes(), &body); err != nil {
				t.Fatal(err)
			}
			if len(body.Orders) != tt.wantOrders {
				t.Fatalf("%d orders, want %d", len(body.Orders), tt.wantOrders)
			}
			for _, o := range body.Orders {
				if o.Total != "109.97" {
					t.Fatalf("total = %s", o.Total)
				}
			}
		})
	}
}

func TestIdempotencyKey(t *testing.T) {
	pub := &fakePublisher{}
	h := newTestServer(t, pub, nil)
	key := map[string]string{"Idempotency-Key": "retry-1"}
	post := func(body string, headers map[string]string) (int, string) {
		rec := do(t, h, "POST", "/api/orders", body, headers)
		var resp struct {
			OrderID string `json:"order_id"`
		}
		_ = json.Unmarshal(rec.Body.Bytes(), &resp)
		return rec.Code, resp.OrderID
	}

	// The broker is down on the first attempt: the order is accepted, not yet announced, and
	// the client retries.
	pub.err = errors.New("no broker")
	if code, _ := post(demoBody, key); code != http.StatusAccepted {
		t.Fatalf("first attempt = %d, want 202", code)
	}
	pub.err = nil
	code, first := post(demoBody, key)
	if code != http.StatusCreated {
		t.Fatalf("retry = %d, want 201", code)
	}
	code, again := post(demoBody, key)
	if code != http.StatusCreated || again != first {
		t.Fatalf("second retry = %d %s, want 201 with the first order %s", code, again, first)
	}
	if len(pub.sent) != 1 || pub.sent[0].ID != first {
		t.Fatalf("published %d events, want the one order once", len(pub.sent))
	}

	other := strings.Replace(demoBody, `"quantity":2`, `"quantity":3`, 1)
	if code, _ := post(other, key); code != http.StatusUnprocessableEntity {
		t.Fatalf("same key, other order = %d, want 422", code)
	}
	if code, id := post(demoBody, nil); code != http.StatusCreated || id == first {
		t.Fatalf("without a key = %d %s, want a new order", code, id)
	}
}

func TestMetricsCountRequests(t *testing.T) {
	h := newTestServer(t, &fakePublisher{}, nil)
	do(t, h, "POST", "/api/orders", demoBody, nil)
	do(t, h, "POST", "/api/orders", `{}`, nil)
	do(t, h, "GET", "/api/orders/missing", "", nil)
	rec := do(t, h, "GET", "/metrics", "", nil)
	if rec.Code != http.StatusOK {
		t.Fatalf("GET /metrics = %d", rec.Code)
	}
	for _, want := range []string{
		`http_server_requests_seconds_count{method="POST",status="201",uri="/api/orders"} 1`,
		`http_server_requests_seconds_count{method="POST",status="400",uri="/api/orders"} 1`,
		`http_server_requests_seconds_count{method="GET",status="404",uri="/api/orders/{id}"} 1`,
		`polyglot_outbox_pending_records 0`,
		`polyglot_outbox_backlog_age_seconds 0`,
		`go_goroutines`,
	} {
		if !strings.Contains(rec.Body.String(), want) {
			t.Errorf("/metrics lacks %s", want)
		}
	}
}

func TestCreateOrderWhileTheBrokerIsDown(t *testing.T) {
	pub := &fakePublisher{err: errors.New("no broker")}
	h := newTestServer(t, pub, nil)
	rec := do(t, h, "POST", "/api/orders", demoBody, nil)
	if rec.Code != http.StatusAccepted || rec.Header().Get("Location") == "" || !strings.Contains(rec.Body.String(), `"total":109.97`) {
		t.Fatalf("status %d, Location %q, body %s; want 202 with the stored order", rec.Code, rec.Header().Get("Location"), rec.Body)
	}
	if get := do(t, h, "GET", rec.Header().Get("Location"), "", nil); get.Code != http.StatusOK {
		t.Fatalf("GET the accepted order = %d", get.Code)
	}
}

func TestServerSpanContinuesTheRequestTrace(t *testing.T) {
	spans := tracetest.NewInMemoryExporter()
	st, err := store.Open(context.Background(), ":memory:")
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	log := slog.New(slog.NewJSONHandler(io.Discard, nil))
	h := NewServer(orders.NewService(st, &fakePublisher{}, log, orders.Options{}), nil, nil,
		sdktrace.NewTracerProvider(sdktrace.WithSyncer(spans)), log)
	do(t, h, "GET", "/api/orders/nope", "", map[string]string{"traceparent": "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"})
	got := spans.GetSpans()
	if len(got) != 1 {
		t.Fatalf("%d spans, want 1", len(got))
	}
	s := got[0]
	if s.Name != "GET /api/orders/{id}" || s.SpanKind != trace.SpanKindServer ||
		s.SpanContext.TraceID().String() != "0af7651916cd43dd8448eb211c80319c" || s.Parent.SpanID().String() != "b7ad6b7169203331" {
		t.Fatalf("span %s (%v) in trace %s under %s; want the SERVER span of the route under the request's traceparent",
			s.Name, s.SpanKind, s.SpanContext.TraceID(), s.Parent.SpanID())
	}
}

func TestGetOrderNotFound(t *testing.T) {
	rec := do(t, newTestServer(t, &fakePublisher{}, nil), "GET", "/api/orders/nope", "", nil)
	if rec.Code != http.StatusNotFound {
		t.Fatalf("status = %d", rec.Code)
	}
	decodeProblem(t, rec)
}

func TestHealth(t *testing.T) {
	tests := []struct {
		name       string
		kafkaErr   error
		wantStatus int
		want       string
	}{
		{name: "up", wantStatus: http.StatusOK, want: `"status":"UP"`},
		{name: "broker down", kafkaErr: errors.New("unreachable"), wantStatus: http.StatusServiceUnavailable, want: `"kafka":"DOWN"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			health := map[string]Pinger{
				"database": pingFunc(func(context.Context) error { return nil }),
				"kafka":    pingFunc(func(context.Context) error { return tt.kafkaErr }),
			}
			rec := do(t, newTestServer(t, &fakePublisher{}, health), "GET", "/health", "", nil)
			if rec.Code != tt.wantStatus || !strings.Contains(rec.Body.String(), tt.want) {
				t.Fatalf("status %d body %s; want %d with %s", rec.Code, rec.Body, tt.wantStatus, tt.want)
			}
		})
	}
}
