"""Saved article web pages (.html/.htm): metadata from the head, text from the main content."""

from __future__ import annotations

import json
import logging
import re
from typing import Any

from digests.ingest.common import MAX_TEXT, choose_source, decode_text, finish_body, stem_of
from digests.models import Article, ReadProblem, ReadResult
from digests.normalize import clean_title, host_of, html_to_text, parse_date, short_title

log = logging.getLogger(__name__)

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([A-Za-z0-9_\-:.]{2,40})""", re.I)
_TITLE_SEPARATORS = (" | ", " - ", " — ", " – ", " :: ", " · ", " ~ ")


def parse_html_page(data: bytes, name: str, origin: str = "") -> ReadResult:
    """One article from a saved page; its id is the file name without extension."""
    where = origin or name
    declared = _declared_charset(data)
    text, reason = decode_text(data, declared)
    if text is None:
        return ReadResult(problems=(ReadProblem(where, reason),))
    if not text.strip():
        return ReadResult(problems=(ReadProblem(where, "empty file"),))
    meta = _page_metadata(text)
    body = finish_body(html_to_text(text, full_page=True), cleaned=True)
    site = meta.get("site")
    title = _strip_site_suffix(meta.get("title", ""), site, meta.get("url"))
    lines = body.text.split("\n")
    if title and lines and lines[0].casefold() == title.casefold():
        lines = lines[1:]
    body_text = "\n".join(lines)
    if not title and not body_text:
        return ReadResult(problems=(ReadProblem(where, "no article text found in the page"),))
    source, note = choose_source(
        site,
        outlet=body.outlet,
        dateline=body.dateline,
        url=meta.get("url") or origin,
        stem=stem_of(name),
    )
    article = Article(
        id=stem_of(name),
        title=title or short_title(body_text),
        text=body_text[:MAX_TEXT],
        source=source,
        url=meta.get("url") or None,
        published=parse_date(meta.get("published")),
        lang=(meta.get("lang") or "en").lower()[:16],
        origin=where,
        source_note=note,
        dateline=body.dateline,
        summary=meta.get("description", "")[:1000],
    )
    return ReadResult(articles=(article,))


def _declared_charset(data: bytes) -> str | None:
    m = _META_CHARSET.search(data[:4096])
    if not m:
        return None
    return m.group(1).decode("ascii", "replace").lower()


def _page_metadata(text: str) -> dict[str, str]:
    """title, site, url, published, lang, description from meta tags, JSON-LD and markup."""
    try:
        import lxml.html

        root = lxml.html.document_fromstring(re.sub(r"^\s*<\?xml[^>]*>", "", text))
    except Exception:  # noqa: BLE001 - lxml rejects some inputs; metadata is optional
        return {}
    metas: dict[str, str] = {}
    for el in root.iter("meta"):
        key = (el.get("property") or el.get("name") or el.get("itemprop") or "").strip().lower()
        value = el.get("content")
        if key and value and key not in metas:
            metas[key] = value
    ld = _json_ld(root)
    out: dict[str, str] = {}

    def first(*values: Any) -> str:
        for value in values:
            if isinstance(value, str) and value.strip():
                return value.strip()
        return ""

    h1 = root.find(".//h1")
    title_el = root.find(".//title")
    out["title"] = clean_title(
        first(
            metas.get("og:title"),
            metas.get("twitter:title"),
            ld.get("headline"),
            title_el.text_content() if title_el is not None else "",
            h1.text_content() if h1 is not None else "",
        )
    )
    publisher = ld.get("publisher")
    publisher_name = publisher.get("name") if isinstance(publisher, dict) else None
    out["site"] = clean_title(
        first(metas.get("og:site_name"), publisher_name, metas.get("application-name"))
    )
    canonical = ""
    for link in root.iter("link"):
        if "canonical" in (link.get("rel") or "").lower().split() and link.get("href"):
            canonical = link.get("href", "")
            break
    out["url"] = first(canonical, metas.get("og:url"), ld.get("url")).strip()
    if not host_of(out["url"]):
        out["url"] = ""
    time_el = next((el for el in root.iter("time") if el.get("datetime")), None)
    out["published"] = first(
        metas.get("article:published_time"),
        ld.get("datePublished"),
        metas.get("og:published_time"),
        metas.get("date"),
        metas.get("pubdate"),
        metas.get("publishdate"),
        metas.get("datepublished"),
        metas.get("dc.date"),
        time_el.get("datetime") if time_el is not None else "",
    )
    out["lang"] = first(root.get("lang"), metas.get("og:locale")).split("-")[0].split("_")[0]
    out["description"] = clean_title(first(metas.get("og:description"), metas.get("description")))
    return {k: v for k, v in out.items() if v}


def _json_ld(root: Any) -> dict[str, Any]:
    """The first schema.org article object among the page's JSON-LD blocks."""
    for script in root.iter("script"):
        if (script.get("type") or "").lower() != "application/ld+json":
            continue
        try:
            doc = json.loads(script.text or "")
        except (ValueError, RecursionError):
            continue
        found = _find_article(doc, depth=0)
        if found:
            return found
    return {}


def _find_article(doc: Any, depth: int) -> dict[str, Any] | None:
    if depth > 5:
        return None
    if isinstance(doc, list):
        for item in doc:
            found = _find_article(item, depth + 1)
            if found:
                return found
        return None
    if not isinstance(doc, dict):
        return None
    if "headline" in doc or "datePublished" in doc:
        return doc
    return _find_article(doc.get("@graph"), depth + 1) if "@graph" in doc else None


def _squash(text: str) -> str:
    return re.sub(r"[\W_]+", "", text.casefold())


def _strip_site_suffix(title: str, site: str | None, url: str | None) -> str:
    """ "Headline | Outlet" -> "Headline" when the suffix is the site's name or host."""
    if not title:
        return ""
    host = _squash((host_of(url) or "").removeprefix("www.").rsplit(".", 1)[0])
    for sep in _TITLE_SEPARATORS:
        if sep not in title:
            continue
        head, _, tail = title.rpartition(sep)
        tail_key = _squash(tail)
        if not head.strip() or not tail_key:
            continue
        if (site and tail_key == _squash(site)) or (
            host and (tail_key == host or tail_key in host)
        ):
            return head.strip()
    return title
