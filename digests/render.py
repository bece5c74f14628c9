"""Digest -> neutral view -> text, Markdown or JSON.

The view holds raw (unescaped) text; each platform renderer escapes for its
own markup, so article text can never become a ping or a link on any of them.
Slack Block Kit lives in `render_slack`, Discord embeds in `render_discord`.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

from digests.models import Digest, Story

FACTS_IN_DIGEST = 4
SOURCES_IN_DIGEST = 6
DISAGREEMENTS_IN_DIGEST = 2  # the rest are one `story N` away

# C0/C1 control characters drive terminals (ESC sequences retitle or clear them), and Unicode
# bidi embeddings, overrides and isolates reorder what a reader sees ("\u202egnp.exe" shows
# as "exe.png"). Neither has a place in a news digest, so no renderer lets article text carry them.
UNSAFE_CHARS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_ADDRESS_LIKE = re.compile(r"://|^\S+\.[a-z]{2,}(/|$)", re.IGNORECASE)


def strip_unsafe(text: str) -> str:
    """`text` without control characters (tab and newline kept) or bidi overrides."""
    return UNSAFE_CHARS.sub("", text)


def one_line(text: str) -> str:
    """Safe text on one line, so a title cannot inject lines (fake stories, headings)."""
    return " ".join(strip_unsafe(text).split())


def poses_as_other_address(label: str, url: str) -> bool:
    """Does a link label look like an address other than the link's own host?

    A feed controls both, so "https://bank.example" linking to evil.example is a spoof.
    """
    label = label.strip()
    if not _ADDRESS_LIKE.search(label):
        return False
    shown = urlsplit(label if "://" in label else "https://" + label).hostname or ""
    return shown.lower() != (urlsplit(url).hostname or "").lower()


@dataclass(frozen=True)
class LinkView:
    label: str
    url: str | None = None


@dataclass(frozen=True)
class StoryView:
    number: int
    story_id: str
    headline: str
    url: str | None
    facts: tuple[str, ...]
    more_facts: int
    sources: tuple[LinkView, ...]
    more_sources: int
    disagreements: tuple[str, ...]
    published: datetime | None = None
    more_disagreements: int = 0


@dataclass(frozen=True)
class DigestView:
    title: str
    generated_at: datetime
    stories: tuple[StoryView, ...]


@dataclass(frozen=True)
class UpdateView:
    """A thread reply for a story that gained sources after it was posted."""

    story_id: str
    headline: str
    new_sources: tuple[LinkView, ...]
    new_facts: tuple[str, ...]

    @property
    def text(self) -> str:
        names = ", ".join(one_line(s.label) for s in self.new_sources)
        parts = [f"+{len(self.new_sources)} source{'s' if len(self.new_sources) != 1 else ''}"]
        if names:
            parts[0] += f": {names}"
        if self.new_facts:
            parts.append("new: " + "; ".join(one_line(f) for f in self.new_facts))
        return "; ".join(parts)


def source_links(story: Story) -> tuple[LinkView, ...]:
    links = []
    for source in story.sources:
        label = source.name
        if source.via:
            label += f" (via {len(source.via)} outlet{'s' if len(source.via) != 1 else ''})"
        links.append(LinkView(label, source.url))
    return tuple(links)


def _same_words(a: str, b: str) -> bool:
    return re.sub(r"\W+", " ", a).strip().lower() == re.sub(r"\W+", " ", b).strip().lower()


def story_view(story: Story, number: int, *, all_facts: bool = False) -> StoryView:
    # A story told only in headlines has its headline among its facts: say it once.
    facts = tuple(f.text for f in story.facts if not _same_words(f.text, story.headline))
    shown = facts if all_facts else facts[:FACTS_IN_DIGEST]
    links = source_links(story)
    shown_links = links if all_facts else links[:SOURCES_IN_DIGEST]
    differ = tuple(d.text for d in story.disagreements)
    shown_differ = differ if all_facts else differ[:DISAGREEMENTS_IN_DIGEST]
    url = next((a.url for a in story.articles if a.url), None)
    return StoryView(
        number=number,
        story_id=story.id,
        headline=story.headline,
        url=url,
        facts=shown,
        more_facts=len(facts) - len(shown),
        sources=shown_links,
        more_sources=len(links) - len(shown_links),
        disagreements=shown_differ,
        published=story.latest,
        more_disagreements=len(differ) - len(shown_differ),
    )


def digest_view(digest: Digest) -> DigestView:
    return DigestView(
        title=digest.title,
        generated_at=digest.generated_at,
        stories=tuple(story_view(s, i) for i, s in enumerate(digest.stories, start=1)),
    )


def _sources_line(view: StoryView) -> str:
    names = ", ".join(one_line(s.label) for s in view.sources)
    more = f" and {view.more_sources} more" if view.more_sources else ""
    count = len(view.sources) + view.more_sources
    return f"{count} source{'s' if count != 1 else ''}: {names}{more}"


def render_text(view: DigestView) -> str:
    """Plain text for consoles and files: one line per item, no control characters."""
    title = one_line(view.title)
    lines = [title, "=" * min(len(title), 72)]
    if not view.stories:
        lines.append("No new stories.")
    for s in view.stories:
        lines.append("")
        lines.append(f"{s.number}. {one_line(s.headline)}")
        lines.extend(f"   - {one_line(fact)}" for fact in s.facts)
        if s.more_facts:
            lines.append(f"   (+{s.more_facts} more facts: /digest story {s.number})")
        for d in s.disagreements:
            lines.append(f"   ! Sources differ: {one_line(d)}")
        if s.more_disagreements:
            lines.append(
                f"   (+{s.more_disagreements} more disagreements: /digest story {s.number})"
            )
        lines.append(f"   {_sources_line(s)}")
    return "\n".join(lines) + "\n"


_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()<>#+!|~])")


def md_escape(text: str) -> str:
    """Escape Markdown so article text renders literally (no injected links, HTML or lines)."""
    return _MD_SPECIAL.sub(r"\\\1", one_line(text))


def _md_url(url: str | None) -> str | None:
    """An http(s) URL that cannot leave `(<…>)`, or None."""
    if not url or not url.startswith(("http://", "https://")):
        return None
    if UNSAFE_CHARS.search(url) or any(c.isspace() for c in url):
        return None
    return url.replace("<", "%3C").replace(">", "%3E")


def _md_link(label: str, url: str | None) -> str:
    target = _md_url(url)
    if target is None:
        return md_escape(label)
    if poses_as_other_address(label, target):
        # Show the real address as the link text instead of the label's claim.
        return f"{md_escape(label)} — [{md_escape(target)}](<{target}>)"
    return f"[{md_escape(label)}](<{target}>)"


def render_markdown(view: DigestView) -> str:
    lines = [f"# {md_escape(view.title)}"]
    if not view.stories:
        lines += ["", "_No new stories._"]
    for s in view.stories:
        lines += ["", f"## {s.number}. {_md_link(s.headline, s.url)}", ""]
        lines.extend(f"- {md_escape(fact)}" for fact in s.facts)
        if s.more_facts:
            lines.append(f"- _+{s.more_facts} more facts_")
        for d in s.disagreements:
            lines.append(f"- ⚠ Sources differ: {md_escape(d)}")
        if s.more_disagreements:
            lines.append(f"- _+{s.more_disagreements} more disagreements_")
        links = ", ".join(_md_link(x.label, x.url) for x in s.sources)
        more = f" and {s.more_sources} more" if s.more_sources else ""
        count = len(s.sources) + s.more_sources
        lines += ["", f"*{count} source{'s' if count != 1 else ''}:* {links}{more}"]
    return "\n".join(lines) + "\n"


def story_json(story: Story) -> dict[str, Any]:
    """The contract's story shape (DESIGN.md, `cluster --json`)."""
    return {
        "id": story.id,
        "headline": story.headline,
        "articles": [
            {
                "id": a.id,
                "source": a.source,
                "title": a.title,
                "url": a.url,
                "published": a.published.isoformat() if a.published else None,
                # how the source was chosen when no outlet was named (e.g. the file name)
                **({"source_note": a.source_note} if a.source_note else {}),
            }
            for a in story.articles
        ],
        "sources": [s.name for s in story.sources],
        "facts": [
            {
                "text": f.text,
                "kind": f.kind,
                "article_ids": list(f.article_ids),
                "source_count": f.source_count,
            }
            for f in story.facts
        ],
        "disagreements": [
            {"text": d.text, "article_ids": list(d.article_ids)} for d in story.disagreements
        ],
        "duplicates": [{"article_id": c, "duplicate_of": o} for c, o in story.duplicates],
    }


def render_json(digest: Digest) -> str:
    return json.dumps(
        {
            "title": digest.title,
            "generated_at": digest.generated_at.isoformat(),
            "stories": [story_json(s) for s in digest.stories],
        },
        ensure_ascii=False,
        indent=2,
    )
