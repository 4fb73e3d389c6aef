"""Absences that add up (rules language 4, engine/episodes.py ``absences_reaching``): the one
function both backends call for ``reaching school day N of absences from START to END in the
school year as NAME``. Dates counted by hand (weekdays that are not bank holidays, no term
dates): 8 September 2025 and 6 October 2025 are Mondays; there is no bank holiday from
September to November 2025."""

from __future__ import annotations

from datetime import date

import pytest

from sendrules.dsl import ir
from sendrules.engine.calendar import Calendar, ClosureRange
from sendrules.engine.episodes import absences, absences_reaching, find_absences_reaching, response_in_spell
from sendrules.engine.journey import Event

CALENDAR = Calendar()
AS_OF = date(2025, 12, 1)


def _events(*items: tuple[str, ...]) -> tuple[list[Event], list[Event]]:
    """Start and end events (type "start" or "end", id, ISO date, and for an end optionally the
    start it names in ``in_response_to``), numbered in input order and sorted by (date, input
    order) as both backends list them."""
    events = [
        Event(event_id, kind, date.fromisoformat(day), index, {"in_response_to": names[0]} if names else {})
        for index, (kind, event_id, day, *names) in enumerate(items)
    ]
    ordered = sorted(events, key=lambda event: (event.date, event.index))
    return [e for e in ordered if e.type == "start"], [e for e in ordered if e.type == "end"]


def _reached(items, nth=15, as_of=AS_OF, calendar=CALENDAR) -> dict[str, tuple[str, int]]:
    """Each reaching, as start event id -> (the day reached, ISO; the school days counted)."""
    starts, ends = _events(*items)
    found = absences_reaching(starts, ends, nth, as_of, calendar)
    return {
        reached.trigger.id: (reached.day.isoformat(), sum(days for _, days in reached.counted))
        for reached in found.values()
    }


# Three absences of 5 school days: 8-12 Sep (1-5), 6-10 Oct (6-10), 10-14 Nov (11-15).
THREE = [
    ("start", "h1", "2025-09-08"),
    ("end", "e1", "2025-09-15"),
    ("start", "h2", "2025-10-06"),
    ("end", "e2", "2025-10-13"),
    ("start", "h3", "2025-11-10"),
    ("end", "e3", "2025-11-17"),
]


@pytest.mark.parametrize(
    ("nth", "expected"),
    [
        (14, {"h3": ("2025-11-13", 14)}),  # N-1: Thursday 13 November
        (15, {"h3": ("2025-11-14", 15)}),  # N: Friday 14 November, the last day of absence
        (16, {}),  # N+1: the child is back on Monday 17 November; 15 days in all
        (10, {"h2": ("2025-10-10", 10)}),  # the day falls on an earlier absence
        # the first school day of each absence is the first of a spell without a break
        (1, {"h1": ("2025-09-08", 1), "h2": ("2025-10-06", 1), "h3": ("2025-11-10", 1)}),
    ],
)
def test_the_nth_school_day_falls_on_the_absence_that_reaches_it(nth, expected):
    assert _reached(THREE, nth) == expected


def test_the_day_the_child_is_back_is_not_a_day_of_absence():
    # back on Friday 14 November: 10-13 November, 14 school days in all
    items = THREE[:-1] + [("end", "e3", "2025-11-14")]
    assert _reached(items) == {}
    assert _reached(items, nth=14) == {"h3": ("2025-11-13", 14)}


def test_an_open_absence_counts_up_to_as_of():
    items = THREE[:-1]  # h3 not ended
    assert _reached(items, as_of=date(2025, 11, 13)) == {}  # 14 school days by Thursday
    assert _reached(items, as_of=date(2025, 11, 14)) == {"h3": ("2025-11-14", 15)}
    assert _reached(items, as_of=date(2025, 11, 15)) == {"h3": ("2025-11-14", 15)}  # a Saturday


def test_absences_count_in_the_school_year_of_each_day():
    # 7-11 July 2025 (5, school year 2024/25) and 8-19 September 2025 (10, 2025/26): 15 in all,
    # but neither school year reaches 15
    items = [
        ("start", "h1", "2025-07-07"),
        ("end", "e1", "2025-07-14"),
        ("start", "h2", "2025-09-08"),
        ("end", "e2", "2025-09-22"),
    ]
    assert _reached(items) == {}
    # 5 more in October (6-10 Oct) bring 2025/26 to 15, on Friday 10 October
    assert _reached(items + [("start", "h3", "2025-10-06"), ("end", "e3", "2025-10-13")]) == {
        "h3": ("2025-10-10", 15)
    }


