"""Tests for engine/calendar.py: the single implementation of statutory date arithmetic.

Every expected date below was worked out by hand from the decision contract, not by
calling the module: weeks/days are plain additions; "N months of X" clamps to the month's
last day; "N months starting with X" ends the day before the corresponding date, which rolls
forward to the 1st of the next month when the day is missing; school days count X as day 1
when X is a school day; "within N school/working days of X" does not count X.
"""

from __future__ import annotations

import calendar as stdlib_calendar
import datetime as dt
import sys
import time
import tomllib
from datetime import date, timedelta
from pathlib import Path

import holidays
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sendrules.engine import calendar as cal
from sendrules.engine.calendar import (
    EARLIEST_DATE,
    LATEST_DATE,
    MONTH_NAMES,
    Calendar,
    ClosureRange,
    add_days,
    add_months_clamped,
    add_weeks,
    corresponding_date_rolling_forward,
    day_before,
    end_of_months_starting_with,
    holidays_data_version,
    is_bank_holiday,
    is_working_day,
    last_day_of_month,
    months_before_clamped,
)


def d(iso: str) -> date:
    return date.fromisoformat(iso)


def closure(start: str, end: str) -> ClosureRange:
    return ClosureRange(d(start), d(end))


# =========================================================================================
# 1. Boundary tables: calendar-day arithmetic
# =========================================================================================


@pytest.mark.parametrize(
    ("start", "days", "expected"),
    [
        # leap years: 2024 and 2028 leap, 2100 not (century), 2000 leap (400)
        ("2024-02-28", 1, "2024-02-29"),
        ("2024-02-28", 2, "2024-03-01"),
        ("2023-02-28", 1, "2023-03-01"),
        ("2028-02-28", 1, "2028-02-29"),
        ("2100-02-28", 1, "2100-03-01"),
        ("2000-02-28", 1, "2000-02-29"),
        ("1900-02-28", 1, "1900-03-01"),
        # month ends of 30- and 31-day months
        ("2025-04-30", 1, "2025-05-01"),
        ("2025-03-31", 1, "2025-04-01"),
        ("2025-01-31", 28, "2025-02-28"),
        ("2024-01-31", 29, "2024-02-29"),
        ("2024-01-31", 30, "2024-03-01"),
        # year ends, forwards and backwards
        ("2024-12-31", 1, "2025-01-01"),
        ("2025-01-01", -1, "2024-12-31"),
        ("2024-01-01", 365, "2024-12-31"),
        ("2024-01-01", 366, "2025-01-01"),
        ("2025-01-01", 365, "2026-01-01"),
        # zero days is the day itself
        ("2025-06-15", 0, "2025-06-15"),
        # N-1, N, N+1 around "within 15 days"
        ("2025-01-20", 14, "2025-02-03"),
        ("2025-01-20", 15, "2025-02-04"),
        ("2025-01-20", 16, "2025-02-05"),
        # N-1, N, N+1 around "within 15 days" across leap day
        ("2024-02-20", 14, "2024-03-05"),
        ("2024-02-20", 15, "2024-03-06"),
        ("2024-02-20", 16, "2024-03-07"),
    ],
)
def test_add_days(start, days, expected):
    assert add_days(d(start), days) == d(expected)


@pytest.mark.parametrize(
    ("start", "weeks", "expected"),
    [
        # leap years
        ("2024-02-22", 1, "2024-02-29"),
        ("2023-02-22", 1, "2023-03-01"),
        ("2028-02-22", 1, "2028-02-29"),
        ("2100-02-22", 1, "2100-03-01"),
        ("2000-02-22", 1, "2000-02-29"),
        # month ends
        ("2025-01-31", 4, "2025-02-28"),
        ("2025-04-30", 1, "2025-05-07"),
        ("2025-03-31", 1, "2025-04-07"),
        # year ends
        ("2024-12-20", 2, "2025-01-03"),
        ("2024-12-31", 1, "2025-01-07"),
        ("2024-01-01", 52, "2024-12-30"),
        ("2025-01-01", 52, "2025-12-31"),
        # zero weeks
        ("2025-06-15", 0, "2025-06-15"),
        # N-1, N, N+1 around "within 6 weeks"
        ("2025-01-06", 5, "2025-02-10"),
        ("2025-01-06", 6, "2025-02-17"),
        ("2025-01-06", 7, "2025-02-24"),
        # N-1, N, N+1 around "within 16 weeks"
        ("2025-01-06", 15, "2025-04-21"),
        ("2025-01-06", 16, "2025-04-28"),
        ("2025-01-06", 17, "2025-05-05"),
        # N-1, N, N+1 around "within 20 weeks" (EHC plan), across a leap day
        ("2023-11-01", 19, "2024-03-13"),
        ("2023-11-01", 20, "2024-03-20"),
        ("2023-11-01", 21, "2024-03-27"),
        # ... and across a non-leap February
        ("2024-11-01", 19, "2025-03-14"),
        ("2024-11-01", 20, "2025-03-21"),
        ("2024-11-01", 21, "2025-03-28"),
    ],
)
def test_add_weeks(start, weeks, expected):
    assert add_weeks(d(start), weeks) == d(expected)


