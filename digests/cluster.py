"""Online story clustering: each article joins the story it reports on, or starts one.

How an article is placed (all deterministic, no model downloads):

1. Features (`digests.textfeatures`): words weighted by where they stand (headline, lead,
   body), capitalised names boosted, specific numbers and calendar dates as features of their
   own. TF-IDF with the IDF learned from the stream itself, so words that every article uses
   (the beat's vocabulary) count for little and the rare names that tell two look-alike events
   apart count for a lot.
2. Candidates: an inverted index from an article's highest-weighted terms to the stories that
   used them, postings capped to the most recent stories, and stories idle for longer than a
   few weeks retired. The cost of placing one article does not grow with the archive.
3. Score: cosine to the story's centroid blended with the best single member (a new angle on
   a story often matches one earlier report better than the average), times a publication-time
   decay (an article published a week after a story went quiet rarely belongs to it; dates
   read from a dateline decay more gently), times a distinct-event guard: an article that
   leads with a figure none of the story's reports agree on (Q2 deliveries against a Q1
   story) is marked down, and so is one that leaves out a name nearly every full report of
   the story leads with while leading with a name the story never mentions (another
   actress's rehab, another town's store fire: the same vocabulary, other protagonists).
4. Near-copies (`digests.dedup`) join their original's story and are flagged `duplicate_of`.

`cluster_articles` learns IDF from the batch first, reads it in publication order, runs the
same online pass, then reviews it: stories started twice are merged, and (for batches up to
REFINE_MAX) articles that fit another story clearly better are moved, and the batch is read a
second time in reverse order: a substantial part of a story that the second reading keeps
apart is split off (which undated report came first should not decide what is one event).
The bot's online path can warm its IDF from stored history with `warm_up`.
"""

from __future__ import annotations

import gc
import hashlib
import heapq
import logging
import math
import re
import threading
from collections import Counter
from collections.abc import Generator, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, timedelta
from itertools import islice
from typing import Any, TypeVar, cast

from digests.dedup import NearDuplicateIndex
from digests.kernels import (
    add_into,
    best_member,
    closest_stories,
    count_into,
    lower_all,
    merge_new,
    post,
    purge,
    shared_names,
    tfidf_vector,
    top_hits,
)
from digests.kernels import dot as _cosine  # of unit vectors; a centroid's divides by its norm
from digests.models import UNKNOWN_SOURCE, Article, Assignment, StoryGroup
from digests.textfeatures import (
    DATELINE_CHARS,
    Preread,
    TextFeatures,
    day_of_year,
    extract,
    extract_dates,
    extract_with_tokens,
    same_figure,
    term_keys_preread,
)

log = logging.getLogger(__name__)

JOIN_THRESHOLD = 0.22  # a story must score at least this for an article to join it
MEMBER_WEIGHT = 0.5  # blend: centroid cosine vs best single-member cosine
VECTOR_TERMS = 48  # an article is its 48 strongest features
QUERY_TERMS = 10  # candidates come from the postings of this many strongest features
POSTINGS_CAP = 16  # a term points at its most recent stories only
CANDIDATES = 5  # stories whose centroid is compared, per article
MEMBER_CHECKS = 2  # of those, the closest get best-member linkage too
MEMBER_VECTORS = 6  # member vectors kept per story for best-member linkage
CENTROID_TERMS = 120
GRACE_DAYS = 2.0  # coverage of one event spreads over a few days without penalty
DECAY_DAYS = 4.0
# Dates read from the text (no publication date) are rougher: they tell years and seasons
# apart, not days.
TEXT_DATE_GRACE_DAYS = 90.0
TEXT_DATE_DECAY_DAYS = 180.0
RETIRE_DAYS = 30.0  # a story idle this long (stream time) leaves the candidate pool
PURGE_AFTER = 2_000  # retired stories before their postings are swept out
PRIOR_DOCS = 20.0
DEDUP_WINDOW = 5_000  # recent articles whose words are kept for copy checks
WARM_UP_SAMPLE = 20_000  # IDF from this many articles is as good as from all of them
DUP_MEMBERS = 12  # recent members of the best story checked for a copy
COPY_MIN_COSINE = 0.4  # a copy, even reworded, keeps most of its original's words
FIGURE_CONFLICT_FACTOR = 0.3  # leads with a figure none of the story's reports agree on
SERIAL_CONFLICT_FACTOR = 0.15  # leads with another instance of the story's series (Flight 10 vs 9)
# An undated report's lead date without a year ("on May 27") still tells the season.
TOLD_DAY_GRACE_DAYS = 7.0
TOLD_DAY_DECAY_DAYS = 14.0
# Salient-name guard: a story's protagonists are the names most of its reports put in their
# headline or lead. An article that mentions less than NAME_COVER of them (IDF-weighted), and
# whose own lead names the story mostly never mentions, reports another event of the same kind
# (Tara Reid's rehab vs Lindsay Lohan's) however much vocabulary the two share.
NAME_CORE_SHARE = 0.8
NAME_MIN_REPORTS = 2  # two reports agreeing on a protagonist already make it one
NAME_TOP = 3  # an article's protagonists: its strongest names in headline and lead
NAME_CONFLICT_FACTOR = 0.3
# ...and a name the article leads with that under NAME_RARE_SHARE of the story's (>= NAME_RARE_MIN)
# reports lead with is another event's protagonist, even if the story mentions it in passing.
NAME_RARE_SHARE = 0.25
NAME_RARE_MIN = 4
MERGE_THRESHOLD = 0.5  # batch only: two stories this alike are one event started twice
REFINE_MARGIN = 0.05  # batch review moves an article only when another story fits clearly better
REFINE_ROUNDS = 3
# A review starts a story of its own for a report that, read again, shares next to nothing
# with the rest of its story or any of its members (two posts that met only through a footer
# their outlet prints under everything): well under the join threshold, not a borderline fit.
DETACH_BELOW = 0.1
REFINE_MAX = 5_000  # larger batches keep the online result (the review holds every vector)
DUPLICATE_MIN_SCORE = 0.15  # a copy still has to be about the same thing as its story
# A text of fewer distinct words than this ("Item 2", "Both ways") says too little to tell one
# event from another: it starts its own story and takes no one in; one of fewer than
# MIN_COPY_TERMS ("Live updates", "Morning briefing") is no one's copy, however alike.
MIN_PLACE_TERMS = 2
# A story of one outlet's items takes in another of its items only on this many shared words.
MIN_SHARED_TERMS = 2
MIN_COPY_TERMS = 3
COPY_MIN_BODY_WORDS = 12  # a shorter body is read with its headline for the copy check
# Batch second reading (see `split_by_second_reading`): a part of a story that the batch read
# in reverse order places apart from the rest is split off when it holds at least this share
# of the story's reports (and at least two): a substantial part is another event the reading
# order let in; a report or two peeled off a big story is only order noise.
SPLIT_SHARE = 0.25
SPLIT_MIN_REPORTS = 2


_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def story_id_for(first_article_id: str) -> str:
    """A story is named after the article that started it, so ids survive re-runs."""
    return "s-" + hashlib.sha1(first_article_id.encode("utf-8")).hexdigest()[:12]


Vector = dict[str, float]


