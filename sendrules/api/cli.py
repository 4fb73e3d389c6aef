"""The ``sendrules`` command line. A peer of the HTTP API: both call ``engine.service``.

    sendrules decide JOURNEY.json|- --as-of 2025-06-01 [--standards send-ap@1.0.0]
                     [--school-closures FILE] [--term-dates FILE|england_term_pattern]
                     [--format table|json] [--backend reference]
    sendrules check [PATH]          validate standards packs; every problem listed; --format-check
    sendrules fmt [PATHS] [--check] lay out .rules files canonically (dsl/formatter.py)
    sendrules lsp                   the language server for editors, on stdin/stdout (lsp/)
    sendrules standards             list packs, versions, status, effective dates, hashes
    sendrules test [ID@VERSION]     run the policy officers' scenarios (features/); --coverage
    sendrules diff A B / docs ID[@V] what a new version changes; the standard as a document
    sendrules replay ID / log ...   replay a logged decision; verify, show, migrate the log
    sendrules serve / keys ...      the HTTP API and its API keys

Exit codes: 0 success; 1 ``check`` found problems; 2 invalid input (bad journey, unknown
standards, bad option); 70 an internal error (reported in one line; set SENDRULES_DEBUG=1 for
the traceback). Errors go to stderr; with ``--format json`` stdout holds only the JSON (every
command has it: api/output.py).
"""

from __future__ import annotations

import json
import os
import sys
from enum import Enum
from pathlib import Path
from typing import Optional

if not sys.stdout.isatty():
    # Help for a pipe, a file or CI logs: Click's plain text, wrapped but never cut (Typer's
    # boxed help cuts long words, such as environment variable names, to the box's width).
    os.environ.setdefault("TYPER_USE_RICH", "0")

import typer  # noqa: E402

from sendrules import __version__  # noqa: E402
from sendrules.api.output import OutputFormat, format_option, print_json  # noqa: E402
from sendrules.api.service_cli import keys_app, serve  # noqa: E402
from rich.console import Console  # noqa: E402
from rich.table import Table  # noqa: E402
from rich.text import Text  # noqa: E402

from sendrules.engine.decision import Decision  # noqa: E402
from sendrules.engine.errors import EngineError, InputError, Problem  # noqa: E402
from sendrules.engine.library import StandardsLibrary  # noqa: E402
from sendrules.engine.explain import RuleExplanation  # noqa: E402
from sendrules.engine.request import request_from_files  # noqa: E402
from sendrules.engine.service import DecisionService, backend_names  # noqa: E402

app = typer.Typer(
    name="sendrules",
    help="Apply England's SEND and alternative provision standards to a child's journey.",
    add_completion=False,
    pretty_exceptions_enable=False,
    no_args_is_help=True,
)

STATUS_STYLES = {
    "met": "green",
    "pending": "cyan",
    "late": "red",
    "overdue": "bold red",
    "breached": "bold red",
    "exempt": "yellow",
}

EXIT_PROBLEMS = 1
EXIT_INVALID_INPUT = 2
EXIT_INTERNAL = 70


def _version(value: bool) -> None:
    if value:
        print(f"sendrules {__version__}")
        raise typer.Exit()


@app.callback()
def _main(
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="Print the version and exit."
    ),
) -> None:
    """Apply England's SEND and alternative provision standards to a child's journey."""


class DecideFormat(str, Enum):
    table = "table"
    json = "json"
    html = "html"  # the child's timeline page (sendrules.pages.timeline)


StandardsDir = typer.Option(
    None,
    "--standards-dir",
    envvar="SENDRULES_STANDARDS",
    help="Folder of standards packs to use instead of the bundled ones.",
    file_okay=False,
    dir_okay=True,
)


def _stdout() -> Console:
    """Console for results: no markup or emoji codes read from the text (ids and pack text are
    printed literally). When not writing to a terminal (a pipe, a file, CI logs), use a width
    that fits the decision table instead of the 80-column default."""
    console = Console(highlight=False, soft_wrap=False, emoji=False, markup=False)
    if not console.is_terminal:
        console = Console(highlight=False, soft_wrap=False, emoji=False, markup=False, width=200)
    return console


