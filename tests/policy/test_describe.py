"""Plain-English sentences for duties, written from the IR."""

from __future__ import annotations

from datetime import date

import pytest

from sendrules.policy import describe
from tests.policy.helpers import copy_version, edit, resolve


def rule(standard, rule_id):
    return next(r for r in standard.rules if r.id == rule_id)


def test_the_final_plan_duty_in_one_sentence(v110):
    assert describe.rule_sentence(rule(v110, "ehc.final_plan"), v110) == (
        "When the local authority received a request for an EHC needs assessment (assessment_requested, "
        '"the request"), the local authority must issue the final EHC plan (final_plan_issued) within 20 weeks '
        "of the request (parameter ehc.final_plan_weeks), unless there is an assessment_decision event on or "
        'after the date of the request whose outcome is "not_assess", or unless there is a plan_decision event '
        'on or after the date of the request whose outcome is "not_issue"; a time_limit_exception event between '
        "the request and the due date exempts it."
    )


@pytest.mark.parametrize(
    "rule_id, fragments",
    [
        (
            "ehc.advice_response",
            [
                'the integrated care board (icb) if the request\'s advice is "medical", the school if it '
                'is "educational", otherwise the local authority, must give the advice asked for',
                "(advice_received in response to the request) within 6 weeks of the request",
            ],
        ),
        (
            "ehc.draft_comment_period",
            [
                "(final_plan_issued), not before 15 days beginning with the draft have passed "
                "(parameter ehc.draft_comment_days)"
            ],
        ),
        (
            "ehc.annual_review",
            [
                '(review_meeting, "the next event") within 12 months starting with the date of the '
                "previous event (parameter ehc.review_months), unless there is a plan_ceased event on or "
                "after the date of the previous event, dated on or before the due date and before the "
                "next event (if that has happened)"
            ],
        ),
        (
            "ehc.no_plan_notice",
            [
                "and only if there is a plan_decision event on or after the date of the request whose "
                'outcome is "not_issue" ("the notice")',
                "(the notice, the plan_decision) within 16 weeks",
            ],
        ),
        (
            "ehc.phase_transfer",
            [
                '(amended_plan_issued): if the transfer\'s kind is "school", before 15 February in the '
                "year of the transfer's transfer_date;",
                "5 months before the transfer's transfer_date (parameter ehc.post16_transfer_months)",
            ],
        ),
        (
            "ehc.plan_transfer",
            [
                "by the later of the move's move_date and 15 working days after the move "
                "(parameter ehc.transfer_working_days)"
            ],
        ),
        ("ehc.cease_consultation", ["(cease_consultation on or before the date of the notice)."]),
        ("ehc.cease_notice_rights", ["this is met when the notice's appeal_rights_given is true."]),
        (
            "ehc.amended_plan",
            [
                "When, after a review, the local authority sent the plan with a notice of proposed "
                "amendments (amendment_proposed"
            ],
        ),
        (
            "exclusion.sixth_day_provision",
            [
                'if its category is "permanent" or (its category is "suspension" and its school_days is more than 5 '
                "(parameter exclusion.suspension_threshold_days))",
                "by the 6th school day of the exclusion, its date being day 1 if it is a school day",
            ],
        ),
        (
            "ehc.preparing_for_adulthood",
            [
                "if the child's school year on the date of the meeting is at least 9 and its "
                "preparing_for_adulthood is recorded"
            ],
        ),
        (
            "ehc.reassessment_plan",
            ["(final_plan_issued or amended_plan_issued) within 14 weeks of the decision"],
        ),
    ],
)
def test_every_kind_of_clause_reads_as_english(v110, rule_id, fragments):
    sentence = describe.rule_sentence(rule(v110, rule_id), v110)
    for fragment in fragments:
        assert fragment in sentence
    assert sentence.endswith(".") and "  " not in sentence


