"""What integrators and operators get: the OpenAPI document (security, statuses, operation ids,
the journey typed by each version's vocabulary), offline docs, liveness and readiness, metrics
(also added up over two worker processes), request ids and JSON log lines, the batch endpoint."""

from __future__ import annotations

import copy
import json
import logging
import re

import httpx
import pytest

from tests.api.conftest import EXAMPLE
from tests.api.live import live_server

OPERATION_IDS = {
    ("post", "/v1/decisions"): "decide",
    ("post", "/v1/decisions/batch"): "decideBatch",
    ("get", "/v1/decisions/{decision_id}"): "getDecision",
    ("post", "/v1/decisions/{decision_id}/replay"): "replayDecision",
    ("get", "/v1/log/verify"): "verifyLog",
    ("post", "/v1/log/find"): "findChildDecisions",
    ("get", "/v1/standards"): "listStandards",
    ("get", "/v1/standards/{standards_id}/{version}"): "getStandard",
    ("get", "/v1/standards/{standards_id}/{version}/schema"): "getJourneySchema",
    ("get", "/v1/standards/{standards_id}/{version}/diff/{other_version}"): "diffStandards",
    ("get", "/v1/dashboards/{run}"): "getDashboard",
    ("get", "/v1/health"): "health",
    ("get", "/v1/ready"): "ready",
    ("get", "/metrics"): "metrics",
}


# --- the OpenAPI document ----------------------------------------------------------------------


def test_openapi_has_stable_operation_ids_bearer_security_and_every_status(service):
    document = service.client.get("/openapi.json").json()
    found = {
        (method, path): operation["operationId"]
        for path, item in document["paths"].items()
        for method, operation in item.items()
    }
    assert found == OPERATION_IDS
    assert document["components"]["securitySchemes"]["bearer"] == {
        "type": "http",
        "scheme": "bearer",
        "description": document["components"]["securitySchemes"]["bearer"]["description"],
    }
    decide = document["paths"]["/v1/decisions"]["post"]
    assert decide["security"] == [{"bearer": []}]
    assert {"201", "200", "400", "401", "403", "408", "409", "413", "415", "422", "429", "503"} <= set(
        decide["responses"]
    )
    assert decide["responses"]["422"]["content"]["application/problem+json"]["schema"] == {
        "$ref": "#/components/schemas/Problem"
    }
    assert "404" in document["paths"]["/v1/decisions/{decision_id}"]["get"]["responses"]
    assert "security" not in document["paths"]["/v1/health"]["get"]
    assert "HTTPValidationError" not in document["components"]["schemas"]
    assert "CONTRACT" not in json.dumps(document), "it cites no file the repository lacks"


def test_openapi_types_the_journey_by_each_versions_vocabulary(service):
    document = service.client.get("/openapi.json").json()
    schemas = document["components"]["schemas"]
    journey = schemas["DecisionRequestBody"]["properties"]["journey"]
    names = [ref["$ref"].rsplit("/", 1)[1] for ref in journey["anyOf"]]
    assert names == [
        "Journey_send_ap_2_0_0_draft",
        "Journey_send_ap_1_5_0",
        "Journey_send_ap_1_4_0",
        "Journey_send_ap_1_3_0",
        "Journey_send_ap_1_2_0",
        "Journey_send_ap_1_1_0",
        "Journey_send_ap_1_0_0",
    ]
    text = json.dumps(document)
    for ref in set(re.findall(r'"\$ref": "#/components/schemas/([^"]+)"', text)):
        assert ref in schemas, f"dangling reference {ref}"
    assert "#/$defs/" not in text
    one_point_one = json.dumps(schemas["Journey_send_ap_1_1_0"])
    assert "Journey_send_ap_1_1_0_Event_ap_placement_started" in one_point_one


def test_each_versions_journey_schema_is_published_at_a_stable_url_without_a_key(service):
    response = service.client.get("/v1/standards/send-ap/1.1.0/schema")
    assert response.status_code == 200 and response.headers["content-type"] == "application/schema+json"
    schema = response.json()
    assert schema["$id"] == "/v1/standards/send-ap/1.1.0/schema"
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    jsonschema_rs = pytest.importorskip("jsonschema_rs")

    jsonschema_rs.validator_for({key: value for key, value in schema.items() if key != "$id"}).validate(
        EXAMPLE
    )
    assert service.client.get("/v1/standards/send-ap/9.9.9/schema").status_code == 404


