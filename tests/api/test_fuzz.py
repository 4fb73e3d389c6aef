"""schemathesis against the OpenAPI document, on a live server on loopback: no input, from any
caller, makes the service fail with a server error (5xx), and every answer is one the document
describes: a documented status, the documented content type, a body valid against the
documented schema (so the published OpenAPI is tested against every response).

For every operation, hypothesis generates bounded examples from the document, both valid
(positive) and invalid (negative) ones, and each is sent by every role and without a key.
"""

from __future__ import annotations

import pytest

schemathesis = pytest.importorskip("schemathesis")
from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis.errors import Unsatisfiable  # noqa: E402
from schemathesis.checks import not_a_server_error  # noqa: E402
from schemathesis.generation import GenerationMode  # noqa: E402
from schemathesis.specs.openapi.checks import (  # noqa: E402
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.api.live import live_server  # noqa: E402

ROLES = ["caseworker", "auditor", "policy", None]
EXAMPLES_PER_OPERATION = 25
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]


@schemathesis.serializer("application/x-ndjson")
def ndjson(_context, value):
    """The batch endpoint's body: one generated request as one line."""
    import json

    return json.dumps(value).encode() + b"\n"


@pytest.fixture(scope="module")
def live(tmp_path_factory):
    with live_server(tmp_path_factory.mktemp("live")) as server:
        yield server


def operations(base: str):
    loaded = schemathesis.openapi.from_url(f"{base}/openapi.json")
    return [result.ok() for result in loaded.get_all_operations()]


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
def test_no_input_causes_a_server_error(live, mode):
    base, keys = live
    found = operations(base)
    assert len(found) >= 8
    fuzzed = 0
    for operation in found:

        @settings(
            max_examples=EXAMPLES_PER_OPERATION,
            deadline=None,
            derandomize=True,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        @given(case=operation.as_strategy(generation_mode=mode))
        def check(case):
            for role in ROLES:
                headers = {"Authorization": f"Bearer {keys[role]}"} if role else {}
                response = case.call(base_url=base, headers=headers)
                assert response.status_code < 500, (
                    f"{role}: {case.method} {case.formatted_path}: "
                    f"{response.status_code} {response.text[:300]}"
                )
                # (the batch's answer is NDJSON, one BatchItem a line: tests/api/test_batch.py checks it)
                checks = (
                    CHECKS
                    if operation.path != "/v1/decisions/batch" or response.status_code != 200
                    else CHECKS[:3]
                )
                case.validate_response(response, checks=checks, headers=headers)

        try:
            check()
            fuzzed += 1
        except Unsatisfiable:
            # nothing to make invalid (e.g. GET /v1/health has no parameters): nothing to send
            assert mode == GenerationMode.NEGATIVE
    assert fuzzed >= (6 if mode == GenerationMode.POSITIVE else 2)
