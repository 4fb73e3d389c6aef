"""Connecting to the log's database (SQLite or PostgreSQL), serialising appends, migrating.

* **URLs.** ``sqlite:////absolute/path.sqlite3`` (or ``sqlite:///relative``) and
  ``postgresql+psycopg://user@host/db``; ``postgresql://`` and ``postgres://`` mean psycopg 3.
  An in-memory SQLite database is refused: a log that vanishes with the process is no log.
* **SQLite.** WAL mode, ``synchronous=FULL`` (a commit is on disk before it is acknowledged),
  foreign keys on, a 60-second busy timeout. SQLAlchemy emits ``BEGIN`` itself; a write
  transaction begins ``BEGIN IMMEDIATE``, taking the database's write lock first, so
  concurrent appends queue instead of failing. Writers from all threads and processes first
  take a blocking lock on ``<database>-writer.lock`` (``flock``): waiting writers then wake as
  soon as the lock is free, instead of polling with SQLite's back-off (sleeps of up to 100 ms,
  which made tail latency under load a second or more). A killed writer's lock is released by
  the kernel.
* **PostgreSQL.** An append locks the single ``decision_log_head`` row (``SELECT … FOR
  UPDATE``); migrations hold a transaction-level advisory lock.
* **Migrations.** Alembic, run in-process inside one transaction. A new, empty database gets
  the schema on first use by a command that writes (or ``sendrules log migrate``); an older
  schema is upgraded only by ``sendrules log migrate``.
"""

from __future__ import annotations

import logging
import os
import sys
import threading
from contextlib import contextmanager, nullcontext
from pathlib import Path
from typing import Iterator

try:
    import fcntl
except ImportError:  # not POSIX: SQLite's own busy timeout serialises writers
    fcntl = None

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine, event, text
from sqlalchemy.engine import Connection, Engine, URL, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, NoSuchModuleError, SQLAlchemyError

from sendrules.decisionlog.errors import LogError

PACKAGE = Path(__file__).resolve().parent
VERSION_TABLE = "decision_log_schema"
MIGRATION_LOCK = 7_310_428_771  # pg_advisory_xact_lock key for schema changes
logger = logging.getLogger("sendrules.decisionlog")

BUSY_TIMEOUT_SECONDS = 60
_WRITE = "sendrules_write"


def parse_url(text: str) -> URL:
    """Validate a log URL; ``postgresql://`` is taken to mean psycopg 3."""
    try:
        url = make_url(text)
    except (ArgumentError, ValueError):
        raise LogError(
            "invalid_log_url",
            f"'{_mask(text)}' is not a database URL; expected "
            "sqlite:////path/to/log.sqlite3 or postgresql+psycopg://user@host/db",
        ) from None
    backend, _, driver = url.drivername.partition("+")
    if backend in ("postgresql", "postgres"):
        if driver not in ("", "psycopg"):
            raise LogError(
                "invalid_log_url",
                f"the log uses psycopg 3: write postgresql+psycopg://… (not {url.drivername})",
            )
        url = url.set(drivername="postgresql+psycopg")
        if not url.database:
            raise LogError("invalid_log_url", "the PostgreSQL URL names no database")
    elif backend == "sqlite":
        if driver not in ("", "pysqlite"):
            raise LogError("invalid_log_url", f"unsupported SQLite driver '{driver}'")
        if not url.database or url.database == ":memory:" or url.query.get("mode") == "memory":
            raise LogError(
                "invalid_log_url",
                "the decision log must be a file (sqlite:////path/log.sqlite3); "
                "an in-memory database would lose every decision when the process ends",
            )
    else:
        raise LogError(
            "invalid_log_url",
            f"unsupported database '{backend}' in the log URL; use sqlite:///… or postgresql+psycopg://…",
        )
    return url


def display_url(url: URL | str) -> str:
    """The URL with any password hidden, for messages."""
    if isinstance(url, str):
        return _mask(url)
    return url.render_as_string(hide_password=True)


def _mask(text: str) -> str:
    try:
        return make_url(text).render_as_string(hide_password=True)
    except (ArgumentError, ValueError):
        return "<unparseable URL>"


