"""``DecisionLog``: the append-only log of decisions, on SQLite or PostgreSQL.

    log = DecisionLog.open(url, mode="append")     # "read", "append" or "migrate"
    result = log.append(new_entry)                 # one transaction; returns after COMMIT
    entry = log.get(decision_id)
    for entry in log.entries(): ...
    report = log.verify()

**One transaction per append.** It locks the chain head (SQLite: ``BEGIN IMMEDIATE``;
PostgreSQL: ``SELECT … FOR UPDATE`` on the head row), stores the standards' texts if the log
does not have them yet, inserts the entry chained to the head and moves the head. Either all of
that is committed or none of it is; ``append`` returns only after the commit.

**Idempotent per decision id.** Decision ids are derived from what was decided, so appending a
decision whose id is already logged returns the existing entry and adds nothing.

The pieces it is made of, one module each: ``entries`` (what is stored and answered),
``raw_sql`` (the append's statements in the driver's syntax), ``committer`` (group commit on
one thread), ``chain`` (hashes), ``standards_store`` (the standards' texts).

**Who did what.** ``access_log`` records who made or read which decision, and when: an append
can record its maker in the same transaction (``access=``), and every read is recorded with
``record_access``. It is append-only and chained like the log (its own chain and head,
``access_log_head``, locked by every write of an access row, so concurrent writers cannot fork
it); ``verify`` walks it after the decisions.
"""

from __future__ import annotations

import hashlib
import json
import os
import threading
from concurrent.futures import Future
from datetime import timezone
from typing import Any, Callable, Iterator

from sqlalchemy import bindparam, func, insert, select, update
from sqlalchemy.engine import Engine

from sendrules.decisionlog import chain, database
from sendrules.decisionlog.crypto import RequestCipher
from sendrules.decisionlog.errors import LogError
from sendrules.decisionlog.schema import (
    access_log,
    access_log_head,
    decision_log,
    decision_log_head,
    standards_texts,
)
from sendrules.decisionlog.standards_store import StoredStandards
from sendrules.decisionlog.committer import Committer, PendingAppend
from sendrules.decisionlog.entries import (
    ACCESS_COLUMNS,
    ENTRY_COLUMNS,
    AccessRecord,
    AppendResult,
    Clock,
    LogEntry,
    NewEntry,
    utc_now,
)
from sendrules.decisionlog.raw_sql import RawSql


_STANDARDS_PRESENT = select(standards_texts.c.sha256).where(standards_texts.c.sha256 == bindparam("sha256"))
_INSERT_ACCESS = insert(access_log)
_LOCK_ACCESS_HEAD = (
    select(access_log_head.c.seq, access_log_head.c.entry_hash)
    .where(access_log_head.c.id == 1)
    .with_for_update()
)


