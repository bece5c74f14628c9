"""Top-fact selection on an invented story: distinct aspects, no restatements, no captions."""

from __future__ import annotations

from datetime import UTC, datetime

from digests.facts import extract_facts
from digests.models import Article

_LEADS = [
    "The Marrow Bridge in Tessel collapsed on Monday after a barge struck one of its piers.",
    "A barge hit a pier of the Marrow Bridge in Tessel on Monday, and the bridge collapsed.",
    "The Marrow Bridge in Tessel collapsed on Monday when a barge struck a pier.",
]
_DETAILS = [
    "Rescuers pulled 14 workers from the river, Fire Chief Ines Valk said.",
    "The barge Oldenhorn was carrying 3,000 tonnes of gravel to the port of Brisk.",
    "A photo of the bridge is seen on a screen at the city hall in Tessel.",
    "Mayor Pieter Gans said the crossing would stay closed for at least six months.",
]


def _story() -> list[Article]:
    out = []
    for i, lead in enumerate(_LEADS):
        body = [lead, "The Marrow Bridge in Tessel collapsed after a barge struck its pier."]
        body.append(_DETAILS[i])
        if i == 0:
            body.append(_DETAILS[3])
        out.append(
            Article(
                id=f"b{i}",
                title="Marrow Bridge collapses in Tessel after barge strike",
                text="\n".join(body),
                source=f"outlet{i}.example",
                published=datetime(2026, 5, 4, 12, tzinfo=UTC),
            )
        )
    return out


def test_top_facts_cover_distinct_details_and_skip_captions() -> None:
    sheet = extract_facts(_story(), {})
    top = [f.text for f in sheet.facts[:8]]
    joined = " ".join(top)
    assert "14 workers" in joined
    assert "six months" in joined
    assert not any("is seen on a screen" in f.text for f in sheet.facts)
    collapsed = [t for t in top if "collapsed" in t]
    assert len(collapsed) <= 2  # the event once (maybe twice), not three restatements
    assert all(f.article_ids for f in sheet.facts)


def test_power_outage_counts_in_different_words_are_compared() -> None:
    when = datetime(2026, 9, 2, 9, tzinfo=UTC)
    a = Article(
        id="o1",
        title="Storm Brena hits Calder coast",
        text="Storm Brena hit the Calder coast overnight.\n"
        "About 2 million customers were without power on Tuesday, the grid operator said.",
        source="one.example",
        published=when,
    )
    b = Article(
        id="o2",
        title="Storm Brena batters Calder coast",
        text="Storm Brena battered the Calder coast overnight.\n"
        "Some 3.4 million homes and businesses were without power on Tuesday, the grid said.",
        source="two.example",
        published=when,
    )
    sheet = extract_facts([a, b], {})
    texts = [d.text for d in sheet.disagreements]
    assert any("2 million" in t and "3.4 million" in t for t in texts), texts
    assert all(
        {"o1", "o2"} <= set(d.article_ids) for d in sheet.disagreements if "million" in d.text
    )


def test_a_fact_opening_with_yet_leans_on_a_sentence_the_reader_does_not_see() -> None:
    a = Article(
        "v1", "Velan ferry back in service",
        "The Velan ferry resumed its crossings to Orsa island on Friday after two weeks of "
        "repairs.\n"
        "Yet the harbour authority kept the north pier closed to smaller boats until further "
        "notice.\n"
        "The ferry company said the repairs to the hull had cost about 300,000 crowns.\n"
        "Passengers queued from dawn at the south pier for the first crossing.",
        "one.example",
    )  # fmt: skip
    b = Article(
        "v2", "Ferry returns",
        "Ferry crossings between Velan and Orsa island resumed on Friday after a two-week "
        "repair.\n"
        "The first crossing left the south pier at 7 a.m. with 212 passengers on board.",
        "two.example",
    )  # fmt: skip
    texts = [f.text for f in extract_facts([a, b], {}).facts]
    yet = next(i for i, t in enumerate(texts) if t.startswith("Yet"))
    queued = next(i for i, t in enumerate(texts) if t.startswith("Passengers queued"))
    assert queued < yet, texts


