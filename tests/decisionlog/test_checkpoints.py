"""The background checkpointer of a SQLite log (decisionlog.database.Checkpointer) keeps the
write-ahead log from growing without end when appends never stop."""

from __future__ import annotations

import fcntl
import os
import sqlite3

from sendrules.decisionlog import database
from sendrules.decisionlog.store import DecisionLog
from tests.decisionlog import helpers
from tests.decisionlog.helpers import cohort_requests


class ReaderUntilFirstPass:
    """A checkpoint connection for one round, with a reader holding an older snapshot until the
    round's first passive pass is over. The reader stands for the appends that arrive while a
    pass runs under load: the pass cannot copy the frames after the reader's snapshot, as it
    cannot copy frames appended after it began."""

    def __init__(self, connection: sqlite3.Connection, reader: sqlite3.Connection, lock_path: str) -> None:
        self.connection, self.reader, self.lock_path, self.passes = connection, reader, lock_path, 0
        self.writers_shut_out: list[bool] = []  # for each pass: could another writer have begun?

    def execute(self, sql: str):
        self.writers_shut_out.append(_writer_lock_taken(self.lock_path))
        cursor = self.connection.execute(sql)
        self.passes += 1
        if self.passes == 1:
            rows = cursor.fetchall()
            self.reader.rollback()  # the reader is done: nothing now stops a whole copy
            return _Rows(rows)
        return cursor


def _writer_lock_taken(lock_path: str) -> bool:
    """Whether another holder has the log's writer lock (what every appending process takes)."""
    descriptor = os.open(lock_path, os.O_CREAT | os.O_RDWR, 0o600)
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    finally:
        os.close(descriptor)
    return False


class _Rows:
    def __init__(self, rows):
        self.rows = rows

    def fetchone(self):
        return self.rows[0]

    def fetchall(self):
        return self.rows


def _check(sqlite_url, monkeypatch, with_lock: bool) -> tuple[int, int, list[bool]]:
    """Four appends, a reader's snapshot, a fifth append, one checkpoint round (the reader done
    after its passive pass), then a sixth append: the size of the ``-wal`` file just before and
    just after the sixth, and for each pass of the round whether the writer lock was held."""
    log = DecisionLog.open(sqlite_url, mode="append")
    try:
        recorder = helpers.recorder_for(log)
        entries = [recorder.prepare(request)[1] for request in cohort_requests(6, seed=41)]
        for entry in entries[:4]:
            log.append(entry)
        path = log.engine.url.database
        checkpointer = database.Checkpointer.__new__(database.Checkpointer)  # no thread: one round by hand
        checkpointer.path = path
        checkpointer._writer_lock = database._writer_lock_for(path) if with_lock else None
        monkeypatch.setattr(database.Checkpointer, "PASSES", 1)
        connection, reader = sqlite3.connect(path), sqlite3.connect(path, isolation_level=None)
        try:
            reader.execute("BEGIN")
            reader.execute("SELECT count(*) FROM sqlite_master").fetchone()  # holds its snapshot
            log.append(entries[4])  # after the reader's snapshot
            rounds = ReaderUntilFirstPass(connection, reader, f"{path}-writer.lock")
            checkpointer.checkpoint(rounds)
            before = os.path.getsize(f"{path}-wal")
            log.append(entries[5])  # starts the log again from its beginning if it was wholly copied
            after = os.path.getsize(f"{path}-wal")
        finally:
            connection.close()
            reader.close()
        assert log.verify().ok and log.verify().entries == 6
        return before, after, rounds.writers_shut_out
    finally:
        log.close()


def test_a_round_copies_the_tail_under_the_writer_lock_so_the_log_starts_again(sqlite_url, keys, monkeypatch):
    before, after, writers_shut_out = _check(sqlite_url, monkeypatch, with_lock=True)
    assert after == before  # written over the start of the file, not added to its end
    assert writers_shut_out == [False, True]  # the passive pass let appends run; the last did not


def test_without_the_locked_pass_the_log_keeps_growing(tmp_path, keys, monkeypatch):
    """The same round without its locked pass: the frames the passive pass could not copy stay
    uncopied, so the next append adds to the end of the file instead of starting it again."""
    before, after, _ = _check(f"sqlite:///{tmp_path / 'log.sqlite3'}", monkeypatch, with_lock=False)
    assert after > before
