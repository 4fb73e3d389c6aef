"""A seeded synthetic cohort of journeys, for benchmarks and differential tests.

Each journey has exactly ``size`` events (20 by default) drawn from realistic episodes: an EHC
needs assessment with advice requests, a draft and a final plan, reviews with their reports
and decisions, a phase transfer, exclusions with provision, time-limit exceptions and needs
updates. Dates slip by random amounts so every status occurs; some events fall after ``as_of``;
input order is shuffled for a share of journeys. The same seed gives the same cohort.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import Iterator

ADVICE = ["educational", "medical", "psychological", "social_care", "other"]
NEEDS = ["SPLD", "MLD", "SLD", "PMLD", "SEMH", "SLCN", "HI", "VI", "MSI", "PD", "ASD", "DS", "OTH"]
REASONS = [
    "institution_closure",
    "early_years_closure",
    "exceptional_personal_circumstances",
    "absence_from_area",
]


def _iso(day: date) -> str:
    return day.isoformat()


class _Builder:
    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.events: list[dict] = []

    def add(self, event_type: str, day: date, **fields) -> str:
        event_id = f"e{len(self.events) + 1}"
        self.events.append({"id": event_id, "type": event_type, "date": _iso(day), **fields})
        return event_id

    def days(self, low: int, high: int) -> timedelta:
        return timedelta(days=self.rng.randint(low, high))


def journey(rng: random.Random, number: int, size: int = 20) -> tuple[dict, str]:
    """One journey (as a caseworker system would send it) and its ``as_of``."""
    build = _Builder(rng)
    start = date(2022, 1, 3) + timedelta(days=rng.randint(0, 3 * 365))
    request = start
    build.add(
        "assessment_requested",
        request,
        requested_by=rng.choice(["parent", "school", "young_person", "other"]),
    )
    if rng.random() < 0.15:
        build.add("time_limit_exception", request + build.days(0, 150), reason=rng.choice(REASONS))
    decision_day = request + build.days(20, 50)
    not_assess = rng.random() < 0.1
    build.add("assessment_decision", decision_day, outcome="not_assess" if not_assess else "assess")
    final_day = request
    if not not_assess:
        for _ in range(rng.randint(1, 3)):
            asked = decision_day + build.days(0, 7)
            request_id = build.add("advice_requested", asked, advice=rng.choice(ADVICE))
            if rng.random() < 0.9:
                build.add(
                    "advice_received",
                    asked + build.days(10, 55),
                    advice=rng.choice(ADVICE),
                    in_response_to=request_id,
                )
        not_issue = rng.random() < 0.1
        build.add(
            "plan_decision", request + build.days(70, 120), outcome="not_issue" if not_issue else "issue"
        )
        if not not_issue:
            draft = request + build.days(80, 125)
            build.add("draft_plan_issued", draft)
            final_day = draft + build.days(8, 40)
            build.add("final_plan_issued", final_day)
            meeting_day = final_day
            for _ in range(rng.randint(0, 2)):
                meeting_day = meeting_day + build.days(300, 400)
                meeting = build.add("review_meeting", meeting_day)
                if rng.random() < 0.85:
                    build.add("review_report_sent", meeting_day + build.days(3, 20), in_response_to=meeting)
                if rng.random() < 0.85:
                    build.add(
                        "review_decision",
                        meeting_day + build.days(10, 40),
                        outcome=rng.choice(["maintain", "amend", "cease"]),
                        in_response_to=meeting,
                    )
            if rng.random() < 0.4:
                kind = rng.choice(["school", "secondary_to_post16", "post16_to_post16"])
                transfer = date(final_day.year + 1, rng.choice([1, 4, 7, 9]), rng.choice([1, 15, 28, 30]))
                scheduled = transfer - build.days(150, 300)
                build.add("phase_transfer_scheduled", scheduled, transfer_date=_iso(transfer), kind=kind)
                if rng.random() < 0.8:
                    build.add("amended_plan_issued", scheduled + build.days(5, 200))
            if rng.random() < 0.05:
                build.add("plan_ceased", final_day + build.days(30, 500), reason=str(rng.randint(1, 9)))
    while len(build.events) < size:
        if rng.random() < 0.5:
            first_day = start + build.days(0, 700)
            permanent = rng.random() < 0.3
            if permanent:
                build.add("exclusion", first_day, category="permanent")
            else:
                build.add("exclusion", first_day, category="suspension", school_days=rng.randint(1, 15))
            if rng.random() < 0.8 and len(build.events) < size:
                build.add(
                    "full_time_provision_started",
                    first_day + build.days(1, 14),
                    arranged_by="local_authority" if permanent else "school",
                )
        else:
            build.add(
                "needs_identified",
                start + build.days(0, 700),
                primary_need=rng.choice(NEEDS),
                level=rng.randint(1, 4),
            )
    events = build.events[:size]
    _drop_dangling_links(events, size)
    if rng.random() < 0.3:
        rng.shuffle(events)
    as_of = start + build.days(150, 900)
    child = {
        "id": f"C-{number:06d}",
        "date_of_birth": _iso(date(2008, 1, 1) + timedelta(days=rng.randint(0, 3650))),
        "local_authority": "E09000033",
    }
    return {"child": child, "events": events}, _iso(as_of)


def _drop_dangling_links(events: list[dict], size: int) -> None:
    """Truncation may cut the event a link points to: re-point or drop such links."""
    ids = {event["id"] for event in events}
    for event in list(events):
        target = event.get("in_response_to")
        if target is not None and target not in ids:
            events.remove(event)
    while len(events) < size and events:
        last = date.fromisoformat(events[-1]["date"])
        events.append(
            {
                "id": f"x{len(events) + 1}",
                "type": "needs_identified",
                "date": _iso(last),
                "primary_need": "OTH",
                "level": 1,
            }
        )


def cohort(count: int, seed: int = 2025, size: int = 20) -> Iterator[tuple[dict, str]]:
    """``count`` journeys with their as_of dates, generated lazily (constant memory)."""
    rng = random.Random(seed)
    for number in range(count):
        yield journey(rng, number, size)
