"""Persistent state of the bot: SQLAlchemy 2 Core over SQLite (default) or PostgreSQL.

Every public method is one short transaction, so the pipeline and the chat
adapters can share one `Store` from several threads. The schema is owned by
the Alembic revisions in `digests/migrations/`; `Store.open` upgrades an older
database in place and refuses one written by a newer newsdigest, so data is
never wiped. Datetimes go in and come out as aware UTC on both backends.
"""

from __future__ import annotations

import hashlib
import logging
import re
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager, nullcontext
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from alembic.util.exc import CommandError
from sqlalchemy import event
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection, Engine, make_url
from sqlalchemy.engine.url import URL
from sqlalchemy.pool import StaticPool

from digests.models import Article, Assignment, Dateline, Subscription

log = logging.getLogger(__name__)

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
BUSY_TIMEOUT_MS = 10_000
_PG_CONNECT_TIMEOUT_S = 10
_PG_MIGRATION_LOCK = 0x6E657773  # "news": serialises concurrent `Store.open` upgrades
_SQLITE_WRITE = "newsdigest_sqlite_write"  # execution option: BEGIN IMMEDIATE instead of BEGIN
_IN_CHUNK = 500


class StoreError(Exception):
    """The database cannot be opened or used; the message names the (masked) URL."""


class UTCDateTime(sa.TypeDecorator[datetime]):
    """Aware UTC in, aware UTC out.

    SQLite has no time zones, so values are stored there as naive UTC (which
    also keeps them sortable as text); naive input is refused rather than guessed.
    """

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: sa.Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None or value.utcoffset() is None:
            raise ValueError(f"naive datetime {value!r}: the store needs timezone-aware values")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: sa.Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


# --- schema (must match the Alembic revisions; tests/test_store.py checks for drift) ---

metadata = sa.MetaData()

articles_t = sa.Table(
    "articles",
    metadata,
    sa.Column("seq", sa.Integer(), primary_key=True, autoincrement=True),
    sa.Column("id", sa.Text(), nullable=False),
    sa.Column("title", sa.Text(), nullable=False),
    sa.Column("text", sa.Text(), nullable=False),
    sa.Column("source", sa.Text(), nullable=False),
    sa.Column("url", sa.Text()),
    sa.Column("url_key", sa.String(64)),  # sha256 of url: indexable at any length
    sa.Column("canonical_url", sa.Text()),
    sa.Column("canonical_key", sa.String(64)),
    sa.Column("fingerprint", sa.Text()),
    sa.Column("published", UTCDateTime()),
    sa.Column("lang", sa.Text(), nullable=False),
    sa.Column("origin", sa.Text(), nullable=False),
    sa.Column("source_note", sa.Text()),
    sa.Column("dateline_place", sa.Text()),
    sa.Column("dateline_date_text", sa.Text()),
    sa.Column("dateline_agency", sa.Text()),
    sa.Column("summary", sa.Text(), nullable=False),
    sa.Column("ingested_at", UTCDateTime(), nullable=False),
    sa.UniqueConstraint("id", name="uq_articles_id"),
    sa.UniqueConstraint("canonical_key", name="uq_articles_canonical_key"),
    sa.UniqueConstraint("fingerprint", name="uq_articles_fingerprint"),
    sa.Index("ix_articles_url_key", "url_key"),
    sqlite_autoincrement=True,
)

suppressed_t = sa.Table(
    "suppressed",
    metadata,
    sa.Column("article_id", sa.Text(), primary_key=True),
    sa.Column("url", sa.Text()),
    sa.Column("url_key", sa.String(64)),
    sa.Column("duplicate_of", sa.Text(), nullable=False),
    sa.Column("reason", sa.Text(), nullable=False),
    sa.Column("recorded_at", UTCDateTime(), nullable=False),
    sa.Index("ix_suppressed_url_key", "url_key"),
)

assignments_t = sa.Table(
    "assignments",
    metadata,
    sa.Column(
        "article_id",
        sa.Text(),
        sa.ForeignKey("articles.id", name="fk_assignments_article_id", ondelete="CASCADE"),
        primary_key=True,
    ),
    sa.Column("story_id", sa.Text(), nullable=False),
    sa.Column("new_story", sa.Boolean(), nullable=False),
    sa.Column("score", sa.Float(), nullable=False),
    sa.Column("evidence", sa.JSON(), nullable=False),
    sa.Column("duplicate_of", sa.Text()),
    sa.Index("ix_assignments_story_id", "story_id"),
)

sources_t = sa.Table(
    "sources",
    metadata,
    sa.Column("name", sa.Text(), primary_key=True),
    sa.Column("channel_key", sa.Text(), primary_key=True),  # "" = configured for every channel
    sa.Column("url", sa.Text()),
    sa.Column("path", sa.Text()),
    sa.Column("poll_seconds", sa.Integer(), nullable=False),
    sa.Column("allow_private", sa.Boolean(), nullable=False),
    sa.Column("added_at", UTCDateTime(), nullable=False),
)

