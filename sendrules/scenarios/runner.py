"""Run policy officers' scenarios against the standards: ``sendrules test [ID@VERSION]``.

Feature files live in ``<features>/<pack id>/**/*.feature``. A scenario says which versions of
the pack it applies to with tags ``@v<version>`` (``@v1.0.0 @v1.1.0 @v2.0.0-draft``), on the
scenario, its ``Rule:`` or its ``Feature:``. For each version tested, the runner writes a small
test module into a temporary folder (it imports ``features.steps`` and calls
``pytest_bdd.scenarios`` for the feature files concerned), runs it in-process with
``pytest.main`` under a plugin that keeps only the scenarios tagged for that version and
records each one's outcome, the step that failed and why, and what its checks exercised.

Each version is named exactly in every request (``send-ap@2.0.0-draft``), so drafts and
superseded versions are tested as well as the version in force. Problems with the scenarios
themselves (a scenario with no version tag, two scenarios with one name) are reported and fail
the run; a feature file that does not parse is invalid input.
"""

from __future__ import annotations

import contextlib
import difflib
import io
import re
import sys
import tempfile
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from sendrules.engine.errors import EngineError, InputError, Problem, StandardsError
from sendrules.engine.library import StandardsLibrary, VersionInfo, parse_reference
from sendrules.scenarios import bundled_features
from sendrules.scenarios.coverage import VersionCoverage, measure

VERSION_TAG = re.compile(r"^v(?P<version>\d+\.\d+\.\d+(?:-[a-z0-9]+)?)$")


# --- what the feature files hold -------------------------------------------------------------


@dataclass(frozen=True)
class ScenarioInfo:
    pack: str
    file: Path
    feature: str  # the file, relative to the features folder: send-ap/assessment.feature
    name: str
    line: int
    versions: frozenset[str]


@dataclass
class ScenarioResult:
    feature: str
    name: str
    line: int
    outcome: str = "passed"  # passed | failed
    step: str | None = None  # the step that failed, as written: Then the duty ...
    step_line: int | None = None
    message: str | None = None
    exercised: list = field(default_factory=list)

    @property
    def passed(self) -> bool:
        return self.outcome == "passed"

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"feature": self.feature, "scenario": self.name, "line": self.line,
                                "outcome": self.outcome}
        if not self.passed:
            data["failed_step"] = {"text": self.step, "line": self.step_line} if self.step else None
            data["message"] = self.message
        return data


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
        return {"standards": self.reference, "status": self.status,
                "summary": {"scenarios": len(self.scenarios), "passed": self.passed, "failed": self.failed},
                "scenarios": [result.to_dict() for result in self.scenarios],
                "errors": self.errors,
                "coverage": self.coverage.to_dict() if self.coverage is not None else None}


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
        return {"ok": self.ok(require_full_coverage), "features": self.features,
                "summary": {"versions": len(self.runs), "scenarios": self.scenarios,
                            "passed": self.scenarios - self.failed, "failed": self.failed},
                "versions": [run.to_dict() for run in self.runs],
                "problems": self.problems, "notes": self.notes}


