"""diff_standards: what one version changes against another, and the review of its stated changes."""

from __future__ import annotations

import json
from datetime import date

from sendrules.policy.diff import Change, Item, ValueChange, diff_standards
from tests.policy.helpers import copy_version, edit, new_version, resolve, set_changes


def ids(entries):
    return [entry.id for entry in entries]


# --- the bundled versions --------------------------------------------------------------------


#: What the draft adds to its base, 1.3.0: the Green Paper's proposals and two later ones.
DRAFT_RULES = [
    "ap.destination_recorded",
    "ap.non_school_time_limit",
    "ap.post16_destination_checked",
    "icb.health_provision_agreed",
    "isp.annual_review",
    "standards.support_after_identification",
]
DRAFT_PARAMETERS = [
    ("ap.destination_check_weeks", 30),
    ("ap.non_school_max_weeks", 12),
    ("icb.health_agreement_days", 15),
    ("isp.review_months", 12),
    ("standards.support_start_weeks", 4),
]
DRAFT_EVENT_TYPES = [
    ("ap_placement_started", "changed"),
    ("destination_checked", "added"),
    ("draft_plan_issued", "changed"),
    ("health_provision_agreed", "added"),
    ("isp_reviewed", "added"),
    ("isp_written", "added"),
    ("part_time_timetable_ended", "added"),
    ("school_left", "added"),
    ("school_registered", "added"),
]


def test_the_draft_adds_its_proposals_to_1_3_0_and_changes_no_rule(v130, draft):
    result = diff_standards(v130, draft)
    assert result.differs
    # the law in force is 1.3.0's: no rule changed or removed; each proposal is an added rule
    assert result.rules_changed == () and result.rules_removed == ()
    assert ids(result.rules_added) == DRAFT_RULES
    # every added rule is a should (a proposal is never shown as a statutory must)
    assert {rule.id: rule.modality.value for rule in draft.rules if rule.id in DRAFT_RULES} == dict.fromkeys(
        DRAFT_RULES, "should"
    )
    # parameters: added, each from the draft's date
    assert [(p.name, p.status, p.values) for p in result.parameters] == [
        (name, "added", (ValueChange(date(2029, 9, 1), None, value),)) for name, value in DRAFT_PARAMETERS
    ]
    # the banding table: cites the Green Paper; Band 1 in mainstream is a placeholder 2,000
    assert (
        ids(result.tables_changed) == ["provision.band"]
        and not result.tables_added
        and not result.tables_removed
    )
    table = result.tables_changed[0]
    assert [change.part for change in table.parts] == ["title", "citations", "illustrative"]
    assert table.rows_added == () and table.rows_removed == ()
    [row] = table.rows_changed
    assert (row.old_number, row.new_number, row.inputs) == (2, 2, ("2", '"mainstream"'))
    assert row.outputs == (Change("top_up", 1600, 2000),)
    # the vocabulary: the ICB's agreement and a draft plan's health provision, individual support
    # plans, the population layer's events (docs/cohorts.md), and the placement's tier required
    # and its provider
    assert [(e.name, e.status) for e in result.event_types] == DRAFT_EVENT_TYPES


def test_a_changed_rule_lists_its_changed_parts_and_a_unified_diff(library):
    old = library.resolve("send-ap@1.2.0", date(2000, 1, 1))
    new = library.resolve("send-ap@1.3.0", date(2000, 1, 1))
    [rule] = [rule for rule in diff_standards(old, new).rules_changed if rule.id == "ehc.plan_transfer"]
    assert rule.changed_parts == ("deadline",)
    parts = {change.part: change for change in rule.parts}
    assert parts["deadline"].old == (
        "by the later of the move's move_date and 15 working days after the move (parameter ehc.transfer_working_days)"
    )
    assert "beginning with the date of the move (that day is day 1)" in parts["deadline"].new
    lines = rule.unified_diff.splitlines()
    assert lines[:2] == ["--- send-ap/1.2.0/plans.rules", "+++ send-ap/1.3.0/plans.rules"]
    assert lines[2] == "@@ -68,4 +68,4 @@"  # line numbers of the files, not of the rule
    assert "-             and within params.ehc.transfer_working_days working days of move" in lines
    assert (
        "+             and within params.ehc.transfer_working_days working days beginning with move" in lines
    )
    assert (
        rule.old_source == "send-ap/1.2.0/plans.rules:63"
        and rule.new_source == "send-ap/1.3.0/plans.rules:63"
    )


