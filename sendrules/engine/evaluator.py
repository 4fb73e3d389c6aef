"""The reference backend: the compiled rules evaluated in plain Python.

``evaluate(prepared, journey, as_of, calendar)`` is a pure function: no I/O, no clock, no
global state. It takes a ``PreparedStandard`` (the compiled standard with its conditions
compiled once into functions; see ``engine.prepared``). It is the statement of the semantics
that the Rete backend is tested against.

Matching follows the contract:

* only events dated on or before ``as_of`` are seen, everywhere;
* "X after A" is the first X (by date, then input order) dated on or after A's date, A itself
  excluded; "X in response to A" is the first X whose link field names A;
* ``unless`` removes the finding when such an event exists (within the due date and before the
  expected event, where the rule says so);
* a comparison with an absent field is false (use ``is missing`` to test for absence).
"""

from __future__ import annotations

from bisect import bisect_left
from datetime import date
from typing import Callable, Iterable, assert_never

from sendrules.dsl import ir
from sendrules.engine.calendar import Calendar
from sendrules.engine.conditions import Predicate, Scope
from sendrules.engine.deadlines import ParameterReader, compute_deadline
from sendrules.engine.decision import Decision, Finding, assemble_decision
from sendrules.engine.exceptions import first_scoped_exception
from sendrules.engine.search_from import first_from, search_start
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
from sendrules.engine.findings import duty_holder, make_check_finding, make_finding, make_preceding_finding
from sendrules.engine.journey import Event, Journey
from sendrules.engine.made_within import InTime, made_within
from sendrules.engine.prepared import PreparedRule, PreparedStandard

BACKEND = "reference"

Accept = Callable[[Event], bool]


# --- the events a decision sees --------------------------------------------------------------


class JourneyIndex:
    """The events visible on ``as_of``, by type, in (date, input order).

    Lookups cost in proportion to what they return, not to the journey: each type's events
    keep their dates for a binary search ("the first X on or after A's date" starts at A's date),
    merged lists of several types are made once, and "X in response to A" is a dictionary built
    on first use. So a decision's cost grows linearly with the journey's length
    (docs/performance.md, "Long journeys")."""

    def __init__(self, journey: Journey, as_of: date) -> None:
        visible = sorted(
            (event for event in journey.events if event.date <= as_of),
            key=lambda event: (event.date, event.index),
        )
        self.child = journey.child
        self.by_type: dict[str, list[Event]] = {}
        for event in visible:
            self.by_type.setdefault(event.type, []).append(event)
        self._dates: dict[tuple[str, ...], list[date]] = {}
        self._merged: dict[tuple[str, ...], list[Event]] = {}
        self._links: dict[tuple[str, str], dict[object, Event]] = {}
        #: what the decision's rules may keep between triggers (engine.episodes: runs)
        self.memo: dict[object, object] = {}

    def of_types(self, types: Iterable[str]) -> list[Event]:
        names = tuple(types)
        if len(names) == 1:
            return self.by_type.get(names[0], [])
        merged = self._merged.get(names)
        if merged is None:
            merged = self._merged[names] = sorted(
                (event for name in names for event in self.by_type.get(name, [])),
                key=lambda event: (event.date, event.index),
            )
        return merged

    def events_of(self, event_type: str) -> list[Event]:
        """The visible events of one type, in (date, input order)."""
        return self.by_type.get(event_type, [])

    def _start(self, names: tuple[str, ...], day: date) -> int:
        """The position of the first event of ``names`` dated on or after ``day``."""
        dates = self._dates.get(names)
        if dates is None:
            dates = self._dates[names] = [event.date for event in self.of_types(names)]
        return bisect_left(dates, day)

    def first_after(self, event_type: str, anchor: Event, accept: Accept) -> Event | None:
        """The first event of ``event_type`` on or after the anchor's date, the anchor excluded."""
        events = self.by_type.get(event_type)
        if not events:
            return None
        for position in range(self._start((event_type,), anchor.date), len(events)):
            event = events[position]
            if event is not anchor and accept(event):
                return event
        return None

    def first_after_any(self, event_types: tuple[str, ...], anchor: Event, accept: Accept) -> Event | None:
        """As ``first_after``, over several event types."""
        if len(event_types) == 1:
            return self.first_after(event_types[0], anchor, accept)
        events = self.of_types(event_types)
        for position in range(self._start(event_types, anchor.date), len(events)):
            event = events[position]
            if event is not anchor and accept(event):
                return event
        return None

    def first_on_or_before(self, event_types: tuple[str, ...], anchor: Event, accept: Accept) -> Event | None:
        """The first event of the types dated on or before the anchor's date, the anchor excluded."""
        for event in self.of_types(event_types):
            if event.date > anchor.date:
                break
            if event is not anchor and accept(event):
                return event
        return None

    def first_linked(self, event_type: str, link_field: str, anchor: Event) -> Event | None:
        """The first event of ``event_type`` whose ``link_field`` names the anchor."""
        links = self._links.get((event_type, link_field))
        if links is None:
            links = {}
            for event in self.by_type.get(event_type, ()):
                target = event.fields.get(link_field)
                if target is not None and target not in links:
                    links[target] = event
            self._links[(event_type, link_field)] = links
        return links.get(anchor.id)

    def by_id(self, event_id: str) -> Event | None:
        """(language 4) The visible event with this id, if any (built on first use)."""
        events = self.memo.get("by_id")
        if not isinstance(events, dict):  # (the index holds only the visible events)
            events = self.memo["by_id"] = {
                event.id: event for listed in self.by_type.values() for event in listed
            }
        found = events.get(event_id)
        return found if isinstance(found, Event) else None

    def first_between(self, event_type: str, start: date, end: date) -> Event | None:
        """The first event of ``event_type`` dated from ``start`` to ``end``, both included."""
        events = self.by_type.get(event_type)
        if not events:
            return None
        position = self._start((event_type,), start)
        if position < len(events) and events[position].date <= end:
            return events[position]
        return None


