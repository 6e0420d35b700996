// Package config reads order-service's settings from the environment once, at start, and
// fails fast with every problem it found.
package config

import (
	"errors"
	"fmt"
	"log/slog"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/kafka-polyglot/kafka-polyglot/services/order-service/internal/orders"
)

// Config is the service's whole configuration.
type Config struct {
	// KafkaBrokers comes from KAFKA_BOOTSTRAP_SERVERS (comma-separated host:port).
	KafkaBrokers []string
	// HTTPAddr is HTTP_HOST:HTTP_PORT (127.0.0.1:8081 by default).
	HTTPAddr string
	// LogLevel comes from LOG_LEVEL: debug, info, warn or error.
	LogLevel slog.Level
	// DatabasePath is orders.db under SHARED_DATA_DIR when set, else under DATA_DIR
	// (.polyglot/data by default). Instances of one consumer group must share it: the saga
	// of an order runs on whichever instance owns the partition of its event, not on the
	// instance that took the order.
	DatabasePath string
	// UserWait (ORDER_USER_WAIT, a Go duration such as 5s) bounds how long a new order
	// waits for its user's sign-up to arrive before answering 422.
	UserWait time.Duration
	// Instance (POLYGLOT_INSTANCE, set by `up --scale` on instances 2..N, e.g.
	// "order-service-2") names this instance in the logs; empty for the first.
	Instance string
	// ZipkinEndpoint (ZIPKIN_ENDPOINT) is where spans go; "none" keeps them in-process.
	ZipkinEndpoint string
	// ServiceName (OTEL_SERVICE_NAME) names the service in its traces.
	ServiceName string
	// ShutdownTimeout (SHUTDOWN_TIMEOUT) bounds the graceful stop.
	ShutdownTimeout time.Duration
	// PublishTimeout (PUBLISH_TIMEOUT) bounds how long POST /api/orders waits for the
	// broker's acknowledgement before answering 202.
	PublishTimeout time.Duration
	// Saga (ORDER_SAGA, on by default) runs the payment and shipping saga on order-events;
	// off leaves every order as it was created.
	Saga bool
	// PaymentLimit (PAYMENT_LIMIT, a decimal such as 1000.00): the local payment provider
	// declines orders whose total is above it.
	PaymentLimit orders.Amount
}

// Parse reads the configuration through getenv.
func Parse(getenv func(string) string) (Config, error) {
	get := func(key, def string) string {
		if v := strings.TrimSpace(getenv(key)); v != "" {
			return v
		}
		return def
	}
	var errs []error
	cfg := Config{}

	for _, b := range strings.Split(get("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:9092"), ",") {
		if b = strings.TrimSpace(b); b != "" {
			cfg.KafkaBrokers = append(cfg.KafkaBrokers, b)
		}
	}
	if len(cfg.KafkaBrokers) == 0 {
		errs = append(errs, errors.New("KAFKA_BOOTSTRAP_SERVERS: no broker"))
	}

	port, err := strconv.Atoi(get("HTTP_PORT", "8081"))
	if err != nil || port < 0 || port > 65535 {
		errs = append(errs, fmt.Errorf("HTTP_PORT: %q is not a port number", getenv("HTTP_PORT")))
	}
	cfg.HTTPAddr = get("HTTP_HOST", "127.0.0.1") + ":" + strconv.Itoa(port)

	if err := cfg.LogLevel.UnmarshalText([]byte(get("LOG_LEVEL", "info"))); err != nil {
		errs = append(errs, fmt.Errorf("LOG_LEVEL: %w", err))
	}

	cfg.Instance = get("POLYGLOT_INSTANCE", "")
	cfg.ZipkinEndpoint = get("ZIPKIN_ENDPOINT", "http://127.0.0.1:9411/api/v2/spans")
	if strings.EqualFold(cfg.ZipkinEndpoint, "none") {
		cfg.ZipkinEndpoint = ""
	}
	cfg.ServiceName = get("OTEL_SERVICE_NAME", "order-service")
	cfg.DatabasePath = filepath.Join(get("SHARED_DATA_DIR", get("DATA_DIR", filepath.Join(".polyglot", "data"))), "orders.db")

	cfg.UserWait, err = duration(get("ORDER_USER_WAIT", "5s"))
	if err != nil {
		errs = append(errs, fmt.Errorf("ORDER_USER_WAIT: %w", err))
	}
	cfg.ShutdownTimeout, err = duration(get("SHUTDOWN_TIMEOUT", "10s"))
	if err != nil {
		errs = append(errs, fmt.Errorf("SHUTDOWN_TIMEOUT: %w", err))
	}

	cfg.PublishTimeout, err = duration(get("PUBLISH_TIMEOUT", "10s"))
	if err != nil {
		errs = append(errs, fmt.Errorf("PUBLISH_TIMEOUT: %w", err))
	}
	switch v := strings.ToLower(get("ORDER_SAGA", "on")); v {
	case "on", "true", "1":
		cfg.Saga = true
	case "off", "false", "0":
	default:
		errs = append(errs, fmt.Errorf("ORDER_SAGA: %q is neither on nor off", v))
	}
	if cfg.PaymentLimit, err = orders.ParseAmount(get("PAYMENT_LIMIT", "1000.00")); err != nil {
		errs = append(errs, fmt.Errorf("PAYMENT_LIMIT: %w", err))
	}

	if err := errors.Join(errs...); err != nil {
		return Config{}, fmt.Errorf("configuration: %w", err)
	}
	return cfg, nil
}

func duration(s string) (time.Duration, error) {
	d, err := time.ParseDuration(s)
	if err != nil {
		return 0, err
	}
	if d < 0 {
		return 0, fmt.Errorf("%s is negative", s)
	}
	return d, nil
}
