"""The decide route's fast path (api/fast_path.py) answers exactly as the FastAPI route does.

Each check sends the same request to two services: the real one, and one built with
``fast_path=False``, where every request goes through the FastAPI route. Valid decisions must
match in status, headers and body (apart from where each log put the entry); every kind of bad
request must get the same status and the same JSON, because the fast path hands all of them to
the route."""

from __future__ import annotations

import copy
import json
import sqlite3

import pytest
from fastapi.testclient import TestClient

from tests.api.conftest import EXAMPLE, Service, make_keys, service_environment


@pytest.fixture
def route_only(tmp_path, monkeypatch, service) -> Service:
    """A second service on its own log, same keys file, every request through the route."""
    from sendrules.api.app import create_app

    folder = tmp_path / "route-only"
    folder.mkdir()
    env = {**service_environment(folder), "SENDRULES_API_KEYS": service.env["SENDRULES_API_KEYS"],
           "SENDRULES_HMAC_KEY": service.env["SENDRULES_HMAC_KEY"]}
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    app = create_app(fast_path=False)
    with TestClient(app, raise_server_exceptions=False) as client:
        yield Service(client, app, service.keys, env)
    app.state.log.close()


@pytest.fixture
def fast_path_calls(monkeypatch) -> list:
    """Each decision the fast path queued itself."""
    from sendrules.api import fast_path as fast_path_module

    calls = []
    real = fast_path_module.submit_decision

    def counting(*args, **kwargs):
        result = real(*args, **kwargs)
        calls.append(1)
        return result

    monkeypatch.setattr(fast_path_module, "submit_decision", counting)
    return calls


def _post(svc: Service, body, headers: dict[str, str], raw: bytes | None = None):
    if raw is not None:
        return svc.client.post("/v1/decisions", content=raw, headers=headers)
    return svc.client.post("/v1/decisions", json=body, headers=headers)


def test_a_valid_decision_is_answered_by_the_fast_path_as_the_route_answers_it(service, route_only,
                                                                                fast_path_calls):
    body = {"journey": EXAMPLE, "as_of": "2025-06-01"}
    fast = _post(service, body, service.headers("caseworker"))
    assert fast_path_calls == [1]
    slow = _post(route_only, body, route_only.headers("caseworker"))
    assert fast_path_calls == [1]  # the route-only service has no fast path
    assert fast.status_code == slow.status_code == 201
    for name in ("content-type", "location", "content-length"):
        assert fast.headers[name] == slow.headers[name]
    fast_body, slow_body = fast.json(), slow.json()
    assert list(fast_body) == list(slow_body)  # same keys, in the same (contract) order
    assert {key: value for key, value in fast_body.items() if key != "log"} == \
           {key: value for key, value in slow_body.items() if key != "log"}
    assert list(fast_body["log"]) == list(slow_body["log"]) == ["seq", "recorded_at", "entry_hash", "created"]

    again = _post(service, body, service.headers("caseworker"))  # already logged: 200, the same entry
    assert again.status_code == 200 and again.json()["log"]["created"] is False
    assert again.json()["log"]["entry_hash"] == fast_body["log"]["entry_hash"]
    assert again.json()["decision_id"] == fast_body["decision_id"]


def _many_events():
    journey = copy.deepcopy(EXAMPLE)
    journey["events"] = [dict(journey["events"][0], id=f"e{n}") for n in range(2001)]
    return journey


def _bad_event():
    journey = copy.deepcopy(EXAMPLE)
    journey["events"][0] = {**journey["events"][0], "date": "2025-02-30"}
    return journey


BAD_REQUESTS = {
    "no key": (None, {"journey": EXAMPLE, "as_of": "2025-06-01"}, None, {}),
    "unknown key": ("nobody", {"journey": EXAMPLE, "as_of": "2025-06-01"}, None, {}),
    "auditor": ("auditor", {"journey": EXAMPLE, "as_of": "2025-06-01"}, None, {}),
    "policy": ("policy", {"journey": EXAMPLE, "as_of": "2025-06-01"}, None, {}),
    "not JSON": ("caseworker", None, b"{not json", {"Content-Type": "application/json"}),
    "a JSON list": ("caseworker", [1, 2], None, {}),
    "missing journey": ("caseworker", {"as_of": "2025-06-01"}, None, {}),
    "unknown field": ("caseworker", {"journey": EXAMPLE, "as_of": "2025-06-01", "extra": 1}, None, {}),
    "bad as_of": ("caseworker", {"journey": EXAMPLE, "as_of": "1 June 2025"}, None, {}),
    "unknown backend": ("caseworker", {"journey": EXAMPLE, "as_of": "2025-06-01", "backend": "fast"}, None, {}),
    "invalid event": ("caseworker", {"journey": _bad_event(), "as_of": "2025-06-01"}, None, {}),
    "journey not an object": ("caseworker", {"journey": {"child": 1}, "as_of": "2025-06-01"}, None, {}),
    "unknown standards": ("caseworker", {"journey": EXAMPLE, "as_of": "2025-06-01", "standards": "nope@9"}, None, {}),
    "too many events": ("caseworker", {"journey": _many_events(), "as_of": "2025-06-01"}, None, {}),
    "text/plain body": ("caseworker", None, json.dumps({"journey": EXAMPLE, "as_of": "2025-06-01"}).encode(),
                        {"Content-Type": "text/plain"}),
    "deeply nested": ("caseworker", None, b'{"journey": ' + b"[" * 50000 + b"]" * 50000 + b', "as_of": "2025-06-01"}',
                      {"Content-Type": "application/json"}),
    "no content type": ("caseworker", None, json.dumps({"journey": EXAMPLE, "as_of": "2025-06-01"}).encode(), {}),
}