# --- evaluation ------------------------------------------------------------------------------


class ReferenceBackend:
    """The reference evaluator as a backend object (see ``engine.backends``): stateless."""

    name = BACKEND

    def evaluate(
        self, prepared: PreparedStandard, journey: Journey, as_of: date, calendar: Calendar
    ) -> Decision:
        return evaluate(prepared, journey, as_of, calendar)


def evaluate(prepared: PreparedStandard, journey: Journey, as_of: date, calendar: Calendar) -> Decision:
    """Decide every duty of the standard for ``journey`` as of ``as_of``."""
    return assemble_decision(
        prepared.standard, journey, as_of, calendar, find_all(prepared, journey, as_of, calendar), BACKEND
    )


def find_all(prepared: PreparedStandard, journey: Journey, as_of: date, calendar: Calendar) -> list[Finding]:
    """All findings, unsorted."""
    index = JourneyIndex(journey, as_of)
    findings: list[Finding] = []
    for rule in prepared.rules:
        for trigger in index.of_types(rule.rule.trigger.match.types):
            finding = evaluate_trigger(prepared, rule, trigger, index, as_of, calendar)
            if finding is not None:
                findings.append(finding)
    return findings


class NotApplied:
    """Why a rule gave no finding for one triggering event (``engine.explain`` reads these):
    ``clause`` is ``"trigger"`` (the trigger's condition does not hold), ``"only_if"`` (no event
    for the requirement ``requirement``), ``"unless"`` (the exclusion ``exclusion`` found
    ``event``) or (language 4) ``"made_within"`` (the trigger was not made in time: ``in_time``)."""

    __slots__ = ("clause", "requirement", "exclusion", "event", "in_time")

    def __init__(
        self,
        clause: str,
        requirement: ir.Requirement | None = None,
        exclusion: ir.Exclusion | None = None,
        event: Event | None = None,
        in_time: InTime | None = None,
    ) -> None:
        self.clause = clause
        self.requirement = requirement
        self.exclusion = exclusion
        self.event = event
        self.in_time = in_time


