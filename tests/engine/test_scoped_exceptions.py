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
