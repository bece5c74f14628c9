"""Reading the team's shared data (skipped when ../shared is absent)."""

from __future__ import annotations

from pathlib import Path

import pytest

from digests.ingest import parse_feed, read_paths

SHARED = Path(__file__).resolve().parents[2] / "shared"

pytestmark = pytest.mark.shared


def need(path: Path) -> Path:
    if not path.exists():
        pytest.skip(f"{path} not present")
    return path


def test_seed_articles() -> None:
    seeds = need(SHARED / "seeds")
    result = read_paths([seeds])
    assert not result.problems
    by_id = {a.id: a for a in result.articles}
    assert len(by_id) == 2
    for art in result.articles:
        assert "Copyright" not in art.text and "ⓒ" not in art.text
        assert art.source and art.title and art.text
    first = next(a for a in result.articles if a.id.startswith("001"))
    assert (
        first.title
        == "Kim Jong Un meets Russian culture minister, pushes for stronger cultural ties"
    )
    assert first.source in ("Aju Press", "AJP (Aju Press)")
    assert first.dateline is not None and first.dateline.place == "SEOUL"
    assert first.text.startswith("North Korean leader")
    assert first.title not in first.text
    zero = next(a for a in result.articles if a.id.startswith("000"))
    assert zero.title.startswith("Kim Jong-un meets Russian culture minister")
    assert zero.source == zero.id and "file name" in (zero.source_note or "")


def test_ecbplus_jsonl_keeps_record_ids() -> None:
    path = need(SHARED / "data" / "ecbplus-subtopics" / "ecbplus.jsonl")
    result = read_paths([path])
    assert not result.problems
    assert len(result.articles) == 982
    assert len({a.id for a in result.articles}) == 982
    assert all(a.id.startswith("ecbplus:") for a in result.articles)


def test_pages_devset_reads() -> None:
    path = need(SHARED / "data" / "pages-devset" / "articles.jsonl")
    result = read_paths([path])
    assert not result.problems
    assert all(a.title and a.source for a in result.articles)


def _feed_files() -> list[Path]:
    files: list[Path] = []
    for folder in ("feeds-feedparser", "feeds-real"):
        root = SHARED / "data" / folder
        if root.exists():
            files += [
                p
                for p in sorted(root.rglob("*"))
                if p.is_file() and p.name not in ("LICENSE", "README.md")
            ]
    return files


def test_every_shared_feed_yields_articles_or_a_clear_problem() -> None:
    files = _feed_files()
    if not files:
        pytest.skip("shared feeds not present")
    with_articles = 0
    for path in files:
        result = parse_feed(path.read_bytes(), f"https://feeds.example/{path.name}")
        assert result.articles or result.problems, path
        for problem in result.problems:
            assert problem.where and problem.reason, path
        for art in result.articles:
            assert art.id and art.source and (art.title or art.text), path
            low = (art.title + art.text + art.summary).lower()
            assert "<script" not in low and "<iframe" not in low, path
        with_articles += bool(result.articles)
    assert with_articles >= 40
