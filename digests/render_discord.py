"""Neutral digest view -> Discord message payloads (plain dicts, no SDK).

Article text is untrusted: a feed can carry `@everyone`, `<@&role>` or a
masked link whose label shows one address and whose target is another. Every
piece of outside text goes through `neutralise_mentions`, and every payload is
cut to Discord's limits here, so the adapter never has to second-guess it.
The adapter still sends with no mentions allowed; this is the second lock.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from digests.render import UNSAFE_CHARS, DigestView, StoryView, UpdateView, strip_unsafe

Embed = dict[str, Any]
Message = dict[str, Any]

# Discord's documented limits (characters unless noted).
CONTENT_MAX = 2000
TITLE_MAX = 256
DESCRIPTION_MAX = 4096
FIELDS_MAX = 25
FIELD_NAME_MAX = 256
FIELD_VALUE_MAX = 1024
FOOTER_MAX = 2048
EMBEDS_PER_MESSAGE = 10
MESSAGE_TOTAL_MAX = 6000  # all embeds' text; we count the content too, to stay clear of it
BUTTON_LABEL_MAX = 80

ZWSP = "\u200b"
ACCENT = 0x2B6CB0

# Bare http(s) links keep their characters (escaping `_` would break them), but
# stop at brackets so `[label](url)` can never re-form around them.
_URL = re.compile(r"https?://[^\s<>\[\]()|`*]+")
_MARKDOWN = re.compile(r"([\\*_~`|\[\]()#>])")
_LIST_MARK = re.compile(r"^(\s*)([-+])(?=\s)", re.MULTILINE)
_NUMBERED = re.compile(r"^(\s*\d+)\.(?=\s)", re.MULTILINE)
_LOOKS_LIKE_ADDRESS = re.compile(r"://|^\S+\.[a-z]{2,}(/|$)", re.IGNORECASE)
_EVERYONE = re.compile(r"@(everyone|here)", re.IGNORECASE)


def _escape_markdown(text: str) -> str:
    text = _MARKDOWN.sub(r"\\\1", text)
    # List markers and numbered lists only mean something at a line start.
    text = _LIST_MARK.sub(lambda m: m.group(1) + "\\" + m.group(2), text)
    return _NUMBERED.sub(lambda m: m.group(1) + "\\.", text)


def neutralise_mentions(text: str) -> str:
    """Make untrusted text render literally on Discord: no pings, no links in disguise.

    `<` is followed by a zero-width space, which defuses every `<...>` entity at
    once (user/role/channel mentions, emoji, timestamps, slash-command links);
    `@everyone`/`@here` get one after the `@`; Markdown is backslash-escaped
    outside bare URLs, so `[shown](target)` stays plain text.
    """
    text = strip_unsafe(text)  # control characters and bidi overrides never reach a reader
    out: list[str] = []
    pos = 0
    for match in _URL.finditer(text):
        out.append(_escape_markdown(text[pos : match.start()]))
        out.append(match.group(0))
        pos = match.end()
    out.append(_escape_markdown(text[pos:]))
    joined = "".join(out)
    joined = joined.replace("<", "<" + ZWSP)
    return _EVERYONE.sub(lambda m: "@" + ZWSP + m.group(1), joined)


def truncate(text: str, limit: int) -> str:
    """Cut to `limit` characters with an ellipsis, never leaving a dangling escape."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    trailing = len(cut) - len(cut.rstrip("\\"))
    if trailing % 2:
        cut = cut[:-1]
    return cut + "…"


def safe_url(url: str | None) -> str | None:
    """Only http(s) links, with the characters that could end a Markdown link encoded."""
    if not url or not url.lower().startswith(("http://", "https://")):
        return None
    if UNSAFE_CHARS.search(url):
        return None
    if any(ch.isspace() for ch in url):
        url = re.sub(r"\s", lambda m: f"%{ord(m.group(0)):02X}", url)
    for ch, code in (("(", "%28"), (")", "%29"), ("[", "%5B"), ("]", "%5D"), ("<", "%3C")):
        url = url.replace(ch, code)
    return url.replace(">", "%3E").replace('"', "%22")


