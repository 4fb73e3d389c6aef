"""Building small packs in a temporary folder, each with one deliberate mistake."""

from __future__ import annotations

import shutil
from pathlib import Path

from sendrules import BUNDLED_STANDARDS
from sendrules.dsl.pipeline import build_standard

BUNDLED_VERSION = BUNDLED_STANDARDS / "send-ap" / "1.0.0"


def copy_pack(tmp_path: Path, version: str = "1.0.0", source: str = "1.0.0") -> Path:
    """A copy of a bundled send-ap version (by default 1.0.0, the contract's first rule
    catalogue) at ``tmp_path/send-ap/<version>``, marked published so it is chosen by default."""
    target = tmp_path / "send-ap" / version
    shutil.copytree(BUNDLED_STANDARDS / "send-ap" / source, target)
    if source == "1.0.0":
        edit(target / "manifest.yaml", "status: superseded", "status: published")
    if version != source:
        edit(target / "manifest.yaml", f"version: {source}", f"version: {version}")
    return target


def edit(path: Path, old: str, new: str) -> None:
    """Replace exactly one occurrence of ``old`` in the file."""
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{old!r} occurs {text.count(old)} times in {path.name}"
    path.write_text(text.replace(old, new), encoding="utf-8")


def diagnostics(folder: Path) -> list[tuple[str, str]]:
    """(code, one-line form) of every diagnostic of the pack, in order."""
    result = build_standard(folder, f"{folder.parent.name}/{folder.name}")
    return [(d.code, d.one_line()) for d in result.diagnostics]


def position(folder: Path, file: str, text: str) -> str:
    """``file:line:column`` of the first occurrence of ``text`` (1-based, as diagnostics give it)."""
    lines = (folder / file).read_text(encoding="utf-8").splitlines()
    for number, line in enumerate(lines, start=1):
        if text in line:
            return f"{folder.parent.name}/{folder.name}/{file}:{number}:{line.index(text) + 1}"
    raise AssertionError(f"{text!r} is not in {file}")
