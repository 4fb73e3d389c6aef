"""The checker: names, types and required clauses of every rule, before anything runs.

It collects every problem rather than stopping at the first. What it checks:

* each rule has exactly one ``duty``, one ``must``/``should``, at least one ``cite``, one
  ``when`` and one ``expect``; rule ids are unique across the pack; ``see`` names real rules;
* event types, fields, parameters, duty holders and aliases exist ("did you mean" when close);
* values compared with an enum field are among its values; comparisons are between values of
  the same type, and ``<``/``>`` only between numbers or dates;
* parameters are used in their own unit (weeks as weeks, months as months ...);
* ``depending on`` covers every value of its field, or has an ``otherwise``;
* ``due`` is only used where a due date exists, and ``exempt`` only on rules with a deadline.

Language 2 (manifest ``language: 2``; docs/rules-language.md) adds constructs that a pack of
language 1 may not use (each use is a located ``needs_language_2`` error, so a published
language-1 pack can never change meaning), and two checks on every rule of a language-2 pack:

* every citation (of a rule or a decision table) belongs to a source of the manifest (the
  source with the longest ``cite_as`` prefix of it), and a ``must`` rule cites at least one
  source of kind statute or regulation;
* a rule that uses a parameter marked ``illustrative: true`` says why (``illustrative "..."``)
  unless the whole pack is marked illustrative.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

from sendrules.dsl import ast, ir
from sendrules.dsl.compiler import cell_test
from sendrules.dsl.diagnostics import Diagnostic, DiagnosticSink, did_you_mean
from sendrules.dsl.pack_schema import EventSpec, FieldSpec, Parameter

RESERVED_ALIASES = ("params", "child", "due")
CHILD_FIELDS = {"id": "string", "date_of_birth": "date", "local_authority": "string"}
ORDERED_KINDS = ("integer", "date")
MONTH_LENGTHS = (31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)
#: The kinds of source a ``must`` rule needs at least one of (language 2).
LAW_KINDS = ("statute", "regulation")


#: A decision-table input's kind ("enum", "boolean" or "integer") and every value it can take.
Domain = tuple[str, tuple[Any, ...]]


@dataclass(frozen=True)
class ValueType:
    """The type of an operand: kind is string, enum, integer, date, boolean or event_id."""

    kind: str
    values: tuple[str, ...] = ()
    unit: str | None = None


@dataclass
class Binding:
    alias: str
    types: tuple[str, ...]
    role: str  # trigger, required, expected


@dataclass(frozen=True)
class CheckContext:
    """What the rules may refer to: the pack's vocabulary, parameters and duty holders."""

    events: dict[str, EventSpec]
    parameters: dict[str, Parameter]
    duty_holders: tuple[str, ...]
    #: Names whose YAML definitions were invalid (already reported): known, but untyped.
    unchecked_events: frozenset[str] = frozenset()
    unchecked_parameters: frozenset[str] = frozenset()
    #: The whole file could not be read (already reported): no name can be checked.
    events_unreadable: bool = False
    parameters_unreadable: bool = False
    #: The pack's rules-language version (manifest ``language``).
    language: int = 1
    #: (language 2) each ``cite_as`` prefix of the manifest's sources with its source's title and kind.
    citation_prefixes: tuple[tuple[str, str, str], ...] = ()
    #: The manifest marks the whole pack illustrative.
    illustrative_pack: bool = False

    def citation_source(self, citation: str) -> tuple[str, str] | None:
        """(title, kind) of the source a citation belongs to: the longest ``cite_as`` prefix."""
        matches = [
            (len(prefix), title, kind)
            for prefix, title, kind in self.citation_prefixes
            if citation.startswith(prefix)
        ]
        if not matches:
            return None
        _, title, kind = max(matches)
        return title, kind

    def event_name_is_unchecked(self, name: str) -> bool:
        return self.events_unreadable or name in self.unchecked_events

    def parameter_name_is_unchecked(self, name: str) -> bool:
        return self.parameters_unreadable or name in self.unchecked_parameters


def check_rules(context: CheckContext, files: list[ast.RulesFile]) -> list[Diagnostic]:
    """Check every rule of every file; return all problems found."""
    sink = DiagnosticSink()
    seen: dict[str, ast.RuleDecl] = {}
    all_ids = {rule.rule_id.value for rules_file in files for rule in rules_file.rules}
    seen_tables: dict[str, ast.TableDecl] = {}
    for rules_file in files:
        for table in rules_file.tables:
            table_id = table.table_id.value
            if table_id in seen_tables:
                first = seen_tables[table_id].table_id.span
                _error(
                    sink,
                    "duplicate_table_id",
                    f"table id '{table_id}' is already used",
                    table.table_id.span,
                    hint=f"first defined at {first.file}:{first.line}" if first else None,
                )
            else:
                seen_tables[table_id] = table
            TableChecker(context, table, sink).check()
    for rules_file in files:
        for rule in rules_file.rules:
            rule_id = rule.rule_id.value
            if rule_id in seen:
                first = seen[rule_id].rule_id.span
                _error(
                    sink,
                    "duplicate_rule_id",
                    f"rule id '{rule_id}' is already used",
                    rule.rule_id.span,
                    hint=f"first defined at {first.file}:{first.line}" if first else None,
                )
            else:
                seen[rule_id] = rule
            RuleChecker(context, rule, sink, all_ids).check()
    return sink.diagnostics


def _error(
    sink: DiagnosticSink,
    code: str,
    message: str,
    span: ast.Span | None,
    hint: str | None = None,
    file: str = "",
) -> None:
    if span is None:
        sink.add(Diagnostic(code, message, file, hint=hint))
    else:
        end = span.end_column if span.end_line == span.line else None
        sink.add(Diagnostic(code, message, span.file, span.line, span.column, end, hint=hint))


