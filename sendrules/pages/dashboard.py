"""The inclusion dashboard: ``sendrules cohort dashboard DIR --out dashboard.html``.

A view of a finished cohort run's folder, never a second computation: every figure is a row of
``cohort report`` (``sendrules.cohort.report``: the counts of ``measures.parquet`` added up per
local authority and region, beside the region and England, with the same suppression of small
numbers), and the measures' definitions are those the run wrote into ``manifest.json``.

Two views:

* **national** (default): every measure for England, each region and each local authority,
  each local authority beside its region and England (a chart and a table), the AP measures, the
  AP performance table (one row per AP provider: ``pages/ap_table.py``), the movements into and
  out of AP, the illustrative costs. It never lists a finding or a child.
* **one local authority** (``local_authority``): the same measures for that authority beside its
  region and England, and the authority's findings (pseudonymous child references only, read from
  ``findings.parquet``) so that a figure can be followed down to the duties behind it.

What the run's outputs do not contain is not drawn, and the page says so (``not_shown``).
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from markupsafe import Markup

from sendrules.cohort import regions
from sendrules.cohort import report as cohort_report
from sendrules.pages import charts
from sendrules.pages.ap_table import ap_table
from sendrules.pages.render import render

#: Findings listed in the view of one local authority; beyond this the page says how many more
#: there are and where they are (findings.parquet), rather than making a page no browser opens.
FINDINGS_LIMIT = 2000
#: The AP performance framework's measures are those whose id starts so.
AP_PREFIX = "ap."
MOVES_IN = "ap.moves_into_alternative_provision"
MOVES_OUT = "ap.moves_out_of_alternative_provision"
#: Colours for categories (Okabe and Ito, black last); a category is also always named in words.
CATEGORY_COLOURS = [
    charts.OKABE_ITO[name]
    for name in (
        "blue",
        "orange",
        "bluish_green",
        "vermillion",
        "sky_blue",
        "reddish_purple",
        "yellow",
        "grey",
        "black",
    )
]
COMPARE_COLOURS = {
    "local authority": charts.OKABE_ITO["blue"],
    "region": charts.OKABE_ITO["orange"],
    "England": charts.OKABE_ITO["black"],
}
COMPARE_SHAPES = {"local authority": "circle", "region": "square", "England": "diamond"}
SUPPRESSED = "suppressed"


class DashboardProblem(Exception):
    """The folder is not a finished run, or the local authority asked for is not in it."""


@dataclass
class Figure:
    """One cell of a measure: the counts and the value as the page writes them."""

    numerator: int | None
    denominator: int | None
    value: float | int | None
    suppressed: bool = False

    @property
    def chartable(self) -> bool:
        return not self.suppressed and self.value is not None


@dataclass
class Row:
    """A local authority or a region with its figure and its comparators."""

    key: str | None
    name: str
    figure: Figure
    region: str | None = None
    region_name: str = ""
    region_figure: Figure | None = None
    suppression: str | None = None


@dataclass
class CategoryRow:
    category: str
    england: Figure
    region: Figure | None = None
    local: Figure | None = None


@dataclass
class TrendPoint:
    """One run's figures for a measure, in a trend over runs at several as-of dates."""

    as_of: str
    period_start: str
    period_end: str
    england: Figure
    region: Figure | None = None
    local: Figure | None = None
    current: bool = False  # the run DIR (the others come from --trend-with)