@pytest.mark.parametrize(
    ("year", "month", "expected"),
    [
        (2023, 1, 31),
        (2023, 2, 28),
        (2023, 3, 31),
        (2023, 4, 30),
        (2023, 5, 31),
        (2023, 6, 30),
        (2023, 7, 31),
        (2023, 8, 31),
        (2023, 9, 30),
        (2023, 10, 31),
        (2023, 11, 30),
        (2023, 12, 31),
        (2024, 2, 29),
        (2028, 2, 29),
        (2100, 2, 28),
        (2000, 2, 29),
        (1900, 2, 28),
        (2400, 2, 29),
        (2025, 2, 28),
        (2024, 12, 31),
    ],
)
def test_last_day_of_month(year, month, expected):
    assert last_day_of_month(year, month) == expected


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        # every month end of 2023 plus one month
        ("2023-01-31", 1, "2023-02-28"),
        ("2023-02-28", 1, "2023-03-28"),
        ("2023-03-31", 1, "2023-04-30"),
        ("2023-04-30", 1, "2023-05-30"),
        ("2023-05-31", 1, "2023-06-30"),
        ("2023-06-30", 1, "2023-07-30"),
        ("2023-07-31", 1, "2023-08-31"),
        ("2023-08-31", 1, "2023-09-30"),
        ("2023-09-30", 1, "2023-10-30"),
        ("2023-10-31", 1, "2023-11-30"),
        ("2023-11-30", 1, "2023-12-30"),
        ("2023-12-31", 1, "2024-01-31"),
        # leap years: 31 Jan + 1 month = 28/29 Feb
        ("2024-01-31", 1, "2024-02-29"),
        ("2024-01-30", 1, "2024-02-29"),
        ("2024-01-29", 1, "2024-02-29"),
        ("2024-01-28", 1, "2024-02-28"),
        ("2023-01-29", 1, "2023-02-28"),
        ("2028-01-31", 1, "2028-02-29"),
        ("2100-01-31", 1, "2100-02-28"),
        ("2100-01-29", 1, "2100-02-28"),
        ("2000-01-31", 1, "2000-02-29"),
        ("1900-01-31", 1, "1900-02-28"),
        ("2024-02-29", 12, "2025-02-28"),
        ("2024-02-29", 48, "2028-02-29"),
        ("2096-02-29", 48, "2100-02-28"),
        ("1996-02-29", 48, "2000-02-29"),
        # year ends
        ("2024-12-31", 1, "2025-01-31"),
        ("2024-12-31", 2, "2025-02-28"),
        ("2024-12-15", 1, "2025-01-15"),
        ("2024-11-30", 1, "2024-12-30"),
        ("2024-11-30", 2, "2025-01-30"),
        ("2024-01-01", 12, "2025-01-01"),
        ("2024-12-31", 12, "2025-12-31"),
        # zero and negative months
        ("2025-05-31", 0, "2025-05-31"),
        ("2024-03-31", -1, "2024-02-29"),
        ("2025-01-15", -1, "2024-12-15"),
        # N-1, N, N+1 around 12 months from 31 March 2024
        ("2024-03-31", 11, "2025-02-28"),
        ("2024-03-31", 12, "2025-03-31"),
        ("2024-03-31", 13, "2025-04-30"),
        # N-1, N, N+1 around 6 months from 31 August 2023
        ("2023-08-31", 5, "2024-01-31"),
        ("2023-08-31", 6, "2024-02-29"),
        ("2023-08-31", 7, "2024-03-31"),
        # N-1, N, N+1 around 1 month (N-1 = 0 is the day itself)
        ("2025-01-31", 0, "2025-01-31"),
        ("2025-01-31", 2, "2025-03-31"),
    ],
)
def test_add_months_clamped(start, months, expected):
    assert add_months_clamped(d(start), months) == d(expected)


@pytest.mark.parametrize(
    ("anchor", "months", "expected"),
    [
        # leap years
        ("2024-03-31", 1, "2024-02-29"),
        ("2024-03-29", 1, "2024-02-29"),
        ("2024-03-28", 1, "2024-02-28"),
        ("2023-03-31", 1, "2023-02-28"),
        ("2023-03-29", 1, "2023-02-28"),
        ("2028-03-31", 1, "2028-02-29"),
        ("2100-03-31", 1, "2100-02-28"),
        ("2000-03-31", 1, "2000-02-29"),
        ("2024-02-29", 12, "2023-02-28"),
        ("2024-02-29", 48, "2020-02-29"),
        ("2100-02-28", 48, "2096-02-28"),
        # month ends: 31-day months preceded by 30-day months
        ("2025-05-31", 1, "2025-04-30"),
        ("2025-07-31", 1, "2025-06-30"),
        ("2025-10-31", 1, "2025-09-30"),
        ("2025-12-31", 1, "2025-11-30"),
        ("2025-08-31", 1, "2025-07-31"),
        ("2025-04-30", 1, "2025-03-30"),
        # year ends
        ("2025-01-15", 1, "2024-12-15"),
        ("2025-01-31", 1, "2024-12-31"),
        ("2025-01-31", 2, "2024-11-30"),
        ("2024-12-31", 1, "2024-11-30"),
        ("2025-01-01", 12, "2024-01-01"),
        # zero months
        ("2025-06-15", 0, "2025-06-15"),
        # N-1, N, N+1 around "6 months before 31 August 2025"
        ("2025-08-31", 5, "2025-03-31"),
        ("2025-08-31", 6, "2025-02-28"),
        ("2025-08-31", 7, "2025-01-31"),
        # N-1, N, N+1 around "12 months before 29 February 2028"
        ("2028-02-29", 11, "2027-03-29"),
        ("2028-02-29", 12, "2027-02-28"),
        ("2028-02-29", 13, "2027-01-29"),
    ],
)
def test_months_before_clamped(anchor, months, expected):
    assert months_before_clamped(d(anchor), months) == d(expected)


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        # the contract's worked examples
        ("2023-03-01", 12, "2024-03-01"),
        ("2024-02-29", 12, "2025-03-01"),
        ("2025-01-31", 1, "2025-03-01"),
        # leap years: a missing day rolls to 1 March
        ("2024-01-31", 1, "2024-03-01"),
        ("2024-01-30", 1, "2024-03-01"),
        ("2024-01-29", 1, "2024-02-29"),
        ("2023-01-29", 1, "2023-03-01"),
        ("2023-01-28", 1, "2023-02-28"),
        ("2028-01-30", 1, "2028-03-01"),
        ("2028-01-29", 1, "2028-02-29"),
        ("2100-01-29", 1, "2100-03-01"),
        ("2000-01-29", 1, "2000-02-29"),
        ("2000-01-30", 1, "2000-03-01"),
        ("2096-02-29", 48, "2100-03-01"),
        ("1996-02-29", 48, "2000-02-29"),
        # month ends: 31st into 30-day months rolls to the 1st of the month after
        ("2025-03-31", 1, "2025-05-01"),
        ("2025-05-31", 1, "2025-07-01"),
        ("2025-08-31", 1, "2025-10-01"),
        ("2025-10-31", 1, "2025-12-01"),
        ("2025-07-31", 1, "2025-08-31"),
        ("2025-04-30", 1, "2025-05-30"),
        ("2025-11-30", 1, "2025-12-30"),
        # year ends
        ("2025-12-31", 1, "2026-01-31"),
        ("2025-12-31", 2, "2026-03-01"),
        ("2024-12-31", 2, "2025-03-01"),
        ("2023-12-31", 2, "2024-03-01"),
        ("2024-11-30", 3, "2025-03-01"),  # 30 Feb 2025 missing -> 1 Mar 2025
        # zero months: the day itself
        ("2025-06-15", 0, "2025-06-15"),
        # N-1, N, N+1 around 12 months starting with 29 Feb 2024
        ("2024-02-29", 11, "2025-01-29"),
        ("2024-02-29", 13, "2025-03-29"),
    ],
)
def test_corresponding_date_rolling_forward(start, months, expected):
    assert corresponding_date_rolling_forward(d(start), months) == d(expected)


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        # the contract's worked examples
        ("2023-03-01", 12, "2024-02-29"),
        ("2024-02-29", 12, "2025-02-28"),
        ("2025-01-31", 1, "2025-02-28"),
        # leap years
        ("2024-01-31", 1, "2024-02-29"),
        ("2024-01-30", 1, "2024-02-29"),
        ("2024-01-29", 1, "2024-02-28"),
        ("2023-01-29", 1, "2023-02-28"),
        ("2023-01-28", 1, "2023-02-27"),
        ("2028-01-31", 1, "2028-02-29"),
        ("2100-01-29", 1, "2100-02-28"),
        ("2100-01-31", 1, "2100-02-28"),
        ("2000-01-30", 1, "2000-02-29"),
        ("2000-01-29", 1, "2000-02-28"),
        ("2024-02-29", 48, "2028-02-28"),
        ("2096-02-29", 48, "2100-02-28"),
        ("2022-03-01", 12, "2023-02-28"),
        ("2099-03-01", 12, "2100-02-28"),
        ("1999-03-01", 12, "2000-02-29"),
        # month ends
        ("2025-03-31", 1, "2025-04-30"),
        ("2025-05-31", 1, "2025-06-30"),
        ("2025-07-31", 1, "2025-08-30"),
        ("2025-04-30", 1, "2025-05-29"),
        ("2025-04-01", 1, "2025-04-30"),
        ("2025-05-01", 1, "2025-05-31"),
        ("2025-02-01", 1, "2025-02-28"),
        ("2024-02-01", 1, "2024-02-29"),
        # year ends
        ("2024-12-01", 1, "2024-12-31"),
        ("2025-01-01", 12, "2025-12-31"),
        ("2024-12-31", 1, "2025-01-30"),
        ("2024-12-31", 2, "2025-02-28"),
        ("2023-12-31", 2, "2024-02-29"),
        # N-1, N, N+1 around 12 months starting with 1 March 2023
        ("2023-03-01", 11, "2024-01-31"),
        ("2023-03-01", 13, "2024-03-31"),
        # N-1, N, N+1 around 12 months starting with 29 February 2024
        ("2024-02-29", 11, "2025-01-28"),
        ("2024-02-29", 13, "2025-03-28"),
        # N-1, N, N+1 around 1 month starting with 31 January 2025
        ("2025-01-31", 0, "2025-01-30"),
        ("2025-01-31", 2, "2025-03-30"),
    ],
)
def test_end_of_months_starting_with(start, months, expected):
    assert end_of_months_starting_with(d(start), months) == d(expected)


