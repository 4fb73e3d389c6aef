"""Every name written in a pack, what it refers to, and where that is defined.

A ``Symbol`` is something a pack defines: an event type, a field of one, a parameter, a duty
holder, a rule, a decision table, or an alias bound inside one rule. An ``Occurrence`` is one
place a symbol is written (its definition included). The index is built from the parser's AST
for ``.rules`` files and from the YAML nodes of ``events.yaml``, ``parameters.yaml`` and
``manifest.yaml``; nothing here checks anything (the checker does that).

Clauses this module does not know (a construct added to the language later) are still
searched: every name in them that is an event type, a parameter, a rule id or a duty holder of
the pack is found by what it spells.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field

import yaml

from sendrules.dsl import ast
from sendrules.dsl.checker import CHILD_FIELDS
from sendrules.dsl.pack import LoadedPack

EVENT_TYPE = "event_type"
FIELD = "field"
PARAMETER = "parameter"
DUTY_HOLDER = "duty_holder"
RULE = "rule"
TABLE = "table"
ALIAS = "alias"
CHILD_FIELD = "child_field"
#: Fields every event has: ``date`` and ``id``.
EVENT_BUILTINS = {"date": "the day the event happened", "id": "the event's id, unique within the journey"}


@dataclass(frozen=True)
class Location:
    """A stretch of one line of a pack file (``relative`` to the version folder); 1-based,
    end column exclusive."""

    relative: str
    line: int
    column: int
    end_column: int

    def contains(self, line: int, column: int) -> bool:
        return self.line == line and self.column <= column < self.end_column

    def touches(self, line: int, column: int) -> bool:
        """Contains the position, or ends right at it (the cursor just after a word)."""
        return self.line == line and self.column <= column <= self.end_column


@dataclass(frozen=True)
class Symbol:
    """What a name refers to. ``name`` is the full name: ``assessment_requested``,
    ``assessment_requested.outcome``, ``ehc.final_plan_weeks`` (without ``params.``),
    ``ehc.final_plan``, ``local_authority``, ``ehc.final_plan:request`` (an alias, by rule),
    ``date_of_birth`` (of the child)."""

    kind: str
    name: str

    @property
    def short(self) -> str:
        return self.name.split(":")[-1].split(".")[-1] if self.kind in (ALIAS, FIELD) else self.name


@dataclass(frozen=True)
class Occurrence:
    location: Location
    symbol: Symbol
    #: For a field, the event types it was looked up in (``when a or b as x``: both).
    event_types: tuple[str, ...] = ()
    is_definition: bool = False


@dataclass
class SymbolIndex:
    """Every occurrence in a pack, and each symbol's definition."""

    occurrences: list[Occurrence] = field(default_factory=list)
    definitions: dict[Symbol, Location] = field(default_factory=dict)
    #: Rule and table declarations by id, for describing them.
    rules: dict[str, ast.RuleDecl] = field(default_factory=dict)
    tables: dict[str, ast.TableDecl] = field(default_factory=dict)
    #: Where each rule and table was written (relative file), by id.
    rule_files: dict[str, str] = field(default_factory=dict)

    def add(self, occurrence: Occurrence) -> None:
        self.occurrences.append(occurrence)
        if occurrence.is_definition and occurrence.symbol not in self.definitions:
            self.definitions[occurrence.symbol] = occurrence.location

    def at(self, relative: str, line: int, column: int) -> Occurrence | None:
        """The occurrence under a position (1-based), the narrowest if several overlap; else
        one that ends right at it."""
        found = [
            o
            for o in self.occurrences
            if o.location.relative == relative and o.location.contains(line, column)
        ]
        if not found:
            found = [
                o
                for o in self.occurrences
                if o.location.relative == relative and o.location.touches(line, column)
            ]
        if not found:
            return None
        return min(found, key=lambda o: o.location.end_column - o.location.column)

    def references(self, symbol: Symbol) -> list[Occurrence]:
        return [o for o in self.occurrences if o.symbol == symbol]


