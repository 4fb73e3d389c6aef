"""The Rete backend: it agrees with the reference evaluator, incrementally and under load, and
fails loudly rather than silently.

The conformance corpus also runs on both backends (tests/conformance/test_corpus.py).
"""

from __future__ import annotations

import threading
from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

pytest.importorskip("durable.engine", reason="the Rete backend needs durable-rules (scripts/setup.sh)")

from bench.cohort import cohort  # noqa: E402
from sendrules.engine import evaluator, rete  # noqa: E402
from sendrules.engine.calendar import Calendar  # noqa: E402
from sendrules.engine.canonical import canonical_json  # noqa: E402
from sendrules.engine.errors import DecisionError, EngineError, InputError  # noqa: E402
from sendrules.engine.journey import JourneyValidator  # noqa: E402
from sendrules.engine.prepared import PreparedStandard  # noqa: E402
from sendrules.engine.request import parse_request  # noqa: E402
from tests.engine.journeys import journeys  # noqa: E402

VERSIONS = ["send-ap@1.0.0", "send-ap@1.1.0", "send-ap@2.0.0-draft"]


def without_backend(decision) -> bytes:
    data = decision.to_dict()
    assert data["engine"].pop("backend") in ("reference", "rete")
    return canonical_json(data)


def both(service, request):
    """Both backends' decisions, or both backends' errors (code and message)."""
    outcomes = []
    for backend in ("reference", "rete"):
        try:
            outcomes.append(("decision", without_backend(service.decide(request, backend=backend))))
        except EngineError as error:
            outcomes.append(("error", error.code, error.message))
    return outcomes


@pytest.fixture(scope="module")
def standards(library):
    return {reference: library.resolve(reference, date(2025, 1, 1)) for reference in VERSIONS}


@pytest.mark.parametrize("reference", VERSIONS)
def test_every_rule_compiles_to_patterns(standards, reference):
    program = rete.ReteProgram(PreparedStandard(standards[reference]), rete.ReteEngine())
    names = set(program.definition)
    for rule in standards[reference].rules:
        assert f"r{program.rule_numbers[rule.id]}_trigger" in names


@pytest.mark.parametrize("reference", VERSIONS)
@settings(
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large]
)
@given(data=st.data())
def test_backends_agree_on_generated_journeys(service, standards, reference, data):
    journey, as_of, closures = data.draw(journeys(standards[reference]))
    request = parse_request(
        {"journey": journey, "as_of": as_of, "standards": reference, "school_closures": closures}
    )
    reference_outcome, rete_outcome = both(service, request)
    assert rete_outcome == reference_outcome


def test_backends_agree_on_a_seeded_cohort(service):
    """Thousands of realistic journeys, decided by both backends, byte for byte."""
    compared = 0
    for raw, as_of in cohort(3000, seed=11):
        request = parse_request({"journey": raw, "as_of": as_of})
        reference_outcome, rete_outcome = both(service, request)
        assert rete_outcome == reference_outcome, raw
        compared += 1
    assert compared == 3000


def test_the_decision_records_its_backend(service):
    raw, as_of = next(iter(cohort(1, seed=3)))
    request = parse_request({"journey": raw, "as_of": as_of})
    assert service.decide(request, backend="rete").backend == "rete"
    assert service.decide(request, backend="reference").backend == "reference"


# --- incremental sessions --------------------------------------------------------------------


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large]
)
@given(data=st.data())
def test_a_session_ends_with_the_one_shot_decision(service, standards, data):
    standard = standards["send-ap@1.1.0"]
    journey, as_of, closures = data.draw(journeys(standard, max_events=10))
    request = parse_request(
        {"journey": journey, "as_of": as_of, "standards": "send-ap@1.1.0", "school_closures": closures}
    )
    try:
        expected = without_backend(service.decide(request, backend="reference"))
    except EngineError:
        return  # journeys the engine refuses are covered above
    calendar = Calendar(request.school_closures)
    engine = service.backend_for("rete")
    with engine.session(service.prepared(standard), journey["child"], request.as_of, calendar) as session:
        for event in journey["events"]:
            session.post(event)
        assert without_backend(session.decision()) == expected


def test_findings_grow_as_events_arrive(standards):
    standard = PreparedStandard(standards["send-ap@1.1.0"])
    child = {"id": "C-1", "date_of_birth": "2015-03-14"}
    validator = standard.validator
    events = [
        {"id": "e1", "type": "assessment_requested", "date": "2025-01-06"},
        {"id": "e2", "type": "assessment_decision", "date": "2025-02-14", "outcome": "assess"},
        {"id": "e3", "type": "final_plan_issued", "date": "2025-05-23"},
    ]
    with rete.ReteEngine().session(standard, child, date(2025, 6, 1)) as session:
        statuses = []
        for count, event in enumerate(events, start=1):
            session.post(event)
            decision = session.decision()
            journey = validator.validate({"child": child, "events": events[:count]})
            one_shot = evaluator.evaluate(standard, journey, date(2025, 6, 1), Calendar())
            assert without_backend(decision) == without_backend(one_shot)
            statuses.append({f.rule: f.status for f in decision.findings})
    assert statuses[0]["ehc.final_plan"] == "overdue" and statuses[2]["ehc.final_plan"] == "met"


