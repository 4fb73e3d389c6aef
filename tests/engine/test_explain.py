"""``--explain RULE``: why a rule did or did not give a finding (issue 15, "why not")."""

from __future__ import annotations

from collections import defaultdict

import pytest

from sendrules.engine.errors import EngineError, InputError
from sendrules.engine.library import StandardsLibrary
from sendrules.engine.request import parse_request
from sendrules.engine.service import DecisionService
from tests.conformance.corpus import load_cases

CASES = [case for case in load_cases() if "error" not in case.expect]


@pytest.fixture(scope="module")
def service():
    return DecisionService(StandardsLibrary())


@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_every_rule_of_every_conformance_case_is_explained_as_decided(service, case):
    """For every rule of the standard: the triggers the explanation says gave a finding are
    exactly the decision's findings of that rule (same status and due date), every other
    triggering event names the clause that stopped it, and the answer agrees."""
    request = parse_request(case.request)
    decision = service.decide(request)
    decided: dict[str, dict[str, tuple[str, str | None]]] = defaultdict(dict)
    for finding in decision.findings:
        decided[finding.rule][finding.trigger] = (
            finding.status,
            finding.due.isoformat() if finding.due else None,
        )
    standard = service.library.resolve(request.standards, request.as_of)
    for rule in standard.rules:
        explanation = service.explain(request, rule.id).to_dict()
        explained = {
            t["event"]: (t["status"], t["due"]) for t in explanation["triggers"] if t["outcome"] == "finding"
        }
        assert explained == decided.get(rule.id, {}), (rule.id, explanation["answer"])
        assert explanation["applies"] == bool(explained)
        for trigger in explanation["triggers"]:
            assert (
                trigger["outcome"]
                in ("finding", "trigger", "only_if", "unless", "run", "made_within", "absences")
                and trigger["because"]
            )
            assert (
                trigger["type"] in rule.trigger.match.types and trigger["date"] <= request.as_of.isoformat()
            )
        assert explanation["answer"].startswith(f"{rule.id} {'applies' if explained else 'gives no finding'}")


def _request(events, as_of="2025-06-01"):
    return parse_request(
        {
            "as_of": as_of,
            "standards": "send-ap@1.1.0",
            "journey": {"child": {"id": "C-1", "date_of_birth": "2018-12-01"}, "events": events},
        }
    )


def test_a_not_to_assess_decision_is_named_as_the_unless_that_removed_the_final_plan(service):
    request = _request(
        [
            {"id": "e1", "type": "assessment_requested", "date": "2025-01-06"},
            {"id": "e2", "type": "assessment_decision", "date": "2025-02-10", "outcome": "not_assess"},
        ]
    )
    assert not [f for f in service.decide(request).findings if f.rule == "ehc.final_plan"]
    explanation = service.explain(request, "ehc.final_plan").to_dict()
    [trigger] = explanation["triggers"]
    assert trigger["event"] == "e1" and trigger["outcome"] == "unless"
    assert trigger["matched"] == {"event": "e2", "type": "assessment_decision", "date": "2025-02-10"}
    assert "not_assess" in trigger["because"] and "assessment_decision e2 on 2025-02-10" in trigger["because"]
    assert explanation["answer"] == (
        "ehc.final_plan gives no finding: 1 triggering event, none applied (1 stopped by an 'unless')"
    )


def test_no_triggering_event_names_the_events_after_the_as_of_date(service):
    request = _request(
        [
            {"id": "e1", "type": "assessment_requested", "date": "2025-01-06"},
            {"id": "e9", "type": "la_move_notified", "date": "2025-07-01", "move_date": "2025-08-01"},
        ]
    )
    explanation = service.explain(request, "ehc.plan_transfer").to_dict()
    assert explanation["triggers"] == [] and not explanation["applies"]
    assert explanation["not_yet_visible"] == [
        {"event": "e9", "type": "la_move_notified", "date": "2025-07-01"}
    ]
    assert "no la_move_notified event dated on or before 2025-06-01" in explanation["answer"]
    assert "e9 on 2025-07-01" in explanation["answer"]


def test_an_unmet_only_if_and_a_trigger_condition_are_told_apart(service):
    request = _request(
        [
            {"id": "e1", "type": "assessment_requested", "date": "2025-01-06"},
            {"id": "e2", "type": "assessment_decision", "date": "2025-02-10", "outcome": "assess"},
        ]
    )
    [only_if] = service.explain(request, "ehc.no_plan_notice").to_dict()["triggers"]
    assert only_if["outcome"] == "only_if" and "plan_decision" in only_if["because"]
    assert "there is none dated on or before 2025-06-01" in only_if["because"]
    [condition] = service.explain(request, "ehc.assessment_decision").to_dict()["triggers"]
    assert (
        condition["outcome"] == "finding"
        and condition["status"] == "met"
        and condition["due"] == "2025-02-17"
    )


def test_a_trigger_condition_that_does_not_hold_is_quoted(service):
    # the early-years review applies only to a child under 5 when the plan is issued
    request = _request([{"id": "e1", "type": "final_plan_issued", "date": "2025-01-10"}])
    [trigger] = service.explain(request, "ehc.early_years_review").to_dict()["triggers"]
    assert trigger["outcome"] == "trigger" and "less than 5" in trigger["because"]


def test_an_unknown_rule_is_refused_with_the_closest_ids(service):
    request = _request([])
    with pytest.raises(InputError) as caught:
        service.explain(request, "ehc.final_plna")
    assert caught.value.code == "unknown_rule" and "ehc.final_plan" in caught.value.describe()
    with pytest.raises(EngineError):
        service.explain(request, "x" * 10_000)  # the message quotes a bounded prefix
    assert len(str(caught.value)) < 200


def test_the_cli_prints_the_explanation_and_refuses_an_unknown_rule():
    import json

    from tests.cli.test_cli import EXAMPLE
    from tests.cli.test_cli import run as run_cli

    def run(*args):
        return run_cli("decide", EXAMPLE, "--as-of", "2025-06-01", *args)

    table = run("--explain", "ehc.no_plan_notice")
    assert table.returncode == 0, table.stderr
    assert "Explain ehc.no_plan_notice" in table.stdout and "e1 (only_if)" in table.stdout
    as_json = run("--explain", "ehc.final_plan", "--format", "json")
    plain = run("--format", "json")
    data = json.loads(as_json.stdout)
    assert list(data)[-1] == "explanation" and data["explanation"]["applies"] is True
    assert {k: v for k, v in data.items() if k != "explanation"} == json.loads(plain.stdout)
    unknown = run("--explain", "ehc.final_plna")
    assert unknown.returncode == 2 and "unknown_rule" in unknown.stderr and "Traceback" not in unknown.stderr
