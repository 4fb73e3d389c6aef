"""Run policy officers' scenarios against the standards: ``sendrules test [ID@VERSION]``.

Feature files live in ``<features>/<pack id>/**/*.feature``. A scenario says which versions of
the pack it applies to with tags ``@v<version>`` (``@v1.0.0 @v1.1.0 @v2.0.0-draft``), on the
scenario, its ``Rule:`` or its ``Feature:``. For each version tested the runner runs pytest
in-process on the feature files concerned, with the plugin of ``plugin.py``: it collects the
scenarios tagged for that version as tests, runs their steps (the pack's phrasebook and the
generic phrases of ``steps.py``) and records each one's outcome, the step that failed and why,
and what its checks exercised. The project's own pytest settings, conftest files and installed
pytest plugins do not apply to that run.

Each version is named exactly in every request (``send-ap@2.0.0-draft``), so drafts and
superseded versions are tested as well as the version in force. Problems with the scenarios
themselves (a scenario with no version tag, two scenarios with one name, a version with no
scenario at all) are reported and fail the run; a feature file that does not parse, or a
phrasebook with problems, is invalid input.
"""

from __future__ import annotations

import contextlib
import io
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import pytest

from sendrules import BUNDLED_STANDARDS
from sendrules.engine.errors import InputError, Problem, StandardsError
from sendrules.engine.library import StandardsLibrary, VersionInfo, parse_reference
from sendrules.engine.service import DecisionService
from sendrules.scenarios import bundled_features
from sendrules.scenarios.coverage import VersionCoverage, measure
from sendrules.scenarios.features import FeatureFile, read_feature_file
from sendrules.scenarios.phrasebook import PHRASEBOOK_FILE, Phrasebook, load_phrasebook, read_vocabulary
from sendrules.scenarios.plugin import ScenarioPlugin, ScenarioResult

__all__ = ["ScenarioResult", "VersionRun", "TestReport", "read_features", "pack_phrasebook", "run_features"]


@dataclass
class VersionRun:
    reference: str
    status: str
    scenarios: list[ScenarioResult] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    coverage: VersionCoverage | None = None

    @property
    def passed(self) -> int:
        return sum(1 for result in self.scenarios if result.passed)

    @property
    def failed(self) -> int:
        return len(self.scenarios) - self.passed

    @property
    def ok(self) -> bool:
        return self.failed == 0 and not self.errors

    def to_dict(self) -> dict[str, Any]:
        return {
            "standards": self.reference,
            "status": self.status,
            "summary": {"scenarios": len(self.scenarios), "passed": self.passed, "failed": self.failed},
            "scenarios": [result.to_dict() for result in self.scenarios],
            "errors": self.errors,
            "coverage": self.coverage.to_dict() if self.coverage is not None else None,
        }


@dataclass
class TestReport:
    features: str
    runs: list[VersionRun] = field(default_factory=list)
    #: Mistakes in the feature files (fail the run).
    problems: list[str] = field(default_factory=list)
    #: Things worth knowing that do not fail the run.
    notes: list[str] = field(default_factory=list)

    __test__ = False  # not a pytest test class

    @property
    def scenarios(self) -> int:
        return sum(len(run.scenarios) for run in self.runs)

    @property
    def failed(self) -> int:
        return sum(run.failed for run in self.runs)

    def coverage_full(self) -> bool:
        return all(run.coverage is not None and run.coverage.full for run in self.runs)

    def ok(self, require_full_coverage: bool = False) -> bool:
        if self.problems or not all(run.ok for run in self.runs):
            return False
        return self.coverage_full() if require_full_coverage else True

    def to_dict(self, require_full_coverage: bool = False) -> dict[str, Any]:
        return {
            "ok": self.ok(require_full_coverage),
            "features": self.features,
            "summary": {
                "versions": len(self.runs),
                "scenarios": self.scenarios,
                "passed": self.scenarios - self.failed,
                "failed": self.failed,
            },
            "versions": [run.to_dict() for run in self.runs],
            "problems": self.problems,
            "notes": self.notes,
        }


def read_features(root: Path, packs: list[str]) -> tuple[dict[Path, FeatureFile], list[str]]:
    """Every feature file of the packs (by absolute path), and the mistakes found in them.

    A file that does not parse is an ``InputError`` naming the file and line."""
    files: dict[Path, FeatureFile] = {}
    problems: list[str] = []
    for pack in packs:
        for path in sorted((root / pack).rglob("*.feature")):
            feature = read_feature_file(path, path.relative_to(root).as_posix())
            files[path.resolve()] = feature
            problems.extend(feature.problems)
    return files, problems


