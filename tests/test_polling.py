"""Polling against a local feed server on 127.0.0.1: conditional GET, 304, 500, time-outs,
backoff and recovery, pause with ONE notice per channel, one fetch per shared URL."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

import pytest
from aiohttp import web

from bot.app import Bot
from bot.fetch import Fetcher, FetchLimits
from bot.scheduler import poll_offset, poll_source_job
from bot.settings import ChannelSettings, Settings, SourceSettings
from digests.store import Store
from tests.conftest import FakeClock
from tests.test_bot_flow import RecordingPoster

ETAG = '"v1"'
MODIFIED = "Wed, 25 Nov 2026 10:00:00 GMT"


def rss(*items: tuple[str, str]) -> bytes:
    body = "".join(
        f"<item><title>{title}</title><link>http://127.0.0.1/{guid}</link><guid>{guid}</guid>"
        f"<description>{title}. {title} was reported on Tuesday.</description></item>"
        for guid, title in items
    )
    return f'<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>{body}</channel></rss>'.encode()


@dataclass
class FeedServer:
    """Answers per path: a feed (with validators), 500, or a hang past the read time-out."""

    mode: dict[str, str] = field(default_factory=dict)
    feeds: dict[str, bytes] = field(default_factory=dict)
    hits: list[tuple[str, str | None, str | None]] = field(default_factory=list)
    port: int = 0

    async def handle(self, request: web.Request) -> web.Response:
        name = request.match_info["name"]
        inm, ims = request.headers.get("If-None-Match"), request.headers.get("If-Modified-Since")
        self.hits.append((name, inm, ims))
        mode = self.mode.get(name, "ok")
        if mode == "500":
            return web.Response(status=500, text="boom")
        if mode == "hang":
            await asyncio.sleep(5)
        if inm == ETAG or ims == MODIFIED:
            return web.Response(status=304, headers={"ETag": ETAG})
        return web.Response(
            body=self.feeds.get(name) or rss((f"g-{name}", f"Quorra {name} report")),
            content_type="application/rss+xml",
            headers={"ETag": ETAG, "Last-Modified": MODIFIED},
        )

    def url(self, name: str) -> str:
        return f"http://127.0.0.1:{self.port}/feeds/{name}"


@pytest.fixture
async def server() -> AsyncIterator[FeedServer]:
    fs = FeedServer()
    app = web.Application()

    async def route(request: web.Request) -> web.Response:
        return await fs.handle(request)  # looked up per request, so a test can wrap it

    app.router.add_get("/feeds/{name}", route)
    runner = web.AppRunner(app, shutdown_timeout=0.1)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    fs.port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    yield fs
    await runner.cleanup()


def make_bot(
    tmp_path: Path, clock: FakeClock, server: FeedServer, sources: dict[str, str]
) -> tuple[Bot, RecordingPoster]:
    poster = RecordingPoster()
    settings = Settings(
        sources=[
            SourceSettings(name=name, url=server.url(path), poll="10m", allow_private=True)
            for name, path in sources.items()
        ],
        channels=[
            ChannelSettings(platform="console", id="a"),
            ChannelSettings(platform="console", id="b"),
        ],
    )
    store = Store.open(f"sqlite:///{tmp_path / 'bot.db'}", clock=clock)
    fetcher = Fetcher(limits=FetchLimits(read_timeout=0.3, connect_timeout=0.3))
    bot = Bot(settings, store, {"console": poster}, fetcher=fetcher, clock=clock, max_failures=3)
    return bot, poster


async def test_conditional_get_then_304_then_changed_feed(
    tmp_path: Path, clock: FakeClock, server: FeedServer
) -> None:
    server.feeds["news"] = rss(("g1", "Orvane harbour reopens"))
    bot, _ = make_bot(tmp_path, clock, server, {"news": "news"})
    [first] = await bot.poll_all()
    assert first.stored == 1 and server.hits[-1] == ("news", None, None)
    state = bot.store.feed_state("news")
    assert (state.etag, state.last_modified) == (ETAG, MODIFIED)

    clock.advance(minutes=10)
    [second] = await bot.poll_all()
    assert second.stored == 0 and second.error is None
    assert server.hits[-1] == ("news", ETAG, MODIFIED)  # conditional GET, answered 304

    server.feeds["news"] = rss(("g1", "Orvane harbour reopens"), ("g2", "Kesterby mill burns"))
    server.mode["news"] = "ok"
    bot.store.save_feed_state(bot.store.feed_state("news").__class__(name="news"))  # new feed
    clock.advance(minutes=10)
    [third] = await bot.poll_all()
    assert third.stored == 1
    await bot.fetcher.aclose()


async def test_failures_back_off_pause_with_one_notice_and_recovery_resets(
    tmp_path: Path, clock: FakeClock, server: FeedServer
) -> None:
    server.mode.update({"bad": "500", "slow": "hang"})
    bot, poster = make_bot(tmp_path, clock, server, {"bad": "bad", "slow": "slow"})
    outcomes = await bot.poll_all()
    assert all(o.error for o in outcomes)
    bad = bot.store.feed_state("bad")
    assert bad.consecutive_failures == 1 and "500" in (bad.last_error or "")
    assert bad.next_poll_at == clock.now + timedelta(minutes=10)
    slow = bot.store.feed_state("slow")
    assert slow.consecutive_failures == 1 and slow.last_error

    # still backing off: the job does not fetch
    hits = len(server.hits)
    clock.advance(minutes=5)
    await poll_source_job(bot, f"url:{server.url('bad')}")
    assert len(server.hits) == hits

    clock.advance(minutes=5)
    await poll_source_job(bot, f"url:{server.url('bad')}")
    bad = bot.store.feed_state("bad")
    assert bad.consecutive_failures == 2
    assert bad.next_poll_at == clock.now + timedelta(minutes=20)  # doubled

    clock.advance(minutes=20)
    await poll_source_job(bot, f"url:{server.url('bad')}")  # third failure: paused
    assert bot.store.feed_state("bad").paused
    notices = [m for _, m, _ in poster.sent if "paused" in m.get("text", "")]
    assert len(notices) == 2  # channels a and b, once each
    assert sorted(c for c, m, _ in poster.sent if "paused" in m.get("text", "")) == ["a", "b"]

    # paused: neither the job nor poll_all fetches it, and nobody is told again
    clock.advance(days=1)
    server.mode["slow"] = "ok"
    hits = len(server.hits)
    await poll_source_job(bot, f"url:{server.url('bad')}")
    await bot.poll_all(due_only=True)
    assert not [h for h in server.hits[hits:] if h[0] == "bad"]
    assert len([m for _, m, _ in poster.sent if "paused" in m.get("text", "")]) == 2

    # recovery (the due_only cycle above fetched it) resets the streak
    slow = bot.store.feed_state("slow")
    assert slow.consecutive_failures == 0 and slow.last_success_at == clock.now
    await bot.fetcher.aclose()


async def test_a_url_shared_by_sources_is_fetched_once_per_cycle(
    tmp_path: Path, clock: FakeClock, server: FeedServer
) -> None:
    server.feeds["shared"] = rss(("g1", "Dunmar bridge opens"))
    bot, _ = make_bot(tmp_path, clock, server, {"one": "shared", "two": "shared", "other": "other"})
    outcomes = await bot.poll_all()
    assert sorted(o.source for o in outcomes) == ["one", "other", "two"]
    assert [h[0] for h in server.hits].count("shared") == 1
    assert bot.store.feed_state("two").last_success_at == clock.now
    await bot.fetcher.aclose()


async def test_poll_all_polls_sources_concurrently(
    tmp_path: Path, clock: FakeClock, server: FeedServer
) -> None:
    """Counted by overlapping requests, not by timing: one host allows two at once."""
    in_flight = peak = 0
    original = server.handle

    async def counting(request: web.Request) -> web.Response:
        nonlocal in_flight, peak
        in_flight += 1
        peak = max(peak, in_flight)
        try:
            await asyncio.sleep(0.05)
            return await original(request)
        finally:
            in_flight -= 1

    server.handle = counting  # type: ignore[method-assign]
    bot, _ = make_bot(tmp_path, clock, server, {f"s{i}": f"f{i}" for i in range(4)})
    outcomes = await bot.poll_all()
    assert len(outcomes) == 4 and not any(o.error for o in outcomes)
    assert peak == 2  # the Fetcher's per-host cap, reached: sources were polled together
    await bot.fetcher.aclose()


def test_poll_offsets_spread_sources_over_their_interval() -> None:
    offsets = [poll_offset(f"url:https://feeds.example/{i}", 600) for i in range(200)]
    assert len(set(offsets)) > 150
    buckets = [sum(1 for o in offsets if b * 60 <= o < (b + 1) * 60) for b in range(10)]
    assert max(buckets) < 40  # no minute of the ten holds a fifth of the feeds
    assert poll_offset("url:x", 600) == poll_offset("url:x", 600)  # stable across restarts
