"""Runs the pytest-benchmark suite and writes the results in the shared shape
(bench/serialization/README.md): python run.py --out results.json [--quick]."""

from __future__ import annotations

import argparse
import json
import platform
import sys
import tempfile
from importlib.metadata import version
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
# Short but sane on a 2-core machine: about 0.25 s per benchmark, at least 5 rounds.
FULL = ["--benchmark-max-time=0.25", "--benchmark-min-rounds=5", "--benchmark-warmup=on", "--benchmark-warmup-iterations=2000"]
FULL_TEXT = "up to 0.25 s and at least 5 rounds per benchmark after 2000 warmup calls, GC on (mean of rounds)"
# A build check: every benchmark runs, barely measured.
QUICK = ["--benchmark-max-time=0.001", "--benchmark-min-rounds=1", "--benchmark-warmup=off"]
QUICK_TEXT = "quick: one round or so per benchmark, no warmup"


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", required=True, type=Path)
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    settings, settings_text = (QUICK, QUICK_TEXT) if args.quick else (FULL, FULL_TEXT)
    with tempfile.TemporaryDirectory() as tmp:
        raw = Path(tmp) / "pytest-benchmark.json"
        code = pytest.main(["-v", "-p", "no:cacheprovider", str(HERE / "test_serialization.py"), f"--benchmark-json={raw}", "--benchmark-columns=mean,rounds", *settings])
        if code != 0:
            return int(code)
        benchmarks = json.loads(raw.read_text())["benchmarks"]
    by_key: dict[tuple[str, str], dict[str, object]] = {}
    for bench in benchmarks:
        info = bench["extra_info"]
        row = by_key.setdefault(
            (info["message"], info["library"]),
            {"message": info["message"], "format": info["format"], "library": info["library"], "bytes": info["bytes"]},
        )
        row[f"{info['op']}_ns"] = bench["stats"]["mean"] * 1e9
    result = {
        "language": "python",
        "runtime": f"{platform.python_implementation()} {platform.python_version()}",
        "harness": f"pytest-benchmark {version('pytest-benchmark')}",
        "settings": settings_text,
        "results": list(by_key.values()),
    }
    args.out.write_text(json.dumps(result, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
