"""The conformance corpus, run through the same entry point the CLI and HTTP API use."""

from __future__ import annotations

import pytest

from sendrules.dsl import ir
from sendrules.engine.errors import EngineError
from sendrules.engine.request import parse_request
from tests.conformance.corpus import load_cases

CASES = load_cases()
BACKENDS = ["reference", "rete"]


def _decide(service, case, backend):
    return service.decide(parse_request(case.request), backend=backend)


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_case(service, case, backend):
    expect = case.expect
    if "error" in expect:
        with pytest.raises(EngineError) as caught:
            _decide(service, case, backend)
        assert caught.value.code == expect["error"], caught.value.describe()
        actual = [problem.to_dict() for problem in caught.value.problems]
        for wanted in expect.get("problems", []):
            assert any(
                all(problem.get(key) == value for key, value in wanted.items()) for problem in actual
            ), f"no problem like {wanted} in {actual}"
        return

    decision = _decide(service, case, backend).to_dict()
    findings = decision["findings"]
    if case.only_rules is not None:
        findings = [finding for finding in findings if finding["rule"] in case.only_rules]
    wanted = expect["findings"]
    compared = [{key: finding[key] for key in want} for finding, want in zip(findings, wanted)]
    assert len(findings) == len(wanted) and compared == wanted, (
        "\nexpected:\n  "
        + "\n  ".join(map(str, wanted))
        + "\nactual:\n  "
        + "\n  ".join(
            str(
                {
                    k: f[k]
                    for k in ("rule", "trigger", "status", "due", "satisfied_by", "exception", "duty_holder")
                }
            )
            for f in findings
        )
    )
    summary = decision["summary"]
    assert sum(summary.values()) == len(decision["findings"])
    if "provision" in expect:
        actual = decision.get("provision")
        assert actual is not None, "the decision has no provision section"
        compared = [{key: entry[key] for key in want} for entry, want in zip(actual, expect["provision"])]
        assert len(actual) == len(expect["provision"]) and compared == expect["provision"], actual


def possible_statuses(rule) -> set[str]:
    """The statuses a rule can give, from its kind (see docs/semantics.md)."""
    if rule.kind in ("condition", "preceding"):
        return {"met", "breached"}
    if rule.kind == "waiting":
        return {"met", "pending", "breached"}
    statuses = (
        {"met", "late"}
        if isinstance(rule.expectation, ir.ExpectBound)
        else {"met", "pending", "late", "overdue"}
    )
    if rule.exemption is not None:
        statuses.add("exempt")
    if rule.window is not None:  # (language 3) a window that closed unmet
        statuses.add("breached")
    return statuses


VERSIONS = [
    "send-ap@1.0.0",
    "send-ap@1.1.0",
    "send-ap@1.2.0",
    "send-ap@1.3.0",
    "send-ap@1.4.0",
    "send-ap@1.5.0",
    "send-ap@2.0.0-draft",
]
_DEFAULTS: dict[str, str] = {}


def _default_reference(library, as_of: str) -> str:
    """The version a case without ``standards`` is decided under (all cases resolve, since
    error cases are skipped)."""
    from datetime import date

    if as_of not in _DEFAULTS:
        _DEFAULTS[as_of] = library.resolve(None, date.fromisoformat(as_of)).reference
    return _DEFAULTS[as_of]


@pytest.mark.parametrize("reference", VERSIONS)
def test_corpus_covers_every_rule_and_status(library, reference):
    """Every rule of every shipped version appears in the corpus with every status it can take.

    A case counts for the version it names, or for the version in force on its as_of; a case of
    an earlier version also counts for a later version's rules unchanged since it
    (test_unchanged_rules.py decides it again under the later version and finds the same)."""
    from datetime import date

    from tests.conformance.test_unchanged_rules import EARLIER, unchanged_rules

    standard = library.resolve(reference, date(2025, 1, 1))
    seen = set()
    for case in CASES:
        if "error" in case.expect:
            continue
        named = case.request.get("standards") or _default_reference(library, case.request["as_of"])
        # 1.1.0 gives the same findings as 1.0.0 for the first catalogue's rules
        if named == reference or (reference == "send-ap@1.0.0" and named == "send-ap@1.1.0"):
            seen.update((f["rule"], f["status"]) for f in case.expect.get("findings", []) if "status" in f)
        elif named in EARLIER.get(reference, ()):
            seen.update(
                (f["rule"], f["status"])
                for f in case.expect.get("findings", [])
                if "status" in f and f["rule"] in unchanged_rules(named, reference)
            )
    missing = sorted(
        (rule.id, status)
        for rule in standard.rules
        for status in possible_statuses(rule)
        if (rule.id, status) not in seen
    )
    assert not missing, f"no corpus case shows: {missing}"


def test_corpus_covers_every_table_row(library):
    """Every row of the shipped decision tables is the expected result of some case."""
    from datetime import date

    seen = {
        (entry["table"], entry.get("row")) for case in CASES for entry in case.expect.get("provision", [])
    }
    for reference in VERSIONS[1:]:
        standard = library.resolve(reference, date(2025, 1, 1))
        missing = [
            (table.id, row.number)
            for table in standard.tables
            for row in table.rows
            if (table.id, row.number) not in seen
        ]
        assert not missing, f"{reference}: no corpus case gives {missing}"
