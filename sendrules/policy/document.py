"""A standard as a readable document: ``render_markdown(standard)`` and ``render_html(standard)``.

The document is built once as a small tree of blocks (headings, paragraphs, field lists,
tables, notes, code) from the compiled standard, then written out as Markdown or as one
self-contained HTML page (inline CSS, no scripts, no external assets; every piece of text is
escaped). Both formats therefore say the same thing.

Contents: title, reference, status, effective period and content hash; an illustrative or
draft warning; the summary; the duty holders; what each status of a finding means; every time
limit on one page (clock start, limit, unit, counting rule, exceptions); the duties in the order
a child's journey meets them (request, assessment, plan, review, amendment, transfer, cease;
exclusion, alternative provision, attendance), each in plain English (``policy.describe``) with
its clauses, duty holders, modality, related rules and unconfirmed notes; the parameters with
every dated value; the event vocabulary; the decision tables; the measures; the sources; the
version's stated changes; and, in an appendix, the text of every rule as written in the rules
language. Nothing depends on the clock.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from typing import Union, assert_never

from sendrules.dsl import ir
from sendrules.policy import describe

# --- the document tree -----------------------------------------------------------------------


@dataclass(frozen=True)
class Code:
    """An identifier or a value written as code."""

    text: str


@dataclass(frozen=True)
class Strong:
    text: str


@dataclass(frozen=True)
class Link:
    text: str
    url: str


Inline = Union[str, Code, Strong, Link]
Inlines = tuple[Inline, ...]


@dataclass(frozen=True)
class Heading:
    level: int
    text: Inlines
    anchor: str = ""


@dataclass(frozen=True)
class Paragraph:
    text: Inlines


@dataclass(frozen=True)
class Note:
    """A callout: ``kind`` is warning, unconfirmed or info; ``label`` starts it in bold."""

    kind: str
    label: str
    text: Inlines


@dataclass(frozen=True)
class Fields:
    """Label: value lines (a definition list)."""

    items: tuple[tuple[str, Inlines], ...]


@dataclass(frozen=True)
class Bullets:
    items: tuple[Inlines, ...]


@dataclass(frozen=True)
class Table:
    header: tuple[str, ...]
    rows: tuple[tuple[Inlines, ...], ...]
    #: Columns after this index are outputs (decision tables): drawn with a divider.
    split: int | None = None


@dataclass(frozen=True)
class CodeBlock:
    text: str


Block = Union[Heading, Paragraph, Note, Fields, Bullets, Table, CodeBlock]


def _inl(*parts: Inline) -> Inlines:
    return tuple(part for part in parts if part != "")


def _join(items: list[Inlines], separator: str = ", ") -> Inlines:
    out: list[Inline] = []
    for index, item in enumerate(items):
        if index:
            out.append(separator)
        out.extend(item)
    return tuple(out)


def _anchor(kind: str, name: str) -> str:
    return f"{kind}-" + re.sub(r"[^A-Za-z0-9._-]+", "-", name)


# --- building the document -------------------------------------------------------------------


def build_document(
    standard: ir.CompiledStandard, scenario_phrases: dict[str, list[str]] | None = None
) -> tuple[str, tuple[Block, ...]]:
    """The document's title and blocks; ``scenario_phrases`` (event type -> example steps, from
    the pack's phrasebook) are shown with the vocabulary."""
    blocks: list[Block] = []
    add = blocks.append
    add(Heading(1, _inl(standard.title), "top"))
    add(
        Fields(
            (
                ("Standard", _inl(Code(standard.reference))),
                ("Status", _inl(Strong(standard.status))),
                ("Effective", _inl(describe.period(standard))),
                (
                    "Supersedes",
                    _inl(Code(f"{standard.id}@{standard.supersedes}"))
                    if standard.supersedes
                    else _inl("nothing"),
                ),
                ("Content hash", _inl("sha256 ", Code(standard.sha256))),
            )
        )
    )
    if standard.illustrative:
        add(
            Note(
                "warning",
                "Illustrative",
                _inl(
                    "these standards are illustrative, not the law in force. Decisions made with them say so."
                ),
            )
        )
    if standard.status == "draft":
        add(
            Note(
                "warning",
                "Draft",
                _inl(
                    "this version is not in force. It is used only when it is named explicitly, "
                    f"for example {standard.reference}."
                ),
            )
        )
    elif standard.status == "superseded":
        add(
            Note(
                "info",
                "Superseded",
                _inl("a later version replaces this one; it is kept so that past decisions can be replayed."),
            )
        )
    add(Heading(2, _inl("Summary"), "summary"))
    add(Paragraph(_inl(" ".join(standard.summary.split()))))

    add(Heading(2, _inl("Duty holders"), "duty-holders"))
    add(
        Table(
            ("Duty holder", "Who it is"),
            tuple((_inl(Code(name)), _inl(text)) for name, text in standard.duty_holders),
        )
    )

    _statuses(add)
    _time_limits(standard, add)
    _duties(standard, add)
    _parameters(standard, add)
    _vocabulary(standard, add, scenario_phrases or {})
    _tables(standard, add)
    _measures(standard, add)

    add(Heading(2, _inl("Sources"), "sources"))
    notes = standard.source_notes or (None,) * len(standard.sources)
    add(
        Bullets(
            tuple(
                (_inl(Link(title, url)) if url else _inl(title)) + (_inl(f" ({note})") if note else ())
                for (title, url), note in zip(standard.sources, notes)
            )
        )
    )

    if standard.changes:
        against = f" against {standard.id}@{standard.supersedes}" if standard.supersedes else ""
        add(Heading(2, _inl("Changes in this version"), "changes"))
        add(Paragraph(_inl(f"As stated in the manifest{against}:")))
        items = []
        for summary, rules, parameters in standard.changes:
            named = [_inl(Code(r)) for r in rules] + [_inl(Code(p)) for p in parameters]
            items.append(_inl(summary, *((" (", *_join(named), ")") if named else ())))
        add(Bullets(tuple(items)))
    _rule_text(standard, add)
    return standard.title, tuple(blocks)


