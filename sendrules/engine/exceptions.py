"""Time-limit exceptions scoped to the grounds the law lists (rules language 3).

In rules language 1 and 2, ``exempt TYPE between NAME and due`` accepts any event of TYPE dated
from NAME to the due date. Language 3 adds ``exempt TYPE where CONDITION between NAME and due``:
only an exception that satisfies CONDITION (typically ``reason in [...]``, the grounds the
duty's regulation lists, and for a body's own time limit ``in_response_to = NAME.id``) excuses
the time limit. This module holds what both backends share for it:

* ``first_scoped_exception``: the reference evaluator's search (the first exception, by date then
  input order, dated from the trigger to the due date, that satisfies the condition); the Rete
  backend matches the same condition as a pattern (``engine.rete``) and picks the first match
  the same way;
* ``exempt_text``: the explanation of an exempt finding under a scoped exemption. It names the
  exception relied on and its ground, says that the ground is the recorder's claim (the engine
  cannot check that a school was closed or a family away), and how long after the due date the
  work was done or is still outstanding (the regulations lift the time limit; the duty to act
  "as soon as practicable" remains, and the engine cannot judge practicability).

Nothing here is used by a pack of language 1 or 2: their exemptions have no condition.
"""

from __future__ import annotations

from bisect import bisect_left
from datetime import date
from typing import TYPE_CHECKING

from sendrules.engine.conditions import Predicate, Scope
from sendrules.engine.deadlines import describe_event
from sendrules.engine.journey import Event

if TYPE_CHECKING:
    from sendrules.engine.evaluator import JourneyIndex


def first_scoped_exception(
    index: JourneyIndex, event_type: str, accept: Predicate, scope: Scope, start: date, due: date
) -> Event | None:
    """The first event of ``event_type`` dated from ``start`` to ``due`` (both included) that
    satisfies the exemption's condition, or None."""
    events = index.of_types((event_type,))
    position = bisect_left([event.date for event in events], start)
    for event in events[position:]:
        if event.date > due:
            return None
        if accept(event, scope):
            return event
    return None


def exempt_text(
    title: str,
    missed: str,
    due: date,
    due_text: str,
    exception: Event,
    expected: Event | None,
    as_of: date,
) -> str:
    """The explanation of an exempt finding whose exemption is scoped to the law's grounds."""
    reason = exception.get("reason")
    ground = f" on the ground '{reason}'" if reason else ""
    if expected is not None:
        after = (
            f"it was done {_days((expected.date - due).days)} after the due date ({describe_event(expected)})"
        )
    else:
        after = (
            f"it was still not done on {as_of.isoformat()}, {_days((as_of - due).days)} after the due date"
        )
    return (
        f"{title}: exempt; the time limit was missed ({missed}, {due_text}), but the exception "
        f"{describe_event(exception)}{ground} is one this rule accepts (a ground its regulation "
        "lists), so the time limit need not be met. The ground is the recorder's claim; the engine "
        f"did not verify it. The duty itself remains, as soon as practicable: {after}."
    )


def _days(count: int) -> str:
    return f"{count} day" + ("" if count == 1 else "s")
