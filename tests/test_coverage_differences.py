"""Differences in coverage: a figure only one outlet gives, a report filed before the outcome."""

from __future__ import annotations

from datetime import UTC, datetime

from digests.facts import extract_facts
from digests.models import Article

_WHEN = datetime(2026, 4, 9, 12, tzinfo=UTC)


def _art(aid: str, source: str, text: str, title: str = "") -> Article:
    return Article(id=aid, title=title, text=text, source=source, published=_WHEN)


_QUARRY = [
    _art(
        "q1",
        "valewatch.example",
        "A rockfall at the Brannock quarry trapped miners on Thursday, the Vale mining board said.\n"
        "Rescue crews from three towns reached the Brannock quarry miners before dawn.\n"
        "The Vale mining board expects rescue crews to bring at least 240 more miners out of "
        "the Brannock quarry by Friday.",
    ),
    _art(
        "q2",
        "northerndaily.example",
        "Miners were trapped at the Brannock quarry after a rockfall on Thursday.\n"
        "Rescue crews reached the trapped miners in the Brannock quarry overnight.\n"
        "Dozens of miners are still below ground, the Vale mining board said.",
    ),
    _art(
        "q3",
        "harlowcourier.example",
        "A rockfall trapped miners at the Brannock quarry on Thursday.\n"
        "Rescue crews worked through the night to reach the Brannock quarry miners.\n"
        "Many miners remain in the lower galleries, the Vale mining board said.",
    ),
]


def test_a_figure_only_one_outlet_gives_is_flagged_with_that_outlet() -> None:
    sheet = extract_facts(_QUARRY, {})
    [only] = [d for d in sheet.disagreements if d.text.startswith("Only ")]
    assert "valewatch.example" in only.text and "240" in only.text, only.text
    assert only.article_ids == ("q1",)


def test_a_copy_of_the_same_outlet_does_not_confirm_it() -> None:
    copy = _art("q4", "aggregator.example", _QUARRY[0].text)
    sheet = extract_facts([*_QUARRY, copy], {"q4": "q1"})
    [only] = [d for d in sheet.disagreements if d.text.startswith("Only ")]
    # one source, credited as the sources line shows it; both articles cited
    assert only.text.startswith("Only valewatch.example (via 1 outlet) reports:"), only.text
    assert set(only.article_ids) == {"q1", "q4"}


def test_a_figure_two_outlets_give_is_not_flagged() -> None:
    second = _art(
        "q2",
        "northerndaily.example",
        _QUARRY[1].text + "\nSome 240 miners are expected out of the lower galleries by Friday.",
    )
    sheet = extract_facts([_QUARRY[0], second, _QUARRY[2]], {})
    assert not [d for d in sheet.disagreements if d.text.startswith("Only ")]


def test_a_count_of_what_others_also_count_is_no_lone_figure() -> None:
    # "at least 240 miners" to come out, "90 miners" out so far: others count miners too.
    later = _art(
        "q2",
        "northerndaily.example",
        _QUARRY[1].text + "\nRescue crews brought 90 miners out of the Brannock quarry by Friday.",
    )
    sheet = extract_facts([_QUARRY[0], later, _QUARRY[2]], {})
    assert not [d for d in sheet.disagreements if d.text.startswith("Only ")], sheet.disagreements


def test_two_outlets_are_too_few_for_only() -> None:
    sheet = extract_facts(_QUARRY[:2], {})
    assert not [d for d in sheet.disagreements if d.text.startswith("Only ")]


def test_a_side_detail_nobody_else_covers_is_not_flagged() -> None:
    aside = _art(
        "q1",
        "valewatch.example",
        _QUARRY[0].text.split("\nThe Vale")[0]
        + "\nThe town's bakery sold 300 loaves to volunteers on Thursday evening.",
    )
    sheet = extract_facts([aside, *_QUARRY[1:]], {})
    assert not [d for d in sheet.disagreements if d.text.startswith("Only ")]


_TREATY_DONE = (
    "Velish premier Ana Dorosheva and Governor Park Min-jun signed the Harlow river treaty on "
    "Wednesday at the water board.\n"
    "The treaty shares the river's water between the two provinces."
)


def test_a_report_written_before_the_outcome_is_flagged() -> None:
    arts = [
        _art(
            "t1",
            "earlywire.example",
            "Velish premier Ana Dorosheva and Governor Park Min-jun are expected to sign the "
            "Harlow river treaty on Wednesday at the water board.\n"
            "Officials have negotiated the water shares for two years.",
        ),
        _art("t2", "osterbytimes.example", _TREATY_DONE),
        _art("t3", "harlowcourier.example", _TREATY_DONE.replace("Wednesday", "Wednesday noon")),
    ]
    sheet = extract_facts(arts, {})
    [ahead] = [d for d in sheet.disagreements if d.text.startswith("Written before")]
    assert "earlywire.example" in ahead.text and "expected to sign" in ahead.text
    assert ahead.article_ids == ("t1",)


def test_an_expectation_about_a_later_step_is_not_an_early_report() -> None:
    # Everyone reports the signing; one outlet adds when the treaty takes effect.
    later = _TREATY_DONE + "\nThe treaty is expected to take effect in June, officials said."
    arts = [
        _art("t1", "earlywire.example", later),
        _art("t2", "osterbytimes.example", _TREATY_DONE),
        _art("t3", "harlowcourier.example", _TREATY_DONE),
    ]
    sheet = extract_facts(arts, {})
    assert not [d for d in sheet.disagreements if d.text.startswith("Written before")]


def test_all_outlets_writing_ahead_is_no_difference() -> None:
    ahead = (
        "Velish premier Ana Dorosheva and Governor Park Min-jun are set to sign the Harlow "
        "river treaty on Wednesday at the water board.\n"
        "Officials have negotiated the water shares for two years."
    )
    arts = [_art(f"t{i}", f"outlet{i}.example", ahead) for i in range(3)]
    sheet = extract_facts(arts, {})
    assert not [d for d in sheet.disagreements if d.text.startswith("Written before")]


def test_the_awaited_action_told_as_done_in_its_past_tense() -> None:
    from digests.early_reports import _done

    for ahead, done in [
        ("The board is expected to ratify the deal today.", "The board ratified the deal."),
        ("The council is set to ban night flights.", "The council banned night flights."),
        ("Ministers are due to meet in Harlow.", "Ministers met in Harlow on Monday."),
        ("Voters are likely to approve the plan.", "Voters approved the plan."),
    ]:
        pattern = _done(ahead)
        assert pattern is not None and pattern.search(done), (ahead, done)
    assert _done("The ferry resumed crossings on Friday.") is None
