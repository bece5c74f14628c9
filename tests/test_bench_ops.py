"""The operations benchmark runs end to end at a tiny size and prints parseable lines."""

from __future__ import annotations

import io

from bot.bench_ops import p99, run_ops_bench


def test_ops_bench_prints_name_value_lines() -> None:
    out = io.StringIO()
    run_ops_bench(out, feeds=10, requests=5)
    values = dict(line.split("=", 1) for line in out.getvalue().splitlines())
    assert set(values) == {"poll_1000_feeds_s", "ack_p99_ms"}
    assert float(values["poll_1000_feeds_s"]) >= 0
    assert float(values["ack_p99_ms"]) > 0


def test_p99_of_a_hundred_values() -> None:
    assert p99([float(v) for v in range(1, 101)]) == 99.01
