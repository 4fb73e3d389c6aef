"""The inclusion dashboard: `sendrules cohort dashboard DIR`, a view of a cohort run's folder.

A small synthetic cohort is made and run here (cohort synth + cohort run, in-process); the page
is then checked against the run's own files: measures.parquet for the numbers, findings.parquet
for the children an authority's view lists, cohort report for what is suppressed.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from datetime import date
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from sendrules.cohort import report, synth
from sendrules.cohort.runner import RunOptions, run as run_cohort
from sendrules.pages.dashboard import render_dashboard
from tests.cli.test_cli import run

AS_OF = date(2025, 6, 1)
DRAFT = "send-ap@2.0.0-draft"


def _run(folder: Path, library, children: int, seed: int, standards: str, as_of: date = AS_OF) -> Path:
    journeys = folder / "cohort.jsonl"
    if not journeys.exists():
        with journeys.open("wb") as sink:
            synth.write_jsonl(children, seed, library.resolve(standards, synth.WINDOW_END), sink)
    out = folder / f"run-{as_of}"
    run_cohort(RunOptions(input=journeys, out=out, as_of=as_of, standards=standards, workers=1))
    return out


@pytest.fixture(scope="module")
def cohort_folder(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("dashboard")


@pytest.fixture(scope="module")
def cohort_run(cohort_folder, library) -> Path:
    """600 synthetic children decided under the draft (which has every measure)."""
    return _run(cohort_folder, library, 600, 5, DRAFT)


@pytest.fixture(scope="module")
def earlier_run(cohort_folder, library, cohort_run) -> Path:
    """The same children decided six months earlier: a second point of each trend."""
    return _run(cohort_folder, library, 600, 5, DRAFT, date(2024, 12, 1))


def england(folder: Path) -> dict[str, tuple[int, int]]:
    """Each measure's England numerator and denominator, added up from measures.parquet here."""
    table = pq.read_table(folder / "measures.parquet").to_pylist()
    totals: dict[str, list[int]] = {}
    for row in table:
        entry = totals.setdefault(row["measure"], [0, 0])
        entry[0] += row["numerator"]
        entry[1] += row["denominator"]
    return {measure: (n, d) for measure, (n, d) in totals.items()}


def england_text(kind: str, numerator: int, denominator: int, amount_unit: str | None = "pounds") -> str:
    if kind == "rate":
        return (
            f"{100 * numerator / denominator:.1f}% ({numerator:,} of {denominator:,})"
            if denominator
            else "no cases"
        )
    if kind == "total" and amount_unit == "pounds":
        return f"\u00a3{numerator:,} ({denominator:,} counted)"
    if kind == "total":
        return f"{numerator:,} {amount_unit} ({denominator:,} counted)"
    return f"{numerator:,}"


def table_row(html: str, table_id: str, label: str) -> str:
    """The text of the row of table ``table_id`` whose header cell starts with ``label``."""
    table = re.search(rf'<table id="{re.escape(table_id)}">(.*?)</table>', html, re.S)
    assert table, f"no table {table_id}"
    for row in re.findall(r"<tr[^>]*>(.*?)</tr>", table.group(1), re.S):
        if re.match(rf'\s*<th scope="row">{re.escape(label)}', row):
            return re.sub(r"<[^>]+>", " ", row)
    raise AssertionError(f"no row {label} in {table_id}")


def test_national_view_in_chromium(cohort_run, browse):
    manifest = json.loads((cohort_run / "manifest.json").read_text())
    html = render_dashboard(cohort_run)
    page = browse(html, "dashboard")
    text = page.text
    assert page.title == "Inclusion dashboard: England, regions and local authorities, as of Sun 1 Jun 2025"
    counts = england(cohort_run)
    for measure in manifest["measures"]:
        numerator, denominator = counts.get(measure["id"], (0, 0))
        # the England summary row: the measure's title, id, period and its England figure
        figure = re.escape(england_text(measure["kind"], numerator, denominator, measure.get("amount_unit")))
        assert re.search(rf"{re.escape(measure['id'])}\s+\S[^\n]*\t{figure}\t", text), measure["id"]
        assert f'id="def-{measure["id"]}"' in html and f'href="#def-{measure["id"]}"' in html
    assert "suppressed" in text
    assert "SYN-" not in html, "the national view never names a child"
    assert "Findings by rule and status" not in text
    assert html.count("<svg") >= 3 and "<script" not in html
    assert "What this page does not show, and why" in text and "exact median length" in text
    assert "AP performance table: one row per provider" in text
    assert "Trends over time:" in text, "one run: no trend, and the page says why"


