"""Term dates (engine/term_dates.py, engine/calendar.py): the file format, its located errors,
the assumed England pattern, and school days counted with them.

Days are checked one before, on and one after every edge (half-terms, INSET days, the ends of
terms and of academic years), in a leap year and across calendar and academic year boundaries.
"""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

import pytest

from sendrules.engine import calendar as cal
from sendrules.engine.errors import InputError
from sendrules.engine.request import parse_request
from sendrules.engine.service import DecisionService
from sendrules.engine.term_dates import (
    ENGLAND_TERM_PATTERN,
    TERM_DATES,
    TermDates,
    choose_calendar,
    england_calendar,
    england_term_pattern,
    parse_term_dates_file,
    term_dates_from_data,
)

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "journey.json"


def d(text: str) -> date:
    return date.fromisoformat(text)


# 2023-2024 is a leap year (29 February 2024 is a Thursday); 2024-2025 has the 26 May bank
# holiday inside the summer half-term.
FILE = """\
name: Example Borough term dates
source: https://example.gov.uk/term-dates
academic_years:
  - year: 2024-2025
    terms:
      - name: autumn
        start: 2024-09-02
        end: 2024-12-20
        half_term: {start: 2024-10-28, end: 2024-11-01}
      - name: spring
        start: 2025-01-06
        end: 2025-04-04
        half_term: {start: 2025-02-17, end: 2025-02-21}
      - name: summer
        start: 2025-04-22
        end: 2025-07-22
        half_term: {start: 2025-05-26, end: 2025-05-30}
    inset_days: [2024-09-02, 2025-01-06, 2025-06-02]
  - year: 2023-2024
    terms:
      - {name: autumn, start: 2023-09-04, end: 2023-12-20, half_term: {start: 2023-10-30, end: 2023-11-03}}
      - {name: spring, start: 2024-01-04, end: 2024-03-28, half_term: {start: 2024-02-12, end: 2024-02-16}}
      - {name: summer, start: 2024-04-15, end: 2024-07-23, half_term: {start: 2024-05-27, end: 2024-05-31}}
    inset_days: [2024-02-29]
"""


@pytest.fixture()
def term_file(tmp_path: Path) -> Path:
    path = tmp_path / "terms.yaml"
    path.write_text(FILE, encoding="utf-8")
    return path


@pytest.fixture()
def calendar(term_file: Path) -> cal.Calendar:
    return cal.Calendar((), parse_term_dates_file(term_file).calendar())


# --- reading a file ------------------------------------------------------------------------------


def test_a_file_is_read_into_terms_by_academic_year(term_file):
    dates = parse_term_dates_file(term_file)
    assert dates.name == "Example Borough term dates" and dates.source == "https://example.gov.uk/term-dates"
    assert sorted(dates.years) == [2023, 2024]
    year = dates.years[2024]
    assert year.label == "2024-2025" and not year.assumed
    assert [term.name for term in year.terms] == ["autumn", "spring", "summer"]
    assert year.terms[0].half_term == cal.ClosureRange(d("2024-10-28"), d("2024-11-01"))
    assert year.inset_days == {d("2024-09-02"), d("2025-01-06"), d("2025-06-02")}


def test_the_canonical_form_is_ordered_and_reads_back_to_the_same_calendar(term_file):
    dates = parse_term_dates_file(term_file)
    data = dates.to_data()
    assert [year["year"] for year in data["academic_years"]] == ["2023-2024", "2024-2025"]
    assert data["academic_years"][1]["inset_days"] == ["2024-09-02", "2025-01-06", "2025-06-02"]
    again = term_dates_from_data(json.loads(json.dumps(data)))
    assert again.to_data() == data and again.years == dates.years


def test_a_file_with_a_byte_order_mark_is_read(tmp_path):
    path = tmp_path / "bom.yaml"
    path.write_bytes(b"\xef\xbb\xbf" + FILE.encode())
    assert parse_term_dates_file(path).name == "Example Borough term dates"


# --- school days: edges of half-terms, INSET days, terms and years -------------------------------


@pytest.mark.parametrize(
    "day, expected",
    [
        ("2024-10-25", True),  # Friday before the autumn half-term (N-1)
        ("2024-10-28", False),  # its first day (N)
        ("2024-11-01", False),  # its last day
        ("2024-11-04", True),  # the Monday after (N+1)
        ("2025-02-14", True),
        ("2025-02-17", False),
        ("2025-02-21", False),
        ("2025-02-24", True),
        ("2025-05-23", True),
        ("2025-05-26", False),
        ("2025-05-30", False),
        ("2025-06-02", False),  # INSET day straight after half-term
        ("2025-06-03", True),
    ],
)
def test_half_terms_are_not_school_days(calendar, day, expected):
    assert calendar.is_school_day(d(day)) is expected


