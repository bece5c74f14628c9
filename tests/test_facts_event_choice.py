"""The event fact is the lead that stands on its own and tells what happened, even when a
background sentence is copied by more outlets."""

from __future__ import annotations

from datetime import UTC, datetime

from digests.facts import extract_facts
from digests.models import Article
from digests.sentences import VAGUE_START

WHEN = datetime(2026, 3, 6, 9, tzinfo=UTC)


def _story(openings: list[str], second: str) -> list[Article]:
    """One article per opening, each followed by the same copied second sentence."""
    return [
        Article(f"o{i}", "Orla Fenn dies at 88", f"{lead}\n{second}", f"outlet{i}.example",
                published=WHEN)
        for i, lead in enumerate(openings)
    ]  # fmt: skip


# Each outlet words the death its own way; the background line below is one copied text.
DEATHS = [
    "Singer Orla Fenn, whose ballads filled concert halls across Europe for five decades, "
    "died on Thursday at a hospital in Cardiff, her agent said.",
    "Orla Fenn, the folk singer who recorded more than forty albums and toured with the "
    "Harbour Band, died Thursday in Cardiff at the age of 88.",
    "Folk legend Orla Fenn has died aged 88 after a long illness, her family announced in a "
    "short statement released late on Thursday evening.",
    "The Welsh singer and songwriter Orla Fenn, best known for the 1968 hit Grey Harbour, "
    "has died in hospital, her record label confirmed.",
    "Orla Fenn, a star of the folk revival whose voice defined a generation of protest "
    "songs, died peacefully on Thursday surrounded by relatives.",
]


def test_a_birth_copied_by_every_outlet_is_not_the_event() -> None:
    arts = _story(DEATHS, "Orla Fenn was born on May 2, 1937, in Swansea, Wales.")
    first = extract_facts(arts, {}).facts[0]
    assert first.kind == "event"
    assert "died" in first.text and "born" not in first.text, first.text


def test_a_lead_leaning_on_the_sentence_before_is_not_the_event() -> None:
    arts = _story(DEATHS, "But her last album, recorded in 2019, was never released in Wales.")
    first = extract_facts(arts, {}).facts[0]
    assert "died" in first.text and not first.text.startswith("But"), first.text


def test_a_lead_naming_no_one_is_not_the_event() -> None:
    arts = _story(DEATHS, "The hospital said the end came peacefully and quietly that evening.")
    first = extract_facts(arts, {}).facts[0]
    assert "died" in first.text, first.text


def test_what_is_to_come_is_not_the_event_however_often_it_is_copied() -> None:
    # A release copied by every outlet says what will happen; the openings say what did.
    deals = [
        "Corvane said on Tuesday it has agreed to buy the chip start-up Halden Labs, a maker "
        "of low-power server boards, for about $310 million in cash and stock.",
        "In a surprise move into servers, chip designer Corvane announced a deal to acquire "
        "Halden Labs, valuing the six-year-old company at $310 million.",
        "Corvane is buying Halden Labs, the Austin firm behind the Quill microserver, to take "
        "on bigger rivals in data centres, the companies said.",
        "Shares of Corvane rose 3% after it agreed to purchase Halden Labs for $310 million, "
        "its largest acquisition since it was founded in 2004.",
    ]
    arts = [
        Article(f"d{i}", "Corvane buys Halden Labs", f"{lead}\n"
                "Halden Labs chief executive Ines Marr will become head of a new Corvane unit "
                "called Corvane Edge Systems.", f"d{i}.example", published=WHEN)
        for i, lead in enumerate(deals)
    ]  # fmt: skip
    first = extract_facts(arts, {}).facts[0]
    assert first.kind == "event" and "Halden Labs" in first.text
    assert "will become" not in first.text, first.text


def test_a_time_of_day_opening_does_not_lean_on_the_sentence_before() -> None:
    assert not VAGUE_START.match("This morning, police arrested and charged Ada Venn.")
    assert not VAGUE_START.match("That week, the council voted to close the pool.")
    assert VAGUE_START.match("This shows the council was wrong.")
    assert VAGUE_START.match("These were the last words she wrote.")


def test_a_deal_that_would_do_something_was_still_done_and_years_ago_is_background() -> None:
    openings = [
        "Corvane said on Tuesday it had agreed to buy Halden Labs for $310 million in cash, a "
        "deal that would make it the country's largest maker of server boards.",
        "Corvane's agreed takeover of Halden Labs, announced on Tuesday, would create the "
        "largest maker of server boards in the country, analysts said.",
    ]
    arts = [
        Article(f"k{i}", "Corvane buys Halden Labs", f"{lead}\n"
                "The regulator blocked Corvane's purchase of Brisk Systems three years ago.",
                f"k{i}.example", published=WHEN)
        for i, lead in enumerate(openings)
    ]  # fmt: skip
    first = extract_facts(arts, {}).facts[0]
    assert first.text.startswith("Corvane said on Tuesday"), first.text
    assert "agreed to buy Halden Labs" in first.text


def test_an_opening_that_names_no_one_can_still_be_the_event() -> None:
    openings = [
        "A strong earthquake struck at dawn on Sunday, killing three people and flattening homes.",
        "A strong earthquake struck at dawn on Sunday, killing three people and destroying homes.",
        "A strong earthquake struck at dawn on Sunday, killing three people, officials said.",
    ]
    seconds = [
        "Rescue teams from Brill searched the rubble in the old town of Dresk for survivors.",
        "Governor Ilse Marr visited the damaged hospital in Tessen in the afternoon.",
        "The Velmar Seismic Service measured the quake at magnitude 5.9 near Orsk.",
    ]
    arts = [
        Article(f"e{i}", "Quake kills three", f"{lead}\n{second}", f"e{i}.example",
                published=WHEN)
        for i, (lead, second) in enumerate(zip(openings, seconds, strict=True))
    ]  # fmt: skip
    first = extract_facts(arts, {}).facts[0]
    assert "earthquake struck" in first.text, first.text
