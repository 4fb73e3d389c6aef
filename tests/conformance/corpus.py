"""Loading the conformance corpus: YAML cases of ``journey, as_of -> expected findings``.

A case file holds ``cases:``, a list of:

    name: what the case shows, in words
    as_of: 2025-06-01
    standards: send-ap@1.0.0          # optional; default: the newest published encoding
                                      # covering as_of (cases of a published version pin it)
    school_closures:                  # optional, inclusive ranges
      - {from: 2025-04-07, to: 2025-04-21}
    journey: {child: {...}, events: [...]}     # exactly as a caseworker system sends it
    only_rules: [ehc.final_plan]      # optional: compare only the findings of these rules
    expect:
      findings:                       # the exact list, in contract order; keys not
        - rule: ehc.final_plan        # written are not compared
          trigger: e1
          status: met
          due: 2025-05-26
          satisfied_by: e6
      provision:                      # optional: the decision's provision section, compared on
        - table: provision.band       # the keys written
          based_on: e4
          row: 3
          outputs: {band: "Band 2", top_up: 3100, notional_6000_applies: true}
      # or, for input that must be rejected:
      error: invalid_journey
      problems:                       # each must appear (location, optionally field/event_id)
        - {location: journey.events[1].outcome}

YAML turns 2025-06-01 into a date; the loader turns dates back into ISO text so the engine
sees exactly what it would receive as JSON.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import yaml

CASES_DIR = Path(__file__).parent / "cases"
CASE_KEYS = {"name", "as_of", "standards", "school_closures", "journey", "only_rules", "expect", "note"}
FINDING_KEYS = {
    "rule",
    "trigger",
    "status",
    "due",
    "satisfied_by",
    "exception",
    "duty_holder",
    "modality",
    "citations",
    "parameters",
}


@dataclass(frozen=True)
class Case:
    file: str
    name: str
    request: dict[str, Any]
    only_rules: tuple[str, ...] | None
    expect: dict[str, Any]

    @property
    def id(self) -> str:
        return f"{self.file}::{self.name}"


def to_json_value(value: Any) -> Any:
    """YAML data -> the JSON a client would send (dates as ISO text)."""
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(key): to_json_value(item) for key, item in value.items()}
    if isinstance(value, list):
        return [to_json_value(item) for item in value]
    return value


def load_cases() -> list[Case]:
    cases = []
    for path in sorted(CASES_DIR.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        assert isinstance(data, dict) and set(data) == {"cases"}, f"{path.name}: expected only 'cases:'"
        names = set()
        for raw in data["cases"]:
            unknown = set(raw) - CASE_KEYS
            assert not unknown, f"{path.name}: case {raw.get('name')!r} has unknown keys {unknown}"
            assert raw["name"] not in names, f"{path.name}: duplicate case name {raw['name']!r}"
            names.add(raw["name"])
            request = {"journey": to_json_value(raw["journey"]), "as_of": to_json_value(raw["as_of"])}
            if "standards" in raw:
                request["standards"] = raw["standards"]
            if "school_closures" in raw:
                request["school_closures"] = to_json_value(raw["school_closures"])
            expect = to_json_value(raw["expect"])
            for finding in expect.get("findings", []):
                unknown = set(finding) - FINDING_KEYS
                assert not unknown, f"{path.name}: {raw['name']!r}: unknown finding keys {unknown}"
            only = tuple(raw["only_rules"]) if "only_rules" in raw else None
            cases.append(Case(path.name, raw["name"], request, only, expect))
    return cases
