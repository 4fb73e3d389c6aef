"""Alembic environment. sendrules passes an open connection (``config.attributes``), already
inside a transaction that holds the migration lock; the ``alembic`` command instead connects
to the configured log URL (see decisionlog.config)."""

from __future__ import annotations

from alembic import context

from sendrules.decisionlog.database import VERSION_TABLE
from sendrules.decisionlog.schema import metadata


def run_migrations() -> None:
    connection = context.config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    from sendrules.decisionlog.config import load_config
    from sendrules.decisionlog.database import create_engine_for

    engine = create_engine_for(load_config().url, create=True)
    try:
        with engine.connect() as connection:
            with connection.begin():
                _run(connection)
    finally:
        engine.dispose()


def _run(connection) -> None:
    context.configure(
        connection=connection, target_metadata=metadata, version_table=VERSION_TABLE, transactional_ddl=True
    )
    with context.begin_transaction():
        context.run_migrations()


run_migrations()
