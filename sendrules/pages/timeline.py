"""A child's timeline: the decision as a picture of time.

Built from exactly two things: the decision as JSON (``Decision.to_dict()``, or a logged
decision) and the canonical request it was decided from (the journey, ``as_of`` and the school
closures). The compiled standard, when given and only when its content hash is the one the
decision names, adds each duty's title and tells which events can end a duty. Bank holidays
come from ``engine.calendar`` (the same pinned data the decision used).

The chart has one row per finding: a bar from the triggering event to the due date, coloured
by status, with the event that met it (circle), the time-limit exception (diamond) and the
decision date marked; a top row shows every event, and events that ended a duty (crosses).
School closures and bank holidays are shaded. The same facts are in tables below the chart.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from markupsafe import Markup

from sendrules.dsl import ir
from sendrules.engine.calendar import bank_holidays_between
from sendrules.pages import charts
from sendrules.pages.render import STATUS_WORDS, long_date, render

EVENTS_ROW = "Events in the journey"
DETAIL_FIELDS_SHOWN = 4


@dataclass
class EventView:
    id: str
    type: str
    date: str
    details: str
    roles: list[str] = field(default_factory=list)
    closes: list[str] = field(default_factory=list)

    @property
    def what_it_did(self) -> str:
        """Its roles in this decision, in words (an em dash when it had none)."""
        return "; ".join(self.roles + [f"ended duty {rule}" for rule in self.closes]) or "\u2014"


@dataclass
class FindingView:
    number: int
    rule: str
    title: str
    trigger: str
    trigger_date: str | None
    trigger_type: str
    status: str
    due: str | None
    satisfied_by: str | None
    satisfied_date: str | None
    exception: str | None
    exception_date: str | None
    duty_holder: str
    modality: str
    citations: list[str]
    message: str
    parameters: dict[str, Any]

    @property
    def row_label(self) -> str:
        title = self.title if len(self.title) <= 58 else self.title[:56].rstrip() + "\u2026"
        return f"{self.number}. {title}"

    @property
    def status_label(self) -> str:
        return STATUS_WORDS[self.status][0]

    @property
    def detail(self) -> str:
        """A few words after the status: by how many days, or which event."""
        if self.status == "late" and self.due and self.satisfied_date:
            days = (date.fromisoformat(self.satisfied_date) - date.fromisoformat(self.due)).days
            return f"by {days} day" + ("" if days == 1 else "s")
        return ""


@dataclass
class TimelineView:
    decision: dict[str, Any]
    child_label: str
    as_of: str
    findings: list[FindingView]
    events: list[EventView]
    closures: list[tuple[str, str]]
    bank_holidays: list[tuple[str, str]]
    start: date
    end: date
    standard_title: str | None
    masked: bool
    chart: Markup | None = None

    @property
    def summary(self) -> dict[str, int]:
        return self.decision.get("summary", {})


def _by_id(events: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {str(event.get("id")): event for event in events}


def _details(event: dict[str, Any]) -> str:
    """The event's other fields in a few words (``outcome: assess``), or nothing when masked."""
    parts = [
        f"{name.replace('_', ' ')}: {value}"
        for name, value in event.items()
        if name not in ("id", "type", "date") and value != "***"
    ]
    return "; ".join(parts[:DETAIL_FIELDS_SHOWN]) + ("; \u2026" if len(parts) > DETAIL_FIELDS_SHOWN else "")


