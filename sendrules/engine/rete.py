"""The Rete backend: the same compiled rules, matched by durable-rules.

Who does what
-------------
durable-rules (a Rete network in C) does the *matching*: which events are visible on
``as_of``, which events start a duty (types and trigger conditions), and which events can
satisfy, require, exclude or exempt each trigger (types, conditions, "in response to",
comparisons with the trigger). Each match fires a small action that records it. A clause
whose candidates are tied to the trigger only by dates ("on or after the trigger", "on or
before the due date", …) is matched alone, into a *pool* (one match per event); one compared
with the trigger is matched in a join with it (one match per pair). See ``_RuleCompiler._candidates``.

Python then does what is not matching: picking the *first* candidate (by date, then input
order; from a pool by binary search on the dates, ``_Pool``), and deciding the status and
explanation. It uses exactly the shared code the
reference evaluator uses (``engine.deadlines``, ``engine.findings``, ``engine.decision``):
every date comes from the one calendar module, computed in Python and handed to the network as
an integer, never re-implemented in rules.

Facts (all values are integers: dates are ordinals, text and enum values are codes, so no
journey text ever reaches the C engine):

* an **event** fact per journey event: kind 1, type code ``ty``, input position ``i``, id code
  ``e``, date ``d``, the child's age and school year on that date, ``csa`` (1 when the child is
  of compulsory school age on that date, 0 if not), and one ``f_<field>`` per field present (an
  ``event_ref`` holds the id code of the event it names), and ``p_<name>``, the value on the
  event's date of each parameter that rule conditions use;
* a **clock** fact per (rule, event of the rule's trigger types), for the rules that have a join
  on the trigger's dates (``unless … on or before due``, a scoped ``exempt`` tied to the trigger,
  ``expect … from N months before``): kind 2, rule code ``r``, the event's position ``tr``, its
  due date ``due`` and (language 3) the date ``from`` which the expected event is searched;
* the **as-of** fact: kind 3, date ``d`` and the child's date of birth — asserted last, so no
  rule can fire before every event is in and results cannot depend on assertion order.

The engine's public methods (``open``, ``add_events``, ``add_as_of``, ``decide``, ``close``)
are what a one-shot ``evaluate`` and an incremental ``ReteSession`` are made of. The backend is
created through the registry in ``engine.backends`` (the ``DecisionService`` holds one engine);
importing this module registers nothing.

Safety (see third_party/durable-rules/README.md for the defects behind each point): a private
host without durable-rules' background timer threads, never the module-level host; one lock per
engine (the C calls do not release the GIL, so a lock costs no parallelism); exceptions raised
inside actions are re-raised as ``DecisionError`` instead of being swallowed; each decision's
partition is deleted from inside an action when the decision is done; durable-rules' own errors
become ``DecisionError``. Nothing here reads the clock (durable-rules reads it only for its
action leases, which never affect matching).
"""

from __future__ import annotations

import itertools
import threading
from bisect import bisect_left
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Callable, ClassVar, Final, Iterable, assert_never

# durable-rules ships no type information
from durable import engine as durable_engine  # type: ignore[import-untyped]

from sendrules.dsl import ir
from sendrules.engine.calendar import Calendar, age_on, national_curriculum_year, of_compulsory_school_age
from sendrules.engine.conditions import Scope
from sendrules.engine.deadlines import Deadline, ParameterReader, compute_deadline
from sendrules.engine.episodes import (
    Closing,
    Run,
    explain_totals,
    AbsencesReached,
    counted_over,
    find_absences_reaching,
    find_run,
    inside_window,
    response_in_spell,
    window_closes,
    with_episode,
)
from sendrules.engine.decision import Decision, Finding, assemble_decision
from sendrules.engine.errors import DecisionError, EngineError, InputError, Problem
from sendrules.engine.findings import duty_holder, make_check_finding, make_finding, make_preceding_finding
from sendrules.engine.journey import Child, Event, Journey
from sendrules.engine.made_within import made_within, visible_by_id
from sendrules.engine.prepared import PreparedStandard
from sendrules.engine.search_from import search_start

BACKEND = "rete"

EVENT, CLOCK, AS_OF, DROP, SEEN = 1, 2, 3, "__drop", "__seen"
#: durable-rules knows a fact by the 32-bit FNV-1a hash of its ``id`` (without one, of a hash of
#: its content), and refuses a fact whose hash it has seen in the partition as "already observed",
#: without comparing the ids: two different facts can collide. Every message we send carries
#: an explicit ``id``, the numbers 1, 2, 3, … of its partition (0 for the message that deletes
#: it), whose decimal texts have distinct hashes up to this bound (checked in
#: tests/engine/test_rete.py), so no two can collide.
FACT_IDS_WITHOUT_COLLISION: Final = 797_185
_INVERSE = {
    ir.Operator.EQ: ir.Operator.NE,
    ir.Operator.NE: ir.Operator.EQ,
    ir.Operator.LT: ir.Operator.GE,
    ir.Operator.LE: ir.Operator.GT,
    ir.Operator.GT: ir.Operator.LE,
    ir.Operator.GE: ir.Operator.LT,
}
_FLIPPED = {
    ir.Operator.EQ: ir.Operator.EQ,
    ir.Operator.NE: ir.Operator.NE,
    ir.Operator.LT: ir.Operator.GT,
    ir.Operator.LE: ir.Operator.GE,
    ir.Operator.GT: ir.Operator.LT,
    ir.Operator.GE: ir.Operator.LE,
}
_OPERATOR = {
    ir.Operator.NE: "$neq",
    ir.Operator.LT: "$lt",
    ir.Operator.LE: "$lte",
    ir.Operator.GT: "$gt",
    ir.Operator.GE: "$gte",
}

_EVENT_REF: Final = ir.FieldKind.EVENT_REF  # a global: read for every field of every event

#: A durable-rules pattern or fact: JSON-like data.
Json = dict[str, Any]
#: What a match means: the trigger itself, its check, or a candidate for one of its clauses.
Role = str | tuple[str, int]


class ReteUnsupported(Exception):
    """The compiled standard uses something this backend cannot express as patterns."""


# --- encoding journeys as integer facts --------------------------------------------------------


class Codes:
    """Stable integer codes for text values. Codes for the standard's own values are fixed when
    the program is compiled; a decision adds codes for other text (event ids, free text)."""

    def __init__(self, parent: "Codes | None" = None) -> None:
        self._codes: dict[str, int] = dict(parent._codes) if parent else {}

    def code(self, text: str) -> int:
        value = self._codes.get(text)
        if value is None:
            value = self._codes[text] = len(self._codes) + 1
        return value


