"""Secrets (issue 8): tokens, signing secrets and database passwords never reach logs, errors,
`/digest` replies or exception traces.

Each test drives a failure path with the root logger at DEBUG (so library debug logs, such as
slack_sdk's request logging, are included) and greps everything captured for the secret
values. The full `newsdigest run` process is grepped the same way in test_acceptance_slack and
test_acceptance_discord.
"""

from __future__ import annotations

import asyncio
import logging
import socket
import traceback
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import discord
import pytest

from bot.adapters.discord import DiscordPoster, apply_discord_urls, build_discord_client
from bot.adapters.slack import SlackPoster, build_slack_app, make_slack_client, start_slack_http
from bot.chat import DeliveryError
from bot.commands import CommandHandler
from bot.settings import ConfigError, load_settings
from digests.store import Store, StoreError, mask_url
from tests.fakes.discord_api import FakeDiscord
from tests.fakes.slack_api import FakeSlackApi
from tests.test_acceptance_slack import command, signed
from tests.test_slack_app import FakeService

SLACK_TOKEN = "xoxb-1111-secret-slack-token"
SLACK_SECRET = "5ecret-signing-secret-zz9"
DB_PASSWORD = "hunter2-db-password"
BOUND = 10.0


@pytest.fixture
def debug_log(caplog: pytest.LogCaptureFixture) -> Iterator[pytest.LogCaptureFixture]:
    caplog.set_level(logging.DEBUG)
    yield caplog


def assert_clean(text: str, *secrets: str) -> None:
    for secret in secrets:
        assert secret not in text, f"secret {secret[:6]}… leaked"


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class CrashingService(FakeService):
    """A use case that blows up with the token in reach (as a careless SDK error might)."""

    async def post_now(self, channel: Any) -> int:
        raise RuntimeError(f"backend exploded near client {object()!r}")


# -- Slack --------------------------------------------------------------------------------------


@pytest.fixture
async def slack_api() -> AsyncIterator[FakeSlackApi]:
    api = await FakeSlackApi().start()
    yield api
    await api.stop()


@pytest.mark.parametrize("failure", ["invalid_auth", "channel_not_found", "500", "429"])
async def test_slack_send_failures_keep_the_token_out(
    slack_api: FakeSlackApi, debug_log: pytest.LogCaptureFixture, failure: str
) -> None:
    client = make_slack_client(
        SLACK_TOKEN, api_url=slack_api.base_url, retry_interval=0, max_rate_limit_wait=0
    )
    for _ in range(3):  # more than the client's retries
        slack_api.fail_next("chat.postMessage", failure)
    slack_api.retry_after = "120"
    with pytest.raises(DeliveryError) as info:
        await SlackPoster(client).send("C1", {"text": "hi", "blocks": []})
    trace = "".join(traceback.format_exception(info.value))
    assert_clean(debug_log.text + trace + str(info.value), SLACK_TOKEN)
    assert slack_api.calls[0].authorization == f"Bearer {SLACK_TOKEN}"  # it was really used
    assert "chat.postMessage" in debug_log.text  # the SDK's DEBUG request log was captured


async def test_slack_unreachable_keeps_the_token_out(debug_log: pytest.LogCaptureFixture) -> None:
    api_url = f"http://127.0.0.1:{closed_port()}/api/"
    client = make_slack_client(SLACK_TOKEN, api_url=api_url, retry_interval=0)
    with pytest.raises(DeliveryError) as info:
        await SlackPoster(client).send("C1", {"text": "hi"})
    trace = "".join(traceback.format_exception(info.value))
    assert_clean(debug_log.text + trace, SLACK_TOKEN)


async def test_slack_crashing_command_and_bad_signatures_keep_secrets_out(
    slack_api: FakeSlackApi, debug_log: pytest.LogCaptureFixture
) -> None:
    import aiohttp

    app = build_slack_app(
        CommandHandler(CrashingService()),
        token=SLACK_TOKEN,
        signing_secret=SLACK_SECRET,
        api_url=slack_api.base_url,
        admins=[],
    )
    runner, port = await start_slack_http(app, host="127.0.0.1", port=0)
    url = f"http://127.0.0.1:{port}/slack/events"
    try:
        async with aiohttp.ClientSession() as session:
            body = command(slack_api, "now", "crash")
            async with session.post(url, data=body, headers=signed(body, secret=SLACK_SECRET)) as r:
                assert r.status == 200
            async with session.post(url, data=body, headers=signed(body, secret="wrong")) as r:
                assert r.status == 401
                assert_clean(await r.text(), SLACK_SECRET, SLACK_TOKEN)
            await slack_api.wait_until(lambda: len(slack_api.responses) == 1, BOUND)
    finally:
        await runner.cleanup()
    [reply] = slack_api.responses
    assert "went wrong" in reply["text"]
    assert "command 'now' failed" in debug_log.text  # the crash was logged, with its trace
    assert_clean(debug_log.text + str(reply), SLACK_TOKEN, SLACK_SECRET)


