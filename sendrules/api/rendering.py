"""One rendering of a decision for every answer that carries it.

A decision reaches the HTTP layer in two forms with the same content: as the engine built it
(keys in the contract's order) and as the log stored it (canonical JSON, keys sorted). Both are
rendered here into the same bytes: every object's keys in a fixed order — the contract's where
it names one (the decision, ``standards``, ``engine``, each finding and provision entry, the
summary's statuses), sorted for maps keyed by data (a finding's ``parameters``, a provision
entry's ``inputs`` and ``outputs``) — and compact UTF-8 JSON. So ``201``, the ``200`` of a
decision already logged and ``GET /v1/decisions/{id}`` give the same decision byte for byte;
only the ``log`` object differs (``created`` is there only in answers to a request to decide).
"""

from __future__ import annotations

import json
from operator import is_not
from typing import Any

import orjson

from sendrules.engine.decision import DECISION_KEYS, FINDING_KEYS  # the contract's orders, defined once

STANDARDS_KEYS = ("id", "version", "sha256", "illustrative")
ENGINE_KEYS = ("version", "backend", "calendar")
SCHOOL_DAYS_KEYS = ("calendar", "name", "assumed", "school_closures", "findings")
SCHOOL_DAYS_FINDING_KEYS = ("rule", "trigger", "assumed")
FINDING_SCHOOL_DAYS_KEYS = ("calendar", "assumed")
SUMMARY_KEYS = ("met", "pending", "late", "overdue", "breached", "exempt")
PROVISION_KEYS = (
    "table",
    "based_on",
    "inputs",
    "row",
    "outputs",
    "missing",
    "citations",
    "message",
    "illustrative",
)
LOG_KEYS = ("seq", "recorded_at", "entry_hash", "created")


def _ordered(data: Any, keys: tuple[str, ...]) -> Any:
    """``data``'s known keys in ``keys``' order, then any others sorted: ``data`` itself when it
    is already in that order (as the engine writes it), else a reordered copy. Never changed in
    place: the same dicts are the log entry's."""
    if not isinstance(data, dict) or tuple(data) == keys[: len(data)]:
        return data
    known = {key: data[key] for key in keys if key in data}
    known.update({key: data[key] for key in sorted(data) if key not in known})
    return known


def _sorted(data: Any) -> Any:
    if not isinstance(data, dict) or len(data) < 2:
        return data
    keys = list(data)
    return data if keys == sorted(keys) else {key: data[key] for key in sorted(keys)}


def _with(data: dict, key: str, value: Any) -> dict:
    """``data`` with ``key`` set to ``value``: ``data`` itself if it already holds that object."""
    if data.get(key) is value:
        return data
    return {**data, key: value}


def canonical_decision(decision: dict[str, Any]) -> dict[str, Any]:
    """The decision with every object's keys in the one order answers use."""
    result = _ordered(decision, DECISION_KEYS)
    for key, keys in (("standards", STANDARDS_KEYS), ("engine", ENGINE_KEYS), ("summary", SUMMARY_KEYS)):
        if key in result:
            result = _with(result, key, _ordered(result[key], keys))
    findings = result.get("findings")
    if isinstance(findings, list):
        ordered = [_finding(finding) for finding in findings]
        if any(map(is_not, ordered, findings)):
            result = _with(result, "findings", ordered)
    provision = result.get("provision")
    if isinstance(provision, list):
        ordered = [_provision(entry) for entry in provision]
        if any(map(is_not, ordered, provision)):
            result = _with(result, "provision", ordered)
    school_days = _ordered(result.get("school_days"), SCHOOL_DAYS_KEYS)
    if isinstance(school_days, dict):
        used = school_days.get("findings")
        if isinstance(used, list):
            ordered = [_ordered(item, SCHOOL_DAYS_FINDING_KEYS) for item in used]
            if any(map(is_not, ordered, used)):
                school_days = _with(school_days, "findings", ordered)
        result = _with(result, "school_days", school_days)
    return result


def _finding(finding: Any) -> Any:
    # (every answer renders each of its findings: written out rather than through _ordered,
    # _with and _sorted, since a finding as the engine writes it is already in order)
    if not isinstance(finding, dict):
        return finding
    present = tuple(finding)
    if present != FINDING_KEYS[: len(present)]:
        finding = _ordered(finding, FINDING_KEYS)
    parameters = finding.get("parameters")
    if isinstance(parameters, dict) and len(parameters) > 1:
        names = list(parameters)
        ordered_names = sorted(names)
        if names != ordered_names:
            finding = {**finding, "parameters": {name: parameters[name] for name in ordered_names}}
    school_days = finding.get("school_days")
    if school_days is not None:
        finding = _with(finding, "school_days", _ordered(school_days, FINDING_SCHOOL_DAYS_KEYS))
    return finding


def _provision(entry: Any) -> Any:
    entry = _ordered(entry, PROVISION_KEYS)
    if isinstance(entry, dict):
        for key in ("inputs", "outputs"):
            if key in entry:
                entry = _with(entry, key, _sorted(entry[key]))
    return entry


def decision_document(decision: dict[str, Any], log: dict[str, Any] | None = None) -> dict[str, Any]:
    """The decision as answered, with where it is in the log."""
    document = canonical_decision(decision)
    if log is not None:
        document = {**document, "log": _ordered(log, LOG_KEYS)}
    return document


def to_bytes(data: Any) -> bytes:
    """Compact UTF-8 JSON, in the order the dicts already have.

    Written by orjson, several times faster than the standard library on an answer's findings
    (docs/performance.md). Its bytes are the standard library's compact form (``ensure_ascii``
    off) for every value an answer holds (tests/api/test_rendering.py), but for numbers no
    decision carries: a float between 0 and 0.0001 in size may be spelled differently, the same
    number to any JSON reader (``0.00001`` and ``1e-7`` where the standard library writes
    ``1e-05`` and ``1e-07``); NaN and infinity, which JSON has no words for, are ``null``. What
    orjson cannot write (an integer beyond 64 bits) is written by the standard library. Hashed
    forms never come from here: they are ``engine.canonical.canonical_json``."""
    try:
        return orjson.dumps(data, option=orjson.OPT_NON_STR_KEYS)  # (a summary is keyed by Status)
    except TypeError:
        return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
