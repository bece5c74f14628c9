"""The operations benchmark runs end to end at a tiny size and prints parseable lines."""

from __future__ import annotations

import io

from bot.bench_ops import p99, run_ops_bench


def test_ops_bench_prints_name_value_lines() -> None:
    out = io.StringIO()
    run_ops_bench(out, feeds=10, requests=5, load=300)
    values = dict(line.split("=", 1) for line in out.getvalue().splitlines())
    assert set(values) == {
        "poll_1000_feeds_s",
        "ack_p99_ms",
        "load_articles",
        "acks_under_load",
        "ack_under_load_p99_ms",
        "ack_under_load_max_ms",
    }
    assert float(values["poll_1000_feeds_s"]) >= 0
    assert float(values["ack_p99_ms"]) > 0
    assert values["load_articles"] == "300"
    # The loop kept answering while the poll was clustered: more than one ack got through.
    assert int(values["acks_under_load"]) > 1
    assert float(values["ack_under_load_p99_ms"]) > 0


def test_p99_of_a_hundred_values() -> None:
    assert p99([float(v) for v in range(1, 101)]) == 99.01
