"""Rules language 2 in the checker: the gate that keeps published packs' meaning, and the
checks a language-2 pack gets (citations belong to a source, ``must`` rests on law,
illustrative numbers are said to be illustrative).

Language-1 cases edit a copy of the bundled send-ap 1.0.0 pack; language-2 cases edit a copy of
the test pack tests/conformance/language2/standards/lang-test/1.0.0. Every case makes one
deliberate change and names the diagnostics it expects, with where they point.
"""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest

from sendrules.dsl.pipeline import build_standard
from tests.dsl.helpers import copy_pack, diagnostics, edit, position

CHILDREN_ACT = '"Children Act 1989 s17"'
CITE_CODE = 'cite "SEND Code'
CITE_LOCAL = '"Local banding 2024"'
LANGUAGE2_PACK = Path(__file__).parents[1] / "conformance" / "language2" / "standards" / "lang-test" / "1.0.0"


def copy_language2_pack(tmp_path: Path) -> Path:
    target = tmp_path / "lang-test" / "1.0.0"
    shutil.copytree(LANGUAGE2_PACK, target)
    return target


def test_the_language2_test_pack_builds_without_diagnostics():
    result = build_standard(LANGUAGE2_PACK, "lang-test/1.0.0")
    assert result.ok and result.diagnostics == [], result.render()
    assert result.standard.language == 2
    rules = {rule.id: rule for rule in result.standard.rules}
    assert rules["local.review"].illustrative.startswith("the interval is one local authority's practice")
    assert (
        rules["dated.closed"].in_force_from.isoformat(),
        rules["dated.closed"].in_force_until.isoformat(),
    ) == ("2015-01-05", "2024-08-18")
    assert rules["dated.open"].in_force_until is None


def test_the_published_packs_are_language_1(library):
    for reference in ("send-ap@1.0.0", "send-ap@1.1.0"):
        assert library.resolve(reference, date(2020, 1, 1)).language == 1


# --- the gate: a language-1 pack may not use a language-2 construct --------------------------


def test_beginning_with_in_a_language1_pack_is_refused_where_it_is_written(tmp_path):
    folder = copy_pack(tmp_path)
    edit(
        folder / "ehc.rules",
        "within params.ehc.final_plan_weeks weeks of request",
        "within params.ehc.final_plan_weeks weeks beginning with request",
    )
    found = diagnostics(folder)
    assert [code for code, _ in found] == ["needs_language_2"]
    where = position(folder, "ehc.rules", "within params.ehc.final_plan_weeks weeks beginning")
    assert found[0][1] == f"{where}: needs_language_2: 'within ... beginning with' needs rules language 2"


def test_in_force_and_illustrative_clauses_in_a_language1_pack_are_refused(tmp_path):
    folder = copy_pack(tmp_path)
    edit(
        folder / "ehc.rules",
        'rule ehc.final_plan "Issue the final EHC plan"\n',
        'rule ehc.final_plan "Issue the final EHC plan"\n  in force from 2015-01-05\n'
        '  illustrative "an example"\n',
    )
    found = diagnostics(folder)
    assert found == [
        (
            "needs_language_2",
            f"{position(folder, 'ehc.rules', 'in force from')}: needs_language_2: "
            "the 'in force' clause needs rules language 2",
        ),
        (
            "needs_language_2",
            f"{position(folder, 'ehc.rules', 'illustrative')}: needs_language_2: "
            "the 'illustrative' clause needs rules language 2",
        ),
    ]


def test_language2_keys_of_the_yaml_files_in_a_language1_pack_are_refused(tmp_path):
    folder = copy_pack(tmp_path)
    edit(
        folder / "manifest.yaml",
        "  - title: Children and Families Act 2014, Part 3\n",
        "  - title: Children and Families Act 2014, Part 3\n    kind: statute\n",
    )
    edit(
        folder / "parameters.yaml",
        "  source: SEND Regulations 2014 reg 13(2)\n",
        "  source: SEND Regulations 2014 reg 13(2)\n  illustrative: true\n",
    )
    found = diagnostics(folder)
    assert [code for code, _ in found] == ["needs_language_2", "needs_language_2"]
    manifest_line = position(folder, "manifest.yaml", "kind: statute").rsplit(":", 1)[0]
    parameter_line = position(folder, "parameters.yaml", "illustrative: true").rsplit(":", 1)[0]
    assert found[0][1].startswith(f"{manifest_line}:")
    assert "a source's 'kind' needs rules language 2" in found[0][1]
    assert found[1][1].startswith(f"{parameter_line}:")
    assert "a parameter's 'illustrative' needs rules language 2" in found[1][1]


