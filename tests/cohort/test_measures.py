"""Each shipped measure on a cohort worked out by hand (as of 1 June 2025: the last calendar
year is 2024, the academic year so far runs from 1 September 2024, the last one is 2023/24)."""

from __future__ import annotations

from collections import defaultdict

import pyarrow.parquet as pq
import pytest

from .conftest import DRAFT, child, run_cohort

CAMDEN, BIRMINGHAM = "E09000007", "E08000025"


def journey(number, events, la=CAMDEN, born="2012-03-04"):
    return {
        "child": child(number, la, born),
        "events": [
            dict(event, id=event.get("id", f"e{index}")) for index, event in enumerate(events, start=1)
        ],
    }


def ev(event_type, day, **fields):
    return {"type": event_type, "date": day, **fields}


EHC = [
    # A: on time
    journey(1, [ev("assessment_requested", "2024-01-08"), ev("final_plan_issued", "2024-05-20")]),
    # B: late
    journey(
        2, [ev("assessment_requested", "2024-01-08"), ev("final_plan_issued", "2024-07-01")], la=BIRMINGHAM
    ),
    # C: late, but an exception applies (exempt)
    journey(
        3,
        [
            ev("assessment_requested", "2024-01-08"),
            ev("time_limit_exception", "2024-02-01", reason="absence_from_area"),
            ev("final_plan_issued", "2024-07-01"),
        ],
    ),
    # D: on time, though an exception applies (an exception case all the same)
    journey(
        4,
        [
            ev("assessment_requested", "2024-01-08"),
            ev("time_limit_exception", "2024-02-01", reason="exceptional_personal_circumstances"),
            ev("final_plan_issued", "2024-05-01"),
        ],
    ),
    # E: a plan of 2023: outside the period
    journey(5, [ev("assessment_requested", "2023-01-09"), ev("final_plan_issued", "2023-05-01")]),
    # F: refused in 2024
    journey(
        6,
        [
            ev("assessment_requested", "2024-03-04"),
            ev("assessment_decision", "2024-04-01", outcome="not_assess"),
        ],
    ),
]
EXCLUSIONS = [
    journey(
        7,
        [
            ev("exclusion", "2025-03-03", category="permanent"),
            ev("full_time_provision_started", "2025-03-10", arranged_by="local_authority"),
        ],
    ),  # met
    journey(
        8,
        [
            ev("exclusion", "2025-01-06", category="permanent"),
            ev("full_time_provision_started", "2025-01-20", arranged_by="local_authority"),
        ],
    ),  # late
    journey(
        9, [ev("exclusion", "2025-05-19", category="suspension", school_days=8)]
    ),  # overdue (26 May a holiday)
    journey(10, [ev("exclusion", "2024-06-03", category="permanent")]),  # due in 2023/24: outside
]
AP_FIELDS = dict(tier=2, registered=True, objectives_set=True)
ALTERNATIVE_PROVISION = [
    journey(
        11,
        [
            ev("ap_placement_started", "2024-09-02", id="p", arranged_by="school", **AP_FIELDS),
            ev("ap_placement_ended", "2024-10-01", in_response_to="p", destination="unknown"),
        ],
    ),
    journey(
        12,
        [
            ev("ap_placement_started", "2024-01-08", id="p", arranged_by="local_authority", **AP_FIELDS),
            ev("ap_placement_ended", "2024-12-20", in_response_to="p", destination="home_school"),
        ],
    ),
    journey(
        13, [ev("ap_placement_started", "2025-01-06", id="p", arranged_by="local_authority", **AP_FIELDS)]
    ),
    journey(
        14,
        [
            ev("ap_placement_started", "2023-10-02", id="p", arranged_by="school", **AP_FIELDS),
            ev("ap_placement_ended", "2024-02-05", in_response_to="p", destination="new_school"),
        ],
    ),
    journey(15, [ev("needs_identified", "2025-01-06", primary_need="ASD", level=2, setting="mainstream")]),
]


def totals(folder):
    """measure -> category -> [numerator, denominator], summed over every breakdown key."""
    table = pq.read_table(folder / "measures.parquet").to_pylist()
    result: dict = defaultdict(lambda: defaultdict(lambda: [0, 0]))
    for row in table:
        entry = result[row["measure"]][row["category"]]
        entry[0] += row["numerator"]
        entry[1] += row["denominator"]
    return {
        measure: {category: tuple(counts) for category, counts in by.items()}
        for measure, by in result.items()
    }


@pytest.fixture(scope="module")
def under_1_1(tmp_path_factory):
    folder, manifest = run_cohort(
        tmp_path_factory.mktemp("m"), EHC + EXCLUSIONS + ALTERNATIVE_PROVISION, standards="send-ap@1.1.0"
    )
    assert manifest["counts"]["errors"] == 0
    return totals(folder), manifest


def test_twenty_weeks_excluding_and_including_exception_cases(under_1_1):
    counts, _ = under_1_1
    assert counts["ehc.plans_within_20_weeks"] == {None: (1, 2)}  # A of A, B
    assert counts["ehc.plans_within_20_weeks_including_exceptions"] == {None: (2, 4)}  # A, D of A-D


def test_requests_refused(under_1_1):
    assert under_1_1[0]["ehc.requests_refused"] == {None: (1, 5)}  # F of the five 2024 requests


def test_annual_reviews_overdue(under_1_1):
    # A (due 19 May 2025), D (30 April 2025) and E (30 April 2024) overdue; B and C pending
    assert under_1_1[0]["ehc.annual_reviews_overdue"] == {None: (3, 5)}


def test_sixth_day_provision(under_1_1):
    assert under_1_1[0]["exclusion.sixth_day_provision_met"] == {None: (1, 3)}


