"""The benchmark cases: each message of bench/serialization/messages.json with its test vector,
ready in every format (the decoded protobuf message, the JSON object, the Avro record)."""

from __future__ import annotations

import importlib
import json
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[3]
BENCH_DIR = ROOT / "bench" / "serialization"
GEN_DIR = ROOT / "services" / "notification-service" / "gen"

# notification-service's generated code, used as the service uses it (not regenerated here).
if str(GEN_DIR) not in sys.path:
    sys.path.insert(0, str(GEN_DIR))

from fastavro import parse_schema  # noqa: E402
from google.protobuf import descriptor_pool, message_factory  # noqa: E402
from google.protobuf.descriptor import FieldDescriptor  # noqa: E402
from google.protobuf.message import Message  # noqa: E402


@dataclass(frozen=True)
class Case:
    """One message: its full name, its class, and one value per format."""

    name: str
    proto_class: type[Message]
    proto: Message
    json_object: dict[str, Any]
    avro_schema: Any
    avro_record: dict[str, Any]


def _import_generated() -> None:
    # Importing a *_pb2 module registers its messages in the default descriptor pool.
    for path in sorted(GEN_DIR.glob("polyglot/**/*_pb2.py")):
        importlib.import_module(".".join(path.relative_to(GEN_DIR).with_suffix("").parts))


def _avro_value(field: FieldDescriptor, value: Any) -> Any:
    if field.type == FieldDescriptor.TYPE_MESSAGE:
        return to_avro_record(value)
    if field.type == FieldDescriptor.TYPE_ENUM:
        return field.enum_type.values_by_number[value].name
    return value


def to_avro_record(message: Message) -> dict[str, Any]:
    """The Avro record of a protobuf message: same field names, enums by symbol, unset
    message fields as null (the schemas in avro/ mirror the .proto files field for field)."""
    record: dict[str, Any] = {}
    for field in message.DESCRIPTOR.fields:
        value = getattr(message, field.name)
        if field.message_type is not None and field.message_type.GetOptions().map_entry:
            value_field = field.message_type.fields_by_name["value"]
            record[field.name] = {k: _avro_value(value_field, v) for k, v in value.items()}
        elif field.is_repeated:
            record[field.name] = [_avro_value(field, v) for v in value]
        elif field.type == FieldDescriptor.TYPE_MESSAGE and not message.HasField(field.name):
            record[field.name] = None
        else:
            record[field.name] = _avro_value(field, value)
    return record


def load_cases() -> list[Case]:
    _import_generated()
    spec = json.loads((BENCH_DIR / "messages.json").read_text())
    named: dict[str, Any] = {}
    for type_name in spec["named_types"]:
        parse_schema(json.loads((BENCH_DIR / "avro" / f"{type_name}.avsc").read_text()), named_schemas=named)
    pool = descriptor_pool.Default()
    cases = []
    for name in spec["messages"]:
        package, message = name.rsplit(".", 1)
        vector = ROOT / "schemas" / "testdata" / package / message / spec["case"]
        proto_class = message_factory.GetMessageClass(pool.FindMessageTypeByName(name))
        proto = proto_class.FromString(vector.with_suffix(".binpb").read_bytes())
        schema = parse_schema(json.loads((BENCH_DIR / "avro" / f"{name}.avsc").read_text()), named_schemas=named)
        cases.append(
            Case(
                name=name,
                proto_class=proto_class,
                proto=proto,
                json_object=json.loads(vector.with_suffix(".json").read_text()),
                avro_schema=schema,
                avro_record=to_avro_record(proto),
            )
        )
    return cases