def test_the_drafts_stated_changes_match_what_changed(v130, draft):
    review = diff_standards(v130, draft).stated_changes
    assert review.checked and review.against == "1.3.0" and review.consistent
    assert review.not_stated == () and review.stated_but_unchanged == ()
    assert [entry.items for entry in review.entries] == [
        (),  # the base, 1.3.0, and why
        (
            Item("rule", "standards.support_after_identification", "added"),
            Item("parameter", "standards.support_start_weeks", "added"),
        ),
        (
            Item("rule", "ap.post16_destination_checked", "added"),
            Item("parameter", "ap.destination_check_weeks", "added"),
        ),
        (Item("rule", "ap.destination_recorded", "added"),),
        (),  # banding and tariffs: a table
        (
            Item("rule", "icb.health_provision_agreed", "added"),
            Item("parameter", "icb.health_agreement_days", "added"),
        ),
        (Item("rule", "isp.annual_review", "added"), Item("parameter", "isp.review_months", "added")),
        (
            Item("rule", "ap.non_school_time_limit", "added"),
            Item("parameter", "ap.non_school_max_weeks", "added"),
        ),
        (),  # in force from 2029-09-01
    ]
    # the list can name rules and parameters only: a changed table is left to a summary
    assert review.describe_in_a_summary == (Item("table", "provision.band", "changed"),)


def test_the_manifest_changes_are_reported(v130, draft):
    changes = {change.part: (change.old, change.new) for change in diff_standards(v130, draft).manifest}
    assert changes["status"] == ("published", "draft")
    assert changes["effective_from"] == (date(2014, 9, 1), date(2029, 9, 1))
    assert changes["illustrative"] == (False, True)
    assert changes["supersedes"] == ("1.2.0", "1.3.0")
    assert changes["title"] == (
        "SEND and alternative provision duties (law in force)",
        "Proposed national SEND and AP standards after the 2022 Green Paper (illustrative draft)",
    )
    assert "summary" in changes and "effective_to" not in changes
    assert "language" not in changes  # both rules language 2


def test_a_version_against_itself_is_empty(v110):
    result = diff_standards(v110, v110)
    assert not result.differs
    assert result.to_dict()["summary"] == {
        "rules": {"added": 0, "removed": 0, "changed": 0},
        "parameters": {"added": 0, "removed": 0, "changed": 0},
        "tables": {"added": 0, "removed": 0, "changed": 0},
        "event_types": {"added": 0, "removed": 0, "changed": 0},
        "manifest": {"changed": 0},
    }
    assert result.stated_changes is None
    assert result.render_text().endswith("\nNo differences.\n")


def test_from_1_0_0_to_1_1_0_the_eighteen_added_rules(v100, v110):
    result = diff_standards(v100, v110)
    stated = sorted(rule for _, rules, _ in v110.changes for rule in rules)
    assert len(stated) == 18
    assert ids(result.rules_added) == stated
    assert result.rules_removed == () and result.rules_changed == ()
    assert ids(result.tables_added) == ["provision.band"]
    review = result.stated_changes
    assert review.checked and review.consistent


def test_the_json_is_valid_and_stable(v130, draft, library):
    first = json.dumps(diff_standards(v130, draft).to_dict(), indent=2, ensure_ascii=False)
    # built again from the files, not the cache: the same text
    from sendrules.engine.library import StandardsLibrary

    fresh = StandardsLibrary(library.root)
    again = diff_standards(
        fresh.resolve("send-ap@1.3.0", date(2000, 1, 1)),
        fresh.resolve("send-ap@2.0.0-draft", date(2000, 1, 1)),
    )
    assert json.dumps(again.to_dict(), indent=2, ensure_ascii=False) == first
    data = json.loads(first)
    assert list(data) == [
        "old",
        "new",
        "differs",
        "summary",
        "manifest",
        "rules",
        "parameters",
        "tables",
        "event_types",
        "stated_changes",
        "measures",
    ]  # measures: the draft has some
    assert data["old"]["reference"] == "send-ap@1.3.0" and data["new"]["reference"] == "send-ap@2.0.0-draft"
    assert data["rules"]["changed"] == [] and len(data["rules"]["added"]) == len(DRAFT_RULES)
    assert data["tables"]["changed"][0]["rows_changed"] == [
        {
            "old_number": 2,
            "new_number": 2,
            "inputs": ["2", '"mainstream"'],
            "outputs": [{"part": "top_up", "old": 1600, "new": 2000}],
        }
    ]
    assert data["manifest"][2] == {"part": "effective_from", "old": "2014-09-01", "new": "2029-09-01"}


