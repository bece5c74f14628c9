"""A large poll is clustered a step at a time, so the bot's event loop keeps answering chat
commands; the stories come out exactly as from one uninterrupted ingest."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.app import Bot
from bot.settings import Settings
from digests.models import Article
from digests.pipeline import Newsroom
from digests.store import Store
from digests.synthetic import synthetic_stream


@pytest.fixture
def articles() -> list[Article]:
    return [a for a, _ in synthetic_stream(300, seed=5)]


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    opened = Store.open(f"sqlite:///{tmp_path / 'steps.db'}")
    yield opened
    opened.close()


def _placed(store: Store) -> list[tuple[str, str, str | None]]:
    return [(a.article_id, a.story_id, a.duplicate_of) for a in store.assignments()]


def test_steps_give_the_same_stories_as_one_ingest(tmp_path: Path, articles: list[Article]) -> None:
    results = []
    for step in (0, 7, 50):
        store = Store.open(f"sqlite:///{tmp_path / f'{step}.db'}")
        try:
            newsroom = Newsroom(store)
            steps = newsroom.ingest_steps(articles, step)
            pauses = 0
            while True:
                try:
                    next(steps)
                    pauses += 1
                except StopIteration as done:
                    report = done.value
                    break
            # Stored, read, placed, keyed and saved a step at a time: several pauses each.
            assert pauses >= (4 * len(articles) // step if step else 0)
            assert report.stored == len(articles)
            results.append((_placed(store), report))
        finally:
            store.close()
    assert results[0] == results[1] == results[2]


def test_review_waits_while_an_ingest_is_paused(store: Store, articles: list[Article]) -> None:
    clock = [datetime(2026, 1, 5, 9, 0, tzinfo=UTC)]
    newsroom = Newsroom(store, clock=lambda: clock[0])
    newsroom.ingest(articles[:50])  # the first ingest is reviewed at once
    reviewed = newsroom._reviewed_at
    newsroom.ingest(articles[50:100])  # the next within the minute is not: a review is owed
    steps = newsroom.ingest_steps(articles[100:], 10)
    next(steps)
    next(steps)
    clock[0] += timedelta(seconds=5)
    newsroom.refresh()  # a digest read while the poll is half placed
    assert newsroom._reviewed_at == reviewed, "the review re-placed articles mid-ingest"
    with pytest.raises(StopIteration):
        while True:
            next(steps)
    clock[0] += timedelta(seconds=5)
    newsroom.refresh()  # now it runs
    assert newsroom._reviewed_at == clock[0]


def test_build_stories_builds_each_story_once(store: Store, articles: list[Article]) -> None:
    newsroom = Newsroom(store)
    newsroom.ingest(articles)
    built = [i for i in newsroom.build_stories() if i is not None]
    assert len(built) == len(newsroom.groups()) > 1
    assert list(newsroom.build_stories()) == []  # all cached now
    assert {s.id for s in newsroom.stories()} == set(built)


async def test_bot_ingest_lets_the_event_loop_run(store: Store, articles: list[Article]) -> None:
    bot = Bot(Settings(), store, {})
    turns = 0
    done = False

    async def other_work() -> None:  # stands in for a chat command being acknowledged
        nonlocal turns
        while not done:
            turns += 1
            await asyncio.sleep(0)

    ticker = asyncio.create_task(other_work())
    report = await bot.ingest(articles)
    during_ingest = turns
    await bot.ready_stories()
    done = True
    await ticker
    assert report.stored == len(articles)
    assert during_ingest >= 4 * len(articles) // 50
    assert turns - during_ingest >= len(bot.newsroom.groups())


def _owed_review(store: Store, articles: list[Article]) -> tuple[Newsroom, list[datetime]]:
    """A newsroom holding `articles` whose review is owed (the second ingest was within the
    minute of the first)."""
    clock = [datetime(2026, 1, 5, 9, 0, tzinfo=UTC)]
    newsroom = Newsroom(store, clock=lambda: clock[0])
    newsroom.ingest(articles[:150])
    newsroom.ingest(articles[150:])
    clock[0] += timedelta(seconds=5)
    return newsroom, clock


def test_a_review_in_steps_moves_the_same_articles(tmp_path: Path, articles: list[Article]) -> None:
    results = []
    for step in (0, 13):
        store = Store.open(f"sqlite:///{tmp_path / f'review{step}.db'}")
        try:
            newsroom, _ = _owed_review(store, articles)
            pauses = sum(1 for _ in newsroom.refresh_steps(step))
            assert pauses >= (len(articles) // step if step else 0)
            results.append(_placed(store))
        finally:
            store.close()
    assert results[0] == results[1]


async def test_an_ingest_waits_for_a_paused_review(store: Store, articles: list[Article]) -> None:
    bot = Bot(Settings(), store, {})
    newsroom, _ = _owed_review(store, articles[:250])
    bot.newsroom = newsroom
    review = newsroom.refresh_steps(10)
    next(review)
    assert newsroom.reviewing
    late = asyncio.create_task(bot.ingest(articles[250:]))
    for _ in range(20):
        await asyncio.sleep(0.01)
    assert not late.done()
    assert len(store.assignments()) == 250  # nothing placed under the paused review
    for _ in review:
        pass
    assert not newsroom.reviewing
    report = await late
    assert report.stored == len(articles) - 250
    assert len(store.assignments()) == len(articles)
