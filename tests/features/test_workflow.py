"""A policy officer's workflow: change a parameter in a working copy of the standards, run
``sendrules test`` against it, and see exactly the scenarios the change affects fail."""

from __future__ import annotations

import json
import shutil

from sendrules.engine.library import StandardsLibrary
from sendrules.scenarios import bundled_features
from tests.features.helpers import sendrules

#: The 1.1.0 scenarios that check ehc.final_plan for a request received on or after
#: 1 September 2024 (all are on 6 January 2025: 20 weeks -> 26 May 2025, 18 weeks -> 12 May 2025).
FINAL_PLAN_SCENARIOS = {
    "A whole assessment, with the final plan in time",
    "The final plan on the days around the due date [25 May 2025-met]",
    "The final plan on the days around the due date [26 May 2025-met]",
    "The final plan on the days around the due date [27 May 2025-late]",
    "No final plan on the due date is pending; the next day it is overdue",
    "A decision to issue a plan keeps the duty",
    "An exception excuses a late final plan",
    "An exception on the due date excuses an overdue final plan",
    "An exception the day after the due date does not excuse a late final plan",
}


def _working_copy(tmp_path, effective: str, weeks: int):
    """standards/send-ap/1.1.0 copied, with ehc.final_plan_weeks changed from ``effective``."""
    root = tmp_path / "standards"
    version = root / "send-ap" / "1.1.0"
    shutil.copytree(StandardsLibrary().root / "send-ap" / "1.1.0", version)
    parameters = version / "parameters.yaml"
    text = parameters.read_text(encoding="utf-8")
    block = "ehc.final_plan_weeks:\n"
    start = text.index(block)
    old = "    2014-09-01: 20\n"
    at = text.index(old, start) + len(old)
    parameters.write_text(text[:at] + f"    {effective}: {weeks}\n" + text[at:], encoding="utf-8")
    return root


def test_shortening_the_final_plan_limit_fails_exactly_the_final_plan_scenarios(tmp_path):
    standards = _working_copy(tmp_path, "2024-09-01", 18)
    assert sendrules("check", standards).returncode == 0
    result = sendrules("test", "send-ap@1.1.0", "--standards-dir", standards, "--format", "json")
    assert result.returncode == 1, result.stderr
    [version] = json.loads(result.stdout)["versions"]
    failed = [s for s in version["scenarios"] if s["outcome"] == "failed"]
    assert {s["scenario"] for s in failed} == FINAL_PLAN_SCENARIOS
    assert {s["feature"] for s in failed} == {"send-ap/plans.feature"}
    for scenario in failed:
        assert '"ehc.final_plan"' in scenario["failed_step"]["text"]
        assert "due on 12 May 2025" in scenario["message"], scenario["message"]
    assert version["summary"]["passed"] == version["summary"]["scenarios"] - len(FINAL_PLAN_SCENARIOS) > 200

    plans_only = tmp_path / "features" / "send-ap"
    plans_only.mkdir(parents=True)
    shutil.copy(bundled_features() / "send-ap" / "plans.feature", plans_only)
    table = sendrules("test", "send-ap@1.1.0", "--standards-dir", standards, "--features", plans_only.parent)
    assert table.returncode == 1
    assert (
        'the duty "ehc.final_plan" for the request (e1): expected met, due on 26 May 2025; '
        "the engine found late, due on 12 May 2025." in table.stdout
    )


def test_a_change_from_a_later_date_leaves_earlier_requests_alone(tmp_path):
    standards = _working_copy(tmp_path, "2025-06-01", 18)
    features = tmp_path / "features" / "send-ap"
    features.mkdir(parents=True)
    shutil.copy(bundled_features() / "send-ap" / "plans.feature", features)
    result = sendrules("test", "send-ap@1.1.0", "--standards-dir", standards, "--features", features.parent)
    assert result.returncode == 0, result.stdout