def test_the_text_names_every_change(v130, draft):
    text = diff_standards(v130, draft).render_text()
    for expected in (
        "Summary: rules 6 added, 0 removed, 0 changed",
        "+ ap.non_school_time_limit added",
        "+ icb.health_provision_agreed added",
        "+ standards.support_after_identification added",
        "(should; icb; send-ap/2.0.0-draft/national_standards.rules:",
        "+ ap.non_school_max_weeks added (weeks; used by ap.non_school_time_limit)",
        "from 2029-09-01: 12 (added)",
        "~ provision.band changed",
        'row 2 [2 | "mainstream"]: top_up 1600 -> 2000',
        "+ health_provision_agreed added",
        "+ field health_provision: boolean; optional",
        "+ isp_written added",
        "status: published -> draft",
        "illustrative: false -> true",
        "supersedes: 1.2.0 -> 1.3.0",
        "Stated changes in the manifest of 2.0.0-draft (against 1.3.0)",
        "ok: every added or changed rule and parameter is named",
    ):
        assert expected in text, expected
    assert "must;" not in text.split("\nParameters\n", 1)[0].split("\nRules\n", 1)[1]
    assert text == diff_standards(v130, draft).render_text()


# --- temporary versions with one deliberate change -------------------------------------------


def test_one_added_parameter_value_is_exactly_that_change(tmp_path):
    copy_version(tmp_path, "1.1.0")
    newer = new_version(tmp_path)
    edit(newer / "parameters.yaml", "    2014-09-01: 20\n", "    2014-09-01: 20\n    2027-09-01: 18\n")
    result = diff_standards(resolve(tmp_path, "send-ap@1.1.0"), resolve(tmp_path, "send-ap@1.2.0"))
    [parameter] = result.parameters
    assert parameter.name == "ehc.final_plan_weeks" and parameter.status == "changed"
    assert parameter.values == (ValueChange(date(2027, 9, 1), None, 18),)
    assert parameter.attributes == () and parameter.used_by == ("ehc.final_plan",)
    assert not (
        result.rules_added
        or result.rules_removed
        or result.rules_changed
        or result.event_types
        or result.tables_added
        or result.tables_removed
        or result.tables_changed
    )
    assert result.manifest == (Change("status", "published", "draft"), Change("supersedes", "1.0.0", "1.1.0"))
    # not in the (empty) stated changes: flagged for the policy officer
    assert result.stated_changes.not_stated == (Item("parameter", "ehc.final_plan_weeks", "changed"),)
    assert not result.stated_changes.consistent
    text = result.render_text()
    assert "~ ehc.final_plan_weeks changed (weeks; used by ehc.final_plan)" in text
    assert "from 2027-09-01: 18 (added)" in text
    assert "! parameter ehc.final_plan_weeks (changed) is not named in the stated changes" in text


def test_a_changed_value_and_a_stated_rule_that_did_not_change(tmp_path):
    copy_version(tmp_path, "1.1.0")
    newer = new_version(tmp_path)
    edit(newer / "parameters.yaml", "    2014-09-01: 20\n", "    2014-09-01: 18\n")
    set_changes(
        newer,
        [
            {
                "summary": "Final plans within 18 weeks",
                "rules": ["ehc.final_plan"],
                "parameters": ["ehc.final_plan_weeks"],
            }
        ],
    )
    result = diff_standards(resolve(tmp_path, "send-ap@1.1.0"), resolve(tmp_path, "send-ap@1.2.0"))
    assert result.parameters[0].values == (ValueChange(date(2014, 9, 1), 20, 18),)
    review = result.stated_changes
    assert review.not_stated == ()
    assert review.stated_but_unchanged == (Item("rule", "ehc.final_plan", "unchanged"),)
    assert "! rule ehc.final_plan is named in the stated changes but did not change" in result.render_text()


