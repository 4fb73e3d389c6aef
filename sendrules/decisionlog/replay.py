"""Replaying a logged decision: the same request, re-evaluated, compared with what was logged.

By default the replay uses the standards the decision was made with, rebuilt from the log's
standards store (never the standards folder, which may have changed), and the backend it was
made with. ``standards`` asks "what would this decision be under that version" instead;
``backend`` re-evaluates with another engine backend (the backend name itself is then not
compared). Nothing is ever written to the log.

The result is one of three (docs/decision-log.md, "Replay results"):

* ``identical``: the re-evaluated decision's canonical form equals the logged one, byte for byte;
* ``same_findings_newer_engine``: only what the engine build itself contributes differs
  (``engine.version``, ``engine.calendar`` and the ``decision_id`` derived from them, and a
  ``school_days`` statement added to a decision logged before engines made it), the
  replaying engine is the same version or newer, and the findings and summary are the same;
* ``different``: anything else; a structured diff lists changed top-level fields (dotted paths
  such as ``standards.version`` or ``summary.late``), and findings added, removed and changed
  field by field, keyed by (rule, trigger), and ``account`` says it in one sentence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sendrules.dsl import ir
from sendrules.engine.canonical import canonical_json
from sendrules.engine.errors import Problem, StandardsError
from sendrules.engine.library import StandardsLibrary, parse_reference
from sendrules.engine.request import parse_request
from sendrules.engine.service import DecisionService

from sendrules.decisionlog.crypto import RequestCipher
from sendrules.decisionlog.errors import LogError
from sendrules.decisionlog.standards_store import pinned_service, rebuild
from sendrules.decisionlog.store import DecisionLog, LogEntry

_SHA256_REFERENCE = re.compile(r"^sha256:(?P<hex>[0-9a-f]{8,64})$")

IDENTICAL = "identical"
SAME_FINDINGS_NEWER_ENGINE = "same_findings_newer_engine"
DIFFERENT = "different"
#: The replay results, in order of agreement.
RESULTS = (IDENTICAL, SAME_FINDINGS_NEWER_ENGINE, DIFFERENT)
#: What the engine build alone puts into a decision: its version, the bank-holiday data it ships
#: with, and the id derived from both (``engine.decision.assemble_decision``).
ENGINE_DERIVED_FIELDS = frozenset({"engine.version", "engine.calendar", "decision_id"})
#: Statements a newer engine adds to a decision about how it decided (``school_days``: which
#: calendar its school days were counted with). Absent from a decision logged by an engine that
#: did not make them, they count as the engine's own only when they are added, never when a
#: logged statement changes or goes.
ENGINE_ADDED_STATEMENTS = frozenset({"school_days"})


class _Absent:
    """Marks a field that one of the two decisions does not have."""

    def __repr__(self) -> str:
        return "(absent)"


ABSENT = _Absent()


@dataclass(frozen=True)
class FieldChange:
    path: str
    old: Any  # ABSENT when the field is new
    new: Any  # ABSENT when the field is gone

    def to_dict(self) -> dict[str, Any]:
        """``old`` or ``new`` is left out when the field is absent on that side."""
        data: dict[str, Any] = {"path": self.path}
        if self.old is not ABSENT:
            data["old"] = self.old
        if self.new is not ABSENT:
            data["new"] = self.new
        return data


@dataclass(frozen=True)
class FindingChange:
    rule: str
    trigger: str
    changes: tuple[FieldChange, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "trigger": self.trigger,
            "changes": [change.to_dict() for change in self.changes],
        }


@dataclass
class Diff:
    fields: list[FieldChange] = field(default_factory=list)
    added: list[dict[str, Any]] = field(default_factory=list)
    removed: list[dict[str, Any]] = field(default_factory=list)
    changed: list[FindingChange] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (self.fields or self.added or self.removed or self.changed)

    def to_dict(self) -> dict[str, Any]:
        return {
            "fields": [c.to_dict() for c in self.fields],
            "findings": {
                "added": self.added,
                "removed": self.removed,
                "changed": [c.to_dict() for c in self.changed],
            },
        }


@dataclass(frozen=True)
class ReplayResult:
    entry: LogEntry
    recorded: dict[str, Any]
    replayed: dict[str, Any]
    standards_reference: str
    standards_sha256: str
    standards_source: str  # "the log's standards store" or a folder
    recorded_backend: str
    backend: str
    diff: Diff

    @property
    def identical(self) -> bool:
        """Byte for byte the logged decision (the backend name aside when it was changed)."""
        return self.diff.empty

    @property
    def result(self) -> str:
        """``identical``, ``same_findings_newer_engine`` or ``different`` (see the module)."""
        return replay_result(self.diff, self.recorded, self.replayed)

    @property
    def account(self) -> str:
        """The result in one readable sentence."""
        return describe(self.result, self.diff)

    @property
    def backend_differs(self) -> bool:
        return self.backend != self.recorded_backend

    def to_dict(self) -> dict[str, Any]:
        return {
            "decision_id": self.entry.decision_id,
            "seq": self.entry.seq,
            "result": self.result,
            "account": self.account,
            "replayed_with": {
                "standards": {
                    "reference": self.standards_reference,
                    "sha256": self.standards_sha256,
                    "source": self.standards_source,
                },
                "backend": self.backend,
                "engine": self.replayed["engine"],
            },
            "backend_differs": (
                {"recorded": self.recorded_backend, "replayed": self.backend}
                if self.backend_differs
                else None
            ),
            "diff": self.diff.to_dict(),
        }


def replay(
    log: DecisionLog,
    decision_id: str,
    cipher: RequestCipher,
    *,
    standards: str | None = None,
    backend: str | None = None,
    library: StandardsLibrary | None = None,
) -> ReplayResult:
    """Re-evaluate logged decision ``decision_id`` and compare it with the logged decision."""
    entry = log.get(decision_id)
    problem = entry.integrity_problem()
    if problem is not None:
        raise LogError(
            "entry_altered",
            f"entry #{entry.seq} (decision {decision_id}) cannot be trusted: "
            f"{problem}; run `sendrules log verify`",
        )
    use_backend = backend or entry.backend
    DecisionService.backend(use_backend)  # unknown backend: a clear error before decrypting
    canonical = log.decrypt_request(entry, cipher)
    if standards is None:
        stored = log.standards(entry.standards_sha256)
        if stored is None:
            raise LogError(
                "standards_not_stored",
                f"the standards of decision {decision_id} "
                f"(sha256 {entry.standards_sha256}) are not in the log's standards store",
            )
        standard, source = rebuild(stored), "the log's standards store"
    else:
        standard, source = _choose_standards(
            log, standards, date.fromisoformat(canonical["as_of"]), library or StandardsLibrary()
        )
    request = parse_request({**canonical, "standards": standard.reference})
    decision = pinned_service(standard).decide(request, backend=use_backend, logged=True)
    recorded = entry.decision()
    replayed = decision.to_dict()
    return ReplayResult(
        entry,
        recorded,
        replayed,
        standard.reference,
        standard.sha256,
        source,
        entry.backend,
        use_backend,
        diff_decisions(recorded, replayed, ignore_backend=use_backend != entry.backend),
    )


def _choose_standards(
    log: DecisionLog, reference: str, as_of: date, library: StandardsLibrary
) -> tuple[ir.CompiledStandard, str]:
    """``ID@VERSION`` or ``ID`` from the standards folder (in force on the decision's as_of),
    else an exact version from the log's store; ``sha256:HEX`` from the store only."""
    by_hash = _SHA256_REFERENCE.match(reference)
    if by_hash:
        return _from_store_by_hash(log, by_hash.group("hex")), "the log's standards store"
    pack_id, version = parse_reference(reference)
    try:
        return library.resolve(reference, as_of), f"the standards folder {library.root}"
    except StandardsError as error:
        if version is None or error.code != "unknown_standards":
            raise
    stored = log.standards_by_reference(pack_id, version)
    if len(stored) == 1:
        return rebuild(stored[0]), "the log's standards store"
    if not stored:
        raise StandardsError(
            "unknown_standards",
            f"{reference} is neither in the standards folder {library.root} nor in the log's standards store",
            [
                Problem(
                    "standards",
                    "name a version that exists, or sha256:HEX of a stored one",
                    field="standards",
                )
            ],
        )
    raise LogError(
        "ambiguous_standards",
        f"the log holds {len(stored)} different texts of {reference}; "
        "name one by hash: " + ", ".join(f"sha256:{s.sha256[:16]}" for s in stored),
    )


def _from_store_by_hash(log: DecisionLog, prefix: str) -> ir.CompiledStandard:
    if len(prefix) == 64:
        stored = log.standards(prefix)
        if stored is not None:
            return rebuild(stored)
    matches = [s for s in log.all_standards() if s.sha256.startswith(prefix)]
    if len(matches) != 1:
        raise LogError(
            "unknown_standards" if not matches else "ambiguous_standards",
            f"sha256:{prefix} names {len(matches)} stored standards versions; expected one",
        )
    return rebuild(matches[0])


# --- the result ------------------------------------------------------------------------------


def replay_result(diff: Diff, recorded: dict[str, Any], replayed: dict[str, Any]) -> str:
    """Classify a replay: ``identical`` when the diff is empty; ``same_findings_newer_engine``
    when only ``ENGINE_DERIVED_FIELDS`` changed (findings and summary equal) and the replaying
    engine is not older than the recording one; ``different`` otherwise."""
    if diff.empty:
        return IDENTICAL
    if (
        diff.added
        or diff.removed
        or diff.changed
        or not all(_engine_own(change) for change in diff.fields)
        or canonical_json(recorded.get("findings")) != canonical_json(replayed.get("findings"))
        or canonical_json(recorded.get("summary")) != canonical_json(replayed.get("summary"))
    ):
        return DIFFERENT
    old, new = _engine_version(recorded), _engine_version(replayed)
    if old != new and (old is None or new is None or _release(new) < _release(old)):
        return DIFFERENT  # an older (or unreadable) engine version is not "newer"
    return SAME_FINDINGS_NEWER_ENGINE


def _engine_own(change: FieldChange) -> bool:
    """A change the engine build alone explains: one of its own fields, or a statement it adds
    to a decision logged without it."""
    return change.path in ENGINE_DERIVED_FIELDS or (
        change.path in ENGINE_ADDED_STATEMENTS and change.old is ABSENT
    )


def describe(result: str, diff: Diff) -> str:
    """One sentence for an auditor: what the replay found."""
    if result == IDENTICAL:
        return "identical: the replay gives the logged decision byte for byte"
    changes = "; ".join(f"{c.path} {_short(c.old)} -> {_short(c.new)}" for c in diff.fields)
    if result == SAME_FINDINGS_NEWER_ENGINE:
        return f"same findings and summary, newer engine: only the engine's own fields changed ({changes})"
    parts = [
        f"{len(diff.fields)} field{'s' if len(diff.fields) != 1 else ''} changed"
        + (f" ({changes})" if diff.fields else "")
    ]
    parts.append(
        f"findings: {len(diff.added)} added, {len(diff.removed)} removed, {len(diff.changed)} changed"
    )
    for finding in diff.changed:
        parts.append(
            f"{finding.rule} {finding.trigger}: "
            + ", ".join(f"{c.path} {_short(c.old)} -> {_short(c.new)}" for c in finding.changes)
        )
    return "different: " + "; ".join(parts)


def _short(value: Any) -> str:
    text = (
        "(absent)"
        if value is ABSENT
        else (value if isinstance(value, str) else canonical_json(value).decode())
    )
    return text if len(text) <= 80 else text[:77] + "..."


def _engine_version(decision: dict[str, Any]) -> str | None:
    engine = decision.get("engine")
    version = engine.get("version") if isinstance(engine, dict) else None
    return version if isinstance(version, str) else None


def _release(version: str) -> tuple[int, ...]:
    """``0.10.1rc1`` -> (0, 10, 1): the numeric release part, enough to order our versions."""
    match = re.match(r"^\d+(?:\.\d+)*", version)
    return tuple(int(part) for part in match.group(0).split(".")) if match else ()


# --- the diff --------------------------------------------------------------------------------


def diff_decisions(old: dict[str, Any], new: dict[str, Any], ignore_backend: bool = False) -> Diff:
    """Compare two decisions (``Decision.to_dict()`` form). Empty exactly when their canonical
    forms are equal (``engine.backend`` left out when ``ignore_backend``)."""
    old, new = _without_backend(old, ignore_backend), _without_backend(new, ignore_backend)
    diff = Diff()
    if canonical_json(old) == canonical_json(new):  # the usual outcome: nothing to walk
        return diff
    old_top = {k: v for k, v in old.items() if k != "findings"}
    new_top = {k: v for k, v in new.items() if k != "findings"}
    diff.fields.extend(_compare(old_top, new_top, ""))
    old_findings, new_findings = _keyed(old.get("findings", [])), _keyed(new.get("findings", []))
    for key, finding in old_findings.items():
        if key not in new_findings:
            diff.removed.append(finding)
        else:
            changes = tuple(_compare(finding, new_findings[key], ""))
            if changes:
                diff.changed.append(FindingChange(key[0], key[1], changes))
    diff.added.extend(finding for key, finding in new_findings.items() if key not in old_findings)
    if diff.empty and list(old_findings) != list(new_findings):
        diff.fields.append(
            FieldChange(
                "findings (order)", [list(k[:2]) for k in old_findings], [list(k[:2]) for k in new_findings]
            )
        )
    if diff.empty and canonical_json(old) != canonical_json(new):  # a safety net; never silent
        diff.fields.append(
            FieldChange("(canonical form)", canonical_json(old).decode(), canonical_json(new).decode())
        )
    return diff


def _without_backend(decision: dict[str, Any], ignore: bool) -> dict[str, Any]:
    if not ignore or not isinstance(decision.get("engine"), dict):
        return decision
    engine = {k: v for k, v in decision["engine"].items() if k != "backend"}
    return {**decision, "engine": engine}


def _keyed(findings: list[dict[str, Any]]) -> dict[tuple, dict[str, Any]]:
    """Findings by (rule, trigger); a repeated pair (never expected) gets a running number."""
    keyed: dict[tuple, dict[str, Any]] = {}
    for finding in findings:
        base = (str(finding.get("rule")), str(finding.get("trigger")))
        key, number = base, 1
        while key in keyed:
            number += 1
            key = (*base, number)
        keyed[key] = finding
    return keyed


def _compare(old: Any, new: Any, path: str) -> list[FieldChange]:
    """Field-by-field differences; nested objects become dotted paths, lists compare whole."""
    if isinstance(old, dict) and isinstance(new, dict):
        changes = []
        for key in list(old) + [k for k in new if k not in old]:
            child = f"{path}.{key}" if path else str(key)
            a, b = old.get(key, ABSENT), new.get(key, ABSENT)
            if a is ABSENT or b is ABSENT:
                changes.append(FieldChange(child, a, b))
            else:
                changes.extend(_compare(a, b, child))
        return changes
    if canonical_json(old) != canonical_json(new):
        return [FieldChange(path, old, new)]
    return []