class DecisionLog:
    """The decision log at one database URL."""

    def __init__(self, engine: Engine, url: str) -> None:
        self.engine = engine
        self.url = url
        self._sql = RawSql.for_dialect(engine.dialect.name)
        self._known_standards: set[str] = set()
        self._committer: Committer | None = None
        self._committer_guard = threading.Lock()

    @classmethod
    def open(cls, url: str, mode: str = "read", background_checkpoints: bool = False) -> "DecisionLog":
        """Open (``mode="append"``/``"migrate"``: and create if empty) the log at ``url``.
        ``background_checkpoints`` (for a long-running service on SQLite): keep the write-ahead
        log short from a background thread instead of inside commits."""
        engine = database.create_engine_for(
            url, create=mode != "read", background_checkpoints=background_checkpoints
        )
        try:
            database.ensure_schema(engine, url, mode)
        except BaseException:
            engine.dispose()
            raise
        log = cls(engine, url)
        if background_checkpoints and engine.dialect.name == "sqlite":
            log._checkpointer = database.Checkpointer(engine.url.database)
        return log

    def close(self) -> None:
        with self._committer_guard:
            committer, self._committer = self._committer, None
        if committer is not None and committer.pid == os.getpid():
            committer.stop()
        checkpointer = getattr(self, "_checkpointer", None)
        if checkpointer is not None:
            checkpointer.stop()
        self.engine.dispose()

    def __enter__(self) -> "DecisionLog":
        return self

    def __exit__(self, *_exc) -> None:
        self.close()

    @property
    def display_url(self) -> str:
        return database.display_url(self.url)

    # --- writing -----------------------------------------------------------------------------

    def has_standards(self, sha256: str) -> bool:
        if sha256 in self._known_standards:
            return True
        with database.database_errors(self.url), database.read_transaction(self.engine) as connection:
            found = connection.execute(_STANDARDS_PRESENT, {"sha256": sha256}).first() is not None
        if found:
            self._known_standards.add(sha256)
        return found

    def append(
        self, new: NewEntry, clock: Clock = utc_now, access: AccessRecord | None = None
    ) -> AppendResult:
        """Record one decision; return only once it is committed. With ``access``, who made the
        decision is recorded in the same transaction (also when the decision was already logged)."""
        return self.submit(new, clock, access).result()

    def submit(
        self, new: NewEntry, clock: Clock = utc_now, access: AccessRecord | None = None
    ) -> Future[AppendResult]:
        """Queue one decision for the log; the future completes once it is committed (or with
        the error that stopped it). For callers that must not block, such as the HTTP service's
        event loop (``asyncio.wrap_future``).

        **Group commit.** One thread per log and process commits the queue (``Committer``):
        appends that arrive while a commit is in progress, or while the committer waits for
        another process's writer, are committed together in the next single transaction, one
        disk flush for many decisions, each acknowledged only after that commit. An entry
        is never split across transactions. If a group's transaction fails, each of its entries
        is retried alone, so one bad entry cannot fail the others."""
        pending = PendingAppend(new, clock, access)
        self._running_committer().put(pending)
        return pending.future

    def _running_committer(self) -> Committer:
        with self._committer_guard:
            if self._committer is None or self._committer.pid != os.getpid():
                # (a forked child does not inherit its parent's thread: it starts its own)
                self._committer = Committer(self._commit_group)
            return self._committer

    def _commit_group(
        self, batch: list["PendingAppend"], take_more: Callable[[], None] | None = None
    ) -> None:
        """Commit ``batch`` in one transaction (``take_more``, called once the write lock is held,
        may add to it), then finish each caller's future."""
        try:
            results = self._write(batch, take_more)
        except BaseException as error:
            if len(batch) == 1:
                batch[0].fail(error)
                return
            for one in batch:  # isolate the entry that made the group fail
                try:
                    one.finish(self._write([one])[0])
                except BaseException as error:  # noqa: BLE001 -- delivered to that caller
                    one.fail(error)
            return
        for one, result in zip(batch, results):
            one.finish(result)

    def _write(
        self, batch: list["PendingAppend"], take_more: Callable[[], None] | None = None
    ) -> list[AppendResult]:
        """Append ``batch`` in one transaction, in order, chained; committed on return.
        ``take_more`` is called once the write lock is held and may add appends to ``batch``
        (those queued while this one waited for the lock).

        Everything that does not depend on the chain head (canonical JSON, hashes of the
        decisions) is prepared by each caller before it queues, and the few statements of the
        locked section go straight to the database driver (inside the SQLAlchemy transaction):
        the section is short, so appends queue less."""
        results: list[AppendResult] = []
        created_rows: list[dict[str, Any]] = []
        sql = self._sql
        with database.database_errors(self.url):
            with database.raw_write_transaction(self.engine) as cursor:
                cursor.execute(sql.lock_head)
                head = cursor.fetchone()
                if head is None:
                    raise LogError(
                        "log_unavailable",
                        f"the decision log at {self.display_url} has no "
                        "chain head; run `sendrules log verify`",
                    )
                if take_more is not None:
                    take_more()
                prepared = [one.prepared for one in batch]
                access_rows = [one.access.row(one.clock) for one in batch if one.access is not None]
                wanted = list(dict.fromkeys(item["restated"]["decision_id"] for item in prepared))
                if access_rows:
                    cursor.execute(sql.lock_access_head)
                    access_head = cursor.fetchone()
                    if access_head is None:
                        raise LogError(
                            "log_unavailable",
                            f"the decision log at {self.display_url} has no "
                            "access-log head; run `sendrules log verify`",
                        )
                    new_head = chain.chain_access_rows(access_rows, (access_head[0], access_head[1]))
                    cursor.executemany(
                        sql.insert_access, [tuple(row[c] for c in ACCESS_COLUMNS) for row in access_rows]
                    )
                    cursor.execute(sql.move_access_head, new_head)
                cursor.execute(sql.select_by_ids(len(wanted)), wanted)
                known = {
                    row[ENTRY_COLUMNS.index("decision_id")]: LogEntry.from_row(row)
                    for row in cursor.fetchall()
                }
                seq, previous = head[0], head[1]
                for one, item in zip(batch, prepared):
                    restated = item["restated"]
                    decision_id = restated["decision_id"]
                    if decision_id in known:
                        results.append(AppendResult(known[decision_id], created=False))
                        continue
                    if restated["standards_sha256"] not in self._known_standards:
                        self._store_standards_raw(
                            cursor, sql, restated["standards_sha256"], one.new.standards
                        )
                    row: dict[str, Any] = {
                        "seq": seq + 1,
                        "recorded_at": one.clock()
                        .astimezone(timezone.utc)
                        .isoformat(timespec="microseconds"),
                        **restated,
                        "child_pseudonym": one.new.child_pseudonym,
                        "pseudonym_key": one.new.pseudonym_key,
                        "decision_json": item["decision_json"],
                        "decision_sha256": item["decision_sha256"],
                        "prev_hash": previous,
                        "request_key_id": one.new.sealed_request.key_id,
                        "request_payload": one.new.sealed_request.payload,
                    }
                    row["entry_hash"] = chain.entry_hash(row)
                    seq, previous = row["seq"], row["entry_hash"]
                    entry = LogEntry(**row)
                    known[decision_id] = entry
                    created_rows.append(row)
                    results.append(AppendResult(entry, created=True))
                if created_rows:
                    cursor.executemany(
                        sql.insert_entry, [tuple(row[c] for c in ENTRY_COLUMNS) for row in created_rows]
                    )
                    cursor.execute(sql.move_head, (seq, previous))
        for row in created_rows:
            self._known_standards.add(row["standards_sha256"])
        return results

    def _store_standards_raw(
        self, cursor, sql: "RawSql", sha256: str, standards: StoredStandards | None
    ) -> None:
        """Store the standards' texts unless the log has them (inside an append's transaction)."""
        cursor.execute(sql.standards_present, (sha256,))
        if cursor.fetchone() is not None:
            return
        self._check_standards_texts(sha256, standards)
        cursor.execute(
            sql.insert_standards, (sha256, standards.standards_id, standards.version, standards.files_json())
        )

    @staticmethod
    def _check_standards_texts(sha256: str, standards: StoredStandards | None) -> None:
        if standards is None or standards.sha256 != sha256:
            raise LogError(
                "standards_not_stored",
                f"the log does not hold the standards {sha256[:12]}… and their texts were not given",
            )
        if not standards.content_matches():
            raise LogError(
                "standards_hash_mismatch",
                f"the texts given for {standards.reference} do not hash to {sha256}",
            )

    def rekey(self, cipher: RequestCipher) -> int:
        """Re-encrypt every payload not under the current key with the current key. Each entry
        is its own transaction, and only the payload and key id change (they are not chained)."""
        done = 0
        while True:
            with database.database_errors(self.url), database.read_transaction(self.engine) as connection:
                rows = connection.execute(
                    select(decision_log)
                    .where(decision_log.c.request_key_id != cipher.current_key_id)
                    .order_by(decision_log.c.seq)
                    .limit(500)
                ).all()
            if not rows:
                return done
            for row in rows:
                entry = LogEntry.from_row(row)
                plaintext = cipher.decrypt(entry.sealed_request(), entry.decision_id)
                _check_request_hash(entry, plaintext)
                sealed = cipher.encrypt(plaintext, entry.decision_id)
                if cipher.decrypt(sealed, entry.decision_id) != plaintext:  # never lose a payload
                    raise LogError("undecryptable_request", "re-encryption did not round-trip")
                with (
                    database.database_errors(self.url),
                    database.write_transaction(self.engine) as connection,
                ):
                    connection.execute(
                        update(decision_log)
                        .where(
                            decision_log.c.seq == entry.seq,
                            decision_log.c.request_key_id == entry.request_key_id,
                        )
                        .values(request_key_id=sealed.key_id, request_payload=sealed.payload)
                    )
                done += 1

    def record_access(self, record: AccessRecord, clock: Clock = utc_now) -> None:
        """Record one read (or other use) of the log, in its own transaction, chained to the
        access head (locked: SQLite's write transaction is exclusive; PostgreSQL ``FOR UPDATE``)."""
        with database.database_errors(self.url), database.write_transaction(self.engine) as connection:
            head = connection.execute(_LOCK_ACCESS_HEAD).first()
            if head is None:
                raise LogError(
                    "log_unavailable",
                    f"the decision log at {self.display_url} has no access-log head; run `sendrules log verify`",
                )
            row = record.row(clock)
            seq, last_hash = chain.chain_access_rows([row], (head.seq, head.entry_hash))
            connection.execute(_INSERT_ACCESS, row)
            connection.execute(
                update(access_log_head).where(access_log_head.c.id == 1).values(seq=seq, entry_hash=last_hash)
            )

    def accessed(self, principal: str, action: str, decision_id: str) -> bool:
        """Has ``principal`` done ``action`` on ``decision_id`` (e.g. made that decision)?"""
        with database.database_errors(self.url), database.read_transaction(self.engine) as connection:
            return (
                connection.execute(
                    select(access_log.c.id)
                    .where(
                        access_log.c.principal == principal,
                        access_log.c.action == action,
                        access_log.c.decision_id == decision_id,
                    )
                    .limit(1)
                ).first()
                is not None
            )

    def access_records(self, decision_id: str | None = None, limit: int = 1000) -> list[dict[str, Any]]:
        """The access log, oldest first (of one decision, if given)."""
        query = select(access_log).order_by(access_log.c.id).limit(limit)
        if decision_id is not None:
            query = query.where(access_log.c.decision_id == decision_id)
        with database.database_errors(self.url), database.read_transaction(self.engine) as connection:
            return [dict(row._mapping) for row in connection.execute(query).all()]

    # --- reading -----------------------------------------------------------------------------

    def find(self, decision_id: str) -> LogEntry | None:
        with database.database_errors(self.url), database.read_transaction(self.engine) as connection:
            row = connection.execute(
                select(decision_log).where(decision_log.c.decision_id == decision_id)
            ).first()
        return LogEntry.from_row(row) if row is not None else None

    def get(self, decision_id: str) -> LogEntry:
        entry = self.find(decision_id)
        if entry is None:
            raise LogError(
                "unknown_decision", f"decision {decision_id} is not in the decision log at {self.display_url}"
            )
        return entry

    def entries_about(self, pseudonym: str) -> list[LogEntry]:
        """Every entry about one child, by the child's pseudonym, oldest first (for a subject
        access request; the pseudonym column is indexed)."""
        with database.database_errors(self.url), database.read_transaction(self.engine) as connection:
            rows = connection.execute(
                select(decision_log)
                .where(decision_log.c.child_pseudonym == pseudonym)
                .order_by(decision_log.c.seq)
            ).all()
        return [LogEntry.from_row(row) for row in rows]

    def pseudonym_keys(self) -> dict[str, int]:
        """How many entries were pseudonymised with each HMAC key (by the key's public id)."""
        with database.database_errors(self.url), database.read_transaction(self.engine) as connection:
            rows = connection.execute(
                select(decision_log.c.pseudonym_key, func.count()).group_by(decision_log.c.pseudonym_key)
            ).all()
        return {key: count for key, count in rows}

    def count(self) -> int:
        with database.database_errors(self.url), database.read_transaction(self.engine) as connection:
            return connection.execute(select(func.count()).select_from(decision_log)).scalar_one()

    def entries(self, batch: int = 1000) -> Iterator[LogEntry]:
        """Every entry in ``seq`` order, read in batches (constant memory)."""
        with database.database_errors(self.url), database.read_transaction(self.engine) as connection:
            yield from _entries(connection, batch)

    def standards(self, sha256: str) -> StoredStandards | None:
        with database.database_errors(self.url), database.read_transaction(self.engine) as connection:
            row = connection.execute(
                select(standards_texts).where(standards_texts.c.sha256 == sha256)
            ).first()
        if row is None:
            return None
        return StoredStandards.from_row(row.sha256, row.standards_id, row.version, row.files_json)

    def standards_by_reference(self, standards_id: str, version: str) -> list[StoredStandards]:
        with database.database_errors(self.url), database.read_transaction(self.engine) as connection:
            rows = connection.execute(
                select(standards_texts)
                .where(standards_texts.c.standards_id == standards_id, standards_texts.c.version == version)
                .order_by(standards_texts.c.sha256)
            ).all()
        return [StoredStandards.from_row(r.sha256, r.standards_id, r.version, r.files_json) for r in rows]

    def all_standards(self) -> list[StoredStandards]:
        with database.database_errors(self.url), database.read_transaction(self.engine) as connection:
            rows = connection.execute(select(standards_texts).order_by(standards_texts.c.sha256)).all()
        return [StoredStandards.from_row(r.sha256, r.standards_id, r.version, r.files_json) for r in rows]

    def decrypt_request(self, entry: LogEntry, cipher: RequestCipher) -> dict[str, Any]:
        """The canonical request of an entry, decrypted and checked against ``input_sha256``."""
        plaintext = cipher.decrypt(entry.sealed_request(), entry.decision_id)
        _check_request_hash(entry, plaintext)
        return json.loads(plaintext)

    # --- verifying ---------------------------------------------------------------------------

    def verify(
        self, anchors: tuple[chain.Anchor, ...] = (), cipher: RequestCipher | None = None
    ) -> chain.VerifyReport:
        """Walk the chain, then the access log's chain; then check the standards store, ``anchors`` (seq, hash) recorded
        elsewhere and, given a cipher, that every request decrypts to its ``input_sha256``."""
        with database.database_errors(self.url):
            # One read transaction: a consistent snapshot, so appends made meanwhile by other
            # processes are neither half-seen nor mistaken for a mismatch with the head.
            with database.read_transaction(self.engine) as connection:
                head_row = connection.execute(
                    select(decision_log_head.c.seq, decision_log_head.c.entry_hash).where(
                        decision_log_head.c.id == 1
                    )
                ).first()
                head = (head_row.seq, head_row.entry_hash) if head_row is not None else None
                report = chain.walk(
                    (entry.as_mapping() for entry in _entries(connection)),
                    head,
                    lambda entry_hash: _seq_of_hash(connection, entry_hash),
                )
                if report.ok:
                    report.first_break = _walk_access(connection, report)
                    if report.ok:
                        count = report.access_entries
                        report.notes.append(
                            f"the access log's chain is intact ({count} row{'' if count == 1 else 's'})"
                        )
                if report.ok:
                    report.first_break = self._check_standards(connection)
                if report.ok:
                    report.first_break = _check_anchors(connection, anchors)
                if report.ok and cipher is not None:
                    report.first_break = self._check_requests(connection, cipher)
                    if report.ok:
                        report.notes.append("every request decrypts and matches its input_sha256")
        return report

    def _check_standards(self, connection) -> chain.Break | None:
        used = connection.execute(
            select(decision_log.c.standards_sha256, func.min(decision_log.c.seq)).group_by(
                decision_log.c.standards_sha256
            )
        ).all()
        for sha256, first_seq in sorted(used, key=lambda item: item[1]):
            row = connection.execute(
                select(standards_texts).where(standards_texts.c.sha256 == sha256)
            ).first()
            if row is None:
                return chain.Break(
                    "standards",
                    first_seq,
                    None,
                    f"the standards it used (sha256 {sha256}) are not in the standards store",
                )
            try:
                stored = StoredStandards.from_row(row.sha256, row.standards_id, row.version, row.files_json)
            except LogError as error:
                return chain.Break("standards", first_seq, None, error.message)
            if not stored.content_matches():
                return chain.Break(
                    "standards",
                    first_seq,
                    None,
                    f"the stored texts of {stored.reference} no longer hash to {sha256} "
                    "(the standards store was altered)",
                )
        return None

    def _check_requests(self, connection, cipher: RequestCipher) -> chain.Break | None:
        for entry in _entries(connection):
            try:
                self.decrypt_request(entry, cipher)
            except LogError as error:
                return chain.Break("request", entry.seq, entry.decision_id, error.message)
        return None


