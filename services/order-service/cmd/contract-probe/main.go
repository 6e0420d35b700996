// Command contract-probe is order-service's real Kafka consumer (client, ce_type routing,
// decoding, retries and dead-letter path, with the saga's order-events) whose business
// handlers are replaced by a recorder: each handler call becomes one JSON line on stdout,
// {"type": "<full protobuf name>", "view": {...}}, for the cross-language contract tests
// (tests/contract/consumers/order-service.ts). Logs go to stderr.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/kafka-polyglot/kafka-polyglot/services/order-service/internal/kafka"
	"github.com/kafka-polyglot/kafka-polyglot/services/order-service/internal/metrics"
	"github.com/kafka-polyglot/kafka-polyglot/services/order-service/internal/tracing"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args, os.Stdout, os.Stderr); err != nil {
		fmt.Fprintf(os.Stderr, "contract-probe: %v\n", err)
		os.Exit(1)
	}
}

// run consumes until ctx ends, then commits what it handled and returns nil.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	flags := flag.NewFlagSet(args[0], flag.ContinueOnError)
	flags.SetOutput(stderr)
	bootstrap := flags.String("bootstrap", "127.0.0.1:9092", "Kafka bootstrap servers, comma-separated")
	group := flags.String("group", "", "consumer group (required); also the dead letters' dlq.group")
	if err := flags.Parse(args[1:]); err != nil {
		return err
	}
	if *group == "" {
		return errors.New("--group is required")
	}
	brokers := strings.Split(*bootstrap, ",")
	log := slog.New(slog.NewJSONHandler(stderr, nil)).With("service", kafka.ServiceName, "probe", true)

	// The spans stay in-process: the probe has no Zipkin to report to.
	tp, err := tracing.NewProvider("", kafka.ServiceName)
	if err != nil {
		return err
	}
	defer func() {
		flushCtx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = tp.Shutdown(flushCtx)
	}()
	producerClient, err := kafka.NewProducerClient(brokers, log)
	if err != nil {
		return err
	}
	defer producerClient.Close()
	// The service consumes order-events too unless ORDER_SAGA=off, and so does the probe.
	topics := []string{kafka.TopicUserEvents, kafka.TopicOrderEvents}
	consumerClient, err := kafka.NewConsumerClient(brokers, *group, topics, log)
	if err != nil {
		return err
	}
	defer consumerClient.Close()

	m := metrics.New(nil)
	rec := newRecorder(stdout)
	consumer := kafka.NewConsumer(consumerClient, kafka.NewDeadLetters(producerClient, *group, m), rec, rec, log, kafka.DefaultRetry, m, tp)
	log.Info("contract probe started", "brokers", brokers, "group", *group, "topics", topics)
	if err := consumer.Run(ctx); err != nil {
		return fmt.Errorf("consumer: %w", err)
	}
	log.Info("contract probe stopped")
	return nil
}
