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
from datetime import date

from sendrules.dsl import ir
from sendrules.engine.deadlines import Deadline, describe_event
from sendrules.engine.decision import Finding


def deadline_status(expected, due: date, as_of: date) -> str:
    """met / late / pending / overdue, before exemptions."""
    if expected is not None:
        return "met" if expected.date <= due else "late"
    return "pending" if as_of <= due else "overdue"


def make_finding(rule: ir.Rule, trigger, duty_holder: str, deadline: Deadline, expected_type: str,
                 expected, exception, as_of: date, parameters: tuple[tuple[str, int], ...]) -> Finding:
    """Build the finding. ``exception`` is the first time-limit exception dated from the trigger
    to the due date (only looked at when the rule allows exemptions), or None."""
    exception_id = None
    if deadline.due is None:  # a waiting period
        if expected is None:
            status = "pending"
        elif expected.date >= deadline.earliest:
            status = "met"
        else:
            status = "breached"
        missed = None
    else:
        status = deadline_status(expected, deadline.due, as_of)
        missed = None
        if status in ("late", "overdue") and exception is not None:
            missed = status
            status = "exempt"
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
        explanation=Explanation(rule.title, status, missed, deadline, expected_type, expected,
                                exception if exception_id else None, as_of),
    )


def make_check_finding(rule: ir.Rule, trigger, duty_holder: str, holds: bool,
                       parameters: tuple[tuple[str, int], ...]) -> Finding:
    """A ``require`` rule: met when its condition holds for the trigger, breached when not."""
    status = "met" if holds else "breached"
    return Finding(rule.id, trigger.id, status, None, None, None, duty_holder, rule.modality,
                   rule.citations, parameters,
                   explanation=ConditionExplanation(rule.title, status, trigger, rule.check_text))


def make_preceding_finding(rule: ir.Rule, trigger, duty_holder: str, anchor, found,
                           parameters: tuple[tuple[str, int], ...]) -> Finding:
    """An ``expect ... on or before`` rule: met when the event had already happened."""
    status = "met" if found is not None else "breached"
    return Finding(rule.id, trigger.id, status, None, found.id if found is not None else None, None,
                   duty_holder, rule.modality, rule.citations, parameters,
                   explanation=PrecedingExplanation(rule.title, status, rule.expectation.described_type,
                                                    anchor, found))


@dataclass(slots=True)
class ConditionExplanation:
    title: str
    status: str
    trigger: object
    condition_text: str

    def render(self) -> str:
        if self.status == "met":
            return f"{self.title}: met; {describe_event(self.trigger)} meets: {self.condition_text}."
        return f"{self.title}: breached; {describe_event(self.trigger)} does not meet: {self.condition_text}."


@dataclass(slots=True)
class PrecedingExplanation:
    title: str
    status: str
    expected_type: str
    anchor: object
    found: object

    def render(self) -> str:
        if self.status == "met":
            return (f"{self.title}: met; {describe_event(self.found)} came on or before "
                    f"{describe_event(self.anchor)}.")
        return (f"{self.title}: breached; no {self.expected_type} on or before "
                f"{describe_event(self.anchor)}.")


@dataclass(slots=True)
class Explanation:
    """Everything needed to explain a finding in words; the sentence is written on demand."""

    title: str
    status: str
    missed: str | None  # for exempt findings: late or overdue
    deadline: Deadline
    expected_type: str
    expected: object
    exception: object
    as_of: date

    def render(self) -> str:
        title, deadline, expected = self.title, self.deadline, self.expected
        if deadline.due is None:
            earliest = deadline.earliest.isoformat()
            if self.status == "pending":
                return (f"{title}: pending; no {self.expected_type} yet. It may not come before "
                        f"{earliest} ({deadline.explain()}).")
            if self.status == "met":
                return (f"{title}: met; {describe_event(expected)} came after the waiting period "
                        f"({deadline.explain()}; not before {earliest}).")
            return (f"{title}: breached; {describe_event(expected)} came before {earliest}, "
                    f"the end of the waiting period ({deadline.explain()}).")
        due_text = f"due {deadline.due.isoformat()} ({deadline.explain()})"
        if self.status == "met":
            return f"{title}: met by {describe_event(expected)}; {due_text}."
        if self.status == "pending":
            return f"{title}: pending; no {self.expected_type} yet, {due_text}."
        if self.status == "late":
            days = (expected.date - deadline.due).days
            return (f"{title}: late; {describe_event(expected)} came {_days(days)} after the due "
                    f"date, {due_text}.")
        if self.status == "overdue":
            days = (self.as_of - deadline.due).days
            return (f"{title}: overdue; no {self.expected_type} by the due date, {due_text}; "
                    f"{_days(days)} overdue on {self.as_of.isoformat()}.")
        reason = self.exception.get("reason")
        return (f"{title}: exempt; the time limit was missed ({self.missed}, {due_text}), but "
                f"{describe_event(self.exception)}" + (f" ({reason})" if reason else "")
                + " means it need not be met.")


def _days(count: int) -> str:
    return f"{count} day" + ("" if count == 1 else "s")


def duty_holder(duty: ir.Duty, bindings: dict) -> str:
    """The body that must act: fixed, or chosen by a field of a bound event."""
    if duty.holder is not None:
        return duty.holder
    value = bindings[duty.selector.binding].get(duty.selector.field)
    for case_value, holder in duty.cases:
        if case_value == value:
            return holder
    if duty.otherwise is not None:
        return duty.otherwise
    from sendrules.engine.errors import DecisionError

    raise DecisionError("no_duty_holder", f"no duty holder is defined for {duty.selector.field} = {value!r}")
