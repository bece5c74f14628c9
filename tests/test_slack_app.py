"""The real slack-bolt app over real HTTP, against a fake Slack Web API on
127.0.0.1: signed requests, ack-then-respond, admin checks, buttons, posting."""

from __future__ import annotations

import asyncio
import json
import logging
import socket
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from urllib.parse import parse_qsl, urlencode

import aiohttp
import pytest
from slack_sdk.signature import SignatureVerifier

from bot.adapters.slack import (
    AdminCheck,
    SlackPoster,
    build_slack_app,
    make_slack_client,
    run_slack,
    slack_api_url,
    start_slack_http,
)
from bot.chat import DeliveryError
from bot.commands import HELP, CommandHandler
from digests.facts import Answer
from digests.models import Article, ChannelRef, Fact, Source, Story
from digests.render import DigestView, LinkView, StoryView, UpdateView
from tests.fakes.slack_api import FakeSlackApi

TOKEN = "xoxb-test-token-do-not-log"
SECRET = "signing-secret-for-tests"
ADMIN = "UADMIN"


@dataclass
class FakeService:
    """Just enough of `BotService` for the commands the Slack tests drive."""

    gate: asyncio.Event = field(default_factory=asyncio.Event)
    muted: list[tuple[str, str]] = field(default_factory=list)

    async def post_now(self, channel: ChannelRef) -> int:
        await self.gate.wait()
        return 2

    def numbered_story(self, channel: ChannelRef, number: int) -> Story | None:
        if number != 1:
            return None
        article = Article(
            "a1", "<!channel> Council meets", "text", "Outlet A", url="https://a.example/1"
        )
        return Story(
            id="s1",
            headline="<!channel> Council meets",
            articles=(article,),
            sources=(Source("Outlet A", ("a1",), url="https://a.example/1"),),
            facts=(Fact("The council met on Monday.", "when", ("a1",)),),
        )

    async def search(self, terms: str, limit: int = 5) -> list[Story]:
        return []

    def ask(self, story: Story, question: str) -> list[Answer]:
        return []

    def why(self, url: str) -> str:
        return "unknown"

    def feeds(self, channel: ChannelRef) -> list[str]:
        return []

    def subscribe(self, channel: ChannelRef, url: str) -> str:
        return "feed"

    def unsubscribe(self, channel: ChannelRef, name: str) -> bool:
        return False

    def schedule(self, channel: ChannelRef, cron: str, timezone: str | None) -> str:
        return "ok"

    def mute(self, channel: ChannelRef, word: str) -> None:
        self.muted.append((channel.key, word))

    def unmute(self, channel: ChannelRef, word: str) -> bool:
        return False


@pytest.fixture
async def api() -> AsyncIterator[FakeSlackApi]:
    fake = await FakeSlackApi(
        users={
            "UPLAIN": {"name": "plain", "is_admin": False},
            "UOWNER": {"name": "owner", "is_owner": True},
        }
    ).start()
    yield fake
    await fake.stop()


@dataclass
class Running:
    api: FakeSlackApi
    service: FakeService
    url: str
    session: aiohttp.ClientSession


@pytest.fixture
async def running(api: FakeSlackApi) -> AsyncIterator[Running]:
    service = FakeService()
    app = build_slack_app(
        CommandHandler(service),
        token=TOKEN,
        signing_secret=SECRET,
        api_url=api.base_url.rstrip("/"),  # the adapter adds the slash
        admins=[ADMIN],
    )
    runner, port = await start_slack_http(app, host="127.0.0.1", port=0)
    async with aiohttp.ClientSession() as session:
        yield Running(api, service, f"http://127.0.0.1:{port}/slack/events", session)
    service.gate.set()
    await runner.cleanup()


def signed_headers(body: str, secret: str = SECRET) -> dict[str, str]:
    timestamp = str(int(time.time()))
    signature = SignatureVerifier(secret).generate_signature(timestamp=timestamp, body=body)
    assert signature is not None
    return {
        "X-Slack-Request-Timestamp": timestamp,
        "X-Slack-Signature": signature,
        "Content-Type": "application/x-www-form-urlencoded",
    }


def command_body(api: FakeSlackApi, text: str, user: str = "UPLAIN", name: str = "r1") -> str:
    return urlencode(
        {
            "token": "legacy",
            "team_id": "T1",
            "channel_id": "C1",
            "user_id": user,
            "user_name": "someone",
            "command": "/digest",
            "text": text,
            "response_url": api.response_url(name),
            "trigger_id": "1.2.3",
            "api_app_id": "A1",
        }
    )


