"""The HTTP endpoints. Each one authenticates, checks the role, calls the same library code as
the command line, records reads of logged decisions, and returns JSON. No rule logic here."""

from __future__ import annotations

import asyncio
import json
from concurrent.futures import Future
from datetime import date
from typing import Any

from fastapi import APIRouter, Depends, Header, Request
from fastapi.responses import JSONResponse, Response

from sendrules.api.errors import PayloadTooLarge
from sendrules.api.models import (ERRORS, ChildEntriesModel, DecisionModel, DecisionRequestBody, FindBody, HealthModel,
                        ReplayBody, ReplayModel, StandardsVersion, VerifyModel)
from sendrules.api.security import Principal, require_role
from sendrules.decisionlog.errors import LogError
from sendrules.decisionlog.replay import replay
from sendrules.decisionlog.store import AccessRecord, AppendResult, LogEntry
from sendrules.decisionlog.subject_access import find_child
from sendrules.dsl import ir
from sendrules.engine import __version__ as ENGINE_VERSION
from sendrules.engine.decision import in_contract_order
from sendrules.engine.errors import InputError, Problem
from sendrules.engine.library import parse_reference
from sendrules.engine.request import parse_request
from sendrules.pages.http import logged_timeline, prefers_html

router = APIRouter()


async def caller(request: Request,
                 authorization: str | None = Header(None, description="Bearer <API key or JWT>")) -> Principal:
    """The authenticated caller (401 otherwise). Async: it does no I/O, so it runs on the event
    loop instead of costing each request a hop to a worker thread."""
    return request.app.state.authenticator.principal(authorization)


def _json(data: Any, status: int = 200, headers: dict | None = None) -> Response:
    body = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return Response(body, status_code=status, media_type="application/json", headers=headers)


def _with_log(decision: dict[str, Any], entry: LogEntry, created: bool | None = None) -> dict[str, Any]:
    """The decision (as logged) in the contract's key order, with where it is in the log."""
    log = {"seq": entry.seq, "recorded_at": entry.recorded_at, "entry_hash": entry.entry_hash}
    if created is not None:
        log["created"] = created
    return {**in_contract_order(decision), "log": log}


# --- decisions -----------------------------------------------------------------------------


@router.post("/v1/decisions", tags=["decisions"], status_code=201,
             responses={201: {"model": DecisionModel, "description": "Decided and logged."},
                        200: {"model": DecisionModel, "description": "The same decision was already logged."},
                        413: {"description": "The body or the journey is too large."}, **ERRORS})
async def decide(body: DecisionRequestBody, request: Request, principal: Principal = Depends(caller)) -> Response:
    """Decide a journey and record the decision in the decision log (caseworker).

    Async: the decision is CPU work done right here on the event loop (a worker thread would
    only add a hop and compete for the interpreter), and the loop is never blocked on the
    database: the entry is queued for the log's committer thread and the response waits for
    its commit. (Valid requests usually arrive by ``api.fast_path``, which calls the same two
    functions below.)"""
    rendered, committed = submit_decision(request.app.state, body, principal)
    return decision_response(rendered, await asyncio.wrap_future(committed))


def submit_decision(state: Any, body: DecisionRequestBody, principal: Principal) -> tuple[dict, Future]:
    """Check the caller's role and the journey's size, decide, and queue the entry for the log:
    the decision as it will be recorded, and the future of its commit. Nothing is queued if
    this raises."""
    require_role(principal, "caseworker")
    events = body.journey.get("events")
    if isinstance(events, list) and len(events) > state.settings.max_events:
        raise PayloadTooLarge(f"the journey has {len(events)} events; at most {state.settings.max_events} "
                              "are accepted (SENDRULES_MAX_EVENTS)")
    payload: dict[str, Any] = {"journey": body.journey, "as_of": body.as_of}
    if body.standards is not None:
        payload["standards"] = body.standards
    if body.school_closures is not None:
        payload["school_closures"] = [closure.model_dump(by_alias=True) for closure in body.school_closures]
    decision_request = parse_request(payload)
    _decision, rendered, committed = state.recorder.submit(
        decision_request, backend=body.backend or state.settings.default_backend,
        access=AccessRecord(principal.id, principal.role, "decide"))
    return rendered, committed


