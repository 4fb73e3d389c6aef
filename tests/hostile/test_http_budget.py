"""Issue 12 #1: one request cannot take a worker down. Every decision runs within a budget
(events, wall time, memory) whose overrun is a 413 naming the setting; the Rete backend is off
over HTTP unless the service offers it; large decisions run outside the worker's event loop, so
health checks and other callers are answered meanwhile; a caller's big requests cost that
caller's rate limit, nobody else's."""

from __future__ import annotations

import threading
import time

import pytest

from tests.hostile.http_helpers import many_events, post_raw, request_body, service  # noqa: F401


#: A journey that takes the decider longer than the 1.5 s wall time these tests give it:
#: 20,000 review meetings on one day, on the Rete backend (several seconds; the Rete backend
#: no longer takes ~20 s for 400 events, as it did before its matching became linear).
LARGE_EVENTS = 20_000
LARGE = {"inline_events": 10, "max_events": 50_000, "max_body_bytes": 16 << 20, "rate": 1_000.0, "burst": 1e9}


def test_too_many_events_is_a_413_naming_the_limit(service):
    service.configure(max_events=10)
    response = post_raw(service, request_body(many_events(11)))
    assert response.status_code == 413
    assert response.headers["content-type"] == "application/problem+json"
    body = response.json()
    assert body["code"] == "payload_too_large" and body["limit"] == "SENDRULES_MAX_EVENTS"
    assert "at most 10" in body["detail"]


def test_the_rete_backend_is_not_offered_unless_the_service_allows_it(service):
    response = post_raw(service, request_body(backend="rete"))
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "backend_not_allowed"
    assert (
        body["errors"][0]["location"] == "backend"
        and "SENDRULES_HTTP_BACKENDS" in body["errors"][0]["message"]
    )
    service.allow_backends("reference", "rete")
    pytest.importorskip("durable.engine")
    assert post_raw(service, request_body(backend="rete")).status_code == 201


def test_a_decision_over_its_wall_time_is_stopped_with_413(service):
    service.configure(inline_events=1)  # every journey goes to the decider process
    service.app.state.decider.seconds = 0.0001
    response = post_raw(service, request_body())
    assert response.status_code == 413, response.text
    assert response.json()["code"] == "decision_too_slow"
    assert response.json()["limit"] == "SENDRULES_MAX_DECISION_SECONDS"
    service.app.state.decider.seconds = 60  # a new child is started for the next request, which is decided
    assert post_raw(service, request_body()).status_code == 201


def test_a_decision_over_its_memory_is_stopped_with_413(service):
    service.configure(inline_events=1)
    service.app.state.decider.close()
    service.app.state.decider.memory_mib = 1
    service.app.state.decider.seconds = 120  # (so that only the memory can stop it)
    started = time.monotonic()
    response = post_raw(service, request_body(many_events(2000)))
    print(f"stopped after {time.monotonic() - started:.1f} s")
    assert response.status_code == 413, response.text
    assert response.json()["code"] == "decision_too_large"
    assert response.json()["limit"] == "SENDRULES_MAX_DECISION_MEMORY_MIB"


def test_a_large_decision_does_not_block_health_checks_or_other_callers(service):
    """A slow decision runs in the decider process: while it runs, the worker answers a health
    check and another caller's small decision (before, both waited for the whole decision)."""
    pytest.importorskip("durable.engine")
    service.allow_backends("reference", "rete")
    service.configure(**LARGE)
    service.app.state.decider.seconds = 1.5
    assert post_raw(service, request_body(), role="caseworker2").status_code == 201  # (the log's first entry)
    done: dict[str, float] = {}

    def large() -> None:
        done["status"] = post_raw(
            service, request_body(many_events(LARGE_EVENTS), backend="rete")
        ).status_code
        done["large"] = time.monotonic()

    thread = threading.Thread(target=large)
    thread.start()
    time.sleep(0.5)  # (the child has started and is deciding: see LARGE_EVENTS)
    assert service.client.get("/v1/health").status_code == 200
    health = time.monotonic()
    assert post_raw(service, request_body(many_events(5)), role="caseworker2").status_code == 201
    other = time.monotonic()
    thread.join()
    assert done["status"] == 413, "the large decision was stopped at its wall time"
    assert health < done["large"] and other < done["large"]


def test_a_caller_has_one_large_decision_at_a_time(service):
    pytest.importorskip("durable.engine")
    service.allow_backends("reference", "rete")
    service.configure(**LARGE)
    service.app.state.decider.seconds = 1.5
    results = []
    thread = threading.Thread(
        target=lambda: results.append(
            post_raw(service, request_body(many_events(LARGE_EVENTS), backend="rete")).status_code
        )
    )
    thread.start()
    time.sleep(0.5)
    second = post_raw(service, request_body(many_events(30), backend="rete"))
    thread.join()
    assert second.status_code == 429 and second.json()["code"] == "too_many_requests"
    assert results == [413]


def test_rate_limits_are_per_caller_and_answer_429(service):
    service.configure(rate=0.001, burst=2)
    statuses = [post_raw(service, request_body()).status_code for _ in range(2)]
    assert statuses == [201, 200]  # (the first decides, the second finds it logged)
    refused = post_raw(service, request_body())
    assert refused.status_code == 429 and refused.json()["limit"] == "SENDRULES_RATE_LIMIT"
    assert int(refused.headers["retry-after"]) >= 1
    assert post_raw(service, request_body(), role="caseworker2").status_code == 200, (
        "another caller is not limited"
    )


def test_a_huge_journey_costs_more_of_the_callers_budget(service):
    service.configure(rate=0.001, burst=10)
    assert post_raw(service, request_body(many_events(600))).status_code == 429  # 12 units > 10
    assert post_raw(service, request_body()).status_code == 201  # the refused one took one unit only
