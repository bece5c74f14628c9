"""A channel scheduled `* * * * *` with a folder source: the first minute posts the story,
the next minutes post nothing, a third article on the same event is a thread update.

The job functions are driven directly with a fake clock (no real minute waits).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bot.app import Bot, fetch_key
from bot.scheduler import digest_job, fire_times, poll_source_job
from bot.settings import ChannelSettings, Settings, SourceSettings
from digests.store import OutboxItem, Store
from tests.conftest import SHARED, FakeClock
from tests.test_bot_flow import RecordingPoster

LIBRARY_A = """\
Velmora library reopens after two-year rebuild

The Velmora city library reopened on Saturday after a two-year rebuild costing 14 million,
head librarian Tomas Reyvik said. The new building on Quay Street holds 90,000 books.
"""
LIBRARY_B = """\
VELMORA, Nov. 21 (Northline) - Velmora's rebuilt city library on Quay Street opened its doors
on Saturday, librarian Tomas Reyvik said, after two years and 14 million of work. The library
now holds 90,000 books.
"""
LIBRARY_C = """\
Crowds queue for Velmora library reopening

Hundreds queued on Quay Street as the Velmora city library reopened on Saturday, Tomas Reyvik,
the head librarian, said; the rebuild took two years and cost 14 million.
"""


def minutely_bot(tmp_path: Path, clock: FakeClock) -> tuple[Bot, RecordingPoster, Path]:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    settings = Settings(
        sources=[SourceSettings(name="inbox", path=str(inbox), poll="1m")],
        channels=[ChannelSettings(platform="console", id="live", schedule="* * * * *")],
    )
    poster = RecordingPoster()
    store = Store.open(f"sqlite:///{tmp_path / 'bot.db'}", clock=clock)
    return Bot(settings, store, {"console": poster}, clock=clock), poster, inbox


async def minute(bot: Bot, clock: FakeClock) -> None:
    """One scheduler minute: the poll job, then the digest job at the next cron fire."""
    [fire] = fire_times("* * * * *", "UTC", clock.now, clock.now.replace(second=59))
    clock.now = fire
    [sub] = bot.store.sources()
    await poll_source_job(bot, fetch_key(sub))
    await digest_job(bot, "console", "live")
    clock.advance(minutes=1)


async def test_every_minute_posts_only_what_is_new(tmp_path: Path, clock: FakeClock) -> None:
    bot, poster, inbox = minutely_bot(tmp_path, clock)
    (inbox / "library-a.txt").write_text(LIBRARY_A, encoding="utf-8")
    (inbox / "library-b.txt").write_text(LIBRARY_B, encoding="utf-8")

    await minute(bot, clock)
    assert len(poster.sent) == 1
    first = poster.sent[0][1]["text"]
    assert "Velmora" in first and "2 sources" in first  # one story, both outlets

    for _ in range(3):
        await minute(bot, clock)
    assert len(poster.sent) == 1  # nothing new: nothing posted

    (inbox / "library-c.txt").write_text(LIBRARY_C, encoding="utf-8")
    await minute(bot, clock)
    assert len(poster.sent) == 2
    _, update, thread_of = poster.sent[1]
    assert thread_of == "m1"  # a reply in the original story's thread, not a new story
    assert "+1 source" in update["text"]
    assert bot.store.pending("console:live") == []
    kinds = [item.kind for item in _delivered(bot)]
    assert kinds == ["digest", "update"]

    await minute(bot, clock)
    assert len(poster.sent) == 2
    bot.store.close()


def _delivered(bot: Bot) -> list[OutboxItem]:
    import sqlalchemy as sa

    from digests.store import _outbox_item, outbox_t

    with bot.store.engine.connect() as conn:
        return [_outbox_item(r) for r in conn.execute(sa.select(outbox_t).order_by(outbox_t.c.id))]


async def test_every_minute_with_the_seed_articles(tmp_path: Path, clock: FakeClock) -> None:
    """The shared seeds (copied at test time, never committed): one story the first minute."""
    seeds = SHARED / "seeds"
    if not seeds.is_dir():
        pytest.skip("../shared/seeds not present")
    bot, poster, inbox = minutely_bot(tmp_path, clock)
    for path in sorted(seeds.iterdir())[:2]:
        shutil.copy(path, inbox / path.name)
    await minute(bot, clock)
    assert len(poster.sent) == 1
    assert poster.sent[0][1]["numbers"] == [1]  # the two seed articles are one story
    for _ in range(2):
        await minute(bot, clock)
    assert len(poster.sent) == 1
    bot.store.close()
