"""The clusterer's innermost loops, in plain Python and (when built) compiled.

Placing an article runs a few small loops tens of thousands of times: sparse dot products
against story centroids and members, postings counts, tf-idf vectors, token tallies, word
alignment for reworded copies. The functions below are the reference implementations;
`digests/_speedups.c` mirrors each one in C, with the same results: the same floats, summed
in the same order (the smaller vector's insertion order, then `sum`'s rules), and the same
tie-breaking. At import the compiled ones replace these unless the extension is missing (no
compiler when installing) or NEWSDIGEST_PURE_PYTHON=1. `COMPILED` says which are in use.

Callers import the names from here (`from digests.kernels import dot`), so they get
whichever is in use when they are imported.
"""

from __future__ import annotations

import math
import os
import re
import sys
from collections.abc import Callable, Iterable, Sequence
from itertools import islice
from typing import Any

Vector = dict[str, float]
# A token's feature key, kind (WORD, CAPITALISED or NUMBER) and display form; None when the
# token is not a feature (textfeatures._classify).
TokenInfo = tuple[str, int, str] | None
WORD, CAPITALISED, NUMBER = 0, 1, 2
# A word (letters, with inner apostrophes) or a number (with inner separators). Hyphens split
# words: "Jong-un" and "Jong Un" must meet.
TOKEN = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*|\d+(?:[.,]\d+)*")


MONTH_NAMES_RE = (
    r"Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|"
    r"Sept?(?:ember)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?"
)
# Dates (textfeatures.extract_dates), one pass for all three forms: "June 29(, 2025)",
# "29 June( 2025)", "2025-06-29"; and "on Monday", "last Friday".
DATE_ANY = re.compile(
    r"(?=[JFMASOND0-9])(?:"
    rf"(?P<md_m>{MONTH_NAMES_RE})\.?\s+(?P<md_d>\d{{1,2}})(?:st|nd|rd|th)?\b(?:,?\s+(?P<md_y>\d{{4}}))?"
    rf"|\b(?P<dm_d>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<dm_m>{MONTH_NAMES_RE})\.?(?:,?\s+(?P<dm_y>\d{{4}}))?"
    r"|\b(?P<iso_y>(?:19|20)\d\d)-(?P<iso_m>\d\d)-(?P<iso_d>\d\d)\b"
    r")"
)
WEEKDAY = re.compile(
    r"(?=[oletOLET])\b(?:[Oo]n|[Ll]ate|[Ee]arly|[Ll]ast|[Tt]his)\s+(Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b"
)
# The nine groups of a DATE_ANY match: md_m md_d md_y, dm_d dm_m dm_y, iso_y iso_m iso_d;
# each a str or None (typed as `re.Match.groups` types them: the pattern says which are set).
DateGroups = tuple[Any, ...]


def py_find_dates(text: str, /) -> list[tuple[int, DateGroups]]:
    """Where each DATE_ANY match starts and its groups, as `DATE_ANY.finditer` finds them."""
    return [(m.start(), m.groups()) for m in DATE_ANY.finditer(text)]


_WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def py_find_weekdays(text: str, /) -> list[tuple[int, str]]:
    """Where each WEEKDAY match ("on Monday") starts and its weekday, as `finditer` finds
    them. A match needs a weekday's name: a text naming none is not scanned."""
    if not any(name in text for name in _WEEKDAY_NAMES):
        return []
    return [(m.start(), m.group(1)) for m in WEEKDAY.finditer(text)]


def py_tokenize(text: str, intern: bool = False, /) -> list[str]:
    """`TOKEN.findall(text)`; with `intern`, each token `sys.intern`ed (tokens kept for a
    while then share one string per word)."""
    tokens = TOKEN.findall(text)
    return list(map(sys.intern, tokens)) if intern else tokens


def py_dot(a: Vector, b: Vector, /) -> float:
    """Sparse dot product. Iterates the smaller vector (the first on a tie) in insertion
    order, so the sum's rounding does not depend on hash order."""
    if len(a) > len(b):
        a, b = b, a
    return sum([w * b[t] for t, w in a.items() if t in b], 0.0)


