"""The reference backend: the compiled rules evaluated in plain Python.

``evaluate(standard, journey, as_of, calendar)`` is a pure function: no I/O, no clock, no
global state it can change (the only cache holds the rules prepared from a standard, keyed by
the standard's content hash). It is the statement of the semantics that the Rete backend is
tested against.

Matching follows the contract:

* only events dated on or before ``as_of`` are seen, everywhere;
* "X after A" is the first X (by date, then input order) dated on or after A's date, A itself
  excluded; "X in response to A" is the first X whose link field names A;
* ``unless`` removes the finding when such an event exists (within the due date and before the
  expected event, where the rule says so);
* a comparison with an absent field is false (use ``is missing`` to test for absence).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import date
from typing import Any, Callable, Iterable

from sendrules.dsl import ir
from sendrules.engine.calendar import Calendar, age_on, national_curriculum_year
from sendrules.engine.deadlines import ParameterReader, compute_deadline
from sendrules.engine.decision import Decision, Finding, assemble_decision
from sendrules.engine.findings import duty_holder, make_check_finding, make_finding, make_preceding_finding
from sendrules.engine.journey import Event, Journey

BACKEND = "reference"


# --- the events a decision sees --------------------------------------------------------------


class JourneyIndex:
    """The events visible on ``as_of``, by type, in (date, input order)."""

    def __init__(self, journey: Journey, as_of: date) -> None:
        visible = sorted((event for event in journey.events if event.date <= as_of),
                         key=lambda event: (event.date, event.index))
        self.child = journey.child
        self.by_type: dict[str, list[Event]] = {}
        for event in visible:
            self.by_type.setdefault(event.type, []).append(event)

    def of_types(self, types: Iterable[str]) -> list[Event]:
        types = tuple(types)
        if len(types) == 1:
            return self.by_type.get(types[0], [])
        merged = [event for name in types for event in self.by_type.get(name, [])]
        return sorted(merged, key=lambda event: (event.date, event.index))

    def first_after(self, event_type: str, anchor: Event, accept) -> Event | None:
        """The first event of ``event_type`` on or after the anchor's date, the anchor excluded."""
        for event in self.by_type.get(event_type, ()):
            if event.date >= anchor.date and event is not anchor and accept(event):
                return event
        return None

    def first_after_any(self, event_types: tuple[str, ...], anchor: Event, accept) -> Event | None:
        """As ``first_after``, over several event types."""
        if len(event_types) == 1:
            return self.first_after(event_types[0], anchor, accept)
        for event in self.of_types(event_types):
            if event.date >= anchor.date and event is not anchor and accept(event):
                return event
        return None

    def first_on_or_before(self, event_types: tuple[str, ...], anchor: Event, accept) -> Event | None:
        """The first event of the types dated on or before the anchor's date, the anchor excluded."""
        for event in self.of_types(event_types):
            if event.date > anchor.date:
                break
            if event is not anchor and accept(event):
                return event
        return None

    def first_linked(self, event_type: str, link_field: str, anchor: Event) -> Event | None:
        for event in self.by_type.get(event_type, ()):
            if event.fields.get(link_field) == anchor.id:
                return event
        return None

    def first_between(self, event_type: str, start: date, end: date) -> Event | None:
        for event in self.by_type.get(event_type, ()):
            if start <= event.date <= end:
                return event
        return None


# --- conditions, compiled once per rule into small functions ---------------------------------


@dataclass
class Scope:
    """What a condition can see: the bound events, the child, parameters and the due date."""

    bindings: dict[str, Event]
    child: Any
    params: ParameterReader
    due: date | None = None


Predicate = Callable[[Event | None, Scope], bool]


