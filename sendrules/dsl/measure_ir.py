"""The compiled form of a pack's measures (``measures.yaml``): plain frozen data.

A measure counts units of a population over a reporting period and keeps the numerator and
the denominator apart, so that a region or England is the sum of its parts:

* ``unit``        -- what is counted: ``findings`` (of the listed rules), ``events`` (of one
                     type, optionally with a ``follow_up`` event linked to each) or
                     ``provision`` (one child's expected provision from a decision table);
* ``period``      -- which reporting year (``engine.calendar.PERIOD_KINDS``) and which date of
                     the unit (``dated_by``) must fall inside it;
* ``population``  -- tests every counted unit passes (the denominator);
* ``numerator``   -- further tests (the numerator); a ``total`` adds up ``amount`` instead;
* ``category``    -- an optional split of the counts (a field's value, or bands of a length).

The front end that reads, checks and compiles ``measures.yaml`` is ``dsl/measures.py``; the
cohort runner evaluates these objects (``cohort/measures.py``). Kept apart from ``dsl/ir.py``
on purpose: measures describe populations, not duties.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

#: What a measure can count.
UNITS = ("findings", "events", "provision")
#: How a measure's value is formed from its counts.
KINDS = ("rate", "count", "total")
#: The breakdowns a measure can be reported by (England is always reported).
BREAKDOWNS = ("la", "region", "school", "trust", "provider")
#: ``provider``: the AP provider of the placement a unit belongs to (the ``provider`` field of the
#: ``ap_placement_started`` event the unit is, or refers to by ``in_response_to``).
PROVIDER_EVENT = "ap_placement_started"

#: The parts of a unit a test can read, per unit.
PARTS = {
    "findings": ("finding", "trigger", "satisfied_by", "exception"),
    "events": ("event", "follow_up"),
    "provision": ("output", "based_on"),
}
#: The fields of a finding a test can read.
FINDING_FIELDS = ("status", "due", "rule", "duty_holder", "modality", "exception_case")


@dataclass(frozen=True)
class Path:
    """What a test reads: ``part.field`` (``event.end_date``), or a part alone (``follow_up``:
    whether that event exists)."""

    part: str
    field: str | None = None

    def __str__(self) -> str:
        return f"{self.part}.{self.field}" if self.field else self.part


@dataclass(frozen=True)
class DateValue:
    """The right-hand side of a date comparison: ``as_of``, ``period_start``, ``period_end``
    or a date read from the unit, optionally plus an amount of days, weeks or months."""

    special: str | None = None
    path: Path | None = None
    plus_amount: int = 0
    plus_unit: str = "days"

    def __str__(self) -> str:
        base = self.special or str(self.path)
        return f"{base} + {self.plus_amount} {self.plus_unit}" if self.plus_amount else base


@dataclass(frozen=True)
class Test:
    """One condition.

    kind ``one_of``: the value read is one of ``values``; ``present``: it exists (``flag``)
    or not; ``is``: a boolean field equals ``flag``; ``before``/``on_or_before``/``after``/
    ``on_or_after``: a date compared with ``date`` (an absent date makes the test false);
    ``any``: at least one of ``alternatives`` holds (each alternative: all its tests hold).
    """

    kind: str
    path: Path | None = None
    values: tuple[Any, ...] = ()
    flag: bool | None = None
    date: DateValue | None = None
    alternatives: tuple[tuple["Test", ...], ...] = ()


@dataclass(frozen=True)
class FollowUp:
    """For an ``events`` measure: the first event of ``event_type`` whose ``link_field`` names
    the counted event (by date, then input order), visible on the as-of date."""

    event_type: str
    link_field: str


@dataclass(frozen=True)
class Band:
    label: str
    up_to_days: int | None  # None: no upper bound


@dataclass(frozen=True)
class Category:
    """A split of the counts: by the value at ``path``, or by the number of days from
    ``days_from`` to ``days_to`` (``days_to`` falling back to the as-of date when absent)
    put into ``bands``."""

    path: Path | None = None
    days_from: DateValue | None = None
    days_to: DateValue | None = None
    bands: tuple[Band, ...] = ()


@dataclass(frozen=True)
class Measure:
    id: str
    title: str
    kind: str
    unit: str
    period: str
    breakdowns: tuple[str, ...]
    description: str = ""
    rules: tuple[str, ...] = ()
    event_type: str | None = None
    follow_up: FollowUp | None = None
    table: str | None = None
    dated_by: Path | None = None
    population: tuple[Test, ...] = ()
    numerator: tuple[Test, ...] = ()
    amount_path: Path | None = None
    amount_value: int | None = None
    amount_unit: str | None = None
    #: ``amount: {days_between: [FROM, TO]}``: the unit's amount is the days from FROM to TO
    #: (TO falling back to the as-of date when absent), e.g. the length of a placement.
    amount_days: tuple[DateValue, DateValue] | None = None
    category: Category | None = None
    source_title: str | None = None
    source_url: str | None = None
    source_note: str | None = None
    illustrative: str | None = None
    unconfirmed: str | None = None
    better: str | None = None  # higher | lower
    thresholds: tuple[tuple[str, float], ...] = ()
    source_line: int = 0
    #: The measure as written in measures.yaml (for diffs and documents).
    source_text: str = field(default="", compare=False)
