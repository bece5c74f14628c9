"""Digests, story updates and notices, through a delivery outbox: nothing posted twice,
nothing lost.

A post becomes an outbox row (with an idempotency key) before it is sent; the send is
counted (`begin_send`) before the platform is called; the story is recorded as posted, with
the platform's message id for thread replies, and the row marked delivered only after the
platform said OK. A row left undelivered with attempts > 0 may have reached the platform
(a crash or a lost answer in between), so before sending it again delivery asks the poster's
optional `find_sent(channel_id, key)`, which looks the idempotency key up on the platform
(the key travels with the message as `message["idempotency_key"]`). A poster without
`find_sent` (console, file) is at-least-once in that one window: a crash between the
platform's OK and our commit re-sends that one message.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Protocol, runtime_checkable

from bot.chat import ChatPoster, DeliveryError, Message
from digests.models import ChannelRef, Story
from digests.pipeline import Newsroom, make_digest, mentions, rank_stories
from digests.render import UpdateView, digest_view, source_links
from digests.store import Store

log = logging.getLogger(__name__)

# A story is offered to a digest (or updated in a thread) while it had news in this window.
STORY_WINDOW = timedelta(days=3)
MAX_BACKOFF = timedelta(hours=1)
PERMANENT_RETRY = timedelta(days=3650)


@runtime_checkable
class SentLookup(Protocol):
    """Optional poster capability: find a message we may already have sent by its key."""

    async def find_sent(self, channel_id: str, idempotency_key: str) -> str | None: ...


def notice_message(text: str) -> Message:
    """A one-line notice every poster can send: `text` (console, file, Slack), `content`
    (Discord)."""
    return {"text": text, "content": text}


@dataclass(frozen=True)
class ChannelPlan:
    """What a channel reads and how it posts (config merged with chat changes)."""

    ref: ChannelRef
    origins: tuple[str, ...] | None  # source names; None = every source
    max_stories: int = 10
    empty_message: bool = False
    breaking: tuple[int, int] | None = None  # (sources, minutes): post only breaking stories


def _key(*parts: str) -> str:
    return hashlib.sha1("\x1f".join(parts).encode("utf-8")).hexdigest()[:16]


async def ready_stories(newsroom: Newsroom, within: timedelta | None = None) -> None:
    """Build the stories a digest or search will read one at a time, yielding to the event
    loop between them: a hundred new stories cost seconds of facts."""
    for _ in newsroom.build_stories(within=within):
        await asyncio.sleep(0)


def backoff(attempts: int) -> timedelta:
    return min(timedelta(seconds=30 * 2 ** max(attempts - 1, 0)), MAX_BACKOFF)


class Delivery:
    def __init__(
        self,
        newsroom: Newsroom,
        posters: Mapping[str, ChatPoster],
        *,
        clock: Callable[[], datetime],
    ) -> None:
        self._newsroom = newsroom
        self._store: Store = newsroom.store
        self._posters = dict(posters)
        self._clock = clock
        self._locks: dict[str, asyncio.Lock] = {}

    def _lock(self, channel: ChannelRef) -> asyncio.Lock:
        """One sender per channel: a digest job, `/digest now` and a reconnect flush must not
        send the same pending row twice or out of order."""
        return self._locks.setdefault(channel.key, asyncio.Lock())

    def has_platform(self, platform: str) -> bool:
        return platform in self._posters

    def poster(self, platform: str) -> ChatPoster | None:
        return self._posters.get(platform)

    def add_poster(self, poster: ChatPoster) -> None:
        self._posters[poster.platform] = poster

    def _muted(self, channel: ChannelRef) -> tuple[str, ...]:
        return tuple(self._store.channel_settings(channel.key).muted)

    def _queued_article_ids(self, channel: ChannelRef) -> set[str]:
        queued: set[str] = set()
        for item in self._store.pending(channel.key):
            for ids in item.payload.get("article_ids", {}).values():
                queued.update(ids)
        return queued

    def plan(self, plan: ChannelPlan) -> tuple[list[Story], list[tuple[Story, str, list[str]]]]:
        """New stories for the channel, and posted stories that gained articles.

        "Posted" is decided by article, not by story id: a story whose articles were posted
        under another id (the clusterer regrouped after a restart) is an update of that
        post, or nothing, never a second post.
        """
        channel = plan.ref
        muted = self._muted(channel)
        queued = self._queued_article_ids(channel)
        since = self._clock() - 2 * STORY_WINDOW
        posted_in: dict[str, str] = {}  # article id -> story id it was posted under
        posts = {}
        for story_id, post in self._store.posts_in(channel.key, since=since):
            posts[story_id] = post
            for article_id in post.article_ids:
                posted_in.setdefault(article_id, story_id)
        fresh: list[Story] = []
        updates: list[tuple[Story, str, list[str]]] = []
        for story in self._newsroom.stories(origins=plan.origins, within=STORY_WINDOW):
            if any(mentions(story, word) for word in muted):
                continue
            ids = [a.id for a in story.articles]
            hit = [posted_in[i] for i in ids if i in posted_in]
            if not hit:
                if not queued.intersection(ids):
                    fresh.append(story)
                continue
            post_story = story.id if story.id in hit else hit[0]
            known = set().union(*(posts[h].article_ids for h in set(hit)))
            new_ids = [i for i in ids if i not in known and i not in queued]
            if new_ids:
                updates.append((story, post_story, new_ids))
        return rank_stories(fresh)[: plan.max_stories], updates

    async def post_digest(self, plan: ChannelPlan) -> int:
        """Queue and send the channel's digest; returns the number of new stories posted."""
        channel = plan.ref
        poster = self._posters.get(channel.platform)
        if poster is None:
            log.warning("no %s connection; digest for %s not posted", channel.platform, channel.key)
            return 0
        await ready_stories(self._newsroom, STORY_WINDOW)
        async with self._lock(channel):
            stories, updates = self.plan(plan)
            now = self._clock()
            title = f"News digest — {now:%a %d %b %Y}"
            if plan.breaking is not None:
                stories, updates = self._breaking(stories, *plan.breaking), []
                title = f"Breaking — {now:%a %d %b %Y %H:%M} UTC"
            if stories or (plan.empty_message and plan.breaking is None):
                digest = make_digest(stories, title=title, now=now)
                self._store.save_digest_numbers(channel.key, [s.id for s in digest.stories])
                messages = poster.render_digest(digest_view(digest))
                ids = [s.id for s in digest.stories]
                articles = {s.id: [a.id for a in s.articles] for s in digest.stories}
                run = _key(channel.key, *ids) if ids else _key(channel.key, now.isoformat())
                rows: list[tuple[str, str | None, str, dict[str, Any], str]] = []
                for index, message in enumerate(messages):
                    payload: dict[str, Any] = {
                        "message": message,
                        "story_ids": ids if index == 0 else [],
                        "article_ids": articles if index == 0 else {},
                    }
                    rows.append((channel.key, None, "digest", payload, f"digest:{run}:{index}"))
                self._store.enqueue_many(rows, not_before=now)  # all parts or none
            for story, post_story, new_ids in updates:
                self._queue_update(channel, poster, story, post_story, new_ids)
            await self._flush_locked(channel, poster)
        return len(stories)

    def _breaking(self, stories: Sequence[Story], sources: int, minutes: int) -> list[Story]:
        """Stories that reached `sources` distinct outlets within `minutes` of their first
        report (as it reached us)."""
        since = self._clock() - timedelta(minutes=minutes)
        out = []
        for story in stories:
            first = self._newsroom.first_seen(story)
            if len(story.sources) >= sources and first is not None and first >= since:
                out.append(story)
        return out

    async def notify(self, channel: ChannelRef, text: str, key: str) -> bool:
        """Queue and send a one-line notice; the same `key` is never queued twice."""
        queued = self._store.enqueue(
            channel.key,
            None,
            "notice",
            {"message": notice_message(text)},
            f"notice:{_key(channel.key, key)}",
            not_before=self._clock(),
        )
        await self.flush(channel)
        return queued is not None

    def _queue_update(
        self,
        channel: ChannelRef,
        poster: ChatPoster,
        story: Story,
        post_story: str,
        new_ids: Sequence[str],
    ) -> None:
        """A thread reply under the post `post_story` (the story as it was posted)."""
        fresh = set(new_ids)
        posted = self._store.post_for(channel.key, post_story)
        before = set(posted.article_ids) if posted else set()
        new_sources = [s for s in story.sources if not before.intersection(s.article_ids)]
        links = tuple(
            link
            for link, s in zip(source_links(story), story.sources, strict=True)
            if s in new_sources
        )
        new_facts = tuple(f.text for f in story.facts if set(f.article_ids) <= fresh)[:2]
        all_ids = sorted(before | {a.id for a in story.articles})
        if not links and not new_facts:
            # only copies or repeats joined: remember them, post nothing
            self._store.record_post(
                channel.key,
                post_story,
                posted.message_id if posted else None,
                all_ids,
                posted.posted_at if posted else self._clock(),
            )
            return
        view = UpdateView(story.id, story.headline, links, new_facts)
        payload = {
            "message": poster.render_update(view),
            "story_ids": [],
            "update_of": post_story,
            "article_ids": {post_story: all_ids},
        }
        key = f"update:{_key(channel.key, post_story, *sorted(fresh))}"
        self._store.enqueue(
            channel.key, post_story, "update", payload, key, not_before=self._clock()
        )

    async def flush(self, channel: ChannelRef) -> None:
        """Send the channel's pending posts in order; stop at the first failure."""
        poster = self._posters.get(channel.platform)
        if poster is None:
            return
        async with self._lock(channel):
            await self._flush_locked(channel, poster)

    async def _flush_locked(self, channel: ChannelRef, poster: ChatPoster) -> None:
        for item in self._store.pending(channel.key, now=self._clock()):
            thread_of = None
            if item.kind == "update" and item.story_id:
                post = self._store.post_for(channel.key, item.story_id)
                thread_of = post.message_id if post else None
            message = {**item.payload["message"], "idempotency_key": item.idempotency_key}
            try:
                message_id = None
                if item.attempts > 0 and isinstance(poster, SentLookup):
                    # a previous send may have reached the platform: look before re-sending
                    message_id = await poster.find_sent(channel.id, item.idempotency_key)
                    if message_id is not None:
                        log.info("post %s to %s was already sent", item.id, channel.key)
                if message_id is None:
                    self._store.begin_send(item.id)
                    message_id = await poster.send(channel.id, message, thread_of=thread_of)
            except DeliveryError as exc:
                now = self._clock()
                if exc.permanent:
                    log.error("channel %s refused the post: %s", channel.key, exc)
                    self._store.set_channel_error(channel.key, str(exc))
                    self._store.defer(item.id, str(exc), now + PERMANENT_RETRY)
                else:
                    wait = backoff(item.attempts + 1)
                    if exc.retry_after:
                        wait = max(wait, timedelta(seconds=exc.retry_after))
                    log.warning("post to %s failed (%s); retrying in %s", channel.key, exc, wait)
                    self._store.defer(item.id, str(exc), now + wait)
                return
            except Exception as exc:  # a bug in an adapter must not stop other channels
                log.exception("post to %s failed", channel.key)
                self._store.defer(item.id, repr(exc), self._clock() + backoff(item.attempts + 1))
                return
            self._record_delivered(channel, item.id, item.kind, item.payload, message_id)

    def _record_delivered(
        self,
        channel: ChannelRef,
        item_id: int,
        kind: str,
        payload: dict[str, Any],
        message_id: str,
    ) -> None:
        """Posts first, then the row: a crash in between leaves the row pending, and the
        next flush finds it via `find_sent` instead of planning the stories again."""
        now = self._clock()
        article_map = payload.get("article_ids") or {}
        assert isinstance(article_map, dict)
        for story_id, article_ids in article_map.items():
            previous = self._store.post_for(channel.key, story_id)
            keep_id = previous.message_id if previous and kind == "update" else message_id
            posted_at = previous.posted_at if previous else now
            self._store.record_post(channel.key, story_id, keep_id, article_ids, posted_at)
        self._store.mark_delivered(item_id, message_id, now)
        self._store.set_channel_error(channel.key, None)
