"""The HTTP service: ``create_app()`` builds it; ``sendrules serve`` runs it (serving.py).

    POST /v1/decisions                                decide and log           caseworker
    POST /v1/decisions/batch                          many, NDJSON in and out  caseworker
    GET  /v1/decisions/{id}                           a logged decision        caseworker (own), auditor
    POST /v1/decisions/{id}/replay                    replay, or under another version   auditor, policy
    GET  /v1/log/verify                               walk the hash chain      auditor
    POST /v1/log/find                                 decisions about a child  auditor
    GET  /v1/standards[/{id}/{version}]               the standards            any role
    GET  /v1/standards/{id}/{version}/schema          a version's journey JSON Schema   anyone
    GET  /v1/health, /v1/ready, /metrics              liveness, readiness, Prometheus   anyone
    GET  /openapi.json, /docs                         the API's description (offline)   anyone

The app is thin: it authenticates, checks roles, and calls the same library functions as the
command line (engine.service via decisionlog.recorder, decisionlog.replay, the standards library).
"""

from __future__ import annotations

import gc
import os
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.openapi.utils import get_openapi
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles

from sendrules.api import balance, errors, rate_limit
from sendrules.api.isolation import IsolatedDecider
from sendrules.api.layer import ServiceLayer
from sendrules.api.models import BatchItem, DecisionModel, DecisionRequestBody, Problem
from sendrules.api.routes import DECIDE_OPERATION, DECIDE_PATH, decide, journey_schema, router
from sendrules.api.security import Authenticator, JwtVerifier, KeyStore
from sendrules.api.settings import ApiSettings
from sendrules.decisionlog.config import load_config
from sendrules.decisionlog.recorder import Recorder
from sendrules.decisionlog.store import DecisionLog
from sendrules.engine import __version__ as ENGINE_VERSION
from sendrules.engine import calendar
from sendrules.engine.library import StandardsLibrary
from sendrules.engine.service import DecisionService

#: FastAPI's built-in OpenTelemetry support, all off. Left on, it traces every request and sends
#: validation failures (with the input values) and exception messages to whatever providers or
#: OTLP exporters the process has: request bodies here are children's journeys. The service's
#: own logging (docs/http-api.md) records no more than method, route, status and caller.
NO_TELEMETRY = {
    "tracing": False,
    "metrics": False,
    "logs": False,
    "operation_spans": False,
    "auto_configure": False,
}

DESCRIPTION = (
    "England's SEND and alternative provision standards, applied to a child's journey: every "
    "statutory duty, its due date, whether it was met, and the clause it comes from. Errors are "
    "RFC 9457 problems (application/problem+json) with a stable `code`; every limit and status "
    "is in docs/http-api.md."
)


def create_app(
    settings: ApiSettings | None = None,
    *,
    log: DecisionLog | None = None,
    prepare: bool = True,
    access_log: bool = True,
) -> FastAPI:
    """The service, configured from ``settings`` (default: the environment). ``prepare=False``
    skips building what requests need (for checking the configuration only)."""
    settings = settings or ApiSettings.from_environment()
    config = load_config(settings.log_url)
    library = StandardsLibrary(settings.standards_dir, watch=False)  # restart to take up edited standards
    service = DecisionService(library)
    log = log or DecisionLog.open(config.url, mode="append", background_checkpoints=True)
    cipher = config.cipher()
    decider = IsolatedDecider(settings.standards_dir, settings.decision_seconds, settings.decision_memory_mib)

    @asynccontextmanager
    async def lifespan(_app: FastAPI):
        yield
        if balance.SHARED is not None:
            balance.SHARED.release(os.getpid())
        decider.close()
        log.close()  # stops the background checkpointer and closes connections

    app = FastAPI(
        title="sendrules",
        version=ENGINE_VERSION,
        lifespan=lifespan,
        telemetry=NO_TELEMETRY,
        description=DESCRIPTION,
        docs_url=None,
        redoc_url=None,
    )
    app.state.settings = settings
    app.state.library = library
    app.state.service = service
    app.state.log = log
    app.state.cipher = cipher
    app.state.recorder = Recorder(log, service, config.pseudonymiser(), cipher)
    app.state.authenticator = Authenticator(KeyStore(settings.keys_file), JwtVerifier.from_environment())
    app.state.buckets = rate_limit.buckets()
    app.state.decider = decider
    app.state.prepared = 0
    errors.install(app)
    # the decide route on the application's own router, ahead of the included ones: matched
    # directly, without resolving the included router's routes for every decision (routes.py)
    app.add_route(DECIDE_PATH, decide, methods=["POST"], include_in_schema=False)
    app.include_router(router)
    _offline_docs(app)
    app.openapi = lambda: _openapi(app)  # type: ignore[method-assign]
    app.add_middleware(
        ServiceLayer,
        max_body_bytes=settings.max_body_bytes,
        max_batch_bytes=settings.max_batch_bytes,
        body_timeout=settings.body_timeout,
        access_log=access_log,
    )
    if balance.SHARED is not None:  # several workers under ``serve``: keep connections shared fairly
        app.add_middleware(balance.BalanceConnections, loads=balance.SHARED)
    if prepare:
        _prepare_for_requests(app)
    return app