def read_features(root: Path, packs: list[str]) -> tuple[list[ScenarioInfo], list[str]]:
    """Every scenario of the packs' feature files, and the mistakes found in them.

    A file that does not parse is an ``InputError`` naming the file and line."""
    from pytest_bdd.exceptions import GherkinParseError
    from pytest_bdd.gherkin_parser import get_gherkin_document
    from pytest_bdd.parser import FeatureParser

    scenarios: list[ScenarioInfo] = []
    problems: list[str] = []
    for pack in packs:
        for path in sorted((root / pack).rglob("*.feature")):
            display = path.relative_to(root).as_posix()
            try:
                feature = FeatureParser(str(path.parent), path.name).parse()
                document = get_gherkin_document(str(path))
            except GherkinParseError as error:
                where = f"{display}:{error.line}"
                raise InputError("invalid_feature", f"{display} is not a valid feature file",
                                 [Problem(where, f"{error.message} ({error.line_content.strip()})")]) from None
            except (OSError, UnicodeDecodeError) as error:
                raise InputError("invalid_feature", f"cannot read {display}: {error}") from None
            names = [child.scenario.name for child in document.feature.children if child.scenario]
            for rule in (child.rule for child in document.feature.children if child.rule):
                names.extend(child.scenario.name for child in rule.children if child.scenario)
            for name in sorted({name for name in names if names.count(name) > 1}):
                problems.append(f'{display}: two scenarios are called "{name}"; give each scenario its own name')
            for template in feature.scenarios.values():
                tags = set(template.tags) | set(feature.tags) | (set(template.rule.tags) if template.rule else set())
                versions = frozenset(m["version"] for tag in tags if (m := VERSION_TAG.match(tag)))
                info = ScenarioInfo(pack, path, display, template.name, template.line_number, versions)
                if any(VERSION_TAG.match(tag) for examples in template.examples for tag in examples.tags):
                    problems.append(f'{display}:{template.line_number}: "{template.name}" has version tags on '
                                    "its Examples; tag the scenario (or its Rule or Feature) instead")
                if not versions:
                    problems.append(f'{display}:{template.line_number}: the scenario "{template.name}" says no '
                                    "version it applies to; tag it (or its feature) with e.g. @v1.1.0")
                scenarios.append(info)
    return scenarios, problems


# --- running ---------------------------------------------------------------------------------

_MODULE = '''"""Generated by features.runner for {reference}; deleted after the run."""
import pytest
from pytest_bdd import scenarios

from sendrules.scenarios.steps import *  # noqa: F401,F403  the step definitions and their fixtures


@pytest.fixture(scope="session")
def standards_reference():
    return {reference!r}


@pytest.fixture(scope="session")
def standards_dir():
    return {standards_dir!r}


scenarios(*{files!r})
'''

_TAGS = "__sendrules_tags__"


class _Collector:
    """A pytest plugin: keeps the scenarios tagged for one version and records their outcomes."""

    def __init__(self, version_tag: str, root: Path) -> None:
        self.version_tag = version_tag
        self.root = root
        self.results: dict[str, ScenarioResult] = {}
        self.errors: list[str] = []

    @pytest.hookimpl(tryfirst=True)
    def pytest_bdd_apply_tag(self, tag, function):
        """Tags choose versions; they are not pytest marks."""
        tags = getattr(function, _TAGS, set())
        setattr(function, _TAGS, tags | {tag})
        return True

    def pytest_collection_modifyitems(self, session, config, items):
        keep, drop = [], []
        for item in items:
            tags = getattr(getattr(item, "function", None), _TAGS, set())
            (keep if self.version_tag in tags else drop).append(item)
        if drop:
            config.hook.pytest_deselected(items=drop)
            items[:] = keep

    def _result(self, node, feature=None, scenario=None) -> ScenarioResult:
        result = self.results.get(node.nodeid)
        if result is None:
            if scenario is not None:
                name = scenario.name
                callspec = getattr(node, "callspec", None)
                if callspec is not None:
                    name += f" [{callspec.id}]"
                try:
                    display = Path(feature.filename).relative_to(self.root).as_posix()
                except ValueError:
                    display = feature.filename
                result = ScenarioResult(display, name, scenario.line_number)
            else:
                result = ScenarioResult("", node.nodeid, 0)
            self.results[node.nodeid] = result
        return result

    def pytest_bdd_before_scenario(self, request, feature, scenario):
        self._result(request.node, feature, scenario)

    def pytest_bdd_step_error(self, request, feature, scenario, step, step_func, step_func_args, exception):
        self._failed(self._result(request.node, feature, scenario), step, describe_exception(exception))

    def pytest_bdd_step_func_lookup_error(self, request, feature, scenario, step, exception):
        self._failed(self._result(request.node, feature, scenario), step, undefined_step_message(step))

    @staticmethod
    def _failed(result: ScenarioResult, step, message: str) -> None:
        result.outcome = "failed"
        result.step = f"{step.keyword.strip()} {step.name}"
        result.step_line = step.line_number
        result.message = message

    def pytest_bdd_after_scenario(self, request, feature, scenario):
        from sendrules.scenarios.steps import JOURNEY_KEY

        state = request.node.stash.get(JOURNEY_KEY, None)
        self._result(request.node, feature, scenario).exercised = list(state.exercised) if state else []

    def pytest_runtest_logreport(self, report):
        if report.failed:
            result = self.results.get(report.nodeid) or ScenarioResult("", report.nodeid, 0)
            self.results[report.nodeid] = result
            if result.outcome != "failed":
                result.outcome = "failed"
                result.message = _last_lines(report.longreprtext)

    def pytest_collectreport(self, report):
        if report.failed:
            self.errors.append(_last_lines(report.longreprtext, 15))


