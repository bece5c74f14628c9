"""Block Kit rendering: Slack's limits hold for any digest, and article text
can never become a ping, a mention or a spoofed link."""

from __future__ import annotations

import json
import re
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from digests.render import DigestView, LinkView, StoryView, UpdateView
from digests.render_slack import (
    MAX_BLOCKS,
    MAX_BUTTON_TEXT,
    MAX_HEADER_TEXT,
    MAX_SECTION_TEXT,
    escape_mrkdwn,
    render_digest_messages,
    render_reply,
    render_update_message,
    safe_url,
)

HOSTILE = [
    "<!channel> URGENT",
    "<!here> look",
    "<!everyone>",
    "<@U123> you",
    "<#C123|general>",
    "<!subteam^S1|team>",
    "Fish & Chips <b>",
    "[https://bank.example](https://evil.example)",
    "<https://evil.example|https://bank.example>",
    "@channel @here @everyone",
]
ACTIVE = re.compile(r"<[!@#]|\]\s*\(|(?<!\u2060)@(channel|here|everyone)\b|<https://evil")


def story(number: int, *, facts: int = 3, fact_len: int = 40, text: str = "") -> StoryView:
    return StoryView(
        number=number,
        story_id=f"s{number}",
        headline=f"{text}Headline {number}",
        url=f"https://news.example/{number}",
        facts=tuple(f"{text}Fact {i} " + "x" * fact_len for i in range(facts)),
        more_facts=0,
        sources=(
            LinkView(f"{text}Outlet A", "https://a.example/x"),
            LinkView("Outlet B", "javascript:alert(1)"),
            LinkView("Outlet C", None),
        ),
        more_sources=2,
        disagreements=(f"{text}A says 3, B says 4",),
    )


def digest(stories: list[StoryView], title: str = "Morning digest") -> DigestView:
    return DigestView(
        title=title, generated_at=datetime(2026, 1, 1, tzinfo=UTC), stories=tuple(stories)
    )


def texts(message: dict[str, Any]) -> list[str]:
    """Every string Slack would parse or show."""
    found: list[str] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                if key in ("text", "value") and isinstance(value, str):
                    found.append(value)
                walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(message)
    return found


def assert_within_limits(message: dict[str, Any]) -> None:
    assert isinstance(message["text"], str) and message["text"].strip()
    blocks = message["blocks"]
    assert 1 <= len(blocks) <= MAX_BLOCKS
    total = len(message["text"])
    for block in blocks:
        if block["type"] == "section":
            assert len(block["text"]["text"]) <= MAX_SECTION_TEXT
            total += len(block["text"]["text"])
        if block["type"] == "header":
            assert block["text"]["type"] == "plain_text"
            assert len(block["text"]["text"]) <= MAX_HEADER_TEXT
        for element in block.get("elements", ()):
            assert len(element["text"]["text"]) <= MAX_BUTTON_TEXT
    assert total < 10_000
    assert len(json.dumps(message)) < 40_000


def test_escape_basic() -> None:
    assert escape_mrkdwn("a & b < c > d") == "a &amp; b &lt; c &gt; d"
    assert escape_mrkdwn("<!channel> URGENT") == "&lt;!channel&gt; URGENT"
    assert "](" not in escape_mrkdwn("[https://bank.example](https://evil.example)")
    assert escape_mrkdwn("&lt;!here&gt;") == "&amp;lt;!here&amp;gt;"


@given(st.text())
def test_escape_never_leaves_markup(text: str) -> None:
    out = escape_mrkdwn(text)
    assert "<" not in out and ">" not in out
    assert not re.search(r"&(?!amp;|lt;|gt;)", out)
    assert not re.search(r"\]\s*\(", out)


def test_digest_story_layout() -> None:
    [message] = render_digest_messages(digest([story(1)]))
    assert_within_limits(message)
    header, section, actions = message["blocks"]
    assert header["type"] == "header" and header["text"]["text"] == "Morning digest"
    body = section["text"]["text"]
    assert body.startswith("*1. <https://news.example/1|Headline 1>*")
    assert "• Fact 0" in body
    assert "⚠ Sources differ: A says 3, B says 4" in body
    assert "5 sources:" in body and "<https://a.example/x|Outlet A>" in body
    assert "javascript:" not in body and "Outlet B" in body and "and 2 more" in body
    buttons = actions["elements"]
    assert [(b["text"]["text"], b["action_id"], b["value"]) for b in buttons] == [
        ("Sources", "digest_sources", "1"),
        ("More facts", "digest_story", "1"),
    ]
    assert "Headline 1" in message["text"]


