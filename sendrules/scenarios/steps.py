"""The phrases policy officers' scenarios may use: the step definitions of ``sendrules test``.

Steps are thin. ``Given`` steps add dated events to a journey (ids ``e1``, ``e2``, ... in the
order the scenario gives them); ``When the duties are decided on …`` sends that journey to
``DecisionService.decide`` through ``parse_request``, exactly as the CLI and the HTTP API do,
naming the standards version under test; ``Then`` steps compare the decision's findings and
expected provision with what the scenario says. No step knows anything about a rule.

A module that runs these steps must provide two fixtures: ``standards_reference`` (the
version under test, e.g. ``send-ap@1.1.0``) and ``standards_dir`` (a standards folder, or
None for the bundled packs). ``features.runner`` generates such a module.

Events are named by what they are: "the request", "the draft plan", "the educational advice
request", "the second review meeting", "the last review meeting". Each event type has one or
more nouns (``NOUNS`` below); "the N-th <noun>" counts the events with that noun in the order
the scenario gives them. docs/features.md lists every phrase (generated from ``PHRASES``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, Callable

import pytest
from pytest_bdd import given, parsers, then, when

from sendrules.engine.calendar import MONTH_NAMES
from sendrules.engine.errors import EngineError
from sendrules.engine.library import StandardsLibrary
from sendrules.engine.request import parse_request
from sendrules.engine.service import DecisionService
from sendrules.policy.describe import long_date, ordinal

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
#: A date as people write it: "6 January 2025", optionally with the weekday ("Monday 6 January 2025").
DATE = (r"(?:(?:" + "|".join(WEEKDAYS) + r") )?\d{1,2} (?:" + "|".join(MONTH_NAMES) + r") \d{4}")
_DATE_PARTS = re.compile(r"^(?:(?P<weekday>" + "|".join(WEEKDAYS) + r") )?(?P<day>\d{1,2}) "
                         r"(?P<month>" + "|".join(MONTH_NAMES) + r") (?P<year>\d{4})$")
#: An event named by a scenario: "the request", "the second review meeting".
EVENT = r"the .+?"
STATUS = r"met|late|pending|overdue|exempt|breached"

ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6,
            "seventh": 7, "eighth": 8, "ninth": 9, "tenth": 10}
ORDINAL_WORDS = {number: word for word, number in ORDINALS.items()}
_EVENT_NAME = re.compile(r"^the (?:(?P<ordinal>" + "|".join(ORDINALS) + r"|last|\d+(?:st|nd|rd|th)) )?(?P<noun>.+)$")

HOLDERS = {"local authority": "local_authority", "school": "school",
           "integrated care board": "icb", "ICB": "icb"}

JOURNEY_KEY = pytest.StashKey["ScenarioJourney"]()


class ScenarioFailure(AssertionError):
    """A scenario's expectation did not hold, or the scenario itself is wrong; the message
    says which, in plain words."""


# --- dates -----------------------------------------------------------------------------------


def parse_date(text: str) -> date:
    """ "6 January 2025" (or "Monday 6 January 2025") as a date; the weekday, if given, must be right."""
    match = _DATE_PARTS.match(text.strip())
    if not match:
        raise ScenarioFailure(f'"{text}" is not a date written like "6 January 2025"')
    try:
        day = date(int(match["year"]), MONTH_NAMES.index(match["month"]) + 1, int(match["day"]))
    except ValueError:
        raise ScenarioFailure(f'"{text}" is not a real date') from None
    if match["weekday"] and WEEKDAYS[day.weekday()] != match["weekday"]:
        raise ScenarioFailure(f'{say(day)} is a {WEEKDAYS[day.weekday()]}, not a {match["weekday"]}')
    return day


def say(day: date) -> str:
    """A date as a policy officer writes it: "26 May 2025"."""
    return long_date(day)


def _iso_or_date(text: str) -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        return parse_date(text)


# --- what events are called ------------------------------------------------------------------

ADVICE_KINDS = {"educational": "educational", "medical": "medical", "psychological": "psychological",
                "social care": "social_care", "other": "other"}
ADVICE_WORDS = {value: key for key, value in ADVICE_KINDS.items()}


def _advice_word(fields):
    return ADVICE_WORDS.get(fields.get("advice"), fields.get("advice"))


def _exclusion_nouns(fields):
    if fields.get("category") == "suspension":
        return ["suspension", "exclusion"]
    return ["permanent exclusion", "exclusion"]


#: The nouns that name an event of each type, given its fields. Any event is also
#: '"<type>" event' (e.g. the first '"final_plan_issued" event').
NOUNS: dict[str, Callable[[dict], list[str]]] = {
    "assessment_requested": lambda f: ["request", "assessment request"],
    "assessment_decision": lambda f: ["assessment decision"],
    "advice_requested": lambda f: [f"{_advice_word(f)} advice request", "advice request"],
    "advice_received": lambda f: [f"{_advice_word(f)} advice", "advice"],
    "plan_decision": lambda f: ["plan decision"],
    "draft_plan_issued": lambda f: ["draft plan"],
    "final_plan_issued": lambda f: ["final plan"],
    "time_limit_exception": lambda f: ["exception", "time limit exception"],
    "review_meeting": lambda f: ["review meeting"],
    "review_report_sent": lambda f: ["review report"],
    "review_decision": lambda f: ["review decision"],
    "amended_plan_issued": lambda f: ["amended plan"],
    "phase_transfer_scheduled": lambda f: ["phase transfer", "transfer"],
    "plan_ceased": lambda f: ["plan ceasing", "cessation"],
    "exclusion": _exclusion_nouns,
    "full_time_provision_started": lambda f: ["full-time education"],
    "needs_identified": lambda f: ["identification of needs", "needs"],
    "amendment_proposed": lambda f: ["proposed amendments", "amendment proposal"],
    "reassessment_decision": lambda f: ["re-assessment decision"],
    "la_move_notified": lambda f: ["move"],
    "plan_transferred": lambda f: ["plan transfer"],
    "transfer_notice_sent": lambda f: ["transfer notice"],
    "cease_consultation": lambda f: ["consultation"],
    "cease_decision_notified": lambda f: ["cease notice", "decision to cease"],
    "exclusion_reported_to_board": lambda f: ["notice to the board", "board notice"],
    "reinstatement_meeting": lambda f: ["reinstatement meeting"],
    "ap_placement_started": lambda f: ["placement"],
    "ap_placement_reviewed": lambda f: ["placement review"],
    "ap_placement_ended": lambda f: ["placement ending", "end of the placement"],
    "part_time_timetable_started": lambda f: ["timetable", "part-time timetable"],
    "part_time_timetable_reviewed": lambda f: ["timetable review"],
    "sen_support_started": lambda f: ["start of SEN support"],
    "sen_support_reviewed": lambda f: ["SEN support review"],
    "sen_support_ended": lambda f: ["end of SEN support"],
    "isp_written": lambda f: ["individual support plan", "ISP"],
    "isp_reviewed": lambda f: ["individual support plan review", "ISP review"],
}


def nouns_for(event_type: str, fields: dict) -> list[str]:
    named = NOUNS.get(event_type)
    return (named(fields) if named else []) + [f'"{event_type}" event']


def _ordinal_word(number: int) -> str:
    return ORDINAL_WORDS.get(number) or ordinal(number)


def _status_and_due(status: str, due: date | None) -> str:
    return f"{status}, due on {say(due)}" if due else f"{status}, with no due date"


# --- the journey a scenario builds -----------------------------------------------------------


@dataclass
class RecordedEvent:
    record: dict  # the event as sent: id, type, date (ISO) and fields
    nouns: list[str]

    @property
    def id(self) -> str:
        return self.record["id"]


class ScenarioJourney:
    """One scenario's journey, its decision and what its checks exercised."""

    def __init__(self, reference: str, service: DecisionService) -> None:
        self.reference = reference
        self.service = service
        self.child: dict | None = None
        self.events: list[RecordedEvent] = []
        self.closures: list[dict] = []
        self.decision = None
        self.error: EngineError | None = None
        self.finding = None  # the finding the last duty check looked at
        self.provision = None  # the provision entry the last provision check looked at
        #: What the checks exercised: ("finding", rule, status), ("no_finding", rule, None),
        #: ("row", table, row), ("missing", table, None), ("no_provision", table, None).
        self.exercised: list[tuple[str, str, Any]] = []

    # --- building ----------------------------------------------------------------------------

    def add(self, event_type: str, day: date, **fields: Any) -> dict:
        """Add an event (fields whose value is None are left out); ids are e1, e2, ..."""
        record = {"id": f"e{len(self.events) + 1}", "type": event_type, "date": day.isoformat()}
        record.update({name: value for name, value in fields.items() if value is not None})
        self.events.append(RecordedEvent(record, nouns_for(event_type, record)))
        self.decision = None
        return record

    def find(self, name: str) -> dict:
        """The event a scenario names: "the request", "the second review meeting"."""
        match = _EVENT_NAME.match(name.strip())
        if not match:
            raise ScenarioFailure(f'"{name}" does not name an event; write e.g. "the request" or '
                                  '"the second review meeting"')
        noun = match["noun"].strip()
        candidates = [event for event in self.events
                      if any(noun.lower() == known.lower() for known in event.nouns)]
        if not candidates:
            known = sorted({event.nouns[0] for event in self.events})
            raise ScenarioFailure(f'no event in this scenario is "{name}" (events so far: '
                                  + (", ".join(f"the {noun}" for noun in known) or "none") + ")")
        ordinal = match["ordinal"]
        if ordinal is None:
            if len(candidates) > 1:
                raise ScenarioFailure(
                    f'"{name}" is ambiguous: this scenario has {len(candidates)} events called '
                    f'"{noun}"; say "the first {noun}", "the second {noun}" ... or "the last {noun}"')
            return candidates[0].record
        if ordinal == "last":
            return candidates[-1].record
        number = ORDINALS.get(ordinal) or int(re.match(r"\d+", ordinal).group())
        if number > len(candidates):
            raise ScenarioFailure(f'there is no "{name}": this scenario has {len(candidates)} '
                                  f'event{"s" if len(candidates) != 1 else ""} called "{noun}"')
        return candidates[number - 1].record

    def latest(self, event_type: str, what: str, accept: Callable[[dict], bool] = lambda record: True) -> dict:
        """The most recent event of a type given so far (what a linking phrase refers to)."""
        for event in reversed(self.events):
            if event.record["type"] == event_type and accept(event.record):
                return event.record
        raise ScenarioFailure(f"there is no {what} before this step for it to refer to")

    def linked(self, name: str | None, event_type: str, what: str,
               accept: Callable[[dict], bool] = lambda record: True) -> str:
        """The id of the event a linking phrase names, or of the latest one that fits."""
        if name is None:
            return self.latest(event_type, what, accept)["id"]
        record = self.find(name)
        if record["type"] != event_type:
            raise ScenarioFailure(f'"{name}" is not a {what}')
        return record["id"]

    def name_of(self, event_id: str | None) -> str:
        """How the scenario would name an event: "the second review meeting (e3)"."""
        for event in self.events:
            if event.id == event_id:
                noun = event.nouns[0]
                same = [other for other in self.events if noun in other.nouns]
                if len(same) == 1:
                    return f"the {noun} ({event_id})"
                return f"the {_ordinal_word(same.index(event) + 1)} {noun} ({event_id})"
        return str(event_id)

    def standard(self, day: date):
        """The compiled standard under test (the one in force on ``day`` if no version is named)."""
        try:
            return self.service.library.resolve(self.reference, day)
        except EngineError as error:
            raise ScenarioFailure(error.describe()) from None

    # --- deciding ----------------------------------------------------------------------------

    def request_payload(self, as_of: date) -> dict:
        if self.child is None:
            raise ScenarioFailure('the scenario has no child: start it with "Given a child born on …"')
        payload: dict[str, Any] = {
            "journey": {"child": dict(self.child), "events": [dict(event.record) for event in self.events]},
            "as_of": as_of.isoformat(),
            "standards": self.reference,
        }
        if self.closures:
            payload["school_closures"] = list(self.closures)
        return payload

    def decide(self, as_of: date) -> None:
        self.decision, self.error, self.finding, self.provision = None, None, None, None
        try:
            self.decision = self.service.decide(parse_request(self.request_payload(as_of)))
        except EngineError as error:
            self.error = error

    def require_decision(self):
        if self.error is not None:
            raise ScenarioFailure("the decision was refused:\n" + self.legend(self.error.describe()))
        if self.decision is None:
            raise ScenarioFailure('nothing has been decided yet: add "When the duties are decided on …" '
                                  "after the events")
        return self.decision

    def legend(self, text: str) -> str:
        """Text from the engine, followed by what its event ids stand for in this scenario."""
        ids = list(dict.fromkeys(re.findall(r"\be\d+\b", text)))
        names = [self.name_of(event_id) for event_id in ids if any(e.id == event_id for e in self.events)]
        return text + ("\n(" + "; ".join(names) + ")" if names else "")

    # --- checking ----------------------------------------------------------------------------

    def known_rule(self, rule: str) -> None:
        decision = self.require_decision()
        standard = self.standard(decision.as_of)
        if rule not in {known.id for known in standard.rules}:
            raise ScenarioFailure(f'the standards {standard.reference} have no rule "{rule}"')

    def describe_finding(self, finding) -> str:
        return _status_and_due(finding.status, finding.due)

    def check_duty(self, rule: str, event_name: str, status: str, due: date | None) -> None:
        decision = self.require_decision()
        event = self.find(event_name)
        self.exercised.append(("finding", rule, status))
        self.known_rule(rule)
        found = [finding for finding in decision.findings if finding.rule == rule and finding.trigger == event["id"]]
        wanted = _status_and_due(status, due)
        if not found:
            others = [finding for finding in decision.findings if finding.rule == rule]
            detail = ("; it applies for " + ", ".join(self.name_of(f.trigger) for f in others)) if others else ""
            raise ScenarioFailure(f'expected the duty "{rule}" for {self.name_of(event["id"])} to be {wanted}, '
                                  f"but no such duty applies{detail}")
        finding = found[0]
        self.finding = finding
        if finding.status != status or finding.due != due:
            raise ScenarioFailure(
                f'the duty "{rule}" for {self.name_of(event["id"])}: expected {wanted}; '
                f"the engine found {self.describe_finding(finding)}.\n" + self.legend(finding.message))

    def check_no_duty(self, rule: str, event_name: str | None) -> None:
        decision = self.require_decision()
        self.exercised.append(("no_finding", rule, None))
        self.known_rule(rule)
        found = [finding for finding in decision.findings if finding.rule == rule]
        if event_name is not None:
            event = self.find(event_name)
            found = [finding for finding in found if finding.trigger == event["id"]]
        if found:
            raise ScenarioFailure(
                f'expected no duty "{rule}"' + (f" for {event_name}" if event_name else "")
                + ", but the engine found:\n"
                + "\n".join(f"  for {self.name_of(f.trigger)}: {self.describe_finding(f)}; {self.legend(f.message)}"
                            for f in found))

    def last_finding(self):
        if self.finding is None:
            raise ScenarioFailure('check a duty first, e.g. "Then the duty "ehc.final_plan" for the request is met, '
                                  'due on 26 May 2025"')
        return self.finding

    def provision_entry(self, table: str, record: tuple | None = None):
        decision = self.require_decision()
        if record is not None:
            self.exercised.append(record)
        standard = self.standard(decision.as_of)
        if table not in {known.id for known in standard.tables}:
            raise ScenarioFailure(f'the standards {standard.reference} have no table "{table}"')
        for entry in decision.provision or ():
            if entry.table == table:
                return entry
        return None

    def check_row(self, table: str, row: int, outputs: dict[str, Any]) -> None:
        entry = self.provision_entry(table, ("row", table, row))
        if entry is None:
            raise ScenarioFailure(f'there is no expected provision from "{table}": the scenario has no event it '
                                  "reads (e.g. the child's needs identified on …)")
        self.provision = entry
        if entry.row is None:
            raise ScenarioFailure(f'expected row {row} of "{table}", but it is not worked out: {entry.message}')
        found = dict(entry.outputs)
        problems = []
        if entry.row != row:
            problems.append(f"row {entry.row}, not row {row}")
        for name, value in outputs.items():
            if name not in found:
                problems.append(f'the table has no output "{name}" (outputs: {", ".join(found)})')
            elif found[name] != value:
                problems.append(f"{name} {found[name]!r}, not {value!r}")
        if problems:
            raise ScenarioFailure(f'the expected provision from "{table}": the engine found ' + "; ".join(problems)
                                  + ".\n" + self.legend(entry.message))


