"""Issue 6 "Done when", end to end: `newsdigest run` as a real process against a fake Discord.

The FakeDiscord (REST + gateway) runs in the test's event loop; the bot, a subprocess, finds it
through `DISCORD_API_URL` and `DISCORD_GATEWAY_URL`. The process helpers are shared with the
Slack acceptance test.
"""

from __future__ import annotations

import asyncio
import re
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.fakes.discord_api import FakeDiscord, Recorded
from tests.test_acceptance_slack import (
    BOUND,
    BotProcess,
    expected_sources,
    inbox_with,
    quiet_schedule,
)


@dataclass
class Running:
    fake: FakeDiscord
    bot: BotProcess
    sources: list[str]


def write_config(tmp_path: Path, inbox: Path, fake: FakeDiscord) -> Path:
    config = tmp_path / "newsdigest.toml"
    config.write_text(
        f"""\
[storage]
url = "sqlite:///{tmp_path / "bot.db"}"

[[sources]]
name = "inbox"
path = "{inbox}"
poll = "1h"

[[channels]]
platform = "discord"
id = "{fake.channel_id}"
schedule = "{quiet_schedule()}"
timezone = "UTC"

[discord]
guilds = [{fake.guild_id}]
""",
        encoding="utf-8",
    )
    return config


@pytest.fixture
async def running(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Running]:
    """The bot reading the invented pair, or `../shared/seeds` when parametrised "seeds"."""
    inbox = inbox_with(tmp_path, getattr(request, "param", "invented"))
    sources = expected_sources(inbox)
    fake = FakeDiscord()
    await fake.start()
    env = {
        "DISCORD_BOT_TOKEN": fake.token,
        "DISCORD_API_URL": fake.api_url,
        "DISCORD_GATEWAY_URL": fake.gateway_url,
    }
    bot = await BotProcess.start(
        write_config(tmp_path, inbox, fake), env, tmp_path, ("running; polling",)
    )
    try:
        await bot.wait_running()
        await asyncio.wait_for(fake.ready.wait(), BOUND)
        sync = rf"/applications/{fake.application_id}/guilds/{fake.guild_id}/commands"
        await asyncio.wait_for(fake.wait_for("PUT", sync), BOUND)
        yield Running(fake, bot, sources)
    finally:
        code = await bot.stop()
        await fake.close()
    assert code == 0, bot.log
    assert fake.token not in bot.log  # the whole run logged at DEBUG


def sent_messages(fake: FakeDiscord) -> list[Recorded]:
    """Every request by which the bot puts text into Discord (a bare deferral carries none)."""
    return [
        r
        for r in fake.requests
        if r.method in ("POST", "PATCH")
        and (
            r.path.endswith("/messages")
            or r.path.startswith("/webhooks/")
            or (
                r.path.endswith("/callback")
                and {"content", "embeds"} & set((r.body or {}).get("data") or {})
            )
        )
    ]


@pytest.mark.parametrize("running", ["invented", "seeds"], indirect=True)
async def test_connects_registers_and_answers_digest_now(running: Running) -> None:
    fake = running.fake
    assert fake.identify is not None and fake.identify["token"] == fake.token
    [sync] = fake.calls(
        "PUT", rf"/applications/{fake.application_id}/guilds/{fake.guild_id}/commands"
    )
    assert [c["name"] for c in sync.body] == ["digest"]
    assert "now" in {o["name"] for o in sync.body[0]["options"]}

    payload = fake.interaction_payload([{"name": "now", "type": 1, "options": []}])
    started = time.monotonic()
    await fake.dispatch("INTERACTION_CREATE", payload)
    callback_path = rf"/interactions/{payload['id']}/{payload['token']}/callback"
    [callback] = await asyncio.wait_for(fake.wait_for("POST", callback_path), BOUND)
    elapsed = time.monotonic() - started
    assert elapsed < 3.0, f"interaction answered after {elapsed:.2f} s"
    assert callback.body["type"] == 5  # deferred, then followed up

    channel_path = rf"/channels/{fake.channel_id}/messages"
    [post] = await asyncio.wait_for(fake.wait_for("POST", channel_path), BOUND)
    await asyncio.wait_for(fake.wait_for("POST", rf"/webhooks/\d+/{payload['token']}"), BOUND)
    embeds = post.body["embeds"]
    assert len(embeds) == 1, embeds
    # Discord Markdown escapes (`000\_4a9b`) render as the plain name; compare what users see.
    shown = [embeds[0]["title"], embeds[0].get("description", "")]
    shown += [f["name"] + "\n" + f["value"] for f in embeds[0]["fields"]]
    story = re.sub(r"\\(.)", r"\1", "\n".join(shown))
    for name in running.sources:
        assert name in story, (name, story)
    assert len(fake.calls("POST", channel_path)) == 1

    messages = sent_messages(fake)
    assert len(messages) >= 2  # the digest and the follow-up
    for message in messages:
        body = message.body.get("data", message.body) if message.body else {}
        assert body.get("allowed_mentions", {}).get("parse") == [], (message.path, body)
