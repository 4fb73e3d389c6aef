"""The HTTP API: who may do what, the contract's shapes, errors, limits, and the record of reads."""

from __future__ import annotations

import copy
import json
import threading
from datetime import datetime, timedelta, timezone

import pytest

from tests.api.conftest import EXAMPLE


# --- who may do what ---------------------------------------------------------------------------


def test_health_needs_no_key(service):
    response = service.client.get("/v1/health")
    assert response.status_code == 200 and response.json()["status"] == "ok"


@pytest.mark.parametrize(
    "header", [None, "Bearer", "Bearer nonsense", "Basic abc", "Bearer sr_000000000000_" + "x" * 43]
)
def test_a_random_client_gets_401(service, header):
    headers = {"Authorization": header} if header else {}
    for method, path in (
        ("post", "/v1/decisions"),
        ("get", "/v1/decisions/x"),
        ("get", "/v1/log/verify"),
        ("get", "/v1/standards"),
    ):
        response = getattr(service.client, method)(
            path, headers=headers, **({"json": {}} if method == "post" else {})
        )
        assert response.status_code == 401, (method, path, response.text)
        assert response.headers["www-authenticate"] == "Bearer"
        assert response.json()["code"] == "unauthorized"


def test_a_caseworker_decides_and_reads_its_own_decisions(service):
    made = service.decide()
    assert made.status_code == 201, made.text
    decision = made.json()
    assert made.headers["location"] == f"/v1/decisions/{decision['decision_id']}"
    assert decision["log"]["created"] is True and decision["log"]["seq"] == 1
    assert [f["rule"] for f in decision["findings"]][0] == "ehc.assessment_decision"
    again = service.decide()
    assert again.status_code == 200 and again.json()["log"] == {**decision["log"], "created": False}

    read = service.client.get(
        f"/v1/decisions/{decision['decision_id']}", headers=service.headers("caseworker")
    )
    assert read.status_code == 200
    assert {k: v for k, v in read.json().items() if k != "log"} == {
        k: v for k, v in decision.items() if k != "log"
    }
    other = service.client.get(
        f"/v1/decisions/{decision['decision_id']}", headers=service.headers("caseworker2")
    )
    assert other.status_code == 404, "a caseworker cannot read another caseworker's decisions"


def test_a_caseworker_cannot_replay_or_verify(service):
    decision_id = service.decide().json()["decision_id"]
    replay = service.client.post(f"/v1/decisions/{decision_id}/replay", headers=service.headers("caseworker"))
    assert replay.status_code == 403 and replay.json()["code"] == "forbidden"
    assert service.client.get("/v1/log/verify", headers=service.headers("caseworker")).status_code == 403


def test_an_auditor_reads_replays_and_verifies(service):
    decision = service.decide().json()
    decision_id = decision["decision_id"]
    headers = service.headers("auditor")
    assert service.client.get(f"/v1/decisions/{decision_id}", headers=headers).status_code == 200
    replay = service.client.post(f"/v1/decisions/{decision_id}/replay", headers=headers)
    assert replay.status_code == 200 and replay.json()["result"] == "identical"
    refused = service.client.post(
        f"/v1/decisions/{decision_id}/replay", headers=headers, json={"backend": "rete"}
    )
    assert refused.status_code == 422 and refused.json()["code"] == "backend_not_allowed"
    service.allow_backends("reference", "rete")
    rete = service.client.post(
        f"/v1/decisions/{decision_id}/replay", headers=headers, json={"backend": "rete"}
    )
    assert rete.json()["result"] == "identical" and rete.json()["backend_differs"]["replayed"] == "rete"
    verify = service.client.get("/v1/log/verify", headers=headers)
    assert verify.status_code == 200 and verify.json()["ok"] is True and verify.json()["entries"] == 1
    assert service.decide(role="auditor").status_code == 403, "auditors do not decide"