def build_index(pack: LoadedPack, relative_of: dict[str, str]) -> SymbolIndex:
    """The index of a loaded pack. ``relative_of`` maps the display path recorded in the AST's
    spans (``send-ap/1.1.0/ehc.rules``) to the file's path in the version folder."""
    index = SymbolIndex()
    for rules_file in pack.rules_files:
        relative = relative_of.get(rules_file.path, rules_file.path)
        for rule in rules_file.rules:
            index.rules.setdefault(rule.rule_id.value, rule)
            index.rule_files.setdefault(rule.rule_id.value, relative)
        for table in rules_file.tables:
            index.tables.setdefault(table.table_id.value, table)
            index.rule_files.setdefault(table.table_id.value, relative)
    _yaml_symbols(pack, index)
    for rules_file in pack.rules_files:
        relative = relative_of.get(rules_file.path, rules_file.path)
        for rule in rules_file.rules:
            _RuleWalker(pack, index, relative, rule).walk()
        for table in rules_file.tables:
            _table_symbols(pack, index, relative, table)
    return index


# --- .rules files ----------------------------------------------------------------------------


def _location(
    relative: str, span: ast.Span | None, start: int = 0, length: int | None = None
) -> Location | None:
    if span is None:
        return None
    column = span.column + start
    end = (
        column + length
        if length is not None
        else (span.end_column if span.end_line == span.line else column + 1)
    )
    return Location(relative, span.line, column, end)