def test_the_same_constructs_are_accepted_once_the_manifest_says_language_2(tmp_path):
    folder = copy_pack(tmp_path)
    edit(
        folder / "manifest.yaml", "effective_from: 2014-09-01\n", "effective_from: 2014-09-01\nlanguage: 2\n"
    )
    edit(
        folder / "ehc.rules",
        "within params.ehc.final_plan_weeks weeks of request",
        "within params.ehc.final_plan_weeks weeks beginning with request",
    )
    # Sources without cite_as: every citation is unknown in language 2, which is the next thing to fix.
    codes = {code for code, _ in diagnostics(folder)}
    assert "needs_language_2" not in codes
    assert codes == {"unknown_citation_source"}


@pytest.mark.parametrize(
    "value, message",
    [
        ("5", "Input should be 1, 2, 3 or 4"),
        ('"2"', "the language version is a whole number: 1, 2, 3 or 4"),
        ("true", "the language version is a whole number: 1, 2, 3 or 4"),
    ],
)
def test_the_language_is_1_or_2(tmp_path, value, message):
    folder = copy_language2_pack(tmp_path)
    edit(folder / "manifest.yaml", "language: 2\n", f"language: {value}\n")
    found = diagnostics(folder)
    assert found and all(message in line for _, line in found[:1]), found
    assert "manifest.yaml:9" in found[0][1]


# --- the checks of a language-2 pack ---------------------------------------------------------


def test_a_citation_that_belongs_to_no_source_is_located(tmp_path):
    folder = copy_language2_pack(tmp_path)
    edit(folder / "dated.rules", 'cite "SEND Regulations 2014 reg 15(2)"', 'cite "Children Act 1989 s17"')
    found = diagnostics(folder)
    assert found == [
        (
            "unknown_citation_source",
            f"{position(folder, 'dated.rules', CHILDREN_ACT)}: unknown_citation_source: "
            "'Children Act 1989 s17' does not begin with the 'cite_as' of any source in the manifest",
        )
    ]


def test_a_must_that_cites_only_guidance_is_refused(tmp_path):
    folder = copy_language2_pack(tmp_path)
    edit(
        folder / "dated.rules", 'cite "SEND Regulations 2014 reg 15(2)"', 'cite "SEND Code of Practice 9.176"'
    )
    found = diagnostics(folder)
    assert found == [
        (
            "must_without_law",
            f"{position(folder, 'dated.rules', CITE_CODE)}: must_without_law: "
            "rule dated.closed says 'must' but cites no statute or regulation",
        )
    ]


def test_a_must_that_cites_guidance_and_a_regulation_is_accepted(tmp_path):
    folder = copy_language2_pack(tmp_path)
    edit(
        folder / "dated.rules",
        'cite "SEND Regulations 2014 reg 15(2)"',
        'cite "SEND Code of Practice 9.176", "SEND Regulations 2014 reg 15(2)"',
    )
    assert diagnostics(folder) == []


def test_should_may_rest_on_guidance_alone(tmp_path):
    folder = copy_language2_pack(tmp_path)
    edit(
        folder / "dated.rules",
        '  must\n  cite "SEND Regulations 2014 reg 15(2)"',
        '  should\n  cite "SEND Code of Practice 9.176"',
    )
    assert diagnostics(folder) == []


def test_the_longest_cite_as_prefix_decides_the_source(tmp_path):
    """A guidance source cited as "SEND Regulations 2014 guidance" is not the regulations."""
    folder = copy_language2_pack(tmp_path)
    edit(
        folder / "manifest.yaml",
        'cite_as: ["SEND Code of Practice"]',
        'cite_as: ["SEND Code of Practice", "SEND Regulations 2014 guidance"]',
    )
    edit(
        folder / "dated.rules",
        'cite "SEND Regulations 2014 reg 15(2)"',
        'cite "SEND Regulations 2014 guidance note 3"',
    )
    assert [code for code, _ in diagnostics(folder)] == ["must_without_law"]


def test_a_rule_using_an_illustrative_parameter_must_say_why(tmp_path):
    folder = copy_language2_pack(tmp_path)
    edit(
        folder / "dated.rules",
        '  illustrative "the interval is one local authority\'s practice, not a national time limit"\n',
        "",
    )
    found = diagnostics(folder)
    assert found == [
        (
            "illustrative_parameter",
            f"{position(folder, 'dated.rules', 'params.t.local_review_weeks')}: illustrative_parameter: "
            "parameter t.local_review_weeks is illustrative (local practice, not law) and this pack is not",
        )
    ]


def test_an_illustrative_pack_needs_no_reason_on_each_rule(tmp_path):
    folder = copy_language2_pack(tmp_path)
    edit(folder / "manifest.yaml", "language: 2\n", "language: 2\nillustrative: true\n")
    edit(
        folder / "dated.rules",
        '  illustrative "the interval is one local authority\'s practice, not a national time limit"\n',
        "",
    )
    assert diagnostics(folder) == []


