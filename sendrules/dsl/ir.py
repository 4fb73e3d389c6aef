"""The compiled form of a standard: the small intermediate representation the engine runs.

Everything here is plain, frozen data with names resolved and types checked. Both backends
(the reference evaluator and the Rete backend) take this and nothing else.

How a rule reads, in IR terms:

* ``trigger``      -- each visible event of ``trigger.match.types`` that satisfies its condition
                      starts one finding; it is bound to ``trigger.binding``.
* ``requirements`` -- ``only if``: the first matching event after an earlier binding must exist
                      (otherwise the rule does not apply); it is bound for later use.
* ``compliance``   -- how the finding's status is decided, one type per kind of rule:
                      ``MetByDeadline`` (an expected event and a due date), ``MetAfterWaiting``
                      (an expected event and a waiting period), ``MetIfPreceded`` (an event
                      that must already have happened) or ``MetIfHolds`` (a condition).
* ``exclusions``   -- ``unless``: if such an event exists, the rule does not apply.
* ``exemption``    -- ``exempt``: a time-limit exception between the trigger and the due date
                      turns a late or overdue finding into exempt.

A closed set of types
---------------------
Each kind of node is its own frozen dataclass, and each family is a union type alias
(``Condition``, ``Operand``, ``Clock``, ``DueClock``, ``Deadline``, ``ExpectedEvent``,
``Compliance``, ``DutyHolder``, ``CellTest``, ``Amount``). Consumers dispatch with ``match`` and
end with ``typing.assert_never``, so a kind that a consumer forgets is a type error
(``mypy --strict`` runs in CI). Closed sets of words (modalities, statuses, operators, time
units, hit policies, field types) are ``enum.StrEnum``: a member *is* its text, so JSON output
and hashes are unchanged.

Clocks: the five "within N <unit> of A" clocks (weeks, days, months, working days, school
days) are one type, ``Within``, with a ``TimeUnit``: their fields are the same and every
consumer treats them alike apart from the unit's arithmetic and words. Every other clock has
fields of its own (a day and month, a date field of the anchor, "starting with"), so each is a
type of its own: a reader of ``BeforeDayMonth`` never wonders which optional fields are set.

Adding a kind of clause: add its dataclass here and to its union; ``mypy`` then lists every
``match`` that must handle it (compiler, evaluator, Rete backend, deadlines, findings, policy
describe/diff/document, scenario coverage).
"""

from __future__ import annotations

import enum
import operator
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Callable, Iterator, TypeAlias, assert_never

from sendrules.dsl.measure_ir import Measure

#: A value written in a rule or a table: text, a whole number, true/false or a date.
Value: TypeAlias = str | int | bool | date


# --- closed sets of words --------------------------------------------------------------------


class Modality(enum.StrEnum):
    MUST = "must"  # a statutory duty
    SHOULD = "should"  # guidance


class StandardStatus(enum.StrEnum):
    DRAFT = "draft"
    PUBLISHED = "published"
    SUPERSEDED = "superseded"


class RuleKind(enum.StrEnum):
    """Which statuses a rule can give (one per ``Compliance`` type)."""

    DEADLINE = "deadline"  # met, pending, late, overdue, exempt
    WAITING = "waiting"  # met, pending, breached
    PRECEDING = "preceding"  # met, breached
    CONDITION = "condition"  # met, breached


class Operator(enum.StrEnum):
    """The comparison operators of the rules language (conditions and table cells)."""

    EQ = "="
    NE = "!="
    LT = "<"
    LE = "<="
    GT = ">"
    GE = ">="


#: What each operator computes.
COMPARISONS: dict[Operator, Callable[[Any, Any], bool]] = {
    Operator.EQ: operator.eq,
    Operator.NE: operator.ne,
    Operator.LT: operator.lt,
    Operator.LE: operator.le,
    Operator.GT: operator.gt,
    Operator.GE: operator.ge,
}


class TimeUnit(enum.StrEnum):
    """The units of a ``within N <unit> of A`` clock."""

    WEEKS = "weeks"
    DAYS = "days"
    MONTHS = "months"
    WORKING_DAYS = "working_days"
    SCHOOL_DAYS = "school_days"


class HitPolicy(enum.StrEnum):
    UNIQUE = "unique"  # exactly one row matches any input
    FIRST = "first"  # the first matching row, in the order written


