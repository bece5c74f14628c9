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
from datetime import UTC, date, datetime, timedelta

from digests.dates import (
    WEEKDAYS,
    DateMention,
    annotate,
    find_dates,
    fmt_date,
    reference_date,
    split_leading_dateline,
    written_years,
)
from digests.disagreements import number_conflicts, time_and_date_conflicts
from digests.early_reports import reported_ahead
from digests.entities import EntityIndex, Mention, find_mentions
from digests.models import Article, Disagreement, Fact, FactKind
from digests.normalize import strip_template_tags
from digests.quantities import Quantity, counted_words, find_quantities, in_range
from digests.single_source import single_source_figures
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
# Live-blog stamps and stray punctuation at the start of a sentence.
_LEAD_JUNK = re.compile(
    r"^(?:[^\w\"“‘'(]+|(?:last\s+)?updated?:?\s*(?:[A-Z][a-z]{2,8}\.? \d{1,2},?\s*)?"
    r"(?:\d{1,2}:\d\d\s*[ap]\.?m\.?\s*[A-Z]{0,4}\s*)?:\s*|editor'?s note:\s*|breaking:\s*)",
    re.IGNORECASE,
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
    r"|(?:Previously|Last year|In the past)\b)"
)
# Its coverage gain for the top eight is scaled by this: the event's own details come first
# (pages-devset: first 8 together 72 -> 73 of 100; Chandrayaan-2's 2019 crash, the iPhone's 2007
# queues and the earlier verdict leave the top eight).
W_BACKGROUND = 0.5
_SUBORDINATE = re.compile(r",\s*(?:which|who|whose|where|as|while|amid|after)\b|\bwhich\b")


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
_VAGUE_START = re.compile(
    r"^(?:It|This|That|These|Those|He|She|They|His|Her|Their|However|But|And|Also|Still|So|"
    r"Yet|Meanwhile|Then(?!-)|Even so|Nonetheless|Nevertheless)\b"
)

