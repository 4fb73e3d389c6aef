"""The decision record's JSON shape (docs/semantics.md), as pydantic models: the one description of
what ``Decision.to_dict()`` writes, used for the HTTP service's OpenAPI document and response
validation. ``tests/api/test_models.py`` checks every decision of the conformance corpus against
it (unknown keys refused), so the shape and the code that writes it cannot drift apart."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

Status = Literal["met", "pending", "late", "overdue", "breached", "exempt"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class StandardsRef(_Strict):
    id: str = Field(examples=["send-ap"])
    version: str = Field(examples=["1.1.0"])
    sha256: str = Field(pattern=r"^[0-9a-f]{64}$")
    illustrative: bool | None = Field(None, description="Present (true) when the standards are illustrative.")


class EngineRef(_Strict):
    version: str
    backend: str = Field(description="The backend that made the decision: reference or rete.")
    calendar: str = Field(description="The bank-holiday data the dates were computed with.")


CalendarKind = Literal["weekdays", "term_dates", "england_term_pattern"]


class FindingSchoolDays(_Strict):
    calendar: CalendarKind = Field(description="The calendar this finding's school days were counted with.")
    assumed: bool = Field(
        description="True when any school day counted comes from the assumed term pattern "
        "rather than term dates supplied with the request."
    )


class SchoolDaysFinding(_Strict):
    rule: str
    trigger: str
    assumed: bool


class SchoolDaysSchema(_Strict):
    """Which calendar school days were counted with (docs/semantics.md, School days)."""

    calendar: CalendarKind = Field(
        description="weekdays (no term dates: every weekday that is not a bank holiday), "
        "term_dates (supplied with the request) or england_term_pattern "
        "(the bundled assumed pattern)."
    )
    name: str = Field(description="The calendar's name: the term-dates file's name, or what was assumed.")
    assumed: bool = Field(
        description="True when the school days this decision counted rest, at least in part, "
        "on an assumption rather than the school's own term dates."
    )
    school_closures: int = Field(description="How many school closure ranges the request gave.")
    findings: list[SchoolDaysFinding] = Field(description="Every finding whose due date counts school days.")


class FindingSchema(_Strict):
    rule: str
    trigger: str = Field(description="The id of the event that started the duty.")
    status: Status
    due: str | None = Field(description="YYYY-MM-DD, or null when no due date applies.")
    satisfied_by: str | None
    exception: str | None
    duty_holder: str
    modality: Literal["must", "should"]
    citations: list[str]
    message: str
    parameters: dict[str, int]
    school_days: FindingSchoolDays | None = Field(
        None, description="Present when the due date counts school days on term dates or the assumed pattern."
    )


class ProvisionSchema(_Strict):
    table: str
    based_on: str | None
    inputs: dict[str, Any]
    row: int | None
    outputs: dict[str, Any] | None
    missing: list[str]
    citations: list[str]
    message: str
    illustrative: str | None = None


class Summary(_Strict):
    met: int
    pending: int
    late: int
    overdue: int
    breached: int
    exempt: int


class DecisionSchema(_Strict):
    """A decision: every duty that applies, its due date and status, with identifiers and hashes."""

    decision_id: str
    as_of: str = Field(description="YYYY-MM-DD")
    standards: StandardsRef
    engine: EngineRef
    input_sha256: str = Field(pattern=r"^[0-9a-f]{64}$")
    findings: list[FindingSchema]
    summary: Summary
    provision: list[ProvisionSchema] | None = Field(
        None, description="Expected provision from the standard's decision tables (absent without tables)."
    )
    school_days: SchoolDaysSchema | None = Field(
        None,
        description="Which calendar school days were counted with and whether it was assumed (every "
        "decision; absent from decisions logged before term dates were added).",
    )
