"""Every error the service returns is an RFC 9457 problem (``application/problem+json``):

    {"type": "urn:sendrules:problem:invalid_journey", "title": "Unprocessable Content",
     "status": 422, "detail": "...", "code": "invalid_journey", "message": "...",
     "errors": [{"location": "journey.events[3].outcome", "message": "...", ...}]}

``type``/``title``/``status``/``detail`` are RFC 9457's members; ``code``, ``message`` and
``errors`` (each located by its JSON path) are the members this service has always returned, kept
so existing clients keep working. Every text is bounded (``MAX_TEXT`` characters): a bad value is
quoted by a short prefix at most, however large it was. No input makes the service return 500:
domain errors, validation errors, oversized bodies, unknown routes and wrong methods all have their
own status, and anything unexpected is a 500 with a generic message (its details go to the
server's log, never to the client).
"""

from __future__ import annotations

import json
import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from sendrules.api.security import AuthError
from sendrules.decisionlog.errors import LogError
from sendrules.engine.errors import DecisionError, EngineError, StandardsError
from sendrules.engine.request import json_path, parse_json_bytes

logger = logging.getLogger("sendrules.api")

PROBLEM_JSON = "application/problem+json"
#: The longest text (message, location, value) an error repeats back.
MAX_TEXT = 300
#: The most located errors one problem lists (the message says how many there were).
MAX_ERRORS = 100

#: HTTP status for each decision-log error code (others: 503, the log cannot be used now).
LOG_STATUS = {
    "unknown_decision": 404,
    "unknown_dashboard": 404,
    "standards_not_stored": 409,
    "entry_altered": 409,
    "request_hash_mismatch": 409,
    "standards_hash_mismatch": 409,
    "standards_changed": 409,
    "ambiguous_standards": 409,
    "unknown_standards": 422,
    "invalid_child_id": 422,
    "invalid_anchor": 422,
    "missing_key": 503,
    "log_unavailable": 503,
}
#: What a 503 says, whatever the log's own message was (which may name files or hosts).
LOG_UNAVAILABLE = {
    "missing_key": "the decision log's keys are not configured on this service",
    "log_unavailable": "the decision log cannot be used now; try again later",
}


class ApiError(Exception):
    """An error the HTTP layer raises itself, with its status and code; ``limit`` names the
    setting whose bound was passed (for 413s), ``headers`` are added to the answer."""

    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        errors: list[dict] | None = None,
        limit: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.status, self.code, self.message = status, code, message
        self.errors = errors or []
        self.limit = limit
        self.headers = headers


class PayloadTooLarge(ApiError):
    def __init__(self, message: str, limit: str | None = None) -> None:
        super().__init__(413, "payload_too_large", message, limit=limit)


#: RFC 9110's names, fixed here (Python's http module renamed some between versions).
TITLES = {
    400: "Bad Request",
    401: "Unauthorized",
    403: "Forbidden",
    404: "Not Found",
    405: "Method Not Allowed",
    408: "Request Timeout",
    409: "Conflict",
    413: "Content Too Large",
    415: "Unsupported Media Type",
    422: "Unprocessable Content",
    429: "Too Many Requests",
    500: "Internal Server Error",
    503: "Service Unavailable",
}


def bounded(text: Any, limit: int = MAX_TEXT) -> Any:
    """``text`` cut to ``limit`` characters (with an ellipsis); other values unchanged."""
    if isinstance(text, str) and len(text) > limit:
        return text[:limit] + "…"
    return text


def problem(status: int, code: str, message: str, errors: list | None = None, **extra: Any) -> dict[str, Any]:
    """The problem document for an error."""
    items = [{key: bounded(value) for key, value in item.items()} for item in (errors or [])[:MAX_ERRORS]]
    body = {
        "type": f"urn:sendrules:problem:{code}",
        "title": TITLES.get(status, "Error"),
        "status": status,
        "detail": bounded(message),
        "code": code,
        "message": bounded(message),
        "errors": items,
    }
    body.update({key: value for key, value in extra.items() if value is not None})
    return body


