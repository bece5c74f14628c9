"""Crash test: the real Bot and Delivery, killed with SIGKILL at random points, restarted.

A small fork server (this module run with `python -m tests.test_crash_delivery`) imports the
bot once and forks one child per cycle; the child polls a folder, posts digests to a recording
channel that fsyncs every message it accepts to a log, and is killed -- by the test at a
seeded random moment, or by the channel itself right after the "platform" accepted a message
(the window between the platform's OK and our commit). New articles arrive between cycles.
After 20 cycles and one clean drain, every outbox row is in the log exactly once, in outbox
order, and every story was posted as new exactly once.

The channel never deduplicates by key (no real platform does); exactly-once comes from the
outbox plus the channel's `find_sent` lookup, like Slack message metadata.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from bot.app import Bot
from bot.chat import Message
from bot.settings import ChannelSettings, Settings, SourceSettings
from digests.models import ChannelRef
from digests.render import DigestView, UpdateView
from digests.store import Store

ROOT = Path(__file__).resolve().parents[1]
CYCLES = 20
SEED = 20261126


class RecordingChannel:
    """A fake chat channel: appends each accepted message to a log (fsync), looks keys up."""

    platform = "console"

    def __init__(self, log_path: Path, self_kill: float, rng: random.Random) -> None:
        self._log = log_path
        self._self_kill = self_kill
        self._rng = rng
        self._count = 0

    def render_digest(self, view: DigestView) -> list[Message]:
        # one message per story, so a digest is several outbox rows
        return [{"text": s.headline, "story_ids": [s.story_id]} for s in view.stories]

    def render_update(self, view: UpdateView) -> Message:
        return {"text": view.text, "update_of": view.story_id}

    async def send(self, channel_id: str, message: Message, *, thread_of: str | None = None) -> str:
        self._count += 1
        message_id = f"{os.getpid()}.{self._count}"
        line = {
            "key": message.get("idempotency_key"),
            "id": message_id,
            "story_ids": message.get("story_ids", []),
            "update_of": message.get("update_of"),
            "thread_of": thread_of,
        }
        fd = os.open(self._log, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
        try:
            os.write(fd, (json.dumps(line) + "\n").encode())
            os.fsync(fd)
        finally:
            os.close(fd)
        if self._rng.random() < self._self_kill:
            os.kill(os.getpid(), signal.SIGKILL)  # the platform said OK; we never hear it
        return message_id

    async def find_sent(self, channel_id: str, idempotency_key: str) -> str | None:
        for entry in read_log(self._log):
            if entry["key"] == idempotency_key:
                return str(entry["id"])
        return None


def read_log(path: Path) -> list[dict[str, Any]]:
    if not path.exists():
        return []
    entries = []
    for line in path.read_text().splitlines():
        try:
            entries.append(json.loads(line))
        except json.JSONDecodeError:  # a torn last line would be a lost message: checked below
            entries.append({"key": None, "torn": line})
    return entries


CHANNEL = ChannelRef("console", "crash")


async def cycle(work: Path, self_kill: float, seed: int) -> None:
    store = Store.open(f"sqlite:///{work / 'bot.db'}")
    settings = Settings(
        sources=[SourceSettings(name="inbox", path=str(work / "inbox"), poll="1m")],
        channels=[ChannelSettings(platform="console", id=CHANNEL.id)],
    )
    channel = RecordingChannel(work / "sent.log", self_kill, random.Random(seed))
    bot = Bot(settings, store, {"console": channel})
    await bot.poll_all()
    for _ in range(50):  # digests hold ≤ 10 stories: repeat until nothing is left
        posted = await bot.post_digest(CHANNEL)
        if not posted and not store.pending(CHANNEL.key):
            break
    store.close()


def serve(work: Path) -> None:
    """Fork server: `run SELF_KILL SEED` forks a cycle, prints its pid, then its exit status."""
    while line := sys.stdin.readline():
        _, self_kill, seed = line.split()
        pid = os.fork()
        if pid == 0:
            code = 0
            try:
                asyncio.run(cycle(work, float(self_kill), int(seed)))
            except BaseException:
                import traceback

                traceback.print_exc()
                code = 1
            os._exit(code)
        print(pid, flush=True)
        _, status = os.waitpid(pid, 0)
        print(status, flush=True)


WORDS = "bra cel dor fen gal hil jor kam lun mer nov pra quil ros sel tam urv vel wes yar zan"


def invent(rng: random.Random, n: int) -> str:
    syllables = WORDS.split()
    return " ".join("".join(rng.choice(syllables) for _ in range(3)).capitalize() for _ in range(n))


def write_batch(inbox: Path, rng: random.Random, batch: int, events: list[str]) -> None:
    """Two to four articles: mostly new events, sometimes another outlet on an old one.
    An event is a pool of invented words, so events share no vocabulary."""
    records = []
    for i in range(rng.randint(2, 4)):
        if events and rng.random() < 0.3:
            event = rng.choice(events)
        else:
            event = invent(rng, 8)
            events.append(event)
        pool = event.split()
        outlet = f"outlet{rng.randint(1, 9)}.example"
        sentences = [" ".join(rng.sample(pool, 6)) + "." for _ in range(3)]
        records.append(
            {
                "id": f"b{batch}-{i}",
                "title": " ".join(pool[:5]),
                "text": " ".join(sentences),
                "source": outlet,
                "url": f"https://{outlet}/{pool[0].lower()}-{batch}-{i}",
            }
        )
    lines = "".join(json.dumps(r) + "\n" for r in records)
    (inbox / f"batch-{batch:02d}.jsonl").write_text(lines, encoding="utf-8")


class Server:
    def __init__(self, work: Path) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "tests.test_crash_delivery", str(work)],
            cwd=ROOT,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )

    def start(self, self_kill: float, seed: int) -> int:
        assert self.proc.stdin and self.proc.stdout
        self.proc.stdin.write(f"run {self_kill} {seed}\n")
        self.proc.stdin.flush()
        return int(self.proc.stdout.readline())

    def status(self) -> int:
        assert self.proc.stdout
        return int(self.proc.stdout.readline())

    def close(self) -> None:
        assert self.proc.stdin
        self.proc.stdin.close()
        self.proc.wait(timeout=30)


def test_sigkill_cycles_deliver_every_story_exactly_once_in_order(tmp_path: Path) -> None:
    rng = random.Random(SEED)
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    events: list[str] = []
    server = Server(tmp_path)
    killed = 0
    try:
        write_batch(inbox, rng, 0, events)
        started = time.monotonic()
        server.start(0.0, 0)
        assert server.status() == 0
        span = max(time.monotonic() - started, 0.05)  # one full cycle: where kills can land
        for n in range(1, CYCLES + 1):
            write_batch(inbox, rng, n, events)
            if n % 2:
                pid = server.start(0.0, n)
                time.sleep(rng.uniform(0, span * 1.5))
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGKILL)
            else:
                server.start(0.25, n)  # the channel kills the process after a send
            status = server.status()
            killed += os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL
            assert os.WIFSIGNALED(status) or os.WEXITSTATUS(status) == 0
        server.start(0.0, 999)  # a clean run drains whatever is left
        assert server.status() == 0
    finally:
        server.close()

    log = read_log(tmp_path / "sent.log")
    store = Store.open(f"sqlite:///{tmp_path / 'bot.db'}")
    try:
        assert not store.pending(CHANNEL.key)
        keys = [entry["key"] for entry in log]
        duplicates = len(keys) - len(set(keys))
        assert duplicates == 0
        assert None not in keys
        outbox = [item for item in _all_outbox(store)]
        assert [item["key"] for item in outbox] == keys  # none lost, in outbox order
        assert all(item["delivered"] for item in outbox)
        posted_as_new = [sid for entry in log for sid in entry["story_ids"]]
        assert len(posted_as_new) == len(set(posted_as_new))
        stories = {a.story_id for a in store.assignments()}
        assert stories == set(posted_as_new)
        # a digest's stories thread on its first message (key digest:RUN:0)
        first = {e["key"].rsplit(":", 1)[0]: e["id"] for e in log if e["key"].endswith(":0")}
        roots = {sid: first[e["key"].rsplit(":", 1)[0]] for e in log for sid in e["story_ids"]}
        assert any(e["update_of"] for e in log)
        for entry in log:
            if entry["update_of"]:
                assert entry["thread_of"] == roots[entry["update_of"]]
    finally:
        store.close()
    assert killed >= CYCLES // 3, f"only {killed} of {CYCLES} cycles were killed"


def _all_outbox(store: Store) -> list[dict[str, Any]]:
    import sqlalchemy as sa

    from digests.store import outbox_t

    with store.engine.connect() as conn:
        rows = conn.execute(sa.select(outbox_t).order_by(outbox_t.c.id)).all()
    return [{"key": r.idempotency_key, "delivered": r.delivered_at is not None} for r in rows]


if __name__ == "__main__":
    serve(Path(sys.argv[1]))
