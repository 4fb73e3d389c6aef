"""engine.calendar.reporting_period: the reporting years measures are counted over."""

from __future__ import annotations

from datetime import date

import pytest

from sendrules.engine.calendar import reporting_period


@pytest.mark.parametrize(
    "kind, as_of, expected",
    [
        ("calendar_year", date(2025, 6, 1), (date(2025, 1, 1), date(2025, 6, 1))),
        ("last_calendar_year", date(2025, 6, 1), (date(2024, 1, 1), date(2024, 12, 31))),
        ("last_calendar_year", date(2025, 1, 1), (date(2024, 1, 1), date(2024, 12, 31))),
        ("academic_year", date(2025, 6, 1), (date(2024, 9, 1), date(2025, 6, 1))),
        ("academic_year", date(2025, 9, 1), (date(2025, 9, 1), date(2025, 9, 1))),
        ("academic_year", date(2025, 8, 31), (date(2024, 9, 1), date(2025, 8, 31))),
        ("last_academic_year", date(2025, 6, 1), (date(2023, 9, 1), date(2024, 8, 31))),
        ("last_academic_year", date(2024, 2, 29), (date(2022, 9, 1), date(2023, 8, 31))),
        ("financial_year", date(2025, 3, 31), (date(2024, 4, 1), date(2025, 3, 31))),
        ("last_financial_year", date(2025, 4, 1), (date(2024, 4, 1), date(2025, 3, 31))),
        ("as_of", date(2025, 6, 1), (date(2025, 6, 1), date(2025, 6, 1))),
    ],
)
def test_reporting_periods(kind, as_of, expected):
    assert reporting_period(kind, as_of) == expected


def test_an_unknown_period_is_refused():
    with pytest.raises(ValueError):
        reporting_period("fortnight", date(2025, 6, 1))
