"""The language server: the protocol side (pygls), calling ``packs``, ``symbols``,
``describe`` and ``completion``.

What an editor gets, on ``.rules`` files and on a pack's ``manifest.yaml``, ``parameters.yaml``
and ``events.yaml``:

* diagnostics as you type: the whole version folder is built by the same pipeline as
  ``sendrules check`` (unsaved text laid over the disk's), and every file of it gets the
  diagnostics about it, with the same codes, messages and hints; a "did you mean" becomes a
  quick fix;
* hover: an event type (its fields), a field (type, values, whether required), a parameter
  (every dated value, the one in force when the version takes effect, its source), a duty
  holder, a rule (title, duty holder, citations), an alias, a decision table;
* go to definition, find references;
* completion of event types, fields, parameters, duty holders, rule ids, aliases, enum values
  and keywords;
* formatting of ``.rules`` files (``sendrules fmt``'s layout).

Builds run in a worker thread, after a short pause while the user types; a newer change
cancels the pending one.
"""

from __future__ import annotations

import asyncio
import re
from pathlib import Path

from lsprotocol import types
from pygls.lsp.server import LanguageServer
from pygls.uris import from_fs_path, to_fs_path
from pygls.workspace.position_codec import ServerTextPosition, ServerTextRange

from sendrules import __version__
from sendrules.dsl.diagnostics import Diagnostic
from sendrules.lsp import completion, symbols
from sendrules.lsp.describe import describe
from sendrules.lsp.packs import (
    PackState,
    Packs,
    display_of,
    is_pack_file,
    lone_file_diagnostics,
    version_folder,
)

#: Seconds to wait after a change before building (a newer change restarts the wait).
CHECK_DELAY = 0.3
SOURCE = "sendrules"
_DID_YOU_MEAN = re.compile(r"did you mean '([^']+)'\?")
_COMPLETION_KINDS = {
    symbols.EVENT_TYPE: types.CompletionItemKind.Event,
    symbols.FIELD: types.CompletionItemKind.Field,
    symbols.PARAMETER: types.CompletionItemKind.Constant,
    symbols.DUTY_HOLDER: types.CompletionItemKind.EnumMember,
    symbols.RULE: types.CompletionItemKind.Reference,
    symbols.ALIAS: types.CompletionItemKind.Variable,
    completion.KEYWORD: types.CompletionItemKind.Keyword,
    completion.VALUE: types.CompletionItemKind.Value,
}


