"""The hash chain: what each entry's hash covers, and walking the chain to find a break.

An entry's hash is the sha256 of the canonical JSON of its chained fields, which include the
previous entry's hash (``prev_hash``; the first entry's is 64 zeros). Changing any chained
field of any entry, deleting an entry or reordering entries changes a hash that a later entry
(or the chain head) vouches for, so ``walk`` finds it. The encrypted request and its key id are
deliberately not chained (keys can be rotated by re-encrypting); the request's hash
(``input_sha256``) is, so a replaced payload is caught when it is decrypted.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable, Mapping, NamedTuple

from sendrules.engine.canonical import canonical_json, sha256_hex

GENESIS = "0" * 64
CHAIN_FORMAT = 1
CHAINED_FIELDS = (
    "seq",
    "decision_id",
    "recorded_at",
    "as_of",
    "input_sha256",
    "child_pseudonym",
    "pseudonym_key",
    "standards_id",
    "standards_version",
    "standards_sha256",
    "engine_version",
    "backend",
    "calendar_data",
    "decision_sha256",
    "prev_hash",
)


#: What an access-log row's hash covers (``access_entry_hash``), besides ``"chain": "access"``
#: and ``chain_format``: its place in the access chain, who did what, and the previous row's hash.
ACCESS_CHAINED_FIELDS = ("seq", "at", "principal", "role", "action", "decision_id", "detail", "prev_hash")


def access_entry_hash(fields: Mapping[str, Any]) -> str:
    """The hash of one access-log row: sha256 of the canonical JSON of
    ``{"chain": "access", "chain_format": 1, <ACCESS_CHAINED_FIELDS>}`` (absent values as null)."""
    return sha256_hex(
        {
            "chain": "access",
            "chain_format": CHAIN_FORMAT,
            **{name: fields[name] for name in ACCESS_CHAINED_FIELDS},
        }
    )


def chain_access_rows(rows: Iterable[dict[str, Any]], head: tuple[int, str]) -> tuple[int, str]:
    """Give each new access row (in order) its ``seq``, ``prev_hash`` and ``entry_hash``, chained
    to ``head`` (the access head's seq and hash); return the new head."""
    seq, previous = head
    for row in rows:
        row["seq"], row["prev_hash"] = seq + 1, previous
        row["entry_hash"] = access_entry_hash(row)
        seq, previous = row["seq"], row["entry_hash"]
    return seq, previous


_ANCHOR = re.compile(r"^(?P<access>access:)?(?P<seq>[1-9][0-9]{0,18}):(?P<hash>[0-9a-f]{64})$")


class Anchor(NamedTuple):
    """A head recorded elsewhere: entry ``seq`` of the decision chain (``chain`` "decisions") or
    of the access log's chain ("access") had hash ``entry_hash``."""

    seq: int
    entry_hash: str
    chain: str = "decisions"


def parse_anchor(text: str) -> Anchor | None:
    """``SEQ:HASH`` (the decision chain) or ``access:SEQ:HASH`` (the access log's chain), as
    ``sendrules log verify`` prints the heads after an intact walk (any case, surrounding spaces
    ignored), or None when the text is not one."""
    match = _ANCHOR.match(text.strip().lower())
    if match is None:
        return None
    chain = "access" if match.group("access") else "decisions"
    return Anchor(int(match.group("seq")), match.group("hash"), chain)


def entry_hash(fields: Mapping[str, Any]) -> str:
    """The hash of one entry from its chained fields."""
    return sha256_hex({"chain_format": CHAIN_FORMAT, **{name: fields[name] for name in CHAINED_FIELDS}})


def decision_sha256(decision_json: str) -> str:
    return hashlib.sha256(decision_json.encode("utf-8")).hexdigest()


def decision_fields(decision: Mapping[str, Any]) -> dict[str, Any]:
    """The chained fields that restate the decision (they must agree with its JSON)."""
    return {
        "decision_id": decision["decision_id"],
        "as_of": decision["as_of"],
        "input_sha256": decision["input_sha256"],
        "standards_id": decision["standards"]["id"],
        "standards_version": decision["standards"]["version"],
        "standards_sha256": decision["standards"]["sha256"],
        "engine_version": decision["engine"]["version"],
        "backend": decision["engine"]["backend"],
        "calendar_data": decision["engine"]["calendar"],
    }


@dataclass(frozen=True)
class Break:
    """Where the chain first stops being trustworthy, and why."""

    #: altered | removed | reordered | truncated | head | standards | anchor | request, and for
    #: the access log access_altered | access_removed | access_reordered | access_truncated |
    #: access_head | access_anchor (``seq`` is then the access row's ``seq``)
    kind: str
    seq: int | None
    decision_id: str | None
    detail: str

    def describe(self) -> str:
        noun = "access-log row" if self.kind.startswith("access_") else "entry"
        where = f"{noun} #{self.seq}" if self.seq is not None else "the log"
        if self.decision_id:
            where += f" (decision {self.decision_id})"
        return f"{where}: {self.kind}: {self.detail}"

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "seq": self.seq, "decision_id": self.decision_id, "detail": self.detail}


