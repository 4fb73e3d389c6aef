"""Issue 12 #2: a standards pack is input, and a hostile one gets a located error and exit 2
from ``decide`` (exit 1 from ``check``, which lists problems), never exit 70, a crash deep in
the interpreter or memory exhaustion. The limits are stated in docs/standards-packs.md."""

from __future__ import annotations

import pytest

from sendrules.dsl import pack as pack_module
from sendrules.dsl import parser as parser_module
from sendrules.dsl import yaml_source
from sendrules.dsl.pipeline import build_standard
from tests.cli.test_cli import EXAMPLE, run
from tests.dsl.helpers import copy_pack, edit

#: "Billion laughs": nine aliases of nine aliases ... nine levels deep, 10^9 nodes when expanded.
ALIAS_BOMB = "".join(
    [f"l0: &l0 [{', '.join(['lol'] * 9)}]\n"]
    + [f"l{n}: &l{n} [{', '.join([f'*l{n - 1}'] * 9)}]\n" for n in range(1, 10)]
)


def check_and_decide(root):
    checked = run("check", root)
    decided = run("decide", EXAMPLE, "--as-of", "2025-06-01", "--standards-dir", root)
    return checked, decided


def assert_refused(root, located):
    checked, decided = check_and_decide(root)
    assert checked.returncode == 1, checked.stdout[-2000:] + checked.stderr[-2000:]
    assert located in checked.stdout, checked.stdout[:2000]
    assert decided.returncode == 2, decided.stderr[-2000:]
    assert located in decided.stderr, decided.stderr[:2000]


def test_an_alias_bomb_in_a_pack_is_refused_where_it_goes_past_the_limit(tmp_path):
    folder = copy_pack(tmp_path)
    with open(folder / "parameters.yaml", "a", encoding="utf-8") as file:
        file.write("\nbomb:\n" + "".join("  " + line + "\n" for line in ALIAS_BOMB.splitlines()))
    lines = (folder / "parameters.yaml").read_text().splitlines()
    first_l4 = next(number for number, line in enumerate(lines, 1) if line.startswith("  l4:"))
    # a list of n nodes is n + 1 nodes: l0 is 10, l1 91, l2 820, l3 7,381 nodes; the aliases in
    # l1..l3 add 90 + 819 + 7,380 = 8,289, and the first alias in l4 (7,381 more) passes 10,000
    column = lines[first_l4 - 1].index("*l3") + 1
    assert_refused(tmp_path, f"parameters.yaml:{first_l4}:{column}: yaml_alias_expansion")


def test_an_alias_inside_its_own_anchor_is_refused(tmp_path):
    folder = copy_pack(tmp_path)
    with open(folder / "events.yaml", "a", encoding="utf-8") as file:
        file.write("\ncycle: &c [1, *c]\n")
    line = len((folder / "events.yaml").read_text().splitlines())
    assert_refused(tmp_path, f"events.yaml:{line}:15: yaml_alias_cycle")


@pytest.mark.parametrize("depth", [yaml_source.MAX_DEPTH + 1, 100_000])
def test_yaml_nested_past_the_stated_depth_is_refused(tmp_path, depth):
    folder = copy_pack(tmp_path)
    with open(folder / "parameters.yaml", "a", encoding="utf-8") as file:
        file.write("\ndeep: " + "[" * depth + "]" * depth + "\n")
    line = len((folder / "parameters.yaml").read_text().splitlines())
    # the document mapping is level 1, 'deep' opens level 2: the MAX_DEPTH-th '[' goes past it
    assert_refused(tmp_path, f"parameters.yaml:{line}:{len('deep: ') + yaml_source.MAX_DEPTH}: yaml_too_deep")


def test_yaml_nested_to_the_stated_depth_is_read(tmp_path):
    folder = copy_pack(tmp_path)
    depth = yaml_source.MAX_DEPTH - 2  # with the document's mapping and the key's list
    with open(folder / "parameters.yaml", "a", encoding="utf-8") as file:
        file.write("\ndeep: " + "[" * depth + "]" * depth + "\n")
    checked = run("check", tmp_path)
    assert "yaml_too_deep" not in checked.stdout and "deep" in checked.stdout  # a schema error, not a limit


@pytest.mark.parametrize("nots", [parser_module.MAX_NESTING, 10_000])
def test_ten_thousand_nested_nots_are_refused_at_the_rule(tmp_path, nots):
    folder = copy_pack(tmp_path)
    edit(
        folder / "exclusion.rules",
        'where category = "permanent"',
        "where " + "not " * nots + 'category = "permanent"',
    )
    line = next(
        number
        for number, text in enumerate((folder / "exclusion.rules").read_text().splitlines(), 1)
        if "not not" in text
    )
    assert_refused(tmp_path, f"exclusion.rules:{line}:")
    assert "nested_too_deeply" in run("check", tmp_path).stdout


def test_nesting_below_the_limit_still_decides(tmp_path):
    folder = copy_pack(tmp_path)
    edit(
        folder / "exclusion.rules",
        'where category = "permanent"',
        "where " + "not not " * 40 + 'category = "permanent"',
    )
    checked, decided = check_and_decide(tmp_path)
    assert checked.returncode == 0 and decided.returncode == 0, (
        checked.stdout[-1000:] + decided.stderr[-1000:]
    )


def test_a_file_over_the_stated_size_is_refused_where_the_limit_is_crossed(tmp_path, monkeypatch):
    folder = copy_pack(tmp_path)
    monkeypatch.setattr(pack_module, "MAX_FILE_BYTES", 100)
    text = (folder / "manifest.yaml").read_text()
    line = text[:100].count("\n") + 1
    column = 100 - (text[:100].rfind("\n") + 1) + 1
    result = build_standard(folder, "send-ap/1.0.0")
    assert result.standard is None
    problems = {d.file: d for d in result.diagnostics if d.code == "file_too_large"}
    assert (
        problems["send-ap/1.0.0/manifest.yaml"].location() == f"send-ap/1.0.0/manifest.yaml:{line}:{column}"
    )
    assert "100 bytes" in problems["send-ap/1.0.0/manifest.yaml"].message
    assert not any(d.code == "missing_file" for d in result.diagnostics)


def test_a_pack_over_the_stated_size_is_refused(tmp_path, monkeypatch):
    folder = copy_pack(tmp_path)
    monkeypatch.setattr(pack_module, "MAX_PACK_BYTES", 5_000)
    result = build_standard(folder, "send-ap/1.0.0")
    problems = [d for d in result.diagnostics if d.code == "file_too_large"]
    assert result.standard is None and len(problems) >= 1
    assert "together are larger than 5000 bytes" in problems[0].message and problems[0].line is not None
