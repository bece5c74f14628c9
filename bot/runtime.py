"""`newsdigest run`: one process with the scheduler and every configured chat platform.

Only one scheduler may run per deployment (APScheduler 3 would run every job
twice, silently, with two processes on one store), so start-up takes a lock
first: a PostgreSQL advisory lock, or a file lock beside the SQLite file.
"""

from __future__ import annotations

import asyncio
import contextlib
import fcntl
import logging
import signal
from collections.abc import Iterator, Mapping
from datetime import datetime, timedelta
from pathlib import Path
from typing import IO, Any

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from bot.adapters.console import ConsolePoster
from bot.adapters.files import FilePoster
from bot.app import Bot
from bot.chat import ChatPoster
from bot.scheduler import DIGEST_GRACE_SECONDS, build_scheduler, fire_times
from bot.settings import Settings
from digests.models import ChannelRef
from digests.store import Store, StoreError

log = logging.getLogger(__name__)

LOCK_KEY = 0x6E657773  # "news"


class AlreadyRunning(Exception):
    pass


@contextlib.contextmanager
def scheduler_lock(db_url: str) -> Iterator[None]:
    url = make_url(db_url)
    if url.get_backend_name() == "sqlite":
        database = url.database
        if not database or database == ":memory:":
            yield
            return
        lock_path = Path(database).with_name(Path(database).name + ".lock")
        lock_path.parent.mkdir(parents=True, exist_ok=True)
        handle: IO[str] = lock_path.open("w")
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.close()
            raise AlreadyRunning(
                f"another `newsdigest run` already uses {database} (lock file {lock_path})"
            ) from None
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
            handle.close()
        return
    if url.drivername in ("postgresql", "postgres"):
        url = url.set(drivername="postgresql+psycopg")
    engine = create_engine(url, pool_size=1)
    conn = engine.connect()
    try:
        got = conn.execute(text("SELECT pg_try_advisory_lock(:k)"), {"k": LOCK_KEY}).scalar()
        if not got:
            raise AlreadyRunning("another `newsdigest run` already holds this database's lock")
        yield
    finally:
        with contextlib.suppress(Exception):
            conn.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": LOCK_KEY})
        conn.close()
        engine.dispose()


def missed_run(cron: str, tz: str, last: datetime | None, now: datetime) -> bool:
    """Was a scheduled digest due within the grace period and not run since?"""
    start = now - timedelta(seconds=DIGEST_GRACE_SECONDS)
    due = fire_times(cron, tz, start, now)
    return bool(due) and (last is None or last < due[-1])


def build_posters(settings: Settings, env: Mapping[str, str]) -> dict[str, ChatPoster]:
    """Console and file always; Slack when SLACK_BOT_TOKEN is set (Discord joins later,
    because its poster needs the client that needs the command handler)."""
    posters: dict[str, ChatPoster] = {"console": ConsolePoster(), "file": FilePoster()}
    token = env.get("SLACK_BOT_TOKEN")
    if token:
        from bot.adapters.slack import SlackPoster, make_slack_client

        posters["slack"] = SlackPoster(make_slack_client(token, api_url=env.get("SLACK_API_URL")))
    return posters


