"""The HTTP endpoints. Each one authenticates, checks the role, calls the same library code as
the command line, records reads of logged decisions, and returns JSON. No rule logic here.

The decide route is lean on purpose: it is the service's hot path, so it takes the request
itself, reads and parses the body once, and calls the engine's request parser (the same one the
CLI uses) instead of FastAPI's body handling, which under load cost about a third as much CPU as
the decision itself. Its OpenAPI description is written out in ``openapi_extra``.
"""

from __future__ import annotations

import asyncio
import json
import re
import time
from dataclasses import replace
from datetime import date
from typing import Any, AsyncIterator

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response
from starlette.requests import ClientDisconnect

from sendrules.api import observability
from sendrules.api.errors import (
    ApiError,
    PayloadTooLarge,
    engine_error_response,
    log_error_response,
    logger,
    problem,
)
from sendrules.api.models import (
    ChildEntriesModel,
    DecisionModel,
    FindBody,
    HealthModel,
    ReadyModel,
    ReplayBody,
    ReplayModel,
    StandardsVersion,
    VerifyModel,
)
from sendrules.api.rate_limit import decision_cost
from sendrules.api.rendering import decision_document, to_bytes
from sendrules.api.security import AuthError, Principal, require_role
from sendrules.api.standards_view import describe_standard
from sendrules.api.settings import BACKENDS
from sendrules.decisionlog.chain import Anchor, parse_anchor
from sendrules.decisionlog.errors import LogError
from sendrules.decisionlog.replay import replay
from sendrules.decisionlog.store import AccessRecord, AppendResult
from sendrules.decisionlog.subject_access import find_child
from sendrules.dsl import ir
from sendrules.engine import __version__ as ENGINE_VERSION
from sendrules.engine.errors import EngineError, InputError, Problem
from sendrules.engine.library import parse_reference
from sendrules.engine.request import parse_json_bytes, parse_request
from sendrules.pages.http import logged_timeline, prefers_html

router = APIRouter()
JSON_TYPES = (b"application/json",)
NDJSON_TYPES = (b"application/x-ndjson", b"application/jsonl", b"application/json-seq")


def authenticate(request: Request, cost: float = 1) -> Principal:
    """The caller (401 otherwise), charged ``cost`` units of its rate limit (429 when spent).
    Reads the raw headers: two Authorization headers are refused."""
    state = request.app.state
    principal = state.authenticator.from_headers(request.scope["headers"])
    request.scope["sendrules.caller"] = principal.id
    charge(state, principal, cost)
    return principal


def charge(state: Any, principal: Principal, cost: float) -> None:
    if cost <= 0:
        return
    settings = state.settings
    verdict = state.buckets.take(principal.id, cost, settings.rate, settings.burst)
    if not verdict.allowed:
        raise ApiError(
            429,
            "too_many_requests",
            f"this caller's rate limit is spent ({settings.rate:g} units a "
            f"second, bursts of {settings.burst:g}; a decision costs one unit per 50 events); "
            f"retry in {verdict.retry_after:.1f} s",
            limit="SENDRULES_RATE_LIMIT",
            headers={"Retry-After": str(max(1, round(verdict.retry_after + 0.5)))},
        )


async def caller(request: Request) -> Principal:
    """The authenticated caller, as a dependency (async: no I/O, no hop to a thread). The
    OpenAPI document's bearer scheme is added for every operation that uses it (app.py)."""
    return authenticate(request)


async def checked_json_body(request: Request, principal: Principal = Depends(caller)) -> None:
    """For operations whose JSON body FastAPI reads (replay, find): a body must say it is JSON
    (415 otherwise, as for POST /v1/decisions) and is read as every body is (parse_json_bytes: a
    key written twice is refused, located by its JSON path). Runs after authentication and
    before the body is validated against the operation's model."""
    body = await read_body(request)
    if body:
        require_media_type(request, JSON_TYPES)
        parse_json_bytes(body, "the body", "body", code="invalid_request")


def _json(data: Any, status: int = 200, headers: dict | None = None) -> Response:
    return Response(to_bytes(data), status_code=status, media_type="application/json", headers=headers)


def _media_type(request: Request) -> bytes | None:
    for name, value in request.scope["headers"]:
        if name == b"content-type":
            return value.split(b";")[0].strip().lower() or None
    return None


async def read_body(request: Request) -> bytes:
    try:
        return await request.body()
    except ClientDisconnect:  # the client went away, or the service layer answered 413/408
        raise ApiError(400, "client_disconnected", "the client went away") from None


