"""Issue 5 "Done when", end to end: `newsdigest run` as a real process against a fake Slack.

The bot runs as a subprocess (`python -m bot -v run --config ...`) because `run()` waits for
SIGINT/SIGTERM through the event loop's signal handlers: a signal sent to the pytest process
itself would hit pytest too. The fake Slack Web API runs in the test's own event loop; the
bot finds it through `SLACK_API_URL`. Requests are signed with the real SignatureVerifier.
"""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import signal
import socket
import sys
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlencode

import aiohttp
import pytest
from slack_sdk.signature import SignatureVerifier

from digests.ingest import read_paths
from digests.pipeline import cluster_batch
from tests.conftest import SHARED
from tests.fakes.slack_api import FakeSlackApi

TOKEN = "xoxb-acceptance-token-7f3a9c"
SECRET = "acceptance-signing-secret-51d2e8"
CHANNEL = "C0TEST"
BOUND = 20.0  # seconds: only bounds a hang (process start-up on a busy machine)

# Two invented reports of one invented event, by two outlets.
FERRY_A = """\
Harbour ferry Marta runs aground off Kelso Point

The passenger ferry Marta ran aground off Kelso Point on Tuesday morning with 212 people on
board, the Kelso harbour authority said. All passengers were brought ashore by lifeboats by
noon. Harbour master Ilse Varga said the ferry had lost steering in fog.
"""
FERRY_B = """\
Lifeboats rescue 212 after fog strands Marta

KELSO POINT, March 3 (Tidewater Post) - Volunteers from three lifeboat stations spent the
morning ferrying 212 stranded travellers off the Marta, which struck a sandbank near Kelso
Point in dense fog on Tuesday. Ilse Varga, the harbour master, blamed a steering failure.
Nobody was hurt; the ferry line cancelled its afternoon crossings.
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def quiet_schedule() -> str:
    """A daily cron twelve hours away, so start-up never posts a 'missed' digest itself."""
    return f"0 {(datetime.now(UTC).hour + 12) % 24} * * *"


def inbox_with(tmp_path: Path, variant: str) -> Path:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    if variant == "seeds":
        seeds = sorted((SHARED / "seeds").glob("*.txt"))
        if not seeds:
            pytest.skip(f"{SHARED / 'seeds'} has no seed articles (they live beside the repo)")
        for seed in seeds:  # copied at test time; seed text is never committed
            shutil.copy(seed, inbox / seed.name)
    else:
        (inbox / "ferry-kelso-herald.txt").write_text(FERRY_A, encoding="utf-8")
        (inbox / "ferry-tidewater.txt").write_text(FERRY_B, encoding="utf-8")
    return inbox


def expected_sources(inbox: Path) -> list[str]:
    """What the library itself makes of the folder: one story, and its source names."""
    result = read_paths([inbox])
    stories = cluster_batch(result.articles).stories
    assert len(stories) == 1, [s.headline for s in stories]
    names = [s.name for s in stories[0].sources]
    assert len(names) == 2, names
    return names


@dataclass
class BotProcess:
    """`newsdigest run` as a child process; its stderr (DEBUG log) is collected."""

    proc: asyncio.subprocess.Process
    lines: list[str] = field(default_factory=list)
    ready_marks: tuple[str, ...] = ("running; polling",)
    running: asyncio.Event = field(default_factory=asyncio.Event)
    _reader: asyncio.Task[None] | None = None

    @classmethod
    async def start(
        cls, config: Path, env: dict[str, str], cwd: Path, ready_marks: tuple[str, ...]
    ) -> BotProcess:
        base = {
            k: v
            for k, v in os.environ.items()
            if not k.startswith(("SLACK_", "DISCORD_", "NEWSDIGEST_"))
        }
        proc = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "bot",
            "-v",
            "run",
            "--config",
            str(config),
            env={**base, **env},
            cwd=cwd,
            stdout=asyncio.subprocess.DEVNULL,
            stderr=asyncio.subprocess.PIPE,
        )
        bot = cls(proc, ready_marks=ready_marks)
        bot._reader = asyncio.create_task(bot._read())
        return bot

    async def _read(self) -> None:
        assert self.proc.stderr is not None
        async for raw in self.proc.stderr:
            line = raw.decode("utf-8", "replace")
            self.lines.append(line)
            if all(mark in self.log for mark in self.ready_marks):
                self.running.set()

    @property
    def log(self) -> str:
        return "".join(self.lines)

    async def wait_running(self) -> None:
        """Every ready mark logged: sources polled, platforms listening or connected."""
        waiter = asyncio.create_task(self.running.wait())
        died = asyncio.create_task(self.proc.wait())
        done, _ = await asyncio.wait({waiter, died}, timeout=BOUND, return_when="FIRST_COMPLETED")
        waiter.cancel()
        died.cancel()
        assert waiter in done, f"bot did not start:\n{self.log}"

    async def stop(self) -> int:
        if self.proc.returncode is None:
            self.proc.send_signal(signal.SIGINT)
            try:
                await asyncio.wait_for(self.proc.wait(), BOUND)
            except TimeoutError:
                self.proc.kill()
                await self.proc.wait()
        if self._reader is not None:
            await asyncio.wait_for(self._reader, BOUND)
        assert self.proc.returncode is not None
        return self.proc.returncode


def write_config(tmp_path: Path, inbox: Path, port: int) -> Path:
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
platform = "slack"
id = "{CHANNEL}"
schedule = "{quiet_schedule()}"
timezone = "UTC"

[slack]
port = {port}
""",
        encoding="utf-8",
    )
    return config


