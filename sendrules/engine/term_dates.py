"""Term dates: which days a school teaches, as first-class data (docs/semantics.md, "School days").

A term-dates file (YAML; the same object in JSON over HTTP) gives a school's or local
authority's terms for one or more academic years::

    name: Example Borough term dates          # required: shown in every decision that uses it
    source: https://example.gov.uk/term-dates # optional: where the dates were published
    academic_years:
      - year: 2024-2025                       # 1 September 2024 to 31 August 2025
        terms:
          - name: autumn
            start: 2024-09-02
            end: 2024-12-20
            half_term: {start: 2024-10-28, end: 2024-11-01}
          - {name: spring, start: 2025-01-06, end: 2025-04-04,
             half_term: {start: 2025-02-17, end: 2025-02-21}}
          - {name: summer, start: 2025-04-22, end: 2025-07-22,
             half_term: {start: 2025-05-26, end: 2025-05-30}}
        inset_days: [2024-09-02, 2025-01-06]

``parse_term_dates_file`` reads a file and reports every mistake at once, each with
file:line:column; ``term_dates_from_data`` checks the same object arriving over HTTP and
reports JSON paths. Both give a ``calendar.TermCalendar``; years the file does not give come
from the assumed England pattern (``england_term_pattern``) and are marked assumed in every
decision. The date arithmetic itself stays in ``engine.calendar``.
"""

from __future__ import annotations

import datetime as _dt
import re
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

from sendrules.dsl.yaml_source import Path_, YamlDocument, format_path, load_yaml
from sendrules.engine import calendar as cal
from sendrules.engine.errors import InputError, Problem

#: ``kind`` of a calendar built from term dates supplied with a request.
TERM_DATES = "term_dates"
#: ``kind`` (and the request value) of the bundled assumed pattern for England.
ENGLAND_TERM_PATTERN = "england_term_pattern"
#: The name the assumed pattern has in decisions.
ENGLAND_TERM_PATTERN_NAME = "assumed term pattern for England (not any school's or local authority's dates)"

#: The largest term-dates file read, and the most years, terms and INSET days accepted.
MAX_FILE_BYTES = 1024 * 1024
MAX_YEARS = 300
MAX_TERMS = 12
MAX_INSET_DAYS = 60

_YEAR_LABEL = re.compile(r"^(\d{4})-(\d{4})$")
_TOP_KEYS = {"name", "source", "academic_years"}
_YEAR_KEYS = {"year", "terms", "inset_days"}
_TERM_KEYS = {"name", "start", "end", "half_term"}
_RANGE_KEYS = {"start", "end"}


# --- the assumed pattern -----------------------------------------------------------------------


@lru_cache(maxsize=256)
def england_term_pattern(start_year: int) -> cal.TermYear:
    """The assumed term dates of the academic year starting in September ``start_year``.

    Derived by fixed rules from the usual shape of English local authorities' term dates; it is
    no real school's or authority's calendar, and INSET days (which each school chooses) are
    not assumed at all:

    * autumn: from the first weekday on or after 3 September to the Friday before the week of
      25 December; half-term the week (Monday to Friday) beginning on the last Monday of October;
    * spring: from the first Monday on or after 4 January to the Friday before the Easter
      holiday; half-term the week beginning on the third Monday of February;
    * Easter holiday: the Monday six days before Easter Sunday to the Friday after Easter Monday;
    * summer: from the Monday after the Easter holiday to the last weekday on or before 22 July;
      half-term the week beginning on the last Monday of May.
    """
    year, next_year = start_year, start_year + 1
    autumn_start = _first_weekday_on_or_after(date(year, 9, 3))
    autumn_break = cal.weekday_on_or_before(date(year, 10, 31), 0)
    christmas_week = cal.weekday_on_or_before(date(year, 12, 25), 0)
    autumn_end = cal.add_days(christmas_week, -3)
    spring_start = cal.weekday_on_or_after(date(next_year, 1, 4), 0)
    spring_break = cal.weekday_on_or_after(date(next_year, 2, 15), 0)
    easter = cal.easter_sunday(next_year)
    spring_end = cal.add_days(easter, -9)
    summer_start = cal.add_days(easter, 8)
    summer_break = cal.weekday_on_or_before(date(next_year, 5, 31), 0)
    summer_end = _last_weekday_on_or_before(date(next_year, 7, 22))
    return cal.TermYear(
        start_year,
        (
            cal.Term("autumn", autumn_start, autumn_end, _week(autumn_break)),
            cal.Term("spring", spring_start, spring_end, _week(spring_break)),
            cal.Term("summer", summer_start, summer_end, _week(summer_break)),
        ),
        frozenset(),
        assumed=True,
    )


