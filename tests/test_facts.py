"""Key facts, headline, disagreements and updates on invented stories."""

from __future__ import annotations

import time
from datetime import UTC, datetime
from pathlib import Path

import pytest

from digests.facts import answer_question, extract_facts, split_sentences
from digests.headlines import choose_headline, clean_title
from digests.models import Article, Dateline
from digests.quantities import find_quantities, measure_of
from digests.sentences import article_sentences

A = Article(
    id="n1",
    title="Velish premier Dorosheva meets Governor Park in Harlow | Harlow Courier",
    text=(
        "HARLOW, March 11 (HCN) - Velish Prime Minister Ana Dorosheva met Governor Park "
        "Min-jun in Harlow on Sunday to sign a river treaty.\n"
        "The meeting took place at the headquarters of the Harlow Water Board and was attended "
        "by Envoy Vladimir Kostrov.\n"
        "About 3,200 workers will build the new locks, Dorosheva said.\n"
        '"This treaty ends twenty years of quarrels over the river," she said.\n'
        "At least 40 people were hurt in protests outside the board, police said."
    ),
    source="harlowcourier.example",
    published=datetime(2026, 3, 11, 10, tzinfo=UTC),
    dateline=Dateline("HARLOW", "March 11", "HCN"),
)
B = Article(
    id="n2",
    title="Dorosheva and Park sign Harlow river treaty",
    text=(
        "Prime Minister Ana Dorosheva of Velish met Governor Park Min Jun in Harlow on March 8 "
        "to sign a river treaty.\n"
        "Envoy Wladimir Kostrov attended the meeting at the headquarters of the Harlow Water "
        "Board.\n"
        "Some 4,500 workers will build the new locks, according to the water board."
    ),
    source="osterbytimes.example",
    published=datetime(2026, 3, 12, 8, tzinfo=UTC),
)
COPY = Article(
    id="n3",
    title="Dorosheva and Park sign Harlow river treaty",
    text=B.text,
    source="aggregator.example",
    published=datetime(2026, 3, 12, 9, tzinfo=UTC),
)


def test_split_sentences_keeps_abbreviations_together() -> None:
    text = "Gov. Ana Lee met Dr. Ro at 9 a.m. Monday. The U.S. envoy left. It rained."
    assert split_sentences(text) == [
        "Gov. Ana Lee met Dr. Ro at 9 a.m. Monday.",
        "The U.S. envoy left.",
        "It rained.",
    ]


def test_event_fact_first_merges_sources_and_resolves_the_weekday() -> None:
    sheet = extract_facts([A, B], {})
    first = sheet.facts[0]
    assert first.kind == "event"
    assert set(first.article_ids) == {"n1", "n2"}
    assert first.source_count == 2
    assert any("Sunday (March 8, 2026)" in f.text or "March 8" in f.text for f in sheet.facts)


def test_syndicated_copy_counts_once() -> None:
    sheet = extract_facts([A, B, COPY], {"n3": "n2"})
    first = sheet.facts[0]
    assert "n3" in first.article_ids
    assert first.source_count == 2


def test_fact_kinds_are_present() -> None:
    sheet = extract_facts([A, B], {})
    kinds = {f.kind for f in sheet.facts}
    assert {"event", "number", "quote", "who"} <= kinds
    quote = next(f for f in sheet.facts if f.kind == "quote")
    assert "Ana Dorosheva" in quote.text and "twenty years of quarrels" in quote.text
    # People keep their roles; a role already given in a top fact is not repeated.
    assert any("Prime Minister Ana Dorosheva" in f.text for f in sheet.facts[:8])
    assert any(f.kind == "who" and "Envoy" in f.text and "Kostrov" in f.text for f in sheet.facts)


def test_where_fact_states_the_venue() -> None:
    sheet = extract_facts([A, B], {})
    venue = [f for f in sheet.facts if "headquarters of the Harlow Water Board" in f.text]
    assert venue and set(venue[0].article_ids) == {"n1", "n2"}


def test_spelling_variants_are_not_disagreements() -> None:
    sheet = extract_facts([A, B], {})
    assert not any("Kostrov" in d.text for d in sheet.disagreements)