def pack_phrasebook(library: StandardsLibrary, pack_id: str) -> tuple[Phrasebook, str | None]:
    """The phrasebook of ``pack_id`` in the library, checked against each of its versions; and a
    note when the library has none and the bundled pack's is used instead. A phrasebook with
    problems is a ``StandardsError`` listing them."""
    pack_folder = library.root / pack_id
    note = None
    bundled = Path(BUNDLED_STANDARDS) / pack_id
    if (
        not (pack_folder / PHRASEBOOK_FILE).is_file()
        and (bundled / PHRASEBOOK_FILE).is_file()
        and pack_folder.resolve() != bundled.resolve()
    ):
        # A working copy of some versions only: the bundled pack's phrasebook, checked against
        # the bundled versions it was written for.
        note = (
            f"{pack_folder} has no {PHRASEBOOK_FILE}; the phrases of the bundled {pack_id} were used "
            f"(copy the whole pack folder to change them)"
        )
        pack_folder, library = bundled, StandardsLibrary(BUNDLED_STANDARDS)
    versions = [info for info in library.versions() if info.pack_id == pack_id]
    display = f"{pack_id}/{PHRASEBOOK_FILE}"
    result = load_phrasebook(
        pack_folder, display, [(info.version, read_vocabulary(info.folder)) for info in versions]
    )
    if result.phrasebook is None:
        raise StandardsError(
            "invalid_phrasebook",
            f"the phrasebook of {pack_id} has {len(result.diagnostics)} problem(s)",
            [Problem(d.location(), f"{d.code}: {d.message}") for d in result.diagnostics],
            rendered="\n\n".join(d.render(result.source) for d in result.diagnostics),
        )
    return result.phrasebook, note


def scenario_phrases(library: StandardsLibrary, pack_id: str, version: str) -> dict[str, list[str]]:
    """For ``sendrules docs``: event type -> the example steps of the phrases that apply to it in
    ``version``. A phrasebook with problems is left out, with a warning on stderr."""
    import sys

    try:
        phrasebook, _ = pack_phrasebook(library, pack_id)
    except StandardsError as error:
        print(
            f"warning: {error.message}; run sendrules check. Its phrases are left out of the document.",
            file=sys.stderr,
        )
        return {}
    phrases: dict[str, list[str]] = {}
    for pack_phrase in phrasebook.phrases:
        if version in pack_phrase.versions:
            phrases.setdefault(pack_phrase.event_type, []).append(f"Given {pack_phrase.example}")
    return phrases


# --- running ---------------------------------------------------------------------------------

#: An empty pytest configuration: the project's settings (if any) must not apply to the run.
_PYTEST_INI = resources.files("sendrules.scenarios") / "pytest.ini"


def run_version(
    reference: str,
    files: dict[Path, FeatureFile],
    root: Path,
    phrasebook: Phrasebook,
    service: DecisionService,
) -> tuple[list[ScenarioResult], list[str]]:
    """Run the scenarios of ``files`` tagged for ``reference`` (``pack@version``) in-process."""
    plugin = ScenarioPlugin(reference, files, phrasebook, service)
    with resources.as_file(_PYTEST_INI) as ini:
        arguments = [
            *(str(path) for path in files),
            "-c",
            str(ini),
            "--rootdir",
            str(root.resolve()),
            "--noconftest",
            "--disable-plugin-autoload",
            "-p",
            "no:cacheprovider",
            "-q",
            "--no-header",
            "-p",
            "no:stepwise",
        ]
        output = io.StringIO()
        with contextlib.redirect_stdout(output):
            code = pytest.main(arguments, plugins=[plugin])
    if (
        code not in (pytest.ExitCode.OK, pytest.ExitCode.TESTS_FAILED, pytest.ExitCode.NO_TESTS_COLLECTED)
        and not plugin.errors
    ):
        raise RuntimeError(
            f"pytest stopped with exit code {int(code)}:\n{_last_lines(output.getvalue(), 20)}"
        )
    results = sorted(plugin.results, key=lambda r: (r.feature, r.line, r.name))
    return results, plugin.errors


def _last_lines(text: str, count: int = 8) -> str:
    lines = [line for line in text.strip().splitlines() if line.strip()]
    return "\n".join(lines[-count:])


