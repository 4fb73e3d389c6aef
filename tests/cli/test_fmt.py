"""``sendrules fmt`` and ``sendrules check --format-check``, run as a user would run them."""

from __future__ import annotations

import shutil

from sendrules import BUNDLED_STANDARDS
from tests.cli.test_cli import run
from tests.dsl.helpers import copy_pack, edit


def _draft_copy(tmp_path):
    folder = tmp_path / "send-ap" / "2.0.0-draft"
    shutil.copytree(BUNDLED_STANDARDS / "send-ap" / "2.0.0-draft", folder)
    return folder


def test_fmt_check_passes_on_every_shipped_pack():
    result = run("fmt", "--check", "standards")
    assert result.returncode == 0, result.stdout + result.stderr
    # the .rules files of every shipped version: 1.2.0 added 7, 1.3.0 another 7, 1.4.0 another 9
    assert "0 file(s) would be reformatted, 37 already formatted" in result.stderr


def test_fmt_rewrites_a_draft_and_check_then_passes(tmp_path):
    folder = _draft_copy(tmp_path)
    edit(folder / "support.rules", "  duty school\n  should\n", "duty school should\n")
    before = (folder / "support.rules").read_text(encoding="utf-8")
    checked = run("fmt", "--check", folder)
    assert checked.returncode == 1
    assert f"would reformat {(folder / 'support.rules').as_posix()}" in checked.stdout
    assert (folder / "support.rules").read_text(encoding="utf-8") == before  # --check writes nothing
    diff = run("fmt", "--diff", folder / "support.rules")
    assert diff.returncode == 1 and "-duty school should\n+  duty school\n+  should\n" in diff.stdout
    result = run("fmt", folder)
    assert result.returncode == 0 and "reformatted" in result.stdout
    assert (folder / "support.rules").read_bytes() == (
        BUNDLED_STANDARDS / "send-ap" / "2.0.0-draft" / "support.rules"
    ).read_bytes()
    assert run("fmt", "--check", folder).returncode == 0


def test_fmt_never_rewrites_a_published_version(tmp_path):
    folder = copy_pack(tmp_path)  # marked published
    edit(folder / "exclusion.rules", "  must\n", "     must\n")
    before = (folder / "exclusion.rules").read_bytes()
    result = run("fmt", folder)
    assert result.returncode == 1
    assert "not rewritten: its version is published" in result.stderr
    assert (folder / "exclusion.rules").read_bytes() == before


def test_fmt_reports_syntax_errors_with_their_place_and_exits_2(tmp_path):
    broken = tmp_path / "broken.rules"
    broken.write_text('rule ehc.a "A"\n  duty local_authority\n  when x as\n', encoding="utf-8")
    result = run("fmt", broken)
    assert result.returncode == 2
    assert f"{broken.as_posix()}:3:" in result.stderr
    assert broken.read_text(encoding="utf-8").startswith('rule ehc.a "A"\n  duty')


def test_fmt_of_a_missing_path_exits_2(tmp_path):
    result = run("fmt", tmp_path / "nowhere")
    assert result.returncode == 2 and "no such file or folder" in result.stderr


def test_check_format_check_reports_layout_and_fails(tmp_path):
    folder = _draft_copy(tmp_path)
    assert run("check", folder, "--format-check").returncode == 0
    edit(folder / "support.rules", "  should\n", "    should\n")
    result = run("check", folder, "--format-check")
    assert result.returncode == 1
    assert "support.rules:6:1: not_formatted" in result.stdout
    assert run("check", folder).returncode == 0  # layout is only checked when asked