def _encode(value: object, codes: Codes) -> int:
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, int):
        return value
    if isinstance(value, date):
        return value.toordinal()
    return codes.code(str(value))


# --- compiling rules to durable-rules patterns ---------------------------------------------


@dataclass(frozen=True)
class Order:
    """Where a candidate must lie relative to the trigger, by date (``AFTER``: on or after the
    trigger's date, not the trigger itself; ``BEFORE``: on or before it, not the trigger itself;
    ``FROM``: on or after it, the trigger included), and whether it must also be on or before the
    due date."""

    AFTER: ClassVar[str] = "after"
    BEFORE: ClassVar[str] = "before"
    FROM: ClassVar[str] = "from"
    ANY: ClassVar[str] = "any"  # found by a link to the trigger, whatever its date

    relation: str
    by_due: bool = False

    def conditions(self) -> list[Json]:
        """The same order as cross-fact conditions of a join with the trigger ``t`` and its
        clock ``c``."""
        match self.relation:
            case Order.AFTER:
                order: list[Json] = [{"$gte": {"d": {"t": "d"}}}, {"$neq": {"i": {"t": "i"}}}]
            case Order.BEFORE:
                order = [{"$lte": {"d": {"t": "d"}}}, {"$neq": {"i": {"t": "i"}}}]
            case Order.FROM:
                order = [{"$gte": {"d": {"t": "d"}}}]
            case _:
                order = []
        return order + ([{"$lte": {"d": {"c": "due"}}}] if self.by_due else [])


@dataclass
class _Pattern:
    """Builds the condition of one fact in a join. ``own`` is this fact's alias."""

    own: str
    types: tuple[str, ...] = ()  # the event types this fact can be
    cross: list[Json] = field(default_factory=list)  # conditions referring to other facts
    local: list[Json] = field(default_factory=list)  # conditions on this fact only
    #: (candidates) where the candidate lies relative to the trigger, kept apart from ``cross``
    #: so that a candidate with no other tie to the trigger can be matched alone (a pool)
    order: Order | None = None

    def ties_to_trigger(self) -> bool:
        """Whether a condition (other than ``order``) compares this fact with the trigger or its
        clock: then the candidate can only be matched in a join with them."""
        return any(alias in ("t", "c") for condition in self.cross for alias in _aliases(condition))

    def build(self, with_order: bool = True) -> Json:
        # Tests on this fact alone come first, so durable-rules' alpha network filters events
        # by kind and type before any join; cross-fact conditions follow, flat, the last one
        # repeated (a defence against durable-rules 2.0.28's defect B2, kept with the patch).
        order = self.order.conditions() if self.order is not None and with_order else []
        parts = list(self.local) + order + list(self.cross)
        if order or self.cross:
            parts.append(parts[-1])
        if len(parts) == 1:
            return {self.own: parts[0]}
        return {self.own: {"$and": parts}}


