"""``sendrules cohort run``: every partition decided, on local processes or Dask, then written.

The output folder holds, when the run is complete (CONTRACT §6 fixes the first four names):

    manifest.json     what was run: as_of, standards {id, version, sha256}, engine, input_sha256,
                      counts {journeys, findings, errors}, the measures and where they came from
    findings.parquet  one row per finding (partition.FINDINGS_SCHEMA), in input order
    errors.jsonl      one object per refused journey: line (row for Parquet), message
    measures.parquet  the measures' counts at the finest breakdown (partition.MEASURES_SCHEMA)

While it runs, ``run.json`` records the run's settings and ``parts/`` one set of files per
finished partition (written to a temporary name, then renamed; ``NNNNN.done.json`` last). An
interrupted run started again with the same command skips the finished partitions; a folder
holding a different run is refused. The final files are written in input order whatever order
the partitions finished in, so a local run and a Dask run write the same bytes.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from dataclasses import dataclass
from datetime import date
from multiprocessing import get_context
from pathlib import Path
from typing import Any, Callable, Iterable

import orjson
import pyarrow as pa
import pyarrow.parquet as pq

from sendrules.cohort import inputs
from sendrules.cohort.measures import MeasureChoice, choose_measures
from sendrules.cohort.partition import (
    FINDINGS_SCHEMA,
    KEY_COLUMNS,
    MEASURES_SCHEMA,
    PartitionResult,
    RunSettings,
    process_partition,
    worker_count,
)
from sendrules.engine import __version__ as ENGINE_VERSION
from sendrules.engine.calendar import holidays_data_version
from sendrules.engine.library import StandardsLibrary

MANIFEST = "manifest.json"
FINDINGS = "findings.parquet"
ERRORS = "errors.jsonl"
MEASURES = "measures.parquet"
STATE = "run.json"
PARTS = "parts"


class RunConflict(Exception):
    """The output folder holds a different run (or something else)."""


class Interrupted(Exception):
    """Stopped before every partition was done (the finished ones are kept for a resume)."""

    def __init__(self, done: int, total: int) -> None:
        super().__init__(f"stopped after {done} of {total} partitions")
        self.done = done
        self.total = total


@dataclass(frozen=True)
class RunOptions:
    input: Path
    out: Path
    as_of: date
    standards: str | None = None
    standards_root: Path | None = None
    school_closures: tuple[tuple[date, date], ...] = ()
    #: ``--term-dates``: the canonical term-dates object, ``england_term_pattern`` or None.
    term_dates: Any = None
    workers: int | None = None
    scheduler: str | None = None
    measures: str | None = None
    progress: bool = False
    #: Partition sizes (tests use small ones to get many partitions from a small cohort).
    target_bytes: int = inputs.TARGET_PARTITION_BYTES
    target_rows: int = inputs.TARGET_PARTITION_ROWS


@dataclass(frozen=True)
class Prepared:
    """What the driver decides before any partition runs."""

    settings: RunSettings
    plan: inputs.Plan
    choice: MeasureChoice


def prepare(options: RunOptions) -> Prepared:
    """Resolve the standards and the measures and plan the input. Raises ``StandardsError``,
    ``InputError`` or ``inputs.InputProblem`` for bad input."""
    library = StandardsLibrary(options.standards_root, watch=False)
    standard = library.resolve(options.standards, options.as_of)
    choice = choose_measures(library, standard, options.as_of, options.measures)
    plan = inputs.plan(options.input, options.target_bytes, options.target_rows)
    settings = RunSettings(
        standards=standard.reference,
        standards_sha256=standard.sha256,
        as_of=options.as_of,
        standards_root=str(options.standards_root) if options.standards_root else None,
        school_closures=tuple(options.school_closures),
        term_dates=json.dumps(options.term_dates, sort_keys=True) if options.term_dates is not None else None,
        measures_from=choice.source,
        measure_ids=tuple(measure.id for measure in choice.measures),
    )
    return Prepared(settings, plan, choice)


def run(
    options: RunOptions,
    *,
    stop_after: int | None = None,
    on_result: Callable[[PartitionResult], None] | None = None,
) -> dict:
    """Run (or resume) a cohort run and return its manifest. ``stop_after`` stops after that
    many newly finished partitions (tests of resuming use it)."""
    ready = prepare(options)
    out = options.out
    identity = _identity(ready)
    existing = _read_json(out / MANIFEST)
    if existing is not None and existing.get("run") == identity:
        return existing  # already complete
    _claim_folder(out, identity)
    parts = out / PARTS
    parts.mkdir(exist_ok=True)
    partitions = ready.plan.partitions
    done = {index for index in range(len(partitions)) if (parts / f"{index:05d}.done.json").is_file()}
    pending = [partition for partition in partitions if partition.index not in done]
    progress = _Progress(
        options.progress, ready.plan.total_size, sum(partitions[index].size for index in done)
    )
    finished_now = 0
    try:
        with progress:
            for result in _execute(options, ready.settings, pending, stop_after):
                _write_part(parts, result)
                if on_result is not None:
                    on_result(result)
                finished_now += 1
                progress.advance(partitions[result.index].size)
    except KeyboardInterrupt:
        raise Interrupted(len(done) + finished_now, len(partitions)) from None
    if len(done) + finished_now < len(partitions):
        raise Interrupted(len(done) + finished_now, len(partitions))
    manifest = _assemble(out, ready, identity)
    return manifest


# --- execution ---------------------------------------------------------------------------------


def _execute(
    options: RunOptions, settings: RunSettings, pending: list, stop_after: int | None
) -> Iterable[PartitionResult]:
    limit = len(pending) if stop_after is None else min(stop_after, len(pending))
    return execute(
        process_partition, (settings,), pending[:limit], workers=options.workers, scheduler=options.scheduler
    )


def execute(
    function: Callable,
    leading: tuple,
    pending: list,
    *,
    workers: int | None = None,
    scheduler: str | None = None,
) -> Iterable[Any]:
    """``function(*leading, partition)`` for every pending partition, results as they finish:
    on a Dask cluster (``scheduler``), in local worker processes, or in this process when one
    worker is enough. At most two partitions per worker are in flight, so memory stays bounded."""
    if not pending:
        return
    if scheduler:
        yield from _execute_dask(scheduler, function, leading, pending)
        return
    count = min(worker_count(workers), len(pending))
    if count == 1:
        for partition in pending:
            yield function(*leading, partition)
        return
    # Fresh interpreters (spawn), as Dask's workers are: nothing inherited by accident.
    with ProcessPoolExecutor(max_workers=count, mp_context=get_context("spawn")) as pool:
        queue = list(pending)
        running: set = set()
        try:
            while queue or running:
                while queue and len(running) < 2 * count:
                    running.add(pool.submit(function, *leading, queue.pop(0)))
                finished, running = wait(running, return_when=FIRST_COMPLETED)
                for future in finished:
                    yield future.result()
        except BaseException:
            for future in running:
                future.cancel()
            raise


def _execute_dask(address: str, function: Callable, leading: tuple, pending: list) -> Iterable[Any]:
    """The same partition function as Dask tasks on an existing cluster (docs/scale.md)."""
    try:
        from distributed import Client, as_completed
    except ImportError:
        raise inputs.InputProblem(
            "--scheduler needs Dask distributed: pip install 'sendrules[cluster]'"
        ) from None
    try:
        client = Client(address, set_as_default=False, timeout="20s")
    except (OSError, TimeoutError, ValueError) as error:
        raise inputs.InputProblem(f"cannot reach the Dask scheduler at {address}: {error}") from None
    with client:
        slots = 2 * max(1, sum(client.nthreads().values()))
        queue = list(pending)
        first = [
            client.submit(function, *leading, queue.pop(0), pure=False) for _ in range(min(slots, len(queue)))
        ]
        running = as_completed(first, loop=client.loop)
        try:
            for future in running:
                result = future.result()
                future.release()
                if queue:
                    running.add(client.submit(function, *leading, queue.pop(0), pure=False))
                yield result
        except BaseException:
            for future in list(running.futures):
                future.cancel()
            raise


# --- the folder --------------------------------------------------------------------------------


def _identity(ready: Prepared) -> dict:
    """What makes two runs the same run (a resume must match it exactly)."""
    settings = ready.settings
    return {
        "input_sha256": ready.plan.sha256,
        "input_format": ready.plan.format,
        "standards": settings.standards,
        "standards_sha256": settings.standards_sha256,
        "as_of": settings.as_of.isoformat(),
        "school_closures": [[start.isoformat(), end.isoformat()] for start, end in settings.school_closures],
        "term_dates": json.loads(settings.term_dates) if settings.term_dates is not None else None,
        "measures_from": settings.measures_from,
        "measures": list(settings.measure_ids),
        "engine": ENGINE_VERSION,
        "calendar": holidays_data_version(),
        "partitions": len(ready.plan.partitions),
    }


def _claim_folder(out: Path, identity: dict) -> None:
    if out.exists() and not out.is_dir():
        raise RunConflict(f"{out} is a file, not a folder")
    out.mkdir(parents=True, exist_ok=True)
    state = _read_json(out / STATE)
    if state is not None:
        if state != identity:
            changed = sorted(key for key in set(state) | set(identity) if state.get(key) != identity.get(key))
            raise RunConflict(
                f"{out} holds an unfinished run with different settings ({', '.join(changed)}); "
                "finish it with its own command, or use an empty folder"
            )
        return
    leftovers = [name for name in os.listdir(out) if name not in (PARTS,)]
    if leftovers:
        raise RunConflict(
            f"{out} is not empty and holds no run of this command ({', '.join(sorted(leftovers)[:3])} ...); "
            "use an empty or new folder"
        )
    _write_atomically(out / STATE, json.dumps(identity, indent=2).encode() + b"\n")


def _write_part(parts: Path, result: PartitionResult) -> None:
    stem = parts / f"{result.index:05d}"
    table = pa.ipc.open_stream(result.findings).read_all()
    tmp = stem.with_suffix(".findings.arrow.tmp")
    options = pa.ipc.IpcWriteOptions(compression="lz4")
    with pa.OSFile(str(tmp), "wb") as sink, pa.ipc.new_file(sink, FINDINGS_SCHEMA, options=options) as writer:
        writer.write_table(table)
    os.replace(tmp, stem.with_suffix(".findings.arrow"))
    _write_atomically(
        stem.with_suffix(".errors.jsonl"), b"".join(orjson.dumps(error) + b"\n" for error in result.errors)
    )
    done = {
        "index": result.index,
        "journeys": result.journeys,
        "findings": result.finding_count,
        "errors": len(result.errors),
        "measures": result.measures,
    }
    _write_atomically(stem.with_suffix(".done.json"), orjson.dumps(done))


def _assemble(out: Path, ready: Prepared, identity: dict) -> dict:
    """Concatenate the parts in input order into the final files and write the manifest."""
    parts = out / PARTS
    counts = {"journeys": 0, "findings": 0, "errors": 0}
    totals: dict[tuple, list[int]] = {}
    tmp_findings = out / (FINDINGS + ".tmp")
    tmp_errors = out / (ERRORS + ".tmp")
    with (
        pq.ParquetWriter(str(tmp_findings), FINDINGS_SCHEMA, compression="zstd") as writer,
        tmp_errors.open("wb") as errors,
    ):
        for partition in ready.plan.partitions:
            stem = parts / f"{partition.index:05d}"
            done = orjson.loads(stem.with_suffix(".done.json").read_bytes())
            with pa.memory_map(str(stem.with_suffix(".findings.arrow"))) as source:
                table = pa.ipc.open_file(source).read_all()
            if table.num_rows:
                writer.write_table(table, row_group_size=1_000_000)
            errors.write(stem.with_suffix(".errors.jsonl").read_bytes())
            for key in ("journeys", "findings", "errors"):
                counts[key] += done[key]
            for row in done["measures"]:
                key = tuple(row[:KEY_COLUMNS])
                entry = totals.setdefault(key, [0, 0])
                entry[0] += row[KEY_COLUMNS]
                entry[1] += row[KEY_COLUMNS + 1]
    rows = sorted(totals.items(), key=lambda item: tuple("" if value is None else value for value in item[0]))
    columns: dict[str, list] = {name: [] for name in MEASURES_SCHEMA.names}
    for key, (numerator, denominator) in rows:
        for name, value in zip(MEASURES_SCHEMA.names[:KEY_COLUMNS], key):
            columns[name].append(value)
        columns["numerator"].append(numerator)
        columns["denominator"].append(denominator)
    tmp_measures = out / (MEASURES + ".tmp")
    pq.write_table(pa.table(columns, schema=MEASURES_SCHEMA), str(tmp_measures), compression="zstd")
    os.replace(tmp_findings, out / FINDINGS)
    os.replace(tmp_errors, out / ERRORS)
    os.replace(tmp_measures, out / MEASURES)
    manifest = _manifest(ready, identity, counts)
    _write_atomically(out / MANIFEST, json.dumps(manifest, indent=2, ensure_ascii=False).encode() + b"\n")
    shutil.rmtree(parts, ignore_errors=True)
    (out / STATE).unlink(missing_ok=True)
    return manifest


def _manifest(ready: Prepared, identity: dict, counts: dict) -> dict:
    settings = ready.settings
    standards_id, _, version = settings.standards.partition("@")
    from sendrules.engine.calendar import reporting_period

    measures = []
    for measure in ready.choice.measures:
        start, end = reporting_period(measure.period, settings.as_of)
        entry: dict[str, Any] = {
            "id": measure.id,
            "title": measure.title,
            "kind": measure.kind,
            "unit": measure.unit,
            "period": measure.period,
            "period_start": start.isoformat(),
            "period_end": end.isoformat(),
            "breakdowns": list(measure.breakdowns),
            "categorised": measure.category is not None,
        }
        if measure.category is not None and measure.category.bands:
            entry["bands"] = [band.label for band in measure.category.bands]  # shortest first
        if measure.amount_unit:
            entry["amount_unit"] = measure.amount_unit
        if measure.source_title:
            entry["source"] = {"title": measure.source_title, "url": measure.source_url}
        for key in ("illustrative", "unconfirmed", "better"):
            if getattr(measure, key):
                entry[key] = getattr(measure, key)
        if measure.thresholds:
            entry["thresholds"] = dict(measure.thresholds)
        measures.append(entry)
    return {
        "as_of": settings.as_of.isoformat(),
        "standards": {"id": standards_id, "version": version, "sha256": settings.standards_sha256},
        "engine": {"version": ENGINE_VERSION, "backend": "reference", "calendar": holidays_data_version()},
        "input_sha256": ready.plan.sha256,
        "input": {"name": Path(ready.plan.path).name, "format": ready.plan.format},
        "school_closures": identity["school_closures"],
        "term_dates": identity["term_dates"],
        "counts": counts,
        "measures_from": {
            "standards": ready.choice.source,
            "sha256": ready.choice.source_sha256,
            "reason": ready.choice.reason,
            "not_computable": [
                {"measure": measure_id, "reason": reason} for measure_id, reason in ready.choice.skipped
            ],
        },
        "measures": measures,
        "run": identity,
    }


def _write_atomically(path: Path, data: bytes) -> None:
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)


def _read_json(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


class _Progress:
    """A progress bar (journeys per second and time left) on a terminal; nothing otherwise."""

    def __init__(self, enabled: bool, total: int, completed: int) -> None:
        self.enabled = enabled
        self.total = total
        self.completed = completed
        self.bar = None

    def __enter__(self) -> "_Progress":
        if self.enabled:
            from rich.console import Console
            from rich.progress import (
                BarColumn,
                MofNCompleteColumn,
                Progress,
                TaskProgressColumn,
                TextColumn,
                TimeRemainingColumn,
            )

            self.bar = Progress(
                TextColumn("deciding"),
                BarColumn(),
                MofNCompleteColumn(),
                TaskProgressColumn(),
                TextColumn("{task.fields[rate]}"),
                TimeRemainingColumn(),
                console=Console(stderr=True),
                transient=True,
            )
            self.bar.__enter__()
            self.task = self.bar.add_task("deciding", total=self.total, completed=self.completed, rate="")
        return self

    def advance(self, amount: int) -> None:
        if self.bar is not None:
            self.bar.advance(self.task, amount)
            speed = self.bar.tasks[0].speed
            self.bar.update(self.task, rate=f"{speed:,.0f} journeys/s" if speed else "")

    def __exit__(self, *exc) -> None:
        if self.bar is not None:
            self.bar.__exit__(*exc)


def progress_wanted() -> bool:
    """A bar only when a person is watching: standard error is a terminal."""
    return sys.stderr.isatty()
