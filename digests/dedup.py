"""Exact and near-duplicate detection: syndicated wire copies count as one source.

Two tiers, because copies come in two kinds:

* verbatim or lightly edited copies (a new dateline, an extra intro line, a trimmed end) share
  most word 3-grams: MinHash signatures with LSH banding find them without comparing against
  every stored article;
* reworded copies (a mirror that swaps words for synonyms) share few 3-grams but keep the
  original's content words *in the original order*; `reworded_similarity` measures that. It is
  too costly to run against everything, so callers run it only against a short candidate list
  (the clusterer passes the members of the story the article joins).

Two different articles about the same event share names and numbers but not their sentence
order, so they stay apart.
"""

from __future__ import annotations

import difflib
import hashlib
import logging
import zlib
from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

from digests.textfeatures import STOP_WORDS, stem, tokens_for_shingles

log = logging.getLogger(__name__)

NUM_PERM = 64
ROWS_PER_BAND = 2  # 32 bands: a pair with 3-gram Jaccard 0.3 becomes a candidate 95% of the time
SHINGLE_THRESHOLD = 0.3  # same-event articles by different writers stay under ~0.2
REWORD_ORDER_THRESHOLD = 0.45  # share of content words matched in order (shorter text)
REWORD_SET_THRESHOLD = 0.4  # Jaccard of content-word sets
MIN_TOKENS = 8  # shorter texts (bare headlines) are compared exactly, not by shingles

# Multiply-shift hashing (wrapping 64-bit a*x+b, top 32 bits) with a fixed seed, so
# signatures are the same on every run.
_rng = np.random.Generator(np.random.PCG64(20240601))
_A = (_rng.integers(0, 1 << 63, size=(NUM_PERM, 1), dtype=np.uint64) << np.uint64(1)) | np.uint64(1)
_B = _rng.integers(0, 1 << 63, size=(NUM_PERM, 1), dtype=np.uint64)


@dataclass(frozen=True)
class DuplicateMatch:
    """The earlier article this one copies, how similar they are, and why, in words."""

    original_id: str
    similarity: float
    reason: str


def exact_key(text: str) -> str:
    """Case-, punctuation- and whitespace-insensitive fingerprint of a text."""
    norm = " ".join(tokens_for_shingles(text))
    return hashlib.blake2b(norm.encode("utf-8"), digest_size=12).hexdigest()


def content_words(text: str, limit: int = 300) -> list[str]:
    """Stemmed non-stop words in reading order: what a rewording keeps."""
    out = [stem(w) for w in tokens_for_shingles(text) if w not in STOP_WORDS]
    return out[:limit]


def reworded_similarity(a: list[str], b: list[str]) -> float:
    """How much of the shorter text's content words the other has in the same order (0..1).

    Returns 0 early when the word sets differ too much, which keeps the costly alignment for
    likely copies.
    """
    if not a or not b:
        return 0.0
    sa, sb = set(a), set(b)
    if len(sa & sb) / len(sa | sb) < REWORD_SET_THRESHOLD:
        return 0.0
    sm = difflib.SequenceMatcher(None, a, b, autojunk=False)
    matched = sum(block.size for block in sm.get_matching_blocks())
    return matched / min(len(a), len(b))


