"""The sendrules command line, run as a user would run it (a separate process)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.dsl.helpers import copy_pack, edit

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "journey.json"


def run(*args, cwd=None, env=None):
    environment = {
        key: value
        for key, value in os.environ.items()
        if key not in ("SENDRULES_DEBUG", "SENDRULES_STANDARDS")
    }
    environment.update({"PYTHONPATH": str(ROOT), **(env or {})})
    result = subprocess.run(
        [sys.executable, "-m", "sendrules.api.cli", *map(str, args)],
        cwd=cwd or ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert "Traceback" not in result.stderr, result.stderr
    return result


def write_json(path: Path, data) -> Path:
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def test_decide_json_is_the_decision_and_nothing_else(tmp_path):
    result = run("decide", EXAMPLE, "--as-of", "2025-06-01", "--format", "json", cwd=tmp_path)
    assert result.returncode == 0 and result.stderr == ""
    decision = json.loads(result.stdout)
    assert list(decision) == [
        "decision_id",
        "as_of",
        "standards",
        "engine",
        "input_sha256",
        "findings",
        "summary",
        "provision",
        "school_days",
    ]
    # without --standards: the newest published encoding covering 1 June 2025
    assert decision["standards"]["id"] == "send-ap" and decision["standards"]["version"] == "1.5.0"
    # 1.5.0 decides this journey as 1.4.0 did (its changes are for health absences, review panels
    # and further notices, none of which it records), and 1.4.0 reads reg 8 as 1.2.0 and 1.3.0 did, binding s31 requests: the head teacher's educational
    # advice (e3, not recorded as one) has no 6-week limit, so 1.1.0's "met" finding for it is gone
    assert decision["summary"] == {
        "met": 4,
        "pending": 1,
        "late": 2,
        "overdue": 1,
        "breached": 0,
        "exempt": 0,
    }
    assert not any(f["rule"] == "ehc.advice_response" and f["trigger"] == "e3" for f in decision["findings"])
    # 1.4.0's duties after an exclusion: no written notice to the parent is recorded, so the notice
    # due by the end of the suspension's first day (Monday 19 May) is overdue; the suspension's 8
    # school days are the only ones of 2024/25, within the 45-school-day yearly limit
    by_rule = {f["rule"]: f for f in decision["findings"] if f["trigger"] == "e10"}
    assert sorted(by_rule) == [
        "exclusion.parent_notice",
        "exclusion.sixth_day_provision",
        "exclusion.suspension_yearly_cap",
    ]
    notice = by_rule["exclusion.parent_notice"]
    assert (notice["status"], notice["due"], notice["satisfied_by"]) == ("overdue", "2025-05-19", None)
    assert by_rule["exclusion.suspension_yearly_cap"]["status"] == "met"
    assert by_rule["exclusion.sixth_day_provision"]["status"] == "late"


def test_decide_is_repeatable_byte_for_byte():
    first = run("decide", EXAMPLE, "--as-of", "2025-06-01", "--format", "json").stdout
    second = run(
        "decide", EXAMPLE, "--as-of", "2025-06-01", "--format", "json", "--standards", "send-ap@1.5.0"
    ).stdout
    assert first == second


def test_a_published_version_named_decides_as_it_always_did():
    decision = json.loads(
        run(
            "decide", EXAMPLE, "--as-of", "2025-06-01", "--format", "json", "--standards", "send-ap@1.1.0"
        ).stdout
    )
    assert decision["standards"]["version"] == "1.1.0"
    assert decision["summary"] == {
        "met": 4,
        "pending": 1,
        "late": 2,
        "overdue": 0,
        "breached": 0,
        "exempt": 0,
    }


def test_decide_table_explains_each_finding():
    result = run("decide", EXAMPLE, "--as-of", "2025-06-01")
    assert result.returncode == 0
    assert (
        "ehc.final_plan" in result.stdout and "Summary: 4 met, 1 pending, 2 late, 1 overdue" in result.stdout
    )
    assert "SEND Regulations 2014 reg 13(2)" in result.stdout
    assert "came 7 days after the due date" in result.stdout


def test_school_closures_move_school_day_deadlines(tmp_path):
    closures = write_json(tmp_path / "closures.json", [{"from": "2025-05-20", "to": "2025-05-21"}])
    result = run(
        "decide", EXAMPLE, "--as-of", "2025-06-01", "--format", "json", "--school-closures", closures
    )
    finding = next(
        f for f in json.loads(result.stdout)["findings"] if f["rule"] == "exclusion.sixth_day_provision"
    )
    assert finding["due"] == "2025-05-29" and finding["status"] == "met"


TERM_DATES = """\
name: Example Borough term dates
academic_years:
  - year: 2024-2025
    terms:
      - {name: autumn, start: 2024-09-02, end: 2024-12-20, half_term: {start: 2024-10-28, end: 2024-11-01}}
      - {name: spring, start: 2025-01-06, end: 2025-04-04, half_term: {start: 2025-02-17, end: 2025-02-21}}
      - {name: summer, start: 2025-04-22, end: 2025-07-22, half_term: {start: 2025-05-26, end: 2025-05-30}}
    inset_days: [2025-05-21]
