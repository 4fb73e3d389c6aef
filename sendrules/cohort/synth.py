"""``sendrules cohort synth``: a synthetic national cohort, the same bytes for the same seed.

Every child is invented: the reference is ``SYN-<seed>-<number>``, the date of birth and
every event are drawn from a random generator seeded with the seed and the child's number (so
the first N children of a larger cohort are the same N children). Nothing about a real child
is read or written.

The cohort is children known to SEND and alternative provision services over three academic
years (1 September 2022 to 31 August 2025). The shares below follow published national
figures where there are some; each says where it comes from. Where none was found the value is
ours and says so ("illustrative"). Rates are per child of this cohort, not of all pupils.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Iterator

import orjson

from sendrules.cohort.regions import all_authorities
from sendrules.dsl import ir

WINDOW_START = date(2022, 9, 1)
WINDOW_END = date(2025, 8, 31)


@dataclass(frozen=True)
class Rate:
    value: float
    source: str


#: Published figures the cohort follows (docs/cohorts.md lists them with their links).
RATES = {
    "request": Rate(
        0.62,
        "illustrative: the share of this cohort (children known to SEND services) with a "
        "request for an EHC needs assessment in the window",
    ),
    "refused": Rate(
        0.228,
        "DfE, Education, health and care plans (EES), requests dataset: 18,755 of 82,329 "
        "requests in 2019 decided not to assess",
    ),
    "not_issued": Rate(
        0.059,
        "DfE, Education, health and care plans (EES), assessments dataset: 3,368 plans not "
        "issued against 53,899 issued in 2019",
    ),
    "within_20_weeks": Rate(
        0.464,
        "DfE, Education, health and care plans 2025 release as reported: 46.4% of new "
        "plans in 2024 issued within 20 weeks, exceptions excluded (secondary source)",
    ),
    "exception_case": Rate(
        0.071,
        "DfE, Education, health and care plans (EES), timeliness dataset: 53,327 plans "
        "including and 49,519 excluding exception cases in 2019 (3,808, 7.1%)",
    ),
    "review_on_time": Rate(
        0.8, "illustrative: no national figure for annual reviews held within 12 months was found"
    ),
    "suspension": Rate(
        0.28,
        "DfE, Suspensions and permanent exclusions in England 2022/23: 9.33 suspensions per "
        "100 pupils, about 3 times higher for pupils with an EHC plan (secondary summary)",
    ),
    "permanent": Rate(
        0.0033,
        "DfE, Suspensions and permanent exclusions in England 2022/23: 9,376 permanent "
        "exclusions, a rate of 0.11 per 100 pupils, about 3 times higher with an EHC plan",
    ),
    "sixth_day_on_time": Rate(
        0.7, "illustrative: no national figure for provision from the sixth day was found"
    ),
    "non_school_ap": Rate(
        0.029,
        "Children's Commissioner (2025), as reported: 29,244 children in unregistered "
        "alternative provision, about 1 in 35 children with an EHC plan (secondary source)",
    ),
    "registered_ap": Rate(0.03, "illustrative: a share like that of non-school AP"),
    "part_time": Rate(0.03, "illustrative: no national count of part-time timetables is published"),
}

#: Who provides a synthetic AP placement (illustrative: no national count of placements per
#: provider is published). A registered placement goes to one of its local authority's three AP
#: schools (a pupil referral unit or AP academy: URN), the first taking most; a non-school
#: placement to one of eight local providers (UKPRN, shares falling with rank) or, one time in
#: four, to one of five providers that take children from across England (online and national
#: providers). One placement in ten records no provider (the field is optional).
PROVIDERS = {
    "registered_weights": (0.6, 0.3, 0.1),
    "local_weights": (0.3, 0.2, 0.15, 0.1, 0.1, 0.07, 0.05, 0.03),
    "national_share": 0.25,
    "national_providers": 5,
    "not_recorded": 0.1,
}

ADVICE = ("educational", "medical", "psychological", "social_care", "other")
NEEDS = ("SPLD", "MLD", "SLD", "PMLD", "SEMH", "SLCN", "HI", "VI", "MSI", "PD", "ASD", "OTH")
SETTINGS = ("mainstream", "mainstream", "mainstream", "resourced_provision", "special_school", "post16")
EXCEPTIONS = (
    "institution_closure",
    "early_years_closure",
    "exceptional_personal_circumstances",
    "absence_from_area",
)
DESTINATIONS = (
    "home_school",
    "new_school",
    "special_school",
    "further_education",
    "employment_or_training",
    "other_alternative_provision",
    "not_in_education",
    "unknown",
)


class _Journey:
    def __init__(self, rng: random.Random, known: set[str], providers: "_Providers | None" = None) -> None:
        self.rng = rng
        self.known = known
        self.providers = providers
        self.events: list[dict] = []

    def add(self, event_type: str, day: date, **fields) -> str | None:
        if event_type not in self.known:
            return None
        event_id = f"e{len(self.events) + 1}"
        event = {"id": event_id, "type": event_type, "date": day.isoformat()}
        event.update(
            {
                name: (value.isoformat() if isinstance(value, date) else value)
                for name, value in fields.items()
                if value is not None
            }
        )
        self.events.append(event)
        return event_id

    def chance(self, rate: str) -> bool:
        return self.rng.random() < RATES[rate].value

    def day_between(self, start: date, end: date) -> date:
        return start + timedelta(days=self.rng.randint(0, max(0, (end - start).days)))

    def days(self, low: int, high: int) -> timedelta:
        return timedelta(days=self.rng.randint(low, high))


class _Providers:
    """Draws each placement's provider from its own generator (seeded with the seed and the
    child's number), so that adding providers leaves every other draw, and so every other
    event of the cohort, as it was."""

    def __init__(self, seed: int, number: int) -> None:
        self.rng = random.Random(f"sendrules-synth/{seed}/{number}/provider")
        self.authority_number = ""

    def draw(self, registered: bool) -> str | None:
        rng = self.rng
        if rng.random() < PROVIDERS["not_recorded"]:
            return None
        if registered:
            weights = PROVIDERS["registered_weights"]
            rank = rng.choices(range(len(weights)), weights=weights)[0]
            return f"URN{self.authority_number}9{rank}"
        if rng.random() < PROVIDERS["national_share"]:
            return f"UKPRN1000{rng.randrange(PROVIDERS['national_providers']):04d}"
        weights = PROVIDERS["local_weights"]
        rank = rng.choices(range(len(weights)), weights=weights)[0]
        return f"UKPRN1{self.authority_number}{rank:04d}"


def child_journey(
    seed: int, number: int, known: set[str], authorities: list, with_provider: bool = False
) -> dict:
    """One synthetic child's journey (deterministic in seed and number). ``with_provider``:
    the vocabulary's ``ap_placement_started`` has a ``provider`` field."""
    rng = random.Random(f"sendrules-synth/{seed}/{number}")
    providers = _Providers(seed, number) if with_provider else None
    build = _Journey(rng, known, providers)
    authority = authorities[rng.randrange(len(authorities))]
    if providers is not None:
        providers.authority_number = str(authority.number)
    birth = date(2006, 9, 1) + timedelta(days=rng.randint(0, 365 * 15))
    school_id = f"{authority.number}{rng.randint(0, 40):02d}"
    trust = f"TRUST-{authority.number}-{rng.randint(0, 6)}" if rng.random() < 0.5 else None
    start = build.day_between(WINDOW_START, WINDOW_END - timedelta(days=300))
    registered = build.add(
        "school_registered",
        start - build.days(30, 900),
        school=f"URN{school_id}",
        trust=trust,
        setting=rng.choice(("mainstream", "mainstream", "special_school")),
    )
    build.add(
        "needs_identified",
        start,
        primary_need=rng.choice(NEEDS),
        level=rng.randint(1, 4),
        setting=rng.choice(SETTINGS),
    )
    if build.chance("request"):
        _assessment(build, start)
    else:
        support = build.add("sen_support_started", start)
        if support:
            day = start
            for _ in range(rng.randint(1, 4)):
                day = day + build.days(90, 150)
                if day > WINDOW_END:
                    break
                build.add("sen_support_reviewed", day)
    _exclusions(build, start)
    _alternative_provision(build, start)
    if build.chance("part_time"):
        began = build.day_between(start, WINDOW_END - timedelta(days=60))
        end = began + build.days(14, 70)
        timetable = build.add(
            "part_time_timetable_started",
            began,
            end_date=end if rng.random() < 0.85 else None,
            parent_agreed=rng.random() < 0.9,
            reason=rng.choice(("medical", "reintegration", "other")),
        )
        if timetable and rng.random() < 0.7:
            build.add("part_time_timetable_reviewed", began + build.days(10, 50), in_response_to=timetable)
        if timetable and rng.random() < 0.75:
            build.add("part_time_timetable_ended", end + build.days(-7, 30), in_response_to=timetable)
    if registered and rng.random() < 0.08:
        build.add(
            "school_left",
            build.day_between(start, WINDOW_END),
            in_response_to=registered,
            destination=rng.choice(
                (
                    "another_school",
                    "special_school",
                    "alternative_provision",
                    "elective_home_education",
                    "unknown",
                )
            ),
        )
    # No event before the child's birth (the validator refuses one): an early registration
    # moves the birth back, leaving the random stream, and so every other journey, as it was.
    birth = min([birth] + [date.fromisoformat(str(event["date"])) for event in build.events])
    return {
        "child": {
            "id": f"SYN-{seed}-{number:07d}",
            "date_of_birth": birth.isoformat(),
            "local_authority": authority.code,
        },
        "events": build.events,
    }