@pytest.mark.parametrize(
    ("day", "month", "year", "expected"),
    [
        # the contract's worked examples
        (15, 2, 2025, "2025-02-14"),
        (31, 3, 2025, "2025-03-30"),
        # leap years: "before 1 March"
        (1, 3, 2024, "2024-02-29"),
        (1, 3, 2023, "2023-02-28"),
        (1, 3, 2028, "2028-02-29"),
        (1, 3, 2100, "2100-02-28"),
        (1, 3, 2000, "2000-02-29"),
        (29, 2, 2024, "2024-02-28"),
        # year end: "before 1 January"
        (1, 1, 2025, "2024-12-31"),
        (31, 12, 2025, "2025-12-30"),
        # every month's first day -> the previous month's last day (2025)
        (1, 2, 2025, "2025-01-31"),
        (1, 4, 2025, "2025-03-31"),
        (1, 5, 2025, "2025-04-30"),
        (1, 6, 2025, "2025-05-31"),
        (1, 7, 2025, "2025-06-30"),
        (1, 8, 2025, "2025-07-31"),
        (1, 9, 2025, "2025-08-31"),
        (1, 10, 2025, "2025-09-30"),
        (1, 11, 2025, "2025-10-31"),
        (1, 12, 2025, "2025-11-30"),
        # the month-end days themselves
        (31, 1, 2025, "2025-01-30"),
        (30, 4, 2025, "2025-04-29"),
        (28, 2, 2025, "2025-02-27"),
    ],
)
def test_day_before(day, month, year, expected):
    assert day_before(day, month, year) == d(expected)


@pytest.mark.parametrize(
    ("day", "month", "year"), [(29, 2, 2025), (29, 2, 2100), (30, 2, 2024), (31, 4, 2025)]
)
def test_day_before_rejects_a_date_that_does_not_exist(day, month, year):
    with pytest.raises(ValueError):
        day_before(day, month, year)


def test_holidays_data_version_names_the_pinned_package():
    pyproject = tomllib.loads((Path(__file__).parents[2] / "pyproject.toml").read_text())
    pins = [dep for dep in pyproject["project"]["dependencies"] if dep.startswith("holidays==")]
    assert len(pins) == 1
    pinned = pins[0].split("==", 1)[1]
    assert holidays.__version__ == pinned
    assert holidays_data_version() == f"holidays {pinned}"


def test_module_constants():
    assert MONTH_NAMES == tuple(stdlib_calendar.month_name[1:])
    assert EARLIEST_DATE == date(1900, 1, 1)
    assert LATEST_DATE == date(2199, 12, 31)
    assert EARLIEST_DATE < LATEST_DATE


# =========================================================================================
# 2. Bank holidays and working days (England and Wales)
# =========================================================================================

ENGLAND_BANK_HOLIDAYS = [
    # one-off days
    "2020-05-08",  # VE Day 75 (early May bank holiday moved from 4 May)
    "2022-06-02",  # Platinum Jubilee (spring bank holiday moved)
    "2022-06-03",  # Platinum Jubilee
    "2022-09-19",  # State Funeral of Queen Elizabeth II
    "2023-05-08",  # Coronation of King Charles III
    # substitute days
    "2020-12-28",
    "2021-12-27",
    "2021-12-28",
    "2022-01-03",
    "2022-12-27",
    "2023-01-02",
    "2026-12-28",
    "2027-12-27",
    "2027-12-28",
    # 2025
    "2025-01-01",
    "2025-04-18",
    "2025-04-21",
    "2025-05-05",
    "2025-05-26",
    "2025-08-25",
    "2025-12-25",
    "2025-12-26",
    # 2026
    "2026-01-01",
    "2026-04-03",
    "2026-04-06",
    "2026-05-04",
    "2026-05-25",
    "2026-08-31",
    "2026-12-25",
    # Easter Monday is a bank holiday in England (though not in Scotland)
    "2023-04-10",
    "2024-04-01",
    # other one-off England-and-Wales days
    "1999-12-31",
    "2011-04-29",
    "2012-06-04",
    "2012-06-05",
]

