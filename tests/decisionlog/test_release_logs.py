"""Published standards never change meaning: every decision in a log written by an earlier
release replays, on this build, with the same findings and the same summary.

``tests/release_logs/<engine version>/decisions.sqlite3`` is a log written by that release's
own code (``tests/release_logs/make_release_log.py``); it is never regenerated. Only what
derives from the engine itself may differ: ``engine.version`` and the ``decision_id`` computed
from it. A replay that differs in anything else is a change of meaning and fails here.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from sendrules.decisionlog.crypto import parse_encryption_keys
from sendrules.decisionlog.replay import replay
from sendrules.decisionlog.store import DecisionLog
from sendrules.engine import decision as decision_module
from tests.release_logs.make_release_log import ENCRYPTION_KEYS

RELEASE_LOGS = sorted((Path(__file__).resolve().parents[1] / "release_logs").glob("*/decisions.sqlite3"))
#: What a newer engine may change in a decision: its own version and the id derived from it.
ENGINE_FIELDS = {"engine.version", "decision_id"}
#: What a newer engine may add to a decision logged without it: statements about how it decided
#: (``school_days``: which calendar school days were counted with), never findings or summary.
ADDED_STATEMENTS = {"school_days"}


def test_a_release_log_is_kept():
    assert RELEASE_LOGS, "tests/release_logs/ holds no release's log"


@pytest.mark.parametrize("path", RELEASE_LOGS, ids=lambda path: path.parent.name)
def test_every_decision_of_a_release_log_replays_with_the_same_findings(path, tmp_path):
    copy = tmp_path / "decisions.sqlite3"
    shutil.copyfile(path, copy)
    cipher = parse_encryption_keys(ENCRYPTION_KEYS, "test keys")
    with DecisionLog.open(f"sqlite:///{copy}", mode="read") as log:
        assert log.verify(cipher=cipher).ok, "the kept log itself must be intact"
        entries = list(log.entries())
        assert len(entries) > 900
        changed = []
        for entry in entries:
            result = replay(log, entry.decision_id, cipher)
            assert result.backend == entry.backend, "a decision replays on the backend it was made with"
            recorded, replayed = result.recorded, result.replayed
            beyond_engine = {change.path for change in result.diff.fields} - ENGINE_FIELDS
            beyond_engine -= {path for path in ADDED_STATEMENTS if path not in recorded and path in replayed}
            if (
                beyond_engine
                or result.diff.added
                or result.diff.removed
                or result.diff.changed
                or recorded["findings"] != replayed["findings"]
                or recorded["summary"] != replayed["summary"]
            ):
                changed.append((entry.seq, entry.decision_id, sorted(beyond_engine)))
    assert not changed, f"{len(changed)} logged decisions replay differently, e.g. {changed[:5]}"


@pytest.mark.parametrize("path", RELEASE_LOGS, ids=lambda path: path.parent.name)
def test_a_release_log_replays_same_findings_newer_engine_on_a_later_release(path, tmp_path, monkeypatch):
    """Issue 16: an auditor tells "same decision, newer engine" from "the decision changed" at a
    glance. This build, stamped as a later release (99.0.0, with the calendar data the release
    shipped), replays every decision of the kept log as ``same_findings_newer_engine``, never
    ``different``. (That a build replays its own decisions ``identical`` is tested on fresh logs
    in test_replay.py: this build is not the release's code, and states its calendar
    (``school_days``) where the release did not, so it cannot stand in for it.)"""
    copy = tmp_path / "decisions.sqlite3"
    shutil.copyfile(path, copy)
    cipher = parse_encryption_keys(ENCRYPTION_KEYS, "test keys")
    with DecisionLog.open(f"sqlite:///{copy}", mode="read") as log:
        entries = list(log.entries())
        calendar = entries[0].decision()["engine"]["calendar"]
        monkeypatch.setattr(decision_module, "holidays_data_version", lambda: calendar)
        monkeypatch.setattr(decision_module, "ENGINE_VERSION", "99.0.0")
        results: dict[str, list[int]] = {}
        for entry in entries:
            result = replay(log, entry.decision_id, cipher)
            results.setdefault(result.result, []).append(entry.seq)
    assert set(results) == {"same_findings_newer_engine"}, {
        result: seqs[:5] for result, seqs in results.items()
    }
