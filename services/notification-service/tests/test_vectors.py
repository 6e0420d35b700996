"""The shared test vectors of schemas/testdata (issue 4), checked with Python's protobuf runtime (upb).

Rules from schemas/testdata/README.md: binary round trip (bytes, or semantic equality when a map
holds more than one entry, since map order on the wire is unspecified); the JSON twin parses to
the same message; encoding the JSON twin gives the same bytes (same map exception; not for
future-* cases); future-* cases decode and keep their unknown fields byte for byte.
"""

from __future__ import annotations

import importlib
from pathlib import Path

import pytest
from google.protobuf import json_format, message_factory
from google.protobuf.descriptor import FieldDescriptor
from google.protobuf.descriptor_pool import Default as default_pool
from google.protobuf.message import Message

import polyglot

TESTDATA = Path(__file__).resolve().parents[3] / "schemas" / "testdata"


def _import_generated_modules() -> None:
    """Registers every generated message in the default pool, so a vector's type is found by name."""
    for root in polyglot.__path__:
        for module in sorted(Path(root).rglob("*_pb2.py")):
            relative = module.relative_to(Path(root).parent).with_suffix("")
            importlib.import_module(".".join(relative.parts))


def _vectors() -> list[Path]:
    return sorted(p for p in TESTDATA.glob("polyglot.*/*/*.binpb"))


def _type_name(vector: Path) -> str:
    return f"{vector.parent.parent.name}.{vector.parent.name}"


def _new(type_name: str) -> Message:
    descriptor = default_pool().FindMessageTypeByName(type_name)
    return message_factory.GetMessageClass(descriptor)()


def _decode(type_name: str, data: bytes) -> Message:
    message = _new(type_name)
    message.ParseFromString(data)
    return message


def _has_multi_entry_map(message: Message) -> bool:
    for field, value in message.ListFields():
        entry = field.message_type
        if field.type != FieldDescriptor.TYPE_MESSAGE or entry is None:
            continue
        if entry.GetOptions().map_entry:
            if len(value) > 1:
                return True
            value_field = entry.fields_by_name["value"]
            if value_field.type == FieldDescriptor.TYPE_MESSAGE and any(
                _has_multi_entry_map(v) for v in value.values()
            ):
                return True
        elif field.is_repeated:
            if any(_has_multi_entry_map(item) for item in value):
                return True
        elif _has_multi_entry_map(value):
            return True
    return False


def _assert_same_encoding(type_name: str, encoded: bytes, expected: bytes) -> None:
    reference = _decode(type_name, expected)
    if _has_multi_entry_map(reference):
        assert _decode(type_name, encoded) == reference
    else:
        assert encoded == expected


_import_generated_modules()
VECTORS = _vectors()


def test_vectors_are_there() -> None:
    # A missing checkout of schemas/testdata must fail, not pass with nothing tested.
    assert len(VECTORS) >= 13
    assert {_type_name(v) for v in VECTORS} >= {
        "polyglot.events.v1.UserSignupEvent",
        "polyglot.events.v1.OrderCreatedEvent",
        "polyglot.events.v1.EmailSentEvent",
        "polyglot.common.v1.EventMetadata",
        "polyglot.common.v1.Money",
    }


@pytest.mark.parametrize("vector", VECTORS, ids=[f"{_type_name(v)}/{v.stem}" for v in VECTORS])
def test_vector_round_trips(vector: Path) -> None:
    type_name = _type_name(vector)
    binary = vector.read_bytes()
    json_text = vector.with_suffix(".json").read_text(encoding="utf-8")
    future = vector.stem.startswith("future-")

    decoded = _decode(type_name, binary)
    # Rule 1 (and rule 4 for future-* cases: unknown fields survive, in place).
    if future:
        assert decoded.SerializeToString() == binary
    else:
        _assert_same_encoding(type_name, decoded.SerializeToString(), binary)

    # Rule 2: the JSON twin is the same message (for future-* cases without the unknown fields).
    from_json = json_format.Parse(json_text, _new(type_name))
    if future:
        known_only = _decode(type_name, binary)
        known_only.DiscardUnknownFields()
        assert from_json == known_only
        assert known_only.SerializeToString() != binary  # the case really holds unknown fields
    else:
        assert from_json == decoded
        # Rule 3: encoding the JSON twin gives the vector's bytes.
        _assert_same_encoding(type_name, from_json.SerializeToString(), binary)