def test_suppressed_cells_are_those_of_cohort_report(cohort_run):
    html = render_dashboard(cohort_run, suppress=3)  # a small cohort: a low threshold leaves some shown
    rows = [row for row in report.report(cohort_run, "la", 3) if row["category"] is None]
    hidden = [row for row in rows if row["suppressed"]]
    shown = [row for row in rows if not row["suppressed"] and row["kind"] == "rate" and row["denominator"]]
    assert hidden and shown
    for row in (hidden[0], shown[0]):
        cells = table_row(html, f"las-{row['measure']}", row["name"])
        if row["suppressed"]:
            assert re.search(r"^\s*\S.*?\s+suppressed\b", cells, re.S), cells
        else:
            assert f"({row['numerator']:,} of {row['denominator']:,})" in cells


def test_without_suppression_every_authority_has_its_counts(cohort_run):
    html = render_dashboard(cohort_run, suppress=0)
    assert "Not for publication" in html and ">suppressed<" not in html
    for row in report.report(cohort_run, "la", suppress=0):
        if row["measure"] == "ehc.requests_refused" and row["category"] is None:
            cells = table_row(html, "las-ehc.requests_refused", row["name"])
            assert f"({row['numerator']:,} of {row['denominator']:,})" in cells
            assert f"({row['region_numerator']:,} of {row['region_denominator']:,})" in cells


def test_view_of_one_local_authority_lists_its_findings(cohort_run, browse, tmp_path):
    findings = pq.read_table(cohort_run / "findings.parquet").to_pylist()
    by_la = Counter(row["local_authority"] for row in findings)
    code, count = by_la.most_common(1)[0]
    mine = {row["child"] for row in findings if row["local_authority"] == code}
    others = {row["child"] for row in findings if row["local_authority"] != code} - mine
    out = tmp_path / "la.html"
    result = run(
        "cohort", "dashboard", cohort_run, "--out", out, "--local-authority", code, "--suppress", "0"
    )
    assert result.returncode == 0, result.stderr
    html = out.read_text(encoding="utf-8")
    page = browse(html, "dashboard-local-authority")
    assert f"({code})" in page.title
    assert f"{count} findings" in page.text
    for child in mine:
        assert child in page.text
    assert not any(child in html for child in others), "only this authority's children"
    # its figures beside its region's and England's, as cohort report has them
    row = next(
        r
        for r in report.report(cohort_run, "la", 0)
        if r["key"] == code and r["category"] is None and r["kind"] == "rate" and r["denominator"]
    )
    compare = table_row(html, "compare-table", row["title"])
    assert f"({row['numerator']:,} of {row['denominator']:,})" in compare
    assert f"({row['england_numerator']:,} of {row['england_denominator']:,})" in compare


def test_a_run_without_some_measures_says_which(tmp_path, library):
    folder = _run(tmp_path, library, 40, 2, "send-ap@1.1.0")
    manifest = json.loads((folder / "manifest.json").read_text())
    skipped = manifest["measures_from"]["not_computable"]
    assert skipped
    html = render_dashboard(folder)
    for entry in skipped:
        assert f"Measure {entry['measure']}:" in html
    assert f'id="measure-{skipped[0]["measure"]}"' not in html


