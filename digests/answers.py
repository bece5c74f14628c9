"""Follow-up questions answered with source sentences, never with invented text.

The best-matching sentences are ranked by word overlap (rare words count more) and by whether
they hold what the question asks for: a number for "how many", a date for "when", a name for
"who", a place for "where". No overlap means no answer; the caller then says so.
"""

from __future__ import annotations

import logging
import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from digests.dates import find_dates, reference_date
from digests.entities import find_mentions
from digests.models import Article

logger = logging.getLogger(__name__)

_Q_WORDS = frozenset(
    [
        "what",
        "which",
        "who",
        "whom",
        "whose",
        "when",
        "where",
        "why",
        "how",
        "many",
        "much",
        "did",
        "does",
        "do",
        "is",
        "are",
        "was",
        "were",
    ]
)


@dataclass(frozen=True)
class Answer:
    sentence: str
    article_ids: tuple[str, ...]
    score: float


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# "how long", "how tall": the measure asked for, and the units that state it.
_MEASURES: dict[str, frozenset[str]] = {
    "long": _words(
        "year years month months week weeks day days hour hours minute minutes second seconds"
        " foot feet ft mile miles km kilometre kilometres kilometer kilometers metre metres"
        " meter meters inch inches yard yards"
    ),
    "tall": _words("foot feet ft metre metres meter meters m inch inches storey story"),
    "high": _words("foot feet ft metre metres meter meters m mile miles km percent"),
    "far": _words("mile miles km kilometre kilometres kilometer kilometers foot feet"),
    "old": _words("year years old age aged"),
    "fast": _words("mph kph km/h knot knots mile miles kilometre kilometres"),
}
_MEASURES["deep"] = _MEASURES["tall"]
_MEASURES["wide"] = _MEASURES["far"]
_MEASURE_Q = re.compile(r"\bhow (" + "|".join(_MEASURES) + r")\b")
_NUMBER_Q = re.compile(
    r"\bhow (?:many|much|large|big|heavy|often)\b|\bwhat (?:number|share|percentage|amount)\b"
)
# British and American spellings of one word must meet ("defence" asked, "defense" written).
_US_SPELLING = {
    "defence": "defense",
    "offence": "offense",
    "licence": "license",
    "pretence": "pretense",
    "centre": "center",
    "metre": "meter",
    "litre": "liter",
    "theatre": "theater",
    "programme": "program",
    "travell": "travel",
    "cancell": "cancel",
    "aluminium": "aluminum",
    "grey": "gray",
}
_OUR_WORDS = _words(
    "colour favour honour labour neighbour harbour behaviour rumour humour flavour armour"
    " vapour endeavour savour valour vigour tumour"
)
_ISE_ROOTS = re.compile(
    r"^(organ|recogn|real|critic|apolog|author|privat|mobil|stabil|final|legal|minim|maxim"
    r"|summar|priorit|character|capital|normal|util|hospital|modern|central|special|civil"
    r"|custom|optim|emphas|penal|subsid|synchron|visual|terror|jeopard|sympath)is"
)


def _us_spelling(token: str) -> str:
    """One spelling for words British and American English spell apart."""
    for uk, us in _US_SPELLING.items():
        if token.startswith(uk):
            return us + token[len(uk) :]
    base = token.rstrip("s")
    if base in _OUR_WORDS or base[:-2] in _OUR_WORDS or base[:-3] in _OUR_WORDS:
        return token.replace("our", "or", 1)
    m = _ISE_ROOTS.match(token)
    if m:
        return m.group(1) + "iz" + token[m.end() :]
    return token


def _tokens(text: str) -> set[str]:
    """Content words, spelled one way; a final "e" goes, as the stemmer already drops it
    from "sentenced" but not from "sentence"."""
    from digests.facts import content_tokens

    out = set()
    for t in content_tokens(text):
        t = _us_spelling(t)
        out.add(t[:-1] if len(t) > 4 and t.endswith("e") else t)
    return out


