"""The canonical layout of a ``.rules`` file (``sendrules fmt``).

The formatter changes whitespace and nothing else: it parses the file with the language's own
grammar (``grammar.lark``) into a concrete syntax tree that keeps every token, brackets
included, lays the tokens out again, and refuses to return a text whose tokens differ from
the input's. Comments are kept: the lexer hands them over as it skips them, and each is
attached to the token it precedes (a comment on its own line) or follows (a comment at the end
of a line).

The layout, one rule per construct (``LAYOUTS``), is the one the published packs are written
in:

* a declaration (``rule``/``table``) starts at column 1; its clauses one per line, indented
  2 spaces; one blank line between declarations; no blank lines inside one;
* a ``where`` stays on its clause's line when the line fits in ``WIDTH`` columns, otherwise it
  goes on the next line, indented 2 more; a condition still too long breaks before each
  top-level ``or`` (or ``and``), the word right-aligned under ``where``;
* a deadline goes on the line after its ``expect``, indented 2 more; the cases of a
  ``depending on`` one per line, 2 more again; ``the later of A`` puts ``and B`` on the next
  line with B under A;
* the cells of a decision table are padded so that its columns line up;
* inside a line, tokens are separated by one space, with none before ``,``, ``)`` and ``]``,
  none after ``(`` and ``[``, and none around ``..``.

Every construct of the grammar must have an entry in ``LAYOUTS``: a construct the formatter
does not know is an error (``UnknownConstruct``), never a guess, and
``tests/dsl/test_formatter.py`` fails when the grammar gains a construct that has no entry.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Callable

from lark import Lark, Token, Tree
from lark.exceptions import UnexpectedInput

from sendrules.dsl.diagnostics import Diagnostic
from sendrules.dsl.parser import parse_rules_file

#: The width a line is kept within where the layout offers a choice (long titles and
#: citations are never broken: a string cannot be).
WIDTH = 100
#: Indentation of a clause inside a declaration, and of each level below it.
STEP = 2
#: Spaces between the code and a comment at the end of its line.
TRAILING_COMMENT_GAP = "  "

_NO_SPACE_BEFORE = {",", ")", "]", ".."}
_NO_SPACE_AFTER = {"(", "[", ".."}


class FormatError(Exception):
    """The file cannot be formatted: it has syntax errors (``diagnostics`` says where)."""

    def __init__(self, diagnostics: list[Diagnostic]) -> None:
        super().__init__("; ".join(d.one_line() for d in diagnostics))
        self.diagnostics = diagnostics


class UnknownConstruct(Exception):
    """The grammar produced a construct that ``LAYOUTS`` has no layout for (a formatter bug:
    a construct was added to ``grammar.lark`` without telling the formatter)."""


class FormatterBug(Exception):
    """The laid-out text would not read back as the same tokens and comments. Never written."""


# --- lines ---------------------------------------------------------------------------------


@dataclass
class Line:
    """One output line: its indentation, the source tokens on it, and (for table rows, whose
    cells are padded) the text to print instead of the tokens joined by spaces."""

    indent: int
    tokens: list[Token]
    text: str | None = None

    def render(self) -> str:
        return " " * self.indent + (self.text if self.text is not None else join_tokens(self.tokens))

    @property
    def width(self) -> int:
        return len(self.render())


Block = list[Line]


def join_tokens(tokens: list[Token]) -> str:
    """Tokens as one line of text: one space between tokens, except around brackets, commas
    and ``..``."""
    text = ""
    previous = None
    for token in tokens:
        value = str(token)
        if previous is not None and value not in _NO_SPACE_BEFORE and previous not in _NO_SPACE_AFTER:
            text += " "
        text += value
        previous = value
    return text


def leaves(node: Tree[Token] | Token) -> list[Token]:
    """Every token of a subtree, in source order."""
    if isinstance(node, Token):
        return [node]
    return [token for child in node.children for token in leaves(child)]


def _token(item: Tree[Token] | Token) -> Token:
    """A child that the grammar makes a token (a keyword, a name, a value)."""
    assert isinstance(item, Token), f"expected a token, not {item!r}"
    return item


def _tree(item: Tree[Token] | Token) -> Tree[Token]:
    """A child that the grammar makes a construct of its own."""
    assert isinstance(item, Tree), f"expected a construct, not {item!r}"
    return item


def _start(token: Token) -> int:
    # the parser is built with position tracking: every token has its positions
    assert token.start_pos is not None
    return token.start_pos


def _line(token: Token) -> int:
    assert token.line is not None
    return token.line


def _end_line(token: Token) -> int:
    assert token.end_line is not None
    return token.end_line


def _prefixed(prefix: list[Token], block: Block) -> Block:
    """``prefix`` written in front of the first line of ``block`` (which was laid out to start
    where the prefix ends, one space after it)."""
    first = block[0]
    indent = first.indent - len(join_tokens(prefix)) - 1
    return [Line(indent, prefix + first.tokens)] + block[1:]


# --- layouts, one per construct --------------------------------------------------------------

Layout = Callable[["Formatter", Tree[Token], int], Block]


def inline(formatter: "Formatter", node: Tree[Token], column: int) -> Block:
    """The whole construct on one line."""
    return [Line(column, leaves(node))]


def declaration(formatter: "Formatter", node: Tree[Token], column: int) -> Block:
    """``rule``/``table``: the header (keyword, id, title) on one line, then each clause on
    its own lines, one step in. A table's header row and rows are laid out together."""
    header = [child for child in node.children if isinstance(child, Token)]
    lines = [Line(column, header)]
    parts = [child for child in node.children if isinstance(child, Tree)]
    rows = [part for part in parts if part.data in ("table_header", "table_row")]
    for part in parts:
        if part.data not in ("table_header", "table_row"):
            lines.extend(formatter.layout(part, column + STEP))
    if rows:
        lines.extend(table_lines(rows, column + STEP))
    return lines


