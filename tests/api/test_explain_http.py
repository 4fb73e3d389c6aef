"""``POST /v1/decisions?explain=RULE``: the decision, and why RULE did or did not give a finding."""

from __future__ import annotations


def _post(service, query, body=None):
    from tests.api.conftest import EXAMPLE

    body = body or {"journey": EXAMPLE, "as_of": "2025-06-01"}
    return service.client.post(f"/v1/decisions{query}", json=body, headers=service.headers("caseworker"))


def test_the_answer_adds_the_explanation_after_the_decision_it_does_not_change(service):
    plain = service.decide()
    assert plain.status_code == 201
    explained = _post(service, "?explain=ehc.no_plan_notice")
    assert explained.status_code == 200, explained.text  # the same decision: already logged
    body = explained.json()
    assert list(body)[-1] == "explanation"
    assert {k: v for k, v in body.items() if k not in ("explanation", "log")} == {
        k: v for k, v in plain.json().items() if k != "log"
    }
    explanation = body["explanation"]
    assert explanation["rule"] == "ehc.no_plan_notice" and explanation["applies"] is False
    assert [t["outcome"] for t in explanation["triggers"]] == ["only_if"]
    logged = service.client.get(f"/v1/decisions/{body['decision_id']}", headers=service.headers("caseworker"))
    assert "explanation" not in logged.json(), "an explanation is never logged"


def test_an_unknown_rule_is_422_and_nothing_is_logged(service):
    response = _post(service, "?explain=ehc.final_plna")
    assert response.status_code == 422 and response.json()["code"] == "unknown_rule"
    assert response.headers["content-type"].startswith("application/problem+json")
    assert "ehc.final_plan" in response.text
    assert service.decide().status_code == 201, "the refused request logged nothing"


def test_explain_names_one_rule(service):
    response = _post(service, "?explain=ehc.final_plan&explain=ehc.annual_review")
    assert response.status_code == 422 and response.json()["code"] == "invalid_request"
