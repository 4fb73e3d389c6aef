"""Every standards version a logged decision used, stored by content hash, and rebuilt on demand.

A decision names its standards by content hash (``standards.sha256``), and the log keeps the
text of every file that hash covers (``PackFiles.texts``). A replay rebuilds the standard from
those texts with the same front end as the standards folder (``dsl.pipeline.build_from_files``)
and checks that the rebuilt hash is the stored one, so it still works after the folder has been
edited or the version deleted.
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sendrules.dsl import ir
from sendrules.dsl.pack import PackFiles, read_pack_files
from sendrules.dsl.pipeline import build_from_files
from sendrules.engine.canonical import canonical_json
from sendrules.engine.errors import Problem, StandardsError
from sendrules.engine.library import StandardsLibrary, parse_reference
from sendrules.engine.service import DecisionService

from sendrules.decisionlog.errors import LogError

_cache: dict[str, ir.CompiledStandard] = {}
_services: dict[str, DecisionService] = {}
_cache_lock = threading.Lock()


@dataclass(frozen=True)
class StoredStandards:
    """The defining files of one standards version, as stored in the log."""

    sha256: str
    standards_id: str
    version: str
    texts: dict[str, str]

    @property
    def reference(self) -> str:
        return f"{self.standards_id}@{self.version}"

    def files(self) -> PackFiles:
        return PackFiles(
            Path(self.standards_id) / self.version,
            f"stored:{self.standards_id}/{self.version}",
            dict(self.texts),
        )

    def files_json(self) -> str:
        return canonical_json(self.texts).decode("utf-8")

    @classmethod
    def from_row(cls, sha256: str, standards_id: str, version: str, files_json: str) -> "StoredStandards":
        try:
            texts = json.loads(files_json)
        except ValueError:
            texts = None
        if not isinstance(texts, dict) or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in texts.items()
        ):
            raise LogError(
                "standards_hash_mismatch",
                f"the stored standards {standards_id}@{version} "
                f"(sha256 {sha256}) are not a set of files: the row was altered",
            )
        return cls(sha256, standards_id, version, texts)

    def content_matches(self) -> bool:
        """Whether the texts still hash to the key they are stored under."""
        return self.files().sha256() == self.sha256


def texts_of(library: StandardsLibrary, standard: ir.CompiledStandard) -> StoredStandards:
    """The files of ``standard`` read from the library's folder; their hash must be the
    standard's (otherwise the folder was edited after the standard was built)."""
    folder = library.root / standard.id / standard.version
    files, _ = read_pack_files(folder, library.display_name(folder))
    if files.sha256() != standard.sha256:
        raise LogError(
            "standards_changed",
            f"the standards folder {folder} changed while the decision was "
            "being made (its content hash is no longer the decision's); decide again",
        )
    return StoredStandards(standard.sha256, standard.id, standard.version, dict(files.texts))


def rebuild(stored: StoredStandards) -> ir.CompiledStandard:
    """The compiled standard from stored texts (cached by hash); its hash must be the key.

    The texts are hashed every time, before the cache is consulted: altered texts are never
    hidden by an earlier build of the genuine ones."""
    if not stored.content_matches():
        raise LogError(
            "standards_hash_mismatch",
            f"the stored texts of {stored.reference} no longer hash "
            f"to {stored.sha256}: the standards store was altered",
        )
    with _cache_lock:
        cached = _cache.get(stored.sha256)
    if cached is not None:
        return cached
    result = build_from_files(stored.files())
    if result.standard is None:
        raise StandardsError(
            "invalid_standards",
            f"the stored standards {stored.reference} (sha256 {stored.sha256[:12]}…) no longer build "
            f"with this engine ({len(result.diagnostics)} problems)",
            [Problem(d.location(), f"{d.code}: {d.message}") for d in result.diagnostics],
            rendered=result.render(),
        )
    if result.standard.sha256 != stored.sha256:
        raise LogError(
            "standards_hash_mismatch",
            f"the rebuilt {stored.reference} has sha256 "
            f"{result.standard.sha256}, not the stored {stored.sha256}",
        )
    with _cache_lock:
        return _cache.setdefault(stored.sha256, result.standard)


class PinnedLibrary:
    """A standards library holding exactly one compiled standard.

    ``DecisionService(PinnedLibrary(standard))`` decides through the ordinary service code
    path (backend, validation against the standard's vocabulary, calendar, evaluation) with
    the standard fixed: the one a decision was recorded with, or the one a replay asks for."""

    def __init__(self, standard: ir.CompiledStandard) -> None:
        self.standard = standard

    def resolve(self, reference: str | None, as_of: date) -> ir.CompiledStandard:
        if reference is not None:
            pack_id, version = parse_reference(reference)
            if pack_id != self.standard.id or version not in (None, self.standard.version):
                raise StandardsError(
                    "unknown_standards",
                    f"'{reference}' is not {self.standard.reference}",
                    [
                        Problem(
                            "standards",
                            f"only {self.standard.reference} is available here",
                            field="standards",
                        )
                    ],
                )
        return self.standard


def pinned_service(standard: ir.CompiledStandard) -> DecisionService:
    """A ``DecisionService`` that decides with exactly ``standard``; one per content hash, so
    its journey validators (pydantic models built from the vocabulary) are built once."""
    with _cache_lock:
        service = _services.get(standard.sha256)
        if service is None:
            service = _services[standard.sha256] = DecisionService(PinnedLibrary(standard))
        return service