def test_different_figures_become_a_disagreement_citing_both() -> None:
    sheet = extract_facts([A, B], {})
    [d] = [d for d in sheet.disagreements if "3,200" in d.text]
    assert "4,500" in d.text
    assert set(d.article_ids) == {"n1", "n2"}
    assert "harlowcourier.example" in d.text and "osterbytimes.example" in d.text
    # outlets by name only, and a hedge reads in lower case after the label
    assert "n1" not in d.text and "[" not in d.text, d.text
    assert "about 3,200" in d.text and "some 4,500" in d.text.lower(), d.text
    assert "About" not in d.text and "Some" not in d.text, d.text


def _toll(aid: str, source: str, n: str, hour: int) -> Article:
    return Article(
        id=aid,
        title="Flood in Pellin valley",
        text=(
            f"Floodwater swept through the Pellin valley after the Ostra dam failed.\n"
            f"At least {n} people died in the Pellin valley flood, regional officials said."
        ),
        source=source,
        published=datetime(2026, 5, 2, hour, tzinfo=UTC),
    )


def test_a_rising_toll_is_an_update_not_a_disagreement() -> None:
    arts = [_toll("f1", "one.example", "12", 6), _toll("f2", "two.example", "31", 18)]
    sheet = extract_facts(arts, {})
    assert not sheet.disagreements
    [upd] = [f for f in sheet.facts if "rose from" in f.text]
    assert upd.kind == "number" and "12" in upd.text and "31" in upd.text
    assert set(upd.article_ids) == {"f1", "f2"}


def test_same_time_different_toll_is_a_disagreement() -> None:
    arts = [_toll("f1", "one.example", "12", 6), _toll("f2", "two.example", "31", 6)]
    sheet = extract_facts(arts, {})
    assert sheet.disagreements
    assert not any("rose from" in f.text for f in sheet.facts)


def test_empty_story() -> None:
    sheet = extract_facts([], {})
    assert sheet.facts == () and sheet.disagreements == ()


def test_headline_skips_slugs_caps_and_outlet_suffixes() -> None:
    arts = [
        Article("h1", "UPDATE 1-Velish premier signs Harlow river treaty", "x.", "wire.example"),
        Article("h2", "HARLOW TREATY SIGNED", "x.", "caps.example"),
        Article("h3", "Velish premier signs river treaty in Harlow - Osterby Times", "x.", "ot.ex"),
        Article("h4", "Osterby Times", "x.", "Osterby Times"),
    ]
    head = choose_headline(arts)
    assert head in {
        "Velish premier signs Harlow river treaty",
        "Velish premier signs river treaty in Harlow",
    }
    assert clean_title("REFILE-Storm hits coast | Coast Daily") == "Storm hits coast"
    assert clean_title("Live updates: Ferry sinks off Port Velan") == "Ferry sinks off Port Velan"
    assert clean_title("May 4 2026: Ferry sinks off Port Velan | Velan Post") == (
        "Ferry sinks off Port Velan"
    )
    assert clean_title("Halvik Seeks Court Protection in Tarn (2)") == (
        "Halvik Seeks Court Protection in Tarn"
    )
    assert clean_title("Halvik wins the Tarn Cup (2024)") == "Halvik wins the Tarn Cup (2024)"


def test_a_story_told_only_in_headlines_has_facts_from_them() -> None:
    titles = [
        ("t1", "Halvik tram sales fall 1.4% in February, hurt by snow", "courier.example"),
        (
            "t2",
            "Halvik tram sales fall 1.7% in February as snow keeps buyers away",
            "herald.example",
        ),
        ("t3", "Halvik names Orla Brandt chief executive after sales slump", "post.example"),
        ("t4", "Halvik tram sales fall 1.4% in February, hurt by snow", "wire.example"),
    ]
    arts = [Article(i, t, "", src) for i, t, src in titles]
    sheet = extract_facts(arts, {})
    cited = {f.text: set(f.article_ids) for f in sheet.facts}
    assert cited["Halvik tram sales fall 1.4% in February, hurt by snow"] == {"t1", "t4"}
    assert any("Orla Brandt" in t for t in cited), cited
    assert any("1.4%" in d.text and "1.7%" in d.text for d in sheet.disagreements), sheet
    answers = answer_question(arts, "who is the new chief executive?")
    assert answers and "Orla Brandt" in answers[0].sentence


