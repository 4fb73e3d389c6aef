"""The steps of policy officers' scenarios: the generic phrases, and how any phrase changes a journey.

Two kinds of phrase make up the steps a scenario may use:

* the pack's phrases for its events (``<standards>/<pack id>/phrases.yaml``, read by
  ``phrasebook.py``): ``Given`` steps that add an event (or set fields on one given earlier).
  ``apply_pack_phrase`` turns a matched phrase into the event it describes; no Python knows
  any event type;
* the generic phrases below, written in Python because they are about the journey, the request
  and the decision rather than the vocabulary: the child and school closures, any event by its
  type (``Given an event "…" on …`` with a table of fields), deciding (``When the duties are
  decided on …``), and every ``Then`` check.

Steps are thin. ``Given`` steps add dated events to a journey (ids ``e1``, ``e2``, ... in the
order the scenario gives them); ``When the duties are decided on …`` sends that journey to
``DecisionService.decide`` through ``parse_request``, exactly as the CLI and the HTTP API do,
naming the standards version under test; ``Then`` steps compare the decision's findings and
expected provision with what the scenario says. No step knows anything about a rule.

Events are named by what they are: "the request", "the second review meeting", "the last review
meeting"; the phrasebook says what each event type is called. docs/features.md lists every
phrase (``phrase_list_markdown``).
"""

from __future__ import annotations

import difflib
import inspect
import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Callable

from sendrules.engine.calendar import MONTH_NAMES
from sendrules.engine.errors import EngineError
from sendrules.engine.request import parse_request
from sendrules.engine.service import DecisionService
from sendrules.policy.describe import long_date, ordinal
from sendrules.scenarios.phrasebook import (
    DATE,
    DATE_SLOT,
    EVENT_SLOT,
    ORDINALS,
    WEEKDAYS,
    PackPhrase,
    Phrasebook,
)

_DATE_PARTS = re.compile(
    r"^(?:(?P<weekday>" + "|".join(WEEKDAYS) + r") )?(?P<day>\d{1,2}) "
    r"(?P<month>" + "|".join(MONTH_NAMES) + r") (?P<year>\d{4})$"
)
#: An event named by a scenario: "the request", "the second review meeting".
EVENT = r"the .+?"
STATUS = r"met|late|pending|overdue|exempt|breached"

ORDINAL_WORDS = {number: word for word, number in ORDINALS.items()}
_EVENT_NAME = re.compile(
    r"^the (?:(?P<ordinal>" + "|".join(ORDINALS) + r"|last|\d+(?:st|nd|rd|th)) )?(?P<noun>.+)$"
)

HOLDERS = {
    "local authority": "local_authority",
    "school": "school",
    "integrated care board": "icb",
    "ICB": "icb",
}
KEYWORDS = ("Given", "When", "Then")


class ScenarioFailure(AssertionError):
    """A scenario's expectation did not hold, or the scenario itself is wrong; the message
    says which, in plain words."""


class UndefinedStep(ScenarioFailure):
    """A step that matches no phrase (or more than one)."""


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
        raise ScenarioFailure(f"{say(day)} is a {WEEKDAYS[day.weekday()]}, not a {match['weekday']}")
    return day


def say(day: date) -> str:
    """A date as a policy officer writes it: "26 May 2025"."""
    return long_date(day)


