"""The partition function: one part of a cohort in, its findings, measures and errors out.

``process_partition(settings, partition)`` is what every worker runs, a local process or a
Dask worker alike, so a local run and a distributed run produce the same bytes. Each process
prepares the standard once (``prepared``) and keeps it for every partition it is given.

For each journey: parse -> validate against the standard's vocabulary -> find every duty with
the reference evaluator (``sendrules.engine.evaluator.find_all``, the matching ``decide``
runs, sorted in the decision's order) -> one row per finding -> the measures' contributions.
What a cohort does not need is skipped: a decision's id, its request hash and the sentences of
its messages (the rows carry the facts those sentences are written from). A journey that fails
any step is one row of ``errors`` with its line (or row) and the reason; the partition goes on.
"""

from __future__ import annotations

import io
import os
import threading
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import orjson
import pyarrow as pa

from sendrules.cohort import regions
from sendrules.cohort.inputs import Partition, read_jsonl, read_parquet
from sendrules.cohort.measures import MeasureEvaluator, placement_provider
from sendrules.dsl import ir
from sendrules.engine import evaluator
from sendrules.engine.calendar import ClosureRange
from sendrules.engine.decision import Finding
from sendrules.engine.errors import EngineError
from sendrules.engine.journey import Journey
from sendrules.engine.library import StandardsLibrary
from sendrules.engine.prepared import PreparedStandard
from sendrules.engine.term_dates import choose_calendar, term_dates_from_data
from sendrules.engine.provision import expected_provision

#: The findings table (findings.parquet). CONTRACT §6 fixes child, local_authority, rule,
#: trigger, status, due and duty_holder; the rest are additions. Dates are ISO text. ``provider``:
#: the AP provider of the placement the finding's trigger is, or refers to (null otherwise).
FINDINGS_SCHEMA = pa.schema(
    [
        ("child", pa.string()),
        ("local_authority", pa.string()),
        ("region", pa.string()),
        ("school", pa.string()),
        ("trust", pa.string()),
        ("provider", pa.string()),
        ("rule", pa.string()),
        ("trigger", pa.string()),
        ("trigger_date", pa.string()),
        ("status", pa.string()),
        ("due", pa.string()),
        ("satisfied_by", pa.string()),
        ("satisfied_date", pa.string()),
        ("exception", pa.string()),
        ("exception_case", pa.bool_()),
        ("duty_holder", pa.string()),
        ("modality", pa.string()),
        ("line", pa.int64()),
    ]
)

#: The measures table (measures.parquet): counts at the finest breakdown; reports add them up.
#: ``provider`` is the AP provider of the placement counted, for measures broken down by provider
#: (null for every other measure, and for placements that name none).
MEASURES_SCHEMA = pa.schema(
    [
        ("measure", pa.string()),
        ("category", pa.string()),
        ("local_authority", pa.string()),
        ("region", pa.string()),
        ("school", pa.string()),
        ("trust", pa.string()),
        ("provider", pa.string()),
        ("numerator", pa.int64()),
        ("denominator", pa.int64()),
    ]
)

#: The key columns of a measures row (the counts follow).
KEY_COLUMNS = len(MEASURES_SCHEMA.names) - 2

#: Event types of the vocabulary extension that say where a child is on roll (docs/cohorts.md).
SCHOOL_REGISTERED = "school_registered"
SCHOOL_LEFT = "school_left"


@dataclass(frozen=True)
class RunSettings:
    """Everything a worker needs to decide a partition exactly as the driver intends."""

    standards: str  # exact reference, e.g. send-ap@1.1.0
    standards_sha256: str
    as_of: date
    standards_root: str | None = None
    school_closures: tuple[tuple[date, date], ...] = ()
    #: Term dates for every journey, as JSON text (kept hashable): the canonical term-dates object
    #: or ``"england_term_pattern"``; None: the standard's own ``school_days`` decides, as in ``decide``.
    term_dates: str | None = None
    #: Where the measures come from (exact reference) and which of them apply; empty: none.
    measures_from: str | None = None
    measure_ids: tuple[str, ...] = ()


@dataclass
class PartitionResult:
    index: int
    findings: bytes  # Arrow IPC stream of FINDINGS_SCHEMA
    errors: list[dict]
    measures: list[tuple]  # (measure, category, la, region, school, trust, provider, numerator, denominator)
    journeys: int
    finding_count: int
    #: Per journey: (line, child, tuple of finding keys) -- filled only when asked (compare).
    keyed: list = field(default_factory=list)


