"""Conditions, compiled once per standard into small Python functions.

``compile_condition`` turns an IR condition into a function ``(candidate event, scope) ->
bool``; the reference evaluator calls those functions while matching. A comparison with an
absent value is false (``is missing`` tests for absence).
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from datetime import date
from fractions import Fraction
from typing import Any, Callable, Sequence, assert_never

from sendrules.dsl import ir
from sendrules.engine.calendar import (
    age_on,
    national_curriculum_year,
    of_compulsory_school_age,
    school_year_start,
)
from sendrules.engine.deadlines import ParameterReader
from sendrules.engine.journey import Child, Event


@dataclass(slots=True)
class Scope:
    """What a condition can see: the bound events, the child, parameters and the due date."""

    bindings: dict[str, Event]
    child: Child
    params: ParameterReader
    due: date | None = None
    #: (language 3) the visible events of a type in (date, input order), for totals.
    events: Callable[[str], Sequence[Event]] | None = None
    #: (language 3) one per decision: what totals keep between triggers (running sums)
    memo: dict[object, object] | None = None


Predicate = Callable[[Event | None, Scope], bool]
Reader = Callable[[Event | None, Scope], Any]


def _always(candidate: Event | None, scope: Scope) -> bool:
    return True


def compile_condition(condition: ir.Condition | None) -> Predicate:
    """A function ``(candidate event, scope) -> bool`` for an IR condition (None: always true)."""
    if condition is None:
        return _always
    match condition:
        case ir.AllOf():
            parts = [compile_condition(part) for part in condition.conditions]
            return lambda candidate, scope: all(part(candidate, scope) for part in parts)
        case ir.AnyOf():
            parts = [compile_condition(part) for part in condition.conditions]
            return lambda candidate, scope: any(part(candidate, scope) for part in parts)
        case ir.Negation():
            inner = compile_condition(condition.condition)
            return lambda candidate, scope: not inner(candidate, scope)
        case ir.Present():
            read = compile_operand(condition.operand)
            wanted = condition.present
            return lambda candidate, scope: (read(candidate, scope) is not None) == wanted
        case ir.OneOf():
            read = compile_operand(condition.operand)
            values = frozenset(condition.values)
            return lambda candidate, scope: read(candidate, scope) in values
        case ir.Compare():
            return _comparison(condition)
        case _:
            assert_never(condition)


def _comparison(condition: ir.Compare) -> Predicate:
    compare = ir.COMPARISONS[condition.operator]
    left = compile_operand(condition.left)
    right = compile_operand(condition.right)

    def comparison(candidate: Event | None, scope: Scope) -> bool:
        a = left(candidate, scope)
        b = right(candidate, scope)
        if a is None or b is None:
            return False
        return compare(a, b)

    return comparison


def compile_operand(operand: ir.Operand) -> Reader:
    """A function ``(candidate event, scope) -> value`` (None when absent)."""
    match operand:
        case ir.Constant():
            value = operand.value
            return lambda candidate, scope: value
        case ir.CandidateField():
            name = operand.field
            return lambda candidate, scope: candidate.get(name) if candidate is not None else None
        case ir.BoundField():
            return _bound_field(operand.binding, operand.field)
        case ir.ChildField():
            name = operand.field
            return lambda candidate, scope: scope.child.get(name)
        case ir.ParameterValue():
            name = operand.name
            return lambda candidate, scope: scope.params.value(name)
        case ir.ChildAge():
            at = operand.at
            return lambda candidate, scope: age_on(scope.child.date_of_birth, scope.bindings[at].date)
        case ir.ChildSchoolYear():
            at = operand.at
            return lambda candidate, scope: national_curriculum_year(
                scope.child.date_of_birth, scope.bindings[at].date
            )
        case ir.ChildOfCompulsorySchoolAge():
            at = operand.at
            return lambda candidate, scope: of_compulsory_school_age(
                scope.child.date_of_birth, scope.bindings[at].date
            )
        case ir.TotalInSchoolYear():
            return _total_in_school_year(operand)
        case ir.DueDate():
            return lambda candidate, scope: scope.due
        case _:
            assert_never(operand)


def _bound_field(binding: str, name: str) -> Reader:
    def bound_field(candidate: Event | None, scope: Scope) -> Any:
        event = scope.bindings.get(binding)
        return event.get(name) if event is not None else None

    return bound_field


class _RunningSums:
    """Running sums of an integer field over events in (date, input order), so that the total
    from a date up to an event costs two binary searches (absent counts 0). With ``half_if``, an
    event whose boolean field of that name is true adds half its field: the sums are kept in
    halves, so they stay exact."""

    def __init__(self, events: Sequence[Event], field: str, half_if: str | None = None) -> None:
        self.keys = [(event.date, event.index) for event in events]
        self.halves = [0]
        for event in events:
            amount = int(event.get(field) or 0)
            halved = half_if is not None and event.get(half_if) is True
            self.halves.append(self.halves[-1] + (amount if halved else 2 * amount))

    def between(self, start: date, at: Event) -> int | Fraction:
        """The sum over the events dated from ``start`` up to ``at`` (its later same-day events
        in input order not included; ``at`` included when it is one of the events): a whole
        number, or a ``Fraction`` when it ends in a half."""
        low = bisect_left(self.keys, (start, -1))
        high = bisect_right(self.keys, (at.date, at.index))
        halves = self.halves[high] - self.halves[low] if high > low else 0
        return halves // 2 if halves % 2 == 0 else Fraction(halves, 2)


def _total_in_school_year(operand: ir.TotalInSchoolYear) -> Reader:
    """(language 3) ``total FIELD of TYPE [counting FLAG as half] in the school year of NAME``."""

    def total(candidate: Event | None, scope: Scope) -> Any:
        if scope.events is None:
            raise AssertionError("a total needs the journey's events in the scope")
        at = scope.bindings[operand.at]
        start = school_year_start(at.date)
        events = scope.events(operand.event_type)
        key = ("total", operand.event_type, operand.field, operand.half_if)
        sums = scope.memo.get(key) if scope.memo is not None else None
        if not isinstance(sums, _RunningSums):
            sums = _RunningSums(events, operand.field, operand.half_if)
            if scope.memo is not None:
                scope.memo[key] = sums
        return sums.between(start, at)

    return total