def _prepare_for_requests(app: FastAPI) -> None:
    """Build what the first requests would otherwise build (the standards, their journey
    validators and compiled rules, the bank-holiday data), then move every object that exists
    now out of the garbage collector's reach (``gc.freeze``): a full collection no longer walks the whole
    service for each pause, which kept tail latency high under load. Last, the youngest
    generation's threshold is raised (``YOUNG_COLLECTION_THRESHOLD``)."""
    library, service = app.state.library, app.state.service
    for info in library.versions():
        try:
            standard = library.build(info)
        except Exception:  # noqa: BLE001 -- a version that does not build is reported when used
            continue
        service.prepared(standard)  # journey validator and compiled conditions
        app.state.prepared += 1
        if info.effective_from is not None:
            # loads the bank-holiday data (the first lookup costs ~130 ms); later years ~0.6 ms each
            calendar.is_bank_holiday(info.effective_from)
    app.openapi()  # built once, here, rather than by the first client that asks
    gc.collect()
    gc.freeze()
    _, middle, oldest = gc.get_threshold()
    gc.set_threshold(YOUNG_COLLECTION_THRESHOLD, middle, oldest)


#: How many more container objects (dicts, lists, instances, ...) are made than freed between two
#: collections of the garbage collector's youngest generation in the service (Python's default
#: is 700). Each of those collections walks every young object still alive, and 16 requests in
#: flight keep about a thousand alive (their coroutines, closures and parsed bodies): at 700, a
#: collection came every ~18 decisions and cost about 0.4 ms, 2-3% of the service's CPU. At
#: 10,000 there were 2 in 3,000 decisions (bench.request_path), each costing about as much.
#: Reference counting still frees everything that is not in a cycle at once; cyclic garbage
#: waits at most this many allocations (docs/performance.md, tenth round).
YOUNG_COLLECTION_THRESHOLD = 10_000


# --- documentation, offline ---------------------------------------------------------------------


def _offline_docs(app: FastAPI) -> None:
    """``/docs``: Swagger UI from the swagger-ui-bundle package's own files (no CDN)."""
    from swagger_ui_bundle import swagger_ui_path

    app.mount("/docs/assets", StaticFiles(directory=str(swagger_ui_path)), name="docs-assets")

    @app.get("/docs", include_in_schema=False)
    async def docs() -> HTMLResponse:
        return get_swagger_ui_html(
            openapi_url="/openapi.json",
            title="sendrules API",
            swagger_js_url="/docs/assets/swagger-ui-bundle.js",
            swagger_css_url="/docs/assets/swagger-ui.css",
            swagger_favicon_url="/docs/assets/favicon-32x32.png",
        )


# --- the OpenAPI document -----------------------------------------------------------------------

#: Operations anyone may call; every other needs a bearer key or token.
PUBLIC = {"health", "ready", "metrics", "getJourneySchema"}
#: The problems each operation can answer, besides its successes.
_COMMON = {
    400: "The client went away or sent a malformed request.",
    401: "No valid API key or token (WWW-Authenticate: Bearer).",
    403: "The caller's role may not do this.",
    404: "No such decision (for this caller), standards version or route.",
    408: "The body was not received within SENDRULES_BODY_TIMEOUT.",
    409: "A logged entry or standards text that fails its own hash.",
    413: "Too large: the body (SENDRULES_MAX_BODY_BYTES), the journey (SENDRULES_MAX_EVENTS), "
    "the time (SENDRULES_MAX_DECISION_SECONDS) or memory (SENDRULES_MAX_DECISION_MEMORY_MIB) "
    "deciding it takes; `limit` names the setting.",
    415: "No Content-Type, or not the one this operation reads.",
    422: "Invalid input; each error names its JSON path (or the line and column of bad JSON).",
    429: "This caller's rate limit is spent (Retry-After says when to try again).",
    503: "The decision log cannot be used now, or too many large decisions wait (Retry-After).",
}
_STATUSES = {
    "decide": (400, 401, 403, 408, 409, 413, 415, 422, 429, 503),
    "decideBatch": (400, 401, 403, 408, 413, 415, 429),
    "getDecision": (401, 403, 404, 422, 429, 503),
    "replayDecision": (400, 401, 403, 404, 408, 409, 413, 415, 422, 429, 503),
    "verifyLog": (401, 403, 422, 429, 503),
    "findChildDecisions": (400, 401, 403, 408, 413, 415, 422, 429, 503),
    "listStandards": (401, 403, 429),
    "getStandard": (401, 403, 404, 422, 429),
    "getJourneySchema": (404, 422),
    "diffStandards": (401, 403, 404, 422, 429),
    "getDashboard": (401, 403, 404, 422, 429, 503),
    "health": (),
    "ready": (),
    "metrics": (),
}


