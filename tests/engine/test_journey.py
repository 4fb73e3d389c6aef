"""Journey validation: every problem reported at once, naming the event (index, id) and field."""

from __future__ import annotations

from datetime import date

import pytest

from sendrules.engine.errors import InputError
from sendrules.engine.journey import JourneyValidator

CHILD = {"id": "C-1", "date_of_birth": "2015-03-14"}


@pytest.fixture(scope="module")
def validator(library):
    return JourneyValidator(library.resolve("send-ap@1.0.0", date(2025, 1, 1)))


def problems_of(validator, journey):
    with pytest.raises(InputError) as caught:
        validator.validate(journey)
    assert caught.value.code == "invalid_journey"
    return caught.value.problems


def one_problem(validator, event):
    problems = problems_of(validator, {"child": CHILD, "events": [event]})
    assert len(problems) == 1, [p.describe() for p in problems]
    return problems[0]


def test_a_valid_journey_becomes_events(validator):
    journey = validator.validate(
        {
            "child": CHILD,
            "events": [
                {"id": "e1", "type": "assessment_requested", "date": "2025-01-06", "requested_by": "parent"},
                {"id": "e2", "type": "exclusion", "date": "2025-01-07", "category": "permanent"},
                {"id": "e3", "type": "plan_ceased", "date": "2025-01-08", "reason": 5},
                {"id": "e4", "type": "plan_ceased", "date": "2025-01-09", "reason": "5"},
                {"id": "e5", "type": "assessment_requested", "date": "2025-01-10", "requested_by": None},
            ],
        }
    )
    assert [event.id for event in journey.events] == ["e1", "e2", "e3", "e4", "e5"]
    assert journey.events[0].date == date(2025, 1, 6)
    assert journey.events[2].get("reason") == journey.events[3].get("reason") == "5"
    assert journey.events[4].fields == {}, "an explicit null for an optional field means absent"


@pytest.mark.parametrize(
    "event, field, message",
    [
        (
            {"id": "e1", "type": "assesment_requested", "date": "2025-01-06"},
            "type",
            "unknown event type 'assesment_requested'; did you mean 'assessment_requested'?",
        ),
        (
            {"id": "e1", "type": "assessment_decision", "date": "2025-01-06"},
            "outcome",
            "missing field 'outcome'",
        ),
        (
            {"id": "e1", "type": "assessment_decision", "date": "2025-01-06", "outcome": "asses"},
            "outcome",
            None,
        ),
        (
            {"id": "e1", "type": "assessment_requested", "date": "2025-01-06", "colour": "red"},
            "colour",
            "unknown field 'colour'",
        ),
        ({"id": "e1", "type": "assessment_requested", "date": "2025-02-30"}, "date", None),
        ({"id": "e1", "type": "assessment_requested", "date": "2025-2-3"}, "date", None),
        ({"id": "e1", "type": "assessment_requested", "date": "06/01/2025"}, "date", None),
        ({"id": "e1", "type": "assessment_requested", "date": 20250106}, "date", None),
        ({"id": "e1", "type": "assessment_requested", "date": "2025-01-06T10:00:00"}, "date", None),
        ({"id": "e1", "type": "assessment_requested", "date": "1899-12-31"}, "date", None),
        ({"id": "e1", "type": "assessment_requested"}, "date", "missing field 'date'"),
        ({"id": "e1", "date": "2025-01-06"}, "type", "missing field 'type'"),
        ({"type": "assessment_requested", "date": "2025-01-06"}, "id", "missing field 'id'"),
        ({"id": "", "type": "assessment_requested", "date": "2025-01-06"}, "id", None),
        (
            {"id": "e1", "type": "exclusion", "date": "2025-01-06", "category": "suspension"},
            "school_days",
            "missing field 'school_days' (required when category is 'suspension')",
        ),
        (
            {
                "id": "e1",
                "type": "exclusion",
                "date": "2025-01-06",
                "category": "suspension",
                "school_days": 0,
            },
            "school_days",
            None,
        ),
        (
            {
                "id": "e1",
                "type": "exclusion",
                "date": "2025-01-06",
                "category": "suspension",
                "school_days": "6",
            },
            "school_days",
            None,
        ),
        (
            {
                "id": "e1",
                "type": "exclusion",
                "date": "2025-01-06",
                "category": "suspension",
                "school_days": True,
            },
            "school_days",
            None,
        ),
        ({"id": "e1", "type": "plan_ceased", "date": "2025-01-06", "reason": 10}, "reason", None),
        (
            {"id": "e1", "type": "needs_identified", "date": "2025-01-06", "primary_need": "ASD", "level": 5},
            "level",
            None,
        ),
        (
            {
                "id": "e1",
                "type": "phase_transfer_scheduled",
                "date": "2025-01-06",
                "kind": "school",
                "transfer_date": "next september",
            },
            "transfer_date",
            None,
        ),
    ],
)
def test_each_kind_of_bad_event_names_the_event_and_field(validator, event, field, message):
    problem = one_problem(validator, event)
    assert problem.event_index == 0
    assert problem.field == field
    assert problem.location == f"journey.events[0].{field}"
    if "id" in event and isinstance(event["id"], str) and event["id"]:
        assert problem.event_id == event["id"]
    if message:
        assert problem.message == message
    described = problem.describe()
    assert described.startswith("event 0") and f"field {field!r}" in described