def _entries(connection, batch: int = 1000) -> Iterator[LogEntry]:
    after = None
    while True:
        query = select(decision_log).order_by(decision_log.c.seq).limit(batch)
        if after is not None:
            query = query.where(decision_log.c.seq > after)
        rows = connection.execute(query).all()
        for row in rows:
            yield LogEntry.from_row(row)
        if len(rows) < batch:
            return
        after = rows[-1].seq


def _walk_access(connection, report: chain.VerifyReport) -> chain.Break | None:
    """Walk the access log's chain (``id`` order, in batches) against its head."""
    head_row = connection.execute(
        select(access_log_head.c.seq, access_log_head.c.entry_hash).where(access_log_head.c.id == 1)
    ).first()

    def rows() -> Iterator[dict[str, Any]]:
        after = None
        while True:
            query = select(access_log).order_by(access_log.c.id).limit(1000)
            if after is not None:
                query = query.where(access_log.c.id > after)
            batch = connection.execute(query).all()
            for row in batch:
                yield dict(row._mapping)
            if len(batch) < 1000:
                return
            after = batch[-1].id

    return chain.walk_access(
        rows(),
        (head_row.seq, head_row.entry_hash) if head_row is not None else None,
        lambda seq: (
            connection.execute(select(access_log.c.id).where(access_log.c.seq == seq).limit(1)).first()
            is not None
        ),
        lambda entry_hash: connection.execute(
            select(func.min(access_log.c.seq)).where(access_log.c.entry_hash == entry_hash)
        ).scalar(),
        report,
    )