def compile_condition(condition: ir.Condition | None) -> Predicate:
    """A function ``(candidate event, scope) -> bool`` for an IR condition."""
    if condition is None:
        return lambda candidate, scope: True
    if isinstance(condition, ir.AllOf):
        parts = [compile_condition(part) for part in condition.conditions]
        return lambda candidate, scope: all(part(candidate, scope) for part in parts)
    if isinstance(condition, ir.AnyOf):
        parts = [compile_condition(part) for part in condition.conditions]
        return lambda candidate, scope: any(part(candidate, scope) for part in parts)
    if isinstance(condition, ir.Negation):
        inner = compile_condition(condition.condition)
        return lambda candidate, scope: not inner(candidate, scope)
    if isinstance(condition, ir.Present):
        read = compile_operand(condition.operand)
        wanted = condition.present
        return lambda candidate, scope: (read(candidate, scope) is not None) == wanted
    if isinstance(condition, ir.OneOf):
        read = compile_operand(condition.operand)
        values = frozenset(condition.values)
        return lambda candidate, scope: read(candidate, scope) in values
    compare = ir.COMPARISONS[condition.operator]
    left = compile_operand(condition.left)
    right = compile_operand(condition.right)

    def comparison(candidate, scope):
        a = left(candidate, scope)
        b = right(candidate, scope)
        if a is None or b is None:
            return False
        return compare(a, b)

    return comparison


def compile_operand(operand: ir.Operand) -> Callable[[Event | None, Scope], Any]:
    if isinstance(operand, ir.Constant):
        value = operand.value
        return lambda candidate, scope: value
    if isinstance(operand, ir.EventField):
        name = operand.field
        if operand.binding is None:
            return lambda candidate, scope: candidate.get(name) if candidate is not None else None
        binding = operand.binding

        def bound_field(candidate, scope):
            event = scope.bindings.get(binding)
            return event.get(name) if event is not None else None

        return bound_field
    if isinstance(operand, ir.ChildField):
        name = operand.field
        return lambda candidate, scope: scope.child.get(name)
    if isinstance(operand, ir.ParameterValue):
        name = operand.name
        return lambda candidate, scope: scope.params.value(name)
    if isinstance(operand, ir.ChildAge):
        at = operand.at
        return lambda candidate, scope: age_on(scope.child.date_of_birth, scope.bindings[at].date)
    if isinstance(operand, ir.ChildSchoolYear):
        at = operand.at
        return lambda candidate, scope: national_curriculum_year(scope.child.date_of_birth,
                                                                 scope.bindings[at].date)
    return lambda candidate, scope: scope.due


@dataclass(frozen=True)
class PreparedRule:
    rule: ir.Rule
    trigger_condition: Predicate
    requirement_conditions: tuple[Predicate, ...]
    expectation_condition: Predicate
    exclusion_conditions: tuple[Predicate, ...]
    check: Predicate
    parameters: tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]


def prepare_rule(rule: ir.Rule) -> PreparedRule:
    expectation = rule.expectation
    return PreparedRule(
        rule,
        compile_condition(rule.trigger.match.condition),
        tuple(compile_condition(requirement.match.condition) for requirement in rule.requirements),
        compile_condition(expectation.condition if expectation is not None else None),
        tuple(compile_condition(exclusion.match.condition) for exclusion in rule.exclusions),
        compile_condition(rule.check),
        ir.rule_parameters(rule),
    )


_prepared: dict[str, tuple[PreparedRule, ...]] = {}
_prepared_lock = threading.Lock()


def prepared_rules(standard: ir.CompiledStandard) -> tuple[PreparedRule, ...]:
    """The standard's rules with their conditions compiled (cached by content hash)."""
    rules = _prepared.get(standard.sha256)
    if rules is None:
        rules = tuple(prepare_rule(rule) for rule in standard.rules)
        with _prepared_lock:
            _prepared[standard.sha256] = rules
    return rules


# --- evaluation ------------------------------------------------------------------------------


def evaluate(standard: ir.CompiledStandard, journey: Journey, as_of: date,
             calendar: Calendar) -> Decision:
    """Decide every duty of ``standard`` for ``journey`` as of ``as_of``."""
    return assemble_decision(standard, journey, as_of, calendar,
                             find_all(standard, journey, as_of, calendar), BACKEND)