NOT_ENGLAND_BANK_HOLIDAYS = [
    # 2 January: Scotland only (and Scottish substitute days for it)
    "2020-01-02",
    "2024-01-02",
    "2025-01-02",
    "2026-01-02",
    "2021-01-04",
    "2022-01-04",
    "2023-01-03",
    # St Andrew's Day and its substitute: Scotland only
    "2023-11-30",
    "2026-11-30",
    "2024-12-02",
    # Scottish summer bank holiday (first Monday in August)
    "2025-08-04",
    "2026-08-03",
    # St Patrick's Day: Northern Ireland only
    "2023-03-17",
    "2025-03-17",
    "2026-03-17",
    # Battle of the Boyne and its substitutes: Northern Ireland only
    "2023-07-12",
    "2024-07-12",
    "2027-07-12",
    "2025-07-14",
    "2026-07-13",
    # ordinary weekdays next to bank holidays
    "2020-05-04",  # the usual early May Monday, moved in 2020
    "2022-05-30",  # the usual spring Monday, moved in 2022
    "2022-06-01",
    "2022-06-06",
    "2022-09-16",
    "2022-09-20",
    "2023-05-09",
    "2025-01-03",
    "2025-04-17",
    "2025-04-22",
    "2025-12-24",
    "2025-12-29",
    "2026-12-29",
    "2027-12-29",
    "2024-02-29",
    "2026-01-02",
]

WEEKEND_DAYS = [
    "2025-01-04",  # Saturday
    "2025-01-05",  # Sunday
    "2024-03-02",  # Saturday
    "2021-12-25",  # Christmas Day on a Saturday (substituted to 27 Dec)
    "2021-12-26",  # Boxing Day on a Sunday (substituted to 28 Dec)
    "2022-01-01",  # New Year's Day on a Saturday (substituted to 3 Jan)
    "2022-12-25",  # Christmas Day on a Sunday
    "2026-12-26",  # Boxing Day on a Saturday
    "2100-02-27",  # Saturday in a non-leap century year
]


@pytest.mark.parametrize("day", ENGLAND_BANK_HOLIDAYS)
def test_england_bank_holidays_are_bank_holidays(day):
    assert d(day).weekday() < 5, "table error: listed bank holidays are all weekdays"
    assert is_bank_holiday(d(day)) is True
    assert is_working_day(d(day)) is False
    assert Calendar().is_school_day(d(day)) is False


@pytest.mark.parametrize("day", NOT_ENGLAND_BANK_HOLIDAYS)
def test_scottish_ni_and_ordinary_weekdays_are_not_bank_holidays(day):
    assert d(day).weekday() < 5, "table error: these are all weekdays"
    assert is_bank_holiday(d(day)) is False
    assert is_working_day(d(day)) is True
    assert Calendar().is_school_day(d(day)) is True


@pytest.mark.parametrize("day", WEEKEND_DAYS)
def test_weekends_are_never_working_or_school_days(day):
    assert d(day).weekday() >= 5, "table error: these are all weekend days"
    assert is_working_day(d(day)) is False
    assert Calendar().is_school_day(d(day)) is False


@pytest.mark.parametrize(
    ("year", "expected"),
    [
        (
            2025,
            [
                "2025-01-01",
                "2025-04-18",
                "2025-04-21",
                "2025-05-05",
                "2025-05-26",
                "2025-08-25",
                "2025-12-25",
                "2025-12-26",
            ],
        ),
        (
            2026,
            [
                "2026-01-01",
                "2026-04-03",
                "2026-04-06",
                "2026-05-04",
                "2026-05-25",
                "2026-08-31",
                "2026-12-25",
                "2026-12-28",
            ],
        ),
        (
            2022,
            [
                "2022-01-03",
                "2022-04-15",
                "2022-04-18",
                "2022-05-02",
                "2022-06-02",
                "2022-06-03",
                "2022-08-29",
                "2022-09-19",
                "2022-12-26",
                "2022-12-27",
            ],
        ),
    ],
)
def test_complete_weekday_bank_holidays_of_a_year(year, expected):
    """Exactly these weekdays of the year are bank holidays: nothing more, nothing less."""
    found = []
    day = date(year, 1, 1)
    while day.year == year:
        if day.weekday() < 5 and is_bank_holiday(day):
            found.append(day)
        day += timedelta(days=1)
    assert found == [d(x) for x in expected]


# =========================================================================================
# 3. Closures and school days
# =========================================================================================


def test_closure_range_rejects_end_before_start():
    with pytest.raises(ValueError):
        ClosureRange(d("2025-04-21"), d("2025-04-07"))
    with pytest.raises(ValueError):
        ClosureRange(d("2025-01-01"), d("2024-12-31"))


def test_closure_range_single_day_is_allowed_and_inclusive():
    single = closure("2025-03-12", "2025-03-12")
    assert single.contains(d("2025-03-12"))
    assert not single.contains(d("2025-03-11"))
    assert not single.contains(d("2025-03-13"))


@pytest.mark.parametrize(
    ("day", "inside"),
    [
        ("2025-04-06", False),
        ("2025-04-07", True),  # first day inclusive
        ("2025-04-14", True),
        ("2025-04-21", True),  # last day inclusive
        ("2025-04-22", False),
    ],
)
def test_closure_range_contains_is_inclusive(day, inside):
    assert closure("2025-04-07", "2025-04-21").contains(d(day)) is inside


def test_closure_range_is_frozen():
    c = closure("2025-04-07", "2025-04-21")
    with pytest.raises(Exception):
        c.start = d("2025-04-01")  # type: ignore[misc]


def test_calendar_sorts_its_closures_and_accepts_any_iterable():
    later = closure("2025-10-27", "2025-10-31")
    earlier = closure("2025-02-17", "2025-02-21")
    calendar = Calendar(c for c in [later, earlier])
    assert calendar.school_closures == (earlier, later)
    assert Calendar().school_closures == ()


HALF_TERM = closure("2025-02-17", "2025-02-21")  # Mon-Fri
EASTER_CLOSURE = closure("2025-04-07", "2025-04-21")  # covers Good Friday and Easter Monday
SINGLE_DAY = closure("2025-03-12", "2025-03-12")  # a Wednesday
ADJACENT = (closure("2025-03-10", "2025-03-12"), closure("2025-03-13", "2025-03-14"))
OVERLAPPING = (closure("2025-03-10", "2025-03-13"), closure("2025-03-12", "2025-03-18"))