def with_where(formatter: "Formatter", node: Tree[Token], column: int) -> Block:
    """A clause that may hold a ``where`` condition (see the module docstring)."""
    items = _split_at_where(node)
    before, where, after = items
    if where is None:
        return [Line(column, before)]
    where_tokens = leaves(where)
    one_line = Line(column, before + where_tokens + after)
    if one_line.width <= WIDTH:
        return [one_line]
    inner = column + STEP
    next_line = Line(inner, where_tokens + after)
    condition = where.children[1]
    if next_line.width <= WIDTH or not (
        isinstance(condition, Tree) and condition.data in ("any_of", "all_of")
    ):
        return [Line(column, before), next_line]
    where_word = where.children[0]
    lines = [Line(column, before)]
    operands = condition.children
    lines.append(Line(inner, [_token(where_word)] + leaves(operands[0])))
    for index in range(1, len(operands), 2):
        word, operand = operands[index], operands[index + 1]
        lines.append(Line(inner + len(str(where_word)) - len(str(word)), [_token(word)] + leaves(operand)))
    lines[-1].tokens.extend(after)
    return lines


def _split_at_where(node: Tree[Token]) -> tuple[list[Token], Tree[Token] | None, list[Token]]:
    """The tokens before a ``where_part``, the part itself, and the tokens after it."""
    before: list[Token] = []
    after: list[Token] = []
    found: Tree[Token] | None = None

    def walk(item: Tree[Token] | Token) -> None:
        nonlocal found
        if isinstance(item, Tree) and item.data == "where_part" and found is None:
            found = item
            return
        if isinstance(item, Token):
            (after if found is not None else before).append(item)
            return
        for child in item.children:
            walk(child)

    walk(node)
    return before, found, after


def expect(formatter: "Formatter", node: Tree[Token], column: int) -> Block:
    """``expect WHAT`` (with its ``where`` laid out as any clause's), then the deadline on
    the next lines, one step in."""
    keyword, expected, deadline = node.children
    head = with_where(formatter, Tree("expect_head", [keyword, expected]), column)
    return head + formatter.layout(_tree(deadline), column + STEP)


def cases(formatter: "Formatter", node: Tree[Token], column: int) -> Block:
    """``depending on X`` (or ``duty depending on X``), then each case on its own line, one
    step in."""
    head = [child for child in node.children if isinstance(child, Token)]
    lines = [Line(column, head)]
    for case in node.children:
        if isinstance(case, Tree):
            lines.extend(formatter.layout(case, column + STEP))
    return lines


def case(formatter: "Formatter", node: Tree[Token], column: int) -> Block:
    """``"value" -> X`` / ``otherwise -> X``: X may itself span lines (a deadline)."""
    prefix, target = [_token(item) for item in node.children[:-1]], node.children[-1]
    if isinstance(target, Token):
        return [Line(column, prefix + [target])]
    start = column + len(join_tokens(prefix)) + 1
    return _prefixed(prefix, formatter.layout(target, start))