class SendrulesLanguageServer(LanguageServer):
    """pygls' server with the packs the editor has open, and the diagnostics published."""

    def __init__(self) -> None:
        super().__init__(
            "sendrules", __version__, text_document_sync_kind=types.TextDocumentSyncKind.Incremental
        )
        self.packs = Packs()
        #: Files that were last published with diagnostics, per pack (or lone file) key.
        self.published: dict[Path, set[Path]] = {}
        self._pending: dict[Path, asyncio.Task] = {}

    # --- documents -------------------------------------------------------------------------

    def unsaved(self) -> dict[Path, str]:
        """The text of every open document, by path."""
        texts = {}
        for uri, document in list(self.workspace.text_documents.items()):
            path = to_fs_path(uri)
            if path is not None:
                texts[Path(path)] = document.source
        return texts

    def state_for(self, path: Path, fresh: bool = True) -> PackState | None:
        """The pack of ``path``, built from the text the editor has now (``fresh``), or the
        last build of it (enough for completion)."""
        folder = version_folder(path)
        if folder is None:
            return None
        if fresh:
            return self.packs.state(folder, self.unsaved())
        return self.packs.latest(folder, self.unsaved())

    def lines_of(self, path: Path, state: PackState | None) -> list[str]:
        uri = from_fs_path(str(path))
        if uri in self.workspace.text_documents:
            return list(self.workspace.text_documents[uri].lines)
        text = state.source(path) if state is not None else None
        if text is None:
            try:
                text = path.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError):
                text = ""
        return text.splitlines(True)

    def client_range(
        self, path: Path, state: PackState | None, line: int, column: int, end_column: int
    ) -> types.Range:
        """A range given in 1-based code points, in the client's units."""
        lines = self.lines_of(path, state)
        server_range = ServerTextRange(
            ServerTextPosition(line - 1, column - 1), ServerTextPosition(line - 1, end_column - 1)
        )
        return self.workspace.position_codec.range_to_client_units(lines, server_range)

    def location(self, state: PackState, where: symbols.Location) -> types.Location:
        path = state.folder / where.relative
        return types.Location(
            uri=from_fs_path(str(path)),
            range=self.client_range(path, state, where.line, where.column, where.end_column),
        )

    # --- diagnostics -----------------------------------------------------------------------

    def schedule_check(self, path: Path, delay: float) -> None:
        """Build the pack of ``path`` after ``delay`` seconds, then publish; a later call for
        the same pack replaces a pending one."""
        key = version_folder(path) or path
        pending = self._pending.pop(key, None)
        if pending is not None:
            pending.cancel()
        self._pending[key] = asyncio.get_running_loop().create_task(self._check(key, path, delay))

    async def _check(self, key: Path, path: Path, delay: float) -> None:
        try:
            if delay:
                await asyncio.sleep(delay)
            by_file = await asyncio.to_thread(self.diagnostics_for, key, path)
        except asyncio.CancelledError:
            return
        if self._pending.get(key) is asyncio.current_task():
            del self._pending[key]
        self.publish(key, by_file)

    def diagnostics_for(self, key: Path, path: Path) -> dict[Path, list[types.Diagnostic]]:
        """The diagnostics of every file of the pack (``key``), in the protocol's terms."""
        if key == path:  # a .rules file outside any pack: its syntax only
            text = self.unsaved().get(path, "")
            return {path: [self.to_lsp(d, path, None) for d in lone_file_diagnostics(path, text)]}
        state = self.packs.state(key, self.unsaved())
        return {
            file: [self.to_lsp(d, file, state) for d in found]
            for file, found in state.diagnostics_by_file().items()
        }

    def publish(self, key: Path, by_file: dict[Path, list[types.Diagnostic]]) -> None:
        """Send the diagnostics of every file that has some, that had some, or that is open
        (an empty list tells the editor the file was checked and is clean)."""
        before = self.published.get(key, set())
        now = {path for path, found in by_file.items() if found}
        open_paths = set(self.unsaved())
        for path in sorted(before | set(by_file)):
            found = by_file.get(path, [])
            if found or path in before or path in open_paths:
                self.text_document_publish_diagnostics(
                    types.PublishDiagnosticsParams(uri=from_fs_path(str(path)), diagnostics=found)
                )
        self.published[key] = now

    def clear(self, key: Path) -> None:
        for path in sorted(self.published.pop(key, set())):
            self.text_document_publish_diagnostics(
                types.PublishDiagnosticsParams(uri=from_fs_path(str(path)), diagnostics=[])
            )

    def to_lsp(self, diagnostic: Diagnostic, path: Path, state: PackState | None) -> types.Diagnostic:
        """A pipeline diagnostic as the protocol's: same code, same message (with the YAML path
        ``sendrules check`` shows), the hint on the next line."""
        message = diagnostic.message + (f" (at {diagnostic.yaml_path})" if diagnostic.yaml_path else "")
        if diagnostic.hint:
            message += f"\nhelp: {diagnostic.hint}"
        if diagnostic.line is None:
            line, column, end = 1, 1, 1
        else:
            line, column = diagnostic.line, diagnostic.column or 1
            end = diagnostic.end_column or _end_of_word(self.lines_of(path, state), line, column)
        suggestion = _DID_YOU_MEAN.search(diagnostic.hint or "")
        return types.Diagnostic(
            range=self.client_range(path, state, line, column, end),
            message=message,
            severity=types.DiagnosticSeverity.Error,
            code=diagnostic.code,
            source=SOURCE,
            data={"suggestion": suggestion.group(1)} if suggestion else None,
        )


def _end_of_word(lines: list[str], line: int, column: int) -> int:
    """Where the word (name, dotted name, number or quoted text) at a 1-based column ends; a
    diagnostic that gives no end underlines that word."""
    if not 1 <= line <= len(lines):
        return column
    text = lines[line - 1].rstrip("\r\n")
    match = re.compile(r'"[^"]*"|[\w.\-]+').match(text, column - 1)
    return column + len(match.group(0)) if match else min(column + 1, len(text) + 1)


def _path(uri: str) -> Path | None:
    path = to_fs_path(uri)
    return Path(path) if path else None


def _is_ours(path: Path | None) -> bool:
    """A .rules file (in a pack or not), or one of the YAML files of a pack."""
    if path is None:
        return False
    return path.suffix == ".rules" or (is_pack_file(path.name) and version_folder(path) is not None)


async def did_open(ls: SendrulesLanguageServer, params: types.DidOpenTextDocumentParams) -> None:
    path = _path(params.text_document.uri)
    if _is_ours(path):
        ls.schedule_check(path, 0)


async def did_change(ls: SendrulesLanguageServer, params: types.DidChangeTextDocumentParams) -> None:
    path = _path(params.text_document.uri)
    if _is_ours(path):
        ls.schedule_check(path, CHECK_DELAY)


