"""The store against real databases: SQLite always, PostgreSQL when
NEWSDIGEST_TEST_DATABASE_URL is set (each test in its own throw-away schema)."""

from __future__ import annotations

import os
import sqlite3
import threading
import time
import uuid
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy.engine import make_url

from digests.models import Article, Assignment, Dateline, Subscription
from digests.store import (
    AddResult,
    ChannelSettings,
    FeedState,
    Store,
    StoreError,
    articles_t,
    mask_url,
    metadata,
    normalize_url,
    upgrade,
)

PG_ENV = "NEWSDIGEST_TEST_DATABASE_URL"
T0 = datetime(2026, 6, 30, 9, 0, tzinfo=UTC)


def _pg_url() -> str | None:
    return os.environ.get(PG_ENV) or None


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A URL to an empty database: a fresh SQLite file, or a fresh PostgreSQL schema."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'sub' / 'store.db'}"
        return
    base = _pg_url()
    if base is None:
        pytest.skip(f"PostgreSQL tests need {PG_ENV} (e.g. postgresql+psycopg://user@host/db)")
    schema = f"t_{uuid.uuid4().hex[:16]}"
    admin = sa.create_engine(normalize_url(base), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql(f'CREATE SCHEMA "{schema}"')
    # search_path in the connection options: Alembic and every query land in the schema.
    url = make_url(normalize_url(base)).update_query_dict({"options": f"-csearch_path={schema}"})
    try:
        yield url.render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.exec_driver_sql(f'DROP SCHEMA "{schema}" CASCADE')
        admin.dispose()


@pytest.fixture
def store(db_url: str) -> Iterator[Store]:
    s = Store.open(db_url)
    yield s
    s.close()


def art(article_id: str, **kw: object) -> Article:
    fields: dict[str, object] = {
        "title": f"Title {article_id}",
        "text": f"Text of {article_id}.",
        "source": "Wire",
    }
    fields.update(kw)
    return Article(id=article_id, **fields)  # type: ignore[arg-type]


# --- opening, URLs, migrations ---


def test_open_sqlite_creates_dirs_and_sets_pragmas(tmp_path: Path) -> None:
    path = tmp_path / "a" / "b" / "bot.db"
    with Store.open(f"sqlite:///{path}") as s, s.engine.connect() as conn:
        assert path.exists()
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 10_000


def test_normalize_url_routes_postgres_to_psycopg() -> None:
    assert normalize_url("postgres://u@h/db") == "postgresql+psycopg://u@h/db"
    assert normalize_url("postgresql://u@h/db") == "postgresql+psycopg://u@h/db"
    assert normalize_url("postgresql+psycopg://u@h/db") == "postgresql+psycopg://u@h/db"
    assert normalize_url("sqlite:///x.db") == "sqlite:///x.db"


def test_mask_url_hides_password() -> None:
    assert mask_url("postgresql+psycopg://bob:s3cret@h/db") == "postgresql+psycopg://bob:***@h/db"
    assert "s3cret" not in mask_url("not a url://bob:s3cret@h")


@pytest.mark.parametrize(
    "url", ["", "nonsense", "mysql://bob:s3cret@127.0.0.1/db", "nosuchdriver://bob:s3cret@h/db"]
)
def test_bad_url_is_one_clear_error(url: str) -> None:
    with pytest.raises(StoreError) as err:
        Store.open(url)
    assert "s3cret" not in str(err.value)
    assert "database URL" in str(err.value) or "cannot open" in str(err.value)


def test_unusable_sqlite_path_is_store_error(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a directory")
    with pytest.raises(StoreError, match="cannot open database"):
        Store.open(f"sqlite:///{blocker / 'bot.db'}")
    with pytest.raises(StoreError, match="cannot open database"):
        Store.open(f"sqlite:///{tmp_path}")  # a directory, not a database file


def test_unreachable_postgres_is_store_error_with_masked_password() -> None:
    url = "postgres://bob:s3cret@127.0.0.1:1/db"
    with pytest.raises(StoreError) as err:
        Store.open(url)
    message = str(err.value)
    assert "s3cret" not in message
    assert "bob:***@127.0.0.1:1/db" in message


def test_open_postgres_spelled_postgresql(db_url: str) -> None:
    if not db_url.startswith("postgresql+psycopg://"):
        pytest.skip("PostgreSQL only")
    plain = "postgresql://" + db_url.removeprefix("postgresql+psycopg://")
    with Store.open(plain) as s:
        assert s.count_articles() == 0


def test_upgrade_keeps_data_of_existing_database(db_url: str) -> None:
    engine = sa.create_engine(normalize_url(db_url))
    if engine.dialect.name == "sqlite":
        Path(make_url(db_url).database or "").parent.mkdir(parents=True, exist_ok=True)
    upgrade(engine, "0001")
    with engine.begin() as conn:
        conn.execute(sa.text("INSERT INTO meta (key, value) VALUES ('kept', 'yes')"))
        assert MigrationContext.configure(conn).get_current_revision() == "0001"
    engine.dispose()
    for _ in range(2):  # idempotent
        with Store.open(db_url) as s:
            assert s.get_meta("kept") == "yes"
            s.set_meta("n", "1")


def test_newer_unknown_revision_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "future.db"
    with Store.open(f"sqlite:///{path}") as s:
        s.set_meta("kept", "yes")
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '9999_from_the_future'")
    with pytest.raises(StoreError, match="9999_from_the_future.*newer newsdigest") as err:
        Store.open(f"sqlite:///{path}")
    assert str(path) in str(err.value)
    with sqlite3.connect(path) as conn:  # untouched
        assert conn.execute("SELECT value FROM meta WHERE key='kept'").fetchone() == ("yes",)


def test_tables_match_migrations(store: Store) -> None:
    with store.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), metadata)
    assert diff == []