class RuleChecker:
    """Checks one rule."""

    def __init__(
        self, context: CheckContext, rule: ast.RuleDecl, sink: DiagnosticSink, all_rule_ids: set[str]
    ) -> None:
        self.context = context
        self.rule = rule
        self.sink = sink
        self.all_rule_ids = all_rule_ids
        self.bindings: dict[str, Binding] = {}
        self.has_due = False
        #: Parameters the rule uses, with where (for the illustrative check).
        self.parameter_uses: list[tuple[str, ast.Span | None]] = []

    # --- entry point -------------------------------------------------------------------------

    def check(self) -> None:
        rule = self.rule
        self._check_rule_id()
        if not rule.title.value.strip():
            self.error(
                "empty_title",
                "the rule's title is empty",
                rule.title.span,
                "say in plain words what must be done",
            )
        by_kind: dict[type, list[Any]] = {}
        for clause in rule.clauses:
            by_kind.setdefault(type(clause), []).append(clause)

        duties = by_kind.get(ast.DutyFixed, []) + by_kind.get(ast.DutyCases, [])
        self._require_one(duties, "missing_duty", "duty", "add a line such as: duty local_authority")
        self._require_one(
            by_kind.get(ast.Modality, []),
            "missing_modality",
            "must or should",
            "add 'must' for a statutory duty or 'should' for guidance",
        )
        cites = by_kind.get(ast.Cite, [])
        if not cites:
            self.error(
                "missing_citation",
                f"rule {rule.rule_id.value} cites no clause",
                rule.rule_id.span,
                'add the clause it comes from, e.g. cite "SEND Regulations 2014 reg 13(2)"',
            )
        for cite in cites:
            for citation in cite.citations:
                if not citation.value.strip():
                    self.error("empty_citation", "the citation is empty", citation.span)
        whens = by_kind.get(ast.When, [])
        self._require_one(
            whens,
            "missing_when",
            "when",
            "say which event starts the duty, e.g. when assessment_requested as request",
        )
        expects = (
            by_kind.get(ast.Expect, [])
            + by_kind.get(ast.ExpectBefore, [])
            + by_kind.get(ast.ExpectClearBefore, [])
            + by_kind.get(ast.Require, [])
        )
        self._require_one(
            expects,
            "missing_expect",
            "expect or require",
            "say what must happen, e.g. expect final_plan_issued after request within 20 weeks of request",
        )
        exempts = by_kind.get(ast.Exempt, [])
        if len(exempts) > 1:
            self.error("duplicate_clause", "a rule has at most one 'exempt' clause", exempts[1].span)
        for see in by_kind.get(ast.See, []):
            self._check_see(see)
        in_force = by_kind.get(ast.InForce, [])
        illustrative = by_kind.get(ast.Illustrative, [])
        for clause, what in [(c, "'in force'") for c in in_force] + [
            (c, "'illustrative'") for c in illustrative
        ]:
            self.needs_language_2(f"the {what} clause", clause.span)
        for extra in in_force[1:] + illustrative[1:]:
            self.error(
                "duplicate_clause",
                f"rule {rule.rule_id.value} has this clause more than once",
                extra.span,
                "keep one",
            )
        for clause in in_force[:1]:
            self._check_in_force(clause)
        for clause in illustrative[:1]:
            if not clause.note.value.strip():
                self.error("empty_note", "say why the rule's numbers are illustrative", clause.note.span)

        if whens:
            self._check_when(whens[0])
            self._check_episodes(by_kind.get(ast.RunOf, []), by_kind.get(ast.Window, []), whens[0])
            self._check_absences(by_kind.get(ast.AbsencesReaching, []), by_kind.get(ast.RunOf, []), whens[0])
            for window in by_kind.get(ast.Window, [])[:1]:
                if not (expects and isinstance(expects[0], ast.Expect)) or isinstance(
                    expects[0].deadline, ast.NotBefore
                ):
                    self.error(
                        "invalid_window",
                        "only a duty with a due date ('expect ... within/by ...') has a window that closes",
                        window.span,
                    )
        for only_if in by_kind.get(ast.OnlyIf, []):
            self._check_only_if(only_if)
        made_within = by_kind.get(ast.OnlyIfWithin, [])
        for extra in made_within[1:]:
            self.error("duplicate_clause", "a rule has at most one 'only if ... within' clause", extra.span)
        if whens:
            for clause in made_within[:1]:
                self._check_only_if_within(clause, whens[0])
        if whens and expects:
            if isinstance(expects[0], ast.Expect):
                self._check_expect(expects[0])
            elif isinstance(expects[0], ast.ExpectBefore):
                self._check_expect_before(expects[0])
            elif isinstance(expects[0], ast.ExpectClearBefore):
                self._check_expect_clear_before(expects[0])
            else:
                self._check_require(expects[0], whens[0])
        if whens:
            for duty in duties[:1]:
                self._check_duty(duty)
            for unless in by_kind.get(ast.Unless, []):
                self._check_unless(unless)
            for exempt in exempts[:1]:
                self._check_exempt(exempt)
        if self.context.language >= 2:
            modality = by_kind.get(ast.Modality, [])
            self._check_citations(cites, bool(modality) and modality[0].value == "must")
            if not illustrative and not self.context.illustrative_pack:
                self._check_illustrative_parameters()

    # --- language 2 --------------------------------------------------------------------------

    def needs_language_2(self, what: str, span: ast.Span | None) -> None:
        """Refuse a language-2 construct in a pack of language 1."""
        self.needs_language(2, what, span)

    def needs_language(self, version: int, what: str, span: ast.Span | None) -> None:
        """Refuse a construct of language ``version`` in a pack of an earlier language, with the
        code ``needs_language_<version>``: a published pack keeps its language, so a construct
        added later can never change what it means."""
        if self.context.language < version:
            self.error(
                f"needs_language_{version}",
                f"{what} needs rules language {version}",
                span,
                f"declare 'language: {version}' in the pack's manifest.yaml (a published pack keeps its language)",
            )

    # --- language 3: episodes ---------------------------------------------------------------

    def _check_episodes(self, runs: list[Any], windows: list[Any], when: ast.When) -> None:
        """``reaching school day N of back to back ...`` and ``window closes ...``."""
        for clause in runs + windows:
            what = (
                "'reaching school day ... of back to back'"
                if isinstance(clause, ast.RunOf)
                else "'window closes'"
            )
            self.needs_language(3, f"the {what} clause", clause.span)
        for extra in runs[1:] + windows[1:]:
            self.error(
                "duplicate_clause", "a rule has at most one clause of this kind", extra.span, "keep one"
            )
        for run in runs[:1]:
            self._check_amount(run.amount, "school_days")
            if run.event_type.value not in [name.value for name in when.event_types]:
                self.error(
                    "invalid_run",
                    f"the run must be of the triggering events ({', '.join(n.value for n in when.event_types)})",
                    run.event_type.span,
                )
            elif self._event_type(run.event_type) is not None:
                length = self._field_type((run.event_type.value,), run.length_field.value, run.length_field)
                if length is not None and length.kind != "integer":
                    self.error(
                        "type_mismatch",
                        f"'{run.length_field.value}' is {length.kind}, not a number of school days",
                        run.length_field.span,
                    )
            if (
                run.condition is not None
                and run.event_type.value in [name.value for name in when.event_types]
                and self._event_type(run.event_type) is not None
            ):
                self._check_condition(run.condition, (run.event_type.value,), due_available=False)
                for span in _not_own_fields(run.condition):
                    self.error(
                        "invalid_run",
                        "a run's 'where' tests only the event's own fields and values",
                        span,
                        "write a field of the run's events (e.g. 'not lunchtime = true')",
                    )
            self._bind(run.alias, (run.event_type.value,), "required")
        for window in windows[:1]:
            for part in window.parts:
                if isinstance(part, ast.CloseAtEndOfRun) and not runs:
                    self.error(
                        "invalid_window",
                        "'at the end of the run' needs a 'reaching school day ... of back to back' clause",
                        part.span,
                    )
                elif isinstance(part, ast.CloseAtNext):
                    self._event_type(part.event_type)
                elif isinstance(part, ast.CloseAfter):
                    self._check_amount(part.amount, part.unit)
                    self._binding(part.anchor)

    # --- language 4: absences that add up --------------------------------------------------

    def _check_absences(self, clauses: list[Any], runs: list[Any], when: ast.When) -> None:
        """``reaching school day N of absences from START to END in the school year as NAME``."""
        for clause in clauses:
            self.needs_language(
                4, "the 'reaching school day ... of absences from ... to ...' clause", clause.span
            )
        for extra in clauses[1:]:
            self.error(
                "duplicate_clause", "a rule has at most one clause of this kind", extra.span, "keep one"
            )
        for clause in clauses[:1]:
            if runs:
                self.error(
                    "invalid_absences",
                    "a rule counts either back-to-back events or absences, not both",
                    clause.span,
                )
            self._check_amount(clause.amount, "school_days")
            if [name.value for name in when.event_types] != [clause.start_type.value]:
                self.error(
                    "invalid_absences",
                    f"the absences must start with the triggering event "
                    f"({', '.join(n.value for n in when.event_types)}), and it alone",
                    clause.start_type.span,
                )
            self._event_type(clause.end_type)
            if clause.end_type.value == clause.start_type.value:
                self.error(
                    "invalid_absences",
                    "an absence ends with an event of another type than the one that starts it",
                    clause.end_type.span,
                )
            self._bind(clause.alias, (clause.start_type.value,), "required")

    def _check_in_force(self, clause: ast.InForce) -> None:
        if clause.start is not None and clause.end is not None and clause.end < clause.start:
            self.error(
                "invalid_period",
                f"the rule is in force until {clause.end}, before it comes into force on {clause.start}",
                clause.span,
            )

    def _check_citations(self, cites: list[ast.Cite], must: bool) -> None:
        kinds = _citation_kinds(self.context, cites, self.error)
        if must and kinds and "" not in kinds and not any(kind in LAW_KINDS for kind in kinds):
            self.error(
                "must_without_law",
                f"rule {self.rule.rule_id.value} says 'must' but cites no statute or regulation",
                cites[0].span if cites else None,
                "cite the statute or regulation that imposes the duty, or use 'should' for guidance",
            )

    def _check_illustrative_parameters(self) -> None:
        for name, span in self.parameter_uses:
            parameter = self.context.parameters.get(name)
            if parameter is not None and parameter.illustrative:
                self.error(
                    "illustrative_parameter",
                    f"parameter {name} is illustrative (local practice, not law) and this pack is not",
                    span,
                    'say why the rule uses it: illustrative "..."',
                )

    # --- small helpers -----------------------------------------------------------------------

    def error(self, code: str, message: str, span: ast.Span | None, hint: str | None = None) -> None:
        _error(self.sink, code, message, span or self.rule.rule_id.span, hint)

    def _require_one(self, clauses: list[Any], missing_code: str, what: str, hint: str) -> None:
        if not clauses:
            self.error(
                missing_code,
                f"rule {self.rule.rule_id.value} has no '{what}' clause",
                self.rule.rule_id.span,
                hint,
            )
        for extra in clauses[1:]:
            self.error(
                "duplicate_clause",
                f"rule {self.rule.rule_id.value} has more than one '{what}' clause",
                extra.span,
                "keep one",
            )

    def _check_rule_id(self) -> None:
        rule_id = self.rule.rule_id
        if rule_id.value.split(".")[0] in RESERVED_ALIASES:
            self.error(
                "reserved_name", f"'{rule_id.value.split('.')[0]}' cannot be a rule namespace", rule_id.span
            )

    def _check_see(self, see: ast.See) -> None:
        for name in see.rule_ids:
            if name.value == self.rule.rule_id.value:
                self.error("self_reference", "a rule cannot refer to itself", name.span)
            elif name.value not in self.all_rule_ids:
                self.error(
                    "unknown_rule_id",
                    f"there is no rule '{name.value}' in this pack",
                    name.span,
                    did_you_mean(name.value, self.all_rule_ids),
                )

    def _event_type(self, name: ast.Name) -> EventSpec | None:
        spec = self.context.events.get(name.value)
        if spec is None and not self.context.event_name_is_unchecked(name.value):
            self.error(
                "unknown_event_type",
                f"unknown event type '{name.value}'",
                name.span,
                did_you_mean(name.value, self.context.events),
            )
        return spec

    def _bind(self, alias: ast.Name, types: tuple[str, ...], role: str) -> None:
        if alias.value in RESERVED_ALIASES:
            self.error(
                "reserved_name",
                f"'{alias.value}' is a reserved word and cannot name an event",
                alias.span,
                "choose another name, e.g. request or meeting",
            )
            return
        if alias.value in self.bindings:
            self.error(
                "duplicate_alias",
                f"the name '{alias.value}' is already used in this rule",
                alias.span,
                "choose a different name",
            )
            return
        self.bindings[alias.value] = Binding(alias.value, types, role)

    def _binding(
        self, name: ast.Name, allowed_roles: tuple[str, ...] = ("trigger", "required")
    ) -> Binding | None:
        binding = self.bindings.get(name.value)
        if binding is None or binding.role not in allowed_roles:
            candidates = [alias for alias, b in self.bindings.items() if b.role in allowed_roles]
            if binding is not None:
                self.error(
                    "unknown_alias",
                    f"'{name.value}' cannot be used here",
                    name.span,
                    "only the triggering event and events bound by 'only if' can be used here",
                )
            else:
                self.error(
                    "unknown_alias",
                    f"'{name.value}' does not name an event of this rule",
                    name.span,
                    did_you_mean(name.value, candidates)
                    or ("events named so far: " + ", ".join(candidates) if candidates else None),
                )
            return None
        return binding

    # --- clauses -----------------------------------------------------------------------------

    def _check_when(self, when: ast.When) -> None:
        types = []
        for name in when.event_types:
            if self._event_type(name) is not None:
                if name.value in types:
                    self.error("duplicate_event_type", f"'{name.value}' is listed twice", name.span)
                types.append(name.value)
        if len(types) == len(when.event_types):
            self._bind(when.alias, tuple(types), "trigger")
        else:
            self._bind(when.alias, (), "trigger")
        if when.condition is not None and types and len(types) == len(when.event_types):
            self._check_condition(when.condition, tuple(types), due_available=False)

    def _check_only_if(self, only_if: ast.OnlyIf) -> None:
        spec = self._event_type(only_if.event_type)
        self._binding(only_if.after)
        types = (only_if.event_type.value,) if spec else ()
        if only_if.condition is not None and spec:
            self._check_condition(only_if.condition, types, due_available=False)
        self._bind(only_if.alias, types, "required")

    def _check_only_if_within(self, clause: ast.OnlyIfWithin, when: ast.When) -> None:
        """(language 4) ``only if NAME within N UNIT after NAME.FIELD``: NAME is the triggering
        event, and FIELD an ``event_ref`` field of it, naming the event the period runs from."""
        self.needs_language(4, "'only if ... within ... after'", clause.span)
        self._check_amount(clause.amount, clause.unit)
        self._binding(clause.subject, ("trigger",))
        alias, _, field = clause.reference.value.partition(".")
        binding = self._binding(ast.Name(alias, span=clause.reference.span), ("trigger",))
        if binding is None or not binding.types:
            return
        if "." in field or field in ("id", "date"):
            self.error(
                "invalid_reference",
                f"'{clause.reference.value}' must be a field of {alias} that names another event",
                clause.reference.span,
                "write the event_ref field that names the event the period runs from",
            )
            return
        kind = self._field_type(binding.types, field, clause.reference)
        if kind is not None and kind.kind != "event_id":
            self.error(
                "type_mismatch",
                f"'{field}' is {kind.kind}, not a field that names an event",
                clause.reference.span,
                "the period runs from the date of the event an event_ref field names",
            )

    def _check_expect(self, expect: ast.Expect) -> None:
        expected = expect.expected
        if isinstance(expected, ast.ExpectAfter):
            types = self._event_types(expected.event_types)
            self._binding(expected.after)
            if expected.search_from is not None:
                self.needs_language(3, "'expect ... from N months before'", expected.search_from.span)
                self._check_amount(expected.search_from.amount, "months")
                self._check_date_ref(expected.search_from.date_ref)
            if expected.condition is not None and types:
                self._check_condition(expected.condition, types, due_available=False)
            if expected.alias is not None:
                self._bind(expected.alias, types, "expected")
        elif isinstance(expected, ast.ExpectResponse):
            spec = self._event_type(expected.event_type)
            anchor = self._binding(expected.to)
            if spec is not None and anchor is not None and anchor.types:
                links = [
                    name
                    for name, field_spec in spec.fields.items()
                    if field_spec.type == "event_ref" and field_spec.event_type in anchor.types
                ]
                if not links:
                    self.error(
                        "no_link_field",
                        f"{expected.event_type.value} has no field that refers to a "
                        f"{' or '.join(anchor.types)} event",
                        expected.event_type.span,
                        "'in response to' needs an event_ref field (such as in_response_to) in events.yaml",
                    )
                elif len(links) > 1:
                    self.error(
                        "ambiguous_link_field",
                        f"{expected.event_type.value} has several fields that refer to "
                        f"{' or '.join(anchor.types)}: {', '.join(links)}",
                        expected.event_type.span,
                    )
            if expected.alias is not None:
                self._bind(expected.alias, (expected.event_type.value,) if spec else (), "expected")
        elif isinstance(expected, ast.ExpectBound):
            binding = self.bindings.get(expected.alias.value)
            if binding is None or binding.role != "required":
                hint = None
                if expected.alias.value in self.context.events:
                    first_alias = next(iter(self.bindings), "request")
                    hint = f"to expect an event of that type, write: expect {expected.alias.value} after {first_alias}"
                else:
                    hint = did_you_mean(
                        expected.alias.value, [a for a, b in self.bindings.items() if b.role == "required"]
                    )
                self.error(
                    "unknown_alias",
                    f"'{expected.alias.value}' is not an event found by 'only if' in this rule",
                    expected.alias.span,
                    hint,
                )
        self._check_deadline(expect.deadline)

    def _event_types(self, names: tuple[ast.Name, ...]) -> tuple[str, ...]:
        """The listed event types if all are known (each unknown one is reported), else ()."""
        known = []
        for name in names:
            if self._event_type(name) is not None:
                if name.value in known:
                    self.error("duplicate_event_type", f"'{name.value}' is listed twice", name.span)
                known.append(name.value)
        return tuple(known) if len(known) == len(names) else ()

    def _check_expect_before(self, expect: ast.ExpectBefore) -> None:
        types = self._event_types(expect.event_types)
        self._binding(expect.anchor)
        if expect.condition is not None and types:
            self._check_condition(expect.condition, types, due_available=False)

    def _check_expect_clear_before(self, expect: ast.ExpectClearBefore) -> None:
        """(language 4) ``expect TYPE at least N clear days before NAME``."""
        self.needs_language(4, "'expect ... at least N clear days before'", expect.span)
        self._check_amount(expect.clear_days, "days")
        types = self._event_types(expect.event_types)
        self._binding(expect.anchor)
        if expect.condition is not None and types:
            self._check_condition(expect.condition, types, due_available=False)

    def _check_require(self, require: ast.Require, when: ast.When) -> None:
        trigger = self.bindings.get(when.alias.value)
        if trigger is not None and trigger.types:
            self._check_condition(require.condition, trigger.types, due_available=False)

    def _check_duty(self, duty: ast.DutyFixed | ast.DutyCases) -> None:
        if isinstance(duty, ast.DutyFixed):
            self._check_holder(duty.holder)
            return
        selector = self._enum_selector(duty.selector)
        seen: set[str] = set()
        for case in duty.cases:
            self._check_case_value(case.value, selector, seen)
            self._check_holder(case.holder)
        if duty.otherwise is not None:
            self._check_holder(duty.otherwise)
        elif selector is not None:
            missing = [value for value in selector.values if value not in seen]
            if missing:
                self.error(
                    "non_exhaustive_cases",
                    f"no duty holder for {duty.selector.path.value} = "
                    + ", ".join(f'"{value}"' for value in missing),
                    duty.selector.path.span,
                    "add those cases or an 'otherwise -> ...' line",
                )

    def _check_holder(self, holder: ast.Name) -> None:
        if holder.value not in self.context.duty_holders:
            self.error(
                "unknown_duty_holder",
                f"'{holder.value}' is not a duty holder of this pack",
                holder.span,
                did_you_mean(holder.value, self.context.duty_holders)
                or "duty holders are listed in manifest.yaml under duty_holders",
            )

    def _check_unless(self, unless: ast.Unless) -> None:
        spec = self._event_type(unless.event_type)
        self._binding(unless.after)
        if unless.condition is not None and spec:
            self._check_condition(unless.condition, (unless.event_type.value,), due_available=self.has_due)
        if unless.on_or_before_due and not self.has_due:
            self.error(
                "no_due_date", "this rule has no due date for 'on or before due' to refer to", unless.span
            )
        if unless.before is not None:
            binding = self.bindings.get(unless.before.value)
            if binding is None or binding.role != "expected":
                self.error(
                    "unknown_alias",
                    f"'{unless.before.value}' is not the expected event of this rule",
                    unless.before.span,
                    "name the expected event with 'as', e.g. expect review_meeting after previous as next",
                )

    def _check_exempt(self, exempt: ast.Exempt) -> None:
        spec = self._event_type(exempt.event_type)
        if exempt.condition is not None:
            self.needs_language(3, "'exempt ... where'", exempt.condition.span or exempt.span)
            if spec is not None:
                self._check_condition(
                    exempt.condition, (exempt.event_type.value,), due_available=self.has_due
                )
        binding = self._binding(exempt.between)
        if binding is not None and binding.role != "trigger":
            self.error(
                "unknown_alias", "exemptions run from the event that starts the duty", exempt.between.span
            )
        if not self.has_due:
            self.error(
                "no_due_date",
                "a rule without a due date cannot be exempted from it",
                exempt.span,
                "'exempt' applies to rules with 'within', 'by' or 'before' deadlines",
            )

    # --- deadlines ---------------------------------------------------------------------------

    def _check_deadline(self, deadline: ast.Deadline) -> None:
        if isinstance(deadline, ast.NotBefore):
            self._check_amount(deadline.amount, "days")
            self._binding(deadline.anchor)
            return
        self.has_due = True
        if isinstance(deadline, ast.Within):
            self._check_amount(deadline.amount, deadline.unit)
            self._binding(deadline.anchor)
        elif isinstance(deadline, ast.WithinBeginningWith):
            self.needs_language_2("'within ... beginning with'", deadline.span)
            self._check_amount(deadline.amount, deadline.unit)
            self._check_period_is_a_day_or_more(deadline.amount)
            self._binding(deadline.anchor)
        elif isinstance(deadline, ast.WithinMonthsStartingWith):
            self._check_amount(deadline.amount, "months")
            self._binding(deadline.anchor)
        elif isinstance(deadline, ast.BySchoolDay):
            self._check_amount(deadline.amount, "school_days")
            self._binding(deadline.anchor)
        elif isinstance(deadline, ast.BeforeDayMonth):
            if not 1 <= deadline.day <= MONTH_LENGTHS[deadline.month - 1] or (
                deadline.day,
                deadline.month,
            ) == (29, 2):
                self.error(
                    "invalid_day_month",
                    f"{deadline.day} is not a day of that month in every year",
                    deadline.span,
                    "use a day that exists in every year (29 February does not)",
                )
            self._check_date_ref(deadline.date_ref)
        elif isinstance(deadline, ast.ByDate):
            self._check_date_ref(deadline.date_ref)
        elif isinstance(deadline, ast.MonthsBefore):
            self._check_amount(deadline.amount, "months")
            self._check_date_ref(deadline.date_ref)
        elif isinstance(deadline, ast.LaterOf):
            for part in (deadline.first, deadline.second):
                if isinstance(part, ast.NotBefore):
                    self.error(
                        "invalid_deadline",
                        "'the later of' compares due dates, not waiting periods",
                        part.span,
                    )
                else:
                    self._check_deadline(part)
        elif isinstance(deadline, ast.DeadlineCases):
            selector = self._enum_selector(deadline.selector)
            seen: set[str] = set()
            for case in deadline.cases:
                self._check_case_value(case.value, selector, seen)
                if isinstance(case.deadline, (ast.NotBefore, ast.DeadlineCases)):
                    self.error(
                        "invalid_deadline",
                        "a case gives a due date, not a waiting period or further cases",
                        case.deadline.span,
                    )
                else:
                    self._check_deadline(case.deadline)
            if deadline.otherwise is not None:
                if isinstance(deadline.otherwise, (ast.NotBefore, ast.DeadlineCases)):
                    self.error(
                        "invalid_deadline",
                        "a case gives a due date, not a waiting period or further cases",
                        deadline.otherwise.span,
                    )
                else:
                    self._check_deadline(deadline.otherwise)
            elif selector is not None:
                missing = [value for value in selector.values if value not in seen]
                if missing:
                    self.error(
                        "non_exhaustive_cases",
                        f"no due date for {deadline.selector.path.value} = "
                        + ", ".join(f'"{value}"' for value in missing),
                        deadline.selector.path.span,
                        "add those cases or an 'otherwise -> ...' line",
                    )

    def _check_amount(self, amount: ast.Amount, unit: str) -> None:
        if amount.parameter is None:
            if amount.value is not None and amount.value < 1:
                self.error("invalid_amount", "a period must be at least 1", amount.span)
            return
        name = amount.parameter.value
        if not name.startswith("params."):
            self.error(
                "unknown_parameter",
                f"'{name}' is not a parameter",
                amount.parameter.span,
                "parameters are written params.<name>, e.g. params.ehc.final_plan_weeks",
            )
            return
        parameter = self._parameter(amount.parameter)
        if parameter is not None and parameter.unit != unit:
            self.error(
                "type_mismatch",
                f"parameter {name[len('params.') :]} is in {parameter.unit.replace('_', ' ')}, "
                f"but is used here as {unit.replace('_', ' ')}",
                amount.parameter.span,
            )

    def _check_period_is_a_day_or_more(self, amount: ast.Amount) -> None:
        """A period beginning with a day includes that day, so it is at least 1 long: a
        parameter of 0 would have no last day."""
        if amount.parameter is None:
            return
        parameter = self.context.parameters.get(amount.parameter.value[len("params.") :])
        if parameter is None:
            return
        for day, number in sorted(parameter.values.items()):
            if number < 1:
                self.error(
                    "invalid_amount",
                    f"a period beginning with a day is at least 1 long, but "
                    f"{amount.parameter.value} is {number} from {day}",
                    amount.parameter.span,
                )

    def _parameter(self, name: ast.Name) -> Parameter | None:
        key = name.value[len("params.") :]
        self.parameter_uses.append((key, name.span))
        parameter = self.context.parameters.get(key)
        if parameter is None and not self.context.parameter_name_is_unchecked(key):
            self.error(
                "unknown_parameter",
                f"unknown parameter '{key}'",
                name.span,
                did_you_mean(key, self.context.parameters) or "parameters are defined in parameters.yaml",
            )
        return parameter

    def _check_date_ref(self, ref: ast.DateRef) -> None:
        alias = ast.Name(ref.alias, span=ref.span)
        binding = self._binding(alias)
        if binding is None or ref.field is None or not binding.types:
            return
        value_type = self._field_type(binding.types, ref.field, ref.path)
        if value_type is not None and value_type.kind != "date":
            self.error("type_mismatch", f"{ref.path.value} is {value_type.kind}, not a date", ref.span)

    def _enum_selector(self, selector: ast.Reference) -> ValueType | None:
        parts = selector.parts
        if len(parts) != 2:
            self.error(
                "invalid_reference",
                f"'{selector.path.value}' should be an event and a field, e.g. request.advice",
                selector.path.span,
            )
            return None
        binding = self._binding(ast.Name(parts[0], span=selector.path.span))
        if binding is None or not binding.types:
            return None
        value_type = self._field_type(binding.types, parts[1], selector.path)
        if value_type is not None and value_type.kind != "enum":
            self.error(
                "type_mismatch",
                f"'depending on' needs an enum field; {selector.path.value} is {value_type.kind}",
                selector.path.span,
            )
            return None
        return value_type

    def _check_case_value(self, value: ast.Text, selector: ValueType | None, seen: set[str]) -> None:
        if value.value in seen:
            self.error("duplicate_case", f'the case "{value.value}" is given twice', value.span)
        seen.add(value.value)
        if selector is not None and value.value not in selector.values:
            self.error(
                "unknown_value",
                f'"{value.value}" is not one of the values: ' + ", ".join(selector.values),
                value.span,
                did_you_mean(value.value, selector.values),
            )

    # --- conditions --------------------------------------------------------------------------

    def _check_condition(
        self, condition: ast.Condition, current_types: tuple[str, ...], *, due_available: bool
    ) -> None:
        if isinstance(condition, (ast.AllOf, ast.AnyOf)):
            for part in condition.parts:
                self._check_condition(part, current_types, due_available=due_available)
        elif isinstance(condition, ast.Not):
            self._check_condition(condition.operand, current_types, due_available=due_available)
        elif isinstance(condition, ast.Presence):
            self._operand_type(condition.operand, current_types, due_available)
        elif isinstance(condition, ast.CompulsorySchoolAgeAt):
            self.needs_language(3, "'child of compulsory school age at'", condition.span)
            self._binding(condition.at, allowed_roles=("trigger", "required", "expected"))
        elif isinstance(condition, ast.Membership):
            operand = self._operand_type(condition.operand, current_types, due_available)
            for literal in condition.values:
                self._compare_types(
                    operand,
                    "=",
                    self._operand_type(literal, current_types, due_available),
                    literal,
                    condition.span,
                )
        elif isinstance(condition, ast.Comparison):
            left = self._operand_type(condition.left, current_types, due_available)
            right = self._operand_type(condition.right, current_types, due_available)
            if left is not None and right is not None:
                shown = condition.right if isinstance(condition.right, ast.Literal) else condition.left
                if isinstance(condition.left, ast.Literal) and isinstance(condition.right, ast.Literal):
                    self.error("constant_condition", "this compares two fixed values", condition.span)
                self._compare_types(left, condition.operator, right, shown, condition.span)

    def _compare_types(
        self,
        left: ValueType | None,
        operator: str,
        right: ValueType | None,
        literal: ast.Operand,
        span: ast.Span | None,
    ) -> None:
        if left is None or right is None:
            return
        kinds = {left.kind, right.kind}
        textual = {"string", "enum", "event_id"}
        if kinds <= textual:
            enum = left if left.kind == "enum" else right if right.kind == "enum" else None
            other = right if enum is left else left
            if enum is not None and other.kind == "string" and isinstance(literal, ast.Literal):
                if literal.value not in enum.values:
                    self.error(
                        "unknown_value",
                        f'"{literal.value}" is not one of the values: ' + ", ".join(enum.values),
                        literal.span,
                        did_you_mean(str(literal.value), enum.values),
                    )
            if operator not in ("=", "!="):
                self.error(
                    "type_mismatch", f"'{operator}' compares numbers or dates, not text", span, "use = or !="
                )
            return
        if left.kind != right.kind:
            self.error("type_mismatch", f"cannot compare {left.kind} with {right.kind}", span)
            return
        if operator not in ("=", "!=") and left.kind not in ORDERED_KINDS:
            self.error("type_mismatch", f"'{operator}' compares numbers or dates, not {left.kind}", span)

    def _operand_type(
        self, operand: ast.Operand, current_types: tuple[str, ...], due_available: bool
    ) -> ValueType | None:
        if isinstance(operand, ast.Literal):
            value = operand.value
            if isinstance(value, bool):
                return ValueType("boolean")
            if isinstance(value, int):
                return ValueType("integer")
            if isinstance(value, str):
                return ValueType("string")
            return ValueType("date")
        if isinstance(operand, ast.TotalInSchoolYear):  # (language 3)
            self.needs_language(3, "'total ... in the school year of'", operand.span)
            self._binding(operand.at, allowed_roles=("trigger", "required", "expected"))
            if self._event_type(operand.event_type) is not None:
                kind = self._field_type((operand.event_type.value,), operand.field.value, operand.field)
                if kind is not None and kind.kind != "integer":
                    self.error(
                        "type_mismatch",
                        f"'{operand.field.value}' is {kind.kind}, not a number",
                        operand.field.span,
                    )
                if operand.half_if is not None:
                    flag = self._field_type(
                        (operand.event_type.value,), operand.half_if.value, operand.half_if
                    )
                    if flag is not None and flag.kind != "boolean":
                        self.error(
                            "type_mismatch",
                            f"'{operand.half_if.value}' is {flag.kind}, not true or false",
                            operand.half_if.span,
                            "'counting FLAG as half' needs a boolean field of the event",
                        )
            return ValueType("integer")
        if isinstance(operand, (ast.ChildAgeAt, ast.ChildSchoolYearAt)):
            self._binding(operand.at, allowed_roles=("trigger", "required", "expected"))
            return ValueType("integer")
        if isinstance(operand, ast.DueDate):
            if not due_available:
                self.error(
                    "due_not_available",
                    "'due' is not known here",
                    operand.span,
                    "'due' can be used in 'unless' conditions of rules that have a due date",
                )
                return None
            return ValueType("date")
        if isinstance(operand, ast.FieldName):
            return self._field_type(current_types, operand.name.value, operand.name)
        if isinstance(operand, ast.Reference):
            parts = operand.parts
            if parts[0] == "params":
                parameter = self._parameter(operand.path)
                return ValueType("integer", unit=parameter.unit) if parameter else None
            if parts[0] == "child":
                if len(parts) != 2 or parts[1] not in CHILD_FIELDS:
                    self.error(
                        "unknown_field",
                        f"'{operand.path.value}' is not a field of the child",
                        operand.path.span,
                        did_you_mean(parts[-1], CHILD_FIELDS),
                    )
                    return None
                return ValueType(CHILD_FIELDS[parts[1]])
            binding = self._binding(
                ast.Name(parts[0], span=operand.path.span), allowed_roles=("trigger", "required", "expected")
            )
            if binding is None or not binding.types:
                return None
            if len(parts) != 2:
                self.error(
                    "invalid_reference",
                    f"'{operand.path.value}' should be an event and a field",
                    operand.path.span,
                )
                return None
            return self._field_type(binding.types, parts[1], operand.path)
        return None

    def _field_type(self, types: tuple[str, ...], field: str, name: ast.Name) -> ValueType | None:
        if field == "date":
            return ValueType("date")
        if field == "id":
            return ValueType("event_id")
        found: list[FieldSpec] = []
        for event_type in types:
            spec = self.context.events.get(event_type)
            if spec is None:
                return None
            field_spec = spec.fields.get(field)
            if field_spec is None:
                known = set(spec.fields) | {"date", "id"}
                self.error(
                    "unknown_field",
                    f"'{field}' is not a field of {event_type}",
                    name.span,
                    did_you_mean(field, known) or ("its fields are: " + ", ".join(sorted(known))),
                )
                return None
            found.append(field_spec)
        kinds = {_kind(spec) for spec in found}
        if len(kinds) > 1:
            self.error("type_mismatch", f"'{field}' has different types in {', '.join(types)}", name.span)
            return None
        values = tuple(dict.fromkeys(value for spec in found for value in (spec.values or [])))
        return ValueType(kinds.pop(), values)