#: The stages of a child's journey, in order: (anchor, heading, what happens, event types). A
#: duty belongs to the latest stage among the event types that start it and that it expects (a
#: final plan is started by the request but belongs to the plan); a duty that names none of
#: these event types goes by its id's prefix (``_PREFIX_STAGES``), else under "Other duties".
JOURNEY_STAGES: tuple[tuple[str, str, str, frozenset[str]], ...] = (
    (
        "stage-support",
        "Identifying needs and SEN support",
        "The school identifies a special educational need and plans, does and reviews support.",
        frozenset(
            {
                "needs_identified",
                "sen_support_started",
                "sen_support_reviewed",
                "sen_support_ended",
                "isp_written",
                "isp_reviewed",
            }
        ),
    ),
    (
        "stage-request",
        "Request for an EHC needs assessment",
        "A parent, young person or school asks the local authority to assess; it decides whether to.",
        frozenset({"assessment_requested", "assessment_decision", "assessment_to_be_made_notified"}),
    ),
    (
        "stage-assessment",
        "Assessment",
        "The local authority gathers advice and information about the child's needs.",
        frozenset(
            {
                "advice_requested",
                "advice_received",
                "advice_time_limit_exception",
                "reassessment_requested",
                "reassessment_decision",
            }
        ),
    ),
    (
        "stage-plan",
        "The EHC plan",
        "The local authority decides whether to issue a plan, consults on a draft and issues the final plan.",
        frozenset({"plan_decision", "draft_plan_issued", "final_plan_issued"}),
    ),
    (
        "stage-review",
        "Reviews",
        "The plan is reviewed at least every 12 months (more often for young children), with a report and a decision.",
        frozenset({"review_meeting", "review_report_sent", "review_decision"}),
    ),
    (
        "stage-amendment",
        "Amending the plan",
        "Proposed amendments, the time for comments, and the amended plan.",
        frozenset({"amendment_proposed", "amended_plan_issued"}),
    ),
    (
        "stage-transfer",
        "Transfers",
        "Moves between phases of education and between local authorities.",
        frozenset(
            {"phase_transfer_scheduled", "la_move_notified", "plan_transferred", "transfer_notice_sent"}
        ),
    ),
    (
        "stage-disagreement",
        "Disagreements: mediation, appeals and tribunal orders",
        "Mediation, appeals to the tribunal, and what must follow a tribunal's order or a conceded appeal.",
        frozenset(
            {
                "mediation_requested",
                "mediation_declined",
                "mediation_held",
                "mediation_certificate_issued",
                "appeal_conceded",
                "appeal_lodged",
                "tribunal_order",
            }
        ),
    ),
    (
        "stage-cease",
        "Ceasing the plan",
        "The local authority consults, decides to cease maintaining the plan, and tells the family of their rights.",
        frozenset({"cease_consultation", "cease_decision_notified", "plan_ceased"}),
    ),
    (
        "stage-exclusion",
        "Exclusion",
        "Suspensions and permanent exclusions: education from the sixth school day, and the governing board's duties.",
        frozenset(
            {
                "exclusion",
                "full_time_provision_started",
                "exclusion_reported_to_board",
                "reinstatement_meeting",
            }
        ),
    ),
    (
        "stage-ap",
        "Alternative provision",
        "Placements in alternative provision: objectives, reviews, the planned end and what comes after.",
        frozenset(
            {"ap_placement_started", "ap_placement_reviewed", "ap_placement_ended", "destination_checked"}
        ),
    ),
    (
        "stage-attendance",
        "Attendance and part-time timetables",
        "Part-time timetables: agreed, time-limited and reviewed.",
        frozenset(
            {"part_time_timetable_started", "part_time_timetable_reviewed", "part_time_timetable_ended"}
        ),
    ),
)
_PREFIX_STAGES = {
    "sen_support": "stage-support",
    "isp": "stage-support",
    "ehc": "stage-plan",
    "exclusion": "stage-exclusion",
    "ap": "stage-ap",
    "attendance": "stage-attendance",
}
_OTHER_STAGE = ("stage-other", "Other duties", "Duties that belong to no stage above.", frozenset[str]())
#: Events that belong to no one stage (an exception can stop any clock).
_NEUTRAL_EVENTS = frozenset({"time_limit_exception", "school_registered", "school_left"})


