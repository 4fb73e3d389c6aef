"""AST -> IR. Runs only on rules the checker accepted, so it resolves names without re-checking."""

from __future__ import annotations

from typing import Iterable, TypeVar, assert_never

from sendrules.dsl import ast, ir
from sendrules.dsl.pack import LoadedPack
from sendrules.dsl.pack_schema import EventSpec

_Node = TypeVar("_Node")


def compile_pack(pack: LoadedPack) -> ir.CompiledStandard:
    """Compile a loaded, checked pack into the standard the engine runs."""
    manifest = pack.manifest
    assert manifest is not None, "compile_pack needs a pack whose manifest validated"
    event_types = tuple(_event_type(name, spec) for name, spec in pack.events.items())
    parameters = tuple(
        ir.DatedParameter(
            name,
            spec.unit,
            tuple(sorted(spec.values.items())),
            spec.description,
            spec.source,
            spec.unconfirmed,
            spec.illustrative,
        )
        for name, spec in sorted(pack.parameters.items())
    )
    compiler = _RuleCompiler(pack)
    rules = tuple(compiler.rule(rule) for rules_file in pack.rules_files for rule in rules_file.rules)
    tables = tuple(compiler.table(table) for rules_file in pack.rules_files for table in rules_file.tables)
    return ir.CompiledStandard(
        id=manifest.id,
        version=manifest.version,
        sha256=pack.files.sha256(),
        title=manifest.title,
        status=ir.StandardStatus(manifest.status),
        effective_from=manifest.effective_from,
        effective_to=manifest.effective_to,
        illustrative=manifest.illustrative,
        duty_holders=tuple(manifest.duty_holders.items()),
        event_types=event_types,
        parameters=parameters,
        rules=tuple(sorted(rules, key=lambda rule: rule.id)),
        sources=tuple((source.title, source.url) for source in manifest.sources),
        source_notes=tuple(source.note for source in manifest.sources),
        supersedes=manifest.supersedes,
        summary=manifest.summary,
        changes=tuple(
            (change.summary, tuple(change.rules), tuple(change.parameters)) for change in manifest.changes
        ),
        tables=tuple(sorted(tables, key=lambda table: table.id)),
        school_days=manifest.school_days,
        language=manifest.language,
    )


def _event_type(name: str, spec: EventSpec) -> ir.EventType:
    fields = tuple(
        (
            field_name,
            ir.FieldType(
                type=ir.FieldKind(field_spec.type),
                values=tuple(field_spec.values or ()),
                minimum=field_spec.minimum,
                maximum=field_spec.maximum,
                event_type=field_spec.event_type,
                required=field_spec.required,
                required_when=tuple(
                    (key, tuple(values)) for key, values in (field_spec.required_when or {}).items()
                ),
                description=field_spec.description,
            ),
        )
        for field_name, field_spec in spec.fields.items()
    )
    return ir.EventType(name, spec.description, fields)


def _in_force_condition(condition: ir.Condition | None, in_force: ast.InForce | None) -> ir.Condition | None:
    """The trigger condition with ``in force from A [until B]`` added as ``date >= A [and date <=
    B]``: a dated rule is a trigger condition, so both backends apply it without code of their own."""
    if in_force is None:
        return condition
    assert in_force.start is not None, "the checker accepts only real dates"
    tests: list[ir.Condition] = [] if condition is None else [condition]
    tests.append(ir.Compare(ir.Operator.GE, ir.CandidateField("date"), ir.Constant(in_force.start)))
    if in_force.end is not None:
        tests.append(ir.Compare(ir.Operator.LE, ir.CandidateField("date"), ir.Constant(in_force.end)))
    return ir.AllOf(tuple(tests))