# --- articles ---


def test_add_and_read_article_round_trips_every_field(store: Store) -> None:
    berlin = timezone(timedelta(hours=2))
    a = art(
        "seoul-1",
        title="Ministers meet in Seoul — «réunion» 会議 🚀",
        text="SEOUL, June 30 (AJP) - Ünïcødé text 한국어.\n\nSecond paragraph.",
        url="https://ex.org/a?x=1",
        published=datetime(2026, 6, 30, 11, 30, tzinfo=berlin),
        lang="ko",
        origin="feed:wire",
        source_note="guessed from file name",
        dateline=Dateline(place="SEOUL", date_text="June 30", agency="AJP"),
        summary="A summary.",
    )
    result = store.add_article(a, canonical_url="https://ex.org/a", fingerprint="fp1")
    assert result == AddResult(stored=True, seq=result.seq)
    got = store.get_article("seoul-1")
    assert got == a
    assert got is not None and got.published is not None
    assert got.published.tzinfo == UTC and got.published == datetime(2026, 6, 30, 9, 30, tzinfo=UTC)
    assert store.get_article("missing") is None


def test_article_without_optional_fields(store: Store) -> None:
    a = art("bare")
    assert store.add_article(a, canonical_url=None, fingerprint="").stored
    assert store.get_article("bare") == a


def test_naive_datetime_is_refused(store: Store) -> None:
    with pytest.raises(ValueError, match="naive"):
        store.add_article(
            art("n", published=datetime(2026, 1, 1)), canonical_url=None, fingerprint="x"
        )
    assert store.count_articles() == 0


def test_duplicates_by_id_url_and_fingerprint(store: Store) -> None:
    assert store.add_article(
        art("a", url="https://x/a?utm=1"), canonical_url="https://x/a", fingerprint="fa"
    ).stored
    same_id = store.add_article(art("a"), canonical_url="https://x/other", fingerprint="zz")
    assert same_id == AddResult(stored=False, duplicate_of="a", reason="same id")
    same_url = store.add_article(art("b"), canonical_url="https://x/a", fingerprint="fb")
    assert same_url == AddResult(stored=False, duplicate_of="a", reason="same URL")
    same_text = store.add_article(art("c"), canonical_url="https://x/c", fingerprint="fa")
    assert same_text == AddResult(stored=False, duplicate_of="a", reason="same text")
    # No canonical URL and no fingerprint never match each other.
    assert store.add_article(art("d"), canonical_url=None, fingerprint="").stored
    assert store.add_article(art("e"), canonical_url=None, fingerprint="").stored
    assert store.count_articles() == 3