def test_every_rule_has_a_sentence_naming_its_events_and_parameters(v110, draft):
    for standard in (v110, draft):
        for r in standard.rules:
            sentence = describe.rule_sentence(r, standard)
            assert sentence.startswith("When") and r.modality in sentence
            for name in r.trigger.match.types:
                assert name in sentence
            for name in describe.parameters_read(r):
                assert f"parameter {name}" in sentence


def test_a_parameter_with_several_dated_values_lists_each(tmp_path):
    folder = copy_version(tmp_path, "1.1.0")
    edit(folder / "parameters.yaml", "    2014-09-01: 20\n", "    2014-09-01: 20\n    2027-09-01: 18\n")
    standard = resolve(tmp_path, "send-ap@1.1.0")
    assert (
        "within 20 weeks (18 weeks when the duty starts on or after 1 September 2027) of the request "
        "(parameter ehc.final_plan_weeks)"
    ) in describe.rule_sentence(rule(standard, "ehc.final_plan"), standard)


def test_small_pieces():
    assert describe.long_date(date(2014, 9, 1)) == "1 September 2014"
    assert (
        describe.binding("previous") == "the previous event" and describe.binding("request") == "the request"
    )
    assert describe.lower_first("Issue the plan") == "issue the plan"
    assert describe.lower_first("EHC plans") == "EHC plans"
    assert describe.event_clause("Proposed: the school wrote an ISP.") == "the school wrote an ISP"
    assert (
        describe.event_clause("The child was excluded; the date is the first day.")
        == "the child was excluded"
    )
    assert describe.ordinal(1) == "1st" and describe.ordinal(12) == "12th" and describe.ordinal(23) == "23rd"
    assert (
        describe.quantity(1, "weeks") == "1 week" and describe.quantity(3, "working_days") == "3 working days"
    )


def test_conditions_of_every_form(v110):
    from sendrules.dsl import ir

    field, other = ir.CandidateField("outcome"), ir.BoundField("request", "date")
    cases = [
        (ir.Compare(ir.Operator.NE, field, ir.Constant("assess")), 'its outcome is not "assess"'),
        (
            ir.Compare(ir.Operator.LT, other, ir.Constant(date(2025, 1, 6))),
            "the date of the request is before 6 January 2025",
        ),
        (
            ir.Compare(ir.Operator.GE, ir.CandidateField("date"), ir.DueDate()),
            "its date is on or after the due date",
        ),
        (ir.OneOf(field, ("a", "b")), 'its outcome is one of "a", "b"'),
        (ir.Present(ir.BoundField("request", "advice"), False), "the request's advice is not recorded"),
        (
            ir.Negation(ir.Compare(ir.Operator.EQ, ir.ChildField("local_authority"), ir.Constant("801"))),
            'not (the child\'s local authority is "801")',
        ),
        (
            ir.AllOf(
                (
                    ir.Compare(ir.Operator.EQ, field, ir.Constant(True)),
                    ir.AnyOf(
                        (
                            ir.Compare(ir.Operator.GT, ir.ChildAge("request"), ir.Constant(4)),
                            ir.Compare(ir.Operator.LE, ir.ChildSchoolYear("request"), ir.Constant(11)),
                        )
                    ),
                )
            ),
            "its outcome is true and (the child's age on the date of the request is more than 4 or "
            "the child's school year on the date of the request is at most 11)",
        ),
        (
            ir.Compare(
                ir.Operator.GT,
                ir.CandidateField("school_days"),
                ir.ParameterValue("exclusion.suspension_threshold_days"),
            ),
            "its school_days is more than 5 (parameter exclusion.suspension_threshold_days)",
        ),
    ]
    for condition, words in cases:
        assert describe.condition(condition, v110) == words
    assert describe.condition(cases[0][0], v110, describe.WHOSE) == 'outcome is not "assess"'
    assert describe.condition(cases[0][0], v110, "decision") == 'the decision\'s outcome is not "assess"'
