"""What one version of a standard changes against another: ``diff_standards(old, new)``.

Compares two compiled standards (``dsl.ir.CompiledStandard``) part by part: the manifest, the
rules (added, removed, changed; for a changed rule, which parts changed and a unified diff of
its text), the dated parameters (values added, removed or changed per effective date), the
decision tables (rows added, removed or changed, matched by their input cells) and the event
vocabulary. The newer version's stated list of changes (``changes`` in its manifest) is
checked against what actually changed: a rule or parameter that changed but is not named, and
one that is named but did not change, are flagged for review.

Everything is sorted, so the same two versions always give the same text and the same JSON.
Pure: no I/O, no clock.
"""

from __future__ import annotations

import dataclasses
import difflib
import re
import textwrap
from dataclasses import dataclass
from datetime import date
from typing import Any, Callable

from sendrules.dsl import ir
from sendrules.policy import describe
from sendrules.policy.measures import diff_measures, render_text as render_measures

# --- the result ------------------------------------------------------------------------------


def _plain(value: Any) -> Any:
    """A value as JSON: dates as ISO text, tuples as lists, dataclasses via to_dict."""
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return [_plain(item) for item in value]
    if hasattr(value, "to_dict"):
        return value.to_dict()
    return value


@dataclass(frozen=True)
class Change:
    """One part that changed: ``old`` is None when it was added, ``new`` when it was removed."""

    part: str
    old: Any = None
    new: Any = None

    def to_dict(self) -> dict[str, Any]:
        return {"part": self.part, "old": _plain(self.old), "new": _plain(self.new)}


@dataclass(frozen=True)
class RuleEntry:
    """A rule added or removed."""

    id: str
    title: str
    modality: str
    duty_holders: tuple[str, ...]
    citations: tuple[str, ...]
    unconfirmed: tuple[str, ...]
    sentence: str
    source: str
    text: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "modality": self.modality,
            "duty_holders": list(self.duty_holders),
            "citations": list(self.citations),
            "unconfirmed": list(self.unconfirmed),
            "sentence": self.sentence,
            "source": self.source,
            "text": self.text,
        }


@dataclass(frozen=True)
class RuleChange:
    """A rule in both versions whose meaning or text differs."""

    id: str
    title: str
    parts: tuple[Change, ...]
    old_source: str
    new_source: str
    unified_diff: str
    old_text: str = ""
    new_text: str = ""

    @property
    def changed_parts(self) -> tuple[str, ...]:
        return tuple(change.part for change in self.parts)

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "changed_parts": list(self.changed_parts),
            "parts": [change.to_dict() for change in self.parts],
            "old_source": self.old_source,
            "new_source": self.new_source,
            "unified_diff": self.unified_diff,
            "old_text": self.old_text,
            "new_text": self.new_text,
        }


@dataclass(frozen=True)
class ValueChange:
    """A parameter's value for one effective date: added (old None), removed (new None) or changed."""

    effective: date
    old: int | None
    new: int | None

    def to_dict(self) -> dict[str, Any]:
        return {"effective": self.effective.isoformat(), "old": self.old, "new": self.new}


@dataclass(frozen=True)
class ParameterChange:
    name: str
    status: str  # added | removed | changed
    unit: str
    values: tuple[ValueChange, ...] = ()
    attributes: tuple[Change, ...] = ()
    #: The rules that read it (in the new version; in the old one for a removed parameter).
    used_by: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "status": self.status,
            "unit": self.unit,
            "values": [value.to_dict() for value in self.values],
            "attributes": [change.to_dict() for change in self.attributes],
            "used_by": list(self.used_by),
        }


@dataclass(frozen=True)
class TableRowRef:
    number: int
    inputs: tuple[str, ...]  # the cells as written
    outputs: tuple

    def to_dict(self) -> dict[str, Any]:
        return {"number": self.number, "inputs": list(self.inputs), "outputs": list(self.outputs)}


@dataclass(frozen=True)
class TableRowChange:
    old_number: int
    new_number: int
    inputs: tuple[str, ...]
    outputs: tuple[Change, ...]  # part = output name

    def to_dict(self) -> dict[str, Any]:
        return {
            "old_number": self.old_number,
            "new_number": self.new_number,
            "inputs": list(self.inputs),
            "outputs": [change.to_dict() for change in self.outputs],
        }


@dataclass(frozen=True)
class TableEntry:
    """A decision table added or removed."""

    id: str
    title: str
    hit_policy: str
    inputs: tuple[str, ...]
    outputs: tuple[str, ...]
    rows: int
    source: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "hit_policy": self.hit_policy,
            "inputs": list(self.inputs),
            "outputs": list(self.outputs),
            "rows": self.rows,
            "source": self.source,
        }


