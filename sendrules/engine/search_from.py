"""Expected events searched from a computed date (rules language 3).

``expect X after A`` looks for the first X on or after A's date. Some duties are met by an event
that may come *before* the event that records them: regulation 18 of the SEND Regulations 2014
asks for the plan to be reviewed and amended once the child "is within 12 months of a transfer
between phases of education" and before 15 February (31 March) of the year of transfer, however
late the transfer itself was recorded. Language 3 writes that as

    expect amended_plan_issued from params.ehc.phase_transfer_window_months months before transfer.transfer_date

the first X (by date, then input order) dated on or after the computed date, the triggering event
itself excluded. The date is computed by the shared deadline code (``engine.deadlines``; "N months
before" is the same calendar-month arithmetic as a ``N months before A.FIELD`` deadline), so both
backends use one date: the reference evaluator searches from it (``first_from``), the Rete backend
puts it on the rule's clock fact and matches ``d >= from`` (``engine.rete``).
"""

from __future__ import annotations

from bisect import bisect_left
from datetime import date
from typing import TYPE_CHECKING, Callable

from sendrules.dsl import ir
from sendrules.engine.calendar import Calendar
from sendrules.engine.deadlines import ParameterReader, compute_deadline
from sendrules.engine.journey import Event

if TYPE_CHECKING:
    from sendrules.engine.evaluator import JourneyIndex


def search_start(
    rule: ir.Rule, bindings: dict[str, Event], params: ParameterReader, calendar: Calendar
) -> date | None:
    """The date the rule's expected event is searched from, or None when the rule searches
    after its anchor as usual."""
    expectation = rule.expectation
    if not isinstance(expectation, ir.ExpectAfter) or expectation.search_from is None:
        return None
    return compute_deadline(expectation.search_from, bindings, params, calendar).due


def first_from(
    index: JourneyIndex,
    event_types: tuple[str, ...],
    start: date,
    trigger: Event,
    accept: Callable[[Event], bool],
) -> Event | None:
    """The first event of ``event_types`` dated on or after ``start`` (``trigger`` excluded)
    that ``accept`` accepts, or None."""
    events = index.of_types(event_types)
    position = bisect_left([event.date for event in events], start)
    for event in events[position:]:
        if event is not trigger and accept(event):
            return event
    return None
