"""Story clustering on invented articles: same event joins, look-alike events stay apart."""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest

from digests.cluster import StoryClusterer, cluster_articles, story_id_for
from digests.models import Article

T0 = datetime(2025, 3, 10, 9, 0, tzinfo=UTC)


def art(aid: str, title: str, text: str, source: str, hours: float = 0.0) -> Article:
    return Article(
        id=aid, title=title, text=text, source=source, published=T0 + timedelta(hours=hours)
    )


# One event (a bridge closure in an invented city), three outlets, their own wording.
BRIDGE = [
    art(
        "b1",
        "Varnholt bridge closed after cracks found in main span",
        "Engineers closed the Oskarsund Bridge in Varnholt on Monday after inspectors found "
        "cracks in its main steel span. Mayor Ilse Brannvik said the crossing would stay shut "
        "for at least three weeks while repairs are planned. About 42,000 vehicles use the "
        "bridge every day.",
        "north-gazette.example",
    ),
    art(
        "b2",
        "Cracks shut Oskarsund Bridge, Varnholt traffic diverted",
        "Traffic in Varnholt was diverted on Monday when the Oskarsund Bridge was shut. "
        "Inspectors discovered cracking in the main span, and Mayor Ilse Brannvik told "
        "reporters the closure could last three weeks. The bridge carries roughly 42,000 "
        "vehicles daily, and commuters face long detours.",
        "valley-news.example",
        hours=3,
    ),
    art(
        "b3",
        "Mayor Brannvik: Oskarsund Bridge to stay closed for weeks",
        "Varnholt's mayor, Ilse Brannvik, said the Oskarsund Bridge will remain closed for "
        "weeks after engineers spotted cracks in the main span during a routine inspection. "
        "Buses will be rerouted across the old ferry road, the city said.",
        "coast-daily.example",
        hours=20,
    ),
]

# The same leader receives two different visitors two weeks apart.
VISITS = [
    art(
        "v1",
        "President Tamsk receives Orlovan foreign minister Dalia Quercy",
        "President Arvid Tamsk received Orlovan Foreign Minister Dalia Quercy in Selmar on "
        "Tuesday. The two discussed grain exports and a new rail link, the presidency said.",
        "wire-a.example",
    ),
    art(
        "v2",
        "Tamsk and Quercy discuss grain and rail in Selmar",
        "Orlovan Foreign Minister Dalia Quercy held talks with President Arvid Tamsk in Selmar "
        "on Tuesday, focusing on grain exports and plans for a rail link between the countries.",
        "daily-b.example",
        hours=5,
    ),
    art(
        "v3",
        "President Tamsk hosts Pellian defence chief Joran Vikstad",
        "President Arvid Tamsk hosted Pellian Defence Minister Joran Vikstad in Selmar on "
        "Wednesday. They signed a pact on joint naval exercises, the presidency said.",
        "wire-a.example",
        hours=24 * 15,
    ),
    art(
        "v4",
        "Vikstad and Tamsk sign naval exercise pact",
        "Pellian Defence Minister Joran Vikstad and President Arvid Tamsk signed an agreement "
        "on joint naval exercises during talks in Selmar on Wednesday.",
        "daily-b.example",
        hours=24 * 15 + 4,
    ),
]

# One company, two quarters.
EARNINGS = [
    art(
        "q1a",
        "Brightwell Foods first-quarter revenue rises to 812 million",
        "Brightwell Foods reported first-quarter revenue of 812 million crowns on Thursday, up "
        "6 percent, as chief executive Mara Kellin pointed to strong frozen-meal sales.",
        "markets-one.example",
    ),
    art(
        "q1b",
        "Brightwell Q1 sales beat forecasts at 812 million",
        "Frozen meals lifted Brightwell Foods to first-quarter sales of 812 million crowns, "
        "beating forecasts, chief executive Mara Kellin said on Thursday.",
        "biz-two.example",
        hours=2,
    ),
    art(
        "q2a",
        "Brightwell Foods second-quarter revenue slips to 790 million",
        "Brightwell Foods said second-quarter revenue fell to 790 million crowns, as chief "
        "executive Mara Kellin blamed higher grain prices.",
        "markets-one.example",
        hours=24 * 91,
    ),
    art(
        "q2b",
        "Brightwell Q2 sales fall short at 790 million",
        "Higher grain prices pushed Brightwell Foods' second-quarter sales down to 790 million "
        "crowns, below forecasts, chief executive Mara Kellin said.",
        "biz-two.example",
        hours=24 * 91 + 3,
    ),
]