async def whole_body(request: Request) -> bytes:
    """The body, as ``read_body`` reads it, straight from the ASGI messages (the decide route
    reads its body once, so Starlette's buffering stream is not needed)."""
    chunks = []
    receive = request.receive
    while True:
        message = await receive()
        if message["type"] == "http.request":
            chunks.append(message.get("body", b""))
            if not message.get("more_body", False):
                return chunks[0] if len(chunks) == 1 else b"".join(chunks)
        elif message["type"] == "http.disconnect":  # the client went away, or the service layer answered
            raise ApiError(400, "client_disconnected", "the client went away")


def require_media_type(request: Request, accepted: tuple[bytes, ...]) -> None:
    media_type = _media_type(request)
    if media_type is None:
        raise ApiError(
            415,
            "unsupported_media_type",
            "the request has no Content-Type; send Content-Type: " + accepted[0].decode(),
        )
    if media_type not in accepted:
        raise ApiError(
            415,
            "unsupported_media_type",
            f"Content-Type {media_type.decode('latin-1')[:60]} is not "
            "accepted here; send " + " or ".join(value.decode() for value in accepted),
        )


# --- deciding ----------------------------------------------------------------------------------


def _event_count(payload: dict[str, Any]) -> int:
    journey = payload.get("journey")
    events = journey.get("events") if isinstance(journey, dict) else None
    return len(events) if isinstance(events, list) else 0


def _backend(payload: dict[str, Any], settings: Any) -> str:
    """The backend a request names (removed from ``payload``), checked against the service's."""
    backend = payload.pop("backend", None)
    if backend is None:
        return settings.default_backend
    if backend not in BACKENDS:
        raise InputError(
            "invalid_request",
            "the request has 1 problem",
            [Problem("backend", "expected 'reference' or 'rete'", field="backend")],
        )
    if backend not in settings.allowed_backends:
        raise InputError(
            "backend_not_allowed",
            f"this service does not offer the {backend} backend",
            [
                Problem(
                    "backend",
                    "available here: " + ", ".join(settings.allowed_backends) + " (SENDRULES_HTTP_BACKENDS)",
                    field="backend",
                )
            ],
        )
    return backend


#: The Rete backend's cost grows faster with a journey's length: it decides inline only journeys
#: this many times shorter than the reference backend does.
RETE_COST = 10