@pytest.mark.parametrize(
    "old, new, code",
    [
        (
            "in force from 2015-01-05 until 2024-08-18",
            "in force from 2024-08-18 until 2015-01-05",
            "invalid_period",
        ),
        ("in force from 2015-01-05 until 2024-08-18", "in force from 2015-02-30", "invalid_date"),
        (
            "in force from 2015-01-05 until 2024-08-18",
            "in force from 2015-01-05\n  in force from 2016-01-05",
            "duplicate_clause",
        ),
        (
            'illustrative "the interval is one local authority\'s practice, not a national time limit"',
            'illustrative "  "',
            "empty_note",
        ),
    ],
)
def test_mistakes_in_the_new_clauses(tmp_path, old, new, code):
    folder = copy_language2_pack(tmp_path)
    edit(folder / "dated.rules", old, new)
    assert [found for found, _ in diagnostics(folder)] == [code]


def test_a_period_beginning_with_a_day_cannot_be_zero(tmp_path):
    folder = copy_language2_pack(tmp_path)
    edit(folder / "parameters.yaml", "    2014-09-01: 15\n", "    2014-09-01: 15\n    2030-01-01: 0\n")
    found = diagnostics(folder)
    # bw.working_days and nested.transfer use it "beginning with"; of.working_days does not.
    assert [code for code, _ in found] == ["invalid_amount", "invalid_amount"]
    assert all("t.transfer_working_days is 0 from 2030-01-01" in line for _, line in found)
    edit(
        folder / "counting.rules",
        "within 5 school days beginning with",
        "within 0 school days beginning with",
    )
    assert [code for code, _ in diagnostics(folder)] == ["invalid_amount"] * 3


# --- the policy officers' document shows the new markers -------------------------------------


def test_the_document_shows_in_force_dates_and_illustrative_notes():
    from sendrules.policy.document import render_markdown

    text = render_markdown(build_standard(LANGUAGE2_PACK, "lang-test/1.0.0").standard)
    closed = text[text.index("### `dated.closed`") : text.index("### `dated.open`")]
    assert (
        "**In force:** for duties started by an event dated on or after 5 January 2015 "
        "and on or before 18 August 2024"
    ) in closed
    review = text[text.index("### `local.review`") :]
    assert "> **Illustrative, not law:** the interval is one local authority's practice" in review
    parameter = text[text.index("### `t.local_review_weeks`") :]
    assert "> **Illustrative, not law:**" in parameter.split("### ")[1]
    assert "**In force:**" not in text[text.index("### `of.days`") : text.index("### `of.months`")]


def test_a_decision_table_s_citations_belong_to_sources_too(tmp_path):
    folder = copy_language2_pack(tmp_path)
    (folder / "events.yaml").write_text(
        (folder / "events.yaml").read_text(encoding="utf-8")
        + (
            "\nneeds_identified:\n  description: Needs were identified.\n  fields:\n"
            "    level:\n      type: integer\n      minimum: 1\n      maximum: 3\n"
        ),
        encoding="utf-8",
    )
    (folder / "tables.rules").write_text(
        'table t.band "A band"\n  cite "Local banding 2024"\n  illustrative "an example"\n'
        "  given needs_identified as needs\n  hit policy first\n"
        '  | needs.level || band |\n  | -           || "A"  |\n',
        encoding="utf-8",
    )
    found = diagnostics(folder)
    assert found == [
        (
            "unknown_citation_source",
            f"{position(folder, 'tables.rules', CITE_LOCAL)}: unknown_citation_source: "
            "'Local banding 2024' does not begin with the 'cite_as' of any source in the manifest",
        )
    ]
    edit(folder / "tables.rules", "Local banding 2024", "SEND Code of Practice 6.1")
    assert diagnostics(folder) == []


def test_the_standards_view_gives_the_markers_of_a_language_2_pack_only(library):
    from sendrules.api.standards_view import describe_standard

    view = describe_standard(build_standard(LANGUAGE2_PACK, "lang-test/1.0.0").standard)
    assert view["language"] == 2
    rules = {rule["id"]: rule for rule in view["rules"]}
    assert rules["dated.closed"]["in_force"] == {"from": "2015-01-05", "until": "2024-08-18"}
    assert rules["dated.open"]["in_force"] == {"from": "2024-08-19", "until": None}
    assert rules["local.review"]["illustrative"].startswith("the interval is one")
    assert "in_force" not in rules["of.days"] and "illustrative" not in rules["of.days"]
    assert [p["name"] for p in view["parameters"] if p.get("illustrative")] == ["t.local_review_weeks"]
    published = describe_standard(library.resolve("send-ap@1.1.0", date(2020, 1, 1)))
    assert "language" not in published
    assert not any("in_force" in rule or "illustrative" in rule for rule in published["rules"])