@pytest.mark.parametrize(
    ("closures", "day", "expected"),
    [
        ((), "2025-01-06", True),
        ((), "2025-01-04", False),  # Saturday
        ((), "2025-01-05", False),  # Sunday
        ((), "2025-04-18", False),  # Good Friday
        ((HALF_TERM,), "2025-02-14", True),
        ((HALF_TERM,), "2025-02-17", False),
        ((HALF_TERM,), "2025-02-19", False),
        ((HALF_TERM,), "2025-02-21", False),
        ((HALF_TERM,), "2025-02-24", True),
        ((SINGLE_DAY,), "2025-03-11", True),
        ((SINGLE_DAY,), "2025-03-12", False),
        ((SINGLE_DAY,), "2025-03-13", True),
        (ADJACENT, "2025-03-12", False),
        (ADJACENT, "2025-03-13", False),
        (ADJACENT, "2025-03-17", True),
        (OVERLAPPING, "2025-03-12", False),
        (OVERLAPPING, "2025-03-18", False),
        (OVERLAPPING, "2025-03-19", True),
        ((EASTER_CLOSURE,), "2025-04-18", False),
        ((EASTER_CLOSURE,), "2025-04-22", True),
    ],
)
def test_is_school_day(closures, day, expected):
    assert Calendar(closures).is_school_day(d(day)) is expected


@pytest.mark.parametrize(
    ("closures", "day", "expected"),
    [
        ((), "2025-02-19", False),
        ((HALF_TERM,), "2025-02-16", False),
        ((HALF_TERM,), "2025-02-17", True),
        ((HALF_TERM,), "2025-02-21", True),
        ((HALF_TERM,), "2025-02-22", False),
        ((HALF_TERM, EASTER_CLOSURE), "2025-04-12", True),  # weekend inside a closure
        (OVERLAPPING, "2025-03-13", True),
    ],
)
def test_is_school_closure(closures, day, expected):
    assert Calendar(closures).is_school_closure(d(day)) is expected


@pytest.mark.parametrize(
    ("closures", "start", "n", "expected"),
    [
        # start on a school day: day 1 is the day itself
        ((), "2025-01-06", 1, "2025-01-06"),
        ((), "2025-01-06", 4, "2025-01-09"),
        ((), "2025-01-06", 5, "2025-01-10"),
        ((), "2025-01-06", 6, "2025-01-13"),
        # start on a Saturday / Sunday: next school day is day 1
        ((), "2025-01-11", 1, "2025-01-13"),
        ((), "2025-01-11", 6, "2025-01-20"),
        ((), "2025-01-12", 1, "2025-01-13"),
        ((), "2025-01-12", 6, "2025-01-20"),
        # start on a bank holiday
        ((), "2025-05-05", 1, "2025-05-06"),
        ((), "2025-05-05", 6, "2025-05-13"),
        ((), "2025-04-18", 1, "2025-04-22"),  # Good Friday -> Tuesday after Easter Monday
        # the 6th school day across Easter 2025 (18 and 21 April are bank holidays)
        ((), "2025-04-16", 5, "2025-04-24"),
        ((), "2025-04-16", 6, "2025-04-25"),
        ((), "2025-04-16", 7, "2025-04-28"),
        ((), "2025-04-17", 6, "2025-04-28"),
        ((), "2025-04-18", 6, "2025-04-29"),
        # the 6th school day across the Platinum Jubilee (2 and 3 June 2022)
        ((), "2022-05-31", 6, "2022-06-09"),
        ((), "2022-06-01", 5, "2022-06-09"),
        ((), "2022-06-01", 6, "2022-06-10"),
        ((), "2022-06-01", 7, "2022-06-13"),
        ((), "2022-06-02", 1, "2022-06-06"),
        # the 6th school day across the State Funeral (19 September 2022)
        ((), "2022-09-16", 6, "2022-09-26"),
        ((), "2022-09-19", 6, "2022-09-27"),
        ((), "2022-09-19", 1, "2022-09-20"),
        # across the Coronation (8 May 2023) and VE Day (8 May 2020)
        ((), "2023-05-05", 2, "2023-05-09"),
        ((), "2020-05-07", 2, "2020-05-11"),
        # year ends with substitute days
        ((), "2025-12-24", 2, "2025-12-29"),
        ((), "2026-12-24", 2, "2026-12-29"),
        ((), "2027-12-24", 2, "2027-12-29"),
        ((), "2021-12-24", 2, "2021-12-29"),
        ((), "2022-12-23", 2, "2022-12-28"),
        ((), "2022-12-30", 2, "2023-01-03"),
        ((), "2021-12-31", 2, "2022-01-04"),
        ((), "2020-12-24", 2, "2020-12-29"),
        # a leap day is an ordinary school day
        ((), "2024-02-28", 2, "2024-02-29"),
        ((), "2024-02-29", 2, "2024-03-01"),
        # start inside a closure
        ((HALF_TERM,), "2025-02-19", 1, "2025-02-24"),
        ((HALF_TERM,), "2025-02-19", 6, "2025-03-03"),
        ((HALF_TERM,), "2025-02-17", 1, "2025-02-24"),  # first day of the closure
        ((HALF_TERM,), "2025-02-21", 1, "2025-02-24"),  # last day of the closure
        # start the day before a closure
        ((HALF_TERM,), "2025-02-14", 1, "2025-02-14"),
        ((HALF_TERM,), "2025-02-14", 2, "2025-02-24"),
        ((HALF_TERM,), "2025-02-14", 6, "2025-02-28"),
        # a single-day closure
        ((SINGLE_DAY,), "2025-03-11", 2, "2025-03-13"),
        ((SINGLE_DAY,), "2025-03-12", 1, "2025-03-13"),
        ((SINGLE_DAY,), "2025-03-10", 5, "2025-03-17"),
        ((SINGLE_DAY,), "2025-03-10", 6, "2025-03-18"),
        # adjacent closures behave as one
        (ADJACENT, "2025-03-07", 2, "2025-03-17"),
        (ADJACENT, "2025-03-10", 1, "2025-03-17"),
        (ADJACENT, "2025-03-13", 1, "2025-03-17"),
        # overlapping closures behave as their union
        (OVERLAPPING, "2025-03-10", 1, "2025-03-19"),
        (OVERLAPPING, "2025-03-07", 3, "2025-03-20"),
        (OVERLAPPING, "2025-03-14", 1, "2025-03-19"),
        # a closure covering a bank holiday
        ((EASTER_CLOSURE,), "2025-04-04", 2, "2025-04-22"),
        ((EASTER_CLOSURE,), "2025-04-14", 1, "2025-04-22"),
        ((EASTER_CLOSURE,), "2025-04-18", 6, "2025-04-29"),
        # a closure ending just before a bank holiday Monday
        ((closure("2025-04-22", "2025-05-02"),), "2025-04-22", 1, "2025-05-06"),
        # several closures, passed in any order
        ((EASTER_CLOSURE, HALF_TERM), "2025-02-14", 2, "2025-02-24"),
    ],
)
def test_nth_school_day(closures, start, n, expected):
    assert Calendar(closures).nth_school_day(d(start), n) == d(expected)


