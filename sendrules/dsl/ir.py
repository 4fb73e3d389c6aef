"""The compiled form of a standard: the small intermediate representation the engine runs.

Everything here is plain, frozen data with names resolved and types checked. Both backends
(the reference evaluator and the Rete backend) take this and nothing else.

How a rule reads, in IR terms:

* ``trigger``      -- each visible event of ``trigger.match.types`` that satisfies its condition
                      starts one finding; it is bound to ``trigger.binding``.
* ``requirements`` -- ``only if``: the first matching event after an earlier binding must exist
                      (otherwise the rule does not apply); it is bound for later use.
* ``deadline``     -- how the due date is computed (a ``Clock``, a ``CaseClock``) or, for a
                      waiting period, a ``NotBefore``.
* ``expectation``  -- which event satisfies the duty.
* ``exclusions``   -- ``unless``: if such an event exists, the rule does not apply.
* ``exemption``    -- ``exempt``: a time-limit exception between the trigger and the due date
                      turns a late or overdue finding into exempt.
"""

from __future__ import annotations

import operator
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from typing import Union

# --- operands and conditions -----------------------------------------------------------------


@dataclass(frozen=True)
class EventField:
    """A field of an event: of the candidate being matched (``binding`` is None) or of an
    event bound earlier in the rule. ``field`` may be ``date`` or ``id``."""

    binding: str | None
    field: str


@dataclass(frozen=True)
class ChildField:
    field: str


@dataclass(frozen=True)
class ParameterValue:
    name: str


@dataclass(frozen=True)
class DueDate:
    pass


@dataclass(frozen=True)
class ChildAge:
    """The child's age in whole years on the date of the bound event ``at``."""

    at: str


@dataclass(frozen=True)
class ChildSchoolYear:
    """The child's national curriculum year (Reception 0, Year 1 = 1 ...) on ``at``'s date."""

    at: str


@dataclass(frozen=True)
class Constant:
    value: str | int | bool | date


Operand = Union[EventField, ChildField, ParameterValue, DueDate, Constant, ChildAge, ChildSchoolYear]


@dataclass(frozen=True)
class Compare:
    operator: str  # = != < <= > >=
    left: Operand
    right: Operand


@dataclass(frozen=True)
class OneOf:
    operand: Operand
    values: tuple


@dataclass(frozen=True)
class Present:
    operand: Operand
    present: bool


@dataclass(frozen=True)
class Negation:
    condition: "Condition"


@dataclass(frozen=True)
class AllOf:
    conditions: tuple["Condition", ...]


@dataclass(frozen=True)
class AnyOf:
    conditions: tuple["Condition", ...]


Condition = Union[Compare, OneOf, Present, Negation, AllOf, AnyOf]


def condition_leaves(*conditions: "Condition | None"):
    """The comparisons, memberships and presence tests inside conditions (None is skipped)."""
    stack = [condition for condition in conditions if condition is not None]
    while stack:
        condition = stack.pop()
        if isinstance(condition, (AllOf, AnyOf)):
            stack.extend(condition.conditions)
        elif isinstance(condition, Negation):
            stack.append(condition.condition)
        else:
            yield condition


def leaf_operands(test) -> tuple:
    """The operands of one test from ``condition_leaves``."""
    return (test.left, test.right) if isinstance(test, Compare) else (test.operand,)


# --- deadlines -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Amount:
    """A number written in the rule (``value``) or read from a dated parameter."""

    value: int | None = None
    parameter: str | None = None


#: Clock kinds and what they compute (all arithmetic is in ``engine.calendar``):
#: weeks, days, months, working_days, school_days  -> within N units of the anchor event
#: months_starting_with                          -> within N months starting with the anchor
#: school_day_number                             -> on or before the Nth school day of the anchor
#: before_day_month                              -> before DAY MONTH in the year of a date
#: months_before                                 -> N months before a date
#: on_date                                       -> on or before a date of the anchor
CLOCK_KINDS = ("weeks", "days", "months", "working_days", "school_days", "months_starting_with",
               "school_day_number", "before_day_month", "months_before", "on_date")


@dataclass(frozen=True)
class Clock:
    kind: str
    anchor: str  # the binding the clock runs from
    amount: Amount | None = None
    anchor_field: str = "date"  # which date of the anchor event
    day: int | None = None
    month: int | None = None


@dataclass(frozen=True)
class CaseClock:
    """A due date that depends on a field of a bound event."""

    selector: EventField
    cases: tuple[tuple[str, "Clock"], ...]
    otherwise: Clock | None


@dataclass(frozen=True)
class NotBefore:
    """A waiting period: the expected event may not happen before ``anchor + days``."""

    anchor: str
    amount: Amount


