"""The checker and the pack loader: every mistake is caught, located and explained.

Each case copies the bundled pack, makes one deliberate mistake and builds it. The rendered
diagnostics are compared with a golden file in tests/dsl/golden/; after an intended change
to the messages, re-record them with ``SENDRULES_UPDATE_GOLDEN=1 pytest tests/dsl`` and
review the change with ``git diff``.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from sendrules.dsl.pipeline import build_standard
from tests.dsl.helpers import copy_pack, edit

GOLDEN = Path(__file__).parent / "golden"
UPDATE = bool(os.environ.get("SENDRULES_UPDATE_GOLDEN"))

# (name, file, old text, new text, expected codes)
CASES = [
    (
        "unknown_event_type",
        "ehc.rules",
        "  expect final_plan_issued after request\n",
        "  expect final_plan_isued after request\n",
        ["unknown_event_type"],
    ),
    (
        "unknown_field",
        "ehc.rules",
        'assessment_decision after request where outcome = "not_assess"',
        'assessment_decision after request where outcom = "not_assess"',
        ["unknown_field"],
    ),
    ("unknown_value", "ehc.rules", '"not_assess"', '"not_asses"', ["unknown_value"]),
    (
        "unknown_parameter",
        "ehc.rules",
        "params.ehc.final_plan_weeks",
        "params.ehc.final_plan_week",
        ["unknown_parameter"],
    ),
    (
        "parameter_in_wrong_unit",
        "ehc.rules",
        "params.ehc.final_plan_weeks weeks",
        "params.ehc.final_plan_weeks months",
        ["type_mismatch"],
    ),
    ("unknown_duty_holder", "ehc.rules", '"medical" -> icb', '"medical" -> ibc', ["unknown_duty_holder"]),
    (
        "duplicate_rule_id",
        "ehc.rules",
        "rule ehc.review_decision ",
        "rule ehc.review_report ",
        ["duplicate_rule_id"],
    ),
    ("missing_citation", "ehc.rules", '  cite "SEND Regulations 2014 reg 8"\n', "", ["missing_citation"]),
    (
        "missing_duty",
        "exclusion.rules",
        '  duty depending on exclusion.category\n    "suspension" -> school\n    "permanent" -> local_authority\n',
        "",
        ["missing_duty"],
    ),
    ("missing_modality", "exclusion.rules", "  must\n", "", ["missing_modality"]),
    (
        "unknown_alias",
        "ehc.rules",
        "within params.ehc.final_plan_weeks weeks of request",
        "within params.ehc.final_plan_weeks weeks of requets",
        ["unknown_alias"],
    ),
    (
        "unknown_rule_id",
        "ehc.rules",
        "  see ehc.final_plan\n",
        "  see ehc.final_plans\n",
        ["unknown_rule_id"],
    ),
    ("non_exhaustive_cases", "ehc.rules", "    otherwise -> local_authority\n", "", ["non_exhaustive_cases"]),
    (
        "non_exhaustive_deadline",
        "ehc.rules",
        '      "secondary_to_post16" -> before 31 March in the year of transfer.transfer_date\n',
        "",
        ["non_exhaustive_cases"],
    ),
    (
        "waiting_period_otherwise",
        "ehc.rules",
        '      "post16_to_post16" -> params.ehc.post16_transfer_months months before transfer.transfer_date\n',
        "      otherwise -> not before 5 days beginning with transfer\n",
        ["invalid_deadline"],
    ),
    (
        "ordering_text",
        "exclusion.rules",
        'category = "permanent"\n',
        'category > "permanent"\n',
        ["type_mismatch"],
    ),
    (
        "comparing_text_with_number",
        "exclusion.rules",
        'category = "permanent"\n',
        "category = 5\n",
        ["type_mismatch"],
    ),
    (
        "due_in_trigger_condition",
        "exclusion.rules",
        'category = "permanent"\n',
        "date > due\n",
        ["due_not_available"],
    ),
    (
        "field_of_other_trigger_type",
        "ehc.rules",
        "  when final_plan_issued or review_meeting as previous\n",
        '  when final_plan_issued or review_meeting as previous where outcome = "issue"\n',
        ["unknown_field"],
    ),
    (
        "response_without_link",
        "ehc.rules",
        "expect review_report_sent in response to meeting",
        "expect amended_plan_issued in response to meeting",
        ["no_link_field"],
    ),
    ("expect_unbound_name", "ehc.rules", "  expect notice\n", "  expect plan_decision\n", ["unknown_alias"]),
    (
        "exempt_without_due",
        "ehc.rules",
        "    not before params.ehc.draft_comment_days days beginning with draft\n",
        "    not before params.ehc.draft_comment_days days beginning with draft\n  exempt time_limit_exception between draft and due\n",
        ["no_due_date"],
    ),
    ("invalid_day_month", "ehc.rules", "before 15 February", "before 30 February", ["invalid_day_month"]),
    (
        "several_mistakes_at_once",
        "ehc.rules",
        "  expect final_plan_issued after request\n    within params.ehc.final_plan_weeks weeks of request\n",
        "  expect final_plan_isued after requets\n    within params.ehc.final_plan_wekes weeks of request\n",
        ["unknown_alias", "unknown_event_type", "unknown_parameter"],
    ),
    # the YAML files
    ("yaml_unknown_key", "manifest.yaml", "summary: >-", "sumary: >-", ["missing_key", "unknown_key"]),
    ("yaml_bad_date", "parameters.yaml", "    2014-09-01: 20\n", "    2014-09-31: 20\n", ["schema"]),
    (
        "yaml_duplicate_key",
        "parameters.yaml",
        "    2014-09-01: 20\n",
        "    2014-09-01: 20\n    2014-09-01: 18\n",
        ["duplicate_key"],
    ),
    (
        "yaml_syntax_error",
        "events.yaml",
        "  description: A review meeting of the EHC plan was held.\n",
        "  description: [A review meeting\n",
        ["yaml_syntax"],
    ),
    (
        "yaml_wrong_type",
        "parameters.yaml",
        "  unit: months\n  source: Children",
        "  unit: moths\n  source: Children",
        ["schema"],
    ),
    (
        "yaml_event_ref_to_unknown_type",
        "events.yaml",
        "      event_type: review_meeting\n\nreview_decision:",
        "      event_type: review_meting\n\nreview_decision:",
        ["unknown_event_type"],
    ),
    (
        "yaml_effective_period_reversed",
        "manifest.yaml",
        "effective_from: 2014-09-01\n",
        "effective_from: 2014-09-01\neffective_to: 2014-01-01\n",
        ["schema"],
    ),
    ("yaml_version_mismatch", "manifest.yaml", "version: 1.0.0", "version: 1.0.1", ["version_mismatch"]),
]


@pytest.mark.parametrize("name, file, old, new, codes", CASES, ids=[case[0] for case in CASES])
def test_mistake_is_reported(tmp_path, name, file, old, new, codes):
    folder = copy_pack(tmp_path)
    edit(folder / file, old, new)
    result = build_standard(folder, "send-ap/1.0.0")
    assert result.standard is None
    assert sorted(d.code for d in result.diagnostics) == sorted(codes), result.render()
    for diagnostic in result.diagnostics:
        assert diagnostic.file.startswith("send-ap/1.0.0/")
        assert diagnostic.line is not None, f"{diagnostic.one_line()} has no line"
    _compare_golden(name, result.render() + "\n")


def _compare_golden(name: str, rendered: str) -> None:
    path = GOLDEN / f"{name}.txt"
    if UPDATE or not path.exists():
        path.write_text(rendered, encoding="utf-8")
        if not UPDATE:
            pytest.fail(f"recorded new golden file {path.name}; review it and run again")
    assert rendered == path.read_text(encoding="utf-8"), (
        f"diagnostics changed; if intended, re-record with SENDRULES_UPDATE_GOLDEN=1 and review git diff\n{rendered}"
    )


def test_missing_and_stray_files(tmp_path):
    folder = copy_pack(tmp_path)
    (folder / "events.yaml").rename(folder / "event.yaml")
    result = build_standard(folder, "send-ap/1.0.0")
    codes = sorted(d.code for d in result.diagnostics)
    assert "missing_file" in codes and "unexpected_file" in codes
    stray = next(d for d in result.diagnostics if d.code == "unexpected_file")
    assert stray.hint == "did you mean 'events.yaml'?"


def test_the_bundled_pack_builds_cleanly(library):
    result = build_standard(library.root / "send-ap" / "1.0.0", "send-ap/1.0.0")
    assert result.diagnostics == []
    assert len(result.standard.rules) == 10


def test_one_line_form_for_tools(tmp_path):
    folder = copy_pack(tmp_path)
    edit(
        folder / "ehc.rules",
        "  expect final_plan_issued after request\n",
        "  expect final_plan_isued after request\n",
    )
    result = build_standard(folder, "send-ap/1.0.0")
    assert [d.one_line() for d in result.diagnostics] == [
        "send-ap/1.0.0/ehc.rules:52:10: unknown_event_type: unknown event type 'final_plan_isued'"
    ]