@pytest.mark.parametrize("day", ["2025-01-06", "2025-02-14", "2024-02-29", "2022-06-01", "2025-12-31"])
def test_first_school_day_of_a_school_day_is_itself(day):
    calendar = Calendar([HALF_TERM])
    assert calendar.is_school_day(d(day))
    assert calendar.nth_school_day(d(day), 1) == d(day)


@pytest.mark.parametrize(
    ("closures", "start", "n", "expected"),
    [
        # from a Monday: the start is not counted
        ((), "2025-01-06", 1, "2025-01-07"),
        ((), "2025-01-06", 4, "2025-01-10"),
        ((), "2025-01-06", 5, "2025-01-13"),
        ((), "2025-01-06", 6, "2025-01-14"),
        # N-1, N, N+1 around "within 15 school days"
        ((), "2025-01-06", 14, "2025-01-24"),
        ((), "2025-01-06", 15, "2025-01-27"),
        ((), "2025-01-06", 16, "2025-01-28"),
        # from a Friday, Saturday, Sunday
        ((), "2025-01-10", 1, "2025-01-13"),
        ((), "2025-01-11", 1, "2025-01-13"),
        ((), "2025-01-12", 1, "2025-01-13"),
        # from a bank holiday
        ((), "2025-05-05", 1, "2025-05-06"),
        # across Easter 2025
        ((), "2025-04-17", 1, "2025-04-22"),
        ((), "2025-04-17", 4, "2025-04-25"),
        ((), "2025-04-17", 5, "2025-04-28"),
        ((), "2025-04-17", 6, "2025-04-29"),
        # across the 2022 Jubilee and Funeral
        ((), "2022-06-01", 5, "2022-06-10"),
        ((), "2022-09-16", 1, "2022-09-20"),
        # year end
        ((), "2025-12-24", 1, "2025-12-29"),
        ((), "2027-12-24", 1, "2027-12-29"),
        ((), "2022-12-30", 1, "2023-01-03"),
        # closures
        ((HALF_TERM,), "2025-02-14", 1, "2025-02-24"),
        ((HALF_TERM,), "2025-02-14", 5, "2025-02-28"),
        ((HALF_TERM,), "2025-02-18", 1, "2025-02-24"),
        ((HALF_TERM,), "2025-02-21", 1, "2025-02-24"),
        ((SINGLE_DAY,), "2025-03-11", 1, "2025-03-13"),
        (ADJACENT, "2025-03-07", 1, "2025-03-17"),
        (OVERLAPPING, "2025-03-07", 1, "2025-03-19"),
        ((EASTER_CLOSURE,), "2025-04-04", 1, "2025-04-22"),
        ((EASTER_CLOSURE,), "2025-04-04", 5, "2025-04-28"),
    ],
)
def test_school_days_after(closures, start, n, expected):
    assert Calendar(closures).school_days_after(d(start), n) == d(expected)


@pytest.mark.parametrize(
    ("closures", "start", "n", "expected"),
    [
        ((), "2025-01-06", 1, "2025-01-07"),
        ((), "2025-01-06", 5, "2025-01-13"),
        # N-1, N, N+1 around "within 5 working days" across Easter 2025
        ((), "2025-04-17", 4, "2025-04-25"),
        ((), "2025-04-17", 5, "2025-04-28"),
        ((), "2025-04-17", 6, "2025-04-29"),
        # from weekend days and bank holidays
        ((), "2025-01-11", 1, "2025-01-13"),
        ((), "2025-01-12", 1, "2025-01-13"),
        ((), "2025-04-18", 1, "2025-04-22"),
        # one-off bank holidays
        ((), "2020-05-07", 1, "2020-05-11"),
        ((), "2022-06-01", 1, "2022-06-06"),
        ((), "2022-06-01", 5, "2022-06-10"),
        ((), "2022-09-16", 1, "2022-09-20"),
        ((), "2023-05-05", 1, "2023-05-09"),
        # substitute days at year end
        ((), "2020-12-24", 1, "2020-12-29"),
        ((), "2021-12-24", 1, "2021-12-29"),
        ((), "2021-12-31", 1, "2022-01-04"),
        ((), "2022-12-23", 1, "2022-12-28"),
        ((), "2022-12-30", 1, "2023-01-03"),
        ((), "2025-12-24", 1, "2025-12-29"),
        ((), "2026-12-24", 1, "2026-12-29"),
        ((), "2027-12-24", 1, "2027-12-29"),
        # Scottish / NI days are working days in England
        ((), "2025-01-01", 1, "2025-01-02"),
        ((), "2025-03-14", 1, "2025-03-17"),
        ((), "2025-07-11", 1, "2025-07-14"),
        ((), "2025-08-01", 1, "2025-08-04"),
        # leap day
        ((), "2024-02-28", 1, "2024-02-29"),
        # school closures do not affect working days
        ((HALF_TERM,), "2025-02-14", 1, "2025-02-17"),
        ((HALF_TERM,), "2025-02-14", 5, "2025-02-21"),
        ((EASTER_CLOSURE,), "2025-04-04", 1, "2025-04-07"),
        (OVERLAPPING, "2025-03-07", 1, "2025-03-10"),
    ],
)
def test_working_days_after(closures, start, n, expected):
    assert Calendar(closures).working_days_after(d(start), n) == d(expected)


# =========================================================================================
# 6. n < 1 is rejected
# =========================================================================================


class _RunawayGuardCalendar(Calendar):
    """Fails loudly instead of looping forever if a count below 1 is not rejected."""

    calls = 0

    def is_school_day(self, day: date) -> bool:
        self.calls += 1
        if self.calls > 10_000:
            raise RuntimeError("counting never stopped: n < 1 was not rejected")
        return super().is_school_day(day)


@pytest.mark.parametrize("n", [0, -1, -15])
@pytest.mark.parametrize("method", ["nth_school_day", "school_days_after", "working_days_after"])
def test_day_counts_below_one_are_rejected(method, n):
    with pytest.raises(ValueError):
        getattr(_RunawayGuardCalendar([HALF_TERM]), method)(d("2025-02-14"), n)


# =========================================================================================
# 4. Properties
# =========================================================================================

DATES = st.dates(min_value=date(1950, 1, 1), max_value=date(2150, 12, 31))
MONTHS = st.integers(min_value=0, max_value=600)
POSITIVE_MONTHS = st.integers(min_value=1, max_value=600)
SIGNED_MONTHS = st.integers(min_value=-600, max_value=600)
DAY_COUNTS = st.integers(min_value=1, max_value=60)

PROPERTY_SETTINGS = settings(deadline=None, max_examples=150, suppress_health_check=[HealthCheck.too_slow])


def month_index(day: date) -> int:
    return day.year * 12 + day.month - 1


def month_length(year: int, month: int) -> int:
    """Independent of the module: days in a Gregorian month."""
    if month == 2:
        leap = year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
        return 29 if leap else 28
    return 30 if month in (4, 6, 9, 11) else 31


