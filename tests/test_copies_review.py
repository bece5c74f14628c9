"""A wire report republished by another site is one report: in a batch review its copy is no
evidence that the two belong apart from the rest of the event's coverage."""

from __future__ import annotations

from datetime import UTC, datetime

from digests.cluster import cluster_articles
from digests.models import Article

WIRE = (
    "OSTERBY (Velish Wire) - Engineers declared the Harlow dam unsafe after divers found a "
    "crack running along its northern spillway, and officials ordered the reservoir lowered. "
    "The Velish water board said 3,000 residents downstream would be moved. "
    "Board chair Ana Dorosheva said the structure had passed its last inspection in 2024."
)
OTHERS = [
    (
        "Mayor Gans leads Lunden convoy to Osterby gyms",
        "Mayor Pieter Gans led a convoy of buses out of Lunden on Wednesday night as the Red "
        "Cross handed out blankets in the Osterby gymnasiums. Volunteers from the Lunden fire "
        "brigade carried the elderly onto the buses, Gans said, after the water board chair Ana "
        "Dorosheva warned about the Harlow dam.",
    ),
    (
        "Red Cross blankets for Lunden convoy",
        "The Red Cross handed out blankets and soup in the Osterby gymnasiums on Wednesday night "
        "after Mayor Pieter Gans brought a convoy of buses from Lunden. Gans thanked the Lunden "
        "fire brigade volunteers. Divers had found a crack along the northern spillway of the "
        "Harlow dam.",
    ),
    (
        "Lunden night convoy reaches Osterby",
        "Buses carrying Lunden families reached the Osterby gymnasiums late on Wednesday, where "
        "the Red Cross had laid out blankets, Mayor Pieter Gans said. The Lunden fire brigade "
        "helped volunteers load the convoy; engineers declared the Harlow dam unsafe and ordered "
        "its reservoir lowered.",
    ),
]


def _articles() -> list[Article]:
    def at(day: int) -> datetime:
        return datetime(2026, 3, day, 9, tzinfo=UTC)

    title = "Harlow dam declared unsafe after divers find crack"
    out = [
        Article("w1", title, WIRE, "velishwire.example", published=at(10)),
        Article(
            "w2",
            title,
            WIRE.replace("OSTERBY (Velish Wire) - ", "") + " Read more on our site.",
            "aggregator.example",
            published=at(10),
        ),
    ]
    for i, (t, text) in enumerate(OTHERS):
        out.append(Article(f"o{i}", t, text, f"outlet{i}.example", published=at(11)))
    return out


def test_placement_alone_leaves_the_wire_report_and_its_copy_apart() -> None:
    # The premise: arriving first, the wire report founds a story its copy joins, and the
    # other outlets' reports, each alone too unlike it, found another.
    groups, assignments = cluster_articles(_articles(), refine=False)
    assert sorted(g.article_ids for g in groups) == [("o0", "o1", "o2"), ("w1", "w2")]
    assert assignments["w2"].duplicate_of == "w1"


def test_a_batch_review_weighs_an_original_with_only_its_copies_as_alone() -> None:
    groups, assignments = cluster_articles(_articles())
    assert [sorted(g.article_ids) for g in groups] == [["o0", "o1", "o2", "w1", "w2"]]
    assert any("moved on review" in e for e in assignments["w1"].evidence)
    assert assignments["w2"].duplicate_of == "w1"  # still one source, shown once