@pytest.mark.parametrize("case", sorted(BAD_REQUESTS))
def test_every_other_request_gets_the_routes_answer(case, service, route_only, fast_path_calls):
    role, body, raw, extra_headers = BAD_REQUESTS[case]
    headers = dict(extra_headers)
    if role == "nobody":
        headers["Authorization"] = "Bearer not-a-key"
    elif role is not None:
        headers.update(service.headers(role))
    logged = service.app.state.log.count()
    fast = _post(service, body, headers, raw)
    slow = _post(route_only, body, headers, raw)
    assert (fast.status_code, fast.content) == (slow.status_code, slow.content)
    assert fast.headers.get("www-authenticate") == slow.headers.get("www-authenticate")
    assert fast.status_code >= 400 and fast.json()["code"]
    assert fast_path_calls == []  # handed over
    assert service.app.state.log.count() == logged  # and nothing was logged


def test_json_with_a_charset_takes_the_fast_path(service, route_only, fast_path_calls):
    raw = json.dumps({"journey": EXAMPLE, "as_of": "2025-06-01"}).encode()
    headers = {"Content-Type": "application/json; charset=utf-8"}
    fast = _post(service, None, {**headers, **service.headers("caseworker")}, raw)
    slow = _post(route_only, None, {**headers, **route_only.headers("caseworker")}, raw)
    assert fast_path_calls == [1]
    assert fast.status_code == slow.status_code == 201
    assert fast.json()["decision_id"] == slow.json()["decision_id"]


def test_two_authorization_headers_are_left_to_the_route(service, route_only, fast_path_calls):
    raw = json.dumps({"journey": EXAMPLE, "as_of": "2025-06-01"}).encode()
    answers = []
    for svc in (service, route_only):
        key = svc.headers("caseworker")["Authorization"]
        headers = [("Content-Type", "application/json"), ("Authorization", key), ("Authorization", "Bearer x")]
        answers.append(svc.client.post("/v1/decisions", content=raw, headers=headers))
    fast, slow = answers
    assert fast_path_calls == []
    assert fast.status_code == slow.status_code
    assert fast.json().keys() == slow.json().keys()


@pytest.mark.parametrize("method", ["GET", "PUT", "DELETE"])
def test_other_methods_get_the_routes_answer(method, service, route_only):
    fast = service.client.request(method, "/v1/decisions", headers=service.headers("caseworker"))
    slow = route_only.client.request(method, "/v1/decisions", headers=route_only.headers("caseworker"))
    assert (fast.status_code, fast.content) == (slow.status_code, slow.content) and fast.status_code == 405


def test_a_body_over_the_limit_gets_the_same_413(tmp_path, monkeypatch, service):
    """A chunked body (no Content-Length) over the limit is cut off while being read."""
    from sendrules.api.app import create_app

    monkeypatch.setenv("SENDRULES_MAX_BODY_BYTES", "1000")
    answers = []
    for fast_path in (True, False):
        app = create_app(fast_path=fast_path)
        with TestClient(app, raise_server_exceptions=False) as client:
            chunks = (b"x" * 400 for _ in range(5))
            answers.append(client.post("/v1/decisions", content=chunks,
                                       headers={**service.headers("caseworker"), "Content-Type": "application/json"}))
        app.state.log.close()
    fast, slow = answers
    assert fast.status_code == slow.status_code == 413
    assert fast.json() == slow.json()
    assert fast.json()["code"] == "payload_too_large"


def test_a_log_failure_gets_the_same_503(service, route_only, fast_path_calls):
    """The commit fails (a driver error inside the append): 503 from both paths, same JSON."""
    from sendrules.decisionlog import database

    def fail(cursor):
        raise sqlite3.OperationalError("disk I/O error")

    answers = []
    database.BEFORE_COMMIT.append(fail)
    try:
        for svc in (service, route_only):
            answers.append(_post(svc, {"journey": EXAMPLE, "as_of": "2025-06-01"}, svc.headers("caseworker")))
    finally:
        database.BEFORE_COMMIT.remove(fail)
    fast, slow = answers
    assert fast_path_calls == [1]  # the fast path decided; the commit failed
    assert fast.status_code == slow.status_code == 503
    assert fast.json()["code"] == slow.json()["code"] == "log_unavailable"
    # the messages name each service's own log file; otherwise the same
    assert fast.json()["message"].split(" failed: ")[1] == slow.json()["message"].split(" failed: ")[1]
