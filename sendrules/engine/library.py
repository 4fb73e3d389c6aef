"""Finding standards packs, choosing the version that applies, and building it (cached).

A standards root holds ``<pack id>/<version>/`` folders. By default the root is the packs
bundled with the installed package; ``SENDRULES_STANDARDS`` or an explicit path points
elsewhere (e.g. a policy team's working copy).

Version selection has two time axes: when a rule of law is in force (the pack's
``effective_from``/``effective_to``, and dated parameters and rules inside it) and when an
encoding of that law was published (the version number). ``send-ap@1.0.0`` names a version
exactly (any status, drafts included): a logged decision replays under the version it recorded.
``send-ap`` alone, or no reference at all, means the newest *published* encoding that covers
``as_of`` (``effective_from <= as_of <= effective_to``) and that no other published version
covering ``as_of`` supersedes. Drafts and superseded versions are never chosen by default.
Published versions may overlap in time only along a ``supersedes`` chain (a corrected encoding
of the same law); otherwise an overlap is an error.
"""

from __future__ import annotations

import os
import re
import threading
from dataclasses import dataclass
from typing import Iterable
from datetime import date
from pathlib import Path

import yaml

from sendrules.dsl import ir
from sendrules.dsl.diagnostics import Diagnostic
from sendrules.dsl.pack import read_pack_files
from sendrules.dsl.pipeline import BuildResult, build_standard
from sendrules.dsl.yaml_source import FAST_SAFE_LOADER, load_yaml
from sendrules.engine import compile_cache
from sendrules.engine.errors import InputError, Problem, StandardsError
from sendrules import BUNDLED_STANDARDS

DEFAULT_PACK = "send-ap"
REFERENCE_PATTERN = re.compile(r"^(?P<id>[a-z][a-z0-9-]*)(@(?P<version>\d+\.\d+\.\d+(-[a-z0-9]+)?))?$")


@dataclass(frozen=True)
class VersionInfo:
    """What the manifest of one version says about it (read without building the pack)."""

    pack_id: str
    version: str
    status: str
    effective_from: date | None
    effective_to: date | None
    title: str
    folder: Path
    supersedes: str | None = None

    @property
    def reference(self) -> str:
        return f"{self.pack_id}@{self.version}"

    def in_force_on(self, day: date) -> bool:
        if self.effective_from is None:
            return False
        return self.effective_from <= day and (self.effective_to is None or day <= self.effective_to)

    def listing(self, sha256: str | None) -> dict[str, str | None]:
        """One row of ``sendrules standards`` and ``GET /v1/standards``."""
        return {
            "id": self.pack_id,
            "version": self.version,
            "status": self.status,
            "effective_from": self.effective_from.isoformat() if self.effective_from else None,
            "effective_to": self.effective_to.isoformat() if self.effective_to else None,
            "title": self.title,
            "sha256": sha256,
        }


def _replaces(newer: VersionInfo, older: VersionInfo, versions: list[VersionInfo]) -> bool:
    """Whether ``newer`` supersedes ``older``, directly or along a chain of ``supersedes``."""
    by_version = {info.version: info for info in versions if info.pack_id == newer.pack_id}
    seen: set[str] = set()
    current: VersionInfo | None = newer
    while current is not None and current.supersedes is not None and current.supersedes not in seen:
        if current.supersedes == older.version:
            return True
        seen.add(current.supersedes)
        current = by_version.get(current.supersedes)
    return False


def _newest_encodings(in_force: list[VersionInfo], versions: list[VersionInfo]) -> list[VersionInfo]:
    """The published versions covering one day that no other of them supersedes.

    A corrected encoding of the same law (``supersedes`` the older version) covers the same
    dates as the version it replaces; the newer one is used for new decisions."""
    return [
        info
        for info in in_force
        if not any(other is not info and _replaces(other, info, versions) for other in in_force)
    ]


def default_root() -> Path:
    """The standards root: ``$SENDRULES_STANDARDS`` if set, else the bundled packs."""
    configured = os.environ.get("SENDRULES_STANDARDS")
    return Path(configured) if configured else BUNDLED_STANDARDS


def parse_reference(reference: str) -> tuple[str, str | None]:
    """``"send-ap@1.0.0"`` -> ``("send-ap", "1.0.0")``; ``"send-ap"`` -> ``("send-ap", None)``."""
    match = REFERENCE_PATTERN.match(reference or "")
    if not match:
        raise InputError(
            "invalid_standards_reference",
            f"'{reference}' is not a standards reference",
            [Problem("standards", "expected ID or ID@VERSION, e.g. send-ap@1.0.0", field="standards")],
        )
    return match.group("id"), match.group("version")


#: What identifies the state of some files: (path, size, modification time) of each.
Signature = tuple[tuple[str, int, int], ...]