def action_body(api: FakeSlackApi, action_id: str, value: str) -> str:
    payload = {
        "type": "block_actions",
        "team": {"id": "T1"},
        "user": {"id": "UPLAIN", "username": "someone", "team_id": "T1"},
        "api_app_id": "A1",
        "container": {"type": "message", "channel_id": "C1", "message_ts": "1.1"},
        "channel": {"id": "C1", "name": "news"},
        "trigger_id": "1.2.3",
        "response_url": api.response_url("button"),
        "actions": [
            {
                "type": "button",
                "action_id": action_id,
                "block_id": f"story_{value}",
                "value": value,
                "action_ts": "1.2",
            }
        ],
    }
    return urlencode({"payload": json.dumps(payload)})


async def post(run: Running, body: str, headers: dict[str, str]) -> tuple[int, str]:
    async with run.session.post(run.url, data=body, headers=headers) as resp:
        return resp.status, await resp.text()


async def test_help_acks_then_responds_with_help(running: Running) -> None:
    body = command_body(running.api, "help")
    status, text = await post(running, body, signed_headers(body))
    assert status == 200 and text == ""
    await running.api.wait_until(lambda: len(running.api.responses) == 1)
    [response] = running.api.responses
    assert response["response_type"] == "ephemeral"
    assert response["replace_original"] is False
    assert "/digest now" in response["text"] and "/digest help" in response["text"]
    assert response["blocks"][0]["text"]["text"].splitlines() == HELP.splitlines()
    assert running.api.calls_to("users.info") == []  # only setup commands need the lookup


async def test_ack_comes_before_slow_work(running: Running) -> None:
    body = command_body(running.api, "now")
    status, _ = await post(running, body, signed_headers(body))
    assert status == 200  # answered while post_now is still blocked on the gate
    assert running.api.responses == []
    running.service.gate.set()
    await running.api.wait_until(lambda: len(running.api.responses) == 1)
    assert "Posted a digest of 2 stories." in running.api.responses[0]["text"]


@pytest.mark.parametrize("secret", ["wrong-secret", None])
async def test_unsigned_or_badly_signed_is_rejected(running: Running, secret: str | None) -> None:
    body = command_body(running.api, "help")
    headers = {"Content-Type": "application/x-www-form-urlencoded"}
    if secret is not None:
        headers = signed_headers(body, secret)
    status, _ = await post(running, body, headers)
    assert status == 401
    assert running.api.responses == []


async def test_tampered_body_is_rejected(running: Running) -> None:
    body = command_body(running.api, "help")
    headers = signed_headers(body)
    status, _ = await post(running, body.replace("help", "mute"), headers)
    assert status == 401


async def test_setup_command_refused_for_non_admin(running: Running) -> None:
    body = command_body(running.api, "mute spoilers", user="UPLAIN")
    status, _ = await post(running, body, signed_headers(body))
    assert status == 200
    await running.api.wait_until(lambda: len(running.api.responses) == 1)
    assert "needs the right to manage" in running.api.responses[0]["text"]
    assert running.api.responses[0]["response_type"] == "ephemeral"
    assert running.service.muted == []
    assert [c.params["user"] for c in running.api.calls_to("users.info")] == ["UPLAIN"]


async def test_setup_command_allowed_for_configured_admin(running: Running) -> None:
    body = command_body(running.api, "mute spoilers", user=ADMIN)
    await post(running, body, signed_headers(body))
    await running.api.wait_until(lambda: len(running.api.responses) == 1)
    assert running.service.muted == [("slack:C1", "spoilers")]
    assert running.api.responses[0]["response_type"] == "in_channel"
    assert running.api.calls_to("users.info") == []  # configured admins need no lookup


async def test_setup_command_allowed_for_workspace_owner(running: Running) -> None:
    body = command_body(running.api, "mute spoilers", user="UOWNER")
    await post(running, body, signed_headers(body))
    await running.api.wait_until(lambda: len(running.api.responses) == 1)
    assert running.service.muted == [("slack:C1", "spoilers")]


async def test_users_info_failure_means_not_admin(running: Running) -> None:
    running.api.fail_next("users.info", "invalid_auth")
    body = command_body(running.api, "mute spoilers", user="UOWNER")
    await post(running, body, signed_headers(body))
    await running.api.wait_until(lambda: len(running.api.responses) == 1)
    assert "needs the right to manage" in running.api.responses[0]["text"]


async def test_sources_button(running: Running) -> None:
    body = action_body(running.api, "digest_sources", "1")
    status, _ = await post(running, body, signed_headers(body))
    assert status == 200
    await running.api.wait_until(lambda: len(running.api.responses) == 1)
    [response] = running.api.responses
    assert response["_name"] == "button" and response["response_type"] == "ephemeral"
    assert response["text"].startswith("Sources for 1. &lt;!channel&gt; Council meets")
    assert "<!channel>" not in json.dumps(response)


