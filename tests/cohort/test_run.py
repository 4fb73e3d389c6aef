"""`cohort run`: every journey's rows equal `decide`'s findings; bad journeys go to errors.jsonl
with their line; an interrupted run resumes to the same files; Parquet input equals JSON Lines."""

from __future__ import annotations

import json
from collections import defaultdict

import pyarrow.parquet as pq
import pytest

from sendrules.cohort import inputs
from sendrules.cohort.runner import Interrupted, RunConflict, RunOptions, run
from sendrules.engine.request import DecisionRequest
from sendrules.engine.term_dates import term_dates_from_data

from .conftest import AS_OF, DRAFT, child, run_cohort, write_jsonl

CONTRACT_COLUMNS = ["child", "local_authority", "rule", "trigger", "status", "due", "duty_holder"]


def _rows_by_child(folder):
    table = pq.read_table(folder / "findings.parquet").to_pylist()
    rows = defaultdict(list)
    for row in table:
        rows[row["child"]].append(row)
    return rows


@pytest.mark.parametrize("standards", ["send-ap@1.1.0", DRAFT])
def test_every_journeys_rows_equal_decide(tmp_path, synthetic_file, service, standards, library):
    journeys = [json.loads(line) for line in synthetic_file.read_text().splitlines()]
    if standards == "send-ap@1.1.0":  # the draft's vocabulary is wider: keep 1.1.0's events only
        known = {event.name for event in library.resolve(standards, AS_OF).event_types}
        for journey in journeys:
            journey["events"] = [event for event in journey["events"] if event["type"] in known]
            ids = {event["id"] for event in journey["events"]}
            journey["events"] = [
                event for event in journey["events"] if event.get("in_response_to") in (None, *ids)
            ]
    out, manifest = run_cohort(tmp_path, journeys, standards=standards)
    assert set(CONTRACT_COLUMNS) <= set(pq.read_schema(out / "findings.parquet").names)
    rows = _rows_by_child(out)
    refused = {json.loads(line)["line"] for line in (out / "errors.jsonl").read_text().splitlines()}
    compared = 0
    for line, journey in enumerate(journeys, start=1):
        try:
            decision = service.decide(DecisionRequest(journey, AS_OF, standards))
        except Exception as error:  # noqa: BLE001 -- then the run must have refused it too
            assert line in refused, f"decide refused line {line} ({error}) but the run did not"
            continue
        expected = [
            {
                "rule": f.rule,
                "trigger": f.trigger,
                "status": f.status,
                "due": f.due.isoformat() if f.due else None,
                "duty_holder": f.duty_holder,
                "satisfied_by": f.satisfied_by,
                "exception": f.exception,
                "modality": f.modality,
            }
            for f in decision.findings
        ]
        got = (
            [{key: row[key] for key in expected[0]} for row in rows[journey["child"]["id"]]]
            if expected
            else []
        )
        assert got == expected, f"line {line}"
        assert all(
            row["local_authority"] == journey["child"]["local_authority"]
            for row in rows[journey["child"]["id"]]
        )
        compared += 1
    assert compared > 200
    assert manifest["counts"]["findings"] == sum(len(found) for found in rows.values())


TERM_DATES = {
    "name": "Example Borough term dates",
    "academic_years": [
        {
            "year": "2024-2025",
            "terms": [
                {
                    "name": "summer",
                    "start": "2025-04-22",
                    "end": "2025-07-22",
                    "half_term": {"start": "2025-05-26", "end": "2025-05-30"},
                }
            ],
            "inset_days": ["2025-05-21"],
        }
    ],
}


@pytest.mark.parametrize("term_dates", [TERM_DATES, "england_term_pattern"])
def test_term_dates_give_the_rows_decide_gives_with_them(tmp_path, service, term_dates):
    journeys = [
        {
            "child": child(number),
            "events": [{"id": "x1", "type": "exclusion", "date": day, "category": "permanent"}],
        }
        for number, day in enumerate(["2025-05-16", "2025-05-19", "2025-05-20", "2025-05-27"], start=1)
    ]
    out, manifest = run_cohort(tmp_path, journeys, standards="send-ap@1.1.0", term_dates=term_dates)
    assert manifest["term_dates"] == term_dates
    rows = _rows_by_child(out)
    dues = []
    for journey in journeys:
        decision = service.decide(
            DecisionRequest(
                journey,
                AS_OF,
                "send-ap@1.1.0",
                term_dates=term_dates if isinstance(term_dates, str) else term_dates_from_data(term_dates),
            )
        )
        expected = [(f.rule, f.due.isoformat() if f.due else None, f.status) for f in decision.findings]
        got = [(row["rule"], row["due"], row["status"]) for row in rows[journey["child"]["id"]]]
        assert got == expected
        dues.append(next(due for rule, due, _ in got if rule == "exclusion.sixth_day_provision"))
    if term_dates is TERM_DATES:  # 21 May INSET; half-term 26-30 May (with the bank holiday)
        assert dues == ["2025-06-02", "2025-06-03", "2025-06-04", "2025-06-09"]
    plain, _ = run_cohort(tmp_path, journeys, name="plain", standards="send-ap@1.1.0")
    assert [row["due"] for row in _rows_by_child(plain)["T-0002"]] == ["2025-05-27"]