def _assessment(build: _Journey, start: date) -> None:
    rng = build.rng
    request = build.add(
        "assessment_requested", start, requested_by=rng.choice(("parent", "school", "young_person", "other"))
    )
    if request is None:
        return
    exception = build.chance("exception_case")
    if exception:
        build.add("time_limit_exception", start + build.days(7, 120), reason=rng.choice(EXCEPTIONS))
    decided = start + build.days(25, 50)
    if build.chance("refused"):
        build.add("assessment_decision", decided, outcome="not_assess")
        return
    build.add("assessment_decision", decided, outcome="assess")
    for _ in range(rng.randint(2, 3)):
        asked = decided + build.days(0, 7)
        advice = rng.choice(ADVICE)
        asked_id = build.add("advice_requested", asked, advice=advice)
        if rng.random() < 0.92:
            build.add("advice_received", asked + build.days(20, 55), advice=advice, in_response_to=asked_id)
    if build.chance("not_issued"):
        build.add("plan_decision", start + build.days(90, 125), outcome="not_issue")
        return
    on_time = build.chance("within_20_weeks") and not (exception and rng.random() < 0.5)
    final = start + (build.days(110, 140) if on_time else build.days(141, 330))
    build.add("plan_decision", final - build.days(30, 45), outcome="issue")
    build.add("draft_plan_issued", final - build.days(16, 28))
    build.add("final_plan_issued", final)
    meeting = final
    while True:
        meeting = meeting + (build.days(300, 364) if build.chance("review_on_time") else build.days(366, 450))
        if meeting > WINDOW_END:
            break
        meeting_id = build.add("review_meeting", meeting)
        if rng.random() < 0.85:
            build.add("review_report_sent", meeting + build.days(5, 20), in_response_to=meeting_id)
        if rng.random() < 0.85:
            build.add(
                "review_decision",
                meeting + build.days(10, 40),
                in_response_to=meeting_id,
                outcome=rng.choice(("maintain", "maintain", "amend", "cease")),
            )
    build.add(
        "needs_identified",
        final,
        primary_need=rng.choice(NEEDS),
        level=rng.randint(2, 4),
        setting=rng.choice(SETTINGS),
    )


