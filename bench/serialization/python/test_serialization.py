"""pytest-benchmark: encode and decode of every case in every format. Each test first checks
that decoding its own encoding gives the value back; speed is only recorded."""

from __future__ import annotations

import pytest

from cases import Case, load_cases
from formats import CODECS, Codec

CASES = load_cases()
IDS = [case.name.rsplit(".", 1)[1] for case in CASES]


def _params() -> list[object]:
    return [
        pytest.param(case, codec, id=f"{case.name.rsplit('.', 1)[1]}-{codec.library.split()[0]}")
        for case in CASES
        for codec in CODECS
    ]


@pytest.mark.parametrize(("case", "codec"), _params())
def test_encode(benchmark, case: Case, codec: Codec) -> None:  # type: ignore[no-untyped-def]
    value = codec.prepare(case)
    data = codec.encode(case, value)
    assert codec.decode(case, data) == value
    benchmark.extra_info.update(message=case.name, format=codec.format, library=codec.library, op="encode", bytes=len(data))
    benchmark(codec.encode, case, value)


@pytest.mark.parametrize(("case", "codec"), _params())
def test_decode(benchmark, case: Case, codec: Codec) -> None:  # type: ignore[no-untyped-def]
    data = codec.encode(case, codec.prepare(case))
    benchmark.extra_info.update(message=case.name, format=codec.format, library=codec.library, op="decode", bytes=len(data))
    benchmark(codec.decode, case, data)
