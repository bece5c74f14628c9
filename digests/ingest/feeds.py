"""RSS 0.9x/1.0/2.0, Atom and JSON Feed documents to articles.

feedparser always gets the bytes wrapped in a stream, never a string: given a
string (or bytes) it may treat it as a URL or a file name and open it itself.
A broken feed keeps whatever entries feedparser could recover; a document that
is not a feed at all is one problem.
"""

from __future__ import annotations

import io
import json
import logging
import re
from calendar import timegm
from datetime import UTC, datetime
from pathlib import PurePath
from typing import Any
from urllib.parse import urljoin

import feedparser

from digests.ingest.common import MAX_TEXT, choose_source, finish_body
from digests.models import Article, ReadProblem, ReadResult
from digests.normalize import (
    canonical_url,
    clean_text,
    clean_title,
    host_of,
    html_to_text,
    parse_date,
    short_title,
    stable_id,
)

log = logging.getLogger(__name__)

MAX_SUMMARY = 1_000


def parse_feed(
    data: bytes, feed_url: str, feed_name: str | None = None, *, max_items: int = 500
) -> ReadResult:
    """Every item of a feed document as an Article (at most `max_items`)."""
    where = feed_url or feed_name or "feed"
    if not data or not data.strip():
        return _not_a_feed(where, "empty document")
    head = data.lstrip()[:1]
    if head in (b"{", b"["):
        return _parse_json_document(data, feed_url, feed_name, max_items=max_items)
    if data[:1].isspace() and data.lstrip().startswith(b"<?xml"):
        data = data.lstrip()  # a common publishing slip; the XML declaration must come first
    data = _undeclared_to_utf8(data)
    data, total_items = _first_items(data, max_items)
    try:
        parsed = feedparser.parse(
            io.BytesIO(data),
            # no base URL: feedparser would otherwise turn a relative GUID ("item-7") into a
            # URL, and the contract says a feed item's id is its GUID; links are joined below
            sanitize_html=True,
            resolve_relative_uris=True,
        )
    except Exception as exc:  # noqa: BLE001 - feedparser promises not to raise; be sure
        log.warning("feedparser failed on %s: %s", where, exc)
        return _not_a_feed(where, f"parser error: {exc}")
    entries = list(parsed.get("entries") or [])
    version = parsed.get("version") or ""
    if not entries:
        if not version:
            reason = _bozo_reason(parsed) or "no RSS, Atom or RDF feed elements found"
            return _not_a_feed(where, reason)
        return ReadResult(problems=(ReadProblem(where, f"feed ({version}) has no items"),))
    feed = parsed.get("feed") or {}
    source = _feed_source(feed.get("title"), feed_name, feed_url, feed.get("link"))
    feed_lang = str(feed.get("language") or "")
    articles: list[Article] = []
    problems: list[ReadProblem] = []
    for index, entry in enumerate(entries[:max_items]):
        try:
            made = _entry_article(entry, index, source, feed_url, feed_lang, where)
        except Exception as exc:  # noqa: BLE001 - one odd item must not lose the feed
            log.warning("skipping item %d of %s: %s", index, where, exc)
            made = ReadProblem(f"{where}#item{index + 1}", f"unreadable item: {exc}")
        if isinstance(made, ReadProblem):
            problems.append(made)
        else:
            articles.append(made)
    total = max(len(entries), total_items or 0)
    if total > max_items:
        problems.append(ReadProblem(where, f"{total} items; only the first {max_items} were read"))
    if parsed.get("bozo") and articles:
        log.info(
            "feed %s is not well-formed (%s); kept %d items",
            where,
            _bozo_reason(parsed),
            len(articles),
        )
    return ReadResult(tuple(articles), tuple(problems))


_XML_ENCODING = re.compile(rb"^\s*<\?xml[^>]*encoding\s*=", re.IGNORECASE)


