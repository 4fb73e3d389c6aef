"""Episodes (rules language 3): runs of back-to-back events, and duty windows that close.

Both backends call these functions with the same inputs (the visible events of a type, in
date and input order, and the decision's calendar), so they cannot disagree on a run or a
closing date; every date comes from ``engine.calendar``.

* **A run of back-to-back events** (``on school day N of back to back TYPE lasting FIELD from
  NAME``): events of TYPE, each lasting FIELD school days from its date (an event without the
  field lasts indefinitely, e.g. a permanent exclusion), form one run when each starts on or
  before the school day after the previous one's last school day. The rule's trigger is the
  event of the run whose school days include the run's Nth school day; the run's first event is
  bound to NAME, so ``by school day N of NAME`` counts from the start of the run.
* **A window that closes** (``window closes ...``): an expected event dated after the window
  closed belongs to another episode and does not satisfy the duty; with none inside the window,
  the duty is ``breached`` once ``as_of`` is after the closing date.
* **Absences that add up** (language 4, ``reaching school day N of absences from START to END in
  the school year as NAME``): absences from a START event to the END event that names it (an
  open one up to as_of) are counted school day by school day within each school year, and within
  each spell of absence without a break (straight on across 31 August); the trigger is the START
  event on whose absence an Nth school day falls, and NAME is bound to that day
  (``absences_reaching``).
* **Cumulative totals** (``total FIELD of TYPE in the school year of NAME``, read by
  ``engine.conditions``): a finding whose condition compared a total names it in its message.
"""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass, field, replace
from datetime import date
from fractions import Fraction
from typing import Mapping, Sequence, assert_never

from sendrules.dsl import ir
from sendrules.engine.calendar import Calendar, add_days, school_year_start
from sendrules.engine.conditions import Predicate, Scope, compile_operand
from sendrules.engine.deadlines import Deadline, ParameterReader, describe_event, within_period
from sendrules.engine.decision import Explains, Finding, Status
from sendrules.engine.journey import Event


@dataclass(frozen=True)
class Run:
    """The back-to-back events a trigger belongs to, up to and including the trigger."""

    members: tuple[Event, ...]
    #: The run's Nth school day (the day the rule counts to).
    day: date
    nth: int
    #: The last school day of the whole run (every member, also those after the trigger), or
    #: None when a member lasts indefinitely.
    last_day: date | None

    @property
    def first(self) -> Event:
        return self.members[0]

    def describe(self, field: str) -> str:
        """The run in words, e.g. "exclusion x1 on 2025-01-06 (3 school days) and exclusion x2
        on 2025-01-09 (3 school days) ran back to back; school day 6 of the run is 2025-01-13"."""
        parts = [
            f"{describe_event(event)} ("
            + (f"{event.get(field)} school days" if event.get(field) is not None else "no end")
            + ")"
            for event in self.members
        ]
        joined = parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]
        verb = "began the run" if len(parts) == 1 else "ran back to back"
        return f"{joined} {verb}; school day {self.nth} of the run is {self.day.isoformat()}"


def _last_day(event: Event, field: str, calendar: Calendar) -> date | None:
    days = event.get(field)
    return None if days is None else calendar.nth_school_day(event.date, int(days))


@dataclass(frozen=True)
class _WholeRun:
    """One run of back-to-back events, whole: its members in order, its last school day (None
    when a member lasts indefinitely), each member's position by its input position, and (filled
    in as triggers ask) the position of the member on whose school days the run's Nth school day
    falls, by N."""

    members: tuple[Event, ...]
    last_day: date | None
    positions: dict[int, int]
    reaching: dict[int, int | None] = field(default_factory=dict)


def _runs(run: ir.BackToBack, events: Sequence[Event], calendar: Calendar) -> dict[int, _WholeRun]:
    """Every event's whole run, by the event's input position: one pass over ``events``."""
    runs: dict[int, _WholeRun] = {}
    members: list[Event] = []
    end: date | None = None  # the last school day of the run so far (None: no end)
    open_ended = False

    def close() -> None:
        whole = _WholeRun(
            tuple(members), None if open_ended else end, {member.index: n for n, member in enumerate(members)}
        )
        for member in members:
            runs[member.index] = whole

    for event in events:
        first_day = calendar.nth_school_day(event.date, 1)
        joins = bool(members) and (
            open_ended or (end is not None and first_day <= calendar.school_days_after(end, 1))
        )
        if members and not joins:
            close()
            members, end, open_ended = [], None, False
        members.append(event)
        last = _last_day(event, run.length_field, calendar)
        if last is None:
            open_ended = True
        elif end is None or last > end:
            end = last
    if members:
        close()
    return runs


