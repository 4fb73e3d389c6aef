"""Rules language 3 in the checker: ``exempt TYPE where CONDITION between NAME and due``.

The ``where`` of an ``exempt`` clause is a language-3 construct: a pack of language 1 or 2 gets
``needs_language_3`` at the condition, so a published pack can never take on its meaning. In a
language-3 pack the condition is checked as any other (fields and values of the exception's
event type; ``NAME.FIELD`` of the events bound before it).
"""

from __future__ import annotations

from pathlib import Path

from sendrules.dsl.pipeline import build_standard
from tests.dsl.helpers import copy_pack, edit

FINAL_PLAN_EXEMPT = "  exempt time_limit_exception between request and due"


def _diagnostics(folder: Path) -> list[tuple[str, str]]:
    result = build_standard(folder, f"{folder.parent.name}/{folder.name}")
    return [(d.code, d.one_line()) for d in result.diagnostics]


def test_a_scoped_exemption_needs_language_3(tmp_path):
    folder = copy_pack(tmp_path, "1.3.0", "1.3.0")
    ehc = folder / "ehc.rules"
    text = ehc.read_text(encoding="utf-8")
    start = text.index('rule ehc.final_plan "')
    old = text[text.index(FINAL_PLAN_EXEMPT, start) :].split("\n", 1)[0]
    edit(
        ehc,
        old + "\n\nrule ehc.annual_review",
        '  exempt time_limit_exception where reason = "absence_from_area" between request and due\n\nrule ehc.annual_review',
    )
    found = _diagnostics(folder)
    assert [code for code, _ in found] == ["needs_language_3"]
    assert "'exempt ... where' needs rules language 3" in found[0][1]
    line = next(
        number
        for number, line in enumerate(ehc.read_text(encoding="utf-8").splitlines(), start=1)
        if 'where reason = "absence_from_area"' in line
    )
    column = ehc.read_text(encoding="utf-8").splitlines()[line - 1].index("reason") + 1
    assert found[0][1].startswith(f"send-ap/1.3.0/ehc.rules:{line}:{column}:")


def test_the_scoped_exemptions_of_1_4_0_check_clean_and_compile(tmp_path):
    folder = copy_pack(tmp_path, "1.4.0", "1.4.0")
    result = build_standard(folder, "send-ap/1.4.0")
    assert result.ok and result.diagnostics == [], result.render()
    rules = {rule.id: rule for rule in result.standard.rules}
    for rule_id in ("ehc.assessment_decision", "ehc.advice_response", "ehc.no_plan_notice", "ehc.final_plan"):
        assert rules[rule_id].exemption is not None and rules[rule_id].exemption.condition is not None, (
            rule_id
        )


def test_an_unknown_ground_is_an_unknown_value(tmp_path):
    folder = copy_pack(tmp_path, "1.4.0", "1.4.0")
    edit(
        folder / "ehc.rules",
        'where reason in ["institution_closure", "exceptional_personal_circumstances"',
        'where reason in ["institution_closure", "exceptional_personal_circumstance"',
    )
    codes = [code for code, _ in _diagnostics(folder)]
    assert codes == ["unknown_value"]


def test_an_unknown_field_of_the_exception_is_reported(tmp_path):
    folder = copy_pack(tmp_path, "1.4.0", "1.4.0")
    edit(folder / "ehc.rules", "where in_response_to = request.id", "where in_reply_to = request.id")
    codes = [code for code, _ in _diagnostics(folder)]
    assert codes == ["unknown_field"]


# --- expect X from N months before NAME.FIELD (the phase transfer reading) -------------------


def test_searching_from_a_computed_date_needs_language_3(tmp_path):
    folder = copy_pack(tmp_path, "1.3.0", "1.3.0")
    ehc = folder / "ehc.rules"
    edit(
        ehc,
        "  expect amended_plan_issued after transfer\n",
        "  expect amended_plan_issued from 12 months before transfer.transfer_date\n",
    )
    found = _diagnostics(folder)
    assert [code for code, _ in found] == ["needs_language_3"]
    assert "'expect ... from N months before' needs rules language 3" in found[0][1]
    line = next(
        number
        for number, text in enumerate(ehc.read_text(encoding="utf-8").splitlines(), start=1)
        if "from 12 months before" in text
    )
    assert found[0][1].startswith(f"send-ap/1.3.0/ehc.rules:{line}:30:")


def test_the_phase_transfer_of_1_4_0_searches_from_12_months_before_the_transfer(tmp_path):
    folder = copy_pack(tmp_path, "1.4.0", "1.4.0")
    result = build_standard(folder, "send-ap/1.4.0")
    assert result.ok, result.render()
    rule = next(rule for rule in result.standard.rules if rule.id == "ehc.phase_transfer")
    search_from = rule.expectation.search_from
    assert (search_from.anchor, search_from.anchor_field) == ("transfer", "transfer_date")
    assert search_from.amount.parameter == "ehc.phase_transfer_window_months"


def test_searching_from_a_field_that_is_not_a_date_is_refused(tmp_path):
    folder = copy_pack(tmp_path, "1.4.0", "1.4.0")
    edit(
        folder / "ehc.rules",
        "window_months months before transfer.transfer_date",
        "window_months months before transfer.kind",
    )
    codes = [code for code, _ in _diagnostics(folder)]
    assert codes and set(codes) <= {"type_mismatch", "invalid_reference", "unknown_field"}, codes


def test_searching_from_a_parameter_in_weeks_is_a_type_mismatch(tmp_path):
    folder = copy_pack(tmp_path, "1.4.0", "1.4.0")
    edit(
        folder / "ehc.rules",
        "from params.ehc.phase_transfer_window_months months",
        "from params.ehc.final_plan_weeks months",
    )
    codes = [code for code, _ in _diagnostics(folder)]
    assert codes == ["type_mismatch"]