# Two earthquakes in one country, a month apart.
QUAKES = [
    art(
        "e1",
        "Magnitude 6.1 earthquake strikes near Korvalla in Estmark",
        "A magnitude 6.1 earthquake struck near the town of Korvalla in northern Estmark on "
        "Saturday, killing 14 people and damaging hundreds of homes, officials said.",
        "quake-wire.example",
    ),
    art(
        "e2",
        "Korvalla quake kills 14 in northern Estmark",
        "At least 14 people died when a 6.1-magnitude quake hit Korvalla, in Estmark's north, "
        "on Saturday. Rescue teams searched collapsed homes through the night.",
        "world-desk.example",
        hours=6,
    ),
    art(
        "e3",
        "Magnitude 5.4 earthquake hits Sudra port in southern Estmark",
        "A magnitude 5.4 earthquake hit the port city of Sudra in southern Estmark on Friday, "
        "injuring 9 people and cutting power to the harbour, officials said.",
        "quake-wire.example",
        hours=24 * 33,
    ),
    art(
        "e4",
        "Sudra port quake injures 9 in southern Estmark",
        "Nine people were injured when a 5.4-magnitude quake shook Sudra, a port in Estmark's "
        "south, on Friday. Harbour operations were halted.",
        "world-desk.example",
        hours=24 * 33 + 5,
    ),
]


def stories_of(articles: list[Article]) -> list[set[str]]:
    groups, _ = cluster_articles(articles)
    return sorted((set(g.article_ids) for g in groups), key=lambda s: min(s))


def test_same_event_from_three_outlets_is_one_story() -> None:
    assert stories_of(BRIDGE) == [{"b1", "b2", "b3"}]


def test_same_leader_two_visitors_on_different_dates_are_two_stories() -> None:
    assert stories_of(VISITS) == [{"v1", "v2"}, {"v3", "v4"}]


def test_two_quarters_of_one_company_are_two_stories() -> None:
    assert stories_of(EARNINGS) == [{"q1a", "q1b"}, {"q2a", "q2b"}]


def test_undated_quarters_are_told_apart_by_their_figures() -> None:
    """No publication dates: the Q1 and Q2 reports lead with different revenue figures."""
    undated = [Article(id=a.id, title=a.title, text=a.text, source=a.source) for a in EARNINGS]
    assert stories_of(undated) == [{"q1a", "q1b"}, {"q2a", "q2b"}]
    _, assignments = cluster_articles(undated)
    assert any("figures" in e for e in assignments["q2a"].evidence)


def test_two_earthquakes_in_one_country_are_two_stories() -> None:
    assert stories_of(QUAKES) == [{"e1", "e2"}, {"e3", "e4"}]


def test_mixed_stream_online_keeps_events_apart() -> None:
    """All four sets streamed together through the online path, one at a time."""
    clusterer = StoryClusterer()
    stream = sorted(BRIDGE + VISITS + EARNINGS + QUAKES, key=lambda a: (a.published, a.id))
    for a in stream:
        clusterer.add(a)
    got = sorted((set(g.article_ids) for g in clusterer.groups()), key=lambda s: min(s))
    want = [
        {"b1", "b2", "b3"},
        {"e1", "e2"},
        {"e3", "e4"},
        {"q1a", "q1b"},
        {"q2a", "q2b"},
        {"v1", "v2"},
        {"v3", "v4"},
    ]
    assert got == want