def _iso_or_date(text: str) -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        return parse_date(text)


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

    def __init__(self, reference: str, service: DecisionService | None, phrasebook: Phrasebook) -> None:
        self.reference = reference
        self.service = service
        self.phrasebook = phrasebook
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
        self.events.append(RecordedEvent(record, self.phrasebook.names_for(event_type, record)))
        self.decision = None
        return record

    def change(self, record: dict, **fields: Any) -> None:
        """Set fields on an event already given (what it is called may change with them)."""
        record.update({name: value for name, value in fields.items() if value is not None})
        for event in self.events:
            if event.record is record:
                event.nouns = self.phrasebook.names_for(record["type"], record)
        self.decision = None

    def called(self, event_type: str, fields: dict | None = None) -> str:
        """What an event of ``event_type`` is called, for messages: "educational advice request"."""
        return self.phrasebook.names_for(event_type, fields or {})[0]

    def find(self, name: str) -> dict:
        """The event a scenario names: "the request", "the second review meeting"."""
        match = _EVENT_NAME.match(name.strip())
        if not match:
            raise ScenarioFailure(
                f'"{name}" does not name an event; write e.g. "the request" or "the second review meeting"'
            )
        noun = match["noun"].strip()
        candidates = [
            event for event in self.events if any(noun.lower() == known.lower() for known in event.nouns)
        ]
        if not candidates:
            known = sorted({event.nouns[0] for event in self.events})
            raise ScenarioFailure(
                f'no event in this scenario is "{name}" (events so far: '
                + (", ".join(f"the {noun}" for noun in known) or "none")
                + ")"
            )
        ordinal = match["ordinal"]
        if ordinal is None:
            if len(candidates) > 1:
                raise ScenarioFailure(
                    f'"{name}" is ambiguous: this scenario has {len(candidates)} events called '
                    f'"{noun}"; say "the first {noun}", "the second {noun}" ... or "the last {noun}"'
                )
            return candidates[0].record
        if ordinal == "last":
            return candidates[-1].record
        number = ORDINALS.get(ordinal) or int(re.match(r"\d+", ordinal).group())
        if number > len(candidates):
            raise ScenarioFailure(
                f'there is no "{name}": this scenario has {len(candidates)} '
                f'event{"s" if len(candidates) != 1 else ""} called "{noun}"'
            )
        return candidates[number - 1].record

    def latest(
        self, event_type: str, what: str, accept: Callable[[dict], bool] = lambda record: True
    ) -> dict:
        """The most recent event of a type given so far (what a linking phrase refers to)."""
        for event in reversed(self.events):
            if event.record["type"] == event_type and accept(event.record):
                return event.record
        raise ScenarioFailure(f"there is no {what} before this step for it to refer to")

    def linked(
        self,
        name: str | None,
        event_type: str,
        what: str,
        accept: Callable[[dict], bool] = lambda record: True,
    ) -> str:
        """The id of the event a linking phrase names, or of the latest one that fits."""
        if name is None:
            return self.latest(event_type, what, accept)["id"]
        record = self.find(name)
        if record["type"] != event_type:
            raise ScenarioFailure(f'"{name}" is not a {what} (it is {self.name_of(record["id"])})')
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
        if self.service is None:
            raise ScenarioFailure("no standards to decide with")
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
        if self.service is None:
            raise ScenarioFailure("no standards to decide with")
        try:
            self.decision = self.service.decide(parse_request(self.request_payload(as_of)))
        except EngineError as error:
            self.error = error

    def require_decision(self):
        if self.error is not None:
            raise ScenarioFailure("the decision was refused:\n" + self.legend(self.error.describe()))
        if self.decision is None:
            raise ScenarioFailure(
                'nothing has been decided yet: add "When the duties are decided on …" after the events'
            )
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
        found = [
            finding
            for finding in decision.findings
            if finding.rule == rule and finding.trigger == event["id"]
        ]
        wanted = _status_and_due(status, due)
        if not found:
            others = [finding for finding in decision.findings if finding.rule == rule]
            detail = (
                ("; it applies for " + ", ".join(self.name_of(f.trigger) for f in others)) if others else ""
            )
            raise ScenarioFailure(
                f'expected the duty "{rule}" for {self.name_of(event["id"])} to be {wanted}, '
                f"but no such duty applies{detail}"
            )
        finding = found[0]
        self.finding = finding
        if finding.status != status or finding.due != due:
            raise ScenarioFailure(
                f'the duty "{rule}" for {self.name_of(event["id"])}: expected {wanted}; '
                f"the engine found {self.describe_finding(finding)}.\n" + self.legend(finding.message)
            )

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
                f'expected no duty "{rule}"'
                + (f" for {event_name}" if event_name else "")
                + ", but the engine found:\n"
                + "\n".join(
                    f"  for {self.name_of(f.trigger)}: {self.describe_finding(f)}; {self.legend(f.message)}"
                    for f in found
                )
            )

    def last_finding(self):
        if self.finding is None:
            raise ScenarioFailure(
                'check a duty first, e.g. "Then the duty "ehc.final_plan" for the request is met, '
                'due on 26 May 2025"'
            )
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
            raise ScenarioFailure(
                f'there is no expected provision from "{table}": the scenario has no event it '
                "reads (e.g. the child's needs identified on …)"
            )
        self.provision = entry
        if entry.row is None:
            raise ScenarioFailure(
                f'expected row {row} of "{table}", but it is not worked out: {entry.message}'
            )
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
            raise ScenarioFailure(
                f'the expected provision from "{table}": the engine found '
                + "; ".join(problems)
                + ".\n"
                + self.legend(entry.message)
            )


