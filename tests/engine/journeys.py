"""Hypothesis strategies for journeys, generated from a standard's own vocabulary.

Every event type and field of the vocabulary can occur; dates cluster around a few anchors
with offsets chosen to hit the boundaries of the standard's clocks (due−1, due, due+1 for 2,
4, 6, 8, 14, 16 and 20 weeks, month ends, leap days, bank holidays); events can share a day,
come in any order, and refer to each other. Text fields and ids can be hostile (unicode,
quotes, control characters, very long).
"""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import strategies as st

from sendrules.dsl import ir

ANCHORS = [
    date(2024, 2, 29),
    date(2024, 12, 20),
    date(2025, 1, 6),
    date(2025, 4, 14),
    date(2025, 8, 29),
    date(2026, 3, 31),
    date(2023, 5, 5),
]
OFFSETS = [
    0,
    1,
    2,
    5,
    6,
    7,
    13,
    14,
    15,
    27,
    28,
    29,
    41,
    42,
    43,
    55,
    56,
    57,
    97,
    98,
    99,
    111,
    112,
    113,
    139,
    140,
    141,
    150,
    180,
    181,
    182,
    364,
    365,
    366,
    400,
    -1,
    -30,
    -150,
]
HOSTILE_TEXT = st.one_of(
    st.text(min_size=0, max_size=40),
    st.sampled_from(['"', "'; DROP TABLE decisions; --", "\x00", "\u202e", "$ne", '{"sid": 1}', "a" * 2000]),
)
EVENT_IDS = st.one_of(
    st.from_regex(r"\A[A-Za-z0-9][A-Za-z0-9._:/-]{0,12}\Z"), st.sampled_from(["e1", "E1", "x.y/z:1"])
)


def dates() -> st.SearchStrategy[date]:
    return st.builds(
        lambda anchor, offset: anchor + timedelta(days=offset),
        st.sampled_from(ANCHORS),
        st.sampled_from(OFFSETS),
    )


@st.composite
def journeys(draw, standard: ir.CompiledStandard, max_events: int = 14):
    """(journey as a caseworker system sends it, as_of, school closures)."""
    types = [event_type for event_type in standard.event_types]
    count = draw(st.integers(min_value=0, max_value=max_events))
    events: list[dict] = []
    ids: set[str] = set()
    for _ in range(count):
        event_type = draw(st.sampled_from(types))
        events.extend(_event(draw, standard, event_type, events, ids))
    if draw(st.booleans()):
        events = draw(st.permutations(events))
    dob = draw(
        st.sampled_from(
            [
                date(2009, 9, 1),
                date(2011, 8, 31),
                date(2015, 3, 14),
                date(2020, 2, 29),
                date(2021, 6, 1),
                date(2004, 1, 1),
            ]
        )
    )
    # No event can come before the child's birth (the validator refuses one: docs/semantics.md).
    dob = min([dob] + [date.fromisoformat(event["date"]) for event in events])
    child = {"id": draw(EVENT_IDS), "date_of_birth": dob.isoformat()}
    as_of = draw(dates())
    closures = draw(
        st.lists(
            st.builds(
                lambda start, length: {
                    "from": start.isoformat(),
                    "to": (start + timedelta(days=length)).isoformat(),
                },
                dates(),
                st.integers(0, 20),
            ),
            max_size=2,
        )
    )
    return {"child": child, "events": events}, as_of.isoformat(), closures


def _event(draw, standard, event_type: ir.EventType, events: list[dict], ids: set[str]) -> list[dict]:
    produced = []
    record = {"id": _fresh_id(draw, ids), "type": event_type.name, "date": draw(dates()).isoformat()}
    for name, spec in event_type.fields:
        present = spec.required or draw(st.booleans())
        for other, values in spec.required_when:
            if record.get(other) in values:
                present = True
        if not present:
            continue
        if spec.type == "event_ref":
            targets = [event["id"] for event in events + produced if event["type"] == spec.event_type]
            if targets and draw(st.booleans()):
                record[name] = draw(st.sampled_from(targets))
            else:  # make the event it answers, too
                target = _event(draw, standard, standard.event_type(spec.event_type), events + produced, ids)
                produced.extend(target)
                record[name] = target[-1]["id"]
        else:
            record[name] = draw(_value(spec))
    produced.append(record)
    return produced


def _value(spec: ir.FieldType):
    if spec.type == "enum":
        return st.sampled_from(spec.values)
    if spec.type == "code":
        return st.sampled_from(spec.values)
    if spec.type == "integer":
        low = spec.minimum if spec.minimum is not None else 0
        high = spec.maximum if spec.maximum is not None else 30
        return st.integers(low, high)
    if spec.type == "date":
        return dates().map(date.isoformat)
    if spec.type == "boolean":
        return st.booleans()
    return HOSTILE_TEXT


def _fresh_id(draw, ids: set[str]) -> str:
    while True:
        candidate = draw(EVENT_IDS)
        if candidate not in ids:
            ids.add(candidate)
            return candidate
