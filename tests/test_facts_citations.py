"""Which articles a fact cites, on invented stories: only those that agree with it."""

from __future__ import annotations

from datetime import UTC, datetime

from digests.facts import extract_facts
from digests.models import Article, Fact


def _article(i: str, source: str, text: str, day: int = 2) -> Article:
    return Article(
        id=i, title="Velmar nurses march for higher pay", text=text, source=source,
        published=datetime(2026, 4, day, 18, tzinfo=UTC),
    )  # fmt: skip


def _citing(facts: tuple[Fact, ...], figure: str) -> set[str]:
    [fact] = [f for f in facts if figure in f.text]
    return set(fact.article_ids)


def test_a_sentence_with_another_count_does_not_confirm_a_fact() -> None:
    some = _article(
        "a1", "ledger.example",
        "Some 2,600 nurses marched through central Velmar on Tuesday to demand higher pay "
        "from the regional health board.\n"
        "The board said it would answer the union within a week.",
    )  # fmt: skip
    about = _article(
        "b1", "wire.example",
        "About 2,100 nurses and their supporters marched through central Velmar on Tuesday "
        "to demand higher pay from the health board.\n"
        "Union leader Mira Tolsen said the board had ignored three letters.",
    )  # fmt: skip
    plain = _article(
        "c1", "daily.example",
        "Nurses marched through central Velmar on Tuesday to demand higher pay, the second "
        "protest in a month.\n"
        "The crowd, which the union put at 2,600 nurses, marched through central Velmar to "
        "the health board.",
    )  # fmt: skip
    facts = extract_facts([some, about, plain], {}).facts
    assert _citing(facts, "2,600 nurses") == {"a1", "c1"}, facts
    # a sentence giving no figure confirms every version of the march
    assert _citing(facts, "second protest") == {"a1", "b1", "c1"}, facts


def test_a_risen_toll_is_not_confirmed_by_the_earlier_lower_one() -> None:
    early = _article(
        "d1", "wire.example",
        "A landslide buried part of the hill village of Orvana on Thursday, killing at least "
        "9 people, rescue officials said.",
    )  # fmt: skip
    later = _article(
        "d2", "times.example",
        "The number of people killed by Thursday's landslide in the hill village of Orvana "
        "has risen to 15, rescue officials said.",
        day=3,
    )  # fmt: skip
    same = _article(
        "d3", "courier.example",
        "The number of people killed by the landslide in the hill village of Orvana has "
        "risen to 15, rescuers said on Friday.",
        day=3,
    )  # fmt: skip
    facts = extract_facts([early, later, same], {}).facts
    assert _citing(facts, "risen to 15") == {"d2", "d3"}, facts


def test_a_figure_rounded_by_one_outlet_still_confirms_but_another_figure_does_not() -> None:
    lead = "Orvel Motors said on Thursday its car sales in Velish fell {} in March from a year earlier."
    arts = [
        _article("s1", "one.example", lead.format("13.5 percent") + "\nLoan rates were blamed."),
        _article(
            "s2", "two.example", lead.format("14 percent") + "\nDealers expect a better spring."
        ),
        _article("s3", "three.example", lead.format("9 percent") + "\nAnalysts were surprised."),
    ]
    facts = extract_facts(arts, {}).facts
    assert _citing(facts, "car sales") == {"s1", "s2"}, facts