def test_wire_copy_is_flagged_as_duplicate_of_the_original() -> None:
    original = BRIDGE[0]
    copy = Article(
        id="b1-copy",
        title=original.title,
        text="VARNHOLT, March 10 (Northwire) - " + original.text.replace("Monday", "Monday "),
        source="reprint.example",
        published=T0 + timedelta(hours=1),
    )
    _, assignments = cluster_articles([*BRIDGE, copy])
    a = assignments["b1-copy"]
    assert a.duplicate_of == "b1"
    assert a.story_id == assignments["b1"].story_id
    assert any("copy" in e for e in a.evidence)
    assert assignments["b2"].duplicate_of is None  # same event, own wording: not a copy


def test_story_ids_are_stable_and_named_after_the_first_article() -> None:
    first, _ = cluster_articles(VISITS)
    again, _ = cluster_articles(VISITS)
    assert [g.id for g in first] == [g.id for g in again]
    assert first[0].id == story_id_for("v1")
    assert first[0].article_ids == ("v1", "v2")  # join order


def test_add_many_places_a_poll_in_publication_order() -> None:
    clusterer = StoryClusterer()
    results = clusterer.add_many(list(reversed(BRIDGE)))
    assert [r.article_id for r in results] == ["b3", "b2", "b1"]
    assert {r.story_id for r in results} == {story_id_for("b1")}  # b1 was published first
    assert clusterer.add_many(BRIDGE)[0] == clusterer.assignment("b1")


def test_add_is_idempotent_for_a_known_id() -> None:
    clusterer = StoryClusterer()
    a1 = clusterer.add(BRIDGE[0])
    clusterer.add(BRIDGE[1])
    assert clusterer.add(BRIDGE[0]) == a1
    assert clusterer.assignment("b1") == a1
    assert clusterer.assignment("nope") is None
    assert sum(len(g.article_ids) for g in clusterer.groups()) == 2


def test_evidence_explains_joins_and_new_stories() -> None:
    _, assignments = cluster_articles(BRIDGE + VISITS)
    join = assignments["b2"]
    assert not join.new_story and join.evidence
    assert any("Brannvik" in e or "Oskarsund" in e for e in join.evidence)
    new = assignments["v3"]
    assert new.new_story
    assert new.evidence and ("closest story" in new.evidence[0] or "no earlier" in new.evidence[0])


def test_repeated_ids_in_a_batch_are_placed_once() -> None:
    groups, assignments = cluster_articles([*BRIDGE, BRIDGE[0], BRIDGE[1]])
    placed = [aid for g in groups for aid in g.article_ids]
    assert sorted(placed) == ["b1", "b2", "b3"]
    assert set(assignments) == {"b1", "b2", "b3"}


def test_empty_and_title_only_articles_are_placed() -> None:
    arts = [
        Article(id="x1", title="", text="", source="s"),
        Article(id="x2", title="Ferry strike halts Ostvik crossings", text="", source="s"),
        Article(id="x3", title="Ostvik ferry strike halts crossings", text="", source="t"),
    ]
    groups, assignments = cluster_articles(arts)
    assert set(assignments) == {"x1", "x2", "x3"}
    assert sum(len(g.article_ids) for g in groups) == 3
    assert assignments["x3"].story_id == assignments["x2"].story_id


def test_shuffled_input_changes_little() -> None:
    arts = BRIDGE + VISITS + EARNINGS + QUAKES
    base = stories_of(arts)
    for seed in range(3):
        shuffled = list(arts)
        random.Random(seed).shuffle(shuffled)
        assert stories_of(shuffled) == base


