"""The canonical layout of .rules files (sendrules/dsl/formatter.py, ``sendrules fmt``).

What must hold: the shipped packs are already in the layout (the published ones cannot
change a byte); formatting changes whitespace only (same tokens, same comments, same compiled
standard); it is idempotent; and every construct of the grammar has a layout and is exercised
here, so a construct added to grammar.lark makes these tests fail until the formatter knows it.
"""

from __future__ import annotations

import dataclasses
import random
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sendrules import BUNDLED_STANDARDS
from sendrules.dsl import formatter, ir
from sendrules.dsl.formatter import (
    LAYOUTS,
    FormatError,
    UnknownConstruct,
    concrete_parser,
    format_rules,
    layout_diagnostics,
    leaves,
    never_a_node,
    parse_concrete,
)
from sendrules.dsl.parser import parse_rules_file
from sendrules.dsl.pipeline import build_standard

SAMPLES = Path(__file__).parent / "formatter"
SHIPPED_FILES = sorted(BUNDLED_STANDARDS.glob("*/*/*.rules"))
SHIPPED_VERSIONS = sorted({path.parent for path in SHIPPED_FILES})
#: Layout samples: NAME.input (not named .rules, so that ``sendrules fmt .`` leaves it alone)
#: and NAME.rules, its canonical layout.
SAMPLE_INPUTS = sorted(SAMPLES.glob("*.input"))


def _id(path: Path) -> str:
    return "/".join(path.parts[-2:])


# --- the layout is complete ------------------------------------------------------------------


def test_every_construct_of_the_grammar_has_a_layout():
    """A rule or alias added to grammar.lark without a layout fails here (and the formatter
    refuses such a file with UnknownConstruct rather than guessing)."""
    constructs = set()
    for rule in concrete_parser().rules:
        name = str(rule.alias or rule.origin.name)
        if not name.startswith("_"):
            constructs.add(name)
    assert constructs - set(LAYOUTS) == set(), "constructs with no layout in formatter.LAYOUTS"
    assert set(LAYOUTS) - constructs == set(), "layouts for constructs the grammar no longer has"


def test_every_construct_is_exercised_by_a_shipped_pack_or_a_sample():
    seen = set()
    for path in SHIPPED_FILES + SAMPLE_INPUTS:
        tree, _ = parse_concrete(path.read_text(encoding="utf-8"))
        seen |= {str(node.data) for node in tree.iter_subtrees()}
    untested = {name for name, layout in LAYOUTS.items() if layout is not never_a_node} - seen
    assert untested == set(), "add a sample to tests/dsl/formatter/ that uses these constructs"


def test_a_construct_with_no_layout_is_refused(monkeypatch):
    layouts = dict(LAYOUTS)
    del layouts["within"]
    monkeypatch.setattr(formatter, "LAYOUTS", layouts)
    text = (SAMPLES / "conditions.input").read_text(encoding="utf-8")
    with pytest.raises(UnknownConstruct, match="'within'"):
        format_rules(text)


# --- the shipped packs -----------------------------------------------------------------------


@pytest.mark.parametrize("path", SHIPPED_FILES, ids=_id)
def test_shipped_files_are_in_the_canonical_layout(path):
    text = path.read_text(encoding="utf-8")
    assert format_rules(text, _id(path)) == text


@pytest.mark.parametrize("version", SHIPPED_VERSIONS, ids=_id)
def test_formatting_a_scrambled_pack_gives_back_the_same_bytes_and_the_same_standard(version, tmp_path):
    """Scramble the whitespace of every rules file of the pack (the rules stay the same: it
    compiles to the same standard, layout aside); format it; it is byte for byte the shipped
    pack again, so it compiles to the same standard, content hash included."""
    original = build_standard(version, "pack")
    assert original.ok, original.render()
    copy = tmp_path / version.parent.name / version.name
    shutil.copytree(version, copy)
    rules_files = sorted(copy.glob("*.rules"))
    for number, path in enumerate(rules_files):
        path.write_text(scramble(path.read_text(encoding="utf-8"), random.Random(number)), encoding="utf-8")
    scrambled = build_standard(copy, "pack")
    assert scrambled.ok, scrambled.render()
    assert _without_layout(scrambled.standard) == _without_layout(original.standard)
    for before, after in zip(original.standard.rules, scrambled.standard.rules):
        assert " ".join(_check_text(before).split()) in " ".join(_check_text(after).split())
    for path in rules_files:
        path.write_text(format_rules(path.read_text(encoding="utf-8")), encoding="utf-8")
        assert path.read_bytes() == (version / path.name).read_bytes()
    formatted = build_standard(copy, "pack")
    assert formatted.standard == original.standard


def _check_text(rule):
    """A ``require`` rule's condition as written ("" for the other kinds of rule)."""
    return rule.compliance.text if isinstance(rule.compliance, ir.MetIfHolds) else ""


def _without_text(compliance):
    """A ``require`` rule's condition as written is layout too."""
    return dataclasses.replace(compliance, text="") if isinstance(compliance, ir.MetIfHolds) else compliance


