"""Sentences an outlet repeats in story after story: donation appeals, newsletter prompts,
standard disclaimers and "about us" lines. They are page furniture, not facts, however
well they read; no rule list catches them all, but repetition across unrelated stories
gives them away.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import replace

from digests.models import Article
from digests.sentences import article_sentences, sentence_key
from digests.tokens import content_tokens

MIN_ARTICLES = 3  # an outlet's background paragraph reused once is still news
MIN_STORIES = 2  # updates of one story repeat their own sentences legitimately
MIN_WORDS = 1  # "Comments" under every item of a feed is its furniture too


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


def text_sentence_keys(article: Article) -> frozenset[str]:
    """Every sentence of the text as the clusterer reads it, page furniture included (split at
    every full stop: a footer needs no care for "Dr.", and this runs on every report)."""
    return frozenset(
        sentence_key(s)
        for line in article.text.splitlines()
        for s in _SENTENCE_END.split(line)
        if len(s.split()) >= MIN_WORDS
    )


_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")


def repeated_sentences(
    articles: Iterable[Article],
    keys_of: Callable[[Article], Iterable[str]] = text_sentence_keys,
) -> dict[str, frozenset[str]]:
    """Per source, the sentence keys it repeats in at least MIN_ARTICLES articles under as
    many different headlines: a footer or a promo, whatever stories the articles tell. The
    clusterer must not read them, or an outlet's footer would make one story of its reports on
    three events; unlike `recurring_sentences`, this needs no stories to be known yet."""
    by_source: dict[str, list[Article]] = {}
    for article in articles:
        by_source.setdefault(article.source, []).append(article)
    out: dict[str, frozenset[str]] = {}
    # One outlet at a time: a fortnight of a big stream is never held as sentences at once.
    for source, own in by_source.items():
        if len(own) < MIN_ARTICLES:
            continue
        seen: dict[str, dict[str, frozenset[str]]] = {}
        for article in own:
            title = frozenset(content_tokens(article.title))
            for key in keys_of(article):
                seen.setdefault(key, {})[article.id] = title
        found = frozenset(
            key
            for key, titles in seen.items()
            if len(titles) >= MIN_ARTICLES and _unrelated(titles.values(), MIN_ARTICLES)
        )
        if found:
            out[source] = found
    return out


def _unrelated(titles: Iterable[frozenset[str]], need: int) -> bool:
    """`need` headlines sharing no word: reports on different matters. Outlets' headlines on
    one story share its names ("Tarvane"), and a quote every report of it carries is news."""
    picked: list[frozenset[str]] = []
    for title in titles:
        if title and all(not (title & other) for other in picked):
            picked.append(title)
            if len(picked) >= need:
                return True
    return False


def without_sentences(article: Article, keys: Collection[str]) -> Article:
    """The article with those sentences taken out of its text (the same object when none
    is in it), lines kept as they were."""
    if not keys:
        return article
    lines: list[str] = []
    dropped = False
    for line in article.text.splitlines():
        parts = _SENTENCE_END.split(line)
        kept = [s for s in parts if sentence_key(s) not in keys]
        if len(kept) != len(parts):
            dropped = True
            lines.append(" ".join(kept))
        else:
            lines.append(line)
    return replace(article, text="\n".join(lines)) if dropped else article
