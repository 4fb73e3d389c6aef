"""`sendrules cohort run` + `report` against the hand-written baseline driver, side by side.

    .venv/bin/python -m bench.cohort_run --journeys 100000          # about 20 events each
    .venv/bin/python -m bench.cohort_run --journeys 1000000 --dask --compare
    .venv/bin/python -m bench.cohort_run --profile 5000             # where one process's time goes

The cohort is bench/cohort.py's seeded generator (exactly 20 events per journey, every status
occurring), spread over the 153 local authorities, written once to a JSON Lines file (not
timed). Then, on the same file and the same number of processes (``--workers``, default 2):

* **baseline**: the hand-written driver the issue measured: each process reads its share of
  the lines and calls ``DecisionService.decide`` on each journey (a whole decision: findings,
  messages, hashes), keeping nothing;
* **cohort run + report**: ``sendrules.cohort.runner.run`` (findings.parquet, measures,
  errors, manifest) then ``report --by la``;
* optionally the same run on a Dask ``LocalCluster`` with as many single-threaded workers
  (``--dask``), and ``cohort compare send-ap@1.1.0 vs 2.0.0-draft`` (``--compare``).

Peak resident memory is read from the kernel (``ru_maxrss`` of this process and of its
children; for Dask, each worker's own peak). Timings are wall-clock; nothing here is a test.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import os
import pstats
import resource
import shutil
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from datetime import date
from multiprocessing import get_context
from pathlib import Path

import orjson

from bench.cohort import cohort as generate
from sendrules.cohort import regions

AS_OF = date(2025, 6, 1)
STANDARDS = "send-ap@1.1.0"


def write_cohort(path: Path, count: int, seed: int) -> None:
    authorities = [authority.code for authority in regions.all_authorities()]
    with path.open("wb") as sink:
        for number, (journey, _) in enumerate(generate(count, seed)):
            journey["child"]["local_authority"] = authorities[number % len(authorities)]
            sink.write(orjson.dumps(journey) + b"\n")


def _baseline_share(path: str, start: int, step: int) -> tuple[int, int]:
    from sendrules.engine.errors import EngineError
    from sendrules.engine.request import DecisionRequest
    from sendrules.engine.service import DecisionService

    service = DecisionService()
    decided = 0
    with open(path, "rb") as handle:
        for number, line in enumerate(handle):
            if number % step != start:
                continue
            try:
                service.decide(DecisionRequest(json.loads(line), AS_OF, STANDARDS))
                decided += 1
            except EngineError:
                pass
    return decided, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def baseline(path: Path, workers: int) -> dict:
    started = time.perf_counter()
    with ProcessPoolExecutor(workers, mp_context=get_context("spawn")) as pool:
        results = list(pool.map(_baseline_share, [str(path)] * workers, range(workers), [workers] * workers))
    elapsed = time.perf_counter() - started
    return {
        "seconds": elapsed,
        "decided": sum(r[0] for r in results),
        "peak_rss_mib": max(r[1] for r in results) / 1024,
    }


def cohort_run(path: Path, out: Path, workers: int, scheduler: str | None = None) -> dict:
    from sendrules.cohort import report
    from sendrules.cohort.runner import RunOptions, run

    shutil.rmtree(out, ignore_errors=True)
    started = time.perf_counter()
    manifest = run(
        RunOptions(
            input=path, out=out, as_of=AS_OF, standards=STANDARDS, workers=workers, scheduler=scheduler
        )
    )
    ran = time.perf_counter()
    rows = report.report(out, "la", 10)
    done = time.perf_counter()
    return {
        "seconds": done - started,
        "run_seconds": ran - started,
        "report_seconds": done - ran,
        "counts": manifest["counts"],
        "report_rows": len(rows),
        "findings_mib": (out / "findings.parquet").stat().st_size / 2**20,
    }


def compare_run(path: Path, workers: int) -> dict:
    from sendrules.cohort.compare import compare

    started = time.perf_counter()
    result = compare(path, STANDARDS, "send-ap@2.0.0-draft", AS_OF, workers=workers)
    return {
        "seconds": time.perf_counter() - started,
        "journeys": result["journeys"],
        "refused": result["refused"],
    }


def profile(count: int) -> str:
    """Where one process's time goes: one partition of ``count`` journeys, in this process."""
    from sendrules.cohort.inputs import Partition
    from sendrules.cohort.partition import prepared, process_partition
    from sendrules.cohort.runner import prepare, RunOptions

    folder = Path(tempfile.mkdtemp())
    path = folder / "cohort.jsonl"
    write_cohort(path, count, 7)
    ready = prepare(RunOptions(input=path, out=folder / "out", as_of=AS_OF, standards=STANDARDS))
    prepared(ready.settings)
    whole = Partition(0, str(path), "jsonl", 0, path.stat().st_size, 1, count)
    profiler = cProfile.Profile()
    started = time.perf_counter()
    profiler.enable()
    process_partition(ready.settings, whole)
    profiler.disable()
    elapsed = time.perf_counter() - started
    text = io.StringIO()
    stats = pstats.Stats(profiler, stream=text).sort_stats("cumulative")
    stats.print_stats(30)
    shutil.rmtree(folder)
    return (
        f"{count} journeys in {elapsed:.2f} s ({count / elapsed:,.0f} journeys/s, one process, profiled)\n"
        + text.getvalue()
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--journeys", type=int, default=100_000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seed", type=int, default=2025)
    parser.add_argument("--dask", action="store_true")
    parser.add_argument("--compare", action="store_true")
    parser.add_argument("--skip-baseline", action="store_true")
    parser.add_argument("--profile", type=int, metavar="N")
    parser.add_argument("--folder", type=Path, help="work folder (default: a temporary one, removed after)")
    args = parser.parse_args()
    if args.profile:
        print(profile(args.profile))
        return
    folder = args.folder or Path(tempfile.mkdtemp(prefix="cohort-bench-"))
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "cohort.jsonl"
    started = time.perf_counter()
    write_cohort(path, args.journeys, args.seed)
    print(
        f"cohort: {args.journeys:,} journeys of 20 events, {path.stat().st_size / 2**20:,.0f} MiB, "
        f"written in {time.perf_counter() - started:.0f} s (not timed); {args.workers} processes; "
        f"load average {os.getloadavg()[0]:.1f}"
    )
    results = {}
    if not args.skip_baseline:
        results["baseline"] = baseline(path, args.workers)
        print(
            f"baseline (DecisionService.decide, {args.workers} processes): {results['baseline']['seconds']:.1f} s, "
            f"{results['baseline']['decided'] / results['baseline']['seconds']:,.0f} journeys/s, "
            f"peak {results['baseline']['peak_rss_mib']:.0f} MiB per process"
        )
    results["cohort"] = cohort_run(path, folder / "out", args.workers)
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    run = results["cohort"]
    print(
        f"cohort run + report: {run['seconds']:.1f} s (run {run['run_seconds']:.1f} s, report "
        f"{run['report_seconds']:.1f} s), {args.journeys / run['seconds']:,.0f} journeys/s; "
        f"{run['counts']['findings']:,} findings ({run['findings_mib']:.0f} MiB); peak {children:.0f} MiB per "
        f"worker process, {own:.0f} MiB in the driver"
    )
    if args.dask:
        from distributed import LocalCluster

        with LocalCluster(
            n_workers=args.workers, threads_per_worker=1, processes=True, dashboard_address=None
        ) as cluster:
            results["dask"] = cohort_run(path, folder / "out-dask", args.workers, cluster.scheduler_address)
            with __import__("distributed").Client(cluster.scheduler_address) as client:
                peaks = client.run(lambda: resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
        same = (folder / "out" / "findings.parquet").read_bytes() == (
            folder / "out-dask" / "findings.parquet"
        ).read_bytes()
        print(
            f"dask (LocalCluster, {args.workers} workers): {results['dask']['seconds']:.1f} s "
            f"({results['dask']['seconds'] / run['seconds'] - 1:+.0%} against local); findings identical: {same}; "
            f"peak {max(peaks.values()):.0f} MiB per worker"
        )
    if args.compare:
        results["compare"] = compare_run(path, args.workers)
        print(
            f"compare {STANDARDS} vs 2.0.0-draft: {results['compare']['seconds']:.1f} s "
            f"({results['compare']['seconds'] / run['run_seconds']:.2f}x a single run)"
        )
    print(json.dumps(results, indent=2, default=str))
    if not args.folder:
        shutil.rmtree(folder)


if __name__ == "__main__":
    main()
