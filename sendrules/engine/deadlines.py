"""Due dates: a rule's deadline, for one trigger, computed with the shared calendar.

Both backends call ``compute_deadline``; nothing else turns a clock into a date. Parameters
are read at the date of the triggering event (the law in force when the clock started) and
every value read is recorded, so the finding can say which parameters it used.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sendrules.dsl import ir
from sendrules.engine import calendar as cal
from sendrules.engine.errors import DecisionError, Problem


class ParameterReader:
    """Reads dated parameters as in force on ``on_date`` (the trigger's date).

    The parameters of the rule's trigger condition must be in force for every visible event of
    the trigger types (the condition cannot be decided otherwise): they are read on creation.
    The rule's other parameters must be in force once the trigger condition holds:
    ``require_rest()`` reads them. A missing value is a ``DecisionError`` naming the rule and the
    event. The parameters recorded for the finding are those of its conditions and those its
    deadline used."""

    def __init__(self, standard: ir.CompiledStandard, on_date: date, rule_id: str, trigger_id: str,
                 parameters: tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]] = ((), (), ())) -> None:
        self.standard = standard
        self.on_date = on_date
        self.rule_id = rule_id
        self.trigger_id = trigger_id
        self.used: dict[str, int] = {}
        in_trigger, self._in_others, self._in_deadline = parameters
        for name in in_trigger:
            self.used[name] = self._read(name)

    def require_rest(self) -> None:
        """Check the rule's other parameters once its trigger condition holds."""
        for name in self._in_deadline:
            self._read(name)
        for name in self._in_others:
            self.used[name] = self._read(name)

    def value(self, name: str) -> int:
        value = self.used.get(name)
        if value is not None:
            return value
        value = self._read(name)
        self.used[name] = value
        return value

    def _read(self, name: str) -> int:
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
        return value

    def amount(self, amount: ir.Amount) -> int:
        return amount.value if amount.parameter is None else self.value(amount.parameter)

    def recorded(self) -> tuple[tuple[str, int], ...]:
        """The parameters read, sorted by name."""
        items = tuple(self.used.items())
        return items if len(items) < 2 else tuple(sorted(items))


@dataclass(slots=True)
class Deadline:
    """``due``: last day to comply (deadlines); ``earliest``: first allowed day (waiting
    periods). The rest records how the date was computed, for ``explain``."""

    due: date | None
    earliest: date | None
    clock: ir.Clock | ir.NotBefore | None
    anchor: Any  # the event the clock runs from
    amount: int | None = None
    base: date | None = None  # the date field a clock counts back from, or its year
    #: For "the later of": both deadlines, the later one first.
    parts: tuple = ()

    def explain(self) -> str:
        """How the date was computed, in words, e.g. "20 weeks of assessment_requested e1 on
        2025-01-06". Only called when a message is written out."""
        if self.parts:
            chosen, other = self.parts
            return (f"the later of {chosen.explain()} ({chosen.due.isoformat()}) and "
                    f"{other.explain()} ({other.due.isoformat()})")
        clock = self.clock
        source = describe_event(self.anchor)
        if isinstance(clock, ir.NotBefore):
            return f"{_plural(self.amount, 'day')} beginning with {source}"
        kind = clock.kind
        if kind in ("before_day_month", "months_before", "on_date"):
            if clock.anchor_field != "date":
                source = f"{clock.anchor_field} {self.base.isoformat()} of {self.anchor.type} {self.anchor.id}"
            if kind == "on_date":
                return f"by {source}"
            if kind == "before_day_month":
                return f"before {clock.day} {cal.MONTH_NAMES[clock.month - 1]} in the year of {source}"
            return f"{_plural(self.amount, 'month')} before {source}"
        if kind == "months_starting_with":
            return f"{_plural(self.amount, 'month')} starting with {source}"
        if kind == "school_day_number":
            return f"school day {self.amount} of {source}"
        unit = {"weeks": "week", "days": "day", "months": "month", "working_days": "working day",
                "school_days": "school day"}[kind]
        joiner = "after" if kind in ("working_days", "school_days") else "of"
        return f"{_plural(self.amount, unit)} {joiner} {source}"


def describe_event(event) -> str:
    return f"{event.type} {event.id} on {event.date.isoformat()}"


def compute_deadline(deadline: ir.Deadline, bindings: dict[str, Any], params: ParameterReader,
                     calendar: cal.Calendar) -> Deadline:
    """The due date (or earliest date) of ``deadline`` for the events in ``bindings``."""
    if isinstance(deadline, ir.NotBefore):
        anchor = bindings[deadline.anchor]
        days = params.amount(deadline.amount)
        return Deadline(None, cal.add_days(anchor.date, days), deadline, anchor, days)
    if isinstance(deadline, ir.LaterOf):
        first = compute_deadline(deadline.first, bindings, params, calendar)
        second = compute_deadline(deadline.second, bindings, params, calendar)
        later, other = (first, second) if first.due >= second.due else (second, first)
        return Deadline(later.due, None, None, later.anchor, parts=(later, other))
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
    if kind == "before_day_month":
        base = anchor.get(clock.anchor_field)
        return Deadline(cal.day_before(clock.day, clock.month, base.year), None, clock, anchor, None, base)
    if kind == "on_date":
        base = anchor.get(clock.anchor_field)
        return Deadline(base, None, clock, anchor, None, base)
    amount = params.amount(clock.amount)
    if kind == "months_before":
        base = anchor.get(clock.anchor_field)
        return Deadline(cal.months_before_clamped(base, amount), None, clock, anchor, amount, base)
    start = anchor.date
    if kind == "weeks":
        due = cal.add_weeks(start, amount)
    elif kind == "days":
        due = cal.add_days(start, amount)
    elif kind == "months":
        due = cal.add_months_clamped(start, amount)
    elif kind == "months_starting_with":
        due = cal.end_of_months_starting_with(start, amount)
    elif kind == "working_days":
        due = calendar.working_days_after(start, amount)
    elif kind == "school_days":
        due = calendar.school_days_after(start, amount)
    elif kind == "school_day_number":
        due = calendar.nth_school_day(start, amount)
    else:
        raise ValueError(f"unknown clock kind {kind!r}")
    return Deadline(due, None, clock, anchor, amount)


def _plural(count: int, unit: str) -> str:
    return f"{count} {unit}" + ("" if count == 1 else "s")