def test_find_article_by_canonical_or_raw_url(store: Store) -> None:
    store.add_article(
        art("a", url="https://x/a?utm_source=rss"), canonical_url="https://x/a", fingerprint="f"
    )
    assert store.find_article_by_url("https://x/a") == store.get_article("a")
    assert store.find_article_by_url("https://x/a?utm_source=rss") == store.get_article("a")
    assert store.find_article_by_url("https://x/b") is None


def test_articles_in_ingest_order_with_seq_window(store: Store) -> None:
    ids = ["z", "a", "m", "b"]
    seqs = []
    for i in ids:
        seq = store.add_article(art(i), canonical_url=None, fingerprint=f"f{i}").seq
        assert seq is not None
        seqs.append(seq)
    assert seqs == sorted(seqs)
    assert [a.id for a in store.articles()] == ids
    assert [a.id for a in store.articles(since_seq=seqs[1])] == ["m", "b"]
    assert [a.id for a in store.articles(seqs[0], seqs[2])] == ["a", "m"]
    assert store.last_article_seq() == seqs[-1]
    assert store.count_articles() == 4
    assert [a.id for a in store.get_articles(["b", "z", "nope", "b"])] == ["z", "b"]


def test_large_text_round_trips(store: Store) -> None:
    text = ("Ωmega paragraph with some words. " * 40 + "\n") * 4000  # ~5 MB
    long_url = "https://x/" + "p" * 5000
    a = art("big", text=text, url=long_url)
    assert store.add_article(a, canonical_url=long_url, fingerprint="big").stored
    assert store.get_article("big") == a
    assert store.find_article_by_url(long_url) == a


def test_articles_is_cheap_for_100k_rows(store: Store) -> None:
    # 100k on SQLite (the default); fewer on PostgreSQL, where the bulk INSERT is the slow part.
    n = 100_000 if store.engine.dialect.name == "sqlite" else 25_000
    rows = [
        {
            "id": f"a{i}",
            "title": f"Title {i}",
            "text": "Some body text. " * 10,
            "source": "Wire",
            "lang": "en",
            "origin": "",
            "summary": "",
            "published": T0,
            "ingested_at": T0,
        }
        for i in range(n)
    ]
    with store.engine.begin() as conn:
        conn.execute(articles_t.insert(), rows)
    start = time.perf_counter()
    got = store.articles()
    elapsed = time.perf_counter() - start
    assert len(got) == n and got[0].id == "a0" and got[-1].id == f"a{n - 1}"
    assert elapsed < 10.0 * n / 100_000, f"articles() took {elapsed:.1f}s for {n} rows"


def test_concurrent_writers_from_threads(store: Store) -> None:
    errors: list[BaseException] = []

    def worker(n: int) -> None:
        try:
            for i in range(15):
                # Every worker also races for the shared ids.
                store.add_article(art(f"w{n}-{i}"), canonical_url=None, fingerprint=f"w{n}-{i}")
                store.add_article(
                    art(f"shared-{i}"), canonical_url=f"https://s/{i}", fingerprint=f"s{i}"
                )
                store.enqueue("c", None, "story", {"i": i}, f"k{i}")
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert store.count_articles() == 4 * 15 + 15
    assert len(store.pending("c")) == 15


def test_in_memory_sqlite_is_shared_across_threads() -> None:
    with Store.open("sqlite:///:memory:") as s:
        thread = threading.Thread(target=lambda: s.set_meta("from", "thread"))
        thread.start()
        thread.join()
        assert s.get_meta("from") == "thread"


# --- suppressed duplicates ---


def test_suppressed_duplicates_by_url_or_id(store: Store) -> None:
    store.record_suppressed("copy-1", "https://y/copy", "orig", "same URL")
    store.record_suppressed("copy-2", None, "orig", "same text")
    assert store.suppressed_for("https://y/copy") == ("orig", "same URL")
    assert store.suppressed_for("copy-1") == ("orig", "same URL")
    assert store.suppressed_for("copy-2") == ("orig", "same text")
    assert store.suppressed_for("https://y/nothing") is None
    store.record_suppressed("copy-1", "https://y/copy", "other", "same text")  # latest wins
    assert store.suppressed_for("https://y/copy") == ("other", "same text")


# --- assignments ---


