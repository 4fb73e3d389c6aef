"""Compulsory school age (rules language 3): engine/calendar.py.

Education Act 1996 s8(2): a child begins to be of compulsory school age on the fifth birthday if
it is a prescribed day, otherwise at the beginning of the next prescribed day (31 March,
31 August, 31 December). s8(3): a child ceases to be of compulsory school age at the end of the
school leaving date (the last Friday in June) of the school year in which they attain 16, or on
that Friday when they attain 16 after it but before the next school year. Every expected date
below was worked out by hand from a printed calendar, not by calling the module:
the last Fridays of June are 30 June 2023, 28 June 2024, 27 June 2025 and 26 June 2026.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sendrules.engine.calendar import (
    age_on,
    birthday,
    compulsory_school_age_begins,
    compulsory_school_age_ends,
    of_compulsory_school_age,
    school_leaving_date,
)


@pytest.mark.parametrize(
    ("year", "friday"),
    [
        (2023, date(2023, 6, 30)),  # 30 June 2023 is itself a Friday
        (2024, date(2024, 6, 28)),  # 30 June 2024 is a Sunday
        (2025, date(2025, 6, 27)),  # a Monday
        (2026, date(2026, 6, 26)),  # a Tuesday
        (2029, date(2029, 6, 29)),  # a Saturday
    ],
)
def test_the_school_leaving_date_is_the_last_friday_in_june(year: int, friday: date) -> None:
    assert school_leaving_date(year) == friday
    assert friday.weekday() == 4


@pytest.mark.parametrize(
    ("born", "begins"),
    [
        # fifth birthday on a prescribed day: that day (s8(2)(a))
        (date(2019, 12, 31), date(2024, 12, 31)),
        (date(2020, 3, 31), date(2025, 3, 31)),
        (date(2020, 8, 31), date(2025, 8, 31)),
        # the day before a prescribed day: the prescribed day, one day later (s8(2)(b))
        (date(2019, 12, 30), date(2024, 12, 31)),
        (date(2020, 3, 30), date(2025, 3, 31)),
        (date(2020, 8, 30), date(2025, 8, 31)),
        # the day after a prescribed day: the next one
        (date(2020, 1, 1), date(2025, 3, 31)),
        (date(2020, 4, 1), date(2025, 8, 31)),
        (date(2020, 9, 1), date(2025, 12, 31)),
        # IPSEA's worked example: five on 10 February 2024 -> 31 March 2024
        (date(2019, 2, 10), date(2024, 3, 31)),
        # born on 29 February: five on 1 March of a year without 29 February
        (date(2020, 2, 29), date(2025, 3, 31)),
        (date(2016, 2, 29), date(2021, 3, 31)),
    ],
)
def test_compulsory_school_age_begins_on_the_prescribed_day(born: date, begins: date) -> None:
    assert compulsory_school_age_begins(born) == begins
    assert of_compulsory_school_age(born, begins)
    assert not of_compulsory_school_age(born, begins - timedelta(days=1))


@pytest.mark.parametrize(
    ("born", "ends"),
    [
        # IPSEA's worked example: born 23 September 2007 -> 28 June 2024
        (date(2007, 9, 23), date(2024, 6, 28)),
        # sixteen on the school leaving date itself (s8(3)(b))
        (date(2008, 6, 28), date(2024, 6, 28)),
        # sixteen the day before it (s8(3)(c): the next school leaving date)
        (date(2008, 6, 27), date(2024, 6, 28)),
        # sixteen after it but before the next school year (s8(3)(a)): still that Friday
        (date(2008, 6, 29), date(2024, 6, 28)),
        (date(2008, 8, 31), date(2024, 6, 28)),
        # sixteen on 1 September: the next school year, so the next June
        (date(2008, 9, 1), date(2025, 6, 27)),
        # around 31 December and 31 March: the June of that school year
        (date(2007, 12, 31), date(2024, 6, 28)),
        (date(2008, 1, 1), date(2024, 6, 28)),
        (date(2008, 3, 31), date(2024, 6, 28)),
        # born on 29 February: sixteen on 29 February 2024 (a leap year)
        (date(2008, 2, 29), date(2024, 6, 28)),
        # ... and on 1 March 1900, a century year without 29 February
        (date(1884, 2, 29), date(1900, 6, 29)),
    ],
)
def test_compulsory_school_age_ends_on_the_school_leaving_date(born: date, ends: date) -> None:
    assert compulsory_school_age_ends(born) == ends
    assert of_compulsory_school_age(born, ends)
    assert not of_compulsory_school_age(born, ends + timedelta(days=1))


def test_a_reception_child_aged_four_is_not_of_compulsory_school_age() -> None:
    born = date(2020, 6, 10)  # summer-born: Reception from September 2024, five on 10 June 2025
    assert not of_compulsory_school_age(born, date(2024, 11, 4))
    assert not of_compulsory_school_age(born, date(2025, 6, 10))  # five, but not a prescribed day
    assert of_compulsory_school_age(born, date(2025, 8, 31))


def test_a_child_of_five_can_still_be_below_compulsory_school_age() -> None:
    born = date(2019, 10, 15)  # five on 15 October 2024, in Reception
    assert age_on(born, date(2024, 11, 4)) == 5
    assert not of_compulsory_school_age(born, date(2024, 11, 4))
    assert of_compulsory_school_age(born, date(2025, 1, 6))


def test_birthday_of_someone_born_on_29_february() -> None:
    assert birthday(date(2020, 2, 29), 4) == date(2024, 2, 29)
    assert birthday(date(2020, 2, 29), 5) == date(2025, 3, 1)
    assert birthday(date(2020, 3, 1), 5) == date(2025, 3, 1)


@given(st.dates(min_value=date(1950, 1, 1), max_value=date(2150, 12, 31)))
def test_the_period_runs_from_five_to_the_june_after_sixteen(born: date) -> None:
    begins = compulsory_school_age_begins(born)
    ends = compulsory_school_age_ends(born)
    # it begins on a prescribed day, at five, at most 152 days (1 April to 31 August) after the fifth birthday
    assert (begins.month, begins.day) in ((3, 31), (8, 31), (12, 31))
    assert age_on(born, begins) == 5
    assert begins - birthday(born, 5) <= timedelta(days=152)
    # it ends on the last Friday in June, aged 15 or 16
    assert ends.weekday() == 4 and ends.month == 6 and ends.day > 23
    assert age_on(born, ends) in (15, 16)
    assert age_on(born, date(ends.year, 8, 31)) == 16  # 16 by the end of that August
