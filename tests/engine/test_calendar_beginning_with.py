"""Periods "beginning with" a day (rules language 2): engine/calendar.py.

"Within 15 working days beginning with the day on which it did become aware" (SEND Regulations
2014 reg 15(2)) counts that day as day 1, so the period ends one day of its kind earlier than
"within 15 working days of" it, where the day itself is day 0. Every expected date below was
worked out by hand with a calendar of England-and-Wales bank holidays (2024: 29 Mar, 1 Apr,
6 May, 27 May, 26 Aug, 25-26 Dec; 2025: 1 Jan, 18 Apr, 21 Apr, 5 May, 26 May, 25 Aug,
25-26 Dec), not by calling the module.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sendrules.engine.calendar import (
    Calendar,
    ClosureRange,
    add_days,
    add_months_clamped,
    add_weeks,
    end_of_days_beginning_with,
    end_of_months_starting_with,
    end_of_weeks_beginning_with,
    is_working_day,
    nth_working_day,
)

NO_CLOSURES = Calendar()


# --- calendar days ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "start, days, expected",
    [
        (date(2025, 3, 5), 1, date(2025, 3, 5)),  # one day beginning with X is X itself
        (date(2025, 3, 5), 14, date(2025, 3, 18)),  # N-1
        (date(2025, 3, 5), 15, date(2025, 3, 19)),  # N: 5..19 March is 15 days
        (date(2025, 3, 5), 16, date(2025, 3, 20)),  # N+1
        (date(2025, 1, 31), 2, date(2025, 2, 1)),  # over a month end
        (date(2024, 12, 25), 8, date(2025, 1, 1)),  # over a year end
        (date(2024, 2, 15), 15, date(2024, 2, 29)),  # lands on the leap day
        (date(2023, 2, 15), 15, date(2023, 3, 1)),  # no leap day: one day further on
        (date(2024, 2, 29), 1, date(2024, 2, 29)),  # beginning with the leap day
    ],
)
def test_end_of_days_beginning_with(start, days, expected):
    assert end_of_days_beginning_with(start, days) == expected
    assert end_of_days_beginning_with(start, days) == add_days(start, days) - timedelta(days=1)


@pytest.mark.parametrize(
    "start, weeks, expected",
    [
        (date(2025, 3, 5), 1, date(2025, 3, 11)),  # Wednesday to the next Tuesday
        (date(2025, 3, 5), 2, date(2025, 3, 18)),
        (date(2024, 2, 22), 1, date(2024, 2, 28)),
        (date(2024, 2, 23), 1, date(2024, 2, 29)),  # the leap day is a day like any other
        (date(2023, 2, 23), 1, date(2023, 3, 1)),
        (date(2025, 12, 29), 1, date(2026, 1, 4)),  # over a year end
    ],
)
def test_end_of_weeks_beginning_with(start, weeks, expected):
    assert end_of_weeks_beginning_with(start, weeks) == expected
    assert end_of_weeks_beginning_with(start, weeks) == add_weeks(start, weeks) - timedelta(days=1)


@pytest.mark.parametrize(
    "function", [end_of_days_beginning_with, end_of_weeks_beginning_with, nth_working_day]
)
@pytest.mark.parametrize("n", [0, -1])
def test_a_period_beginning_with_a_day_is_at_least_one_long(function, n):
    with pytest.raises(ValueError):
        function(date(2025, 3, 5), n)


# --- working days ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "start, n, expected",
    [
        # Wednesday 5 March 2025: 5-7 (3), 10-14 (8), 17-21 (13), 24 (14), 25 (15).
        (date(2025, 3, 5), 1, date(2025, 3, 5)),
        (date(2025, 3, 5), 14, date(2025, 3, 24)),  # N-1
        (date(2025, 3, 5), 15, date(2025, 3, 25)),  # N
        (date(2025, 3, 5), 16, date(2025, 3, 26)),  # N+1
        # Friday: day 2 is the Monday after the weekend.
        (date(2025, 3, 7), 2, date(2025, 3, 10)),
        # A Saturday is not a working day: the Monday is day 1.
        (date(2025, 3, 8), 1, date(2025, 3, 10)),
        (date(2025, 3, 8), 15, date(2025, 3, 28)),
        # Easter 2025: Thursday 17 April is day 1; Good Friday, the weekend and Easter Monday do
        # not count; 22 April is day 2, 23 April day 3.
        (date(2025, 4, 17), 3, date(2025, 4, 23)),
        # Beginning with a bank holiday (Good Friday): the next working day is day 1.
        (date(2025, 4, 18), 1, date(2025, 4, 22)),
        # Christmas 2025: 24 December is day 1, 29 December day 2.
        (date(2025, 12, 24), 2, date(2025, 12, 29)),
        # Month end: Friday 31 January 2025, then Monday 3 February.
        (date(2025, 1, 31), 2, date(2025, 2, 3)),
        # Leap day: Wednesday 28 February 2024, Thursday 29 February, Friday 1 March.
        (date(2024, 2, 28), 2, date(2024, 2, 29)),
        (date(2024, 2, 29), 2, date(2024, 3, 1)),
    ],
)
def test_nth_working_day(start, n, expected):
    assert nth_working_day(start, n) == expected


@pytest.mark.parametrize(
    "start, n",
    [
        (date(2025, 3, 5), 15),  # an ordinary Wednesday
        (date(2025, 4, 17), 3),  # before Easter
        (date(2025, 12, 24), 2),  # before Christmas
        (date(2024, 2, 28), 2),  # before the leap day
        (date(2025, 1, 31), 1),  # a month end
    ],
)
def test_beginning_with_a_working_day_ends_one_working_day_before_of(start, n):
    """The day itself counts, so the period is one working day shorter than "of" it."""
    of = NO_CLOSURES.working_days_after(start, n)
    beginning_with = nth_working_day(start, n)
    assert beginning_with < of
    assert nth_working_day(beginning_with, 2) == of


@pytest.mark.parametrize("start", [date(2025, 3, 8), date(2025, 3, 9), date(2025, 4, 18), date(2025, 12, 25)])
def test_beginning_with_a_day_that_is_not_a_working_day_agrees_with_of(start):
    """A Saturday, Sunday or bank holiday is not counted by either reading."""
    for n in (1, 2, 15):
        assert nth_working_day(start, n) == NO_CLOSURES.working_days_after(start, n)


# --- school days (Calendar.nth_school_day, the reading of "beginning with" for school days) --


HALF_TERM = ClosureRange(date(2025, 2, 17), date(2025, 2, 21))


@pytest.mark.parametrize(
    "closures, start, n, expected",
    [
        ((), date(2025, 3, 5), 5, date(2025, 3, 11)),
        # Friday before half term is day 1; the whole closed week does not count.
        ((HALF_TERM,), date(2025, 2, 14), 2, date(2025, 2, 24)),
        # Beginning inside a closure: the first school day after it is day 1.
        ((HALF_TERM,), date(2025, 2, 19), 1, date(2025, 2, 24)),
    ],
)
def test_school_days_beginning_with(closures, start, n, expected):
    calendar = Calendar(closures)
    assert calendar.nth_school_day(start, n) == expected
    if calendar.is_school_day(start):
        assert calendar.nth_school_day(start, n) < calendar.school_days_after(start, n)
    else:
        assert calendar.nth_school_day(start, n) == calendar.school_days_after(start, n)


# --- months: "beginning with" reads as "starting with" ---------------------------------------


@pytest.mark.parametrize(
    "start, months, expected, of",
    [
        (date(2025, 3, 5), 1, date(2025, 4, 4), date(2025, 4, 5)),  # one day earlier
        (date(2024, 1, 29), 1, date(2024, 2, 28), date(2024, 2, 29)),  # one day earlier, leap year
        # Where "of" is clamped to a month's last day, both readings end on the same day.
        (date(2025, 1, 31), 1, date(2025, 2, 28), date(2025, 2, 28)),
        (date(2024, 1, 30), 1, date(2024, 2, 29), date(2024, 2, 29)),
        (date(2024, 2, 29), 12, date(2025, 2, 28), date(2025, 2, 28)),
    ],
)
def test_months_beginning_with(start, months, expected, of):
    assert end_of_months_starting_with(start, months) == expected
    assert add_months_clamped(start, months) == of


# --- properties ------------------------------------------------------------------------------

DATES = st.dates(min_value=date(1950, 1, 1), max_value=date(2150, 12, 31))
COUNTS = st.integers(min_value=1, max_value=60)
PROPERTY_SETTINGS = settings(
    deadline=None,
    max_examples=150,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)


def _working_days(first: date, last: date) -> int:
    return sum(is_working_day(first + timedelta(days=offset)) for offset in range((last - first).days + 1))


@PROPERTY_SETTINGS
@given(DATES, COUNTS)
def test_property_n_working_days_beginning_with(start, n):
    """The period holds exactly N working days, ends on one, and is one working day shorter
    than "of" exactly when the start is itself a working day."""
    end = nth_working_day(start, n)
    assert is_working_day(end)
    assert _working_days(start, end) == n
    of = NO_CLOSURES.working_days_after(start, n)
    if is_working_day(start):
        assert nth_working_day(end, 2) == of
    else:
        assert end == of


@PROPERTY_SETTINGS
@given(DATES, COUNTS)
def test_property_calendar_days_and_weeks_beginning_with(start, n):
    assert (end_of_days_beginning_with(start, n) - start).days + 1 == n
    assert (end_of_weeks_beginning_with(start, n) - start).days + 1 == 7 * n