@dataclass(frozen=True)
class LaterOf:
    """The later of two due dates."""

    first: "Clock | CaseClock | LaterOf"
    second: "Clock | CaseClock | LaterOf"


Deadline = Union[Clock, CaseClock, NotBefore, LaterOf]


def deadline_clocks(deadline: "Deadline | None"):
    """The simple clocks (``Clock``, ``NotBefore``) inside a deadline (None yields nothing)."""
    stack = [deadline] if deadline is not None else []
    while stack:
        deadline = stack.pop()
        if isinstance(deadline, LaterOf):
            stack += [deadline.first, deadline.second]
        elif isinstance(deadline, CaseClock):
            stack += [clock for _, clock in deadline.cases]
            stack += [deadline.otherwise] if deadline.otherwise is not None else []
        else:
            yield deadline


# --- rule parts ------------------------------------------------------------------------------


@dataclass(frozen=True)
class EventMatch:
    types: tuple[str, ...]
    condition: Condition | None = None


@dataclass(frozen=True)
class Trigger:
    binding: str
    match: EventMatch


@dataclass(frozen=True)
class Requirement:
    """``only if``: the first event matching ``match`` on or after ``after``'s date."""

    binding: str
    after: str
    match: EventMatch


@dataclass(frozen=True)
class Exclusion:
    """``unless``: the rule does not apply if such an event exists."""

    after: str
    match: EventMatch
    on_or_before_due: bool = False
    before: str | None = None  # binding of the expected event: "before it, or it has not happened"


@dataclass(frozen=True)
class Expectation:
    """Which event satisfies the duty.

    mode ``after``: the first event of ``event_types`` (matching ``condition``) on or after the
    anchor's date, the anchor itself excluded; ``response``: the first event of the type whose
    ``link_field`` names the anchor; ``bound``: the event bound by ``only if``; ``before``: the
    first event of ``event_types`` dated on or before the anchor's date, the anchor excluded
    (the duty is met if it exists, breached if not).
    """

    mode: str
    anchor: str
    event_types: tuple[str, ...] = ()
    condition: Condition | None = None
    link_field: str | None = None
    binding: str | None = None

    @property
    def described_type(self) -> str:
        return " or ".join(self.event_types)


@dataclass(frozen=True)
class Exemption:
    event_type: str
    from_binding: str


@dataclass(frozen=True)
class Duty:
    """Who must act: a fixed holder, or one chosen by a field of a bound event."""

    holder: str | None = None
    selector: EventField | None = None
    cases: tuple[tuple[str, str], ...] = ()
    otherwise: str | None = None


@dataclass(frozen=True)
class Rule:
    id: str
    title: str
    modality: str
    citations: tuple[str, ...]
    duty: Duty
    trigger: Trigger
    #: What satisfies the duty (None for a ``require`` rule).
    expectation: Expectation | None
    #: By when (None for ``require`` rules and preceding-event rules).
    deadline: Deadline | None
    requirements: tuple[Requirement, ...] = ()
    exclusions: tuple[Exclusion, ...] = ()
    exemption: Exemption | None = None
    unconfirmed: tuple[str, ...] = ()
    see: tuple[str, ...] = ()
    #: ``require``: a condition on the bound events; met when it holds, breached when not.
    check: Condition | None = None
    #: The check as written, for explanations.
    check_text: str = ""
    source_file: str = ""
    source_line: int = 0
    #: The rule as written in its .rules file (for diffs and documents).
    source_text: str = ""

    def non_trigger_conditions(self) -> list:
        """Every condition of the rule except its trigger condition."""
        conditions = [self.check] + [requirement.match.condition for requirement in self.requirements]
        conditions += [exclusion.match.condition for exclusion in self.exclusions]
        if self.expectation is not None:
            conditions.append(self.expectation.condition)
        return conditions

    @property
    def kind(self) -> str:
        """deadline | waiting | preceding | condition: which statuses the rule can give."""
        if self.check is not None:
            return "condition"
        if self.expectation is not None and self.expectation.mode == "before":
            return "preceding"
        if isinstance(self.deadline, NotBefore):
            return "waiting"
        return "deadline"


def _condition_parameters(*conditions) -> list[str]:
    return [operand.name for test in condition_leaves(*conditions) for operand in leaf_operands(test)
            if isinstance(operand, ParameterValue)]


def rule_parameters(rule: "Rule") -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]:
    """The parameters a rule refers to: (in its trigger condition, in its other conditions,
    in its deadline)."""
    in_trigger = _condition_parameters(rule.trigger.match.condition)
    in_others = _condition_parameters(*rule.non_trigger_conditions())
    in_deadline = [clock.amount.parameter for clock in deadline_clocks(rule.deadline)
                   if clock.amount is not None and clock.amount.parameter is not None]
    return (tuple(sorted(set(in_trigger))), tuple(sorted(set(in_others))), tuple(sorted(set(in_deadline))))