class FieldKind(enum.StrEnum):
    """The type of an event field in a pack's vocabulary."""

    ENUM = "enum"
    CODE = "code"
    INTEGER = "integer"
    DATE = "date"
    EVENT_REF = "event_ref"
    BOOLEAN = "boolean"
    TEXT = "text"


class OutputType(enum.StrEnum):
    """The type of a decision table's output column."""

    TEXT = "text"
    INTEGER = "integer"
    BOOLEAN = "boolean"


# --- operands and conditions -----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CandidateField:
    """A field of the event being matched (``outcome`` in ``where outcome = "assess"``).
    ``field`` may be ``date`` or ``id``."""

    field: str


@dataclass(frozen=True, slots=True)
class BoundField:
    """A field of an event bound earlier in the rule (``request.date``)."""

    binding: str
    field: str


@dataclass(frozen=True, slots=True)
class ChildField:
    field: str


@dataclass(frozen=True, slots=True)
class ParameterValue:
    name: str


@dataclass(frozen=True, slots=True)
class DueDate:
    """The finding's due date (in ``unless`` conditions)."""


@dataclass(frozen=True, slots=True)
class ChildAge:
    """The child's age in whole years on the date of the bound event ``at``."""

    at: str


@dataclass(frozen=True, slots=True)
class ChildSchoolYear:
    """The child's national curriculum year (Reception 0, Year 1 = 1 ...) on ``at``'s date."""

    at: str


@dataclass(frozen=True, slots=True)
class ChildOfCompulsorySchoolAge:
    """(language 3) True when the child is of compulsory school age (Education Act 1996 s8;
    ``engine.calendar.of_compulsory_school_age``) on the date of the bound event ``at``."""

    at: str


@dataclass(frozen=True, slots=True)
class TotalInSchoolYear:
    """(language 3) The sum of the integer ``field`` (absent: 0) over the visible ``event_type``
    events from 1 September of the school year of ``at``'s date up to ``at`` (events of the same
    day after it in input order excluded); ``at`` itself counts when it is of that type."""

    field: str
    event_type: str
    at: str
    #: ``counting FLAG as half``: an event whose boolean field ``half_if`` is true adds half its
    #: ``field`` (a lunchtime suspension: half a school day), so the total may be a half.
    half_if: str | None = None


@dataclass(frozen=True, slots=True)
class Constant:
    value: Value


Operand: TypeAlias = (
    CandidateField
    | BoundField
    | ChildField
    | ParameterValue
    | DueDate
    | Constant
    | ChildAge
    | ChildSchoolYear
    | ChildOfCompulsorySchoolAge
    | TotalInSchoolYear
)


@dataclass(frozen=True, slots=True)
class Compare:
    operator: Operator
    left: Operand
    right: Operand


@dataclass(frozen=True, slots=True)
class OneOf:
    operand: Operand
    values: tuple[Value, ...]


@dataclass(frozen=True, slots=True)
class Present:
    operand: Operand
    present: bool


@dataclass(frozen=True, slots=True)
class Negation:
    condition: Condition


@dataclass(frozen=True, slots=True)
class AllOf:
    conditions: tuple[Condition, ...]


@dataclass(frozen=True, slots=True)
class AnyOf:
    conditions: tuple[Condition, ...]


Condition: TypeAlias = Compare | OneOf | Present | Negation | AllOf | AnyOf
#: The tests at the leaves of a condition.
ConditionLeaf: TypeAlias = Compare | OneOf | Present


def condition_leaves(*conditions: Condition | None) -> Iterator[ConditionLeaf]:
    """The comparisons, memberships and presence tests inside conditions (None is skipped)."""
    stack = [condition for condition in conditions if condition is not None]
    while stack:
        condition = stack.pop()
        match condition:
            case AllOf() | AnyOf():
                stack.extend(condition.conditions)
            case Negation():
                stack.append(condition.condition)
            case Compare() | OneOf() | Present():
                yield condition
            case _:
                assert_never(condition)


def leaf_operands(test: ConditionLeaf) -> tuple[Operand, ...]:
    """The operands of one test from ``condition_leaves``."""
    match test:
        case Compare():
            return (test.left, test.right)
        case OneOf() | Present():
            return (test.operand,)
        case _:
            assert_never(test)