def test_idle_stories_retire_and_stay_listed() -> None:
    """After RETIRE_DAYS of stream time a story takes no more articles but keeps its own."""
    clusterer = StoryClusterer()
    words = [f"Zorvex{i:04d} Quillan{i:04d} harbour" for i in range(1200)]
    for i, w in enumerate(words):
        clusterer.add(
            Article(
                id=f"n{i}",
                title=w,
                text=f"{w} reported on day {i // 20}.",
                source="s",
                published=T0 + timedelta(hours=i * 1.2),
            )
        )
    late = clusterer.add(
        Article(
            id="late",
            title=words[0],
            text=f"{words[0]} reported on day 0.",
            source="s",
            published=T0 + timedelta(days=61),
        )
    )
    assert late.new_story  # the first story retired long ago
    placed = [aid for g in clusterer.groups() for aid in g.article_ids]
    assert len(placed) == 1201 and len(set(placed)) == 1201


def test_every_article_lands_in_exactly_one_story_property() -> None:
    from hypothesis import given, settings
    from hypothesis import strategies as st

    word = st.sampled_from(
        ["Varnholt", "bridge", "Brannvik", "quake", "Estmark", "812", "2025", "June 3", "the"]
    )
    text = st.lists(word, max_size=30).map(" ".join)
    article = st.builds(
        lambda i, t, x, h: Article(
            id=f"a{i}",
            title=t,
            text=x,
            source="s",
            published=None if h < 0 else T0 + timedelta(hours=h),
        ),
        st.integers(0, 40),
        text,
        text,
        st.integers(-1, 2000),
    )

    @settings(max_examples=60, deadline=None)
    @given(st.lists(article, max_size=25))
    def check(arts: list[Article]) -> None:
        groups, assignments = cluster_articles(arts)
        placed = [aid for g in groups for aid in g.article_ids]
        assert sorted(placed) == sorted({a.id for a in arts})
        assert set(assignments) == {a.id for a in arts}
        ids = {g.id for g in groups}
        assert all(a.story_id in ids and a.evidence for a in assignments.values())
        again, _ = cluster_articles(arts)
        assert [(g.id, g.article_ids) for g in again] == [(g.id, g.article_ids) for g in groups]

    check()


def test_copy_arriving_first_still_points_at_the_credited_original() -> None:
    original = Article(
        id="wire-original",
        title=BRIDGE[0].title,
        text="VARNHOLT, March 10 (Northwire) - " + BRIDGE[0].text,
        source="Northwire",
    )
    copy = Article(
        id="reprint",
        title="Bridge shut in Varnholt",
        text="Our readers asked about the closure. " + original.text,
        source="Valley Reprints",
    )
    _, assignments = cluster_articles([copy, original])
    assert assignments["reprint"].duplicate_of == "wire-original"
    assert assignments["wire-original"].duplicate_of is None


def _undated(aid: str, title: str, text: str, source: str) -> Article:
    return Article(id=aid, title=title, text=text, source=source)


# Two rehab stays of two different actresses: the same vocabulary, different protagonists.
REHAB_A = [
    _undated(
        "r1",
        "Marela Vosk checks into Calder Springs rehab clinic",
        "Actress Marela Vosk has checked into the Calder Springs rehab clinic, her "
        "representative confirmed in a statement on Tuesday. Vosk entered the treatment "
        "facility on the advice of family and friends and asked for privacy while she "
        "completes the program. The representative would not say how long the stay would "
        "last. Vosk had been due to begin filming a new drama next month, and producers "
        "said the shoot would be postponed until she is ready to return to work.",
        "a.example",
    ),
    _undated(
        "r2",
        "Vosk enters rehab at Calder Springs",
        "Marela Vosk is receiving treatment at Calder Springs, the desert rehab centre "
        "favoured by actors, a spokesman for the star said. The actress, who won praise for "
        "her role in a television series last year, checked in voluntarily. Friends said "
        "Vosk was determined to get well and grateful for the messages of support from "
        "fans. The studio behind her next film said it stood by her and would adjust its "
        "schedule for as long as needed while she stays at the clinic.",
        "b.example",
    ),
    _undated(
        "r3",
        "Marela Vosk seeks treatment at Calder Springs",
        "Film star Marela Vosk has begun a stay at the Calder Springs treatment centre, "
        "according to her publicist, who gave no further details about the program or its "
        "length. Vosk, a familiar face from several hit films over the past decade, asked "
        "the public and the press to respect her privacy. Her agent thanked the staff at "
        "Calder Springs and said the actress looked forward to returning to the set once "
        "her rehab was complete, possibly later in the year.",
        "c.example",
    ),
]
REHAB_B = _undated(
    "r4",
    "Tessa Lindqvist checks into Harrow Lodge rehab clinic",
    "Actress Tessa Lindqvist has entered the Harrow Lodge rehab clinic, a spokesman for the "
    "star told reporters, and she asked fans for privacy while she completes treatment. "
    "Lindqvist checked in voluntarily on the advice of friends, and her agent said the "
    "stay would last several weeks. The actress had been due to start filming a television "
    "series next month; producers said the shoot would be postponed until she is ready to "
    "return to the set and thanked fans for their messages of support.",
    "d.example",
)