def _stderr() -> Console:
    return Console(stderr=True, highlight=False, emoji=False, markup=False)


#: The longest message an error repeats back (a bad value is quoted by a prefix at most).
MAX_ERROR_TEXT = 500


def _bounded(text: str) -> str:
    return text if len(text) <= MAX_ERROR_TEXT else text[:MAX_ERROR_TEXT] + "…"


def _fail(error: EngineError, output: OutputFormat = OutputFormat.table) -> None:
    if output == OutputFormat.json:
        data = error.to_dict()
        data["message"] = _bounded(data["message"])
        data["errors"] = [
            {key: _bounded(value) if isinstance(value, str) else value for key, value in item.items()}
            for item in data["errors"][:100]
        ]
        print(json.dumps({"error": data}, indent=2, ensure_ascii=False), file=sys.stderr)
    else:
        print("\n".join(_bounded(line) for line in error.describe().splitlines()[:101]), file=sys.stderr)
    raise typer.Exit(EXIT_INVALID_INPUT)


# --- decide ----------------------------------------------------------------------------------


@app.command()
def decide(
    journey: Path = typer.Argument(
        ...,
        help="The child's journey: a JSON file, or - for standard input (the format: docs/semantics.md).",
        dir_okay=False,
        allow_dash=True,
    ),
    as_of: str = typer.Option(..., "--as-of", help="The date the decision is made for (YYYY-MM-DD)."),
    standards: Optional[str] = typer.Option(
        None, "--standards", help="ID or ID@VERSION; default: the published version in force on --as-of."
    ),
    school_closures: Optional[Path] = typer.Option(
        None,
        "--school-closures",
        help='JSON array of {"from": DATE, "to": DATE} (inclusive).',
        dir_okay=False,
    ),
    term_dates: Optional[str] = typer.Option(
        None,
        "--term-dates",
        metavar="FILE|england_term_pattern",
        help="The school's or local authority's term dates (a YAML file: docs/semantics.md, School days), "
        "or england_term_pattern for the assumed pattern. Default: none (every weekday that is not a "
        "bank holiday is a school day), unless the standards opt in to the assumed pattern.",
    ),
    output: DecideFormat = typer.Option(
        DecideFormat.table,
        "--format",
        help="table (for people), json (for programs: stdout holds only the JSON), or html (the child's timeline as one self-contained page).",
    ),
    backend: str = typer.Option("reference", "--backend", help="Which engine evaluates the rules."),
    standards_dir: Optional[Path] = StandardsDir,
    log: Optional[str] = typer.Option(
        None,
        "--log",
        metavar="URL",
        help="Record the decision in the decision log at URL ('default': the configured log; "
        "see docs/decision-log.md). The decision is printed only once it is recorded.",
    ),
    explain: Optional[str] = typer.Option(
        None,
        "--explain",
        metavar="RULE",
        help="Also say why RULE did or did not give a finding: no triggering event, the trigger's "
        "condition, an 'only if' unmet or an 'unless' that matched (docs/explain.md).",
    ),
) -> None:
    """Decide every statutory duty for a journey: due dates, statuses and explanations."""
    notes: list[str] = []
    explanation: RuleExplanation | None = None
    try:
        request = request_from_files(journey, as_of, standards, school_closures, term_dates)
        service = DecisionService(StandardsLibrary(standards_dir))
        if explain is not None:  # before deciding: an unknown rule id is refused before anything is logged
            explanation = service.explain(request, explain)
        if log is None:
            decision = service.decide(request, backend=backend)
        else:
            from sendrules.decisionlog.cli import decide_and_log

            decision, notes = decide_and_log(service, request, backend, log)
    except EngineError as error:
        _fail(error, OutputFormat.json if output == DecideFormat.json else OutputFormat.table)
        return
    if output == DecideFormat.json:
        if explanation is None:
            sys.stdout.write(decision.to_json())
        else:  # the decision's own members first, then the explanation (never part of the decision)
            sys.stdout.write(
                json.dumps(
                    {**decision.to_dict(), "explanation": explanation.to_dict()}, indent=2, ensure_ascii=False
                )
                + "\n"
            )
        for note in notes:
            print(note, file=sys.stderr)
    elif output == DecideFormat.html:
        from sendrules.pages.timeline import render_decision

        sys.stdout.write(render_decision(decision, service.library))
        for note in notes:
            print(note, file=sys.stderr)
    else:
        console = _stdout()
        print_decision(decision, console)
        if explanation is not None:
            print_explanation(explanation, console)
        for note in notes:
            print(note)


