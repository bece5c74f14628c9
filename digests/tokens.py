"""Content words, as fact extraction and answers compare sentences by them.

Kept apart so that figures and disagreements can use them without importing `digests.facts`.
"""

from __future__ import annotations

import math
import re
from functools import lru_cache

STOP_WORDS = frozenset(
    [
        "a",
        "an",
        "the",
        "and",
        "or",
        "but",
        "if",
        "of",
        "to",
        "in",
        "on",
        "at",
        "by",
        "for",
        "with",
        "from",
        "as",
        "is",
        "are",
        "was",
        "were",
        "be",
        "been",
        "being",
        "it",
        "its",
        "this",
        "that",
        "these",
        "those",
        "he",
        "she",
        "they",
        "them",
        "his",
        "her",
        "their",
        "we",
        "our",
        "you",
        "your",
        "i",
        "me",
        "my",
        "not",
        "no",
        "yes",
        "has",
        "have",
        "had",
        "do",
        "does",
        "did",
        "will",
        "would",
        "can",
        "could",
        "should",
        "may",
        "might",
        "must",
        "shall",
        "than",
        "then",
        "there",
        "here",
        "also",
        "about",
        "into",
        "over",
        "after",
        "before",
        "said",
        "says",
        "say",
        "told",
        "according",
        "which",
        "who",
        "whom",
        "whose",
        "what",
        "when",
        "where",
        "why",
        "how",
        "all",
        "any",
        "some",
        "such",
        "more",
        "most",
        "other",
        "than",
        "very",
        "just",
        "only",
        "own",
        "same",
        "so",
        "too",
        "both",
        "each",
        "few",
        "while",
        "during",
        "since",
        "until",
        "up",
        "down",
        "out",
        "off",
        "again",
        "further",
        "once",
        "new",
        "one",
        "two",
        "three",
        "mr",
        "ms",
        "mrs",
        "per",
        "via",
        "amid",
        "among",
        "against",
        "between",
        "through",
    ]
)
_IRREGULAR = {
    "met": "meet", "meeting": "meet", "meetings": "meet", "won": "win", "lost": "lose",
    "began": "begin", "fell": "fall", "rose": "rise", "died": "die", "dead": "die",
    "death": "die", "deaths": "die", "killed": "kill", "hit": "hit", "signed": "sign",
}  # fmt: skip


@lru_cache(maxsize=65536)
def stem(w: str) -> str:
    w = w.lower().replace("’", "'")
    if w in _IRREGULAR:
        return _IRREGULAR[w]
    if w.endswith("'s"):
        w = w[:-2]
    for suf in ("ing", "ed", "es", "s"):
        if len(w) > len(suf) + 3 and w.endswith(suf):
            return w[: -len(suf)]
    return w


def content_tokens(text: str) -> list[str]:
    """Lower-cased, lightly stemmed content words and numbers (commas dropped from numbers)."""
    out: list[str] = []
    for w in re.findall(r"\d[\d,.]*\d|\d|[A-Za-z][\w’'-]*", text):
        if w[0].isdigit():
            out.append(w.replace(",", "").rstrip("."))
            continue
        lw = w.lower()
        if lw in STOP_WORDS or len(lw) < 3:
            continue
        for part in lw.split("-"):
            if part and part not in STOP_WORDS and len(part) >= 2:
                out.append(stem(part))
    return out


def similarity(a: frozenset[str], b: frozenset[str]) -> float:
    """How much two token sets overlap, from 0 to 1 (cosine)."""
    if not a or not b:
        return 0.0
    return len(a & b) / math.sqrt(len(a) * len(b))