def _link(label: str, url: str | None) -> str:
    """A Markdown link whose label cannot pose as a different address."""
    shown = neutralise_mentions(label).replace("://", ":" + ZWSP + "//")
    target = safe_url(url)
    if not target:
        return shown
    if _LOOKS_LIKE_ADDRESS.search(label.strip()):
        return f"{shown} — {target}"  # the real address, shown as is
    return f"[{shown}]({target})"


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def _when(moment: datetime) -> str:
    return moment.strftime("%d %b %Y %H:%M UTC")


def _joined_within(items: list[str], limit: int, more: int = 0) -> str:
    """Join lines up to `limit`; say how many did not fit rather than cutting a link."""
    lines: list[str] = []
    for i, item in enumerate(items):
        left = len(items) - i - 1 + more
        tail = len(f"\n…and {left} more") if left else 0
        line = item if lines else truncate(item, max(1, limit - tail))
        if len("\n".join([*lines, line])) + tail > limit:
            more += len(items) - i
            break
        lines.append(line)
    if more:
        lines.append(f"…and {more} more")
    return truncate("\n".join(lines), limit)


def _chunks(items: list[str], limit: int) -> list[list[str]]:
    """Group lines so each group joined by newlines fits in `limit` (long lines are cut)."""
    groups: list[list[str]] = []
    for item in (truncate(i, limit) for i in items):
        if groups and len("\n".join([*groups[-1], item])) <= limit:
            groups[-1].append(item)
        else:
            groups.append([item])
    return groups


def embed_length(embed: Embed) -> int:
    """Characters Discord counts against the per-message total."""
    total = len(embed.get("title", "")) + len(embed.get("description", ""))
    total += len(embed.get("footer", {}).get("text", ""))
    total += len(embed.get("author", {}).get("name", ""))
    for field in embed.get("fields", []):
        total += len(field["name"]) + len(field["value"])
    return total


def story_embed(view: StoryView) -> Embed:
    """One story: headline, key facts, sources with links, disagreements, time."""
    embed: Embed = {
        "title": truncate(f"{view.number}. {neutralise_mentions(view.headline)}", TITLE_MAX),
        "color": ACCENT,
    }
    url = safe_url(view.url)
    if url:
        embed["url"] = url
    facts = [f"• {neutralise_mentions(fact)}" for fact in view.facts]
    if view.more_facts:
        facts.append(f"+{view.more_facts} more: `/digest story {view.number}`")
    embed["description"] = truncate("\n".join(facts), DESCRIPTION_MAX) or "No key facts yet."

    fields: list[dict[str, Any]] = []
    count = len(view.sources) + view.more_sources
    links = [_link(s.label, s.url) for s in view.sources]
    fields.append(
        {
            "name": _plural(count, "source"),
            "value": _joined_within(links, FIELD_VALUE_MAX, view.more_sources) or "—",
            "inline": False,
        }
    )
    differ = [f"⚠ {neutralise_mentions(d)}" for d in view.disagreements]
    if view.more_disagreements:
        differ.append(f"+{view.more_disagreements} more: /digest story {view.number}")
    groups = _chunks(differ, FIELD_VALUE_MAX)
    room = FIELDS_MAX - len(fields)
    if len(groups) > room:
        hidden = sum(len(g) for g in groups[room:])
        groups = groups[:room]
        groups[-1] = [_joined_within(groups[-1], FIELD_VALUE_MAX, hidden)]
    for i, group in enumerate(groups):
        name = "Sources differ" if i == 0 else "Sources differ (cont.)"
        fields.append({"name": name, "value": "\n".join(group), "inline": False})
    embed["fields"] = fields
    if view.published is not None:
        embed["footer"] = {"text": f"Latest report {_when(view.published)}"}
        embed["timestamp"] = view.published.isoformat()
    return embed