def decision_response(rendered: dict, result: AppendResult) -> Response:
    """The answer to a committed decision: 201 with it, or 200 with the entry already logged."""
    entry, created = result.entry, result.created
    decision = rendered if created else entry.decision()
    return _json(_with_log(decision, entry, created), status=201 if created else 200,
                 headers={"Location": f"/v1/decisions/{entry.decision_id}"})


@router.get("/v1/decisions/{decision_id}", tags=["decisions"],
            responses={200: {"model": DecisionModel,
                             "content": {"text/html": {"schema": {"type": "string"}}},
                             "description": "The decision as JSON; or, when Accept prefers text/html, "
                                            "the child's timeline page (personal details masked)."},
                       404: {"description": "No such decision (for this caller)."},
                       **ERRORS})
def get_decision(decision_id: str, request: Request, principal: Principal = Depends(caller)) -> Response:
    """A logged decision (auditor: any; caseworker: those it made). Every read is recorded."""
    require_role(principal, "caseworker", "auditor")
    log = request.app.state.log
    entry = log.find(decision_id) if len(decision_id) <= 64 else None
    if entry is None or (principal.role == "caseworker" and not log.accessed(principal.id, "decide", decision_id)):
        raise LogError("unknown_decision", f"there is no decision {decision_id[:64]} for this caller")
    log.record_access(AccessRecord(principal.id, principal.role, "read", decision_id))
    if prefers_html(request.headers.get("accept")):  # a browser: the child's timeline (sendrules.pages)
        page = logged_timeline(log, request.app.state.cipher, entry, _with_log(entry.decision(), entry))
        return Response(page.encode("utf-8"), media_type="text/html; charset=utf-8",
                        headers={"Vary": "Accept"})
    return _json(_with_log(entry.decision(), entry), headers={"Vary": "Accept"})


@router.post("/v1/decisions/{decision_id}/replay", tags=["decisions"],
             responses={200: {"model": ReplayModel}, 404: {"description": "No such decision."}, **ERRORS})
def replay_decision(decision_id: str, request: Request, body: ReplayBody | None = None,
                    principal: Principal = Depends(caller)) -> Response:
    """Re-evaluate a logged decision and compare (auditor); with ``standards``, what it would
    be under another version (auditor, policy). The log is never changed."""
    body = body or ReplayBody()
    if body.standards is None:
        require_role(principal, "auditor")
    else:
        require_role(principal, "auditor", "policy")
    state = request.app.state
    if len(decision_id) > 64 or state.log.find(decision_id) is None:
        raise LogError("unknown_decision", f"there is no decision {decision_id[:64]}")
    state.log.record_access(AccessRecord(principal.id, principal.role, "replay", decision_id, body.standards))
    result = replay(state.log, decision_id, state.cipher, standards=body.standards, backend=body.backend,
                    library=state.library)
    return _json(result.to_dict())


# --- the log --------------------------------------------------------------------------------


@router.get("/v1/log/verify", tags=["log"], responses={200: {"model": VerifyModel}, **ERRORS})
def verify_log(request: Request, principal: Principal = Depends(caller)) -> Response:
    """Walk the hash chain and report the first altered, removed or reordered entry (auditor)."""
    require_role(principal, "auditor")
    log = request.app.state.log
    log.record_access(AccessRecord(principal.id, principal.role, "verify"))
    return _json(log.verify().to_dict())


@router.post("/v1/log/find", tags=["log"], responses={200: {"model": ChildEntriesModel}, **ERRORS})
def find_decisions_about_a_child(body: FindBody, request: Request,
                                 principal: Principal = Depends(caller)) -> Response:
    """Every logged decision about one child, for a subject access request (auditor). The search
    is recorded with the child's pseudonym, never the id."""
    require_role(principal, "auditor")
    state = request.app.state
    found = find_child(state.log, state.recorder.pseudonymiser, body.child_id)
    state.log.record_access(AccessRecord(principal.id, principal.role, "find",
                                         detail=f"pseudonym {found.child_pseudonym}"))
    return _json(found.to_dict())


# --- standards -------------------------------------------------------------------------------


