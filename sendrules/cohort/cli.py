"""``sendrules cohort ...`` and ``sendrules import sen2``: the population layer's commands.

    sendrules cohort run INPUT --as-of DATE --out DIR [--standards ID@V] [--workers N]
                             [--scheduler ADDRESS] [--school-closures FILE] [--measures ID@V]
                             [--term-dates FILE|england_term_pattern]
    sendrules cohort report DIR [--by la|region|school|trust|provider] [--suppress N] [--format json|csv]
    sendrules cohort dashboard DIR --out FILE [--local-authority CODE] [--suppress N] [--trend-with DIR ...]
                                  [--standards-document HREF]
    sendrules cohort compare INPUT --standards A --vs B --as-of DATE [--by la|region] [--format table|json]
    sendrules cohort due INPUT --as-of DATE [--within 14d] [--la CODE ...] [--format csv|json]
    sendrules cohort synth --children N --seed S [--standards ID@V] [--format jsonl|parquet --output FILE]
    sendrules import sen2 FILE [--output FILE]

Exit codes as the rest of the CLI: 0 success (a run with refused journeys succeeds, and says
how many); 2 bad input (an unreadable input, unknown standards, a bad option, a folder holding
a different run); 130 interrupted (the finished partitions are kept; run again to resume).
"""

from __future__ import annotations

import json
import sys
from datetime import date
from enum import Enum
from pathlib import Path
from typing import List, Optional

import typer

from sendrules.engine.errors import EngineError, InputError, Problem

EXIT_INVALID_INPUT = 2
EXIT_INTERRUPTED = 130

