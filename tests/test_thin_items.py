"""Items of a word or two ("Live updates") are no evidence of one text: two outlets using the
same short headline are kept, each with its own story, in a batch and in the bot's store."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from digests.models import Article
from digests.normalize import article_fingerprint
from digests.pipeline import Newsroom, cluster_batch
from digests.store import Store

T0 = datetime(2026, 3, 2, 9, tzinfo=UTC)

ITEMS = [
    Article("n1", "Live updates", "", "Varn Courier", url="https://varn.example/live/1",
            published=T0),
    Article("n2", "Live updates", "", "Osterby Post", url="https://osterby.example/live/9",
            published=T0 + timedelta(hours=1)),
    Article("n3", "Velmar ferry strike ends after three days", "", "Varn Courier",
            url="https://varn.example/ferry", published=T0 + timedelta(hours=2)),
    Article("n4", "Velmar ferry strike ends after three days", "", "Osterby Post",
            url="https://osterby.example/ferry", published=T0 + timedelta(hours=3)),
]  # fmt: skip


def test_a_headline_of_two_words_has_no_fingerprint() -> None:
    assert article_fingerprint("Live updates", "") == ""
    assert article_fingerprint("Velmar ferry strike ends", "") != ""


def test_two_outlets_short_headline_is_no_copy_in_a_batch() -> None:
    batch = cluster_batch(ITEMS)
    copies = {aid: a.duplicate_of for aid, a in batch.assignments.items() if a.duplicate_of}
    assert "n2" not in copies and "n1" not in copies
    # a real headline carried word for word is still one outlet's copy of the other
    assert copies.get("n4") == "n3"


def test_two_outlets_short_headline_are_both_kept_in_the_store(tmp_path: Path) -> None:
    store = Store.open(f"sqlite:///{tmp_path / 'thin.db'}")
    try:
        report = Newsroom(store, clock=lambda: T0 + timedelta(days=1)).ingest(ITEMS)
        assert report.stored == 3 and report.duplicates == 1
    finally:
        store.close()
