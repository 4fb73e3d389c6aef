"""A decision request (CONTRACT §2): journey, ``as_of``, standards and school closures.

The same shape arrives over HTTP as one JSON object and from the CLI as a journey file plus
options; both end up as a ``DecisionRequest``. The journey itself is validated later, against
the vocabulary of the standard the request resolves to.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, Sequence

from pydantic import BaseModel, ConfigDict, Field, StrictStr, ValidationError, model_validator

from sendrules.engine.calendar import ClosureRange
from sendrules.engine.errors import InputError, Problem
from sendrules.engine.journey import IsoDate


class ClosureModel(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)
    start: IsoDate = Field(alias="from")
    end: IsoDate = Field(alias="to")

    @model_validator(mode="after")
    def _ordered(self) -> ClosureModel:
        if self.end < self.start:
            raise ValueError(f"the closure ends ({self.end}) before it starts ({self.start})")
        return self


class RequestModel(BaseModel):
    model_config = ConfigDict(extra="forbid")
    journey: Any = Field(...)
    as_of: IsoDate
    standards: StrictStr | None = None
    school_closures: list[ClosureModel] = Field(default_factory=list, max_length=1000)


@dataclass(frozen=True)
class DecisionRequest:
    journey: Any  # parsed JSON, validated against the standard's vocabulary when deciding
    as_of: date
    standards: str | None = None
    school_closures: tuple[ClosureRange, ...] = ()


def parse_request(payload: Any) -> DecisionRequest:
    """Validate the request envelope; every problem is reported with its JSON path."""
    if not isinstance(payload, dict):
        raise InputError("invalid_request", "the request must be a JSON object",
                         [Problem("", "expected an object with journey and as_of")])
    try:
        model = RequestModel.model_validate(payload)
    except ValidationError as error:
        problems = []
        for item in error.errors():
            location = json_path(item["loc"])
            message = item["msg"]
            if message.startswith("Value error, "):
                message = message[len("Value error, "):]
            if item["type"] == "missing":
                message = f"missing field '{item['loc'][-1]}'"
            elif item["type"] == "extra_forbidden":
                message = f"unknown field '{item['loc'][-1]}'"
            problems.append(Problem(location, message, field=str(item["loc"][-1]) if item["loc"] else None))
        raise InputError("invalid_request", f"the request has {len(problems)} problem"
                         f"{'s' if len(problems) != 1 else ''}", problems) from None
    closures = tuple(ClosureRange(c.start, c.end) for c in model.school_closures)
    return DecisionRequest(model.journey, model.as_of, model.standards, closures)


def json_path(location: Sequence[str | int]) -> str:
    """A pydantic error location as a JSON path: ``journey.events[2].date``."""
    text = ""
    for part in location:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def read_json_file(path: Path, what: str) -> Any:
    """Read a JSON file; a missing or malformed file is an ``InputError`` naming line and column."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError("file_not_found", f"{what} file {path} does not exist") from None
    except (OSError, UnicodeDecodeError) as error:
        raise InputError("unreadable_file", f"cannot read {what} file {path}: {error}") from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise InputError("invalid_json", f"{what} file {path} is not valid JSON",
                         [Problem(f"{path}:{error.lineno}:{error.colno}", error.msg)]) from None


def request_from_files(journey_path: Path, as_of: str, standards: str | None,
                       closures_path: Path | None) -> DecisionRequest:
    """The CLI's inputs as a request, validated exactly as an HTTP request would be."""
    payload: dict[str, Any] = {"journey": read_json_file(journey_path, "journey"), "as_of": as_of}
    if standards is not None:
        payload["standards"] = standards
    if closures_path is not None:
        payload["school_closures"] = read_json_file(closures_path, "school closures")
    return parse_request(payload)