def test_docs_work_offline(service):
    page = service.client.get("/docs")
    assert page.status_code == 200
    sources = re.findall(r'(?:src|href)="([^"]+)"', page.text)
    assert sources and all(source.startswith("/docs/assets/") for source in sources), sources
    for source in sources:
        asset = service.client.get(source)
        assert asset.status_code == 200 and len(asset.content) > 100, source
        assert "no-store" not in asset.headers.get("cache-control", "")


# --- health, readiness, metrics, request ids, logs ---------------------------------------------


def test_health_and_readiness(service):
    assert service.client.get("/v1/health").json() == {"status": "ok", "engine": "0.3.0"}
    ready = service.client.get("/v1/ready")
    assert ready.status_code == 200
    assert ready.json() == {"status": "ready", "checks": {"log": "ok", "keys": "ok", "standards": "ok"}}


def test_not_ready_says_which_check_failed_and_nothing_more(service, monkeypatch):
    def broken():
        raise RuntimeError("cannot open /secret/path/log.sqlite3")

    monkeypatch.setattr(service.app.state.log, "count", broken)
    ready = service.client.get("/v1/ready")
    assert ready.status_code == 503 and ready.json()["checks"]["log"] != "ok"
    assert "/secret" not in ready.text


def test_request_ids_are_echoed_and_logged_as_json(service, caplog):
    caplog.set_level(logging.INFO, logger="sendrules.access")
    mine = service.client.get("/v1/health", headers={"X-Request-ID": "ticket-42.a"})
    assert mine.headers["x-request-id"] == "ticket-42.a"
    made = service.decide()
    generated = made.headers["x-request-id"]
    assert re.fullmatch(r"[0-9a-f]{12}-\d+", generated)
    bad = service.client.get("/v1/health", headers={"X-Request-ID": "a b" * 50})
    assert bad.headers["x-request-id"] != "a b" * 50
    records = [record.fields for record in caplog.records if record.name == "sendrules.access"]
    logged = next(fields for fields in records if fields["request_id"] == generated)
    assert (
        logged["route"] == "/v1/decisions" and logged["status"] == 201 and logged["caller"].startswith("key:")
    )
    from sendrules.api.observability import JsonFormatter

    line = JsonFormatter().format(next(r for r in caplog.records if r.name == "sendrules.access"))
    assert json.loads(line)["message"] == "request"
    assert "C-000123" not in caplog.text, "no child id in the log"


def test_metrics_count_requests_decisions_and_log_appends(service):
    service.decide()
    service.decide()
    bad = copy.deepcopy(EXAMPLE)
    bad["events"][0]["type"] = "nothing"
    service.decide(journey=bad)
    text = service.client.get("/metrics").text
    assert re.search(
        r'sendrules_http_requests_total\{method="POST",route="/v1/decisions",status="201"\} [1-9]', text
    )
    assert re.search(r'sendrules_decisions_total\{outcome="already_logged"\} [1-9]', text)
    assert re.search(r'sendrules_decisions_total\{outcome="refused"\} [1-9]', text)
    assert re.search(r'sendrules_findings_total\{status="met"\} [1-9]', text)
    assert "sendrules_log_append_seconds_bucket" in text
    assert "sendrules_http_request_duration_seconds_bucket" in text


def test_metrics_add_up_over_worker_processes(tmp_path):
    with live_server(tmp_path, "--workers", "2") as (base, keys):
        caseworker = {"Authorization": f"Bearer {keys['caseworker']}"}
        count = 24
        for number in range(count):  # new connections: the kernel spreads them over both workers
            journey = copy.deepcopy(EXAMPLE)
            journey["child"]["id"] = f"C-{number}"
            with httpx.Client() as client:
                response = client.post(
                    f"{base}/v1/decisions",
                    json={"journey": journey, "as_of": "2025-06-01"},
                    headers=caseworker,
                )
                assert response.status_code == 201
        total = 0.0
        for _ in range(3):  # whichever worker answers, the sum is the same
            text = httpx.get(f"{base}/metrics").text
            match = re.search(r'sendrules_decisions_total\{outcome="created"\} ([0-9.]+)', text)
            total = float(match.group(1))
            assert total == count
        ready = httpx.get(f"{base}/v1/ready")
        assert ready.status_code == 200


