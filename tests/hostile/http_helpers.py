"""Shared pieces of the hostile-input tests of the HTTP service (tests/hostile/test_http_*.py)."""

from __future__ import annotations

import copy
import json

from tests.api.conftest import EXAMPLE, service  # noqa: F401  (the fixture, for the test modules)

CASEWORKER_JSON = {"content-type": "application/json"}


def many_events(count: int, event_type: str = "review_meeting") -> dict:
    """A valid journey with ``count`` events of one type."""
    journey = copy.deepcopy(EXAMPLE)
    journey["events"] = [
        {"id": f"r{index}", "type": event_type, "date": "2024-01-01"} for index in range(count)
    ]
    return journey


def post_raw(
    service, body: bytes, role: str = "caseworker", headers: dict | None = None, path: str = "/v1/decisions"
):
    return service.client.post(
        path, content=body, headers={**service.headers(role), **CASEWORKER_JSON, **(headers or {})}
    )


def request_body(journey: dict | None = None, **extra) -> bytes:
    return json.dumps({"journey": journey or EXAMPLE, "as_of": "2025-06-01", **extra}).encode()
