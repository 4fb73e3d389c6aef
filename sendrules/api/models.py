"""The HTTP service's request and response shapes, for the OpenAPI document.

Nothing here is defined twice: a decision request is the engine's ``RequestModel``
(engine/request.py) plus ``backend``; a decision is ``DecisionSchema`` (engine/decision_schema.py)
plus where it is in the log. The journey is typed in the OpenAPI document by each standards
version's own vocabulary (app.py puts those schemas in), and validated by the engine against the
version the request resolves to.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from sendrules.engine.decision_schema import DecisionSchema
from sendrules.engine.journey import CHILD_ID_PATTERN
from sendrules.engine.request import RequestModel


class DecisionRequestBody(RequestModel):
    """A decision request (docs/semantics.md) over HTTP: the engine's request, plus the backend to use."""

    backend: Literal["reference", "rete"] | None = Field(
        None,
        description="Default: the service's (reference). The Rete backend may be disabled on a "
        "service (SENDRULES_HTTP_BACKENDS); then naming it is a 422.",
    )


class ReplayBody(BaseModel):
    model_config = ConfigDict(extra="forbid")
    standards: str | None = Field(
        None,
        max_length=200,
        description="Replay under this version instead of the recorded one "
        "(ID@VERSION, or sha256:HEX for a version in the log's store).",
    )
    backend: Literal["reference", "rete"] | None = None


class FindBody(BaseModel):
    """A subject access search. The child id travels in the body, never in the URL, so that it
    stays out of access logs."""

    model_config = ConfigDict(extra="forbid")
    child_id: str = Field(
        pattern=CHILD_ID_PATTERN,
        examples=["C-000123"],
        description="The child's id as caseworker systems send it.",
    )


class FoundEntry(BaseModel):
    seq: int
    decision_id: str
    recorded_at: str
    as_of: str
    standards: str
    backend: str
    statuses: dict[str, int]


class ChildEntriesModel(BaseModel):
    child_pseudonym: str
    pseudonym_key: str
    entries: list[FoundEntry]
    entries_under_other_pseudonym_keys: dict[str, int] = Field(
        description="Entries pseudonymised with another HMAC key (by key id): these were not searched."
    )


class ErrorItem(BaseModel):
    location: str = Field(description="JSON path of the bad input, e.g. journey.events[3].outcome.")
    message: str
    event_index: int | None = None
    event_id: str | None = None
    field: str | None = None
    expected: str | None = None


class Problem(BaseModel):
    """An error, as RFC 9457 problem details (application/problem+json), with this service's
    stable ``code`` and the located ``errors``."""

    type: str = Field(examples=["urn:sendrules:problem:invalid_journey"])
    title: str
    status: int
    detail: str
    code: str = Field(description="Stable: clients may branch on it.")
    message: str = Field(description="The same as detail.")
    errors: list[ErrorItem] = []
    limit: str | None = Field(None, description="For 413, 408 and 429: the setting whose bound was passed.")
    kind: str | None = None


class LogMetadata(BaseModel):
    seq: int
    recorded_at: str
    entry_hash: str
    created: bool | None = Field(
        None,
        description="In answers to a request to decide: true when this "
        "request added the entry, false when it was already logged.",
    )


class DecisionModel(DecisionSchema):
    """A decision (docs/semantics.md), with ``log``: where it is in the decision log."""

    log: LogMetadata


class BatchItem(BaseModel):
    """One line of the batch endpoint's answer (NDJSON)."""

    line: int = Field(description="The line of the request this answers (1-based).")
    status: int = Field(description="The status this item would have had on its own: 201, 200 or an error's.")
    decision: DecisionModel | None = None
    error: Problem | None = None


class ReplayModel(BaseModel):
    decision_id: str
    seq: int
    result: Literal["identical", "same_findings_newer_engine", "different"] = Field(
        description="identical: byte for byte; same_findings_newer_engine: only the engine's version, "
        "calendar data and the decision id derived from them changed; different: see account and diff."
    )
    account: str = Field(description="The result in one readable sentence.")
    replayed_with: dict[str, Any]
    backend_differs: dict[str, str] | None
    diff: dict[str, Any]


class VerifyModel(BaseModel):
    ok: bool
    entries: int
    head: dict[str, Any]
    first_break: dict[str, Any] | None
    notes: list[str]


class StandardsVersion(BaseModel):
    id: str
    version: str
    status: str
    effective_from: str | None
    effective_to: str | None
    title: str
    sha256: str | None


class HealthModel(BaseModel):
    status: Literal["ok"]
    engine: str


class ReadyModel(BaseModel):
    status: Literal["ready", "not_ready"]
    checks: dict[str, str] = Field(description="Each check: ok, or what is wrong (names no file or host).")