def _seq_of_hash(connection, entry_hash: str) -> int | None:
    return connection.execute(
        select(func.min(decision_log.c.seq)).where(decision_log.c.entry_hash == entry_hash)
    ).scalar()


def _check_anchors(connection, anchors: tuple[chain.Anchor, ...]) -> chain.Break | None:
    for given in anchors:
        anchor = chain.Anchor(*given)  # a plain (seq, hash) is an anchor of the decision chain
        table, what = (access_log, "access-log row") if anchor.chain == "access" else (decision_log, "entry")
        found = connection.execute(select(table.c.entry_hash).where(table.c.seq == anchor.seq)).scalar()
        if found != anchor.entry_hash:
            return chain.Break(
                "access_anchor" if anchor.chain == "access" else "anchor",
                anchor.seq,
                None,
                f"the anchor recorded for {what} #{anchor.seq} is {anchor.entry_hash[:12]}…, but the log "
                + (f"has {found[:12]}…" if found else f"has no such {what}")
                + " (the log was rewritten after the anchor was taken)",
            )
    return None


def _check_request_hash(entry: LogEntry, plaintext: bytes) -> None:
    if hashlib.sha256(plaintext).hexdigest() != entry.input_sha256:
        raise LogError(
            "request_hash_mismatch",
            f"the decrypted request of decision {entry.decision_id} "
            "does not hash to its input_sha256: the payload was replaced",
        )


#: Re-exported: callers import what the log answers from here, with the log.
__all__ = ["DecisionLog", "LogEntry", "NewEntry", "AccessRecord", "AppendResult", "Clock", "utc_now"]