# --- deadlines -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class FixedAmount:
    """A number written in the rule."""

    value: int


@dataclass(frozen=True, slots=True)
class ParameterAmount:
    """A number read from a dated parameter (on the date of the triggering event)."""

    parameter: str


Amount: TypeAlias = FixedAmount | ParameterAmount

# Clocks: how a due date is computed from one bound event (the ``anchor``). All the
# arithmetic is in ``engine.calendar``.


@dataclass(frozen=True, slots=True)
class Within:
    """``within N <unit> of A``: N weeks, days, months, working days or school days after A."""

    unit: TimeUnit
    amount: Amount
    anchor: str


@dataclass(frozen=True, slots=True)
class WithinBeginningWith:
    """``within N <unit> beginning with A`` (language 2): A's day is day 1 of the period, so the
    period ends one day (of the unit's kind) earlier than ``within N <unit> of A``."""

    unit: TimeUnit
    amount: Amount
    anchor: str


@dataclass(frozen=True, slots=True)
class WithinMonthsStartingWith:
    """``within N months starting with A``: the period includes A's date."""

    amount: Amount
    anchor: str


@dataclass(frozen=True, slots=True)
class BySchoolDay:
    """``by school day N of A``: on or before the Nth school day counted from A's date."""

    amount: Amount
    anchor: str


@dataclass(frozen=True, slots=True)
class BeforeDayMonth:
    """``before DAY MONTH in the year of A[.FIELD]``."""

    day: int
    month: int
    anchor: str
    anchor_field: str = "date"


@dataclass(frozen=True, slots=True)
class MonthsBefore:
    """``N months before A[.FIELD]``."""

    amount: Amount
    anchor: str
    anchor_field: str = "date"


@dataclass(frozen=True, slots=True)
class OnDate:
    """``by A[.FIELD]``: on or before a date of the anchor event."""

    anchor: str
    anchor_field: str = "date"


Clock: TypeAlias = (
    Within
    | WithinBeginningWith
    | WithinMonthsStartingWith
    | BySchoolDay
    | BeforeDayMonth
    | MonthsBefore
    | OnDate
)


@dataclass(frozen=True, slots=True)
class LaterOf:
    """The later of two due dates."""

    first: DueClock
    second: DueClock


@dataclass(frozen=True, slots=True)
class CaseClock:
    """A due date that depends on a field of a bound event. A case gives a due date (a clock
    or "the later of"), never a waiting period or further cases (the checker sees to it)."""

    selector: BoundField
    cases: tuple[tuple[str, CaseDue], ...]
    otherwise: CaseDue | None


#: Something that gives a due date.
DueClock: TypeAlias = Clock | CaseClock | LaterOf
#: What one case of ``depending on`` gives.
CaseDue: TypeAlias = Clock | LaterOf


@dataclass(frozen=True, slots=True)
class NotBefore:
    """A waiting period: the expected event may not happen before ``anchor + days``."""

    anchor: str
    amount: Amount


Deadline: TypeAlias = DueClock | NotBefore


def deadline_clocks(deadline: Deadline | None) -> Iterator[Clock | NotBefore]:
    """The simple clocks (a ``Clock`` or ``NotBefore``) inside a deadline (None yields nothing)."""
    stack: list[Deadline] = [deadline] if deadline is not None else []
    while stack:
        current = stack.pop()
        match current:
            case LaterOf():
                stack += [current.first, current.second]
            case CaseClock():
                stack += [clock for _, clock in current.cases]
                stack += [current.otherwise] if current.otherwise is not None else []
            case (
                Within()
                | WithinBeginningWith()
                | WithinMonthsStartingWith()
                | BySchoolDay()
                | BeforeDayMonth()
                | MonthsBefore()
                | OnDate()
                | NotBefore()
            ):
                yield current
            case _:
                assert_never(current)


def clock_amount(clock: Clock | NotBefore) -> Amount | None:
    """The number a simple clock counts (None for clocks that count nothing)."""
    match clock:
        case (
            Within()
            | WithinBeginningWith()
            | WithinMonthsStartingWith()
            | BySchoolDay()
            | MonthsBefore()
            | NotBefore()
        ):
            return clock.amount
        case BeforeDayMonth() | OnDate():
            return None
        case _:
            assert_never(clock)


# --- rule parts ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class EventMatch:
    types: tuple[str, ...]
    condition: Condition | None = None


