"""A standards version as data: what ``GET /v1/standards/{id}/{version}`` and
``sendrules docs --format json`` give (no web framework imported here, so the CLI stays quick)."""

from __future__ import annotations

from typing import Any

from sendrules.dsl import ir


def _duty(duty: ir.DutyHolder) -> dict[str, Any]:
    if isinstance(duty, ir.FixedHolder):
        return {"holder": duty.holder}
    return {
        "depends_on": f"{duty.selector.binding}.{duty.selector.field}",
        "cases": dict(duty.cases),
        "otherwise": duty.otherwise,
    }


def _language_2_rule(rule: ir.Rule) -> dict[str, Any]:
    """A rule's language-2 markers, only where it has them."""
    extra: dict[str, Any] = {}
    if rule.in_force_from is not None:
        extra["in_force"] = {
            "from": rule.in_force_from.isoformat(),
            "until": rule.in_force_until.isoformat() if rule.in_force_until else None,
        }
    if rule.illustrative is not None:
        extra["illustrative"] = rule.illustrative
    return extra


def describe_standard(standard: ir.CompiledStandard) -> dict[str, Any]:
    """The manifest, every rule with its clauses and text, parameters with their dated values, tables.
    A pack of rules language 2 also gives ``language`` and each rule's ``in_force`` and
    ``illustrative`` and each parameter's ``illustrative`` where set (a language-1 pack's view is
    as it always was)."""
    view = _describe(standard)
    if standard.language >= 2:
        view["language"] = standard.language
        for rule, data in zip(standard.rules, view["rules"]):
            data.update(_language_2_rule(rule))
        for parameter, data in zip(standard.parameters, view["parameters"]):
            if parameter.illustrative:
                data["illustrative"] = True
    return view


def _describe(standard: ir.CompiledStandard) -> dict[str, Any]:
    return {
        "id": standard.id,
        "version": standard.version,
        "sha256": standard.sha256,
        "title": standard.title,
        "status": standard.status,
        "illustrative": standard.illustrative,
        "effective_from": standard.effective_from.isoformat(),
        "effective_to": standard.effective_to.isoformat() if standard.effective_to else None,
        "supersedes": standard.supersedes,
        "summary": standard.summary,
        "duty_holders": dict(standard.duty_holders),
        "sources": [{"title": title, "url": url} for title, url in standard.sources],
        "rules": [
            {
                "id": rule.id,
                "title": rule.title,
                "modality": rule.modality,
                "kind": rule.kind,
                "duty": _duty(rule.duty),
                "trigger": list(rule.trigger.match.types),
                "citations": list(rule.citations),
                "unconfirmed": list(rule.unconfirmed),
                "source": f"{rule.source_file}:{rule.source_line}",
                "text": rule.source_text,
            }
            for rule in standard.rules
        ],
        "parameters": [
            {
                "name": p.name,
                "unit": p.unit,
                "description": p.description,
                "source": p.source,
                "unconfirmed": p.unconfirmed,
                "values": [{"from": day.isoformat(), "value": value} for day, value in p.values],
            }
            for p in standard.parameters
        ],
        "tables": [
            {
                "id": t.id,
                "title": t.title,
                "hit_policy": t.hit_policy,
                "given": t.event_type,
                "inputs": list(t.inputs),
                "outputs": list(t.outputs),
                "illustrative": t.illustrative,
                "citations": list(t.citations),
                "rows": [list(row.outputs) for row in t.rows],
            }
            for t in standard.tables
        ],
    }