@st.composite
def closures_near(draw, anchor: date, max_count: int = 3):
    """Up to ``max_count`` closures starting within 10 days before to 80 days after anchor."""
    count = draw(st.integers(min_value=0, max_value=max_count))
    result = []
    for _ in range(count):
        offset = draw(st.integers(min_value=-10, max_value=80))
        length = draw(st.integers(min_value=0, max_value=20))
        start = anchor + timedelta(days=offset)
        result.append(ClosureRange(start, start + timedelta(days=length)))
    return result


@st.composite
def date_with_closures(draw):
    anchor = draw(DATES)
    return anchor, draw(closures_near(anchor))


def count_matching(first: date, last: date, predicate) -> int:
    total = 0
    day = first
    while day <= last:
        total += bool(predicate(day))
        day += timedelta(days=1)
    return total


@PROPERTY_SETTINGS
@given(DATES, st.integers(min_value=-5000, max_value=5000))
def test_property_add_weeks_and_days(start, n):
    assert add_weeks(start, n) - start == timedelta(days=7 * n)
    assert add_days(start, n) - start == timedelta(days=n)


@PROPERTY_SETTINGS
@given(DATES, SIGNED_MONTHS)
def test_property_add_months_clamped_lands_in_the_right_month(start, months):
    result = add_months_clamped(start, months)
    assert month_index(result) == month_index(start) + months
    assert result.day == min(start.day, month_length(result.year, result.month))


@PROPERTY_SETTINGS
@given(DATES, DATES, SIGNED_MONTHS)
def test_property_add_months_clamped_is_monotone(first, second, months):
    earlier, later = sorted((first, second))
    assert add_months_clamped(earlier, months) <= add_months_clamped(later, months)


@PROPERTY_SETTINGS
@given(DATES, MONTHS)
def test_property_corresponding_date_rolls_forward(start, months):
    result = corresponding_date_rolling_forward(start, months)
    target = month_index(start) + months
    year, month = divmod(target, 12)
    if start.day <= month_length(year, month + 1):
        assert result == date(year, month + 1, start.day)
    else:
        assert result.day == 1
        assert month_index(result) == target + 1


@PROPERTY_SETTINGS
@given(DATES, MONTHS)
def test_property_end_of_months_starting_with(start, months):
    end = end_of_months_starting_with(start, months)
    assert end + timedelta(days=1) == corresponding_date_rolling_forward(start, months)
    if months >= 1:
        assert end >= start
    else:
        assert end == start - timedelta(days=1)


@PROPERTY_SETTINGS
@given(DATES, DATES, POSITIVE_MONTHS)
def test_property_end_of_months_starting_with_is_monotone(first, second, months):
    earlier, later = sorted((first, second))
    assert end_of_months_starting_with(earlier, months) <= end_of_months_starting_with(later, months)


@PROPERTY_SETTINGS
@given(DATES, POSITIVE_MONTHS)
def test_property_starting_with_ends_no_later_than_of(start, months):
    """A period starting with X ends on or before the "of X" clamped date, and the two
    differ by exactly one day unless the clamped date is a month-end that was clamped."""
    end = end_of_months_starting_with(start, months)
    clamped = add_months_clamped(start, months)
    assert clamped - timedelta(days=1) <= end <= clamped
    if start.day <= month_length(clamped.year, clamped.month):
        assert end == clamped - timedelta(days=1)


@PROPERTY_SETTINGS
@given(DATES, SIGNED_MONTHS)
def test_property_months_before_is_add_months_backwards(anchor, months):
    result = months_before_clamped(anchor, months)
    assert result == add_months_clamped(anchor, -months)
    assert month_index(result) == month_index(anchor) - months
    assert result.day == min(anchor.day, month_length(result.year, result.month))


@PROPERTY_SETTINGS
@given(DATES, MONTHS)
def test_property_months_before_inverse_relations(day, months):
    there_and_back = months_before_clamped(add_months_clamped(day, months), months)
    assert there_and_back <= day
    assert month_index(there_and_back) == month_index(day)
    if day.day <= 28:
        assert there_and_back == day

    back_and_there = add_months_clamped(months_before_clamped(day, months), months)
    assert back_and_there <= day
    assert month_index(back_and_there) == month_index(day)
    if day.day <= 28:
        assert back_and_there == day


@PROPERTY_SETTINGS
@given(DATES)
def test_property_day_before(day):
    assert day_before(day.day, day.month, day.year) == day - timedelta(days=1)


@PROPERTY_SETTINGS
@given(DATES)
def test_property_last_day_of_month(day):
    assert last_day_of_month(day.year, day.month) == month_length(day.year, day.month)


@PROPERTY_SETTINGS
@given(date_with_closures())
def test_property_day_kinds_nest(case):
    day, closures = case
    calendar = Calendar(closures)
    if calendar.is_school_day(day):
        assert is_working_day(day)
        assert not calendar.is_school_closure(day)
    if is_working_day(day):
        assert day.weekday() < 5
        assert not is_bank_holiday(day)
    if day.weekday() >= 5:
        assert not is_working_day(day)


@PROPERTY_SETTINGS
@given(date_with_closures(), DAY_COUNTS)
def test_property_nth_school_day(case, n):
    start, closures = case
    calendar = Calendar(closures)
    result = calendar.nth_school_day(start, n)
    assert calendar.is_school_day(result)
    assert result >= start
    assert count_matching(start, result, calendar.is_school_day) == n
    if n == 1 and calendar.is_school_day(start):
        assert result == start


@PROPERTY_SETTINGS
@given(date_with_closures(), DAY_COUNTS)
def test_property_school_days_after(case, n):
    start, closures = case
    calendar = Calendar(closures)
    result = calendar.school_days_after(start, n)
    assert calendar.is_school_day(result)
    assert result > start
    assert count_matching(start + timedelta(days=1), result, calendar.is_school_day) == n


@PROPERTY_SETTINGS
@given(date_with_closures(), DAY_COUNTS)
def test_property_working_days_after(case, n):
    start, closures = case
    calendar = Calendar(closures)
    result = calendar.working_days_after(start, n)
    assert is_working_day(result)
    assert result > start
    assert count_matching(start + timedelta(days=1), result, is_working_day) == n
    # closures never matter for working days
    assert result == Calendar().working_days_after(start, n)


@PROPERTY_SETTINGS
@given(date_with_closures(), DAY_COUNTS)
def test_property_school_days_after_is_nth_school_day_of_the_next_day(case, n):
    start, closures = case
    calendar = Calendar(closures)
    assert calendar.school_days_after(start, n) == calendar.nth_school_day(start + timedelta(days=1), n)