@dataclass(frozen=True, slots=True)
class Trigger:
    binding: str
    match: EventMatch


@dataclass(frozen=True, slots=True)
class Requirement:
    """``only if``: the first event matching ``match`` on or after ``after``'s date."""

    binding: str
    after: str
    match: EventMatch


@dataclass(frozen=True, slots=True)
class MadeWithin:
    """(language 4) ``only if NAME within N UNIT after NAME.FIELD``: the rule applies only when
    the event bound to ``subject`` is dated on or before the last day of ``within N UNIT of`` the
    date of the event named by the ``event_ref`` field ``field`` of the event bound to
    ``reference``. When the field is absent, or names an event not visible on ``as_of``, the
    period has not been shown to start and the rule applies (``engine.made_within``)."""

    subject: str
    unit: TimeUnit
    amount: Amount
    reference: str
    field: str


@dataclass(frozen=True, slots=True)
class Exclusion:
    """``unless``: the rule does not apply if such an event exists."""

    after: str
    match: EventMatch
    on_or_before_due: bool = False
    before: str | None = None  # binding of the expected event: "before it, or it has not happened"


# Expectations: which event satisfies the duty.


@dataclass(frozen=True, slots=True)
class ExpectAfter:
    """The first event of ``event_types`` (matching ``condition``) on or after the anchor's
    date, the anchor itself excluded; bound to ``binding`` when the rule names it."""

    anchor: str
    event_types: tuple[str, ...]
    condition: Condition | None = None
    binding: str | None = None
    #: (language 3) ``from N months before A.FIELD``: search from that date instead of the
    #: anchor's (events before the anchor count; the anchor itself never does).
    search_from: MonthsBefore | None = None

    @property
    def described_type(self) -> str:
        return " or ".join(self.event_types)


@dataclass(frozen=True, slots=True)
class ExpectResponse:
    """The first event of ``event_type`` whose ``link_field`` names the anchor."""

    anchor: str
    event_type: str
    link_field: str
    binding: str | None = None

    @property
    def described_type(self) -> str:
        return self.event_type


@dataclass(frozen=True, slots=True)
class ExpectBound:
    """The event bound by ``only if`` as ``binding``."""

    binding: str


@dataclass(frozen=True, slots=True)
class ExpectBefore:
    """The first event of ``event_types`` dated on or before the anchor's date, the anchor
    excluded: the duty is met if it exists, breached if not."""

    anchor: str
    event_types: tuple[str, ...]
    condition: Condition | None = None
    #: (language 4) ``at least N clear days before``: the event must be dated on or before the
    #: anchor's date minus N + 1 days (None: on or before the anchor's date).
    clear_days: Amount | None = None

    @property
    def described_type(self) -> str:
        return " or ".join(self.event_types)


#: An event expected after the trigger (deadlines and waiting periods).
ExpectedEvent: TypeAlias = ExpectAfter | ExpectResponse | ExpectBound
Expectation: TypeAlias = ExpectedEvent | ExpectBefore


# Compliance: how a rule's status is decided, one type per kind of rule.


@dataclass(frozen=True, slots=True)
class MetByDeadline:
    """``expect X ... within/by/before ...``: met, late, pending, overdue (or exempt)."""

    expected: ExpectedEvent
    deadline: DueClock


@dataclass(frozen=True, slots=True)
class MetAfterWaiting:
    """``expect X ... not before N days ...``: met, breached (too early) or pending."""

    expected: ExpectedEvent
    waiting: NotBefore


@dataclass(frozen=True, slots=True)
class MetIfPreceded:
    """``expect X on or before A``: met when the event had already happened, breached if not."""

    expected: ExpectBefore


@dataclass(frozen=True, slots=True)
class MetIfHolds:
    """``require CONDITION``: met when the condition holds for the bound events, breached when
    not. ``text`` is the condition as written, for explanations."""

    condition: Condition
    text: str


Compliance: TypeAlias = MetByDeadline | MetAfterWaiting | MetIfPreceded | MetIfHolds


@dataclass(frozen=True, slots=True)
class Exemption:
    event_type: str
    from_binding: str
    #: (language 3) ``exempt TYPE where ...``: only exceptions satisfying it count (the
    #: grounds the duty's regulation lists); None: every exception of the type counts.
    condition: Condition | None = None


