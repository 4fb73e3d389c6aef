"""``expect TYPE on or before NAME`` where NAME is not the trigger but an event bound by ``only
if ... as NAME`` (no bundled rule does this; every one places the expected event against its
trigger): the reference evaluator looks for the expected event on or before NAME's date, and the
Rete backend, which joins expected events against the trigger only, refuses the rule with a
clear ``rete_unsupported`` rather than deciding it against the trigger's date. Decided on an
edited copy of send-ap 1.5.0."""

from __future__ import annotations

import pytest

from sendrules.engine.errors import DecisionError
from sendrules.engine.library import StandardsLibrary
from sendrules.engine.request import parse_request
from sendrules.engine.service import DecisionService
from tests.dsl.helpers import copy_pack, edit

RULE = "appeal.conceded_no_plan_notice"


@pytest.fixture(scope="module")
def service(tmp_path_factory):
    root = tmp_path_factory.mktemp("standards")
    folder = copy_pack(root, "1.5.0", "1.5.0")
    edit(
        folder / "appeals.rules",
        "  expect notice\n    within params.appeal.conceded_no_plan_weeks weeks of concession\n",
        "  expect assessment_to_be_made_notified on or before notice\n",
    )
    return DecisionService(StandardsLibrary(root))


def _request(told: str):
    # conceded Monday 2 March 2026; the decision not to issue a plan on Friday 20 March
    return parse_request(
        {
            "as_of": "2026-04-30",
            "standards": "send-ap@1.5.0",
            "journey": {
                "child": {"id": "C-1", "date_of_birth": "2014-05-20"},
                "events": [
                    {
                        "id": "c1",
                        "type": "appeal_conceded",
                        "date": "2026-03-02",
                        "appeal_against": "assessment",
                    },
                    {
                        "id": "t1",
                        "type": "assessment_to_be_made_notified",
                        "date": told,
                        "in_response_to": "c1",
                    },
                    {"id": "d1", "type": "plan_decision", "date": "2026-03-20", "outcome": "not_issue"},
                ],
            },
        }
    )


@pytest.mark.parametrize(
    ("told", "status", "found"),
    [
        ("2026-03-10", "met", "t1"),  # after the trigger, before the bound notice
        ("2026-03-20", "met", "t1"),  # on the notice's date (N)
        ("2026-03-23", "breached", None),  # the next school day (N+1)
    ],
)
def test_the_reference_evaluator_places_the_expected_event_against_the_bound_event(
    service, told, status, found
):
    [finding] = [f for f in service.decide(_request(told)).findings if f.rule == RULE]
    assert (finding.status.value, finding.satisfied_by) == (status, found)


def test_the_rete_backend_refuses_the_rule_instead_of_deciding_it_against_the_trigger(service):
    with pytest.raises(DecisionError) as caught:
        service.decide(_request("2026-03-10"), backend="rete")
    assert caught.value.code == "rete_unsupported"
    assert str(caught.value).endswith(
        f"{RULE}: the expected event must be placed against the triggering event (concession), not notice"
    )
