"""Temporary copies of the bundled send-ap versions, edited one deliberate change at a time."""

from __future__ import annotations

import re
import shutil
from datetime import date
from pathlib import Path

from sendrules.engine.library import StandardsLibrary
from sendrules import BUNDLED_STANDARDS
from tests.dsl.helpers import edit

__all__ = ["copy_version", "new_version", "edit", "resolve", "set_changes"]


def copy_version(tmp_path: Path, version: str = "1.1.0") -> Path:
    """A copy of the bundled ``send-ap/<version>`` at ``tmp_path/send-ap/<version>``."""
    target = tmp_path / "send-ap" / version
    shutil.copytree(BUNDLED_STANDARDS / "send-ap" / version, target)
    return target


def new_version(tmp_path: Path, base: str = "1.1.0", version: str = "1.2.0") -> Path:
    """A draft ``version`` that is a copy of ``base`` and says it supersedes it, with no
    stated changes yet (``set_changes`` adds them)."""
    target = tmp_path / "send-ap" / version
    shutil.copytree(BUNDLED_STANDARDS / "send-ap" / base, target)
    manifest = target / "manifest.yaml"
    text = manifest.read_text(encoding="utf-8")
    text = re.sub(r"(?m)^version: .*$", f"version: {version}", text)
    text = re.sub(r"(?m)^status: .*$", "status: draft", text)
    text = re.sub(r"(?m)^supersedes: .*$", f"supersedes: {base}", text)
    manifest.write_text(text, encoding="utf-8")
    set_changes(target, [])
    return target


def set_changes(version_dir: Path, changes: list[dict]) -> None:
    """Replace the manifest's ``changes`` list."""
    manifest = version_dir / "manifest.yaml"
    text = manifest.read_text(encoding="utf-8")
    text = text.split("\nchanges:", 1)[0].rstrip("\n") + "\n"
    if changes:
        text += "changes:\n"
        for change in changes:
            text += f'  - summary: "{change["summary"]}"\n'
            for key in ("rules", "parameters"):
                if change.get(key):
                    text += f"    {key}: [{', '.join(change[key])}]\n"
    manifest.write_text(text, encoding="utf-8")


def resolve(root: Path, reference: str):
    return StandardsLibrary(root).resolve(reference, date(2000, 1, 1))
