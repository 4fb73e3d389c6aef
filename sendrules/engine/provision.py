"""Expected provision: the standard's decision tables applied to the journey.

Each table reads its inputs from the latest event of its ``given`` type visible on ``as_of``
(by date, then input order) and gives the outputs of the matching row: with hit policy
``unique`` exactly one row matches (the checker proves it for every combination of input
values); with ``first`` the first matching row is used. If an input field is absent on that
event, the table is not applied and the entry says which inputs are missing: no value is ever
assumed. Tables are evaluated here, in plain Python, whichever backend evaluated the rules.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sendrules.dsl import ir
from sendrules.engine.errors import DecisionError
from sendrules.engine.journey import Event, Journey


@dataclass(frozen=True)
class ProvisionResult:
    table: str
    title: str
    based_on: str
    inputs: tuple[tuple[str, Any], ...]
    row: int | None
    outputs: tuple[tuple[str, ir.Value], ...] | None
    missing: tuple[str, ...]
    citations: tuple[str, ...]
    illustrative: str | None

    @property
    def message(self) -> str:
        shown = ", ".join(
            f"{name} = {ir.show_value(value)}" for name, value in self.inputs if value is not None
        )
        if self.missing:
            return (
                f"{self.title}: not applied; {self.based_on} does not record " + ", ".join(self.missing) + "."
            )
        results = ", ".join(f"{name} {ir.show_value(value)}" for name, value in self.outputs or ())
        return f"{self.title}: row {self.row} applies to {shown} ({self.based_on}): {results}."

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "table": self.table,
            "based_on": self.based_on,
            "inputs": dict(self.inputs),
            "row": self.row,
            "outputs": dict(self.outputs) if self.outputs is not None else None,
            "missing": list(self.missing),
            "citations": list(self.citations),
            "message": self.message,
        }
        if self.illustrative:
            data["illustrative"] = self.illustrative
        return data


def expected_provision(standard: ir.CompiledStandard, journey: Journey, as_of: date) -> list[ProvisionResult]:
    """One entry per decision table whose ``given`` event occurs in the journey by ``as_of``."""
    results = []
    for table in standard.tables:
        latest = _latest(journey, table.event_type, as_of)
        if latest is None:
            continue
        results.append(apply_table(table, latest))
    return results


def apply_table(table: ir.DecisionTable, event: Event) -> ProvisionResult:
    values = tuple(event.get(name) for name in table.inputs)
    inputs = tuple((f"{table.binding}.{name}", value) for name, value in zip(table.inputs, values))
    missing = tuple(f"{table.binding}.{name}" for name, value in zip(table.inputs, values) if value is None)
    if missing:
        return ProvisionResult(
            table.id, table.title, event.id, inputs, None, None, missing, table.citations, table.illustrative
        )
    matching = [
        row
        for row in table.rows
        if all(ir.cell_matches(test, value) for test, value in zip(row.tests, values))
    ]
    if not matching or (table.hit_policy == ir.HitPolicy.UNIQUE and len(matching) > 1):
        raise DecisionError(
            "table_no_single_row", f"table {table.id} has {len(matching)} matching rows for {dict(inputs)}"
        )
    row = matching[0]
    return ProvisionResult(
        table.id,
        table.title,
        event.id,
        inputs,
        row.number,
        tuple(zip(table.outputs, row.outputs)),
        (),
        table.citations,
        table.illustrative,
    )


def _latest(journey: Journey, event_type: str, as_of: date) -> Event | None:
    latest = None
    for event in journey.events:
        if event.type == event_type and event.date <= as_of:
            if latest is None or (event.date, event.index) > (latest.date, latest.index):
                latest = event
    return latest
