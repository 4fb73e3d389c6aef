"""The runner: outcomes, failing steps in plain words, mistakes in feature files, versions."""

from __future__ import annotations

import pytest

from sendrules.engine.errors import InputError, StandardsError
from sendrules.scenarios.runner import run_features
from tests.features.helpers import PASSING, write_feature


def _only(report):
    [run] = report.runs
    return run


def test_a_passing_feature_runs_for_each_version_it_is_tagged_for(tmp_path):
    report = run_features(features_dir=write_feature(tmp_path, PASSING), coverage=True)
    assert [run.reference for run in report.runs] == [
        "send-ap@1.0.0",
        "send-ap@1.1.0",
        "send-ap@1.2.0",
        "send-ap@1.3.0",
        "send-ap@1.4.0",
        "send-ap@1.5.0",
        "send-ap@2.0.0-draft",
    ]
    assert [len(run.scenarios) for run in report.runs] == [1, 1, 0, 0, 0, 0, 0]
    assert [run.ok for run in report.runs] == [True, True, True, True, True, True, True] and not report.ok()
    assert report.problems == [
        f"send-ap@{v}: no scenario is tagged @v{v}, so nothing was tested for "
        f"it; tag the scenarios that hold for it with @v{v}"
        for v in ("1.2.0", "1.3.0", "1.4.0", "1.5.0", "2.0.0-draft")
    ]
    tagged_versions = run_features("send-ap@1.1.0", features_dir=tmp_path, coverage=True)
    assert tagged_versions.ok() and not tagged_versions.ok(require_full_coverage=True)
    coverage = report.runs[0].coverage
    assert coverage.rules_exercised == ["ehc.assessment_decision"]
    assert coverage.clauses_exercised == {"SEND Regulations 2014 reg 5(1)", "SEND Regulations 2014 reg 5(4)"}
    assert coverage.statuses_checked == {"ehc.assessment_decision": {"met"}}


def test_a_scenario_with_an_undefined_step_fails_and_says_which_step(tmp_path):
    features = write_feature(
        tmp_path,
        """
        @v1.1.0
        Feature: A typing mistake
          Scenario: A misspelt phrase
            Given a child born on 14 March 2015
            And a request for an EHC needs assessment recieved on 6 January 2025
            When the duties are decided on 1 June 2025
            Then the duty "ehc.assessment_decision" for the request is met, due on 17 February 2025
    """,
    )
    report = run_features("send-ap@1.1.0", features_dir=features)
    [result] = _only(report).scenarios
    assert not result.passed and not report.ok()
    assert result.step == "And a request for an EHC needs assessment recieved on 6 January 2025"
    assert result.step_line == 5
    assert result.message.startswith(
        'undefined step: no Given phrase matches "a request for an EHC needs '
        'assessment recieved on 6 January 2025"'
    )
    assert "Given a request for an EHC needs assessment received on 6 January 2025" in result.message


def test_a_given_phrase_after_then_is_explained(tmp_path):
    features = write_feature(
        tmp_path,
        """
        @v1.1.0
        Feature: Steps out of order
          Scenario: An event after the checks
            Given a child born on 14 March 2015
            When the duties are decided on 1 June 2025
            Then no duty "ehc.final_plan" applies
            And the final EHC plan issued on 23 May 2025
    """,
    )
    [result] = _only(run_features("send-ap@1.1.0", features_dir=features)).scenarios
    assert result.step == "And the final EHC plan issued on 23 May 2025"
    assert "is a Given phrase, but here it is read as a Then step" in result.message


def test_a_wrong_expected_status_fails_with_what_the_engine_found(tmp_path):
    features = write_feature(
        tmp_path,
        """
        @v1.0.0
        Feature: A wrong expectation
          Scenario: The final plan is said to be met
            Given a child born on 14 March 2015
            And a request for an EHC needs assessment received on 6 January 2025
            And the final EHC plan issued on 27 May 2025
            When the duties are decided on 1 June 2025
            Then the duty "ehc.final_plan" for the request is met, due on 26 May 2025
            And the local authority holds the duty
    """,
    )
    [result] = _only(run_features("send-ap@1.0.0", features_dir=features)).scenarios
    assert result.outcome == "failed" and result.step_line == 8
    assert result.step == 'Then the duty "ehc.final_plan" for the request is met, due on 26 May 2025'
    assert result.message.splitlines()[0] == (
        'the duty "ehc.final_plan" for the request (e1): expected met, due on 26 May 2025; '
        "the engine found late, due on 26 May 2025."
    )
    assert "came 1 day after the due date" in result.message
    assert result.message.splitlines()[-1] == "(the final plan (e2); the request (e1))"


