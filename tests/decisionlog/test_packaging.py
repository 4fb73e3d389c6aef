"""An installed (non-editable) sendrules ships the Alembic files: the log can be created and
used from another folder."""

from __future__ import annotations

import os
import subprocess
import sys

from tests.decisionlog.helpers import EXAMPLE
from tests.installing import install_copy


def test_an_installed_copy_creates_and_replays_a_log(tmp_path, keys):
    target = tmp_path / "site"
    install = install_copy(target)
    assert install.returncode == 0, install.stderr
    assert (
        target / "sendrules" / "decisionlog" / "migrations" / "versions" / "0001_decision_log.py"
    ).is_file()
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {key: value for key, value in os.environ.items() if key != "SENDRULES_STANDARDS"}
    env.update(keys, PYTHONPATH=str(target), HOME=str(tmp_path / "home"))
    script = target / "bin" / "sendrules"
    url = f"sqlite:///{elsewhere / 'log.sqlite3'}"
    decided = subprocess.run(
        [
            sys.executable,
            str(script),
            "decide",
            str(EXAMPLE),
            "--as-of",
            "2025-06-01",
            "--log",
            url,
            "--format",
            "json",
        ],
        cwd=elsewhere,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert decided.returncode == 0, decided.stderr
    verified = subprocess.run(
        [sys.executable, str(script), "log", "verify", "--log", url],
        cwd=elsewhere,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert verified.returncode == 0 and verified.stdout.startswith("ok: 1 entry"), verified.stderr
