"""What the scenarios exercised of a standard: its rules, table rows and clauses.

Each ``Then`` step that checks a finding records ``("finding", rule id, status)``; provision
checks record ``("row", table id, row number)`` (or ``missing`` / ``no_provision`` for a table
that was not worked out). From those records, for one version:

* rules exercised    -- rules with at least one checked finding / all rules;
* table rows         -- rows some scenario expected / all rows of all tables;
* clauses exercised  -- the citations of the exercised rules and of the tables some scenario
                        checked / every citation of the standard.

The statuses checked per rule are reported as well (with the statuses the rule can give), for
reading; full coverage needs every rule, every row and every clause, not every status.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Iterable

from sendrules.dsl import ir


def possible_statuses(rule: ir.Rule) -> list[str]:
    """The statuses a rule can give, from its kind (docs/semantics.md, "Statuses")."""
    if rule.kind in ("condition", "preceding"):
        statuses = ["met", "breached"]
    elif rule.kind == "waiting":
        statuses = ["met", "pending", "breached"]
    elif isinstance(rule.expectation, ir.ExpectBound):
        statuses = ["met", "late"]
    else:
        statuses = ["met", "pending", "late", "overdue"]
    if rule.exemption is not None:
        statuses.append("exempt")
    return statuses


@dataclass
class VersionCoverage:
    reference: str
    rules: list[str]
    statuses_checked: dict[str, set[str]] = field(default_factory=dict)
    statuses_possible: dict[str, list[str]] = field(default_factory=dict)
    rows: list[tuple[str, int]] = field(default_factory=list)
    rows_exercised: set[tuple[str, int]] = field(default_factory=set)
    clauses: list[str] = field(default_factory=list)
    clauses_exercised: set[str] = field(default_factory=set)

    @property
    def rules_exercised(self) -> list[str]:
        return [rule for rule in self.rules if self.statuses_checked.get(rule)]

    @property
    def rules_missing(self) -> list[str]:
        return [rule for rule in self.rules if not self.statuses_checked.get(rule)]

    @property
    def rows_missing(self) -> list[tuple[str, int]]:
        return [row for row in self.rows if row not in self.rows_exercised]

    @property
    def clauses_missing(self) -> list[str]:
        return [clause for clause in self.clauses if clause not in self.clauses_exercised]

    @property
    def full(self) -> bool:
        return not (self.rules_missing or self.rows_missing or self.clauses_missing)

    def figures(self) -> dict[str, tuple[int, int]]:
        return {
            "rules": (len(self.rules_exercised), len(self.rules)),
            "table rows": (len(self.rows) - len(self.rows_missing), len(self.rows)),
            "clauses": (len(self.clauses) - len(self.clauses_missing), len(self.clauses)),
        }

    def to_dict(self) -> dict[str, Any]:
        def counted(exercised: int, total: int) -> dict[str, Any]:
            return {
                "exercised": exercised,
                "total": total,
                "percent": round(100 * exercised / total, 1) if total else 100.0,
            }

        figures = self.figures()
        return {
            "standards": self.reference,
            "full": self.full,
            "rules": {
                **counted(*figures["rules"]),
                "not_exercised": self.rules_missing,
                "statuses": {
                    rule: {
                        "checked": sorted(self.statuses_checked.get(rule, ())),
                        "possible": self.statuses_possible[rule],
                    }
                    for rule in self.rules
                },
            },
            "table_rows": {
                **counted(*figures["table rows"]),
                "not_exercised": [{"table": table, "row": row} for table, row in self.rows_missing],
            },
            "clauses": {**counted(*figures["clauses"]), "not_exercised": self.clauses_missing},
        }


def measure(standard: ir.CompiledStandard, records: Iterable[tuple[str, str, Any]]) -> VersionCoverage:
    """Coverage of ``standard`` by the records of the scenarios run against it."""
    rules = {rule.id: rule for rule in standard.rules}
    tables = {table.id: table for table in standard.tables}
    coverage = VersionCoverage(
        reference=standard.reference,
        rules=list(rules),
        statuses_possible={rule.id: possible_statuses(rule) for rule in standard.rules},
        rows=[(table.id, row.number) for table in standard.tables for row in table.rows],
    )
    tables_checked: set[str] = set()
    for kind, name, detail in records:
        if kind == "finding" and name in rules:
            coverage.statuses_checked.setdefault(name, set()).add(detail)
        elif kind in ("row", "missing", "no_provision") and name in tables:
            tables_checked.add(name)
            if kind == "row" and (name, detail) in coverage.rows:
                coverage.rows_exercised.add((name, detail))
    clauses: list[str] = []
    for rule in standard.rules:
        clauses.extend(rule.citations)
    for table in standard.tables:
        clauses.extend(table.citations)
    coverage.clauses = list(dict.fromkeys(clauses))
    for rule_id in coverage.rules_exercised:
        coverage.clauses_exercised.update(rules[rule_id].citations)
    for table_id in tables_checked:
        coverage.clauses_exercised.update(tables[table_id].citations)
    return coverage
