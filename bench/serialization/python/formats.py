"""One encoder/decoder pair per format, each the usual call of its library."""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from dataclasses import dataclass
from importlib.metadata import version
from typing import Any

import fastavro
import orjson

from cases import Case


@dataclass(frozen=True)
class Codec:
    """A format with its library: `prepare` gives the value to encode from a case."""

    format: str
    library: str
    prepare: Callable[[Case], Any]
    encode: Callable[[Case, Any], bytes]
    decode: Callable[[Case, bytes], Any]


def _avro_encode(case: Case, record: Any) -> bytes:
    out = io.BytesIO()
    fastavro.schemaless_writer(out, case.avro_schema, record)
    return out.getvalue()


def _avro_decode(case: Case, data: bytes) -> Any:
    return fastavro.schemaless_reader(io.BytesIO(data), case.avro_schema, None)


CODECS = [
    Codec(
        "protobuf",
        f"protobuf {version('protobuf')} (upb)",
        lambda case: case.proto,
        lambda case, message: message.SerializeToString(),
        lambda case, data: case.proto_class.FromString(data),
    ),
    Codec(
        "json",
        "json (stdlib)",
        lambda case: case.json_object,
        # Compact, as bytes: what a Kafka record's value holds.
        lambda case, obj: json.dumps(obj, ensure_ascii=False, separators=(",", ":")).encode(),
        lambda case, data: json.loads(data),
    ),
    Codec(
        "json",
        f"orjson {version('orjson')}",
        lambda case: case.json_object,
        lambda case, obj: orjson.dumps(obj),
        lambda case, data: orjson.loads(data),
    ),
    Codec(
        "avro",
        f"fastavro {version('fastavro')}",
        lambda case: case.avro_record,
        _avro_encode,
        _avro_decode,
    ),
]
