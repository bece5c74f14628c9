"""The bot's use cases end to end, through the neutral command handler.

Reads like a chat transcript: `/digest ...` in, reply text out, against a real
SQLite store, a fake clock and a recording chat poster.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from bot.app import Bot
from bot.chat import DeliveryError, Message
from bot.commands import CommandRequest, Reply
from bot.settings import ChannelSettings, Settings, SourceSettings
from digests.render import DigestView, UpdateView, render_text
from digests.store import Store
from tests.conftest import FakeClock

FERRY_A = """\
Harbour council approves ferry line to Lunden Island

The Port Avelin harbour council voted 9 to 2 on Tuesday to approve a ferry line to Lunden
Island, council chair Mira Okonjo said. About 400 passengers a day are expected from March.
"""
FERRY_B = """\
PORT AVELIN, Nov. 24 (Coastline Wire) - Port Avelin's harbour council approved the Lunden
Island ferry line on Tuesday in a 9-2 vote, chair Mira Okonjo said. Up to 400 passengers a day
will travel on the ferry line to Lunden Island from March.
"""
FERRY_C = """\
Ferry to Lunden Island gets green light

Harbour council chair Mira Okonjo said the Lunden Island ferry line approved on Tuesday by the
Port Avelin harbour council would start in March with room for 400 passengers a day.
"""
MINE = """\
Copper mine in Brask valley closes after 80 years

