"""`/digest search`: stories about the terms, not stories that name them in passing."""

from __future__ import annotations

from pathlib import Path

import digests
from digests.ingest import read_paths
from digests.pipeline import Newsroom
from digests.store import Store


def test_search_prefers_stories_about_the_terms_over_passing_mentions(tmp_path: Path) -> None:
    store = Store.open(f"sqlite:///{tmp_path / 's.db'}")
    try:
        newsroom = Newsroom(store)
        newsroom.ingest(read_paths([Path(digests.__file__).parent / "demo"]).articles)
        # The rail and gas stories name the Tarvane quake in passing; they are not hits.
        found = {s.headline.split()[0] for s in newsroom.search("quake")}
        assert found == {"Tarvane", "Orsk"}
    finally:
        store.close()