def _kind(spec: FieldSpec) -> str:
    return {
        "enum": "enum",
        "code": "enum",
        "integer": "integer",
        "date": "date",
        "event_ref": "event_id",
        "boolean": "boolean",
        "text": "string",
    }[spec.type]


def _citation_kinds(
    context: CheckContext,
    cites: list[ast.Cite],
    error: Callable[[str, str, ast.Span | None, str | None], None],
) -> list[str]:
    """(language 2) The kind of source of each citation ("" for one that belongs to no source,
    which is reported as ``unknown_citation_source``)."""
    kinds = []
    for cite in cites:
        for citation in cite.citations:
            if not citation.value.strip():
                continue
            source = context.citation_source(citation.value)
            if source is None:
                error(
                    "unknown_citation_source",
                    f"'{citation.value}' does not begin with the 'cite_as' of any source in the manifest",
                    citation.span,
                    "add its prefix to the 'cite_as' list of the source it comes from",
                )
                kinds.append("")
            else:
                kinds.append(source[1])
    return kinds


class TableChecker:
    """Checks one decision table: its clauses, header, cells, and that its rows leave no gap
    (and, with hit policy unique, never overlap) over every combination of input values."""

    MAX_COMBINATIONS = 200_000

    def __init__(self, context: CheckContext, table: ast.TableDecl, sink: DiagnosticSink) -> None:
        self.context = context
        self.table = table
        self.sink = sink

    def error(self, code: str, message: str, span: ast.Span | None, hint: str | None = None) -> None:
        _error(self.sink, code, message, span or self.table.table_id.span, hint)

    def check(self) -> None:
        table = self.table
        errors_before = len(self.sink.diagnostics)
        by_kind: dict[type, list[Any]] = {}
        for clause in table.clauses:
            by_kind.setdefault(type(clause), []).append(clause)
        if not by_kind.get(ast.Cite):
            self.error(
                "missing_citation",
                f"table {table.table_id.value} cites no source",
                table.table_id.span,
                'add where the values come from, e.g. cite "Devon County Council banding 2023/24"',
            )
        elif self.context.language >= 2:
            _citation_kinds(self.context, by_kind[ast.Cite], self.error)
        givens = by_kind.get(ast.Given, [])
        policies = by_kind.get(ast.HitPolicy, [])
        for kind, found, what, hint in (
            (ast.Given, givens, "given", "e.g. given needs_identified as needs"),
            (ast.HitPolicy, policies, "hit policy", "hit policy unique, or hit policy first"),
        ):
            if not found:
                self.error(
                    f"missing_{what.replace(' ', '_')}",
                    f"table {table.table_id.value} has no '{what}' clause",
                    table.table_id.span,
                    hint,
                )
            for extra in found[1:]:
                self.error(
                    "duplicate_clause",
                    f"table {table.table_id.value} has more than one '{what}' clause",
                    extra.span,
                )
        for extra in by_kind.get(ast.Illustrative, [])[1:]:
            self.error("duplicate_clause", "a table has at most one 'illustrative' clause", extra.span)
        if not givens:
            return
        given = givens[0]
        spec = self.context.events.get(given.event_type.value)
        if spec is None:
            if not self.context.event_name_is_unchecked(given.event_type.value):
                self.error(
                    "unknown_event_type",
                    f"unknown event type '{given.event_type.value}'",
                    given.event_type.span,
                    did_you_mean(given.event_type.value, self.context.events),
                )
            return
        domains = [self._input_domain(name, given, spec) for name in table.inputs]
        outputs = [name.value for name in table.outputs]
        for index, name in enumerate(table.outputs):
            if "." in name.value:
                self.error("invalid_reference", f"output '{name.value}' must be a plain name", name.span)
            if name.value in outputs[:index]:
                self.error("duplicate_output", f"the output '{name.value}' is given twice", name.span)
        output_kinds: list[set[str]] = [set() for _ in table.outputs]
        for row in table.rows:
            if len(row.inputs) != len(table.inputs) or len(row.outputs) != len(table.outputs):
                self.error(
                    "table_shape",
                    f"this row has {len(row.inputs)} input and {len(row.outputs)} output cells; "
                    f"the header has {len(table.inputs)} and {len(table.outputs)}",
                    row.span,
                )
                continue
            for cell, domain in zip(row.inputs, domains):
                if domain is not None:
                    self._check_cell(cell, domain)
            for literal, kinds in zip(row.outputs, output_kinds):
                kinds.add(_literal_kind(literal))
        for name, kinds in zip(table.outputs, output_kinds):
            if len(kinds) > 1:
                self.error(
                    "type_mismatch",
                    f"the output '{name.value}' mixes " + " and ".join(sorted(kinds)),
                    name.span,
                    "every value of an output column must have the same type",
                )
        # gaps and overlaps are only meaningful once every row is well formed
        if policies and len(self.sink.diagnostics) == errors_before:
            # (every input has its domain here: a missing one is an error reported above)
            self._check_coverage([domain for domain in domains if domain is not None], policies[0].value)

    def _input_domain(self, name: ast.Name, given: ast.Given, spec: EventSpec) -> Domain | None:
        parts = name.value.split(".")
        if len(parts) != 2 or parts[0] != given.alias.value:
            self.error(
                "invalid_reference",
                f"table inputs are fields of '{given.alias.value}', e.g. "
                f"{given.alias.value}.{next(iter(spec.fields), 'field')}",
                name.span,
            )
            return None
        field_spec = spec.fields.get(parts[1])
        if field_spec is None:
            self.error(
                "unknown_field",
                f"'{parts[1]}' is not a field of {given.event_type.value}",
                name.span,
                did_you_mean(parts[1], spec.fields),
            )
            return None
        if field_spec.type in ("enum", "code"):
            return ("enum", tuple(field_spec.values or ()))
        if field_spec.type == "boolean":
            return ("boolean", (False, True))
        if field_spec.type == "integer" and field_spec.minimum is not None and field_spec.maximum is not None:
            return ("integer", tuple(range(field_spec.minimum, field_spec.maximum + 1)))
        self.error(
            "type_mismatch",
            f"{name.value} has no finite set of values to check the table against",
            name.span,
            "table inputs are enum, code, boolean, or integer fields with a minimum and maximum",
        )
        return None

    def _check_cell(self, cell: ast.Cell, domain: Domain) -> None:
        kind, values = domain
        for literal in cell.values:
            literal_kind = _literal_kind(literal)
            expected = {"enum": "text", "boolean": "boolean", "integer": "integer"}[kind]
            if literal_kind != expected:
                self.error(
                    "type_mismatch", f"this cell is {literal_kind}; the input is {expected}", literal.span
                )
            elif kind == "enum" and literal.value not in values:
                self.error(
                    "unknown_value",
                    f'"{literal.value}" is not one of the values: ' + ", ".join(values),
                    literal.span,
                    did_you_mean(str(literal.value), values),
                )
        if cell.kind in ("range", "compare") and kind != "integer":
            self.error("type_mismatch", "ranges and comparisons need a whole-number input", cell.span)
        low, high = (cell.values[0].value, cell.values[1].value) if cell.kind == "range" else (0, 0)
        if isinstance(low, int) and isinstance(high, int) and low > high:  # a range is of whole numbers
            self.error(
                "invalid_range",
                f"the range {cell.values[0].value}..{cell.values[1].value} is empty",
                cell.span,
            )

    def _check_coverage(self, domains: list[Domain], policy: str) -> None:
        import itertools

        total = 1
        for _, values in domains:
            total *= len(values)
        if total > self.MAX_COMBINATIONS:
            self.error(
                "table_too_large",
                f"the table's inputs have {total} combinations; at most "
                f"{self.MAX_COMBINATIONS} can be checked",
                self.table.table_id.span,
            )
            return
        gaps, overlap = [], None
        tests = [(row, tuple(cell_test(cell) for cell in row.inputs)) for row in self.table.rows]
        for combination in itertools.product(*(values for _, values in domains)):
            matching = [
                row
                for row, cells in tests
                if all(ir.cell_matches(cell, value) for cell, value in zip(cells, combination))
            ]
            if not matching:
                gaps.append(combination)
            elif len(matching) > 1 and policy == "unique" and overlap is None:
                overlap = (combination, matching)
        names = [name.value for name in self.table.inputs]

        def describe(combination: tuple[Any, ...]) -> str:
            return ", ".join(f"{name} = {ir.show_value(value)}" for name, value in zip(names, combination))

        if gaps:
            more = (
                f" (and {len(gaps) - 1} other combination{'s' if len(gaps) > 2 else ''})"
                if len(gaps) > 1
                else ""
            )
            self.error(
                "table_gap",
                f"no row matches {describe(gaps[0])}{more}",
                self.table.table_id.span,
                "add rows for the missing combinations, or a last row of '-' cells with hit policy first",
            )
        if overlap is not None:
            combination, rows = overlap
            numbers = [self.table.rows.index(row) + 1 for row in rows]
            self.error(
                "table_overlap",
                f"rows {', '.join(map(str, numbers[:-1]))} and {numbers[-1]} all match "
                f"{describe(combination)}",
                rows[-1].span,
                "with hit policy unique exactly one row may match; narrow the rows or use hit policy first",
            )


def _literal_kind(literal: ast.Literal) -> str:
    value = literal.value
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, str):
        return "text"
    return "date"


def _not_own_fields(condition: ast.Condition) -> list[ast.Span | None]:
    """Where a condition reads something other than the candidate event's own fields and
    literals (a run's ``where`` is decided for each event alone, before anything is bound)."""
    if isinstance(condition, (ast.AllOf, ast.AnyOf)):
        return [span for part in condition.parts for span in _not_own_fields(part)]
    if isinstance(condition, ast.Not):
        return _not_own_fields(condition.operand)
    if isinstance(condition, ast.CompulsorySchoolAgeAt):
        return [condition.span]
    operands = (
        (condition.left, condition.right) if isinstance(condition, ast.Comparison) else (condition.operand,)
    )
    return [
        getattr(operand, "span", None)
        for operand in operands
        if not isinstance(operand, (ast.FieldName, ast.Literal))
    ]
