"""The dashboard's AP performance table: one row per AP provider, from `cohort report --by provider`.

The cohort is written by hand so that every figure can be counted here: invented children, each
with one registered AP placement (under the draft, whose vocabulary names the provider).

* URN900001: 12 placements started on 1 October 2024 (6 children of Camden, 6 of Birmingham),
  10 of them ended on 31 January 2025 (122 days: 31 + 30 + 31 + 30) back at the home school; and
  20 started on 2 October 2023, ended on 1 February 2024 (122 days), 10 to the home school and
  10 to an unknown destination: reintegration within two terms 10 of 20 (last academic year).
* URN900002: 2 placements, 1 October 2024 to 31 January 2025, to a new school (small: suppressed).
* one placement naming no provider, the same dates, to a new school.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import orjson
import pyarrow.parquet as pq
import pytest

from sendrules.cohort import report
from sendrules.cohort.runner import RunOptions, run as run_cohort
from sendrules.pages.dashboard import render_dashboard
from tests.pages.test_dashboard import table_row

AS_OF = date(2025, 6, 1)
CAMDEN, BIRMINGHAM = "E09000007", "E08000025"


def _child(number: int, la: str, provider: str | None, start: str, end: str | None, destination: str) -> dict:
    started = {
        "id": "p1",
        "type": "ap_placement_started",
        "date": start,
        "tier": 2,
        "registered": True,
        "arranged_by": "school",
        "objectives_set": True,
    }
    if provider is not None:
        started["provider"] = provider
    events = [started]
    if end is not None:
        events.append(
            {
                "id": "p2",
                "type": "ap_placement_ended",
                "date": end,
                "in_response_to": "p1",
                "destination": destination,
            }
        )
    return {
        "child": {"id": f"APT-{number:03d}", "date_of_birth": "2011-05-01", "local_authority": la},
        "events": events,
    }


def _cohort() -> list[dict]:
    children = []
    for number in range(12):  # this year's placements of URN900001; the last two still open
        la = CAMDEN if number < 6 else BIRMINGHAM
        end = "2025-01-31" if number < 10 else None
        children.append(_child(number, la, "URN900001", "2024-10-01", end, "home_school"))
    for number in range(20):  # last year's
        destination = "home_school" if number < 10 else "unknown"
        children.append(_child(100 + number, CAMDEN, "URN900001", "2023-10-02", "2024-02-01", destination))
    for number in range(2):
        children.append(
            _child(200 + number, BIRMINGHAM, "URN900002", "2024-10-01", "2025-01-31", "new_school")
        )
    children.append(_child(300, CAMDEN, None, "2024-10-01", "2025-01-31", "new_school"))
    return children


@pytest.fixture(scope="module")
def ap_run(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("ap-table")
    journeys = folder / "cohort.jsonl"
    journeys.write_bytes(b"".join(orjson.dumps(child) + b"\n" for child in _cohort()))
    out = folder / "run"
    manifest = run_cohort(
        RunOptions(input=journeys, out=out, as_of=AS_OF, standards="send-ap@2.0.0-draft", workers=1)
    )
    assert manifest["counts"]["errors"] == 0, (out / "errors.jsonl").read_text()
    return out


def test_each_provider_has_its_row_with_figures_counted_by_hand(ap_run, browse):
    html = render_dashboard(ap_run)
    page = browse(html, "dashboard-ap-table")
    assert "AP performance table: one row per provider" in page.text
    row = table_row(html, "ap-provider-table", "<code>URN900001")
    cells = re.sub(r"\s+", " ", row).strip()
    # started, ended, mean length, median band, reintegration, unknown destinations, sustained (none)
    assert cells == ("URN900001 12 10 122 days a term to 2 terms 50.0% (10 of 20) 0.0% (0 of 10) \u2014"), (
        cells
    )
    england = re.sub(r"\s+", " ", table_row(html, "ap-provider-table", "All providers, England"))
    assert "15 13 122 days a term to 2 terms 50.0% (10 of 20) 0.0% (0 of 13)" in england
    destinations = re.sub(r"\s+", " ", table_row(html, "ap-provider-destinations", "<code>URN900001"))
    assert destinations.split() == ["URN900001", "10", "\u2014"]  # home school 10; new school none
    # The small provider and the placement without one say nothing publishable: listed, not shown.
    hidden = re.search(r"<details><summary>(.*?)</details>", html, re.S)
    assert hidden and "2 providers" in hidden.group(1) and "URN900002" in hidden.group(1)
    assert "not recorded" in hidden.group(1)
    # Every figure links to its measure's definition, which the page has.
    for measure in (
        "ap.moves_into_alternative_provision",
        "ap.placements_by_length",
        "ap.placement_length_days",
        "ap.reintegration_within_two_terms",
        "ap.moves_to_unknown_destinations",
        "ap.moves_out_of_alternative_provision",
    ):
        assert f'<a href="#def-{measure}">' in row + html and f'id="def-{measure}"' in html
    assert "APT-" not in html, "the national view lists providers, never children"


def test_suppressed_cells_are_those_of_cohort_report_by_provider(ap_run):
    html = render_dashboard(ap_run, suppress=3)  # URN900002's 2 placements: still suppressed
    rows = {
        (row["measure"], row["key"]): row
        for row in report.report(ap_run, "provider", 3)
        if row["category"] is None
    }
    assert rows[("ap.moves_into_alternative_provision", "URN900002")]["suppressed"]
    assert rows[("ap.moves_into_alternative_provision", None)]["suppressed"]
    assert not rows[("ap.moves_into_alternative_provision", "URN900001")]["suppressed"]
    assert "URN900002" in re.search(r"<details>(.*?)</details>", html, re.S).group(1)
    # Without suppression (not for publication) the small provider has its row and counts.
    plain = render_dashboard(ap_run, suppress=0)
    small = re.sub(r"\s+", " ", table_row(plain, "ap-provider-table", "<code>URN900002"))
    assert small.split()[:4] == ["URN900002", "2", "2", "122"]
    assert ">not recorded<" in plain


def test_the_view_of_one_authority_counts_its_own_placements_only(ap_run, browse, tmp_path):
    html = render_dashboard(ap_run, local_authority=BIRMINGHAM, suppress=0)
    browse(html, "dashboard-ap-table-local-authority")
    row = re.sub(r"\s+", " ", table_row(html, "ap-provider-table", "<code>URN900001")).split()
    assert row[:3] == ["URN900001", "6", "4"]  # 6 started in Birmingham, 4 of them ended
    assert "All providers, Birmingham" in html
    assert "AP: <code>URN900002</code>" in html, "its findings name the provider of their placement"
    # Published, the authority's own total is suppressed as its row of `cohort report --by la` is
    # (England's figures are never suppressed; an authority's are).
    published = render_dashboard(ap_run, local_authority=BIRMINGHAM)
    total = re.sub(r"\s+", " ", table_row(published, "ap-provider-table", "All providers, Birmingham"))
    la_row = next(
        row
        for row in report.report(ap_run, "la")
        if row["key"] == BIRMINGHAM
        and row["measure"] == "ap.moves_into_alternative_provision"
        and row["category"] is None
    )
    assert la_row["suppressed"] and total.split()[3] == "suppressed", total  # 8 placements started


def test_findings_and_measures_carry_the_provider(ap_run):
    findings = pq.read_table(ap_run / "findings.parquet").to_pylist()
    by_child = {row["child"]: row["provider"] for row in findings if row["trigger"] in ("p1", "p2")}
    assert by_child, "the draft's AP rules give findings on placements"
    assert {by_child[child] for child in by_child if child.startswith("APT-2")} <= {"URN900002"}
    assert all(by_child[child] is None for child in by_child if child == "APT-300")
    measures = pq.read_table(ap_run / "measures.parquet").to_pylist()
    started = [row for row in measures if row["measure"] == "ap.moves_into_alternative_provision"]
    assert sum(row["numerator"] for row in started if row["provider"] == "URN900001") == 12
    assert {row["provider"] for row in measures if row["measure"] == "ehc.requests_refused"} <= {None}


def test_report_by_provider_from_the_command_line(ap_run):
    from tests.cli.test_cli import run

    result = run("cohort", "report", ap_run, "--by", "provider", "--suppress", "0")
    assert result.returncode == 0, result.stderr
    rows = [
        row
        for row in orjson.loads(result.stdout)
        if row["measure"] == "ap.placement_length_days" and row["category"] is None
    ]
    assert {row["key"]: (row["numerator"], row["denominator"]) for row in rows} == {
        "URN900001": (1220, 10),  # ten placements of 122 days
        "URN900002": (244, 2),
        None: (122, 1),
    }
    assert all(row["breakdown"] == "provider" and row["region"] is None for row in rows)