def evaluate_trigger(
    prepared_standard: PreparedStandard,
    prepared: PreparedRule,
    trigger: Event,
    index: JourneyIndex,
    as_of: date,
    calendar: Calendar,
    why: list[NotApplied] | None = None,
) -> Finding | None:
    """The finding of one rule for one triggering event, or None if the rule does not apply.
    When ``why`` is given and the rule does not apply, the reason is appended to it (this costs
    the ordinary decision nothing: the list is only passed by ``engine.explain``)."""
    rule = prepared.rule
    params = ParameterReader(prepared_standard, trigger.date, rule.id, trigger.id, prepared.parameters)
    bindings = {rule.trigger.binding: trigger}
    scope = Scope(bindings, index.child, params, events=index.events_of, memo=index.memo)
    if not prepared.trigger_condition(trigger, scope):
        if why is not None:
            why.append(NotApplied("trigger"))
        return None
    params.require_rest()

    run: Run | None = None
    if rule.run is not None:  # (language 3) the trigger must be where its run reaches day N
        run = find_run(
            rule.run,
            trigger,
            index.of_types((rule.run.event_type,)),
            params.amount(rule.run.amount),
            calendar,
            index.memo,
            prepared.run_condition,
            scope,
        )
        if run is None:
            if why is not None:
                why.append(NotApplied("run"))
            return None
        bindings[rule.run.binding] = run.first
    reached: AbsencesReached | None = None
    if rule.absences is not None:  # (language 4) the trigger must be where the absences reach day N
        reached = find_absences_reaching(
            rule.absences,
            trigger,
            index.events_of(rule.absences.start_type),
            index.events_of(rule.absences.end_type),
            params.amount(rule.absences.amount),
            as_of,
            calendar,
            index.memo,
        )
        if reached is None:
            if why is not None:
                why.append(NotApplied("absences"))
            return None
        bindings[rule.absences.binding] = reached.marker()

    if rule.made_within is not None:  # (language 4) only for what was done in time
        in_time = made_within(rule.made_within, bindings, index.by_id, params, calendar)
        if not in_time.applies:
            if why is not None:
                why.append(NotApplied("made_within", in_time=in_time))
            return None

    for requirement, condition in zip(rule.requirements, prepared.requirement_conditions):
        found = index.first_after(
            requirement.match.types[0], bindings[requirement.after], lambda event: condition(event, scope)
        )
        if found is None:
            if why is not None:
                why.append(NotApplied("only_if", requirement=requirement))
            return None
        bindings[requirement.binding] = found

    # This runs for every trigger, so it dispatches with isinstance chains ending in assert_never
    # (mypy still proves every kind handled); a class pattern that fails costs about twice as much.
    compliance = rule.compliance
    if isinstance(compliance, ir.MetByDeadline):
        deadline = counted_over(compute_deadline(compliance.deadline, bindings, params, calendar), reached)
    elif isinstance(compliance, ir.MetAfterWaiting):
        deadline = compute_deadline(compliance.waiting, bindings, params, calendar)
    elif isinstance(compliance, ir.MetIfHolds):  # a condition on the bound events: met or breached
        if _excluded_by_any(prepared, scope, index):
            if why is not None:
                _record_exclusion(prepared, scope, index, why)
            return None
        holds = prepared.check(trigger, scope)
        finding = make_check_finding(
            rule, trigger, duty_holder(rule.duty, bindings), holds, compliance.text, params.recorded()
        )
        return explain_totals(finding, compliance.condition, scope)  # (language 3) totals, if any
    elif isinstance(compliance, ir.MetIfPreceded):  # an event that must already have happened
        before = compliance.expected
        anchor = bindings[before.anchor]
        condition = prepared.expectation_condition
        found = index.first_on_or_before(before.event_types, anchor, lambda event: condition(event, scope))
        if _excluded_by_any(prepared, scope, index):
            if why is not None:
                _record_exclusion(prepared, scope, index, why)
            return None
        clear_days = params.amount(before.clear_days) if before.clear_days is not None else None
        return make_preceding_finding(
            rule,
            trigger,
            duty_holder(rule.duty, bindings),
            before.described_type,
            anchor,
            found,
            params.recorded(),
            clear_days,  # (language 4) at least N clear days before
        )
    else:
        assert_never(compliance)
    scope.due = deadline.due

    expectation = compliance.expected
    expected: Event | None
    if isinstance(expectation, ir.ExpectAfter):
        expected_type = expectation.described_type
        anchor = bindings[expectation.anchor]
        if expectation.condition is None:
            expected = index.first_after_any(expectation.event_types, anchor, _accept_any)
        else:
            condition = prepared.expectation_condition
            expected = index.first_after_any(
                expectation.event_types, anchor, lambda event: condition(event, scope)
            )
        start = search_start(rule, bindings, params, calendar) if expectation.search_from else None
        if start is not None:  # language 3: searched from a computed date (engine.search_from)
            condition = prepared.expectation_condition
            expected = first_from(
                index, expectation.event_types, start, trigger, lambda event: condition(event, scope)
            )
        if expectation.binding is not None and expected is not None:
            bindings[expectation.binding] = expected
    elif isinstance(expectation, ir.ExpectResponse):
        expected_type = expectation.described_type
        if reached is not None:  # (language 4) a response to any absence of the spell
            expected = response_in_spell(
                reached, index.events_of(expectation.event_type), expectation.link_field
            )
        else:
            expected = index.first_linked(
                expectation.event_type, expectation.link_field, bindings[expectation.anchor]
            )
        if expectation.binding is not None and expected is not None:
            bindings[expectation.binding] = expected
    elif isinstance(expectation, ir.ExpectBound):
        expected = bindings[expectation.binding]
        expected_type = expected.type
    else:
        assert_never(expectation)

    closing: Closing | None = None
    if rule.window is not None:  # (language 3) an event after the window is another episode's
        next_events = {part.event_type: index.of_types((part.event_type,)) for part in _next_parts(rule)}
        closing = window_closes(rule.window, bindings, run, next_events, params, calendar)
        expected = inside_window(expected, closing)

    if _excluded_by_any(prepared, scope, index):
        if why is not None:
            _record_exclusion(prepared, scope, index, why)
        return None

    exception = None
    exemption = rule.exemption
    if exemption is not None and deadline.due is not None:
        exception = index.first_between(
            exemption.event_type, bindings[exemption.from_binding].date, deadline.due
        )
    if prepared.exemption_condition is not None and exemption is not None and deadline.due is not None:
        # language 3: only an exception on a ground the rule accepts (engine.exceptions)
        exception = first_scoped_exception(
            index,
            exemption.event_type,
            prepared.exemption_condition,
            scope,
            bindings[exemption.from_binding].date,
            deadline.due,
        )

    finding = make_finding(
        rule,
        trigger,
        duty_holder(rule.duty, bindings),
        deadline,
        expected_type,
        expected,
        exception,
        as_of,
        params.recorded(),
    )
    if run is None and rule.window is None and reached is None:
        return finding
    return with_episode(finding, rule, expected_type, run, closing, as_of, reached)