# --- the generic phrases ---------------------------------------------------------------------


@dataclass(frozen=True)
class Phrase:
    """A generic phrase: ``keyword`` Given/When/Then, a regular expression matched against the
    whole step text, a worked example, and the function that carries it out."""

    keyword: str
    pattern: str
    example: str
    topic: str
    function: Callable[..., None] = field(compare=False, repr=False)
    names: str = ""  # what the event it adds is called
    notes: str = ""  # the other wordings it accepts
    takes_table: bool = False

    @property
    def regex(self) -> re.Pattern:
        return _compiled(self.pattern)


_REGEXES: dict[str, re.Pattern] = {}


def _compiled(pattern: str) -> re.Pattern:
    if pattern not in _REGEXES:
        _REGEXES[pattern] = re.compile(pattern)
    return _REGEXES[pattern]


#: Every generic phrase, in the order defined, for docs/features.md and the phrase tests.
PHRASES: list[Phrase] = []
#: The pack's phrases come after this topic in the phrase list.
FIRST_TOPIC = "The child and the school calendar"


def phrase(keyword: str, pattern: str, example: str, topic: str, *, names: str = "", notes: str = ""):
    """Register a generic phrase carried out by the decorated function, which takes the
    journey, the pattern's named groups and, if it has a ``datatable`` parameter, the table
    under the step (a list of rows of cells)."""

    def register(function):
        takes_table = "datatable" in inspect.signature(function).parameters
        PHRASES.append(Phrase(keyword, pattern, example, topic, function, names, notes, takes_table))
        return function

    return register


# --- running a step --------------------------------------------------------------------------


def matching_phrases(
    keyword: str, text: str, phrasebook: Phrasebook
) -> list[tuple[Phrase | PackPhrase, re.Match]]:
    """Every phrase (generic or the pack's) of ``keyword`` that matches the whole of ``text``."""
    found: list[tuple[Phrase | PackPhrase, re.Match]] = []
    for candidate in PHRASES:
        if candidate.keyword == keyword and (match := candidate.regex.fullmatch(text)):
            found.append((candidate, match))
    if keyword == "Given":
        for pack_phrase in phrasebook.phrases:
            if match := pack_phrase.regex.fullmatch(text):
                found.append((pack_phrase, match))
    return found


