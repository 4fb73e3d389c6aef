"""A decision request (CONTRACT §2): journey, ``as_of``, standards and school closures.

The same shape arrives over HTTP as one JSON object and from the CLI as a journey file plus
options; both end up as a ``DecisionRequest``. The journey itself is validated later, against
the vocabulary of the standard the request resolves to.
"""

from __future__ import annotations

import json
import re
import sys
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, Literal, Sequence

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StrictStr,
    ValidationError,
    field_validator,
    model_validator,
)

from sendrules.engine.calendar import ClosureRange
from sendrules.engine.errors import InputError, Problem
from sendrules.engine.journey import IsoDate
from sendrules.engine.term_dates import (
    ENGLAND_TERM_PATTERN,
    TermDates,
    parse_term_dates_file,
    term_dates_from_data,
)


class ClosureModel(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)
    start: IsoDate = Field(alias="from")
    end: IsoDate = Field(alias="to")

    @model_validator(mode="after")
    def _ordered(self) -> ClosureModel:
        if self.end < self.start:
            raise ValueError(f"the closure ends ({self.end}) before it starts ({self.start})")
        return self


class RequestModel(BaseModel):
    """A decision request (docs/semantics.md): the one definition, used by the CLI and the HTTP API."""

    model_config = ConfigDict(extra="forbid")
    journey: Any = Field(
        ...,
        description="The child's journey: {child, events}, in the vocabulary of the "
        "standards version used (its JSON Schema is published).",
    )
    as_of: IsoDate = Field(description="The date the decision is made for (YYYY-MM-DD).")
    standards: StrictStr | None = Field(
        None,
        max_length=200,
        examples=["send-ap@1.1.0"],
        description="ID or ID@VERSION; default: the published version in force on as_of.",
    )
    school_closures: list[ClosureModel] = Field(
        default_factory=list, max_length=1000, description="Days the school is closed, inclusive ranges."
    )
    term_dates: dict[str, Any] | Literal["england_term_pattern"] | None = Field(
        None,
        description="The school's or local authority's term dates (the term-dates file's object: name, "
        'source, academic_years), or "england_term_pattern" for the assumed pattern; '
        "default: none, unless the standards opt in to the assumed pattern "
        "(docs/semantics.md, School days).",
    )

    @field_validator("term_dates", mode="before")
    @classmethod
    def _term_dates_kind(cls, value: Any) -> Any:
        if value is None or isinstance(value, dict) or value == ENGLAND_TERM_PATTERN:
            return value
        raise ValueError(
            f"expected the term dates as an object (name, academic_years), or "
            f"'{ENGLAND_TERM_PATTERN}' for the assumed pattern"
        )


@dataclass(frozen=True, slots=True)
class DecisionRequest:
    journey: Any  # parsed JSON, validated against the standard's vocabulary when deciding
    as_of: date
    standards: str | None = None
    school_closures: tuple[ClosureRange, ...] = ()
    #: Term dates supplied, ``england_term_pattern`` (asked for the assumed pattern) or None.
    term_dates: TermDates | str | None = None


def parse_request(payload: Any) -> DecisionRequest:
    """Validate the request envelope; every problem is reported with its JSON path."""
    if not isinstance(payload, dict):
        raise InputError(
            "invalid_request",
            "the request must be a JSON object",
            [Problem("", "expected an object with journey and as_of")],
        )
    try:
        model = RequestModel.model_validate(payload)
    except ValidationError as error:
        problems = []
        for item in error.errors():
            location = json_path(item["loc"])
            message = item["msg"]
            if message.startswith("Value error, "):
                message = message[len("Value error, ") :]
            if item["type"] == "missing":
                message = f"missing field '{item['loc'][-1]}'"
            elif item["type"] == "extra_forbidden":
                message = f"unknown field '{item['loc'][-1]}'"
            problems.append(Problem(location, message, field=str(item["loc"][-1]) if item["loc"] else None))
        raise InputError(
            "invalid_request",
            f"the request has {len(problems)} problem{'s' if len(problems) != 1 else ''}",
            problems,
        ) from None
    closures = tuple(ClosureRange(c.start, c.end) for c in model.school_closures)
    term_dates: TermDates | str | None = model.term_dates if isinstance(model.term_dates, str) else None
    if isinstance(model.term_dates, dict):
        term_dates = term_dates_from_data(model.term_dates)
    return DecisionRequest(model.journey, model.as_of, model.standards, closures, term_dates)


def json_path(location: Sequence[str | int]) -> str:
    """A pydantic error location as a JSON path: ``journey.events[2].date``."""
    text = ""
    for part in location:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


#: The largest JSON file the CLI reads (a journey or closures; ``-`` is standard input).
MAX_JSON_FILE_BYTES = 16 * 1024 * 1024
_BOM = b"\xef\xbb\xbf"