_FERRY_DETAILS = [
    "The ferry company said the repairs to the hull had cost about 300,000 crowns.",
    "Harbour master Lin Osk said the north pier would stay closed to small boats.",
    "Islanders had relied on a chartered fishing boat for groceries and medicine.",
    "A new timetable adds an evening crossing on Saturdays through the summer.",
    "Tickets will cost four crowns more from May, the company said.",
    "The Orsa council thanked the dockyard workers in a statement.",
    "Two tugboats escorted the ferry out of the dry dock at Brisk.",
    "Schoolchildren from Orsa had missed nine days of lessons during the repairs.",
]


def test_the_first_eight_facts_do_not_retell_each_other_when_others_can_fill_them() -> None:
    a = Article(
        "f1",
        "Velan ferry back in service",
        "The Velan ferry resumed its crossings to Orsa island on Friday after two weeks of "
        "repairs.\n" + "\n".join(_FERRY_DETAILS),
        "one.example",
        published=datetime(2026, 4, 10, 9, tzinfo=UTC),
    )
    b = Article(
        "f2",
        "Ferry returns",
        "Ferry crossings between Velan and Orsa resumed on Friday after two weeks of repairs.\n"
        "The Velan ferry carried 212 passengers on its first crossing to Orsa island on Friday "
        "morning.",
        "two.example",
        published=datetime(2026, 4, 10, 11, tzinfo=UTC),
    )
    facts = [f.text for f in extract_facts([a, b], {}).facts]
    retold = next(i for i, t in enumerate(facts) if "212 passengers" in t)
    assert retold >= 8, facts  # kept, but after the eight facts that each say something new
    # the event, then seven of the eight details
    assert sum(any(d[:40] in t for t in facts[:8]) for d in _FERRY_DETAILS) == 7, facts


_NOW = [
    "Rescuers pulled 14 workers from the river, Fire Chief Ines Valk said.",
    "Mayor Pieter Gans said the crossing would stay closed for at least six months.",
    "Ferries from Tessel to Ommen will run every 20 minutes from Wednesday, Gans added.",
    "The river authority halted all shipping on the Marrow between Tessel and Brisk.",
    "Police detained the Oldenhorn's captain, a 51-year-old from Ommen, for questioning.",
    "Engineers from the Delft institute began surveying the two piers still standing.",
    "Insurers put the damage to the bridge at 85 million euros, the ministry said.",
]
_BEFORE = [
    "In 2019, a grain barge struck the same pier of the Marrow Bridge, closing it for 40 days.",
    "When the Marrow Bridge opened in 1964, King Aldo called it the pride of the province.",
]


def test_sentences_opening_in_an_earlier_year_give_way_to_the_event() -> None:
    # Background every outlet repeats ("In 2019, ...", "When ... opened in 1964, ...") would
    # take the second slot on its support and new names alone; the event's details come first.
    arts = []
    for i, lead in enumerate(_LEADS):
        arts.append(
            Article(
                id=f"c{i}",
                title="Marrow Bridge collapses in Tessel after barge strike",
                text="\n".join([lead, *_NOW[i::3], *_BEFORE]),
                source=f"outlet{i}.example",
                published=datetime(2026, 5, 4, 12, tzinfo=UTC),
            )
        )
    texts = [f.text for f in extract_facts(arts, {}).facts]
    for background in _BEFORE:
        assert background in texts  # still told
        assert texts.index(background) >= 6, texts  # after at least five of the event's details


def test_a_record_or_a_first_weighs_more_for_the_top_eight() -> None:
    from collections import Counter

    from digests.facts import _gain, _Group
    from digests.story_sentences import StorySentence

    def sentence(text: str) -> StorySentence:
        return StorySentence(
            article_id="a", source="one.example", pos=3, text=text, shown=text,
            tokens=frozenset(["ferro", "player", "velmar", "coastal", "open", "win"]),
            dates=[], numbers=[], mentions=[], quote="", speaker="", published=None,
        )  # fmt: skip

    def gain(text: str) -> float:
        s = sentence(text)
        return _gain((10.0, _Group([s]), s), set(), {}, Counter())

    plain = gain("Ferro, a player from Velmar, will win the Coastal Open, he said.")
    first = gain("Ferro is the first player from Velmar to win the Coastal Open.")
    record = gain("Ferro set a record as a player from Velmar winning the Coastal Open.")
    assert first > plain and record > plain
    # "first" of a quarter, a floor or a round is no milestone.
    assert (
        gain("Ferro, a player from Velmar, will play the first round of the Coastal Open.") == plain
    )
