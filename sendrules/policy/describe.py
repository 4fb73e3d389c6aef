"""Plain English for the parts of a compiled standard.

Everything here is written from the IR (``dsl.ir``), never from the rule's text, so a document
says what the engine will do. The sentences are deliberately literal: they name the event types
and fields a caseworker system records, and every number read from a parameter names the
parameter (with each dated value when it has more than one).

    When the local authority received a request for an EHC needs assessment
    (assessment_requested, "the request"), the local authority must issue the final EHC plan
    (final_plan_issued) within 20 weeks of the request (parameter ehc.final_plan_weeks), unless
    there is an assessment_decision event on or after the date of the request whose outcome is
    "not_assess", or unless ...; a time_limit_exception event between the request and the due
    date exempts it.

Pure functions: no I/O, no clock.
"""

from __future__ import annotations

from datetime import date
from typing import Callable, assert_never

from sendrules.dsl import ir

MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)

MODALITY = {"must": "must (statutory duty)", "should": "should (guidance)"}

#: Binding names that are adjectives read better with "event" after them ("the previous event").
_ADJECTIVES = frozenset(
    {
        "previous",
        "next",
        "last",
        "first",
        "earlier",
        "later",
        "prior",
        "original",
        "current",
        "latest",
        "new",
        "old",
    }
)

#: Words that open a description with a phrase of their own ("After a review, ...").
_OPENERS = frozenset({"after", "before", "during", "once", "following", "when", "while"})

_UNITS = {
    "weeks": ("week", "weeks"),
    "days": ("day", "days"),
    "months": ("month", "months"),
    "working_days": ("working day", "working days"),
    "school_days": ("school day", "school days"),
    "count": ("", ""),
    "pounds": ("pound", "pounds"),
}

_NUMBER_WORDS = {
    "=": "is",
    "!=": "is not",
    "<": "is less than",
    "<=": "is at most",
    ">": "is more than",
    ">=": "is at least",
}
_DATE_WORDS = {
    "=": "is",
    "!=": "is not",
    "<": "is before",
    "<=": "is on or before",
    ">": "is after",
    ">=": "is on or after",
}


# --- small pieces ----------------------------------------------------------------------------


def long_date(day: date) -> str:
    """``2014-09-01`` -> ``1 September 2014``."""
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def unit_words(unit: str, count: int | None = None) -> str:
    singular, plural = _UNITS.get(unit, (unit.replace("_", " "), unit.replace("_", " ")))
    return singular if count == 1 else plural


def quantity(value: int, unit: str) -> str:
    """``20, "weeks"`` -> ``20 weeks``; ``2000, "pounds"`` -> ``2000 pounds``; counts are bare."""
    words = unit_words(unit, value)
    return f"{value} {words}" if words else str(value)


