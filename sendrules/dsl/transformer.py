"""Parse tree -> AST. Nothing else happens here: no name resolution and no checks."""

from __future__ import annotations

from datetime import date

from typing import Any, TypeVar

from lark import Token, Transformer, v_args
from lark.tree import Meta

from sendrules.dsl import ast

MONTH_NUMBERS = {
    name: number
    for number, name in enumerate(
        (
            "January",
            "February",
            "March",
            "April",
            "May",
            "June",
            "July",
            "August",
            "September",
            "October",
            "November",
            "December",
        ),
        start=1,
    )
}


#: A node's children as Lark hands them to a callback: tokens and the nodes built below.
Children = list[Any]
_Node = TypeVar("_Node")


def _span_of_token(path: str, token: Token) -> ast.Span:
    # the parser is built with position tracking, so every token has its positions
    assert token.line is not None and token.column is not None
    assert token.end_line is not None and token.end_column is not None
    return ast.Span(path, token.line, token.column, token.end_line, token.end_column)


@v_args(meta=True)
class AstBuilder(Transformer[Token, ast.RulesFile]):
    """Builds the AST of one file. ``path`` is recorded in every span."""

    def __init__(self, path: str) -> None:
        super().__init__()
        self.path = path
        #: Problems found while building (bad date literals): (code, message, span).
        self.problems: list[tuple[str, str, ast.Span]] = []

    # --- helpers -----------------------------------------------------------------------------

    def _span(self, meta: Meta) -> ast.Span | None:
        if getattr(meta, "empty", True):
            return None
        return ast.Span(self.path, meta.line, meta.column, meta.end_line, meta.end_column)

    def _name(self, token: Token) -> ast.Name:
        return ast.Name(str(token), span=_span_of_token(self.path, token))

    def _text(self, token: Token) -> ast.Text:
        return ast.Text(str(token)[1:-1], span=_span_of_token(self.path, token))

    def _optional(self, children: Children, kind: type[_Node]) -> _Node | None:
        for child in children:
            if isinstance(child, kind):
                return child
        return None

    # --- file and rule -----------------------------------------------------------------------

    def start(self, meta: Meta, children: Children) -> ast.RulesFile:
        rules = tuple(child for child in children if isinstance(child, ast.RuleDecl))
        tables = tuple(child for child in children if isinstance(child, ast.TableDecl))
        return ast.RulesFile(self.path, rules, tables)

    def rule_decl(self, meta: Meta, children: Children) -> ast.RuleDecl:
        rule_id, title, *clauses = children
        return ast.RuleDecl(self._name(rule_id), self._text(title), tuple(clauses), span=self._span(meta))

    # --- header clauses ----------------------------------------------------------------------

    def duty_fixed(self, meta: Meta, children: Children) -> ast.DutyFixed:
        return ast.DutyFixed(self._name(children[0]), span=self._span(meta))

    def duty_case(self, meta: Meta, children: Children) -> ast.DutyCase:
        value, holder = children
        return ast.DutyCase(self._text(value), self._name(holder), span=self._span(meta))

    def otherwise_duty(self, meta: Meta, children: Children) -> ast.Name:
        return self._name(children[0])

    def duty_cases(self, meta: Meta, children: Children) -> ast.DutyCases:
        selector, *rest = children
        cases = tuple(child for child in rest if isinstance(child, ast.DutyCase))
        otherwise = self._optional(rest, ast.Name)
        reference = ast.Reference(self._name(selector), span=_span_of_token(self.path, selector))
        return ast.DutyCases(reference, cases, otherwise, span=self._span(meta))

    def modality_clause(self, meta: Meta, children: Children) -> ast.Modality:
        return ast.Modality(str(children[0]), span=self._span(meta))

    def cite_clause(self, meta: Meta, children: Children) -> ast.Cite:
        return ast.Cite(tuple(self._text(token) for token in children), span=self._span(meta))

    def unconfirmed_clause(self, meta: Meta, children: Children) -> ast.Unconfirmed:
        return ast.Unconfirmed(self._text(children[0]), span=self._span(meta))

    def see_clause(self, meta: Meta, children: Children) -> ast.See:
        return ast.See(tuple(self._name(token) for token in children), span=self._span(meta))

    def _date(self, token: Token) -> date | None:
        try:
            return date.fromisoformat(str(token))
        except ValueError:
            self.problems.append(
                (
                    "invalid_date",
                    f"'{token}' is not a real date (use YYYY-MM-DD)",
                    _span_of_token(self.path, token),
                )
            )
            return None

    def until_part(self, meta: Meta, children: Children) -> tuple[str, date | None]:
        return ("until", self._date(children[0]))

    def in_force_clause(self, meta: Meta, children: Children) -> ast.InForce:
        start = self._date(children[0])
        until = children[1] if len(children) > 1 else None
        return ast.InForce(start, until[1] if until else None, until is not None, span=self._span(meta))

    # --- when / only if / unless -------------------------------------------------------------

    def event_types(self, meta: Meta, children: Children) -> tuple[ast.Name, ...]:
        return tuple(self._name(token) for token in children)

    def where_part(self, meta: Meta, children: Children) -> ast.Condition:
        condition: ast.Condition = children[0]
        return condition

    def when_clause(self, meta: Meta, children: Children) -> ast.When:
        event_types, alias, *rest = children
        condition = rest[0] if rest else None
        return ast.When(event_types, self._name(alias), condition, span=self._span(meta))

    def only_if_clause(self, meta: Meta, children: Children) -> ast.OnlyIf:
        event_type, after, *rest = children
        alias = rest[-1]
        condition = rest[0] if len(rest) == 2 else None
        return ast.OnlyIf(
            self._name(event_type), self._name(after), condition, self._name(alias), span=self._span(meta)
        )

    def only_if_within(self, meta: Meta, children: Children) -> ast.OnlyIfWithin:
        subject, amount, unit, reference = children
        return ast.OnlyIfWithin(
            self._name(subject), amount, unit, self._name(reference), span=self._span(meta)
        )

    def by_due(self, meta: Meta, children: Children) -> str:
        return "by_due"

    def before_event(self, meta: Meta, children: Children) -> tuple[str, ast.Name]:
        return ("before", self._name(children[0]))

    def unless_clause(self, meta: Meta, children: Children) -> ast.Unless:
        event_type, after, *rest = children
        condition = None
        on_or_before_due = False
        before = None
        for part in rest:
            if part == "by_due":
                on_or_before_due = True
            elif isinstance(part, tuple) and part and part[0] == "before":
                before = part[1]
            else:
                condition = part
        return ast.Unless(
            self._name(event_type),
            self._name(after),
            condition,
            on_or_before_due,
            before,
            span=self._span(meta),
        )

    # --- expect / exempt ---------------------------------------------------------------------

    def alias_part(self, meta: Meta, children: Children) -> tuple[str, ast.Name]:
        return ("alias", self._name(children[0]))

    def expect_after(self, meta: Meta, children: Children) -> ast.ExpectAfter:
        event_types, after, *rest = children
        condition = None
        alias = None
        for part in rest:
            if isinstance(part, tuple) and part[0] == "alias":
                alias = part[1]
            else:
                condition = part
        return ast.ExpectAfter(event_types, self._name(after), condition, alias, span=self._span(meta))

    def search_from(self, meta: Meta, children: Children) -> ast.MonthsBefore:
        amount, _months, date_ref = children
        return ast.MonthsBefore(amount, date_ref, span=self._span(meta))

    def expect_from(self, meta: Meta, children: Children) -> ast.ExpectAfter:
        event_types, search_from, *rest = children
        condition = None
        alias = None
        for part in rest:
            if isinstance(part, tuple) and part[0] == "alias":
                alias = part[1]
            else:
                condition = part
        anchor = ast.Name(search_from.date_ref.alias, span=search_from.date_ref.span)
        return ast.ExpectAfter(
            event_types, anchor, condition, alias, span=self._span(meta), search_from=search_from
        )

    def expect_response(self, meta: Meta, children: Children) -> ast.ExpectResponse:
        event_type, to, *rest = children
        alias = rest[0][1] if rest else None
        return ast.ExpectResponse(self._name(event_type), self._name(to), alias, span=self._span(meta))

    def expect_bound(self, meta: Meta, children: Children) -> ast.ExpectBound:
        return ast.ExpectBound(self._name(children[0]), span=self._span(meta))

    def expect_clause(self, meta: Meta, children: Children) -> ast.Expect:
        expected, deadline = children
        return ast.Expect(expected, deadline, span=self._span(meta))

    def expect_before(self, meta: Meta, children: Children) -> ast.ExpectBefore:
        event_types, anchor, *rest = children
        return ast.ExpectBefore(
            event_types, self._name(anchor), rest[0] if rest else None, span=self._span(meta)
        )

    def expect_clear_before(self, meta: Meta, children: Children) -> ast.ExpectClearBefore:
        event_types, amount, _days, anchor, *rest = children
        return ast.ExpectClearBefore(
            event_types, amount, self._name(anchor), rest[0] if rest else None, span=self._span(meta)
        )

    def require_clause(self, meta: Meta, children: Children) -> ast.Require:
        return ast.Require(children[0], span=self._span(meta))

    def exempt_clause(self, meta: Meta, children: Children) -> ast.Exempt:
        event_type, *condition, between = children
        return ast.Exempt(
            self._name(event_type),
            self._name(between),
            span=self._span(meta),
            condition=condition[0] if condition else None,
        )

    # --- deadlines ---------------------------------------------------------------------------

    def amount(self, meta: Meta, children: Children) -> ast.Amount:
        token = children[0]
        span = _span_of_token(self.path, token)
        if token.type == "INT":
            return ast.Amount(value=int(token), span=span)
        return ast.Amount(parameter=self._name(token), span=span)

    def unit(self, meta: Meta, children: Children) -> str:
        words = [str(token) for token in children]
        if len(words) == 2:
            return f"{words[0]}_days"  # working_days, school_days
        word = words[0]
        return {"week": "weeks", "day": "days", "month": "months"}.get(word, word)

    def date_ref(self, meta: Meta, children: Children) -> ast.DateRef:
        token = children[0]
        return ast.DateRef(self._name(token), span=_span_of_token(self.path, token))

    def within(self, meta: Meta, children: Children) -> ast.Within:
        amount, unit, anchor = children
        return ast.Within(amount, unit, self._name(anchor), span=self._span(meta))

    def within_beginning_with(self, meta: Meta, children: Children) -> ast.WithinBeginningWith:
        amount, unit, anchor = children
        return ast.WithinBeginningWith(amount, unit, self._name(anchor), span=self._span(meta))

    def within_months_starting(self, meta: Meta, children: Children) -> ast.WithinMonthsStartingWith:
        amount, _months, anchor = children
        return ast.WithinMonthsStartingWith(amount, self._name(anchor), span=self._span(meta))

    def by_school_day(self, meta: Meta, children: Children) -> ast.BySchoolDay:
        amount, anchor = children
        return ast.BySchoolDay(amount, self._name(anchor), span=self._span(meta))

    def by_date(self, meta: Meta, children: Children) -> ast.ByDate:
        return ast.ByDate(children[0], span=self._span(meta))

    def before_day_month(self, meta: Meta, children: Children) -> ast.BeforeDayMonth:
        day, month, date_ref = children
        return ast.BeforeDayMonth(int(day), MONTH_NUMBERS[str(month)], date_ref, span=self._span(meta))

    def months_before(self, meta: Meta, children: Children) -> ast.MonthsBefore:
        amount, _months, date_ref = children
        return ast.MonthsBefore(amount, date_ref, span=self._span(meta))

    def not_before(self, meta: Meta, children: Children) -> ast.NotBefore:
        amount, _days, anchor = children
        return ast.NotBefore(amount, self._name(anchor), span=self._span(meta))

    def deadline_case(self, meta: Meta, children: Children) -> ast.DeadlineCase:
        value, deadline = children
        return ast.DeadlineCase(self._text(value), deadline, span=self._span(meta))

    def otherwise_deadline(self, meta: Meta, children: Children) -> tuple[str, ast.Deadline]:
        return ("otherwise", children[0])

    def deadline_cases(self, meta: Meta, children: Children) -> ast.DeadlineCases:
        selector, *rest = children
        cases = tuple(child for child in rest if isinstance(child, ast.DeadlineCase))
        otherwise = next((child[1] for child in rest if isinstance(child, tuple)), None)
        reference = ast.Reference(self._name(selector), span=_span_of_token(self.path, selector))
        return ast.DeadlineCases(reference, cases, otherwise, span=self._span(meta))

    def later_of(self, meta: Meta, children: Children) -> ast.LaterOf:
        first, second = children
        return ast.LaterOf(first, second, span=self._span(meta))

    # --- conditions --------------------------------------------------------------------------

    def any_of(self, meta: Meta, children: Children) -> ast.AnyOf:
        return ast.AnyOf(tuple(children), span=self._span(meta))

    def all_of(self, meta: Meta, children: Children) -> ast.AllOf:
        return ast.AllOf(tuple(children), span=self._span(meta))

    def not_(self, meta: Meta, children: Children) -> ast.Not:
        return ast.Not(children[0], span=self._span(meta))

    def comparison(self, meta: Meta, children: Children) -> ast.Comparison:
        left, operator, right = children
        return ast.Comparison(str(operator), left, right, span=self._span(meta))

    def membership(self, meta: Meta, children: Children) -> ast.Membership:
        operand, *values = children
        return ast.Membership(operand, tuple(values), span=self._span(meta))

    def presence(self, meta: Meta, children: Children) -> ast.Presence:
        operand, word = children
        return ast.Presence(operand, str(word) == "present", span=self._span(meta))

    def field(self, meta: Meta, children: Children) -> ast.FieldName:
        token = children[0]
        return ast.FieldName(self._name(token), span=_span_of_token(self.path, token))

    def reference(self, meta: Meta, children: Children) -> ast.Reference:
        token = children[0]
        return ast.Reference(self._name(token), span=_span_of_token(self.path, token))

    def age_at(self, meta: Meta, children: Children) -> ast.ChildAgeAt:
        return ast.ChildAgeAt(self._name(children[-1]), span=self._span(meta))

    def school_year_at(self, meta: Meta, children: Children) -> ast.ChildSchoolYearAt:
        return ast.ChildSchoolYearAt(self._name(children[-1]), span=self._span(meta))

    def total_in_school_year(self, meta: Meta, children: Children) -> ast.TotalInSchoolYear:
        field, event_type, *half, at = [child for child in children if not _is_school(child)]
        return ast.TotalInSchoolYear(
            self._name(field),
            self._name(event_type),
            self._name(at),
            span=self._span(meta),
            half_if=half[0] if half else None,
        )

    def counting_half(self, meta: Meta, children: Children) -> ast.Name:
        return self._name(children[0])

    def compulsory_school_age_at(self, meta: Meta, children: Children) -> ast.CompulsorySchoolAgeAt:
        return ast.CompulsorySchoolAgeAt(self._name(children[-1]), span=self._span(meta))

    def due(self, meta: Meta, children: Children) -> ast.DueDate:
        return ast.DueDate(span=self._span(meta))

    def literal(self, meta: Meta, children: Children) -> ast.Literal:
        token = children[0]
        span = _span_of_token(self.path, token)
        kind = token.type
        if kind == "STRING":
            return ast.Literal(str(token)[1:-1], span=span)
        if kind == "INT":
            return ast.Literal(int(token), span=span)
        if kind == "DATE":
            try:
                return ast.Literal(date.fromisoformat(str(token)), span=span)
            except ValueError:
                self.problems.append(("invalid_date", f"'{token}' is not a real date (use YYYY-MM-DD)", span))
                return ast.Literal(str(token), span=span)
        return ast.Literal(kind == "TRUE", span=span)

    # --- decision tables ---------------------------------------------------------------------

    def run_clause(self, meta: Meta, children: Children) -> ast.RunOf:
        amount, event_type, *condition, length_field, alias = [
            child for child in children if not _is_school(child)
        ]
        return ast.RunOf(
            amount,
            self._name(event_type),
            self._name(length_field),
            self._name(alias),
            span=self._span(meta),
            condition=condition[0] if condition else None,
        )

    def absences_clause(self, meta: Meta, children: Children) -> ast.AbsencesReaching:
        amount, start_type, end_type, alias = [child for child in children if not _is_school(child)]
        return ast.AbsencesReaching(
            amount, self._name(start_type), self._name(end_type), self._name(alias), span=self._span(meta)
        )

    def window_clause(self, meta: Meta, children: Children) -> ast.Window:
        return ast.Window(tuple(children), span=self._span(meta))

    def close_end_of_run(self, meta: Meta, children: Children) -> ast.CloseAtEndOfRun:
        return ast.CloseAtEndOfRun(span=self._span(meta))

    def close_at_next(self, meta: Meta, children: Children) -> ast.CloseAtNext:
        return ast.CloseAtNext(self._name(children[0]), span=self._span(meta))

    def close_after(self, meta: Meta, children: Children) -> ast.CloseAfter:
        amount, unit, anchor = children
        return ast.CloseAfter(amount, unit, self._name(anchor), span=self._span(meta))

    def illustrative_clause(self, meta: Meta, children: Children) -> ast.Illustrative:
        return ast.Illustrative(self._text(children[0]), span=self._span(meta))

    def given_clause(self, meta: Meta, children: Children) -> ast.Given:
        event_type, alias = children
        return ast.Given(self._name(event_type), self._name(alias), span=self._span(meta))

    def hit_policy_clause(self, meta: Meta, children: Children) -> ast.HitPolicy:
        return ast.HitPolicy(str(children[0]), span=self._span(meta))

    def header_cell(self, meta: Meta, children: Children) -> ast.Name:
        return self._name(children[0])

    def table_header(
        self, meta: Meta, children: Children
    ) -> tuple[str, tuple[ast.Name, ...], tuple[ast.Name, ...]]:
        split = next(
            i for i, child in enumerate(children) if isinstance(child, Token) and child.type == "SEPARATOR"
        )
        return ("header", tuple(children[:split]), tuple(children[split + 1 :]))

    def cell_any(self, meta: Meta, children: Children) -> ast.Cell:
        return ast.Cell("any", span=self._span(meta))

    def cell_equals(self, meta: Meta, children: Children) -> ast.Cell:
        return ast.Cell("equals", (children[0],), span=self._span(meta))

    def cell_one_of(self, meta: Meta, children: Children) -> ast.Cell:
        return ast.Cell("one_of", tuple(children), span=self._span(meta))

    def cell_range(self, meta: Meta, children: Children) -> ast.Cell:
        low, high = children
        literals = (
            ast.Literal(int(low), span=_span_of_token(self.path, low)),
            ast.Literal(int(high), span=_span_of_token(self.path, high)),
        )
        return ast.Cell("range", literals, span=self._span(meta))

    def cell_compare(self, meta: Meta, children: Children) -> ast.Cell:
        operator, value = children
        return ast.Cell("compare", (value,), str(operator), span=self._span(meta))

    def output_cell(self, meta: Meta, children: Children) -> ast.Literal:
        literal: ast.Literal = children[0]
        return literal

    def table_row(self, meta: Meta, children: Children) -> ast.TableRow:
        split = next(
            i for i, child in enumerate(children) if isinstance(child, Token) and child.type == "SEPARATOR"
        )
        inputs = tuple(children[:split])
        outputs = tuple(children[split + 1 :])
        return ast.TableRow(inputs, outputs, span=self._span(meta))

    def table_decl(self, meta: Meta, children: Children) -> ast.TableDecl:
        table_id, title, *rest = children
        clauses = tuple(
            child
            for child in rest
            if isinstance(child, (ast.Cite, ast.Unconfirmed, ast.Illustrative, ast.Given, ast.HitPolicy))
        )
        _, inputs, outputs = next(
            child for child in rest if isinstance(child, tuple) and child[0] == "header"
        )
        rows = tuple(child for child in rest if isinstance(child, ast.TableRow))
        return ast.TableDecl(
            self._name(table_id), self._text(title), clauses, inputs, outputs, rows, span=self._span(meta)
        )


def _is_school(child: object) -> bool:
    """The keyword ``school`` (a named token, kept in the tree) among a rule's children."""
    return isinstance(child, Token) and child.type == "SCHOOL"
