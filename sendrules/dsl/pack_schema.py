"""The schema of a standards pack's YAML files, as pydantic models.

Unknown keys are errors everywhere (``extra="forbid"``): a misspelt key that YAML would
silently carry is the classic failure of configuration-driven rule systems.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StrictBool,
    StrictInt,
    StrictStr,
    ValidationInfo,
    field_validator,
    model_validator,
)

NAME_PATTERN = r"^[a-z][a-z0-9_]*$"
DOTTED_PATTERN = r"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$"
VERSION_PATTERN = r"^\d+\.\d+\.\d+(-[a-z0-9]+)?$"
PACK_ID_PATTERN = r"^[a-z][a-z0-9-]*$"

#: Names that the rules language reserves: events may not use them as field names.
RESERVED_FIELDS = ("id", "type", "date")

DURATION_UNITS = ("weeks", "days", "months", "working_days", "school_days")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


# --- manifest.yaml ---------------------------------------------------------------------------


class Source(_Strict):
    """A document the standard is drawn from."""

    title: StrictStr
    url: StrictStr | None = None
    note: StrictStr | None = None
    #: (language 2) what kind of text it is: a ``must`` rule needs a statute or regulation.
    kind: Literal["statute", "regulation", "case_law", "guidance", "other"] | None = None
    #: (language 2) how rules cite it: a citation belongs to the source whose ``cite_as``
    #: prefix it starts with (the longest such prefix).
    cite_as: list[StrictStr] = Field(default_factory=list)


class Change(_Strict):
    """One stated change of a version against the version it supersedes."""

    summary: StrictStr
    rules: list[StrictStr] = Field(default_factory=list)
    parameters: list[StrictStr] = Field(default_factory=list)


class Manifest(_Strict):
    """What a version of a pack is and when it is in force."""

    id: StrictStr = Field(pattern=PACK_ID_PATTERN)
    version: StrictStr = Field(pattern=VERSION_PATTERN)
    title: StrictStr
    status: Literal["draft", "published", "superseded"]
    effective_from: date
    effective_to: date | None = None
    supersedes: StrictStr | None = None
    summary: StrictStr
    illustrative: StrictBool = False
    #: How school days are counted when a request gives no term dates: ``weekdays`` (every
    #: weekday that is not a bank holiday; the packs published before 1.2.0) or
    #: ``england_term_pattern`` (the assumed term pattern, engine/term_dates.py).
    school_days: Literal["weekdays", "england_term_pattern"] = "weekdays"
    #: The version of the rules language the pack is written in (docs/rules-language.md):
    #: 1 is the language of the first packs; 2 adds dated rules, "beginning with" deadlines,
    #: illustrative rules and the citation checks; 3 adds the constructs of send-ap 1.4.0
    #: (docs/rules-language.md, "Rules language 3"); 4 adds those of send-ap 1.5.0
    #: (docs/rules-language.md, "Rules language 4").
    language: Literal[1, 2, 3, 4] = 1
    duty_holders: dict[StrictStr, StrictStr]
    sources: list[Source] = Field(min_length=1)
    changes: list[Change] = Field(default_factory=list)

    @field_validator("language", mode="before")
    @classmethod
    def _language_is_a_number(cls, value: Any) -> Any:
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValueError("the language version is a whole number: 1, 2, 3 or 4")
        return value

    @field_validator("effective_from", "effective_to", mode="before")
    @classmethod
    def _dates_are_dates(cls, value: Any) -> Any:
        if value is None or isinstance(value, date):
            return value
        if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            return value
        raise ValueError("expected a date written as YYYY-MM-DD")

    @field_validator("effective_to")
    @classmethod
    def _period_is_ordered(cls, value: date | None, info: ValidationInfo) -> date | None:
        start = info.data.get("effective_from")
        if value is not None and start is not None and value < start:
            raise ValueError(f"effective_to ({value}) is before effective_from ({start})")
        return value

    @field_validator("duty_holders")
    @classmethod
    def _duty_holder_names(cls, holders: dict[str, str]) -> dict[str, str]:
        for name in holders:
            if not re.fullmatch(NAME_PATTERN, name):
                raise ValueError(f"duty holder '{name}' must be lower case letters, digits and _")
        return holders


# --- parameters.yaml -------------------------------------------------------------------------


class Parameter(_Strict):
    """A number a rule uses, with the date each value took effect."""

    description: StrictStr
    unit: Literal["weeks", "days", "months", "working_days", "school_days", "count", "pounds"]
    source: StrictStr
    unconfirmed: StrictStr | None = None
    #: (language 2) the number is local practice, not law: rules using it must say why
    #: (``illustrative "..."``) unless the whole pack is illustrative.
    illustrative: StrictBool = False
    values: dict[date, StrictInt] = Field(min_length=1)

    @field_validator("values", mode="before")
    @classmethod
    def _keys_are_dates(cls, value: Any) -> Any:
        if not isinstance(value, dict):
            return value
        for key in value:
            if not isinstance(key, date):
                raise ValueError(
                    f"'{key}' is not a date: key each value by the date it takes effect (YYYY-MM-DD)"
                )
        return value

    @field_validator("values")
    @classmethod
    def _values_not_negative(cls, values: dict[date, int]) -> dict[date, int]:
        for day, number in values.items():
            if number < 0:
                raise ValueError(f"the value from {day} is negative")
        return values


# --- events.yaml -----------------------------------------------------------------------------


class FieldSpec(_Strict):
    """One field of an event type."""

    type: Literal["enum", "code", "integer", "date", "event_ref", "boolean", "text"]
    values: list[StrictStr] | None = None
    minimum: StrictInt | None = None
    maximum: StrictInt | None = None
    event_type: StrictStr | None = None
    required: StrictBool = True
    required_when: dict[StrictStr, list[StrictStr]] | None = None
    description: StrictStr | None = None

    @model_validator(mode="after")
    def _options_fit_type(self) -> FieldSpec:
        if self.type in ("enum", "code"):
            if not self.values:
                raise ValueError(f"a field of type {self.type} needs a list of values")
            if len(set(self.values)) != len(self.values):
                raise ValueError("the values are not unique")
        elif self.values is not None:
            raise ValueError(f"'values' is only for enum and code fields, not {self.type}")
        if self.type == "event_ref" and not self.event_type:
            raise ValueError("an event_ref field needs the event_type it refers to")
        if self.type != "event_ref" and self.event_type is not None:
            raise ValueError("'event_type' is only for event_ref fields")
        if self.type != "integer" and (self.minimum is not None or self.maximum is not None):
            raise ValueError("'minimum' and 'maximum' are only for integer fields")
        if self.minimum is not None and self.maximum is not None and self.minimum > self.maximum:
            raise ValueError("minimum is greater than maximum")
        if self.required and self.required_when:
            raise ValueError("'required_when' only makes sense with required: false")
        return self


class EventSpec(_Strict):
    """One event type of the vocabulary."""

    description: StrictStr
    fields: dict[StrictStr, FieldSpec] = Field(default_factory=dict)

    @field_validator("fields")
    @classmethod
    def _field_names(cls, fields: dict[str, FieldSpec]) -> dict[str, FieldSpec]:
        for name in fields:
            if name in RESERVED_FIELDS:
                raise ValueError(f"'{name}' is part of every event and cannot be declared as a field")
            if not re.fullmatch(NAME_PATTERN, name):
                raise ValueError(f"field name '{name}' must be lower case letters, digits and _")
        return fields