def print_explanation(explanation: RuleExplanation, console: Console) -> None:
    """``--explain``: the answer, then each triggering event's outcome."""
    console.print()
    console.print(Text(f"Explain {explanation.rule.id}", style="bold"))
    console.print(Text(f"  {explanation.answer}"))
    for outcome in explanation.triggers:
        console.print(Text(f"  - {outcome.event.id} ({outcome.outcome}): {outcome.because}"))
    console.print(Text(f"  {'; '.join(explanation.rule.citations)}", style="dim"))


def print_decision(decision: Decision, console: Console) -> None:
    """The decision as a table with an explanation per finding. Every id, message and piece of
    pack text is printed as it is (``Text`` objects; the console reads no markup or emoji)."""
    console.print(Text.assemble(("Decision", "bold"), " ", decision.decision_id))
    console.print(
        Text(
            f"  as of {decision.as_of.isoformat()}; standards "
            f"{decision.standards_id}@{decision.standards_version} "
            f"(sha256 {decision.standards_sha256[:12]}…); engine {decision.engine_version} "
            f"({decision.backend}, {decision.calendar_data})"
        )
    )
    console.print(Text(f"  input sha256 {decision.input_sha256}"))
    school_days = decision.school_days
    if school_days is not None and school_days["findings"]:
        console.print(
            Text(
                f"  school days counted on: {school_days['name']}"
                + (" (assumed)" if school_days["assumed"] else ""),
                style="yellow" if school_days["assumed"] else "",
            )
        )
    if decision.illustrative:
        console.print(Text("  These standards are illustrative, not the law in force.", style="yellow"))
    table = Table(show_lines=False, header_style="bold")
    for column in ("#", "Due", "Rule", "Trigger", "Status", "Satisfied by", "Exception", "Duty holder"):
        table.add_column(column, no_wrap=True)
    for number, finding in enumerate(decision.findings, start=1):
        table.add_row(
            Text(str(number)),
            Text(finding.due.isoformat() if finding.due else "—"),
            Text(finding.rule),
            Text(finding.trigger),
            Text(finding.status, style=STATUS_STYLES[finding.status]),
            Text(finding.satisfied_by or "—"),
            Text(finding.exception or "—"),
            Text(f"{finding.duty_holder} ({finding.modality})"),
        )
    console.print(table)
    summary = decision.summary()
    console.print(Text("Summary: " + ", ".join(f"{count} {status}" for status, count in summary.items())))
    for entry in decision.provision or ():
        console.print()
        heading = Text("Expected provision", style="bold")
        if entry.illustrative:
            heading.append(" (illustrative)", style="yellow")
        console.print(heading)
        console.print(Text(f"  {entry.message}"))
        if entry.illustrative:
            console.print(Text(f"  {entry.illustrative}", style="dim"))
    if decision.findings:
        console.print()
        console.print(Text("Why", style="bold"))
        for number, finding in enumerate(decision.findings, start=1):
            console.print(Text(f"{number:>3}. {finding.message}"))
            console.print(Text(f"     {'; '.join(finding.citations)}", style="dim"))


# --- check -----------------------------------------------------------------------------------


