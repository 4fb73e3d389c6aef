"""Diagnostics: every problem found in a standards pack, with where it is and how to fix it.

One shape for all of them (YAML files and ``.rules`` files alike):

    send-ap/1.0.0/ehc.rules:14:8: unknown_event_type: unknown event type 'assesment_requested'
       14 |   when assesment_requested as request
          |        ^^^^^^^^^^^^^^^^^^^
      help: did you mean 'assessment_requested'?

``one_line()`` gives the first line only, for tools; ``render()`` adds the source line, a caret
under the offending text and the hint, for people.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from typing import Any, Iterable


@dataclass(frozen=True)
class Diagnostic:
    """One problem. ``code`` is a stable snake_case name for the kind of problem."""

    code: str
    message: str
    file: str
    line: int | None = None
    column: int | None = None
    end_column: int | None = None
    hint: str | None = None
    #: For YAML files: the path of the offending key or value, e.g. ``ehc.final_plan_weeks.values``.
    yaml_path: str | None = None

    def location(self) -> str:
        if self.line is None:
            return self.file
        if self.column is None:
            return f"{self.file}:{self.line}"
        return f"{self.file}:{self.line}:{self.column}"

    def one_line(self) -> str:
        where = f" (at {self.yaml_path})" if self.yaml_path else ""
        return f"{self.location()}: {self.code}: {self.message}{where}"

    def render(self, source: str | None = None) -> str:
        """The one-line form, then the source line with a caret, then the hint."""
        lines = [self.one_line()]
        if source is not None and self.line is not None:
            source_lines = source.splitlines()
            if 1 <= self.line <= len(source_lines):
                text = source_lines[self.line - 1].rstrip("\n")
                gutter = f"{self.line:>5} | "
                lines.append(gutter + text)
                if self.column is not None:
                    width = 1
                    if self.end_column is not None and self.end_column > self.column:
                        width = self.end_column - self.column
                    width = max(1, min(width, len(text) - self.column + 1))
                    lines.append(" " * (len(gutter) - 2) + "| " + " " * (self.column - 1) + "^" * width)
        if self.hint:
            lines.append(f"  help: {self.hint}")
        return "\n".join(lines)

    def to_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "message": self.message,
            "file": self.file,
            "line": self.line,
            "column": self.column,
            "yaml_path": self.yaml_path,
            "hint": self.hint,
        }


@dataclass
class DiagnosticSink:
    """Collects diagnostics so that a check reports every problem, not just the first."""

    diagnostics: list[Diagnostic] = field(default_factory=list)

    def add(self, diagnostic: Diagnostic) -> None:
        self.diagnostics.append(diagnostic)

    def extend(self, diagnostics: Iterable[Diagnostic]) -> None:
        self.diagnostics.extend(diagnostics)

    def __bool__(self) -> bool:
        return bool(self.diagnostics)


def did_you_mean(word: str, candidates: Iterable[str]) -> str | None:
    """A "did you mean 'x'?" hint when one of ``candidates`` is close to ``word``."""
    matches = difflib.get_close_matches(word, sorted(set(candidates)), n=1, cutoff=0.6)
    return f"did you mean '{matches[0]}'?" if matches else None


def sort_key(diagnostic: Diagnostic) -> tuple[str, int, int, str]:
    """Diagnostics are reported in file order, then line and column."""
    return (diagnostic.file, diagnostic.line or 0, diagnostic.column or 0, diagnostic.code)
