"""SSRF through chat (issue 8): `/digest subscribe URL` comes from any chat user.

A real `Bot` (real store, real Fetcher) answers through the neutral `CommandHandler`. The
Fetcher gets an `httpx.MockTransport` that records every request (none may reach a refused
address) and an injected resolver, so "this host name resolves to 10.0.0.5" needs no DNS.
A refused URL is either rejected at subscribe time with a clear message, or (host names, which
only resolve later) recorded at fetch time and shown on `/digest feeds`.

Permissions: setup-changing commands without the right are tested per platform in
test_slack_app (`[slack] admins`, users.info admins/owners) and test_discord_bot (Manage
Channels); test_bot_flow covers the neutral handler. Here only what was missing: every setup
verb, in any letter case, is refused before the service is touched.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest

from bot.app import Bot
from bot.commands import SETUP_COMMANDS, CommandHandler, CommandRequest, Reply
from bot.fetch import Fetcher, FetchResult
from bot.settings import ChannelSettings, Settings
from digests.store import Store
from tests.conftest import FakeClock

FEED = b"""<?xml version="1.0"?><rss version="2.0"><channel><title>Public Wire</title>
<item><title>Ferry Marta aground off Kelso Point</title><guid>f1</guid>
<link>https://public.example/f1</link>
<description>The ferry Marta ran aground off Kelso Point on Tuesday.</description></item>
</channel></rss>"""

ADDRESSES = {
    "public.example": ["93.184.216.34"],
    "internal.example": ["10.0.0.5"],
    "rebind.example": ["93.184.216.35", "127.0.0.1"],  # one bad answer is enough to refuse
    "metadata.example": ["169.254.169.254"],
    "v6local.example": ["fd00::1"],
    "mapped.example": ["::ffff:192.168.0.1"],
}


@dataclass
class Recorder:
    requests: list[httpx.Request] = field(default_factory=list)
    resolved: list[str] = field(default_factory=list)

    def handler(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        return httpx.Response(200, content=FEED, headers={"Content-Type": "application/rss+xml"})

    async def resolve(self, host: str, port: int) -> list[str]:
        self.resolved.append(host)
        return ADDRESSES.get(host, ["93.184.216.99"])


class SpyFetcher(Fetcher):
    """Records the `allow_private` every fetch was made with."""

    def __init__(self, recorder: Recorder) -> None:
        super().__init__(transport=httpx.MockTransport(recorder.handler), resolver=recorder.resolve)
        self.calls: list[tuple[str, bool]] = []

    async def fetch(self, url: str, **kwargs: Any) -> FetchResult:
        self.calls.append((url, bool(kwargs.get("allow_private"))))
        return await super().fetch(url, **kwargs)


@dataclass
class Chat:
    bot: Bot
    fetcher: SpyFetcher
    recorder: Recorder

    async def say(self, text: str, *, admin: bool = True) -> Reply:
        request = CommandRequest("slack", "C0TEST", "U1", text, can_manage=admin)
        return await self.bot.commands.handle(request)


@pytest.fixture
async def chat(tmp_path: Path) -> AsyncIterator[Chat]:
    recorder = Recorder()
    fetcher = SpyFetcher(recorder)
    settings = Settings(channels=[ChannelSettings(platform="slack", id="C0TEST")])
    store = Store.open(f"sqlite:///{tmp_path / 'bot.db'}")
    bot = Bot(settings, store, {}, fetcher=fetcher, clock=FakeClock())
    yield Chat(bot, fetcher, recorder)
    await fetcher.aclose()
    store.close()


REFUSED = [
    "http://127.0.0.1/",
    "http://127.0.0.1:8080/feed.xml",
    "http://169.254.169.254/latest/meta-data/",
    "http://[::1]/",
    "http://[::ffff:127.0.0.1]/",
    "http://2130706433/",
    "http://0x7f.1/",
    "http://017700000001/",
    "http://0.0.0.0/",
    "http://10.1.2.3/rss",
    "http://100.64.0.1/",
    "http://[fe80::1]/",
    "http://224.0.0.1/",
    "file:///etc/passwd",
    "gopher://x",
    "ftp://public.example/feed.xml",
    "javascript:alert(1)",
    "http://user:secret@public.example/feed.xml",
    "http://internal.example/rss",
    "http://rebind.example/rss",
    "http://metadata.example/rss",
    "http://v6local.example/rss",
    "http://mapped.example/rss",
    "<http://127.0.0.1/|127.0.0.1>",
    "<http://internal.example/rss>",
]


@pytest.mark.parametrize("url", REFUSED)
async def test_subscribe_refuses_non_public_targets(chat: Chat, url: str) -> None:
    reply = await chat.say(f"subscribe {url}")
    if reply.ok:
        # Accepted (a host name only resolves later): the fetch must refuse it, visibly.
        outcomes = await chat.bot.poll_all()
        assert [o.error for o in outcomes if o.error], outcomes
        feeds = (await chat.say("feeds", admin=False)).text
        assert "last error" in feeds, feeds
    else:
        assert reply.text.startswith("Cannot subscribe"), reply.text
        assert chat.bot.all_sources() == []
    assert chat.recorder.requests == [], "a refused address was contacted"
    assert "secret" not in (await chat.say("feeds", admin=False)).text


async def test_chat_sources_are_fetched_strictly_even_when_config_allows_private(
    tmp_path: Path,
) -> None:
    """A config source may opt in to private hosts; a chat subscription to the same host may not."""
    from bot.settings import SourceSettings

    recorder = Recorder()
    fetcher = SpyFetcher(recorder)
    settings = Settings(
        sources=[
            SourceSettings(name="lan", url="http://internal.example/own.xml", allow_private=True)
        ],
        channels=[ChannelSettings(platform="slack", id="C0TEST", sources=["lan"])],
    )
    store = Store.open(f"sqlite:///{tmp_path / 'bot.db'}")
    bot = Bot(settings, store, {}, fetcher=fetcher, clock=FakeClock())
    try:
        chat = Chat(bot, fetcher, recorder)
        reply = await chat.say("subscribe http://internal.example/other.xml")
        assert reply.ok, reply.text
        outcomes = {o.source: o for o in await bot.poll_all()}
        by_url = dict(fetcher.calls)
        assert by_url["http://internal.example/own.xml"] is True
        assert by_url["http://internal.example/other.xml"] is False
        assert outcomes["lan"].error is None  # the config opt-in works
        [chat_source] = [name for name in outcomes if name != "lan"]
        assert (
            "not allowed" in (outcomes[chat_source].error or "") or outcomes[chat_source].error
        ), outcomes
        assert [str(r.url) for r in recorder.requests] == ["http://10.0.0.5/own.xml"]
        stored = [s for s in store.sources() if s.name == chat_source]
        assert stored[0].allow_private is False
    finally:
        await fetcher.aclose()
        store.close()


async def test_public_feed_subscribes_and_is_fetched_pinned_to_the_checked_address(
    chat: Chat,
) -> None:
    reply = await chat.say("subscribe https://public.example/feed.xml")
    assert reply.ok, reply.text
    [outcome] = await chat.bot.poll_all()
    assert outcome.error is None and outcome.stored == 1
    [request] = chat.recorder.requests
    assert request.url.host == "93.184.216.34"  # connected to the address that was checked
    assert request.headers["Host"] == "public.example"
    assert chat.fetcher.calls == [("https://public.example/feed.xml", False)]


class NoService:
    """A BotService whose every use case fails the test: refusals must come first."""

    def __getattr__(self, name: str) -> Any:
        raise AssertionError(f"service.{name} called without the right to manage the channel")


@pytest.mark.parametrize("verb", sorted(SETUP_COMMANDS))
@pytest.mark.parametrize("platform", ["slack", "discord"])
async def test_setup_commands_refused_without_rights(verb: str, platform: str) -> None:
    handler = CommandHandler(NoService())  # type: ignore[arg-type]
    for spelled in (verb, verb.upper(), verb.capitalize()):
        request = CommandRequest(platform, "C1", "U1", f"{spelled} http://127.0.0.1/")
        reply = await handler.handle(request)
        assert not reply.ok and "needs the right to manage" in reply.text, reply.text