def run_features(
    target: str | None = None,
    *,
    features_dir: Path | None = None,
    standards_dir: Path | None = None,
    coverage: bool = False,
) -> TestReport:
    """Run the scenarios for ``target`` (``ID@VERSION``, ``ID``, or None for every version of
    every pack that has scenarios). Raises ``InputError``/``StandardsError`` for invalid input."""
    root = Path(features_dir) if features_dir is not None else bundled_features()
    if not root.is_dir():
        raise InputError(
            "not_a_folder",
            f"the features folder {root} does not exist",
            [Problem("--features", "expected a folder holding <pack id>/*.feature", field="features")],
        )
    if standards_dir is not None and not Path(standards_dir).is_dir():
        raise InputError(
            "not_a_folder",
            f"the standards folder {standards_dir} does not exist",
            [
                Problem(
                    "--standards-dir", "expected a folder holding <pack id>/<version>/", field="standards_dir"
                )
            ],
        )
    pack_wanted, version_wanted = parse_reference(target) if target else (None, None)
    library = StandardsLibrary(standards_dir)
    available = sorted(p.name for p in root.iterdir() if p.is_dir() and any(p.rglob("*.feature")))
    report = TestReport(features=str(root))

    if pack_wanted is not None:
        if pack_wanted not in available:
            raise InputError(
                "no_features",
                f"there are no scenarios for {pack_wanted} under {root}",
                [Problem("--features", "packs with scenarios: " + (", ".join(available) or "none"))],
            )
        packs = [pack_wanted]
    else:
        packs = list(available)
        if not packs:
            raise InputError(
                "no_features",
                f"there are no feature files under {root}",
                [Problem("--features", "expected <pack id>/*.feature")],
            )

    versions_by_pack: dict[str, list[VersionInfo]] = {}
    for info in library.versions():
        versions_by_pack.setdefault(info.pack_id, []).append(info)
    plan: list[VersionInfo] = []
    for pack in list(packs):
        known = versions_by_pack.get(pack, [])
        if not known:
            if pack_wanted is not None:
                known_packs = ", ".join(sorted(versions_by_pack)) or "none"
                raise StandardsError(
                    "unknown_standards",
                    f"there is no standards pack '{pack}' in {library.root}",
                    [Problem("standards", f"known packs: {known_packs}")],
                )
            report.notes.append(f"{pack}: scenarios exist but {library.root} has no pack {pack}; not tested")
            packs.remove(pack)
            continue
        if version_wanted is not None:
            chosen = [info for info in known if info.version == version_wanted]
            if not chosen:
                raise StandardsError(
                    "unknown_standards",
                    f"there is no version {version_wanted} of {pack}",
                    [Problem("standards", "known versions: " + ", ".join(i.version for i in known))],
                )
            plan.extend(chosen)
        else:
            plan.extend(known)
    if not plan:
        raise StandardsError("unknown_standards", f"none of the packs with scenarios is in {library.root}")
    standards = [library.build(info) for info in plan]  # StandardsError when a pack does not build

    files, report.problems = read_features(root, packs)
    pack_of = {path: path.relative_to(root.resolve()).parts[0] for path in files}
    phrasebooks: dict[str, Phrasebook] = {}
    for pack in packs:
        phrasebooks[pack], note = pack_phrasebook(library, pack)
        if note:
            report.notes.append(note)
        tagged = {
            version
            for path, feature in files.items()
            if pack_of[path] == pack
            for scenario in feature.scenarios
            for version in scenario.versions
        }
        for version in sorted(tagged - {info.version for info in versions_by_pack[pack]}):
            report.notes.append(
                f"{pack}: scenarios are tagged @v{version}, but {library.root} has no version "
                f"{version} of {pack}; they were not run"
            )

    service = DecisionService(StandardsLibrary(standards_dir, watch=False))
    for info, standard in zip(plan, standards):
        run = VersionRun(info.reference, info.status)
        chosen = {
            path: feature
            for path, feature in files.items()
            if pack_of[path] == info.pack_id
            and any(info.version in scenario.versions for scenario in feature.scenarios)
        }
        if chosen:
            run.scenarios, run.errors = run_version(
                info.reference, chosen, root, phrasebooks[info.pack_id], service
            )
        if not run.scenarios and not run.errors:
            report.problems.append(
                f"{info.reference}: no scenario is tagged @v{info.version}, so nothing was tested "
                f"for it; tag the scenarios that hold for it with @v{info.version}"
            )
        if coverage:
            run.coverage = measure(
                standard, [record for result in run.scenarios for record in result.exercised]
            )
        report.runs.append(run)
    return report
