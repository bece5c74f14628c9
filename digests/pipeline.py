"""The use cases: cluster a batch, ingest into the store, build digests, explain.

Pure domain: the store and the clock are passed in, nothing here opens a socket.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Collection, Generator, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta

from digests.boilerplate import (
    recurring_sentences,
    repeated_sentences,
    sentence_keys,
    text_sentence_keys,
    without_sentences,
)
from digests.cluster import (
    StoryClusterer,
    cluster_articles,
    in_placement_order,
    run_steps,
    story_id_for,
)
from digests.facts import FactSheet, extract_facts
from digests.headlines import choose_headline
from digests.models import Article, Assignment, Digest, Source, Story, StoryGroup
from digests.normalize import article_fingerprint, canonical_url
from digests.store import Store

log = logging.getLogger(__name__)

Clock = Callable[[], datetime]


_EPOCH = datetime.min.replace(tzinfo=UTC)
# The bot re-places the articles of this window as a batch after every poll (capped).
REVIEW_WINDOW = timedelta(days=3)
REVIEW_MAX = 5_000
REVIEW_EVERY = timedelta(seconds=60)
# Articles placed per step of `Newsroom.ingest_steps`: about a tenth of a second of work.
INGEST_STEP = 50


def utcnow() -> datetime:
    return datetime.now(UTC)


def _credited(original: Article, copy: Article) -> bool:
    """Does `copy` credit `original`'s outlet (dateline agency, "wire reports from X")?"""
    agency = copy.dateline.agency if copy.dateline else None
    name = original.source.lower()
    return bool(agency and agency.lower() == name) or name in copy.text[:600].lower()


def _syndication_root(group: Sequence[Article]) -> Article:
    """The original of a set of near-copies: the outlet the others credit, else the earliest."""
    for candidate in group:
        others = [a for a in group if a.source != candidate.source]
        if others and all(_credited(candidate, other) for other in others):
            return candidate
    dated = [a for a in group if a.published is not None]
    if len(dated) == len(group) and len({a.published for a in dated}) > 1:
        return min(dated, key=lambda a: a.published or datetime.max.replace(tzinfo=UTC))
    return group[0]