@pytest.mark.parametrize(
    "day, expected",
    [
        ("2024-08-30", False),  # summer holiday of 2023-2024 (its summer term ended 23 July)
        ("2024-09-02", False),  # first day of term, an INSET day
        ("2024-09-03", True),  # the first teaching day
        ("2025-01-03", False),
        ("2025-01-06", False),
        ("2025-01-07", True),  # INSET on the first day of spring
        ("2024-02-28", True),
        ("2024-02-29", False),
        ("2024-03-01", True),  # INSET on 29 February
    ],
)
def test_inset_days_are_not_school_days(calendar, day, expected):
    assert calendar.is_school_day(d(day)) is expected


@pytest.mark.parametrize(
    "day, expected",
    [
        ("2024-12-20", True),
        ("2024-12-23", False),
        ("2025-01-02", False),  # Christmas holiday
        ("2025-04-04", True),
        ("2025-04-07", False),
        ("2025-04-21", False),  # Easter holiday (21st: Easter Monday)
        ("2025-04-22", True),
        ("2025-07-22", True),
        ("2025-07-23", False),
        ("2025-08-29", False),  # end of the academic year
        ("2024-07-23", True),
        ("2024-07-24", False),
    ],
)
def test_days_between_terms_are_not_school_days(calendar, day, expected):
    assert calendar.is_school_day(d(day)) is expected


def test_bank_holidays_and_closures_still_apply_on_term_dates(term_file):
    dates = parse_term_dates_file(term_file)
    closed = cal.Calendar([cal.ClosureRange(d("2025-03-03"), d("2025-03-04"))], dates.calendar())
    assert closed.is_school_day(d("2025-03-03")) is False and closed.is_school_day(d("2025-03-05")) is True
    assert closed.is_school_day(d("2025-05-05")) is False  # early May bank holiday, in term


@pytest.mark.parametrize(
    "start, n, expected",
    [
        # an exclusion starting on the Monday before the summer half-term: 19-23 May are days 1-5,
        # half-term (with the 26 May bank holiday) and the 2 June INSET day are skipped
        ("2025-05-19", 5, "2025-05-23"),
        ("2025-05-19", 6, "2025-06-03"),
        ("2025-05-19", 7, "2025-06-04"),
        # starting inside half-term: day 1 is the first teaching day after it
        ("2025-05-27", 1, "2025-06-03"),
        # starting on the INSET day itself
        ("2025-06-02", 1, "2025-06-03"),
        # across Christmas (a calendar-year boundary)
        ("2024-12-18", 3, "2024-12-20"),
        ("2024-12-18", 4, "2025-01-07"),
        # across 29 February 2024 (an INSET day in a leap year)
        ("2024-02-27", 3, "2024-03-01"),
    ],
)
def test_nth_school_day_on_term_dates(calendar, start, n, expected):
    assert calendar.nth_school_day(d(start), n) == d(expected)


@pytest.mark.parametrize(
    "start, n, expected",
    [
        ("2024-10-24", 1, "2024-10-25"),
        ("2024-10-24", 2, "2024-11-04"),  # N-1 / N / N+1 around half-term
        ("2024-10-25", 1, "2024-11-04"),
        ("2025-05-30", 1, "2025-06-03"),  # half-term then INSET
        ("2025-07-21", 1, "2025-07-22"),
    ],
)
def test_school_days_after_on_term_dates(calendar, start, n, expected):
    assert calendar.school_days_after(d(start), n) == d(expected)


def test_working_days_do_not_depend_on_term_dates(calendar):
    assert calendar.working_days_after(d("2024-10-25"), 1) == d("2024-10-28")


# --- years the file does not give: the assumed pattern, and saying so -----------------------------


def test_a_year_the_file_does_not_give_comes_from_the_assumed_pattern(calendar):
    terms = calendar.terms
    assert terms is not None and terms.kind == TERM_DATES
    assert terms.year(2025) == england_term_pattern(2025) and terms.year(2025).assumed
    # the summer term of 2024-2025 ends on 22 July (the file); the next school day is the first
    # day of the assumed autumn term 2025 (Wednesday 3 September)
    assert calendar.nth_school_day(d("2025-07-22"), 2) == d("2025-09-03")
    assert calendar.assumed_between(d("2025-07-22"), d("2025-07-22")) is False
    assert calendar.assumed_between(d("2025-07-22"), d("2025-09-03")) is True
    assert terms.assumed_years(d("2023-09-01"), d("2026-01-01")) == ["2025-2026"]
    assert calendar.assumed_between(d("2024-01-01"), d("2023-12-01")) is False  # order does not matter


