"""Benchmark: does a decision's cost grow linearly with the journey's length?

    python -m bench.long_journeys [--sizes 20,200,2000] [--events 40000] [--seed 2025] [--rete] [--standards send-ap@1.0.0]

For each journey length, seeded synthetic journeys (bench/cohort.py; about ``--events`` events
in all per length) are decided on the reference evaluator (send-ap@1.0.0) and by the
hand-written baseline, in one process, and the cost *per event* is reported, with each length's
cost per event against the 20-event journeys'. ``--rete`` adds the Rete backend. Linear growth keeps that ratio near 1; a lookup
that scans a type's whole event list per trigger makes it grow with the length. Nothing is
asserted about time (tests/engine/test_linear.py counts lookups instead).
"""

from __future__ import annotations

import argparse
import os
import platform
import time
from datetime import date

from bench.baseline import baseline_findings
from bench.cohort import cohort
from sendrules.engine import evaluator
from sendrules.engine.calendar import Calendar
from sendrules.engine.library import StandardsLibrary
from sendrules.engine.prepared import PreparedStandard


def per_event(decide, journeys) -> float:
    events = sum(len(journey.events) for journey, _ in journeys)
    best = float("inf")
    for _ in range(3):
        start = time.perf_counter()
        for journey, as_of in journeys:
            decide(journey, as_of)
        best = min(best, time.perf_counter() - start)
    return best / events


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="20,200,2000")
    parser.add_argument("--events", type=int, default=40_000)
    parser.add_argument("--seed", type=int, default=2025)
    parser.add_argument("--rete", action="store_true", help="also the Rete backend (durable-rules)")
    parser.add_argument(
        "--standards",
        default="send-ap@1.0.0",
        help="the version decided (the baseline is always 1.0.0's ten rules)",
    )
    args = parser.parse_args(argv)
    prepared = PreparedStandard(StandardsLibrary().resolve(args.standards, date(2025, 1, 1)))
    calendar = Calendar()
    ways = {
        "reference evaluator": lambda journey, as_of: evaluator.evaluate(prepared, journey, as_of, calendar),
        "hand-written baseline": lambda journey, as_of: baseline_findings(journey, as_of, calendar),
    }
    if args.rete:
        from sendrules.engine.rete import ReteEngine

        rete = ReteEngine()
        ways["Rete backend"] = lambda journey, as_of: rete.evaluate(prepared, journey, as_of, calendar)
    print(
        f"# cost per event by journey length: {args.standards}, {os.cpu_count()} CPUs, "
        f"{platform.python_implementation()} {platform.python_version()}"
    )
    print("| events per journey | journeys | way | µs per event | vs 20-event journeys |")
    print("|---|---|---|---|---|")
    first: dict[str, float] = {}
    for size in (int(part) for part in args.sizes.split(",")):
        count = max(1, args.events // size)
        journeys = [
            (prepared.validator.validate(raw), date.fromisoformat(as_of))
            for raw, as_of in cohort(count, args.seed, size)
        ]
        for way, decide in ways.items():
            cost = per_event(decide, journeys)
            first.setdefault(way, cost)
            print(f"| {size} | {count} | {way} | {cost * 1e6:.1f} | {cost / first[way]:.2f}× |")


if __name__ == "__main__":
    main()