def py_best_member(
    vec: Vector, members: Sequence[tuple[str, Vector]], min_cos: float, /
) -> tuple[float, list[str]]:
    """Best-member linkage: the highest dot product of `vec` with a member (0.0 at least)
    and the ids of the members at least `min_cos` close (copy candidates), in order."""
    best = 0.0
    close: list[str] = []
    for aid, mv in members:
        cm = py_dot(vec, mv)
        if cm > best:
            best = cm
        if cm >= min_cos:
            close.append(aid)
    return best, close


def py_top_hits(vec: Vector, postings: dict[str, list[int]], n_terms: int, k: int, /) -> list[int]:
    """Candidate stories: each of the first `n_terms` terms of `vec` adds its weight to the
    stories its postings list; the `k` with the highest totals, ties by the lower index."""
    hits: dict[int, float] = {}
    hget = hits.get
    for term, w in islice(vec.items(), n_terms):
        for idx in postings.get(term, ()):
            hits[idx] = hget(idx, 0.0) + w
    return [idx for _, idx in sorted([(-h, idx) for idx, h in hits.items()])[:k]]


def py_add_into(dst: Vector, src: Vector, /) -> None:
    """dst += src (a centroid absorbing a vector)."""
    get = dst.get
    for t, w in src.items():
        dst[t] = get(t, 0.0) + w


def py_tfidf_vector(terms: Vector, df: dict[str, int], n: float, k: int, /) -> Vector:
    """The `k` strongest terms weighted by log(n / (df + 0.5)), ties by term, scaled to unit
    length; insertion order = descending weight (the strongest terms are the first items)."""
    ranked = sorted([(-w * math.log(n / (df.get(t, 0) + 0.5)), t) for t, w in terms.items()])
    ranked = ranked[:k]
    norm = math.sqrt(sum([w * w for w, _ in ranked])) or 1.0
    return {t: -w / norm for w, t in ranked}


def py_matched(a: Sequence[str], b: Sequence[str], floor: float, /) -> int:
    """Words in matching blocks: `sum(block.size for block in difflib.SequenceMatcher(None,
    a, b, autojunk=False).get_matching_blocks())`, by the same algorithm (so the same
    blocks) without its bookkeeping (no junk, no named tuples, no block list).

    With a non-zero `floor`, stops early with a count whose share of the shorter text is
    under `floor` once the blocks found plus the most the ranges left could add fall under
    it."""
    shorter = min(len(a), len(b))
    possible = shorter  # matched + what the queued ranges could add at most
    b2j: dict[str, list[int]] = {}
    for j, word in enumerate(b):
        b2j.setdefault(word, []).append(j)
    nothing: list[int] = []
    matched = 0
    queue = [(0, len(a), 0, len(b))]
    while queue:
        alo, ahi, blo, bhi = queue.pop()
        # difflib's find_longest_match: the longest a[i:i+k] == b[j:j+k] in the ranges,
        # earliest in a, then earliest in b.
        besti, bestj, bestsize = alo, blo, 0
        j2len: dict[int, int] = {}
        for i in range(alo, ahi):
            j2lenget = j2len.get
            newj2len: dict[int, int] = {}
            for j in b2j.get(a[i], nothing):
                if j < blo:
                    continue
                if j >= bhi:
                    break
                k = newj2len[j] = j2lenget(j - 1, 0) + 1
                if k > bestsize:
                    besti, bestj, bestsize = i - k + 1, j - k + 1, k
            j2len = newj2len
        while besti > alo and bestj > blo and a[besti - 1] == b[bestj - 1]:
            besti, bestj, bestsize = besti - 1, bestj - 1, bestsize + 1
        while (
            besti + bestsize < ahi
            and bestj + bestsize < bhi
            and a[besti + bestsize] == b[bestj + bestsize]
        ):
            bestsize += 1
        possible -= min(ahi - alo, bhi - blo)
        if bestsize:
            matched += bestsize
            possible += bestsize
            if alo < besti and blo < bestj:
                queue.append((alo, besti, blo, bestj))
                possible += min(besti - alo, bestj - blo)
            if besti + bestsize < ahi and bestj + bestsize < bhi:
                queue.append((besti + bestsize, ahi, bestj + bestsize, bhi))
                possible += min(ahi - besti - bestsize, bhi - bestj - bestsize)
        if floor and possible / (shorter or 1) < floor:
            return possible
    return matched


