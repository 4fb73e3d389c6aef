"""Issue 12 #5: what cannot be true is refused, not silently accepted. A key written twice in
one JSON object (which value was meant cannot be known), an event dated before the child was
born, a whole number past what JSON exchanges exactly, a count of school days longer than a
year: each is refused with its location (the event and the field), by the command line (exit 2)
and over HTTP (422 problem+json) alike. docs/semantics.md (Validation) states each bound."""

from __future__ import annotations

import copy
import json
from datetime import date

import pytest

from sendrules.engine.errors import InputError
from sendrules.engine.journey import MAX_SCHOOL_DAYS, MAX_WHOLE_NUMBER
from sendrules.engine.library import StandardsLibrary
from sendrules.engine.request import parse_json_bytes, parse_request
from sendrules.engine.service import DecisionService
from tests.api.conftest import EXAMPLE, ROOT
from tests.cli.test_cli import run
from tests.hostile.http_helpers import post_raw, service  # noqa: F401

DUPLICATE_DATE = (
    b'{"child": {"id": "C-1", "date_of_birth": "2015-01-01"},\n'
    b' "events": [{"id": "e1", "type": "assessment_requested", "date": "2025-01-06",'
    b' "date": "2025-01-07"}]}'
)


def refused(payload: dict) -> InputError:
    """The error deciding ``payload`` (a request) raises; fails if it is decided."""
    with pytest.raises(InputError) as caught:
        DecisionService(StandardsLibrary()).decide(parse_request(payload))
    return caught.value


def decided(payload: dict) -> None:
    assert DecisionService(StandardsLibrary()).decide(parse_request(payload)).findings is not None


def with_event(**fields) -> dict:
    journey = copy.deepcopy(EXAMPLE)
    journey["events"].append({"id": "x1", "type": "exclusion", "date": "2025-01-08", **fields})
    return journey


def request(journey: dict) -> dict:
    return {"journey": journey, "as_of": "2025-06-01"}


# --- duplicate keys ----------------------------------------------------------------------------


def test_a_key_twice_in_an_event_names_the_event_and_the_key():
    with pytest.raises(InputError) as caught:
        parse_json_bytes(DUPLICATE_DATE, "journey file j.json", "j.json", root="journey")
    [problem] = caught.value.problems
    assert problem.location == "journey.events[0].date"
    assert (problem.event_index, problem.event_id, problem.field) == (0, "e1", "date")
    assert "duplicate key 'date'" in problem.message


@pytest.mark.parametrize(
    "body, location",
    [
        (b'{"as_of": "2025-06-01", "journey": {}, "as_of": "2025-06-02"}', "as_of"),
        (b'{"journey": {"child": {"id": "a", "id": "b"}}}', "journey.child.id"),
        (
            b'{"school_closures": [{"from": "2025-01-01", "to": "2025-01-02", "from": "2025-01-03"}]}',
            "school_closures[0].from",
        ),
        (b'[{"a": 1}, {"b": [1, {"c": 1, "c": 1}]}]', "[1].b[1].c"),
    ],
)
def test_a_key_twice_anywhere_is_located_by_its_json_path(body, location):
    with pytest.raises(InputError) as caught:
        parse_json_bytes(body, "the body", "body")
    assert [problem.location for problem in caught.value.problems] == [location]


def test_a_key_twice_deep_inside_nesting_is_located_without_recursion():
    depth = 900  # within the parser's limit; the search for the object must not recurse
    body = b'{"a": ' * depth + b'{"k": 1, "k": 2}' + b"}" * depth
    with pytest.raises(InputError) as caught:
        parse_json_bytes(body, "the body", "body")
    assert caught.value.problems[0].location == "a" + ".a" * (depth - 1) + ".k"


def test_many_duplicates_are_listed_boundedly_and_a_huge_key_is_quoted_by_a_prefix():
    objects = ",".join('{"k": 1, "k": 2}' for _ in range(500))
    with pytest.raises(InputError) as caught:
        parse_json_bytes(f"[{objects}]".encode(), "the body", "body")
    assert len(caught.value.problems) == 20
    key = "k" * 1_000_000
    with pytest.raises(InputError) as caught:
        parse_json_bytes(json.dumps({key: 1}).replace("}", f', "{key}": 2}}').encode(), "the body", "body")
    assert len(caught.value.describe()) < 1_000


def test_the_same_key_in_different_objects_is_not_a_duplicate():
    assert (
        parse_json_bytes(b'[{"id": 1}, {"id": 2, "child": {"id": 3}}]', "the body", "body")[1]["child"]["id"]
        == 3
    )


