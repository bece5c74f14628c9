"""Figures only one outlet reports, on a matter the other outlets cover too.

A story told by several independent outlets where one alone gives a number ("25,000 to 30,000
more troops", "a 35% reduction") is a difference a reader should see: the figure is
unconfirmed, and the others either leave it out or say it vaguely ("thousands"). Only figures
about what the story is about qualify: the thing counted comes up in at least two other
outlets, which give no figure for it themselves (a count they give too is an update or a
conflict, told elsewhere); a side detail only one outlet mentions at all is not flagged.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence

from digests.disagreements import GENERIC_UNITS
from digests.models import Disagreement
from digests.quantities import Quantity
from digests.story_sentences import StorySentence

# An outlet needs company for "only" to mean something.
MIN_SOURCES = 3
# Flagged per story at most: the most on-topic first.
MAX_FLAGGED = 2
# A line a reader can take in: a whole sentence of at least this many words.
MIN_WORDS = 6
# Values this close count as the same figure told again ("336,000" vs "336,681").
_SAME_FIGURE = 0.02
# Share of a sentence's words that two other outlets also use: the sentence is on the story.
_ON_TOPIC = 0.25


def single_source_figures(
    sents: Sequence[StorySentence], disputed: Collection[str] = (), limit: int = MAX_FLAGGED
) -> list[Disagreement]:
    """Figures one independent source alone states, most on-topic first.

    `sents` are whole source sentences, `source` their independent source (syndicated copies
    share one). `disputed` holds the texts of figures already in a reported disagreement:
    those are not flagged twice.
    """
    sources = {s.source for s in sents}
    if len(sources) < MIN_SOURCES:
        return []
    words_of: dict[str, set[str]] = {}
    values_of: dict[str, set[float]] = {}
    kinds_of: dict[str, set[tuple[bool, str, str]]] = {}
    for s in sents:
        words_of.setdefault(s.source, set()).update(s.tokens)
        values_of.setdefault(s.source, set()).update(q.value for q in s.numbers)
        kinds_of.setdefault(s.source, set()).update(_kind(q) for q in s.numbers if q.nouns)
    found: list[tuple[int, float, str, StorySentence, Quantity]] = []
    seen: set[tuple[str, float]] = set()
    for s in sents:
        for q in s.numbers:
            if not _figure(q, s.text) or q.text in disputed or (s.source, q.value) in seen:
                continue
            if not _sentence_like(s.text):
                break
            if any(f[3] is s for f in found):
                break  # one line a sentence, however many figures it gives
            others = [src for src in sources if src != s.source]
            if any(_same(q.value, v) for src in others for v in values_of[src]):
                continue
            if any(_kind(q) in kinds_of[src] for src in others):
                continue  # others count it too ("killed 19 people"): an update or a conflict
            counted = set(q.nouns) - GENERIC_UNITS
            covered = sum(bool(counted & words_of[src]) for src in others)
            if covered < 2:
                continue  # nobody else speaks of what it counts: a side detail
            topic = _topic_share(s, others, words_of)
            if topic < _ON_TOPIC:
                continue
            seen.add((s.source, q.value))
            found.append((covered, topic, s.article_id, s, q))
    found.sort(key=lambda f: (-f[0], -f[1], f[2], f[3].pos))
    out: list[Disagreement] = []
    for _, _, _, s, q in found[:limit]:
        copies = [
            x
            for x in sents
            if x.source == s.source and any(_same(q.value, p.value) for p in x.numbers)
        ]
        ids = tuple(dict.fromkeys(x.article_id for x in copies))
        out.append(Disagreement(f"Only {_credited(copies)} reports: {s.text}", ids))
    return out


def _credited(copies: Sequence[StorySentence]) -> str:
    """The outlet a figure is credited to, as the sources line shows it: a wire story and the
    sites that republished it are one source ("jamaica-gleaner.com (via 1 outlet)")."""
    outlets = list(dict.fromkeys(x.outlet or x.source for x in copies))
    original = next(
        (o for o in outlets if o.lower().removeprefix("www.") == copies[0].source), outlets[0]
    )
    others = len(outlets) - 1
    if not others:
        return original
    return f"{original} (via {others} outlet{'s' if others > 1 else ''})"


def _figure(q: Quantity, sentence: str) -> bool:
    """A counted amount written in digits, followed by what it counts: "seven matches" is a
    way of talking, "403 feet" a figure a reader could check, "1Q" a label."""
    end = q.start + len(q.text)
    glued = end < len(sentence) and sentence[end].isalpha()
    # What it counts follows it directly: "more than 80, civil protection officials said"
    # counts nothing its words say.
    counted = re.match(r"[ -]?(?:to [\d,.]+ )?[A-Za-z]", sentence[end:])
    return any(c.isdigit() for c in q.text) and bool(q.nouns) and not glued and bool(counted)


def _kind(q: Quantity) -> tuple[bool, str, str]:
    """What a figure counts, as far as telling "12 people" from "19 people" needs."""
    return (q.pct, q.currency, q.nouns[0] if q.nouns else "")


def _sentence_like(text: str) -> bool:
    """A whole sentence, not a fragment a page's markup left ("535), including a record")."""
    return bool(re.match(r"[\"“‘'(]?[A-Z]", text)) and len(text.split()) >= MIN_WORDS


def _same(a: float, b: float) -> bool:
    return abs(a - b) <= _SAME_FIGURE * max(abs(a), abs(b))


def _topic_share(s: StorySentence, others: Sequence[str], words_of: dict[str, set[str]]) -> float:
    words = [t for t in s.tokens if not t[0].isdigit()]
    if not words:
        return 0.0
    shared = sum(sum(t in words_of[src] for src in others) >= 2 for t in words)
    return shared / len(words)
