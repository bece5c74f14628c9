"""Figures outlets report differently, on invented stories: what is and is not a disagreement."""

from __future__ import annotations

from datetime import UTC, datetime

from digests.facts import extract_facts
from digests.models import Article

_WHEN = datetime(2026, 4, 2, 18, tzinfo=UTC)


def _article(i: str, source: str, text: str) -> Article:
    return Article(
        id=i, title="Orvel Motors reports quarterly deliveries", text=text, source=source,
        published=_WHEN,
    )  # fmt: skip


def test_a_reworded_copy_that_changes_a_figure_is_a_disagreement() -> None:
    lead = "Orvel Motors delivered 212,400 cars in the first quarter of 2026, the company said."
    original = _article("m1", "wire.example", lead + "\nOrvel shares fell 3% after the report.")
    copy = _article("m2", "spinner.example", lead + "\nOrvel shares ended up over 6% on the day.")
    other = _article("m3", "daily.example", lead + "\nOrvel shares fell 3% in early trading.")
    sheet = extract_facts([original, copy, other], {"m2": "m1"})
    texts = [d.text for d in sheet.disagreements]
    assert any("3%" in t and "6%" in t and "spinner.example" in t for t in texts), texts


def test_range_ends_and_side_by_side_figures_are_not_disagreements() -> None:
    a = _article(
        "r1", "one.example",
        "Orvel Motors built 230,150 cars and delivered 212,400 in the first quarter of 2026.",
    )  # fmt: skip
    b = _article(
        "r2", "two.example",
        "Orvel Motors reported 212,000 car deliveries in the first quarter of 2026.\n"
        "Analysts had expected between 225,000 and 235,000 car deliveries in the quarter.",
    )  # fmt: skip
    c = _article(
        "r3", "three.example",
        "In the first quarter of 2026 Orvel Motors delivered 212,400 cars to buyers.",
    )  # fmt: skip
    sheet = extract_facts([a, b, c], {})
    assert sheet.disagreements == (), [d.text for d in sheet.disagreements]


def test_a_figure_is_compared_with_the_same_year_s_figure() -> None:
    a = _article(
        "y1", "one.example",
        "Orvel Motors built 212,400 cars in the first quarter of 2026.\n"
        "A year earlier, Orvel Motors built 250,300 cars in the first quarter of 2025.",
    )  # fmt: skip
    b = _article(
        "y2", "two.example", "Orvel Motors built 230,150 cars in the first quarter of 2025."
    )
    texts = [d.text for d in extract_facts([a, b], {}).disagreements]
    assert texts and all("250,300" in t and "212,400" not in t for t in texts), texts


def test_the_same_day_in_another_year_is_a_date_disagreement() -> None:
    a = _article(
        "d1", "one.example",
        "Judge Mara Ostrel set the sentencing of Pell Varga for June 12, 2026.",
    )  # fmt: skip
    b = _article(
        "d2", "two.example",
        "Varga plans to appeal, and his sentencing is scheduled for June 12, 2025.",
    )  # fmt: skip
    texts = [d.text for d in extract_facts([a, b], {}).disagreements]
    assert any("June 12, 2026" in t and "June 12, 2025" in t for t in texts), texts


def test_leads_dating_the_event_a_day_apart_disagree_but_other_moments_do_not() -> None:
    a = _article(
        "e1", "one.example",
        "The Kestrel phone went on sale in stores across the country on April 2, 2026.\n"
        "Buyers had queued overnight outside the flagship store.",
    )  # fmt: skip
    b = _article(
        "e2", "two.example",
        "Long queues formed outside shops on April 3, 2026 for the first Kestrel phones.\n"
        "The company will report its quarterly results on April 30, 2026.",
    )  # fmt: skip
    texts = [d.text for d in extract_facts([a, b], {}).disagreements]
    assert any("April 2, 2026" in t and "April 3, 2026" in t for t in texts), texts
    assert not any("April 30" in t for t in texts)


def _storm(i: str, source: str, text: str) -> Article:
    return Article(
        id=i, title="Storm Verla batters the Quillan coast", text=text, source=source,
        published=_WHEN,
    )  # fmt: skip


def test_a_disagreement_names_what_the_figures_measure() -> None:
    a = _storm(
        "w1", "coast.example",
        "Storm Verla reached the Quillan coast with winds of 120 miles per hour on Tuesday.\n"
        "At least four people were killed in Quillan, the coastguard said.\n"
        "The navy sent 1,200 reserve sailors to the harbour towns.",
    )  # fmt: skip
    b = _storm(
        "w2", "harbour.example",
        "Storm Verla came ashore on the Quillan coast on Tuesday with winds of 135 miles per hour.\n"
        "At least seven people were killed as the storm crossed Quillan, officials said.\n"
        "The navy sent 1,800 reserve sailors to the harbour towns.",
    )  # fmt: skip
    texts = [d.text for d in extract_facts([a, b], {}).disagreements]
    labels = {t.split(":")[0] for t in texts}
    # The figures are shown bare, so a measurement's unit goes into its label.
    assert {"Wind speed (mph)", "People killed", "Reserve sailors"} <= labels, texts