_ABBREV = frozenset(
    [
        "mr",
        "mrs",
        "ms",
        "dr",
        "st",
        "gov",
        "sen",
        "rep",
        "gen",
        "col",
        "lt",
        "sgt",
        "jr",
        "sr",
        "inc",
        "corp",
        "co",
        "ltd",
        "no",
        "vs",
        "etc",
        "fla",
        "calif",
        "ga",
        "ala",
        "tenn",
        "mass",
        "jan",
        "feb",
        "mar",
        "apr",
        "jun",
        "jul",
        "aug",
        "sep",
        "sept",
        "oct",
        "nov",
        "dec",
        "a.m",
        "p.m",
        "u.s",
        "u.k",
        "u.n",
        "e.g",
        "i.e",
        "approx",
        "est",
        "dept",
        "univ",
        "ft",
        "mt",
    ]
)
# A sentence may open with a quote, a parenthesis or a bracket ("[In January 2022, ...": an
# editor's insert or a scraper's leftover).
_SPLIT = re.compile(r"(?<=[.!?])([\"”’']?)\s+(?=[\"“'‘(\[]?[A-Z0-9])")
_QUOTE_RE = re.compile(r"[\"“]([^\"”]{12,}?)[\"”]")
_SPEECH = re.compile(
    r"\b(?P<pron>he|she|they)\s+(?:said|added|told|noted|stressed|warned)\b"
    r"|\b(?:said|added|told|noted)\s+(?P<pron2>he|she)\b",
    re.IGNORECASE,
)
_FURNITURE = re.compile(
    r"^(?:advertisement|related|read more|watch|photo|getty|copyright|all rights|subscribe|"
    r"sign up|share|follow|click|get latest|track the|listen|trending|also read|by\s+[A-Z])",
    re.IGNORECASE,
)
_MONTH_DAY = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November|December|"
    r"(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\.?) [0-3]?\d"
)
_DAY_MONTH = (
    r"(?:" + _MONTH_DAY + r"|[0-3]?\d (?:January|February|March|April|May|June|July|August|"
    r"September|October|November|December))(?:,? (?:19|20)\d\d)?"
)
_CAPTION = re.compile(r"\b(?:Photo|Image|Picture) (?:by|credit|:)|\(PHOTO|/EPA|/AFP|/Reuters", re.I)
# Photo captions written as sentences: "A sign ... is seen outside ...", "General view of ...".
_PHOTO = re.compile(
    r"\b(?:is|are) (?:seen|pictured|displayed)\b|^(?:General view|File photo|This (?:handout )?"
    r"(?:photo|image|picture|handout)|(?:A|The) (?:logo|sign)\b[\w ]{0,30}? (?:is|sits|stands|for)\b|"
    r"In this (?:\w+ )?photo)|\bphotograph(?:ed)? (?:released|provided|shows|distributed)|"
    r"\bprovided by\b.*\bshows\b|^[A-Z][a-z]+ [A-Z][a-z]+ / [A-Z]",
)
# A wire caption ends on its place and full date ("... arrives at court in New York, U.S.,
# August 11, 2023."), told in the present tense; a report of the past is news.
_CAPTION_END = re.compile(
    r"(?:(?<![a-z]day),|[A-Z][\w.]*, on) (?:[A-Z][a-z]+day, )?"
    + _MONTH_DAY
    + r", (?:19|20)\d\d\.?$"
)
_PAST = re.compile(r"\b(?:was|were|had|did|said|[a-z]{3,}ed)\b")
# A dateline opening a sentence: "SEOUL:", "MOSCOW/SEOUL -", "CUPERTINO, Calif. (AP) –",
# "Seoul, 19 June 2024 (dpa/MIA) -", "Jan. 26 (UPI) --".
_AGENCY = r"\s*\([^()]{1,24}\)"  # "(AP)", "(dpa/MIA)"
_DASH = r"\.?\s*(?:--|—|–|-)"
_STATE = r"(?:,\s*[A-Z][a-z]{1,5}\.)?"  # ", Calif."
_PLACE = r"[A-Z][a-z]+(?: [A-Z][a-z]+)?"
_DATELINE = re.compile(
    "^(?:"
    + "|".join(
        [
            # "SEOUL:", "MOSCOW/SEOUL -", "CUPERTINO, Calif. (AP) –", "NEW YORK (EFE).—"
            r"[A-Z]{2}[A-Z'-]+(?:[ /][A-Z][A-Z.'-]+)*" + _STATE + rf"(?:,\s*{_DAY_MONTH})?"
            rf"(?:{_AGENCY})?(?:{_DASH}|\s*:)",
            # "Seoul, 19 June 2024 (dpa/MIA) -": a mixed-case place needs an agency or a date
            _PLACE + _STATE + rf"(?:,\s*{_DAY_MONTH})?{_AGENCY}{_DASH}",
            _PLACE + _STATE + rf",\s*{_DAY_MONTH}{_DASH}",
            _DAY_MONTH + _AGENCY + _DASH,  # "Jan. 26 (UPI) --"
        ]
    )
    + r")\s+(?=[\"“‘'A-Z])"
)
# "Melbourne: It was ...": an article's opening may name its place with a colon. Elsewhere
# "Putin: Russia will ..." names a speaker, who must stay.
_OPENING_PLACE = re.compile("^" + _PLACE + r" ?:\s+(?=[A-Z][a-z])")
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


# Verbs that attribute words to a speaker.
_SPEECH_VERBS = frozenset(
    ["said", "says", "told", "tells", "asked", "asks", "added", "wrote", "shouted", "replied",
     "warned", "noted", "explained", "insisted", "declared", "demanded", "cried", "yelled",
     "exclaimed", "wondered", "tweeted", "posted", "recalled", "continued"]
)  # fmt: skip
# A quotation ending in a question or exclamation mark, closing quote included.
_ASKED = re.compile(r"[?!][\"”’']$")
_ASKED_THEN = re.compile(r"[?!][\"”]\s+(?=\S)")


def _attribution_of(quotation: str, after: str) -> bool:
    """Whether `after` only says who spoke the quotation ending `quotation` ("“Who will pay
    for this?” the chairman told the crowd."): it stays with it, as one sentence."""
    return bool(_ASKED.search(quotation)) and _says(after)