# --- fixtures --------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def decision_service(standards_dir) -> DecisionService:
    """One service per run, over the standards folder under test (the bundled packs by default),
    read once: the files do not change during a run, so the library need not watch them."""
    return DecisionService(StandardsLibrary(Path(standards_dir) if standards_dir else None, watch=False))


@pytest.fixture
def journey(request, standards_reference, decision_service) -> ScenarioJourney:
    """The scenario's journey; the runner reads what its checks exercised from the test item."""
    state = ScenarioJourney(standards_reference, decision_service)
    request.node.stash[JOURNEY_KEY] = state
    return state


# --- registering phrases ---------------------------------------------------------------------


@dataclass(frozen=True)
class Phrase:
    keyword: str  # Given, When, Then
    pattern: str
    example: str
    topic: str
    names: str = ""  # what the event it adds is called
    notes: str = ""  # the other wordings it accepts


#: Every phrase, in the order defined, for docs/features.md and the phrase tests.
PHRASES: list[Phrase] = []
_DECORATORS = {"Given": given, "When": when, "Then": then}


def phrase(keyword: str, pattern: str, example: str, topic: str, *, names: str = "", notes: str = ""):
    """Register a step definition (``keyword`` Given/When/Then, a regular expression matched
    against the whole step text) with a worked example, for the phrase list."""
    def register(function):
        # stacklevel=2: pytest-bdd puts the step fixture in this module, not in register()
        _DECORATORS[keyword](parsers.re(pattern), stacklevel=2)(function)
        PHRASES.append(Phrase(keyword, pattern, example, topic, names, notes))
        return function
    return register