def signed(body: str, *, secret: str = SECRET, age: int = 0) -> dict[str, str]:
    timestamp = str(int(time.time()) - age)
    signature = SignatureVerifier(secret).generate_signature(timestamp=timestamp, body=body)
    assert signature is not None
    return {
        "X-Slack-Request-Timestamp": timestamp,
        "X-Slack-Signature": signature,
        "Content-Type": "application/x-www-form-urlencoded",
    }


def command(api: FakeSlackApi, text: str, name: str) -> str:
    return urlencode(
        {
            "token": "legacy",
            "team_id": "T1",
            "channel_id": CHANNEL,
            "user_id": "UREADER",
            "user_name": "reader",
            "command": "/digest",
            "text": text,
            "response_url": api.response_url(name),
            "trigger_id": "1.2.3",
            "api_app_id": "A1",
        }
    )


@dataclass
class Running:
    api: FakeSlackApi
    bot: BotProcess
    url: str
    sources: list[str]
    session: aiohttp.ClientSession

    async def post(self, body: str, headers: dict[str, str]) -> tuple[int, float]:
        started = time.monotonic()
        async with self.session.post(self.url, data=body, headers=headers) as resp:
            await resp.read()
            return resp.status, time.monotonic() - started


@pytest.fixture
async def running(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Running]:
    """The bot reading the invented pair, or `../shared/seeds` when parametrised "seeds"."""
    inbox = inbox_with(tmp_path, getattr(request, "param", "invented"))
    sources = expected_sources(inbox)
    api = await FakeSlackApi().start()
    port = free_port()
    env = {
        "SLACK_BOT_TOKEN": TOKEN,
        "SLACK_SIGNING_SECRET": SECRET,
        "SLACK_API_URL": api.base_url,
    }
    marks = ("running; polling", f"slack HTTP mode listening on 0.0.0.0:{port}")
    bot = await BotProcess.start(write_config(tmp_path, inbox, port), env, tmp_path, marks)
    try:
        await bot.wait_running()
        async with aiohttp.ClientSession() as session:
            yield Running(api, bot, f"http://127.0.0.1:{port}/slack/events", sources, session)
    finally:
        code = await bot.stop()
        await api.stop()
    assert code == 0, bot.log
    # The whole run logged at DEBUG: neither secret may show up anywhere in it.
    assert TOKEN not in bot.log and SECRET not in bot.log


async def test_bad_signature_and_stale_timestamp_get_401_and_post_nothing(
    running: Running,
) -> None:
    body = command(running.api, "now", "forged")
    status, _ = await running.post(body, signed(body, secret="not-the-secret"))
    assert status == 401
    status, _ = await running.post(body, signed(body, age=6 * 60))
    assert status == 401
    headers = signed(body)
    headers["X-Slack-Signature"] = headers["X-Slack-Signature"][:-4] + "0000"
    status, _ = await running.post(body, headers)
    assert status == 401
    # A valid request afterwards proves the server was listening and would have acted.
    help_body = command(running.api, "help", "after")
    status, _ = await running.post(help_body, signed(help_body))
    assert status == 200
    await running.api.wait_until(lambda: len(running.api.responses) == 1, BOUND)
    assert [r["_name"] for r in running.api.responses] == ["after"]
    assert running.api.calls_to("chat.postMessage") == []


@pytest.mark.parametrize("running", ["invented", "seeds"], indirect=True)
async def test_digest_now_acks_fast_and_posts_one_digest_naming_both_sources(
    running: Running,
) -> None:
    body = command(running.api, "now", "now")
    status, elapsed = await running.post(body, signed(body))
    assert status == 200
    assert elapsed < 3.0, f"ack took {elapsed:.2f} s"
    api = running.api
    await api.wait_until(lambda: len(api.responses) == 1, BOUND)
    [post] = api.calls_to("chat.postMessage")
    assert post.params["channel"] == CHANNEL
    assert post.authorization == f"Bearer {TOKEN}"
    blocks = post.params["blocks"]
    if isinstance(blocks, str):  # form-encoded posts carry blocks as a JSON string
        blocks = json.loads(blocks)
    stories = [b for b in blocks if b["type"] == "section"]
    assert len(stories) == 1, blocks
    text = stories[0]["text"]["text"]
    for name in running.sources:
        assert name in text, (name, text)
    assert post.params.get("text")  # the plain-text fallback is always set
    [reply] = api.responses
    assert "Posted a digest of 1 story" in reply["text"]


async def test_digest_help_answers_through_response_url(running: Running) -> None:
    body = command(running.api, "help", "help")
    status, elapsed = await running.post(body, signed(body))
    assert status == 200 and elapsed < 3.0
    await running.api.wait_until(lambda: len(running.api.responses) == 1, BOUND)
    [reply] = running.api.responses
    assert reply["_name"] == "help"
    assert "/digest now" in reply["text"] and "/digest subscribe URL" in reply["text"]
    assert running.api.calls_to("chat.postMessage") == []