def _says(text: str) -> bool:
    """A short attribution: a speech verb within twelve words ("UHW chairman Viktor Salo
    told the crowd.")."""
    words = text.split()
    return len(words) <= 12 and any(w.strip(",.;:!?").lower() in _SPEECH_VERBS for w in words)


def _open_quote(text: str) -> bool:
    """Whether a text's quotation marks do not pair up (it ends a quotation begun before)."""
    return text.count('"') % 2 == 1 or text.count("”") > text.count("“")


def _join_quotation(merged: list[str]) -> None:
    """When the last piece ends a question or exclamation quoted over several pieces and
    says who spoke it, join the quotation's earlier pieces to it (up to three): "“Retraining
    for what? For watching robots?” Salo told the crowd." is one sentence."""
    last = merged[-1]
    ends = [m.end() for m in _ASKED_THEN.finditer(last)]
    if not ends or not _open_quote(last) or not _says(last[ends[-1] :]):
        return
    for n in range(2, min(4, len(merged)) + 1):
        joined = " ".join(merged[-n:])
        if not _open_quote(joined):
            merged[-n:] = [joined]
            return


# "majors.The Italian": a lost space between sentences (a lower-case word of three letters
# or more, a full stop, a capitalised word); "U.S.", "St.Louis" and domains do not match.
_GLUED = re.compile(r"(?<=[a-z]{3})\.(?=[A-Z][a-z]+\b)")


def split_sentences(text: str) -> list[str]:
    """Sentences of a text; line breaks always end one, abbreviations ("Gov.", "U.S.") do not."""
    out: list[str] = []
    for line in text.splitlines():
        line = line.strip()
        if not line:
            continue
        pieces = _SPLIT.split(_GLUED.sub(". ", line))
        # re.split with a group yields text, closing-quote, text, ...: glue quotes back on.
        buf = ""
        chunks: list[str] = []
        for i, piece in enumerate(pieces):
            if i % 2 == 1:
                buf += piece
                continue
            if buf:
                chunks.append(buf)
            buf = piece
        if buf:
            chunks.append(buf)
        merged: list[str] = []
        for chunk in chunks:
            if merged and (_ends_with_abbrev(merged[-1]) or _attribution_of(merged[-1], chunk)):
                merged[-1] = merged[-1] + " " + chunk
            else:
                merged.append(chunk)
            _join_quotation(merged)
        out.extend(c.strip() for c in merged if c.strip())
    return out


def _ends_with_abbrev(s: str) -> bool:
    m = re.search(r"(\S+)\.$", s)
    if not m:
        return False
    word = m.group(1).lower().lstrip('("“')
    return word in _ABBREV or len(word) == 1 or bool(re.fullmatch(r"(?:[a-z]\.)+[a-z]", word))


# A line's text up to its last sentence end followed by more text: "... 200,000 units. That's".
_COMPLETED = re.compile(r".*[a-z0-9%)][.!?][\"”’')]?(?=\s+\S)")


def _content_sentences(article: Article) -> list[str]:
    """The article's prose sentences, without page furniture, captions, bylines or datelines."""
    title_key = _norm(article.title)
    seen: set[str] = set()
    out: list[str] = []
    for raw in article.text.splitlines():
        line = raw.strip()
        if line.startswith("•"):
            line = line.lstrip("• ")  # a bullet point is prose; a menu of them is too short
        if not line or line.startswith(("http://", "https://")) or _FURNITURE.match(line):
            continue
        _, line = split_leading_dateline(line)
        if "{" in line:
            line = " ".join(strip_template_tags(line).split())
        line = re.sub(r"^[A-Z][A-Z .,'-]{2,40}(?:,\s*[A-Z][a-z.]+)?\s*(?:--|—|–)\s*", "", line)
        if _CAPTION.search(line):
            continue
        words = line.split()
        if len(words) < 25 and not re.search(r"[.!?][\"”’')]?$", line):
            # Headings, navigation and timestamps; but prose cut off mid-sentence (an excerpt
            # ends where it ends) keeps the sentences it completed.
            whole = _COMPLETED.match(line)
            if whole is None or len(whole.group(0).split()) < 8:
                continue
            line = whole.group(0)
        if title_key and _norm(line) == title_key and not line.endswith("."):
            continue  # the headline repeated; a title made from this sentence is no headline
        for s in split_sentences(line):
            s = _DATELINE.sub("", _LEAD_JUNK.sub("", s))
            if s.startswith("[") and "]" not in s:
                s = s[1:].lstrip()  # a bracket opened and never closed: page residue
            if not out:
                s = _OPENING_PLACE.sub("", s)
            key = _norm(s)
            if len(s.split()) < 5 or key in seen or _PHOTO.search(s):
                continue
            if _CAPTION_END.search(s) and not _PAST.search(s):
                continue
            seen.add(key)
            out.append(s)
    return out