def phrase_list_markdown() -> str:
    """The phrase list of docs/features.md and features/README.md, generated from ``PHRASES``."""
    lines: list[str] = []
    topic = None
    for item in PHRASES:
        if item.topic != topic:
            topic = item.topic
            lines += ["", f"**{topic}**", ""]
        text = f"* `{item.keyword} {item.example}`"
        details = [part for part in (f"adds {item.names}" if item.names else "", item.notes) if part]
        if details:
            text += " — " + "; ".join(details)
        lines.append(text)
    return "\n".join(lines[1:]) + "\n"


# --- the child, the school calendar ----------------------------------------------------------


@phrase("Given", rf"a (?:child|young person) born on (?P<born>{DATE})(?: in local authority"
        rf" (?P<la>E\d{{8}}|\d{{3}}))?",
        "a child born on 14 March 2015", "The child and the school calendar",
        notes=('also "a young person born on …"; add "in local authority E09000033" (an ONS code or '
               '3-digit number) to record the local authority'))
def _child(journey, born, la=None):
    journey.child = {"id": "child-1", "date_of_birth": parse_date(born).isoformat()}
    if la:
        journey.child["local_authority"] = la


@phrase("Given", rf"(?:the )?school (?:is )?closed from (?P<start>{DATE}) to (?P<end>{DATE})",
        "school closed from 7 April 2025 to 22 April 2025", "The child and the school calendar",
        notes='inclusive; school days inside it are not counted (working days are)')
def _closure(journey, start, end):
    journey.closures.append({"from": parse_date(start).isoformat(), "to": parse_date(end).isoformat()})


@phrase("Given", rf"(?:the )?school (?:is )?closed on (?P<day>{DATE})",
        "school closed on 20 May 2025", "The child and the school calendar",
        notes='one day, e.g. an INSET day')
def _closure_day(journey, day):
    iso = parse_date(day).isoformat()
    journey.closures.append({"from": iso, "to": iso})


# --- EHC needs assessments and plans ---------------------------------------------------------

ASSESSMENT = "EHC needs assessments and plans"
REQUESTERS = {"the parent": "parent", "the young person": "young_person", "the school": "school",
              "someone else": "other"}


