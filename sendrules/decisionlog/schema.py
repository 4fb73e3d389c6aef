"""The decision log's tables (SQLAlchemy Core). ``migrations/`` creates them; this module is
what the code queries. ``tests/decisionlog/test_schema.py`` checks the two agree.

* ``decision_log``       one row per logged decision, in chain order (``seq`` = 1, 2, 3, …)
* ``decision_log_head``  one row: the last entry's ``seq`` and hash. Appends lock it, so they
                         serialise; ``verify`` compares it with the last entry, so a deleted
                         tail is noticed
* ``standards_texts``    every standards version ever used, keyed by its content hash
* ``access_log``         who made or read which decision, and when: append-only and chained like
                         the log (``seq`` = 1, 2, 3, … in ``id`` order; ``chain.access_entry_hash``)
* ``access_log_head``    one row: the last access row's ``seq`` and hash (locked by every write of
                         an access row, so access rows serialise too)

Everything chained is stored as text exactly as hashed (times and dates as ISO text), so a
row read back hashes to the same value on SQLite and PostgreSQL alike.
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Column,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
)

metadata = MetaData()

SHA256 = String(64)

decision_log = Table(
    "decision_log",
    metadata,
    Column("seq", BigInteger, primary_key=True, autoincrement=False),
    Column("decision_id", String(36), nullable=False, unique=True),
    Column("recorded_at", String(40), nullable=False),
    Column("as_of", String(10), nullable=False),
    Column("input_sha256", SHA256, nullable=False),
    Column("child_pseudonym", SHA256, nullable=False, index=True),
    Column("pseudonym_key", String(40), nullable=False),
    Column("standards_id", String(64), nullable=False),
    Column("standards_version", String(64), nullable=False),
    Column("standards_sha256", SHA256, ForeignKey("standards_texts.sha256"), nullable=False),
    Column("engine_version", String(32), nullable=False),
    Column("backend", String(32), nullable=False),
    Column("calendar_data", String(64), nullable=False),
    Column("decision_json", Text, nullable=False),
    Column("decision_sha256", SHA256, nullable=False),
    Column("prev_hash", SHA256, nullable=False),
    Column("entry_hash", SHA256, nullable=False),
    # Outside the chain, so keys can be rotated by re-encrypting (sendrules log rekey):
    Column("request_key_id", String(32), nullable=False),
    Column("request_payload", LargeBinary, nullable=False),
)

decision_log_head = Table(
    "decision_log_head",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),  # always 1
    Column("seq", BigInteger, nullable=False),
    Column("entry_hash", SHA256, nullable=False),
)

standards_texts = Table(
    "standards_texts",
    metadata,
    Column("sha256", SHA256, primary_key=True),
    Column("standards_id", String(64), nullable=False),
    Column("version", String(64), nullable=False),
    Column("files_json", Text, nullable=False),  # canonical JSON: {relative path: text}
)

access_log = Table(
    "access_log",
    metadata,
    Column("id", BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True),
    Column("at", String(40), nullable=False),
    Column("principal", String(128), nullable=False),
    Column("role", String(32), nullable=False),
    Column("action", String(32), nullable=False),  # decide, read, replay, verify, find
    Column("decision_id", String(36), nullable=True, index=True),
    Column("detail", String(200), nullable=True),
    # The chain (schema 0003; older rows were chained, in id order, by the migration):
    Column("seq", BigInteger, nullable=False),
    Column("prev_hash", SHA256, nullable=False),
    Column("entry_hash", SHA256, nullable=False),
    Index("ix_access_log_principal", "principal", "action"),
    Index("ix_access_log_seq", "seq", unique=True),
)

access_log_head = Table(
    "access_log_head",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),  # always 1
    Column("seq", BigInteger, nullable=False),
    Column("entry_hash", SHA256, nullable=False),
)