def test_a_comment_in_a_rule_is_a_text_change_and_whitespace_is_no_change(tmp_path):
    copy_version(tmp_path, "1.1.0")
    newer = new_version(tmp_path)
    edit(
        newer / "ehc.rules",
        "  see ehc.no_plan_notice\n  when assessment_requested as request\n",
        "  see ehc.no_plan_notice\n  # the request is the date the local authority received it\n"
        "  when assessment_requested as request\n",
    )
    edit(
        newer / "ehc.rules",
        "  when advice_requested as request\n",
        "\n      when   advice_requested as request\n",
    )
    [rule] = diff_standards(
        resolve(tmp_path, "send-ap@1.1.0"), resolve(tmp_path, "send-ap@1.2.0")
    ).rules_changed
    assert rule.id == "ehc.final_plan" and rule.changed_parts == ("text",)
    assert "+  # the request is the date the local authority received it" in rule.unified_diff.splitlines()


def test_a_changed_deadline_and_modality(tmp_path):
    copy_version(tmp_path, "1.1.0")
    newer = new_version(tmp_path)
    edit(
        newer / "plans.rules",
        "    within params.ehc.amended_plan_weeks weeks of proposal",
        "    within 10 weeks of proposal",
    )
    edit(
        newer / "plans.rules",
        '''  duty local_authority
  should
  cite "SEND Code of Practice 2015 para 9.178"''',
        '''  duty local_authority
  must
  cite "SEND Code of Practice 2015 para 9.178"''',
    )
    result = diff_standards(resolve(tmp_path, "send-ap@1.1.0"), resolve(tmp_path, "send-ap@1.2.0"))
    changed = {rule.id: rule for rule in result.rules_changed}
    assert list(changed) == ["ehc.amended_plan", "ehc.early_years_review"]
    assert changed["ehc.amended_plan"].parts == (
        Change(
            "deadline",
            "within 8 weeks of the proposal (parameter ehc.amended_plan_weeks)",
            "within 10 weeks of the proposal",
        ),
    )
    assert changed["ehc.early_years_review"].parts == (
        Change("modality", "should (guidance)", "must (statutory duty)"),
    )


def test_table_rows_added_and_removed_are_matched_by_their_inputs(tmp_path):
    copy_version(tmp_path, "1.1.0")
    newer = new_version(tmp_path)
    edit(
        newer / "provision.rules",
        '  | 1..2        | "resourced_provision"   || "Resourced 1"         | 1600   | false                 |\n',
        '  | 1           | "resourced_provision"   || "Resourced 1"         | 1600   | false                 |\n'
        '  | 2           | "resourced_provision"   || "Resourced 1a"        | 2100   | false                 |\n',
    )
    [table] = diff_standards(
        resolve(tmp_path, "send-ap@1.1.0"), resolve(tmp_path, "send-ap@1.2.0")
    ).tables_changed
    assert [(row.number, row.inputs, row.outputs) for row in table.rows_removed] == [
        (5, ("1..2", '"resourced_provision"'), ("Resourced 1", 1600, False))
    ]
    assert [(row.number, row.inputs, row.outputs) for row in table.rows_added] == [
        (5, ("1", '"resourced_provision"'), ("Resourced 1", 1600, False)),
        (6, ("2", '"resourced_provision"'), ("Resourced 1a", 2100, False)),
    ]
    assert table.rows_changed == () and table.parts == ()


