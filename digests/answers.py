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


def _question_type(question: str) -> str:
    q = question.lower()
    if re.search(r"\bhow (?:many|much|large|big|long|far|high|old)\b|\bwhat (?:number|share)\b", q):
        return "number"
    if re.search(r"\bwhen\b|\bwhat (?:day|date|time|year)\b", q):
        return "when"
    if re.search(r"\bwho\b|\bwhom\b|\bwhose\b", q):
        return "who"
    if re.search(r"\bwhere\b|\bwhat (?:place|city|country)\b", q):
        return "where"
    return "other"


def answer_question(articles: Sequence[Article], question: str, limit: int = 3) -> list[Answer]:
    """Up to `limit` source sentences that answer `question`, best first; [] when none match."""
    from digests.facts import _content_sentences, content_tokens, find_quantities

    q_tokens = {t for t in content_tokens(question) if t not in _Q_WORDS}
    if not q_tokens:
        return []
    qtype = _question_type(question)
    pool: list[tuple[str, str, set[str], Article]] = []
    df: Counter[str] = Counter()
    for a in articles:
        for s in _content_sentences(a):
            toks = set(content_tokens(s))
            pool.append((a.id, s, toks, a))
            df.update(toks)
    n = max(1, len(pool))
    # Words every article uses (the story's topic: "ferry", "earthquake") say nothing about
    # what is asked; when the question also has specific words ("funnel", "colour"), an answer
    # must contain one of them, and none of them in any source means "not found".
    topic = {t for a in articles for t in content_tokens(a.title)}
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
        if (
            qtype == "number"
            and [q for q in find_quantities(sent) if not q.text.isalpha()]
            or qtype == "when"
            and find_dates(sent, reference_date(art))
        ):
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
