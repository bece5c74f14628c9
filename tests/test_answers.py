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


QUAKE = [
    Article(
        id="e1",
        title="Merrow valley earthquake death toll reaches 7",
        text=(
            "A magnitude 5.9 earthquake struck the Merrow valley before dawn on Tuesday, "
            "killing at least 7 people, the regional emergency office said.\n"
            "More than 60 people were treated for injuries at the hospital in Colbeck.\n"
            "A sports hall in Colbeck now shelters about 400 people whose homes were damaged.\n"
            "The quake was felt as far away as the capital Tessaly, officials said."
        ),
        source="one.example",
        published=datetime(2027, 3, 10, tzinfo=UTC),
    ),
    Article(
        id="e2",
        title="Merrow valley quake: homes damaged in Colbeck",
        text=(
            "Engineers inspected 300 homes in Colbeck after the Merrow valley quake.\n"
            "The tremor damaged the old grain store on the river front, its owners said."
        ),
        source="two.example",
    ),
]
LOWLAND_QUAKE = [
    Article(
        id="l1",
        title="Lowland tremor damaged 200 barns, survey finds",
        text=(
            "The magnitude 4.1 quake that shook the Fenmark lowlands last month damaged "
            "200 barns, a survey published on Friday found.\n"
            "No one was killed in the quake, which was centred 8 kilometres beneath the "
            "village of Aske.\n"
            "Farmers in Aske said repairs would take until the spring."
        ),
        source="one.example",
    ),
]
TAKEOVER = [
    Article(
        id="m1",
        title="Corvell Foods agrees takeover of Ashby Dairies",
        text=(
            "Corvell Foods said on Monday it had agreed to buy Ashby Dairies for 420 million "
            "euros in cash.\n"
            "Corvell chief executive Lina Marsh said the deal would double its cheese output.\n"
            "The two companies together employ about 2,300 people.\n"
            "Ashby shares rose 14 percent on the news."
        ),
        source="one.example",
    ),
    Article(
        id="m2",
        title="Ashby Dairies sold to Corvell",
        text=(
            "Ashby Dairies, which runs six creameries in the north, is being bought by Corvell "
            "Foods.\nThe competition office must approve the takeover, which could take a year."
        ),
        source="two.example",
    ),
]


def test_an_answer_must_share_the_questions_point_not_just_its_noun() -> None:
    # "people" is in the takeover story, dying is not: that is "not found", not a headcount.
    assert answer_question(TAKEOVER, "How many people died?") == []


def test_how_many_died_is_answered_by_a_death_not_by_people_counted_otherwise() -> None:
    # Dying is the story's topic here (its title has the toll), so "people" alone once matched
    # the injured and the sheltered while "killing" never met "died".
    answers = answer_question(QUAKE, "How many people died?")
    assert answers and "killing at least 7 people" in answers[0].sentence
    assert not any("injuries" in a.sentence or "shelters" in a.sentence for a in answers)


def test_irregular_past_tenses_meet_their_verb() -> None:
    answers = answer_question(QUAKE, "When did the quake strike?")
    assert answers and "struck the Merrow valley before dawn on Tuesday" in answers[0].sentence


def test_death_words_meet_and_filler_words_ask_nothing() -> None:
    answers = answer_question(LOWLAND_QUAKE, "Did anyone die?")
    assert answers and answers[0].sentence.startswith("No one was killed")


def test_titles_meet_their_abbreviations() -> None:
    answers = answer_question(TAKEOVER, "Who is the CEO?")
    assert answers and "Lina Marsh" in answers[0].sentence


def test_a_question_about_something_else_is_not_found() -> None:
    # The story mentions a capital, but nothing of France.
    assert answer_question(QUAKE, "What is the capital of France?") == []
    assert answer_question(QUAKE, "what is the capital of france?") == []


def test_a_sum_of_money_answers_how_much_was_paid() -> None:
    answers = answer_question(TAKEOVER, "How much did Corvell pay?")
    assert answers and "420 million euros" in answers[0].sentence


def test_a_measure_is_answered_in_its_unit_not_by_a_count_of_the_thing() -> None:
    # "magnitude 4.1 quake" counts nothing; "8 kilometres beneath" is the depth.
    answers = answer_question(LOWLAND_QUAKE, "How deep was the quake?")
    assert answers and "8 kilometres" in answers[0].sentence


