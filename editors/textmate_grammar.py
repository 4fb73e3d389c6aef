"""Write the TextMate grammar of the rules language from the language's own grammar.

    .venv/bin/python editors/textmate_grammar.py      # rewrites editors/vscode/syntaxes/sendrules.tmLanguage.json

The keywords are read from ``sendrules/dsl/grammar.lark`` (through Lark, as the parser reads
them); ``SCOPES`` says how each is coloured. A keyword added to the grammar without a scope
here stops this script (and the tests) with its name: colour it in ``SCOPES``, then run the
script again. tests/editors/test_textmate.py checks that the committed file is what this
script writes, and tokenizes the shipped packs with VS Code's own TextMate engine.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

OUTPUT = Path(__file__).resolve().parent / "vscode" / "syntaxes" / "sendrules.tmLanguage.json"
SCOPE = "source.sendrules"

#: Every keyword of the language, by the TextMate scope it is coloured with (the scope names
#: are the conventional ones, so any colour theme colours them).
SCOPES: dict[str, tuple[str, ...]] = {
    "keyword.other.declaration": ("rule", "table"),
    "keyword.control.clause": (
        "duty",
        "cite",
        "unconfirmed",
        "see",
        "when",
        "only",
        "if",
        "unless",
        "expect",
        "require",
        "exempt",
        "illustrative",
        "given",
        "hit",
        "policy",
        "depending",
        "otherwise",
        "force",
        "reaching",
        "window",
        "closes",
    ),
    "storage.modifier.modality": ("must", "should"),
    "keyword.operator.word": (
        "and",
        "or",
        "not",
        "in",
        "is",
        "as",
        "where",
        "after",
        "before",
        "between",
        "within",
        "by",
        "of",
        "on",
        "to",
        "response",
        "starting",
        "with",
        "beginning",
        "the",
        "later",
        "year",
        "at",
        "age",
        "child",
        "from",
        "until",
        "compulsory",
        "back",
        "lasting",
        "absences",
        "least",
        "clear",
        "end",
        "run",
        "next",
        "total",
        "counting",
        "half",
    ),
    "keyword.other.unit": ("weeks", "week", "days", "day", "months", "month", "working", "school"),
    "constant.language": ("true", "false", "present", "missing", "unique", "first"),
    "variable.language.due": ("due",),
    "constant.other.month": (
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
}

NAME = r"[a-z_][a-z0-9_]*"
DOTTED = rf"{NAME}(?:\.{NAME})+"


def grammar_keywords() -> set[str]:
    """Every word the grammar spells out: anonymous keywords ("when", "as") and the words of
    keyword terminals (``WEEKS: "weeks" | "week"``, the month names ...)."""
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from sendrules.dsl.parser import get_parser

    words = set()
    for terminal in get_parser().terminals:
        pattern = terminal.pattern
        if pattern.type == "str":
            candidates = [pattern.value]
        else:
            inner = pattern.value
            inner = inner[3:-1] if inner.startswith("(?:") and inner.endswith(")") else inner
            candidates = inner.split("|")
        words.update(word for word in candidates if re.fullmatch(r"[A-Za-z]+", word))
    return words


def build() -> dict:
    """The TextMate grammar, as a dict ready for JSON."""
    keywords = grammar_keywords()
    scoped = {word for words in SCOPES.values() for word in words}
    missing = sorted(keywords - scoped)
    if missing:
        raise SystemExit(
            f"keywords of grammar.lark with no scope in editors/textmate_grammar.py SCOPES: {missing}"
        )
    stale = sorted(scoped - keywords)
    if stale:
        raise SystemExit(
            f"SCOPES in editors/textmate_grammar.py names words grammar.lark does not have: {stale}"
        )

    def words(scope: str) -> dict:
        alternatives = "|".join(sorted(SCOPES[scope], key=lambda word: (-len(word), word)))
        return {"name": f"{scope}.sendrules", "match": rf"(?<![\w.])(?:{alternatives})(?![\w.])"}

    return {
        "name": "SEND rules",
        "scopeName": SCOPE,
        "fileTypes": ["rules"],
        "comment": "Written by editors/textmate_grammar.py from sendrules/dsl/grammar.lark; do not edit.",
        "patterns": [
            {"include": "#comment"},
            {"include": "#declaration"},
            {"include": "#see"},
            {"include": "#string"},
            {"include": "#date"},
            {"include": "#number"},
            {"include": "#parameter"},
            {"include": "#child"},
            {"include": "#keywords"},
            {"include": "#operators"},
            {"include": "#names"},
        ],
        "repository": {
            "comment": {"name": "comment.line.number-sign.sendrules", "match": r"#.*$"},
            "declaration": {
                "match": rf"^\s*(rule|table)\s+({DOTTED}|{NAME})",
                "captures": {
                    "1": {"name": "keyword.other.declaration.sendrules"},
                    "2": {"name": "entity.name.function.sendrules"},
                },
            },
            "see": {
                "begin": r"(?<![\w.])(see)(?![\w.])",
                "beginCaptures": {"1": {"name": "keyword.control.clause.sendrules"}},
                "end": r"$",
                "patterns": [
                    {"include": "#comment"},
                    {"name": "entity.name.function.sendrules", "match": DOTTED},
                    {"name": "punctuation.separator.comma.sendrules", "match": ","},
                ],
            },
            "string": {"name": "string.quoted.double.sendrules", "match": r'"[^"\n]*"?'},
            "date": {"name": "constant.numeric.date.sendrules", "match": r"\b\d{4}-\d{2}-\d{2}\b"},
            "number": {"name": "constant.numeric.integer.sendrules", "match": r"\b\d+\b"},
            "parameter": {
                "name": "variable.other.constant.parameter.sendrules",
                "match": rf"(?<![\w.])params(?:\.{NAME})+",
            },
            "child": {"name": "variable.language.child.sendrules", "match": rf"(?<![\w.])child\.{NAME}"},
            "keywords": {"patterns": [words(scope) for scope in SCOPES]},
            "operators": {
                "patterns": [
                    {"name": "keyword.operator.arrow.sendrules", "match": r"->"},
                    {"name": "punctuation.separator.table.sendrules", "match": r"\|\|?"},
                    {"name": "keyword.operator.comparison.sendrules", "match": r"!=|<=|>=|=|<|>"},
                    {"name": "keyword.operator.range.sendrules", "match": r"\.\."},
                    {"name": "keyword.operator.any.sendrules", "match": r"(?<=\|)\s*-\s*(?=\|)"},
                    {"name": "punctuation.separator.comma.sendrules", "match": ","},
                    {"name": "punctuation.brackets.sendrules", "match": r"[()\[\]]"},
                ]
            },
            "names": {
                "patterns": [
                    {"name": "variable.other.member.sendrules", "match": DOTTED},
                    {"name": "variable.other.sendrules", "match": NAME},
                ]
            },
        },
    }


def render() -> str:
    return json.dumps(build(), indent=2, ensure_ascii=False) + "\n"


if __name__ == "__main__":
    OUTPUT.parent.mkdir(parents=True, exist_ok=True)
    OUTPUT.write_text(render(), encoding="utf-8")
    print(f"wrote {OUTPUT}")