class NearDuplicateIndex:
    """Finds the earlier article a new text copies: exact, shingled (MinHash LSH), reworded.

    Signatures are kept for every article (256 bytes each); content-word sequences only for the
    most recent `window` articles, since copies follow their original within days.
    """

    def __init__(self, *, window: int = 20_000) -> None:
        self._exact: dict[str, str] = {}
        self._buckets: dict[tuple[int, bytes], list[str]] = {}
        self._sigs: dict[str, np.ndarray] = {}
        self._words: OrderedDict[str, list[str]] = OrderedDict()
        self._word_hash: dict[str, int] = {}
        self._window = window

    def __len__(self) -> int:
        return len(self._sigs)

    def add(
        self, article_id: str, text: str, *, candidates: Iterable[str] = ()
    ) -> DuplicateMatch | None:
        """Index `text` and return the earliest-indexed article it copies, if any.

        `candidates` are extra ids to check for a reworded copy (e.g. the story's members).
        Adding a known id again returns None and changes nothing.
        """
        if article_id in self._sigs:
            return None
        tokens = tokens_for_shingles(text)
        match = self._find(tokens, text, candidates)
        self._store(article_id, tokens, text)
        return match

    def check(self, text: str, *, candidates: Iterable[str] = ()) -> DuplicateMatch | None:
        """Like `add`, without indexing."""
        return self._find(tokens_for_shingles(text), text, candidates)

    def _find(
        self, tokens: list[str], text: str, candidates: Iterable[str]
    ) -> DuplicateMatch | None:
        if not tokens:
            return None
        key = exact_key(text)
        if key in self._exact:
            return DuplicateMatch(self._exact[key], 1.0, "identical text")
        best: DuplicateMatch | None = None
        if len(tokens) >= MIN_TOKENS:
            sig = self._signature(tokens)
            seen: set[str] = set()
            for band, rows in enumerate(self._bands(sig)):
                for other in self._buckets.get((band, rows), ()):
                    if other in seen:
                        continue
                    seen.add(other)
                    sim = float(np.count_nonzero(self._sigs[other] == sig)) / NUM_PERM
                    if sim >= SHINGLE_THRESHOLD and (best is None or sim > best.similarity):
                        best = DuplicateMatch(
                            other, sim, f"copied text: {sim:.0%} of word sequences shared"
                        )
        if best is not None:
            return best
        words: list[str] | None = None
        for other in candidates:
            theirs = self._words.get(other)
            if theirs is None:
                continue
            if words is None:
                words = [stem(w) for w in tokens if w not in STOP_WORDS][:300]
            sim = reworded_similarity(words, theirs)
            if sim >= REWORD_ORDER_THRESHOLD and (best is None or sim > best.similarity):
                best = DuplicateMatch(
                    other, sim, f"reworded copy: {sim:.0%} of content words in the same order"
                )
        return best

    def _store(self, article_id: str, tokens: list[str], text: str) -> None:
        self._exact.setdefault(exact_key(text), article_id)
        if len(tokens) >= MIN_TOKENS:
            sig = self._signature(tokens)
            for band, rows in enumerate(self._bands(sig)):
                self._buckets.setdefault((band, rows), []).append(article_id)
        else:
            sig = np.zeros(NUM_PERM, dtype=np.uint64)
        self._sigs[article_id] = sig
        self._words[article_id] = [stem(w) for w in tokens if w not in STOP_WORDS][:300]
        while len(self._words) > self._window:
            self._words.popitem(last=False)

    def _hash_word(self, word: str) -> int:
        h = self._word_hash.get(word)
        if h is None:
            if len(self._word_hash) > 500_000:  # bound memory on an endless stream
                self._word_hash.clear()
            h = zlib.crc32(word.encode("utf-8"))
            self._word_hash[word] = h
        return h

    def _signature(self, tokens: list[str]) -> np.ndarray:
        hw = np.fromiter((self._hash_word(t) for t in tokens), dtype=np.uint64, count=len(tokens))
        # A 3-gram's hash from its words' hashes: cheap, deterministic, order-sensitive.
        shingles = np.unique(
            (hw[:-2] * np.uint64(1_000_003) + hw[1:-1] * np.uint64(7919) + hw[2:])
            & np.uint64(0xFFFFFFFF)
        )
        return ((_A * shingles[None, :] + _B) >> np.uint64(32)).min(axis=1)

    @staticmethod
    def _bands(sig: np.ndarray) -> Iterable[bytes]:
        raw = sig.tobytes()
        step = ROWS_PER_BAND * 8
        return (raw[i : i + step] for i in range(0, len(raw), step))
