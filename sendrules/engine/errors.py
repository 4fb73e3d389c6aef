"""The errors the engine reports. Each carries a stable code and enough detail to fix the input.

* ``InputError``     -- the request or journey is invalid (CLI exit 2, HTTP 422).
* ``StandardsError`` -- the standards asked for do not exist or do not build (CLI exit 2).
* ``DecisionError``  -- a valid journey cannot be decided under this standard, e.g. a
                        parameter has no value on the date a clock starts (CLI exit 2).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Problem:
    """One problem with an input, located by a JSON path such as ``journey.events[3].outcome``."""

    location: str
    message: str
    event_index: int | None = None
    event_id: str | None = None
    field: str | None = None
    expected: str | None = None

    def describe(self) -> str:
        """One line for people: names the event (index and id) and the field."""
        if self.event_index is not None:
            event = f"event {self.event_index}"
            if self.event_id is not None:
                event += f" (id {self.event_id!r})"
            where = f"{event}, field {self.field!r}" if self.field else event
        else:
            where = self.location
        text = f"{where}: {self.message}"
        if self.expected:
            text += f"; expected {self.expected}"
        return text

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"location": self.location, "message": self.message}
        for key in ("event_index", "event_id", "field", "expected"):
            value = getattr(self, key)
            if value is not None:
                data[key] = value
        return data


class EngineError(Exception):
    """Base of the errors below: a code, a message and a list of located problems."""

    def __init__(self, code: str, message: str, problems: list[Problem] | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.problems = list(problems or [])

    def describe(self) -> str:
        lines = [f"error: {self.message} [{self.code}]"]
        lines.extend(f"  - {problem.describe()}" for problem in self.problems)
        return "\n".join(lines)

    def to_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "message": self.message,
            "errors": [problem.to_dict() for problem in self.problems],
        }


class InputError(EngineError):
    """The request or the journey is invalid."""


class StandardsError(EngineError):
    """The standards asked for cannot be found or do not build."""

    def __init__(
        self, code: str, message: str, problems: list[Problem] | None = None, rendered: str | None = None
    ) -> None:
        super().__init__(code, message, problems)
        #: Diagnostics rendered with source lines, when the pack failed to build.
        self.rendered = rendered

    def describe(self) -> str:
        if self.rendered:
            return f"error: {self.message} [{self.code}]\n{self.rendered}"
        return super().describe()


class DecisionError(EngineError):
    """A valid request that this standard cannot decide."""
