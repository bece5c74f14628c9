"""Digest jobs across DST: one digest per local day at 08:00, none doubled, none skipped;
a digest missed while down is posted once at start-up (within the grace period), never twice.

Fire times come from the very trigger the scheduler installs; the job function is driven
with a fake clock at each fire time (no real waiting).
"""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.app import Bot
from bot.runtime import _startup_digests, missed_run
from bot.scheduler import DIGEST_GRACE_SECONDS, digest_job, fire_times
from bot.settings import ChannelSettings, Settings, SourceSettings
from digests.models import Article
from digests.store import Store
from tests.conftest import FakeClock
from tests.test_bot_flow import RecordingPoster

CASES = [
    ("Europe/Berlin", date(2026, 3, 26), date(2026, 4, 2)),  # CET -> CEST on Sun 29 Mar
    ("Europe/Berlin", date(2026, 10, 22), date(2026, 10, 29)),  # CEST -> CET on Sun 25 Oct
    ("America/New_York", date(2026, 3, 5), date(2026, 3, 12)),  # EST -> EDT on Sun 8 Mar
    ("America/New_York", date(2026, 10, 29), date(2026, 11, 5)),  # EDT -> EST on Sun 1 Nov
]


def _span(tz: str, first: date, last: date) -> tuple[datetime, datetime]:
    zone = ZoneInfo(tz)
    start = datetime(first.year, first.month, first.day, tzinfo=zone).astimezone(UTC)
    end = datetime(last.year, last.month, last.day, tzinfo=zone).astimezone(UTC)
    return start, end


@pytest.mark.parametrize(("tz", "first", "last"), CASES)
def test_one_digest_per_local_day_at_eight(tz: str, first: date, last: date) -> None:
    start, end = _span(tz, first, last)
    times = [t.astimezone(ZoneInfo(tz)) for t in fire_times("0 8 * * *", tz, start, end)]
    days = [t.date() for t in times]
    assert days == [first + timedelta(days=n) for n in range((last - first).days)]
    assert all((t.hour, t.minute) == (8, 0) for t in times)
    utc = [t.astimezone(UTC) for t in times]  # same-zone subtraction would be wall-clock
    gaps = {(b - a).total_seconds() / 3600 for a, b in zip(utc, utc[1:], strict=False)}
    assert gaps == {23, 24, 25} - ({23} if first.month >= 10 else {25})  # one short/long day


@pytest.mark.parametrize(("tz", "first", "last"), CASES)
def test_a_time_inside_the_transition_still_fires_once_a_day(
    tz: str, first: date, last: date
) -> None:
    """02:30 does not exist on the spring day and happens twice on the autumn day."""
    start, end = _span(tz, first, last)
    days = [t.astimezone(ZoneInfo(tz)).date() for t in fire_times("30 2 * * *", tz, start, end)]
    assert len(days) == len(set(days)) == (last - first).days


def _bot(tmp_path: Path, clock: FakeClock, tz: str) -> tuple[Bot, RecordingPoster]:
    poster = RecordingPoster()
    settings = Settings(
        sources=[SourceSettings(name="wire", path=str(tmp_path), poll="10m")],
        channels=[
            ChannelSettings(platform="console", id="news", schedule="0 8 * * *", timezone=tz)
        ],
    )
    store = Store.open(f"sqlite:///{tmp_path / 'bot.db'}", clock=clock)
    return Bot(settings, store, {"console": poster}, clock=clock), poster


def _article(n: int, when: datetime) -> Article:
    """A story of its own: invented words no other article shares."""
    rng = random.Random(n)
    words = ["".join(rng.choice(SYLLABLES) for _ in range(3)).capitalize() for _ in range(8)]
    return Article(
        id=f"a{n}",
        title=" ".join(words[:5]),
        text=" ".join(rng.sample(words, 6)) + ". " + " ".join(rng.sample(words, 6)) + ".",
        source=f"outlet{n}.example",
        published=when,
        origin="wire",
    )


SYLLABLES = [
    "bra",
    "cel",
    "dor",
    "fen",
    "gal",
    "hil",
    "jor",
    "kam",
    "lun",
    "mer",
    "nov",
    "pra",
    "ros",
    "sel",
    "tam",
    "urv",
    "vel",
    "wes",
    "yar",
    "zan",
]


@pytest.mark.parametrize(("tz", "first", "last"), CASES[:3])
async def test_digest_job_driven_by_a_fake_clock_posts_daily(
    tmp_path: Path, tz: str, first: date, last: date
) -> None:
    start, end = _span(tz, first, last)
    clock = FakeClock(start)
    bot, poster = _bot(tmp_path, clock, tz)
    for n, fire in enumerate(fire_times("0 8 * * *", tz, start, end)):
        clock.now = fire - timedelta(hours=3)
        bot.newsroom.ingest([_article(n, clock.now)])
        clock.now = fire
        await digest_job(bot, "console", "news")
        await digest_job(bot, "console", "news")  # a coalesced double fire adds nothing
    assert len(poster.sent) == (last - first).days
    bot.store.close()


async def test_missed_digest_is_posted_once_within_grace(tmp_path: Path) -> None:
    tz = "Europe/Berlin"
    # the bot was down over 08:00 on the spring DST day; back at 08:40 local
    back = datetime(2026, 3, 29, 8, 40, tzinfo=ZoneInfo(tz)).astimezone(UTC)
    clock = FakeClock(back)
    bot, poster = _bot(tmp_path, clock, tz)
    yesterday = datetime(2026, 3, 28, 8, 0, tzinfo=ZoneInfo(tz)).astimezone(UTC)
    bot.store.set_meta("last_digest:console:news", yesterday.isoformat())
    bot.newsroom.ingest([_article(0, back - timedelta(hours=2))])

    assert missed_run("0 8 * * *", tz, yesterday, back)
    await _startup_digests(bot, embedded=False)
    assert len(poster.sent) == 1
    # a second restart a minute later: the digest was posted, nothing again
    clock.advance(minutes=1)
    bot.newsroom.ingest([_article(1, clock.now)])
    await _startup_digests(bot, embedded=False)
    assert len(poster.sent) == 1
    bot.store.close()


def test_missed_digest_outside_grace_waits_for_the_next_run() -> None:
    tz = "America/New_York"
    due = datetime(2026, 11, 1, 8, 0, tzinfo=ZoneInfo(tz)).astimezone(UTC)
    last = due - timedelta(days=1)
    assert missed_run("0 8 * * *", tz, last, due + timedelta(seconds=DIGEST_GRACE_SECONDS - 1))
    assert not missed_run("0 8 * * *", tz, last, due + timedelta(seconds=DIGEST_GRACE_SECONDS + 1))
    assert not missed_run("0 8 * * *", tz, due, due + timedelta(minutes=5))  # already posted
    assert not missed_run("0 8 * * *", tz, None, due - timedelta(minutes=5))  # not due yet
