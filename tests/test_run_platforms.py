"""`newsdigest run` with Slack and Discord configured, pointed at fakes via the URL overrides.

The real composition root, real slack-sdk and discord.py clients, a real SQLite store.
"""

from __future__ import annotations

import socket
from pathlib import Path

import discord
import pytest

from bot.runtime import run
from bot.settings import ChannelSettings, Settings, SlackSettings, SourceSettings, StorageSettings
from tests.fakes.discord_api import FakeDiscord
from tests.fakes.slack_api import FakeSlackApi

STORY = """\
Lighthouse on Gull Point reopens after restoration

The Gull Point lighthouse reopened on Saturday after a two-year restoration costing 3 million
crowns, the coastal trust said. Keeper Ansel Brook lit the lamp at dusk.
"""
STORY_2 = """\
GULL POINT, Nov. 21 (Coastline Wire) - The restored Gull Point lighthouse was relit on Saturday,
two years and 3 million crowns after work began, the coastal trust said; keeper Ansel Brook
lit the lamp at dusk.
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def restore_discord_urls():  # type: ignore[no-untyped-def]
    base, gateway = discord.http.Route.BASE, discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY
    yield
    discord.http.Route.BASE = base
    discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = gateway


async def test_run_once_posts_to_slack_and_discord(
    tmp_path: Path, restore_discord_urls: None
) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "a.txt").write_text(STORY, encoding="utf-8")
    (inbox / "b.txt").write_text(STORY_2, encoding="utf-8")
    slack = await FakeSlackApi().start()
    fake_discord = FakeDiscord()
    await fake_discord.start()
    settings = Settings(
        storage=StorageSettings(url=f"sqlite:///{tmp_path / 'bot.db'}"),
        sources=[SourceSettings(name="inbox", path=str(inbox))],
        channels=[
            ChannelSettings(platform="slack", id="C0123456"),
            ChannelSettings(platform="discord", id=str(fake_discord.channel_id)),
        ],
        slack=SlackSettings(port=free_port()),
    )
    env = {
        "SLACK_BOT_TOKEN": "xoxb-test-secret",
        "SLACK_SIGNING_SECRET": "signing-secret",
        "SLACK_API_URL": slack.base_url,
        "DISCORD_BOT_TOKEN": fake_discord.token,
        "DISCORD_API_URL": fake_discord.api_url,
        "DISCORD_GATEWAY_URL": fake_discord.gateway_url,
    }
    try:
        code = await run(settings, once=True, env=env)
    finally:
        await slack.stop()
        await fake_discord.close()
    assert code == 0
    posts = slack.calls_to("chat.postMessage")
    assert len(posts) == 1
    assert posts[0].params["channel"] == "C0123456"
    assert "Gull Point" in str(posts[0].params.get("blocks")) + str(posts[0].params.get("text"))
    sent = fake_discord.calls("POST", f"/channels/{fake_discord.channel_id}/messages")
    assert len(sent) == 1
    body = sent[0].body
    assert body["allowed_mentions"]["parse"] == []
    assert "Gull Point" in str(body["embeds"])
