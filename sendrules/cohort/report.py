"""``sendrules cohort report``: a run's measures by local authority, region, school or trust,
each set beside its region and England, with small numbers suppressed.

Everything comes from the run's folder (manifest.json and measures.parquet). A region or
England is the sum of the counts below it, never an average of rates.

Suppression (``--suppress N``, default 10; 0 turns it off for work that is not published):

* primary: a row is suppressed when any count that could identify children is from 1 to N-1:
  the numerator, the denominator, or (for a rate) the denominator minus the numerator;
* secondary: where exactly one row of a group (the local authorities of a region, the schools
  or trusts of a local authority, the regions of England) is suppressed, the next smallest row
  of that group is suppressed too, so that the published total cannot give it away.

A suppressed row keeps its keys and says ``suppressed: true``; its numbers are null. The
threshold follows the statistical disclosure control practice of the Office for National
Statistics (no published count below 10 for record-level data) and the Government Statistical
Service's guidance on marking suppressed cells; docs/cohorts.md cites both.
"""

from __future__ import annotations

import csv
import io
import json
from collections import defaultdict
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq

from sendrules.cohort import regions

BREAKDOWNS = ("la", "region", "school", "trust", "provider")
COLUMN = {
    "la": "local_authority",
    "region": "region",
    "school": "school",
    "trust": "trust",
    "provider": "provider",
}
#: Breakdowns that cross local authorities: an AP provider takes placements from several, so its
#: rows have England as their only comparator (no region) and form one suppression group.
NATIONAL = ("provider",)
DEFAULT_SUPPRESSION = 10
#: The columns of the CSV form (the JSON objects have the same keys).
CSV_COLUMNS = (
    "measure",
    "title",
    "breakdown",
    "key",
    "name",
    "category",
    "numerator",
    "denominator",
    "value",
    "suppressed",
    "suppression",
    "region",
    "region_numerator",
    "region_denominator",
    "region_value",
    "england_numerator",
    "england_denominator",
    "england_value",
    "kind",
    "period_start",
    "period_end",
    "illustrative",
)


class ReportProblem(Exception):
    """The folder is not a finished run."""


def load_run(folder: Path) -> tuple[dict, dict[str, list]]:
    manifest_path = folder / "manifest.json"
    if not manifest_path.is_file():
        raise ReportProblem(
            f"{folder} holds no finished run (no manifest.json); run `sendrules cohort run` first"
        )
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    table = pq.read_table(folder / "measures.parquet")
    columns = {name: table.column(name).to_pylist() for name in table.column_names}
    columns.setdefault("provider", [None] * table.num_rows)  # a run made before providers
    return manifest, columns


def report(
    folder: Path,
    by: str = "la",
    suppress: int = DEFAULT_SUPPRESSION,
    local_authority: str | None = None,
) -> list[dict[str, Any]]:
    """The report rows, measure by measure (manifest order), key by key. With
    ``local_authority`` (an ONS code), only that authority's counts are added up (its rows'
    England comparators are then that authority's too)."""
    if by not in BREAKDOWNS:
        raise ReportProblem(f"--by must be one of {', '.join(BREAKDOWNS)}")
    manifest, columns = load_run(folder)
    rows: list[dict[str, Any]] = []
    of_measure: dict[str, list[int]] = defaultdict(list)
    for index, measure_id in enumerate(columns["measure"]):
        if local_authority is None or columns["local_authority"][index] == local_authority:
            of_measure[measure_id].append(index)
    for measure in manifest["measures"]:
        if by in measure["breakdowns"]:
            rows.extend(_measure_rows(measure, by, columns, of_measure[measure["id"]], suppress))
    return rows