def test_a_time_stamp_is_no_headline() -> None:
    stamp = Article(
        "h1", "Last Updated: Monday, 28 November 2005, 02:24 GMT", "Quake.", "a.example"
    )
    posted = Article("h2", "Posted 11/27/2005 7:21 AM", "Quake.", "b.example")
    news = Article("h3", "Quake on Tarn island kills ten", "Quake.", "c.example")
    assert choose_headline([stamp, posted, news]) == "Quake on Tarn island kills ten"


def test_headline_is_not_cut_at_an_abbreviation() -> None:
    title = "Velan ferry repairs to cost 12 million after Jan. 4 storm. See the damage"
    art = Article("h6", title, "The storm hit the harbour.", "velanpost.example")
    assert choose_headline([art]) == "Velan ferry repairs to cost 12 million after Jan. 4 storm"
    gov = Article("h7", "Gov. Ana Lee opens the Harlow bridge to traffic", "x.", "g.example")
    assert choose_headline([gov]) == "Gov. Ana Lee opens the Harlow bridge to traffic"


def test_a_short_title_beats_a_blog_opening_line() -> None:
    body = "Over the holidays I was chatting with my cousin about her lab work. It was fun."
    post = Article("h8", "Yeast as Code", body, "blog.example")
    assert choose_headline([post]) == "Yeast as Code"
    # One word says too little; a date is no title; a longer title still wins.
    moving = Article("h9", "Moving", "I moved this blog to a new host last week.", "b.example")
    assert choose_headline([moving]).startswith("I moved this blog")
    dated = Article("h10", "June 06, 2013", "I moved this blog to a new host.", "b.example")
    assert choose_headline([dated]).startswith("I moved this blog")
    news = Article("h11", "Tarn ferry sinks off the coast", "A ferry sank.", "c.example")
    assert choose_headline([post, news]) == "Tarn ferry sinks off the coast"


def test_headline_without_titles_uses_a_short_lead() -> None:
    art = Article("h5", "", A.text, "x.example")
    head = choose_headline([art])
    assert head.startswith("Velish Prime Minister Ana Dorosheva met")
    assert len(head.split()) <= 17


def test_an_outlet_headline_beats_one_made_from_a_first_sentence() -> None:
    lead = (
        "Velish premier Ana Dorosheva signed the Harlow river treaty with three neighbours on "
        "Monday after two years of talks over water rights in the upper valley."
    )
    stand_in = lead[:100].rsplit(" ", 1)[0] + "…"  # what ingest gives a record without one
    arts = [
        Article("s1", stand_in, lead + " Farmers welcomed it.", "one.example"),
        Article("s2", lead, lead + " Critics were unmoved.", "two.example"),
        Article("s3", "Velish premier signs Harlow water treaty", "Ana Dorosheva signed.", "t.ex"),
    ]
    assert choose_headline(arts) == "Velish premier signs Harlow water treaty"
    assert choose_headline(arts[:2]).startswith("Velish premier Ana Dorosheva signed")


def test_an_outlet_headline_is_worded_like_the_other_reports_titles() -> None:
    leads = [
        "Singer Orla Fenn has checked into the Harbour Clinic, her agent said.",
        "Orla Fenn has entered the Harbour Clinic for treatment, her agent confirmed.",
        "Folk singer Orla Fenn checked into a clinic in Brill on Friday.",
    ]
    arts = [Article(f"m{i}", lead, lead + " No reason was given.", f"m{i}.example")
            for i, lead in enumerate(leads)]  # fmt: skip
    arts += [
        Article("c1", "Oh, it has been so long since we were on this beat!", "Orla Fenn is "
                "in a clinic.", "blog.example"),
        Article("c2", "Orla Fenn Checks Into Harbour Clinic", "Orla Fenn is in a clinic.",
                "news.example"),
    ]  # fmt: skip
    assert choose_headline(arts) == "Orla Fenn Checks Into Harbour Clinic"


def test_ten_articles_are_fast() -> None:
    arts = [
        Article(f"p{i}", B.title, A.text + "\n" + B.text * 3, f"s{i}.example") for i in range(10)
    ]
    extract_facts(arts, {})
    t0 = time.perf_counter()
    extract_facts(arts, {})
    assert time.perf_counter() - t0 < 0.5  # well under 100 ms on an idle machine


SHARED = Path(__file__).resolve().parents[2] / "shared"


