"""One outlet's items that share a single word (its label, its beat) are not one event;
across outlets, one rare word in common still is evidence."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from digests.boilerplate import repeated_sentences
from digests.cluster import cluster_articles
from digests.models import UNKNOWN_SOURCE, Article
from digests.pipeline import Newsroom
from digests.store import Store

T0 = datetime(2026, 5, 4, 9, tzinfo=UTC)


def _item(i: int, title: str, source: str, text: str = "") -> Article:
    return Article(f"i{i}", title, text, source, published=T0 + timedelta(minutes=i))


def _together(groups: list, a: str, b: str) -> bool:
    return any(a in g.article_ids and b in g.article_ids for g in groups)


# Other news of the day, so that the label is a rare word, as it is in a real stream.
OTHERS = [
    ("Harlow council approves ferry budget", "Harbour Ledger"),
    ("Osk bakery strike enters third day", "Northline News"),
    ("Tarn museum reopens after flood repairs", "Capital Courier"),
    ("Velmar tram line opening delayed to spring", "Meridian Press"),
    ("Brask farmers protest grain port closure", "Kelm Daily"),
    ("Lunden court jails former mayor for fraud", "Harbour Ledger"),
    ("Storm cuts power to thousands in Varn", "Northline News"),
    ("Orsk Motors recalls electric scooters", "Capital Courier"),
    ("Pellin valley dam inspection ordered", "Meridian Press"),
    ("Kelm university names new rector", "Kelm Daily"),
]


def test_one_outlets_label_alone_makes_no_story() -> None:
    arts = [
        _item(0, "Show VN: Tarnbase, a ledger for bakers", "Velnews"),
        _item(1, "Ask VN: Share your garden", "Velnews"),
        *(_item(10 + i, title, src) for i, (title, src) in enumerate(OTHERS)),
    ]
    groups, assignments = cluster_articles(arts)
    assert not _together(groups, "i0", "i1"), groups
    assert assignments["i1"].new_story
    assert any("a label, not an event" in e for e in assignments["i1"].evidence)


def test_across_outlets_one_rare_name_in_common_still_joins() -> None:
    arts = [
        _item(0, "Ackman bets against Velkor", "Harbour Ledger"),
        _item(1, "Velkor shares slump", "Northline News"),
    ]
    groups, _ = cluster_articles(arts)
    assert _together(groups, "i0", "i1"), groups


def test_articles_of_no_known_outlet_are_not_one_outlet() -> None:
    arts = [
        _item(0, "Ackman bets against Velkor", UNKNOWN_SOURCE),
        _item(1, "Velkor shares slump", UNKNOWN_SOURCE),
    ]
    groups, _ = cluster_articles(arts)
    assert _together(groups, "i0", "i1"), groups


def test_a_one_word_body_under_every_item_is_furniture() -> None:
    arts = [
        _item(0, "Show VN: Tarnbase, a ledger for bakers", "Velnews", "Comments"),
        _item(1, "Ask VN: Share your garden", "Velnews", "Comments"),
        _item(2, "Velkor lowers winter tram fares", "Velnews", "Comments"),
    ]
    assert repeated_sentences(arts) == {"Velnews": frozenset({"comments"})}


def test_the_bot_keeps_one_outlets_labelled_items_apart_poll_by_poll(tmp_path: Path) -> None:
    store = Store.open(f"sqlite:///{tmp_path / 'labels.db'}")
    now = [T0]
    try:
        room = Newsroom(store, clock=lambda: now[0])
        others = [_item(10 + i, title, src) for i, (title, src) in enumerate(OTHERS)]
        room.ingest(others)
        for n, item in enumerate(
            (
                _item(0, "Show VN: Tarnbase, a ledger for bakers", "Velnews"),
                _item(1, "Ask VN: Share your garden", "Velnews"),
            ),
            start=1,
        ):
            now[0] = T0 + timedelta(minutes=10 * n)
            room.ingest([item])
        stories = room.stories()
        assert not any({"i0", "i1"} <= {a.id for a in s.articles} for s in stories), stories
    finally:
        store.close()