@phrase("Given", rf"a request for an EHC needs assessment(?: from (?P<by>{'|'.join(REQUESTERS)}))? received on"
        rf" (?P<day>{DATE})",
        "a request for an EHC needs assessment received on 6 January 2025", ASSESSMENT,
        names='"the request"',
        notes=('add who asked: "… assessment from the parent / from the young person / from the school'
               ' / from someone else received on …"'))
def _assessment_requested(journey, day, by=None):
    journey.add("assessment_requested", parse_date(day), requested_by=REQUESTERS.get(by) if by else None)


@phrase("Given", rf"the local authority decided on (?P<day>{DATE}) (?P<no>not )?to carry out the assessment",
        "the local authority decided on 14 February 2025 to carry out the assessment", ASSESSMENT,
        names='"the assessment decision"',
        notes='"… decided on … not to carry out the assessment"')
def _assessment_decision(journey, day, no=None):
    journey.add("assessment_decision", parse_date(day), outcome="not_assess" if no else "assess")


@phrase("Given", rf"(?P<kind>{'|'.join(ADVICE_KINDS)}) advice requested on (?P<day>{DATE})",
        "educational advice requested on 17 February 2025", ASSESSMENT,
        names=('"the educational advice request" (or medical, psychological, social care, other); any '
               'kind is also "the advice request"'),
        notes='educational, medical, psychological, social care or other advice')
def _advice_requested(journey, kind, day):
    journey.add("advice_requested", parse_date(day), advice=ADVICE_KINDS[kind])


@phrase("Given", rf"the (?P<kind>{'|'.join(ADVICE_KINDS)}) advice received on (?P<day>{DATE})(?: in response to"
        rf" (?P<link>{EVENT}))?",
        "the educational advice received on 21 March 2025", ASSESSMENT,
        names='"the educational advice" (and so on)',
        notes=('answers the latest request for that kind of advice; or say which: "… received on … in '
               'response to the second educational advice request"'))
def _advice_received(journey, kind, day, link=None):
    advice = ADVICE_KINDS[kind]
    request = journey.linked(link, "advice_requested", f"{kind} advice request",
                             lambda record: record.get("advice") == advice)
    journey.add("advice_received", parse_date(day), advice=advice, in_response_to=request)


@phrase("Given", rf"the local authority decided on (?P<day>{DATE}) (?P<no>not )?to issue an EHC plan",
        "the local authority decided on 11 April 2025 to issue an EHC plan", ASSESSMENT,
        names='"the plan decision"',
        notes='"… decided on … not to issue an EHC plan"')
def _plan_decision(journey, day, no=None):
    journey.add("plan_decision", parse_date(day), outcome="not_issue" if no else "issue")


@phrase("Given", rf"(?:the|a) draft EHC plan (?:issued|sent) on (?P<day>{DATE})",
        "the draft EHC plan issued on 14 April 2025", ASSESSMENT,
        names='"the draft plan"',
        notes='"a draft EHC plan sent on …" also')
def _draft_plan(journey, day):
    journey.add("draft_plan_issued", parse_date(day))


@phrase("Given", rf"(?:the|a) final EHC plan issued on (?P<day>{DATE})",
        "the final EHC plan issued on 23 May 2025", ASSESSMENT,
        names='"the final plan"')
def _final_plan(journey, day):
    journey.add("final_plan_issued", parse_date(day))


EXCEPTION_REASONS = {"an institution closure": "institution_closure",
                     "an early years closure": "early_years_closure",
                     "exceptional personal circumstances": "exceptional_personal_circumstances",
                     "absence from the area": "absence_from_area"}


@phrase("Given", rf"an exception to the time limit applied on (?P<day>{DATE}) because of"
        rf" (?P<reason>{'|'.join(EXCEPTION_REASONS)})",
        "an exception to the time limit applied on 10 February 2025 because of exceptional personal circumstances",
        ASSESSMENT,
        names='"the exception" (or "the time limit exception")',
        notes=('because of an institution closure / an early years closure / exceptional personal '
               'circumstances / absence from the area'))
def _time_limit_exception(journey, day, reason):
    journey.add("time_limit_exception", parse_date(day), reason=EXCEPTION_REASONS[reason])


# --- reviews, amendments and ceasing a plan --------------------------------------------------

REVIEWS = "Reviews, amendments, transfers and ceasing a plan"


@phrase("Given", rf"a review meeting held on (?P<day>{DATE})(?:, which (?P<pfa>considered|did not consider)"
        rf" preparing for adulthood)?",
        "a review meeting held on 12 May 2026", REVIEWS,
        names='"the review meeting"',
        notes=('add ", which considered preparing for adulthood" or ", which did not consider '
               'preparing for adulthood" (from version 1.1.0)'))
def _review_meeting(journey, day, pfa=None):
    considered = None if pfa is None else pfa == "considered"
    journey.add("review_meeting", parse_date(day), preparing_for_adulthood=considered)


@phrase("Given", rf"the review report sent on (?P<day>{DATE})(?: in response to (?P<link>{EVENT}))?",
        "the review report sent on 20 May 2026", REVIEWS,
        names='"the review report"',
        notes='for the latest review meeting, or add "in response to the first review meeting"')
def _review_report(journey, day, link=None):
    meeting = journey.linked(link, "review_meeting", "review meeting")
    journey.add("review_report_sent", parse_date(day), in_response_to=meeting)


@phrase("Given", rf"the local authority decided on (?P<day>{DATE}) to (?P<outcome>maintain|amend|cease) the"
        rf" plan(?: in response to (?P<link>{EVENT}))?",
        "the local authority decided on 2 June 2026 to maintain the plan", REVIEWS,
        names='"the review decision"',
        notes='to maintain / amend / cease the plan; for the latest review meeting, or add "in response to …"')
def _review_decision(journey, day, outcome, link=None):
    meeting = journey.linked(link, "review_meeting", "review meeting")
    journey.add("review_decision", parse_date(day), outcome=outcome, in_response_to=meeting)


@phrase("Given", rf"(?:the|an) amended EHC plan issued on (?P<day>{DATE})",
        "the amended EHC plan issued on 10 February 2026", REVIEWS,
        names='"the amended plan"')
def _amended_plan(journey, day):
    journey.add("amended_plan_issued", parse_date(day))


TRANSFER_KINDS = {"school phase transfer": "school",
                  "transfer from secondary school to post-16": "secondary_to_post16",
                  "transfer between post-16 institutions": "post16_to_post16"}


@phrase("Given", rf"a (?P<kind>{'|'.join(TRANSFER_KINDS)}) on (?P<transfer>{DATE}), scheduled on (?P<day>{DATE})",
        "a school phase transfer on 1 September 2026, scheduled on 1 September 2025", REVIEWS,
        names='"the transfer" (or "the phase transfer")',
        notes=('a school phase transfer / a transfer from secondary school to post-16 / a transfer '
               'between post-16 institutions; the first date is the transfer, the second the day it '
               'was scheduled'))