def _question_type(question: str) -> tuple[str, frozenset[str]]:
    """What the question asks for, and for a measure ("how long") the units that state it."""
    q = question.lower()
    m = _MEASURE_Q.search(q)
    if m:
        return "number", _MEASURES[m.group(1)]
    if _NUMBER_Q.search(q):
        return "number", frozenset()
    if re.search(r"\bwhen\b|\bwhat (?:day|date|time|year)\b", q):
        return "when", frozenset()
    if re.search(r"\bwho\b|\bwhom\b|\bwhose\b", q):
        return "who", frozenset()
    if re.search(r"\bwhere\b|\bwhat (?:place|city|country)\b", q):
        return "where", frozenset()
    return "other", frozenset()


def _number_fit(sent: str, units: frozenset[str], asked: set[str]) -> float:
    """How well a sentence's figures fit a number question: a figure in the unit asked for
    ("how long" -> years, hours, feet) or counting what is asked ("how many troops") beats
    any figure; a sentence without a figure gains nothing."""
    from digests.facts import find_quantities

    found = [q for q in find_quantities(sent) if not q.text.isalpha()]
    if not found:
        return 1.0
    best = 2.0
    for qty in found:
        words = {w.lower().strip("-") for n in qty.nouns for w in n.split("-")}
        words.add(qty.unit.lower())
        if units and words & units:
            best = max(best, 3.0)
        counted = {_us_spelling(t) for w in words for t in _tokens(w)}
        if asked & counted:
            best = max(best, 3.0)
    return best if not units or best > 2.0 else 1.5


def answer_question(articles: Sequence[Article], question: str, limit: int = 3) -> list[Answer]:
    """Up to `limit` source sentences that answer `question`, best first; [] when none match."""
    from digests.facts import _content_sentences

    qtype, units = _question_type(question)
    # "how long", "how many": what kind of answer, not words the answer must share.
    asked = _NUMBER_Q.sub(" ", _MEASURE_Q.sub(" ", question.lower()))
    q_tokens = {t for t in _tokens(asked) if t not in _Q_WORDS}
    if not q_tokens:
        return []
    pool: list[tuple[str, str, set[str], Article]] = []
    df: Counter[str] = Counter()
    for a in articles:
        for s in _content_sentences(a):
            toks = _tokens(s)
            pool.append((a.id, s, toks, a))
            df.update(toks)
    n = max(1, len(pool))
    # Words every article uses (the story's topic: "ferry", "earthquake") say nothing about
    # what is asked; when the question also has specific words ("funnel", "colour"), an answer
    # must contain one of them, and none of them in any source means "not found".
    topic = {t for a in articles for t in _tokens(a.title)}
    topic |= {t for t, c in df.items() if c >= 0.4 * n and n >= 3}
    focus = q_tokens - topic
    if focus and not focus & set(df):
        return []
    merged: dict[str, tuple[float, str, list[str], set[str]]] = {}
    for aid, sent, toks, art in pool:
        overlap = q_tokens & toks
        if not overlap or (focus and not focus & toks):
            continue
        score = sum(math.log(1 + n / df[t]) for t in overlap) / math.sqrt(len(q_tokens))
        if qtype == "number":
            score *= _number_fit(sent, units, q_tokens)
        elif qtype == "when" and find_dates(sent, reference_date(art)):
            score *= 2.0
        elif qtype in ("who", "where"):
            ments = find_mentions(sent)
            names = [m for m in ments if m.text.lower() not in {w.lower() for w in overlap}]
            if qtype == "who" and any(len(m.text.split()) >= 2 for m in names):
                score *= 1.5
            if qtype == "where" and any(m.prep in ("in", "at", "near") for m in names):
                score *= 1.5
        key = re.sub(r"\W+", " ", sent.lower()).strip()
        if key not in merged:
            # A reworded copy of a sentence already kept cites its article there instead.
            for other_key, (_, _, _, other_toks) in merged.items():
                if len(toks & other_toks) / math.sqrt(len(toks) * len(other_toks) or 1) >= 0.75:
                    key = other_key
                    break
        if key in merged:
            old = merged[key]
            merged[key] = (max(old[0], score), old[1], old[2] + [aid], old[3])
        else:
            merged[key] = (score, sent, [aid], toks)
    if not merged:
        return []
    best = max(v[0] for v in merged.values())
    ranked = sorted(merged.values(), key=lambda v: -v[0])
    out = [
        Answer(sent, tuple(dict.fromkeys(ids)), round(score, 3))
        for score, sent, ids, _ in ranked
        if score >= 0.35 * best and score >= 0.8
    ]
    return out[:limit]
