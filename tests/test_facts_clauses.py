"""Clause-level shortenings and money / share-move disagreements, on invented stories."""

from __future__ import annotations

from datetime import UTC, datetime

from digests.facts import extract_facts
from digests.models import Article
from digests.sentences import clauses


def test_main_clause_drops_asides_and_generic_attribution() -> None:
    s = "The storm, which made landfall near Velan on Thursday night, killed at least 44 people in four provinces, the agency said."
    assert clauses(s) == ["The storm killed at least 44 people in four provinces."]


def test_named_attribution_and_counted_nouns_are_kept() -> None:
    s = "Rescuers pulled 14 workers from the river on Monday, while divers searched for two more, Fire Chief Ines Valk said."
    out = clauses(s)
    assert "Rescuers pulled 14 workers from the river on Monday." in out
    # the split-off clause has no subject of its own ("divers" does): kept only if it stands alone
    assert all("Valk" not in c or "said" in c for c in out)


def test_independent_clause_after_semicolon_stands_alone() -> None:
    s = "The booster splashed down in the Gulf of Kessa as planned; the upper stage broke apart over the ocean about 30 minutes later."
    out = clauses(s)
    assert "The booster splashed down in the Gulf of Kessa as planned." in out
    assert "The upper stage broke apart over the ocean about 30 minutes later." in out


def test_a_clause_leaning_on_the_one_before_does_not_stand_alone() -> None:
    s = "The union asked the port board for talks on the overtime cuts on Monday; yet the board refused to meet before the end of the month."
    out = clauses(s)
    assert "The union asked the port board for talks on the overtime cuts on Monday." in out
    assert not any(c.startswith("Yet") for c in out), out
    s = "The ferry resumed its Velan crossings on Friday after two weeks of repairs; meanwhile the harbour stayed closed to smaller boats."
    assert not any(c.startswith("Meanwhile") for c in clauses(s))


def test_no_unsafe_shortenings() -> None:
    # a subordinate opening, a quote, a short sentence: nothing is cut
    assert clauses("If the court approves the deal, which is likely, shares would rise.") == []
    assert (
        clauses(
            '"We will rebuild the bridge within a year," Mayor Pieter Gans said on Monday in Tessel.'
        )
        == []
    )
    assert clauses("The bridge collapsed on Monday.") == []
    # an aside is only dropped when the main verb follows it
    s = "The result is a blow for the third seed, who has now lost a second final after leading, following his defeat in 2022."
    assert not any("seed following" in c for c in clauses(s))


def _art(i: str, text: str, source: str) -> Article:
    return Article(
        id=i,
        title="Marrow fund founder sentenced",
        text=text,
        source=source,
        published=datetime(2026, 3, 5, 12, tzinfo=UTC),
    )


def test_money_amounts_of_one_sum_disagree_but_different_sums_do_not() -> None:
    a = _art(
        "m1",
        "Fund founder Ilse Marrow was sentenced to 12 years in prison on Thursday.\n"
        "Judge Oren Tal found that investors lost $8 billion in the collapse.\n"
        "She was also ordered to forfeit $11 billion in assets.",
        "one.example",
    )
    b = _art(
        "m2",
        "Ilse Marrow, the fund founder, was sentenced to 12 years in prison on Thursday.\n"
        "Marrow was held responsible for $10 billion in losses to investors in the collapse.",
        "two.example",
    )
    texts = [d.text for d in extract_facts([a, b], {}).disagreements]
    assert any("$8 billion" in t and "$10 billion" in t for t in texts), texts
    assert not any("$11 billion" in t for t in texts), texts


def test_a_price_rounded_by_one_outlet_is_flagged() -> None:
    a = _art(
        "p1", "The Orla headset will sell for $2,499 when it ships in early 2027.", "one.example"
    )
    b = _art(
        "p2", "The Orla headset will sell for $2,500 when it ships early next year.", "two.example"
    )
    texts = [d.text for d in extract_facts([a, b], {}).disagreements]
    assert any("$2,499" in t and "$2,500" in t for t in texts), texts


def test_share_moves_worded_differently_are_compared() -> None:
    a = _art(
        "s1",
        "Velo Motors delivered 120,000 cars in the quarter, down 9% from a year ago.\n"
        "Despite the miss, Velo shares rose about 2 percent in Wednesday trading.",
        "one.example",
    )
    b = _art(
        "s2",
        "Velo Motors delivered 120,000 cars in the quarter, a 9% drop from a year earlier.\n"
        "Investors shrugged off the figures, and the stock rose 5% by the close.",
        "two.example",
    )
    texts = [d.text for d in extract_facts([a, b], {}).disagreements]
    assert any("2 percent" in t and "5%" in t for t in texts), texts
    assert not any("9%" in t for t in texts), texts


def test_generic_attribution_tail_is_trimmed_from_a_fact_but_named_sources_stay() -> None:
    a = _art(
        "t1",
        "Storm Brena killed at least 12 people in the Calder region on Tuesday, the agency said.\n"
        "About 2 million customers lost power, Governor Lina Osk said.",
        "one.example",
    )
    b = _art(
        "t2",
        "Storm Brena killed at least 12 people in the Calder region on Tuesday, officials said.",
        "two.example",
    )
    texts = [f.text for f in extract_facts([a, b], {}).facts]
    assert any(t.startswith("Storm Brena killed at least 12 people") for t in texts), texts
    assert not any("agency said" in t or "officials said" in t for t in texts), texts
    assert any("Governor Lina Osk said" in t for t in texts), texts