def literal(value: object) -> str:
    """A value as the rules language writes it: text quoted, booleans lower case, dates long."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, date):
        return long_date(value)
    if isinstance(value, str):
        return f'"{value}"'
    return str(value)


def binding(name: str) -> str:
    """How a rule's name for an event reads in a sentence: ``request`` -> ``the request``,
    ``previous`` -> ``the previous event``."""
    words = name.replace("_", " ")
    return f"the {words} event" if name in _ADJECTIVES else f"the {words}"


def ordinal(number: int) -> str:
    suffix = "th" if 10 <= number % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    return f"{number}{suffix}"


def article(word: str) -> str:
    return "an" if word[:1].lower() in "aeiou" else "a"


def lower_first(text: str) -> str:
    """Lower-case the first letter of a sentence, unless the first word is an acronym (EHC)."""
    first = text.split(" ", 1)[0]
    if len(first) > 1 and first[1:].islower() or len(first) == 1:
        return text[:1].lower() + text[1:]
    return text


def event_clause(description: str) -> str:
    """An event type's description as a clause: "The final EHC plan was issued." -> "the final
    EHC plan was issued". A leading label ("Proposed: ") and a trailing remark after ";" are
    dropped."""
    text = description.strip().rstrip(".")
    head, colon, rest = text.partition(": ")
    if colon and head.istitle() and " " not in head:
        text = rest
    text = text.split("; ", 1)[0]
    if text.endswith(")") and " (" in text:
        text = text[: text.rindex(" (")]
    return lower_first(text)


def holder(standard: ir.CompiledStandard, name: str) -> str:
    """A duty holder as a noun phrase, from the manifest's description: ``icb`` -> ``the
    integrated care board (icb)``; the id is left out when the phrase already says it."""
    words = name.replace("_", " ")
    description = dict(standard.duty_holders).get(name, "").strip().rstrip(".")
    if not description or words in description.lower():
        return f"the {words}"
    phrase = description
    for separator in (" that ", " who ", " which ", ", "):
        phrase = phrase.split(separator, 1)[0]
    return f"{lower_first(phrase)} ({name})"


def parameter_note(standard: ir.CompiledStandard, name: str) -> str:
    return f"parameter {name}"


def dated(standard: ir.CompiledStandard, name: str, words: Callable[[int], str]) -> str | None:
    """A parameter's values in words, each later one with the date it takes effect: "20 weeks
    (18 weeks when the duty starts on or after 1 September 2027)". A rule reads the value in
    force on the date of the event that starts the duty. None if the parameter has no value."""
    parameter = standard.parameter(name)
    if parameter is None or not parameter.values:
        return None
    (_, first), *later = parameter.values
    text = words(first)
    if later:
        text += (
            " ("
            + "; ".join(
                f"{words(value)} when the duty starts on or after {long_date(day)}" for day, value in later
            )
            + ")"
        )
    return text


def amount(standard: ir.CompiledStandard, value: ir.Amount, unit: str) -> tuple[str, str | None]:
    """``(words, note)``: ``("20 weeks", "parameter ehc.final_plan_weeks")``; every dated value
    of a parameter is given."""
    match value:
        case ir.FixedAmount():
            return quantity(value.value, unit), None
        case ir.ParameterAmount():
            words = dated(standard, value.parameter, lambda number: quantity(number, unit))
            return (
                words or f"the number of {unit_words(unit)} in the parameter",
                parameter_note(standard, value.parameter),
            )
        case _:
            assert_never(value)


def _with_note(text: str, note: str | None) -> str:
    return f"{text} ({note})" if note else text


# --- conditions ------------------------------------------------------------------------------


#: ``candidate`` for a condition that follows "whose": bare field names read bare.
WHOSE = ""


class _Scope:
    """How to read a field of "the event being matched" (``CandidateField``)."""

    def __init__(self, standard: ir.CompiledStandard, candidate: str | None) -> None:
        self.standard = standard
        self.candidate = candidate  # a binding name, or None for "its"


def _field_of(scope: _Scope, owner: str | None, field: str) -> str:
    if owner is None and scope.candidate == WHOSE:
        return field
    if owner is None and scope.candidate is None:
        return "its date" if field == "date" else f"its {field}"
    name = binding(owner if owner is not None else scope.candidate or "")
    return f"the date of {name}" if field == "date" else f"{name}'s {field}"


def operand(op: ir.Operand, scope: _Scope) -> str:
    match op:
        case ir.CandidateField():
            return _field_of(scope, None, op.field)
        case ir.BoundField():
            return _field_of(scope, op.binding, op.field)
        case ir.ChildField():
            return f"the child's {op.field.replace('_', ' ')}"
        case ir.ParameterValue():
            words = dated(scope.standard, op.name, str)
            return (
                f"{words} ({parameter_note(scope.standard, op.name)})"
                if words
                else f"the value of {parameter_note(scope.standard, op.name)}"
            )
        case ir.DueDate():
            return "the due date"
        case ir.ChildAge():
            return f"the child's age on the date of {binding(op.at)}"
        case ir.ChildSchoolYear():
            return f"the child's school year on the date of {binding(op.at)}"
        case ir.TotalInSchoolYear():
            return (
                f"the total {op.field.replace('_', ' ')} of {op.event_type.replace('_', ' ')} events in the "
                f"school year of {binding(op.at)}, up to it"
                + (f", each with {op.half_if} true counting half" if op.half_if else "")
            )
        case ir.ChildOfCompulsorySchoolAge():
            return f"whether the child is of compulsory school age on the date of {binding(op.at)}"
        case ir.Constant():
            return literal(op.value)
        case _:
            assert_never(op)


def _is_date(op: ir.Operand) -> bool:
    return (
        isinstance(op, ir.DueDate)
        or (isinstance(op, ir.Constant) and isinstance(op.value, date))
        or (isinstance(op, (ir.CandidateField, ir.BoundField)) and op.field == "date")
    )


def condition(
    cond: ir.Condition | None,
    standard: ir.CompiledStandard,
    candidate: str | None = None,
    _nested: bool = False,
) -> str:
    """A condition in words. ``candidate`` names the binding that bare field names belong to
    (None: "its")."""
    if cond is None:
        return ""
    scope = _Scope(standard, candidate)
    match cond:
        case ir.Compare(left=ir.ChildOfCompulsorySchoolAge(at=at), right=ir.Constant(value=bool(wanted))):
            negation = "" if (cond.operator == ir.Operator.EQ) == wanted else "not "
            return f"the child is {negation}of compulsory school age on the date of {binding(at)}"
        case ir.Compare():
            words = _DATE_WORDS if _is_date(cond.left) or _is_date(cond.right) else _NUMBER_WORDS
            return f"{operand(cond.left, scope)} {words[cond.operator]} {operand(cond.right, scope)}"
        case ir.OneOf():
            return f"{operand(cond.operand, scope)} is one of " + ", ".join(literal(v) for v in cond.values)
        case ir.Present():
            return f"{operand(cond.operand, scope)} is {'recorded' if cond.present else 'not recorded'}"
        case ir.Negation():
            return f"not ({condition(cond.condition, standard, candidate)})"
        case ir.AllOf() | ir.AnyOf():
            joiner = " and " if isinstance(cond, ir.AllOf) else " or "
            text = joiner.join(condition(part, standard, candidate, _nested=True) for part in cond.conditions)
            return f"({text})" if _nested else text
        case _:
            assert_never(cond)


# --- deadlines -------------------------------------------------------------------------------


def _date_of(anchor: str, field: str) -> str:
    return binding(anchor) if field == "date" else f"{binding(anchor)}'s {field}"


def deadline(value: ir.Deadline | None, standard: ir.CompiledStandard) -> str:
    """By when, e.g. "within 20 weeks of the request (parameter ehc.final_plan_weeks)"."""
    match value:
        case None:
            return ""
        case ir.NotBefore():
            words, note = amount(standard, value.amount, "days")
            return _with_note(f"not before {words} beginning with {binding(value.anchor)} have passed", note)
        case ir.LaterOf():
            return f"by the later of {_due(value.first, standard)} and {_due(value.second, standard)}"
        case ir.CaseClock():
            subject = _field_of(_Scope(standard, None), value.selector.binding, value.selector.field)
            cases = [
                f"if {subject} is {literal(case)}, {deadline(clock, standard)}" for case, clock in value.cases
            ]
            if value.otherwise is not None:
                cases.append(f"otherwise {deadline(value.otherwise, standard)}")
            return "; ".join(cases)
        case ir.OnDate():
            return (
                f"by {_date_of(value.anchor, value.anchor_field)}"
                if value.anchor_field != "date"
                else f"by the date of {binding(value.anchor)}"
            )
        case ir.BeforeDayMonth():
            return (
                f"before {value.day} {MONTHS[value.month - 1]} in the year of "
                f"{_date_of(value.anchor, value.anchor_field)}"
            )
        case ir.MonthsBefore():
            words, note = amount(standard, value.amount, "months")
            return _with_note(f"{words} before {_date_of(value.anchor, value.anchor_field)}", note)
        case ir.WithinBeginningWith():
            words, note = amount(standard, value.amount, value.unit)
            return _with_note(
                f"within {words} beginning with the date of {binding(value.anchor)} (that day is day 1)", note
            )
        case ir.WithinMonthsStartingWith():
            words, note = amount(standard, value.amount, "months")
            return _with_note(f"within {words} starting with the date of {binding(value.anchor)}", note)
        case ir.BySchoolDay():
            match value.amount:
                case ir.FixedAmount():
                    nth, school_day_note = f"the {ordinal(value.amount.value)} school day", None
                case ir.ParameterAmount():
                    nth = (
                        dated(standard, value.amount.parameter, lambda n: f"the {ordinal(n)} school day")
                        or "the school day in the parameter"
                    )
                    school_day_note = parameter_note(standard, value.amount.parameter)
                case _:
                    assert_never(value.amount)
            return _with_note(
                f"by {nth} of {binding(value.anchor)}, its date being day 1 if it is a school day",
                school_day_note,
            )
        case ir.Within():
            words, note = amount(standard, value.amount, value.unit)
            return _with_note(f"within {words} of {binding(value.anchor)}", note)
        case _:
            assert_never(value)


def _due(value: ir.DueClock, standard: ir.CompiledStandard) -> str:
    """A due date as a noun, for "the later of A and B"."""
    match value:
        case ir.OnDate():
            return (
                f"the date of {binding(value.anchor)}"
                if value.anchor_field == "date"
                else _date_of(value.anchor, value.anchor_field)
            )
        case ir.Within():
            words, note = amount(standard, value.amount, value.unit)
            return _with_note(f"{words} after {binding(value.anchor)}", note)
        case ir.LaterOf():
            return f"the later of {_due(value.first, standard)} and {_due(value.second, standard)}"
        case _:
            return f"the date {deadline(value, standard)}"


# --- rule parts ------------------------------------------------------------------------------


def duty(value: ir.DutyHolder, standard: ir.CompiledStandard) -> str:
    """Who must act: "the local authority", or the holders by case."""
    if isinstance(value, ir.FixedHolder):
        return holder(standard, value.holder)
    subject = _field_of(_Scope(standard, None), value.selector.binding, value.selector.field)
    cases = []
    for index, (case, name) in enumerate(value.cases):
        condition_words = f"{subject} is {literal(case)}" if index == 0 else f"it is {literal(case)}"
        cases.append(f"{holder(standard, name)} if {condition_words}")
    if value.otherwise is not None:
        cases.append(f"otherwise {holder(standard, value.otherwise)}")
    elif len(cases) > 1:
        cases[-1] = "or " + cases[-1]
    return ", ".join(cases)


def duty_holders(value: ir.DutyHolder) -> tuple[str, ...]:
    """Every holder a rule can name, in the order written."""
    if isinstance(value, ir.FixedHolder):
        return (value.holder,)
    names = [name for _, name in value.cases] + ([value.otherwise] if value.otherwise else [])
    return tuple(dict.fromkeys(names))


def trigger(rule: ir.Rule, standard: ir.CompiledStandard) -> str:
    """ "the final EHC plan was issued or a review meeting of the EHC plan was held
    (final_plan_issued or review_meeting, "the previous event")"."""
    clauses = []
    for name in rule.trigger.match.types:
        event_type = standard.event_type(name)
        clauses.append(
            event_clause(event_type.description)
            if event_type and event_type.description
            else f"{article(name)} {name} event is recorded"
        )
    types = " or ".join(rule.trigger.match.types)
    return f'{" or ".join(clauses)} ({types}, "{binding(rule.trigger.binding)}")'