feed_state_t = sa.Table(
    "feed_state",
    metadata,
    sa.Column("name", sa.Text(), primary_key=True),
    sa.Column("etag", sa.Text()),
    sa.Column("last_modified", sa.Text()),
    sa.Column("last_success_at", UTCDateTime()),
    sa.Column("last_error", sa.Text()),
    sa.Column("last_error_at", UTCDateTime()),
    sa.Column("consecutive_failures", sa.Integer(), nullable=False),
    sa.Column("next_poll_at", UTCDateTime()),
    sa.Column("paused", sa.Boolean(), nullable=False),
    sa.Column("items_today", sa.Integer(), nullable=False),
    sa.Column("items_day", sa.Date()),
)

channels_t = sa.Table(
    "channels",
    metadata,
    sa.Column("key", sa.Text(), primary_key=True),
    sa.Column("schedule", sa.Text()),
    sa.Column("timezone", sa.Text()),
    sa.Column("last_error", sa.Text()),
)

channel_mutes_t = sa.Table(
    "channel_mutes",
    metadata,
    sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
    sa.Column(
        "channel_key",
        sa.Text(),
        sa.ForeignKey("channels.key", name="fk_channel_mutes_channel_key", ondelete="CASCADE"),
        nullable=False,
    ),
    sa.Column("word", sa.Text(), nullable=False),
    sa.UniqueConstraint("channel_key", "word", name="uq_channel_mutes_channel_key_word"),
)

digest_numbers_t = sa.Table(
    "digest_numbers",
    metadata,
    sa.Column("channel_key", sa.Text(), primary_key=True),
    sa.Column("position", sa.Integer(), primary_key=True, autoincrement=False),
    sa.Column("story_id", sa.Text(), nullable=False),
)

posts_t = sa.Table(
    "posts",
    metadata,
    sa.Column("channel_key", sa.Text(), primary_key=True),
    sa.Column("story_id", sa.Text(), primary_key=True),
    sa.Column("message_id", sa.Text()),
    sa.Column("article_ids", sa.JSON(), nullable=False),
    sa.Column("posted_at", UTCDateTime(), nullable=False),
    sa.Index("ix_posts_story_id", "story_id"),
)

outbox_t = sa.Table(
    "outbox",
    metadata,
    sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
    sa.Column("channel_key", sa.Text(), nullable=False),
    sa.Column("story_id", sa.Text()),
    sa.Column("kind", sa.Text(), nullable=False),
    sa.Column("payload", sa.JSON(), nullable=False),
    sa.Column("idempotency_key", sa.Text(), nullable=False),
    sa.Column("attempts", sa.Integer(), nullable=False),
    sa.Column("created_at", UTCDateTime(), nullable=False),
    sa.Column("not_before", UTCDateTime(), nullable=False),
    sa.Column("delivered_at", UTCDateTime()),
    sa.Column("message_id", sa.Text()),
    sa.Column("last_error", sa.Text()),
    sa.UniqueConstraint("idempotency_key", name="uq_outbox_idempotency_key"),
    sa.Index("ix_outbox_due", "delivered_at", "not_before"),
    sqlite_autoincrement=True,
)

meta_t = sa.Table(
    "meta",
    metadata,
    sa.Column("key", sa.Text(), primary_key=True),
    sa.Column("value", sa.Text(), nullable=False),
)


# --- values ---


@dataclass(frozen=True)
class AddResult:
    """Outcome of `add_article`: stored, or a duplicate of `duplicate_of` for `reason`."""

    stored: bool
    duplicate_of: str | None = None
    reason: str | None = None  # "same id" | "same URL" | "same text"
    seq: int | None = None  # ingest sequence number when stored


@dataclass(frozen=True)
class FeedState:
    """Polling state of one source (by name); the defaults mean "never polled"."""

    name: str
    etag: str | None = None
    last_modified: str | None = None
    last_success_at: datetime | None = None
    last_error: str | None = None
    last_error_at: datetime | None = None
    consecutive_failures: int = 0
    next_poll_at: datetime | None = None
    paused: bool = False
    items_today: int = 0
    items_day: date | None = None


@dataclass(frozen=True)
class ChannelSettings:
    """Per-channel setup changed from chat; the defaults mean "use the configuration"."""

    key: str
    schedule: str | None = None
    timezone: str | None = None
    muted: tuple[str, ...] = ()
    last_error: str | None = None


@dataclass(frozen=True)
class PostRecord:
    """A story as posted to one channel: the thread root and every article shown so far."""

    message_id: str | None
    article_ids: tuple[str, ...]
    posted_at: datetime


@dataclass(frozen=True)
class OutboxItem:
    id: int
    channel_key: str
    story_id: str | None
    kind: str
    payload: dict[str, Any]
    idempotency_key: str
    attempts: int
    not_before: datetime
    delivered_at: datetime | None
    message_id: str | None
    last_error: str | None


# --- opening and migrating ---


def normalize_url(url: str) -> str:
    """Route every PostgreSQL spelling to the psycopg 3 driver we ship."""
    url = url.strip()
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def mask_url(url: str | URL) -> str:
    """The URL as safe to log or show in chat: any password replaced by ***."""
    if isinstance(url, URL):
        return url.render_as_string(hide_password=True)
    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:  # unparsable: mask by pattern instead
        return re.sub(r"(://[^:/@]*:)[^@/]*@", r"\1***@", url)


