"""Key facts and disagreements for one story, all extractive.

Every fact is a source sentence (or a faithful shortening of one) and cites the articles that
state it. Sentences saying the same thing in different outlets are merged, so agreement across
independent sources (syndicated copies count once) is what makes a fact important. Numbers
reported differently by different outlets become disagreements (`digests.disagreements`),
unless later articles simply report a higher toll, which is an update.
"""

from __future__ import annotations

import heapq
import logging
import math
import re
from collections import Counter
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime

from digests.dates import (
    annotate,
    find_dates,
    reference_date,
    written_years,
)
from digests.disagreements import number_conflicts, time_and_date_conflicts
from digests.early_reports import reported_ahead
from digests.entities import TITLE_ABBREVIATIONS, Entity, EntityIndex, Mention, find_mentions
from digests.event_date import anchored_weekday, position_of, reported_day, with_event_date
from digests.headlines import clean_title
from digests.models import Article, Disagreement, Fact, FactKind
from digests.quantities import Quantity, counted_words, find_quantities, in_range
from digests.sentences import (
    ATTRIB_TAIL,
    FINITE,
    SPEECH_VERBS,
    VAGUE_START,
    clauses,
    fact_sentences,
    sentence_key,
    split_sentences,
)
from digests.single_source import single_source_figures
from digests.speakers import QUOTE_RE, Recent, quote_of, sexes_of
from digests.story_sentences import StorySentence
from digests.textfeatures import figures_match
from digests.tokens import content_tokens, similarity, stem

logger = logging.getLogger(__name__)

MAX_FACTS = 12
# Scoring weights, tuned on the pages-devset (scripts/eval_facts.py).
W_SRC, W_CENTRAL, W_POS, W_RED, W_NOVEL = 2.0, 3.0, 1.5, 2.0, 2.0
W_GROUP = 0.6
W_SUPPORT = 0.42
W_ACTION = 1.0
W_TAIL_RARE = 1.0
W_NUM = 0.3
# Coverage selection of the top eight facts (_gain). A new name or figure is worth three words:
# once retellings are out of the running, what sets a candidate apart is the detail it adds
# (dev figures rise from 1.5 up to 3 and stay level to 4).
W_POOL, W_DF, W_DETAIL, W_LEN, W_BASE, W_KIND, W_SEEN = 80, 0.5, 3.0, 0.5, 0.15, 0.3, 0.5
W_REP_DETAIL = 0.3
W_VAGUE, W_ACT2, W_MULTI = 1.0, 1.0, 0.0
W_DUP = 0.6
# A top-eight candidate this close to a chosen fact waits until the top eight are full: the
# first facts a reader sees should each say something the others do not.
W_TOP_DUP = 0.4
# A candidate repeating this many chosen details and adding fewer than this restates them.
W_FRAME_SHARED, W_FRAME_FRESH = 3.0, 1.5
_KEY_ACTION = re.compile(
    r"\b(?:signed|agreed|approved|announced|launched|landed|sentenced|convicted|acquitted|"
    r"elected|resigned|won|defeated|killed|died|arrested|charged|ruled|completed|closed|"
    r"deployed|attended|ordered|banned|declared|confirmed|unveiled)\b"
)
# A record or a first is what readers retell ("the first Italian to win three Grand Slam
# singles titles", "France's biggest jewellery theft"): its gain for the top eight is raised by
# this (pages-devset: one fact whole 41 -> 43 of 100, together 74 -> 75).
W_MILESTONE = 0.5
_MILESTONE = re.compile(
    r"\bthe first\b(?:\s+[\w'’-]+){0,6}?\s+(?:to|since|ever)\b|\bfirst-ever\b"
    r"|\bfor the first time\b|\b(?:only|second) (?:\w+ ){0,2}(?:to|since)\b"
    r"|\b(?:a|the|new|all-time|school|career|scoring|world|national|club) record\b"
    r"|\brecord-(?:setting|breaking|high|low)\b|\bon record\b|\brecord books\b"
    r"|\b(?:largest|biggest|highest|lowest|worst|deadliest|steepest|strongest|youngest"
    r"|oldest|most expensive)\b"
)
_PROSPECT = re.compile(
    r"\b(?:will|would|could|is due|are due|(?:is|are) set to|plans? to|expect(?:s|ed|ing)?|"
    r"forecast|predict(?:s|ed)?|estimates?)\b",
    re.IGNORECASE,
)
# A sentence that opens in an earlier time tells background: "In 2019, India attempted ...",
# "When the iPhone first launched in 2007, ...", "Previously, ...".
_EARLIER_OPENING = re.compile(
    r"(?:(?:In|By|Back in|During) (?:\w+ )?(?P<year>(?:19|20)\d\d)\b"
    r"|When\b[^,]{0,80}\b(?P<when>(?:19|20)\d\d),"
    r"|(?:Previously|Last year|In the past|Earlier this (?:year|month)|Last month|Years ago)\b)"
)
# Its coverage gain for the top eight is scaled by this: the event's own details come first
# (pages-devset: first 8 together 72 -> 73 of 100; Chandrayaan-2's 2019 crash, the iPhone's 2007
# queues and the earlier verdict leave the top eight).
W_BACKGROUND = 0.5
# A lone outlet's opening sentence that shares this many more of its headline's words than the
# best-scored one is its event fact (see `_event_fact`).
TITLE_LEAD_WORDS = 2
_LONG_AGO = re.compile(r"\b(?:years|decades) ago\b", re.IGNORECASE)
_BORN = re.compile(r"\b(?:was|were) born\b")
_SUBORDINATE = re.compile(
    r",\s*(?:which|who|whose|where|as|while|amid|after|an? \w+ that)\b|\bwhich\b"
)  # ", a deal that would ..." describes what was done


