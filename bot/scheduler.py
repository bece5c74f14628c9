"""APScheduler jobs: poll each source on its interval, post each channel's digest on its cron.

Feeds sharing an interval get jitter so they are spread over it, not fired together;
digest jobs are coalesced with a grace time, so a missed run posts once, never twice.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

from digests.models import ChannelRef

if TYPE_CHECKING:
    from bot.app import Bot

log = logging.getLogger(__name__)

DIGEST_GRACE_SECONDS = 3600


async def poll_source_job(bot: Bot, name: str) -> None:
    for sub in bot.store.sources():
        if sub.name == name:
            if not bot.store.feed_state(name).paused:
                await bot.poll(sub)
            return
    log.info("source %s is gone; its poll job stops", name)


async def digest_job(bot: Bot, platform: str, channel_id: str) -> None:
    channel = ChannelRef(platform, channel_id)
    try:
        await bot.post_digest(channel)
    except Exception:
        log.exception("digest for %s failed", channel.key)


async def sources_sync_job(bot: Bot, scheduler: AsyncIOScheduler) -> None:
    """Sources added from chat get their poll job without a restart."""
    sync_jobs(bot, scheduler)


def _poll_trigger(seconds: int) -> IntervalTrigger:
    return IntervalTrigger(seconds=seconds, jitter=max(1, seconds // 10))


def sync_jobs(bot: Bot, scheduler: AsyncIOScheduler) -> None:
    wanted_polls = {}
    for sub in bot.store.sources():
        wanted_polls[f"poll:{sub.name}"] = sub
    for job in scheduler.get_jobs():
        if job.id.startswith("poll:") and job.id not in wanted_polls:
            job.remove()
    for job_id, sub in wanted_polls.items():
        if scheduler.get_job(job_id) is None:
            scheduler.add_job(
                poll_source_job,
                _poll_trigger(sub.poll_seconds),
                args=(bot, sub.name),
                id=job_id,
                coalesce=True,
                max_instances=1,
                misfire_grace_time=sub.poll_seconds,
            )
    for channel in bot.channel_refs():
        schedule_digest(bot, scheduler, channel)


def schedule_digest(bot: Bot, scheduler: AsyncIOScheduler, channel: ChannelRef) -> None:
    cron, tz = bot.channel_schedule(channel)
    job_id = f"digest:{channel.key}"
    trigger = CronTrigger.from_crontab(cron, timezone=tz)
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