def test_vocabulary_fields_added_removed_and_changed(tmp_path):
    copy_version(tmp_path, "1.1.0")
    newer = new_version(tmp_path)
    edit(
        newer / "events.yaml",
        "independent living (required from Year 9).\n",
        "independent living (required from Year 9).\n"
        "    attended_by_parent:\n      type: boolean\n      required: false\n",
    )
    edit(
        newer / "events.yaml",
        "      values: [parent, young_person, school, other]\n",
        "      values: [parent, young_person, school, health, other]\n",
    )
    edit(newer / "events.yaml", "    new_local_authority:\n", "    new_authority:\n")
    result = diff_standards(resolve(tmp_path, "send-ap@1.1.0"), resolve(tmp_path, "send-ap@1.2.0"))
    assert [(e.name, e.status) for e in result.event_types] == [
        ("assessment_requested", "changed"),
        ("la_move_notified", "changed"),
        ("review_meeting", "changed"),
    ]
    requested, moved, meeting = result.event_types
    assert requested.fields_changed == (
        Change(
            "requested_by",
            "enum: parent, young_person, school, other; optional - Who made the request.",
            "enum: parent, young_person, school, health, other; optional - Who made the request.",
        ),
    )
    assert [name for name, _ in moved.fields_removed] == ["new_local_authority"]
    assert [name for name, _ in moved.fields_added] == ["new_authority"]
    assert meeting.fields_added == (("attended_by_parent", "boolean; optional"),)
    text = result.render_text()
    assert "+ field attended_by_parent: boolean; optional" in text
    assert "- field new_local_authority: text" in text


def test_stated_changes_of_another_version_are_not_checked(v100, draft):
    review = diff_standards(v100, draft).stated_changes
    assert not review.checked and review.against == "1.3.0"
    assert review.not_stated == () and review.stated_but_unchanged == ()
    assert all(item.status == "not checked" for entry in review.entries for item in entry.items)
    assert (
        "Not checked: 2.0.0-draft states its changes against 1.3.0, not against 1.0.0."
        in diff_standards(v100, draft).render_text()
    )


def test_a_removed_rule_is_left_to_a_summary(v130, draft):
    backwards = diff_standards(draft, v130)
    assert ids(backwards.rules_removed) == DRAFT_RULES
    assert [(p.name, p.status) for p in backwards.parameters] == [
        (name, "removed") for name, _ in DRAFT_PARAMETERS
    ]
    assert [(e.name, e.status) for e in backwards.event_types] == [
        (name, "changed" if status == "changed" else "removed") for name, status in DRAFT_EVENT_TYPES
    ]


def test_each_changed_rule_shows_the_stated_change_and_its_source():
    """``sendrules diff send-ap@1.1.0 send-ap@1.2.0`` explains a correction where the rule is shown."""
    from sendrules.engine.library import StandardsLibrary

    library = StandardsLibrary()
    old = library.resolve("send-ap@1.1.0", date(2025, 1, 1))
    new = library.resolve("send-ap@1.2.0", date(2025, 1, 1))
    text = diff_standards(old, new).render_text()
    block = text.split("~ ehc.advice_response changed", 1)[1].split("\n  ~ ", 1)[0]
    assert "why: Advice for an assessment" in block and "Source: SEND Regulations 2014 reg 8(1)" in block


def test_1_3_0_shows_its_language_its_illustrative_marks_and_why():
    """``sendrules diff send-ap@1.2.0 send-ap@1.3.0``: the move to rules language 2, the
    ``illustrative`` marks on rules and parameters, and the reason and source of each change."""
    from sendrules.engine.library import StandardsLibrary

    library = StandardsLibrary()
    old = library.resolve("send-ap@1.2.0", date(2025, 1, 1))
    new = library.resolve("send-ap@1.3.0", date(2025, 1, 1))
    result = diff_standards(old, new)
    assert Change("language", 1, 2) in result.manifest
    assert {rule.id for rule in result.rules_changed} == {
        "ehc.plan_transfer",
        "ap.placement_review",
        "attendance.part_time_review",
    }
    parameter = next(p for p in result.parameters if p.name == "ap.placement_review_weeks")
    assert Change("illustrative", None, True) in parameter.attributes and parameter.values == ()
    text = result.render_text()
    assert "  language: 1 -> 2\n" in text
    transfer = text.split("~ ehc.plan_transfer changed", 1)[1].split("\n  ~ ", 1)[0]
    assert "why: Plan transfer" in transfer and "reg 15(2)" in transfer and "beginning with" in transfer
    review = text.split("~ ap.placement_review changed", 1)[1].split("\n  ~ ", 1)[0]
    assert "illustrative added: 6 weeks is local practice, not national law" in review
    assert "why: AP placement review" in review
