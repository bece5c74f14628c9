"""Look-alike events of one series: Flight 9 vs Flight 10, Q1 vs Q2, undated reports whose
leads give other days. Texts written for these tests (invented rocket, company and court)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from digests.cluster import StoryClusterer, cluster_articles
from digests.models import Article
from digests.textfeatures import extract, same_figure, serials, told_day_of_year


@pytest.mark.parametrize(
    ("text", "keys"),
    [
        ("Halvard's Flight 9 lifted off from Brisk Point.", {"flight:9"}),
        ("the ninth demonstration flight of the Halvard rocket", {"flight:9"}),
        ("Brisk completes tenth Halvard test launch", {"flight:10"}),
        ("Corvane reported Q2 deliveries of 51,200 scooters", {"quarter:2"}),
        ("second-quarter profit rose 4%", {"quarter:2"}),
        ("it delivered 48,310 scooters in the first quarter, down 9%", {"quarter:1"}),
        ("Game 7 is on Sunday", {"game:7"}),
        ("Velmar Diary #7: the compiler runs", {"diary#:7"}),
        ("Orvel Weekly Issue #12 is out", {"issue#:12"}),
        # not an instance: a period of a basketball game, a rocket's stage, a score, a count
        ("Rask scored 14 points in the fourth quarter", set()),
        ("the first stage separated after two minutes", set()),
        ("Lorne beat Dace 3-6, 6-3 in the final game of the set", set()),
        ("deliveries fell for the second consecutive quarter", set()),
        ("the #1 seed lost in Velmar", set()),
    ],
)
def test_serials_name_the_instance_of_a_series(text: str, keys: set[str]) -> None:
    assert serials(text) == keys


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        (384_000, 384_122, True),  # "about 384,000"
        (387_000, 386_810, True),
        (69e9, 68.7e9, True),  # "$69 billion"
        (384_122, 386_810, False),  # two precise figures 0.7% apart are two figures
        (1_000, 1_400, False),  # a round figure is not a range
        (12_881, 12_881, True),
    ],
)
def test_same_figure_is_one_figure_rounded(a: float, b: float, same: bool) -> None:
    assert same_figure(a, b) is same
    assert same_figure(b, a) is same


def test_a_date_set_ahead_or_looked_back_to_is_not_the_reports_own() -> None:
    assert told_day_of_year("Rockets lifted off on May 27 from Brisk Point.") == 148
    assert told_day_of_year("Sentencing was set for March 28, 2024. On May 27 ...") == 148
    assert told_day_of_year("The booster had flown on January 16, 2025.") is None
    verdict = Article(
        "v1",
        "",
        "A jury in Tollan found Oswin Marr guilty of fraud. A sentencing date was set for "
        "March 28, 2024, the judge said.",
        "court.example",
    )
    assert extract(verdict).dated is None  # not dated by its sentencing date


def _undated(aid: str, text: str, title: str = "") -> Article:
    return Article(aid, title, text, f"{aid}.example")


FLIGHT_9 = [
    _undated(
        "n1",
        "Brisk Aerospace's Halvard rocket reached space on Flight 9 but the upper stage tumbled "
        "and broke apart over the Sarnic Ocean, the company said. The Halvard booster splashed "
        "down off Brisk Point after a reused engine set fired.",
    ),
    _undated(
        "n2",
        "The ninth test flight of Brisk Aerospace's Halvard rocket ended with the upper stage "
        "breaking apart over the Sarnic Ocean after it reached space. Brisk Point controllers "
        "lost the vehicle during reentry.",
    ),
    _undated(
        "n3",
        "Flight 9 of the Halvard rocket: Brisk Aerospace lost its upper stage over the Sarnic "
        "Ocean after reaching space, while the booster came down near Brisk Point.",
    ),
]
FLIGHT_10 = _undated(
    "t1",
    "Brisk Aerospace's Halvard rocket flew Flight 10 from Brisk Point, reached space and the "
    "upper stage splashed down in the Sarnic Ocean as planned, after the booster returned.",
)


def test_an_undated_report_of_the_next_flight_is_another_story() -> None:
    groups, assignments = cluster_articles([*FLIGHT_9, FLIGHT_10])
    assert sorted(sorted(g.article_ids) for g in groups) == [["n1", "n2", "n3"], ["t1"]]
    assert any("Flight 10" in e and "Flight 9" in e for e in assignments["t1"].evidence)


def test_reports_naming_the_same_flight_still_join() -> None:
    groups, _ = cluster_articles(FLIGHT_9)
    assert [sorted(g.article_ids) for g in groups] == [["n1", "n2", "n3"]]


def test_an_undated_report_of_another_day_stays_apart_online() -> None:
    # A dated story of a launch on August 26; an undated report whose lead gives May 27.
    august = [
        Article(
            f"a{i}",
            "",
            "Brisk Aerospace launched its Halvard rocket from Brisk Point on August 26, and the "
            f"upper stage splashed down in the Sarnic Ocean ({i}).",
            f"a{i}.example",
            published=datetime(2025, 8, 27, 9, tzinfo=UTC),
        )
        for i in range(3)
    ]
    may = _undated(
        "m1",
        "On May 27 the Halvard, Brisk Aerospace's heavy rocket, lifted off from Brisk Point; "
        "controllers later lost its upper stage, which broke up above the Sarnic Ocean during "
        "reentry, and the company promised a review.",
    )
    c = StoryClusterer()
    for a in august:
        c.add(a)
    placed = c.add(may)
    assert placed.new_story
    assert "undated; its lead gives May 27, the story's reports August 27" in placed.evidence
    same_day = c.add(
        _undated(
            "m2",
            "Brisk Aerospace launched its Halvard rocket from Brisk Point on August 26; the upper "
            "stage splashed down in the Sarnic Ocean.",
        )
    )
    assert not same_day.new_story


@pytest.mark.parametrize(
    ("text", "keys"),
    [
        ("A Tollan jury found Oswin Marr guilty of fraud on all counts.", {"case:1"}),
        ("Marr was sentenced to 12 years, months after he was convicted.", {"case:2"}),
        ("Marr was convicted and faces up to 20 years when he is sentenced.", {"case:1"}),
        ("Halvard unveiled the Vela headset at its developer fair.", {"product:1"}),
        ("Fans lined up as the Vela, unveiled in June, went on sale.", {"product:2"}),
        ("Halvard unveiled the Vela, which will go on sale next year.", {"product:1"}),
    ],
)
def test_serials_tell_how_far_a_case_or_a_product_has_got(text: str, keys: set[str]) -> None:
    assert serials(text) == keys


VERDICT = [
    _undated(
        "j1",
        "A jury in Tollan found Oswin Marr, the founder of the Quillby exchange, guilty of fraud "
        "and conspiracy after a four-week trial. Prosecutors said Marr took $2 billion of "
        "Quillby customers' money; he faces decades in prison.",
    ),
    _undated(
        "j2",
        "Quillby founder Oswin Marr was convicted of fraud by a Tollan jury on all seven counts, "
        "ending a four-week trial over $2 billion missing from the exchange.",
    ),
    _undated(
        "j3",
        "Oswin Marr, who built the Quillby exchange, was found guilty of defrauding customers of "
        "$2 billion; the Tollan jury deliberated for five hours.",
    ),
]
SENTENCE = _undated(
    "j9",
    "Oswin Marr, the Quillby exchange founder convicted of fraud by a Tollan jury, was "
    "sentenced to 25 years in prison for taking $2 billion of customers' money.",
)


def test_the_sentencing_is_another_story_than_the_verdict() -> None:
    groups, assignments = cluster_articles([*VERDICT, SENTENCE])
    assert sorted(sorted(g.article_ids) for g in groups) == [["j1", "j2", "j3"], ["j9"]]
    assert any("Case 2" in e for e in assignments["j9"].evidence)


def test_numbered_posts_of_one_series_are_stories_of_their_own() -> None:
    base = datetime(2026, 3, 2, 9, tzinfo=UTC)
    bodies = {
        1: "This week I worked on the Velmar compiler port: the parser builds again and the "
        "runtime starts, though the test suite passes only about half its cases.",
        2: "More on the Velmar compiler port: the runtime no longer crashes on startup, and "
        "the test suite now passes most of its cases after a week of fixes to the parser.",
    }
    posts = [
        Article(
            f"d{n}",
            f"Velmar Diary #{n}: notes on porting the Velmar compiler",
            body,
            "velmar-dev.example",
            published=base.replace(day=2 + n),
        )
        for n, body in bodies.items()
    ]
    groups, assignments = cluster_articles(posts)
    assert len(groups) == 2, groups
    assert any("Diary #1" in e for a in assignments.values() for e in a.evidence), assignments
