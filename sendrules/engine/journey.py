"""Journey records: validation against a standard's event vocabulary.

The vocabulary belongs to the standards pack, so the pydantic models of a journey are built
from the compiled standard (once per standard: ``engine.prepared.PreparedStandard`` holds the
validator). Validation reports every problem at
once, each naming the event (index and id) and the field, and nothing is evaluated from a
journey that has any problem.

After validation a journey is a ``Journey``: light, immutable records the evaluator reads.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Annotated, Any, Literal, Mapping, Optional, Union

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StrictBool,
    StrictInt,
    StrictStr,
    ValidationError,
    create_model,
)
from pydantic_core import ErrorDetails

from sendrules.dsl import ir
from sendrules.dsl.diagnostics import did_you_mean
from sendrules.engine.calendar import EARLIEST_DATE, LATEST_DATE
from sendrules.engine.errors import InputError, Problem

CHILD_ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._:/-]{0,63}$"
EVENT_ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._:/-]{0,63}$"
LOCAL_AUTHORITY_PATTERN = r"^(E\d{8}|\d{3})$"
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


# --- records the evaluator reads -------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Event:
    """One event of a journey. ``index`` is its position in the input (for tie-breaking)."""

    id: str
    type: str
    date: date
    index: int
    fields: Mapping[str, Any]

    def get(self, name: str) -> Any:
        """A field's value (``date`` and ``id`` included), or None when absent."""
        if name == "date":
            return self.date
        if name == "id":
            return self.id
        return self.fields.get(name)


@dataclass(frozen=True, slots=True)
class Child:
    id: str
    date_of_birth: date
    local_authority: str | None = None

    def get(self, name: str) -> Any:
        return getattr(self, name, None)


@dataclass(frozen=True, slots=True)
class Journey:
    child: Child
    events: tuple[Event, ...]

    def canonical(self) -> dict[str, Any]:
        """The journey in canonical JSON form (dates as ISO text, absent fields left out)."""
        child = {"id": self.child.id, "date_of_birth": self.child.date_of_birth.isoformat()}
        if self.child.local_authority is not None:
            child["local_authority"] = self.child.local_authority
        events = []
        for event in self.events:
            record = {"id": event.id, "type": event.type, "date": event.date.isoformat()}
            for name, value in event.fields.items():
                record[name] = value.isoformat() if isinstance(value, date) else value
            events.append(record)
        return {"child": child, "events": events}


# --- field types -----------------------------------------------------------------------------


def parse_iso_date(value: Any) -> date:
    """A calendar date written exactly as YYYY-MM-DD, within the supported range."""
    if isinstance(value, str):
        return _parse_iso_text(value)
    if isinstance(value, date) and not hasattr(value, "hour"):
        return _in_range(value)
    raise ValueError("expected a date written as YYYY-MM-DD")


def _parse_iso_text(value: str) -> date:
    # Remembered per text (a cohort's journeys share a few thousand dates); a refusal raises
    # and is not remembered. (A bounded plain dict, not ``functools.lru_cache``: under a memory
    # limit a dict fails with MemoryError, which the large-decision process reports as 413.)
    known = _parsed_dates.get(value)
    if known is not None:
        return known
    if len(_parsed_dates) >= 1 << 16:
        _parsed_dates.clear()
    _parsed_dates[value] = known = _read_iso_text(value)
    return known


_parsed_dates: dict[str, date] = {}


def _read_iso_text(value: str) -> date:
    if not _ISO_DATE.match(value):
        raise ValueError("expected a date written as YYYY-MM-DD")
    try:
        parsed = date.fromisoformat(value)
    except ValueError:
        raise ValueError(f"'{value}' is not a real date") from None
    return _in_range(parsed)


def _in_range(parsed: date) -> date:
    if not EARLIEST_DATE <= parsed <= LATEST_DATE:
        raise ValueError(f"dates must be between {EARLIEST_DATE} and {LATEST_DATE}")
    return parsed


