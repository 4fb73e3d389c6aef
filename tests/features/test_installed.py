"""After a plain, non-editable install, ``sendrules test`` finds the bundled feature files
from any folder and exercises every rule of every shipped version."""

from __future__ import annotations

import os
import subprocess
import sys

from tests.features.helpers import ROOT
from tests.installing import install_copy


def test_installed_package_ships_and_runs_the_scenarios(tmp_path):
    target = tmp_path / "site"
    install = install_copy(target)
    assert install.returncode == 0, install.stderr
    shipped = sorted(
        p.relative_to(target / "sendrules" / "features").as_posix()
        for p in (target / "sendrules" / "features").rglob("*")
        if p.suffix in (".feature", ".md")
    )
    expected = sorted(
        p.relative_to(ROOT / "features").as_posix()
        for p in (ROOT / "features").rglob("*")
        if p.suffix in (".feature", ".md")
    )
    assert shipped == expected and "send-ap/plans.feature" in shipped
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {key: value for key, value in os.environ.items() if key != "SENDRULES_STANDARDS"}
    env["PYTHONPATH"] = str(target)
    result = subprocess.run(
        [
            sys.executable,
            str(target / "bin" / "sendrules"),
            "test",
            "send-ap@1.0.0",
            "--require-full-coverage",
            "--format",
            "json",
        ],
        cwd=elsewhere,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr
    report = __import__("json").loads(result.stdout)
    assert report["features"].startswith(str(target))
    assert report["versions"][0]["coverage"]["full"] is True
