"""Issue 12 #4 and #6 over HTTP: exact statuses and bounded messages for hostile bodies, and one
byte-identical rendering of a decision in every answer that carries it."""

from __future__ import annotations

import copy
import json
import socket
import time

import pytest

from tests.api.conftest import EXAMPLE, ROOT
from tests.hostile.http_helpers import post_raw, request_body, service  # noqa: F401


def problem(response, status: int, code: str) -> dict:
    assert response.status_code == status, response.text[:500]
    assert response.headers["content-type"] == "application/problem+json"
    body = response.json()
    assert (
        body["code"] == code and body["status"] == status and body["type"] == f"urn:sendrules:problem:{code}"
    )
    assert body["detail"] == body["message"]
    return body


@pytest.mark.parametrize(
    "body",
    [
        b"[" * 100_000 + b"]" * 100_000,
        b'{"journey": ' + b"[" * 100_000 + b"]" * 100_000 + b', "as_of": "2025-06-01"}',
    ],
)
def test_deeply_nested_json_is_a_422(service, body):
    found = problem(post_raw(service, body), 422, "invalid_request")
    assert found["errors"][0]["location"].startswith("body")


def test_integers_past_the_digit_limit_are_a_422(service):
    body = (
        b'{"journey": {"child": {"id": "C-1", "date_of_birth": "2015-01-01"}, "events": []}, "as_of": '
        + b"9" * 10_000
        + b"}"
    )
    found = problem(post_raw(service, body), 422, "invalid_request")
    assert found["errors"][0]["location"] == "body"


def test_unparseable_bodies_are_a_422_located_by_line_and_column(service):
    found = problem(post_raw(service, b'{"journey": \n  nothing}'), 422, "invalid_request")
    assert found["errors"][0]["location"] == "body:2:3"


def test_a_body_that_is_not_utf8_is_a_422(service):
    problem(post_raw(service, b'{"as_of": "\xff"}'), 422, "invalid_request")


def test_a_byte_order_mark_is_accepted_as_by_the_cli(service):
    response = post_raw(service, b"\xef\xbb\xbf" + request_body())
    assert response.status_code == 201
    from tests.cli.test_cli import run

    assert (
        response.json()["decision_id"]
        in run(
            "decide", ROOT / "examples" / "journey.json", "--as-of", "2025-06-01", "--format", "json"
        ).stdout
    )


@pytest.mark.parametrize(
    "headers, says",
    [({"content-type": ""}, "no Content-Type"), ({"content-type": "text/plain"}, "text/plain")],
)
def test_a_missing_or_wrong_content_type_says_so(service, headers, says):
    response = service.client.post(
        "/v1/decisions", content=request_body(), headers={**service.headers("caseworker"), **headers}
    )
    found = problem(response, 415, "unsupported_media_type")
    assert says in found["detail"] and "application/json" in found["detail"]


def test_a_huge_bad_value_is_quoted_by_a_short_prefix_only(service):
    journey = copy.deepcopy(EXAMPLE)
    journey["events"][0]["id"] = "x" * 1_500_000
    journey["child"]["id"] = "y" * 200_000
    response = post_raw(service, request_body(journey, standards="z" * 100_000))
    assert response.status_code == 422
    assert len(response.content) < 20_000, len(response.content)


def test_a_replay_under_an_unknown_version_is_a_4xx(service):
    decision_id = service.decide().json()["decision_id"]
    for standards in ("send-ap@9.9.9", "nonsense@1", "not a reference"):
        response = service.client.post(
            f"/v1/decisions/{decision_id}/replay",
            json={"standards": standards},
            headers=service.headers("auditor"),
        )
        assert 400 <= response.status_code < 500, (standards, response.status_code, response.text)


def test_a_503_names_no_file_or_host(service, monkeypatch):
    from sendrules.decisionlog.errors import LogError

    secret_path = str(service.env["SENDRULES_LOG_URL"])

    def broken(*_args, **_kwargs):
        raise LogError("log_unavailable", f"cannot write {secret_path}: disk I/O error at db.internal:5432")

    monkeypatch.setattr(service.app.state.log, "submit", broken)
    response = post_raw(service, request_body())
    found = problem(response, 503, "log_unavailable")
    assert "/" not in found["detail"] and "db.internal" not in response.text and "sqlite" not in response.text
    assert response.headers["retry-after"]


def test_decisions_are_never_cached(service):
    made = post_raw(service, request_body())
    again = post_raw(service, request_body())
    read = service.client.get(
        f"/v1/decisions/{made.json()['decision_id']}", headers=service.headers("caseworker")
    )
    for response in (
        made,
        again,
        read,
        service.client.get("/v1/decisions/nothing", headers=service.headers("caseworker")),
    ):
        assert response.headers["cache-control"] == "no-store"


def _decision_bytes(content: bytes) -> bytes:
    """The answer's bytes up to its log object (the last member)."""
    cut = content.rindex(b',"log":{')
    return content[:cut]


def test_201_200_and_get_render_a_decision_byte_for_byte_alike(service):
    journey = json.loads((ROOT / "examples" / "journey-wider.json").read_text())
    body = request_body(journey)
    body = json.dumps({**json.loads(body), "as_of": "2025-06-20"}).encode()
    made = post_raw(service, body)
    assert made.status_code == 201 and made.json()["provision"], "a decision with nested tables"
    again = post_raw(service, body)
    assert again.status_code == 200
    read = service.client.get(
        f"/v1/decisions/{made.json()['decision_id']}", headers=service.headers("auditor")
    )
    assert _decision_bytes(made.content) == _decision_bytes(again.content) == _decision_bytes(read.content)
    assert list(made.json()) == [
        "decision_id",
        "as_of",
        "standards",
        "engine",
        "input_sha256",
        "findings",
        "summary",
        "provision",
        "school_days",
        "log",
    ]


def test_a_stalled_body_is_answered_408_and_closed(tmp_path, monkeypatch):
    from tests.api.live import live_server

    monkeypatch.setenv("SENDRULES_BODY_TIMEOUT", "1")
    with live_server(tmp_path) as (base, keys):
        port = int(base.rsplit(":", 1)[1])
        connections = []
        for _ in range(20):
            connection = socket.create_connection(("127.0.0.1", port))
            connection.sendall(
                b"POST /v1/decisions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                b"Authorization: Bearer "
                + keys["caseworker"].encode()
                + b'\r\nContent-Length: 1000\r\n\r\n{"journey"'
            )
            connections.append(connection)
        started = time.monotonic()
        for connection in connections:
            connection.settimeout(30)
            answer = b""
            while chunk := connection.recv(65536):
                answer += chunk
            assert answer.startswith(b"HTTP/1.1 408"), answer[:200]
            assert b"SENDRULES_BODY_TIMEOUT" in answer
            connection.close()
        assert time.monotonic() - started < 25