def test_a_wrong_due_date_fails(tmp_path):
    features = write_feature(
        tmp_path,
        """
        @v1.0.0
        Feature: A wrong due date
          Scenario: Six weeks miscounted
            Given a child born on 14 March 2015
            And a request for an EHC needs assessment received on 6 January 2025
            When the duties are decided on 1 February 2025
            Then the duty "ehc.assessment_decision" for the request is pending, due on 16 February 2025
    """,
    )
    [result] = _only(run_features("send-ap@1.0.0", features_dir=features)).scenarios
    assert (
        "expected pending, due on 16 February 2025; the engine found pending, due on 17 February 2025"
        in result.message
    )


@pytest.mark.parametrize(
    "step, message",
    [
        (
            'Then the duty "ehc.amended_plan" for the request is met, due on 26 May 2025',
            'the standards send-ap@1.0.0 have no rule "ehc.amended_plan"',
        ),
        (
            'Then the duty "ehc.final_plan" for the second request is met, due on 26 May 2025',
            'there is no "the second request": this scenario has 1 event called "request"',
        ),
        (
            'Then the duty "ehc.final_plan" for the assessment is met, due on 26 May 2025',
            'no event in this scenario is "the assessment" (events so far: the request)',
        ),
        (
            'Then the duty "ehc.final_plan" for the request is met',
            "expected met, with no due date; the engine found pending, due on 26 May 2025",
        ),
        ("Then the duty was satisfied by the request", "check a duty first"),
        ('Then no duty "ehc.final_plan" applies', 'expected no duty "ehc.final_plan", but the engine found:'),
    ],
)
def test_mistakes_in_checks_are_explained(tmp_path, step, message):
    features = write_feature(
        tmp_path,
        f"""
        @v1.0.0
        Feature: Mistakes
          Scenario: A mistaken check
            Given a child born on 14 March 2015
            And a request for an EHC needs assessment received on 6 January 2025
            When the duties are decided on 1 February 2025
            {step}
    """,
    )
    [result] = _only(run_features("send-ap@1.0.0", features_dir=features)).scenarios
    assert not result.passed and message in result.message, result.message


def test_dates_must_be_real_and_weekdays_right(tmp_path):
    features = write_feature(
        tmp_path,
        """
        @v1.0.0
        Feature: Dates
          Scenario: The wrong weekday
            Given a child born on 14 March 2015
            And a request for an EHC needs assessment received on Tuesday 6 January 2025
          Scenario: No such day
            Given a child born on 31 February 2015
    """,
    )
    first, second = _only(run_features("send-ap@1.0.0", features_dir=features)).scenarios
    assert first.message == "6 January 2025 is a Monday, not a Tuesday"
    assert second.message == '"31 February 2015" is not a real date'


def test_an_invalid_journey_is_reported_with_event_names(tmp_path):
    features = write_feature(
        tmp_path,
        """
        @v1.0.0
        Feature: A field the version does not know
          Scenario: Preparing for adulthood is not in the 1.0.0 vocabulary
            Given a child born on 14 March 2011
            And a review meeting held on 12 May 2025, which considered preparing for adulthood
            When the duties are decided on 1 June 2025
            Then no duty "ehc.annual_review" applies
    """,
    )
    [result] = _only(run_features("send-ap@1.0.0", features_dir=features)).scenarios
    assert "the decision was refused" in result.message
    assert "[invalid_journey]" in result.message and "preparing_for_adulthood" in result.message
    assert result.message.endswith("(the review meeting (e1))")