def later_of(formatter: "Formatter", node: Tree[Token], column: int) -> Block:
    """``the later of A`` / ``and B`` on the next line, B starting under A."""
    the, later, of, first, and_, second = node.children
    prefix = [_token(the), _token(later), _token(of)]
    start = column + len(join_tokens(prefix)) + 1
    return _prefixed(prefix, formatter.layout(_tree(first), start)) + _prefixed(
        [_token(and_)], formatter.layout(_tree(second), start)
    )


def never_a_node(formatter: "Formatter", node: Tree[Token], column: int) -> Block:
    """Rules the parser always inlines (``?rule`` with one child): they never reach here."""
    raise UnknownConstruct(f"'{node.data}' was not expected in a parse tree")


def part_of_parent(formatter: "Formatter", node: Tree[Token], column: int) -> Block:
    """Laid out by the construct that contains it (a table's rows, a clause's ``where``)."""
    return inline(formatter, node, column)


def table_lines(rows: list[Tree[Token]], column: int) -> Block:
    """A table's header row and rows, the cells of each column padded to the widest."""
    cells = [_row_cells(row) for row in rows]
    widths: dict[tuple[int, int], int] = {}
    for inputs, outputs in cells:
        for side, group in enumerate((inputs, outputs)):
            for index, text in enumerate(group):
                widths[(side, index)] = max(widths.get((side, index), 0), len(text))
    lines = []
    for row, (inputs, outputs) in zip(rows, cells):
        padded = [
            [text.ljust(widths[(side, index)]) for index, text in enumerate(group)]
            for side, group in enumerate((inputs, outputs))
        ]
        text = "| " + " | ".join(padded[0]) + " || " + " | ".join(padded[1]) + " |"
        lines.append(Line(column, leaves(row), text=text))
    return lines


def _row_cells(row: Tree[Token]) -> tuple[list[str], list[str]]:
    inputs: list[str] = []
    outputs: list[str] = []
    side = inputs
    for child in row.children:
        if isinstance(child, Token):
            if child.type == "SEPARATOR":
                side = outputs
            continue
        side.append(join_tokens(leaves(child)))
    return inputs, outputs


#: How each construct of the grammar is laid out: every rule name and alias of
#: ``grammar.lark`` that can appear in a parse tree. Adding a construct to the grammar means
#: adding it here (the test suite fails until then). Phrase-level constructs are ``inline``;
#: the layout of the clause they sit in decides where lines break.
LAYOUTS: dict[str, Layout] = {
    # declarations
    "rule_decl": declaration,
    "table_decl": declaration,
    # clauses of a rule
    "duty_fixed": inline,
    "duty_cases": cases,
    "duty_case": case,
    "otherwise_duty": case,
    "modality_clause": inline,
    "cite_clause": inline,
    "unconfirmed_clause": inline,
    "see_clause": inline,
    "when_clause": with_where,
    "only_if_clause": with_where,
    "only_if_within": inline,  # (language 4)
    "unless_clause": with_where,
    "expect_clause": expect,
    "expect_before": with_where,
    "expect_clear_before": with_where,  # (language 4)
    "require_clause": inline,
    "exempt_clause": with_where,
    "in_force_clause": inline,
    "until_part": inline,
    # parts of clauses
    "event_types": inline,
    "where_part": part_of_parent,
    "by_due": inline,
    "before_event": inline,
    "expect_after": with_where,
    "expect_response": inline,
    "expect_from": with_where,
    "search_from": inline,
    "expect_bound": inline,
    "alias_part": inline,
    # deadlines
    "within": inline,
    "within_beginning_with": inline,
    "within_months_starting": inline,
    "by_school_day": inline,
    "by_date": inline,
    "before_day_month": inline,
    "months_before": inline,
    "not_before": inline,
    "deadline_cases": cases,
    "deadline_case": case,
    "otherwise_deadline": case,
    "later_of": later_of,
    "amount": inline,
    "unit": inline,
    "date_ref": inline,
    # conditions (broken across lines only by the clause's ``where``)
    "any_of": inline,
    "all_of": inline,
    "negation": inline,  # a bracketed condition
    "not_": inline,
    "comparison": inline,
    "membership": inline,
    "presence": inline,
    "field": inline,
    "reference": inline,
    "due": inline,
    "age_at": inline,
    "school_year_at": inline,
    "compulsory_school_age_at": inline,
    "total_in_school_year": inline,
    "counting_half": inline,
    "run_clause": inline,
    "absences_clause": inline,
    "window_clause": inline,
    "close_end_of_run": inline,
    "close_at_next": inline,
    "close_after": inline,
    "literal": inline,
    # decision tables
    "illustrative_clause": inline,
    "given_clause": inline,
    "hit_policy_clause": inline,
    "table_header": part_of_parent,
    "header_cell": part_of_parent,
    "table_row": part_of_parent,
    "cell_any": part_of_parent,
    "cell_equals": part_of_parent,
    "cell_one_of": part_of_parent,
    "cell_range": part_of_parent,
    "cell_compare": part_of_parent,
    "output_cell": part_of_parent,
    # rules the parser always inlines
    "start": never_a_node,
    "clause": never_a_node,
    "condition": never_a_node,
    "operand": never_a_node,
    "table_clause": never_a_node,
}


