"""Rules language 3: time-limit exceptions scoped to the grounds the law lists
(``exempt TYPE where ... between NAME and due``, engine/exceptions.py), on both backends.

The statuses and dates are in tests/conformance/cases/90_scoped_exceptions_1_4_0.yaml; these
tests check what the corpus cannot: the explanation names the exception relied on, says it is
the recorder's claim, and how long after the due date the work was done; and a language-1/2
pack keeps its explanation word for word."""

from __future__ import annotations

import pytest

from sendrules.engine.request import parse_request

BACKENDS = ["reference", "rete"]
CHILD = {"id": "C-901", "date_of_birth": "2016-04-04", "local_authority": "E09000033"}


def _explanation(service, version: str, events: list[dict[str, object]], backend: str) -> str:
    request = {
        "journey": {"child": CHILD, "events": events},
        "as_of": "2025-07-01",
        "standards": f"send-ap@{version}",
    }
    decision = service.decide(parse_request(request), backend=backend)
    [finding] = [f for f in decision.findings if f.rule == "ehc.final_plan"]
    return finding.explanation.render()


LATE_WITH_EXCEPTION = [
    {"id": "r1", "type": "assessment_requested", "date": "2025-01-06"},
    {"id": "x1", "type": "time_limit_exception", "date": "2025-03-03", "reason": "absence_from_area"},
    {"id": "f1", "type": "final_plan_issued", "date": "2025-06-10"},
]


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_scoped_exemption_names_the_exception_and_says_it_is_a_claim(service, backend):
    text = _explanation(service, "1.4.0", LATE_WITH_EXCEPTION, backend)
    assert text == (
        "Issue the final EHC plan: exempt; the time limit was missed (late, due 2025-05-26 "
        "(20 weeks of assessment_requested r1 on 2025-01-06)), but the exception "
        "time_limit_exception x1 on 2025-03-03 on the ground 'absence_from_area' is one this rule "
        "accepts (a ground its regulation lists), so the time limit need not be met. The ground is "
        "the recorder's claim; the engine did not verify it. The duty itself remains, as soon as "
        "practicable: it was done 15 days after the due date (final_plan_issued f1 on 2025-06-10)."
    )


@pytest.mark.parametrize("backend", BACKENDS)
def test_an_outstanding_duty_says_how_long_after_the_due_date(service, backend):
    text = _explanation(service, "1.4.0", LATE_WITH_EXCEPTION[:2], backend)
    assert text.endswith("it was still not done on 2025-07-01, 36 days after the due date.")


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_language_2_pack_keeps_its_explanation(service, backend):
    text = _explanation(service, "1.3.0", LATE_WITH_EXCEPTION, backend)
    assert text.endswith(
        "time_limit_exception x1 on 2025-03-03 (absence_from_area) means it need not be met."
    )


# --- the two backends agree on journeys built around the language-3 constructs --------------

from datetime import date, timedelta  # noqa: E402

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from sendrules.engine.canonical import canonical_json  # noqa: E402
from sendrules.engine.errors import EngineError  # noqa: E402

#: Days around the edges the constructs care about: SI 2020/471's dates, a due date, a window start.
_ANCHORS = [date(2020, 3, 2), date(2020, 5, 1), date(2020, 9, 25), date(2025, 1, 6), date(2025, 9, 1)]
_REASONS = [
    "institution_closure",
    "early_years_closure",
    "exceptional_personal_circumstances",
    "absence_from_area",
    "coronavirus",
]
_ADVICE_REASONS = ["exceptional_circumstances", "absence_from_area", "missed_appointment", "coronavirus"]


@st.composite
def _journeys(draw):
    anchor = draw(st.sampled_from(_ANCHORS))  # one period per journey, so its events interact

    def day() -> str:
        return (anchor + timedelta(days=draw(st.integers(-30, 200)))).isoformat()

    events: list[dict[str, object]] = []
    advice: list[str] = []
    for number in range(draw(st.integers(1, 14))):
        kind = draw(
            st.sampled_from(
                [
                    "assessment_requested",
                    "time_limit_exception",
                    "advice_requested",
                    "advice_time_limit_exception",
                    "advice_received",
                    "final_plan_issued",
                    "assessment_decision",
                    "phase_transfer_scheduled",
                    "amended_plan_issued",
                ]
            )
        )
        event: dict[str, object] = {"id": f"e{number}", "type": kind, "date": day()}
        if kind == "time_limit_exception":
            event["reason"] = draw(st.sampled_from(_REASONS))
        elif kind == "advice_requested":
            event["advice"] = draw(st.sampled_from(["medical", "psychological"]))
            event["co_operation_request"] = True
            advice.append(str(event["id"]))
        elif kind in ("advice_time_limit_exception", "advice_received"):
            if not advice:
                continue
            event["in_response_to"] = draw(st.sampled_from(advice))
            if kind == "advice_time_limit_exception":
                event["reason"] = draw(st.sampled_from(_ADVICE_REASONS))
            else:
                event["advice"] = "medical"
        elif kind == "assessment_decision":
            event["outcome"] = "assess"
        elif kind == "phase_transfer_scheduled":
            event["transfer_date"] = day()
            event["kind"] = draw(st.sampled_from(["school", "secondary_to_post16", "post16_to_post16"]))
        events.append(event)
    as_of = anchor + timedelta(days=draw(st.integers(100, 500)))
    return {"child": {"id": "C-902", "date_of_birth": "2005-01-01"}, "events": events}, as_of.isoformat()


def _canonical(decision) -> bytes:
    data = decision.to_dict()
    data["engine"].pop("backend")
    return canonical_json(data)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(case=_journeys())
def test_both_backends_agree_on_scoped_exceptions_and_search_windows(service, case):
    journey, as_of = case
    request = parse_request({"journey": journey, "as_of": as_of, "standards": "send-ap@1.4.0"})
    outcomes = []
    for backend in BACKENDS:
        try:
            outcomes.append(_canonical(service.decide(request, backend=backend)))
        except EngineError as error:
            outcomes.append(f"{error.code}: {error.message}".encode())
    assert outcomes[0] == outcomes[1]
