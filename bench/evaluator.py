"""Benchmark: the reference evaluator against the hand-written baseline, in the same run.

    python -m bench.evaluator [--journeys 2000] [--repeat 5] [--memory 100000] [--seed 2025]

Reports, for a seeded cohort of 20-event journeys:

* decisions per second of the evaluator's matching (``find_all``), of a whole decision
  (``evaluate``: findings, sorting, hashes and ids) and of the hand-written baseline, and the
  ratio evaluator / baseline (target: within 3x);
* pack load + check + compile time, cold (a fresh interpreter, grammar included) and warm
  (target: under 0.5 s);
* resident memory while 100,000 decisions stream through (target: flat).

Timings are the best of ``--repeat`` runs, evaluator and baseline interleaved. Nothing here is
asserted: benchmarks report, tests check.
"""

from __future__ import annotations

import argparse
import gc
import os
import platform
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

from bench.baseline import baseline_findings
from bench.cohort import cohort
from sendrules.engine.calendar import Calendar
from sendrules.engine.evaluator import evaluate, find_all
from sendrules.engine.library import StandardsLibrary
from sendrules.engine.prepared import PreparedStandard

ROOT = Path(__file__).resolve().parents[1]


def rss_mib() -> float:
    """Resident set size of this process, in MiB (Linux)."""
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def best_of(repeat: int, work) -> float:
    timings = []
    for _ in range(repeat):
        gc.collect()
        start = time.perf_counter()
        work()
        timings.append(time.perf_counter() - start)
    return min(timings)


def prepared_cohort(standard, count: int, seed: int):
    validator = standard.validator
    calendar = Calendar()
    return [
        (validator.validate(raw), date.fromisoformat(as_of), calendar) for raw, as_of in cohort(count, seed)
    ]


def measure_throughput(standard, journeys, repeat: int) -> dict[str, float]:
    def run_find_all():
        for journey, as_of, calendar in journeys:
            find_all(standard, journey, as_of, calendar)

    def run_evaluate():
        for journey, as_of, calendar in journeys:
            evaluate(standard, journey, as_of, calendar)

    def run_baseline():
        for journey, as_of, calendar in journeys:
            baseline_findings(journey, as_of, calendar)

    run_find_all(), run_baseline()  # warm caches (prepared rules, bank holidays)
    results = {"find_all": [], "evaluate": [], "baseline": []}
    for _ in range(repeat):  # interleaved, so drift affects all three alike
        results["find_all"].append(best_of(1, run_find_all))
        results["evaluate"].append(best_of(1, run_evaluate))
        results["baseline"].append(best_of(1, run_baseline))
    return {name: len(journeys) / min(times) for name, times in results.items()}


def measure_pack_build() -> dict[str, float]:
    """Cold: a fresh interpreter (imports, grammar tables, pack); warm: the pack alone."""
    folder = ROOT / "standards" / "send-ap" / "1.0.0"
    script = (
        "import time; t0=time.perf_counter(); from pathlib import Path; "
        "from sendrules.dsl.pipeline import build_standard; from sendrules.dsl.parser import get_parser; "
        "t1=time.perf_counter(); get_parser(); t2=time.perf_counter(); "
        f"r=build_standard(Path({str(folder)!r}), 'send-ap/1.0.0'); t3=time.perf_counter(); "
        "assert r.ok; print(t1-t0, t2-t1, t3-t2)"
    )
    runs = []
    for _ in range(3):
        output = subprocess.run(
            [sys.executable, "-c", script],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
            env={**os.environ, "PYTHONPATH": str(ROOT)},
        )
        runs.append([float(part) for part in output.stdout.split()])
    imports, grammar, pack = (min(run[i] for run in runs) for i in range(3))
    from sendrules.dsl.pipeline import build_standard

    build_standard(folder, "send-ap/1.0.0")
    warm = best_of(5, lambda: build_standard(folder, "send-ap/1.0.0"))
    return {"imports": imports, "grammar": grammar, "cold_pack": pack, "warm": warm}


def measure_memory(standard, total: int, seed: int) -> list[tuple[int, float]]:
    validator = standard.validator
    calendar = Calendar()
    checkpoints = sorted({total // 10, total // 4, total // 2, (3 * total) // 4, total})
    readings = []
    done = 0
    for raw, as_of in cohort(total, seed + 1):
        evaluate(standard, validator.validate(raw), date.fromisoformat(as_of), calendar)
        done += 1
        if done in checkpoints:
            gc.collect()
            readings.append((done, rss_mib()))
    return readings


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--journeys", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument(
        "--memory", type=int, default=100_000, help="decisions streamed for the memory check (0: skip)"
    )
    parser.add_argument("--seed", type=int, default=2025)
    args = parser.parse_args(argv)

    standard = PreparedStandard(StandardsLibrary().resolve("send-ap@1.0.0", date(2025, 1, 1)))
    print(
        f"machine: {platform.python_implementation()} {platform.python_version()}, "
        f"{os.cpu_count()} CPUs, {platform.machine()}"
    )
    print(f"cohort: {args.journeys} journeys of 20 events, seed {args.seed}; best of {args.repeat}")

    journeys = prepared_cohort(standard, args.journeys, args.seed)
    findings = sum(len(find_all(standard, *entry)) for entry in journeys)
    print(f"findings per journey: {findings / len(journeys):.1f}")
    rates = measure_throughput(standard, journeys, args.repeat)
    print(f"hand-written baseline:        {rates['baseline']:>10,.0f} decisions/s")
    print(
        f"evaluator, matching only:     {rates['find_all']:>10,.0f} decisions/s "
        f"(baseline is {rates['baseline'] / rates['find_all']:.2f}x faster; target <= 3x)"
    )
    print(
        f"evaluator, whole decision:    {rates['evaluate']:>10,.0f} decisions/s "
        f"(baseline is {rates['baseline'] / rates['evaluate']:.2f}x faster)"
    )

    build = measure_pack_build()
    cold = build["grammar"] + build["cold_pack"]
    print(
        f"pack load+check+compile:      cold {cold * 1000:.0f} ms in a fresh interpreter "
        f"(grammar tables {build['grammar'] * 1000:.0f} ms + pack {build['cold_pack'] * 1000:.0f} ms; "
        f"importing the libraries first takes {build['imports'] * 1000:.0f} ms), "
        f"warm {build['warm'] * 1000:.0f} ms (target < 500 ms)"
    )

    if args.memory:
        readings = measure_memory(standard, args.memory, args.seed)
        print("resident memory while streaming decisions (validate + evaluate):")
        for done, mib in readings:
            print(f"  after {done:>7,} decisions: {mib:7.1f} MiB")
        print(f"  growth from first to last reading: {readings[-1][1] - readings[0][1]:+.1f} MiB")


if __name__ == "__main__":
    main()