async def did_save(ls: SendrulesLanguageServer, params: types.DidSaveTextDocumentParams) -> None:
    path = _path(params.text_document.uri)
    if _is_ours(path):
        ls.schedule_check(path, 0)


async def did_close(ls: SendrulesLanguageServer, params: types.DidCloseTextDocumentParams) -> None:
    path = _path(params.text_document.uri)
    if not _is_ours(path):
        return
    key = version_folder(path) or path
    still_open = [p for p in ls.unsaved() if (version_folder(p) or p) == key]
    if still_open:
        ls.schedule_check(still_open[0], 0)
    else:
        pending = ls._pending.pop(key, None)
        if pending is not None:
            pending.cancel()
        ls.clear(key)


# --- hover, definition, references -----------------------------------------------------------


def _occurrence_at(ls: SendrulesLanguageServer, uri: str, position: types.Position):
    """The pack, and the name under the cursor (found in the index, or by what it spells)."""
    path = _path(uri)
    if not _is_ours(path):
        return None, None
    state = ls.state_for(path)
    if state is None:
        return None, None
    relative = state.relative(path)
    document = ls.workspace.get_text_document(uri)
    server_position = document.position_codec.position_from_client_units(document.lines, position)
    line, column = server_position.line + 1, server_position.character + 1
    found = state.index.at(relative, line, column)
    if found is None:
        found = _by_spelling(state, relative, document.lines, line, column)
    return state, found


def _by_spelling(state: PackState, relative: str, lines, line: int, column: int):
    """A name the index did not place (in a rule that does not parse yet), found by what it
    spells: an event type, a parameter, a rule id or a duty holder of the pack."""
    if not 1 <= line <= len(lines):
        return None
    for match in re.finditer(r"[a-z_][a-z0-9_]*(?:\.[a-z_][a-z0-9_]*)*", lines[line - 1]):
        if match.start() + 1 <= column <= match.end():
            word = match.group(0)
            break
    else:
        return None
    location = symbols.Location(relative, line, match.start() + 1, match.end() + 1)
    pack, index = state.pack, state.index
    if word.startswith("params."):
        symbol = symbols.Symbol(symbols.PARAMETER, word[len("params.") :])
    elif word in pack.events:
        symbol = symbols.Symbol(symbols.EVENT_TYPE, word)
    elif word in index.rules:
        symbol = symbols.Symbol(symbols.RULE, word)
    elif word in index.tables:
        symbol = symbols.Symbol(symbols.TABLE, word)
    elif pack.manifest is not None and word in pack.manifest.duty_holders:
        symbol = symbols.Symbol(symbols.DUTY_HOLDER, word)
    else:
        return None
    return symbols.Occurrence(location, symbol)


async def hover(ls: SendrulesLanguageServer, params: types.HoverParams) -> types.Hover | None:
    def work():
        state, found = _occurrence_at(ls, params.text_document.uri, params.position)
        if found is None:
            return None
        text = describe(found, state.pack, state.index, state.display)
        if text is None:
            return None
        where = found.location
        path = state.folder / where.relative
        return types.Hover(
            contents=types.MarkupContent(kind=types.MarkupKind.Markdown, value=text),
            range=ls.client_range(path, state, where.line, where.column, where.end_column),
        )

    return await asyncio.to_thread(work)


async def definition(ls: SendrulesLanguageServer, params: types.DefinitionParams) -> types.Location | None:
    def work():
        state, found = _occurrence_at(ls, params.text_document.uri, params.position)
        if found is None:
            return None
        where = state.index.definitions.get(found.symbol)
        return ls.location(state, where) if where is not None else None

    return await asyncio.to_thread(work)


async def references(
    ls: SendrulesLanguageServer, params: types.ReferenceParams
) -> list[types.Location] | None:
    def work():
        state, found = _occurrence_at(ls, params.text_document.uri, params.position)
        if found is None:
            return None
        return [
            ls.location(state, o.location)
            for o in state.index.references(found.symbol)
            if params.context.include_declaration or not o.is_definition
        ]

    return await asyncio.to_thread(work)


# --- completion --------------------------------------------------------------------------------