# --- the batch endpoint ------------------------------------------------------------------------


def _batch(service, lines: list[bytes], role: str = "caseworker"):
    return service.client.post(
        "/v1/decisions/batch",
        content=b"\n".join(lines),
        headers={**service.headers(role), "content-type": "application/x-ndjson"},
    )


def test_batch_decides_each_line_and_a_bad_line_fails_alone(service):
    from sendrules.api.models import BatchItem

    second = copy.deepcopy(EXAMPLE)
    second["child"]["id"] = "C-000999"
    lines = [
        json.dumps({"journey": EXAMPLE, "as_of": "2025-06-01"}).encode(),
        b"",
        b"{not json",
        json.dumps({"journey": EXAMPLE, "as_of": "2025-13-01"}).encode(),
        json.dumps({"journey": second, "as_of": "2025-06-01"}).encode(),
        json.dumps({"journey": EXAMPLE, "as_of": "2025-06-01"}).encode(),
    ]
    response = _batch(service, lines)
    assert response.status_code == 200 and response.headers["content-type"] == "application/x-ndjson"
    items = [json.loads(line) for line in response.text.splitlines()]
    for item in items:
        BatchItem.model_validate(item)
    assert [(item["line"], item["status"]) for item in items] == [
        (1, 201),
        (3, 422),
        (4, 422),
        (5, 201),
        (6, 200),
    ]
    assert items[1]["error"]["errors"][0]["location"] == "line 3:1:2"
    assert items[2]["error"]["errors"][0]["location"] == "as_of"
    single = service.client.get(
        f"/v1/decisions/{items[0]['decision']['decision_id']}", headers=service.headers("caseworker")
    )
    assert single.status_code == 200, "each decision is logged and owned as usual"
    verify = service.client.get("/v1/log/verify", headers=service.headers("auditor")).json()
    assert verify["ok"] and verify["entries"] == 2
    assert [r["action"] for r in service.app.state.log.access_records()].count("decide") == 3


def test_batch_limits_items_and_line_length(service):
    service.configure(max_batch_items=2, max_body_bytes=5000)
    line = json.dumps({"journey": EXAMPLE, "as_of": "2025-06-01"}).encode()
    long_line = json.dumps({"journey": EXAMPLE, "as_of": "2025-06-01", "pad": "x" * 6000}).encode()
    items = [json.loads(text) for text in _batch(service, [long_line, line, line, line]).text.splitlines()]
    assert [(item["line"], item["status"]) for item in items] == [(1, 413), (2, 201), (3, 413)]
    assert items[0]["error"]["limit"] == "SENDRULES_MAX_BODY_BYTES"
    assert items[2]["error"]["limit"] == "SENDRULES_MAX_BATCH_ITEMS"


def test_batch_needs_a_caseworker_and_ndjson(service):
    line = json.dumps({"journey": EXAMPLE, "as_of": "2025-06-01"}).encode()
    assert _batch(service, [line], role="auditor").status_code == 403
    assert _batch(service, [line], role=None).status_code == 401
    wrong = service.client.post(
        "/v1/decisions/batch",
        content=line,
        headers={**service.headers("caseworker"), "content-type": "application/json"},
    )
    assert wrong.status_code == 415


# --- one model ---------------------------------------------------------------------------------


def test_the_request_model_is_the_engines(service):
    from sendrules.api.models import DecisionRequestBody
    from sendrules.engine.request import RequestModel

    assert issubclass(DecisionRequestBody, RequestModel)
    assert set(DecisionRequestBody.model_fields) == set(RequestModel.model_fields) | {"backend"}


@pytest.mark.parametrize("as_of", ["2025-06-01", "2025-06-20"])
def test_answers_validate_against_the_published_models(service, as_of):
    from tests.api.conftest import ROOT
    from sendrules.api.models import DecisionModel

    journey = json.loads((ROOT / "examples" / "journey-wider.json").read_text())
    made = service.decide(journey=journey, as_of=as_of)
    DecisionModel.model_validate(made.json())
