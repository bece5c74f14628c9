"""Neutral views -> Slack Block Kit message dicts (pure; no Slack SDK here).

Everything that comes from an article is escaped before it reaches mrkdwn, so a
headline like ``<!channel> URGENT`` shows as text and pings nobody, and
``[https://bank.example](https://evil.example)`` cannot pose as a link. Every
message stays inside Slack's documented limits (blocks, section and header
lengths), splitting a long digest into several messages rather than letting
Slack reject it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Any
from urllib.parse import urlsplit

from digests.render import DigestView, LinkView, StoryView, UpdateView, poses_as_other_address

Message = dict[str, Any]

MAX_BLOCKS = 50
MAX_SECTION_TEXT = 3000
MAX_HEADER_TEXT = 150
MAX_BUTTON_TEXT = 75
# Slack truncates or rejects messages with very long text; stay well below ~10k.
MESSAGE_TEXT_BUDGET = 7000
FALLBACK_TEXT_LIMIT = 1000

# Caps per piece, so one long fact cannot crowd a whole story out of its section.
HEADLINE_LIMIT = 400
FACT_LIMIT = 600
DISAGREEMENT_LIMIT = 300
DISAGREEMENTS_SHOWN = 2
SOURCE_LABEL_LIMIT = 80
SOURCES_LINE_LIMIT = 900
URL_LIMIT = 500

SOURCES_ACTION = "digest_sources"
STORY_ACTION = "digest_story"

_ELLIPSIS = "…"
_ESCAPES = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}
_SPECIAL = re.compile(r"[&<>]")
# `[label](url)` would render as a spoofed link in clients that read Markdown;
# a word joiner between `]` and `(` keeps the text readable but inert.
_MD_LINK = re.compile(r"\]\s*\(")
# Bare @channel/@here/@everyone may be auto-parsed into broadcasts.
_BROADCAST = re.compile(r"@(?=(channel|here|everyone)\b)", re.IGNORECASE)
_WORD_JOINER = "\u2060"
# Control characters (C0 and C1) and bidi overrides/isolates, which reorder displayed text.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def escape_mrkdwn(text: str) -> str:
    """Make arbitrary text inert in Slack mrkdwn: no mentions, no links, no pings."""
    text = _CONTROL.sub("", text)
    text = _SPECIAL.sub(lambda m: _ESCAPES[m.group(0)], text)
    text = _MD_LINK.sub(lambda m: "]" + _WORD_JOINER + m.group(0)[1:], text)
    return _BROADCAST.sub("@" + _WORD_JOINER, text)


def _escaped_fit(text: str, limit: int, *, one_line: bool = True) -> str:
    """Escape, then shorten so the escaped result fits `limit` (never cuts an entity)."""
    if one_line:
        text = " ".join(text.split())
    escaped = escape_mrkdwn(text)
    if len(escaped) <= limit:
        return escaped
    cut, used = 0, 0
    for char in text:  # estimate the cut in one pass, then correct for joiners
        used += len(_ESCAPES.get(char, char))
        if used > limit - 1:
            break
        cut += 1
    while cut > 0:
        out = escape_mrkdwn(text[:cut].rstrip())
        if len(out) + 1 <= limit:
            return out + _ELLIPSIS
        cut -= max(1, len(out) + 1 - limit)
    return _ELLIPSIS


def plain_text(text: str, limit: int) -> str:
    """Text for `plain_text` objects: never markup, angle brackets made harmless."""
    text = " ".join(_CONTROL.sub("", text).split())
    text = text.replace("<", "‹").replace(">", "›")
    return text if len(text) <= limit else text[: limit - 1].rstrip() + _ELLIPSIS


def safe_url(url: str | None) -> str | None:
    """An http(s) URL that cannot break out of `<url|label>`, or None."""
    if not url:
        return None
    url = url.strip()
    if len(url) > URL_LIMIT or _CONTROL.search(url) or any(c.isspace() for c in url):
        return None
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    return url.replace("|", "%7C").replace("<", "%3C").replace(">", "%3E")


def link(label: str, url: str | None, limit: int) -> str:
    """`<url|label>` when the URL is safe, else the escaped label alone.

    A label that poses as another address ("https://bank.example" -> evil.example) is shown
    as text, followed by the real address as the link.
    """
    target = safe_url(url)
    text = _escaped_fit(label, limit)
    if target and poses_as_other_address(label, target):
        return f"{text} — <{target}|{_escaped_fit(target, URL_LIMIT)}>"
    return f"<{target}|{text}>" if target else text


def _section(text: str) -> dict[str, Any]:
    # verbatim: Slack must not auto-link or auto-mention anything in our text.
    # Slack rejects an empty text field, so a blank one says so instead.
    text = text if text.strip() else "(empty)"
    return {"type": "section", "text": {"type": "mrkdwn", "text": text, "verbatim": True}}


def _header(text: str) -> dict[str, Any]:
    return {
        "type": "header",
        "text": {
            "type": "plain_text",
            "text": plain_text(text, MAX_HEADER_TEXT).strip() or "News digest",
            "emoji": True,
        },
    }


def _button(label: str, action_id: str, value: str) -> dict[str, Any]:
    return {
        "type": "button",
        "text": {"type": "plain_text", "text": plain_text(label, MAX_BUTTON_TEXT)},
        "action_id": action_id,
        "value": value,
    }


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def _sources_line(
    sources: Sequence[LinkView], more: int, limit: int, *, head: str | None = None
) -> str:
    """'N sources: A, B and k more', linking as many labels as fit in `limit`."""
    if head is None:
        head = f"_{_plural(len(sources) + more, 'source')}:_ "
    shown: list[str] = []
    used = len(head)
    for i, source in enumerate(sources):
        piece = link(source.label, source.url, SOURCE_LABEL_LIMIT)
        rest = len(sources) - i - 1 + more
        tail = len(f" and {rest + 1} more") + 2
        if used + len(piece) + tail > limit:
            more += len(sources) - i
            break
        shown.append(piece)
        used += len(piece) + 2
    line = head + ", ".join(shown)
    if more:
        line += f" and {more} more"
    return line


def _headline_line(story: StoryView) -> str:
    return f"*{story.number}. {link(story.headline, story.url, HEADLINE_LIMIT)}*"


def _story_section_text(story: StoryView) -> str:
    """One story in one section of at most MAX_SECTION_TEXT characters.

    Facts are dropped from the end (and counted as "+k more") until it fits:
    the headline, disagreements and sources always show.
    """
    warnings = [
        f"⚠ Sources differ: {_escaped_fit(d, DISAGREEMENT_LIMIT)}"
        for d in story.disagreements[:DISAGREEMENTS_SHOWN]
    ]
    hidden_differ = max(0, len(story.disagreements) - DISAGREEMENTS_SHOWN)
    hidden_differ += story.more_disagreements
    if hidden_differ:
        warnings.append(f"⚠ +{hidden_differ} more disagreements")
    head = _headline_line(story)
    tail = "\n".join(
        [*warnings, _sources_line(story.sources, story.more_sources, SOURCES_LINE_LIMIT)]
    )
    room = MAX_SECTION_TEXT - len(head) - len(tail) - 2 - 40  # 40: the "+k more facts" line
    facts: list[str] = []
    for fact in story.facts:
        line = f"• {_escaped_fit(fact, FACT_LIMIT)}"
        if len(line) + 1 > room:
            break
        facts.append(line)
        room -= len(line) + 1
    hidden = story.more_facts + len(story.facts) - len(facts)
    more = [f"_+{hidden} more facts_"] if hidden else []
    return "\n".join([head, *facts, *more, tail])[:MAX_SECTION_TEXT]


def _story_blocks(story: StoryView) -> list[dict[str, Any]]:
    value = str(story.number)
    return [
        _section(_story_section_text(story)),
        {
            "type": "actions",
            "block_id": f"story_{value}",
            "elements": [
                _button("Sources", SOURCES_ACTION, value),
                _button("More facts", STORY_ACTION, value),
            ],
        },
    ]


def _blocks_text_size(blocks: Iterable[dict[str, Any]]) -> int:
    size = 0
    for block in blocks:
        if "text" in block:
            size += len(block["text"]["text"])
        for element in block.get("elements", ()):
            size += len(element.get("text", {}).get("text", ""))
    return size


def _fallback(title: str, stories: Sequence[StoryView]) -> str:
    """The notification / screen-reader text Slack shows when blocks cannot be."""
    heads = "; ".join(f"{s.number}. {s.headline}" for s in stories)
    raw = f"{title}: {heads}" if heads else f"{title}: no new stories"
    return _escaped_fit(raw, FALLBACK_TEXT_LIMIT)


def render_digest_messages(view: DigestView) -> list[Message]:
    """A digest as one or more Block Kit messages, each within Slack's limits."""
    if not view.stories:
        return [
            {
                "text": _fallback(view.title, ()),
                "blocks": [_header(view.title), _section("_No new stories._")],
            }
        ]
    groups: list[list[tuple[StoryView, list[dict[str, Any]]]]] = [[]]
    sizes = [0]
    for story in view.stories:
        story_blocks = _story_blocks(story)
        size = _blocks_text_size(story_blocks)
        current = groups[-1]
        too_many_blocks = 1 + 2 * (len(current) + 1) > MAX_BLOCKS
        too_much_text = sizes[-1] + size + MAX_HEADER_TEXT > MESSAGE_TEXT_BUDGET
        if current and (too_many_blocks or too_much_text):
            groups.append([])
            sizes.append(0)
        groups[-1].append((story, story_blocks))
        sizes[-1] += size
    messages: list[Message] = []
    for index, stories in enumerate(groups, start=1):
        suffix = f" ({index}/{len(groups)})" if len(groups) > 1 else ""
        title = plain_text(view.title, MAX_HEADER_TEXT - len(suffix)) + suffix
        blocks = [_header(title)]
        for _, story_blocks in stories:
            blocks.extend(story_blocks)
        fallback = _fallback(title, [story for story, _ in stories])
        messages.append({"text": fallback, "blocks": blocks})
    return messages