def run_step(
    journey: ScenarioJourney, keyword: str, text: str, datatable: list[list[str]] | None = None
) -> None:
    """Carry out one step: find its phrase and apply it to the journey."""
    found = matching_phrases(keyword, text, journey.phrasebook)
    if not found:
        raise UndefinedStep(undefined_step_message(keyword, text, journey.phrasebook))
    if len(found) > 1:
        raise UndefinedStep(
            f'"{text}" matches {len(found)} phrases, so it is ambiguous: '
            + "; ".join(
                f'"{_example(p)}"' + (f" ({p.where})" if isinstance(p, PackPhrase) else "") for p, _ in found
            )
            + " (sendrules check reports phrases that overlap)"
        )
    chosen, match = found[0]
    if isinstance(chosen, PackPhrase):
        if datatable:
            raise ScenarioFailure(
                "this phrase takes no table under it; remove the table, or give the event with "
                'an event "<type>" on … and a table of its fields'
            )
        apply_pack_phrase(journey, chosen, match)
        return
    arguments: dict[str, Any] = dict(match.groupdict())
    if chosen.takes_table:
        arguments["datatable"] = datatable
    elif datatable:
        raise ScenarioFailure("this phrase takes no table under it; remove the table")
    chosen.function(journey, **arguments)


def _example(candidate: Phrase | PackPhrase) -> str:
    return f"{candidate.keyword} {candidate.example}"


def undefined_step_message(keyword: str, text: str, phrasebook: Phrasebook) -> str:
    """Why a step matched no phrase, in plain words, with the nearest phrases."""
    for other in KEYWORDS:
        if other != keyword and matching_phrases(other, text, phrasebook):
            return (
                f'"{text}" is a {other} phrase, but here it is read as a {keyword} step '
                f"(a step starting with And or But takes the kind of the step before it); move it among the "
                f"{other} steps"
            )
    examples = [p.example for p in PHRASES if p.keyword == keyword]
    if keyword == "Given":
        examples += [p.example for p in phrasebook.phrases]
    close = difflib.get_close_matches(text, examples, n=3, cutoff=0.6)
    message = f'undefined step: no {keyword} phrase matches "{text}"'
    if close:
        message += "; did you mean:\n" + "\n".join(f"  {keyword} {example}" for example in close)
    return message + "\n(the phrases are listed in docs/features.md)"


def apply_pack_phrase(journey: ScenarioJourney, pack_phrase: PackPhrase, match: re.Match) -> None:
    """Add the event a pack phrase describes (or set the fields it gives on an earlier event)."""
    texts = match.groupdict()
    fields: dict[str, Any] = dict(pack_phrase.fields)
    for slot in pack_phrase.slots:
        text = texts.get(slot.name)
        if text is None or slot.name in (DATE_SLOT, EVENT_SLOT):
            continue
        if slot.kind == "date":
            fields[slot.name] = parse_date(text).isoformat()
        elif slot.kind == "integer":
            fields[slot.name] = int(text)
        elif slot.kind == "words":
            fields[slot.name] = slot.value_of(text)
        elif slot.kind == "event":
            event_type = slot.event_type or ""
            fields[slot.name] = journey.linked(text, event_type, journey.called(event_type))
        else:
            fields[slot.name] = text
    for name, event_type, same in pack_phrase.latest:
        if name not in fields:
            shared = {other: fields.get(other) for other in same}
            fields[name] = journey.latest(
                event_type,
                journey.called(event_type, shared),
                lambda record: all(record.get(other) == value for other, value in shared.items()),
            )["id"]
    if pack_phrase.mode == "changes":
        record = journey.find(texts[EVENT_SLOT])
        if record["type"] != pack_phrase.event_type:
            raise ScenarioFailure(
                f'"{texts[EVENT_SLOT]}" is not a {journey.called(pack_phrase.event_type)} '
                f"(it is {journey.name_of(record['id'])})"
            )
        journey.change(record, **fields)
    else:
        journey.add(pack_phrase.event_type, parse_date(texts[DATE_SLOT]), **fields)


# --- the phrase list -------------------------------------------------------------------------


