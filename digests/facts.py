"""Key facts, headline choice, disagreements and answers, all extractive.

Placeholder implementation (lead sentences); replaced by the real extractor.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from digests.models import Article, Disagreement, Fact

_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"'“])")


@dataclass(frozen=True)
class FactSheet:
    facts: tuple[Fact, ...]
    disagreements: tuple[Disagreement, ...]


@dataclass(frozen=True)
class Answer:
    sentence: str
    article_ids: tuple[str, ...]
    score: float


def split_sentences(text: str) -> list[str]:
    return [s.strip() for s in _SENTENCE.split(text) if s.strip()]


def choose_headline(articles: Sequence[Article]) -> str:
    titles = [a.title for a in articles if a.title]
    return titles[0] if titles else (split_sentences(articles[0].text) or [""])[0][:120]


def extract_facts(articles: Sequence[Article], duplicates: Mapping[str, str]) -> FactSheet:
    facts = []
    for a in articles:
        lead = split_sentences(a.text)[:1]
        if lead:
            facts.append(Fact(lead[0], "event", (a.id,)))
    return FactSheet(tuple(facts[:8]), ())


def answer_question(articles: Sequence[Article], question: str, limit: int = 3) -> list[Answer]:
    q = {w.lower() for w in re.findall(r"\w{4,}", question)}
    scored = []
    for a in articles:
        for s in split_sentences(a.text):
            overlap = len(q & {w.lower() for w in re.findall(r"\w{4,}", s)})
            if overlap:
                scored.append(Answer(s, (a.id,), float(overlap)))
    scored.sort(key=lambda x: -x.score)
    return scored[:limit]
