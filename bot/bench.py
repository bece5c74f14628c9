"""`newsdigest bench`: clustering speed, scaling, memory and quality on a synthetic stream.

Prints `name=value` lines. The stream comes from `digests.synthetic` (deterministic, our own
text), so figures are comparable between runs and machines. The batch baseline (scikit-learn
TF-IDF + average-link agglomerative clustering) runs only at a size it can handle and is
skipped when the optional `bench` extra is not installed.
"""

from __future__ import annotations

import gc
import importlib.util
import itertools
import logging
import resource
import sys
import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import replace
from typing import TextIO

from digests import kernels
from digests.cluster import cluster_articles
from digests.cluster_eval import bcubed
from digests.models import Article
from digests.synthetic import SyntheticStream, synthetic_stream

log = logging.getLogger(__name__)

BASELINE_SIZE = 2_000
BASELINE_THRESHOLD = 0.5  # cosine distance cut for average link: its best on this stream


def _peak_rss_mb() -> float:
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    # Linux reports KiB, macOS bytes.
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


def _run_ours(articles: Iterable[Article], gold: dict[str, str]) -> tuple[float, float, float]:
    """Seconds spent in `cluster_articles` (generation excluded), BCubed precision and F1."""
    gc.collect()
    spent = [0.0]

    def timed() -> Iterator[Article]:
        # Time only the clusterer: the stream is generated lazily between articles.
        source = iter(articles)
        while True:
            t0 = time.perf_counter()
            try:
                article = next(source)
            except StopIteration:
                return
            spent[0] -= time.perf_counter() - t0
            yield article

    start = time.perf_counter()
    groups, _ = cluster_articles(timed())
    elapsed = time.perf_counter() - start + spent[0]
    pred = {aid: g.id for g in groups for aid in g.article_ids}
    scores = bcubed(gold, pred)
    return elapsed, scores.precision, scores.f1


def _run_baseline(articles: Sequence[Article], gold: dict[str, str]) -> tuple[float, float]:
    """Seconds and BCubed F1 of TF-IDF + average-link agglomerative clustering."""
    from sklearn.cluster import AgglomerativeClustering
    from sklearn.feature_extraction.text import TfidfVectorizer

    start = time.perf_counter()
    texts = [f"{a.title} {a.title} {a.text}" for a in articles]
    matrix = TfidfVectorizer(stop_words="english", sublinear_tf=True).fit_transform(texts)
    model = AgglomerativeClustering(
        n_clusters=None,
        metric="cosine",
        linkage="average",
        distance_threshold=BASELINE_THRESHOLD,
    )
    labels = model.fit_predict(matrix.toarray())
    elapsed = time.perf_counter() - start
    pred = {a.id: str(label) for a, label in zip(articles, labels, strict=True)}
    return elapsed, bcubed(gold, pred).f1


FACTS_REPORTS = 200


def facts_story_seconds(reports: int) -> float:
    """Time to build the facts of one story of `reports` reports: the demo corpus, each
    article re-run by many outlets. A digest builds one story per step of the bot's loop, so
    this is the longest pause a very big story gives it."""
    from bot.app import demo_corpus_path
    from digests.facts import extract_facts
    from digests.ingest.files import read_paths

    corpus = list(read_paths([demo_corpus_path()]).articles)
    story = [
        replace(a, id=f"r{i}", source=f"outlet{i}.example")
        for i, a in zip(range(reports), itertools.cycle(corpus), strict=False)
    ]
    start = time.perf_counter()
    extract_facts(story, {})
    return time.perf_counter() - start


def run_bench(
    out: TextIO,
    *,
    sizes: tuple[int, ...] = (10_000, 100_000),
    baseline: bool = True,
    facts_reports: int = FACTS_REPORTS,
) -> None:
    """Cluster synthetic streams of each size and print figures as `name=value` lines.

    The largest size gives `cluster_articles_per_s` and the quality figures;
    `cost_ratio_<big>_vs_<small>` compares per-article cost at the largest and smallest size
    (near 1.0 means placing an article does not get slower as the archive grows).
    """
    sizes = tuple(sorted(sizes))
    per_article: dict[int, float] = {}
    rate = precision = f1 = 0.0
    for size in sizes:
        gold: dict[str, str] = {}

        def lazy(size: int = size, gold: dict[str, str] = gold) -> Iterator[Article]:
            for article, event in SyntheticStream(size):
                gold[article.id] = event
                yield article

        elapsed, precision, f1 = _run_ours(lazy(), gold)
        per_article[size] = elapsed / size
        rate = size / elapsed
        print(f"articles_{size}_per_s={rate:.0f}", file=out)
        del gold
    big, small = sizes[-1], sizes[0]
    print(f"cluster_articles_per_s={rate:.0f}", file=out)
    ratio = per_article[big] / per_article[small]
    print(f"cost_ratio_{_label(big)}_vs_{_label(small)}={ratio:.2f}", file=out)
    print(f"cost_ratio={ratio:.2f}", file=out)
    print(f"synthetic_bcubed_f1={f1:.3f}", file=out)
    print(f"synthetic_bcubed_precision={precision:.3f}", file=out)
    print(f"peak_rss_mb={_peak_rss_mb():.0f}", file=out)
    # 1: the compiled kernels (digests/_speedups.c) ran; 0: their pure-Python fallback.
    print(f"compiled_kernels={int(kernels.COMPILED)}", file=out)
    if facts_reports:
        print(f"facts_story_reports={facts_reports}", file=out)
        print(f"facts_story_s={facts_story_seconds(facts_reports):.2f}", file=out)
    if not baseline:
        print("baseline_skipped=disabled", file=out)
        return
    if importlib.util.find_spec("sklearn") is None:
        print("baseline_skipped=scikit-learn not installed (pip install '.[bench]')", file=out)
        return
    stream = synthetic_stream(BASELINE_SIZE)
    articles = [a for a, _ in stream]
    gold = {a.id: event for a, event in stream}
    ours_elapsed, _, ours_f1 = _run_ours(articles, gold)
    base_elapsed, base_f1 = _run_baseline(articles, gold)
    print(f"baseline_size={BASELINE_SIZE}", file=out)
    print(f"baseline_articles_per_s={len(articles) / base_elapsed:.0f}", file=out)
    print(f"baseline_bcubed_f1={base_f1:.3f}", file=out)
    print(f"ours_at_baseline_size_bcubed_f1={ours_f1:.3f}", file=out)
    print(f"speed_ratio_vs_baseline={base_elapsed / ours_elapsed:.1f}", file=out)


def _label(n: int) -> str:
    return f"{n // 1000}k" if n >= 1000 and n % 1000 == 0 else str(n)


if __name__ == "__main__":
    run_bench(sys.stdout)