def conditions(rule: ir.Rule, standard: ir.CompiledStandard) -> str:
    """The trigger's condition, the ``only if`` requirements and a ``require`` check."""
    parts = []
    if rule.trigger.match.condition is not None:
        parts.append("if " + condition(rule.trigger.match.condition, standard))
    for requirement in rule.requirements:
        parts.append(requirement_words(requirement, standard))
    if rule.made_within is not None:  # (language 4)
        parts.append(made_within_words(rule.made_within, standard))
    if rule.check is not None:
        parts.append("met when " + condition(rule.check, standard, rule.trigger.binding))
    return "; ".join(parts)


def made_within_words(value: ir.MadeWithin, standard: ir.CompiledStandard) -> str:
    """(language 4) "only if the application is dated within 15 school days after the date of the
    event its decision_notice names (when it names one visible on the as-of date)"."""
    words, note = amount(standard, value.amount, value.unit.value)
    return _with_note(
        f"only if {binding(value.subject)} is dated within {words} after the date of the event "
        f"{binding(value.reference)}'s {value.field} names (when it names one visible on the as-of date)",
        note,
    )


def requirement_words(requirement: ir.Requirement, standard: ir.CompiledStandard) -> str:
    types = " or ".join(requirement.match.types)
    text = (
        f"only if there is {article(types)} {types} event on or after the date of "
        f"{binding(requirement.after)}"
    )
    if requirement.match.condition is not None:
        text += " whose " + condition(requirement.match.condition, standard, WHOSE)
    return f'{text} ("{binding(requirement.binding)}")'