def test_untagged_and_duplicate_scenarios_are_problems(tmp_path):
    features = write_feature(tmp_path, PASSING)
    write_feature(
        tmp_path,
        """
        Feature: Mistakes in the feature itself
          Scenario: No version
            Given a child born on 14 March 2015
          @v1.1.0
          Scenario: Twice
            Given a child born on 14 March 2015
          @v1.1.0
          Scenario: Twice
            Given a child born on 14 March 2016
    """,
        name="mistakes.feature",
    )
    report = run_features("send-ap@1.1.0", features_dir=features)
    assert report.problems == [
        'send-ap/mistakes.feature: two scenarios are called "Twice"; give each scenario its own name',
        'send-ap/mistakes.feature:2: the scenario "No version" says no version it applies to; tag it (or its '
        "feature) with e.g. @v1.1.0",
    ]
    assert not report.ok() and _only(report).ok


def test_tags_for_a_version_that_does_not_exist_are_noted(tmp_path):
    features = write_feature(tmp_path, PASSING.replace("@v1.0.0 @v1.1.0", "@v1.1.0 @v1.9.0"))
    report = run_features("send-ap@1.1.0", features_dir=features)
    assert any("tagged @v1.9.0" in note and "not run" in note for note in report.notes)
    assert report.ok()


def test_a_feature_file_that_does_not_parse_is_invalid_input(tmp_path):
    features = write_feature(
        tmp_path,
        """
        @v1.1.0
        Feature: Broken
          Scenario: One
            Given a child born on 14 March 2015
        Feature: Again
    """,
    )
    with pytest.raises(InputError) as caught:
        run_features(features_dir=features)
    assert caught.value.code == "invalid_feature"
    assert caught.value.problems[0].location == "send-ap/example.feature:5"
    assert "a feature file holds one feature" in caught.value.problems[0].message


def test_unknown_versions_packs_and_folders_are_invalid_input(tmp_path):
    with pytest.raises(StandardsError) as caught:
        run_features("send-ap@9.9.9")
    assert caught.value.code == "unknown_standards"
    with pytest.raises(InputError) as caught:
        run_features("other-pack")
    assert caught.value.code == "no_features"
    with pytest.raises(InputError) as caught:
        run_features(features_dir=tmp_path / "missing")
    assert caught.value.code == "not_a_folder"
    with pytest.raises(InputError) as caught:
        run_features("send-ap@")
    assert caught.value.code == "invalid_standards_reference"


def test_an_edited_feature_is_read_again_in_the_same_process(tmp_path):
    features = write_feature(tmp_path, PASSING)
    assert run_features("send-ap@1.1.0", features_dir=features).ok()
    write_feature(tmp_path, PASSING.replace("is met, due on", "is late, due on"))
    assert not run_features("send-ap@1.1.0", features_dir=features).ok()


def test_the_draft_is_named_exactly_and_refusals_can_be_expected(tmp_path):
    features = write_feature(
        tmp_path,
        """
        @v2.0.0-draft
        Feature: A time limit the draft has no value for
          Scenario: A conceded appeal before the substituted regulation 45 (taken as 1 April 2015)
            Given a child born on 14 March 2008
            And the local authority conceded an appeal about an assessment on 2 March 2015
            When the duties are decided on 1 May 2015
            Then the decision is refused with "parameter_not_in_force"
    """,
    )
    report = run_features("send-ap@2.0.0-draft", features_dir=features)
    assert report.ok() and _only(report).status == "draft"


def test_a_scenario_outline_reports_each_example(tmp_path):
    features = write_feature(
        tmp_path,
        """
        @v1.1.0
        Feature: Outlines
          Scenario Outline: Around the due date
            Given a child born on 14 March 2015
            And a request for an EHC needs assessment received on 6 January 2025
            And the local authority decided on <decided> to carry out the assessment
            When the duties are decided on 1 June 2025
            Then the duty "ehc.assessment_decision" for the request is <status>, due on 17 February 2025

            Examples:
              | decided          | status |
              | 17 February 2025 | met    |
              | 18 February 2025 | met    |
    """,
    )
    results = _only(run_features("send-ap@1.1.0", features_dir=features)).scenarios
    assert [(r.name, r.passed) for r in results] == [
        ("Around the due date [17 February 2025-met]", True),
        ("Around the due date [18 February 2025-met]", False),
    ]