@dataclass
class MeasureView:
    id: str
    title: str
    kind: str
    unit: str
    amount_unit: str | None
    period: str
    period_start: str
    period_end: str
    breakdowns: list[str]
    better: str | None
    thresholds: dict[str, float]
    source: dict[str, Any] | None
    illustrative: str | None
    unconfirmed: str | None
    england: Figure
    regions: list[Row] = field(default_factory=list)
    authorities: list[Row] = field(default_factory=list)
    categories: list[CategoryRow] = field(default_factory=list)
    local: Row | None = None  # the local authority's row in its view
    chart: Markup | None = None
    category_chart: Markup | None = None
    la_rows: list[dict[str, Any]] = field(default_factory=list, repr=False)  # report rows, every category
    definition_key: str = ""  # the manifest's entry without its period's days: equal means the same measure
    trend: list[TrendPoint] = field(default_factory=list)
    trend_notes: list[str] = field(default_factory=list)
    trend_chart: Markup | None = None

    @property
    def anchor(self) -> str:
        return "measure-" + self.id

    @property
    def definition(self) -> str:
        return "def-" + self.id

    @property
    def is_ap(self) -> bool:
        return self.id.startswith(AP_PREFIX)

    def show(self, figure: Figure | None) -> str:
        """The figure in words: ``61.2% (30 of 49)``, ``12``, ``£120,000 (12 counted)``, ``suppressed``."""
        return show_figure(self.kind, self.amount_unit, figure)

    def value_only(self, figure: Figure | None) -> str:
        return show_figure(self.kind, self.amount_unit, figure, counts=False)


def show_figure(kind: str, amount_unit: str | None, figure: Figure | None, counts: bool = True) -> str:
    if figure is None:
        return "\u2014"
    if figure.suppressed:
        return SUPPRESSED
    numerator, denominator = figure.numerator or 0, figure.denominator or 0
    if kind == "rate":
        if not denominator:
            return "no cases"
        text = f"{100 * numerator / denominator:.1f}%"
        return f"{text} ({numerator:,} of {denominator:,})" if counts else text
    if kind == "total":
        amount = (
            f"\u00a3{numerator:,}"
            if amount_unit == "pounds"
            else f"{numerator:,} {amount_unit or ''}".strip()
        )
        return f"{amount} ({denominator:,} counted)" if counts else amount
    return f"{numerator:,}"


def _nothing(kind: str) -> int | None:
    """The value of a measure with no case: a rate has none (0 of 0), a count or total is 0."""
    return None if kind == "rate" else 0


def _figure(row: dict[str, Any], prefix: str = "") -> Figure:
    if prefix == "" and row.get("suppressed"):
        return Figure(None, None, None, suppressed=True)
    numerator, denominator = row[prefix + "numerator"], row[prefix + "denominator"]
    if prefix == "region_" and numerator is None:  # the report hides a small region comparator
        return Figure(None, None, None, suppressed=True)
    return Figure(numerator, denominator, row[prefix + "value"])


def _chart_value(kind: str, figure: Figure) -> float:
    if kind == "rate":
        return round(100 * (figure.numerator or 0) / (figure.denominator or 1), 2)
    return float(figure.numerator or 0)


def _axis_title(measure: MeasureView) -> str:
    if measure.kind == "rate":
        return "per cent"
    if measure.kind == "total":
        return "pounds" if measure.amount_unit == "pounds" else (measure.amount_unit or "total")
    return "count"


# --- reading the run ----------------------------------------------------------------------------


