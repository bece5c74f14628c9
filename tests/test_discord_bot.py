"""The real discord.py client against a fake Discord (REST + gateway) on 127.0.0.1."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import aiohttp
import discord
import pytest

from bot.adapters.discord import (
    DiscordPoster,
    apply_discord_urls,
    build_discord_client,
    invite_url,
)
from bot.chat import DeliveryError
from bot.commands import CommandHandler
from digests.facts import Answer
from digests.models import Article, ChannelRef, Fact, Source, Story
from digests.render import DigestView, LinkView, StoryView
from tests.fakes.discord_api import MANAGE_CHANNELS, MEMBER_PERMISSIONS, FakeDiscord

SUBCOMMANDS = {
    "now",
    "story",
    "sources",
    "ask",
    "search",
    "subscribe",
    "unsubscribe",
    "feeds",
    "schedule",
    "mute",
    "why",
    "help",
}
WHEN = datetime(2026, 6, 30, 8, 0, tzinfo=UTC)
BOUND = 10.0  # seconds; only bounds a hang, never asserts a duration


def sample_story() -> Story:
    article = Article(
        id="a1",
        title="Leaders meet @everyone",
        text="Leaders met in Seoul.",
        source="Wire <@&456>",
        url="https://example.org/a1",
        published=WHEN,
    )
    return Story(
        id="s1",
        headline="Leaders meet in Seoul @everyone",
        articles=(article,),
        sources=(Source("Wire <@&456>", ("a1",), url="https://example.org/a1"),),
        facts=(Fact("Leaders met in Seoul <@123>", "event", ("a1",)),),
    )


@dataclass
class StubService:
    """The use cases behind the commands, recording what the commands asked for."""

    calls: list[tuple[str, Any]] = field(default_factory=list)

    async def post_now(self, channel: ChannelRef) -> int:
        self.calls.append(("post_now", channel))
        return 2

    def numbered_story(self, channel: ChannelRef, number: int) -> Story | None:
        return sample_story() if number == 2 else None

    async def search(self, terms: str, limit: int = 5) -> list[Story]:
        self.calls.append(("search", terms))
        return [sample_story()]

    def ask(self, story: Story, question: str) -> list[Answer]:
        self.calls.append(("ask", question))
        return []

    def why(self, url: str) -> str:
        return f"{url} is stored"

    def feeds(self, channel: ChannelRef) -> list[str]:
        return ["wire — ok"]

    def subscribe(self, channel: ChannelRef, url: str) -> str:
        self.calls.append(("subscribe", (channel, url)))
        return "example-feed"

    def unsubscribe(self, channel: ChannelRef, name: str) -> bool:
        return name == "wire"

    def schedule(self, channel: ChannelRef, cron: str, timezone: str | None) -> str:
        self.calls.append(("schedule", (cron, timezone)))
        return f"Daily at {cron} {timezone}"

    def mute(self, channel: ChannelRef, word: str) -> None:
        self.calls.append(("mute", word))

    def unmute(self, channel: ChannelRef, word: str) -> bool:
        return True


@pytest.fixture
async def fake() -> AsyncIterator[FakeDiscord]:
    server = FakeDiscord()
    await server.start()
    yield server
    await server.close()


@pytest.fixture
def discord_urls(fake: FakeDiscord) -> Iterator[None]:
    base, gateway = discord.http.Route.BASE, discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY
    apply_discord_urls(fake.api_url, fake.gateway_url)
    yield
    discord.http.Route.BASE = base
    discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = gateway


@dataclass
class Bot:
    client: discord.Client
    service: StubService
    fake: FakeDiscord


@pytest.fixture
async def bot(
    fake: FakeDiscord, discord_urls: None, caplog: pytest.LogCaptureFixture
) -> AsyncIterator[Bot]:
    caplog.set_level(logging.DEBUG)
    service = StubService()
    ready = asyncio.Event()

    async def on_ready() -> None:
        ready.set()

    client = build_discord_client(
        CommandHandler(service),
        guilds=[fake.guild_id],
        on_ready_hook=on_ready,
        guild_ready_timeout=0.01,
    )
    task = asyncio.create_task(client.start(fake.token))
    await asyncio.wait_for(ready.wait(), BOUND)
    yield Bot(client, service, fake)
    await client.close()
    await asyncio.wait_for(task, BOUND)
    assert fake.token not in caplog.text


def sub(command: str, **values: Any) -> list[dict[str, Any]]:
    types = {int: 4, str: 3}
    options = [{"name": k, "type": types[type(v)], "value": v} for k, v in values.items()]
    return [{"name": command, "type": 1, "options": options}]


async def run(bot: Bot, options: list[dict[str, Any]], **kw: Any) -> tuple[Any, Any]:
    """Dispatch one interaction; return (callback body, followup body)."""
    payload = bot.fake.interaction_payload(options, **kw)
    await bot.fake.dispatch("INTERACTION_CREATE", payload)
    token = payload["token"]
    [callback] = await asyncio.wait_for(
        bot.fake.wait_for("POST", rf"/interactions/{payload['id']}/{token}/callback"), BOUND
    )
    [followup] = await asyncio.wait_for(bot.fake.wait_for("POST", rf"/webhooks/\d+/{token}"), BOUND)
    return callback.body, followup.body


async def test_login_identify_and_gateway_query(bot: Bot) -> None:
    fake = bot.fake
    assert fake.gateway_query["v"] == "10" and fake.gateway_query["encoding"] == "json"
    assert fake.identify is not None
    privileged = (1 << 1) | (1 << 8) | (1 << 15)  # members, presences, message content
    assert fake.identify["intents"] & privileged == 0
    assert fake.calls("GET", "/users/@me")[0].headers["Authorization"] == f"Bot {fake.token}"
    assert fake.calls("GET", "/users/@me")[0].headers.get("Content-Type") is None
    assert bot.client.application_id == fake.application_id


async def test_sync_registers_the_digest_group(bot: Bot) -> None:
    fake = bot.fake
    [sync] = fake.calls(
        "PUT", rf"/applications/{fake.application_id}/guilds/{fake.guild_id}/commands"
    )
    [group] = sync.body
    assert group["name"] == "digest" and group["type"] == 1
    subs = {o["name"]: o for o in group["options"]}
    assert set(subs) >= SUBCOMMANDS
    assert all(o["type"] == 1 and o["description"] for o in subs.values())
    [number] = subs["story"]["options"]
    assert number["name"] == "number" and number["type"] == 4 and number["description"]
    assert number["min_value"] == 1
    assert number["autocomplete"] is True
    [feed_name] = subs["unsubscribe"]["options"]
    assert feed_name["autocomplete"] is True
    ask = {o["name"]: o for o in subs["ask"]["options"]}
    assert ask["question"]["type"] == 3 and ask["question"]["required"]
    schedule = {o["name"]: o for o in subs["schedule"]["options"]}
    assert schedule["cron"]["required"] and not schedule["timezone"].get("required", False)
    assert not fake.calls("PUT", rf"/applications/{fake.application_id}/commands")


async def test_help_is_deferred_then_answered_without_mentions(bot: Bot) -> None:
    callback, followup = await run(bot, sub("help"))
    assert callback["type"] == 5 and callback["data"]["flags"] & 64
    assert "/digest story N" in followup["content"]
    assert followup["allowed_mentions"] == {"parse": []}


async def test_story_2_answers_with_an_inert_embed(bot: Bot) -> None:
    callback, followup = await run(bot, sub("story", number=2))
    assert callback["type"] == 5
    [embed] = followup["embeds"]
    assert embed["title"].startswith("2. Leaders meet in Seoul")
    assert "@everyone" not in str(followup) and "<@123>" not in str(followup)
    assert "<@&456>" not in str(followup)
    assert followup["allowed_mentions"] == {"parse": []}


async def test_missing_story_and_arguments_with_spaces(bot: Bot) -> None:
    _, followup = await run(bot, sub("story", number=7))
    assert "There is no story 7" in followup["content"]
    await run(bot, sub("search", terms="seoul summit it's"))
    await run(bot, sub("ask", number=2, question="where's the meeting?"))
    assert ("search", "seoul summit it's") in bot.service.calls
    assert ("ask", "where's the meeting?") in bot.service.calls


async def test_setup_command_refused_without_manage_channels(bot: Bot) -> None:
    callback, followup = await run(
        bot, sub("subscribe", url="https://example.org/feed.xml"), permissions=MEMBER_PERMISSIONS
    )
    assert callback["data"]["flags"] & 64
    assert "needs the right to manage" in followup["content"]
    assert not [c for c in bot.service.calls if c[0] == "subscribe"]


async def test_setup_command_allowed_with_manage_channels(bot: Bot) -> None:
    perms = MEMBER_PERMISSIONS | MANAGE_CHANNELS
    callback, followup = await run(
        bot, sub("subscribe", url="https://example.org/feed.xml"), permissions=perms
    )
    assert not (callback.get("data") or {}).get("flags", 0) & 64  # public: the channel changed
    assert "Subscribed this channel" in followup["content"]
    channel = ChannelRef("discord", str(bot.fake.channel_id))
    assert ("subscribe", (channel, "https://example.org/feed.xml")) in bot.service.calls

    await run(bot, sub("schedule", cron="0 8 * * *", timezone="Europe/Berlin"), permissions=perms)
    assert ("schedule", ("0 8 * * *", "Europe/Berlin")) in bot.service.calls


async def test_failed_setup_after_public_defer_stays_private(bot: Bot) -> None:
    perms = MEMBER_PERMISSIONS | MANAGE_CHANNELS
    callback, followup = await run(bot, sub("unsubscribe", name="nope"), permissions=perms)
    assert not (callback.get("data") or {}).get("flags", 0) & 64
    assert "has no source named" in followup["content"]
    assert bot.fake.calls("DELETE", r"/webhooks/\d+/[^/]+/messages/@original")
    assert followup["flags"] & 64


async def test_buttons_answer_sources_and_story(bot: Bot) -> None:
    payload = bot.fake.interaction_payload([], component="newsdigest:sources:2")
    await bot.fake.dispatch("INTERACTION_CREATE", payload)
    token = payload["token"]
    [callback] = await asyncio.wait_for(
        bot.fake.wait_for("POST", rf"/interactions/\d+/{token}/callback"), BOUND
    )
    [followup] = await asyncio.wait_for(bot.fake.wait_for("POST", rf"/webhooks/\d+/{token}"), BOUND)
    assert callback.body["type"] == 5 and callback.body["data"]["flags"] & 64
    assert followup.body["content"].startswith("Sources for 2")
    assert followup.body["allowed_mentions"] == {"parse": []}


def digest_view() -> DigestView:
    view = StoryView(
        number=1,
        story_id="s1",
        headline="Summit @here",
        url="https://example.org/a1",
        facts=("Met in Seoul <@123>",),
        more_facts=0,
        sources=(LinkView("Wire", "https://example.org/a1"),),
        more_sources=0,
        disagreements=(),
        published=WHEN,
    )
    return DigestView("Morning digest", WHEN, (view,))


async def test_poster_sends_embeds_buttons_and_no_mentions(bot: Bot) -> None:
    poster = DiscordPoster(bot.client)
    assert poster.platform == "discord"
    [message] = poster.render_digest(digest_view())
    message_id = await poster.send(str(bot.fake.channel_id), message)
    [post] = bot.fake.calls("POST", rf"/channels/{bot.fake.channel_id}/messages")
    assert message_id.isdigit()
    assert post.body["allowed_mentions"] == {"parse": []}
    assert post.body["embeds"][0]["title"].startswith("1. Summit")
    ids = [c["custom_id"] for row in post.body["components"] for c in row["components"]]
    assert ids == ["newsdigest:sources:1", "newsdigest:story:1"]


async def test_poster_threads_updates_on_the_digest_message(bot: Bot) -> None:
    poster = DiscordPoster(bot.client)
    channel = str(bot.fake.channel_id)
    digest_id = await poster.send(channel, {"content": "digest", "embeds": []})
    update = {"content": "+1 source", "embeds": []}
    await poster.send(channel, update, thread_of=digest_id)
    await poster.send(channel, update, thread_of=digest_id)
    assert len(bot.fake.calls("POST", rf"/channels/{channel}/messages/{digest_id}/threads")) == 1
    posts = bot.fake.calls("POST", rf"/channels/{digest_id}/messages")
    assert len(posts) == 2 and all(p.body["allowed_mentions"] == {"parse": []} for p in posts)


async def test_poster_reuses_an_existing_thread(bot: Bot) -> None:
    poster = DiscordPoster(bot.client)
    channel = str(bot.fake.channel_id)
    bot.fake.fail(
        "POST", r"/channels/\d+/messages/555/threads", 400, {"message": "x", "code": 160004}
    )
    await poster.send(channel, {"content": "u"}, thread_of="555")
    assert bot.fake.calls("POST", r"/channels/555/messages")


async def test_poster_replies_when_threads_are_not_allowed(bot: Bot) -> None:
    poster = DiscordPoster(bot.client)
    channel = str(bot.fake.channel_id)
    bot.fake.fail(
        "POST", r"/channels/\d+/messages/\d+/threads", 403, {"message": "no", "code": 50013}
    )
    await poster.send(channel, {"content": "u"}, thread_of="777")
    [post] = bot.fake.calls("POST", rf"/channels/{channel}/messages")
    assert int(post.body["message_reference"]["message_id"]) == 777
    assert post.body["allowed_mentions"] == {"parse": []}


@pytest.mark.parametrize(
    ("status", "code", "permanent"), [(403, 50001, True), (404, 10003, True), (400, 50035, False)]
)
async def test_poster_maps_errors(bot: Bot, status: int, code: int, permanent: bool) -> None:
    poster = DiscordPoster(bot.client)
    bot.fake.fail("POST", r"/channels/\d+/messages", status, {"message": "nope", "code": code})
    with pytest.raises(DeliveryError) as info:
        await poster.send(str(bot.fake.channel_id), {"content": "hi"})
    assert info.value.permanent is permanent
    assert bot.fake.token not in str(info.value)


async def test_poster_rejects_a_bad_channel_id_for_good(bot: Bot) -> None:
    with pytest.raises(DeliveryError) as info:
        await DiscordPoster(bot.client).send("#news", {"content": "hi"})
    assert info.value.permanent


async def test_poster_rate_limit_is_retried_by_discord_py(bot: Bot) -> None:
    poster = DiscordPoster(bot.client)
    bot.fake.rate_limit("POST", r"/channels/\d+/messages", retry_after=0.05)
    message_id = await poster.send(str(bot.fake.channel_id), {"content": "hi"})
    assert message_id.isdigit()
    assert len(bot.fake.calls("POST", rf"/channels/{bot.fake.channel_id}/messages")) == 2


async def test_fake_sends_plain_application_json(fake: FakeDiscord) -> None:
    async with (
        aiohttp.ClientSession() as session,
        session.get(f"{fake.api_url}/users/@me") as response,
    ):
        assert response.headers["Content-Type"] == "application/json"


def test_invite_url_has_scopes_and_minimal_permissions() -> None:
    url = invite_url(42)
    assert "client_id=42" in url
    assert "scope=bot+applications.commands" in url
    perms = discord.Permissions(int(url.split("permissions=")[1].split("&")[0]))
    assert perms.view_channel and perms.send_messages and perms.embed_links
    assert perms.send_messages_in_threads and perms.create_public_threads
    assert perms.read_message_history
    assert not perms.administrator and not perms.mention_everyone and not perms.manage_messages


def test_apply_discord_urls_defaults() -> None:
    base, gateway = discord.http.Route.BASE, discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY
    try:
        apply_discord_urls("http://127.0.0.1:1/api/v10/", "ws://127.0.0.1:1/gw")
        assert discord.http.Route.BASE == "http://127.0.0.1:1/api/v10"
        assert str(discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY) == "ws://127.0.0.1:1/gw"
        apply_discord_urls(None, None)
        assert discord.http.Route.BASE == "https://discord.com/api/v10"
        assert str(discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY) == "wss://gateway.discord.gg/"
    finally:
        discord.http.Route.BASE = base
        discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = gateway


async def test_more_facts_button_answers_the_story(bot: Bot) -> None:
    poster = DiscordPoster(bot.client)
    [message] = poster.render_digest(digest_view())
    await poster.send(str(bot.fake.channel_id), message)  # a digest with live buttons
    payload = bot.fake.interaction_payload([], component="newsdigest:story:2")
    await bot.fake.dispatch("INTERACTION_CREATE", payload)
    [followup] = await asyncio.wait_for(
        bot.fake.wait_for("POST", rf"/webhooks/\d+/{payload['token']}"), BOUND
    )
    assert followup.body["embeds"][0]["title"].startswith("2. Leaders meet")
    assert followup.body["flags"] & 64


async def test_token_stays_out_of_logs_and_payloads(
    bot: Bot, caplog: pytest.LogCaptureFixture
) -> None:
    await run(bot, sub("help"))
    bot.fake.fail("POST", r"/channels/\d+/messages", 403, {"message": "Missing Access", "code": 1})
    with pytest.raises(DeliveryError):
        await DiscordPoster(bot.client).send(str(bot.fake.channel_id), {"content": "x"})
    start_up = "\n".join(r.getMessage() for r in caplog.get_records("setup"))
    assert "invite the bot with: https://discord.com/oauth2/authorize" in start_up
    assert bot.fake.token not in start_up and bot.fake.token not in caplog.text
    assert all(bot.fake.token not in str(r.body) for r in bot.fake.requests)


async def test_without_guilds_commands_are_synced_globally(
    fake: FakeDiscord, discord_urls: None
) -> None:
    client = build_discord_client(
        CommandHandler(StubService()), guilds=[], guild_ready_timeout=0.01
    )
    task = asyncio.create_task(client.start(fake.token))
    try:
        [sync] = await asyncio.wait_for(
            fake.wait_for("PUT", rf"/applications/{fake.application_id}/commands"), BOUND
        )
        assert [c["name"] for c in sync.body] == ["digest"]
        assert not fake.calls("PUT", r"/applications/\d+/guilds/\d+/commands")
    finally:
        await client.close()
        await asyncio.wait_for(task, BOUND)


# -- find_sent: a crash between Discord's OK and our save must not repost ----------------------


async def test_find_sent_finds_a_digest_by_its_key(bot: Bot) -> None:
    poster = DiscordPoster(bot.client)
    channel = str(bot.fake.channel_id)
    [message] = poster.render_digest(digest_view())
    original_footer = message["embeds"][-1]["footer"]["text"]
    keyed = {**message, "idempotency_key": "discord:C1:s1:v1"}
    message_id = await poster.send(channel, keyed)
    [post] = bot.fake.calls("POST", rf"/channels/{channel}/messages")
    footer = post.body["embeds"][-1]["footer"]["text"]
    assert (
        footer.startswith(original_footer + " · ref ") and len(footer) == len(original_footer) + 17
    )
    assert message["embeds"][-1]["footer"]["text"] == original_footer  # payload not changed
    assert post.body["content"] == message["content"]
    assert "idempotency_key" not in str(post.body)
    assert await poster.find_sent(channel, "discord:C1:s1:v1") == message_id
    assert await poster.find_sent(channel, "discord:C1:s1:v2") is None
    [history, *_] = bot.fake.calls("GET", rf"/channels/{channel}/messages")
    assert history.query.get("limit") == "50"


async def test_find_sent_finds_a_plain_message_and_skips_others_posts(bot: Bot) -> None:
    poster = DiscordPoster(bot.client)
    channel = str(bot.fake.channel_id)
    message_id = await poster.send(channel, {"content": "notice", "idempotency_key": "k-1"})
    [post] = bot.fake.calls("POST", rf"/channels/{channel}/messages")
    assert post.body["content"].startswith("notice\n-# ref ")
    # Someone else quoting our ref, posted later, is never taken for our post.
    bot.fake.add_message(
        bot.fake.channel_id, {"content": post.body["content"]}, author_id=700000000000000001
    )
    assert await poster.find_sent(channel, "k-1") == message_id
    assert await poster.find_sent(channel, "k-2") is None


async def test_send_without_a_key_is_unchanged(bot: Bot) -> None:
    poster = DiscordPoster(bot.client)
    [message] = poster.render_digest(digest_view())
    await poster.send(str(bot.fake.channel_id), message)
    await poster.send(str(bot.fake.channel_id), {"content": "hi"})
    first, second = bot.fake.calls("POST", rf"/channels/{bot.fake.channel_id}/messages")
    assert first.body["embeds"][-1]["footer"] == message["embeds"][-1]["footer"]
    assert second.body["content"] == "hi"


async def test_find_sent_keeps_limits_of_a_full_message(bot: Bot) -> None:
    poster = DiscordPoster(bot.client)
    channel = str(bot.fake.channel_id)
    await poster.send(channel, {"content": "x" * 2000, "idempotency_key": "k-long"})
    [post] = bot.fake.calls("POST", rf"/channels/{channel}/messages")
    assert len(post.body["content"]) <= 2000
    assert await poster.find_sent(channel, "k-long") is not None


@pytest.mark.parametrize(("status", "code"), [(403, 50001), (404, 10003), (400, 50035)])
async def test_find_sent_failure_answers_none(
    bot: Bot, caplog: pytest.LogCaptureFixture, status: int, code: int
) -> None:
    poster = DiscordPoster(bot.client)
    channel = str(bot.fake.channel_id)
    await poster.send(channel, {"content": "hi", "idempotency_key": "k-1"})
    bot.fake.fail(
        "GET",
        r"/channels/\d+/messages",
        status,
        {"message": "Missing Access", "code": code},
        times=5,
    )
    assert await poster.find_sent(channel, "k-1") is None
    assert any(
        r.levelno == logging.WARNING and "history lookup" in r.getMessage() for r in caplog.records
    )


async def test_find_sent_bad_channel_and_closed_client_answer_none(bot: Bot) -> None:
    poster = DiscordPoster(bot.client)
    assert await poster.find_sent("#news", "k-1") is None
    await bot.client.close()
    assert await poster.find_sent(str(bot.fake.channel_id), "k-1") is None


async def test_discord_poster_offers_the_sent_lookup(bot: Bot) -> None:
    from bot.delivery import SentLookup

    poster = DiscordPoster(bot.client)
    assert isinstance(poster, SentLookup)