def rule_event_types(rule: ir.Rule) -> tuple[str, ...]:
    """The event types that start ``rule`` and that it expects or requires, trigger first."""
    types: list[str] = list(rule.trigger.match.types)
    for requirement in rule.requirements:
        types.extend(requirement.match.types)
    match rule.compliance:
        case ir.MetByDeadline() | ir.MetAfterWaiting():
            expected = rule.compliance.expected
            match expected:
                case ir.ExpectAfter():
                    types.extend(expected.event_types)
                case ir.ExpectResponse():
                    types.append(expected.event_type)
                case ir.ExpectBound():
                    pass
                case _:
                    assert_never(expected)
        case ir.MetIfPreceded():
            types.extend(rule.compliance.expected.event_types)
        case ir.MetIfHolds():
            pass
        case _:
            assert_never(rule.compliance)
    return tuple(dict.fromkeys(types))


def journey_stage(rule: ir.Rule) -> int:
    """The index in ``JOURNEY_STAGES`` of the stage ``rule`` belongs to (``len(JOURNEY_STAGES)``:
    other duties)."""
    indexes = [
        index
        for event_type in rule_event_types(rule)
        if event_type not in _NEUTRAL_EVENTS
        for index, stage in enumerate(JOURNEY_STAGES)
        if event_type in stage[3]
    ]
    if indexes:
        return max(indexes)
    anchor = _PREFIX_STAGES.get(rule.id.split(".")[0])
    return next(
        (index for index, stage in enumerate(JOURNEY_STAGES) if stage[0] == anchor), len(JOURNEY_STAGES)
    )


def rules_in_journey_order(standard: ir.CompiledStandard) -> list[tuple[tuple[str, str, str], list[ir.Rule]]]:
    """The standard's rules grouped by journey stage, stages in journey order (empty ones left
    out), rules within a stage by the first event type they name in the stage's order, then id."""
    stages = [*JOURNEY_STAGES, _OTHER_STAGE]
    groups: dict[int, list[ir.Rule]] = {}
    for rule in standard.rules:
        groups.setdefault(journey_stage(rule), []).append(rule)
    order = {name: index for index, name in enumerate(event.name for event in standard.event_types)}
    result = []
    for index in sorted(groups):
        own = stages[index][3]

        def first_step(rule: ir.Rule) -> tuple[int, str]:
            steps = [order.get(t, len(order)) for t in rule_event_types(rule) if t in own]
            return min(steps, default=len(order)), rule.id

        result.append((stages[index][:3], sorted(groups[index], key=first_step)))
    return result


def _duties(standard: ir.CompiledStandard, add) -> None:
    add(Heading(2, _inl(f"Duties in journey order ({len(standard.rules)})"), "duties"))
    add(
        Paragraph(
            _inl(
                "The duties in the order a child's journey meets them: request, assessment, plan, review, "
                "amendment, transfer and ceasing a plan; then exclusion, alternative provision and attendance. ",
                Strong("must"),
                " marks a statutory duty; ",
                Strong("should"),
                " marks guidance that the body must have regard to. A duty marked ",
                Strong("unconfirmed"),
                " rests on a fact that was not read in the statutory text. The text of each "
                "rule as written is in the ",
                Link("appendix", "#rule-text"),
                ".",
            )
        )
    )
    grouped = rules_in_journey_order(standard)
    add(
        Table(
            ("Stage", "Rule", "Duty", "Duty holder", "Modality"),
            tuple(
                (
                    _inl(stage[1]),
                    _inl(Link(rule.id, "#" + _anchor("rule", rule.id))),
                    _inl(rule.title),
                    _join([_inl(Code(name)) for name in describe.duty_holders(rule.duty)]),
                    _inl(rule.modality + (" (unconfirmed)" if rule.unconfirmed else "")),
                )
                for stage, rules in grouped
                for rule in rules
            ),
        )
    )
    for (anchor, heading, about), rules in grouped:
        add(Heading(3, _inl(heading), anchor))
        add(Paragraph(_inl(about)))
        for rule in rules:
            _duty(standard, rule, add)


