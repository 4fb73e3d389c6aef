"""The conformance corpus, run through the same entry point the CLI and HTTP API use."""

from __future__ import annotations

import pytest

from engine.errors import EngineError
from engine.request import parse_request
from tests.conformance.corpus import load_cases

CASES = load_cases()
BACKENDS = ["reference"]


def _decide(service, case, backend):
    return service.decide(parse_request(case.request), backend=backend)


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_case(service, case, backend):
    expect = case.expect
    if "error" in expect:
        with pytest.raises(EngineError) as caught:
            _decide(service, case, backend)
        assert caught.value.code == expect["error"], caught.value.describe()
        actual = [problem.to_dict() for problem in caught.value.problems]
        for wanted in expect.get("problems", []):
            assert any(all(problem.get(key) == value for key, value in wanted.items())
                       for problem in actual), f"no problem like {wanted} in {actual}"
        return

    decision = _decide(service, case, backend).to_dict()
    findings = decision["findings"]
    if case.only_rules is not None:
        findings = [finding for finding in findings if finding["rule"] in case.only_rules]
    wanted = expect["findings"]
    compared = [{key: finding[key] for key in want} for finding, want in zip(findings, wanted)]
    assert len(findings) == len(wanted) and compared == wanted, (
        "\nexpected:\n  " + "\n  ".join(map(str, wanted))
        + "\nactual:\n  " + "\n  ".join(str({k: f[k] for k in ("rule", "trigger", "status", "due", "satisfied_by", "exception", "duty_holder")}) for f in findings))
    summary = decision["summary"]
    assert sum(summary.values()) == len(decision["findings"])


def test_corpus_covers_every_rule_and_status(library):
    """Every rule of the shipped pack appears with every status it can take."""
    standard = library.resolve("send-ap@1.0.0", __import__("datetime").date(2025, 1, 1))
    seen = {(f["rule"], f["status"]) for case in CASES for f in case.expect.get("findings", [])
            if "status" in f}
    possible = {
        "ehc.assessment_decision": {"met", "pending", "late", "overdue", "exempt"},
        "ehc.advice_response": {"met", "pending", "late", "overdue"},
        "ehc.no_plan_notice": {"met", "late", "exempt"},
        "ehc.draft_comment_period": {"met", "pending", "breached"},
        "ehc.final_plan": {"met", "pending", "late", "overdue", "exempt"},
        "ehc.annual_review": {"met", "pending", "late", "overdue"},
        "ehc.review_report": {"met", "pending", "late", "overdue"},
        "ehc.review_decision": {"met", "pending", "late", "overdue"},
        "ehc.phase_transfer": {"met", "pending", "late", "overdue"},
        "exclusion.sixth_day_provision": {"met", "pending", "late", "overdue"},
    }
    assert set(possible) == {rule.id for rule in standard.rules}
    missing = sorted((rule, status) for rule, statuses in possible.items() for status in statuses
                     if (rule, status) not in seen)
    assert not missing, f"no corpus case shows: {missing}"