def find_all(standard: ir.CompiledStandard, journey: Journey, as_of: date,
             calendar: Calendar) -> list[Finding]:
    """All findings, unsorted."""
    index = JourneyIndex(journey, as_of)
    findings: list[Finding] = []
    for prepared in prepared_rules(standard):
        for trigger in index.of_types(prepared.rule.trigger.match.types):
            finding = evaluate_trigger(standard, prepared, trigger, index, as_of, calendar)
            if finding is not None:
                findings.append(finding)
    return findings


def evaluate_trigger(standard: ir.CompiledStandard, prepared: PreparedRule, trigger: Event,
                     index: JourneyIndex, as_of: date, calendar: Calendar) -> Finding | None:
    """The finding of one rule for one triggering event, or None if the rule does not apply."""
    rule = prepared.rule
    params = ParameterReader(standard, trigger.date, rule.id, trigger.id, prepared.parameters)
    bindings = {rule.trigger.binding: trigger}
    scope = Scope(bindings, index.child, params)
    if not prepared.trigger_condition(trigger, scope):
        return None
    params.require_rest()

    for requirement, condition in zip(rule.requirements, prepared.requirement_conditions):
        found = index.first_after(requirement.match.types[0], bindings[requirement.after],
                                  lambda event: condition(event, scope))
        if found is None:
            return None
        bindings[requirement.binding] = found

    if rule.check is not None:  # a condition on the bound events: met or breached
        if _excluded_by_any(prepared, scope, index):
            return None
        holds = prepared.check(trigger, scope)
        return make_check_finding(rule, trigger, duty_holder(rule.duty, bindings), holds, params.recorded())

    expectation = rule.expectation
    anchor = bindings[expectation.anchor]
    if expectation.mode == "before":  # an event that must already have happened
        condition = prepared.expectation_condition
        found = index.first_on_or_before(expectation.event_types, anchor, lambda event: condition(event, scope))
        if _excluded_by_any(prepared, scope, index):
            return None
        return make_preceding_finding(rule, trigger, duty_holder(rule.duty, bindings), anchor, found,
                                      params.recorded())

    deadline = compute_deadline(rule.deadline, bindings, params, calendar)
    scope.due = deadline.due

    mode = expectation.mode
    if mode == "bound":
        expected = anchor
        expected_type = anchor.type
    else:
        expected_type = expectation.described_type
        if mode == "response":
            expected = index.first_linked(expectation.event_types[0], expectation.link_field, anchor)
        elif expectation.condition is None:
            expected = index.first_after_any(expectation.event_types, anchor, _accept_any)
        else:
            condition = prepared.expectation_condition
            expected = index.first_after_any(expectation.event_types, anchor, lambda event: condition(event, scope))
        if expectation.binding is not None:
            bindings[expectation.binding] = expected

    if _excluded_by_any(prepared, scope, index):
        return None

    exception = None
    exemption = rule.exemption
    if exemption is not None and deadline.due is not None:
        exception = index.first_between(exemption.event_type, bindings[exemption.from_binding].date,
                                        deadline.due)

    return make_finding(rule, trigger, duty_holder(rule.duty, bindings), deadline,
                        expected_type, expected, exception, as_of, params.recorded())


def _accept_any(event: Event) -> bool:
    return True


def _excluded_by_any(prepared: PreparedRule, scope: Scope, index: JourneyIndex) -> bool:
    """True when any of the rule's ``unless`` clauses finds its event."""
    return any(_excluded(exclusion, condition, scope, index)
               for exclusion, condition in zip(prepared.rule.exclusions, prepared.exclusion_conditions))


def _excluded(exclusion: ir.Exclusion, condition: Predicate, scope: Scope, index: JourneyIndex) -> bool:
    """True when an event matching the ``unless`` clause exists."""
    due = scope.due
    before = scope.bindings.get(exclusion.before) if exclusion.before else None

    def accept(event: Event) -> bool:
        if exclusion.on_or_before_due and (due is None or event.date > due):
            return False
        if before is not None and not event.date < before.date:
            return False
        return condition(event, scope)

    anchor = scope.bindings[exclusion.after]
    return index.first_after(exclusion.match.types[0], anchor, accept) is not None