def _week(monday: date) -> cal.ClosureRange:
    return cal.ClosureRange(monday, cal.add_days(monday, 4))


def _first_weekday_on_or_after(day: date) -> date:
    return day if day.weekday() < 5 else cal.weekday_on_or_after(day, 0)


def _last_weekday_on_or_before(day: date) -> date:
    return day if day.weekday() < 5 else cal.weekday_on_or_before(day, 4)


def england_calendar() -> cal.TermCalendar:
    """The assumed England pattern as a calendar (every year assumed)."""
    return cal.TermCalendar(
        ENGLAND_TERM_PATTERN, ENGLAND_TERM_PATTERN_NAME, {}, england_term_pattern, ENGLAND_TERM_PATTERN
    )


# --- term dates supplied with a request ----------------------------------------------------------


class TermDates:
    """Validated term dates: the calendar they make and their canonical JSON form (what a
    decision's request hash covers, and what a logged request replays with)."""

    def __init__(self, name: str, source: str | None, years: dict[int, cal.TermYear]) -> None:
        self.name = name
        self.source = source
        self.years = years

    def calendar(self) -> cal.TermCalendar:
        return cal.TermCalendar(TERM_DATES, self.name, dict(self.years), england_term_pattern, self.to_data())

    def to_data(self) -> dict[str, Any]:
        """The canonical JSON form: the file's shape, years and terms in date order."""
        data: dict[str, Any] = {"name": self.name}
        if self.source is not None:
            data["source"] = self.source
        data["academic_years"] = [_year_data(self.years[key]) for key in sorted(self.years)]
        return data


def _year_data(year: cal.TermYear) -> dict[str, Any]:
    terms = []
    for term in year.terms:
        item: dict[str, Any] = {
            "name": term.name,
            "start": term.start.isoformat(),
            "end": term.end.isoformat(),
        }
        if term.half_term is not None:
            item["half_term"] = {
                "start": term.half_term.start.isoformat(),
                "end": term.half_term.end.isoformat(),
            }
        terms.append(item)
    return {
        "year": year.label,
        "terms": terms,
        "inset_days": sorted(day.isoformat() for day in year.inset_days),
    }


Issue = tuple[Path_, str, bool]  # path, message, whether it is about the key (not the value)


def parse_term_dates_file(path: Path) -> TermDates:
    """Read and check a term-dates YAML file. Every problem is reported at once, each located
    by file:line:column; ``InputError`` (code ``invalid_term_dates``) when there is any."""
    where = str(path)
    try:
        with open(path, "rb") as file:
            raw = file.read(MAX_FILE_BYTES + 1)
    except FileNotFoundError:
        raise InputError("file_not_found", f"term dates file {path} does not exist") from None
    except IsADirectoryError:
        raise InputError("unreadable_file", f"term dates file {path} is a folder") from None
    except OSError as error:
        raise InputError(
            "unreadable_file", f"cannot read term dates file {path}: {error.strerror or error}"
        ) from None
    if len(raw) > MAX_FILE_BYTES:
        raise InputError(
            "file_too_large",
            f"term dates file {path} is larger than {MAX_FILE_BYTES} bytes",
            [Problem(where, f"at most {MAX_FILE_BYTES} bytes are read")],
        )
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise InputError(
            "invalid_term_dates",
            f"term dates file {path} is not UTF-8 text",
            [Problem(where, f"byte {error.start} is not UTF-8")],
        ) from None
    document, diagnostics = load_yaml(text, where)
    problems = [Problem(d.location(), d.message, field=d.yaml_path) for d in diagnostics]
    if document is not None and not problems:
        result, issues = _check(document.data)
        problems = [_located(document, issue) for issue in issues]
        if result is not None and not problems:
            return result
    raise InputError(
        "invalid_term_dates",
        f"term dates file {path} has {len(problems)} problem{'s' if len(problems) != 1 else ''}",
        problems,
    )


