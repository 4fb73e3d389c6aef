"""Every date the engine computes is computed here.

Statutory time limits are counted in different units (weeks, calendar months, days, working
days, school days) and each unit has its own legal arithmetic. This module is the single
implementation of that arithmetic; rules and backends call it and never do date maths of
their own. Nothing here reads the wall clock.

The semantics follow the decision contract (docs/semantics.md gives the worked examples):

* ``add_weeks`` / ``add_days``: "within N weeks/days of X" -> X + 7N / X + N days.
* ``add_months_clamped``: "within N months of X" -> the same day N calendar months later,
  or the last day of that month when it has no such day (31 Jan + 1 month = 28/29 Feb).
* ``end_of_months_starting_with``: "within N months starting with X" (Children and Families
  Act 2014 s44) -> the day before the corresponding date N months later, where a missing
  corresponding day rolls to the 1st of the following month.
* ``months_before_clamped``: "N months before D" -> N months earlier, clamped to month end.
* ``day_before``: "before 15 February in the year of D" -> 14 February of that year.
* ``Calendar.nth_school_day``: "the Nth school day of X" -> X is day 1 if it is a school day.
* ``Calendar.school_days_after`` / ``working_days_after``: "within N school/working days of X"
  -> the Nth such day after X, X itself not counted.
* ``end_of_days_beginning_with`` / ``end_of_weeks_beginning_with`` / ``nth_working_day`` (rules
  language 2): "within N days/weeks/working days beginning with X" -> X is day 1, so X + N - 1,
  X + 7N - 1, and the Nth working day counting X when it is one (one day earlier than "of").

School days are weekdays that are not England-and-Wales bank holidays and not inside a
school closure range; when term dates apply (``TermCalendar``, read by ``engine.term_dates``),
they are also inside a term, outside its half-term and not INSET days. Working days are
weekdays that are not bank holidays. Bank holidays come
from the pinned ``holidays`` package (one-off days and substitute days included).
"""

from __future__ import annotations

import calendar as _stdlib_calendar
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from typing import Any, Callable, Iterable

import holidays

#: The earliest and latest dates the engine accepts anywhere (journeys, closures, as_of).
#: Bounding dates keeps every calculation far from ``date.min``/``date.max``.
EARLIEST_DATE = date(1900, 1, 1)
LATEST_DATE = date(2199, 12, 31)

MONTH_NAMES = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def holidays_data_version() -> str:
    """The version of the bank-holiday data, recorded in every decision for replay."""
    return f"holidays {holidays.__version__}"  # type: ignore[attr-defined]  # holidays sets it without exporting it


# --- calendar-day arithmetic -------------------------------------------------------------


def add_days(start: date, days: int) -> date:
    """``start`` plus ``days`` calendar days."""
    return start + timedelta(days=days)


def add_weeks(start: date, weeks: int) -> date:
    """ "Within N weeks of X": X plus 7N days."""
    return start + timedelta(days=7 * weeks)


def last_day_of_month(year: int, month: int) -> int:
    """The number of the last day of ``month`` in ``year`` (28, 29, 30 or 31)."""
    return _stdlib_calendar.monthrange(year, month)[1]