# Episodes (language 3; engine/episodes.py).


@dataclass(frozen=True, slots=True)
class BackToBack:
    """``reaching school day N of back to back TYPE lasting FIELD from NAME``: the trigger is the
    event of a run of back-to-back TYPE events (each lasting FIELD school days; without the field,
    indefinitely) on whose school days the run's Nth school day falls; the run's first event is
    bound to ``binding``."""

    event_type: str
    length_field: str
    binding: str
    amount: Amount
    #: ``where``: only the events of the type that satisfy it (a condition on the event's own
    #: fields) take part in runs; the others neither join nor break one. None: every event does.
    condition: Condition | None = None


@dataclass(frozen=True, slots=True)
class AbsencesReaching:
    """(language 4) ``reaching school day N of absences from START to END in the school year as
    NAME``: an absence runs from a ``start_type`` event to the first ``end_type`` event dated on
    or after it (the day the child is back, not a day of absence), an open one up to as_of; the
    trigger is the ``start_type`` event on whose school days the child's absences in a school
    year (1 September to 31 August) reach their Nth school day, and ``binding`` is bound to that
    day (``engine.episodes.find_absences_reaching``)."""

    start_type: str
    end_type: str
    binding: str
    amount: Amount


@dataclass(frozen=True, slots=True)
class CloseAtEndOfRun:
    """The window closes at the end of the run's last school day."""


@dataclass(frozen=True, slots=True)
class CloseAtNext:
    """The window closes the day before the next ``event_type`` after the trigger (after its run
    when the rule has one)."""

    event_type: str


@dataclass(frozen=True, slots=True)
class CloseAfter:
    """The window closes N units after a bound event (the day ``within N <unit> of`` gives)."""

    unit: TimeUnit
    amount: Amount
    anchor: str


WindowClose: TypeAlias = CloseAtEndOfRun | CloseAtNext | CloseAfter


@dataclass(frozen=True, slots=True)
class Window:
    """``window closes ...``: the earliest of ``parts`` closes the duty's window; an expected event
    after it belongs to another episode, and with none inside it the duty is breached."""

    trigger: str
    parts: tuple[WindowClose, ...]


# Duty holders: who must act.


@dataclass(frozen=True, slots=True)
class FixedHolder:
    holder: str


@dataclass(frozen=True, slots=True)
class HolderByCase:
    """A holder chosen by a field of a bound event."""

    selector: BoundField
    cases: tuple[tuple[str, str], ...]
    otherwise: str | None = None


DutyHolder: TypeAlias = FixedHolder | HolderByCase


@dataclass(frozen=True, slots=True)
class Rule:
    id: str
    title: str
    modality: Modality
    citations: tuple[str, ...]
    duty: DutyHolder
    trigger: Trigger
    compliance: Compliance
    requirements: tuple[Requirement, ...] = ()
    exclusions: tuple[Exclusion, ...] = ()
    exemption: Exemption | None = None
    unconfirmed: tuple[str, ...] = ()
    see: tuple[str, ...] = ()
    source_file: str = ""
    source_line: int = 0
    #: The rule as written in its .rules file (for diffs and documents).
    source_text: str = ""
    #: ``in force from A [until B]`` (language 2): the first and last trigger dates the rule
    #: applies to. The compiler also adds the range to the trigger's condition, so both
    #: backends apply it as they apply any trigger condition.
    in_force_from: date | None = None
    in_force_until: date | None = None
    #: ``illustrative "why"`` (language 2): why the rule's numbers are not law.
    illustrative: str | None = None
    #: (language 3) the run of back-to-back events the trigger must reach its Nth day in.
    run: BackToBack | None = None
    #: (language 3) when the duty's window closes.
    window: Window | None = None
    #: (language 4) ``only if NAME within N UNIT after NAME.FIELD``.
    made_within: MadeWithin | None = None
    #: (language 4) the absences adding up to N school days the trigger must reach them on.
    absences: AbsencesReaching | None = None

    @property
    def kind(self) -> RuleKind:
        """Which statuses the rule can give."""
        match self.compliance:
            case MetByDeadline():
                return RuleKind.DEADLINE
            case MetAfterWaiting():
                return RuleKind.WAITING
            case MetIfPreceded():
                return RuleKind.PRECEDING
            case MetIfHolds():
                return RuleKind.CONDITION
            case _:
                assert_never(self.compliance)

    # Views of the parts of ``compliance``, as documents and diffs show a rule.

    @property
    def expectation(self) -> Expectation | None:
        """What satisfies the duty (None for a ``require`` rule)."""
        match self.compliance:
            case MetByDeadline() | MetAfterWaiting() | MetIfPreceded():
                return self.compliance.expected
            case MetIfHolds():
                return None
            case _:
                assert_never(self.compliance)

    @property
    def deadline(self) -> Deadline | None:
        """By when (None for ``require`` rules and preceding-event rules)."""
        match self.compliance:
            case MetByDeadline():
                return self.compliance.deadline
            case MetAfterWaiting():
                return self.compliance.waiting
            case MetIfPreceded() | MetIfHolds():
                return None
            case _:
                assert_never(self.compliance)

    @property
    def check(self) -> Condition | None:
        """The condition of a ``require`` rule (None for the others)."""
        return self.compliance.condition if isinstance(self.compliance, MetIfHolds) else None

    def non_trigger_conditions(self) -> list[Condition | None]:
        """Every condition of the rule except its trigger condition."""
        conditions = [self.check] + [requirement.match.condition for requirement in self.requirements]
        conditions += [exclusion.match.condition for exclusion in self.exclusions]
        expectation = self.expectation
        match expectation:
            case ExpectAfter() | ExpectBefore():
                conditions.append(expectation.condition)
            case ExpectResponse() | ExpectBound():
                conditions.append(None)
            case None:
                pass
            case _:
                assert_never(expectation)
        conditions.append(self.exemption.condition if self.exemption is not None else None)
        return conditions


