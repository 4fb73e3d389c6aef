"""Each new version of send-ap corrects some rules and leaves the others as they were.

The corpus's cases are pinned to the version whose published behaviour they describe
(``send-ap@1.1.0`` for the older ones, ``send-ap@1.2.0`` for 1.2.0's corrections). A rule a
later version did not change (same text, citations and parts, and parameters with the same
values) must decide each earlier case exactly as the case expects: this runs every such case
again under each later version, on both backends, and compares the findings of the unchanged
rules. The coverage check of test_corpus.py counts those findings for the later version because
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

#: Each version, the version it supersedes, and what it changed and removed as its manifest
#: states; the diff between the two must find exactly these.
STEPS = {
    # issue 16: the corrected encoding
    "send-ap@1.2.0": (
        "send-ap@1.1.0",
        {
            "ehc.advice_response",
            "ehc.review_decision",
            "ehc.review_report",
            "exclusion.sixth_day_provision",
            "sen_support.review_cycle",
        },
        {"ap.destination_recorded"},
    ),
    # rules language 2: reg 15(2) counted "beginning with"; local-practice intervals illustrative
    "send-ap@1.3.0": (
        "send-ap@1.2.0",
        {"ehc.plan_transfer", "ap.placement_review", "attendance.part_time_review"},
        set(),
    ),
    # rules language 3: episodes, compulsory school age, scoped and dated exceptions, the reg 18
    # window, preparing for adulthood judged from Year 9 (its manifest's changes); its new duties
    # are added rules, which no earlier case can show
    "send-ap@1.4.0": (
        "send-ap@1.3.0",
        {
            "ehc.advice_response",
            "ehc.assessment_decision",
            "ehc.final_plan",
            "ehc.no_plan_notice",
            "ehc.phase_transfer",
            "ehc.preparing_for_adulthood",
            "ehc.reassessment_plan",
            "exclusion.sixth_day_provision",
        },
        set(),
    ),
    # in preparation: 1.4.0 with the constructs of rules language 4 (its manifest's changes);
    # exclusion.further_notice is an added rule
    "send-ap@1.5.0": (
        "send-ap@1.4.0",
        {
            "exclusion.review_panel",
            "exclusion.parent_notice",
            "mediation.certificate_when_declined",
            "health.education_provision",  # absences that add up to 15 school days (language 4)
        },
        set(),
    ),
    # the illustrative draft: 1.3.0's law in force, unchanged, with the Green Paper's proposals added
    "send-ap@2.0.0-draft": ("send-ap@1.3.0", set(), set()),
}
#: The versions whose cases each later version decides again.
EARLIER = {
    "send-ap@1.2.0": ("send-ap@1.1.0",),
    "send-ap@1.3.0": ("send-ap@1.1.0", "send-ap@1.2.0"),
    "send-ap@1.4.0": ("send-ap@1.1.0", "send-ap@1.2.0", "send-ap@1.3.0"),
    "send-ap@1.5.0": ("send-ap@1.1.0", "send-ap@1.2.0", "send-ap@1.3.0", "send-ap@1.4.0"),
    "send-ap@2.0.0-draft": ("send-ap@1.1.0", "send-ap@1.2.0", "send-ap@1.3.0"),
}


def _changed_along(old: str, new: str) -> set[str]:
    """The rules some version from ``old`` (excluded) to ``new`` (included) states it changed."""
    changed: set[str] = set()
    version = new
    while version != old:
        previous, step_changed, _removed = STEPS[version]
        changed |= step_changed
        version = previous
    return changed


@cache
def unchanged_rules(old: str, new: str) -> frozenset[str]:
    """The rules of ``new`` that decide as in ``old``: in both, unchanged in every part, and
    reading no parameter whose values or unit changed."""
    library = StandardsLibrary()
    old_pack, new_pack = library.resolve(old, date(2025, 1, 1)), library.resolve(new, date(2025, 1, 1))
    diff = diff_standards(old_pack, new_pack)
    if STEPS[new][0] == old:
        assert {rule.id for rule in diff.rules_changed} == STEPS[new][1]
        assert {rule.id for rule in diff.rules_removed} == STEPS[new][2]
    moved = {
        rule
        for parameter in diff.parameters
        if parameter.status != "changed"
        or parameter.values
        or any(change.part == "unit" for change in parameter.attributes)
        for rule in parameter.used_by
    }
    changed = {rule.id for rule in diff.rules_changed} | _changed_along(old, new)
    both = {rule.id for rule in old_pack.rules} & {rule.id for rule in new_pack.rules}
    return frozenset(both - changed - moved)


def test_the_unchanged_rules_are_most_of_1_1_0():
    unchanged = unchanged_rules("send-ap@1.1.0", "send-ap@1.2.0")
    assert not unchanged & STEPS["send-ap@1.2.0"][1]
    assert {"ehc.final_plan", "ehc.annual_review", "exclusion.reinstatement_meeting"} <= unchanged


def test_1_3_0_changes_only_what_its_manifest_states():
    unchanged = unchanged_rules("send-ap@1.2.0", "send-ap@1.3.0")
    assert not unchanged & STEPS["send-ap@1.3.0"][1]
    assert {"ehc.advice_response", "ehc.transfer_notice", "exclusion.sixth_day_provision"} <= unchanged
    # a 1.1.0 case counts for 1.3.0 only for rules neither 1.2.0 nor 1.3.0 changed
    assert not unchanged_rules("send-ap@1.1.0", "send-ap@1.3.0") & (
        STEPS["send-ap@1.2.0"][1] | STEPS["send-ap@1.3.0"][1]
    )


def test_the_draft_keeps_every_rule_of_1_3_0_unchanged():
    """The draft's law in force is 1.3.0's: every 1.3.0 rule decides in the draft as in 1.3.0,
    so every 1.1.0, 1.2.0 and 1.3.0 case that a 1.3.0 rule passes is also a case of the draft."""
    library = StandardsLibrary()
    base = {rule.id for rule in library.resolve("send-ap@1.3.0", date(2025, 1, 1)).rules}
    assert unchanged_rules("send-ap@1.3.0", "send-ap@2.0.0-draft") == base


def _valid_under(new: str, case) -> bool:
    """Whether ``new``'s vocabulary accepts the case's journey. The draft requires an alternative
    provision placement's ``tier`` (its measures read it); 1.2.0 and 1.3.0 made it optional, and
    one of their cases shows a placement without it being accepted, which the draft refuses."""
    if new != "send-ap@2.0.0-draft":
        return True
    return all(
        "tier" in event
        for event in case.request["journey"]["events"]
        if event.get("type") == "ap_placement_started"
    )


RUNS = [
    (new, case)
    for new, olds in EARLIER.items()
    for case in load_cases()
    if case.request.get("standards") in olds and "error" not in case.expect and _valid_under(new, case)
]


@pytest.mark.parametrize("backend", ["reference", "rete"])
@pytest.mark.parametrize(("new", "case"), RUNS, ids=[f"{new.split('@')[1]}:{case.id}" for new, case in RUNS])
def test_an_unchanged_rule_decides_an_earlier_case_as_before(service, new, case, backend):
    old = case.request["standards"]
    keep = unchanged_rules(old, new) & set(case.only_rules or unchanged_rules(old, new))
    wanted = [finding for finding in case.expect["findings"] if finding["rule"] in keep]
    decision = service.decide(parse_request(dict(case.request, standards=new)), backend=backend).to_dict()
    assert decision["standards"]["version"] == new.split("@")[1]
    findings = [finding for finding in decision["findings"] if finding["rule"] in keep]
    compared = [{key: finding[key] for key in want} for finding, want in zip(findings, wanted)]
    assert len(findings) == len(wanted) and compared == wanted, (findings, wanted)