def test_a_distance_disagreement_names_its_unit() -> None:
    a = _storm(
        "d1", "coast.example", "The eye of Storm Verla was 35 miles east of Dunmore at noon."
    )
    b = _storm(
        "d2",
        "harbour.example",
        "The eye of Storm Verla was about 40 miles east of Dunmore at noon.",
    )
    texts = [d.text for d in extract_facts([a, b], {}).disagreements]
    assert any(t.startswith("Distance (miles): ") for t in texts), texts


def test_the_sheet_does_not_depend_on_the_order_articles_arrive_in() -> None:
    arts = [
        _article("o1", "one.example", "Orvel Motors delivered 212,400 cars, beating the 205,000 "
                 "analysts expected.\nOrvel shares rose 4% after the report."),
        _article("o2", "two.example", "Analysts had expected 208,000 deliveries.\nOrvel Motors "
                 "delivered 212,400 cars in the quarter.\nOrvel shares rose 6% on the day."),
        _article("o3", "three.example", "Orvel shares ended the day up 4%.\nThe carmaker said it "
                 "delivered 212,400 cars and expects more in the second quarter."),
    ]  # fmt: skip
    first = extract_facts(arts, {})
    for order in ([2, 0, 1], [1, 2, 0], [2, 1, 0]):
        assert extract_facts([arts[i] for i in order], {}) == first


def test_leads_of_reports_from_different_days_are_not_a_date_conflict() -> None:
    day_one = Article(
        id="q1", title="Quake hits Tarn province", source="first.example",
        text="A magnitude 6.1 earthquake struck Tarn province on Sunday, killing at least 9 "
        "people in the port town of Velle, officials said.",
        published=datetime(2026, 5, 3, 20, tzinfo=UTC),
    )  # fmt: skip
    day_two = Article(
        id="q2", title="Tarn quake toll rises", source="second.example",
        text="The toll from the Tarn province earthquake rose to 14 on Monday as rescuers in "
        "the port town of Velle reached the old quarter, officials said.",
        published=datetime(2026, 5, 4, 9, tzinfo=UTC),
    )  # fmt: skip
    texts = [d.text for d in extract_facts([day_one, day_two], {}).disagreements]
    assert not any(t.startswith("Date") for t in texts), texts


def test_an_outlet_quoting_both_estimates_does_not_hide_the_disagreement() -> None:
    def march(i: str, source: str, text: str) -> Article:
        return Article(
            id=i, title="Dockers march in Port Tarn", text=text, source=source,
            published=_WHEN,
        )  # fmt: skip

    arts = [
        march("d1", "police.example", "About 1,200 people marched through Port Tarn on "
              "Monday against plans to automate the container terminal, police said."),
        march("d2", "union.example", "Some 1,600 people marched through Port Tarn on Monday "
              "against plans to automate the container terminal, organisers said."),
        march("d3", "both.example", "Estimates of the march varied: police said about 1,200 "
              "people took part, while the union claimed 1,600."),
    ]  # fmt: skip
    texts = [d.text for d in extract_facts(arts, {}).disagreements]
    assert any("1,200" in t and "1,600" in t and t.startswith("People") for t in texts), texts


def test_crowds_counted_in_different_words_are_compared() -> None:
    a = _article(
        "p1", "ledger.example",
        "Some 2,600 people filled Harbour Square in Velmar on Tuesday to back the striking "
        "nurses.",
    )  # fmt: skip
    b = _article(
        "p2", "wire.example",
        "About 2,100 nurses and their supporters rallied in Harbour Square in Velmar on "
        "Tuesday.",
    )  # fmt: skip
    texts = [d.text for d in extract_facts([a, b], {}).disagreements]
    assert any("2,600" in t and "2,100" in t for t in texts), texts


def test_a_part_of_a_whole_is_not_a_conflicting_count() -> None:
    # "29 of the engines" were reused; the booster has 33: a part and the whole.
    a = _article(
        "p1", "one.example",
        "The Orvel booster lifted off on its 33 engines from the Brisk pad on Tuesday.",
    )  # fmt: skip
    b = _article(
        "p2", "two.example",
        "The Orvel booster lifted off from the Brisk pad on Tuesday, and 29 of the engines had "
        "flown before.",
    )  # fmt: skip
    sheet = extract_facts([a, b], {})
    assert not [d for d in sheet.disagreements if "33" in d.text and "29" in d.text], (
        sheet.disagreements
    )
    # the same sentence with the whole restated does conflict
    c = _article("p3", "three.example", a.text.replace("33", "31"))
    sheet = extract_facts([a, c], {})
    assert any("33" in d.text and "31" in d.text for d in sheet.disagreements), sheet


