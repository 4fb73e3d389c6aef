"""Issue 12 #4, #5 and #6 for every operation that reads a JSON body, not only POST
/v1/decisions: the replay and the subject-access search (bodies FastAPI reads) say when the
Content-Type is missing, locate bad JSON by line and column, and refuse a key written twice; a
batch line fails alone with the same statuses; a repeated decision naming the other backend is
answered with the logged decision, byte for byte."""

from __future__ import annotations

import json

import pytest

from tests.api.conftest import ROOT
from tests.cli.test_cli import run
from tests.hostile.http_helpers import post_raw, request_body, service  # noqa: F401
from tests.hostile.test_http_statuses import problem


def _operations(service) -> list[tuple[str, str]]:
    """(path, role) of the FastAPI-read operations, with a logged decision to replay."""
    decision_id = service.decide().json()["decision_id"]
    return [(f"/v1/decisions/{decision_id}/replay", "auditor"), ("/v1/log/find", "auditor")]


def _post(service, path: str, role: str, body: bytes, content_type: str | None = "application/json"):
    headers = {**service.headers(role), **({"content-type": content_type} if content_type else {})}
    return service.client.post(path, content=body, headers=headers)


def test_a_missing_content_type_says_so_on_every_json_operation(service):
    for path, role in _operations(service):
        found = problem(
            _post(service, path, role, b'{"child_id": "C-1"}', content_type=None),
            415,
            "unsupported_media_type",
        )
        assert "no Content-Type" in found["detail"], path


def test_bad_json_is_located_by_line_and_column_on_every_json_operation(service):
    for path, role in _operations(service):
        found = problem(_post(service, path, role, b'{"child_id":\n  nope}'), 422, "invalid_request")
        assert found["errors"][0]["location"] == "body:2:3", (path, found)


@pytest.mark.parametrize(
    "body, location",
    [
        (b'{"standards": "send-ap@1.0.0", "standards": "send-ap@1.1.0"}', "standards"),
        (b'{"child_id": "C-1", "child_id": "C-000123"}', "child_id"),
    ],
)
def test_a_key_twice_is_refused_on_every_json_operation(service, body, location):
    path, role = next(
        item for item in _operations(service) if ("replay" in item[0]) == (location == "standards")
    )
    found = problem(_post(service, path, role, body), 422, "invalid_request")
    assert found["errors"][0]["location"] == location and "duplicate key" in found["errors"][0]["message"]


def test_a_replay_without_a_body_still_works(service):
    path, role = _operations(service)[0]
    response = service.client.post(path, headers=service.headers(role))
    assert response.status_code == 200 and response.json()["result"] == "identical"


def test_hostile_batch_lines_fail_alone_with_the_statuses_of_a_single_request(service):
    lines = [
        request_body(),
        b"[" * 100_000 + b"]" * 100_000,
        b'{"journey": {}, "as_of": ' + b"9" * 10_000 + b"}",
        b'{"as_of": "2025-06-01", "as_of": "2025-06-02", "journey": {}}',
        b"\xef\xbb\xbf" + request_body(),
    ]
    response = service.client.post(
        "/v1/decisions/batch",
        content=b"\n".join(lines),
        headers={**service.headers("caseworker"), "content-type": "application/x-ndjson"},
    )
    assert response.status_code == 200 and response.headers["cache-control"] == "no-store"
    answers = [json.loads(line) for line in response.text.splitlines()]
    assert [answer["status"] for answer in answers] == [201, 422, 422, 422, 200]
    assert [answer["error"]["errors"][0]["location"] for answer in answers[1:4]] == [
        "line 2",
        "line 3",
        "as_of",
    ]


def test_a_repeat_naming_the_other_backend_is_answered_with_the_logged_decision(service):
    service.allow_backends("reference", "rete")
    made = post_raw(service, request_body(backend="reference"))
    again = post_raw(service, request_body(backend="rete"))
    assert (made.status_code, again.status_code) == (201, 200)
    assert again.json()["engine"]["backend"] == "reference", "one decision, one record (docs/http-api.md)"
    cut = made.content.rindex(b',"log":{')
    assert again.content[:cut] == made.content[:cut]


def test_the_cli_refuses_hostile_school_closures_with_exit_2(tmp_path):
    for content, says in [
        (b"[" * 100_000 + b"]" * 100_000, "nested too deeply"),
        (b"[1, 2", "not valid JSON"),
        (b'[{"from": ' + b"9" * 10_000 + b"}]", "number that cannot be read"),
    ]:
        closures = tmp_path / "closures.json"
        closures.write_bytes(content)
        result = run(
            "decide",
            ROOT / "examples" / "journey.json",
            "--as-of",
            "2025-06-01",
            "--school-closures",
            closures,
        )
        assert result.returncode == 2 and says in result.stderr, result.stderr[-300:]


def test_the_cli_refuses_an_oversized_journey_on_standard_input():
    import os
    import subprocess
    import sys

    environment = {**os.environ, "PYTHONPATH": str(ROOT)}
    result = subprocess.run(
        [sys.executable, "-m", "sendrules.api.cli", "decide", "-", "--as-of", "2025-06-01"],
        input=b" " * (17 * 1024 * 1024),
        env=environment,
        capture_output=True,
        timeout=120,
    )
    assert result.returncode == 2 and b"larger than" in result.stderr