class _Sublinear(dict[float, float]):
    """Raw weight -> sublinear tf, memoised: weights are multiples of 1/4, so the same few
    values recur."""

    def __missing__(self, w: float) -> float:
        if len(self) > 100_000:
            self.clear()
        value = self[w] = (1.0 + math.log(w)) if w > 1.0 else w
        return value


_SUBLINEAR = _Sublinear()


def py_sublinear(terms: Vector, /) -> Vector:
    """Sublinear term frequency: a raw weight w over 1 becomes 1 + log(w) (the tenth
    mention of a word adds little); same keys, same order."""
    return dict(zip(terms, map(_SUBLINEAR.__getitem__, terms.values()), strict=True))


def py_first_stems(
    tokens: Sequence[str],
    memo: dict[str, str | None],
    learn: Callable[[list[str]], None],
    limit: int,
    /,
) -> list[str]:
    """The first `limit` (at least one) true values of `memo[t]` for the tokens, in order
    (a token's stem, None for a stop word): what a rewording keeps. `learn(words)` adds the
    words memo lacks. Long texts go by slices, so one costs about as much as its first
    content words."""
    out: list[str] = []
    limit = max(limit, 1)
    step = 2 * limit
    for start in range(0, len(tokens), step):
        chunk = list(tokens[start : start + step])
        try:
            stems = list(map(memo.__getitem__, chunk))
        except KeyError:
            learn(chunk)
            stems = list(map(memo.__getitem__, chunk))
        out += filter(None, stems)
        if len(out) >= limit:
            return out[:limit]
    return out


def py_shingle_jaccards(a: Sequence[str], others: Sequence[Sequence[str]], /) -> list[float]:
    """Jaccard similarity of the set of word 3-grams of token list `a` with that of each of
    `others` (0.0 where either has none): how much running text two articles share."""
    sa = set(zip(a, a[1:], a[2:], strict=False))
    out: list[float] = []
    for b in others:
        sb = set(zip(b, b[1:], b[2:], strict=False))
        if not sa or not sb:
            out.append(0.0)
            continue
        inter = len(sa & sb)
        out.append(inter / (len(sa) + len(sb) - inter))
    return out


def py_add_tokens(
    tokens: Sequence[str],
    weight: float,
    number_weight: float,
    memo: dict[str, TokenInfo],
    learn: Callable[[str], TokenInfo],
    terms: Vector,
    caps: Vector,
    lower_seen: set[str],
    names: dict[str, str],
    numbers: set[str],
    /,
) -> None:
    """Tally tokens into an article's features (textfeatures.extract_with_tokens): each
    token's key, kind and display form come from `memo`, or `learn(token)` when unseen.
    Words count `weight` (and are noted as seen in lower case), capitalised words too (and
    as name candidates, first display form kept), numbers `number_weight`."""
    for tok in tokens:
        try:
            info = memo[tok]
        except KeyError:
            info = learn(tok)
        if info is None:
            continue
        key, kind, display = info
        if kind == WORD:
            terms[key] = terms.get(key, 0.0) + weight
            lower_seen.add(key)
        elif kind == CAPITALISED:
            terms[key] = terms.get(key, 0.0) + weight
            caps[key] = caps.get(key, 0.0) + weight
            if key not in names:
                names[key] = display
        else:
            numbers.add(key)
            terms[key] = terms.get(key, 0.0) + number_weight


def py_post(
    postings: dict[str, list[int]], vec: Vector, n_terms: int, idx: int, cap: int, /
) -> None:
    """Index story `idx` under the first `n_terms` terms of `vec`: last in each postings
    list (moved there if listed already), a list keeping its `cap` most recent stories."""
    for term in islice(vec, n_terms):
        plist = postings.setdefault(term, [])
        if not plist or plist[-1] != idx:
            if idx in plist:
                plist.remove(idx)
            plist.append(idx)
            if len(plist) > cap:
                del plist[0]


def py_purge(postings: dict[str, list[int]], alive: Sequence[bool], /) -> None:
    """Drop the stories that `alive[idx]` says are gone from every postings list; a term
    whose list is left empty goes too."""
    for term in list(postings):
        kept = [i for i in postings[term] if alive[i]]
        if kept:
            postings[term] = kept
        else:
            del postings[term]