@app.command()
def check(
    path: Optional[Path] = typer.Argument(
        None,
        help="A standards folder, one pack, or one version folder (default: the bundled packs).",
        file_okay=False,
    ),
    output: OutputFormat = format_option(),
    format_check: bool = typer.Option(
        False, "--format-check", help="Also report .rules files not in the layout of 'sendrules fmt'."
    ),
) -> None:
    """Validate standards packs: YAML, rules, names, types and citations. Lists every problem."""
    from sendrules.dsl.pipeline import build_standard

    from sendrules.scenarios.phrasebook import check_phrasebooks

    try:
        results, overlaps = _check_target(path, build_standard)
    except EngineError as error:
        _fail(error, output)
        return
    phrasebooks = check_phrasebooks(path, StandardsLibrary().root)  # scenario phrases: not in the hash
    problems = [d for _, result in results for d in result.diagnostics] + overlaps
    problems += [d for phrasebook in phrasebooks for d in phrasebook.diagnostics]
    if format_check:
        from sendrules.dsl.formatter import layout_diagnostics

        problems += [d for _, result in results for d in layout_diagnostics(result.sources)]
    if output == OutputFormat.json:
        report = {
            "ok": not problems,
            "versions": [
                {
                    "folder": label,
                    "ok": result.ok,
                    "sha256": result.standard.sha256 if result.standard else None,
                    "rules": len(result.standard.rules) if result.standard else None,
                }
                for label, result in results
            ],
            "phrasebooks": [
                {
                    "file": phrasebook.file,
                    "ok": phrasebook.ok,
                    "phrases": len(phrasebook.phrasebook.phrases) if phrasebook.phrasebook else None,
                }
                for phrasebook in phrasebooks
            ],
            "problems": [d.to_dict() for d in problems],
        }
        sys.stdout.write(json.dumps(report, indent=2) + "\n")
    else:
        console = _stdout()
        sources = {}
        for _, result in results:
            sources.update(result.sources)
        sources.update({phrasebook.file: phrasebook.source for phrasebook in phrasebooks})
        for diagnostic in problems:
            console.print(diagnostic.render(sources.get(diagnostic.file)), markup=False)
            console.print()
        for label, result in results:
            if result.ok:
                console.print(
                    f"ok   {label}: {len(result.standard.rules)} rules, sha256 {result.standard.sha256}",
                    markup=False,
                )
            else:
                console.print(f"FAIL {label}: {len(result.diagnostics)} problem(s)", markup=False)
        for phrasebook in phrasebooks:
            if phrasebook.ok and phrasebook.phrasebook is not None:
                console.print(
                    f"ok   {phrasebook.file}: {len(phrasebook.phrasebook.phrases)} phrases", markup=False
                )
            else:
                console.print(
                    f"FAIL {phrasebook.file}: {len(phrasebook.diagnostics)} problem(s)", markup=False
                )
        if overlaps:
            console.print(Text(f"FAIL {len(overlaps)} overlapping effective period(s)"))
    if problems:
        raise typer.Exit(EXIT_PROBLEMS)


def _check_target(path: Optional[Path], build_standard):
    """Which version folders ``path`` names, and their build results."""
    if path is None:
        library = StandardsLibrary()
    elif not path.is_dir():
        raise InputError("not_a_folder", f"{path} is not a folder")
    elif (path / "manifest.yaml").is_file():
        return [(path.as_posix(), build_standard(path, path.as_posix()))], []
    elif any((child / "manifest.yaml").is_file() for child in path.iterdir() if child.is_dir()):
        results = []
        for version in sorted(child for child in path.iterdir() if child.is_dir()):
            label = version.as_posix()
            results.append((label, build_standard(version, label)))
        return results, StandardsLibrary(path.parent).overlap_diagnostics()
    else:
        library = StandardsLibrary(path)
    versions = library.versions()
    if not versions:
        raise InputError("no_standards", f"no standards packs found under {library.root}")
    results = [(library.display_name(info.folder), result) for info, result in library.check_all()]
    return results, library.overlap_diagnostics()


# --- standards -------------------------------------------------------------------------------