async def test_story_button_shows_all_facts(running: Running) -> None:
    body = action_body(running.api, "digest_story", "1")
    await post(running, body, signed_headers(body))
    await running.api.wait_until(lambda: len(running.api.responses) == 1)
    section = running.api.responses[0]["blocks"][0]["text"]["text"]
    assert section.startswith("*1. <https://a.example/1|&lt;!channel&gt; Council meets>*")
    assert "• The council met on Monday." in section


async def test_unknown_story_number(running: Running) -> None:
    body = command_body(running.api, "story 7")
    await post(running, body, signed_headers(body))
    await running.api.wait_until(lambda: len(running.api.responses) == 1)
    assert "no story 7" in running.api.responses[0]["text"]


async def test_admin_check_caches_lookups(api: FakeSlackApi) -> None:
    now = [0.0]
    check = AdminCheck([], ttl=60, clock=lambda: now[0])
    client = make_slack_client(TOKEN, api_url=api.base_url)
    assert await check.can_manage(client, "UOWNER") is True
    assert await check.can_manage(client, "UOWNER") is True
    assert len(api.calls_to("users.info")) == 1
    now[0] = 61.0
    assert await check.can_manage(client, "UOWNER") is True
    assert len(api.calls_to("users.info")) == 2


def test_api_url_default_and_slash() -> None:
    assert slack_api_url(None) == "https://slack.com/api/"
    assert slack_api_url("") == "https://slack.com/api/"
    assert slack_api_url("http://127.0.0.1:9/api") == "http://127.0.0.1:9/api/"


# --- SlackPoster -----------------------------------------------------------------------


def poster(api: FakeSlackApi, sleeps: list[float] | None = None) -> SlackPoster:
    async def fake_sleep(seconds: float) -> None:
        if sleeps is not None:
            sleeps.append(seconds)

    client = make_slack_client(TOKEN, api_url=api.base_url, retry_interval=0.0, sleep=fake_sleep)
    return SlackPoster(client)


def digest_view() -> DigestView:
    story = StoryView(1, "s1", "Headline", "https://n.example", ("Fact",), 0, (), 0, ())
    return DigestView("Digest", datetime(2026, 1, 1, tzinfo=UTC), (story,))


async def test_send_posts_to_channel_and_thread(api: FakeSlackApi) -> None:
    slack = poster(api)
    assert slack.platform == "slack"
    [message] = slack.render_digest(digest_view())
    ts = await slack.send("C42", message)
    update = slack.render_update(UpdateView("s1", "Headline", (LinkView("B"),), ()))
    reply_ts = await slack.send("C42", update, thread_of=ts)
    first, second = api.calls_to("chat.postMessage")
    assert first.params["channel"] == "C42" and "thread_ts" not in first.params
    assert first.params["blocks"] == message["blocks"] and first.params["text"] == message["text"]
    assert first.authorization == f"Bearer {TOKEN}"
    assert second.params["thread_ts"] == ts
    assert ts != reply_ts and ts.startswith("1700000000.")


async def test_send_honours_one_rate_limit(api: FakeSlackApi) -> None:
    sleeps: list[float] = []
    api.retry_after = "1"
    api.fail_next("chat.postMessage", "429")
    ts = await poster(api, sleeps).send("C1", {"text": "hi"})
    assert ts
    assert sleeps == [1.0]  # waited exactly Retry-After (fake sleep: no real wait)
    assert len(api.calls_to("chat.postMessage")) == 2


async def test_send_gives_up_on_repeated_rate_limit(api: FakeSlackApi) -> None:
    api.retry_after = "0"
    api.fail_next("chat.postMessage", "429")
    api.fail_next("chat.postMessage", "429")
    with pytest.raises(DeliveryError) as info:
        await poster(api).send("C1", {"text": "hi"})
    assert info.value.retry_after == 0.0 and not info.value.permanent


async def test_long_retry_after_is_left_to_the_caller(api: FakeSlackApi) -> None:
    sleeps: list[float] = []
    api.retry_after = "120"
    api.fail_next("chat.postMessage", "429")
    with pytest.raises(DeliveryError) as info:
        await poster(api, sleeps).send("C1", {"text": "hi"})
    assert info.value.retry_after == 120.0 and sleeps == []


async def test_send_retries_a_server_error(api: FakeSlackApi) -> None:
    api.fail_next("chat.postMessage", "500")
    assert await poster(api).send("C1", {"text": "hi"})
    assert len(api.calls_to("chat.postMessage")) == 2


async def test_persistent_server_error_is_retryable_delivery_error(api: FakeSlackApi) -> None:
    api.fail_next("chat.postMessage", "500")
    api.fail_next("chat.postMessage", "500")
    with pytest.raises(DeliveryError) as info:
        await poster(api).send("C1", {"text": "hi"})
    assert not info.value.permanent and info.value.retry_after is None