def test_an_absence_across_31_august_counts_in_each_school_year_once():
    # from Monday 7 July 2025, back Friday 10 October 2025. 2024/25: 7-11, 14-18, 21-25 July
    # (15th: Friday 25 July). 2025/26 restarts on 1 September: 1-5, 8-12, 15-19 September (15th:
    # Friday 19 September), but h1 has reached it already, and one start event gives one finding
    items = [("start", "h1", "2025-07-07"), ("end", "e1", "2025-10-10")]
    assert _reached(items) == {"h1": ("2025-07-25", 15)}
    # another absence recorded from Monday 8 September, while h1 is still open, shares its days
    # (counted once, for h1, the earlier): still no second finding
    assert _reached(items + [("start", "h2", "2025-09-08")]) == {"h1": ("2025-07-25", 15)}


def test_overlapping_and_duplicate_absences_count_each_school_day_once():
    # h1 and h2 both from Monday 8 September, h3 from Wednesday 10, one return on Monday 22:
    # 8-12, 15-19 September = 10 school days, not 10 + 10 + 8; then 6-10 October (11-15)
    items = [
        ("start", "h1", "2025-09-08"),
        ("start", "h2", "2025-09-08"),
        ("start", "h3", "2025-09-10"),
        ("end", "e1", "2025-09-22"),
        ("start", "h4", "2025-10-06"),
        ("end", "e2", "2025-10-13"),
    ]
    assert _reached(items) == {"h4": ("2025-10-10", 15)}
    # the tenth day (Friday 19 September) falls on the first of the duplicates in input order
    assert _reached(items, nth=10) == {"h1": ("2025-09-19", 10)}
    starts, ends = _events(*items)
    assert [
        (a.start.id, a.end.id if a.end else None, a.last.isoformat()) for a in absences(starts, ends, AS_OF)
    ] == [
        ("h1", "e1", "2025-09-21"),
        ("h2", "e1", "2025-09-21"),
        ("h3", "e1", "2025-09-21"),
        ("h4", "e2", "2025-10-12"),
    ]


def test_an_end_ends_only_the_absence_it_names():
    # Monday 1 September 2025: h1 1-5 Sep (back Monday 8), h2 from Friday 5 (back Friday 12),
    # each end naming its own absence: 1-5 Sep (5; the 5th shared, counted once), 8-11 Sep (6-9),
    # then h3 open from Monday 15: 15-19 (10-14), Monday 22 September is the 15th
    items = [
        ("start", "h1", "2025-09-01"),
        ("start", "h2", "2025-09-05"),
        ("end", "e1", "2025-09-08", "h1"),
        ("end", "e2", "2025-09-12", "h2"),
        ("start", "h3", "2025-09-15"),
    ]
    assert _reached(items) == {"h3": ("2025-09-22", 15)}
    assert _reached(items, nth=14) == {"h3": ("2025-09-19", 14)}  # N-1
    assert _reached(items, nth=16) == {"h3": ("2025-09-23", 16)}  # N+1
    starts, ends = _events(*items)
    assert [(a.start.id, a.end.id if a.end else None) for a in absences(starts, ends, AS_OF)] == [
        ("h1", "e1"),
        ("h2", "e2"),  # not e1, which names h1
        ("h3", None),
    ]
    # an end naming no absence means the child is back: it ends every absence open on its date
    unnamed = [("start", "h1", "2025-09-01"), ("start", "h2", "2025-09-05"), ("end", "e1", "2025-09-08")]
    starts, ends = _events(*unnamed)
    assert [(a.start.id, a.end.id if a.end else None) for a in absences(starts, ends, AS_OF)] == [
        ("h1", "e1"),
        ("h2", "e1"),
    ]
    # an end that names the absence but comes after an unnamed one: the earlier end ends it
    both = unnamed + [("end", "e2", "2025-09-12", "h2")]
    starts, ends = _events(*both)
    assert [a.end.id for a in absences(starts, ends, AS_OF) if a.end] == ["e1", "e1"]