def _condition_parameters(*conditions: Condition | None) -> list[str]:
    return [
        operand.name
        for test in condition_leaves(*conditions)
        for operand in leaf_operands(test)
        if isinstance(operand, ParameterValue)
    ]


def _episode_amounts(rule: Rule) -> list[Amount]:
    """(language 3) the numbers a rule's run and window count."""
    amounts = [rule.run.amount] if rule.run is not None else []
    if rule.absences is not None:
        amounts.append(rule.absences.amount)
    if rule.window is not None:
        amounts += [part.amount for part in rule.window.parts if isinstance(part, CloseAfter)]
    return amounts


RuleParameters: TypeAlias = tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]


def rule_parameters(rule: Rule) -> RuleParameters:
    """The parameters a rule refers to: (in its trigger condition, in its other conditions,
    in its deadline)."""
    in_trigger = _condition_parameters(rule.trigger.match.condition)
    in_others = _condition_parameters(*rule.non_trigger_conditions())
    in_deadline = [
        amount.parameter
        for amount in map(clock_amount, deadline_clocks(rule.deadline))
        if isinstance(amount, ParameterAmount)
    ]
    expectation = rule.expectation
    if isinstance(expectation, ExpectAfter) and expectation.search_from is not None:  # language 3
        if isinstance(expectation.search_from.amount, ParameterAmount):
            in_deadline.append(expectation.search_from.amount.parameter)
    in_deadline += [
        amount.parameter for amount in _episode_amounts(rule) if isinstance(amount, ParameterAmount)
    ]
    if isinstance(expectation, ExpectBefore) and isinstance(expectation.clear_days, ParameterAmount):
        in_deadline.append(expectation.clear_days.parameter)  # (language 4)
    if rule.made_within is not None and isinstance(rule.made_within.amount, ParameterAmount):
        in_deadline.append(rule.made_within.amount.parameter)  # (language 4)
    return (tuple(sorted(set(in_trigger))), tuple(sorted(set(in_others))), tuple(sorted(set(in_deadline))))


# --- decision tables -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CellAny:
    """``-``: any value, absent included."""


@dataclass(frozen=True, slots=True)
class CellEquals:
    value: Value


@dataclass(frozen=True, slots=True)
class CellOneOf:
    values: tuple[Value, ...]


@dataclass(frozen=True, slots=True)
class CellRange:
    """``LOW..HIGH``, both included."""

    low: int
    high: int


@dataclass(frozen=True, slots=True)
class CellCompare:
    """``>= 4`` and the like."""

    operator: Operator
    value: int


CellTest: TypeAlias = CellAny | CellEquals | CellOneOf | CellRange | CellCompare


