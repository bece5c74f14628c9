"""APScheduler jobs: poll each source on its interval, post each channel's digest on its cron.

Feeds sharing an interval get jitter so they are spread over it, not fired together;
digest jobs are coalesced with a grace time, so a missed run posts once, never twice.
"""

from __future__ import annotations

import hashlib
import logging
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

from bot.app import fetch_key
from bot.cron import apscheduler_crontab
from digests.models import ChannelRef, Subscription

if TYPE_CHECKING:
    from bot.app import Bot

log = logging.getLogger(__name__)

DIGEST_GRACE_SECONDS = 3600


async def poll_source_job(bot: Bot, key: str) -> None:
    """Poll the sources behind one fetch key (a URL or folder), skipping paused ones and
    those still waiting out a failure backoff."""
    subs = [sub for sub in bot.store.sources() if fetch_key(sub) == key]
    if not subs:
        log.info("no source reads %s any more; its poll job stops", key)
        return
    due = [sub for sub in subs if bot.is_due(sub)]
    if due:
        try:
            await bot.poll_group(due)
            await bot.post_breaking()
        except Exception:
            log.exception("poll of %s failed", key)


async def digest_job(bot: Bot, platform: str, channel_id: str) -> None:
    channel = ChannelRef(platform, channel_id)
    try:
        await bot.post_digest(channel)
    except Exception:
        log.exception("digest for %s failed", channel.key)


async def sources_sync_job(bot: Bot, scheduler: AsyncIOScheduler) -> None:
    """Sources added from chat get their poll job without a restart."""
    sync_jobs(bot, scheduler)


def poll_offset(key: str, seconds: int) -> int:
    """A stable phase in [0, seconds) per fetch key: sources sharing an interval are spread
    over it instead of firing together, and keep their slot across restarts."""
    digest = hashlib.sha1(key.encode("utf-8")).digest()
    return int.from_bytes(digest[:8], "big") % max(seconds, 1)


def poll_trigger(key: str, seconds: int, now: datetime) -> IntervalTrigger:
    start = now + timedelta(seconds=poll_offset(key, seconds))
    return IntervalTrigger(seconds=seconds, start_date=start, jitter=max(1, seconds // 20))


def sync_jobs(bot: Bot, scheduler: AsyncIOScheduler) -> None:
    """Jobs from config + database: one poll job per fetch key, one digest job per channel."""
    groups: dict[str, list[Subscription]] = {}
    for sub in bot.store.sources():
        groups.setdefault(fetch_key(sub), []).append(sub)
    wanted = {f"poll:{key}": key for key in groups}
    for job in scheduler.get_jobs():
        if job.id.startswith("poll:") and job.id not in wanted:
            job.remove()
    now = bot.clock()
    for job_id, key in wanted.items():
        seconds = min(sub.poll_seconds for sub in groups[key])
        existing = scheduler.get_job(job_id)
        if existing is not None:
            if getattr(existing.trigger, "interval", None) == timedelta(seconds=seconds):
                continue
            existing.remove()
        scheduler.add_job(
            poll_source_job,
            poll_trigger(key, seconds, now),
            args=(bot, key),
            id=job_id,
            coalesce=True,
            max_instances=1,
            misfire_grace_time=seconds,
        )
    for channel in bot.channel_refs():
        schedule_digest(bot, scheduler, channel)


class LocalCronTrigger(CronTrigger):
    """CronTrigger that fires a local wall-clock time once, even when DST repeats it.

    APScheduler 3 fires `30 2 * * *` twice on the autumn fold (02:30 CEST and 02:30 CET) and
    then keeps answering the second one again; a daily digest must not be doubled, and a
    trigger must always move forward.
    """

    def get_next_fire_time(
        self, previous_fire_time: datetime | None, now: datetime
    ) -> datetime | None:
        # compare and step in UTC: same-zone datetimes compare by wall clock, ignoring fold
        fire = super().get_next_fire_time(previous_fire_time, now)
        probe = now.astimezone(UTC)
        for _ in range(10):
            if fire is None or previous_fire_time is None:
                return fire
            before = previous_fire_time.astimezone(UTC)
            wall = before.astimezone(fire.tzinfo).replace(tzinfo=None, fold=0)
            if fire.astimezone(UTC) > before and fire.replace(tzinfo=None, fold=0) != wall:
                return fire
            probe = max(probe, fire.astimezone(UTC)) + timedelta(minutes=1)
            fire = super().get_next_fire_time(None, probe)  # previous would anchor it again
        return fire


def digest_trigger(cron: str, tz: str) -> CronTrigger:
    """Cron evaluated in the channel's zone: 08:00 stays 08:00 local across DST; day of week
    in standard crontab meaning (1-5 is Monday to Friday)."""
    return LocalCronTrigger.from_crontab(apscheduler_crontab(cron), timezone=tz)


def fire_times(cron: str, tz: str, start: datetime, end: datetime) -> list[datetime]:
    """Every fire time of `cron` in [start, end], as APScheduler computes them."""
    trigger = digest_trigger(cron, tz)
    times: list[datetime] = []
    fire = trigger.get_next_fire_time(None, start)
    while fire is not None and fire <= end:
        times.append(fire)
        fire = trigger.get_next_fire_time(fire, fire.astimezone(UTC) + timedelta(microseconds=1))
    return times


def schedule_digest(bot: Bot, scheduler: AsyncIOScheduler, channel: ChannelRef) -> None:
    cron, tz = bot.channel_schedule(channel)
    job_id = f"digest:{channel.key}"
    trigger = digest_trigger(cron, tz)
    existing = scheduler.get_job(job_id)
    if existing is not None:
        if str(existing.trigger) == str(trigger):
            return
        existing.remove()
    scheduler.add_job(
        digest_job,
        trigger,
        args=(bot, channel.platform, channel.id),
        id=job_id,
        coalesce=True,
        max_instances=1,
        misfire_grace_time=DIGEST_GRACE_SECONDS,
    )


def build_scheduler(bot: Bot) -> AsyncIOScheduler:
    scheduler = AsyncIOScheduler(timezone="UTC")
    sync_jobs(bot, scheduler)
    scheduler.add_job(
        sources_sync_job,
        IntervalTrigger(seconds=60),
        args=(bot, scheduler),
        id="sync",
        coalesce=True,
        max_instances=1,
    )
    bot.on_schedule_change = lambda channel: schedule_digest(bot, scheduler, channel)
    return scheduler