def _opens_earlier(text: str, story_years: Collection[int]) -> bool:
    """Whether the sentence opens in a time before the story's (its years: `_story_years`);
    with no year known, only a year-less opening ("Previously,") counts."""
    m = _EARLIER_OPENING.match(text)
    if m is None:
        return False
    year = m.group("year") or m.group("when")
    if year is None:
        return True
    return bool(story_years) and int(year) < min(story_years)


def _story_years(articles: Sequence[Article], sents: Sequence[StorySentence]) -> set[int]:
    """The years the story happens in: its reports' middle publication year, and any year
    two or more outlets write in their opening sentences."""
    hint = _year_hint(articles)
    years = {hint.year} if hint else set()
    outlets: dict[int, set[str]] = {}
    for x in sents:
        if x.pos <= 1:
            for y in written_years(x.text):
                outlets.setdefault(int(y), set()).add(x.source)
    return years | {y for y, told in outlets.items() if len(told) >= 2}


def _main(text: str) -> str:
    """A sentence up to its first relative or subordinate clause: "marched on Monday, which
    unions say could cost jobs" reports a march, not a prospect."""
    m = _SUBORDINATE.search(text)
    return text[: m.start()] if m else text


# A request for tips ("Anyone with information is asked to call police on ...").
_APPEAL = re.compile(
    r"\b(?:anyone|those|people|witnesses) with (?:any )?information\b"
    r"|\bis (?:being )?asked to (?:call|contact)\b|\bcrime ?stoppers\b|\btip ?line\b",
    re.IGNORECASE,
)