@dataclass
class VerifyReport:
    entries: int = 0
    last_seq: int = 0
    last_hash: str = GENESIS
    first_break: Break | None = None
    notes: list[str] = field(default_factory=list)
    access_entries: int = 0
    access_last_seq: int = 0
    access_last_hash: str = GENESIS

    @property
    def ok(self) -> bool:
        return self.first_break is None

    def to_dict(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "entries": self.entries,
            "head": {"seq": self.last_seq, "entry_hash": self.last_hash},
            "first_break": self.first_break.to_dict() if self.first_break else None,
            "notes": list(self.notes),
            "access_entries": self.access_entries,
            "access_head": {"seq": self.access_last_seq, "entry_hash": self.access_last_hash},
        }


def check_entry(row: Mapping[str, Any]) -> str | None:
    """What is wrong inside one entry on its own (not its place in the chain), or None."""
    try:
        recomputed = entry_hash(row)
    except (TypeError, ValueError):
        return "a chained field holds a value of the wrong type"
    if recomputed != row["entry_hash"]:
        return "its fields do not match its hash (a field was edited)"
    text = row["decision_json"]
    if not isinstance(text, str) or decision_sha256(text) != row["decision_sha256"]:
        return "the stored decision does not match its hash (the decision was edited)"
    try:
        decision = json.loads(text)
        restated = decision_fields(decision)
        canonical = canonical_json(decision).decode("utf-8") == text
    except (ValueError, KeyError, TypeError):
        return "the stored decision is not a decision record"
    if not canonical:
        return "the stored decision is not in canonical form"
    for name, value in restated.items():
        if row[name] != value:
            return f"its {name} ({row[name]!r}) differs from the decision's ({value!r})"
    return None


def walk(
    rows: Iterable[Mapping[str, Any]], head: tuple[int, str] | None, seq_of_hash: Callable[[str], int | None]
) -> VerifyReport:
    """Walk entries in ``seq`` order and report the first break.

    ``head`` is the chain-head row (last seq, last hash); ``seq_of_hash`` finds the entry that
    has a given hash, to tell a moved entry from an edited one."""
    report = VerifyReport()
    expected_seq, previous, previous_id = 1, GENESIS, None
    for row in rows:
        seq, decision_id = row["seq"], row["decision_id"]
        if seq != expected_seq:
            missing = f"#{expected_seq}" if seq == expected_seq + 1 else f"#{expected_seq} to #{seq - 1}"
            report.first_break = Break(
                "removed",
                seq,
                decision_id,
                f"the log goes from #{expected_seq - 1} to #{seq}: {missing} removed",
            )
            return report
        problem = check_entry(row)
        if problem is not None:
            report.first_break = _explain_mismatch(row, problem, seq_of_hash)
            return report
        if row["prev_hash"] != previous:
            before = seq_of_hash(row["prev_hash"]) if row["prev_hash"] != GENESIS else 0
            if before is None and seq > 1:
                # The numbering is unbroken, but the entry this one was chained to is gone: the
                # one now at #seq-1 was rewritten (its hash recomputed) or replaced.
                report.entries -= 1
                report.first_break = Break(
                    "altered",
                    seq - 1,
                    previous_id,
                    f"it is not the entry #{seq} was chained to: it was "
                    "rewritten (its hash recomputed) or replaced",
                )
            elif before is None:
                report.first_break = Break(
                    "altered", seq, decision_id, "the first entry does not start the chain"
                )
            else:
                report.first_break = Break(
                    "reordered", seq, decision_id, f"it follows #{before}, not #{seq - 1} (entries reordered)"
                )
            return report
        report.entries += 1
        report.last_seq, report.last_hash = seq, row["entry_hash"]
        previous, previous_id = row["entry_hash"], decision_id
        expected_seq += 1
    if head is None:
        report.first_break = Break("head", None, None, "the chain-head row is missing")
    elif head != (report.last_seq, report.last_hash):
        head_seq, head_hash = head
        if head_seq > report.last_seq:
            detail = (
                f"the chain head says the log ends at #{head_seq}, but it ends at "
                f"#{report.last_seq}: the last {head_seq - report.last_seq} entr"
                f"{'y was' if head_seq - report.last_seq == 1 else 'ies were'} removed"
            )
            report.first_break = Break("truncated", report.last_seq + 1, None, detail)
        else:
            report.first_break = Break(
                "head",
                head_seq,
                None,
                f"the chain head (#{head_seq}, {head_hash[:12]}…) does not match "
                f"the last entry (#{report.last_seq}, {report.last_hash[:12]}…)",
            )
    return report