def _phase_transfer(journey, kind, transfer, day):
    journey.add("phase_transfer_scheduled", parse_date(day), kind=TRANSFER_KINDS[kind],
                transfer_date=parse_date(transfer).isoformat())


@phrase("Given", rf"the (?:EHC )?plan ceased on (?P<day>{DATE})(?: for SEN2 reason (?P<reason>\d))?",
        "the plan ceased on 3 March 2026", REVIEWS,
        names='"the plan ceasing"',
        notes='add "for SEN2 reason 3" to record the reason')
def _plan_ceased(journey, day, reason=None):
    journey.add("plan_ceased", parse_date(day), reason=reason)


@phrase("Given", rf"amendments to the plan proposed on (?P<day>{DATE})",
        "amendments to the plan proposed on 2 June 2025", REVIEWS,
        names='"the proposed amendments"',
        notes='from version 1.1.0')
def _amendment_proposed(journey, day):
    journey.add("amendment_proposed", parse_date(day))


@phrase("Given", rf"the local authority decided on (?P<day>{DATE}) (?P<no>not )?to re-assess the child's needs",
        "the local authority decided on 3 March 2025 to re-assess the child's needs", REVIEWS,
        names='"the re-assessment decision"',
        notes='"… not to re-assess …"; from version 1.1.0')
def _reassessment_decision(journey, day, no=None):
    journey.add("reassessment_decision", parse_date(day), outcome="not_reassess" if no else "reassess")


@phrase("Given", rf"the local authority learned on (?P<day>{DATE}) that the child is moving to (?:another local"
        rf" authority|local authority (?P<la>\S+)) on (?P<move>{DATE})",
        "the local authority learned on 3 March 2025 that the child is moving to another local authority "
        "on 1 April 2025",
        REVIEWS,
        names='"the move"',
        notes='"… moving to local authority E09000001 on …" names the new authority; from version 1.1.0')
def _move(journey, day, move, la=None):
    journey.add("la_move_notified", parse_date(day), move_date=parse_date(move).isoformat(), new_local_authority=la)


@phrase("Given", rf"the plan transferred to the new local authority on (?P<day>{DATE})",
        "the plan transferred to the new local authority on 1 April 2025", REVIEWS,
        names='"the plan transfer"',
        notes='from version 1.1.0')
def _plan_transferred(journey, day):
    journey.add("plan_transferred", parse_date(day))


@phrase("Given", rf"the new local authority's notice to the family sent on (?P<day>{DATE})",
        "the new local authority's notice to the family sent on 6 May 2025", REVIEWS,
        names='"the transfer notice"',
        notes='from version 1.1.0')
def _transfer_notice(journey, day):
    journey.add("transfer_notice_sent", parse_date(day))


@phrase("Given", rf"the family and the school consulted about ceasing the plan on (?P<day>{DATE})",
        "the family and the school consulted about ceasing the plan on 3 February 2025", REVIEWS,
        names='"the consultation"',
        notes='from version 1.1.0')
def _cease_consultation(journey, day):
    journey.add("cease_consultation", parse_date(day))


@phrase("Given", rf"the decision to cease the plan notified on (?P<day>{DATE}), (?P<rights>with|without) the"
        rf" appeal rights",
        "the decision to cease the plan notified on 3 March 2025, with the appeal rights", REVIEWS,
        names='"the cease notice" (or "the decision to cease")',
        notes='"with" or "without the appeal rights"; from version 1.1.0')
def _cease_notice(journey, day, rights):
    journey.add("cease_decision_notified", parse_date(day), appeal_rights_given=rights == "with")


# --- exclusions ------------------------------------------------------------------------------

EXCLUSIONS = "Exclusions"
BOARD_REASONS = {"it is permanent": "permanent",
                 "it is more than 15 school days in a term": "more_than_15_days_in_term",
                 "the pupil would miss a public examination": "misses_public_examination",
                 "the parent made representations": "representations"}


@phrase("Given", rf"a suspension of (?P<days>\d+) school days? starting on (?P<day>{DATE})",
        "a suspension of 8 school days starting on 19 May 2025", EXCLUSIONS,
        names='"the suspension" (also "the exclusion")')
def _suspension(journey, days, day):
    journey.add("exclusion", parse_date(day), category="suspension", school_days=int(days))


@phrase("Given", rf"a permanent exclusion starting on (?P<day>{DATE})",
        "a permanent exclusion starting on 19 May 2025", EXCLUSIONS,
        names='"the permanent exclusion" (also "the exclusion")')
def _permanent_exclusion(journey, day):
    journey.add("exclusion", parse_date(day), category="permanent")


@phrase("Given", rf"full-time education started on (?P<day>{DATE})(?: arranged by the (?P<by>school|local"
        rf" authority))?",
        "full-time education started on 27 May 2025", EXCLUSIONS,
        names='"the full-time education"',
        notes='add "arranged by the school" or "arranged by the local authority"')
def _full_time_provision(journey, day, by=None):
    journey.add("full_time_provision_started", parse_date(day),
                arranged_by={"school": "school", "local authority": "local_authority"}.get(by))


@phrase("Given", rf"(?P<link>{EVENT}) reported to the governing board on (?P<day>{DATE}), to review because"
        rf" (?P<why>{'|'.join(BOARD_REASONS)})",
        "the permanent exclusion reported to the governing board on 20 May 2025, to review because it is permanent",
        EXCLUSIONS,
        names='"the notice to the board" (or "the board notice")',
        notes=('name the exclusion first ("the suspension", "the second exclusion"); because it is '
               'permanent / it is more than 15 school days in a term / the pupil would miss a public '
               'examination / the parent made representations; from version 1.1.0'))
def _board_notice(journey, link, day, why):
    exclusion = journey.linked(link, "exclusion", "exclusion")
    journey.add("exclusion_reported_to_board", parse_date(day), exclusion=exclusion,
                review_required_because=BOARD_REASONS[why])


@phrase("Given", rf"the governing board met on (?P<day>{DATE}) to consider reinstatement(?: and"
        rf" (?P<outcome>reinstated the pupil|upheld the exclusion))?(?: in response to (?P<link>{EVENT}))?",
        "the governing board met on 6 June 2025 to consider reinstatement and upheld the exclusion", EXCLUSIONS,
        names='"the reinstatement meeting"',
        notes=('optionally "and reinstated the pupil" or "and upheld the exclusion"; for the latest '
               'notice to the board, or add "in response to …"; from version 1.1.0'))
def _reinstatement_meeting(journey, day, outcome=None, link=None):
    notice = journey.linked(link, "exclusion_reported_to_board", "notice to the board")
    journey.add("reinstatement_meeting", parse_date(day), in_response_to=notice,
                outcome={"reinstated the pupil": "reinstate", "upheld the exclusion": "uphold"}.get(outcome))


# --- alternative provision and part-time timetables ------------------------------------------

