// Package serialization measures protobuf (order-service's generated code), JSON
// (encoding/json, into plain structs) and Avro (hamba/avro, into plain structs) encode and
// decode of the test vectors of the messages in bench/serialization/messages.json, with
// `go test -bench`. TestMain writes the results in the shared shape when BENCH_RESULTS names
// a file.
package serialization
