"""One ``--format`` vocabulary for every command: ``table`` (for people, the default) or ``json``
(for programs: stdout then holds the JSON and nothing else; messages go to stderr). ``docs``
adds the two document formats, ``markdown`` and ``html``.

Text for people is printed literally: ids, pack text and messages never pass through Rich's
markup or emoji codes (``e:x:1`` stays ``e:x:1``, ``[bold]`` stays ``[bold]``).
"""

from __future__ import annotations

import json
import sys
from enum import Enum
from typing import Any

import typer


class OutputFormat(str, Enum):
    table = "table"
    json = "json"


FORMAT_HELP = "table (for people) or json (for programs: stdout holds only the JSON)."


def format_option(default: OutputFormat = OutputFormat.table, help: str = FORMAT_HELP) -> Any:
    """The ``--format`` option, the same on every command."""
    return typer.Option(default, "--format", help=help)


def print_json(data: Any) -> None:
    """``data`` as indented JSON on stdout, ending in a newline."""
    sys.stdout.write(json.dumps(data, indent=2, ensure_ascii=False) + "\n")


def report(output: OutputFormat, data: Any, text: str) -> None:
    """What a command did: ``data`` as JSON on stdout, or ``text`` for people."""
    if output == OutputFormat.json:
        print_json(data)
    else:
        print(text)
