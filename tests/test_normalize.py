"""URL canonicalisation, dates, datelines, boilerplate, titles, HTML text."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from digests.models import Dateline
from digests.normalize import (
    canonical_url,
    clean_text,
    clean_title,
    copyright_outlet,
    fingerprint,
    host_of,
    html_to_text,
    is_headline_like,
    parse_date,
    parse_dateline,
    strip_boilerplate,
)


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        (
            "HTTPS://News.Example.COM:443/a/b/?utm_source=x&utm_medium=y&id=3#frag",
            "https://news.example.com/a/b?id=3",
        ),
        ("http://example.com:80/story?fbclid=abc&b=2&a=1", "http://example.com/story?a=1&b=2"),
        (
            "https://example.com/story?gclid=1&mc_cid=2&mc_eid=3&ref=home",
            "https://example.com/story",
        ),
        ("https://example.com/amp/2024/05/story/", "https://example.com/2024/05/story"),
        ("https://example.com/2024/05/story/amp", "https://example.com/2024/05/story"),
        ("https://example.com/story?amp=1", "https://example.com/story"),
        ("https://amp.example.com/story.amp.html", "https://example.com/story.html"),
        ("https://example.com", "https://example.com/"),
        ("https://example.com:8443/x", "https://example.com:8443/x"),
        ("tag:example.com,2024:post-1", "tag:example.com,2024:post-1"),
        ("  ", ""),
        ("http://[::1", "http://[::1"),
    ],
)
def test_canonical_url(url: str, expected: str) -> None:
    assert canonical_url(url) == expected


def test_canonical_url_is_idempotent() -> None:
    url = "https://Example.com/a/?utm_campaign=z&q=a%20b"
    assert canonical_url(canonical_url(url)) == canonical_url(url)


def test_host_of() -> None:
    assert host_of("https://WWW.Example.org:8080/x") == "www.example.org"
    assert host_of("not a url") is None
    assert host_of(None) is None
    assert host_of("mailto:x@y.z") is None


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2024-03-01T08:00:00+01:00", datetime(2024, 3, 1, 7, 0, tzinfo=UTC)),
        ("2024-03-01T08:00:00Z", datetime(2024, 3, 1, 8, 0, tzinfo=UTC)),
        ("2024-03-01", datetime(2024, 3, 1, tzinfo=UTC)),
        ("2024-03-01 08:00:00", datetime(2024, 3, 1, 8, 0, tzinfo=UTC)),
        ("Tue, 05 Mar 2024 09:15:00 +0100", datetime(2024, 3, 5, 8, 15, tzinfo=UTC)),
        ("Tue, 05 Mar 2024 09:15:00 GMT", datetime(2024, 3, 5, 9, 15, tzinfo=UTC)),
        ("June 30, 2025", datetime(2025, 6, 30, tzinfo=UTC)),
        ("June 30, 2025 / 6:33 AM", datetime(2025, 6, 30, 6, 33, tzinfo=UTC)),
        ("30 June 2025", datetime(2025, 6, 30, tzinfo=UTC)),
        ("Jan. 5, 2024 at 3:04 p.m.", datetime(2024, 1, 5, 15, 4, tzinfo=UTC)),
        ("2025/06/30", datetime(2025, 6, 30, tzinfo=UTC)),
        ("1717200000", datetime(2024, 6, 1, 0, 0, tzinfo=UTC)),
    ],
)
def test_parse_date(value: str, expected: datetime) -> None:
    assert parse_date(value) == expected


@pytest.mark.parametrize(
    "junk", [None, "", "soon", "2024-13-45", "0000-00-00", "9999999999999", "x" * 500]
)
def test_parse_date_junk(junk: str | None) -> None:
    assert parse_date(junk) is None


@pytest.mark.parametrize(
    ("text", "dateline", "rest"),
    [
        (
            "SEOUL, June 30 (AJP) - North Korean officials met.",
            Dateline("SEOUL", "June 30", "AJP"),
            "North Korean officials met.",
        ),
        (
            "WASHINGTON (AP) — The Senate voted.",
            Dateline("WASHINGTON", None, "AP"),
            "The Senate voted.",
        ),
        (
            "LONDON, Jan. 5 (Reuters) - Shares fell.",
            Dateline("LONDON", "Jan. 5", "Reuters"),
            "Shares fell.",
        ),
        ("PARIS — Museums reopened.", Dateline("PARIS", None, None), "Museums reopened."),
        (
            "NEW YORK, March 3, 2024 (AFP) -- Markets rose.",
            Dateline("NEW YORK", "March 3, 2024", "AFP"),
            "Markets rose.",
        ),
        (
            "Seoul, June 30 (IANS) North Korea said.",
            Dateline("Seoul", "June 30", "IANS"),
            "North Korea said.",
        ),
        (
            "WONSAN /North Korea/, July 12. /TASS/. Officials met.",
            Dateline("WONSAN, North Korea", "July 12", "TASS"),
            "Officials met.",
        ),
        ("SEOUL: Ministers met.", Dateline("SEOUL", None, None), "Ministers met."),
    ],
)
def test_parse_dateline(text: str, dateline: Dateline, rest: str) -> None:
    assert parse_dateline(text) == (dateline, rest)


@pytest.mark.parametrize(
    "text",
    [
        "The minister said on Monday that talks would resume.",
        "Update: the road has reopened.",
        "UPDATE: the road has reopened.",
        "POSTED: 05/02/07, 9:00 PM",
        "Kim Jong Un meets Russian culture minister, pushes for stronger ties",
        "",
    ],
)
def test_not_a_dateline(text: str) -> None:
    assert parse_dateline(text) == (None, text)


def test_strip_boilerplate_is_line_based_and_conservative() -> None:
    text = "\n".join(
        [
            "The bridge opened on Monday.",
            "Copyright ⓒ Valley Wire All rights reserved.",
            "© 2024 Metro Bugle",
            "Share this article",
            "Subscribe to our newsletter for daily updates",
            "Follow us on Twitter and Facebook",
            "Click here to read the full report",
            "Advertisement",
            "Read more: Other bridges in the region",
            "The advertisement campaign for the bridge cost $2 million, officials said.",
            "Readers can follow us on the new app, the editor said in a long statement today.",
        ]
    )
    kept = strip_boilerplate(text).split("\n")
    assert kept == [
        "The bridge opened on Monday.",
        "The advertisement campaign for the bridge cost $2 million, officials said.",
        "Readers can follow us on the new app, the editor said in a long statement today.",
    ]


@pytest.mark.parametrize(
    ("line", "outlet"),
    [
        ("Copyright ⓒ Aju Press All rights reserved.", "Aju Press"),
        ("© 2024 Metro Bugle", "Metro Bugle"),
        ("Copyright 2023 The Associated Press. All rights reserved.", "The Associated Press"),
        ("(c) 2021-2024 Fjord Daily Ltd. All rights reserved.", "Fjord Daily Ltd"),
        ("Just a sentence.", None),
    ],
)
def test_copyright_outlet(line: str, outlet: str | None) -> None:
    assert copyright_outlet("Body text.\n" + line) == outlet


def test_clean_title_and_text() -> None:
    assert (
        clean_title("  <b>Big</b> &amp;amp; bold\u200b \u202eheadline\n ") == "Big & bold headline"
    )
    assert clean_text(" a\u00a0 b \r\n\r\n\tc\x00d \u2028e") == "a b\ncd\ne"


def test_headline_like() -> None:
    assert is_headline_like("Ferry terminal shut after crane collapse")
    assert not is_headline_like("The terminal closed on Tuesday after a crane collapsed.")
    assert not is_headline_like("Copyright ⓒ Aju Press All rights reserved")
    assert not is_headline_like("June 30, 2025")
    assert not is_headline_like("https://example.com/a-b-c")
    assert not is_headline_like("Sunday, 4 February, 2024 UTC")
    assert not is_headline_like("Last updated on Jan. 4, 2024 at 10:02 a.m. EST")
    assert is_headline_like("May Day march draws 40,000 in Harlow")


def test_fingerprint_ignores_case_space_and_punctuation() -> None:
    assert fingerprint("Hello,  World!\n") == fingerprint("hello world")
    assert fingerprint("hello world") != fingerprint("hello there")


def test_html_to_text_snippet_drops_active_content_and_keeps_paragraphs() -> None:
    html = (
        "<p>First <b>para</b>.</p><script>x()</script><style>p{}</style>"
        "<iframe>frame</iframe><p onmouseover='y()'>Second<br>line</p>"
        "<p>&lt;script&gt;z()&lt;/script&gt; escaped</p>"
    )
    assert html_to_text(html, full_page=False) == "First para.\nSecond\nline\nescaped"
    assert html_to_text("", full_page=True) == ""
    assert html_to_text("<?xml version='1.0' encoding='utf-8'?><p>x</p>", full_page=False) == "x"


def test_unrendered_template_tags_are_not_text() -> None:
    raw = (
        "The Orla probe landed near the pole. {{^adFree}} {{/adFree}}\nIt is {% if x %}the fourth."
    )
    assert clean_text(raw) == "The Orla probe landed near the pole.\nIt is the fourth."
    assert clean_text("A set {x} of braces stays.") == "A set {x} of braces stays."
