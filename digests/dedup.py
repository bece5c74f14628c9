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
from collections import Counter, OrderedDict
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
MIN_TOKENS = 8
MIN_BAND_HITS = 2
MAX_COMPARE = 16
BUCKET_CAP = 32  # shorter texts (bare headlines) are compared exactly, not by shingles

# Multiply-shift hashing (wrapping 64-bit a*x+b, top 32 bits) with a fixed seed, so
# signatures are the same on every run.
_rng = np.random.Generator(np.random.PCG64(20240601))
_A = (_rng.integers(0, 1 << 63, size=(NUM_PERM, 1), dtype=np.uint64) << np.uint64(1)) | np.uint64(1)
_B = _rng.integers(0, 1 << 63, size=(NUM_PERM, 1), dtype=np.uint64)


_NO_SIGNATURE = np.zeros(NUM_PERM, dtype=np.uint32)


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


_STEMS: dict[str, str | None] = {}


def _content_words(tokens: list[str], limit: int = 300) -> list[str]:
    memo = _STEMS
    if len(memo) > 300_000:
        memo.clear()
    out: list[str] = []
    for w in tokens:
        try:
            st = memo[w]
        except KeyError:
            st = memo[w] = None if w in STOP_WORDS else stem(w)
        if st is not None:
            out.append(st)
            if len(out) >= limit:
                break
    return out


def _shingles(tokens: list[str]) -> set[tuple[str, str, str]]:
    return set(zip(tokens, tokens[1:], tokens[2:], strict=False))


def _jaccard(a: set[tuple[str, str, str]], b: set[tuple[str, str, str]]) -> float:
    if not a or not b:
        return 0.0
    inter = len(a & b)
    return inter / (len(a) + len(b) - inter)


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

    def __init__(self, *, window: int = 20_000, lsh: bool = True) -> None:
        self._exact: dict[str, str] = {}
        self._buckets: dict[tuple[int, bytes], list[str]] = {}
        self._sigs: dict[str, np.ndarray] = {}  # uint32 signatures
        self._words: OrderedDict[str, list[str]] = OrderedDict()  # recent tokens
        self._content_cache: dict[str, list[str]] = {}
        self._word_hash: dict[str, int] = {}
        self._window = window
        # Without LSH only exact copies and the given candidates are checked: the clusterer
        # already knows which stories an article could copy from, and skips the band work.
        self._lsh = lsh

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
        key = _key(tokens)
        sig = self._signature(tokens) if self._lsh and len(tokens) >= MIN_TOKENS else None
        match = self._find(tokens, key, sig, candidates)
        self._store(article_id, tokens, key, sig)
        return match

    def check(self, text: str, *, candidates: Iterable[str] = ()) -> DuplicateMatch | None:
        """Like `add`, without indexing."""
        tokens = tokens_for_shingles(text)
        sig = self._signature(tokens) if self._lsh and len(tokens) >= MIN_TOKENS else None
        return self._find(tokens, _key(tokens), sig, candidates)

    def _find(
        self, tokens: list[str], key: str, sig: np.ndarray | None, candidates: Iterable[str]
    ) -> DuplicateMatch | None:
        if not tokens:
            return None
        if key in self._exact:
            return DuplicateMatch(self._exact[key], 1.0, "identical text")
        best: DuplicateMatch | None = None
        candidates = [c for c in candidates if c in self._words]
        if not self._lsh and candidates and len(tokens) >= MIN_TOKENS:
            mine = _shingles(tokens)
            for other in candidates:
                sim = _jaccard(mine, _shingles(self._words[other]))
                if sim >= SHINGLE_THRESHOLD and (best is None or sim > best.similarity):
                    best = DuplicateMatch(
                        other, sim, f"copied text: {sim:.0%} of word sequences shared"
                    )
        if sig is not None:
            likely: list[str] = []
            if self._lsh:
                # Count band collisions; a pair at the threshold shares several bands, so
                # only ids hit at least twice are compared in full.
                hits: Counter[str] = Counter()
                get = self._buckets.get
                for band, rows in enumerate(self._bands(sig)):
                    bucket = get((band, rows))
                    if bucket:
                        hits.update(bucket)
                likely = [o for o, h in hits.items() if h >= MIN_BAND_HITS]
                if len(likely) > MAX_COMPARE:
                    likely.sort(key=lambda o: -hits[o])
                    likely = likely[:MAX_COMPARE]
            known = set(likely)
            likely += [c for c in candidates if c not in known]
            if likely:
                sims = (np.stack([self._sigs[o] for o in likely]) == sig).mean(axis=1)
                for other, sim in zip(likely, sims.tolist(), strict=True):
                    if sim >= SHINGLE_THRESHOLD and (best is None or sim > best.similarity):
                        best = DuplicateMatch(
                            other, sim, f"copied text: {sim:.0%} of word sequences shared"
                        )
        if best is not None:
            return best
        words: list[str] | None = None
        for other in candidates:
            theirs = self._content(other)
            if theirs is None:
                continue
            if words is None:
                words = _content_words(tokens)
            sim = reworded_similarity(words, theirs)
            if sim >= REWORD_ORDER_THRESHOLD and (best is None or sim > best.similarity):
                best = DuplicateMatch(
                    other, sim, f"reworded copy: {sim:.0%} of content words in the same order"
                )
        return best

    def _content(self, article_id: str) -> list[str] | None:
        """Content words of a recent article, computed on first use (most never are)."""
        words = self._content_cache.get(article_id)
        if words is None:
            tokens = self._words.get(article_id)
            if tokens is None:
                return None
            words = self._content_cache[article_id] = _content_words(tokens)
        return words

    def _store(self, article_id: str, tokens: list[str], key: str, sig: np.ndarray | None) -> None:
        self._exact.setdefault(key, article_id)
        if sig is not None and self._lsh:
            for band, rows in enumerate(self._bands(sig)):
                bucket = self._buckets.setdefault((band, rows), [])
                bucket.append(article_id)
                if len(bucket) > BUCKET_CAP:  # boilerplate everyone shares: keep the newest
                    del bucket[0]
        if sig is None:
            sig = _NO_SIGNATURE
        self._sigs[article_id] = sig
        self._words[article_id] = tokens
        while len(self._words) > self._window:
            old, _ = self._words.popitem(last=False)
            self._content_cache.pop(old, None)

    def _hash_word(self, word: str) -> int:
        h = self._word_hash[word] = zlib.crc32(word.encode("utf-8"))
        return h

    def _signature(self, tokens: list[str]) -> np.ndarray:
        memo = self._word_hash
        if len(memo) > 500_000:  # bound memory on an endless stream
            memo.clear()
        hw = np.array(
            [memo[t] if t in memo else self._hash_word(t) for t in tokens], dtype=np.uint64
        )
        # A 3-gram's hash from its words' hashes: cheap, deterministic, order-sensitive.
        shingles = np.unique(
            (hw[:-2] * np.uint64(1_000_003) + hw[1:-1] * np.uint64(7919) + hw[2:])
            & np.uint64(0xFFFFFFFF)
        )
        return ((_A * shingles[None, :] + _B) >> np.uint64(32)).min(axis=1).astype(np.uint32)

    @staticmethod
    def _bands(sig: np.ndarray) -> Iterable[bytes]:
        raw = sig.tobytes()
        step = ROWS_PER_BAND * 4
        return (raw[i : i + step] for i in range(0, len(raw), step))
