"""The report of ``sendrules test`` for people: each scenario, a summary, and coverage."""

from __future__ import annotations

from rich.console import Console
from rich.text import Text

from sendrules.scenarios.runner import TestReport


def print_report(
    report: TestReport, console: Console, *, coverage: bool = False, require_full_coverage: bool = False
) -> None:
    for run in report.runs:
        heading = Text(f"{run.reference} ({run.status}): ", style="bold")
        heading.append(
            f"{_count(len(run.scenarios), 'scenario')}, {run.passed} passed, {run.failed} failed",
            style="bold" if run.ok else "bold red",
        )
        console.print(heading)
        for result in run.scenarios:
            line = Text("  ")
            line.append("PASS" if result.passed else "FAIL", style="green" if result.passed else "bold red")
            line.append(f"  {result.feature}:{result.line}  {result.name}")
            console.print(line)
            if not result.passed:
                if result.step:
                    console.print(Text(f"        line {result.step_line}: {result.step}", style="red"))
                for message_line in (result.message or "").splitlines():
                    console.print(Text(f"        {message_line}"))
        for error in run.errors:
            console.print(Text("  ERROR while collecting the scenarios:", style="bold red"))
            for error_line in error.splitlines():
                console.print(Text(f"        {error_line}"))
        console.print()

    if coverage or require_full_coverage:
        console.print(Text("Coverage", style="bold"))
        for run in report.runs:
            cov = run.coverage
            if cov is None:
                continue
            figures = ", ".join(
                f"{what} {done}/{total} ({_percent(done, total)})"
                for what, (done, total) in cov.figures().items()
            )
            line = Text(f"  {run.reference}: ")
            line.append(figures, style="green" if cov.full else "yellow")
            console.print(line)
            if cov.rules_missing:
                console.print(Text("    rules not exercised: " + ", ".join(cov.rules_missing)))
            if cov.rows_missing:
                console.print(
                    Text(
                        "    table rows not exercised: "
                        + ", ".join(f"{table} row {row}" for table, row in cov.rows_missing)
                    )
                )
            if cov.clauses_missing:
                console.print(Text("    clauses not exercised: " + "; ".join(cov.clauses_missing)))
        console.print()

    for problem in report.problems:
        console.print(Text("problem: " + problem, style="bold red"))
    for note in report.notes:
        console.print(Text("note: " + note, style="yellow"))
    if report.problems or report.notes:
        console.print()

    summary = Text("Summary: ", style="bold")
    summary.append(
        f"{_count(len(report.runs), 'version')}, "
        f"{_count(report.scenarios, 'scenario run')}: {report.scenarios - report.failed} passed, "
        f"{report.failed} failed",
        style="bold" if report.failed == 0 else "bold red",
    )
    if report.problems:
        summary.append(f"; {_count(len(report.problems), 'problem')} in the features", style="bold red")
    if require_full_coverage and not report.coverage_full():
        summary.append("; coverage is not full", style="bold red")
    console.print(summary)


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}" + ("" if number == 1 else "s")


def _percent(done: int, total: int) -> str:
    return f"{100 * done / total:.0f}%" if total else "100%"
