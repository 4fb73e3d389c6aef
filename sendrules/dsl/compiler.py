"""AST -> IR. Runs only on rules the checker accepted, so it resolves names without re-checking."""

from __future__ import annotations

from sendrules.dsl import ast, ir
from sendrules.dsl.pack import LoadedPack


def compile_pack(pack: LoadedPack) -> ir.CompiledStandard:
    """Compile a loaded, checked pack into the standard the engine runs."""
    manifest = pack.manifest
    assert manifest is not None, "compile_pack needs a pack whose manifest validated"
    event_types = tuple(_event_type(name, spec) for name, spec in pack.events.items())
    parameters = tuple(
        ir.DatedParameter(name, spec.unit, tuple(sorted(spec.values.items())), spec.description,
                          spec.source, spec.unconfirmed)
        for name, spec in sorted(pack.parameters.items()))
    compiler = _RuleCompiler(pack)
    rules = tuple(compiler.rule(rule) for rules_file in pack.rules_files for rule in rules_file.rules)
    tables = tuple(compiler.table(table) for rules_file in pack.rules_files for table in rules_file.tables)
    return ir.CompiledStandard(
        id=manifest.id,
        version=manifest.version,
        sha256=pack.files.sha256(),
        title=manifest.title,
        status=manifest.status,
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
        changes=tuple((change.summary, tuple(change.rules), tuple(change.parameters))
                      for change in manifest.changes),
        tables=tuple(sorted(tables, key=lambda table: table.id)),
    )


def _event_type(name, spec) -> ir.EventType:
    fields = tuple(
        (field_name, ir.FieldType(
            type=field_spec.type,
            values=tuple(field_spec.values or ()),
            minimum=field_spec.minimum,
            maximum=field_spec.maximum,
            event_type=field_spec.event_type,
            required=field_spec.required,
            required_when=tuple((key, tuple(values)) for key, values in (field_spec.required_when or {}).items()),
            description=field_spec.description,
        ))
        for field_name, field_spec in spec.fields.items())
    return ir.EventType(name, spec.description, fields)