async def complete(
    ls: SendrulesLanguageServer, params: types.CompletionParams
) -> types.CompletionList | None:
    def work():
        path = _path(params.text_document.uri)
        if not _is_ours(path):
            return None
        state = ls.state_for(path, fresh=False)
        document = ls.workspace.get_text_document(params.text_document.uri)
        position = document.position_codec.position_from_client_units(document.lines, params.position)
        pack = state.pack if state else None
        index = state.index if state else None
        if path.suffix == ".rules":
            found = completion.complete_rules(document.source, position.line, position.character, pack, index)
        else:
            found = completion.complete_yaml(
                path.name, document.source, position.line, position.character, pack, index
            )
        lines = list(document.lines)
        items = []
        for number, candidate in enumerate(found):
            edit_range = document.position_codec.range_to_client_units(
                lines, ServerTextRange(ServerTextPosition(position.line, candidate.start), position)
            )
            items.append(
                types.CompletionItem(
                    label=candidate.label,
                    kind=_COMPLETION_KINDS.get(candidate.kind),
                    detail=candidate.detail or None,
                    sort_text=f"{number:04d}",
                    text_edit=types.TextEdit(range=edit_range, new_text=candidate.label),
                )
            )
        return types.CompletionList(is_incomplete=False, items=items)

    return await asyncio.to_thread(work)


# --- quick fixes and formatting ----------------------------------------------------------------


def code_actions(ls: SendrulesLanguageServer, params: types.CodeActionParams) -> list[types.CodeAction]:
    """A "did you mean 'x'?" hint becomes: replace the underlined name with x."""
    actions = []
    for diagnostic in params.context.diagnostics:
        data = diagnostic.data if isinstance(diagnostic.data, dict) else {}
        suggestion = data.get("suggestion")
        if diagnostic.source != SOURCE or not suggestion:
            continue
        edit = types.TextEdit(range=diagnostic.range, new_text=suggestion)
        actions.append(
            types.CodeAction(
                title=f"Replace with '{suggestion}'",
                kind=types.CodeActionKind.QuickFix,
                diagnostics=[diagnostic],
                is_preferred=True,
                edit=types.WorkspaceEdit(changes={params.text_document.uri: [edit]}),
            )
        )
    return actions


async def formatting(
    ls: SendrulesLanguageServer, params: types.DocumentFormattingParams
) -> list[types.TextEdit] | None:
    """``sendrules fmt``'s layout. A file with syntax errors is left as it is (its diagnostics
    say why); a file of a published version is never changed."""
    from sendrules.dsl.formatter import FormatError, format_rules
    from sendrules.dsl.formatter_cli import FROZEN_STATUSES, version_status

    path = _path(params.text_document.uri)
    if path is None or path.suffix != ".rules":
        return None
    document = ls.workspace.get_text_document(params.text_document.uri)
    text = document.source
    try:
        formatted = await asyncio.to_thread(format_rules, text, path.name)
    except FormatError:
        return None
    if formatted == text:
        return []
    status = version_status(path)
    if status in FROZEN_STATUSES:
        ls.window_show_message(
            types.ShowMessageParams(
                type=types.MessageType.Warning,
                message=f"{path.name} is part of a {status} version ({display_of(path.parent)}): its bytes are its "
                "content hash, so it is not reformatted.",
            )
        )
        return []
    lines = list(document.lines)
    end = ServerTextPosition(len(lines), 0)
    whole = document.position_codec.range_to_client_units(
        lines, ServerTextRange(ServerTextPosition(0, 0), end)
    )
    return [types.TextEdit(range=whole, new_text=formatted)]


#: Every request and notification the server answers: (method, options, handler).
FEATURES = [
    (types.TEXT_DOCUMENT_DID_OPEN, None, did_open),
    (types.TEXT_DOCUMENT_DID_CHANGE, None, did_change),
    (types.TEXT_DOCUMENT_DID_SAVE, None, did_save),
    (types.TEXT_DOCUMENT_DID_CLOSE, None, did_close),
    (types.TEXT_DOCUMENT_HOVER, None, hover),
    (types.TEXT_DOCUMENT_DEFINITION, None, definition),
    (types.TEXT_DOCUMENT_REFERENCES, None, references),
    (
        types.TEXT_DOCUMENT_COMPLETION,
        types.CompletionOptions(trigger_characters=[".", " ", '"', "[", ">"]),
        complete,
    ),
    (
        types.TEXT_DOCUMENT_CODE_ACTION,
        types.CodeActionOptions(code_action_kinds=[types.CodeActionKind.QuickFix]),
        code_actions,
    ),
    (types.TEXT_DOCUMENT_FORMATTING, None, formatting),
]


def create_server() -> SendrulesLanguageServer:
    """A new server with every feature registered (one per editor connection)."""
    server = SendrulesLanguageServer()
    for method, options, handler in FEATURES:
        server.feature(method, options)(handler)
    return server


def start_io() -> None:
    """Serve one editor over stdin/stdout until it says exit."""
    create_server().start_io()