def test_clock_times_far_apart_are_two_moments_not_a_conflict() -> None:
    a = _article(
        "c1", "one.example", "The Orvel rocket lifted off from Brisk at 7:36 p.m. on Tuesday."
    )
    b = _article(
        "c2", "two.example", "The Orvel rocket lifted off from Brisk at 7:37 p.m. on Tuesday."
    )
    c = _article(
        "c3", "three.example", "The Orvel rocket from Brisk was lost at 7:58 p.m. on Tuesday."
    )
    sheet = extract_facts([a, b, c], {})
    [time] = [d for d in sheet.disagreements if d.text.startswith("Time")]
    assert "7:36" in time.text and "7:37" in time.text and "7:58" not in time.text, time


def test_two_figures_a_third_outlet_reports_apart_are_two_things() -> None:
    total = _article(
        "t1", "one.example",
        "Orvel Motors delivered 384,100 cars in the second quarter of 2026, down 13%.",
    )  # fmt: skip
    models = _article(
        "t2", "two.example",
        "Orvel Motors delivered a combined 373,700 cars of the Tarn and Vela lines in the quarter.",
    )  # fmt: skip
    both = _article(
        "t3", "three.example",
        "Orvel Motors delivered 384,100 cars in the second quarter of 2026.\n"
        "The Tarn and Vela lines made up most of them, with 373,700 cars handed to buyers.",
    )  # fmt: skip
    apart = extract_facts([total, models], {}).disagreements
    assert any("373,700" in d.text and "384,100" in d.text for d in apart), apart
    # The third outlet tells both: a total and a part of it, not one count told two ways.
    assert extract_facts([total, models, both], {}).disagreements == ()


def test_two_peoples_ages_and_an_average_are_not_one_figure() -> None:
    a = _article(
        "p1", "one.example",
        "Police arrested Tomas Brell, 24, and his half-brother after the Harlow shooting.\n"
        "Brell's striker scored 24 points in the final against Osterby.",
    )  # fmt: skip
    b = _article(
        "p2", "two.example",
        "Police also arrested the half-brother, 17-year-old Kristo Vane, after the Harlow "
        "shooting.\n"
        "Brell's striker averaged 22.8 points in the season before the final against Osterby.",
    )  # fmt: skip
    assert extract_facts([a, b], {}).disagreements == ()


def test_one_persons_age_told_two_ways_is_a_disagreement() -> None:
    a = _article("q1", "one.example", "Police arrested Tomas Brell, 24, after the Harlow shooting.")
    b = _article(
        "q2", "two.example", "Police arrested 26-year-old Tomas Brell after the Harlow shooting."
    )
    texts = [d.text for d in extract_facts([a, b], {}).disagreements]
    assert any(t.startswith("Age: ") and "24" in t and "26" in t for t in texts), texts


def test_a_fraction_is_no_count_of_people() -> None:
    a = _article(
        "f1", "one.example", "The quake killed eight people in the Tarn valley, officials said."
    )
    b = _article(
        "f2", "two.example",
        "The magnitude 7.6 quake killed people in the Tarn valley and cut roads, officials said.",
    )  # fmt: skip
    assert extract_facts([a, b], {}).disagreements == ()


def test_a_named_age_needs_no_close_sentence_and_a_nameless_one_does() -> None:
    named = _article("n1", "one.example", "Tomas Brell, 55, will spend at least 45 years in jail.")
    later = _article(
        "n2", "two.example", "Officials would not say when the 54-year-old Tomas Brell moves."
    )
    texts = [d.text for d in extract_facts([named, later], {}).disagreements]
    assert any(t.startswith("Age: ") and "55" in t and "54" in t for t in texts), texts
    nameless = _article(
        "n3", "three.example", "He had more drive than a 53-year-old just joining the force."
    )
    assert extract_facts([named, nameless], {}).disagreements == ()


def test_figures_in_different_units_or_a_calibre_are_not_one_quantity() -> None:
    quake = "A strong earthquake struck near the port town of Veska on Sunday"
    a = _article("u1", "one.example", f"{quake}, 75 kilometers west of the city of Orran.")
    b = _article("u2", "two.example", f"{quake}, about 85 miles from the city of Orran.")
    arms = "Sailors of the patrol ship Kestrel seized the raiders' boat and its weapons"
    c = _article("u3", "three.example", f"{arms}, including seven rifles and a launcher.")
    d = _article("u4", "four.example", f"{arms}, including a 7.62mm rifle and a launcher.")
    texts = [x.text for x in extract_facts([a, b, c, d], {}).disagreements]
    assert not any("75" in t and "85" in t for t in texts), texts
    assert not any("7.62" in t for t in texts), texts


