"""The log on SQLite and PostgreSQL: appends, idempotency, the standards store, replay of every
logged decision, and tampering detected by verify."""

from __future__ import annotations

import json
import threading
from contextlib import contextmanager
from dataclasses import replace
from types import SimpleNamespace

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from sendrules.decisionlog.chain import GENESIS, entry_hash
from sendrules.decisionlog.config import load_config
from sendrules.decisionlog.errors import LogError
from sendrules.decisionlog.replay import replay
from tests.decisionlog.helpers import cohort_requests, example_request, tamper


def record_many(recorder, count: int, seed: int = 7):
    return [recorder.decide(request) for request in cohort_requests(count, seed)]


def test_an_append_is_chained_and_stored_whole(log, recorder):
    recorded = recorder.decide(example_request())
    entry = recorded.result.entry
    assert recorded.result.created and entry.seq == 1 and entry.prev_hash == GENESIS
    assert entry.decision_id == recorded.decision.decision_id
    assert entry.entry_hash == entry_hash(entry.as_mapping())
    assert json.loads(entry.decision_json) == recorded.decision.to_dict()
    assert entry.recorded_at == "2025-01-01T09:00:00.000000+00:00"
    stored = log.get(entry.decision_id)
    assert stored == entry
    second = recorder.decide(example_request("2025-07-01")).result.entry
    assert second.seq == 2 and second.prev_hash == entry.entry_hash


def test_personal_data_is_pseudonymised_and_encrypted(log, recorder):
    entry = recorder.decide(example_request()).result.entry
    assert entry.child_pseudonym != "C-000123" and len(entry.child_pseudonym) == 64
    with log.engine.connect() as connection:
        row = connection.execute(text("SELECT * FROM decision_log")).one()
    stored = " ".join(str(value) for value in row)
    assert "C-000123" not in stored and "2015-03-14" not in stored  # child id, date of birth
    assert b"C-000123" not in bytes(row.request_payload)
    request = log.decrypt_request(entry, load_config().cipher())
    assert request["journey"]["child"]["id"] == "C-000123"


def test_entries_about_one_child_are_found_by_pseudonym(log, recorder):
    pseudonymiser = load_config().pseudonymiser()
    first = recorder.decide(example_request("2025-03-01")).result.entry
    record_many(recorder, 4)
    second = recorder.decide(example_request("2025-06-01")).result.entry
    found = log.entries_about(pseudonymiser.pseudonym("C-000123"))
    assert [entry.decision_id for entry in found] == [first.decision_id, second.decision_id]
    assert [entry.seq for entry in found] == [1, 6]
    assert log.entries_about(pseudonymiser.pseudonym("C-000124")) == []
    assert log.entries_about("C-000123") == []  # the plain id is never stored
    assert log.pseudonym_keys() == {pseudonymiser.key_id: 6}


def test_the_log_is_idempotent_per_decision_id(log, recorder):
    first = recorder.decide(example_request())
    again = recorder.decide(example_request(standards="send-ap@1.0.0"))  # same canonical request
    assert not again.result.created and again.result.entry == first.result.entry
    assert log.count() == 1 and log.verify().ok


def test_each_standards_version_is_stored_once_by_content_hash(log, recorder):
    record_many(recorder, 5)
    [stored] = log.all_standards()
    assert stored.reference == "send-ap@1.0.0" and stored.content_matches()
    assert set(stored.texts) >= {"manifest.yaml", "parameters.yaml", "events.yaml"}


def test_every_logged_decision_replays_identical(log, recorder):
    decisions = record_many(recorder, 40, seed=11)
    cipher = load_config().cipher()
    for recorded in decisions:
        result = replay(log, recorded.decision.decision_id, cipher)
        assert result.identical, result.diff.to_dict()
    report = log.verify(cipher=cipher)
    assert report.ok and report.entries == len({d.decision.decision_id for d in decisions})


def test_the_database_refuses_updates_and_deletes(log, recorder):
    recorder.decide(example_request())
    for sql in (
        "UPDATE decision_log SET as_of = '2025-01-01'",
        "DELETE FROM decision_log",
        "DELETE FROM standards_texts",
        "DELETE FROM decision_log_head",
    ):
        with pytest.raises(DBAPIError, match="append-only"):
            with log.engine.begin() as connection:
                connection.execute(text(sql))
    assert log.verify().ok