def _fit(embed: Embed, budget: int) -> Embed:
    """Shrink one embed to `budget` counted characters: drop late fields, then cut facts."""
    while embed_length(embed) > budget and len(embed.get("fields", [])) > 1:
        embed["fields"] = embed["fields"][:-1]
    excess = embed_length(embed) - budget
    if excess > 0:
        description = embed.get("description", "")
        embed["description"] = truncate(description, max(1, len(description) - excess))
    excess = embed_length(embed) - budget
    if excess > 0 and embed.get("fields"):
        value = embed["fields"][0]["value"]
        embed["fields"][0]["value"] = truncate(value, max(1, len(value) - excess))
    return embed


def _buttons(numbers: list[int]) -> list[dict[str, Any]]:
    """ "Sources"/"More facts" buttons, answered by the bot's persistent handler."""
    buttons = []
    for n in numbers:
        for kind, label in (("sources", "Sources"), ("story", "More facts")):
            buttons.append(
                {
                    "type": 2,
                    "style": 2,
                    "label": f"{n} · {label}"[:BUTTON_LABEL_MAX],
                    "custom_id": f"newsdigest:{kind}:{n}",
                }
            )
    return [{"type": 1, "components": buttons[i : i + 5]} for i in range(0, len(buttons), 5)]


def render_digest_messages(view: DigestView) -> list[Message]:
    """The digest as one or more messages, each within every Discord limit.

    One embed per story; a message is closed when it has 10 embeds or the next
    embed would push it past 6,000 characters (content included).
    """
    title = truncate(neutralise_mentions(view.title), 200)
    heading = f"**{title}** — {_when(view.generated_at)}"
    if not view.stories:
        return [{"content": f"{heading}\nNo new stories.", "embeds": []}]

    pages: list[tuple[str, list[Embed], list[int]]] = []
    content = heading
    embeds: list[Embed] = []
    numbers: list[int] = []
    for story in view.stories:
        embed = _fit(story_embed(story), MESSAGE_TOTAL_MAX - CONTENT_MAX)
        used = len(content) + sum(embed_length(e) for e in embeds)
        if embeds and (
            len(embeds) >= EMBEDS_PER_MESSAGE or used + embed_length(embed) > MESSAGE_TOTAL_MAX
        ):
            pages.append((content, embeds, numbers))
            content, embeds, numbers = f"{title} (continued)", [], []
        embeds.append(embed)
        numbers.append(story.number)
    pages.append((content, embeds, numbers))
    return [
        {"content": truncate(c, CONTENT_MAX), "embeds": e, "components": _buttons(n)}
        for c, e, n in pages
    ]


def render_update_message(view: UpdateView) -> Message:
    """A thread reply for a story that gained sources (the thread may hold several stories)."""
    count = len(view.new_sources)
    links = ", ".join(_link(s.label, s.url) for s in view.new_sources)
    lines = [f"**{neutralise_mentions(view.headline)}**", f"+{_plural(count, 'source')}: {links}"]
    lines += [f"• new: {neutralise_mentions(fact)}" for fact in view.new_facts]
    return {"content": truncate("\n".join(lines), CONTENT_MAX), "embeds": []}


def render_reply(reply_text: str, story: StoryView | None) -> Message:
    """A command's answer; long answers move into an embed, which holds twice as much."""
    text = neutralise_mentions(reply_text)
    embeds: list[Embed] = []
    if len(text) > CONTENT_MAX and story is None:
        embeds.append({"description": truncate(text, DESCRIPTION_MAX), "color": ACCENT})
        text = ""
    if story is not None:
        embeds.append(_fit(story_embed(story), MESSAGE_TOTAL_MAX - CONTENT_MAX))
    return {"content": truncate(text, CONTENT_MAX), "embeds": embeds}
