"""An outlet's footer, repeated under its reports on unrelated matters, does not make them one
story: the clusterer reads the texts without it, in a batch and in the bot's store."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from digests.boilerplate import repeated_sentences, without_sentences
from digests.models import Article
from digests.pipeline import Newsroom, cluster_batch
from digests.store import Store

T0 = datetime(2026, 3, 2, 9, tzinfo=UTC)
FOOTER = (
    "Sign up for the Varn Courier morning newsletter to get the day's top stories in your "
    "inbox. Our journalism depends on readers like you: become a member today and support "
    "independent local reporting. Follow the Varn Courier on social media for live updates, "
    "photo galleries and breaking news alerts from across the region."
)
EVENTS = [
    ("Ferry strike ends in Lunden", "Ferry workers in Lunden ended a three-day strike on "
     "Monday after the operator agreed to raise wages by 6%. Crossings to Brask resume on "
     "Tuesday."),
    ("Fire destroys Osk warehouse", "A fire destroyed a grain warehouse in Osk on Monday "
     "night. Firefighters fought the blaze for six hours and no one was hurt, the fire "
     "service said."),
    ("Velmar council approves tram line", "Velmar city council approved a new tram line to "
     "the harbour district on Monday, with construction due to start next spring at a cost "
     "of 240 million crowns."),
]  # fmt: skip


def _courier() -> list[Article]:
    return [
        Article(
            f"c{i}", title, f"{text}\n{FOOTER}", "Varn Courier", published=T0 + timedelta(hours=i)
        )
        for i, (title, text) in enumerate(EVENTS)
    ]


def test_the_footer_is_found_and_taken_out_of_the_text_only() -> None:
    arts = _courier()
    furniture = repeated_sentences(arts)
    assert len(furniture["Varn Courier"]) == 3
    read = without_sentences(arts[0], furniture["Varn Courier"])
    assert read.text.strip() == EVENTS[0][1] and read.title == arts[0].title
    assert without_sentences(arts[0], frozenset()) is arts[0]


def test_reports_on_unrelated_matters_sharing_a_footer_stay_apart_in_a_batch() -> None:
    batch = cluster_batch(_courier())
    assert len(batch.stories) == 3
    assert not any("newsletter" in f.text for s in batch.stories for f in s.facts)


def test_reports_on_unrelated_matters_sharing_a_footer_stay_apart_in_the_bot(
    tmp_path: Path,
) -> None:
    store = Store.open(f"sqlite:///{tmp_path / 'footer.db'}")
    try:
        room = Newsroom(store, clock=lambda: T0 + timedelta(hours=5))
        room.ingest(_courier())
        assert len(room.stories()) == 3
    finally:
        store.close()


def test_sentences_reports_on_one_story_share_are_no_footer() -> None:
    shared = (
        "The strike began on Friday after talks on overtime pay broke down. "
        "About 1,200 passengers a day use the Lunden crossing."
    )
    arts = [
        Article(
            f"u{i}", title, f"{lead}\n{shared}", "Varn Courier", published=T0 + timedelta(hours=i)
        )
        for i, (title, lead) in enumerate(
            [
                (
                    "Lunden ferry strike enters third day",
                    "No ferries sailed from Lunden on Sunday.",
                ),
                ("Lunden ferry talks resume", "Talks to end the Lunden ferry strike resumed."),
                ("Lunden ferry strike ends", "Ferry workers in Lunden ended their strike."),
            ]
        )
    ]
    assert repeated_sentences(arts) == {}


def test_two_reports_that_met_through_a_footer_part_once_a_third_shows_it(
    tmp_path: Path,
) -> None:
    """One poll apart, the first two reports cannot yet tell the footer from news and share a
    story; the third shows it is furniture, and the review starts the second a story of its
    own (it never moves into another: none fits)."""
    store = Store.open(f"sqlite:///{tmp_path / 'footer.db'}")
    now = [T0]
    try:
        room = Newsroom(store, clock=lambda: now[0])
        first, second, third = _courier()
        for n, article in enumerate((first, second, third), start=1):
            now[0] = T0 + timedelta(hours=n)
            room.ingest([article])
            if n == 2:
                assert len(room.stories()) == 1  # what a footer alone can do
        stories = room.stories()
        assert sorted(len(s.articles) for s in stories) == [1, 1, 1]
        assert "started a story of its own on review" in room.why(second.id)
        assert not any("newsletter" in f.text for s in stories for f in s.facts)
    finally:
        store.close()
