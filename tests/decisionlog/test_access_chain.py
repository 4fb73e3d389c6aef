"""The access log is chained like the decision log (issue 12, item 7): every row written by an
append or by ``record_access`` is chained, concurrent writers cannot fork the chain, ``verify``
reports an edited, removed, moved or cut-off row, and ``sendrules log migrate`` chains the rows
of an older (schema 0002) log."""

from __future__ import annotations

import threading

import pytest
from alembic import command
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from sendrules.decisionlog import database
from sendrules.decisionlog.chain import GENESIS, access_entry_hash
from sendrules.decisionlog.errors import LogError
from sendrules.decisionlog.store import AccessRecord, DecisionLog
from tests.decisionlog.helpers import cohort_requests, tamper


def read(log: DecisionLog, number: int) -> None:
    log.record_access(AccessRecord(f"key-{number % 3}", "caseworker", "read", f"d-{number}", "detail"))


def assert_chained(log: DecisionLog, count: int) -> None:
    """``count`` rows, numbered 1… in id order, each chained to the one before, and verify agrees."""
    rows = log.access_records(limit=10_000)
    assert [row["seq"] for row in rows] == list(range(1, count + 1))
    previous = GENESIS
    for row in rows:
        assert row["prev_hash"] == previous and access_entry_hash(row) == row["entry_hash"]
        previous = row["entry_hash"]
    report = log.verify()
    assert report.ok, report.first_break
    assert report.access_entries == count
    assert report.to_dict()["access_head"] == {"seq": count, "entry_hash": previous}


def test_appends_and_reads_are_chained_in_one_access_chain(log, recorder):
    for number, request in enumerate(cohort_requests(6, seed=5)):
        recorder.decide(request, access=AccessRecord("maker", "caseworker", "decide"))
        read(log, number)
    futures = [  # one group commit with several access rows
        recorder.submit(request, access=AccessRecord("maker", "caseworker", "decide"))[2]
        for request in cohort_requests(5, seed=9)
    ]
    for future in futures:
        future.result()
    assert_chained(log, 17)


def test_concurrent_writers_do_not_fork_the_access_chain(log, recorder):
    requests = list(cohort_requests(8, seed=11))

    def reader(first: int) -> None:
        for number in range(first, first + 15):
            read(log, number)

    def maker() -> None:
        for request in requests:
            recorder.decide(request, access=AccessRecord("maker", "caseworker", "decide"))

    threads = [threading.Thread(target=reader, args=(n * 100,)) for n in range(4)]
    threads.append(threading.Thread(target=maker))
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert_chained(log, 4 * 15 + 8)


def test_the_database_refuses_updates_and_deletes_of_the_access_log(log):
    read(log, 1)
    for sql in (
        "UPDATE access_log SET principal = 'someone else'",
        "DELETE FROM access_log",
        "DELETE FROM access_log_head",
    ):
        with pytest.raises(DBAPIError, match="append-only"):
            with log.engine.begin() as connection:
                connection.execute(text(sql))
    with log.engine.begin() as connection:  # the head moves: only the chain's writers do this
        connection.execute(text("UPDATE access_log_head SET seq = seq WHERE id = 1"))
    assert log.verify().ok


# --- tampering -------------------------------------------------------------------------------


@pytest.fixture
def six(log):
    """An access log of six rows."""
    for number in range(6):
        read(log, number)
    assert_chained(log, 6)
    return log.access_records()


def first_break(log):
    report = log.verify()
    assert not report.ok and report.entries == 0  # the decision chain (empty) was intact
    return report.first_break


def test_verify_finds_an_edited_access_row(log, six):
    tamper(log, ("UPDATE access_log SET principal = 'someone else' WHERE seq = 3", {}))
    found = first_break(log)
    assert (found.kind, found.seq, found.decision_id) == ("access_altered", 3, six[2]["decision_id"])
    assert found.describe().startswith("access-log row #3")
    assert log.verify().access_entries == 2


def test_verify_finds_an_access_row_rewritten_with_its_hash_recomputed(log, six):
    row = dict(six[1], action="find")
    tamper(
        log,
        (
            "UPDATE access_log SET action = 'find', entry_hash = :h WHERE seq = 2",
            {"h": access_entry_hash(row)},
        ),
    )
    found = first_break(log)
    assert (found.kind, found.seq) == ("access_altered", 2) and "rewritten" in found.detail


def test_verify_finds_a_removed_access_row(log, six):
    tamper(log, ("DELETE FROM access_log WHERE seq = 3", {}))
    found = first_break(log)
    assert (found.kind, found.seq) == ("access_removed", 4) and "#3 removed" in found.detail


def test_verify_finds_two_access_rows_swapped(log, six):
    second, fourth = six[1]["id"], six[3]["id"]
    tamper(
        log,
        ("UPDATE access_log SET id = -1 WHERE id = :i", {"i": second}),
        ("UPDATE access_log SET id = :i WHERE id = :j", {"i": second, "j": fourth}),
        ("UPDATE access_log SET id = :j WHERE id = -1", {"j": fourth}),
    )
    found = first_break(log)
    assert (found.kind, found.seq) == ("access_reordered", 4) and "where #2 belongs" in found.detail


