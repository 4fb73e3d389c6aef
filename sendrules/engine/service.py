"""The one entry point the CLI and the HTTP API share: request in, decision out.

resolve the standard (named, or in force on ``as_of``) -> prepare it (once per standard) ->
validate the journey against its vocabulary -> build the school-day calendar (term dates, the
assumed pattern or weekdays; engine/term_dates.py) -> evaluate with the chosen backend.
"""

from __future__ import annotations

import threading
from datetime import date
from typing import Protocol

from sendrules.dsl import ir
from sendrules.engine.backends import REGISTRY, Backend, BackendUnavailable, available_backends
from sendrules.engine.decision import Decision
from sendrules.engine.errors import InputError, Problem
from sendrules.engine.explain import RuleExplanation, explain_rule
from sendrules.engine.journey import Journey, JourneyValidator
from sendrules.engine.library import StandardsLibrary
from sendrules.engine.prepared import PreparedStandard
from sendrules.engine.request import DecisionRequest
from sendrules.engine.term_dates import choose_calendar


class Library(Protocol):
    """What the service needs of a standards library (``StandardsLibrary``, or the decision
    log's library pinned to one recorded standard)."""

    def resolve(self, reference: str | None, as_of: date) -> ir.CompiledStandard: ...


def backend_names() -> list[str]:
    """The backends available on this installation."""
    return available_backends()


class DecisionService:
    """Decides requests against one standards library. Safe to share between threads.

    The service holds what deciding needs beyond the library: each standard it has resolved,
    prepared once (``prepared``), and one instance of each backend it has used."""

    def __init__(self, library: Library | None = None) -> None:
        self.library: Library = library if library is not None else StandardsLibrary()
        self._lock = threading.Lock()
        self._prepared: dict[str, PreparedStandard] = {}
        self._backends: dict[str, Backend] = {}

    def prepared(self, standard: ir.CompiledStandard) -> PreparedStandard:
        """``standard`` prepared for deciding: built on first use, then kept for the service's
        lifetime, by content hash (the same hash means the same standard)."""
        prepared = self._prepared.get(standard.sha256)
        if prepared is None:
            prepared = PreparedStandard(standard)
            with self._lock:
                prepared = self._prepared.setdefault(standard.sha256, prepared)
        return prepared

    def prepared_standards(self) -> tuple[PreparedStandard, ...]:
        """Every standard this service has prepared so far (e.g. for a readiness check)."""
        with self._lock:
            return tuple(self._prepared.values())

    def validator_for(self, standard: ir.CompiledStandard) -> JourneyValidator:
        return self.prepared(standard).validator

    def decide(
        self, request: DecisionRequest, backend: str = "reference", *, logged: bool = False
    ) -> Decision:
        """Decide one request. Raises ``InputError``, ``StandardsError`` or ``DecisionError``.
        ``logged``: the request of a logged decision, being replayed (see ``JourneyValidator``)."""
        return self.decide_with_journey(request, backend, logged=logged)[0]

    def decide_with_journey(
        self, request: DecisionRequest, backend: str = "reference", *, logged: bool = False
    ) -> tuple[Decision, Journey]:
        """Decide one request; also return the validated journey (for callers that record it)."""
        standard = self.library.resolve(request.standards, request.as_of)
        return self.decide_with_standard(standard, request, backend, logged=logged)

    def decide_with_standard(
        self,
        standard: ir.CompiledStandard,
        request: DecisionRequest,
        backend: str = "reference",
        *,
        logged: bool = False,
    ) -> tuple[Decision, Journey]:
        """Decide one request under ``standard``, already resolved from this service's library
        (the decision log records the standard it resolved, so it must decide with exactly that
        one, even if the library changes meanwhile); also return the validated journey."""
        engine = self.backend_for(backend)
        prepared = self.prepared(standard)
        journey = prepared.validator.validate(request.journey, check_plausible=not logged)
        calendar = choose_calendar(request.term_dates, prepared.standard.school_days, request.school_closures)
        return engine.evaluate(prepared, journey, request.as_of, calendar), journey

    def explain(self, request: DecisionRequest, rule_id: str) -> RuleExplanation:
        """Why rule ``rule_id`` did or did not give a finding for this request (``engine.explain``):
        the same standards, journey and calendar as ``decide``."""
        prepared = self.prepared(self.library.resolve(request.standards, request.as_of))
        journey = prepared.validator.validate(request.journey)
        calendar = choose_calendar(request.term_dates, prepared.standard.school_days, request.school_closures)
        return explain_rule(prepared, rule_id, journey, request.as_of, calendar)

    def backend_for(self, name: str) -> Backend:
        """This service's instance of the backend ``name`` (created on first use)."""
        backend_class = self.backend(name)
        instance = self._backends.get(name)
        if not isinstance(instance, backend_class):  # not made yet (or the registry changed)
            with self._lock:
                instance = self._backends.get(name)
                if not isinstance(instance, backend_class):
                    instance = self._backends[name] = backend_class()
        return instance

    @staticmethod
    def backend(name: str) -> type[Backend]:
        """The class of the backend ``name``; ``InputError`` if there is none, or it cannot be
        loaded here."""
        load = REGISTRY.get(name)
        if load is None:
            raise InputError(
                "unknown_backend",
                f"there is no backend '{name}'",
                [Problem("backend", "available: " + ", ".join(available_backends()), field="backend")],
            )
        try:
            return load()
        except BackendUnavailable as error:
            raise InputError(
                "backend_unavailable", str(error), [Problem("backend", str(error), field="backend")]
            ) from None