class _RuleCompiler:
    """One IR rule -> durable-rules rule definitions, and what each match means."""

    def __init__(self, program: ReteProgram, rule: ir.Rule, number: int) -> None:
        self.program = program
        self.rule = rule
        self.number = number
        self.trigger_alias = rule.trigger.binding
        self._check_supported()

    def _check_supported(self) -> None:
        rule = self.rule
        if len(rule.requirements) > 1:
            raise ReteUnsupported(f"{rule.id}: more than one 'only if'")
        for requirement in rule.requirements:
            if requirement.after != self.trigger_alias:
                raise ReteUnsupported(f"{rule.id}: 'only if' must follow the triggering event")
        expectation = rule.expectation
        match expectation:
            case ir.ExpectAfter() | ir.ExpectResponse() | ir.ExpectBefore():
                if expectation.anchor != self.trigger_alias:
                    raise ReteUnsupported(
                        f"{rule.id}: the expected event must be placed against the triggering event "
                        f"({self.trigger_alias}), not {expectation.anchor}"
                    )
            case ir.ExpectBound() | None:
                pass
            case _:
                assert_never(expectation)
        for exclusion in rule.exclusions:
            if exclusion.after != self.trigger_alias:
                raise ReteUnsupported(f"{rule.id}: 'unless' must follow the triggering event")
        if isinstance(expectation, ir.ExpectAfter) and expectation.search_from is not None:
            if expectation.search_from.anchor != self.trigger_alias:
                raise ReteUnsupported(f"{rule.id}: 'from ... before' must use the triggering event")
        if rule.exemption is not None and rule.exemption.from_binding != self.trigger_alias:
            raise ReteUnsupported(f"{rule.id}: exemptions must run from the triggering event")
        others = [rule.trigger.match.condition] + [
            condition for condition in rule.non_trigger_conditions() if condition is not rule.check
        ]
        if uses_totals(*others):
            raise ReteUnsupported(f"{rule.id}: 'total ... in the school year' outside 'require'")
        run_binding = rule.run.binding if rule.run is not None else None
        absences_binding = rule.absences.binding if rule.absences is not None else None
        if rule.deadline is not None:
            for anchor in _deadline_anchors(rule.deadline):
                if anchor not in (self.trigger_alias, run_binding, absences_binding):
                    raise ReteUnsupported(f"{rule.id}: deadlines must run from the triggering event")
        if rule.run is not None and (
            rule.exemption is not None
            or rule.requirements
            or any(e.on_or_before_due for e in rule.exclusions)
        ):
            # (language 3) the due date of a run is known only once every event is in
            raise ReteUnsupported(
                f"{rule.id}: a run with 'only if', 'exempt' or 'unless ... on or before due'"
            )
        if rule.absences is not None and (
            rule.exemption is not None
            or rule.requirements
            or any(e.on_or_before_due for e in rule.exclusions)
            or rule.window is not None
        ):
            # (language 4) the day the absences reach is known only once every event is in
            raise ReteUnsupported(
                f"{rule.id}: absences with 'only if', 'exempt', 'unless ... on or before due' or a window"
            )
        if rule.window is not None and any(
            isinstance(part, ir.CloseAfter) and part.anchor not in (self.trigger_alias, run_binding)
            for part in rule.window.parts
        ):
            raise ReteUnsupported(f"{rule.id}: a window must close after the triggering event or its run")

    # --- the fixed part of every join: as_of, the rule's clock, and its trigger event ----------

    def _base(
        self,
        with_trigger_condition: bool,
        extra_trigger_condition: ir.Condition | None = None,
        due_required: bool = False,
        with_clock: bool = False,
    ) -> list[Json]:
        types = self.rule.trigger.match.types
        trigger = _Pattern(
            "t",
            types,
            cross=[{"$lte": {"d": {"a": "d"}}}],
            local=[{"k": EVENT}, self._type_test(types)],
        )
        for condition in (
            self.rule.trigger.match.condition if with_trigger_condition else None,
            extra_trigger_condition,
        ):
            if condition is not None:
                self._add_condition(trigger, condition)
        if not (due_required or with_clock):
            # the trigger's event type says it has a clock; joining the clock fact only to learn
            # that would cost a comparison per (clock, event) pair in durable-rules' join
            return [{"a": {"k": AS_OF}}, trigger.build()]
        self.program.clocked.add(self.rule.id)
        clock = _Pattern("c", local=[{"k": CLOCK}, {"r": self.number}])
        if due_required:
            clock.local.append({"$ex": {"due": 1}})
        trigger.cross.insert(0, {"i": {"c": "tr"}})
        return [{"a": {"k": AS_OF}}, clock.build(), trigger.build()]

    def _candidate(self, types: tuple[str, ...], condition: ir.Condition | None) -> _Pattern:
        candidate = _Pattern("x", types, cross=[{"$lte": {"d": {"a": "d"}}}], local=[{"k": EVENT}])
        candidate.local.append(self._type_test(types))
        if condition is not None:
            self._add_condition(candidate, condition)
        return candidate

    def _type_test(self, types: tuple[str, ...]) -> Json:
        codes = [self.program.type_code(name) for name in types]
        if len(codes) == 1:
            return {"ty": codes[0]}
        return {"$or": [{"ty": code} for code in codes]}

    # --- the rules -------------------------------------------------------------------------

    def definitions(self) -> dict[str, Json]:
        rule = self.rule
        name = f"r{self.number}"
        defs = {f"{name}_trigger": self._definition("trigger", self._base(True))}
        if rule.check is not None and not uses_totals(rule.check):  # (totals: decided in Python)
            defs[f"{name}_check"] = self._definition("check", self._base(True, rule.check))
        for requirement in rule.requirements:
            candidate = self._candidate(requirement.match.types, requirement.match.condition)
            candidate.order = Order(Order.AFTER)
            defs.update(self._candidates(f"{name}_require", "require", candidate))
        expected = self._expected_candidate(rule.expectation)
        if expected is not None:
            defs.update(self._candidates(f"{name}_expect", "expect", expected))
        for number, exclusion in enumerate(rule.exclusions):
            candidate = self._candidate(exclusion.match.types, exclusion.match.condition)
            candidate.order = Order(Order.AFTER, by_due=exclusion.on_or_before_due)
            defs.update(self._candidates(f"{name}_unless{number}", ("unless", number), candidate))
        if rule.exemption is not None:
            candidate = self._candidate((rule.exemption.event_type,), rule.exemption.condition)
            candidate.order = Order(Order.FROM, by_due=True)
            defs.update(self._candidates(f"{name}_exempt", "exempt", candidate))
        return defs

    def _candidates(self, name: str, role: Role, candidate: _Pattern) -> dict[str, Json]:
        """The rule that finds a clause's candidates. A candidate tied to the trigger only by
        its order (dates) is matched alone, once per event, into the clause's *pool*; Python
        then finds each trigger's first candidate in the pool by date (``_Pool``), so the number
        of matches grows with the journey, not with triggers times candidates. A candidate
        compared with the trigger's fields (``in response to``, ``where x = t.y``) is matched
        in a join with the trigger and its clock, once per (trigger, candidate) pair."""
        assert candidate.order is not None
        self.program.orders[(self.rule.id, role)] = candidate.order
        if candidate.ties_to_trigger():
            due_required = candidate.order.by_due
            with_clock = any(alias == "c" for condition in candidate.cross for alias in _aliases(condition))
            return {
                name: self._definition(
                    role,
                    self._base(False, due_required=due_required, with_clock=with_clock) + [candidate.build()],
                )
            }
        self.program.pooled.add((self.rule.id, role))
        return {
            name: self._definition(
                role, [{"a": {"k": AS_OF}}, candidate.build(with_order=False)], pooled=True
            )
        }

    def _expected_candidate(self, expectation: ir.Expectation | None) -> _Pattern | None:
        """The pattern of the expected event (None when the rule expects none of its own)."""
        match expectation:
            case ir.ExpectAfter() if expectation.search_from is not None:  # language 3
                candidate = self._candidate(expectation.event_types, expectation.condition)
                candidate.cross[:0] = [{"$gte": {"d": {"c": "from"}}}, {"$neq": {"i": {"t": "i"}}}]
                candidate.order = Order(Order.ANY)  # dated from the clock's "from", in the join
            case ir.ExpectAfter():
                candidate = self._candidate(expectation.event_types, expectation.condition)
                candidate.order = Order(Order.AFTER)
            case ir.ExpectBefore():
                candidate = self._candidate(expectation.event_types, expectation.condition)
                candidate.order = Order(Order.BEFORE)
            case ir.ExpectResponse():  # found by the link alone
                candidate = self._candidate((expectation.event_type,), None)
                candidate.cross[:0] = [{f"f_{expectation.link_field}": {"t": "e"}}]
                candidate.order = Order(Order.ANY)
            case ir.ExpectBound() | None:
                return None
            case _:
                assert_never(expectation)
        return candidate

    def _definition(self, role: Role, patterns: list[Json], pooled: bool = False) -> Json:
        return {"all": patterns, "run": self.program.action(self.rule.id, role, pooled)}

    # --- conditions ------------------------------------------------------------------------

    def _add_condition(self, pattern: _Pattern, condition: ir.Condition) -> None:
        """Add an IR condition to a fact's pattern. Comparisons with another fact go to the
        flat cross-fact list; everything on this fact alone goes to the local list."""
        if isinstance(condition, ir.AllOf):
            for part in condition.conditions:
                self._add_condition(pattern, part)
            return
        expression, is_cross = self._expression(pattern, condition, negate=False)
        (pattern.cross if is_cross else pattern.local).append(expression)

    def _expression(self, pattern: _Pattern, condition: ir.Condition, negate: bool) -> tuple[Json, bool]:
        match condition:
            case ir.Negation():
                return self._expression(pattern, condition.condition, not negate)
            case ir.AllOf() | ir.AnyOf():
                conjunction = isinstance(condition, ir.AllOf) != negate
                parts = [self._expression(pattern, part, negate) for part in condition.conditions]
                if any(is_cross for _, is_cross in parts):
                    raise ReteUnsupported(
                        f"{self.rule.id}: a comparison with another event inside 'or' or 'not'"
                    )
                return {("$and" if conjunction else "$or"): [expression for expression, _ in parts]}, False
            case ir.Present():
                key = self._own_key(pattern, condition.operand)
                present = condition.present != negate
                return {("$ex" if present else "$nex"): {key: 1}}, False
            case ir.OneOf():
                key = self._own_key(pattern, condition.operand)
                values = [_encode(value, self.program.codes) for value in condition.values]
                if negate:
                    return {
                        "$or": [{"$nex": {key: 1}}, {"$and": [{"$neq": {key: value}} for value in values]}]
                    }, False
                return {"$and": [{"$ex": {key: 1}}, {"$or": [{key: value} for value in values]}]}, False
            case ir.Compare():
                return self._comparison(pattern, condition, negate)
            case _:
                assert_never(condition)

    def _comparison(self, pattern: _Pattern, condition: ir.Compare, negate: bool) -> tuple[Json, bool]:
        left, right, operator = condition.left, condition.right, condition.operator
        if not self._own_key(pattern, left, strict=False):
            left, right, operator = right, left, _FLIPPED[operator]
        key = self._own_key(pattern, left)
        other = self._value(pattern, right)
        is_cross = isinstance(other, dict) and "$m" not in other
        operator = _INVERSE[operator] if negate else operator
        test = {key: other} if operator == ir.Operator.EQ else {_OPERATOR[operator]: {key: other}}
        optional = self._is_optional(pattern, left)
        if is_cross:
            if optional:
                raise ReteUnsupported(f"{self.rule.id}: comparing an optional field with another event")
            return test, True
        if not optional:
            return test, False
        # an absent field makes a comparison false, and its negation true
        if negate:
            return {"$or": [{"$nex": {key: 1}}, test]}, False
        return {"$and": [{"$ex": {key: 1}}, test]}, False

    def _own_key(self, pattern: _Pattern, operand: ir.Operand, strict: bool = True) -> str:
        """The key of ``operand`` on the pattern's own fact (raises ``ReteUnsupported`` when it
        is not on that fact). With ``strict=False``, "" instead of raising."""
        own_binding = None if pattern.own == "x" else self.trigger_alias
        match operand:
            case ir.CandidateField():
                return _field_key(operand.field)
            case ir.BoundField() if operand.binding == own_binding:
                return _field_key(operand.field)
            case ir.ChildAge() | ir.ChildSchoolYear() if (
                pattern.own == "t" and operand.at == self.trigger_alias
            ):
                return "age" if isinstance(operand, ir.ChildAge) else "ncy"
            case ir.ChildOfCompulsorySchoolAge() if pattern.own == "t" and operand.at == self.trigger_alias:
                return "csa"
        if strict:
            raise ReteUnsupported(
                f"{self.rule.id}: a comparison that does not involve the event being matched"
            )
        return ""

    def _value(self, pattern: _Pattern, operand: ir.Operand) -> int | Json:
        """A constant, or a reference to another fact of the join ({alias: key})."""
        match operand:
            case ir.Constant():
                return _encode(operand.value, self.program.codes)
            case ir.ParameterValue():
                # every event fact carries the parameter's value on its own date; a parameter in a
                # rule is read on the trigger's date
                self.program.parameter_names.add(operand.name)
                return {"$m": f"p_{operand.name}"} if pattern.own == "t" else {"t": f"p_{operand.name}"}
            case ir.DueDate():
                return {"c": "due"}
            case ir.ChildField():
                return {"a": f"c_{operand.field}"}
            case ir.BoundField() if operand.binding == self.trigger_alias and pattern.own == "x":
                return {"t": _field_key(operand.field)}
            case ir.ChildAge() | ir.ChildSchoolYear() if (
                operand.at == self.trigger_alias and pattern.own == "x"
            ):
                return {"t": "age" if isinstance(operand, ir.ChildAge) else "ncy"}
            case ir.ChildOfCompulsorySchoolAge() if operand.at == self.trigger_alias and pattern.own == "x":
                return {"t": "csa"}
        raise ReteUnsupported(f"{self.rule.id}: a comparison with {type(operand).__name__}")

    def _is_optional(self, pattern: _Pattern, operand: ir.Operand) -> bool:
        if not isinstance(operand, (ir.CandidateField, ir.BoundField)) or operand.field in ("date", "id"):
            return False
        for name in pattern.types:
            event_type = self.program.prepared.event_type(name)
            spec = event_type.field(operand.field) if event_type else None
            if spec is None or not spec.required:
                return True
        return False


