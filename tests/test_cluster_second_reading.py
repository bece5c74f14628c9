"""The batch's second reading: what the reading order alone merged is split again."""

from __future__ import annotations

from digests.cluster import (
    JOIN_THRESHOLD,
    StoryClusterer,
    _read_batch,
    cluster_articles,
    story_id_for,
)
from digests.models import Article
from tests.test_cluster import BRIDGE, REHAB_A, REHAB_B, _undated

# A second report of the other actress's rehab (our own text).
REHAB_B2 = _undated(
    "r5",
    "Lindqvist in rehab at Harrow Lodge",
    "Fans of Tessa Lindqvist have flooded social media with good wishes since word came that "
    "the actress is in treatment at Harrow Lodge. The clinic, in the hills outside the city, "
    "keeps a low profile; Lindqvist's publicist confirmed the stay but gave no details. "
    "Producers of the television drama she was set to lead said filming can wait, and "
    "several co-stars posted messages of support for Lindqvist on Wednesday.",
    "e.example",
)
R1, R2, R3 = REHAB_A


def _partition(groups: list) -> list[list[str]]:  # type: ignore[type-arg]
    return sorted(sorted(g.article_ids) for g in groups)


def test_one_reading_merges_two_rehab_stays_when_the_other_actress_comes_first() -> None:
    # Undated, so placed in the order given: Lindqvist's report founds a story that Vosk's
    # first report joins while it is too young for the protagonist guard.
    order = [REHAB_B, R1, REHAB_B2, R2, R3]
    one, *_ = _read_batch(iter(order), threshold=JOIN_THRESHOLD, merge=True, refine=True)
    assert _partition(one.groups()) == [["r1", "r2", "r3", "r4", "r5"]]


def test_the_second_reading_splits_them() -> None:
    for order in (
        [REHAB_B, R1, REHAB_B2, R2, R3],
        [R1, REHAB_B, REHAB_B2, R2, R3],
        [R3, R2, REHAB_B2, R1, REHAB_B],
    ):
        groups, assignments = cluster_articles(order)
        assert _partition(groups) == [["r1", "r2", "r3"], ["r4", "r5"]], [a.id for a in order]
        # Each story is named after one of its own reports, which is marked as starting it.
        for g in groups:
            assert g.id in {story_id_for(aid) for aid in g.article_ids}
            starters = [aid for aid in g.article_ids if assignments[aid].new_story]
            assert starters == [next(a for a in g.article_ids if story_id_for(a) == g.id)]


def test_a_split_is_explained() -> None:
    groups, assignments = cluster_articles([REHAB_B, R1, REHAB_B2, R2, R3])
    notes = [e for a in assignments.values() for e in a.evidence if e.startswith("split from")]
    assert notes, [a.evidence for a in assignments.values()]
    assert "read in another order" in notes[0]


def _placed(articles: list[Article]) -> StoryClusterer:
    c = StoryClusterer()
    c.warm_up(articles)
    for a in articles:
        c.add(a)
    return c


MERGED = [REHAB_B, R1, REHAB_B2, R2, R3]  # one reading places these in one story


def test_a_substantial_part_the_other_reading_keeps_apart_is_split_off() -> None:
    c = _placed(MERGED)
    (story,) = c.groups()
    assert story.id == story_id_for("r4")
    other = {"r1": "x", "r2": "x", "r3": "x", "r4": "y", "r5": "y"}
    assert c.split_by_second_reading(MERGED, other) == 1
    # The part holding the report that started the story keeps its id; the other part is
    # named after its first report, which is marked as starting it.
    groups = {g.id: set(g.article_ids) for g in c.groups()}
    assert groups == {story.id: {"r4", "r5"}, story_id_for("r1"): {"r1", "r2", "r3"}}
    r1 = c.assignment("r1")
    assert r1 is not None and r1.new_story and r1.story_id == story_id_for("r1")
    r3 = c.assignment("r3")
    assert r3 is not None and not r3.new_story
    assert any(e.startswith(f"split from story {story.id}") for e in r3.evidence)


def test_a_report_or_two_peeled_off_a_big_story_stays() -> None:
    # Under SPLIT_SHARE of the story, or a single report: order noise, not another event.
    c = _placed(BRIDGE)
    before = _partition(c.groups())
    assert c.split_by_second_reading(BRIDGE, {"b1": "x", "b2": "x", "b3": "y"}) == 0
    assert _partition(c.groups()) == before


def test_the_same_reading_splits_nothing() -> None:
    c = _placed([*REHAB_A, REHAB_B, REHAB_B2])
    before = _partition(c.groups())
    same = {aid: (c.assignment(aid) or _fail()).story_id for aid in ("r1", "r2", "r3", "r4", "r5")}
    assert c.split_by_second_reading([*REHAB_A, REHAB_B, REHAB_B2], same) == 0
    assert _partition(c.groups()) == before


def test_a_copy_stays_with_its_original_when_its_story_splits() -> None:
    copy = _undated("r2copy", R2.title, R2.text, "reprint.example")
    batch = [*MERGED, copy]
    c = _placed(batch)
    placed = c.assignment("r2copy")
    assert placed is not None and placed.duplicate_of == "r2"
    # The other reading put the copy with Lindqvist's reports: it still follows its original.
    other = {"r1": "x", "r2": "x", "r3": "x", "r4": "y", "r5": "y", "r2copy": "y"}
    assert c.split_by_second_reading(batch, other) == 1
    after = {aid: (c.assignment(aid) or _fail()).story_id for aid in ("r2", "r4", "r2copy")}
    assert after["r2copy"] == after["r2"] != after["r4"]


def _fail() -> object:
    raise AssertionError("article not placed")