def test_verify_finds_access_contents_moved_between_rows(log, six):
    columns = ("at", "principal", "role", "action", "decision_id", "detail", "prev_hash", "entry_hash")
    sets = ", ".join(f"{name} = :{name}" for name in columns)
    tamper(
        log,
        (f"UPDATE access_log SET {sets} WHERE seq = 2", {name: six[3][name] for name in columns}),
        (f"UPDATE access_log SET {sets} WHERE seq = 4", {name: six[1][name] for name in columns}),
    )
    found = first_break(log)
    assert (found.kind, found.seq) == (
        "access_reordered",
        2,
    ) and "row #4, moved to position #2" in found.detail


def test_verify_finds_the_tail_of_the_access_log_removed(log, six):
    tamper(log, ("DELETE FROM access_log WHERE seq >= 5", {}))
    found = first_break(log)
    assert (found.kind, found.seq) == ("access_truncated", 5) and "last 2 rows were removed" in found.detail
    tamper(log, ("DELETE FROM access_log_head", {}))
    assert first_break(log).kind == "access_head"


def test_the_json_report_names_the_access_break_and_the_rows_verified(log, six):
    tamper(log, ("UPDATE access_log SET detail = NULL WHERE seq = 6", {}))
    report = log.verify().to_dict()
    assert report["ok"] is False and report["first_break"]["kind"] == "access_altered"
    assert report["first_break"]["seq"] == 6 and report["access_entries"] == 5


# --- migrating an older log ------------------------------------------------------------------


def log_at_schema_0002(url: str, rows: int) -> None:
    """A log as sendrules 0.3.0 left it (schema 0002), holding ``rows`` access rows."""
    engine = database.create_engine_for(url, create=True)
    try:
        with database.write_transaction(engine) as connection:
            command.upgrade(database.alembic_config(connection), "0002")
            for number in range(rows):
                connection.execute(
                    text(
                        "INSERT INTO access_log (at, principal, role, action, decision_id, detail) "
                        "VALUES (:at, :p, 'auditor', 'read', :d, NULL)"
                    ),
                    {
                        "at": f"2025-01-01T09:00:{number:02d}.000000+00:00",
                        "p": f"key-{number}",
                        "d": f"d-{number}",
                    },
                )
    finally:
        engine.dispose()


def test_migrating_a_0002_log_chains_its_access_rows(log_url):
    log_at_schema_0002(log_url, 7)
    with pytest.raises(LogError) as error:
        DecisionLog.open(log_url, mode="read")
    assert error.value.code == "log_schema" and "sendrules log migrate" in error.value.message
    DecisionLog.open(log_url, mode="migrate").close()
    with DecisionLog.open(log_url, mode="append") as log:
        assert [row["principal"] for row in log.access_records()] == [f"key-{n}" for n in range(7)]
        assert_chained(log, 7)
        read(log, 99)  # and new rows continue the chain
        assert_chained(log, 8)
        with pytest.raises(DBAPIError, match="append-only"):  # the triggers are back in place
            with log.engine.begin() as connection:
                connection.execute(text("UPDATE access_log SET principal = 'x'"))
        tamper(log, ("UPDATE access_log SET principal = 'x' WHERE seq = 2", {}))
        assert log.verify().first_break.kind == "access_altered"


def test_migrating_an_empty_0002_access_log(log_url):
    log_at_schema_0002(log_url, 0)
    DecisionLog.open(log_url, mode="migrate").close()
    with DecisionLog.open(log_url, mode="append") as log:
        assert_chained(log, 0)
        read(log, 1)
        assert_chained(log, 1)


def test_an_access_anchor_catches_a_tail_removed_with_the_head_rewritten(log, six):
    """Without an anchor, deleting the last access rows and moving the head back to the new last
    row leaves a chain that is intact; the access head recorded elsewhere catches it."""
    from sendrules.decisionlog.chain import Anchor, parse_anchor

    last = six[5]
    anchor = parse_anchor(f"access:{last['seq']}:{last['entry_hash'].upper()}")
    assert anchor == Anchor(6, last["entry_hash"], "access")
    assert log.verify(anchors=(anchor,)).ok
    tamper(
        log,
        ("DELETE FROM access_log WHERE seq >= 5", {}),
        ("UPDATE access_log_head SET seq = 4, entry_hash = :h", {"h": six[3]["entry_hash"]}),
    )
    assert log.verify().ok  # the shorter chain is consistent with its rewritten head
    found = log.verify(anchors=(anchor,)).first_break
    assert (found.kind, found.seq) == ("access_anchor", 6)
    assert "access-log row #6" in found.detail and "has no such access-log row" in found.detail
    # a decision-chain anchor with the same numbers is a different claim
    assert parse_anchor(f"6:{last['entry_hash']}").chain == "decisions"