AP = "Alternative provision and part-time timetables"
DESTINATIONS = {"their home school": "home_school", "a new school": "new_school",
                "a special school": "special_school", "further education": "further_education",
                "employment or training": "employment_or_training",
                "other alternative provision": "other_alternative_provision",
                "no education": "not_in_education"}


@phrase("Given", rf"a tier (?P<tier>[1-3]) placement in (?P<kind>registered|non-school) alternative provision"
        rf" arranged by the (?P<by>school|local authority) started on (?P<day>{DATE})"
        rf" (?P<objectives>with|without) clear objectives",
        "a tier 2 placement in registered alternative provision arranged by the school started on 6 January 2025 "
        "with clear objectives", AP,
        names='"the placement"',
        notes=('tier 1, 2 or 3; registered or non-school; arranged by the school or the local '
               'authority; with or without clear objectives; from version 1.1.0'))
def _placement_started(journey, tier, kind, by, day, objectives):
    journey.add("ap_placement_started", parse_date(day), tier=int(tier), registered=kind == "registered",
                arranged_by={"school": "school", "local authority": "local_authority"}[by],
                objectives_set=objectives == "with")


@phrase("Given", rf"(?P<link>the (?:\S+ )?placement) is planned to end on (?P<end>{DATE})",
        "the placement is planned to end on 4 April 2025", AP,
        notes='sets the planned end of the placement named ("the second placement is planned to end on …")')
def _placement_planned_end(journey, link, end):
    record = journey.find(link)
    if record["type"] != "ap_placement_started":
        raise ScenarioFailure(f'"{link}" is not an alternative provision placement')
    record["planned_end"] = parse_date(end).isoformat()


@phrase("Given", rf"(?P<link>the (?:\S+ )?placement) reviewed on (?P<day>{DATE})",
        "the placement reviewed on 14 February 2025", AP,
        names='"the placement review"',
        notes='name the placement: "the second placement reviewed on …"')
def _placement_reviewed(journey, link, day):
    placement = journey.linked(link, "ap_placement_started", "placement")
    journey.add("ap_placement_reviewed", parse_date(day), in_response_to=placement)


@phrase("Given", rf"(?P<link>the (?:\S+ )?placement) ended on (?P<day>{DATE}) and (?:the pupil went to"
        rf" (?P<where>{'|'.join(DESTINATIONS)})|(?P<unknown>the pupil's destination is unknown))",
        "the placement ended on 4 April 2025 and the pupil went to their home school", AP,
        names='"the placement ending" (or "the end of the placement")',
        notes=('went to their home school / a new school / a special school / further education / '
               'employment or training / other alternative provision / no education, or "and the '
               'pupil\'s destination is unknown"'))
def _placement_ended(journey, link, day, where=None, unknown=None):
    placement = journey.linked(link, "ap_placement_started", "placement")
    journey.add("ap_placement_ended", parse_date(day), in_response_to=placement,
                destination=DESTINATIONS[where] if where else "unknown")


TIMETABLE_REASONS = {"medical reasons": "medical", "reintegration": "reintegration", "another reason": "other"}


@phrase("Given", rf"a part-time timetable for (?P<reason>{'|'.join(TIMETABLE_REASONS)}) started on"
        rf" (?P<day>{DATE}), (?P<agreed>agreed|not agreed) with the parent(?:, ending on (?P<end>{DATE}))?",
        "a part-time timetable for reintegration started on 6 January 2025, agreed with the parent, "
        "ending on 14 February 2025", AP,
        names='"the timetable" (or "the part-time timetable")',
        notes=('for medical reasons / reintegration / another reason; agreed or not agreed with the '
               'parent; ", ending on …" is optional; from version 1.1.0'))
def _timetable_started(journey, reason, day, agreed, end=None):
    journey.add("part_time_timetable_started", parse_date(day), reason=TIMETABLE_REASONS[reason],
                parent_agreed=agreed == "agreed", end_date=parse_date(end).isoformat() if end else None)


@phrase("Given", rf"(?P<link>the (?:\S+ )?timetable) reviewed with the pupil and parents on (?P<day>{DATE})",
        "the timetable reviewed with the pupil and parents on 14 February 2025", AP,
        names='"the timetable review"')
def _timetable_reviewed(journey, link, day):
    timetable = journey.linked(link, "part_time_timetable_started", "part-time timetable")
    journey.add("part_time_timetable_reviewed", parse_date(day), in_response_to=timetable)


# --- SEN support, needs and banding ----------------------------------------------------------

SUPPORT = "SEN support, needs and individual support plans"
SETTINGS = {"mainstream": "mainstream", "resourced provision": "resourced_provision",
            "a special school": "special_school", "alternative provision": "alternative_provision",
            "post-16": "post16"}


@phrase("Given", rf"SEN support started on (?P<day>{DATE})", "SEN support started on 2 September 2024", SUPPORT,
        names='"the start of SEN support"', notes='from version 1.1.0')
def _sen_support_started(journey, day):
    journey.add("sen_support_started", parse_date(day))


@phrase("Given", rf"SEN support reviewed with the parents on (?P<day>{DATE})",
        "SEN support reviewed with the parents on 2 January 2025", SUPPORT,
        names='"the SEN support review"')
def _sen_support_reviewed(journey, day):
    journey.add("sen_support_reviewed", parse_date(day))


@phrase("Given", rf"SEN support ended on (?P<day>{DATE})", "SEN support ended on 14 March 2025", SUPPORT,
        names='"the end of SEN support"')
def _sen_support_ended(journey, day):
    journey.add("sen_support_ended", parse_date(day))


@phrase("Given", rf"the child's needs identified on (?P<day>{DATE}) as (?P<need>[A-Z]+) at level"
        rf" (?P<level>\d+)(?: in (?P<setting>{'|'.join(SETTINGS)}))?",
        "the child's needs identified on 1 March 2025 as ASD at level 3 in mainstream", SUPPORT,
        names='"the identification of needs" (or "the needs")',
        notes=('a DfE SEN type code (ASD, SEMH, SLCN …) and a level 1 to 4; "in mainstream / resourced'
               ' provision / a special school / alternative provision / post-16" (from version 1.1.0) '
               'is optional'))
def _needs_identified(journey, day, need, level, setting=None):
    journey.add("needs_identified", parse_date(day), primary_need=need, level=int(level),
                setting=SETTINGS[setting] if setting else None)


@phrase("Given", rf"the school wrote an individual support plan with the parents on (?P<day>{DATE})",
        "the school wrote an individual support plan with the parents on 3 September 2029", SUPPORT,
        names='"the individual support plan" (or "the ISP")',
        notes='2.0.0 draft only')
def _isp_written(journey, day):
    journey.add("isp_written", parse_date(day))


@phrase("Given", rf"the individual support plan reviewed with the parents on (?P<day>{DATE})",
        "the individual support plan reviewed with the parents on 2 September 2030", SUPPORT,
        names='"the individual support plan review" (or "the ISP review")',
        notes='2.0.0 draft only')
