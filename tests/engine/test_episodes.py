"""Episodes (rules language 3, engine/episodes.py): runs of back-to-back exclusions and duty
windows, as send-ap 1.4.0's sixth-day duty uses them, on both backends. Dates counted by hand
(weekdays that are not bank holidays): 6 January 2025 is a Monday."""

from __future__ import annotations

import pytest

from sendrules.engine.library import StandardsLibrary
from sendrules.engine.request import parse_request
from sendrules.engine.service import DecisionService

RULE = "exclusion.sixth_day_provision"


@pytest.fixture(scope="module")
def service():
    return DecisionService(StandardsLibrary())


def _request(events, as_of="2025-02-03"):
    return parse_request(
        {
            "as_of": as_of,
            "standards": "send-ap@1.4.0",
            "journey": {"child": {"id": "C-1", "date_of_birth": "2012-03-14"}, "events": events},
        }
    )


def _suspension(event_id, day, days):
    return {"id": event_id, "type": "exclusion", "date": day, "category": "suspension", "school_days": days}


def _findings(service, request):
    decisions = [service.decide(request, backend=backend) for backend in ("reference", "rete")]
    found = [[f.to_dict() for f in d.findings if f.rule == RULE] for d in decisions]
    assert found[0] == found[1]
    return found[0]


def test_overlapping_suspensions_count_their_days_once(service):
    # 6 Jan for 4 days (6-9) and 8 Jan for 4 days (8, 9, 10, 13): the run is 6-13 January, six
    # school days; the sixth (13 January) falls on the second suspension only
    [finding] = _findings(
        service, _request([_suspension("x1", "2025-01-06", 4), _suspension("x2", "2025-01-08", 4)])
    )
    assert (finding["trigger"], finding["due"], finding["status"]) == ("x2", "2025-01-13", "breached")
    assert "window closed" in finding["message"] and "2025-01-13" in finding["message"]


def test_the_message_names_every_exclusion_of_the_run(service):
    events = [
        _suspension("x1", "2025-02-03", 2),
        _suspension("x2", "2025-02-05", 2),
        _suspension("x3", "2025-02-07", 2),
    ]
    [finding] = _findings(service, _request(events, as_of="2025-02-10"))
    assert finding["trigger"] == "x3" and finding["status"] == "pending"
    message = finding["message"]
    assert (
        "Exclusion x1 on 2025-02-03 (2 school days), exclusion x2 on 2025-02-05 (2 school days) and"
        in message
    )
    assert "school day 6 of the run is 2025-02-10" in message


def test_explain_says_a_run_stopped_the_first_suspension(service):
    request = _request([_suspension("x1", "2025-01-06", 3), _suspension("x2", "2025-01-09", 3)])
    triggers = {t["event"]: t for t in service.explain(request, RULE).to_dict()["triggers"]}
    assert triggers["x1"]["outcome"] == "run"
    assert "run of back-to-back exclusion events" in triggers["x1"]["because"]
    assert triggers["x2"]["outcome"] == "finding"


def test_a_run_posted_one_event_at_a_time_decides_as_the_whole_journey(service):
    """A Rete session (events posted one by one, the second before the first) gives the
    one-shot decision: runs are found when deciding, from every event posted."""
    from sendrules.engine.rete import ReteEngine

    request = _request([_suspension("x1", "2025-01-06", 3), _suspension("x2", "2025-01-09", 3)])
    prepared = service.prepared(service.library.resolve("send-ap@1.4.0", request.as_of))
    engine = ReteEngine()
    one_shot = service.decide(request).to_dict()
    from sendrules.engine.calendar import Calendar

    with engine.session(
        prepared, {"id": "C-1", "date_of_birth": "2012-03-14"}, request.as_of, Calendar()
    ) as session:
        session.post(_suspension("x2", "2025-01-09", 3))
        session.post(_suspension("x1", "2025-01-06", 3))
        found = [f.to_dict() for f in session.decision().findings if f.rule == RULE]
    expected = [f for f in one_shot["findings"] if f["rule"] == RULE]
    assert [(f["trigger"], f["status"], f["due"]) for f in found] == [
        (f["trigger"], f["status"], f["due"]) for f in expected
    ]


