"""``sendrules test`` as a user runs it: output, JSON, exit codes 0, 1 and 2, any folder."""

from __future__ import annotations

import json
import re

from tests.features.helpers import PASSING, sendrules, write_feature

WRONG = PASSING.replace("is met, due on 17 February 2025", "is late, due on 17 February 2025")


def test_scenarios_pass_from_any_folder_with_the_table_report(tmp_path):
    features = write_feature(tmp_path / "features", PASSING)
    result = sendrules("test", "send-ap@1.0.0", "--coverage", "--features", features, cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.splitlines()[:2] == [
        "send-ap@1.0.0 (superseded): 1 scenario, 1 passed, 0 failed",
        "  PASS  send-ap/example.feature:3  The decision is made in time",
    ]
    assert "  send-ap@1.0.0: rules 1/10 (10%), table rows 0/0 (100%), clauses 2/16 (12%)" in result.stdout
    assert re.search(r"^    rules not exercised: .*ehc\.final_plan", result.stdout, re.M)
    assert result.stdout.rstrip().endswith("Summary: 1 version, 1 scenario run: 1 passed, 0 failed")
    assert result.stderr == ""


def test_json_output_is_the_report_and_nothing_else(tmp_path):
    features = write_feature(tmp_path / "features", PASSING)
    result = sendrules(
        "test", "send-ap@1.1.0", "--features", features, "--format", "json", "--coverage", cwd=tmp_path
    )
    assert result.returncode == 0 and result.stderr == ""
    report = json.loads(result.stdout)
    assert report["ok"] is True
    assert report["summary"] == {"versions": 1, "scenarios": 1, "passed": 1, "failed": 0}
    [version] = report["versions"]
    assert version["standards"] == "send-ap@1.1.0" and version["status"] == "published"
    assert version["scenarios"] == [
        {
            "feature": "send-ap/example.feature",
            "scenario": "The decision is made in time",
            "line": 3,
            "outcome": "passed",
        }
    ]
    coverage = version["coverage"]
    assert coverage["rules"]["exercised"] == 1 and coverage["rules"]["total"] == 28
    assert coverage["rules"]["statuses"]["ehc.assessment_decision"] == {
        "checked": ["met"],
        "possible": ["met", "pending", "late", "overdue", "exempt"],
    }
    assert coverage["table_rows"]["exercised"] == 0 and len(coverage["table_rows"]["not_exercised"]) == 18
    assert coverage["full"] is False


def test_a_failing_scenario_exits_1_showing_the_step_and_why(tmp_path):
    features = write_feature(tmp_path, WRONG)
    result = sendrules("test", "send-ap@1.0.0", "--features", features)
    assert result.returncode == 1
    assert "  FAIL  send-ap/example.feature:3  The decision is made in time" in result.stdout
    assert (
        '        line 8: Then the duty "ehc.assessment_decision" for the request is late, due on 17 February 2025'
        in result.stdout
    )
    assert (
        'the duty "ehc.assessment_decision" for the request (e1): expected late, due on 17 February 2025; '
        "the engine found met, due on 17 February 2025." in result.stdout
    )
    assert "Summary: 1 version, 1 scenario run: 0 passed, 1 failed" in result.stdout


def test_an_undefined_step_exits_1_naming_the_step(tmp_path):
    features = write_feature(tmp_path, PASSING.replace("carry out the assessment", "carry out an assessment"))
    result = sendrules("test", "send-ap@1.1.0", "--features", features, "--format", "json")
    assert result.returncode == 1
    [scenario] = json.loads(result.stdout)["versions"][0]["scenarios"]
    assert scenario["outcome"] == "failed"
    assert scenario["failed_step"] == {
        "text": "And the local authority decided on 14 February 2025 to carry out an assessment",
        "line": 6,
    }
    assert scenario["message"].startswith("undefined step: no Given phrase matches")


def test_require_full_coverage_exits_1_when_coverage_is_short(tmp_path):
    features = write_feature(tmp_path, PASSING)
    result = sendrules("test", "send-ap@1.1.0", "--features", features, "--require-full-coverage")
    assert result.returncode == 1
    assert (
        "rules not exercised: " in result.stdout
        and "table rows not exercised: provision.band row 1" in result.stdout
    )
    assert "; coverage is not full" in result.stdout
    assert sendrules("test", "send-ap@1.1.0", "--features", features, "--coverage").returncode == 0


def test_invalid_input_exits_2_with_a_message():
    result = sendrules("test", "send-ap@9.9.9")
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr == (
        "error: there is no version 9.9.9 of send-ap [unknown_standards]\n"
        "  - standards: known versions: 1.0.0, 1.1.0, 1.2.0, 1.3.0, 1.4.0, 1.5.0, 2.0.0-draft\n"
    )


def _invoke(*args):
    """The same command in-process (quicker for the many ways input can be wrong)."""
    from typer.testing import CliRunner

    from sendrules.api.cli import app

    return CliRunner().invoke(app, [str(arg) for arg in args])


def test_more_invalid_input_exits_2(tmp_path):
    result = _invoke("test", "not a reference")
    assert result.exit_code == 2 and "[invalid_standards_reference]" in result.stderr

    result = _invoke("test", "--features", tmp_path / "missing", "--format", "json")
    assert result.exit_code == 2 and result.stdout == ""
    assert json.loads(result.stderr)["error"]["code"] == "not_a_folder"

    result = _invoke("test", "other-pack")
    assert result.exit_code == 2 and "there are no scenarios for other-pack" in result.stderr

    broken = write_feature(tmp_path / "broken", PASSING + "    Feature: A second feature\n")
    result = _invoke("test", "--features", broken)
    assert result.exit_code == 2
    assert "error: send-ap/example.feature is not a valid feature file [invalid_feature]" in result.stderr
    assert (
        'send-ap/example.feature:9: a second "Feature:" (Feature: A second feature): a feature file holds '
        "one feature"
    ) in result.stderr

    assert _invoke("test", "--format", "yaml").exit_code == 2


def test_a_run_that_tests_nothing_fails(tmp_path):
    """``sendrules test`` never exits 0 without running a scenario."""
    only_draft = write_feature(tmp_path / "draft", PASSING.replace("@v1.0.0 @v1.1.0", "@v2.0.0-draft"))
    result = sendrules("test", "send-ap@1.0.0", "--features", only_draft)
    assert result.returncode == 1
    assert (
        "problem: send-ap@1.0.0: no scenario is tagged @v1.0.0, so nothing was tested for it; tag the "
        "scenarios that hold for it with @v1.0.0"
    ) in result.stdout
    assert (
        "Summary: 1 version, 0 scenario runs: 0 passed, 0 failed; 1 problem in the features" in result.stdout
    )

    no_scenarios = write_feature(tmp_path / "empty", "@v1.0.0\nFeature: Nothing yet\n")
    result = sendrules("test", "send-ap@1.0.0", "--features", no_scenarios, "--format", "json")
    assert result.returncode == 1
    report = json.loads(result.stdout)
    assert report["ok"] is False and report["summary"]["scenarios"] == 0
    assert report["problems"] == [
        "send-ap@1.0.0: no scenario is tagged @v1.0.0, so nothing was tested for it; "
        "tag the scenarios that hold for it with @v1.0.0"
    ]

    empty = tmp_path / "nothing"
    (empty / "send-ap").mkdir(parents=True)
    result = sendrules("test", "--features", empty)
    assert result.returncode == 2 and "there are no feature files under" in result.stderr
