"""Discord payloads: hostile article text stays inert, every payload fits Discord's limits."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from digests.render import DigestView, LinkView, StoryView, UpdateView
from digests.render_discord import (
    CONTENT_MAX,
    DESCRIPTION_MAX,
    EMBEDS_PER_MESSAGE,
    FIELD_NAME_MAX,
    FIELD_VALUE_MAX,
    FIELDS_MAX,
    MESSAGE_TOTAL_MAX,
    TITLE_MAX,
    embed_length,
    neutralise_mentions,
    render_digest_messages,
    render_reply,
    render_update_message,
)

WHEN = datetime(2026, 6, 30, 8, 15, tzinfo=UTC)

HOSTILE = [
    "@everyone the market crashed",
    "ping @here now",
    "@Everyone and @HERE in capitals",
    "user <@123> and nick <@!124> said",
    "role <@&456> alert",
    "see channel <#789>",
    "click [https://bank.example](https://evil.example) to log in",
    "[Reuters](https://evil.example/phish)",
    "timestamp <t:1700000000:R> and emoji <:pepe:42> and </digest now:1>",
    "**bold** __under__ ~~strike~~ ||spoiler|| `code` ```block```",
    "# Heading\n> quote\n- list item\n1. numbered\n-# subtext",
    "escape trick \\<@123> and \\[a](https://evil.example)",
    "plain https://example.org/a_b?c=1 link",
]

ACTIVE = re.compile(r"@(everyone|here)|<@[!&]?\d+>|<#\d+>|<t:|<:|</", re.IGNORECASE)


def _unescaped(text: str) -> str:
    """The text with every backslash-escaped character removed: what Markdown would parse."""
    return re.sub(r"\\.", "", text, flags=re.DOTALL)


def assert_no_pings_or_spoofs(text: str) -> None:
    assert not ACTIVE.search(text), text
    assert "](https://evil" not in _unescaped(text), f"masked link in {text!r}"


def assert_inert(text: str) -> None:
    """Nothing Markdown would act on: no pings, no links, no formatting."""
    assert_no_pings_or_spoofs(text)
    bare = _unescaped(text)
    assert not re.search(r"\[[^\]]*\]\(", bare), f"masked link in {text!r}"
    for marker in ("||", "**", "~~", "`"):
        assert marker not in bare, f"{marker} active in {text!r}"


def strings(payload: Any) -> list[str]:
    if isinstance(payload, str):
        return [payload]
    if isinstance(payload, dict):
        return [s for v in payload.values() for s in strings(v)]
    if isinstance(payload, list | tuple):
        return [s for v in payload for s in strings(v)]
    return []


def story(number: int = 1, text: str = "Fact", **changes: Any) -> StoryView:
    values: dict[str, Any] = {
        "number": number,
        "story_id": f"s{number}",
        "headline": f"Headline {text}",
        "url": "https://example.org/story",
        "facts": (f"{text} one", f"{text} two"),
        "more_facts": 0,
        "sources": (LinkView(f"Outlet {text}", "https://example.org/a"), LinkView("Wire", None)),
        "more_sources": 0,
        "disagreements": (f"Outlets differ: {text}",),
        "published": WHEN,
    }
    values.update(changes)
    return StoryView(**values)


def check_limits(message: dict[str, Any]) -> None:
    assert len(message["content"]) <= CONTENT_MAX
    assert len(message["embeds"]) <= EMBEDS_PER_MESSAGE
    total = len(message["content"]) + sum(embed_length(e) for e in message["embeds"])
    assert total <= MESSAGE_TOTAL_MAX
    for embed in message["embeds"]:
        assert len(embed.get("title", "")) <= TITLE_MAX
        assert len(embed.get("description", "")) <= DESCRIPTION_MAX
        assert len(embed.get("fields", [])) <= FIELDS_MAX
        for f in embed.get("fields", []):
            assert 0 < len(f["value"]) <= FIELD_VALUE_MAX
            assert len(f["name"]) <= FIELD_NAME_MAX
    for row in message.get("components", []):
        assert len(row["components"]) <= 5
    assert len(message.get("components", [])) <= 5


def test_hostile_corpus_is_inert_everywhere() -> None:
    for text in HOSTILE:
        view = story(
            1,
            text,
            headline=text,
            sources=(LinkView(text, "https://example.org/x"), LinkView(text, None)),
        )
        digest = DigestView(text, WHEN, (view,))
        payloads: list[Any] = [
            render_digest_messages(digest),
            render_update_message(UpdateView("s1", text, (LinkView(text, None),), (text,))),
            render_reply(text, view),
            render_reply(text * 200, None),
        ]
        for payload in payloads:
            for s in strings(payload):
                assert_no_pings_or_spoofs(s)


def test_masked_link_spoof_is_plain_text() -> None:
    out = neutralise_mentions("[https://bank.example](https://evil.example)")
    assert out == r"\[https://bank.example\]\(https://evil.example\)"


def test_mentions_get_a_zero_width_space() -> None:
    assert neutralise_mentions("@everyone <@123>") == "@\u200beveryone <\u200b@123\\>"


def test_bare_links_survive_escaping() -> None:
    assert "https://example.org/a_b?c=1" in neutralise_mentions("see https://example.org/a_b?c=1")


def test_source_label_cannot_pose_as_another_address() -> None:
    view = story(sources=(LinkView("https://bank.example", "https://evil.example"),))
    value = render_digest_messages(DigestView("D", WHEN, (view,)))[0]["embeds"][0]["fields"][0]
    assert "](https://evil.example)" not in value["value"]
    assert "https://evil.example" in value["value"]  # the real target is shown


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.one_of(st.sampled_from(HOSTILE), st.text(alphabet="@<>#&![]()*_~`|\\:/ aehrvyno1"))
    ).map("".join)
)
def test_neutralise_mentions_property(text: str) -> None:
    assert_inert(neutralise_mentions(text))


def test_story_embed_shape() -> None:
    [message] = render_digest_messages(DigestView("Morning", WHEN, (story(2),)))
    [embed] = message["embeds"]
    assert embed["title"] == "2. Headline Fact"
    assert embed["url"] == "https://example.org/story"
    assert "Fact one" in embed["description"]
    assert embed["fields"][0]["name"] == "2 sources"
    assert "[Outlet Fact](https://example.org/a)" in embed["fields"][0]["value"]
    assert embed["fields"][1]["name"] == "Sources differ"
    assert "30 Jun 2026" in embed["footer"]["text"]
    ids = [b["custom_id"] for row in message["components"] for b in row["components"]]
    assert ids == ["newsdigest:sources:2", "newsdigest:story:2"]


def test_only_http_links() -> None:
    view = story(url="javascript:alert(1)", sources=(LinkView("X", "ftp://x"),))
    [message] = render_digest_messages(DigestView("D", WHEN, (view,)))
    assert "url" not in message["embeds"][0]
    assert "ftp://" not in message["embeds"][0]["fields"][0]["value"]


def test_empty_digest() -> None:
    [message] = render_digest_messages(DigestView("D", WHEN, ()))
    assert "No new stories" in message["content"] and message["embeds"] == []


def test_huge_digest_pages_within_limits() -> None:
    long = "x" * 5000
    stories = tuple(
        story(
            n,
            "word " * 50,
            headline=long,
            facts=tuple(f"fact {i} " + "y" * 900 for i in range(8)),
            sources=tuple(LinkView(f"Outlet {i}", f"https://example.org/{i}") for i in range(60)),
            more_sources=40,
            disagreements=tuple("d" * 700 for _ in range(40)),
        )
        for n in range(1, 24)
    )
    messages = render_digest_messages(DigestView(long, WHEN, stories))
    assert len(messages) > 2
    for message in messages:
        check_limits(message)
    numbers = [e["title"].split(".")[0] for m in messages for e in m["embeds"]]
    assert numbers == [str(n) for n in range(1, 24)]
    first = messages[0]["embeds"][0]
    assert first["fields"][0]["value"].endswith("more")  # sources cut with a count, not mid-link


def test_many_small_stories_page_by_embed_count() -> None:
    messages = render_digest_messages(DigestView("D", WHEN, tuple(story(n) for n in range(1, 26))))
    assert [len(m["embeds"]) for m in messages] == [10, 10, 5]
    for message in messages:
        check_limits(message)


def test_reply_with_story_and_long_text() -> None:
    reply = render_reply("2. Headline", story(2, more_facts=3))
    assert reply["content"] == "2\\. Headline"  # not a Markdown numbered list
    assert "/digest story 2" in reply["embeds"][0]["description"]
    long = render_reply("line\n" * 1000, None)
    assert long["content"] == "" and len(long["embeds"][0]["description"]) <= DESCRIPTION_MAX


def test_update_message() -> None:
    message = render_update_message(
        UpdateView("s1", "Summit", (LinkView("AP", "https://ap.example/x"),), ("Held in Seoul",))
    )
    assert "+1 source: [AP](https://ap.example/x)" in message["content"]
    assert "Held in Seoul" in message["content"]


def test_disagreements_left_for_story_detail_point_to_it() -> None:
    view = story(4, disagreements=("A 3 vs B 4",), more_disagreements=2)
    shown = " ".join(strings(render_digest_messages(DigestView("D", WHEN, (view,)))[0]))
    assert "+2 more: /digest story 4" in shown