async def decide_payload(
    state: Any, payload: Any, principal: Principal, explain: str | None = None
) -> tuple[dict[str, Any], AppendResult, dict[str, Any] | None]:
    """Decide one request (its parsed JSON) and wait until it is logged: the decision as
    recorded, the log's answer, and, when ``explain`` names a rule, why that rule did or did
    not give a finding (worked out before anything is logged, so an unknown rule is refused
    first). Small journeys are decided here, on the event loop; large ones in this worker's
    decider process (isolation.py)."""
    require_role(principal, "caseworker")
    if not isinstance(payload, dict):
        raise InputError(
            "invalid_request",
            "the request must be a JSON object",
            [Problem("body", "expected an object with journey and as_of")],
        )
    settings = state.settings
    events = _event_count(payload)
    if events > settings.max_events:
        raise PayloadTooLarge(
            f"the journey has {events} events; at most {settings.max_events} are accepted "
            "(SENDRULES_MAX_EVENTS)",
            limit="SENDRULES_MAX_EVENTS",
        )
    envelope = dict(payload)
    backend = _backend(envelope, settings)
    try:
        request = parse_request(envelope)
    except RecursionError:
        raise InputError(
            "invalid_request", "the request is nested too deeply", [Problem("body", "too deep")]
        ) from None
    charge(state, principal, decision_cost(events) - 1)  # (one unit was charged on arrival)
    # one rule on the reference evaluator: at most what deciding that rule costs
    explanation = state.service.explain(request, explain).to_dict() if explain is not None else None
    access = AccessRecord(principal.id, principal.role, "decide")
    recorder = state.recorder
    if events > (settings.inline_events if backend == "reference" else settings.inline_events // RETE_COST):
        decided = await state.decider.decide(envelope, backend, principal.id)
        standard = state.library.resolve(decided.standards_reference, request.as_of)
        if standard.sha256 != decided.standards_sha256:
            raise LogError(
                "standards_changed", "the standards changed while the decision was being made; decide again"
            )
        entry = recorder.entry_for(
            standard, decided.decision, decided.request_json, decided.decision_id, decided.child_id
        )
        rendered = entry.decision
        committed = state.log.submit(
            entry, clock=recorder.clock, access=replace(access, decision_id=decided.decision_id)
        )
    else:
        try:
            _decision, rendered, committed = recorder.submit(request, backend=backend, access=access)
        except RecursionError:
            raise InputError(
                "invalid_request", "the request is nested too deeply", [Problem("journey", "too deep")]
            ) from None
        del _decision
    # Only the rendered decision outlives the wait for the commit. A suspended coroutine keeps its
    # locals alive: with 16 requests in flight, each still holding its parsed body, journey and
    # findings, every young-generation garbage collection walked twice the objects it needed to.
    del payload, envelope, request
    queued = time.perf_counter()
    result = await asyncio.wrap_future(committed)
    observability.LOG_APPEND.observe(time.perf_counter() - queued)
    return rendered, result, explanation


def decision_answer(rendered: dict[str, Any], result: AppendResult) -> tuple[int, dict[str, Any]]:
    """The status and document answering a logged decision: 201 with it, or 200 with the entry
    that was already logged, rendered the one way every answer renders a decision."""
    entry, created = result.entry, result.created
    decision = rendered if created else entry.decision()
    observability.count_decision(
        "created" if created else "already_logged", decision.get("summary") if created else None
    )
    log = {
        "seq": entry.seq,
        "recorded_at": entry.recorded_at,
        "entry_hash": entry.entry_hash,
        "created": created,
    }
    return (201 if created else 200), decision_document(decision, log)


def explain_query(request: Request) -> str | None:
    """``?explain=RULE`` (once): the rule to explain, or None."""
    if not request.scope.get("query_string"):
        return None
    values = request.query_params.getlist("explain")
    if not values:
        return None
    if len(values) > 1 or not values[0] or len(values[0]) > 200:
        raise InputError(
            "invalid_request",
            "explain names one rule id (at most 200 characters)",
            [Problem("query.explain", "give ?explain=RULE once", field="explain")],
        )
    return values[0]


#: The decide route's OpenAPI operation (app.py puts it in the document, with the rest).
DECIDE_OPERATION = {
    "tags": ["decisions"],
    "operationId": "decide",
    "summary": "Decide a journey and record the decision in the decision log (caseworker)",
    "parameters": [
        {
            "name": "explain",
            "in": "query",
            "required": False,
            "schema": {"type": "string"},
            "description": "A rule id: the answer then also has `explanation`, why that rule did or "
            "did not give a finding (docs/explain.md). Not part of the decision; "
            "never logged.",
        }
    ],
    "requestBody": {
        "required": True,
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/DecisionRequestBody"}}},
    },
    "responses": {
        "201": {
            "description": "Decided and logged.",
            "headers": {"Location": {"schema": {"type": "string"}, "description": "/v1/decisions/{id}"}},
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/DecisionModel"}}},
        },
        "200": {
            "description": "The same decision was already logged: the logged decision, byte for byte as "
            "GET /v1/decisions/{id} gives it.",
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/DecisionModel"}}},
        },
    },
}


async def decide(request: Request) -> Response:
    """Decide a journey and record the decision in the decision log (caseworker).

    A plain Starlette route, added to the application's own router before the others are
    included (app.py), so that routing finds it at once: FastAPI's per-request machinery
    (dependency solving, body handling, response validation, and the resolution of an included
    router's routes) cost more CPU than this whole route adds to the decision. Small journeys are decided on the worker's event loop (a worker thread would only add a
    hop and compete for the interpreter); the loop never waits for the database: the entry is
    queued for the log's committer thread and the answer waits for its commit."""
    request.scope["sendrules.route"] = "/v1/decisions"  # (for metrics and logs: plain routes set no "route")
    principal = authenticate(request)
    require_role(principal, "caseworker")
    require_media_type(request, JSON_TYPES)
    try:
        # (the parsed body is not kept here: decide_payload lets it go before waiting for the log)
        rendered, result, explanation = await decide_payload(
            request.app.state,
            parse_json_bytes(await whole_body(request), "the body", "body", code="invalid_request"),
            principal,
            explain_query(request),
        )
    except Exception:
        observability.count_decision("refused")
        raise
    status, document = decision_answer(rendered, result)
    if explanation is not None:  # after the decision's own members; never logged, not part of it
        document = {**document, "explanation": explanation}
    return _json(document, status, headers={"Location": f"/v1/decisions/{result.entry.decision_id}"})


#: (Added to the application's own router by app.py, ahead of ``router``: see ``decide``.)
DECIDE_PATH = "/v1/decisions"


# --- the batch endpoint ------------------------------------------------------------------------

BATCH_OPENAPI = {
    "requestBody": {
        "required": True,
        "description": "One decision request (as for POST /v1/decisions) per "
        "line (NDJSON); blank lines are skipped.",
        "content": {"application/x-ndjson": {"schema": {"$ref": "#/components/schemas/DecisionRequestBody"}}},
    },
}
#: Most items of one batch whose commits are awaited at once (the others wait to be decided).
BATCH_WINDOW = 64


@router.post(
    "/v1/decisions/batch",
    tags=["decisions"],
    operation_id="decideBatch",
    response_model=None,
    openapi_extra=BATCH_OPENAPI,
    responses={
        200: {
            "description": "One line (NDJSON) per request line, in order: "
            "{line, status, decision} or {line, status, error}. A bad line fails alone.",
            "content": {"application/x-ndjson": {"schema": {"$ref": "#/components/schemas/BatchItem"}}},
        }
    },
)
async def decide_batch(request: Request) -> Response:
    """Decide many journeys in one request (caseworker): NDJSON in, NDJSON out, streamed both
    ways. Each line is decided and logged as a request of its own would be, and answered with
    the status it would have had; a bad line does not fail the batch. At most
    SENDRULES_MAX_BATCH_ITEMS lines, SENDRULES_MAX_BATCH_BYTES bytes and SENDRULES_MAX_BODY_BYTES
    per line."""
    principal = authenticate(request)
    require_role(principal, "caseworker")
    require_media_type(request, NDJSON_TYPES)
    return LinesResponse(_batch_lines(request, principal))


class LinesResponse(Response):
    """NDJSON sent as it is produced. Unlike Starlette's StreamingResponse, it does not read the
    request's messages to watch for a disconnect while it sends: the batch's lines are still
    being read from those messages (a disconnect shows as a failed send)."""

    media_type = "application/x-ndjson"

    def __init__(self, lines: AsyncIterator[bytes]) -> None:
        self.lines = lines
        self.status_code = 200
        self.background = None
        self.init_headers()

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        await send({"type": "http.response.start", "status": self.status_code, "headers": self.raw_headers})
        async for chunk in self.lines:
            await send({"type": "http.response.body", "body": chunk, "more_body": True})
        await send({"type": "http.response.body", "body": b"", "more_body": False})


async def _batch_lines(request: Request, principal: Principal) -> AsyncIterator[bytes]:
    state = request.app.state
    settings = state.settings
    pending: list[tuple[int, asyncio.Task]] = []

    async def one(line_number: int, raw: bytes | None) -> bytes:
        try:
            if raw is None:
                raise PayloadTooLarge(
                    f"the line is longer than {settings.max_body_bytes} bytes (SENDRULES_MAX_BODY_BYTES)",
                    limit="SENDRULES_MAX_BODY_BYTES",
                )
            payload = parse_json_bytes(
                raw, f"line {line_number}", f"line {line_number}", code="invalid_request"
            )
            if line_number > 1:
                charge(state, principal, 1)  # (the first was charged on arrival)
            rendered, result, _ = await decide_payload(state, payload, principal)
            status, document = decision_answer(rendered, result)
            return to_bytes({"line": line_number, "status": status, "decision": document}) + b"\n"
        except Exception as error:  # noqa: BLE001 -- every failure is this line's answer
            status, body = _item_problem(error)
            observability.count_decision("refused")
            return to_bytes({"line": line_number, "status": status, "error": body}) + b"\n"

    async def lines() -> AsyncIterator[tuple[int, bytes | None]]:
        """(line number, bytes) of each non-blank line; bytes None for a line over the limit,
        whose rest is skipped without being kept."""
        buffer, number, skipping = b"", 0, False
        try:
            async for chunk in request.stream():
                buffer += chunk
                while (cut := buffer.find(b"\n")) >= 0:
                    raw, buffer = buffer[:cut], buffer[cut + 1 :]
                    if skipping:  # the end of a line already answered as too long
                        skipping = False
                        continue
                    number += 1
                    if len(raw) > settings.max_body_bytes:
                        yield number, None
                    elif raw.strip():
                        yield number, raw
                if skipping:
                    buffer = b""
                elif len(buffer) > settings.max_body_bytes:
                    number += 1
                    yield number, None
                    buffer, skipping = b"", True
        except ClientDisconnect:
            return
        if buffer.strip() and not skipping:
            yield number + 1, buffer

    items = 0
    async for number, raw in lines():
        items += 1
        if items > settings.max_batch_items:
            for _number, task in pending:
                yield await task
            pending.clear()
            yield (
                to_bytes(
                    {
                        "line": number,
                        "status": 413,
                        "error": problem(
                            413,
                            "payload_too_large",
                            f"a batch holds at most {settings.max_batch_items} requests "
                            "(SENDRULES_MAX_BATCH_ITEMS); this line and the rest were not read",
                            limit="SENDRULES_MAX_BATCH_ITEMS",
                        ),
                    }
                )
                + b"\n"
            )
            break
        pending.append((number, asyncio.ensure_future(one(number, raw))))
        while pending and (pending[0][1].done() or len(pending) >= BATCH_WINDOW):
            yield await pending.pop(0)[1]
    for _number, task in pending:
        yield await task


def _item_problem(error: Exception) -> tuple[int, dict[str, Any]]:
    """A batch item's failure as the status and problem its own request would have had."""
    if isinstance(error, ApiError):
        return error.status, problem(error.status, error.code, error.message, error.errors, limit=error.limit)
    if isinstance(error, AuthError):
        return error.status, problem(error.status, error.code, error.message)
    if isinstance(error, EngineError):
        response = engine_error_response(error)
    elif isinstance(error, LogError):
        response = log_error_response(error)
    else:
        logger.error("a batch item failed", exc_info=error)
        return 500, problem(500, "internal_error", "the service failed; the error is in its log")
    return response.status_code, json.loads(response.body)


# --- reading and replaying logged decisions -----------------------------------------------------


@router.get(
    "/v1/decisions/{decision_id}",
    tags=["decisions"],
    operation_id="getDecision",
    responses={
        200: {
            "model": DecisionModel,
            "content": {"text/html": {"schema": {"type": "string"}}},
            "description": "The decision as JSON; or, when Accept prefers text/html, "
            "the child's timeline page (personal details masked).",
        }
    },
)
def get_decision(decision_id: str, request: Request, principal: Principal = Depends(caller)) -> Response:
    """A logged decision (auditor: any; caseworker: those it made). Every read is recorded."""
    require_role(principal, "caseworker", "auditor")
    log = request.app.state.log
    entry = log.find(decision_id) if len(decision_id) <= 64 else None
    if entry is None or (
        principal.role == "caseworker" and not log.accessed(principal.id, "decide", decision_id)
    ):
        raise LogError("unknown_decision", f"there is no decision {decision_id[:64]} for this caller")
    log.record_access(AccessRecord(principal.id, principal.role, "read", decision_id))
    document = decision_document(
        entry.decision(), {"seq": entry.seq, "recorded_at": entry.recorded_at, "entry_hash": entry.entry_hash}
    )
    if prefers_html(request.headers.get("accept")):  # a browser: the child's timeline (sendrules.pages)
        page = logged_timeline(log, request.app.state.cipher, entry, document)
        return Response(
            page.encode("utf-8"), media_type="text/html; charset=utf-8", headers={"Vary": "Accept"}
        )
    return _json(document, headers={"Vary": "Accept"})


@router.post(
    "/v1/decisions/{decision_id}/replay",
    tags=["decisions"],
    operation_id="replayDecision",
    responses={
        200: {
            "model": ReplayModel,
            "content": {"text/html": {"schema": {"type": "string"}}},
            "description": "The replay as JSON; or, when Accept prefers text/html, the "
            "auditor's report (the logged request masked).",
        }
    },
    dependencies=[Depends(checked_json_body)],
)
def replay_decision(
    decision_id: str, request: Request, body: ReplayBody | None = None, principal: Principal = Depends(caller)
) -> Response:
    """Re-evaluate a logged decision and compare (auditor); with ``standards``, what it would
    be under another version (auditor, policy). The log is never changed."""
    body = body or ReplayBody()
    if body.standards is None:
        require_role(principal, "auditor")
    else:
        require_role(principal, "auditor", "policy")
    state = request.app.state
    if body.backend is not None and body.backend not in state.settings.allowed_backends:
        raise InputError(
            "backend_not_allowed",
            f"this service does not offer the {body.backend} backend",
            [
                Problem(
                    "backend",
                    "available here: "
                    + ", ".join(state.settings.allowed_backends)
                    + " (SENDRULES_HTTP_BACKENDS)",
                    field="backend",
                )
            ],
        )
    if body.standards is not None and not body.standards.startswith("sha256:"):
        parse_reference(body.standards)  # a malformed reference is the caller's mistake (422)
    if len(decision_id) > 64 or state.log.find(decision_id) is None:
        raise LogError("unknown_decision", f"there is no decision {decision_id[:64]}")
    state.log.record_access(AccessRecord(principal.id, principal.role, "replay", decision_id, body.standards))
    result = replay(
        state.log,
        decision_id,
        state.cipher,
        standards=body.standards,
        backend=body.backend,
        library=state.library,
    )
    if prefers_html(request.headers.get("accept")):  # a browser: the auditor's report (sendrules.pages)
        from sendrules.pages.audit_report import render_audit_report

        page = render_audit_report(state.log, state.cipher, result, unmask=False)
        return Response(
            page.encode("utf-8"), media_type="text/html; charset=utf-8", headers={"Vary": "Accept"}
        )
    return _json(result.to_dict(), headers={"Vary": "Accept"})


# --- the inclusion dashboard ------------------------------------------------------------------

_RUN_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$")
_LA_CODE = re.compile(r"^[A-Z][0-9]{8}$|^[0-9]{3}$")


@router.get(
    "/v1/dashboards/{run}",
    tags=["dashboards"],
    operation_id="getDashboard",
    responses={
        200: {
            "content": {"text/html": {"schema": {"type": "string"}}},
            "description": "The inclusion dashboard of the cohort run, as one self-contained "
            "page (as `sendrules cohort dashboard`).",
        }
    },
    openapi_extra={
        "parameters": [
            {
                "name": "local_authority",
                "in": "query",
                "required": False,
                "schema": {"type": "string"},
                "description": "One local authority's view with its findings by pseudonymous reference "
                "(auditor only).",
            }
        ]
    },
)
def get_dashboard(run: str, request: Request, principal: Principal = Depends(caller)) -> Response:
    """The inclusion dashboard of a finished cohort run under ``SENDRULES_COHORT_RUNS``: the
    national view for policy and auditors; one local authority's view, which lists its findings
    by pseudonymous reference, for auditors only."""
    from sendrules.pages.dashboard import DashboardProblem, render_dashboard

    code = request.query_params.get("local_authority")
    require_role(principal, "auditor") if code is not None else require_role(principal, "policy", "auditor")
    root = request.app.state.settings.cohort_runs
    if root is None:
        raise LogError(
            "unknown_dashboard", "this service serves no dashboards (SENDRULES_COHORT_RUNS is not set)"
        )
    if not _RUN_NAME.match(run) or not (root / run).is_dir():
        raise LogError("unknown_dashboard", f"there is no cohort run {run[:100]!r}")
    if code is not None and not _LA_CODE.match(code):
        raise InputError(
            "invalid_request",
            "local_authority is an ONS code (E06000001) or a 3-digit LA number",
            [
                Problem(
                    "query.local_authority",
                    f"not a local authority code: {code[:20]!r}",
                    field="local_authority",
                )
            ],
        )
    state = request.app.state
    state.log.record_access(
        AccessRecord(
            principal.id,
            principal.role,
            "dashboard",
            detail=f"run {run}" + (f", local authority {code}" if code else ""),
        )
    )
    try:
        page = render_dashboard(root / run, local_authority=code)
    except DashboardProblem as error:  # (said without the server's paths)
        said = str(error).replace(str(root / run), run).replace(str(root), "")[:300]
        raise InputError("invalid_request", said, [Problem("run", said, field="run")]) from None
    return Response(page.encode("utf-8"), media_type="text/html; charset=utf-8")


# --- the log --------------------------------------------------------------------------------


@router.get(
    "/v1/log/verify",
    tags=["log"],
    operation_id="verifyLog",
    responses={200: {"model": VerifyModel}},
    openapi_extra={
        "parameters": [
            {
                "name": "anchor",
                "in": "query",
                "required": False,
                "style": "form",
                "explode": True,
                "schema": {
                    "type": "array",
                    "items": {"type": "string", "pattern": "^(access:)?[1-9][0-9]*:[0-9a-f]{64}$"},
                    "maxItems": 100,
                },
                "description": "SEQ:HASH of an entry, or access:SEQ:HASH of an access-log row, recorded "
                "elsewhere (the head lines of an earlier intact verify): a log rewritten after it is "
                "reported (kind `anchor` or `access_anchor`).",
            },
            {
                "name": "decrypt",
                "in": "query",
                "required": False,
                "schema": {"type": "boolean", "default": False},
                "description": "Also decrypt every request and check it against its hash (kind `request`).",
            },
        ]
    },
)
def verify_log(request: Request, principal: Principal = Depends(caller)) -> Response:
    """Walk the hash chain and report the first altered, removed or reordered entry (auditor).
    ``?anchor=SEQ:HASH`` (repeatable) also checks entry hashes recorded elsewhere, so a rewritten
    tail is found; ``?decrypt=true`` also decrypts every request and checks it against its hash,
    so a replaced payload is found (as ``sendrules log verify --anchor … --decrypt``)."""
    require_role(principal, "auditor")
    state = request.app.state
    anchors = tuple(_anchor(value) for value in request.query_params.getlist("anchor")[:100])
    decrypt = request.query_params.get("decrypt", "false")
    if decrypt not in ("true", "false"):
        raise InputError(
            "invalid_request",
            "decrypt is true or false",
            [Problem("query.decrypt", "expected true or false", field="decrypt")],
        )
    state.log.record_access(
        AccessRecord(
            principal.id, principal.role, "verify", detail=f"anchors {len(anchors)}, decrypt {decrypt}"
        )
    )
    report = state.log.verify(anchors, cipher=state.cipher if decrypt == "true" else None)
    return _json(report.to_dict())


def _anchor(value: str) -> Anchor:
    """``SEQ:HASH`` or ``access:SEQ:HASH``, as ``sendrules log verify`` prints them after an
    intact walk."""
    parsed = parse_anchor(value)
    if parsed is None:
        raise InputError(
            "invalid_request",
            "an anchor is SEQ:HASH or access:SEQ:HASH (a sequence number and a 64-digit entry hash)",
            [Problem("query.anchor", f"not SEQ:HASH: {value[:80]!r}", field="anchor")],
        )
    return parsed


@router.post(
    "/v1/log/find",
    tags=["log"],
    operation_id="findChildDecisions",
    responses={200: {"model": ChildEntriesModel}},
    dependencies=[Depends(checked_json_body)],
)
def find_decisions_about_a_child(
    body: FindBody, request: Request, principal: Principal = Depends(caller)
) -> Response:
    """Every logged decision about one child, for a subject access request (auditor). The search
    is recorded with the child's pseudonym, never the id."""
    require_role(principal, "auditor")
    state = request.app.state
    found = find_child(state.log, state.recorder.pseudonymiser, body.child_id)
    state.log.record_access(
        AccessRecord(principal.id, principal.role, "find", detail=f"pseudonym {found.child_pseudonym}")
    )
    return _json(found.to_dict())


# --- standards -------------------------------------------------------------------------------


@router.get(
    "/v1/standards",
    tags=["standards"],
    operation_id="listStandards",
    responses={200: {"model": list[StandardsVersion]}},
)
def list_standards(request: Request, principal: Principal = Depends(caller)) -> Response:
    """Every version of every pack: status, effective dates, content hash."""
    library = request.app.state.library
    rows = []
    for info in library.versions():
        try:
            sha256 = library.build(info).sha256
        except Exception:  # noqa: BLE001 -- a version that does not build is listed without a hash
            sha256 = None
        rows.append(info.listing(sha256))
    return _json(rows)


def _standard(request: Request, standards_id: str, version: str) -> ir.CompiledStandard:
    reference = f"{standards_id}@{version}"
    if len(reference) > 100:
        raise InputError(
            "invalid_standards_reference",
            "the standards reference is too long",
            [Problem("standards", "expected ID@VERSION", field="standards")],
        )
    parse_reference(reference)
    return request.app.state.library.resolve(reference, date(2000, 1, 1))


@router.get(
    "/v1/standards/{standards_id}/{version}",
    tags=["standards"],
    operation_id="getStandard",
    responses={200: {"content": {"application/json": {"schema": {"type": "object"}}}}},
)
def get_standard(
    standards_id: str, version: str, request: Request, principal: Principal = Depends(caller)
) -> Response:
    """A version's manifest, its rules with their clauses, its parameters and its tables."""
    return _json(describe_standard(_standard(request, standards_id, version)))


@router.get(
    "/v1/standards/{standards_id}/{version}/diff/{other_version}",
    tags=["standards"],
    operation_id="diffStandards",
    responses={
        200: {
            "content": {
                "application/json": {"schema": {"type": "object"}},
                "text/html": {"schema": {"type": "string"}},
            },
            "description": "What OTHER_VERSION changes from VERSION, as `sendrules diff "
            "ID@VERSION ID@OTHER_VERSION --format json`; or, when Accept "
            "prefers text/html, the side-by-side page.",
        }
    },
)
def diff_versions(
    standards_id: str,
    version: str,
    other_version: str,
    request: Request,
    principal: Principal = Depends(caller),
) -> Response:
    """What a version changes from another: rule by rule, parameters, tables, vocabulary (any role)."""
    from sendrules.policy.diff import diff_standards

    old = _standard(request, standards_id, version)
    new = _standard(request, standards_id, other_version)
    data = diff_standards(old, new).to_dict()
    if prefers_html(request.headers.get("accept")):  # a browser: the standards diff page (sendrules.pages)
        from sendrules.pages.standards_diff import render_standards_diff

        return Response(
            render_standards_diff(data).encode("utf-8"),
            media_type="text/html; charset=utf-8",
            headers={"Vary": "Accept"},
        )
    return _json(data, headers={"Vary": "Accept"})


def journey_schema(service: Any, standard: ir.CompiledStandard) -> dict[str, Any]:
    """The JSON Schema of a journey under ``standard``'s vocabulary, with its stable URL as ``$id``."""
    schema = service.validator_for(standard).json_schema()
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"/v1/standards/{standard.id}/{standard.version}/schema",
        **schema,
    }


