"""Sentences an outlet repeats across unrelated stories are furniture, never facts."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from digests.boilerplate import recurring_sentences
from digests.models import Article
from digests.pipeline import Newsroom, cluster_batch
from digests.store import Store

FOOTER = "Support our reporting on the Varn valley by becoming a member of the Varn Courier today."
T0 = datetime(2026, 6, 1, 8, tzinfo=UTC)

EVENTS = [
    (
        "Varn council approves new ferry terminal",
        "The Varn town council approved a new ferry terminal on Monday by seven votes to two. "
        "Construction of the 14 million crown terminal starts in August, mayor Ilka Strand said.",
    ),
    (
        "Fire destroys Osterby grain store",
        "A fire destroyed the Osterby grain store overnight, the fire service said on Tuesday. "
        "No one was hurt, but 900 tonnes of barley were lost, owner Piet Kallas said.",
    ),
    (
        "Lindholm school wins robotics final",
        "Pupils from Lindholm school won the national robotics final in Tarn on Wednesday. "
        "Their robot sorted 212 parcels in five minutes, a record for the competition.",
    ),
]


def _courier(i: int, title: str, text: str, *, footer: bool = True) -> Article:
    body = text + ("\n" + FOOTER if footer else "")
    return Article(
        id=f"c{i}", title=title, text=body, source="Varn Courier",
        published=T0 + timedelta(hours=i),
    )  # fmt: skip


def _other(i: int, title: str, text: str) -> Article:
    return Article(
        id=f"o{i}", title=title, text=text, source="Osterby Post",
        published=T0 + timedelta(hours=i, minutes=30),
    )  # fmt: skip


def test_a_sentence_one_outlet_repeats_across_stories_is_boilerplate() -> None:
    courier = [_courier(i, t, x) for i, (t, x) in enumerate(EVENTS)]
    found = recurring_sentences([[a] for a in courier])
    assert len(found["Varn Courier"]) == 1
    # Two articles are not enough, and updates of one story repeat their own sentences.
    assert recurring_sentences([[a] for a in courier[:2]]) == {}
    assert recurring_sentences([courier]) == {}


def test_the_footer_never_becomes_a_fact(tmp_path: Path) -> None:
    courier = [_courier(i, t, x) for i, (t, x) in enumerate(EVENTS)]
    others = [_other(i, t, x) for i, (t, x) in enumerate(EVENTS)]
    batch = cluster_batch(courier + others)
    assert len(batch.stories) == 3
    for story in batch.stories:
        assert story.facts and not any("becoming a member" in f.text for f in story.facts)

    store = Store.open(f"sqlite:///{tmp_path / 'b.db'}")
    try:
        newsroom = Newsroom(store, clock=lambda: T0 + timedelta(days=1))
        newsroom.ingest(courier + others)
        stories = newsroom.stories()
        assert len(stories) == 3
        for story in stories:
            assert story.facts and not any("becoming a member" in f.text for f in story.facts)
    finally:
        store.close()
