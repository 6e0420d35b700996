package vectors

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"
	"google.golang.org/protobuf/reflect/protoregistry"

	// The generated packages register their types, which the test looks up by full name.
	_ "github.com/kafka-polyglot/kafka-polyglot/services/order-service/internal/gen/polyglot/common/v1"
	_ "github.com/kafka-polyglot/kafka-polyglot/services/order-service/internal/gen/polyglot/events/v1"
)

// testdata is schemas/testdata, from this package's directory.
var testdata = filepath.Join("..", "..", "..", "..", "schemas", "testdata")

type vector struct {
	name     string // e.g. polyglot.events.v1/UserSignupEvent/full
	typ      protoreflect.MessageType
	binary   []byte
	json     []byte
	isFuture bool
}

// loadVectors walks testdata/polyglot.*/<Message>/<case>.binpb; no case is listed by hand,
// so a new vector is tested the moment it lands.
func loadVectors(t *testing.T) []vector {
	t.Helper()
	paths, err := filepath.Glob(filepath.Join(testdata, "polyglot.*", "*", "*.binpb"))
	if err != nil {
		t.Fatal(err)
	}
	if len(paths) == 0 {
		t.Fatalf("no vectors under %s", testdata)
	}
	var out []vector
	for _, p := range paths {
		msgDir := filepath.Dir(p)
		pkg, msg := filepath.Base(filepath.Dir(msgDir)), filepath.Base(msgDir)
		kase := strings.TrimSuffix(filepath.Base(p), ".binpb")
		fullName := protoreflect.FullName(pkg + "." + msg)
		typ, err := protoregistry.GlobalTypes.FindMessageByName(fullName)
		if err != nil {
			t.Fatalf("%s: no Go type %s: %v", p, fullName, err)
		}
		bin, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		js, err := os.ReadFile(strings.TrimSuffix(p, ".binpb") + ".json")
		if err != nil {
			t.Fatalf("%s has no .json twin: %v", p, err)
		}
		out = append(out, vector{
			name:     pkg + "/" + msg + "/" + kase,
			typ:      typ,
			binary:   bin,
			json:     js,
			isFuture: strings.HasPrefix(kase, "future-"),
		})
	}
	return out
}

func TestVectors(t *testing.T) {
	for _, v := range loadVectors(t) {
		t.Run(v.name, func(t *testing.T) {
			fromBinary := v.typ.New().Interface()
			if err := proto.Unmarshal(v.binary, fromBinary); err != nil {
				t.Fatalf("decode binary: %v", err)
			}

			t.Run("binary round trip", func(t *testing.T) {
				assertEncodes(t, fromBinary, v.binary, v.typ)
			})

			t.Run("json decodes to the same message", func(t *testing.T) {
				fromJSON := v.typ.New().Interface()
				if err := protojson.Unmarshal(v.json, fromJSON); err != nil {
					t.Fatalf("decode json: %v", err)
				}
				want := v.typ.New().Interface()
				if err := (proto.UnmarshalOptions{DiscardUnknown: true}).Unmarshal(v.binary, want); err != nil {
					t.Fatalf("decode binary without unknown fields: %v", err)
				}
				if !proto.Equal(fromJSON, want) {
					t.Fatalf("json and binary differ:\njson:   %v\nbinary: %v", fromJSON, want)
				}
				if !v.isFuture {
					t.Run("json encodes to the same bytes", func(t *testing.T) {
						assertEncodes(t, fromJSON, v.binary, v.typ)
					})
				}
			})

			if v.isFuture {
				t.Run("unknown fields survive", func(t *testing.T) {
					if len(fromBinary.ProtoReflect().GetUnknown()) == 0 && !hasNestedUnknown(fromBinary.ProtoReflect()) {
						t.Fatalf("a future-* vector decoded without unknown fields")
					}
					got, err := proto.Marshal(fromBinary)
					if err != nil {
						t.Fatal(err)
					}
					if !bytes.Equal(got, v.binary) {
						t.Fatalf("re-encoded bytes differ:\ngot  %x\nwant %x", got, v.binary)
					}
				})
			}
		})
	}
}

// assertEncodes encodes m and compares with want: byte for byte, unless m holds a map with
// more than one entry somewhere, whose order on the wire is unspecified; then it decodes the
// bytes again and compares messages (proto.Equal compares maps as maps).
func assertEncodes(t *testing.T, m proto.Message, want []byte, typ protoreflect.MessageType) {
	t.Helper()
	got, err := proto.Marshal(m)
	if err != nil {
		t.Fatalf("encode: %v", err)
	}
	if !hasMultiEntryMap(m.ProtoReflect()) {
		if !bytes.Equal(got, want) {
			t.Fatalf("bytes differ:\ngot  %x\nwant %x", got, want)
		}
		return
	}
	again := typ.New().Interface()
	if err := proto.Unmarshal(got, again); err != nil {
		t.Fatalf("decode re-encoded bytes: %v", err)
	}
	if !proto.Equal(again, m) {
		t.Fatalf("re-encoded message differs:\ngot  %v\nwant %v", again, m)
	}
}

func hasMultiEntryMap(m protoreflect.Message) bool {
	found := false
	m.Range(func(fd protoreflect.FieldDescriptor, v protoreflect.Value) bool {
		switch {
		case fd.IsMap():
			found = v.Map().Len() > 1
			if !found && fd.MapValue().Message() != nil {
				v.Map().Range(func(_ protoreflect.MapKey, mv protoreflect.Value) bool {
					found = hasMultiEntryMap(mv.Message())
					return !found
				})
			}
		case fd.IsList() && fd.Message() != nil:
			for i := 0; i < v.List().Len() && !found; i++ {
				found = hasMultiEntryMap(v.List().Get(i).Message())
			}
		case fd.Message() != nil:
			found = hasMultiEntryMap(v.Message())
		}
		return !found
	})
	return found
}

func hasNestedUnknown(m protoreflect.Message) bool {
	found := len(m.GetUnknown()) > 0
	m.Range(func(fd protoreflect.FieldDescriptor, v protoreflect.Value) bool {
		switch {
		case fd.IsMap():
		case fd.IsList() && fd.Message() != nil:
			for i := 0; i < v.List().Len() && !found; i++ {
				found = hasNestedUnknown(v.List().Get(i).Message())
			}
		case fd.Message() != nil:
			found = hasNestedUnknown(v.Message())
		}
		return !found
	})
	return found
}

// TestEveryMessageHasAVector keeps the vectors honest from Go's side: every message type the
// generated code registers under polyglot.* has at least one vector.
func TestEveryMessageHasAVector(t *testing.T) {
	have := map[protoreflect.FullName]bool{}
	for _, v := range loadVectors(t) {
		have[v.typ.Descriptor().FullName()] = true
	}
	protoregistry.GlobalTypes.RangeMessages(func(mt protoreflect.MessageType) bool {
		name := mt.Descriptor().FullName()
		if strings.HasPrefix(string(name), "polyglot.") && !mt.Descriptor().IsMapEntry() && !have[name] {
			t.Errorf("message %s has no vector in %s", name, testdata)
		}
		return true
	})
}
