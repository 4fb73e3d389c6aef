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
from typing import Any

DECISION_KEYS = ("decision_id", "as_of", "standards", "engine", "input_sha256", "findings", "summary", "provision")
STANDARDS_KEYS = ("id", "version", "sha256", "illustrative")
ENGINE_KEYS = ("version", "backend", "calendar")
FINDING_KEYS = ("rule", "trigger", "status", "due", "satisfied_by", "exception", "duty_holder", "modality",
                "citations", "message", "parameters")
SUMMARY_KEYS = ("met", "pending", "late", "overdue", "breached", "exempt")
PROVISION_KEYS = ("table", "based_on", "inputs", "row", "outputs", "missing", "citations", "message", "illustrative")
LOG_KEYS = ("seq", "recorded_at", "entry_hash", "created")


def _ordered(data: Any, keys: tuple[str, ...]) -> Any:
    """``data``'s known keys in ``keys``' order, then any others sorted (a copy; ``data`` itself
    when it is already in that order, as the engine writes it)."""
    if not isinstance(data, dict):
        return data
    if tuple(data) == keys[:len(data)]:
        return dict(data)
    known = {key: data[key] for key in keys if key in data}
    known.update({key: data[key] for key in sorted(data) if key not in known})
    return known


def _sorted(data: Any) -> Any:
    if not isinstance(data, dict) or len(data) < 2:
        return data
    keys = list(data)
    return data if keys == sorted(keys) else {key: data[key] for key in sorted(keys)}


def canonical_decision(decision: dict[str, Any]) -> dict[str, Any]:
    """The decision with every object's keys in the one order answers use."""
    result = _ordered(decision, DECISION_KEYS)
    result["standards"] = _ordered(result.get("standards"), STANDARDS_KEYS)
    result["engine"] = _ordered(result.get("engine"), ENGINE_KEYS)
    result["summary"] = _ordered(result.get("summary"), SUMMARY_KEYS)
    if isinstance(result.get("findings"), list):
        result["findings"] = [_finding(finding) for finding in result["findings"]]
    if isinstance(result.get("provision"), list):
        result["provision"] = [_provision(entry) for entry in result["provision"]]
    return result


def _finding(finding: Any) -> Any:
    finding = _ordered(finding, FINDING_KEYS)
    if isinstance(finding, dict) and "parameters" in finding:
        finding["parameters"] = _sorted(finding["parameters"])
    return finding


def _provision(entry: Any) -> Any:
    entry = _ordered(entry, PROVISION_KEYS)
    if isinstance(entry, dict):
        for key in ("inputs", "outputs"):
            if key in entry:
                entry[key] = _sorted(entry[key])
    return entry


def decision_document(decision: dict[str, Any], log: dict[str, Any] | None = None) -> dict[str, Any]:
    """The decision as answered, with where it is in the log."""
    document = canonical_decision(decision)
    if log is not None:
        document["log"] = _ordered(log, LOG_KEYS)
    return document


def to_bytes(data: Any) -> bytes:
    """Compact UTF-8 JSON, in the order the dicts already have."""
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
