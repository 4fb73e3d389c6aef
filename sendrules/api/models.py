"""Request and response shapes, for validation of the envelope and for the OpenAPI document.

The journey itself is validated by the engine against the vocabulary of the standards version
the request resolves to (``GET /v1/standards/{id}/{version}/schema`` gives its JSON Schema), so
here it is just an object. Responses are written by the same code as the CLI's JSON output;
these models document them.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from sendrules.engine.journey import CHILD_ID_PATTERN

ISO_DATE = r"^\d{4}-\d{2}-\d{2}$"


class Closure(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)
    start: str = Field(alias="from", pattern=ISO_DATE, examples=["2025-04-07"])
    end: str = Field(alias="to", pattern=ISO_DATE, examples=["2025-04-21"])


class DecisionRequestBody(BaseModel):
    """CONTRACT §2 over HTTP, plus the backend to use."""

    model_config = ConfigDict(extra="forbid")
    journey: dict[str, Any] = Field(description="The child's journey: {child, events} (CONTRACT §1).")
    as_of: str = Field(pattern=ISO_DATE, examples=["2025-06-01"])
    standards: str | None = Field(None, examples=["send-ap@1.1.0"],
                                  description="ID or ID@VERSION; default: the published version in force on as_of.")
    school_closures: list[Closure] | None = None
    backend: Literal["reference", "rete"] | None = Field(None, description="Default: reference.")


class ReplayBody(BaseModel):
    model_config = ConfigDict(extra="forbid")
    standards: str | None = Field(None, description="Replay under this version instead of the recorded one "
                                  "(ID@VERSION, or sha256:HEX for a version in the log's store).")
    backend: Literal["reference", "rete"] | None = None


class FindBody(BaseModel):
    """A subject access search. The child id travels in the body, never in the URL, so that it
    stays out of access logs."""

    model_config = ConfigDict(extra="forbid")
    child_id: str = Field(pattern=CHILD_ID_PATTERN, examples=["C-000123"],
                          description="The child's id as caseworker systems send it.")


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
        description="Entries pseudonymised with another HMAC key (by key id): these were not searched.")


class ErrorItem(BaseModel):
    location: str
    message: str


class ErrorBody(BaseModel):
    code: str
    message: str
    errors: list[ErrorItem] = []


class FindingModel(BaseModel):
    rule: str
    trigger: str
    status: Literal["met", "pending", "late", "overdue", "breached", "exempt"]
    due: str | None
    satisfied_by: str | None
    exception: str | None
    duty_holder: str
    modality: Literal["must", "should"]
    citations: list[str]
    message: str
    parameters: dict[str, int]


class LogMetadata(BaseModel):
    seq: int
    recorded_at: str
    entry_hash: str
    created: bool | None = None


class DecisionModel(BaseModel):
    """CONTRACT §3; ``log`` is added when the decision is in the decision log."""

    decision_id: str
    as_of: str
    standards: dict[str, Any]
    engine: dict[str, Any]
    input_sha256: str
    findings: list[FindingModel]
    summary: dict[str, int]
    provision: list[dict[str, Any]] | None = None
    log: LogMetadata | None = None


class ReplayModel(BaseModel):
    decision_id: str
    seq: int
    result: Literal["identical", "different"]
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


ERRORS = {401: {"model": ErrorBody, "description": "No valid API key or token."},
          403: {"model": ErrorBody, "description": "The caller's role may not do this."},
          422: {"model": ErrorBody, "description": "Invalid input; each error names its JSON path."}}
