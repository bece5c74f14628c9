"""Plain-text and Markdown article files.

Real files are messy: the headline may be the first line, the last line before
the copyright notice, a Markdown heading, or missing. The body keeps its
paragraphs (one per line) with the title line, boilerplate and dateline removed.
When no line looks like a headline, the first sentence (shortened) stands in.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass

from digests.ingest.common import MAX_TEXT, choose_source, decode_text, finish_body, stem_of
from digests.models import Article, ReadProblem, ReadResult
from digests.normalize import (
    clean_title,
    copyright_outlet,
    is_boilerplate,
    is_headline_like,
    normalize_chars,
    parse_date,
    short_title,
)

log = logging.getLogger(__name__)

_MD_HEADING = re.compile(r"^\s{0,3}(#{1,6})\s+(.*?)\s*#*\s*$")
_MD_IMAGE = re.compile(r"!\[[^\]]*\]\([^)]*\)")
_MD_LINK = re.compile(r"\[([^\]]+)\]\((?:[^()\s]|\([^)]*\))*(?:\s+\"[^\"]*\")?\)")
_MD_EMPHASIS = re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1")
_MD_RULE = re.compile(r"^\s{0,3}(?:[-*_]\s*){3,}$")
_MD_FENCE = re.compile(r"^\s{0,3}(```|~~~)")
_MD_LIST = re.compile(r"^\s*(?:[-*+]|\d{1,3}[.)])\s+")
_FRONT_KEYS = {"title", "date", "published", "source", "url", "lang", "id"}


def parse_text(data: bytes, name: str, origin: str = "", *, markdown: bool = False) -> ReadResult:
    """One article from a .txt/.md file; its id is the file name without extension."""
    where = origin or name
    text, reason = decode_text(data)
    if text is None:
        return ReadResult(problems=(ReadProblem(where, reason),))
    text = normalize_chars(text)
    meta: dict[str, str] = {}
    if markdown:
        meta, text = _front_matter(text)
    lines = [line.strip() for line in text.split("\n")]
    heading = None
    if markdown:
        heading, lines = _markdown_lines(lines)
    outlet = copyright_outlet("\n".join(lines))
    lines = [line for line in lines if not is_boilerplate(line)]
    title, lines = _take_title(lines, heading)
    if meta.get("title"):
        title = meta["title"]
    paragraphs = _paragraphs(lines)
    byline = None
    for i, para in enumerate(paragraphs[:3]):
        byline = parse_byline(para)
        if byline is not None:
            del paragraphs[i]
            break
    if not paragraphs and not title:
        return ReadResult(problems=(ReadProblem(where, "empty file: no title or text"),))
    body = finish_body("\n".join(paragraphs))
    title = clean_title(title or "")
    body_text = body.text
    if title and body_text.split("\n", 1)[0].strip() == title:
        body_text = body_text.split("\n", 1)[1] if "\n" in body_text else ""
    title = title or short_title(body_text)
    stem = stem_of(name)
    named = clean_title(meta.get("source", "")) or (byline.outlet if byline else None)
    source, note = choose_source(
        named,
        outlet=outlet or body.outlet,
        dateline=body.dateline,
        url=meta.get("url"),
        stem=stem,
    )
    article = Article(
        id=clean_title(meta.get("id", "")) or stem,
        title=title,
        text=body_text[:MAX_TEXT],
        source=source,
        url=meta.get("url") or None,
        published=parse_date(
            meta.get("published") or meta.get("date") or (byline.date_text if byline else None)
        ),
        lang=(meta.get("lang") or "en").lower()[:16],
        origin=where,
        source_note=note,
        dateline=body.dateline,
    )
    return ReadResult(articles=(article,))


@dataclass(frozen=True)
class Byline:
    outlet: str | None
    date_text: str | None


_BYLINE = re.compile(
    r"^[*_]*\s*by\s+(?P<who>[^,—–|*_]+?)"
    r"(?:\s*(?:,|\bfor\b|\||\bof\b)\s*(?P<outlet>[^—–|*_]+?))?"
    r"\s*(?:[—–|]\s*(?P<date>[^*_]+?))?\s*[*_]*$",
    re.IGNORECASE,
)
_ROLES = re.compile(
    r"\b(?:writer|reporter|correspondent|editor|staff|contributor|columnist|analyst|"
    r"with\b|and\b|wire reports?)",
    re.IGNORECASE,
)


def parse_byline(line: str) -> Byline | None:
    """`*By Lena Farrow, Kelm Daily — 21 November 2026*` or `By Harbour Ledger staff, ...`.

    The outlet a byline names is a better source than the file name; roles ("Staff Writer")
    and wire credits ("with reports from ...") are not outlets.
    """
    if len(line) > 160:
        return None
    m = _BYLINE.match(line.strip())
    if not m:
        return None
    who = m.group("who").strip()
    outlet = (m.group("outlet") or "").strip() or None
    if outlet and _ROLES.search(outlet):
        outlet = None
    if outlet is None and re.search(r"\bstaff$", who, re.IGNORECASE):
        outlet = re.sub(r"\s*\bstaff$", "", who, flags=re.IGNORECASE).strip() or None
    date_text = (m.group("date") or "").strip() or None
    return Byline(outlet=outlet, date_text=date_text)


def _front_matter(text: str) -> tuple[dict[str, str], str]:
    """`---` YAML-ish front matter: only simple `key: value` lines we know are used."""
    stripped = text.lstrip("\n")
    if not stripped.startswith("---\n"):
        return {}, text
    end = stripped.find("\n---", 4)
    if end < 0 or end > 4000:
        return {}, text
    meta: dict[str, str] = {}
    for line in stripped[4:end].split("\n"):
        key, sep, value = line.partition(":")
        key = key.strip().lower()
        if sep and key in _FRONT_KEYS:
            meta[key] = value.strip().strip("\"'")
    rest = stripped[end + 4 :]
    return meta, rest.split("\n", 1)[1] if "\n" in rest else ""


def _markdown_lines(lines: list[str]) -> tuple[str | None, list[str]]:
    """Markdown to plain lines; returns the first level-1 heading (or first heading)."""
    heading: tuple[int, int, str] | None = None  # (level, index, text)
    out: list[str] = []
    in_fence = False
    for line in lines:
        if _MD_FENCE.match(line):
            in_fence = not in_fence
            continue
        if in_fence or _MD_RULE.match(line):
            continue
        m = _MD_HEADING.match(line)
        if m:
            level, content = len(m.group(1)), _inline(m.group(2))
            first_text = not any(out)
            if (
                level == 1
                and (heading is None or heading[0] != 1)
                or (heading is None and first_text)
            ):
                heading = (level, len(out), content)
            out.append(content)
            out.append("")
            continue
        line = _inline(line.lstrip("> ").strip() if line.startswith(">") else line)
        out.append(_MD_LIST.sub("", line))
    if heading is None:
        return None, out
    del out[heading[1]]
    return heading[2], out


def _inline(text: str) -> str:
    text = _MD_IMAGE.sub("", text)
    text = _MD_LINK.sub(r"\1", text)
    text = _MD_EMPHASIS.sub(r"\2", text)
    return text.replace("`", "").strip()


def _take_title(lines: list[str], heading: str | None) -> tuple[str | None, list[str]]:
    """Find the headline (first line, else last line, else the heading) and remove it."""
    if heading:
        return heading, lines
    filled = [i for i, line in enumerate(lines) if line]
    if not filled:
        return None, lines
    first, last = filled[0], filled[-1]
    if is_headline_like(lines[first]) and (len(filled) == 1 or _reads_like_body(lines, filled[1:])):
        return lines[first], lines[:first] + lines[first + 1 :]
    if len(filled) > 1 and is_headline_like(lines[last]) and _reads_like_body(lines, filled[:-1]):
        return lines[last], lines[:last] + lines[last + 1 :]
    return None, lines


def _reads_like_body(lines: list[str], indexes: list[int]) -> bool:
    """The rest must be prose (some line ends a sentence), else the "headline" is just a line."""
    return any(lines[i].rstrip("\"”'’)").endswith((".", "!", "?")) for i in indexes)


def _paragraphs(lines: list[str]) -> list[str]:
    """One paragraph per line; hard-wrapped files (blocks of ~70-char lines) are re-joined."""
    filled = [line for line in lines if line]
    wrapped = (
        len(filled) >= 4
        and max(len(line) for line in filled) <= 100
        and sum(1 for line in filled if 45 <= len(line) <= 100) >= 0.6 * len(filled)
        and "" in lines
    )
    if not wrapped:
        return filled
    out: list[str] = []
    block: list[str] = []
    for line in [*lines, ""]:
        if line:
            block.append(line)
        elif block:
            out.append(" ".join(block))
            block = []
    return out