def test_the_cli_refuses_a_journey_with_a_key_twice(tmp_path):
    path = tmp_path / "journey.json"
    path.write_bytes(DUPLICATE_DATE)
    result = run("decide", path, "--as-of", "2025-06-01")
    assert result.returncode == 2
    assert "event 0 (id 'e1'), field 'date': duplicate key 'date'" in result.stderr
    as_json = run("decide", path, "--as-of", "2025-06-01", "--format", "json")
    assert as_json.returncode == 2
    assert json.loads(as_json.stderr)["error"]["errors"][0]["location"] == "journey.events[0].date"


def test_the_cli_refuses_school_closures_with_a_key_twice(tmp_path):
    closures = tmp_path / "closures.json"
    closures.write_text('[{"from": "2025-04-07", "to": "2025-04-21", "to": "2025-04-22"}]')
    result = run(
        "decide", ROOT / "examples" / "journey.json", "--as-of", "2025-06-01", "--school-closures", closures
    )
    assert result.returncode == 2 and "school_closures[0].to" in result.stderr


def test_http_refuses_a_key_twice_with_a_located_422(service):
    body = b'{"journey": ' + DUPLICATE_DATE + b', "as_of": "2025-06-01"}'
    response = post_raw(service, body)
    assert response.status_code == 422 and response.headers["content-type"] == "application/problem+json"
    [error] = response.json()["errors"]
    assert (
        error["location"] == "journey.events[0].date"
        and error["event_id"] == "e1"
        and error["field"] == "date"
    )
    twice = post_raw(service, b'{"journey": {}, "as_of": "2025-06-01", "as_of": "2025-06-02"}')
    assert twice.status_code == 422 and twice.json()["errors"][0]["location"] == "as_of"


def test_a_batch_line_with_a_key_twice_fails_alone(service):
    good = json.dumps(request(EXAMPLE)).encode()
    bad = b'{"journey": ' + DUPLICATE_DATE.replace(b"\n", b"") + b', "as_of": "2025-06-01"}'
    response = service.client.post(
        "/v1/decisions/batch",
        content=b"\n".join([good, bad]),
        headers={**service.headers("caseworker"), "content-type": "application/x-ndjson"},
    )
    assert response.status_code == 200
    lines = [json.loads(line) for line in response.text.splitlines()]
    assert [line["status"] for line in lines] == [201, 422]
    assert lines[1]["error"]["errors"][0]["location"] == "journey.events[0].date"


# --- values that cannot be true -------------------------------------------------------------------


@pytest.mark.parametrize(
    "school_days, says",
    [
        (10**18, "too large to be a count"),
        (MAX_WHOLE_NUMBER + 1, "too large to be a count"),
        (MAX_SCHOOL_DAYS + 1, "longer than a year"),
        (10_000, "longer than a year"),
    ],
)
def test_school_days_beyond_a_year_are_refused_naming_the_event_and_field(school_days, says):
    error = refused(request(with_event(category="suspension", school_days=school_days)))
    [problem] = error.problems
    assert (problem.location, problem.event_id, problem.field) == (
        "journey.events[11].school_days",
        "x1",
        "school_days",
    )
    assert says in problem.message and len(problem.message) < 200


def test_school_days_up_to_a_year_are_accepted():
    decided(request(with_event(category="suspension", school_days=MAX_SCHOOL_DAYS)))
    decided(request(with_event(category="suspension", school_days=1)))


def test_an_event_before_the_date_of_birth_is_refused_and_one_on_it_accepted():
    journey = copy.deepcopy(EXAMPLE)
    journey["child"]["date_of_birth"] = "2025-02-15"
    error = refused(request(journey))
    before = [event["id"] for event in EXAMPLE["events"] if event["date"] < "2025-02-15"]
    assert [problem.event_id for problem in error.problems] == before
    assert {problem.field for problem in error.problems} == {"date"}
    assert "before the child's date of birth (2025-02-15)" in error.problems[0].message
    journey["child"]["date_of_birth"] = min(event["date"] for event in EXAMPLE["events"])
    decided(request(journey))


def test_a_date_of_birth_after_every_event_is_refused_by_cli_and_http(tmp_path, service):
    journey = copy.deepcopy(EXAMPLE)
    journey["child"]["date_of_birth"] = "2030-01-01"
    path = tmp_path / "journey.json"
    path.write_text(json.dumps(journey))
    result = run("decide", path, "--as-of", "2025-06-01")
    assert result.returncode == 2 and "event 0 (id 'e1'), field 'date'" in result.stderr
    response = service.decide(journey=journey)
    assert response.status_code == 422 and response.json()["code"] == "invalid_journey"
    assert response.json()["errors"][0]["location"] == "journey.events[0].date"


