"""Helpers for the tests of the policy officers' scenarios (features/)."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def write_feature(folder: Path, text: str, name: str = "example.feature", pack: str = "send-ap") -> Path:
    """A feature file at ``folder/<pack>/<name>``; returns ``folder`` (a --features folder)."""
    path = folder / pack / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")
    return folder


def sendrules(*args, cwd: Path | None = None) -> subprocess.CompletedProcess:
    """Run the CLI as a user would (a separate process); never a traceback."""
    environment = {
        key: value
        for key, value in os.environ.items()
        if key not in ("SENDRULES_DEBUG", "SENDRULES_STANDARDS")
    }
    environment["PYTHONPATH"] = str(ROOT)
    result = subprocess.run(
        [sys.executable, "-m", "sendrules.api.cli", *map(str, args)],
        cwd=cwd or ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert "Traceback" not in result.stderr + result.stdout, result.stderr
    return result


PASSING = """
    @v1.0.0 @v1.1.0
    Feature: A small feature
      Scenario: The decision is made in time
        Given a child born on 14 March 2015
        And a request for an EHC needs assessment received on 6 January 2025
        And the local authority decided on 14 February 2025 to carry out the assessment
        When the duties are decided on 1 June 2025
        Then the duty "ehc.assessment_decision" for the request is met, due on 17 February 2025
"""