def find_run(
    run: ir.BackToBack,
    trigger: Event,
    events: Sequence[Event],
    nth: int,
    calendar: Calendar,
    memo: dict[object, object] | None = None,
    takes_part: Predicate | None = None,
    scope: Scope | None = None,
) -> Run | None:
    """The run ``trigger`` belongs to when the run's ``nth`` school day falls within the
    trigger's own school days (so the trigger is where the run reaches that day), else None.
    ``events`` are the visible events of ``run.event_type`` in (date, input order). ``memo``, one
    per decision, keeps the runs of ``events`` between triggers, so that a journey's runs are
    found in one pass, not once per trigger. With the run's ``where``, only the events that
    satisfy it (``takes_part``, the rule's compiled ``where``, tested in ``scope``) take part:
    the others neither join nor break a run."""
    key = ("runs", run.event_type, run.length_field, run.condition)
    runs = memo.get(key) if memo is not None else None
    if not isinstance(runs, dict):
        if run.condition is not None:  # only the events the run's `where` chooses take part
            if takes_part is None or scope is None:
                raise AssertionError("a run with 'where' needs its compiled condition and a scope")
            events = [event for event in events if takes_part(event, scope)]
        runs = _runs(run, events, calendar)
        if memo is not None:
            memo[key] = runs
    whole = runs.get(trigger.index)
    position = whole.positions.get(trigger.index) if whole is not None else None
    if whole is None or position is None or whole.members[position] is not trigger:
        return None
    members = whole.members
    day = calendar.nth_school_day(members[0].date, nth)
    if nth not in whole.reaching:  # the first member whose school days include the day
        whole.reaching[nth] = next(
            (
                number
                for number, member in enumerate(members)
                if _covers(member, day, run.length_field, calendar)
            ),
            None,
        )
    if whole.reaching[nth] != position:
        return None  # an earlier member already reached the day, or the trigger does not
    return Run(tuple(members[: position + 1]), day, nth, whole.last_day)


def _covers(event: Event, day: date, field: str, calendar: Calendar) -> bool:
    """Do the event's school days include ``day``?"""
    if calendar.nth_school_day(event.date, 1) > day:
        return False
    last = _last_day(event, field, calendar)
    return last is None or day <= last


# --- windows that close ------------------------------------------------------------------------


@dataclass(frozen=True)
class Closing:
    """When a duty's window closed, and why (for the explanation)."""

    day: date
    reason: str


def window_closes(
    window: ir.Window,
    bindings: dict[str, Event],
    run: Run | None,
    next_events: Mapping[str, Sequence[Event]],
    params: ParameterReader,
    calendar: Calendar,
) -> Closing | None:
    """The earliest of the window's closing dates (None: none of them has happened or exists).
    ``next_events`` gives, for each event type a part names, its visible events in order."""
    closings: list[Closing] = []
    trigger = bindings[window.trigger]
    for part in window.parts:
        if isinstance(part, ir.CloseAtEndOfRun):
            if run is not None and run.last_day is not None:
                closings.append(
                    Closing(
                        run.last_day,
                        f"the run of {run.first.type} events ended on {run.last_day.isoformat()}",
                    )
                )
        elif isinstance(part, ir.CloseAtNext):
            after = run.last_day if run is not None and run.last_day is not None else trigger.date
            following = next(
                (
                    event
                    for event in next_events.get(part.event_type, ())
                    if event.date > after
                    and event is not trigger
                    and (run is None or event not in run.members)
                ),
                None,
            )
            if following is not None:
                closings.append(
                    Closing(
                        add_days(following.date, -1),
                        f"the next {describe_event(following)} began a new episode",
                    )
                )
        elif isinstance(part, ir.CloseAfter):
            anchor = bindings[part.anchor]
            amount = params.amount(part.amount)
            day = _period_end(part.unit, anchor.date, amount, calendar)
            closings.append(
                Closing(day, f"{amount} {part.unit.value.replace('_', ' ')} after {describe_event(anchor)}")
            )
        else:
            assert_never(part)
    return min(closings, key=lambda closing: closing.day) if closings else None


def _period_end(unit: ir.TimeUnit, start: date, amount: int, calendar: Calendar) -> date:
    return within_period(unit, start, amount, calendar)


def inside_window(expected: Event | None, closing: Closing | None) -> Event | None:
    """The expected event, or None when it came after the window closed (another episode's)."""
    if expected is None or closing is None or expected.date <= closing.day:
        return expected
    return None


