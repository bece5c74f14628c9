"""JSON and JSONL article records (`id, title, text, source, published, url, lang`).

A record keeps its own `id`; one bad line of a JSONL file is a problem naming
`file:line` and the other lines are still read.
"""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime
from typing import Any

from digests.ingest.common import choose_source, decode_text, finish_body, stem_of
from digests.models import Article, ReadProblem, ReadResult
from digests.normalize import clean_title, is_headline_like, parse_date, short_title, stable_id

log = logging.getLogger(__name__)


def read_json(data: bytes, name: str, origin: str = "") -> ReadResult:
    """A .json file: a JSON Feed, one record, a list of records or `{"articles": [...]}`."""
    where = origin or name
    text, reason = decode_text(data)
    if text is None:
        return ReadResult(problems=(ReadProblem(where, reason),))
    if not text.strip():
        return ReadResult(problems=(ReadProblem(where, "empty file"),))
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        return ReadResult(
            problems=(ReadProblem(where, f"invalid JSON: {exc.msg} at line {exc.lineno}"),)
        )
    except (RecursionError, ValueError) as exc:
        return ReadResult(problems=(ReadProblem(where, f"invalid JSON: {exc}"),))
    if isinstance(doc, dict) and _is_json_feed(doc):
        from digests.ingest.feeds import read_json_feed

        return read_json_feed(doc, feed_url=origin or name, feed_name=None)
    if isinstance(doc, dict) and isinstance(doc.get("articles"), list):
        items: list[Any] = doc["articles"]
    elif isinstance(doc, list):
        items = doc
    elif isinstance(doc, dict):
        return _collect([(where, doc)], name, where)
    else:
        return ReadResult(problems=(ReadProblem(where, "JSON is neither a record nor a list"),))
    return _collect([(f"{where}[{i}]", item) for i, item in enumerate(items)], name, where)


def read_jsonl(data: bytes, name: str, origin: str = "") -> ReadResult:
    """A .jsonl file: one record per line; blank lines are ignored."""
    where = origin or name
    text, reason = decode_text(data)
    if text is None:
        return ReadResult(problems=(ReadProblem(where, reason),))
    entries: list[tuple[str, Any]] = []
    problems: list[ReadProblem] = []
    for lineno, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        try:
            entries.append((f"{where}:{lineno}", json.loads(line)))
        except json.JSONDecodeError as exc:
            problems.append(ReadProblem(f"{where}:{lineno}", f"invalid JSON: {exc.msg}"))
        except (RecursionError, ValueError) as exc:
            problems.append(ReadProblem(f"{where}:{lineno}", f"invalid JSON: {exc}"))
    if not entries and not problems:
        problems.append(ReadProblem(where, "empty file"))
    result = _collect(entries, name, where)
    return ReadResult(result.articles, tuple(problems) + result.problems)


def _is_json_feed(doc: dict[str, Any]) -> bool:
    version = doc.get("version")
    if isinstance(version, str) and "jsonfeed.org" in version:
        return True
    return isinstance(doc.get("items"), list) and "articles" not in doc


def _collect(entries: list[tuple[str, Any]], name: str, origin: str) -> ReadResult:
    articles: list[Article] = []
    problems: list[ReadProblem] = []
    stem = stem_of(name)
    first_at: dict[str, str] = {}
    for where, record in entries:
        made = record_to_article(record, where=where, stem=stem, origin=origin)
        if isinstance(made, ReadProblem):
            problems.append(made)
        elif made.id in first_at:
            # Two records under one id would be one article to every later step.
            problems.append(
                ReadProblem(where, f"id {made.id!r} is already used at {first_at[made.id]}")
            )
        else:
            first_at[made.id] = where
            articles.append(made)
    return ReadResult(tuple(articles), tuple(problems))


def _field(record: dict[str, Any], key: str) -> str:
    value = record.get(key)
    if isinstance(value, str):
        return value
    if isinstance(value, bool) or value is None:
        return ""
    if isinstance(value, int | float):
        return str(value)
    return ""


def _published(value: Any) -> datetime | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        try:
            dt = datetime.fromtimestamp(value, UTC)
        except (OverflowError, OSError, ValueError):
            return None
        return dt if 1900 <= dt.year <= 2200 else None
    return parse_date(value) if isinstance(value, str) else None


def record_to_article(
    record: Any, *, where: str, stem: str = "", origin: str = ""
) -> Article | ReadProblem:
    """One record to an Article, or the problem that stops it (never raises)."""
    if not isinstance(record, dict):
        return ReadProblem(where, f"record is a JSON {type(record).__name__}, not an object")
    title = clean_title(_field(record, "title"))
    body = finish_body(_field(record, "text"))
    text = body.text
    if title and text:
        # Many records repeat the headline as the text's first line(s).
        lines = text.split("\n")
        while lines and lines[0].casefold() == title.casefold():
            lines.pop(0)
        text = "\n".join(lines)
    if not title and not text:
        return ReadProblem(where, "record has neither title nor text")
    if not title:
        first, _, rest = text.partition("\n")
        if rest and is_headline_like(first):
            title, text = first, rest
    url = " ".join(_field(record, "url").split()) or None
    record_id = clean_title(_field(record, "id"), max_len=500)
    if not record_id:
        record_id = stable_id(url or "", title, text[:2000])
    source, note = choose_source(
        clean_title(_field(record, "source")),
        outlet=body.outlet,
        dateline=body.dateline,
        url=url,
        stem=stem or None,
    )
    lang = clean_title(_field(record, "lang")).lower()[:16] or "en"
    return Article(
        id=record_id,
        title=title or short_title(text),
        text=text,
        source=source,
        url=url,
        published=_published(record.get("published")),
        lang=lang,
        origin=origin,
        source_note=note,
        dateline=body.dateline,
    )
