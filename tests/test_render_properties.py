"""Property tests (issue 8): the pipeline and every renderer on arbitrary hostile text.

Arbitrary unicode plus the characters that break naive code (controls, RTL marks and
overrides, zero-width joiners, markup), 10k-character words and empty titles: no exception,
and the output is valid for its target (JSON parses, Slack and Discord within their limits).
"""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from digests import render_discord, render_slack
from digests.models import Article
from digests.pipeline import cluster_batch, make_digest
from digests.render import (
    UNSAFE_CHARS,
    digest_view,
    render_json,
    render_markdown,
    render_text,
)

NOW = datetime(2026, 3, 3, 12, 0, tzinfo=UTC)
NASTY = (
    "\x00\x07\x1b\x7f\x85\x9b\u200b\u200c\u200d\u2060\ufeff\u200e\u200f\u202a\u202b\u202c"
    "\u202d\u202e\u2066\u2067\u2068\u2069<>&|[]()*_~`#@!:/\\\"' \n\t\r"
)
PIECES = ["<!channel>", "@everyone", "<@&1>", "](https://evil.example)", "<script>", "\u202e"]

texts = st.one_of(
    st.text(max_size=200),
    st.text(alphabet=st.sampled_from(NASTY + "abc xyz"), max_size=200),
    st.lists(st.sampled_from(PIECES + ["word", " ", "."]), max_size=30).map("".join),
    st.integers(min_value=5_000, max_value=10_000).map(lambda n: "w" * n),  # one huge word
    st.just(""),
)
urls = st.one_of(
    st.none(),
    st.just("https://example.org/a"),
    texts.map(lambda t: "https://example.org/" + t[:100]),
    texts,
)


@st.composite
def articles(draw: st.DrawFn) -> list[Article]:
    count = draw(st.integers(min_value=1, max_value=4))
    made = []
    for i in range(count):
        made.append(
            Article(
                id=f"a{i}",
                title=draw(texts),
                text=draw(texts),
                source=draw(texts) or f"source{i}",
                url=draw(urls),
                published=NOW,
            )
        )
    return made


FAST = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def _slack_ok(messages: list[dict[str, object]]) -> None:
    for message in messages:
        blocks = message["blocks"]
        assert isinstance(blocks, list) and 0 < len(blocks) <= render_slack.MAX_BLOCKS
        assert isinstance(message["text"], str) and message["text"]
        for block in blocks:
            if "text" in block:
                limit = (
                    render_slack.MAX_HEADER_TEXT
                    if block["type"] == "header"
                    else render_slack.MAX_SECTION_TEXT
                )
                assert 0 < len(block["text"]["text"]) <= limit
        json.dumps(message)


def _discord_ok(messages: list[dict[str, object]]) -> None:
    for message in messages:
        content = message["content"]
        embeds = message.get("embeds", [])
        assert isinstance(content, str) and len(content) <= render_discord.CONTENT_MAX
        assert isinstance(embeds, list) and len(embeds) <= render_discord.EMBEDS_PER_MESSAGE
        total = len(content) + sum(render_discord.embed_length(e) for e in embeds)
        assert total <= render_discord.MESSAGE_TOTAL_MAX
        for embed in embeds:
            assert len(embed.get("title", "")) <= render_discord.TITLE_MAX
            assert len(embed.get("description", "")) <= render_discord.DESCRIPTION_MAX
            assert len(embed.get("fields", [])) <= render_discord.FIELDS_MAX
            for f in embed.get("fields", []):
                assert 0 < len(f["value"]) <= render_discord.FIELD_VALUE_MAX
                assert 0 < len(f["name"]) <= render_discord.FIELD_NAME_MAX
        json.dumps(message)


@FAST
@given(articles(), texts)
def test_pipeline_and_every_renderer_survive(batch: list[Article], title: str) -> None:
    stories = cluster_batch(batch).stories
    assert sorted(a.id for s in stories for a in s.articles) == sorted(a.id for a in batch)
    digest = make_digest(stories, title=title or "Digest", now=NOW)
    view = digest_view(digest)

    text = render_text(view)
    assert not UNSAFE_CHARS.search(text)
    assert len([ln for ln in text.splitlines() if re.match(r"\d+\. ", ln)]) == len(view.stories)

    markdown = render_markdown(view)
    assert not UNSAFE_CHARS.search(markdown)

    doc = json.loads(render_json(digest))
    assert len(doc["stories"]) == len(stories)

    _slack_ok(render_slack.render_digest_messages(view))
    _discord_ok(render_discord.render_digest_messages(view))
    for story in view.stories:
        _slack_ok([render_slack.render_reply(story.headline, story)])
        _discord_ok([render_discord.render_reply(story.headline, story)])


@FAST
@given(texts)
def test_replies_of_any_text_stay_valid(reply: str) -> None:
    _slack_ok([render_slack.render_reply(reply, None)])
    _discord_ok([render_discord.render_reply(reply, None)])