def fact_sentences(article: Article) -> list[str]:
    """The sentences facts and answers are drawn from. A record with no body (a feed item that
    carries only its headline) offers its title: its outlet states that as much as a sentence."""
    texts = _content_sentences(article)
    if texts or not article.title.strip():
        return texts
    from digests.headlines import clean_title, usable_title  # headlines reads our sentences

    title = clean_title(article.title, article.source)
    return [title] if usable_title(title, article.source) else []


def _norm(s: str) -> str:
    return re.sub(r"\W+", " ", s.lower()).strip()


def sentence_key(sentence: str) -> str:
    """A sentence's identity across articles: case, punctuation and spacing ignored."""
    return _norm(sentence)


def article_sentences(article: Article) -> list[str]:
    """The prose sentences facts are drawn from (page furniture, captions and datelines
    left out)."""
    return _content_sentences(article)


# ---------------------------------------------------------------- clause-level shortenings

# Where a sentence's main statement ends and an add-on begins (relative, participial, adverbial
# or attribution clause); everything from here on may be dropped.
_CLAUSE_CUT = re.compile(
    r",\s+(?:which|who|whose|while|whereas|as(?!\s+(?:well|of|part|a\s+result|much|many|long))|"
    r"after|following|amid|according\s+to|saying|adding|citing|making|marking|bringing|leaving|"
    r"becoming|prompting|sending|forcing|but|although|though|even\s+as|despite|in\s+a\s+"
    r"(?:statement|post|move|sign)|where|when|with|just|less\s+than|more\s+than|two|three|"
    r"four|days?|weeks?|months?|hours?)\b"
    r"|\s+(?:—|–|--)\s+|;\s+|:\s+(?=[a-z])|\s+and\s+(?:said|says|added|told)\b"
)
# Clauses that are sentences of their own once split off ("...; the booster was lost").
_CLAUSE_TAIL = re.compile(r";\s+|,\s+(?:while|whereas|but)\s+(?=(?:the|a|an|[A-Z])\b)")
# ", who founded FTX," / ", which opened in 2024,": a non-restrictive aside mid-sentence.
_ASIDE = re.compile(
    r",\s+(?:who|which|whose)\s+[^,;:—–\"“”()]{3,90},\s+(?=(?:is|was|are|were|has|have|had|will|"
    r"would|can|could|said|says|met|won|lost|made|took|gave|held|led|became|[a-z]{3,}ed)\b)"
)
_PAREN = re.compile(r"\s*\([^()]{1,60}\)")
# ", the ministry said" / ", officials told reporters" / ", according to state media": generic
# attribution that names nobody; named speakers and sources stay.
_ATTRIB_TAIL = re.compile(
    r",\s+(?:(?:the\s+)?[a-z][a-z’' -]{1,40}?\s+(?:said|says|reported|reports|told\s+[a-z ]+|"
    r"announced)(?:\s+(?:on\s+)?(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|"
    r"today|yesterday))?(?:\s+in\s+a\s+[a-z ]+)?|according\s+to\s+(?:the\s+)?[a-z][a-z ]{2,40})"
    r"\s*[.!]?$"
)
_FINITE = re.compile(
    r"\b(?:is|was|are|were|has|have|had|will|would|can|could|did|does|do|may|might|must|"
    r"met|won|lost|said|says|made|took|gave|held|began|left|came|went|got|set|hit|ran|rose|fell|"
    r"sent|told|led|saw|paid|sold|bought|became|struck|brought|kept|spent|grew|drew|flew|"
    r"[a-z]{2,}ed|[a-z]{3,}(?:es|ts|ds|ns|ks|ys|rs|ls|ps))\b"
)
_SUBORDINATE_START = re.compile(
    r"^(?:If|Although|Though|While|When|Whether|Because|Unless|As|After|Before|Since|Once|"
    r"Despite|Even|Whereas|Until|Where|With|Without)\b"
)
_BAD_END = re.compile(
    r"\b(?:the|a|an|of|to|in|on|at|by|for|with|from|and|or|but|that|its|their|his|her|as|than)$",
    re.IGNORECASE,
)


