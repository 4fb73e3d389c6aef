"""``sendrules import sen2``: a SEN2 person-level return turned into journeys.

Local authorities send DfE their EHC data as the SEN2 return, person by person since 2023, as
XML (DfE, "Special educational needs person level survey: technical specification" and "guide
to submitting data", 2025 collection, guide v1.4). Its modules and the events they become:

    Module 1  Person              child: date of birth (PersonBirthDate); the reference is a
                                  pseudonym, never the UPN or a name
    Module 2  Request             assessment_requested (ReceivedDate); assessment_decision from
                                  RequestOutcome / RequestOutcomeDate
    Module 3  Assessment          plan_decision from AssessmentOutcome / AssessmentOutcomeDate
                                  (item 3.1)
    Module 4  NamedPlan           final_plan_issued (StartDate); plan_ceased (CeaseDate,
                                  CeaseReason, item 4.6: codes 1-9 as the vocabulary's)
              PlanDetail          (the setting named in the plan: not an event)
    Module 5  ActivePlans         review_meeting (ReviewMeeting, item 5.4)
              PlacementDetail     school_registered for a placement with no LeavingDate (URN,
                                  else UKPRN), when the vocabulary has it
              SENNeed             (no date: not an event)

``MAPPING`` below lists every element read, with its module and item; ``UNMAPPED`` what is
deliberately not read and why (docs/cohorts.md shows both). Code values that were read only in
secondary sources are marked as such in ``REQUEST_OUTCOMES`` and ``ASSESSMENT_OUTCOMES``; a
code not listed is never guessed: the event is left out and a note says so.

Elements are matched by local name, ignoring namespaces and letter case, wherever they sit
inside a Person (the specification nests modules; suppliers' files differ in wrapping).
"""

from __future__ import annotations

import hashlib
import hmac
import xml.etree.ElementTree as ElementTree
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Iterable


class ReturnProblem(Exception):
    """The file is not a SEN2 return that can be read."""


#: Element -> (module, item, what it becomes). The item number is given where it was read
#: (3.1, 3.7, 4.6, 4.7c/5.7c, 5.4, 5.5, 5.8a); "-" where only the module was.
MAPPING = {
    "LEA": ("header", "-", "child.local_authority (the 3-digit LA number of the returning authority)"),
    "PersonBirthDate": ("1 Person", "-", "child.date_of_birth"),
    "ReceivedDate": ("2 Requests", "-", "assessment_requested"),
    "RequestOutcomeDate": ("2 Requests", "-", "the date of assessment_decision"),
    "RequestOutcome": ("2 Requests", "-", "assessment_decision.outcome (REQUEST_OUTCOMES)"),
    "AssessmentOutcome": ("3 Assessments", "3.1", "plan_decision.outcome (ASSESSMENT_OUTCOMES)"),
    "AssessmentOutcomeDate": ("3 Assessments", "-", "the date of plan_decision"),
    "StartDate": ("4 Named plan", "-", "final_plan_issued"),
    "CeaseDate": ("4 Named plan", "-", "plan_ceased"),
    "CeaseReason": ("4 Named plan", "4.6", "plan_ceased.reason"),
    "ReviewMeeting": ("5 Active plans", "5.4", "review_meeting"),
    "URN": ("5 Placements", "5.7", "school_registered.school"),
    "UKPRN": ("5 Placements", "5.7", "school_registered.school when there is no URN"),
    "EntryDate": ("5 Placements", "-", "the date of school_registered"),
    "LeavingDate": ("5 Placements", "-", "a placement with a leaving date is not the current one (no event)"),
}
#: Element -> why it is not read.
UNMAPPED = {
    "Surname": "a name: personal data the engine does not need",
    "Forename": "a name: personal data the engine does not need",
    "UPN": "an identifier of a real child: only a keyed pseudonym of it is used (--pseudonym-key)",
    "UniqueLearnerNumber": "an identifier of a real young person: only a keyed pseudonym of it is used",
    "UPNunknown": "why there is no UPN: not needed",
    "PostCode": "personal data the engine does not need",
    "GenderCurrent": "not used by any rule or measure",
    "Ethnicity": "not used by any rule or measure",
    "RYA": "a request while in relevant youth accommodation: no such field in the vocabulary",
    "RequestMediation": "mediation and tribunals are not in the vocabulary",
    "RequestTribunal": "mediation and tribunals are not in the vocabulary",
    "AssessmentMediation": "mediation and tribunals are not in the vocabulary",
    "AssessmentTribunal": "mediation and tribunals are not in the vocabulary",
    "OtherMediation": "mediation and tribunals are not in the vocabulary",
    "OtherTribunal": "mediation and tribunals are not in the vocabulary",
    "Exported": "a move out of the authority before the assessment ended: no date of the move",
    "Week20": (
        "item 3.7 says time-limit exceptions applied, but not when nor which: a time_limit_exception "
        "event needs both, and none is invented"
    ),
    "PlanRes": "residential provision in the plan: not in the vocabulary",
    "PlanWBP": "work-based learning in the plan: not in the vocabulary",
    "PB": "personal budgets: not in the vocabulary",
    "OA": "personal budgets: not in the vocabulary",
    "DP": "personal budgets: not in the vocabulary",
    "SENsetting": "a setting category without a URN (e.g. EHE, NEET): no school to register",
    "SENsettingOther": "free text",
    "PlacementRank": "only the current placements are used",
    "SENUnitIndicator": "not in the vocabulary",
    "ResourcedProvisionIndicator": "not in the vocabulary",
    "AttendancePattern": "not in the vocabulary",
    "TransferLA": "the authority a plan came from: no date of the transfer",
    "SENtype": "the type of need has no date: needs_identified needs one (and a level)",
    "SENtypeRank": "see SENtype",
    "ReviewOutcome": "item 5.5's decision has no date: review_decision needs one",
}
#: RequestOutcome codes (item 2.4). Read in secondary sources (DfE's aggregate indicators
#: inreq_ehc_y / _a / _w and refusals): UNCONFIRMED against the specification's code list.
REQUEST_OUTCOMES = {"Y": "assess", "N": "not_assess", "A": None, "W": None}
#: AssessmentOutcome codes (item 3.1 "decision to issue EHC plan"). "S" (a plan issued after an
#: assessment completed by another authority) was read in a supplier's guide to item 3.1; the
#: others in secondary sources: UNCONFIRMED against the specification's code list.
ASSESSMENT_OUTCOMES = {"Y": "issue", "S": "issue", "N": "not_issue", "A": None, "W": None}