def _isp_reviewed(journey, day):
    journey.add("isp_reviewed", parse_date(day))


# --- any event -------------------------------------------------------------------------------

GENERIC = "Any event"


@phrase("Given", rf'an event "(?P<event_type>[a-z][a-z0-9_]*)" on (?P<day>{DATE})',
        'an event "final_plan_issued" on 23 May 2025', GENERIC,
        names='the "final_plan_issued" event (and the name its event type has above)',
        notes=("any event of the version's vocabulary (events.yaml); give its fields in a table of "
               '"field | value" rows under the step (dates as "6 January 2025", yes/no, an event\'s '
               'name for a link)'))
def _any_event(journey, event_type, day, datatable=None):
    """Any event of the vocabulary, with its fields in a table of field and value rows
    (dates as "6 January 2025", yes/no for true/false, an event's name for a link)."""
    when_ = parse_date(day)
    standard = journey.standard(when_)
    known = standard.event_type(event_type)
    if known is None:
        raise ScenarioFailure(f'the standards {standard.reference} have no event type "{event_type}"')
    fields = {}
    rows = [list(row) for row in (datatable or [])]
    if rows and [cell.strip().lower() for cell in rows[0]] == ["field", "value"]:
        rows = rows[1:]
    for row in rows:
        if len(row) != 2:
            raise ScenarioFailure('each row of the table under "an event …" has two cells, field and value; '
                                  f"got {row}")
        name, text = row[0].strip(), row[1].strip()
        spec = known.field(name)
        if spec is None:
            fields_known = ", ".join(field_name for field_name, _ in known.fields) or "none"
            raise ScenarioFailure(f'"{event_type}" has no field "{name}" (its fields: {fields_known})')
        fields[name] = _field_value(journey, spec, text)
    journey.add(event_type, when_, **fields)


def _field_value(journey: ScenarioJourney, spec, text: str) -> Any:
    if spec.type == "date":
        return _iso_or_date(text).isoformat()
    if spec.type == "integer":
        try:
            return int(text)
        except ValueError:
            raise ScenarioFailure(f'"{text}" is not a whole number') from None
    if spec.type == "boolean":
        value = text.lower()
        if value not in ("yes", "no", "true", "false"):
            raise ScenarioFailure(f'"{text}" is not yes or no')
        return value in ("yes", "true")
    if spec.type == "event_ref" and text.startswith("the "):
        return journey.find(text)["id"]
    return text


# --- deciding --------------------------------------------------------------------------------


@phrase("When", rf"the duties are decided on (?P<day>{DATE})", "the duties are decided on 1 June 2025", "Deciding",
        notes="decides as of that day, seeing only the events dated on or before it; a scenario may decide "
              "more than once")
def _decide(journey, day):
    journey.decide(parse_date(day))


# --- checking duties -------------------------------------------------------------------------

CHECKS = "Checking duties"


@phrase("Then", rf'the duty "(?P<rule>[^"]+)" for (?P<event>{EVENT}) is (?P<status>{STATUS}), due on'
        rf' (?P<due>{DATE})',
        'the duty "ehc.final_plan" for the request is met, due on 26 May 2025', CHECKS,
        notes=('met, late, pending, overdue or exempt, and the due date; every duty check must give '
               'the due date, or say it has none'))
def _duty_due(journey, rule, event, status, due):
    journey.check_duty(rule, event, status, parse_date(due))


@phrase("Then", rf'the duty "(?P<rule>[^"]+)" for (?P<event>{EVENT}) is (?P<status>{STATUS})(?:, with no due'
        rf' date)?',
        'the duty "ehc.draft_comment_period" for the draft plan is breached', CHECKS,
        notes=('for duties with no due date (waiting periods and conditions): met, pending or '
               'breached; ", with no due date" may be added'))
def _duty_no_due(journey, rule, event, status):
    journey.check_duty(rule, event, status, None)


@phrase("Then", r'no duty "(?P<rule>[^"]+)" applies',
        'no duty "ehc.final_plan" applies', CHECKS,
        notes='no finding of that rule at all')
def _no_duty(journey, rule):
    journey.check_no_duty(rule, None)


@phrase("Then", rf'no duty "(?P<rule>[^"]+)" applies for (?P<event>{EVENT})',
        'no duty "ehc.annual_review" applies for the second review meeting', CHECKS,
        notes='no finding of that rule for that event')
def _no_duty_for(journey, rule, event):
    journey.check_no_duty(rule, event)


@phrase("Then", rf"the duty was satisfied by (?P<event>{EVENT})",
        "the duty was satisfied by the final plan", CHECKS,
        notes='the event that answered the duty last checked (for met and late duties)')
def _satisfied_by(journey, event):
    finding = journey.last_finding()
    expected = journey.find(event)["id"]
    if finding.satisfied_by != expected:
        found = journey.name_of(finding.satisfied_by) if finding.satisfied_by else "nothing"
        raise ScenarioFailure(f"expected the duty to be satisfied by {journey.name_of(expected)}, but it was "
                              f"satisfied by {found}")


@phrase("Then", r"nothing (?:has )?satisfied the duty(?: yet)?", "nothing has satisfied the duty yet", CHECKS,
        notes='"nothing satisfied the duty" also')
def _not_satisfied(journey):
    finding = journey.last_finding()
    if finding.satisfied_by is not None:
        raise ScenarioFailure("expected nothing to satisfy the duty, but "
                              f"{journey.name_of(finding.satisfied_by)} did")


@phrase("Then", rf"the duty was excused by (?P<event>{EVENT})", "the duty was excused by the exception", CHECKS,
        notes='the exception that made the duty last checked exempt')
def _excused_by(journey, event):
    finding = journey.last_finding()
    expected = journey.find(event)["id"]
    if finding.exception != expected:
        found = journey.name_of(finding.exception) if finding.exception else "no exception"
        raise ScenarioFailure(f"expected {journey.name_of(expected)} to excuse the duty; the engine found {found}")


@phrase("Then", r"no exception applies", "no exception applies", CHECKS)
def _no_exception(journey):
    finding = journey.last_finding()
    if finding.exception is not None:
        raise ScenarioFailure(f"expected no exception, but {journey.name_of(finding.exception)} applies")


@phrase("Then", rf"the (?P<holder>{'|'.join(HOLDERS)}) holds the duty", "the local authority holds the duty", CHECKS,
        notes='the local authority / the school / the integrated care board (or ICB) holds the duty')
def _holder(journey, holder):
    _check_holder(journey, HOLDERS[holder])


@phrase("Then", r'the duty holder is "(?P<holder>[a-z_]+)"', 'the duty holder is "icb"', CHECKS,
        notes='the holder by its id in manifest.yaml')
def _holder_named(journey, holder):
    _check_holder(journey, holder)