@dataclass(frozen=True)
class TableChange:
    id: str
    title: str
    parts: tuple[Change, ...]
    rows_added: tuple[TableRowRef, ...]
    rows_removed: tuple[TableRowRef, ...]
    rows_changed: tuple[TableRowChange, ...]
    unified_diff: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "parts": [change.to_dict() for change in self.parts],
            "rows_added": [row.to_dict() for row in self.rows_added],
            "rows_removed": [row.to_dict() for row in self.rows_removed],
            "rows_changed": [row.to_dict() for row in self.rows_changed],
            "unified_diff": self.unified_diff,
        }


@dataclass(frozen=True)
class EventTypeChange:
    name: str
    status: str  # added | removed | changed
    description: Change | None = None  # the description, when added, removed or changed
    fields_added: tuple[tuple[str, str], ...] = ()  # (field, its type in words)
    fields_removed: tuple[tuple[str, str], ...] = ()
    fields_changed: tuple[Change, ...] = ()  # part = field name

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "status": self.status,
            "description": self.description.to_dict() if self.description else None,
            "fields_added": [{"field": name, "type": kind} for name, kind in self.fields_added],
            "fields_removed": [{"field": name, "type": kind} for name, kind in self.fields_removed],
            "fields_changed": [change.to_dict() for change in self.fields_changed],
        }


@dataclass(frozen=True)
class Item:
    """A rule, parameter or table and how it changed (added, removed, changed, unchanged)."""

    kind: str  # rule | parameter | table
    id: str
    status: str

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "id": self.id, "status": self.status}

    def __str__(self) -> str:
        return f"{self.kind} {self.id} ({self.status})"


@dataclass(frozen=True)
class StatedChange:
    """One entry of the newer manifest's ``changes``, with what happened to each item it names."""

    summary: str
    items: tuple[Item, ...]

    def to_dict(self) -> dict[str, Any]:
        return {"summary": self.summary, "items": [item.to_dict() for item in self.items]}


@dataclass(frozen=True)
class StatedChangesReview:
    """The newer version's stated changes, checked against what changed.

    ``checked`` is False when the newer version does not supersede the older one (its list is
    about another version), and then nothing is flagged."""

    version: str  # the version whose manifest states the changes
    against: str | None  # the version it says it supersedes
    checked: bool
    entries: tuple[StatedChange, ...]
    #: Rules and parameters added or changed but named in no entry.
    not_stated: tuple[Item, ...] = ()
    #: Rules and parameters named in an entry that did not change.
    stated_but_unchanged: tuple[Item, ...] = ()
    #: Changes the list cannot name by id (tables; removed rules and parameters): check that a
    #: summary describes them.
    describe_in_a_summary: tuple[Item, ...] = ()

    @property
    def consistent(self) -> bool:
        return self.checked and not self.not_stated and not self.stated_but_unchanged

    def to_dict(self) -> dict[str, Any]:
        return {
            "version": self.version,
            "against": self.against,
            "checked": self.checked,
            "consistent": self.consistent,
            "entries": [entry.to_dict() for entry in self.entries],
            "not_stated": [item.to_dict() for item in self.not_stated],
            "stated_but_unchanged": [item.to_dict() for item in self.stated_but_unchanged],
            "describe_in_a_summary": [item.to_dict() for item in self.describe_in_a_summary],
        }