# -- Discord ------------------------------------------------------------------------------------


@pytest.fixture
async def discord_client(
    debug_log: pytest.LogCaptureFixture,
) -> AsyncIterator[tuple[FakeDiscord, discord.Client]]:
    fake = FakeDiscord(token="MTAx.discord-secret-token.zz")
    await fake.start()
    base, gateway = discord.http.Route.BASE, discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY
    apply_discord_urls(fake.api_url, fake.gateway_url)
    ready = asyncio.Event()

    async def on_ready() -> None:
        ready.set()

    client = build_discord_client(
        CommandHandler(CrashingService()),
        guilds=[fake.guild_id],
        on_ready_hook=on_ready,
        guild_ready_timeout=0.01,
    )
    task = asyncio.create_task(client.start(fake.token))
    try:
        await asyncio.wait_for(ready.wait(), BOUND)
        yield fake, client
    finally:
        await client.close()
        await asyncio.wait_for(task, BOUND)
        await fake.close()
        discord.http.Route.BASE = base
        discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = gateway


@pytest.mark.parametrize("status", [401, 403, 404, 500])
async def test_discord_failures_and_crashes_keep_the_token_out(
    discord_client: tuple[FakeDiscord, discord.Client],
    debug_log: pytest.LogCaptureFixture,
    status: int,
) -> None:
    fake, client = discord_client
    fake.fail("POST", rf"/channels/{fake.channel_id}/messages", status, times=5)
    poster = DiscordPoster(client)
    with pytest.raises(DeliveryError) as info:
        await poster.send(str(fake.channel_id), {"content": "hi", "embeds": []})
    trace = "".join(traceback.format_exception(info.value))
    payload = fake.interaction_payload([{"name": "now", "type": 1, "options": []}])
    await fake.dispatch("INTERACTION_CREATE", payload)
    [followup] = await asyncio.wait_for(
        fake.wait_for("POST", rf"/webhooks/\d+/{payload['token']}"), BOUND
    )
    assert "went wrong" in followup.body["content"]
    assert "discord.http" in debug_log.text  # discord.py's DEBUG request log was captured
    assert_clean(debug_log.text + trace + str(followup.body), fake.token)


# -- settings and store -------------------------------------------------------------------------


def test_config_errors_name_keys_never_secret_values(tmp_path: Path) -> None:
    config = tmp_path / "bad.toml"
    config.write_text(
        f"""\
[storage]
url = 42
[slack]
token = "{SLACK_TOKEN}"
signing_secret = "{SLACK_SECRET}"
port = "{SLACK_SECRET}"
""",
        encoding="utf-8",
    )
    env = {"SLACK_BOT_TOKEN": SLACK_TOKEN, "SLACK_SIGNING_SECRET": SLACK_SECRET}
    with pytest.raises(ConfigError) as info:
        load_settings(config, env=env)
    text = str(info.value) + "".join(traceback.format_exception(info.value))
    assert "slack.token" in text and "slack.port" in text
    assert_clean(text, SLACK_TOKEN, SLACK_SECRET)


def test_database_passwords_are_masked(tmp_path: Path) -> None:
    for url in (
        f"postgresql+psycopg://news:{DB_PASSWORD}@127.0.0.1:{closed_port()}/news",
        f"postgresql://news:{DB_PASSWORD}@db.example/news",
        f"mysql://news:{DB_PASSWORD}@db.example/news",
        f"not a url://news:{DB_PASSWORD}@x/",
    ):
        assert DB_PASSWORD not in mask_url(url)
    for url in (
        f"postgresql+psycopg://news:{DB_PASSWORD}@127.0.0.1:{closed_port()}/news",
        f"mysql://news:{DB_PASSWORD}@db.example/news",
    ):
        with pytest.raises(StoreError) as info:
            Store.open(url)
        text = str(info.value) + "".join(traceback.format_exception(info.value))
        assert_clean(text, DB_PASSWORD)


def test_run_with_bad_database_url_logs_no_password(
    tmp_path: Path, debug_log: pytest.LogCaptureFixture
) -> None:
    from bot.runtime import run
    from bot.settings import Settings, StorageSettings

    url = f"postgresql+psycopg://news:{DB_PASSWORD}@127.0.0.1:{closed_port()}/news"
    settings = Settings(storage=StorageSettings(url=url))
    assert asyncio.run(run(settings, once=True, env={})) == 1
    assert "***" in debug_log.text
    assert_clean(debug_log.text, DB_PASSWORD)
