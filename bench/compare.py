"""Benchmark: the reference evaluator of two source trees, measured in pairs (before/after a change).

    python -m bench.compare OLD_TREE [NEW_TREE] [--rounds 16] [--journeys 300]

OLD_TREE and NEW_TREE are checkouts of the repository (NEW_TREE defaults to this one), for
example ``git archive <commit> | tar -x -C /tmp/old``. One worker process per tree loads
``send-ap@1.0.0`` and a seeded cohort (bench/cohort.py), then the two are timed alternately,
one measurement from each within a fraction of a second, so that the load of a shared machine
falls on both alike. A measurement is the time per journey of ``find_all`` (matching), of
``evaluate`` (the whole decision) or of ``evaluate(...).to_json()`` (with its messages), each
chunk of 10 journeys timed 5 times and the best kept. Reported: the median ratio new/old with
quartiles and range, and each tree's best time. Nothing is asserted: benchmarks report.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

WORKER = r"""
import gc, sys, time
from datetime import date
from bench.cohort import cohort
from sendrules.engine import evaluator
from sendrules.engine.calendar import Calendar
from sendrules.engine.library import StandardsLibrary
standard = StandardsLibrary().resolve("send-ap@1.0.0", date(2025, 1, 1))
try:
    from sendrules.engine.prepared import PreparedStandard
    target = PreparedStandard(standard)
    validator = target.validator
except ImportError:  # a tree from before the prepared standard: the backends took the standard
    from sendrules.engine.journey import JourneyValidator
    target, validator = standard, JourneyValidator(standard)
calendar = Calendar()
journeys = [(validator.validate(raw), date.fromisoformat(as_of)) for raw, as_of in cohort(int(sys.argv[1]), 2025)]
chunks = [journeys[i:i + 10] for i in range(0, len(journeys), 10)]
work = {"find_all": lambda j, a: evaluator.find_all(target, j, a, calendar),
        "evaluate": lambda j, a: evaluator.evaluate(target, j, a, calendar),
        "to_json": lambda j, a: evaluator.evaluate(target, j, a, calendar).to_json()}
for run in work.values():
    for journey, as_of in journeys:
        run(journey, as_of)
gc.disable()
print("ready", flush=True)
for line in sys.stdin:
    run = work[line.strip()]
    total = 0.0
    for chunk in chunks:
        best = float("inf")
        for _ in range(5):
            start = time.perf_counter()
            for journey, as_of in chunk:
                run(journey, as_of)
            best = min(best, time.perf_counter() - start)
        total += best
    print(total / len(journeys) * 1e6, flush=True)
"""


class Worker:
    def __init__(self, tree: Path, journeys: int) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-c", WORKER, str(journeys)],
            cwd=tree,
            text=True,
            env={**os.environ, "PYTHONPATH": str(tree)},
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
        )
        assert self.process.stdout is not None and self.process.stdout.readline().strip() == "ready"

    def measure(self, what: str) -> float:
        assert self.process.stdin is not None and self.process.stdout is not None
        self.process.stdin.write(what + "\n")
        self.process.stdin.flush()
        return float(self.process.stdout.readline())

    def close(self) -> None:
        assert self.process.stdin is not None
        self.process.stdin.close()
        self.process.wait()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("old", type=Path)
    parser.add_argument("new", type=Path, nargs="?", default=ROOT)
    parser.add_argument("--rounds", type=int, default=16)
    parser.add_argument("--journeys", type=int, default=300)
    args = parser.parse_args(argv)
    old, new = Worker(args.old.resolve(), args.journeys), Worker(args.new.resolve(), args.journeys)
    print(f"old: {args.old}  new: {args.new}; {args.rounds} pairs of {args.journeys} journeys each")
    try:
        for what in ("find_all", "evaluate", "to_json"):
            ratios, old_times, new_times = [], [], []
            for number in range(args.rounds):
                if number % 2 == 0:  # alternate which goes first
                    before, after = old.measure(what), new.measure(what)
                else:
                    after, before = new.measure(what), old.measure(what)
                ratios.append(after / before)
                old_times.append(before)
                new_times.append(after)
            low, _, high = statistics.quantiles(ratios, n=4)
            print(
                f"{what:9} new/old: median {statistics.median(ratios):.3f} (quartiles {low:.3f}-{high:.3f}, "
                f"range {min(ratios):.3f}-{max(ratios):.3f}); best old {min(old_times):.1f} us, "
                f"best new {min(new_times):.1f} us per journey"
            )
    finally:
        old.close()
        new.close()


if __name__ == "__main__":
    main()