def _closing_events(
    standard: ir.CompiledStandard, events: list[dict[str, Any]], findings: list[dict[str, Any]], as_of: str
) -> dict[str, list[str]]:
    """Events that ended a duty: an event of a type named in a rule's ``unless`` clause, dated on
    or after a triggering event of that rule for which the decision has no finding (the rule
    did not apply to it). Returns event id -> ["rule (for trigger)", ...]."""
    found = {(f.get("rule"), f.get("trigger")) for f in findings}
    seen = [e for e in events if str(e.get("date", "")) <= as_of]
    closing: dict[str, list[str]] = {}
    for rule in standard.rules:
        types = {t for exclusion in rule.exclusions for t in exclusion.match.types}
        if not types:
            continue
        triggers = [
            e
            for e in seen
            if e.get("type") in rule.trigger.match.types and (rule.id, e.get("id")) not in found
        ]
        for event in seen:
            if event.get("type") not in types:
                continue
            ended = [t for t in triggers if str(t.get("date")) <= str(event.get("date")) and t is not event]
            if ended:
                last = max(ended, key=lambda t: str(t.get("date")))
                closing.setdefault(str(event["id"]), []).append(f"{rule.id} (started by {last['id']})")
    return closing


def timeline_view(
    decision: dict[str, Any],
    request: dict[str, Any],
    standard: ir.CompiledStandard | None = None,
    *,
    masked: bool = False,
    child_label: str | None = None,
) -> TimelineView:
    """Everything the page shows, from the decision JSON and its canonical request."""
    if standard is not None and standard.sha256 != decision.get("standards", {}).get("sha256"):
        standard = None  # another text of the standards: it cannot explain this decision
    journey = request.get("journey") or {}
    raw_events = [e for e in journey.get("events") or [] if isinstance(e, dict)]
    events = _by_id(raw_events)
    as_of = str(decision.get("as_of") or request.get("as_of"))
    titles = {rule.id: rule.title for rule in standard.rules} if standard is not None else {}

    def date_of(event_id: str | None) -> str | None:
        event = events.get(str(event_id)) if event_id is not None else None
        return str(event["date"]) if event else None

    findings = []
    for number, finding in enumerate(decision.get("findings") or [], start=1):
        message = str(finding.get("message") or "")
        rule = str(finding.get("rule"))
        title = titles.get(rule) or (message.split(":", 1)[0] if ":" in message else rule)
        trigger = events.get(str(finding.get("trigger")), {})
        findings.append(
            FindingView(
                number=number,
                rule=rule,
                title=title,
                trigger=str(finding.get("trigger")),
                trigger_date=date_of(finding.get("trigger")),
                trigger_type=str(trigger.get("type", "")),
                status=str(finding.get("status")),
                due=finding.get("due"),
                satisfied_by=finding.get("satisfied_by"),
                satisfied_date=date_of(finding.get("satisfied_by")),
                exception=finding.get("exception"),
                exception_date=date_of(finding.get("exception")),
                duty_holder=str(finding.get("duty_holder")),
                modality=str(finding.get("modality")),
                citations=list(finding.get("citations") or []),
                message=message,
                parameters=dict(finding.get("parameters") or {}),
            )
        )

    closing = (
        _closing_events(standard, raw_events, decision.get("findings") or [], as_of)
        if standard is not None
        else {}
    )
    event_views = []
    for event in sorted(raw_events, key=lambda e: str(e.get("date"))):  # stable: input order on a tie
        view = EventView(
            str(event.get("id")), str(event.get("type")), str(event.get("date")), _details(event)
        )
        for finding in findings:
            if finding.trigger == view.id:
                view.roles.append(f"starts duty {finding.number}")
            if finding.satisfied_by == view.id:
                view.roles.append(
                    f"meets duty {finding.number}"
                    if finding.status == "met"
                    else f"answers duty {finding.number} ({finding.status})"
                )
            if finding.exception == view.id:
                view.roles.append(f"exception for duty {finding.number}")
        view.closes = closing.get(view.id, [])
        if str(event.get("date")) > as_of:
            view.roles.append("after the decision date: not considered")
        event_views.append(view)

    dates = [date.fromisoformat(as_of)]
    dates += [date.fromisoformat(e.date) for e in event_views if e.date <= as_of]
    dates += [date.fromisoformat(f.due) for f in findings if f.due]
    start = min(dates) - timedelta(days=7)
    end = max(dates) + timedelta(days=14)
    closures = []
    for closure in request.get("school_closures") or []:
        first, last = date.fromisoformat(closure["from"]), date.fromisoformat(closure["to"])
        if last >= start and first <= end:
            closures.append((first.isoformat(), last.isoformat()))
    holidays = [(day.isoformat(), name) for day, name in bank_holidays_between(start, end)]
    if child_label is None:
        child = journey.get("child") or {}
        child_label = str(child.get("id") or child.get("pseudonym") or "this child")
    view = TimelineView(
        decision,
        child_label,
        as_of,
        findings,
        event_views,
        closures,
        holidays,
        start,
        end,
        standard.title if standard is not None else None,
        masked,
    )
    view.chart = timeline_chart(view)
    return view