def clauses(sentence: str) -> list[str]:
    """Self-contained, faithful shortenings of a long sentence, each stating one fact.

    The main clause without its add-ons (", which ...", ", while ...", "; ...", attribution
    such as ", the agency said", short parentheticals), and independent clauses split off at
    ";" or ", while". Nothing is reworded: each shortening is the source's own words, in order,
    with only whole clauses left out, so every name, number and counted noun it keeps is stated
    as the source states it. Returns [] when no shortening is safe.
    """
    words = len(sentence.split())
    if words < 14 or sentence.count('"') % 2 or sentence.count("“") != sentence.count("”"):
        return []
    out: list[str] = []
    body = sentence.rstrip().rstrip(".!")
    base = _ASIDE.sub(" ", body)
    base = _PAREN.sub("", base)
    m = _CLAUSE_CUT.search(base)
    head = base[: m.start()] if m else base
    head = _ATTRIB_TAIL.sub("", head)
    out.append(head)
    for tm in _CLAUSE_TAIL.finditer(body):
        tail = body[tm.end() :]
        nxt = _CLAUSE_CUT.search(tail)
        tail = _ATTRIB_TAIL.sub("", tail[: nxt.start()] if nxt else tail)
        if tail[:1].islower():
            tail = tail[0].upper() + tail[1:]
        if not _VAGUE_START.match(tail):
            out.append(tail)
    keep: list[str] = []
    for c in out:
        c = " ".join(c.split()).strip(" ,.;:")
        n = len(c.split())
        if n < 6 or n > words - 3 or _SUBORDINATE_START.match(c) or _BAD_END.search(c):
            continue
        if not _FINITE.search(c) or c.count("(") != c.count(")"):
            continue
        if c.count('"') % 2 or c.count("“") != c.count("”"):
            continue
        c += "."
        if c not in keep:
            keep.append(c)
    return keep


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
    sents: list[StorySentence] = []
    for a, texts in per_article:
        ref = reference_date(a, hint)
        last_person = ""
        for pos, text in enumerate(texts):
            dates = find_dates(text, ref, hint)
            mentions = find_mentions(text)
            toks = content_tokens(text)
            for mn in mentions:
                ent = index.entity(mn.text)
                if ent is not None:
                    toks.append("@" + ent.name.lower())
            quote, speaker = _quote_of(text, mentions, index, last_person)
            # "He said" in the next sentence most often means this sentence's subject.
            people = [
                e.name
                for mn in mentions
                if (e := index.entity(mn.text)) is not None and e.kind == "person"
            ]
            if people:
                last_person = people[0]
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


