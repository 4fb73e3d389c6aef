"""The one ASGI layer around the service (outermost): what every request gets, whatever route
it reaches.

* **Body limits.** A body over its limit (``SENDRULES_MAX_BODY_BYTES``; for the batch endpoint
  ``SENDRULES_MAX_BATCH_BYTES``) is refused with 413 before it is read whole: at once if its
  declared length is over, else as soon as the bytes received pass it (a chunked body).
* **Body read timeout.** A client has ``SENDRULES_BODY_TIMEOUT`` seconds from the start of a
  request to finish sending its body (for the batch endpoint, which reads its body while it
  decides, that long between two reads); a stalled body gets 408 and the connection is closed.
* **Headers on every answer.** ``X-Request-ID`` (the client's, if well formed, else a new one)
  and ``Cache-Control: no-store`` on everything but the bundled documentation assets: decisions
  are about children and must not sit in shared caches.
* **Metrics and the log line** (observability.py), by route template, after the answer.

When this layer answers itself (413, 408), the application behind it sees the client go away,
and whatever it then tries to send is dropped.
"""

from __future__ import annotations

import asyncio
import time
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from sendrules.api import observability
from sendrules.api.errors import PROBLEM_JSON, problem_bytes

BATCH_PATH = "/v1/decisions/batch"
_NO_STORE = (b"cache-control", b"no-store")


class ServiceLayer:
    def __init__(
        self,
        app: ASGIApp,
        max_body_bytes: int,
        max_batch_bytes: int,
        body_timeout: float,
        access_log: bool = True,
    ) -> None:
        self.app = app
        self.max_body_bytes = max_body_bytes
        self.max_batch_bytes = max_batch_bytes
        self.body_timeout = body_timeout
        self.access_log = access_log

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        headers = scope.get("headers") or []
        request_id = observability.request_id(headers)
        path = scope.get("path", "")
        limit, setting = (
            (self.max_batch_bytes, "SENDRULES_MAX_BATCH_BYTES")
            if path == BATCH_PATH
            else (self.max_body_bytes, "SENDRULES_MAX_BODY_BYTES")
        )
        cacheable = path.startswith("/docs/assets/")
        state = {"status": 500, "answered": False}
        request_id_header = (b"x-request-id", request_id.encode("ascii"))

        async def send_with_headers(message: Message) -> None:
            if state["answered"]:
                return
            if message["type"] == "http.response.start":
                state["status"] = message["status"]
                extra = [request_id_header] if cacheable else [request_id_header, _NO_STORE]
                message = {**message, "headers": [*message.get("headers", ()), *extra]}
            await send(message)

        async def answer(status: int, code: str, text: str, **extra: Any) -> None:
            state["answered"] = True
            state["status"] = status
            body = problem_bytes(status, code, text, **extra)
            await send(
                {
                    "type": "http.response.start",
                    "status": status,
                    "headers": [
                        (b"content-type", PROBLEM_JSON.encode()),
                        (b"content-length", str(len(body)).encode()),
                        (b"connection", b"close"),
                        request_id_header,
                        _NO_STORE,
                    ],
                }
            )
            await send({"type": "http.response.body", "body": body})

        declared = None
        for name, value in headers:
            if name == b"content-length":
                declared = value
        if declared is not None and (not declared.isdigit() or int(declared) > limit):
            await answer(
                413, "payload_too_large", f"the body is larger than {limit} bytes ({setting})", limit=setting
            )
            self._observe(scope, state["status"], started, request_id)
            return
        received = 0
        loop = asyncio.get_running_loop()
        # one deadline for a whole body; for a batch (read while it is decided), a stall limit per read
        deadline = loop.time() + self.body_timeout
        streamed = path == BATCH_PATH
        body_done = False

        async def guarded_receive() -> Message:
            nonlocal received, body_done
            if state["answered"]:
                return {"type": "http.disconnect"}
            if body_done:
                return await receive()
            try:
                async with asyncio.timeout_at(loop.time() + self.body_timeout if streamed else deadline):
                    message = await receive()
            except TimeoutError:
                await answer(
                    408,
                    "request_timeout",
                    f"the body was not received within {self.body_timeout:g} s (SENDRULES_BODY_TIMEOUT)",
                    limit="SENDRULES_BODY_TIMEOUT",
                )
                return {"type": "http.disconnect"}
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if not message.get("more_body", False):
                    body_done = True
                if received > limit:
                    await answer(
                        413,
                        "payload_too_large",
                        f"the body is larger than {limit} bytes ({setting})",
                        limit=setting,
                    )
                    return {"type": "http.disconnect"}
            return message

        try:
            await self.app(scope, guarded_receive, send_with_headers)
        finally:
            self._observe(scope, state["status"], started, request_id)

    def _observe(self, scope: Scope, status: int, started: float, request_id: str) -> None:
        elapsed = time.perf_counter() - started
        route = getattr(scope.get("route"), "path", None) or scope.get("sendrules.route") or "unmatched"
        method = scope.get("method", "")
        observability.count_request(method, route, status, elapsed)
        if self.access_log:
            observability.log_request(
                {
                    "request_id": request_id,
                    "method": method,
                    "route": route,
                    "status": status,
                    "duration_ms": round(elapsed * 1000, 2),
                    "caller": scope.get("sendrules.caller"),
                }
            )