def _measures(folder: Path, manifest: dict[str, Any], suppress: int) -> list[MeasureView]:
    by_region: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in cohort_report.report(folder, "region", suppress):
        by_region[row["measure"]].append(row)
    by_la: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in cohort_report.report(folder, "la", suppress):
        by_la[row["measure"]].append(row)
    views = []
    for entry in manifest["measures"]:
        region_rows, la_rows = by_region.get(entry["id"], []), by_la.get(entry["id"], [])
        any_rows = region_rows or la_rows
        totals = [row for row in any_rows if row["category"] is None]
        england = _figure(totals[0], "england_") if totals else Figure(0, 0, _nothing(entry["kind"]))
        view = MeasureView(
            id=entry["id"],
            title=entry["title"],
            kind=entry["kind"],
            unit=entry.get("unit", ""),
            amount_unit=entry.get("amount_unit"),
            period=entry["period"],
            period_start=entry["period_start"],
            period_end=entry["period_end"],
            breakdowns=list(entry.get("breakdowns", [])),
            better=entry.get("better"),
            thresholds=dict(entry.get("thresholds") or {}),
            source=entry.get("source"),
            illustrative=entry.get("illustrative"),
            unconfirmed=entry.get("unconfirmed"),
            england=england,
        )
        view.regions = [
            Row(row["key"], row["name"] or "not recorded", _figure(row), suppression=row["suppression"])
            for row in region_rows
            if row["category"] is None
        ]
        view.authorities = [_la_row(row) for row in la_rows if row["category"] is None]
        seen: dict[str, CategoryRow] = {}
        for row in any_rows:
            if row["category"] is not None and row["category"] not in seen:
                seen[row["category"]] = CategoryRow(row["category"], _figure(row, "england_"))
        view.categories = list(seen.values())
        view.la_rows = la_rows
        # The manifest does not carry a measure's population and numerator tests: the text they were
        # read from (the measures' source hash) must be the same too.
        view.definition_key = json.dumps(
            {
                "from": manifest.get("measures_from", {}).get("sha256"),
                **{key: value for key, value in entry.items() if key not in ("period_start", "period_end")},
            },
            sort_keys=True,
        )
        views.append(view)
    return views


def _la_row(row: dict[str, Any]) -> Row:
    region_name = regions.name_of("region", row["region"]) or "region not known"
    return Row(
        row["key"],
        row["name"] or (row["key"] or "not recorded"),
        _figure(row),
        row["region"],
        region_name,
        _figure(row, "region_"),
        row["suppression"],
    )


# --- charts -------------------------------------------------------------------------------------


def _strip_chart(measure: MeasureView) -> Markup | None:
    """Each local authority as a point on its region's row, the region as a tick, England as a
    dashed line; suppressed authorities are left out (the table says which)."""
    points: list[dict[str, Any]] = [
        {"region": row.region_name, "name": row.name, "value": _chart_value(measure.kind, row.figure)}
        for row in measure.authorities
        if row.figure.chartable
    ]
    if not points:
        return None
    # A count or a total of a region or England is the sum of its authorities, on another scale
    # from any one of them: only a rate is drawn beside its region and England.
    ticks = [
        {"region": row.name, "value": _chart_value(measure.kind, row.figure)}
        for row in measure.regions
        if measure.kind == "rate" and row.figure.chartable and row.name in {p["region"] for p in points}
    ]
    order = sorted({str(point["region"]) for point in points})
    y = {"field": "region", "type": "nominal", "title": None, "sort": order}
    x_title = _axis_title(measure)
    layers: list[dict[str, Any]] = [
        {
            "data": {"values": points},
            "mark": {
                "type": "circle",
                "size": 60,
                "opacity": 0.75,
                "color": COMPARE_COLOURS["local authority"],
            },
            "encoding": {"x": {"field": "value", "type": "quantitative", "title": x_title}, "y": y},
        },
    ]
    if ticks:
        layers.append(
            {
                "data": {"values": ticks},
                "mark": {"type": "tick", "thickness": 3, "color": COMPARE_COLOURS["region"]},
                "encoding": {"x": {"field": "value", "type": "quantitative"}, "y": y},
            }
        )
    if measure.kind == "rate" and measure.england.value is not None:
        layers.append(
            {
                "data": {"values": [{"value": _chart_value(measure.kind, measure.england)}]},
                "mark": {
                    "type": "rule",
                    "strokeDash": [6, 4],
                    "strokeWidth": 2,
                    "color": COMPARE_COLOURS["England"],
                },
                "encoding": {"x": {"field": "value", "type": "quantitative"}},
            }
        )
    spec = {"width": 640, "height": {"step": 26}, "layer": layers}
    description = (
        f"{measure.title}: each local authority (points) on its region's row"
        + (", the region (a tick) and England (a dashed line)" if measure.kind == "rate" else "")
        + ". The same figures are in the tables below the chart."
    )
    return charts.svg(spec, description)