def _duty(standard: ir.CompiledStandard, rule: ir.Rule, add) -> None:
    add(Heading(4, _inl(Code(rule.id), " — ", rule.title), _anchor("rule", rule.id)))
    add(Paragraph(_inl(describe.rule_sentence(rule, standard))))
    holders = [
        _inl(Code(name), f" ({text})") if text else _inl(Code(name))
        for name in describe.duty_holders(rule.duty)
        for text in [dict(standard.duty_holders).get(name, "").rstrip(".")]
    ]
    items: list[tuple[str, Inlines]] = [
        ("Clauses", _join([_inl(citation) for citation in rule.citations], "; ")),
        ("Duty holder" + ("s" if len(holders) > 1 else ""), _join(holders, "; ")),
        (
            "Modality",
            _inl(
                Strong(rule.modality),
                " — ",
                "statutory duty"
                if rule.modality == "must"
                else "guidance"
                if rule.modality == "should"
                else rule.modality,
            ),
        ),
    ]
    parameters = sorted(describe.parameters_read(rule))
    if parameters:
        items.append(
            ("Parameters", _join([_inl(Link(name, "#" + _anchor("parameter", name))) for name in parameters]))
        )
    if rule.see:
        items.append(("Related", _join([_inl(Link(name, "#" + _anchor("rule", name))) for name in rule.see])))
    if rule.in_force_from is not None:
        until = (
            f" and on or before {describe.long_date(rule.in_force_until)}"
            if rule.in_force_until is not None
            else ""
        )
        items.append(
            (
                "In force",
                _inl(
                    f"for duties started by an event dated on or after "
                    f"{describe.long_date(rule.in_force_from)}{until}"
                ),
            )
        )
    if rule.source_text:
        items.append(
            (
                "Rule text",
                _inl(Link("appendix", "#" + _anchor("source", rule.id)))
                + ((" (", Code(f"{rule.source_file}:{rule.source_line}"), ")") if rule.source_file else ()),
            )
        )
    elif rule.source_file:
        items.append(("Written in", _inl(Code(f"{rule.source_file}:{rule.source_line}"))))
    add(Fields(tuple(items)))
    for note in rule.unconfirmed:
        add(Note("unconfirmed", "Unconfirmed", _inl(note)))
    if rule.illustrative:
        add(Note("warning", "Illustrative, not law", _inl(rule.illustrative)))


#: What each status of a finding means (the decision contract's statuses).
STATUS_MEANINGS: tuple[tuple[str, str, str], ...] = (
    ("met", "the expected event happened on or before the due date, or the condition holds", "yes"),
    (
        "pending",
        "the expected event has not happened yet and the decision date is not past the due date "
        "(or a waiting period has no event yet)",
        "yes, so far",
    ),
    ("late", "the expected event happened, after the due date", "no"),
    ("overdue", "the expected event has not happened and the decision date is past the due date", "no"),
    (
        "breached",
        "a condition that is not a deadline failed: an event came inside a waiting period, a "
        "required fact is missing, or an event that had to come first did not",
        "no",
    ),
    (
        "exempt",
        "the due date was missed, but a time-limit exception recorded between the start of the "
        "clock and the due date covers it; the finding names that event",
        "neither: excused",
    ),
)


def _statuses(add) -> None:
    add(Heading(2, _inl("What a finding's status means"), "statuses"))
    add(
        Paragraph(
            _inl(
                "A decision gives one finding per duty for each event that starts it; its status says "
                "whether the duty was complied with on the decision date."
            )
        )
    )
    add(
        Table(
            ("Status", "Meaning", "Complied with?"),
            tuple(
                (_inl(Code(status)), _inl(meaning), _inl(complied))
                for status, meaning, complied in STATUS_MEANINGS
            ),
        )
    )


#: How each unit counts (docs/semantics.md, Dates).
_COUNTING = {
    ir.TimeUnit.WEEKS: "the same weekday N weeks later (start + 7N days)",
    ir.TimeUnit.DAYS: "start + N calendar days",
    ir.TimeUnit.MONTHS: "the same day N months later; the last day of a shorter month (31 Jan + 1 month = 28/29 Feb)",
    ir.TimeUnit.WORKING_DAYS: "the Nth working day after the start, which is not counted; weekends and "
    "England-and-Wales bank holidays skipped",
    ir.TimeUnit.SCHOOL_DAYS: "the Nth school day after the start, which is not counted; school days as the "
    "decision's calendar says (term dates, the assumed pattern, or weekdays)",
}

#: The same units counted "beginning with" the start day (rules language 2; docs/semantics.md).
_COUNTING_BEGINNING_WITH = {
    ir.TimeUnit.WEEKS: "start + 7N − 1 days",
    ir.TimeUnit.DAYS: "start + N − 1 calendar days",
    ir.TimeUnit.MONTHS: "the day before the corresponding date N months later (the 1st of the next month "
    "when that month is shorter)",
    ir.TimeUnit.WORKING_DAYS: "the start counts as working day 1 if it is one; weekends and "
    "England-and-Wales bank holidays skipped",
    ir.TimeUnit.SCHOOL_DAYS: "the start counts as school day 1 if it is one; school days as the "
    "decision's calendar says",
}


def time_limit_rows(standard: ir.CompiledStandard, rule: ir.Rule) -> list[tuple[str, str, str, str, str]]:
    """One row per clock of ``rule``'s time limit: (clock start, limit, unit, counting rule,
    exceptions); none for a rule without a time limit."""
    match rule.compliance:
        case ir.MetByDeadline():
            deadline: ir.Deadline = rule.compliance.deadline
        case ir.MetAfterWaiting():
            deadline = rule.compliance.waiting
        case ir.MetIfPreceded() | ir.MetIfHolds():
            return []
        case _:
            assert_never(rule.compliance)
    bound = {rule.trigger.binding: rule.trigger.match.types}
    for requirement in rule.requirements:
        bound[requirement.binding] = requirement.match.types
    expected = rule.compliance.expected
    if isinstance(expected, (ir.ExpectAfter, ir.ExpectResponse)) and expected.binding:
        bound[expected.binding] = (
            expected.event_types if isinstance(expected, ir.ExpectAfter) else (expected.event_type,)
        )
    exceptions = (
        f"{rule.exemption.event_type} dated from the start of the clock to the due date"
        if rule.exemption is not None
        else "none"
    )
    rows = []
    for case, clock in _clocks_with_cases(deadline, ""):
        field = getattr(clock, "anchor_field", "date")
        start = " or ".join(bound.get(clock.anchor, (clock.anchor,)))
        start = f"{field} of {start}" if field != "date" else f"date of {start}"
        limit, unit, counting = _clock_words(standard, clock)
        rows.append((start, case + limit, unit, counting, exceptions))
    return rows


