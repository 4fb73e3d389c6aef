"""Due dates: a rule's deadline, for one trigger, computed with the shared calendar.

Both backends call ``compute_deadline``; nothing else turns a clock into a date. Parameters
are read at the date of the triggering event (the law in force when the clock started) and
every value read is recorded, so the finding can say which parameters it used.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from dsl import ir
from engine import calendar as cal
from engine.errors import DecisionError, Problem


class ParameterReader:
    """Reads dated parameters as in force on ``on_date``, remembering what it read."""

    def __init__(self, standard: ir.CompiledStandard, on_date: date, rule_id: str, trigger_id: str) -> None:
        self.standard = standard
        self.on_date = on_date
        self.rule_id = rule_id
        self.trigger_id = trigger_id
        self.used: dict[str, int] = {}

    def value(self, name: str) -> int:
        if name in self.used:
            return self.used[name]
        parameter = self.standard.parameter(name)
        value = parameter.value_at(self.on_date) if parameter else None
        if value is None:
            first = parameter.values[0][0].isoformat() if parameter and parameter.values else "never"
            raise DecisionError(
                "parameter_not_in_force",
                f"rule {self.rule_id} cannot be applied to event {self.trigger_id}: parameter "
                f"{name} has no value on {self.on_date.isoformat()} (its first value takes effect {first})",
                [Problem("journey.events", f"event {self.trigger_id} is dated before the standard "
                         f"{self.standard.reference} defines {name}", event_id=self.trigger_id)])
        self.used[name] = value
        return value

    def amount(self, amount: ir.Amount) -> int:
        return amount.value if amount.parameter is None else self.value(amount.parameter)

    def recorded(self) -> tuple[tuple[str, int], ...]:
        return tuple(sorted(self.used.items()))


@dataclass(frozen=True)
class Deadline:
    """``due``: last day to comply (deadlines); ``earliest``: first allowed day (waiting
    periods). ``explanation`` says how it was computed, for the finding's message."""

    due: date | None
    earliest: date | None
    explanation: str


def describe_event(event) -> str:
    return f"{event.type} {event.id} on {event.date.isoformat()}"


def compute_deadline(deadline: ir.Deadline, bindings: dict[str, Any], params: ParameterReader,
                     calendar: cal.Calendar) -> Deadline:
    """The due date (or earliest date) of ``deadline`` for the events in ``bindings``."""
    if isinstance(deadline, ir.NotBefore):
        anchor = bindings[deadline.anchor]
        days = params.amount(deadline.amount)
        earliest = cal.add_days(anchor.date, days)
        return Deadline(None, earliest,
                        f"{_plural(days, 'day')} beginning with {describe_event(anchor)}")
    if isinstance(deadline, ir.CaseClock):
        selected = bindings[deadline.selector.binding].get(deadline.selector.field)
        for value, clock in deadline.cases:
            if value == selected:
                return _clock(clock, bindings, params, calendar)
        if deadline.otherwise is not None:
            return _clock(deadline.otherwise, bindings, params, calendar)
        raise DecisionError("no_deadline_case",
                            f"no deadline is defined for {deadline.selector.field} = {selected!r}")
    return _clock(deadline, bindings, params, calendar)


def _clock(clock: ir.Clock, bindings: dict[str, Any], params: ParameterReader,
           calendar: cal.Calendar) -> Deadline:
    anchor = bindings[clock.anchor]
    kind = clock.kind
    if kind in ("before_day_month", "months_before"):
        base = anchor.get(clock.anchor_field)
        base_text = (f"{clock.anchor_field} {base.isoformat()} of {anchor.type} {anchor.id}"
                     if clock.anchor_field != "date" else describe_event(anchor))
        if kind == "before_day_month":
            due = cal.day_before(clock.day, clock.month, base.year)
            return Deadline(due, None, f"before {clock.day} {cal.MONTH_NAMES[clock.month - 1]} "
                                       f"in the year of {base_text}")
        months = params.amount(clock.amount)
        due = cal.months_before_clamped(base, months)
        return Deadline(due, None, f"{_plural(months, 'month')} before {base_text}")

    amount = params.amount(clock.amount)
    start = anchor.date
    source = describe_event(anchor)
    if kind == "weeks":
        return Deadline(cal.add_weeks(start, amount), None, f"{_plural(amount, 'week')} of {source}")
    if kind == "days":
        return Deadline(cal.add_days(start, amount), None, f"{_plural(amount, 'day')} of {source}")
    if kind == "months":
        return Deadline(cal.add_months_clamped(start, amount), None, f"{_plural(amount, 'month')} of {source}")
    if kind == "months_starting_with":
        return Deadline(cal.end_of_months_starting_with(start, amount), None,
                        f"{_plural(amount, 'month')} starting with {source}")
    if kind == "working_days":
        return Deadline(calendar.working_days_after(start, amount), None,
                        f"{_plural(amount, 'working day')} after {source}")
    if kind == "school_days":
        return Deadline(calendar.school_days_after(start, amount), None,
                        f"{_plural(amount, 'school day')} after {source}")
    if kind == "school_day_number":
        return Deadline(calendar.nth_school_day(start, amount), None,
                        f"school day {amount} of {source}")
    raise ValueError(f"unknown clock kind {kind!r}")


def _plural(count: int, unit: str) -> str:
    return f"{count} {unit}" + ("" if count == 1 else "s")