def _category_chart(measure: MeasureView, which: str = "england") -> Markup | None:
    values = []
    for row in measure.categories:
        figure = row.england if which == "england" else row.local
        if figure is not None and figure.chartable:
            values.append(
                {"category": row.category.replace("_", " "), "value": _chart_value(measure.kind, figure)}
            )
    if not values:
        return None
    spec = {
        "width": 560,
        "height": {"step": 24},
        "data": {"values": values},
        "mark": {"type": "bar", "color": charts.OKABE_ITO["blue"]},
        "encoding": {
            "y": {"field": "category", "type": "nominal", "title": None, "sort": None},
            "x": {"field": "value", "type": "quantitative", "title": _axis_title(measure)},
        },
    }
    where = "England" if which == "england" else "the local authority"
    return charts.svg(
        spec, f"{measure.title}, {where}, by category. The same figures are in the table below."
    )


def _flow_chart(flow: dict[str, list[tuple[str, Figure]]]) -> tuple[Markup | None, list[tuple[str, str]]]:
    """Movements into AP (by who arranged them) and out of AP (by destination) as two stacked
    bars: the counts of placements started and ended in the period, side by side."""
    values: list[dict[str, Any]] = []
    for side, parts in flow.items():
        for category, figure in parts:
            if figure.chartable and figure.numerator:
                values.append(
                    {"side": side, "category": category.replace("_", " "), "count": figure.numerator}
                )
    if not values:
        return None, []
    domain = sorted({str(value["category"]) for value in values})
    colours = [CATEGORY_COLOURS[index % len(CATEGORY_COLOURS)] for index in range(len(domain))]
    spec = {
        "width": 640,
        "height": {"step": 44},
        "data": {"values": values},
        "mark": {"type": "bar", "stroke": "white", "strokeWidth": 1},
        "encoding": {
            "y": {"field": "side", "type": "nominal", "title": None, "sort": list(flow)},
            "x": {"field": "count", "type": "quantitative", "stack": "zero", "title": "placements"},
            "color": {
                "field": "category",
                "type": "nominal",
                "legend": None,
                "scale": {"domain": domain, "range": colours},
            },
            "order": {"field": "category"},
        },
    }
    chart = charts.svg(
        spec,
        "Movements into alternative provision, by who arranged them, and out of it, by "
        "destination. The same figures are in the table below the chart.",
    )
    return chart, list(zip(domain, colours))


def _which_encoding(labels: list[str]) -> dict[str, Any]:
    """Colour and shape by "which" (the authority, its region, England): the same on every chart."""
    return {
        channel: {
            "field": "which",
            "type": "nominal",
            "legend": None,
            "scale": {"domain": labels, "range": [palette[k] for k in labels]},
        }
        for channel, palette in (("color", COMPARE_COLOURS), ("shape", COMPARE_SHAPES))
    }


def _comparison_chart(measures: list[MeasureView]) -> Markup | None:
    """For one local authority: each rate measure as a row, the authority, its region and England
    as three marks of different shape and colour."""
    values = []
    for measure in measures:
        if measure.kind != "rate" or measure.local is None:
            continue
        for label, figure in (
            ("local authority", measure.local.figure),
            ("region", measure.local.region_figure),
            ("England", measure.england),
        ):
            if figure is not None and figure.chartable:
                values.append(
                    {"measure": measure.title, "which": label, "value": _chart_value(measure.kind, figure)}
                )
    if not values:
        return None
    labels = list(COMPARE_COLOURS)
    spec = {
        "width": 520,
        "height": {"step": 30},
        "data": {"values": values},
        "mark": {"type": "point", "filled": True, "size": 110, "opacity": 0.9},
        "encoding": {
            "y": {
                "field": "measure",
                "type": "nominal",
                "title": None,
                "sort": None,
                "axis": {"labelLimit": 360},
            },
            "x": {
                "field": "value",
                "type": "quantitative",
                "title": "per cent",
                "scale": {"domain": [0, 100]},
            },
            **_which_encoding(labels),
        },
    }
    return charts.svg(
        spec,
        "Each rate measure for the local authority (circle), its region (square) and England "
        "(diamond). The same figures are in the table below the chart.",
    )


