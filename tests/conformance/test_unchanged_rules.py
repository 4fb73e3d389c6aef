"""send-ap@1.2.0 corrects some rules of 1.1.0 and leaves the others as they were.

The corpus's older cases are pinned to ``send-ap@1.1.0``, the published behaviour they
describe. A rule 1.2.0 did not change (same text, citations and parts, and parameters with the
same values) must decide each of those journeys exactly as the case expects under 1.1.0: this
runs every such case again under 1.2.0, on both backends, and compares the findings of the
unchanged rules. The coverage check of test_corpus.py counts those findings for 1.2.0 because
this test holds.
"""

from __future__ import annotations

from datetime import date
from functools import cache

import pytest

from sendrules.engine.library import StandardsLibrary
from sendrules.engine.request import parse_request
from sendrules.policy.diff import diff_standards
from tests.conformance.corpus import load_cases

OLD, NEW = "send-ap@1.1.0", "send-ap@1.2.0"
#: What 1.2.0 changed, as its manifest states (issue 16); the diff must find exactly these.
CHANGED = {
    "ehc.advice_response",
    "ehc.review_decision",
    "ehc.review_report",
    "exclusion.sixth_day_provision",
    "sen_support.review_cycle",
}
REMOVED = {"ap.destination_recorded"}

CASES = [case for case in load_cases() if case.request.get("standards") == OLD and "error" not in case.expect]


@cache
def unchanged_rules() -> frozenset[str]:
    """The rules of 1.2.0 that decide as in 1.1.0: in both, unchanged in every part, and reading
    no parameter whose values or unit changed."""
    library = StandardsLibrary()
    old, new = library.resolve(OLD, date(2025, 1, 1)), library.resolve(NEW, date(2025, 1, 1))
    diff = diff_standards(old, new)
    assert {rule.id for rule in diff.rules_changed} == CHANGED
    assert {rule.id for rule in diff.rules_removed} == REMOVED
    moved = {
        rule
        for parameter in diff.parameters
        if parameter.status != "changed"
        or parameter.values
        or any(change.part == "unit" for change in parameter.attributes)
        for rule in parameter.used_by
    }
    both = {rule.id for rule in old.rules} & {rule.id for rule in new.rules}
    return frozenset(both - CHANGED - moved)


def test_the_unchanged_rules_are_most_of_1_1_0():
    unchanged = unchanged_rules()
    assert not unchanged & CHANGED
    assert {"ehc.final_plan", "ehc.annual_review", "exclusion.reinstatement_meeting"} <= unchanged


@pytest.mark.parametrize("backend", ["reference", "rete"])
@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_an_unchanged_rule_decides_a_1_1_0_case_as_before(service, case, backend):
    keep = unchanged_rules() & set(case.only_rules or unchanged_rules())
    wanted = [finding for finding in case.expect["findings"] if finding["rule"] in keep]
    decision = service.decide(parse_request(dict(case.request, standards=NEW)), backend=backend).to_dict()
    assert decision["standards"]["version"] == "1.2.0"
    findings = [finding for finding in decision["findings"] if finding["rule"] in keep]
    compared = [{key: finding[key] for key in want} for finding, want in zip(findings, wanted)]
    assert len(findings) == len(wanted) and compared == wanted, (findings, wanted)
