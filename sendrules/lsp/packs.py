"""Which pack a file belongs to, and that pack built as ``sendrules check`` builds it.

A file belongs to the version folder that holds a ``manifest.yaml`` (its own folder, or the one
above). The pack is read from disk with the editor's unsaved text laid over it, then built by
the same pipeline as ``sendrules check`` (``dsl.pipeline.build_from_files``): the diagnostics
are the checker's own, with the same codes, messages and hints. A build is kept until a file
of the pack changes, on disk or in the editor.
"""

from __future__ import annotations

import dataclasses
import hashlib
import threading
from dataclasses import dataclass
from pathlib import Path

from sendrules.dsl.diagnostics import Diagnostic
from sendrules.dsl.pack import KNOWN_YAML_FILES, LoadedPack, PackFiles, load_pack, read_pack_files
from sendrules.dsl.parser import parse_rules_file
from sendrules.dsl.pipeline import BuildResult, build_from_files
from sendrules.lsp.symbols import SymbolIndex, build_index


def version_folder(path: Path) -> Path | None:
    """The version folder a pack file belongs to, or None for a file outside any pack."""
    for folder in (path.parent, path.parent.parent):
        if (folder / "manifest.yaml").is_file():
            return folder
    return None


def display_of(folder: Path) -> str:
    """How ``sendrules check`` names a version of the bundled standards: ``send-ap/1.1.0``."""
    return f"{folder.parent.name}/{folder.name}"


def is_pack_file(relative: str) -> bool:
    return relative.endswith(".rules") or relative in KNOWN_YAML_FILES


@dataclass
class PackState:
    """One version folder, built."""

    folder: Path
    display: str
    files: PackFiles
    result: BuildResult
    pack: LoadedPack
    index: SymbolIndex
    fingerprint: str

    def relative(self, path: Path) -> str | None:
        try:
            return path.relative_to(self.folder).as_posix()
        except ValueError:
            return None

    def path_of(self, diagnostic_file: str) -> Path:
        """The file a diagnostic is about (a diagnostic about the whole folder goes on its
        manifest)."""
        prefix = self.display + "/"
        if diagnostic_file.startswith(prefix):
            return self.folder / diagnostic_file[len(prefix) :]
        return self.folder / "manifest.yaml"

    def diagnostics_by_file(self) -> dict[Path, list[Diagnostic]]:
        """Every file of the pack, each with its diagnostics (an empty list clears the editor's)."""
        by_file: dict[Path, list[Diagnostic]] = {self.folder / relative: [] for relative in self.files.texts}
        for diagnostic in self.result.diagnostics:
            by_file.setdefault(self.path_of(diagnostic.file), []).append(diagnostic)
        return by_file

    def source(self, path: Path) -> str | None:
        relative = self.relative(path)
        return self.files.texts.get(relative) if relative is not None else None


class Packs:
    """The packs the editor has files of, built on demand and kept until a file changes."""

    def __init__(self) -> None:
        self._built: dict[Path, PackState] = {}
        self._lock = threading.Lock()

    def state(self, folder: Path, unsaved: dict[Path, str]) -> PackState:
        """The pack in ``folder``, with ``unsaved`` (path -> text of an open document) laid
        over the files on disk."""
        display = display_of(folder)
        files, read_problems = read_pack_files(folder, display)
        texts = dict(files.texts)
        for path, text in unsaved.items():
            try:
                relative = path.relative_to(folder).as_posix()
            except ValueError:
                continue
            if is_pack_file(relative):
                texts[relative] = text.replace("\r\n", "\n")
        problems = [
            d
            for d in read_problems
            if not (d.code == "missing_file" and d.file.removeprefix(display + "/") in texts)
        ]
        files = dataclasses.replace(files, texts=texts)
        fingerprint = hashlib.sha256(repr((sorted(texts.items()), files.stray)).encode("utf-8")).hexdigest()
        with self._lock:
            cached = self._built.get(folder)
        if cached is not None and cached.fingerprint == fingerprint:
            return cached
        result = build_from_files(files, problems)
        pack, _ = load_pack(files)
        relative_of = {files.display_path(relative): relative for relative in texts}
        state = PackState(folder, display, files, result, pack, build_index(pack, relative_of), fingerprint)
        with self._lock:
            self._built[folder] = state
        return state

    def latest(self, folder: Path, unsaved: dict[Path, str]) -> PackState:
        """The last build of the pack even if a file has changed since (completion needs the
        vocabulary, which typing in a rules file rarely changes); a build if there is none."""
        with self._lock:
            cached = self._built.get(folder)
        return cached if cached is not None else self.state(folder, unsaved)

    def forget(self, folder: Path) -> None:
        with self._lock:
            self._built.pop(folder, None)


def lone_file_diagnostics(path: Path, text: str) -> list[Diagnostic]:
    """A ``.rules`` file outside any pack: only its syntax can be checked."""
    _, problems = parse_rules_file(text.replace("\r\n", "\n"), path.name)
    return problems
