"""The TextMate grammar of the VS Code extension (editors/vscode/syntaxes/), written by
editors/textmate_grammar.py from sendrules/dsl/grammar.lark.

The committed grammar must be what the script writes today, every keyword of the language
must have a scope, and VS Code's own tokenizer (vscode-textmate with Oniguruma, run under
node) must colour every keyword, string, number, date, comment, parameter and rule id of the
shipped packs as the language's parser reads them. The last test needs node and the
extension's node_modules (``npm ci`` in editors/vscode, done by scripts/build-vscode-extension.sh);
without them it is skipped, except in CI (``SENDRULES_REQUIRE_NODE=1``), where it fails.
"""

from __future__ import annotations

import importlib.util
import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from sendrules import BUNDLED_STANDARDS
from sendrules.dsl.formatter import leaves, parse_concrete

ROOT = Path(__file__).resolve().parents[2]
EXTENSION = ROOT / "editors" / "vscode"
SAMPLES = sorted(BUNDLED_STANDARDS.glob("*/*/*.rules")) + sorted(
    (ROOT / "tests" / "dsl" / "formatter").glob("*.rules")
)


def _script():
    spec = importlib.util.spec_from_file_location(
        "textmate_grammar", ROOT / "editors" / "textmate_grammar.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_committed_grammar_is_what_the_script_writes():
    script = _script()
    assert script.OUTPUT.read_text(encoding="utf-8") == script.render(), (
        "run: .venv/bin/python editors/textmate_grammar.py"
    )


def test_every_keyword_of_the_language_is_coloured():
    script = _script()
    grammar = json.loads(script.OUTPUT.read_text(encoding="utf-8"))
    patterns = [(re.compile(p["match"]), p["name"]) for p in grammar["repository"]["keywords"]["patterns"]]
    keywords = script.grammar_keywords()
    assert {"rule", "when", "within", "weeks", "January", "present", "due"} <= keywords
    for word in sorted(keywords):
        scopes = [name for pattern, name in patterns if pattern.fullmatch(word)]
        assert len(scopes) == 1, f"'{word}' is coloured by {scopes}"


def test_a_keyword_with_no_scope_stops_the_script(monkeypatch):
    script = _script()
    scopes = {
        scope: tuple(word for word in words if word != "unless") for scope, words in script.SCOPES.items()
    }
    monkeypatch.setattr(script, "SCOPES", scopes)
    with pytest.raises(SystemExit, match="'unless'"):
        script.build()


def _expected_scopes(path: Path, script) -> list[tuple[int, int, int, str, str]]:
    """(line, start, end, text, scope) of every token whose colour is certain, from the parser."""
    text = path.read_text(encoding="utf-8")
    tree, comments = parse_concrete(text)
    scope_of_word = {word: scope for scope, words in script.SCOPES.items() for word in words}
    expected = []
    previous = ""
    in_see = False  # the rule ids of a ``see`` clause
    for token in leaves(tree):
        value = str(token)
        in_see = (in_see and (token.type == "DOTTED_NAME" or value == ",")) or previous == "see"
        previous_word, previous = previous, value
        if value in scope_of_word and token.type != "NAME":
            scope = scope_of_word[value]
        elif token.type == "STRING":
            scope = "string.quoted.double"
        elif token.type == "DATE":
            scope = "constant.numeric.date"
        elif token.type == "INT":
            scope = "constant.numeric.integer"
        elif token.type == "DOTTED_NAME" and value.startswith("params."):
            scope = "variable.other.constant.parameter"
        elif token.type == "DOTTED_NAME" and (previous_word in ("rule", "table") or in_see):
            scope = "entity.name.function"
        else:
            continue
        expected.append((token.line, token.column, token.end_column, value, scope + ".sendrules"))
    for comment in comments:
        body = str(comment).rstrip()
        expected.append(
            (
                comment.line,
                comment.column,
                comment.column + len(body),
                body,
                "comment.line.number-sign.sendrules",
            )
        )
    return expected


def _node_ready() -> bool:
    return shutil.which("node") is not None and (EXTENSION / "node_modules" / "vscode-textmate").is_dir()


@pytest.mark.skipif(
    not _node_ready() and not os.environ.get("SENDRULES_REQUIRE_NODE"),
    reason="needs node and editors/vscode/node_modules (scripts/build-vscode-extension.sh)",
)
def test_vscode_colours_the_shipped_packs_as_the_parser_reads_them():
    assert _node_ready(), "node or editors/vscode/node_modules is missing"
    script = _script()
    result = subprocess.run(
        ["node", "test/tokenize.js", *map(str, SAMPLES)],
        cwd=EXTENSION,
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    tokenized = json.loads(result.stdout)
    checked = 0
    for path in SAMPLES:
        tokens = {(line, start, end): scopes for line, start, end, scopes in tokenized[str(path)]}
        for line, start, end, text, scope in _expected_scopes(path, script):
            scopes = tokens.get((line, start, end))
            assert scopes is not None, f"{path.name}:{line}:{start}: '{text}' is not one token for VS Code"
            assert scopes[-1] == scope, f"{path.name}:{line}:{start}: '{text}' is {scopes[-1]}, not {scope}"
            checked += 1
    assert checked > 1500