@pytest.mark.shared
def test_devset_floor() -> None:
    """Quality gate on the shared dev set: the share of gold facts found must not drop."""
    if not (SHARED / "data" / "pages-devset" / "events.jsonl").exists():
        pytest.skip(f"shared dev set not found under {SHARED}")
    import importlib.util
    import io
    from contextlib import redirect_stdout

    spec = importlib.util.spec_from_file_location(
        "eval_facts", Path(__file__).resolve().parents[1] / "scripts" / "eval_facts.py"
    )
    assert spec and spec.loader
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    buf = io.StringIO()
    with redirect_stdout(buf):
        mod.devset(False)
    lines = buf.getvalue().splitlines()
    facts = next(ln for ln in lines if "key facts in first 8" in ln)
    flagged = next(ln for ln in lines if "disagreements flagged" in ln)
    # Floors a little under the measured 43/100 and 22/51: fail on regressions, not on noise.
    assert int(facts.split(":")[1].split("/")[0]) >= 40
    assert int(flagged.split(":")[1].split("/")[0]) >= 20


def test_a_lead_with_a_could_clause_still_states_the_event() -> None:
    lead = (
        "About 900 farmers drove tractors into Tarn on Monday to protest against the closure "
        "of the grain port, which the union says could cost 300 jobs."
    )
    arts = [
        Article("f1", "Farmers protest in Tarn", lead + "\nThe convoy set off from Velle at "
                "dawn and ended at the town hall, where speeches lasted an hour.", "one.example"),
        Article("f2", "Tarn farmers rally", "Farmers will meet port officials on Thursday "
                "after about 900 of them drove tractors into Tarn on Monday.\nThe port "
                "handles 40 ships a year.", "two.example"),
    ]  # fmt: skip
    sheet = extract_facts(arts, {})
    assert sheet.facts[0].kind == "event"
    assert "About 900 farmers drove tractors into Tarn" in sheet.facts[0].text


def test_a_lone_outlets_event_is_the_opening_its_headline_retells() -> None:
    scene = (
        "Velmar is not the only carmaker in the region building machines for hospitals, and "
        "Orsk Motors has worked in this field for some years."
    )
    news = "Orsk showed three nursing robots for care homes at a fair in Tarn on Monday."
    text = f"{scene} {news} The robots lift patients from beds. Sales start next year."
    art = Article("r1", "Orsk Motors shows three nursing robots for care homes", text, "o.example")
    sheet = extract_facts([art], {})
    assert sheet.facts[0].kind == "event" and sheet.facts[0].text.startswith("Orsk showed three")
    # One more shared word is chance: the scene-setter stays.
    vague = Article("r2", "Orsk robots", text, "o.example")
    assert extract_facts([vague], {}).facts[0].text.startswith("Velmar is not the only")


def test_an_opening_told_as_earlier_this_year_is_background() -> None:
    before = "Earlier this year, Halvik opened a card wallet for the shops it serves in Tarn."
    news = "Halvik on Monday added tap-free payments to the wallet for shoppers in Tarn."
    art = Article("w1", "", f"{before} {news} Shops pay no fee.", "h.example")
    assert extract_facts([art], {}).facts[0].text.startswith("Halvik on Monday added")


def test_a_lost_space_after_a_full_stop_still_ends_the_sentence() -> None:
    text = "Orvik won a 21st straight match at the majors.The Tarnian is the fifth to do so."
    assert split_sentences(text) == [
        "Orvik won a 21st straight match at the majors.",
        "The Tarnian is the fifth to do so.",
    ]
    assert split_sentences("He moved to the U.S. in 2004 and to St.Louis later.") == [
        "He moved to the U.S. in 2004 and to St.Louis later."
    ]


def test_a_bracket_opens_a_sentence_and_an_unclosed_one_is_dropped() -> None:
    text = (
        "Last update: Halvik today won approval to buy the Tarn tram works for $4.2 billion. "
        "[In May 2024, Halvik agreed to buy the works in the largest rail deal in Velish history. "
        "The board [of the works] backed the deal on Monday."
    )
    assert article_sentences(Article("b2", "", text, "courier.example")) == [
        "Halvik today won approval to buy the Tarn tram works for $4.2 billion.",
        "In May 2024, Halvik agreed to buy the works in the largest rail deal in Velish history.",
        "The board [of the works] backed the deal on Monday.",
    ]


