"""Replay: the recorded standards from the store, other versions, other backends, the diff."""

from __future__ import annotations

import dataclasses
import shutil

import pytest

from sendrules.decisionlog.config import load_config
from sendrules.decisionlog.errors import LogError
from sendrules.decisionlog.replay import ABSENT, diff_decisions, replay
from sendrules.decisionlog.store import DecisionLog
from sendrules.engine import backends as backends_module
from sendrules.engine.decision import assemble_decision
from sendrules.engine.errors import InputError
from sendrules.engine.evaluator import find_all
from sendrules.engine.library import StandardsLibrary
from sendrules.engine.service import DecisionService
from tests.decisionlog.helpers import (
    example_request,
    mark,
    recorder_for,
    set_assessment_weeks,
    standards_root,
)


@pytest.fixture
def sqlite_log(sqlite_url, keys):
    log = DecisionLog.open(sqlite_url, mode="append")
    yield log
    log.close()


def record_with(log, root, request=None, backend="reference"):
    recorder = recorder_for(log, DecisionService(StandardsLibrary(root)))
    return recorder.decide(request or example_request(), backend=backend)


def test_replay_survives_an_edited_then_removed_standards_folder(isolated, sqlite_log):
    root = isolated
    folder = root / "send-ap" / "1.0.0"
    decision_id = record_with(sqlite_log, root).decision.decision_id
    cipher = load_config().cipher()

    set_assessment_weeks(folder, 7)
    assert replay(sqlite_log, decision_id, cipher).identical  # the store, not the folder
    now = replay(sqlite_log, decision_id, cipher, standards="send-ap@1.0.0", library=StandardsLibrary(root))
    assert not now.identical and "standards folder" in now.standards_source
    assert "standards.sha256" in {change.path for change in now.diff.fields}

    shutil.rmtree(root / "send-ap")
    assert replay(sqlite_log, decision_id, cipher).identical
    stored = replay(
        sqlite_log, decision_id, cipher, standards="send-ap@1.0.0", library=StandardsLibrary(root)
    )
    assert stored.identical and stored.standards_source == "the log's standards store"


def test_what_this_decision_would_be_under_another_version(tmp_path, sqlite_log):
    root = standards_root(tmp_path / "two", "1.0.0", "1.1.0")
    other = root / "send-ap" / "1.1.0"
    mark(other, "draft")
    set_assessment_weeks(other, 4)
    recorded = record_with(sqlite_log, root)
    summary = recorded.decision.summary()
    before = [entry.entry_hash for entry in sqlite_log.entries()]

    result = replay(
        sqlite_log,
        recorded.decision.decision_id,
        load_config().cipher(),
        standards="send-ap@1.1.0",
        library=StandardsLibrary(root),
    )
    assert not result.identical and result.standards_reference == "send-ap@1.1.0"
    fields = {change.path: (change.old, change.new) for change in result.diff.fields}
    assert fields["standards.version"] == ("1.0.0", "1.1.0")
    assert fields["summary.met"] == (summary["met"], summary["met"] - 1)
    assert fields["summary.late"] == (summary["late"], summary["late"] + 1)
    assert {"decision_id", "input_sha256", "standards.sha256"} <= set(fields)
    [changed] = result.diff.changed
    assert (changed.rule, changed.trigger) == ("ehc.assessment_decision", "e1")
    changes = {change.path: (change.old, change.new) for change in changed.changes}
    assert changes["status"] == ("met", "late")
    assert changes["due"] == ("2025-02-17", "2025-02-03")
    assert changes["parameters.ehc.assessment_decision_weeks"] == (6, 4)
    assert not result.diff.added and not result.diff.removed
    # the log is not altered: same entries, and the other version is not stored
    assert [entry.entry_hash for entry in sqlite_log.entries()] == before
    assert [s.reference for s in sqlite_log.all_standards()] == ["send-ap@1.0.0"]


