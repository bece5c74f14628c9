"""Relative dates resolve against the article's own date, and only when that is certain."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from digests.dates import RefDate, annotate, find_dates, reference_date
from digests.models import Article, Dateline


def test_weekday_resolves_to_the_latest_such_day_before_the_dateline() -> None:
    ref = RefDate(3, 11, 2026)  # a Wednesday
    [m] = find_dates("The mayor opened the bridge on Sunday.", ref)
    assert m.resolved == date(2026, 3, 8)
    assert annotate("The mayor opened the bridge on Sunday.", [m]) == (
        "The mayor opened the bridge on Sunday (March 8, 2026)."
    )


def test_future_weekday_looks_forward() -> None:
    [m] = find_dates("The council will vote on Friday.", RefDate(3, 11, 2026))
    assert m.resolved == date(2026, 3, 13)


def test_yesterday_and_last_month() -> None:
    ref = RefDate(3, 11, 2026)
    found = find_dates("Yesterday's vote follows the accord signed last June.", ref)
    assert found[0].resolved == date(2026, 3, 10)
    assert found[1].month_only == (6, 2025)


def test_month_day_without_a_known_year_says_so() -> None:
    text = "The ferry sank on October 4 near Port Velan."
    found = find_dates(text, RefDate(10, 6, None))
    assert found[0].month_day == (10, 4)
    assert found[0].display == "October 4 (year not stated)"
    assert annotate(text, found) == "The ferry sank on October 4 (year not stated) near Port Velan."


def test_weekday_without_a_year_is_left_alone() -> None:
    text = "The ferry sank on Tuesday."
    assert annotate(text, find_dates(text, RefDate(10, 6, None))) == text


def test_explicit_dates_are_not_annotated() -> None:
    text = "The storm came ashore Thursday (September 3) and on 5 September 2024."
    found = find_dates(text, RefDate(9, 6, 2024))
    assert annotate(text, found) == text
    assert found[-1].resolved == date(2024, 9, 5)


def test_reference_date_prefers_dateline_and_borrows_the_year() -> None:
    art = Article(
        id="a1",
        title="t",
        text="body",
        source="example.org",
        published=datetime(2026, 3, 12, 9, tzinfo=UTC),
        dateline=Dateline("VELAN", "March 11", "XNA"),
    )
    assert reference_date(art) == RefDate(3, 11, 2026)
    bare = Article(id="a2", title="", text="VELAN, March 11 (XNA) - Text.", source="x")
    assert reference_date(bare) == RefDate(3, 11, None)
    assert reference_date(bare, year_hint=date(2026, 3, 12)) == RefDate(3, 11, 2026)


def test_a_weekday_after_an_article_is_not_resolved() -> None:
    from digests.dates import RefDate, annotate, find_dates

    ref = RefDate(11, 23, 2026)
    text = "The tremor struck at 9:42 p.m. on a Sunday evening, as most do here every Sunday."
    assert annotate(text, find_dates(text, ref)) == text


def test_a_resolved_weekday_note_follows_its_possessive() -> None:
    from digests.dates import RefDate, annotate, find_dates

    text = "The toll from Sunday’s earthquake rose to 19."
    assert annotate(text, find_dates(text, RefDate(11, 23, 2026))) == (
        "The toll from Sunday’s (November 22, 2026) earthquake rose to 19."
    )


def test_with_weekdays_a_resolved_date_says_its_day_of_the_week() -> None:
    ref = RefDate(6, 20, 2024)
    full = "The treaty was signed in Harlow on June 19, 2024 after long talks."
    assert annotate(full, find_dates(full, ref), weekdays=True) == (
        "The treaty was signed in Harlow on June 19, 2024 (Wednesday) after long talks."
    )
    bare = "The treaty was signed on June 19 after long talks."
    assert annotate(bare, find_dates(bare, ref), weekdays=True) == (
        "The treaty was signed on June 19 (Wednesday, 2024) after long talks."
    )
    named = "The treaty was signed on Wednesday, June 19, 2024."
    assert annotate(named, find_dates(named, ref), weekdays=True) == named
    assert annotate(full, find_dates(full, ref)) == full  # only the event fact asks for it


# Written on Wednesday, August 23, 2023: the Saturday before is the 19th, the one ahead the 26th.
_PAST, _AHEAD = date(2023, 8, 19), date(2023, 8, 26)


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("The Orla probe smashed into the lunar surface on Saturday.", _PAST),
        ("Police said the suspect fled the scene on Saturday.", _PAST),
        ("The launch is scheduled for Saturday.", _AHEAD),
        ("The vote was postponed to Saturday.", _AHEAD),
        ("Officials said talks will continue on Saturday.", _AHEAD),
        ("He said the meeting would be held on Saturday.", _AHEAD),
        # An irregular past verb further back still looks back; an intent looks ahead.
        ("Ana Ferro won the Coastal Open final in Brill on Saturday.", _PAST),
        ("A strong earthquake struck the island of Veska early on Saturday.", _PAST),
        ("The two sides agreed to meet again in Brill on Saturday.", _AHEAD),
        ("The union voted to strike on Saturday.", _AHEAD),
    ],
)
def test_a_weekday_looks_back_after_a_past_verb_and_ahead_when_planned(
    text: str, day: date
) -> None:
    [found] = find_dates(text, RefDate(8, 23, 2023))
    assert found.resolved == day, (text, found.resolved)


def test_days_counted_from_the_report_resolve() -> None:
    friday = RefDate(3, 6, 2026)
    cases = {
        "Police arrested him two days ago.": date(2026, 3, 4),
        "Three days ago, the river burst its banks.": date(2026, 3, 3),
        "The fire started last night.": date(2026, 3, 5),
        "Officials met this morning.": date(2026, 3, 6),
        "Talks resume tomorrow.": date(2026, 3, 7),
    }
    for text, day in cases.items():
        [found] = find_dates(text, friday)
        assert found.resolved == day, (text, found.resolved)
    # "tomorrow's technology" is no day.
    assert find_dates("Cook called it tomorrow's technology.", friday) == []
