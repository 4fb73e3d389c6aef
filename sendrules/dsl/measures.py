"""``measures.yaml``: reading, checking and compiling a pack's measures.

A pack version may hold a ``measures.yaml`` (optional; part of the content hash when present).
It maps measure ids to definitions; docs/cohorts.md is the reference. In short::

    ehc.plans_within_20_weeks:
      title: New EHC plans issued within 20 weeks (exception cases excluded)
      kind: rate                      # rate | count | total
      unit: findings                  # findings | events | provision
      rules: [ehc.final_plan]
      period: last_calendar_year      # engine.calendar.PERIOD_KINDS
      dated_by: satisfied_by.date     # which date must fall in the period
      population:                     # the denominator: every test holds
        - status: [met, late, exempt]
        - exception_case: false
      numerator:
        - status: [met]
      breakdowns: [la, region, school, trust]
      source: {title: ..., url: ...}  # or illustrative: "why the numbers are not real"

Every problem is reported with its file, line, column and YAML path (``sendrules check``),
and names are checked against the compiled standard: rule ids, event types, fields and their
values, decision tables and their outputs. Nothing is evaluated here: ``cohort/measures.py``
runs the compiled ``measure_ir.Measure`` objects.
"""

from __future__ import annotations

import dataclasses
import re
from typing import TYPE_CHECKING, Any

from sendrules.dsl import ir
from sendrules.dsl import measure_ir as m
from sendrules.dsl.diagnostics import Diagnostic, did_you_mean
from sendrules.dsl.yaml_source import YamlDocument, load_yaml
from sendrules.engine.calendar import PERIOD_KINDS

if TYPE_CHECKING:
    from sendrules.dsl.pack import PackFiles

#: A path into the YAML document: keys and list indexes.
YPath = tuple[Any, ...]
Body = dict[str, Any]

FILE_NAME = "measures.yaml"
STATUSES = ("met", "pending", "late", "overdue", "breached", "exempt")
DATE_COMPARISONS = ("before", "on_or_before", "after", "on_or_after")
SPECIAL_DATES = ("as_of", "period_start", "period_end")
PLUS_UNITS = ("days", "weeks", "months")
ID_PATTERN = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$")
_PLUS = re.compile(r"^\s*(\d+)\s+(days?|weeks?|months?)\s*$")

MEASURE_KEYS = (
    "title",
    "description",
    "kind",
    "unit",
    "rules",
    "event_type",
    "follow_up",
    "table",
    "period",
    "dated_by",
    "population",
    "numerator",
    "amount",
    "category",
    "breakdowns",
    "source",
    "illustrative",
    "unconfirmed",
    "better",
    "thresholds",
)
REQUIRED_KEYS = ("title", "kind", "unit", "period", "breakdowns")


def build_measures(
    standard: ir.CompiledStandard | None, text: str | None, display_path: str
) -> tuple[tuple[m.Measure, ...], list[Diagnostic]]:
    """Read and check ``measures.yaml`` (its text, or None when the pack has none).

    With ``standard`` None (the rules did not compile) only the file's shape is checked;
    names are checked once the rules build."""
    if text is None:
        return (), []
    document, diagnostics = load_yaml(text, display_path)
    if document is None:
        return (), diagnostics
    reader = _Reader(document, standard, text)
    measures = reader.read()
    return measures, diagnostics + reader.diagnostics


def measures_checked_against(
    standard: ir.CompiledStandard, text: str, display_path: str
) -> tuple[tuple[m.Measure, ...], dict[str, str]]:
    """Another version's measures (the text of its measures.yaml) checked against ``standard``:
    the measures that are valid under it, and for each one that is not, the first reason (a
    rule or an event type it lacks, ...)."""
    document, diagnostics = load_yaml(text, display_path)
    if document is None:
        return (), {"*": diagnostics[0].message if diagnostics else "unreadable"}
    reader = _Reader(document, standard, text)
    measures = reader.read()
    return measures, dict(reader.skipped)


