"""Finding every logged decision about one child, for a subject access request.

The log never stores a child's id, only its keyed pseudonym, so the search pseudonymises the id
with the configured HMAC key and looks that up. Entries pseudonymised with another key (after a
key change) cannot be matched; they are counted, by key, so that the answer says what it could
not cover. Used by ``sendrules log find`` and ``POST /v1/log/find``.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from sendrules.decisionlog.crypto import Pseudonymiser
from sendrules.decisionlog.errors import LogError
from sendrules.decisionlog.store import DecisionLog, LogEntry
from sendrules.engine.journey import CHILD_ID_PATTERN


@dataclass(frozen=True)
class ChildEntries:
    """The decisions about one child, oldest first, and what the search could not cover."""

    child_pseudonym: str
    pseudonym_key: str
    entries: tuple[dict[str, Any], ...]
    #: Entries pseudonymised with other HMAC keys (key id -> count): not searched.
    entries_under_other_pseudonym_keys: dict[str, int]

    def to_dict(self) -> dict[str, Any]:
        return {
            "child_pseudonym": self.child_pseudonym,
            "pseudonym_key": self.pseudonym_key,
            "entries": list(self.entries),
            "entries_under_other_pseudonym_keys": self.entries_under_other_pseudonym_keys,
        }


def find_child(log: DecisionLog, pseudonymiser: Pseudonymiser, child_id: str) -> ChildEntries:
    """Every entry about the child with ``child_id`` (as caseworker systems send it)."""
    child_id = child_id.strip()
    if not child_id:
        raise LogError("invalid_child_id", "the child id is empty")
    if not re.match(CHILD_ID_PATTERN, child_id):
        # journeys with such an id are rejected, so it cannot be in the log (the id is not echoed)
        raise LogError(
            "invalid_child_id",
            "that is not a child id: journeys use 1 to 64 letters, digits "
            "and . _ : / - (starting with a letter or digit)",
        )
    pseudonym = pseudonymiser.pseudonym(child_id)
    entries = tuple(summary(entry) for entry in log.entries_about(pseudonym))
    others = {
        key: count for key, count in sorted(log.pseudonym_keys().items()) if key != pseudonymiser.key_id
    }
    return ChildEntries(pseudonym, pseudonymiser.key_id, entries, others)


def summary(entry: LogEntry) -> dict[str, Any]:
    """Where an entry is and what it decided (statuses counted), without the request."""
    try:
        decision = json.loads(entry.decision_json)
    except ValueError:  # a tampered entry: `log verify` reports it; the search still lists it
        decision = {}
    statuses: dict[str, int] = {}
    for finding in decision.get("findings", []) if isinstance(decision, dict) else []:
        status = str(finding.get("status")) if isinstance(finding, dict) else "unreadable"
        statuses[status] = statuses.get(status, 0) + 1
    return {
        "seq": entry.seq,
        "decision_id": entry.decision_id,
        "recorded_at": entry.recorded_at,
        "as_of": entry.as_of,
        "standards": f"{entry.standards_id}@{entry.standards_version}",
        "backend": entry.backend,
        "statuses": dict(sorted(statuses.items())),
    }