def expectation(rule: ir.Rule, standard: ir.CompiledStandard) -> str:
    """What satisfies the duty, e.g. "final_plan_issued" or "review_report_sent in response to
    the meeting"."""
    value = rule.expectation
    match value:
        case None:
            return ""
        case ir.ExpectBound():
            found = next((r for r in rule.requirements if r.binding == value.binding), None)
            return f"{binding(value.binding)}" + (f", the {' or '.join(found.match.types)}" if found else "")
        case ir.ExpectResponse():
            text = f"{value.described_type} in response to {binding(value.anchor)}"
        case ir.ExpectBefore() if value.clear_days is not None:  # (language 4)
            words, note = amount(standard, value.clear_days, "days")
            text = _with_note(
                f"{value.described_type} dated at least {words} clear before the date of {binding(value.anchor)}",
                note,
            )
        case ir.ExpectBefore():
            text = f"{value.described_type} on or before the date of {binding(value.anchor)}"
        case ir.ExpectAfter():
            anchors = _deadline_anchors(rule.deadline)
            types = value.described_type
            text = types if anchors == {value.anchor} else f"{types} after {binding(value.anchor)}"
        case _:
            assert_never(value)
    if isinstance(value, ir.ExpectAfter) and value.search_from is not None:  # language 3
        text += " dated on or after " + deadline(value.search_from, standard) + ", even before the trigger"
    if isinstance(value, (ir.ExpectAfter, ir.ExpectBefore)) and value.condition is not None:
        text += " whose " + condition(value.condition, standard, WHOSE)
    referenced = {exclusion.before for exclusion in rule.exclusions}
    named = value.binding if isinstance(value, (ir.ExpectAfter, ir.ExpectResponse)) else None
    if named and named in referenced:
        text += f', "{binding(named)}"'
    return text


