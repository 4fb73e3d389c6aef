"""The shipped scenarios: every one passes against every shipped version, and together they
exercise every rule, table row and clause of every version (the CI requirement)."""

from __future__ import annotations

import pytest

from sendrules.engine.library import StandardsLibrary
from sendrules.scenarios.runner import run_features


@pytest.fixture(scope="module")
def report():
    return run_features(coverage=True)


def test_every_shipped_version_is_tested(report):
    shipped = [info.reference for info in StandardsLibrary().versions() if info.pack_id == "send-ap"]
    assert (
        [run.reference for run in report.runs]
        == shipped
        == [
            "send-ap@1.0.0",
            "send-ap@1.1.0",
            "send-ap@1.2.0",
            "send-ap@1.3.0",
            "send-ap@1.4.0",
            "send-ap@1.5.0",
            "send-ap@2.0.0-draft",
        ]
    )
    assert report.problems == [] and report.notes == []
    for run in report.runs:
        assert len(run.scenarios) >= 100, f"{run.reference} has only {len(run.scenarios)} scenarios"


def test_every_scenario_passes(report):
    failures = [
        f"{run.reference} {result.feature}:{result.line} {result.name}\n  {result.step}\n  {result.message}"
        for run in report.runs
        for result in run.scenarios
        if not result.passed
    ]
    errors = [error for run in report.runs for error in run.errors]
    assert not failures and not errors, "\n".join(failures + errors)
    assert report.ok(require_full_coverage=True)


@pytest.mark.parametrize(
    "reference, rules, rows",
    [
        ("send-ap@1.0.0", 10, 0),
        ("send-ap@1.1.0", 28, 18),
        ("send-ap@1.2.0", 38, 18),
        ("send-ap@1.3.0", 38, 18),
        ("send-ap@1.4.0", 56, 18),
        ("send-ap@1.5.0", 57, 18),
        ("send-ap@2.0.0-draft", 44, 18),
    ],
)
def test_coverage_is_full_for_every_shipped_version(report, reference, rules, rows):
    coverage = next(run.coverage for run in report.runs if run.reference == reference)
    assert coverage.rules_missing == [], f"rules not exercised: {coverage.rules_missing}"
    assert coverage.rows_missing == [], f"table rows not exercised: {coverage.rows_missing}"
    assert coverage.clauses_missing == [], f"clauses not exercised: {coverage.clauses_missing}"
    assert coverage.figures()["rules"] == (rules, rules)
    assert coverage.figures()["table rows"] == (rows, rows)
    assert coverage.full


def test_every_deadline_rule_is_seen_met_and_late_or_breached(report):
    """Not required for coverage, but the scenarios were written to show each rule both ways."""
    for run in report.runs:
        for rule, checked in run.coverage.statuses_checked.items():
            assert "met" in checked and checked & {"late", "breached", "overdue"}, (
                run.reference,
                rule,
                checked,
            )
