// Package tracing sets up OpenTelemetry tracing for order-service: spans exported in batches
// to Zipkin's v2 intake, W3C trace context (traceparent) on HTTP requests and Kafka records,
// as infra/zipkin/README.md asks of every service.
package tracing

import (
	"fmt"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/exporters/zipkin"
	"go.opentelemetry.io/otel/propagation"
	"go.opentelemetry.io/otel/sdk/resource"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
)

// Propagator reads and writes the W3C traceparent header.
var Propagator = propagation.TraceContext{}

// NewProvider builds the tracer provider of serviceName: sampled whenever the parent is (and
// always for a root), batched to the Zipkin endpoint, or kept in-process when endpoint is "".
// Its Shutdown flushes the last batch.
func NewProvider(endpoint, serviceName string) (*sdktrace.TracerProvider, error) {
	opts := []sdktrace.TracerProviderOption{
		sdktrace.WithResource(resource.NewSchemaless(attribute.String("service.name", serviceName))),
		sdktrace.WithSampler(sdktrace.ParentBased(sdktrace.AlwaysSample())),
	}
	if endpoint != "" {
		exporter, err := zipkin.New(endpoint)
		if err != nil {
			return nil, fmt.Errorf("zipkin exporter for %s: %w", endpoint, err)
		}
		opts = append(opts, sdktrace.WithBatcher(exporter))
	}
	return sdktrace.NewTracerProvider(opts...), nil
}
