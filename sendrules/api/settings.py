"""The HTTP service's settings, from the environment (``sendrules serve`` sets them from its
options, so that every worker process reads the same). Every limit is documented, with its
status, in docs/http-api.md."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from sendrules.api.security import keys_path

DEFAULT_MAX_BODY_BYTES = 2 * 1024 * 1024
DEFAULT_MAX_EVENTS = 2000
DEFAULT_BODY_TIMEOUT = 10.0
DEFAULT_RATE = 1000.0
DEFAULT_MAX_BATCH_ITEMS = 1000
DEFAULT_MAX_BATCH_BYTES = 64 * 1024 * 1024
DEFAULT_INLINE_EVENTS = 200
DEFAULT_DECISION_SECONDS = 10.0
DEFAULT_DECISION_MEMORY_MIB = 1024
BACKENDS = ("reference", "rete")


@dataclass(frozen=True)
class ApiSettings:
    keys_file: Path
    log_url: str | None  # None: the decision log's own configuration (decisionlog.config)
    standards_dir: Path | None
    max_body_bytes: int = DEFAULT_MAX_BODY_BYTES
    max_events: int = DEFAULT_MAX_EVENTS
    default_backend: str = "reference"
    #: The backends a request may name (SENDRULES_HTTP_BACKENDS); the Rete backend is off by
    #: default over HTTP: its cost grows much faster than the reference backend's.
    allowed_backends: tuple[str, ...] = ("reference",)
    #: Seconds a client may take to send a request's body (SENDRULES_BODY_TIMEOUT).
    body_timeout: float = DEFAULT_BODY_TIMEOUT
    #: Per caller: decision units per second, and the burst (SENDRULES_RATE_LIMIT / _BURST).
    rate: float = DEFAULT_RATE
    burst: float = 2 * DEFAULT_RATE
    #: The batch endpoint: items and bytes per request (SENDRULES_MAX_BATCH_ITEMS / _BYTES).
    max_batch_items: int = DEFAULT_MAX_BATCH_ITEMS
    max_batch_bytes: int = DEFAULT_MAX_BATCH_BYTES
    #: Journeys with more events than this are decided in a separate process, within a wall
    #: time and a memory budget (SENDRULES_INLINE_EVENTS, SENDRULES_MAX_DECISION_SECONDS,
    #: SENDRULES_MAX_DECISION_MEMORY_MIB); smaller ones on the worker's event loop.
    inline_events: int = DEFAULT_INLINE_EVENTS
    decision_seconds: float = DEFAULT_DECISION_SECONDS
    decision_memory_mib: int = DEFAULT_DECISION_MEMORY_MIB
    #: A folder whose sub-folders are finished cohort runs, served as inclusion dashboards
    #: (SENDRULES_COHORT_RUNS); None: no dashboards over HTTP.
    cohort_runs: Path | None = None

    @classmethod
    def from_environment(cls) -> "ApiSettings":
        default_backend = os.environ.get("SENDRULES_BACKEND", "reference")
        allowed = _backends(os.environ.get("SENDRULES_HTTP_BACKENDS") or default_backend)
        if default_backend not in allowed:
            raise ValueError(
                f"SENDRULES_BACKEND={default_backend} is not among SENDRULES_HTTP_BACKENDS "
                f"({', '.join(allowed)})"
            )
        rate = _positive_number("SENDRULES_RATE_LIMIT", DEFAULT_RATE)
        return cls(
            keys_file=keys_path(),
            log_url=os.environ.get("SENDRULES_LOG_URL") or None,
            standards_dir=Path(os.environ["SENDRULES_STANDARDS"])
            if os.environ.get("SENDRULES_STANDARDS")
            else None,
            max_body_bytes=_positive("SENDRULES_MAX_BODY_BYTES", DEFAULT_MAX_BODY_BYTES),
            max_events=_positive("SENDRULES_MAX_EVENTS", DEFAULT_MAX_EVENTS),
            default_backend=default_backend,
            allowed_backends=allowed,
            body_timeout=_positive_number("SENDRULES_BODY_TIMEOUT", DEFAULT_BODY_TIMEOUT),
            rate=rate,
            burst=_positive_number("SENDRULES_RATE_BURST", 2 * rate),
            max_batch_items=_positive("SENDRULES_MAX_BATCH_ITEMS", DEFAULT_MAX_BATCH_ITEMS),
            max_batch_bytes=_positive("SENDRULES_MAX_BATCH_BYTES", DEFAULT_MAX_BATCH_BYTES),
            inline_events=_positive("SENDRULES_INLINE_EVENTS", DEFAULT_INLINE_EVENTS),
            decision_seconds=_positive_number("SENDRULES_MAX_DECISION_SECONDS", DEFAULT_DECISION_SECONDS),
            decision_memory_mib=_positive("SENDRULES_MAX_DECISION_MEMORY_MIB", DEFAULT_DECISION_MEMORY_MIB),
            cohort_runs=Path(os.environ["SENDRULES_COHORT_RUNS"])
            if os.environ.get("SENDRULES_COHORT_RUNS")
            else None,
        )


def _backends(text: str) -> tuple[str, ...]:
    names = tuple(name.strip() for name in text.split(",") if name.strip())
    unknown = [name for name in names if name not in BACKENDS]
    if unknown or not names:
        raise ValueError(
            f"SENDRULES_HTTP_BACKENDS names unknown backends ({', '.join(unknown) or 'none'}); "
            f"known: {', '.join(BACKENDS)}"
        )
    return names


def _positive(name: str, default: int) -> int:
    text = os.environ.get(name)
    if not text:
        return default
    try:
        value = int(text)
    except ValueError:
        raise ValueError(f"{name} must be a whole number (got {text[:40]!r})") from None
    if value < 1:
        raise ValueError(f"{name} must be at least 1")
    return value


def _positive_number(name: str, default: float) -> float:
    text = os.environ.get(name)
    if not text:
        return default
    try:
        value = float(text)
    except ValueError:
        raise ValueError(f"{name} must be a number (got {text[:40]!r})") from None
    if not value > 0 or value == float("inf"):
        raise ValueError(f"{name} must be a positive number")
    return value
