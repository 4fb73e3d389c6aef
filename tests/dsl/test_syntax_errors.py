"""Syntax errors come from the table of typical mistakes, located and explained."""

from __future__ import annotations

import pytest

from sendrules.dsl.parser import parse_rules_file
from sendrules.dsl.syntax_errors import MISTAKES, examples_by_mistake

EXAMPLES = [(mistake.code, example) for mistake, examples in examples_by_mistake() for example in examples]


@pytest.mark.parametrize("code, source", EXAMPLES, ids=[f"{c}-{i}" for i, (c, _) in enumerate(EXAMPLES)])
def test_every_table_example_is_recognised(code, source):
    _, diagnostics = parse_rules_file(source, "x.rules")
    assert [d.code for d in diagnostics] == [code]
    diagnostic = diagnostics[0]
    assert diagnostic.file == "x.rules" and diagnostic.line and diagnostic.column
    assert diagnostic.hint, "every table entry explains how to fix the mistake"


def test_every_code_in_the_table_is_distinct():
    codes = [mistake.code for mistake in MISTAKES]
    assert len(codes) == len(set(codes))


RULE = """rule ehc.final_plan "Issue the final EHC plan"
  duty local_authority
  must
  cite "SEND Regulations 2014 reg 13(2)"
  when assessment_requested as request
  expect final_plan_issued after request
    within 20 weeks of request
"""


@pytest.mark.parametrize(
    "broken, code, line, column, hint",
    [
        (RULE.replace("duty local", "dutty local"), "unknown_clause", 2, 3, "did you mean 'duty'?"),
        (RULE.replace("within 20", "wihtin 20"), "missing_deadline", 7, 5, "did you mean 'within'?"),
        (RULE.replace("20 weeks", "20 wekes"), "unknown_unit", 7, 15, "did you mean 'weeks'?"),
        (
            RULE.replace('"SEND Regulations 2014 reg 13(2)"', '"SEND Regulations'),
            "unterminated_string",
            4,
            8,
            None,
        ),
        (RULE.replace("as request\n", "\n"), "missing_event_alias", 6, 3, None),
        (RULE.replace('"Issue the final EHC plan"', ""), "missing_rule_title", 2, 3, None),
        (RULE.replace("of request\n", "request\n"), "missing_of", 7, 21, None),
        (RULE.replace("ehc.final_plan", "final_plan"), "invalid_rule_id", 1, 6, None),
        (
            RULE + '  unless plan_decision after request where outcome == "not_issue"\n',
            "double_equals",
            8,
            53,
            None,
        ),
        (RULE + "  %\n", "unexpected_character", 8, 3, None),
    ],
)
def test_typical_mistakes_are_located(broken, code, line, column, hint):
    _, diagnostics = parse_rules_file(broken, "ehc.rules")
    assert len(diagnostics) == 1, [d.one_line() for d in diagnostics]
    diagnostic = diagnostics[0]
    assert (diagnostic.code, diagnostic.line, diagnostic.column) == (code, line, column), (
        diagnostic.one_line()
    )
    if hint:
        assert diagnostic.hint == hint


def test_the_rendered_error_shows_the_line_and_a_caret():
    broken = RULE.replace("within 20", "wihtin 20")
    _, diagnostics = parse_rules_file(broken, "ehc.rules")
    rendered = diagnostics[0].render(broken)
    assert rendered.splitlines()[1:] == [
        "    7 |     wihtin 20 weeks of request",
        "      |     ^^^^^^",
        "  help: did you mean 'within'?",
    ]


def test_each_broken_rule_of_a_file_is_reported():
    text = (
        RULE.replace("duty local", "dutty local")
        + "\n"
        + RULE.replace("ehc.final_plan", "ehc.other").replace("within 20", "wihtin 20")
    )
    rules_file, diagnostics = parse_rules_file(text, "ehc.rules")
    assert [(d.code, d.line) for d in diagnostics] == [("unknown_clause", 2), ("missing_deadline", 15)]
    assert rules_file.rules == ()


def test_a_good_rule_beside_a_broken_one_still_parses():
    text = RULE + "\n" + RULE.replace("ehc.final_plan", "ehc.other").replace("within 20", "wihtin 20")
    rules_file, diagnostics = parse_rules_file(text, "ehc.rules")
    assert [rule.rule_id.value for rule in rules_file.rules] == ["ehc.final_plan"]
    assert len(diagnostics) == 1


def test_an_impossible_date_literal_is_reported():
    text = RULE.replace(
        "    within 20 weeks of request\n",
        "    within 20 weeks of request\n  unless plan_decision after request where date > 2025-02-30\n",
    )
    _, diagnostics = parse_rules_file(text, "ehc.rules")
    assert [(d.code, d.line, d.column) for d in diagnostics] == [("invalid_date", 8, 51)]


def test_layout_and_comments_do_not_matter():
    squashed = " ".join(RULE.split()) + "  # a comment\n"
    a, _ = parse_rules_file(RULE, "a.rules")
    b, diagnostics = parse_rules_file(squashed, "b.rules")
    assert diagnostics == []
    assert a.rules == b.rules, "AST equality ignores source spans"
