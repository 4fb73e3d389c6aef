"""measures.yaml: checked by `sendrules check` with located errors, rendered by `docs`,
compared by `diff`; published versions keep their content hashes."""

from __future__ import annotations

import json
from datetime import date

import pytest
from typer.testing import CliRunner

from sendrules.api.cli import app
from sendrules.dsl.pipeline import build_standard
from sendrules.policy.diff import diff_standards
from tests.policy.helpers import copy_version, resolve

PUBLISHED = {
    "1.0.0": "3a426a679674ce5e9e81d194dfe5d4a676e692114822afe9b39e00b70cd61098",
    "1.1.0": "c7a56dd5062bed76cc404371da72e1e3f02a1251557006136a22fea76f185d93",
    "1.2.0": "83607c8fb0f386d0505d399b51d0c5470e76f866c1a9cac6a0742ea25cc7a70d",
    "1.3.0": "dcb20d7820dd511536a6b15c0462f089235b1770758b1865bd015188c416ffbd",
    "1.4.0": "a4892a1da4cb8271ca260f7d84406497e2f14faed27d2658f46a23b507c56b84",
    "1.5.0": "be206180639dda02d75038f9fcf02f7844db4f9d0aa1da626a6a08a0ecca4535",
}


@pytest.mark.parametrize("version", sorted(PUBLISHED))
def test_published_versions_keep_their_hashes_and_have_no_measures(library, version):
    standard = library.resolve(f"send-ap@{version}", date(2020, 1, 1))
    assert standard.sha256 == PUBLISHED[version] and standard.measures == ()


def test_every_published_version_has_its_hash_pinned_here(library):
    """Publishing a version freezes its meaning: the commit that publishes it pins its hash above,
    so an edit made after that (even minutes later) fails here instead of passing unnoticed."""
    bundled = {info.version for info in library.versions() if info.status in ("published", "superseded")}
    assert bundled == set(PUBLISHED), (
        f"pin the hash of every published version: {sorted(bundled ^ set(PUBLISHED))}"
    )


MISTAKES = [
    (
        "rules: [ehc.final_plan]",
        "rules: [ehc.final_plann]",
        "unknown_rule_id",
        "did you mean 'ehc.final_plan'?",
        "ehc.plans_within_20_weeks.rules[0]",
    ),
    (
        "    - status: [met, late, exempt]\n    - exception_case: false",
        "    - status: [met, lat, exempt]\n    - exception_case: false",
        "unknown_value",
        "did you mean 'late'?",
        "ehc.plans_within_20_weeks.population[0].status[1]",
    ),
    (
        "    - field: event.destination\n      in: [unknown, not_in_education]",
        "    - field: event.destinaton\n      in: [unknown, not_in_education]",
        "unknown_field",
        "did you mean 'destination'?",
        "ap.moves_to_unknown_destinations.numerator[0].field",
    ),
    (
        "      in: [unknown, not_in_education]",
        "      in: [unknown, not_in_school]",
        "unknown_value",
        None,
        "ap.moves_to_unknown_destinations.numerator[0].in[1]",
    ),
    (
        "  period: last_calendar_year\n  dated_by: trigger.date",
        "  period: last_calendar_yr\n  dated_by: trigger.date",
        "unknown_value",
        "did you mean 'last_calendar_year'?",
        "ehc.requests_refused.period",
    ),
    (
        "  dated_by: finding.due",
        "  dated_by: finding.status",
        "type_mismatch",
        None,
        "exclusion.sixth_day_provision_met.dated_by",
    ),
    (
        '  better: higher\n  thresholds: {statutory: 1.0}\n  source:\n    title: "DfE, Education, health and care plans: '
        "methodology and data guidance (SEN2 return); plans_issued_20_weeks_ex",
        '  better: higher\n  thresholds: {statutory: 100}\n  source:\n    title: "DfE, Education, health and care plans: '
        "methodology and data guidance (SEN2 return); plans_issued_20_weeks_ex",
        "schema",
        None,
        "ehc.plans_within_20_weeks.thresholds.statutory",
    ),
    (
        "  breakdowns: [la, region]\n  illustrative:",
        "  breakdowns: [la, county]\n  illustrative:",
        "unknown_value",
        None,
        "ap.budget.breakdowns[1]",
    ),
    (
        "  amount: output.top_up",
        "  amount: output.band",
        "type_mismatch",
        None,
        "provision.high_needs_cost.amount",
    ),
    (
        "  amount: {days_between: [event.date, follow_up.date]}",
        "  amount: {days_between: [event.date, follow_up.destination]}",
        "type_mismatch",
        None,
        "ap.placement_length_days.amount.days_between[1]",
    ),
    (
        "  amount: {days_between: [event.date, follow_up.date]}",
        "  amount: {days_between: [event.date]}",
        "schema",
        None,
        "ap.placement_length_days.amount.days_between",
    ),
    (
        "  period: last_calendar_year\n  dated_by: satisfied_by.date\n  population:\n    - status: [met, late, exempt]\n"
        "    - exception_case: false\n  numerator:\n    - status: [met]\n  breakdowns: [la, region, school, trust]",
        "  period: last_calendar_year\n  dated_by: satisfied_by.date\n  population:\n    - status: [met, late, exempt]\n"
        "    - exception_case: false\n  numerator:\n    - status: [met]\n  breakdowns: [la, region, school, provider]",
        "schema",
        None,
        "ehc.plans_within_20_weeks.breakdowns",
    ),
    (
        "  follow_up: {event_type: destination_checked, link: in_response_to}",
        "  follow_up: {event_type: destination_checked, link: sustained}",
        "unknown_field",
        None,
        "ap.sustained_post16_destinations.follow_up.link",
    ),
]