def py_merge_new(dst: dict[str, str], src: dict[str, str], cap: int, /) -> None:
    """`dst.setdefault(k, v)` for the items of `src` while `dst` holds fewer than `cap`."""
    for key, value in src.items():
        if len(dst) >= cap:
            break
        dst.setdefault(key, value)


def py_boost_names(
    terms: Vector,
    caps: Vector,
    lower_seen: set[str],
    names: dict[str, str],
    boost: float,
    /,
) -> None:
    """Settle which capitalised words are names (textfeatures.extract_with_tokens): one the
    text also uses in lower case is not (it leaves `names`); a name's term gains `boost`
    times its capitalised weight."""
    for key, w in caps.items():
        if key in lower_seen:
            names.pop(key, None)
        else:
            terms[key] += w * boost


def py_closest_stories(
    vec: Vector, stories: Sequence[Any], candidates: Sequence[int], dots: dict[int, float], /
) -> list[int]:
    """The `candidates` (indexes into `stories`) whose story is `active`, by centroid cosine
    to `vec` (`vec`'s dot product with `centroid` over `norm`, a norm of 0 taken as 1)
    highest first, ties by the lower index; each one's dot product is left in `dots`."""
    pre = []
    for idx in candidates:
        story = stories[idx]
        if story.active:
            dot = dots[idx] = py_dot(vec, story.centroid)
            pre.append((-dot / (story.norm or 1.0), idx))
    pre.sort()
    return [idx for _, idx in pre]


def py_count_into(counts: dict[Any, int], keys: Iterable[Any], /) -> None:
    """`counts[k] += 1` for each of `keys`, in order: `Counter.update(keys)` for keys that are
    not a mapping, without its per-call type checks (document frequencies and a story's
    tallies are updated once per article)."""
    get = counts.get
    for key in keys:
        counts[key] = get(key, 0) + 1


def py_shared_names(
    names: dict[str, str],
    story_names: dict[str, str],
    df: dict[str, int],
    n: float,
    min_idf: float,
    k: int,
    /,
) -> list[str]:
    """The `k` rarest of the keys of `names` that `story_names` also has, by
    log(n / (df + 0.5)) descending (ties by key), those over `min_idf` only: the names a
    join's evidence cites."""
    idf = {key: math.log(n / (df.get(key, 0) + 0.5)) for key in names if key in story_names}
    keys = sorted([key for key, v in idf.items() if v > min_idf], key=lambda key: (-idf[key], key))
    return keys[:k]


def py_lower_all(tokens: Sequence[str], /) -> list[str]:
    """`[t.lower() for t in tokens]`: the compiled one returns a token that is lower case
    already as it is, instead of a copy."""
    return list(map(str.lower, tokens))


dot = py_dot
best_member = py_best_member
top_hits = py_top_hits
add_into = py_add_into
tfidf_vector = py_tfidf_vector
matched = py_matched
first_stems = py_first_stems
sublinear = py_sublinear
shingle_jaccards = py_shingle_jaccards
add_tokens = py_add_tokens
boost_names = py_boost_names
tokenize = py_tokenize
find_dates = py_find_dates
find_weekdays = py_find_weekdays
post = py_post
purge = py_purge
merge_new = py_merge_new
closest_stories = py_closest_stories
count_into = py_count_into
shared_names = py_shared_names
lower_all = py_lower_all

COMPILED = False
if os.environ.get("NEWSDIGEST_PURE_PYTHON") != "1":
    try:
        from digests import _speedups
    except ImportError:  # built without a compiler: the Python versions above serve
        pass
    else:
        dot = _speedups.dot
        best_member = _speedups.best_member
        top_hits = _speedups.top_hits
        add_into = _speedups.add_into
        tfidf_vector = _speedups.tfidf_vector
        matched = _speedups.matched
        first_stems = _speedups.first_stems
        sublinear = _speedups.sublinear
        shingle_jaccards = _speedups.shingle_jaccards
        add_tokens = _speedups.add_tokens
        boost_names = _speedups.boost_names
        tokenize = _speedups.tokenize
        find_dates = _speedups.find_dates
        find_weekdays = _speedups.find_weekdays
        post = _speedups.post
        purge = _speedups.purge
        merge_new = _speedups.merge_new
        closest_stories = _speedups.closest_stories
        count_into = _speedups.count_into
        shared_names = _speedups.shared_names
        lower_all = _speedups.lower_all
        COMPILED = True