def test_without_term_dates_every_weekday_is_assumed():
    weekdays = cal.Calendar()
    assert weekdays.kind == "weekdays" and weekdays.terms is None
    assert weekdays.assumed_between(d("2025-01-01"), d("2025-01-02")) is True
    assert weekdays.is_school_day(d("2024-10-28")) is True  # a half-term counts: the contract's reading


# --- the assumed England pattern -------------------------------------------------------------------


def test_the_england_pattern_for_2024_2025():
    year = england_term_pattern(2024)
    assert year.assumed and year.inset_days == frozenset()
    autumn, spring, summer = year.terms
    assert (autumn.start, autumn.end) == (d("2024-09-03"), d("2024-12-20"))
    assert autumn.half_term == cal.ClosureRange(d("2024-10-28"), d("2024-11-01"))
    assert (spring.start, spring.end) == (d("2025-01-06"), d("2025-04-11"))  # Easter Sunday 20 April
    assert spring.half_term == cal.ClosureRange(d("2025-02-17"), d("2025-02-21"))
    assert (summer.start, summer.end) == (d("2025-04-28"), d("2025-07-22"))
    assert summer.half_term == cal.ClosureRange(d("2025-05-26"), d("2025-05-30"))


def test_the_england_pattern_in_a_leap_year_with_an_early_easter():
    autumn, spring, summer = england_term_pattern(2023).terms
    assert autumn.start == d("2023-09-04")  # 3 September 2023 is a Sunday
    assert autumn.end == d("2023-12-22")  # 25 December 2023 is a Monday
    assert spring.half_term == cal.ClosureRange(d("2024-02-19"), d("2024-02-23"))
    assert spring.end == d("2024-03-22") and summer.start == d("2024-04-08")  # Easter Sunday 31 March
    pattern = cal.Calendar((), england_calendar())
    assert [pattern.is_school_day(d(day)) for day in ("2024-02-28", "2024-02-29", "2024-03-01")] == [True] * 3
    assert pattern.nth_school_day(d("2024-02-28"), 3) == d("2024-03-01")


@pytest.mark.parametrize("start_year", range(1950, 2150))
def test_every_year_of_the_england_pattern_is_valid_term_dates(start_year):
    year = england_term_pattern(start_year)
    data = TermDates("pattern", None, {start_year: year}).to_data()
    again = term_dates_from_data(data).years[start_year]  # the file format's own checks
    assert again.terms == year.terms
    autumn, spring, summer = year.terms
    assert autumn.start.weekday() < 5 and autumn.end.weekday() == 4 and spring.start.weekday() == 0
    assert spring.end.weekday() == 4 and summer.start.weekday() == 0 and summer.end.weekday() < 5
    # the Easter bank holidays fall in the Easter holiday, between spring and summer
    easter = cal.easter_sunday(start_year + 1)
    good_friday, easter_monday = easter - timedelta(days=2), easter + timedelta(days=1)
    assert spring.end < good_friday and easter_monday < summer.start


def test_easter_sunday():
    assert [cal.easter_sunday(year) for year in (2008, 2024, 2025, 2026, 2038)] == [
        d("2008-03-23"),
        d("2024-03-31"),
        d("2025-04-20"),
        d("2026-04-05"),
        d("2038-04-25"),
    ]


# --- which calendar a decision uses ----------------------------------------------------------------


def test_choose_calendar(term_file):
    dates = parse_term_dates_file(term_file)
    assert choose_calendar(None, "weekdays", ()).kind == "weekdays"
    assert choose_calendar(ENGLAND_TERM_PATTERN, "weekdays", ()).kind == ENGLAND_TERM_PATTERN
    assert choose_calendar(None, ENGLAND_TERM_PATTERN, ()).kind == ENGLAND_TERM_PATTERN  # the pack opts in
    assert choose_calendar(dates, ENGLAND_TERM_PATTERN, ()).kind == TERM_DATES  # supplied dates win
    closures = (cal.ClosureRange(d("2025-01-01"), d("2025-01-02")),)
    assert choose_calendar(dates, "weekdays", closures).school_closures == closures