@app.command("standards")
def list_standards(
    output: OutputFormat = format_option(),
    standards_dir: Optional[Path] = StandardsDir,
) -> None:
    """List the standards packs: versions, status, effective dates and content hashes."""
    from sendrules.dsl.pack import read_pack_files

    library = StandardsLibrary(standards_dir)
    rows = []
    for info in library.versions():
        files, _ = read_pack_files(info.folder, library.display_name(info.folder))
        rows.append(info.listing(files.sha256()))
    if output == OutputFormat.json:
        print_json(rows)
        return
    table = Table(header_style="bold")
    keys = ("id", "version", "status", "effective_from", "effective_to", "sha256")
    for column, key in zip(("Pack", "Version", "Status", "In force from", "Until", "sha256"), keys):
        # the identifying columns are never cut short; a long title wraps instead
        widest = max([len(column)] + [len(str(row[key] or "—")) for row in rows])
        table.add_column(column, no_wrap=True, min_width=widest)
    table.add_column("Title", overflow="fold")
    for row in rows:
        table.add_row(
            *(
                Text(value)
                for value in (
                    row["id"],
                    row["version"],
                    row["status"],
                    row["effective_from"] or "—",
                    row["effective_to"] or "—",
                    row["sha256"],
                    row["title"],
                )
            )
        )
    _stdout().print(table)
    if not rows:
        _stderr().print(Text(f"no standards packs under {library.root}"))


# --- policy tools: diff and docs (policy/) ---------------------------------------------------


class DiffFormat(str, Enum):
    """``diff``'s formats: the shared ``table|json``, and ``text`` (its old name for ``table``)."""

    table = "table"
    json = "json"
    text = "text"  # (the old name of table)
    html = "html"  # one self-contained page (sendrules.pages.standards_diff)


class DocFormat(str, Enum):
    """``docs``' formats: the two document formats, and the shared ``json``."""

    markdown = "markdown"
    html = "html"
    json = "json"


def _named_standard(library: StandardsLibrary, reference: str):
    """The version a reference names exactly (any status); ``diff`` and ``docs`` need ID@VERSION."""
    from datetime import date

    from sendrules.engine.library import parse_reference

    pack_id, version = parse_reference(reference)
    if version is None:
        known = [info.version for info in library.versions() if info.pack_id == pack_id]
        raise InputError(
            "version_required",
            f"'{reference}' does not name a version",
            [
                Problem(
                    "standards",
                    "write ID@VERSION, e.g. send-ap@1.1.0; versions of "
                    f"{pack_id}: " + (", ".join(known) or "none"),
                    field="standards",
                )
            ],
        )
    return library.resolve(reference, date.min)  # a named version is chosen whatever the date


@app.command()
def diff(
    old: str = typer.Argument(..., metavar="ID@OLD", help="The version to compare from, e.g. send-ap@1.1.0."),
    new: str = typer.Argument(
        ..., metavar="ID@NEW", help="The version to compare to, e.g. send-ap@2.0.0-draft."
    ),
    output: DiffFormat = typer.Option(
        DiffFormat.table,
        "--format",
        help="table (for people; 'text' is the same), json, or html (one self-contained page, side by side).",
    ),
    exit_code: bool = typer.Option(
        False, "--exit-code", help="Exit with 1 if the versions differ (like git diff)."
    ),
    standards_dir: Optional[Path] = StandardsDir,
    impact: Optional[Path] = typer.Option(
        None,
        "--impact",
        metavar="COMPARE.json",
        dir_okay=False,
        help="html: also show what the change does to a cohort, from 'sendrules cohort compare INPUT "
        "--standards OLD --vs NEW --format json' (the same two versions).",
    ),
) -> None:
    """What a version changes: rules, parameters, tables, vocabulary, manifest, stated changes."""
    from sendrules.policy.diff import diff_standards

    impact_data = None
    try:
        library = StandardsLibrary(standards_dir)
        result = diff_standards(_named_standard(library, old), _named_standard(library, new))
        if impact is not None:
            from sendrules.engine.request import parse_json_bytes
            from sendrules.pages.standards_diff import check_impact

            if output != DiffFormat.html:
                raise InputError(
                    "invalid_option",
                    "--impact is shown on the html page (--format html)",
                    [Problem("impact", "add --format html", field="impact")],
                )
            try:
                data = impact.read_bytes()
            except OSError as error:
                raise InputError(
                    "unreadable_file", f"cannot read {impact}: {error.strerror or error}"
                ) from None
            impact_data = check_impact(
                result.to_dict(), parse_json_bytes(data, str(impact), "impact"), str(impact)
            )
    except EngineError as error:
        _fail(error, OutputFormat.json if output == DiffFormat.json else OutputFormat.table)
        return
    if output == DiffFormat.json:
        sys.stdout.write(json.dumps(result.to_dict(), indent=2, ensure_ascii=False) + "\n")
    elif output == DiffFormat.html:
        from sendrules.pages.standards_diff import render_standards_diff

        sys.stdout.write(render_standards_diff(result.to_dict(), impact_data))
    else:
        sys.stdout.write(result.render_text())
    if exit_code and result.differs:
        raise typer.Exit(EXIT_PROBLEMS)


