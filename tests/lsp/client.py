"""A small language-server client for tests: JSON-RPC with Content-Length framing over OS
pipes, as an editor speaks to ``sendrules lsp``.

``Session.in_process()`` runs the server in a thread of the test process (its stdin and
stdout are the pipes); ``Session.subprocess()`` runs ``sendrules lsp`` as a program. Either
way the tests see only the protocol: requests, responses and notifications.
"""

from __future__ import annotations

import itertools
import json
import os
import queue
import subprocess
import sys
import threading
import time
from pathlib import Path

from pygls.uris import from_fs_path

TIMEOUT = 60.0


class ProtocolError(Exception):
    pass


def uri(path: Path) -> str:
    return from_fs_path(str(path))


class Session:
    def __init__(self, to_server, from_server, stop) -> None:
        self._to_server = to_server
        self._from_server = from_server
        self._stop = stop
        self._ids = itertools.count(1)
        self._responses: dict[int, queue.Queue] = {}
        self._lock = threading.Lock()
        self._changed = threading.Condition()
        self.notifications: list[dict] = []
        self.diagnostics: dict[str, list[dict]] = {}
        self.publish_counts: dict[str, int] = {}
        self.versions: dict[str, int] = {}
        self.texts: dict[str, str] = {}
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    # --- starting ----------------------------------------------------------------------------

    @classmethod
    def in_process(cls) -> "Session":
        from sendrules.lsp.server import create_server

        server = create_server()
        to_server_read, to_server_write = os.pipe()
        from_server_read, from_server_write = os.pipe()
        server_in = os.fdopen(to_server_read, "rb")
        server_out = os.fdopen(from_server_write, "wb")
        thread = threading.Thread(target=server.start_io, args=(server_in, server_out), daemon=True)
        thread.start()

        def stop():
            thread.join(timeout=10)
            for stream in (server_in, server_out):
                try:
                    stream.close()
                except OSError:
                    pass
            assert not thread.is_alive(), "the server did not stop after exit"

        return cls(os.fdopen(to_server_write, "wb", buffering=0), os.fdopen(from_server_read, "rb"), stop)

    @classmethod
    def subprocess(cls, cwd: Path) -> "Session":
        process = subprocess.Popen(
            [sys.executable, "-m", "sendrules.api.cli", "lsp"],
            cwd=cwd,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        session = cls(process.stdin, process.stdout, lambda: None)
        session.process = process
        return session

    # --- the wire ----------------------------------------------------------------------------

    def _send(self, message: dict) -> None:
        body = json.dumps(message).encode("utf-8")
        with self._lock:
            self._to_server.write(f"Content-Length: {len(body)}\r\n\r\n".encode("ascii") + body)
            self._to_server.flush()

    def _read(self) -> None:
        while True:
            length = None
            while True:
                header = self._from_server.readline()
                if not header:
                    return
                if header in (b"\r\n", b"\n"):
                    break
                name, _, value = header.decode("ascii").partition(":")
                if name.lower() == "content-length":
                    length = int(value.strip())
            message = json.loads(self._from_server.read(length))
            if "id" in message and "method" not in message:
                self._responses.setdefault(message["id"], queue.Queue()).put(message)
            elif "id" in message:  # a request from the server (capability registration, ...)
                self._send({"jsonrpc": "2.0", "id": message["id"], "result": None})
            else:
                with self._changed:
                    self.notifications.append(message)
                    if message["method"] == "textDocument/publishDiagnostics":
                        target = message["params"]["uri"]
                        self.diagnostics[target] = message["params"]["diagnostics"]
                        self.publish_counts[target] = self.publish_counts.get(target, 0) + 1
                    self._changed.notify_all()

    def request(self, method: str, params) -> object:
        number = next(self._ids)
        answer = self._responses.setdefault(number, queue.Queue())
        self._send({"jsonrpc": "2.0", "id": number, "method": method, "params": params})
        message = answer.get(timeout=TIMEOUT)
        if "error" in message:
            raise ProtocolError(message["error"])
        return message.get("result")

    def notify(self, method: str, params) -> None:
        self._send({"jsonrpc": "2.0", "method": method, "params": params})

    # --- what an editor does -------------------------------------------------------------------

    def initialize(self, root: Path) -> dict:
        result = self.request(
            "initialize",
            {
                "processId": None,
                "rootUri": uri(root),
                "workspaceFolders": [{"uri": uri(root), "name": "packs"}],
                "capabilities": {
                    "textDocument": {
                        "hover": {"contentFormat": ["markdown", "plaintext"]},
                        "publishDiagnostics": {"relatedInformation": False},
                    }
                },
            },
        )
        self.notify("initialized", {})
        return result

    def open(self, path: Path, language: str = "sendrules") -> str:
        target = uri(path)
        text = path.read_text(encoding="utf-8")
        self.versions[target] = 1
        self.texts[target] = text
        self.notify(
            "textDocument/didOpen",
            {"textDocument": {"uri": target, "languageId": language, "version": 1, "text": text}},
        )
        return target

    def replace_text(self, target: str, text: str) -> None:
        """Replace the whole document, as an editor does with incremental sync: one range edit."""
        old = self.texts[target]
        lines = old.split("\n")
        self.versions[target] += 1
        self.texts[target] = text
        self.notify(
            "textDocument/didChange",
            {
                "textDocument": {"uri": target, "version": self.versions[target]},
                "contentChanges": [
                    {
                        "range": {
                            "start": {"line": 0, "character": 0},
                            "end": {"line": len(lines) - 1, "character": len(lines[-1])},
                        },
                        "text": text,
                    }
                ],
            },
        )

    def edit(self, target: str, old: str, new: str) -> None:
        text = self.texts[target]
        assert text.count(old) == 1, f"{old!r} occurs {text.count(old)} times"
        self.replace_text(target, text.replace(old, new))

    def diagnostics_after(self, target: str, count: int, predicate=lambda found: True) -> list[dict]:
        """The first diagnostics published for ``target`` after its ``count``-th publication
        that satisfy ``predicate``."""
        deadline = time.monotonic() + TIMEOUT
        with self._changed:
            while True:
                if self.publish_counts.get(target, 0) > count and predicate(self.diagnostics[target]):
                    return self.diagnostics[target]
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise TimeoutError(f"no diagnostics for {target} (have {self.diagnostics.get(target)})")
                self._changed.wait(remaining)

    def position_of(self, target: str, needle: str, offset: int = 0, occurrence: int = 1) -> dict:
        """The position of the ``occurrence``-th ``needle`` in the document, ``offset``
        characters in."""
        text = self.texts[target]
        index = -1
        for _ in range(occurrence):
            index = text.index(needle, index + 1)
        index += offset
        line = text.count("\n", 0, index)
        return {"line": line, "character": index - (text.rfind("\n", 0, index) + 1)}

    def at(self, method: str, target: str, position: dict, **extra):
        return self.request(method, {"textDocument": {"uri": target}, "position": position, **extra})

    def close(self) -> None:
        self.request("shutdown", None)
        self.notify("exit", None)
        try:
            self._to_server.close()
        except OSError:
            pass
        self._stop()