def term_dates_from_data(data: Any, where: str = "term_dates") -> TermDates:
    """Check term dates given as JSON data (the HTTP request's ``term_dates``); problems are
    located by JSON path under ``where``."""
    result, issues = _check(data)
    if result is not None and not issues:
        return result
    problems = [
        Problem(_json_location(where, path), message, field=str(path[-1]) if path else None)
        for path, message, _ in issues
    ]
    raise InputError(
        "invalid_term_dates",
        f"the term dates have {len(problems)} problem{'s' if len(problems) != 1 else ''}",
        problems,
    )


def _located(document: YamlDocument, issue: Issue) -> Problem:
    path, message, key = issue
    line, column = document.position(path, key=key)
    location = document.file if line is None else f"{document.file}:{line}:{column}"
    return Problem(location, message, field=format_path(path) or None)


def _json_location(where: str, path: Path_) -> str:
    text = where
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else f".{part}"
    return text


def _check(data: Any) -> tuple[TermDates | None, list[Issue]]:
    """Check the whole object; collect every problem (a policy officer fixes them in one pass)."""
    issues: list[Issue] = []
    if not isinstance(data, dict):
        return None, [((), "expected a mapping with name and academic_years", False)]
    _unknown_keys(data, (), _TOP_KEYS, issues)
    name = data.get("name")
    if not isinstance(name, str) or not name.strip() or len(name) > 200:
        issues.append((("name",), "expected the calendar's name: text of 1 to 200 characters", False))
    source = data.get("source")
    if source is not None and (not isinstance(source, str) or len(source) > 1000):
        issues.append(
            (("source",), "expected text (where the dates were published), at most 1000 characters", False)
        )
    years_data = data.get("academic_years")
    years: dict[int, cal.TermYear] = {}
    if not isinstance(years_data, list) or not years_data:
        issues.append((("academic_years",), "expected a list of at least one academic year", False))
    elif len(years_data) > MAX_YEARS:
        issues.append((("academic_years",), f"at most {MAX_YEARS} academic years", False))
    else:
        for index, item in enumerate(years_data):
            year = _check_year(item, ("academic_years", index), issues)
            if year is None:
                continue
            if year.start_year in years:
                issues.append(
                    (("academic_years", index, "year"), f"academic year {year.label} is given twice", False)
                )
            years[year.start_year] = year
    if issues:
        return None, issues
    assert isinstance(name, str)
    return TermDates(name.strip(), source if isinstance(source, str) else None, years), []


