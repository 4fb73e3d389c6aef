"""Due dates: a rule's deadline, for one trigger, computed with the shared calendar.

Both backends call ``compute_deadline``; nothing else turns a clock into a date. Parameters
are read at the date of the triggering event (the law in force when the clock started) and
every value read is recorded, so the finding can say which parameters it used.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Final, assert_never

from sendrules.dsl import ir
from sendrules.engine import calendar as cal
from sendrules.engine.errors import DecisionError, Problem
from sendrules.engine.journey import Event

if TYPE_CHECKING:
    from sendrules.engine.prepared import PreparedStandard


class ParameterReader:
    """Reads dated parameters as in force on ``on_date`` (the trigger's date).

    The parameters of the rule's trigger condition must be in force for every visible event of
    the trigger types (the condition cannot be decided otherwise): they are read on creation.
    The rule's other parameters must be in force once the trigger condition holds:
    ``require_rest()`` reads them. A missing value is a ``DecisionError`` naming the rule and the
    event. The parameters recorded for the finding are those of its conditions and those its
    deadline used."""

    def __init__(
        self,
        prepared: PreparedStandard,
        on_date: date,
        rule_id: str,
        trigger_id: str,
        parameters: ir.RuleParameters = ((), (), ()),
    ) -> None:
        self.prepared = prepared
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
        parameter = self.prepared.parameter(name)
        value = parameter.value_at(self.on_date) if parameter else None
        if value is None:
            first = parameter.values[0][0].isoformat() if parameter and parameter.values else "never"
            raise DecisionError(
                "parameter_not_in_force",
                f"rule {self.rule_id} cannot be applied to event {self.trigger_id}: parameter "
                f"{name} has no value on {self.on_date.isoformat()} (its first value takes effect {first})",
                [
                    Problem(
                        "journey.events",
                        f"event {self.trigger_id} is dated before the standard "
                        f"{self.prepared.reference} defines {name}",
                        event_id=self.trigger_id,
                    )
                ],
            )
        return value

    def amount(self, amount: ir.Amount) -> int:
        if isinstance(amount, ir.FixedAmount):
            return amount.value
        if isinstance(amount, ir.ParameterAmount):
            return self.value(amount.parameter)
        assert_never(amount)

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
    anchor: Event  # the event the clock runs from
    amount: int | None = None
    base: date | None = None  # the date field a clock counts back from, or its year
    #: For "the later of": both deadlines, the later one first.
    parts: tuple[Deadline, Deadline] | None = None
    #: (language 4) the first day of the absences whose school days the due date was counted
    #: over (``engine.episodes.counted_over``): the due date rests on the school-day calendar.
    counted_from: date | None = None

    def school_day_span(self) -> tuple[date, date] | None:
        """The days from the clock's start to its due date when the due date counts school days
        (``school day N of``, ``within N school days``), else None: what a decision reports as
        resting on the school-day calendar."""
        if self.counted_from is not None and self.due is not None:
            return self.counted_from, self.due
        if self.parts is not None:
            spans = [span for span in (part.school_day_span() for part in self.parts) if span is not None]
            if not spans:
                return None
            return min(span[0] for span in spans), max(span[1] for span in spans)
        clock = self.clock
        counts_school_days = isinstance(clock, ir.BySchoolDay) or (
            isinstance(clock, ir.Within) and clock.unit is SCHOOL_DAYS
        )
        if not counts_school_days or self.due is None:
            return None
        return self.anchor.date, self.due

    def explain(self) -> str:
        """How the date was computed, in words, e.g. "20 weeks of assessment_requested e1 on
        2025-01-06". Only called when a message is written out."""
        if self.parts is not None:
            chosen, other = self.parts
            return (
                f"the later of {chosen.explain()} ({_iso(chosen.due)}) and "
                f"{other.explain()} ({_iso(other.due)})"
            )
        clock = self.clock
        source = describe_event(self.anchor)
        if isinstance(clock, ir.Within):  # (written for every finding: the most common kind first)
            joiner = "after" if clock.unit in (WORKING_DAYS, SCHOOL_DAYS) else "of"
            return f"{_plural(self.amount, _UNIT_WORDS[clock.unit])} {joiner} {source}"
        if isinstance(clock, ir.WithinBeginningWith):
            return f"{_plural(self.amount, _UNIT_WORDS[clock.unit])} beginning with {source}"
        if isinstance(clock, ir.BySchoolDay):
            return f"school day {self.amount} of {source}"
        if isinstance(clock, ir.WithinMonthsStartingWith):
            return f"{_plural(self.amount, 'month')} starting with {source}"
        if isinstance(clock, ir.NotBefore):
            return f"{_plural(self.amount, 'day')} beginning with {source}"
        if isinstance(clock, (ir.BeforeDayMonth, ir.MonthsBefore, ir.OnDate)):
            if clock.anchor_field != "date":
                source = f"{clock.anchor_field} {_iso(self.base)} of {self.anchor.type} {self.anchor.id}"
            if isinstance(clock, ir.OnDate):
                return f"by {source}"
            if isinstance(clock, ir.BeforeDayMonth):
                return f"before {clock.day} {cal.MONTH_NAMES[clock.month - 1]} in the year of {source}"
            return f"{_plural(self.amount, 'month')} before {source}"
        if clock is None:
            raise AssertionError("a deadline has a clock or two parts")
        assert_never(clock)


_UNIT_WORDS = {
    ir.TimeUnit.WEEKS: "week",
    ir.TimeUnit.DAYS: "day",
    ir.TimeUnit.MONTHS: "month",
    ir.TimeUnit.WORKING_DAYS: "working day",
    ir.TimeUnit.SCHOOL_DAYS: "school day",
}


def describe_event(event: Event) -> str:
    return f"{event.type} {event.id} on {event.date.isoformat()}"


# compute_deadline runs for every trigger, so it dispatches with isinstance chains (each ending in
# assert_never, so mypy still proves every kind handled): on CPython 3.11 a class pattern that
# does not match costs about twice an isinstance call, enough to show in the benchmark.


def compute_deadline(
    deadline: ir.Deadline, bindings: dict[str, Event], params: ParameterReader, calendar: cal.Calendar
) -> Deadline:
    """The due date (or earliest date) of ``deadline`` for the events in ``bindings``."""
    if isinstance(deadline, ir.NotBefore):
        anchor = bindings[deadline.anchor]
        days = params.amount(deadline.amount)
        return Deadline(None, cal.add_days(anchor.date, days), deadline, anchor, days)
    return compute_due_date(deadline, bindings, params, calendar)


def compute_due_date(
    deadline: ir.DueClock, bindings: dict[str, Event], params: ParameterReader, calendar: cal.Calendar
) -> Deadline:
    """The due date of a clock, a choice of clocks by case, or the later of two due dates."""
    if isinstance(deadline, ir.Within):  # the most common kind first
        anchor = bindings[deadline.anchor]
        amount = params.amount(deadline.amount)
        return Deadline(_within(deadline.unit, anchor.date, amount, calendar), None, deadline, anchor, amount)
    if isinstance(deadline, ir.WithinBeginningWith):
        anchor = bindings[deadline.anchor]
        amount = params.amount(deadline.amount)
        due = _beginning_with(deadline.unit, anchor.date, amount, calendar)
        return Deadline(due, None, deadline, anchor, amount)
    if isinstance(deadline, ir.BySchoolDay):
        anchor = bindings[deadline.anchor]
        amount = params.amount(deadline.amount)
        return Deadline(calendar.nth_school_day(anchor.date, amount), None, deadline, anchor, amount)
    if isinstance(deadline, ir.WithinMonthsStartingWith):
        anchor = bindings[deadline.anchor]
        amount = params.amount(deadline.amount)
        return Deadline(cal.end_of_months_starting_with(anchor.date, amount), None, deadline, anchor, amount)
    if isinstance(deadline, ir.BeforeDayMonth):
        anchor = bindings[deadline.anchor]
        base = anchor.get(deadline.anchor_field)
        return Deadline(
            cal.day_before(deadline.day, deadline.month, base.year), None, deadline, anchor, None, base
        )
    if isinstance(deadline, ir.OnDate):
        anchor = bindings[deadline.anchor]
        base = anchor.get(deadline.anchor_field)
        return Deadline(base, None, deadline, anchor, None, base)
    if isinstance(deadline, ir.MonthsBefore):
        anchor = bindings[deadline.anchor]
        amount = params.amount(deadline.amount)
        base = anchor.get(deadline.anchor_field)
        return Deadline(cal.months_before_clamped(base, amount), None, deadline, anchor, amount, base)
    if isinstance(deadline, ir.LaterOf):
        first = compute_due_date(deadline.first, bindings, params, calendar)
        second = compute_due_date(deadline.second, bindings, params, calendar)
        later, other = (first, second) if _due(first) >= _due(second) else (second, first)
        return Deadline(later.due, None, None, later.anchor, parts=(later, other))
    if isinstance(deadline, ir.CaseClock):
        selector = deadline.selector
        selected = bindings[selector.binding].get(selector.field)
        for value, clock in deadline.cases:
            if value == selected:
                return compute_due_date(clock, bindings, params, calendar)
        if deadline.otherwise is not None:
            return compute_due_date(deadline.otherwise, bindings, params, calendar)
        raise DecisionError("no_deadline_case", f"no deadline is defined for {selector.field} = {selected!r}")
    assert_never(deadline)


# The units as module constants: reading an attribute of an enum class is several times slower
# than reading a global, and a unit is read for every clock.
WEEKS: Final = ir.TimeUnit.WEEKS
DAYS: Final = ir.TimeUnit.DAYS
MONTHS: Final = ir.TimeUnit.MONTHS
WORKING_DAYS: Final = ir.TimeUnit.WORKING_DAYS
SCHOOL_DAYS: Final = ir.TimeUnit.SCHOOL_DAYS


def _within(unit: ir.TimeUnit, start: date, amount: int, calendar: cal.Calendar) -> date:
    if unit is WEEKS:
        return cal.add_weeks(start, amount)
    if unit is DAYS:
        return cal.add_days(start, amount)
    if unit is MONTHS:
        return cal.add_months_clamped(start, amount)
    if unit is WORKING_DAYS:
        return calendar.working_days_after(start, amount)
    if unit is SCHOOL_DAYS:
        return calendar.school_days_after(start, amount)
    assert_never(unit)


def within_period(unit: ir.TimeUnit, start: date, amount: int, calendar: cal.Calendar) -> date:
    """The last day of ``within N <unit> of start`` (the day ``Within`` gives)."""
    return _within(unit, start, amount, calendar)


def _beginning_with(unit: ir.TimeUnit, start: date, amount: int, calendar: cal.Calendar) -> date:
    """The last day of N units beginning with ``start`` (``start``'s day is day 1)."""
    if unit is WEEKS:
        return cal.end_of_weeks_beginning_with(start, amount)
    if unit is DAYS:
        return cal.end_of_days_beginning_with(start, amount)
    if unit is MONTHS:
        return cal.end_of_months_starting_with(start, amount)
    if unit is WORKING_DAYS:
        return cal.nth_working_day(start, amount)
    if unit is SCHOOL_DAYS:
        return calendar.nth_school_day(start, amount)
    assert_never(unit)


def _due(deadline: Deadline) -> date:
    assert deadline.due is not None, "a due date, not a waiting period"
    return deadline.due


def _iso(day: date | None) -> str:
    assert day is not None
    return day.isoformat()


def _plural(count: int | None, unit: str) -> str:
    assert count is not None
    return f"{count} {unit}" + ("" if count == 1 else "s")