@PROPERTY_SETTINGS
@given(date_with_closures(), DAY_COUNTS, st.integers(-10, 80), st.integers(0, 20))
def test_property_adding_a_closure_never_makes_a_due_date_earlier(case, n, offset, length):
    start, closures = case
    extra_start = start + timedelta(days=offset)
    extra = ClosureRange(extra_start, extra_start + timedelta(days=length))
    before = Calendar(closures)
    after = Calendar([*closures, extra])
    assert after.nth_school_day(start, n) >= before.nth_school_day(start, n)
    assert after.school_days_after(start, n) >= before.school_days_after(start, n)
    assert after.working_days_after(start, n) == before.working_days_after(start, n)


@PROPERTY_SETTINGS
@given(date_with_closures(), st.integers(1, 40))
def test_property_day_counts_are_strictly_increasing_in_n(case, n):
    start, closures = case
    calendar = Calendar(closures)
    assert calendar.nth_school_day(start, n) < calendar.nth_school_day(start, n + 1)
    assert calendar.school_days_after(start, n) < calendar.school_days_after(start, n + 1)
    assert calendar.working_days_after(start, n) < calendar.working_days_after(start, n + 1)


# =========================================================================================
# 5. The calendar never reads the wall clock
# =========================================================================================


def _clock_forbidden(*_args, **_kwargs):
    raise AssertionError("sendrules.engine.calendar read the wall clock")


class _NoClockDate(date):
    today = classmethod(_clock_forbidden)
    fromtimestamp = classmethod(_clock_forbidden)


class _NoClockDateTime(dt.datetime):
    now = classmethod(_clock_forbidden)
    today = classmethod(_clock_forbidden)
    utcnow = classmethod(_clock_forbidden)
    fromtimestamp = classmethod(_clock_forbidden)
    utcfromtimestamp = classmethod(_clock_forbidden)


def _call_every_public_function() -> None:
    holidays_data_version()
    add_days(d("2025-01-31"), 10)
    add_weeks(d("2025-01-31"), 20)
    last_day_of_month(2024, 2)
    add_months_clamped(d("2025-01-31"), 1)
    months_before_clamped(d("2025-03-31"), 1)
    corresponding_date_rolling_forward(d("2024-02-29"), 12)
    end_of_months_starting_with(d("2024-02-29"), 12)
    day_before(15, 2, 2025)
    is_bank_holiday(d("2025-04-21"))
    is_working_day(d("2025-04-22"))
    closure_range = ClosureRange(d("2025-04-07"), d("2025-04-21"))
    closure_range.contains(d("2025-04-10"))
    calendar = Calendar([closure_range])
    calendar.school_closures
    calendar.is_school_closure(d("2025-04-10"))
    calendar.is_school_day(d("2025-04-22"))
    calendar.nth_school_day(d("2025-04-04"), 6)
    calendar.school_days_after(d("2025-04-04"), 6)
    calendar.working_days_after(d("2025-04-04"), 6)
    # a year whose bank holidays have not been computed in this test run
    is_bank_holiday(d("2137-12-25"))


def test_the_calendar_never_reads_the_wall_clock(monkeypatch):
    # Force bank holidays to be recomputed while the clock is unavailable.
    cal._bank_holidays_in.cache_clear()
    try:
        with monkeypatch.context() as patch:
            for name in ("time", "time_ns", "localtime", "gmtime", "ctime", "asctime"):
                patch.setattr(time, name, _clock_forbidden)
            patch.setattr(dt, "date", _NoClockDate)
            patch.setattr(dt, "datetime", _NoClockDateTime)
            # Names bound by "from datetime import date, datetime" in the module under test
            # and in the bank-holiday package.
            for module_name, module in list(sys.modules.items()):
                if module is None or not (
                    module_name == "sendrules.engine.calendar"
                    or module_name == "holidays"
                    or module_name.startswith("holidays.")
                ):
                    continue
                for attr, value in list(vars(module).items()):
                    if value is date:
                        patch.setattr(module, attr, _NoClockDate)
                    elif value is dt.datetime:
                        patch.setattr(module, attr, _NoClockDateTime)
            # the patches are live
            with pytest.raises(AssertionError):
                cal.date.today()
            with pytest.raises(AssertionError):
                time.time()
            _call_every_public_function()
    finally:
        cal._bank_holidays_in.cache_clear()
    # and everything still works with the clock restored
    _call_every_public_function()


# --- remembered answers ---------------------------------------------------------------------
# A calendar remembers what it worked out (a cohort asks the same questions millions of times):
# a remembered answer must be the answer, whichever calendar asked first and however full the
# memory is.


@PROPERTY_SETTINGS
@given(st.lists(st.tuples(date_with_closures(), DAY_COUNTS), min_size=1, max_size=8))
def test_property_remembered_answers_are_the_answers(questions):
    shared = Calendar()
    for (start, closures), n in questions + questions:  # every question asked twice
        fresh = Calendar(closures)
        again = Calendar(closures)
        assert fresh.nth_school_day(start, n) == again.nth_school_day(start, n)
        assert again.school_days_after(start, n) == Calendar(closures).school_days_after(start, n)
        assert again.working_days_after(start, n) == shared.working_days_after(start, n)
        assert again.is_school_day(start) == Calendar(closures).is_school_day(start)


def test_a_calendar_does_not_answer_with_another_calendars_closures():
    start = date(2025, 2, 17)  # a Monday
    open_week = Calendar()
    half_term = Calendar([ClosureRange(date(2025, 2, 17), date(2025, 2, 21))])
    assert open_week.nth_school_day(start, 1) == date(2025, 2, 17)
    assert half_term.nth_school_day(start, 1) == date(2025, 2, 24)
    assert open_week.is_school_day(start) and not half_term.is_school_day(start)
    assert open_week.school_days_after(date(2025, 2, 14), 1) == date(2025, 2, 17)
    assert half_term.school_days_after(date(2025, 2, 14), 1) == date(2025, 2, 24)


def test_answers_stay_right_when_the_memory_is_full(monkeypatch):
    monkeypatch.setattr(cal, "_REMEMBERED", 3)
    calendar = Calendar([ClosureRange(date(2025, 4, 7), date(2025, 4, 21))])
    expected = {
        n: Calendar([ClosureRange(date(2025, 4, 7), date(2025, 4, 21))]).nth_school_day(date(2025, 4, 1), n)
        for n in range(1, 30)
    }
    for _ in range(2):
        for n in range(1, 30):
            assert calendar.nth_school_day(date(2025, 4, 1), n) == expected[n]
    assert len(calendar._counted) <= 3
    assert expected[5] == date(
        2025, 4, 22
    )  # 1-4 April, then the closure, then Tuesday 22nd (Easter Monday 21st)
