"""Reading a cohort: JSON Lines or Parquet, planned as partitions read independently.

**JSON Lines**: one journey (CONTRACT §1) per line, UTF-8. Blank lines are skipped. A
partition is a byte range that starts and ends on a line boundary; it knows the number of its
first line, so every refused journey is reported by its line.

**Parquet**: one row per event, rows of one child together and in the child's event order:

    child_id        string, required      the pseudonymous reference (CONTRACT §1 child.id)
    date_of_birth   date or string        required; the same on every row of the child
    local_authority string                optional (ONS code or 3-digit number)
    event_id        string                the event's id; null on a child's only row when the
                                          child has no events
    event_type      string                the event's type
    event_date      date or string        the day it happened
    any other column                      an event field of that name; null means absent
                                          (dates become YYYY-MM-DD; whole numbers, booleans
                                          and text are kept)

A partition is a range of rows that never splits a child. Rows of one child that are not
together are an error for that child (reported with its first row); nothing is guessed.

Planning reads the input once, computing its sha256 (recorded in the manifest) as it goes.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any, Iterator

#: Aim for partitions of about this many bytes of JSON Lines (about 4,000 journeys of 20
#: events): big enough that per-partition overheads vanish, small enough for bounded memory.
TARGET_PARTITION_BYTES = 8 * 1024 * 1024
#: ... and of about this many Parquet rows.
TARGET_PARTITION_ROWS = 80_000
BLOCK = 4 * 1024 * 1024
PARQUET_FIXED = ("child_id", "date_of_birth", "local_authority", "event_id", "event_type", "event_date")


class InputProblem(Exception):
    """The input as a whole cannot be read (missing, unknown format, not Parquet ...)."""


@dataclass(frozen=True)
class Partition:
    """One independently readable part of the input."""

    index: int
    path: str
    format: str  # jsonl | parquet
    start: int  # byte offset (jsonl) or first row (parquet, 0-based)
    end: int  # exclusive
    first_line: int  # 1-based number of the first line (jsonl) or row (parquet)
    size: int  # lines (jsonl, upper bound of journeys) or rows (parquet)


@dataclass(frozen=True)
class Plan:
    path: str
    format: str
    sha256: str
    partitions: tuple[Partition, ...]

    @property
    def total_size(self) -> int:
        return sum(partition.size for partition in self.partitions)


def detect_format(path: Path) -> str:
    """``parquet`` (by its magic bytes) or ``jsonl``."""
    if not path.is_file():
        raise InputProblem(f"{path}: no such file")
    with path.open("rb") as handle:
        head = handle.read(4)
    return "parquet" if head == b"PAR1" else "jsonl"


def plan(
    path: Path, target_bytes: int = TARGET_PARTITION_BYTES, target_rows: int = TARGET_PARTITION_ROWS
) -> Plan:
    """Read the input once: its hash and its partitions."""
    kind = detect_format(path)
    if kind == "parquet":
        return _plan_parquet(path, target_rows)
    return _plan_jsonl(path, target_bytes)


def _plan_jsonl(path: Path, target_bytes: int) -> Plan:
    digest = hashlib.sha256()
    partitions: list[Partition] = []
    start, start_line, offset, number = 0, 1, 0, 0
    with path.open("rb", buffering=BLOCK) as handle:
        for line in handle:
            digest.update(line)
            offset += len(line)
            number += 1
            if offset - start >= target_bytes:
                partitions.append(
                    Partition(
                        len(partitions),
                        str(path),
                        "jsonl",
                        start,
                        offset,
                        start_line,
                        number - start_line + 1,
                    )
                )
                start, start_line = offset, number + 1
    if offset > start:
        partitions.append(
            Partition(len(partitions), str(path), "jsonl", start, offset, start_line, number - start_line + 1)
        )
    return Plan(str(path), "jsonl", digest.hexdigest(), tuple(partitions))


def read_jsonl(partition: Partition) -> Iterator[tuple[int, bytes]]:
    """(line number, line) for every non-blank line of a JSON Lines partition."""
    with open(partition.path, "rb") as handle:
        handle.seek(partition.start)
        data = handle.read(partition.end - partition.start)
    for number, line in enumerate(data.split(b"\n"), start=partition.first_line):
        if line.strip():
            yield number, line


# --- Parquet -------------------------------------------------------------------------------


def _plan_parquet(path: Path, target_rows: int) -> Plan:
    import pyarrow.parquet as pq

    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(BLOCK), b""):
            digest.update(block)
    try:
        parquet = pq.ParquetFile(path)
    except Exception as error:  # pyarrow raises several kinds for a damaged file
        raise InputProblem(f"{path}: not a readable Parquet file ({error})") from None
    names = parquet.schema_arrow.names
    missing = [
        name
        for name in ("child_id", "date_of_birth", "event_id", "event_type", "event_date")
        if name not in names
    ]
    if missing:
        raise InputProblem(
            f"{path}: the Parquet input lacks the column(s) {', '.join(missing)} "
            "(docs/cohorts.md: input schema)"
        )
    partitions: list[Partition] = []
    start = 0
    row = 0
    previous: Any = object()
    for batch in parquet.iter_batches(columns=["child_id"], batch_size=65_536):
        for child in batch.column(0).to_pylist():
            if row - start >= target_rows and child != previous:
                partitions.append(
                    Partition(len(partitions), str(path), "parquet", start, row, start + 1, row - start)
                )
                start = row
            previous = child
            row += 1
    if row > start:
        partitions.append(
            Partition(len(partitions), str(path), "parquet", start, row, start + 1, row - start)
        )
    return Plan(str(path), "parquet", digest.hexdigest(), tuple(partitions))


def read_parquet(partition: Partition) -> Iterator[tuple[int, dict | str]]:
    """(first row number, journey dict or an error message) for each child of a partition."""
    import pyarrow.parquet as pq

    parquet = pq.ParquetFile(partition.path)
    metadata = parquet.metadata
    groups, first_row, row = [], None, 0
    for group in range(metadata.num_row_groups):
        rows = metadata.row_group(group).num_rows
        if row + rows > partition.start and row < partition.end:
            groups.append(group)
            if first_row is None:
                first_row = row
        row += rows
    if not groups:
        return
    table = parquet.read_row_groups(groups)
    table = table.slice(partition.start - first_row, partition.end - partition.start)
    columns = {name: table.column(name).to_pylist() for name in table.column_names}
    field_names = [name for name in table.column_names if name not in PARQUET_FIXED]
    seen: set = set()
    current: dict | None = None
    current_row = 0
    count = table.num_rows
    for index in range(count):
        child_id = columns["child_id"][index]
        if current is None or child_id != current["child"]["id"]:
            if current is not None:
                yield current_row, _finish(current)
            current_row = partition.start + index + 1
            if child_id in seen:
                current = {
                    "child": {"id": child_id},
                    "events": [],
                    "_error": f"the rows of child {child_id!r} are not together (rows of one child must be consecutive)",
                }
                continue
            seen.add(child_id)
            child: dict[str, Any] = {"id": child_id, "date_of_birth": _text(columns["date_of_birth"][index])}
            if columns.get("local_authority") and columns["local_authority"][index] is not None:
                child["local_authority"] = columns["local_authority"][index]
            current = {"child": child, "events": []}
        if current.get("_error"):
            continue
        if _text(columns["date_of_birth"][index]) != current["child"]["date_of_birth"]:
            current["_error"] = (
                f"row {partition.start + index + 1}: date_of_birth differs from the child's first row"
            )
            continue
        if columns["event_id"][index] is None and columns["event_type"][index] is None:
            continue
        event: dict[str, Any] = {
            "id": columns["event_id"][index],
            "type": columns["event_type"][index],
            "date": _text(columns["event_date"][index]),
        }
        for name in field_names:
            value = columns[name][index]
            if value is not None:
                event[name] = _text(value)
        current["events"].append(event)
    if current is not None:
        yield current_row, _finish(current)


def _finish(journey: dict) -> dict | str:
    error = journey.pop("_error", None)
    return error if error else journey


def _text(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return value


def write_parquet_input(journeys, path: Path) -> None:
    """Write journeys (dicts) as a Parquet cohort in the documented schema (for tests, demos and
    ``cohort synth --format parquet``). Field columns are text, whole numbers or booleans."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    rows: dict[str, list] = {name: [] for name in PARQUET_FIXED}
    extra: dict[str, list] = {}
    count = 0
    for journey in journeys:
        child = journey["child"]
        events = journey["events"] or [None]
        for event in events:
            rows["child_id"].append(child["id"])
            rows["date_of_birth"].append(child["date_of_birth"])
            rows["local_authority"].append(child.get("local_authority"))
            rows["event_id"].append(event["id"] if event else None)
            rows["event_type"].append(event["type"] if event else None)
            rows["event_date"].append(event["date"] if event else None)
            for name, value in (event or {}).items():
                if name in ("id", "type", "date"):
                    continue
                extra.setdefault(name, [None] * count).append(value)
            count += 1
            for column in extra.values():
                if len(column) < count:
                    column.append(None)
    arrays = {name: pa.array(values, type=pa.string()) for name, values in rows.items()}
    for name, values in sorted(extra.items()):
        kinds = {type(value) for value in values if value is not None}
        if kinds == {bool}:
            arrays[name] = pa.array(values, type=pa.bool_())
        elif kinds == {int}:
            arrays[name] = pa.array(values, type=pa.int64())
        else:
            arrays[name] = pa.array(
                [None if value is None else str(value) for value in values], type=pa.string()
            )
    pq.write_table(pa.table(arrays), path, row_group_size=50_000)