def _clocks_with_cases(deadline: ir.Deadline, case: str) -> list[tuple[str, ir.Clock | ir.NotBefore]]:
    """The simple clocks of a deadline, each with the case it applies in ("if kind is school: ")
    and whether it is one of two ("the later of: ")."""
    match deadline:
        case ir.CaseClock():
            field = f"{deadline.selector.field}"
            found = []
            for value, clock in deadline.cases:
                found += _clocks_with_cases(clock, f"{case}if {field} is {describe.literal(value)}: ")
            if deadline.otherwise is not None:
                found += _clocks_with_cases(deadline.otherwise, f"{case}otherwise: ")
            return found
        case ir.LaterOf():
            return _clocks_with_cases(deadline.first, f"{case}the later of: ") + _clocks_with_cases(
                deadline.second, f"{case}the later of: "
            )
        case (
            ir.Within()
            | ir.WithinBeginningWith()
            | ir.WithinMonthsStartingWith()
            | ir.BySchoolDay()
            | ir.BeforeDayMonth()
            | ir.MonthsBefore()
            | ir.OnDate()
            | ir.NotBefore()
        ):
            return [(case, deadline)]
        case _:
            assert_never(deadline)


def _clock_words(standard: ir.CompiledStandard, clock: ir.Clock | ir.NotBefore) -> tuple[str, str, str]:
    """(limit, unit, counting rule) of one clock."""

    def words(amount: ir.Amount, unit: str) -> str:
        text, note = describe.amount(standard, amount, unit)
        return f"{text} ({note})" if note else text

    match clock:
        case ir.Within():
            return (
                words(clock.amount, clock.unit),
                describe.unit_words(clock.unit) or clock.unit,
                _COUNTING[clock.unit],
            )
        case ir.WithinBeginningWith():
            return (
                words(clock.amount, clock.unit),
                describe.unit_words(clock.unit) or clock.unit,
                'the start day is day 1 of the period ("beginning with"): '
                + _COUNTING_BEGINNING_WITH[clock.unit],
            )
        case ir.WithinMonthsStartingWith():
            return (
                words(clock.amount, "months"),
                "months",
                "a period starting with the start day: it ends the day before the corresponding date N months "
                "later (the 1st of the next month when that month is shorter)",
            )
        case ir.BySchoolDay():
            return (
                words(clock.amount, "school_days"),
                "school days",
                "the start is school day 1 if it is a school day, else the next school day is; school days "
                "as the decision's calendar says",
            )
        case ir.BeforeDayMonth():
            return (
                f"before {clock.day} {describe.MONTHS[clock.month - 1]}",
                "calendar date",
                f"due the day before {clock.day} {describe.MONTHS[clock.month - 1]} in the year of the date",
            )
        case ir.MonthsBefore():
            return (
                words(clock.amount, "months") + " before",
                "months",
                "N months earlier, the last day of a shorter month; on or before it",
            )
        case ir.OnDate():
            return ("by the date", "calendar date", "on or before that date")
        case ir.NotBefore():
            return (
                words(clock.amount, "days"),
                "days (waiting period)",
                "the period is the start day and the N − 1 days after it; the event must come after it",
            )
        case _:
            assert_never(clock)


def _time_limits(standard: ir.CompiledStandard, add) -> None:
    rows = [
        (stage, rule, row)
        for stage, rules in rules_in_journey_order(standard)
        for rule in rules
        for row in time_limit_rows(standard, rule)
    ]
    add(Heading(2, _inl(f"Every time limit on one page ({len(rows)})"), "time-limits"))
    add(
        Paragraph(
            _inl(
                "In journey order. The clock starts on the date of the event named; the limit is "
                "counted in its unit by the rule given; an exception named here turns a missed time limit "
                "into ",
                Code("exempt"),
                ". A duty with two clocks (“the later of”, or a "
                "limit that depends on a case) has a row for each.",
            )
        )
    )
    add(
        Table(
            ("Rule", "Clock starts", "Limit", "Unit", "Counting rule", "Exceptions"),
            tuple(
                (
                    _inl(Link(rule.id, "#" + _anchor("rule", rule.id))),
                    _inl(start),
                    _inl(limit),
                    _inl(unit),
                    _inl(counting),
                    _inl(exceptions),
                )
                for _, rule, (start, limit, unit, counting, exceptions) in rows
            ),
        )
    )