def test_decisions_without_closures_or_term_dates_share_one_calendar_of_each_kind(term_file):
    """The school days one decision counted are kept for the next, but only in the two calendars
    that every such decision would build alike; closures or term dates get a calendar of their own."""
    weekdays = choose_calendar(None, "weekdays", ())
    assert choose_calendar(None, "weekdays", ()) is weekdays
    england = choose_calendar(ENGLAND_TERM_PATTERN, "weekdays", ())
    assert choose_calendar(None, ENGLAND_TERM_PATTERN, ()) is england is not weekdays
    closures = (cal.ClosureRange(d("2025-01-06"), d("2025-01-07")),)
    own = choose_calendar(None, "weekdays", closures)
    assert own is not weekdays and own is not choose_calendar(None, "weekdays", closures)
    dates = parse_term_dates_file(term_file)
    assert choose_calendar(dates, "weekdays", ()) is not choose_calendar(dates, "weekdays", ())
    # what one decision's calendar counted does not leak into another's
    assert own.nth_school_day(d("2025-01-03"), 2) == d("2025-01-08")
    assert weekdays.nth_school_day(d("2025-01-03"), 2) == d("2025-01-06")
    assert england.is_school_day(d("2025-02-18")) is False  # the assumed February half-term
    assert weekdays.is_school_day(d("2025-02-18")) is True


def _decide(extra: dict | None = None, standards: str = "send-ap@1.1.0") -> dict:
    payload = {
        "journey": json.loads(EXAMPLE.read_text()),
        "as_of": "2025-06-01",
        "standards": standards,
        **(extra or {}),
    }
    return DecisionService().decide(parse_request(payload)).to_dict()


@pytest.mark.parametrize("standards", ["send-ap@1.0.0", "send-ap@1.1.0"])
def test_published_packs_keep_weekdays_unless_term_dates_are_supplied(standards):
    decision = _decide(standards=standards)
    assert decision["school_days"] == {
        "calendar": "weekdays",
        "assumed": True,
        "school_closures": 0,
        "name": "weekdays that are not England-and-Wales bank holidays (no term dates: half-terms, "
        "holidays and INSET days count as school days)",
        "findings": [{"rule": "exclusion.sixth_day_provision", "trigger": "e10", "assumed": True}],
    }
    sixth = next(f for f in decision["findings"] if f["rule"] == "exclusion.sixth_day_provision")
    assert sixth["due"] == "2025-05-27" and "school_days" not in sixth


def test_term_dates_change_the_hash_and_replay_from_the_canonical_request(term_file):
    plain = _decide()
    data = parse_term_dates_file(term_file).to_data()
    with_terms = DecisionService().decide(
        parse_request({"journey": json.loads(EXAMPLE.read_text()), "as_of": "2025-06-01", "term_dates": data})
    )
    assert with_terms.input_sha256 != plain["input_sha256"]
    canonical = json.loads(with_terms.request_json)
    assert canonical["term_dates"] == data
    replayed = DecisionService().decide(parse_request(canonical))
    assert replayed.to_dict() == with_terms.to_dict()
    pattern = DecisionService().decide(
        parse_request(
            {
                "journey": json.loads(EXAMPLE.read_text()),
                "as_of": "2025-06-01",
                "term_dates": "england_term_pattern",
            }
        )
    )
    assert json.loads(pattern.request_json)["term_dates"] == "england_term_pattern"
    assert pattern.to_dict()["school_days"]["assumed"] is True


def test_a_decision_with_no_school_day_duty_still_names_its_calendar(term_file):
    journey = {
        "child": {"id": "C-1", "date_of_birth": "2015-03-14", "local_authority": "E09000033"},
        "events": [{"id": "e1", "type": "assessment_requested", "date": "2025-01-06"}],
    }
    data = parse_term_dates_file(term_file).to_data()
    decision = (
        DecisionService()
        .decide(
            parse_request(
                {"journey": journey, "as_of": "2025-02-01", "standards": "send-ap@1.1.0", "term_dates": data}
            )
        )
        .to_dict()
    )
    assert decision["school_days"]["calendar"] == TERM_DATES and decision["school_days"]["findings"] == []
    assert decision["school_days"]["assumed"] is False


