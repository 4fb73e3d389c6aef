"""The compiled-standards cache on disk (engine/compile_cache.py): a hit is the same standard,
anything changed or untrusted is a miss, and the cache never fails a decision."""

from __future__ import annotations

import os
import shutil
from datetime import date
from pathlib import Path

import pytest

from sendrules import BUNDLED_STANDARDS
from sendrules.engine import compile_cache, library as library_module
from sendrules.engine.library import StandardsLibrary

AS_OF = date(2025, 6, 1)
REFERENCE = "send-ap@1.1.0"


@pytest.fixture
def root(tmp_path):
    """A standards root holding a copy of the bundled send-ap 1.1.0."""
    folder = tmp_path / "standards" / "send-ap"
    shutil.copytree(Path(BUNDLED_STANDARDS) / "send-ap" / "1.1.0", folder / "1.1.0")
    return tmp_path / "standards"


@pytest.fixture
def cache(tmp_path, monkeypatch):
    folder = tmp_path / "cache"
    monkeypatch.setenv(compile_cache.CACHE_DIR_VARIABLE, str(folder))
    return folder


@pytest.fixture
def builds(monkeypatch):
    """Counts real builds (parse, check, compile)."""
    calls = []
    real = library_module.build_standard

    def counting(folder, display):
        calls.append(display)
        return real(folder, display)

    monkeypatch.setattr(library_module, "build_standard", counting)
    return calls


def test_a_new_process_reads_the_standard_back_instead_of_building_it(root, cache, builds):
    first = StandardsLibrary(root).resolve(REFERENCE, AS_OF)
    assert len(builds) == 1 and len(list(cache.glob("*.pickle"))) == 1
    second = StandardsLibrary(root).resolve(REFERENCE, AS_OF)  # a new library: as in a new process
    assert len(builds) == 1, "the second library built the pack again"
    assert second == first and second.sha256 == first.sha256 and second is not first
    entry = next(cache.glob("*.pickle"))
    assert oct(entry.stat().st_mode & 0o777) == "0o600" and oct(cache.stat().st_mode & 0o777) == "0o700"


def test_an_edited_pack_is_built_again(root, cache, builds):
    StandardsLibrary(root).resolve(REFERENCE, AS_OF)
    parameters = root / "send-ap" / "1.1.0" / "parameters.yaml"
    first_sha256 = StandardsLibrary(root).resolve(REFERENCE, AS_OF).sha256  # (a hit: not edited yet)
    parameters.write_text(parameters.read_text(encoding="utf-8") + "\n# once more\n", encoding="utf-8")
    edited = StandardsLibrary(root).resolve(REFERENCE, AS_OF)
    assert len(builds) == 2 and len(list(cache.glob("*.pickle"))) == 2, "built once, then once after the edit"
    assert edited.sha256 != first_sha256


def test_a_copy_under_another_root_reads_the_same_names_and_hits(root, cache, builds, tmp_path):
    """Rules name their files relative to the standards root, so the same pack under another
    root compiles to the same standard (the display name is part of the key for packs that
    are not under their root, tested below)."""
    here = StandardsLibrary(root).resolve(REFERENCE, AS_OF)
    other_root = tmp_path / "elsewhere"
    shutil.copytree(root, other_root)
    there = StandardsLibrary(other_root).resolve(REFERENCE, AS_OF)
    assert there == here and len(builds) == 1
    assert {rule.source_file.split("/")[0] for rule in there.rules} == {"send-ap"}


def test_a_damaged_entry_is_rebuilt_and_replaced(root, cache, builds):
    good = StandardsLibrary(root).resolve(REFERENCE, AS_OF)
    entry = next(cache.glob("*.pickle"))
    entry.write_bytes(b"not a pickle at all")
    again = StandardsLibrary(root).resolve(REFERENCE, AS_OF)
    assert again == good and len(builds) == 2
    assert StandardsLibrary(root).resolve(REFERENCE, AS_OF) == good and len(builds) == 2, "replaced"


def test_an_entry_for_other_content_is_not_trusted(root, cache, builds):
    good = StandardsLibrary(root).resolve(REFERENCE, AS_OF)
    entry = next(cache.glob("*.pickle"))
    import pickle

    other = StandardsLibrary().resolve("send-ap@1.0.0", AS_OF)
    entry.write_bytes(pickle.dumps(other))
    assert StandardsLibrary(root).resolve(REFERENCE, AS_OF) == good
    assert builds.count("send-ap/1.1.0") == 2, builds


@pytest.mark.parametrize("mode", [0o777, 0o770])
def test_a_folder_others_can_write_to_is_never_read(root, cache, builds, mode):
    StandardsLibrary(root).resolve(REFERENCE, AS_OF)
    os.chmod(cache, mode)
    StandardsLibrary(root).resolve(REFERENCE, AS_OF)
    assert len(builds) == 2, "a cache others can write to was trusted"


def test_an_entry_others_can_write_to_is_never_read(root, cache, builds):
    StandardsLibrary(root).resolve(REFERENCE, AS_OF)
    next(cache.glob("*.pickle")).chmod(0o666)
    StandardsLibrary(root).resolve(REFERENCE, AS_OF)
    assert len(builds) == 2


def test_an_empty_setting_turns_the_cache_off(root, monkeypatch, builds, tmp_path):
    monkeypatch.setenv(compile_cache.CACHE_DIR_VARIABLE, "")
    StandardsLibrary(root).resolve(REFERENCE, AS_OF)
    StandardsLibrary(root).resolve(REFERENCE, AS_OF)
    assert len(builds) == 2


def test_a_cache_that_cannot_be_written_costs_only_the_build(root, tmp_path, monkeypatch, builds):
    blocked = tmp_path / "a-file-not-a-folder"
    blocked.write_text("x")
    monkeypatch.setenv(compile_cache.CACHE_DIR_VARIABLE, str(blocked / "cache"))
    assert StandardsLibrary(root).resolve(REFERENCE, AS_OF).reference == REFERENCE
    assert len(builds) == 1


def test_the_key_changes_with_the_compiler(monkeypatch):
    before = compile_cache.entry_name("a" * 64, "send-ap/1.1.0")
    monkeypatch.setattr(compile_cache, "code_fingerprint", lambda: "another compiler")
    assert compile_cache.entry_name("a" * 64, "send-ap/1.1.0") != before
    assert compile_cache.entry_name("a" * 64, "elsewhere/1.1.0") != compile_cache.entry_name(
        "a" * 64, "send-ap/1.1.0"
    )