def _documented_standard(library: StandardsLibrary, reference: str, as_of: str | None):
    """``docs``' standard: the version named, or for a pack id alone the published version in
    force on ``as_of`` (as ``decide`` chooses); without ``as_of``, the published version in force
    from the latest date any published version starts (the newest in force; the clock is never read)."""
    from datetime import date

    from sendrules.engine.library import parse_reference

    pack_id, version = parse_reference(reference)
    if version is not None:
        if as_of is not None:
            raise InputError(
                "invalid_option",
                "--as-of chooses a version: name a pack id without a version",
                [Problem("--as-of", f"{reference} already names a version", field="as_of")],
            )
        return _named_standard(library, reference), None
    if as_of is not None:
        try:
            day = date.fromisoformat(as_of)
        except ValueError:
            raise InputError(
                "invalid_option",
                f"--as-of must be a date written as YYYY-MM-DD (got {as_of!r})",
                [Problem("--as-of", "expected YYYY-MM-DD", field="as_of")],
            ) from None
    else:
        starts = [
            info.effective_from
            for info in library.versions()
            if info.pack_id == pack_id and info.status == "published" and info.effective_from is not None
        ]
        day = max(starts) if starts else date.min
    return library.resolve(pack_id, day), day


@app.command()
def docs(
    reference: str = typer.Argument(
        ...,
        metavar="ID[@VERSION]",
        help="The version to document, e.g. send-ap@1.1.0; a pack id alone (send-ap): "
        "the published version in force, as decide chooses it.",
    ),
    output: DocFormat = typer.Option(
        DocFormat.markdown,
        "--format",
        help="markdown, html (one self-contained page) or json (the version's "
        "rules, parameters and tables, as GET /v1/standards/ID/VERSION).",
    ),
    to_file: Optional[Path] = typer.Option(
        None, "--output", metavar="FILE", dir_okay=False, help="Write the document to FILE instead of stdout."
    ),
    as_of: Optional[str] = typer.Option(
        None,
        "--as-of",
        metavar="DATE",
        help="With a pack id alone: document the version in force on DATE "
        "(default: the newest published version in force).",
    ),
    standards_dir: Optional[Path] = StandardsDir,
) -> None:
    """The standard as a readable document: duties in journey order, every time limit on one page,
    what each status means, parameters, tables, and the rules as written in an appendix."""
    from sendrules.policy.document import render_html, render_markdown

    from sendrules.scenarios.runner import scenario_phrases

    try:
        library = StandardsLibrary(standards_dir)
        standard, in_force_on = _documented_standard(library, reference, as_of)
        if in_force_on is not None:
            which = (
                f"the published version in force on {in_force_on.isoformat()}"
                if as_of is not None
                else f"the newest published version in force (from {in_force_on.isoformat()})"
            )
            print(f"documenting {standard.reference}: {which}", file=sys.stderr)
        if output == DocFormat.json:
            from sendrules.api.standards_view import describe_standard

            text = json.dumps(describe_standard(standard), indent=2, ensure_ascii=False) + "\n"
        else:
            phrases = scenario_phrases(library, standard.id, standard.version)
            text = (
                render_html(standard, phrases)
                if output == DocFormat.html
                else render_markdown(standard, phrases)
            )
        if to_file is not None:
            try:
                to_file.write_text(text, encoding="utf-8", newline="\n")
            except OSError as error:
                raise InputError(
                    "cannot_write", f"cannot write {to_file}: {error.strerror or error}"
                ) from None
    except EngineError as error:
        _fail(error)
        return
    if to_file is None:
        sys.stdout.write(text)
    else:
        print(f"wrote {to_file} ({standard.reference}, {output.value})", file=sys.stderr)