def uses_totals(*conditions: ir.Condition | None) -> bool:
    """Does any condition read a ``total ... in the school year`` (language 3)? Such a sum
    depends on every event of the journey, so the network does not match it: the check is
    decided in Python, by the reference evaluator's compiled condition, when deciding."""
    return any(
        isinstance(operand, ir.TotalInSchoolYear)
        for test in ir.condition_leaves(*conditions)
        for operand in ir.leaf_operands(test)
    )


def _aliases(condition: Any) -> Iterable[str]:
    """The facts a durable-rules condition refers to: ``{"t": "d"}`` names fact ``t``."""
    if isinstance(condition, dict):
        for key, value in condition.items():
            if isinstance(value, str) and key in ("a", "c", "t", "x"):
                yield key
            else:
                yield from _aliases(value)
    elif isinstance(condition, list):
        for part in condition:
            yield from _aliases(part)


def _field_key(name: str) -> str:
    return {"date": "d", "id": "e"}.get(name, f"f_{name}")


def _deadline_anchors(deadline: ir.Deadline) -> list[str]:
    match deadline:
        case ir.LaterOf():
            return _deadline_anchors(deadline.first) + _deadline_anchors(deadline.second)
        case ir.CaseClock():
            anchors = [deadline.selector.binding]
            for _, clock in deadline.cases:
                anchors += _deadline_anchors(clock)
            if deadline.otherwise is not None:
                anchors += _deadline_anchors(deadline.otherwise)
            return anchors
        case _:
            return [deadline.anchor]


# --- a compiled standard, registered on a host ------------------------------------------------


