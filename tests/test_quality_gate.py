"""Quality gate: story clustering must not get worse on the team's dev sets.

Like trafilatura's eval gate: cluster each dev set in ../shared, score it with BCubed, and fail
when a score drops below its pinned floor (what we measured, minus a small margin). Raise a
floor when the clusterer improves; never lower one without saying why in the commit.
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from digests.cluster import cluster_articles
from digests.cluster_eval import Scores, bcubed, load_jsonl, read_seed
from digests.models import Article

SHARED = Path(__file__).resolve().parents[2] / "shared"
DATA = SHARED / "data"

# dataset -> (precision floor, recall floor, F1 floor)
FLOORS: dict[str, tuple[float, float, float]] = {
    # Recall 0.930 -> 0.912 with the second reading (precision 0.932 -> 0.938): it splits
    # what either reading order keeps apart, and ECB+ pays for the order its file happens to
    # be in; shuffled (below) it gains.
    "ecbplus-subtopics/ecbplus.jsonl": (0.93, 0.905, 0.92),
    "pages-devset/articles.jsonl": (0.99, 0.98, 0.99),
    "uci-news-aggregator-sample/uci_sample.jsonl": (0.90, 0.38, 0.54),
}
# pages-devset marks its near-copies; at least this many must come out as duplicate_of.
PAGES_NEAR_COPIES_FLAGGED = 9

pytestmark = pytest.mark.shared


def _score(path: Path) -> tuple[Scores, dict[str, str], dict[str, str | None]]:
    articles, gold, near = load_jsonl(path)
    groups, assignments = cluster_articles(articles)
    pred = {aid: g.id for g in groups for aid in g.article_ids}
    assert sorted(pred) == sorted(gold), "every article must be in exactly one story"
    return bcubed(gold, pred), near, {k: a.duplicate_of for k, a in assignments.items()}


@pytest.mark.parametrize("name", sorted(FLOORS))
def test_bcubed_floors(name: str) -> None:
    path = DATA / name
    if not path.exists():
        pytest.skip(f"{path} not present (../shared is only on the team's machines)")
    scores, _, _ = _score(path)
    p_floor, r_floor, f_floor = FLOORS[name]
    got = f"P={scores.precision:.3f} R={scores.recall:.3f} F1={scores.f1:.3f}"
    assert scores.precision >= p_floor, f"{name}: precision fell below {p_floor}: {got}"
    assert scores.recall >= r_floor, f"{name}: recall fell below {r_floor}: {got}"
    assert scores.f1 >= f_floor, f"{name}: F1 fell below {f_floor}: {got}"


# Random halves of pages-devset: fewer reports per event, and often one of a look-alike pair
# without its dated reports. Guards against fitting the whole set: mean over HALVES seeds.
HALVES = 10
# mean P, mean F1: 0.982 / 0.976 (0.973 / 0.971 before the second reading, 0.914 / 0.933
# before the series guards)
HALVES_FLOORS = (0.97, 0.965)


def _mean_scores(batches: list[list[Article]], gold: dict[str, str]) -> tuple[float, float]:
    """Mean BCubed precision and F1 of clustering each batch on its own."""
    precision = f1 = 0.0
    for batch in batches:
        groups, _ = cluster_articles(batch)
        scores = bcubed(
            {a.id: gold[a.id] for a in batch}, {x: g.id for g in groups for x in g.article_ids}
        )
        precision += scores.precision / len(batches)
        f1 += scores.f1 / len(batches)
    return precision, f1


def test_pages_random_halves_floors() -> None:
    path = DATA / "pages-devset" / "articles.jsonl"
    if not path.exists():
        pytest.skip(f"{path} not present")
    articles, gold, _ = load_jsonl(path)
    halves = []
    for seed in range(HALVES):
        rnd = random.Random(seed)
        halves.append([a for a in articles if rnd.random() < 0.5])
    precision, f1 = _mean_scores(halves, gold)
    got = f"mean P={precision:.3f} F1={f1:.3f}"
    assert precision >= HALVES_FLOORS[0], f"random halves: precision fell: {got}"
    assert f1 >= HALVES_FLOORS[1], f"random halves: F1 fell: {got}"


# ECB+ in other orders: the file keeps each topic together, a stream does not. Undated
# reports are placed in the order given, so this measures how much that order decides.
SHUFFLES = (1, 2, 3)
SHUFFLED_FLOORS = (0.90, 0.90)  # mean P, mean F1: 0.910 / 0.912 (0.889 / 0.905 one reading)


def test_ecbplus_shuffled_floors() -> None:
    path = DATA / "ecbplus-subtopics" / "ecbplus.jsonl"
    if not path.exists():
        pytest.skip(f"{path} not present")
    articles, gold, _ = load_jsonl(path)
    orders = []
    for seed in SHUFFLES:
        order = list(articles)
        random.Random(seed).shuffle(order)
        orders.append(order)
    precision, f1 = _mean_scores(orders, gold)
    got = f"mean P={precision:.3f} F1={f1:.3f}"
    assert precision >= SHUFFLED_FLOORS[0], f"shuffled ECB+: precision fell: {got}"
    assert f1 >= SHUFFLED_FLOORS[1], f"shuffled ECB+: F1 fell: {got}"


# pages-devset inside a larger batch (before or after all of ECB+): more events of other kinds
# in the same IDF, the same reviews and both readings. Scored on the pages-devset articles.
MIXED_FLOORS = (0.97, 0.94)  # P, F1: pages first 0.985 / 0.973, ECB+ first 0.977 / 0.953


@pytest.mark.parametrize("pages_first", [True, False])
def test_pages_devset_inside_a_larger_batch(pages_first: bool) -> None:
    pages_path = DATA / "pages-devset" / "articles.jsonl"
    ecb_path = DATA / "ecbplus-subtopics" / "ecbplus.jsonl"
    if not pages_path.exists() or not ecb_path.exists():
        pytest.skip("pages-devset or ECB+ not present")
    pages, gold, _ = load_jsonl(pages_path)
    ecb, _, _ = load_jsonl(ecb_path)
    groups, _ = cluster_articles(pages + ecb if pages_first else ecb + pages)
    pred = {x: g.id for g in groups for x in g.article_ids}
    scores = bcubed(gold, {a: pred[a] for a in gold})
    got = f"P={scores.precision:.3f} R={scores.recall:.3f} F1={scores.f1:.3f}"
    assert scores.precision >= MIXED_FLOORS[0], f"pages-devset in a larger batch: {got}"
    assert scores.f1 >= MIXED_FLOORS[1], f"pages-devset in a larger batch: {got}"


def test_pages_near_copies_are_flagged() -> None:
    path = DATA / "pages-devset" / "articles.jsonl"
    if not path.exists():
        pytest.skip(f"{path} not present")
    _, near, duplicate_of = _score(path)
    flagged = sum(1 for a, o in near.items() if duplicate_of[a] or duplicate_of[o])
    assert flagged >= PAGES_NEAR_COPIES_FLAGGED, f"{flagged}/{len(near)} near-copies flagged"


def test_seed_articles_are_one_story() -> None:
    seeds = sorted((SHARED / "seeds").glob("*.txt"))
    if len(seeds) < 2:
        pytest.skip("../shared/seeds not present")
    articles = [read_seed(p) for p in seeds]
    groups, assignments = cluster_articles(articles)
    assert len(groups) == 1, [a.evidence for a in assignments.values()]
    joined = [a for a in assignments.values() if not a.new_story]
    assert joined and all(a.evidence for a in joined)


def test_bcubed_implementation_matches_definition() -> None:
    gold = {"a": "x", "b": "x", "c": "y"}
    perfect = bcubed(gold, {"a": "1", "b": "1", "c": "2"})
    assert (perfect.precision, perfect.recall, perfect.f1) == (1.0, 1.0, 1.0)
    merged = bcubed(gold, {"a": "1", "b": "1", "c": "1"})
    assert merged.recall == 1.0 and abs(merged.precision - (2 / 3 * 2 + 1 / 3) / 3) < 1e-9
    split = bcubed(gold, {"a": "1"})  # b and c missing: singletons
    assert split.precision == 1.0 and abs(split.recall - (0.5 + 0.5 + 1) / 3) < 1e-9
