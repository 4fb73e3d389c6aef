"""The HTTP service's settings, from the environment (``sendrules serve`` sets them from its
options, so that every worker process reads the same)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from sendrules.api.security import keys_path

DEFAULT_MAX_BODY_BYTES = 2 * 1024 * 1024
DEFAULT_MAX_EVENTS = 2000


@dataclass(frozen=True)
class ApiSettings:
    keys_file: Path
    log_url: str | None  # None: the decision log's own configuration (decisionlog.config)
    standards_dir: Path | None
    max_body_bytes: int
    max_events: int
    default_backend: str

    @classmethod
    def from_environment(cls) -> "ApiSettings":
        return cls(
            keys_file=keys_path(),
            log_url=os.environ.get("SENDRULES_LOG_URL") or None,
            standards_dir=Path(os.environ["SENDRULES_STANDARDS"]) if os.environ.get("SENDRULES_STANDARDS") else None,
            max_body_bytes=_positive("SENDRULES_MAX_BODY_BYTES", DEFAULT_MAX_BODY_BYTES),
            max_events=_positive("SENDRULES_MAX_EVENTS", DEFAULT_MAX_EVENTS),
            default_backend=os.environ.get("SENDRULES_BACKEND", "reference"),
        )


def _positive(name: str, default: int) -> int:
    text = os.environ.get(name)
    if not text:
        return default
    try:
        value = int(text)
    except ValueError:
        raise ValueError(f"{name} must be a whole number (got {text!r})") from None
    if value < 1:
        raise ValueError(f"{name} must be at least 1")
    return value
