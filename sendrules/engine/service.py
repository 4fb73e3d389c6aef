"""The one entry point the CLI and the HTTP API share: request in, decision out.

resolve the standard (named, or in force on ``as_of``) -> validate the journey against its
vocabulary -> build the school-day calendar -> evaluate with the chosen backend.
"""

from __future__ import annotations

from typing import Callable

from sendrules.dsl import ir
from sendrules.engine import evaluator
from sendrules.engine.calendar import Calendar
from sendrules.engine.decision import Decision
from sendrules.engine.errors import InputError, Problem
from sendrules.engine.journey import Journey, JourneyValidator, validator_for
from sendrules.engine.library import StandardsLibrary
from sendrules.engine.request import DecisionRequest

Backend = Callable[[ir.CompiledStandard, Journey, "object", Calendar], Decision]

#: Backends by name. The Rete backend registers itself when its module can be imported.
BACKENDS: dict[str, Backend] = {"reference": evaluator.evaluate}


def backend_names() -> list[str]:
    _load_optional_backends()
    return sorted(BACKENDS)


_UNAVAILABLE: dict[str, str] = {}


def _load_optional_backends() -> None:
    if "rete" not in BACKENDS and "rete" not in _UNAVAILABLE:
        try:
            from sendrules.engine import rete  # noqa: F401  (registers itself)
        except ImportError as error:
            _UNAVAILABLE["rete"] = (f"the Rete backend needs durable-rules ({error}); install it with "
                                    "scripts/install-durable-rules.sh (see docs/backends.md)")


class DecisionService:
    """Decides requests against one standards library. Safe to share between threads."""

    def __init__(self, library: StandardsLibrary | None = None) -> None:
        self.library = library or StandardsLibrary()

    @staticmethod
    def validator_for(standard: ir.CompiledStandard) -> JourneyValidator:
        return validator_for(standard)

    def decide(self, request: DecisionRequest, backend: str = "reference") -> Decision:
        """Decide one request. Raises ``InputError``, ``StandardsError`` or ``DecisionError``."""
        return self.decide_with_journey(request, backend)[0]

    def decide_with_journey(self, request: DecisionRequest, backend: str = "reference") -> tuple[Decision, Journey]:
        """Decide one request; also return the validated journey (for callers that record it)."""
        evaluate = self.backend(backend)
        standard = self.library.resolve(request.standards, request.as_of)
        journey = self.validator_for(standard).validate(request.journey)
        calendar = Calendar(request.school_closures)
        return evaluate(standard, journey, request.as_of, calendar), journey

    @staticmethod
    def backend(name: str) -> Backend:
        if name not in BACKENDS:
            _load_optional_backends()
        if name in _UNAVAILABLE:
            raise InputError("backend_unavailable", _UNAVAILABLE[name],
                             [Problem("backend", _UNAVAILABLE[name], field="backend")])
        if name not in BACKENDS:
            raise InputError("unknown_backend", f"there is no backend '{name}'",
                             [Problem("backend", "available: " + ", ".join(sorted(BACKENDS)),
                                      field="backend")])
        return BACKENDS[name]