def _shift_month(year: int, month: int, months: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + months
    return index // 12, index % 12 + 1


def add_months_clamped(start: date, months: int) -> date:
    """ "Within N months of X": the same day N months later, clamped to the month's last day."""
    year, month = _shift_month(start.year, start.month, months)
    return date(year, month, min(start.day, last_day_of_month(year, month)))


def months_before_clamped(anchor: date, months: int) -> date:
    """ "N months before D": the same day N months earlier, clamped to the month's last day."""
    return add_months_clamped(anchor, -months)


def corresponding_date_rolling_forward(start: date, months: int) -> date:
    """The date N months after ``start`` with the same day number; if that month is too
    short, the 1st of the following month (the rule for periods "starting with" a day)."""
    year, month = _shift_month(start.year, start.month, months)
    if start.day <= last_day_of_month(year, month):
        return date(year, month, start.day)
    year, month = _shift_month(year, month, 1)
    return date(year, month, 1)


def end_of_months_starting_with(start: date, months: int) -> date:
    """ "Within N months starting with X": the last day of that period.

    12 months starting with 1 Mar 2023 end on 29 Feb 2024; starting with 29 Feb 2024 they end
    on 28 Feb 2025; one month starting with 31 Jan 2025 ends on 28 Feb 2025.
    """
    return corresponding_date_rolling_forward(start, months) - timedelta(days=1)


def day_before(day: int, month: int, year: int) -> date:
    """ "Before D Month in year Y": the last day that is still before it."""
    return date(year, month, day) - timedelta(days=1)


# --- ages and school years -------------------------------------------------------------------


def age_on(date_of_birth: date, day: date) -> int:
    """Age in completed years on ``day``. Someone born on 29 February reaches each new age on
    1 March in years that have no 29 February (Family Law Reform Act 1969 s9)."""
    years = day.year - date_of_birth.year
    birthday_month, birthday_day = date_of_birth.month, date_of_birth.day
    if (birthday_month, birthday_day) == (2, 29) and last_day_of_month(day.year, 2) == 28:
        birthday_month, birthday_day = 3, 1
    if (day.month, day.day) < (birthday_month, birthday_day):
        years -= 1
    return years


def academic_year_starting(day: date) -> int:
    """The calendar year in which the school year containing ``day`` began (1 September)."""
    return day.year if day.month >= 9 else day.year - 1


def school_year_start(day: date) -> date:
    """1 September of the school year containing ``day`` (the national school year, 1 September
    to 31 August)."""
    return date(academic_year_starting(day), 9, 1)


def national_curriculum_year(date_of_birth: date, day: date) -> int:
    """The national curriculum year group of a child on ``day``: Reception is 0, Year 1 is 1,
    Year 9 is 9 (negative before Reception). Children born from 1 September to 31 August form one
    year group, which starts Reception in the September after its members turn 4."""
    return academic_year_starting(day) - academic_year_starting(date_of_birth) - 5


def birthday(date_of_birth: date, age: int) -> date:
    """The day on which someone born on ``date_of_birth`` attains ``age``: the anniversary of the
    birth, and 1 March in a year without 29 February for someone born on 29 February (the reading
    of ``age_on``, Family Law Reform Act 1969 s9)."""
    year = date_of_birth.year + age
    if (date_of_birth.month, date_of_birth.day) == (2, 29) and last_day_of_month(year, 2) == 28:
        return date(year, 3, 1)
    return date(year, date_of_birth.month, date_of_birth.day)


#: The prescribed days of Education Act 1996 s8(2) (the Education (Start of Compulsory School
#: Age) Order 1998, read via IPSEA and a DfE written answer: 31 March, 31 August, 31 December),
#: as (month, day), in calendar order.
COMPULSORY_SCHOOL_AGE_PRESCRIBED_DAYS = ((3, 31), (8, 31), (12, 31))


def compulsory_school_age_begins(date_of_birth: date) -> date:
    """The first day of compulsory school age (Education Act 1996 s8(2)): the fifth birthday when
    it is a prescribed day, otherwise the next prescribed day after it (31 March, 31 August or
    31 December)."""
    fifth = birthday(date_of_birth, 5)
    for month, day in COMPULSORY_SCHOOL_AGE_PRESCRIBED_DAYS:
        prescribed = date(fifth.year, month, day)
        if prescribed >= fifth:
            return prescribed
    raise AssertionError("31 December is the last day of every year")


def school_leaving_date(year: int) -> date:
    """The school leaving date of a calendar year: the last Friday in June (the Education (School
    Leaving Date) Order 1997, read via IPSEA and GOV.UK)."""
    return weekday_on_or_before(date(year, 6, 30), 4)


def compulsory_school_age_ends(date_of_birth: date) -> date:
    """The last day of compulsory school age (Education Act 1996 s8(3)): the school leaving date
    (last Friday in June) of the school year in which the child attains 16, the school year read
    as 1 September to 31 August. s8(3)(a) and (b): 16 on or after that Friday but before the next
    school year, the child leaves on that Friday; (c): otherwise on the next school leaving date
    after the sixteenth birthday -- both the Friday of June ending the birthday's school year."""
    sixteenth = birthday(date_of_birth, 16)
    return school_leaving_date(academic_year_starting(sixteenth) + 1)


def of_compulsory_school_age(date_of_birth: date, day: date) -> bool:
    """Is the child of compulsory school age on ``day`` (Education Act 1996 s8): from the start of
    the day ``compulsory_school_age_begins`` to the end of ``compulsory_school_age_ends``?"""
    return compulsory_school_age_begins(date_of_birth) <= day <= compulsory_school_age_ends(date_of_birth)


def easter_sunday(year: int) -> date:
    """Easter Sunday of ``year`` in the Gregorian calendar (the anonymous Gregorian algorithm,
    as in Meeus, *Astronomical Algorithms*): 31 March 2024, 20 April 2025, 5 April 2026."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = b // 4, b % 4
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = c // 4, c % 4
    el = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * el) // 451
    month = (h + el - 7 * m + 114) // 31
    day = (h + el - 7 * m + 114) % 31 + 1
    return date(year, month, day)


def weekday_on_or_after(day: date, weekday: int) -> date:
    """The first date on or after ``day`` that falls on ``weekday`` (Monday 0 .. Sunday 6)."""
    return day + timedelta(days=(weekday - day.weekday()) % 7)


def weekday_on_or_before(day: date, weekday: int) -> date:
    """The last date on or before ``day`` that falls on ``weekday`` (Monday 0 .. Sunday 6)."""
    return day - timedelta(days=(day.weekday() - weekday) % 7)


# --- bank holidays, working days and school days --------------------------------------------


@lru_cache(maxsize=512)
def _bank_holidays_in(year: int) -> frozenset[date]:
    """England-and-Wales bank holidays of one year, weekends excluded (they never count)."""
    data = holidays.country_holidays("GB", subdiv="ENG", years=year)
    return frozenset(day for day in data if day.weekday() < 5 and day.year == year)


def is_bank_holiday(day: date) -> bool:
    """True for an England-and-Wales bank holiday, including one-off and substitute days."""
    return day in _bank_holidays_in(day.year)


def bank_holidays_between(start: date, end: date) -> list[tuple[date, str]]:
    """The England-and-Wales bank holidays from ``start`` to ``end`` inclusive that fall on a
    weekday, with their names, in date order (for showing a calendar; the same pinned data
    that ``is_bank_holiday`` uses)."""
    found: list[tuple[date, str]] = []
    for year in range(start.year, end.year + 1):
        names = holidays.country_holidays("GB", subdiv="ENG", years=year)
        for day in sorted(_bank_holidays_in(year)):
            if start <= day <= end:
                found.append((day, names.get(day) or "Bank holiday"))
    return found


def is_working_day(day: date) -> bool:
    """A weekday that is not a bank holiday (remembered per date: cohorts ask for the same
    dates millions of times)."""
    known = _working_days.get(day)
    if known is None:
        known = day.weekday() < 5 and not is_bank_holiday(day)
        _remember(_working_days, day, known)
    return known


#: ``is_working_day``'s answers so far. (A plain dict rather than ``functools.lru_cache``:
#: a decision run under a memory limit must fail with MemoryError when it reaches it, and
#: the C cache can turn that into a SystemError.)
_working_days: dict[date, bool] = {}


@dataclass(frozen=True, order=True)
class ClosureRange:
    """A school closure, inclusive at both ends (e.g. a holiday from 7 to 21 April)."""

    start: date
    end: date

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise ValueError(f"closure ends ({self.end}) before it starts ({self.start})")

    def contains(self, day: date) -> bool:
        return self.start <= day <= self.end


@dataclass(frozen=True)
class Term:
    """One term of a school year, inclusive at both ends, with its half-term break (inclusive;
    None when the term has none)."""

    name: str
    start: date
    end: date
    half_term: ClosureRange | None = None

    def is_open(self, day: date) -> bool:
        """True when ``day`` is inside the term and not inside its half-term break."""
        return self.start <= day <= self.end and not (
            self.half_term is not None and self.half_term.contains(day)
        )


@dataclass(frozen=True)
class TermYear:
    """The terms of one academic year (1 September of ``start_year`` to 31 August of the next)
    and its INSET (staff training) days, on which pupils are not taught. ``assumed``: the dates
    come from an assumed pattern, not from the school's or local authority's own term dates."""

    start_year: int
    terms: tuple[Term, ...]
    inset_days: frozenset[date] = frozenset()
    assumed: bool = False

    @property
    def label(self) -> str:
        """``2024-2025``: how an academic year is written in term-date files and decisions."""
        return f"{self.start_year}-{self.start_year + 1}"

    def is_open(self, day: date) -> bool:
        """True when pupils are taught on ``day`` as far as the term dates go (weekends and bank
        holidays are the calendar's business)."""
        return day not in self.inset_days and any(term.is_open(day) for term in self.terms)


@dataclass(frozen=True)
class TermCalendar:
    """Term dates by academic year. ``years`` holds the years the term dates give; any other
    year comes from ``pattern`` (an assumed pattern: every year it makes is ``assumed``).

    ``kind`` says where the dates come from: ``term_dates`` (supplied with the request) or
    ``england_term_pattern`` (the bundled assumed pattern, nothing supplied); ``name`` is the
    calendar's name as shown in a decision."""

    kind: str
    name: str
    years: dict[int, TermYear]
    pattern: Callable[[int], TermYear]
    #: What a decision request gives to get this calendar again (recorded in its canonical form).
    request_value: Any = None

    def year(self, start_year: int) -> TermYear:
        """The terms of the academic year starting in September of ``start_year``."""
        found = self.years.get(start_year)
        return found if found is not None else self.pattern(start_year)

    def is_open(self, day: date) -> bool:
        return self.year(academic_year_starting(day)).is_open(day)

    def assumed_years(self, start: date, end: date) -> list[str]:
        """The academic years from ``start`` to ``end`` whose term dates are assumed."""
        return [
            self.year(year).label
            for year in range(academic_year_starting(start), academic_year_starting(end) + 1)
            if self.year(year).assumed
        ]


#: The kinds of count a ``Calendar`` remembers answers for (the first part of their keys).
_NTH_SCHOOL_DAY, _SCHOOL_DAYS_AFTER, _WORKING_DAYS_AFTER = 0, 1, 2

#: How many answers of one kind a calendar remembers before it starts again from none.
_REMEMBERED = 1 << 16


def _remember(memo: dict[Any, Any], key: Any, value: Any) -> None:
    if len(memo) >= _REMEMBERED:
        memo.clear()
    memo[key] = value


#: ``Calendar.kind`` when no term dates apply: every weekday that is not a bank holiday (or a
#: school closure given with the request) is a school day.
WEEKDAYS = "weekdays"


class Calendar:
    """The school-day calendar for one decision: bank holidays, the term dates (when any
    apply) and the school closures given with the request. Immutable once built.

    Without term dates every weekday that is not a bank holiday or a closure is a school day
    (half-terms and INSET days included): the decision contract's reading, kept for the packs
    published with it."""

    def __init__(
        self, school_closures: Iterable[ClosureRange] = (), terms: TermCalendar | None = None
    ) -> None:
        self._closures: tuple[ClosureRange, ...] = tuple(sorted(school_closures))
        self._terms = terms
        # Answers already worked out, by date and by (kind of count, start, n). The calendar
        # never changes once built, so they stay true; a cohort run keeps one calendar for a
        # million journeys and asks about the same few thousand dates again and again. Bounded
        # (``_remember``) so that a long-lived calendar cannot grow without limit.
        self._school_days: dict[date, bool] = {}
        self._counted: dict[tuple[int, date, int], date] = {}

    @property
    def school_closures(self) -> tuple[ClosureRange, ...]:
        return self._closures

    @property
    def terms(self) -> TermCalendar | None:
        """The term dates school days are counted with, or None (weekdays)."""
        return self._terms

    @property
    def kind(self) -> str:
        """``weekdays``, ``term_dates`` or ``england_term_pattern`` (see ``TermCalendar``)."""
        return self._terms.kind if self._terms is not None else WEEKDAYS

    def assumed_between(self, start: date, end: date) -> bool:
        """Whether the school days from ``start`` to ``end`` rest on an assumption rather than
        the school's term dates: always without term dates (every weekday is taken to be a
        school day), else when an academic year in the span comes from the assumed pattern."""
        if self._terms is None:
            return True
        return bool(self._terms.assumed_years(min(start, end), max(start, end)))

    def is_school_closure(self, day: date) -> bool:
        """True when ``day`` falls inside one of the school closure ranges."""
        return any(closure.contains(day) for closure in self._closures)

    def is_school_day(self, day: date) -> bool:
        """A working day inside a term (when term dates apply), outside its half-term break,
        not an INSET day and not a school closure."""
        known = self._school_days.get(day)
        if known is None:
            known = is_working_day(day) and not self.is_school_closure(day)
            known = known and (self._terms is None or self._terms.is_open(day))
            _remember(self._school_days, day, known)
        return known

    def nth_school_day(self, start: date, n: int) -> date:
        """ "The Nth school day of X": X is day 1 when it is a school day, else the next
        school day is day 1."""
        if n < 1:
            raise ValueError("school days are counted from 1")
        key = (_NTH_SCHOOL_DAY, start, n)
        found = self._counted.get(key)
        if found is None:
            found = self._count_nth_school_day(start, n)
            _remember(self._counted, key, found)
        return found

    def _count_nth_school_day(self, start: date, n: int) -> date:
        day = start
        count = 0
        while True:
            if self.is_school_day(day):
                count += 1
                if count == n:
                    return day
            day += timedelta(days=1)

    def school_days_after(self, start: date, n: int) -> date:
        """ "Within N school days of X": the Nth school day after X, X itself not counted."""
        key = (_SCHOOL_DAYS_AFTER, start, n)
        found = self._counted.get(key)
        if found is None:
            found = self._nth_day_after(start, n, self.is_school_day)
            _remember(self._counted, key, found)
        return found

    def working_days_after(self, start: date, n: int) -> date:
        """ "Within N working days of X": the Nth working day after X, X itself not counted."""
        key = (_WORKING_DAYS_AFTER, start, n)
        found = self._counted.get(key)
        if found is None:
            found = self._nth_day_after(start, n, is_working_day)
            _remember(self._counted, key, found)
        return found

    @staticmethod
    def _nth_day_after(start: date, n: int, counts: Callable[[date], bool]) -> date:
        if n < 1:
            raise ValueError("a period of days must be at least 1 day long")
        day = start
        count = 0
        while count < n:
            day += timedelta(days=1)
            if counts(day):
                count += 1
        return day


# --- reporting periods (measures over a population) -----------------------------------------

#: The periods a measure can be counted over. Each is one year; ``last_...`` is the last one
#: completed on or before the as-of date, the others the one that contains it, up to the as-of
#: date ("year to date"). ``as_of`` is no period at all: the state on the day.
PERIOD_KINDS = (
    "calendar_year",
    "last_calendar_year",
    "academic_year",
    "last_academic_year",
    "financial_year",
    "last_financial_year",
    "as_of",
)

#: Where each kind of year starts: (month, day).
_YEAR_STARTS = {"calendar_year": (1, 1), "academic_year": (9, 1), "financial_year": (4, 1)}


def reporting_period(kind: str, as_of: date) -> tuple[date, date]:
    """The first and last day of the reporting period ``kind`` as seen on ``as_of``.

    ``calendar_year`` on 2025-06-01 is 2025-01-01 .. 2025-06-01 (to date);
    ``last_calendar_year`` is 2024-01-01 .. 2024-12-31; academic years start on 1 September,
    financial years on 1 April. ``as_of`` gives (as_of, as_of).
    """
    if kind == "as_of":
        return as_of, as_of
    base = kind[len("last_") :] if kind.startswith("last_") else kind
    if base not in _YEAR_STARTS:
        raise ValueError(f"unknown reporting period {kind!r}")
    month, day = _YEAR_STARTS[base]
    start_year = as_of.year if (as_of.month, as_of.day) >= (month, day) else as_of.year - 1
    start = date(start_year, month, day)
    if kind.startswith("last_"):
        previous = date(start_year - 1, month, day)
        return previous, start - timedelta(days=1)
    return start, as_of


def days_between(start: date, end: date) -> int:
    """Calendar days from ``start`` to ``end`` (negative when ``end`` is earlier)."""
    return (end - start).days


# --- periods "beginning with" a day (rules language 2) ---------------------------------------
# "Within N days beginning with X" counts X as day 1 (SEND Regulations 2014 reg 15(2): "within
# 15 working days beginning with the day on which it did become aware"), so the period ends one
# day earlier than "within N days of X", where X itself is not counted.


def end_of_days_beginning_with(start: date, days: int) -> date:
    """The last day of N calendar days beginning with ``start`` (``start`` is day 1)."""
    if days < 1:
        raise ValueError("a period of days must be at least 1 day long")
    return start + timedelta(days=days - 1)


def end_of_weeks_beginning_with(start: date, weeks: int) -> date:
    """The last day of N weeks beginning with ``start``: the day before the same weekday N weeks on."""
    if weeks < 1:
        raise ValueError("a period of weeks must be at least 1 week long")
    return start + timedelta(days=7 * weeks - 1)


def nth_working_day(start: date, n: int) -> date:
    """The last day of N working days beginning with ``start``: ``start`` is day 1 when it is a
    working day, else the next working day is day 1."""
    if n < 1:
        raise ValueError("working days are counted from 1")
    day = start
    count = 1 if is_working_day(day) else 0
    while count < n:
        day += timedelta(days=1)
        if is_working_day(day):
            count += 1
    return day