def _signature(paths: Iterable[Path]) -> Signature:
    """What changes when a file is edited: path, size and modification time of each."""
    signature = []
    for path in paths:
        try:
            stat = path.stat()
        except OSError:
            continue
        signature.append((str(path), stat.st_size, stat.st_mtime_ns))
    return tuple(signature)


class StandardsLibrary:
    """The packs under one root. Thread-safe.

    Reading a folder is cached by file signature (path, size, modification time), so a
    long-running service does not re-read unchanged standards for every request; compiled
    standards are cached by content hash, so an edited pack is rebuilt exactly when its content
    changes."""

    def __init__(self, root: Path | None = None, watch: bool = True) -> None:
        """``watch=False`` reads each folder once (for a long-running service: restart it to
        take up edited standards); by default edits are picked up on the next use."""
        self.root = Path(root) if root is not None else default_root()
        self.watch = watch
        self._versions: list[VersionInfo] | None = None
        self._lock = threading.Lock()
        self._compiled: dict[str, ir.CompiledStandard] = {}
        self._manifests: dict[Path, tuple[Signature, VersionInfo]] = {}
        self._folders: dict[Path, tuple[Signature, ir.CompiledStandard]] = {}

    # --- discovery ---------------------------------------------------------------------------

    def versions(self) -> list[VersionInfo]:
        """Every version folder under the root, sorted by pack id then effective date."""
        if not self.watch and self._versions is not None:
            return self._versions
        found = self._scan()
        if not self.watch:
            self._versions = found
        return found

    def _scan(self) -> list[VersionInfo]:
        found: list[VersionInfo] = []
        if not self.root.is_dir():
            return found
        for pack_dir in sorted(
            p for p in self.root.iterdir() if p.is_dir() and not p.name.startswith((".", "_"))
        ):
            for version_dir in sorted(
                p for p in pack_dir.iterdir() if p.is_dir() and not p.name.startswith((".", "_"))
            ):
                found.append(self._read_manifest(pack_dir.name, version_dir))
        return sorted(found, key=lambda v: (v.pack_id, v.effective_from or date.min, v.version))

    def _read_manifest(self, pack_id: str, folder: Path) -> VersionInfo:
        manifest = folder / "manifest.yaml"
        signature = _signature([manifest])
        cached = self._manifests.get(manifest)
        if cached is not None and cached[0] == signature:
            return cached[1]
        info = self._parse_manifest(pack_id, folder, manifest)
        with self._lock:
            self._manifests[manifest] = (signature, info)
        return info

    @staticmethod
    def _parse_manifest(pack_id: str, folder: Path, manifest: Path) -> VersionInfo:
        data = {}
        if manifest.is_file():
            try:
                loaded = yaml.load(manifest.read_text(encoding="utf-8"), Loader=FAST_SAFE_LOADER)
                data = loaded if isinstance(loaded, dict) else {}
            except (yaml.YAMLError, UnicodeDecodeError):
                data = {}

        def as_date(value: object) -> date | None:
            return value if isinstance(value, date) else None

        return VersionInfo(
            pack_id,
            folder.name,
            str(data.get("status", "unknown")),
            as_date(data.get("effective_from")),
            as_date(data.get("effective_to")),
            str(data.get("title", "")),
            folder,
            str(data["supersedes"]) if data.get("supersedes") is not None else None,
        )

    def display_name(self, folder: Path) -> str:
        try:
            return folder.relative_to(self.root).as_posix()
        except ValueError:
            return folder.as_posix()

    # --- building ----------------------------------------------------------------------------

    def build(self, info: VersionInfo) -> ir.CompiledStandard:
        """Build (or fetch from the cache) one version; raise ``StandardsError`` if it is invalid.

        The cache is keyed by the content hash, so an edited pack is rebuilt and an unchanged
        one is only read and hashed (and not even read while its files are untouched). Past this
        process, a pack built once on this machine is read back from the compiled-standards
        cache on disk (``engine.compile_cache``)."""
        known = self._folders.get(info.folder)
        if known is not None and not self.watch:
            return known[1]
        signature = _signature(sorted(p for p in info.folder.rglob("*") if p.is_file()))
        if known is not None and known[0] == signature:
            return known[1]
        display = self.display_name(info.folder)
        files, _ = read_pack_files(info.folder, display)
        content_sha256 = files.sha256()
        with self._lock:
            cached = self._compiled.get(content_sha256)
        if cached is None:  # built before on this machine? (engine/compile_cache.py)
            cached = compile_cache.load(content_sha256, display)
            if cached is not None:
                with self._lock:
                    cached = self._compiled.setdefault(content_sha256, cached)
        if cached is not None:
            with self._lock:
                self._folders[info.folder] = (signature, cached)
            return cached
        result = build_standard(info.folder, display)
        if result.standard is None:
            raise StandardsError(
                "invalid_standards",
                f"the standards {info.reference} do not build ({len(result.diagnostics)} problems)",
                [Problem(d.location(), f"{d.code}: {d.message}") for d in result.diagnostics],
                rendered=result.render(),
            )
        if result.standard.sha256 == content_sha256:  # (the files did not change while building)
            compile_cache.store(result.standard, display)
        with self._lock:
            standard = self._compiled.setdefault(result.standard.sha256, result.standard)
            self._folders[info.folder] = (signature, standard)
            return standard

    def check_all(self) -> list[tuple[VersionInfo, BuildResult]]:
        """Build every version, for ``sendrules check``."""
        return [
            (info, build_standard(info.folder, self.display_name(info.folder))) for info in self.versions()
        ]

    def overlap_diagnostics(self) -> list[Diagnostic]:
        """Published versions of one pack whose effective periods overlap."""
        diagnostics = []
        published: dict[str, list[VersionInfo]] = {}
        for info in self.versions():
            if info.status == "published" and info.effective_from is not None:
                published.setdefault(info.pack_id, []).append(info)
        everything = self.versions()
        for pack_id, infos in published.items():
            infos.sort(key=lambda v: v.effective_from or date.min)  # all have one (see above)
            for earlier, later in zip(infos, infos[1:]):
                if _replaces(later, earlier, everything) or _replaces(earlier, later, everything):
                    continue
                later_from = later.effective_from or date.min
                if earlier.effective_to is None or earlier.effective_to >= later_from:
                    manifest = later.folder / "manifest.yaml"
                    document, _ = load_yaml(
                        manifest.read_text(encoding="utf-8"),
                        self.display_name(later.folder) + "/manifest.yaml",
                    )
                    until = earlier.effective_to.isoformat() if earlier.effective_to else "no end date"
                    message = (
                        f"{later.reference} takes effect on {later.effective_from} while the "
                        f"published {earlier.reference} is still in force ({until})"
                    )
                    hint = (
                        f"give {earlier.reference} an effective_to before {later.effective_from}, "
                        "or mark one of them superseded"
                    )
                    if document is not None:
                        diagnostics.append(
                            document.diagnostic(
                                "overlapping_versions", message, ("effective_from",), hint=hint
                            )
                        )
                    else:
                        diagnostics.append(
                            Diagnostic(
                                "overlapping_versions",
                                message,
                                self.display_name(later.folder) + "/manifest.yaml",
                                hint=hint,
                            )
                        )
        return diagnostics

    # --- choosing ----------------------------------------------------------------------------

    def resolve(self, reference: str | None, as_of: date) -> ir.CompiledStandard:
        """The standard a decision uses: named exactly, or the published one in force on ``as_of``."""
        pack_id, version = parse_reference(reference) if reference else (DEFAULT_PACK, None)
        candidates = [info for info in self.versions() if info.pack_id == pack_id]
        if not candidates:
            known = sorted({info.pack_id for info in self.versions()})
            raise StandardsError(
                "unknown_standards",
                f"there is no standards pack '{pack_id}'",
                [Problem("standards", "known packs: " + (", ".join(known) or "none"), field="standards")],
            )
        if version is not None:
            chosen = next((info for info in candidates if info.version == version), None)
            if chosen is None:
                raise StandardsError(
                    "unknown_standards",
                    f"there is no version {version} of {pack_id}",
                    [
                        Problem(
                            "standards",
                            "known versions: " + ", ".join(i.version for i in candidates),
                            field="standards",
                        )
                    ],
                )
            return self.build(chosen)
        in_force = [info for info in candidates if info.status == "published" and info.in_force_on(as_of)]
        if not in_force:
            for info in candidates:  # a manifest that cannot be read: report its own errors, located
                if info.status not in ("draft", "published", "superseded") or info.effective_from is None:
                    self.build(info)
            raise StandardsError(
                "no_standards_in_force",
                f"no published version of {pack_id} is in force on {as_of.isoformat()}",
                [
                    Problem(
                        "as_of",
                        "versions: "
                        + ", ".join(f"{i.version} ({i.status}, from {i.effective_from})" for i in candidates),
                        field="as_of",
                    )
                ],
            )
        in_force = _newest_encodings(in_force, candidates)
        if len(in_force) > 1:
            raise StandardsError(
                "overlapping_versions",
                f"more than one published version of {pack_id} is in force on {as_of.isoformat()}: "
                + ", ".join(i.version for i in in_force),
                [
                    Problem(
                        "standards",
                        "name the version explicitly, or fix the effective dates",
                        field="standards",
                    )
                ],
            )
        return self.build(in_force[0])
