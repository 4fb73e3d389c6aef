"""The evaluator agrees with the hand-written baseline (bench/baseline.py) on a seeded cohort.

Two independent implementations of the ten rules: the generic evaluator over the compiled
rules language, and plain Python written rule by rule. Any disagreement is a bug in one of them.
"""

from __future__ import annotations

from datetime import date

from bench.baseline import baseline_findings
from bench.cohort import cohort
from sendrules.engine.calendar import Calendar, ClosureRange
from sendrules.engine.evaluator import find_all
from sendrules.engine.prepared import PreparedStandard


def test_evaluator_and_baseline_agree_on_a_cohort(library):
    standard = PreparedStandard(library.resolve("send-ap@1.0.0", date(2025, 1, 1)))
    validator = standard.validator
    calendars = [
        Calendar(),
        Calendar(
            [
                ClosureRange(date(2023, 7, 21), date(2023, 9, 4)),
                ClosureRange(date(2024, 10, 28), date(2024, 11, 1)),
            ]
        ),
    ]
    compared = 0
    statuses = set()
    for number, (raw, as_of_text) in enumerate(cohort(1500, seed=7)):
        journey = validator.validate(raw)
        as_of = date.fromisoformat(as_of_text)
        calendar = calendars[number % 2]
        ours = sorted(find_all(standard, journey, as_of, calendar), key=lambda f: f.sort_key())
        ours = [
            (f.rule, f.trigger, f.status, f.due, f.satisfied_by, f.exception, f.duty_holder) for f in ours
        ]
        theirs = baseline_findings(journey, as_of, calendar)
        assert ours == theirs, f"journey {number} as of {as_of}"
        compared += len(ours)
        statuses.update(f[2] for f in ours)
    assert compared > 10_000
    assert statuses == {"met", "pending", "late", "overdue", "breached", "exempt"}