@dataclass(frozen=True)
class StandardsDiff:
    old: str  # references, e.g. send-ap@1.1.0
    new: str
    old_sha256: str
    new_sha256: str
    manifest: tuple[Change, ...] = ()
    rules_added: tuple[RuleEntry, ...] = ()
    rules_removed: tuple[RuleEntry, ...] = ()
    rules_changed: tuple[RuleChange, ...] = ()
    parameters: tuple[ParameterChange, ...] = ()
    tables_added: tuple[TableEntry, ...] = ()
    tables_removed: tuple[TableEntry, ...] = ()
    tables_changed: tuple[TableChange, ...] = ()
    event_types: tuple[EventTypeChange, ...] = ()
    stated_changes: StatedChangesReview | None = None
    #: Measures added, removed or changed (policy/measures.py); reported only when either
    #: version has measures, so diffs of versions without them keep their shape.
    measures: tuple = ()
    has_measures: bool = False
    old_status: str = ""
    new_status: str = ""

    @property
    def differs(self) -> bool:
        """Whether anything differs (the stated list of changes is not itself a difference)."""
        return any(
            (
                self.manifest,
                self.rules_added,
                self.rules_removed,
                self.rules_changed,
                self.parameters,
                self.tables_added,
                self.tables_removed,
                self.tables_changed,
                self.event_types,
                self.measures,
            )
        )

    def parameters_with(self, status: str) -> tuple[ParameterChange, ...]:
        return tuple(p for p in self.parameters if p.status == status)

    def event_types_with(self, status: str) -> tuple[EventTypeChange, ...]:
        return tuple(e for e in self.event_types if e.status == status)

    def summary(self) -> dict[str, dict[str, int]]:
        return {
            "rules": {
                "added": len(self.rules_added),
                "removed": len(self.rules_removed),
                "changed": len(self.rules_changed),
            },
            "parameters": {
                status: len(self.parameters_with(status)) for status in ("added", "removed", "changed")
            },
            "tables": {
                "added": len(self.tables_added),
                "removed": len(self.tables_removed),
                "changed": len(self.tables_changed),
            },
            "event_types": {
                status: len(self.event_types_with(status)) for status in ("added", "removed", "changed")
            },
            "manifest": {"changed": len(self.manifest)},
            **(
                {
                    "measures": {
                        status: sum(1 for m in self.measures if m.status == status)
                        for status in ("added", "removed", "changed")
                    }
                }
                if self.has_measures
                else {}
            ),
        }

    def to_dict(self) -> dict[str, Any]:
        return {
            "old": {"reference": self.old, "status": self.old_status, "sha256": self.old_sha256},
            "new": {"reference": self.new, "status": self.new_status, "sha256": self.new_sha256},
            "differs": self.differs,
            "summary": self.summary(),
            "manifest": [change.to_dict() for change in self.manifest],
            "rules": {
                "added": [rule.to_dict() for rule in self.rules_added],
                "removed": [rule.to_dict() for rule in self.rules_removed],
                "changed": [rule.to_dict() for rule in self.rules_changed],
            },
            "parameters": [parameter.to_dict() for parameter in self.parameters],
            "tables": {
                "added": [table.to_dict() for table in self.tables_added],
                "removed": [table.to_dict() for table in self.tables_removed],
                "changed": [table.to_dict() for table in self.tables_changed],
            },
            "event_types": [event_type.to_dict() for event_type in self.event_types],
            "stated_changes": self.stated_changes.to_dict() if self.stated_changes else None,
            **({"measures": [measure.to_dict() for measure in self.measures]} if self.has_measures else {}),
        }

    def render_text(self) -> str:
        return _render_text(self)


# --- comparing -------------------------------------------------------------------------------


def diff_standards(old: ir.CompiledStandard, new: ir.CompiledStandard) -> StandardsDiff:
    """Everything that differs from ``old`` to ``new``."""
    rules_added, rules_removed, rules_changed = _rules(old, new)
    parameters = _parameters(old, new)
    tables_added, tables_removed, tables_changed = _tables(old, new)
    result = StandardsDiff(
        old=old.reference,
        new=new.reference,
        old_sha256=old.sha256,
        new_sha256=new.sha256,
        old_status=old.status,
        new_status=new.status,
        manifest=_manifest(old, new),
        rules_added=rules_added,
        rules_removed=rules_removed,
        rules_changed=rules_changed,
        parameters=parameters,
        tables_added=tables_added,
        tables_removed=tables_removed,
        tables_changed=tables_changed,
        event_types=_event_types(old, new),
        measures=diff_measures(old, new),
        has_measures=bool(old.measures or new.measures),
    )
    if old.reference == new.reference and old.sha256 == new.sha256:
        return result
    return dataclasses.replace(result, stated_changes=_review(old, new, result))


def _manifest(old: ir.CompiledStandard, new: ir.CompiledStandard) -> tuple[Change, ...]:
    changes = []
    if old.id != new.id:
        changes.append(Change("id", old.id, new.id))
    for name in (
        "title",
        "status",
        "effective_from",
        "effective_to",
        "illustrative",
        "supersedes",
        "language",
        "summary",
    ):
        before, after = getattr(old, name), getattr(new, name)
        if before != after:
            changes.append(Change(name, before, after))
    old_holders, new_holders = dict(old.duty_holders), dict(new.duty_holders)
    for name in sorted(set(old_holders) | set(new_holders)):
        if old_holders.get(name) != new_holders.get(name):
            changes.append(Change(f"duty_holder {name}", old_holders.get(name), new_holders.get(name)))
    old_sources, new_sources = [_source(s) for s in old.sources], [_source(s) for s in new.sources]
    for source in sorted(set(old_sources) - set(new_sources)):
        changes.append(Change("source", source, None))
    for source in sorted(set(new_sources) - set(old_sources)):
        changes.append(Change("source", None, source))
    return tuple(changes)