class ReteProgram:
    """A prepared standard as one durable-rules ruleset, for one engine (its actions report
    matches to that engine)."""

    def __init__(self, prepared: PreparedStandard, engine: ReteEngine) -> None:
        standard = prepared.standard
        self.prepared = prepared
        self.engine = engine
        self.name = f"s{standard.sha256[:20]}"
        self.codes = Codes()
        self.parameter_names: set[str] = set()
        self.all_types = tuple(event_type.name for event_type in standard.event_types)
        self.type_codes = {name: number for number, name in enumerate(self.all_types, start=1)}
        self.rule_numbers = {rule.id: number for number, rule in enumerate(standard.rules, start=1)}
        #: (rule, role) -> where that clause's candidates lie relative to the trigger
        self.orders: dict[tuple[str, Role], Order] = {}
        #: the clauses whose candidates are matched alone, into a pool (``_RuleCompiler._candidates``)
        self.pooled: set[tuple[str, Role]] = set()
        #: the rules with a join that needs the trigger's due date (its clock fact)
        self.clocked: set[str] = set()
        definition: dict[str, Json] = {}
        for rule in standard.rules:
            for value in _constants(rule):
                self.codes.code(value)
            definition.update(_RuleCompiler(self, rule, self.rule_numbers[rule.id]).definitions())
        definition[DROP] = {"all": [{"m": {DROP: 1}}], "pri": 65535, "run": _drop_partition}
        # A join that can never complete: every fact reaches it, so durable-rules never refuses
        # a fact as unhandled (which would abandon the pending actions of a whole batch).
        definition[SEEN] = {"all": [{"m": {"$gte": {"k": 0}}}, {"n": {"k": -1}}], "run": _never}
        self.definition = definition
        self.parameters = {
            prepared_rule.rule.id: prepared_rule.parameters for prepared_rule in prepared.rules
        }
        #: Which rules each event type can trigger (clock facts are made for those only).
        self.rules_by_trigger_type = prepared.rules_by_trigger_type

    @property
    def standard(self) -> ir.CompiledStandard:
        return self.prepared.standard

    def type_code(self, name: str) -> int:
        return self.type_codes[name]

    def action(self, rule_id: str, role: Role, pooled: bool = False) -> Callable[[Any], None]:
        if pooled:
            return lambda c: self.engine._record_pooled(rule_id, role, c)
        return lambda c: self.engine._record(rule_id, role, c)


def _constants(rule: ir.Rule) -> Iterable[str]:
    """Text constants of a rule's conditions, coded when the program is built."""
    for test in ir.condition_leaves(rule.trigger.match.condition, *rule.non_trigger_conditions()):
        if isinstance(test, ir.OneOf):
            yield from (value for value in test.values if isinstance(value, str))
        else:
            for operand in ir.leaf_operands(test):
                if isinstance(operand, ir.Constant) and isinstance(operand.value, str):
                    yield operand.value


def _never(c: Any) -> None:
    raise AssertionError("the sentinel join completed")


def _drop_partition(c: Any) -> None:
    # Deleting from inside an action runs after durable-rules has released the action context
    # (avoids the 2.0.28 defect B1 on unpatched builds).
    c.delete_state()


class _QuietHost(durable_engine.Host):  # type: ignore[misc]  # durable-rules is untyped
    """durable-rules' Host without its two background timer threads (they run actions on other
    threads, inject wall-clock '$pulse' events and race with deletes)."""

    def _run(self) -> None:
        pass


# --- matching one journey --------------------------------------------------------------------


@dataclass
class _Matches:
    """What the network reported for one partition."""

    triggers: dict[str, set[int]] = field(default_factory=dict)
    checks: dict[str, set[int]] = field(default_factory=dict)
    #: (rule, role, trigger position) -> positions of the candidate events
    candidates: dict[tuple[str, Role, int], list[int]] = field(default_factory=dict)
    #: (rule, role) -> positions of the candidate events of a pooled clause, whatever the trigger
    pools: dict[tuple[str, Role], list[int]] = field(default_factory=dict)
    errors: list[BaseException] = field(default_factory=list)


class _Pool:
    """A pooled clause's candidates in date and input order, for finding each trigger's first
    candidate by binary search (the same order the joins of unpooled clauses express)."""

    def __init__(self, positions: Iterable[int], by_index: dict[int, Event]) -> None:
        self.events = sorted(
            (by_index[index] for index in positions), key=lambda event: (event.date, event.index)
        )
        self.dates = [event.date for event in self.events]

    def first(self, trigger: Event, order: Order, due: date | None) -> Event | None:
        """The first candidate (by date, then input order) in ``order`` relative to
        ``trigger``; with ``order.by_due``, on or before ``due`` (none when there is no due)."""
        if order.by_due and due is None:
            return None
        match order.relation:
            case Order.AFTER | Order.FROM:
                start = bisect_left(self.dates, trigger.date)
            case _:
                start = 0
        for event in self.events[start : start + 2]:  # the trigger itself is skipped at most once
            if event.index == trigger.index and order.relation in (Order.AFTER, Order.BEFORE):
                continue
            if order.relation == Order.BEFORE and event.date > trigger.date:
                return None
            if order.by_due and due is not None and event.date > due:
                return None
            return event
        return None


@dataclass
class _Clock:
    """A rule's deadline and parameters for one event of its trigger types, computed by the
    shared code when the event arrives. Errors are kept: a trigger-condition parameter missing
    on a visible event is raised; any other missing parameter only if the event triggers."""

    deadline: Deadline | None = None
    params: ParameterReader | None = None
    trigger_error: EngineError | None = None
    rule_error: EngineError | None = None
    #: (language 3) the date the expected event is searched from (engine.search_from)
    search_from: date | None = None


@dataclass
class Partition:
    """One decision's (or session's) state in the network: open it with ``ReteEngine.open``,
    add events and the as-of fact, ``decide``, then ``close`` it."""

    sid: str
    program: ReteProgram
    child: Child
    as_of: date
    calendar: Calendar
    codes: Codes
    events: list[Event] = field(default_factory=list)
    clocks: dict[tuple[str, int], _Clock] = field(default_factory=dict)  # (rule, event position) -> clock
    matches: _Matches = field(default_factory=_Matches)
    messages: int = 0  # the messages sent into this partition (each one's id is its number)
    #: what deciding keeps between triggers (visible events by type, runs); emptied when events
    #: are added
    memo: dict[object, object] = field(default_factory=dict)

    def message(self, **content: Any) -> Json:
        """A message for this partition: its ``sid``, the next ``id`` (see
        ``FACT_IDS_WITHOUT_COLLISION``), and ``content``."""
        if self.messages >= FACT_IDS_WITHOUT_COLLISION:
            raise DecisionError(
                "rete_journey_too_long",
                f"the Rete backend holds at most {FACT_IDS_WITHOUT_COLLISION:,} facts for one decision; "
                "decide this journey on the reference evaluator",
            )
        self.messages += 1
        return {"sid": self.sid, "id": self.messages, **content}


