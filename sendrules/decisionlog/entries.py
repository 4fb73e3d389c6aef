"""What the decision log stores and answers: entries, new entries, access records.

``LogEntry`` is one logged decision as stored (a row of ``decision_log``); ``NewEntry`` is what an
append needs; ``AccessRecord`` is one use of the log (a row of ``access_log``); ``AppendResult``
is an append's answer. ``store.DecisionLog`` reads and writes them.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, fields
from datetime import datetime, timezone
from typing import Any, Callable

from sendrules.decisionlog import chain
from sendrules.decisionlog.crypto import SealedRequest
from sendrules.decisionlog.schema import decision_log
from sendrules.decisionlog.standards_store import StoredStandards

Clock = Callable[[], datetime]

#: The columns of an entry and of an access record, in table order.
ENTRY_COLUMNS = tuple(column.name for column in decision_log.columns)
ACCESS_COLUMNS = (
    "at",
    "principal",
    "role",
    "action",
    "decision_id",
    "detail",
    "seq",
    "prev_hash",
    "entry_hash",
)


def utc_now() -> datetime:
    """The time an entry is recorded. Stored, chained, and never used to decide anything."""
    return datetime.now(timezone.utc)


@dataclass(frozen=True, slots=True)
class LogEntry:
    """One logged decision, as stored."""

    seq: int
    decision_id: str
    recorded_at: str
    as_of: str
    input_sha256: str
    child_pseudonym: str
    pseudonym_key: str
    standards_id: str
    standards_version: str
    standards_sha256: str
    engine_version: str
    backend: str
    calendar_data: str
    decision_json: str
    decision_sha256: str
    prev_hash: str
    entry_hash: str
    request_key_id: str
    request_payload: bytes

    @classmethod
    def from_row(cls, row: Any) -> "LogEntry":
        """From a SQLAlchemy row, or (``columns`` order) a driver's tuple."""
        mapping = row._mapping if hasattr(row, "_mapping") else dict(zip(ENTRY_COLUMNS, row))
        values = {f.name: mapping[f.name] for f in fields(cls)}
        payload = values["request_payload"]
        values["request_payload"] = (
            payload.encode("utf-8", "replace") if isinstance(payload, str) else bytes(payload or b"")
        )
        return cls(**values)

    def as_mapping(self) -> dict[str, Any]:
        return {f.name: getattr(self, f.name) for f in fields(self)}

    def decision(self) -> dict[str, Any]:
        """The logged decision, parsed."""
        decision: dict[str, Any] = json.loads(self.decision_json)
        return decision

    def sealed_request(self) -> SealedRequest:
        return SealedRequest(self.request_key_id, self.request_payload)

    def integrity_problem(self) -> str | None:
        """What is wrong with this entry on its own (its own hashes), or None."""
        return chain.check_entry(self.as_mapping())

    def metadata(self) -> dict[str, Any]:
        """Everything but the decision and the payload (for ``log show``)."""
        data = self.as_mapping()
        del data["decision_json"], data["request_payload"]
        return data


@dataclass(frozen=True, slots=True)
class NewEntry:
    """What ``append`` needs: the decision (its canonical dict), the child's pseudonym, the
    sealed request, and the standards' texts (only needed the first time they are used)."""

    decision: dict[str, Any]
    child_pseudonym: str
    pseudonym_key: str
    sealed_request: SealedRequest
    standards: StoredStandards | None


@dataclass(frozen=True, slots=True)
class AccessRecord:
    """One use of the log: who (a key id or a token's subject) in which role did what."""

    principal: str
    role: str
    action: str  # decide, read, replay, verify, find
    decision_id: str | None = None
    detail: str | None = None

    def row(self, clock: "Clock") -> dict[str, Any]:
        """Its row, without the chain columns (``chain.chain_access_rows`` adds them)."""
        return {
            "at": clock().astimezone(timezone.utc).isoformat(timespec="microseconds"),
            "principal": self.principal[:128],
            "role": self.role,
            "action": self.action,
            "decision_id": self.decision_id,
            "detail": (self.detail or None) and self.detail[:200],
        }


@dataclass(frozen=True, slots=True)
class AppendResult:
    entry: LogEntry
    created: bool  # False: the decision id was already logged; this is the existing entry