class _RuleCompiler:
    def __init__(self, pack: LoadedPack) -> None:
        self.pack = pack
        self.sources = {pack.files.display_path(relative): text for relative, text in pack.files.texts.items()}

    def text_of(self, span) -> str:
        """The source text a node was written as (its whole lines for multi-line nodes)."""
        if span is None or span.file not in self.sources:
            return ""
        lines = self.sources[span.file].split("\n")
        if span.line == span.end_line:
            return lines[span.line - 1][span.column - 1:span.end_column - 1]
        return "\n".join(lines[span.line - 1:span.end_line]).rstrip()

    def rule(self, rule: ast.RuleDecl) -> ir.Rule:
        clauses = rule.clauses
        when = _first(clauses, ast.When)
        expect = _first(clauses, (ast.Expect, ast.ExpectBefore, ast.Require))
        duty = _first(clauses, (ast.DutyFixed, ast.DutyCases))
        modality = _first(clauses, ast.Modality)
        exempt = _first(clauses, ast.Exempt)
        citations = tuple(text.value for cite in clauses if isinstance(cite, ast.Cite)
                          for text in cite.citations)
        bindings = {when.alias.value: tuple(name.value for name in when.event_types)}
        requirements = []
        for clause in clauses:
            if isinstance(clause, ast.OnlyIf):
                requirements.append(ir.Requirement(
                    clause.alias.value, clause.after.value,
                    ir.EventMatch((clause.event_type.value,), self.condition(clause.condition))))
                bindings[clause.alias.value] = (clause.event_type.value,)
        exclusions = tuple(
            ir.Exclusion(clause.after.value,
                         ir.EventMatch((clause.event_type.value,), self.condition(clause.condition)),
                         clause.on_or_before_due,
                         clause.before.value if clause.before else None)
            for clause in clauses if isinstance(clause, ast.Unless))
        span = rule.rule_id.span
        expectation, deadline, check = None, None, None
        if isinstance(expect, ast.Expect):
            expectation = self.expectation(expect.expected, bindings)
            deadline = self.deadline(expect.deadline)
        elif isinstance(expect, ast.ExpectBefore):
            expectation = ir.Expectation("before", expect.anchor.value,
                                         tuple(name.value for name in expect.event_types),
                                         self.condition(expect.condition))
        else:
            check = self.condition(expect.condition)
        return ir.Rule(
            id=rule.rule_id.value,
            title=rule.title.value,
            modality=modality.value,
            citations=citations,
            duty=self.duty(duty),
            trigger=ir.Trigger(when.alias.value,
                               ir.EventMatch(bindings[when.alias.value], self.condition(when.condition))),
            expectation=expectation,
            deadline=deadline,
            check=check,
            check_text=self.text_of(expect.condition.span) if check is not None else "",
            source_text=self.text_of(rule.span),
            requirements=tuple(requirements),
            exclusions=exclusions,
            exemption=ir.Exemption(exempt.event_type.value, exempt.between.value) if exempt else None,
            unconfirmed=tuple(clause.note.value for clause in clauses if isinstance(clause, ast.Unconfirmed)),
            see=tuple(name.value for clause in clauses if isinstance(clause, ast.See) for name in clause.rule_ids),
            source_file=span.file if span else "",
            source_line=span.line if span else 0,
        )

    # --- parts -------------------------------------------------------------------------------

    def duty(self, duty) -> ir.Duty:
        if isinstance(duty, ast.DutyFixed):
            return ir.Duty(holder=duty.holder.value)
        return ir.Duty(
            selector=_event_field(duty.selector),
            cases=tuple((case.value.value, case.holder.value) for case in duty.cases),
            otherwise=duty.otherwise.value if duty.otherwise else None)

    def expectation(self, expected, bindings) -> ir.Expectation:
        if isinstance(expected, ast.ExpectAfter):
            return ir.Expectation("after", expected.after.value,
                                  tuple(name.value for name in expected.event_types),
                                  self.condition(expected.condition),
                                  binding=expected.alias.value if expected.alias else None)
        if isinstance(expected, ast.ExpectResponse):
            anchor_types = bindings.get(expected.to.value, ())
            spec = self.pack.events[expected.event_type.value]
            link = next(name for name, field_spec in spec.fields.items()
                        if field_spec.type == "event_ref" and field_spec.event_type in anchor_types)
            return ir.Expectation("response", expected.to.value, (expected.event_type.value,),
                                  link_field=link,
                                  binding=expected.alias.value if expected.alias else None)
        return ir.Expectation("bound", expected.alias.value, binding=expected.alias.value)

    def deadline(self, deadline) -> ir.Deadline:
        if isinstance(deadline, ast.Within):
            return ir.Clock(deadline.unit, deadline.anchor.value, _amount(deadline.amount))
        if isinstance(deadline, ast.WithinMonthsStartingWith):
            return ir.Clock("months_starting_with", deadline.anchor.value, _amount(deadline.amount))
        if isinstance(deadline, ast.BySchoolDay):
            return ir.Clock("school_day_number", deadline.anchor.value, _amount(deadline.amount))
        if isinstance(deadline, ast.BeforeDayMonth):
            return ir.Clock("before_day_month", deadline.date_ref.alias,
                            anchor_field=deadline.date_ref.field or "date",
                            day=deadline.day, month=deadline.month)
        if isinstance(deadline, ast.ByDate):
            return ir.Clock("on_date", deadline.date_ref.alias, anchor_field=deadline.date_ref.field or "date")
        if isinstance(deadline, ast.MonthsBefore):
            return ir.Clock("months_before", deadline.date_ref.alias, _amount(deadline.amount),
                            anchor_field=deadline.date_ref.field or "date")
        if isinstance(deadline, ast.NotBefore):
            return ir.NotBefore(deadline.anchor.value, _amount(deadline.amount))
        if isinstance(deadline, ast.LaterOf):
            return ir.LaterOf(self.deadline(deadline.first), self.deadline(deadline.second))
        return ir.CaseClock(
            selector=_event_field(deadline.selector),
            cases=tuple((case.value.value, self.deadline(case.deadline)) for case in deadline.cases),
            otherwise=self.deadline(deadline.otherwise) if deadline.otherwise else None)

    def condition(self, condition) -> ir.Condition | None:
        if condition is None:
            return None
        if isinstance(condition, ast.AllOf):
            return ir.AllOf(tuple(self.condition(part) for part in condition.parts))
        if isinstance(condition, ast.AnyOf):
            return ir.AnyOf(tuple(self.condition(part) for part in condition.parts))
        if isinstance(condition, ast.Not):
            return ir.Negation(self.condition(condition.operand))
        if isinstance(condition, ast.Presence):
            return ir.Present(self.operand(condition.operand), condition.present)
        if isinstance(condition, ast.Membership):
            return ir.OneOf(self.operand(condition.operand),
                            tuple(literal.value for literal in condition.values))
        return ir.Compare(condition.operator, self.operand(condition.left), self.operand(condition.right))

    def operand(self, operand) -> ir.Operand:
        if isinstance(operand, ast.Literal):
            return ir.Constant(operand.value)
        if isinstance(operand, ast.DueDate):
            return ir.DueDate()
        if isinstance(operand, ast.ChildAgeAt):
            return ir.ChildAge(operand.at.value)
        if isinstance(operand, ast.ChildSchoolYearAt):
            return ir.ChildSchoolYear(operand.at.value)
        if isinstance(operand, ast.FieldName):
            return ir.EventField(None, operand.name.value)
        parts = operand.parts
        if parts[0] == "params":
            return ir.ParameterValue(".".join(parts[1:]))
        if parts[0] == "child":
            return ir.ChildField(parts[1])
        return ir.EventField(parts[0], parts[1])


    def table(self, table: ast.TableDecl) -> ir.DecisionTable:
        clauses = table.clauses
        given = _first(clauses, ast.Given)
        policy = _first(clauses, ast.HitPolicy)
        illustrative = _first(clauses, ast.Illustrative)
        rows = tuple(
            ir.TableRow(number, tuple(ir.CellTest(cell.kind, tuple(literal.value for literal in cell.values),
                                                  cell.operator) for cell in row.inputs),
                        tuple(literal.value for literal in row.outputs),
                        row.span.line if row.span else 0)
            for number, row in enumerate(table.rows, start=1))
        first_row = table.rows[0].outputs if table.rows else ()
        output_types = tuple("boolean" if isinstance(literal.value, bool) else
                             "integer" if isinstance(literal.value, int) else "text" for literal in first_row)
        span = table.table_id.span
        return ir.DecisionTable(
            id=table.table_id.value,
            title=table.title.value,
            citations=tuple(text.value for clause in clauses if isinstance(clause, ast.Cite)
                            for text in clause.citations),
            event_type=given.event_type.value,
            binding=given.alias.value,
            hit_policy=policy.value,
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


def _first(clauses, kind):
    return next((clause for clause in clauses if isinstance(clause, kind)), None)


def _amount(amount: ast.Amount) -> ir.Amount:
    if amount.parameter is not None:
        return ir.Amount(parameter=amount.parameter.value[len("params."):])
    return ir.Amount(value=amount.value)


def _event_field(reference: ast.Reference) -> ir.EventField:
    alias, field = reference.parts
    return ir.EventField(alias, field)