# --- test: policy officers' scenarios (features/) --------------------------------------------


@app.command("test")
def run_scenarios(
    target: Optional[str] = typer.Argument(
        None,
        metavar="[ID@VERSION]",
        help="A pack (send-ap) or one version (send-ap@1.1.0); default: every version of every pack with scenarios.",
    ),
    coverage: bool = typer.Option(
        False, "--coverage", help="Report the rules, table rows and clauses exercised."
    ),
    require_full_coverage: bool = typer.Option(
        False,
        "--require-full-coverage",
        help="Exit with 1 unless every rule, table row and clause is exercised.",
    ),
    features_dir: Optional[Path] = typer.Option(
        None,
        "--features",
        metavar="DIR",
        file_okay=False,
        help="Folder of feature files (<pack id>/*.feature); default: the bundled scenarios.",
    ),
    standards_dir: Optional[Path] = StandardsDir,
    output: OutputFormat = format_option(),
) -> None:
    """Run the policy officers' scenarios (Gherkin features) against the standards; see docs/features.md."""
    from sendrules.scenarios.report import print_report
    from sendrules.scenarios.runner import run_features

    try:
        report = run_features(
            target,
            features_dir=features_dir,
            standards_dir=standards_dir,
            coverage=coverage or require_full_coverage,
        )
    except EngineError as error:
        _fail(error, output)
        return
    if output == OutputFormat.json:
        sys.stdout.write(
            json.dumps(report.to_dict(require_full_coverage), indent=2, ensure_ascii=False) + "\n"
        )
    else:
        print_report(report, _stdout(), coverage=coverage, require_full_coverage=require_full_coverage)
    if not report.ok(require_full_coverage):
        raise typer.Exit(EXIT_PROBLEMS)


# --- the decision log (decisionlog/) ---------------------------------------------------------

from sendrules.decisionlog.cli import log_app, replay  # noqa: E402  (imports only typer; the rest lazily)

app.add_typer(log_app, name="log")
app.command("replay")(replay)

from sendrules.dsl.formatter_cli import fmt  # noqa: E402  (the formatter loads when it runs)

from sendrules.lsp.cli import lsp  # noqa: E402  (pygls loads when it runs)

app.command("fmt")(fmt)
app.command("lsp")(lsp)
app.command("serve")(serve)
app.add_typer(keys_app, name="keys")

# --- cohorts (cohort/) ---------------------------------------------------------------------------

from sendrules.cohort.cli import cohort_app, import_app  # noqa: E402  (imports only typer; the rest lazily)

app.add_typer(cohort_app, name="cohort")
app.add_typer(import_app, name="import")


# --- entry point -----------------------------------------------------------------------------


def main() -> None:
    """Run the CLI; turn any unexpected exception into one line and exit code 70."""
    try:
        app()
    except SystemExit:
        raise
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        sys.exit(130)
    except Exception as error:  # noqa: BLE001 -- the one place that must never show a traceback
        if os.environ.get("SENDRULES_DEBUG"):
            raise
        print(
            f"internal error: {type(error).__name__}: {error} (set SENDRULES_DEBUG=1 for details)",
            file=sys.stderr,
        )
        sys.exit(EXIT_INTERNAL)


if __name__ == "__main__":
    main()

__all__ = ["app", "main", "print_decision", "backend_names", "Problem"]
