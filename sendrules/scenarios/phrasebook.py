"""A pack's phrasebook: the words scenarios use for the events of the pack's vocabulary.

The phrasebook is data in the pack, ``<standards>/<pack id>/phrases.yaml``, one file for every
version of the pack (the scenarios it serves are shared by the versions they are tagged for).
It is not part of any version's content hash. It says, for each event type,

* what scenarios call its events (``called: [request, assessment request]``: "the request",
  "the second request"), possibly from a field (``"{advice} advice request"``);
* the words that stand for field values (``requested_by: {the parent: parent, ...}``);

and lists the ``Given`` phrases that add an event (or set fields on one already given), each a
template: ``a request for an EHC needs assessment[ from {requested_by}] received on {date}``.
``{date}`` is the event's date, ``{field}`` one of its fields, ``[...]`` may be left out and
``(a|b)`` is one of the choices.

``load_phrasebook`` reads and checks the file against the vocabulary of every version of the
pack (``sendrules check`` reports what it finds, located by file, line and column) and compiles
each phrase to a regular expression; the scenario steps (``steps.py``) apply a matched phrase
to a journey. docs/features.md says how to write phrases; docs/standards-packs.md gives the
format.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable, Union

from pydantic import BaseModel, ConfigDict, StrictBool, StrictInt, StrictStr, ValidationError

from sendrules.dsl.diagnostics import Diagnostic, did_you_mean, sort_key
from sendrules.dsl.pack_schema import EventSpec, FieldSpec
from sendrules.dsl.yaml_source import YamlDocument, format_path, load_yaml
from sendrules.engine.calendar import MONTH_NAMES
from sendrules.scenarios.overlap import example_of_overlap

PHRASEBOOK_FILE = "phrases.yaml"

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
#: A date as people write it: "6 January 2025", optionally with the weekday ("Monday 6 January 2025").
DATE = r"(?:(?:" + "|".join(WEEKDAYS) + r") )?\d{1,2} (?:" + "|".join(MONTH_NAMES) + r") \d{4}"
ORDINALS = {
    "first": 1,
    "second": 2,
    "third": 3,
    "fourth": 4,
    "fifth": 5,
    "sixth": 6,
    "seventh": 7,
    "eighth": 8,
    "ninth": 9,
    "tenth": 10,
}
#: "the", then optionally which one: "the second ...", "the 3rd ...", "the last ...".
ORDINAL = r"(?:" + "|".join(ORDINALS) + r"|last|\d+(?:st|nd|rd|th))"

#: The slot every phrase that adds an event has: the event's date.
DATE_SLOT = "date"
#: The slot of a phrase that changes an event already given: the event's name.
EVENT_SLOT = "event"

Value = Union[StrictStr, StrictBool, StrictInt]


# --- the file -------------------------------------------------------------------------------


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class EventWordsSpec(_Strict):
    """What scenarios call the events of one type, and words for its field values."""

    called: list[StrictStr] = []
    words: dict[StrictStr, dict[StrictStr, Value]] = {}


class PhraseSpec(_Strict):
    """One ``Given`` phrase as written in the file."""

    given: StrictStr
    adds: StrictStr | None = None
    changes: StrictStr | None = None
    example: StrictStr
    fields: dict[StrictStr, Value] = {}
    latest: dict[StrictStr, list[StrictStr]] = {}
    notes: StrictStr = ""


class TopicHeader(_Strict):
    """A topic of the phrase list and its phrases (each checked on its own)."""

    topic: StrictStr
    phrases: list[Any]


# --- templates ------------------------------------------------------------------------------


class TemplateError(ValueError):
    """A template that cannot be read: an unclosed bracket, a bad slot name, ..."""


@dataclass(frozen=True)
class Text:
    text: str


@dataclass(frozen=True)
class Slot:
    name: str


@dataclass(frozen=True)
class Optional_:
    parts: tuple


@dataclass(frozen=True)
class Choice:
    options: tuple  # of tuples of parts


Part = Union[Text, Slot, Optional_, Choice]
_SLOT_NAME = re.compile(r"[a-z][a-z0-9_]*")


def parse_template(template: str) -> tuple[Part, ...]:
    """``a[ b] ({x}|c)`` -> parts. ``\\`` makes the next character plain text."""
    parts, position = _parse_sequence(template, 0, closing="")
    return parts


def _parse_sequence(text: str, position: int, closing: str) -> tuple[tuple[Part, ...], int]:
    parts: list[Part] = []
    buffer = ""
    while position < len(text):
        char = text[position]
        if char == "\\" and position + 1 < len(text):
            buffer += text[position + 1]
            position += 2
            continue
        if char in closing:
            break
        if char in ")]|":
            raise TemplateError(f"'{char}' at character {position + 1} closes nothing")
        if char in "{[(":
            if buffer:
                parts.append(Text(buffer))
                buffer = ""
            if char == "{":
                end = text.find("}", position)
                name = text[position + 1 : end] if end != -1 else ""
                if end == -1:
                    raise TemplateError(f"the '{{' at character {position + 1} is never closed")
                if not _SLOT_NAME.fullmatch(name):
                    raise TemplateError(
                        f"'{{{name}}}' is not a field name (lower case letters, digits and _)"
                    )
                parts.append(Slot(name))
                position = end + 1
            elif char == "[":
                inner, position = _parse_sequence(text, position + 1, closing="]")
                if position >= len(text):
                    raise TemplateError("a '[' is never closed")
                if not inner:
                    raise TemplateError("'[]' holds nothing")
                parts.append(Optional_(inner))
                position += 1
            else:
                options = []
                position += 1
                while True:
                    inner, position = _parse_sequence(text, position, closing="|)")
                    if position >= len(text):
                        raise TemplateError("a '(' is never closed")
                    options.append(inner)
                    if text[position] == ")":
                        break
                    position += 1
                if len(options) < 2 or any(not option for option in options):
                    raise TemplateError("'(…)' needs two or more choices, separated by '|', none empty")
                parts.append(Choice(tuple(options)))
                position += 1
            continue
        buffer += char
        position += 1
    if buffer:
        parts.append(Text(buffer))
    return tuple(parts), position


def slots_of(parts: Iterable[Part]) -> list[str]:
    """Every slot name, in order (a slot inside a choice or an optional part included)."""
    names: list[str] = []
    for part in parts:
        if isinstance(part, Slot):
            names.append(part.name)
        elif isinstance(part, Optional_):
            names.extend(slots_of(part.parts))
        elif isinstance(part, Choice):
            for option in part.options:
                names.extend(slots_of(option))
    return names


def always_set(parts: Iterable[Part]) -> set[str]:
    """The slots every wording of the template fills (not only inside ``[...]`` or one choice)."""
    names: set[str] = set()
    for part in parts:
        if isinstance(part, Slot):
            names.add(part.name)
        elif isinstance(part, Choice):
            names |= set.intersection(*(always_set(option) for option in part.options))
    return names


def template_regex(parts: Iterable[Part], slot_regex: Callable[[str], str], named: bool = True) -> str:
    """The regular expression of a template; each slot a named group (``named``) or a plain one."""
    out = []
    for part in parts:
        if isinstance(part, Text):
            out.append(re.escape(part.text))
        elif isinstance(part, Slot):
            inner = slot_regex(part.name)
            out.append(f"(?P<{part.name}>{inner})" if named else f"(?:{inner})")
        elif isinstance(part, Optional_):
            out.append(f"(?:{template_regex(part.parts, slot_regex, named)})?")
        else:
            out.append(
                "(?:" + "|".join(template_regex(option, slot_regex, named) for option in part.options) + ")"
            )
    return "".join(out)


def _alternatives(words: Iterable[str]) -> str:
    """A regular expression for one of ``words`` (longest first)."""
    return "(?:" + "|".join(re.escape(word) for word in sorted(words, key=lambda w: (-len(w), w))) + ")"


# --- the compiled phrasebook ----------------------------------------------------------------


@dataclass(frozen=True)
class FieldInfo:
    """A field of an event type, as the versions of the pack that have it define it."""

    spec: FieldSpec
    versions: tuple[str, ...]


@dataclass(frozen=True)
class SlotInfo:
    """How a slot of a phrase is matched and turned into a value.

    ``kind``: ``date`` (a date; the event's own date for the slot ``{date}``), ``integer``,
    ``words`` (one of ``words``, standing for the field value it maps to), ``event`` (an event
    named by the scenario, of ``event_type``), ``text`` (any words)."""

    name: str
    kind: str
    words: tuple[tuple[str, Any], ...] = ()
    event_type: str | None = None

    def value_of(self, word: str) -> Any:
        return dict(self.words)[word]


@dataclass(frozen=True)
class PackPhrase:
    """One ``Given`` phrase of a pack: adds an event of ``event_type`` (``mode`` ``adds``) or
    sets fields on one already given (``changes``)."""

    template: str
    mode: str  # adds | changes
    event_type: str
    example: str
    topic: str
    pattern: str  # the regular expression matched against the whole step text
    slots: tuple[SlotInfo, ...]
    fields: tuple[tuple[str, Any], ...] = ()
    #: Links made to the latest earlier event when the step names none: (field, event type of
    #: the linked event, fields the linked event must share with the new one).
    latest: tuple[tuple[str, str, tuple[str, ...]], ...] = ()
    notes: str = ""
    #: The versions whose vocabulary has the event type, and fields some of them lack.
    versions: tuple[str, ...] = ()
    later_fields: tuple[tuple[str, tuple[str, ...]], ...] = ()
    where: str = ""  # file:line, for messages
    keyword: str = "Given"

    @property
    def regex(self) -> re.Pattern:
        return _compiled(self.pattern)

    def slot(self, name: str) -> SlotInfo:
        return next(slot for slot in self.slots if slot.name == name)


_REGEXES: dict[str, re.Pattern] = {}


def _compiled(pattern: str) -> re.Pattern:
    compiled = _REGEXES.get(pattern)
    if compiled is None:
        compiled = _REGEXES.setdefault(pattern, re.compile(pattern))
    return compiled


@dataclass(frozen=True)
class EventNames:
    """What scenarios call the events of one type: name templates and the words of fields."""

    called: tuple[tuple[Part, ...], ...] = ()
    words: tuple[tuple[str, tuple[tuple[str, Any], ...]], ...] = ()

    def field_words(self, field_name: str) -> tuple[tuple[str, Any], ...]:
        return dict(self.words).get(field_name, ())


@dataclass
class Phrasebook:
    """A pack's phrases, checked against its vocabulary and compiled."""

    pack_id: str
    file: str  # as named in messages: send-ap/phrases.yaml
    versions: tuple[str, ...] = ()  # every version of the pack, in order
    names: dict[str, EventNames] = field(default_factory=dict)
    phrases: list[PackPhrase] = field(default_factory=list)

    def names_for(self, event_type: str, fields: dict) -> list[str]:
        """What a scenario may call an event of ``event_type`` with ``fields``; any event is also
        '"<type>" event'."""
        known = self.names.get(event_type)
        names: list[str] = []
        for template in known.called if known else ():
            text = _fill(template, lambda name: _word_for(known.field_words(name), fields.get(name)))
            if text is not None:
                names.append(text)
        return names + [f'"{event_type}" event']

    def all_names(self, event_type: str) -> list[str]:
        """Every name an event of ``event_type`` may have, whatever its fields."""
        known = self.names.get(event_type)
        names: list[str] = []
        for template in known.called if known else ():
            slot_names = slots_of(template)
            choices = [[word for word, _ in known.field_words(name)] for name in slot_names]
            for combination in itertools.product(*choices):
                chosen = dict(zip(slot_names, combination))
                names.append(_fill(template, chosen.get))
        return names + [f'"{event_type}" event']

    def event_pattern(self, event_type: str) -> str:
        """A regular expression for a scenario's name of one event of ``event_type``."""
        return rf"the (?:{ORDINAL} )?" + _alternatives(self.all_names(event_type))


def _fill(template: tuple[Part, ...], word: Callable[[str], str | None]) -> str | None:
    text = ""
    for part in template:
        if isinstance(part, Text):
            text += part.text
        else:
            chosen = word(part.name)
            if chosen is None:
                return None
            text += chosen
    return text


def _word_for(words: tuple[tuple[str, Any], ...], value: Any) -> str | None:
    for word, meaning in words:
        if meaning == value and type(meaning) is type(value):
            return word
    return None


# --- reading and checking -------------------------------------------------------------------


@dataclass
class PhrasebookResult:
    """A phrasebook and every problem found in it (None when there are problems)."""

    phrasebook: Phrasebook | None
    diagnostics: list[Diagnostic]
    source: str | None = None  # the file's text, to show the offending line
    file: str = ""
    exists: bool = True

    @property
    def ok(self) -> bool:
        return not self.diagnostics


def read_vocabulary(version_folder: Path) -> dict[str, EventSpec]:
    """The event types of one version folder that its events.yaml defines validly (the
    version's own check reports the others)."""
    try:
        text = (version_folder / "events.yaml").read_bytes().decode("utf-8")
    except (OSError, UnicodeDecodeError):
        return {}
    document, _ = load_yaml(text, "events.yaml")
    events: dict[str, EventSpec] = {}
    if document is None or not isinstance(document.data, dict):
        return events
    for name, body in document.data.items():
        try:
            events[str(name)] = EventSpec.model_validate(body)
        except ValidationError:
            continue
    return events


def load_phrasebook(
    pack_folder: Path, display: str, vocabularies: list[tuple[str, dict[str, EventSpec]]]
) -> PhrasebookResult:
    """Read ``<pack_folder>/phrases.yaml`` and check it against ``vocabularies`` (each version
    of the pack, in order: version, event types). No file: an empty phrasebook (scenarios then
    use only the generic phrases)."""
    pack_id = pack_folder.name
    path = pack_folder / PHRASEBOOK_FILE
    versions = tuple(version for version, _ in vocabularies)
    if not path.is_file():
        return PhrasebookResult(Phrasebook(pack_id, display, versions), [], None, display, exists=False)
    try:
        text = path.read_bytes().decode("utf-8").replace("\r\n", "\n")
    except (OSError, UnicodeDecodeError) as error:
        return PhrasebookResult(
            None, [Diagnostic("not_utf8", f"cannot read the phrasebook: {error}", display)], None, display
        )
    checker = _Checker(pack_id, display, vocabularies)
    phrasebook = checker.run(text)
    diagnostics = sorted(checker.diagnostics, key=sort_key)
    return PhrasebookResult(None if diagnostics else phrasebook, diagnostics, text, display)


class _Checker:
    """Checks a phrasebook's text against the vocabularies and compiles it."""

    def __init__(
        self, pack_id: str, display: str, vocabularies: list[tuple[str, dict[str, EventSpec]]]
    ) -> None:
        self.pack_id = pack_id
        self.display = display
        self.vocabularies = vocabularies
        self.versions = tuple(version for version, _ in vocabularies)
        self.diagnostics: list[Diagnostic] = []
        self.document: YamlDocument | None = None
        #: event type -> the versions that have it; (event type, field) -> its definitions.
        self.event_versions: dict[str, list[str]] = {}
        self.fields: dict[tuple[str, str], list[tuple[str, FieldSpec]]] = {}
        for version, events in vocabularies:
            for name, spec in events.items():
                self.event_versions.setdefault(name, []).append(version)
                for field_name, field_spec in spec.fields.items():
                    self.fields.setdefault((name, field_name), []).append((version, field_spec))

    # --- reporting ---------------------------------------------------------------------------

    def problem(
        self, code: str, message: str, path: tuple, *, key: bool = False, hint: str | None = None
    ) -> None:
        assert self.document is not None
        self.diagnostics.append(self.document.diagnostic(code, message, path, key=key, hint=hint))

    def where(self, path: tuple) -> str:
        assert self.document is not None
        line, _ = self.document.position(path)
        return f"{self.display}:{line}" if line else self.display

    # --- the vocabulary ----------------------------------------------------------------------

    def known_event(self, name: str, path: tuple, *, key: bool = False) -> bool:
        if name in self.event_versions:
            return True
        self.problem(
            "unknown_event_type",
            f"'{name}' is not an event type of any version of {self.pack_id} "
            f"({', '.join(self.versions) or 'no versions'})",
            path,
            key=key,
            hint=did_you_mean(name, self.event_versions),
        )
        return False

    def field_info(self, event_type: str, name: str, path: tuple, *, key: bool = False) -> FieldInfo | None:
        """The field, as the versions that have it define it; reported if unknown or defined
        differently by two versions."""
        definitions = self.fields.get((event_type, name))
        if not definitions:
            known = sorted({f for (e, f) in self.fields if e == event_type})
            self.problem(
                "unknown_field",
                f"'{name}' is not a field of {event_type} in any version of "
                f"{self.pack_id}"
                + (f" (its fields: {', '.join(known)})" if known else " (it has no fields)"),
                path,
                key=key,
                hint=did_you_mean(name, known),
            )
            return None
        first_version, first = definitions[0]
        for version, spec in definitions[1:]:
            if (spec.type, spec.event_type) != (first.type, first.event_type):
                self.problem(
                    "field_type_differs",
                    f"{event_type}.{name} is {_describe_type(first)} in {first_version} but "
                    f"{_describe_type(spec)} in {version}: a phrase needs one meaning for it",
                    path,
                    key=key,
                )
                return None
        values: list[str] = []
        for _, spec in definitions:
            values.extend(value for value in spec.values or () if value not in values)
        merged = first.model_copy(update={"values": values or None})
        return FieldInfo(merged, tuple(version for version, _ in definitions))

    # --- the whole file ----------------------------------------------------------------------

    def run(self, text: str) -> Phrasebook:
        phrasebook = Phrasebook(self.pack_id, self.display, self.versions)
        document, problems = load_yaml(text, self.display)
        self.diagnostics.extend(problems)
        if document is None:
            return phrasebook
        self.document = document
        data = document.data if document.data is not None else {}
        if not isinstance(data, dict):
            self.problem("schema", "expected a mapping with the keys events and topics", ())
            return phrasebook
        for key in data:
            if key not in ("events", "topics"):
                self.problem(
                    "unknown_key",
                    f"unknown key '{key}'",
                    (key,),
                    key=True,
                    hint=did_you_mean(str(key), ("events", "topics")) or "the keys are events and topics",
                )
        events = data.get("events") or {}
        if not isinstance(events, dict):
            self.problem("schema", "events: expected a mapping of event types", ("events",))
            events = {}
        for event_type, body in events.items():
            spec = self._validate(EventWordsSpec, body if body is not None else {}, ("events", event_type))
            names = self._event_names(str(event_type), spec, ("events", event_type)) if spec else None
            if names is not None:
                phrasebook.names[str(event_type)] = names
        self._names_unique(phrasebook)
        topics = data.get("topics") or []
        if not isinstance(topics, list):
            self.problem(
                "schema", "topics: expected a list of topics, each with a topic and its phrases", ("topics",)
            )
            topics = []
        compiled: list[tuple[PackPhrase, tuple]] = []
        for topic_index, topic in enumerate(topics):
            header = self._validate(TopicHeader, topic, ("topics", topic_index))
            if header is None:
                continue
            for index, body in enumerate(header.phrases):
                path = ("topics", topic_index, "phrases", index)
                spec = self._validate(PhraseSpec, body, path)
                pack_phrase = self._phrase(phrasebook, header.topic, spec, path) if spec else None
                if pack_phrase is not None:
                    compiled.append((pack_phrase, path))
        phrasebook.phrases = [pack_phrase for pack_phrase, _ in compiled]
        self._examples_and_overlaps(compiled)
        return phrasebook

    def _validate(self, model: type[BaseModel], data: Any, prefix: tuple):
        try:
            return model.model_validate(data)
        except ValidationError as error:
            self._schema_problems(error, prefix)
            return None

    def _schema_problems(self, error: ValidationError, prefix: tuple) -> None:
        for problem in error.errors():
            path = prefix + tuple(part for part in problem["loc"] if part != "[key]")
            if "[key]" in problem["loc"]:
                read_as = (
                    f" (YAML reads {str(path[-1]).lower()} as a {type(path[-1]).__name__})"
                    if not isinstance(path[-1], str)
                    else ""
                )
                self.problem(
                    "schema",
                    f"the key '{path[-1]}' must be text{read_as}",
                    path,
                    key=True,
                    hint="write yes, no, on and off in quotes: YAML reads them as true or false"
                    if isinstance(path[-1], bool)
                    else None,
                )
                continue
            if problem["type"] == "extra_forbidden":
                self.problem(
                    "unknown_key",
                    f"unknown key '{path[-1]}'",
                    path,
                    key=True,
                    hint=did_you_mean(
                        str(path[-1]),
                        (
                            "called",
                            "words",
                            "topic",
                            "phrases",
                            "given",
                            "adds",
                            "changes",
                            "example",
                            "fields",
                            "latest",
                            "notes",
                        ),
                    ),
                )
            elif problem["type"] == "missing":
                self.problem("missing_key", f"'{path[-1]}' is required", path[:-1])
            else:
                value = problem.get("input")
                shown = f" (got {value!r})" if isinstance(value, (str, int, float, bool)) else ""
                hint = (
                    "write yes, no, on and off in quotes: YAML reads them as true or false"
                    if isinstance(value, bool) or any(isinstance(part, bool) for part in path)
                    else None
                )
                self.problem("schema", f"{problem['msg']}{shown}", path, hint=hint)

    # --- events: names and words -------------------------------------------------------------

    def _event_names(self, event_type: str, spec: EventWordsSpec, path: tuple) -> EventNames | None:
        if not self.known_event(event_type, path, key=True):
            return None
        words: list[tuple[str, tuple[tuple[str, Any], ...]]] = []
        for field_name, mapping in spec.words.items():
            info = self.field_info(event_type, field_name, path + ("words", field_name), key=True)
            if info is None:
                continue
            checked = self._words(event_type, field_name, info, mapping, path + ("words", field_name))
            if checked is not None:
                words.append((field_name, checked))
        for field_name, info in self._fields_of(event_type):
            if field_name not in dict(words) and info.spec.type in ("enum", "code"):
                words.append(
                    (field_name, tuple((value.replace("_", " "), value) for value in info.spec.values or ()))
                )
        called = []
        for index, name in enumerate(spec.called):
            where = path + ("called", index)
            try:
                parts = parse_template(name)
            except TemplateError as error:
                self.problem("template_syntax", f"the name '{name}' cannot be read: {error}", where)
                continue
            if any(isinstance(part, (Optional_, Choice)) for part in parts):
                self.problem(
                    "template_syntax",
                    f"a name holds plain words and {{field}} only; '{name}' has "
                    "[…] or (…|…): list each name instead",
                    where,
                )
                continue
            if name.startswith(("the ", "a ", "an ")):
                self.problem(
                    "schema",
                    f"write the name without 'the' or 'a': scenarios say \"the {name}\" themselves",
                    where,
                )
                continue
            missing = [slot for slot in slots_of(parts) if slot not in dict(words)]
            for slot in missing:
                self.problem(
                    "missing_words",
                    f"the name '{name}' uses {{{slot}}}, which has no words: "
                    f"give {event_type} words for {slot}",
                    where,
                )
            if not missing:
                called.append(parts)
        return EventNames(tuple(called), tuple(words))

    def _fields_of(self, event_type: str) -> list[tuple[str, FieldInfo]]:
        names = sorted({f for (e, f) in self.fields if e == event_type})
        infos = []
        for name in names:
            definitions = self.fields[(event_type, name)]
            values: list[str] = []
            for _, spec in definitions:
                values.extend(value for value in spec.values or () if value not in values)
            merged = definitions[0][1].model_copy(update={"values": values or None})
            infos.append((name, FieldInfo(merged, tuple(v for v, _ in definitions))))
        return infos

    def _words(
        self, event_type: str, field_name: str, info: FieldInfo, mapping: dict[str, Any], path: tuple
    ) -> tuple[tuple[str, Any], ...] | None:
        kind = info.spec.type
        if kind not in ("enum", "code", "boolean"):
            self.problem(
                "words_not_allowed",
                f"{event_type}.{field_name} is {_describe_type(info.spec)}: words "
                "are for enum, code and boolean fields",
                path,
                key=True,
            )
            return None
        ok = True
        for word, value in mapping.items():
            if not word.strip() or word != word.strip() or "  " in word:
                self.problem("schema", f"the word '{word}' has stray spaces", path + (word,), key=True)
                ok = False
            elif kind == "boolean" and not isinstance(value, bool):
                self.problem(
                    "unknown_value",
                    f"'{word}' must stand for true or false ({event_type}.{field_name} "
                    f"is a boolean), not {value!r}",
                    path + (word,),
                )
                ok = False
            elif kind != "boolean" and (
                isinstance(value, bool) or str(value) not in (info.spec.values or ())
            ):
                self.problem(
                    "unknown_value",
                    f"'{value}' is not a value of {event_type}.{field_name}",
                    path + (word,),
                    hint=did_you_mean(str(value), info.spec.values or ()),
                )
                ok = False
        if kind == "boolean":
            return tuple(mapping.items()) if ok else None
        return tuple((word, str(value)) for word, value in mapping.items()) if ok else None

    def _names_unique(self, phrasebook: Phrasebook) -> None:
        owner: dict[str, str] = {}
        for event_type in phrasebook.names:
            for name in phrasebook.all_names(event_type):
                other = owner.setdefault(name.lower(), event_type)
                if other != event_type:
                    self.problem(
                        "duplicate_name",
                        f"'{name}' names events of both {other} and {event_type}: "
                        f'"the {name}" would be ambiguous',
                        ("events", event_type, "called"),
                    )

    # --- phrases -----------------------------------------------------------------------------

    def _phrase(self, phrasebook: Phrasebook, topic: str, spec: PhraseSpec, path: tuple) -> PackPhrase | None:
        if (spec.adds is None) == (spec.changes is None):
            self.problem(
                "schema",
                "a phrase either adds an event ('adds: <event type>') or changes one already "
                "given ('changes: <event type>')",
                path,
            )
            return None
        mode = "adds" if spec.adds is not None else "changes"
        event_type = spec.adds or spec.changes or ""
        if not self.known_event(event_type, path + (mode,)):
            return None
        try:
            parts = parse_template(spec.given)
        except TemplateError as error:
            self.problem("template_syntax", f"the phrase cannot be read: {error}", path + ("given",))
            return None
        names = slots_of(parts)
        for name in sorted({name for name in names if names.count(name) > 1}):
            self.problem("duplicate_slot", f"{{{name}}} appears twice in the phrase", path + ("given",))
        if mode == "adds":
            if DATE_SLOT not in always_set(parts):
                self.problem(
                    "missing_date",
                    "a phrase that adds an event says its date: put {date} in it (not in "
                    "[…] or one choice of (…|…))",
                    path + ("given",),
                )
            if EVENT_SLOT in names and (event_type, EVENT_SLOT) not in self.fields:
                self.problem(
                    "unknown_field",
                    f"{{event}} names the event a phrase changes; {event_type} has no "
                    "field 'event' (use 'changes:' to set fields on an event already given)",
                    path + ("given",),
                )
        else:
            if EVENT_SLOT not in always_set(parts):
                self.problem(
                    "missing_event",
                    "a phrase that changes an event names it: put {event} in it",
                    path + ("given",),
                )
            if DATE_SLOT in names:
                self.problem(
                    "schema",
                    "a phrase that changes an event has no {date} of its own; set a date field instead",
                    path + ("given",),
                )
        slots: list[SlotInfo] = []
        for name in dict.fromkeys(names):
            slot = self._slot(phrasebook, event_type, mode, name, path + ("given",))
            if slot is not None:
                slots.append(slot)
        fixed: list[tuple[str, Any]] = []
        for name, value in spec.fields.items():
            info = self.field_info(event_type, name, path + ("fields", name), key=True)
            if info is None:
                continue
            if name in names:
                self.problem(
                    "schema",
                    f"'{name}' is both fixed and a slot of the phrase",
                    path + ("fields", name),
                    key=True,
                )
            elif _value_fits(info.spec, value):
                fixed.append((name, str(value) if info.spec.type in ("enum", "code", "text") else value))
            else:
                self.problem(
                    "unknown_value",
                    f"{value!r} is not a value of {event_type}.{name} ({_describe_type(info.spec)})",
                    path + ("fields", name),
                    hint=did_you_mean(str(value), info.spec.values or ()),
                )
        latest: list[tuple[str, str, tuple[str, ...]]] = []
        for name, same in spec.latest.items():
            info = self.field_info(event_type, name, path + ("latest", name), key=True)
            if info is None:
                continue
            if info.spec.type != "event_ref":
                self.problem(
                    "type_mismatch",
                    f"'latest' links event_ref fields; {event_type}.{name} is {_describe_type(info.spec)}",
                    path + ("latest", name),
                    key=True,
                )
                continue
            target = info.spec.event_type or ""
            for index, other in enumerate(same):  # fields the linked event must share with the new one
                if self.field_info(event_type, other, path + ("latest", name, index)) is not None:
                    self.field_info(target, other, path + ("latest", name, index))
            latest.append((name, target, tuple(same)))
        if mode == "adds":
            self._required_fields(event_type, parts, dict(fixed), {name for name, _, _ in latest}, path)
        if len(slots) != len(set(names)) or self.diagnostics_at(path):
            return None
        pattern = template_regex(
            parts, lambda name: _slot_regex(phrasebook, next(s for s in slots if s.name == name))
        )
        phrase_versions = tuple(self.event_versions[event_type])
        later = []
        for name in dict.fromkeys(names):
            if name in (DATE_SLOT, EVENT_SLOT):
                continue
            field_versions = tuple(version for version, _ in self.fields.get((event_type, name), ()))
            if set(field_versions) != set(phrase_versions):
                later.append((name, field_versions))
        return PackPhrase(
            spec.given,
            mode,
            event_type,
            spec.example,
            topic,
            pattern,
            tuple(slots),
            tuple(fixed),
            tuple(latest),
            spec.notes,
            phrase_versions,
            tuple(later),
            self.where(path + ("given",)),
        )

    def diagnostics_at(self, path: tuple) -> bool:
        """Whether a problem was reported inside the phrase at ``path``."""
        prefix = format_path(path)
        return any(
            d.yaml_path and (d.yaml_path == prefix or d.yaml_path.startswith(prefix + "."))
            for d in self.diagnostics
        )

    def _slot(
        self, phrasebook: Phrasebook, event_type: str, mode: str, name: str, path: tuple
    ) -> SlotInfo | None:
        if name == DATE_SLOT and mode == "adds":
            return SlotInfo(name, "date")
        if name == EVENT_SLOT and mode == "changes":
            return SlotInfo(name, "event", event_type=event_type)
        info = self.field_info(event_type, name, path)
        if info is None:
            return None
        kind = info.spec.type
        if kind == "date":
            return SlotInfo(name, "date")
        if kind == "integer":
            return SlotInfo(name, "integer")
        if kind == "text":
            return SlotInfo(name, "text")
        if kind == "event_ref":
            return SlotInfo(name, "event", event_type=info.spec.event_type)
        known = phrasebook.names.get(event_type)
        words = known.field_words(name) if known else ()
        if not words and kind in ("enum", "code"):
            words = tuple((value.replace("_", " "), value) for value in info.spec.values or ())
        if not words:
            self.problem(
                "missing_words",
                f"{{{name}}} is a {kind} field of {event_type}: give the words for its "
                f"values under events: {event_type}: words: {name}",
                path,
                hint=f"e.g. words: {{{name}: {{with: true, without: false}}}}" if kind == "boolean" else None,
            )
            return None
        return SlotInfo(name, "words", words=words)

    def _required_fields(
        self, event_type: str, parts: tuple[Part, ...], fixed: dict[str, Any], linked: set[str], path: tuple
    ) -> None:
        given = always_set(parts) | set(fixed) | linked
        for version, events in self.vocabularies:
            spec = events.get(event_type)
            if spec is None:
                continue
            for name, field_spec in spec.fields.items():
                required = field_spec.required or any(
                    str(fixed.get(other)) in values
                    for other, values in (field_spec.required_when or {}).items()
                    if other in fixed
                )
                if required and name not in given:
                    self.problem(
                        "required_field_not_set",
                        f"{event_type} requires '{name}' in {self.pack_id} {version}, and not every wording of "
                        "this phrase sets it: put {" + name + "} in the phrase (outside […]), fix it under "
                        "'fields', or link it under 'latest'",
                        path + ("given",),
                    )
                    return

    # --- examples and overlaps ---------------------------------------------------------------

    def _examples_and_overlaps(self, compiled: list[tuple[PackPhrase, tuple]]) -> None:
        """Each example matches its own phrase; no text matches two phrases (nor a phrase and a
        generic Given phrase of the steps)."""
        from sendrules.scenarios.steps import PHRASES

        generic = [
            (f"the phrase '{p.example}' of the steps", p.pattern) for p in PHRASES if p.keyword == "Given"
        ]
        for pack_phrase, path in compiled:
            if not pack_phrase.regex.fullmatch(pack_phrase.example):
                self.problem(
                    "example_mismatch",
                    f"the example does not match its phrase '{pack_phrase.template}'",
                    path + ("example",),
                )
        for index, (pack_phrase, path) in enumerate(compiled):
            others = [(f"'{other.template}' ({other.where})", other.pattern) for other, _ in compiled[:index]]
            for other_label, other in others + generic:
                example = example_of_overlap(pack_phrase.pattern, other)
                if example is not None:
                    self.problem(
                        "ambiguous_phrases",
                        f'this phrase and {other_label} both match "{example}"',
                        path + ("given",),
                        hint="reword one of them so that no step can match both",
                    )


def _value_fits(spec: FieldSpec, value: Any) -> bool:
    if spec.type in ("enum", "code"):
        return not isinstance(value, bool) and str(value) in (spec.values or ())
    if spec.type == "boolean":
        return isinstance(value, bool)
    if spec.type == "integer":
        return isinstance(value, int) and not isinstance(value, bool)
    return isinstance(value, str)


def _describe_type(spec: FieldSpec) -> str:
    if spec.type == "event_ref":
        return f"a link to a {spec.event_type} event"
    return {"enum": "an enum", "integer": "an integer", "event_ref": "a link"}.get(
        spec.type, f"a {spec.type}"
    ) + " field"


def _slot_regex(phrasebook: Phrasebook, slot: SlotInfo) -> str:
    if slot.kind == "date":
        return DATE
    if slot.kind == "integer":
        return r"\d+"
    if slot.kind == "text":
        return r".+?"
    if slot.kind == "event":
        return phrasebook.event_pattern(slot.event_type or "")
    return _alternatives(word for word, _ in slot.words)


# --- sendrules check -------------------------------------------------------------------------


def check_phrasebooks(path: Path | None, root: Path) -> list[PhrasebookResult]:
    """The phrasebook of every pack ``sendrules check PATH`` covers (``path`` a standards folder,
    one pack or one version folder; None for the packs under ``root``), each checked against
    every version of its pack. Packs without a phrasebook are left out."""
    from sendrules.engine.library import StandardsLibrary

    # Named as sendrules check names the versions: relative to a standards folder, else in full.
    if path is None:
        packs, named = [folder for folder in sorted(root.iterdir()) if folder.is_dir()], False
    elif (path / "manifest.yaml").is_file():
        packs, named = [path.parent], True
    elif any((child / "manifest.yaml").is_file() for child in path.iterdir() if child.is_dir()):
        packs, named = [path], True
    else:
        packs, named = [folder for folder in sorted(path.iterdir()) if folder.is_dir()], False
    results = []
    for pack in packs:
        if not (pack / PHRASEBOOK_FILE).is_file():
            continue
        versions = [info for info in StandardsLibrary(pack.parent).versions() if info.pack_id == pack.name]
        display = (pack / PHRASEBOOK_FILE).as_posix() if named else f"{pack.name}/{PHRASEBOOK_FILE}"
        results.append(
            load_phrasebook(
                pack, display, [(info.version, read_vocabulary(info.folder)) for info in versions]
            )
        )
    return results


def main() -> None:
    """``python -m sendrules.scenarios.phrasebook [STANDARDS_DIR] [PACK]``: print the phrase list
    of docs/features.md for a pack (default: the bundled send-ap)."""
    import sys

    from sendrules.engine.library import StandardsLibrary
    from sendrules.scenarios.runner import pack_phrasebook
    from sendrules.scenarios.steps import phrase_list_markdown

    arguments = sys.argv[1:]
    library = StandardsLibrary(Path(arguments[0]) if arguments else None)
    phrasebook, _ = pack_phrasebook(library, arguments[1] if len(arguments) > 1 else "send-ap")
    sys.stdout.write(phrase_list_markdown(phrasebook))


if __name__ == "__main__":
    main()
