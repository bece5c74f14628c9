"""Exact and near-duplicate detection: syndicated wire copies count as one source.

Two tiers, because copies come in two kinds:

* verbatim or lightly edited copies (a new dateline, an extra intro line, a trimmed end) share
  most word 3-grams. A bottom-k sketch (the k smallest 3-gram hashes, a MinHash variant that
  needs one hash per 3-gram) estimates their Jaccard similarity, and an inverted index over
  sketch values finds candidates without comparing against every stored article;
* reworded copies (a mirror that swaps words for synonyms) share few 3-grams but keep the
  original's content words *in the original order*; `reworded_similarity` measures that. It is
  too costly to run against everything, so callers run it only against a short candidate list
  (the clusterer passes the story members that are already close to the article).

Two different articles about the same event share names and numbers but not their sentence
order, so they stay apart. No numpy in the runtime path; the word alignment is
`digests.kernels.matched` (compiled when the C kernels are built).
"""

from __future__ import annotations

import hashlib
import logging
import zlib
from collections import Counter, OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass

from digests.kernels import first_stems, matched, shingle_jaccards
from digests.textfeatures import LOWER_STEMS, STOP_WORDS, stem, tokens_for_shingles

log = logging.getLogger(__name__)

SKETCH_SIZE = 32  # bottom-k: estimates Jaccard within about +-0.08 near 0.3
SHINGLE_THRESHOLD = 0.3  # same-event articles by different writers stay under ~0.2
REWORD_ORDER_THRESHOLD = 0.45  # share of content words matched in order (shorter text)
REWORD_SET_THRESHOLD = 0.4  # Jaccard of content-word sets
REWORD_MIN_WORDS = 30
MIN_TOKENS = 8  # shorter texts (bare headlines) are only compared exactly
MIN_SHARED = 2  # sketch values two texts must share to be compared
MAX_COMPARE = 16
POSTING_CAP = 32  # boilerplate 3-grams everyone shares: keep the newest ids only

Sketch = tuple[int, ...]


@dataclass(frozen=True)
class DuplicateMatch:
    """The earlier article this one copies, how similar they are, and why, in words."""

    original_id: str
    similarity: float
    reason: str


def exact_key(text: str) -> str:
    """Case-, punctuation- and whitespace-insensitive fingerprint of a text."""
    return _key(tokens_for_shingles(text))


def _key(tokens: list[str]) -> str:
    return hashlib.blake2b(" ".join(tokens).encode("utf-8"), digest_size=12).hexdigest()


def content_words(text: str, limit: int = 300) -> list[str]:
    """Stemmed non-stop words in reading order: what a rewording keeps."""
    return _content_words(tokens_for_shingles(text), limit)


_STEMS = LOWER_STEMS  # shared: feature extraction learns most words first


def _content_words(tokens: list[str], limit: int = 300) -> list[str]:
    return first_stems(tokens, _STEMS, _learn_stems, limit)


def _learn_stems(words: list[str]) -> None:
    """Add the stem of every word `_STEMS` lacks (None for a stop word); a bounded memo."""
    memo = _STEMS
    if len(memo) > 300_000:
        memo.clear()
    for w in set(words).difference(memo):
        memo[w] = None if w in STOP_WORDS else stem(w)


def sketch(tokens: list[str]) -> Sketch:
    """The SKETCH_SIZE smallest 3-gram hashes (crc32: the same on every run and machine)."""
    hashes = {
        zlib.crc32(f"{a} {b} {c}".encode())
        for a, b, c in zip(tokens, tokens[1:], tokens[2:], strict=False)
    }
    return tuple(sorted(hashes)[:SKETCH_SIZE])


def sketch_similarity(a: Sketch, b: Sketch) -> float:
    """Jaccard estimate: the share of the union's k smallest hashes that both texts have."""
    if min(len(a), len(b)) < REWORD_MIN_WORDS:  # short texts align by chance
        return 0.0
    sa, sb = set(a), set(b)
    bottom = sorted(sa | sb)[:SKETCH_SIZE]
    return sum(1 for h in bottom if h in sa and h in sb) / len(bottom)


def reworded_similarity(a: list[str], b: list[str]) -> float:
    """How much of the shorter text's content words the other has in the same order (0..1).

    Returns 0 early when the word sets differ too much, which keeps the costly alignment for
    likely copies.
    """
    return _reworded(a, set(a), b, set(b))


def _reworded(a: list[str], sa: set[str], b: list[str], sb: set[str], floor: float = 0.0) -> float:
    """`reworded_similarity` with the word sets already made (`sa = set(a)`, `sb = set(b)`).
    A result under `floor` may be any value under it (the alignment stops once it can no
    longer reach it)."""
    if min(len(a), len(b)) < REWORD_MIN_WORDS:  # short texts align by chance
        return 0.0
    inter = len(sa & sb)
    if inter / (len(sa) + len(sb) - inter) < REWORD_SET_THRESHOLD:
        return 0.0
    return matched(a, b, floor) / min(len(a), len(b))


