"""The benchmark runs at a tiny size and prints the figures the lead's CLI reports."""

from __future__ import annotations

import io

from bot.bench import run_bench
from digests.synthetic import synthetic_stream

EXPECTED = {
    "cluster_articles_per_s",
    "cost_ratio_600_vs_300",
    "peak_rss_mb",
    "synthetic_bcubed_f1",
    "synthetic_bcubed_precision",
    "baseline_skipped",
    "facts_story_reports",
    "facts_story_s",
}


def test_run_bench_prints_name_value_lines() -> None:
    out = io.StringIO()
    run_bench(out, sizes=(300, 600), baseline=False, facts_reports=30)
    lines = [ln for ln in out.getvalue().splitlines() if ln]
    pairs = dict(ln.split("=", 1) for ln in lines)
    assert all("=" in ln and ln.split("=", 1)[0].isidentifier() for ln in lines), lines
    assert set(pairs) >= EXPECTED, set(pairs)
    assert float(pairs["cluster_articles_per_s"]) > 0
    assert 0.0 < float(pairs["synthetic_bcubed_f1"]) <= 1.0
    assert float(pairs["peak_rss_mb"]) > 0
    assert pairs["facts_story_reports"] == "30" and float(pairs["facts_story_s"]) > 0


def test_synthetic_stream_is_deterministic_and_ordered() -> None:
    a = synthetic_stream(400, seed=3)
    b = synthetic_stream(400, seed=3)
    assert [(x.id, x.text, g) for x, g in a] == [(x.id, x.text, g) for x, g in b]
    assert len(a) == 400 and len({x.id for x, _ in a}) == 400
    times = [x.published for x, _ in a]
    assert times == sorted(times)  # type: ignore[type-var]
    assert any("-copy-" in x.id for x, _ in a)  # wire copies are part of the stream
