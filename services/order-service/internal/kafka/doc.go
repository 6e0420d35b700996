// Package kafka connects order-service to the broker with franz-go: the consumer loop on
// user-events (consumer.go), the producer of order events (producer.go), the dead-letter
// queue (dlq.go) and the CloudEvents headers of the contract (headers.go).
package kafka
