"""`cohort compare`, `cohort due` and `cohort synth`."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date

from typer.testing import CliRunner

from sendrules.api.cli import app
from sendrules.cohort import compare, due, synth
from sendrules.engine.journey import JourneyValidator

from .conftest import AS_OF, child, write_jsonl


def two_children_with_needs(tmp_path):
    """Two children whose needs were identified at level 1 in mainstream on 3 September 2029
    (JSON Lines): SEN support started for the first within 4 weeks, and not for the second, whose
    needs were identified again at level 2 in January 2030. The draft's proposed national standard
    (support within 4 weeks of identification, from 1 September 2029) finds both; 1.3.0 neither."""

    def needs(event_id, day, level):
        return {
            "id": event_id,
            "type": "needs_identified",
            "date": day,
            "primary_need": "SLCN",
            "level": level,
            "setting": "mainstream",
        }

    return write_jsonl(
        tmp_path / "c.jsonl",
        [
            {
                "child": child(1, born="2021-03-04"),
                "events": [
                    needs("e1", "2029-09-03", 1),
                    {"id": "e2", "type": "sen_support_started", "date": "2029-09-20"},
                ],
            },
            {
                "child": child(2, born="2021-10-04"),
                "events": [needs("e1", "2029-09-03", 1), needs("e2", "2030-01-06", 2)],
            },
        ],
    )


def test_compare_counts_what_a_new_version_changes(tmp_path):
    path = two_children_with_needs(tmp_path)
    result = compare.compare(path, "send-ap@1.3.0", "send-ap@2.0.0-draft", date(2030, 6, 1), workers=1)
    support = next(
        row for row in result["rules_england"] if row["rule"] == "standards.support_after_identification"
    )
    assert (support["findings_a"], support["findings_b"], support["disappear"], support["appear"]) == (
        0,
        2,
        0,
        2,
    )
    # a rule both versions share decides the same
    review = next(row for row in result["rules_england"] if row["rule"] == "sen_support.review_cycle")
    assert (review["findings_a"], review["findings_b"], review["disappear"], review["appear"]) == (1, 1, 0, 0)
    # the draft's Band 1 is 2,000 pounds instead of 1,600 (the second child; the first is at SEN support)
    assert result["tariff_england"] == {
        "a": 1600,
        "b": 2000,
        "change": 400,
        "unit": "pounds",
        "illustrative": True,
    }
    assert result["refused"] == {"a_only": 0, "b_only": 0, "both": 0}


def test_compare_command_prints_a_table(tmp_path, library):
    path = tmp_path / "cohort.jsonl"
    with path.open("wb") as sink:
        synth.write_jsonl(200, 4, library.resolve("send-ap@1.1.0", AS_OF), sink)
    result = CliRunner().invoke(
        app,
        [
            "cohort",
            "compare",
            str(path),
            "--standards",
            "send-ap@1.1.0",
            "--vs",
            "2.0.0-draft",
            "--as-of",
            "2025-06-01",
            "--workers",
            "1",
        ],
    )
    assert result.exit_code == 0, result.output
    assert "ehc.annual_review" in result.stdout and "Tariff cost" in result.stdout


def test_due_lists_open_duties_soonest_first(tmp_path):
    journeys = [
        {
            "child": child(1, la="E09000007"),
            "events": [{"id": "e1", "type": "assessment_requested", "date": "2025-04-28"}],
        },
        {
            "child": child(2, la="E08000025"),
            "events": [{"id": "e1", "type": "assessment_requested", "date": "2025-04-21"}],
        },
        {
            "child": child(3, la="E09000007"),
            "events": [{"id": "e1", "type": "assessment_requested", "date": "2025-01-06"}],
        },
    ]
    path = write_jsonl(tmp_path / "caseload.jsonl", journeys)
    rows, refused = due.due(path, date(2025, 6, 1), due.parse_within("14d"))
    assert refused == []
    assert [(row["child"], row["rule"], row["status"], row["due"]) for row in rows] == [
        ("T-0003", "ehc.assessment_decision", "overdue", "2025-02-17"),
        ("T-0003", "ehc.final_plan", "overdue", "2025-05-26"),
        ("T-0002", "ehc.assessment_decision", "pending", "2025-06-02"),
        ("T-0001", "ehc.assessment_decision", "pending", "2025-06-09"),
    ]
    only_camden, _ = due.due(path, date(2025, 6, 1), due.parse_within("2w"), ["202"])
    assert {row["child"] for row in only_camden} == {"T-0001", "T-0003"}
    result = CliRunner().invoke(
        app, ["cohort", "due", str(path), "--as-of", "2025-06-01", "--within", "14d", "--format", "json"]
    )
    assert result.exit_code == 0 and len(json.loads(result.stdout)) == 4
    bad = CliRunner().invoke(
        app, ["cohort", "due", str(path), "--as-of", "2025-06-01", "--within", "fortnight"]
    )
    assert bad.exit_code == 2 and "14d" in bad.stderr


def test_synth_gives_the_same_bytes_for_the_same_seed():
    command = [
        sys.executable,
        "-m",
        "sendrules.api.cli",
        "cohort",
        "synth",
        "--children",
        "200",
        "--seed",
        "5",
    ]
    first = subprocess.run(command, capture_output=True, check=True).stdout
    second = subprocess.run(command, capture_output=True, check=True).stdout
    other = subprocess.run(command[:-1] + ["6"], capture_output=True, check=True).stdout
    assert first == second and first != other
    assert len(first.splitlines()) == 200
    longer = subprocess.run(command[:6] + ["300", "--seed", "5"], capture_output=True, check=True).stdout
    assert longer.startswith(first), "the first N children of a larger cohort are the same N children"


def test_synthetic_journeys_are_valid_and_invented(library):
    for reference in ("send-ap@1.1.0", "send-ap@2.0.0-draft"):
        standard = library.resolve(reference, AS_OF)
        validator = JourneyValidator(standard)
        for journey in synth.cohort(300, 3, standard):
            validator.validate(journey)
            assert journey["child"]["id"].startswith("SYN-3-")
    assert all(rate.source for rate in synth.RATES.values())


def test_providers_leave_every_other_draw_of_the_cohort_as_it_was(library):
    """A placement's provider comes from its own generator: the draft's cohort (whose
    vocabulary names providers) is the same as without them, provider apart."""
    draft = library.resolve("send-ap@2.0.0-draft", AS_OF)
    known = {event_type.name for event_type in draft.event_types}
    authorities = synth.all_authorities()
    providers = set()
    for number in range(400):
        with_provider = synth.child_journey(7, number, known, authorities, True)
        without = synth.child_journey(7, number, known, authorities, False)
        for event in with_provider["events"]:
            if event["type"] == "ap_placement_started" and "provider" in event:
                providers.add(event.pop("provider"))
        assert with_provider == without
    assert providers and all(p.startswith(("URN", "UKPRN")) for p in providers)
    v110 = library.resolve("send-ap@1.1.0", AS_OF)
    assert not any(
        "provider" in event for journey in synth.cohort(400, 7, v110) for event in journey["events"]
    ), "a vocabulary without the field gets none"