def describe_exception(exception: BaseException) -> str:
    from sendrules.scenarios.steps import ScenarioFailure

    if isinstance(exception, ScenarioFailure):
        return str(exception)
    if isinstance(exception, EngineError):
        return exception.describe()
    return f"{type(exception).__name__}: {exception} (an error in the step definitions)"


def undefined_step_message(step) -> str:
    """Why a step matched no phrase, in plain words, with the nearest phrases."""
    from sendrules.scenarios.steps import PHRASES

    keyword = step.type.capitalize()
    elsewhere = [p for p in PHRASES if p.keyword != keyword and re.fullmatch(p.pattern, step.name)]
    if elsewhere:
        return (f'"{step.name}" is a {elsewhere[0].keyword} phrase, but here it is read as a {keyword} step '
                f"(a step starting with And or But takes the kind of the step before it); move it among the "
                f"{elsewhere[0].keyword} steps")
    examples = [p.example for p in PHRASES if p.keyword == keyword]
    close = difflib.get_close_matches(step.name, examples, n=3, cutoff=0.6)
    message = f'undefined step: no {keyword} phrase matches "{step.name}"'
    if close:
        message += "; did you mean:\n" + "\n".join(f"  {keyword} {example}" for example in close)
    return message + "\n(the phrases are listed in docs/features.md)"


def _last_lines(text: str, count: int = 8) -> str:
    lines = [line for line in text.strip().splitlines() if line.strip()]
    return "\n".join(lines[-count:])


def run_version(reference: str, files: list[Path], root: Path,
                standards_dir: Path | None) -> tuple[list[ScenarioResult], list[str]]:
    """Run the scenarios of ``files`` tagged for ``reference`` (``pack@version``) in-process."""
    from pytest_bdd import feature as feature_cache

    version = reference.split("@", 1)[1]
    collector = _Collector(f"v{version}", root)
    for path in files:  # pytest-bdd caches parsed files by path; read them afresh
        feature_cache.features.pop(str(path.resolve()), None)
    with tempfile.TemporaryDirectory(prefix="sendrules-test-") as folder:
        tmp = Path(folder)
        name = f"test_sendrules_{uuid.uuid4().hex}"
        module = tmp / f"{name}.py"
        module.write_text(_MODULE.format(reference=reference, files=[str(p.resolve()) for p in files],
                                         standards_dir=str(standards_dir.resolve()) if standards_dir else None),
                          encoding="utf-8")
        ini = tmp / "pytest.ini"
        ini.write_text("[pytest]\n", encoding="utf-8")  # the project's pytest settings do not apply
        arguments = [str(module), "-c", str(ini), "--rootdir", str(tmp), "--import-mode=importlib",
                     "--disable-plugin-autoload", "-p", "pytest_bdd.plugin", "-p", "no:cacheprovider",
                     "-q", "--no-header", "-W", "ignore::pytest.PytestUnknownMarkWarning"]
        output = io.StringIO()
        try:
            with contextlib.redirect_stdout(output):
                code = pytest.main(arguments, plugins=[collector])
        finally:
            sys.modules.pop(name, None)
    if code not in (pytest.ExitCode.OK, pytest.ExitCode.TESTS_FAILED, pytest.ExitCode.NO_TESTS_COLLECTED) \
            and not collector.errors:
        raise RuntimeError(f"pytest stopped with exit code {int(code)}:\n{_last_lines(output.getvalue(), 20)}")
    results = sorted(collector.results.values(), key=lambda r: (r.feature, r.line, r.name))
    return results, collector.errors