@pytest.mark.parametrize(
    ("nth", "expected"),
    [
        (14, ("2026-09-11", 14)),  # N-1: Friday 11 September
        (15, ("2026-09-14", 15)),  # N: Monday 14 September
        (16, ("2026-09-15", 16)),  # N+1
    ],
)
def test_an_unbroken_absence_across_31_august_is_counted_straight_on(nth, expected):
    # from Monday 24 August 2026, not ended; Monday 31 August 2026 is the summer bank holiday:
    # 24-28 Aug (1-5, school year 2025/26), 1-4 Sep (6-9), 7-11 Sep (10-14), 14 Sep (15). The
    # school year 2026/27's own total would reach 15 only on Monday 21 September.
    items = [("start", "h1", "2026-08-24")]
    assert _reached(items, nth=nth, as_of=date(2026, 12, 1)) == {"h1": expected}
    [reached] = absences_reaching(*_events(*items), nth, date(2026, 12, 1), CALENDAR).values()
    assert reached.unbroken and reached.marker().type == f"school day {nth} of a spell of absence"
    assert reached.describe() == (
        f"absent without a break, start h1 on 2026-08-24 ({nth} school days counted, not ended) "
        f"reached school day {nth} of absence on {expected[0]}"
    )


def test_after_31_august_only_an_unbroken_absence_counts_its_august_days():
    # h2 from Tuesday 1 September 2026 shares h1's days (counted once, for h1): h1's unbroken
    # 15th school day, Monday 14 September, comes before 2026/27's total reaches 15 (21 September)
    items = [("start", "h1", "2026-08-24"), ("start", "h2", "2026-09-01")]
    assert _reached(items, as_of=date(2026, 12, 1)) == {"h1": ("2026-09-14", 15)}
    # h1 back on Tuesday 1 September (24-28 August: 5 days of 2025/26) is not unbroken across
    # 31 August: 2026/27 counts h2 (2-4, 7-11, 14-18 September, 13 days, back Monday 21) and h3
    # from Tuesday 22 September (14), whose second day, Wednesday 23 September, is the 15th
    items = [
        ("start", "h1", "2026-08-24"),
        ("end", "e1", "2026-09-01", "h1"),
        ("start", "h2", "2026-09-02"),
        ("end", "e2", "2026-09-21", "h2"),
        ("start", "h3", "2026-09-22"),
    ]
    assert _reached(items, as_of=date(2026, 12, 1)) == {"h3": ("2026-09-23", 15)}


def test_each_long_absence_brings_the_duty_not_only_the_first_of_the_school_year():
    # h1 from Monday 1 September 2025, back Monday 29 September: its 15th school day is Friday
    # 19 September (the school year's 15th too). h2 from Monday 5 January 2026, open: 5-9, 12-16,
    # 19-23 January, its own 15th on Friday 23 January, although 2025/26 passed 15 in September
    items = [
        ("start", "h1", "2025-09-01"),
        ("end", "e1", "2025-09-29", "h1"),
        ("start", "h2", "2026-01-05"),
    ]
    assert _reached(items, as_of=date(2026, 3, 1)) == {"h1": ("2025-09-19", 15), "h2": ("2026-01-23", 15)}


def test_an_absence_that_reached_15_in_one_school_year_leaves_the_next_to_later_absences():
    # h1 from Wednesday 1 July 2026 to Wednesday 30 September (back 1 October): 1-3, 6-10, 13-17,
    # 20-21 July, the 15th on Tuesday 21 July 2026. 2026/27's total reaches 15 in September on h1,
    # which has its duty already; h2 from Monday 5 October, open, reaches its own 15th on Friday
    # 23 October
    items = [
        ("start", "h1", "2026-07-01"),
        ("end", "e1", "2026-10-01", "h1"),
        ("start", "h2", "2026-10-05"),
    ]
    assert _reached(items, as_of=date(2026, 12, 1)) == {"h1": ("2026-07-21", 15), "h2": ("2026-10-23", 15)}


def test_a_spell_across_31_august_and_the_new_school_years_total_each_bring_the_duty():
    # h1 from Monday 17 August 2026, back Tuesday 8 September: 17-21, 24-28 August (10; Monday 31
    # August a bank holiday), 1-4 September (14), Monday 7 September its 15th. 2026/27's total:
    # h1's 1-4 and 7 September (5), h2 from Monday 14 September: 14-18 (10), 21-25 (15) -> Friday
    # 25 September, on h2 (whose own 15th would be Friday 2 October)
    items = [
        ("start", "h1", "2026-08-17"),
        ("end", "e1", "2026-09-08", "h1"),
        ("start", "h2", "2026-09-14"),
    ]
    assert _reached(items, as_of=date(2026, 11, 1)) == {"h1": ("2026-09-07", 15), "h2": ("2026-09-25", 15)}


