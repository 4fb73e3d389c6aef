"""The decision record (CONTRACT §3): findings, summary, identifiers and hashes.

Both backends produce ``Finding`` objects; ``assemble_decision`` sorts them, counts them and
adds the identifiers, so everything outside the matching itself is shared.
"""

from __future__ import annotations

import dataclasses
import enum
import hashlib
import json
import uuid
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Protocol

from sendrules.dsl import ir
from sendrules.engine import __version__ as ENGINE_VERSION
from sendrules.engine.calendar import WEEKDAYS, Calendar, holidays_data_version
from sendrules.engine.deadlines import Deadline
from sendrules.engine.canonical import canonical_json
from sendrules.engine.journey import Journey
from sendrules.engine.provision import ProvisionResult, expected_provision


class Status(enum.StrEnum):
    """The status of a finding (CONTRACT §3). A member is its text, so JSON output is unchanged."""

    MET = "met"
    PENDING = "pending"
    LATE = "late"
    OVERDUE = "overdue"
    BREACHED = "breached"
    EXEMPT = "exempt"


#: Every status, in the contract's order (the order of a decision's summary).
STATUSES = tuple(Status)
#: Whether each status means the duty was complied with (None: exempt, neither).
COMPLIANT: dict[Status, bool | None] = {
    Status.MET: True,
    Status.PENDING: True,
    Status.LATE: False,
    Status.OVERDUE: False,
    Status.BREACHED: False,
    Status.EXEMPT: None,
}


class Explains(Protocol):
    """What writes a finding's message (``engine.findings`` has one per kind of rule)."""

    def render(self) -> str: ...


#: Namespace of decision ids (uuid5): a decision id is derived from what was decided.
DECISION_NAMESPACE = uuid.UUID("6f1c52e4-1b43-5c2e-9d0e-3a7f3c1f5e21")


@dataclass(frozen=True, slots=True)
class Finding:
    """One statutory duty for one triggering event, and whether it was met."""

    rule: str
    trigger: str
    status: Status
    due: date | None
    satisfied_by: str | None
    exception: str | None
    duty_holder: str
    modality: ir.Modality
    citations: tuple[str, ...]
    parameters: tuple[tuple[str, int], ...] = ()
    #: Writes the message on demand (see engine.findings.Explanation); not compared.
    explanation: Explains | None = field(default=None, compare=False, repr=False)
    #: When the due date counts school days on term dates or the assumed pattern: the calendar's
    #: kind and whether the days counted were assumed (set by ``assemble_decision``).
    school_days: tuple[str, bool] | None = field(default=None, compare=False)

    @property
    def message(self) -> str:
        """The finding explained in a sentence: what was due, by when, and what happened."""
        return self.explanation.render() if self.explanation is not None else ""

    def sort_key(self) -> tuple[bool, date, str, str]:
        """Findings are ordered by due date (none last), then rule, then trigger."""
        return (self.due is None, self.due or date.min, self.rule, self.trigger)

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "rule": self.rule,
            "trigger": self.trigger,
            "status": self.status,
            "due": self.due.isoformat() if self.due else None,
            "satisfied_by": self.satisfied_by,
            "exception": self.exception,
            "duty_holder": self.duty_holder,
            "modality": self.modality,
            "citations": list(self.citations),
            "message": self.message,
            "parameters": dict(self.parameters),
        }
        if self.school_days is not None and self.school_days[0] != WEEKDAYS:
            # (findings under the weekdays calendar stay as the published packs wrote them; the
            # decision's ``school_days`` names them)
            data["school_days"] = {"calendar": self.school_days[0], "assumed": self.school_days[1]}
        return data


@dataclass(frozen=True, slots=True)
class Decision:
    decision_id: str
    as_of: date
    standards_id: str
    standards_version: str
    standards_sha256: str
    engine_version: str
    backend: str
    calendar_data: str
    input_sha256: str
    findings: tuple[Finding, ...]
    illustrative: bool = False
    #: Expected provision from the standard's decision tables; None when it has no tables.
    provision: tuple[ProvisionResult, ...] | None = None
    extra: dict[str, Any] = field(default_factory=dict, compare=False)
    #: The canonical JSON of the request (what input_sha256 hashes), for the decision log.
    request_json: bytes = field(default=b"", compare=False, repr=False)
    #: Which calendar school days were counted with, and whether it was assumed
    #: (``school_days_statement``); None only for decisions made without one.
    school_days: dict[str, Any] | None = None

    def summary(self) -> dict[str, int]:
        counts: dict[str, int] = {status: 0 for status in STATUSES}
        for finding in self.findings:
            counts[finding.status] += 1
        return counts

    def to_dict(self) -> dict[str, Any]:
        standards: dict[str, Any] = {
            "id": self.standards_id,
            "version": self.standards_version,
            "sha256": self.standards_sha256,
        }
        if self.illustrative:
            standards["illustrative"] = True
        data: dict[str, Any] = {
            "decision_id": self.decision_id,
            "as_of": self.as_of.isoformat(),
            "standards": standards,
            "engine": {
                "version": self.engine_version,
                "backend": self.backend,
                "calendar": self.calendar_data,
            },
            "input_sha256": self.input_sha256,
            "findings": [finding.to_dict() for finding in self.findings],
            "summary": self.summary(),
        }
        if self.provision is not None:
            data["provision"] = [entry.to_dict() for entry in self.provision]
        if self.school_days is not None:
            data["school_days"] = self.school_days
        data.update(self.extra)
        return data

    def to_json(self) -> str:
        """The decision as printed: indented JSON in contract key order, ending in a newline."""
        return json.dumps(self.to_dict(), indent=2, ensure_ascii=False) + "\n"