# --- the view -----------------------------------------------------------------------------------


def _findings(folder: Path, code: str) -> tuple[list[dict[str, Any]], int, list[tuple[str, dict[str, int]]]]:
    """The local authority's findings (at most FINDINGS_LIMIT), how many in all, and counts per
    rule and status."""
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    table = pq.read_table(folder / "findings.parquet")
    mine = table.filter(pc.equal(table.column("local_authority"), code))
    rows = mine.slice(0, FINDINGS_LIMIT).to_pylist()
    per_rule: dict[str, Counter[str]] = defaultdict(Counter)
    for rule, status in zip(mine.column("rule").to_pylist(), mine.column("status").to_pylist()):
        per_rule[rule][status] += 1
    return rows, mine.num_rows, sorted((rule, dict(counts)) for rule, counts in per_rule.items())


def _not_shown(manifest: dict[str, Any], measures: list[MeasureView], trends: bool) -> list[tuple[str, str]]:
    """What issue 14 asks for that this run's outputs do not hold, each with the reason."""
    ids = {measure.id for measure in measures}
    notes = (
        []
        if trends
        else [
            (
                "Trends over time",
                f"a cohort run decides every journey as of one date ({manifest['as_of']}), so each measure has one "
                "period in it; a trend needs runs at other as-of dates, given with --trend-with DIR.",
            )
        ]
    )
    notes += [
        (
            "The exact median length of a provider's placements",
            "the run keeps each placement's length only in bands (ap.placements_by_length) and as a total of "
            "days (ap.placement_length_days), so the AP performance table gives the mean and the band that "
            "holds the median.",
        )
    ]
    if MOVES_IN not in ids and MOVES_OUT not in ids:
        notes.append(("Movements into and out of AP", "the run has neither movement measure."))
    else:
        notes.append(
            (
                "A flow linking each move into AP to its move out",
                "the run counts placements started and placements ended in the period separately; it does "
                "not link one child's start to their end, so they are shown as two bars, not a flow of children.",
            )
        )
    if "provision.high_needs_cost" not in ids:
        notes.append(("High needs cost by band", "the run has no high needs cost measure."))
    notes.append(
        (
            "Price tariffs per band",
            "the run reports the cost of each band added up, not the tariff of a band; the banding table is in "
            "the standards (sendrules docs).",
        )
    )
    for entry in manifest.get("measures_from", {}).get("not_computable", []):
        notes.append(
            (
                f"Measure {entry['measure']}",
                f"cannot be computed under the run's standards: {entry['reason']}.",
            )
        )
    return notes


def _read(folder: Path, suppress: int) -> tuple[dict[str, Any], list[MeasureView]]:
    try:
        manifest, _ = cohort_report.load_run(folder)
        return manifest, _measures(folder, manifest, suppress)
    except cohort_report.ReportProblem as problem:
        raise DashboardProblem(str(problem)) from None
    except (OSError, ValueError, KeyError) as error:
        raise DashboardProblem(f"{folder} does not hold a readable cohort run: {error}") from None


def _localise(measures: list[MeasureView], local: dict[str, Any], present: bool) -> None:
    """Give each measure the authority's row; an authority in the run with no case of a measure
    has zero (no cases) beside its region's figure."""
    code = local["code"]
    for measure in measures:
        measure.local = next((row for row in measure.authorities if row.key == code), None)
        if measure.local is None and present:
            region_row = next((row for row in measure.regions if row.key == local["region"]), None)
            measure.local = Row(
                code,
                local["name"],
                Figure(0, 0, _nothing(measure.kind)),
                local["region"],
                local["region_name"],
                region_row.figure if region_row is not None else Figure(0, 0, _nothing(measure.kind)),
            )
        if measure.categories:
            _local_categories(measure, code)


def _authorities(measures: list[MeasureView]) -> set[str]:
    return {row.key for measure in measures for row in measure.authorities if row.key}