_STORM = [
    Article(
        id="w1",
        title="Storm Orla reaches Harlow",
        text=(
            "Storm Orla came ashore near Harlow on Monday night with sustained winds of 95 miles "
            "per hour, the Velish weather service said.\n"
            "The storm's winds tore roofs from homes along the Harlow waterfront."
        ),
        source="one.example",
    ),
    Article(
        id="w2",
        title="Orla hits Harlow",
        text=(
            "Mayor Pieter Gans said on Monday that a judge had ordered the port closed.\n"
            "Port Judge Mira Tolsen said the port would stay shut until the winds dropped."
        ),
        source="two.example",
    ),
]


def test_a_measure_named_as_a_noun_is_answered_in_its_unit() -> None:
    # "wind speed": no source writes "speed"; the answer gives the winds in miles per hour.
    answers = answer_question(_STORM, "What was the wind speed?")
    assert answers and "95 miles per hour" in answers[0].sentence, answers


def test_who_prefers_the_name_the_role_word_introduces() -> None:
    answers = answer_question(_STORM, "Who is the judge?")
    assert answers and "Mira Tolsen" in answers[0].sentence, answers


_FINAL = [
    Article(
        id="f1",
        title="Valk wins the Harlow Open",
        text=(
            "Ines Valk beat Mira Tolsen in the Harlow Open final on Sunday.\n"
            "Valk won 6-3, 7-6 (7-4), 6-2 in two hours.\n"
            "Tolsen served nine aces in the final.\n"
            "Valk hit 30 winners from the baseline."
        ),
        source="one.example",
    ),
    Article(
        id="f2",
        title="Harlow Open final",
        text=(
            "Harlow Open shares of the broadcaster rose 3% after the final drew a record audience.\n"
            "Valk, 24, lifted the trophy before 12,000 fans."
        ),
        source="two.example",
    ),
]


def test_a_score_question_is_answered_by_the_result_as_written() -> None:
    answers = answer_question(_FINAL, "What was the score?")
    assert answers and "6-3, 7-6 (7-4), 6-2" in answers[0].sentence, answers
    assert answer_question(ARTS, "What was the score?") == []  # no result in a flood story


def test_how_many_needs_the_counted_thing_not_the_verb() -> None:
    # Asked with "hit", told with "served": the figure must count aces.
    answers = answer_question(_FINAL, "How many aces did Tolsen hit?")
    assert answers and "nine aces" in answers[0].sentence, answers


def test_how_did_they_react_asks_about_the_subject() -> None:
    answers = answer_question(_FINAL, "How did the shares react?")
    assert answers and "rose 3%" in answers[0].sentence, answers


_DRUG = [
    Article(
        id="n1",
        title="Velmar regulator approves Orvane drug",
        text=(
            "The Velmar medicines agency on Tuesday approved Orvane's new drug for early memory "
            "loss, expanding the treatment options for patients.\n"
            "The agency approved the drug, tavelimab, under the brand name Kessura, for adults "
            "with early symptoms.\n"
            "Orvane said the drug would reach pharmacies in June."
        ),
        source="one.example",
    )
]


def test_a_name_question_is_answered_by_the_sentence_that_names() -> None:
    answers = answer_question(_DRUG, "What is the drug called?")
    assert answers and "Kessura" in answers[0].sentence, answers


_OBITUARY = [
    Article(
        id=f"o{i}",
        title="Orla Fenn dies",
        text=text,
        source=f"o{i}.example",
    )
    for i, text in enumerate(
        [
            "Folk singer Orla Fenn died on Thursday in Cardiff, aged 88, her agent said.\n"
            "She recorded her first album at the age of 19 in a church hall in Swansea.",
            "Orla Fenn, the folk singer, has died in a Cardiff hospital at the age of 88.",
            "The Welsh singer Orla Fenn died peacefully on Thursday, aged 88.",
        ]
    )
]


def test_how_old_with_nothing_else_asked_is_answered_by_the_agreed_age() -> None:
    answers = answer_question(_OBITUARY, "How old was she?")
    assert answers and "88" in answers[0].sentence, answers
    assert answer_question(_OBITUARY, "How deep was it?") == []


def test_how_did_she_die_prefers_the_sentence_telling_the_cause() -> None:
    arts = [
        *_OBITUARY,
        Article("o9", "Orla Fenn dies", "Orla Fenn died on Thursday in Cardiff, where she was "
                "born, and where she sang her last concert in the city hall in 2019.\n"
                "Orla Fenn died of pneumonia in hospital, her family said.", "o9.example"),
    ]  # fmt: skip
    answers = answer_question(arts, "How did she die?")
    assert answers and "pneumonia" in answers[0].sentence, answers


