"""What may be written at the cursor: event types, fields, parameters, duty holders, rule ids,
aliases, the values of an enum field, and the language's keywords.

The text being typed rarely parses, so completion reads the words before the cursor rather
than the AST: the word just before the one being typed decides what comes next (``when`` is
followed by an event type, ``duty`` by a duty holder, ``after`` by an alias ...), and the
aliases a rule binds are read from its ``as NAME`` phrases.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sendrules.dsl.checker import CHILD_FIELDS
from sendrules.dsl.pack import LoadedPack
from sendrules.dsl.pack_schema import DURATION_UNITS
from sendrules.lsp.symbols import (
    ALIAS,
    DUTY_HOLDER,
    EVENT_BUILTINS,
    EVENT_TYPE,
    FIELD,
    PARAMETER,
    RULE,
    SymbolIndex,
)

KEYWORD = "keyword"
VALUE = "value"

#: Clause keywords, in the order a rule is usually written.
RULE_CLAUSES = (
    "duty",
    "must",
    "should",
    "cite",
    "unconfirmed",
    "see",
    "when",
    "only if",
    "unless",
    "expect",
    "require",
    "exempt",
)
#: Clause keywords of rules language 2, offered only in a pack that declares ``language: 2``.
LANGUAGE_2_RULE_CLAUSES = ("in force from", "illustrative")
TABLE_CLAUSES = ("cite", "unconfirmed", "illustrative", "given", "hit policy")
DEADLINES = ("within", "by", "by school day", "before", "not before", "the later of", "depending on")
DECLARATION_START = re.compile(r"^[ \t]*(rule|table)\b")
_TOKEN = re.compile(r'"[^"\n]*"?|->|!=|<=|>=|[=<>\[\](),|]|[A-Za-z_][A-Za-z0-9_.]*|\d+')
_WORD_BEFORE_CURSOR = re.compile(r'(?:"[a-z0-9_]*|[a-z_][a-z0-9_.]*)$')
_NAME = r"[a-z_][a-z0-9_]*"
_BINDINGS = (
    re.compile(rf"\bwhen\s+((?:{_NAME}\s+or\s+)*{_NAME})\s+as\s+({_NAME})"),
    re.compile(rf"\bonly\s+if\s+({_NAME})\s+after\s+{_NAME}\b[^\n]*?\bas\s+({_NAME})"),
    re.compile(rf"\bexpect\s+((?:{_NAME}\s+or\s+)*{_NAME})\s+after\s+{_NAME}\b[^\n]*?\bas\s+({_NAME})"),
    re.compile(rf"\b({_NAME})\s+in\s+response\s+to\s+{_NAME}\s+as\s+({_NAME})"),
    re.compile(rf"\bgiven\s+({_NAME})\s+as\s+({_NAME})"),
)
_CLAUSE_STARTERS = {
    "duty",
    "must",
    "should",
    "cite",
    "unconfirmed",
    "see",
    "when",
    "only",
    "unless",
    "expect",
    "require",
    "exempt",
    "given",
    "hit",
    "illustrative",
}


@dataclass(frozen=True)
class Candidate:
    """One completion: ``label`` replaces the text from ``start`` (a 0-based column of the
    cursor's line) to the cursor."""

    label: str
    kind: str
    detail: str = ""
    start: int = 0


def complete_rules(
    text: str, line: int, character: int, pack: LoadedPack | None, index: SymbolIndex | None
) -> list[Candidate]:
    """Completions at a 0-based position of a ``.rules`` file."""
    lines = text.split("\n")
    if line >= len(lines):
        return []
    before = lines[line][:character]
    word = _WORD_BEFORE_CURSOR.search(before)
    prefix = word.group(0) if word else ""
    start = character - len(prefix)
    first = line
    while first > 0 and not DECLARATION_START.match(lines[first]):
        first -= 1
    in_declaration = bool(DECLARATION_START.match(lines[first]))
    last = line + 1
    while last < len(lines) and not DECLARATION_START.match(lines[last]):
        last += 1
    declaration = "\n".join(lines[first:last]) if in_declaration else ""
    is_table = declaration.lstrip().startswith("table")
    code_before = "\n".join(lines[first:line] + [before[:start]]) if in_declaration else before[:start]
    tokens = [token for token in _TOKEN.findall(_without_comments(code_before))]
    context = _Context(pack, index, declaration, tokens, start)

    if prefix.startswith('"'):
        return context.enum_values(prefix)
    if "." in prefix:
        return context.dotted(prefix)
    if not before[:start].strip():
        if not in_declaration or start == 0:
            return [Candidate(word_, KEYWORD, start=start) for word_ in ("rule", "table")]
        clauses = TABLE_CLAUSES if is_table else _rule_clauses(pack)
        return [Candidate(word_, KEYWORD, "clause", start) for word_ in clauses]
    return context.after(tokens)


def _rule_clauses(pack: LoadedPack | None) -> tuple[str, ...]:
    """The clause keywords of a rule in the pack's language."""
    language = pack.manifest.language if pack is not None and pack.manifest is not None else 1
    return RULE_CLAUSES + (LANGUAGE_2_RULE_CLAUSES if language >= 2 else ())


def _without_comments(text: str) -> str:
    return "\n".join(re.sub(r'#[^\n"]*$', "", line) for line in text.split("\n"))


class _Context:
    def __init__(self, pack, index, declaration: str, tokens: list[str], start: int) -> None:
        self.pack = pack
        self.index = index
        self.tokens = tokens
        self.start = start
        self.bindings: dict[str, tuple[str, ...]] = {}
        for pattern in _BINDINGS:
            for match in pattern.finditer(_without_comments(declaration)):
                types = tuple(t for t in re.split(r"\s+or\s+", match.group(1).strip()))
                self.bindings.setdefault(match.group(2), types)
        self.only_if_aliases = {
            match.group(2) for match in _BINDINGS[1].finditer(_without_comments(declaration))
        }
        header = re.match(r"\s*(?:rule|table)\s+([a-z0-9_.]+)", declaration)
        self.own_id = header.group(1) if header else None
        trigger = _BINDINGS[0].search(declaration)
        self.trigger_types = tuple(re.split(r"\s+or\s+", trigger.group(1))) if trigger else ()

    # --- candidates --------------------------------------------------------------------------

    def candidates(self, labels, kind: str, detail: str = "", start: int | None = None) -> list[Candidate]:
        where = self.start if start is None else start
        return [Candidate(label, kind, detail, where) for label in labels]

    def event_types(self) -> list[Candidate]:
        events = self.pack.events if self.pack else {}
        return [
            Candidate(name, EVENT_TYPE, spec.description, self.start) for name, spec in sorted(events.items())
        ]

    def duty_holders(self) -> list[Candidate]:
        holders = self.pack.manifest.duty_holders if self.pack and self.pack.manifest else {}
        return [Candidate(name, DUTY_HOLDER, text, self.start) for name, text in sorted(holders.items())]

    def rule_ids(self) -> list[Candidate]:
        rules = self.index.rules if self.index else {}
        return [
            Candidate(rule_id, RULE, rule.title.value, self.start)
            for rule_id, rule in sorted(rules.items())
            if rule_id != self.own_id
        ]

    def aliases(self) -> list[Candidate]:
        return [
            Candidate(alias, ALIAS, " or ".join(types), self.start) for alias, types in self.bindings.items()
        ]

    def parameters(self, start: int) -> list[Candidate]:
        parameters = self.pack.parameters if self.pack else {}
        return [
            Candidate(f"params.{name}", PARAMETER, f"{spec.unit}: {spec.description}", start)
            for name, spec in sorted(parameters.items())
        ]

    def fields_of(self, types: tuple[str, ...], start: int) -> list[Candidate]:
        found: dict[str, str] = {}
        events = self.pack.events if self.pack else {}
        for event_type in types:
            spec = events.get(event_type)
            for name, field_spec in spec.fields.items() if spec else ():
                found.setdefault(name, f"{field_spec.type} field of {event_type}")
        for name, meaning in EVENT_BUILTINS.items():
            found.setdefault(name, meaning)
        return [Candidate(name, FIELD, detail, start) for name, detail in found.items()]

    def condition_operands(self) -> list[Candidate]:
        items = self.fields_of(self.clause_types(), self.start)
        items += [
            Candidate(f"{alias}.", ALIAS, " or ".join(types), self.start)
            for alias, types in self.bindings.items()
        ]
        items += self.candidates(
            ("params.", "child.", "age of child at", "school year of child at", "due", "not"), KEYWORD
        )
        return items

    # --- what the words before the cursor ask for ----------------------------------------------

    def clause_keyword(self) -> tuple[str, int]:
        for position in range(len(self.tokens) - 1, -1, -1):
            if self.tokens[position] in _CLAUSE_STARTERS:
                return self.tokens[position], position
        return "", -1

    def clause_types(self) -> tuple[str, ...]:
        keyword, position = self.clause_keyword()
        rest = self.tokens[position + 1 :]
        if keyword in ("when", "require", "duty"):
            return self.trigger_types
        if keyword == "only" and len(rest) >= 2:
            return (rest[1],)
        if keyword in ("unless", "exempt") and rest:
            return (rest[0],)
        if keyword == "expect":
            types = []
            for token in rest:
                if token in ("after", "in", "on"):
                    break
                if token != "or":
                    types.append(token)
            return tuple(types)
        if keyword == "given" and rest:
            return (rest[0],)
        return self.trigger_types

    def in_event_list(self) -> bool:
        """The cursor follows ``when A or`` / ``expect A or``."""
        position = len(self.tokens) - 1
        while (
            position >= 1 and self.tokens[position] == "or" and re.fullmatch(_NAME, self.tokens[position - 1])
        ):
            position -= 2
        return (
            position >= 0 and self.tokens[position] in ("when", "expect") and position < len(self.tokens) - 1
        )

    def after(self, tokens: list[str]) -> list[Candidate]:
        previous = tokens[-1] if tokens else ""
        before_previous = tokens[-2] if len(tokens) > 1 else ""
        keyword, _ = self.clause_keyword()
        if previous == "duty":
            return self.duty_holders() + self.candidates(("depending on",), KEYWORD)
        if previous == "->":
            if "depending" in tokens:
                depending = len(tokens) - 1 - tokens[::-1].index("depending")
                if depending > 0 and tokens[depending - 1] == "duty":
                    return self.duty_holders()
            return self.candidates(DEADLINES, KEYWORD, "deadline")
        if previous in ("when", "unless", "exempt", "given") or (
            previous == "if" and before_previous == "only"
        ):
            return self.event_types()
        if previous == "expect":  # an event type, or the alias an ``only if`` bound
            return self.event_types() + [c for c in self.aliases() if c.label in self.only_if_aliases]
        if previous == "or" and self.in_event_list():
            return self.event_types()
        if previous == "see" or (previous == "," and keyword == "see"):
            return self.rule_ids()
        if previous in ("after", "of", "between", "to", "at", "with") or (
            previous == "before" and keyword == "unless"
        ):
            return self.aliases()
        if previous in ("where", "and", "or", "not", "(", "require"):
            return self.condition_operands()
        if previous == "is":
            return self.candidates(("present", "missing"), KEYWORD)
        if previous == "hit":
            return self.candidates(("policy",), KEYWORD)
        if previous == "policy":
            return self.candidates(("unique", "first"), KEYWORD)
        if previous in ("=", "!=", "[", ",") and keyword not in ("see", "cite"):
            return self.enum_values("")
        if previous in ("within", "by") or (previous == "before" and keyword == "expect"):
            return self.parameters(self.start)
        return []

    def dotted(self, prefix: str) -> list[Candidate]:
        head = prefix.rsplit(".", 1)[0]
        if prefix.startswith("params."):
            return self.parameters(self.start)
        if head == "child":
            return [
                Candidate(name, FIELD, kind, self.start + len("child."))
                for name, kind in CHILD_FIELDS.items()
            ]
        if head in self.bindings:
            return self.fields_of(self.bindings[head], self.start + len(head) + 1)
        return []

    def enum_values(self, prefix: str) -> list[Candidate]:
        """The values of the enum field compared with: ``outcome = "``, ``advice in ["``."""
        tokens = self.tokens
        position = len(tokens) - 1
        while (
            position >= 0
            and tokens[position] in ("[", ",")
            or (position >= 0 and tokens[position].startswith('"'))
        ):
            position -= 1
        if position >= 0 and tokens[position] in ("in", "=", "!="):
            position -= 1
        if position < 0:
            return []
        operand = tokens[position]
        parts = operand.split(".")
        if len(parts) == 2 and parts[0] in self.bindings:
            types, name = self.bindings[parts[0]], parts[1]
        elif len(parts) == 1:
            types, name = self.clause_types(), operand
        else:
            return []
        values: list[str] = []
        events = self.pack.events if self.pack else {}
        for event_type in types:
            spec = events.get(event_type)
            field_spec = spec.fields.get(name) if spec else None
            for value in (field_spec.values or []) if field_spec else []:
                if value not in values:
                    values.append(value)
        return [Candidate(f'"{value}"', VALUE, f"a value of {name}", self.start) for value in values]


def complete_yaml(
    relative: str, text: str, line: int, character: int, pack: LoadedPack | None, index: SymbolIndex | None
) -> list[Candidate]:
    """Completions in a pack's YAML files: rule ids and parameters in the manifest's
    ``changes``, event types after ``event_type:``, field types and parameter units."""
    lines = text.split("\n")
    if line >= len(lines):
        return []
    before = lines[line][:character]
    word = re.search(r"[a-z_][a-z0-9_.]*$", before)
    start = character - (len(word.group(0)) if word else 0)
    key = _governing_key(lines, line, before)
    if relative == "manifest.yaml" and key == "rules" and index is not None:
        names = sorted(index.rules) + sorted(index.tables)
        return [Candidate(name, RULE, "", start) for name in names]
    if relative == "manifest.yaml" and key == "parameters" and pack is not None:
        return [
            Candidate(name, PARAMETER, spec.description, start)
            for name, spec in sorted(pack.parameters.items())
        ]
    if relative == "events.yaml" and key == "event_type" and pack is not None:
        return [
            Candidate(name, EVENT_TYPE, spec.description, start) for name, spec in sorted(pack.events.items())
        ]
    if relative == "events.yaml" and key == "type":
        return [
            Candidate(name, KEYWORD, "field type", start)
            for name in ("enum", "code", "integer", "date", "event_ref", "boolean", "text")
        ]
    if relative == "parameters.yaml" and key == "unit":
        return [Candidate(name, KEYWORD, "unit", start) for name in DURATION_UNITS + ("count", "pounds")]
    return []


def _governing_key(lines: list[str], line: int, before: str) -> str | None:
    """The YAML key whose value the cursor is in: the key on the cursor's line, or for a list
    item (``- x``) the key of the list, on the nearest line above that is indented less (or
    as much: ``rules:`` then ``- x`` at the same indentation is valid YAML)."""
    own = re.match(r"\s*(?:-\s+)?([a-z_]+)\s*:", before)
    if own:
        return own.group(1)
    item = re.match(r"(\s*)-(\s|$)", before)
    if not item:
        return None
    indent = len(item.group(1))
    for number in range(line - 1, -1, -1):
        text = lines[number]
        if not text.strip() or text.lstrip().startswith("#"):
            continue
        text_indent = len(text) - len(text.lstrip())
        if text_indent > indent or (text_indent == indent and text.lstrip().startswith("-")):
            continue
        key = re.match(r"\s*(?:-\s+)?([a-z_]+)\s*:\s*$", text)
        return key.group(1) if key else None
    return None