@dataclass(frozen=True)
class EpisodeNote:
    """A finding's message with what the episode adds: the run, and the window's closing."""

    inner: Explains | None
    run: str | None
    closing: Closing | None
    breached: bool
    title: str
    expected_type: str

    @property
    def deadline(self) -> object:
        """The inner explanation's deadline, so that a decision still says when the due date
        rests on the school-day calendar (``decision.school_days_statement``)."""
        return getattr(self.inner, "deadline", None)

    def render(self) -> str:
        if self.breached:
            assert self.closing is not None
            text = (
                f"{self.title}: breached; no {self.expected_type} by the end of "
                f"{self.closing.day.isoformat()}, when the duty's window closed ({self.closing.reason})."
            )
        else:
            text = self.inner.render() if self.inner is not None else ""
        if self.run is not None:
            text += f" {self.run[0].upper()}{self.run[1:]}."
        return text


def with_episode(
    finding: Finding,
    rule: ir.Rule,
    expected_type: str,
    run: Run | None,
    closing: Closing | None,
    as_of: date,
    reached: AbsencesReached | None = None,
) -> Finding:
    """The finding with the episode's effect: ``breached`` when nothing satisfied the duty
    inside a window that has closed by ``as_of``; the run (or the absences that added up, language
    4) and the window in its message."""
    breached = (
        closing is not None
        and finding.satisfied_by is None
        and closing.day < as_of
        and finding.status is not Status.EXEMPT
    )
    run_text = run.describe(rule.run.length_field) if run is not None and rule.run is not None else None
    if reached is not None:
        run_text = reached.describe()
    note = EpisodeNote(finding.explanation, run_text, closing, breached, rule.title, expected_type)
    if breached:
        return replace(finding, status=Status.BREACHED, explanation=note)
    return replace(finding, explanation=note)


# --- cumulative totals -----------------------------------------------------------------------


def totals_in(condition: ir.Condition | None) -> list[ir.TotalInSchoolYear]:
    """The ``total ... in the school year of`` operands of a condition (language 3)."""
    return [
        operand
        for test in ir.condition_leaves(condition)
        for operand in ir.leaf_operands(test)
        if isinstance(operand, ir.TotalInSchoolYear)
    ]


@dataclass(frozen=True)
class TotalsNote:
    """A finding's message with the totals its condition compared, e.g. "the total school days
    of exclusion events in the school year 2024/25 up to exclusion x4 was 46"."""

    inner: Explains | None
    totals: tuple[str, ...]

    def render(self) -> str:
        text = self.inner.render() if self.inner is not None else ""
        return text + "".join(f" {total[0].upper()}{total[1:]}." for total in self.totals)


def with_totals(
    finding: Finding, totals: list[tuple[ir.TotalInSchoolYear, Event, int | Fraction]]
) -> Finding:
    """The finding with each total its condition read, and over which school year, in its
    message (both backends compute the totals with ``engine.conditions``)."""
    if not totals:
        return finding
    words = tuple(
        f"the total {operand.field.replace('_', ' ')} of {operand.event_type} events in the school "
        f"year {school_year_label(at.date)} up to {describe_event(at)} was {total_text(value)}"
        + (f" (each with {operand.half_if} = true counted as half)" if operand.half_if else "")
        for operand, at, value in totals
    )
    return replace(finding, explanation=TotalsNote(finding.explanation, words))


def total_text(value: int | Fraction) -> str:
    """A total in words: "46", or "45.5" for a total that ends in a half."""
    if isinstance(value, Fraction) and value.denominator != 1:
        return f"{value.numerator // value.denominator}.5" if value.denominator == 2 else str(float(value))
    return str(int(value))


def school_year_label(day: date) -> str:
    """The school year containing ``day``, e.g. "2024/25"."""
    start = school_year_start(day).year
    return f"{start}/{(start + 1) % 100:02d}"


def _whole_or_half(value: object) -> int | Fraction:
    if isinstance(value, Fraction):
        return value
    assert isinstance(value, int), "a total is a whole number or a half"
    return value


def explain_totals(finding: Finding, condition: ir.Condition | None, scope: Scope) -> Finding:
    """``with_totals`` for the totals of ``condition``, read in ``scope``."""
    totals = [
        (operand, scope.bindings[operand.at], _whole_or_half(compile_operand(operand)(None, scope)))
        for operand in totals_in(condition)
    ]
    return with_totals(finding, totals)


# --- absences that add up (language 4) -------------------------------------------------------


@dataclass(frozen=True)
class Absence:
    """One absence: from its start event to the day before its end event (the day the child is
    back is not a day of absence), or, with none, up to as_of. Its end is chosen by
    ``absences``."""

    start: Event
    end: Event | None
    #: The last calendar day of the absence.
    last: date


