"""Rules language 2 decided end to end, on both backends, with the test pack
tests/conformance/language2/standards/lang-test/1.0.0 (not a shipped standard).

The pack holds each counting rule twice, once "of" its start (``of.<unit>``) and once
"beginning with" it (``bw.<unit>``), and two dated rules (``dated.closed`` in force from
5 January 2015 until 18 August 2024, ``dated.open`` from 19 August 2024). Expected dates were
worked out by hand (tests/engine/test_calendar_beginning_with.py lists the bank holidays).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from sendrules.engine.library import StandardsLibrary
from sendrules.engine.request import parse_request
from sendrules.engine.service import DecisionService

STANDARDS = Path(__file__).parent / "language2" / "standards"
BACKENDS = ["reference", "rete"]


@pytest.fixture(scope="module")
def service() -> DecisionService:
    return DecisionService(StandardsLibrary(STANDARDS))


def decide(service, backend, events, as_of="2026-01-01", closures=()):
    request = {
        "as_of": as_of,
        "standards": "lang-test@1.0.0",
        "journey": {
            "child": {"id": "C-1", "date_of_birth": "2012-01-01"},
            "events": [_event(*event) for event in events],
        },
    }
    if closures:
        request["school_closures"] = [{"from": start, "to": end} for start, end in closures]
    return service.decide(parse_request(request), backend=backend)


def _event(event_id, kind, day, fields=None):
    return {"id": event_id, "type": kind, "date": day, **(fields or {})}


def by_rule(decision):
    return {finding.rule: finding for finding in decision.findings}


@pytest.mark.parametrize("backend", BACKENDS)
def test_beginning_with_ends_one_day_of_its_kind_before_of(service, backend):
    """Started on Wednesday 5 March 2025, a working day and a school day."""
    findings = by_rule(decide(service, backend, [("s1", "started", "2025-03-05")]))
    due = {rule: finding.due for rule, finding in findings.items()}
    assert due["bw.working_days"] == date(2025, 3, 25) and due["of.working_days"] == date(2025, 3, 26)
    assert due["bw.school_days"] == date(2025, 3, 11) and due["of.school_days"] == date(2025, 3, 12)
    assert due["bw.days"] == date(2025, 3, 19) and due["of.days"] == date(2025, 3, 20)
    assert due["bw.weeks"] == date(2025, 3, 18) and due["of.weeks"] == date(2025, 3, 19)
    assert due["bw.months"] == date(2025, 4, 4) and due["of.months"] == date(2025, 4, 5)


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize(
    "done, beginning_with, of",
    [
        ("2025-03-24", "met", "met"),  # N-1 working days beginning with the start
        ("2025-03-25", "met", "met"),  # the 15th working day beginning with it: the last day
        ("2025-03-26", "late", "met"),  # one working day more: late, though in time "of" it
        ("2025-03-27", "late", "late"),
    ],
)
def test_the_last_day_of_fifteen_working_days_beginning_with_the_start(
    service, backend, done, beginning_with, of
):
    findings = by_rule(decide(service, backend, [("s1", "started", "2025-03-05"), ("d1", "done", done)]))
    assert (findings["bw.working_days"].status, findings["of.working_days"].status) == (beginning_with, of)
    assert findings["bw.working_days"].satisfied_by == "d1"


@pytest.mark.parametrize("backend", BACKENDS)
def test_beginning_with_over_bank_holidays(service, backend):
    """Thursday 17 April 2025 is day 1; Good Friday, Easter Monday and 5 May do not count:
    17 (1), 22-25 (5), 28 April-2 May (10), 6-9 May (14), 12 May (15)."""
    findings = by_rule(decide(service, backend, [("s1", "started", "2025-04-17")]))
    assert findings["bw.working_days"].due == date(2025, 5, 12)
    assert findings["of.working_days"].due == date(2025, 5, 13)


@pytest.mark.parametrize("backend", BACKENDS)
def test_beginning_with_a_bank_holiday_counts_from_the_next_working_day(service, backend):
    """Good Friday is not a working day, so both readings count from Tuesday 22 April."""
    findings = by_rule(decide(service, backend, [("s1", "started", "2025-04-18")]))
    assert findings["bw.working_days"].due == findings["of.working_days"].due == date(2025, 5, 13)


@pytest.mark.parametrize("backend", BACKENDS)
def test_beginning_with_school_days_skips_the_closures_given(service, backend):
    """Friday 14 February 2025 is day 1; half term (17-21 February) is closed: 24, 25, 26, 27."""
    decision = decide(
        service, backend, [("s1", "started", "2025-02-14")], closures=[("2025-02-17", "2025-02-21")]
    )
    findings = by_rule(decision)
    assert findings["bw.school_days"].due == date(2025, 2, 27)
    assert findings["of.school_days"].due == date(2025, 2, 28)


@pytest.mark.parametrize("backend", BACKENDS)
def test_the_explanation_says_which_reading_was_used(service, backend):
    findings = by_rule(decide(service, backend, [("s1", "started", "2025-03-05")]))
    assert "15 working days beginning with started s1 on 2025-03-05" in findings["bw.working_days"].message
    assert "15 working days after started s1 on 2025-03-05" in findings["of.working_days"].message


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize(
    "move_date, due",
    [
        ("2025-03-10", date(2025, 3, 25)),  # the 15th working day beginning with 5 March is later
        ("2025-04-01", date(2025, 4, 1)),  # the move is later
    ],
)
def test_beginning_with_inside_the_later_of(service, backend, move_date, due):
    """reg 15(2)'s shape: by the move, or 15 working days beginning with awareness if later."""
    decision = decide(service, backend, [("m1", "moved", "2025-03-05", {"move_date": move_date})])
    finding = by_rule(decision)["nested.transfer"]
    assert finding.due == due
    assert "15 working days beginning with moved m1 on 2025-03-05" in finding.message