def _quote_of(
    text: str, mentions: list[Mention], index: EntityIndex, last_person: str
) -> tuple[str, str]:
    """The quoted words of a sentence and who said them ("he said" -> the last named person)."""
    m = _QUOTE_RE.search(text)
    if not m or len(m.group(1).split()) < 6:
        return "", ""
    speaker = ""
    persons = [
        index.canonical(mn.text)
        for mn in mentions
        if (e := index.entity(mn.text)) is not None
        and e.kind in ("person", "org")
        and not (m.start() < mn.start < m.end())
        and not re.match(r"['’]s\b", text[mn.end : mn.end + 3])  # "Lyubimova's visit"
    ]
    persons = [p for p in persons if len(p) >= 3 and not re.fullmatch(r"[A-Z.]{1,3}", p)]
    if persons:
        speaker = persons[-1] if m.start() < (mentions[-1].start if mentions else 0) else persons[0]
    elif _SPEECH.search(text) and last_person:
        speaker = last_person
    return m.group(1).strip().rstrip(","), speaker


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
    if kind != "quote" and not s.quote:
        # ", the ministry said" names nobody: the outlets cited are the attribution.
        trimmed = _ATTRIB_TAIL.sub("", s.shown.rstrip())
        if trimmed != s.shown.rstrip() and len(trimmed.split()) >= 6 and _FINITE.search(trimmed):
            return trimmed.rstrip(" ,.") + "."
    return s.shown


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
    whole_at = {_at(x): x for x in wholes}
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
            text, dated = _with_event_date(text, rep, backing, early)
            if dated is None and not any(d.resolved or d.month_day for d in rep.dates):
                # A confirming clause's weekday is in the sentence it was cut from.
                anchored = _anchored_weekday([whole_at.get(_at(x), x) for x in [rep, *backing]])
                if anchored is not None:
                    text, dated = f"{text.rstrip()} — {anchored[0]}", anchored[1]
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
        if _VAGUE_START.match(rep.text):
            score -= 0.7  # leans on a previous sentence the reader will not see
        if _APPEAL.search(rep.text):
            continue  # many reports of a crime end with one; it tells no fact of the story
        scored.append((score, g, rep))
    scored.sort(key=lambda x: -x[0])
    # The event fact: the best-supported lead sentence.
    leads = [x for x in scored if min(m.pos for m in x[1].members) <= 1]
    chosen: list[_Scored] = []
    if leads:
        # What was expected or is to come is not the event; a report of it nearly as well
        # supported is.
        done = [
            x for x in leads if x[0] >= leads[0][0] - 3 and not _PROSPECT.search(_main(x[2].text))
        ]
        chosen.append((done or leads)[0])
    # Greedy selection that rewards new information (maximal marginal relevance).
    remaining = [x for x in scored[:W_POOL] if x not in chosen]
    weights = _concept_weights(df)
    cache: dict[int, _Details] = {}

    def details(x: StorySentence) -> _Details:
        if id(x) not in cache:
            cache[id(x)] = _details_of(x, index)
        return cache[id(x)]

    frame, event_days = _event_frame(sents, details)
    years = _story_years(articles, sents)
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


def _with_event_date(
    text: str, rep: StorySentence, backing: list[StorySentence], leads: Sequence[StorySentence] = ()
) -> tuple[str, StorySentence | None]:
    """Give the event fact its date when its sentence has none, taking it from a confirming
    sentence (the most precise one: a full date, then a day without year).

    An undated "on Wednesday" also takes the date another outlet's lead gives for the same
    weekday: two reports of one event naming the same weekday mean the same day.
    """
    if any(d.resolved for d in rep.dates):
        return text, None
    weekdays = {
        w for d in rep.dates if d.form == "weekday" for w in d.text.lower().split() if w in WEEKDAYS
    }
    best: tuple[int, DateMention, StorySentence] | None = None
    for s in [rep, *backing]:
        for d in s.dates:
            if weekdays and d.resolved and d.resolved.strftime("%A").lower() not in weekdays:
                continue  # "on Saturday" is not given a Sunday's date
            rank = 2 if d.resolved else 1 if d.month_day else 0
            if rank and (best is None or rank > best[0]):
                best = (rank, d, s)
    if (best is None or best[0] < 2) and weekdays:
        for s in leads:
            for d in s.dates:
                if d.resolved and d.resolved.strftime("%A").lower() in weekdays:
                    best = (2, d, s)
                    break
            if best is not None and best[0] == 2:
                break
    if best is None and not rep.dates:
        best = _agreed_day(leads, rep)
    own = max((2 if d.resolved else 1 if d.month_day else 0 for d in rep.dates), default=0)
    if best is None or best[2] is rep or best[0] <= own:
        return text, None  # nothing more precise than what the sentence already says
    _, d, s = best
    shown = d.display
    if d.resolved and d.form == "weekday":
        shown = f"{d.resolved.strftime('%A')}, {shown}"
    return f"{text.rstrip()} — {shown}", s


