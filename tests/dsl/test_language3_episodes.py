"""Rules language 3, the episode constructs, in the checker: each is refused in a pack of an
earlier language (located ``needs_language_3``), accepted in send-ap 1.4.0, and checked for the
names it uses. Each case edits a copy of a bundled pack and names the diagnostics it expects."""

from __future__ import annotations


from sendrules.dsl import ir
from tests.dsl.helpers import copy_pack, diagnostics, edit, position

WHERE_1_3_0 = "and (public_examinations_completed is missing or public_examinations_completed = false)"
COMPULSORY = "child of compulsory school age at exclusion"


def test_compulsory_school_age_in_a_language2_pack_is_refused_where_it_is_written(tmp_path):
    folder = copy_pack(tmp_path, "1.3.0", "1.3.0")
    edit(folder / "exclusion.rules", WHERE_1_3_0, f"{WHERE_1_3_0}\n      and {COMPULSORY}")
    found = diagnostics(folder)
    assert [code for code, _ in found] == ["needs_language_3"]
    where = position(folder, "exclusion.rules", COMPULSORY)
    assert found[0][1] == (
        f"{where}: needs_language_3: 'child of compulsory school age at' needs rules language 3"
    )


def test_compulsory_school_age_compiles_to_a_test_on_the_named_event(library):
    from datetime import date

    standard = library.resolve("send-ap@1.4.0", date(2025, 1, 1))
    rule = next(rule for rule in standard.rules if rule.id == "exclusion.sixth_day_provision")
    tests = list(ir.condition_leaves(rule.trigger.match.condition))
    assert ir.Compare(ir.Operator.EQ, ir.ChildOfCompulsorySchoolAge("exclusion"), ir.Constant(True)) in tests


def test_compulsory_school_age_at_an_unknown_event_is_located(tmp_path):
    folder = copy_pack(tmp_path, "1.4.0", "1.4.0")
    edit(folder / "exclusion.rules", COMPULSORY, "child of compulsory school age at exclusoin")
    found = diagnostics(folder)
    assert [code for code, _ in found] == ["unknown_alias"]
    assert found[0][1].startswith(position(folder, "exclusion.rules", "exclusoin"))
    assert "'exclusoin' does not name an event of this rule" in found[0][1]


RUN = "reaching school day params.exclusion.provision_school_day of back to back exclusion lasting school_days from first"
#: send-ap 1.4.0's run: a lunchtime suspension takes no part in it
RUN_1_4_0 = (
    "reaching school day params.exclusion.provision_school_day of back to back exclusion "
    "where not lunchtime = true lasting school_days from first"
)
WINDOW = "window closes at the end of the run or at the next exclusion"


def test_a_run_and_a_window_in_a_language2_pack_are_refused_where_they_are_written(tmp_path):
    folder = copy_pack(tmp_path, "1.3.0", "1.3.0")
    edit(
        folder / "exclusion.rules",
        "  expect full_time_provision_started after exclusion\n    by school day params.exclusion.provision_school_day of exclusion\n",
        f"  {RUN}\n  expect full_time_provision_started after exclusion\n"
        f"    by school day params.exclusion.provision_school_day of first\n  {WINDOW}\n",
    )
    found = diagnostics(folder)
    assert [code for code, _ in found] == ["needs_language_3", "needs_language_3"]
    assert found[0][1].startswith(position(folder, "exclusion.rules", "reaching school day"))
    assert "the 'reaching school day ... of back to back' clause needs rules language 3" in found[0][1]
    assert found[1][1].startswith(position(folder, "exclusion.rules", "window closes"))


def test_the_run_and_window_compile_for_1_4_0(library):
    from datetime import date

    standard = library.resolve("send-ap@1.4.0", date(2025, 1, 1))
    rule = next(rule for rule in standard.rules if rule.id == "exclusion.sixth_day_provision")
    assert rule.run == ir.BackToBack(
        "exclusion",
        "school_days",
        "first",
        ir.ParameterAmount("exclusion.provision_school_day"),
        ir.Negation(ir.Compare(ir.Operator.EQ, ir.CandidateField("lunchtime"), ir.Constant(True))),
    )
    assert rule.window == ir.Window("exclusion", (ir.CloseAtEndOfRun(), ir.CloseAtNext("exclusion")))


def test_a_run_of_another_event_type_is_refused(tmp_path):
    folder = copy_pack(tmp_path, "1.4.0", "1.4.0")
    edit(
        folder / "exclusion.rules",
        "of back to back exclusion where",
        "of back to back full_time_provision_started where",
    )
    found = diagnostics(folder)
    assert [code for code, _ in found] == ["invalid_run"]
    assert found[0][1].startswith(position(folder, "exclusion.rules", "full_time_provision_started where"))


def test_a_run_must_last_a_number_of_school_days(tmp_path):
    folder = copy_pack(tmp_path, "1.4.0", "1.4.0")
    edit(folder / "exclusion.rules", "lasting school_days from first", "lasting category from first")
    found = diagnostics(folder)
    assert [code for code, _ in found] == ["type_mismatch"]
    assert "'category' is enum, not a number of school days" in found[0][1]


