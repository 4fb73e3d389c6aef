"""The decide route's fast path: ``POST /v1/decisions`` from a caseworker, with a valid body,
answered without FastAPI's per-request machinery (routing, dependency solving, body handling).

Deciding is the service's hot path, and under load FastAPI's handling of a request cost about
a third as much CPU as the decision itself. This layer sits inside the service's middleware
(after the body-size limit) and does only what the route does for a *valid* request: it reads
the body, authenticates the caller with the same ``Authenticator``, validates the body with the
same ``DecisionRequestBody`` model, and calls the same ``submit_decision`` and
``decision_response`` as the FastAPI route (api/routes.py).

Anything else — another path or method, a body that is not ``application/json``, a missing or
bad key, the wrong role, invalid JSON or fields, a journey the engine rejects (which is then
decided a second time, by the route: errors are not the hot path) — is handed to
the FastAPI route unchanged, with the body it already read replayed, so every error keeps the
route's status and JSON shape, and the OpenAPI description stays the route's. Nothing has been
queued for the log when it hands over: ``submit_decision`` queues only once the decision is
made.
"""

from __future__ import annotations

import asyncio
import json
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from sendrules.api import errors
from sendrules.api.models import DecisionRequestBody
from sendrules.api.routes import decision_response, submit_decision
from sendrules.api.security import Principal
from sendrules.decisionlog.errors import LogError


class DecideFastPath:
    """ASGI layer answering valid caseworker decisions directly; see the module's docstring.
    ``state`` is the application's state (settings, authenticator, recorder)."""

    def __init__(self, app: ASGIApp, state: Any) -> None:
        self.app = app
        self.state = state

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (scope["type"] != "http" or scope["method"] != "POST" or scope["path"] != "/v1/decisions"
                or scope.get("root_path")):  # (behind a path prefix, the route does the routing)
            await self.app(scope, receive, send)
            return
        body = await _read_body(receive)
        if body is None:  # the client went away first (or the body limit answered 413)
            return
        submitted = self._submit(scope, body)
        if submitted is None:  # not a valid caseworker decision: the route answers, as always
            await self.app(scope, _replaying(body, receive), send)
            return
        rendered, committed = submitted
        try:
            response = decision_response(rendered, await asyncio.wrap_future(committed))
        except LogError as error:  # as the route's LogError handler answers it
            response = errors.log_error_response(error)
        await response(scope, receive, send)

    def _submit(self, scope: Scope, body: bytes):
        """Decide and queue a valid request from a caseworker; None for anything else."""
        headers = [(name, value) for name, value in scope["headers"]
                   if name in (b"authorization", b"content-type")]
        names = [name for name, _ in headers]
        if names.count(b"authorization") != 1 or names.count(b"content-type") != 1:
            return None
        values = dict(headers)
        if values[b"content-type"].split(b";")[0].strip().lower() != b"application/json":
            return None
        try:
            principal: Principal = self.state.authenticator.principal(values[b"authorization"].decode("latin-1"))
            if principal.role != "caseworker":
                return None
            request_body = DecisionRequestBody.model_validate(json.loads(body))
            return submit_decision(self.state, request_body, principal)
        except Exception:  # noqa: BLE001 -- the route meets the same failure and reports it its own way
            return None


async def _read_body(receive: Receive) -> bytes | None:
    """The whole request body; None if the client disconnected first."""
    chunks = []
    while True:
        message = await receive()
        if message["type"] != "http.request":
            return None
        chunks.append(message.get("body", b""))
        if not message.get("more_body", False):
            return b"".join(chunks)


def _replaying(body: bytes, receive: Receive) -> Receive:
    """A ``receive`` that gives ``body`` once, then whatever the client sends next (a disconnect)."""
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return replay