def _rule_text(standard: ir.CompiledStandard, add) -> None:
    """The appendix: every rule as written in the rules language, in journey order."""
    written = [rule for _, rules in rules_in_journey_order(standard) for rule in rules if rule.source_text]
    if not written:
        return
    add(Heading(2, _inl("Appendix: the rules as written"), "rule-text"))
    add(
        Paragraph(
            _inl(
                "The text of each rule in the rules language (docs/rules-language.md), as the engine "
                "runs it, in journey order."
            )
        )
    )
    for rule in written:
        add(Heading(3, _inl("Rule text: ", Code(rule.id)), _anchor("source", rule.id)))
        if rule.source_file:
            add(Paragraph(_inl(Code(f"{rule.source_file}:{rule.source_line}"))))
        add(CodeBlock(rule.source_text))


def _parameters(standard: ir.CompiledStandard, add) -> None:
    add(Heading(2, _inl(f"Parameters ({len(standard.parameters)})"), "parameters"))
    add(
        Paragraph(
            _inl(
                "Time limits and thresholds. A rule uses the value in force on the date of the "
                "event that starts the duty; a change in the law is a new dated value."
            )
        )
    )
    users: dict[str, list[str]] = {}
    for rule in standard.rules:
        for name in describe.parameters_read(rule):
            users.setdefault(name, []).append(rule.id)
    for parameter in standard.parameters:
        add(Heading(3, _inl(Code(parameter.name)), _anchor("parameter", parameter.name)))
        if parameter.description:
            add(Paragraph(_inl(parameter.description)))
        items: list[tuple[str, Inlines]] = [
            ("Unit", _inl(describe.unit_words(parameter.unit) or parameter.unit))
        ]
        if parameter.source:
            items.append(("Source", _inl(parameter.source)))
        if users.get(parameter.name):
            items.append(
                (
                    "Used by",
                    _join(
                        [
                            _inl(Link(rule_id, "#" + _anchor("rule", rule_id)))
                            for rule_id in users[parameter.name]
                        ]
                    ),
                )
            )
        add(Fields(tuple(items)))
        if parameter.unconfirmed:
            add(Note("unconfirmed", "Unconfirmed", _inl(parameter.unconfirmed)))
        if parameter.illustrative:
            add(
                Note(
                    "warning",
                    "Illustrative, not law",
                    _inl("local practice or an example, not a national time limit"),
                )
            )
        add(
            Table(
                ("In force from", "Value"),
                tuple(
                    (
                        _inl(describe.long_date(day), " (", Code(day.isoformat()), ")"),
                        _inl(describe.quantity(value, parameter.unit)),
                    )
                    for day, value in parameter.values
                ),
            )
        )


def _vocabulary(standard: ir.CompiledStandard, add, scenario_phrases: dict[str, list[str]]) -> None:
    add(Heading(2, _inl(f"Event vocabulary ({len(standard.event_types)} event types)"), "events"))
    add(
        Paragraph(
            _inl(
                "The events a caseworker system records in a child's journey. Every event also has ",
                Code("id"),
                ", ",
                Code("type"),
                " and ",
                Code("date"),
                ".",
            )
        )
    )
    if scenario_phrases:
        add(
            Paragraph(
                _inl(
                    "Under each event type, the steps policy officers' scenarios use for it (the "
                    "pack's phrasebook, which is not part of the content hash)."
                )
            )
        )
    for event_type in standard.event_types:
        add(Heading(3, _inl(Code(event_type.name)), _anchor("event", event_type.name)))
        if event_type.description:
            add(Paragraph(_inl(event_type.description)))
        if event_type.fields:
            add(
                Table(
                    ("Field", "Type", "Description"),
                    tuple(
                        (_inl(Code(name)), _inl(describe.field_type(kind)), _inl(kind.description or ""))
                        for name, kind in event_type.fields
                    ),
                )
            )
        if scenario_phrases.get(event_type.name):
            add(
                Fields(
                    (
                        (
                            "In scenarios",
                            _join([_inl(Code(step)) for step in scenario_phrases[event_type.name]], "; "),
                        ),
                    )
                )
            )


def _tables(standard: ir.CompiledStandard, add) -> None:
    if not standard.tables:
        return
    add(Heading(2, _inl(f"Decision tables ({len(standard.tables)})"), "tables"))
    for table in standard.tables:
        add(Heading(3, _inl(Code(table.id), " — ", table.title), _anchor("table", table.id)))
        if table.illustrative:
            add(Note("warning", "Illustrative", _inl(table.illustrative)))
        add(
            Fields(
                (
                    ("Clauses", _join([_inl(citation) for citation in table.citations], "; ")),
                    (
                        "Inputs",
                        _inl(
                            "the latest ",
                            Code(table.event_type),
                            f" event (\u201c{table.binding}\u201d) recorded by the decision date",
                        ),
                    ),
                    (
                        "Outputs",
                        _join(
                            [
                                _inl(Code(name), f" ({kind})")
                                for name, kind in zip(table.outputs, table.output_types)
                            ]
                        ),
                    ),
                    ("Hit policy", _inl(describe.hit_policy(table.hit_policy))),
                )
                + (
                    (("Written in", _inl(Code(f"{table.source_file}:{table.source_line}"))),)
                    if table.source_file
                    else ()
                )
            )
        )
        for note in table.unconfirmed:
            add(Note("unconfirmed", "Unconfirmed", _inl(note)))
        header = ("Row",) + tuple(f"{table.binding}.{name}" for name in table.inputs) + table.outputs
        add(
            Table(
                header,
                tuple(
                    (_inl(str(row.number)),)
                    + tuple(_inl(describe.cell(test)) for test in row.tests)
                    + tuple(_inl(describe.literal(value)) for value in row.outputs)
                    for row in table.rows
                ),
                split=1 + len(table.inputs),
            )
        )


