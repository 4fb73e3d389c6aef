"""Serving pages over HTTP: content negotiation, and the timeline of a logged decision.

``GET /v1/decisions/{id}`` answers JSON unless the caller's ``Accept`` header prefers
``text/html`` (a browser does); then it answers the child's timeline, built from the logged
decision and its logged request with personal details masked (the child by pseudonym, events
by id, type and date only) and the standards rebuilt from the log's own store.
"""

from __future__ import annotations

from typing import Any


def _quality(accept: str, media_type: str) -> float:
    """The q-value ``accept`` gives ``media_type`` (the most specific matching range wins)."""
    main = media_type.split("/")[0]
    best, specificity = 0.0, -1
    for part in accept.split(","):
        pieces = [piece.strip() for piece in part.split(";")]
        pattern, q = pieces[0].lower(), 1.0
        for parameter in pieces[1:]:
            name, _, value = parameter.partition("=")
            if name.strip().lower() == "q":
                try:
                    q = max(0.0, min(1.0, float(value)))
                except ValueError:
                    q = 0.0
        level = 2 if pattern == media_type else 1 if pattern == f"{main}/*" else 0 if pattern == "*/*" else -1
        if level > specificity:
            best, specificity = q, level
    return best


def prefers_html(accept: str | None) -> bool:
    """True when ``accept`` rates text/html above application/json (JSON wins ties and the
    absence of a header, so API clients keep getting JSON)."""
    if not accept:
        return False
    return _quality(accept, "text/html") > _quality(accept, "application/json")


def logged_timeline(log: Any, cipher: Any, entry: Any, decision: dict[str, Any]) -> str:
    """The timeline page of a logged decision (masked)."""
    from sendrules.decisionlog.masking import masked_request
    from sendrules.decisionlog.standards_store import rebuild
    from sendrules.pages.timeline import render_timeline

    request = masked_request(log.decrypt_request(entry, cipher), entry.child_pseudonym)
    stored = log.standards(entry.standards_sha256)
    standard = rebuild(stored) if stored is not None else None
    return render_timeline(
        decision,
        request,
        standard,
        masked=True,
        child_label=f"the child with pseudonym {entry.child_pseudonym[:12]}\u2026",
    )


__all__ = ["prefers_html", "logged_timeline"]
