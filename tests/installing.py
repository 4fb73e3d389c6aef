"""A plain, non-editable install of this checkout into a folder, for the tests that check what an
installed copy ships. pip builds in the source tree (build/, *.egg-info), so two such installs at
once (pytest -n) would trip over each other's files: they take turns, under a lock."""

from __future__ import annotations

import fcntl
import hashlib
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def install_copy(target: Path) -> subprocess.CompletedProcess:
    """``pip install --target target`` of this checkout, one at a time per checkout."""
    lock = (
        Path(tempfile.gettempdir())
        / f"sendrules-install-{hashlib.sha256(str(ROOT).encode()).hexdigest()[:12]}.lock"
    )
    with open(lock, "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            return subprocess.run(
                [
                    sys.executable,
                    "-m",
                    "pip",
                    "install",
                    "--quiet",
                    "--no-deps",
                    "--no-build-isolation",
                    "--no-cache-dir",
                    "--target",
                    str(target),
                    str(ROOT),
                ],
                capture_output=True,
                text=True,
                timeout=300,
            )
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