# --- comments --------------------------------------------------------------------------------


@dataclass
class Comment:
    token: Token
    #: A blank line separated it from what came before it in the source.
    blank_before: bool

    @property
    def text(self) -> str:
        return str(self.token).rstrip()


@dataclass
class Comments:
    """Where each comment goes: before a token, after a token, at the end of a declaration,
    or at the end of the file."""

    leading: dict[int, list[Comment]] = field(default_factory=dict)  # id(token) -> comments
    trailing: dict[int, Comment] = field(default_factory=dict)
    #: A blank line between a token's leading comments and the token itself.
    blank_after: set[int] = field(default_factory=set)
    ending: dict[int, list[Comment]] = field(default_factory=dict)  # declaration index -> comments
    file_end: list[Comment] = field(default_factory=list)


def attach_comments(declarations: list[Tree[Token]], comments: list[Token]) -> Comments:
    """Attach each comment to a token (see the module docstring). Comments on their own lines
    right under a declaration, indented, with no blank line before them, and followed by the
    next declaration or the end of the file, belong to the end of that declaration rather
    than to what follows."""
    tokens: list[tuple[Token, int]] = []  # token, index of its declaration
    for index, declaration_node in enumerate(declarations):
        tokens.extend((token, index) for token in leaves(declaration_node))
    starts = {id(leaves(node)[0]) for node in declarations}
    groups: dict[int, list[Token]] = {}  # index of the token after the comments -> comments
    position = 0
    for comment in comments:
        while position < len(tokens) and _start(tokens[position][0]) < _start(comment):
            position += 1
        groups.setdefault(position, []).append(comment)
    result = Comments()
    for position, group in groups.items():
        previous = tokens[position - 1] if position else None
        following = tokens[position] if position < len(tokens) else None
        last_line = _end_line(previous[0]) if previous is not None else 0
        if previous is not None and group[0].line == last_line:
            result.trailing[id(previous[0])] = Comment(group[0], False)
            group = group[1:]
        at_declaration_end = previous is not None and (following is None or id(following[0]) in starts)
        ending = at_declaration_end
        for comment in group:
            entry = Comment(comment, last_line > 0 and _line(comment) > last_line + 1)
            ending = ending and (comment.column or 0) > 1 and not entry.blank_before
            if ending and previous is not None:  # (ending implies a previous token)
                result.ending.setdefault(previous[1], []).append(entry)
            elif following is None:
                result.file_end.append(entry)
            else:
                result.leading.setdefault(id(following[0]), []).append(entry)
            last_line = _line(comment)
        if following is not None and group and _line(following[0]) > last_line + 1:
            result.blank_after.add(id(following[0]))
    return result


# --- the formatter ---------------------------------------------------------------------------


@lru_cache(maxsize=1)
def concrete_parser() -> Lark:
    """The language's parser, keeping every token (keywords and brackets too). Comments are
    skipped by the grammar; the lexer hands each to ``_collect_comment`` as it skips it."""
    grammar = resources.files("sendrules.dsl").joinpath("grammar.lark").read_text(encoding="utf-8")
    return Lark(
        grammar,
        parser="lalr",
        keep_all_tokens=True,
        propagate_positions=True,
        maybe_placeholders=False,
        lexer_callbacks={"COMMENT": _collect_comment},
    )


#: The comments of the parse under way in this thread (the language server formats from
#: worker threads).
_parse_state = threading.local()


def _collect_comment(token: Token) -> Token:
    _parse_state.comments.append(token)
    return token


def parse_concrete(text: str) -> tuple[Tree[Token], list[Token]]:
    """The concrete syntax tree of a whole file and its comments, in order."""
    _parse_state.comments = []
    try:
        tree = concrete_parser().parse(text)
        return tree, list(_parse_state.comments)
    finally:
        _parse_state.comments = []


