"""Consistency checks for the embedded demo corpus in ``digests/demo``.

The gold file ``expected.tsv`` must describe exactly the articles in the folder, every story must
be told by at least two distinct outlets (a syndicated copy does not count as a second one), and
every ``duplicate_of`` must point to an original in the same story.
"""

from __future__ import annotations

import csv
import datetime as dt
import difflib
import html
import json
import re
from collections import Counter, defaultdict
from pathlib import Path

import pytest

import digests

DEMO = Path(digests.__file__).parent / "demo"
ARTICLE_SUFFIXES = {".txt", ".md", ".html", ".json", ".jsonl"}
NOT_ARTICLES = {"ABOUT"}
OUTLETS = (
    "Meridian Press",
    "Harbour Ledger",
    "Kelm Daily",
    "Capital Courier",
    "Valdoria Times",
    "Northline News",
)
FIRST_DAY, LAST_DAY = dt.date(2026, 11, 20), dt.date(2026, 11, 25)


def _article_files() -> list[Path]:
    return sorted(
        p
        for p in DEMO.rglob("*")
        if p.is_file() and p.suffix in ARTICLE_SUFFIXES and p.name not in NOT_ARTICLES
    )


def _strip_html(markup: str) -> str:
    body = re.search(r"<article>(.*)</article>", markup, re.S)
    assert body, "the HTML page must wrap its text in <article>"
    return html.unescape(re.sub(r"<[^>]+>", " ", body.group(1)))


def _known_outlet(text: str) -> str | None:
    """The outlet named first in ``text`` ("By Harbour Ledger staff, with ... Meridian Press")."""
    found = [(text.find(o), o) for o in OUTLETS if o in text]
    return min(found)[1] if found else None


def _load_articles() -> dict[str, dict]:
    """Map article id -> {"outlet", "text", "date", "file"} read from the demo folder."""
    articles: dict[str, dict] = {}

    def add(article_id: str, **fields: object) -> None:
        assert article_id not in articles, f"duplicate article id {article_id!r}"
        articles[article_id] = fields

    for path in _article_files():
        raw = path.read_text(encoding="utf-8")
        if path.suffix == ".jsonl":
            lines = [line for line in raw.splitlines() if line.strip()]
            records = [json.loads(line) for line in lines]
        elif path.suffix == ".json":
            data = json.loads(raw)
            records = data if isinstance(data, list) else [data]
        else:
            records = None
        if records is not None:
            for rec in records:
                fields = {"id", "title", "text", "source", "published", "url", "lang"}
                assert set(rec) == fields, rec.get("id")
                assert re.match(r"https://[a-z0-9.-]+\.example/", rec["url"]), rec["url"]
                add(
                    rec["id"],
                    outlet=rec["source"],
                    text=rec["text"],
                    date=dt.datetime.fromisoformat(rec["published"]).date(),
                    file=path.name,
                )
            continue
        if path.suffix == ".html":
            outlet = re.search(r'og:site_name" content="([^"]+)"', raw).group(1)
            published = re.search(r'article:published_time" content="([^"]+)"', raw).group(1)
            canonical = re.search(r'rel="canonical" href="([^"]+)"', raw).group(1)
            assert re.match(r"https://[a-z0-9.-]+\.example/", canonical), canonical
            add(
                path.stem,
                outlet=outlet,
                text=_strip_html(raw),
                date=dt.datetime.fromisoformat(published).date(),
                file=path.name,
            )
        elif path.suffix == ".md":
            assert raw.startswith("# "), f"{path.name}: Markdown articles start with '# Headline'"
            byline = re.search(r"^\*By [^,]+, (.+?) — (\d{1,2} November 2026)\*$", raw, re.M)
            assert byline, f"{path.name}: missing '*By Name, Outlet — D November 2026*' line"
            add(
                path.stem,
                outlet=_known_outlet(byline.group(1)),
                text=raw,
                date=dt.datetime.strptime(byline.group(2), "%d %B %Y").date(),
                file=path.name,
            )
        else:  # .txt: copyright line, then a "By ..." line, then the dateline name the outlet
            copyright_line = re.search(
                r"^Copyright © 2026 (.+?)\. All rights reserved\.$", raw, re.M
            )
            by_line = re.search(r"^By .+$", raw, re.M)
            dateline = re.search(r"^[A-Z][A-Z ]+, Nov\. (\d{1,2}) \(([^)]+)\) - ", raw, re.M)
            assert copyright_line or dateline, f"{path.name}: no dateline and no copyright line"
            outlet = (
                (copyright_line and _known_outlet(copyright_line.group(1)))
                or (by_line and _known_outlet(by_line.group(0)))
                or (dateline and _known_outlet(dateline.group(2)))
            )
            date = dt.date(2026, 11, int(dateline.group(1))) if dateline else None
            add(path.stem, outlet=outlet, text=raw, date=date, file=path.name)
    return articles


def _load_expected() -> list[tuple[str, str, str]]:
    rows = []
    with (DEMO / "expected.tsv").open(encoding="utf-8", newline="") as fh:
        for row in csv.reader(fh, delimiter="\t"):
            if not row or row[0].startswith("#"):
                continue
            assert len(row) == 3, f"expected.tsv needs 3 tab-separated columns: {row}"
            rows.append((row[0], row[1], row[2]))
    return rows


@pytest.fixture(scope="module")
def articles() -> dict[str, dict]:
    return _load_articles()


@pytest.fixture(scope="module")
def expected() -> list[tuple[str, str, str]]:
    return _load_expected()