def _at(s: StorySentence) -> tuple[str, int]:
    """Where a sentence stands: a clause shares it with the sentence it was cut from."""
    return (s.article_id, s.pos)


def _anchored_weekday(backing: Sequence[StorySentence]) -> tuple[str, StorySentence] | None:
    """An undated report's "Wednesday night" dated by the other reports of the same fact.

    The event happened on or before the earliest day a confirming report speaks from, and news
    names a weekday only for the past week: the weekday resolves to the last such day on or
    before it. Used only when no sentence of the fact gives a date of its own.
    """
    days = [s.day for s in backing if s.day is not None]
    if not days:
        return None
    anchor = min(days)
    for s in backing:
        if s.day is not None:
            continue  # its own date would have resolved the weekday already
        for d in s.dates:
            if d.form != "weekday" or d.resolved is not None:
                continue
            names = [w for w in d.text.lower().split() if w in WEEKDAYS]
            if len(names) != 1:
                continue
            back = (anchor.weekday() - WEEKDAYS.index(names[0])) % 7
            day = anchor - timedelta(days=back)
            return f"{day.strftime('%A')}, {fmt_date(day)}", s
    return None


def _agreed_day(
    leads: Sequence[StorySentence], rep: StorySentence
) -> tuple[int, DateMention, StorySentence] | None:
    """The full date that the openings of two or more other outlets give, when no other date
    is given as often: an event fact with no date of its own still says when. An opening that
    names only the weekday ("on Sunday", no year to resolve it) agrees with a date on that
    weekday."""
    outlets: dict[date, set[str]] = {}
    first: dict[date, tuple[DateMention, StorySentence]] = {}
    named: dict[str, set[str]] = {}  # weekday -> outlets naming it unresolved
    for s in leads:
        if s.source == rep.source:
            continue
        for d in s.dates:
            if d.resolved is not None:
                outlets.setdefault(d.resolved, set()).add(s.source)
                first.setdefault(d.resolved, (d, s))
            elif d.form == "weekday":
                for w in d.text.lower().split():
                    if w in WEEKDAYS:
                        named.setdefault(w, set()).add(s.source)
    for day, told in outlets.items():
        told |= named.get(day.strftime("%A").lower(), set())
    ranked = sorted(outlets.items(), key=lambda kv: (-len(kv[1]), kv[0]))
    if not ranked or len(ranked[0][1]) < 2:
        return None
    if len(ranked) > 1 and len(ranked[1][1]) == len(ranked[0][1]):
        return None  # two days told as often: no agreement
    d, s = first[ranked[0][0]]
    return 2, d, s


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
    unquoted = _QUOTE_RE.sub(" ", s.text[:told_from])
    actions = frozenset(stem(w)[:6] for w in _ACTION.findall(unquoted) if w not in _NOT_ACTIONS)
    quoted = _word_keys(s.quote) if s.quote else frozenset()
    return _Details(tuple(names), figures, frozenset(days), actions, quoted)


def _event_frame(
    sents: Sequence[StorySentence], details: Callable[[StorySentence], _Details]
) -> tuple[frozenset[str], frozenset[str]]:
    """The event's own actions and days: those two or more outlets open with.

    Outlets retell the event in their own verbs ("approved", "cleared", "granted"); a verb in
    several openings is the event, not a new thing done. The day they agree on is the one the
    event fact is given (`_with_event_date`).
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
    if _VAGUE_START.match(s.text):
        value -= W_VAGUE  # leans on a sentence the reader will not see
    if _KEY_ACTION.search(s.text):
        value += W_ACT2
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
    who: list[Fact] = []
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
        if len(who) >= 4:
            break
    return (out[:8] + who[:2] + out[8:] + who[2:])[:limit]


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
    while words and words[0].lower() in _SPEECH_VERBS:
        words = words[1:]
    if not 1 <= len(words) <= 6 or not all(_ROLE_WORD.fullmatch(w) for w in words):
        return ""
    return " ".join(words).rstrip(".")


from digests.answers import Answer, answer_question  # noqa: E402  (re-export; imports us lazily)

__all__ = [
    "Answer",
    "FactSheet",
    "answer_question",
    "extract_facts",
    "split_sentences",
]