def test_same_kind_of_event_with_other_protagonists_is_another_story() -> None:
    c = StoryClusterer()
    c.warm_up([*REHAB_A, REHAB_B])
    first = [c.add(a) for a in REHAB_A]
    assert len({a.story_id for a in first}) == 1
    other = c.add(REHAB_B)
    assert other.new_story, other.evidence
    assert any("doesn't name the story's" in e for e in other.evidence), other.evidence


def test_batch_pauses_the_cycle_collector_and_restores_it() -> None:
    import gc

    seen: list[bool] = []

    def stream() -> Iterator[Article]:
        for a in BRIDGE:
            seen.append(gc.isenabled())
            yield a

    assert gc.isenabled()
    cluster_articles(stream())
    assert seen and not any(seen)  # paused while the batch is placed
    assert gc.isenabled()

    def broken() -> Iterator[Article]:
        yield BRIDGE[0]
        raise OSError("feed went away")

    with pytest.raises(OSError):
        cluster_articles(broken())
    assert gc.isenabled()  # put back after a failure too

    gc.disable()
    try:
        cluster_articles(BRIDGE)
        assert not gc.isenabled()  # a caller's own choice is kept
    finally:
        gc.enable()


def test_a_coming_weekday_is_dated_forward() -> None:
    from digests.textfeatures import extract_dates

    tuesday = datetime(2026, 11, 24, 9, tzinfo=UTC)
    feats, full, _ = extract_dates("Port bosses will meet the union on Thursday.", tuesday)
    assert "@11-26" in feats and "@11-19" not in feats
    feats, _, _ = extract_dates("The crane collapsed early on Sunday.", tuesday)
    assert "@11-22" in feats


def test_a_poll_is_placed_by_publication_time_or_else_the_date_its_lead_gives() -> None:
    from digests.cluster import in_placement_order

    when = datetime(2026, 5, 2, 9, tzinfo=UTC)
    undated = Article("u", "Ferry strike ends", "The strike ended, union leaders said.", "x.ex")
    late_lead = Article("l", "Strike talks", "HARLOW, May 3, 2026 - Talks resumed.", "y.ex")
    early_lead = Article("e", "Strike begins", "HARLOW, May 1, 2026 - Crews walked out.", "z.ex")
    stamped = Article("p", "Strike day two", "Crews stayed out.", "w.ex", published=when)
    got = in_placement_order([undated, late_lead, stamped, early_lead])
    assert [a.id for a in got] == ["e", "p", "l", "u"]
    # The poll order is the placement order: the earliest report names the story.
    body = "Velan ferry crews walked out over pay at Harlow port, stranding 3,000 travellers."
    second = Article("2", "Ferry strike", "HARLOW, May 3, 2026 - " + body, "y.ex")
    first = Article("1", "Ferry strike", "HARLOW, May 1, 2026 - " + body, "z.ex")
    c = StoryClusterer()
    c.add_many([second, first])
    assert [g.article_ids for g in c.groups()] == [("1", "2")]


