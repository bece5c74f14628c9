"""Questions that name nothing but what they ask for: "when did it happen?", "where?", "who
was involved?", "why?", "what happens next?".

The story's own event is their subject. The words its reports put in their headlines and leads
say what that event is; a sentence stating it and giving what is asked (a date, a place, a
name, a cause, what is still to come) answers. Without such a sentence there is no answer: the
caller says "not found", never a guess.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence

from digests.dates import find_dates, reference_date
from digests.entities import find_mentions
from digests.models import Article
from digests.verbs import past_tense

EVENT_KINDS = frozenset({"when", "where", "who", "why", "next"})

# "what happens next?", "what's next?", "what are the next steps?"
NEXT_Q = re.compile(
    r"\bwhat(?:'s|’s| is| will| comes?| happens?)?\s+(?:happen\s+|come\s+)?next\b"
    r"|\bnext steps?\b|\bwhat now\b|\bwhat happens now\b"
)
WHY_Q = re.compile(r"\bwhy\b|\bwhat (?:caused|led to|triggered|prompted)\b|\bhow come\b")

_CLOCK = re.compile(r"\b\d{1,2}(?:[:.]\d{2})?\s*(?:a\.m\.|p\.m\.|am\b|pm\b)", re.IGNORECASE)
_PLACE = re.compile(r"\b(?:in|at|near|off|outside)\s+(?:the\s+)?[A-Z][\w'’-]+")
# A cause, not a time: "after" and "following" mostly tell when.
_CAUSE = re.compile(
    r"\b(?:because|due to|as a result of|caused by|blamed (?:it )?on|attributed to|triggered by"
    r"|prompted by|in response to|driven by|amid|the reason|reasons?\s+for|owing to"
    r"|stem(?:s|med)? from|weigh(?:s|ed|ing)? on|hurt by|hit by|fu(?:el|ell)ed by|spurred by)\b"
    # "blamed softer sales on", "attributed its sales decline partly to"
    r"|\b(?:blam|attribut)(?:e|es|ed|ing)\b[^.;:]{1,60}?\b(?:on|to)\b"
)
# The share of the story's headline words a sentence must hold: one telling when or where
# states the event itself; a cause or a next step is often told beside it.
MIN_COVER = {"when": 0.25, "where": 0.25, "who": 0.25, "why": 0.15, "next": 0.1}
# "will sign", "is expected to decide": the verb an outcome would put in the past
_FUTURE_VERB = re.compile(
    r"\b(?:will|(?:is|are)\s+(?:widely\s+)?(?:expected|set|scheduled|due|poised|likely)\s+to"
    r"|plans?\s+to)\s+(?:[a-z]+ly\s+)?([a-z]{3,})"
)
_AHEAD = re.compile(
    r"\b(?:will|is expected to|are expected to|is set to|are set to|(?:is|are) planning to"
    r"|is scheduled|are scheduled|is due to (?!\w+ed\b)|are due to (?!\w+ed\b)"
    r"|next (?:week|month|year)|later this (?:week|month|year))\b"
)
_PAST_INTENT = re.compile(r"\bwould have\b|\bhad planned\b")


def centre(articles: Sequence[Article], leads: Sequence[list[str]]) -> dict[str, float]:
    """The words the reports' headlines and leads share, each weighed by the share of reports
    using it: what the story is about. One report alone: its headline and lead."""
    counts: Counter[str] = Counter()
    for toks in leads:
        counts.update(set(toks))
    n = len(leads)
    need = 1 if n <= 2 else max(2, round(0.3 * n))
    return {t: c / n for t, c in counts.items() if c >= need}


def fits(kind: str, sentence: str, article: Article) -> bool:
    """Whether the sentence gives what the question asks for."""
    if kind == "when":
        if _AHEAD.search(sentence):
            return False  # "will meet on Thursday" is not when it happened
        dates = find_dates(sentence, reference_date(article))
        return bool(_CLOCK.search(sentence)) or any(
            d.resolved or d.month_day or d.form == "weekday" for d in dates
        )
    if kind == "where":
        return bool(_PLACE.search(sentence))
    if kind == "who":
        return any(len(m.text.split()) >= 2 for m in find_mentions(sentence))
    if kind == "why":
        return bool(_CAUSE.search(sentence)) and not _AHEAD.search(sentence)
    if kind == "next":
        return bool(_AHEAD.search(sentence)) and not _PAST_INTENT.search(sentence)
    return False


def event_score(toks: set[str], weights: dict[str, float], position: int) -> float:
    """How fully a sentence states the story's event, its report's opening first."""
    total = sum(weights.values())
    if not total:
        return 0.0
    covered = sum(w for t, w in weights.items() if t in toks) / total
    return covered / (1 + 0.05 * min(position, 20))


def overtaken(sentence: str, toks: set[str], told: Sequence[tuple[str, set[str]]]) -> bool:
    """Whether what the sentence has still to come another report tells as done: "are
    expected to sign a treaty" beside "signed a treaty" is out of date, no next step."""
    low = sentence.lower()
    verbs: set[str] = set()
    for m in _FUTURE_VERB.finditer(low):
        # "is expected to decide ... whether to grant": each awaited verb
        verbs.add(m.group(1))
        verbs.update(re.findall(r"\bto\s+([a-z]{3,})", low[m.end() : m.end() + 60]))
    verbs -= {"be", "have", "the"}
    if not verbs:
        return False
    done = re.compile(r"\b(?:" + "|".join(sorted(past_tense(v) for v in verbs)) + r")\b")
    return any(
        other != sentence and done.search(other) and len(toks & other_toks) >= 3
        for other, other_toks in told
    )
