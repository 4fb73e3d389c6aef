"""Building small packs in a temporary folder, each with one deliberate mistake."""

from __future__ import annotations

import shutil
from pathlib import Path

from sendrules import BUNDLED_STANDARDS

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