def test_several_stored_texts_of_one_version_are_named_by_hash(isolated, sqlite_log):
    root = isolated
    folder = root / "send-ap" / "1.0.0"
    first = record_with(sqlite_log, root).decision
    set_assessment_weeks(folder, 7)
    second = record_with(sqlite_log, root).decision
    assert first.standards_sha256 != second.standards_sha256
    shutil.rmtree(root / "send-ap")
    cipher, library = load_config().cipher(), StandardsLibrary(root)
    with pytest.raises(LogError) as error:
        replay(sqlite_log, first.decision_id, cipher, standards="send-ap@1.0.0", library=library)
    assert error.value.code == "ambiguous_standards" and "sha256:" in error.value.message
    under_second = replay(
        sqlite_log,
        first.decision_id,
        cipher,
        library=library,
        standards=f"sha256:{second.standards_sha256[:16]}",
    )
    assert under_second.standards_sha256 == second.standards_sha256 and not under_second.identical


# --- backends --------------------------------------------------------------------------------


class CopyBackend:
    """Another backend: the reference matching under another name."""

    def evaluate(self, prepared, journey, as_of, calendar):
        return assemble_decision(
            prepared.standard, journey, as_of, calendar, find_all(prepared, journey, as_of, calendar), "copy"
        )


class FaultyBackend:
    """A backend with a bug: the first finding's status is wrong."""

    def evaluate(self, prepared, journey, as_of, calendar):
        findings = find_all(prepared, journey, as_of, calendar)
        findings[0] = dataclasses.replace(
            findings[0], status="overdue" if findings[0].status != "overdue" else "met"
        )
        return assemble_decision(prepared.standard, journey, as_of, calendar, findings, "faulty")


@pytest.fixture
def backends(monkeypatch):
    monkeypatch.setitem(backends_module.REGISTRY, "copy", lambda: CopyBackend)
    monkeypatch.setitem(backends_module.REGISTRY, "faulty", lambda: FaultyBackend)


def test_replay_with_another_backend(backends, sqlite_log):
    recorded = record_with(sqlite_log, None)
    cipher = load_config().cipher()
    same = replay(sqlite_log, recorded.decision.decision_id, cipher, backend="copy")
    assert same.identical and same.backend_differs
    assert same.to_dict()["backend_differs"] == {"recorded": "reference", "replayed": "copy"}
    wrong = replay(sqlite_log, recorded.decision.decision_id, cipher, backend="faulty")
    assert not wrong.identical and [c.path for c in wrong.diff.changed[0].changes][0] == "status"
    with pytest.raises(InputError) as error:
        replay(sqlite_log, recorded.decision.decision_id, cipher, backend="nonesuch")
    assert error.value.code == "unknown_backend"


def test_replay_uses_the_recorded_backend(backends, sqlite_log, monkeypatch):
    recorded = record_with(sqlite_log, None, backend="copy")
    assert recorded.result.entry.backend == "copy"
    cipher = load_config().cipher()
    result = replay(sqlite_log, recorded.decision.decision_id, cipher)
    assert result.identical and result.backend == "copy" and not result.backend_differs
    monkeypatch.delitem(backends_module.REGISTRY, "copy")
    with pytest.raises(InputError, match="there is no backend 'copy'"):
        replay(sqlite_log, recorded.decision.decision_id, cipher)


def test_an_unknown_decision_id(sqlite_log):
    with pytest.raises(LogError) as error:
        replay(sqlite_log, "00000000-0000-5000-8000-000000000000", load_config().cipher())
    assert error.value.code == "unknown_decision"


# --- the diff --------------------------------------------------------------------------------


def decision(findings, **top):
    base = {
        "decision_id": "d",
        "standards": {"id": "send-ap", "version": "1.0.0"},
        "engine": {"version": "0.1.0", "backend": "reference"},
        "findings": findings,
        "summary": {"met": len(findings)},
    }
    return {**base, **top}


def finding(rule, trigger, **fields):
    return {"rule": rule, "trigger": trigger, "status": "met", "due": "2025-01-01", **fields}


def test_diff_of_equal_decisions_is_empty():
    one = decision([finding("a", "e1"), finding("b", "e2")])
    assert diff_decisions(one, dict(one)).empty