def test_a_role_is_clean_words_without_the_quotation_before_it() -> None:
    text = (
        "Dock workers in Port Velan voted on Monday to strike over cuts to overtime pay.\n"
        '"We have waited two years for the board to sit down with us, we have written letter '
        "after letter, we have offered to share the savings it wants, and every time the answer "
        'has been the same, so this time we will not wait," union secretary Lora Venn said.\n'
        "Lora Venn said the strike would begin next week unless the board withdrew the cuts."
    )
    other = (
        "Port Velan dock workers backed a strike over overtime pay on Monday.\n"
        "Lora Venn told members the board had ignored their letters for months."
    )
    arts = [
        Article("w1", "Velan dockers vote to strike", text, "velanpost.example"),
        Article("w2", "Velan dockers back strike", other, "harbour.example"),
    ]
    who = [f.text for f in extract_facts(arts, {}).facts if f.kind == "who"]
    assert who, who
    assert all(not any(c in t for c in '"“”,') for t in who), who
    assert any(t.startswith("union secretary Lora Venn") for t in who), who


def test_an_abbreviated_title_keeps_its_full_stop_in_a_role() -> None:
    from digests.facts import _clean_role

    assert _clean_role("Velan Gov.") == "Velan Gov."
    assert _clean_role('time," union secretary.') == "union secretary"


def test_an_attribution_stays_with_the_question_it_follows() -> None:
    text = (
        "Nurses marched on Tuesday. “Who will pay for this?” Union secretary Lora Venn "
        "asked the crowd. “Not us!” Venn shouted. The board said nothing! Talks resume today."
    )
    assert split_sentences(text) == [
        "Nurses marched on Tuesday.",
        "“Who will pay for this?” Union secretary Lora Venn asked the crowd.",
        "“Not us!” Venn shouted.",
        "The board said nothing!",
        "Talks resume today.",
    ]
    several = "“Strike? Now? With winter coming?” Venn asked. The board left."
    assert split_sentences(several) == [
        "“Strike? Now? With winter coming?” Venn asked.",
        "The board left.",
    ]
    quoted = "“Is it over?” Venn told reporters the board had walked out of talks twice this week."
    assert len(split_sentences(quoted)) == 2  # a long sentence after it is a sentence of its own


def test_a_clock_time_is_no_figure() -> None:
    # The minutes of "18:04" and an hour before "PM" are when, not how many: counted as
    # figures they made a retelling of the landing look like a new detail.
    text = "The Orla probe touched down at 18:04 PM, about 7 PM in Tessel, as 40 engineers watched."
    assert [q.value for q in find_quantities(text)] == [40.0]


def test_bullets_cut_off_excerpts_and_template_tags() -> None:
    text = (
        "• Home • Sport • Weather\n"
        "  • Shorter sentence: Lawyers for Dorosheva said no more than six and a half years "
        "would be fair for a first offence.\n"
        "Harlow Courier live updates\n"
        "Buyers have already ordered 200,000 trams from the Halvik works. That is nowhere near, s\n"
        "The Orla probe landed near the pole, the fourth to do so. {{^adFree}} {{/adFree}}"
    )
    got = article_sentences(Article("b1", "", text, "courier.example"))
    assert got == [
        "Shorter sentence: Lawyers for Dorosheva said no more than six and a half years would "
        "be fair for a first offence.",
        "Buyers have already ordered 200,000 trams from the Halvik works.",
        "The Orla probe landed near the pole, the fourth to do so.",
    ]


def test_a_number_in_a_name_is_no_figure() -> None:
    # "the Orla 7 lander", "Route 175", "Phase 3 trial": labels, not counts; they made a
    # lander's name look like a figure only one outlet gave, and a road a lake's size.
    text = "Its Orla 7 lander crashed off Route 175 after a Phase 3 trial with 12 engineers."
    assert [q.value for q in find_quantities(text)] == [12.0]
    # A capitalised verb opens a sentence or fills a headline: its number still counts.
    assert [q.value for q in find_quantities("Halvik Sells 400 Trams to Osterby")] == [400.0]
    assert [q.value for q in find_quantities("Halvik said 40 trams and Osterby 12 buses")] == [
        40.0,
        12.0,
    ]