def test_demo_folder_ships_readme_and_gold() -> None:
    assert (DEMO / "ABOUT").is_file()
    assert (DEMO / "expected.tsv").is_file()
    assert "invented" in (DEMO / "ABOUT").read_text(encoding="utf-8").lower()


def test_every_article_listed_exactly_once(articles, expected) -> None:
    ids = [article_id for article_id, _, _ in expected]
    repeated = [i for i, n in Counter(ids).items() if n > 1]
    assert not repeated, f"listed more than once in expected.tsv: {repeated}"
    assert set(ids) == set(articles), (
        f"missing from expected.tsv: {sorted(set(articles) - set(ids))}; "
        f"listed but no such article: {sorted(set(ids) - set(articles))}"
    )


def test_corpus_size_and_formats(articles, expected) -> None:
    stories = {story for _, story, _ in expected}
    assert len(stories) == 6
    assert 15 <= len(articles) <= 20
    suffixes = {Path(a["file"]).suffix for a in articles.values()}
    assert {".txt", ".md", ".html", ".jsonl"} <= suffixes


def test_articles_are_plausible(articles) -> None:
    for article_id, art in articles.items():
        assert art["outlet"] in OUTLETS, f"{article_id}: unknown outlet {art['outlet']!r}"
        words = len(art["text"].split())
        assert 120 <= words <= 350, f"{article_id}: {words} words"
        if art["date"] is not None:
            assert FIRST_DAY <= art["date"] <= LAST_DAY, f"{article_id}: {art['date']}"


def test_each_story_has_two_distinct_outlets(articles, expected) -> None:
    outlets: dict[str, set[str]] = defaultdict(set)
    for article_id, story, duplicate_of in expected:
        if not duplicate_of:  # a syndicated copy is not an independent source
            outlets[story].add(articles[article_id]["outlet"])
    thin = {story: sorted(o) for story, o in outlets.items() if len(o) < 2}
    assert not thin, f"stories with fewer than 2 distinct outlets: {thin}"


def test_duplicates_point_to_originals_in_the_same_story(articles, expected) -> None:
    story_of = {article_id: story for article_id, story, _ in expected}
    duplicate_of = {article_id: target for article_id, _, target in expected if target}
    assert duplicate_of, "the corpus must contain at least one syndicated copy"
    for copy_id, original_id in duplicate_of.items():
        assert original_id in story_of, f"{copy_id}: duplicate_of {original_id!r} does not exist"
        assert original_id != copy_id
        assert original_id not in duplicate_of, f"{original_id} is itself a duplicate"
        assert story_of[copy_id] == story_of[original_id], f"{copy_id}: different story"
        assert articles[copy_id]["outlet"] != articles[original_id]["outlet"]
        original = articles[original_id]["text"].split()
        copy = articles[copy_id]["text"].split()
        overlap = difflib.SequenceMatcher(None, original, copy, autojunk=False)
        assert overlap.ratio() >= 0.8, f"{copy_id} is not a near-verbatim copy"


def _gold_partition() -> tuple[set[frozenset[str]], dict[str, str]]:
    stories: dict[str, set[str]] = defaultdict(set)
    copies: dict[str, str] = {}
    with (DEMO / "expected.tsv").open(encoding="utf-8") as fh:
        for row in csv.reader(fh, delimiter="\t"):
            if not row or row[0].startswith("#") or row[0] == "article_id":
                continue
            stories[row[1]].add(row[0])
            if len(row) > 2 and row[2]:
                copies[row[0]] = row[2]
    return {frozenset(ids) for ids in stories.values()}, copies


def test_demo_clusters_into_exactly_the_written_stories() -> None:
    from digests.ingest import read_paths
    from digests.pipeline import cluster_batch

    result = read_paths([DEMO])
    assert not result.problems
    batch = cluster_batch(result.articles)
    got = {frozenset(a.id for a in s.articles) for s in batch.stories}
    gold, copies = _gold_partition()
    assert got == gold
    for copy_id, original in copies.items():
        assert batch.assignments[copy_id].duplicate_of == original
    for story in batch.stories:
        assert len(story.sources) >= 2, story.headline
        assert all(
            not s.name.startswith(("mp-", "hl-", "kd-", "cc-", "vt-")) for s in story.sources
        )


def test_demo_shows_the_written_disagreement_and_no_invented_one() -> None:
    from digests.ingest import read_paths
    from digests.pipeline import cluster_batch

    batch = cluster_batch(read_paths([DEMO]).articles)
    by_story = {s.headline: [d.text for d in s.disagreements] for s in batch.stories}
    march = next(t for h, t in by_story.items() if "march" in h.lower())
    assert any("1,200" in d and "1,400" in d for d in march), march  # police vs organisers
    quake = next(t for h, t in by_story.items() if "Tarvane" in h)
    assert not any(d.startswith("Date") for d in quake), quake  # Sunday's news, Monday's news


def test_the_bot_path_finds_the_same_stories_and_keeps_them_across_a_restart(
    tmp_path: Path,
) -> None:
    """The running bot clusters online (one poll at a time), not in one batch."""
    from digests.ingest import read_paths
    from digests.pipeline import Newsroom
    from digests.store import Store

    store = Store.open(f"sqlite:///{tmp_path / 'demo.db'}")
    try:
        newsroom = Newsroom(store)
        newsroom.ingest(read_paths([DEMO]).articles)
        got = {frozenset(g.article_ids) for g in newsroom.groups()}
        gold, _ = _gold_partition()
        assert got == gold
        ids = {g.id: g.article_ids for g in newsroom.groups()}
        restarted = Newsroom(store)
        assert {g.id: g.article_ids for g in restarted.groups()} == ids
    finally:
        store.close()