def cell_matches(cell: CellTest, value: Any) -> bool:
    """Does an input cell accept ``value`` (None: the field is absent)?"""
    match cell:
        case CellAny():
            return True
        case _ if value is None:
            return False
        case CellEquals():
            return bool(value == cell.value)
        case CellOneOf():
            return value in cell.values
        case CellRange():
            return bool(cell.low <= value <= cell.high)
        case CellCompare():
            return COMPARISONS[cell.operator](value, cell.value)
        case _:
            assert_never(cell)


def show_value(value: object) -> str:
    """A table value as written in a rules file: true/false, "text", numbers and dates bare."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return f'"{value}"' if isinstance(value, str) else str(value)


@dataclass(frozen=True, slots=True)
class TableRow:
    number: int  # 1-based, in the order written
    tests: tuple[CellTest, ...]
    outputs: tuple[Value, ...]
    source_line: int = 0


@dataclass(frozen=True, slots=True)
class DecisionTable:
    """Expected provision: inputs from the latest event of ``event_type`` visible on as_of."""

    id: str
    title: str
    citations: tuple[str, ...]
    event_type: str
    binding: str
    hit_policy: HitPolicy
    inputs: tuple[str, ...]  # field names of the event
    outputs: tuple[str, ...]
    output_types: tuple[OutputType, ...]
    rows: tuple[TableRow, ...]
    illustrative: str | None = None  # why the table is illustrative, when it is
    unconfirmed: tuple[str, ...] = ()
    source_file: str = ""
    source_line: int = 0
    source_text: str = ""


# --- the standard ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class DatedParameter:
    name: str
    unit: str
    values: tuple[tuple[date, int], ...]  # sorted by date
    description: str = ""
    source: str = ""
    unconfirmed: str | None = None
    #: (language 2) the number is local practice or an example, not law.
    illustrative: bool = False

    def value_at(self, day: date) -> int | None:
        """The value in force on ``day``, or None before the first value took effect."""
        found = None
        for effective, value in self.values:
            if effective <= day:
                found = value
            else:
                break
        return found


@dataclass(frozen=True, slots=True)
class FieldType:
    """The type of an event field, as the journey validator and the checker see it."""

    type: FieldKind
    values: tuple[str, ...] = ()
    minimum: int | None = None
    maximum: int | None = None
    event_type: str | None = None
    required: bool = True
    required_when: tuple[tuple[str, tuple[str, ...]], ...] = ()
    description: str | None = None


@dataclass(frozen=True, slots=True)
class EventType:
    name: str
    description: str
    fields: tuple[tuple[str, FieldType], ...] = ()

    def field(self, name: str) -> FieldType | None:
        for field_name, field_type in self.fields:
            if field_name == name:
                return field_type
        return None


@dataclass(frozen=True, slots=True)
class CompiledStandard:
    """A checked and compiled version of a standards pack.

    Plain data: lookups by name scan the (short) tuples. What the engine derives from a
    standard to decide quickly (compiled conditions, journey validators, indexes by name) is
    built once in ``engine.prepared.PreparedStandard``."""

    id: str
    version: str
    sha256: str
    title: str
    status: StandardStatus
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
    #: The manifest's ``changes``: (summary, rules named, parameters named) each.
    changes: tuple[tuple[str, tuple[str, ...], tuple[str, ...]], ...] = field(default=())
    tables: tuple[DecisionTable, ...] = ()
    #: The pack's measures (``measures.yaml``; dsl/measures.py, dsl/measure_ir.py).
    measures: tuple[Measure, ...] = ()
    #: The manifest's ``school_days``: how school days are counted when a request gives no
    #: term dates (``weekdays`` or ``england_term_pattern``; engine/term_dates.py).
    school_days: str = "weekdays"
    #: The version of the rules language the pack is written in (manifest ``language``).
    language: int = 1

    @property
    def reference(self) -> str:
        return f"{self.id}@{self.version}"

    def event_type(self, name: str) -> EventType | None:
        return next((event_type for event_type in self.event_types if event_type.name == name), None)

    def parameter(self, name: str) -> DatedParameter | None:
        return next((parameter for parameter in self.parameters if parameter.name == name), None)

    def in_force_on(self, day: date) -> bool:
        return self.effective_from <= day and (self.effective_to is None or day <= self.effective_to)
