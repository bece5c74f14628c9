"""Who said a quote: the attribution next to it, not another name in the sentence."""

from __future__ import annotations

from digests.entities import EntityIndex, find_mentions
from digests.speakers import quote_of

TEXTS = [
    "Commissioner Ana Ferro met President Olek Brann in Velmar on Monday.",
    "Analyst Tam Holst of Brightline Securities said sales were weak.",
    "Foreign Minister Lena Varga said the talks went well.",
    "Chief executive Ivo Kask said the firm would recover.",
]


def _speaker(sentence: str, last_person: str = "") -> str:
    index = EntityIndex([*TEXTS, sentence])
    return quote_of(sentence, find_mentions(sentence), index, last_person)[1]


def test_the_one_who_told_is_the_speaker_not_the_one_told() -> None:
    said = (
        '"We have come here to push for a ceasefire and to be heard by everyone," Commissioner '
        "Ana Ferro told President Olek Brann during the visit."
    )
    assert _speaker(said) == "Ana Ferro"


def test_the_person_quoted_by_an_organisation_is_the_speaker() -> None:
    said = (
        '"The talks went well and both sides will meet again soon," the ministry quoted Lena '
        "Varga as saying."
    )
    assert _speaker(said) == "Lena Varga"


def test_a_person_named_before_the_quote_speaks_it() -> None:
    said = 'Chief executive Ivo Kask said: "The firm will recover by the end of next year."'
    assert _speaker(said) == "Ivo Kask"


def test_he_added_goes_to_the_person_named_before_not_to_his_employer() -> None:
    mentions = find_mentions("Tam Holst of Brightline Securities called it a turning point.")
    assert [m.text for m in mentions] == ["Tam Holst"]
    said = 'He added, "We knew sales would be soft but these numbers were very bad."'
    assert _speaker(said, last_person="Tam Holst") == "Tam Holst"


def test_the_subject_of_said_before_the_quote_speaks_it_not_a_name_inside_the_clause() -> None:
    said = (
        "Foreign Minister Lena Varga said that the first guest was Chief executive Ivo Kask who "
        '"did so much advertising that I could not refuse the invitation."'
    )
    assert _speaker(said) == "Lena Varga"


def test_an_organisation_quoting_him_gives_the_quote_to_the_last_person_named() -> None:
    said = '"It is important to keep talking with all our neighbours," the agency quoted him as saying.'
    assert _speaker(said, last_person="Ivo Kask") == "Ivo Kask"


def test_an_unnamed_speaker_is_nobody_rather_than_another_name() -> None:
    said = (
        '"I hope the next meeting will take place in our capital soon," the visiting leader said '
        "during talks with Ivo Kask."
    )
    assert _speaker(said) == ""


def test_a_speakers_today_inside_a_quote_is_not_given_the_reports_date() -> None:
    from digests.dates import RefDate, find_dates

    said = '"Today is a great day for the city," the mayor said today.'
    resolved = [d.resolved for d in find_dates(said, RefDate(3, 6, 2026))]
    assert resolved[0] is None and resolved[1] is not None


def test_he_is_the_sentence_before_s_subject_not_a_name_in_the_possessive() -> None:
    from digests.facts import extract_facts
    from digests.models import Article

    text = (
        "Orvel Motors delivered 48,310 scooters in the first quarter, down 9% on a year earlier.\n"
        "Among chief executive Ivo Kask's biggest fans, analyst Tam Holst called it a turning "
        "point for the company.\n"
        '"We knew sales would be soft but these numbers were very bad," he wrote.'
    )
    facts = extract_facts([Article("s1", "Orvel deliveries fall", text, "one.example")], {}).facts
    quotes = [f.text for f in facts if f.kind == "quote"]
    assert quotes == ["Tam Holst: “We knew sales would be soft but these numbers were very bad”"]