def problem_response(
    status: int,
    code: str,
    message: str,
    errors: list | None = None,
    headers: dict[str, str] | None = None,
    **extra: Any,
) -> Response:
    body = json.dumps(
        problem(status, code, message, errors, **extra), ensure_ascii=False, separators=(",", ":")
    ).encode("utf-8")
    return Response(body, status_code=status, media_type=PROBLEM_JSON, headers=headers)


def problem_bytes(status: int, code: str, message: str, **extra: Any) -> bytes:
    """The problem as bytes, for layers that answer below the framework (body limits)."""
    return json.dumps(
        problem(status, code, message, **extra), ensure_ascii=False, separators=(",", ":")
    ).encode("utf-8")


def install(app: FastAPI) -> None:
    """Register the exception handlers on ``app``."""

    @app.exception_handler(AuthError)
    async def auth_error(request: Request, error: AuthError):
        headers = {"WWW-Authenticate": "Bearer"} if error.status == 401 else None
        return problem_response(error.status, error.code, error.message, headers=headers)

    @app.exception_handler(ApiError)
    async def api_error(request: Request, error: ApiError):
        return api_error_response(error)

    @app.exception_handler(EngineError)
    async def engine_error(request: Request, error: EngineError):
        return engine_error_response(error, request.method)

    @app.exception_handler(LogError)
    async def log_error(request: Request, error: LogError):
        return log_error_response(error)

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, error: RequestValidationError):
        if any(item.get("type") == "json_invalid" for item in error.errors()):
            try:  # the body is not JSON: say where, as POST /v1/decisions does (body:LINE:COLUMN)
                parse_json_bytes(await request.body(), "the body", "body", code="invalid_request")
            except EngineError as located:
                return engine_error_response(located, request.method)
        problems = [
            {
                "location": _json_path(item.get("loc", ())),
                "message": item.get("msg", "invalid"),
                "type": item.get("type"),
            }
            for item in error.errors()
        ]
        return problem_response(
            422,
            "invalid_request",
            f"the request has {len(problems)} problem{'s' if len(problems) != 1 else ''}",
            problems,
        )

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, error: StarletteHTTPException):
        code = {404: "not_found", 405: "method_not_allowed"}.get(error.status_code, "http_error")
        return problem_response(
            error.status_code, code, str(error.detail), headers=getattr(error, "headers", None)
        )

    @app.exception_handler(Exception)
    async def unexpected(request: Request, error: Exception):
        logger.exception("internal error on %s %s", request.method, request.url.path)
        return problem_response(500, "internal_error", "the service failed; the error is in its log")


def api_error_response(error: ApiError) -> Response:
    return problem_response(
        error.status, error.code, error.message, error.errors, headers=error.headers, limit=error.limit
    )


def engine_error_response(error: EngineError, method: str = "POST") -> Response:
    """An engine error: 404 for unknown standards named in a GET's path, else 422."""
    status = 404 if error.code == "unknown_standards" and method == "GET" else 422
    kind = (
        "invalid_standards"
        if isinstance(error, StandardsError)
        else "cannot_decide"
        if isinstance(error, DecisionError)
        else None
    )
    return problem_response(
        status, error.code, error.message, [p.to_dict() for p in error.problems], kind=kind
    )


def log_error_response(error: LogError) -> Response:
    """A decision-log error as the service answers it (status by code; 503 if the log cannot be
    used now, which is logged in full, while the answer names no file, host or path)."""
    status = LOG_STATUS.get(error.code, 503)
    if status >= 500:
        logger.error("decision log error %s: %s", error.code, error.message)
        return problem_response(
            status,
            error.code,
            LOG_UNAVAILABLE.get(error.code, LOG_UNAVAILABLE["log_unavailable"]),
            headers={"Retry-After": "5"},
        )
    return problem_response(status, error.code, error.message)


def _json_path(location) -> str:
    return json_path([part for part in location if part != "body"]) or "body"