class ReteEngine:
    """Owns a private durable-rules host. Safe to share between threads: calls into the host
    are serialised by one lock (durable-rules is not thread-safe, and its C calls hold the GIL).

    A durable-rules ruleset belongs to the host it is registered on, so the engine keeps the
    program of each standard it has decided (by content hash) for its lifetime; the standard's
    other prepared parts come from the ``PreparedStandard`` it is given."""

    name = BACKEND

    def __init__(self) -> None:
        self._host = _QuietHost()
        self._lock = threading.RLock()
        self._programs: dict[str, ReteProgram] = {}
        self._partitions: dict[str, Partition] = {}
        self._sequence = itertools.count(1)

    # --- deciding ------------------------------------------------------------------------

    def evaluate(
        self, prepared: PreparedStandard, journey: Journey, as_of: date, calendar: Calendar
    ) -> Decision:
        """One-shot decision: assert every event, then as_of; collect; delete the partition."""
        with self._lock:
            partition = self.open(prepared, journey.child, as_of, calendar)
            try:
                self.add_events(partition, journey.events)
                self.add_as_of(partition)  # last: now rules fire
                return self.decide(partition, journey)
            finally:
                self.close(partition)

    def session(
        self,
        prepared: PreparedStandard,
        child: dict[str, Any] | Child,
        as_of: date,
        calendar: Calendar | None = None,
    ) -> ReteSession:
        """An incremental session: post events one at a time, read findings at any point."""
        return ReteSession(self, prepared, child, as_of, calendar or Calendar())

    # --- partitions: what evaluate and sessions are made of ------------------------------

    def open(self, prepared: PreparedStandard, child: Child, as_of: date, calendar: Calendar) -> Partition:
        """A new, empty partition for one decision (the standard's ruleset is registered on
        first use)."""
        with self._lock:
            program = self._program(prepared)
            sid = f"p{next(self._sequence)}"
            partition = Partition(sid, program, child, as_of, calendar, Codes(program.codes))
            self._partitions[sid] = partition
            return partition

    def add_events(self, partition: Partition, events: Iterable[Event]) -> None:
        """Assert events (with the clock facts of the rules they can trigger) in one batch;
        the actions of every match run before this returns."""
        with self._lock:
            partition.memo.clear()
            self._assert(partition, [fact for event in events for fact in self._facts_for(partition, event)])

    def add_as_of(self, partition: Partition) -> None:
        """Assert the as-of fact (with the child's data): rules fire once it is in."""
        with self._lock:
            self._assert(partition, [self._as_of_fact(partition)])

    def decide(self, partition: Partition, journey: Journey) -> Decision:
        """The decision for what the partition has matched so far."""
        with self._lock:
            findings = self._findings(partition)
        return assemble_decision(
            partition.program.standard, journey, partition.as_of, partition.calendar, findings, BACKEND
        )

    def close(self, partition: Partition) -> None:
        """Delete the partition's state from the network (best effort)."""
        with self._lock:
            self._partitions.pop(partition.sid, None)
            try:
                self._host.post(partition.program.name, {"sid": partition.sid, "id": 0, DROP: 1})
            except Exception:  # noqa: BLE001 -- deleting is best effort; the partition is unreachable
                pass

    # --- the host ------------------------------------------------------------------------

    def _program(self, prepared: PreparedStandard) -> ReteProgram:
        program = self._programs.get(prepared.sha256)
        if program is None:
            standard = prepared.standard
            try:
                program = ReteProgram(prepared, self)
            except ReteUnsupported as error:
                raise DecisionError(
                    "rete_unsupported", f"the Rete backend cannot run {standard.reference}: {error}"
                ) from None
            try:
                self._host.register_rulesets({program.name: program.definition})
            except Exception as error:  # noqa: BLE001 -- a durable-rules error, reported clearly
                raise DecisionError(
                    "rete_error", f"the Rete backend could not load {standard.reference}: {error}"
                ) from None
            self._programs[prepared.sha256] = program
        return program

    def _assert(self, partition: Partition, facts: list[Json]) -> None:
        """Assert a batch of facts; the actions of every match run before this returns."""
        if not facts:
            return
        try:
            self._host.assert_facts(partition.program.name, facts)
        except Exception as error:  # noqa: BLE001 -- durable-rules' own errors
            # durable-rules puts the facts themselves in some messages: say what kind of error
            # it was and keep its text short
            raise DecisionError(
                "rete_error", f"the Rete backend failed: {type(error).__name__}: {str(error)[:200]}"
            ) from None
        if partition.matches.errors:
            failure = partition.matches.errors[0]
            raise DecisionError(
                "rete_action_failed", f"a Rete action failed: {type(failure).__name__}: {failure}"
            ) from None

    def _record_pooled(self, rule_id: str, role: Role, closure: Any) -> None:
        """The action of a pooled clause: remember the candidate (never raise into durable-rules)."""
        partition = None
        try:
            partition = self._partitions[closure.s.sid]
            partition.matches.pools.setdefault((rule_id, role), []).append(closure._m["x"]["i"])
        except BaseException as error:  # noqa: BLE001 -- durable-rules would swallow it
            if partition is not None:
                partition.matches.errors.append(error)
            else:
                for open_partition in self._partitions.values():
                    open_partition.matches.errors.append(error)

    def _record(self, rule_id: str, role: Role, closure: Any) -> None:
        """The action of every rule: remember the match (never raise into durable-rules)."""
        partition = None
        try:
            facts = closure._m
            partition = self._partitions[closure.s.sid]
            trigger = facts["t"]["i"]
            if role == "trigger":
                partition.matches.triggers.setdefault(rule_id, set()).add(trigger)
            elif role == "check":
                partition.matches.checks.setdefault(rule_id, set()).add(trigger)
            else:
                partition.matches.candidates.setdefault((rule_id, role, trigger), []).append(facts["x"]["i"])
        except BaseException as error:  # noqa: BLE001 -- durable-rules would swallow it
            if partition is not None:
                partition.matches.errors.append(error)
            else:
                for open_partition in self._partitions.values():
                    open_partition.matches.errors.append(error)

    # --- facts ---------------------------------------------------------------------------

    def _facts_for(self, partition: Partition, event: Event) -> list[Json]:
        """The clock facts of the rules this event can trigger (computed for every such rule;
        asserted only for the rules with a join on the due date, and only with a due date),
        then the event itself."""
        partition.events.append(event)
        program = partition.program
        facts = []
        for rule in program.rules_by_trigger_type.get(event.type, ()):
            clock = _clock(program, rule, event, partition.calendar)
            partition.clocks[(rule.id, event.index)] = clock
            if rule.id not in program.clocked:
                continue  # no join of this rule needs the trigger's dates
            content: Json = {"k": CLOCK, "r": program.rule_numbers[rule.id], "tr": event.index}
            if clock.deadline is not None and clock.deadline.due is not None:
                content["due"] = clock.deadline.due.toordinal()
            if clock.search_from is not None:  # language 3: engine.search_from
                content["from"] = clock.search_from.toordinal()
            if "due" in content or "from" in content:
                facts.append(partition.message(**content))
        facts.append(self._event_fact(partition, event))
        return facts

    def _event_fact(self, partition: Partition, event: Event) -> Json:
        codes = partition.codes
        child = partition.child
        fact = partition.message(
            k=EVENT,
            ty=partition.program.type_code(event.type),
            i=event.index,
            e=codes.code(event.id),
            d=event.date.toordinal(),
            age=age_on(child.date_of_birth, event.date),
            ncy=national_curriculum_year(child.date_of_birth, event.date),
            # (language 3) 1 when the child is of compulsory school age on the event's date
            csa=int(of_compulsory_school_age(child.date_of_birth, event.date)),
        )
        prepared = partition.program.prepared
        for name in partition.program.parameter_names:
            parameter = prepared.parameter(name)
            value = parameter.value_at(event.date) if parameter is not None else None
            if value is not None:
                fact[f"p_{name}"] = value
        event_type = prepared.event_type(event.type)
        for name, value in event.fields.items():
            spec = event_type.field(name) if event_type is not None else None
            fact[f"f_{name}"] = (
                codes.code(value) if spec is not None and spec.type is _EVENT_REF else _encode(value, codes)
            )
        return fact

    def _as_of_fact(self, partition: Partition) -> Json:
        child = partition.child
        fact = partition.message(
            k=AS_OF,
            d=partition.as_of.toordinal(),
            c_date_of_birth=child.date_of_birth.toordinal(),
            c_id=partition.codes.code(child.id),
        )
        if child.local_authority is not None:
            fact["c_local_authority"] = partition.codes.code(child.local_authority)
        return fact

    # --- from matches to findings ------------------------------------------------------

    def _findings(self, partition: Partition) -> list[Finding]:
        """Findings in the reference evaluator's order (rules, then visible events of the
        trigger types by date and input order), so that errors are raised in the same order."""
        by_index = {event.index: event for event in partition.events}
        order = {event.index: (event.date, event.index) for event in partition.events}
        matches = partition.matches
        pools = {clause: _Pool(positions, by_index) for clause, positions in matches.pools.items()}
        findings = []
        for rule in partition.program.standard.rules:
            candidates = sorted(
                (by_index[index] for (rule_id, index) in partition.clocks if rule_id == rule.id),
                key=lambda event: (event.date, event.index),
            )
            matched = matches.triggers.get(rule.id, set())
            for event in candidates:
                if event.date > partition.as_of:
                    continue
                clock = partition.clocks[(rule.id, event.index)]
                if clock.trigger_error is not None:
                    raise clock.trigger_error
                if event.index not in matched:
                    continue
                if clock.rule_error is not None:
                    raise clock.rule_error
                finding = self._finding(partition, rule, event, by_index, order, pools)
                if finding is not None:
                    findings.append(finding)
        return findings

    def _finding(
        self,
        partition: Partition,
        rule: ir.Rule,
        trigger: Event,
        by_index: dict[int, Event],
        order: dict[int, tuple[date, int]],
        pools: dict[tuple[str, Role], _Pool],
    ) -> Finding | None:
        matches = partition.matches
        program = partition.program
        clock = partition.clocks[(rule.id, trigger.index)]
        params = clock.params
        assert params is not None, "a clock without an error has its parameters"
        due = clock.deadline.due if clock.deadline is not None else None

        def first(role: Role) -> Event | None:
            if (rule.id, role) in program.pooled:
                pool = pools.get((rule.id, role))
                return pool.first(trigger, program.orders[(rule.id, role)], due) if pool else None
            found = matches.candidates.get((rule.id, role, trigger.index))
            return by_index[min(found, key=order.__getitem__)] if found else None

        def excluded() -> bool:
            return any(first(("unless", k)) is not None for k in range(len(rule.exclusions)))

        bindings = {rule.trigger.binding: trigger}
        run: Run | None = None
        deadline = clock.deadline
        if rule.run is not None:  # (language 3) the same run, from the same visible events
            run = find_run(
                rule.run,
                trigger,
                self._visible(partition, rule.run.event_type),
                params.amount(rule.run.amount),
                partition.calendar,
                partition.memo,
                partition.program.prepared.prepared_rule[rule.id].run_condition,
                Scope(dict(bindings), partition.child, params),
            )
            if run is None:
                return None
            bindings[rule.run.binding] = run.first
            if rule.deadline is not None:
                deadline = compute_deadline(rule.deadline, bindings, params, partition.calendar)
        if rule.made_within is not None:  # (language 4) the same test, after matching
            if not made_within(
                rule.made_within, bindings, self._by_id(partition), params, partition.calendar
            ).applies:
                return None
        reached: AbsencesReached | None = None
        if rule.absences is not None:  # (language 4) the same absences, from the same visible events
            reached = find_absences_reaching(
                rule.absences,
                trigger,
                self._visible(partition, rule.absences.start_type),
                self._visible(partition, rule.absences.end_type),
                params.amount(rule.absences.amount),
                partition.as_of,
                partition.calendar,
                partition.memo,
            )
            if reached is None:
                return None
            bindings[rule.absences.binding] = reached.marker()
            if rule.deadline is not None:
                deadline = counted_over(
                    compute_deadline(rule.deadline, bindings, params, partition.calendar), reached
                )
        compliance = rule.compliance
        if isinstance(compliance, ir.MetIfHolds):
            if excluded():
                return None
            if uses_totals(compliance.condition):  # (language 3) a sum over the journey's events
                prepared = partition.program.prepared.prepared_rule[rule.id]
                scope = Scope(
                    bindings,
                    partition.child,
                    params,
                    events=lambda event_type: self._visible(partition, event_type),
                    memo=partition.memo,
                )
                holds = prepared.check(trigger, scope)
                finding = make_check_finding(
                    rule, trigger, duty_holder(rule.duty, bindings), holds, compliance.text, params.recorded()
                )
                return explain_totals(finding, compliance.condition, scope)
            holds = trigger.index in matches.checks.get(rule.id, ())
            return make_check_finding(
                rule, trigger, duty_holder(rule.duty, bindings), holds, compliance.text, params.recorded()
            )
        for requirement in rule.requirements:
            found = first("require")
            if found is None:
                return None
            bindings[requirement.binding] = found
        match compliance:
            case ir.MetIfPreceded():
                if excluded():
                    return None
                before = compliance.expected
                clear_days = params.amount(before.clear_days) if before.clear_days is not None else None
                return make_preceding_finding(
                    rule,
                    trigger,
                    duty_holder(rule.duty, bindings),
                    before.described_type,
                    trigger,
                    first("expect"),
                    params.recorded(),
                    clear_days,  # (language 4) at least N clear days before
                )
            case ir.MetByDeadline() | ir.MetAfterWaiting():
                expectation = compliance.expected
            case _:
                assert_never(compliance)
        expected: Event | None
        if isinstance(expectation, ir.ExpectBound):
            expected = bindings[expectation.binding]
            expected_type = expected.type
        else:
            expected = first("expect")
            expected_type = expectation.described_type
        if reached is not None and isinstance(expectation, ir.ExpectResponse):
            # (language 4) a response to any absence of the spell, as the reference evaluator
            expected = response_in_spell(
                reached, self._visible(partition, expectation.event_type), expectation.link_field
            )
        closing: Closing | None = None
        if rule.window is not None:  # (language 3) an event after the window is another episode's
            next_events = {
                part.event_type: self._visible(partition, part.event_type)
                for part in rule.window.parts
                if isinstance(part, ir.CloseAtNext)
            }
            closing = window_closes(rule.window, bindings, run, next_events, params, partition.calendar)
            expected = inside_window(expected, closing)
        for number, exclusion in enumerate(rule.exclusions):
            # the first candidate is the earliest: if it is not before the expected event, none is
            candidate = first(("unless", number))
            if candidate is not None and (
                exclusion.before is None or expected is None or candidate.date < expected.date
            ):
                return None
        exception = first("exempt") if rule.exemption is not None else None
        assert deadline is not None, "a rule with an expected event has a deadline"
        finding = make_finding(
            rule,
            trigger,
            duty_holder(rule.duty, bindings),
            deadline,
            expected_type,
            expected,
            exception,
            partition.as_of,
            params.recorded(),
        )
        if run is None and rule.window is None and reached is None:
            return finding
        return with_episode(finding, rule, expected_type, run, closing, partition.as_of, reached)

    @staticmethod
    def _by_id(partition: Partition) -> Callable[[str], Event | None]:
        """(language 4) The visible events by id (kept in the partition's memo)."""
        events = partition.memo.get("by_id")
        if not isinstance(events, dict):
            events = partition.memo["by_id"] = visible_by_id(list(partition.events), partition.as_of)
        return events.get

    @staticmethod
    def _visible(partition: Partition, event_type: str) -> list[Event]:
        """The events of a type visible on as_of, in (date, input order), as the reference
        evaluator's journey index lists them (kept in the partition's memo)."""
        key = ("visible", event_type)
        visible = partition.memo.get(key)
        if not isinstance(visible, list):
            visible = partition.memo[key] = sorted(
                (e for e in partition.events if e.type == event_type and e.date <= partition.as_of),
                key=lambda event: (event.date, event.index),
            )
        return visible


