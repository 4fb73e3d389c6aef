"""``sendrules fmt``: lay out ``.rules`` files in the canonical layout (dsl/formatter.py).

    sendrules fmt [PATHS]...           rewrite files whose layout differs (default: the current folder)
    sendrules fmt --check [PATHS]...   change nothing; exit 1 if a file would be rewritten
    sendrules fmt --diff [PATHS]...    change nothing; print what would change

A folder stands for every ``.rules`` file under it (hidden folders skipped). A file of a
version whose manifest says ``status: published`` or ``superseded`` is never rewritten: its
bytes are its content hash. Exit codes: 0 nothing to do (or done); 1 ``--check``/``--diff``
found files to reformat, or a published file would change; 2 bad input (a path that does not
exist, a file with syntax errors: every error listed); 70 internal error.
"""

from __future__ import annotations

import difflib
import os
import sys
import tempfile
from pathlib import Path
from typing import Optional

import typer
import yaml

EXIT_WOULD_CHANGE = 1
EXIT_INVALID_INPUT = 2
FROZEN_STATUSES = ("published", "superseded")


def fmt(
    paths: Optional[list[Path]] = typer.Argument(
        None, help=".rules files or folders to format (default: the current folder)."
    ),
    check: bool = typer.Option(
        False, "--check", help="Change nothing; exit 1 if any file would be reformatted."
    ),
    diff: bool = typer.Option(
        False, "--diff", help="Change nothing; print a unified diff of what would change."
    ),
) -> None:
    """Lay out .rules files in the one canonical layout (comments kept, rules unchanged)."""
    from sendrules.dsl.formatter import FormatError, format_rules

    targets, missing = rules_files(paths or [Path(".")])
    for path in missing:
        print(f"{path}: no such file or folder", file=sys.stderr)
    if missing:
        raise typer.Exit(EXIT_INVALID_INPUT)
    if not targets:
        print("no .rules files found", file=sys.stderr)
        raise typer.Exit(EXIT_INVALID_INPUT)
    invalid = would_change = frozen = rewritten = 0
    for path in targets:
        try:
            text = path.read_bytes().decode("utf-8")
        except UnicodeDecodeError as error:
            invalid += 1
            print(
                f"{path.as_posix()}: not_utf8: the file is not UTF-8 text ({error.reason})", file=sys.stderr
            )
            continue
        try:
            formatted = format_rules(text, path.as_posix())
        except FormatError as error:
            invalid += 1
            for diagnostic in error.diagnostics:
                print(diagnostic.render(text.replace("\r\n", "\n")), file=sys.stderr)
            continue
        if formatted == text:
            continue
        if check or diff:
            would_change += 1
            if diff:
                sys.stdout.writelines(
                    difflib.unified_diff(
                        text.splitlines(True),
                        formatted.splitlines(True),
                        path.as_posix(),
                        f"{path.as_posix()} (formatted)",
                    )
                )
            else:
                print(f"would reformat {path.as_posix()}")
            continue
        status = version_status(path)
        if status in FROZEN_STATUSES:
            frozen += 1
            print(
                f"{path.as_posix()}: not rewritten: its version is {status}, and a published "
                "version's bytes are its content hash",
                file=sys.stderr,
            )
            continue
        write_atomically(path, formatted)
        rewritten += 1
        print(f"reformatted {path.as_posix()}")
    unchanged = len(targets) - invalid - would_change - frozen - rewritten
    verb = "would be reformatted" if check or diff else "reformatted"
    count = would_change if check or diff else rewritten
    print(
        f"{count} file(s) {verb}, {unchanged} already formatted"
        + (f", {invalid} with syntax errors" if invalid else "")
        + (f", {frozen} published and left alone" if frozen else ""),
        file=sys.stderr,
    )
    if invalid:
        raise typer.Exit(EXIT_INVALID_INPUT)
    if would_change or frozen:
        raise typer.Exit(EXIT_WOULD_CHANGE)


def rules_files(paths: list[Path]) -> tuple[list[Path], list[Path]]:
    """The ``.rules`` files that ``paths`` name, in order and without repeats; and the paths
    that do not exist."""
    found: dict[Path, None] = {}
    missing = []
    for path in paths:
        if path.is_file():
            found[path] = None
        elif path.is_dir():
            for candidate in sorted(path.rglob("*.rules")):
                relative = candidate.relative_to(path).parts
                if candidate.is_file() and not any(part.startswith(".") for part in relative):
                    found[candidate] = None
        else:
            missing.append(path)
    return list(found), missing


def version_status(path: Path) -> str | None:
    """The ``status`` of the version folder a rules file belongs to (its manifest.yaml, in the
    same folder or the one above, for rules files kept in a subfolder), if there is one."""
    for folder in (path.parent, path.parent.parent):
        manifest = folder / "manifest.yaml"
        if manifest.is_file():
            try:
                data = yaml.safe_load(manifest.read_text(encoding="utf-8"))
            except (yaml.YAMLError, UnicodeDecodeError):
                return None
            return data.get("status") if isinstance(data, dict) else None
    return None


def write_atomically(path: Path, text: str) -> None:
    """Replace the file's content in one step: a crash leaves the old file or the new one,
    never half of each."""
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as output:
            output.write(text)
        os.chmod(temporary, path.stat().st_mode & 0o7777)
        os.replace(temporary, path)
    except BaseException:
        if os.path.exists(temporary):
            os.unlink(temporary)
        raise