def phrase_list_markdown(phrasebook: Phrasebook) -> str:
    """The phrase list of docs/features.md and features/README.md: the generic phrases, with the
    pack's phrases after the first topic."""
    items: list[tuple[str, str]] = []  # (topic, line)
    for generic in PHRASES:
        details = [part for part in (f"adds {generic.names}" if generic.names else "", generic.notes) if part]
        items.append(
            (
                generic.topic,
                f"* `{generic.keyword} {generic.example}`" + (" — " + "; ".join(details) if details else ""),
            )
        )
    pack_items = [
        (p.topic, f"* `Given {p.example}`" + _pack_phrase_details(p, phrasebook)) for p in phrasebook.phrases
    ]
    after = max((index for index, (topic, _) in enumerate(items) if topic == FIRST_TOPIC), default=-1) + 1
    items[after:after] = pack_items
    lines: list[str] = []
    topic = None
    for item_topic, line in items:
        if item_topic != topic:
            topic = item_topic
            lines += ["", f"**{topic}**", ""]
        lines.append(line)
    return "\n".join(lines[1:]) + "\n"


def _pack_phrase_details(pack_phrase: PackPhrase, phrasebook: Phrasebook) -> str:
    details = []
    if pack_phrase.mode == "adds":
        example_fields = dict(pack_phrase.fields)
        match = pack_phrase.regex.fullmatch(pack_phrase.example)
        for slot in pack_phrase.slots:
            if match and slot.kind == "words" and match[slot.name] is not None:
                example_fields[slot.name] = slot.value_of(match[slot.name])
        names = phrasebook.names_for(pack_phrase.event_type, example_fields)
        names = names[:-1] or names  # '"<type>" event' only when the type has no name
        details.append(f'adds "the {names[0]}"' + "".join(f' (or "the {name}")' for name in names[1:]))
    if pack_phrase.notes:
        details.append(" ".join(pack_phrase.notes.split()))
    versions = _versions_words(pack_phrase.versions, phrasebook.versions)
    if versions:
        details.append(versions)
    for name, field_versions in pack_phrase.later_fields:
        words = _versions_words(field_versions, phrasebook.versions)
        if words:
            details.append(f"{name.replace('_', ' ')}: {words}")
    return (" — " + "; ".join(details)) if details else ""


def _versions_words(versions: tuple[str, ...], every: tuple[str, ...]) -> str:
    """ "from version 1.1.0", "2.0.0-draft only", "versions 1.0.0, 1.1.0"; "" for every version."""
    if set(versions) >= set(every):
        return ""
    ordered = [version for version in every if version in versions]
    if len(ordered) == 1:
        return f"{ordered[0]} only"
    if ordered == list(every[len(every) - len(ordered) :]):
        return f"from version {ordered[0]}"
    return "versions " + ", ".join(ordered)


# --- the child, the school calendar ----------------------------------------------------------


@phrase(
    "Given",
    rf"a (?:child|young person) born on (?P<born>{DATE})(?: in local authority"
    rf" (?P<la>E\d{{8}}|\d{{3}}))?",
    "a child born on 14 March 2015",
    FIRST_TOPIC,
    notes=(
        'also "a young person born on …"; add "in local authority E09000033" (an ONS code or '
        "3-digit number) to record the local authority"
    ),
)
def _child(journey, born, la=None):
    journey.child = {"id": "child-1", "date_of_birth": parse_date(born).isoformat()}
    if la:
        journey.child["local_authority"] = la


@phrase(
    "Given",
    rf"(?:the )?school (?:is )?closed from (?P<start>{DATE}) to (?P<end>{DATE})",
    "school closed from 7 April 2025 to 22 April 2025",
    FIRST_TOPIC,
    notes="inclusive; school days inside it are not counted (working days are)",
)
def _closure(journey, start, end):
    journey.closures.append({"from": parse_date(start).isoformat(), "to": parse_date(end).isoformat()})


@phrase(
    "Given",
    rf"(?:the )?school (?:is )?closed on (?P<day>{DATE})",
    "school closed on 20 May 2025",
    FIRST_TOPIC,
    notes="one day, e.g. an INSET day",
)
def _closure_day(journey, day):
    iso = parse_date(day).isoformat()
    journey.closures.append({"from": iso, "to": iso})


# --- any event -------------------------------------------------------------------------------

GENERIC = "Any event"