@dataclass(slots=True)
class _Story:
    """Mutable clustering state of one story (internal; the outside sees `StoryGroup`)."""

    id: str
    article_ids: list[str]
    centroid: Vector
    members: list[tuple[str, Vector]]
    first_day: float | None = None  # publication dates
    last_day: float | None = None
    first_dated: float | None = None  # publication dates or dates read from the text
    last_dated: float | None = None
    last_seen: float = 0.0  # stream clock when last joined (for retirement)
    names: dict[str, str] = field(default_factory=dict)
    lead_names: Counter[str] = field(default_factory=Counter)  # reports leading with each name
    leads: int = 0  # reports counted in lead_names (full texts, copies left out)
    figures: Counter[float] = field(default_factory=Counter)  # members citing each figure
    with_figures: int = 0  # members citing any figure
    dates: Counter[date] = field(default_factory=Counter)
    numbers: set[str] = field(default_factory=set)
    serials: Counter[str] = field(default_factory=Counter)  # reports leading with each key
    reports: int = 0  # members that are not copies
    doys: set[int] = field(default_factory=set)  # days of the year its reports tell
    core_names: tuple[int, list[str]] | None = None  # (leads, _core_names) last computed
    norm: float = 0.0
    active: bool = True


# What a retired story holds in place of its features: one shared set of empty containers,
# since an endless stream retires stories by the ten thousand (a retired story is never
# joined, merged or scored again; only its id and articles are read).
_RETIRED_VECTOR: Vector = {}
_RETIRED_NAMES: dict[str, str] = {}
_RETIRED_COUNTS: Counter[Any] = Counter()
_RETIRED_SET: set[Any] = set()
_RETIRED_MEMBERS: list[tuple[str, Vector]] = []


def _forget(story: _Story) -> None:
    story.centroid, story.members = _RETIRED_VECTOR, _RETIRED_MEMBERS
    story.names, story.numbers, story.doys = _RETIRED_NAMES, _RETIRED_SET, _RETIRED_SET
    story.lead_names = story.dates = story.figures = story.serials = _RETIRED_COUNTS


@dataclass(frozen=True, slots=True)
class _Origin:
    """What decides which of two copies is the original."""

    source: str
    day: float | None
    credit: str | None


# "DRESK, Nov. 22 (Meridian Press) -": the agency a wire text credits.
_CREDIT = re.compile(r"\(([A-Z][\w .&'-]{1,40})\)\s*[-\u2013\u2014]")


def _one_word_in_common(vec: Vector, centroid: Vector) -> bool:
    """Fewer than MIN_SHARED_TERMS of the article's words are in the story's."""
    shared = 0
    for term in vec:
        if term in centroid:
            shared += 1
            if shared >= MIN_SHARED_TERMS:
                return False
    return True


def _credit(article: Article) -> str | None:
    if article.dateline is not None and article.dateline.agency:
        return article.dateline.agency
    m = _CREDIT.search(article.text[:500])
    return m.group(1) if m else None


def _same_outlet(a: str, b: str) -> bool:
    x = re.sub(r"[^a-z0-9]", "", a.lower())
    y = re.sub(r"[^a-z0-9]", "", b.lower())
    return bool(x and y) and (x in y or y in x)


def _dateline_date(article: Article) -> datetime | None:
    """The date a report's opening lines give, for ordering undated articles."""
    _, _, first = extract_dates(article.title + "\n" + article.text[:DATELINE_CHARS], None)
    return datetime(first.year, first.month, first.day, 12, tzinfo=UTC) if first else None


T = TypeVar("T")


def run_steps(steps: Generator[None, None, T]) -> T:
    """Run a stepwise computation to its end, without pausing, and return its result."""
    while True:
        try:
            next(steps)
        except StopIteration as done:
            return cast(T, done.value)


def in_placement_order(articles: Iterable[Article]) -> list[Article]:
    """Articles as a stream would have brought them: by publication time, or else the date
    their opening lines give; wholly undated ones last, in the order given. Earlier coverage
    founds the stories, so an undated report of a look-alike event does not found one that
    the dated reports of both events then join."""
    batch = list(articles)
    when = [a.published or _dateline_date(a) for a in batch]
    order = sorted(range(len(batch)), key=lambda i: (when[i] is None, when[i] or _EPOCH, i))
    return [batch[i] for i in order]


def _days(when: datetime | None) -> float | None:
    return when.timestamp() / 86400.0 if when is not None else None


def _range_factor(
    first_a: float | None,
    last_a: float | None,
    first_b: float | None,
    last_b: float | None,
    grace: float = GRACE_DAYS,
    decay: float = DECAY_DAYS,
) -> float:
    """`time_factor` between two stories: the gap between their coverage periods."""
    if first_a is None or last_a is None or first_b is None or last_b is None:
        return 1.0
    if last_a < first_b:
        return time_factor(last_a, first_b, last_b, grace, decay)
    return time_factor(first_a, first_b, last_b, grace, decay) if first_a > last_b else 1.0