def _deadline_anchors(value: ir.Deadline | None) -> set[str]:
    return {clock.anchor for clock in ir.deadline_clocks(value)}


def exclusion(value: ir.Exclusion, standard: ir.CompiledStandard) -> str:
    types = " or ".join(value.match.types)
    text = f"there is {article(types)} {types} event on or after the date of {binding(value.after)}"
    if value.match.condition is not None:
        text += " whose " + condition(value.match.condition, standard, WHOSE)
    if value.on_or_before_due:
        text += ", dated on or before the due date"
    if value.before is not None:
        text += f" and before {binding(value.before)} (if that has happened)"
    return text


def exclusions(rule: ir.Rule, standard: ir.CompiledStandard) -> str:
    return ", or unless ".join(exclusion(value, standard) for value in rule.exclusions)


def exemption(rule: ir.Rule, standard: ir.CompiledStandard | None = None) -> str:
    if rule.exemption is None:
        return ""
    name = rule.exemption.event_type
    if rule.exemption.condition is not None and standard is not None:  # language 3: scoped grounds
        return (
            f"{article(name)} {name} event between {binding(rule.exemption.from_binding)} "
            f"and the due date whose {condition(rule.exemption.condition, standard, WHOSE)} "
            "exempts it (the recorder's claim, not checked)"
        )
    return (
        f"{article(name)} {name} event between {binding(rule.exemption.from_binding)} "
        "and the due date exempts it"
    )