def test_an_absence_recorded_again_from_the_next_school_day_continues_the_spell():
    # h1 from Monday 24 August 2026 "back" on Tuesday 1 September and h2 from that same day: no
    # school day between them on which the child was at school (31 August a bank holiday), so
    # one spell: 24-28 August (5, h1), 1-4, 7-11 September (14), Monday 14 September (15, on h2)
    items = [
        ("start", "h1", "2026-08-24"),
        ("end", "e1", "2026-09-01", "h1"),
        ("start", "h2", "2026-09-01"),
    ]
    assert _reached(items, as_of=date(2026, 12, 1)) == {"h2": ("2026-09-14", 15)}
    [reached] = absences_reaching(*_events(*items), 15, date(2026, 12, 1), CALENDAR).values()
    assert [(absence.start.id, days) for absence, days in reached.counted] == [("h1", 5), ("h2", 10)]
    # back over a weekend and a bank holiday, absent again on the next school day: one spell too.
    # h1 from Monday 17 August 2026, back Saturday 29 August (17-21, 24-28 August: 10), h2 from
    # Tuesday 1 September: 1-4 (14), Monday 7 September (15), not 2026/27's 15th (21 September)
    weekend = [
        ("start", "h1", "2026-08-17"),
        ("end", "e1", "2026-08-29", "h1"),
        ("start", "h2", "2026-09-01"),
    ]
    assert _reached(weekend, as_of=date(2026, 12, 1)) == {"h2": ("2026-09-07", 15)}
    # one school day at school between them (back Monday 15, absent again Tuesday 16) breaks the
    # spell: the school year's total still reaches 10 on Monday 22 September, on h2
    broken = [
        ("start", "h1", "2025-09-08"),
        ("end", "e1", "2025-09-15", "h1"),
        ("start", "h2", "2025-09-16"),
    ]
    assert _reached(broken, nth=10) == {"h2": ("2025-09-22", 10)}
    [reached] = absences_reaching(*_events(*broken), 10, AS_OF, CALENDAR).values()
    assert not reached.unbroken


def test_a_return_naming_no_absence_ends_only_absences_that_began_before_it():
    # back on Monday 9 March 2026 (naming none) and absent again from that day: h2 is not ended
    items = [("start", "h1", "2026-03-02"), ("end", "e1", "2026-03-09"), ("start", "h2", "2026-03-09")]
    starts, ends = _events(*items)
    assert [(a.start.id, a.end.id if a.end else None) for a in absences(starts, ends, AS_OF)] == [
        ("h1", "e1"),
        ("h2", None),
    ]
    # one naming h2 on its first day ends it with no days
    named = [("start", "h2", "2026-03-09"), ("end", "e2", "2026-03-09", "h2")]
    starts, ends = _events(*named)
    [absence] = absences(starts, ends, AS_OF)
    assert absence.end is not None and absence.last == date(2026, 3, 8)


def test_a_response_to_any_absence_of_the_spell_is_a_response_to_the_trigger():
    # h2 from Wednesday 7 January 2026 back Monday 12, h3 from Monday 12 back Monday 19, h4 from
    # Monday 19 (one spell: 3 + 5 + 7 = the 15th on Tuesday 27 January, on h4); education p1 for
    # h2 from Thursday 8 January is education for the spell
    items = [
        ("start", "h2", "2026-01-07"),
        ("end", "e2", "2026-01-12", "h2"),
        ("start", "h3", "2026-01-12"),
        ("end", "e3", "2026-01-19", "h3"),
        ("start", "h4", "2026-01-19"),
    ]
    starts, ends = _events(*items)
    [reached] = absences_reaching(starts, ends, 15, date(2026, 3, 1), CALENDAR).values()
    assert (reached.trigger.id, reached.day) == ("h4", date(2026, 1, 27))
    assert [start.id for start in reached.spell] == ["h2", "h3", "h4"]
    education = [Event("p1", "provision", date(2026, 1, 8), 9, {"in_response_to": "h2"})]
    assert response_in_spell(reached, education, "in_response_to") is education[0]
    # education for an absence of another spell is not
    other = [Event("p0", "provision", date(2025, 12, 1), 9, {"in_response_to": "h0"})]
    assert response_in_spell(reached, other, "in_response_to") is None