def fold_sources(articles: Sequence[Article], duplicates: Mapping[str, str]) -> tuple[Source, ...]:
    """Distinct outlets; syndicated copies count once, under the outlet they copy.

    ("Meridian Press, via 2 outlets".) Copies are grouped by the duplicate links; within a
    group the original is the outlet the others credit, else the earliest, else the first.
    """
    parent = {a.id: a.id for a in articles}

    def find(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for copy_id, original_id in duplicates.items():
        if copy_id in parent and original_id in parent:
            parent[find(copy_id)] = find(original_id)
    members: dict[str, list[Article]] = {}
    for article in articles:
        members.setdefault(find(article.id), []).append(article)
    root_of = {}
    for group in members.values():
        root = _syndication_root(group)
        for article in group:
            root_of[article.id] = root

    order: list[str] = []
    groups: dict[str, list[Article]] = {}
    via: dict[str, list[str]] = {}
    for article in articles:
        origin = root_of[article.id]
        key = origin.source
        if key not in groups:
            order.append(key)
            groups[key] = []
            via[key] = []
        groups[key].append(article)
        if article.id != origin.id and article.source not in (origin.source, *via[key]):
            via[key].append(article.source)
    sources = []
    for key in order:
        group_articles = groups[key]
        url = next((a.url for a in group_articles if a.url and a.source == key), None)
        sources.append(Source(key, tuple(a.id for a in group_articles), tuple(via[key]), url))
    return tuple(sources)


def build_story(
    story_id: str,
    articles: Sequence[Article],
    duplicates: Mapping[str, str],
    boilerplate: Mapping[str, Collection[str]] | None = None,
) -> Story:
    """A story's view of its articles; a fact-extraction failure costs facts, not the story.
    `boilerplate`: per source, sentences it repeats across stories (never facts)."""
    try:
        sheet = extract_facts(articles, duplicates, boilerplate=boilerplate)
    except Exception:
        log.exception("fact extraction failed for story %s", story_id)
        sheet = FactSheet((), ())
    try:
        headline = choose_headline(articles)
    except Exception:
        log.exception("headline choice failed for story %s", story_id)
        headline = next((a.title for a in articles if a.title), articles[0].id)
    if not headline.strip():
        headline = next((a.title for a in articles if a.title.strip()), "") or "Untitled story"
    return Story(
        id=story_id,
        headline=headline,
        articles=tuple(articles),
        sources=fold_sources(articles, duplicates),
        facts=sheet.facts,
        disagreements=sheet.disagreements,
        duplicates=tuple(sorted((c, o) for c, o in duplicates.items())),
    )


def rank_stories(stories: Iterable[Story]) -> list[Story]:
    """More independent sources first, then the most recent."""
    epoch = datetime.min.replace(tzinfo=UTC)
    return sorted(stories, key=lambda s: (-len(s.sources), -(s.latest or epoch).timestamp(), s.id))


@dataclass(frozen=True)
class BatchResult:
    stories: tuple[Story, ...]
    assignments: Mapping[str, Assignment]


def with_canonical_url(article: Article) -> Article:
    """Tracking parameters, fragments and AMP variants never reach a digest or the store."""
    if not article.url:
        return article
    url = canonical_url(article.url)
    return article if url == article.url else replace(article, url=url)


def cluster_batch(articles: Sequence[Article]) -> BatchResult:
    """Cluster one batch in memory (the `cluster` and `digest` commands).

    Exact duplicates (same canonical URL or same text) never reach the clusterer:
    they join their original's story as copies, so every input article still
    appears in exactly one story. The clusterer sees the whole batch, so it can
    merge stories started twice and move articles that fit another story better.
    """
    seen_ids: set[str] = set()
    by_url: dict[str, str] = {}
    by_text: dict[str, str] = {}
    exact: dict[str, tuple[str, str]] = {}
    kept: list[Article] = []
    originals: list[Article] = []
    for article in map(with_canonical_url, articles):
        if article.id in seen_ids:
            log.warning("article id %r appears twice; keeping the first", article.id)
            continue
        seen_ids.add(article.id)
        url = article.url
        text_key = article_fingerprint(article.title, article.text)
        original = (by_url.get(url) if url else None) or (
            by_text.get(text_key) if text_key else None
        )
        if original is not None:
            exact[article.id] = (original, "same URL" if url and url in by_url else "same text")
        else:
            if url:
                by_url[url] = article.id
            if text_key:
                by_text[text_key] = article.id
            originals.append(article)
        kept.append(article)
    # An outlet's footer must not make one story of its reports on different events.
    furniture = repeated_sentences(originals)
    groups, assignments = cluster_articles(
        [without_sentences(a, furniture.get(a.source, ())) for a in originals]
    )
    members: dict[str, list[str]] = {g.id: list(g.article_ids) for g in groups}
    for copy_id, (original, reason) in exact.items():
        story_id = assignments[original].story_id
        members[story_id].append(copy_id)
        assignments[copy_id] = Assignment(
            copy_id, story_id, False, 1.0, (f"exact copy of {original} ({reason})",), original
        )
    by_id = {a.id: a for a in kept}
    boilerplate = recurring_sentences([by_id[i] for i in members[g.id]] for g in groups)
    stories = []
    for group in groups:
        ids = members[group.id]
        dups: dict[str, str] = {}
        for i in ids:
            duplicate_of = assignments[i].duplicate_of
            if duplicate_of:
                dups[i] = duplicate_of
        stories.append(build_story(group.id, [by_id[i] for i in ids], dups, boilerplate))
    return BatchResult(tuple(stories), assignments)


def make_digest(stories: Sequence[Story], *, title: str, now: datetime, limit: int = 10) -> Digest:
    return Digest(title=title, generated_at=now, stories=tuple(rank_stories(stories)[:limit]))


@dataclass(frozen=True)
class IngestReport:
    stored: int
    duplicates: int
    new_stories: int

    def __str__(self) -> str:
        return (
            f"{self.stored} new article(s), {self.duplicates} duplicate(s) dropped, "
            f"{self.new_stories} new stor{'y' if self.new_stories == 1 else 'ies'}"
        )


def mentions(story: Story, word: str) -> bool:
    needle = word.lower()
    return any(needle in (a.title + " " + a.text).lower() for a in story.articles)


SEARCH_RELATIVE = 4  # a hit scores at least a quarter of the best one


class Newsroom:
    """The store-backed pipeline the bot runs: ingest -> stories -> digests.

    The clusterer's in-memory index is rebuilt from the stored articles of the
    last `window` at start-up (word statistics first, then the articles in
    stored order); ids are deterministic, so stories keep their ids.
    """

    def __init__(
        self, store: Store, *, clock: Clock = utcnow, window: timedelta = timedelta(days=14)
    ) -> None:
        self._store = store
        self._clock = clock
        self._clusterer = StoryClusterer()
        self._activity: dict[str, datetime] = {}
        self._seen_at: dict[str, datetime] = {}  # article id -> when it arrived (recent ones)
        self._recent: list[Article] = []  # the review window, in placement order
        self._cache: dict[tuple[str, tuple[str, ...]], Story] = {}
        # Sentences each outlet repeats across the window's stories (see digests.boilerplate),
        # and each recent article's sentence keys, so a review does not split texts again.
        self._boilerplate: dict[str, frozenset[str]] = {}
        self._keys: dict[str, frozenset[str]] = {}
        # Every sentence of each recent text, to find what an outlet repeats under unrelated
        # headlines (a footer): the clusterer reads texts without it.
        self._text_keys: dict[str, frozenset[str]] = {}
        self._dirty = False
        self._ingesting = 0  # ingests paused mid-way (see `ingest_steps`)
        self._reviewing = False  # a review paused mid-way (see `refresh_steps`)
        self._reviewed_at = _EPOCH
        now = clock()
        since = now - window
        stored = {a.article_id: a for a in store.assignments()}
        history = [a for a in store.articles() if a.published is None or a.published >= since]
        arrived = store.ingested_since(now - REVIEW_WINDOW)
        placing = self._without_furniture(history, history, keep=False)
        self._clusterer.warm_up(placing)
        for article, as_read in zip(history, placing, strict=True):
            self._clusterer.add(as_read)
            if article.id in arrived:
                self._remember(article, arrived[article.id])
        self._clusterer.merge_similar()
        self._review(now)
        for article in history:
            current = self._clusterer.assignment(article.id)
            if current is not None and stored.get(article.id) != current:
                store.save_assignment(current)

    def _save_changes(self, before: Mapping[str, tuple[str, ...]]) -> None:
        run_steps(self._save_steps(before, 0))

    def _save_steps(
        self, before: Mapping[str, tuple[str, ...]], step: int
    ) -> Generator[None, None, None]:
        """Save every assignment that changed: new articles, stories merged or re-placed,
        and copies relinked to an original that arrived after them. Pauses after every
        `step` articles compared (0: never): a thousand saves take a second."""
        n = 0
        for group in self._clusterer.groups():
            if before.get(group.id) == group.article_ids:
                continue
            for article_id in group.article_ids:
                current = self._clusterer.assignment(article_id)
                if current is not None and current != self._store.assignment_for(article_id):
                    self._store.save_assignment(current)
                n += 1
                if step > 0 and n % step == 0:
                    yield

    def first_seen(self, story: Story) -> datetime | None:
        """When the story's first article reached us (None once it left the review window)."""
        times = [self._seen_at[a.id] for a in story.articles if a.id in self._seen_at]
        return min(times) if len(times) == len(story.articles) else None

    def refresh(self) -> None:
        """Run the batch review if articles arrived since the last one. Called before stories
        are read (digests, search), not per poll: a review costs up to seconds. Not while an
        ingest is paused mid-way (`ingest_steps`): its last step runs the review if due."""
        run_steps(self.refresh_steps(0))

    @property
    def reviewing(self) -> bool:
        """A review is paused mid-way (`refresh_steps`): no ingest may place articles until it
        ends (its moves are applied at the end, to the stories as they were)."""
        return self._reviewing

    def refresh_steps(self, step: int = INGEST_STEP) -> Generator[None, None, None]:
        """`refresh`, pausing after every `step` articles weighed or saved (0: never). A
        review already under way, or an ingest paused mid-way, makes this a no-op."""
        if not self._dirty or self._ingesting or self._reviewing:
            return
        self._reviewing = True
        try:
            before = {g.id: g.article_ids for g in self._clusterer.groups()}
            self._reviewed_at = self._clock()
            yield from self._review_steps(self._reviewed_at, step)
            yield from self._save_steps(before, step)
            self._dirty = False
        finally:
            self._reviewing = False

    def _remember(self, article: Article, when: datetime) -> None:
        self._seen_at[article.id] = when
        self._recent.append(article)

    def _without_furniture(
        self, articles: Sequence[Article], company: Iterable[Article], *, keep: bool = True
    ) -> list[Article]:
        """`articles` as the clusterer should read them: without the sentences their outlet
        repeats under unrelated headlines among `company` (see `repeated_sentences`).
        `keep`: remember each text's sentences for the next poll (the review window's only;
        start-up reads a fortnight once)."""

        def keys(a: Article) -> frozenset[str]:
            found = self._text_keys.get(a.id)
            if found is None:
                found = text_sentence_keys(a)
                if keep:
                    self._text_keys[a.id] = found
            return found

        furniture = repeated_sentences(company, keys)
        if not furniture:
            return list(articles)
        return [without_sentences(a, furniture.get(a.source, ())) for a in articles]

    def _review(self, now: datetime) -> None:
        run_steps(self._review_steps(now, 0))

    def _review_steps(self, now: datetime, step: int) -> Generator[None, None, None]:
        """Re-place the last few days' articles as one batch (the online order can start an
        event twice or put an early report in a look-alike story); older stories leave the
        index. Story ids may change; posts are matched by article, so nothing reposts."""
        cutoff = now - REVIEW_WINDOW
        self._recent = [a for a in self._recent if self._seen_at.get(a.id, now) >= cutoff]
        self._recent = self._recent[-REVIEW_MAX:]
        keep = {a.id for a in self._recent}
        self._seen_at = {k: v for k, v in self._seen_at.items() if k in keep}
        self._text_keys = {a.id: k for a in self._recent if (k := self._text_keys.get(a.id))}
        if self._recent:
            placing = self._without_furniture(self._recent, self._recent)
            yield from self._clusterer.refine_steps(placing, step)
        self._find_boilerplate()
        self._activity = {}
        for group in self._clusterer.groups():
            times = [self._seen_at[i] for i in group.article_ids if i in self._seen_at]
            if times:
                self._activity[group.id] = max(times)

    @property
    def store(self) -> Store:
        return self._store

    def ingest(self, articles: Iterable[Article]) -> IngestReport:
        """Store and cluster one poll's articles (the clusterer places them oldest first,
        as a live stream would have brought them, so the first report founds the story)."""
        return run_steps(self.ingest_steps(articles, 0))

    def ingest_steps(
        self, articles: Iterable[Article], step: int = INGEST_STEP
    ) -> Generator[None, None, IngestReport]:
        """`ingest`, pausing (yielding) after every `step` articles stored, read or placed
        (0: never); the result is the same.

        A bot on an event loop lets other work run at each pause: a first poll of a thousand
        articles takes seconds to cluster, longer than a chat platform waits for a command's
        acknowledgement. Reads meanwhile see the stories as last saved; the batch review
        waits until no ingest is under way (it re-places articles)."""
        self._ingesting += 1
        try:
            stored, duplicates, before = yield from self._ingest_steps(articles, step)
        finally:
            self._ingesting -= 1
        if not stored:
            return IngestReport(0, duplicates, 0)
        if self._clock() - self._reviewed_at >= REVIEW_EVERY:
            yield from self.refresh_steps(step)  # at most once a minute however many poll
        started = {g.id for g in self._clusterer.groups()} - before.keys()
        return IngestReport(stored, duplicates, len(started))

    def _ingest_steps(
        self, articles: Iterable[Article], step: int
    ) -> Generator[None, None, tuple[int, int, Mapping[str, tuple[str, ...]]]]:
        """Articles stored and placed; how many were new, how many duplicates, and the
        stories as they were before placing."""
        duplicates = 0
        fresh: list[Article] = []
        # Stored in the order the clusterer will place them, so a restart replays the same
        # sequence and rebuilds the same stories.
        batch = in_placement_order(map(with_canonical_url, articles))
        for n, article in enumerate(batch, start=1):
            result = self._store.add_article(
                article,
                canonical_url=article.url,
                fingerprint=article_fingerprint(article.title, article.text),
            )
            if step > 0 and n % step == 0:
                yield
            if not result.stored:
                duplicates += 1
                if result.duplicate_of and result.duplicate_of != article.id:
                    self._store.record_suppressed(
                        article.id, article.url, result.duplicate_of, result.reason or "duplicate"
                    )
                continue
            fresh.append(article)
        if not fresh:
            return 0, duplicates, {}
        # Another ingest may place articles during a pause: its changes then count here too
        # (saving them twice is harmless; the new-story count is only reported).
        before = {g.id: g.article_ids for g in self._clusterer.groups()}
        for n, article in enumerate(fresh, start=1):
            self._text_keys[article.id] = text_sentence_keys(article)
            if step > 0 and n % step == 0:
                yield
        outlets = {a.source for a in fresh}
        company = [a for a in self._recent if a.source in outlets]  # only theirs can repeat
        placing = self._without_furniture(fresh, [*company, *fresh])
        placed = yield from self._clusterer.add_many_steps(placing, step)
        now = self._clock()
        for n, article in enumerate(fresh, start=1):
            self._remember(article, now)
            # Read here, a step at a time, rather than all at once by the next review.
            self._keys[article.id] = sentence_keys(article)
            if step > 0 and n % step == 0:
                yield
        # An event the poll's order started twice is one story again.
        self._clusterer.merge_similar()
        for assignment in placed:
            self._activity[assignment.story_id] = now
        yield from self._save_steps(before, step)
        self._dirty = True
        return len(fresh), duplicates, before

    def _find_boilerplate(self) -> None:
        """Recompute what the review window's outlets repeat across stories; stories built
        with an older answer are built again."""
        self._keys = {a.id: self._keys.get(a.id) or sentence_keys(a) for a in self._recent}
        by_story: dict[str, list[Article]] = {}
        for article in self._recent:
            placed = self._clusterer.assignment(article.id)
            if placed is not None:
                by_story.setdefault(placed.story_id, []).append(article)
        found = recurring_sentences(by_story.values(), lambda a: self._keys[a.id])
        if found != self._boilerplate:
            self._boilerplate = found
            self._cache.clear()

    def story(self, story_id: str) -> Story | None:
        """A story with its facts; built once per set of articles (facts cost milliseconds)."""
        return self._story(story_id)[0]

    def build_stories(self, *, within: timedelta | None = None) -> Iterator[str | None]:
        """Run the review if due (yielding None at its pauses), then build the facts of every
        current story (active within `within`) not built yet, yielding each one's id.

        Reading a hundred new stories costs seconds of facts; a bot on an event loop steps
        through this first, so the digest or search that follows finds them built."""
        for _ in self.refresh_steps():
            yield None
        since = self._clock() - within if within is not None else None
        for group in self._clusterer.groups():
            if since is not None and self._activity.get(group.id, _EPOCH) < since:
                continue
            if self._story(group.id)[1]:
                yield group.id

    def _story(self, story_id: str) -> tuple[Story | None, bool]:
        """The story, and whether it was built now (not found in the cache)."""
        ids = tuple(self._store.story_article_ids(story_id))
        if not ids:
            return None, False
        cached = self._cache.get((story_id, ids))
        if cached is not None:
            return cached, False
        articles = self._store.get_articles(ids)
        dups = {}
        for aid in ids:
            found = self._store.assignment_for(aid)
            if found is not None and found.duplicate_of:
                dups[aid] = found.duplicate_of
        story = build_story(story_id, articles, dups, self._boilerplate)
        if len(self._cache) >= 4096:
            self._cache.clear()
        self._cache[(story_id, ids)] = story
        return story, True

    def groups(self) -> list[StoryGroup]:
        self.refresh()
        return self._clusterer.groups()

    def stories(
        self, *, origins: Sequence[str] | None = None, within: timedelta | None = None
    ) -> list[Story]:
        """Current stories (active within `within`, if given); with `origins`, only those
        holding an article from one of those sources."""
        self.refresh()
        since = self._clock() - within if within is not None else None
        stories = []
        for group in self._clusterer.groups():
            if since is not None and self._activity.get(group.id, _EPOCH) < since:
                continue
            story = self.story(group.id)
            if story is None:
                continue
            if origins is not None and not any(a.origin in origins for a in story.articles):
                continue
            stories.append(story)
        return stories

    def search(self, terms: str, limit: int = 5) -> list[Story]:
        """Stories whose headline or key facts hold every term (only when none does, stories
        whose articles merely mention them), and not far behind the best match: a quake
        named in passing in a rail story is not a quake story."""
        words = [w.lower() for w in terms.split() if w.strip()]
        about: list[tuple[int, Story]] = []
        mentioning: list[tuple[int, Story]] = []
        for story in self.stories():
            hay = " ".join([story.headline] + [f.text for f in story.facts]).lower()
            body = " ".join(a.title + " " + a.text for a in story.articles).lower()
            score = sum(3 * hay.count(w) + body.count(w) for w in words)
            if words and all(w in hay for w in words):
                about.append((score, story))
            elif words and all(w in body or w in hay for w in words):
                mentioning.append((score, story))
        scored = about or mentioning
        scored.sort(key=lambda x: (-x[0], x[1].id))
        best = scored[0][0] if scored else 0
        # A story that names the terms a few times beside one full of them is not a hit.
        return [s for score, s in scored[:limit] if score * SEARCH_RELATIVE >= best]

    def why(self, url_or_id: str) -> str:
        """What happened to one article, in words, for `/digest why URL`."""
        store = self._store
        target = url_or_id.strip()
        # Stored URLs are canonical: the same link with a trailing "/", an upper-case host or
        # "?utm_source=x" is the same article.
        canonical = canonical_url(target)
        article = (
            store.find_article_by_url(target)
            or (store.find_article_by_url(canonical) if canonical != target else None)
            or store.get_article(target)
        )
        if article is None:
            suppressed = store.suppressed_for(target) or (
                store.suppressed_for(canonical) if canonical != target else None
            )
            if suppressed is not None:
                original, reason = suppressed
                return (
                    f"{target} was not stored: it is a duplicate of article {original} ({reason})."
                )
            return f"{target} is not among the stored articles (never fetched, or too old)."
        lines = [f"“{article.title or article.id}” ({article.source}) is stored."]
        assignment = store.assignment_for(article.id)
        if assignment is None:
            lines.append("It has not been clustered yet.")
            return "\n".join(lines)
        story = self.story(assignment.story_id)
        headline = story.headline if story else assignment.story_id
        if assignment.duplicate_of:
            lines.append(
                f"It is a near-copy of article {assignment.duplicate_of} and counts as the same "
                "source."
            )
        if assignment.new_story:
            lines.append(f"It started the story “{headline}”.")
        else:
            lines.append(f"It joined the story “{headline}” (score {assignment.score:.2f}).")
        if assignment.evidence:
            lines.append("Why: " + "; ".join(assignment.evidence))
        for channel_key, post in store.posts_for_story(assignment.story_id):
            lines.append(f"Posted to {channel_key} at {post.posted_at:%Y-%m-%d %H:%M} UTC.")
        for channel in store.channels():
            if story and any(mentions(story, w) for w in channel.muted):
                lines.append(f"Muted in {channel.key}.")
        return "\n".join(lines)


__all__ = [
    "BatchResult",
    "IngestReport",
    "Newsroom",
    "build_story",
    "cluster_batch",
    "fold_sources",
    "make_digest",
    "rank_stories",
    "story_id_for",
]