def _exclusions(build: _Journey, start: date) -> None:
    rng = build.rng
    years = max(1, (WINDOW_END - start).days // 365)
    for _ in range(years):
        if build.chance("suspension"):
            first = build.day_between(start, WINDOW_END)
            days = rng.randint(1, 10)
            build.add("exclusion", first, category="suspension", school_days=days)
            if days > 5:
                provided = first + (
                    build.days(5, 8) if build.chance("sixth_day_on_time") else build.days(9, 20)
                )
                build.add("full_time_provision_started", provided, arranged_by="school")
        if build.chance("permanent"):
            first = build.day_between(start, WINDOW_END)
            build.add("exclusion", first, category="permanent")
            provided = first + (build.days(5, 8) if build.chance("sixth_day_on_time") else build.days(9, 25))
            build.add("full_time_provision_started", provided, arranged_by="local_authority")


def _alternative_provision(build: _Journey, start: date) -> None:
    rng = build.rng
    for rate, registered in (("non_school_ap", False), ("registered_ap", True)):
        if not build.chance(rate):
            continue
        began = build.day_between(start, WINDOW_END - timedelta(days=30))
        planned = began + build.days(42, 250)
        placement = build.add(
            "ap_placement_started",
            began,
            tier=rng.randint(1, 3),
            registered=registered,
            arranged_by=rng.choice(("school", "local_authority")),
            objectives_set=rng.random() < 0.8,
            planned_end=planned if rng.random() < 0.8 else None,
            provider=build.providers.draw(registered) if build.providers is not None else None,
        )
        if placement is None:
            continue
        if rng.random() < 0.7:
            build.add("ap_placement_reviewed", began + build.days(20, 90), in_response_to=placement)
        if rng.random() < 0.75:
            ended = planned + build.days(-30, 60)
            destination = rng.choice(DESTINATIONS)
            ending = build.add("ap_placement_ended", ended, in_response_to=placement, destination=destination)
            if ending and destination in ("further_education", "employment_or_training"):
                build.add(
                    "destination_checked",
                    ended + build.days(180, 200),
                    in_response_to=ending,
                    sustained=rng.random() < 0.7,
                )


def cohort(children: int, seed: int, standard: ir.CompiledStandard) -> Iterator[dict]:
    """``children`` synthetic journeys valid under ``standard``'s vocabulary, lazily."""
    known = {event_type.name for event_type in standard.event_types}
    placement = standard.event_type("ap_placement_started")
    with_provider = placement is not None and placement.field("provider") is not None
    authorities = all_authorities()
    for number in range(children):
        yield child_journey(seed, number, known, authorities, with_provider)


def write_jsonl(children: int, seed: int, standard: ir.CompiledStandard, sink) -> None:
    """The cohort as JSON Lines on ``sink`` (a binary stream): the same bytes for the same
    seed, count and vocabulary."""
    for journey in cohort(children, seed, standard):
        sink.write(orjson.dumps(journey) + b"\n")