"""


def test_without_term_dates_the_decision_says_its_school_days_were_assumed_weekdays():
    decision = json.loads(run("decide", EXAMPLE, "--as-of", "2025-06-01", "--format", "json").stdout)
    assert decision["school_days"]["calendar"] == "weekdays" and decision["school_days"]["assumed"] is True
    # both school-day clocks of send-ap@1.4.0 (the parent's notice by the end of the exclusion's
    # first school day, the sixth-day duty); the yearly limit adds up the recorded school_days
    assert decision["school_days"]["findings"] == [
        {"rule": "exclusion.parent_notice", "trigger": "e10", "assumed": True},
        {"rule": "exclusion.sixth_day_provision", "trigger": "e10", "assumed": True},
    ]
    # the findings themselves are as the published pack always wrote them
    assert all("school_days" not in finding for finding in decision["findings"])
    table = run("decide", EXAMPLE, "--as-of", "2025-06-01").stdout
    assert "school days counted on: weekdays that are not England-and-Wales bank holidays" in table
    assert "(assumed)" in table


def test_a_finding_counted_over_a_run_of_exclusions_still_says_its_calendar(tmp_path):
    """send-ap@1.4.0 counts the sixth day over a run of back-to-back exclusions; the finding's
    message is then the episode's, and it lost the statement that its due date rests on the
    school-day calendar."""
    path = tmp_path / "terms.yaml"
    path.write_text(TERM_DATES, encoding="utf-8")
    result = run(
        "decide", EXAMPLE, "--as-of", "2025-06-01", "--format", "json", "--term-dates", path,
        "--standards", "send-ap@1.4.0",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    decision = json.loads(result.stdout)
    finding = next(f for f in decision["findings"] if f["rule"] == "exclusion.sixth_day_provision")
    assert finding["due"] == "2025-06-03" and "began the run" in finding["message"]
    assert finding["school_days"] == {"calendar": "term_dates", "assumed": False}
    assert {"rule": "exclusion.sixth_day_provision", "trigger": "e10", "assumed": False} in decision[
        "school_days"
    ]["findings"]


def test_term_dates_file_moves_the_sixth_school_day_past_half_term_and_inset(tmp_path):
    path = tmp_path / "terms.yaml"
    path.write_text(TERM_DATES, encoding="utf-8")
    result = run("decide", EXAMPLE, "--as-of", "2025-06-01", "--format", "json", "--term-dates", path)
    assert result.returncode == 0, result.stderr
    decision = json.loads(result.stdout)
    finding = next(f for f in decision["findings"] if f["rule"] == "exclusion.sixth_day_provision")
    # exclusion Mon 19 May 2025: 19, 20, 22, 23 May (21 May INSET), then half-term and the
    # bank holiday 26 May; school days 5 and 6 are 2 and 3 June
    assert finding["due"] == "2025-06-03" and finding["status"] == "met"
    assert finding["school_days"] == {"calendar": "term_dates", "assumed": False}
    assert decision["school_days"]["name"] == "Example Borough term dates"
    assert decision["school_days"]["assumed"] is False
    table = run("decide", EXAMPLE, "--as-of", "2025-06-01", "--term-dates", path).stdout
    assert "school days counted on: Example Borough term dates\n" in table


def test_the_assumed_pattern_is_used_only_when_asked_for_and_says_so():
    result = run(
        "decide", EXAMPLE, "--as-of", "2025-06-01", "--format", "json", "--term-dates", "england_term_pattern"
    )
    decision = json.loads(result.stdout)
    assert (
        decision["school_days"]["calendar"] == "england_term_pattern" and decision["school_days"]["assumed"]
    )
    finding = next(f for f in decision["findings"] if f["rule"] == "exclusion.sixth_day_provision")
    assert finding["school_days"] == {"calendar": "england_term_pattern", "assumed": True}
    assert finding["due"] == "2025-06-02"  # the week of 26 May is the assumed summer half-term


def test_a_bad_term_dates_file_exits_2_with_file_line_and_column(tmp_path):
    path = tmp_path / "terms.yaml"
    path.write_text(
        TERM_DATES.replace("end: 2024-12-20", "end: 2024-12-32").replace("inset_days", "inset"),
        encoding="utf-8",
    )
    result = run("decide", EXAMPLE, "--as-of", "2025-06-01", "--term-dates", path)
    assert result.returncode == 2 and result.stdout == ""
    assert "[invalid_term_dates]" in result.stderr
    assert f"{path}:5:48: expected a date written as YYYY-MM-DD" in result.stderr
    assert f"{path}:8:5: unknown key 'inset'" in result.stderr
    assert "Traceback" not in result.stderr
    missing = run("decide", EXAMPLE, "--as-of", "2025-06-01", "--term-dates", tmp_path / "nope.yaml")
    assert missing.returncode == 2 and "does not exist" in missing.stderr


def test_a_bad_journey_exits_2_naming_event_and_field(tmp_path):
    journey = json.loads(EXAMPLE.read_text())
    journey["events"][1]["outcome"] = "asses"
    del journey["events"][2]["advice"]
    path = write_json(tmp_path / "bad.json", journey)
    result = run("decide", path, "--as-of", "2025-06-01")
    assert result.returncode == 2 and result.stdout == ""
    assert "event 1 (id 'e2'), field 'outcome'" in result.stderr
    assert "event 2 (id 'e3'), field 'advice': missing field 'advice'" in result.stderr
    assert "[invalid_journey]" in result.stderr


def test_errors_in_json_mode_are_json_on_stderr(tmp_path):
    journey = json.loads(EXAMPLE.read_text())
    journey["events"][0]["type"] = "nonsense"
    result = run(
        "decide", write_json(tmp_path / "bad.json", journey), "--as-of", "2025-06-01", "--format", "json"
    )
    assert result.returncode == 2 and result.stdout == ""
    error = json.loads(result.stderr)["error"]
    assert error["code"] == "invalid_journey"
    assert error["errors"][0]["location"] == "journey.events[0].type"


@pytest.mark.parametrize(
    "args, fragment",
    [
        (["--as-of", "2025-13-01"], "as_of"),
        (["--as-of", "yesterday"], "as_of"),
        (["--as-of", "2025-06-01", "--standards", "send-ap@9.9.9"], "no version 9.9.9"),
        (["--as-of", "2025-06-01", "--standards", "send ap"], "invalid_standards_reference"),
        (["--as-of", "2013-01-01"], "no_standards_in_force"),
        (["--as-of", "2025-06-01", "--backend", "abacus"], "unknown_backend"),
    ],
)
def test_invalid_options_exit_2(args, fragment):
    result = run("decide", EXAMPLE, *args)
    assert result.returncode == 2
    assert fragment in result.stderr


def test_missing_and_malformed_files_exit_2(tmp_path):
    missing = run("decide", tmp_path / "nope.json", "--as-of", "2025-06-01")
    assert missing.returncode == 2
    broken = tmp_path / "broken.json"
    broken.write_text('{"child": {"id": "C-1",\n  "date_of_birth": }')
    result = run("decide", broken, "--as-of", "2025-06-01")
    assert result.returncode == 2 and f"{broken}:2:20" in result.stderr


def test_check_passes_on_the_bundled_packs():
    result = run("check")
    assert result.returncode == 0
    assert "ok   send-ap/1.0.0: 10 rules" in result.stdout
    assert "ok   send-ap/1.1.0: 28 rules" in result.stdout


def test_check_lists_every_problem_and_fails(tmp_path):
    folder = copy_pack(tmp_path)
    edit(
        folder / "ehc.rules",
        "  expect final_plan_issued after request\n",
        "  expect final_plan_isued after request\n",
    )
    edit(folder / "exclusion.rules", "  must\n", "")
    edit(
        folder / "parameters.yaml", "  unit: months\n  source: Children", "  unit: moths\n  source: Children"
    )
    result = run("check", tmp_path)
    assert result.returncode == 1
    assert "send-ap/1.0.0/ehc.rules:52:10: unknown_event_type" in result.stdout
    assert "did you mean 'final_plan_issued'?" in result.stdout
    assert "exclusion.rules:4:6: missing_modality" in result.stdout
    assert "parameters.yaml" in result.stdout and "(at ehc.review_months.unit)" in result.stdout
    assert "FAIL send-ap/1.0.0: 3 problem(s)" in result.stdout
    as_json = json.loads(run("check", tmp_path, "--format", "json").stdout)
    assert as_json["ok"] is False and len(as_json["problems"]) == 3


def test_check_of_a_single_version_folder(tmp_path):
    folder = copy_pack(tmp_path)
    assert run("check", folder).returncode == 0


def test_standards_lists_versions_with_hashes():
    rows = json.loads(run("standards", "--format", "json").stdout)
    assert [(row["id"], row["version"], row["status"]) for row in rows] == [
        ("send-ap", "1.0.0", "superseded"),
        ("send-ap", "1.1.0", "published"),
        ("send-ap", "1.2.0", "published"),
        ("send-ap", "1.3.0", "published"),
        ("send-ap", "1.4.0", "published"),
        ("send-ap", "1.5.0", "published"),
        ("send-ap", "2.0.0-draft", "draft"),
    ]
    assert all(len(row["sha256"]) == 64 for row in rows)
    table = run("standards").stdout
    assert "send-ap" in table and rows[0]["sha256"] in table


def test_a_working_copy_of_the_standards_can_be_used(tmp_path):
    folder = copy_pack(tmp_path, "1.1.0", source="1.1.0")
    edit(folder / "parameters.yaml", "    2014-09-01: 20\n", "    2014-09-01: 22\n")
    result = run("decide", EXAMPLE, "--as-of", "2025-06-01", "--format", "json", "--standards-dir", tmp_path)
    final = next(f for f in json.loads(result.stdout)["findings"] if f["rule"] == "ehc.final_plan")
    assert final["due"] == "2025-06-09" and final["status"] == "met"
    via_env = run(
        "decide",
        EXAMPLE,
        "--as-of",
        "2025-06-01",
        "--format",
        "json",
        env={"SENDRULES_STANDARDS": str(tmp_path)},
    )
    assert via_env.stdout == result.stdout


def test_an_unexpected_error_is_one_line_and_exit_70(monkeypatch, capsys):
    from sendrules.api import cli
    from sendrules.engine import service

    def explode(self, request, backend="reference"):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(service.DecisionService, "decide", explode)
    monkeypatch.setattr(sys, "argv", ["sendrules", "decide", str(EXAMPLE), "--as-of", "2025-06-01"])
    monkeypatch.delenv("SENDRULES_DEBUG", raising=False)
    with pytest.raises(SystemExit) as caught:
        cli.main()
    assert caught.value.code == 70
    assert (
        capsys.readouterr().err
        == "internal error: RuntimeError: disk on fire (set SENDRULES_DEBUG=1 for details)\n"
    )


def test_the_rete_backend_gives_the_same_decision_but_its_name():
    pytest.importorskip("durable.engine")
    reference = json.loads(run("decide", EXAMPLE, "--as-of", "2025-06-01", "--format", "json").stdout)
    rete = json.loads(
        run("decide", EXAMPLE, "--as-of", "2025-06-01", "--format", "json", "--backend", "rete").stdout
    )
    assert (reference["engine"].pop("backend"), rete["engine"].pop("backend")) == ("reference", "rete")
    assert rete == reference


# --- one --format vocabulary, --version ----------------------------------------------------------


def test_version():
    result = run("--version")
    assert result.returncode == 0 and result.stdout.strip() == "sendrules 0.3.0"


def test_every_command_speaks_json(tmp_path):
    import base64

    env = {
        "SENDRULES_LOG_URL": f"sqlite:///{tmp_path / 'log.sqlite3'}",
        "SENDRULES_HMAC_KEY": base64.b64encode(os.urandom(32)).decode(),
        "SENDRULES_ENCRYPTION_KEYS": "k1:" + base64.b64encode(os.urandom(32)).decode(),
    }
    keys = tmp_path / "keys.toml"
    added = json.loads(
        run("keys", "add", "--role", "auditor", "--keys-file", keys, "--format", "json").stdout
    )
    assert added["role"] == "auditor" and added["key"].startswith("sr_")
    assert (
        json.loads(run("keys", "list", "--keys-file", keys, "--format", "json").stdout)[0]["id"]
        == added["id"]
    )
    assert json.loads(run("keys", "revoke", added["id"], "--keys-file", keys, "--format", "json").stdout) == {
        "revoked": added["id"]
    }
    migrated = json.loads(run("log", "migrate", "--format", "json", env=env).stdout)
    assert set(migrated) == {"log", "schema"}
    decided = run("decide", EXAMPLE, "--as-of", "2025-06-01", "--log", "default", "--format", "json", env=env)
    decision_id = json.loads(decided.stdout)["decision_id"]
    for command in (
        ("log", "verify"),
        ("log", "show", decision_id),
        ("replay", decision_id),
        ("log", "rekey"),
        ("standards",),
        ("check",),
        ("diff", "send-ap@1.0.0", "send-ap@1.1.0"),
        ("docs", "send-ap@1.1.0"),
    ):
        result = run(*command, "--format", "json", env=env)
        assert result.returncode in (0, 1), (command, result.stderr)
        json.loads(result.stdout)
    assert (
        run("diff", "send-ap@1.0.0", "send-ap@1.1.0", "--format", "table").stdout
        == run("diff", "send-ap@1.0.0", "send-ap@1.1.0", "--format", "text").stdout
    )
