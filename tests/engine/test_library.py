"""Choosing the standards version and building it; content hashes."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from sendrules.engine.errors import InputError, StandardsError
from sendrules.engine.library import StandardsLibrary, parse_reference
from tests.dsl.helpers import copy_pack, edit


def two_versions(tmp_path, second_status="published", first_to="2026-08-31\n", second_from="2026-09-01"):
    first = copy_pack(tmp_path, "1.0.0")
    if first_to:
        edit(
            first / "manifest.yaml",
            "effective_from: 2014-09-01\n",
            f"effective_from: 2014-09-01\neffective_to: {first_to}",
        )
    second = copy_pack(tmp_path, "2.0.0")
    edit(second / "manifest.yaml", "status: published", f"status: {second_status}")
    edit(second / "manifest.yaml", "effective_from: 2014-09-01", f"effective_from: {second_from}")
    return StandardsLibrary(tmp_path)


def test_the_version_in_force_on_as_of_is_chosen(tmp_path):
    library = two_versions(tmp_path)
    assert library.resolve(None, date(2026, 8, 31)).version == "1.0.0"
    assert library.resolve("send-ap", date(2026, 9, 1)).version == "2.0.0"
    assert library.resolve("send-ap@1.0.0", date(2030, 1, 1)).version == "1.0.0"


def test_a_draft_is_only_used_when_named(tmp_path):
    library = two_versions(tmp_path, second_status="draft", first_to=None)
    assert library.resolve(None, date(2027, 1, 1)).version == "1.0.0"
    assert library.resolve("send-ap@2.0.0", date(2027, 1, 1)).status == "draft"


def test_overlapping_published_versions_are_an_error(tmp_path):
    library = two_versions(tmp_path, first_to=None)
    with pytest.raises(StandardsError) as caught:
        library.resolve(None, date(2027, 1, 1))
    assert caught.value.code == "overlapping_versions"
    [diagnostic] = library.overlap_diagnostics()
    assert diagnostic.code == "overlapping_versions"
    assert diagnostic.file == "send-ap/2.0.0/manifest.yaml" and diagnostic.yaml_path == "effective_from"
    assert diagnostic.line is not None


def test_no_version_in_force(library):
    with pytest.raises(StandardsError) as caught:
        library.resolve(None, date(2014, 8, 31))
    assert caught.value.code == "no_standards_in_force"
    assert library.resolve(None, date(2014, 9, 1)).version == "1.5.0"


def corrected_encoding(tmp_path, supersedes="1.0.0"):
    """1.0.0 and a corrected 1.1.0 covering the same dates, both published."""
    copy_pack(tmp_path, "1.0.0")
    second = copy_pack(tmp_path, "1.1.0")
    edit(
        second / "manifest.yaml",
        "effective_from: 2014-09-01\n",
        f"effective_from: 2014-09-01\nsupersedes: {supersedes}\n",
    )
    return StandardsLibrary(tmp_path)


def test_a_newer_encoding_of_the_same_law_is_chosen_for_every_date_it_covers(tmp_path):
    """Two time axes: both versions cover 2014 onwards (law in force); the newer encoding, which
    supersedes the older, decides new cases; the older one is still used when named (replay)."""
    library = corrected_encoding(tmp_path)
    assert library.overlap_diagnostics() == []
    assert library.resolve(None, date(2014, 9, 1)).version == "1.1.0"
    assert library.resolve("send-ap", date(2030, 1, 1)).version == "1.1.0"
    assert library.resolve("send-ap@1.0.0", date(2020, 1, 1)).version == "1.0.0"


def test_overlap_without_supersedes_is_still_an_error(tmp_path):
    library = corrected_encoding(tmp_path, supersedes="0.9.0")
    with pytest.raises(StandardsError) as caught:
        library.resolve(None, date(2020, 1, 1))
    assert caught.value.code == "overlapping_versions"
    assert [d.code for d in library.overlap_diagnostics()] == ["overlapping_versions"]


def test_a_newer_encoding_does_not_cover_dates_before_its_own_start(tmp_path):
    copy_pack(tmp_path, "1.0.0")
    second = copy_pack(tmp_path, "1.1.0")
    edit(
        second / "manifest.yaml",
        "effective_from: 2014-09-01\n",
        "effective_from: 2016-01-01\nsupersedes: 1.0.0\n",
    )
    library = StandardsLibrary(tmp_path)
    assert library.resolve(None, date(2015, 12, 31)).version == "1.0.0"
    assert library.resolve(None, date(2016, 1, 1)).version == "1.1.0"


def test_the_bundled_default_is_the_corrected_encoding_and_older_ones_replay(library):
    # 1.5.0 ends the chain 1.1.0 <- 1.2.0 <- 1.3.0 <- 1.4.0 <- 1.5.0, all covering 2014 onwards
    assert library.resolve(None, date(2025, 1, 1)).version == "1.5.0"
    assert library.resolve("send-ap", date(2014, 9, 1)).version == "1.5.0"
    assert library.resolve("send-ap@1.4.0", date(2025, 1, 1)).version == "1.4.0"
    assert library.resolve("send-ap@1.3.0", date(2025, 1, 1)).version == "1.3.0"
    assert library.resolve("send-ap@1.2.0", date(2025, 1, 1)).version == "1.2.0"
    assert library.resolve("send-ap@1.1.0", date(2025, 1, 1)).version == "1.1.0"
    assert library.overlap_diagnostics() == []


@pytest.mark.parametrize(
    "reference, code",
    [
        ("send-ap@9.9.9", "unknown_standards"),
        ("nonesuch", "unknown_standards"),
    ],
)
def test_unknown_standards(library, reference, code):
    with pytest.raises(StandardsError) as caught:
        library.resolve(reference, date(2025, 1, 1))
    assert caught.value.code == code


@pytest.mark.parametrize("reference", ["send-ap@", "send-ap@1", "SEND-AP", "send ap", "@1.0.0"])
def test_malformed_references(reference):
    with pytest.raises(InputError) as caught:
        parse_reference(reference)
    assert caught.value.code == "invalid_standards_reference"


def test_a_broken_pack_is_refused_with_its_diagnostics(tmp_path):
    folder = copy_pack(tmp_path)
    edit(
        folder / "ehc.rules",
        "  expect final_plan_issued after request\n",
        "  expect final_plan_isued after request\n",
    )
    with pytest.raises(StandardsError) as caught:
        StandardsLibrary(tmp_path).resolve(None, date(2025, 1, 1))
    assert caught.value.code == "invalid_standards"
    assert "ehc.rules:52:10: unknown_event_type" in caught.value.describe()


def test_the_content_hash_ignores_line_endings_and_folder_location(tmp_path):
    copy_pack(tmp_path / "b")
    bundled = StandardsLibrary(tmp_path / "b").resolve(None, date(2025, 1, 1)).sha256
    folder = copy_pack(tmp_path / "a")
    for path in folder.iterdir():
        path.write_bytes(path.read_bytes().replace(b"\n", b"\r\n"))
    assert StandardsLibrary(tmp_path / "a").resolve(None, date(2025, 1, 1)).sha256 == bundled


def test_the_content_hash_changes_with_content(tmp_path):
    copy_pack(tmp_path / "b")
    bundled = StandardsLibrary(tmp_path / "b").resolve(None, date(2025, 1, 1)).sha256
    tmp_path = tmp_path / "c"
    folder = copy_pack(tmp_path)
    edit(folder / "parameters.yaml", "    2014-09-01: 20\n", "    2014-09-01: 21\n")
    changed = StandardsLibrary(tmp_path).resolve(None, date(2025, 1, 1))
    assert changed.sha256 != bundled
    assert changed.parameter("ehc.final_plan_weeks").value_at(date(2025, 1, 1)) == 21


def test_notes_and_features_are_not_part_of_the_hash(tmp_path):
    copy_pack(tmp_path / "b")
    bundled = StandardsLibrary(tmp_path / "b").resolve(None, date(2025, 1, 1)).sha256
    folder = copy_pack(tmp_path)
    (folder / "README.md").write_text("notes for the policy team\n")
    assert StandardsLibrary(tmp_path).resolve(None, date(2025, 1, 1)).sha256 == bundled


def test_dated_parameters_are_read_at_the_trigger_date(tmp_path, service):
    """A change of a time limit applies to clocks that start on or after its date."""
    from sendrules.engine.request import parse_request
    from sendrules.engine.service import DecisionService

    folder = copy_pack(tmp_path)
    edit(folder / "parameters.yaml", "    2014-09-01: 20\n", "    2014-09-01: 20\n    2025-03-01: 18\n")
    local = DecisionService(StandardsLibrary(tmp_path))
    journey = {
        "child": {"id": "C-1", "date_of_birth": "2015-01-01"},
        "events": [
            {"id": "old", "type": "assessment_requested", "date": "2025-02-28"},
            {"id": "new", "type": "assessment_requested", "date": "2025-03-01"},
        ],
    }
    decision = local.decide(parse_request({"journey": journey, "as_of": "2025-03-02"}))
    due = {(f.rule, f.trigger): (f.due, dict(f.parameters)) for f in decision.findings}
    assert due[("ehc.final_plan", "old")] == (date(2025, 7, 18), {"ehc.final_plan_weeks": 20})
    assert due[("ehc.final_plan", "new")] == (date(2025, 7, 5), {"ehc.final_plan_weeks": 18})


def test_a_clock_that_starts_before_a_parameter_exists_is_an_error(service):
    from sendrules.engine.errors import DecisionError
    from sendrules.engine.request import parse_request

    journey = {
        "child": {"id": "C-1", "date_of_birth": "2005-01-01"},
        "events": [{"id": "e1", "type": "assessment_requested", "date": "2014-08-01"}],
    }
    with pytest.raises(DecisionError) as caught:
        service.decide(parse_request({"journey": journey, "as_of": "2015-01-01"}))
    assert caught.value.code == "parameter_not_in_force"
    assert "e1" in caught.value.message


def test_a_broken_manifest_is_reported_with_its_own_errors_not_as_nothing_in_force(tmp_path):
    """Issue 12 #9: a pack whose manifest cannot be read was reported as "no published version
    in force ... (unknown, from None)" instead of what is wrong with it."""
    import shutil

    from sendrules import BUNDLED_STANDARDS
    from sendrules.engine.errors import StandardsError

    folder = tmp_path / "send-ap" / "1.1.0"
    shutil.copytree(Path(BUNDLED_STANDARDS) / "send-ap" / "1.1.0", folder)
    (folder / "manifest.yaml").write_text("title: a manifest cut short\n", encoding="utf-8")
    with pytest.raises(StandardsError) as caught:
        StandardsLibrary(tmp_path).resolve(None, date(2025, 6, 1))
    assert caught.value.code == "invalid_standards"
    assert "send-ap/1.1.0/manifest.yaml:1:1: missing_key" in caught.value.rendered
