"""Operations benchmark: the poll cycle and the command path, on 127.0.0.1 only.

- `poll_1000_feeds_s`: one `Bot.poll_all` over N feed sources served by a local aiohttp
  server through the real `Fetcher` (address checks, per-host cap, conditional GET); half the
  feeds hold validators and answer 304, the other half send new items to parse and ingest.
- `ack_p99_ms`: p99 time from sending a signed Slack `/digest help` to the HTTP answer (the
  ack) through the real bolt app, against a small fake Slack Web API.
- `ack_under_load_p99_ms`: the same while the bot ingests a poll of `load_articles` synthetic
  articles and then builds their stories' facts (a first poll, or a digest after it): the
  loop must keep acknowledging commands (Slack gives up after 3 s).
"""

from __future__ import annotations

import asyncio
import logging
import statistics
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TextIO
from urllib.parse import urlencode

import httpx
from aiohttp import web

from bot.app import Bot
from bot.fetch import Fetcher
from bot.settings import ChannelSettings, Settings, SourceSettings
from digests.store import FeedState, Store

log = logging.getLogger(__name__)

ETAG = '"bench-1"'
SECRET = "bench-signing-secret"


def _feed(i: int, items: int) -> bytes:
    entries = "".join(
        f"<item><title>Feed {i} item {j}: Kel{i}var council votes on plan {j}</title>"
        f"<link>http://127.0.0.1/f{i}/{j}</link><guid>f{i}-{j}</guid>"
        f"<description>The Kel{i}var council voted on plan {j} on Tuesday, officials said."
        f"</description></item>"
        for j in range(items)
    )
    return (
        f'<?xml version="1.0"?><rss version="2.0"><channel><title>Feed {i}</title>{entries}'
        f"</channel></rss>"
    ).encode()


async def _serve(app: web.Application) -> tuple[web.AppRunner, int]:
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    return runner, int(runner.addresses[0][1])


async def bench_poll(feeds: int, items: int = 2) -> float:
    """Seconds for one poll cycle over `feeds` sources (even ones unchanged → 304)."""
    bodies = {i: _feed(i, items) for i in range(feeds)}

    async def handle(request: web.Request) -> web.Response:
        i = int(request.match_info["i"])
        if request.headers.get("If-None-Match") == ETAG:
            return web.Response(status=304, headers={"ETag": ETAG})
        return web.Response(
            body=bodies[i], content_type="application/rss+xml", headers={"ETag": ETAG}
        )

    app = web.Application()
    app.router.add_get("/f/{i}", handle)
    runner, port = await _serve(app)
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(
            sources=[
                SourceSettings(
                    name=f"f{i}", url=f"http://127.0.0.1:{port}/f/{i}", allow_private=True
                )
                for i in range(feeds)
            ],
            channels=[ChannelSettings(platform="console", id="bench")],
        )
        store = Store.open(f"sqlite:///{Path(tmp) / 'bench.db'}")
        fetcher = Fetcher()
        try:
            bot = Bot(settings, store, {}, fetcher=fetcher)
            for i in range(0, feeds, 2):  # half the feeds were fetched before: validators held
                store.save_feed_state(FeedState(name=f"f{i}", etag=ETAG))
            started = time.perf_counter()
            outcomes = await bot.poll_all()
            elapsed = time.perf_counter() - started
            failed = [o for o in outcomes if o.error]
            if failed:
                log.warning("%d of %d feeds failed, e.g. %s", len(failed), feeds, failed[0])
        finally:
            await fetcher.aclose()
            store.close()
            await runner.cleanup()
    return elapsed


class _FakeSlackApi:
    """Just enough Web API for bolt: auth.test, any other method ok, response_url posts."""

    def __init__(self) -> None:
        self.responses = 0

    async def api(self, request: web.Request) -> web.Response:
        if request.match_info["method"] == "auth.test":
            return web.json_response(
                {"ok": True, "user_id": "UBOT", "bot_id": "BBOT", "team_id": "T1", "user": "nd"}
            )
        return web.json_response({"ok": True})

    async def response(self, request: web.Request) -> web.Response:
        await request.read()
        self.responses += 1
        return web.json_response({"ok": True})


@contextmanager
def _store_dir() -> Iterator[Path]:
    with tempfile.TemporaryDirectory() as tmp:
        yield Path(tmp)