def create_engine_for(url_text: str, create: bool, background_checkpoints: bool = False) -> Engine:
    """An engine for the log at ``url_text``. A missing SQLite file is created (mode 0600, in a
    0700 folder if the folder is new) only when ``create``; otherwise it is an error."""
    url = parse_url(url_text)
    if url.get_backend_name() == "sqlite":
        path = Path(url.database).expanduser()
        if not path.exists():
            if not create:
                raise LogError("log_not_found", f"there is no decision log at {path}")
            try:
                path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
                os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o600))
            except OSError as error:
                raise LogError(
                    "log_unavailable", f"cannot create the decision log {path}: {error.strerror}"
                ) from None
        url = url.set(database=str(path))
        engine = create_engine(url, connect_args={"timeout": BUSY_TIMEOUT_SECONDS})
        _configure_sqlite(engine, autocheckpoint=not background_checkpoints)
    else:
        try:
            engine = create_engine(
                url, pool_pre_ping=True, connect_args={"connect_timeout": 10, "application_name": "sendrules"}
            )
        except (NoSuchModuleError, ArgumentError) as error:
            raise LogError("invalid_log_url", f"cannot use {display_url(url)}: {error}") from None
        except ModuleNotFoundError:
            raise LogError(
                "log_unavailable",
                "a decision log on PostgreSQL needs the psycopg driver: pip install 'sendrules[postgres]'",
            ) from None
    return engine


#: The size a SQLite log's ``-wal`` file is cut back to when the log starts again (64 MiB).
WAL_SIZE_LIMIT_BYTES = 64 * 1024 * 1024


def _configure_sqlite(engine: Engine, autocheckpoint: bool = True) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):
        dbapi_connection.isolation_level = None  # SQLAlchemy emits BEGIN itself (below)
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_SECONDS * 1000}")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA synchronous = FULL")
        # when the write-ahead log starts again, a file grown past this in a burst is cut back
        cursor.execute(f"PRAGMA journal_size_limit = {WAL_SIZE_LIMIT_BYTES}")
        cursor.execute("PRAGMA foreign_keys = ON")
        if not autocheckpoint:
            # the long-running service checkpoints in the background (Checkpointer), so that no
            # request waits while the write-ahead log is copied into the database file
            cursor.execute("PRAGMA wal_autocheckpoint = 0")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection):
        write = connection.get_execution_options().get(_WRITE, False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")


class _WriterLock:
    """Serialises SQLite writers: a thread lock within the process, ``flock`` across processes."""

    def __init__(self, database: str) -> None:
        self.path = f"{database}-writer.lock"
        self._thread_lock = threading.Lock()
        self._fd: int | None = None
        self._pid: int | None = None

    @contextmanager
    def held(self) -> Iterator[None]:
        with self._thread_lock:
            if self._fd is None or self._pid != os.getpid():
                # a forked child must not share its parent's open file (flock is per open file)
                self._fd = os.open(self.path, os.O_CREAT | os.O_RDWR, 0o600)
                self._pid = os.getpid()
            fcntl.flock(self._fd, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(self._fd, fcntl.LOCK_UN)


_writer_locks: dict[str, _WriterLock] = {}
_writer_locks_guard = threading.Lock()


def _writer_lock(engine: Engine) -> _WriterLock | None:
    if engine.dialect.name != "sqlite":
        return None
    return _writer_lock_for(engine.url.database)


def _writer_lock_for(database: str) -> _WriterLock | None:
    """The writer lock of the SQLite database at ``database`` (one per path and process)."""
    if fcntl is None:
        return None
    with _writer_locks_guard:
        lock = _writer_locks.get(database)
        if lock is None:
            lock = _writer_locks[database] = _WriterLock(database)
        return lock


class Checkpointer:
    """Copies a SQLite log's write-ahead log into the database file every few seconds, in a
    background thread, and keeps the write-ahead log from growing without end.

    Each round first runs ``PRAGMA wal_checkpoint(PASSIVE)``, which never waits for or blocks a
    writer, so the bulk of the copying happens while appends go on. But a passive checkpoint
    copies only the frames that existed when it started, and under steady appends new ones
    always have: the log is never wholly copied, so SQLite never starts it again from the
    beginning, and the ``-wal`` file grows for as long as appends keep coming (900 MB in a
    minute of the HTTP benchmark), each commit extending it. So the round then takes the
    writer lock (appends wait) and checkpoints the few frames written meanwhile: the log is
    then wholly copied, and the next append starts it again from the beginning, overwriting
    it in place. Commits are durable in the write-ahead log already; this only keeps it short.
    (Where there is no ``flock``, there is no writer lock and no locked pass: the log is then
    started again only when appends pause.)"""

    def __init__(self, path: str, interval: float = 2.0) -> None:
        self.path = path
        self.interval = interval
        self._writer_lock = _writer_lock_for(path)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="sendrules-checkpointer", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        import sqlite3

        connection = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_SECONDS, check_same_thread=False)
        try:
            while not self._stop.wait(self.interval):
                try:
                    self.checkpoint(connection)
                except Exception:  # noqa: BLE001 -- keep checkpointing; nothing else does it here
                    logger.exception(
                        "background checkpoint of %s failed; retrying in %s s", self.path, self.interval
                    )
        finally:
            connection.close()

    #: Passive passes go on (at most ``PASSES``) until the log has grown by no more than this
    #: many frames since the previous one; the locked pass then has only those to copy. If a
    #: reader's snapshot kept more than this uncopied, the locked pass waits for a later round.
    SMALL_TAIL = 256
    PASSES = 3

    def checkpoint(self, connection) -> None:
        """One round: passive checkpoints until what is left is small, then the rest under the
        writer lock (appends wait only for that last, short pass)."""
        import sqlite3

        try:
            frames = uncopied = 0
            for _ in range(self.PASSES):
                busy, log_frames, copied = connection.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
                if busy:
                    return  # another checkpoint (another worker's) is running: the next round
                grown, frames, uncopied = log_frames - frames, log_frames, log_frames - copied
                if grown <= self.SMALL_TAIL:
                    break
            if self._writer_lock is not None and uncopied <= self.SMALL_TAIL:
                with self._writer_lock.held():
                    connection.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchall()
        except sqlite3.Error:
            pass  # locked: the next round catches up

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=10)