def test_a_finding_that_reaches_an_assumed_year_says_so(tmp_path):
    only_one_year = FILE.split("  - year: 2023-2024")[0]
    path = tmp_path / "one.yaml"
    path.write_text(only_one_year, encoding="utf-8")
    journey = {
        "child": {"id": "C-1", "date_of_birth": "2012-03-14", "local_authority": "E09000033"},
        "events": [{"id": "x1", "type": "exclusion", "date": "2025-07-21", "category": "permanent"}],
    }
    decision = (
        DecisionService()
        .decide(
            parse_request(
                {
                    "journey": journey,
                    "as_of": "2025-10-01",
                    "standards": "send-ap@1.1.0",
                    "term_dates": parse_term_dates_file(path).to_data(),
                }
            )
        )
        .to_dict()
    )
    finding = next(f for f in decision["findings"] if f["rule"] == "exclusion.sixth_day_provision")
    # 21 and 22 July from the file; 3, 4, 5 and 8 September from the assumed pattern
    assert finding["due"] == "2025-09-08"
    assert finding["school_days"] == {"calendar": TERM_DATES, "assumed": True}
    assert decision["school_days"]["assumed"] is True


# --- invalid files: every problem, located ----------------------------------------------------------


def _problems(tmp_path: Path, text: str) -> list[str]:
    path = tmp_path / "bad.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as caught:
        parse_term_dates_file(path)
    assert caught.value.code == "invalid_term_dates"
    return [f"{p.location.replace(str(path), 'F')}: {p.message}" for p in caught.value.problems]


BASE = """\
name: X
academic_years:
  - year: 2024-2025
    terms:
      - {name: autumn, start: 2024-09-02, end: 2024-12-20, half_term: {start: 2024-10-28, end: 2024-11-01}}
      - {name: spring, start: 2025-01-06, end: 2025-04-04}
    inset_days: [2024-09-02]
"""


@pytest.mark.parametrize(
    "old, new, expected",
    [
        ("name: X", "name: ''", "F:1:7: expected the calendar's name"),
        ("name: X", "nom: X", "F:1:1: unknown key 'nom'"),
        ("year: 2024-2025", "year: 2024-2026", "F:3:11: expected an academic year written as YYYY-YYYY"),
        ("year: 2024-2025", "year: 2024", "F:3:11: expected an academic year written as YYYY-YYYY"),
        ("end: 2024-12-20", "end: 2024-12-32", "F:5:48: expected a date written as YYYY-MM-DD"),
        (
            "end: 2024-12-20",
            "end: 2024-08-20",
            "F:5:48: the term ends (2024-08-20) before it starts (2024-09-02)",
        ),
        (
            "start: 2024-09-02, end",
            "start: 2024-08-28, end",
            "F:5:9: the term (2024-08-28 to 2024-12-20) is not inside",
        ),
        ("end: 2025-04-04}", "end: 2025-09-04}", "F:6:9: the term (2025-01-06 to 2025-09-04) is not inside"),
        ("start: 2025-01-06", "start: 2024-12-20", "F:6:31: term 'spring' starts on 2024-12-20, not after"),
        ("name: spring", "name: autumn", "F:6:16: the term 'autumn' is given twice"),
        (
            "half_term: {start: 2024-10-28",
            "half_term: {start: 2024-08-28",
            "F:5:71: the half-term (2024-08-28 to 2024-11-01) is not inside the term",
        ),
        ("end: 2024-11-01}", "end: 2024-10-21}", "F:5:96: the break ends (2024-10-21) before it starts"),
        ("end: 2024-11-01}", "until: 2024-11-01}", "F:5:91: unknown key 'until'"),
        ("[2024-09-02]", "[2024-09-07]", "F:7:18: the INSET day 2024-09-07 is a Saturday"),
        ("[2024-09-02]", "[2024-12-25]", "F:7:18: the INSET day 2024-12-25 is a bank holiday"),
        (
            "[2024-09-02]",
            "[2024-10-29]",
            "F:7:18: the INSET day 2024-10-29 is not a teaching day of any term",
        ),
        (
            "[2024-09-02]",
            "[2024-12-23]",
            "F:7:18: the INSET day 2024-12-23 is not a teaching day of any term",
        ),
        ("[2024-09-02]", "[2024-09-02, 2024-09-02]", "F:7:30: the INSET day 2024-09-02 is given twice"),
        ("[2024-09-02]", "[2025-02-29]", "F:7:18: expected a date written as YYYY-MM-DD"),
        ("[2024-09-02]", "[2024-09-02T09:00:00]", "F:7:18: expected a date written as YYYY-MM-DD"),
        ("[2024-09-02]", "2024-09-02", "F:7:17: expected a list of dates"),
        ("      - {name: spring, start: 2025-01-06, end: 2025-04-04}\n", "", None),  # still valid: one term
    ],
)
def test_invalid_files_are_reported_at_file_line_and_column(tmp_path, old, new, expected):
    assert old in BASE
    text = BASE.replace(old, new)
    if expected is None:
        path = tmp_path / "ok.yaml"
        path.write_text(text, encoding="utf-8")
        assert len(parse_term_dates_file(path).years[2024].terms) == 1
        return
    problems = _problems(tmp_path, text)
    assert any(problem.startswith(expected) for problem in problems), problems