def test_a_session_accepts_an_answer_before_its_request(standards):
    standard = PreparedStandard(standards["send-ap@1.1.0"])
    with rete.ReteEngine().session(
        standard, {"id": "C-1", "date_of_birth": "2015-03-14"}, date(2025, 6, 1)
    ) as session:
        session.post(
            {
                "id": "a2",
                "type": "advice_received",
                "date": "2025-03-01",
                "advice": "medical",
                "in_response_to": "a1",
            }
        )
        with pytest.raises(InputError) as caught:
            session.decision()  # the link dangles until its target is posted
        assert caught.value.code == "invalid_journey"
        session.post({"id": "a1", "type": "advice_requested", "date": "2025-02-01", "advice": "medical"})
        [finding] = [f for f in session.decision().findings if f.rule == "ehc.advice_response"]
        assert (finding.status, finding.satisfied_by, finding.duty_holder) == ("met", "a2", "icb")


def test_a_session_rejects_a_bad_event_and_keeps_the_rest(standards):
    standard = PreparedStandard(standards["send-ap@1.1.0"])
    with rete.ReteEngine().session(
        standard, {"id": "C-1", "date_of_birth": "2015-03-14"}, date(2025, 6, 1)
    ) as session:
        session.post({"id": "e1", "type": "assessment_requested", "date": "2025-01-06"})
        for bad, field in (
            (
                {"id": "e2", "type": "assessment_decision", "date": "2025-02-14", "outcome": "maybe"},
                "outcome",
            ),
            ({"id": "e1", "type": "final_plan_issued", "date": "2025-02-14"}, "id"),
            ({"id": "e3", "type": "nonsense", "date": "2025-02-14"}, "type"),
        ):
            with pytest.raises(InputError) as caught:
                session.post(bad)
            assert caught.value.problems[0].field == field
            assert caught.value.problems[0].event_index == 1
        assert [f.rule for f in session.decision().findings] == ["ehc.assessment_decision", "ehc.final_plan"]
    with pytest.raises(InputError):
        session.post({"id": "e9", "type": "final_plan_issued", "date": "2025-02-14"})


# --- failures are loud -----------------------------------------------------------------------


def test_an_exception_inside_an_action_is_an_error_not_a_missing_finding(service, monkeypatch):
    class Exploding(dict):
        def setdefault(self, *args):
            raise RuntimeError("boom")

    engine = rete.ReteEngine()
    opened = engine.open

    def open_with_a_failing_action(*args):
        partition = opened(*args)
        partition.matches.candidates = Exploding()  # the joins' matches
        partition.matches.pools = Exploding()  # the pooled clauses' matches
        return partition

    monkeypatch.setattr(engine, "open", open_with_a_failing_action)
    standard = service.library.resolve("send-ap@1.1.0", date(2025, 1, 1))
    journey = JourneyValidator(standard).validate(
        {
            "child": {"id": "C", "date_of_birth": "2015-01-01"},
            "events": [
                {"id": "e1", "type": "assessment_requested", "date": "2025-01-06"},
                {"id": "e2", "type": "assessment_decision", "date": "2025-02-14", "outcome": "assess"},
            ],
        }
    )
    with pytest.raises(DecisionError) as caught:
        engine.evaluate(PreparedStandard(standard), journey, date(2025, 6, 1), Calendar())
    assert caught.value.code == "rete_action_failed" and "boom" in caught.value.message
    assert engine._partitions == {}, "the partition is deleted after a failure"


def test_a_durable_rules_error_is_an_error(service, monkeypatch):
    engine = rete.ReteEngine()
    standard = service.library.resolve("send-ap@1.1.0", date(2025, 1, 1))
    journey = JourneyValidator(standard).validate(
        {
            "child": {"id": "C", "date_of_birth": "2015-01-01"},
            "events": [{"id": "e1", "type": "assessment_requested", "date": "2025-01-06"}],
        }
    )

    def broken(*args, **kwargs):
        raise Exception("Could not assert fact, error code: 303")

    monkeypatch.setattr(engine._host, "assert_facts", broken)
    with pytest.raises(DecisionError) as caught:
        engine.evaluate(PreparedStandard(standard), journey, date(2025, 6, 1), Calendar())
    assert caught.value.code == "rete_error" and "303" in caught.value.message