@contextmanager
def write_transaction(engine: Engine) -> Iterator[Connection]:
    """One write transaction; committed when the block ends without an exception. On SQLite it
    holds the write lock from its first statement (``BEGIN IMMEDIATE``), after the writer lock."""
    lock = _writer_lock(engine)
    with lock.held() if lock is not None else nullcontext():
        with engine.connect() as connection:
            connection.execution_options(**{_WRITE: True})
            with connection.begin():
                yield connection


#: Called with the cursor just before a raw write transaction commits (used by the durability
#: tests to kill a writer inside its transaction).
BEFORE_COMMIT: list = []


@contextmanager
def raw_write_transaction(engine: Engine) -> Iterator[object]:
    """A write transaction on a pooled driver connection, for the hot path of appends: a
    cursor, with the same locking as ``write_transaction`` (the writer lock and ``BEGIN
    IMMEDIATE`` on SQLite; the driver's transaction on PostgreSQL), committed when the block ends
    without an exception and rolled back otherwise. The connection is taken from the pool
    before the writer lock and returned after it (returning it resets it, which is a driver
    call): other processes wait for the lock only while the transaction itself runs."""
    lock = _writer_lock(engine)
    sqlite = engine.dialect.name == "sqlite"
    pooled = engine.raw_connection()
    try:
        driver = pooled.driver_connection
        cursor = driver.cursor()
        try:
            with lock.held() if lock is not None else nullcontext():
                try:
                    if sqlite:
                        cursor.execute("BEGIN IMMEDIATE")
                    yield cursor
                    for hook in BEFORE_COMMIT:
                        hook(cursor)
                    if sqlite:
                        cursor.execute("COMMIT")
                    else:
                        driver.commit()
                except BaseException:
                    _roll_back(driver, cursor, sqlite)
                    raise
        finally:
            cursor.close()
    finally:
        pooled.close()