class Platforms:
    """The chat platforms' long-running parts: Slack's HTTP/Socket Mode server, Discord's
    gateway client. Each starts only when its token is set."""

    def __init__(self) -> None:
        self.tasks: list[asyncio.Task[Any]] = []
        self.discord_client: Any = None
        self.discord_ready = asyncio.Event()

    async def start(self, bot: Bot, settings: Settings, env: Mapping[str, str]) -> None:
        slack_token = env.get("SLACK_BOT_TOKEN")
        if slack_token:
            self._start_slack(bot, settings, env, slack_token)
        discord_token = env.get("DISCORD_BOT_TOKEN")
        if discord_token:
            self._start_discord(bot, settings, env, discord_token)
        for channel in bot.channel_refs():
            if not bot.delivery.has_platform(channel.platform):
                log.warning(
                    "channel %s is configured but %s is not connected (token unset?)",
                    channel.key,
                    channel.platform,
                )

    def _start_slack(
        self, bot: Bot, settings: Settings, env: Mapping[str, str], token: str
    ) -> None:
        from bot.adapters.slack import SlackPoster, build_slack_app, run_slack

        poster = bot.delivery.poster("slack")
        client = poster.client if isinstance(poster, SlackPoster) else None
        app_token = env.get("SLACK_APP_TOKEN") or None
        secret = env.get("SLACK_SIGNING_SECRET", "")
        if not app_token and not secret:
            log.error(
                "SLACK_SIGNING_SECRET is unset: slash commands over HTTP cannot be verified, so "
                "the Slack command server is not started (set it, or SLACK_APP_TOKEN for Socket "
                "Mode); scheduled digests are still posted"
            )
            return
        app = build_slack_app(
            bot.commands,
            token=token,
            signing_secret=secret,
            api_url=env.get("SLACK_API_URL"),
            admins=settings.slack.admins,
            client=client,
        )
        self.tasks.append(
            asyncio.create_task(run_slack(app, port=settings.slack.port, app_token=app_token))
        )
        log.info(
            "Slack started (%s)", "Socket Mode" if app_token else f"HTTP :{settings.slack.port}"
        )

    def _start_discord(
        self, bot: Bot, settings: Settings, env: Mapping[str, str], token: str
    ) -> None:
        from bot.adapters.discord import DiscordPoster, apply_discord_urls, build_discord_client

        apply_discord_urls(env.get("DISCORD_API_URL"), env.get("DISCORD_GATEWAY_URL"))

        async def ready() -> None:
            self.discord_ready.set()
            for channel in bot.channel_refs():
                if channel.platform == "discord":
                    await bot.delivery.flush(channel)

        client = build_discord_client(
            bot.commands, guilds=settings.discord.guilds, on_ready_hook=ready
        )
        self.discord_client = client
        bot.delivery.add_poster(DiscordPoster(client))
        self.tasks.append(asyncio.create_task(client.start(token)))
        log.info("Discord started")

    async def wait_ready(self, timeout: float = 30) -> None:
        if self.discord_client is not None:
            try:
                await asyncio.wait_for(self.discord_ready.wait(), timeout)
            except TimeoutError:
                log.error("Discord did not become ready within %.0f s", timeout)

    async def stop(self) -> None:
        if self.discord_client is not None:
            with contextlib.suppress(Exception):
                await self.discord_client.close()
        for task in self.tasks:
            task.cancel()
        for task in self.tasks:
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task


async def _startup_digests(bot: Bot, *, embedded: bool) -> None:
    now = bot.clock()
    for channel in bot.channel_refs():
        cron, tz = bot.channel_schedule(channel)
        last_text = bot.store.get_meta(f"last_digest:{channel.key}")
        last = datetime.fromisoformat(last_text) if last_text else None
        if (embedded and channel.platform == "console") or missed_run(cron, tz, last, now):
            await bot.post_digest(channel)


async def run(settings: Settings, *, once: bool, env: Mapping[str, str]) -> int:
    embedded = any(s.name == "demo" for s in settings.sources) and all(
        c.platform == "console" for c in settings.channels
    )
    try:
        store = Store.open(settings.storage.url)
    except StoreError as exc:
        log.error("%s", exc)
        return 1
    try:
        with scheduler_lock(settings.storage.url):
            return await _run_locked(settings, store, once=once, env=env, embedded=embedded)
    except AlreadyRunning as exc:
        log.error("%s; not starting a second scheduler", exc)
        return 1
    finally:
        store.close()


async def _run_locked(
    settings: Settings, store: Store, *, once: bool, env: Mapping[str, str], embedded: bool
) -> int:
    posters = build_posters(settings, env)
    bot = Bot(settings, store, posters)
    platforms = Platforms()
    try:
        await platforms.start(bot, settings, env)
        await bot.poll_all()
        if once:
            await platforms.wait_ready()
            for channel in bot.channel_refs():
                posted = await bot.post_digest(channel)
                if not posted:
                    log.info("%s: no new stories since its last digest", channel.key)
            return 0
        await _startup_digests(bot, embedded=embedded)
        scheduler = build_scheduler(bot)
        scheduler.start()
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            with contextlib.suppress(NotImplementedError, RuntimeError):
                loop.add_signal_handler(sig, stop.set)
        log.info(
            "running; polling %d source(s) for %d channel(s). Ctrl-C stops.",
            len(bot.all_sources()),
            len(bot.channel_refs()),
        )
        try:
            await stop.wait()
        finally:
            scheduler.shutdown(wait=False)
            log.info("stopped")
        return 0
    finally:
        await platforms.stop()
        await bot.fetcher.aclose()


__all__ = ["AlreadyRunning", "ChannelRef", "missed_run", "run", "scheduler_lock"]
