"""sendrules diff and sendrules docs, run as a user runs them (a separate process)."""

from __future__ import annotations

import json

import pytest

from tests.cli.test_cli import run
from tests.policy.helpers import copy_version, edit, new_version


def test_diff_text_exits_0_whether_or_not_there_are_differences():
    result = run("diff", "send-ap@1.3.0", "send-ap@2.0.0-draft")
    assert result.returncode == 0 and result.stderr == ""
    assert result.stdout.startswith("sendrules diff send-ap@1.3.0 send-ap@2.0.0-draft\n")
    assert "+ icb.health_provision_agreed added" in result.stdout
    same = run("diff", "send-ap@1.1.0", "send-ap@1.1.0")
    assert same.returncode == 0 and same.stdout.endswith("No differences.\n")


def test_diff_exit_code_option_is_1_when_the_versions_differ():
    assert run("diff", "send-ap@1.1.0", "send-ap@2.0.0-draft", "--exit-code").returncode == 1
    assert run("diff", "send-ap@1.1.0", "send-ap@1.1.0", "--exit-code").returncode == 0


def test_diff_json_is_valid_stable_and_alone_on_stdout():
    first = run("diff", "send-ap@1.0.0", "send-ap@1.1.0", "--format", "json")
    second = run("diff", "send-ap@1.0.0", "send-ap@1.1.0", "--format", "json")
    assert first.returncode == 0 and first.stderr == ""
    assert first.stdout == second.stdout
    data = json.loads(first.stdout)
    assert data["summary"]["rules"] == {"added": 18, "removed": 0, "changed": 0}
    assert data["differs"] is True and data["stated_changes"]["consistent"] is True


@pytest.mark.parametrize(
    "args, code, message",
    [
        (
            ("diff", "send-ap@1.1.0", "send-ap@9.9.9"),
            "unknown_standards",
            "there is no version 9.9.9 of send-ap",
        ),
        (("diff", "nope@1.0.0", "send-ap@1.1.0"), "unknown_standards", "there is no standards pack 'nope'"),
        (
            ("diff", "send-ap@1.1", "send-ap@1.1.0"),
            "invalid_standards_reference",
            "'send-ap@1.1' is not a standards reference",
        ),
        (("diff", "send-ap", "send-ap@1.1.0"), "version_required", "'send-ap' does not name a version"),
        (("docs", "send-ap@9.9.9"), "unknown_standards", "there is no version 9.9.9 of send-ap"),
        (("docs", "Send-AP@1.1.0"), "invalid_standards_reference", "is not a standards reference"),
        (
            ("docs", "send-ap", "--as-of", "2010-01-01"),
            "no_standards_in_force",
            "no published version of send-ap is in force on 2010-01-01",
        ),
        (("docs", "send-ap@1.1.0", "--as-of", "2020-01-01"), "invalid_option", "--as-of chooses a version"),
        (("docs", "send-ap", "--as-of", "2020-13-01"), "invalid_option", "YYYY-MM-DD"),
    ],
)
def test_bad_references_exit_2_with_one_message(args, code, message):
    result = run(*args)
    assert result.returncode == 2 and result.stdout == ""
    assert message in result.stderr and f"[{code}]" in result.stderr


def test_diff_errors_in_json_mode_are_json_on_stderr():
    result = run("diff", "send-ap@1.1.0", "send-ap@9.9.9", "--format", "json")
    assert result.returncode == 2 and result.stdout == ""
    assert json.loads(result.stderr)["error"]["code"] == "unknown_standards"


@pytest.mark.parametrize(
    "args",
    [
        ("diff", "send-ap@1.1.0"),
        ("diff", "a@1.0.0", "b@1.0.0", "--format", "yaml"),
        ("docs",),
        ("docs", "send-ap@1.1.0", "--format", "pdf"),
    ],
)
def test_bad_usage_exits_2(args):
    assert run(*args).returncode == 2


def test_docs_of_a_pack_id_documents_the_version_in_force_as_decide_chooses_it():
    # 1.5.0, a corrected encoding of the same law, supersedes 1.4.0 (and 1.3.0, 1.2.0 and 1.1.0)
    # on every date all of them cover
    named = run("docs", "send-ap@1.5.0")
    newest = run("docs", "send-ap")
    assert newest.returncode == 0 and newest.stdout == named.stdout
    assert (
        "documenting send-ap@1.5.0: the newest published version in force (from 2014-09-01)" in newest.stderr
    )
    on_a_date = run("docs", "send-ap", "--as-of", "2025-06-01", "--format", "json")
    assert on_a_date.returncode == 0 and json.loads(on_a_date.stdout)["version"] == "1.5.0"
    assert "the published version in force on 2025-06-01" in on_a_date.stderr
    assert named.stderr == ""  # a named version needs no note


def test_docs_markdown_to_stdout_by_default():
    result = run("docs", "send-ap@1.1.0")
    assert result.returncode == 0 and result.stderr == ""
    assert result.stdout.startswith("# SEND and alternative provision duties (law in force)\n")
    assert "### `ehc.final_plan` — Issue the final EHC plan" in result.stdout


def test_docs_html_to_a_file(tmp_path):
    target = tmp_path / "send-ap-1.1.0.html"
    result = run("docs", "send-ap@2.0.0-draft", "--format", "html", "--output", target)
    assert result.returncode == 0 and result.stdout == ""
    assert f"wrote {target}" in result.stderr
    page = target.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and "<strong>Illustrative:</strong>" in page


def test_docs_cannot_write_exits_2(tmp_path):
    result = run("docs", "send-ap@1.1.0", "--output", tmp_path / "missing" / "x.md")
    assert result.returncode == 2 and "cannot write" in result.stderr and "[cannot_write]" in result.stderr


def test_a_working_copy_via_standards_dir(tmp_path):
    copy_version(tmp_path, "1.1.0")
    newer = new_version(tmp_path)
    edit(newer / "parameters.yaml", "    2014-09-01: 20\n", "    2014-09-01: 20\n    2027-09-01: 18\n")
    result = run("diff", "send-ap@1.1.0", "send-ap@1.2.0", "--standards-dir", tmp_path)
    assert result.returncode == 0
    assert (
        "Summary: rules 0 added, 0 removed, 0 changed; parameters 0 added, 0 removed, 1 changed"
        in result.stdout
    )
    assert "from 2027-09-01: 18 (added)" in result.stdout
    docs = run("docs", "send-ap@1.2.0", env={"SENDRULES_STANDARDS": str(tmp_path)})
    assert docs.returncode == 0 and "| 1 September 2027 (`2027-09-01`) | 18 weeks |" in docs.stdout


def test_a_pack_that_does_not_build_exits_2_with_its_problems(tmp_path):
    folder = copy_version(tmp_path, "1.1.0")
    edit(
        folder / "ehc.rules",
        "expect final_plan_issued after request",
        "expect final_plan_isued after request",
    )
    result = run("docs", "send-ap@1.1.0", "--standards-dir", tmp_path)
    assert result.returncode == 2 and result.stdout == ""
    assert "[invalid_standards]" in result.stderr and "did you mean 'final_plan_issued'?" in result.stderr