def test_manifest_has_the_contract_keys(tmp_path, synthetic_file, draft):
    out, manifest = run_cohort(tmp_path, synthetic_file)
    on_disk = json.loads((out / "manifest.json").read_text())
    assert on_disk == manifest
    assert on_disk["as_of"] == "2025-06-01"
    assert on_disk["standards"] == {"id": "send-ap", "version": "2.0.0-draft", "sha256": draft.sha256}
    assert set(on_disk["engine"]) >= {"version"}
    assert len(on_disk["input_sha256"]) == 64
    assert set(on_disk["counts"]) == {"journeys", "findings", "errors"}
    assert on_disk["counts"]["journeys"] == 300
    assert not (out / "parts").exists() and not (out / "run.json").exists()


def test_bad_journeys_are_reported_with_their_line_and_the_run_goes_on(tmp_path):
    good = {"child": child(1), "events": [{"id": "e1", "type": "assessment_requested", "date": "2025-01-06"}]}
    lines = [
        json.dumps(good),
        "{not json",
        json.dumps(
            {"child": child(2), "events": [{"id": "e1", "type": "assesment_requested", "date": "2025-01-06"}]}
        ),
        "",
        json.dumps([1, 2]),
        json.dumps(
            {
                "child": child(3),
                "events": [{"id": "e1", "type": "exclusion", "date": "2025-02-30", "category": "permanent"}],
            }
        ),
        json.dumps({**good, "child": child(4)}),
    ]
    path = tmp_path / "bad.jsonl"
    path.write_text("\n".join(lines) + "\n")
    out, manifest = run_cohort(tmp_path, path)
    errors = [json.loads(line) for line in (out / "errors.jsonl").read_text().splitlines()]
    assert [error["line"] for error in errors] == [2, 3, 5, 6]
    assert "not valid JSON" in errors[0]["message"]
    assert (
        "event 0 (id 'e1'), field 'type'" in errors[1]["message"]
        and "assessment_requested" in errors[1]["message"]
    )
    assert errors[1]["child"] == "T-0002"
    assert "field 'date'" in errors[3]["message"]
    assert manifest["counts"] == {"journeys": 6, "findings": 4, "errors": 4}
    assert {row["child"] for row in pq.read_table(out / "findings.parquet").to_pylist()} == {
        "T-0001",
        "T-0004",
    }


def test_an_interrupted_run_resumes_to_the_same_files(tmp_path, synthetic_file):
    small = dict(target_bytes=20_000)  # many partitions from a small cohort
    whole, _ = run_cohort(tmp_path, synthetic_file, name="whole", **small)
    options = RunOptions(
        input=synthetic_file, out=tmp_path / "resumed", as_of=AS_OF, standards=DRAFT, workers=1, **small
    )
    with pytest.raises(Interrupted) as stopped:
        run(options, stop_after=3)
    assert stopped.value.done == 3 and stopped.value.total > 6
    parts = tmp_path / "resumed" / "parts"
    assert len(list(parts.glob("*.done.json"))) == 3
    # a crash in the middle of writing a partition leaves no .done.json: it is done again
    (parts / "00003.findings.arrow.tmp").write_bytes(b"half a file")
    seen = []
    run(options, on_result=lambda result: seen.append(result.index))
    assert seen[0] == 3 and 0 not in seen, "finished partitions are not decided again"
    for name in ("findings.parquet", "measures.parquet", "errors.jsonl", "manifest.json"):
        assert (whole / name).read_bytes() == (tmp_path / "resumed" / name).read_bytes(), name
    assert run(options)["counts"]["journeys"] == 300  # a finished run is simply reported again


