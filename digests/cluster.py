"""Online story clustering: each article joins a story or starts one.

Placeholder implementation (title-word overlap); replaced by the real clusterer.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable

from digests.models import Article, Assignment, StoryGroup

_WORD = re.compile(r"[A-Za-z][A-Za-z'-]{3,}")


def story_id_for(first_article_id: str) -> str:
    """A story is named after the article that started it, so ids survive re-runs."""
    return "s-" + hashlib.sha1(first_article_id.encode("utf-8")).hexdigest()[:12]


class StoryClusterer:
    def __init__(self) -> None:
        self._groups: dict[str, list[str]] = {}
        self._words: dict[str, set[str]] = {}
        self._assignments: dict[str, Assignment] = {}

    def add(self, article: Article) -> Assignment:
        if article.id in self._assignments:
            return self._assignments[article.id]
        words = {w.lower() for w in _WORD.findall(article.title + " " + article.text[:600])}
        best, best_score = None, 0.0
        for sid, sw in self._words.items():
            score = len(words & sw) / (len(words | sw) or 1)
            if score > best_score:
                best, best_score = sid, score
        if best is not None and best_score >= 0.2:
            self._groups[best].append(article.id)
            self._words[best] |= words
            result = Assignment(article.id, best, False, best_score)
        else:
            sid = story_id_for(article.id)
            self._groups[sid] = [article.id]
            self._words[sid] = words
            result = Assignment(article.id, sid, True, 0.0)
        self._assignments[article.id] = result
        return result

    def groups(self) -> list[StoryGroup]:
        return [StoryGroup(sid, tuple(ids)) for sid, ids in self._groups.items()]

    def assignment(self, article_id: str) -> Assignment | None:
        return self._assignments.get(article_id)


def cluster_articles(articles: Iterable[Article]) -> tuple[list[StoryGroup], dict[str, Assignment]]:
    clusterer = StoryClusterer()
    assignments = {a.id: clusterer.add(a) for a in articles}
    return clusterer.groups(), assignments