def test_who_is_the_suspect_prefers_the_sentence_naming_him_beside_the_word() -> None:
    text = (
        "A gunman opened fire at the Orvel accounting office in Velmar on Monday.\n"
        "Police said they were questioning the suspect and a witness, Ana Ferro, at the station.\n"
        "The suspect, 41-year-old Ivo Kask, had been fired from the firm last week.\n"
        "In March, a suspect in another case walked free in Osterby."
    )
    other = (
        "The victim, identified as Tam Holst, died at Velmar General Hospital.\n"
        "Velmar police identified the victim of the Monday shooting at the Orvel office."
    )
    arts = [
        Article("g1", "Velmar office shooting", text, "one.example"),
        Article("g2", "Velmar shooting victim named", other, "two.example"),
    ]
    suspect = answer_question(arts, "who is the suspect?")
    assert suspect and "Ivo Kask" in suspect[0].sentence, suspect
    victim = answer_question(arts, "who was the victim?")
    assert victim and "Tam Holst" in victim[0].sentence, victim


def _treaty_story() -> list[Article]:
    return [
        Article(
            "t1",
            "Velmar and Osterby sign border treaty",
            "Velmar and Osterby signed a border treaty in Harlow on Tuesday, ending a 30-year "
            "dispute over the Pellin river.\n"
            "The treaty was signed because both governments wanted to open the river to "
            "shipping.\n"
            "Parliaments in both countries will vote on the treaty next month.",
            "one.example",
            published=datetime(2026, 5, 6, tzinfo=UTC),
        ),
        Article(
            "t2",
            "Border treaty signed in Harlow",
            "The foreign ministers of Velmar and Osterby signed the border treaty on Tuesday.\n"
            "The ceremony in Harlow lasted an hour.",
            "two.example",
            published=datetime(2026, 5, 6, tzinfo=UTC),
        ),
        Article(
            "t3",
            "Velmar, Osterby to sign border treaty",
            "Velmar and Osterby are expected to sign a border treaty in Harlow on Tuesday.",
            "three.example",
            published=datetime(2026, 5, 4, tzinfo=UTC),
        ),
    ]


def test_a_question_naming_only_what_it_asks_is_about_the_storys_event() -> None:
    arts = _treaty_story()
    when = answer_question(arts, "when did it happen?")
    assert when and "signed" in when[0].sentence and "Tuesday" in when[0].sentence, when
    where = answer_question(arts, "where did it happen?")
    assert where and "Harlow" in where[0].sentence, where
    why = answer_question(arts, "why did it happen?")
    assert why and "because both governments" in why[0].sentence, why
    ahead = answer_question(arts, "what happens next?")
    assert ahead and "vote on the treaty next month" in ahead[0].sentence, ahead
    # the early report's "are expected to sign" was overtaken by the signing
    assert all("expected to sign" not in a.sentence for a in ahead), ahead


def test_an_event_question_the_sources_do_not_answer_finds_nothing() -> None:
    arts = [
        Article("n1", "Velmar dock strike", "Dock workers in Velmar went on strike.", "one.example")
    ]
    assert answer_question(arts, "when did it happen?") == []
    assert answer_question(arts, "why did it happen?") == []


def test_why_prefers_the_sentence_giving_a_cause() -> None:
    arts = [
        Article(
            "y1",
            "Orvel scooter sales fall",
            "Orvel Motors said scooter sales fell 9% in the first quarter.\n"
            "Sales fell amid a price war with cheaper imports, the company said.\n"
            "Orvel sales fell in Velmar and Osterby alike.",
            "one.example",
        )
    ]
    answers = answer_question(arts, "why did sales fall?")
    assert answers and "amid a price war" in answers[0].sentence, answers


MATCH = [
    Article(
        "m1",
        "Orvik beats Telmann in Harlow Open final",
        "Orvik beat Telmann 3-6, 6-4, 6-4, 7-5 in three hours and 12 minutes to win the Harlow "
        "Open final on Sunday.\nTelmann came into the match having won their last two meetings, "
        "and the 24-year-old led early.\nThe Velish crowd stayed long after the match ended.",
        "one.example",
    ),
    Article(
        "m2",
        "Orvik wins Harlow Open",
        "Orvik won the Harlow Open final on Sunday, beating Telmann in four sets.",
        "two.example",
    ),
]


def test_how_long_did_the_match_last_is_answered_by_the_event_with_its_duration() -> None:
    answers = answer_question(MATCH, "how long did the match last?")
    assert answers and "three hours and 12 minutes" in answers[0].sentence
    # No sentence naming the match gives a length; an age ("the 24-year-old") is none either.
    assert not any("24-year-old" in a.sentence for a in answers)
    # A word told of something else than the event borrows no duration from it.
    crowd = answer_question(MATCH, "how long did the crowd stay?")
    assert not any("three hours" in a.sentence for a in crowd), crowd