def _measure_rows(measure: dict, by: str, columns: dict, indexes: list[int], suppress: int) -> list[dict]:
    key_column = COLUMN[by]
    categories = [None] + sorted(
        {columns["category"][index] for index in indexes if columns["category"][index] is not None}
    )
    rows = []
    for category in categories:
        by_key: dict[Any, list[int]] = defaultdict(lambda: [0, 0])
        by_region: dict[Any, list[int]] = defaultdict(lambda: [0, 0])
        england = [0, 0]
        parent_of: dict[Any, Any] = {}
        region_of: dict[Any, Any] = {}
        for index in indexes:
            if category is not None and columns["category"][index] != category:
                continue
            numerator, denominator = columns["numerator"][index], columns["denominator"][index]
            key = columns[key_column][index]
            region = columns["region"][index]
            for target in (by_key[key], by_region[region], england):
                target[0] += numerator
                target[1] += denominator
            region_of.setdefault(key, None if by in NATIONAL else region)
            parent_of.setdefault(
                key,
                "E92000001"
                if by == "region" or by in NATIONAL
                else (region if by == "la" else columns["local_authority"][index]),
            )
        if not by_key:
            continue
        block = []
        for key in sorted(by_key, key=lambda value: (value is None, value or "")):
            numerator, denominator = by_key[key]
            region = region_of[key]
            region_counts = by_region.get(region, [0, 0]) if by not in NATIONAL else [0, 0]
            row = {
                "measure": measure["id"],
                "title": measure["title"],
                "breakdown": by,
                "key": key,
                "name": regions.name_of(by, key) if key is not None else "not recorded",
                "category": category,
                "numerator": numerator,
                "denominator": denominator,
                "value": _value(measure["kind"], numerator, denominator),
                "suppressed": False,
                "suppression": None,
                "region": region,
                "region_numerator": region_counts[0],
                "region_denominator": region_counts[1],
                "region_value": _value(measure["kind"], *region_counts),
                "england_numerator": england[0],
                "england_denominator": england[1],
                "england_value": _value(measure["kind"], *england),
                "kind": measure["kind"],
                "period_start": measure["period_start"],
                "period_end": measure["period_end"],
                "illustrative": bool(measure.get("illustrative")),
                "_parent": parent_of[key],
            }
            if by in NATIONAL:
                row["region_numerator"] = row["region_denominator"] = row["region_value"] = None
            block.append(row)
        if suppress > 0:
            _suppress(block, measure["kind"], suppress)
        for row in block:
            row.pop("_parent")
        rows.extend(block)
    return rows


def _value(kind: str, numerator: int, denominator: int) -> float | int | None:
    if kind == "rate":
        return round(numerator / denominator, 4) if denominator else None
    return numerator


def _small(count: int | None, threshold: int) -> bool:
    return count is not None and 0 < count < threshold


def _disclosive(row: dict, kind: str, threshold: int) -> bool:
    numerator, denominator = row["numerator"], row["denominator"]
    if kind == "rate":
        return (
            _small(numerator, threshold)
            or _small(denominator, threshold)
            or _small(denominator - numerator, threshold)
        )
    return _small(denominator, threshold) or (kind == "count" and _small(numerator, threshold))


def _suppress(block: list[dict], kind: str, threshold: int) -> None:
    for row in block:
        if _disclosive(row, kind, threshold):
            _hide(row, "primary")
    # Secondary: a group with exactly one suppressed row gives it away through its total.
    groups: dict[Any, list[dict]] = defaultdict(list)
    for row in block:
        groups[row["_parent"]].append(row)
    for members in groups.values():
        hidden = [row for row in members if row["suppressed"]]
        if len(hidden) == 1:
            visible = sorted(
                (row for row in members if not row["suppressed"]),
                key=lambda row: (row["denominator"], str(row["key"])),
            )
            if visible:
                _hide(visible[0], "secondary")
    for row in block:  # comparators are aggregates of many children, but may still be small
        if row["region_denominator"] is None:
            continue
        if _small(row["region_denominator"], threshold) or (
            kind == "rate"
            and (
                _small(row["region_numerator"], threshold)
                or _small(row["region_denominator"] - row["region_numerator"], threshold)
            )
        ):
            row["region_numerator"] = row["region_denominator"] = row["region_value"] = None


def _hide(row: dict, why: str) -> None:
    row["suppressed"] = True
    row["suppression"] = why
    row["numerator"] = row["denominator"] = row["value"] = None


def to_csv(rows: list[dict]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=CSV_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({name: ("" if row.get(name) is None else row.get(name)) for name in CSV_COLUMNS})
    return buffer.getvalue()


def to_json(rows: list[dict]) -> str:
    return json.dumps(rows, indent=2, ensure_ascii=False) + "\n"