def test_one_speed_told_in_words_and_in_abbreviation_is_compared() -> None:
    storm = "Hurricane Osla made landfall near the town of Brill on Thursday night"
    a = _article("s1", "one.example", f"{storm} with winds of 140 mph, forecasters said.")
    b = _article("s2", "two.example", f"{storm} with winds of 130 miles (210 kilometers) per hour.")
    texts = [x.text for x in extract_facts([a, b], {}).disagreements]
    assert any("140" in t and "130" in t for t in texts), texts


def test_a_count_of_people_is_not_a_count_of_things() -> None:
    quake = "The quake on Veska island on Sunday"
    told = "the island's governor told reporters"
    a = _article("p1", "one.example", f"{quake} flattened seven villages and killed several "
                 f"people, {told}.")  # fmt: skip
    b = _article("p2", "two.example", f"{quake} destroyed four villages and three people were "
                 f"killed, {told}.")  # fmt: skip
    c = _article("p3", "three.example", f"{quake} flattened seven villages and killed ten people, "
                 "the island's governor said.")  # fmt: skip
    texts = [x.text for x in extract_facts([a, b, c], {}).disagreements]
    assert not any("seven" in t and "three" in t for t in texts), texts
    assert not any("four" in t and "ten" in t for t in texts), texts


def test_a_disagreement_is_labelled_with_what_is_counted_as_written() -> None:
    quake = "The quake on Veska island on Sunday"
    a = _article("l1", "one.example", f"{quake} flattened seven villages and killed ten people.")
    b = _article("l2", "two.example", f"{quake} flattened six villages and killed eight people.")
    texts = [x.text for x in extract_facts([a, b], {}).disagreements]
    assert any(t.startswith("Villages: ") for t in texts), texts  # not "Villages killed"
    arms = "Sailors seized the raiders' boat on Sunday along with"
    c = _article("l3", "three.example", f"{arms} seven AK-47 rifles, the navy said.")
    d = _article("l4", "four.example", f"{arms} six AK-47 rifles, the navy said.")
    texts = [x.text for x in extract_facts([c, d], {}).disagreements]
    assert any(t.startswith("AK-47 rifles: ") for t in texts), texts


def test_figures_for_different_places_are_not_one_quantity() -> None:
    storm = "Storm Osla left homes and businesses without power on Friday"
    a = _article("w1", "one.example", f"{storm}: about 1.2 million in Veska and 363,000 in "
                 "South Orland, officials said.")  # fmt: skip
    b = _article("w2", "two.example", f"{storm}: an estimated 1,182,921 customers in Veska; "
                 "465,783 in North Orland and 27,689 in Brill were reported without power.")  # fmt: skip
    texts = [x.text for x in extract_facts([a, b], {}).disagreements]
    assert not any("363,000" in t and "465,783" in t for t in texts), texts
    assert not any("1,182,921" in t and "465,783" in t for t in texts), texts  # one outlet's list


def test_distances_from_different_places_are_not_one_quantity() -> None:
    storm = "On Friday morning the remnants of storm Osla were"
    a = _article(
        "d1", "one.example", f"{storm} 35 miles south-southwest of Brill, forecasters said."
    )
    b = _article("d2", "two.example", f"{storm} about 40 miles east of Tessen, forecasters said.")
    c = _article("d3", "three.example", f"{storm} 45 miles south of Brill, forecasters said.")
    texts = [x.text for x in extract_facts([a, b, c], {}).disagreements]
    assert not any("40" in t for t in texts), texts
    assert any("35" in t and "45" in t for t in texts), texts


def test_a_rough_figure_is_the_exact_one_rounded_but_not_another() -> None:
    def texts(rough: str) -> list[str]:
        a = _article(
            "p1",
            "one.example",
            f"Storm Orla left {rough} customers without power in Velmar on Thursday.",
        )
        b = _article(
            "p2",
            "two.example",
            "Storm Orla left 1,182,921 customers without power in Velmar on Thursday.",
        )
        return [d.text for d in extract_facts([a, b], {}).disagreements]

    assert texts("some 1.2 million") == []  # 1,182,921 as written roughly
    assert any("1.1 million" in t for t in texts("about 1.1 million")), texts("about 1.1 million")
    assert any("1.2 million" in t for t in texts("1.2 million")), texts("1.2 million")