class Prepared:
    """The standard, its validator, the calendar and the measures: built once per process."""

    def __init__(self, settings: RunSettings) -> None:
        from pathlib import Path

        library = StandardsLibrary(
            Path(settings.standards_root) if settings.standards_root else None, watch=False
        )
        self.standard: ir.CompiledStandard = library.resolve(settings.standards, settings.as_of)
        if self.standard.sha256 != settings.standards_sha256:
            raise RuntimeError(
                f"this worker's {settings.standards} has sha256 {self.standard.sha256[:12]}..., "
                f"not {settings.standards_sha256[:12]}... as the run's: every worker must see the "
                "same standards"
            )
        self.engine = PreparedStandard(self.standard)
        self.validator = self.engine.validator
        given = orjson.loads(settings.term_dates) if settings.term_dates is not None else None
        term_dates = term_dates_from_data(given) if isinstance(given, dict) else given
        self.calendar = choose_calendar(
            term_dates,
            self.standard.school_days,
            tuple(ClosureRange(start, end) for start, end in settings.school_closures),
        )
        self.as_of = settings.as_of
        measures = measures_for_run(library, self.standard, settings)
        self.measures = MeasureEvaluator(self.standard, measures, settings.as_of)
        self.knows_schools = self.standard.event_type(SCHOOL_REGISTERED) is not None


def measures_for_run(
    library: StandardsLibrary, standard: ir.CompiledStandard, settings: RunSettings
) -> tuple:
    """The measures the run evaluates: those of ``settings.measures_from`` named in
    ``settings.measure_ids``, checked against the run's own standard."""
    if not settings.measures_from or not settings.measure_ids:
        return ()
    from sendrules.cohort.measures import choose_measures

    choice = choose_measures(library, standard, settings.as_of, settings.measures_from)
    return tuple(measure for measure in choice.measures if measure.id in settings.measure_ids)


_prepared: dict[RunSettings, Prepared] = {}
_lock = threading.Lock()


def prepared(settings: RunSettings) -> Prepared:
    """This process's preparation for ``settings`` (built on first use)."""
    found = _prepared.get(settings)
    if found is None:
        with _lock:
            found = _prepared.get(settings)
            if found is None:
                found = _prepared[settings] = Prepared(settings)
    return found


def process_partition(
    settings: RunSettings, partition: Partition, keep_keys: bool = False
) -> PartitionResult:
    """Decide every journey of one partition. Never raises for a bad journey."""
    ready = prepared(settings)
    table = _Columns()
    errors: list[dict] = []
    counts: dict[tuple, list[int]] = defaultdict(lambda: [0, 0])
    keyed: list = []
    journeys = 0
    source = read_parquet(partition) if partition.format == "parquet" else read_jsonl(partition)
    for line, raw in source:
        journeys += 1
        try:
            journey = _parse(raw)
            journey = ready.validator.validate(journey)
            findings = sorted(
                evaluator.find_all(ready.engine, journey, ready.as_of, ready.calendar), key=Finding.sort_key
            )
            provision = (
                expected_provision(ready.standard, journey, ready.as_of)
                if ready.measures.needs_provision and ready.standard.tables
                else None
            )
            contributions = ready.measures.evaluate(journey, findings, provision)
        except _Refused as refused:
            errors.append(_error(partition, line, None, str(refused)))
            continue
        except EngineError as error:
            errors.append(_error(partition, line, _child_of(raw), _describe(error)))
            continue
        la = regions.canonical_code(journey.child.local_authority)
        region = regions.region_of(la)
        school, trust = _school_and_trust(journey, ready) if ready.knows_schools else (None, None)
        table.add(journey, findings, line, la, region, school, trust, ready)
        for contribution in contributions:
            key = (
                contribution.measure,
                contribution.category,
                la,
                region,
                school,
                trust,
                contribution.provider,
            )
            entry = counts[key]
            if contribution.in_numerator:
                entry[0] += contribution.amount if _is_total(ready, contribution.measure) else 1
            entry[1] += 1
        if keep_keys:
            keyed.append(
                (
                    line,
                    journey.child.id,
                    la,
                    region,
                    tuple((f.rule, f.trigger, f.status, f.due) for f in findings),
                )
            )
    measures = [key + (numerator, denominator) for key, (numerator, denominator) in counts.items()]
    measures.sort(key=lambda row: tuple("" if value is None else value for value in row[:KEY_COLUMNS]))
    return PartitionResult(partition.index, table.to_ipc(), errors, measures, journeys, table.count, keyed)