@router.get("/v1/standards", tags=["standards"], responses={200: {"model": list[StandardsVersion]}, **ERRORS})
def list_standards(request: Request, principal: Principal = Depends(caller)) -> Response:
    """Every version of every pack: status, effective dates, content hash."""
    library = request.app.state.library
    rows = []
    for info in library.versions():
        try:
            sha256 = library.build(info).sha256
        except Exception:  # noqa: BLE001 -- a version that does not build is listed without a hash
            sha256 = None
        rows.append({"id": info.pack_id, "version": info.version, "status": info.status,
                     "effective_from": info.effective_from.isoformat() if info.effective_from else None,
                     "effective_to": info.effective_to.isoformat() if info.effective_to else None,
                     "title": info.title, "sha256": sha256})
    return _json(rows)


def _standard(request: Request, standards_id: str, version: str) -> ir.CompiledStandard:
    reference = f"{standards_id}@{version}"
    if len(reference) > 100:
        raise InputError("invalid_standards_reference", "the standards reference is too long",
                         [Problem("standards", "expected ID@VERSION", field="standards")])
    parse_reference(reference)
    return request.app.state.library.resolve(reference, date(2000, 1, 1))


@router.get("/v1/standards/{standards_id}/{version}", tags=["standards"], responses=ERRORS)
def get_standard(standards_id: str, version: str, request: Request,
                 principal: Principal = Depends(caller)) -> Response:
    """A version's manifest, its rules with their clauses, its parameters and its tables."""
    return _json(describe_standard(_standard(request, standards_id, version)))


@router.get("/v1/standards/{standards_id}/{version}/schema", tags=["standards"], responses=ERRORS)
def get_schema(standards_id: str, version: str, request: Request,
               principal: Principal = Depends(caller)) -> Response:
    """The JSON Schema of a journey under that version's event vocabulary."""
    standard = _standard(request, standards_id, version)
    return _json(request.app.state.service.validator_for(standard).json_schema())


def _duty(duty: ir.DutyHolder) -> dict[str, Any]:
    if isinstance(duty, ir.FixedHolder):
        return {"holder": duty.holder}
    return {"depends_on": f"{duty.selector.binding}.{duty.selector.field}",
            "cases": dict(duty.cases), "otherwise": duty.otherwise}


def describe_standard(standard: ir.CompiledStandard) -> dict[str, Any]:
    return {
        "id": standard.id, "version": standard.version, "sha256": standard.sha256, "title": standard.title,
        "status": standard.status, "illustrative": standard.illustrative,
        "effective_from": standard.effective_from.isoformat(),
        "effective_to": standard.effective_to.isoformat() if standard.effective_to else None,
        "supersedes": standard.supersedes, "summary": standard.summary,
        "duty_holders": dict(standard.duty_holders),
        "sources": [{"title": title, "url": url} for title, url in standard.sources],
        "rules": [{"id": rule.id, "title": rule.title, "modality": rule.modality, "kind": rule.kind,
                   "duty": _duty(rule.duty),
                   "trigger": list(rule.trigger.match.types), "citations": list(rule.citations),
                   "unconfirmed": list(rule.unconfirmed), "source": f"{rule.source_file}:{rule.source_line}",
                   "text": rule.source_text}
                  for rule in standard.rules],
        "parameters": [{"name": p.name, "unit": p.unit, "description": p.description, "source": p.source,
                        "unconfirmed": p.unconfirmed,
                        "values": [{"from": day.isoformat(), "value": value} for day, value in p.values]}
                       for p in standard.parameters],
        "tables": [{"id": t.id, "title": t.title, "hit_policy": t.hit_policy, "given": t.event_type,
                    "inputs": list(t.inputs), "outputs": list(t.outputs), "illustrative": t.illustrative,
                    "citations": list(t.citations), "rows": [list(row.outputs) for row in t.rows]}
                   for t in standard.tables],
    }


# --- health ---------------------------------------------------------------------------------


@router.get("/v1/health", tags=["service"], responses={200: {"model": HealthModel}})
def health() -> Response:
    """Liveness: the service is up (no authentication; reveals nothing else)."""
    return JSONResponse({"status": "ok", "engine": ENGINE_VERSION})