# --- tampering -------------------------------------------------------------------------------


@pytest.fixture
def five(log, recorder):
    """A log of five entries."""
    record_many(recorder, 5, seed=3)
    assert log.verify().ok
    return [entry for entry in log.entries()]


def test_verify_finds_an_edited_decision(log, five):
    entry = five[2]
    decision = json.loads(entry.decision_json)
    finding = decision["findings"][0]
    finding["status"] = "met" if finding["status"] != "met" else "late"
    edited = json.dumps(decision, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    tamper(log, ("UPDATE decision_log SET decision_json = :j WHERE seq = 3", {"j": edited}))
    report = log.verify()
    assert not report.ok and report.first_break.seq == 3 and report.first_break.kind == "altered"
    assert report.first_break.decision_id == entry.decision_id
    assert "decision was edited" in report.first_break.detail


def test_verify_finds_an_edited_field(log, five):
    tamper(log, ("UPDATE decision_log SET as_of = '2099-01-01' WHERE seq = 2", {}))
    report = log.verify()
    assert (report.first_break.kind, report.first_break.seq) == ("altered", 2)


def test_verify_finds_an_entry_rewritten_with_its_hashes_recomputed(log, five):
    row = dict(five[1].as_mapping(), recorded_at="2024-12-31T00:00:00.000000+00:00")
    tamper(
        log,
        (
            "UPDATE decision_log SET recorded_at = :r, entry_hash = :h WHERE seq = 2",
            {"r": row["recorded_at"], "h": entry_hash(row)},
        ),
    )
    report = log.verify()
    assert (report.first_break.kind, report.first_break.seq) == ("altered", 2)
    assert "rewritten" in report.first_break.detail


def test_verify_finds_a_deleted_entry(log, five):
    tamper(log, ("DELETE FROM decision_log WHERE seq = 3", {}))
    report = log.verify()
    assert (report.first_break.kind, report.first_break.seq) == ("removed", 4)
    assert "#3 removed" in report.first_break.detail and report.entries == 2


def test_verify_finds_a_deleted_last_entry(log, five):
    tamper(log, ("DELETE FROM decision_log WHERE seq = 5", {}))
    report = log.verify()
    assert report.first_break.kind == "truncated" and report.first_break.seq == 5


def test_verify_finds_a_swapped_pair(log, five):
    tamper(
        log,
        ("UPDATE decision_log SET seq = -1 WHERE seq = 2", {}),
        ("UPDATE decision_log SET seq = 2 WHERE seq = 4", {}),
        ("UPDATE decision_log SET seq = 4 WHERE seq = -1", {}),
    )
    report = log.verify()
    assert (report.first_break.kind, report.first_break.seq) == ("reordered", 2)
    assert report.first_break.decision_id == five[3].decision_id
    assert "entry #4, moved to position #2" in report.first_break.detail


def test_verify_finds_altered_standards_texts(log, five):
    stored = log.all_standards()[0]
    texts = dict(stored.texts)
    texts["parameters.yaml"] = texts["parameters.yaml"].replace("2014-09-01: 6", "2014-09-01: 7", 1)
    tamper(log, ("UPDATE standards_texts SET files_json = :f", {"f": json.dumps(texts)}))
    report = log.verify()
    assert report.first_break.kind == "standards" and report.first_break.seq == 1
    with pytest.raises(LogError, match="standards store was altered"):
        replay(log, five[0].decision_id, load_config().cipher())


def test_a_replaced_payload_is_caught_on_decrypting(log, five):
    """Payloads are not chained (so keys can rotate); the chained input hash still catches a swap."""
    tamper(
        log,
        (
            "UPDATE decision_log SET request_payload = (SELECT request_payload FROM decision_log "
            "WHERE seq = 1) WHERE seq = 2",
            {},
        ),
    )
    assert log.verify().ok  # the chain itself is intact
    cipher = load_config().cipher()
    report = log.verify(cipher=cipher)
    assert (report.first_break.kind, report.first_break.seq) == ("request", 2)
    with pytest.raises(LogError) as error:
        replay(log, five[1].decision_id, cipher)
    assert error.value.code == "undecryptable_request"  # bound to its decision id


def test_an_anchor_detects_a_rewritten_log(log, five):
    anchor = (five[3].seq, five[3].entry_hash)
    assert log.verify(anchors=(anchor,)).ok
    report = log.verify(anchors=((4, "0" * 64),))
    assert report.first_break.kind == "anchor" and report.first_break.seq == 4


def test_replay_refuses_an_altered_entry(log, five):
    tamper(log, ("UPDATE decision_log SET backend = 'other' WHERE seq = 1", {}))
    with pytest.raises(LogError) as error:
        replay(log, five[0].decision_id, load_config().cipher())
    assert error.value.code == "entry_altered"


# --- group commit -------------------------------------------------------------------------------


def _entries_for(recorder, count: int, seed: int):
    """New entries ready to append, made by the recorder without appending them."""
    return [recorder.prepare(request)[1] for request in cohort_requests(count, seed)]


@contextmanager
def _first_commit_held():
    """Hold the next commit just before COMMIT until ``release`` is set; ``entered`` waits until
    the committer is inside it; ``commits`` counts the commits."""
    from sendrules.decisionlog import database

    held = SimpleNamespace(commits=[], release=threading.Event())

    def hold_first_commit(cursor):
        held.commits.append(1)
        if len(held.commits) == 1:
            held.release.wait(10)

    def entered():
        while not held.commits:
            threading.Event().wait(0.01)

    held.entered = entered
    database.BEFORE_COMMIT.append(hold_first_commit)
    try:
        yield held
    finally:
        database.BEFORE_COMMIT.remove(hold_first_commit)


def test_appends_queued_during_a_commit_share_the_next_one(log, recorder):
    entries = _entries_for(recorder, 9, seed=31)
    log.append(entries[0])  # the standards are stored; the first commit is now in the past
    with _first_commit_held() as held:
        first = log.submit(entries[1])
        held.entered()  # the committer is inside the first transaction
        queued = [log.submit(entry) for entry in entries[2:]]
        assert not first.done() and not any(future.done() for future in queued)
        held.release.set()
        results = [future.result(timeout=30) for future in [first, *queued]]
    assert len(held.commits) == 2  # one for the held append, one for the seven queued behind it
    assert [result.entry.seq for result in results] == list(range(2, 10))
    assert all(result.created for result in results)
    assert log.verify().ok


@contextmanager
def _another_writer(log):
    """Another writer holds the log's write lock until the yielded event is set (at the latest
    when the block ends)."""
    from sendrules.decisionlog import database

    holds, release = threading.Event(), threading.Event()

    def other_writer():
        with database.write_transaction(log.engine) as connection:
            connection.exec_driver_sql(log._sql.lock_head)  # PostgreSQL: the head's row lock
            holds.set()
            release.wait(10)

    holder = threading.Thread(target=other_writer)
    holder.start()
    try:
        assert holds.wait(10)
        yield release
    finally:
        release.set()
        holder.join()


def test_appends_queued_while_waiting_for_the_write_lock_join_the_group(log, recorder):
    """The committer takes its group once it holds the log's write lock, not before: what queued
    while another writer held the lock is committed with it, in one transaction."""
    from sendrules.decisionlog import database

    entries = _entries_for(recorder, 8, seed=37)
    log.append(entries[0])
    commits: list[int] = []
    database.BEFORE_COMMIT.append(lambda cursor: commits.append(1))
    try:
        with _another_writer(log) as release:
            first = log.submit(entries[1])
            for _ in range(500):  # until the committer has taken the first append off its queue
                if log._committer._queue.empty():
                    break
                threading.Event().wait(0.01)
            queued = [log.submit(entry) for entry in entries[2:]]
            assert not first.done()
            release.set()
            results = [future.result(timeout=30) for future in [first, *queued]]
    finally:
        database.BEFORE_COMMIT.pop()
    assert len(commits) == 1  # the first append and the six queued behind it, together
    assert [result.entry.seq for result in results] == list(range(2, 9))
    assert log.verify().ok


def test_one_bad_entry_does_not_fail_the_rest_of_its_group(log, recorder):
    entries = _entries_for(recorder, 4, seed=41)
    log.append(entries[0])
    bad = replace(
        entries[1],
        decision={
            **entries[1].decision,
            "standards": {**entries[1].decision["standards"], "sha256": "0" * 64},
        },
        standards=None,
    )
    with _first_commit_held() as held:
        blocker = log.submit(entries[2])
        held.entered()
        bad_future, good_future = log.submit(bad), log.submit(entries[3])
        held.release.set()
        assert blocker.result(timeout=30).created
        with pytest.raises(LogError) as raised:
            bad_future.result(timeout=30)
        assert raised.value.code == "standards_not_stored"
        assert good_future.result(timeout=30).created
    assert log.count() == 3 and log.verify().ok


def test_a_database_failure_in_an_append_is_a_log_error_and_writes_nothing(log, recorder):
    """The append talks to the database driver directly: a driver error (disk full, I/O error,
    server gone) must still reach the caller as the log's own error, not the driver's."""
    from sendrules.decisionlog import database

    entries = _entries_for(recorder, 2, seed=43)
    log.append(entries[0])
    failure = log.engine.dialect.dbapi.OperationalError("disk I/O error")

    def fail(cursor):
        raise failure

    database.BEFORE_COMMIT.append(fail)
    try:
        with pytest.raises(LogError) as raised:
            log.append(entries[1])
    finally:
        database.BEFORE_COMMIT.remove(fail)
    assert raised.value.code == "log_unavailable" and "disk I/O error" in raised.value.message
    assert log.count() == 1 and log.verify().ok
    assert log.append(entries[1]).created  # and the log works again


def test_a_cancelled_append_is_not_written_and_the_rest_of_its_group_is(log, recorder):
    """A caller that gives up before the commit (asyncio cancels the future it awaits) must not
    stop the others in the group from learning that their entries were committed."""
    entries = _entries_for(recorder, 4, seed=53)
    log.append(entries[0])
    with _another_writer(log):
        futures = [log.submit(entry) for entry in entries[1:]]
        assert futures[1].cancel()  # still queued (or waiting for the lock): it can be cancelled
    first, third = futures[0].result(timeout=30), futures[2].result(timeout=30)
    assert first.created and third.created
    assert (first.entry.seq, third.entry.seq) == (2, 3)
    assert log.find(entries[2].decision["decision_id"]) is None
    assert log.count() == 3 and log.verify().ok


def test_a_full_disk_during_an_append_is_reported_as_such(sqlite_url, keys):
    """SQLite rolls back by itself when the disk is full; the append must report the full disk,
    not the failure of a second rollback."""
    import sqlite3

    from sqlalchemy import event

    from sendrules.decisionlog.store import DecisionLog
    from tests.decisionlog.helpers import recorder_for

    log = DecisionLog.open(sqlite_url, mode="append")
    try:
        entries = _entries_for(recorder_for(log), 2, seed=47)
        log.append(entries[0])
        path = log.engine.url.database
        with sqlite3.connect(path) as probe:
            pages = probe.execute("PRAGMA page_count").fetchone()[0]
        log.engine.dispose()

        @event.listens_for(log.engine, "connect")
        def no_room_to_grow(dbapi_connection, _record):
            dbapi_connection.execute(f"PRAGMA max_page_count = {pages}")

        with pytest.raises(LogError) as raised:
            log.append(entries[1])
        assert raised.value.code == "log_unavailable"
        assert "full" in raised.value.message and "rollback" not in raised.value.message
        assert log.count() == 1 and log.verify().ok
    finally:
        log.close()


def test_closing_the_log_commits_what_is_queued(log_url, keys):
    from sendrules.decisionlog.store import DecisionLog
    from tests.decisionlog.helpers import recorder_for

    log = DecisionLog.open(log_url, mode="append")
    recorder = recorder_for(log)
    entries = _entries_for(recorder, 5, seed=51)
    futures = [log.submit(entry) for entry in entries]
    log.close()
    assert all(future.done() and future.result().created for future in futures)
    with DecisionLog.open(log_url) as reopened:
        assert reopened.count() == 5 and reopened.verify().ok