@dataclass(frozen=True)
class AbsencesReached:
    """Where a child's absences reach their Nth school day: on ``day``, a school day of
    ``trigger``'s absence. ``counted`` gives each absence counted with its school days up to and
    including ``day`` (a day two absences share counts once, for the earlier): the absences of
    that school year, or, when ``unbroken``, those of one spell of absence without a break,
    counted straight on (also across 31 August)."""

    trigger: Event
    day: date
    nth: int
    counted: tuple[tuple[Absence, int], ...]
    #: The start events of the spell of absence without a break that ``day`` falls in (a response
    #: to any of them is a response to the trigger: ``response_in_spell``).
    spell: tuple[Event, ...]
    #: True when a spell of absence without a break reached the day before the school year's
    #: total did.
    unbroken: bool = False

    def marker(self) -> Event:
        """The event a rule's ``as NAME`` binds: the day reached, so that ``by NAME`` is due on it.
        It has the trigger's fields and position; its type and id say what it is in messages
        (e.g. "school day 15 of absence in 2025/26 (in health_absence_started h3) on ...")."""
        counted = "a spell of absence" if self.unbroken else f"absence in {school_year_label(self.day)}"
        return Event(
            id=f"(in {self.trigger.type} {self.trigger.id})",
            type=f"school day {self.nth} of {counted}",
            date=self.day,
            index=self.trigger.index,
            fields=self.trigger.fields,
        )

    def describe(self) -> str:
        """The absences in words, e.g. "in the school year 2025/26, health_absence_started h1 on
        2025-09-08 (5 school days, ended by health_absence_ended e1 on 2025-09-15) and ...
        added up to school day 15 of absence on 2025-11-21"."""
        parts = []
        for absence, days in self.counted:
            ending = f"ended by {describe_event(absence.end)}" if absence.end is not None else "not ended"
            parts.append(f"{describe_event(absence.start)} ({_days(days)} counted, {ending})")
        joined = parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]
        if self.unbroken:
            return (
                f"absent without a break, {joined} reached school day {self.nth} of absence on "
                f"{self.day.isoformat()}"
            )
        return (
            f"in the school year {school_year_label(self.day)}, {joined} added up to school day "
            f"{self.nth} of absence on {self.day.isoformat()}"
        )


def _days(count: int) -> str:
    return f"{count} school day{'s' if count != 1 else ''}"


def absences(starts: Sequence[Event], ends: Sequence[Event], as_of: date) -> list[Absence]:
    """The absences of ``starts`` (in date and input order). Each is ended by the first of
    ``ends`` (in date and input order) that names it in ``in_response_to`` and is dated on or after
    its start, or that names no absence and is dated after its start (the child is back: every
    absence that began before ends; one that begins that day is not ended by it); an end that
    names another absence does not end it. An unended absence lasts up to as_of."""
    result = []
    for start in starts:
        end = next((event for event in ends if _ends(event, start)), None)
        result.append(Absence(start, end, add_days(end.date, -1) if end is not None else as_of))
    return result


def _ends(end: Event, start: Event) -> bool:
    named = end.fields.get("in_response_to")
    return end.date >= start.date if named == start.id else named is None and end.date > start.date


def _spells(listed: Sequence[Absence], calendar: Calendar) -> list[list[int]]:
    """The absences (by position in ``listed``) grouped into spells of absence without a break:
    an absence joins the spell before it when it starts on or before the first school day after
    the spell's last day (no school day between them on which the child was not absent; absences
    that overlap or follow on, also across a weekend, a holiday or 31 August). An absence with
    no days (back on the day it started) is in no spell."""
    spells: list[list[int]] = []
    last: date | None = None
    for number, absence in enumerate(listed):
        if absence.last < absence.start.date:
            continue
        if last is not None and not _school_day_between(last, absence.start.date, calendar):
            spells[-1].append(number)
            last = max(last, absence.last)
        else:
            spells.append([number])
            last = absence.last
    return spells


def _school_day_between(last: date, start: date, calendar: Calendar) -> bool:
    """Whether a school day falls after ``last`` and before ``start``."""
    day = add_days(last, 1)
    while day < start:
        if calendar.is_school_day(day):
            return True
        day = add_days(day, 1)
    return False


