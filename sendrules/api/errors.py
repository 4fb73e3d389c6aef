"""Every error the service returns has one JSON shape: ``{code, message, errors: [...]}``, each
error locating the bad input by its JSON path. No input makes the service return 500: domain
errors, validation errors, oversized bodies, unknown routes and wrong methods all have their
own status, and anything unexpected is a 500 with a generic message (its details go to the
server's log, never to the client)."""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from sendrules.api.security import AuthError
from sendrules.decisionlog.errors import LogError
from sendrules.engine.errors import DecisionError, EngineError, StandardsError
from sendrules.engine.request import json_path

logger = logging.getLogger("sendrules.api")

#: HTTP status for each decision-log error code (others: 503, the log cannot be used now).
LOG_STATUS = {"unknown_decision": 404, "standards_not_stored": 409, "entry_altered": 409,
              "invalid_anchor": 422, "missing_key": 503, "log_unavailable": 503}


class PayloadTooLarge(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def error_body(code: str, message: str, errors: list | None = None) -> dict:
    return {"code": code, "message": message, "errors": errors or []}


def install(app: FastAPI) -> None:
    """Register the exception handlers on ``app``."""

    @app.exception_handler(AuthError)
    async def auth_error(request: Request, error: AuthError):
        headers = {"WWW-Authenticate": "Bearer"} if error.status == 401 else None
        return JSONResponse(error_body(error.code, error.message), status_code=error.status, headers=headers)

    @app.exception_handler(EngineError)
    async def engine_error(request: Request, error: EngineError):
        status = 404 if error.code == "unknown_standards" and request.method == "GET" else 422
        return JSONResponse(_engine_body(error), status_code=status)

    @app.exception_handler(LogError)
    async def log_error(request: Request, error: LogError):
        return log_error_response(error)

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, error: RequestValidationError):
        problems = []
        for item in error.errors():
            location = _json_path(item.get("loc", ()))
            problems.append({"location": location, "message": item.get("msg", "invalid"),
                             "type": item.get("type")})
        return JSONResponse(error_body("invalid_request", f"the request has {len(problems)} problem"
                                       f"{'s' if len(problems) != 1 else ''}", problems), status_code=422)

    @app.exception_handler(PayloadTooLarge)
    async def too_large(request: Request, error: PayloadTooLarge):
        return JSONResponse(error_body("payload_too_large", error.message), status_code=413)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, error: StarletteHTTPException):
        code = {404: "not_found", 405: "method_not_allowed"}.get(error.status_code, "http_error")
        return JSONResponse(error_body(code, str(error.detail)), status_code=error.status_code,
                            headers=getattr(error, "headers", None))

    @app.exception_handler(Exception)
    async def unexpected(request: Request, error: Exception):
        logger.exception("internal error on %s %s", request.method, request.url.path)
        return JSONResponse(error_body("internal_error", "the service failed; the error is in its log"),
                            status_code=500)


def log_error_response(error: LogError) -> JSONResponse:
    """A decision-log error as the service answers it (status by code; 503 if the log cannot be
    used now, which is also logged)."""
    status = LOG_STATUS.get(error.code, 503)
    if status >= 500:
        logger.error("decision log error %s: %s", error.code, error.message)
    return JSONResponse(error_body(error.code, error.message), status_code=status)


def _engine_body(error: EngineError) -> dict:
    kind = ("invalid_standards" if isinstance(error, StandardsError) else
            "cannot_decide" if isinstance(error, DecisionError) else None)
    body = error.to_dict()
    if kind:
        body["kind"] = kind
    return body


def _json_path(location) -> str:
    return json_path([part for part in location if part != "body"]) or "body"
