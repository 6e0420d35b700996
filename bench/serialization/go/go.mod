// The Go harness of the serialization benchmark (bench/serialization/README.md).
//
// The module path sits under order-service's on purpose: Go lets only code under
// services/order-service import its internal/gen, and the harness measures exactly the
// generated code the service runs (the replace below points at it), not a second copy.
module github.com/kafka-polyglot/kafka-polyglot/services/order-service/serializationbench

go 1.26.0

require (
	github.com/hamba/avro/v2 v2.31.0
	github.com/kafka-polyglot/kafka-polyglot/services/order-service v0.0.0
	google.golang.org/protobuf v1.36.12
)

require (
	github.com/go-viper/mapstructure/v2 v2.4.0 // indirect
	github.com/json-iterator/go v1.1.12 // indirect
	github.com/modern-go/concurrent v0.0.0-20180306012644-bacd9c7ef1dd // indirect
	github.com/modern-go/reflect2 v1.0.2 // indirect
)

replace github.com/kafka-polyglot/kafka-polyglot/services/order-service => ../../../services/order-service