class NearDuplicateIndex:
    """Finds the earlier article a new text copies: exact, shingled (sketch index), reworded.

    Sketches are kept for every article (32 ints each); word sequences only for the most
    recent `window` articles, since copies follow their original within days. With
    `lsh=False` only exact copies and the given candidates are checked: the clusterer already
    knows which articles a new one could copy, and skips the sketch work.
    """

    def __init__(self, *, window: int = 20_000, lsh: bool = True) -> None:
        self._exact: dict[str, str] = {}
        self._postings: dict[int, list[str]] = {}
        self._sketches: dict[str, Sketch] = {}
        self._known: set[str] = set()
        self._words: OrderedDict[str, list[str]] = OrderedDict()  # recent tokens
        self._content_cache: dict[str, tuple[list[str], set[str]]] = {}
        self._window = window
        self._lsh = lsh

    def __len__(self) -> int:
        return len(self._known)

    def add(
        self,
        article_id: str,
        text: str,
        *,
        candidates: Iterable[str] = (),
        tokens: list[str] | None = None,
    ) -> DuplicateMatch | None:
        """Index `text` and return the earlier article it copies, if any.

        `candidates` are extra ids to compare in full (e.g. the story's close members).
        `tokens`, when given, must be `tokens_for_shingles(text)` (saves reading it again).
        Adding a known id again returns None and changes nothing.
        """
        if article_id in self._known:
            return None
        if tokens is None:
            tokens = tokens_for_shingles(text)
        key = _key(tokens)
        sk = sketch(tokens) if self._lsh and len(tokens) >= MIN_TOKENS else None
        match = self._find(tokens, key, sk, candidates, article_id)
        self._store(article_id, tokens, key, sk)
        return match

    def check(self, text: str, *, candidates: Iterable[str] = ()) -> DuplicateMatch | None:
        """Like `add`, without indexing."""
        tokens = tokens_for_shingles(text)
        sk = sketch(tokens) if self._lsh and len(tokens) >= MIN_TOKENS else None
        return self._find(tokens, _key(tokens), sk, candidates)

    def compare(self, article_id: str, candidates: Iterable[str]) -> DuplicateMatch | None:
        """Is the indexed `article_id` a copy of one of the indexed `candidates`? (For
        articles that met after both were indexed, e.g. in a batch review.)"""
        tokens = self._words.get(article_id)
        if tokens is None:
            return None
        others = [c for c in candidates if c != article_id]
        return self._find(tokens, "", None, others)

    def _find(
        self,
        tokens: list[str],
        key: str,
        sk: Sketch | None,
        candidates: Iterable[str],
        new_id: str | None = None,
    ) -> DuplicateMatch | None:
        """With `new_id` (the id `tokens` are about to be stored under), the content words
        read here are cached for when it is a candidate itself. 3-grams are not kept: the
        kernel reads them from the tokens faster than a cached set would be looked up."""
        if not tokens:
            return None
        if key and key in self._exact:
            return DuplicateMatch(self._exact[key], 1.0, "identical text")
        best: DuplicateMatch | None = None
        candidates = [c for c in candidates if c in self._words]
        if candidates and len(tokens) >= MIN_TOKENS:
            sims = shingle_jaccards(tokens, [self._words[c] for c in candidates])
            if max(sims) >= SHINGLE_THRESHOLD:  # most texts copy none of their candidates
                for other, sim in zip(candidates, sims, strict=True):
                    if sim >= SHINGLE_THRESHOLD and (best is None or sim > best.similarity):
                        best = DuplicateMatch(
                            other, sim, f"copied text: {sim:.0%} of word sequences shared"
                        )
        if sk is not None:
            hits: Counter[str] = Counter()
            get = self._postings.get
            for h in sk:
                ids = get(h)
                if ids:
                    hits.update(ids)
            likely = [o for o, n in hits.most_common(MAX_COMPARE) if n >= MIN_SHARED]
            for other in likely:
                sim = sketch_similarity(sk, self._sketches[other])
                if sim >= SHINGLE_THRESHOLD and (best is None or sim > best.similarity):
                    best = DuplicateMatch(
                        other, sim, f"copied text: about {sim:.0%} of word sequences shared"
                    )
        if best is not None:
            return best
        words: list[str] | None = None
        word_set: set[str] = set()
        cache = self._content_cache
        for other in candidates:
            found = cache.get(other) or self._content(other)
            if found is None:
                continue
            theirs, their_set = found
            if words is None:
                words = _content_words(tokens)
                word_set = set(words)
                if new_id is not None:
                    cache[new_id] = (words, word_set)
                if len(words) < REWORD_MIN_WORDS:
                    break  # too short to align with any candidate (`_reworded`)
            # `_reworded(words, word_set, theirs, their_set, REWORD_ORDER_THRESHOLD)`,
            # inlined: most candidates fail its first two checks.
            if len(theirs) < REWORD_MIN_WORDS:
                continue
            inter = len(word_set & their_set)
            if inter / (len(word_set) + len(their_set) - inter) < REWORD_SET_THRESHOLD:
                continue
            shorter = min(len(words), len(theirs))
            sim = matched(words, theirs, REWORD_ORDER_THRESHOLD) / shorter
            if sim >= REWORD_ORDER_THRESHOLD and (best is None or sim > best.similarity):
                best = DuplicateMatch(
                    other, sim, f"reworded copy: {sim:.0%} of content words in the same order"
                )
        return best

    def _content(self, article_id: str) -> tuple[list[str], set[str]] | None:
        """Content words of a recent article (and their set), computed on first use (most
        never are)."""
        found = self._content_cache.get(article_id)
        if found is None:
            tokens = self._words.get(article_id)
            if tokens is None:
                return None
            words = _content_words(tokens)
            found = self._content_cache[article_id] = (words, set(words))
        return found

    def _store(self, article_id: str, tokens: list[str], key: str, sk: Sketch | None) -> None:
        self._known.add(article_id)
        self._exact.setdefault(key, article_id)
        if sk is not None:
            self._sketches[article_id] = sk
            for h in sk:
                ids = self._postings.setdefault(h, [])
                ids.append(article_id)
                if len(ids) > POSTING_CAP:
                    del ids[0]
        self._words[article_id] = tokens
        while len(self._words) > self._window:
            old, _ = self._words.popitem(last=False)
            self._content_cache.pop(old, None)
