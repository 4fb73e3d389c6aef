"""Text of a ``.rules`` file -> AST, with located syntax errors.

The file is split at each line that starts with ``rule`` and every rule is parsed on its
own (line and column numbers are kept), so one bad rule does not hide the problems of the
others: a file with three broken rules gets three syntax errors.
"""

from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources

from lark import Lark, Token, Tree, UnexpectedCharacters, UnexpectedInput, UnexpectedToken
from lark.exceptions import UnexpectedEOF

from sendrules.dsl import ast
from sendrules.dsl.diagnostics import Diagnostic, did_you_mean
from sendrules.dsl.syntax_errors import SyntaxMistake, examples_by_mistake
from sendrules.dsl.transformer import AstBuilder

#: How deeply the parse tree of one rule may nest (``not not …``, parentheses, ``and``/``or``
#: chains). The bundled rules nest 8 deep; the checker, compiler and evaluators walk the tree
#: recursively, and past Python's recursion limit a pack would crash them instead of getting a
#: located error, so 100 leaves room for any rule a person writes and a wide margin below the
#: limit (a 10,000-deep ``not`` is refused here, issue 12 #2).
MAX_NESTING = 100

_RULE_START = re.compile(r"^[ \t]*(rule|table)\b", re.MULTILINE)

#: How the parser's token names read in an error message.
_TOKEN_WORDS = {
    "NAME": "a name",
    "DOTTED_NAME": "a dotted name (such as ehc.final_plan or params.ehc.final_plan_weeks)",
    "STRING": "text in double quotes",
    "INT": "a whole number",
    "DATE": "a date (YYYY-MM-DD)",
    "MONTH": "a month name",
    "COMPARATOR": "a comparison (=, !=, <, <=, >, >=)",
    "PRESENCE": "'present' or 'missing'",
    "$END": "the end of the file",
    "LPAR": "'('",
    "RPAR": "')'",
    "LSQB": "'['",
    "RSQB": "']'",
    "COMMA": "','",
    "__ANON_0": "'->'",
}

#: Keywords that start a clause; a misspelt one gets a "did you mean".
CLAUSE_KEYWORDS = (
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
    "exempt",
    "rule",
)


@lru_cache(maxsize=1)
def get_parser() -> Lark:
    """The LALR parser for the rules language, built once per process."""
    grammar = resources.files("sendrules.dsl").joinpath("grammar.lark").read_text(encoding="utf-8")
    return Lark(grammar, parser="lalr", propagate_positions=True, maybe_placeholders=False)


@lru_cache(maxsize=1)
def _keyword_terminals() -> dict[str, str]:
    """Terminal name -> keyword text, for every keyword of the grammar. A terminal that is a
    choice of words (``WEEKS: "weeks" | "week"``) is named by its first word."""
    keywords = {}
    for terminal in get_parser().terminals:
        pattern = terminal.pattern
        if pattern.type == "str":
            keywords[terminal.name] = pattern.value
        else:
            words = _word_choices(pattern.value)
            if words:
                keywords[terminal.name] = words[0]
    return keywords


def _word_choices(regexp: str) -> list[str]:
    """``(?:weeks|week)`` -> ``["weeks", "week"]``; anything that is not a plain choice of
    lower-case words -> ``[]``."""
    inner = regexp[3:-1] if regexp.startswith("(?:") and regexp.endswith(")") else regexp
    words = inner.split("|")
    return words if all(word.isalpha() and word.islower() for word in words) else []


def parse_rules_file(text: str, path: str) -> tuple[ast.RulesFile, list[Diagnostic]]:
    """Parse one file. Returns the rules that parsed and a diagnostic per syntax error."""
    rules: list[ast.RuleDecl] = []
    tables: list[ast.TableDecl] = []
    diagnostics: list[Diagnostic] = []
    for start_line, chunk in _chunks(text):
        padded = "\n" * (start_line - 1) + chunk
        try:
            tree = get_parser().parse(padded)
        except UnexpectedInput as error:
            diagnostics.append(_explain(error, padded, path))
            continue
        too_deep = _nested_too_deeply(tree)
        if too_deep is not None:
            line, column = too_deep
            diagnostics.append(
                Diagnostic(
                    "nested_too_deeply",
                    f"this rule nests more than {MAX_NESTING} levels deep",
                    path,
                    line,
                    column,
                    hint="write the condition more flatly (a 'not' of a 'not' cancels; name parts with "
                    "separate rules or conditions)",
                )
            )
            continue
        builder = AstBuilder(path)
        parsed = builder.transform(tree)
        for code, message, span in builder.problems:
            diagnostics.append(Diagnostic(code, message, path, span.line, span.column, span.end_column))
        rules.extend(parsed.rules)
        tables.extend(parsed.tables)
    return ast.RulesFile(path, tuple(rules), tuple(tables)), diagnostics


def _nested_too_deeply(tree: Tree[Token]) -> tuple[int | None, int | None] | None:
    """Where the tree first nests deeper than ``MAX_NESTING`` (line, column), or None. Walked
    with a stack, not recursion, so any depth is measured safely."""
    stack: list[tuple[Tree[Token], int]] = [(tree, 1)]
    while stack:
        node, depth = stack.pop()
        if depth > MAX_NESTING:
            meta = node.meta
            return (getattr(meta, "line", None), getattr(meta, "column", None))
        stack.extend((child, depth + 1) for child in node.children if isinstance(child, Tree))
    return None


