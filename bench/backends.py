"""Benchmark: the reference evaluator, the Rete backend and the hand-written baseline.

    python -m bench.backends [--journeys 1000] [--repeat 3] [--memory 100000] [--seed 2025]

Same process, same seeded cohort of 20-event journeys (bench/cohort.py), same standard
(send-ap@1.0.0, the ten rules the baseline implements). For each: throughput (best of
``--repeat`` passes) and the p50/p99 latency of a single decision (from one timed pass).
Then the Rete backend's resident memory while ``--memory`` decisions stream through, to show
that deleting each decision's partition keeps it flat. Nothing is asserted: benchmarks report.
"""

from __future__ import annotations

import argparse
import gc
import os
import platform
import statistics
import time
from datetime import date

from bench.baseline import baseline_findings
from bench.cohort import cohort
from bench.evaluator import rss_mib
from sendrules.engine import evaluator, rete
from sendrules.engine.calendar import Calendar
from sendrules.engine.library import StandardsLibrary
from sendrules.engine.prepared import PreparedStandard


def latencies(decide, journeys) -> list[float]:
    timings = []
    for journey, as_of, calendar in journeys:
        start = time.perf_counter()
        decide(journey, as_of, calendar)
        timings.append(time.perf_counter() - start)
    return timings


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--journeys", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--memory", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=2025)
    args = parser.parse_args(argv)

    standard = PreparedStandard(StandardsLibrary().resolve("send-ap@1.0.0", date(2025, 1, 1)))
    validator = standard.validator
    journeys = [
        (validator.validate(raw), date.fromisoformat(as_of), Calendar())
        for raw, as_of in cohort(args.journeys, args.seed)
    ]
    engine = rete.ReteEngine()
    contenders = {
        "hand-written baseline": lambda j, a, c: baseline_findings(j, a, c),
        "reference evaluator": lambda j, a, c: evaluator.evaluate(standard, j, a, c),
        "Rete backend (durable-rules)": lambda j, a, c: engine.evaluate(standard, j, a, c),
    }
    print(
        f"machine: {platform.python_implementation()} {platform.python_version()}, "
        f"{os.cpu_count()} CPUs, {platform.machine()}"
    )
    print(
        f"cohort: {args.journeys} journeys of 20 events, seed {args.seed}, {standard.reference}; "
        f"throughput best of {args.repeat}"
    )
    for decide in contenders.values():  # warm up: prepared rules, bank holidays, Rete program
        latencies(decide, journeys[:50])
    results = {}
    for _ in range(args.repeat):
        for name, decide in contenders.items():
            gc.collect()
            timings = latencies(decide, journeys)
            best = results.get(name)
            if best is None or sum(timings) < sum(best):
                results[name] = timings
    baseline_rate = len(journeys) / sum(results["hand-written baseline"])
    print(f"{'':30} {'decisions/s':>12} {'vs baseline':>12} {'p50':>9} {'p99':>9}")
    for name, timings in results.items():
        rate = len(journeys) / sum(timings)
        print(
            f"{name:30} {rate:>12,.0f} {baseline_rate / rate:>11.1f}x "
            f"{percentile(timings, 0.5) * 1e3:>7.3f}ms {percentile(timings, 0.99) * 1e3:>7.3f}ms"
        )

    if args.memory:
        print(f"Rete backend, resident memory while {args.memory:,} decisions stream through:")
        checkpoints = sorted({args.memory // 10, args.memory // 4, args.memory // 2, args.memory})
        done = 0
        first = None
        for raw, as_of in cohort(args.memory, args.seed + 1):
            engine.evaluate(standard, validator.validate(raw), date.fromisoformat(as_of), Calendar())
            done += 1
            if done in checkpoints:
                gc.collect()
                reading = rss_mib()
                first = first if first is not None else reading
                print(f"  after {done:>7,} decisions: {reading:7.1f} MiB")
        print(
            f"  growth from the first reading: {rss_mib() - first:+.1f} MiB; "
            f"open partitions: {len(engine._partitions)}"
        )
        print(
            f"  latency spread over the run: median decision "
            f"{statistics.median(results['Rete backend (durable-rules)']) * 1e3:.3f} ms"
        )


if __name__ == "__main__":
    main()