def _check_holder(journey, holder):
    finding = journey.last_finding()
    if finding.duty_holder != holder:
        raise ScenarioFailure(f'expected the duty holder to be "{holder}", but it is "{finding.duty_holder}"')


@phrase("Then", r'the duty is a "(?P<modality>must|should)"', 'the duty is a "should"', CHECKS,
        notes='"must" (statutory) or "should" (guidance)')
def _modality(journey, modality):
    finding = journey.last_finding()
    if finding.modality != modality:
        raise ScenarioFailure(f'expected a "{modality}" duty, but it is a "{finding.modality}"')


@phrase("Then", r'the duty cites "(?P<clause>[^"]+)"', 'the duty cites "SEND Regulations 2014 reg 13(2)"', CHECKS,
        notes='one of the clauses the rule cites')
def _cites(journey, clause):
    finding = journey.last_finding()
    if clause not in finding.citations:
        raise ScenarioFailure(f'expected the duty to cite "{clause}"; it cites ' + "; ".join(finding.citations))


@phrase("Then", r'the explanation says "(?P<text>[^"]+)"', 'the explanation says "came 7 days after the due date"', CHECKS,
        notes="part of the engine's explanation of the duty last checked")
def _explanation(journey, text):
    finding = journey.last_finding()
    if text not in finding.message:
        raise ScenarioFailure(f'expected the explanation to say "{text}"; it says:\n'
                              + journey.legend(finding.message))


@phrase("Then", r"(?:exactly (?P<count>\d+) (?:duty applies|duties apply)|(?P<none>no duties apply))",
        "exactly 3 duties apply", CHECKS,
        notes='counts every finding; "exactly 1 duty applies", "no duties apply"')
def _count(journey, count=None, none=None):
    decision = journey.require_decision()
    wanted = 0 if none else int(count)
    if len(decision.findings) != wanted:
        raise ScenarioFailure(f"expected {wanted} dut{'y' if wanted == 1 else 'ies'}; the engine found "
                              f"{len(decision.findings)}:\n" + "\n".join(
                                  f'  "{f.rule}" for {journey.name_of(f.trigger)}: {journey.describe_finding(f)}'
                                  for f in decision.findings))


@phrase("Then", r'the decision is refused with "(?P<code>[a-z_]+)"',
        'the decision is refused with "parameter_not_in_force"', CHECKS,
        notes=('the decision could not be made, with that error code (e.g. a clock that starts before '
               'the standard defines its time limit)'))
def _refused(journey, code):
    if journey.error is None:
        journey.require_decision()
        raise ScenarioFailure(f'expected the decision to be refused with "{code}", but the duties were decided')
    if journey.error.code != code:
        raise ScenarioFailure(f'expected the decision to be refused with "{code}"; it was refused with '
                              f'"{journey.error.code}":\n' + journey.legend(journey.error.describe()))


# --- checking expected provision -------------------------------------------------------------

PROVISION = "Checking expected provision"


def _amount(text: str) -> int:
    return int(text.replace(",", "").lstrip("£"))


@phrase("Then", r'the expected provision from "(?P<table>[^"]+)" is row (?P<row>\d+): band "(?P<band>[^"]+)", '
                r"top-up (?P<top_up>£?[\d,]+)"
                r"(?:, (?P<notional>the notional 6,000 applies|the notional 6,000 does not apply))?",
        'the expected provision from "provision.band" is row 3: band "Band 2", top-up 3,100, the notional 6,000 applies',
        PROVISION,
        notes=('the band and top-up (in pounds; "3,100" or "3100"); ", the notional 6,000 applies" or '
               '"does not apply" is optional'))
def _band(journey, table, row, band, top_up, notional=None):
    outputs: dict[str, Any] = {"band": band, "top_up": _amount(top_up)}
    if notional:
        outputs["notional_6000_applies"] = notional == "the notional 6,000 applies"
    journey.check_row(table, int(row), outputs)


@phrase("Then", r'the expected provision from "(?P<table>[^"]+)" is row (?P<row>\d+)',
        'the expected provision from "provision.band" is row 3', PROVISION,
        notes='optionally followed by a table of "output | value" rows')
def _row(journey, table, row, datatable=None):
    """Optionally followed by a table of output and value rows (numbers as numbers, yes/no)."""
    outputs = {}
    for cells in datatable or []:
        if [cell.strip().lower() for cell in cells] == ["output", "value"]:
            continue
        name, text = cells[0].strip(), cells[1].strip()
        outputs[name] = _output_value(text)
    journey.check_row(table, int(row), outputs)


def _output_value(text: str) -> Any:
    if text.lower() in ("yes", "true"):
        return True
    if text.lower() in ("no", "false"):
        return False
    if re.fullmatch(r"£?[\d,]+", text):
        return _amount(text)
    return text.strip('"')


@phrase("Then", r'the expected provision from "(?P<table>[^"]+)" is not worked out because'
        r' (?P<fields>"[^"]+"(?:(?:, | and )"[^"]+")*) (?:is|are) not recorded',
        'the expected provision from "provision.band" is not worked out because "needs.setting" is not recorded',
        PROVISION,
        notes='the table was not applied because the event lacks those inputs')
def _not_worked_out(journey, table, fields):
    entry = journey.provision_entry(table, ("missing", table, None))
    wanted = re.findall(r'"([^"]+)"', fields)
    if entry is None:
        raise ScenarioFailure(f'there is no expected provision from "{table}" at all '
                              "(the scenario has no event it reads)")
    journey.provision = entry
    if entry.row is not None:
        raise ScenarioFailure(f'expected "{table}" not to be worked out, but row {entry.row} applies: '
                              + journey.legend(entry.message))
    if sorted(entry.missing) != sorted(wanted):
        raise ScenarioFailure(f"expected missing {', '.join(wanted)}; "
                              f"the engine found missing {', '.join(entry.missing)}")


@phrase("Then", r'there is no expected provision from "(?P<table>[^"]+)"',
        'there is no expected provision from "provision.band"', PROVISION,
        notes='no event the table reads (no identification of needs)')
def _no_provision(journey, table):
    entry = journey.provision_entry(table, ("no_provision", table, None))
    if entry is not None:
        raise ScenarioFailure(f'expected no expected provision from "{table}", but the engine found: '
                              + journey.legend(entry.message))


@phrase("Then", rf"the expected provision is based on (?P<event>{EVENT})",
        "the expected provision is based on the second identification of needs", PROVISION,
        notes='the event the provision last checked was read from')
def _based_on(journey, event):
    if journey.provision is None:
        raise ScenarioFailure('check the expected provision first, e.g. "Then the expected provision from '
                              '"provision.band" is row 3"')
    expected = journey.find(event)["id"]
    if journey.provision.based_on != expected:
        raise ScenarioFailure(f"expected the provision to be based on {journey.name_of(expected)}; it is based on "
                              f"{journey.name_of(journey.provision.based_on)}")
