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

from datetime import date

from dsl import ir
from engine.deadlines import Deadline, describe_event
from engine.decision import Finding


def deadline_status(expected, due: date, as_of: date) -> str:
    """met / late / pending / overdue, before exemptions."""
    if expected is not None:
        return "met" if expected.date <= due else "late"
    return "pending" if as_of <= due else "overdue"


def make_finding(rule: ir.Rule, trigger, duty_holder: str, deadline: Deadline, expected_type: str,
                 expected, exception, as_of: date, parameters: tuple[tuple[str, int], ...]) -> Finding:
    """Build the finding. ``exception`` is the first time-limit exception dated from the trigger
    to the due date (only looked at when the rule allows exemptions), or None."""
    title = rule.title
    satisfied_by = expected.id if expected is not None else None
    exception_id = None

    if deadline.due is None:  # a waiting period
        earliest = deadline.earliest
        if expected is None:
            status = "pending"
            message = (f"{title}: pending; no {expected_type} yet. It may not come before "
                       f"{earliest.isoformat()} ({deadline.explanation}).")
        elif expected.date >= earliest:
            status = "met"
            message = (f"{title}: met; {describe_event(expected)} came after the waiting period "
                       f"({deadline.explanation}; not before {earliest.isoformat()}).")
        else:
            status = "breached"
            message = (f"{title}: breached; {describe_event(expected)} came before "
                       f"{earliest.isoformat()}, the end of the waiting period ({deadline.explanation}).")
    else:
        due = deadline.due
        status = deadline_status(expected, due, as_of)
        due_text = f"due {due.isoformat()} ({deadline.explanation})"
        if status == "met":
            message = f"{title}: met by {describe_event(expected)}; {due_text}."
        elif status == "pending":
            message = f"{title}: pending; no {expected_type} yet, {due_text}."
        elif status == "late":
            days = (expected.date - due).days
            message = (f"{title}: late; {describe_event(expected)} came {days} day"
                       f"{'s' if days != 1 else ''} after the due date, {due_text}.")
        else:
            days = (as_of - due).days
            message = (f"{title}: overdue; no {expected_type} by the due date, {due_text}; "
                       f"{days} day{'s' if days != 1 else ''} overdue on {as_of.isoformat()}.")
        if status in ("late", "overdue") and exception is not None:
            missed = "late" if status == "late" else "overdue"
            status = "exempt"
            exception_id = exception.id
            reason = exception.get("reason")
            message = (f"{title}: exempt; the time limit was missed ({missed}, {due_text}), but "
                       f"{describe_event(exception)}" + (f" ({reason})" if reason else "")
                       + " means it need not be met.")

    return Finding(
        rule=rule.id,
        trigger=trigger.id,
        status=status,
        due=deadline.due,
        satisfied_by=satisfied_by,
        exception=exception_id,
        duty_holder=duty_holder,
        modality=rule.modality,
        citations=rule.citations,
        message=message,
        parameters=parameters,
    )


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
    from engine.errors import DecisionError

    raise DecisionError("no_duty_holder", f"no duty holder is defined for {duty.selector.field} = {value!r}")