def test_a_participle_after_the_subject_gives_the_quote_to_the_subject() -> None:
    said = (
        "Orvel Motors filed a notice with the Velmar Markets Commission, announcing it has "
        '"completed its previously announced purchase of Brightline."'
    )
    assert _speaker(said) == "Orvel Motors"
    said = (
        "Chief executive Ivo Kask issued a statement on Monday, saying: "
        '"We will recover by the end of next year."'
    )
    assert _speaker(said) == "Ivo Kask"


def test_the_speaker_after_said_comes_before_where_and_to_whom() -> None:
    said = '"It went well and we will meet again," said Ivo Kask in an interview with Lena Varga.'
    assert _speaker(said) == "Ivo Kask"
    said = '"From our side the new rule is only half done," said Tam Holst of the Center for Velmar Diversity.'
    assert _speaker(said) == "Tam Holst"
    said = '"Both cables broke at once, which is rare," said a spokesperson for Brightline.'
    assert _speaker(said) == "Brightline"
    said = '"I have waited a long time for this," said Rep. Ana Ferro, a Velmar Democrat.'
    assert _speaker(said) == "Ana Ferro"


def test_a_named_speaker_before_the_quote_wins_over_he_said_after_it() -> None:
    said = (
        'Ivo Kask, chief executive of Orvel Motors, said: "It is the best quarter we have '
        'had in ten years of trading." he said.'
    )
    assert _speaker(said, last_person="Lena Varga") == "Ivo Kask"


def _quotes(text: str) -> list[str]:
    from digests.facts import extract_facts
    from digests.models import Article

    facts = extract_facts([Article("s1", "Velmar river floods", text, "one.example")], {}).facts
    return sorted(f.text for f in facts if f.kind == "quote")


def test_she_said_goes_to_the_last_woman_named_not_the_last_man() -> None:
    text = (
        "The Velmar river burst its banks on Monday, flooding 300 homes in the old town.\n"
        "Ms. Ana Ferro, who runs the shelter, said 40 families had arrived by noon.\n"
        "Council spokesman Ivo Kask said the town would pay for repairs.\n"
        '"We have beds for everyone who needs one tonight and more tomorrow," she said.'
    )
    assert _quotes(text) == [
        "Ana Ferro: “We have beds for everyone who needs one tonight and more tomorrow”"
    ]


def test_he_said_goes_to_a_plain_name_who_spoke_last() -> None:
    text = (
        "The Velmar river burst its banks on Monday, flooding 300 homes in the old town.\n"
        "Mayor Ivo Kask said the town would pay for repairs.\n"
        "Tam Holst, a farmer who lost his barn, said the water rose within an hour.\n"
        '"I have never seen the river climb so fast in forty years here," he said.'
    )
    assert _quotes(text) == [
        "Tam Holst: “I have never seen the river climb so fast in forty years here”"
    ]


def test_a_name_beside_a_description_or_one_fitting_it_speaks() -> None:
    said = (
        "The head of the dock workers' union, Tam Holst, said: \"We will not accept these "
        'cuts to overtime pay under any circumstances."'
    )
    assert _speaker(said) == "Tam Holst"
    said = (
        '"I hope the next meeting will take place in our capital very soon," the Velmish '
        "leader said."
    )
    index = EntityIndex(["Velmish President Ivo Brann met Ana Ferro.", said])
    assert quote_of(said, find_mentions(said), index, "")[1] == "Ivo Brann"


def test_the_speaker_of_a_body_is_the_person_not_the_body() -> None:
    said = (
        '"We have no idea what caused the fire at all," the Rev. Ivo Kask of the Velmar '
        "Bible Church told reporters."
    )
    assert _speaker(said) == "Ivo Kask"


def test_she_said_prefers_a_woman_named_before_to_a_name_nothing_tells_of() -> None:
    text = (
        "The Velmar river burst its banks on Monday, flooding 300 homes in the old town.\n"
        "Ms. Ana Ferro, who runs the shelter, said 40 families had arrived by noon.\n"
        "Analyst Tam Holst said the dam held overnight.\n"
        '"We have beds for everyone who needs one tonight and more tomorrow," she said.'
    )
    assert _quotes(text) == [
        "Ana Ferro: “We have beds for everyone who needs one tonight and more tomorrow”"
    ]