class Formatter:
    """Lays out one parsed file."""

    def layout(self, node: Tree[Token], column: int) -> Block:
        layout = LAYOUTS.get(str(node.data))
        if layout is None:
            raise UnknownConstruct(
                f"the formatter has no layout for '{node.data}': add it to LAYOUTS in "
                "sendrules/dsl/formatter.py"
            )
        return layout(self, node, column)

    def format_tree(self, tree: Tree[Token], comments: list[Token]) -> str:
        declarations = [child for child in tree.children if isinstance(child, Tree)]
        placed = attach_comments(declarations, comments)
        out: list[str] = []
        for index, node in enumerate(declarations):
            first = leaves(node)[0]
            if index > 0:
                out.append("")
            for number, comment in enumerate(placed.leading.get(id(first), [])):
                if comment.blank_before and number > 0:
                    out.append("")
                out.append(comment.text)
            if id(first) in placed.blank_after and placed.leading.get(id(first)):
                out.append("")
            lines = self.layout(node, 0)
            self._emit(lines, placed, out, skip_leading_of=first)
            for comment in placed.ending.get(index, []):
                out.append(" " * STEP + comment.text)
        for number, comment in enumerate(placed.file_end):
            if comment.blank_before and out:
                out.append("")
            out.append(comment.text)
        return "\n".join(out) + "\n" if out else ""

    def _emit(self, lines: Block, placed: Comments, out: list[str], skip_leading_of: Token) -> None:
        for line in lines:
            for position, token in enumerate(line.tokens):
                if token is not skip_leading_of:
                    out.extend(" " * line.indent + c.text for c in placed.leading.get(id(token), []))
                trailing = placed.trailing.get(id(token))
                if trailing is not None and position < len(line.tokens) - 1:
                    out.append(" " * line.indent + trailing.text)
            text = line.render().rstrip()
            last = placed.trailing.get(id(line.tokens[-1])) if line.tokens else None
            if last is not None:
                text += TRAILING_COMMENT_GAP + last.text
            out.append(text)


def format_rules(text: str, path: str = "<text>") -> str:
    """The canonical layout of the text of a ``.rules`` file. Raises ``FormatError`` (with
    located diagnostics) when the file has syntax errors."""
    text = text.replace("\r\n", "\n")
    _, problems = parse_rules_file(text, path)
    syntax = [d for d in problems if d.code != "invalid_date"]
    if syntax:
        raise FormatError(syntax)
    try:
        tree, comments = parse_concrete(text)
    except UnexpectedInput as error:  # the per-rule parse passed; the whole file should too
        raise FormatError(
            [Diagnostic("syntax_error", "the rules could not be read here", path, error.line, error.column)]
        ) from error
    result = Formatter().format_tree(tree, comments)
    _same_tokens(tree, comments, result)
    return result


def is_formatted(text: str, path: str = "<text>") -> bool:
    """True when the text is already in the canonical layout."""
    return format_rules(text, path) == text


def layout_diagnostics(sources: dict[str, str]) -> list[Diagnostic]:
    """One ``not_formatted`` diagnostic per ``.rules`` file (display path -> text) whose
    layout differs from the canonical one, at its first line that differs. Files with syntax
    errors are left to the checker, which reports them."""
    diagnostics = []
    for path, text in sorted(sources.items()):
        if not path.endswith(".rules"):
            continue
        try:
            formatted = format_rules(text, path)
        except FormatError:
            continue
        if formatted == text:
            continue
        old, new = text.split("\n"), formatted.split("\n")
        line = next(
            (index + 1 for index, (a, b) in enumerate(zip(old, new)) if a != b), min(len(old), len(new))
        )
        diagnostics.append(
            Diagnostic(
                "not_formatted",
                "the layout of this file is not the canonical one",
                path,
                line,
                1,
                hint=f"run: sendrules fmt {path}" if not path.startswith("<") else "run sendrules fmt on it",
            )
        )
    return diagnostics


def _same_tokens(tree: Tree[Token], comments: list[Token], result: str) -> None:
    """The laid-out text must read back as exactly the same tokens and comments."""
    try:
        new_tree, new_comments = parse_concrete(result)
    except UnexpectedInput as error:
        raise FormatterBug(f"the formatted text does not parse: {error}") from error
    old = [(token.type, str(token)) for token in leaves(tree)]
    new = [(token.type, str(token)) for token in leaves(new_tree)]
    if old != new:
        raise FormatterBug("the formatted text has different tokens")
    if [str(c).rstrip() for c in comments] != [str(c).rstrip() for c in new_comments]:
        raise FormatterBug("the formatted text has different comments")


__all__ = [
    "format_rules",
    "is_formatted",
    "layout_diagnostics",
    "FormatError",
    "FormatterBug",
    "UnknownConstruct",
    "LAYOUTS",
    "WIDTH",
]
