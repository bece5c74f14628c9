"""The event fact says when, even when its own sentence gives no date, and never a day its
own sentence contradicts."""

from __future__ import annotations

from datetime import date

from digests.dates import DateMention
from digests.facts import _with_event_date
from digests.story_sentences import StorySentence

SUNDAY = date(2025, 1, 26)


def _sent(source: str, text: str, *dates: DateMention, pos: int = 0) -> StorySentence:
    return StorySentence(
        article_id=source,
        source=source,
        pos=pos,
        text=text,
        shown=text,
        tokens=frozenset(text.lower().split()),
        dates=list(dates),
        numbers=[],
        mentions=[],
        quote="",
        speaker="",
        published=None,
    )


def _full(when: date) -> DateMention:
    return DateMention(0, 10, when.strftime("%B %d, %Y"), False, resolved=when)


def _weekday(name: str) -> DateMention:
    return DateMention(0, 10, f"on {name}", True, form="weekday")


REP = _sent("a", "Aldo Pirelli retained his Coastal Open title, beating Marek Hune in the final.")


def test_the_day_other_openings_agree_on_dates_the_event_fact() -> None:
    # One opening gives the full date, another only "Sunday", that date's weekday.
    leads = [
        _sent("b", "Pirelli beat Hune on Sunday, January 26, 2025.", _full(SUNDAY)),
        _sent("c", "Hune lost the final to Pirelli on Sunday.", _weekday("Sunday")),
    ]
    text, dated = _with_event_date(REP.text, REP, [], leads)
    assert text.endswith("— January 26, 2025"), text
    assert dated is leads[0]


def test_one_opening_alone_or_openings_that_disagree_date_nothing() -> None:
    alone = [_sent("b", "Pirelli beat Hune on January 26, 2025.", _full(SUNDAY))]
    assert _with_event_date(REP.text, REP, [], alone) == (REP.text, None)
    # "Saturday" is not January 26, 2025 (a Sunday): one outlet each, no agreement.
    apart = [*alone, _sent("c", "Hune lost to Pirelli on Saturday.", _weekday("Saturday"))]
    assert _with_event_date(REP.text, REP, [], apart) == (REP.text, None)
    # Two days told equally often: no agreement either.
    tied = [
        *alone,
        _sent("c", "Pirelli won on Sunday.", _weekday("Sunday")),
        _sent("d", "Pirelli won on January 25, 2025.", _full(date(2025, 1, 25))),
        _sent("e", "Pirelli won on Saturday.", _weekday("Saturday")),
    ]
    assert _with_event_date(REP.text, REP, [], tied) == (REP.text, None)


def test_a_sentence_naming_a_weekday_is_not_given_another_weekdays_date() -> None:
    rep = _sent("a", "Pirelli beat Hune on Saturday in the final.", _weekday("Saturday"))
    backing = [_sent("b", "Pirelli won on January 26, 2025.", _full(SUNDAY))]
    assert _with_event_date(rep.text, rep, backing, []) == (rep.text, None)
    saturday = [_sent("c", "Pirelli won on January 25, 2025.", _full(date(2025, 1, 25)))]
    text, _ = _with_event_date(rep.text, rep, backing + saturday, [])
    assert text.endswith("— January 25, 2025"), text
