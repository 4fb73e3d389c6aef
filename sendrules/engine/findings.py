"""Status and explanation of one finding (CONTRACT §3, statuses).

Given what the matching found -- the trigger, the deadline, the expected event (or none) and
a time-limit exception (or none) -- decide the status and write the message. Shared by both
backends, so a status can only be decided one way.

Deadlines:      met (on or before due) | late (after due) | pending (none yet, as_of <= due)
                | overdue (none yet, as_of > due) | exempt (late or overdue, but an exception
                dated from the trigger to due applies, where the rule allows exemptions).
Waiting periods: met (on or after the earliest day) | breached (before it) | pending (none yet).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Final, assert_never

from sendrules.dsl import ir
from sendrules.engine.deadlines import Deadline, describe_event
from sendrules.engine.decision import Finding, Status
from sendrules.engine.errors import DecisionError
from sendrules.engine.exceptions import exempt_text
from sendrules.engine.journey import Event

# The statuses as module constants: reading an attribute of an enum class is several times
# slower than reading a global, and these are read for every finding.
MET: Final = Status.MET
PENDING: Final = Status.PENDING
LATE: Final = Status.LATE
OVERDUE: Final = Status.OVERDUE
BREACHED: Final = Status.BREACHED
EXEMPT: Final = Status.EXEMPT


def deadline_status(expected: Event | None, due: date, as_of: date) -> Status:
    """met / late / pending / overdue, before exemptions."""
    if expected is not None:
        return MET if expected.date <= due else LATE
    return PENDING if as_of <= due else OVERDUE


def make_finding(
    rule: ir.Rule,
    trigger: Event,
    duty_holder: str,
    deadline: Deadline,
    expected_type: str,
    expected: Event | None,
    exception: Event | None,
    as_of: date,
    parameters: tuple[tuple[str, int], ...],
) -> Finding:
    """Build the finding. ``exception`` is the first time-limit exception dated from the trigger
    to the due date (only looked at when the rule allows exemptions), or None."""
    exception_id = None
    missed: Status | None = None
    if deadline.due is None:  # a waiting period
        assert deadline.earliest is not None, "a waiting period has an earliest day"
        if expected is None:
            status = PENDING
        elif expected.date >= deadline.earliest:
            status = MET
        else:
            status = BREACHED
    else:
        status = deadline_status(expected, deadline.due, as_of)
        if status in (LATE, OVERDUE) and exception is not None:
            missed = status
            status = EXEMPT
            exception_id = exception.id
    return Finding(
        rule=rule.id,
        trigger=trigger.id,
        status=status,
        due=deadline.due,
        satisfied_by=expected.id if expected is not None else None,
        exception=exception_id,
        duty_holder=duty_holder,
        modality=rule.modality,
        citations=rule.citations,
        parameters=parameters,
        explanation=Explanation(
            rule.title,
            status,
            missed,
            deadline,
            expected_type,
            expected,
            exception if exception_id else None,
            as_of,
            scoped=rule.exemption is not None and rule.exemption.condition is not None,
        ),
    )


def make_check_finding(
    rule: ir.Rule,
    trigger: Event,
    duty_holder: str,
    holds: bool,
    condition_text: str,
    parameters: tuple[tuple[str, int], ...],
) -> Finding:
    """A ``require`` rule: met when its condition holds for the trigger, breached when not."""
    status = MET if holds else BREACHED
    return Finding(
        rule.id,
        trigger.id,
        status,
        None,
        None,
        None,
        duty_holder,
        rule.modality,
        rule.citations,
        parameters,
        explanation=ConditionExplanation(rule.title, status, trigger, condition_text),
    )


def make_preceding_finding(
    rule: ir.Rule,
    trigger: Event,
    duty_holder: str,
    expected_type: str,
    anchor: Event,
    found: Event | None,
    parameters: tuple[tuple[str, int], ...],
    clear_days: int | None = None,
) -> Finding:
    """An ``expect ... on or before`` rule: met when the event had already happened; with
    (language 4) ``at least N clear days before``, only when it is dated on or before the anchor's
    date minus N + 1 days (the first such event is the earliest, so if it is too late all are)."""
    latest = anchor.date - timedelta(days=clear_days + 1) if clear_days is not None else None
    met = found is not None and (latest is None or found.date <= latest)
    status = MET if met else BREACHED
    return Finding(
        rule.id,
        trigger.id,
        status,
        None,
        found.id if found is not None else None,
        None,
        duty_holder,
        rule.modality,
        rule.citations,
        parameters,
        explanation=PrecedingExplanation(
            rule.title, status, expected_type, anchor, found, clear_days, latest
        ),
    )


@dataclass(slots=True)
class ConditionExplanation:
    title: str
    status: Status
    trigger: Event
    condition_text: str

    def render(self) -> str:
        if self.status is MET:
            return f"{self.title}: met; {describe_event(self.trigger)} meets: {self.condition_text}."
        return f"{self.title}: breached; {describe_event(self.trigger)} does not meet: {self.condition_text}."


@dataclass(slots=True)
class PrecedingExplanation:
    title: str
    status: Status
    expected_type: str
    anchor: Event
    found: Event | None
    #: (language 4) ``at least N clear days before``: N, and the last day the event may be dated
    clear_days: int | None = None
    latest: date | None = None

    def render(self) -> str:
        if self.clear_days is not None and self.latest is not None:
            lead = f"at least {self.clear_days} clear day{'s' if self.clear_days != 1 else ''} before"
            if self.found is None:
                return f"{self.title}: breached; no {self.expected_type} on or before {describe_event(self.anchor)}."
            if self.status is MET:
                return (
                    f"{self.title}: met; {describe_event(self.found)} came {lead} "
                    f"{describe_event(self.anchor)} (on or before {self.latest.isoformat()})."
                )
            return (
                f"{self.title}: breached; {describe_event(self.found)} came less than {self.clear_days} "
                f"clear day{'s' if self.clear_days != 1 else ''} before {describe_event(self.anchor)} "
                f"(it had to be dated on or before {self.latest.isoformat()})."
            )
        if self.found is not None:
            return (
                f"{self.title}: met; {describe_event(self.found)} came on or before "
                f"{describe_event(self.anchor)}."
            )
        return f"{self.title}: breached; no {self.expected_type} on or before {describe_event(self.anchor)}."


@dataclass(slots=True)
class Explanation:
    """Everything needed to explain a finding in words; the sentence is written on demand."""

    title: str
    status: Status
    missed: Status | None  # for exempt findings: late or overdue
    deadline: Deadline
    expected_type: str
    expected: Event | None
    exception: Event | None
    as_of: date
    #: (language 3) the rule's exemption is scoped to grounds: explained by engine.exceptions
    scoped: bool = False

    def render(self) -> str:
        title, deadline, expected = self.title, self.deadline, self.expected
        if deadline.due is None:
            assert deadline.earliest is not None
            earliest = deadline.earliest.isoformat()
            if expected is None:
                return (
                    f"{title}: pending; no {self.expected_type} yet. It may not come before "
                    f"{earliest} ({deadline.explain()})."
                )
            if self.status is MET:
                return (
                    f"{title}: met; {describe_event(expected)} came after the waiting period "
                    f"({deadline.explain()}; not before {earliest})."
                )
            return (
                f"{title}: breached; {describe_event(expected)} came before {earliest}, "
                f"the end of the waiting period ({deadline.explain()})."
            )
        due_text = f"due {deadline.due.isoformat()} ({deadline.explain()})"
        status = self.status
        if status is MET:
            assert expected is not None
            return f"{title}: met by {describe_event(expected)}; {due_text}."
        if status is PENDING:
            return f"{title}: pending; no {self.expected_type} yet, {due_text}."
        if status is LATE:
            assert expected is not None
            days = (expected.date - deadline.due).days
            return (
                f"{title}: late; {describe_event(expected)} came {_days(days)} after the due "
                f"date, {due_text}."
            )
        if status is OVERDUE:
            days = (self.as_of - deadline.due).days
            return (
                f"{title}: overdue; no {self.expected_type} by the due date, {due_text}; "
                f"{_days(days)} overdue on {self.as_of.isoformat()}."
            )
        if status is EXEMPT:
            assert self.exception is not None
            if self.scoped:
                return exempt_text(
                    title, f"{self.missed}", deadline.due, due_text, self.exception, expected, self.as_of
                )
            reason = self.exception.get("reason")
            return (
                f"{title}: exempt; the time limit was missed ({self.missed}, {due_text}), but "
                f"{describe_event(self.exception)}"
                + (f" ({reason})" if reason else "")
                + " means it need not be met."
            )
        if status is BREACHED:
            raise AssertionError("a deadline is never breached")
        assert_never(status)


def _days(count: int) -> str:
    return f"{count} day" + ("" if count == 1 else "s")


def duty_holder(duty: ir.DutyHolder, bindings: dict[str, Event]) -> str:
    """The body that must act: fixed, or chosen by a field of a bound event."""
    if isinstance(duty, ir.FixedHolder):  # (read for every finding: isinstance is cheaper than match)
        return duty.holder
    if isinstance(duty, ir.HolderByCase):
        value = bindings[duty.selector.binding].get(duty.selector.field)
        for case_value, holder in duty.cases:
            if case_value == value:
                return holder
        if duty.otherwise is not None:
            return duty.otherwise
        raise DecisionError(
            "no_duty_holder", f"no duty holder is defined for {duty.selector.field} = {value!r}"
        )
    assert_never(duty)