def _trends(
    manifest: dict[str, Any],
    measures: list[MeasureView],
    others: list[tuple[Path, dict[str, Any], list[MeasureView]]],
    local: dict[str, Any] | None,
) -> None:
    """Each measure's figures in every run given (this one and ``--trend-with``), by as-of date."""
    runs = [(manifest["as_of"], True, {measure.id: measure for measure in measures})]
    for folder, other_manifest, other_measures in others:
        if local is not None:
            present = local["code"] in _authorities(other_measures)
            _localise(other_measures, local, present)
        runs.append((other_manifest["as_of"], False, {measure.id: measure for measure in other_measures}))
    runs.sort(key=lambda run: run[0])
    for measure in measures:
        for as_of, current, by_id in runs:
            same = by_id.get(measure.id)
            if same is None:
                measure.trend_notes.append(f"the run as of {as_of} has no measure {measure.id}")
                continue
            if same.definition_key != measure.definition_key:
                measure.trend_notes.append(
                    f"the run as of {as_of} defines {measure.id} differently (or takes the "
                    "measures from another text of the standards); its figure is left out"
                )
                continue
            point = TrendPoint(as_of, same.period_start, same.period_end, same.england, current=current)
            if same.local is not None:
                point.local = same.local.figure
                point.region = same.local.region_figure
            measure.trend.append(point)


def _trend_chart(measure: MeasureView, local: dict[str, Any] | None) -> Markup | None:
    """A line per place (England; with one authority, also it and its region, for a rate) over
    the runs' as-of dates; a suppressed figure leaves a gap."""
    series = [("England", "england")]
    if local is not None:
        series = [("local authority", "local")] + (
            [("region", "region"), ("England", "england")] if measure.kind == "rate" else []
        )
    values = []
    for point in measure.trend:
        for label, attribute in series:
            figure = getattr(point, attribute)
            if figure is not None and figure.chartable:
                values.append(
                    {"as_of": point.as_of, "which": label, "value": _chart_value(measure.kind, figure)}
                )
    if len({value["as_of"] for value in values}) < 2:
        return None
    labels = [label for label, _ in series]
    spec = {
        "width": 520,
        "height": 200,
        "data": {"values": values},
        "mark": {"type": "line", "point": {"filled": True, "size": 70}, "strokeWidth": 2},
        "encoding": {
            "x": {
                "field": "as_of",
                "type": "ordinal",
                "title": "decided as of",
                "sort": sorted({str(value["as_of"]) for value in values}),
                "axis": {"labelAngle": 0},
            },
            "y": {"field": "value", "type": "quantitative", "title": _axis_title(measure)},
            **_which_encoding(labels),
        },
    }
    return charts.svg(
        spec,
        f"{measure.title} in each run, by the date it was decided as of. The same figures "
        "are in the table below the chart.",
    )


