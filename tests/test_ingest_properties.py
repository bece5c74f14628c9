"""Property tests: arbitrary text never crashes a reader or leaks control characters."""

from __future__ import annotations

import json
import unicodedata

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from digests.ingest import parse_feed, read_bytes
from digests.normalize import (
    canonical_url,
    clean_text,
    clean_title,
    fingerprint,
    html_to_text,
    parse_date,
    parse_dateline,
    strip_boilerplate,
)

NASTY = st.sampled_from(
    [
        "\u200f",
        "\u202e",
        "\u200d",
        "\u200b",
        "\ufeff",
        "\x00",
        "\x1b",
        "\r",
        "\u2028",
        "<b>",
        "&amp;",
        "<script>x()</script>",
        "\ud800",
        "ⓒ",
        "SEOUL, June 30 (AJP) - ",
        "Copyright © X",
        "\n\n",
        " ",
    ]
)
TEXT = st.lists(st.one_of(st.text(max_size=40), NASTY, st.just("w" * 10_000)), max_size=12).map(
    "".join
)
SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def no_controls(value: str, *, newlines: bool) -> bool:
    allowed = {"\n"} if newlines else set()
    return not any(
        (unicodedata.category(c) in ("Cc", "Cs") and c not in allowed) or c in "\u200b\ufeff\u202e"
        for c in value
    )


@SETTINGS
@given(TEXT)
def test_normalizers_are_total(text: str) -> None:
    assert no_controls(clean_text(text), newlines=True)
    title = clean_title(text)
    assert no_controls(title, newlines=False) and "\n" not in title
    strip_boilerplate(clean_text(text))
    fingerprint(text)
    canonical_url(text)
    parse_date(text)
    dateline, rest = parse_dateline(text)
    assert dateline is not None or rest == text
    out = html_to_text(text, full_page=False)
    assert no_controls(out, newlines=True) and "<script" not in out.lower()


@SETTINGS
@given(TEXT, st.sampled_from([".txt", ".md", ".html", ".json", ".jsonl", ".xml"]))
def test_read_bytes_never_raises(text: str, ext: str) -> None:
    data = text.encode("utf-8", "surrogatepass")
    result = read_bytes(data, "doc" + ext)
    assert result.articles or result.problems
    for art in result.articles:
        assert no_controls(art.title, newlines=False)
        assert no_controls(art.text, newlines=True)
        assert art.source and art.id


@SETTINGS
@given(TEXT, TEXT)
def test_records_and_feeds_with_hostile_fields(title: str, body: str) -> None:
    record = json.dumps({"id": "x", "title": title, "text": body})
    result = read_bytes(record.encode(), "r.jsonl")
    for art in result.articles:
        assert no_controls(art.title, newlines=False) and no_controls(art.text, newlines=True)
    esc = (
        title.replace("&", "&amp;").replace("<", "&lt;").encode("utf-8", "surrogatepass"),
        body.replace("&", "&amp;").replace("<", "&lt;").encode("utf-8", "surrogatepass"),
    )
    feed = (
        b"<rss version='2.0'><channel><title>F</title><item><title>"
        + esc[0]
        + b"</title><description>"
        + esc[1]
        + b"</description></item></channel></rss>"
    )
    result = parse_feed(feed, "https://f.example/feed")
    assert result.articles or result.problems
    for art in result.articles:
        assert no_controls(art.title, newlines=False) and no_controls(art.text, newlines=True)
        assert "<script" not in art.text.lower()


@SETTINGS
@given(st.binary(max_size=2000))
def test_parse_feed_on_random_bytes(data: bytes) -> None:
    result = parse_feed(data, "https://f.example/feed")
    assert result.articles or result.problems
