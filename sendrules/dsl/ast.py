"""The abstract syntax tree of a ``.rules`` file.

Frozen dataclasses, one per construct of the language. Every node carries the source ``span``
it came from, for error messages; spans are left out of equality so that two rules that say
the same thing compare equal wherever they are written.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Union


@dataclass(frozen=True)
class Span:
    """Where a node was written: 1-based line and column, end column exclusive."""

    file: str
    line: int
    column: int
    end_line: int
    end_column: int


def _span() -> Span | None:
    return field(default=None, compare=False, repr=False, kw_only=True)


@dataclass(frozen=True)
class Name:
    """An identifier as written (event type, alias, duty holder, field, parameter, rule id)."""

    value: str
    span: Span | None = _span()


@dataclass(frozen=True)
class Text:
    """A double-quoted string as written, without its quotes."""

    value: str
    span: Span | None = _span()


# --- conditions ------------------------------------------------------------------------------


@dataclass(frozen=True)
class FieldName:
    """A field of the event being matched, e.g. ``outcome``."""

    name: Name
    span: Span | None = _span()


@dataclass(frozen=True)
class Reference:
    """A dotted reference: ``alias.field``, ``params.some.name`` or ``child.field``."""

    path: Name  # the whole dotted name, e.g. "request.advice"
    span: Span | None = _span()

    @property
    def parts(self) -> tuple[str, ...]:
        return tuple(self.path.value.split("."))


@dataclass(frozen=True)
class DueDate:
    """The keyword ``due``: the due date computed for the finding."""

    span: Span | None = _span()


@dataclass(frozen=True)
class Literal:
    value: str | int | bool | date
    span: Span | None = _span()


@dataclass(frozen=True)
class ChildAgeAt:
    """``age of child at NAME``: the child's age in whole years on that event's date."""

    at: Name
    span: Span | None = _span()


@dataclass(frozen=True)
class ChildSchoolYearAt:
    """``school year of child at NAME``: the national curriculum year (Reception is 0)."""

    at: Name
    span: Span | None = _span()


@dataclass(frozen=True)
class TotalInSchoolYear:
    """``total FIELD of TYPE [counting FLAG as half] in the school year of NAME`` (language 3)."""

    field: Name
    event_type: Name
    at: Name
    span: Span | None = _span()
    #: ``counting FLAG as half``: an event whose boolean field FLAG is true adds half its FIELD.
    half_if: Name | None = None


Operand = Union[FieldName, Reference, DueDate, Literal, ChildAgeAt, ChildSchoolYearAt, TotalInSchoolYear]


@dataclass(frozen=True)
class Comparison:
    operator: str  # one of = != < <= > >=
    left: Operand
    right: Operand
    span: Span | None = _span()


@dataclass(frozen=True)
class Membership:
    operand: Operand
    values: tuple[Literal, ...]
    span: Span | None = _span()


@dataclass(frozen=True)
class Presence:
    operand: Operand
    present: bool
    span: Span | None = _span()


@dataclass(frozen=True)
class Not:
    operand: "Condition"
    span: Span | None = _span()


@dataclass(frozen=True)
class AllOf:
    parts: tuple["Condition", ...]
    span: Span | None = _span()


@dataclass(frozen=True)
class AnyOf:
    parts: tuple["Condition", ...]
    span: Span | None = _span()


@dataclass(frozen=True)
class CompulsorySchoolAgeAt:
    """``child of compulsory school age at NAME`` (language 3): the child is of compulsory school
    age (Education Act 1996 s8) on the date of the bound event NAME."""

    at: Name
    span: Span | None = _span()


Condition = Union[Comparison, Membership, Presence, Not, AllOf, AnyOf, CompulsorySchoolAgeAt]


# --- deadlines -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Amount:
    """A whole number written in the rule, or the name of a dated parameter."""

    value: int | None = None
    parameter: Name | None = None
    span: Span | None = _span()


@dataclass(frozen=True)
class DateRef:
    """The date of a bound event (``request``) or a date field of it (``transfer.transfer_date``)."""

    path: Name
    span: Span | None = _span()

    @property
    def alias(self) -> str:
        return self.path.value.split(".")[0]

    @property
    def field(self) -> str | None:
        parts = self.path.value.split(".", 1)
        return parts[1] if len(parts) == 2 else None


@dataclass(frozen=True)
class Within:
    """``within N weeks|days|months|working days|school days of ALIAS``."""

    amount: Amount
    unit: str  # weeks, days, months, working_days, school_days
    anchor: Name
    span: Span | None = _span()


@dataclass(frozen=True)
class WithinMonthsStartingWith:
    """``within N months starting with ALIAS``."""

    amount: Amount
    anchor: Name
    span: Span | None = _span()


@dataclass(frozen=True)
class BySchoolDay:
    """``by school day N of ALIAS``: on or before the Nth school day, ALIAS being day 1."""

    amount: Amount
    anchor: Name
    span: Span | None = _span()


@dataclass(frozen=True)
class BeforeDayMonth:
    """``before 15 February in the year of ALIAS.FIELD``."""

    day: int
    month: int
    date_ref: DateRef
    span: Span | None = _span()


@dataclass(frozen=True)
class MonthsBefore:
    """``N months before ALIAS.FIELD``."""

    amount: Amount
    date_ref: DateRef
    span: Span | None = _span()


@dataclass(frozen=True)
class ByDate:
    """``by NAME.FIELD``: on or before a date of a bound event."""

    date_ref: DateRef
    span: Span | None = _span()


@dataclass(frozen=True)
class NotBefore:
    """``not before N days beginning with ALIAS``: a waiting period, not a deadline."""

    amount: Amount
    anchor: Name
    span: Span | None = _span()


@dataclass(frozen=True)
class DeadlineCase:
    value: Text
    deadline: "Deadline"
    span: Span | None = _span()


@dataclass(frozen=True)
class DeadlineCases:
    """``depending on ALIAS.FIELD "value" -> deadline ... [otherwise -> deadline]``."""

    selector: Reference
    cases: tuple[DeadlineCase, ...]
    otherwise: "Deadline | None"
    span: Span | None = _span()


@dataclass(frozen=True)
class LaterOf:
    """``the later of DEADLINE and DEADLINE``."""

    first: "Deadline"
    second: "Deadline"
    span: Span | None = _span()


@dataclass(frozen=True)
class WithinBeginningWith:
    """``within N <unit> beginning with ALIAS`` (language 2): ALIAS's day is day 1."""

    amount: Amount
    unit: str  # weeks, days, months, working_days, school_days
    anchor: Name
    span: Span | None = _span()