cohort_app = typer.Typer(
    name="cohort",
    help="Decide, count and compare whole cohorts of journeys.",
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
import_app = typer.Typer(
    name="import",
    help="Turn other data formats into journeys.",
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)

StandardsDir = typer.Option(
    None,
    "--standards-dir",
    envvar="SENDRULES_STANDARDS",
    file_okay=False,
    help="Folder of standards packs to use instead of the bundled ones.",
)


def _bad_input(message: str) -> None:
    print(f"error: {message}", file=sys.stderr)
    raise typer.Exit(EXIT_INVALID_INPUT)


def _date(value: str, option: str) -> date:
    try:
        parsed = date.fromisoformat(value)
    except ValueError:
        parsed = None
    if parsed is None or len(value) != 10:
        _bad_input(f"{option} must be a date written as YYYY-MM-DD (got {value!r})")
    return parsed  # type: ignore[return-value]


def _closures(path: Optional[Path]) -> tuple:
    if path is None:
        return ()
    from sendrules.engine.request import parse_request

    try:
        ranges = json.loads(path.read_text(encoding="utf-8"))
        request = parse_request({"journey": {}, "as_of": "2000-01-01", "school_closures": ranges})
    except (OSError, ValueError) as error:
        _bad_input(f"{path}: {error}")
    except EngineError as error:
        _bad_input(f"{path}: " + "; ".join(problem.describe() for problem in error.problems))
    return tuple((closure.start, closure.end) for closure in request.school_closures)


# --- run ---------------------------------------------------------------------------------------


@cohort_app.command("run")
def run_command(
    input: Path = typer.Argument(
        ..., help="Journeys: JSON Lines (one per line) or Parquet (one row per event).", dir_okay=False
    ),
    as_of: str = typer.Option(..., "--as-of", help="The date every journey is decided for (YYYY-MM-DD)."),
    out: Path = typer.Option(
        ...,
        "--out",
        help="Folder for findings.parquet, measures.parquet, errors.jsonl "
        "and manifest.json (new, or an unfinished run to resume).",
        file_okay=False,
    ),
    standards: Optional[str] = typer.Option(
        None, "--standards", help="ID@VERSION; default: the published version in force on --as-of."
    ),
    workers: Optional[int] = typer.Option(
        None, "--workers", min=1, help="Local processes (default: one per CPU)."
    ),
    scheduler: Optional[str] = typer.Option(
        None,
        "--scheduler",
        metavar="ADDRESS",
        help="Run on an existing Dask cluster (tcp://host:8786); docs/scale.md.",
    ),
    school_closures: Optional[Path] = typer.Option(
        None,
        "--school-closures",
        dir_okay=False,
        help='JSON array of {"from": DATE, "to": DATE}: school closures '
        "for every journey's school-day calendar.",
    ),
    term_dates: Optional[str] = typer.Option(
        None,
        "--term-dates",
        metavar="FILE|england_term_pattern",
        help="Term dates for every journey's school days (a YAML file: "
        "docs/semantics.md, School days), or england_term_pattern.",
    ),
    measures: Optional[str] = typer.Option(
        None,
        "--measures",
        metavar="ID@VERSION",
        help="Take the measures from this version (default: the standard's own, "
        "else the newest published version that has measures).",
    ),
    standards_dir: Optional[Path] = StandardsDir,
) -> None:
    """Decide every journey of a cohort and count the standard's measures."""
    from sendrules.engine.request import term_dates_option
    from sendrules.cohort import runner
    from sendrules.cohort.inputs import InputProblem

    try:
        term_dates_value = term_dates_option(term_dates) if term_dates is not None else None
    except EngineError as error:
        print(error.describe(), file=sys.stderr)
        raise typer.Exit(EXIT_INVALID_INPUT)
    options = runner.RunOptions(
        input=input,
        out=out,
        as_of=_date(as_of, "--as-of"),
        standards=standards,
        standards_root=standards_dir,
        school_closures=_closures(school_closures),
        term_dates=term_dates_value,
        workers=workers,
        scheduler=scheduler,
        measures=measures,
        progress=runner.progress_wanted(),
    )
    try:
        manifest = runner.run(options)
    except EngineError as error:
        print(error.describe(), file=sys.stderr)
        raise typer.Exit(EXIT_INVALID_INPUT)
    except (InputProblem, runner.RunConflict) as error:
        _bad_input(str(error))
    except runner.Interrupted as stopped:
        print(
            f"interrupted: {stopped.done} of {stopped.total} partitions are finished and kept in {out}; "
            "run the same command again to resume",
            file=sys.stderr,
        )
        raise typer.Exit(EXIT_INTERRUPTED)
    counts = manifest["counts"]
    print(
        f"Decided {counts['journeys'] - counts['errors']:,} of {counts['journeys']:,} journeys under "
        f"{manifest['standards']['id']}@{manifest['standards']['version']} as of {manifest['as_of']}: "
        f"{counts['findings']:,} findings, {len(manifest['measures'])} measures "
        f"(from {manifest['measures_from']['standards'] or 'no version'})."
    )
    if counts["errors"]:
        print(f"{counts['errors']:,} journeys refused: see {out / 'errors.jsonl'} (line and reason of each).")
    skipped = manifest["measures_from"]["not_computable"]
    if skipped:
        print(
            f"{len(skipped)} measures cannot be computed under this standard: "
            + "; ".join(f"{entry['measure']} ({entry['reason']})" for entry in skipped)
        )


# --- report ------------------------------------------------------------------------------------


class ReportFormat(str, Enum):
    json = "json"
    csv = "csv"


class Breakdown(str, Enum):
    la = "la"
    region = "region"
    school = "school"
    trust = "trust"
    provider = "provider"


@cohort_app.command("report")
def report_command(
    folder: Path = typer.Argument(..., help="The folder of a finished `cohort run`.", file_okay=False),
    by: Breakdown = typer.Option(
        Breakdown.la, "--by", help="Rows per local authority, region, school, trust or AP provider."
    ),
    suppress: int = typer.Option(
        10,
        "--suppress",
        min=0,
        help="Suppress counts from 1 to N-1 (0: no suppression; only for figures that are not published).",
    ),
    output: ReportFormat = typer.Option(ReportFormat.json, "--format", help="json or csv."),
) -> None:
    """The measures per breakdown, beside their region and England, small numbers suppressed."""
    from sendrules.cohort import report

    try:
        rows = report.report(folder, by.value, suppress)
    except report.ReportProblem as error:
        _bad_input(str(error))
    sys.stdout.write(report.to_json(rows) if output == ReportFormat.json else report.to_csv(rows))


# --- dashboard ---------------------------------------------------------------------------------


@cohort_app.command("dashboard")
def dashboard_command(
    folder: Path = typer.Argument(..., help="The folder of a finished `cohort run`.", file_okay=False),
    out: Path = typer.Option(..., "--out", dir_okay=False, help="Write the page (HTML) to this file."),
    local_authority: Optional[str] = typer.Option(
        None,
        "--local-authority",
        metavar="CODE",
        help="A view of one local authority (ONS code or DfE number) that lists its findings by pseudonymous "
        "child reference; without it, the national view, which never lists findings.",
    ),
    suppress: int = typer.Option(
        10,
        "--suppress",
        min=0,
        help="Suppress counts from 1 to N-1, as `cohort report` (0: no suppression; not for publication).",
    ),
    standards_document: Optional[str] = typer.Option(
        None,
        "--standards-document",
        metavar="HREF",
        help="Where the measures' standards document is (`sendrules docs ID@V --format html`): each definition "
        "links to its section there.",
    ),
    trend_with: Optional[List[Path]] = typer.Option(
        None,
        "--trend-with",
        metavar="DIR",
        file_okay=False,
        help="Another finished run of the cohort, as of another date (repeatable): each measure's trend over "
        "the runs is drawn.",
    ),
) -> None:
    """The inclusion dashboard: a run's measures for England, regions and local authorities, as one page."""
    from sendrules.pages.dashboard import DashboardProblem, render_dashboard

    try:
        html = render_dashboard(
            folder,
            local_authority=local_authority,
            suppress=suppress,
            standards_document=standards_document,
            trend_with=tuple(trend_with or ()),
        )
    except DashboardProblem as error:
        _bad_input(str(error))
    try:
        out.write_text(html, encoding="utf-8")
    except OSError as error:
        _bad_input(f"cannot write {out}: {error.strerror or error}")
    view = f"local authority {local_authority}" if local_authority else "national view"
    print(f"Wrote {out} ({view}).")


# --- compare -----------------------------------------------------------------------------------


class CompareFormat(str, Enum):
    table = "table"
    json = "json"


@cohort_app.command("compare")
def compare_command(
    input: Path = typer.Argument(..., help="Journeys (JSON Lines or Parquet).", dir_okay=False),
    standards: str = typer.Option(..., "--standards", help="The version in force (ID@VERSION)."),
    vs: str = typer.Option(
        ..., "--vs", help="The version to compare it with, e.g. a draft (ID@VERSION or VERSION)."
    ),
    as_of: str = typer.Option(..., "--as-of", help="The date both decide every journey for."),
    by: Breakdown = typer.Option(
        Breakdown.la, "--by", help="Break the changes down by local authority or region."
    ),
    workers: Optional[int] = typer.Option(None, "--workers", min=1),
    scheduler: Optional[str] = typer.Option(None, "--scheduler", metavar="ADDRESS"),
    output: CompareFormat = typer.Option(CompareFormat.table, "--format", help="table (for people) or json."),
    standards_dir: Optional[Path] = StandardsDir,
) -> None:
    """What a change of standards would do to a cohort: findings that appear, disappear or change;
    each measure and the tariff cost under both."""
    from sendrules.cohort import compare
    from sendrules.cohort.inputs import InputProblem

    if by.value not in ("la", "region"):
        _bad_input("compare breaks changes down by la or region")
    if "@" not in vs and "@" in standards:
        vs = standards.split("@")[0] + "@" + vs
    try:
        result = compare.compare(
            input,
            standards,
            vs,
            _date(as_of, "--as-of"),
            by=by.value,
            standards_root=standards_dir,
            workers=workers,
            scheduler=scheduler,
        )
    except EngineError as error:
        print(error.describe(), file=sys.stderr)
        raise typer.Exit(EXIT_INVALID_INPUT)
    except InputProblem as error:
        _bad_input(str(error))
    if output == CompareFormat.json:
        sys.stdout.write(json.dumps(result, indent=2, ensure_ascii=False) + "\n")
    else:
        compare.print_table(result)


# --- due ---------------------------------------------------------------------------------------


@cohort_app.command("due")
def due_command(
    input: Path = typer.Argument(..., help="A caseload: journeys (JSON Lines or Parquet).", dir_okay=False),
    as_of: str = typer.Option(..., "--as-of", help="Today, for the caseworker (YYYY-MM-DD)."),
    within: str = typer.Option("14d", "--within", help="How far ahead: 14d (days) or 2w (weeks)."),
    la: Optional[List[str]] = typer.Option(None, "--la", help="Only these local authorities (repeatable)."),
    standards: Optional[str] = typer.Option(None, "--standards"),
    output: ReportFormat = typer.Option(ReportFormat.csv, "--format", help="csv or json."),
    standards_dir: Optional[Path] = StandardsDir,
) -> None:
    """Every duty due or overdue in a caseload, soonest first."""
    from sendrules.cohort import due
    from sendrules.cohort.inputs import InputProblem

    try:
        horizon = due.parse_within(within)
        rows, refused = due.due(input, _date(as_of, "--as-of"), horizon, la or (), standards, standards_dir)
    except ValueError as error:
        _bad_input(str(error))
    except EngineError as error:
        print(error.describe(), file=sys.stderr)
        raise typer.Exit(EXIT_INVALID_INPUT)
    except InputProblem as error:
        _bad_input(str(error))
    sys.stdout.write(due.to_json(rows) if output == ReportFormat.json else due.to_csv(rows))
    if refused:
        print(
            f"{len(refused)} journeys refused: "
            + "; ".join(f"line {entry['line']}: {entry['message']}" for entry in refused[:3]),
            file=sys.stderr,
        )


# --- synth -------------------------------------------------------------------------------------


class SynthFormat(str, Enum):
    jsonl = "jsonl"
    parquet = "parquet"


@cohort_app.command("synth")
def synth_command(
    children: int = typer.Option(..., "--children", min=0, help="How many children."),
    seed: int = typer.Option(..., "--seed", help="The same seed gives the same bytes."),
    standards: Optional[str] = typer.Option(
        None,
        "--standards",
        help="Use this version's vocabulary (default: the published version in force on "
        "31 August 2025, the end of the cohort's window).",
    ),
    output_format: SynthFormat = typer.Option(
        SynthFormat.jsonl, "--format", help="jsonl (to stdout) or parquet."
    ),
    output: Optional[Path] = typer.Option(
        None, "--output", dir_okay=False, help="Write to FILE (needed for parquet)."
    ),
    standards_dir: Optional[Path] = StandardsDir,
) -> None:
    """A synthetic national cohort whose rates follow published figures (docs/cohorts.md)."""
    from sendrules.cohort import synth
    from sendrules.engine.library import StandardsLibrary

    try:
        standard = StandardsLibrary(standards_dir).resolve(standards, synth.WINDOW_END)
    except EngineError as error:
        print(error.describe(), file=sys.stderr)
        raise typer.Exit(EXIT_INVALID_INPUT)
    if output_format == SynthFormat.parquet:
        if output is None:
            _bad_input("--format parquet needs --output FILE")
        from sendrules.cohort.inputs import write_parquet_input

        write_parquet_input(synth.cohort(children, seed, standard), output)
        return
    if output is not None:
        with output.open("wb") as sink:
            synth.write_jsonl(children, seed, standard, sink)
    else:
        synth.write_jsonl(children, seed, standard, sys.stdout.buffer)
        sys.stdout.buffer.flush()


# --- import ------------------------------------------------------------------------------------


@import_app.command("sen2")
def import_sen2(
    file: Path = typer.Argument(..., help="A SEN2 person-level return (XML).", dir_okay=False),
    output: Optional[Path] = typer.Option(
        None, "--output", dir_okay=False, help="Write the journeys (JSON Lines) here instead of stdout."
    ),
    standards: Optional[str] = typer.Option(
        None,
        "--standards",
        help="Make journeys for this version's vocabulary (default: the published version "
        "in force on 31 August 2025); events it lacks are left out, with a note.",
    ),
    pseudonym_key: Optional[Path] = typer.Option(
        None,
        "--pseudonym-key",
        dir_okay=False,
        help="A file holding a secret key: child references become a keyed hash of the UPN, so the same child "
        "links across returns (default: a reference by position in the return).",
    ),
    standards_dir: Optional[Path] = StandardsDir,
) -> None:
    """Turn a local authority's SEN2 return into journeys (docs/cohorts.md: the field mapping)."""
    from sendrules.cohort import sen2
    from sendrules.cohort.synth import WINDOW_END
    from sendrules.engine.library import StandardsLibrary

    try:
        standard = StandardsLibrary(standards_dir).resolve(standards, WINDOW_END)
        key = pseudonym_key.read_bytes().strip() if pseudonym_key is not None else None
        result = sen2.read_return(file, {event.name for event in standard.event_types}, key)
    except EngineError as error:
        print(error.describe(), file=sys.stderr)
        raise typer.Exit(EXIT_INVALID_INPUT)
    except OSError as error:
        _bad_input(str(error))
    except sen2.ReturnProblem as error:
        _bad_input(str(error))
    sink = output.open("wb") if output is not None else sys.stdout.buffer
    try:
        for journey in result.journeys:
            sink.write(json.dumps(journey, ensure_ascii=False).encode() + b"\n")
    finally:
        if output is not None:
            sink.close()
    print(
        f"{len(result.journeys)} journeys from {result.persons} persons in the return "
        f"(local authority {result.local_authority}); {len(result.notes)} notes",
        file=sys.stderr,
    )
    for note in result.notes[:20]:
        print(f"  {note}", file=sys.stderr)


__all__ = ["cohort_app", "import_app", "InputError", "Problem"]
