"""The statements of an append's locked section, in the database driver's own syntax.

An append runs on the driver's cursor, not through SQLAlchemy's statement compiler: for the
few statements of the locked section that costs less (docs/decision-log.md, performance).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sized

from sendrules.decisionlog.entries import ACCESS_COLUMNS, ENTRY_COLUMNS


@dataclass(frozen=True)
class RawSql:
    """The statements of the locked section of an append, in the driver's own syntax."""

    lock_head: str
    lock_access_head: str
    move_access_head: str
    insert_access: str
    insert_entry: str
    move_head: str
    standards_present: str
    insert_standards: str
    marker: str

    def select_by_ids(self, count: int) -> str:
        return (
            f"SELECT {', '.join(ENTRY_COLUMNS)} FROM decision_log WHERE decision_id IN "
            f"({', '.join([self.marker] * count)})"
        )

    @classmethod
    def for_dialect(cls, dialect: str) -> "RawSql":
        marker = "%s" if dialect == "postgresql" else "?"
        lock = " FOR UPDATE" if dialect == "postgresql" else ""  # SQLite: BEGIN IMMEDIATE has the lock

        def values(columns: Sized) -> str:
            return ", ".join([marker] * len(columns))

        return cls(
            lock_head=f"SELECT seq, entry_hash FROM decision_log_head WHERE id = 1{lock}",
            lock_access_head=f"SELECT seq, entry_hash FROM access_log_head WHERE id = 1{lock}",
            move_access_head=f"UPDATE access_log_head SET seq = {marker}, entry_hash = {marker} WHERE id = 1",
            insert_access=f"INSERT INTO access_log ({', '.join(ACCESS_COLUMNS)}) VALUES ({values(ACCESS_COLUMNS)})",
            insert_entry=f"INSERT INTO decision_log ({', '.join(ENTRY_COLUMNS)}) VALUES ({values(ENTRY_COLUMNS)})",
            move_head=f"UPDATE decision_log_head SET seq = {marker}, entry_hash = {marker} WHERE id = 1",
            standards_present=f"SELECT sha256 FROM standards_texts WHERE sha256 = {marker}",
            insert_standards=f"INSERT INTO standards_texts (sha256, standards_id, version, files_json) "
            f"VALUES ({values(range(4))})",
            marker=marker,
        )