def _source(source: tuple[str, str | None]) -> str:
    title, url = source
    return f"{title} <{url}>" if url else title


# --- rules ---------------------------------------------------------------------------------


#: Each part of a rule: how to read it from the IR (compared for equality) and in words.
RULE_PARTS: tuple[
    tuple[str, Callable[[ir.Rule], Any], Callable[[ir.Rule, ir.CompiledStandard], str]], ...
] = (
    ("title", lambda r: r.title, lambda r, s: r.title),
    ("duty", lambda r: r.duty, lambda r, s: describe.duty(r.duty, s)),
    ("modality", lambda r: r.modality, lambda r, s: describe.MODALITY.get(r.modality, r.modality)),
    ("citations", lambda r: r.citations, lambda r, s: "; ".join(r.citations)),
    ("trigger", lambda r: (r.trigger.binding, r.trigger.match.types), lambda r, s: describe.trigger(r, s)),
    (
        "conditions",
        lambda r: (r.trigger.match.condition, r.requirements, r.check),
        lambda r, s: describe.conditions(r, s),
    ),
    ("expectation", lambda r: r.expectation, lambda r, s: describe.expectation(r, s)),
    ("deadline", lambda r: r.deadline, lambda r, s: describe.deadline(r.deadline, s)),
    ("exemption", lambda r: r.exemption, lambda r, s: describe.exemption(r, s)),
    ("unless", lambda r: r.exclusions, lambda r, s: describe.exclusions(r, s)),
    ("unconfirmed", lambda r: r.unconfirmed, lambda r, s: "; ".join(r.unconfirmed)),
    ("illustrative", lambda r: r.illustrative, lambda r, s: r.illustrative or ""),
    ("see", lambda r: r.see, lambda r, s: ", ".join(r.see)),
)


def _rules(old: ir.CompiledStandard, new: ir.CompiledStandard):
    old_rules = {rule.id: rule for rule in old.rules}
    new_rules = {rule.id: rule for rule in new.rules}
    added = tuple(_rule_entry(new_rules[i], new) for i in sorted(set(new_rules) - set(old_rules)))
    removed = tuple(_rule_entry(old_rules[i], old) for i in sorted(set(old_rules) - set(new_rules)))
    changed = []
    for rule_id in sorted(set(old_rules) & set(new_rules)):
        before, after = old_rules[rule_id], new_rules[rule_id]
        parts = [
            Change(name, describe_part(before, old) or None, describe_part(after, new) or None)
            for name, read, describe_part in RULE_PARTS
            if read(before) != read(after)
        ]
        if not parts and _normalise(before.source_text) != _normalise(after.source_text):
            parts.append(Change("text", None, None))  # layout or comments only
        if parts:
            changed.append(
                RuleChange(
                    rule_id,
                    after.title,
                    tuple(parts),
                    _where(before),
                    _where(after),
                    _unified(
                        before.source_text,
                        after.source_text,
                        before.source_file,
                        after.source_file,
                        before.source_line,
                        after.source_line,
                    ),
                    before.source_text,
                    after.source_text,
                )
            )
    return added, removed, tuple(changed)


def _rule_entry(rule: ir.Rule, standard: ir.CompiledStandard) -> RuleEntry:
    return RuleEntry(
        rule.id,
        rule.title,
        rule.modality,
        describe.duty_holders(rule.duty),
        rule.citations,
        rule.unconfirmed,
        describe.rule_sentence(rule, standard),
        _where(rule),
        rule.source_text,
    )


def _where(item) -> str:
    return f"{item.source_file}:{item.source_line}" if item.source_file else ""


def _normalise(text: str) -> str:
    return "\n".join(" ".join(line.split()) for line in text.strip().splitlines() if line.strip())


_HUNK = re.compile(r"^@@ -(\d+)(,\d+)? \+(\d+)(,\d+)? @@")


def _unified(old_text: str, new_text: str, old_file: str, new_file: str, old_line: int, new_line: int) -> str:
    """A unified diff of two texts, with hunk line numbers counted in their files."""
    lines = []
    for line in difflib.unified_diff(
        old_text.splitlines(), new_text.splitlines(), old_file or "old", new_file or "new", lineterm="", n=3
    ):
        match = _HUNK.match(line)
        if match and old_line and new_line:
            old_start = int(match.group(1)) + old_line - 1
            new_start = int(match.group(3)) + new_line - 1
            line = (
                f"@@ -{old_start}{match.group(2) or ''} +{new_start}{match.group(4) or ''} @@"
                + line[match.end() :]
            )
        lines.append(line)
    return "\n".join(lines)