def rule_sentence(rule: ir.Rule, standard: ir.CompiledStandard) -> str:
    """The duty in one sentence: who must do what, by when, triggered by what, unless what,
    and what exempts it."""
    when = trigger(rule, standard)
    first, _, rest = when.partition(" ")
    opener = first in _OPENERS and "," in rest.split("(", 1)[0]
    text = f"When, {when}" if opener else f"When {when}"  # "When, after a review, the ..."
    if rule.trigger.match.condition is not None:
        text += ", if " + condition(rule.trigger.match.condition, standard)
    for requirement in rule.requirements:
        text += ", and " + requirement_words(requirement, standard)
    if rule.made_within is not None:  # (language 4)
        text += ", and " + made_within_words(rule.made_within, standard)
    holders = duty(rule.duty, standard) + ("," if isinstance(rule.duty, ir.HolderByCase) else "")
    text += f", {holders} {rule.modality} {lower_first(rule.title)}"
    compliance = rule.compliance
    match compliance:
        case ir.MetIfHolds():
            text += ": this is met when " + condition(compliance.condition, standard, rule.trigger.binding)
        case ir.MetIfPreceded():
            text += f" ({expectation(rule, standard)})"
        case ir.MetAfterWaiting():
            text += f" ({expectation(rule, standard)})" + ", " + deadline(compliance.waiting, standard)
        case ir.MetByDeadline():
            text += f" ({expectation(rule, standard)})"
            separator = ": " if isinstance(compliance.deadline, ir.CaseClock) else " "
            text += separator + deadline(compliance.deadline, standard)
        case _:
            assert_never(compliance)
    if rule.exclusions:
        text += ", unless " + exclusions(rule, standard)
    if rule.exemption is not None:
        text += "; " + exemption(rule, standard)
    return text + "."


def parameters_read(rule: ir.Rule) -> set[str]:
    """The names of the parameters a rule reads."""
    in_trigger, in_others, in_deadline = ir.rule_parameters(rule)
    return set(in_trigger) | set(in_others) | set(in_deadline)


def field_type(value: ir.FieldType) -> str:
    """An event field's type in words: "enum: parent, young_person; optional"."""
    text = str(value.type)
    if value.values:
        text += ": " + ", ".join(value.values)
    if value.type == "integer" and (value.minimum is not None or value.maximum is not None):
        low = "" if value.minimum is None else str(value.minimum)
        high = "" if value.maximum is None else str(value.maximum)
        text += f" ({low}..{high})"
    if value.event_type:
        text += f" (the id of {article(value.event_type)} {value.event_type} event)"
    if not value.required:
        if value.required_when:
            when = "; ".join(f"{name} is {' or '.join(values)}" for name, values in value.required_when)
            text += f"; required when {when}"
        else:
            text += "; optional"
    return text


def cell(test: ir.CellTest) -> str:
    """A decision-table input cell as written: ``-``, ``2``, ``"a" or "b"``, ``1..2``, ``>= 4``."""
    match test:
        case ir.CellAny():
            return "-"
        case ir.CellEquals():
            return literal(test.value)
        case ir.CellOneOf():
            return " or ".join(literal(value) for value in test.values)
        case ir.CellRange():
            return f"{literal(test.low)}..{literal(test.high)}"
        case ir.CellCompare():
            return f"{test.operator} {literal(test.value)}"
        case _:
            assert_never(test)


def hit_policy(policy: str) -> str:
    return {
        "unique": "unique: exactly one row matches any input",
        "first": "first: the first matching row, in the order written, applies",
    }.get(policy, policy)


def period(standard: ir.CompiledStandard) -> str:
    """The effective period in words."""
    start = long_date(standard.effective_from)
    end = f" to {long_date(standard.effective_to)}" if standard.effective_to else " (no end date)"
    if standard.status == "draft":
        return (
            f"proposed to take effect from {start}{end}; a draft is not in force and applies only when named"
        )
    if standard.status == "superseded":
        return f"was in force from {start}{end}; superseded, kept so that past decisions replay"
    return f"in force from {start}{end}"


__all__ = [
    "rule_sentence",
    "duty",
    "duty_holders",
    "trigger",
    "conditions",
    "expectation",
    "deadline",
    "exclusions",
    "exemption",
    "condition",
    "field_type",
    "cell",
    "literal",
    "long_date",
    "period",
    "parameters_read",
    "hit_policy",
    "holder",
    "parameter_note",
    "dated",
    "quantity",
    "MODALITY",
]
