"""Rules language 4: ``only if NAME within N UNIT after NAME.FIELD`` (made in time).

send-ap@1.5.0's ``exclusion.review_panel`` is owed only for an application made "within 15
school days after the day on which the relevant person is given notice in writing" of the
decision not to reinstate (SI 2012/1033 Sch 1 para 2(1), reg 16(2)). The checker refuses the
clause in a pack of an earlier language, and checks that NAME is the triggering event, that
FIELD is a field of it naming another event, and the unit of a parameter. The decisions are in
tests/conformance/cases/95_review_application_window_1_5_0.yaml (both backends); the
explanation of an application out of time is checked here.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from sendrules.dsl import ir
from sendrules.dsl.pipeline import build_standard
from sendrules.engine.library import StandardsLibrary
from sendrules.engine.request import parse_request
from sendrules.engine.service import DecisionService
from tests.dsl.helpers import copy_pack, edit

CLAUSE = (
    "  only if application within params.exclusion.review_application_school_days school days"
    " after application.decision_notice\n"
)


def _diagnostics(folder: Path) -> list[tuple[str, str]]:
    result = build_standard(folder, f"{folder.parent.name}/{folder.name}")
    return [(d.code, d.one_line()) for d in result.diagnostics]


def _in_reviews(found: list[tuple[str, str]]) -> list[tuple[str, str]]:
    return [(code, line) for code, line in found if "/exclusion_reviews.rules:" in line]


def test_the_clause_compiles_in_1_5_0(tmp_path):
    folder = copy_pack(tmp_path, "1.5.0", "1.5.0")
    result = build_standard(folder, "send-ap/1.5.0")
    assert result.ok, result.render()
    [rule] = [rule for rule in result.standard.rules if rule.id == "exclusion.review_panel"]
    assert rule.made_within == ir.MadeWithin(
        "application",
        ir.TimeUnit.SCHOOL_DAYS,
        ir.ParameterAmount("exclusion.review_application_school_days"),
        "application",
        "decision_notice",
    )
    assert "exclusion.review_application_school_days" in ir.rule_parameters(rule)[2]


def test_the_constructs_need_language_4(tmp_path):
    folder = copy_pack(tmp_path, "1.5.0", "1.5.0")
    edit(folder / "manifest.yaml", "language: 4", "language: 3")
    found = _in_reviews(_diagnostics(folder))
    assert [code for code, _ in found] == ["needs_language_4", "needs_language_4"]
    lines = (folder / "exclusion_reviews.rules").read_text(encoding="utf-8").splitlines()

    def line_of(text: str) -> int:
        return next(number for number, line in enumerate(lines, start=1) if text in line)

    clear = f"send-ap/1.5.0/exclusion_reviews.rules:{line_of('expect further_exclusion_notice_given at least')}:3:"
    within = f"send-ap/1.5.0/exclusion_reviews.rules:{line_of('only if application within')}:3:"
    assert found[0][1].startswith(clear)
    assert "'expect ... at least N clear days before' needs rules language 4" in found[0][1]
    assert found[1][1].startswith(within)
    assert "'only if ... within ... after' needs rules language 4" in found[1][1]


CLEAR = "expect further_exclusion_notice_given at least params.exclusion.further_notice_clear_days clear days before start"


@pytest.mark.parametrize(
    ("new", "code"),
    [
        (
            CLEAR.replace(
                "params.exclusion.further_notice_clear_days", "params.exclusion.review_panel_school_days"
            ),
            "type_mismatch",
        ),
        (CLEAR.replace("params.exclusion.further_notice_clear_days", "0"), "invalid_amount"),
        (CLEAR.replace("before start", "before begin"), "unknown_alias"),
        (CLEAR.replace("further_exclusion_notice_given", "further_notice_given"), "unknown_event_type"),
    ],
)
def test_mistakes_in_the_clear_days_clause_are_reported(tmp_path, new, code):
    folder = copy_pack(tmp_path, "1.5.0", "1.5.0")
    edit(folder / "exclusion_reviews.rules", CLEAR, new)
    assert code in [c for c, _ in _in_reviews(_diagnostics(folder))]


def test_the_clear_days_clause_compiles_in_1_5_0(tmp_path):
    folder = copy_pack(tmp_path, "1.5.0", "1.5.0")
    result = build_standard(folder, "send-ap/1.5.0")
    [rule] = [rule for rule in result.standard.rules if rule.id == "exclusion.further_notice"]
    assert isinstance(rule.compliance, ir.MetIfPreceded)
    assert rule.compliance.expected.clear_days == ir.ParameterAmount("exclusion.further_notice_clear_days")
    assert "exclusion.further_notice_clear_days" in ir.rule_parameters(rule)[2]


@pytest.mark.parametrize(
    ("old", "new", "code"),
    [
        # the field must name an event
        ("after application.decision_notice", "after application.arranged_by", "type_mismatch"),
        ("after application.decision_notice", "after application.date", "invalid_reference"),
        ("after application.decision_notice", "after application.notice", "unknown_field"),
        # NAME and the field's event are the triggering event's
        ("only if application within", "only if applied within", "unknown_alias"),
        ("after application.decision_notice", "after request.decision_notice", "unknown_alias"),
        # a parameter is used in its own unit
        (
            "params.exclusion.review_application_school_days school days",
            "params.exclusion.review_application_school_days working days",
            "type_mismatch",
        ),
        ("params.exclusion.review_application_school_days school days", "0 school days", "invalid_amount"),
    ],
)
def test_mistakes_in_the_clause_are_reported(tmp_path, old, new, code):
    folder = copy_pack(tmp_path, "1.5.0", "1.5.0")
    edit(folder / "exclusion_reviews.rules", CLAUSE, CLAUSE.replace(old, new))
    assert [c for c, _ in _in_reviews(_diagnostics(folder))] == [code]


def test_a_second_clause_is_a_duplicate(tmp_path):
    folder = copy_pack(tmp_path, "1.5.0", "1.5.0")
    edit(folder / "exclusion_reviews.rules", CLAUSE, CLAUSE + CLAUSE)
    assert [c for c, _ in _in_reviews(_diagnostics(folder))] == ["duplicate_clause"]


def _request(application_date: str) -> object:
    return parse_request(
        {
            "as_of": "2026-07-01",
            "standards": "send-ap@1.5.0",
            "journey": {
                "child": {"id": "C-951", "date_of_birth": "2012-02-02"},
                "events": [
                    {"id": "n1", "type": "reinstatement_refusal_notified", "date": "2026-05-11"},
                    {
                        "id": "p1",
                        "type": "review_panel_applied",
                        "date": application_date,
                        "arranged_by": "local_authority",
                        "decision_notice": "n1",
                    },
                ],
            },
        }
    )


def test_an_application_out_of_time_is_explained_with_its_dates():
    service = DecisionService(StandardsLibrary())
    # notice Monday 11 May 2026; the 15th school day after it is Tuesday 2 June (Monday 25 May,
    # the spring bank holiday, is not a school day); an application on Wednesday 3 June is late
    request = _request("2026-06-03")
    for backend in ("reference", "rete"):
        assert not [
            f for f in service.decide(request, backend=backend).findings if f.rule == "exclusion.review_panel"
        ]
    explanation = service.explain(request, "exclusion.review_panel").to_dict()
    [trigger] = explanation["triggers"]
    assert trigger["outcome"] == "made_within"
    assert trigger["because"] == (
        "review_panel_applied p1 on 2026-06-03 was not made within 15 school days after "
        "reinstatement_refusal_notified n1 on 2026-05-11 (the last day was 2026-06-02), so the "
        "rule does not apply"
    )
    assert explanation["answer"] == (
        "exclusion.review_panel gives no finding: 1 triggering event, none applied "
        "(1 stopped by an 'only if ... within' (not made in time))"
    )
    # a day earlier it is in time, and the review is owed
    [finding] = [
        f for f in service.decide(_request("2026-06-02")).findings if f.rule == "exclusion.review_panel"
    ]
    assert finding.status == "overdue" and finding.due.isoformat() == "2026-06-23"
