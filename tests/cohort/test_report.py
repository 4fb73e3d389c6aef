"""`cohort report`: numerators and denominators summed up to region and England; small
numbers suppressed (primary and secondary); JSON and CSV with the contract's keys."""

from __future__ import annotations

import csv
import io
import json

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from sendrules.api.cli import app
from sendrules.cohort import report
from sendrules.cohort.partition import MEASURES_SCHEMA

CONTRACT_KEYS = {"measure", "breakdown", "key", "numerator", "denominator", "value", "suppressed"}
LONDON, WEST_MIDLANDS = "E12000007", "E12000005"


def fake_run(folder, rows, kind="rate", breakdowns=("la", "region")):
    """A finished run's folder with hand-made measure counts; a row is (la, region, numerator,
    denominator) or (la, region, numerator, denominator, provider)."""
    folder.mkdir()
    columns = {name: [] for name in MEASURES_SCHEMA.names}
    for la, region, numerator, denominator, *provider in rows:
        values = ("m.test", None, la, region, None, None, (provider or [None])[0], numerator, denominator)
        for name, value in zip(MEASURES_SCHEMA.names, values, strict=True):
            columns[name].append(value)
    pq.write_table(pa.table(columns, schema=MEASURES_SCHEMA), folder / "measures.parquet")
    manifest = {
        "measures": [
            {
                "id": "m.test",
                "title": "A test",
                "kind": kind,
                "breakdowns": list(breakdowns),
                "period_start": "2024-01-01",
                "period_end": "2024-12-31",
            }
        ]
    }
    (folder / "manifest.json").write_text(json.dumps(manifest))
    return folder


ROWS = [
    ("E09000007", LONDON, 40, 100),
    ("E09000001", LONDON, 2, 5),
    ("E09000002", LONDON, 30, 60),
    ("E09000003", LONDON, 50, 70),
    ("E08000025", WEST_MIDLANDS, 90, 200),
]


def test_regions_and_england_are_sums_not_averages(tmp_path):
    rows = report.report(fake_run(tmp_path / "r", ROWS), "region", suppress=0)
    london = next(row for row in rows if row["key"] == LONDON)
    assert (london["numerator"], london["denominator"]) == (122, 235)
    assert london["value"] == round(122 / 235, 4)
    assert (london["england_numerator"], london["england_denominator"]) == (212, 435)
    assert london["name"] == "London"


def test_primary_and_secondary_suppression(tmp_path):
    rows = {row["key"]: row for row in report.report(fake_run(tmp_path / "r", ROWS), "la", suppress=10)}
    city = rows["E09000001"]  # 2 of 5: small
    assert city["suppressed"] and city["suppression"] == "primary"
    assert city["numerator"] is None and city["denominator"] is None and city["value"] is None
    # the only suppressed London row would be given away by London's total: the next smallest goes too
    assert rows["E09000002"]["suppression"] == "secondary" and rows["E09000002"]["value"] is None
    assert not rows["E09000007"]["suppressed"] and rows["E09000007"]["value"] == 0.4
    assert not rows["E09000003"]["suppressed"]
    # comparators stay: the region is the sum of every authority, published or not
    assert rows["E09000007"]["region_denominator"] == 235
    assert not rows["E08000025"]["suppressed"]


def test_a_rate_whose_complement_is_small_is_suppressed(tmp_path):
    rows = report.report(
        fake_run(
            tmp_path / "r",
            [("E09000007", LONDON, 95, 100), ("E09000003", LONDON, 40, 60), ("E09000004", LONDON, 30, 60)],
        ),
        "la",
        suppress=10,
    )
    assert {row["key"]: row["suppression"] for row in rows}["E09000007"] == "primary"  # only 5 not met


def test_no_suppression_when_turned_off(tmp_path):
    rows = report.report(fake_run(tmp_path / "r", ROWS), "la", suppress=0)
    assert not any(row["suppressed"] for row in rows)


def test_the_command_prints_json_and_csv_with_the_contract_keys(tmp_path):
    folder = fake_run(tmp_path / "r", ROWS)
    runner = CliRunner()
    as_json = runner.invoke(app, ["cohort", "report", str(folder), "--by", "la", "--format", "json"])
    assert as_json.exit_code == 0, as_json.output
    parsed = json.loads(as_json.stdout)
    assert parsed and all(CONTRACT_KEYS <= set(row) for row in parsed)
    as_csv = runner.invoke(app, ["cohort", "report", str(folder), "--format", "csv"])
    table = list(csv.DictReader(io.StringIO(as_csv.stdout)))
    assert len(table) == len(parsed) and CONTRACT_KEYS <= set(table[0])
    missing = runner.invoke(app, ["cohort", "report", str(tmp_path / "nothing")])
    assert missing.exit_code == 2 and "no finished run" in missing.stderr


@pytest.mark.parametrize("by", ["la", "region", "school", "trust"])
def test_report_of_a_real_run_by_every_breakdown(tmp_path, synthetic_file, by):
    from .conftest import run_cohort

    folder, _ = run_cohort(tmp_path, synthetic_file)
    rows = report.report(folder, by, suppress=10)
    assert rows and {row["breakdown"] for row in rows} == {by}
    for row in rows:
        if not row["suppressed"] and row["kind"] == "rate" and row["denominator"]:
            assert row["value"] == round(row["numerator"] / row["denominator"], 4)


def test_by_provider_adds_up_across_authorities_with_england_alone_beside_it(tmp_path):
    """An AP provider takes placements from several authorities: its row is the sum over all of
    them, it has no region, and the providers of England form one suppression group."""
    folder = fake_run(
        tmp_path / "run",
        [
            ("E09000007", LONDON, 10, 20, "URN100001"),
            ("E08000025", WEST_MIDLANDS, 15, 19, "URN100001"),
            ("E09000007", LONDON, 30, 40, "UKPRN10000001"),
            ("E09000002", LONDON, 1, 3, "UKPRN10000002"),
            ("E09000002", LONDON, 20, 50, None),
        ],
        breakdowns=("la", "region", "provider"),
    )
    plain = {row["key"]: row for row in report.report(folder, "provider", 0)}
    assert set(plain) == {"URN100001", "UKPRN10000001", "UKPRN10000002", None}
    assert (plain["URN100001"]["numerator"], plain["URN100001"]["denominator"]) == (25, 39)
    assert plain["URN100001"]["region"] is None and plain["URN100001"]["region_value"] is None
    assert plain["URN100001"]["england_numerator"] == 76 and plain["URN100001"]["england_denominator"] == 132
    rows = {row["key"]: row for row in report.report(folder, "provider")}
    assert rows["UKPRN10000002"]["suppression"] == "primary"
    # Secondary: the next smallest provider of England (by denominator, then key) goes too.
    assert rows["URN100001"]["suppression"] == "secondary"
    assert not rows["UKPRN10000001"]["suppressed"] and rows[None]["name"] == "not recorded"
    # One authority only: its placements, whichever provider took them.
    mine = {row["key"]: row for row in report.report(folder, "provider", 0, local_authority="E09000007")}
    assert {key: (row["numerator"], row["denominator"]) for key, row in mine.items()} == {
        "URN100001": (10, 20),
        "UKPRN10000001": (30, 40),
    }


def test_a_measure_without_the_provider_breakdown_has_no_provider_rows(tmp_path):
    folder = fake_run(tmp_path / "run", [("E09000007", LONDON, 10, 20, "URN100001")])
    assert report.report(folder, "provider") == []