def test_text_from_the_run_is_escaped(tmp_path):
    # a child's reference is checked on input; a school's reference is any text
    journey = {
        "child": {"id": "T-1", "date_of_birth": "2012-03-04", "local_authority": "E09000007"},
        "events": [
            {
                "id": "s1",
                "type": "school_registered",
                "date": "2024-09-01",
                "school": "<img src=x onerror=alert(1)>",
            },
            {"id": "e1", "type": "assessment_requested", "date": "2025-01-06"},
        ],
    }
    path = tmp_path / "one.jsonl"
    path.write_text(json.dumps(journey) + "\n", encoding="utf-8")
    run_cohort(RunOptions(input=path, out=tmp_path / "run", as_of=AS_OF, standards=DRAFT, workers=1))
    html = render_dashboard(tmp_path / "run", local_authority="E09000007")
    assert "<img src=x" not in html and "&lt;img src=x" in html
    national = render_dashboard(tmp_path / "run")
    assert "No local authority has a case of this measure in the run." in national  # e.g. the AP measures
    elsewhere = render_dashboard(tmp_path / "run", local_authority="213")  # Westminster, by its DfE number
    assert "Westminster (E09000033)" in elsewhere
    assert "The run has no finding and no figure for Westminster" in elsewhere
    assert "T-1" not in elsewhere


def test_bad_input_is_refused_clearly(cohort_run, tmp_path):
    unknown = run("cohort", "dashboard", cohort_run, "--out", tmp_path / "x.html", "--local-authority", "X99")
    assert unknown.returncode == 2 and "'X99' is not a local authority code" in unknown.stderr
    empty = tmp_path / "empty"
    empty.mkdir()
    not_a_run = run("cohort", "dashboard", empty, "--out", tmp_path / "x.html")
    assert not_a_run.returncode == 2 and "holds no finished run" in not_a_run.stderr
    assert not (tmp_path / "x.html").exists()


def test_trends_over_runs_at_two_dates(cohort_run, earlier_run, browse, tmp_path):
    html = render_dashboard(cohort_run, trend_with=(earlier_run,))
    assert "Trends over time:" not in html
    measure = "ehc.requests_refused"
    for folder, day in ((earlier_run, "Sun 1 Dec 2024"), (cohort_run, "Sun 1 Jun 2025")):
        numerator, denominator = england(folder)[measure]
        cells = re.sub(r"\s+", " ", table_row(html, f"trend-table-{measure}", day))
        assert f"({numerator:,} of {denominator:,})" in cells, cells
    assert 'aria-label="Requests for an EHC needs assessment refused in each run' in html
    code = Counter(
        row["local_authority"] for row in pq.read_table(cohort_run / "findings.parquet").to_pylist()
    ).most_common(1)[0][0]
    local = render_dashboard(cohort_run, local_authority=code, suppress=0, trend_with=(earlier_run,))
    page = browse(local, "dashboard-local-authority-trends")
    assert "Trends" in page.text and "(this run)" in page.text
    row = next(
        r
        for r in report.report(earlier_run, "la", 0)
        if r["key"] == code and r["measure"] == measure and r["category"] is None
    )
    cells = table_row(local, f"trend-table-{measure}", "Sun 1 Dec 2024")
    assert f"({row['numerator']:,} of {row['denominator']:,})" in cells
    same_day = run(
        "cohort", "dashboard", cohort_run, "--out", tmp_path / "x.html", "--trend-with", cohort_run
    )
    assert same_day.returncode == 2 and "a trend needs one run per as-of date" in same_day.stderr


def test_a_measure_defined_differently_is_left_out_of_its_trend(cohort_run, earlier_run, tmp_path):
    import shutil

    changed = tmp_path / "changed"
    shutil.copytree(earlier_run, changed)
    manifest = json.loads((changed / "manifest.json").read_text())
    entry = next(m for m in manifest["measures"] if m["id"] == "ehc.requests_refused")
    entry["breakdowns"] = ["la"]  # as if the earlier run had another definition
    (changed / "manifest.json").write_text(json.dumps(manifest))
    html = render_dashboard(cohort_run, trend_with=(changed,))
    assert "Not in the trend: the run as of 2024-12-01 defines ehc.requests_refused differently" in html
    assert "Not in the trend: the run as of 2024-12-01 defines ehc.annual_reviews_overdue" not in html