def test_a_window_closing_a_stated_period_after_an_event():
    """``N UNIT after NAME``: the day ``within N UNIT of NAME`` gives; the earliest part wins."""
    from datetime import date

    from sendrules.dsl import ir
    from sendrules.engine.calendar import Calendar
    from sendrules.engine.deadlines import ParameterReader
    from sendrules.engine.episodes import inside_window, window_closes
    from sendrules.engine.journey import Event

    service = DecisionService(StandardsLibrary())
    prepared = service.prepared(service.library.resolve("send-ap@1.4.0", date(2025, 1, 6)))
    trigger = Event(id="x1", type="exclusion", date=date(2025, 1, 6), index=0, fields={})
    later = Event(id="x2", type="exclusion", date=date(2025, 1, 10), index=1, fields={})
    params = ParameterReader(prepared, trigger.date, "r", "x1")
    # 10 school days after Monday 6 January 2025: 7, 8, 9, 10, 13, 14, 15, 16, 17, 20 -> 20 January
    ten_school_days = ir.CloseAfter(ir.TimeUnit.SCHOOL_DAYS, ir.FixedAmount(10), "exclusion")
    window = ir.Window("exclusion", (ten_school_days,))
    closing = window_closes(window, {"exclusion": trigger}, None, {}, params, Calendar())
    assert closing is not None and closing.day == date(2025, 1, 20)
    assert inside_window(later, closing) is later
    # with "or at the next exclusion", the day before x2 (9 January) closes it first
    window = ir.Window("exclusion", (ten_school_days, ir.CloseAtNext("exclusion")))
    closing = window_closes(
        window, {"exclusion": trigger}, None, {"exclusion": [trigger, later]}, params, Calendar()
    )
    assert closing is not None and closing.day == date(2025, 1, 9)
    assert inside_window(later, closing) is None


def test_the_yearly_cap_names_the_total_it_compared(service):
    """20 + 20 + 5 + 1 school days in 2024/25: the fourth suspension takes the total to 46."""
    request = _request(
        [
            _suspension("x1", "2024-09-09", 20),
            _suspension("x2", "2024-11-04", 20),
            _suspension("x3", "2025-01-13", 5),
            _suspension("x4", "2025-03-03", 1),
        ],
        as_of="2025-04-01",
    )
    decisions = [service.decide(request, backend=backend) for backend in ("reference", "rete")]
    found = [
        [(f.trigger, f.status, f.message) for f in d.findings if f.rule == "exclusion.suspension_yearly_cap"]
        for d in decisions
    ]
    assert found[0] == found[1]
    assert [(trigger, status) for trigger, status, _ in found[0]] == [
        ("x1", "met"),
        ("x2", "met"),
        ("x3", "met"),
        ("x4", "breached"),
    ]
    assert found[0][3][2].endswith(
        "The total school days of exclusion events in the school year 2024/25 up to exclusion x4 on "
        "2025-03-03 was 46 (each with lunchtime = true counted as half)."
    )


def test_the_yearly_cap_names_a_total_that_ends_in_a_half(service):
    """44 school days, then 2 lunchtimes (45), then 1 lunchtime (45.5): breached, and said so."""
    lunchtimes = [
        dict(_suspension("x2", "2025-01-13", 2), lunchtime=True),
        dict(_suspension("x3", "2025-01-20", 1), lunchtime=True),
    ]
    request = _request([_suspension("x1", "2024-09-09", 44), *lunchtimes], as_of="2025-04-01")
    decisions = [service.decide(request, backend=backend) for backend in ("reference", "rete")]
    found = [
        [(f.trigger, f.status, f.message) for f in d.findings if f.rule == "exclusion.suspension_yearly_cap"]
        for d in decisions
    ]
    assert found[0] == found[1]
    assert [(trigger, status) for trigger, status, _ in found[0]] == [
        ("x1", "met"),
        ("x2", "met"),
        ("x3", "breached"),
    ]
    assert found[0][1][2].endswith(
        "up to exclusion x2 on 2025-01-13 was 45 (each with lunchtime = true counted as half)."
    )
    assert found[0][2][2].endswith(
        "up to exclusion x3 on 2025-01-20 was 45.5 (each with lunchtime = true counted as half)."
    )