def dashboard_view(
    folder: Path,
    *,
    local_authority: str | None = None,
    suppress: int = cohort_report.DEFAULT_SUPPRESSION,
    standards_document: str | None = None,
    trend_with: tuple[Path, ...] = (),
) -> dict[str, Any]:
    """Everything the dashboard shows, read from the run folder ``folder`` (and, for trends, the
    runs in ``trend_with``: the same kind of run at other as-of dates)."""
    manifest, measures = _read(folder, suppress)
    others: list[tuple[Path, dict[str, Any], list[MeasureView]]] = []
    for other in trend_with:
        other_manifest, other_measures = _read(other, suppress)
        if other_manifest["as_of"] in {manifest["as_of"]} | {run[1]["as_of"] for run in others}:
            raise DashboardProblem(
                f"{other} is a run as of {other_manifest['as_of']}, like another run given; "
                "a trend needs one run per as-of date"
            )
        others.append((other, other_manifest, other_measures))
    local = None
    findings: list[dict[str, Any]] = []
    finding_count = 0
    per_rule: list[tuple[str, dict[str, int]]] = []
    if local_authority is not None:
        code = regions.canonical_code(local_authority.strip()) or local_authority.strip()
        known = regions.authority(code)
        findings, finding_count, per_rule = _findings(folder, code)
        present = code in _authorities(measures) or finding_count > 0
        if known is None and not present:
            raise DashboardProblem(
                f"{local_authority!r} is not a local authority code (an ONS code such as "
                "E09000007, or a DfE number such as 202)"
            )
        local = {
            "code": code,
            "name": known.name if known else code,
            "region": known.region_code if known else None,
            "region_name": known.region_name if known else "region not known",
            "in_run": present,
        }
        _localise(measures, local, present)
    if others:
        _trends(manifest, measures, others, local)
    for measure in measures:
        if local is None:
            measure.chart = _strip_chart(measure)
            measure.category_chart = _category_chart(measure, "england")
        elif measure.categories:
            measure.category_chart = _category_chart(measure, "local")
        if others:
            measure.trend_chart = _trend_chart(measure, local)
    by_id = {measure.id: measure for measure in measures}
    flow: dict[str, list[tuple[str, Figure]]] = {}
    for label, measure_id in (
        ("Into AP (who arranged it)", MOVES_IN),
        ("Out of AP (destination)", MOVES_OUT),
    ):
        if measure_id in by_id:
            measure = by_id[measure_id]
            flow[label] = [
                (row.category, row.england if local is None else (row.local or Figure(0, 0, 0)))
                for row in measure.categories
            ]
    flow_chart, flow_key = _flow_chart(flow) if flow else (None, [])
    standards = manifest["standards"]
    return {
        "manifest": manifest,
        "measures": measures,
        "ap": [measure for measure in measures if measure.is_ap],
        "costs": [
            measure for measure in measures if measure.kind == "total" and measure.amount_unit == "pounds"
        ],
        "ap_table": ap_table(folder, manifest, suppress, local["code"] if local else None),
        "flow": flow,
        "flow_measures": [by_id[m] for m in (MOVES_IN, MOVES_OUT) if m in by_id],
        "flow_chart": flow_chart,
        "flow_key": flow_key,
        "comparison_chart": _comparison_chart(measures) if local is not None else None,
        "local": local,
        "findings": findings,
        "finding_count": finding_count,
        "per_rule": per_rule,
        "suppress": suppress,
        "not_shown": _not_shown(manifest, measures, bool(others)),
        "trend_runs": sorted([manifest["as_of"]] + [run[1]["as_of"] for run in others]) if others else [],
        "standards_reference": f"{standards['id']}@{standards['version']}",
        "measures_reference": manifest.get("measures_from", {}).get("standards"),
        "standards_document": standards_document,
        "compare_colours": COMPARE_COLOURS,
        "category_colours": CATEGORY_COLOURS,
    }


def _local_categories(measure: MeasureView, code: str) -> None:
    for category in measure.categories:
        mine = next(
            (row for row in measure.la_rows if row["key"] == code and row["category"] == category.category),
            None,
        )
        if mine is not None:
            category.local = _figure(mine)
            category.region = _figure(mine, "region_")
        else:
            category.local = Figure(0, 0, _nothing(measure.kind))


def render_dashboard(
    folder: Path,
    *,
    local_authority: str | None = None,
    suppress: int = cohort_report.DEFAULT_SUPPRESSION,
    standards_document: str | None = None,
    trend_with: tuple[Path, ...] = (),
) -> str:
    """The dashboard of the run in ``folder`` as one self-contained HTML page."""
    view = dashboard_view(
        folder,
        local_authority=local_authority,
        suppress=suppress,
        standards_document=standards_document,
        trend_with=tuple(trend_with),
    )
    return render("dashboard.html.j2", v=view, okabe=charts.OKABE_ITO)


__all__ = [
    "render_dashboard",
    "dashboard_view",
    "DashboardProblem",
    "show_figure",
    "Figure",
    "FINDINGS_LIMIT",
]
