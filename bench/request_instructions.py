"""Instructions, cache misses and mispredicted branches per request on the whole request path,
counted by a simulator.

    python -m bench.request_instructions [--requests 200] [--in-flight 16] [--tree PATH]

Timings of the request path on a shared 2-CPU machine move by 20% or more from one run to the
next, more than most changes worth making. Valgrind's cachegrind (Debian package ``valgrind``)
counts instead, per request: the instructions executed; the misses of a simulated first-level
instruction and data cache; the misses of a simulated 1 MiB last-level cache
(``LAST_LEVEL_BYTES``, the size of one core's own cache, which a request's working set can
outgrow); and the branches a simple simulated predictor gets wrong. It runs
``bench.request_path --drive`` twice under cachegrind, sending a few requests and then
``--requests`` more, and divides the difference by ``--requests``, so start-up (imports,
building the standards) cancels out. The counts move by a few per cent from run to run (the
log's committer groups entries a little differently each time), where timings move by 20%.

``--tree`` counts another checkout (an older release) with this file and this interpreter:
its ``bench/cohort.py`` and ``tests/api/conftest.py`` are used, as ``bench.request_path`` says.
About 50 times slower than running natively: a minute or two for the defaults.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

WARM = 10
#: The simulated last-level cache: 1 MiB, the size of one core's own (second-level) cache on the
#: machines this was measured on, so that "LL misses" are what a request's working set costs
#: beyond it (cachegrind would otherwise take the shared third-level cache, 32 MiB there).
LAST_LEVEL_BYTES = 1024 * 1024
COUNTERS = {
    "I refs": "instructions",
    "I1 misses": "I1 misses",
    "D refs": "data refs",
    "D1 misses": "D1 misses",
    "LL misses": "LL misses",
    "Branches": "branches",
    "Mispredicts": "mispredicted",
}


def count(tree: Path, requests: int, in_flight: int, journeys: int) -> dict[str, int]:
    """cachegrind's summary counts for one run of ``--drive requests``."""
    script = Path(__file__).with_name("request_path.py")
    with tempfile.TemporaryDirectory() as folder:
        result = subprocess.run(
            [
                "valgrind",
                "--tool=cachegrind",
                "--cache-sim=yes",
                "--branch-sim=yes",
                f"--LL={LAST_LEVEL_BYTES},16,64",
                f"--cachegrind-out-file={Path(folder) / 'out'}",
                sys.executable,
                str(script),
                "--drive",
                str(requests),
                "--in-flight",
                str(in_flight),
                "--journeys",
                str(journeys),
            ],
            cwd=tree,
            env={**os.environ, "PYTHONPATH": str(tree)},
            capture_output=True,
            text=True,
        )
    if result.returncode != 0:
        raise SystemExit(f"the run under valgrind failed:\n{result.stderr[-2000:]}")
    counts = read_summary(result.stderr)
    if counts is None:
        raise SystemExit(f"could not read cachegrind's summary:\n{result.stderr[-2000:]}")
    return counts


def read_summary(report: str) -> dict[str, int] | None:
    """The counters of ``COUNTERS`` from cachegrind's summary on standard error (None if one
    is missing)."""
    counts = {}
    for line in report.splitlines():
        match = re.search(
            r"==\d+== (I refs|I1 misses|D refs|D1 misses|LL misses|Branches|Mispredicts):\s+([\d,]+)",
            re.sub(r"\s+", " ", line),
        )
        if match:
            counts[match.group(1)] = int(match.group(2).replace(",", ""))
    return counts if set(counts) == set(COUNTERS) else None


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=200, help="Requests counted (after the first runs').")
    parser.add_argument("--in-flight", type=int, default=16)
    parser.add_argument(
        "--tree", type=Path, default=Path(__file__).resolve().parent.parent, help="The checkout to count."
    )
    args = parser.parse_args(argv)
    if shutil.which("valgrind") is None:
        sys.exit("bench.request_instructions needs valgrind (apt-get install valgrind)")
    journeys = 30 + WARM + args.requests
    few = count(args.tree, WARM, args.in_flight, journeys)
    many = count(args.tree, WARM + args.requests, args.in_flight, journeys)
    print(f"{args.tree}: {args.requests} requests of the cohort, {args.in_flight} in flight, per request:")
    for key, name in COUNTERS.items():
        print(f"  {name:<14} {(many[key] - few[key]) / args.requests:14,.0f}")


if __name__ == "__main__":
    main()