@dataclass
class ImportResult:
    journeys: list[dict]
    persons: int
    local_authority: str | None
    notes: list[str] = field(default_factory=list)


def _name(element: ElementTree.Element) -> str:
    return element.tag.rsplit("}", 1)[-1].lower()


def _children(element: ElementTree.Element, name: str) -> list[ElementTree.Element]:
    wanted = name.lower()
    return [child for child in element if _name(child) == wanted]


def _find_all(element: ElementTree.Element, name: str) -> Iterable[ElementTree.Element]:
    wanted = name.lower()
    return (node for node in element.iter() if _name(node) == wanted)


def _text(element: ElementTree.Element, name: str) -> str | None:
    for child in element:
        if _name(child) == name.lower():
            value = (child.text or "").strip()
            return value or None
    return None


def _date(value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None


def read_return(
    path: Path, known_events: Iterable[str] | None = None, pseudonym_key: bytes | None = None
) -> ImportResult:
    """Read a SEN2 return. ``known_events``: the event types of the vocabulary the journeys are
    for (events of other types are left out, with a note); None keeps every type."""
    try:
        root = ElementTree.parse(path).getroot()
    except (ElementTree.ParseError, OSError) as error:
        raise ReturnProblem(f"{path}: not a readable XML file ({error})") from None
    lea = next(
        (node.text.strip() for node in _find_all(root, "LEA") if node.text and node.text.strip()), None
    )
    year = next(
        (node.text.strip() for node in _find_all(root, "Year") if node.text and node.text.strip()), ""
    )
    persons = list(_find_all(root, "Person"))
    if not persons:
        raise ReturnProblem(f"{path}: no Person records: is this a SEN2 person-level return?")
    known = set(known_events) if known_events is not None else None
    notes: list[str] = []
    journeys = []
    for number, person in enumerate(persons, start=1):
        journey = _journey(person, number, lea, year, known, notes, pseudonym_key)
        if journey is not None:
            journeys.append(journey)
    return ImportResult(journeys, len(persons), lea, notes)


def _pseudonym(
    person: ElementTree.Element, number: int, lea: str | None, year: str, key: bytes | None
) -> str:
    """``SEN2-<LA>-<year>-<n>`` by position in the return; with a key, a keyed hash of the
    UPN or ULN instead, so that the same child links across returns."""
    if key is not None:
        identifier = _text(person, "UPN") or _text(person, "UniqueLearnerNumber")
        if identifier:
            digest = hmac.new(key, identifier.encode(), hashlib.sha256).hexdigest()[:20]
            return f"SEN2-{lea or 'LA'}-{digest}"
    return f"SEN2-{lea or 'LA'}-{year or 'Y'}-{number:06d}"


def _journey(person, number, lea, year, known, notes, key) -> dict | None:
    birth = _date(_text(person, "PersonBirthDate"))
    child_id = _pseudonym(person, number, lea, year, key)
    if birth is None:
        notes.append(f"person {number}: no valid PersonBirthDate (module 1): left out")
        return None
    events: list[dict] = []

    def add(event_type: str, day: date | None, where: str, **fields) -> None:
        if day is None:
            return
        if known is not None and event_type not in known:
            notes.append(f"person {number}, {where}: {event_type} is not in the vocabulary: left out")
            return
        events.append({"id": f"{where}-{event_type}", "type": event_type, "date": day.isoformat(), **fields})

    for request_number, request in enumerate(_find_all(person, "Request"), start=1):
        where = f"r{request_number}"
        received = _date(_text(request, "ReceivedDate"))
        if received is None:
            notes.append(
                f"person {number}, request {request_number}: no ReceivedDate (module 2): request left out"
            )
            continue
        add("assessment_requested", received, where)
        assessments = list(_find_all(request, "Assessment"))
        outcome_code = _text(request, "RequestOutcome")
        outcome_date = _date(_text(request, "RequestOutcomeDate"))
        outcome = REQUEST_OUTCOMES.get(outcome_code or "", "unknown")
        if outcome == "unknown" and outcome_code is not None:
            notes.append(
                f"person {number}, request {request_number}: RequestOutcome {outcome_code!r} is not a known "
                "code: no decision event"
            )
        elif outcome is not None and outcome_date is not None:
            add("assessment_decision", outcome_date, where, outcome=outcome)
        for assessment in assessments[:1]:
            code = _text(assessment, "AssessmentOutcome")
            decided = _date(_text(assessment, "AssessmentOutcomeDate"))
            decision = ASSESSMENT_OUTCOMES.get(code or "", "unknown")
            if decision == "unknown" and code is not None:
                notes.append(
                    f"person {number}, request {request_number}: AssessmentOutcome {code!r} is not a known "
                    "code: no plan decision event"
                )
            elif decision is not None and decided is not None:
                add("plan_decision", decided, where, outcome=decision)
            for plan_number, plan in enumerate(_find_all(assessment, "NamedPlan"), start=1):
                add("final_plan_issued", _date(_text(plan, "StartDate")), f"{where}p{plan_number}")
                ceased = _date(_text(plan, "CeaseDate"))
                reason = _text(plan, "CeaseReason")
                fields = {"reason": reason} if reason in {str(code) for code in range(1, 10)} else {}
                if reason is not None and not fields:
                    notes.append(
                        f"person {number}: CeaseReason {reason!r} is not a code 1-9 (item 4.6): reason left out"
                    )
                add("plan_ceased", ceased, f"{where}p{plan_number}", **fields)
        for active in _find_all(request, "ActivePlans"):
            for review_number, review in enumerate(_find_all(active, "ReviewMeeting"), start=1):
                add("review_meeting", _date((review.text or "").strip() or None), f"{where}m{review_number}")
            for placement_number, placement in enumerate(_find_all(active, "PlacementDetail"), start=1):
                if _text(placement, "LeavingDate"):
                    continue
                school = _text(placement, "URN") or _text(placement, "UKPRN")
                entry = _date(_text(placement, "EntryDate"))
                if school and entry:
                    add("school_registered", entry, f"{where}s{placement_number}", school=school)
    events.sort(key=lambda event: (event["date"], event["id"]))
    child = {"id": child_id, "date_of_birth": birth.isoformat()}
    if lea:
        child["local_authority"] = lea
    return {"child": child, "events": events}