@phrase(
    "Given",
    rf'an event "(?P<event_type>[a-z][a-z0-9_]*)" on (?P<day>{DATE})',
    'an event "final_plan_issued" on 23 May 2025',
    GENERIC,
    names='the "final_plan_issued" event (and the name its event type has above)',
    notes=(
        "any event of the version's vocabulary (events.yaml); give its fields in a table of "
        '"field | value" rows under the step (dates as "6 January 2025", yes/no, an event\'s '
        "name for a link)"
    ),
)
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
            raise ScenarioFailure(
                f'each row of the table under "an event …" has two cells, field and value; got {row}'
            )
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


@phrase(
    "When",
    rf"the duties are decided on (?P<day>{DATE})",
    "the duties are decided on 1 June 2025",
    "Deciding",
    notes="decides as of that day, seeing only the events dated on or before it; a scenario may decide "
    "more than once",
)
def _decide(journey, day):
    journey.decide(parse_date(day))


# --- checking duties -------------------------------------------------------------------------

CHECKS = "Checking duties"


@phrase(
    "Then",
    rf'the duty "(?P<rule>[^"]+)" for (?P<event>{EVENT}) is (?P<status>{STATUS}), due on'
    rf" (?P<due>{DATE})",
    'the duty "ehc.final_plan" for the request is met, due on 26 May 2025',
    CHECKS,
    notes=(
        "met, late, pending, overdue or exempt, and the due date; every duty check must give "
        "the due date, or say it has none"
    ),
)
def _duty_due(journey, rule, event, status, due):
    journey.check_duty(rule, event, status, parse_date(due))


@phrase(
    "Then",
    rf'the duty "(?P<rule>[^"]+)" for (?P<event>{EVENT}) is (?P<status>{STATUS})(?:, with no due'
    rf" date)?",
    'the duty "ehc.draft_comment_period" for the draft plan is breached',
    CHECKS,
    notes=(
        "for duties with no due date (waiting periods and conditions): met, pending or "
        'breached; ", with no due date" may be added'
    ),
)
def _duty_no_due(journey, rule, event, status):
    journey.check_duty(rule, event, status, None)


@phrase(
    "Then",
    r'no duty "(?P<rule>[^"]+)" applies',
    'no duty "ehc.final_plan" applies',
    CHECKS,
    notes="no finding of that rule at all",
)
def _no_duty(journey, rule):
    journey.check_no_duty(rule, None)


@phrase(
    "Then",
    rf'no duty "(?P<rule>[^"]+)" applies for (?P<event>{EVENT})',
    'no duty "ehc.annual_review" applies for the second review meeting',
    CHECKS,
    notes="no finding of that rule for that event",
)
def _no_duty_for(journey, rule, event):
    journey.check_no_duty(rule, event)


@phrase(
    "Then",
    rf"the duty was satisfied by (?P<event>{EVENT})",
    "the duty was satisfied by the final plan",
    CHECKS,
    notes="the event that answered the duty last checked (for met and late duties)",
)
def _satisfied_by(journey, event):
    finding = journey.last_finding()
    expected = journey.find(event)["id"]
    if finding.satisfied_by != expected:
        found = journey.name_of(finding.satisfied_by) if finding.satisfied_by else "nothing"
        raise ScenarioFailure(
            f"expected the duty to be satisfied by {journey.name_of(expected)}, but it was "
            f"satisfied by {found}"
        )


@phrase(
    "Then",
    r"nothing (?:has )?satisfied the duty(?: yet)?",
    "nothing has satisfied the duty yet",
    CHECKS,
    notes='"nothing satisfied the duty" also',
)
def _not_satisfied(journey):
    finding = journey.last_finding()
    if finding.satisfied_by is not None:
        raise ScenarioFailure(
            f"expected nothing to satisfy the duty, but {journey.name_of(finding.satisfied_by)} did"
        )