def test_school_days_past_a_year_are_refused_by_cli_and_http(tmp_path, service):
    journey = with_event(category="suspension", school_days=10**18)
    path = tmp_path / "journey.json"
    path.write_text(json.dumps(journey))
    result = run("decide", path, "--as-of", "2025-06-01")
    assert result.returncode == 2 and "event 11 (id 'x1'), field 'school_days'" in result.stderr
    response = service.decide(journey=journey)
    assert response.status_code == 422
    assert response.json()["errors"][0]["location"] == "journey.events[11].school_days"


def test_a_rete_session_refuses_an_implausible_event_when_it_is_posted(library):
    from sendrules.engine.prepared import PreparedStandard
    from sendrules.engine.rete import ReteEngine

    prepared = PreparedStandard(library.resolve("send-ap@1.1.0", date(2025, 1, 1)))
    with ReteEngine().session(
        prepared, {"id": "C-1", "date_of_birth": "2015-01-01"}, date(2025, 6, 1)
    ) as session:
        with pytest.raises(InputError) as caught:
            session.post(
                {
                    "id": "x1",
                    "type": "exclusion",
                    "date": "2025-01-08",
                    "category": "suspension",
                    "school_days": 10**18,
                }
            )
        assert caught.value.problems[0].location == "journey.events[0].school_days"
        session.post({"id": "x2", "type": "exclusion", "date": "2014-01-08", "category": "permanent"})
        with pytest.raises(InputError) as caught:
            session.decision()  # (before the child's birth: known only with the whole journey)
        assert caught.value.problems[0].location == "journey.events[0].date"


def _validator(**fields):
    """A validator for a one-type vocabulary (``absence`` with the given integer fields)."""
    from types import SimpleNamespace

    from sendrules.dsl import ir
    from sendrules.engine.journey import JourneyValidator

    event_type = ir.EventType(
        "absence", "test", tuple((name, ir.FieldType("integer", **bounds)) for name, bounds in fields.items())
    )
    return JourneyValidator(SimpleNamespace(event_types=(event_type,)))  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "fields, value, refused_as",
    [
        (
            {"missed_school_days": {}},
            MAX_SCHOOL_DAYS + 1,
            "longer than a year",
        ),  # (a name ending _school_days)
        ({"missed_school_days": {}}, MAX_SCHOOL_DAYS, None),
        ({"school_days": {"maximum": 1000}}, 999, None),  # a standard's own maximum decides
        ({"school_days": {"maximum": 1000}}, 1001, "less than or equal to 1000"),
        ({"hours": {}}, 5_000, None),  # not a count of school days: only the I-JSON bound
        ({"hours": {}}, -(MAX_WHOLE_NUMBER + 1), "too large"),
    ],
)
def test_the_school_day_bound_applies_to_counts_of_school_days_the_standard_leaves_unbounded(
    fields, value, refused_as
):
    [name] = fields
    journey = {
        "child": {"id": "C-1", "date_of_birth": "2015-01-01"},
        "events": [{"id": "a1", "type": "absence", "date": "2025-01-06", name: value}],
    }
    if refused_as is None:
        assert _validator(**fields).validate(journey).events[0].fields[name] == value
    else:
        with pytest.raises(InputError) as caught:
            _validator(**fields).validate(journey)
        assert refused_as in caught.value.problems[0].message
        assert caught.value.problems[0].location == f"journey.events[0].{name}"


def test_a_logged_decision_replays_although_its_journey_would_now_be_refused():
    """The release log holds a decision (conformance case C-400) whose only event predates the
    child's birth; replay must still reproduce it (tests/decisionlog/test_release_logs.py)."""
    journey = copy.deepcopy(EXAMPLE)
    journey["child"]["date_of_birth"] = "2030-01-01"
    refused(request(journey))
    service = DecisionService(StandardsLibrary())
    replayed = service.decide(parse_request(request(journey)), logged=True)  # (refused, it would raise)
    assert "ehc.final_plan" in {finding.rule for finding in replayed.findings}


def test_a_number_too_long_to_print_is_still_refused_with_a_short_message():
    """JSON input cannot carry it (parse_json_bytes refuses it first), a library caller can."""
    error = refused(request(with_event(category="suspension", school_days=10**5000)))
    assert "more than 4,000 digits" in error.problems[0].message