IsoDate = Annotated[date, BeforeValidator(parse_iso_date)]
EventId = Annotated[StrictStr, Field(pattern=EVENT_ID_PATTERN)]


def _code_to_text(value: Any) -> Any:
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return value


def _pydantic_type(spec: ir.FieldType) -> Any:
    """The pydantic annotation of a field (a type built at run time from the vocabulary)."""
    if spec.type == "enum":
        return Literal[tuple(spec.values)]
    if spec.type == "code":
        return Annotated[Literal[tuple(spec.values)], BeforeValidator(_code_to_text)]
    if spec.type == "integer":
        return Annotated[StrictInt, Field(ge=spec.minimum, le=spec.maximum)]
    if spec.type == "date":
        return IsoDate
    if spec.type == "event_ref":
        return EventId
    if spec.type == "boolean":
        return StrictBool
    return Annotated[StrictStr, Field(max_length=2000)]


class _ChildModel(BaseModel):
    model_config = ConfigDict(extra="forbid")
    id: Annotated[StrictStr, Field(pattern=CHILD_ID_PATTERN)]
    date_of_birth: IsoDate
    local_authority: Optional[Annotated[StrictStr, Field(pattern=LOCAL_AUTHORITY_PATTERN)]] = None


class JourneyValidator:
    """Validates journeys against one standard's vocabulary. Build once per standard."""

    def __init__(self, standard: ir.CompiledStandard) -> None:
        self.standard = standard
        self.event_types = {event_type.name: event_type for event_type in standard.event_types}
        self._event_models = {
            name: self._event_model(event_type) for name, event_type in self.event_types.items()
        }
        # Per event type, worked out once: the field names in the vocabulary's order, and the
        # fields the checks after validation look at (required-when conditions, whole numbers,
        # links). Most event types have none of the latter, so most events skip those loops.
        self._field_names = {
            name: tuple(field for field, _ in event_type.fields)
            for name, event_type in self.event_types.items()
        }
        self._required_when = {
            name: tuple(
                (field, spec, other, values)
                for field, spec in event_type.fields
                for other, values in spec.required_when
            )
            for name, event_type in self.event_types.items()
        }
        self._whole_numbers = {
            name: tuple((field, spec) for field, spec in event_type.fields if spec.type == "integer")
            for name, event_type in self.event_types.items()
        }
        self._links = {
            name: tuple((field, spec) for field, spec in event_type.fields if spec.type == "event_ref")
            for name, event_type in self.event_types.items()
        }

    @staticmethod
    def _event_model(event_type: ir.EventType) -> type[BaseModel]:
        definitions: dict[str, Any] = {
            "id": (EventId, ...),
            "type": (Literal[event_type.name], ...),
            "date": (IsoDate, ...),
        }
        for name, spec in event_type.fields:
            annotation = _pydantic_type(spec)
            if spec.required:
                definitions[name] = (annotation, ...)
            else:
                definitions[name] = (Optional[annotation], None)
        return create_model(f"Event_{event_type.name}", __config__=ConfigDict(extra="forbid"), **definitions)

    def validate(self, data: Any, check_plausible: bool = True) -> Journey:
        """Validate a journey (parsed JSON). Raises ``InputError`` listing every problem.
        ``check_plausible=False`` skips the checks of what cannot be true (``_check_plausible``),
        for replaying a decision logged before they existed: the log's evidence must replay as it
        was decided."""
        problems: list[Problem] = []
        if not isinstance(data, dict):
            raise InputError(
                "invalid_journey",
                "the journey must be a JSON object",
                [Problem("journey", "expected an object with 'child' and 'events'")],
            )
        for key in data:
            if key not in ("child", "events"):
                problems.append(
                    Problem(f"journey.{key}", f"unknown field '{key}'", expected="only 'child' and 'events'")
                )
        child = self._validate_child(data.get("child"), problems)
        raw_events = data.get("events")
        events: list[Event] = []
        if raw_events is None:
            problems.append(
                Problem(
                    "journey.events", "missing field 'events'", expected="a list of events (it may be empty)"
                )
            )
        elif not isinstance(raw_events, list):
            problems.append(Problem("journey.events", "'events' must be a list"))
        else:
            events = self._validate_events(raw_events, problems)
        if child is not None and check_plausible:
            self._check_plausible(child, events, problems)
        if problems:
            raise InputError("invalid_journey", _summary(problems), problems)
        assert child is not None
        return Journey(child, tuple(events))

    # --- parts -------------------------------------------------------------------------------

    def json_schema(self) -> dict[str, Any]:
        """The JSON Schema of a journey under this standard's vocabulary, for integrators."""
        models = tuple(self._event_models.values())
        event: Any = Annotated[Union[models], Field(discriminator="type")] if len(models) > 1 else models[0]
        journey = create_model(
            f"Journey_{self.standard.id}_{self.standard.version}".replace("-", "_").replace(".", "_"),
            __config__=ConfigDict(extra="forbid"),
            child=(_ChildModel, ...),
            events=(list[event], ...),
        )
        schema = journey.model_json_schema()
        schema["title"] = f"Journey record for {self.standard.reference}"
        return schema

    def validate_event(self, raw: Any, index: int) -> Event:
        """Validate one event on its own (fields and types; not duplicate ids or links, which
        need the whole journey). Raises ``InputError`` naming the event and field."""
        problems: list[Problem] = []
        events = self._validate_events([raw], problems, check_references=False)
        self._check_plausible(None, events, problems)
        if problems or not events:
            for problem in problems:
                object.__setattr__(
                    problem, "location", problem.location.replace("events[0]", f"events[{index}]")
                )
                object.__setattr__(problem, "event_index", index)
            raise InputError("invalid_event", f"event {index} is invalid", problems)
        event = events[0]
        return Event(event.id, event.type, event.date, index, event.fields)

    def _validate_child(self, data: Any, problems: list[Problem]) -> Child | None:
        if data is None:
            problems.append(
                Problem(
                    "journey.child", "missing field 'child'", expected="an object with id and date_of_birth"
                )
            )
            return None
        try:
            model = _ChildModel.model_validate(data)
        except ValidationError as error:
            for item in error.errors():
                location = "journey.child" + "".join(f".{part}" for part in item["loc"])
                field = str(item["loc"][0]) if item["loc"] else None
                problems.append(
                    Problem(location, _message(item, field), field=field, expected=_expected(item, field))
                )
            return None
        return Child(model.id, model.date_of_birth, model.local_authority)

    def _validate_events(
        self, raw_events: list[Any], problems: list[Problem], check_references: bool = True
    ) -> list[Event]:
        events: list[Event] = []
        first_index_of: dict[str, int] = {}
        for index, raw in enumerate(raw_events):
            event_id = raw.get("id") if isinstance(raw, dict) else None
            shown_id = event_id if isinstance(event_id, str) else None

            def problem(field: str | None, message: str, expected: str | None = None) -> None:
                _event_problem(problems, index, shown_id, field, message, expected)

            if not isinstance(raw, dict):
                problem(None, "each event must be a JSON object")
                continue
            if isinstance(event_id, str):
                if event_id in first_index_of:
                    problem(
                        "id",
                        f"duplicate event id '{event_id}' (also used by event {first_index_of[event_id]})",
                        expected="an id unique within the journey",
                    )
                else:
                    first_index_of[event_id] = index
            event_type = raw.get("type")
            if "type" not in raw:
                problem("type", "missing field 'type'", expected="one of: " + ", ".join(self.event_types))
                continue
            if not isinstance(event_type, str) or event_type not in self._event_models:
                hint = did_you_mean(event_type, self.event_types) if isinstance(event_type, str) else None
                problem(
                    "type",
                    f"unknown event type {event_type!r}" + (f"; {hint}" if hint else ""),
                    expected="one of: " + ", ".join(self.event_types),
                )
                continue
            try:
                model: Any = self._event_models[event_type].model_validate(raw)
            except ValidationError as error:
                for item in error.errors():
                    field = str(item["loc"][0]) if item["loc"] else None
                    problem(
                        field, _message(item, field), _expected(item, field, self.event_types[event_type])
                    )
                continue
            values_of = model.__dict__
            fields = {
                name: values_of[name] for name in self._field_names[event_type] if values_of[name] is not None
            }
            for name, spec, other, values in self._required_when[event_type]:
                if name not in fields and fields.get(other) in values:
                    problem(
                        name,
                        f"missing field '{name}' (required when {other} is {fields.get(other)!r})",
                        expected=_describe(spec),
                    )
            events.append(Event(model.id, event_type, model.date, index, fields))
        if check_references:
            written = {
                raw.get("id"): raw.get("type")
                for raw in raw_events
                if isinstance(raw, dict) and isinstance(raw.get("id"), str)
            }
            self._check_references(events, written, problems)
        return events

    def _check_plausible(self, child: Child | None, events: list[Event], problems: list[Problem]) -> None:
        """Refuse what cannot be true (docs/semantics.md, Validation): an event before the child
        was born (``child``: None when one event is checked on its own), a whole number no JSON
        program exchanges exactly, a count of school days longer than a year. Each problem names
        the event and the field."""
        for event in events:
            if child is not None and event.date < child.date_of_birth:
                _event_problem(
                    problems,
                    event.index,
                    event.id,
                    "date",
                    f"{event.date} is before the child's date of birth ({child.date_of_birth})",
                    "a date on or after the child's date of birth (or a corrected date of birth)",
                )
            for name, spec in self._whole_numbers[event.type]:
                value = event.fields.get(name)
                if value is None:
                    continue
                if abs(value) > MAX_WHOLE_NUMBER:
                    _event_problem(
                        problems,
                        event.index,
                        event.id,
                        name,
                        f"{_shown(value)} is too large to be a count of anything in a journey",
                        f"a whole number between -{MAX_WHOLE_NUMBER} and {MAX_WHOLE_NUMBER}",
                    )
                elif spec.maximum is None and _counts_school_days(name) and value > MAX_SCHOOL_DAYS:
                    _event_problem(
                        problems,
                        event.index,
                        event.id,
                        name,
                        f"{_shown(value)} school days is longer than a year (a year has at most "
                        f"{MAX_SCHOOL_DAYS} weekdays)",
                        f"{_describe(spec)} and at most {MAX_SCHOOL_DAYS}",
                    )

    def _check_references(
        self, events: list[Event], written: dict[Any, Any], problems: list[Problem]
    ) -> None:
        """Links must name an event of the right type. ``written`` maps every id in the input to
        its type as written, so a link to an event that is itself invalid is not reported as
        dangling (that event's own problem is)."""
        for event in events:
            for name, spec in self._links[event.type]:
                if name not in event.fields:
                    continue
                target_id = event.fields[name]
                if target_id not in written:
                    problems.append(
                        Problem(
                            f"journey.events[{event.index}].{name}",
                            f"'{target_id}' names no event in this journey",
                            event_index=event.index,
                            event_id=event.id,
                            field=name,
                            expected=f"the id of a {spec.event_type} event",
                        )
                    )
                elif (
                    written[target_id] != spec.event_type
                    and isinstance(written[target_id], str)
                    and written[target_id] in self.event_types
                ):  # (a type written as a list is that event's own problem)
                    problems.append(
                        Problem(
                            f"journey.events[{event.index}].{name}",
                            f"'{target_id}' is a {written[target_id]} event, not a {spec.event_type} event",
                            event_index=event.index,
                            event_id=event.id,
                            field=name,
                            expected=f"the id of a {spec.event_type} event",
                        )
                    )


