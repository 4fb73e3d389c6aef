"""``sendrules lsp``: the language server for editors, over stdin/stdout (docs/editors.md)."""

from __future__ import annotations


def lsp() -> None:
    """Run the language server for .rules and pack YAML files on stdin/stdout (for editors)."""
    from sendrules.lsp.server import start_io

    start_io()