def _core_figures(story: _Story) -> list[float]:
    """Figures that at least two and at least half of the story's reports cite."""
    if story.with_figures < 2:
        return []
    need = max(2, (story.with_figures + 1) // 2)
    return [v for v, n in story.figures.items() if n >= need]


def _figure_conflict(story: _Story, lead_figures: Iterable[float]) -> bool:
    """A distinct-event guard: the article leads with figures, and none is one the story's
    reports agree on (Q1 deliveries 336,681 vs Q2 384,122: same company, another event)."""
    core = _core_figures(story)
    return bool(core) and not any(same_figure(v, c) for v in lead_figures for c in core)


def _serial_conflict(mine: frozenset[str], theirs: Counter[str], reports: int) -> bool:
    """Another instance of a series: the article leads with Flight 10 where most of the story's
    reports lead with Flight 9, and none with 10 (Q1 vs Q2 deliveries, Game 6 vs Game 7)."""
    if not mine or not theirs or all(k in theirs for k in mine):
        return False
    for key in mine:
        series = key.partition(":")[0]
        told = [k for k in theirs if k.partition(":")[0] == series]
        if not told or any(k in theirs for k in mine if k.partition(":")[0] == series):
            continue
        if any(2 * theirs[k] >= reports for k in told):
            return True
    return False


def _told_day_factor(doy: int | None, doys: Iterable[int]) -> float:
    """An undated report's own day of the year against the days a story's reports tell."""
    if doy is None:
        return 1.0
    gap = min((min(abs(doy - d) % 366, 366 - abs(doy - d) % 366) for d in doys), default=None)
    if gap is None or gap <= TOLD_DAY_GRACE_DAYS:
        return 1.0
    x = (gap - TOLD_DAY_GRACE_DAYS) / TOLD_DAY_DECAY_DAYS
    return 1.0 / (1.0 + x * x)


def _serial_note(story: _Story, feats: TextFeatures) -> str | None:
    if not feats.serials or not _serial_conflict(feats.serials, story.serials, story.reports):
        return None

    def shown(keys: Iterable[str]) -> str:
        parts = (k.partition(":") for k in sorted(keys))
        return ", ".join(
            f"Q{n}"
            if s == "quarter"
            else f"{s.capitalize().replace('#', ' #')}{n}"
            if s.endswith("#")
            else f"{s.capitalize()} {n}"
            for s, _, n in parts
        )

    return (
        f"leads with {shown(feats.serials)}; the story's reports with {shown(_core_serials(story))}"
    )


def _told_day_note(story: _Story, feats: TextFeatures) -> str | None:
    if feats.dated is not None or _told_day_factor(feats.told_doy, story.doys) >= 1.0:
        return None

    def day(doy: int) -> str:
        d = date(2000, 1, 1) + timedelta(days=doy - 1)
        return f"{d:%B} {d.day}"

    told = ", ".join(day(d) for d in sorted(story.doys)[:3])
    return f"undated; its lead gives {day(feats.told_doy or 1)}, the story's reports {told}"


def _core_serials(story: _Story) -> frozenset[str]:
    """The instance keys at least half of the story's reports lead with."""
    return frozenset(k for k, n in story.serials.items() if 2 * n >= story.reports)


def _told_doy(feats: TextFeatures) -> int | None:
    """The day of the year a report is about: its publication date, the dated text's, or the
    day an undated lead gives."""
    when = feats.published or feats.dated
    return day_of_year(when.month, when.day) if when is not None else feats.told_doy


def _core_names(story: _Story) -> list[str]:
    """The story's protagonists: names that at least two and at least NAME_CORE_SHARE of its
    reports put in their headline or lead."""
    cached = story.core_names
    if cached is not None and cached[0] == story.leads:  # lead names change only with leads
        return cached[1]
    need = max(NAME_MIN_REPORTS, NAME_CORE_SHARE * story.leads)
    core = [k for k, n in story.lead_names.items() if n >= need]
    story.core_names = (story.leads, core)
    return core


def _names_conflict(a: _Story, b: _Story) -> bool:
    """Two stories each lead with a protagonist the other never mentions."""

    def missing(x: _Story, y: _Story) -> bool:
        return any(k not in y.names and k not in y.centroid for k in _core_names(x))

    return missing(a, b) and missing(b, a)


def _spelled_out(display: str, feats: TextFeatures) -> bool:
    """An acronym the article writes out in full ("FDA": Food and Drug Administration):
    every letter starts one of the article's names."""
    if not (2 <= len(display) <= 5 and display.isupper() and display.isalpha()):
        return False
    initials = {k[0] for k in feats.names}
    return all(ch in initials for ch in display.lower())


def time_factor(
    day: float | None,
    first: float | None,
    last: float | None,
    grace: float = GRACE_DAYS,
    decay: float = DECAY_DAYS,
) -> float:
    """1.0 within `grace` days of the story's coverage, then falling off smoothly."""
    if day is None or first is None or last is None:
        return 1.0
    gap = max(first - day, day - last, 0.0)
    if gap <= grace:
        return 1.0
    x = (gap - grace) / decay
    return 1.0 / (1.0 + x * x)


class StoryClusterer:
    """Places articles into stories one at a time, as they stream in."""

    def __init__(self, *, threshold: float = JOIN_THRESHOLD) -> None:
        self.threshold = threshold
        self._stories: list[_Story] = []
        self._by_id: dict[str, int] = {}
        self._postings: dict[str, list[int]] = {}
        self._assignments: dict[str, Assignment] = {}
        self._df: Counter[str] = Counter()
        self._n_docs = 0
        self._observed: set[str] = set()
        self._dedup = NearDuplicateIndex(lsh=False, window=DEDUP_WINDOW)
        self._clock = -math.inf
        self._since_retire = 0
        # (last_seen, index) of each join, oldest first: retirement pops the stories idle too
        # long instead of walking every active one. Entries of stories joined again since, or
        # gone, are skipped when they come up.
        self._idle: list[tuple[float, int]] = []
        self._origins: dict[str, _Origin] = {}  # who published what when, for copy direction
        self._retired_since_purge = 0
        # Dot products of the article being placed with candidate centroids (valid until it
        # joins a story; `_join` reuses the one of the story it joins).
        self._dots: dict[int, float] = {}
        # What the warm-up read of articles about to be added (see `_warm_up`).
        self._preread: dict[str, Preread] = {}

    # ---- IDF ---------------------------------------------------------------------------
    def warm_up(self, articles: Iterable[Article]) -> None:
        """Learn word rarity from articles (e.g. the batch to come, or stored history)
        without placing them; each id is counted once however often it is seen."""
        self._warm_up(articles, keep=False)

    def _warm_up(self, articles: Iterable[Article], *, keep: bool) -> None:
        """`warm_up`; with `keep`, what was read is kept for `add` to reuse (only for
        articles about to be added: the caller adds every one of them)."""
        for article in articles:
            if article.id in self._observed or article.id in self._assignments:
                continue
            self._observed.add(article.id)
            self._n_docs += 1
            keys, pre = term_keys_preread(article)
            self._df.update(keys)
            if keep:
                self._preread[article.id] = pre

    def _count(self, feats: TextFeatures) -> None:
        self._n_docs += 1
        count_into(self._df, feats.terms)

    def _idf(self, term: str) -> float:
        # PRIOR_DOCS virtual documents that lack every term: in a small batch a word two
        # articles share is not "common" yet.
        return math.log((self._n_docs + PRIOR_DOCS) / (self._df.get(term, 0) + 0.5))

    def _vector(self, feats: TextFeatures) -> Vector:
        """The article's VECTOR_TERMS strongest tf-idf terms, unit length, strongest first
        (the same IDF as `_idf`)."""
        return tfidf_vector(feats.terms, self._df, self._n_docs + PRIOR_DOCS, VECTOR_TERMS)

    # ---- placing -----------------------------------------------------------------------
    def add(self, article: Article) -> Assignment:
        """Place one article; a known id returns its earlier assignment unchanged."""
        known = self._assignments.get(article.id)
        if known is not None:
            return known
        feats, raw_tokens = extract_with_tokens(article, self._preread.pop(article.id, None))
        if article.id in self._observed:
            self._observed.discard(article.id)
        else:
            self._count(feats)
        vec = self._vector(feats)
        day = _days(feats.published)
        dated = day if feats.dated is feats.published else _days(feats.dated)
        if day is not None and day > self._clock:
            self._clock = day
        self._maybe_retire()

        thin = len(vec) < MIN_PLACE_TERMS
        scored = [] if thin else self._score_candidates(vec, day, dated, feats, article.source)
        best_idx, best_score, best_parts = (-1, 0.0, (0.0, 0.0, 1.0))
        if scored:
            best_idx, best_score, best_parts, _ = scored[0]

        # A copy shares most words with its original, so the original is one of the members
        # already found close, or among the recent members of the story it fits best (member
        # vectors are kept for a few only); only those are compared as text.
        dup_candidates = [aid for found in scored for aid in found[3]]
        if scored and best_score >= self.threshold:
            recent = self._stories[best_idx].article_ids[-DUP_MEMBERS:]
            dup_candidates += [aid for aid in recent if aid not in dup_candidates]
        text = article.text if article.text and not article.text.isspace() else article.title
        if text is article.text and len(text.split()) < COPY_MIN_BODY_WORDS:
            # A body of a few words ("Comments", "Read more") is the feed's, not the story's:
            # items alike only in it are no copies of each other.
            text = f"{article.title}\n{text}"
        tokens = None
        if raw_tokens is not None and text is article.text:
            tokens = lower_all(raw_tokens)
        match = self._dedup.add(article.id, text, candidates=dup_candidates, tokens=tokens)
        duplicate_of: str | None = None
        if match is not None and len(vec) >= MIN_COPY_TERMS:
            story_idx = self._story_of(match.original_id)
            if story_idx is not None and self._stories[story_idx].active:
                found = next(((sc, p) for i, sc, p, _ in scored if i == story_idx), None)
                if found is None:
                    sc, p, _ = self._score_story(
                        story_idx, vec, day, dated, feats, source=article.source
                    )
                    found = (sc, p)
                dup_score, dup_parts = found
                # A copy still has to fit the story in time and keep its figures; only
                # identical text overrides.
                fits = (
                    dup_score >= DUPLICATE_MIN_SCORE
                    and self._figure_note(self._stories[story_idx], feats) is None
                )
                if fits or match.similarity >= 1.0:
                    duplicate_of = match.original_id
                    if story_idx != best_idx:
                        best_idx, best_score, best_parts = story_idx, dup_score, dup_parts

        if best_idx >= 0 and (best_score >= self.threshold or duplicate_of is not None):
            story = self._stories[best_idx]
            evidence = self._join_evidence(
                story, feats, best_parts, best_score, match, duplicate_of
            )
            self._join(
                best_idx,
                article,
                feats,
                vec,
                day,
                dated,
                copy=duplicate_of is not None,
                use_dots=True,
            )
            result = Assignment(
                article.id, story.id, False, round(best_score, 4), evidence, duplicate_of
            )
        else:
            sid = story_id_for(article.id)
            if sid in self._by_id:  # same first id seen twice under different objects
                sid = story_id_for(article.id + "#" + str(len(self._stories)))
            idx = len(self._stories)
            self._stories.append(_Story(sid, [], {}, []))
            self._by_id[sid] = idx
            self._join(idx, article, feats, vec, day, dated)
            if best_idx >= 0:
                closest = self._stories[best_idx]
                evidence = (
                    f"closest story {closest.id} scored {best_score:.2f} < {self.threshold:.2f}",
                )
                note = self._figure_note(closest, feats)
                if note is not None:
                    evidence = (*evidence, note)
                note = self._name_note(closest, feats)
                if note is not None:
                    evidence = (*evidence, note)
                note = _serial_note(closest, feats)
                if note is not None:
                    evidence = (*evidence, note)
                note = _told_day_note(closest, feats)
                if note is not None:
                    evidence = (*evidence, note)
                if self._own_label(closest, vec, article.source):
                    evidence = (
                        *evidence,
                        "shares one word only with its own outlet's story: a label, not an event",
                    )
            elif thin:
                evidence = (
                    f"too few distinct words ({len(vec)}) to tell its event from another's",
                )
            else:
                evidence = ("no earlier story shares its distinctive words",)
            result = Assignment(article.id, sid, True, round(best_score, 4), evidence, None)
        self._origins[article.id] = _Origin(article.source, day, _credit(article))
        if duplicate_of is not None and self._is_original_of(article, duplicate_of):
            # The earlier arrival is the copy (it credits this outlet, or was published
            # later): flip the link so the syndication root is the original.
            old = self._assignments[duplicate_of]
            self._assignments[duplicate_of] = replace(
                old,
                duplicate_of=article.id,
                evidence=(*old.evidence, f"copy of {article.id}, which arrived later"),
            )
            result = replace(
                result,
                duplicate_of=None,
                evidence=tuple(e for e in result.evidence if not e.startswith("near-copy of")),
            )
        self._assignments[article.id] = result
        return result

    def _is_original_of(self, article: Article, other_id: str) -> bool:
        """Is `article` the original that the earlier-indexed `other_id` copies? The credited
        outlet wins, then the earlier publication time; otherwise arrival order stands."""
        other = self._origins.get(other_id)
        if other is None:
            return False
        mine = _credit(article)
        if other.credit and _same_outlet(other.credit, article.source):
            return not (mine and _same_outlet(mine, other.source))
        if mine and _same_outlet(mine, other.source):
            return False
        day = _days(article.published)
        return day is not None and other.day is not None and day < other.day

    def add_many(self, articles: Iterable[Article]) -> list[Assignment]:
        """Place a poll's worth of articles: learn their words' rarity first, then add them
        in placement order (`in_placement_order`). Online-safe: earlier stories never move."""
        return run_steps(self.add_many_steps(articles, 0))

    def add_many_steps(
        self, articles: Iterable[Article], step: int
    ) -> Generator[None, None, list[Assignment]]:
        """`add_many`, pausing (yielding) after every `step` articles read or placed (0: never),
        so a caller on an event loop can let other work run; the result is the same."""
        batch = list(articles)
        size = step if step > 0 else max(1, len(batch))
        for start in range(0, len(batch), size):
            self._warm_up(batch[start : start + size], keep=True)
            if step > 0:
                yield
        order = in_placement_order(batch)
        placed: dict[int, Assignment] = {}
        for start in range(0, len(order), size):
            for a in order[start : start + size]:
                placed[id(a)] = self.add(a)
            if step > 0:
                yield
        return [placed[id(a)] for a in batch]

    def _story_of(self, article_id: str) -> int | None:
        a = self._assignments.get(article_id)
        return self._by_id.get(a.story_id) if a is not None else None

    def _score_candidates(
        self,
        vec: Vector,
        day: float | None,
        dated: float | None,
        feats: TextFeatures,
        source: str = "",
    ) -> list[tuple[int, float, tuple[float, float, float], list[str]]]:
        dots = self._dots
        dots.clear()
        top = top_hits(vec, self._postings, QUERY_TERMS, CANDIDATES)
        if not top:
            return []
        # Centroid cosine for every candidate; best-member linkage only for the closest few.
        closest = closest_stories(vec, self._stories, top, dots)
        out = [
            (idx, *self._score_story(idx, vec, day, dated, feats, dots[idx], source))
            for idx in closest[:MEMBER_CHECKS]
            if len(self._stories[idx].centroid) >= MIN_PLACE_TERMS
        ]
        out.sort(key=lambda x: (-x[1], x[0]))
        return out

    def _score_story(
        self,
        idx: int,
        vec: Vector,
        day: float | None,
        dated: float | None,
        feats: TextFeatures,
        dot: float | None = None,
        source: str = "",
    ) -> tuple[float, tuple[float, float, float], list[str]]:
        """Blended score, its parts (centroid, best member, time) and the members close
        enough to be copies. `dot` is `vec`'s dot product with the centroid, if known;
        `source`, the article's outlet."""
        story = self._stories[idx]
        if dot is None:
            dot = _cosine(vec, story.centroid)
        c = dot / (story.norm or 1.0)
        m, close = best_member(vec, story.members, COPY_MIN_COSINE)
        # min(time_factor(day, ...), time_factor(dated, ...)), inlined: this runs for two
        # stories per article, and most have no gap to weigh.
        t = 1.0
        first, last = story.first_day, story.last_day
        if day is not None and first is not None and last is not None:
            gap = max(first - day, day - last, 0.0)
            if gap > GRACE_DAYS:
                x = (gap - GRACE_DAYS) / DECAY_DAYS
                t = 1.0 / (1.0 + x * x)
        first, last = story.first_dated, story.last_dated
        if dated is not None and first is not None and last is not None:
            gap = max(first - dated, dated - last, 0.0)
            if gap > TEXT_DATE_GRACE_DAYS:
                x = (gap - TEXT_DATE_GRACE_DAYS) / TEXT_DATE_DECAY_DAYS
                t = min(t, 1.0 / (1.0 + x * x))
        # The guards' cheap preconditions first (`_core_figures` needs two reports citing
        # figures, `_name_conflict` a long article with lead names and two leads).
        lead_figures = feats.lead_figures
        if lead_figures and story.with_figures >= 2 and _figure_conflict(story, lead_figures):
            t *= FIGURE_CONFLICT_FACTOR
        named = feats.long and feats.lead_names and story.leads >= NAME_MIN_REPORTS
        if named and self._name_conflict(story, feats):
            t *= NAME_CONFLICT_FACTOR
        if feats.serials and _serial_conflict(feats.serials, story.serials, story.reports):
            t *= SERIAL_CONFLICT_FACTOR
        if dated is None and feats.told_doy is not None and story.doys:
            t *= _told_day_factor(feats.told_doy, story.doys)
        if source and self._own_label(story, vec, source):
            t = 0.0
        score = ((1.0 - MEMBER_WEIGHT) * c + MEMBER_WEIGHT * m) * t
        return score, (c, m, t), close

    def _own_label(self, story: _Story, vec: Vector, source: str) -> bool:
        """The article shares one word only with a story of its own outlet's items: that
        outlet's label or beat ("Ask HN" and "Show HN", an alert's keyword), not an event.
        Across outlets one rare word in common ("Herbalife") is evidence."""
        if source == UNKNOWN_SOURCE or not _one_word_in_common(vec, story.centroid):
            return False
        origins = self._origins
        return all(
            (o := origins.get(aid)) is not None and o.source == source for aid in story.article_ids
        )

    def _name_conflict(self, story: _Story, feats: TextFeatures) -> bool:
        """Each side leads with a name the other never mentions: the article leaves out one
        of the story's protagonists, and one of the article's own strongest lead names is
        nowhere in the story (Banstead's Waitrose fire vs Wellington's)."""
        if not feats.long or not feats.lead_names or story.leads < NAME_MIN_REPORTS:
            return False
        terms = feats.terms
        core = _core_names(story)
        if all(k in terms or _spelled_out(story.names.get(k, k), feats) for k in core):
            return False
        mine = sorted(feats.lead_names, key=lambda k: (-terms.get(k, 0.0), k))[:NAME_TOP]
        rare = NAME_RARE_SHARE * story.leads
        if any(k not in story.names and k not in story.centroid for k in mine):
            return True
        return story.leads >= NAME_RARE_MIN and any(story.lead_names[k] < rare for k in mine)

    def _join(
        self,
        idx: int,
        article: Article,
        feats: TextFeatures,
        vec: Vector,
        day: float | None,
        dated: float | None,
        *,
        copy: bool = False,
        use_dots: bool = False,
    ) -> None:
        story = self._stories[idx]
        story.article_ids.append(article.id)
        cen = story.centroid
        # |c + v|^2 = |c|^2 + 2 c.v + |v|^2, with |v| = 1: no pass over the whole centroid.
        dot = self._dots.get(idx) if use_dots else None
        if dot is None:
            dot = _cosine(vec, cen)
        norm2 = story.norm * story.norm + 2.0 * dot + 1.0
        add_into(cen, vec)
        if len(cen) > CENTROID_TERMS * 2:
            story.centroid = cen = dict(
                heapq.nlargest(CENTROID_TERMS, cen.items(), key=lambda kv: kv[1])
            )
            norm2 = sum([w * w for w in cen.values()])
        story.norm = math.sqrt(norm2)
        story.members.append((article.id, vec))
        if len(story.members) > MEMBER_VECTORS:
            del story.members[1]  # keep the founding article and the most recent ones
        # The coverage spans widen (as min and max would, without the calls).
        if day is not None:
            if story.first_day is None or day < story.first_day:
                story.first_day = day
            if story.last_day is None or day > story.last_day:
                story.last_day = day
        if dated is not None:
            if story.first_dated is None or dated < story.first_dated:
                story.first_dated = dated
            if story.last_dated is None or dated > story.last_dated:
                story.last_dated = dated
        story.last_seen = self._clock
        heapq.heappush(self._idle, (self._clock, idx))
        merge_new(story.names, feats.names, 400)
        if not copy and feats.long:  # a syndicated copy is not another report
            story.leads += 1
            if len(story.lead_names) < 400:
                count_into(story.lead_names, feats.lead_names)

        if not copy:
            story.reports += 1
            if feats.serials:
                count_into(story.serials, feats.serials)
        doy = _told_doy(feats)
        if doy is not None and len(story.doys) < 60:
            story.doys.add(doy)
        count_into(story.dates, feats.dates)
        if feats.figures and len(story.figures) < 200:
            count_into(story.figures, feats.figures)
            story.with_figures += 1
        if len(story.numbers) < 400:
            story.numbers.update(feats.numbers)
        post(self._postings, vec, QUERY_TERMS + 2, idx, POSTINGS_CAP)

    def _maybe_retire(self) -> None:
        """Every so often, drop stories idle for RETIRE_DAYS of stream time from the pool."""
        self._since_retire += 1
        if self._since_retire < 1000 or self._clock == -math.inf:
            return
        self._since_retire = 0
        cutoff = self._clock - RETIRE_DAYS
        idle = self._idle
        while idle and idle[0][0] < cutoff:
            seen, idx = heapq.heappop(idle)
            story = self._stories[idx]
            # An undated story never retires (joining it, or a merge into it, queues it again).
            if story.active and story.last_seen == seen and story.last_day is not None:
                self._retired_since_purge += 1
                story.active = False
                story.leads = 0
                _forget(story)
        if self._retired_since_purge > PURGE_AFTER:
            # Postings of retired stories are dead weight on an endless stream.
            self._retired_since_purge = 0
            purge(self._postings, [story.active for story in self._stories])

    # ---- evidence ----------------------------------------------------------------------
    def _join_evidence(
        self,
        story: _Story,
        feats: TextFeatures,
        parts: tuple[float, float, float],
        score: float,
        match: object,
        duplicate_of: str | None,
    ) -> tuple[str, ...]:
        ev: list[str] = []
        if duplicate_of is not None and match is not None:
            ev.append(f"near-copy of {duplicate_of} ({getattr(match, 'reason', 'copied text')})")
        # Names both have whose IDF (`_idf`) is over 2.0, rarest first.
        keys = shared_names(feats.names, story.names, self._df, self._n_docs + PRIOR_DOCS, 2.0, 4)
        if keys:
            ev.append("shared names: " + ", ".join([feats.names[k] for k in keys]))
        same_dates = sorted([d for d in feats.dates if d in story.dates])  # a few, not all
        if same_dates:
            ev.append("same date " + ", ".join(d.isoformat() for d in same_dates[:2]))
        nums = sorted(feats.numbers & story.numbers)
        if nums:
            ev.append("same figures: " + ", ".join(n[1:] for n in nums[:3]))
        c, m, t = parts
        ev.append(
            f"similarity {score:.2f} >= {self.threshold:.2f}"
            f" (story {c:.2f}, closest article {m:.2f})"
        )
        # Each note's cheapest precondition first: most joins have none of them.
        note = self._figure_note(story, feats) if feats.lead_figures else None
        if note is not None:
            ev.append(note)
            t /= FIGURE_CONFLICT_FACTOR
        note = self._name_note(story, feats) if feats.long and feats.lead_names else None
        if note is not None:
            ev.append(note)
            t /= NAME_CONFLICT_FACTOR
        note = _serial_note(story, feats) if feats.serials else None
        if note is not None:
            ev.append(note)
            t /= SERIAL_CONFLICT_FACTOR
        note = _told_day_note(story, feats) if feats.dated is None else None
        if note is not None:
            ev.append(note)
            t /= _told_day_factor(feats.told_doy, story.doys)
        if t < 1.0:
            ev.append(f"published apart from the story's coverage (time factor {t:.2f})")
        return tuple(ev)

    def _name_note(self, story: _Story, feats: TextFeatures) -> str | None:
        if not self._name_conflict(story, feats):
            return None
        absent = [story.names.get(k, k) for k in _core_names(story) if k not in feats.terms]
        return "doesn't name the story's " + ", ".join(sorted(absent)[:3])

    @staticmethod
    def _figure_note(story: _Story, feats: TextFeatures) -> str | None:
        if not feats.lead_figures or not _figure_conflict(story, feats.lead_figures):
            return None
        mine = ", ".join(f"{v:,.0f}" for v in sorted(feats.lead_figures)[:2])
        return f"leads with figures the story's reports don't share ({mine})"

    # ---- batch refinement --------------------------------------------------------------
    def merge_similar(self, threshold: float | None = None) -> int:
        """Merge stories whose centroids are this close and whose dates fit (a batch step:
        the online order can start one event twice). Rounds of disjoint merges, strongest
        first, until nothing changes; returns how many stories were merged away."""
        limit = MERGE_THRESHOLD if threshold is None else threshold
        merged = 0
        while True:
            pairs = self._merge_candidates(limit)
            used: set[int] = set()
            rounds = 0
            for sim, keep, gone in pairs:
                if keep in used or gone in used:
                    continue
                used.update((keep, gone))
                self._absorb(keep, gone, sim)
                rounds += 1
            merged += rounds
            if not rounds:
                return merged

    def _merge_candidates(self, threshold: float) -> list[tuple[float, int, int]]:
        stories = self._stories
        out: list[tuple[float, int, int]] = []
        for i, st in enumerate(stories):
            if not st.active or not st.article_ids or len(st.centroid) < MIN_PLACE_TERMS:
                continue
            top = sorted(st.centroid.items(), key=lambda kv: (-kv[1], kv[0]))[:QUERY_TERMS]
            seen: set[int] = set()
            for term, _ in top:
                for j in self._postings.get(term, ()):
                    if j <= i or j in seen:
                        continue
                    seen.add(j)
                    other = stories[j]
                    if (
                        not other.active
                        or not other.article_ids
                        or len(other.centroid) < MIN_PLACE_TERMS
                    ):
                        continue
                    sim = _cosine(st.centroid, other.centroid) / ((st.norm * other.norm) or 1.0)
                    sim *= min(
                        _range_factor(st.first_day, st.last_day, other.first_day, other.last_day),
                        _range_factor(
                            st.first_dated,
                            st.last_dated,
                            other.first_dated,
                            other.last_dated,
                            TEXT_DATE_GRACE_DAYS,
                            TEXT_DATE_DECAY_DAYS,
                        ),
                    )
                    if (
                        sim >= threshold
                        and not _figure_conflict(other, _core_figures(st))
                        and not _names_conflict(st, other)
                        and not _serial_conflict(_core_serials(st), other.serials, other.reports)
                        and not _serial_conflict(_core_serials(other), st.serials, st.reports)
                    ):
                        out.append((sim, i, j))
        out.sort(key=lambda x: (-x[0], x[1], x[2]))
        return out

    def _absorb(self, keep: int, gone: int, sim: float) -> None:
        """Move every article of story `gone` into the earlier story `keep`."""
        a, b = self._stories[keep], self._stories[gone]
        add_into(a.centroid, b.centroid)
        a.norm = math.sqrt(sum([w * w for w in a.centroid.values()]))
        a.members = (a.members + b.members)[-MEMBER_VECTORS:]
        heapq.heappush(self._idle, (a.last_seen, keep))  # its dates may be new: look again
        for lo, hi in (("first_day", "last_day"), ("first_dated", "last_dated")):
            vals = [v for v in (getattr(a, lo), getattr(b, lo)) if v is not None]
            setattr(a, lo, min(vals) if vals else None)
            vals = [v for v in (getattr(a, hi), getattr(b, hi)) if v is not None]
            setattr(a, hi, max(vals) if vals else None)
        for k, d in b.names.items():
            a.names.setdefault(k, d)
        a.dates.update(b.dates)
        a.lead_names.update(b.lead_names)
        a.leads += b.leads
        a.figures.update(b.figures)
        a.with_figures += b.with_figures
        a.numbers |= b.numbers
        a.serials.update(b.serials)
        a.reports += b.reports
        a.doys |= b.doys
        note = f"merged into {a.id}: story {b.id} resembled it ({sim:.2f})"
        for aid in b.article_ids:
            old = self._assignments[aid]
            self._assignments[aid] = replace(
                old, story_id=a.id, new_story=False, evidence=(*old.evidence, note)
            )
        a.article_ids.extend(b.article_ids)
        b.article_ids = []
        b.active = False
        _forget(b)

    def refine(
        self, articles: Sequence[Article], *, margin: float | None = None, whole: bool = False
    ) -> int:
        """See `refine_steps`; run without pauses."""
        return run_steps(self.refine_steps(articles, 0, margin=margin, whole=whole))

    def refine_steps(
        self,
        articles: Sequence[Article],
        step: int,
        *,
        margin: float | None = None,
        whole: bool = False,
    ) -> Generator[None, None, int]:
        """Batch step: move each article to the story whose centroid fits it clearly better
        than its own story does (its own without it), a few rounds, k-means style. Fixes
        joins the arrival order forced (a story that grew later fits better). Copies follow
        their original. Stories keep their ids (named after the article that started them, so
        re-runs give the same ids). Returns how many moves were made. Pauses (yields)
        after every `step` articles weighed (0: never); the moves are applied only at the end.

        `whole`: the articles are a whole batch, every report present. Then an original whose
        story holds only itself and its copies is weighed as a lone report (its copies are no
        evidence it belongs there): a wire story republished by two sites no longer stands
        apart from its event. A live review sees stories half-formed, where the right story
        may not have arrived yet, so it leaves such a group where it is."""
        need = REFINE_MARGIN if margin is None else margin
        seen_ids: set[str] = set()
        arts = []
        for a in articles:  # each id once, as placed
            if a.id in self._assignments and a.id not in seen_ids:
                seen_ids.add(a.id)
                arts.append(a)
        feats: dict[str, TextFeatures] = {}
        for n, a in enumerate(arts, start=1):
            feats[a.id] = extract(a)
            if step > 0 and n % step == 0:
                yield
        vecs = {aid: self._vector(f) for aid, f in feats.items()}
        if step > 0:
            yield
        label = {aid: self._assignments[aid].story_id for aid in vecs}
        dup_of = {aid: self._assignments[aid].duplicate_of for aid in vecs}
        source_of = {a.id: a.source for a in arts}
        for aid, orig in dup_of.items():
            if orig is not None and orig in vecs and not self._still_copy(vecs, aid, orig):
                # Read without what its outlet prints under everything, it copies nothing.
                dup_of[aid] = None
                old = self._assignments[aid]
                self._assignments[aid] = replace(
                    old,
                    duplicate_of=None,
                    evidence=(*old.evidence, f"no copy of {orig} on review: the words differ"),
                )
        why: dict[str, str] = {}
        starts: dict[str, str] = {}  # an article the review detached -> its new story
        moves_total = 0
        for _ in range(REFINE_ROUNDS):
            members: dict[str, list[str]] = {}
            for a in arts:
                members.setdefault(label[a.id], []).append(a.id)
            cents: dict[str, Vector] = {}
            norms: dict[str, float] = {}
            spans: dict[str, tuple[float | None, float | None]] = {}
            told_spans: dict[str, tuple[float | None, float | None]] = {}  # text dates
            index: dict[str, list[str]] = {}
            series: dict[str, tuple[Counter[str], int]] = {}
            doys: dict[str, set[int]] = {}
            for sid, ids in members.items():
                cen: Vector = {}
                for aid in ids:
                    add_into(cen, vecs[aid])
                cents[sid] = cen
                norms[sid] = math.sqrt(sum([w * w for w in cen.values()])) or 1.0
                days = [d for d in (_days(feats[aid].published) for aid in ids) if d is not None]
                spans[sid] = (min(days), max(days)) if days else (None, None)
                said = [d for d in (_days(feats[aid].dated) for aid in ids) if d is not None]
                told_spans[sid] = (min(said), max(said)) if said else (None, None)
                originals = [aid for aid in ids if not dup_of[aid]]
                series[sid] = (
                    Counter(k for aid in originals for k in feats[aid].serials),
                    len(originals),
                )
                doys[sid] = {d for aid in ids if (d := _told_doy(feats[aid])) is not None}
                top = sorted(cen.items(), key=lambda kv: (-kv[1], kv[0]))[: QUERY_TERMS * 2]
                for t, _ in top:
                    index.setdefault(t, []).append(sid)
            moves: dict[str, str] = {}
            if step > 0:
                yield
            for n, a in enumerate(arts, start=1):
                if step > 0 and n % step == 0:
                    yield  # moves are decided on local state and applied at the end
                aid = a.id
                if dup_of[aid] or len(vecs[aid]) < MIN_PLACE_TERMS:
                    continue
                own, v = label[aid], vecs[aid]
                day = _days(feats[aid].published)
                told_day = _days(feats[aid].dated)
                # Its own copies are no company: an original whose story is only itself and
                # the sites that republished it is as alone as a single report.
                copies = [m for m in members[own] if dup_of[m] == aid] if whole else []
                alone = len(members[own]) == 1 + len(copies)
                if alone:
                    own_score = -1.0
                elif not copies:
                    dot = _cosine(v, cents[own])
                    rest2 = norms[own] ** 2 - 2.0 * dot + 1.0
                    own_score = (dot - 1.0) / math.sqrt(rest2) if rest2 > 1e-9 else 0.0
                else:
                    rest = dict(cents[own])
                    for m in (aid, *copies):
                        for t, w in vecs[m].items():
                            rest[t] = rest.get(t, 0.0) - w
                    rest_norm = math.sqrt(sum([w * w for w in rest.values()]))
                    own_score = _cosine(v, rest) / rest_norm if rest_norm > 1e-9 else 0.0
                best, best_sid = -1.0, ""
                hits: Counter[str] = Counter()
                for t in islice(v, QUERY_TERMS):
                    hits.update(index.get(t, ()))
                hits.pop(own, None)
                ranked = sorted([(-n, sid) for sid, n in hits.items()])[: CANDIDATES * 2]
                for _, sid in ranked:
                    if len(cents[sid]) < MIN_PLACE_TERMS:
                        continue  # a story of too few words takes no one in
                    if (
                        a.source != UNKNOWN_SOURCE
                        and _one_word_in_common(v, cents[sid])
                        and all(source_of[m] == a.source for m in members[sid])
                    ):
                        continue  # its outlet's label or beat, not an event (`_own_label`)
                    first, last = spans[sid]
                    in_time = time_factor(day, first, last)
                    if alone:
                        # Nothing of its own to weigh against: the time evidence placement
                        # used, the dates texts give included.
                        in_told_time = time_factor(
                            told_day, *told_spans[sid], TEXT_DATE_GRACE_DAYS, TEXT_DATE_DECAY_DAYS
                        )
                        in_time = min(in_time, in_told_time)
                    f = feats[aid]
                    if f.serials and _serial_conflict(f.serials, *series[sid]):
                        in_time *= SERIAL_CONFLICT_FACTOR
                    if f.dated is None and f.told_doy is not None:
                        in_time *= _told_day_factor(f.told_doy, doys[sid])
                    sim = _cosine(v, cents[sid]) / norms[sid] * in_time
                    if sim > best or (sim == best and sid < best_sid):
                        best, best_sid = sim, sid
                if best >= self.threshold and best > own_score + need:
                    moves[aid] = best_sid
                    why[aid] = (
                        f"moved on review: fits story {best_sid} better ({best:.2f}"
                        f" vs {max(own_score, 0.0):.2f})"
                    )
                elif (
                    not alone
                    and own_score < DETACH_BELOW
                    and not self._assignments[aid].new_story
                    and max(_cosine(v, vecs[m]) for m in members[own] if m != aid) < DETACH_BELOW
                ):
                    moves[aid] = starts.setdefault(aid, self._fresh_story_id(aid, label))
                    why[aid] = (
                        f"started a story of its own on review: shares too little with story"
                        f" {own} ({max(own_score, 0.0):.2f}) or any other"
                    )
            if not moves:
                break
            moves_total += len(moves)
            label.update(moves)
        for aid, orig in dup_of.items():
            if orig is not None and orig in label:
                label[aid] = label[orig]
        self._rebuild(arts, feats, vecs, label, why)
        for aid, sid in starts.items():
            if label[aid] == sid:
                self._assignments[aid] = replace(self._assignments[aid], new_story=True)
        return moves_total

    @staticmethod
    def _still_copy(vecs: dict[str, Vector], copy: str, original: str) -> bool:
        """A copy found on the words as placed still shares most of its original's words as
        the review reads them (an outlet's footer, now known, no longer counts)."""
        if copy not in vecs or original not in vecs:
            return True
        return _cosine(vecs[copy], vecs[original]) >= COPY_MIN_COSINE

    def _fresh_story_id(self, article_id: str, label: dict[str, str]) -> str:
        """The id of a story the review starts with `article_id`: named after it, unless a
        story of that name still exists."""
        taken = {s.id for s in self._stories} | set(label.values())
        new_id = story_id_for(article_id)
        n = 0
        while new_id in taken:
            n += 1
            new_id = story_id_for(f"{article_id}#{n}")
        return new_id

    def split_by_second_reading(self, articles: Sequence[Article], other: dict[str, str]) -> int:
        """Batch step: split a story where a second reading of the same batch (`other`:
        article id -> story id, read in another order) keeps a substantial part of it
        (SPLIT_SHARE of its reports, at least SPLIT_MIN_REPORTS; copies are no reports) apart
        from the rest. Two
        readings that disagree on whether reports are one event leave them apart: merging
        two events is the worse error. The part holding the article that started the story
        keeps the story's id; a split part is named after its first article, which is
        marked as starting it. Copies stay with their originals. Returns the stories added."""
        arts: list[Article] = []
        seen_ids: set[str] = set()
        for a in articles:  # each id once, as placed
            if a.id in self._assignments and a.id in other and a.id not in seen_ids:
                seen_ids.add(a.id)
                arts.append(a)
        label = {a.id: self._assignments[a.id].story_id for a in arts}
        parts: dict[tuple[str, str], list[str]] = {}
        for a in arts:
            parts.setdefault((label[a.id], other[a.id]), []).append(a.id)
        by_story: dict[str, list[list[str]]] = {}
        for (sid, _), ids in parts.items():
            by_story.setdefault(sid, []).append(ids)
        taken = {s.id for s in self._stories}
        starts: dict[str, str] = {}  # new story id -> the article that starts it
        why: dict[str, str] = {}

        def reports(piece: list[str]) -> int:  # a copy is no report of its own
            return sum(1 for aid in piece if self._assignments[aid].duplicate_of is None)

        for sid, pieces in by_story.items():
            size = sum(reports(p) for p in pieces)
            need = max(SPLIT_MIN_REPORTS, SPLIT_SHARE * size)
            big = [p for p in pieces if reports(p) >= need]
            if len(big) < 2:
                continue
            founder = next(
                (p for p in big if any(self._assignments[aid].new_story for aid in p)), None
            )
            keep = founder if founder is not None else max(big, key=reports)
            for piece in big:
                if piece is keep:
                    continue
                new_id = story_id_for(piece[0])
                if new_id in taken:
                    new_id = story_id_for(piece[0] + "#" + str(len(taken)))
                taken.add(new_id)
                starts[new_id] = piece[0]
                note = (
                    f"split from story {sid} on review: read in another order, these"
                    f" {reports(piece)} of its {size} reports form a story of their own"
                )
                for aid in piece:
                    label[aid] = new_id
                    why[aid] = note
        if not starts:
            return 0
        for aid in label:
            orig = self._assignments[aid].duplicate_of
            if orig is not None and orig in label and label[aid] != label[orig]:
                label[aid] = label[orig]
                why.pop(aid, None)
        feats = {a.id: extract(a) for a in arts}
        vecs = {aid: self._vector(f) for aid, f in feats.items()}
        self._rebuild(arts, feats, vecs, label, why)
        for new_id, aid in starts.items():
            if label[aid] == new_id:
                self._assignments[aid] = replace(self._assignments[aid], new_story=True)
        return len(starts)

    def _rebuild(
        self,
        arts: Sequence[Article],
        feats: dict[str, TextFeatures],
        vecs: dict[str, Vector],
        label: dict[str, str],
        why: dict[str, str],
    ) -> None:
        """Recreate stories from labels. A story keeps its id (the label): a review covers
        only recent articles, and a story running longer must not be renamed after whichever
        of its articles is now the oldest reviewed."""
        self._stories, self._by_id, self._postings, self._idle = [], {}, {}, []
        index_of: dict[str, int] = {}
        for a in arts:
            old = self._assignments[a.id]
            sid = label[a.id]
            idx = index_of.get(sid)
            new_story = old.new_story and old.story_id == sid  # it started this story
            if idx is None:
                idx = index_of[sid] = len(self._stories)
                self._stories.append(_Story(sid, [], {}, []))
                self._by_id[sid] = idx
            story = self._stories[idx]
            f = feats[a.id]
            is_copy = old.duplicate_of is not None
            self._join(idx, a, f, vecs[a.id], _days(f.published), _days(f.dated), copy=is_copy)
            evidence = old.evidence + ((why[a.id],) if a.id in why else ())
            if old.story_id != story.id or old.new_story != new_story or a.id in why:
                if old.new_story and not new_story and a.id not in why:
                    evidence = (*old.evidence, f"merged into {story.id} on review")
                self._assignments[a.id] = replace(
                    old, story_id=story.id, new_story=new_story, evidence=evidence
                )
            current = self._assignments[a.id]
            if current.duplicate_of is None and not new_story:
                # Members that met only on review get their copy check now.
                earlier = story.article_ids[-DUP_MEMBERS - 1 : -1]
                match = self._dedup.compare(a.id, earlier)
                if (
                    match is not None
                    and self._figure_note(story, f) is None
                    and self._still_copy(vecs, a.id, match.original_id)
                ):
                    copy, orig = a.id, match.original_id
                    if self._is_original_of(a, orig):
                        copy, orig = orig, a.id
                    linked = self._assignments[copy]
                    if linked.duplicate_of is None and self._assignments[orig].duplicate_of != copy:
                        self._assignments[copy] = replace(
                            linked,
                            duplicate_of=orig,
                            evidence=(*linked.evidence, f"near-copy of {orig} ({match.reason})"),
                        )

    # ---- reading -----------------------------------------------------------------------
    def groups(self) -> list[StoryGroup]:
        """Stories in the order they started, article ids in join order."""
        return [StoryGroup(s.id, tuple(s.article_ids)) for s in self._stories if s.article_ids]

    def assignment(self, article_id: str) -> Assignment | None:
        return self._assignments.get(article_id)


_gc_lock = threading.Lock()
_gc_pauses = 0  # batches running now
_gc_was_enabled = False  # the collector's state when the first of them started


@contextmanager
def _cycle_collector_paused() -> Iterator[None]:
    """A batch builds many long-lived small objects and no reference cycles, and CPython's
    cycle collector would walk all of them again and again (about an eighth of a 100k
    batch). Reference counting still frees everything; the last batch to finish (batches
    may overlap in threads) puts the collector back as it found it."""
    global _gc_pauses, _gc_was_enabled
    with _gc_lock:
        if _gc_pauses == 0:
            _gc_was_enabled = gc.isenabled()
            gc.disable()
        _gc_pauses += 1
    try:
        yield
    finally:
        with _gc_lock:
            _gc_pauses -= 1
            if _gc_pauses == 0 and _gc_was_enabled:
                gc.enable()


def cluster_articles(
    articles: Iterable[Article],
    *,
    threshold: float = JOIN_THRESHOLD,
    merge: bool = True,
    refine: bool = True,
) -> tuple[list[StoryGroup], dict[str, Assignment]]:
    """Cluster a batch: learn IDF from (up to WARM_UP_SAMPLE of) it first, place the articles
    in order, then merge stories started twice and (batches up to REFINE_MAX) move articles
    that fit another story clearly better. Articles past the sample are streamed, not held."""
    with _cycle_collector_paused():
        return _cluster_articles(articles, threshold=threshold, merge=merge, refine=refine)


def _cluster_articles(
    articles: Iterable[Article], *, threshold: float, merge: bool, refine: bool
) -> tuple[list[StoryGroup], dict[str, Assignment]]:
    clusterer, given, head, assignments = _read_batch(
        iter(articles), threshold=threshold, merge=merge, refine=refine
    )
    if head and merge and refine:
        # Undated reports are placed in the order given, and which of them arrives first
        # decides what a young story (too young for its guards) lets in. A second reading in
        # reverse order shows where the order decided: precision first, such parts split off.
        other, _, _, _ = _read_batch(
            iter(given[::-1]), threshold=threshold, merge=merge, refine=refine
        )
        split = clusterer.split_by_second_reading(
            head, {aid: a.story_id for aid, a in other._assignments.items()}
        )
        if split:
            # A part split off may be one event with another story, which the first review
            # saw only as mixed: the merge review runs again (its guards still apply).
            clusterer.merge_similar()
    assignments = {aid: clusterer.assignment(aid) or a for aid, a in assignments.items()}
    return clusterer.groups(), assignments


def _read_batch(
    it: Iterator[Article], *, threshold: float, merge: bool, refine: bool
) -> tuple[StoryClusterer, list[Article], list[Article], dict[str, Assignment]]:
    """One reading of a batch: its first WARM_UP_SAMPLE articles teach the IDF and are placed
    in publication order, then the rest streams in. Returns the clusterer, the batch as given
    and as placed when it is small enough to review (else two empty lists: a large batch is
    streamed, not held), and the assignments as placed."""
    given = list(islice(it, WARM_UP_SAMPLE))
    # A batch is read in publication order, as a stream would arrive (undated articles last,
    # in input order): earlier coverage founds the stories, so results barely depend on how
    # the input happened to be ordered.
    head = in_placement_order(given)
    clusterer = StoryClusterer(threshold=threshold)
    clusterer._warm_up(head, keep=True)
    assignments = {a.id: clusterer.add(a) for a in head}
    small = len(head) <= REFINE_MAX
    if not small:
        given = head = []
    for a in it:
        assignments[a.id] = clusterer.add(a)
    if merge:
        clusterer.merge_similar()
    if refine and small:
        clusterer.refine(head, whole=True)
    return clusterer, given, head, assignments
