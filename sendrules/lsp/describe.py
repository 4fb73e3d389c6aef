"""What hovering over a name shows: its definition, the value in force and where it comes from.

Plain Markdown, written from the pack the file belongs to. Parameters are dated: the hover
shows every dated value and marks the one in force on the date the version takes effect
(``effective_from`` in its manifest). Nothing here reads the wall clock.
"""

from __future__ import annotations

from datetime import date

from sendrules.dsl import ast
from sendrules.dsl.checker import CHILD_FIELDS
from sendrules.dsl.pack import LoadedPack
from sendrules.lsp.symbols import (
    ALIAS,
    CHILD_FIELD,
    DUTY_HOLDER,
    EVENT_BUILTINS,
    EVENT_TYPE,
    FIELD,
    PARAMETER,
    RULE,
    TABLE,
    Location,
    Occurrence,
    Symbol,
    SymbolIndex,
)

CHILD_FIELD_MEANINGS = {
    "id": "the child's pseudonymous id",
    "date_of_birth": "the child's date of birth",
    "local_authority": "the local authority responsible for the child",
}
UNIT_WORDS = {"working_days": "working days", "school_days": "school days"}


def describe(occurrence: Occurrence, pack: LoadedPack, index: SymbolIndex, display: str) -> str | None:
    """Markdown for the hover over ``occurrence``; None when there is nothing to say."""
    symbol = occurrence.symbol
    describer = {
        EVENT_TYPE: _event_type,
        FIELD: _field,
        PARAMETER: _parameter,
        DUTY_HOLDER: _duty_holder,
        RULE: _rule,
        TABLE: _table,
        ALIAS: _alias,
        CHILD_FIELD: _child_field,
    }.get(symbol.kind)
    if describer is None:
        return None
    text = describer(symbol, occurrence, pack, index)
    if text is None:
        return None
    where = index.definitions.get(symbol)
    if where is not None and not occurrence.is_definition:
        text += f"\n\nDefined in `{_place(where, display)}`."
    uses = [o for o in index.references(symbol) if not o.is_definition]
    if occurrence.is_definition and symbol.kind in (EVENT_TYPE, FIELD, PARAMETER, DUTY_HOLDER, RULE, TABLE):
        text += f"\n\nUsed {len(uses)} time{'s' if len(uses) != 1 else ''} in this version."
    return text


def _place(location: Location, display: str) -> str:
    return f"{display}/{location.relative}:{location.line}"


def _event_type(symbol: Symbol, occurrence, pack: LoadedPack, index) -> str | None:
    spec = pack.events.get(symbol.name)
    if spec is None:
        return f"**{symbol.name}**: event type (not in this version's events.yaml)"
    lines = [f"**{symbol.name}**: event type", "", spec.description]
    if spec.fields:
        lines += ["", "| field | type | |", "|---|---|---|"]
        for name, field_spec in spec.fields.items():
            lines.append(f"| `{name}` | {_field_type(field_spec)} | {_requirement(field_spec)} |")
    lines += ["", "Every event also has `id` and `date`."]
    return "\n".join(lines)


def _field_type(spec) -> str:
    if spec.type in ("enum", "code"):
        return f"{spec.type}: " + ", ".join(f"`{value}`" for value in spec.values or [])
    if spec.type == "integer" and (spec.minimum is not None or spec.maximum is not None):
        low = "" if spec.minimum is None else spec.minimum
        high = "" if spec.maximum is None else spec.maximum
        return f"integer ({low}..{high})"
    if spec.type == "event_ref":
        return f"the id of a `{spec.event_type}` event"
    return spec.type


def _requirement(spec) -> str:
    if spec.required:
        return "required"
    if spec.required_when:
        return "required when " + "; ".join(
            f"{name} is {' or '.join(values)}" for name, values in spec.required_when.items()
        )
    return "optional"


def _field(symbol: Symbol, occurrence: Occurrence, pack: LoadedPack, index) -> str | None:
    if "." not in symbol.name:  # date or id
        meaning = EVENT_BUILTINS.get(symbol.name)
        owners = ", ".join(f"`{t}`" for t in occurrence.event_types) or "every event"
        return f"**{symbol.name}**: field of {owners}\n\n{meaning}" if meaning else None
    event_type, name = symbol.name.split(".", 1)
    spec = pack.events.get(event_type)
    field_spec = spec.fields.get(name) if spec else None
    if field_spec is None:
        return None
    owners = [t for t in occurrence.event_types if t in pack.events and name in pack.events[t].fields] or [
        event_type
    ]
    lines = [
        f"**{name}**: field of " + ", ".join(f"`{t}`" for t in owners),
        "",
        f"{_field_type(field_spec)}; {_requirement(field_spec)}",
    ]
    if field_spec.description:
        lines += ["", field_spec.description]
    return "\n".join(lines)


def _parameter(symbol: Symbol, occurrence, pack: LoadedPack, index) -> str | None:
    spec = pack.parameters.get(symbol.name)
    if spec is None:
        return f"**params.{symbol.name}**: not a parameter of this version"
    unit = UNIT_WORDS.get(spec.unit, spec.unit)
    lines = [f"**params.{symbol.name}**: parameter, in {unit}", "", spec.description, ""]
    effective = pack.manifest.effective_from if pack.manifest is not None else None
    in_force = _in_force(sorted(spec.values), effective)
    for day, value in sorted(spec.values.items()):
        mark = (
            f" (in force when this version takes effect, {effective.isoformat()})" if day == in_force else ""
        )
        lines.append(f"* from {day.isoformat()}: **{value}** {unit}{mark}")
    if in_force is None and effective is not None:
        lines.append(f"* no value is in force when this version takes effect ({effective.isoformat()})")
    lines += ["", f"Source: {spec.source}"]
    if spec.unconfirmed:
        lines += ["", f"Unconfirmed: {spec.unconfirmed}"]
    if spec.illustrative:
        lines += ["", "Illustrative: local practice or an example, not law"]
    return "\n".join(lines)


