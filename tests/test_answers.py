"""Follow-up answers are source sentences, ranked by what the question asks for."""

from __future__ import annotations

from datetime import UTC, datetime

from digests.answers import answer_question
from digests.models import Article

ARTS = [
    Article(
        id="q1",
        title="Ostra dam fails",
        text=(
            "The Ostra dam failed on Tuesday after a week of heavy rain in the Pellin valley.\n"
            "At least 31 people died in the flood, regional officials said.\n"
            "Engineer Marta Voss said the dam had not been inspected since 2019."
        ),
        source="one.example",
        published=datetime(2026, 5, 7, tzinfo=UTC),
    ),
    Article(
        id="q2",
        title="Pellin valley flood",
        text=(
            "Rescuers searched the Pellin valley for survivors of the Ostra dam flood.\n"
            "At least 31 people died in the flood, regional officials said."
        ),
        source="two.example",
    ),
]


def test_how_many_prefers_numbers_and_merges_citations() -> None:
    answers = answer_question(ARTS, "How many people died in the flood?")
    assert answers
    assert "31 people died" in answers[0].sentence
    assert set(answers[0].article_ids) == {"q1", "q2"}


def test_when_prefers_dates() -> None:
    answers = answer_question(ARTS, "When did the Ostra dam fail?")
    assert "Tuesday" in answers[0].sentence


def test_who_prefers_names() -> None:
    answers = answer_question(ARTS, "Who said the dam was not inspected?")
    assert "Marta Voss" in answers[0].sentence


def test_nothing_found_returns_empty() -> None:
    assert answer_question(ARTS, "What did the football coach say about penalties?") == []
    assert answer_question(ARTS, "why?") == []


def test_limit() -> None:
    assert len(answer_question(ARTS, "Pellin valley flood dam", limit=1)) == 1


def test_topic_words_alone_do_not_make_an_answer() -> None:
    from digests.models import Article

    articles = [
        Article(
            "f1",
            "Ferry line to Skarra Island approved",
            "The council approved the Skarra Island ferry line on Monday. "
            "About 300 passengers a day are expected on the ferry.",
            "Isle Post",
        ),
        Article(
            "f2",
            "Skarra ferry gets green light",
            "Councillors backed the ferry to Skarra Island, which will carry 300 passengers a day.",
            "Bay Herald",
        ),
    ]
    from digests.answers import answer_question

    assert answer_question(articles, "What colour is the ferry's funnel?") == []
    found = answer_question(articles, "How many passengers a day?")
    assert found and "300" in found[0].sentence


TRIAL = [
    Article(
        id="t1",
        title="Orvik Dall sentenced in Tarn harbour fraud",
        text=(
            "A court in Tarn sentenced former harbour master Orvik Dall to 12 years in prison.\n"
            "Dall's sentence drew criticism from the Tarn bar association on Friday.\n"
            "The defence had asked for a suspended sentence, citing his 30 years of service."
        ),
        source="one.example",
    ),
    Article(
        id="t2",
        title="Tarn court jails harbour master",
        text=(
            "The new 310-metre Tarn harbour tower, which Dall commissioned, opened in 2019.\n"
            "The tower has 14 lifts and a public viewing deck, its owners said.\n"
            "Defense lawyers said Dall would appeal the sentence."
        ),
        source="two.example",
    ),
]


def test_how_long_prefers_the_figure_in_the_unit_asked_for() -> None:
    answers = answer_question(TRIAL, "How long is Dall's sentence?")
    assert "12 years" in answers[0].sentence


def test_a_measure_question_finds_the_measure_not_any_number() -> None:
    answers = answer_question(TRIAL, "How tall is the tower?")
    assert "310-metre" in answers[0].sentence
    answers = answer_question(TRIAL, "How many lifts does the tower have?")
    assert "14 lifts" in answers[0].sentence


def test_british_and_american_spellings_meet() -> None:
    asked_british = answer_question(TRIAL, "What did the defence say about an appeal?")
    assert asked_british and "appeal" in asked_british[0].sentence
    asked_american = answer_question(TRIAL, "What did the defense ask for?")
    assert asked_american and "suspended sentence" in asked_american[0].sentence