def _event_problem(
    problems: list[Problem],
    index: int,
    event_id: str | None,
    field: str | None,
    message: str,
    expected: str | None,
) -> None:
    """Add a problem with event ``index`` (and ``field`` of it, when given)."""
    where = f"journey.events[{index}]"
    problems.append(
        Problem(
            f"{where}.{field}" if field else where,
            message,
            event_index=index,
            event_id=event_id,
            field=field,
            expected=expected,
        )
    )


# --- what cannot be true --------------------------------------------------------------------

#: The largest whole number a journey may carry: 2**53 - 1, the largest integer every JSON
#: program reads exactly (RFC 7493, I-JSON, section 2.2). A larger one is a corrupted value.
MAX_WHOLE_NUMBER = 2**53 - 1
#: The most school days one event may count when its standard states no maximum: the most
#: weekdays a year can have (366 days are 52 weeks and 2 days): a count longer than a whole
#: year is a mistake in the record. (The law's limit on suspensions, 45 school days in a school
#: year, is not the bound: the engine must accept, and can then report, an unlawful suspension.)
MAX_SCHOOL_DAYS = 262


def _counts_school_days(name: str) -> bool:
    """Whether a field counts school days, by the vocabulary's naming (``school_days``)."""
    return name == "school_days" or name.endswith("_school_days")


