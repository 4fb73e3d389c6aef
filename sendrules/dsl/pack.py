"""Reading one version of a standards pack from disk and validating its YAML files.

A version folder holds:

    manifest.yaml     what the version is, its status and effective period, its sources
    parameters.yaml   dated parameters (each value keyed by the date it takes effect)
    events.yaml       the event vocabulary
    *.rules           rules in the rules language

Any other ``.yaml`` file is an error (a misnamed file must not be silently ignored); other
files (``README.md``, ``features/*.feature``) are allowed and are not part of the content hash.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from sendrules.dsl import ast
from sendrules.dsl.diagnostics import Diagnostic, did_you_mean
from sendrules.dsl.pack_schema import EventSpec, Manifest, Parameter
from sendrules.dsl.parser import parse_rules_file
from sendrules.dsl.yaml_source import Path_, YamlDocument, load_yaml

_Model = TypeVar("_Model", bound=BaseModel)

KNOWN_YAML_FILES = ("manifest.yaml", "parameters.yaml", "events.yaml")
#: YAML files a pack may hold but need not (hashed with the rest when present). measures.yaml:
#: the pack's measures, read by dsl/measures.py.
OPTIONAL_YAML_FILES = ("measures.yaml",)
IGNORED_SUFFIXES = (".md", ".feature", ".txt")
#: The largest file of a pack that is read (issue 12 #2: a pack is input, and bounded like any
#: other). The bundled files are at most 13 KB; 20,000 generated rules take about 5 MB.
MAX_FILE_BYTES = 16 * 1024 * 1024
#: The most a whole version folder's defining files may hold together.
MAX_PACK_BYTES = 64 * 1024 * 1024


@dataclass(frozen=True)
class PackFiles:
    """The text of every file of a version folder that defines the standard."""

    folder: Path
    display: str  # how the folder is named in messages, e.g. "send-ap/1.0.0"
    texts: dict[str, str]  # relative path (with "/") -> text, LF line endings
    stray: tuple[str, ...] = ()  # files that should not be there

    def display_path(self, relative: str) -> str:
        return f"{self.display}/{relative}" if self.display else relative

    def sha256(self) -> str:
        """The content hash: sha256 over a canonical JSON listing of each file's sha256.

        Line endings are normalised to LF before hashing, so a checkout on any machine gives
        the same hash.
        """
        listing = {
            path: hashlib.sha256(text.encode("utf-8")).hexdigest()
            for path, text in sorted(self.texts.items())
        }
        canonical = json.dumps(listing, sort_keys=True, separators=(",", ":"))
        return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


@dataclass
class LoadedPack:
    """A version folder after YAML validation and parsing, before the checker runs."""

    files: PackFiles
    manifest: Manifest | None = None
    parameters: dict[str, Parameter] = field(default_factory=dict)
    events: dict[str, EventSpec] = field(default_factory=dict)
    rules_files: list[ast.RulesFile] = field(default_factory=list)
    documents: dict[str, YamlDocument] = field(default_factory=dict)
    #: Names written in parameters.yaml / events.yaml whose definitions are invalid. The
    #: checker treats them as known, so one YAML mistake does not cascade into an "unknown
    #: name" error at every use.
    invalid_parameters: set[str] = field(default_factory=set)
    invalid_events: set[str] = field(default_factory=set)
    #: True when the file could not be read at all (YAML syntax error, missing file).
    parameters_unreadable: bool = False
    events_unreadable: bool = False


def read_pack_files(folder: Path, display: str) -> tuple[PackFiles, list[Diagnostic]]:
    """Read the defining files of one version folder (text only; nothing is interpreted)."""
    texts: dict[str, str] = {}
    stray: list[str] = []
    diagnostics: list[Diagnostic] = []
    total = 0
    oversized: set[str] = set()
    for path in sorted(folder.rglob("*")):
        if not path.is_file() or any(part.startswith(".") for part in path.relative_to(folder).parts):
            continue
        relative = path.relative_to(folder).as_posix()
        if relative.endswith(".rules") or relative in KNOWN_YAML_FILES + OPTIONAL_YAML_FILES:
            with open(path, "rb") as file:
                data = file.read(MAX_FILE_BYTES + 1)
            total += len(data)
            too_large = _too_large(data, total, f"{display}/{relative}")
            if too_large is not None:
                diagnostics.append(too_large)
                oversized.add(relative)
                continue
            try:
                texts[relative] = data.decode("utf-8").replace("\r\n", "\n")
            except UnicodeDecodeError as error:
                diagnostics.append(
                    Diagnostic(
                        "not_utf8", f"the file is not UTF-8 text ({error.reason})", f"{display}/{relative}"
                    )
                )
        elif relative.endswith((".yaml", ".yml")):
            stray.append(relative)
            hint = did_you_mean(Path(relative).name, KNOWN_YAML_FILES + OPTIONAL_YAML_FILES)
            diagnostics.append(
                Diagnostic(
                    "unexpected_file",
                    f"'{relative}' is not a file a pack may hold; packs hold "
                    + ", ".join(KNOWN_YAML_FILES + OPTIONAL_YAML_FILES)
                    + " and *.rules",
                    f"{display}/{relative}",
                    hint=hint,
                )
            )
        elif not relative.endswith(IGNORED_SUFFIXES) and "/" not in relative:
            stray.append(relative)
            diagnostics.append(
                Diagnostic(
                    "unexpected_file",
                    f"'{relative}' is not a file a pack may hold",
                    f"{display}/{relative}",
                    hint="rules files end in .rules; notes belong in README.md",
                )
            )
    for required in KNOWN_YAML_FILES:
        if required not in texts and required not in oversized:
            diagnostics.append(
                Diagnostic("missing_file", f"the pack has no {required}", f"{display}/{required}")
            )
    return PackFiles(folder, display, texts, tuple(stray)), diagnostics


def _too_large(data: bytes, total: int, file: str) -> Diagnostic | None:
    """A file over ``MAX_FILE_BYTES``, or the one that takes the pack over ``MAX_PACK_BYTES``,
    located at the line and column where the limit is crossed."""
    if len(data) > MAX_FILE_BYTES:
        limit, what = (
            MAX_FILE_BYTES,
            f"the file is larger than {MAX_FILE_BYTES} bytes, the limit for a file of a pack",
        )
    elif total > MAX_PACK_BYTES:
        limit = len(data) - (total - MAX_PACK_BYTES)
        what = f"the pack's files together are larger than {MAX_PACK_BYTES} bytes, the limit for a pack"
    else:
        return None
    before = data[:limit]
    line = before.count(b"\n") + 1
    column = len(before) - (before.rfind(b"\n") + 1) + 1
    return Diagnostic(
        "file_too_large",
        what,
        file,
        line,
        column,
        hint='packs are read with limits (docs/standards-packs.md, "Limits")',
    )


def load_pack(files: PackFiles) -> tuple[LoadedPack, list[Diagnostic]]:
    """Validate the YAML files against the schema and parse the rules files."""
    pack = LoadedPack(files)
    diagnostics: list[Diagnostic] = []

    manifest_doc = _document(files, "manifest.yaml", diagnostics, pack)
    if manifest_doc is not None:
        pack.manifest = _validate(Manifest, manifest_doc.data, manifest_doc, (), diagnostics)

    parameters_doc = _document(files, "parameters.yaml", diagnostics, pack)
    if parameters_doc is not None:
        pack.parameters, pack.invalid_parameters = _validate_mapping(
            Parameter, parameters_doc, diagnostics, "parameter"
        )
    pack.parameters_unreadable = parameters_doc is None

    events_doc = _document(files, "events.yaml", diagnostics, pack)
    if events_doc is not None:
        pack.events, pack.invalid_events = _validate_mapping(EventSpec, events_doc, diagnostics, "event type")
        problems = _check_vocabulary(pack.events, events_doc)
        diagnostics.extend(problems)
        # An event type with a broken cross-reference is reported once, here; the checker then
        # treats it as known but unchecked.
        for problem in problems:
            broken = problem.yaml_path.split(".")[0] if problem.yaml_path else None
            if broken in pack.events:
                del pack.events[broken]
                pack.invalid_events.add(broken)
    pack.events_unreadable = events_doc is None

    if pack.manifest is not None and manifest_doc is not None:
        diagnostics.extend(_check_manifest_matches_folder(pack.manifest, files, manifest_doc))

    for relative, text in sorted(files.texts.items()):
        if relative.endswith(".rules"):
            rules_file, problems = parse_rules_file(text, files.display_path(relative))
            pack.rules_files.append(rules_file)
            diagnostics.extend(problems)
    return pack, diagnostics


# --- helpers ---------------------------------------------------------------------------------


def _document(
    files: PackFiles, relative: str, diagnostics: list[Diagnostic], pack: LoadedPack
) -> YamlDocument | None:
    text = files.texts.get(relative)
    if text is None:
        return None
    document, problems = load_yaml(text, files.display_path(relative))
    diagnostics.extend(problems)
    if document is not None:
        pack.documents[relative] = document
    return document


def _validate(
    model: type[_Model], data: Any, document: YamlDocument, prefix: Path_, diagnostics: list[Diagnostic]
) -> _Model | None:
    try:
        return model.model_validate(data)
    except ValidationError as error:
        diagnostics.extend(_schema_diagnostics(error, document, prefix, model))
        return None


def _validate_mapping(
    model: type[_Model], document: YamlDocument, diagnostics: list[Diagnostic], what: str
) -> tuple[dict[str, _Model], set[str]]:
    """Validate each entry of a name -> definition mapping. Returns the valid definitions and
    the names whose definitions are invalid."""
    data = document.data
    if data is None:
        return {}, set()
    if not isinstance(data, dict):
        diagnostics.append(document.diagnostic("schema", f"expected a mapping of {what} names", ()))
        return {}, set()
    result: dict[str, _Model] = {}
    invalid: set[str] = set()
    for name, body in data.items():
        if not isinstance(name, str):
            diagnostics.append(
                document.diagnostic("schema", f"{what} name '{name}' must be text", (name,), key=True)
            )
            continue
        validated = _validate(model, body, document, (name,), diagnostics)
        if validated is not None:
            result[name] = validated
        else:
            invalid.add(name)
    return result, invalid


def _schema_diagnostics(
    error: ValidationError, document: YamlDocument, prefix: Path_, model: type[BaseModel]
) -> list[Diagnostic]:
    diagnostics = []
    for problem in error.errors():
        location = tuple(part for part in problem["loc"] if part not in ("[key]",))
        path = prefix + location
        kind = problem["type"]
        if kind == "extra_forbidden":
            key = location[-1] if location else "?"
            allowed = _allowed_keys(model, location[:-1])
            diagnostics.append(
                document.diagnostic(
                    "unknown_key",
                    f"unknown key '{key}'",
                    path,
                    key=True,
                    hint=did_you_mean(str(key), allowed)
                    or ("allowed keys: " + ", ".join(sorted(allowed)) if allowed else None),
                )
            )
        elif kind == "missing":
            diagnostics.append(
                document.diagnostic(
                    "missing_key",
                    f"'{location[-1]}' is required",
                    prefix + location[:-1],
                    key=bool(location[:-1]),
                )
            )
        else:
            message = problem["msg"]
            if message.startswith("Value error, "):
                message = message[len("Value error, ") :]
            value = problem.get("input")
            shown = f" (got {value!r})" if isinstance(value, (str, int, float, bool)) else ""
            code = "invalid_date" if "date" in kind else "schema"
            diagnostics.append(document.diagnostic(code, f"{message}{shown}", path))
    return diagnostics


def _allowed_keys(model: type[BaseModel], location: Path_) -> list[str]:
    """The keys a model accepts at ``location`` (best effort, for "did you mean")."""
    current = model
    for part in location:
        if isinstance(part, int):
            continue
        field_info = getattr(current, "model_fields", {}).get(part)
        if field_info is None:
            return []
        annotation = field_info.annotation
        inner = getattr(annotation, "__args__", None)
        candidates = [annotation] + list(inner or [])
        nested = next((c for c in candidates if isinstance(c, type) and issubclass(c, BaseModel)), None)
        if nested is None:
            for candidate in inner or []:
                for sub in getattr(candidate, "__args__", ()) or ():
                    if isinstance(sub, type) and issubclass(sub, BaseModel):
                        nested = sub
        if nested is None:
            return []
        current = nested
    return list(getattr(current, "model_fields", {}))


def _check_vocabulary(events: dict[str, EventSpec], document: YamlDocument) -> list[Diagnostic]:
    """Cross-references inside the vocabulary: event_ref targets and required_when fields."""
    diagnostics = []
    for name, spec in events.items():
        if not isinstance(name, str) or not name.replace("_", "a").isalnum() or not name[:1].islower():
            diagnostics.append(
                document.diagnostic(
                    "schema",
                    f"event type '{name}' must be lower case letters, digits and _",
                    (name,),
                    key=True,
                )
            )
        for field_name, field_spec in spec.fields.items():
            path = (name, "fields", field_name)
            if field_spec.type == "event_ref" and field_spec.event_type not in events:
                diagnostics.append(
                    document.diagnostic(
                        "unknown_event_type",
                        f"'{field_spec.event_type}' is not an event type of this vocabulary",
                        path + ("event_type",),
                        hint=did_you_mean(field_spec.event_type or "", events),
                    )
                )
            for other, values in (field_spec.required_when or {}).items():
                other_spec = spec.fields.get(other)
                if other_spec is None:
                    diagnostics.append(
                        document.diagnostic(
                            "unknown_field",
                            f"'{other}' is not a field of {name}",
                            path + ("required_when", other),
                            key=True,
                            hint=did_you_mean(other, spec.fields),
                        )
                    )
                elif other_spec.type not in ("enum", "code"):
                    diagnostics.append(
                        document.diagnostic(
                            "type_mismatch",
                            f"required_when needs an enum or code field; '{other}' is {other_spec.type}",
                            path + ("required_when", other),
                            key=True,
                        )
                    )
                else:
                    for value in values:
                        if value not in (other_spec.values or []):
                            diagnostics.append(
                                document.diagnostic(
                                    "unknown_value",
                                    f"'{value}' is not a value of {name}.{other}",
                                    path + ("required_when", other),
                                    hint=did_you_mean(value, other_spec.values or []),
                                )
                            )
    return diagnostics


def _check_manifest_matches_folder(
    manifest: Manifest, files: PackFiles, document: YamlDocument
) -> list[Diagnostic]:
    diagnostics = []
    folder = files.folder
    if manifest.version != folder.name:
        diagnostics.append(
            document.diagnostic(
                "version_mismatch",
                f"the manifest says version {manifest.version} but the folder is named {folder.name}",
                ("version",),
            )
        )
    if manifest.id != folder.parent.name:
        diagnostics.append(
            document.diagnostic(
                "pack_id_mismatch",
                f"the manifest says id {manifest.id} but the pack folder is named {folder.parent.name}",
                ("id",),
            )
        )
    return diagnostics
