package serialization

import (
	"fmt"
	"reflect"

	"google.golang.org/protobuf/reflect/protoreflect"
)

// fillAvro copies a protobuf message into its Avro struct, field by field through the avro
// tags (the .proto names): enums become their symbols, unset messages stay nil pointers.
func fillAvro(m protoreflect.Message, dst reflect.Value) error {
	fields := m.Descriptor().Fields()
	for i := range dst.NumField() {
		tag := dst.Type().Field(i).Tag.Get("avro")
		fd := fields.ByName(protoreflect.Name(tag))
		if fd == nil {
			return fmt.Errorf("%s has no field %q", m.Descriptor().FullName(), tag)
		}
		out := dst.Field(i)
		switch {
		case fd.IsMap():
			out.Set(reflect.MakeMap(out.Type()))
			var err error
			m.Get(fd).Map().Range(func(k protoreflect.MapKey, v protoreflect.Value) bool {
				elem := reflect.New(out.Type().Elem()).Elem()
				if err = fillValue(fd.MapValue(), v, elem); err != nil {
					return false
				}
				out.SetMapIndex(reflect.ValueOf(k.String()), elem)
				return true
			})
			if err != nil {
				return err
			}
		case fd.IsList():
			list := m.Get(fd).List()
			out.Set(reflect.MakeSlice(out.Type(), list.Len(), list.Len()))
			for j := range list.Len() {
				if err := fillValue(fd, list.Get(j), out.Index(j)); err != nil {
					return err
				}
			}
		case fd.Kind() == protoreflect.MessageKind && !m.Has(fd):
			// a nil pointer: the union's null
		default:
			if err := fillValue(fd, m.Get(fd), out); err != nil {
				return err
			}
		}
	}
	return nil
}

func fillValue(fd protoreflect.FieldDescriptor, v protoreflect.Value, out reflect.Value) error {
	switch fd.Kind() {
	case protoreflect.MessageKind:
		if out.Kind() == reflect.Pointer {
			out.Set(reflect.New(out.Type().Elem()))
			out = out.Elem()
		}
		return fillAvro(v.Message(), out)
	case protoreflect.EnumKind:
		out.SetString(string(fd.Enum().Values().ByNumber(v.Enum()).Name()))
	case protoreflect.StringKind:
		out.SetString(v.String())
	case protoreflect.Int32Kind, protoreflect.Int64Kind:
		out.SetInt(v.Int())
	case protoreflect.DoubleKind:
		out.SetFloat(v.Float())
	default:
		return fmt.Errorf("field %s: kind %s is not mapped to Avro here", fd.FullName(), fd.Kind())
	}
	return nil
}
