"""The pytest plugin that runs policy officers' scenarios: feature files collected as tests.

``sendrules test`` runs pytest once per version under test with a ``ScenarioPlugin``. Its
``pytest_collect_file`` hook turns each ``.feature`` file into a ``FeatureFileCollector``, which
yields one ``ScenarioItem`` per scenario tagged for the version (one per example row of a
Scenario Outline). An item runs its steps through ``steps.run_step`` against a fresh journey,
and records its outcome, the step that failed and why, and what its checks exercised, in the
plugin's ``results``. pytest does the rest: collection, running, reporting.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from sendrules.engine.errors import EngineError
from sendrules.engine.service import DecisionService
from sendrules.scenarios.features import FeatureFile, Scenario, Step
from sendrules.scenarios.phrasebook import Phrasebook
from sendrules.scenarios.steps import ScenarioFailure, ScenarioJourney, run_step


@dataclass
class ScenarioResult:
    """What happened to one scenario."""

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

    def failed(self, step: Step | None, message: str) -> None:
        self.outcome = "failed"
        self.step = step.written if step is not None else None
        self.step_line = step.line if step is not None else None
        self.message = message

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "feature": self.feature,
            "scenario": self.name,
            "line": self.line,
            "outcome": self.outcome,
        }
        if not self.passed:
            data["failed_step"] = {"text": self.step, "line": self.step_line} if self.step else None
            data["message"] = self.message
        return data


class ScenarioPlugin:
    """Collects the scenarios of ``features`` tagged for ``version`` and records each outcome."""

    def __init__(
        self,
        reference: str,
        features: dict[Path, FeatureFile],
        phrasebook: Phrasebook,
        service: DecisionService,
    ) -> None:
        self.reference = reference
        self.version = reference.split("@", 1)[1]
        self.features = features
        self.phrasebook = phrasebook
        self.service = service
        self.results: list[ScenarioResult] = []
        self.errors: list[str] = []

    def pytest_collect_file(self, file_path: Path, parent: pytest.Collector):
        if file_path.suffix == ".feature" and file_path in self.features:
            return FeatureFileCollector.from_parent(parent, path=file_path, plugin=self)
        return None

    def pytest_collectreport(self, report: pytest.CollectReport) -> None:
        if report.failed:
            self.errors.append(_last_lines(str(report.longrepr), 15))

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        """A failure outside a scenario's steps (pytest's own setup or teardown)."""
        if report.failed and report.when != "call":
            self.errors.append(f"{report.nodeid} ({report.when}): {_last_lines(str(report.longrepr))}")


class FeatureFileCollector(pytest.File):
    """A feature file: one item per scenario tagged for the version under test."""

    def __init__(self, *, plugin: ScenarioPlugin, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.plugin = plugin

    def collect(self):
        feature = self.plugin.features[self.path]
        for scenario in feature.scenarios:
            if self.plugin.version in scenario.versions:
                yield ScenarioItem.from_parent(self, name=scenario.name, scenario=scenario, feature=feature)


class StepFailed(Exception):
    """A step of a scenario failed; the result says which and why."""


class ScenarioItem(pytest.Item):
    """One scenario run as a test."""

    def __init__(self, *, scenario: Scenario, feature: FeatureFile, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.scenario = scenario
        self.feature = feature
        self.result = ScenarioResult(feature.display, scenario.name, scenario.line)

    @property
    def plugin(self) -> ScenarioPlugin:
        return self.parent.plugin  # type: ignore[union-attr]

    def runtest(self) -> None:
        plugin = self.plugin
        plugin.results.append(self.result)
        journey = ScenarioJourney(plugin.reference, plugin.service, plugin.phrasebook)
        try:
            for step in self.scenario.steps:
                try:
                    if step.kind is None:
                        raise ScenarioFailure(
                            f'"{step.keyword}" has no step before it to continue: start the '
                            "scenario with Given, When or Then"
                        )
                    run_step(
                        journey,
                        step.kind,
                        step.text,
                        [list(row) for row in step.table] if step.table else None,
                    )
                except Exception as error:  # noqa: BLE001 -- every failure is reported with its step
                    self.result.failed(step, describe_exception(error))
                    raise StepFailed(self.result.message) from error
        finally:
            self.result.exercised = list(journey.exercised)

    def repr_failure(self, excinfo, style=None):
        if isinstance(excinfo.value, StepFailed):
            return f"line {self.result.step_line}: {self.result.step}\n{self.result.message}"
        return super().repr_failure(excinfo, style=style)

    def reportinfo(self):
        return self.path, self.scenario.line - 1, f"{self.feature.display}: {self.name}"


def describe_exception(exception: BaseException) -> str:
    if isinstance(exception, ScenarioFailure):
        return str(exception)
    if isinstance(exception, EngineError):
        return exception.describe()
    return f"{type(exception).__name__}: {exception} (an error in the step definitions)"


def _last_lines(text: str, count: int = 8) -> str:
    lines = [line for line in text.strip().splitlines() if line.strip()]
    return "\n".join(lines[-count:])
