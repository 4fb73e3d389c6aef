"""Published standards never change meaning: every decision in a log written by an earlier
release replays, on this build, with the same findings and the same summary.

``tests/release_logs/<engine version>/decisions.sqlite3`` is a log written by that release's
own code (``tests/release_logs/make_release_log.py``); it is never regenerated (nor migrated: the
tests migrate a copy, as ``sendrules log migrate`` would). Only what
derives from the engine itself may differ: ``engine.version`` and the ``decision_id`` computed
from it. A replay that differs in anything else is a change of meaning and fails here.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from sendrules.decisionlog.crypto import parse_encryption_keys
from sendrules.decisionlog.errors import LogError
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
def test_a_release_log_needs_migrating_and_then_its_access_log_is_chained(path, tmp_path):
    """A log written before the access log was chained (schema 0002) is refused for reading with
    the command that fixes it; once migrated, every access row it held is chained, in order (the
    kept logs hold none: test_access_chain.py migrates 0002 logs that do)."""
    copy = tmp_path / "decisions.sqlite3"
    shutil.copyfile(path, copy)
    with pytest.raises(LogError) as error:
        DecisionLog.open(f"sqlite:///{copy}", mode="read")
    assert error.value.code == "log_schema" and "run `sendrules log migrate`" in error.value.message
    with DecisionLog.open(f"sqlite:///{copy}", mode="migrate") as log:
        rows = log.access_records(limit=100_000)
        assert [row["seq"] for row in rows] == list(range(1, len(rows) + 1))
        report = log.verify()
        assert report.ok and report.access_entries == len(rows)
    assert path.read_bytes() != copy.read_bytes(), "the copy was migrated, not the kept log"


@pytest.mark.parametrize("path", RELEASE_LOGS, ids=lambda path: path.parent.name)
def test_every_decision_of_a_release_log_replays_with_the_same_findings(path, tmp_path):
    copy = tmp_path / "decisions.sqlite3"
    shutil.copyfile(path, copy)
    cipher = parse_encryption_keys(ENCRYPTION_KEYS, "test keys")
    with DecisionLog.open(f"sqlite:///{copy}", mode="migrate") as log:
        report = log.verify(cipher=cipher)
        assert report.ok, f"the kept log itself must be intact: {report.first_break}"
        assert report.access_entries == len(log.access_records(limit=100_000))
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
    with DecisionLog.open(f"sqlite:///{copy}", mode="migrate") as log:
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
