// Command order-service takes orders over HTTP, turns every sign-up on user-events into a
// free welcome order, and announces each order on order-events. This file only wires.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/kafka-polyglot/kafka-polyglot/services/order-service/internal/config"
	"github.com/kafka-polyglot/kafka-polyglot/services/order-service/internal/httpapi"
	"github.com/kafka-polyglot/kafka-polyglot/services/order-service/internal/kafka"
	"github.com/kafka-polyglot/kafka-polyglot/services/order-service/internal/metrics"
	"github.com/kafka-polyglot/kafka-polyglot/services/order-service/internal/orders"
	"github.com/kafka-polyglot/kafka-polyglot/services/order-service/internal/store"
	"github.com/kafka-polyglot/kafka-polyglot/services/order-service/internal/tracing"
)

// version goes into every event's EventMetadata.source_version; set with -ldflags "-X main.version=...".
var version = "0.1.0"

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args, os.Getenv, os.Stdout); err != nil {
		fmt.Fprintf(os.Stderr, "order-service: %v\n", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string, getenv func(string) string, stdout io.Writer) error {
	flags := flag.NewFlagSet(args[0], flag.ContinueOnError)
	flags.SetOutput(stdout)
	if err := flags.Parse(args[1:]); err != nil {
		return err
	}
	cfg, err := config.Parse(getenv)
	if err != nil {
		return err
	}
	log := slog.New(tracing.LogHandler(slog.NewJSONHandler(stdout, &slog.HandlerOptions{Level: cfg.LogLevel}))).
		With("service", kafka.ServiceName)
	if cfg.Instance != "" {
		log = log.With("instance", cfg.Instance)
	}

	tp, err := tracing.NewProvider(cfg.ZipkinEndpoint, cfg.ServiceName)
	if err != nil {
		return err
	}
	defer func() {
		// Last, so the spans of the final requests and records are flushed.
		flushCtx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if err := tp.Shutdown(flushCtx); err != nil {
			log.Warn("flush spans", "err", err)
		}
	}()

	db, err := store.Open(ctx, cfg.DatabasePath)
	if err != nil {
		return err
	}
	defer db.Close()

	producerClient, err := kafka.NewProducerClient(cfg.KafkaBrokers, log)
	if err != nil {
		return err
	}
	defer producerClient.Close()
	m := metrics.New(db.OutboxStats)
	producer := kafka.NewProducer(producerClient, version, m, tp)
	topics := []string{kafka.TopicUserEvents}
	var saga kafka.SagaHandler
	if cfg.Saga {
		topics = append(topics, kafka.TopicOrderEvents)
		saga = orders.NewSaga(db, producer, orders.LocalPayments{Limit: cfg.PaymentLimit}, log)
	}
	consumerClient, err := kafka.NewConsumerClient(cfg.KafkaBrokers, kafka.Group, topics, log)
	if err != nil {
		return err
	}
	defer consumerClient.Close()

	directoryClient, err := kafka.NewDirectoryClient(cfg.KafkaBrokers, log)
	if err != nil {
		return fmt.Errorf("directory client: %w", err)
	}
	defer directoryClient.Close()

	svc := orders.NewService(db, producer, log, orders.Options{UserWait: cfg.UserWait, PublishTimeout: cfg.PublishTimeout})
	directory := kafka.NewDirectory(directoryClient, svc, log)
	consumer := kafka.NewConsumer(consumerClient, kafka.NewDeadLetters(producerClient, kafka.Group, m), svc, saga, log, kafka.DefaultRetry, m, tp)
	health := map[string]httpapi.Pinger{"database": db, "kafka": producerClient}
	srv := &http.Server{
		Addr:              cfg.HTTPAddr,
		Handler:           httpapi.NewServer(svc, health, m, tp, log),
		ReadHeaderTimeout: 10 * time.Second,
		BaseContext:       func(net.Listener) context.Context { return context.WithoutCancel(ctx) },
	}
	listener, err := net.Listen("tcp", cfg.HTTPAddr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", cfg.HTTPAddr, err)
	}

	consumerCtx, stopConsumer := context.WithCancel(context.WithoutCancel(ctx))
	defer stopConsumer()
	consumerDone := make(chan error, 1)
	go func() { consumerDone <- consumer.Run(consumerCtx) }()
	// The relay announces orders whose event was never acknowledged (a broker outage during
	// the request, or a kill between the insert and the ack); 30 s keeps it clear of requests
	// still in flight.
	relayCtx, stopRelay := context.WithCancel(context.WithoutCancel(ctx))
	defer stopRelay()
	relayDone := make(chan struct{})
	go func() { defer close(relayDone); svc.RunRelay(relayCtx, 10*time.Second, 30*time.Second) }()
	directoryDone := make(chan struct{})
	go func() { defer close(directoryDone); directory.Run(relayCtx) }()
	serverDone := make(chan error, 1)
	go func() { serverDone <- srv.Serve(listener) }()
	log.Info("order-service started", "http_addr", cfg.HTTPAddr, "brokers", cfg.KafkaBrokers, "database", cfg.DatabasePath, "saga", cfg.Saga)

	var runErr error
	consumerRunning := true
	select {
	case <-ctx.Done():
	case err := <-serverDone:
		runErr = fmt.Errorf("http server: %w", err)
	case err := <-consumerDone:
		consumerRunning = false
		runErr = fmt.Errorf("consumer stopped unexpectedly: %v", err)
	}

	// Stop taking requests and let those in flight finish (they may still publish), then stop
	// the consumer, which commits what it handled; the deferred closes run last.
	log.Info("order-service stopping")
	shutdownCtx, cancel := context.WithTimeout(context.Background(), cfg.ShutdownTimeout)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil && !errors.Is(err, http.ErrServerClosed) {
		runErr = errors.Join(runErr, fmt.Errorf("http shutdown: %w", err))
	}
	stopRelay()
	<-relayDone
	<-directoryDone
	stopConsumer()
	if consumerRunning {
		if err := <-consumerDone; err != nil {
			runErr = errors.Join(runErr, fmt.Errorf("consumer: %w", err))
		}
	}
	log.Info("order-service stopped")
	return runErr
}