def run_features(target: str | None = None, *, features_dir: Path | None = None,
                 standards_dir: Path | None = None, coverage: bool = False) -> TestReport:
    """Run the scenarios for ``target`` (``ID@VERSION``, ``ID``, or None for every version of
    every pack that has scenarios). Raises ``InputError``/``StandardsError`` for invalid input."""
    root = Path(features_dir) if features_dir is not None else bundled_features()
    if not root.is_dir():
        raise InputError("not_a_folder", f"the features folder {root} does not exist",
                         [Problem("--features", "expected a folder holding <pack id>/*.feature", field="features")])
    if standards_dir is not None and not Path(standards_dir).is_dir():
        raise InputError("not_a_folder", f"the standards folder {standards_dir} does not exist",
                         [Problem("--standards-dir", "expected a folder holding <pack id>/<version>/",
                                  field="standards_dir")])
    pack_wanted, version_wanted = parse_reference(target) if target else (None, None)
    library = StandardsLibrary(standards_dir)
    available = sorted(p.name for p in root.iterdir() if p.is_dir() and any(p.rglob("*.feature")))
    report = TestReport(features=str(root))

    if pack_wanted is not None:
        if pack_wanted not in available:
            raise InputError("no_features", f"there are no scenarios for {pack_wanted} under {root}",
                             [Problem("--features", "packs with scenarios: " + (", ".join(available) or "none"))])
        packs = [pack_wanted]
    else:
        packs = list(available)
        if not packs:
            raise InputError("no_features", f"there are no feature files under {root}",
                             [Problem("--features", "expected <pack id>/*.feature")])

    versions_by_pack: dict[str, list[VersionInfo]] = {}
    for info in library.versions():
        versions_by_pack.setdefault(info.pack_id, []).append(info)
    plan: list[VersionInfo] = []
    for pack in list(packs):
        known = versions_by_pack.get(pack, [])
        if not known:
            if pack_wanted is not None:
                known_packs = ", ".join(sorted(versions_by_pack)) or "none"
                raise StandardsError("unknown_standards", f"there is no standards pack '{pack}' in {library.root}",
                                     [Problem("standards", f"known packs: {known_packs}")])
            report.notes.append(f"{pack}: scenarios exist but {library.root} has no pack {pack}; not tested")
            packs.remove(pack)
            continue
        if version_wanted is not None:
            chosen = [info for info in known if info.version == version_wanted]
            if not chosen:
                raise StandardsError("unknown_standards", f"there is no version {version_wanted} of {pack}",
                                     [Problem("standards", "known versions: " + ", ".join(i.version for i in known))])
            plan.extend(chosen)
        else:
            plan.extend(known)
    if not plan:
        raise StandardsError("unknown_standards", f"none of the packs with scenarios is in {library.root}")
    standards = [library.build(info) for info in plan]  # StandardsError when a pack does not build

    scenarios, report.problems = read_features(root, packs)
    for pack in packs:
        tagged = {version for s in scenarios if s.pack == pack for version in s.versions}
        for version in sorted(tagged - {info.version for info in versions_by_pack[pack]}):
            report.notes.append(f"{pack}: scenarios are tagged @v{version}, but {library.root} has no version "
                                f"{version} of {pack}; they were not run")

    for info, standard in zip(plan, standards):
        run = VersionRun(info.reference, info.status)
        chosen = [s for s in scenarios if s.pack == info.pack_id and info.version in s.versions]
        files = sorted({s.file for s in chosen})
        if files:
            run.scenarios, run.errors = run_version(info.reference, files, root, standards_dir)
        else:
            report.notes.append(f"{info.reference}: no scenario is tagged @v{info.version}")
        if coverage:
            run.coverage = measure(standard, [record for result in run.scenarios for record in result.exercised])
        report.runs.append(run)
    return report
