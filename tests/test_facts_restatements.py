"""The first facts of a sheet: the event once, then the details each outlet adds.

Invented story: four outlets open with the same meeting in their own words, and each adds one
detail further down that nobody else reports.
"""

from __future__ import annotations

from datetime import UTC, datetime

from digests.facts import extract_facts
from digests.models import Article

_OPENINGS = [
    "Orlan Foreign Minister Ada Venn met Valdrian Foreign Minister Tomas Reyk at the Kessing "
    "Palace in Dunmore on Tuesday.",
    "Ada Venn and Tomas Reyk met for rare talks at the Kessing Palace in Dunmore on Tuesday, "
    "officials said.",
    "Valdria's Tomas Reyk hosted Orlan's Ada Venn at the Kessing Palace in Dunmore on Tuesday "
    "for a long-awaited meeting.",
    "Orlan's top diplomat Ada Venn met her Valdrian counterpart Tomas Reyk in Dunmore on "
    "Tuesday in a closely watched meeting.",
]
# The same meeting once more, each time in other words and with colour, but nothing new.
_RETOLD = [
    "Venn and Reyk shook hands warmly before cameras at the ornate Kessing Palace in Dunmore "
    "on Tuesday as aides looked on.",
    "The Tuesday meeting at the Kessing Palace in Dunmore brought Venn and Reyk together after "
    "months of frosty exchanges between the neighbours.",
    "Reyk greeted Venn with a broad smile and a brief embrace on the steps of the Kessing "
    "Palace in Dunmore on Tuesday morning.",
    "Venn and Reyk spent Tuesday at the Kessing Palace in Dunmore in what aides described as "
    "a cordial and businesslike atmosphere.",
]
_BACKGROUND = [
    "Orlan and Valdria have quarrelled for years over fishing rights in the Grey Sound.",
    "Talks between Orlan and Valdria stalled last year over the Grey Sound fishing grounds.",
    "The Grey Sound fishing dispute has soured relations between Orlan and Valdria for years.",
    "Orlan and Valdria have long disputed who may fish the waters of the Grey Sound.",
]
_DETAILS = [
    "Venn arrived in Dunmore on Monday by overnight ferry from Port Ilse.",
    "The two ministers signed a fishing accord covering 4,200 square kilometres of the sound.",
    "Reyk promised to reopen the Halden border crossing to trucks before the harvest.",
    "Valdria will free 38 detained trawler crews under the accord, spokeswoman Mira Lent said.",
]


def _story() -> list[Article]:
    out = []
    for i, opening in enumerate(_OPENINGS):
        body = [opening, _RETOLD[i], _BACKGROUND[i], _DETAILS[i]]
        out.append(
            Article(
                id=f"m{i}",
                title="Venn and Reyk meet in Dunmore",
                text="\n".join(body),
                source=f"outlet{i}.example",
                published=datetime(2026, 4, 8, 9, tzinfo=UTC),
            )
        )
    return out


def test_each_outlets_detail_comes_before_the_event_retold() -> None:
    sheet = extract_facts(_story(), {})
    top = [f.text for f in sheet.facts[:8]]
    assert sheet.facts[0].kind == "event" and sheet.facts[0].source_count >= 3
    details = ["ferry", "4,200 square kilometres", "Halden border crossing", "38 detained"]
    where = {d: next(i for i, t in enumerate(top) if d in t) for d in details}
    retold = [i for i, t in enumerate(top) if i and "Kessing Palace in Dunmore" in t]
    assert all(r > max(where.values()) for r in retold), top


def test_datelines_and_photo_captions_do_not_become_facts() -> None:
    when = datetime(2026, 4, 8, 9, tzinfo=UTC)
    a = Article(
        id="d1",
        title="Venn and Reyk meet in Dunmore",
        text="DUNMORE/PORT ILSE - Ada Venn met Tomas Reyk in Dunmore on Tuesday for talks.\n"
        "Venn said the talks would continue in Port Ilse next month.\n"
        "Tomas Reyk greets Ada Venn at the Kessing Palace in Dunmore, Valdria, April 7, 2026.",
        source="wire.example",
        published=when,
    )
    b = Article(
        id="d2",
        title="Venn meets Reyk",
        text="Dunmore: Ada Venn met Tomas Reyk in Dunmore on Tuesday for talks on fishing.\n"
        "Apr. 7 (VNA) -- The two ministers agreed to meet again in Port Ilse in May.\n"
        "Reyk: Valdria wants a lasting accord on the Grey Sound with its neighbour Orlan.",
        source="other.example",
        published=when,
    )
    texts = [f.text for f in extract_facts([a, b], {}).facts]
    assert not any(t.startswith(("DUNMORE", "Dunmore:", "Apr. 7")) for t in texts), texts
    assert any(t.startswith("The two ministers agreed") for t in texts)
    assert not any("greets Ada Venn" in t for t in texts)  # a caption, not news
    # Mid-article, "Name:" is who speaks, and stays.
    assert any(t.startswith("Reyk: Valdria wants") for t in texts)


def test_a_quote_is_not_given_to_a_name_in_the_possessive() -> None:
    when = datetime(2026, 4, 8, 9, tzinfo=UTC)
    praise = (
        "The Valdrian leader praised Venn's visit as \"an important opportunity to broaden "
        'friendship between our two nations," state media said.'
    )
    arts = [
        Article("q0", "Venn meets Reyk", "\n".join([_OPENINGS[0], _BACKGROUND[0], praise]),
                "q0.example", published=when),
        Article("q1", "Venn meets Reyk", "\n".join([_OPENINGS[1], _BACKGROUND[1]]),
                "q1.example", published=when),
    ]  # fmt: skip
    facts = extract_facts(arts, {}).facts
    [said] = [f for f in facts if "an important opportunity" in f.text]
    assert said.kind != "quote"  # its speaker is "the Valdrian leader", whom it does not name
    assert not said.text.startswith("Ada Venn")


def test_the_event_fact_is_what_happened_not_what_was_expected() -> None:
    when = datetime(2026, 4, 2, 14, tzinfo=UTC)
    expected = [
        "Analysts had expected Corvane to deliver about 52,000 scooters in the first quarter.",
        "Analysts polled by Brightline had expected Corvane to deliver about 52,000 scooters.",
        "Wall Street analysts were expecting Corvane to deliver around 52,000 scooters.",
    ]
    delivered = [
        "Corvane delivered 48,310 scooters in the first quarter, down 9% from a year earlier.",
        "Corvane said on Thursday it delivered 48,310 scooters in the first quarter.",
        "Corvane delivered 48,310 scooters to customers in the first quarter, it said.",
    ]
    arts = [
        Article(f"c{i}", "Corvane deliveries fall", f"{expected[i]}\n{delivered[i]}",
                f"c{i}.example", published=when)
        for i in range(3)
    ]  # fmt: skip
    first = extract_facts(arts, {}).facts[0]
    assert first.kind == "event" and "48,310" in first.text, first.text