@phrase(
    "Then",
    rf"the duty was excused by (?P<event>{EVENT})",
    "the duty was excused by the exception",
    CHECKS,
    notes="the exception that made the duty last checked exempt",
)
def _excused_by(journey, event):
    finding = journey.last_finding()
    expected = journey.find(event)["id"]
    if finding.exception != expected:
        found = journey.name_of(finding.exception) if finding.exception else "no exception"
        raise ScenarioFailure(
            f"expected {journey.name_of(expected)} to excuse the duty; the engine found {found}"
        )


@phrase("Then", r"no exception applies", "no exception applies", CHECKS)
def _no_exception(journey):
    finding = journey.last_finding()
    if finding.exception is not None:
        raise ScenarioFailure(f"expected no exception, but {journey.name_of(finding.exception)} applies")


@phrase(
    "Then",
    rf"the (?P<holder>{'|'.join(HOLDERS)}) holds the duty",
    "the local authority holds the duty",
    CHECKS,
    notes="the local authority / the school / the integrated care board (or ICB) holds the duty",
)
def _holder(journey, holder):
    _check_holder(journey, HOLDERS[holder])


@phrase(
    "Then",
    r'the duty holder is "(?P<holder>[a-z_]+)"',
    'the duty holder is "icb"',
    CHECKS,
    notes="the holder by its id in manifest.yaml",
)
def _holder_named(journey, holder):
    _check_holder(journey, holder)


def _check_holder(journey, holder):
    finding = journey.last_finding()
    if finding.duty_holder != holder:
        raise ScenarioFailure(f'expected the duty holder to be "{holder}", but it is "{finding.duty_holder}"')


@phrase(
    "Then",
    r'the duty is a "(?P<modality>must|should)"',
    'the duty is a "should"',
    CHECKS,
    notes='"must" (statutory) or "should" (guidance)',
)
def _modality(journey, modality):
    finding = journey.last_finding()
    if finding.modality != modality:
        raise ScenarioFailure(f'expected a "{modality}" duty, but it is a "{finding.modality}"')


@phrase(
    "Then",
    r'the duty cites "(?P<clause>[^"]+)"',
    'the duty cites "SEND Regulations 2014 reg 13(2)"',
    CHECKS,
    notes="one of the clauses the rule cites",
)
def _cites(journey, clause):
    finding = journey.last_finding()
    if clause not in finding.citations:
        raise ScenarioFailure(
            f'expected the duty to cite "{clause}"; it cites ' + "; ".join(finding.citations)
        )


@phrase(
    "Then",
    r'the explanation says "(?P<text>[^"]+)"',
    'the explanation says "came 7 days after the due date"',
    CHECKS,
    notes="part of the engine's explanation of the duty last checked",
)
def _explanation(journey, text):
    finding = journey.last_finding()
    if text not in finding.message:
        raise ScenarioFailure(
            f'expected the explanation to say "{text}"; it says:\n' + journey.legend(finding.message)
        )


@phrase(
    "Then",
    r"(?:exactly (?P<count>\d+) (?:duty applies|duties apply)|(?P<none>no duties apply))",
    "exactly 3 duties apply",
    CHECKS,
    notes='counts every finding; "exactly 1 duty applies", "no duties apply"',
)
def _count(journey, count=None, none=None):
    decision = journey.require_decision()
    wanted = 0 if none else int(count)
    if len(decision.findings) != wanted:
        raise ScenarioFailure(
            f"expected {wanted} dut{'y' if wanted == 1 else 'ies'}; the engine found "
            f"{len(decision.findings)}:\n"
            + "\n".join(
                f'  "{f.rule}" for {journey.name_of(f.trigger)}: {journey.describe_finding(f)}'
                for f in decision.findings
            )
        )


@phrase(
    "Then",
    r'the decision is refused with "(?P<code>[a-z_]+)"',
    'the decision is refused with "parameter_not_in_force"',
    CHECKS,
    notes=(
        "the decision could not be made, with that error code (e.g. a clock that starts before "
        "the standard defines its time limit)"
    ),
)
def _refused(journey, code):
    if journey.error is None:
        journey.require_decision()
        raise ScenarioFailure(
            f'expected the decision to be refused with "{code}", but the duties were decided'
        )
    if journey.error.code != code:
        raise ScenarioFailure(
            f'expected the decision to be refused with "{code}"; it was refused with '
            f'"{journey.error.code}":\n' + journey.legend(journey.error.describe())
        )


