"""Plain-text and Markdown digests: what a story shows in a digest and in `story N`."""

from __future__ import annotations

from datetime import UTC, datetime

from digests.models import Article, Digest, Disagreement, Fact, Story
from digests.render import digest_view, render_markdown, render_text, story_view

_DIFFERS = tuple(
    Disagreement(f"Figure {i}: {i}00 (a.example) vs {i}50 (b.example)", ("a1", "b1"))
    for i in range(1, 6)
)
STORY = Story(
    id="s-1",
    headline="Tarn harbour tower opens",
    articles=(
        Article(id="a1", title="Tarn tower opens", text="The tower opened.", source="a.example"),
    ),
    facts=(Fact("The tower opened on Monday.", "event", ("a1",), 1),),
    disagreements=_DIFFERS,
)


def test_a_digest_shows_two_disagreements_and_points_to_the_rest() -> None:
    view = digest_view(Digest("Digest", datetime(2026, 5, 1, tzinfo=UTC), (STORY,)))
    text = render_text(view)
    assert "Figure 1:" in text and "Figure 2:" in text and "Figure 3:" not in text
    assert "(+3 more disagreements: /digest story 1)" in text
    assert "_+3 more disagreements_" in render_markdown(view)


def test_story_detail_shows_every_disagreement() -> None:
    view = story_view(STORY, 1, all_facts=True)
    assert view.disagreements == tuple(d.text for d in _DIFFERS)
    assert view.more_disagreements == 0


def test_a_fact_that_is_the_headline_is_shown_once() -> None:
    story = Story(
        id="s-2",
        headline="Tarn harbour tower opens",
        articles=STORY.articles,
        facts=(
            Fact("Tarn harbour tower opens.", "event", ("a1",), 1),
            Fact("The tower is 212 metres tall.", "number", ("a1",), 1),
        ),
    )
    assert story_view(story, 1, all_facts=True).facts == ("The tower is 212 metres tall.",)
