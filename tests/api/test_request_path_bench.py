"""bench/request_path.py and bench/request_instructions.py run and report what they say (no
timing is checked: figures belong in docs/performance.md, not in tests)."""

from __future__ import annotations

import re
import subprocess
import sys

from bench.request_instructions import COUNTERS, read_summary
from tests.api.conftest import ROOT


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    # in a process of its own: the benchmark sets the service's environment variables
    return subprocess.run(
        [sys.executable, "-m", "bench.request_path", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_it_reports_the_three_layers_for_many_journeys():
    result = _run("--journeys", "12", "--in-flight", "3", "--rounds", "1")
    assert result.returncode == 0, result.stderr
    assert "12 journeys of the cohort (seed 7), send-ap@1.1.0, 3 in flight" in result.stdout
    for label in ("request path (whole process)", "of which the event loop's thread", "decision + log entry"):
        assert re.search(rf"{re.escape(label)}\s+\d+\.\d us", result.stdout), result.stdout
    assert re.search(r"\n  decision\s+\d+\.\d us", result.stdout), result.stdout


def test_drive_sends_the_requests_and_times_nothing():
    result = _run("--journeys", "40", "--drive", "10", "--in-flight", "4")
    assert result.returncode == 0, result.stderr
    assert result.stdout == ""


def test_drive_refuses_more_requests_than_journeys():
    result = _run("--journeys", "35", "--drive", "10")
    assert result.returncode != 0
    assert "--drive needs --journeys of at least 40" in result.stderr


def test_cachegrinds_summary_is_read_and_a_missing_counter_is_noticed():
    report = """==123== I   refs:      7,897,939,441
==123== I1  misses:      114,947,402
==123== LLi misses:           42,749
==123== D   refs:      3,584,229,896  (2,397,252,015 rd   + 1,186,977,881 wr)
==123== D1  misses:       86,871,260  (   76,035,045 rd   +    10,836,215 wr)
==123== LLd misses:        1,710,023  (      229,681 rd   +     1,480,342 wr)
==123== LL refs:         201,818,662  (  190,982,447 rd   +    10,836,215 wr)
==123== LL misses:         1,752,772  (      272,430 rd   +     1,480,342 wr)
==123== Branches:      1,273,058,936  (1,083,325,435 cond + 189,733,501 ind)
==123== Mispredicts:     146,099,262  (   82,384,258 cond +  63,715,004 ind)
==123== Mispred rate:           11.5% (          7.6%     +        33.6%   )
"""
    assert read_summary(report) == {
        "I refs": 7_897_939_441,
        "I1 misses": 114_947_402,
        "D refs": 3_584_229_896,
        "D1 misses": 86_871_260,
        "LL misses": 1_752_772,
        "Branches": 1_273_058_936,
        "Mispredicts": 146_099_262,
    }
    assert set(read_summary(report) or {}) == set(COUNTERS)
    assert read_summary(report.replace("D1  misses", "D1 lost")) is None