class _RuleCompiler:
    def __init__(self, pack: LoadedPack) -> None:
        self.pack = pack
        self.sources = {
            pack.files.display_path(relative): text for relative, text in pack.files.texts.items()
        }

    def text_of(self, span: ast.Span | None) -> str:
        """The source text a node was written as (its whole lines for multi-line nodes)."""
        if span is None or span.file not in self.sources:
            return ""
        lines = self.sources[span.file].split("\n")
        if span.line == span.end_line:
            return lines[span.line - 1][span.column - 1 : span.end_column - 1]
        return "\n".join(lines[span.line - 1 : span.end_line]).rstrip()

    def rule(self, rule: ast.RuleDecl) -> ir.Rule:
        clauses = rule.clauses
        when = _required(_first(clauses, ast.When))
        modality = _required(_first(clauses, ast.Modality))
        exempt = _first(clauses, ast.Exempt)
        citations = tuple(
            text.value for cite in clauses if isinstance(cite, ast.Cite) for text in cite.citations
        )
        bindings = {when.alias.value: tuple(name.value for name in when.event_types)}
        requirements = []
        for clause in clauses:
            if isinstance(clause, ast.OnlyIf):
                requirements.append(
                    ir.Requirement(
                        clause.alias.value,
                        clause.after.value,
                        ir.EventMatch((clause.event_type.value,), self.condition(clause.condition)),
                    )
                )
                bindings[clause.alias.value] = (clause.event_type.value,)
            elif isinstance(clause, ast.RunOf):  # (language 3) the run's first event
                bindings[clause.alias.value] = (clause.event_type.value,)
            elif isinstance(clause, ast.AbsencesReaching):  # (language 4) the day reached
                bindings[clause.alias.value] = (clause.start_type.value,)
        exclusions = tuple(
            ir.Exclusion(
                clause.after.value,
                ir.EventMatch((clause.event_type.value,), self.condition(clause.condition)),
                clause.on_or_before_due,
                clause.before.value if clause.before else None,
            )
            for clause in clauses
            if isinstance(clause, ast.Unless)
        )
        span = rule.rule_id.span
        in_force = _first(clauses, ast.InForce)
        illustrative = _first(clauses, ast.Illustrative)
        trigger_condition = _in_force_condition(self.condition(when.condition), in_force)
        return ir.Rule(
            id=rule.rule_id.value,
            title=rule.title.value,
            modality=ir.Modality(modality.value),
            citations=citations,
            duty=self.duty(clauses),
            trigger=ir.Trigger(
                when.alias.value, ir.EventMatch(bindings[when.alias.value], trigger_condition)
            ),
            compliance=self.compliance(clauses, bindings),
            source_text=self.text_of(rule.span),
            requirements=tuple(requirements),
            exclusions=exclusions,
            exemption=(
                ir.Exemption(exempt.event_type.value, exempt.between.value, self.condition(exempt.condition))
                if exempt
                else None
            ),
            unconfirmed=tuple(clause.note.value for clause in clauses if isinstance(clause, ast.Unconfirmed)),
            see=tuple(
                name.value for clause in clauses if isinstance(clause, ast.See) for name in clause.rule_ids
            ),
            source_file=span.file if span else "",
            source_line=span.line if span else 0,
            in_force_from=in_force.start if in_force else None,
            in_force_until=in_force.end if in_force else None,
            illustrative=illustrative.note.value if illustrative else None,
            run=self.run(_first(clauses, ast.RunOf)),
            window=_window(_first(clauses, ast.Window), when.alias.value),
            made_within=_made_within(_first(clauses, ast.OnlyIfWithin)),
            absences=_absences(_first(clauses, ast.AbsencesReaching)),
        )

    # --- parts -------------------------------------------------------------------------------

    def compliance(
        self, clauses: tuple[ast.Clause, ...], bindings: dict[str, tuple[str, ...]]
    ) -> ir.Compliance:
        """How the rule's status is decided, from its ``expect`` or ``require`` clause."""
        for clause in clauses:
            match clause:
                case ast.Expect():
                    expected = self.expectation(clause.expected, bindings)
                    deadline = self.deadline(clause.deadline)
                    if isinstance(deadline, ir.NotBefore):
                        return ir.MetAfterWaiting(expected, deadline)
                    return ir.MetByDeadline(expected, deadline)
                case ast.ExpectBefore():
                    return ir.MetIfPreceded(
                        ir.ExpectBefore(
                            clause.anchor.value,
                            tuple(name.value for name in clause.event_types),
                            self.condition(clause.condition),
                        )
                    )
                case ast.ExpectClearBefore():  # (language 4)
                    return ir.MetIfPreceded(
                        ir.ExpectBefore(
                            clause.anchor.value,
                            tuple(name.value for name in clause.event_types),
                            self.condition(clause.condition),
                            _amount(clause.clear_days),
                        )
                    )
                case ast.Require():
                    return ir.MetIfHolds(
                        self.required_condition(clause.condition), self.text_of(clause.condition.span)
                    )
        raise AssertionError("the checker accepts only rules with an expect or require clause")

    def duty(self, clauses: tuple[ast.Clause, ...]) -> ir.DutyHolder:
        for clause in clauses:
            match clause:
                case ast.DutyFixed():
                    return ir.FixedHolder(clause.holder.value)
                case ast.DutyCases():
                    return ir.HolderByCase(
                        selector=_bound_field(clause.selector),
                        cases=tuple((case.value.value, case.holder.value) for case in clause.cases),
                        otherwise=clause.otherwise.value if clause.otherwise else None,
                    )
        raise AssertionError("the checker accepts only rules with a duty clause")

    def expectation(self, expected: ast.Expected, bindings: dict[str, tuple[str, ...]]) -> ir.ExpectedEvent:
        match expected:
            case ast.ExpectAfter():
                return ir.ExpectAfter(
                    expected.after.value,
                    tuple(name.value for name in expected.event_types),
                    self.condition(expected.condition),
                    binding=expected.alias.value if expected.alias else None,
                    search_from=(
                        ir.MonthsBefore(
                            _amount(expected.search_from.amount),
                            expected.search_from.date_ref.alias,
                            expected.search_from.date_ref.field or "date",
                        )
                        if expected.search_from is not None
                        else None
                    ),
                )
            case ast.ExpectResponse():
                anchor_types = bindings.get(expected.to.value, ())
                spec = self.pack.events[expected.event_type.value]
                link = next(
                    name
                    for name, field_spec in spec.fields.items()
                    if field_spec.type == "event_ref" and field_spec.event_type in anchor_types
                )
                return ir.ExpectResponse(
                    expected.to.value,
                    expected.event_type.value,
                    link,
                    binding=expected.alias.value if expected.alias else None,
                )
            case ast.ExpectBound():
                return ir.ExpectBound(expected.alias.value)
            case _:
                assert_never(expected)

    def deadline(self, deadline: ast.Deadline) -> ir.Deadline:
        match deadline:
            case ast.NotBefore():
                return ir.NotBefore(deadline.anchor.value, _amount(deadline.amount))
            case _:
                return self.due_date(deadline)

    def due_date(self, deadline: ast.Deadline) -> ir.DueClock:
        match deadline:
            case ast.Within():
                return ir.Within(ir.TimeUnit(deadline.unit), _amount(deadline.amount), deadline.anchor.value)
            case ast.WithinBeginningWith():
                return ir.WithinBeginningWith(
                    ir.TimeUnit(deadline.unit), _amount(deadline.amount), deadline.anchor.value
                )
            case ast.WithinMonthsStartingWith():
                return ir.WithinMonthsStartingWith(_amount(deadline.amount), deadline.anchor.value)
            case ast.BySchoolDay():
                return ir.BySchoolDay(_amount(deadline.amount), deadline.anchor.value)
            case ast.BeforeDayMonth():
                return ir.BeforeDayMonth(
                    deadline.day, deadline.month, deadline.date_ref.alias, deadline.date_ref.field or "date"
                )
            case ast.ByDate():
                return ir.OnDate(deadline.date_ref.alias, deadline.date_ref.field or "date")
            case ast.MonthsBefore():
                return ir.MonthsBefore(
                    _amount(deadline.amount), deadline.date_ref.alias, deadline.date_ref.field or "date"
                )
            case ast.LaterOf():
                return ir.LaterOf(self.due_date(deadline.first), self.due_date(deadline.second))
            case ast.DeadlineCases():
                return ir.CaseClock(
                    selector=_bound_field(deadline.selector),
                    cases=tuple(
                        (case.value.value, self.case_due_date(case.deadline)) for case in deadline.cases
                    ),
                    otherwise=self.case_due_date(deadline.otherwise) if deadline.otherwise else None,
                )
            case ast.NotBefore():
                raise AssertionError("the checker accepts a waiting period only as a rule's whole deadline")
            case _:
                assert_never(deadline)

    def case_due_date(self, deadline: ast.Deadline) -> ir.CaseDue:
        due = self.due_date(deadline)
        if isinstance(due, ir.CaseClock):
            raise AssertionError("the checker accepts no cases inside a case")
        return due

    def run(self, clause: ast.RunOf | None) -> ir.BackToBack | None:
        """(language 3) ``reaching school day N of back to back TYPE [where ...] lasting FIELD from
        NAME``."""
        if clause is None:
            return None
        return ir.BackToBack(
            clause.event_type.value,
            clause.length_field.value,
            clause.alias.value,
            _amount(clause.amount),
            self.condition(clause.condition),
        )

    def required_condition(self, condition: ast.Condition) -> ir.Condition:
        match condition:
            case ast.AllOf():
                return ir.AllOf(tuple(self.required_condition(part) for part in condition.parts))
            case ast.AnyOf():
                return ir.AnyOf(tuple(self.required_condition(part) for part in condition.parts))
            case ast.Not():
                return ir.Negation(self.required_condition(condition.operand))
            case ast.Presence():
                return ir.Present(self.operand(condition.operand), condition.present)
            case ast.Membership():
                return ir.OneOf(
                    self.operand(condition.operand), tuple(literal.value for literal in condition.values)
                )
            case ast.Comparison():
                return ir.Compare(
                    ir.Operator(condition.operator),
                    self.operand(condition.left),
                    self.operand(condition.right),
                )
            case ast.CompulsorySchoolAgeAt():  # (language 3) a test of a yes/no operand
                return ir.Compare(
                    ir.Operator.EQ, ir.ChildOfCompulsorySchoolAge(condition.at.value), ir.Constant(True)
                )
            case _:
                assert_never(condition)

    def condition(self, condition: ast.Condition | None) -> ir.Condition | None:
        return None if condition is None else self.required_condition(condition)

    def operand(self, operand: ast.Operand) -> ir.Operand:
        match operand:
            case ast.Literal():
                return ir.Constant(operand.value)
            case ast.DueDate():
                return ir.DueDate()
            case ast.ChildAgeAt():
                return ir.ChildAge(operand.at.value)
            case ast.ChildSchoolYearAt():
                return ir.ChildSchoolYear(operand.at.value)
            case ast.TotalInSchoolYear():
                return ir.TotalInSchoolYear(
                    operand.field.value,
                    operand.event_type.value,
                    operand.at.value,
                    operand.half_if.value if operand.half_if is not None else None,
                )
            case ast.FieldName():
                return ir.CandidateField(operand.name.value)
            case ast.Reference():
                parts = operand.parts
                if parts[0] == "params":
                    return ir.ParameterValue(".".join(parts[1:]))
                if parts[0] == "child":
                    return ir.ChildField(parts[1])
                return ir.BoundField(parts[0], parts[1])
            case _:
                assert_never(operand)

    def table(self, table: ast.TableDecl) -> ir.DecisionTable:
        clauses = table.clauses
        given = _required(_first(clauses, ast.Given))
        policy = _required(_first(clauses, ast.HitPolicy))
        illustrative = _first(clauses, ast.Illustrative)
        rows = tuple(
            ir.TableRow(
                number,
                tuple(cell_test(cell) for cell in row.inputs),
                tuple(literal.value for literal in row.outputs),
                row.span.line if row.span else 0,
            )
            for number, row in enumerate(table.rows, start=1)
        )
        first_row = table.rows[0].outputs if table.rows else ()
        output_types = tuple(
            ir.OutputType.BOOLEAN
            if isinstance(literal.value, bool)
            else ir.OutputType.INTEGER
            if isinstance(literal.value, int)
            else ir.OutputType.TEXT
            for literal in first_row
        )
        span = table.table_id.span
        return ir.DecisionTable(
            id=table.table_id.value,
            title=table.title.value,
            citations=tuple(
                text.value for clause in clauses if isinstance(clause, ast.Cite) for text in clause.citations
            ),
            event_type=given.event_type.value,
            binding=given.alias.value,
            hit_policy=ir.HitPolicy(policy.value),
            inputs=tuple(name.value.split(".", 1)[1] for name in table.inputs),
            outputs=tuple(name.value for name in table.outputs),
            output_types=output_types,
            rows=rows,
            illustrative=illustrative.note.value if illustrative else None,
            unconfirmed=tuple(clause.note.value for clause in clauses if isinstance(clause, ast.Unconfirmed)),
            source_file=span.file if span else "",
            source_line=span.line if span else 0,
            source_text=self.text_of(table.span),
        )