def _shown(value: int) -> str:
    """A whole number as text, at most about 40 characters however long it is."""
    try:
        text = str(value)
    except ValueError:  # more digits than Python converts (a caller of the library, not JSON)
        return "a number of more than 4,000 digits"
    return text if len(text) <= 40 else f"{text[:20]}…({len(text)} digits)"


# --- messages --------------------------------------------------------------------------------


def _describe(spec: ir.FieldType) -> str:
    if spec.type in ("enum", "code"):
        return "one of: " + ", ".join(spec.values)
    if spec.type == "integer":
        bounds = []
        if spec.minimum is not None:
            bounds.append(f"at least {spec.minimum}")
        if spec.maximum is not None:
            bounds.append(f"at most {spec.maximum}")
        return "a whole number" + (" " + " and ".join(bounds) if bounds else "")
    if spec.type == "date":
        return "a date written as YYYY-MM-DD"
    if spec.type == "event_ref":
        return f"the id of a {spec.event_type} event"
    if spec.type == "boolean":
        return "true or false"
    return "text"


def _message(item: ErrorDetails, field: str | None) -> str:
    kind = item["type"]
    if kind == "missing":
        return f"missing field '{field}'"
    if kind == "extra_forbidden":
        return f"unknown field '{field}'"
    message = item["msg"]
    if message.startswith("Value error, "):
        message = message[len("Value error, ") :]
    value = item.get("input")
    if isinstance(value, (str, int, float, bool)) or value is None:
        return f"{message} (got {value!r})" if kind != "missing" else message
    return message


def _expected(item: ErrorDetails, field: str | None, event_type: ir.EventType | None = None) -> str | None:
    if field is None:
        return None
    if field in ("date", "date_of_birth"):
        return "a date written as YYYY-MM-DD"
    if field == "id":
        return "a pseudonymous reference of letters, digits and . _ : / - (at most 64 characters)"
    if field == "local_authority":
        return "an ONS code such as E09000033 or a 3-digit LA number"
    if event_type is not None:
        spec = event_type.field(field)
        if spec is not None:
            return _describe(spec)
        if item["type"] == "extra_forbidden":
            names = ["id", "type", "date"] + [name for name, _ in event_type.fields]
            return "fields of " + event_type.name + ": " + ", ".join(names)
    return None


def _summary(problems: list[Problem]) -> str:
    count = len(problems)
    return f"the journey has {count} problem{'s' if count != 1 else ''}"
