"""What ``sendrules log show`` prints of a request unless ``--unmask`` is given.

Masked: the child's id (shown as its pseudonym), date of birth and local authority, and every
event field except ``id``, ``type`` and ``date`` (field values can be special category data:
a primary need, an exclusion, free text). Kept: the event structure and dates, ``as_of``, the
standards and school closures, which are what an auditor needs to follow the findings.
"""

from __future__ import annotations

from typing import Any

MASK = "***"
KEPT_EVENT_FIELDS = ("id", "type", "date")


def masked_request(canonical: dict[str, Any], child_pseudonym: str) -> dict[str, Any]:
    journey = canonical.get("journey") or {}
    child = journey.get("child") or {}
    masked_child: dict[str, Any] = {"pseudonym": child_pseudonym}
    for name in child:
        if name != "id":
            masked_child[name] = MASK
    events = []
    for event in journey.get("events") or []:
        events.append({name: (value if name in KEPT_EVENT_FIELDS else MASK) for name, value in event.items()})
    masked = {key: value for key, value in canonical.items() if key != "journey"}
    masked["journey"] = {"child": masked_child, "events": events}
    return masked