def _undeclared_to_utf8(data: bytes) -> bytes:
    """Guess the charset of a feed that is not UTF-8 and declares none.

    Without a declaration feedparser falls back to cp1252, which turns Big5 or
    Shift-JIS titles into mojibake; charset_normalizer (a trafilatura dependency)
    guesses much better.
    """
    if data.startswith((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")) or _XML_ENCODING.match(data):
        return data
    try:
        data.decode("utf-8")
        return data
    except UnicodeDecodeError:
        pass
    try:
        from charset_normalizer import from_bytes

        best = from_bytes(data[:200_000]).best()
        if best is None or best.encoding in ("utf_8", "ascii"):
            return data
        return data.decode(best.encoding, errors="replace").encode("utf-8")
    except Exception:  # noqa: BLE001 - a guess that fails leaves the bytes as they were
        return data


_ITEM_END = re.compile(rb"</(?:[A-Za-z][\w.-]*:)?(?:item|entry)\s*>", re.IGNORECASE)


def _first_items(data: bytes, max_items: int) -> tuple[bytes, int | None]:
    """Cut a huge feed after its `max_items`-th item before parsing: feedparser would spend
    minutes on 100,000 items we then drop. Returns the bytes and the item count when cut."""
    for count, match in enumerate(_ITEM_END.finditer(data), start=1):
        if count == max_items:
            rest = sum(1 for _ in _ITEM_END.finditer(data, match.end()))
            if not rest:
                return data, None
            # the cut document lacks its closing tags; feedparser keeps what it parsed (bozo)
            return data[: match.end()], count + rest
    return data, None


def _not_a_feed(where: str, reason: str) -> ReadResult:
    return ReadResult(problems=(ReadProblem(where, f"not a feed: {reason}"),))


def _bozo_reason(parsed: Any) -> str:
    exc = parsed.get("bozo_exception")
    if exc is None:
        return ""
    text = " ".join(str(exc).split())
    return f"{type(exc).__name__}: {text}"[:200] if text else type(exc).__name__


def _feed_source(
    title: Any, feed_name: str | None, feed_url: str, link: Any
) -> tuple[str, str | None]:
    name = clean_title(str(title or ""))
    if name:
        return name, None
    if feed_name and clean_title(feed_name):
        return clean_title(feed_name), None
    host = host_of(feed_url) or host_of(str(link or ""))
    if host:
        return host.removeprefix("www."), "the feed has no title; source is its host"
    stem = PurePath(feed_url).stem if feed_url else ""
    if stem:
        return stem, "the feed has no title; source is the file name"
    return "unknown feed", "the feed has no title, name or host"


def _entry_text(entry: Any) -> tuple[str, str]:
    """(body, summary): full content (content:encoded, Atom content) beats the summary."""
    best = ""
    for content in entry.get("content") or []:
        value = str(content.get("value") or "")
        text = _to_text(value, str(content.get("type") or ""))
        if len(text) > len(best):
            best = text
    summary_detail = entry.get("summary_detail") or {}
    summary = _to_text(str(entry.get("summary") or ""), str(summary_detail.get("type") or ""))
    if best:
        return best, summary if summary and summary not in best else ""
    return summary, ""


def _to_text(value: str, mime: str) -> str:
    if not value:
        return ""
    if "html" in mime or ("<" in value and ">" in value):
        return html_to_text(value, full_page=False)
    return clean_text(value)


def _entry_date(entry: Any) -> datetime | None:
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        value = entry.get(key)
        if value:
            try:
                return datetime.fromtimestamp(timegm(value), UTC)
            except (OverflowError, OSError, ValueError, TypeError):
                continue
    for key in ("published", "updated", "created"):
        found = parse_date(str(entry.get(key) or "")) if entry.get(key) else None
        if found:
            return found
    return None


def _entry_article(
    entry: Any,
    index: int,
    feed_source: tuple[str, str | None],
    feed_url: str,
    feed_lang: str,
    where: str,
) -> Article | ReadProblem:
    raw_text, summary = _entry_text(entry)
    body = finish_body(raw_text, cleaned=True)
    title = clean_title(str(entry.get("title") or ""))
    if not title and not body.text:
        return ReadProblem(f"{where}#item{index + 1}", "item has neither title nor text")
    link = str(entry.get("link") or "").strip()
    if link and host_of(feed_url) and not host_of(link):
        link = urljoin(feed_url, link)
    url = link or None
    guid = clean_title(str(entry.get("id") or ""), max_len=1000)
    article_id = (
        guid
        or (canonical_url(link) if link else "")
        or stable_id(feed_url, title, body.text[:2000])
    )
    source, note = feed_source
    item_source = entry.get("source") or {}
    item_outlet = clean_title(str(item_source.get("title") or "")) if item_source else ""
    if item_outlet and item_outlet != source:
        note = f"outlet from the item's <source>; feed: {source}"
        source = item_outlet
    if note is not None and body.outlet:
        source, note = choose_source(None, outlet=body.outlet)
    lang = str(entry.get("language") or feed_lang or "en").lower()[:16]
    return Article(
        id=article_id,
        title=title or short_title(body.text),
        text=body.text[:MAX_TEXT],
        source=source,
        url=url,
        published=_entry_date(entry),
        lang=lang,
        origin=feed_url,
        source_note=note,
        dateline=body.dateline,
        summary=summary[:MAX_SUMMARY],
    )


# --------------------------------------------------------------------------- JSON Feed


def _parse_json_document(
    data: bytes, feed_url: str, feed_name: str | None, *, max_items: int
) -> ReadResult:
    where = feed_url or feed_name or "feed"
    try:
        doc = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        return _not_a_feed(where, f"invalid JSON: {str(exc)[:120]}")
    if not isinstance(doc, dict) or not (
        "jsonfeed.org" in str(doc.get("version") or "") or isinstance(doc.get("items"), list)
    ):
        return _not_a_feed(where, "JSON document is not a JSON Feed")
    return read_json_feed(doc, feed_url=feed_url, feed_name=feed_name, max_items=max_items)


def read_json_feed(
    doc: dict[str, Any], *, feed_url: str, feed_name: str | None, max_items: int = 500
) -> ReadResult:
    """A decoded JSON Feed (1.0/1.1); feedparser 6 does not read these."""
    where = feed_url or feed_name or "feed"
    items = doc.get("items")
    if not isinstance(items, list):
        return _not_a_feed(where, "JSON Feed without an items list")
    if not items:
        return ReadResult(problems=(ReadProblem(where, "feed (json) has no items"),))
    source = _feed_source(doc.get("title"), feed_name, feed_url, doc.get("home_page_url"))
    feed_lang = str(doc.get("language") or "")
    articles: list[Article] = []
    problems: list[ReadProblem] = []
    for index, item in enumerate(items[:max_items]):
        made = _json_item(item, index, source, feed_url, feed_lang, where)
        if isinstance(made, ReadProblem):
            problems.append(made)
        else:
            articles.append(made)
    if len(items) > max_items:
        problems.append(
            ReadProblem(where, f"{len(items)} items; only the first {max_items} were read")
        )
    return ReadResult(tuple(articles), tuple(problems))


def _str(value: Any) -> str:
    return value if isinstance(value, str) else (str(value) if isinstance(value, int) else "")


def _json_item(
    item: Any,
    index: int,
    feed_source: tuple[str, str | None],
    feed_url: str,
    feed_lang: str,
    where: str,
) -> Article | ReadProblem:
    at = f"{where}#item{index + 1}"
    if not isinstance(item, dict):
        return ReadProblem(at, "item is not an object")
    html_body = _str(item.get("content_html"))
    raw = html_to_text(html_body, full_page=False) if html_body else ""
    raw = raw or clean_text(_str(item.get("content_text")))
    summary = clean_text(_str(item.get("summary")))
    if not raw:
        raw, summary = summary, ""
    body = finish_body(raw, cleaned=True)
    title = clean_title(_str(item.get("title")))
    if not title and not body.text:
        return ReadProblem(at, "item has neither title nor text")
    link = _str(item.get("url")).strip() or _str(item.get("external_url")).strip()
    article_id = clean_title(_str(item.get("id")), max_len=1000) or (
        canonical_url(link) if link else stable_id(feed_url, title, body.text[:2000])
    )
    published = parse_date(_str(item.get("date_published"))) or parse_date(
        _str(item.get("date_modified"))
    )
    source, note = feed_source
    return Article(
        id=article_id,
        title=title or short_title(body.text),
        text=body.text[:MAX_TEXT],
        source=source,
        url=link or None,
        published=published,
        lang=(_str(item.get("language")) or feed_lang or "en").lower()[:16],
        origin=feed_url,
        source_note=note,
        dateline=body.dateline,
        summary=summary[:MAX_SUMMARY],
    )