@pytest.mark.parametrize("old, new, code, hint, path", MISTAKES, ids=[m[4] for m in MISTAKES])
def test_each_mistake_is_reported_where_it_was_written(tmp_path, old, new, code, hint, path):
    folder = copy_version(tmp_path, "2.0.0-draft")
    text = (folder / "measures.yaml").read_text()
    assert text.count(old) >= 1, old
    (folder / "measures.yaml").write_text(text.replace(old, new, 1))
    result = build_standard(folder, "send-ap/2.0.0-draft")
    assert result.standard is None
    [diagnostic] = [d for d in result.diagnostics if d.yaml_path == path]
    assert diagnostic.code == code and diagnostic.file == "send-ap/2.0.0-draft/measures.yaml"
    assert diagnostic.line and diagnostic.column
    if hint:
        assert diagnostic.hint == hint


def test_a_measure_needs_a_source_or_says_it_is_illustrative(tmp_path):
    folder = copy_version(tmp_path, "2.0.0-draft")
    (folder / "measures.yaml").write_text(
        "x.count:\n  title: Requests\n  kind: count\n  unit: events\n  event_type: assessment_requested\n"
        "  period: as_of\n  breakdowns: [la]\n"
    )
    [diagnostic] = build_standard(folder, "send-ap/2.0.0-draft").diagnostics
    assert diagnostic.code == "missing_key" and "source" in diagnostic.message and diagnostic.line == 1


def test_check_lists_measure_problems_and_a_misnamed_file(tmp_path):
    folder = copy_version(tmp_path, "2.0.0-draft")
    (folder / "measure.yaml").write_text("{}\n")
    result = CliRunner().invoke(app, ["check", str(tmp_path), "--format", "json"])
    assert result.exit_code == 1
    assert "measures.yaml" in result.stdout and "did you mean 'measures.yaml'?" in result.stdout


def test_docs_and_diff_show_measures(tmp_path, library):
    draft = library.resolve("send-ap@2.0.0-draft", date(2025, 1, 1))
    v110 = library.resolve("send-ap@1.1.0", date(2025, 1, 1))
    docs = CliRunner().invoke(app, ["docs", "send-ap@2.0.0-draft"])
    assert "## Measures (16)" in docs.stdout and "ehc.plans_within_20_weeks" in docs.stdout
    assert "the last complete calendar year, dated by satisfied_by.date" in docs.stdout
    added = diff_standards(v110, draft)
    assert len([m for m in added.measures if m.status == "added"]) == 16
    folder = copy_version(tmp_path, "2.0.0-draft")
    text = (folder / "measures.yaml").read_text()
    (folder / "measures.yaml").write_text(
        text.replace(
            "    - status: [met]\n  breakdowns: [la, region, school, trust]\n"
            "  better: higher\n  thresholds: {statutory: 1.0}",
            "    - status: [met, exempt]\n  breakdowns: [la, region, school, trust]\n"
            "  better: higher\n  thresholds: {statutory: 1.0}",
            1,
        )
    )
    edited = resolve(tmp_path, "send-ap@2.0.0-draft")
    [change] = diff_standards(draft, edited).measures
    assert (change.id, change.status, change.changed_parts) == (
        "ehc.plans_within_20_weeks",
        "changed",
        ("numerator",),
    )
    assert "+    - status: [met, exempt]" in change.unified_diff
    as_json = json.loads(
        CliRunner()
        .invoke(
            app,
            [
                "diff",
                "send-ap@2.0.0-draft",
                "send-ap@2.0.0-draft",
                "--standards-dir",
                str(tmp_path),
                "--format",
                "json",
            ],
        )
        .stdout
    )
    assert as_json["measures"] == [] and as_json["summary"]["measures"] == {
        "added": 0,
        "removed": 0,
        "changed": 0,
    }


def test_a_provider_breakdown_needs_no_provider_field_in_the_vocabulary(library):
    """Measured under 1.1.0 (whose placements name no provider), the draft's AP measures stay
    computable; every placement is then under provider null ("not recorded")."""
    from sendrules.cohort.measures import choose_measures

    v110 = library.resolve("send-ap@1.1.0", date(2025, 1, 1))
    choice = choose_measures(library, v110, date(2025, 6, 1), "send-ap@2.0.0-draft")
    kept = {measure.id for measure in choice.measures}
    assert {"ap.placement_length_days", "ap.reintegration_within_two_terms"} <= kept
    assert not any("provider" in reason for _, reason in choice.skipped), choice.skipped
