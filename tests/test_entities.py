"""Spelling variants of one name are one entity; different names stay apart."""

from __future__ import annotations

from digests.entities import EntityIndex, edit_distance, find_mentions, name_key

TEXTS = [
    "Velish Prime Minister Ana Dorosheva met Governor Park Min-jun in Harlow on Monday. "
    "The Velish Press Service (VPS) said Dorosheva praised the talks.",
    "Governor Park Min Jun hosted Prime Minister Ana Dorosheva at City Hall, VPS reported. "
    "Envoy Vladimir Kostrov attended, as did Park's adviser Min-jun Lee.",
    "Envoy Wladimir Kostrov joined them. Kostrov later left for Osterby.",
]


def test_hyphen_and_spacing_variants_merge() -> None:
    idx = EntityIndex(TEXTS)
    assert idx.same("Park Min-jun", "Park Min Jun")
    assert name_key("Park Min-jun") == name_key("Park Min Jun")


def test_transliteration_variants_merge_with_the_same_surname() -> None:
    idx = EntityIndex(TEXTS)
    assert idx.same("Vladimir Kostrov", "Wladimir Kostrov")
    assert idx.same("Kostrov", "Vladimir Kostrov")


def test_surname_and_acronym_link_to_the_full_name() -> None:
    idx = EntityIndex(TEXTS)
    assert idx.canonical("Dorosheva") == "Ana Dorosheva"
    assert idx.canonical("VPS") == "Velish Press Service"


def test_different_people_stay_apart() -> None:
    idx = EntityIndex(TEXTS)
    assert not idx.same("Ana Dorosheva", "Vladimir Kostrov")


def test_roles_are_kept_with_the_name() -> None:
    [m] = [x for x in find_mentions(TEXTS[0]) if x.text == "Ana Dorosheva"]
    assert m.role == "Velish Prime Minister"
    idx = EntityIndex(TEXTS)
    ent = idx.entity("Ana Dorosheva")
    assert ent is not None and ent.kind == "person"


def test_edit_distance_caps() -> None:
    assert edit_distance("alexandr", "aleksandr") == 2
    assert edit_distance("abc", "xyzabcdef", cap=2) == 3


def test_a_role_of_a_body_is_not_the_bodys_and_an_adjective_is_not_its_name() -> None:
    text = (
        '"It matters," said Orla Brandt, executive director and CEO of The Tarn Heritage '
        "Society. The Tarn Heritage Society-sent letters reached the Velan-based Harlow Trust."
    )
    found = {m.text: m.role for m in find_mentions(text)}
    assert found.get("Tarn Heritage Society") == "", found
    assert "Harlow Trust" in found and not any(t.endswith("-sent") for t in found), found
    assert "Park Min-jun" in {m.text for m in find_mentions("Governor Park Min-jun spoke.")}
    ent = EntityIndex([text, text]).entity("Tarn Heritage Society")
    assert ent is not None and ent.kind == "org"


def test_a_sentence_opening_word_or_capitals_joined_by_and_are_no_name() -> None:
    texts = [m.text for m in find_mentions("Whenever Orla Fenn sings, Did Brill listen?")]
    assert "Orla Fenn" in texts and not any(t.startswith(("Whenever", "Did")) for t in texts)
    # Two people in a line of capitals must not become one person written two ways.
    shouted = find_mentions("POLICE SAID TWO MEN, ARVO LENK AND TAVI ROSS, WERE ARRESTED")
    assert not any("ARVO" in m.text and "TAVI" in m.text for m in shouted)


def test_a_name_before_an_institution_does_not_merge_the_person_into_it() -> None:
    idx = EntityIndex(
        [
            "President Richard Nixon resigned. Nixon left the White House in August.",
            "A Richard Nixon White House aide has died. The Nixon White House hid the tapes.",
            "Aides at the White House said Nixon would speak.",
        ]
    )
    nixon, house = idx.entity("Richard Nixon"), idx.entity("White House")
    assert nixon is not None and house is not None and nixon is not house
    assert house.kind == "org" and nixon.kind == "person"


def test_an_initial_a_is_part_of_the_name() -> None:
    assert [m.text for m in find_mentions("A. J. Ferro did not return a call.")] == ["A. J. Ferro"]
    assert [m.text for m in find_mentions("A Velmar jury convicted him.")] == ["Velmar"]


def test_a_role_is_its_words_not_the_verb_or_preposition_before_them() -> None:
    roles = {m.text: m.role for m in find_mentions("Lohan is hiring former lawyer Tam Holst.")}
    assert roles.get("Tam Holst") == "former lawyer", roles
    roles = {
        m.text: m.role for m in find_mentions("It paid money through assistant coach Eli Varn.")
    }
    assert roles.get("Eli Varn") == "assistant coach", roles
    roles = {
        m.text: m.role for m in find_mentions("Police Sheriff Ada Kell and head coach Lu Brann.")
    }
    assert roles.get("Lu Brann") == "head coach", roles