async def _load(bot: Bot, articles: int) -> None:
    from digests.synthetic import synthetic_stream

    await bot.ingest([a for a, _ in synthetic_stream(articles, seed=11)])
    await bot.ready_stories()


async def bench_ack(requests: int, load: int = 0) -> tuple[list[float], list[float]]:
    """Milliseconds from send to HTTP answer for `requests` signed `/digest help` commands on
    an idle bot, then for as many as fit while it ingests `load` articles (none if 0)."""
    from slack_sdk.signature import SignatureVerifier

    from bot.adapters.slack import build_slack_app, start_slack_http

    # One access-log line per request would bury the figures this prints.
    logging.getLogger("aiohttp.access").setLevel(logging.WARNING)
    fake = _FakeSlackApi()
    api_app = web.Application()
    api_app.router.add_route("*", "/api/{method}", fake.api)
    api_app.router.add_post("/response/{name}", fake.response)
    api_runner, api_port = await _serve(api_app)
    timings: list[float] = []
    loaded: list[float] = []
    with _store_dir() as tmp:
        store = Store.open(f"sqlite:///{tmp / 'ack.db'}")
        bot = Bot(Settings(), store, {})
        app = build_slack_app(
            bot.commands,
            token="xoxb-bench",
            signing_secret=SECRET,
            api_url=f"http://127.0.0.1:{api_port}/api/",
            admins=[],
        )
        runner, port = await start_slack_http(app, host="127.0.0.1", port=0)
        verifier = SignatureVerifier(SECRET)
        url = f"http://127.0.0.1:{port}/slack/events"
        try:
            async with httpx.AsyncClient(trust_env=False) as client:

                async def one(n: int) -> float:
                    body = urlencode(
                        {
                            "command": "/digest",
                            "text": "help",
                            "user_id": "U1",
                            "user_name": "bench",
                            "channel_id": "C1",
                            "team_id": "T1",
                            "trigger_id": f"t{n}",
                            "response_url": f"http://127.0.0.1:{api_port}/response/r{n}",
                        }
                    )
                    stamp = str(int(time.time()))
                    signature = verifier.generate_signature(timestamp=stamp, body=body) or ""
                    headers = {
                        "X-Slack-Request-Timestamp": stamp,
                        "X-Slack-Signature": signature,
                        "Content-Type": "application/x-www-form-urlencoded",
                    }
                    started = time.perf_counter()
                    answer = await client.post(url, content=body, headers=headers)
                    elapsed = (time.perf_counter() - started) * 1000
                    if answer.status_code != 200:
                        raise RuntimeError(f"slack ack failed: HTTP {answer.status_code}")
                    return elapsed

                for n in range(requests + 5):  # the first few warm bolt up (auth.test)
                    elapsed = await one(n)
                    if n >= 5:
                        timings.append(elapsed)
                if load:
                    busy = asyncio.create_task(_load(bot, load))
                    n = requests + 5
                    while not busy.done():
                        loaded.append(await one(n))
                        n += 1
                    await busy
            await asyncio.sleep(0.05)  # let the last respond() calls land
        finally:
            await runner.cleanup()
            await api_runner.cleanup()
            store.close()
    return timings, loaded


def p99(values: list[float]) -> float:
    if len(values) < 2:
        return values[0] if values else 0.0
    return statistics.quantiles(values, n=100, method="inclusive")[98]


def run_ops_bench(out: TextIO, *, feeds: int = 1000, requests: int = 200, load: int = 2000) -> None:
    """Print `poll_1000_feeds_s=`, `ack_p99_ms=` and, with a `load`, the acks under it
    (sizes are parameters for tests)."""

    async def both() -> tuple[float, tuple[list[float], list[float]]]:
        return await bench_poll(feeds), await bench_ack(requests, load)

    poll_s, (acks, loaded) = asyncio.run(both())
    out.write(f"poll_1000_feeds_s={poll_s:.2f}\n")
    out.write(f"ack_p99_ms={p99(acks):.1f}\n")
    if load:
        out.write(f"load_articles={load}\n")
        out.write(f"acks_under_load={len(loaded)}\n")
        out.write(f"ack_under_load_p99_ms={p99(loaded):.1f}\n")
        out.write(f"ack_under_load_max_ms={max(loaded, default=0.0):.1f}\n")
    out.flush()


__all__ = ["bench_ack", "bench_poll", "p99", "run_ops_bench"]