def test_hostile_corpus_is_inert_everywhere() -> None:
    stories = [story(i + 1, text=h + " ") for i, h in enumerate(HOSTILE)]
    stories.append(
        StoryView(
            number=99,
            story_id="evil",
            headline="<!channel> URGENT",
            url="https://ok.example/a|<!here>",
            facts=tuple(HOSTILE),
            more_facts=0,
            sources=tuple(LinkView(h, "https://x.example/>|<!channel>") for h in HOSTILE),
            more_sources=0,
            disagreements=tuple(HOSTILE),
        )
    )
    messages = render_digest_messages(digest(stories, title="<!channel> digest & news"))
    messages.append(
        render_update_message(
            UpdateView("evil", "<!here>", tuple(LinkView(h, None) for h in HOSTILE), tuple(HOSTILE))
        )
    )
    messages.append(render_reply("\n".join(HOSTILE), None))
    messages.append(render_reply("x", stories[-1]))
    for message in messages:
        assert_within_limits(message)
        for text in texts(message):
            assert not ACTIVE.search(text), text
            # the only angle brackets left are our own validated links
            for inner in re.findall(r"<([^>]*)>", text):
                assert inner.startswith(("https://", "http://")), inner
                url, _, label = inner.partition("|")
                assert "<" not in label and "!" not in url.split("/")[2]


def test_headline_ping_shows_as_text() -> None:
    [message] = render_digest_messages(digest([story(1, text="<!channel> URGENT ")]))
    assert "&lt;!channel&gt; URGENT" in message["blocks"][1]["text"]["text"]
    assert "&lt;!channel&gt; URGENT" in message["text"]


def test_safe_url() -> None:
    assert safe_url("https://a.example/x?q=1|2") == "https://a.example/x?q=1%7C2"
    assert safe_url("https://a.example/>x") == "https://a.example/%3Ex"
    for bad in ("javascript:alert(1)", "ftp://a.example", "https://", "http://a b", None, ""):
        assert safe_url(bad) is None


def test_huge_digest_is_split_within_limits() -> None:
    stories = [story(n, facts=30, fact_len=900, text="Fish & chips <b> ") for n in range(1, 121)]
    messages = render_digest_messages(digest(stories, title="T" * 400))
    assert len(messages) > 1
    seen: list[str] = []
    for index, message in enumerate(messages, start=1):
        assert_within_limits(message)
        header = message["blocks"][0]["text"]["text"]
        assert header.endswith(f"({index}/{len(messages)})")
        for block in message["blocks"]:
            if block["type"] == "actions":
                seen.append(block["elements"][0]["value"])
    assert seen == [str(n) for n in range(1, 121)]  # every story, once, in order


def test_many_small_stories_respect_block_limit() -> None:
    messages = render_digest_messages(digest([story(n, facts=0) for n in range(1, 60)]))
    assert len(messages) >= 2
    for message in messages:
        assert_within_limits(message)


def test_long_facts_are_dropped_and_counted() -> None:
    [message] = render_digest_messages(digest([story(1, facts=40, fact_len=2000)]))
    body = message["blocks"][1]["text"]["text"]
    assert len(body) <= MAX_SECTION_TEXT
    assert re.search(r"_\+\d+ more facts_", body)
    assert "5 sources:" in body


def test_empty_digest() -> None:
    [message] = render_digest_messages(digest([]))
    assert_within_limits(message)
    assert "No new stories" in message["blocks"][1]["text"]["text"]


def test_update_message() -> None:
    view = UpdateView(
        "s1",
        "Headline",
        (LinkView("Outlet D", "https://d.example"), LinkView("E & F")),
        ("New fact",),
    )
    message = render_update_message(view)
    assert_within_limits(message)
    body = message["blocks"][0]["text"]["text"]
    assert body.startswith("*+2 sources:* <https://d.example|Outlet D>, E &amp; F")
    assert "• New fact" in body
    assert message["text"] == "+2 sources: Outlet D, E &amp; F; new: New fact"


def test_reply_with_story_detail_is_bounded() -> None:
    big = story(3, facts=200, fact_len=500)
    message = render_reply("3. Headline 3", big)
    assert_within_limits(message)
    assert message["blocks"][0]["text"]["text"].startswith("*3. <https://news.example/3|")


def test_plain_reply_keeps_lines() -> None:
    message = render_reply("Sources for 1:\n• A — <title> https://a.example", None)
    assert message["blocks"][0]["text"]["text"] == (
        "Sources for 1:\n• A — &lt;title&gt; https://a.example"
    )


def test_manifest_declares_command_scopes_and_interactivity() -> None:
    """Text checks (PyYAML is not a dependency); the structure is parsed when it is installed."""
    text = (Path(__file__).parent.parent / "config" / "slack-manifest.yml").read_text()
    assert "- command: /digest" in text and "usage_hint:" in text
    for scope in ("commands", "chat:write", "chat:write.public", "users:read"):
        assert re.search(rf"^\s*- {re.escape(scope)}\s", text, re.MULTILINE), scope
    assert "is_enabled: true" in text and "socket_mode_enabled:" in text
    try:
        import yaml
    except ImportError:
        return
    manifest = yaml.safe_load(text)
    assert manifest["features"]["slash_commands"][0]["command"] == "/digest"
    assert manifest["settings"]["interactivity"]["is_enabled"] is True


def test_disagreements_left_for_story_detail_are_counted() -> None:
    view = replace(story(1), disagreements=("A 3 vs B 4", "C 5 vs D 6"), more_disagreements=3)
    shown = " ".join(texts(render_digest_messages(digest([view]))[0]))
    assert "+3 more disagreements" in shown