The Brask valley copper mine will close in January after 80 years, owner Halden Metals said on
Monday, cutting 600 jobs in the town of Brask.
"""


@dataclass
class RecordingPoster:
    platform: str = "console"
    sent: list[tuple[str, Message, str | None]] = field(default_factory=list)
    fail_next: list[DeliveryError] = field(default_factory=list)

    def render_digest(self, view: DigestView) -> list[Message]:
        return [{"text": render_text(view), "numbers": [s.number for s in view.stories]}]

    def render_update(self, view: UpdateView) -> Message:
        return {"text": view.text}

    async def send(self, channel_id: str, message: Message, *, thread_of: str | None = None) -> str:
        if self.fail_next:
            raise self.fail_next.pop(0)
        self.sent.append((channel_id, message, thread_of))
        return f"m{len(self.sent)}"


def make_bot(tmp_path: Path, clock: FakeClock, poster: Any) -> Bot:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    settings = Settings(
        sources=[SourceSettings(name="inbox", path=str(inbox), poll="1m")],
        channels=[ChannelSettings(platform="console", id="stdout")],
    )
    store = Store.open(f"sqlite:///{tmp_path / 'bot.db'}")
    return Bot(settings, store, {"console": poster}, clock=clock)


async def say(bot: Bot, text: str, *, admin: bool = False) -> Reply:
    return await bot.commands.handle(
        CommandRequest("console", "stdout", "U1", text, can_manage=admin)
    )


@pytest.fixture
def poster() -> RecordingPoster:
    return RecordingPoster()


async def test_digest_then_update_then_nothing_twice(
    tmp_path: Path, clock: FakeClock, poster: RecordingPoster
) -> None:
    bot = make_bot(tmp_path, clock, poster)
    inbox = tmp_path / "inbox"
    (inbox / "ferry-a.txt").write_text(FERRY_A, encoding="utf-8")
    (inbox / "ferry-b.txt").write_text(FERRY_B, encoding="utf-8")
    (inbox / "mine.txt").write_text(MINE, encoding="utf-8")
    await bot.poll_all()

    reply = await say(bot, "now")
    assert reply.ok and "2 stories" in reply.text
    assert len(poster.sent) == 1
    text = poster.sent[0][1]["text"]
    assert "Lunden" in text and "Brask" in text

    # nothing new: nothing posted
    reply = await say(bot, "now")
    assert "No new stories" in reply.text
    assert len(poster.sent) == 1

    # a third outlet joins the posted ferry story -> one thread reply on the original message
    (inbox / "ferry-c.txt").write_text(FERRY_C, encoding="utf-8")
    await bot.poll_all()
    await say(bot, "now")
    assert len(poster.sent) == 2
    _, update, thread_of = poster.sent[1]
    assert thread_of == "m1"
    assert "+1 source" in update["text"]

    await say(bot, "now")
    assert len(poster.sent) == 2


async def test_follow_ups(tmp_path: Path, clock: FakeClock, poster: RecordingPoster) -> None:
    bot = make_bot(tmp_path, clock, poster)
    inbox = tmp_path / "inbox"
    (inbox / "ferry-a.txt").write_text(FERRY_A, encoding="utf-8")
    (inbox / "ferry-b.txt").write_text(FERRY_B, encoding="utf-8")
    (inbox / "mine.txt").write_text(MINE, encoding="utf-8")
    await bot.poll_all()
    await say(bot, "now")
    numbers = bot.store.digest_numbers("console:stdout")
    ferry_n = next(
        i
        for i, sid in enumerate(numbers, 1)
        if "Lunden" in bot.newsroom.story(sid).headline  # type: ignore[union-attr]
    )

    reply = await say(bot, f"story {ferry_n}")
    assert reply.story is not None and reply.story.facts
    reply = await say(bot, f"sources {ferry_n}")
    assert "Coastline Wire" in reply.text
    reply = await say(bot, f"ask {ferry_n} how many passengers a day?")
    assert "400" in reply.text
    reply = await say(bot, f"ask {ferry_n} what colour is the ferry's funnel?")
    assert "Not found in the sources" in reply.text
    reply = await say(bot, "story 99")
    assert not reply.ok and "no story 99" in reply.text
    reply = await say(bot, "story two")
    assert not reply.ok and "Usage" in reply.text
    reply = await say(bot, "search copper mine")
    assert "Brask" in reply.text
    reply = await say(bot, "why ferry-b")
    assert "stored" in reply.text and "Lunden" in reply.text
    reply = await say(bot, "why https://nowhere.example/x")
    assert "not among the stored articles" in reply.text
    reply = await say(bot, "frobnicate")
    assert not reply.ok and "Unknown command" in reply.text
    reply = await say(bot, "help")
    assert "/digest ask N QUESTION" in reply.text


async def test_setup_commands_need_rights_and_persist(
    tmp_path: Path, clock: FakeClock, poster: RecordingPoster
) -> None:
    bot = make_bot(tmp_path, clock, poster)
    for text in (
        "subscribe https://feeds.example/rss",
        "mute ferry",
        "schedule 0 9 * * *",
        "unsubscribe x",
    ):
        reply = await say(bot, text, admin=False)
        assert not reply.ok and "manage" in reply.text

    reply = await say(bot, "schedule '0 9 * * 1-5' Europe/Berlin", admin=True)
    assert reply.ok, reply.text
    assert bot.channel_schedule(bot.channel_refs()[0]) == ("0 9 * * 1-5", "Europe/Berlin")
    reply = await say(bot, "schedule 0 9 * * * Mars/Base", admin=True)
    assert not reply.ok and "Mars/Base" in reply.text
    reply = await say(bot, "schedule 'every day'", admin=True)
    assert not reply.ok and "cron" in reply.text

    reply = await say(bot, "subscribe ftp://feeds.example/rss", admin=True)
    assert not reply.ok
    reply = await say(bot, "subscribe https://feeds.example/rss", admin=True)
    assert reply.ok, reply.text
    feeds = await say(bot, "feeds")
    assert "feeds.example" in feeds.text and "inbox" in feeds.text
    name = next(s.name for s in bot.store.sources() if s.channel_key == "console:stdout")
    assert (await say(bot, f"unsubscribe {name}", admin=True)).ok
    assert not (await say(bot, f"unsubscribe {name}", admin=True)).ok

    inbox = tmp_path / "inbox"
    (inbox / "ferry-a.txt").write_text(FERRY_A, encoding="utf-8")
    (inbox / "mine.txt").write_text(MINE, encoding="utf-8")
    await bot.poll_all()
    assert (await say(bot, "mute copper", admin=True)).ok
    await say(bot, "now")
    text = poster.sent[0][1]["text"]
    assert "Lunden" in text and "Brask" not in text


async def test_failed_post_is_retried_not_lost_nor_doubled(
    tmp_path: Path, clock: FakeClock, poster: RecordingPoster
) -> None:
    bot = make_bot(tmp_path, clock, poster)
    (tmp_path / "inbox" / "mine.txt").write_text(MINE, encoding="utf-8")
    await bot.poll_all()
    poster.fail_next.append(DeliveryError("HTTP 503", retry_after=30))
    await say(bot, "now")
    assert poster.sent == []
    # too early: the outbox waits for the retry time
    await bot.delivery.flush(bot.channel_refs()[0])
    assert poster.sent == []
    clock.advance(minutes=2)
    await say(bot, "now")
    assert len(poster.sent) == 1
    await say(bot, "now")
    assert len(poster.sent) == 1


async def test_permanent_failure_is_reported_on_feeds(
    tmp_path: Path, clock: FakeClock, poster: RecordingPoster
) -> None:
    bot = make_bot(tmp_path, clock, poster)
    (tmp_path / "inbox" / "mine.txt").write_text(MINE, encoding="utf-8")
    await bot.poll_all()
    poster.fail_next.append(DeliveryError("channel_not_found", permanent=True))
    await say(bot, "now")
    feeds = await say(bot, "feeds")
    assert "channel_not_found" in feeds.text


async def test_broken_source_is_recorded_and_others_continue(
    tmp_path: Path, clock: FakeClock, poster: RecordingPoster
) -> None:
    bot = make_bot(tmp_path, clock, poster)
    from digests.models import Subscription

    bot.store.upsert_source(Subscription(name="gone", path=str(tmp_path / "missing-dir")))
    (tmp_path / "inbox" / "mine.txt").write_text(MINE, encoding="utf-8")
    outcomes = {o.source: o for o in await bot.poll_all()}
    assert outcomes["inbox"].stored == 1
    assert outcomes["gone"].error
    state = bot.store.feed_state("gone")
    assert state.consecutive_failures == 1 and state.last_error


async def test_subscribe_refuses_private_literals_and_unwraps_slack_links(
    tmp_path: Path, clock: FakeClock, poster: RecordingPoster
) -> None:
    bot = make_bot(tmp_path, clock, poster)
    for url in (
        "http://127.0.0.1/feed",
        "http://2130706433/",
        "http://[::1]/",
        "http://169.254.169.254/latest",
        "http://localhost:8080/",
    ):
        reply = await say(bot, f"subscribe {url}", admin=True)
        assert not reply.ok and "Cannot subscribe" in reply.text, url
    reply = await say(
        bot, "subscribe <https://feeds.example/news.xml|feeds.example/news.xml>", admin=True
    )
    assert reply.ok, reply.text
    [sub] = [s for s in bot.store.sources() if s.channel_key == "console:stdout"]
    assert sub.url == "https://feeds.example/news.xml"


async def test_autocomplete_suggestions_and_share(
    tmp_path: Path, clock: FakeClock, poster: RecordingPoster
) -> None:
    bot = make_bot(tmp_path, clock, poster)
    inbox = tmp_path / "inbox"
    (inbox / "ferry-a.txt").write_text(FERRY_A, encoding="utf-8")
    (inbox / "mine.txt").write_text(MINE, encoding="utf-8")
    await bot.poll_all()
    await say(bot, "now")
    channel = bot.channel_refs()[0]
    stories = bot.commands.suggest(channel, "story", "")
    assert [value for _, value in stories] == ["1", "2"]
    assert any("Lunden" in label for label, _ in stories)
    assert bot.commands.suggest(channel, "story", "copper") == [
        (label, value) for label, value in stories if "copper" in label.lower()
    ]
    assert bot.commands.suggest(channel, "source", "in") == [("inbox", "inbox")]
    assert bot.commands.suggest(channel, "colour", "") == []

    private = await say(bot, "sources 1")
    shared = await say(bot, "sources 1 share")
    assert private.ephemeral and not shared.ephemeral and shared.text == private.text
    # The last word "share" shares, for `ask` as for the rest; a question about market
    # share ends in "?" (its last word is then "share?").
    question = await say(bot, "ask 1 what is the market share?")
    assert question.ephemeral


async def test_breaking_rule_posts_a_story_at_once(
    tmp_path: Path, clock: FakeClock, poster: RecordingPoster
) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    settings = Settings(
        sources=[SourceSettings(name="inbox", path=str(inbox), poll="1m")],
        channels=[
            ChannelSettings(
                platform="console", id="stdout", breaking_sources=3, breaking_minutes=30
            )
        ],
    )
    store = Store.open(f"sqlite:///{tmp_path / 'b.db'}")
    bot = Bot(settings, store, {"console": poster}, clock=clock)
    (inbox / "ferry-a.txt").write_text(FERRY_A, encoding="utf-8")
    (inbox / "ferry-b.txt").write_text(FERRY_B, encoding="utf-8")
    (inbox / "mine.txt").write_text(MINE, encoding="utf-8")
    await bot.poll_all()
    assert poster.sent == []  # two sources is not yet breaking
    clock.advance(minutes=10)
    (inbox / "ferry-c.txt").write_text(FERRY_C, encoding="utf-8")
    await bot.poll_all()
    [(_, message, _)] = poster.sent
    assert "Breaking" in message["text"] and "Lunden" in message["text"]
    assert "Brask" not in message["text"]
    await bot.poll_all()
    assert len(poster.sent) == 1  # posted once
    reply = await say(bot, "now")  # the scheduled digest brings the rest
    assert "1 story" in reply.text
    assert "Brask" in poster.sent[-1][1]["text"]


async def test_breaking_rule_is_off_by_default(
    tmp_path: Path, clock: FakeClock, poster: RecordingPoster
) -> None:
    bot = make_bot(tmp_path, clock, poster)
    inbox = tmp_path / "inbox"
    for name, text in (("a", FERRY_A), ("b", FERRY_B), ("c", FERRY_C)):
        (inbox / f"ferry-{name}.txt").write_text(text, encoding="utf-8")
    await bot.poll_all()
    assert poster.sent == []


async def _posted_ferry_and_mine(bot: Bot, tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    (inbox / "ferry-a.txt").write_text(FERRY_A, encoding="utf-8")
    (inbox / "mine.txt").write_text(MINE, encoding="utf-8")
    await bot.poll_all()
    await say(bot, "now")


async def test_chat_text_is_split_on_whitespace_not_shell_parsed(
    tmp_path: Path, clock: FakeClock, poster: RecordingPoster, monkeypatch: pytest.MonkeyPatch
) -> None:
    bot = make_bot(tmp_path, clock, poster)
    await _posted_ferry_and_mine(bot, tmp_path)
    asked: list[str] = []
    monkeypatch.setattr(bot, "ask", lambda story, question: asked.append(question) or [])
    looked_up: list[str] = []
    monkeypatch.setattr(bot, "why", lambda url: looked_up.append(url) or "ok")

    await say(bot, "ask 1 what's the ferry's top speed?")
    await say(bot, 'ask 1 is it "fast"?')
    assert asked == ["what's the ferry's top speed?", 'is it "fast"?']
    for text in ("why 'https://news.example/x", 'why "https://news.example/x"'):
        assert (await say(bot, text)).ok
    assert looked_up == ["https://news.example/x"] * 2
    # a quoted single word still means the word
    assert (await say(bot, 'mute "copper"', admin=True)).ok
    assert "copper" in bot.store.channel_settings("console:stdout").muted
    assert (await say(bot, "unmute 'copper'", admin=True)).ok
    assert not (await say(bot, 'mute ""', admin=True)).ok


async def test_schedule_keeps_quoted_cron_and_names_the_wrong_field(
    tmp_path: Path, clock: FakeClock, poster: RecordingPoster
) -> None:
    bot = make_bot(tmp_path, clock, poster)
    channel = bot.channel_refs()[0]
    for text, expected in (
        ('schedule "0 7 * * *"', ("0 7 * * *", "UTC")),
        ("schedule “0 9 * * 1-5” Europe/Berlin", ("0 9 * * 1-5", "Europe/Berlin")),
        ("schedule 30 6 * * * Europe/Paris", ("30 6 * * *", "Europe/Paris")),
    ):
        reply = await say(bot, text, admin=True)
        assert reply.ok, reply.text
        assert bot.channel_schedule(channel) == expected

    reply = await say(bot, "schedule 99 99 * * *", admin=True)
    assert not reply.ok
    assert "minute '99' is out of range (allowed 0-59)" in reply.text
    assert "hour '99' is out of range (allowed 0-23)" in reply.text
    assert "Error validating" not in reply.text and "maximum value" not in reply.text
    reply = await say(bot, "schedule 0 8 * 13 *", admin=True)
    assert not reply.ok and "month '13' is out of range (allowed 1-12" in reply.text
    reply = await say(bot, "schedule 0 8 * * * Europe/Berlin extra", admin=True)
    assert not reply.ok and "Usage" in reply.text


async def test_story_numbers_are_ascii_digits_only(
    tmp_path: Path, clock: FakeClock, poster: RecordingPoster
) -> None:
    bot = make_bot(tmp_path, clock, poster)
    await _posted_ferry_and_mine(bot, tmp_path)
    for text in ("story ²", "story ١", "sources ½", "ask ١ how many passengers?"):
        reply = await say(bot, text)
        assert not reply.ok and reply.text.startswith("Usage: /digest"), (text, reply.text)
    assert (await say(bot, "story 1")).ok


async def test_share_is_the_last_word_for_ask_too(
    tmp_path: Path, clock: FakeClock, poster: RecordingPoster
) -> None:
    bot = make_bot(tmp_path, clock, poster)
    await _posted_ferry_and_mine(bot, tmp_path)
    ferry = next(
        n
        for n, headline in enumerate(bot.digest_headlines(bot.channel_refs()[0]), 1)
        if "Lunden" in headline
    )
    reply = await say(bot, f"ask {ferry} share")
    assert not reply.ok and reply.text == "Usage: /digest ask N QUESTION"
    for question in ("how many passengers a day? share", "how many passengers a day share"):
        reply = await say(bot, f"ask {ferry} {question}")
        assert reply.ok and not reply.ephemeral and "400" in reply.text, question


async def test_help_lists_unmute(tmp_path: Path, clock: FakeClock, poster: RecordingPoster) -> None:
    bot = make_bot(tmp_path, clock, poster)
    assert "/digest unmute WORD" in (await say(bot, "help")).text


async def test_subscribe_says_when_the_text_is_not_a_url(
    tmp_path: Path, clock: FakeClock, poster: RecordingPoster
) -> None:
    bot = make_bot(tmp_path, clock, poster)
    for text in ("not-a-url", "feeds.example/rss"):
        reply = await say(bot, f"subscribe {text}", admin=True)
        assert not reply.ok and "is not a URL" in reply.text and "http/https" not in reply.text
    reply = await say(bot, "subscribe ftp://feeds.example/rss", admin=True)
    assert not reply.ok and "not http/https" in reply.text


async def test_why_finds_an_article_by_any_spelling_of_its_url(
    tmp_path: Path, clock: FakeClock, poster: RecordingPoster
) -> None:
    import json

    bot = make_bot(tmp_path, clock, poster)
    record = {
        "id": "ferry-web",
        "title": "Harbour council approves ferry line to Lunden Island",
        "text": FERRY_A,
        "source": "Avelin Post",
        "url": "https://avelin-post.example/news/ferry-line?utm_source=rss",
    }
    (tmp_path / "inbox" / "ferry.json").write_text(json.dumps(record), encoding="utf-8")
    await bot.poll_all()
    for url in (
        "https://avelin-post.example/news/ferry-line",
        "https://avelin-post.example/news/ferry-line/",
        "https://AVELIN-POST.example/news/ferry-line",
        "https://avelin-post.example/news/ferry-line?utm_source=x",
        "<https://avelin-post.example/news/ferry-line/|avelin-post.example>",
    ):
        reply = await say(bot, f"why {url}")
        assert "is stored" in reply.text and "Avelin Post" in reply.text, (url, reply.text)
    reply = await say(bot, "why https://avelin-post.example/news/other")
    assert "not among the stored articles" in reply.text