Deadline = Union[
    Within,
    WithinBeginningWith,
    WithinMonthsStartingWith,
    BySchoolDay,
    ByDate,
    BeforeDayMonth,
    MonthsBefore,
    NotBefore,
    DeadlineCases,
    LaterOf,
]


# --- clauses ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class DutyFixed:
    holder: Name
    span: Span | None = _span()


@dataclass(frozen=True)
class DutyCase:
    value: Text
    holder: Name
    span: Span | None = _span()


@dataclass(frozen=True)
class DutyCases:
    selector: Reference
    cases: tuple[DutyCase, ...]
    otherwise: Name | None
    span: Span | None = _span()


@dataclass(frozen=True)
class Modality:
    value: str  # must | should
    span: Span | None = _span()


@dataclass(frozen=True)
class Cite:
    citations: tuple[Text, ...]
    span: Span | None = _span()


@dataclass(frozen=True)
class Unconfirmed:
    note: Text
    span: Span | None = _span()


@dataclass(frozen=True)
class See:
    rule_ids: tuple[Name, ...]
    span: Span | None = _span()


@dataclass(frozen=True)
class When:
    event_types: tuple[Name, ...]
    alias: Name
    condition: Condition | None
    span: Span | None = _span()


@dataclass(frozen=True)
class OnlyIf:
    """``only if TYPE after ALIAS [where ...] as NAME``: the rule applies only when such an
    event exists; the first one is bound to NAME."""

    event_type: Name
    after: Name
    condition: Condition | None
    alias: Name
    span: Span | None = _span()


@dataclass(frozen=True)
class OnlyIfWithin:
    """``only if NAME within N UNIT after NAME.FIELD`` (language 4): the rule applies only when
    the event NAME is dated on or before the last day of N UNIT counted from the date of the
    event that the ``event_ref`` field names (as ``within N UNIT of`` counts)."""

    subject: Name
    amount: Amount
    unit: str
    reference: Name  # NAME.FIELD, as written
    span: Span | None = _span()


@dataclass(frozen=True)
class Unless:
    """``unless TYPE after ALIAS [where ...] [on or before due] [before NAME]``."""

    event_type: Name
    after: Name
    condition: Condition | None
    on_or_before_due: bool
    before: Name | None
    span: Span | None = _span()


@dataclass(frozen=True)
class ExpectAfter:
    event_types: tuple[Name, ...]
    after: Name
    condition: Condition | None
    alias: Name | None
    span: Span | None = _span()
    #: (language 3) ``expect X from N months before NAME.FIELD``: the first X on or after that
    #: date (``after`` is then NAME), instead of after NAME's own date.
    search_from: MonthsBefore | None = None


@dataclass(frozen=True)
class ExpectResponse:
    event_type: Name
    to: Name
    alias: Name | None
    span: Span | None = _span()


@dataclass(frozen=True)
class ExpectBound:
    """``expect NAME``: the event bound earlier by ``only if``."""

    alias: Name
    span: Span | None = _span()


Expected = Union[ExpectAfter, ExpectResponse, ExpectBound]


@dataclass(frozen=True)
class Expect:
    expected: Expected
    deadline: Deadline
    span: Span | None = _span()