def test_an_inexpressible_standard_is_refused_clearly(service):
    import dataclasses

    standard = service.library.resolve("send-ap@1.1.0", date(2025, 1, 1))
    rule = next(r for r in standard.rules if r.id == "ehc.final_plan")
    twisted = dataclasses.replace(rule, exemption=dataclasses.replace(rule.exemption, from_binding="other"))
    odd = dataclasses.replace(standard, sha256="0" * 64, rules=(twisted,))
    with pytest.raises(DecisionError) as caught:
        rete.ReteEngine().evaluate(
            PreparedStandard(odd),
            JourneyValidator(standard).validate(
                {"child": {"id": "C", "date_of_birth": "2015-01-01"}, "events": []}
            ),
            date(2025, 6, 1),
            Calendar(),
        )
    assert caught.value.code == "rete_unsupported"


# --- threads, state and hostile input -------------------------------------------------------------


def test_many_threads_deciding_at_once_get_correct_decisions(service):
    requests = [parse_request({"journey": raw, "as_of": as_of}) for raw, as_of in cohort(160, seed=21)]
    expected = [without_backend(service.decide(request, backend="reference")) for request in requests]
    results: dict[int, bytes] = {}
    errors: list[BaseException] = []

    def work(offset: int) -> None:
        try:
            for index in range(offset, len(requests), 8):
                results[index] = without_backend(service.decide(requests[index], backend="rete"))
        except BaseException as error:  # noqa: BLE001
            errors.append(error)

    threads = [threading.Thread(target=work, args=(offset,)) for offset in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert [results[index] for index in range(len(requests))] == expected


def test_state_is_deleted_after_each_decision(service):
    engine = service.backend_for("rete")
    for raw, as_of in cohort(50, seed=5):
        service.decide(parse_request({"journey": raw, "as_of": as_of}), backend="rete")
    assert engine._partitions == {}
    last_sid = f"p{next(engine._sequence) - 1}"
    program = next(iter(engine._programs.values()))
    with pytest.raises(Exception, match="309"):
        engine._host.get_state(program.name, last_sid)


def test_more_decisions_than_durable_rules_has_partitions(service):
    """durable-rules holds at most 1,024 live partitions; each decision frees its own."""
    request = parse_request(
        {
            "as_of": "2025-06-01",
            "journey": {
                "child": {"id": "C-1", "date_of_birth": "2015-03-14"},
                "events": [{"id": "e1", "type": "assessment_requested", "date": "2025-01-06"}],
            },
        }
    )
    for _ in range(1100):
        service.decide(request, backend="rete")


@settings(max_examples=80, deadline=None)
@given(text=st.text(min_size=1, max_size=500))
def test_hostile_text_cannot_reach_or_crash_the_engine(service, text):
    request = parse_request(
        {
            "as_of": "2025-06-01",
            "journey": {
                "child": {"id": "C-1", "date_of_birth": "2015-03-14"},
                "events": [
                    {
                        "id": "m1",
                        "type": "la_move_notified",
                        "date": "2025-01-06",
                        "move_date": "2025-02-01",
                        "new_local_authority": text[:2000],
                    }
                ],
            },
        }
    )
    reference_outcome, rete_outcome = both(service, request)
    assert rete_outcome == reference_outcome


# --- message ids ------------------------------------------------------------------------------


def _fnv1a32(text: str) -> int:
    """durable-rules' ``fnv1Hash32`` (FNV-1a, 32 bits), which identifies a message by its id."""
    value = 0x811C9DC5
    for byte in text.encode("ascii"):
        value = ((value ^ byte) * 16777619) & 0xFFFFFFFF
    return value


def test_message_ids_cannot_collide_in_durable_rules():
    """durable-rules refuses a fact whose id hashes like one already in the partition ("already
    observed") without comparing the ids themselves: a 30,000-event journey failed that way when
    facts were known by a hash of their content. The ids we send (0 for the delete message, then
    1, 2, 3, …) hash apart up to the bound the engine enforces."""
    hashes = {_fnv1a32(str(number)) for number in range(rete.FACT_IDS_WITHOUT_COLLISION + 1)}
    assert len(hashes) == rete.FACT_IDS_WITHOUT_COLLISION + 1
    assert _fnv1a32(str(797_186)) in hashes, "the bound is the last id before the first collision"


def test_a_journey_past_the_bound_is_refused_not_misjudged(service, monkeypatch):
    monkeypatch.setattr(rete, "FACT_IDS_WITHOUT_COLLISION", 3)
    standard = service.library.resolve("send-ap@1.1.0", date(2025, 1, 1))
    journey = JourneyValidator(standard).validate(
        {
            "child": {"id": "C", "date_of_birth": "2015-01-01"},
            "events": [
                {"id": f"e{number}", "type": "assessment_requested", "date": f"2025-01-0{number + 1}"}
                for number in range(4)
            ],
        }
    )
    engine = rete.ReteEngine()
    with pytest.raises(DecisionError) as caught:
        engine.evaluate(PreparedStandard(standard), journey, date(2025, 6, 1), Calendar())
    assert caught.value.code == "rete_journey_too_long"
    assert engine._partitions == {}, "the partition is deleted after a refusal"