class _RuleWalker:
    """Finds every name of one rule."""

    def __init__(self, pack: LoadedPack, index: SymbolIndex, relative: str, rule: ast.RuleDecl) -> None:
        self.pack = pack
        self.index = index
        self.relative = relative
        self.rule = rule
        self.bindings: dict[str, tuple[str, ...]] = {}
        self.trigger_types: tuple[str, ...] = ()

    def add(
        self,
        name: ast.Name | None,
        symbol: Symbol,
        *,
        definition: bool = False,
        event_types: tuple[str, ...] = (),
        start: int = 0,
        length: int | None = None,
    ) -> None:
        if name is None:
            return
        location = _location(self.relative, name.span, start, length)
        if location is not None:
            self.index.add(Occurrence(location, symbol, event_types, definition))

    def alias_symbol(self, alias: str) -> Symbol:
        return Symbol(ALIAS, f"{self.rule.rule_id.value}:{alias}")

    def walk(self) -> None:
        rule = self.rule
        self.add(rule.rule_id, Symbol(RULE, rule.rule_id.value), definition=True)
        for clause in rule.clauses:  # the aliases first: a rule may use one above its binding
            self._bind(clause)
        for clause in rule.clauses:
            self.clause(clause)

    def _bind(self, clause) -> None:
        if isinstance(clause, ast.When):
            self.trigger_types = tuple(name.value for name in clause.event_types)
            self.bindings[clause.alias.value] = self.trigger_types
        elif isinstance(clause, ast.OnlyIf):
            self.bindings[clause.alias.value] = (clause.event_type.value,)
        elif isinstance(clause, ast.RunOf):  # (language 3) the run's first event
            self.bindings[clause.alias.value] = (clause.event_type.value,)
        elif isinstance(clause, ast.AbsencesReaching):  # (language 4) the day the absences reach
            self.bindings[clause.alias.value] = (clause.start_type.value,)
        elif isinstance(clause, ast.Expect):
            expected = clause.expected
            if isinstance(expected, ast.ExpectAfter) and expected.alias is not None:
                self.bindings[expected.alias.value] = tuple(name.value for name in expected.event_types)
            elif isinstance(expected, ast.ExpectResponse) and expected.alias is not None:
                self.bindings[expected.alias.value] = (expected.event_type.value,)

    def event_type(self, name: ast.Name | None) -> None:
        if name is not None:
            self.add(name, Symbol(EVENT_TYPE, name.value))

    def alias_use(self, name: ast.Name | None) -> None:
        if name is not None and name.value in self.bindings:
            self.add(name, self.alias_symbol(name.value))

    def alias_definition(self, name: ast.Name | None) -> None:
        if name is not None:
            self.add(name, self.alias_symbol(name.value), definition=True)

    def clause(self, clause) -> None:
        if isinstance(clause, ast.DutyFixed):
            self.add(clause.holder, Symbol(DUTY_HOLDER, clause.holder.value))
        elif isinstance(clause, ast.DutyCases):
            self.reference(clause.selector, ())
            for case in clause.cases:
                self.add(case.holder, Symbol(DUTY_HOLDER, case.holder.value))
            if clause.otherwise is not None:
                self.add(clause.otherwise, Symbol(DUTY_HOLDER, clause.otherwise.value))
        elif isinstance(clause, ast.See):
            for name in clause.rule_ids:
                self.add(name, Symbol(RULE, name.value))
        elif isinstance(clause, ast.When):
            for name in clause.event_types:
                self.event_type(name)
            self.alias_definition(clause.alias)
            self.condition(clause.condition, self.trigger_types)
        elif isinstance(clause, ast.OnlyIf):
            self.event_type(clause.event_type)
            self.alias_use(clause.after)
            self.condition(clause.condition, (clause.event_type.value,))
            self.alias_definition(clause.alias)
        elif isinstance(clause, ast.Unless):
            self.event_type(clause.event_type)
            self.alias_use(clause.after)
            self.condition(clause.condition, (clause.event_type.value,))
            self.alias_use(clause.before)
        elif isinstance(clause, ast.Expect):
            self.expected(clause.expected)
            self.deadline(clause.deadline)
        elif isinstance(clause, ast.ExpectBefore):
            for name in clause.event_types:
                self.event_type(name)
            self.alias_use(clause.anchor)
            self.condition(clause.condition, tuple(name.value for name in clause.event_types))
        elif isinstance(clause, ast.Require):
            self.condition(clause.condition, self.trigger_types)
        elif isinstance(clause, ast.Exempt):
            self.event_type(clause.event_type)
            self.alias_use(clause.between)
        elif isinstance(clause, (ast.Modality, ast.Cite, ast.Unconfirmed, ast.InForce, ast.Illustrative)):
            pass
        else:
            self.unknown(clause)

    def expected(self, expected) -> None:
        if isinstance(expected, ast.ExpectAfter):
            types = tuple(name.value for name in expected.event_types)
            for name in expected.event_types:
                self.event_type(name)
            self.alias_use(expected.after)
            self.condition(expected.condition, types)
            self.alias_definition(expected.alias)
        elif isinstance(expected, ast.ExpectResponse):
            self.event_type(expected.event_type)
            self.alias_use(expected.to)
            self.alias_definition(expected.alias)
        elif isinstance(expected, ast.ExpectBound):
            self.alias_use(expected.alias)
        else:
            self.unknown(expected)

    def deadline(self, deadline) -> None:
        if deadline is None:
            return
        if isinstance(deadline, ast.DeadlineCases):
            self.reference(deadline.selector, ())
            for case in deadline.cases:
                self.deadline(case.deadline)
            self.deadline(deadline.otherwise)
            return
        if isinstance(deadline, ast.LaterOf):
            self.deadline(deadline.first)
            self.deadline(deadline.second)
            return
        amount = getattr(deadline, "amount", None)
        if isinstance(amount, ast.Amount) and amount.parameter is not None:
            self.parameter(amount.parameter)
        anchor = getattr(deadline, "anchor", None)
        if isinstance(anchor, ast.Name):
            self.alias_use(anchor)
        date_ref = getattr(deadline, "date_ref", None)
        if isinstance(date_ref, ast.DateRef):
            self.dotted(date_ref.path, ())
        known = (
            ast.Within,
            ast.WithinBeginningWith,
            ast.WithinMonthsStartingWith,
            ast.BySchoolDay,
            ast.ByDate,
            ast.BeforeDayMonth,
            ast.MonthsBefore,
            ast.NotBefore,
        )
        if not isinstance(deadline, known):
            self.unknown(deadline)

    def parameter(self, name: ast.Name) -> None:
        parameter = name.value[len("params.") :] if name.value.startswith("params.") else name.value
        self.add(name, Symbol(PARAMETER, parameter))

    def reference(self, reference: ast.Reference, context: tuple[str, ...]) -> None:
        self.dotted(reference.path, context)

    def dotted(self, name: ast.Name, context: tuple[str, ...]) -> None:
        """``params.x.y``, ``child.field``, ``alias.field`` or a bare alias."""
        parts = name.value.split(".")
        if parts[0] == "params":
            self.parameter(name)
            return
        if parts[0] == "child":
            if len(parts) == 2:
                self.add(name, Symbol(CHILD_FIELD, parts[1]), start=len("child."), length=len(parts[1]))
            return
        alias = parts[0]
        if alias not in self.bindings:
            return
        self.add(name, self.alias_symbol(alias), length=len(alias))
        if len(parts) == 2:
            self.field(name, self.bindings[alias], parts[1], start=len(alias) + 1)

    def field(self, name: ast.Name, types: tuple[str, ...], field_name: str, start: int = 0) -> None:
        length = len(field_name)
        if field_name in EVENT_BUILTINS:
            self.add(name, Symbol(FIELD, field_name), event_types=types, start=start, length=length)
            return
        owner = next(
            (t for t in types if t in self.pack.events and field_name in self.pack.events[t].fields), None
        )
        if owner is not None:
            self.add(
                name, Symbol(FIELD, f"{owner}.{field_name}"), event_types=types, start=start, length=length
            )

    def condition(self, condition, context: tuple[str, ...]) -> None:
        if condition is None:
            return
        if isinstance(condition, (ast.AllOf, ast.AnyOf)):
            for part in condition.parts:
                self.condition(part, context)
        elif isinstance(condition, ast.Not):
            self.condition(condition.operand, context)
        elif isinstance(condition, ast.Comparison):
            self.operand(condition.left, context)
            self.operand(condition.right, context)
        elif isinstance(condition, (ast.Membership, ast.Presence)):
            self.operand(condition.operand, context)
        elif isinstance(condition, ast.CompulsorySchoolAgeAt):
            self.alias_use(condition.at)
        else:
            self.unknown(condition)

    def operand(self, operand, context: tuple[str, ...]) -> None:
        if isinstance(operand, ast.FieldName):
            self.field(operand.name, context, operand.name.value)
        elif isinstance(operand, ast.Reference):
            self.reference(operand, context)
        elif isinstance(operand, (ast.ChildAgeAt, ast.ChildSchoolYearAt)):
            self.alias_use(operand.at)
        elif isinstance(operand, (ast.Literal, ast.DueDate)):
            pass
        else:
            self.unknown(operand)

    def unknown(self, node) -> None:
        """A construct this module does not know: find the names in it by what they spell."""
        for name in _names_in(node):
            value = name.value
            if value in self.pack.events:
                self.event_type(name)
            elif value.startswith("params."):
                self.parameter(name)
            elif value in self.index.rules:
                self.add(name, Symbol(RULE, value))
            elif self.pack.manifest is not None and value in self.pack.manifest.duty_holders:
                self.add(name, Symbol(DUTY_HOLDER, value))
            elif value.split(".")[0] in self.bindings or value.split(".")[0] == "child":
                self.dotted(name, ())


