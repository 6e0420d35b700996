package serialization

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"

	"github.com/hamba/avro/v2"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"
	"google.golang.org/protobuf/reflect/protoregistry"

	// order-service's generated code registers the messages by their full names.
	_ "github.com/kafka-polyglot/kafka-polyglot/services/order-service/internal/gen/polyglot/events/v1"
)

// goTypes maps each listed message to its JSON and Avro struct types.
var goTypes = map[string]struct{ json, avro reflect.Type }{
	"polyglot.events.v1.UserSignupEvent":       {typeOf[jsonUserSignupEvent](), typeOf[avroUserSignupEvent]()},
	"polyglot.events.v1.UserUpdatedEvent":      {typeOf[jsonUserUpdatedEvent](), typeOf[avroUserUpdatedEvent]()},
	"polyglot.events.v1.OrderCreatedEvent":     {typeOf[jsonOrderCreatedEvent](), typeOf[avroOrderCreatedEvent]()},
	"polyglot.events.v1.OrderShippedEvent":     {typeOf[jsonOrderShippedEvent](), typeOf[avroOrderShippedEvent]()},
	"polyglot.events.v1.PaymentProcessedEvent": {typeOf[jsonPaymentProcessedEvent](), typeOf[avroPaymentProcessedEvent]()},
	"polyglot.events.v1.OrderCancelledEvent":   {typeOf[jsonOrderCancelledEvent](), typeOf[avroOrderCancelledEvent]()},
	"polyglot.events.v1.EmailSentEvent":        {typeOf[jsonEmailSentEvent](), typeOf[avroEmailSentEvent]()},
	"polyglot.events.v1.SMSSentEvent":          {typeOf[jsonSMSSentEvent](), typeOf[avroSMSSentEvent]()},
	"polyglot.events.v1.AnalyticsUpdate":       {typeOf[jsonAnalyticsUpdate](), typeOf[avroAnalyticsUpdate]()},
	"polyglot.events.v1.MetricsCollected":      {typeOf[jsonMetricsCollected](), typeOf[avroMetricsCollected]()},
}

func typeOf[T any]() reflect.Type { return reflect.TypeFor[T]() }

// codec is one format with its library: the value it encodes, its encode and decode calls,
// and its equality (for the round-trip check before measuring).
type codec struct {
	format, library string
	value           any
	encode          func(any) ([]byte, error)
	decode          func([]byte) (any, error)
	equal           func(a, b any) bool
}

// benchCase is one message of messages.json with a codec per format.
type benchCase struct {
	name   string
	codecs []codec
}

type messageList struct {
	Case       string   `json:"case"`
	NamedTypes []string `json:"named_types"`
	Messages   []string `json:"messages"`
}

// loadCases reads messages.json, each message's vector and Avro schema, from root (the repository).
func loadCases(root string) ([]benchCase, error) {
	benchDir := filepath.Join(root, "bench", "serialization")
	raw, err := os.ReadFile(filepath.Join(benchDir, "messages.json"))
	if err != nil {
		return nil, fmt.Errorf("read the message list: %w", err)
	}
	var list messageList
	if err := json.Unmarshal(raw, &list); err != nil {
		return nil, fmt.Errorf("parse messages.json: %w", err)
	}
	parseSchema := func(name string) (avro.Schema, error) {
		text, err := os.ReadFile(filepath.Join(benchDir, "avro", name+".avsc"))
		if err != nil {
			return nil, fmt.Errorf("read the Avro schema of %s: %w", name, err)
		}
		return avro.Parse(string(text)) // named types land in avro.DefaultSchemaCache
	}
	for _, name := range list.NamedTypes {
		if _, err := parseSchema(name); err != nil {
			return nil, err
		}
	}
	var cases []benchCase
	for _, name := range list.Messages {
		c, err := loadCase(root, list.Case, name, parseSchema)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		cases = append(cases, c)
	}
	return cases, nil
}

func loadCase(root, caseName, name string, parseSchema func(string) (avro.Schema, error)) (benchCase, error) {
	types, ok := goTypes[name]
	if !ok {
		return benchCase{}, fmt.Errorf("no Go structs for it in goTypes")
	}
	dot := strings.LastIndex(name, ".")
	vector := filepath.Join(root, "schemas", "testdata", name[:dot], name[dot+1:], caseName)
	mt, err := protoregistry.GlobalTypes.FindMessageByName(protoreflect.FullName(name))
	if err != nil {
		return benchCase{}, fmt.Errorf("find the generated type: %w", err)
	}
	binpb, err := os.ReadFile(vector + ".binpb")
	if err != nil {
		return benchCase{}, err
	}
	message := mt.New().Interface()
	if err := proto.Unmarshal(binpb, message); err != nil {
		return benchCase{}, fmt.Errorf("decode the vector: %w", err)
	}
	jsonText, err := os.ReadFile(vector + ".json")
	if err != nil {
		return benchCase{}, err
	}
	jsonValue := reflect.New(types.json).Interface()
	if err := json.Unmarshal(jsonText, jsonValue); err != nil {
		return benchCase{}, fmt.Errorf("read the .json twin into %s: %w", types.json, err)
	}
	schema, err := parseSchema(name)
	if err != nil {
		return benchCase{}, err
	}
	avroValue := reflect.New(types.avro)
	if err := fillAvro(message.ProtoReflect(), avroValue.Elem()); err != nil {
		return benchCase{}, err
	}
	return benchCase{name: name, codecs: []codec{
		{
			format: "protobuf", library: "google.golang.org/protobuf " + moduleVersion("google.golang.org/protobuf"),
			value:  message,
			encode: func(v any) ([]byte, error) { return proto.Marshal(v.(proto.Message)) },
			decode: func(b []byte) (any, error) {
				m := mt.New().Interface()
				return m, proto.Unmarshal(b, m)
			},
			equal: func(a, b any) bool { return proto.Equal(a.(proto.Message), b.(proto.Message)) },
		},
		{
			format: "json", library: "encoding/json (structs)",
			value:  jsonValue,
			encode: json.Marshal,
			decode: func(b []byte) (any, error) {
				v := reflect.New(types.json).Interface()
				return v, json.Unmarshal(b, v)
			},
			equal: reflect.DeepEqual,
		},
		{
			format: "avro", library: "hamba/avro " + moduleVersion("github.com/hamba/avro/v2") + " (structs)",
			value:  avroValue.Interface(),
			encode: func(v any) ([]byte, error) { return avro.Marshal(schema, v) },
			decode: func(b []byte) (any, error) {
				v := reflect.New(types.avro).Interface()
				return v, avro.Unmarshal(schema, b, v)
			},
			equal: reflect.DeepEqual,
		},
	}}, nil
}