@dataclass(frozen=True)
class ExpectBefore:
    """``expect TYPE on or before NAME``: such an event must already have happened (on or
    before NAME's date, NAME itself excluded). Met or breached; no due date."""

    event_types: tuple[Name, ...]
    anchor: Name
    condition: Condition | None
    span: Span | None = _span()


@dataclass(frozen=True)
class ExpectClearBefore:
    """``expect TYPE at least N clear days before NAME`` (language 4): such an event must have
    happened with at least N whole days between its date and NAME's date (on or before NAME's
    date minus N + 1 days). Met or breached; no due date."""

    event_types: tuple[Name, ...]
    clear_days: Amount
    anchor: Name
    condition: Condition | None
    span: Span | None = _span()


@dataclass(frozen=True)
class Require:
    """``require CONDITION``: a condition on the events bound so far. Met or breached."""

    condition: Condition
    span: Span | None = _span()


@dataclass(frozen=True)
class Exempt:
    event_type: Name
    between: Name
    span: Span | None = _span()
    #: (language 3) ``where``: only exceptions that satisfy it excuse the time limit.
    condition: Condition | None = None


@dataclass(frozen=True)
class InForce:
    """``in force from DATE [until DATE]`` (language 2): the dates of triggers the rule
    applies to, both included. ``None`` for a date written wrongly (already reported)."""

    start: date | None
    end: date | None
    has_end: bool
    span: Span | None = _span()


@dataclass(frozen=True)
class Illustrative:
    """``illustrative "why"``: the numbers are local practice or examples, not law (tables;
    rules in language 2)."""

    note: Text
    span: Span | None = _span()


@dataclass(frozen=True)
class RunOf:
    """``reaching school day N of back to back TYPE [where CONDITION] lasting FIELD from NAME``
    (language 3)."""

    amount: Amount
    event_type: Name
    length_field: Name
    alias: Name
    span: Span | None = _span()
    #: ``where``: only the events of TYPE that satisfy it take part in runs.
    condition: Condition | None = None


@dataclass(frozen=True)
class AbsencesReaching:
    """``reaching school day N of absences from START to END in the school year as NAME``
    (language 4): absences that add up to N school days in a school year."""

    amount: Amount
    start_type: Name
    end_type: Name
    alias: Name
    span: Span | None = _span()


@dataclass(frozen=True)
class CloseAtEndOfRun:
    """``at the end of the run``: the last school day of the run of back-to-back events."""

    span: Span | None = _span()


@dataclass(frozen=True)
class CloseAtNext:
    """``at the next TYPE``: the day before the next such event after the trigger (or its run)."""

    event_type: Name
    span: Span | None = _span()


@dataclass(frozen=True)
class CloseAfter:
    """``N UNIT after NAME``: a stated period after a bound event."""

    amount: Amount
    unit: str
    anchor: Name
    span: Span | None = _span()


WindowClose = Union[CloseAtEndOfRun, CloseAtNext, CloseAfter]


@dataclass(frozen=True)
class Window:
    """``window closes PART [or PART ...]`` (language 3): the earliest part closes it."""

    parts: tuple[WindowClose, ...]
    span: Span | None = _span()


Clause = Union[
    DutyFixed,
    DutyCases,
    Modality,
    Cite,
    Unconfirmed,
    See,
    When,
    OnlyIf,
    OnlyIfWithin,
    Unless,
    Expect,
    ExpectBefore,
    ExpectClearBefore,
    Require,
    Exempt,
    InForce,
    Illustrative,
    RunOf,
    Window,
    AbsencesReaching,
]


@dataclass(frozen=True)
class RuleDecl:
    rule_id: Name
    title: Text
    clauses: tuple[Clause, ...]
    span: Span | None = _span()


# --- decision tables -------------------------------------------------------------------------


@dataclass(frozen=True)
class Given:
    event_type: Name
    alias: Name
    span: Span | None = _span()


@dataclass(frozen=True)
class HitPolicy:
    value: str  # unique | first
    span: Span | None = _span()


TableClause = Union[Cite, Unconfirmed, Illustrative, Given, HitPolicy]


@dataclass(frozen=True)
class Cell:
    """One input cell: ``-`` (any), a value, ``a or b``, ``2..3`` or ``>= 4``."""

    kind: str  # any, equals, one_of, range, compare
    values: tuple[Literal, ...] = ()
    operator: str | None = None
    span: Span | None = _span()


@dataclass(frozen=True)
class TableRow:
    inputs: tuple[Cell, ...]
    outputs: tuple[Literal, ...]
    span: Span | None = _span()


@dataclass(frozen=True)
class TableDecl:
    table_id: Name
    title: Text
    clauses: tuple[TableClause, ...]
    inputs: tuple[Name, ...]
    outputs: tuple[Name, ...]
    rows: tuple[TableRow, ...]
    span: Span | None = _span()


@dataclass(frozen=True)
class RulesFile:
    path: str
    rules: tuple[RuleDecl, ...]
    tables: tuple[TableDecl, ...] = ()
