"""The decision backends, by name: an explicit registry.

A backend turns a prepared standard and a validated journey into a decision. Each entry of
``REGISTRY`` imports its backend's module when it is first asked for, so importing the engine
never imports durable-rules, and a module never registers itself as a side effect of being
imported. An entry raises ``BackendUnavailable`` when its backend cannot be loaded here (the
Rete backend without durable-rules), which the service reports as ``backend_unavailable``.

To add a backend: write a class with ``evaluate(prepared, journey, as_of, calendar) ->
Decision`` (see ``Backend``) and add a loader for it to ``REGISTRY``.
"""

from __future__ import annotations

from datetime import date
from typing import Callable, Protocol

from sendrules.engine.calendar import Calendar
from sendrules.engine.decision import Decision
from sendrules.engine.journey import Journey
from sendrules.engine.prepared import PreparedStandard


class Backend(Protocol):
    """What the ``DecisionService`` calls. One instance serves every decision of a service
    (it must be safe to share between threads)."""

    def evaluate(
        self, prepared: PreparedStandard, journey: Journey, as_of: date, calendar: Calendar
    ) -> Decision: ...


class BackendUnavailable(Exception):
    """The backend cannot be loaded on this installation; the message says how to fix it."""


def _reference() -> type[Backend]:
    from sendrules.engine.evaluator import ReferenceBackend

    return ReferenceBackend


def _rete() -> type[Backend]:
    try:
        from sendrules.engine.rete import ReteEngine
    except ImportError as error:
        raise BackendUnavailable(
            f"the Rete backend needs durable-rules ({error}); install it with "
            "scripts/install-durable-rules.sh (see docs/backends.md)"
        ) from None
    return ReteEngine


#: Backend name -> a function that imports the backend and returns its class.
REGISTRY: dict[str, Callable[[], type[Backend]]] = {
    "reference": _reference,
    "rete": _rete,
}


def available_backends() -> list[str]:
    """The names of the backends that can be loaded here, sorted."""
    names = []
    for name, load in sorted(REGISTRY.items()):
        try:
            load()
        except BackendUnavailable:
            continue
        names.append(name)
    return names