def render_update_message(view: UpdateView) -> Message:
    """A thread reply: '+2 sources: A, B' and the facts they brought."""
    head = f"*+{_plural(len(view.new_sources), 'source')}:* "
    text = _sources_line(view.new_sources, 0, SOURCES_LINE_LIMIT, head=head)
    facts = [f"• {_escaped_fit(f, FACT_LIMIT)}" for f in view.new_facts]
    if facts:
        text += "\n*New:*"
    for shown, fact in enumerate(facts):
        if len(text) + 1 + len(fact) > MAX_SECTION_TEXT - 40:
            text += f"\n_+{len(facts) - shown} more facts_"
            break
        text += "\n" + fact
    return {"text": _escaped_fit(view.text, FALLBACK_TEXT_LIMIT), "blocks": [_section(text)]}


def _chunk(lines: Sequence[str], limit: int) -> list[str]:
    """Join lines into texts of at most `limit` chars (each line already fits)."""
    chunks: list[str] = []
    current = ""
    for line in lines:
        line = line[:limit]
        if current and len(current) + 1 + len(line) > limit:
            chunks.append(current)
            current = line
        else:
            current = f"{current}\n{line}" if current else line
    if current:
        chunks.append(current)
    return chunks


def render_reply(reply_text: str, story: StoryView | None) -> Message:
    """A command answer (for `respond`): escaped text, plus the story in full if given."""
    lines = [_escaped_fit(line, MAX_SECTION_TEXT) for line in reply_text.splitlines()]
    if story is None:
        texts = _chunk(lines or [""], MAX_SECTION_TEXT)
    else:
        detail = [_headline_line(story)]
        detail += [f"• {_escaped_fit(f, FACT_LIMIT)}" for f in story.facts]
        detail += [f"⚠ Sources differ: {_escaped_fit(d, FACT_LIMIT)}" for d in story.disagreements]
        detail.append(_sources_line(story.sources, story.more_sources, MAX_SECTION_TEXT))
        texts = _chunk(detail, MAX_SECTION_TEXT)
    blocks: list[dict[str, Any]] = []
    used = 0
    for i, text in enumerate(texts):
        if len(blocks) == MAX_BLOCKS - 1 or used + len(text) > MESSAGE_TEXT_BUDGET:
            blocks.append(_section(f"_…{len(texts) - i} more parts not shown_"))
            break
        blocks.append(_section(text))
        used += len(text)
    # Slack rejects empty text objects; a reply of only control characters escapes to "".
    fallback = _escaped_fit(reply_text, FALLBACK_TEXT_LIMIT, one_line=False) or "(empty)"
    return {"text": fallback, "blocks": blocks or [_section(fallback)]}
