"""Evaluating a pack's measures for one journey.

For each measure, every unit of the journey (a finding of the measure's rules, an event of its
type, or the journey's expected provision from its table) is tested: in the period and passing
the population tests, it counts in the denominator; passing the numerator tests too, in the
numerator (a ``total`` adds the unit's amount instead). The result is a list of
``Contribution`` rows that the partition adds up by measure, breakdown keys and category;
nothing here knows about local authorities or files.

Only what the decision saw is read: events dated after the as-of date are invisible here too.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from typing import Any, Iterable

from sendrules.dsl import ir
from sendrules.dsl import measure_ir as m
from sendrules.engine.calendar import add_days, add_months_clamped, add_weeks, days_between, reporting_period
from sendrules.engine.decision import Finding
from sendrules.engine.journey import Event, Journey


@dataclass(frozen=True, slots=True)
class Contribution:
    measure: str
    category: str | None
    in_denominator: bool
    in_numerator: bool
    amount: int
    #: The AP provider of the placement the unit belongs to (see ``placement_provider``); None
    #: when the measure has no provider breakdown, the unit is no placement's, or none was recorded.
    provider: str | None = None


class _Unit:
    """One counted thing: its parts by name (``finding``, ``trigger``, ``event`` ...)."""

    __slots__ = ("parts",)

    def __init__(self, parts: dict[str, Any]) -> None:
        self.parts = parts


class _FindingFacts:
    """A finding as a measure reads it: its own fields plus ``exception_case``, worked out
    only when a measure reads it (most read the status alone)."""

    __slots__ = ("finding", "_exception_case", "_work_out")

    def __init__(self, finding: Finding, work_out: Any) -> None:
        self.finding = finding
        self._work_out = work_out  # () -> bool
        self._exception_case: bool | None = None

    def get(self, name: str) -> Any:
        if name == "exception_case":
            if self._exception_case is None:
                self._exception_case = bool(self._work_out())
            return self._exception_case
        return getattr(self.finding, name, None)


class MeasureEvaluator:
    """Evaluates every measure of a list for one journey at a time. Build once per run."""

    def __init__(self, standard: ir.CompiledStandard, measures: Iterable[m.Measure], as_of: date) -> None:
        self.standard = standard
        self.measures = tuple(measures)
        self.as_of = as_of
        self.periods = {measure.id: reporting_period(measure.period, as_of) for measure in self.measures}
        self.rules = {rule.id: rule for rule in standard.rules}
        self.needs_provision = any(measure.unit == "provision" for measure in self.measures)
        self.kinds = {measure.id: measure.kind for measure in self.measures}
        self.by_provider = {measure.id for measure in self.measures if "provider" in measure.breakdowns}
        self.rules_counted = {measure.id: frozenset(measure.rules) for measure in self.measures}

    def periods_as_text(self) -> dict[str, tuple[str, str]]:
        return {key: (start.isoformat(), end.isoformat()) for key, (start, end) in self.periods.items()}

    def evaluate(
        self, journey: Journey, findings: Iterable[Finding], provision: Iterable | None = None
    ) -> list[Contribution]:
        """Every measure's contributions from one journey."""
        visible = sorted(
            (event for event in journey.events if event.date <= self.as_of),
            key=lambda event: (event.date, event.index),
        )
        by_id = {event.id: event for event in visible}
        by_type: dict[str, list[Event]] = {}
        for event in visible:
            by_type.setdefault(event.type, []).append(event)
        findings = list(findings)
        results: list[Contribution] = []
        for measure in self.measures:
            for unit in self._units(measure, findings, by_id, by_type, provision or ()):
                contribution = self._count(measure, unit)
                if contribution is not None:
                    if measure.id in self.by_provider:
                        contribution = replace(
                            contribution, provider=placement_provider(unit.parts.get("event"), by_id)
                        )
                    results.append(contribution)
        return results

    def exception_cases(self, journey: Journey, findings: list[Finding]) -> list[bool]:
        """``exception_case`` of each finding (see ``_exception_case``)."""
        by_type: dict[str, list[Event]] = {}
        by_id: dict[str, Event] = {}
        for event in journey.events:
            if event.date <= self.as_of:
                by_type.setdefault(event.type, []).append(event)
                by_id[event.id] = event
        return [self._exception_case(finding, by_id.get(finding.trigger), by_type) for finding in findings]

    # --- units -------------------------------------------------------------------------------

    def _units(self, measure: m.Measure, findings, by_id, by_type, provision):
        if measure.unit == "findings":
            wanted = self.rules_counted[measure.id]
            for finding in findings:
                if finding.rule in wanted:
                    trigger = by_id.get(finding.trigger)
                    yield _Unit(
                        {
                            "finding": _FindingFacts(
                                finding,
                                lambda finding=finding, trigger=trigger: self._exception_case(
                                    finding, trigger, by_type
                                ),
                            ),
                            "trigger": trigger,
                            "satisfied_by": by_id.get(finding.satisfied_by) if finding.satisfied_by else None,
                            "exception": by_id.get(finding.exception) if finding.exception else None,
                        }
                    )
        elif measure.unit == "events":
            follow = measure.follow_up
            for event in by_type.get(measure.event_type or "", ()):
                follow_up = None
                if follow is not None:
                    follow_up = next(
                        (
                            candidate
                            for candidate in by_type.get(follow.event_type, ())
                            if candidate.fields.get(follow.link_field) == event.id
                        ),
                        None,
                    )
                yield _Unit({"event": event, "follow_up": follow_up})
        else:
            for entry in provision:
                if entry.table == measure.table and entry.outputs is not None:
                    yield _Unit({"output": dict(entry.outputs), "based_on": by_id.get(entry.based_on)})

    def _exception_case(self, finding: Finding, trigger: Event | None, by_type) -> bool:
        """Whether a time-limit exception applies to the finding's period, whatever its status:
        an event of the rule's exemption type dated from the trigger to the due date. (DfE's
        SEN2 item 3.7 "20-week time limit exceptions apply" flags the whole assessment the same
        way, on time or not.)"""
        rule = self.rules.get(finding.rule)
        if rule is None or rule.exemption is None or finding.due is None or trigger is None:
            return finding.exception is not None
        if rule.exemption.from_binding != rule.trigger.binding:
            return finding.exception is not None
        return any(
            trigger.date <= event.date <= finding.due for event in by_type.get(rule.exemption.event_type, ())
        )

    # --- counting ----------------------------------------------------------------------------

    def _count(self, measure: m.Measure, unit: _Unit) -> Contribution | None:
        if measure.dated_by is not None:
            day = self._read(unit, measure.dated_by)
            start, end = self.periods[measure.id]
            if not isinstance(day, date) or not start <= day <= end:
                return None
        if not all(self._holds(test, unit, measure) for test in measure.population):
            return None
        in_numerator = all(self._holds(test, unit, measure) for test in measure.numerator)
        amount = 0
        if measure.kind == "total":
            if not in_numerator:
                return None
            if measure.amount_days is not None:
                began = self._date(measure.amount_days[0], unit, measure)
                ended = self._date(measure.amount_days[1], unit, measure) or self.as_of
                value: Any = days_between(began, ended) if began is not None else 0
            else:
                value = (
                    measure.amount_value
                    if measure.amount_path is None
                    else self._read(unit, measure.amount_path)
                )
            amount = int(value or 0)
        return Contribution(measure.id, self._category(measure, unit), True, in_numerator, amount)

    def _category(self, measure: m.Measure, unit: _Unit) -> str | None:
        category = measure.category
        if category is None:
            return None
        if category.path is not None:
            value = self._read(unit, category.path)
            return "unknown" if value is None else str(value)
        start = self._date(category.days_from, unit, measure)
        end = self._date(category.days_to, unit, measure) or self.as_of
        if start is None:
            return "unknown"
        days = days_between(start, end)
        for band in category.bands:
            if band.up_to_days is None or days <= band.up_to_days:
                return band.label
        return category.bands[-1].label

    def _read(self, unit: _Unit, path: m.Path) -> Any:
        part = unit.parts.get(path.part)
        if path.field is None or part is None:
            return part
        if isinstance(part, dict):
            return part.get(path.field)
        return part.get(path.field)

    def _date(self, value: m.DateValue | None, unit: _Unit, measure: m.Measure) -> date | None:
        if value is None:
            return None
        if value.special == "as_of":
            day: Any = self.as_of
        elif value.special == "period_start":
            day = self.periods[measure.id][0]
        elif value.special == "period_end":
            day = self.periods[measure.id][1]
        else:
            day = self._read(unit, value.path) if value.path is not None else None
        if not isinstance(day, date):
            return None
        if value.plus_amount:
            if value.plus_unit == "weeks":
                return add_weeks(day, value.plus_amount)
            if value.plus_unit == "months":
                return add_months_clamped(day, value.plus_amount)
            return add_days(day, value.plus_amount)
        return day

    def _holds(self, test: m.Test, unit: _Unit, measure: m.Measure) -> bool:
        kind = test.kind
        if kind == "any":
            return any(
                all(self._holds(inner, unit, measure) for inner in alternative)
                for alternative in test.alternatives
            )
        value = self._read(unit, test.path)
        if kind == "present":
            return (value is not None) == test.flag
        if kind == "is":
            return value is test.flag
        if kind == "one_of":
            return value is not None and (value in test.values or str(value) in test.values)
        other = self._date(test.date, unit, measure)
        if not isinstance(value, date) or other is None:
            return False
        if kind == "before":
            return value < other
        if kind == "on_or_before":
            return value <= other
        if kind == "after":
            return value > other
        return value >= other


