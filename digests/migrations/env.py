"""Alembic environment for the newsdigest store.

There is no alembic.ini: `digests.store` configures Alembic in code and hands
over an open connection in `config.attributes["connection"]`, so migrations run
inside the caller's transaction (and, on PostgreSQL, under its advisory lock).
"""

from __future__ import annotations

from alembic import context
from sqlalchemy.engine import Connection

from digests.store import metadata

config = context.config


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if not isinstance(connection, Connection):
        raise RuntimeError("newsdigest migrations run only through digests.store.upgrade()")
    context.configure(
        connection=connection,
        target_metadata=metadata,
        # SQLite cannot ALTER most things; batch mode rebuilds tables instead.
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    raise RuntimeError("offline (SQL script) migrations are not supported")
run_migrations_online()
