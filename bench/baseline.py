"""The ten rules of send-ap 1.0.0 written by hand in plain Python.

This is the yardstick for the engine: the same rules, with no rules language, no IR and no
generality. It shares only the calendar (date arithmetic is not rule logic). It returns each
finding as a tuple ``(rule, trigger, status, due, satisfied_by, exception, duty_holder)``.

It doubles as an independent oracle: tests/engine/test_baseline_agreement.py checks that the
evaluator and this function agree on a seeded cohort.
"""

from __future__ import annotations

from datetime import date, timedelta

from sendrules.engine import calendar as cal
from sendrules.engine.journey import Journey

WEEK = 7
ADVICE_HOLDER = {"medical": "icb", "educational": "school"}


def baseline_findings(journey: Journey, as_of: date, calendar: cal.Calendar) -> list[tuple]:
    visible = sorted((e for e in journey.events if e.date <= as_of), key=lambda e: (e.date, e.index))
    by_type: dict[str, list] = {}
    for event in visible:
        by_type.setdefault(event.type, []).append(event)

    def of(kind):
        return by_type.get(kind, [])

    def first_after(kind, anchor, test=None):
        for event in of(kind):
            if event.date >= anchor.date and event is not anchor and (test is None or test(event)):
                return event
        return None

    def first_linked(kind, anchor):
        for event in of(kind):
            if event.fields.get("in_response_to") == anchor.id:
                return event
        return None

    def exception_for(trigger, due):
        for event in of("time_limit_exception"):
            if trigger.date <= event.date <= due:
                return event
        return None

    def deadline(rule, trigger, due, found, holder, exempt_allowed=False):
        if found is not None:
            status = "met" if found.date <= due else "late"
        else:
            status = "pending" if as_of <= due else "overdue"
        exception = None
        if exempt_allowed and status in ("late", "overdue"):
            excuse = exception_for(trigger, due)
            if excuse is not None:
                status, exception = "exempt", excuse.id
        out.append((rule, trigger.id, status, due, found.id if found else None, exception, holder))

    out: list[tuple] = []

    for request in of("assessment_requested"):
        decision = first_after("assessment_decision", request)
        deadline(
            "ehc.assessment_decision",
            request,
            request.date + timedelta(days=6 * WEEK),
            decision,
            "local_authority",
            exempt_allowed=True,
        )
        no_plan = first_after("plan_decision", request, lambda e: e.fields["outcome"] == "not_issue")
        if no_plan is not None:
            deadline(
                "ehc.no_plan_notice",
                request,
                request.date + timedelta(days=16 * WEEK),
                no_plan,
                "local_authority",
                exempt_allowed=True,
            )
        refused = first_after("assessment_decision", request, lambda e: e.fields["outcome"] == "not_assess")
        if refused is None and no_plan is None:
            deadline(
                "ehc.final_plan",
                request,
                request.date + timedelta(days=20 * WEEK),
                first_after("final_plan_issued", request),
                "local_authority",
                exempt_allowed=True,
            )

    for asked in of("advice_requested"):
        deadline(
            "ehc.advice_response",
            asked,
            asked.date + timedelta(days=6 * WEEK),
            first_linked("advice_received", asked),
            ADVICE_HOLDER.get(asked.fields["advice"], "local_authority"),
        )

    for draft in of("draft_plan_issued"):
        final = first_after("final_plan_issued", draft)
        earliest = draft.date + timedelta(days=15)
        status = "pending" if final is None else ("met" if final.date >= earliest else "breached")
        out.append(
            (
                "ehc.draft_comment_period",
                draft.id,
                status,
                None,
                final.id if final else None,
                None,
                "local_authority",
            )
        )

    previous_events = sorted(of("final_plan_issued") + of("review_meeting"), key=lambda e: (e.date, e.index))
    for previous in previous_events:
        due = cal.end_of_months_starting_with(previous.date, 12)
        following = first_after("review_meeting", previous)
        ceased = first_after(
            "plan_ceased",
            previous,
            lambda e: e.date <= due and (following is None or e.date < following.date),
        )
        if ceased is None:
            deadline("ehc.annual_review", previous, due, following, "local_authority")

    for meeting in of("review_meeting"):
        deadline(
            "ehc.review_report",
            meeting,
            meeting.date + timedelta(days=2 * WEEK),
            first_linked("review_report_sent", meeting),
            "local_authority",
        )
        deadline(
            "ehc.review_decision",
            meeting,
            meeting.date + timedelta(days=4 * WEEK),
            first_linked("review_decision", meeting),
            "local_authority",
        )

    for transfer in of("phase_transfer_scheduled"):
        moving = transfer.fields["transfer_date"]
        kind = transfer.fields["kind"]
        if kind == "school":
            due = date(moving.year, 2, 14)
        elif kind == "secondary_to_post16":
            due = date(moving.year, 3, 30)
        else:
            due = cal.months_before_clamped(moving, 5)
        deadline(
            "ehc.phase_transfer",
            transfer,
            due,
            first_after("amended_plan_issued", transfer),
            "local_authority",
        )

    for exclusion in of("exclusion"):
        category = exclusion.fields["category"]
        if category == "permanent" or (
            category == "suspension" and exclusion.fields.get("school_days", 0) > 5
        ):
            deadline(
                "exclusion.sixth_day_provision",
                exclusion,
                calendar.nth_school_day(exclusion.date, 6),
                first_after("full_time_provision_started", exclusion),
                "school" if category == "suspension" else "local_authority",
            )

    out.sort(key=lambda f: (f[3] is None, f[3] or date.min, f[0], f[1]))
    return out