def _is_total(ready: Prepared, measure_id: str) -> bool:
    return ready.measures.kinds.get(measure_id) == "total"


class _Refused(Exception):
    """A line or row that is not a journey at all (not JSON, not an object, broken rows)."""


def _parse(raw: Any) -> Any:
    if isinstance(raw, str):  # a Parquet child whose rows could not be assembled
        raise _Refused(raw)
    if isinstance(raw, dict):
        return raw
    try:
        return orjson.loads(raw)
    except orjson.JSONDecodeError as error:
        raise _Refused(f"not valid JSON: {error}") from None


def _child_of(raw: Any) -> str | None:
    """The child reference of a refused journey, when it can be read (to help find it)."""
    try:
        data = raw if isinstance(raw, dict) else orjson.loads(raw)
        child = data.get("child", {}).get("id") if isinstance(data, dict) else None
        return child if isinstance(child, str) and len(child) <= 64 else None
    except (orjson.JSONDecodeError, AttributeError):
        return None


def _describe(error: EngineError) -> str:
    """The reason in one line: the first problems, each naming the event and field."""
    shown = [problem.describe() for problem in error.problems[:5]]
    more = len(error.problems) - len(shown)
    text = error.message + (": " + "; ".join(shown) if shown else "")
    return text + (f"; and {more} more" if more > 0 else "")


def _error(partition: Partition, line: int, child: str | None, message: str) -> dict:
    entry: dict[str, Any] = {"line": line}
    if partition.format == "parquet":
        entry["row"] = line
    if child is not None:
        entry["child"] = child
    entry["message"] = message
    return entry


def _school_and_trust(journey: Journey, ready: Prepared) -> tuple[str | None, str | None]:
    """Where the child is on roll on the as-of date: the latest ``school_registered`` event
    visible then, unless a ``school_left`` event for it is visible too."""
    latest = None
    left: set[str] = set()
    for event in journey.events:
        if event.date > ready.as_of:
            continue
        if event.type == SCHOOL_REGISTERED and (
            latest is None or (event.date, event.index) > (latest.date, latest.index)
        ):
            latest = event
        elif event.type == SCHOOL_LEFT and event.fields.get("in_response_to"):
            left.add(event.fields["in_response_to"])
    if latest is None or latest.id in left:
        return None, None
    return latest.fields.get("school"), latest.fields.get("trust")


class _Columns:
    """Findings rows gathered column by column, then written as one Arrow record batch."""

    NAMES = FINDINGS_SCHEMA.names

    def __init__(self) -> None:
        self.columns: dict[str, list] = {name: [] for name in self.NAMES}
        self.count = 0

    def add(
        self, journey: Journey, findings: list[Finding], line: int, la, region, school, trust, ready: Prepared
    ) -> None:
        if not findings:
            return
        dates = {event.id: event.date for event in journey.events}
        by_id = {event.id: event for event in journey.events}
        cases = ready.measures.exception_cases(journey, findings)
        columns = self.columns
        child = journey.child.id
        for finding, case in zip(findings, cases):
            columns["child"].append(child)
            columns["local_authority"].append(la)
            columns["region"].append(region)
            columns["school"].append(school)
            columns["trust"].append(trust)
            columns["provider"].append(placement_provider(by_id.get(finding.trigger), by_id))
            columns["rule"].append(finding.rule)
            columns["trigger"].append(finding.trigger)
            columns["trigger_date"].append(dates[finding.trigger].isoformat())
            columns["status"].append(finding.status)
            columns["due"].append(finding.due.isoformat() if finding.due else None)
            columns["satisfied_by"].append(finding.satisfied_by)
            columns["satisfied_date"].append(
                dates[finding.satisfied_by].isoformat() if finding.satisfied_by else None
            )
            columns["exception"].append(finding.exception)
            columns["exception_case"].append(case)
            columns["duty_holder"].append(finding.duty_holder)
            columns["modality"].append(finding.modality)
            columns["line"].append(line)
        self.count += len(findings)

    def to_ipc(self) -> bytes:
        batch = pa.RecordBatch.from_pydict(self.columns, schema=FINDINGS_SCHEMA)
        sink = io.BytesIO()
        with pa.ipc.new_stream(sink, FINDINGS_SCHEMA) as writer:
            writer.write_batch(batch)
        return sink.getvalue()


def worker_count(requested: int | None) -> int:
    """Processes to use: as asked, else one per CPU this process may run on."""
    if requested:
        return max(1, requested)
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)