def placement_provider(event: Event | None, by_id: dict[str, Event]) -> str | None:
    """The ``provider`` of the AP placement ``event`` is, or refers to: following
    ``in_response_to`` from an ending (or a destination check of an ending) back to its
    ``ap_placement_started``. None when there is no such placement or it names no provider."""
    for _ in range(4):  # a check refers to an ending, an ending to its start: a short chain
        if event is None:
            return None
        if event.type == m.PROVIDER_EVENT:
            provider = event.fields.get("provider")
            return str(provider) if provider is not None else None
        link = event.fields.get("in_response_to")
        event = by_id.get(link) if isinstance(link, str) else None
    return None


# --- which measures a run uses ---------------------------------------------------------------


@dataclass(frozen=True)
class MeasureChoice:
    """The measures a run evaluates and where they come from."""

    source: str | None  # exact reference of the version whose measures.yaml is used
    source_sha256: str | None
    measures: tuple[m.Measure, ...]
    skipped: tuple[tuple[str, str], ...]  # (measure id, why it cannot be computed under the run's standard)
    reason: str


def choose_measures(
    library, standard: ir.CompiledStandard, as_of: date, explicit: str | None = None
) -> MeasureChoice:
    """The measures for a run under ``standard``.

    Its own measures when it has a measures.yaml. Otherwise (published 1.0.0 and 1.1.0 cannot
    gain one) those of ``explicit`` if given, else of the newest published version of the same
    pack that has measures, else of the newest version of any status that has: checked against
    ``standard``, so a measure that needs a rule or event type the run's standard lacks is left
    out and listed with the reason."""
    from sendrules.dsl.measures import FILE_NAME, measures_checked_against
    from sendrules.dsl.pack import read_pack_files

    if explicit is None and standard.measures:
        return MeasureChoice(
            standard.reference, standard.sha256, standard.measures, (), "the standard's own measures"
        )
    candidates = [info for info in library.versions() if info.pack_id == standard.id]
    if explicit is not None:
        source = library.resolve(explicit, as_of)
        chosen = [info for info in candidates if info.version == source.version]
        reason = f"named with --measures {explicit}"
    else:
        with_measures = [info for info in candidates if (info.folder / FILE_NAME).is_file()]
        published = [info for info in with_measures if info.status == "published"]
        pool = published or with_measures
        chosen = sorted(pool, key=lambda info: (info.effective_from or date.min, info.version))[-1:]
        reason = (
            f"{standard.reference} has no measures; using those of the newest "
            + ("published " if published else "")
            + "version that has"
        )
    if not chosen:
        return MeasureChoice(None, None, (), (), f"no version of {standard.id} has measures")
    info = chosen[0]
    source = library.build(info)
    files, _ = read_pack_files(info.folder, library.display_name(info.folder))
    text = files.texts.get(FILE_NAME)
    if text is None:
        return MeasureChoice(source.reference, source.sha256, (), (), f"{source.reference} has no measures")
    if source.sha256 == standard.sha256:
        return MeasureChoice(source.reference, source.sha256, source.measures, (), reason)
    measures, skipped = measures_checked_against(standard, text, files.display_path(FILE_NAME))
    return MeasureChoice(source.reference, source.sha256, measures, tuple(sorted(skipped.items())), reason)
