"""The event fact says when, even when its own sentence gives no date, and never a day its
own sentence contradicts."""

from __future__ import annotations

from datetime import UTC, date, datetime

from digests.dates import DateMention
from digests.event_date import anchored_weekday, with_event_date
from digests.facts import extract_facts
from digests.models import Article
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
    text, dated = with_event_date(REP.text, REP, [], leads)
    assert text.endswith("— Sunday, January 26, 2025"), text
    assert dated is leads[0]


def test_one_opening_alone_or_openings_that_disagree_date_nothing() -> None:
    alone = [_sent("b", "Pirelli beat Hune on January 26, 2025.", _full(SUNDAY))]
    assert with_event_date(REP.text, REP, [], alone) == (REP.text, None)
    # "Saturday" is not January 26, 2025 (a Sunday): one outlet each, no agreement.
    apart = [*alone, _sent("c", "Hune lost to Pirelli on Saturday.", _weekday("Saturday"))]
    assert with_event_date(REP.text, REP, [], apart) == (REP.text, None)
    # Two days told equally often: no agreement either.
    tied = [
        *alone,
        _sent("c", "Pirelli won on Sunday.", _weekday("Sunday")),
        _sent("d", "Pirelli won on January 25, 2025.", _full(date(2025, 1, 25))),
        _sent("e", "Pirelli won on Saturday.", _weekday("Saturday")),
    ]
    assert with_event_date(REP.text, REP, [], tied) == (REP.text, None)


def test_a_sentence_naming_a_weekday_is_not_given_another_weekdays_date() -> None:
    rep = _sent("a", "Pirelli beat Hune on Saturday in the final.", _weekday("Saturday"))
    backing = [_sent("b", "Pirelli won on January 26, 2025.", _full(SUNDAY))]
    assert with_event_date(rep.text, rep, backing, []) == (rep.text, None)
    saturday = [_sent("c", "Pirelli won on January 25, 2025.", _full(date(2025, 1, 25)))]
    text, _ = with_event_date(rep.text, rep, backing + saturday, [])
    assert text.endswith("— Saturday, January 25, 2025"), text


def test_an_undated_reports_weekday_takes_its_date_from_a_dated_report_of_the_fact() -> None:
    # Only the Courier is dated (a Wednesday); only the undated Herald says when.
    courier = Article(
        "m1",
        "Storm Orla makes landfall",
        "Storm Orla made landfall at around 8:30 p.m. near Pine Key, about eight miles south "
        "of Tarnby.\nThe storm had winds of 120 miles per hour, forecasters said.",
        "courier.example",
        published=datetime(2024, 10, 9, 23, tzinfo=UTC),
    )
    herald = Article(
        "m2",
        "Orla hits the coast",
        "Storm Orla made landfall near Pine Key, as a Category 3 storm, earlier Wednesday "
        "night, according to forecasters.\nThousands of homes lost power in Tarnby.",
        "herald.example",
    )
    event = extract_facts([courier, herald], {}).facts[0]
    assert event.kind == "event"
    assert event.text.endswith("— Wednesday, October 9, 2024"), event.text
    assert set(event.article_ids) == {"m1", "m2"}


def test_an_anchored_weekday_is_the_last_such_day_on_or_before_the_first_report() -> None:
    dated = _sent("a", "Orla made landfall near Pine Key.")
    dated.day = date(2024, 10, 11)  # a Friday
    undated = _sent("b", "Orla made landfall on Wednesday night.", _weekday("Wednesday night"))
    assert anchored_weekday([dated, undated]) == ("Wednesday, October 9, 2024", undated)
    # Nothing dated to anchor it, or the weekday's own report is dated: no guess.
    assert anchored_weekday([undated]) is None
    undated.day = date(2024, 10, 9)
    assert anchored_weekday([dated, undated]) is None


def test_a_date_after_after_belongs_to_another_happening() -> None:
    rep = _sent("a", "Orla Fenn died in a Cardiff hospital on Thursday.", _weekday("Thursday"))
    text = "Her agent said Fenn died in hospital after suffering a stroke on March 2."
    stroke = DateMention(text.index("March"), len(text) - 1, "March 2", False, month_day=(3, 2))
    backing = [_sent("b", text, stroke)]
    assert with_event_date(rep.text, rep, backing, []) == (rep.text, None)
    # The same day given as the death's own is taken.
    text = "Her agent said Fenn died on March 5 in hospital."
    own = DateMention(text.index("March"), text.index(" in hospital"), "March 5", False,
                      month_day=(3, 5))  # fmt: skip
    dated, _ = with_event_date(rep.text, rep, [_sent("c", text, own)], [])
    assert dated.endswith("— March 5 (year not stated)"), dated


def test_an_undated_event_says_the_day_its_first_report_speaks_from() -> None:
    lead = "Orvel Motors has completed its purchase of the Brightline scooter maker for $2 billion."
    arts = [
        Article(
            "e1",
            "Orvel completes Brightline deal",
            lead + "\nThe deal makes Orvel the largest scooter maker in Velmar.",
            "one.example",
            published=datetime(2026, 10, 14, 9, tzinfo=UTC),
        ),
        Article(
            "e2",
            "Orvel closes Brightline purchase",
            "Orvel Motors has completed its purchase of scooter maker Brightline for $2 billion.\n"
            "Brightline's founders will leave the company.",
            "two.example",
            published=datetime(2026, 10, 13, 18, tzinfo=UTC),
        ),
    ]
    event = extract_facts(arts, {}).facts[0]
    assert event.kind == "event"
    assert event.text.endswith("— reported Tuesday, October 13, 2026"), event.text
    # with no report's day known, nothing is added
    undated = [Article(a.id, a.title, a.text, a.source) for a in arts]
    assert "reported" not in extract_facts(undated, {}).facts[0].text
