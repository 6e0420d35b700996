#!/usr/bin/env python3
"""Sign-up latency of a running user-service at low load: p50 and p99.

Sends N sign-ups one after another (one client, a kept-alive connection, after a warm-up) and
prints the latency percentiles of the HTTP answer, which with the outbox waits for the
database commit, not for Kafka. Standard library only.

    python3 bench/signup-latency.py [--url http://127.0.0.1:8080] [-n 2000]

The default URL follows USER_SERVICE_PORT, as `./polyglot up` does. It only measures and prints:
there is no pass or fail, so it is not part of `./polyglot test`.
"""
import argparse
import os
import http.client
import json
import statistics
import time
import urllib.parse
import uuid


def signup(conn: http.client.HTTPConnection, run: str, i: int) -> float:
    body = json.dumps({"email": f"bench-{run}-{i}@example.com", "name": f"Bench {i}"})
    started = time.perf_counter()
    conn.request("POST", "/api/users/signup", body=body, headers={"Content-Type": "application/json"})
    response = conn.getresponse()
    response.read()
    elapsed = time.perf_counter() - started
    if response.status != 201:
        raise SystemExit(f"sign-up {i} answered {response.status}")
    return elapsed


def percentile(sorted_values: list[float], p: float) -> float:
    # Nearest-rank percentile: the value below which p percent of the samples fall.
    index = max(0, min(len(sorted_values) - 1, round(p / 100 * len(sorted_values)) - 1))
    return sorted_values[index]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default=f"http://127.0.0.1:{os.environ.get('USER_SERVICE_PORT') or 8080}")
    parser.add_argument("-n", type=int, default=2000, help="measured sign-ups")
    parser.add_argument("--warmup", type=int, default=300, help="sign-ups before measuring (JIT, pools)")
    args = parser.parse_args()

    url = urllib.parse.urlparse(args.url)
    conn = http.client.HTTPConnection(url.hostname, url.port or 80, timeout=30)
    run = uuid.uuid4().hex[:8]
    for i in range(args.warmup):
        signup(conn, f"{run}-warm", i)
    samples = sorted(signup(conn, run, i) for i in range(args.n))
    ms = [s * 1000 for s in samples]
    print(f"sign-ups: {args.n} sequential (after {args.warmup} warm-up) against {args.url}")
    print(f"p50 {percentile(ms, 50):.2f} ms  p90 {percentile(ms, 90):.2f} ms  p99 {percentile(ms, 99):.2f} ms  "
          f"max {ms[-1]:.2f} ms  mean {statistics.fmean(ms):.2f} ms")


if __name__ == "__main__":
    main()
