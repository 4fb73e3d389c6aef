"""Rules language 3, the episode constructs, in the checker: each is refused in a pack of an
earlier language (located ``needs_language_3``), accepted in send-ap 1.4.0, and checked for the
names it uses. Each case edits a copy of a bundled pack and names the diagnostics it expects."""

from __future__ import annotations

from pathlib import Path

from sendrules.dsl import ir
from sendrules.dsl.pipeline import build_standard
from tests.dsl.helpers import copy_pack, edit

WHERE_1_3_0 = "and (public_examinations_completed is missing or public_examinations_completed = false)"
COMPULSORY = "child of compulsory school age at exclusion"


def diagnostics(folder: Path) -> list[tuple[str, str]]:
    result = build_standard(folder, f"{folder.parent.name}/{folder.name}")
    return [(d.code, d.one_line()) for d in result.diagnostics]


def position(folder: Path, file: str, text: str) -> str:
    lines = (folder / file).read_text(encoding="utf-8").splitlines()
    for number, line in enumerate(lines, start=1):
        if text in line:
            return f"{folder.parent.name}/{folder.name}/{file}:{number}:{line.index(text) + 1}"
    raise AssertionError(f"{text!r} is not in {file}")


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
