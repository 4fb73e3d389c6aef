"""Measures in the policy tools: described in ``sendrules docs``, compared in ``sendrules diff``.

Kept apart from ``document.py`` and ``diff.py`` (which call in here) because measures have
their own IR (``dsl/measure_ir.py``): a measure is described in plain words from its compiled
form, and two versions' measures are compared part by part, with a unified diff of the YAML.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from typing import Any

from sendrules.dsl import measure_ir as m

PERIOD_WORDS = {
    "calendar_year": "the calendar year so far",
    "last_calendar_year": "the last complete calendar year",
    "academic_year": "the academic year so far (from 1 September)",
    "last_academic_year": "the last complete academic year (1 September to 31 August)",
    "financial_year": "the financial year so far (from 1 April)",
    "last_financial_year": "the last complete financial year (1 April to 31 March)",
    "as_of": "the as-of date (the state on the day)",
}
KIND_WORDS = {
    "rate": "a rate: the numerator over the denominator",
    "count": "a count of the units in the numerator",
    "total": "a total: the amounts of the units added up",
}


def describe_test(test: m.Test) -> str:
    """One test in words."""
    if test.kind == "any":
        return "any of: " + "; or ".join(
            " and ".join(describe_test(inner) for inner in alternative) for alternative in test.alternatives
        )
    if test.kind == "one_of":
        return f"{test.path} is one of {', '.join(str(value) for value in test.values)}"
    if test.kind == "present":
        return f"{test.path} {'exists' if test.flag else 'does not exist'}"
    if test.kind == "is":
        return f"{test.path} is {'true' if test.flag else 'false'}"
    return f"{test.path} is {test.kind.replace('_', ' ')} {test.date}"


def unit_words(measure: m.Measure) -> str:
    if measure.unit == "findings":
        return "findings of " + ", ".join(measure.rules)
    if measure.unit == "events":
        text = f"{measure.event_type} events"
        if measure.follow_up:
            text += f", each with the first {measure.follow_up.event_type} whose {measure.follow_up.link_field} names it"
        return text
    return f"children with expected provision from the table {measure.table}"


def category_words(category: m.Category | None) -> str | None:
    if category is None:
        return None
    if category.path is not None:
        return f"by {category.path}"
    bands = ", ".join(
        f"{band.label} (up to {band.up_to_days} days)" if band.up_to_days is not None else band.label
        for band in category.bands
    )
    return f"by the days from {category.days_from} to {category.days_to} (the as-of date if absent): {bands}"


def facts(measure: m.Measure) -> list[tuple[str, str]]:
    """(label, text) pairs describing a measure, for the document."""
    items = [
        ("Kind", KIND_WORDS[measure.kind]),
        ("Counts", unit_words(measure)),
        (
            "Period",
            PERIOD_WORDS[measure.period] + (f", dated by {measure.dated_by}" if measure.dated_by else ""),
        ),
    ]
    if measure.population:
        items.append(
            ("Denominator", "those where " + "; and ".join(describe_test(t) for t in measure.population))
        )
    if measure.numerator:
        items.append(
            ("Numerator", "those where " + "; and ".join(describe_test(t) for t in measure.numerator))
        )
    if measure.kind == "total":
        amount = (
            str(measure.amount_path)
            if measure.amount_path
            else f"{measure.amount_value:,} {measure.amount_unit}"
            if measure.amount_days is None
            else f"days from {measure.amount_days[0]} to {measure.amount_days[1]}"
        )
        items.append(("Amount", amount))
    words = category_words(measure.category)
    if words:
        items.append(("Categories", words))
    items.append(("Breakdowns", ", ".join(measure.breakdowns) + " (and England)"))
    if measure.better:
        items.append(("Better", f"{measure.better} values"))
    if measure.thresholds:
        items.append(("Thresholds", ", ".join(f"{label} {value:g}" for label, value in measure.thresholds)))
    return items


# --- diff --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class MeasureChange:
    id: str
    status: str  # added | removed | changed
    title: str
    changed_parts: tuple[str, ...] = ()
    unified_diff: str = ""

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"id": self.id, "status": self.status, "title": self.title}
        if self.status == "changed":
            data["changed_parts"] = list(self.changed_parts)
            data["unified_diff"] = self.unified_diff
        return data


_PARTS = (
    "title",
    "description",
    "kind",
    "unit",
    "rules",
    "event_type",
    "follow_up",
    "table",
    "period",
    "dated_by",
    "population",
    "numerator",
    "amount_path",
    "amount_value",
    "amount_unit",
    "amount_days",
    "category",
    "breakdowns",
    "source_title",
    "source_url",
    "source_note",
    "illustrative",
    "unconfirmed",
    "better",
    "thresholds",
)


def diff_measures(old, new) -> tuple[MeasureChange, ...]:
    """The measures added, removed or changed from one compiled standard to another."""
    before = {measure.id: measure for measure in old.measures}
    after = {measure.id: measure for measure in new.measures}
    changes = []
    for measure_id in sorted(before.keys() | after.keys()):
        a, b = before.get(measure_id), after.get(measure_id)
        if a is None:
            changes.append(MeasureChange(measure_id, "added", b.title))
        elif b is None:
            changes.append(MeasureChange(measure_id, "removed", a.title))
        else:
            parts = tuple(
                part.replace("source_", "source ").replace("amount_", "amount ")
                for part in _PARTS
                if getattr(a, part) != getattr(b, part)
            )
            if parts:
                unified = "\n".join(
                    difflib.unified_diff(
                        a.source_text.splitlines(),
                        b.source_text.splitlines(),
                        f"{old.id}/{old.version}/measures.yaml",
                        f"{new.id}/{new.version}/measures.yaml",
                        lineterm="",
                    )
                )
                changes.append(MeasureChange(measure_id, "changed", b.title, parts, unified))
    return tuple(changes)


def render_text(changes: tuple[MeasureChange, ...]) -> list[str]:
    if not changes:
        return []
    lines = ["", "Measures"]
    for change in changes:
        sign = {"added": "+", "removed": "-", "changed": "~"}[change.status]
        detail = (
            f": {', '.join(change.changed_parts)}" if change.status == "changed" else f': "{change.title}"'
        )
        lines.append(f"  {sign} {change.id} {change.status}{detail}")
        lines += [f"      {line}" for line in change.unified_diff.splitlines()]
    return lines
