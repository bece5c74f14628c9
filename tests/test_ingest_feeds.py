"""Feed documents: RSS 2.0, Atom, RDF, JSON Feed, and documents that are not feeds."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from digests.ingest import parse_feed, read_bytes, read_paths

FIXTURES = Path(__file__).parent / "fixtures" / "ingest"


def feed(name: str, url: str = "https://feeds.example/x"):
    return parse_feed((FIXTURES / name).read_bytes(), url)


def test_rss20_content_encoded_is_preferred_and_safe() -> None:
    result = feed("rss20.xml")
    assert len(result.articles) == 3
    first, second, third = result.articles
    assert first.id == "coastline-1001"
    assert first.source == "Coastline Herald"
    assert first.title == "Seal colony & pups counted on Skerry Isle"
    assert first.published == datetime(2024, 3, 5, 8, 15, tzinfo=UTC)
    assert first.text.startswith("Volunteers counted 312 grey seal pups")
    assert first.dateline is not None and first.dateline.place == "PORTHAVEN"
    assert "Dr. Lena Hart" in first.text
    assert first.summary == "Short teaser about seals."
    for bad in ("alert", "steal", "evil", "<script", "onclick", "Share this article", "p{}"):
        assert bad not in first.text
    assert first.lang == "en-gb"
    assert second.id == "https://coastline.example/news/wall"
    assert second.text == "Repairs to the harbour wall began on Monday."
    assert third.title == "Untitled item text about a new ferry timetable."
    assert third.id.startswith("h")


def test_atom_content_over_summary() -> None:
    result = feed("atom.xml")
    a, b = result.articles
    assert a.title == "Avalanche warning raised to level four"
    assert a.id == "tag:mountainpost.example,2024:avalanche-4"
    assert a.text == (
        "Forecasters raised the avalanche warning for the Upper Valley to level four on "
        "Saturday.\nSki lifts above 2,000 metres will stay closed."
    )
    assert a.published == datetime(2024, 2, 10, 9, 0, tzinfo=UTC)
    assert a.source == "Mountain Post"
    assert b.id == "https://mountainpost.example/second"


def test_rdf_rss10() -> None:
    (art,) = feed("rdf.xml").articles
    assert art.source == "Riverside Bulletin"
    assert art.id == "https://riverside.example/market"
    assert art.published == datetime(2024, 5, 20, 7, 0, tzinfo=UTC)


def test_json_feed_via_parse_feed_and_read_paths() -> None:
    for result in (feed("feed.json"), read_paths([FIXTURES / "feed.json"])):
        assert [a.id for a in result.articles] == ["pl-1", "pl-2"]
        assert len(result.problems) == 2
        grain = result.articles[0]
        assert grain.source == "Prairie Ledger"
        assert "bad()" not in grain.text and "Farmers blamed the dry spring." in grain.text
        assert grain.published == datetime(2024, 6, 1, 15, 0, tzinfo=UTC)
        assert result.articles[1].title.startswith("A text-only item")


def test_not_a_feed_is_one_problem() -> None:
    for data in (
        (FIXTURES / "not_a_feed.xml").read_bytes(),
        b"<html><body><p>Hello</p></body></html>",
        b"",
        b"just words",
        b'{"hello": 1}',
    ):
        result = parse_feed(data, "https://feeds.example/bad")
        assert result.articles == ()
        assert len(result.problems) == 1
        assert result.problems[0].reason.startswith("not a feed"), result.problems


def test_source_falls_back_to_feed_name_then_host() -> None:
    data = (
        b"<rss version='2.0'><channel><item><title>Only item here</title>"
        b"<link>https://a.example/1</link></item></channel></rss>"
    )
    assert parse_feed(data, "https://www.host.example/f", "My Feed").articles[0].source == "My Feed"
    art = parse_feed(data, "https://www.host.example/f").articles[0]
    assert art.source == "host.example"


def test_max_items_cap() -> None:
    items = b"".join(
        b"<item><title>Item number %d</title><guid>g%d</guid></item>" % (i, i) for i in range(20)
    )
    data = b"<rss version='2.0'><channel><title>T</title>" + items + b"</channel></rss>"
    result = parse_feed(data, "https://x.example/f", max_items=5)
    assert len(result.articles) == 5
    assert "only the first 5" in result.problems[0].reason


def test_bytes_that_look_like_a_path_are_not_opened() -> None:
    result = parse_feed(b"/etc/hostname", "https://x.example/f")
    assert result.articles == () and result.problems[0].reason.startswith("not a feed")


def test_read_bytes_routes_xml_to_feed_parser() -> None:
    data = (FIXTURES / "rss20.xml").read_bytes()
    assert len(read_bytes(data, "news.rss").articles) == 3


def test_a_feed_with_100000_items_is_cut_before_parsing() -> None:
    """Parsing every item would take minutes of CPU: the reader stops at max_items."""
    import tracemalloc

    from digests.ingest import parse_feed

    items = "".join(
        f"<item><title>Item {i}</title><link>https://big.example/{i}</link>"
        f"<description>Text {i}.</description></item>"
        for i in range(100_000)
    )
    data = (
        f'<?xml version="1.0"?><rss version="2.0"><channel><title>Big</title>{items}'
        "</channel></rss>"
    ).encode()
    tracemalloc.start()
    try:
        result = parse_feed(data, "https://big.example/feed.xml", max_items=200)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert len(result.articles) == 200
    assert result.articles[-1].title == "Item 199"
    assert any("100000 items" in p.reason for p in result.problems)
    assert peak < 100_000_000
