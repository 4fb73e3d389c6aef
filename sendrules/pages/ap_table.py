"""The AP performance table of the inclusion dashboard: one row per AP provider.

A view of ``cohort report DIR --by provider`` (the counts of ``measures.parquet`` added up per
provider, with the same suppression of small numbers as every other figure), never a second
computation, with one exception said on the page: the band that holds a provider's median
length is read from its placements' length bands (``ap.placements_by_length``), and shown only
when the provider's count of ended placements is itself shown.

A provider is the ``provider`` of a placement's ``ap_placement_started`` event: a URN or UKPRN,
an institution's reference, never a child's. The national view lists providers, never children.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sendrules.cohort import report as cohort_report

STARTED = "ap.moves_into_alternative_provision"
LENGTH_BANDS = "ap.placements_by_length"
LENGTH_DAYS = "ap.placement_length_days"
REINTEGRATION = "ap.reintegration_within_two_terms"
UNKNOWN = "ap.moves_to_unknown_destinations"
SUSTAINED = "ap.sustained_post16_destinations"
DESTINATIONS = "ap.moves_out_of_alternative_provision"

#: The table's columns of figures: (measure, heading). Each heading and cell links to the
#: measure's definition.
COLUMNS = (
    (STARTED, "Placements started"),
    (LENGTH_BANDS, "Placements ended"),
    (LENGTH_DAYS, "Mean length of those ended"),
    (LENGTH_BANDS + "#median", "Median length (band)"),
    (REINTEGRATION, "Back in mainstream within two terms"),
    (UNKNOWN, "Ended to unknown or no education"),
    (SUSTAINED, "Post-16 destination sustained"),
)
SUPPRESSED = "suppressed"


@dataclass
class Cell:
    """One figure of the table: its text, the measure it is read from, whether suppressed."""

    measure: str
    text: str
    suppressed: bool = False
    shown: bool = True  # False: the measure has no case for this provider (an em dash)


@dataclass
class ProviderRow:
    key: str | None
    name: str
    cells: list[Cell]
    destinations: list[Cell] = field(default_factory=list)

    @property
    def all_hidden(self) -> bool:
        """Every figure is suppressed or absent: the row says nothing that can be published."""
        return not any(cell.shown and not cell.suppressed for cell in self.cells + self.destinations)


@dataclass
class APTable:
    measures: list[str]  # the measures of COLUMNS this run has, in column order
    headings: list[tuple[str, str]]  # (measure, heading) of the columns shown
    destinations: list[str]  # destination categories, in the report's order
    rows: list[ProviderRow]
    hidden: list[ProviderRow]  # providers whose every figure is suppressed
    total: ProviderRow
    recorded: bool  # some placement names a provider


def _text(measure: str, kind: str, row: dict[str, Any] | None, prefix: str = "") -> Cell:
    if row is None:
        return Cell(measure, "\u2014", shown=False)
    if prefix == "" and row["suppressed"]:
        return Cell(measure, SUPPRESSED, suppressed=True)
    numerator, denominator = row[prefix + "numerator"], row[prefix + "denominator"]
    if kind == "rate":
        if not denominator:
            return Cell(measure, "no cases", shown=False)
        return Cell(measure, f"{100 * numerator / denominator:.1f}% ({numerator:,} of {denominator:,})")
    if kind == "total":  # days added up: the mean is the days over the placements
        if not denominator:
            return Cell(measure, "no cases", shown=False)
        return Cell(measure, f"{numerator / denominator:,.0f} days")
    return Cell(measure, f"{numerator:,}")


def _median_band(bands: list[tuple[str, int]]) -> str | None:
    """The band holding the median placement: the first whose running count reaches half."""
    total = sum(count for _, count in bands)
    if not total:
        return None
    running = 0
    for label, count in bands:
        running += count
        if 2 * running >= total:
            return label
    return None


def ap_table(
    folder: Path,
    manifest: dict[str, Any],
    suppress: int,
    local_authority: str | None = None,
) -> APTable | None:
    """The table for the run in ``folder`` (one authority's placements only, with
    ``local_authority``); None when the run has none of the table's measures by provider."""
    by_provider = {
        entry["id"]: entry for entry in manifest["measures"] if "provider" in entry.get("breakdowns", [])
    }
    present = [measure for measure, _ in COLUMNS if measure.split("#")[0] in by_provider]
    if not present and DESTINATIONS not in by_provider:
        return None
    rows = cohort_report.report(folder, "provider", suppress, local_authority=local_authority)
    raw = cohort_report.report(folder, "provider", 0, local_authority=local_authority)
    totals: dict[tuple[str, Any], dict[str, Any]] = {}
    categories: dict[tuple[str, Any, str], dict[str, Any]] = {}
    bands: dict[Any, list[tuple[str, int]]] = {}
    band_order = _band_order(manifest)
    for row in rows:
        if row["category"] is None:
            totals[(row["measure"], row["key"])] = row
        else:
            categories[(row["measure"], row["key"], row["category"])] = row
    for row in raw:
        if row["measure"] == LENGTH_BANDS and row["category"] is not None:
            bands.setdefault(row["key"], []).append((row["category"], row["numerator"] or 0))
    destinations = sorted({category for (measure, _, category) in categories if measure == DESTINATIONS})
    keys = sorted(
        {key for (measure, key) in totals},
        key=lambda key: (key is None, key or ""),
    )
    kinds = {measure: entry["kind"] for measure, entry in by_provider.items()}

    # Where each row's figures come from: (measure, category) -> (report row, column prefix), and
    # its length-band counts. A provider reads its own rows; "all providers" reads England's
    # comparators (never suppressed) or, in one authority's view, that authority's own row of
    # `cohort report --by la`, suppressed as every authority's figure is.
    Source = tuple[dict[tuple[str, Any], tuple[dict[str, Any], str]], list[tuple[str, int]]]

    def provider_source(key: Any) -> Source:
        found: dict[tuple[str, Any], tuple[dict[str, Any], str]] = {
            (m, None): (row, "") for (m, k), row in totals.items() if k == key
        }
        found.update({(m, c): (row, "") for (m, k, c), row in categories.items() if k == key})
        return found, bands.get(key, [])

    def all_source() -> Source:
        if local_authority is None:
            found: dict[tuple[str, Any], tuple[dict[str, Any], str]] = {
                (m, None): (row, "england_") for (m, _), row in totals.items()
            }
            found.update({(m, c): (row, "england_") for (m, _, c), row in categories.items()})
            return found, _all_bands(raw)
        mine = [
            row
            for row in cohort_report.report(folder, "la", suppress)
            if row["key"] == local_authority and row["measure"] in by_provider
        ]
        plain = cohort_report.report(folder, "la", 0)
        own_bands = [
            (row["category"], row["numerator"] or 0)
            for row in plain
            if row["key"] == local_authority
            and row["measure"] == LENGTH_BANDS
            and row["category"] is not None
        ]
        return {(row["measure"], row["category"]): (row, "") for row in mine}, own_bands

    def cells_of(source: Source) -> tuple[list[Cell], list[Cell]]:
        found, own_bands = source
        cells = []
        for measure in present:
            if measure.endswith("#median"):
                ended, prefix = found.get((LENGTH_BANDS, None), (None, ""))
                if ended is not None and prefix == "" and ended["suppressed"]:
                    cells.append(Cell(LENGTH_BANDS, SUPPRESSED, suppressed=True))
                    continue
                label = None
                if band_order is not None and ended is not None:
                    label = _median_band(
                        sorted(own_bands, key=lambda item: band_order.get(item[0], len(band_order)))
                    )
                cells.append(
                    Cell(LENGTH_BANDS, label) if label else Cell(LENGTH_BANDS, "\u2014", shown=False)
                )
                continue
            row, prefix = found.get((measure, None), (None, ""))
            cells.append(_text(measure, kinds[measure], row, prefix))
        destination_cells = []
        for category in destinations:
            row, prefix = found.get((DESTINATIONS, category), (None, ""))
            destination_cells.append(_text(DESTINATIONS, "count", row, prefix))
        return cells, destination_cells

    shown: list[ProviderRow] = []
    hidden: list[ProviderRow] = []

    def started(key: Any) -> int:
        row = totals.get((STARTED, key))
        return -(row["numerator"] or 0) if row is not None and not row["suppressed"] else 0

    # Most placements started first; suppressed and absent counts sort as none, then by reference.
    for key in sorted(keys, key=lambda key: (started(key), key is None, key or "")):
        cells, destination_cells = cells_of(provider_source(key))
        provider = ProviderRow(key, key if key is not None else "not recorded", cells, destination_cells)
        (hidden if provider.all_hidden else shown).append(provider)
    total_cells, total_destinations = cells_of(all_source())
    return APTable(
        measures=present,
        headings=[(measure, heading) for measure, heading in COLUMNS if measure in present],
        destinations=destinations,
        rows=shown,
        hidden=hidden,
        total=ProviderRow(None, "All providers", total_cells, total_destinations),
        recorded=any(key is not None for key in keys),
    )


def _all_bands(raw: list[dict[str, Any]]) -> list[tuple[str, int]]:
    found: dict[str, int] = {}
    for row in raw:
        if row["measure"] == LENGTH_BANDS and row["category"] is not None:
            found[row["category"]] = row["england_numerator"]
    return list(found.items())


def _band_order(manifest: dict[str, Any]) -> dict[str, int] | None:
    """The length bands in their defined order (shortest first), as the run's manifest lists
    them; None for a run that does not (made before the manifest carried them): no median."""
    for entry in manifest["measures"]:
        if entry["id"] == LENGTH_BANDS and entry.get("bands"):
            return {label: index for index, label in enumerate(entry["bands"])}
    return None