def _in_force(days: list[date], on: date | None) -> date | None:
    """The date of the value in force on ``on``: the latest that is not after it."""
    if on is None:
        return None
    earlier = [day for day in days if day <= on]
    return earlier[-1] if earlier else None


def _duty_holder(symbol: Symbol, occurrence, pack: LoadedPack, index) -> str | None:
    holders = pack.manifest.duty_holders if pack.manifest is not None else {}
    if symbol.name not in holders:
        return f"**{symbol.name}**: not a duty holder of this version (manifest.yaml lists them)"
    return f"**{symbol.name}**: duty holder\n\n{holders[symbol.name]}"


def _rule(symbol: Symbol, occurrence, pack: LoadedPack, index: SymbolIndex) -> str | None:
    rule = index.rules.get(symbol.name)
    if rule is None:
        return f"**{symbol.name}**: there is no such rule in this version"
    clauses = rule.clauses
    modality = next((c.value for c in clauses if isinstance(c, ast.Modality)), None)
    lines = [f"**{symbol.name}**: rule" + (f" ({modality})" if modality else ""), "", rule.title.value]
    duty = next((c for c in clauses if isinstance(c, (ast.DutyFixed, ast.DutyCases))), None)
    if isinstance(duty, ast.DutyFixed):
        lines += ["", f"Duty holder: `{duty.holder.value}`"]
    elif isinstance(duty, ast.DutyCases):
        cases = ", ".join(f'"{case.value.value}" → `{case.holder.value}`' for case in duty.cases)
        if duty.otherwise is not None:
            cases += f", otherwise `{duty.otherwise.value}`"
        lines += ["", f"Duty holder depending on `{duty.selector.path.value}`: {cases}"]
    citations = [text.value for c in clauses if isinstance(c, ast.Cite) for text in c.citations]
    if citations:
        lines += ["", "Cites: " + "; ".join(citations)]
    for note in (c.note.value for c in clauses if isinstance(c, ast.Unconfirmed)):
        lines += ["", f"Unconfirmed: {note}"]
    for dates in (c for c in clauses if isinstance(c, ast.InForce) and c.start is not None):
        until = f" to {dates.end.isoformat()}" if dates.end is not None else ""
        lines += ["", f"In force for triggers dated from {dates.start.isoformat()}{until} (both included)"]
    for illustrative in (c for c in clauses if isinstance(c, ast.Illustrative)):
        lines += ["", f"Illustrative, not law: {illustrative.note.value}"]
    return "\n".join(lines)


def _table(symbol: Symbol, occurrence, pack: LoadedPack, index: SymbolIndex) -> str | None:
    table = index.tables.get(symbol.name)
    if table is None:
        return None
    lines = [
        f"**{symbol.name}**: decision table",
        "",
        table.title.value,
        "",
        "Inputs: " + ", ".join(f"`{n.value}`" for n in table.inputs),
        "Outputs: " + ", ".join(f"`{n.value}`" for n in table.outputs),
        f"{len(table.rows)} rows",
    ]
    for clause in table.clauses:
        if isinstance(clause, ast.Illustrative):
            lines += ["", f"Illustrative: {clause.note.value}"]
    return "\n".join(lines)


def _alias(symbol: Symbol, occurrence, pack: LoadedPack, index: SymbolIndex) -> str | None:
    owner, alias = symbol.name.split(":", 1)
    declaration = index.rules.get(owner) or index.tables.get(owner)
    if declaration is None:
        return None
    for clause in getattr(declaration, "clauses", ()):
        bound = _binding(clause, alias)
        if bound is not None:
            types, how = bound
            return (
                f"**{alias}**: the {' or '.join(f'`{t}`' for t in types)} event bound by `{how}` in {owner}"
            )
    return None


def _binding(clause, alias: str) -> tuple[tuple[str, ...], str] | None:
    if isinstance(clause, ast.When) and clause.alias.value == alias:
        return tuple(n.value for n in clause.event_types), "when"
    if isinstance(clause, ast.OnlyIf) and clause.alias.value == alias:
        return (clause.event_type.value,), "only if"
    if isinstance(clause, ast.Expect):
        expected = clause.expected
        if (
            isinstance(expected, ast.ExpectAfter)
            and expected.alias is not None
            and expected.alias.value == alias
        ):
            return tuple(n.value for n in expected.event_types), "expect"
        if (
            isinstance(expected, ast.ExpectResponse)
            and expected.alias is not None
            and expected.alias.value == alias
        ):
            return (expected.event_type.value,), "expect"
    if isinstance(clause, ast.Given) and clause.alias.value == alias:
        return (clause.event_type.value,), "given"
    return None


def _child_field(symbol: Symbol, occurrence, pack, index) -> str | None:
    if symbol.name not in CHILD_FIELDS:
        return None
    return (
        f"**child.{symbol.name}**: {CHILD_FIELDS[symbol.name]}\n\n{CHILD_FIELD_MEANINGS.get(symbol.name, '')}"
    ).rstrip()