# --- parameters ------------------------------------------------------------------------------


def _parameters(old: ir.CompiledStandard, new: ir.CompiledStandard) -> tuple[ParameterChange, ...]:
    before = {p.name: p for p in old.parameters}
    after = {p.name: p for p in new.parameters}
    changes = []
    for name in sorted(set(before) | set(after)):
        a, b = before.get(name), after.get(name)
        if a is None:
            changes.append(
                ParameterChange(
                    name,
                    "added",
                    b.unit,
                    tuple(ValueChange(day, None, value) for day, value in b.values),
                    used_by=_users(new, name),
                )
            )
        elif b is None:
            changes.append(
                ParameterChange(
                    name,
                    "removed",
                    a.unit,
                    tuple(ValueChange(day, value, None) for day, value in a.values),
                    used_by=_users(old, name),
                )
            )
        else:
            old_values, new_values = dict(a.values), dict(b.values)
            values = tuple(
                ValueChange(day, old_values.get(day), new_values.get(day))
                for day in sorted(set(old_values) | set(new_values))
                if old_values.get(day) != new_values.get(day)
            )
            attributes = tuple(
                Change(attribute, getattr(a, attribute) or None, getattr(b, attribute) or None)
                for attribute in ("unit", "description", "source", "unconfirmed", "illustrative")
                if getattr(a, attribute) != getattr(b, attribute)
            )
            if values or attributes:
                changes.append(
                    ParameterChange(name, "changed", b.unit, values, attributes, _users(new, name))
                )
    return tuple(changes)


def _users(standard: ir.CompiledStandard, name: str) -> tuple[str, ...]:
    return tuple(rule.id for rule in standard.rules if name in describe.parameters_read(rule))


# --- tables ----------------------------------------------------------------------------------


def _tables(old: ir.CompiledStandard, new: ir.CompiledStandard):
    before = {t.id: t for t in old.tables}
    after = {t.id: t for t in new.tables}
    added = tuple(_table_entry(after[i]) for i in sorted(set(after) - set(before)))
    removed = tuple(_table_entry(before[i]) for i in sorted(set(before) - set(after)))
    changed = []
    for table_id in sorted(set(before) & set(after)):
        change = _table_change(before[table_id], after[table_id])
        if change is not None:
            changed.append(change)
    return added, removed, tuple(changed)


def _table_entry(table: ir.DecisionTable) -> TableEntry:
    return TableEntry(
        table.id,
        table.title,
        table.hit_policy,
        _input_names(table),
        table.outputs,
        len(table.rows),
        _where(table),
    )


def _input_names(table: ir.DecisionTable) -> tuple[str, ...]:
    return tuple(f"{table.binding}.{name}" for name in table.inputs)


def _row_ref(table: ir.DecisionTable, row: ir.TableRow) -> TableRowRef:
    return TableRowRef(row.number, tuple(describe.cell(test) for test in row.tests), row.outputs)


def _table_change(a: ir.DecisionTable, b: ir.DecisionTable) -> TableChange | None:
    parts = []
    for name, read in (
        ("title", lambda t: t.title),
        ("citations", lambda t: list(t.citations)),
        ("event_type", lambda t: t.event_type),
        ("binding", lambda t: t.binding),
        ("hit_policy", lambda t: t.hit_policy),
        ("inputs", lambda t: list(_input_names(t))),
        ("outputs", lambda t: list(t.outputs)),
        ("output_types", lambda t: list(t.output_types)),
        ("illustrative", lambda t: t.illustrative),
        ("unconfirmed", lambda t: list(t.unconfirmed)),
    ):
        if read(a) != read(b):
            parts.append(Change(name, read(a) or None, read(b) or None))
    # Rows are matched by their input cells (in order, when the same cells occur twice).
    unmatched_new: dict[tuple, list[ir.TableRow]] = {}
    for row in b.rows:
        unmatched_new.setdefault(row.tests, []).append(row)
    pairs, removed = [], []
    for row in a.rows:
        candidates = unmatched_new.get(row.tests)
        if candidates:
            pairs.append((row, candidates.pop(0)))
        else:
            removed.append(_row_ref(a, row))
    added = sorted(
        (_row_ref(b, row) for rows in unmatched_new.values() for row in rows), key=lambda r: r.number
    )
    changed = []
    same_outputs = a.outputs == b.outputs
    for old_row, new_row in pairs:
        if old_row.outputs == new_row.outputs:
            continue
        if same_outputs:
            outputs = tuple(
                Change(name, before, after)
                for name, before, after in zip(b.outputs, old_row.outputs, new_row.outputs)
                if before != after
            )
        else:
            outputs = (Change("outputs", list(old_row.outputs), list(new_row.outputs)),)
        changed.append(
            TableRowChange(
                old_row.number, new_row.number, tuple(describe.cell(test) for test in new_row.tests), outputs
            )
        )
    if "first" in (a.hit_policy, b.hit_policy):
        old_order = [old_row.number for old_row, _ in sorted(pairs, key=lambda p: p[0].number)]
        new_order = [old_row.number for old_row, _ in sorted(pairs, key=lambda p: p[1].number)]
        if old_order != new_order:  # with hit policy first, the order of rows is their meaning
            parts.append(Change("row_order", old_order, new_order))
    if not (parts or added or removed or changed):
        if _normalise(a.source_text) == _normalise(b.source_text):
            return None
        parts.append(Change("text", None, None))
    return TableChange(
        b.id,
        b.title,
        tuple(parts),
        tuple(added),
        tuple(removed),
        tuple(changed),
        _unified(a.source_text, b.source_text, a.source_file, b.source_file, a.source_line, b.source_line),
    )