def test_a_folder_holding_another_run_is_refused(tmp_path, synthetic_file):
    options = RunOptions(
        input=synthetic_file, out=tmp_path / "o", as_of=AS_OF, standards=DRAFT, workers=1, target_bytes=20_000
    )
    with pytest.raises(Interrupted):
        run(options, stop_after=1)
    with pytest.raises(RunConflict, match="as_of"):
        run(
            RunOptions(
                input=synthetic_file,
                out=tmp_path / "o",
                as_of=AS_OF.replace(day=2),
                standards=DRAFT,
                workers=1,
                target_bytes=20_000,
            )
        )
    (tmp_path / "other").mkdir()
    (tmp_path / "other" / "notes.txt").write_text("mine")
    with pytest.raises(RunConflict, match="not empty"):
        run(RunOptions(input=synthetic_file, out=tmp_path / "other", as_of=AS_OF, standards=DRAFT, workers=1))


def test_parquet_input_gives_the_same_findings_as_json_lines(tmp_path, synthetic_file):
    journeys = [json.loads(line) for line in synthetic_file.read_text().splitlines()]
    parquet = tmp_path / "cohort.parquet"
    inputs.write_parquet_input(journeys, parquet)
    from_jsonl, a = run_cohort(tmp_path, synthetic_file, name="a")
    from_parquet, b = run_cohort(tmp_path, parquet, name="b", target_rows=700)
    columns = [name for name in pq.read_schema(from_jsonl / "findings.parquet").names if name != "line"]
    assert (
        pq.read_table(from_jsonl / "findings.parquet")
        .select(columns)
        .equals(pq.read_table(from_parquet / "findings.parquet").select(columns))
    )
    assert pq.read_table(from_jsonl / "measures.parquet").equals(
        pq.read_table(from_parquet / "measures.parquet")
    )
    assert a["counts"] == b["counts"] and b["input"]["format"] == "parquet"
    # The AP provider travels as a `provider` column of the placement rows, like any event field.
    providers = pq.read_table(from_parquet / "findings.parquet").column("provider").to_pylist()
    assert any(provider and provider.startswith("URN") for provider in providers)


def test_parquet_rows_of_a_child_must_be_together(tmp_path):
    events = [
        {"id": "e1", "type": "assessment_requested", "date": "2025-01-06"},
        {"id": "e2", "type": "assessment_decision", "date": "2025-02-06", "outcome": "assess"},
    ]
    journeys = [
        {"child": child(1), "events": events[:1]},
        {"child": child(2), "events": events},
        {"child": child(1), "events": events[1:]},
    ]
    path = tmp_path / "split.parquet"
    inputs.write_parquet_input(journeys, path)
    out, manifest = run_cohort(tmp_path, path)
    errors = [json.loads(line) for line in (out / "errors.jsonl").read_text().splitlines()]
    assert errors == [
        {
            "line": 4,
            "row": 4,
            "message": "the rows of child 'T-0001' are not together (rows of one child must be consecutive)",
        }
    ]
    assert manifest["counts"]["journeys"] == 3


def test_two_local_processes_write_the_same_bytes_as_one(tmp_path, synthetic_file):
    one, _ = run_cohort(tmp_path, synthetic_file, name="one", target_bytes=30_000)
    two, _ = run_cohort(tmp_path, synthetic_file, name="two", target_bytes=30_000, workers=2)
    for name in ("findings.parquet", "measures.parquet", "errors.jsonl", "manifest.json"):
        assert (one / name).read_bytes() == (two / name).read_bytes(), name


def test_a_standard_without_measures_takes_the_newest_versions_and_says_which_cannot_be_computed(tmp_path):
    journeys = [
        {
            "child": child(1),
            "events": [
                {"id": "e1", "type": "assessment_requested", "date": "2024-01-08"},
                {"id": "e2", "type": "final_plan_issued", "date": "2024-05-01"},
            ],
        }
    ]
    _, manifest = run_cohort(tmp_path, write_jsonl(tmp_path / "j.jsonl", journeys), standards="send-ap@1.1.0")
    assert manifest["measures_from"]["standards"] == DRAFT
    not_computable = {
        entry["measure"]: entry["reason"] for entry in manifest["measures_from"]["not_computable"]
    }
    assert "school_left" in not_computable["pupil_movement.unknown_destinations"]
    assert "ehc.plans_within_20_weeks" in {measure["id"] for measure in manifest["measures"]}