_VENUE = re.compile(
    r"\b(?:in|at|near|outside|inside)\s+(?:the\s+)?(?:[\w’'-]+\s+){0,3}?(?:headquarters|hall|"
    r"theat(?:re|er)|stadium|arena|court(?:house)?|residence|airport|store|cent(?:re|er)|palace|"
    r"square|hotel|building|base|cosmodrome|port|station|embassy|campus|resort|summit)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class FactSheet:
    facts: tuple[Fact, ...]
    disagreements: tuple[Disagreement, ...]


# ---------------------------------------------------------------- sentences and cleaning


# ---------------------------------------------------------------- clause-level shortenings


# ---------------------------------------------------------------- facts


def _source_map(articles: Sequence[Article], duplicates: Mapping[str, str]) -> dict[str, str]:
    """Article id -> the outlet it counts as (a syndicated copy counts as its original)."""
    by_id = {a.id: a for a in articles}
    out: dict[str, str] = {}
    for a in articles:
        root, hops = a.id, 0
        while root in duplicates and hops < 10:
            root = duplicates[root]
            hops += 1
        src = by_id[root].source if root in by_id else a.source
        out[a.id] = re.sub(r"^www\.", "", (src or root).lower())
    return out


def _outlet_key(source: str) -> str:
    return re.sub(r"^www\.", "", source.lower())


def _year_hint(articles: Sequence[Article]) -> date | None:
    ds = sorted(a.published.date() for a in articles if a.published is not None)
    return ds[len(ds) // 2] if ds else None


_OPENER = re.compile(
    r"(?:(?:But|And|Then|Later|Meanwhile|Also|Now)\W+)?(?:The\s+|(?:Mr|Mrs|Ms|Miss|Dr)\.?\s+)?"
)
# "Mohammad Awad, hospitalized with shrapnel wounds, said ..."; "..., said Shanduke McPhatter"
_SAYS_NEXT = re.compile(
    r",?(?:,[^,;\"“”]{1,100},)?\s+(?:said|says|told|added|explained|recalled|testified|wrote"
    r"|stated|announced|issued a statement)\b"
)
_SAID_BY = re.compile(r"[,\"”]\s*(?:said|says)\s+$")  # "..., said Shanduke McPhatter"
_ACCORDING = re.compile(r"[Aa]ccording to\s+")  # "According to Alan Mauldin, ..."
_DESCRIBED = re.compile(r"(?:The|A|An)\s[^,;\"“”]{1,80},\s+")  # "The head of ..., John Ging,"


def _talkers(text: str, mentions: Sequence[Mention], index: EntityIndex) -> list[str]:
    """Who a sentence has talking, by a full name no role marks as a person: the opening
    subject of a speech verb ("Mohammad Awad, hospitalized with shrapnel wounds, said ...")
    and the name after "said" ("..., said Shanduke McPhatter, 35"): "he said" in the next
    sentence is most often them."""
    out: list[str] = []
    for i, mn in enumerate(mentions):
        e = index.entity(mn.text)
        if (
            e is None
            or e.kind not in ("person", "other")
            or len(e.name.split()) < 2
            or re.search(r"['’]s\b", e.name)  # "AMD's Meyer"
        ):
            continue
        role_at = max(0, mn.start - len(mn.role) - 1) if mn.role else mn.start
        before = text[:role_at]
        opens = i == 0 and _OPENER.fullmatch(before) and _SAYS_NEXT.match(text, mn.end)
        described = _DESCRIBED.fullmatch(before) and _SAYS_NEXT.match(text, mn.end)
        if opens or described or _SAID_BY.search(before[-20:]) or _ACCORDING.fullmatch(before):
            out.append(e.name)
    return out


def _prepare(
    articles: Sequence[Article],
    sources: Mapping[str, str],
    boilerplate: Mapping[str, Collection[str]],
) -> tuple[list[StorySentence], EntityIndex]:
    hint = _year_hint(articles)
    per_article: list[tuple[Article, list[str]]] = []
    for a in articles:
        skip = boilerplate.get(a.source, ())
        texts = fact_sentences(a)
        per_article.append(
            (a, [t for t in texts if sentence_key(t) not in skip] if skip else texts)
        )
    index = EntityIndex("\n".join(s) for _, s in per_article)
    mentions_of = {t: find_mentions(t) for _, texts in per_article for t in texts}
    sexes = sexes_of((mn for ms in mentions_of.values() for mn in ms), index, mentions_of)
    sents: list[StorySentence] = []
    for a, texts in per_article:
        ref = reference_date(a, hint)
        recent = Recent(sexes)
        for pos, text in enumerate(texts):
            dates = find_dates(text, ref, hint)
            mentions = mentions_of[text]
            toks = content_tokens(text)
            for mn in mentions:
                ent = index.entity(mn.text)
                if ent is not None:
                    toks.append("@" + ent.name.lower())
            quote, speaker = quote_of(text, mentions, index, recent)
            # "He said" in the next sentence most often means this sentence's subject.
            people = [
                e.name
                for mn in mentions
                if (e := index.entity(mn.text)) is not None
                and e.kind == "person"
                # "CEO Musk's biggest followers, analyst Dan Ives called ...": not the subject
                and not re.match(r"['’]s\b", text[mn.end : mn.end + 3])
            ]
            for name in reversed(people):
                recent.add(name)
            for name in _talkers(text, mentions, index):
                recent.add(name)
            if speaker and not speaker.isupper():
                recent.add(speaker)  # "She added, ..." goes on with the one who spoke
            sents.append(
                StorySentence(
                    article_id=a.id,
                    source=sources[a.id],
                    pos=pos,
                    text=text,
                    shown=annotate(text, dates),
                    tokens=frozenset(toks),
                    dates=dates,
                    numbers=find_quantities(text, dates),
                    mentions=mentions,
                    quote=quote,
                    speaker=speaker,
                    published=a.published,
                    day=ref.as_date() if ref is not None else None,
                    outlet=a.source,
                )
            )
            if quote:
                continue  # a quote keeps its words and its speaker together
            whole = sents[-1]
            numbers = whole.numbers
            for part in clauses(text):
                # Names and figures are the sentence's own (offsets are not used for parts).
                p_dates = find_dates(part, ref, hint)
                p_mentions = [mn for mn in mentions if mn.text in part]
                p_toks = content_tokens(part)
                for mn in p_mentions:
                    ent = index.entity(mn.text)
                    if ent is not None:
                        p_toks.append("@" + ent.name.lower())
                # a clause is its sentence with its own words, dates, names and figures
                sents.append(
                    replace(
                        whole,
                        text=part,
                        shown=annotate(part, p_dates),
                        tokens=frozenset(p_toks),
                        dates=p_dates,
                        numbers=[q for q in numbers if q.text in part],
                        mentions=p_mentions,
                        quote="",
                        speaker="",
                        whole=False,
                    )
                )
    return sents, index


_FORMER = re.compile(r"\b(?:from|than|compared\s+(?:with|to))\s*$", re.IGNORECASE)


def _agree(a: float, b: float) -> bool:
    """Same figure up to rounding: "about 384,000" and 384,122, "14%" and 13.5%."""
    if figures_match(a, b):
        return True
    lo, hi = sorted((a, b))
    if hi > 1.05 * lo:
        return False
    # the rounder of the two is the other rounded half up to its last non-zero digit
    rough, exact = (a, b) if _last_digit(a) >= _last_digit(b) else (b, a)
    unit = 10.0 ** _last_digit(rough)
    return math.floor(exact / unit + 0.5) * unit == rough


def _last_digit(v: float) -> int:
    """The power of ten of a figure's last non-zero digit (1,200 -> 2, 13.5 -> -1)."""
    if v <= 0:
        return 0
    for p in range(math.floor(math.log10(v)), -4, -1):
        if abs(v / 10.0**p - round(v / 10.0**p)) < 1e-6:
            return p
    return -4


def _claimed(s: StorySentence) -> list[Quantity]:
    """The figures a sentence states as they now stand: not a range's ends, nor a former
    value ("raised the toll from 12")."""
    return [
        q
        for q in s.numbers
        if q.value and not in_range(s.text, q) and not _FORMER.search(s.text[: q.start])
    ]


def _same_count(a: Quantity, b: Quantity) -> bool:
    """Whether two figures, from sentences already worded alike, count one thing: the same
    kind of number and the same counted words (or no counted word at all, "has risen to
    19,"), within a plausible ratio."""
    if a.pct != b.pct or a.currency != b.currency:
        return False
    if max(a.value, b.value) > 4 * min(a.value, b.value):
        return False
    return not a.nouns or not b.nouns or bool(counted_words(a) & counted_words(b))


def _contradicts(a: StorySentence, b: StorySentence) -> bool:
    """Whether two sentences give different figures for one counted thing ("some 1,400
    people" vs "about 1,200 dockworkers", "risen to 19" vs "at least 12 people"): then one
    cannot confirm the other. A sentence stating the same figures, plus others, agrees."""
    if not a.numbers or not b.numbers:
        return False
    qa, qb = _claimed(a), _claimed(b)
    only_a = [q for q in qa if not any(_agree(q.value, r.value) for r in b.numbers)]
    if not only_a:
        return False
    only_b = [r for r in qb if not any(_agree(q.value, r.value) for q in a.numbers)]
    return any(_same_count(q, r) for q in only_a for r in only_b)


@dataclass
class _Group:
    members: list[StorySentence]
    support: list[StorySentence] = field(default_factory=list)

    @property
    def sources(self) -> set[str]:
        return {s.source for s in self.members}


def _group(sents: list[StorySentence], threshold: float | None = None) -> list[_Group]:
    """Sentences that say the same thing across articles, greedily merged (lead first)."""
    if threshold is None:
        threshold = W_GROUP
    groups: list[_Group] = []
    index: dict[str, list[int]] = {}
    for s in sorted(sents, key=lambda x: (x.pos, x.article_id)):
        cand: Counter[int] = Counter()
        for t in s.tokens:
            for gi in index.get(t, ()):
                cand[gi] += 1
        best, best_sim = -1, threshold
        # Ties go to the earlier group: `most_common` would break them by the order the
        # token set happened to iterate in, which changes from run to run.
        for gi, _ in heapq.nsmallest(12, cand.items(), key=lambda kv: (-kv[1], kv[0])):
            g = groups[gi]
            sim = max(similarity(s.tokens, m.tokens) for m in g.members[:3])
            if (
                sim > best_sim
                and s.article_id not in {m.article_id for m in g.members}
                and not any(_contradicts(m, s) for m in g.members)
            ):
                best, best_sim = gi, sim
        if best >= 0:
            groups[best].members.append(s)
        else:
            groups.append(_Group([s]))
            for t in s.tokens:
                index.setdefault(t, []).append(len(groups) - 1)
    return groups


def _kind_of(s: StorySentence, index: EntityIndex) -> FactKind:
    if s.quote and s.speaker:
        return "quote"
    if any(q for q in s.numbers if not q.text.isalpha()):
        return "number"
    if any(d.resolved or d.month_day or d.form == "weekday" for d in s.dates):
        return "when"
    if _VENUE.search(s.text):
        return "where"
    if any((e := index.entity(m.text)) is not None and e.kind == "person" for m in s.mentions):
        return "who"
    return "other"


def _fact_text(s: StorySentence, kind: FactKind) -> str:
    """The sentence with resolved dates; a quote names its speaker when the text only says "he"."""
    if kind == "quote" and s.speaker:
        low = s.text.lower()
        names_speaker = any(
            re.search(rf"\b{re.escape(part.lower())}\b", low)
            for part in re.split(r"[\s-]+", s.speaker)
            if part[:1].isupper() and len(part) >= 3
        )
        if len(s.text.split()) > 45 or not names_speaker:
            return f"{s.speaker}: “{s.quote}”"
    # The event's own date says its weekday too: "on June 19, 2024 (Wednesday)".
    shown = annotate(s.text, s.dates, weekdays=True) if kind == "event" else s.shown
    if kind != "quote" and not s.quote:
        # ", the ministry said" names nobody: the outlets cited are the attribution.
        trimmed = ATTRIB_TAIL.sub("", shown.rstrip())
        if trimmed != shown.rstrip() and len(trimmed.split()) >= 6 and FINITE.search(trimmed):
            return trimmed.rstrip(" ,.") + "."
    return shown


_Scored = tuple[float, _Group, StorySentence]


@dataclass
class _Ranking:
    """A story's candidate facts, scored, and the ones chosen in order (for dev diagnostics)."""

    sents: list[StorySentence]
    index: EntityIndex
    sources: dict[str, str]
    scored: list[_Scored]
    chosen: list[_Scored]
    has_lead: bool


def extract_facts(
    articles: Sequence[Article],
    duplicates: Mapping[str, str],
    *,
    limit: int = MAX_FACTS,
    boilerplate: Mapping[str, Collection[str]] | None = None,
) -> FactSheet:
    """The story's key facts, most important first, and the figures its sources disagree on.

    Articles are read earliest report first (then by id), so the sheet does not depend on
    the order a story's articles happened to arrive in. `boilerplate` holds, per source, the
    sentence keys (`sentence_key`) that outlet repeats across stories (see
    `digests.boilerplate`): they are never facts."""
    articles = sorted(articles, key=_report_order)
    ranking = _rank(articles, duplicates, limit, boilerplate)
    if ranking is None:
        return FactSheet((), ())
    sents, index, sources, chosen = ranking.sents, ranking.index, ranking.sources, ranking.chosen
    wholes = [x for x in sents if x.whole]
    # A copy that changes a figure is a visible difference: conflicts are told per outlet.
    by_outlet = [replace(x, source=_outlet_key(x.outlet or x.source)) for x in wholes]
    updates, disagreements = number_conflicts(by_outlet)
    disagreements.extend(time_and_date_conflicts(wholes))
    # Then what only one outlet tells, and reports written before the outcome.
    disputed = {
        q.text
        for d in disagreements
        for x in wholes
        if x.article_id in d.article_ids
        for q in x.numbers
        if q.text in d.text
    }
    disagreements.extend(single_source_figures(wholes, disputed))
    disagreements.extend(reported_ahead(wholes))
    facts: list[Fact] = []
    report_rank = {a.id: i for i, a in enumerate(articles)}
    whole_at = {position_of(x): x for x in wholes}
    chosen_groups = [c[1] for c in chosen]
    reps = [c[2] for c in chosen]
    for g, found in zip(chosen_groups, _support(chosen_groups, reps, sents), strict=True):
        g.support = found
    for i, (_, g, rep) in enumerate(chosen):
        kind: FactKind = "event" if i == 0 and ranking.has_lead else _kind_of(rep, index)
        backing = g.members + [x for x in g.support if x not in g.members]
        text = _fact_text(rep, kind)
        if kind == "event":
            early = [
                x
                for x in sents
                if x.pos <= 2 and x.source != rep.source and not _contradicts(rep, x)
            ]
            text, dated = with_event_date(text, rep, backing, early)
            if dated is None and not any(d.resolved or d.month_day for d in rep.dates):
                # A confirming clause's weekday is in the sentence it was cut from.
                anchored = anchored_weekday(
                    [whole_at.get(position_of(x), x) for x in [rep, *backing]]
                )
                if anchored is not None:
                    text, dated = f"{text.rstrip()} — {anchored[0]}", anchored[1]
                elif not any(d.form == "weekday" for d in rep.dates):
                    reported = reported_day(rep, backing)
                    if reported is not None:
                        text = f"{text.rstrip()} — {reported}"
            if dated is not None and dated not in backing:
                backing.append(dated)
        # The sentence shown first, then the others in report order (not as found: that
        # hung on set order, so a rerun could list the same sources differently).
        others = {m.article_id for m in backing} - {rep.article_id}
        ids = (rep.article_id, *sorted(others, key=report_rank.__getitem__))
        facts.append(Fact(text, kind, ids, len({m.source for m in backing})))
    facts = _with_extras(facts, updates, index, sents, sources, limit)
    return FactSheet(tuple(facts), tuple(disagreements))


_NO_TIME = datetime.max.replace(tzinfo=UTC)


def _report_order(article: Article) -> tuple[datetime, str]:
    return (article.published or _NO_TIME, article.id)


def _rank(
    articles: Sequence[Article],
    duplicates: Mapping[str, str],
    limit: int = MAX_FACTS,
    boilerplate: Mapping[str, Collection[str]] | None = None,
) -> _Ranking | None:
    """Candidate facts scored on their own, then the sheet's order chosen from them."""
    if not articles:
        return None
    articles = sorted(articles, key=_report_order)
    sources = _source_map(articles, duplicates)
    sents, index = _prepare(articles, sources, boilerplate or {})
    if not sents:
        return None
    n_sources = len(set(sources.values()))
    df: Counter[str] = Counter()
    by_source: dict[str, set[str]] = {}
    for s in sents:
        by_source.setdefault(s.source, set()).update(s.tokens)
    for toks in by_source.values():
        df.update(toks)
    groups = _group(sents)
    logger.debug(
        "%d articles, %d sentences, %d candidate facts", len(articles), len(sents), len(groups)
    )
    name_df: Counter[str] = Counter()
    for x in sents:
        if x.whole:
            name_df.update({m.text for m in x.mentions})
    scored: list[_Scored] = []
    for g in groups:
        rep = _representative(g)
        n_words = len(rep.text.split())
        central = sum(df[t] for t in rep.tokens) / (
            max(1, n_sources) * math.sqrt(len(rep.tokens) or 1)
        )
        rep.kind = _kind_of(rep, index)
        first = min(m.pos for m in g.members)
        n_support = len(g.sources)
        score = W_SRC * n_support + W_CENTRAL * central + max(0.0, W_POS - 0.5 * first)
        if n_words < 8:
            score -= 1.0
        if n_words > 50:
            score -= 1.0
        if rep.numbers:
            score += W_NUM
        if any(d.resolved or d.month_day for d in rep.dates):
            score += 0.3
        if rep.quote:
            score += 0.2 if rep.speaker else -0.5
        rep.rare = _rare_details(rep, name_df, len(sents))
        if _KEY_ACTION.search(rep.text):
            score += W_ACTION  # news turns on signings, verdicts, launches, tolls
        if VAGUE_START.match(rep.text):
            score -= 0.7  # leans on a previous sentence the reader will not see
        if _APPEAL.search(rep.text):
            continue  # many reports of a crime end with one; it tells no fact of the story
        scored.append((score, g, rep))
    scored.sort(key=lambda x: -x[0])
    # The event fact: the best-supported lead sentence.
    leads = [x for x in scored if min(m.pos for m in x[1].members) <= 1]
    years = _story_years(articles, sents)
    chosen: list[_Scored] = []
    if leads:
        reports = [a for a in articles if a.id not in duplicates]
        titled = (
            frozenset(content_tokens(clean_title(reports[0].title)))
            if len(reports) == 1
            else frozenset()
        )
        chosen.append(_event_fact(leads, years, titled))
    # Greedy selection that rewards new information (maximal marginal relevance).
    remaining = [x for x in scored[:W_POOL] if x not in chosen]
    weights = _concept_weights(df)
    cache: dict[int, _Details] = {}

    def details(x: StorySentence) -> _Details:
        if id(x) not in cache:
            cache[id(x)] = _details_of(x, index)
        return cache[id(x)]

    frame, event_days = _event_frame(sents, details)
    earlier = {id(x[2]) for x in remaining if _opens_earlier(x[2].text, years)}

    def gain(x: _Scored, covered_toks: set[str], kinds: Counter[FactKind]) -> float:
        value = _gain(x, covered_toks, weights, kinds)
        return value * W_BACKGROUND if id(x[2]) in earlier else value

    deferred: list[_Scored] = []
    defer = True  # until the top eight are full, or nothing else is left
    while (remaining or deferred) and len(chosen) < limit:
        if not remaining:
            remaining, deferred, defer = deferred, [], False
        covered_toks: set[str] = set()
        for c in chosen:
            covered_toks |= c[2].tokens
        kinds = Counter(c[2].kind or _kind_of(c[2], index) for c in chosen)
        if len(chosen) < 8:
            seen = _Seen.of([details(c[2]) for c in chosen], covered_toks, frame, event_days)
            # The event retold in other words earns no top slot: details come first.
            pool = [x for x in remaining if not seen.restates(details(x[2]))]
            best = max(pool or remaining, key=lambda x: gain(x, covered_toks, kinds))
        else:
            best = max(remaining, key=lambda x: _mmr(x, chosen, covered_toks, kinds, index))
        remaining.remove(best)
        closest = max((similarity(best[2].tokens, c[2].tokens) for c in chosen), default=0.0)
        if closest > W_DUP:
            continue
        if defer and closest > W_TOP_DUP and len(chosen) + len(remaining) >= 8:
            # Much like a top fact, and others can fill the top eight: it waits for them.
            deferred.append(best)
            continue
        chosen.append(best)
        if len(chosen) == 8:
            remaining, deferred, defer = remaining + deferred, [], False
    quotes = [x for x in scored if x[2].quote and x[2].speaker]
    if quotes and not any(c[2].quote and c[2].speaker for c in chosen[:8]) and len(chosen) >= 8:
        if quotes[0] in chosen:
            chosen.remove(quotes[0])
        chosen.insert(8, quotes[0])  # a digest reader should hear at least one voice
        chosen = chosen[:limit]
    return _Ranking(sents, index, sources, scored, chosen, bool(leads))


def _event_fact(
    leads: Sequence[_Scored], years: Collection[int], title: frozenset[str] = frozenset()
) -> _Scored:
    """The event fact: the best-supported lead sentence that stands on its own.

    A lead telling background is passed over when another lead can stand alone: a birth
    ("Bettie Mae Page was born on April 22, 1923" in seven copies of an obituary), an earlier
    time ("Previously, agencies were required ..."), one leaning on the sentence before ("But
    more than half of the 288 candidates ..."), one naming no one and nothing ("The warship
    immediately altered towards the suspicious vessels"), or one told as years ago ("The
    regulator blocked Sennet's purchase of Kessa Net three years ago").

    `title`: the words of a lone report's headline. With no second report to confirm one
    opening over another, the one its own headline retells is the news ("Toyota shows four
    nursing robots": "Toyota showcased four robots yesterday", not the scene-setting "Honda
    isn't the only carmaker in robotics")."""
    alone = [
        x
        for x in leads
        # an opening sentence may name no one ("A strong quake struck at dawn, killing 3");
        # a second sentence that does not leans on the first ("The warship ... challenged them")
        if (x[2].mentions or min(m.pos for m in x[1].members) == 0)
        and not VAGUE_START.match(x[2].text)
        and not _BORN.search(x[2].text)
        and not _opens_earlier(x[2].text, years)
        and not _LONG_AGO.search(_main(x[2].text))
    ]
    pool = alone or list(leads)
    # What was expected or is to come is not the event; a report of it nearly as well
    # supported is.
    done = [x for x in pool if not _PROSPECT.search(_main(x[2].text))]
    near = [x for x in done if x[0] >= pool[0][0] - 3]
    # Failing that, an outlet's opening that tells what was done, however far below.
    opening = [x for x in done if min(m.pos for m in x[1].members) == 0]
    ranked = near or opening or pool
    if title and len(ranked) > 1:
        # Only clearly more of the headline's words: one shared word ("cloud") is chance.
        best = max(ranked, key=lambda x: len(x[2].tokens & title))
        if len(best[2].tokens & title) >= len(ranked[0][2].tokens & title) + TITLE_LEAD_WORDS:
            return best
    return ranked[0]


def _support(
    groups: list[_Group], reps: list[StorySentence], sents: list[StorySentence]
) -> list[list[StorySentence]]:
    """Sentences elsewhere that state a group's fact (its representative) in looser words:
    they confirm it, unless their figures say otherwise.

    Groups are kept tight so each fact stays one clear statement; confirmation is counted
    more generously, so a paraphrase in another outlet still cites that outlet.
    """
    index: dict[str, list[int]] = {}
    for i, s in enumerate(sents):
        for t in s.tokens:
            index.setdefault(t, []).append(i)
    out: list[list[StorySentence]] = []
    for g, rep in zip(groups, reps, strict=True):
        cand: Counter[int] = Counter()
        for t in rep.tokens:
            if len(index.get(t, ())) <= len(sents) // 2 + 1:
                for i in index.get(t, ()):
                    cand[i] += 1
        found = list(g.members)
        have = {m.article_id for m in found}
        for i, n in heapq.nsmallest(40, cand.items(), key=lambda kv: (-kv[1], kv[0])):
            s = sents[i]
            if n < 3 or s.article_id in have:
                continue
            if similarity(rep.tokens, s.tokens) >= W_SUPPORT and not _contradicts(rep, s):
                found.append(s)
                have.add(s.article_id)
        out.append(found)
    return out


def _concept_weights(df: Counter[str]) -> dict[str, float]:
    """What a story's details are worth: names and figures most, words many outlets use more.

    A detail one outlet alone gives still counts (the gold of a story is often one outlet's
    specific), but less than what several confirm.
    """
    out: dict[str, float] = {}
    for t, n in df.items():
        w = 1.0 + W_DF * min(n - 1, 4)
        if t[0].isdigit() or t[0] == "@":
            w *= W_DETAIL
        out[t] = w
    return out


_NOT_NAMES = frozenset(["inc", "ltd", "co", "corp", "llc", "plc", "utc", "gmt", "edt", "est", "et"])
# What was done: a past-tense verb ("thanked", "invited", "arrived"). Not what was said about
# it ("reported", "told"), and not an adjective ("the limited options", "closely watched").
_ACTION = re.compile(
    r"(?<!\bthe )(?<!\ba )(?<!\ban )(?<!\bits )(?<!\btheir )(?<!\bhis )(?<!\bher )"
    r"\b(?:[a-z]{3,}ed|met|won|lost|led|made|took|gave|held|began|left|came|went|set|hit|ran|"
    r"rose|fell|sent|paid|sold|bought|became|struck|brought|kept|spent|grew|drew|flew|saw|"
    r"fought|built|beat|sank|swept|wrote|spoke|broke|chose|stole|threw|sought|found|stood|"
    r"upheld|cut|quit|shut|spread)\b"
)
_NOT_ACTIONS = frozenset(
    ["said", "told", "reported", "added", "noted", "stated", "quoted", "cited", "posted",
     "according", "united", "hundred", "indeed", "need", "speed", "seed", "based"]
)  # fmt: skip
# ", reported Russia's Sputnik news agency" / "according to TASS": who tells it, not news.
_ATTRIBUTION = re.compile(
    r"(?:,\s*|\s+)(?:(?:reported|said|citing|according\s+to|told)\s+(?:the\s+)?[A-Z][^,;:]{0,60}"
    r"|(?:the\s+)?[A-Z][\w’'.-]*(?:\s+[A-Z][\w’'.-]*)*(?:\s+(?:news\s+)?agency)?\s+"
    r"(?:reported|said|says|reports))\s*[.!]?$"
)


@dataclass(frozen=True)
class _Details:
    """What a candidate states that a reader could check, apart from its wording: names (each
    as its words), figures, years and days, actions done, and the words it quotes."""

    names: tuple[frozenset[str], ...]
    figures: tuple[float, ...]
    days: frozenset[str]
    actions: frozenset[str]
    quoted: frozenset[str]


def _word_keys(text: str) -> frozenset[str]:
    # Six letters: "KisunlaTM" is "Kisunla", "splashed" is "splashdown", "Matsegora's" is one.
    return frozenset(t[:6] for t in content_tokens(text) if not t[0].isdigit())


def _details_of(s: StorySentence, index: EntityIndex) -> _Details:
    """A candidate's names, figures, days, actions and quoted words; whoever a closing
    attribution names (", Sputnik reported") is the source, not a detail."""
    said = _ATTRIBUTION.search(s.text)
    told_from = said.start() if said else len(s.text)
    names: list[frozenset[str]] = []
    for m in s.mentions:
        if " " not in m.text and (m.start <= 1 or m.text.lower() in _NOT_NAMES):
            continue  # "Despite", "Yesterday": a capitalised first word names nobody
        if m.start >= told_from:
            continue
        ent = index.entity(m.text)
        words = _word_keys(m.text) | (_word_keys(ent.name) if ent else frozenset())
        if words:
            names.append(words)
    figures = tuple(q.value for q in s.numbers if not q.text.isalpha())
    days = {f"y{y}" for y in written_years(s.text)}
    for d in s.dates:
        if d.resolved is not None:
            days.add(f"d{d.resolved.month}-{d.resolved.day}")
        elif d.month_day is not None:
            days.add(f"d{d.month_day[0]}-{d.month_day[1]}")
    unquoted = QUOTE_RE.sub(" ", s.text[:told_from])
    actions = frozenset(stem(w)[:6] for w in _ACTION.findall(unquoted) if w not in _NOT_ACTIONS)
    quoted = _word_keys(s.quote) if s.quote else frozenset()
    return _Details(tuple(names), figures, frozenset(days), actions, quoted)


def _event_frame(
    sents: Sequence[StorySentence], details: Callable[[StorySentence], _Details]
) -> tuple[frozenset[str], frozenset[str]]:
    """The event's own actions and days: those two or more outlets open with.

    Outlets retell the event in their own verbs ("approved", "cleared", "granted"); a verb in
    several openings is the event, not a new thing done. The day they agree on is the one the
    event fact is given (`with_event_date`).
    """
    actions: dict[str, set[str]] = {}
    days: dict[str, set[str]] = {}
    for x in sents:
        if x.pos <= 1:
            d = details(x)
            for a in d.actions:
                actions.setdefault(a, set()).add(x.source)
            for day in d.days:
                days.setdefault(day, set()).add(x.source)
    return (
        frozenset(a for a, outlets in actions.items() if len(outlets) >= 2),
        frozenset(day for day, outlets in days.items() if len(outlets) >= 2),
    )


@dataclass(frozen=True)
class _Seen:
    """The details the chosen facts already give, and the event's own actions (`_event_frame`)."""

    words: frozenset[str]
    figures: tuple[float, ...]
    days: frozenset[str]
    frame: frozenset[str]

    @classmethod
    def of(
        cls,
        chosen: Sequence[_Details],
        tokens: set[str],
        frame: frozenset[str],
        event_days: frozenset[str],
    ) -> _Seen:
        words = {t[:6] for t in tokens if t[0] not in "@0123456789"}
        for d in chosen:
            for n in d.names:
                words |= n
        figures = tuple(f for d in chosen for f in d.figures)
        days = event_days.union(*(d.days for d in chosen))
        return cls(frozenset(words), figures, days, frame)

    def _known_figure(self, f: float) -> bool:
        return any(abs(f - g) <= 0.005 * max(f, g) for g in self.figures)

    def restates(self, d: _Details) -> bool:
        """Whether a candidate retells what the chosen facts say: it repeats several of their
        names, figures, days and actions and adds at most one detail of its own (or repeats
        two and adds none). "Met at the cosmodrome on Wednesday" after "hosted at Vostochny on
        September 13" does; "arrived on September 12 by train" does not."""
        fresh, shared = self.compare(d)
        return (shared >= W_FRAME_SHARED and fresh < W_FRAME_FRESH) or (shared >= 2 and not fresh)

    def compare(self, d: _Details) -> tuple[float, float]:
        """How many details a candidate adds, and how many of the chosen ones it repeats.

        Names, figures and days count one each, actions half (verbs vary more than facts). A
        name is new when most of its words are ("Amur Region" after "Amur" is not).
        """
        new_names = sum(2 * len(n - self.words) > len(n) for n in d.names)
        new_figures = sum(not self._known_figure(f) for f in d.figures)
        new_days = len(d.days - self.days)
        known = self.words | self.frame
        new_actions = len(d.actions - known)
        shared = (
            len(d.names)
            - new_names
            + len(d.figures)
            - new_figures
            + len(d.days & self.days)
            + 0.5 * len(d.actions & known)
        )
        fresh = new_names + new_figures + new_days + 0.5 * new_actions
        if d.quoted and 2 * len(d.quoted - self.words) > len(d.quoted):
            fresh += 1
        return fresh, shared


def _gain(
    x: tuple[float, _Group, StorySentence],
    covered: set[str],
    weights: Mapping[str, float],
    kinds: Counter[FactKind],
) -> float:
    """Coverage selection for the top eight: the weight of details not yet stated, per length.

    Retellings are already out of the running (`_Seen.restates`), so the eight slots go to
    distinct aspects (when, where, who, each figure, the consequence, a voice).
    """
    s = x[2]
    fresh = math.fsum(weights.get(t, 1.0) for t in s.tokens - covered)
    total = math.fsum(weights.get(t, 1.0) for t in s.tokens) or 1.0
    new = fresh + W_SEEN * (total - fresh)
    value = new / (max(8, len(s.tokens)) ** W_LEN) + W_BASE * x[0]
    value += W_MULTI * min(3, len(x[1].sources) - 1)  # confirmed by other outlets
    if VAGUE_START.match(s.text):
        value -= W_VAGUE  # leans on a sentence the reader will not see
    if _KEY_ACTION.search(s.text):
        value += W_ACT2
    if _MILESTONE.search(s.text):
        value += W_MILESTONE
    kind = s.kind or "other"
    if kind in ("quote", "when", "where", "number") and not kinds[kind]:
        value += W_KIND
    return value


def _mmr(
    x: tuple[float, _Group, StorySentence],
    chosen: list[tuple[float, _Group, StorySentence]],
    covered_toks: set[str],
    kinds: Counter[FactKind],
    index: EntityIndex,
) -> float:
    """A candidate's worth given what is already chosen: less for repeating it."""
    red = max((similarity(x[2].tokens, c[2].tokens) for c in chosen), default=0.0)
    seen = len(x[2].tokens & covered_toks) / (len(x[2].tokens) or 1)
    value = x[0] - W_RED * red - W_NOVEL * seen
    if len(chosen) >= 8:  # past the top eight, round the sheet out with missing kinds
        value += W_TAIL_RARE * x[2].rare  # and with details found nowhere else
        kind = x[2].kind or _kind_of(x[2], index)
        if kind == "number" and kinds[kind] < 3:
            value += 2.5
        elif kind in ("quote", "when", "where") and not kinds[kind]:
            value += 2.0
    return value


def _rare_details(s: StorySentence, name_df: Counter[str], n: int) -> int:
    """Details only this part of the story gives: uncommon names, figures, dates (capped).

    "North Korea" in every other sentence says nothing new; "Mansudae Assembly Hall" does.
    """
    rare = {m.text for m in s.mentions if name_df[m.text] <= max(2, n // 20)}
    return min(3, len(rare) + len(s.numbers) + sum(1 for d in s.dates if d.resolved))


def _specificity(s: StorySentence) -> int:
    """Concrete details a sentence carries: names, figures, dates (capped)."""
    names = {m.text for m in s.mentions}
    return min(4, len(names) + len(s.numbers) + len(s.dates))


def _representative(g: _Group) -> StorySentence:
    """The member most like the others; on ties the one whose dates resolved, then shorter."""
    if len(g.members) == 1:
        return g.members[0]

    def key(s: StorySentence) -> tuple[float, int, int]:
        sim = sum(similarity(s.tokens, o.tokens) for o in g.members if o is not s) / len(g.members)
        resolved = sum(1 for d in s.dates if d.resolved is not None)
        words = len(s.text.split())
        fit = 0.0 if 10 <= words <= 40 else -0.3
        return (round(sim + W_REP_DETAIL * _specificity(s) + fit, 1), resolved, -len(s.text))

    return max(g.members, key=key)


def _with_extras(
    facts: list[Fact],
    updates: list[Fact],
    index: EntityIndex,
    sents: list[StorySentence],
    sources: Mapping[str, str],
    limit: int,
) -> list[Fact]:
    """Rising tolls go in the top eight; who-with-role facts fill the remaining slots."""
    out = list(facts)
    for u in updates[:2]:
        out.insert(min(len(out), 3), u)
    shown = " ".join(f.text for f in out[:8]).lower()
    roled: list[tuple[Entity, str]] = []
    for ent in index.entities:
        if ent.kind != "person" or not ent.roles or ent.count < 2:
            continue
        if re.search(r"['’]s\b", ent.name) or len(ent.name.split()) < 2:
            continue
        role = _best_role(ent.roles)
        name_parts = {p.lower() for p in re.split(r"[\s-]+", ent.name)}
        if role and {p.lower() for p in re.split(r"[\s-]+", role)} & name_parts:
            role = ""  # "Choe Son" is part of the name, not a role
        if not role or f"{role} {ent.name}".lower() in shown:
            continue  # already introduced with its role in a top fact
        roled.append((ent, role))
    # A post says more of the story than a family tie: "Attorney General John Mitchell"
    # before "daughter Patricia LaRue". Only the four kept are looked up in the sentences.
    roled.sort(key=lambda er: er[1].split()[0].lower() in _KIN)
    who: list[Fact] = []
    for ent, role in roled[:4]:
        ids: list[str] = []
        for s in sents:
            if any(index.entity(m.text) is ent for m in s.mentions):
                ids.append(s.article_id)
        ids = list(dict.fromkeys(ids))
        text = f"{role} {ent.name}"
        if len(ent.variants) > 1:
            alts = [v for v in ent.variants if len(v.split()) >= 2 and v != ent.name]
            if alts:
                text += f" (also written {', '.join(alts[:2])})"
        who.append(Fact(text, "who", tuple(ids), len({sources[i] for i in ids})))
    return (out[:8] + who[:2] + out[8:] + who[2:])[:limit]


_KIN = frozenset(["daughter", "son", "wife", "husband", "sister", "brother", "mother", "father"])


def _best_role(roles: Sequence[str]) -> str:
    """The first role written as clean words (see `_clean_role`), or "" when none is."""
    for r in roles:
        clean = _clean_role(r)
        if clean:
            return clean
    return ""


_ROLE_WORD = re.compile(r"[A-Za-z][\w’'.&-]*")


def _clean_role(role: str) -> str:
    """The role words after any quotation or clause the words before a name ran into:
    'time," NSS director' is "NSS director", 'Lunne," said association chair' is
    "association chair"; "" unless one to six plain words remain."""
    tail = re.split(r"[\"“”‘«»()\[\],;:!?]|\.\s|\s[-–—]+\s", role)[-1]
    words = tail.split()
    while words and words[0].lower() in SPEECH_VERBS:
        words = words[1:]
    if not 1 <= len(words) <= 6 or not all(_ROLE_WORD.fullmatch(w) for w in words):
        return ""
    text = " ".join(words)
    return text if words[-1][:-1] in TITLE_ABBREVIATIONS else text.rstrip(".")  # "Gov."


from digests.answers import Answer, answer_question  # noqa: E402  (re-export; imports us lazily)

__all__ = [
    "Answer",
    "FactSheet",
    "answer_question",
    "extract_facts",
    "split_sentences",
]
