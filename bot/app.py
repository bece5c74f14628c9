"""Composition root: settings -> store, newsroom, fetcher, chat platforms, scheduler.

`Bot` is also the `BotService` the neutral command handler talks to, so Slack,
Discord and the console all run the very same use cases.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import os
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from importlib import resources
from pathlib import Path

from bot.chat import ChatPoster
from bot.commands import CommandError, CommandHandler
from bot.delivery import ChannelPlan, Delivery, ready_stories
from bot.fetch import Fetcher, FetchError
from bot.settings import ChannelSettings, Settings, check_cron, check_timezone
from digests.facts import Answer, answer_question
from digests.ingest import parse_feed, read_paths
from digests.models import Article, ChannelRef, ReadResult, Story, Subscription
from digests.normalize import host_of
from digests.pipeline import IngestReport, Newsroom, utcnow
from digests.store import FeedState, Store

log = logging.getLogger(__name__)

MAX_FAILURES = 12  # with doubling backoff from 10 min this is about a week
DEFAULT_SCHEDULE = "0 8 * * *"


def demo_corpus_path() -> Path:
    return Path(str(resources.files("digests") / "demo"))


def embedded_settings(settings: Settings) -> Settings:
    """No config: the demo corpus as a folder source and one console channel."""
    from bot.settings import SourceSettings

    return settings.model_copy(
        update={
            "sources": [SourceSettings(name="demo", path=str(demo_corpus_path()), poll="10m")],
            "channels": [
                ChannelSettings(platform="console", id="stdout", schedule=DEFAULT_SCHEDULE)
            ],
        }
    )


def fetch_key(sub: Subscription) -> str:
    """What one fetch serves: sources with the same URL (or folder) share it."""
    return f"url:{sub.url}" if sub.url is not None else f"path:{sub.path}"


@dataclass(frozen=True)
class PollOutcome:
    source: str
    stored: int
    error: str | None = None


class Bot:
    """The running bot: polls sources, posts digests, answers commands."""

    def __init__(
        self,
        settings: Settings,
        store: Store,
        posters: Mapping[str, ChatPoster],
        *,
        fetcher: Fetcher | None = None,
        clock: Callable[[], datetime] = utcnow,
        max_failures: int = MAX_FAILURES,
        max_concurrent_polls: int = 16,
    ) -> None:
        self.settings = settings
        self.max_failures = max_failures
        self.max_concurrent_polls = max_concurrent_polls
        self.store = store
        self.clock = clock
        self.fetcher = fetcher or Fetcher()
        self.newsroom = Newsroom(store, clock=clock)
        self.delivery = Delivery(self.newsroom, posters, clock=clock)
        self.commands = CommandHandler(self)
        self._config_channels = {c.key: c for c in settings.channels}
        for source in settings.sources:
            store.upsert_source(
                Subscription(
                    name=source.name,
                    url=source.url,
                    path=source.path,
                    poll_seconds=source.poll_seconds,
                    allow_private=source.allow_private,
                )
            )

    # -- sources -------------------------------------------------------------

    def sources_for(self, channel: ChannelRef) -> list[Subscription]:
        config = self._config_channels.get(channel.key)
        names = set(config.sources) if config and config.sources is not None else None
        chosen = []
        for sub in self.store.sources():
            if sub.channel_key is not None:
                if sub.channel_key == channel.key:
                    chosen.append(sub)
            elif names is None or sub.name in names:
                chosen.append(sub)
        return chosen

    def all_sources(self) -> list[Subscription]:
        return self.store.sources()

    async def poll(self, sub: Subscription) -> PollOutcome:
        """Fetch or read one source; its failure is recorded, never raised."""
        return (await self.poll_group([sub]))[0]

    async def poll_group(self, subs: Sequence[Subscription]) -> list[PollOutcome]:
        """Poll sources that share one URL (or path) with ONE fetch; each keeps its own state.

        Conditional GET is used only when every member holds the same validators, so a
        source added later still gets the full feed once.
        """
        first = subs[0]
        states = [self.store.feed_state(sub.name) for sub in subs]
        now = self.clock()
        etag = states[0].etag if all(s.etag == states[0].etag for s in states) else None
        modified = (
            states[0].last_modified
            if all(s.last_modified == states[0].last_modified for s in states)
            else None
        )
        body: bytes | None = None
        final_url = first.url or ""
        read: ReadResult | None = None
        try:
            if first.path is not None:
                read = await asyncio.to_thread(read_paths, [first.path])
            else:
                assert first.url is not None
                fetched = await self.fetcher.fetch(
                    first.url,
                    etag=etag,
                    last_modified=modified,
                    allow_private=all(sub.allow_private for sub in subs),
                )
                etag, modified = fetched.etag, fetched.last_modified
                if not fetched.not_modified:
                    body, final_url = fetched.body, fetched.url
        except (FetchError, OSError) as exc:
            return [
                await self._record_failure(sub, state, now, str(exc))
                for sub, state in zip(subs, states, strict=True)
            ]
        except Exception as exc:  # one bad source never stops the loop
            log.exception("source %s failed", first.name)
            return [
                await self._record_failure(sub, state, now, f"internal error: {exc!r}")
                for sub, state in zip(subs, states, strict=True)
            ]
        outcomes = []
        for sub, state in zip(subs, states, strict=True):
            try:
                if read is not None:
                    result = read
                    kept_etag, kept_modified = state.etag, state.last_modified
                else:
                    result = ReadResult() if body is None else parse_feed(body, final_url, sub.name)
                    kept_etag, kept_modified = etag, modified
                if not result.articles and result.problems:
                    raise FetchError(str(result.problems[0]))
                outcomes.append(
                    await self._record_success(sub, state, now, result, kept_etag, kept_modified)
                )
            except (FetchError, OSError) as exc:
                outcomes.append(await self._record_failure(sub, state, now, str(exc)))
            except Exception as exc:
                log.exception("source %s failed", sub.name)
                outcomes.append(
                    await self._record_failure(sub, state, now, f"internal error: {exc!r}")
                )
        return outcomes

    async def _record_success(
        self,
        sub: Subscription,
        state: FeedState,
        now: datetime,
        result: ReadResult,
        etag: str | None,
        modified: str | None,
    ) -> PollOutcome:
        for problem in result.problems:
            log.warning("source %s: %s", sub.name, problem)
        articles = [replace(a, origin=sub.name) for a in result.articles]
        report = await self.ingest(articles)
        day = now.date()
        items_today = (state.items_today if state.items_day == day else 0) + report.stored
        self.store.save_feed_state(
            replace(
                state,
                etag=etag,
                last_modified=modified,
                last_success_at=now,
                consecutive_failures=0,
                paused=False,
                next_poll_at=now + timedelta(seconds=sub.poll_seconds),
                items_today=items_today,
                items_day=day,
            )
        )
        if report.stored:
            log.info("source %s: %s", sub.name, report)
        return PollOutcome(sub.name, report.stored)

    async def ingest(self, articles: Sequence[Article]) -> IngestReport:
        """Store and cluster a poll's articles a step at a time, letting the event loop run
        between steps: commands arriving meanwhile are acknowledged at once (Slack waits 3 s)."""
        while self.newsroom.reviewing:  # its moves apply to the stories as they were
            await asyncio.sleep(0.01)
        steps = self.newsroom.ingest_steps(articles)
        while True:
            try:
                next(steps)
            except StopIteration as done:
                report: IngestReport = done.value
                return report
            await asyncio.sleep(0)

    async def ready_stories(self, within: timedelta | None = None) -> None:
        """Build the facts of new and changed stories one story at a time, letting the event
        loop run between them, before something reads them all (a digest, a search)."""
        await ready_stories(self.newsroom, within)

    async def _record_failure(
        self, sub: Subscription, state: FeedState, now: datetime, error: str
    ) -> PollOutcome:
        failures = state.consecutive_failures + 1
        wait = min(sub.poll_seconds * 2 ** (failures - 1), 86400)
        paused = failures >= self.max_failures
        log.warning("source %s failed (%d in a row): %s", sub.name, failures, error)
        self.store.save_feed_state(
            replace(
                state,
                last_error=error,
                last_error_at=now,
                consecutive_failures=failures,
                paused=paused,
                next_poll_at=now + timedelta(seconds=wait),
            )
        )
        if paused and not state.paused:
            await self._tell_paused(sub, state, failures, error)
        return PollOutcome(sub.name, 0, error)

    async def _tell_paused(
        self, sub: Subscription, state: FeedState, failures: int, error: str
    ) -> None:
        """One notice per channel per pause: the key names the streak (its last success)."""
        since = state.last_success_at.isoformat() if state.last_success_at else "never"
        text = (
            f"⚠ Source `{sub.name}` is paused after {failures} failed polls in a row "
            f"(last error: {error[:200]}). `/digest unsubscribe {sub.name}` removes it."
        )
        for channel in self.channel_refs():
            if not any(s.name == sub.name for s in self.sources_for(channel)):
                continue
            try:
                await self.delivery.notify(channel, text, f"paused:{sub.name}:{since}")
            except Exception:  # a notice must not break polling
                log.exception("pause notice to %s failed", channel.key)

    def is_due(self, sub: Subscription) -> bool:
        """Not paused, and not waiting out a failure backoff."""
        state = self.store.feed_state(sub.name)
        if state.paused:
            return False
        if state.consecutive_failures and state.next_poll_at is not None:
            return self.clock() >= state.next_poll_at
        return True

    async def poll_all(self, *, due_only: bool = False) -> list[PollOutcome]:
        """Poll every unpaused source concurrently (≤ `max_concurrent_polls` groups at once;
        the fetcher also caps each host); sources sharing a URL are fetched once."""
        groups: dict[str, list[Subscription]] = {}
        for sub in self.store.sources():
            if due_only and not self.is_due(sub):
                continue
            if not due_only and self.store.feed_state(sub.name).paused:
                continue
            groups.setdefault(fetch_key(sub), []).append(sub)
        cap = asyncio.Semaphore(self.max_concurrent_polls)

        async def one(group: list[Subscription]) -> list[PollOutcome]:
            async with cap:
                return await self.poll_group(group)

        results = await asyncio.gather(*(one(g) for g in groups.values()))
        await self.post_breaking()
        return [outcome for group in results for outcome in group]

    # -- channels ------------------------------------------------------------

    def channel_refs(self) -> list[ChannelRef]:
        refs = {k: ChannelRef(c.platform, c.id) for k, c in self._config_channels.items()}
        for channel in self.store.channels():
            platform, _, cid = channel.key.partition(":")
            refs.setdefault(channel.key, ChannelRef(platform, cid))
        return list(refs.values())

    def channel_schedule(self, channel: ChannelRef) -> tuple[str, str]:
        stored = self.store.channel_settings(channel.key)
        config = self._config_channels.get(channel.key)
        cron = stored.schedule or (config.schedule if config else DEFAULT_SCHEDULE)
        tz = stored.timezone or (config.timezone if config else "UTC")
        return cron, tz

    def plan_for(self, channel: ChannelRef) -> ChannelPlan:
        config: ChannelSettings | None = self._config_channels.get(channel.key)
        origins = tuple(s.name for s in self.sources_for(channel))
        return ChannelPlan(
            channel,
            origins,
            max_stories=config.max_stories if config else 10,
            empty_message=config.empty_message if config else False,
        )

    async def post_breaking(self) -> int:
        """After a poll: post stories that meet a channel's breaking rule right away."""
        posted = 0
        for key, config in self._config_channels.items():
            if config.breaking_sources <= 0:
                continue
            channel = ChannelRef(config.platform, config.id)
            plan = replace(
                self.plan_for(channel),
                breaking=(config.breaking_sources, config.breaking_minutes),
            )
            try:
                posted += await self.delivery.post_digest(plan)
            except Exception:  # one channel's failure never stops the others
                log.exception("breaking post to %s failed", key)
        return posted

    async def post_digest(self, channel: ChannelRef) -> int:
        count = await self.delivery.post_digest(self.plan_for(channel))
        self.store.set_meta(f"last_digest:{channel.key}", self.clock().isoformat())
        return count

    # -- BotService (the /digest commands) ------------------------------------

    async def post_now(self, channel: ChannelRef) -> int:
        return await self.post_digest(channel)

    def numbered_story(self, channel: ChannelRef, number: int) -> Story | None:
        ids = self.store.digest_numbers(channel.key)
        if not 1 <= number <= len(ids):
            return None
        return self._current_story(channel, ids[number - 1])

    def _current_story(self, channel: ChannelRef, story_id: str) -> Story | None:
        """The story as it is now: the clusterer may have regrouped it since it was posted,
        so follow its posted articles to wherever they are."""
        story = self.newsroom.story(story_id)
        if story is not None:
            return story
        post = self.store.post_for(channel.key, story_id)
        for article_id in post.article_ids if post else ():
            assignment = self.store.assignment_for(article_id)
            if assignment is not None:
                return self.newsroom.story(assignment.story_id)
        return None

    def digest_headlines(self, channel: ChannelRef) -> list[str]:
        headlines = []
        for story_id in self.store.digest_numbers(channel.key):
            story = self._current_story(channel, story_id)
            headlines.append(story.headline if story else "(no longer available)")
        return headlines

    def source_names(self, channel: ChannelRef) -> list[str]:
        return [sub.name for sub in self.sources_for(channel)]

    async def search(self, terms: str, limit: int = 5) -> list[Story]:
        await self.ready_stories()
        return self.newsroom.search(terms, limit)

    def ask(self, story: Story, question: str) -> list[Answer]:
        return answer_question(story.articles, question)

    def why(self, url: str) -> str:
        return self.newsroom.why(url)

    def feeds(self, channel: ChannelRef) -> list[str]:
        lines = []
        now = self.clock()
        for sub in self.sources_for(channel):
            state = self.store.feed_state(sub.name)
            where = sub.url or sub.path or ""
            ok = (
                f"last success {state.last_success_at:%Y-%m-%d %H:%M}"
                if state.last_success_at
                else "never fetched"
            )
            parts = [f"• {sub.name} — {where}", ok]
            if state.last_error:
                parts.append(f"last error: {state.last_error}")
            if state.paused:
                parts.append("PAUSED after repeated failures")
            elif state.next_poll_at:
                minutes = max(int((state.next_poll_at - now).total_seconds() // 60), 0)
                parts.append(f"next poll in {minutes} min")
            today = state.items_today if state.items_day == now.date() else 0
            parts.append(f"{today} new today")
            lines.append("; ".join(parts))
        error = self.store.channel_settings(channel.key).last_error
        if error:
            lines.append(f"⚠ Posting to this channel failed: {error}")
        return lines

    def subscribe(self, channel: ChannelRef, url: str) -> str:
        from bot.fetch import check_url

        try:
            url = check_url(url)
        except FetchError as exc:
            raise CommandError(f"Cannot subscribe: {exc}") from None
        host = host_of(url) or "feed"
        digest = hashlib.sha1(url.encode("utf-8")).hexdigest()[:6]
        name = f"{host}-{digest}"
        for sub in self.sources_for(channel):
            if sub.url == url:
                raise CommandError(f"This channel already reads {url} as `{sub.name}`.")
        self.store.upsert_source(Subscription(name=name, url=url, channel_key=channel.key))
        return name

    def unsubscribe(self, channel: ChannelRef, name: str) -> bool:
        return self.store.remove_source(name, channel.key)

    def schedule(self, channel: ChannelRef, cron: str, timezone: str | None) -> str:
        current_cron, current_tz = self.channel_schedule(channel)
        tz = timezone or current_tz
        try:
            check_timezone(tz)
            check_cron(cron, tz)
        except ValueError as exc:
            raise CommandError(str(exc)) from None
        self.store.set_schedule(channel.key, cron, tz)
        if self.on_schedule_change is not None:
            self.on_schedule_change(channel)
        return f"Digests here now follow `{cron}` ({tz}); it was `{current_cron}` ({current_tz})."

    on_schedule_change: Callable[[ChannelRef], None] | None = None

    def mute(self, channel: ChannelRef, word: str) -> None:
        if len(word) < 2:
            raise CommandError("Mute a word of at least two characters.")
        self.store.add_mute(channel.key, word)

    def unmute(self, channel: ChannelRef, word: str) -> bool:
        return self.store.remove_mute(channel.key, word)


def run_bot(settings: Settings, *, config_path: Path | None, once: bool) -> int:
    from bot.runtime import run

    if config_path is None and not settings.sources and not settings.channels:
        settings = embedded_settings(settings)
        log.info("no configuration given: running the embedded demo (SQLite, console channel)")
    try:
        return asyncio.run(run(settings, once=once, env=os.environ))
    except KeyboardInterrupt:
        return 0


__all__ = ["Bot", "PollOutcome", "fetch_key", "demo_corpus_path", "embedded_settings", "run_bot"]
