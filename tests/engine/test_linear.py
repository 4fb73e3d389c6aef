"""A decision's cost grows linearly with the journey's length (issue 17, "Performance").

Timings never go in tests; what is counted here is how many times the reference evaluator reads
an event's date, which every lookup of the journey index does for each event it looks at. A
lookup that scans a type's whole event list for every trigger reads quadratically many dates;
one that starts at the anchor's date reads a few per trigger.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date, timedelta

import pytest

from sendrules.engine import evaluator
from sendrules.engine.calendar import Calendar
from sendrules.engine.journey import Event, Journey

AS_OF = date(2035, 1, 1)


@dataclass(frozen=True)
class CountingEvent(Event):
    """An event that counts how often its date is read."""

    def __getattribute__(self, name: str):
        if name == "date":
            READS[0] += 1
        return object.__getattribute__(self, name)


READS = [0]


def _journey(service, meetings: int) -> tuple[Journey, object]:
    """A plan, then ``meetings`` review meetings a week apart, each with its report and decision."""
    start = date(2015, 1, 5)
    events = [{"id": "plan", "type": "final_plan_issued", "date": start.isoformat()}]
    for number in range(meetings):
        day = start + timedelta(days=7 * (number + 1))
        events += [
            {"id": f"m{number}", "type": "review_meeting", "date": day.isoformat()},
            {
                "id": f"r{number}",
                "type": "review_report_sent",
                "date": (day + timedelta(days=1)).isoformat(),
                "in_response_to": f"m{number}",
            },
            {
                "id": f"d{number}",
                "type": "review_decision",
                "date": (day + timedelta(days=2)).isoformat(),
                "outcome": "maintain",
                "in_response_to": f"m{number}",
            },
        ]
    prepared = service.prepared(service.library.resolve("send-ap@1.1.0", AS_OF))
    journey = prepared.validator.validate(
        {"child": {"id": "C-1", "date_of_birth": "2008-01-01"}, "events": events}
    )
    counted = [
        CountingEvent(**{f.name: getattr(event, f.name) for f in fields(Event)}) for event in journey.events
    ]
    return Journey(journey.child, tuple(counted)), prepared


def _reads(service, meetings: int) -> tuple[int, int]:
    journey, prepared = _journey(service, meetings)
    READS[0] = 0
    decision = evaluator.evaluate(prepared, journey, AS_OF, Calendar())
    return READS[0], len(decision.findings)


@pytest.mark.parametrize("small, large", [(50, 500)])
def test_ten_times_the_events_cost_about_ten_times_the_lookups(service, small, large):
    small_reads, small_findings = _reads(service, small)
    large_reads, large_findings = _reads(service, large)
    assert large_findings >= 9 * small_findings, "the journeys give findings in proportion"
    # linear: about 10x; scanning every event per trigger (as before) was about 100x
    assert large_reads <= 15 * small_reads, (small_reads, large_reads)


# --- the Rete backend -------------------------------------------------------------------------


def _rete_actions(service, meetings: int, monkeypatch) -> tuple[int, int, object]:
    """How many actions durable-rules ran for the decision (one per match it reported), the
    number of findings, and the decision."""
    from sendrules.engine.rete import ReteEngine

    journey, prepared = _journey(service, meetings)
    engine = ReteEngine()
    counted = [0]
    record, record_pooled = engine._record, engine._record_pooled

    def counting_record(*args):
        counted[0] += 1
        record(*args)

    def counting_record_pooled(*args):
        counted[0] += 1
        record_pooled(*args)

    monkeypatch.setattr(engine, "_record", counting_record)
    monkeypatch.setattr(engine, "_record_pooled", counting_record_pooled)
    decision = engine.evaluate(prepared, journey, AS_OF, Calendar())
    return counted[0], len(decision.findings), decision


def test_the_rete_backend_reports_matches_in_proportion_to_the_events(service, monkeypatch):
    """Before, the network matched every (trigger, candidate) pair of a clause and reported each:
    500 review meetings, each followed by a report and a decision, gave ~100 times the matches of
    50. A candidate tied to its trigger only by dates is now matched alone, once, into a pool."""
    small_actions, small_findings, small = _rete_actions(service, 50, monkeypatch)
    large_actions, large_findings, large = _rete_actions(service, 500, monkeypatch)
    assert large_findings >= 9 * small_findings
    assert large_actions <= 12 * small_actions, (small_actions, large_actions)
    # and the answer is the reference evaluator's
    journey, prepared = _journey(service, 500)
    reference = evaluator.evaluate(prepared, journey, AS_OF, Calendar())
    assert large.findings == reference.findings
