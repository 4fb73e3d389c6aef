"""`sendrules cohort run` as a user runs it: a summary on stdout, nothing else when piped
(no progress bar), exit 2 for bad input, never a traceback."""

from __future__ import annotations

import subprocess
import sys

from .conftest import DRAFT


def sendrules(*args, cwd=None):
    return subprocess.run(
        [sys.executable, "-m", "sendrules.api.cli", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=300,
    )


def test_a_piped_run_prints_its_summary_and_nothing_else(tmp_path, synthetic_file):
    result = sendrules(
        "cohort",
        "run",
        str(synthetic_file),
        "--as-of",
        "2025-06-01",
        "--out",
        str(tmp_path / "o"),
        "--standards",
        DRAFT,
        "--workers",
        "1",
    )
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    # the draft's proposals apply from 2029-09-01 (`in force from`): an earlier clock raises no
    # proposed duty, so no journey of 2025 is refused (the earlier draft refused 14 of them)
    assert result.stdout.startswith("Decided 300 of 300 journeys under send-ap@2.0.0-draft as of 2025-06-01:")
    assert "refused" not in result.stdout
    again = sendrules(
        "cohort",
        "run",
        str(synthetic_file),
        "--as-of",
        "2025-06-01",
        "--out",
        str(tmp_path / "o"),
        "--standards",
        DRAFT,
    )
    assert again.returncode == 0 and again.stdout == result.stdout


def test_bad_input_exits_2_with_one_message(tmp_path, synthetic_file):
    bad_terms = tmp_path / "terms.yaml"
    bad_terms.write_text("nam: X\n", encoding="utf-8")
    cases = [
        (
            [
                "cohort",
                "run",
                str(tmp_path / "missing.jsonl"),
                "--as-of",
                "2025-06-01",
                "--out",
                str(tmp_path / "a"),
            ],
            "no such file",
        ),
        (
            ["cohort", "run", str(synthetic_file), "--as-of", "2025-13-01", "--out", str(tmp_path / "b")],
            "YYYY-MM-DD",
        ),
        (
            [
                "cohort",
                "run",
                str(synthetic_file),
                "--as-of",
                "2025-06-01",
                "--out",
                str(tmp_path / "c"),
                "--standards",
                "send-ap@9.9.9",
            ],
            "no version 9.9.9",
        ),
        (
            [
                "cohort",
                "run",
                str(synthetic_file),
                "--as-of",
                "2025-06-01",
                "--out",
                str(tmp_path / "d"),
                "--term-dates",
                str(bad_terms),
            ],
            f"{bad_terms}:1:1: unknown key 'nam'",
        ),
        (
            [
                "cohort",
                "run",
                str(synthetic_file),
                "--as-of",
                "2025-06-01",
                "--out",
                str(tmp_path / "e"),
                "--term-dates",
                str(tmp_path / "none.yaml"),
            ],
            "does not exist",
        ),
    ]
    for args, expected in cases:
        result = sendrules(*args)
        assert result.returncode == 2, (args, result.stderr)
        assert expected in result.stderr and "Traceback" not in result.stderr