def _openapi(app: FastAPI) -> dict[str, Any]:
    """The OpenAPI document, with: a bearer security scheme on every operation that needs a key;
    the journey typed by each standards version's vocabulary; every status an operation can
    answer, errors as RFC 9457 problems; stable operation ids (set on the routes)."""
    if app.openapi_schema:
        return app.openapi_schema
    document = get_openapi(
        title=app.title, version=app.version, description=app.description, routes=app.routes
    )
    components = document.setdefault("components", {})
    schemas = components.setdefault("schemas", {})
    for name in ("HTTPValidationError", "ValidationError"):
        schemas.pop(name, None)
    for model in (DecisionRequestBody, DecisionModel, BatchItem, Problem):
        _add_model(schemas, model)
    # the decide route is a plain Starlette route (routes.py says why): its operation is written out
    document["paths"].setdefault("/v1/decisions", {})["post"] = {
        **DECIDE_OPERATION,
        "description": " ".join((decide.__doc__ or "").split()),
    }
    document["paths"] = dict(sorted(document["paths"].items()))
    journeys = _journey_schemas(app, schemas)
    if journeys:
        schemas["DecisionRequestBody"]["properties"]["journey"] = {
            "description": schemas["DecisionRequestBody"]["properties"]["journey"].get("description", ""),
            "anyOf": [{"$ref": f"#/components/schemas/{name}"} for name in journeys],
        }
    components["securitySchemes"] = {
        "bearer": {
            "type": "http",
            "scheme": "bearer",
            "description": "An API key (sr_<id>_<secret>, from `sendrules keys add`) or a JWT signed with the "
            "key the service is configured with.",
        }
    }
    for path_item in document.get("paths", {}).values():
        for operation in path_item.values():
            operation_id = operation.get("operationId")
            responses = operation.setdefault("responses", {})
            responses.pop("422", None)  # FastAPI's own validation error shape: ours is a problem
            if operation_id not in PUBLIC:
                operation["security"] = [{"bearer": []}]
            for status in _STATUSES.get(operation_id, (401, 403, 422, 429)):
                responses[str(status)] = {
                    "description": _COMMON[status],
                    "content": {
                        "application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}
                    },
                }
            if operation_id == "ready":
                continue
            for status, response in responses.items():
                if status.startswith("2"):
                    response.setdefault("headers", {})["X-Request-ID"] = {
                        "schema": {"type": "string"},
                        "description": "The request's id, as in the service's log.",
                    }
    app.openapi_schema = document
    return document


def _add_model(schemas: dict[str, Any], model) -> None:
    schema = model.model_json_schema(ref_template="#/components/schemas/{model}")
    for name, definition in schema.pop("$defs", {}).items():
        schemas.setdefault(name, definition)
    schemas[model.__name__] = schema


def _journey_schemas(app: FastAPI, schemas: dict[str, Any]) -> list[str]:
    """Each buildable standards version's journey schema, as ``Journey_<id>_<version>`` with its
    definitions prefixed alike; the names, newest version first."""
    library = app.state.library
    names = []
    for info in sorted(library.versions(), key=lambda info: (info.pack_id, info.version), reverse=True):
        try:
            standard = library.build(info)
        except Exception:  # noqa: BLE001 -- a version that does not build has no schema
            continue
        prefix = "Journey_" + "".join(c if c.isalnum() else "_" for c in f"{standard.id}_{standard.version}")
        schema = journey_schema(app.state.service, standard)
        schema.pop("$schema", None)
        schema.pop("$id", None)  # (inside the document, an $id would change how its $refs resolve)
        definitions = schema.pop("$defs", {})
        renamed = {name: f"{prefix}_{name}" for name in definitions}
        for name, definition in definitions.items():
            schemas[renamed[name]] = _rewrite_refs(definition, renamed)
        schemas[prefix] = _rewrite_refs(schema, renamed)
        names.append(prefix)
    return names


def _rewrite_refs(value: Any, renamed: dict[str, str]) -> Any:
    if isinstance(value, dict):
        result = {}
        for key, item in value.items():
            if key == "$ref" and isinstance(item, str) and item.startswith("#/$defs/"):
                result[key] = "#/components/schemas/" + renamed[item[len("#/$defs/") :]]
            elif key == "mapping" and isinstance(item, dict):
                result[key] = {
                    tag: (
                        "#/components/schemas/" + renamed[ref[len("#/$defs/") :]]
                        if ref.startswith("#/$defs/")
                        else ref
                    )
                    for tag, ref in item.items()
                }
            else:
                result[key] = _rewrite_refs(item, renamed)
        return result
    if isinstance(value, list):
        return [_rewrite_refs(item, renamed) for item in value]
    return value