def _check_year(data: Any, path: Path_, issues: list[Issue]) -> cal.TermYear | None:
    if not isinstance(data, dict):
        issues.append((path, "expected a mapping with year, terms and inset_days", False))
        return None
    before = len(issues)
    _unknown_keys(data, path, _YEAR_KEYS, issues)
    label = data.get("year")
    match = _YEAR_LABEL.match(label) if isinstance(label, str) else None
    if match is None or int(match.group(2)) != int(match.group(1)) + 1:
        issues.append(
            (path + ("year",), "expected an academic year written as YYYY-YYYY, e.g. 2024-2025", False)
        )
        return None
    start_year = int(match.group(1))
    first_day, last_day = date(start_year, 9, 1), date(start_year + 1, 8, 31)
    if not (cal.EARLIEST_DATE <= first_day and last_day <= cal.LATEST_DATE):
        issues.append(
            (
                path + ("year",),
                f"academic years from {cal.EARLIEST_DATE.year} to "
                f"{cal.LATEST_DATE.year - 1}-{cal.LATEST_DATE.year} are supported",
                False,
            )
        )
        return None
    terms_data = data.get("terms")
    terms: list[cal.Term] = []
    if not isinstance(terms_data, list) or not terms_data:
        issues.append((path + ("terms",), "expected a list of at least one term", False))
    elif len(terms_data) > MAX_TERMS:
        issues.append((path + ("terms",), f"at most {MAX_TERMS} terms in a year", False))
    else:
        names: set[str] = set()
        for index, item in enumerate(terms_data):
            term = _check_term(item, path + ("terms", index), first_day, last_day, issues)
            if term is None:
                continue
            if term.name in names:
                issues.append(
                    (path + ("terms", index, "name"), f"the term '{term.name}' is given twice", False)
                )
            names.add(term.name)
            if terms and term.start <= terms[-1].end:
                issues.append(
                    (
                        path + ("terms", index, "start"),
                        f"term '{term.name}' starts on {term.start}, "
                        f"not after term '{terms[-1].name}' ends ({terms[-1].end}); "
                        "list terms in date order, without overlaps",
                        False,
                    )
                )
            terms.append(term)
    # (INSET days are checked against the terms only when every term could be read)
    terms_read = len(issues) == before
    inset = _check_inset_days(
        data.get("inset_days", []), path + ("inset_days",), terms if terms_read else None, issues
    )
    if len(issues) > before:
        return None
    return cal.TermYear(start_year, tuple(terms), frozenset(inset))


def _check_term(
    data: Any, path: Path_, first_day: date, last_day: date, issues: list[Issue]
) -> cal.Term | None:
    if not isinstance(data, dict):
        issues.append((path, "expected a mapping with name, start, end and (optionally) half_term", False))
        return None
    before = len(issues)
    _unknown_keys(data, path, _TERM_KEYS, issues)
    name = data.get("name")
    if not isinstance(name, str) or not name.strip() or len(name) > 100:
        issues.append((path + ("name",), "expected the term's name: text of 1 to 100 characters", False))
    start = _date(data, "start", path, issues)
    end = _date(data, "end", path, issues)
    half_term = None
    if data.get("half_term") is not None:
        half_term = _check_range(data["half_term"], path + ("half_term",), issues)
    if len(issues) > before or start is None or end is None or not isinstance(name, str):
        return None
    if end < start:
        issues.append((path + ("end",), f"the term ends ({end}) before it starts ({start})", False))
        return None
    if start < first_day or end > last_day:
        issues.append(
            (
                path,
                f"the term ({start} to {end}) is not inside its academic year ({first_day} to {last_day})",
                False,
            )
        )
        return None
    if half_term is not None and not (start < half_term.start and half_term.end < end):
        issues.append(
            (
                path + ("half_term",),
                f"the half-term ({half_term.start} to {half_term.end}) is not "
                f"inside the term ({start} to {end})",
                False,
            )
        )
        return None
    return cal.Term(name.strip(), start, end, half_term)


def _check_range(data: Any, path: Path_, issues: list[Issue]) -> cal.ClosureRange | None:
    if not isinstance(data, dict):
        issues.append((path, "expected a mapping with start and end (inclusive)", False))
        return None
    before = len(issues)
    _unknown_keys(data, path, _RANGE_KEYS, issues)
    start = _date(data, "start", path, issues)
    end = _date(data, "end", path, issues)
    if len(issues) > before or start is None or end is None:
        return None
    if end < start:
        issues.append((path + ("end",), f"the break ends ({end}) before it starts ({start})", False))
        return None
    return cal.ClosureRange(start, end)