def _chunks(text: str) -> list[tuple[int, str]]:
    """Split the file before every line that starts a rule or a table; keep each chunk's
    first line."""
    starts = [match.start() for match in _RULE_START.finditer(text)]
    if not starts or starts[0] != 0:
        starts.insert(0, 0)
    chunks = []
    for index, offset in enumerate(starts):
        end = starts[index + 1] if index + 1 < len(starts) else len(text)
        chunks.append((text.count("\n", 0, offset) + 1, text[offset:end]))
    return chunks


def _explain(error: UnexpectedInput, text: str, path: str) -> Diagnostic:
    """Turn a parser exception into a diagnostic from the table of typical mistakes."""
    line, column = error.line, error.column
    if isinstance(error, UnexpectedCharacters):
        position = error.pos_in_stream
        assert position is not None, "lark records where an unexpected character is"
        char = text[position] if position < len(text) else ""
        if char == '"':
            return Diagnostic(
                "unterminated_string",
                "this text has no closing double quote",
                path,
                line,
                column,
                hint='close the text with " on the same line',
            )
        if char == "=" and text[position : position + 2] == "==":
            known = _mistake("double_equals")
            return Diagnostic(known.code, known.message, path, line, column, column + 2, hint=known.hint)
        shown = char if char.strip() else repr(char)
        allowed = set(getattr(error, "allowed", None) or ())
        if char.isupper() and "STRING" in allowed:
            known = _mistake("unquoted_citation")
            return Diagnostic(known.code, known.message, path, line, column, hint=known.hint)
        if char.isupper() and "MONTH" in allowed:
            known = _mistake("invalid_month")
            return Diagnostic(known.code, known.message, path, line, column, hint=known.hint)
        if char.isupper():
            found = re.match(r"\w+", text[position:])
            return Diagnostic(
                "unexpected_character",
                f"unexpected '{found.group(0) if found else char}': names are written in lower case",
                path,
                line,
                column,
                hint="event types, fields and aliases use lower case letters, digits and _",
            )
        return Diagnostic(
            "unexpected_character",
            f"unexpected character {shown}",
            path,
            line,
            column,
            hint=_expected_words(error),
        )

    token = getattr(error, "token", None)
    end_column = None
    if isinstance(token, Token) and token.type != "$END" and token.end_column:
        end_column = token.end_column
    if isinstance(error, (UnexpectedToken, UnexpectedEOF)):
        if isinstance(token, Token) and token.type == "$END":
            line, column = _last_position(text)
        mistake = error.match_examples(
            get_parser().parse, examples_by_mistake(), token_type_match_fallback=True
        )
        word = str(token) if isinstance(token, Token) else ""
        accepted = _accepted_keywords(error)
        if isinstance(token, Token) and token.type in ("NAME", "DOTTED_NAME") and accepted:
            if set(accepted) & {"duty", "when", "expect"} and mistake is None:
                return Diagnostic(
                    "unknown_clause",
                    f"unknown clause '{word}'",
                    path,
                    line,
                    column,
                    end_column,
                    hint=did_you_mean(word, CLAUSE_KEYWORDS)
                    or "a clause starts with one of: " + ", ".join(CLAUSE_KEYWORDS),
                )
            suggestion = did_you_mean(word, accepted)
            if suggestion:
                code = mistake.code if mistake else "unknown_keyword"
                message = mistake.message if mistake else f"unexpected '{word}'"
                return Diagnostic(code, message, path, line, column, end_column, hint=suggestion)
        if isinstance(mistake, SyntaxMistake):
            return Diagnostic(
                mistake.code, mistake.message, path, line, column, end_column, hint=mistake.hint
            )
        shown = "the end of the file" if not word else f"'{word}'"
        return Diagnostic(
            "unexpected_token",
            f"unexpected {shown}",
            path,
            line,
            column,
            end_column,
            hint=_expected_words(error),
        )
    return Diagnostic("syntax_error", "the rules could not be read here", path, line, column)


def _mistake(code: str) -> SyntaxMistake:
    return next(mistake for mistake in examples_by_mistake() if mistake[0].code == code)[0]


def _accepted_keywords(error: UnexpectedInput) -> list[str]:
    keywords = _keyword_terminals()
    names = getattr(error, "accepts", None) or getattr(error, "expected", None) or ()
    return sorted(keywords[name] for name in names if name in keywords)


def _expected_words(error: UnexpectedInput) -> str:
    names = (
        getattr(error, "accepts", None)
        or getattr(error, "allowed", None)
        or getattr(error, "expected", None)
        or ()
    )
    keywords = _keyword_terminals()
    words = sorted(
        {f"'{keywords[name]}'" if name in keywords else _TOKEN_WORDS.get(name, name) for name in names}
    )
    return "expected " + ", ".join(words) if words else "check the clause on this line"


def _last_position(text: str) -> tuple[int, int]:
    stripped = text.rstrip()
    line = stripped.count("\n") + 1
    column = len(stripped) - (stripped.rfind("\n") + 1) + 1
    return line, max(column, 1)