def test_an_enum_problem_says_what_was_expected(validator):
    problem = one_problem(
        validator, {"id": "e7", "type": "assessment_decision", "date": "2025-01-06", "outcome": "asses"}
    )
    assert problem.expected == "one of: assess, not_assess"
    assert problem.describe().startswith("event 0 (id 'e7'), field 'outcome': ")


def test_duplicate_ids_and_dangling_references(validator):
    problems = problems_of(
        validator,
        {
            "child": CHILD,
            "events": [
                {"id": "e1", "type": "advice_requested", "date": "2025-01-06", "advice": "medical"},
                {"id": "e1", "type": "assessment_requested", "date": "2025-01-07"},
                {
                    "id": "e3",
                    "type": "advice_received",
                    "date": "2025-01-08",
                    "advice": "medical",
                    "in_response_to": "e9",
                },
                {"id": "e4", "type": "review_meeting", "date": "2025-01-08"},
                {"id": "e5", "type": "review_report_sent", "date": "2025-01-09", "in_response_to": "e3"},
            ],
        },
    )
    found = {(p.event_index, p.field): p for p in problems}
    assert set(found) == {(1, "id"), (2, "in_response_to"), (4, "in_response_to")}
    assert "also used by event 0" in found[(1, "id")].message
    assert found[(2, "in_response_to")].message == "'e9' names no event in this journey"
    assert (
        found[(4, "in_response_to")].message == "'e3' is a advice_received event, not a review_meeting event"
    )


def test_every_problem_is_reported_together(validator):
    problems = problems_of(
        validator,
        {
            "child": {"id": "C-1"},
            "events": [
                {"id": "e1", "type": "assessment_decision", "date": "2025-01-06"},
                {"id": "e2", "type": "nonsense", "date": "2025-01-06"},
                {"id": "e3", "type": "exclusion", "date": "2025-13-01", "category": "expelled"},
            ],
        },
    )
    assert sorted(p.location for p in problems) == [
        "journey.child.date_of_birth",
        "journey.events[0].outcome",
        "journey.events[1].type",
        "journey.events[2].category",
        "journey.events[2].date",
    ]


@pytest.mark.parametrize(
    "journey, location",
    [
        ([], "journey"),
        ({"events": []}, "journey.child"),
        ({"child": CHILD}, "journey.events"),
        ({"child": CHILD, "events": {}}, "journey.events"),
        ({"child": CHILD, "events": ["e1"]}, "journey.events[0]"),
        ({"child": CHILD, "events": [], "notes": "x"}, "journey.notes"),
        ({"child": {**CHILD, "name": "Alice"}, "events": []}, "journey.child.name"),
        ({"child": {**CHILD, "local_authority": "Camden"}, "events": []}, "journey.child.local_authority"),
        ({"child": {**CHILD, "id": "has spaces"}, "events": []}, "journey.child.id"),
    ],
)
def test_malformed_journeys(validator, journey, location):
    problems = problems_of(validator, journey)
    assert [p.location for p in problems] == [location]


def test_an_empty_journey_is_valid(validator):
    assert validator.validate({"child": CHILD, "events": []}).events == ()


@pytest.mark.parametrize("code", ["E09000033", "202"])
def test_local_authority_codes(validator, code):
    journey = validator.validate({"child": {**CHILD, "local_authority": code}, "events": []})
    assert journey.child.local_authority == code


def test_dates_read_once_are_read_the_same_way_again():
    """Dates are remembered by their text (a cohort repeats them); a refusal is not remembered."""
    from sendrules.engine.journey import parse_iso_date

    for _ in range(2):
        assert parse_iso_date("2024-02-29") == date(2024, 2, 29)
        for text, message in (("2023-02-29", "not a real date"), ("2024-2-29", "YYYY-MM-DD")):
            with pytest.raises(ValueError, match=message):
                parse_iso_date(text)