def test_a_telephone_number_is_no_figure() -> None:
    text = "Call police on 0845 125 2222, (555) 123-4567 or 1-800-222-1222; 4,500 fled."
    assert [q.value for q in find_quantities(text)] == [4500.0]


def test_an_appeal_for_information_is_no_fact() -> None:
    appeal = "Anyone with information is asked to call Tarn police on 0845 125 2222."
    arts = [
        Article(
            f"w{i}",
            "Fire destroys Harlow market hall",
            f"Fire destroyed the Harlow market hall on Friday night, {src} reported.\n"
            f"More than 50 firefighters fought the blaze for six hours.\n{appeal}",
            f"{src}.example",
        )
        for i, src in enumerate(["courier", "herald", "post"])
    ]
    texts = [f.text for f in extract_facts(arts, {}).facts]
    assert texts and not any("information" in t for t in texts), texts


def test_and_a_half_is_part_of_the_figure() -> None:
    # "four and a half hours" against "less than five hours" is 4.5 vs 5, not 4 vs 5.
    text = "The jury deliberated for four and a half hours; two and a half million watched."
    assert [q.value for q in find_quantities(text)] == [4.5, 2.5e6]
    assert find_quantities(text)[0].text == "four and a half"


def test_a_figure_of_its_own_models_is_a_part() -> None:
    # A part is never held against a whole's count ("362,615 vehicles" in another outlet).
    text = "Halvik built 345,454 units of its Orla and Vela trams and 29 of the engines failed."
    assert [q.part for q in find_quantities(text)] == [True, True]
    assert [q.part for q in find_quantities("Halvik built 362,615 trams in all.")] == [False]
    assert [q.part for q in find_quantities("About 5,000 members of the union marched.")] == [False]


def test_a_hyphenated_scale_word_scales_the_figure() -> None:
    # "a 430-million-crown contract" is 430 million crowns, not 430 of something.
    text = "Halvik signed a 430-million-crown contract and a $2-billion loan with 12 banks."
    found = find_quantities(text)
    assert [q.value for q in found] == [430e6, 2e9, 12.0]
    assert found[0].nouns[:1] == ("crown",)


def test_a_headline_made_from_a_lead_drops_its_date_and_ends_where_a_phrase_ends() -> None:
    lead = (
        "On March 3, 2026, Orla Space landed its Tessel probe near the lunar south pole in a "
        "tense descent watched by two million people online."
    )
    stand_in = lead[:100].rsplit(" ", 1)[0] + "…"  # what ingest gives a record without one
    arts = [
        Article("p1", "", lead + " Engineers cheered.", "one.example"),
        Article("p2", stand_in, lead + " The rover rolls out next week.", "two.example"),
    ]
    for group in (arts[:1], arts[1:]):
        assert choose_headline(group) == (
            "Orla Space landed its Tessel probe near the lunar south pole"
        )
    place = "In Harlow, Velish police arrested three men after a night of riots in the old port."
    assert choose_headline([Article("p3", "", place, "x.example")]).startswith("In Harlow,")


def test_a_headline_is_not_a_clause_cut_off_before_its_news() -> None:
    # Records without titles get stand-ins from their first sentence; "With ..., Orla has
    # become ..." shortened ends before its news, so another lead is the headline.
    from digests.ingest.records import record_to_article

    texts = [
        "With the Tessel probe of Orla Space landed near the lunar south pole, Orla has become "
        "the fourth country to land on the Moon.\nEngineers cheered.",
        "Orla became the fourth country to reach the Moon on Tuesday.\nEngineers cheered.",
        "Crowds cheered in Kelmport as engineers confirmed the news from the lunar south pole."
        "\nMore followed.",
    ]
    arts = [
        record_to_article({"id": f"t{i}", "text": t, "source": f"o{i}.example"}, where="t")
        for i, t in enumerate(texts)
    ]
    head = choose_headline([a for a in arts if isinstance(a, Article)])
    assert head == "Orla became the fourth country to reach the Moon on Tuesday", head


def test_a_record_without_a_title_keeps_its_first_sentence_as_a_fact() -> None:
    # Ingest makes a stand-in title from the first sentence; that sentence is still news.
    from digests.ingest.records import record_to_article

    text = (
        "The Velan ferry resumed crossings to Orsa island at 7 a.m. on Friday after repairs.\n"
        "Passengers queued from dawn at the south pier for the first crossing."
    )
    art = record_to_article({"id": "r1", "text": text, "source": "one.example"}, where="t")
    assert isinstance(art, Article) and art.title.startswith("The Velan ferry resumed")
    facts = [f.text for f in extract_facts([art], {}).facts]
    assert any(f.startswith("The Velan ferry resumed crossings") for f in facts), facts


