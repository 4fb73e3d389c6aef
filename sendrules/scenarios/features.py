"""Reading feature files: their scenarios, the versions each is tagged for, and their steps.

A feature file is read with the official Gherkin parser (``gherkin-official``, the Cucumber
project's), which also compiles each scenario into the steps it runs: the feature's and the
rule's ``Background`` first, a ``Scenario Outline`` once per row of its ``Examples`` with the
row's values put in, ``And``/``But`` taking the kind of the step before them.

A scenario applies to the versions named by ``@v<version>`` tags on the scenario, its ``Rule:``
or its ``Feature:`` (they add up). Mistakes in the scenarios themselves -- a scenario with no
version tag, two scenarios with one name, version tags on ``Examples`` -- are problems the
runner reports; a file that is not valid Gherkin is invalid input (``InputError``), named with
its line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from gherkin import Compiler, Parser
from gherkin.errors import CompositeParserException, ParserError, ParserException

from sendrules.engine.errors import InputError, Problem

VERSION_TAG = re.compile(r"^@?v(?P<version>\d+\.\d+\.\d+(?:-[a-z0-9]+)?)$")
#: What a compiled step's type means; "Unknown" is a scenario that starts with And or But.
STEP_KINDS = {"Context": "Given", "Action": "When", "Outcome": "Then"}


@dataclass(frozen=True)
class Step:
    """One step as a scenario runs it."""

    keyword: str  # as written: Given, When, Then, And, But, *
    kind: str | None  # Given, When or Then (None: no step before an And to take it from)
    text: str
    line: int
    table: tuple[tuple[str, ...], ...] | None = None

    @property
    def written(self) -> str:
        return f"{self.keyword} {self.text}"


@dataclass(frozen=True)
class Scenario:
    """One runnable scenario: a Scenario, or one example row of a Scenario Outline."""

    name: str  # for the report: "Around the due date [17 February 2025-met]"
    line: int  # of the Scenario (or Scenario Outline) line
    versions: frozenset[str]
    steps: tuple[Step, ...]


@dataclass
class FeatureFile:
    path: Path
    display: str  # relative to the features folder: send-ap/assessment.feature
    scenarios: list[Scenario] = field(default_factory=list)
    #: Mistakes in the file's scenarios (they fail the run).
    problems: list[str] = field(default_factory=list)


def read_feature_file(path: Path, display: str) -> FeatureFile:
    """Read and compile one feature file; ``InputError`` if it is not valid Gherkin."""
    try:
        text = path.read_bytes().decode("utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise InputError("invalid_feature", f"cannot read {display}: {error}") from None
    try:
        document = Parser().parse(text)
    except (CompositeParserException, ParserException) as error:
        first = error.errors[0] if isinstance(error, CompositeParserException) else error
        line = first.location["line"]
        lines = text.splitlines()
        content = lines[line - 1].strip() if 0 < line <= len(lines) else ""
        raise InputError(
            "invalid_feature",
            f"{display} is not a valid feature file",
            [Problem(f"{display}:{line}", _plain_message(str(first), content))],
        ) from None
    except ParserError as error:
        raise InputError(
            "invalid_feature", f"{display} is not a valid feature file", [Problem(display, str(error))]
        ) from None
    result = FeatureFile(path, display)
    feature = document.get("feature")
    if not feature:
        return result
    document["uri"] = display
    nodes = _index(feature)
    scenario_names: list[str] = []
    for child in feature["children"]:
        if "scenario" in child:
            scenario_names.append(child["scenario"]["name"])
        elif "rule" in child:
            scenario_names.extend(c["scenario"]["name"] for c in child["rule"]["children"] if "scenario" in c)
    for name in sorted({name for name in scenario_names if scenario_names.count(name) > 1}):
        result.problems.append(
            f'{display}: two scenarios are called "{name}"; give each scenario its own name'
        )
    feature_tags = _tags(feature)
    for scenario, rule_tags in _scenarios(feature):
        line = scenario["location"]["line"]
        if any(
            VERSION_TAG.match(tag["name"])
            for examples in scenario.get("examples", ())
            for tag in examples["tags"]
        ):
            result.problems.append(
                f'{display}:{line}: "{scenario["name"]}" has version tags on its Examples; tag '
                "the scenario (or its Rule or Feature) instead"
            )
        versions = frozenset(
            match["version"]
            for tag in feature_tags | rule_tags | _tags(scenario)
            if (match := VERSION_TAG.match(tag))
        )
        if not versions:
            result.problems.append(
                f'{display}:{line}: the scenario "{scenario["name"]}" says no version it '
                "applies to; tag it (or its feature) with e.g. @v1.1.0"
            )
    for pickle in Compiler().compile(document):
        scenario = nodes[pickle["astNodeIds"][0]]
        name = scenario["name"]
        if len(pickle["astNodeIds"]) > 1:  # one row of an outline's examples
            row = nodes[pickle["astNodeIds"][1]]
            name += " [" + "-".join(cell["value"] for cell in row["cells"]) + "]"
        rule_tags = nodes.get(("rule tags", scenario["id"]), set())
        versions = frozenset(
            match["version"]
            for tag in feature_tags | rule_tags | _tags(scenario)
            if (match := VERSION_TAG.match(tag))
        )
        steps = []
        for step in pickle["steps"]:
            written = nodes[step["astNodeIds"][0]]
            table = step.get("argument", {}).get("dataTable")
            rows = (
                tuple(tuple(cell["value"] for cell in row["cells"]) for row in table["rows"])
                if table
                else None
            )
            steps.append(
                Step(
                    written["keyword"].strip(),
                    STEP_KINDS.get(step["type"]),
                    step["text"],
                    written["location"]["line"],
                    rows,
                )
            )
        result.scenarios.append(Scenario(name, scenario["location"]["line"], versions, tuple(steps)))
    return result


def _tags(node: dict) -> set[str]:
    return {tag["name"].lstrip("@") for tag in node.get("tags", ())}


def _scenarios(feature: dict):
    """Each scenario of the feature, with the tags of the rule it is in."""
    for child in feature["children"]:
        if "scenario" in child:
            yield child["scenario"], set()
        elif "rule" in child:
            for inner in child["rule"]["children"]:
                if "scenario" in inner:
                    yield inner["scenario"], _tags(child["rule"])


def _index(feature: dict) -> dict:
    """The feature's scenarios, steps and example rows by id (and each scenario's rule tags)."""
    nodes: dict = {}

    def steps_of(container: dict) -> None:
        for step in container.get("steps", ()):
            nodes[step["id"]] = step

    for child in feature["children"]:
        containers = child["rule"]["children"] if "rule" in child else [child]
        rule_tags = _tags(child["rule"]) if "rule" in child else set()
        for item in containers:
            if "background" in item and item["background"]:
                steps_of(item["background"])
            if "scenario" in item:
                scenario = item["scenario"]
                nodes[scenario["id"]] = scenario
                nodes[("rule tags", scenario["id"])] = rule_tags
                steps_of(scenario)
                for examples in scenario.get("examples", ()):
                    for row in examples.get("tableBody", ()):
                        nodes[row["id"]] = row
    return nodes


def _plain_message(message: str, content: str) -> str:
    """The Gherkin parser's message, in plain words."""
    message = re.sub(r"^\(\d+:\d+\): ", "", message)
    got = re.search(r"got '(?P<got>.*)'$", message)
    if got:
        line = got["got"]
        if line.startswith("Feature:"):
            return f'a second "Feature:" ({line}): a feature file holds one feature'
        if re.match(r"(Given|When|Then|And|But|\*) ", line):
            return f'a step outside a Scenario or Background ({line}): steps belong under "Scenario:"'
        if line.startswith("Background:"):
            return f'"{line}" cannot come here: a feature or a rule has one Background, before its scenarios'
        return f'"{line}" cannot come here'
    if message.startswith("unexpected end of file"):
        return "the file ends too early: " + message
    return message + (f" ({content})" if content else "")