def test_school_closures_are_not_days_of_absence():
    # open from Monday 20 October; half term closed 27-31 October: 20-24 Oct (1-5), 3-7 Nov
    # (6-10), 10-14 Nov (11-15) -> Friday 14 November; without the closure, Friday 7 November
    items = [("start", "h1", "2025-10-20")]
    closed = Calendar([ClosureRange(date(2025, 10, 27), date(2025, 10, 31))])
    assert _reached(items, calendar=closed) == {"h1": ("2025-11-14", 15)}
    assert _reached(items) == {"h1": ("2025-11-07", 15)}


def test_an_absence_starting_on_a_weekend_counts_from_its_first_school_day():
    # from Saturday 6 September 2025, back Monday 29 September: 8-12, 15-19, 22-26 (15th: 26th)
    items = [("start", "h1", "2025-09-06"), ("end", "e1", "2025-09-29")]
    assert _reached(items) == {"h1": ("2025-09-26", 15)}


def test_find_absences_reaching_answers_only_for_the_trigger_that_reaches_and_remembers():
    clause = ir.AbsencesReaching("start", "end", "fifteenth_day", ir.FixedAmount(15))
    starts, ends = _events(*THREE)
    memo: dict[object, object] = {}
    answers = {
        start.id: find_absences_reaching(clause, start, starts, ends, 15, AS_OF, CALENDAR, memo)
        for start in starts
    }
    assert answers["h1"] is None and answers["h2"] is None
    reached = answers["h3"]
    assert reached is not None and reached.day == date(2025, 11, 14)
    assert [(absence.start.id, days) for absence, days in reached.counted] == [
        ("h1", 5),
        ("h2", 5),
        ("h3", 5),
    ]
    marker = reached.marker()
    assert marker.date == date(2025, 11, 14) and marker.index == reached.trigger.index
    assert marker.type == "school day 15 of absence in 2025/26"
    assert reached.describe().startswith("in the school year 2025/26, start h1 on 2025-09-08 (5 school days")
    assert reached.describe().endswith("added up to school day 15 of absence on 2025-11-14")
    assert len(memo) == 1  # the journey's absences were counted once for the three triggers


# --- through the decision service, send-ap 1.5.0's health.education_provision --------------


def _health_request(events, as_of="2025-12-01"):
    from sendrules.engine.request import parse_request

    return parse_request(
        {
            "as_of": as_of,
            "standards": "send-ap@1.5.0",
            "journey": {"child": {"id": "C-1", "date_of_birth": "2014-05-20"}, "events": events},
        }
    )


THREE_EVENTS = [
    {"id": "h1", "type": "health_absence_started", "date": "2025-09-08"},
    {"id": "e1", "type": "health_absence_ended", "date": "2025-09-15", "in_response_to": "h1"},
    {"id": "h2", "type": "health_absence_started", "date": "2025-10-06"},
    {"id": "e2", "type": "health_absence_ended", "date": "2025-10-13", "in_response_to": "h2"},
    {"id": "h3", "type": "health_absence_started", "date": "2025-11-10"},
    {"id": "e3", "type": "health_absence_ended", "date": "2025-11-17", "in_response_to": "h3"},
]


def test_both_backends_give_the_same_finding_and_message_and_explain_the_other_absences(service):
    request = _health_request(THREE_EVENTS)
    found = [
        [
            f.to_dict()
            for f in service.decide(request, backend=backend).findings
            if f.rule == "health.education_provision"
        ]
        for backend in ("reference", "rete")
    ]
    assert found[0] == found[1]
    [finding] = found[0]
    assert (finding["trigger"], finding["status"], finding["due"]) == ("h3", "overdue", "2025-11-14")
    assert (
        "health_absence_started h3 on 2025-11-10 (5 school days counted, ended by health_absence_ended e3 on "
        "2025-11-17) added up to school day 15 of absence on 2025-11-14" in finding["message"]
    )
    explanation = service.explain(request, "health.education_provision").to_dict()
    outcomes = {trigger["event"]: trigger["outcome"] for trigger in explanation["triggers"]}
    assert outcomes == {"h1": "absences", "h2": "absences", "h3": "finding"}
    because = next(t["because"] for t in explanation["triggers"] if t["event"] == "h1")
    assert "the school day the rule counts to" in because


@pytest.fixture(scope="module")
def service():
    from sendrules.engine.library import StandardsLibrary
    from sendrules.engine.service import DecisionService

    return DecisionService(StandardsLibrary())
