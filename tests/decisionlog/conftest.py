"""Fixtures for the decision log's tests: a log on SQLite and on PostgreSQL, keys, a fixed clock.

PostgreSQL tests need a server: ``SENDRULES_TEST_POSTGRES_URL`` (e.g.
``postgresql+psycopg://postgres@127.0.0.1:5432/postgres``; ``.ci/run`` starts one). Each test
creates its own database and drops it afterwards. Without the variable the PostgreSQL tests are
skipped, unless ``SENDRULES_REQUIRE_POSTGRES=1``, when they fail.
"""

from __future__ import annotations

import base64
import os
import uuid
from pathlib import Path

import pytest

from tests.decisionlog import helpers

PG_URL = os.environ.get("SENDRULES_TEST_POSTGRES_URL")
REQUIRE_PG = os.environ.get("SENDRULES_REQUIRE_POSTGRES") == "1"


@pytest.fixture(autouse=True)
def isolated(monkeypatch, tmp_path) -> Path:
    """No setting leaks in from the real environment or home, and the standards are the tests'
    own copy of send-ap 1.0.0 ($SENDRULES_STANDARDS), whatever the bundled packs hold."""
    for name in (
        "SENDRULES_LOG_URL",
        "SENDRULES_CONFIG",
        "SENDRULES_HMAC_KEY",
        "SENDRULES_ENCRYPTION_KEYS",
        "SENDRULES_DEBUG",
    ):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "home" / ".config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "home" / ".local" / "share"))
    root = helpers.standards_root(tmp_path / "standards")
    monkeypatch.setenv("SENDRULES_STANDARDS", str(root))
    return root


@pytest.fixture
def keys(monkeypatch) -> dict[str, str]:
    """Fresh keys in the environment."""
    values = {
        "SENDRULES_HMAC_KEY": base64.b64encode(os.urandom(32)).decode(),
        "SENDRULES_ENCRYPTION_KEYS": "k1:" + base64.b64encode(os.urandom(32)).decode(),
    }
    for name, value in values.items():
        monkeypatch.setenv(name, value)
    return values


def postgres_server_url() -> str:
    if not PG_URL:
        message = (
            "PostgreSQL tests need SENDRULES_TEST_POSTGRES_URL, e.g. "
            "postgresql+psycopg://postgres@127.0.0.1:5432/postgres (bash .ci/run starts a server)"
        )
        if REQUIRE_PG:
            pytest.fail(message + "; SENDRULES_REQUIRE_POSTGRES=1 makes them required")
        pytest.skip(message)
    return PG_URL


@pytest.fixture
def postgres_url():
    """A new, empty PostgreSQL database for one test; dropped afterwards."""
    from sqlalchemy import create_engine, text

    from sendrules.decisionlog.database import parse_url

    server = parse_url(postgres_server_url())
    name = f"sendrules_test_{os.getpid()}_{uuid.uuid4().hex[:12]}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as error:  # noqa: BLE001 -- a missing server must fail clearly, not skip
        admin.dispose()
        pytest.fail(
            f"cannot create a test database on {server.render_as_string(hide_password=True)}: {error}"
        )
    try:
        yield server.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture
def sqlite_url(tmp_path) -> str:
    return f"sqlite:///{tmp_path / 'log' / 'decisions.sqlite3'}"


@pytest.fixture(params=["sqlite", "postgresql"])
def log_url(request, tmp_path) -> str:
    """The URL of a new, empty log: once on SQLite, once on PostgreSQL."""
    if request.param == "sqlite":
        return request.getfixturevalue("sqlite_url")
    return request.getfixturevalue("postgres_url")


@pytest.fixture
def log(log_url):
    from sendrules.decisionlog.store import DecisionLog

    opened = DecisionLog.open(log_url, mode="append")
    yield opened
    opened.close()


@pytest.fixture
def recorder(log, keys):
    return helpers.recorder_for(log)