def _explain_mismatch(
    row: Mapping[str, Any], problem: str, seq_of_hash: Callable[[str], int | None]
) -> Break:
    """An entry whose hash does not match: was it moved to another position, or edited?"""
    seq, decision_id = row["seq"], row["decision_id"]
    if problem.startswith("its fields"):
        before = 0 if row["prev_hash"] == GENESIS else seq_of_hash(row["prev_hash"])
        if before is not None and before + 1 != seq:
            try:
                moved = entry_hash({**row, "seq": before + 1}) == row["entry_hash"]
            except (TypeError, ValueError):
                moved = False
            if moved:
                return Break(
                    "reordered", seq, decision_id, f"this is entry #{before + 1}, moved to position #{seq}"
                )
    return Break("altered", seq, decision_id, problem)


def walk_access(
    rows: Iterable[Mapping[str, Any]],
    head: tuple[int, str] | None,
    seq_exists: Callable[[int], bool],
    seq_of_hash: Callable[[str], int | None],
    report: VerifyReport,
) -> Break | None:
    """Walk the access log in ``id`` order (the order rows were written), counting intact rows
    into ``report``; return the first break. ``head`` is the access head (last seq, last hash);
    ``seq_exists`` (is a row with this ``seq`` anywhere in the table?) and ``seq_of_hash`` (which
    row has this hash?) tell a moved row from a removed or edited one."""
    expected, previous = 1, GENESIS
    for row in rows:
        seq, decision_id = row["seq"], row["decision_id"]
        try:
            recomputed = access_entry_hash(row)
        except (TypeError, ValueError, KeyError):
            recomputed = None
        if recomputed != row["entry_hash"]:
            return _explain_access_mismatch(row, seq_of_hash)
        if seq != expected:
            if seq < expected or seq_exists(expected):
                return Break(
                    "access_reordered",
                    seq,
                    decision_id,
                    f"this is row #{seq}, found where #{expected} belongs",
                )
            missing = f"#{expected}" if seq == expected + 1 else f"#{expected} to #{seq - 1}"
            return Break(
                "access_removed",
                seq,
                decision_id,
                f"the access log goes from #{expected - 1} to #{seq}: {missing} removed",
            )
        if row["prev_hash"] != previous:
            report.access_entries -= 1
            return Break(
                "access_altered",
                seq - 1,
                None,
                f"it is not the row #{seq} was chained to: it was rewritten (its hash recomputed) or replaced",
            )
        report.access_entries += 1
        report.access_last_seq, report.access_last_hash = seq, row["entry_hash"]
        previous, expected = row["entry_hash"], expected + 1
    if head is None:
        return Break("access_head", None, None, "the access log's head row is missing")
    if head != (report.access_last_seq, report.access_last_hash):
        head_seq, head_hash = head
        if head_seq > report.access_last_seq:
            removed = head_seq - report.access_last_seq
            return Break(
                "access_truncated",
                report.access_last_seq + 1,
                None,
                f"the access head says the access log ends at #{head_seq}, but it ends at "
                f"#{report.access_last_seq}: the last {removed} row{' was' if removed == 1 else 's were'} removed",
            )
        return Break(
            "access_head",
            head_seq,
            None,
            f"the access head (#{head_seq}, {head_hash[:12]}…) does not match the last row "
            f"(#{report.access_last_seq}, {report.access_last_hash[:12]}…)",
        )
    return None


def _explain_access_mismatch(row: Mapping[str, Any], seq_of_hash: Callable[[str], int | None]) -> Break:
    """An access row whose hash does not match its fields: another row's content moved here
    (it hashes right with the ``seq`` after the row its ``prev_hash`` names), or an edit."""
    seq, decision_id = row["seq"], row["decision_id"]
    before = 0 if row["prev_hash"] == GENESIS else seq_of_hash(row["prev_hash"])
    if before is not None and before + 1 != seq:
        try:
            moved = access_entry_hash({**row, "seq": before + 1}) == row["entry_hash"]
        except (TypeError, ValueError):
            moved = False
        if moved:
            return Break(
                "access_reordered", seq, decision_id, f"this is row #{before + 1}, moved to position #{seq}"
            )
    return Break("access_altered", seq, decision_id, "its fields do not match its hash (a field was edited)")
