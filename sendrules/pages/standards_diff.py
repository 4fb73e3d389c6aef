"""The standards diff as a page: ``sendrules diff A B --format html``.

Rendered from the diff's JSON (``StandardsDiff.to_dict()``, what ``--format json`` prints):
what the newer version changes, rule by rule, with each changed rule's text side by side
(old left, new right, changed lines marked), then parameters, decision tables, the event
vocabulary, the manifest, and the newer version's stated list of changes as checked.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from typing import Any

from sendrules.pages.render import render


@dataclass(frozen=True)
class Line:
    """One row of a side-by-side view: the old line, the new line, and how they differ."""

    old: str | None
    new: str | None
    kind: str  # same | changed | removed | added


def side_by_side(old_text: str, new_text: str) -> list[Line]:
    """Align two texts line by line (difflib), for showing them in two columns."""
    old_lines, new_lines = old_text.splitlines(), new_text.splitlines()
    rows: list[Line] = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(
        None, old_lines, new_lines, autojunk=False
    ).get_opcodes():
        if tag == "equal":
            rows.extend(Line(a, b, "same") for a, b in zip(old_lines[i1:i2], new_lines[j1:j2]))
        elif tag == "replace":
            old_part, new_part = old_lines[i1:i2], new_lines[j1:j2]
            for index in range(max(len(old_part), len(new_part))):
                a = old_part[index] if index < len(old_part) else None
                b = new_part[index] if index < len(new_part) else None
                rows.append(
                    Line(
                        a,
                        b,
                        "changed" if a is not None and b is not None else "removed" if b is None else "added",
                    )
                )
        elif tag == "delete":
            rows.extend(Line(a, None, "removed") for a in old_lines[i1:i2])
        else:
            rows.extend(Line(None, b, "added") for b in new_lines[j1:j2])
    return rows


def _show(value: Any) -> str:
    if value is None:
        return "\u2014"
    if isinstance(value, (list, tuple)):
        return ", ".join(_show(item) for item in value) or "(none)"
    if isinstance(value, dict):
        return "; ".join(f"{key}: {_show(item)}" for key, item in value.items())
    return str(value)


def render_standards_diff(diff: dict[str, Any], impact: dict[str, Any] | None = None) -> str:
    """The diff page as one self-contained HTML document; with ``impact`` (the JSON of
    ``sendrules cohort compare`` for the same two versions, see ``check_impact``), also what the
    change does to that cohort."""
    rules = diff["rules"]
    changed = [
        (rule, side_by_side(rule.get("old_text") or "", rule.get("new_text") or ""))
        for rule in rules["changed"]
    ]
    return render(
        "standards_diff.html.j2",
        diff=diff,
        changed=changed,
        show=_show,
        impact=impact,
        changed_rules={rule["id"] for rule in rules["changed"]},
        number=_number,
    )


def _number(value: Any) -> str:
    """A measure's value: thousands separated, rates to three decimals, nothing as a dash."""
    if value is None:
        return "\u2014"
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, int) or float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,.3f}"


def check_impact(diff: dict[str, Any], impact: Any, where: str) -> dict[str, Any]:
    """``impact`` if it is a ``cohort compare`` result for exactly the diff's two versions (same
    references and content hashes, A the old one); otherwise an ``InputError`` saying why."""
    from sendrules.engine.errors import InputError, Problem

    keys = (
        "standards",
        "journeys",
        "as_of",
        "input_sha256",
        "refused",
        "rules_england",
        "measures_england",
        "tariff_england",
    )
    if not isinstance(impact, dict) or any(key not in impact for key in keys):
        raise InputError(
            "invalid_impact",
            f"{where} is not the JSON of 'sendrules cohort compare --format json'",
            [Problem("impact", "expected the keys " + ", ".join(keys), field="impact")],
        )
    for side, version in (("a", diff["old"]), ("b", diff["new"])):
        given = impact["standards"].get(side) if isinstance(impact["standards"], dict) else None
        if not isinstance(given, dict) or (given.get("reference"), given.get("sha256")) != (
            version["reference"],
            version["sha256"],
        ):
            shown = given.get("reference") if isinstance(given, dict) else None
            raise InputError(
                "impact_mismatch",
                f"{where} compares other standards than this diff",
                [
                    Problem(
                        f"impact.standards.{side}",
                        f"{shown} is not {version['reference']} "
                        f"(sha256 {version['sha256'][:12]}...): run cohort compare --standards "
                        f"{diff['old']['reference']} --vs {diff['new']['reference']}",
                        field="impact",
                    )
                ],
            )
    return impact


__all__ = ["check_impact", "render_standards_diff", "side_by_side"]