def test_a_figure_knows_the_unit_it_measures_in() -> None:
    text = (
        "Winds of 130 miles (210 kilometers) per hour and 140-mph gusts hit the coast 40 km "
        "from Brill, 25 miles from Osk; the crew had a 7.62mm rifle and seven boats."
    )
    got = {q.text: measure_of(q) for q in find_quantities(text)}
    assert got == {
        "130": "mph", "210": "kph", "140": "mph", "40": "km", "25": "mi", "7.62": "mm",
        "seven": "",
    }, got  # fmt: skip


def test_a_storm_category_is_no_figure_whatever_its_case() -> None:
    text = "The category 3 hurricane, a Category 4 storm a day earlier, had 120 mph winds."
    assert [q.text for q in find_quantities(text)] == ["120"]


def test_an_excerpt_cut_before_it_said_anything_is_no_fact() -> None:
    text = (
        "Orvel Motors insider Ana Ferro sold 1,500 shares of the company's stock on Friday, "
        "a filing showed. The shares were sold at ... Orvel's stock rose 3% on the week after "
        "the company reported record scooter sales in Velmar and Osterby ..."
    )
    arts = [Article("x1", "Orvel insider sells shares", text, "alerts.example")]
    facts = [f.text for f in extract_facts(arts, {}).facts]
    assert not any(f.startswith("The shares were sold at") for f in facts), facts
    assert any("record scooter sales" in f for f in facts), facts


def test_a_post_comes_before_a_family_tie_among_who_facts() -> None:
    from digests.entities import EntityIndex
    from digests.facts import _with_extras

    texts = [
        "Her daughter Ana Fenn spoke first. Daughter Ana Fenn thanked the nurses.",
        "Her husband Bo Fenn wept. Husband Bo Fenn said little.",
        "Governor Cy Moe ordered flags at half-staff. Governor Cy Moe spoke.",
        "Judge Dan Roth sent a letter. Judge Dan Roth was absent.",
        "Mayor Eli Park laid a wreath. Mayor Eli Park left early.",
    ]
    who = [f.text for f in _with_extras([], [], EntityIndex(texts), [], {}, 12)]
    assert who[:3] == ["Governor Cy Moe", "Judge Dan Roth", "Mayor Eli Park"], who
    assert who[3].startswith(("daughter", "husband", "Daughter", "Husband")), who


def test_a_headline_made_from_a_lead_keeps_its_verb() -> None:
    def head(lead: str) -> str:
        return choose_headline([Article("l1", "", lead + " More text follows.", "x.example")])

    # An aside in brackets and an appositive after the subject go first.
    assert (
        head(
            "The Orsk Glide, the company's first venture into folding electric bicycles (what "
            "its makers like to call urban gliding), is a marvel of engineering and design."
        )
        == "The Orsk Glide is a marvel of engineering and design"
    )
    assert (
        head(
            "Sennet Telecom, Valdoria's largest mobile operator, said on Tuesday it had agreed to "
            "buy broadband provider Pelham Fibre for 1.8 billion crowns in cash, its biggest deal."
        )
        == "Sennet Telecom said on Tuesday it had agreed to buy broadband provider Pelham Fibre"
    )
    # A clause ends at its comma, not on the participle after it.
    assert (
        head(
            "Velish champion Ana Orvik won her first Harlow Open title the hard way, coming from "
            "two sets down to beat Bo Telmann in a gruelling final on Sunday."
        )
        == "Velish champion Ana Orvik won her first Harlow Open title the hard way"
    )
    # A short aside is news ("(Flight 9)"); a cut with no verb left keeps the whole lead.
    assert "(Flight 9)" in head(
        "Tarnspace launched its ninth Skyhook test flight (Flight 9) on May 27 from its base "
        "in Osk, the company said in a statement."
    )
    assert head(
        "The Orsk Glide, the company's first venture into the folding bicycle market "
        "without a chain is a hard sell for most riders."
    ).endswith("is a hard sell for most riders")