# --- in force from / until -------------------------------------------------------------------


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize(
    "trigger, dated_rules",
    [
        ("2015-01-04", set()),  # the day before the closed rule comes into force
        ("2015-01-05", {"dated.closed"}),  # its first day
        ("2024-08-18", {"dated.closed"}),  # its last day
        ("2024-08-19", {"dated.open"}),  # the day after: only the open-ended rule
        ("2030-06-03", {"dated.open"}),
    ],
)
def test_a_dated_rule_applies_only_to_triggers_in_its_dates(service, backend, trigger, dated_rules):
    decision = decide(service, backend, [("s1", "started", trigger)], as_of="2031-01-01")
    rules = {finding.rule for finding in decision.findings}
    assert rules & {"dated.closed", "dated.open"} == dated_rules
    assert "of.days" in rules  # undated rules apply whatever the date


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_duty_that_arose_while_the_rule_was_in_force_is_still_judged_after_it_ends(service, backend):
    """The in-force dates select triggers; a decision made later still judges that duty."""
    decision = decide(
        service, backend, [("s1", "started", "2024-08-10"), ("d1", "done", "2024-08-30")], as_of="2025-06-01"
    )
    finding = by_rule(decision)["dated.closed"]
    assert (finding.status, finding.due, finding.satisfied_by) == ("late", date(2024, 8, 25), "d1")


@pytest.mark.parametrize("backend", BACKENDS)
def test_only_triggers_in_force_raise_findings_in_a_journey_with_several(service, backend):
    events = [("a", "started", "2014-12-01"), ("b", "started", "2020-03-02"), ("c", "started", "2025-03-03")]
    decision = decide(service, backend, events, as_of="2026-01-01")
    dated = sorted(
        (finding.rule, finding.trigger) for finding in decision.findings if finding.rule.startswith("dated.")
    )
    assert dated == [("dated.closed", "b"), ("dated.open", "c")]


def test_both_backends_agree_on_every_finding(service):
    events = [
        ("a", "started", "2015-01-05"),
        ("d1", "done", "2015-01-26"),
        ("b", "started", "2024-08-19"),
        ("c", "started", "2025-04-17"),
        ("d2", "done", "2025-05-12"),
    ]
    reference = decide(service, "reference", events).to_dict()
    rete = decide(service, "rete", events).to_dict()
    assert reference["findings"] == rete["findings"]
    assert reference["summary"] == rete["summary"]