def test_policy_replays_only_under_another_version(service):
    decision_id = service.decide().json()["decision_id"]
    headers = service.headers("policy")
    assert service.client.post(f"/v1/decisions/{decision_id}/replay", headers=headers).status_code == 403
    response = service.client.post(
        f"/v1/decisions/{decision_id}/replay", headers=headers, json={"standards": "send-ap@2.0.0-draft"}
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["result"] == "different"
    # decided without naming a version: the newest published encoding covering 1 June 2025
    assert {"path": "standards.version", "old": "1.5.0", "new": "2.0.0-draft"} in body["diff"]["fields"]
    assert service.client.get(f"/v1/decisions/{decision_id}", headers=headers).status_code == 403
    after = service.client.get("/v1/log/verify", headers=service.headers("auditor")).json()
    assert after["entries"] == 1, "a replay never changes the log"


def test_every_read_is_recorded(service):
    decision_id = service.decide().json()["decision_id"]
    service.client.get(f"/v1/decisions/{decision_id}", headers=service.headers("auditor"))
    service.client.post(f"/v1/decisions/{decision_id}/replay", headers=service.headers("auditor"))
    service.client.post(
        f"/v1/decisions/{decision_id}/replay",
        headers=service.headers("policy"),
        json={"standards": "send-ap@1.0.0"},
    )
    service.client.get("/v1/log/verify", headers=service.headers("auditor"))
    records = service.app.state.log.access_records()
    assert [(r["role"], r["action"], r["decision_id"]) for r in records] == [
        ("caseworker", "decide", decision_id),
        ("auditor", "read", decision_id),
        ("auditor", "replay", decision_id),
        ("policy", "replay", decision_id),
        ("auditor", "verify", None),
    ]
    assert all(r["principal"].startswith("key:") and r["at"].endswith("+00:00") for r in records)
    assert records[3]["detail"] == "send-ap@1.0.0"


def test_an_auditor_finds_every_decision_about_a_child(service):
    first = service.decide(as_of="2025-03-01").json()["decision_id"]
    second = service.decide().json()["decision_id"]
    other_child = json.loads(json.dumps(EXAMPLE))
    other_child["child"]["id"] = "C-000999"
    service.decide(journey=other_child)
    found = service.client.post(
        "/v1/log/find", json={"child_id": "C-000123"}, headers=service.headers("auditor")
    )
    assert found.status_code == 200, found.text
    body = found.json()
    assert [entry["decision_id"] for entry in body["entries"]] == [first, second]
    assert [entry["seq"] for entry in body["entries"]] == [1, 2]
    assert body["entries"][1]["as_of"] == "2025-06-01" and sum(body["entries"][1]["statuses"].values()) > 0
    assert body["entries_under_other_pseudonym_keys"] == {} and "C-000123" not in found.text
    record = service.app.state.log.access_records()[-1]
    assert (record["role"], record["action"], record["decision_id"]) == ("auditor", "find", None)
    assert record["detail"] == f"pseudonym {body['child_pseudonym']}" and "C-000123" not in str(record)
    nobody = service.client.post(
        "/v1/log/find", json={"child_id": "C-424242"}, headers=service.headers("auditor")
    )
    assert nobody.json()["entries"] == [] and nobody.json()["child_pseudonym"] != body["child_pseudonym"]
    for role, status in (("caseworker", 403), ("policy", 403), (None, 401)):
        refused = service.client.post(
            "/v1/log/find", json={"child_id": "C-000123"}, headers=service.headers(role)
        )
        assert refused.status_code == status, (role, refused.text)
    for bad in (
        {"child_id": ""},
        {"child_id": "   "},
        {"child_id": "C-000 123"},
        {},
        {"child_id": "C-1", "extra": 1},
    ):
        assert (
            service.client.post("/v1/log/find", json=bad, headers=service.headers("auditor")).status_code
            == 422
        )


# --- the standards ------------------------------------------------------------------------------


def test_standards_endpoints(service):
    headers = service.headers("policy")
    listed = service.client.get("/v1/standards", headers=headers).json()
    assert [(row["version"], row["status"]) for row in listed] == [
        ("1.0.0", "superseded"),
        ("1.1.0", "published"),
        ("1.2.0", "published"),
        ("1.3.0", "published"),
        ("1.4.0", "published"),
        ("1.5.0", "published"),
        ("2.0.0-draft", "draft"),
    ]
    detail = service.client.get("/v1/standards/send-ap/1.1.0", headers=headers).json()
    assert len(detail["rules"]) == 28 and detail["sha256"] == listed[1]["sha256"]
    final = next(rule for rule in detail["rules"] if rule["id"] == "ehc.final_plan")
    assert final["citations"] == ["SEND Regulations 2014 reg 13(2)", "SEND Regulations 2014 reg 13(3)"]
    weeks = next(p for p in detail["parameters"] if p["name"] == "ehc.final_plan_weeks")
    assert weeks["values"] == [{"from": "2014-09-01", "value": 20}]
    schema = service.client.get("/v1/standards/send-ap/1.1.0/schema", headers=headers).json()
    assert "Event_ap_placement_started" in schema["$defs"]
    missing = service.client.get("/v1/standards/send-ap/9.9.9", headers=headers)
    assert missing.status_code == 404 and missing.json()["code"] == "unknown_standards"


# --- errors and limits --------------------------------------------------------------------------


def test_an_invalid_journey_gets_422_naming_event_and_field(service):
    journey = copy.deepcopy(EXAMPLE)
    journey["events"][1]["outcome"] = "asses"
    journey["events"][2]["colour"] = "red"
    response = service.decide(journey=journey)
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "invalid_journey"
    assert {(e["location"], e.get("event_id"), e.get("field")) for e in body["errors"]} == {
        ("journey.events[1].outcome", "e2", "outcome"),
        ("journey.events[2].colour", "e3", "colour"),
    }


@pytest.mark.parametrize(
    "body, location",
    [
        ({"journey": EXAMPLE, "as_of": "2025-13-01"}, "as_of"),
        ({"journey": EXAMPLE, "as_of": "June"}, "as_of"),
        ({"journey": EXAMPLE}, "as_of"),
        ({"journey": EXAMPLE, "as_of": "2025-06-01", "colour": 1}, "colour"),
        ({"journey": [], "as_of": "2025-06-01"}, "journey"),
        (
            {"journey": EXAMPLE, "as_of": "2025-06-01", "school_closures": [{"from": "2025-04-07"}]},
            "school_closures[0].to",
        ),
        (
            {
                "journey": EXAMPLE,
                "as_of": "2025-06-01",
                "school_closures": [{"from": "2025-04-07", "to": "2025-04-01"}],
            },
            "school_closures[0]",
        ),
        ({"journey": EXAMPLE, "as_of": "2025-06-01", "backend": "abacus"}, "backend"),
        ({"journey": EXAMPLE, "as_of": "2025-06-01", "term_dates": "england"}, "term_dates"),
        (
            {
                "journey": EXAMPLE,
                "as_of": "2025-06-01",
                "term_dates": {
                    "name": "X",
                    "academic_years": [
                        {
                            "year": "2024-2025",
                            "terms": [{"name": "a", "start": "2024-09-02", "end": "2024-08-01"}],
                        }
                    ],
                },
            },
            "term_dates.academic_years[0].terms[0].end",
        ),
    ],
)
def test_an_invalid_request_gets_422_with_the_json_path(service, body, location):
    response = service.client.post("/v1/decisions", json=body, headers=service.headers("caseworker"))
    assert response.status_code == 422, response.text
    assert location in [error["location"] for error in response.json()["errors"]], response.json()


TERM_DATES = {
    "name": "Example Borough term dates",
    "academic_years": [
        {
            "year": "2024-2025",
            "terms": [
                {
                    "name": "summer",
                    "start": "2025-04-22",
                    "end": "2025-07-22",
                    "half_term": {"start": "2025-05-26", "end": "2025-05-30"},
                }
            ],
        }
    ],
}


def test_term_dates_travel_in_the_request_body_and_the_decision_says_so(service):
    body = {"journey": EXAMPLE, "as_of": "2025-06-01", "term_dates": TERM_DATES}
    response = service.client.post("/v1/decisions", json=body, headers=service.headers("caseworker"))
    assert response.status_code == 201, response.text
    decision = response.json()
    sixth = next(f for f in decision["findings"] if f["rule"] == "exclusion.sixth_day_provision")
    assert sixth["due"] == "2025-06-02" and sixth["school_days"] == {
        "calendar": "term_dates",
        "assumed": False,
    }
    assert decision["school_days"]["name"] == "Example Borough term dates"
    read = service.client.get(
        f"/v1/decisions/{decision['decision_id']}", headers=service.headers("caseworker")
    )
    # one rendering: the decision as logged (keys sorted) reads back byte for byte as answered
    assert read.content.split(b',"log":')[0] == response.content.split(b',"log":')[0]
    assert list(read.json()["school_days"]) == ["calendar", "name", "assumed", "school_closures", "findings"]
    replay = service.client.post(
        f"/v1/decisions/{decision['decision_id']}/replay", headers=service.headers("auditor")
    )
    assert replay.status_code == 200, replay.text
    assert replay.json()["result"] in ("same", "identical"), replay.json()
    plain = service.decide().json()
    assert plain["school_days"]["calendar"] == "weekdays" and plain["school_days"]["assumed"] is True


def test_the_openapi_document_describes_term_dates_and_school_days(service):
    document = service.client.get("/openapi.json").json()
    schemas = document["components"]["schemas"]
    assert "term_dates" in schemas["DecisionRequestBody"]["properties"]
    assert "school_days" in schemas["DecisionModel"]["properties"]
    assert "school_days" in schemas["FindingSchema"]["properties"]
    assert set(schemas["SchoolDaysSchema"]["properties"]) == {
        "calendar",
        "name",
        "assumed",
        "school_closures",
        "findings",
    }


def test_malformed_json_gets_422(service):
    response = service.client.post(
        "/v1/decisions",
        content=b'{"journey": ',
        headers={**service.headers("caseworker"), "content-type": "application/json"},
    )
    assert response.status_code == 422 and response.json()["code"] == "invalid_request"


def test_standards_the_request_names_must_exist(service):
    response = service.decide(standards="send-ap@9.9.9")
    assert response.status_code == 422 and response.json()["code"] == "unknown_standards"


def test_oversized_bodies_and_journeys_get_413(service, monkeypatch):
    huge = service.client.post(
        "/v1/decisions",
        content=b"x" * (3 * 1024 * 1024),
        headers={**service.headers("caseworker"), "content-type": "application/json"},
    )
    assert huge.status_code == 413 and huge.json()["code"] == "payload_too_large"
    service.app.state.settings = type(service.app.state.settings)(
        **{**service.app.state.settings.__dict__, "max_events": 5}
    )
    many = service.decide()
    assert many.status_code == 413 and "at most 5" in many.json()["message"]


def test_unknown_routes_and_methods_are_json_errors(service):
    assert service.client.get("/v2/nothing").json()["code"] == "not_found"
    response = service.client.delete("/v1/decisions")
    assert response.status_code == 405 and response.json()["code"] == "method_not_allowed"


def test_start_up_prepares_what_the_first_decision_needs(service):
    from sendrules.api.app import create_app
    from sendrules.engine import calendar

    calendar._bank_holidays_in.cache_clear()
    app = create_app()
    try:
        assert calendar._bank_holidays_in.cache_info().currsize > 0, "bank-holiday data loaded at start-up"
        # every version prepared (journey validator, compiled conditions) in the service every route decides with
        assert len(app.state.service.prepared_standards()) == len(app.state.library.versions())
    finally:
        app.state.log.close()


def test_decisions_use_what_start_up_prepared(service, monkeypatch):
    """The decision log's recorder decides with the service's own prepared standards: the first
    decision after start-up builds no journey validator or compiled rules (it used to build a
    second set per worker, on that first request)."""
    from sendrules.engine import prepared

    def no_new_preparation(*_args, **_kwargs):
        raise AssertionError("a standard was prepared again after start-up")

    monkeypatch.setattr(prepared.PreparedStandard, "__init__", no_new_preparation)
    response = service.decide()
    assert response.status_code == 201, response.text


def test_start_up_leaves_the_garbage_collector_tuned_for_serving(service):
    """What exists at start-up is frozen out of the collector's reach, and its youngest
    generation is collected every YOUNG_COLLECTION_THRESHOLD allocations, not Python's 700."""
    import gc

    from sendrules.api.app import YOUNG_COLLECTION_THRESHOLD, create_app

    before = gc.get_threshold()
    gc.set_threshold(700, before[1], before[2])
    app = create_app()
    try:
        assert gc.get_threshold() == (YOUNG_COLLECTION_THRESHOLD, before[1], before[2])
        assert YOUNG_COLLECTION_THRESHOLD > 700
        assert gc.get_freeze_count() > 0
    finally:
        app.state.log.close()
        gc.set_threshold(*before)


def test_openapi_and_docs_are_served(service):
    schema = service.client.get("/openapi.json").json()
    assert set(schema["paths"]) >= {
        "/v1/decisions",
        "/v1/decisions/{decision_id}",
        "/v1/decisions/{decision_id}/replay",
        "/v1/log/verify",
        "/v1/standards",
        "/v1/standards/{standards_id}/{version}",
        "/v1/standards/{standards_id}/{version}/schema",
        "/v1/health",
    }
    assert service.client.get("/docs").status_code == 200


# --- concurrency -------------------------------------------------------------------------------


@pytest.mark.parametrize("backend", ["reference", "rete"])
def test_parallel_clients_get_correct_decisions_and_one_valid_chain(service, backend):
    pytest.importorskip("durable.engine")
    from sendrules.engine.request import parse_request

    service.allow_backends("reference", "rete")
    journeys = []
    for number in range(48):
        journey = copy.deepcopy(EXAMPLE)
        journey["child"]["id"] = f"C-{number:04d}"
        journey["events"][0]["date"] = f"2025-01-{1 + number % 28:02d}"
        journeys.append(journey)
    results: dict[int, dict] = {}
    failures: list = []

    def client(offset: int) -> None:
        for index in range(offset, len(journeys), 16):
            response = service.decide(journey=journeys[index], backend=backend)
            if response.status_code != 201:
                failures.append(response.text)
            results[index] = response.json()

    threads = [threading.Thread(target=client, args=(offset,)) for offset in range(16)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not failures
    engine_service = service.app.state.service
    for index, journey in enumerate(journeys):
        expected = engine_service.decide(parse_request({"journey": journey, "as_of": "2025-06-01"})).to_dict()
        got = {k: v for k, v in results[index].items() if k != "log"}
        assert got["engine"].pop("backend") == backend and expected["engine"].pop("backend") == "reference"
        assert got == expected
    verify = service.client.get("/v1/log/verify", headers=service.headers("auditor")).json()
    assert verify["ok"] and verify["entries"] == 48


# --- JWT ----------------------------------------------------------------------------------------


@pytest.fixture
def jwt_keys(tmp_path, monkeypatch):
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    public_path = tmp_path / "jwt.pem"
    public_path.write_bytes(
        private.public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        )
    )
    monkeypatch.setenv("SENDRULES_JWT_PUBLIC_KEY", str(public_path))
    monkeypatch.setenv("SENDRULES_JWT_ISSUER", "https://idp.example")
    return private


def test_jwt_bearer_tokens(service, jwt_keys):
    import jwt

    from sendrules.api.security import JwtVerifier

    service.app.state.authenticator.verifier = JwtVerifier.from_environment()
    now = datetime.now(timezone.utc)

    def token(**claims):
        base = {
            "sub": "auditor-7",
            "role": "auditor",
            "iss": "https://idp.example",
            "exp": now + timedelta(minutes=5),
        }
        return jwt.encode({**base, **claims}, jwt_keys, algorithm="RS256")

    def verify(bearer):
        return service.client.get("/v1/log/verify", headers={"Authorization": f"Bearer {bearer}"}).status_code

    assert verify(token()) == 200
    assert verify(token(role="caseworker")) == 403
    assert verify(token(exp=now - timedelta(seconds=1))) == 401
    assert verify(token(iss="https://elsewhere")) == 401
    assert verify(token(role="admin")) == 401
    from cryptography.hazmat.primitives.asymmetric import rsa

    stranger = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    assert (
        verify(
            jwt.encode(
                {
                    "sub": "x",
                    "role": "auditor",
                    "iss": "https://idp.example",
                    "exp": now + timedelta(minutes=5),
                },
                stranger,
                algorithm="RS256",
            )
        )
        == 401
    )
    unsigned = jwt.encode(
        {"sub": "x", "role": "auditor", "iss": "https://idp.example", "exp": now + timedelta(minutes=5)},
        "secret",
        algorithm="HS256",
    )
    assert verify(unsigned) == 401, "a symmetric token signed with anything is refused"
    assert service.app.state.log.access_records()[-1]["principal"] == "jwt:auditor-7"


def test_verify_over_http_checks_anchors_and_decrypts_like_the_cli(service):
    """Issue 12 #7: over HTTP a rewritten tail and a swapped request payload were not found."""
    from tests.decisionlog.helpers import tamper

    headers = service.headers("auditor")
    assert service.decide().status_code == 201
    assert service.decide(as_of="2025-07-01").status_code == 201
    intact = service.client.get("/v1/log/verify", headers=headers).json()
    anchor = f"{intact['head']['seq']}:{intact['head']['entry_hash']}"
    log = service.app.state.log
    tamper(
        log,
        (
            "UPDATE decision_log SET request_payload = (SELECT request_payload FROM decision_log "
            "WHERE seq = 1) WHERE seq = 2",
            {},
        ),
    )
    plain = service.client.get("/v1/log/verify", headers=headers).json()
    assert plain["ok"] is True, "payloads are not chained: only decrypting finds the swap"
    decrypted = service.client.get("/v1/log/verify?decrypt=true", headers=headers).json()
    assert decrypted["ok"] is False and decrypted["first_break"]["kind"] == "request"
    assert decrypted["first_break"]["seq"] == 2

    with_anchor = service.client.get(f"/v1/log/verify?anchor={anchor}", headers=headers).json()
    assert with_anchor["ok"] is True
    wrong = f"{intact['head']['seq']}:{'0' * 64}"
    rewritten = service.client.get(f"/v1/log/verify?anchor={wrong}", headers=headers).json()
    assert rewritten["ok"] is False and rewritten["first_break"]["kind"] == "anchor"
    access = intact["access_head"]
    kept = service.client.get(
        f"/v1/log/verify?anchor={anchor}&anchor=access:{access['seq']}:{access['entry_hash']}",
        headers=headers,
    ).json()
    assert kept["ok"] is True
    lost = service.client.get(
        f"/v1/log/verify?anchor=access:{access['seq']}:{'0' * 64}", headers=headers
    ).json()
    assert lost["ok"] is False and lost["first_break"]["kind"] == "access_anchor"
    for bad in ("anchor=2:abc", "anchor=x", "anchor=access:x", "decrypt=yes"):
        refused = service.client.get(f"/v1/log/verify?{bad}", headers=headers)
        assert refused.status_code == 422 and refused.json()["code"] == "invalid_request", bad