def test_every_problem_is_reported_at_once(tmp_path):
    text = BASE.replace("name: X", "name: ''").replace("[2024-09-02]", "[2024-09-07]")
    assert len(_problems(tmp_path, text)) == 2


def test_a_year_given_twice(tmp_path):
    text = BASE + BASE.split("academic_years:\n")[1]
    assert _problems(tmp_path, text) == ["F:8:11: academic year 2024-2025 is given twice"]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("", "F: expected a mapping with name and academic_years"),
        ("- 1\n", "F:1:1: expected a mapping with name and academic_years"),
        ("name: X\nacademic_years: []\n", "F:2:17: expected a list of at least one academic year"),
        (
            "name: X\nacademic_years:\n  - year: 2024-2025\n    terms: []\n",
            "F:4:12: expected a list of at least one term",
        ),
        ("name: X\nacademic_years:\n  - year: 2024-2025\n", "F:3:5: expected a list of at least one term"),
        ("name: X\nacademic_years:\n  - 2024\n", "F:3:5: expected a mapping with year, terms and inset_days"),
        ("name: X\nname: Y\nacademic_years: []\n", "F:2:1: the key 'name' is given twice"),
        ("name: [unclosed\n", "F:2:1: not valid YAML"),
        (
            "name: X\nacademic_years:\n  - year: 2024-2025\n    terms:\n      - {name: a, end: 2024-10-01}\n",
            "F:5:9: missing 'start'",
        ),
    ],
)
def test_malformed_files(tmp_path, text, expected):
    problems = _problems(tmp_path, text)
    assert any(problem.startswith(expected) for problem in problems), problems


def test_unreadable_files(tmp_path):
    with pytest.raises(InputError) as missing:
        parse_term_dates_file(tmp_path / "none.yaml")
    assert missing.value.code == "file_not_found"
    with pytest.raises(InputError) as folder:
        parse_term_dates_file(tmp_path)
    assert folder.value.code == "unreadable_file"
    big = tmp_path / "big.yaml"
    big.write_bytes(b"#" * (1024 * 1024 + 1))
    with pytest.raises(InputError) as too_big:
        parse_term_dates_file(big)
    assert too_big.value.code == "file_too_large"
    binary = tmp_path / "bin.yaml"
    binary.write_bytes(b"name: \xff\n")
    with pytest.raises(InputError) as not_text:
        parse_term_dates_file(binary)
    assert not_text.value.code == "invalid_term_dates"


def test_json_term_dates_are_located_by_json_path():
    data = {
        "name": "X",
        "academic_years": [
            {
                "year": "2024-2025",
                "terms": [{"name": "autumn", "start": "2024-09-02", "end": "2024-13-01"}],
                "inset_days": ["2024-09-07"],
            }
        ],
    }
    with pytest.raises(InputError) as caught:
        term_dates_from_data(data)
    locations = {problem.location: problem.message for problem in caught.value.problems}
    assert locations == {
        "term_dates.academic_years[0].terms[0].end": "expected a date written as YYYY-MM-DD",
        "term_dates.academic_years[0].inset_days[0]": "the INSET day 2024-09-07 is a Saturday: schools do not teach then anyway",
    }
    data["academic_years"][0]["terms"][0]["end"] = "2024-12-20"
    with pytest.raises(InputError) as weekend:
        term_dates_from_data(data)
    assert [p.location for p in weekend.value.problems] == ["term_dates.academic_years[0].inset_days[0]"]


def test_a_request_with_bad_term_dates_is_an_input_error():
    journey = json.loads(EXAMPLE.read_text())
    with pytest.raises(InputError) as wrong_word:
        parse_request({"journey": journey, "as_of": "2025-06-01", "term_dates": "england"})
    assert wrong_word.value.code == "invalid_request"
    with pytest.raises(InputError) as bad_object:
        parse_request({"journey": journey, "as_of": "2025-06-01", "term_dates": {"name": "X"}})
    assert bad_object.value.code == "invalid_term_dates"
    assert bad_object.value.problems[0].location == "term_dates.academic_years"
