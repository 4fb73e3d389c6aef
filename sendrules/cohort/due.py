"""``sendrules cohort due``: what a caseworker must do next, soonest first.

Every finding of the caseload that is still open -- ``overdue``, or ``pending`` with a due date
on or before the as-of date plus the window -- one row each, sorted by due date (overdue first,
as their dates are earliest), then child, then rule. A caseload is small (a caseworker's 200
children), so it is decided in this process, journey by journey, through the same path as
``cohort run``; refused journeys are reported on standard error, never silently dropped.
"""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import date
from pathlib import Path

from sendrules.cohort import inputs, regions
from sendrules.cohort.partition import RunSettings, _child_of, _describe, _parse, _Refused, prepared
from sendrules.engine import evaluator
from sendrules.engine.calendar import add_days, add_weeks, days_between
from sendrules.engine.decision import Finding
from sendrules.engine.errors import EngineError
from sendrules.engine.library import StandardsLibrary

COLUMNS = (
    "due",
    "days_left",
    "status",
    "child",
    "local_authority",
    "rule",
    "trigger",
    "duty_holder",
    "modality",
    "line",
)
_WITHIN = re.compile(r"^(\d{1,4})([dw])$")


def parse_within(text: str):
    """``14d`` or ``2w`` -> a function from the as-of date to the last date of the window."""
    match = _WITHIN.match(text.strip())
    if not match:
        raise ValueError(f"--within is a number of days or weeks, e.g. 14d or 2w (got {text!r})")
    amount = int(match.group(1))
    return (
        (lambda day: add_days(day, amount)) if match.group(2) == "d" else (lambda day: add_weeks(day, amount))
    )


def due(
    input: Path,
    as_of: date,
    horizon,
    local_authorities=(),
    standards: str | None = None,
    standards_root: Path | None = None,
) -> tuple[list[dict], list[dict]]:
    """The open duties (rows) and the refused journeys of a caseload."""
    library = StandardsLibrary(standards_root, watch=False)
    standard = library.resolve(standards, as_of)
    ready = prepared(
        RunSettings(
            standard.reference, standard.sha256, as_of, str(standards_root) if standards_root else None
        )
    )
    wanted = {regions.canonical_code(code) for code in local_authorities}
    until = horizon(as_of)
    rows, refused = [], []
    for partition in inputs.plan(input).partitions:
        source = (
            inputs.read_parquet(partition) if partition.format == "parquet" else inputs.read_jsonl(partition)
        )
        for line, raw in source:
            try:
                journey = ready.validator.validate(_parse(raw))
                findings = evaluator.find_all(ready.engine, journey, as_of, ready.calendar)
            except _Refused as error:
                refused.append({"line": line, "message": str(error)})
                continue
            except EngineError as error:
                refused.append({"line": line, "child": _child_of(raw), "message": _describe(error)})
                continue
            la = regions.canonical_code(journey.child.local_authority)
            if wanted and la not in wanted:
                continue
            for finding in sorted(findings, key=Finding.sort_key):
                if finding.due is None or finding.status not in ("pending", "overdue") or finding.due > until:
                    continue
                rows.append(
                    {
                        "due": finding.due.isoformat(),
                        "days_left": days_between(as_of, finding.due),
                        "status": finding.status,
                        "child": journey.child.id,
                        "local_authority": la,
                        "rule": finding.rule,
                        "trigger": finding.trigger,
                        "duty_holder": finding.duty_holder,
                        "modality": finding.modality,
                        "line": line,
                    }
                )
    rows.sort(key=lambda row: (row["due"], row["child"], row["rule"], row["trigger"]))
    return rows, refused


def to_csv(rows: list[dict]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({name: "" if row.get(name) is None else row[name] for name in COLUMNS})
    return buffer.getvalue()


def to_json(rows: list[dict]) -> str:
    return json.dumps(rows, indent=2, ensure_ascii=False) + "\n"