def _clock(program: ReteProgram, rule: ir.Rule, trigger: Event, calendar: Calendar) -> _Clock:
    try:
        params = ParameterReader(
            program.prepared, trigger.date, rule.id, trigger.id, program.parameters[rule.id]
        )
    except EngineError as error:
        return _Clock(trigger_error=error)
    try:
        params.require_rest()
        deadline = (
            compute_deadline(rule.deadline, {rule.trigger.binding: trigger}, params, calendar)
            # a run's or absences': when deciding (_finding)
            if rule.deadline is not None and rule.run is None and rule.absences is None
            else None
        )
        start = search_start(rule, {rule.trigger.binding: trigger}, params, calendar)
    except EngineError as error:
        return _Clock(params=params, rule_error=error)
    return _Clock(deadline, params, search_from=start)


# --- incremental sessions ------------------------------------------------------------------


class ReteSession:
    """A caseworker system posting a child's events one at a time.

    Each ``post`` validates the event and adds it to the network, which matches it at once;
    ``decision()`` gives the findings so far. After the last event, ``decision()`` equals the
    one-shot decision for the whole journey (same events in the same order). An event may refer
    (``in_response_to``) to an event posted later; the whole journey must be valid when
    ``decision()`` is called. Close the session (or use ``with``) to free its partition.
    """

    def __init__(
        self,
        engine: ReteEngine,
        prepared: PreparedStandard,
        child: dict[str, Any] | Child,
        as_of: date,
        calendar: Calendar,
    ) -> None:
        self._engine = engine
        self._validator = prepared.validator
        self._raw_child = (
            child
            if isinstance(child, dict)
            else {
                "id": child.id,
                "date_of_birth": child.date_of_birth.isoformat(),
                **({"local_authority": child.local_authority} if child.local_authority else {}),
            }
        )
        probe = self._validator.validate({"child": self._raw_child, "events": []})
        self._raw_events: list[dict[str, Any]] = []
        self._closed = False
        self._partition = engine.open(prepared, probe.child, as_of, calendar)
        engine.add_as_of(self._partition)

    def post(self, event: dict[str, Any]) -> None:
        """Add one event (as a caseworker system sends it). Raises ``InputError`` if the event
        is invalid on its own or repeats an id; nothing is added then. A link to an event not
        posted yet is allowed (events may arrive in any order) and checked by ``decision()``."""
        self._check_open()
        index = len(self._raw_events)
        parsed = self._validator.validate_event(event, index)
        if any(raw.get("id") == parsed.id for raw in self._raw_events):
            raise InputError(
                "invalid_event",
                f"event {index} is invalid",
                [
                    Problem(
                        f"journey.events[{index}].id",
                        f"duplicate event id '{parsed.id}'",
                        event_index=index,
                        event_id=parsed.id,
                        field="id",
                        expected="an id unique within the journey",
                    )
                ],
            )
        self._engine.add_events(self._partition, [parsed])
        self._raw_events.append(event)

    def decision(self) -> Decision:
        """The decision for the events posted so far (the whole journey must be valid)."""
        self._check_open()
        journey = self._validator.validate({"child": self._raw_child, "events": self._raw_events})
        return self._engine.decide(self._partition, journey)

    def close(self) -> None:
        if not self._closed:
            self._closed = True
            self._engine.close(self._partition)

    def _check_open(self) -> None:
        if self._closed:
            raise InputError("session_closed", "this session is closed")

    def __enter__(self) -> ReteSession:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


__all__ = ["ReteEngine", "ReteSession", "ReteProgram", "ReteUnsupported", "Partition", "BACKEND"]