def alembic_config() -> Config:
    """Alembic configured in code: no ini file to ship or to find at run time."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR).replace("%", "%%"))
    return config


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Bring the schema to `revision` in one transaction; refuse unknown (newer) revisions."""
    config = alembic_config()
    script = ScriptDirectory.from_config(config)
    known = {rev.revision for rev in script.walk_revisions()}
    with engine.connect() as conn:
        conn.execution_options(**{_SQLITE_WRITE: True})
        with conn.begin():
            if conn.dialect.name == "postgresql":
                conn.execute(sa.select(sa.func.pg_advisory_xact_lock(_PG_MIGRATION_LOCK)))
            current = MigrationContext.configure(conn).get_current_heads()
            unknown = [rev for rev in current if rev not in known]
            if unknown:
                raise StoreError(
                    f"database {mask_url(engine.url)} is at schema revision "
                    f"{', '.join(unknown)}, which this newsdigest does not know (it knows up to "
                    f"{script.get_current_head()}); it was written by a newer newsdigest — "
                    "upgrade newsdigest instead of opening it with this one"
                )
            config.attributes["connection"] = conn
            command.upgrade(config, revision)
    log.debug("schema of %s at %s", mask_url(engine.url), revision)


def _sqlite_engine(url: URL) -> tuple[Engine, bool]:
    database = url.database or ""
    memory = database in ("", ":memory:") or url.query.get("mode") == "memory"
    if not memory and not database.startswith("file:"):
        Path(database).parent.mkdir(parents=True, exist_ok=True)
    kwargs: dict[str, Any] = {
        "connect_args": {"check_same_thread": False, "timeout": BUSY_TIMEOUT_MS / 1000},
    }
    if memory:
        kwargs["poolclass"] = StaticPool  # one shared connection, else each thread gets a new DB
    engine = sa.create_engine(url, **kwargs)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        # We issue BEGIN ourselves (see _on_begin): pysqlite's implicit transactions
        # would start too late for read-then-write and break transactional DDL.
        dbapi_conn.isolation_level = None
        cursor = dbapi_conn.cursor()
        try:
            cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")  # first: WAL switch may wait
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")  # durable enough in WAL mode, much faster
            cursor.execute("PRAGMA foreign_keys=ON")
        finally:
            cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        # Writers take the lock up front so two threads never deadlock upgrading
        # a read lock to a write lock (SQLITE_BUSY that busy_timeout cannot fix).
        write = conn.get_execution_options().get(_SQLITE_WRITE, False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")

    return engine, memory


def _postgres_engine(url: URL) -> Engine:
    connect_args: dict[str, Any] = {}
    if "connect_timeout" not in url.query:
        connect_args["connect_timeout"] = _PG_CONNECT_TIMEOUT_S
    return sa.create_engine(url, pool_pre_ping=True, connect_args=connect_args)


def _reason(exc: BaseException) -> str:
    orig = getattr(exc, "orig", None)
    text = str(orig if orig is not None else exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def _key(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _chunks(items: Sequence[str], size: int = _IN_CHUNK) -> Iterator[Sequence[str]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _now() -> datetime:
    return datetime.now(UTC)


_ARTICLE_COLUMNS = (
    articles_t.c.id,
    articles_t.c.title,
    articles_t.c.text,
    articles_t.c.source,
    articles_t.c.url,
    articles_t.c.published,
    articles_t.c.lang,
    articles_t.c.origin,
    articles_t.c.source_note,
    articles_t.c.dateline_place,
    articles_t.c.dateline_date_text,
    articles_t.c.dateline_agency,
    articles_t.c.summary,
)


def _article(row: Sequence[Any]) -> Article:
    (
        id_,
        title,
        text,
        source,
        url,
        published,
        lang,
        origin,
        note,
        place,
        date_text,
        agency,
        summ,
    ) = row
    dateline = None
    if place is not None or date_text is not None or agency is not None:
        dateline = Dateline(place=place, date_text=date_text, agency=agency)
    return Article(
        id=id_,
        title=title,
        text=text,
        source=source,
        url=url,
        published=published,
        lang=lang,
        origin=origin,
        source_note=note,
        dateline=dateline,
        summary=summ,
    )


def _assignment(row: sa.Row[Any]) -> Assignment:
    return Assignment(
        article_id=row.article_id,
        story_id=row.story_id,
        new_story=bool(row.new_story),
        score=float(row.score),
        evidence=tuple(row.evidence or ()),
        duplicate_of=row.duplicate_of,
    )


def _feed_state(row: sa.Row[Any]) -> FeedState:
    return FeedState(
        name=row.name,
        etag=row.etag,
        last_modified=row.last_modified,
        last_success_at=row.last_success_at,
        last_error=row.last_error,
        last_error_at=row.last_error_at,
        consecutive_failures=row.consecutive_failures,
        next_poll_at=row.next_poll_at,
        paused=bool(row.paused),
        items_today=row.items_today,
        items_day=row.items_day,
    )


def _outbox_item(row: sa.Row[Any]) -> OutboxItem:
    return OutboxItem(
        id=row.id,
        channel_key=row.channel_key,
        story_id=row.story_id,
        kind=row.kind,
        payload=dict(row.payload),
        idempotency_key=row.idempotency_key,
        attempts=row.attempts,
        not_before=row.not_before,
        delivered_at=row.delivered_at,
        message_id=row.message_id,
        last_error=row.last_error,
    )


# --- the store ---


class Store:
    """Synchronous, thread-safe access to the bot's state; one transaction per call."""

    def __init__(
        self,
        engine: Engine,
        *,
        clock: Callable[[], datetime] = _now,
        serialize: bool = False,
    ) -> None:
        self._engine = engine
        self._clock = clock
        # An in-memory SQLite DB is one shared connection: threads must take turns.
        self._guard: AbstractContextManager[Any] = threading.RLock() if serialize else nullcontext()

    @classmethod
    def open(cls, url: str, *, clock: Callable[[], datetime] = _now) -> Store:
        """Connect to `url` and upgrade its schema; raise StoreError if either fails."""
        url = normalize_url(url)
        shown = mask_url(url)
        try:
            parsed = make_url(url)
        except Exception as exc:  # ArgumentError, ValueError: both mean "not a URL"
            raise StoreError(f"bad database URL {shown!r}: {_reason(exc)}") from None
        backend = parsed.get_backend_name()
        try:
            if backend == "sqlite":
                engine, memory = _sqlite_engine(parsed)
            elif backend == "postgresql":
                engine, memory = _postgres_engine(parsed), False
            else:
                raise StoreError(
                    f"unsupported database URL {shown!r}: "
                    "use sqlite:///PATH or postgresql+psycopg://USER@HOST/DB"
                )
        except StoreError:
            raise
        except (sa.exc.SQLAlchemyError, OSError, ImportError) as exc:
            raise StoreError(f"cannot open database {shown!r}: {_reason(exc)}") from None
        try:
            upgrade(engine)
        except StoreError:
            engine.dispose()
            raise
        except (sa.exc.SQLAlchemyError, CommandError, OSError) as exc:
            engine.dispose()
            raise StoreError(f"cannot open database {shown!r}: {_reason(exc)}") from exc
        log.info("store opened: %s", shown)
        return cls(engine, clock=clock, serialize=memory)

    def close(self) -> None:
        self._engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    @property
    def engine(self) -> Engine:
        return self._engine

    @contextmanager
    def _tx(self, *, write: bool) -> Iterator[Connection]:
        try:
            with self._guard, self._engine.connect() as conn:
                if write:
                    conn.execution_options(**{_SQLITE_WRITE: True})
                with conn.begin():
                    yield conn
        except (sa.exc.OperationalError, sa.exc.InterfaceError) as exc:
            raise StoreError(f"database {mask_url(self._engine.url)}: {_reason(exc)}") from exc
        except sa.exc.StatementError as exc:
            # A value our types refused (e.g. a naive datetime): the caller's bug, say so plainly.
            if isinstance(exc.orig, ValueError) and not isinstance(exc, sa.exc.DBAPIError):
                raise exc.orig from None
            raise

    def _insert(self, conn: Connection, table: sa.Table) -> Any:
        """The dialect's INSERT, which knows ON CONFLICT on both backends."""
        if conn.dialect.name == "postgresql":
            return postgresql.insert(table)
        return sqlite.insert(table)

    def _upsert(
        self, conn: Connection, table: sa.Table, values: dict[str, Any], keys: Sequence[str]
    ) -> None:
        stmt = self._insert(conn, table).values(**values)
        update = {c: stmt.excluded[c] for c in values if c not in keys}
        if update:
            stmt = stmt.on_conflict_do_update(index_elements=list(keys), set_=update)
        else:
            stmt = stmt.on_conflict_do_nothing(index_elements=list(keys))
        conn.execute(stmt)

    # --- articles ---

    def add_article(
        self, article: Article, *, canonical_url: str | None, fingerprint: str
    ) -> AddResult:
        """Store `article` unless one with the same id, canonical URL or fingerprint exists.

        An empty fingerprint means "no fingerprint" (never matches).
        """
        canonical_key = _key(canonical_url) if canonical_url else None
        fp = fingerprint or None
        for attempt in range(3):
            try:
                with self._tx(write=True) as conn:
                    found = self._duplicate(conn, article.id, canonical_key, fp)
                    if found is not None:
                        return AddResult(stored=False, duplicate_of=found[0], reason=found[1])
                    dateline = article.dateline or Dateline()
                    result = conn.execute(
                        articles_t.insert().values(
                            id=article.id,
                            title=article.title,
                            text=article.text,
                            source=article.source,
                            url=article.url,
                            url_key=_key(article.url) if article.url else None,
                            canonical_url=canonical_url,
                            canonical_key=canonical_key,
                            fingerprint=fp,
                            published=article.published,
                            lang=article.lang,
                            origin=article.origin,
                            source_note=article.source_note,
                            dateline_place=dateline.place,
                            dateline_date_text=dateline.date_text,
                            dateline_agency=dateline.agency,
                            summary=article.summary,
                            ingested_at=self._clock(),
                        )
                    )
                    pk = result.inserted_primary_key
                    assert pk is not None
                    return AddResult(stored=True, seq=int(pk[0]))
            except sa.exc.IntegrityError:
                # Another writer stored the same article between our check and insert
                # (PostgreSQL only; SQLite writers are serialised): look again.
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")

    @staticmethod
    def _duplicate(
        conn: Connection, article_id: str, canonical_key: str | None, fp: str | None
    ) -> tuple[str, str] | None:
        conditions = [articles_t.c.id == article_id]
        if canonical_key is not None:
            conditions.append(articles_t.c.canonical_key == canonical_key)
        if fp is not None:
            conditions.append(articles_t.c.fingerprint == fp)
        rows = conn.execute(
            sa.select(articles_t.c.id, articles_t.c.canonical_key, articles_t.c.fingerprint)
            .where(sa.or_(*conditions))
            .order_by(articles_t.c.seq)
        ).all()
        for check, reason in (
            (lambda r: r.id == article_id, "same id"),
            (lambda r: canonical_key is not None and r.canonical_key == canonical_key, "same URL"),
            (lambda r: fp is not None and r.fingerprint == fp, "same text"),
        ):
            for row in rows:
                if check(row):
                    return row.id, reason
        return None

    def get_article(self, article_id: str) -> Article | None:
        with self._tx(write=False) as conn:
            row = conn.execute(
                sa.select(*_ARTICLE_COLUMNS).where(articles_t.c.id == article_id)
            ).first()
        return _article(row) if row is not None else None

    def get_articles(self, article_ids: Sequence[str]) -> list[Article]:
        """The stored articles among `article_ids`, in ingest order (unknown ids skipped)."""
        rows: list[tuple[int, Article]] = []
        with self._tx(write=False) as conn:
            for chunk in _chunks(list(dict.fromkeys(article_ids))):
                for row in conn.execute(
                    sa.select(articles_t.c.seq, *_ARTICLE_COLUMNS).where(articles_t.c.id.in_(chunk))
                ):
                    rows.append((row[0], _article(row[1:])))
        rows.sort(key=lambda pair: pair[0])
        return [article for _, article in rows]

    def find_article_by_url(self, url: str) -> Article | None:
        """The first stored article whose canonical or raw URL is `url`."""
        key = _key(url)
        with self._tx(write=False) as conn:
            row = conn.execute(
                sa.select(*_ARTICLE_COLUMNS)
                .where(sa.or_(articles_t.c.canonical_key == key, articles_t.c.url_key == key))
                .order_by(articles_t.c.seq)
                .limit(1)
            ).first()
        return _article(row) if row is not None else None

    def articles(self, since_seq: int = 0, until_seq: int | None = None) -> list[Article]:
        """Articles with `since_seq < seq <= until_seq`, in ingest order.

        For incremental reads without a race: `hi = last_article_seq()`, then
        `articles(since, hi)`, then remember `hi`.
        """
        stmt = sa.select(*_ARTICLE_COLUMNS).where(articles_t.c.seq > since_seq)
        if until_seq is not None:
            stmt = stmt.where(articles_t.c.seq <= until_seq)
        with self._tx(write=False) as conn:
            return [_article(row) for row in conn.execute(stmt.order_by(articles_t.c.seq))]

    def ingested_since(self, since: datetime) -> dict[str, datetime]:
        """Article id -> when it was stored, for articles stored at or after `since`."""
        with self._tx(write=False) as conn:
            rows = conn.execute(
                sa.select(articles_t.c.id, articles_t.c.ingested_at).where(
                    articles_t.c.ingested_at >= since
                )
            ).all()
        return {row.id: row.ingested_at for row in rows}

    def last_article_seq(self) -> int:
        with self._tx(write=False) as conn:
            return int(conn.execute(sa.select(sa.func.max(articles_t.c.seq))).scalar() or 0)

    def count_articles(self) -> int:
        with self._tx(write=False) as conn:
            return int(
                conn.execute(sa.select(sa.func.count()).select_from(articles_t)).scalar_one()
            )

    # --- suppressed duplicates ---

    def record_suppressed(
        self, article_id: str, url: str | None, duplicate_of: str, reason: str
    ) -> None:
        """Remember why an incoming article was dropped (latest reason wins)."""
        with self._tx(write=True) as conn:
            self._upsert(
                conn,
                suppressed_t,
                {
                    "article_id": article_id,
                    "url": url,
                    "url_key": _key(url) if url else None,
                    "duplicate_of": duplicate_of,
                    "reason": reason,
                    "recorded_at": self._clock(),
                },
                ["article_id"],
            )

    def suppressed_for(self, url_or_id: str) -> tuple[str, str] | None:
        """(duplicate_of, reason) for a dropped article, looked up by its URL or id."""
        with self._tx(write=False) as conn:
            row = conn.execute(
                sa.select(suppressed_t.c.duplicate_of, suppressed_t.c.reason)
                .where(
                    sa.or_(
                        suppressed_t.c.article_id == url_or_id,
                        suppressed_t.c.url_key == _key(url_or_id),
                    )
                )
                .order_by(suppressed_t.c.recorded_at.desc())
                .limit(1)
            ).first()
        return (row.duplicate_of, row.reason) if row is not None else None

    # --- story assignments ---

    def save_assignment(self, a: Assignment) -> None:
        """Insert or replace the assignment of `a.article_id` (the article must be stored)."""
        with self._tx(write=True) as conn:
            self._upsert(
                conn,
                assignments_t,
                {
                    "article_id": a.article_id,
                    "story_id": a.story_id,
                    "new_story": a.new_story,
                    "score": float(a.score),
                    "evidence": list(a.evidence),
                    "duplicate_of": a.duplicate_of,
                },
                ["article_id"],
            )

    def _assignments_select(self) -> sa.Select[Any]:
        return (
            sa.select(assignments_t)
            .join(articles_t, articles_t.c.id == assignments_t.c.article_id)
            .order_by(articles_t.c.seq)
        )

    def assignments(self) -> list[Assignment]:
        """Every assignment, in the ingest order of its article."""
        with self._tx(write=False) as conn:
            return [_assignment(row) for row in conn.execute(self._assignments_select())]

    def assignment_for(self, article_id: str) -> Assignment | None:
        with self._tx(write=False) as conn:
            row = conn.execute(
                sa.select(assignments_t).where(assignments_t.c.article_id == article_id)
            ).first()
        return _assignment(row) if row is not None else None

    def story_article_ids(self, story_id: str) -> list[str]:
        """Ids of the articles in `story_id`, in ingest order."""
        with self._tx(write=False) as conn:
            return list(
                conn.execute(
                    sa.select(assignments_t.c.article_id)
                    .join(articles_t, articles_t.c.id == assignments_t.c.article_id)
                    .where(assignments_t.c.story_id == story_id)
                    .order_by(articles_t.c.seq)
                ).scalars()
            )

    # --- sources and their polling state ---

    def upsert_source(self, sub: Subscription) -> None:
        """Add or update a source, keyed by (name, channel_key)."""
        with self._tx(write=True) as conn:
            stmt = self._insert(conn, sources_t).values(
                name=sub.name,
                channel_key=sub.channel_key or "",
                url=sub.url,
                path=sub.path,
                poll_seconds=sub.poll_seconds,
                allow_private=sub.allow_private,
                added_at=self._clock(),
            )
            conn.execute(
                stmt.on_conflict_do_update(
                    index_elements=["name", "channel_key"],
                    set_={
                        c: stmt.excluded[c]
                        for c in ("url", "path", "poll_seconds", "allow_private")
                    },
                )
            )

    def remove_source(self, name: str, channel_key: str | None) -> bool:
        """Remove the source `name` of that channel (None: the configured one)."""
        with self._tx(write=True) as conn:
            result = conn.execute(
                sources_t.delete().where(
                    sources_t.c.name == name, sources_t.c.channel_key == (channel_key or "")
                )
            )
            return result.rowcount > 0

    def sources(self) -> list[Subscription]:
        """Every source, oldest first."""
        with self._tx(write=False) as conn:
            rows = conn.execute(
                sa.select(sources_t).order_by(
                    sources_t.c.added_at, sources_t.c.name, sources_t.c.channel_key
                )
            ).all()
        return [
            Subscription(
                name=row.name,
                url=row.url,
                path=row.path,
                poll_seconds=row.poll_seconds,
                allow_private=bool(row.allow_private),
                channel_key=row.channel_key or None,
            )
            for row in rows
        ]

    def feed_state(self, name: str) -> FeedState:
        with self._tx(write=False) as conn:
            row = conn.execute(sa.select(feed_state_t).where(feed_state_t.c.name == name)).first()
        return _feed_state(row) if row is not None else FeedState(name=name)

    def feed_states(self) -> list[FeedState]:
        """The state of every source polled at least once, by name."""
        with self._tx(write=False) as conn:
            rows = conn.execute(sa.select(feed_state_t).order_by(feed_state_t.c.name)).all()
        return [_feed_state(row) for row in rows]

    def save_feed_state(self, state: FeedState) -> None:
        with self._tx(write=True) as conn:
            self._upsert(
                conn,
                feed_state_t,
                {
                    "name": state.name,
                    "etag": state.etag,
                    "last_modified": state.last_modified,
                    "last_success_at": state.last_success_at,
                    "last_error": state.last_error,
                    "last_error_at": state.last_error_at,
                    "consecutive_failures": state.consecutive_failures,
                    "next_poll_at": state.next_poll_at,
                    "paused": state.paused,
                    "items_today": state.items_today,
                    "items_day": state.items_day,
                },
                ["name"],
            )

    # --- channels ---

    def _ensure_channel(self, conn: Connection, key: str) -> None:
        conn.execute(
            self._insert(conn, channels_t)
            .values(key=key)
            .on_conflict_do_nothing(index_elements=["key"])
        )

    def _channel(self, conn: Connection, row: sa.Row[Any]) -> ChannelSettings:
        muted = conn.execute(
            sa.select(channel_mutes_t.c.word)
            .where(channel_mutes_t.c.channel_key == row.key)
            .order_by(channel_mutes_t.c.id)
        ).scalars()
        return ChannelSettings(
            key=row.key,
            schedule=row.schedule,
            timezone=row.timezone,
            muted=tuple(muted),
            last_error=row.last_error,
        )

    def channel_settings(self, key: str) -> ChannelSettings:
        """The channel's stored settings, or empty defaults if it has none."""
        with self._tx(write=False) as conn:
            row = conn.execute(sa.select(channels_t).where(channels_t.c.key == key)).first()
            return self._channel(conn, row) if row is not None else ChannelSettings(key=key)

    def channels(self) -> list[ChannelSettings]:
        with self._tx(write=False) as conn:
            rows = conn.execute(sa.select(channels_t).order_by(channels_t.c.key)).all()
            return [self._channel(conn, row) for row in rows]

    def set_schedule(self, key: str, cron: str | None, tz: str | None) -> None:
        """Override the channel's schedule (None, None: back to the configured one)."""
        with self._tx(write=True) as conn:
            self._upsert(conn, channels_t, {"key": key, "schedule": cron, "timezone": tz}, ["key"])

    def set_channel_error(self, key: str, error: str | None) -> None:
        with self._tx(write=True) as conn:
            self._upsert(conn, channels_t, {"key": key, "last_error": error}, ["key"])

    def add_mute(self, key: str, word: str) -> bool:
        """Mute `word` (case-insensitive; stored case-folded). False if already muted."""
        word = word.strip().casefold()
        if not word:
            raise ValueError("cannot mute an empty word")
        with self._tx(write=True) as conn:
            self._ensure_channel(conn, key)
            added = conn.execute(
                self._insert(conn, channel_mutes_t)
                .values(channel_key=key, word=word)
                .on_conflict_do_nothing(index_elements=["channel_key", "word"])
                .returning(channel_mutes_t.c.id)
            ).scalar_one_or_none()
            return added is not None

    def remove_mute(self, key: str, word: str) -> bool:
        with self._tx(write=True) as conn:
            result = conn.execute(
                channel_mutes_t.delete().where(
                    channel_mutes_t.c.channel_key == key,
                    channel_mutes_t.c.word == word.strip().casefold(),
                )
            )
            return result.rowcount > 0

    # --- digest numbering (N in `/digest story N`) ---

    def save_digest_numbers(self, channel_key: str, story_ids: Sequence[str]) -> None:
        """Replace the channel's numbering: story_ids[0] is N=1."""
        with self._tx(write=True) as conn:
            conn.execute(
                digest_numbers_t.delete().where(digest_numbers_t.c.channel_key == channel_key)
            )
            if story_ids:
                conn.execute(
                    digest_numbers_t.insert(),
                    [
                        {"channel_key": channel_key, "position": n, "story_id": story_id}
                        for n, story_id in enumerate(story_ids, start=1)
                    ],
                )

    def digest_numbers(self, channel_key: str) -> list[str]:
        """Story ids of the channel's last digest; index N-1 is story N."""
        with self._tx(write=False) as conn:
            return list(
                conn.execute(
                    sa.select(digest_numbers_t.c.story_id)
                    .where(digest_numbers_t.c.channel_key == channel_key)
                    .order_by(digest_numbers_t.c.position)
                ).scalars()
            )

    # --- posts ---

    def record_post(
        self,
        channel_key: str,
        story_id: str,
        message_id: str | None,
        article_ids: Sequence[str],
        posted_at: datetime,
    ) -> None:
        """Record that the story (or a thread reply to it) was posted.

        Repeated calls accumulate article ids (so none is posted twice), keep the
        first message id as the thread root, and move `posted_at` to the latest post.
        """
        with self._tx(write=True) as conn:
            row = conn.execute(
                sa.select(posts_t.c.message_id, posts_t.c.article_ids).where(
                    posts_t.c.channel_key == channel_key, posts_t.c.story_id == story_id
                )
            ).first()
            ids = list(dict.fromkeys([*(row.article_ids if row else ()), *article_ids]))
            self._upsert(
                conn,
                posts_t,
                {
                    "channel_key": channel_key,
                    "story_id": story_id,
                    "message_id": (row.message_id if row else None) or message_id,
                    "article_ids": ids,
                    "posted_at": posted_at,
                },
                ["channel_key", "story_id"],
            )

    def post_for(self, channel_key: str, story_id: str) -> PostRecord | None:
        with self._tx(write=False) as conn:
            row = conn.execute(
                sa.select(posts_t).where(
                    posts_t.c.channel_key == channel_key, posts_t.c.story_id == story_id
                )
            ).first()
        return _post(row) if row is not None else None

    def posts_in(
        self, channel_key: str, *, since: datetime | None = None
    ) -> list[tuple[str, PostRecord]]:
        """(story_id, post) for the channel's posts (posted at or after `since`), oldest first."""
        query = sa.select(posts_t).where(posts_t.c.channel_key == channel_key)
        if since is not None:
            query = query.where(posts_t.c.posted_at >= since)
        with self._tx(write=False) as conn:
            rows = conn.execute(query.order_by(posts_t.c.posted_at, posts_t.c.story_id)).all()
        return [(row.story_id, _post(row)) for row in rows]

    def posts_for_story(self, story_id: str) -> list[tuple[str, PostRecord]]:
        """(channel_key, post) for every channel the story was posted to, by channel."""
        with self._tx(write=False) as conn:
            rows = conn.execute(
                sa.select(posts_t)
                .where(posts_t.c.story_id == story_id)
                .order_by(posts_t.c.channel_key)
            ).all()
        return [(row.channel_key, _post(row)) for row in rows]

    # --- outbox ---

    def enqueue(
        self,
        channel_key: str,
        story_id: str | None,
        kind: str,
        payload: dict[str, Any],
        idempotency_key: str,
        *,
        not_before: datetime | None = None,
    ) -> int | None:
        """Queue a delivery; None if `idempotency_key` was queued before (nothing queued)."""
        row = (channel_key, story_id, kind, payload, idempotency_key)
        with self._tx(write=True) as conn:
            item_id = self._enqueue_row(conn, row, self._clock(), not_before)
        return item_id

    def _enqueue_row(
        self,
        conn: Connection,
        row: tuple[str, str | None, str, dict[str, Any], str],
        now: datetime,
        not_before: datetime | None,
    ) -> int | None:
        channel_key, story_id, kind, payload, idempotency_key = row
        stmt = (
            self._insert(conn, outbox_t)
            .values(
                channel_key=channel_key,
                story_id=story_id,
                kind=kind,
                payload=payload,
                idempotency_key=idempotency_key,
                attempts=0,
                created_at=now,
                not_before=not_before or now,
            )
            .on_conflict_do_nothing(index_elements=["idempotency_key"])
            .returning(outbox_t.c.id)
        )
        item_id = conn.execute(stmt).scalar_one_or_none()
        return int(item_id) if item_id is not None else None

    def pending(
        self, channel_key: str | None = None, now: datetime | None = None
    ) -> list[OutboxItem]:
        """Undelivered items due at `now` (default: the clock), oldest first."""
        stmt = sa.select(outbox_t).where(
            outbox_t.c.delivered_at.is_(None), outbox_t.c.not_before <= (now or self._clock())
        )
        if channel_key is not None:
            stmt = stmt.where(outbox_t.c.channel_key == channel_key)
        with self._tx(write=False) as conn:
            return [_outbox_item(row) for row in conn.execute(stmt.order_by(outbox_t.c.id))]

    def outbox_item(self, item_id: int) -> OutboxItem | None:
        with self._tx(write=False) as conn:
            row = conn.execute(sa.select(outbox_t).where(outbox_t.c.id == item_id)).first()
        return _outbox_item(row) if row is not None else None

    def mark_delivered(self, item_id: int, message_id: str | None, at: datetime) -> None:
        with self._tx(write=True) as conn:
            conn.execute(
                outbox_t.update()
                .where(outbox_t.c.id == item_id)
                .values(delivered_at=at, message_id=message_id)
            )

    def enqueue_many(
        self,
        items: Sequence[tuple[str, str | None, str, dict[str, Any], str]],
        *,
        not_before: datetime | None = None,
    ) -> int:
        """Queue (channel_key, story_id, kind, payload, idempotency_key) rows in ONE transaction,
        so a crash never leaves half a digest queued. Returns how many were new."""
        now = self._clock()
        added = 0
        with self._tx(write=True) as conn:
            for row in items:
                added += self._enqueue_row(conn, row, now, not_before) is not None
        return added

    def begin_send(self, item_id: int) -> None:
        """Count a send as started BEFORE calling the platform: an undelivered item with
        attempts > 0 may have reached the platform (crash or lost answer), so delivery looks
        it up before sending it again."""
        with self._tx(write=True) as conn:
            conn.execute(
                outbox_t.update()
                .where(outbox_t.c.id == item_id)
                .values(attempts=outbox_t.c.attempts + 1)
            )

    def defer(self, item_id: int, error: str, retry_at: datetime) -> None:
        """Hold the item back until `retry_at` (the attempt was counted by `begin_send`)."""
        with self._tx(write=True) as conn:
            conn.execute(
                outbox_t.update()
                .where(outbox_t.c.id == item_id)
                .values(last_error=error, not_before=retry_at)
            )

    def mark_failed(self, item_id: int, error: str, retry_at: datetime) -> None:
        """Count a failed attempt and hold the item back until `retry_at`."""
        with self._tx(write=True) as conn:
            conn.execute(
                outbox_t.update()
                .where(outbox_t.c.id == item_id)
                .values(attempts=outbox_t.c.attempts + 1, last_error=error, not_before=retry_at)
            )

    # --- key/value meta ---

    def get_meta(self, key: str) -> str | None:
        with self._tx(write=False) as conn:
            return conn.execute(sa.select(meta_t.c.value).where(meta_t.c.key == key)).scalar()

    def set_meta(self, key: str, value: str) -> None:
        with self._tx(write=True) as conn:
            self._upsert(conn, meta_t, {"key": key, "value": value}, ["key"])


def _post(row: sa.Row[Any]) -> PostRecord:
    return PostRecord(
        message_id=row.message_id,
        article_ids=tuple(row.article_ids or ()),
        posted_at=row.posted_at,
    )
