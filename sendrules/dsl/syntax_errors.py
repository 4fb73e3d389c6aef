"""The table of typical syntax mistakes, and how each is explained.

When the parser rejects a file, the error is matched against these examples (Lark's
``UnexpectedInput.match_examples``: an example matches when the parser fails in the same
state on the same kind of token). The first matching entry gives the diagnostic code, the
message and the help text. Errors that match no entry are explained from the tokens the
parser would have accepted, in words, never as raw parser output.

Every entry is exercised by ``tests/dsl/test_syntax_errors.py``.
"""

from __future__ import annotations

from dataclasses import dataclass

_HEADER = 'rule ehc.example "An example duty"\n'


@dataclass(frozen=True)
class SyntaxMistake:
    code: str
    message: str
    hint: str
    examples: tuple[str, ...]


MISTAKES: tuple[SyntaxMistake, ...] = (
    SyntaxMistake(
        "missing_rule_title",
        "a rule needs a title in double quotes after its id",
        'write the duty in plain words, e.g. rule ehc.final_plan "Issue the final EHC plan"',
        (
            "rule ehc.example\n  duty local_authority\n",
            "rule ehc.example must\n",
            "rule ehc.example\n",
            "rule ehc.example when x as y\n",
        ),
    ),
    SyntaxMistake(
        "invalid_rule_id",
        "a rule id needs a namespace and a name joined by a dot",
        "e.g. ehc.final_plan or exclusion.sixth_day_provision (lower case, digits and _)",
        ('rule final_plan "Issue the final EHC plan"\n', 'rule "Issue the final EHC plan"\n'),
    ),
    SyntaxMistake(
        "unquoted_citation",
        "citations are written in double quotes",
        'e.g. cite "SEND Regulations 2014 reg 13(2)", "SEND Regulations 2014 reg 13(3)"',
        (
            _HEADER + "  cite SEND Regulations 2014\n",
            _HEADER + "  cite\n  must\n",
            _HEADER + "  unconfirmed some note\n",
        ),
    ),
    SyntaxMistake(
        "missing_comma",
        "separate the citations with commas",
        'e.g. cite "SEND Regulations 2014 reg 13(2)", "SEND Regulations 2014 reg 13(3)"',
        (_HEADER + '  cite "a" "b"\n',),
    ),
    SyntaxMistake(
        "missing_event_alias",
        "name the event that starts the duty with 'as'",
        "e.g. when assessment_requested as request",
        (
            _HEADER + "  when assessment_requested\n  must\n",
            _HEADER + '  when assessment_requested where outcome = "x"\n',
            _HEADER + "  when assessment_requested\n",
        ),
    ),
    SyntaxMistake(
        "missing_after",
        "say which earlier event this one must follow, with 'after'",
        'e.g. unless assessment_decision after request where outcome = "not_assess"',
        (
            _HEADER + '  unless assessment_decision where outcome = "x"\n',
            _HEADER + '  only if plan_decision where outcome = "x" as notice\n',
            _HEADER + "  unless assessment_decision\n  must\n",
        ),
    ),
    SyntaxMistake(
        "missing_only_if_alias",
        "name the event found by 'only if' with 'as', so the rule can expect it",
        'e.g. only if plan_decision after request where outcome = "not_issue" as notice',
        (
            _HEADER + '  only if plan_decision after request where outcome = "x"\n  must\n',
            _HEADER + "  only if plan_decision after request\n  must\n",
        ),
    ),
    SyntaxMistake(
        "missing_deadline",
        "say by when the expected event must happen",
        "e.g. within 20 weeks of request, within 12 months starting with previous, "
        "by school day 6 of exclusion, not before 15 days beginning with draft",
        (
            _HEADER + "  expect final_plan_issued after request\n  must\n",
            _HEADER + "  expect final_plan_issued after request\n",
            _HEADER + "  expect final_plan_issued after request as plan\n  must\n",
            _HEADER + "  expect advice_received in response to request\n  must\n",
        ),
    ),
    SyntaxMistake(
        "unknown_unit",
        "unknown unit of time",
        "use weeks, days, months, working days or school days (e.g. within 20 weeks of request)",
        (
            _HEADER + "  expect x after y\n    within 20 wekes of y\n",
            _HEADER + "  expect x after y\n    within params.a.b fortnights of y\n",
            _HEADER + "  expect x after y\n    within 20 of y\n",
        ),
    ),
    SyntaxMistake(
        "missing_of",
        "say which event the period runs from, with 'of' (or, in rules language 2, 'beginning with')",
        "e.g. within 20 weeks of request",
        (
            _HEADER + "  expect x after y\n    within 20 weeks request\n",
            _HEADER + "  expect x after y\n    within 20 weeks\n",
            _HEADER + "  expect x after y\n    within 20 weeks\n  must\n",
            _HEADER + "  expect x after y\n    within 20 working days request\n",
        ),
    ),
    SyntaxMistake(
        "invalid_month",
        "write the month in full with a capital letter",
        "e.g. before 15 February in the year of transfer.transfer_date",
        (
            _HEADER + "  expect x after y\n    before 15 february in the year of y\n",
            _HEADER + "  expect x after y\n    before 15 Feb in the year of y\n",
        ),
    ),
    SyntaxMistake(
        "missing_arrow",
        "write '->' between a value and what it leads to",
        'e.g. "medical" -> icb, or otherwise -> local_authority',
        (
            _HEADER + '  duty depending on request.advice\n    "medical" icb\n',
            _HEADER
            + '  duty depending on request.advice\n    "medical" -> icb\n    otherwise local_authority\n',
            _HEADER
            + '  expect x after y\n    depending on y.kind\n      "school" before 15 February in the year of y\n',
        ),
    ),
    SyntaxMistake(
        "missing_cases",
        "'depending on' needs at least one case: a value in double quotes, '->' and a result",
        'e.g. duty depending on request.advice "medical" -> icb otherwise -> local_authority',
        (
            _HEADER + "  duty depending on request.advice\n  must\n",
            _HEADER + "  duty depending on request.advice otherwise -> school\n",
        ),
    ),
    SyntaxMistake(
        "double_equals",
        "compare with a single '=' (or '!=', '<', '<=', '>', '>=')",
        'e.g. where outcome = "not_assess"',
        (_HEADER + '  when x as y where outcome == "a"\n',),
    ),
    SyntaxMistake(
        "incomplete_condition",
        "a condition compares a field with a value",
        'e.g. where outcome = "not_assess", where school_days > 5, where advice in ["medical", "other"]',
        (
            _HEADER + "  when x as y where outcome\n  must\n",
            _HEADER + "  when x as y where\n  must\n",
            _HEADER + "  when x as y where outcome = \n",
            _HEADER + '  when x as y where outcome = "a" and\n  must\n',
            _HEADER + '  when x as y where outcome = "a" or\n  must\n',
        ),
    ),
    SyntaxMistake(
        "unclosed_parenthesis",
        "a '(' is not closed",
        "add the missing ')' at the end of the grouped condition",
        (
            _HEADER + '  when x as y where (outcome = "a"\n  must\n',
            _HEADER + '  when x as y where (outcome = "a" or outcome = "b"\n  must\n',
        ),
    ),
    SyntaxMistake(
        "unexpected_end_of_file",
        "the file ends in the middle of a rule",
        "finish the last clause of the rule",
        (
            _HEADER + "  duty\n",
            _HEADER + "  cite\n",
            _HEADER + "  exempt time_limit_exception between request\n",
        ),
    ),
)


def examples_by_mistake() -> list[tuple[SyntaxMistake, list[str]]]:
    """The table in the form ``UnexpectedInput.match_examples`` takes.

    The parser state of a mistake depends on whether it is in a rule's first clause or a later
    one (the list of clauses sits on the parser's stack), so every example written as the
    first clause is also tried after a ``must`` clause.
    """
    table = []
    for mistake in MISTAKES:
        examples = list(mistake.examples)
        examples += [
            _HEADER + "  must\n" + example[len(_HEADER) :]
            for example in mistake.examples
            if example.startswith(_HEADER)
        ]
        table.append((mistake, examples))
    return table