@pytest.mark.parametrize(
    "error",
    ["channel_not_found", "not_in_channel", "is_archived", "invalid_auth", "account_inactive"],
)
async def test_permanent_errors(api: FakeSlackApi, error: str) -> None:
    api.fail_next("chat.postMessage", error)
    with pytest.raises(DeliveryError) as info:
        await poster(api).send("C1", {"text": "hi"})
    assert info.value.permanent
    assert len(api.calls_to("chat.postMessage")) == 1


async def test_other_api_error_is_retryable(api: FakeSlackApi) -> None:
    api.fail_next("chat.postMessage", "msg_too_long")
    with pytest.raises(DeliveryError) as info:
        await poster(api).send("C1", {"text": "hi"})
    assert not info.value.permanent


async def test_unreachable_api_is_retryable(api: FakeSlackApi) -> None:
    base = api.base_url
    await api.stop()
    client = make_slack_client(TOKEN, api_url=base, retry_interval=0.0)
    with pytest.raises(DeliveryError) as info:
        await SlackPoster(client).send("C1", {"text": "hi"})
    assert not info.value.permanent


async def test_token_and_secret_never_logged(
    running: Running, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    for logger in ("slack_sdk", "slack_bolt", "bot"):
        logging.getLogger(logger).setLevel(logging.DEBUG)
    try:
        api = running.api
        api.fail_next("chat.postMessage", "429")
        api.fail_next("chat.postMessage", "channel_not_found")
        slack = poster(api)
        with pytest.raises(DeliveryError):
            await slack.send("C1", {"text": "hi"})
        api.fail_next("users.info", "invalid_auth")
        body = command_body(api, "mute x", user="UOWNER")
        await post(running, body, signed_headers(body))
        bad = command_body(api, "help")
        await post(running, bad, signed_headers(bad, "wrong"))
        await api.wait_until(lambda: len(api.responses) == 1)
    finally:
        for logger in ("slack_sdk", "slack_bolt", "bot"):
            logging.getLogger(logger).setLevel(logging.NOTSET)
    assert caplog.records  # something was logged at all
    assert TOKEN not in caplog.text and SECRET not in caplog.text
    for record in caplog.records:
        assert TOKEN not in record.getMessage()


# --- run_slack ----------------------------------------------------------------------------


async def test_run_slack_http_mode_serves_and_stops(api: FakeSlackApi) -> None:
    with socket.socket() as probe:  # a free port for the server run_slack starts itself
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    app = build_slack_app(
        CommandHandler(FakeService()),
        token=TOKEN,
        signing_secret=SECRET,
        api_url=api.base_url,
        admins=[],
    )
    task = asyncio.create_task(run_slack(app, port=port, app_token=None, host="127.0.0.1"))
    body = command_body(api, "help")
    async with aiohttp.ClientSession() as session:
        for _ in range(200):  # the server is up once a connection succeeds
            try:
                async with session.post(
                    f"http://127.0.0.1:{port}/slack/events", data=body, headers=signed_headers(body)
                ) as resp:
                    assert resp.status == 200
                    break
            except aiohttp.ClientConnectionError:
                await asyncio.sleep(0.01)
    await api.wait_until(lambda: len(api.responses) == 1)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    with socket.socket() as again:  # the port is free again after a clean stop
        again.bind(("127.0.0.1", port))


async def test_run_slack_socket_mode(api: FakeSlackApi) -> None:
    app = build_slack_app(
        CommandHandler(FakeService()),
        token=TOKEN,
        signing_secret="",
        api_url=api.base_url,
        admins=[],
    )
    task = asyncio.create_task(run_slack(app, port=0, app_token="xapp-test-app-token"))
    await api.wait_until(lambda: api.socket_connected)
    [open_call] = api.calls_to("apps.connections.open")
    assert open_call.authorization == "Bearer xapp-test-app-token"
    payload = dict(parse_qsl(command_body(api, "help", name="socket")))
    await api.push_envelope(
        {
            "envelope_id": "env-1",
            "type": "slash_commands",
            "accepts_response_payload": True,
            "payload": payload,
        }
    )
    await api.wait_until(lambda: len(api.responses) == 1 and bool(api.socket_received))
    assert api.socket_received[0]["envelope_id"] == "env-1"
    assert api.responses[0]["_name"] == "socket" and "/digest help" in api.responses[0]["text"]
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task


async def test_find_sent_recognises_a_post_after_a_crash(api: FakeSlackApi) -> None:
    slack = poster(api)
    [message] = slack.render_digest(digest_view())
    ts = await slack.send("C42", {**message, "idempotency_key": "digest:abc:0"})
    assert await slack.find_sent("C42", "digest:abc:0") == ts
    assert await slack.find_sent("C42", "digest:other:0") is None
    assert await slack.find_sent("C99", "digest:abc:0") is None
    api.fail_next("conversations.history", "missing_scope")
    assert await slack.find_sent("C42", "digest:abc:0") is None  # unknown: send again
