"""The migrations create exactly the tables schema.py describes; URLs and schema states."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import text

from sendrules.decisionlog.database import VERSION_TABLE, head_revision, parse_url
from sendrules.decisionlog.errors import LogError
from sendrules.decisionlog.schema import metadata
from sendrules.decisionlog.store import DecisionLog


def test_the_migrations_create_what_schema_py_describes(log):
    with log.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"version_table": VERSION_TABLE})
        differences = compare_metadata(context, metadata)
    assert differences == []
    with log.engine.connect() as connection:
        assert (
            connection.execute(text(f"SELECT version_num FROM {VERSION_TABLE}")).scalar() == head_revision()
        )
        assert connection.execute(text("SELECT seq, entry_hash FROM decision_log_head")).one() == (
            0,
            "0" * 64,
        )


def test_migrate_is_idempotent(log_url):
    DecisionLog.open(log_url, mode="migrate").close()
    DecisionLog.open(log_url, mode="migrate").close()
    with DecisionLog.open(log_url) as log:
        assert log.count() == 0 and log.verify().ok


def test_reading_an_empty_database_is_an_error_and_creates_nothing(log_url):
    with pytest.raises(LogError) as error:
        DecisionLog.open(log_url, mode="read")
    assert error.value.code == "log_not_found"
    with pytest.raises(LogError):
        DecisionLog.open(log_url, mode="read")  # still nothing there


def test_a_missing_sqlite_file_is_not_created_by_reading(tmp_path):
    path = tmp_path / "nowhere" / "log.sqlite3"
    with pytest.raises(LogError) as error:
        DecisionLog.open(f"sqlite:///{path}")
    assert error.value.code == "log_not_found" and not path.exists() and not path.parent.exists()


def test_a_new_sqlite_log_is_private(tmp_path):
    path = tmp_path / "private" / "log.sqlite3"
    DecisionLog.open(f"sqlite:///{path}", mode="append").close()
    assert path.stat().st_mode & 0o077 == 0 and path.parent.stat().st_mode & 0o077 == 0


def test_a_schema_from_a_newer_sendrules_is_refused(log):
    with log.engine.begin() as connection:
        connection.execute(text(f"UPDATE {VERSION_TABLE} SET version_num = '9999'"))
    for mode in ("read", "append", "migrate"):
        with pytest.raises(LogError) as error:
            DecisionLog.open(log.url, mode=mode)
        assert error.value.code == "log_schema" and "newer sendrules" in error.value.message


@pytest.mark.parametrize(
    "url, message",
    [
        ("nonsense", "not a database URL"),
        ("mysql://user@host/db", "unsupported database 'mysql'"),
        ("sqlite://", "must be a file"),
        ("sqlite:///:memory:", "must be a file"),
        ("postgresql+psycopg2://u@h/db", "psycopg 3"),
        ("postgresql://u@h", "names no database"),
    ],
)
def test_bad_urls(url, message):
    with pytest.raises(LogError) as error:
        parse_url(url)
    assert error.value.code == "invalid_log_url" and message in error.value.message


def test_plain_postgresql_urls_mean_psycopg_3():
    assert parse_url("postgresql://u:secret@h/db").drivername == "postgresql+psycopg"
    assert parse_url("postgres://u@h/db").drivername == "postgresql+psycopg"


def test_an_unreachable_server_is_a_clear_error_without_the_password():
    with pytest.raises(LogError) as error:
        DecisionLog.open("postgresql://someone:hunter2@127.0.0.1:9/nowhere")
    assert error.value.code == "log_unavailable" and "hunter2" not in error.value.message
    assert "127.0.0.1" in error.value.message


def test_a_postgresql_log_without_its_driver_says_which_extra_to_install(monkeypatch):
    """psycopg is an extra (sendrules[postgres]): without it the message says so, not a traceback."""
    import sys
    from sendrules.decisionlog.database import create_engine_for

    for name in [name for name in sys.modules if name == "psycopg" or name.startswith("psycopg.")]:
        monkeypatch.delitem(sys.modules, name)
    monkeypatch.setitem(sys.modules, "psycopg", None)  # import psycopg now raises ModuleNotFoundError
    with pytest.raises(LogError) as error:
        create_engine_for("postgresql+psycopg://u@127.0.0.1/db", create=False)
    assert error.value.code == "log_unavailable" and "sendrules[postgres]" in error.value.message
