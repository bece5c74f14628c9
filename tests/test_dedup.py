"""Near-duplicate detection on its own: copies are found, different reports are not."""

from __future__ import annotations

from digests.dedup import NearDuplicateIndex, exact_key, reworded_similarity

ORIGINAL = (
    "Engineers closed the Oskarsund Bridge in Varnholt on Monday after inspectors found cracks "
    "in its main steel span. Mayor Ilse Brannvik said the crossing would stay shut for at least "
    "three weeks while repairs are planned. About 42,000 vehicles use the bridge every day, and "
    "the city has asked commuters to use the ring road or the two ferry lines instead. A "
    "spokesperson for the regional roads agency said a full report would be published on Friday."
)
OTHER_REPORT = (
    "Traffic in Varnholt was diverted on Monday when the Oskarsund Bridge was shut. Inspectors "
    "discovered cracking in the main span, and Mayor Ilse Brannvik told reporters the closure "
    "could last three weeks. The bridge carries roughly 42,000 vehicles daily."
)
UNRELATED = (
    "Brightwell Foods reported first-quarter revenue of 812 million crowns on Thursday, up six "
    "percent, as chief executive Mara Kellin pointed to strong frozen-meal sales in the north."
)


def test_exact_copy_is_found_whatever_the_case_and_spacing() -> None:
    idx = NearDuplicateIndex()
    assert idx.add("a", ORIGINAL) is None
    match = idx.add("b", "  " + ORIGINAL.upper().replace(". ", ".\n"))
    assert match is not None and match.original_id == "a" and match.similarity == 1.0
    assert exact_key(ORIGINAL) == exact_key(ORIGINAL.lower())


def test_wire_copy_with_new_dateline_and_trimmed_end_is_found() -> None:
    idx = NearDuplicateIndex()
    idx.add("orig", ORIGINAL)
    idx.add("other", UNRELATED)
    copy = "VARNHOLT, March 10 (Northwire) - " + ORIGINAL.rsplit(" A spokesperson", 1)[0]
    copy = copy.replace("at least three weeks", "at least three more weeks")
    match = idx.add("copy", copy)
    assert match is not None
    assert match.original_id == "orig"
    assert "copied text" in match.reason


def test_different_report_of_the_same_event_is_not_a_copy() -> None:
    idx = NearDuplicateIndex()
    idx.add("orig", ORIGINAL)
    assert idx.add("other", OTHER_REPORT, candidates=["orig"]) is None


def test_reworded_copy_is_found_among_candidates() -> None:
    spun = (
        "Engineers shut the Oskarsund Bridge in Varnholt on Monday after inspectors discovered "
        "cracks in its main steel span. Mayor Ilse Brannvik stated the crossing would remain "
        "closed for at least three weeks while repairs are prepared. Around 42,000 vehicles use "
        "the bridge each day, and the city has asked commuters to take the ring road or the two "
        "ferry lines instead."
    )
    idx = NearDuplicateIndex()
    idx.add("orig", ORIGINAL)
    assert idx.check(spun) is None or idx.check(spun).original_id == "orig"  # type: ignore[union-attr]
    match = idx.add("spun", spun, candidates=["orig"])
    assert match is not None and match.original_id == "orig"
    assert reworded_similarity(["w"] * 40, ["w"] * 40) == 1.0
    assert reworded_similarity([], ["a"]) == 0.0


def test_candidate_mode_without_lsh_finds_copies_of_candidates_only() -> None:
    idx = NearDuplicateIndex(lsh=False)
    idx.add("orig", ORIGINAL)
    copy = "VARNHOLT (Northwire) - " + ORIGINAL
    assert idx.check(copy) is None  # not a candidate, not identical
    match = idx.add("copy", copy, candidates=["orig"])
    assert match is not None and match.original_id == "orig"


def test_adding_a_known_id_again_changes_nothing() -> None:
    idx = NearDuplicateIndex()
    assert idx.add("a", ORIGINAL) is None
    assert idx.add("a", ORIGINAL) is None
    assert len(idx) == 1
    assert idx.add("empty", "") is None