def test_an_owner_before_a_name_is_its_own_name_not_part_of_the_persons() -> None:
    found = [(m.text, m.role) for m in find_mentions("Orvel's Tam Holst said sales were weak.")]
    assert found == [("Orvel", ""), ("Tam Holst", "")]
    # a role between them keeps the owner in the role; a group's name is not an owner
    found = [(m.text, m.role) for m in find_mentions("Velmar's Prime Minister Ana Ferro spoke.")]
    assert found == [("Ana Ferro", "Velmar's Prime Minister")]
    assert [m.text for m in find_mentions("The Women's Velmar Cup starts.")] == [
        "Women's Velmar Cup"
    ]
    index = EntityIndex(["Orvel's Tam Holst spoke.", "Analyst Tam Holst said so."])
    assert index.entity("Tam Holst") is not None
    assert index.entity("Tam Holst").variants == ("Tam Holst",)  # type: ignore[union-attr]


def test_an_abbreviated_title_is_the_role_and_its_full_stop_does_not_cut_the_name() -> None:
    found = [
        (m.text, m.role)
        for m in find_mentions(
            "Velmar Gov. Ana Ferro, Sen. Ivo Kask and Dr. Lu Brann met in St. Osk."
        )
    ]
    assert found == [
        ("Ana Ferro", "Velmar Gov."),
        ("Ivo Kask", "Sen."),
        ("Lu Brann", "Dr."),
        ("St. Osk", ""),
    ]


def test_official_before_a_name_is_an_adjective_after_an_article_and_a_role_otherwise() -> None:
    roles = {m.text: m.role for m in find_mentions("The official Velmar Times app crashed.")}
    assert roles == {"Velmar Times": ""}
    roles = {m.text: m.role for m in find_mentions("It hit a farm, said agency official Osk.")}
    assert roles == {"Osk": "agency official"}


def test_a_titled_person_of_a_place_is_the_person_and_a_title_may_run_through_of() -> None:
    found = [(m.text, m.role) for m in find_mentions("Sgt. Ivo Kask of Velmar Safe Streets said.")]
    assert found == [("Ivo Kask", "Sgt.")]
    found = [(m.text, m.role) for m in find_mentions("Secretary of State Ana Ferro said.")]
    assert found == [("Ana Ferro", "Secretary of State")]


def test_a_name_after_according_to_is_a_source_not_a_place() -> None:
    index = EntityIndex(["According to Ana Ferro, a director at Orvel, the cables will hold."])
    assert index.entity("Ana Ferro").kind != "place"  # type: ignore[union-attr]


def test_a_surname_two_people_share_joins_neither() -> None:
    texts = [
        "Ivo Brann was convicted of fraud on Monday.",
        "Brann appealed at once.",
        "His brother, the Rev. Oskar Brann, spoke outside the court.",
        "Ivo Brann was taken to Velmar prison.",
        "Brann's lawyer said he would appeal.",
        "Oskar Brann prayed for him.",
    ]
    index = EntityIndex(texts)
    assert not index.same("Brann", "Oskar Brann")
    assert not index.same("Brann", "Ivo Brann")
    # one person written two ways is still one person: the surname joins them
    index = EntityIndex(["Senator Ana Ferro spoke.", "Ana M. Ferro left.", "Ferro said no."])
    assert index.same("Ferro", "Ana Ferro")


def test_a_title_abbreviation_does_not_end_the_sentence() -> None:
    from digests.sentences import split_sentences

    said = "Velmar asked Msgr. Ivo Kask and Prof. Ana Ferro to speak. They agreed."
    assert split_sentences(said) == [
        "Velmar asked Msgr. Ivo Kask and Prof. Ana Ferro to speak.",
        "They agreed.",
    ]


def test_a_plural_role_before_two_names_is_each_ones_role() -> None:
    def roles(sentence: str) -> list[tuple[str, str]]:
        return [(m.text, m.role) for m in find_mentions(sentence)]

    assert roles("Producers Ana Lee and Bo Kim said they were thrilled.")[0] == (
        "Ana Lee",
        "Producer",
    )
    assert roles("Festival producers Ana Lee and Bo Kim said so.")[1] == (
        "Ana Lee",
        "Festival producer",
    )
    # Capitalised inside a title or a sentence, a plural is a name: a borough, a team.
    assert roles("Queens District Attorney Ana Lee said so.") == [
        ("Ana Lee", "Queens District Attorney")
    ]
    assert roles("Then the Chiefs Bo Kim threw.")[0][1] == ""


def test_a_surname_is_not_the_one_titled_relatives_when_another_is_named_far_more() -> None:
    texts = [
        "Tom Vasko, a Velmar party treasurer, died on Monday. Tom Vasko was 81.",
        "Tom Vasko served four months in prison. Tom Vasko later ran a farm.",
        "Tom Vasko is survived by his daughter Ana Vasko. Vasko never spoke of the case.",
    ]
    idx = EntityIndex(texts)
    vasko = idx.entity("Vasko")
    assert vasko is None or vasko.name != "Ana Vasko", vasko
