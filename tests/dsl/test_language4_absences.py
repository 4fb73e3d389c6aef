"""Rules language 4, absences that add up (``reaching school day N of absences from START to END
in the school year as NAME``), in the checker: refused in a pack of an earlier language (a
located ``needs_language_4``), accepted in send-ap 1.5.0, and checked for the names it uses. Each
case edits a copy of a bundled pack and names the diagnostics it expects."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from sendrules.dsl import ir
from tests.dsl.helpers import copy_pack, diagnostics, edit, position

ABSENCES = (
    "reaching school day params.health.provision_school_day of absences from health_absence_started "
    "to health_absence_ended in the school year as fifteenth_day"
)
#: send-ap 1.4.0's rule, one unbroken absence
EXPECT_1_4_0 = (
    "  unless health_absence_ended after absence on or before due\n"
    "  expect health_provision_started after absence\n"
    "    by school day params.health.provision_school_day of absence\n"
)


def test_absences_in_a_language3_pack_are_refused_where_they_are_written(tmp_path):
    folder = copy_pack(tmp_path, "1.4.0", "1.4.0")
    edit(
        folder / "health_needs.rules",
        EXPECT_1_4_0,
        f"  {ABSENCES}\n  expect health_provision_started after absence\n    by fifteenth_day\n",
    )
    found = diagnostics(folder)
    assert [code for code, _ in found] == ["needs_language_4"]
    assert found[0][1] == (
        f"{position(folder, 'health_needs.rules', 'reaching school day')}: needs_language_4: the "
        "'reaching school day ... of absences from ... to ...' clause needs rules language 4"
    )


def test_send_ap_1_5_0_compiles_the_clause(library):
    standard = library.resolve("send-ap@1.5.0", date(2025, 1, 1))
    rule = next(rule for rule in standard.rules if rule.id == "health.education_provision")
    assert rule.absences == ir.AbsencesReaching(
        "health_absence_started",
        "health_absence_ended",
        "fifteenth_day",
        ir.ParameterAmount("health.provision_school_day"),
    )
    assert rule.deadline == ir.OnDate("fifteenth_day", "date")
    assert "health.provision_school_day" in ir.rule_parameters(rule)[2]
    # the published 1.4.0 rule keeps its meaning
    published = library.resolve("send-ap@1.4.0", date(2025, 1, 1))
    assert next(r for r in published.rules if r.id == "health.education_provision").absences is None


def _edit_1_5_0(tmp_path: Path, old: str, new: str) -> Path:
    folder = copy_pack(tmp_path, "1.5.0", "1.5.0")
    edit(folder / "health_needs.rules", old, new)
    return folder


def test_the_absences_must_start_with_the_triggering_event(tmp_path):
    folder = _edit_1_5_0(
        tmp_path, "absences from health_absence_started", "absences from health_provision_started"
    )
    found = diagnostics(folder)
    assert [code for code, _ in found] == ["invalid_absences"]
    assert found[0][1].startswith(position(folder, "health_needs.rules", "health_provision_started to"))
    assert "the absences must start with the triggering event (health_absence_started)" in found[0][1]


def test_an_unknown_end_event_is_located(tmp_path):
    folder = _edit_1_5_0(tmp_path, "to health_absence_ended", "to health_absence_endd")
    found = diagnostics(folder)
    assert [code for code, _ in found] == ["unknown_event_type"]
    assert found[0][1].startswith(position(folder, "health_needs.rules", "health_absence_endd"))
    assert "unknown event type 'health_absence_endd'" in found[0][1]


def test_an_absence_cannot_end_with_its_own_start(tmp_path):
    folder = _edit_1_5_0(tmp_path, "to health_absence_ended", "to health_absence_started")
    found = diagnostics(folder)
    assert [code for code, _ in found] == ["invalid_absences"]
    assert "an absence ends with an event of another type" in found[0][1]


def test_the_amount_counts_school_days(tmp_path):
    folder = _edit_1_5_0(
        tmp_path,
        "day params.health.provision_school_day of absences",
        "day params.ehc.final_plan_weeks of absences",
    )
    found = diagnostics(folder)
    assert [code for code, _ in found] == ["type_mismatch"]
    assert "parameter ehc.final_plan_weeks is in weeks, but is used here as school days" in found[0][1]


def test_the_day_reached_is_a_name_of_the_rule(tmp_path):
    folder = _edit_1_5_0(tmp_path, "    by fifteenth_day", "    by fiftenth_day")
    found = diagnostics(folder)
    assert [code for code, _ in found] == ["unknown_alias"]
    assert found[0][1].startswith(position(folder, "health_needs.rules", "fiftenth_day"))
    assert "'fiftenth_day' does not name an event of this rule" in found[0][1]
