"""Why a rule did, or did not, give a finding: the answer to "why is this duty not in the decision?".

``explain_rule(prepared, rule_id, journey, as_of, calendar)`` walks one rule over a journey
exactly as the reference evaluator does (it calls ``evaluator.evaluate_trigger`` for each
triggering event, which records why it stopped), and says for each event of the rule's trigger
types what happened:

* ``finding``   -- the rule applies: the finding's status and due date;
* ``trigger``   -- the event is of the right type but the trigger's condition does not hold
                   (this is also how a rule outside its in-force dates reads: the dates are part
                   of the trigger's condition);
* ``only_if``   -- an ``only if`` requirement found no event;
* ``unless``    -- an ``unless`` clause matched: which event;
* ``made_within`` -- (language 4) the triggering event was not made within the period counted
                   from the event its field names (``only if NAME within N UNIT after NAME.FIELD``).

When the journey has no visible event of the trigger types, the answer says so, and names the
events of those types dated after ``as_of`` (which a decision never sees). Both backends give
the same findings (docs/backends.md), so the explanation does not depend on the backend.

The clauses are quoted in words (``policy.describe``, the same words as the standards
document), and every event is named by its id, type and date, in the data-first style of
findings' explanations.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sendrules.dsl import ir
from sendrules.engine.calendar import Calendar
from sendrules.engine.errors import InputError, Problem
from sendrules.engine.evaluator import JourneyIndex, NotApplied, evaluate_trigger
from sendrules.engine.journey import Event, Journey
from sendrules.engine.made_within import describe_out_of_time
from sendrules.engine.prepared import PreparedRule, PreparedStandard
from sendrules.policy import describe

#: The outcomes of one triggering event, in the order a rule's clauses are tried.
OUTCOMES = ("finding", "trigger", "only_if", "unless", "run", "made_within", "absences")


@dataclass(frozen=True)
class TriggerOutcome:
    """What the rule did with one event of its trigger types."""

    event: Event
    outcome: str  # one of OUTCOMES
    because: str  # the clause in words, or the finding's explanation
    status: str | None = None  # the finding's status (outcome "finding")
    due: date | None = None  # the finding's due date, if any (outcome "finding")
    matched: Event | None = None  # the event an ``unless`` clause found (outcome "unless")

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "event": self.event.id,
            "type": self.event.type,
            "date": self.event.date.isoformat(),
            "outcome": self.outcome,
        }
        if self.status is not None:
            data["status"] = self.status
            data["due"] = self.due.isoformat() if self.due is not None else None
        if self.matched is not None:
            data["matched"] = _event_dict(self.matched)
        data["because"] = self.because
        return data


@dataclass(frozen=True)
class RuleExplanation:
    """The whole answer for one rule: a sentence, and the outcome of every triggering event."""

    rule: ir.Rule
    as_of: date
    answer: str
    triggers: tuple[TriggerOutcome, ...] = ()
    not_yet_visible: tuple[Event, ...] = field(default=())

    @property
    def applies(self) -> bool:
        return any(outcome.outcome == "finding" for outcome in self.triggers)

    def to_dict(self) -> dict[str, Any]:
        """The explanation as JSON-ready data (docs/explain.md)."""
        rule = self.rule
        return {
            "rule": rule.id,
            "title": rule.title,
            "citations": list(rule.citations),
            "source": {"file": rule.source_file, "line": rule.source_line},
            "as_of": self.as_of.isoformat(),
            "applies": self.applies,
            "answer": self.answer,
            "triggers": [outcome.to_dict() for outcome in self.triggers],
            "not_yet_visible": [_event_dict(event) for event in self.not_yet_visible],
        }


def explain_rule(
    prepared: PreparedStandard, rule_id: str, journey: Journey, as_of: date, calendar: Calendar
) -> RuleExplanation:
    """Explain what rule ``rule_id`` did with ``journey`` as of ``as_of``. Raises ``InputError``
    (``unknown_rule``, naming the closest ids) when the standard has no such rule."""
    found = _prepared_rule(prepared, rule_id)
    rule = found.rule
    standard = prepared.standard
    index = JourneyIndex(journey, as_of)
    types = rule.trigger.match.types
    outcomes = tuple(
        _outcome(prepared, found, trigger, index, as_of, calendar) for trigger in index.of_types(types)
    )
    later = tuple(event for event in journey.events if event.type in types and event.date > as_of)
    return RuleExplanation(rule, as_of, _answer(rule, standard, outcomes, later, as_of), outcomes, later)


def _prepared_rule(prepared: PreparedStandard, rule_id: str) -> PreparedRule:
    for candidate in prepared.rules:
        if candidate.rule.id == rule_id:
            return candidate
    ids = [candidate.rule.id for candidate in prepared.rules]
    close = difflib.get_close_matches(rule_id, ids, n=3, cutoff=0.6)
    standard = prepared.standard
    hint = (
        f"did you mean {', '.join(close)}?"
        if close
        else f"it has {len(ids)} rules: sendrules docs lists them"
    )
    raise InputError(
        "unknown_rule",
        f"{standard.id}@{standard.version} has no rule '{_bounded(rule_id)}'",
        [Problem("explain", hint, field="explain")],
    )


def _outcome(
    prepared: PreparedStandard,
    rule: PreparedRule,
    trigger: Event,
    index: JourneyIndex,
    as_of: date,
    calendar: Calendar,
) -> TriggerOutcome:
    why: list[NotApplied] = []
    finding = evaluate_trigger(prepared, rule, trigger, index, as_of, calendar, why)
    if finding is not None:
        return TriggerOutcome(trigger, "finding", finding.message, status=finding.status, due=finding.due)
    if not why:  # every path that gives no finding records why (evaluator.evaluate_trigger)
        raise AssertionError(f"rule {rule.rule.id} gave no finding for {trigger.id} and no reason")
    reason = why[0]
    standard = prepared.standard
    subject = f"{trigger.type} {trigger.id} on {trigger.date.isoformat()}"
    if reason.clause == "trigger":
        words = describe.condition(rule.rule.trigger.match.condition, standard)
        return TriggerOutcome(trigger, "trigger", f"{subject} does not meet the trigger's condition: {words}")
    if reason.clause == "only_if" and reason.requirement is not None:
        words = describe.requirement_words(reason.requirement, standard)
        return TriggerOutcome(
            trigger,
            "only_if",
            f"for {subject}, {words}: there is none dated on or before {as_of.isoformat()}",
        )
    if reason.clause == "unless" and reason.exclusion is not None and reason.event is not None:
        words = describe.exclusion(reason.exclusion, standard)
        matched = reason.event
        return TriggerOutcome(
            trigger,
            "unless",
            f"for {subject}, the rule does not apply: unless {words}; "
            f"{matched.type} {matched.id} on {matched.date.isoformat()} is such an event",
            matched=matched,
        )
    if reason.clause == "run" and rule.rule.run is not None:  # (language 3)
        run = rule.rule.run
        return TriggerOutcome(
            trigger,
            "run",
            f"{subject} is not where its run of back-to-back {run.event_type} events reaches the "
            "school day the rule counts to (that day falls on another event of the run, or the run "
            "does not last that long)",
        )
    made = rule.rule.made_within
    if reason.clause == "made_within" and made is not None and reason.in_time is not None:  # (language 4)
        return TriggerOutcome(trigger, "made_within", describe_out_of_time(made, trigger, reason.in_time))
    if reason.clause == "absences" and rule.rule.absences is not None:  # (language 4)
        absences = rule.rule.absences
        return TriggerOutcome(
            trigger,
            "absences",
            f"{subject} is not the {absences.start_type} on whose absence the child's absences reach "
            "the school day the rule counts to, in the school year or in a spell of absence without "
            "a break (that day falls on another absence, this absence reached it earlier, or it has "
            "not come by the decision's date)",
        )
    raise AssertionError(f"an unknown reason {reason.clause!r} for rule {rule.rule.id}")


def _answer(
    rule: ir.Rule,
    standard: ir.CompiledStandard,
    outcomes: tuple[TriggerOutcome, ...],
    later: tuple[Event, ...],
    as_of: date,
) -> str:
    """One sentence: does the rule apply, and if not, why not."""
    findings = [outcome for outcome in outcomes if outcome.outcome == "finding"]
    if findings:
        listed = ", ".join(f"{o.event.id} ({o.status})" for o in findings)
        answer = (
            f"{rule.id} applies: {len(findings)} finding{'s' if len(findings) != 1 else ''}, for {listed}"
        )
        others = len(outcomes) - len(findings)
        if others:
            answer += f"; {others} other triggering event{'s' if others != 1 else ''} gave none"
        return answer
    if not outcomes:
        answer = (
            f"{rule.id} gives no finding: it starts with {describe.trigger(rule, standard)}, "
            f"and the journey has no {' or '.join(rule.trigger.match.types)} event dated on or before "
            f"{as_of.isoformat()}"
        )
        if later:
            answer += (
                "; "
                + ", ".join(f"{event.id} on {event.date.isoformat()}" for event in later[:5])
                + (" and others" if len(later) > 5 else "")
                + " come after the as-of date, which a "
                "decision never sees"
            )
        return answer
    reasons = {outcome.outcome for outcome in outcomes}
    counted = ", ".join(
        f"{sum(o.outcome == r for o in outcomes)} stopped by {_CLAUSE_WORDS[r]}"
        for r in OUTCOMES
        if r in reasons
    )
    return (
        f"{rule.id} gives no finding: {len(outcomes)} triggering event{'s' if len(outcomes) != 1 else ''}, "
        f"none applied ({counted})"
    )


_CLAUSE_WORDS = {
    "trigger": "the trigger's condition",
    "only_if": "an 'only if'",
    "unless": "an 'unless'",
    "run": "a run of back-to-back events",
    "made_within": "an 'only if ... within' (not made in time)",
    "absences": "absences that add up",
}


def _event_dict(event: Event) -> dict[str, str]:
    return {"event": event.id, "type": event.type, "date": event.date.isoformat()}


def _bounded(text: str, limit: int = 80) -> str:
    return text if len(text) <= limit else text[:limit] + "…"
