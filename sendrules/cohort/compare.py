"""``sendrules cohort compare``: one cohort under two standards, side by side.

Each journey is read once and decided under both versions (in partitions, on local processes or
Dask, like ``cohort run``). A finding is identified by its rule and triggering event; per rule
and breakdown key the comparison counts findings that appear (only under B), disappear (only
under A), change status, or change due date, with the status changes spelled out
(``met -> overdue``). Every measure is computed under both with the same definitions (B's
measures when B has any, else A's, else the newest version's), so a difference is the rules'
doing, not the measure's. The tariff cost is the sum of the ``top_up`` output of each child's
expected provision (the decision tables), under each version.

A journey one version refuses (its vocabulary lacks an event type) is counted apart and left
out of the differences. Compare is for policy teams before publication: no suppression.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from sendrules.cohort import inputs, regions
from sendrules.cohort.measures import choose_measures
from sendrules.cohort.partition import RunSettings, _parse, _Refused, prepared
from sendrules.engine import evaluator
from sendrules.engine.decision import Finding
from sendrules.engine.errors import EngineError
from sendrules.engine.library import StandardsLibrary
from sendrules.engine.provision import expected_provision


@dataclass
class ComparePartition:
    index: int
    journeys: int
    refused: dict  # "a" | "b" | "both" -> count
    rules: dict  # (rule, key) -> [a, b, appear, disappear, status_changed, due_changed]
    transitions: dict  # (rule, key, "met -> overdue") -> count
    measures: dict  # (side, measure, key, category) -> [numerator, denominator]
    tariff: dict  # (side, key) -> pounds


def compare_partition(
    settings_a: RunSettings, settings_b: RunSettings, by: str, partition: inputs.Partition
) -> ComparePartition:
    """The comparison of one partition (the function each worker runs)."""
    sides = {"a": prepared(settings_a), "b": prepared(settings_b)}
    result = ComparePartition(
        partition.index,
        0,
        defaultdict(int),
        defaultdict(lambda: [0] * 6),
        defaultdict(int),
        defaultdict(lambda: [0, 0]),
        defaultdict(int),
    )
    source = inputs.read_parquet(partition) if partition.format == "parquet" else inputs.read_jsonl(partition)
    for _, raw in source:
        result.journeys += 1
        decided: dict[str, Any] = {}
        for name, ready in sides.items():
            try:
                journey = ready.validator.validate(_parse(raw))
                findings = sorted(
                    evaluator.find_all(ready.engine, journey, ready.as_of, ready.calendar),
                    key=Finding.sort_key,
                )
                provision = (
                    expected_provision(ready.standard, journey, ready.as_of) if ready.standard.tables else []
                )
                decided[name] = (
                    journey,
                    findings,
                    provision,
                    ready.measures.evaluate(journey, findings, provision),
                )
            except (EngineError, _Refused):  # a refused journey: counted apart
                decided[name] = None
        if decided["a"] is None or decided["b"] is None:
            result.refused[
                "both"
                if decided["a"] is None and decided["b"] is None
                else ("a" if decided["a"] is None else "b")
            ] += 1
            continue
        journey = decided["a"][0]
        la = regions.canonical_code(journey.child.local_authority)
        key = la if by == "la" else regions.region_of(la)
        found = {name: {(f.rule, f.trigger): f for f in decided[name][1]} for name in ("a", "b")}
        for ident in found["a"].keys() | found["b"].keys():
            before, after = found["a"].get(ident), found["b"].get(ident)
            counts = result.rules[(ident[0], key)]
            if before is not None:
                counts[0] += 1
            if after is not None:
                counts[1] += 1
            if before is None:
                counts[2] += 1
            elif after is None:
                counts[3] += 1
            else:
                if before.status != after.status:
                    counts[4] += 1
                    result.transitions[(ident[0], key, f"{before.status} -> {after.status}")] += 1
                if before.due != after.due:
                    counts[5] += 1
        for name in ("a", "b"):
            kinds = sides[name].measures.kinds
            for contribution in decided[name][3]:
                entry = result.measures[(name, contribution.measure, key, contribution.category)]
                if contribution.in_numerator:
                    entry[0] += contribution.amount if kinds.get(contribution.measure) == "total" else 1
                entry[1] += 1
            for entry in decided[name][2]:
                outputs = dict(entry.outputs or ())
                if isinstance(outputs.get("top_up"), int):
                    result.tariff[(name, key)] += outputs["top_up"]
    return ComparePartition(
        result.index,
        result.journeys,
        dict(result.refused),
        dict(result.rules),
        dict(result.transitions),
        dict(result.measures),
        dict(result.tariff),
    )


def compare(
    input: Path,
    standards_a: str,
    standards_b: str,
    as_of: date,
    *,
    by: str = "la",
    standards_root: Path | None = None,
    workers: int | None = None,
    scheduler: str | None = None,
) -> dict:
    """Compare a cohort under two versions; the result as a JSON-ready dict."""
    library = StandardsLibrary(standards_root, watch=False)
    a = library.resolve(standards_a, as_of)
    b = library.resolve(standards_b, as_of)
    definitions = (
        choose_measures(library, b, as_of)
        if (b.measures or not a.measures)
        else choose_measures(library, a, as_of)
    )
    source = definitions.source
    usable_a = choose_measures(library, a, as_of, source) if source else None
    usable_b = choose_measures(library, b, as_of, source) if source else None
    common = sorted({m.id for m in usable_a.measures} & {m.id for m in usable_b.measures}) if source else []
    root = str(standards_root) if standards_root else None
    settings = {
        name: RunSettings(
            standard.reference,
            standard.sha256,
            as_of,
            standards_root=root,
            measures_from=source,
            measure_ids=tuple(common),
        )
        for name, standard in (("a", a), ("b", b))
    }
    plan = inputs.plan(input)
    totals = ComparePartition(
        -1,
        0,
        defaultdict(int),
        defaultdict(lambda: [0] * 6),
        defaultdict(int),
        defaultdict(lambda: [0, 0]),
        defaultdict(int),
    )
    from sendrules.cohort.runner import execute

    for part in execute(
        compare_partition,
        (settings["a"], settings["b"], by),
        list(plan.partitions),
        workers=workers,
        scheduler=scheduler,
    ):
        totals.journeys += part.journeys
        for name, count in part.refused.items():
            totals.refused[name] += count
        for ident, counts in part.rules.items():
            target = totals.rules[ident]
            for position, value in enumerate(counts):
                target[position] += value
        for ident, count in part.transitions.items():
            totals.transitions[ident] += count
        for ident, (numerator, denominator) in part.measures.items():
            totals.measures[ident][0] += numerator
            totals.measures[ident][1] += denominator
        for ident, pounds in part.tariff.items():
            totals.tariff[ident] += pounds
    return _result(a, b, as_of, by, plan, totals, definitions, usable_a, usable_b, common)


def _result(a, b, as_of, by, plan, totals: ComparePartition, definitions, usable_a, usable_b, common) -> dict:
    kinds = {m.id: m.kind for m in definitions.measures}
    titles = {m.id: m.title for m in definitions.measures}
    rules = []
    for (rule, key), counts in sorted(totals.rules.items(), key=lambda item: (item[0][0], item[0][1] or "")):
        rules.append(
            {
                "rule": rule,
                "breakdown": by,
                "key": key,
                "findings_a": counts[0],
                "findings_b": counts[1],
                "appear": counts[2],
                "disappear": counts[3],
                "status_changed": counts[4],
                "due_changed": counts[5],
                "status_changes": {
                    change: count
                    for (r, k, change), count in sorted(totals.transitions.items())
                    if r == rule and k == key
                },
            }
        )
    rule_totals: dict[str, list[int]] = defaultdict(lambda: [0] * 6)
    for (rule, _), counts in totals.rules.items():
        for position, value in enumerate(counts):
            rule_totals[rule][position] += value
    measures = []
    keys = sorted(
        {(measure, key, category) for (_, measure, key, category) in totals.measures},
        key=lambda item: (item[0], item[1] or "", item[2] or ""),
    )
    for measure, key, category in keys:
        entry = {
            "measure": measure,
            "title": titles.get(measure),
            "breakdown": by,
            "key": key,
            "category": category,
        }
        for side in ("a", "b"):
            numerator, denominator = totals.measures.get((side, measure, key, category), [0, 0])
            entry[side] = {
                "numerator": numerator,
                "denominator": denominator,
                "value": _value(kinds.get(measure), numerator, denominator),
            }
        entry["change"] = _change(entry["a"]["value"], entry["b"]["value"])
        measures.append(entry)
    england = []
    for measure in common:
        for category in sorted(
            {c for (_, m, _, c) in totals.measures if m == measure}, key=lambda c: c or ""
        ):
            entry = {"measure": measure, "title": titles.get(measure), "category": category}
            for side in ("a", "b"):
                numerator = sum(
                    v[0]
                    for (s, m, _, c), v in totals.measures.items()
                    if s == side and m == measure and c == category
                )
                denominator = sum(
                    v[1]
                    for (s, m, _, c), v in totals.measures.items()
                    if s == side and m == measure and c == category
                )
                entry[side] = {
                    "numerator": numerator,
                    "denominator": denominator,
                    "value": _value(kinds.get(measure), numerator, denominator),
                }
            entry["change"] = _change(entry["a"]["value"], entry["b"]["value"])
            england.append(entry)
    tariff_keys = sorted({key for (_, key) in totals.tariff}, key=lambda key: key or "")
    tariff = [
        {
            "breakdown": by,
            "key": key,
            "a": totals.tariff.get(("a", key), 0),
            "b": totals.tariff.get(("b", key), 0),
            "change": totals.tariff.get(("b", key), 0) - totals.tariff.get(("a", key), 0),
        }
        for key in tariff_keys
    ]
    tariff_a = sum(row["a"] for row in tariff)
    tariff_b = sum(row["b"] for row in tariff)
    return {
        "as_of": as_of.isoformat(),
        "standards": {
            "a": {"reference": a.reference, "sha256": a.sha256},
            "b": {"reference": b.reference, "sha256": b.sha256},
        },
        "input_sha256": plan.sha256,
        "journeys": totals.journeys,
        "refused": {
            "a_only": totals.refused.get("a", 0),
            "b_only": totals.refused.get("b", 0),
            "both": totals.refused.get("both", 0),
        },
        "measures_from": definitions.source,
        "measures_not_comparable": sorted(
            {m for m, _ in (usable_a.skipped if usable_a else ())}
            | {m for m, _ in (usable_b.skipped if usable_b else ())}
        ),
        "rules_england": [
            {
                "rule": rule,
                "findings_a": c[0],
                "findings_b": c[1],
                "appear": c[2],
                "disappear": c[3],
                "status_changed": c[4],
                "due_changed": c[5],
            }
            for rule, c in sorted(rule_totals.items())
        ],
        "rules": rules,
        "measures_england": england,
        "measures": measures,
        "tariff_england": {
            "a": tariff_a,
            "b": tariff_b,
            "change": tariff_b - tariff_a,
            "unit": "pounds",
            "illustrative": bool(
                a.illustrative or b.illustrative or any(t.illustrative for t in a.tables + b.tables)
            ),
        },
        "tariff": tariff,
    }


def _value(kind: str | None, numerator: int, denominator: int):
    if kind == "rate":
        return round(numerator / denominator, 4) if denominator else None
    return numerator


def _change(before, after):
    if before is None or after is None:
        return None
    return round(after - before, 4)


def print_table(result: dict) -> None:
    """The England-level comparison as tables, for people."""
    from rich.console import Console
    from rich.table import Table

    console = Console(highlight=False)
    a, b = result["standards"]["a"]["reference"], result["standards"]["b"]["reference"]
    console.print(
        f"{result['journeys']:,} journeys as of {result['as_of']}: {a} (A) against {b} (B). "
        f"Refused under A only {result['refused']['a_only']:,}, under B only {result['refused']['b_only']:,}, "
        f"under both {result['refused']['both']:,}."
    )
    table = Table(title="Findings per rule (England)")
    for column in ("rule", "under A", "under B", "appear", "disappear", "status changed", "due changed"):
        table.add_column(column, justify="left" if column == "rule" else "right")
    for row in result["rules_england"]:
        if (
            any(row[k] for k in ("appear", "disappear", "status_changed", "due_changed"))
            or row["findings_a"] != row["findings_b"]
        ):
            table.add_row(
                row["rule"],
                f"{row['findings_a']:,}",
                f"{row['findings_b']:,}",
                f"{row['appear']:,}",
                f"{row['disappear']:,}",
                f"{row['status_changed']:,}",
                f"{row['due_changed']:,}",
            )
    console.print(table)
    measures = Table(title=f"Measures (England; definitions from {result['measures_from']})")
    for column in ("measure", "category", "A", "B", "change"):
        measures.add_column(column, justify="left" if column in ("measure", "category") else "right")
    for row in result["measures_england"]:
        measures.add_row(
            row["measure"],
            row["category"] or "",
            _show(row["a"]["value"]),
            _show(row["b"]["value"]),
            _show(row["change"]),
        )
    console.print(measures)
    tariff = result["tariff_england"]
    console.print(
        f"Tariff cost (top-ups{', illustrative' if tariff['illustrative'] else ''}): "
        f"A {tariff['a']:,} pounds, B {tariff['b']:,} pounds, change {tariff['change']:+,} pounds."
    )
    console.print("Per local authority or region: --format json.")


def _show(value) -> str:
    if value is None:
        return "-"
    return f"{value:.4f}" if isinstance(value, float) else f"{value:,}"