def cell_test(cell: ast.Cell) -> ir.CellTest:
    """A decision-table input cell as the engine tests it (also used by the checker to prove a
    table complete, so that both read a cell one way)."""
    values = tuple(literal.value for literal in cell.values)
    match cell.kind:
        case "any":
            return ir.CellAny()
        case "equals":
            return ir.CellEquals(values[0])
        case "one_of":
            return ir.CellOneOf(values)
        case "range":
            return ir.CellRange(_whole_number(values[0]), _whole_number(values[1]))
        case "compare":
            assert cell.operator is not None, "the grammar gives a comparison cell its operator"
            return ir.CellCompare(ir.Operator(cell.operator), _whole_number(values[0]))
    raise AssertionError(f"unknown cell kind {cell.kind!r}")


def _whole_number(value: ir.Value) -> int:
    # ranges and comparisons are checked to be whole numbers before a table is compiled or
    # its completeness is proved
    assert isinstance(value, int) and not isinstance(value, bool), f"expected a whole number, not {value!r}"
    return value


def _first(clauses: Iterable[object], kind: type[_Node]) -> _Node | None:
    return next((clause for clause in clauses if isinstance(clause, kind)), None)


def _required(clause: _Node | None) -> _Node:
    assert clause is not None, "the checker rejects a rule or table without this clause"
    return clause