def _without_layout(standard):
    """The compiled standard with what records the layout set aside: the content hash, and
    where each rule and table was written (its line and its text, kept for documents)."""
    rules = tuple(
        dataclasses.replace(rule, source_line=0, source_text="", compliance=_without_text(rule.compliance))
        for rule in standard.rules
    )
    tables = tuple(
        dataclasses.replace(
            table,
            source_line=0,
            source_text="",
            rows=tuple(dataclasses.replace(row, source_line=0) for row in table.rows),
        )
        for table in standard.tables
    )
    return dataclasses.replace(standard, sha256="", rules=rules, tables=tables)


# --- samples of every construct --------------------------------------------------------------


@pytest.mark.parametrize("path", SAMPLE_INPUTS, ids=lambda path: path.name)
def test_samples_format_as_expected(path):
    expected = path.with_suffix(".rules").read_text(encoding="utf-8")
    assert format_rules(path.read_text(encoding="utf-8")) == expected
    assert format_rules(expected) == expected


def test_windows_line_endings_become_unix_ones():
    text = (SAMPLES / "table.rules").read_text(encoding="utf-8")
    assert format_rules(text.replace("\n", "\r\n")) == text


def test_an_empty_file_and_a_file_of_comments():
    assert format_rules("") == ""
    assert format_rules("\n\n") == ""
    assert format_rules("  # one\n\n\n# two   \n") == "# one\n\n# two\n"


def test_a_file_with_syntax_errors_is_not_formatted_and_every_error_is_located():
    text = 'rule ehc.a "A"\n  duty\n\nrule ehc.b "B"\n  must must cite\n'
    with pytest.raises(FormatError) as raised:
        format_rules(text, "x.rules")
    assert [(d.file, d.line) for d in raised.value.diagnostics] == [("x.rules", 2), ("x.rules", 5)]


def test_layout_diagnostics_name_the_first_line_that_differs():
    good = (SAMPLES / "table.rules").read_text(encoding="utf-8")
    bad = good.replace("  cite", "cite")
    found = layout_diagnostics(
        {"p/a.rules": good, "p/b.rules": bad, "p/events.yaml": "x: [", "p/c.rules": "rule broken"}
    )
    assert [(d.code, d.file, d.line) for d in found] == [("not_formatted", "p/b.rules", 2)]


# --- properties: idempotent, whitespace only -------------------------------------------------


def scramble(text: str, rng: random.Random) -> str:
    """The same tokens and comments with different whitespace: every gap between two tokens
    that held whitespace gets random spaces, tabs and newlines; gaps holding a comment are
    left alone (moving a comment would change what it is attached to)."""
    tree, comments = parse_concrete(text)
    tokens = leaves(tree)
    out = [text[: tokens[0].start_pos]] if tokens else [text]
    choices = [" ", "  ", "\t", "\n", "\n  ", "\n\n    ", " \n\t "]
    for current, following in zip(tokens, tokens[1:]):
        out.append(str(current))
        gap = text[current.end_pos : following.start_pos]
        if not gap or "#" in gap:
            out.append(gap)
        else:
            out.append(rng.choice(choices))
    if tokens:
        out.append(str(tokens[-1]) + text[tokens[-1].end_pos :])
    return "".join(out)


def _ast(text: str):
    rules_file, problems = parse_rules_file(text, "f.rules")
    assert problems == []
    return rules_file


def _comments(text: str) -> list[str]:
    return [str(comment).rstrip() for comment in parse_concrete(text)[1]]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(source=st.sampled_from(SHIPPED_FILES + SAMPLE_INPUTS), seed=st.integers(0, 2**32 - 1))
def test_formatting_is_idempotent_and_changes_whitespace_only(source, seed):
    text = scramble(source.read_text(encoding="utf-8"), random.Random(seed))
    formatted = format_rules(text)
    assert format_rules(formatted) == formatted
    assert _ast(formatted) == _ast(text)
    assert _comments(formatted) == _comments(text)
    assert [str(t) for t in leaves(parse_concrete(formatted)[0])] == [
        str(t) for t in leaves(parse_concrete(text)[0])
    ]
    if source in SHIPPED_FILES:
        assert formatted == source.read_text(encoding="utf-8")


@settings(max_examples=40, deadline=None)
@given(seed=st.integers(0, 2**32 - 1))
def test_comments_anywhere_are_kept_in_order(seed):
    """Comments dropped at random line ends and between lines of a sample: all kept, in order,
    and the result is stable."""
    rng = random.Random(seed)
    lines = (SAMPLES / "deadlines.rules").read_text(encoding="utf-8").splitlines()
    out = []
    for number, line in enumerate(lines):
        if rng.random() < 0.3:
            out.append(" " * rng.randint(0, 6) + f"# before {number}")
        out.append(line + (f"  # after {number}" if rng.random() < 0.3 else ""))
    text = "\n".join(out) + "\n"
    formatted = format_rules(text)
    assert _comments(formatted) == _comments(text)
    assert format_rules(formatted) == formatted
    assert _ast(formatted) == _ast(text)