def test_diff_lists_added_removed_and_changed_findings():
    old = decision([finding("a", "e1"), finding("b", "e2", status="late")])
    new = decision(
        [finding("b", "e2", status="met", parameters={"w": 4}), finding("c", "e3")],
        engine={"version": "0.2.0", "backend": "reference"},
    )
    diff = diff_decisions(old, new)
    assert [f["rule"] for f in diff.removed] == ["a"] and [f["rule"] for f in diff.added] == ["c"]
    [changed] = diff.changed
    assert (changed.rule, changed.trigger) == ("b", "e2")
    assert [(c.path, c.old, c.new) for c in changed.changes] == [
        ("status", "late", "met"),
        ("parameters", ABSENT, {"w": 4}),
    ]
    assert [(c.path, c.old, c.new) for c in diff.fields] == [("engine.version", "0.1.0", "0.2.0")]
    assert diff.to_dict()["findings"]["changed"][0]["changes"][1] == {"path": "parameters", "new": {"w": 4}}


def test_diff_ignores_only_the_backend_when_asked():
    old = decision([finding("a", "e1")])
    new = decision([finding("a", "e1")], engine={"version": "0.1.0", "backend": "rete"})
    assert [c.path for c in diff_decisions(old, new).fields] == ["engine.backend"]
    assert diff_decisions(old, new, ignore_backend=True).empty


def test_a_change_of_order_alone_is_a_difference():
    old = decision([finding("a", "e1"), finding("b", "e2")])
    new = decision([finding("b", "e2"), finding("a", "e1")])
    [change] = diff_decisions(old, new).fields
    assert change.path == "findings (order)"


# --- the three results (issue 16) -------------------------------------------------------------


def _decided(engine_version="0.2.0", status=None):
    decision = DecisionService(StandardsLibrary()).decide(example_request()).to_dict()
    decision = {**decision, "engine": {**decision["engine"], "version": engine_version}}
    if engine_version != "0.2.0":
        decision["decision_id"] = "another-id"
    if status is not None:
        decision["findings"] = [{**decision["findings"][0], "status": status}, *decision["findings"][1:]]
    return decision


@pytest.mark.parametrize(
    "replayed_with, expected, says",
    [
        ({}, "identical", "byte for byte"),
        ({"engine_version": "0.10.0"}, "same_findings_newer_engine", "engine.version 0.2.0 -> 0.10.0"),
        ({"engine_version": "0.1.9"}, "different", "engine.version 0.2.0 -> 0.1.9"),
        ({"engine_version": "0.10.0", "status": "breached"}, "different", "status met -> breached"),
        ({"status": "breached"}, "different", "findings: 0 added, 0 removed, 1 changed"),
    ],
)
def test_a_replay_is_identical_same_findings_on_a_newer_engine_or_different(replayed_with, expected, says):
    from sendrules.decisionlog.replay import describe, replay_result

    recorded, replayed = _decided(), _decided(**replayed_with)
    diff = diff_decisions(recorded, replayed)
    assert replay_result(diff, recorded, replayed) == expected
    assert describe(expected, diff).startswith(expected.split("_")[0]) and says in describe(expected, diff)


def _without_school_days(decision):
    return {key: value for key, value in decision.items() if key != "school_days"}


@pytest.mark.parametrize(
    "recorded_school_days, replayed_version, expected",
    [
        # logged before engines stated their calendar; a newer engine adds the statement
        ("absent", "0.10.0", "same_findings_newer_engine"),
        # the same: but an older engine adding it is not "newer"
        ("absent", "0.1.9", "different"),
        # a logged statement that changes is a change of how the decision was made
        ({"calendar": "england_term_pattern", "assumed": True}, "0.10.0", "different"),
    ],
)
def test_a_statement_a_newer_engine_adds_is_the_engines_own(recorded_school_days, replayed_version, expected):
    from sendrules.decisionlog.replay import replay_result

    recorded, replayed = _decided(), _decided(engine_version=replayed_version)
    assert "school_days" in replayed, "this build states the calendar its school days came from"
    if recorded_school_days == "absent":
        recorded = _without_school_days(recorded)
    else:
        recorded = {**recorded, "school_days": recorded_school_days}
    diff = diff_decisions(recorded, replayed)
    assert any(change.path.split(".")[0] == "school_days" for change in diff.fields)
    assert replay_result(diff, recorded, replayed) == expected