def test_what_went_wrong_finds_failures_in_their_own_words() -> None:
    arts = [
        Article(
            "w1",
            "Tarn rocket lost after launch",
            "The Tarn rocket lifted off on time from Osk on Monday.\nMinutes later its second "
            "stage failed and a fuel leak sent it spinning.\nThe agency plans another launch.",
            "one.example",
        )
    ]
    for q in ("what went wrong?", "was there a problem?", "did anything fail?"):
        answers = answer_question(arts, q)
        assert answers and "second stage failed" in answers[0].sentence, q


def test_who_leads_is_answered_by_the_one_heading_it() -> None:
    arts = [
        Article(
            "h1",
            "Velish space agency lands probe",
            "The Velish space agency landed its probe on the Moon on Monday.\nAgency chief Ana "
            "Dorosheva said the landing led to cheers in the control room.",
            "one.example",
        )
    ]
    for q in ("who leads the agency?", "who heads the agency?", "who runs the agency?"):
        answers = answer_question(arts, q)
        assert answers and "Ana Dorosheva" in answers[0].sentence, q


def test_a_height_is_no_distance() -> None:
    arts = [
        Article(
            "t1",
            "Tarn Heels beat Osk",
            "The 6-foot-9 senior scored 30 points as the Heels beat Osk on Thursday.\n"
            "The Heels bus drove 40 miles to the game.",
            "s.example",
        )
    ]
    assert answer_question(arts, "how far did the Heels go?")[0].sentence.startswith("The Heels")
    assert answer_question(arts, "how tall is the senior?")[0].sentence.startswith("The 6-foot")


def test_why_is_answered_only_by_causes_in_their_own_words() -> None:
    arts = [
        Article(
            "c1",
            "Orvel scooter deliveries fall 12%",
            "Orvel Motors delivered 41,200 scooters in the second quarter, a 12% drop from a "
            "year earlier.\nOrvel deliveries fell in Velmar and Osterby alike.\nOrvel Motors "
            "blamed the weaker sales on buyers waiting for a new model.",
            "one.example",
        ),
        Article(
            "c2",
            "Orvel deliveries drop",
            "Orvel Motors deliveries fell 12% in the second quarter.\nOrvel's slump in the "
            "second quarter stems from cheaper rivals, analysts said.",
            "two.example",
        ),
    ]
    answers = answer_question(arts, "why did deliveries fall?")
    # "a drop from a year earlier" is a change measured, not a cause; a sentence giving none
    # is no answer to "why?".
    assert answers, answers
    assert all("blamed" in a.sentence or "stems from" in a.sentence for a in answers), answers
    assert "blamed the weaker sales on" in answer_question(arts, "why did sales drop?")[0].sentence
    # Sources that give no cause answer "why?" with nothing, not with the event retold.
    told = [Article("c3", "Orvel deliveries fall", "Orvel deliveries fell 12%.", "x.example")]
    assert answer_question(told, "why did deliveries fall?") == []


def test_how_did_they_travel_finds_how_they_arrived() -> None:
    arts = [
        Article(
            "v1",
            "Velish premier visits Osk",
            "Premier Ana Dorosheva arrived in Osk by night train on Monday.\n"
            "She met the mayor of Osk and opened a bridge.",
            "one.example",
        )
    ]
    answers = answer_question(arts, "how did the premier travel?")
    assert answers and "by night train" in answers[0].sentence, answers


def test_what_did_they_give_asks_for_the_gift() -> None:
    arts = [
        Article(
            "g1",
            "Velish premier visits Osk",
            "Premier Ana Dorosheva met Mayor Bo Lind in Osk on Monday.\n"
            "The two exchanged gifts, with Lind receiving a silver clock from Dorosheva.\n"
            "Dorosheva gave a speech at the town hall.",
            "one.example",
        )
    ]
    answers = answer_question(arts, "what did Dorosheva give Lind?")
    assert answers and "silver clock" in answers[0].sentence, answers


def test_how_much_is_answered_by_a_figure_or_not_at_all() -> None:
    paying = Article(
        "f1",
        "Velish regulator approves Orvex drug",
        "The regulator's decision clears the way for insurers to begin paying for Orvex.\n"
        "Three patients in the trial died of unrelated causes.",
        "one.example",
    )
    assert answer_question([paying], "how much does it cost?") == []
    answers = answer_question([paying], "how many patients died?")
    assert answers and answers[0].sentence.startswith("Three patients"), answers
    priced = Article(
        "f2", "Orvex priced", "Orvex will cost $26,500 a year, its maker said.", "two.example"
    )
    answers = answer_question([paying, priced], "how much does it cost?")
    assert answers and "$26,500" in answers[0].sentence, answers