def attach_measures(
    standard: ir.CompiledStandard | None, files: "PackFiles"
) -> tuple[ir.CompiledStandard | None, list[Diagnostic]]:
    """The pipeline's step: check the pack's measures and return the standard carrying them
    (None, with the problems, if any measure is wrong)."""
    text = files.texts.get(FILE_NAME)
    measures, diagnostics = build_measures(standard, text, files.display_path(FILE_NAME))
    if standard is None or diagnostics:
        return (None if diagnostics else standard), diagnostics
    if not measures:
        return standard, []
    return dataclasses.replace(standard, measures=measures), []


class _Reader:
    def __init__(self, document: YamlDocument, standard: ir.CompiledStandard | None, text: str) -> None:
        self.document = document
        self.standard = standard
        self.lines = text.splitlines()
        self.diagnostics: list[Diagnostic] = []
        #: measure id -> the first problem that made it invalid
        self.skipped: dict[str, str] = {}
        self.rules = {rule.id: rule for rule in standard.rules} if standard else {}
        self.tables = {table.id: table for table in standard.tables} if standard else {}

    # --- reporting ---------------------------------------------------------------------------

    def error(
        self, code: str, message: str, path: YPath, *, key: bool = False, hint: str | None = None
    ) -> None:
        self.diagnostics.append(self.document.diagnostic(code, message, path, key=key, hint=hint))

    # --- the file ----------------------------------------------------------------------------

    def read(self) -> tuple[m.Measure, ...]:
        data = self.document.data
        if data is None:
            return ()
        if not isinstance(data, dict):
            self.error("schema", "expected a mapping of measure ids to definitions", ())
            return ()
        measures = []
        starts = sorted(
            self.document.key_positions[(name,)][0] for name in data if (name,) in self.document.key_positions
        )
        for name, body in data.items():
            if not isinstance(name, str) or not ID_PATTERN.match(name):
                self.error(
                    "schema",
                    f"measure id '{name}' must be dotted lower-case names, e.g. ehc.within_20_weeks",
                    (name,),
                    key=True,
                )
                continue
            before = len(self.diagnostics)
            measure = self.measure(name, body)
            if measure is None and len(self.diagnostics) > before:
                self.skipped[name] = self.diagnostics[before].message
            if measure is not None:
                line = self.document.key_positions.get((name,), (0, 0))[0]
                following = [start for start in starts if start > line]
                end = (following[0] - 1) if following else len(self.lines)
                source = "\n".join(self.lines[line - 1 : end]).rstrip() if line else ""
                measures.append(dataclasses.replace(measure, source_line=line, source_text=source))
        return tuple(sorted(measures, key=lambda measure: measure.id))

    def measure(self, name: str, body: Any) -> m.Measure | None:
        here = (name,)
        if not isinstance(body, dict):
            self.error("schema", "a measure is a mapping of keys (title, kind, unit, ...)", here)
            return None
        errors_before = len(self.diagnostics)
        for key in body:
            if key not in MEASURE_KEYS:
                self.error(
                    "unknown_key",
                    f"unknown key '{key}'",
                    here + (key,),
                    key=True,
                    hint=did_you_mean(str(key), MEASURE_KEYS) or "allowed keys: " + ", ".join(MEASURE_KEYS),
                )
        for key in REQUIRED_KEYS:
            if key not in body:
                self.error("missing_key", f"'{key}' is required", here, key=True)
        if errors_before != len(self.diagnostics):
            return None
        title = self.text(body, "title", here)
        kind = self.choice(body, "kind", m.KINDS, here)
        unit = self.choice(body, "unit", m.UNITS, here)
        period = self.choice(body, "period", PERIOD_KINDS, here)
        breakdowns = self.names(body, "breakdowns", m.BREAKDOWNS, here)
        if title is None or kind is None or unit is None or period is None or breakdowns is None:
            return None
        bare = m.Measure(
            id=name,
            title=title,
            kind=kind,
            unit=unit,
            period=period,
            breakdowns=breakdowns,
            description=self.text(body, "description", here, required=False) or "",
        )
        counted = self.what_is_counted(bare, body, here)
        if counted is None:
            return None
        if "provider" in breakdowns:
            self.check_provider(counted, here + ("breakdowns",))
        measure = counted
        fields: dict[str, Any] = {}
        if period != "as_of":
            if "dated_by" not in body:
                self.error(
                    "missing_key",
                    f"'dated_by' is required for the period {period}: which date of the unit must fall in it",
                    here,
                    key=True,
                )
            else:
                fields["dated_by"] = self.date_path(measure, body["dated_by"], here + ("dated_by",))
        elif "dated_by" in body:
            self.error("schema", "'dated_by' has no meaning for period as_of", here + ("dated_by",), key=True)
        fields["population"] = self.tests(measure, body.get("population", []), here + ("population",))
        fields["numerator"] = self.tests(measure, body.get("numerator", []), here + ("numerator",))
        if kind == "total":
            if "amount" not in body:
                self.error("missing_key", "a total needs an 'amount' to add up", here, key=True)
            else:
                fields.update(self.amount(measure, body["amount"], here + ("amount",)))
        elif "amount" in body:
            self.error("schema", f"'amount' is only for kind total, not {kind}", here + ("amount",), key=True)
        if "category" in body:
            fields["category"] = self.category(measure, body["category"], here + ("category",))
        fields.update(self.provenance(body, here))
        if "better" in body:
            fields["better"] = self.choice(body, "better", ("higher", "lower"), here)
        if "thresholds" in body:
            fields["thresholds"] = self.thresholds(body["thresholds"], here + ("thresholds",), kind)
        if len(self.diagnostics) != errors_before:
            return None
        return dataclasses.replace(measure, **fields)

    # --- what is counted ---------------------------------------------------------------------

    def what_is_counted(self, measure: m.Measure, body: Body, here: YPath) -> m.Measure | None:
        unit = measure.unit
        allowed = {"findings": ("rules",), "events": ("event_type", "follow_up"), "provision": ("table",)}[
            unit
        ]
        for key in ("rules", "event_type", "follow_up", "table"):
            if key in body and key not in allowed:
                self.error("schema", f"'{key}' does not apply to unit {unit}", here + (key,), key=True)
        if unit == "findings":
            rules = body.get("rules")
            if not isinstance(rules, list) or not rules or not all(isinstance(rule, str) for rule in rules):
                self.error(
                    "schema",
                    "unit findings needs 'rules': a list of rule ids",
                    here + ("rules",),
                    key="rules" not in body,
                )
                return None
            for index, rule_id in enumerate(rules):
                if self.standard is not None and rule_id not in self.rules:
                    self.error(
                        "unknown_rule_id",
                        f"there is no rule '{rule_id}' in this pack",
                        here + ("rules", index),
                        hint=did_you_mean(rule_id, self.rules),
                    )
            return dataclasses.replace(measure, rules=tuple(rules))
        if unit == "events":
            event_type = body.get("event_type")
            if not isinstance(event_type, str):
                self.error(
                    "schema",
                    "unit events needs 'event_type'",
                    here + ("event_type",),
                    key="event_type" not in body,
                )
                return None
            self.check_event_type(event_type, here + ("event_type",))
            follow_up = None
            if "follow_up" in body:
                follow_up = self.follow_up(event_type, body["follow_up"], here + ("follow_up",))
            return dataclasses.replace(measure, event_type=event_type, follow_up=follow_up)
        table = body.get("table")
        if not isinstance(table, str):
            self.error(
                "schema",
                "unit provision needs 'table': a decision table id",
                here + ("table",),
                key="table" not in body,
            )
            return None
        if self.standard is not None and table not in self.tables:
            self.error(
                "unknown_table",
                f"there is no decision table '{table}' in this pack",
                here + ("table",),
                hint=did_you_mean(table, self.tables),
            )
        return dataclasses.replace(measure, table=table)

    def follow_up(self, event_type: str, body: Any, here: YPath) -> m.FollowUp | None:
        if not isinstance(body, dict) or set(body) != {"event_type", "link"}:
            self.error(
                "schema",
                "follow_up is {event_type: TYPE, link: FIELD}: the first event of TYPE whose "
                "FIELD names the counted event",
                here,
            )
            return None
        follow_type, link = body["event_type"], body["link"]
        if not isinstance(follow_type, str) or not isinstance(link, str):
            self.error("schema", "follow_up's event_type and link are names", here)
            return None
        follow_spec = self.standard.event_type(follow_type) if self.standard is not None else None
        if self.check_event_type(follow_type, here + ("event_type",)) and follow_spec is not None:
            spec = follow_spec.field(link)
            if spec is None or spec.type != "event_ref":
                self.error(
                    "unknown_field",
                    f"'{link}' is not a link field (event_ref) of {follow_type}",
                    here + ("link",),
                )
            elif spec.event_type != event_type:
                self.error(
                    "type_mismatch",
                    f"{follow_type}.{link} links to {spec.event_type} events, not {event_type}",
                    here + ("link",),
                )
        return m.FollowUp(follow_type, link)

    def check_provider(self, measure: m.Measure, where: YPath) -> None:
        """A ``provider`` breakdown needs events (an AP placement, or an event that refers to
        one). A standard whose ``ap_placement_started`` has no ``provider`` field reports every
        placement under provider null, as a standard without ``school_registered`` does schools."""
        if measure.unit != "events":
            self.error("schema", "the provider breakdown is for events measures (AP placements)", where)

    def check_event_type(self, name: str, path: YPath) -> bool:
        if self.standard is None:
            return False
        if self.standard.event_type(name) is None:
            self.error(
                "unknown_event_type",
                f"'{name}' is not an event type of this vocabulary",
                path,
                hint=did_you_mean(name, [event.name for event in self.standard.event_types]),
            )
            return False
        return True

    # --- paths and their types ---------------------------------------------------------------

    def path(
        self, measure: m.Measure, written: Any, where: YPath
    ) -> tuple[m.Path | None, str | None, tuple[Any, ...]]:
        """Parse ``part.field`` and find its type: (path, type, enum values). Type is one of
        date, enum, code, integer, boolean, text, event (a part alone), status, or None."""
        if not isinstance(written, str) or not written:
            self.error("schema", "expected a name such as event.end_date or finding.status", where)
            return None, None, ()
        part, _, field_name = written.partition(".")
        parts = m.PARTS[measure.unit]
        if part not in parts:
            self.error(
                "unknown_name",
                f"'{part}' is not something a {measure.unit} measure can read",
                where,
                hint=did_you_mean(part, parts) or "one of: " + ", ".join(parts),
            )
            return None, None, ()
        path = m.Path(part, field_name or None)
        if part == "finding":
            if field_name not in m.FINDING_FIELDS:
                self.error(
                    "unknown_field",
                    f"'{field_name}' is not a field of a finding",
                    where,
                    hint=did_you_mean(field_name, m.FINDING_FIELDS)
                    or "fields: " + ", ".join(m.FINDING_FIELDS),
                )
                return None, None, ()
            finding_types: dict[str, tuple[str, tuple[str, ...]]] = {
                "status": ("enum", STATUSES),
                "due": ("date", ()),
                "exception_case": ("boolean", ()),
                "modality": ("enum", ("must", "should")),
            }
            kind, values = finding_types.get(field_name, ("text", ()))
            return path, kind, values
        if part == "output":
            return self.output_path(measure, path, field_name, where)
        if not field_name:
            return path, "event", ()
        if field_name in ("date",):
            return path, "date", ()
        if field_name == "id":
            return path, "text", ()
        types = self.event_types_of(measure, part)
        if self.standard is None or types is None:
            return path, None, ()
        specs = [spec for spec in (self.standard.event_type(name) for name in types) if spec is not None]
        found = [
            field_spec for field_spec in (spec.field(field_name) for spec in specs) if field_spec is not None
        ]
        if not found:
            known = sorted({name for spec in specs for name, _ in spec.fields})
            self.error(
                "unknown_field",
                f"'{field_name}' is not a field of {' or '.join(types)}",
                where,
                hint=did_you_mean(field_name, known) or ("fields: " + ", ".join(["date", "id"] + known)),
            )
            return None, None, ()
        values = tuple(sorted({value for spec in found for value in spec.values}))
        return path, found[0].type, values

    def output_path(
        self, measure: m.Measure, path: m.Path, field_name: str, where: YPath
    ) -> tuple[m.Path | None, str | None, tuple[Any, ...]]:
        table = self.tables.get(measure.table) if measure.table else None
        if table is None:
            return path, None, ()
        if field_name not in table.outputs:
            self.error(
                "unknown_field",
                f"'{field_name}' is not an output of table {table.id}",
                where,
                hint=did_you_mean(field_name or "", table.outputs) or "outputs: " + ", ".join(table.outputs),
            )
            return None, None, ()
        kind = str(table.output_types[table.outputs.index(field_name)])
        values = (
            tuple(sorted({str(row.outputs[table.outputs.index(field_name)]) for row in table.rows}))
            if kind == "text"
            else ()
        )
        return path, ("enum" if kind == "text" else kind), values

    def event_types_of(self, measure: m.Measure, part: str) -> tuple[str, ...] | None:
        """The event types a part can be (None when unknown, e.g. the rules did not build)."""
        if self.standard is None:
            return None
        if part == "event":
            return (measure.event_type,) if measure.event_type else None
        if part == "follow_up":
            return (measure.follow_up.event_type,) if measure.follow_up else ()
        if part == "based_on":
            table = self.tables.get(measure.table or "")
            return (table.event_type,) if table else None
        rules = [self.rules[rule_id] for rule_id in measure.rules if rule_id in self.rules]
        types: set[str] = set()
        for rule in rules:
            if part == "trigger":
                types.update(rule.trigger.match.types)
            elif part == "satisfied_by":
                types.update(_satisfying_types(rule))
            elif part == "exception" and rule.exemption is not None:
                types.add(rule.exemption.event_type)
        return tuple(sorted(types))

    def date_path(self, measure: m.Measure, written: Any, where: YPath) -> m.Path | None:
        path, kind, _ = self.path(measure, written, where)
        if path is not None and kind not in ("date", None):
            self.error("type_mismatch", f"{written} is not a date", where)
            return None
        if measure.unit == "provision" and path is not None:
            self.error("schema", "provision is counted on the as-of date: use period as_of", where)
        return path

    # --- tests -------------------------------------------------------------------------------

    def tests(self, measure: m.Measure, written: Any, where: YPath) -> tuple[m.Test, ...]:
        if not isinstance(written, list):
            self.error("schema", "expected a list of tests", where)
            return ()
        tests = []
        for index, item in enumerate(written):
            test = self.test(measure, item, where + (index,))
            if test is not None:
                tests.append(test)
        return tuple(tests)

    def test(self, measure: m.Measure, item: Any, where: YPath) -> m.Test | None:
        if not isinstance(item, dict) or not item:
            self.error(
                "schema",
                "a test is a mapping, e.g. {status: [met]} or {field: event.end_date, present: true}",
                where,
            )
            return None
        if "status" in item or "exception_case" in item:
            if measure.unit != "findings":
                self.error("schema", "status and exception_case are tests on findings", where)
                return None
            if len(item) != 1:
                self.error("schema", "write status and exception_case tests on their own", where)
                return None
            if "status" in item:
                values = item["status"]
                if not isinstance(values, list) or not values:
                    self.error("schema", "status takes a list of statuses", where + ("status",))
                    return None
                for position, value in enumerate(values):
                    if value not in STATUSES:
                        self.error(
                            "unknown_value",
                            f"'{value}' is not a status",
                            where + ("status", position),
                            hint=did_you_mean(str(value), STATUSES) or "statuses: " + ", ".join(STATUSES),
                        )
                return m.Test("one_of", m.Path("finding", "status"), tuple(values))
            flag = item["exception_case"]
            if not isinstance(flag, bool):
                self.error("schema", "exception_case is true or false", where + ("exception_case",))
                return None
            return m.Test("is", m.Path("finding", "exception_case"), flag=flag)
        if "any" in item:
            if len(item) != 1 or not isinstance(item["any"], list) or len(item["any"]) < 2:
                self.error("schema", "any takes a list of at least two alternatives", where)
                return None
            alternatives = []
            for index, alternative in enumerate(item["any"]):
                group = alternative if isinstance(alternative, list) else [alternative]
                alternatives.append(self.tests(measure, group, where + ("any", index)))
            return m.Test("any", alternatives=tuple(alternatives))
        if "field" not in item:
            self.error("schema", "a test names a 'field' (or is a status, exception_case or any test)", where)
            return None
        operators = [key for key in item if key != "field"]
        allowed = ("in", "present", "is") + DATE_COMPARISONS
        if len(operators) != 1 or operators[0] not in allowed:
            self.error(
                "schema",
                "a field test has exactly one of: " + ", ".join(allowed),
                where,
                hint=did_you_mean(str(operators[0]), allowed) if len(operators) == 1 else None,
            )
            return None
        operator = operators[0]
        path, kind, values = self.path(measure, item["field"], where + ("field",))
        if path is None:
            return None
        value = item[operator]
        if operator == "present":
            if not isinstance(value, bool):
                self.error("schema", "present is true or false", where + ("present",))
                return None
            return m.Test("present", path, flag=value)
        if operator == "is":
            if not isinstance(value, bool) or kind not in ("boolean", None):
                self.error(
                    "type_mismatch", f"'is' compares a true/false field; {path} is {kind}", where + ("is",)
                )
                return None
            return m.Test("is", path, flag=value)
        if operator == "in":
            if not isinstance(value, list) or not value:
                self.error("schema", "in takes a list of values", where + ("in",))
                return None
            if kind in ("enum", "code") and values:
                for position, entry in enumerate(value):
                    if str(entry) not in values:
                        self.error(
                            "unknown_value",
                            f"'{entry}' is not a value of {path}",
                            where + ("in", position),
                            hint=did_you_mean(str(entry), values) or "values: " + ", ".join(values),
                        )
            elif kind in ("date", "event", "boolean"):
                self.error(
                    "type_mismatch",
                    f"'in' lists values; {path} is {'an event' if kind == 'event' else kind}",
                    where + ("in",),
                )
                return None
            return m.Test("one_of", path, tuple(str(entry) if kind == "code" else entry for entry in value))
        if kind not in ("date", None):
            self.error("type_mismatch", f"{operator} compares dates; {path} is {kind}", where + ("field",))
            return None
        date_value = self.date_value(measure, value, where + (operator,))
        if date_value is None:
            return None
        return m.Test(operator, path, date=date_value)

    def date_value(self, measure: m.Measure, written: Any, where: YPath) -> m.DateValue | None:
        plus_amount, plus_unit = 0, "days"
        if isinstance(written, dict):
            if set(written) != {"of", "plus"}:
                self.error("schema", 'a shifted date is {of: DATE, plus: "N days|weeks|months"}', where)
                return None
            match = _PLUS.match(str(written["plus"]))
            if not match:
                self.error("schema", "plus is written as N days, N weeks or N months", where + ("plus",))
                return None
            plus_amount = int(match.group(1))
            plus_unit = match.group(2) if match.group(2).endswith("s") else match.group(2) + "s"
            written = written["of"]
            where = where + ("of",)
        if written in SPECIAL_DATES:
            return m.DateValue(special=written, plus_amount=plus_amount, plus_unit=plus_unit)
        if isinstance(written, str) and "." in written:
            path = self.date_path(measure, written, where)
            if path is None:
                return None
            return m.DateValue(path=path, plus_amount=plus_amount, plus_unit=plus_unit)
        self.error(
            "schema",
            "expected as_of, period_start, period_end or a date such as event.end_date",
            where,
            hint=did_you_mean(str(written), SPECIAL_DATES),
        )
        return None

    # --- amount, category, provenance --------------------------------------------------------

    def amount(self, measure: m.Measure, written: Any, where: YPath) -> Body:
        if isinstance(written, dict) and set(written) == {"days_between"}:
            span = written["days_between"]
            if not isinstance(span, list) or len(span) != 2:
                self.error(
                    "schema",
                    "days_between is [FROM, TO]; TO falls back to as_of when absent",
                    where + ("days_between",),
                )
                return {}
            start = self.date_value(measure, span[0], where + ("days_between", 0))
            end = self.date_value(measure, span[1], where + ("days_between", 1))
            return {"amount_days": (start, end), "amount_unit": "days"} if start and end else {}
        if isinstance(written, dict) and set(written) <= {"value", "unit"} and "value" in written:
            if (
                not isinstance(written["value"], int)
                or isinstance(written["value"], bool)
                or written["value"] < 0
            ):
                self.error("schema", "amount value is a whole number of at least 0", where + ("value",))
                return {}
            return {"amount_value": written["value"], "amount_unit": str(written.get("unit", "pounds"))}
        path, kind, _ = self.path(measure, written, where)
        if path is not None and kind not in ("integer", None):
            self.error("type_mismatch", f"an amount is a whole number; {written} is {kind}", where)
            return {}
        return {"amount_path": path, "amount_unit": "pounds"} if path else {}

    def category(self, measure: m.Measure, written: Any, where: YPath) -> m.Category | None:
        if isinstance(written, str):
            path, kind, _ = self.path(measure, written, where)
            if path is not None and kind in ("date", "event"):
                self.error(
                    "type_mismatch", f"a category is a value, not {kind}: use days_between bands", where
                )
                return None
            return m.Category(path=path) if path else None
        if not isinstance(written, dict) or set(written) != {"days_between", "bands"}:
            self.error(
                "schema",
                "category is a field (e.g. follow_up.destination) or "
                "{days_between: [FROM, TO], bands: [...]}",
                where,
            )
            return None
        span = written["days_between"]
        if not isinstance(span, list) or len(span) != 2:
            self.error(
                "schema",
                "days_between is [FROM, TO]; TO falls back to as_of when absent",
                where + ("days_between",),
            )
            return None
        start = self.date_value(measure, span[0], where + ("days_between", 0))
        end = self.date_value(measure, span[1], where + ("days_between", 1))
        bands = []
        previous = -1
        for index, band in enumerate(written["bands"] if isinstance(written["bands"], list) else []):
            here = where + ("bands", index)
            if not isinstance(band, dict) or "label" not in band or not set(band) <= {"label", "up_to_days"}:
                self.error(
                    "schema", "a band is {label: TEXT, up_to_days: N} (the last band has no up_to_days)", here
                )
                continue
            limit = band.get("up_to_days")
            if limit is not None and (not isinstance(limit, int) or limit <= previous):
                self.error("schema", "up_to_days must be whole numbers that increase band by band", here)
                continue
            if limit is None and index != len(written["bands"]) - 1:
                self.error("schema", "only the last band may have no upper bound", here)
                continue
            previous = limit if limit is not None else previous
            bands.append(m.Band(str(band["label"]), limit))
        if not bands:
            self.error("schema", "bands is a list of at least one band", where + ("bands",))
            return None
        if start is None or end is None:
            return None
        return m.Category(days_from=start, days_to=end, bands=tuple(bands))

    def provenance(self, body: Body, here: YPath) -> Body:
        fields: dict[str, Any] = {}
        if "source" not in body and "illustrative" not in body:
            self.error(
                "missing_key",
                "a measure names its 'source', or says why it is 'illustrative'",
                here,
                key=True,
            )
        if "source" in body:
            source = body["source"]
            if (
                not isinstance(source, dict)
                or "title" not in source
                or not set(source) <= {"title", "url", "note"}
                or not all(isinstance(value, str) for value in source.values())
            ):
                self.error(
                    "schema",
                    "source is {title: TEXT, url: TEXT, note: TEXT} (url and note optional)",
                    here + ("source",),
                )
            else:
                fields.update(
                    source_title=source["title"], source_url=source.get("url"), source_note=source.get("note")
                )
        for key in ("illustrative", "unconfirmed"):
            if key in body:
                value = self.text(body, key, here)
                if value is not None:
                    fields[key] = value
        return fields

    def thresholds(self, written: Any, where: YPath, kind: str) -> tuple[tuple[str, float], ...]:
        if not isinstance(written, dict) or not written:
            self.error("schema", "thresholds map a label to a number, e.g. {statutory: 1.0}", where)
            return ()
        result = []
        for label, value in written.items():
            if not isinstance(value, (int, float)) or isinstance(value, bool):
                self.error("schema", f"threshold '{label}' must be a number", where + (label,))
                continue
            if kind == "rate" and not 0 <= value <= 1:
                self.error(
                    "schema", f"threshold '{label}' of a rate is a proportion from 0 to 1", where + (label,)
                )
                continue
            result.append((str(label), float(value)))
        return tuple(result)

    # --- scalars -----------------------------------------------------------------------------

    def text(self, body: Body, key: str, here: YPath, required: bool = True) -> str | None:
        value = body.get(key)
        if value is None and not required:
            return None
        if not isinstance(value, str) or not value.strip():
            self.error("schema", f"'{key}' is text", here + (key,))
            return None
        return value.strip()

    def choice(self, body: Body, key: str, allowed: tuple[str, ...], here: YPath) -> str | None:
        value = body.get(key)
        if value not in allowed:
            self.error(
                "unknown_value",
                f"'{value}' is not a {key}",
                here + (key,),
                hint=did_you_mean(str(value), allowed) or "one of: " + ", ".join(allowed),
            )
            return None
        return str(value)

    def names(self, body: Body, key: str, allowed: tuple[str, ...], here: YPath) -> tuple[str, ...] | None:
        value = body.get(key)
        if not isinstance(value, list) or not value:
            self.error("schema", f"'{key}' is a list of: " + ", ".join(allowed), here + (key,))
            return None
        for index, item in enumerate(value):
            if item not in allowed:
                self.error(
                    "unknown_value",
                    f"'{item}' is not one of the {key}",
                    here + (key, index),
                    hint=did_you_mean(str(item), allowed) or "one of: " + ", ".join(allowed),
                )
                return None
        return tuple(value)


def _satisfying_types(rule: ir.Rule) -> tuple[str, ...]:
    """The event types that can satisfy a rule (its finding's ``satisfied_by``)."""
    compliance = rule.compliance
    if isinstance(compliance, ir.MetIfHolds):
        return ()
    expected = compliance.expected
    if isinstance(expected, (ir.ExpectAfter, ir.ExpectBefore)):
        return tuple(expected.event_types)
    if isinstance(expected, ir.ExpectResponse):
        return (expected.event_type,)
    for requirement in rule.requirements:  # ExpectBound: the event an ``only if`` bound
        if requirement.binding == expected.binding:
            return tuple(requirement.match.types)
    return ()