DECISION_KEYS = (
    "decision_id",
    "as_of",
    "standards",
    "engine",
    "input_sha256",
    "findings",
    "summary",
    "provision",
    "school_days",
)
FINDING_KEYS = (
    "rule",
    "trigger",
    "status",
    "due",
    "satisfied_by",
    "exception",
    "duty_holder",
    "modality",
    "citations",
    "message",
    "parameters",
    "school_days",
)


def in_contract_order(decision: dict[str, Any]) -> dict[str, Any]:
    """A decision dict (e.g. read back from canonical JSON, whose keys are sorted) with its keys
    in the contract's order; any other keys follow."""

    def ordered(data: dict[str, Any], keys: tuple[str, ...]) -> dict[str, Any]:
        return {
            **{key: data[key] for key in keys if key in data},
            **{key: value for key, value in data.items() if key not in keys},
        }

    result = ordered(decision, DECISION_KEYS)
    if isinstance(result.get("findings"), list):
        result["findings"] = [ordered(finding, FINDING_KEYS) for finding in result["findings"]]
    return result


def canonical_request(
    standard: ir.CompiledStandard, journey: Journey, as_of: date, calendar: Calendar
) -> dict[str, Any]:
    """The request in canonical form: what ``input_sha256`` is computed over.

    The standards are named as resolved (``send-ap@1.0.0``), so a request that names the
    version and one that relies on the default hash equally when they get the same version.
    School closures are sorted; absent optional fields are left out. Term dates (or the assumed
    pattern) appear only when they apply, so requests without them hash as before.
    """
    request: dict[str, Any] = {
        "as_of": as_of.isoformat(),
        "journey": journey.canonical(),
        "school_closures": [
            {"from": c.start.isoformat(), "to": c.end.isoformat()}
            for c in sorted(set(calendar.school_closures))
        ],
        "standards": standard.reference,
    }
    if calendar.terms is not None:
        request["term_dates"] = calendar.terms.request_value
    return request


#: How each kind of calendar is described in a decision.
_CALENDAR_NAMES = {
    WEEKDAYS: "weekdays that are not England-and-Wales bank holidays (no term dates: "
    "half-terms, holidays and INSET days count as school days)"
}


def school_days_statement(calendar: Calendar, findings: tuple[Finding, ...]) -> dict[str, Any]:
    """The decision's ``school_days``: the calendar school days were counted with, whether they
    were assumed, and every finding whose due date counted them (each with its own ``assumed``)."""
    terms = calendar.terms
    used = [
        {"rule": f.rule, "trigger": f.trigger, "assumed": f.school_days[1]}
        for f in findings
        if f.school_days is not None
    ]
    if terms is None:
        name, assumed = _CALENDAR_NAMES[WEEKDAYS], True
    else:
        name = terms.name
        assumed = any(item["assumed"] for item in used) if used else terms.kind != "term_dates"
    statement: dict[str, Any] = {
        "calendar": calendar.kind,
        "name": name,
        "assumed": assumed,
        "school_closures": len(calendar.school_closures),
        "findings": used,
    }
    return statement


def _with_school_days(finding: Finding, calendar: Calendar) -> Finding:
    """``finding`` with its ``school_days`` set when its due date counted school days."""
    deadline = getattr(finding.explanation, "deadline", None)
    if not isinstance(deadline, Deadline):
        return finding
    span = deadline.school_day_span()
    if span is None:
        return finding
    return dataclasses.replace(finding, school_days=(calendar.kind, calendar.assumed_between(*span)))


def assemble_decision(
    standard: ir.CompiledStandard,
    journey: Journey,
    as_of: date,
    calendar: Calendar,
    findings: list[Finding],
    backend: str,
) -> Decision:
    """Sort and count the findings, apply the decision tables, and add identifiers and hashes."""
    provision = tuple(expected_provision(standard, journey, as_of)) if standard.tables else None
    request_json = canonical_json(canonical_request(standard, journey, as_of, calendar))
    input_sha256 = hashlib.sha256(request_json).hexdigest()
    calendar_data = holidays_data_version()
    ordered = tuple(
        sorted((_with_school_days(finding, calendar) for finding in findings), key=Finding.sort_key)
    )
    decision_id = str(
        uuid.uuid5(DECISION_NAMESPACE, f"{input_sha256}/{standard.sha256}/{ENGINE_VERSION}/{calendar_data}")
    )
    return Decision(
        decision_id=decision_id,
        as_of=as_of,
        standards_id=standard.id,
        standards_version=standard.version,
        standards_sha256=standard.sha256,
        engine_version=ENGINE_VERSION,
        backend=backend,
        calendar_data=calendar_data,
        input_sha256=input_sha256,
        findings=ordered,
        illustrative=standard.illustrative,
        provision=provision,
        request_json=request_json,
        school_days=school_days_statement(calendar, ordered),
    )