def _measures(standard: ir.CompiledStandard, add) -> None:
    """The pack's measures (measures.yaml), each in words (policy/measures.py)."""
    from sendrules.policy import measures as words

    if not standard.measures:
        return
    add(Heading(2, _inl(f"Measures ({len(standard.measures)})"), "measures"))
    add(
        Paragraph(
            _inl(
                "How the duties add up over a population (",
                Code("sendrules cohort run"),
                "). Each keeps its numerator and denominator apart, so that a region or England is "
                "the sum of its parts.",
            )
        )
    )
    for measure in standard.measures:
        add(Heading(3, _inl(Code(measure.id), " — ", measure.title), _anchor("measure", measure.id)))
        if measure.description:
            add(Paragraph(_inl(" ".join(measure.description.split()))))
        if measure.illustrative:
            add(Note("warning", "Illustrative", _inl(" ".join(measure.illustrative.split()))))
        items = [(label, _inl(text)) for label, text in words.facts(measure)]
        if measure.source_title:
            items.append(
                (
                    "Source",
                    _inl(Link(measure.source_title, measure.source_url))
                    if measure.source_url
                    else _inl(measure.source_title),
                )
            )
        if measure.source_line:
            items.append(("Written in", _inl(Code(f"measures.yaml:{measure.source_line}"))))
        add(Fields(tuple(items)))
        if measure.source_note:
            add(Note("info", "Note", _inl(" ".join(measure.source_note.split()))))
        if measure.unconfirmed:
            add(Note("unconfirmed", "Unconfirmed", _inl(" ".join(measure.unconfirmed.split()))))


# --- Markdown --------------------------------------------------------------------------------


_MD_SPECIAL = re.compile(r"[\\`*\[\]<>]|(?<![A-Za-z0-9])_|_(?![A-Za-z0-9])")


def _md_text(text: str, in_table: bool = False) -> str:
    """Plain text that Markdown shows as written: markup characters escaped (an underscore
    inside a word, as in an identifier, is left alone), and no raw HTML."""
    escaped = _MD_SPECIAL.sub(lambda m: {"<": "&lt;", ">": "&gt;"}.get(m.group(), "\\" + m.group()), text)
    escaped = " ".join(escaped.split("\n"))
    if in_table:
        escaped = escaped.replace("|", "\\|")
    return escaped