def test_alternative_provision_measures(under_1_1):
    counts = under_1_1[0]
    assert counts["ap.placements_by_length"] == {"up to 6 weeks": (1, 1), "2 terms to a year": (1, 1)}
    assert counts["ap.reintegration_within_two_terms"] == {None: (1, 2)}  # 14 back within 26 weeks; 12 not
    assert counts["ap.moves_into_alternative_provision"] == {"school": (1, 1), "local_authority": (1, 1)}
    assert counts["ap.moves_out_of_alternative_provision"] == {"unknown": (1, 1), "home_school": (1, 1)}
    assert counts["ap.moves_to_unknown_destinations"] == {None: (1, 2)}
    assert counts["ap.budget"] == {None: (10_000, 1)}  # 13's placement, open and arranged by the LA


def test_high_needs_cost_follows_each_versions_table(under_1_1, tmp_path):
    assert under_1_1[0]["provision.high_needs_cost"] == {"Band 1": (1_600, 1)}
    draft, _ = run_cohort(tmp_path, EXCLUSIONS + ALTERNATIVE_PROVISION, standards=DRAFT)
    assert totals(draft)["provision.high_needs_cost"] == {"Band 1": (2_000, 1)}


def test_the_manifest_states_each_period(under_1_1):
    periods = {
        measure["id"]: (measure["period_start"], measure["period_end"])
        for measure in under_1_1[1]["measures"]
    }
    assert periods["ehc.plans_within_20_weeks"] == ("2024-01-01", "2024-12-31")
    assert periods["exclusion.sixth_day_provision_met"] == ("2024-09-01", "2025-06-01")
    assert periods["ap.reintegration_within_two_terms"] == ("2023-09-01", "2024-08-31")
    assert periods["ehc.annual_reviews_overdue"] == ("2025-06-01", "2025-06-01")


def test_measures_that_need_the_extended_vocabulary(tmp_path):
    journeys = [
        journey(
            20,
            [
                ev(
                    "part_time_timetable_started",
                    "2024-10-01",
                    id="t",
                    end_date="2024-11-01",
                    parent_agreed=True,
                    reason="medical",
                ),
                ev("part_time_timetable_ended", "2024-11-01", in_response_to="t"),
            ],
        ),
        journey(
            21,
            [
                ev(
                    "part_time_timetable_started",
                    "2025-01-06",
                    id="t",
                    end_date="2025-02-01",
                    parent_agreed=True,
                    reason="medical",
                )
            ],
        ),
        journey(
            22,
            [
                ev(
                    "part_time_timetable_started",
                    "2025-02-03",
                    id="t",
                    end_date="2025-03-01",
                    parent_agreed=True,
                    reason="reintegration",
                ),
                ev("part_time_timetable_ended", "2025-03-15", in_response_to="t"),
            ],
        ),
        journey(
            23,
            [
                ev(
                    "part_time_timetable_started",
                    "2025-05-01",
                    id="t",
                    end_date="2025-07-01",
                    parent_agreed=True,
                    reason="other",
                )
            ],
        ),
        journey(
            24,
            [
                ev("ap_placement_started", "2023-09-04", id="p", arranged_by="school", **AP_FIELDS),
                ev(
                    "ap_placement_ended",
                    "2023-11-06",
                    id="x",
                    in_response_to="p",
                    destination="further_education",
                ),
                ev("destination_checked", "2024-05-06", in_response_to="x", sustained=True),
            ],
        ),
        journey(
            25,
            [
                ev("ap_placement_started", "2023-09-04", id="p", arranged_by="school", **AP_FIELDS),
                ev(
                    "ap_placement_ended",
                    "2024-03-04",
                    id="x",
                    in_response_to="p",
                    destination="employment_or_training",
                ),
                ev("destination_checked", "2024-09-02", in_response_to="x", sustained=False),
            ],
        ),
        journey(
            26,
            [
                ev("ap_placement_started", "2023-09-04", id="p", arranged_by="school", **AP_FIELDS),
                ev("ap_placement_ended", "2024-05-06", in_response_to="p", destination="home_school"),
            ],
        ),
        journey(
            27,
            [
                ev("school_registered", "2020-09-01", id="s", school="100000", trust="TR1"),
                ev("school_left", "2024-10-01", in_response_to="s", destination="unknown"),
            ],
        ),
        journey(
            28,
            [
                ev("school_registered", "2020-09-01", id="s", school="100001"),
                ev("school_left", "2025-02-03", in_response_to="s", destination="another_school"),
            ],
        ),
    ]
    folder, manifest = run_cohort(tmp_path, journeys, standards=DRAFT)
    assert manifest["counts"]["errors"] == 0
    counts = totals(folder)
    assert counts["attendance.part_time_overrun"] == {None: (2, 3)}
    assert counts["ap.sustained_post16_destinations"] == {None: (1, 2)}
    assert counts["pupil_movement.unknown_destinations"] == {None: (1, 2)}


def test_school_and_trust_come_from_the_current_registration(tmp_path):
    journeys = [
        journey(
            30,
            [
                ev("school_registered", "2019-09-02", id="s1", school="111111"),
                ev("school_left", "2022-07-22", in_response_to="s1", destination="another_school"),
                ev("school_registered", "2022-09-05", id="s2", school="222222", trust="TR9"),
                ev("school_registered", "2025-09-01", id="s3", school="333333"),
                ev("assessment_requested", "2025-01-06"),
            ],
        )
    ]
    folder, _ = run_cohort(tmp_path, journeys, standards=DRAFT)
    rows = pq.read_table(folder / "findings.parquet").to_pylist()
    assert {(row["school"], row["trust"], row["region"]) for row in rows} == {("222222", "TR9", "E12000007")}