def test_assignments_upsert_and_order(store: Store) -> None:
    for i in ("c", "a", "b"):
        store.add_article(art(i), canonical_url=None, fingerprint=i)
    first = Assignment("c", "s1", new_story=True)
    store.save_assignment(first)
    store.save_assignment(
        Assignment("a", "s1", False, 0.82, ("shared entity: Seoul", "«ÜN»"), duplicate_of="c")
    )
    store.save_assignment(Assignment("b", "s2", True, 0.1))
    assert [a.article_id for a in store.assignments()] == ["c", "a", "b"]
    assert store.assignment_for("a") == Assignment(
        "a", "s1", False, 0.82, ("shared entity: Seoul", "«ÜN»"), "c"
    )
    assert store.assignment_for("c") == first
    assert store.assignment_for("zzz") is None
    assert store.story_article_ids("s1") == ["c", "a"]
    store.save_assignment(Assignment("b", "s1", False, 0.7, ("moved",)))  # upsert
    assert store.story_article_ids("s1") == ["c", "a", "b"]
    assert store.story_article_ids("s2") == []
    assert len(store.assignments()) == 3


def test_assignment_needs_a_stored_article(store: Store) -> None:
    with pytest.raises(sa.exc.IntegrityError):
        store.save_assignment(Assignment("ghost", "s1", True))


# --- sources and feed state ---


def test_sources_upsert_remove_and_list(store: Store) -> None:
    wire = Subscription("wire", url="https://ex.org/feed.xml", poll_seconds=600)
    inbox = Subscription("inbox", path="inbox/", poll_seconds=20)
    chat = Subscription(
        "wire", url="https://other/feed", allow_private=True, channel_key="slack:C1"
    )
    for sub in (wire, inbox, chat):
        store.upsert_source(sub)
    assert sorted(store.sources(), key=repr) == sorted([wire, inbox, chat], key=repr)
    changed = Subscription("wire", url="https://ex.org/feed2.xml", poll_seconds=60)
    store.upsert_source(changed)
    assert changed in store.sources() and wire not in store.sources()
    assert store.remove_source("wire", "slack:C1") is True
    assert store.remove_source("wire", "slack:C1") is False
    assert store.remove_source("nope", None) is False
    assert sorted(store.sources(), key=repr) == sorted([changed, inbox], key=repr)


def test_feed_state_defaults_and_round_trip(store: Store) -> None:
    assert store.feed_state("wire") == FeedState(name="wire")
    state = FeedState(
        name="wire",
        etag='W/"abc"',
        last_modified="Tue, 30 Jun 2026 09:00:00 GMT",
        last_success_at=T0,
        last_error="HTTP 503 — Service Unavailable",
        last_error_at=T0 + timedelta(minutes=10),
        consecutive_failures=2,
        next_poll_at=(T0 + timedelta(minutes=20)).astimezone(timezone(timedelta(hours=-5))),
        paused=True,
        items_today=17,
        items_day=date(2026, 6, 30),
    )
    store.save_feed_state(state)
    got = store.feed_state("wire")
    assert got == state
    assert got.next_poll_at is not None and got.next_poll_at.tzinfo == UTC
    store.save_feed_state(FeedState(name="wire"))
    assert store.feed_state("wire") == FeedState(name="wire")
    assert store.feed_states() == [FeedState(name="wire")]


# --- channels ---


def test_channel_settings(store: Store) -> None:
    assert store.channel_settings("slack:C1") == ChannelSettings(key="slack:C1")
    assert store.channels() == []
    store.set_schedule("slack:C1", "0 8 * * *", "Europe/Berlin")
    assert store.add_mute("slack:C1", " Football ") is True
    assert store.add_mute("slack:C1", "football") is False
    assert store.add_mute("slack:C1", "Crypto") is True
    assert store.add_mute("discord:9", "weather") is True
    store.set_channel_error("slack:C1", "not_in_channel")
    assert store.channel_settings("slack:C1") == ChannelSettings(
        "slack:C1", "0 8 * * *", "Europe/Berlin", ("football", "crypto"), "not_in_channel"
    )
    assert store.remove_mute("slack:C1", "FOOTBALL") is True
    assert store.remove_mute("slack:C1", "football") is False
    store.set_channel_error("slack:C1", None)
    store.set_schedule("slack:C1", None, None)
    assert store.channels() == [
        ChannelSettings("discord:9", muted=("weather",)),
        ChannelSettings("slack:C1", muted=("crypto",)),
    ]
    with pytest.raises(ValueError):
        store.add_mute("slack:C1", "  ")