def _made_within(clause: ast.OnlyIfWithin | None) -> ir.MadeWithin | None:
    """(language 4) ``only if NAME within N UNIT after NAME.FIELD``."""
    if clause is None:
        return None
    reference, _, field = clause.reference.value.partition(".")
    return ir.MadeWithin(
        clause.subject.value, ir.TimeUnit(clause.unit), _amount(clause.amount), reference, field
    )


def _amount(amount: ast.Amount) -> ir.Amount:
    if amount.parameter is not None:
        return ir.ParameterAmount(amount.parameter.value[len("params.") :])
    assert amount.value is not None, "an amount is a number or a parameter"
    return ir.FixedAmount(amount.value)


def _bound_field(reference: ast.Reference) -> ir.BoundField:
    alias, field = reference.parts
    return ir.BoundField(alias, field)


def _window(clause: ast.Window | None, trigger: str) -> ir.Window | None:
    """(language 3) ``window closes ...``."""
    if clause is None:
        return None
    parts: list[ir.WindowClose] = []
    for part in clause.parts:
        match part:
            case ast.CloseAtEndOfRun():
                parts.append(ir.CloseAtEndOfRun())
            case ast.CloseAtNext():
                parts.append(ir.CloseAtNext(part.event_type.value))
            case ast.CloseAfter():
                parts.append(ir.CloseAfter(ir.TimeUnit(part.unit), _amount(part.amount), part.anchor.value))
            case _:
                assert_never(part)
    return ir.Window(trigger, tuple(parts))


def _absences(clause: ast.AbsencesReaching | None) -> ir.AbsencesReaching | None:
    """(language 4) ``reaching school day N of absences from START to END in the school year as
    NAME``."""
    if clause is None:
        return None
    return ir.AbsencesReaching(
        clause.start_type.value, clause.end_type.value, clause.alias.value, _amount(clause.amount)
    )