@router.get(
    "/v1/standards/{standards_id}/{version}/schema",
    tags=["standards"],
    operation_id="getJourneySchema",
    responses={
        200: {
            "description": "A JSON Schema (draft 2020-12).",
            "content": {"application/schema+json": {"schema": {"type": "object"}}},
        }
    },
)
def get_schema(standards_id: str, version: str, request: Request) -> Response:
    """The JSON Schema of a journey under that version's event vocabulary, at a stable URL.
    Public (no key needed): it holds no personal data, and tools fetch it by URL."""
    standard = _standard(request, standards_id, version)
    return Response(
        to_bytes(journey_schema(request.app.state.service, standard)), media_type="application/schema+json"
    )


# --- operations --------------------------------------------------------------------------------


@router.get("/v1/health", tags=["service"], operation_id="health", responses={200: {"model": HealthModel}})
async def health() -> Response:
    """Liveness: the process answers (no authentication; reveals nothing else). Async, so it is
    answered on the event loop even while a worker thread replays a decision."""
    return _json({"status": "ok", "engine": ENGINE_VERSION})


@router.get(
    "/v1/ready",
    tags=["service"],
    operation_id="ready",
    responses={200: {"model": ReadyModel}, 503: {"model": ReadyModel, "description": "Not ready."}},
)
def ready(request: Request) -> Response:
    """Readiness: the decision log answers, the API key file is loaded, the standards compiled
    (no authentication; says only which check failed)."""
    state = request.app.state
    checks = {"log": "ok", "keys": "ok", "standards": "ok"}
    try:
        state.log.count()
    except Exception:  # noqa: BLE001 -- any failure means not ready; the detail goes to the log
        logger.exception("readiness: the decision log does not answer")
        checks["log"] = "the decision log does not answer"
    try:
        state.authenticator.keys.refresh()
        if not state.authenticator.keys.keys and state.authenticator.verifier is None:
            checks["keys"] = "no API key is configured"
    except Exception:  # noqa: BLE001
        checks["keys"] = "the API key file cannot be read"
    if not state.prepared:
        checks["standards"] = "no standards version compiled"
    ok = all(value == "ok" for value in checks.values())
    return _json({"status": "ready" if ok else "not_ready", "checks": checks}, 200 if ok else 503)


@router.get(
    "/metrics",
    tags=["service"],
    operation_id="metrics",
    include_in_schema=True,
    responses={
        200: {
            "description": "Prometheus text format.",
            "content": {"text/plain": {"schema": {"type": "string"}}},
        }
    },
)
def metrics() -> Response:
    """Prometheus metrics, added up over every worker process (no authentication: counts only,
    no identities or ids; keep it off the public network)."""
    body, content_type = observability.metrics_body()
    return Response(body, media_type=content_type)
