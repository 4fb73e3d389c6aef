"""(rules language 4) ``only if NAME within N UNIT after NAME.FIELD``: made in time.

A duty that exists only for something done in time: SI 2012/1033 reg 16(2), "The local
authority are not to take the steps in paragraph (1) where the relevant person has not applied
for a review within the time limit specified in Schedule 1", and Sch 1 para 2(1), an application
"must be made ... within 15 school days after the day on which the relevant person is given
notice in writing of the responsible body's decision". The rule applies only when the event
NAME is dated on or before the last day of N UNIT counted from the date of the event that NAME's
``event_ref`` field FIELD names, counted as ``within N UNIT of`` counts (that day is day 0:
``engine.deadlines.within_period``).

When the field is absent, or names an event not visible on ``as_of``, the period has not been
shown to start, and the rule applies: the engine never drops a duty on a date it cannot see.

Both backends call ``made_within`` with their own view of the visible events (the reference
evaluator's journey index, the Rete backend's partition), after the trigger has matched: the
count is a date computation, done once, here.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Callable

from sendrules.dsl import ir
from sendrules.engine.calendar import Calendar
from sendrules.engine.deadlines import ParameterReader, within_period
from sendrules.engine.journey import Event

#: Finds a visible event by its id (None when there is none, or it is after ``as_of``).
FindEvent = Callable[[str], Event | None]


@dataclass(frozen=True, slots=True)
class InTime:
    """The outcome of the test: ``applies``; the event the field names (when visible) and the
    last day of the period counted from it."""

    applies: bool
    named: Event | None = None
    last_day: date | None = None
    amount: int | None = None


def made_within(
    clause: ir.MadeWithin,
    bindings: dict[str, Event],
    find: FindEvent,
    params: ParameterReader,
    calendar: Calendar,
) -> InTime:
    """Is the event bound to ``clause.subject`` dated within the period?"""
    subject = bindings[clause.subject]
    target = bindings[clause.reference].get(clause.field)
    named = find(str(target)) if target is not None else None
    if named is None:
        return InTime(True)
    amount = params.amount(clause.amount)
    last_day = within_period(clause.unit, named.date, amount, calendar)
    return InTime(subject.date <= last_day, named, last_day, amount)


def visible_by_id(events: list[Event], as_of: date) -> dict[str, Event]:
    """The events dated on or before ``as_of``, by id."""
    return {event.id: event for event in events if event.date <= as_of}


def describe_out_of_time(clause: ir.MadeWithin, subject: Event, result: InTime) -> str:
    """Why the rule does not apply, in words (``engine.explain``)."""
    assert result.named is not None and result.last_day is not None
    named = result.named
    unit = clause.unit.value.replace("_", " ")
    amount = result.amount
    return (
        f"{subject.type} {subject.id} on {subject.date.isoformat()} was not made within {amount} "
        f"{unit} after {named.type} {named.id} on {named.date.isoformat()} (the last day was "
        f"{result.last_day.isoformat()}), so the rule does not apply"
    )