# --- the event vocabulary --------------------------------------------------------------------


def _event_types(old: ir.CompiledStandard, new: ir.CompiledStandard) -> tuple[EventTypeChange, ...]:
    before = {e.name: e for e in old.event_types}
    after = {e.name: e for e in new.event_types}
    changes = []
    for name in sorted(set(before) | set(after)):
        a, b = before.get(name), after.get(name)
        if a is None:
            changes.append(
                EventTypeChange(
                    name,
                    "added",
                    Change("description", None, b.description),
                    fields_added=tuple((f, describe.field_type(t)) for f, t in b.fields),
                )
            )
        elif b is None:
            changes.append(
                EventTypeChange(
                    name,
                    "removed",
                    Change("description", a.description, None),
                    fields_removed=tuple((f, describe.field_type(t)) for f, t in a.fields),
                )
            )
        else:
            old_fields, new_fields = dict(a.fields), dict(b.fields)
            added = tuple(
                (f, describe.field_type(new_fields[f])) for f in sorted(set(new_fields) - set(old_fields))
            )
            removed = tuple(
                (f, describe.field_type(old_fields[f])) for f in sorted(set(old_fields) - set(new_fields))
            )
            changed = []
            for f in sorted(set(old_fields) & set(new_fields)):
                if old_fields[f] != new_fields[f]:
                    before_words = _field_words(old_fields[f])
                    after_words = _field_words(new_fields[f])
                    changed.append(Change(f, before_words, after_words))
            description = (
                Change("description", a.description, b.description)
                if a.description != b.description
                else None
            )
            if description or added or removed or changed:
                changes.append(EventTypeChange(name, "changed", description, added, removed, tuple(changed)))
    return tuple(changes)


def _field_words(value: ir.FieldType) -> str:
    words = describe.field_type(value)
    return f"{words} - {value.description}" if value.description else words


# --- the stated list of changes --------------------------------------------------------------


def _review(old: ir.CompiledStandard, new: ir.CompiledStandard, result: StandardsDiff) -> StatedChangesReview:
    rule_status = {entry.id: "added" for entry in result.rules_added}
    rule_status.update({change.id: "changed" for change in result.rules_changed})
    parameter_status = {p.name: p.status for p in result.parameters if p.status != "removed"}
    checked = new.id == old.id and new.supersedes == old.version

    def status(kind: str, name: str) -> str:
        table = rule_status if kind == "rule" else parameter_status
        return table.get(name, "unchanged") if checked else "not checked"

    entries, named = [], set()
    for summary, rules, parameters in new.changes:
        items = tuple(
            [Item("rule", r, status("rule", r)) for r in rules]
            + [Item("parameter", p, status("parameter", p)) for p in parameters]
        )
        named |= {(item.kind, item.id) for item in items}
        entries.append(StatedChange(summary, items))
    if not checked:
        return StatedChangesReview(new.version, new.supersedes, False, tuple(entries))
    not_stated = tuple(
        sorted(
            [Item("rule", r, s) for r, s in rule_status.items() if ("rule", r) not in named]
            + [Item("parameter", p, s) for p, s in parameter_status.items() if ("parameter", p) not in named],
            key=lambda item: (item.kind, item.id),
        )
    )
    unchanged = tuple(
        sorted(
            {item for entry in entries for item in entry.items if item.status == "unchanged"},
            key=lambda item: (item.kind, item.id),
        )
    )
    unnameable = tuple(
        sorted(
            [Item("rule", entry.id, "removed") for entry in result.rules_removed]
            + [Item("parameter", p.name, "removed") for p in result.parameters_with("removed")]
            + [Item("table", t.id, "added") for t in result.tables_added]
            + [Item("table", t.id, "removed") for t in result.tables_removed]
            + [Item("table", t.id, "changed") for t in result.tables_changed],
            key=lambda item: (item.kind, item.id),
        )
    )
    return StatedChangesReview(
        new.version, new.supersedes, True, tuple(entries), not_stated, unchanged, unnameable
    )