def test_a_review_does_not_move_a_lone_report_across_the_dates_texts_give() -> None:
    # Last year's quarter is dated only in its texts; this quarter's report carries a
    # publication time. Placement kept them apart on those dates, and so must a review:
    # a lone article has no fit of its own to weigh a move against.
    q1 = [
        "On March 20, 2025, Corvane said it delivered 48,310 electric scooters in the first "
        "quarter, down 9% from a year earlier, as demand in Velan cooled.",
        "Corvane delivered 48,310 electric scooters in the first quarter, the Velan maker said "
        "on March 20, 2025, a 9% fall from a year earlier.",
    ]
    q2 = (
        "Corvane said it delivered 51,200 electric scooters in the second quarter, up 6% on the "
        "first quarter, as demand in Velan recovered, the company said."
    )
    reports = [Article(f"q{i}", "Corvane deliveries", t, f"o{i}.example") for i, t in enumerate(q1)]
    reports.append(
        Article(
            "q9", "Corvane deliveries", q2, "o9.example", published=datetime(2026, 7, 2, tzinfo=UTC)
        )
    )
    c = StoryClusterer()
    c.add_many(reports)
    c.refine(reports)
    assert [g.article_ids for g in c.groups()] == [("q0", "q1"), ("q9",)]


def test_retired_and_merged_stories_share_empty_features_that_stay_empty() -> None:
    """Retired and merged-away stories give up their features for one shared set of empty
    containers (memory on an endless stream); nothing may write to those again."""
    from digests import cluster
    from digests.synthetic import SyntheticStream

    clusterer, *_ = cluster._read_batch(
        (a for a, _ in SyntheticStream(6000)),
        threshold=cluster.JOIN_THRESHOLD,
        merge=True,
        refine=True,
    )
    gone = [s for s in clusterer._stories if not s.active]
    assert len(gone) > 1000
    assert all(
        s.names is cluster._RETIRED_NAMES and s.figures is cluster._RETIRED_COUNTS for s in gone
    )
    shared = (
        cluster._RETIRED_VECTOR,
        cluster._RETIRED_NAMES,
        cluster._RETIRED_COUNTS,
        cluster._RETIRED_SET,
        cluster._RETIRED_MEMBERS,
    )
    assert not any(shared), shared
    assert sum(len(g.article_ids) for g in clusterer.groups()) == 6000


def test_a_one_word_headline_joins_nothing_and_a_two_word_one_copies_nothing() -> None:
    items = [
        art("i1", "Item 2", "", "fixtures-a.example"),
        art("i2", "Item 3", "", "fixtures-b.example", hours=1),
        art("l1", "Live updates", "", "north-gazette.example", hours=2),
        art("l2", "Live updates", "", "harbour-times.example", hours=3),
    ]
    groups, assignments = cluster_articles(items)
    stories = {a: s.id for s in groups for a in s.article_ids}
    assert stories["i1"] != stories["i2"]
    assert all(a.duplicate_of is None for a in assignments.values())
    online = StoryClusterer()
    placed = [online.add(a) for a in items]
    assert placed[0].story_id != placed[1].story_id
    assert "too few distinct words (1)" in placed[1].evidence[0]
    assert placed[3].duplicate_of is None


def test_items_alike_only_in_a_feeds_few_word_body_are_no_copies() -> None:
    items = [
        art(
            "h1",
            "Velmar opens its first tidal power plant on the Pellin coast",
            "Comments",
            "links.example",
        ),
        art(
            "h2",
            "A self-hosted photo manager written in one weekend",
            "Comments",
            "links.example",
            hours=1,
        ),
        art(
            "h3",
            "Why Osterby's old tram network still runs on 1920s parts",
            "Comments",
            "links.example",
            hours=2,
        ),
    ]
    groups, assignments = cluster_articles(items)
    assert len(groups) == 3, groups
    assert all(a.duplicate_of is None for a in assignments.values())
