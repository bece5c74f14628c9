"""Reading article files and folders: titles, datelines, sources, problems."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from digests.ingest import read_bytes, read_paths
from digests.models import Dateline

FIXTURES = Path(__file__).parent / "fixtures" / "ingest"


def one(name: str):
    result = read_paths([FIXTURES / name])
    assert not result.problems, result.problems
    assert len(result.articles) == 1
    return result.articles[0]


def test_title_at_end_dateline_and_copyright_outlet() -> None:
    art = one("wire_title_at_end.txt")
    assert art.id == "wire_title_at_end"
    assert art.title == "Ferry terminal in Tromsvik shut after crane collapse"
    assert art.source == "Fjord Daily Ltd"
    assert art.dateline == Dateline(place="OSLO", date_text="March 3", agency="NTB")
    assert art.text.startswith("The harbour authority in Tromsvik closed")
    assert "Copyright" not in art.text and "Share this article" not in art.text
    assert art.title not in art.text
    assert art.text.count("\n") == 2  # three paragraphs kept


def test_headline_first_line_and_file_name_source() -> None:
    art = one("headline_first.txt")
    assert art.title == "Lantern festival draws record crowds to riverside town of Elmbridge"
    assert art.source == "headline_first"
    assert art.source_note and "file name" in art.source_note
    assert art.text.startswith("More than 40,000 visitors")
    assert "Advertisement" not in art.text
    assert art.dateline is None


def test_markdown_heading_front_matter_and_unwrapping() -> None:
    art = one("notes.md")
    assert art.title == "Library reopens after flood repairs"
    assert art.source == "The Valley Courier"
    assert art.published == datetime(2024, 5, 2, tzinfo=UTC)
    assert art.text.split("\n")[0].startswith("The Brookfield public library reopened")
    assert "city council said in a statement." in art.text
    assert "**" not in art.text and "](" not in art.text
    assert "Read more" not in art.text


def test_jsonl_bad_line_is_reported_and_others_read() -> None:
    path = FIXTURES / "records.jsonl"
    result = read_paths([path])
    ids = [a.id for a in result.articles]
    assert ids[:2] == ["r1", "r2"] and len(ids) == 3
    wheres = {p.where: p.reason for p in result.problems}
    assert f"{path}:3" in wheres and "invalid JSON" in wheres[f"{path}:3"]
    assert "neither title nor text" in wheres[f"{path}:4"]
    assert f"{path}:6" in wheres
    first = result.articles[0]
    assert first.source == "Valley Wire"
    assert first.published == datetime(2024, 3, 1, 7, 0, tzinfo=UTC)
    assert first.dateline == Dateline(place="NORTHVALE", agency="Valley Wire")
    assert first.text.startswith("The toll on the Northvale bridge")
    assert result.articles[1].published is None
    no_id = result.articles[2]
    assert no_id.id.startswith("h") and no_id.source == "example.net"
    assert "URL host" in (no_id.source_note or "")


def test_a_record_reusing_an_id_is_reported_not_merged() -> None:
    data = (
        b'{"id": "x1", "title": "Dam fails in Ostra", "text": "The Ostra dam failed."}\n'
        b'{"id": "x1", "title": "Ferry sinks", "text": "A ferry sank off Velan."}\n'
        b'{"id": "x2", "title": "Rail strike", "text": "Drivers walked out."}\n'
    )
    result = read_bytes(data, "mixed.jsonl")
    assert [a.id for a in result.articles] == ["x1", "x2"]
    assert result.articles[0].title == "Dam fails in Ostra"
    [problem] = result.problems
    assert problem.where.endswith(":2") and "'x1' is already used at" in problem.reason


def test_json_articles_wrapper() -> None:
    result = read_paths([FIXTURES / "articles.json"])
    assert not result.problems
    assert [a.id for a in result.articles] == ["j1", "7"]
    assert result.articles[1].published is not None


def test_html_page_metadata_and_body() -> None:
    art = one("page.html")
    assert art.id == "page"
    assert art.title == "Orchard growers report early frost damage"
    assert art.source == "Hillside Gazette"
    assert art.url == "https://hillsidegazette.example/news/frost-damage"
    assert art.published == datetime(2024, 4, 12, 6, 30, tzinfo=UTC)
    assert "late frost had damaged up to a third" in art.text
    assert "Petra Lindqvist" in art.text
    for junk in ("tracker", "color: red", "iframe text", "Sport", "Copyright"):
        assert junk not in art.text


def test_missing_binary_empty_and_unsupported_files(tmp_path: Path) -> None:
    odd = tmp_path / "photo.png"
    odd.write_bytes(b"\x89PNG\r\n")
    missing = tmp_path / "nope.txt"
    result = read_paths([FIXTURES / "binary.txt", FIXTURES / "empty.txt", missing, odd])
    assert result.articles == ()
    reasons = {Path(p.where).name: p.reason for p in result.problems}
    assert "binary" in reasons["binary.txt"]
    assert "empty" in reasons["empty.txt"]
    assert "no such file" in reasons["nope.txt"]
    assert "unsupported" in reasons["photo.png"]


def test_folder_is_recursive_sorted_and_skips_hidden_and_unsupported() -> None:
    result = read_paths([FIXTURES / "folder"])
    assert not result.problems
    assert [a.id for a in result.articles] == ["b", "a"]  # folder/b.txt < folder/sub/a.txt
    assert all(a.title == "Second folder article about a lighthouse" for a in result.articles)


def test_read_bytes_dispatch_and_encodings() -> None:
    text = "Café owners protest new rent rules in Lisbonne\nThe owners marched on Friday."
    for data in (
        text.encode("utf-8"),
        text.encode("utf-8-sig"),
        text.encode("utf-16"),
        text.encode("utf-16-le"),
        text.encode("cp1252"),
    ):
        result = read_bytes(data, "x.txt")
        assert not result.problems, result.problems
        assert result.articles[0].title.startswith("Café owners")
    assert "unsupported" in read_bytes(b"abc", "x.doc").problems[0].reason


def test_no_headline_uses_first_sentence() -> None:
    body = (
        "Residents of Kettleby voted on Sunday to keep their village post office open. "
        "The vote was 412 to 87.\nA second paragraph follows here."
    )
    art = read_bytes(body.encode(), "kettleby.txt").articles[0]
    assert (
        art.title == "Residents of Kettleby voted on Sunday to keep their village post office open."
    )
    assert art.text.startswith("Residents of Kettleby voted")


def test_control_and_zero_width_characters_removed() -> None:
    data = "Zero\u200bwidth\x07 title here ok\nBody\x1b text\u00a0with nbsp.\r\nNext.".encode()
    art = read_bytes(data, "z.txt").articles[0]
    assert art.title == "Zerowidth title here ok"
    assert art.text == "Body text with nbsp.\nNext."


def test_empty_folder_is_a_problem(tmp_path: Path) -> None:
    (tmp_path / "x.csv").write_text("a,b")
    result = read_paths([tmp_path])
    assert result.articles == () and "no article files" in result.problems[0].reason


def test_record_without_title_takes_a_headline_first_line() -> None:
    data = b'{"id": "q", "text": "Storm closes mountain pass\\nThe pass closed at noon."}'
    art = read_bytes(data, "q.json").articles[0]
    assert art.title == "Storm closes mountain pass"
    assert art.text == "The pass closed at noon."


def test_bare_dateline_line_is_not_a_title() -> None:
    data = b"SEOUL, June 30 (AJP) -\nOfficials met on Monday.\nThey talked.\n"
    art = read_bytes(data, "a.txt").articles[0]
    assert art.dateline is not None and art.dateline.agency == "AJP"
    assert art.title == "Officials met on Monday."
    assert art.text == "Officials met on Monday.\nThey talked."
    assert art.source == "AJP" and "dateline" in (art.source_note or "")


def test_byline_names_the_outlet_and_date(tmp_path: Path) -> None:
    from digests.ingest import read_paths

    path = tmp_path / "ferry.md"
    path.write_text(
        "# Ferry line approved\n\n*By Ana Holt, Isle Post — 21 November 2026*\n\n"
        "The council approved the ferry line on Monday.\n",
        encoding="utf-8",
    )
    [article] = read_paths([path]).articles
    assert article.source == "Isle Post"
    assert article.published is not None and article.published.day == 21
    assert "By Ana Holt" not in article.text
    staff = tmp_path / "quake.txt"
    staff.write_text(
        "Quake shakes coast\n\nBy Bay Herald staff, with wire reports from North Wire\n\n"
        "A strong earthquake shook the coast on Sunday.\n",
        encoding="utf-8",
    )
    [article] = read_paths([staff]).articles
    assert article.source == "Bay Herald"


def test_a_timestamp_line_is_no_title() -> None:
    # A page's first line is often its publication stamp, then a label: neither is a headline.
    text = "Sunday, 4 February, 2024 UTC\\n\\nSummary\\n\\nThe Velan ferry line reopened on Saturday after two years."
    data = ('{"id": "t", "text": "' + text + '"}').encode()
    art = read_bytes(data, "t.json").articles[0]
    assert art.title == "The Velan ferry line reopened on Saturday after two years."