def _names_in(node) -> list[ast.Name]:
    if isinstance(node, ast.Name):
        return [node]
    if isinstance(node, (tuple, list)):
        return [name for item in node for name in _names_in(item)]
    if dataclasses.is_dataclass(node) and not isinstance(node, type):
        return [
            name
            for item in dataclasses.fields(node)
            if item.name != "span"
            for name in _names_in(getattr(node, item.name))
        ]
    return []


def _table_symbols(pack: LoadedPack, index: SymbolIndex, relative: str, table: ast.TableDecl) -> None:
    def add(name, symbol, definition=False, start=0, length=None, event_types=()):
        location = _location(relative, name.span, start, length)
        if location is not None:
            index.add(Occurrence(location, symbol, event_types, definition))

    add(table.table_id, Symbol(TABLE, table.table_id.value), definition=True)
    given = next((clause for clause in table.clauses if isinstance(clause, ast.Given)), None)
    if given is None:
        return
    add(given.event_type, Symbol(EVENT_TYPE, given.event_type.value))
    alias = Symbol(ALIAS, f"{table.table_id.value}:{given.alias.value}")
    add(given.alias, alias, definition=True)
    for name in table.inputs:
        parts = name.value.split(".")
        if len(parts) == 2 and parts[0] == given.alias.value:
            add(name, alias, length=len(parts[0]))
            spec = pack.events.get(given.event_type.value)
            if spec is not None and parts[1] in spec.fields:
                add(
                    name,
                    Symbol(FIELD, f"{given.event_type.value}.{parts[1]}"),
                    start=len(parts[0]) + 1,
                    length=len(parts[1]),
                    event_types=(given.event_type.value,),
                )


