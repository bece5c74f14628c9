"""A story covered for longer than the review window: one id, every source, across restarts.

The Newsroom re-places only the last few days' articles on review; older articles leave the
index. A story still running must keep its id through that, or its early coverage would be
cut off under an id no digest shows any more. Invented storm, our own text.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from digests.models import Article
from digests.pipeline import REVIEW_WINDOW, Newsroom
from digests.store import Store
from tests.conftest import FakeClock

_TEXTS = [
    "Hurricane Orla strengthened over the Velan Sea on {day}, forecasters at the Harlow storm "
    "centre said, with winds of {wind} mph.",
    "Hurricane Orla battered the Velan coast on {day}; the Harlow storm centre said {homes} "
    "homes lost power as winds reached {wind} mph.",
    "Crews in Port Velan cleared debris from Hurricane Orla on {day} as the storm moved north "
    "with {wind} mph winds, the Harlow storm centre said.",
]


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    opened = Store.open(f"sqlite:///{tmp_path / 'long.db'}")
    yield opened
    opened.close()


def _report(k: int, when: datetime) -> Article:
    text = _TEXTS[k % 3].format(day=when.strftime("%A"), wind=100 + k, homes=1000 * k)
    return Article(
        f"orla{k}",
        f"Hurricane Orla update {k}",
        text,
        f"outlet{k % 5}.example",
        url=f"https://outlet{k % 5}.example/orla/{k}",
        published=when,
    )


def test_a_story_running_past_the_review_window_keeps_its_id_and_sources(
    store: Store,
) -> None:
    clock = FakeClock(datetime(2026, 9, 1, 8, tzinfo=UTC))
    newsroom = Newsroom(store, clock=clock)
    days = REVIEW_WINDOW.days + 4
    k = 0
    first_id = None
    for _ in range(days):
        batch = []
        for _ in range(2):
            k += 1
            batch.append(_report(k, clock.now))
        newsroom.ingest(batch)
        [story] = newsroom.stories()
        first_id = first_id or story.id
        assert story.id == first_id  # the id the first digest showed
        clock.advance(days=1)
    ids = {store.assignment_for(f"orla{i}").story_id for i in range(1, k + 1)}  # type: ignore[union-attr]
    assert ids == {first_id}
    assert first_id is not None
    whole = newsroom.story(first_id)
    assert whole is not None and len(whole.articles) == k
    assert len({a.source for a in whole.articles}) == 5

    restarted = Newsroom(store, clock=clock)
    assert [s.id for s in restarted.stories()] == [first_id]