def _md_code(text: str, in_table: bool = False) -> str:
    if in_table:
        text = text.replace("|", "\\|")
    ticks = "`" * (max((len(run) for run in re.findall(r"`+", text)), default=0) + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{ticks}{pad}{text}{pad}{ticks}"


def _md_url(url: str) -> str:
    return (
        url.replace(" ", "%20")
        .replace("(", "%28")
        .replace(")", "%29")
        .replace("<", "%3C")
        .replace(">", "%3E")
    )


def _md_inlines(parts: Inlines, in_table: bool = False) -> str:
    out = []
    for part in parts:
        if isinstance(part, Code):
            out.append(_md_code(part.text, in_table))
        elif isinstance(part, Strong):
            out.append(f"**{_md_text(part.text, in_table)}**")
        elif isinstance(part, Link):
            if part.url.startswith("#"):
                out.append(_md_code(part.text, in_table))  # anchors differ between renderers
            elif _safe_url(part.url):
                out.append(f"[{_md_text(part.text, in_table)}]({_md_url(part.url)})")
            else:
                out.append(f"{_md_text(part.text, in_table)} ({_md_text(part.url, in_table)})")
        else:
            out.append(_md_text(part, in_table))
    return "".join(out)


def render_markdown(
    standard: ir.CompiledStandard, scenario_phrases: dict[str, list[str]] | None = None
) -> str:
    """The standard as a Markdown document."""
    _, blocks = build_document(standard, scenario_phrases)
    out: list[str] = []
    for block in blocks:
        if isinstance(block, Heading):
            out.append("#" * block.level + " " + _md_inlines(block.text))
        elif isinstance(block, Paragraph):
            out.append(_md_inlines(block.text))
        elif isinstance(block, Note):
            out.append(f"> **{_md_text(block.label)}:** {_md_inlines(block.text)}")
        elif isinstance(block, Fields):
            out.append(
                "\n".join(f"- **{_md_text(label)}:** {_md_inlines(value)}" for label, value in block.items)
            )
        elif isinstance(block, Bullets):
            out.append("\n".join(f"- {_md_inlines(item)}" for item in block.items))
        elif isinstance(block, Table):
            lines = [
                "| " + " | ".join(_md_text(cell, True) for cell in block.header) + " |",
                "|" + "|".join("---" for _ in block.header) + "|",
            ]
            for row in block.rows:
                lines.append("| " + " | ".join(_md_inlines(cell, True) or " " for cell in row) + " |")
            out.append("\n".join(lines))
        elif isinstance(block, CodeBlock):
            fence = "`" * max(3, max((len(run) for run in re.findall(r"`+", block.text)), default=0) + 1)
            out.append(f"{fence}\n{block.text}\n{fence}")
    return "\n\n".join(out) + "\n"


# --- HTML ------------------------------------------------------------------------------------

_CSS = """
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif; line-height: 1.5;
       color: #1b1b1b; background: #fff; margin: 0; }
main { max-width: 60rem; margin: 0 auto; padding: 1.5rem; }
h1 { font-size: 1.9rem; margin-top: 0.5rem; }
h2 { font-size: 1.4rem; border-bottom: 2px solid #1d70b8; padding-bottom: 0.2rem; margin-top: 2.5rem; }
h3 { font-size: 1.1rem; margin-top: 2rem; }
code { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 0.92em;
       background: #f3f2f1; padding: 0 0.2em; border-radius: 2px; }
pre { background: #f3f2f1; padding: 0.75rem; overflow-x: auto; border-left: 4px solid #b1b4b6; }
pre code { background: none; padding: 0; }
table { border-collapse: collapse; margin: 0.75rem 0; width: 100%; }
th, td { border: 1px solid #b1b4b6; padding: 0.3rem 0.5rem; text-align: left; vertical-align: top; }
th { background: #f3f2f1; }
td.split, th.split { border-left: 3px double #505a5f; }
dl { display: grid; grid-template-columns: max-content auto; gap: 0.2rem 1rem; margin: 0.75rem 0; }
dt { font-weight: 600; }
dd { margin: 0; }
.note { padding: 0.6rem 0.9rem; margin: 0.75rem 0; border-left: 6px solid; }
.note.warning { border-color: #d4351c; background: #fbeae8; }
.note.unconfirmed { border-color: #f47738; background: #fef1e9; }
.note.info { border-color: #1d70b8; background: #eaf2f9; }
a { color: #1d70b8; }
@media print { h2 { break-after: avoid; } pre, table { break-inside: avoid; } }
""".strip()


def _safe_url(url: str) -> bool:
    return url.startswith(("https://", "http://"))


def _e(text: str) -> str:
    return html.escape(text, quote=True)


def _html_inlines(parts: Inlines) -> str:
    out = []
    for part in parts:
        if isinstance(part, Code):
            out.append(f"<code>{_e(part.text)}</code>")
        elif isinstance(part, Strong):
            out.append(f"<strong>{_e(part.text)}</strong>")
        elif isinstance(part, Link):
            if part.url.startswith("#") or _safe_url(part.url):
                text = f"<code>{_e(part.text)}</code>" if part.url.startswith("#") else _e(part.text)
                out.append(f'<a href="{_e(part.url)}">{text}</a>')
            else:
                out.append(f"{_e(part.text)} ({_e(part.url)})")
        else:
            out.append(_e(part))
    return "".join(out)


def render_html(standard: ir.CompiledStandard, scenario_phrases: dict[str, list[str]] | None = None) -> str:
    """The standard as one self-contained HTML page (inline CSS, no scripts or external assets)."""
    title, blocks = build_document(standard, scenario_phrases)
    body: list[str] = []
    for block in blocks:
        if isinstance(block, Heading):
            anchor = f' id="{_e(block.anchor)}"' if block.anchor else ""
            body.append(f"<h{block.level}{anchor}>{_html_inlines(block.text)}</h{block.level}>")
        elif isinstance(block, Paragraph):
            body.append(f"<p>{_html_inlines(block.text)}</p>")
        elif isinstance(block, Note):
            body.append(
                f'<div class="note {_e(block.kind)}"><strong>{_e(block.label)}:</strong> '
                f"{_html_inlines(block.text)}</div>"
            )
        elif isinstance(block, Fields):
            items = "".join(
                f"<dt>{_e(label)}</dt><dd>{_html_inlines(value)}</dd>" for label, value in block.items
            )
            body.append(f"<dl>{items}</dl>")
        elif isinstance(block, Bullets):
            items = "".join(f"<li>{_html_inlines(item)}</li>" for item in block.items)
            body.append(f"<ul>{items}</ul>")
        elif isinstance(block, Table):

            def cls(index: int) -> str:
                return ' class="split"' if block.split is not None and index == block.split else ""

            head = "".join(f'<th scope="col"{cls(i)}>{_e(cell)}</th>' for i, cell in enumerate(block.header))
            rows = "".join(
                "<tr>"
                + "".join(f"<td{cls(i)}>{_html_inlines(cell)}</td>" for i, cell in enumerate(row))
                + "</tr>"
                for row in block.rows
            )
            body.append(f"<table><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>")
        elif isinstance(block, CodeBlock):
            body.append(f"<pre><code>{_e(block.text)}</code></pre>")
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en-GB">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{_e(title)} ({_e(standard.reference)})</title>\n"
        f"<style>\n{_CSS}\n</style>\n</head>\n<body>\n<main>\n"
        + "\n".join(body)
        + "\n</main>\n</body>\n</html>\n"
    )


__all__ = ["render_markdown", "render_html", "build_document"]
