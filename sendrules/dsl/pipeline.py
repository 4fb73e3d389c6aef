"""The whole front end in order: read -> validate YAML -> parse -> check -> compile.

``build_standard`` is what the engine and the ``sendrules check`` command call. It never
raises for a bad pack: it returns every diagnostic found, and a compiled standard only when
there were none.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from sendrules.dsl import ir
from sendrules.dsl.checker import CheckContext, check_rules
from sendrules.dsl.compiler import compile_pack
from sendrules.dsl.diagnostics import Diagnostic, did_you_mean, sort_key
from sendrules.dsl.measures import attach_measures
from sendrules.dsl.pack import LoadedPack, PackFiles, load_pack, read_pack_files


@dataclass
class BuildResult:
    standard: ir.CompiledStandard | None
    diagnostics: list[Diagnostic]
    #: display path -> source text, to show the offending line of a diagnostic.
    sources: dict[str, str] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.standard is not None and not self.diagnostics

    def render(self) -> str:
        """Every diagnostic with its source line and caret, separated by blank lines."""
        return "\n\n".join(d.render(self.sources.get(d.file)) for d in self.diagnostics)


def build_standard(folder: Path, display: str) -> BuildResult:
    """Build one version folder (e.g. ``standards/send-ap/1.0.0``)."""
    files, diagnostics = read_pack_files(folder, display)
    return build_from_files(files, diagnostics)


def build_from_files(files: PackFiles, diagnostics: list[Diagnostic] | None = None) -> BuildResult:
    """Build a version from the text of its files, wherever they came from (a folder, or the
    content-addressed store of standards used by past decisions). ``files.folder`` need not
    exist; its last two parts must be the pack id and version."""
    diagnostics = list(diagnostics or [])
    sources = {files.display_path(relative): text for relative, text in files.texts.items()}
    pack, problems = load_pack(files)
    diagnostics.extend(problems)
    if pack.manifest is not None:
        context = CheckContext(
            pack.events,
            pack.parameters,
            tuple(pack.manifest.duty_holders),
            unchecked_events=frozenset(pack.invalid_events),
            unchecked_parameters=frozenset(pack.invalid_parameters),
            events_unreadable=pack.events_unreadable,
            parameters_unreadable=pack.parameters_unreadable,
            language=pack.manifest.language,
            citation_prefixes=tuple(
                (prefix, source.title, source.kind or "other")
                for source in pack.manifest.sources
                for prefix in source.cite_as
            ),
            illustrative_pack=pack.manifest.illustrative,
        )
        diagnostics.extend(check_rules(context, pack.rules_files))
        diagnostics.extend(_check_language_of_yaml(pack))
        diagnostics.extend(_check_stated_changes(pack))
    if not pack.rules_files and not any(d.code == "missing_file" for d in diagnostics):
        diagnostics.append(Diagnostic("no_rules", "the pack has no .rules file", files.display))
    standard = compile_pack(pack) if not diagnostics else None
    standard, measure_problems = attach_measures(standard, files)
    diagnostics.extend(measure_problems)
    diagnostics.sort(key=sort_key)
    return BuildResult(standard, diagnostics, sources)


def _check_language_of_yaml(pack: LoadedPack) -> list[Diagnostic]:
    """The YAML keys that only language 2 gives a meaning to (a source's ``kind`` and
    ``cite_as``, a parameter's ``illustrative``) are refused in a pack of language 1, so that
    a language-1 pack never carries a marker that nothing checks."""
    assert pack.manifest is not None
    if pack.manifest.language >= 2:
        return []
    hint = "declare 'language: 2' in manifest.yaml"
    diagnostics = []
    manifest = pack.documents.get("manifest.yaml")
    for index, source in enumerate(pack.manifest.sources):
        for key in ("kind", "cite_as"):
            if key in source.model_fields_set and manifest is not None:
                diagnostics.append(
                    manifest.diagnostic(
                        "needs_language_2",
                        f"a source's '{key}' needs rules language 2",
                        ("sources", index, key),
                        key=True,
                        hint=hint,
                    )
                )
    parameters = pack.documents.get("parameters.yaml")
    for name, parameter in pack.parameters.items():
        if "illustrative" in parameter.model_fields_set and parameters is not None:
            diagnostics.append(
                parameters.diagnostic(
                    "needs_language_2",
                    "a parameter's 'illustrative' needs rules language 2",
                    (name, "illustrative"),
                    key=True,
                    hint=hint,
                )
            )
    return diagnostics


def _check_stated_changes(pack: LoadedPack) -> list[Diagnostic]:
    """The manifest's list of changes may only name rules and parameters that exist."""
    document = pack.documents.get("manifest.yaml")
    if document is None or pack.manifest is None:
        return []
    rule_ids = {rule.rule_id.value for rules_file in pack.rules_files for rule in rules_file.rules}
    diagnostics = []
    for index, change in enumerate(pack.manifest.changes):
        for position, rule_id in enumerate(change.rules):
            if rule_id not in rule_ids:
                diagnostics.append(
                    document.diagnostic(
                        "unknown_rule_id",
                        f"there is no rule '{rule_id}' in this pack",
                        ("changes", index, "rules", position),
                        hint=did_you_mean(rule_id, rule_ids),
                    )
                )
        for position, name in enumerate(change.parameters):
            if name not in pack.parameters and name not in pack.invalid_parameters:
                diagnostics.append(
                    document.diagnostic(
                        "unknown_parameter",
                        f"there is no parameter '{name}' in this pack",
                        ("changes", index, "parameters", position),
                        hint=did_you_mean(name, pack.parameters),
                    )
                )
    return diagnostics


__all__ = ["BuildResult", "build_standard", "build_from_files", "PackFiles"]