def _next_day(value: str) -> str:
    return (date.fromisoformat(value) + timedelta(days=1)).isoformat()


def timeline_chart(view: TimelineView) -> Markup | None:
    """The timeline as an inline SVG (Vega-Lite)."""
    if not view.findings and not view.events:
        return None
    rows = [EVENTS_ROW] + [f.row_label for f in view.findings]
    bars, marks, labels = [], [], []
    for f in view.findings:
        start = f.trigger_date
        end = f.due or f.satisfied_date or f.trigger_date
        if start is None:
            continue
        if end < start:
            end = start
        bars.append(
            {
                "row": f.row_label,
                "from": start,
                "to": _next_day(end),
                "status": f.status,
                "point": f.due is None and end == start,
            }
        )
        marks.append({"row": f.row_label, "date": start, "kind": "starts the duty"})
        if f.satisfied_date:
            marks.append({"row": f.row_label, "date": f.satisfied_date, "kind": "met or answered by"})
        if f.exception_date:
            marks.append({"row": f.row_label, "date": f.exception_date, "kind": "time-limit exception"})
        last = max(d for d in (end, f.satisfied_date, f.exception_date) if d)
        text = (
            f.status_label
            + (f" {f.detail}" if f.detail else "")
            + (" (no due date)" if f.due is None else "")
        )
        labels.append({"row": f.row_label, "date": _next_day(last), "text": text})
    for event in view.events:
        if event.date > view.as_of:
            continue
        marks.append(
            {"row": EVENTS_ROW, "date": event.date, "kind": "ends a duty" if event.closes else "event"}
        )
    x_scale = {"type": "utc", "domain": [view.start.isoformat(), view.end.isoformat()]}
    x = {
        "field": "date",
        "type": "temporal",
        "scale": x_scale,
        "axis": {
            "format": "%b %Y",
            "formatType": "utc",
            "title": None,
            "orient": "top",
            "tickCount": "month",
            "labelAngle": 0,
            "labelOverlap": True,
            "grid": False,
            "labelFontSize": 13,
        },
    }
    y = {
        "field": "row",
        "type": "nominal",
        "sort": rows,
        "scale": {"domain": rows},
        "axis": {"title": None, "labelLimit": 420, "labelFontSize": 13, "labelPadding": 8},
    }
    kinds = ["starts the duty", "met or answered by", "time-limit exception", "event", "ends a duty"]
    shapes = ["stroke", "circle", "diamond", "triangle-down", "cross"]
    shapes[0] = "M0,-1.2L0,1.2"  # a short vertical line where the duty starts
    layers: list[dict[str, Any]] = []
    if view.closures:
        layers.append(
            {
                "data": {"values": [{"from": a, "to": _next_day(b)} for a, b in view.closures]},
                "mark": {"type": "rect", "color": charts.OKABE_ITO["yellow"], "opacity": 0.35},
                "encoding": {"x": {**x, "field": "from"}, "x2": {"field": "to"}},
            }
        )
    if view.bank_holidays:
        layers.append(
            {
                "data": {"values": [{"date": d, "to": _next_day(d)} for d, _ in view.bank_holidays]},
                "mark": {"type": "rect", "color": "#505050", "opacity": 0.5},
                "encoding": {"x": x, "x2": {"field": "to"}},
            }
        )
    layers.append(
        {
            "data": {"values": [{"date": view.as_of}]},
            "mark": {"type": "rule", "color": "#000000", "strokeDash": [6, 4], "strokeWidth": 1.5},
            "encoding": {"x": x},
        }
    )
    layers.append(
        {
            "data": {"values": [{"date": view.as_of, "text": f"decided as of {long_date(view.as_of)}"}]},
            "mark": {
                "type": "text",
                "align": "left",
                "dx": 4,
                "baseline": "top",
                "fontSize": 11,
                "fontStyle": "italic",
                "y": {"expr": "height + 4"},
            },
            "encoding": {"x": x, "text": {"field": "text"}},
        }
    )
    if bars:
        layers.append(
            {
                "data": {"values": bars},
                "mark": {
                    "type": "bar",
                    "height": 14,
                    "cornerRadius": 2,
                    "stroke": "#1b1b1b",
                    "strokeWidth": 0.5,
                },
                "encoding": {
                    "x": {**x, "field": "from"},
                    "x2": {"field": "to"},
                    "y": y,
                    "color": {
                        "field": "status",
                        "type": "nominal",
                        "legend": None,
                        "scale": {
                            "domain": list(charts.STATUS_COLOURS),
                            "range": list(charts.STATUS_COLOURS.values()),
                        },
                    },
                },
            }
        )
    layers.append(
        {
            "data": {"values": marks},
            "mark": {"type": "point", "filled": True, "size": 70, "stroke": "#000000", "strokeWidth": 1},
            "encoding": {
                "x": x,
                "y": y,
                "shape": {
                    "field": "kind",
                    "type": "nominal",
                    "legend": None,
                    "scale": {"domain": kinds, "range": shapes},
                },
                "fill": {
                    "field": "kind",
                    "type": "nominal",
                    "legend": None,
                    "scale": {
                        "domain": kinds,
                        "range": ["#000000", "#ffffff", "#000000", "#1b1b1b", "#000000"],
                    },
                },
            },
        }
    )
    if labels:
        layers.append(
            {
                "data": {"values": labels},
                "mark": {"type": "text", "align": "left", "dx": 6, "fontSize": 12},
                "encoding": {"x": x, "y": y, "text": {"field": "text"}},
            }
        )
    spec = {
        "width": 820,
        "height": {"step": 32},
        "padding": {"left": 5, "right": 90, "top": 10, "bottom": 22},
        "layer": layers,
    }
    description = (
        f"Timeline of {len(view.findings)} duties from {long_date(view.start)} to {long_date(view.end)}; "
        "the same facts are in the table 'Each duty' below."
    )
    return charts.svg(spec, description)


def render_timeline(
    decision: dict[str, Any],
    request: dict[str, Any],
    standard: ir.CompiledStandard | None = None,
    *,
    masked: bool = False,
    child_label: str | None = None,
) -> str:
    """The timeline page as one self-contained HTML document."""
    view = timeline_view(decision, request, standard, masked=masked, child_label=child_label)
    return render("timeline.html.j2", view=view, colours=charts.STATUS_COLOURS, okabe=charts.OKABE_ITO)


def render_decision(decision, library) -> str:
    """The timeline page of a ``Decision`` just made (``sendrules decide --format html``): its
    JSON form, its canonical request, and its standards from ``library`` (a StandardsLibrary)."""
    import json

    standard = library.resolve(f"{decision.standards_id}@{decision.standards_version}", decision.as_of)
    return render_timeline(decision.to_dict(), json.loads(decision.request_json), standard)


__all__ = ["render_timeline", "render_decision", "timeline_view", "TimelineView"]
