"""Canonical JSON: one byte sequence per value, so equal things hash equally everywhere.

Keys sorted, no insignificant whitespace, UTF-8 without escaping non-ASCII text, dates as
ISO ``YYYY-MM-DD`` text. Lists keep their order (the order of a journey's events matters:
it breaks ties between events on the same day).
"""

from __future__ import annotations

import hashlib
import json
from datetime import date
from typing import Any


def _default(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    raise TypeError(f"cannot put {type(value).__name__} into canonical JSON")


def canonical_json(value: Any) -> bytes:
    """The canonical JSON bytes of ``value``."""
    return json.dumps(
        value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False, default=_default
    ).encode("utf-8")


def sha256_hex(value: Any) -> str:
    """sha256 of the canonical JSON of ``value``, as 64 lower-case hex digits."""
    return hashlib.sha256(canonical_json(value)).hexdigest()