def _check_inset_days(
    data: Any, path: Path_, terms: list[cal.Term] | None, issues: list[Issue]
) -> list[date]:
    if not isinstance(data, list):
        issues.append((path, "expected a list of dates (YYYY-MM-DD)", False))
        return []
    if len(data) > MAX_INSET_DAYS:
        issues.append((path, f"at most {MAX_INSET_DAYS} INSET days in a year", False))
        return []
    days: list[date] = []
    for index, value in enumerate(data):
        day = _as_date(value)
        where = path + (index,)
        if day is None:
            issues.append((where, "expected a date written as YYYY-MM-DD", False))
        elif day in days:
            issues.append((where, f"the INSET day {day} is given twice", False))
        elif day.weekday() >= 5:
            issues.append(
                (
                    where,
                    f"the INSET day {day} is a {day.strftime('%A')}: schools do not teach then anyway",
                    False,
                )
            )
        elif cal.is_bank_holiday(day):
            issues.append((where, f"the INSET day {day} is a bank holiday", False))
        elif terms is not None and not any(term.is_open(day) for term in terms):
            issues.append(
                (
                    where,
                    f"the INSET day {day} is not a teaching day of any term of this year "
                    "(outside the terms or inside a half-term)",
                    False,
                )
            )
        else:
            days.append(day)
    return days


def _date(data: dict[str, Any], key: str, path: Path_, issues: list[Issue]) -> date | None:
    if key not in data:
        issues.append((path, f"missing '{key}' (a date written as YYYY-MM-DD)", False))
        return None
    day = _as_date(data[key])
    if day is None:
        issues.append((path + (key,), "expected a date written as YYYY-MM-DD", False))
    return day


def _as_date(value: Any) -> date | None:
    """A date from YAML (already a date) or JSON (text written exactly as YYYY-MM-DD)."""
    if isinstance(value, _dt.datetime):
        return None
    if isinstance(value, date):
        day: date | None = value
    elif isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        try:
            day = date.fromisoformat(value)
        except ValueError:
            return None
    else:
        return None
    if day is None or not cal.EARLIEST_DATE <= day <= cal.LATEST_DATE:
        return None
    return day


def _unknown_keys(data: dict[Any, Any], path: Path_, allowed: set[str], issues: list[Issue]) -> None:
    for key in data:
        if key not in allowed:
            issues.append(
                (path + (key,), f"unknown key '{key}'; expected one of: {', '.join(sorted(allowed))}", True)
            )


# --- which calendar a decision counts school days with ------------------------------------------


def choose_calendar(
    term_dates: TermDates | str | None, pack_default: str | None, closures: tuple[cal.ClosureRange, ...]
) -> cal.Calendar:
    """The school-day calendar for one decision: the term dates supplied; else the assumed
    England pattern when the request asks for it (``england_term_pattern``) or the standards
    opt in (manifest ``school_days: england_term_pattern``); else weekdays, as the contract
    reads school days for the packs published with it. School closures apply in every case."""
    if isinstance(term_dates, TermDates):
        return cal.Calendar(closures, term_dates.calendar())
    england = term_dates == ENGLAND_TERM_PATTERN or pack_default == ENGLAND_TERM_PATTERN
    if closures:
        return cal.Calendar(closures, england_calendar() if england else None)
    return _SHARED_CALENDARS[england]


#: The two calendars of decisions that supply neither term dates nor school closures (nearly
#: every decision): weekdays, and the assumed England pattern. A calendar never changes once
#: built, so one of each is shared by every such decision of the process, and the school days it
#: has counted for one decision are not counted again for the next (its memory is bounded:
#: ``Calendar``). A decision with its own closures or term dates gets a calendar of its own, so
#: no caller can make these grow by more than that bound.
_SHARED_CALENDARS: dict[bool, cal.Calendar] = {
    False: cal.Calendar(),
    True: cal.Calendar((), england_calendar()),
}