def _roll_back(driver, cursor, sqlite: bool) -> None:
    """Roll back after a failed write, never hiding why it failed: SQLite has already rolled
    back by itself after some errors (a full disk, some I/O errors), and a rollback that fails
    too is left to the pool, which resets the connection when it is returned."""
    try:
        if not sqlite:
            driver.rollback()
        elif driver.in_transaction:
            cursor.execute("ROLLBACK")
    except Exception:  # noqa: BLE001 -- the caller must see the original error
        pass


@contextmanager
def read_transaction(engine: Engine) -> Iterator[Connection]:
    """One read transaction: a consistent snapshot for the whole block."""
    with engine.connect() as connection:
        if engine.dialect.name == "postgresql":
            connection.execution_options(isolation_level="REPEATABLE READ")
        with connection.begin():
            yield connection


def _is_driver_error(error: BaseException) -> bool:
    """Whether ``error`` is a database driver's own (the append's hot path talks to the driver
    directly, so its failures are not wrapped by SQLAlchemy). psycopg is looked up, not
    imported: if it is not loaded, none of its errors can have happened, and importing it costs
    every SQLite-only command ~60 ms."""
    import sqlite3

    psycopg = sys.modules.get("psycopg")
    return isinstance(error, sqlite3.Error) or (psycopg is not None and isinstance(error, psycopg.Error))


def _unavailable(url: str, cause: BaseException) -> LogError:
    detail = (str(cause).strip().splitlines() or [type(cause).__name__])[0]
    return LogError("log_unavailable", f"the decision log at {display_url(url)} failed: {detail}")


@contextmanager
def database_errors(url: str) -> Iterator[None]:
    """Turn a database failure (server down, disk full, permissions) into one clear message."""
    try:
        yield
    except DBAPIError as error:
        raise _unavailable(url, error.orig if error.orig is not None else error) from None
    except SQLAlchemyError as error:
        raise LogError(
            "log_unavailable",
            f"the decision log at {display_url(url)} failed: "
            f"{type(error).__name__}: {str(error).splitlines()[0]}",
        ) from None
    except Exception as error:
        if not _is_driver_error(error):
            raise
        raise _unavailable(url, error) from None


# --- migrations ------------------------------------------------------------------------------


def alembic_config(connection: Connection | None = None) -> Config:
    config = Config(str(PACKAGE / "alembic.ini"))
    config.set_main_option("script_location", str(PACKAGE / "migrations"))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def head_revision() -> str:
    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def current_revision(connection: Connection) -> str | None:
    context = MigrationContext.configure(connection, opts={"version_table": VERSION_TABLE})
    return context.get_current_revision()


def ensure_schema(engine: Engine, url: str, mode: str) -> None:
    """Check (and, depending on ``mode``, create or upgrade) the schema.

    ``read``: the schema must be current. ``append``: an empty database gets the schema; an
    older one is an error. ``migrate``: bring any older schema up to date."""
    head = head_revision()
    with database_errors(url):
        with engine.connect() as connection:
            current = current_revision(connection)
            connection.rollback()
        if current == head:
            return
        _check_known(current, url)
        if current is None and mode == "read":
            raise LogError(
                "log_not_found",
                f"{display_url(url)} holds no decision log yet "
                "(record a decision with --log, or run `sendrules log migrate`)",
            )
        if current is not None and mode != "migrate":
            raise LogError(
                "log_schema",
                f"the decision log at {display_url(url)} has schema "
                f"{current}; this sendrules needs {head}: run `sendrules log migrate`",
            )
        with write_transaction(engine) as connection:
            if engine.dialect.name == "postgresql":
                connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK})
            if current_revision(connection) != head:  # another process may have just done it
                command.upgrade(alembic_config(connection), "head")


def _check_known(revision: str | None, url: str) -> None:
    if revision is None:
        return
    script = ScriptDirectory.from_config(alembic_config())
    if revision not in {r.revision for r in script.walk_revisions()}:
        raise LogError(
            "log_schema",
            f"the decision log at {display_url(url)} has schema {revision}, "
            "written by a newer sendrules; upgrade sendrules to use it",
        )
