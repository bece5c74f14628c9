"""Digests and story updates, through a delivery outbox: nothing posted twice, nothing lost.

A post becomes an outbox row (with an idempotency key) before it is sent, and is
marked delivered -- and the story recorded as posted, with the platform's message
id for thread replies -- only after the platform said OK.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.chat import ChatPoster, DeliveryError
from digests.models import ChannelRef, Story
from digests.pipeline import Newsroom, make_digest, mentions, rank_stories
from digests.render import UpdateView, digest_view, source_links
from digests.store import Store

log = logging.getLogger(__name__)

MAX_BACKOFF = timedelta(hours=1)
PERMANENT_RETRY = timedelta(days=3650)


@dataclass(frozen=True)
class ChannelPlan:
    """What a channel reads and how it posts (config merged with chat changes)."""

    ref: ChannelRef
    origins: tuple[str, ...] | None  # source names; None = every source
    max_stories: int = 10
    empty_message: bool = False


def _key(*parts: str) -> str:
    return hashlib.sha1("\x1f".join(parts).encode("utf-8")).hexdigest()[:16]


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

    def has_platform(self, platform: str) -> bool:
        return platform in self._posters

    def poster(self, platform: str) -> ChatPoster | None:
        return self._posters.get(platform)

    def add_poster(self, poster: ChatPoster) -> None:
        self._posters[poster.platform] = poster

    def _muted(self, channel: ChannelRef) -> tuple[str, ...]:
        return tuple(self._store.channel_settings(channel.key).muted)

    def _queued_story_ids(self, channel: ChannelRef) -> set[str]:
        queued: set[str] = set()
        for item in self._store.pending(channel.key):
            queued.update(item.payload.get("story_ids", []))
        return queued

    def plan(self, plan: ChannelPlan) -> tuple[list[Story], list[tuple[Story, list[str]]]]:
        """New stories for the channel, and posted stories that gained sources."""
        channel = plan.ref
        muted = self._muted(channel)
        queued = self._queued_story_ids(channel)
        fresh: list[Story] = []
        updates: list[tuple[Story, list[str]]] = []
        for story in self._newsroom.stories(origins=plan.origins):
            if any(mentions(story, word) for word in muted):
                continue
            post = self._store.post_for(channel.key, story.id)
            if post is None:
                if story.id not in queued:
                    fresh.append(story)
                continue
            known = set(post.article_ids)
            new_ids = [a.id for a in story.articles if a.id not in known]
            if new_ids:
                updates.append((story, new_ids))
        return rank_stories(fresh)[: plan.max_stories], updates

    async def post_digest(self, plan: ChannelPlan) -> int:
        """Queue and send the channel's digest; returns the number of new stories posted."""
        channel = plan.ref
        poster = self._posters.get(channel.platform)
        if poster is None:
            log.warning("no %s connection; digest for %s not posted", channel.platform, channel.key)
            return 0
        stories, updates = self.plan(plan)
        now = self._clock()
        if stories or plan.empty_message:
            digest = make_digest(stories, title=f"News digest — {now:%a %d %b %Y}", now=now)
            self._store.save_digest_numbers(channel.key, [s.id for s in digest.stories])
            messages = poster.render_digest(digest_view(digest))
            ids = [s.id for s in digest.stories]
            articles = {s.id: [a.id for a in s.articles] for s in digest.stories}
            run = _key(channel.key, *ids) if ids else _key(channel.key, now.isoformat())
            for index, message in enumerate(messages):
                payload = {
                    "message": message,
                    "story_ids": ids if index == 0 else [],
                    "article_ids": articles if index == 0 else {},
                }
                self._store.enqueue(channel.key, None, "digest", payload, f"digest:{run}:{index}")
        for story, new_ids in updates:
            self._queue_update(channel, poster, story, new_ids)
        await self.flush(channel)
        return len(stories)

    def _queue_update(
        self, channel: ChannelRef, poster: ChatPoster, story: Story, new_ids: Sequence[str]
    ) -> None:
        fresh = set(new_ids)
        posted = self._store.post_for(channel.key, story.id)
        before = set(posted.article_ids) if posted else set()
        new_sources = [s for s in story.sources if not before.intersection(s.article_ids)]
        links = tuple(
            link
            for link, s in zip(source_links(story), story.sources, strict=True)
            if s in new_sources
        )
        new_facts = tuple(f.text for f in story.facts if set(f.article_ids) <= fresh)[:2]
        if not links and not new_facts:
            # only copies or repeats joined: remember them, post nothing
            self._store.record_post(
                channel.key,
                story.id,
                posted.message_id if posted else None,
                [a.id for a in story.articles],
                posted.posted_at if posted else self._clock(),
            )
            return
        view = UpdateView(story.id, story.headline, links, new_facts)
        payload = {
            "message": poster.render_update(view),
            "story_ids": [],
            "update_of": story.id,
            "article_ids": {story.id: [a.id for a in story.articles]},
        }
        key = f"update:{_key(channel.key, story.id, *sorted(fresh))}"
        self._store.enqueue(channel.key, story.id, "update", payload, key)

    async def flush(self, channel: ChannelRef) -> None:
        """Send the channel's pending posts in order; stop at the first failure."""
        poster = self._posters.get(channel.platform)
        if poster is None:
            return
        for item in self._store.pending(channel.key, now=self._clock()):
            thread_of = None
            if item.kind == "update" and item.story_id:
                post = self._store.post_for(channel.key, item.story_id)
                thread_of = post.message_id if post else None
            try:
                message_id = await poster.send(
                    channel.id, item.payload["message"], thread_of=thread_of
                )
            except DeliveryError as exc:
                now = self._clock()
                if exc.permanent:
                    log.error("channel %s refused the post: %s", channel.key, exc)
                    self._store.set_channel_error(channel.key, str(exc))
                    self._store.mark_failed(item.id, str(exc), now + PERMANENT_RETRY)
                else:
                    wait = backoff(item.attempts + 1)
                    if exc.retry_after:
                        wait = max(wait, timedelta(seconds=exc.retry_after))
                    log.warning("post to %s failed (%s); retrying in %s", channel.key, exc, wait)
                    self._store.mark_failed(item.id, str(exc), now + wait)
                return
            except Exception as exc:  # a bug in an adapter must not stop other channels
                log.exception("post to %s failed", channel.key)
                self._store.mark_failed(
                    item.id, repr(exc), self._clock() + backoff(item.attempts + 1)
                )
                return
            now = self._clock()
            self._store.mark_delivered(item.id, message_id, now)
            self._store.set_channel_error(channel.key, None)
            for story_id, article_ids in item.payload.get("article_ids", {}).items():
                previous = self._store.post_for(channel.key, story_id)
                keep_id = previous.message_id if previous and item.kind == "update" else message_id
                posted_at = previous.posted_at if previous else now
                self._store.record_post(channel.key, story_id, keep_id, article_ids, posted_at)