def parse_json_bytes(data: bytes, what: str, where: str, code: str = "invalid_json", root: str = "") -> Any:
    """JSON from bytes, as the CLI and the HTTP API both read it: UTF-8, one leading byte-order
    mark ignored (RFC 8259 lets a parser ignore it; files saved by some Windows editors have
    one). Anything else that is not JSON is an ``InputError`` located at ``where`` (with line
    and column), including nesting deeper than the parser's recursion limit and integers past
    Python's digit limit, never a traceback. An object with the same key twice is refused too,
    located by its JSON path (``root``: the path of the document itself, e.g. ``journey``), as
    which of the two values was meant cannot be known. ``code``: the error code to report."""
    if data.startswith(_BOM):
        data = data[len(_BOM) :]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise InputError(
            code, f"{what} is not UTF-8 text", [Problem(where, f"byte {error.start} is not UTF-8")]
        ) from None
    duplicates: list[tuple[dict[str, Any], str]] = []

    def no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        result = dict(pairs)
        if len(result) != len(pairs):
            seen: set[str] = set()
            for key, _ in pairs:
                if key in seen:
                    duplicates.append((result, key))
                    break
                seen.add(key)
        return result

    try:
        parsed = json.loads(text, object_pairs_hook=no_duplicates)
    except json.JSONDecodeError as error:
        raise InputError(
            code, f"{what} is not valid JSON", [Problem(f"{where}:{error.lineno}:{error.colno}", error.msg)]
        ) from None
    except RecursionError:
        raise InputError(
            code,
            f"{what} is nested too deeply",
            [
                Problem(
                    where,
                    f"arrays and objects may be nested at most about {sys.getrecursionlimit() - 50} deep",
                )
            ],
        ) from None
    except ValueError as error:  # e.g. an integer past sys.get_int_max_str_digits()
        raise InputError(
            code, f"{what} has a number that cannot be read", [Problem(where, str(error)[:200])]
        ) from None
    if duplicates:
        raise InputError(
            code,
            f"{what} has a key written twice in one object",
            _duplicate_problems(parsed, duplicates, root),
        ) from None
    return parsed


#: The most duplicate keys one error lists, and the longest key it quotes.
_MAX_DUPLICATES_SHOWN = 20
_MAX_KEY_SHOWN = 64


def _duplicate_problems(
    document: Any, duplicates: list[tuple[dict[str, Any], str]], root: str
) -> list[Problem]:
    """One problem per object with a repeated key, located by the object's JSON path (found by
    walking the document; iterative, as the document may be deeply nested)."""
    wanted = {id(obj): key for obj, key in duplicates[:_MAX_DUPLICATES_SHOWN]}
    problems: list[Problem] = []
    stack: list[tuple[Any, str]] = [(document, root)]
    while stack and len(problems) < len(wanted):
        node, path = stack.pop()
        if isinstance(node, dict):
            if id(node) in wanted:
                key = wanted[id(node)]
                shown = key if len(key) <= _MAX_KEY_SHOWN else key[:_MAX_KEY_SHOWN] + "…"
                location = f"{path}.{shown}" if path else shown
                match = _EVENT_PATH.fullmatch(path)
                event_id = node.get("id") if match else None
                problems.append(
                    Problem(
                        location,
                        f"duplicate key '{shown}': the object has it more than once, and which "
                        "value is meant cannot be known",
                        event_index=int(match.group(1)) if match else None,
                        event_id=event_id
                        if isinstance(event_id, str) and len(event_id) <= _MAX_KEY_SHOWN
                        else None,
                        field=shown,
                        expected="each key at most once in an object",
                    )
                )
            stack.extend((value, f"{path}.{name}" if path else name) for name, value in node.items())
        elif isinstance(node, list):
            stack.extend((value, f"{path}[{index}]") for index, value in enumerate(node))
    problems.sort(key=lambda problem: problem.location)
    return problems


_EVENT_PATH = re.compile(r"journey\.events\[(\d+)\]")


def read_json_file(path: Path, what: str, root: str = "") -> Any:
    """Read a JSON file (``-``: standard input), at most ``MAX_JSON_FILE_BYTES``; a missing,
    oversized or malformed file is an ``InputError`` naming line and column."""
    try:
        if str(path) == "-":
            data = sys.stdin.buffer.read(MAX_JSON_FILE_BYTES + 1)
        else:
            with open(path, "rb") as file:
                data = file.read(MAX_JSON_FILE_BYTES + 1)
    except FileNotFoundError:
        raise InputError("file_not_found", f"{what} file {path} does not exist") from None
    except IsADirectoryError:
        raise InputError("unreadable_file", f"{what} file {path} is a folder") from None
    except OSError as error:
        raise InputError(
            "unreadable_file", f"cannot read {what} file {path}: {error.strerror or error}"
        ) from None
    source = "standard input" if str(path) == "-" else str(path)
    if len(data) > MAX_JSON_FILE_BYTES:
        raise InputError(
            "file_too_large",
            f"{what} from {source} is larger than {MAX_JSON_FILE_BYTES} bytes",
            [Problem(source, f"at most {MAX_JSON_FILE_BYTES} bytes are read")],
        )
    return parse_json_bytes(
        data,
        f"{what} file {source}" if str(path) != "-" else f"{what} from standard input",
        source,
        root=root,
    )


def request_from_files(
    journey_path: Path,
    as_of: str,
    standards: str | None,
    closures_path: Path | None,
    term_dates: str | None = None,
) -> DecisionRequest:
    """The CLI's inputs as a request, validated exactly as an HTTP request would be.
    ``term_dates``: a term-dates YAML file, or ``england_term_pattern``."""
    payload: dict[str, Any] = {
        "journey": read_json_file(journey_path, "journey", root="journey"),
        "as_of": as_of,
    }
    if standards is not None:
        payload["standards"] = standards
    if closures_path is not None:
        payload["school_closures"] = read_json_file(closures_path, "school closures", root="school_closures")
    if term_dates is not None:
        payload["term_dates"] = term_dates_option(term_dates)
    return parse_request(payload)


def term_dates_option(value: str) -> dict[str, Any] | str:
    """The ``--term-dates`` option as the request's ``term_dates``: ``england_term_pattern`` as it
    is, anything else a term-dates file, checked with file:line:column errors."""
    if value == ENGLAND_TERM_PATTERN:
        return value
    return parse_term_dates_file(Path(value)).to_data()