def absences_reaching(
    starts: Sequence[Event], ends: Sequence[Event], nth: int, as_of: date, calendar: Calendar
) -> dict[int, AbsencesReached]:
    """Where the child's absences reach their ``nth`` school day, by the input position of the
    start event on whose absence that day falls ("consecutively or cumulatively"):

    * **cumulatively**: in each school year (1 September to 31 August), the day the school days
      of absence of that year add up to ``nth``;
    * **consecutively**: in each spell of absence without a break (``_spells``), its ``nth``
      school day, counted straight on across 31 August.

    A school day counts once however many absences include it, for the earliest of them (which
    is then the one the day falls on), and only when the school is open (``calendar``). A start
    event gives at most one finding, for the earliest day that falls on its absence; a day that
    falls on an absence that already has an earlier one gives none (the duty has arisen)."""
    listed = absences(starts, ends, as_of)
    owner: dict[date, int] = {}  # each school day of absence, by the earliest absence including it
    for number, absence in enumerate(listed):
        day = absence.start.date
        while day <= absence.last:
            if day not in owner and calendar.is_school_day(day):
                owner[day] = number
            day = add_days(day, 1)
    school_days = sorted(owner)
    spells = _spells(listed, calendar)
    spell_of = {number: tuple(listed[n].start for n in spell) for spell in spells for number in spell}
    # (day, 0 for the school year's total or 1 for a spell, the reaching): the total first on a tie
    candidates: list[tuple[date, int, AbsencesReached]] = []
    counts: dict[date, int] = {}  # school days counted so far, by the school year's first day
    per_absence: dict[date, dict[int, int]] = {}
    for day in school_days:
        year = school_year_start(day)
        number = owner[day]
        counts[year] = counts.get(year, 0) + 1
        counted = per_absence.setdefault(year, {})
        counted[number] = counted.get(number, 0) + 1
        if counts[year] == nth:
            reaching = AbsencesReached(
                listed[number].start,
                day,
                nth,
                tuple((listed[n], days) for n, days in sorted(counted.items())),
                spell_of[number],
            )
            candidates.append((day, 0, reaching))
    for spell in spells:
        first, end = listed[spell[0]].start.date, max(listed[n].last for n in spell)
        in_spell: dict[int, int] = {}
        # the spell's school days are the owned days from its first to its last (no school day
        # between its absences is outside them)
        for count, day in enumerate(school_days[bisect_left(school_days, first) :], start=1):
            if day > end:
                break
            number = owner[day]
            in_spell[number] = in_spell.get(number, 0) + 1
            if count == nth:
                counted_in_spell = tuple((listed[n], days) for n, days in sorted(in_spell.items()))
                reaching = AbsencesReached(
                    listed[number].start, day, nth, counted_in_spell, spell_of[number], unbroken=True
                )
                candidates.append((day, 1, reaching))
                break
    reached: dict[int, AbsencesReached] = {}
    for _, _, reaching in sorted(candidates, key=lambda candidate: candidate[:2]):
        reached.setdefault(reaching.trigger.index, reaching)
    return reached


def find_absences_reaching(
    clause: ir.AbsencesReaching,
    trigger: Event,
    starts: Sequence[Event],
    ends: Sequence[Event],
    nth: int,
    as_of: date,
    calendar: Calendar,
    memo: dict[object, object] | None = None,
) -> AbsencesReached | None:
    """Where the absences reach their ``nth`` school day when that day falls on ``trigger``'s
    absence, else None. ``starts`` and ``ends`` are the visible events of the clause's two types
    in (date, input order); ``memo``, one per decision, keeps the answer between triggers."""
    key = ("absences", clause.start_type, clause.end_type, nth)
    found = memo.get(key) if memo is not None else None
    if not isinstance(found, dict):
        found = absences_reaching(starts, ends, nth, as_of, calendar)
        if memo is not None:
            memo[key] = found
    reached = found.get(trigger.index)
    if not isinstance(reached, AbsencesReached) or reached.trigger is not trigger:
        return None
    return reached


def response_in_spell(reached: AbsencesReached, responses: Sequence[Event], link_field: str) -> Event | None:
    """(``expect TYPE in response to NAME`` in a rule that counts absences) The first of
    ``responses`` (visible, in date and input order) whose ``link_field`` names an absence of the
    spell without a break that the day reached falls in: education arranged for one record of an
    unbroken absence is education for the others (absences recorded twice, or recorded again
    after a weekend)."""
    spell = {start.id for start in reached.spell}
    return next((event for event in responses if event.fields.get(link_field) in spell), None)


def counted_over(deadline: Deadline, reached: AbsencesReached | None) -> Deadline:
    """The deadline, marked as counted over the school days of the absences that reached it (a
    decision then says the due date rests on the school-day calendar, from the first absence)."""
    if reached is None:
        return deadline
    return replace(deadline, counted_from=reached.counted[0][0].start.date)