def _next_parts(rule: ir.Rule) -> list[ir.CloseAtNext]:
    """The ``at the next TYPE`` parts of a rule's window."""
    window = rule.window
    return [part for part in window.parts if isinstance(part, ir.CloseAtNext)] if window else []


def _accept_any(event: Event) -> bool:
    return True


def _excluded_by_any(prepared: PreparedRule, scope: Scope, index: JourneyIndex) -> bool:
    """True when any of the rule's ``unless`` clauses finds its event."""
    return any(
        _excluded(exclusion, condition, scope, index)
        for exclusion, condition in zip(prepared.rule.exclusions, prepared.exclusion_conditions)
    )


def _record_exclusion(
    prepared: PreparedRule, scope: Scope, index: JourneyIndex, why: list[NotApplied]
) -> None:
    """Record which ``unless`` clause removed the finding, and with which event."""
    for exclusion, condition in zip(prepared.rule.exclusions, prepared.exclusion_conditions):
        event = _exclusion_event(exclusion, condition, scope, index)
        if event is not None:
            why.append(NotApplied("unless", exclusion=exclusion, event=event))
            return


def _excluded(exclusion: ir.Exclusion, condition: Predicate, scope: Scope, index: JourneyIndex) -> bool:
    """True when an event matching the ``unless`` clause exists."""
    return _exclusion_event(exclusion, condition, scope, index) is not None


def _exclusion_event(
    exclusion: ir.Exclusion, condition: Predicate, scope: Scope, index: JourneyIndex
) -> Event | None:
    """The first event matching the ``unless`` clause, if any."""
    due = scope.due
    before = scope.bindings.get(exclusion.before) if exclusion.before else None

    def accept(event: Event) -> bool:
        if exclusion.on_or_before_due and (due is None or event.date > due):
            return False
        if before is not None and not event.date < before.date:
            return False
        return condition(event, scope)

    anchor = scope.bindings[exclusion.after]
    return index.first_after(exclusion.match.types[0], anchor, accept)
