"""Domain values shared by every part of newsdigest.

All values are frozen: a story or a fact is recomputed, never patched in place,
so the same input always renders the same digest.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal

FactKind = Literal["when", "where", "who", "number", "quote", "event", "other"]
FACT_KINDS: tuple[FactKind, ...] = ("when", "where", "who", "number", "quote", "event", "other")
# An article's outlet when nothing names it: no outlet of its own, so never "the same outlet".
UNKNOWN_SOURCE = "unknown"


@dataclass(frozen=True)
class Dateline:
    """The `SEOUL, June 30 (AJP) -` prefix many wire texts open with."""

    place: str | None = None
    date_text: str | None = None
    agency: str | None = None


@dataclass(frozen=True)
class Article:
    """One news article as read from a file, a record or a feed item.

    `id` is stable across runs: a record's `id`, a file's stem, a feed item's
    GUID or canonical URL. `source` is never blank; `source_note` says how it
    was chosen when it had to be guessed (e.g. from the file name).
    `published` is timezone-aware UTC or None.
    """

    id: str
    title: str
    text: str
    source: str
    url: str | None = None
    published: datetime | None = None
    lang: str = "en"
    origin: str = ""
    source_note: str | None = None
    dateline: Dateline | None = None
    summary: str = ""


@dataclass(frozen=True)
class ReadProblem:
    """A file, line, or feed that could not be read; reported, never raised."""

    where: str
    reason: str

    def __str__(self) -> str:
        return f"{self.where}: {self.reason}"


@dataclass(frozen=True)
class ReadResult:
    articles: tuple[Article, ...] = ()
    problems: tuple[ReadProblem, ...] = ()


@dataclass(frozen=True, slots=True)
class Assignment:
    """Where the clusterer put one article, and why (for `/digest why URL`).

    `duplicate_of` is set when the article is a near-copy (wire syndication,
    re-post) of an earlier article: it still belongs to the story but counts as
    the same source as the original.
    """

    article_id: str
    story_id: str
    new_story: bool
    score: float = 0.0
    evidence: tuple[str, ...] = ()
    duplicate_of: str | None = None


@dataclass(frozen=True)
class Fact:
    text: str
    kind: FactKind
    article_ids: tuple[str, ...]
    source_count: int = 1


@dataclass(frozen=True)
class Disagreement:
    text: str
    article_ids: tuple[str, ...]


@dataclass(frozen=True)
class Source:
    """One outlet as it counts for confirmation: syndicated copies fold into
    the original (`via` names the outlets that republished it)."""

    name: str
    article_ids: tuple[str, ...]
    via: tuple[str, ...] = ()
    url: str | None = None


@dataclass(frozen=True)
class Story:
    id: str
    headline: str
    articles: tuple[Article, ...]
    sources: tuple[Source, ...] = ()
    facts: tuple[Fact, ...] = ()
    disagreements: tuple[Disagreement, ...] = ()
    duplicates: tuple[tuple[str, str], ...] = ()  # (copy article id, original article id)

    @property
    def latest(self) -> datetime | None:
        dates = [a.published for a in self.articles if a.published is not None]
        return max(dates) if dates else None


@dataclass(frozen=True)
class Digest:
    """Numbered stories as shown in one post; N in `/digest story N` is 1-based."""

    title: str
    generated_at: datetime
    stories: tuple[Story, ...] = ()


@dataclass(frozen=True)
class Subscription:
    """A source a channel reads: a feed URL or a folder of article files."""

    name: str
    url: str | None = None
    path: str | None = None
    poll_seconds: int = 600
    allow_private: bool = False
    channel_key: str | None = None  # set when added from chat for one channel


@dataclass(frozen=True)
class ChannelRef:
    """A chat destination; `key` is `platform:id` and is what the store keys on."""

    platform: str
    id: str

    @property
    def key(self) -> str:
        return f"{self.platform}:{self.id}"


@dataclass(frozen=True)
class StoryGroup:
    """A story as the clusterer sees it: ordered article ids, stable id."""

    id: str
    article_ids: tuple[str, ...] = field(default_factory=tuple)
