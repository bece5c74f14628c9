"""Story quality on the bot's own path: articles arrive poll by poll, not as one batch.

Pinned floors like the batch quality gate (tests/test_quality_gate.py), measured through the
store-backed Newsroom with a fake clock (ten minutes between polls). Skips without ../shared.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from digests.cluster_eval import bcubed
from digests.ingest import read_paths
from digests.pipeline import Newsroom
from digests.store import Store
from tests.conftest import shared_path

EPOCH = datetime.min.replace(tzinfo=UTC)


class Ticking:
    def __init__(self) -> None:
        self.now = datetime(2026, 11, 26, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    opened = Store.open(f"sqlite:///{tmp_path / 'q.db'}")
    yield opened
    opened.close()


def run_polls(path: Path, store: Store, per_poll: int) -> dict[str, str]:
    articles = sorted(
        read_paths([path]).articles, key=lambda a: (a.published is None, a.published or EPOCH)
    )
    clock = Ticking()
    newsroom = Newsroom(store, clock=clock)
    for start in range(0, len(articles), per_poll):
        newsroom.ingest(articles[start : start + per_poll])
        clock.now += timedelta(minutes=10)
    return {a: g.id for g in newsroom.groups() for a in g.article_ids}


def gold_of(path: Path) -> dict[str, str]:
    lines = path.read_text(encoding="utf-8").splitlines()
    return {row["id"]: row["event_id"] for row in map(json.loads, filter(None, lines))}


@pytest.mark.parametrize("per_poll", [5, 20])
def test_pages_devset_poll_by_poll(store: Store, per_poll: int) -> None:
    path = shared_path("data", "pages-devset", "articles.jsonl")
    scores = bcubed(gold_of(path), run_polls(path, store, per_poll))
    assert scores.precision >= 0.99
    assert scores.f1 >= 0.97


def test_pages_devset_one_article_a_poll(store: Store) -> None:
    # The hard case: half the set has no publication time, and one article a poll leaves each
    # review a lone report to place. P 1.000, F1 0.981 since undated reports are told apart by
    # the instance they lead with (Q1 vs Q2 deliveries) and the day their lead gives; it was
    # P 0.949 before, 0.924 before a review weighed the dates texts give.
    path = shared_path("data", "pages-devset", "articles.jsonl")
    scores = bcubed(gold_of(path), run_polls(path, store, 1))
    assert scores.precision >= 0.99
    assert scores.f1 >= 0.97


def test_ecbplus_poll_by_poll(store: Store) -> None:
    path = shared_path("data", "ecbplus-subtopics", "ecbplus.jsonl")
    scores = bcubed(gold_of(path), run_polls(path, store, 50))
    # 0.900 (0.907 before the stage guard: ECB+ counts one verdict and its sentencing as one
    # event, where real coverage and the issue count two).
    assert scores.f1 >= 0.895