# --- decision tables -------------------------------------------------------------------------


@dataclass(frozen=True)
class CellTest:
    """One input cell: any, equals (values[0]), one_of, range (values[0]..values[1]),
    compare (operator, values[0])."""

    kind: str
    values: tuple = ()
    operator: str | None = None


#: The comparison operators of the rules language (conditions and table cells).
COMPARISONS = {"=": operator.eq, "!=": operator.ne, "<": operator.lt, "<=": operator.le,
               ">": operator.gt, ">=": operator.ge}


def cell_matches(cell, value) -> bool:
    """Does an input cell (AST or IR form: kind, values, operator) accept ``value``?"""
    kind = cell.kind
    if kind == "any":
        return True
    if value is None:
        return False
    values = [getattr(item, "value", item) for item in cell.values]
    if kind == "equals":
        return value == values[0]
    if kind == "one_of":
        return value in values
    if kind == "range":
        return values[0] <= value <= values[1]
    return COMPARISONS[cell.operator](value, values[0])


def show_value(value) -> str:
    """A table value as written in a rules file: true/false, "text", numbers and dates bare."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return f'"{value}"' if isinstance(value, str) else str(value)


@dataclass(frozen=True)
class TableRow:
    number: int  # 1-based, in the order written
    tests: tuple[CellTest, ...]
    outputs: tuple
    source_line: int = 0


@dataclass(frozen=True)
class DecisionTable:
    """Expected provision: inputs from the latest event of ``event_type`` visible on as_of."""

    id: str
    title: str
    citations: tuple[str, ...]
    event_type: str
    binding: str
    hit_policy: str  # unique | first
    inputs: tuple[str, ...]  # field names of the event
    outputs: tuple[str, ...]
    output_types: tuple[str, ...]  # text, integer, boolean
    rows: tuple[TableRow, ...]
    illustrative: str | None = None  # why the table is illustrative, when it is
    unconfirmed: tuple[str, ...] = ()
    source_file: str = ""
    source_line: int = 0
    source_text: str = ""


# --- the standard ----------------------------------------------------------------------------


@dataclass(frozen=True)
class DatedParameter:
    name: str
    unit: str
    values: tuple[tuple[date, int], ...]  # sorted by date
    description: str = ""
    source: str = ""
    unconfirmed: str | None = None

    def value_at(self, day: date) -> int | None:
        """The value in force on ``day``, or None before the first value took effect."""
        found = None
        for effective, value in self.values:
            if effective <= day:
                found = value
            else:
                break
        return found


@dataclass(frozen=True)
class FieldType:
    """The type of an event field, as the journey validator and the checker see it."""

    type: str
    values: tuple[str, ...] = ()
    minimum: int | None = None
    maximum: int | None = None
    event_type: str | None = None
    required: bool = True
    required_when: tuple[tuple[str, tuple[str, ...]], ...] = ()
    description: str | None = None


@dataclass(frozen=True)
class EventType:
    name: str
    description: str
    fields: tuple[tuple[str, FieldType], ...] = ()

    def field(self, name: str) -> FieldType | None:
        for field_name, field_type in self.fields:
            if field_name == name:
                return field_type
        return None


@dataclass(frozen=True)
class CompiledStandard:
    """A checked and compiled version of a standards pack."""

    id: str
    version: str
    sha256: str
    title: str
    status: str
    effective_from: date
    effective_to: date | None
    illustrative: bool
    duty_holders: tuple[tuple[str, str], ...]
    event_types: tuple[EventType, ...]
    parameters: tuple[DatedParameter, ...]
    rules: tuple[Rule, ...]
    sources: tuple[tuple[str, str | None], ...] = ()
    #: The manifest's note on each source (same order as ``sources``), or None.
    source_notes: tuple[str | None, ...] = ()
    supersedes: str | None = None
    summary: str = ""
    changes: tuple = field(default=())
    tables: tuple[DecisionTable, ...] = ()
    #: The pack's measures (``measures.yaml``), as ``dsl.measure_ir.Measure`` objects.
    measures: tuple = ()

    @property
    def reference(self) -> str:
        return f"{self.id}@{self.version}"

    @cached_property
    def _event_types_by_name(self) -> dict[str, EventType]:
        return {event_type.name: event_type for event_type in self.event_types}

    @cached_property
    def _parameters_by_name(self) -> dict[str, DatedParameter]:
        return {parameter.name: parameter for parameter in self.parameters}

    def event_type(self, name: str) -> EventType | None:
        return self._event_types_by_name.get(name)

    def parameter(self, name: str) -> DatedParameter | None:
        return self._parameters_by_name.get(name)

    def in_force_on(self, day: date) -> bool:
        return self.effective_from <= day and (self.effective_to is None or day <= self.effective_to)