# --- YAML files ------------------------------------------------------------------------------


def _yaml_symbols(pack: LoadedPack, index: SymbolIndex) -> None:
    for relative, walker in (
        ("events.yaml", _events_yaml),
        ("parameters.yaml", _parameters_yaml),
        ("manifest.yaml", _manifest_yaml),
    ):
        text = pack.files.texts.get(relative)
        if text is None:
            continue
        try:
            node = yaml.compose(text, Loader=yaml.SafeLoader)
        except yaml.YAMLError:
            continue
        if isinstance(node, yaml.MappingNode):
            walker(relative, node, index, pack)


def _scalar_location(relative: str, node) -> Location | None:
    if not isinstance(node, yaml.ScalarNode) or node.start_mark.line != node.end_mark.line:
        return None
    start, end = node.start_mark.column, node.end_mark.column
    if node.style in ("'", '"'):
        start, end = start + 1, end - 1
    return Location(relative, node.start_mark.line + 1, start + 1, end + 1)


def _add_scalar(
    index: SymbolIndex,
    relative: str,
    node,
    symbol: Symbol,
    definition: bool = False,
    event_types: tuple[str, ...] = (),
) -> None:
    location = _scalar_location(relative, node)
    if location is not None:
        index.add(Occurrence(location, symbol, event_types, definition))


def _mapping(node) -> list[tuple]:
    return node.value if isinstance(node, yaml.MappingNode) else []


def _events_yaml(relative: str, root, index: SymbolIndex, pack: LoadedPack) -> None:
    for key, body in _mapping(root):
        event_type = key.value
        _add_scalar(index, relative, key, Symbol(EVENT_TYPE, event_type), definition=True)
        for section_key, section in _mapping(body):
            if section_key.value != "fields":
                continue
            for field_key, field_body in _mapping(section):
                symbol = Symbol(FIELD, f"{event_type}.{field_key.value}")
                _add_scalar(index, relative, field_key, symbol, definition=True, event_types=(event_type,))
                for option_key, option in _mapping(field_body):
                    if option_key.value == "event_type":
                        _add_scalar(index, relative, option, Symbol(EVENT_TYPE, option.value))
                    elif option_key.value == "required_when":
                        for other_key, _ in _mapping(option):
                            _add_scalar(
                                index,
                                relative,
                                other_key,
                                Symbol(FIELD, f"{event_type}.{other_key.value}"),
                                event_types=(event_type,),
                            )


def _parameters_yaml(relative: str, root, index: SymbolIndex, pack: LoadedPack) -> None:
    for key, _ in _mapping(root):
        _add_scalar(index, relative, key, Symbol(PARAMETER, key.value), definition=True)


def _manifest_yaml(relative: str, root, index: SymbolIndex, pack: LoadedPack) -> None:
    for key, body in _mapping(root):
        if key.value == "duty_holders":
            for holder, _ in _mapping(body):
                _add_scalar(index, relative, holder, Symbol(DUTY_HOLDER, holder.value), definition=True)
        elif key.value == "changes" and isinstance(body, yaml.SequenceNode):
            for change in body.value:
                for change_key, items in _mapping(change):
                    kind = {"rules": RULE, "parameters": PARAMETER}.get(change_key.value)
                    if kind is None or not isinstance(items, yaml.SequenceNode):
                        continue
                    for item in items.value:
                        if isinstance(item, yaml.ScalarNode):
                            symbol_kind = TABLE if kind == RULE and item.value in index.tables else kind
                            _add_scalar(index, relative, item, Symbol(symbol_kind, item.value))


__all__ = [
    "Symbol",
    "Occurrence",
    "Location",
    "SymbolIndex",
    "build_index",
    "EVENT_TYPE",
    "FIELD",
    "PARAMETER",
    "DUTY_HOLDER",
    "RULE",
    "TABLE",
    "ALIAS",
    "CHILD_FIELD",
    "CHILD_FIELDS",
    "EVENT_BUILTINS",
]