def test_the_end_of_the_run_needs_a_run(tmp_path):
    folder = copy_pack(tmp_path, "1.4.0", "1.4.0")
    edit(folder / "exclusion.rules", f"  {RUN_1_4_0}\n", "")
    edit(
        folder / "exclusion.rules",
        "school day params.exclusion.provision_school_day of first",
        "school day params.exclusion.provision_school_day of exclusion",
    )
    found = diagnostics(folder)
    assert [code for code, _ in found] == ["invalid_window"]
    assert found[0][1].startswith(position(folder, "exclusion.rules", "at the end of the run"))


def test_a_window_on_a_rule_without_a_due_date_is_refused(tmp_path):
    folder = copy_pack(tmp_path, "1.4.0", "1.4.0")
    edit(
        folder / "exclusion.rules",
        "by school day params.exclusion.provision_school_day of first",
        "not before 5 days beginning with first",
    )
    found = diagnostics(folder)
    assert [code for code, _ in found] == ["invalid_window"]
    assert found[0][1].startswith(position(folder, "exclusion.rules", "window closes"))


TOTAL = "total school_days of exclusion in the school year of suspension"
#: send-ap 1.4.0's total: a lunchtime suspension adds half a school day for each lunchtime
TOTAL_1_4_0 = "total school_days of exclusion counting lunchtime as half in the school year of suspension"


def test_a_total_in_a_language2_pack_is_refused_where_it_is_written(tmp_path):
    folder = copy_pack(tmp_path, "1.3.0", "1.3.0")
    with (folder / "exclusion.rules").open("a", encoding="utf-8") as rules:
        rules.write(
            '\nrule exclusion.cap "Cap"\n  duty school\n  must\n  cite "SI 2012/1033 reg 6"\n'
            f"  when exclusion as suspension\n  require {TOTAL} <= 45\n"
        )
    found = diagnostics(folder)
    assert [code for code, _ in found] == ["needs_language_3"]
    assert found[0][1].startswith(position(folder, "exclusion.rules", TOTAL))
    assert "'total ... in the school year of' needs rules language 3" in found[0][1]


def test_a_total_of_a_field_that_is_not_a_number_is_refused(tmp_path):
    folder = copy_pack(tmp_path, "1.4.0", "1.4.0")
    edit(
        folder / "exclusion.rules",
        TOTAL_1_4_0,
        "total category of exclusion in the school year of suspension",
    )
    found = diagnostics(folder)
    assert "type_mismatch" in [code for code, _ in found]
    assert any("'category' is enum, not a number" in line for _, line in found)


def test_the_1_4_0_total_counts_lunchtimes_as_half(library):
    from datetime import date

    standard = library.resolve("send-ap@1.4.0", date(2025, 1, 1))
    rule = next(rule for rule in standard.rules if rule.id == "exclusion.suspension_yearly_cap")
    assert isinstance(rule.compliance, ir.MetIfHolds)
    assert isinstance(rule.compliance.condition, ir.Compare)
    assert rule.compliance.condition.left == ir.TotalInSchoolYear(
        "school_days", "exclusion", "suspension", "lunchtime"
    )


def test_counting_as_half_needs_a_boolean_field(tmp_path):
    folder = copy_pack(tmp_path, "1.4.0", "1.4.0")
    edit(folder / "exclusion.rules", "counting lunchtime as half", "counting category as half")
    found = diagnostics(folder)
    assert [code for code, _ in found] == ["type_mismatch"]
    assert found[0][1].startswith(position(folder, "exclusion.rules", "category as half"))
    assert "'category' is enum, not true or false" in found[0][1]


def test_counting_as_half_names_a_field_of_the_event(tmp_path):
    folder = copy_pack(tmp_path, "1.4.0", "1.4.0")
    edit(folder / "exclusion.rules", "counting lunchtime as half", "counting lunchtimes as half")
    found = diagnostics(folder)
    assert [code for code, _ in found] == ["unknown_field"]
    assert found[0][1].startswith(position(folder, "exclusion.rules", "lunchtimes as half"))


def test_a_run_where_reads_only_the_event_s_own_fields(tmp_path):
    folder = copy_pack(tmp_path, "1.4.0", "1.4.0")
    edit(
        folder / "exclusion.rules",
        "where not lunchtime = true lasting",
        "where school_days < params.exclusion.provision_school_day lasting",
    )
    found = diagnostics(folder)
    assert [code for code, _ in found] == ["invalid_run"]
    assert found[0][1].startswith(
        position(folder, "exclusion.rules", "params.exclusion.provision_school_day lasting")
    )
    assert "a run's 'where' tests only the event's own fields and values" in found[0][1]


def test_a_run_where_is_checked_against_the_run_s_events(tmp_path):
    folder = copy_pack(tmp_path, "1.4.0", "1.4.0")
    edit(folder / "exclusion.rules", "where not lunchtime = true lasting", "where not lunchtime = 3 lasting")
    found = diagnostics(folder)
    assert [code for code, _ in found] == ["type_mismatch"]