# --- digest numbers and posts ---


def test_digest_numbers_replace_previous(store: Store) -> None:
    assert store.digest_numbers("slack:C1") == []
    store.save_digest_numbers("slack:C1", ["s3", "s1", "s2"])
    store.save_digest_numbers("discord:9", ["s9"])
    assert store.digest_numbers("slack:C1") == ["s3", "s1", "s2"]
    store.save_digest_numbers("slack:C1", ["s4"])
    assert store.digest_numbers("slack:C1") == ["s4"]
    store.save_digest_numbers("slack:C1", [])
    assert store.digest_numbers("slack:C1") == []
    assert store.digest_numbers("discord:9") == ["s9"]


def test_posts_accumulate_articles_and_keep_thread_root(store: Store) -> None:
    assert store.post_for("slack:C1", "s1") is None
    store.record_post("slack:C1", "s1", "1700000000.000100", ["a", "b"], T0)
    store.record_post("discord:9", "s1", None, ["a"], T0)
    later = T0 + timedelta(hours=1)
    store.record_post("slack:C1", "s1", "1700000000.000200", ["b", "c"], later)
    post = store.post_for("slack:C1", "s1")
    assert post is not None
    assert post.message_id == "1700000000.000100"
    assert post.article_ids == ("a", "b", "c")
    assert post.posted_at == later and post.posted_at.tzinfo == UTC
    assert [(k, p.article_ids) for k, p in store.posts_for_story("s1")] == [
        ("discord:9", ("a",)),
        ("slack:C1", ("a", "b", "c")),
    ]
    assert store.posts_for_story("s2") == []


# --- outbox ---


def test_outbox_is_idempotent_and_orders_due_items(store: Store) -> None:
    payload = {"text": "Héllo 世界", "blocks": [{"type": "section", "n": 1}], "ok": True}
    first = store.enqueue("slack:C1", "s1", "story", payload, "slack:C1:s1:v1")
    assert first is not None
    assert store.enqueue("slack:C1", "s1", "story", {"other": 1}, "slack:C1:s1:v1") is None
    second = store.enqueue(
        "discord:9", None, "reply", {}, "d:1", not_before=T0 + timedelta(hours=1)
    )
    third = store.enqueue("slack:C1", "s2", "story", {}, "slack:C1:s2:v1", not_before=T0)
    assert second is not None and third is not None and first < second < third

    due = store.pending(now=T0 + timedelta(minutes=1))
    assert [i.id for i in due] == [third]
    far = datetime.now(UTC) + timedelta(days=1)
    assert [i.id for i in store.pending(now=far)] == [first, second, third]
    assert [i.id for i in store.pending("slack:C1", now=far)] == [first, third]
    item = store.pending("slack:C1", now=far)[0]
    assert item.payload == payload and item.kind == "story" and item.attempts == 0
    assert item.not_before.tzinfo == UTC and item.idempotency_key == "slack:C1:s1:v1"

    retry = far + timedelta(minutes=5)
    store.mark_failed(first, "ratelimited", retry)
    store.mark_failed(first, "ratelimited again", retry)
    assert [i.id for i in store.pending(now=far)] == [second, third]
    failed = store.outbox_item(first)
    assert failed is not None
    assert (failed.attempts, failed.last_error, failed.not_before) == (
        2,
        "ratelimited again",
        retry,
    )

    store.mark_delivered(third, "msg-3", T0)
    done = store.outbox_item(third)
    assert done is not None and (done.delivered_at, done.message_id) == (T0, "msg-3")
    assert [i.id for i in store.pending(now=retry)] == [first, second]
    assert store.outbox_item(12345) is None


# --- meta ---


def test_meta(store: Store) -> None:
    assert store.get_meta("last_run:slack:C1") is None
    store.set_meta("last_run:slack:C1", T0.isoformat())
    store.set_meta("last_run:slack:C1", "ünïcode")
    assert store.get_meta("last_run:slack:C1") == "ünïcode"
