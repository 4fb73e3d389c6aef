"""The HTTP service: ``create_app()`` builds it; ``sendrules serve`` runs it with uvicorn.

    GET  /v1/health                                   liveness (no key needed)
    POST /v1/decisions                                decide and log           caseworker
    GET  /v1/decisions/{id}                           a logged decision        caseworker (own), auditor
    POST /v1/decisions/{id}/replay                    replay, or under another version   auditor, policy
    GET  /v1/log/verify                               walk the hash chain      auditor
    GET  /v1/standards[/{id}/{version}[/schema]]      the standards            any role
    GET  /openapi.json, /docs                         the API's description

The app is thin: it authenticates, checks roles, and calls the same library functions as the
command line (engine.service via decisionlog.recorder, decisionlog.replay, the standards library).
"""

from __future__ import annotations

import gc
from contextlib import asynccontextmanager

from fastapi import FastAPI
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from sendrules.api import errors
from sendrules.api.fast_path import DecideFastPath
from sendrules.api.routes import router
from sendrules.api.security import Authenticator, JwtVerifier, KeyStore
from sendrules.api.settings import ApiSettings
from sendrules.decisionlog.config import load_config
from sendrules.decisionlog.recorder import Recorder
from sendrules.decisionlog.store import DecisionLog
from sendrules.engine import __version__ as ENGINE_VERSION
from sendrules.engine.library import StandardsLibrary
from sendrules.engine import calendar
from sendrules.engine.service import DecisionService


class BodyLimit:
    """Refuse request bodies over ``limit`` bytes with 413, before reading them whole: at once
    when the declared length is over it, else as soon as the bytes received pass it (a chunked
    body). In that case this layer answers 413 itself and the app behind it sees the client
    go away (whatever it then tries to send is dropped): raised into the app instead, the
    error would reach FastAPI's body parsing, which reports any failure as a 400."""

    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers") or []).get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > self.limit):
            await _send_413(send, self.limit)
            return
        received = 0
        answered = False

        async def limited_receive() -> Message:
            nonlocal received, answered
            if answered:
                return {"type": "http.disconnect"}
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.limit:
                    answered = True
                    await _send_413(send, self.limit)
                    return {"type": "http.disconnect"}
            return message

        async def send_unless_answered(message: Message) -> None:
            if not answered:
                await send(message)

        await self.app(scope, limited_receive, send_unless_answered)


async def _send_413(send: Send, limit: int) -> None:
    import json

    body = json.dumps(errors.error_body("payload_too_large",
                                        f"the body is larger than {limit} bytes (SENDRULES_MAX_BODY_BYTES)")).encode()
    await send({"type": "http.response.start", "status": 413,
                "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})


#: FastAPI's built-in OpenTelemetry support, all off. Left on, it traces every request and sends
#: validation failures (with the input values) and exception messages to whatever providers or
#: OTLP exporters the process has: request bodies here are children's journeys. The service's
#: own logging (docs/http-api.md) records no more than method, path and status.
NO_TELEMETRY = {"tracing": False, "metrics": False, "logs": False, "operation_spans": False,
                "auto_configure": False}


def create_app(settings: ApiSettings | None = None, *, log: DecisionLog | None = None,
               prepare: bool = True, fast_path: bool = True) -> FastAPI:
    """The service, configured from ``settings`` (default: the environment). ``prepare=False``
    skips building what requests need (for checking the configuration only); ``fast_path=False``
    sends every decision through the FastAPI route (api/fast_path.py; tests compare the two)."""
    settings = settings or ApiSettings.from_environment()
    config = load_config(settings.log_url)
    library = StandardsLibrary(settings.standards_dir, watch=False)  # restart to take up edited standards
    service = DecisionService(library)
    log = log or DecisionLog.open(config.url, mode="append", background_checkpoints=True)
    cipher = config.cipher()
    @asynccontextmanager
    async def lifespan(_app: FastAPI):
        yield
        log.close()  # stops the background checkpointer and closes connections

    app = FastAPI(title="sendrules", version=ENGINE_VERSION, lifespan=lifespan, telemetry=NO_TELEMETRY,
                  description="England's SEND and alternative provision standards, applied to a "
                              "child's journey: every statutory duty, its due date, whether it was "
                              "met, and the clause it comes from.")
    app.state.settings = settings
    app.state.library = library
    app.state.service = service
    app.state.log = log
    app.state.cipher = cipher
    app.state.recorder = Recorder(log, service, config.pseudonymiser(), cipher)
    app.state.authenticator = Authenticator(KeyStore(settings.keys_file), JwtVerifier.from_environment())
    errors.install(app)
    app.include_router(router)

    if fast_path:
        app.add_middleware(DecideFastPath, state=app.state)  # inside the body limit (added after it)
    app.add_middleware(BodyLimit, limit=settings.max_body_bytes)
    if prepare:
        _prepare_for_requests(app)
    return app


def _prepare_for_requests(app: FastAPI) -> None:
    """Build what the first requests would otherwise build (the standards, their journey
    validators and compiled rules, the bank-holiday data), then move every object that exists
    now out of the garbage collector's reach (``gc.freeze``): a full collection no longer walks the whole
    service for each pause, which kept tail latency high under load."""
    library, service = app.state.library, app.state.service
    for info in library.versions():
        try:
            standard = library.build(info)
        except Exception:  # noqa: BLE001 -- a version that does not build is reported when used
            continue
        service.prepared(standard)  # journey validator and compiled conditions
        if info.effective_from is not None:
            # loads the bank-holiday data (the first lookup costs ~130 ms); later years ~0.6 ms each
            calendar.is_bank_holiday(info.effective_from)
    gc.collect()
    gc.freeze()