# --- text ------------------------------------------------------------------------------------


def _show(value: Any) -> str:
    if value is None:
        return "(none)"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return "; ".join(_show(item) for item in value) if value else "(none)"
    return str(value)


def _indent(text: str, prefix: str) -> list[str]:
    return [prefix + line if line else prefix.rstrip() for line in text.splitlines()]


def _change_lines(change: Change, prefix: str) -> list[str]:
    if change.old is None and change.new is None:
        return [f"{prefix}{change.part}: only the layout or comments changed"]
    if change.old is None:
        return _wrap(f"{change.part} added: {_show(change.new)}", prefix, prefix + "    ")
    if change.new is None:
        return _wrap(f"{change.part} removed: {_show(change.old)}", prefix, prefix + "    ")
    old, new = _show(change.old), _show(change.new)
    if len(old) + len(new) + len(change.part) < 90:
        return [f"{prefix}{change.part}: {old} -> {new}"]
    return (
        [f"{prefix}{change.part}:"]
        + _wrap(old, f"{prefix}  - ", f"{prefix}    ")
        + _wrap(new, f"{prefix}  + ", f"{prefix}    ")
    )


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}" + ("" if number == 1 else "s")


def _stated_by_item(review: StatedChangesReview | None) -> dict[tuple[str, str], tuple[str, ...]]:
    """The manifest's stated change summaries (with their sources) for each rule or parameter named."""
    found: dict[tuple[str, str], tuple[str, ...]] = {}
    for entry in review.entries if review is not None else ():
        for item in entry.items:
            found[(item.kind, item.id)] = found.get((item.kind, item.id), ()) + (entry.summary,)
    return found


def _why_lines(summaries: tuple[str, ...]) -> list[str]:
    """``why:`` lines under a rule or parameter: the stated changes that name it."""
    lines: list[str] = []
    for summary in summaries:
        lines += _wrap(f"why: {summary}", "      ", "           ")
    return lines


