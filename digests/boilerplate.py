"""Sentences an outlet repeats in story after story: donation appeals, newsletter prompts,
standard disclaimers and "about us" lines. They are page furniture, not facts, however
well they read; no rule list catches them all, but repetition across unrelated stories
gives them away.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

from digests.models import Article
from digests.sentences import article_sentences, sentence_key

MIN_ARTICLES = 3  # an outlet's background paragraph reused once is still news
MIN_STORIES = 2  # updates of one story repeat their own sentences legitimately


def sentence_keys(article: Article) -> frozenset[str]:
    return frozenset(sentence_key(s) for s in article_sentences(article))


def recurring_sentences(
    stories: Iterable[Sequence[Article]],
    keys_of: Callable[[Article], Iterable[str]] = sentence_keys,
) -> dict[str, frozenset[str]]:
    """Per source, the sentence keys (`sentences.sentence_key`) it repeats word for word in at
    least MIN_ARTICLES of its articles spread over at least MIN_STORIES stories. `keys_of`
    may serve an article's keys from a cache."""
    seen: dict[tuple[str, str], tuple[set[int], set[str]]] = {}
    for number, articles in enumerate(stories):
        for article in articles:
            for key in keys_of(article):
                in_stories, in_articles = seen.setdefault((article.source, key), (set(), set()))
                in_stories.add(number)
                in_articles.add(article.id)
    found: dict[str, set[str]] = {}
    for (source, key), (in_stories, in_articles) in seen.items():
        if len(in_articles) >= MIN_ARTICLES and len(in_stories) >= MIN_STORIES:
            found.setdefault(source, set()).add(key)
    return {source: frozenset(keys) for source, keys in found.items()}
