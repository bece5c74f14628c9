"""Initial schema: articles, duplicates, assignments, sources, channels, posts, outbox, meta.

Revision ID: 0001
Revises:
Create Date: 2026-11-26
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _ts(name: str, nullable: bool = True) -> sa.Column:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        "articles",
        sa.Column("seq", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("id", sa.Text(), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("url", sa.Text(), nullable=True),
        sa.Column("url_key", sa.String(64), nullable=True),
        sa.Column("canonical_url", sa.Text(), nullable=True),
        sa.Column("canonical_key", sa.String(64), nullable=True),
        sa.Column("fingerprint", sa.Text(), nullable=True),
        _ts("published"),
        sa.Column("lang", sa.Text(), nullable=False),
        sa.Column("origin", sa.Text(), nullable=False),
        sa.Column("source_note", sa.Text(), nullable=True),
        sa.Column("dateline_place", sa.Text(), nullable=True),
        sa.Column("dateline_date_text", sa.Text(), nullable=True),
        sa.Column("dateline_agency", sa.Text(), nullable=True),
        sa.Column("summary", sa.Text(), nullable=False),
        _ts("ingested_at", nullable=False),
        sa.UniqueConstraint("id", name="uq_articles_id"),
        sa.UniqueConstraint("canonical_key", name="uq_articles_canonical_key"),
        sa.UniqueConstraint("fingerprint", name="uq_articles_fingerprint"),
        sqlite_autoincrement=True,
    )
    op.create_index("ix_articles_url_key", "articles", ["url_key"])

    op.create_table(
        "suppressed",
        sa.Column("article_id", sa.Text(), primary_key=True),
        sa.Column("url", sa.Text(), nullable=True),
        sa.Column("url_key", sa.String(64), nullable=True),
        sa.Column("duplicate_of", sa.Text(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        _ts("recorded_at", nullable=False),
    )
    op.create_index("ix_suppressed_url_key", "suppressed", ["url_key"])

    op.create_table(
        "assignments",
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
        sa.Column("duplicate_of", sa.Text(), nullable=True),
    )
    op.create_index("ix_assignments_story_id", "assignments", ["story_id"])

    op.create_table(
        "sources",
        sa.Column("name", sa.Text(), primary_key=True),
        sa.Column("channel_key", sa.Text(), primary_key=True),
        sa.Column("url", sa.Text(), nullable=True),
        sa.Column("path", sa.Text(), nullable=True),
        sa.Column("poll_seconds", sa.Integer(), nullable=False),
        sa.Column("allow_private", sa.Boolean(), nullable=False),
        _ts("added_at", nullable=False),
    )

    op.create_table(
        "feed_state",
        sa.Column("name", sa.Text(), primary_key=True),
        sa.Column("etag", sa.Text(), nullable=True),
        sa.Column("last_modified", sa.Text(), nullable=True),
        _ts("last_success_at"),
        sa.Column("last_error", sa.Text(), nullable=True),
        _ts("last_error_at"),
        sa.Column("consecutive_failures", sa.Integer(), nullable=False),
        _ts("next_poll_at"),
        sa.Column("paused", sa.Boolean(), nullable=False),
        sa.Column("items_today", sa.Integer(), nullable=False),
        sa.Column("items_day", sa.Date(), nullable=True),
    )

    op.create_table(
        "channels",
        sa.Column("key", sa.Text(), primary_key=True),
        sa.Column("schedule", sa.Text(), nullable=True),
        sa.Column("timezone", sa.Text(), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
    )

    op.create_table(
        "channel_mutes",
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

    op.create_table(
        "digest_numbers",
        sa.Column("channel_key", sa.Text(), primary_key=True),
        sa.Column("position", sa.Integer(), primary_key=True),
        sa.Column("story_id", sa.Text(), nullable=False),
    )

    op.create_table(
        "posts",
        sa.Column("channel_key", sa.Text(), primary_key=True),
        sa.Column("story_id", sa.Text(), primary_key=True),
        sa.Column("message_id", sa.Text(), nullable=True),
        sa.Column("article_ids", sa.JSON(), nullable=False),
        _ts("posted_at", nullable=False),
    )
    op.create_index("ix_posts_story_id", "posts", ["story_id"])

    op.create_table(
        "outbox",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("channel_key", sa.Text(), nullable=False),
        sa.Column("story_id", sa.Text(), nullable=True),
        sa.Column("kind", sa.Text(), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("idempotency_key", sa.Text(), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        _ts("created_at", nullable=False),
        _ts("not_before", nullable=False),
        _ts("delivered_at"),
        sa.Column("message_id", sa.Text(), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.UniqueConstraint("idempotency_key", name="uq_outbox_idempotency_key"),
        sqlite_autoincrement=True,
    )
    op.create_index("ix_outbox_due", "outbox", ["delivered_at", "not_before"])

    op.create_table(
        "meta",
        sa.Column("key", sa.Text(), primary_key=True),
        sa.Column("value", sa.Text(), nullable=False),
    )


def downgrade() -> None:
    for table in (
        "meta",
        "outbox",
        "posts",
        "digest_numbers",
        "channel_mutes",
        "channels",
        "feed_state",
        "sources",
        "assignments",
        "suppressed",
        "articles",
    ):
        op.drop_table(table)
