"""Durability and concurrency, on SQLite and PostgreSQL, with real processes.

* A writer killed with SIGKILL in the middle of a burst leaves a valid chain holding every
  decision it acknowledged (printed after COMMIT), and no partial entry.
* A writer killed inside an append's transaction, after its INSERT and before COMMIT, leaves
  no trace of that append.
* Several processes appending at once, some of them the same decisions, leave one valid chain
  with every decision exactly once.

No timings: the tests wait for lines the writers print, never for a duration. A watchdog kills
a writer that hangs, so a bug fails the test instead of stalling the suite.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading

from sendrules.decisionlog.config import load_config
from sendrules.decisionlog.store import DecisionLog
from tests.decisionlog.helpers import ROOT, example_request, recorder_for

WATCHDOG_SECONDS = 300


class Writer:
    def __init__(self, url: str, *args: str) -> None:
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        env.pop("SENDRULES_DEBUG", None)
        self.process = subprocess.Popen(
            [sys.executable, "-m", "tests.decisionlog.writer", url, *args],
            cwd=ROOT,
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        self.watchdog = threading.Timer(WATCHDOG_SECONDS, self.process.kill)
        self.watchdog.start()
        self.ids: list[str] = []

    def read_until(self, marker: str | None = None, ids: int | None = None) -> None:
        """Read lines until ``marker`` or until ``ids`` decision ids have been acknowledged."""
        while True:
            line = self.process.stdout.readline()
            if not line:
                self.process.wait()
                raise AssertionError(
                    f"the writer ended early (exit {self.process.returncode}): {self.process.stderr.read()}"
                )
            line = line.strip()
            if line == marker:
                return
            if line not in ("READY", "DONE", "PAUSED"):
                self.ids.append(line)
                if ids is not None and len(self.ids) >= ids:
                    return

    def go(self) -> None:
        self.process.stdin.write("go\n")
        self.process.stdin.flush()

    def kill(self) -> None:
        """SIGKILL, then collect the ids it printed (acknowledged) before it died."""
        self.process.send_signal(signal.SIGKILL)
        self.process.wait()
        self.watchdog.cancel()
        self.ids.extend(
            line.strip()
            for line in self.process.stdout.read().splitlines()
            if line.strip() not in ("", "READY", "DONE", "PAUSED")
        )

    def finish(self) -> None:
        self.read_until("DONE")
        self.process.wait()
        self.watchdog.cancel()
        assert self.process.returncode == 0, self.process.stderr.read()


def check_log(url: str, acknowledged: list[str]) -> DecisionLog:
    """The chain verifies, every request decrypts, and every acknowledged id is in the log."""
    log = DecisionLog.open(url)
    report = log.verify(cipher=load_config().cipher())
    assert report.ok, report.first_break.describe()
    logged = {entry.decision_id for entry in log.entries()}
    assert set(acknowledged) <= logged
    assert report.entries == len(logged) == log.count()
    return log


def test_sigkill_mid_burst_loses_no_acknowledged_decision(log_url, keys):
    writer = Writer(log_url, "--seed", "21", "--count", "400")
    writer.read_until("READY")
    writer.read_until(ids=25)
    writer.kill()
    assert writer.process.returncode == -signal.SIGKILL
    log = check_log(log_url, writer.ids)
    assert len(writer.ids) <= log.count() <= len(writer.ids) + 1  # at most one unacknowledged
    assert log.count() < 400, "the writer was killed mid-burst"
    recorder_for(log).decide(example_request())  # the log carries on after the crash
    assert log.verify().ok
    log.close()


def test_sigkill_inside_the_transaction_leaves_no_partial_entry(log_url, keys):
    writer = Writer(log_url, "--seed", "22", "--count", "20", "--pause-in-commit", "6")
    writer.read_until("READY")
    writer.read_until("PAUSED")  # entry 6 is inserted and the head moved, not yet committed
    writer.kill()
    assert len(writer.ids) == 5
    log = check_log(log_url, writer.ids)
    assert log.count() == 5 and [e.seq for e in log.entries()] == [1, 2, 3, 4, 5]
    assert recorder_for(log).decide(example_request()).result.entry.seq == 6
    assert log.verify().ok
    log.close()


def test_concurrent_writers_keep_one_valid_chain(log_url, keys):
    """Four processes, opening a brand-new log at the same moment (so they also race to create
    the schema), each appending 25 decisions of its own and 5 that all four append."""
    writers = [
        Writer(
            log_url,
            "--seed",
            str(100 + number),
            "--count",
            "25",
            "--shared-seed",
            "99",
            "--shared-count",
            "5",
            "--wait-for-go",
            *(["--shared-last"] if number % 2 else []),
        )
        for number in range(4)
    ]
    for writer in writers:
        writer.read_until("READY")
    for writer in writers:
        writer.go()
    for writer in writers:
        writer.finish()
    acknowledged = [decision_id for writer in writers for decision_id in writer.ids]
    assert len(acknowledged) == 4 * 30
    log = check_log(log_url, acknowledged)
    assert log.count() == len(set(acknowledged)) == 4 * 25 + 5
    assert [entry.seq for entry in log.entries()] == list(range(1, 106))
    log.close()
