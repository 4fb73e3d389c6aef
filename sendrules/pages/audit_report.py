"""The auditor's report of one logged decision: ``sendrules replay ID --format html|pdf``.

Everything on it comes from the decision log and the replay the command has just run
(``decisionlog.replay.ReplayResult``): the logged request (masked unless asked otherwise, as
``log show`` masks it), the standards the decision was made with, rebuilt from the log's own
standards store, with the text of every rule that produced a finding, the logged decision, the
replay's outcome (identical, or each difference side by side), and the entry's place in the hash
chain with the exact fields its hash covers, so that anyone can recompute it without sendrules.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from sendrules.decisionlog import chain
from sendrules.decisionlog.replay import ABSENT
from sendrules.pages.render import render


@dataclass
class RuleText:
    id: str
    title: str
    citations: tuple[str, ...]
    modality: str
    where: str
    text: str
    findings: int


def _show(value: Any) -> str:
    if value is ABSENT:
        return "(absent)"
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def _fired_rules(standard, decision: dict[str, Any]) -> list[RuleText]:
    counts: dict[str, int] = {}
    for finding in decision.get("findings") or []:
        counts[str(finding.get("rule"))] = counts.get(str(finding.get("rule")), 0) + 1
    if standard is None:
        return []
    rules = {rule.id: rule for rule in standard.rules}
    fired = []
    for rule_id, count in counts.items():
        rule = rules.get(rule_id)
        if rule is None:
            fired.append(RuleText(rule_id, "(not in this text of the standards)", (), "", "", "", count))
            continue
        where = f"{rule.source_file}:{rule.source_line}" if rule.source_file else ""
        fired.append(
            RuleText(rule.id, rule.title, rule.citations, rule.modality, where, rule.source_text, count)
        )
    return fired


def _diff_rows(result) -> dict[str, Any]:
    """The replay diff as rows a template can lay out side by side."""
    diff = result.diff
    return {
        "fields": [(change.path, _show(change.old), _show(change.new)) for change in diff.fields],
        "removed": diff.removed,
        "added": diff.added,
        "changed": [
            (change.rule, change.trigger, [(c.path, _show(c.old), _show(c.new)) for c in change.changes])
            for change in diff.changed
        ],
    }


def audit_report_view(log, cipher, result, *, unmask: bool = False) -> dict[str, Any]:
    """Everything the report shows. ``log`` is the open DecisionLog the replay read."""
    from sendrules.decisionlog.masking import masked_request
    from sendrules.decisionlog.standards_store import rebuild

    entry = result.entry
    canonical = log.decrypt_request(entry, cipher)
    request = canonical if unmask else masked_request(canonical, entry.child_pseudonym)
    stored = log.standards(entry.standards_sha256)
    standard = rebuild(stored) if stored is not None else None
    recorded = result.recorded
    chained = {
        "chain_format": chain.CHAIN_FORMAT,
        **{name: getattr(entry, name) for name in chain.CHAINED_FIELDS},
    }
    events = [e for e in (request.get("journey") or {}).get("events") or [] if isinstance(e, dict)]
    return {
        "entry": entry,
        "integrity_problem": entry.integrity_problem(),
        "request": request,
        "request_json": json.dumps(request, indent=2, ensure_ascii=False),
        "events": events,
        "masked": not unmask,
        "standard": standard,
        "fired": _fired_rules(standard, recorded),
        "recorded": recorded,
        "replayed": result.replayed,
        "result": result,
        "identical": result.identical,
        "diff": _diff_rows(result),
        "chained_json": json.dumps(chained, indent=1, ensure_ascii=False, sort_keys=True),
        "chained_fields": chain.CHAINED_FIELDS,
        "log_url": log.display_url,
    }


def render_audit_report(log, cipher, result, *, unmask: bool = False) -> str:
    """The auditor's report as one self-contained HTML page (the PDF prints this page)."""
    return render("audit_report.html.j2", v=audit_report_view(log, cipher, result, unmask=unmask))


__all__ = ["render_audit_report", "audit_report_view"]