# --- checking expected provision -------------------------------------------------------------

PROVISION = "Checking expected provision"


def _amount(text: str) -> int:
    return int(text.replace(",", "").lstrip("£"))


@phrase(
    "Then",
    r'the expected provision from "(?P<table>[^"]+)" is row (?P<row>\d+): band "(?P<band>[^"]+)", '
    r"top-up (?P<top_up>£?[\d,]+)"
    r"(?:, (?P<notional>the notional 6,000 applies|the notional 6,000 does not apply))?",
    'the expected provision from "provision.band" is row 3: band "Band 2", top-up 3,100, the notional 6,000 applies',
    PROVISION,
    notes=(
        'the band and top-up (in pounds; "3,100" or "3100"); ", the notional 6,000 applies" or '
        '"does not apply" is optional'
    ),
)
def _band(journey, table, row, band, top_up, notional=None):
    outputs: dict[str, Any] = {"band": band, "top_up": _amount(top_up)}
    if notional:
        outputs["notional_6000_applies"] = notional == "the notional 6,000 applies"
    journey.check_row(table, int(row), outputs)


@phrase(
    "Then",
    r'the expected provision from "(?P<table>[^"]+)" is row (?P<row>\d+)',
    'the expected provision from "provision.band" is row 3',
    PROVISION,
    notes='optionally followed by a table of "output | value" rows',
)
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


@phrase(
    "Then",
    r'the expected provision from "(?P<table>[^"]+)" is not worked out because'
    r' (?P<fields>"[^"]+"(?:(?:, | and )"[^"]+")*) (?:is|are) not recorded',
    'the expected provision from "provision.band" is not worked out because "needs.setting" is not recorded',
    PROVISION,
    notes="the table was not applied because the event lacks those inputs",
)
def _not_worked_out(journey, table, fields):
    entry = journey.provision_entry(table, ("missing", table, None))
    wanted = re.findall(r'"([^"]+)"', fields)
    if entry is None:
        raise ScenarioFailure(
            f'there is no expected provision from "{table}" at all (the scenario has no event it reads)'
        )
    journey.provision = entry
    if entry.row is not None:
        raise ScenarioFailure(
            f'expected "{table}" not to be worked out, but row {entry.row} applies: '
            + journey.legend(entry.message)
        )
    if sorted(entry.missing) != sorted(wanted):
        raise ScenarioFailure(
            f"expected missing {', '.join(wanted)}; the engine found missing {', '.join(entry.missing)}"
        )


@phrase(
    "Then",
    r'there is no expected provision from "(?P<table>[^"]+)"',
    'there is no expected provision from "provision.band"',
    PROVISION,
    notes="no event the table reads (no identification of needs)",
)
def _no_provision(journey, table):
    entry = journey.provision_entry(table, ("no_provision", table, None))
    if entry is not None:
        raise ScenarioFailure(
            f'expected no expected provision from "{table}", but the engine found: '
            + journey.legend(entry.message)
        )


@phrase(
    "Then",
    rf"the expected provision is based on (?P<event>{EVENT})",
    "the expected provision is based on the second identification of needs",
    PROVISION,
    notes="the event the provision last checked was read from",
)
def _based_on(journey, event):
    if journey.provision is None:
        raise ScenarioFailure(
            'check the expected provision first, e.g. "Then the expected provision from '
            '"provision.band" is row 3"'
        )
    expected = journey.find(event)["id"]
    if journey.provision.based_on != expected:
        raise ScenarioFailure(
            f"expected the provision to be based on {journey.name_of(expected)}; it is based on "
            f"{journey.name_of(journey.provision.based_on)}"
        )