def _render_text(d: StandardsDiff) -> str:
    out = [
        f"sendrules diff {d.old} {d.new}",
        f"  old: {d.old} ({d.old_status}; sha256 {d.old_sha256})",
        f"  new: {d.new} ({d.new_status}; sha256 {d.new_sha256})",
    ]
    if not d.differs:
        out += ["", "No differences."]
        return "\n".join(out) + "\n"
    s = d.summary()
    out.append("")
    out.append(
        "Summary: rules {added} added, {removed} removed, {changed} changed; ".format(**s["rules"])
        + "parameters {added} added, {removed} removed, {changed} changed; ".format(**s["parameters"])
        + "tables {added} added, {removed} removed, {changed} changed; ".format(**s["tables"])
        + "event types {added} added, {removed} removed, {changed} changed".format(**s["event_types"])
    )

    if d.manifest:
        out += ["", "Manifest"]
        for change in d.manifest:
            out += _change_lines(change, "  ")

    stated = _stated_by_item(d.stated_changes)
    if d.rules_added or d.rules_removed or d.rules_changed:
        out += ["", "Rules"]
        for sign, entries in (("+", d.rules_added), ("-", d.rules_removed)):
            for rule in entries:
                verb = "added" if sign == "+" else "removed"
                out.append(
                    f'  {sign} {rule.id} {verb}: "{rule.title}" ({rule.modality}; '
                    f"{', '.join(rule.duty_holders)}; {rule.source})"
                )
                out += _why_lines(stated.get(("rule", rule.id), ()))
                out += _indent(rule.text, f"      {sign} ")
        for rule in d.rules_changed:
            out.append(f"  ~ {rule.id} changed: {', '.join(rule.changed_parts)} ({rule.new_source})")
            out += _why_lines(stated.get(("rule", rule.id), ()))
            for change in rule.parts:
                out += _change_lines(change, "      ")
            out += _indent(rule.unified_diff, "      ")

    if d.parameters:
        out += ["", "Parameters"]
        for parameter in d.parameters:
            sign = {"added": "+", "removed": "-", "changed": "~"}[parameter.status]
            used = f"; used by {', '.join(parameter.used_by)}" if parameter.used_by else ""
            out.append(f"  {sign} {parameter.name} {parameter.status} ({parameter.unit}{used})")
            out += _why_lines(stated.get(("parameter", parameter.name), ()))
            for value in parameter.values:
                when = f"from {value.effective.isoformat()}"
                if value.old is None:
                    out.append(f"      {when}: {value.new} (added)")
                elif value.new is None:
                    out.append(f"      {when}: {value.old} (removed)")
                else:
                    out.append(f"      {when}: {value.old} -> {value.new}")
            for change in parameter.attributes:
                out += _change_lines(change, "      ")

    if d.tables_added or d.tables_removed or d.tables_changed:
        out += ["", "Decision tables"]
        for sign, entries in (("+", d.tables_added), ("-", d.tables_removed)):
            for table in entries:
                verb = "added" if sign == "+" else "removed"
                out.append(
                    f'  {sign} {table.id} {verb}: "{table.title}" ({_count(table.rows, "row")}, '
                    f"hit policy {table.hit_policy}; {table.source})"
                )
        for table in d.tables_changed:
            out.append(f"  ~ {table.id} changed")
            for change in table.parts:
                out += _change_lines(change, "      ")
            for row in table.rows_changed:
                where = (
                    f"row {row.new_number}"
                    if row.old_number == row.new_number
                    else f"row {row.old_number} (now {row.new_number})"
                )
                outputs = ", ".join(f"{c.part} {_show(c.old)} -> {_show(c.new)}" for c in row.outputs)
                out.append(f"      {where} [{' | '.join(row.inputs)}]: {outputs}")
            for sign, rows in (("+", table.rows_added), ("-", table.rows_removed)):
                for row in rows:
                    verb = "added" if sign == "+" else "removed"
                    out.append(
                        f"      {sign} row {row.number} {verb} [{' | '.join(row.inputs)}]: "
                        + ", ".join(_show(value) for value in row.outputs)
                    )
            out += _indent(table.unified_diff, "      ")

    out += render_measures(d.measures)

    if d.event_types:
        out += ["", "Event vocabulary"]
        for event in d.event_types:
            sign = {"added": "+", "removed": "-", "changed": "~"}[event.status]
            if event.status == "changed":
                out.append(f"  ~ {event.name} changed")
                if event.description:
                    out += _change_lines(event.description, "      ")
            else:
                text = event.description.new if event.status == "added" else event.description.old
                out.append(f"  {sign} {event.name} {event.status}: {text}")
            for name, kind in event.fields_added:
                out.append(f"      + field {name}: {kind}")
            for name, kind in event.fields_removed:
                out.append(f"      - field {name}: {kind}")
            for change in event.fields_changed:
                out += _change_lines(Change(f"field {change.part}", change.old, change.new), "      ")

    review = d.stated_changes
    if review is not None and (review.entries or review.checked):
        against = f" (against {review.against})" if review.against else ""
        out += ["", f"Stated changes in the manifest of {review.version}{against}"]
        if not review.entries:
            out.append("  (none stated)")
        for number, entry in enumerate(review.entries, start=1):
            out += _wrap(entry.summary, f"  {number}. ", "     ")
            if entry.items:
                out += _wrap("names: " + ", ".join(str(item) for item in entry.items), "     ", "       ")
            else:
                out.append("     names no rule or parameter")
        if not review.checked:
            out.append(
                f"  Not checked: {review.version} states its changes against {review.against or 'no version'}, "
                f"not against {d.old.split('@', 1)[1]}."
            )
        else:
            out += ["", "Review of the stated changes"]
            if review.consistent:
                out.append(
                    "  ok: every added or changed rule and parameter is named, and everything named changed"
                )
            for item in review.not_stated:
                out.append(f"  ! {item} is not named in the stated changes")
            for item in review.stated_but_unchanged:
                out.append(f"  ! {item.kind} {item.id} is named in the stated changes but did not change")
            for item in review.describe_in_a_summary:
                out.append(f"  ? {item}: the list cannot name it; check that a summary describes it")
    return "\n".join(out) + "\n"


def _wrap(text: str, first: str, rest: str, width: int = 100) -> list[str]:
    return textwrap.wrap(
        text,
        width=width,
        initial_indent=first,
        subsequent_indent=rest,
        break_long_words=False,
        break_on_hyphens=False,
    ) or [first.rstrip()]


__all__ = [
    "diff_standards",
    "StandardsDiff",
    "Change",
    "RuleEntry",
    "RuleChange",
    "ParameterChange",
    "ValueChange",
    "TableEntry",
    "TableChange",
    "TableRowRef",
    "TableRowChange",
    "EventTypeChange",
    "StatedChange",
    "StatedChangesReview",
    "Item",
    "RULE_PARTS",
]
